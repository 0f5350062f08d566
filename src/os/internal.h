/*
 * Private to libos, grouped by the file that defines each function.
 */
#ifndef LOLIGO_OS_INTERNAL_H
#define LOLIGO_OS_INTERNAL_H

#include <pthread.h>
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
#define OS_DEFERRED_MAX (64u * 1024)
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
struct os_store {
	pthread_mutex_t lock;
	char *dir;
	rocksdb_t *db;
	rocksdb_options_t *dbopts;
	rocksdb_writeoptions_t *wopts;
	rocksdb_readoptions_t *ropts;
	const struct os_disk_ops *disk;
	void *disk_ctx;
	int fd;			/* the block file */
	uint64_t max_object_size;
	bool failed;		/* an I/O error: refuse everything */
	uint64_t data_stored;	/* sum of committed object sizes */
	struct os_alloc alloc;
	/* Blocks with a live D record (invariant 8), and blocks freed while
	 * they had one: not reusable until the records are deleted. */
	uint64_t *deferred, *held;
	size_t ndeferred, capd, nheld, caph;
};
/* Key builders: malloc'd, length in *len. */
char *os__key(char prefix, const char *cid, const char *oid, const char *name, size_t *len);
/* Loads the onode; -ENOENT, -EIO (corrupt), -ENOMEM. Caller holds lock. */
int os__onode_load(struct os_store *st, const char *cid, const char *oid, struct os_onode *o);
bool os__coll_exists_locked(struct os_store *st, const char *cid);
int os__read_block(struct os_store *st, uint64_t pblk, uint32_t crc, void *buf);

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
};
struct os_txn {
	struct os_op *ops;
	size_t nops, cap;
	int error;		/* first builder failure */
};

#endif
