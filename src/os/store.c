/*
 * The object store: open/close, collections, and os_txn_apply(), which
 * turns a recorded transaction into copy-on-write data blocks plus one
 * synchronous RocksDB batch.
 *
 * DESIGN NOTES
 *
 * Layout.  `<dir>/db` is a RocksDB holding all metadata; `<dir>/block` is
 * one data file of OS_BLOCK_SIZE blocks.  An object's onode (onode.c) maps
 * each logical block to a physical block (0 = hole) and the crc32c of the
 * physical block's full contents.  xattrs and omap entries are RocksDB keys
 * of their own, so neither has a size limit beyond RocksDB's.
 *
 * Invariants:
 *  1. A physical block referenced by a committed onode is never written.
 *     New data always goes to blocks allocated from the in-memory bitmap
 *     (alloc.c), which marks every block a committed onode references.
 *  2. Data reaches the block file and is fsync'd BEFORE the RocksDB batch
 *     that references it is written with sync=true (txn_commit()).  So a
 *     committed onode only ever points at durable blocks, or at blocks
 *     whose contents the same batch carries (invariant 8).
 *  3. The RocksDB batch is the commit point: all onode, xattr, omap and
 *     collection changes of one transaction are in one batch, so after any
 *     crash each transaction is wholly present or wholly absent.
 *  4. Blocks an applied transaction stops referencing are freed in memory
 *     only after its batch is durable; blocks allocated by a failed
 *     transaction are freed at once.  Nothing persistent records free
 *     space: os_open() rebuilds the bitmap from the onodes, so blocks
 *     written by a transaction that never committed are simply free.
 *  5. Bytes of an object's last block beyond its size are zero (truncate
 *     rewrites the block with a zeroed tail), so extending an object never
 *     exposes old bytes.
 *  6. Every read of a physical block checks its crc32c against the onode;
 *     a mismatch is -EIO.
 *  7. After a data-file write or fsync fails, or a RocksDB write fails,
 *     the store is `failed` and refuses every call with -EIO: after a
 *     failed fsync the page cache can no longer be trusted.
 *  8. Deferred writes: a transaction that writes at most OS_DEFERRED_MAX
 *     bytes of data skips the data fsync and instead puts a copy of each
 *     new block in its batch (key D+pblk).  os_open() replays every D
 *     record into the block file, fsyncs, and deletes them.  The next
 *     transaction that fsyncs the data file (or os_close) deletes all D
 *     records in its batch.  A block freed while it has a D record is
 *     `held`, not reusable, until that deletion commits, so a replay can
 *     never overwrite a block that has been handed out again.
 *
 * Transaction states (os_txn_apply):
 *   BUILT --apply_op() each op--> STAGED (new blocks written, batch built;
 *         any op error -> ABORTED: free new blocks, drop the batch)
 *   STAGED --fsync data file, or put block copies in the batch (8)-->
 *         DATA_DURABLE --rocksdb_write(sync)-->
 *         COMMITTED (txn_commit) --free replaced blocks--> DONE
 * A crash before COMMITTED leaves the previous state (3, 4); after it, the
 * new one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "common/crc32c.h"
#include "os/internal.h"

static int posix_open(void *ctx, const char *path, int flags, mode_t mode)
{
	return open(path, flags, mode);
}

static ssize_t posix_pread(void *ctx, int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off);
}

static ssize_t posix_pwrite(void *ctx, int fd, const void *buf, size_t len, off_t off)
{
	return pwrite(fd, buf, len, off);
}

static int posix_fsync(void *ctx, int fd)
{
	return fsync(fd);
}

static int posix_close(void *ctx, int fd)
{
	return close(fd);
}

const struct os_disk_ops os_disk_posix = {
	.open = posix_open,
	.pread = posix_pread,
	.pwrite = posix_pwrite,
	.fsync = posix_fsync,
	.close = posix_close,
};

char *os__key(char prefix, const char *cid, const char *oid, const char *name, size_t *len)
{
	size_t cl = strlen(cid), ol = oid ? strlen(oid) + 1 : 0;
	size_t nl = name ? strlen(name) + 1 : 0;
	char *k = malloc(1 + cl + ol + nl + 1);
	if (!k)
		return NULL;
	k[0] = prefix;
	memcpy(k + 1, cid, cl);
	if (oid) {
		k[1 + cl] = '\0';
		memcpy(k + 2 + cl, oid, ol - 1);
	}
	if (name) {
		k[1 + cl + ol] = '\0';
		memcpy(k + 2 + cl + ol, name, nl - 1);
	}
	*len = 1 + cl + ol + nl;
	k[*len] = '\0';
	return k;
}

static void deferred_key(char *key, uint64_t pblk)
{
	key[0] = OS_KEY_DEFERRED;
	for (int i = 0; i < 8; i++)
		key[1 + i] = (char)(pblk >> (56 - 8 * i));
}

static bool in_set(const uint64_t *v, size_t n, uint64_t b)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == b)
			return true;
	return false;
}

int os__onode_load(struct os_store *st, const char *cid, const char *oid, struct os_onode *o)
{
	size_t klen, vlen;
	char *err = NULL;
	char *k = os__key(OS_KEY_ONODE, cid, oid, NULL, &klen);
	if (!k)
		return -ENOMEM;
	char *v = rocksdb_get(st->db, st->ropts, k, klen, &vlen, &err);
	free(k);
	if (err) {
		rocksdb_free(err);
		return -EIO;
	}
	if (!v)
		return -ENOENT;
	int r = os__onode_decode(v, vlen, o);
	rocksdb_free(v);
	return r;
}

bool os__coll_exists_locked(struct os_store *st, const char *cid)
{
	size_t klen, vlen;
	char *err = NULL;
	char *k = os__key(OS_KEY_COLL, cid, NULL, NULL, &klen);
	if (!k)
		return false;
	char *v = rocksdb_get(st->db, st->ropts, k, klen, &vlen, &err);
	free(k);
	if (err)
		rocksdb_free(err);
	if (v)
		rocksdb_free(v);
	return v != NULL;
}

int os__read_block(struct os_store *st, uint64_t pblk, uint32_t crc, void *buf)
{
	ssize_t n = st->disk->pread(st->disk_ctx, st->fd, buf, OS_BLOCK_SIZE,
				    (off_t)(pblk * OS_BLOCK_SIZE));
	if (n < 0)
		return -EIO;
	if ((size_t)n < OS_BLOCK_SIZE)
		memset((char *)buf + n, 0, OS_BLOCK_SIZE - (size_t)n);
	if (crc32c(buf, OS_BLOCK_SIZE) != crc)
		return -EIO;
	return 0;
}

/* Marks every block a committed onode references (invariant 4). */
static int store_rebuild_alloc(struct os_store *st)
{
	int r = 0;
	char prefix = OS_KEY_ONODE;
	rocksdb_iterator_t *it = rocksdb_create_iterator(st->db, st->ropts);
	for (rocksdb_iter_seek(it, &prefix, 1); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
		size_t klen, vlen;
		const char *k = rocksdb_iter_key(it, &klen);
		if (klen < 1 || k[0] != OS_KEY_ONODE)
			break;
		const char *v = rocksdb_iter_value(it, &vlen);
		struct os_onode o;
		r = os__onode_decode(v, vlen, &o);
		if (r)
			goto out_iter;
		st->data_stored += o.size;
		for (uint64_t i = 0; i < o.nblk && !r; i++)
			if (o.pblk[i])
				r = os__alloc_mark(&st->alloc, o.pblk[i]);
		os__onode_release(&o);
		if (r) {
			r = -EIO;
			goto out_iter;
		}
	}
out_iter:
	rocksdb_iter_destroy(it);
	return r;
}

/* Invariant 8: rewrite every deferred block, make it durable, forget it. */
static int store_replay_deferred(struct os_store *st)
{
	int r = 0;
	bool any = false;
	char lo = OS_KEY_DEFERRED, hi = OS_KEY_DEFERRED + 1, *err = NULL;
	rocksdb_iterator_t *it = rocksdb_create_iterator(st->db, st->ropts);
	for (rocksdb_iter_seek(it, &lo, 1); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
		size_t klen, vlen;
		const char *k = rocksdb_iter_key(it, &klen);
		if (klen < 1 || k[0] != OS_KEY_DEFERRED)
			break;
		const char *v = rocksdb_iter_value(it, &vlen);
		if (klen != 9 || vlen != OS_BLOCK_SIZE) {
			r = -EIO;
			goto out_iter;
		}
		uint64_t pblk = 0;
		for (int i = 0; i < 8; i++)
			pblk = pblk << 8 | (unsigned char)k[1 + i];
		if (st->disk->pwrite(st->disk_ctx, st->fd, v, OS_BLOCK_SIZE,
				     (off_t)(pblk * OS_BLOCK_SIZE)) != OS_BLOCK_SIZE) {
			r = -EIO;
			goto out_iter;
		}
		any = true;
	}
	if (any) {
		if (st->disk->fsync(st->disk_ctx, st->fd)) {
			r = -EIO;
			goto out_iter;
		}
		rocksdb_writebatch_t *wb = rocksdb_writebatch_create();
		rocksdb_writebatch_delete_range(wb, &lo, 1, &hi, 1);
		rocksdb_write(st->db, st->wopts, wb, &err);
		rocksdb_writebatch_destroy(wb);
		if (err) {
			rocksdb_free(err);
			r = -EIO;
		}
	}
out_iter:
	rocksdb_iter_destroy(it);
	return r;
}

/* Invariant 8, at close: fsync the data, then drop the D records. */
static void store_flush_deferred(struct os_store *st)
{
	char *err = NULL;
	if (st->failed || !st->ndeferred || st->disk->fsync(st->disk_ctx, st->fd))
		return;
	rocksdb_writebatch_t *wb = rocksdb_writebatch_create();
	for (size_t i = 0; i < st->ndeferred; i++) {
		char key[9];
		deferred_key(key, st->deferred[i]);
		rocksdb_writebatch_delete(wb, key, sizeof(key));
	}
	rocksdb_write(st->db, st->wopts, wb, &err);
	rocksdb_writebatch_destroy(wb);
	if (err)
		rocksdb_free(err);
}

int os_open(const char *dir, const struct os_opts *opts, struct os_store **out)
{
	int r;
	char path[4096];
	char *err = NULL;
	struct os_store *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->fd = -1;
	st->dir = strdup(dir);
	st->disk = opts && opts->disk ? opts->disk : &os_disk_posix;
	st->disk_ctx = opts ? opts->disk_ctx : NULL;
	st->max_object_size = opts && opts->max_object_size ? opts->max_object_size
							    : OS_DEFAULT_MAX_OBJECT_SIZE;
	pthread_mutex_init(&st->lock, NULL);
	os__alloc_init(&st->alloc);
	/* Fixed capacity: pushes after a commit must not fail. */
	st->capd = st->caph = OS_DEFERRED_PENDING_MAX;
	st->deferred = malloc(st->capd * sizeof(uint64_t));
	st->held = malloc(st->caph * sizeof(uint64_t));
	if (!st->deferred || !st->held || !st->dir) {
		r = -ENOMEM;
		goto out_free;
	}

	st->dbopts = rocksdb_options_create();
	rocksdb_options_set_create_if_missing(st->dbopts, 1);
	st->wopts = rocksdb_writeoptions_create();
	rocksdb_writeoptions_set_sync(st->wopts, 1);
	st->ropts = rocksdb_readoptions_create();
	snprintf(path, sizeof(path), "%s/db", dir);
	st->db = rocksdb_open(st->dbopts, path, &err);
	if (err) {
		rocksdb_free(err);
		r = -EIO;
		goto out_free;
	}
	snprintf(path, sizeof(path), "%s/block", dir);
	bool existed = access(path, F_OK) == 0;
	st->fd = st->disk->open(st->disk_ctx, path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (st->fd < 0) {
		r = -errno;
		goto out_free;
	}
	if (!existed) {
		/* The new name must survive a crash before any data lands. */
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	r = store_replay_deferred(st);
	if (!r)
		r = store_rebuild_alloc(st);
	if (r)
		goto out_free;
	*out = st;
	return 0;
out_free:
	os_close(st);
	return r;
}

void os_close(struct os_store *st)
{
	if (!st)
		return;
	if (st->db && st->fd >= 0)
		store_flush_deferred(st);
	if (st->fd >= 0)
		st->disk->close(st->disk_ctx, st->fd);
	if (st->db)
		rocksdb_close(st->db);
	rocksdb_options_destroy(st->dbopts);
	rocksdb_writeoptions_destroy(st->wopts);
	rocksdb_readoptions_destroy(st->ropts);
	os__alloc_release(&st->alloc);
	free(st->deferred);
	free(st->held);
	free(st->dir);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

/* ---- applying a transaction ---- */

struct txn_xattr {
	char *name;
	bool present;
};

struct txn_obj {
	char *cid, *oid;
	bool exists, dirty;
	uint64_t committed_size;	/* 0 if it did not exist */
	struct os_onode o;
	/* xattrs this txn set or removed, so rmxattr can say -ENODATA */
	struct txn_xattr *xs;
	size_t nxs;
	bool xattrs_cleared;	/* removed earlier in this txn */
};

struct txn_coll {
	char *cid;
	bool exists;
};

struct apply_ctx {
	struct os_store *st;
	rocksdb_writebatch_t *wb;
	struct txn_obj *objs;
	size_t nobjs;
	struct txn_coll *colls;
	size_t ncolls;
	uint64_t *allocd, *freed;
	size_t nallocd, capa, nfreed, capf;
	bool wrote, deferred, flushed;
	uint64_t now;
};

static int push_blk(uint64_t **v, size_t *n, size_t *cap, uint64_t b)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		uint64_t *nv = realloc(*v, c * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = b;
	return 0;
}

static struct txn_coll *ctx_coll(struct apply_ctx *c, const char *cid)
{
	for (size_t i = 0; i < c->ncolls; i++)
		if (!strcmp(c->colls[i].cid, cid))
			return &c->colls[i];
	struct txn_coll *nc = realloc(c->colls, (c->ncolls + 1) * sizeof(*nc));
	if (!nc)
		return NULL;
	c->colls = nc;
	struct txn_coll *tc = &c->colls[c->ncolls];
	tc->cid = strdup(cid);
	if (!tc->cid)
		return NULL;
	tc->exists = os__coll_exists_locked(c->st, cid);
	c->ncolls++;
	return tc;
}

/* The txn's view of an object; -ENOENT if its collection does not exist. */
static int ctx_obj(struct apply_ctx *c, const char *cid, const char *oid, struct txn_obj **out)
{
	struct txn_coll *tc = ctx_coll(c, cid);
	if (!tc)
		return -ENOMEM;
	if (!tc->exists)
		return -ENOENT;
	for (size_t i = 0; i < c->nobjs; i++)
		if (!strcmp(c->objs[i].cid, cid) && !strcmp(c->objs[i].oid, oid)) {
			*out = &c->objs[i];
			return 0;
		}
	struct txn_obj *no = realloc(c->objs, (c->nobjs + 1) * sizeof(*no));
	if (!no)
		return -ENOMEM;
	c->objs = no;
	struct txn_obj *to = &c->objs[c->nobjs];
	memset(to, 0, sizeof(*to));
	int r = os__onode_load(c->st, cid, oid, &to->o);
	if (r && r != -ENOENT)
		return r;
	to->exists = r == 0;
	to->committed_size = to->o.size;
	to->cid = strdup(cid);
	to->oid = strdup(oid);
	c->nobjs++;	/* counted now so cleanup frees it */
	if (!to->cid || !to->oid)
		return -ENOMEM;
	*out = to;
	return 0;
}

static int release_blk(struct apply_ctx *c, uint64_t b)
{
	return b ? push_blk(&c->freed, &c->nfreed, &c->capf, b) : 0;
}

/* Writes n whole blocks from buf as logical blocks b0.. of the object, to
 * freshly allocated physical blocks (invariant 1). */
static int write_blocks(struct apply_ctx *c, struct txn_obj *to, uint64_t b0,
			uint64_t n, const char *buf)
{
	struct os_store *st = c->st;
	uint64_t i = 0;
	while (i < n) {
		uint64_t start, got;
		int r = os__alloc_run(&st->alloc, n - i, &start, &got);
		if (r)
			return r;
		for (uint64_t k = 0; k < got; k++) {
			if (push_blk(&c->allocd, &c->nallocd, &c->capa, start + k)) {
				for (uint64_t j = k; j < got; j++)
					os__alloc_free(&st->alloc, start + j);
				return -ENOMEM;
			}
		}
		size_t len = (size_t)(got * OS_BLOCK_SIZE), done = 0;
		while (done < len) {
			ssize_t w = st->disk->pwrite(st->disk_ctx, st->fd, buf + i * OS_BLOCK_SIZE + done,
						     len - done,
						     (off_t)(start * OS_BLOCK_SIZE + done));
			if (w <= 0) {
				st->failed = true;	/* invariant 7 */
				return -EIO;
			}
			done += (size_t)w;
		}
		for (uint64_t k = 0; k < got; k++) {
			uint64_t lb = b0 + i + k;
			r = release_blk(c, to->o.pblk[lb]);
			if (r)
				return r;
			to->o.pblk[lb] = start + k;
			to->o.crc[lb] = crc32c(buf + (i + k) * OS_BLOCK_SIZE, OS_BLOCK_SIZE);
		}
		i += got;
	}
	c->wrote = true;
	return 0;
}

/* Writes len bytes at off (data NULL: zeros), merging partial blocks. */
static int obj_write(struct apply_ctx *c, struct txn_obj *to, uint64_t off,
		     uint64_t len, const void *data)
{
	int r;
	if (off > c->st->max_object_size || len > c->st->max_object_size - off)
		return -EFBIG;
	if (len == 0)
		return 0;
	uint64_t end = off + len, b0 = off / OS_BLOCK_SIZE, b1 = (end - 1) / OS_BLOCK_SIZE;
	uint64_t n = b1 - b0 + 1;
	if (end > to->o.size) {
		r = os__onode_resize(&to->o, (end + OS_BLOCK_SIZE - 1) / OS_BLOCK_SIZE);
		if (r)
			return r;
		to->o.size = end;
	}
	char *buf = calloc(n, OS_BLOCK_SIZE);
	if (!buf)
		return -ENOMEM;
	if (off % OS_BLOCK_SIZE && to->o.pblk[b0]) {
		r = os__read_block(c->st, to->o.pblk[b0], to->o.crc[b0], buf);
		if (r)
			goto out_buf;
	}
	if (end % OS_BLOCK_SIZE && to->o.pblk[b1] && (b1 != b0 || !(off % OS_BLOCK_SIZE))) {
		r = os__read_block(c->st, to->o.pblk[b1], to->o.crc[b1],
				   buf + (n - 1) * OS_BLOCK_SIZE);
		if (r)
			goto out_buf;
	}
	char *dst = buf + off % OS_BLOCK_SIZE;
	if (data)
		memcpy(dst, data, (size_t)len);
	else
		memset(dst, 0, (size_t)len);
	r = write_blocks(c, to, b0, n, buf);
out_buf:
	free(buf);
	return r;
}

static int obj_zero(struct apply_ctx *c, struct txn_obj *to, uint64_t off, uint64_t len)
{
	if (off > c->st->max_object_size || len > c->st->max_object_size - off)
		return -EFBIG;
	uint64_t end = off + len;
	uint64_t fb = (off + OS_BLOCK_SIZE - 1) / OS_BLOCK_SIZE, fe = end / OS_BLOCK_SIZE;
	if (fb >= fe)	/* no whole block inside */
		return obj_write(c, to, off, len, NULL);
	int r = obj_write(c, to, off, fb * OS_BLOCK_SIZE - off, NULL);
	if (!r)
		r = obj_write(c, to, fe * OS_BLOCK_SIZE, end - fe * OS_BLOCK_SIZE, NULL);
	if (r)
		return r;
	if (end > to->o.size) {
		r = os__onode_resize(&to->o, (end + OS_BLOCK_SIZE - 1) / OS_BLOCK_SIZE);
		if (r)
			return r;
		to->o.size = end;
	}
	for (uint64_t b = fb; b < fe; b++) {
		r = release_blk(c, to->o.pblk[b]);
		if (r)
			return r;
		to->o.pblk[b] = 0;
		to->o.crc[b] = 0;
	}
	return 0;
}

static int obj_truncate(struct apply_ctx *c, struct txn_obj *to, uint64_t size)
{
	int r;
	if (size > c->st->max_object_size)
		return -EFBIG;
	uint64_t nblk = (size + OS_BLOCK_SIZE - 1) / OS_BLOCK_SIZE;
	if (size >= to->o.size) {
		r = os__onode_resize(&to->o, nblk);
		if (!r)
			to->o.size = size;
		return r;
	}
	for (uint64_t b = nblk; b < to->o.nblk; b++) {
		r = release_blk(c, to->o.pblk[b]);
		if (r)
			return r;
	}
	to->o.nblk = nblk;
	to->o.size = size;
	uint64_t last = nblk ? nblk - 1 : 0;
	if (size % OS_BLOCK_SIZE && to->o.pblk[last]) {
		/* Invariant 5: rewrite the last block with a zero tail. */
		char *buf = malloc(OS_BLOCK_SIZE);
		if (!buf)
			return -ENOMEM;
		r = os__read_block(c->st, to->o.pblk[last], to->o.crc[last], buf);
		if (!r) {
			memset(buf + size % OS_BLOCK_SIZE, 0, OS_BLOCK_SIZE - size % OS_BLOCK_SIZE);
			r = write_blocks(c, to, last, 1, buf);
		}
		free(buf);
		return r;
	}
	return 0;
}

static int obj_kv_prefix_clear(struct apply_ctx *c, char prefix, const struct txn_obj *to)
{
	size_t klen;
	char *k = os__key(prefix, to->cid, to->oid, "", &klen);
	if (!k)
		return -ENOMEM;
	char *end = malloc(klen);
	if (!end) {
		free(k);
		return -ENOMEM;
	}
	memcpy(end, k, klen);
	end[klen - 1] = '\1';	/* just past every "<prefix>\0..." key */
	rocksdb_writebatch_delete_range(c->wb, k, klen, end, klen);
	free(end);
	free(k);
	return 0;
}

static int obj_kv_put(struct apply_ctx *c, char prefix, const struct txn_obj *to,
		      const struct os_op *op, bool del)
{
	size_t klen;
	char *k = os__key(prefix, to->cid, to->oid, op->name, &klen);
	if (!k)
		return -ENOMEM;
	if (del)
		rocksdb_writebatch_delete(c->wb, k, klen);
	else
		rocksdb_writebatch_put(c->wb, k, klen, op->data, (size_t)op->len);
	free(k);
	return 0;
}

static struct txn_xattr *xattr_find(struct txn_obj *to, const char *name)
{
	for (size_t i = 0; i < to->nxs; i++)
		if (!strcmp(to->xs[i].name, name))
			return &to->xs[i];
	return NULL;
}

static int xattr_note(struct txn_obj *to, const char *name, bool present)
{
	struct txn_xattr *x = xattr_find(to, name);
	if (!x) {
		struct txn_xattr *nx = realloc(to->xs, (to->nxs + 1) * sizeof(*nx));
		if (!nx)
			return -ENOMEM;
		to->xs = nx;
		x = &to->xs[to->nxs];
		x->name = strdup(name);
		if (!x->name)
			return -ENOMEM;
		to->nxs++;
	}
	x->present = present;
	return 0;
}

/* Does the object have xattr `name` at this point of the txn? */
static int xattr_present(struct apply_ctx *c, struct txn_obj *to, const char *name)
{
	struct txn_xattr *x = xattr_find(to, name);
	if (x)
		return x->present;
	if (to->xattrs_cleared)
		return 0;
	size_t klen, vlen;
	char *err = NULL;
	char *k = os__key(OS_KEY_XATTR, to->cid, to->oid, name, &klen);
	if (!k)
		return -ENOMEM;
	char *v = rocksdb_get(c->st->db, c->st->ropts, k, klen, &vlen, &err);
	free(k);
	if (err) {
		rocksdb_free(err);
		return -EIO;
	}
	rocksdb_free(v);
	return v != NULL;
}

static int coll_op(struct apply_ctx *c, const struct os_op *op)
{
	size_t klen;
	struct txn_coll *tc = ctx_coll(c, op->cid);
	if (!tc)
		return -ENOMEM;
	if (op->type == OS_OP_MKCOLL && tc->exists)
		return -EEXIST;
	if (op->type == OS_OP_RMCOLL) {
		if (!tc->exists)
			return -ENOENT;
		for (size_t i = 0; i < c->nobjs; i++)
			if (c->objs[i].exists && !strcmp(c->objs[i].cid, op->cid))
				return -ENOTEMPTY;
		/* Any committed object the txn has not removed? */
		char *p = os__key(OS_KEY_ONODE, op->cid, "", NULL, &klen);
		if (!p)
			return -ENOMEM;
		int r = 0;
		rocksdb_iterator_t *it = rocksdb_create_iterator(c->st->db, c->st->ropts);
		for (rocksdb_iter_seek(it, p, klen); rocksdb_iter_valid(it) && !r;
		     rocksdb_iter_next(it)) {
			size_t kl;
			const char *k = rocksdb_iter_key(it, &kl);
			if (kl < klen || memcmp(k, p, klen))
				break;
			bool removed = false;
			for (size_t i = 0; i < c->nobjs; i++)
				if (!strcmp(c->objs[i].cid, op->cid) &&
				    strlen(c->objs[i].oid) == kl - klen &&
				    !memcmp(c->objs[i].oid, k + klen, kl - klen))
					removed = !c->objs[i].exists;
			if (!removed)
				r = -ENOTEMPTY;
		}
		rocksdb_iter_destroy(it);
		free(p);
		if (r)
			return r;
	}
	char *k = os__key(OS_KEY_COLL, op->cid, NULL, NULL, &klen);
	if (!k)
		return -ENOMEM;
	if (op->type == OS_OP_MKCOLL)
		rocksdb_writebatch_put(c->wb, k, klen, "", 0);
	else
		rocksdb_writebatch_delete(c->wb, k, klen);
	free(k);
	tc->exists = op->type == OS_OP_MKCOLL;
	return 0;
}

static int apply_op(struct apply_ctx *c, const struct os_op *op)
{
	struct txn_obj *to;
	int r;
	if (op->type == OS_OP_MKCOLL || op->type == OS_OP_RMCOLL)
		return coll_op(c, op);
	r = ctx_obj(c, op->cid, op->oid, &to);
	if (r)
		return r;
	bool was = to->exists;
	switch (op->type) {
	case OS_OP_REMOVE:
	case OS_OP_RMXATTR:
	case OS_OP_OMAP_RM:
	case OS_OP_OMAP_CLEAR:
		if (!was)
			return -ENOENT;
		break;
	case OS_OP_CREATE:
		if (was && op->exclusive)
			return -EEXIST;
		break;
	default:
		break;
	}
	to->exists = true;
	to->dirty = true;
	to->o.mtime_ns = c->now;
	switch (op->type) {
	case OS_OP_MKCOLL:
	case OS_OP_RMCOLL:
	case OS_OP_TOUCH:
	case OS_OP_CREATE:
		return 0;
	case OS_OP_WRITE:
		return obj_write(c, to, op->off, op->len, op->data);
	case OS_OP_WRITE_FULL:
		if (op->len > c->st->max_object_size)
			return -EFBIG;
		r = obj_truncate(c, to, 0);
		return r ? r : obj_write(c, to, 0, op->len, op->data);
	case OS_OP_APPEND:
		return obj_write(c, to, to->o.size, op->len, op->data);
	case OS_OP_TRUNCATE:
		return obj_truncate(c, to, op->off);
	case OS_OP_ZERO:
		return obj_zero(c, to, op->off, op->len);
	case OS_OP_REMOVE:
		r = obj_truncate(c, to, 0);
		if (!r)
			r = obj_kv_prefix_clear(c, OS_KEY_XATTR, to);
		if (!r)
			r = obj_kv_prefix_clear(c, OS_KEY_OMAP, to);
		to->exists = false;
		to->xattrs_cleared = true;
		for (size_t i = 0; i < to->nxs; i++)
			to->xs[i].present = false;
		return r;
	case OS_OP_SETXATTR:
		r = xattr_note(to, op->name, true);
		return r ? r : obj_kv_put(c, OS_KEY_XATTR, to, op, false);
	case OS_OP_RMXATTR:
		r = xattr_present(c, to, op->name);
		if (r < 0)
			return r;
		if (!r)
			return -ENODATA;
		r = xattr_note(to, op->name, false);
		return r ? r : obj_kv_put(c, OS_KEY_XATTR, to, op, true);
	case OS_OP_OMAP_SET:
		return obj_kv_put(c, OS_KEY_OMAP, to, op, false);
	case OS_OP_OMAP_RM:
		return obj_kv_put(c, OS_KEY_OMAP, to, op, true);
	case OS_OP_OMAP_CLEAR:
		return obj_kv_prefix_clear(c, OS_KEY_OMAP, to);
	}
	return -EINVAL;
}

/* Invariants 2 and 3: data fsync, then the one synchronous batch. */
static int txn_commit(struct apply_ctx *c)
{
	struct os_store *st = c->st;
	char *err = NULL;
	for (size_t i = 0; i < c->nobjs; i++) {
		struct txn_obj *to = &c->objs[i];
		if (!to->dirty)
			continue;
		size_t klen, vlen;
		char *k = os__key(OS_KEY_ONODE, to->cid, to->oid, NULL, &klen), *v = NULL;
		if (!k)
			return -ENOMEM;
		if (to->exists) {
			if (os__onode_encode(&to->o, &v, &vlen)) {
				free(k);
				return -ENOMEM;
			}
			rocksdb_writebatch_put(c->wb, k, klen, v, vlen);
		} else {
			rocksdb_writebatch_delete(c->wb, k, klen);
		}
		free(v);
		free(k);
	}
	c->deferred = c->wrote && c->nallocd * OS_BLOCK_SIZE <= OS_DEFERRED_MAX &&
		      st->ndeferred + c->nallocd <= OS_DEFERRED_PENDING_MAX;
	if (c->deferred) {
		char *blk = malloc(OS_BLOCK_SIZE);
		if (!blk)
			return -ENOMEM;
		for (size_t i = 0; i < c->nallocd; i++) {
			char key[9];
			deferred_key(key, c->allocd[i]);
			ssize_t n = st->disk->pread(st->disk_ctx, st->fd, blk, OS_BLOCK_SIZE,
						    (off_t)(c->allocd[i] * OS_BLOCK_SIZE));
			if (n != OS_BLOCK_SIZE) {
				free(blk);
				st->failed = true;
				return -EIO;
			}
			rocksdb_writebatch_put(c->wb, key, sizeof(key), blk, OS_BLOCK_SIZE);
		}
		free(blk);
	} else if (c->wrote || st->ndeferred) {
		if (st->disk->fsync(st->disk_ctx, st->fd)) {
			st->failed = true;
			return -EIO;
		}
		for (size_t i = 0; i < st->ndeferred; i++) {
			char key[9];
			deferred_key(key, st->deferred[i]);
			rocksdb_writebatch_delete(c->wb, key, sizeof(key));
		}
		c->flushed = true;
	}
	rocksdb_write(st->db, st->wopts, c->wb, &err);
	if (err) {
		rocksdb_free(err);
		st->failed = true;
		return -EIO;
	}
	return 0;
}

int os_txn_apply(struct os_store *st, struct os_txn *t)
{
	int r = 0;
	struct timespec ts;
	struct apply_ctx c = { .st = st };
	if (t->error)
		return t->error;
	clock_gettime(CLOCK_REALTIME, &ts);
	c.now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	pthread_mutex_lock(&st->lock);
	if (st->failed) {
		r = -EIO;
		goto out_unlock;
	}
	c.wb = rocksdb_writebatch_create();
	for (size_t i = 0; i < t->nops && !r; i++)
		r = apply_op(&c, &t->ops[i]);
	if (!r)
		r = txn_commit(&c);
	/* Invariants 4 and 8. */
	if (!r) {
		if (c.flushed) {
			for (size_t i = 0; i < st->nheld; i++)
				os__alloc_free(&st->alloc, st->held[i]);
			st->nheld = st->ndeferred = 0;
		}
		for (size_t i = 0; c.deferred && i < c.nallocd; i++)
			if (push_blk(&st->deferred, &st->ndeferred, &st->capd, c.allocd[i]))
				abort();	/* cannot fail: capacity is reserved below */
		for (size_t i = 0; i < c.nobjs; i++)
			st->data_stored += (c.objs[i].exists ? c.objs[i].o.size : 0) -
					   c.objs[i].committed_size;
		for (size_t i = 0; i < c.nfreed; i++) {
			if (in_set(st->deferred, st->ndeferred, c.freed[i])) {
				if (push_blk(&st->held, &st->nheld, &st->caph, c.freed[i]))
					abort();
			} else {
				os__alloc_free(&st->alloc, c.freed[i]);
			}
		}
	} else {
		for (size_t i = 0; i < c.nallocd; i++)
			os__alloc_free(&st->alloc, c.allocd[i]);
	}
	rocksdb_writebatch_destroy(c.wb);
	for (size_t i = 0; i < c.nobjs; i++) {
		free(c.objs[i].cid);
		free(c.objs[i].oid);
		os__onode_release(&c.objs[i].o);
		for (size_t j = 0; j < c.objs[i].nxs; j++)
			free(c.objs[i].xs[j].name);
		free(c.objs[i].xs);
	}
	for (size_t i = 0; i < c.ncolls; i++)
		free(c.colls[i].cid);
	free(c.objs);
	free(c.colls);
	free(c.allocd);
	free(c.freed);
out_unlock:
	pthread_mutex_unlock(&st->lock);
	return r;
}

static int one_coll_op(struct os_store *st, const char *cid, bool create)
{
	struct os_txn *t = os_txn_create();
	if (!t)
		return -ENOMEM;
	int r = create ? os_txn_create_collection(t, cid) : os_txn_remove_collection(t, cid);
	if (!r)
		r = os_txn_apply(st, t);
	os_txn_destroy(t);
	return r;
}

int os_collection_create(struct os_store *st, const char *cid)
{
	return one_coll_op(st, cid, true);
}

int os_collection_remove(struct os_store *st, const char *cid)
{
	return one_coll_op(st, cid, false);
}

bool os_collection_exists(struct os_store *st, const char *cid)
{
	pthread_mutex_lock(&st->lock);
	bool e = os__coll_exists_locked(st, cid);
	pthread_mutex_unlock(&st->lock);
	return e;
}

int os_statfs(struct os_store *st, struct os_statfs *out)
{
	struct statvfs vfs;
	uint64_t live = 0, mem = 0;
	memset(out, 0, sizeof(*out));
	if (statvfs(st->dir, &vfs))
		return -errno;
	out->total = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	out->available = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	/* RocksDB's estimate of its live SST data, plus what sits in the
	 * memtables not yet flushed (the WAL holds a copy of the latter). */
	rocksdb_property_int(st->db, "rocksdb.estimate-live-data-size", &live);
	rocksdb_property_int(st->db, "rocksdb.cur-size-all-mem-tables", &mem);
	out->omap_allocated = live + mem;
	pthread_mutex_lock(&st->lock);
	int r = st->failed ? -EIO : 0;
	out->data_stored = st->data_stored;
	out->data_allocated = st->alloc.used * OS_BLOCK_SIZE;
	pthread_mutex_unlock(&st->lock);
	return r;
}
