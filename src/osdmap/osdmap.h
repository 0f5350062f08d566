/*
 * The OSD map: one epoch of the cluster's view of its OSDs (exists, up,
 * in, reweight, addresses, intervals), its pools and its CRUSH map, plus
 * the incrementals that carry one epoch to the next, their versioned
 * encodings, placement of PGs on a map, and the text and JSON views the
 * `ceph osd ...` commands print (in Ceph's formats).  See docs/osdmap.md.
 *
 * Contract:
 *  - Every function returns 0 or a negative errno unless documented
 *    otherwise.
 *  - A struct osdmap is immutable once it exists: the only ways to get one
 *    are osdmap_create() (epoch 0, empty), osdmap_apply_inc() and
 *    osdmap_decode().  Maps are refcounted (osdmap_get/osdmap_put, atomic)
 *    so any thread may hold and read an epoch while another publishes the
 *    next one; nothing ever writes to a map after it is returned.  The
 *    fields are public for reading only.
 *  - A struct osdmap_inc is an ordinary mutable object owned by one
 *    thread: build it with the osdmap_inc_* helpers, apply it, encode it.
 *  - Weights are 16.16 fixed point (OSDMAP_WEIGHT_IN == 1.0).
 */
#ifndef LOLIGO_OSDMAP_H
#define LOLIGO_OSDMAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crush/crush.h"

/* Cluster flags: Ceph's bit numbers and names (`ceph osd dump`). */
#define OSDMAP_FLAG_NEARFULL (1u << 0)
#define OSDMAP_FLAG_FULL (1u << 1)
#define OSDMAP_FLAG_PAUSERD (1u << 2)
#define OSDMAP_FLAG_PAUSEWR (1u << 3)
#define OSDMAP_FLAG_PAUSEREC (1u << 4)
#define OSDMAP_FLAG_NOUP (1u << 5)
#define OSDMAP_FLAG_NODOWN (1u << 6)
#define OSDMAP_FLAG_NOOUT (1u << 7)
#define OSDMAP_FLAG_NOIN (1u << 8)
#define OSDMAP_FLAG_NOBACKFILL (1u << 9)
#define OSDMAP_FLAG_NORECOVER (1u << 10)
#define OSDMAP_FLAG_NOSCRUB (1u << 11)
#define OSDMAP_FLAG_NODEEP_SCRUB (1u << 12)
#define OSDMAP_FLAG_NOTIERAGENT (1u << 13)
#define OSDMAP_FLAG_NOREBALANCE (1u << 14)
#define OSDMAP_FLAG_SORTBITWISE (1u << 15)
#define OSDMAP_FLAG_REQUIRE_JEWEL (1u << 16)
#define OSDMAP_FLAG_REQUIRE_KRAKEN (1u << 17)
#define OSDMAP_FLAG_REQUIRE_LUMINOUS (1u << 18)
#define OSDMAP_FLAG_RECOVERY_DELETES (1u << 19)
#define OSDMAP_FLAG_PURGED_SNAPDIRS (1u << 20)
#define OSDMAP_FLAG_NOSNAPTRIM (1u << 21)
#define OSDMAP_FLAG_PGLOG_HARDLIMIT (1u << 22)
/* `ceph osd set pause` sets both pause bits. */
#define OSDMAP_FLAG_PAUSE (OSDMAP_FLAG_PAUSERD | OSDMAP_FLAG_PAUSEWR)
/* The flags a new cluster starts with (as a Pacific monitor's). */
#define OSDMAP_FLAGS_DEFAULT                                                    \
	(OSDMAP_FLAG_SORTBITWISE | OSDMAP_FLAG_RECOVERY_DELETES |               \
	 OSDMAP_FLAG_PURGED_SNAPDIRS | OSDMAP_FLAG_PGLOG_HARDLIMIT)

/* Per-OSD state bits (Ceph's). */
#define OSD_STATE_EXISTS (1u << 0)
#define OSD_STATE_UP (1u << 1)
#define OSD_STATE_AUTOOUT (1u << 2)
#define OSD_STATE_NEW (1u << 3)
#define OSD_STATE_DESTROYED (1u << 7)

#define OSDMAP_WEIGHT_IN 0x10000u
#define OSDMAP_WEIGHT_OUT 0u
#define OSDMAP_AFFINITY_DEFAULT 0x10000u

/* Pool types, object hashes and flags (Ceph's numbers). */
#define POOL_TYPE_REPLICATED 1
#define POOL_TYPE_ERASURE 3
#define POOL_HASH_RJENKINS 2

#define POOL_FLAG_HASHPSPOOL (1ull << 0)
#define POOL_FLAG_FULL (1ull << 1)
#define POOL_FLAG_EC_OVERWRITES (1ull << 2)
#define POOL_FLAG_INCOMPLETE_CLONES (1ull << 3)
#define POOL_FLAG_NODELETE (1ull << 4)
#define POOL_FLAG_NOPGCHANGE (1ull << 5)
#define POOL_FLAG_NOSIZECHANGE (1ull << 6)
#define POOL_FLAG_WRITE_FADVISE_DONTNEED (1ull << 7)
#define POOL_FLAG_NOSCRUB (1ull << 8)
#define POOL_FLAG_NODEEP_SCRUB (1ull << 9)
#define POOL_FLAG_FULL_QUOTA (1ull << 10)
#define POOL_FLAG_NEARFULL (1ull << 11)
#define POOL_FLAG_BACKFILLFULL (1ull << 12)
#define POOL_FLAG_SELFMANAGED_SNAPS (1ull << 13)
#define POOL_FLAG_POOL_SNAPS (1ull << 14)
#define POOL_FLAG_CREATING (1ull << 15)

enum pool_autoscale { POOL_AUTOSCALE_OFF = 0, POOL_AUTOSCALE_WARN = 1, POOL_AUTOSCALE_ON = 2 };

/* Limits the decoder and the builders enforce. */
#define OSDMAP_MAX_OSD (1 << 16) /* Ceph's largest clusters are ~10k */
#define OSDMAP_MAX_POOLS 65536
#define OSDMAP_MAX_PG_NUM (1u << 24)
#define OSDMAP_MAX_POOL_SIZE 32
#define OSDMAP_NAME_MAX 1024   /* pool, application, key names */
#define OSDMAP_VALUE_MAX 65536 /* application metadata values */
#define OSDMAP_MAX_APPS 64
#define OSDMAP_MAX_APP_KEYS 1024
#define OSDMAP_MAX_CRUSH_LEN (64u << 20)
#define OSDMAP_ADDR_MAX 64 /* "[v6 address]:port" with room to spare */

/* A wall-clock time as Ceph's utime_t keeps it. */
struct osdmap_time {
	int64_t sec;
	uint32_t nsec;
};

/*
 * An OSD's address: the text "ip:port" ("1.2.3.4:6800", "[::1]:6800") as
 * addr_format() writes it, plus the nonce (the daemon's pid or a random
 * number) that tells one incarnation from the next.  "" means none.
 */
struct osdmap_addr {
	char addr[OSDMAP_ADDR_MAX];
	uint32_t nonce;
};

/* One OSD's entry; plain data (copyable with memcpy). */
struct osdmap_osd {
	uint32_t state;  /* OSD_STATE_* */
	uint32_t weight; /* reweight 16.16: IN = 0x10000, OUT = 0 */
	uint32_t primary_affinity;
	uint8_t uuid[16];
	uint32_t up_from, up_thru, down_at, lost_at;
	uint32_t last_clean_begin, last_clean_end; /* [begin, end) */
	struct osdmap_addr public_addr, cluster_addr;
};

struct osdmap_kv {
	char *key;
	char *val;
};

/* One application enabled on a pool, with its key/values (sorted by key). */
struct osdmap_app {
	char *name;
	size_t n_kv;
	struct osdmap_kv *kv;
};

struct osdmap_pool {
	int64_t id;
	char *name;
	uint8_t type;        /* POOL_TYPE_* */
	uint8_t size;        /* replicas, or k+m */
	uint8_t min_size;
	uint8_t object_hash; /* POOL_HASH_RJENKINS */
	int32_t crush_rule;
	uint32_t pg_num, pgp_num;
	uint64_t flags; /* POOL_FLAG_* */
	uint32_t last_change;
	struct osdmap_time create_time;
	uint64_t quota_max_bytes, quota_max_objects; /* 0 = none */
	uint32_t stripe_width;
	uint8_t autoscale_mode; /* enum pool_autoscale */
	char *erasure_code_profile; /* "" for replicated pools */
	size_t n_apps;
	struct osdmap_app *apps; /* sorted by name */
};

struct osdmap_crush_ref; /* internal: a CRUSH map shared by epochs */

struct osdmap {
	atomic_uint ref;
	uint8_t fsid[16];
	uint32_t epoch;
	struct osdmap_time created, modified;
	struct osdmap_time last_up_change, last_in_change;
	uint32_t flags; /* OSDMAP_FLAG_* */
	uint32_t crush_version;
	int32_t max_osd;
	struct osdmap_osd *osds; /* max_osd entries */
	int64_t pool_max;        /* highest pool id ever used */
	size_t n_pools;
	struct osdmap_pool *pools; /* sorted by id */
	const struct crush_map *crush; /* never NULL (an empty map at first) */

	/* derived, internal */
	struct osdmap_crush_ref *crush_ref;
	uint32_t *crush_weights; /* max_osd reweights, 0 where not existing */
};

/* ---- osdmap.c: lifecycle and lookups ---- */

/* Epoch 0 of a cluster: no OSDs, no pools, an empty CRUSH map, the given
 * fsid (may be NULL: all zero) and OSDMAP_FLAGS_DEFAULT.  -ENOMEM. */
int osdmap_create(const uint8_t fsid[16], struct osdmap **out);
/* Take a reference; returns m. */
struct osdmap *osdmap_get(struct osdmap *m);
/* Drop a reference; the last one frees the map.  NULL is fine. */
void osdmap_put(struct osdmap *m);

static inline bool osdmap_exists(const struct osdmap *m, int osd)
{
	return osd >= 0 && osd < m->max_osd && (m->osds[osd].state & OSD_STATE_EXISTS);
}
static inline bool osdmap_is_up(const struct osdmap *m, int osd)
{
	return osdmap_exists(m, osd) && (m->osds[osd].state & OSD_STATE_UP);
}
static inline bool osdmap_is_in(const struct osdmap *m, int osd)
{
	return osdmap_exists(m, osd) && m->osds[osd].weight != OSDMAP_WEIGHT_OUT;
}
int osdmap_count_exists(const struct osdmap *m);
int osdmap_count_up(const struct osdmap *m);
int osdmap_count_in(const struct osdmap *m);

/* The pool with this id / name, or NULL. */
const struct osdmap_pool *osdmap_pool_by_id(const struct osdmap *m, int64_t id);
const struct osdmap_pool *osdmap_pool_by_name(const struct osdmap *m, const char *name);

/* Deep comparison (the CRUSH maps by their encodings). */
bool osdmap_equal(const struct osdmap *a, const struct osdmap *b);

/* Cluster flag names: "noout" -> OSDMAP_FLAG_NOOUT ("pause" gives both
 * pause bits); 0 if unknown.  osdmap_flags_str() writes Ceph's
 * comma-separated list in Ceph's order; returns the length it needed. */
uint32_t osdmap_flag_by_name(const char *name);
size_t osdmap_flags_str(uint32_t flags, char *buf, size_t len);

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (37 bytes with the NUL). */
void osdmap_uuid_str(const uint8_t uuid[16], char buf[37]);
int osdmap_uuid_parse(const char *s, uint8_t uuid[16]);
/* Ceph's time stamp "2026-11-22T06:08:36.182594+0000" (UTC); a zero time
 * prints as "0.000000" the way Ceph shows unset stamps. */
void osdmap_time_str(struct osdmap_time t, char *buf, size_t len);
struct osdmap_time osdmap_time_now(void);

/* ---- pool.c ---- */

/* Values ceph.conf gives new pools (osd_pool_default_*). */
struct osdmap_pool_defaults {
	unsigned size;      /* osd_pool_default_size (3) */
	unsigned min_size;  /* osd_pool_default_min_size; 0: size - size / 2 */
	unsigned pg_num;    /* osd_pool_default_pg_num (32) */
	unsigned pgp_num;   /* osd_pool_default_pgp_num; 0: pg_num */
	int crush_rule;     /* osd_pool_default_crush_rule; -1: first replicated rule */
	bool hashpspool;    /* osd_pool_default_flag_hashpspool (true) */
	uint8_t autoscale_mode; /* osd_pool_default_pg_autoscale_mode (on) */
};
/* Ceph's built-in defaults. */
void osdmap_pool_defaults_init(struct osdmap_pool_defaults *d);

/* Zero a pool (no allocations). */
void osdmap_pool_init(struct osdmap_pool *p);
void osdmap_pool_release(struct osdmap_pool *p);
/* Deep copy into an uninitialised dst.  -ENOMEM. */
int osdmap_pool_copy(struct osdmap_pool *dst, const struct osdmap_pool *src);
bool osdmap_pool_equal(const struct osdmap_pool *a, const struct osdmap_pool *b);
int osdmap_pool_set_name(struct osdmap_pool *p, const char *name);
/* Enable an application (no-op if already enabled), set or remove a key
 * (-ENOENT if the application or key is missing), disable it. */
int osdmap_pool_app_enable(struct osdmap_pool *p, const char *app);
int osdmap_pool_app_disable(struct osdmap_pool *p, const char *app);
int osdmap_pool_app_set(struct osdmap_pool *p, const char *app, const char *key,
			const char *val);
int osdmap_pool_app_rm(struct osdmap_pool *p, const char *app, const char *key);
const struct osdmap_app *osdmap_pool_app(const struct osdmap_pool *p, const char *app);
/* Structural checks the decoder and osdmap_apply_inc() make: a name,
 * a known type, 1 <= size <= max, min_size <= size, 1 <= pgp_num <=
 * pg_num <= max.  -EINVAL. */
int osdmap_pool_validate(const struct osdmap_pool *p);
/* Pool flag names, in Ceph's order ("hashpspool,nodelete"). */
size_t osdmap_pool_flags_str(uint64_t flags, char *buf, size_t len);
/* The first replicated rule of a CRUSH map (Ceph's default crush rule
 * choice), or -ENOENT. */
int osdmap_crush_first_rule(const struct crush_map *crush, int type);

/* ---- incremental.c ---- */

/* Which fields of a struct osdmap_inc_osd apply. */
#define OSDMAP_INC_STATE (1u << 0)
#define OSDMAP_INC_WEIGHT (1u << 1)
#define OSDMAP_INC_UUID (1u << 2)
#define OSDMAP_INC_ADDR (1u << 3)
#define OSDMAP_INC_UP_FROM (1u << 4)
#define OSDMAP_INC_UP_THRU (1u << 5)
#define OSDMAP_INC_DOWN_AT (1u << 6)
#define OSDMAP_INC_LOST_AT (1u << 7)
#define OSDMAP_INC_LAST_CLEAN (1u << 8)
#define OSDMAP_INC_AFFINITY (1u << 9)
#define OSDMAP_INC_ALL ((1u << 10) - 1)

/*
 * A change to one OSD.  The new state is (old & ~state_clear) | state_set.
 * An OSD whose state loses OSD_STATE_EXISTS is reset to an empty entry
 * (`osd rm`); the other masked fields are applied after the state.
 */
struct osdmap_inc_osd {
	int32_t osd;
	uint32_t mask; /* OSDMAP_INC_* */
	uint32_t state_set, state_clear;
	uint32_t weight;
	uint8_t uuid[16];
	struct osdmap_addr public_addr, cluster_addr;
	uint32_t up_from, up_thru, down_at, lost_at;
	uint32_t last_clean_begin, last_clean_end;
	uint32_t primary_affinity;
};

/* Which map-wide fields of a struct osdmap_inc apply. */
#define OSDMAP_INC_HAS_FSID (1u << 0)
#define OSDMAP_INC_HAS_FLAGS (1u << 1)
#define OSDMAP_INC_HAS_MAX_OSD (1u << 2)
#define OSDMAP_INC_HAS_POOL_MAX (1u << 3)
#define OSDMAP_INC_HAS_CRUSH (1u << 4)
#define OSDMAP_INC_HAS_CREATED (1u << 5)

/*
 * The change from epoch - 1 to epoch.  Applied in this order: fsid,
 * created, flags, max_osd, crush, removed pools, new/changed pools (each
 * a whole pool that replaces any pool of that id), pool_max (raised to
 * cover every pool), OSD changes (in array order).
 */
struct osdmap_inc {
	uint32_t epoch;
	uint32_t has; /* OSDMAP_INC_HAS_* */
	uint8_t fsid[16];
	struct osdmap_time created;  /* with HAS_CREATED (the first epoch) */
	struct osdmap_time modified; /* always: the new map's stamp */
	uint32_t new_flags;
	int32_t new_max_osd;
	int64_t new_pool_max;
	uint8_t *crush; /* Ceph's binary CRUSH map (with HAS_CRUSH) */
	size_t crush_len;
	size_t n_new_pools, cap_new_pools;
	struct osdmap_pool *new_pools;
	size_t n_old_pools, cap_old_pools;
	int64_t *old_pools;
	size_t n_osds, cap_osds;
	struct osdmap_inc_osd *osds;
};

/* An empty incremental for `epoch` stamped now.  -ENOMEM. */
int osdmap_inc_create(uint32_t epoch, struct osdmap_inc **out);
void osdmap_inc_destroy(struct osdmap_inc *inc);

/*
 * Builders.  The `map` argument is the epoch the incremental applies to
 * (epoch - 1); pool and OSD edits start from its values (or from what the
 * incremental already holds for them).
 */
void osdmap_inc_set_flags(struct osdmap_inc *inc, uint32_t flags);
void osdmap_inc_set_fsid(struct osdmap_inc *inc, const uint8_t fsid[16]);
int osdmap_inc_set_max_osd(struct osdmap_inc *inc, int32_t max_osd);
/* Carry a new CRUSH map (encoded now; the caller keeps its map). */
int osdmap_inc_set_crush(struct osdmap_inc *inc, const struct crush_map *crush);
/*
 * Create a pool: id is pool_max + 1 (over both the map and the pools this
 * incremental already creates), fields from the defaults, type
 * replicated; rule -1 in the defaults picks the first replicated rule of
 * the CRUSH map the new epoch will have.  Returns the pending pool for
 * further edits (valid until the incremental changes), or NULL with *err
 * set (-EEXIST for a taken name, -EINVAL, -ENOMEM).
 */
struct osdmap_pool *osdmap_inc_pool_create(struct osdmap_inc *inc, const struct osdmap *map,
					   const char *name,
					   const struct osdmap_pool_defaults *d, int *err);
/* The pending copy of an existing (or already pending) pool to edit;
 * last_change is set to the incremental's epoch.  NULL with *err
 * (-ENOENT, -ENOMEM). */
struct osdmap_pool *osdmap_inc_pool_edit(struct osdmap_inc *inc, const struct osdmap *map,
					 int64_t id, int *err);
/* Remove a pool (and forget any pending edit of it).  -ENOENT. */
int osdmap_inc_pool_remove(struct osdmap_inc *inc, const struct osdmap *map, int64_t id);
/* The pending change record of an OSD, created empty if needed.  NULL on
 * -ENOMEM or a negative id. */
struct osdmap_inc_osd *osdmap_inc_osd(struct osdmap_inc *inc, int32_t osd);
/* Common OSD edits, each one OSD change record. */
int osdmap_inc_osd_create(struct osdmap_inc *inc, int32_t osd, const uint8_t uuid[16]);
int osdmap_inc_osd_remove(struct osdmap_inc *inc, int32_t osd);
int osdmap_inc_osd_up(struct osdmap_inc *inc, int32_t osd, const struct osdmap_addr *pub,
		      const struct osdmap_addr *cluster);
int osdmap_inc_osd_down(struct osdmap_inc *inc, int32_t osd);
int osdmap_inc_osd_weight(struct osdmap_inc *inc, int32_t osd, uint32_t weight);
int osdmap_inc_osd_up_thru(struct osdmap_inc *inc, int32_t osd, uint32_t up_thru);

/*
 * The next epoch: a new map (refcount 1) equal to `old` with `inc`
 * applied.  -EINVAL if inc->epoch != old->epoch + 1, if the fsid differs
 * (except when the old map's fsid is all zero), if a pool is invalid, an
 * OSD index is outside the new max_osd, or the CRUSH map does not decode;
 * -ENOENT for removing a missing pool; -ENOMEM.  `old` is unchanged.
 */
int osdmap_apply_inc(const struct osdmap *old, const struct osdmap_inc *inc,
		     struct osdmap **out);

/* ---- codec.c: versioned encodings ---- */

/* Encoded map / incremental into a growable buffer (enc_buf_init'd by the
 * caller); returns the buffer's error. */
struct enc_buf;
int osdmap_encode(const struct osdmap *m, struct enc_buf *b);
int osdmap_inc_encode(const struct osdmap_inc *inc, struct enc_buf *b);
/*
 * Decode, bounds-checked and safe on hostile input.  -EBADMSG for
 * malformed or truncated input, -EMSGSIZE for an over-limit length,
 * -EOPNOTSUPP for an incompatible version, -EINVAL for a structurally
 * invalid map (bad pool, undecodable CRUSH map), -ENOMEM.
 */
int osdmap_decode(const void *buf, size_t len, struct osdmap **out);
int osdmap_inc_decode(const void *buf, size_t len, struct osdmap_inc **out);

/* ---- mapping.c: placement on a map ---- */

/*
 * CRUSH's OSDs for PG `ps` of a pool (the pool's rule, size as the result
 * count, reweights as CRUSH weights, the pool's or the default
 * choose_args).  OSDs that do not exist are dropped (replicated pools) or
 * become CRUSH_ITEM_NONE (erasure pools, where position matters).  Writes
 * at most max ids; returns the count, or -ENOENT for an unknown pool,
 * -ENOMEM.  A pool whose rule is missing maps to nothing (0).
 */
int osdmap_pg_to_raw_osds(const struct osdmap *m, int64_t pool, uint32_t ps, int *osds,
			  int max);
/*
 * Raw -> up: down OSDs are removed (replicated) or become CRUSH_ITEM_NONE
 * (erasure).  In place; returns the new count.  *primary gets the first
 * OSD that is not NONE, or -1.
 */
int osdmap_raw_to_up_osds(const struct osdmap *m, const struct osdmap_pool *p, int *osds,
			  int n, int *primary);
/* Up and acting sets of a PG (acting == up: Loligo has no pg_temp yet). */
struct osdmap_pg_mapping {
	int n_up, up_primary;
	int n_acting, acting_primary;
	int up[OSDMAP_MAX_POOL_SIZE];
	int acting[OSDMAP_MAX_POOL_SIZE];
};
int osdmap_pg_to_up_acting(const struct osdmap *m, int64_t pool, uint32_t ps,
			   struct osdmap_pg_mapping *out);

/* `ceph osd map POOL OBJ [NSPACE]`: object -> PG -> up/acting. */
struct osdmap_object_mapping {
	int64_t pool;
	uint32_t raw_hash; /* the object's full 32-bit hash */
	uint32_t ps;       /* the PG: raw_hash folded by pg_num */
	struct osdmap_pg_mapping pg;
};
int osdmap_map_object(const struct osdmap *m, int64_t pool, const char *nspace,
		      const char *key, const char *name, struct osdmap_object_mapping *out);

/* ---- print.c: Ceph's plain-text views ---- */

/* `ceph osd map`: "osdmap e12 pool 'rbd' (1) object 'foo' -> pg ...". */
int osdmap_print_object_map(const struct osdmap *m, const char *pool_name,
			    const char *nspace, const char *name, FILE *out);
/* One `ceph osd pool ls detail` line per pool (no trailing blank line). */
int osdmap_print_pool(const struct osdmap_pool *p, FILE *out);
int osdmap_print_pools(const struct osdmap *m, FILE *out);
/* `ceph osd dump` (plain). */
int osdmap_print_dump(const struct osdmap *m, FILE *out);
/* `ceph osd stat`; `now` decides the "(since ...)" spans. */
int osdmap_print_stat(const struct osdmap *m, struct osdmap_time now, FILE *out);
/* `ceph osd tree` (plain). */
int osdmap_print_tree(const struct osdmap *m, FILE *out);
/* The rows of `osd tree`, in its order: the CRUSH hierarchy without the
 * shadow trees (depth 0 for a root), then the OSDs in no bucket; weight
 * is the item's CRUSH weight in its parent (16.16).  *out is malloc'd. */
struct osdmap_tree_item {
	int32_t id;
	int depth;
	uint32_t weight;
};
int osdmap_tree_items(const struct osdmap *m, struct osdmap_tree_item **out, size_t *n);
/* Ceph's short time span: "0.697346s", "33s", "5m", "3h", "2d", "4w"... */
void osdmap_timespan_str(double seconds, char *buf, size_t len);

/* ---- json.c: Ceph's JSON shapes (jansson) ---- */

/*
 * Each returns a new jansson object (json_decref it) or NULL on -ENOMEM.
 * The type is void * here so users of this header need not include
 * jansson.h; cast to json_t *.
 */
void *osdmap_json_dump(const struct osdmap *m);          /* `osd dump` */
void *osdmap_json_pool(const struct osdmap_pool *p, bool ls_detail); /* one pool */
void *osdmap_json_pools(const struct osdmap *m);         /* `osd pool ls detail` */
void *osdmap_json_stat(const struct osdmap *m);          /* `osd stat` */
void *osdmap_json_tree(const struct osdmap *m);          /* `osd tree` */
void *osdmap_json_object_map(const struct osdmap *m, const char *pool_name,
			     const char *nspace, const char *name); /* `osd map` */
/* Write a JSON value as Ceph does: "json" compact, "json-pretty" with a
 * 4-space indent and a final newline.  0, -ENOMEM or -EIO. */
int osdmap_json_write(const void *json, const char *format, FILE *out);

#endif /* LOLIGO_OSDMAP_H */
