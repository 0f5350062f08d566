/*
 * Client operations (OSD_MSG_OP) on the primary.  A message is checked
 * (map epoch, pool, primacy, PG active), then its sub-ops run in order
 * against one object: reads straight from the store, writes into ONE
 * store transaction that also carries the object's new version, the PG
 * log entry and the PG stats (pg.c, invariant 1).  A write message is
 * all-or-nothing: the first failing sub-op (without FAILOK) abandons the
 * transaction and its error is the reply's result.  Guards (cmpext,
 * cmpxattr, omap_cmp, assert_*) and reads inside a write message see the
 * object as it was before the message.  Accepted writes go to repl.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "osd/internal.h"
#include "osdmap/placement.h"

#define MAX_ERRNO 4095
#define OMAP_MAX_ENTRIES 131072u

struct op_ctx {
	struct osd *osd;
	struct osd_pg *pg;
	const struct osd_op_msg *m;
	const char *soid;
	bool existed, exists;
	uint64_t old_size, size, mtime_ns;
	struct osd_obj_ver ver;
	struct os_txn *t; /* NULL for a read message */
	bool modified;
	struct osd_op *rops;  /* reply ops: rval and out */
	uint8_t **outs;       /* malloc'd outputs, freed after the reply */
	/* client I/O of the ops that succeeded, for the PG's counters */
	uint64_t rd, rd_bytes, wr, wr_bytes;
};

#define OPC_WRITE 1u /* modifies the object */
#define OPC_BLIND 2u /* needs nothing of the object but its existence, size
		      * and version: runs on the projected state of an
		      * object whose previous writes are still in the
		      * shard's batch (batch.c) */

#define KIB_UP(n) (((uint64_t)(n) + 1023u) & ~(uint64_t)1023u)

static unsigned op_class(uint16_t op)
{
	switch (op) {
	case OSD_OP_WRITE:
	case OSD_OP_WRITE_FULL:
	case OSD_OP_APPEND:
	case OSD_OP_TRUNCATE:
	case OSD_OP_ZERO:
	case OSD_OP_DELETE:
	case OSD_OP_CREATE:
	case OSD_OP_SETXATTR:
	case OSD_OP_OMAP_SET:
	case OSD_OP_OMAP_RM_KEYS:
	case OSD_OP_OMAP_CLEAR:
	case OSD_OP_OMAP_SET_HEADER:
		return OPC_WRITE | OPC_BLIND;
	case OSD_OP_RMXATTR: /* reads the xattr: only one that exists is removed */
		return OPC_WRITE;
	case OSD_OP_ASSERT_EXISTS:
	case OSD_OP_ASSERT_VERSION:
	case OSD_OP_SET_ALLOC_HINT:
		return OPC_BLIND;
	default:
		return 0;
	}
}

static bool op_is_write(uint16_t op)
{
	return op_class(op) & OPC_WRITE;
}

static bool msg_blind(const struct osd_op_msg *m)
{
	for (size_t i = 0; i < m->n_ops; i++)
		if (!(op_class(m->ops[i].op) & OPC_BLIND))
			return false;
	return true;
}

/* ---- replies ---- */

static void send_reply(struct osd *osd, struct msgr_conn *c, const struct osd_op_reply *r)
{
	struct enc_buf b;
	uint8_t *p;
	size_t len;

	enc_buf_init(&b);
	len = 256;
	for (size_t i = 0; i < r->n_ops; i++)
		len += r->ops[i].outlen + 64;
	enc_buf_reserve(&b, len); /* large reads: one copy, no regrowth */
	osd_op_reply_encode(r, &b);
	p = enc_buf_detach(&b, &len);
	if (!p) {
		dout(0, "out of memory encoding a reply (tid %llu)", (unsigned long long)r->tid);
		return;
	}
	msgr_send_take(c, OSD_MSG_OP_REPLY, p, len);
}

void osd__op_reply_simple(struct osd *osd, struct msgr_conn *c, const struct osd_op_msg *m,
			  int result, uint32_t flags, uint64_t version)
{
	struct osd_op_reply r = { .tid = m->tid, .result = result, .flags = flags,
				  .version = version };
	struct osdmap *map = osd__map(osd);
	struct osd_op *ops = calloc(m->n_ops ? m->n_ops : 1, sizeof(*ops));

	r.epoch = map ? map->epoch : 0;
	osdmap_put(map);
	if (ops) {
		for (size_t i = 0; i < m->n_ops; i++) {
			ops[i].op = m->ops[i].op;
			ops[i].flags = m->ops[i].flags;
			ops[i].name = "";
		}
		r.ops = ops;
		r.n_ops = m->n_ops;
	}
	send_reply(osd, c, &r);
	free(ops);
}

/* ---- helpers ---- */

static int set_out(struct op_ctx *c, size_t i, uint8_t *p, size_t len)
{
	c->outs[i] = p;
	c->rops[i].out = p;
	c->rops[i].outlen = len;
	return 0;
}

static int set_out_enc(struct op_ctx *c, size_t i, struct enc_buf *b)
{
	size_t len;
	uint8_t *p;

	if (enc_buf_error(b)) {
		enc_buf_release(b);
		return -ENOMEM;
	}
	p = enc_buf_detach(b, &len);
	if (!p)
		return -ENOMEM;
	return set_out(c, i, p, len);
}

static char *user_xattr(const char *name)
{
	size_t n = strlen(name);
	char *k = malloc(n + 2);

	if (!k)
		return NULL;
	k[0] = '_';
	memcpy(k + 1, name, n + 1);
	return k;
}

static int cmp_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int r = n ? memcmp(a, b, n) : 0;

	if (r)
		return r;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* 0 when `have <mode> want` holds, -ECANCELED when not. */
static int cmp_mode(uint64_t mode, int cmp)
{
	bool ok;

	switch (mode) {
	case OSD_CMP_EQ: ok = cmp == 0; break;
	case OSD_CMP_NE: ok = cmp != 0; break;
	case OSD_CMP_GT: ok = cmp > 0; break;
	case OSD_CMP_GTE: ok = cmp >= 0; break;
	case OSD_CMP_LT: ok = cmp < 0; break;
	case OSD_CMP_LTE: ok = cmp <= 0; break;
	default: return -EINVAL;
	}
	return ok ? 0 : -ECANCELED;
}

static int check_size(struct op_ctx *c, uint64_t off, uint64_t len)
{
	if (off > c->osd->max_object_size || len > c->osd->max_object_size - off)
		return -EFBIG;
	return 0;
}

/* ---- reads ---- */

static int do_read(struct op_ctx *c, size_t i, const struct osd_op *op)
{
	uint64_t len;
	uint8_t *buf;
	ssize_t n;

	if (!c->existed)
		return -ENOENT;
	if (op->off >= c->old_size)
		return set_out(c, i, NULL, 0);
	len = c->old_size - op->off;
	if (op->len && op->len < len)
		len = op->len;
	if (len > OSD_PROTO_DATA_MAX)
		len = OSD_PROTO_DATA_MAX;
	buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	n = os_read(c->osd->store, c->pg->cid, c->soid, op->off, len, buf);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	return set_out(c, i, buf, (size_t)n);
}

static int do_cmpext(struct op_ctx *c, const struct osd_op *op)
{
	uint8_t *buf;
	ssize_t n = 0;
	int r = 0;

	if (!c->existed)
		return -ENOENT;
	if (!op->datalen)
		return 0;
	buf = calloc(1, op->datalen);
	if (!buf)
		return -ENOMEM;
	if (op->off < c->old_size)
		n = os_read(c->osd->store, c->pg->cid, c->soid, op->off, op->datalen, buf);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	for (size_t k = 0; k < op->datalen; k++)
		if (buf[k] != op->data[k]) {
			r = -MAX_ERRNO - (int)k;
			break;
		}
	free(buf);
	return r;
}

static int do_getxattrs(struct op_ctx *c, size_t i)
{
	struct os_kv *kv = NULL;
	struct osd_kv *out;
	size_t n = 0, m = 0;
	struct enc_buf b;
	int r;

	r = os_getxattrs(c->osd->store, c->pg->cid, c->soid, &kv, &n);
	if (r)
		return r;
	out = calloc(n ? n : 1, sizeof(*out));
	if (!out) {
		os_kvs_free(kv, n);
		return -ENOMEM;
	}
	for (size_t k = 0; k < n; k++) {
		if (kv[k].key[0] != '_')
			continue;
		out[m].key = kv[k].key + 1;
		out[m].val = kv[k].val;
		out[m].val_len = kv[k].val_len;
		m++;
	}
	enc_buf_init(&b);
	osd_kvs_encode(out, m, false, &b);
	free(out);
	os_kvs_free(kv, n);
	return set_out_enc(c, i, &b);
}

static int do_cmpxattr(struct op_ctx *c, const struct osd_op *op)
{
	char *key = user_xattr(op->name);
	void *val = NULL;
	size_t len = 0;
	int r;

	if (!key)
		return -ENOMEM;
	r = os_getxattr(c->osd->store, c->pg->cid, c->soid, key, &val, &len);
	free(key);
	if (r == -ENODATA)
		r = 0, len = 0;
	if (r)
		return r;
	r = cmp_mode(op->arg, cmp_bytes(val, len, op->data, op->datalen));
	free(val);
	return r;
}

/* OMAP_GET_KEYS / OMAP_GET_VALS: after `name`, at most `len`, keys
 * starting with the filter prefix in `data`. */
static int do_omap_list(struct op_ctx *c, size_t i, const struct osd_op *op, bool vals)
{
	char *prefix = NULL, *start = NULL;
	size_t max = op->len && op->len < OMAP_MAX_ENTRIES ? op->len : OMAP_MAX_ENTRIES;
	struct osd_kv *out = NULL;
	size_t n_out = 0, cap = 0;
	bool more = true, done = false;
	struct os_kv *kv = NULL;
	struct enc_buf b;
	int r = 0;

	if (op->datalen) {
		prefix = strndup((const char *)op->data, op->datalen);
		if (!prefix)
			return -ENOMEM;
	}
	/* Start at the later of the cursor and the prefix (the key equal to
	 * the prefix must not be skipped: start just before it). */
	start = strdup(op->name);
	if (!start) {
		free(prefix);
		return -ENOMEM;
	}
	if (prefix && prefix[0] && strcmp(prefix, start) > 0) {
		free(start);
		start = strndup(prefix, strlen(prefix) - 1);
		if (!start) {
			free(prefix);
			return -ENOMEM;
		}
	}
	struct os_kv *keep = NULL;
	size_t n_keep = 0;
	while (!done && n_out < max) {
		size_t n = 0;
		bool m = false;

		r = vals ? os_omap_get_vals(c->osd->store, c->pg->cid, c->soid,
					    start[0] ? start : NULL, max - n_out + 16, &kv, &n, &m)
			 : os_omap_get_keys(c->osd->store, c->pg->cid, c->soid,
					    start[0] ? start : NULL, max - n_out + 16, &kv, &n, &m);
		if (r)
			break;
		/* keep the batches alive until encoded */
		struct os_kv *grown = realloc(keep, (n_keep + n + 1) * sizeof(*keep));
		if (!grown) {
			os_kvs_free(kv, n);
			r = -ENOMEM;
			break;
		}
		keep = grown;
		if (n)	/* kv may be NULL for an empty batch */
			memcpy(keep + n_keep, kv, n * sizeof(*kv));
		free(kv);
		kv = keep + n_keep;
		n_keep += n;
		for (size_t k = 0; k < n; k++) {
			if (prefix && strncmp(kv[k].key, prefix, strlen(prefix))) {
				if (strcmp(kv[k].key, prefix) > 0) {
					done = true;
					more = false;
					break;
				}
				continue;
			}
			if (n_out == max) {
				more = true;
				done = true;
				break;
			}
			if (n_out == cap) {
				size_t nc = cap ? cap * 2 : 64;
				struct osd_kv *g = realloc(out, nc * sizeof(*out));
				if (!g) {
					r = -ENOMEM;
					done = true;
					break;
				}
				out = g;
				cap = nc;
			}
			out[n_out].key = kv[k].key;
			out[n_out].val = vals ? kv[k].val : NULL;
			out[n_out].val_len = vals ? kv[k].val_len : 0;
			n_out++;
		}
		if (!done) {
			if (!m) {
				more = false;
				done = true;
			} else if (n) {
				free(start);
				start = strdup(kv[n - 1].key);
				if (!start) {
					r = -ENOMEM;
					break;
				}
			}
		}
		if (!done && n_out == max)
			more = m; /* a key may remain; the next call will tell */
	}
	if (!r) {
		enc_buf_init(&b);
		osd_kvs_encode(out, n_out, more, &b);
		r = set_out_enc(c, i, &b);
	}
	free(out);
	os_kvs_free(keep, n_keep);
	free(start);
	free(prefix);
	return r;
}

static int do_omap_by_keys(struct op_ctx *c, size_t i, const struct osd_op *op)
{
	const char **keys = NULL;
	struct os_kv *kv = NULL;
	struct osd_kv *out;
	size_t nk = 0, n = 0;
	struct enc_buf b;
	int r;

	if (osd_keys_decode(op->data, op->datalen, &keys, &nk))
		return -EINVAL;
	r = os_omap_get_vals_by_keys(c->osd->store, c->pg->cid, c->soid, keys, nk, &kv, &n);
	free(keys);
	if (r)
		return r;
	out = calloc(n ? n : 1, sizeof(*out));
	if (!out) {
		os_kvs_free(kv, n);
		return -ENOMEM;
	}
	for (size_t k = 0; k < n; k++) {
		out[k].key = kv[k].key;
		out[k].val = kv[k].val;
		out[k].val_len = kv[k].val_len;
	}
	enc_buf_init(&b);
	osd_kvs_encode(out, n, false, &b);
	free(out);
	os_kvs_free(kv, n);
	return set_out_enc(c, i, &b);
}

static int do_omap_cmp(struct op_ctx *c, const struct osd_op *op)
{
	struct osd_kv *want = NULL;
	const char **keys;
	struct os_kv *kv = NULL;
	size_t nw = 0, n = 0;
	bool more;
	int r;

	if (osd_kvs_decode(op->data, op->datalen, &want, &nw, &more))
		return -EINVAL;
	keys = calloc(nw ? nw : 1, sizeof(*keys));
	if (!keys) {
		free(want);
		return -ENOMEM;
	}
	for (size_t k = 0; k < nw; k++)
		keys[k] = want[k].key;
	r = os_omap_get_vals_by_keys(c->osd->store, c->pg->cid, c->soid, keys, nw, &kv, &n);
	free(keys);
	for (size_t k = 0; !r && k < nw; k++) {
		size_t j;
		for (j = 0; j < n; j++)
			if (!strcmp(kv[j].key, want[k].key))
				break;
		if (j == n) {
			r = -ECANCELED;
			break;
		}
		r = cmp_mode(op->arg, cmp_bytes(kv[j].val, kv[j].val_len, want[k].val,
						 want[k].val_len));
	}
	os_kvs_free(kv, n);
	free(want);
	return r;
}

/* ---- one sub-op ---- */

static int exec_op(struct op_ctx *c, size_t i)
{
	const struct osd_op *op = &c->m->ops[i];
	struct os_store *st = c->osd->store;
	const char *cid = c->pg->cid, *soid = c->soid;
	struct enc_buf b;
	char *key;
	void *val;
	size_t len;
	int r;

	if (op_is_write(op->op)) {
		if (!c->t)
			return -EINVAL;
		c->modified = true;
	}
	switch (op->op) {
	case OSD_OP_READ:
	case OSD_OP_SPARSE_READ:
		return do_read(c, i, op);
	case OSD_OP_STAT: {
		struct osd_stat_out so = { .size = c->old_size, .mtime_ns = c->mtime_ns };
		if (!c->existed)
			return -ENOENT;
		enc_buf_init(&b);
		osd_stat_encode(&so, &b);
		return set_out_enc(c, i, &b);
	}
	case OSD_OP_WRITE:
		r = check_size(c, op->off, op->datalen);
		if (!r)
			r = os_txn_write(c->t, cid, soid, op->off, op->datalen, op->data);
		if (r)
			return r;
		c->exists = true;
		if (op->off + op->datalen > c->size)
			c->size = op->off + op->datalen;
		return 0;
	case OSD_OP_WRITE_FULL:
		r = check_size(c, 0, op->datalen);
		if (!r)
			r = os_txn_write_full(c->t, cid, soid, op->datalen, op->data);
		if (r)
			return r;
		c->exists = true;
		c->size = op->datalen;
		return 0;
	case OSD_OP_APPEND:
		r = check_size(c, c->exists ? c->size : 0, op->datalen);
		if (!r)
			r = os_txn_append(c->t, cid, soid, op->datalen, op->data);
		if (r)
			return r;
		c->size = (c->exists ? c->size : 0) + op->datalen;
		c->exists = true;
		return 0;
	case OSD_OP_TRUNCATE:
		r = check_size(c, op->off, 0);
		if (!r)
			r = os_txn_truncate(c->t, cid, soid, op->off);
		if (r)
			return r;
		c->exists = true;
		c->size = op->off;
		return 0;
	case OSD_OP_ZERO:
		/* Zeroing never extends an object (nor creates one). */
		if (!c->exists || op->off >= c->size || !op->len)
			return 0;
		len = op->len < c->size - op->off ? op->len : c->size - op->off;
		return os_txn_zero(c->t, cid, soid, op->off, len);
	case OSD_OP_DELETE:
		if (!c->exists)
			return -ENOENT;
		r = os_txn_remove(c->t, cid, soid);
		if (r)
			return r;
		c->exists = false;
		c->size = 0;
		return 0;
	case OSD_OP_CREATE:
		if (c->exists && (op->flags & OSD_OP_FLAG_EXCL))
			return -EEXIST;
		r = os_txn_create_object(c->t, cid, soid, false);
		if (!r)
			c->exists = true;
		return r;
	case OSD_OP_SETXATTR:
		key = user_xattr(op->name);
		if (!key)
			return -ENOMEM;
		r = os_txn_setxattr(c->t, cid, soid, key, op->data, op->datalen);
		free(key);
		if (!r)
			c->exists = true;
		return r;
	case OSD_OP_GETXATTR:
		if (!c->existed)
			return -ENOENT;
		key = user_xattr(op->name);
		if (!key)
			return -ENOMEM;
		r = os_getxattr(st, cid, soid, key, &val, &len);
		free(key);
		if (r)
			return r;
		return set_out(c, i, val, len);
	case OSD_OP_RMXATTR:
		if (!c->exists)
			return -ENOENT;
		key = user_xattr(op->name);
		if (!key)
			return -ENOMEM;
		r = c->existed ? os_getxattr(st, cid, soid, key, &val, &len) : -ENODATA;
		if (!r) {
			free(val);
			r = os_txn_rmxattr(c->t, cid, soid, key);
		} else if (r == -ENODATA) {
			r = 0; /* removing an absent xattr succeeds, as in Ceph */
		}
		free(key);
		return r;
	case OSD_OP_GETXATTRS:
		if (!c->existed)
			return -ENOENT;
		return do_getxattrs(c, i);
	case OSD_OP_CMPXATTR:
		if (!c->existed)
			return -ENOENT;
		return do_cmpxattr(c, op);
	case OSD_OP_OMAP_SET: {
		struct osd_kv *kv = NULL;
		size_t n = 0;
		bool more;

		if (osd_kvs_decode(op->data, op->datalen, &kv, &n, &more))
			return -EINVAL;
		r = 0;
		for (size_t k = 0; !r && k < n; k++)
			r = os_txn_omap_set(c->t, cid, soid, kv[k].key, kv[k].val, kv[k].val_len);
		if (!r && n == 0)
			r = os_txn_touch(c->t, cid, soid);
		free(kv);
		if (!r)
			c->exists = true;
		return r;
	}
	case OSD_OP_OMAP_GET_KEYS:
	case OSD_OP_OMAP_GET_VALS:
		if (!c->existed)
			return -ENOENT;
		return do_omap_list(c, i, op, op->op == OSD_OP_OMAP_GET_VALS);
	case OSD_OP_OMAP_GET_VALS_BY_KEYS:
		if (!c->existed)
			return -ENOENT;
		return do_omap_by_keys(c, i, op);
	case OSD_OP_OMAP_RM_KEYS: {
		const char **keys = NULL;
		size_t n = 0;

		if (!c->exists)
			return -ENOENT;
		if (osd_keys_decode(op->data, op->datalen, &keys, &n))
			return -EINVAL;
		r = 0;
		for (size_t k = 0; !r && k < n; k++)
			r = os_txn_omap_rm(c->t, cid, soid, keys[k]);
		free(keys);
		return r;
	}
	case OSD_OP_OMAP_CLEAR:
		if (!c->exists)
			return -ENOENT;
		r = os_txn_omap_clear(c->t, cid, soid);
		if (!r)
			r = os_txn_setxattr(c->t, cid, soid, OSD_OMAP_HDR_XATTR, "", 0);
		return r;
	case OSD_OP_OMAP_GET_HEADER:
		if (!c->existed)
			return -ENOENT;
		r = os_getxattr(st, cid, soid, OSD_OMAP_HDR_XATTR, &val, &len);
		if (r == -ENODATA)
			return set_out(c, i, NULL, 0);
		if (r)
			return r;
		return set_out(c, i, val, len);
	case OSD_OP_OMAP_SET_HEADER:
		r = os_txn_setxattr(c->t, cid, soid, OSD_OMAP_HDR_XATTR, op->data, op->datalen);
		if (!r)
			c->exists = true;
		return r;
	case OSD_OP_OMAP_CMP:
		if (!c->existed)
			return -ENOENT;
		return do_omap_cmp(c, op);
	case OSD_OP_CMPEXT:
		return do_cmpext(c, op);
	case OSD_OP_ASSERT_EXISTS:
		return c->existed ? 0 : -ENOENT;
	case OSD_OP_ASSERT_VERSION:
		/* Ceph's answers: 0 is no version; an asserted version past
		 * the object's overflows it, one behind it is out of range */
		if (!op->arg)
			return -EINVAL;
		if (op->arg > c->ver.user_version)
			return -EOVERFLOW;
		if (op->arg < c->ver.user_version)
			return -ERANGE;
		return 0;
	case OSD_OP_SET_ALLOC_HINT:
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* ---- PGLS ---- */

static void handle_pgls(struct osd *osd, struct osd_pg *pg, struct msgr_conn *conn,
			const struct osd_op_msg *m)
{
	struct osd_op_reply rep = { .tid = m->tid, .epoch = pg->map_epoch };
	struct osd_op *rops = calloc(m->n_ops, sizeof(*rops));
	uint8_t **outs = calloc(m->n_ops, sizeof(*outs));
	int result = 0;

	if (!rops || !outs) {
		free(rops);
		free(outs);
		osd__op_reply_simple(osd, conn, m, -ENOMEM, 0, 0);
		return;
	}
	for (size_t i = 0; i < m->n_ops; i++) {
		const struct osd_op *op = &m->ops[i];
		size_t max = op->len && op->len < osd->max_pgls ? op->len : osd->max_pgls;
		struct osd_ls_entry *e = NULL;
		char **names = NULL, **parts = NULL;
		size_t n = 0, ne = 0;
		bool more = false;
		struct enc_buf b;
		int r;

		rops[i].op = op->op;
		rops[i].flags = op->flags;
		rops[i].name = "";
		if (op->op != OSD_OP_PGLS) {
			rops[i].rval = -EINVAL;
			result = result ? result : -EINVAL;
			continue;
		}
		r = os_list_objects(osd->store, pg->cid, op->name[0] ? op->name : NULL, max,
				    &names, &n, &more);
		if (r) {
			rops[i].rval = r;
			result = result ? result : r;
			continue;
		}
		e = calloc(n ? n : 1, sizeof(*e));
		parts = calloc(3 * (n ? n : 1), sizeof(*parts));
		for (size_t k = 0; e && parts && k < n; k++) {
			if (osd_store_name_parse(names[k], &parts[3 * ne], &parts[3 * ne + 1],
						 &parts[3 * ne + 2]))
				continue; /* the PG's own metadata */
			e[ne].nspace = parts[3 * ne];
			e[ne].key = parts[3 * ne + 1];
			e[ne].oid = parts[3 * ne + 2];
			ne++;
		}
		enc_buf_init(&b);
		if (!e || !parts)
			b.err = -ENOMEM;
		else
			osd_ls_encode(e, ne, more && n ? names[n - 1] : "", &b);
		r = enc_buf_error(&b);
		if (!r) {
			outs[i] = enc_buf_detach(&b, &rops[i].outlen);
			rops[i].out = outs[i];
		} else {
			enc_buf_release(&b);
			rops[i].rval = r;
			result = result ? result : r;
		}
		for (size_t k = 0; parts && k < 3 * ne; k++)
			free(parts[k]);
		free(parts);
		free(e);
		for (size_t k = 0; k < n; k++)
			free(names[k]);
		free(names);
	}
	rep.result = result;
	rep.ops = rops;
	rep.n_ops = m->n_ops;
	send_reply(osd, conn, &rep);
	for (size_t i = 0; i < m->n_ops; i++)
		free(outs[i]);
	free(outs);
	free(rops);
}

/* ---- the message ---- */

static void reqid_of(struct msgr_conn *conn, uint64_t tid, struct osd_reqid *id)
{
	memset(id, 0, sizeof(*id));
	snprintf(id->name, sizeof(id->name), "%s", msgr_conn_peer_name(conn));
	id->nonce = msgr_conn_peer_nonce(conn);
	id->tid = tid;
}

/* proj: the object's projected state when writes to it are batched. */
static int ctx_init(struct op_ctx *c, struct osd *osd, struct osd_pg *pg,
		    const struct osd_op_msg *m, const char *soid,
		    const struct osd_batch_obj *proj)
{
	struct os_stat s;
	int r;

	memset(c, 0, sizeof(*c));
	c->osd = osd;
	c->pg = pg;
	c->m = m;
	c->soid = soid;
	c->rops = calloc(m->n_ops ? m->n_ops : 1, sizeof(*c->rops));
	c->outs = calloc(m->n_ops ? m->n_ops : 1, sizeof(*c->outs));
	if (!c->rops || !c->outs)
		return -ENOMEM;
	for (size_t i = 0; i < m->n_ops; i++) {
		c->rops[i].op = m->ops[i].op;
		c->rops[i].flags = m->ops[i].flags;
		c->rops[i].name = "";
	}
	if (proj) {
		c->existed = c->exists = proj->exists;
		c->old_size = c->size = proj->exists ? proj->size : 0;
		c->ver = proj->ver;
		return 0;
	}
	r = os_stat(osd->store, pg->cid, soid, &s);
	if (r == -ENOENT)
		return 0;
	if (r)
		return r;
	c->existed = c->exists = true;
	c->old_size = c->size = s.size;
	c->mtime_ns = s.mtime_ns;
	return osd__obj_ver_get(osd, pg->cid, soid, &c->ver);
}

static void ctx_release(struct op_ctx *c)
{
	if (c->outs)
		for (size_t i = 0; i < c->m->n_ops; i++)
			free(c->outs[i]);
	free(c->outs);
	free(c->rops);
	if (c->t)
		os_txn_destroy(c->t);
	c->t = NULL;
}

/* Runs every sub-op; returns the message's result. */
static int run_ops(struct op_ctx *c)
{
	for (size_t i = 0; i < c->m->n_ops; i++) {
		const struct osd_op *op = &c->m->ops[i];
		unsigned cls = op_class(op->op);
		int r = exec_op(c, i);

		/* bytes in whole KiB per op, rounded up, as Ceph's num_rd_kb */
		if (r >= 0 && (cls & OPC_WRITE)) {
			c->wr++;
			c->wr_bytes += KIB_UP(op->datalen);
		} else if (r >= 0 && !(cls & OPC_BLIND)) {
			c->rd++;
			c->rd_bytes += KIB_UP(c->rops[i].outlen);
		}
		c->rops[i].rval = r;
		if (r < 0 && !(c->m->ops[i].flags & OSD_OP_FLAG_FAILOK))
			return r;
	}
	return 0;
}

/* A message of one large plain read: the data goes from the store
 * straight into the reply's buffer (no copy).  False: take the general
 * path (which also answers every error). */
static bool read_direct(struct osd_shard *sh, struct osd_pg *pg, struct osd_item *it,
			const char *soid)
{
	struct osd *osd = sh->osd;
	const struct osd_op_msg *m = &it->u.op;
	const struct osd_op *op = &m->ops[0];
	struct osd_op rop = { .op = op->op, .flags = op->flags, .name = "" };
	struct osd_op_reply rep = { .tid = m->tid, .epoch = pg->map_epoch, .ops = &rop,
				    .n_ops = 1 };
	struct osd_obj_ver ver;
	struct enc_buf b;
	struct os_stat st;
	ptrdiff_t space;
	uint64_t len;
	uint8_t *p;
	size_t plen;
	ssize_t n;

	if (m->n_ops != 1 || op->op != OSD_OP_READ ||
	    os_stat(osd->store, pg->cid, soid, &st) || op->off >= st.size)
		return false;
	len = st.size - op->off;
	if (op->len && op->len < len)
		len = op->len;
	if (len > OSD_PROTO_DATA_MAX)
		len = OSD_PROTO_DATA_MAX;
	if (len < 65536 || osd__obj_ver_get(osd, pg->cid, soid, &ver))
		return false;
	rep.version = ver.user_version;
	rop.outlen = len;
	enc_buf_init(&b);
	enc_buf_reserve(&b, len + 256);
	if (osd_op_reply_encode_space(&rep, &b, &space) || space < 0) {
		enc_buf_release(&b);
		return false;
	}
	/* The shard is the only writer of its PGs' objects, so the size
	 * cannot change under us; a short read takes the general path. */
	n = os_read(osd->store, pg->cid, soid, op->off, len, b.data + space);
	if (n != (ssize_t)len) {
		enc_buf_release(&b);
		return false;
	}
	p = enc_buf_detach(&b, &plen);
	if (!p)
		return false;
	pg->stats.num_rd++;
	pg->stats.num_rd_bytes += KIB_UP(len);
	msgr_send_take(it->msg->conn, OSD_MSG_OP_REPLY, p, plen);
	osd__item_free(it);
	return true;
}

static void do_read_msg(struct osd_shard *sh, struct osd_pg *pg, struct osd_item *it,
			const char *soid)
{
	struct osd *osd = sh->osd;
	const struct osd_op_msg *m = &it->u.op;
	struct osd_op_reply rep = { .tid = m->tid, .epoch = pg->map_epoch };
	struct op_ctx c;
	int r;

	if (read_direct(sh, pg, it, soid))
		return;
	r = ctx_init(&c, osd, pg, m, soid, NULL);
	if (!r)
		r = run_ops(&c);
	pg->stats.num_rd += c.rd;
	pg->stats.num_rd_bytes += c.rd_bytes;
	rep.result = r;
	rep.version = c.ver.user_version;
	rep.ops = c.rops;
	rep.n_ops = c.rops ? m->n_ops : 0;
	send_reply(osd, it->msg->conn, &rep);
	ctx_release(&c);
	osd__item_free(it);
}

static int enc_obj_ver(const struct osd_obj_ver *v, uint8_t out[20])
{
	struct enc_buf b;

	enc_buf_init(&b);
	enc_put_u32(&b, v->version.epoch);
	enc_put_u64(&b, v->version.version);
	enc_put_u64(&b, v->user_version);
	if (enc_buf_error(&b) || b.len != 20) {
		enc_buf_release(&b);
		return -ENOMEM;
	}
	memcpy(out, b.data, 20);
	enc_buf_release(&b);
	return 0;
}

static void do_write_msg(struct osd_shard *sh, struct osd_pg *pg, struct osd_item *it,
			 const char *soid)
{
	struct osd *osd = sh->osd;
	const struct osd_op_msg *m = &it->u.op;
	struct msgr_conn *conn = it->msg->conn;
	struct osd_op_reply rep = { .tid = m->tid, .epoch = pg->map_epoch };
	struct osd_log_entry e = { 0 };
	struct osd_inflight *f = NULL;
	const struct osd_batch_obj *proj;
	struct osd_batch_obj after;
	struct os_txn *t;
	struct osd_obj_ver nv;
	const struct osd_dup *dup;
	struct osd_reqid reqid;
	struct enc_buf b;
	uint8_t verbuf[20];
	struct op_ctx c;
	int r;

	reqid_of(conn, m->tid, &reqid);
	if (osd__pg_reqid_inflight(pg, &reqid)) {
		/* A resend of a write not yet acknowledged: wait for it. */
		osd__pg_park(&pg->wait_commit, &pg->wait_commit_tail, it);
		return;
	}
	dup = osd__pg_dup_find(pg, &reqid);
	if (dup) {
		dout(5, "pg %s: %s tid %llu is a resend of v%llu; answering its result",
		     pg->pgid, reqid.name, (unsigned long long)reqid.tid,
		     (unsigned long long)dup->version.version);
		osd__op_reply_simple(osd, conn, m, dup->result, 0, dup->user_version);
		osd__item_free(it);
		return;
	}
	proj = osd__batch_obj(sh, pg, soid);
	if (proj && !msg_blind(m)) {
		/* It reads the object: the store must hold its batched writes. */
		osd__batch_flush(sh);
		proj = NULL;
	}
	r = ctx_init(&c, osd, pg, m, soid, proj);
	if (!r) {
		c.t = os_txn_create();
		if (!c.t)
			r = -ENOMEM;
		else /* the item (and its data) lives as long as c.t */
			os_txn_borrow_data(c.t, true);
	}
	if (!r)
		r = run_ops(&c);
	if (r || !c.modified) {
		/* Failed (nothing applied), or only guards and reads. */
		rep.result = r;
		rep.version = c.ver.user_version;
		rep.ops = c.rops;
		rep.n_ops = c.rops ? m->n_ops : 0;
		send_reply(osd, conn, &rep);
		ctx_release(&c);
		osd__item_free(it);
		return;
	}

	/* The new version, the object's version xattr, the log entry and the
	 * stats join the data ops (pg.c, invariant 1). */
	nv.version.epoch = pg->map_epoch;
	nv.version.version = pg->info.last_update.version + 1;
	nv.user_version = nv.version.version;
	e.op = (c.existed && !c.exists) ? OSD_LOG_DELETE : OSD_LOG_MODIFY;
	e.version = nv.version;
	e.prior_version = c.ver.version;
	e.user_version = nv.user_version;
	e.reqid = reqid;
	e.result = 0;
	e.soid = soid;
	r = 0;
	if (c.exists) {
		r = enc_obj_ver(&nv, verbuf);
		if (!r)
			r = os_txn_setxattr(c.t, pg->cid, soid, OSD_VER_XATTR, verbuf, sizeof(verbuf));
	}
	pg->stats.num_objects += (uint64_t)c.exists - (uint64_t)c.existed;
	pg->stats.num_bytes += (c.exists ? c.size : 0) - (c.existed ? c.old_size : 0);
	pg->stats.num_rd += c.rd;
	pg->stats.num_rd_bytes += c.rd_bytes;
	pg->stats.num_wr += c.wr;
	pg->stats.num_wr_bytes += c.wr_bytes;
	pg->stats.last_user_version = nv.user_version;
	if (!r)
		r = osd__pg_txn_log(pg, &e, c.t);
	if (!r)
		r = osd__pg_txn_stats(pg, c.t);
	f = calloc(1, sizeof(*f));
	if (!r && !f)
		r = -ENOMEM;
	if (!r && pg->n_acting > 1) {
		enc_buf_init(&b);
		enc_buf_reserve(&b, os_txn_data_bytes(c.t) + 256 * (os_txn_num_ops(c.t) + 1));
		r = os_txn_encode(c.t, &b);
		if (!r)
			f->txn = enc_buf_detach(&b, &f->txnlen);
		else
			enc_buf_release(&b);
		if (!r && !f->txn)
			r = -ENOMEM;
	}
	if (r) {
		/* Nothing was applied or sent: undo the counters. */
		pg->stats.num_objects -= (uint64_t)c.exists - (uint64_t)c.existed;
		pg->stats.num_bytes -= (c.exists ? c.size : 0) - (c.existed ? c.old_size : 0);
		pg->stats.num_rd -= c.rd;
		pg->stats.num_rd_bytes -= c.rd_bytes;
		pg->stats.num_wr -= c.wr;
		pg->stats.num_wr_bytes -= c.wr_bytes;
		if (f)
			free(f->txn);
		free(f);
		rep.result = r;
		rep.ops = c.rops;
		rep.n_ops = c.rops ? m->n_ops : 0;
		send_reply(osd, conn, &rep);
		ctx_release(&c);
		osd__item_free(it);
		return;
	}
	pg->info.last_update = nv.version;
	pg->info.last_complete = nv.version;

	/* The reply we will send once everyone is durable. */
	rep.result = 0;
	rep.version = nv.user_version;
	rep.ops = c.rops;
	rep.n_ops = m->n_ops;
	enc_buf_init(&b);
	osd_op_reply_encode(&rep, &b);
	f->reply = enc_buf_detach(&b, &f->reply_len);
	f->soid = strdup(soid);
	f->reqid = reqid;
	f->client = msgr_conn_get(conn);
	f->client_tid = m->tid;
	f->rp.pool = pg->pool;
	f->rp.ps = pg->ps;
	f->rp.entry = e;
	f->rp.entry.soid = f->soid;
	f->rp.txn = f->txn;
	f->rp.txnlen = f->txnlen;
	if (!f->reply || !f->soid) {
		dout(0, "out of memory replicating %s", pg->pgid);
		abort();
	}
	/* Replicas first, so their sync overlaps ours; then into the
	 * shard's batch, which applies it (with the PG's log trim and info),
	 * enters it in the dup index, and acknowledges it once every replica
	 * answered too. */
	osd__repl_start(sh, pg, f);
	after.pg = pg;
	after.soid = (char *)soid;
	after.exists = c.exists;
	after.size = c.exists ? c.size : 0;
	after.ver = nv;
	dout(10, "pg %s: batched v%u'%llu %s", pg->pgid, nv.version.epoch,
	     (unsigned long long)nv.version.version, m->oid);
	t = c.t;
	c.t = NULL;
	ctx_release(&c);
	/* Last: a full batch is flushed here, and frees the item. */
	osd__batch_add_primary(sh, pg, it, t, f, &after);
}

void osd__op_handle(struct osd_shard *sh, struct osd_item *it)
{
	struct osd *osd = sh->osd;
	struct osdmap *map = sh->map;
	const struct osd_op_msg *m = &it->u.op;
	struct msgr_conn *conn = it->msg->conn;
	const struct osdmap_pool *pool;
	bool write = false, pgls = false;
	struct osd_pg *pg;
	char *soid;
	uint32_t ps;
	unsigned target;

	if (!map || m->epoch > map->epoch) {
		osd__wait_for_map(osd, it, m->epoch ? m->epoch : 1);
		return;
	}
	if (strlen(m->oid) > OSD_PROTO_NAME_MAX || strlen(m->key) > OSD_PROTO_NAME_MAX ||
	    strlen(m->nspace) > OSD_PROTO_NAME_MAX) {
		osd__op_reply_simple(osd, conn, m, -ENAMETOOLONG, 0, 0);
		osd__item_free(it);
		return;
	}
	pool = osdmap_pool_by_id(map, m->pool);
	if (!pool) {
		osd__op_reply_simple(osd, conn, m, -ENOENT, 0, 0);
		osd__item_free(it);
		return;
	}
	for (size_t i = 0; i < m->n_ops; i++) {
		write |= op_is_write(m->ops[i].op);
		pgls |= m->ops[i].op == OSD_OP_PGLS;
	}
	if (pgls) {
		ps = m->ps;
		if (ps >= pool->pg_num || write) {
			osd__op_reply_simple(osd, conn, m, -EINVAL, 0, 0);
			osd__item_free(it);
			return;
		}
	} else {
		ps = pg_of_hash(object_hash(m->nspace, m->key, m->oid), pool->pg_num);
	}
	target = osd__shard_of(osd, m->pool, ps);
	if (target != sh->idx) {
		osd__enqueue(&osd->shards[target], it);
		return;
	}
	pg = osd__shard_pg(sh, m->pool, ps);
	if (!pg || pg->role != PG_ROLE_PRIMARY || pg->deleting) {
		/* Not ours in our map: the client must look again. */
		dout(10, "op tid %llu for %lld.%x: not primary at e%u, retry",
		     (unsigned long long)m->tid, (long long)m->pool, ps, map->epoch);
		osd__op_reply_simple(osd, conn, m, -EAGAIN, OSD_REPLY_FLAG_RETRY, 0);
		osd__item_free(it);
		return;
	}
	if (!osd__pg_is_active(pg)) {
		osd__pg_park(&pg->wait_active, &pg->wait_active_tail, it);
		return;
	}
	if (pgls) {
		handle_pgls(osd, pg, conn, m);
		osd__item_free(it);
		return;
	}
	soid = osd_store_name(m->nspace, m->key, m->oid);
	if (!soid) {
		osd__op_reply_simple(osd, conn, m, -ENOMEM, 0, 0);
		osd__item_free(it);
		return;
	}
	if (!write && osd__pg_obj_inflight(pg, soid)) {
		/* Read-your-writes: wait for the write in flight. */
		osd__pg_park(&pg->wait_commit, &pg->wait_commit_tail, it);
	} else if (write) {
		do_write_msg(sh, pg, it, soid);
	} else {
		do_read_msg(sh, pg, it, soid);
	}
	free(soid);
}
