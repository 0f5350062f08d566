/*
 * The OSD's private structures, grouped by the file that owns them:
 * osd.c (the daemon: boot, maps, messenger dispatch, peers, the tick),
 * shard.c (the sharded work queues), pg.c (PG state, log, intervals),
 * ops.c (client operations), repl.c (replication), hb.c (heartbeats and
 * PG stats), super.c (mkfs and the superblock), log.c.
 */
#ifndef LOLIGO_OSD_INTERNAL_H
#define LOLIGO_OSD_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg/msgr.h"
#include "os/os.h"
#include "osdc/osd_proto.h"
#include "osdmap/osdmap.h"

struct conf;
struct monc;
struct osd;
struct osd_pg;

/* ---- log.c ---- */

int osd__log_open(const char *path, bool to_stderr, int level);
void osd__log_close(void);
bool osd__log_enabled(int level);
void osd__log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define dout(level, ...)                                                         \
	do {                                                                     \
		if (osd__log_enabled(level))                                     \
			osd__log(level, __VA_ARGS__);                            \
	} while (0)

/* ---- super.c ---- */

#define OSD_META_COLL "meta"
#define OSD_SUPERBLOCK_OID "osd_superblock"

struct osd_superblock {
	uint8_t cluster_fsid[16];
	uint8_t osd_uuid[16];
	int32_t whoami;
};

int osd__superblock_read(struct os_store *st, struct osd_superblock *sb);
struct enc_buf;
int osd__superblock_encode(const struct osd_superblock *sb, struct enc_buf *b);
/* Bounds-checked (fuzzed: tests/fuzz/fuzz_osd_proto.c). */
int osd__superblock_decode(const void *buf, size_t len, struct osd_superblock *sb);

/* ---- shard.c: work items and queues ---- */

enum osd_item_type {
	OSD_ITEM_OP,          /* a client op (decoded in op) */
	OSD_ITEM_REPOP,       /* a replica write (decoded in repop) */
	OSD_ITEM_REPOP_REPLY, /* a replica's answer (decoded in rr) */
	OSD_ITEM_MAP,         /* advance this shard's PGs to `map` */
};

struct osd_item {
	struct osd_item *next;
	enum osd_item_type type;
	struct msgr_msg *msg;  /* referenced; the decoded fields borrow it */
	struct osdmap *map;    /* OSD_ITEM_MAP: referenced */
	uint32_t need_epoch;   /* parked until our map reaches it */
	union {
		struct osd_op_msg op;
		struct osd_repop repop;
		struct osd_repop_reply rr;
	} u;
};

void osd__item_free(struct osd_item *it);

/* One worker thread and the PGs it owns.  The PG table and each PG's
 * state are the worker's alone; `lock` guards the queue and the fields
 * other threads read (PG stats, peers, the table's shape). */
struct osd_shard {
	struct osd *osd;
	unsigned idx;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct osd_item *head, *tail;
	bool stop;
	/* worker-owned; changed under `lock` so the tick may read them */
	struct osd_pg **pgs; /* sorted by (pool, ps) */
	size_t n_pgs, cap_pgs;
	struct osdmap *map;  /* the epoch this shard's PGs reflect */
	struct osd_batch *batch; /* worker-owned: writes not yet applied */
};

unsigned osd__shard_of(const struct osd *osd, int64_t pool, uint32_t ps);
void osd__enqueue(struct osd_shard *sh, struct osd_item *it);
int osd__shards_start(struct osd *osd);
/* Stops and joins the workers; osd__shards_release() then frees what is
 * left (queued items, PGs) once nothing can enqueue any more. */
void osd__shards_stop(struct osd *osd);
void osd__shards_release(struct osd *osd);

/* ---- pg.c ---- */

#define OSD_PGMETA_OID "_pgmeta"
#define OSD_LOG_KEEP 3000
#define OSD_VER_XATTR "ver"        /* internal: struct osd_obj_ver */
#define OSD_OMAP_HDR_XATTR "omaphdr" /* internal: the omap header */

enum osd_pg_role { PG_ROLE_NONE = 0, PG_ROLE_PRIMARY, PG_ROLE_REPLICA, PG_ROLE_STRAY };

/* Per OSD, persisted in the pgmeta omap key "info". */
struct osd_pg_info {
	struct osd_eversion last_update;   /* newest log entry applied here */
	struct osd_eversion last_complete; /* everything up to it is here */
	uint64_t log_tail;                 /* entries <= this are trimmed */
	uint32_t same_interval_since;
	uint32_t last_epoch_started;
};

/* Written by the primary, carried to replicas in the same txn: "stats". */
struct osd_pg_stats {
	uint64_t num_objects;
	uint64_t num_bytes;
	uint64_t last_user_version;
	/* client I/O as primary (Ceph's num_rd/num_wr and their KiB): the
	 * write counters are stored with the write that moves them, the read
	 * counters with the next write */
	uint64_t num_rd, num_rd_bytes, num_wr, num_wr_bytes;
};

/* Internal xattr of every object: its last modification. */
struct osd_obj_ver {
	struct osd_eversion version;
	uint64_t user_version;
};

/* A completed request, remembered for duplicate detection. */
struct osd_dup {
	struct osd_dup *hnext;  /* hash chain */
	struct osd_dup *fnext;  /* FIFO by version, for trimming */
	struct osd_reqid reqid;
	struct osd_eversion version;
	uint64_t user_version;
	int32_t result;
};

#define OSD_DUP_BUCKETS 1024

/* A write the primary has applied and replicated, not yet acknowledged. */
struct osd_inflight {
	struct osd_inflight *next;
	struct osd_repop rp;      /* entry.soid: soid; txn: txn, later repop's */
	char *soid;
	uint8_t *txn;             /* the encoded txn until repop holds it */
	size_t txnlen;
	struct msgr_payload *repop; /* encoded at rp.epoch, shared by sends */
	struct osd_reqid reqid;
	struct msgr_conn *client; /* referenced */
	uint64_t client_tid;
	uint8_t *reply;           /* encoded OSD_MSG_OP_REPLY (epoch patched) */
	size_t reply_len;
	bool local_pending;       /* in the shard's batch, not yet durable here */
	int n_waiting;
	int waiting[OSDMAP_MAX_POOL_SIZE]; /* replicas not yet durable */
	int n_acked;
	int acked[OSDMAP_MAX_POOL_SIZE];   /* replicas that answered */
};

struct osd_pg {
	int64_t pool;
	uint32_t ps;
	char cid[64];
	char pgid[40];
	/* from the map (pg.c: osd__pg_advance) */
	uint32_t map_epoch;
	enum osd_pg_role role;
	int n_up, up_primary, n_acting, primary;
	int up[OSDMAP_MAX_POOL_SIZE], acting[OSDMAP_MAX_POOL_SIZE];
	uint32_t acting_up_from[OSDMAP_MAX_POOL_SIZE];
	uint8_t pool_size, pool_min_size;
	uint32_t state;           /* PG_STATE_*, for reports */
	/* persisted */
	struct osd_pg_info info;
	struct osd_pg_stats stats;
	/* duplicate detection */
	struct osd_dup *dups[OSD_DUP_BUCKETS];
	struct osd_dup *dup_head, *dup_tail;
	size_t n_dups;
	/* primary */
	struct osd_inflight *inflight, *inflight_tail;
	size_t n_inflight;
	struct osd_item *wait_commit, *wait_commit_tail; /* reads, dups behind writes */
	struct osd_item *wait_active, *wait_active_tail; /* below min_size */
	bool deleting;
	/* batch.c: the PG has writes in its shard's batch; batch_info is
	 * its info before the first of them */
	bool batched;
	struct osd_pg_info batch_info;
};

int osd__pg_info_encode(const struct osd_pg_info *i, struct enc_buf *b);
int osd__pg_info_decode(const void *buf, size_t len, struct osd_pg_info *i);
int osd__pg_stats_encode(const struct osd_pg_stats *s, struct enc_buf *b);
int osd__pg_stats_decode(const void *buf, size_t len, struct osd_pg_stats *s);
int osd__pg_create(struct osd *osd, int64_t pool, uint32_t ps, struct osd_pg **out);
void osd__pg_destroy(struct osd_pg *pg);
/* Loads info, stats and the log's reqids from the store. */
int osd__pg_load(struct osd *osd, struct osd_pg *pg);
/* Adds the ops that create the PG's collection and pgmeta to t. */
int osd__pg_txn_init(struct osd_pg *pg, struct os_txn *t);
int osd__pg_txn_info(struct osd_pg *pg, struct os_txn *t);
int osd__pg_txn_stats(struct osd_pg *pg, struct os_txn *t);
/* Adds the log entry to t (and this OSD's trim and info). */
int osd__pg_txn_log(struct osd_pg *pg, const struct osd_log_entry *e, struct os_txn *t);
int osd__pg_txn_trim(struct osd_pg *pg, struct os_txn *t);
/* Advances info.log_tail by at most a few entries beyond OSD_LOG_KEEP
 * (the removals are written later by osd__pg_txn_meta). */
void osd__pg_trim_advance(struct osd_pg *pg);
/* Removes the log entries (old_tail, info->log_tail] and writes *info. */
int osd__pg_txn_meta(struct osd_pg *pg, const struct osd_pg_info *info, uint64_t old_tail,
		     struct os_txn *t);
void osd__pg_dup_add(struct osd_pg *pg, const struct osd_reqid *id, struct osd_eversion v,
		     uint64_t uv, int32_t result);
const struct osd_dup *osd__pg_dup_find(const struct osd_pg *pg, const struct osd_reqid *id);
/* Recomputes role, sets and interval from `map`; returns true when a new
 * interval began. */
bool osd__pg_advance(struct osd *osd, struct osd_pg *pg, const struct osdmap *map);
void osd__pg_update_state(struct osd_pg *pg);
bool osd__pg_is_active(const struct osd_pg *pg);
/* Moves every item of a wait list back to the front of the shard queue. */
void osd__pg_requeue(struct osd_shard *sh, struct osd_item **head, struct osd_item **tail);
void osd__pg_park(struct osd_item **head, struct osd_item **tail, struct osd_item *it);

/* The shard's PG table. */
struct osd_pg *osd__shard_pg(struct osd_shard *sh, int64_t pool, uint32_t ps);
int osd__shard_pg_insert(struct osd_shard *sh, struct osd_pg *pg);
void osd__shard_pg_remove(struct osd_shard *sh, struct osd_pg *pg);
/* Processes a new map for every PG of the shard. */
void osd__shard_advance_map(struct osd_shard *sh, struct osdmap *map);

int osd__obj_ver_get(struct osd *osd, const char *cid, const char *soid,
		     struct osd_obj_ver *v);

/* ---- batch.c: writes a shard commits together ---- */

/* The worker runs every queued write (client writes on PGs it leads,
 * repops on PGs it replicates) into a batch, and commits the batch as ONE
 * store unit (os_txn_apply_many: one sync) when its queue runs dry or the
 * batch is full; only then are the writes acknowledged.  Later writes to
 * an object with a write in the batch see its projected state (exists,
 * size, version); a message that must read the store (reads, guards on
 * data, xattrs or omap) flushes the batch first. */
struct osd_batch_obj { /* projected state of an object with batched writes */
	struct osd_pg *pg;
	char *soid;
	bool exists;
	uint64_t size;
	struct osd_obj_ver ver;
};

int osd__batch_init(struct osd_shard *sh);
void osd__batch_release(struct osd_shard *sh);
bool osd__batch_empty(const struct osd_shard *sh);
/* Projected state of (pg, soid), or NULL when no batched write names it. */
const struct osd_batch_obj *osd__batch_obj(const struct osd_shard *sh,
					   const struct osd_pg *pg, const char *soid);
/* The primary's write: the client's item and t (both taken: t may borrow
 * the message's data), f (already in pg->inflight, its
 * local_pending set until the batch is durable), the object's state after
 * it, and the reqid/version for the dup index.  pg->info already carries
 * the write.  Flushes when the batch is full. */
void osd__batch_add_primary(struct osd_shard *sh, struct osd_pg *pg, struct osd_item *it,
			    struct os_txn *t, struct osd_inflight *f,
			    const struct osd_batch_obj *after);
/* A replica's repop: the item and its decoded t (both taken); advances
 * pg->info.  Answered once durable.  Flushes when the batch is full. */
void osd__batch_add_replica(struct osd_shard *sh, struct osd_pg *pg, struct osd_item *it,
			    struct os_txn *t, bool contiguous);
/* Commits the batch and completes its writes (no-op when empty). */
void osd__batch_flush(struct osd_shard *sh);

/* ---- ops.c ---- */

/* Handles one client op on the shard (may park the item). */
void osd__op_handle(struct osd_shard *sh, struct osd_item *it);
/* Sends a reply carrying only result/epoch/flags. */
void osd__op_reply_simple(struct osd *osd, struct msgr_conn *c, const struct osd_op_msg *m,
			  int result, uint32_t flags, uint64_t version);

/* ---- repl.c ---- */

/* The primary: replicate an applied write; takes ownership of f. */
void osd__repl_start(struct osd_shard *sh, struct osd_pg *pg, struct osd_inflight *f);
/* Acknowledges, in version order, the in-flight writes every acting
 * replica has made durable. */
void osd__repl_complete(struct osd_shard *sh, struct osd_pg *pg);
void osd__repl_handle_repop(struct osd_shard *sh, struct osd_item *it);
void osd__repl_handle_reply(struct osd_shard *sh, struct osd_item *it);
void osd__repl_send_repop_reply(struct osd_shard *sh, struct msgr_conn *c,
				const struct osd_repop *rp, int result);
/* A new interval: resend to the new acting set, complete what can be. */
void osd__repl_new_interval(struct osd_shard *sh, struct osd_pg *pg);
void osd__inflight_free(struct osd_inflight *f);
bool osd__pg_obj_inflight(const struct osd_pg *pg, const char *soid);
const struct osd_inflight *osd__pg_reqid_inflight(const struct osd_pg *pg,
						  const struct osd_reqid *id);

/* ---- osd.c ---- */

#define OSD_MAX_PEERS OSDMAP_MAX_OSD

struct osd_peer {
	struct msgr_conn *conn;  /* to the peer's address below */
	char addr[OSDMAP_ADDR_MAX];
	uint32_t nonce;
	uint64_t last_tx_ns, last_rx_ns, first_tx_ns; /* heartbeats */
	bool reported_slow;
};

struct osd {
	int whoami;
	char name[32];
	struct conf *conf;
	struct os_store *store;
	struct osd_superblock sb;
	struct msgr *msgr;
	struct msgr_addr addr;
	char addr_str[MSGR_ADDR_STRLEN];
	uint32_t nonce;
	_Atomic(struct monc *) monc;

	/* config */
	uint64_t max_object_size;
	uint64_t hb_interval_ms, hb_grace_ms;
	uint64_t max_pgls;

	/* the newest map (any thread may read it under map_lock) */
	pthread_mutex_t map_lock;
	struct osdmap *map;
	atomic_bool booted;   /* seen ourselves up at our address */
	atomic_bool stopping;

	/* ops and repops waiting for a newer map */
	pthread_mutex_t wait_lock;
	struct osd_item *wait_map, *wait_map_tail;

	/* peers: connections and heartbeats */
	pthread_mutex_t peers_lock;
	struct osd_peer *peers; /* max_peers entries, grown on demand */
	int n_peers;

	unsigned n_shards;
	struct osd_shard *shards;

	atomic_uint_fast64_t next_tid;
	atomic_bool stats_dirty;

	/* store commits of the shards' batches: total time and count, and
	 * (stats tick only) the values at the last report */
	atomic_uint_fast64_t commit_ns, commits;
	uint64_t commit_ns_reported, commits_reported;
};

/* The newest map, referenced (NULL before the first). */
struct osdmap *osd__map(struct osd *osd);
/* A connection to OSD `id` at its address in `map` (referenced; NULL if
 * the map has no address for it). */
struct msgr_conn *osd__peer_conn(struct osd *osd, int id, const struct osdmap *map);
/* Parks an item until the map reaches `epoch`. */
void osd__wait_for_map(struct osd *osd, struct osd_item *it, uint32_t epoch);
uint64_t osd__now_ns(void);

/* ---- hb.c ---- */

void osd__heartbeat_tick(struct osd *osd);
void osd__heartbeat_rx(struct osd *osd, struct msgr_conn *c, struct msgr_msg *m);
void osd__stats_send(struct osd *osd);

#endif
