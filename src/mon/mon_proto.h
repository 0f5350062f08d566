/*
 * What clients (the `ceph` CLI, librados, OSDs) and monitors say to each
 * other over the messenger (src/msg/msgr.h).  Every payload is one
 * versioned structure (src/common/encoding.h: enc_start/dec_start), so
 * either side may grow it at its end.  This header is the contract
 * between src/mon (server) and the clients; change it only by appending.
 *
 *   client                         monitor
 *   MON_MSG_COMMAND    --------->  any monitor; a peon that cannot serve it
 *                                  (a write, or no quorum) answers -EAGAIN
 *   MON_MSG_COMMAND_REPLY <-----   with leader_addr naming where to retry
 *   MON_MSG_SUBSCRIBE  --------->  "osdmap" from epoch N, "monmap"
 *   MON_MSG_OSDMAP     <---------  incrementals N..last (or a full map when
 *                                  N is older than the monitor keeps), then
 *                                  every new epoch as it commits
 *   MON_MSG_MONMAP     <---------  the monmap, now and on every change
 *
 *   osd                            monitor
 *   MON_MSG_COMMAND "osd boot"  -> the leader marks the OSD up (and in, and
 *                                  places it in CRUSH) at a new epoch
 *   MON_MSG_PG_STATS   --------->  every monitor, every few seconds: the
 *                                  OSD's usage and the state of each PG it
 *                                  is primary for (kept in memory, not in
 *                                  Raft: `ceph -s`, `pg stat`, `df`, `osd
 *                                  df` and health are computed from them)
 */
#ifndef LOLIGO_MON_PROTO_H
#define LOLIGO_MON_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "common/encoding.h"

enum mon_msg_type {
	MON_MSG_COMMAND = 0x0100,
	MON_MSG_COMMAND_REPLY = 0x0101,
	MON_MSG_SUBSCRIBE = 0x0102,
	MON_MSG_OSDMAP = 0x0103,
	MON_MSG_MONMAP = 0x0104,
	MON_MSG_PG_STATS = 0x0105,
};

#define MON_PROTO_CMD_MAX (1u << 20)   /* command JSON bytes */
#define MON_PROTO_DATA_MAX (64u << 20) /* input / output data bytes */

/* A command: Ceph's JSON command object ({"prefix": "osd pool create",
 * "pool": "rbd", "format": "json"}) and optional input data (e.g. the
 * binary CRUSH map of `osd setcrushmap -i FILE`). */
struct mon_command {
	uint64_t tid;
	const char *cmd; /* NUL-terminated JSON */
	const uint8_t *in;
	size_t inlen;
};

/* The answer: Ceph's return code (0 or -errno), status string (what
 * `ceph` prints on stderr) and output data (stdout). */
struct mon_command_reply {
	uint64_t tid;
	int32_t rc;
	const char *outs;
	const uint8_t *out;
	size_t outlen;
	const char *leader_addr; /* "" unless rc == -EAGAIN and a leader is known */
};

struct mon_subscribe {
	char what[16];      /* "osdmap" or "monmap" */
	uint32_t start;     /* first epoch wanted (0: the latest full map) */
	uint8_t onetime;    /* 1: send what is asked, no later updates */
};

/* MON_MSG_OSDMAP: maps first..last; each either full or incremental. */
struct mon_osdmap_entry {
	uint32_t epoch;
	uint8_t full; /* 1: blob is osdmap_encode(); 0: osdmap_inc_encode() */
	const uint8_t *blob;
	size_t len;
};

int mon_command_encode(const struct mon_command *c, struct enc_buf *b);
/* Decoded strings and data point into buf, which must outlive *c. */
int mon_command_decode(const void *buf, size_t len, struct mon_command *c);
int mon_command_reply_encode(const struct mon_command_reply *r, struct enc_buf *b);
int mon_command_reply_decode(const void *buf, size_t len, struct mon_command_reply *r);
int mon_subscribe_encode(const struct mon_subscribe *s, struct enc_buf *b);
int mon_subscribe_decode(const void *buf, size_t len, struct mon_subscribe *s);
/* OSDMAP messages carry n entries. */
int mon_osdmap_msg_encode(const struct mon_osdmap_entry *e, size_t n, struct enc_buf *b);
/* Calls fn for each entry (pointers into buf); stops at fn's first error. */
int mon_osdmap_msg_decode(const void *buf, size_t len,
			  int (*fn)(const struct mon_osdmap_entry *e, void *arg), void *arg);

/* PG states (bits; printed joined by '+' in this order, as Ceph does). */
#define PG_STATE_CREATING (1u << 0)
#define PG_STATE_ACTIVE (1u << 1)
#define PG_STATE_CLEAN (1u << 2)
#define PG_STATE_DOWN (1u << 4)
#define PG_STATE_DEGRADED (1u << 10)
#define PG_STATE_PEERING (1u << 12)
#define PG_STATE_STALE (1u << 17) /* set by the monitors: the primary went silent */
#define PG_STATE_UNDERSIZED (1u << 23)
#define PG_STATE_PEERED (1u << 25)
#define PG_STATE_UNKNOWN (1u << 31)
/* "active+clean", "unknown" for 0.  Returns the length written. */
size_t pg_state_str(uint32_t state, char *buf, size_t len);

/* One PG as its primary reports it. */
struct mon_pg_stat {
	int64_t pool;
	uint32_t ps;
	uint32_t state;        /* PG_STATE_* */
	uint32_t epoch;        /* the primary's map epoch when it reported */
	uint64_t num_objects;
	uint64_t num_bytes;    /* logical bytes of its objects */
	uint64_t num_omap_keys;
	uint64_t log_version;  /* last PG log version */
	int32_t up_primary;
	uint8_t n_acting;
	int32_t acting[16];
	/* client I/O the PG served as primary: operations and bytes (read
	 * ops: read, stat, xattr and omap reads; write ops: every mutation);
	 * encoded in a trailing section older monitors skip */
	uint64_t num_rd, num_rd_bytes, num_wr, num_wr_bytes;
};

/* MON_MSG_PG_STATS. */
struct mon_pg_stats {
	int32_t osd;
	uint32_t epoch;
	uint64_t kb, kb_used, kb_avail; /* the OSD's store */
	uint64_t kb_used_data, kb_used_omap, kb_used_meta;
	uint32_t num_pgs;               /* PGs it holds (any role) */
	/* mean store commit/apply time since its last report (0 idle);
	 * trailing section, after the PGs' I/O counters */
	uint64_t commit_latency_ns, apply_latency_ns;
	size_t n_pgs;                   /* entries: PGs it is primary for */
	struct mon_pg_stat *pgs;
};

int mon_pg_stats_encode(const struct mon_pg_stats *s, struct enc_buf *b);
/* s->pgs is malloc'd: free() it. */
int mon_pg_stats_decode(const void *buf, size_t len, struct mon_pg_stats *s);

#endif
