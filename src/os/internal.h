/*
 * Private to libos, grouped by the file that defines each function.
 */
#ifndef LOLIGO_OS_INTERNAL_H
#define LOLIGO_OS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <rocksdb/c.h>

#include "os/os.h"

/* RocksDB key prefixes (one byte, then the fields, NUL-separated). */
#define OS_KEY_COLL 'C'		/* C cid */
#define OS_KEY_ONODE 'O'	/* O cid \0 oid */
#define OS_KEY_XATTR 'X'	/* X cid \0 oid \0 name */
#define OS_KEY_OMAP 'M'		/* M cid \0 oid \0 key */
#define OS_KEY_DEFERRED 'D'	/* D be64(pblk) -> block contents */

/* Transactions writing at most this much data commit it in the RocksDB
 * batch too and skip the data fsync (store.c, invariant 8). */
#define OS_DEFERRED_MAX (256u * 1024)
#define OS_DEFERRED_PENDING_MAX 256

/* alloc.c: a bitmap of data-file blocks; block 0 is never handed out. */
struct os_alloc {
	uint64_t *bits;
	uint64_t nblocks;	/* blocks the bitmap covers */
	uint64_t cursor;	/* next-fit start */
	uint64_t used;
};
int os__alloc_init(struct os_alloc *a);
void os__alloc_release(struct os_alloc *a);
int os__alloc_mark(struct os_alloc *a, uint64_t blk);
/* A run of 1..want free blocks; *start, *got. */
int os__alloc_run(struct os_alloc *a, uint64_t want, uint64_t *start, uint64_t *got);
void os__alloc_free(struct os_alloc *a, uint64_t blk);

/* onode.c: the per-object metadata record. */
struct os_onode {
	uint64_t size;
	uint64_t mtime_ns;
	uint64_t nblk;		/* == ceil(size / OS_BLOCK_SIZE) */
	uint64_t *pblk;		/* 0: hole (reads as zeros) */
	uint32_t *crc;		/* crc32c of the whole block */
};
int os__onode_decode(const char *buf, size_t len, struct os_onode *o);
int os__onode_encode(const struct os_onode *o, char **buf, size_t *len);
int os__onode_resize(struct os_onode *o, uint64_t nblk);
void os__onode_release(struct os_onode *o);

/* store.c */

/* A pending D record (invariant 8): the block's copy is in RocksDB. */
struct os_dent {
	uint64_t pblk;
	bool deleting;		/* claimed by a txn whose batch deletes it */
	bool held;		/* freed meanwhile: released when the record goes */
};

/* What one in-flight transaction has locked (invariant 9). */
struct os_lockkey {
	uint64_t hcid, hoid;
	const char *cid, *oid;	/* borrowed from the txn's ops */
	uint8_t mode;		/* OS_LOCK_* */
};
enum { OS_LOCK_COLL_SHARED, OS_LOCK_COLL_EXCL, OS_LOCK_OBJ };
struct os_lockset {
	struct os_lockset *next;
	struct os_lockkey *keys;
	size_t n;
};

struct os_store {
	/* Guards every field below that is not marked otherwise.  Held only
	 * for in-memory bookkeeping, never across I/O (invariant 10). */
	pthread_mutex_t lock;
	pthread_cond_t lock_cv;		/* an in-flight lock set went away */
	pthread_cond_t sync_cv;		/* a data-file sync finished */
	char *dir;			/* immutable */
	rocksdb_t *db;			/* thread-safe */
	rocksdb_options_t *dbopts;
	rocksdb_writeoptions_t *wopts;
	rocksdb_readoptions_t *ropts;
	const struct os_disk_ops *disk;	/* immutable; thread-safe */
	void *disk_ctx;
	int fd;				/* the block file; immutable */
	uint64_t max_object_size;	/* immutable */
	_Atomic bool failed;		/* an I/O error: refuse everything */
	uint64_t data_stored;		/* sum of committed object sizes */
	struct os_alloc alloc;
	struct os_lockset *inflight;
	/* Data-file group sync: syncs started / completed, one at a time. */
	uint64_t dsync_started, dsync_done;
	bool dsync_running;
	/* Pending D records, at most OS_DEFERRED_PENDING_MAX including the
	 * `dreserved` slots promised to txns now committing. */
	struct os_dent *dents;
	size_t ndents, dreserved;
	/* Reader epochs (invariant 11): blocks freed during epoch e wait in
	 * limbo[e & 1] until no read that began in epoch e is running. */
	uint64_t epoch;
	uint64_t readers[2];
	uint64_t *limbo[2];
	size_t nlimbo[2], caplimbo[2];
};
/* Key builders: malloc'd, length in *len. */
char *os__key(char prefix, const char *cid, const char *oid, const char *name, size_t *len);
/* Loads the committed onode through `ro` (NULL: st->ropts); -ENOENT,
 * -EIO (corrupt), -ENOMEM. */
int os__onode_load(struct os_store *st, const rocksdb_readoptions_t *ro, const char *cid,
		   const char *oid, struct os_onode *o);
bool os__coll_exists(struct os_store *st, const rocksdb_readoptions_t *ro, const char *cid);
int os__read_block(struct os_store *st, uint64_t pblk, uint32_t crc, void *buf);
/* A data read in progress (invariant 11): returns the epoch slot to hand
 * back to os__reader_exit(), or -EIO if the store has failed. */
int os__reader_enter(struct os_store *st);
void os__reader_exit(struct os_store *st, int slot);

/* txn.c: the recorded ops. */
enum os_op_type {
	OS_OP_MKCOLL, OS_OP_RMCOLL, OS_OP_TOUCH, OS_OP_CREATE, OS_OP_WRITE,
	OS_OP_WRITE_FULL, OS_OP_APPEND, OS_OP_TRUNCATE, OS_OP_ZERO,
	OS_OP_REMOVE, OS_OP_SETXATTR, OS_OP_RMXATTR, OS_OP_OMAP_SET,
	OS_OP_OMAP_RM, OS_OP_OMAP_CLEAR,
};
struct os_op {
	enum os_op_type type;
	char *cid, *oid, *name;
	uint64_t off, len;
	void *data;
	bool exclusive;
	bool borrowed;		/* data is the caller's, not freed here */
};
struct os_txn {
	struct os_op *ops;
	size_t nops, cap;
	int error;		/* first builder failure */
	bool borrow;		/* os_txn_borrow_data() */
};

#endif
