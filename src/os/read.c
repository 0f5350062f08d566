/*
 * The read side: data reads that verify every block's crc32c, stat, and
 * the sorted, paginated listings (xattrs, omap, objects, collections), all
 * of which are range scans over one RocksDB key prefix.  Reads take no
 * lock across I/O and see committed state only; a call that reads several
 * keys reads them from one RocksDB snapshot, and a data read holds a
 * reader epoch so the blocks it found cannot be reused under it (store.c,
 * invariant 11).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/crc32c.h"
#include "os/internal.h"

#define READ_RUN_MAX 256	/* blocks per pread: 1 MiB */

/* Reads physical blocks pblk[0..n) (consecutive on disk) into buf and
 * checks each against its crc (invariant 6 in store.c). */
static int read_run(struct os_store *st, const uint64_t *pblk, const uint32_t *crc,
		    uint64_t n, char *buf)
{
	size_t len = (size_t)(n * OS_BLOCK_SIZE), done = 0;
	while (done < len) {
		ssize_t r = st->disk->pread(st->disk_ctx, st->fd, buf + done, len - done,
					    (off_t)(pblk[0] * OS_BLOCK_SIZE + done));
		if (r < 0)
			return -EIO;
		if (r == 0) {	/* past the end of the file: reads as zeros */
			memset(buf + done, 0, len - done);
			break;
		}
		done += (size_t)r;
	}
	for (uint64_t i = 0; i < n; i++)
		if (crc32c(buf + i * OS_BLOCK_SIZE, OS_BLOCK_SIZE) != crc[i])
			return -EIO;
	return 0;
}

ssize_t os_read(struct os_store *st, const char *cid, const char *oid,
		uint64_t off, size_t len, void *buf)
{
	struct os_onode o;
	ssize_t r;
	uint64_t span = ((off % OS_BLOCK_SIZE) + (uint64_t)len + OS_BLOCK_SIZE - 1) / OS_BLOCK_SIZE;
	char *tmp = malloc((size_t)(span < READ_RUN_MAX ? (span ? span : 1) : READ_RUN_MAX) *
			   OS_BLOCK_SIZE);
	if (!tmp)
		return -ENOMEM;
	int slot = os__reader_enter(st);
	if (slot < 0) {
		free(tmp);
		return slot;
	}
	r = os__onode_load(st, NULL, cid, oid, &o);
	if (r)
		goto out_exit;
	if (off >= o.size) {
		r = 0;
		goto out_onode;
	}
	if (len > o.size - off)
		len = (size_t)(o.size - off);
	if (len > SSIZE_MAX)
		len = SSIZE_MAX & ~(size_t)(OS_BLOCK_SIZE - 1);
	for (size_t done = 0; done < len;) {
		uint64_t pos = off + done, b = pos / OS_BLOCK_SIZE;
		size_t in = (size_t)(pos % OS_BLOCK_SIZE);
		uint64_t last = (off + len - 1) / OS_BLOCK_SIZE, n = 1;
		if (!o.pblk[b]) {
			size_t k = OS_BLOCK_SIZE - in;
			if (k > len - done)
				k = len - done;
			memset((char *)buf + done, 0, k);
			done += k;
			continue;
		}
		uint64_t cap = span < READ_RUN_MAX ? span : READ_RUN_MAX;
		while (b + n <= last && n < cap && o.pblk[b + n] == o.pblk[b] + n)
			n++;
		uint64_t whole = in ? 0 : (len - done) / OS_BLOCK_SIZE;
		if (whole) {
			/* Whole blocks: straight into the caller's buffer (whose
			 * contents are unspecified when we fail). */
			if (whole > n)
				whole = n;
			r = read_run(st, &o.pblk[b], &o.crc[b], whole, (char *)buf + done);
			if (r)
				goto out_onode;
			done += (size_t)(whole * OS_BLOCK_SIZE);
			continue;
		}
		r = read_run(st, &o.pblk[b], &o.crc[b], n, tmp);
		if (r)
			goto out_onode;
		size_t k = (size_t)(n * OS_BLOCK_SIZE) - in;
		if (k > len - done)
			k = len - done;
		memcpy((char *)buf + done, tmp + in, k);
		done += k;
	}
	r = (ssize_t)len;
out_onode:
	os__onode_release(&o);
out_exit:
	os__reader_exit(st, slot);
	free(tmp);
	return r;
}

int os_stat(struct os_store *st, const char *cid, const char *oid, struct os_stat *out)
{
	struct os_onode o;
	int r = atomic_load(&st->failed) ? -EIO : os__onode_load(st, NULL, cid, oid, &o);
	if (r)
		return r;
	out->size = o.size;
	out->mtime_ns = o.mtime_ns;
	os__onode_release(&o);
	return 0;
}

/* A consistent view for calls that read more than one key. */
struct rview {
	const rocksdb_snapshot_t *snap;
	rocksdb_readoptions_t *ro;
};

static int rview_open(struct os_store *st, struct rview *v)
{
	if (atomic_load(&st->failed))
		return -EIO;
	v->ro = rocksdb_readoptions_create();
	v->snap = rocksdb_create_snapshot(st->db);
	rocksdb_readoptions_set_snapshot(v->ro, v->snap);
	return 0;
}

static void rview_close(struct os_store *st, struct rview *v)
{
	rocksdb_readoptions_destroy(v->ro);
	rocksdb_release_snapshot(st->db, v->snap);
}

void os_kvs_free(struct os_kv *kvs, size_t n)
{
	for (size_t i = 0; kvs && i < n; i++) {
		free(kvs[i].key);
		free(kvs[i].val);
	}
	free(kvs);
}

/* Entries of keys `prefix`+suffix, in order, suffix > start_after. */
static int scan(struct os_store *st, const rocksdb_readoptions_t *ro, const char *prefix,
		size_t plen, const char *start_after, size_t max, bool vals, struct os_kv **kvs,
		size_t *n, bool *more)
{
	int r = 0;
	size_t cnt = 0, cap = 0;
	struct os_kv *v = NULL;
	char *seek = NULL;
	size_t slen = plen + (start_after ? strlen(start_after) : 0);
	if (more)
		*more = false;
	seek = malloc(slen + 1);
	if (!seek)
		return -ENOMEM;
	memcpy(seek, prefix, plen);
	if (start_after)
		memcpy(seek + plen, start_after, slen - plen);
	rocksdb_iterator_t *it = rocksdb_create_iterator(st->db, ro);
	for (rocksdb_iter_seek(it, seek, slen); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
		size_t kl, vl;
		const char *k = rocksdb_iter_key(it, &kl);
		if (kl < plen || memcmp(k, prefix, plen))
			break;
		if (start_after && kl == slen && !memcmp(k, seek, slen))
			continue;
		if (memchr(k + plen, '\0', kl - plen))
			continue;	/* a deeper key (e.g. an xattr under an onode prefix) */
		if (cnt == max) {
			if (more)
				*more = true;
			break;
		}
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			struct os_kv *nv = realloc(v, cap * sizeof(*nv));
			if (!nv) {
				r = -ENOMEM;
				goto out_free;
			}
			v = nv;
		}
		memset(&v[cnt], 0, sizeof(v[cnt]));
		v[cnt].key = strndup(k + plen, kl - plen);
		cnt++;
		if (!v[cnt - 1].key) {
			r = -ENOMEM;
			goto out_free;
		}
		if (vals) {
			const char *val = rocksdb_iter_value(it, &vl);
			v[cnt - 1].val = malloc(vl ? vl : 1);
			if (!v[cnt - 1].val) {
				r = -ENOMEM;
				goto out_free;
			}
			memcpy(v[cnt - 1].val, val, vl);
			v[cnt - 1].val_len = vl;
		}
	}
	*kvs = v;
	*n = cnt;
	v = NULL;
	cnt = 0;
out_free:
	os_kvs_free(v, cnt);
	rocksdb_iter_destroy(it);
	free(seek);
	return r;
}

/* Checks that the object exists, then scans its `kind` keys. */
static int obj_scan(struct os_store *st, char kind, const char *cid, const char *oid,
		    const char *start_after, size_t max, bool vals,
		    struct os_kv **kvs, size_t *n, bool *more)
{
	struct os_onode o;
	struct rview v;
	size_t plen;
	int r = rview_open(st, &v);
	if (r)
		return r;
	r = os__onode_load(st, v.ro, cid, oid, &o);
	if (r)
		goto out_view;
	os__onode_release(&o);
	char *p = os__key(kind, cid, oid, "", &plen);
	if (!p) {
		r = -ENOMEM;
		goto out_view;
	}
	r = scan(st, v.ro, p, plen, start_after, max, vals, kvs, n, more);
	free(p);
out_view:
	rview_close(st, &v);
	return r;
}

int os_getxattr(struct os_store *st, const char *cid, const char *oid,
		const char *name, void **val, size_t *len)
{
	struct os_onode o;
	struct rview rv;
	size_t klen, vlen;
	char *err = NULL;
	int r = rview_open(st, &rv);
	if (r)
		return r;
	r = os__onode_load(st, rv.ro, cid, oid, &o);
	if (r)
		goto out_view;
	os__onode_release(&o);
	char *k = os__key(OS_KEY_XATTR, cid, oid, name, &klen);
	if (!k) {
		r = -ENOMEM;
		goto out_view;
	}
	char *v = rocksdb_get(st->db, rv.ro, k, klen, &vlen, &err);
	free(k);
	if (err) {
		rocksdb_free(err);
		r = -EIO;
	} else if (!v) {
		r = -ENODATA;
	} else {
		*val = malloc(vlen ? vlen : 1);
		if (*val) {
			memcpy(*val, v, vlen);
			*len = vlen;
		} else {
			r = -ENOMEM;
		}
		rocksdb_free(v);
	}
out_view:
	rview_close(st, &rv);
	return r;
}

int os_getxattrs(struct os_store *st, const char *cid, const char *oid,
		 struct os_kv **kvs, size_t *n)
{
	return obj_scan(st, OS_KEY_XATTR, cid, oid, NULL, SIZE_MAX, true, kvs, n, NULL);
}

int os_omap_get_keys(struct os_store *st, const char *cid, const char *oid,
		     const char *start_after, size_t max,
		     struct os_kv **kvs, size_t *n, bool *more)
{
	return obj_scan(st, OS_KEY_OMAP, cid, oid, start_after, max, false, kvs, n, more);
}

int os_omap_get_vals(struct os_store *st, const char *cid, const char *oid,
		     const char *start_after, size_t max,
		     struct os_kv **kvs, size_t *n, bool *more)
{
	return obj_scan(st, OS_KEY_OMAP, cid, oid, start_after, max, true, kvs, n, more);
}

int os_omap_get_vals_by_keys(struct os_store *st, const char *cid, const char *oid,
			     const char *const *keys, size_t nkeys,
			     struct os_kv **kvs, size_t *n)
{
	struct os_onode o;
	struct os_kv *v = NULL;
	struct rview rv;
	size_t cnt = 0;
	int r = rview_open(st, &rv);
	if (r)
		return r;
	r = os__onode_load(st, rv.ro, cid, oid, &o);
	if (r)
		goto out_view;
	os__onode_release(&o);
	v = calloc(nkeys ? nkeys : 1, sizeof(*v));
	if (!v) {
		r = -ENOMEM;
		goto out_view;
	}
	for (size_t i = 0; i < nkeys && !r; i++) {
		size_t klen, vlen;
		char *err = NULL;
		char *k = os__key(OS_KEY_OMAP, cid, oid, keys[i], &klen);
		if (!k) {
			r = -ENOMEM;
			break;
		}
		char *val = rocksdb_get(st->db, rv.ro, k, klen, &vlen, &err);
		free(k);
		if (err) {
			rocksdb_free(err);
			r = -EIO;
			break;
		}
		if (!val)
			continue;
		v[cnt].key = strdup(keys[i]);
		v[cnt].val = malloc(vlen ? vlen : 1);
		v[cnt].val_len = vlen;
		cnt++;
		if (!v[cnt - 1].key || !v[cnt - 1].val)
			r = -ENOMEM;
		else
			memcpy(v[cnt - 1].val, val, vlen);
		rocksdb_free(val);
	}
	if (!r) {
		*kvs = v;
		*n = cnt;
		v = NULL;
	}
out_view:
	rview_close(st, &rv);
	os_kvs_free(v, cnt);
	return r;
}

static int kvs_to_names(struct os_kv *kvs, size_t n, char ***names)
{
	char **a = calloc(n ? n : 1, sizeof(*a));
	if (!a) {
		os_kvs_free(kvs, n);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		a[i] = kvs[i].key;
		free(kvs[i].val);
	}
	free(kvs);
	*names = a;
	return 0;
}

int os_list_objects(struct os_store *st, const char *cid, const char *start_after,
		    size_t max, char ***names, size_t *n, bool *more)
{
	size_t plen;
	struct os_kv *kvs;
	struct rview v;
	int r = rview_open(st, &v);
	if (r)
		return r;
	if (!os__coll_exists(st, v.ro, cid)) {
		r = -ENOENT;
		goto out_view;
	}
	char *p = os__key(OS_KEY_ONODE, cid, "", NULL, &plen);
	if (!p) {
		r = -ENOMEM;
		goto out_view;
	}
	r = scan(st, v.ro, p, plen, start_after, max, false, &kvs, n, more);
	free(p);
	if (!r)
		r = kvs_to_names(kvs, *n, names);
out_view:
	rview_close(st, &v);
	return r;
}

int os_collection_list(struct os_store *st, char ***names, size_t *n)
{
	struct os_kv *kvs;
	char prefix = OS_KEY_COLL;
	int r = atomic_load(&st->failed) ? -EIO
		: scan(st, st->ropts, &prefix, 1, NULL, SIZE_MAX, false, &kvs, n, NULL);
	if (!r)
		r = kvs_to_names(kvs, *n, names);
	return r;
}
