/*
 * The monitor map: which monitors make up the cluster (name, rank,
 * addresses), under which fsid, at which epoch.  It is the one map a
 * daemon or client must know before it can talk to anyone, so it is small,
 * self-contained and read by everyone: ceph-mon (mkfs, the Raft peer list,
 * `mon dump`), monmaptool and the clients.
 *
 * Addresses.  Each monitor keeps Ceph's address vector (`[v2:IP:3300,
 * v1:IP:6789]`, each entry with a type and a nonce) so that monmaptool and
 * `mon dump` print what Ceph prints.  Loligo itself speaks one protocol on
 * one port: the monitor's address is the v1 entry of the vector if there is
 * one, else its first entry (monmap_mon_addr(); the same rule as
 * common/addr.h).  Raft peers talk on a second address kept explicitly per
 * monitor (`raft`), by default the monitor address with port + 1, so it can
 * be moved without moving the monitor.
 *
 * Ranks.  The array `mons` is always in rank order (rank = index).  As in
 * Ceph, a map without the nautilus feature orders its ranks by address
 * (type, nonce, family, port, IP: the order Ceph's entity_addr_t sorts
 * in, compared on the v1 entry else the first); a map with it keeps ranks
 * in the order monitors were added, and removing one shifts the ranks after
 * it down by one.
 *
 * Encoding (see docs/monmap.md): one versioned body (common/encoding.h);
 * the file form adds a magic and a crc32c.  The decoder checks every count
 * and length before it allocates, refuses duplicate names and malformed
 * addresses, and never reads past its input.
 *
 * Errors are 0 or -errno.  A struct monmap is owned by one thread at a
 * time; none of these functions keep global state.
 */
#ifndef LOLIGO_OSDMAP_MONMAP_H
#define LOLIGO_OSDMAP_MONMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include <jansson.h>

#include "common/encoding.h"

#define MONMAP_NAME_MAX 128   /* bytes of a name, with its NUL */
#define MONMAP_ADDRVEC_MAX 4  /* entries in one address vector */
#define MONMAP_MAX_MONS 1024  /* cap on decode: far above any real cluster */
#define MONMAP_PORT_V1 6789   /* Ceph's legacy port, Loligo's monitor port */
#define MONMAP_PORT_V2 3300   /* Ceph's msgr2 port, kept for printing */

/* Address types, with Ceph's numbering (it decides the rank order). */
enum monmap_addr_type {
	MONMAP_ADDR_NONE = 0,
	MONMAP_ADDR_V1 = 1, /* "legacy" in Ceph */
	MONMAP_ADDR_V2 = 2,
	MONMAP_ADDR_ANY = 3,
};

/* Monmap features (the `persistent`/`optional` sets of Ceph 16). */
#define MONMAP_FEATURE_KRAKEN          (1ULL << 0)
#define MONMAP_FEATURE_LUMINOUS        (1ULL << 1)
#define MONMAP_FEATURE_MIMIC           (1ULL << 2)
#define MONMAP_FEATURE_OSDMAP_PRUNE    (1ULL << 3)
#define MONMAP_FEATURE_NAUTILUS        (1ULL << 4)
#define MONMAP_FEATURE_OCTOPUS         (1ULL << 5)
#define MONMAP_FEATURE_PACIFIC         (1ULL << 6)
#define MONMAP_FEATURE_ELECTOR_PINGING (1ULL << 7)
#define MONMAP_FEATURES_ALL            0xffULL

#define MONMAP_RELEASE_PACIFIC 16
#define MONMAP_ELECTION_CLASSIC 1

struct monmap_addr {
	uint8_t type;                /* enum monmap_addr_type */
	uint32_t nonce;
	struct sockaddr_storage sa;  /* AF_INET or AF_INET6; port inside */
};

struct monmap_mon {
	char name[MONMAP_NAME_MAX];  /* without "mon." */
	unsigned naddrs;             /* 1..MONMAP_ADDRVEC_MAX */
	struct monmap_addr addrs[MONMAP_ADDRVEC_MAX];
	struct sockaddr_storage raft; /* Raft peer address */
	uint16_t priority;
	uint16_t weight;
};

struct monmap_time {
	int64_t sec;
	uint32_t nsec;
};

struct monmap {
	uint8_t fsid[16];
	uint32_t epoch;
	struct monmap_time created;
	struct monmap_time modified;
	uint8_t min_mon_release;     /* 0: unknown */
	uint8_t election_strategy;   /* 1: classic */
	uint64_t persistent_features;
	uint64_t optional_features;
	size_t count;                /* monitors, in rank order */
	size_t cap;
	struct monmap_mon *mons;
};

/* ---- lifetime ---- */

/* An empty map: epoch 0, zero fsid, times now, classic elections. */
void monmap_init(struct monmap *m);
void monmap_release(struct monmap *m);
/* Deep copy into `dst` (initialized here).  0 or -ENOMEM. */
int monmap_copy(struct monmap *dst, const struct monmap *src);

/* ---- monitors ---- */

/* The monitor called `name` (no "mon." prefix), or NULL; *rank if found. */
struct monmap_mon *monmap_find(const struct monmap *m, const char *name,
			       size_t *rank);
/* Whether some monitor has an address entry equal to `a`. */
bool monmap_contains_addr(const struct monmap *m, const struct monmap_addr *a);

/*
 * Add a monitor with the address vector addrs[0..n).  The Raft address is
 * set to monmap_mon_addr() with port + 1.  Errors: -EEXIST (name taken:
 * "map already contains mon.NAME"; an address taken: "map already
 * contains ADDR", both in err), -EINVAL (empty or too long a name, bad
 * vector), -ENOMEM.
 */
int monmap_add(struct monmap *m, const char *name,
	       const struct monmap_addr *addrs, unsigned n,
	       char *err, size_t errlen);
/* Remove a monitor; -ENOENT if there is none of that name. */
int monmap_remove(struct monmap *m, const char *name);
/* Re-derive the rank order (address order without the nautilus
 * feature; a no-op with it). */
void monmap_sort(struct monmap *m);

/* Loligo's address of a monitor: its v1 entry, else its first. */
const struct monmap_addr *monmap_mon_addr(const struct monmap_mon *mon);
/* Whether the Raft address is the default (monitor address, port + 1). */
bool monmap_raft_is_default(const struct monmap_mon *mon);

/* ---- addresses ---- */

/*
 * Parse `IP`, `IP:PORT`, `[IPv6]`, `[IPv6]:PORT` or a bare IPv6 (`::1`),
 * as monmaptool --add takes them.  *port_given says if a port was written;
 * if not, the port is 0.  0 or -EINVAL.
 */
int monmap_ip_parse(const char *text, struct sockaddr_storage *out,
		    bool *port_given);
/*
 * Parse an address vector as monmaptool --addv takes it: `[v2:IP:PORT,
 * v1:IP:PORT]` or one entry `v1:IP:PORT`; each entry may end in /NONCE;
 * an entry without a type is v2 (as in Ceph).  0 or -EINVAL.
 */
int monmap_addrvec_parse(const char *text, struct monmap_addr *out,
			 unsigned *n);
/*
 * The vector Ceph derives from a plain address for --add and mon_host:
 * with a port, v1 if it is 6789 else v2; without one, v1:IP:6789 alone,
 * or both [v2:IP:3300,v1:IP:6789] when `both` (the map has the nautilus
 * feature, or the address comes from mon_host).
 */
void monmap_addrvec_from_ip(const struct sockaddr_storage *ip,
			    bool port_given, bool both,
			    struct monmap_addr *out, unsigned *n);
/* `10.0.0.1:6789` or `[::1]:6789`; into buf (64 bytes suffice). */
int monmap_sockaddr_format(const struct sockaddr_storage *sa, char *buf,
			   size_t len);
/* `v1:10.0.0.1:6789/0`; buf of 80 bytes suffices. */
int monmap_addr_format(const struct monmap_addr *a, char *buf, size_t len);
/* `v1:...` for one entry, `[v2:...,v1:...]` for several. */
int monmap_addrvec_format(const struct monmap_mon *mon, char *buf,
			  size_t len);
/* Ceph's order of entity addresses (<0, 0, >0). */
int monmap_addr_cmp(const struct monmap_addr *a, const struct monmap_addr *b);

/* ---- fsid, releases, features ---- */

/* Parse a UUID `8-4-4-4-12` (hex, either case).  0 or -EINVAL. */
int monmap_uuid_parse(const char *text, uint8_t out[16]);
void monmap_uuid_format(const uint8_t uuid[16], char out[37]);
/* A random (version 4) UUID from the system's CSPRNG.  0 or -errno. */
int monmap_uuid_generate(uint8_t out[16]);

/* "pacific" for 16; "unknown" for 0 or a release we do not know. */
const char *monmap_release_name(unsigned release);
/* Release number from its name (argonaut .. pacific) or its number
 * (1..16).  0 or -EINVAL. */
int monmap_release_parse(const char *text, uint8_t *out);
/* `kraken` for MONMAP_FEATURE_KRAKEN, NULL for an unknown bit. */
const char *monmap_feature_name(uint64_t bit);
/* A feature by name; 0 if unknown. */
uint64_t monmap_feature_parse(const char *name);

/* ---- encoding ---- */

/* Append the versioned encoding of `m` to `b`; returns b's error. */
int monmap_encode(const struct monmap *m, struct enc_buf *b);
/*
 * Decode one monmap from the cursor into `m` (initialized here; release it
 * even on error).  Errors: -EBADMSG (malformed), -EMSGSIZE (a count over
 * its cap), -EOPNOTSUPP (too new), -ENOMEM.
 */
int monmap_decode(struct monmap *m, struct dec_cursor *c);

/* The file form: magic, body, crc32c.  0 or -errno; read: -EBADMSG for
 * a file that is not a monmap or is corrupt. */
int monmap_encode_file(const struct monmap *m, uint8_t **out, size_t *len);
int monmap_decode_file(struct monmap *m, const void *data, size_t len);
int monmap_read_file(struct monmap *m, const char *path);
/* Written to a temporary file, fsync'd and renamed over `path`. */
int monmap_write_file(const struct monmap *m, const char *path);

/* ---- display ---- */

/* `2026-11-22T06:08:26.490428+0000` (zulu: ...490428Z). */
void monmap_time_format(const struct monmap_time *t, bool zulu, char *buf,
			size_t len);
/* The text of `monmaptool --print` and `ceph mon dump`. */
void monmap_print(const struct monmap *m, FILE *out);
/*
 * The object of `ceph mon dump --format json`; `quorum` (ranks) may be
 * NULL, giving an empty list.  NULL on -ENOMEM.  Caller json_decref()s.
 */
json_t *monmap_dump_json(const struct monmap *m, const int *quorum,
			 size_t nquorum);

#endif
