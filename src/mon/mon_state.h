/*
 * The monitors' replicated state and the command interface.
 *
 * DESIGN NOTES
 *  1. Everything the monitors agree on lives in struct mon_state: the
 *     monmap, the current osdmap with the incrementals (and some full maps)
 *     that led to it, and the config-key store.  It changes only by
 *     applying Raft log entries, in log order, on every monitor.
 *  2. A log entry is a command: the JSON a client sent, after the leader
 *     has normalised it (filled in every default that comes from the
 *     leader's ceph.conf, e.g. a new pool's size) plus the leader's clock
 *     reading.  Applying it runs the command's handler, which must be a
 *     deterministic function of (state, command, time): no local config,
 *     no randomness (a new fsid or uuid is chosen by the leader and put in
 *     the command).  So every monitor computes the same next state.
 *  3. Read-only commands run without Raft, on the monitor the client asked
 *     if it is in the quorum (it is up to date with the leader's commit
 *     index), else they are refused with -EAGAIN.
 *  4. A write command's reply (rc, status, data) is what its handler
 *     returned when the leader applied the entry.
 */
#ifndef LOLIGO_MON_STATE_H
#define LOLIGO_MON_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/encoding.h"
#include "osdmap/monmap.h"
#include "osdmap/osdmap.h"

/* A config-key entry (sorted by key). */
struct mon_pgmap;

struct mon_kv {
	char *key;
	uint8_t *val;
	size_t len;
};

struct mon_state {
	struct monmap *monmap;
	struct osdmap *osdmap;     /* current; refcounted, immutable */
	/* history for subscribers: incrementals (oldest_inc..osdmap->epoch] */
	uint32_t oldest_inc;
	size_t n_incs;
	uint8_t **inc_blobs;        /* osdmap_inc_encode() of epoch oldest_inc+i+1 */
	size_t *inc_lens;
	size_t n_kv, cap_kv;
	struct mon_kv *kv;
};

int mon_state_init(struct mon_state *st);
void mon_state_release(struct mon_state *st);
/* The whole state as one blob (a Raft snapshot) and back. */
int mon_state_encode(const struct mon_state *st, struct enc_buf *b);
int mon_state_decode(struct mon_state *st, const void *buf, size_t len);
/* Commit a new osdmap epoch built from an incremental: records the
 * incremental for subscribers and replaces st->osdmap. */
int mon_state_commit_inc(struct mon_state *st, const struct osdmap_inc *inc);

/* ---- commands ---- */

enum mon_cmd_flags {
	MON_CMD_WRITE = 1 << 0, /* changes state: goes through Raft */
	/* Internal (what daemons send, e.g. "osd boot"): no signature, so
	 * the CLI neither offers nor sends it. */
	MON_CMD_HIDDEN = 1 << 1,
};

/* Output formats, from the command's "format" argument. */
enum mon_format {
	MON_FORMAT_PLAIN = 0,
	MON_FORMAT_JSON,
	MON_FORMAT_JSON_PRETTY,
};

/* One command invocation. */
struct mon_cmd {
	struct mon_state *st;   /* writable only for MON_CMD_WRITE handlers */
	json_t *args;           /* the (normalised) command object */
	const uint8_t *in;      /* input data, may be NULL */
	size_t inlen;
	int64_t now_sec;        /* the leader's clock when it was proposed */
	uint32_t now_nsec;
	enum mon_format format;
	/* results */
	int rc;                 /* 0 or -errno */
	char outs[1024];        /* status line, as `ceph` prints on stderr */
	struct enc_buf out;     /* output data (stdout), initialised by caller */
	/* monitor facts a handler may print (not part of state) */
	const char *self_name;
	const int *quorum;      /* ranks in quorum */
	size_t quorum_len;
	int leader_rank;        /* -1 if none */
	/* Reads only (NULL for writes, which must stay deterministic): the
	 * OSDs' PG statistics and this monitor's monotonic clock. */
	struct mon_pgmap *pgmap;
	uint64_t mono_ms;
};

/* Called by the leader before proposing: fill defaults from its config
 * into c->args and choose any random ids, so apply is deterministic. */
struct conf;
typedef int (*mon_cmd_normalize_fn)(struct mon_cmd *c, struct conf *conf);
typedef int (*mon_cmd_fn)(struct mon_cmd *c);

struct mon_cmd_desc {
	const char *prefix;             /* "osd pool create" */
	unsigned flags;                 /* enum mon_cmd_flags */
	mon_cmd_normalize_fn normalize; /* NULL if nothing to fill in */
	mon_cmd_fn fn;
	const char *signature;          /* Ceph's argument names, for help */
	const char *help;
};

/* The table of every command (mon_commands.c), ended by a NULL prefix. */
extern const struct mon_cmd_desc mon_commands[];
/* Find the command for a JSON object's "prefix"; NULL if unknown. */
const struct mon_cmd_desc *mon_cmd_find(const char *prefix);
/* Convenience for handlers: set rc and a printf-style status line. */
int mon_cmd_fail(struct mon_cmd *c, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
