/*
 * The OSD object store: a transactional local store of collections (one per
 * PG), each holding named objects with data, xattrs and an omap.  Metadata
 * lives in RocksDB; data lives in one block file written copy-on-write, so a
 * transaction is atomic and durable once os_txn_apply() returns 0.  See
 * docs/objectstore.md and the DESIGN NOTES in store.c.
 *
 * Contract: every call returns 0 (or a byte count) or a negative errno.
 * Names (collections, objects, xattrs, omap keys) are NUL-terminated
 * strings; object names are at most OS_MAX_NAME_LEN bytes.  Buffers the
 * store returns are malloc'd and owned by the caller (free(), or
 * os_kvs_free() for arrays of struct os_kv).  A store is safe to use from
 * several threads: transactions on different objects run concurrently and
 * share syncs, reads never wait for a sync; os_close() must come last.
 * After an I/O error on the data device the store refuses further work
 * with -EIO until it is closed and reopened.
 */
#ifndef LOLIGO_OS_H
#define LOLIGO_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Room for an OSD's store name: namespace, key and name (2048 bytes each)
 * with every byte escaped, and two separators. */
#define OS_MAX_NAME_LEN (6 * 2048 + 2)
#define OS_BLOCK_SIZE 4096u
#define OS_DEFAULT_MAX_OBJECT_SIZE (128ull << 20)

struct os_store;
struct os_txn;

/* The I/O the store performs on its data file, so tests can put a
 * simulated disk underneath (src/os/simdisk.c).  Same meaning and return
 * conventions as the POSIX calls (-1 and errno on failure). */
struct os_disk_ops {
	int (*open)(void *ctx, const char *path, int flags, mode_t mode);
	ssize_t (*pread)(void *ctx, int fd, void *buf, size_t len, off_t off);
	ssize_t (*pwrite)(void *ctx, int fd, const void *buf, size_t len, off_t off);
	int (*fsync)(void *ctx, int fd);
	int (*close)(void *ctx, int fd);
};

/* Plain POSIX calls. */
extern const struct os_disk_ops os_disk_posix;

struct os_opts {
	uint64_t max_object_size;		/* 0: OS_DEFAULT_MAX_OBJECT_SIZE */
	const struct os_disk_ops *disk;		/* NULL: os_disk_posix */
	void *disk_ctx;
};

struct os_stat {
	uint64_t size;
	uint64_t mtime_ns;	/* CLOCK_REALTIME at the last change */
};

struct os_kv {
	char *key;
	void *val;		/* NULL for key-only listings */
	size_t val_len;
};

/* Opens (creating if needed) the store in directory `dir`, which must
 * exist.  `opts` may be NULL.  Errors: -ENOMEM, -EIO (RocksDB or data file
 * could not be opened, or metadata is corrupt). */
int os_open(const char *dir, const struct os_opts *opts, struct os_store **out);
void os_close(struct os_store *st);

/* Collections.  Create: -EEXIST; remove: -ENOENT, -ENOTEMPTY. */
int os_collection_create(struct os_store *st, const char *cid);
int os_collection_remove(struct os_store *st, const char *cid);
bool os_collection_exists(struct os_store *st, const char *cid);
/* All collections in byte order; *names is a malloc'd array of malloc'd
 * strings (free each, then the array). */
int os_collection_list(struct os_store *st, char ***names, size_t *n);

/*
 * Transactions.  Builders only record the op (errors: -ENOMEM,
 * -ENAMETOOLONG, -EINVAL) and copy every argument; os_txn_apply() runs the
 * ops in order, all or nothing.  Ops that modify an object create it if
 * missing, except remove (-ENOENT) and create exclusive (-EEXIST); rmxattr
 * of a missing xattr is -ENODATA.  An op
 * on a missing collection fails with -ENOENT.  A write or truncate past the
 * store's max object size fails with -EFBIG.  When a builder fails, the
 * transaction is poisoned and os_txn_apply() returns that error.
 */
struct os_txn *os_txn_create(void);
void os_txn_destroy(struct os_txn *t);
int os_txn_create_collection(struct os_txn *t, const char *cid);
int os_txn_remove_collection(struct os_txn *t, const char *cid);
int os_txn_touch(struct os_txn *t, const char *cid, const char *oid);
int os_txn_create_object(struct os_txn *t, const char *cid, const char *oid, bool exclusive);
int os_txn_write(struct os_txn *t, const char *cid, const char *oid,
		 uint64_t off, uint64_t len, const void *data);
int os_txn_write_full(struct os_txn *t, const char *cid, const char *oid,
		      uint64_t len, const void *data);
int os_txn_append(struct os_txn *t, const char *cid, const char *oid,
		  uint64_t len, const void *data);
int os_txn_truncate(struct os_txn *t, const char *cid, const char *oid, uint64_t size);
int os_txn_zero(struct os_txn *t, const char *cid, const char *oid,
		uint64_t off, uint64_t len);
int os_txn_remove(struct os_txn *t, const char *cid, const char *oid);
int os_txn_setxattr(struct os_txn *t, const char *cid, const char *oid,
		    const char *name, const void *val, size_t len);
int os_txn_rmxattr(struct os_txn *t, const char *cid, const char *oid, const char *name);
int os_txn_omap_set(struct os_txn *t, const char *cid, const char *oid,
		    const char *key, const void *val, size_t len);
int os_txn_omap_rm(struct os_txn *t, const char *cid, const char *oid, const char *key);
int os_txn_omap_clear(struct os_txn *t, const char *cid, const char *oid);

/* Applies `t` atomically; returns 0 only once it is durable.  Safe to
 * call from several threads at once: concurrent transactions share one
 * sync (group commit). */
int os_txn_apply(struct os_store *st, struct os_txn *t);
/* Applies txns[0..n) in order as ONE atomic, durable unit (one batch,
 * one sync): each sees the effects of those before it, and either all of
 * them are applied or (on error) none is.  The OSD uses it to commit the
 * writes that queued up on a shard together. */
int os_txn_apply_many(struct os_store *st, struct os_txn *const *txns, size_t n);

/* Borrowing, to spare copying large buffers: while on, write, write_full
 * and append reference their data instead of copying it, and the caller
 * keeps that data unchanged until the txn is destroyed. */
void os_txn_borrow_data(struct os_txn *t, bool on);

/* Serializes a transaction (for replication: the primary builds it, the
 * replicas apply the same bytes) and back.  A poisoned transaction does
 * not encode (its error is returned; -EMSGSIZE for a data op over 4 GiB);
 * `b` then holds partial bytes and is only fit for enc_buf_release().
 * Decoding is bounds-checked and safe on hostile input, and takes exactly
 * one encoded txn (trailing bytes are refused): -EBADMSG, -ENOMEM,
 * -ENAMETOOLONG (a collection or object name over OS_MAX_NAME_LEN),
 * -EOPNOTSUPP (encoded by a newer, incompatible version).  On success *out
 * is a new txn the caller destroys; on failure *out is untouched. */
struct enc_buf;
int os_txn_encode(const struct os_txn *t, struct enc_buf *b);
int os_txn_decode(const void *buf, size_t len, struct os_txn **out);
/* The same, with every data blob referencing buf (which must outlive *out
 * unchanged) instead of copied. */
int os_txn_decode_ref(const void *buf, size_t len, struct os_txn **out);
/* Number of ops recorded, and the data bytes they carry. */
size_t os_txn_num_ops(const struct os_txn *t);
uint64_t os_txn_data_bytes(const struct os_txn *t);

/* Space of the store's file system and what the store uses. */
struct os_statfs {
	uint64_t total, available;      /* bytes of the file system */
	uint64_t data_stored;           /* logical object bytes */
	uint64_t data_allocated;        /* bytes of the blocks objects reference */
	uint64_t omap_allocated;        /* RocksDB live data size estimate */
};
int os_statfs(struct os_store *st, struct os_statfs *out);

/* Reads up to `len` bytes at `off` into `buf`; returns the byte count
 * (short at end of object, 0 past it).  -ENOENT, -EIO on checksum
 * mismatch (never wrong bytes). */
ssize_t os_read(struct os_store *st, const char *cid, const char *oid,
		uint64_t off, size_t len, void *buf);
int os_stat(struct os_store *st, const char *cid, const char *oid, struct os_stat *out);
/* -ENOENT (object), -ENODATA (xattr). */
int os_getxattr(struct os_store *st, const char *cid, const char *oid,
		const char *name, void **val, size_t *len);
int os_getxattrs(struct os_store *st, const char *cid, const char *oid,
		 struct os_kv **kvs, size_t *n);
/* Omap listings in key byte order, starting after `start_after` (NULL: from
 * the first key), at most `max` entries; *more tells whether keys remain. */
int os_omap_get_keys(struct os_store *st, const char *cid, const char *oid,
		     const char *start_after, size_t max,
		     struct os_kv **kvs, size_t *n, bool *more);
int os_omap_get_vals(struct os_store *st, const char *cid, const char *oid,
		     const char *start_after, size_t max,
		     struct os_kv **kvs, size_t *n, bool *more);
/* Values of those `keys` that exist, in the order given. */
int os_omap_get_vals_by_keys(struct os_store *st, const char *cid, const char *oid,
			     const char *const *keys, size_t nkeys,
			     struct os_kv **kvs, size_t *n);
/* Object names of a collection in byte order, after `start_after`. */
int os_list_objects(struct os_store *st, const char *cid, const char *start_after,
		    size_t max, char ***names, size_t *n, bool *more);
void os_kvs_free(struct os_kv *kvs, size_t n);

/* Simulated disk (simdisk.c): keeps the pre-image of every write not yet
 * fsync'd, and at the `crash_at_sync`-th fsync (1-based; 0 never) "loses
 * power": each unsynced write is kept, dropped or torn at a sector
 * boundary, chosen by `seed`, and that fsync and every later call fail. */
struct os_simdisk;
struct os_simdisk *os_simdisk_create(unsigned crash_at_sync, uint64_t seed);
void os_simdisk_destroy(struct os_simdisk *d);
extern const struct os_disk_ops os_disk_sim;
bool os_simdisk_crashed(const struct os_simdisk *d);
unsigned os_simdisk_syncs(const struct os_simdisk *d);

#endif
