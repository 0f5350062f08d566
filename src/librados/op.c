/*
 * Compound operations: the list of sub-ops (struct rop) that every object
 * call is built from, the reply handlers that copy each sub-op's output
 * where the caller asked, and the public rados_write_op_* and
 * rados_read_op_* builders.  A builder copies what it is given (the
 * caller may free its buffers at once); a simple call builds on the stack
 * and lends its buffers until the message is encoded.  Builder calls
 * return nothing, so the first error (-ENOMEM, a name too long, an op we
 * do not have) is kept and returned by operate.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "librados/librados_internal.h"

void rop_init(struct rop *r, bool write, bool copy)
{
	memset(r, 0, sizeof(*r));
	r->write = write;
	r->copy = copy;
	r->ret_index = -1;
}

void rop_release(struct rop *r)
{
	if (r->copy) {
		for (size_t i = 0; i < r->n; i++) {
			free((void *)r->ops[i].name);
			free((void *)r->ops[i].data);
		}
	}
	free(r->ops);
	free(r->outs);
	r->ops = NULL;
	r->outs = NULL;
	r->n = r->cap = 0;
}

static void rop_fail(struct rop *r, int err)
{
	if (!r->err)
		r->err = err;
}

struct osd_op *rop_add(struct rop *r, uint16_t code, uint64_t off,
		       uint64_t len, const char *name, const void *data,
		       size_t datalen, struct rop_out **out)
{
	struct osd_op *op;
	const char *nm = name;
	const void *d = data;

	if (out)
		*out = NULL;
	if (r->err)
		return NULL;
	if (name && strlen(name) > OSD_PROTO_ATTR_NAME_MAX) {
		rop_fail(r, -ENAMETOOLONG);
		return NULL;
	}
	if (datalen > OSD_PROTO_DATA_MAX) {
		rop_fail(r, -EFBIG);
		return NULL;
	}
	if (r->n >= OSD_PROTO_MAX_OPS) {
		rop_fail(r, -E2BIG);
		return NULL;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4;
		struct osd_op *ops = realloc(r->ops, cap * sizeof(*ops));
		struct rop_out *outs;

		if (!ops) {
			rop_fail(r, -ENOMEM);
			return NULL;
		}
		r->ops = ops;
		outs = realloc(r->outs, cap * sizeof(*outs));
		if (!outs) {
			rop_fail(r, -ENOMEM);
			return NULL;
		}
		r->outs = outs;
		r->cap = cap;
	}
	if (r->copy) {
		nm = name ? strdup(name) : NULL;
		d = NULL;
		if (datalen) {
			void *p = malloc(datalen);

			if (p)
				memcpy(p, data, datalen);
			d = p;
		}
		if ((name && !nm) || (datalen && !d)) {
			free((void *)nm);
			free((void *)d);
			rop_fail(r, -ENOMEM);
			return NULL;
		}
	}
	op = &r->ops[r->n];
	memset(op, 0, sizeof(*op));
	op->op = code;
	op->off = off;
	op->len = len;
	op->name = nm;
	op->data = d;
	op->datalen = datalen;
	memset(&r->outs[r->n], 0, sizeof(r->outs[r->n]));
	if (out)
		*out = &r->outs[r->n];
	r->n++;
	return op;
}

/* Adds a sub-op whose data is an encoding built here (builders only:
 * the list must own its copy). */
static struct osd_op *rop_add_enc(struct rop *r, uint16_t code, uint64_t arg,
				  struct enc_buf *b, struct rop_out **out)
{
	struct osd_op *op = NULL;

	if (out)
		*out = NULL;
	if (enc_buf_error(b))
		rop_fail(r, enc_buf_error(b));
	else if (!r->copy)
		rop_fail(r, -EINVAL);
	else
		op = rop_add(r, code, 0, 0, NULL, b->data, b->len, out);
	if (op)
		op->arg = arg;
	enc_buf_release(b);
	return op;
}

int rados_check_oid(const char *oid)
{
	size_t n;

	if (!oid)
		return -EINVAL;
	n = strlen(oid);
	if (n == 0)
		return -EINVAL;
	if (n > RADOS_NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* --- replies --------------------------------------------------------- */

static int out_finish(const struct rop_out *o, const struct osd_op *ro)
{
	switch (o->kind) {
	case ROP_OUT_READ: {
		size_t n = ro->outlen < o->len ? ro->outlen : o->len;

		if (n)
			memcpy(o->buf, ro->out, n);
		if (o->bytes_read)
			*o->bytes_read = n;
		return n > INT32_MAX ? INT32_MAX : (int)n;
	}
	case ROP_OUT_STAT: {
		struct osd_stat_out st;

		if (osd_stat_decode(ro->out, ro->outlen, &st))
			return -EIO;
		if (o->psize)
			*o->psize = st.size;
		if (o->pmtime)
			*o->pmtime = (time_t)(st.mtime_ns / 1000000000ull);
		if (o->pts) {
			o->pts->tv_sec = (time_t)(st.mtime_ns / 1000000000ull);
			o->pts->tv_nsec = (long)(st.mtime_ns % 1000000000ull);
		}
		return 0;
	}
	case ROP_OUT_XATTR:
		if (ro->outlen > o->len)
			return -ERANGE;
		if (ro->outlen)
			memcpy(o->buf, ro->out, ro->outlen);
		return ro->outlen > INT32_MAX ? -ERANGE : (int)ro->outlen;
	case ROP_OUT_KVS: {
		bool more = false;
		int rc = rados_kv_iter_fill(o->iter, ro->out, ro->outlen, &more);

		if (o->pmore)
			*o->pmore = more;
		return rc;
	}
	case ROP_OUT_LS:
		return rados_list_take_reply(o->ls, ro->out, ro->outlen);
	default:
		return 0;
	}
}

int rop_outs_finish(const struct rop_out *outs, size_t n, int ret_index,
		    const struct osd_op_reply *reply, int result)
{
	int ret = result;

	for (size_t i = 0; i < n; i++) {
		const struct osd_op *ro = i < reply->n_ops ? &reply->ops[i] : NULL;
		int rval = ro ? ro->rval : 0;
		int v;

		if (!ro || rval < 0) {
			if (outs[i].prval)
				*outs[i].prval = rval;
			if (outs[i].piter)
				rados_kv_iter_destroy(outs[i].iter);
			continue;
		}
		v = out_finish(&outs[i], ro);
		if (outs[i].piter) {
			if (v < 0)
				rados_kv_iter_destroy(outs[i].iter);
			else
				*outs[i].piter = outs[i].iter;
		}
		if (outs[i].prval)
			*outs[i].prval = v < 0 ? v : rval;
		if ((int)i == ret_index && ret >= 0)
			ret = v;
		else if (v < 0 && ret >= 0)
			ret = v;
	}
	return ret;
}

void rop_outs_fail(const struct rop_out *outs, size_t n, int err)
{
	for (size_t i = 0; i < n; i++) {
		if (outs[i].prval)
			*outs[i].prval = err;
		if (outs[i].piter)
			rados_kv_iter_destroy(outs[i].iter);
	}
}

/* --- shared builder pieces ------------------------------------------- */

static void op_set_last_flags(struct rop *r, int flags)
{
	/* LIBRADOS_OP_FLAG_EXCL and _FAILOK are OSD_OP_FLAG_EXCL and
	 * _FAILOK; the fadvise hints have no meaning here. */
	if (r->n)
		r->ops[r->n - 1].flags |= (uint32_t)flags & (OSD_OP_FLAG_EXCL | OSD_OP_FLAG_FAILOK);
}

static void op_cmpext(struct rop *r, const char *cmp_buf, size_t cmp_len,
		      uint64_t off, int *prval)
{
	struct rop_out *o;

	if (rop_add(r, OSD_OP_CMPEXT, off, cmp_len, NULL, cmp_buf, cmp_len, &o))
		o->prval = prval;
}

static void op_cmpxattr(struct rop *r, const char *name, uint8_t op,
			const char *value, size_t value_len)
{
	struct osd_op *x;

	if (!name) {
		rop_fail(r, -EINVAL);
		return;
	}
	if (op < OSD_CMP_EQ || op > OSD_CMP_LTE) {
		rop_fail(r, -EINVAL);
		return;
	}
	x = rop_add(r, OSD_OP_CMPXATTR, 0, 0, name, value, value_len, NULL);
	if (x)
		x->arg = op;
}

static void op_omap_cmp(struct rop *r, const char *key, size_t key_len,
			uint8_t op, const char *val, size_t val_len, int *prval)
{
	struct osd_kv kv = { .key = key, .val = (const uint8_t *)val, .val_len = val_len };
	struct rop_out *o;
	struct enc_buf b;

	if (!key || strlen(key) != key_len || (!val && val_len)) {
		rop_fail(r, -EINVAL);
		return;
	}
	if (!val)
		kv.val = (const uint8_t *)"";
	if (op < OSD_CMP_EQ || op > OSD_CMP_LTE) {
		rop_fail(r, -EINVAL);
		return;
	}
	enc_buf_init(&b);
	osd_kvs_encode(&kv, 1, false, &b);
	if (rop_add_enc(r, OSD_OP_OMAP_CMP, op, &b, &o))
		o->prval = prval;
}

/* Keys given with explicit lengths must be C strings of that length: the
 * protocol carries keys as strings. */
static int keys_check(char const *const *keys, const size_t *lens, size_t n)
{
	if (n && !keys)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (!keys[i] || (lens && strlen(keys[i]) != lens[i]))
			return -EINVAL;
		if (strlen(keys[i]) > OSD_PROTO_ATTR_NAME_MAX)
			return -ENAMETOOLONG;
	}
	return 0;
}

static void op_keys(struct rop *r, uint16_t code, char const *const *keys,
		    const size_t *lens, size_t n, struct rop_out **out)
{
	struct enc_buf b;
	int rc = keys_check(keys, lens, n);

	if (rc) {
		rop_fail(r, rc);
		return;
	}
	enc_buf_init(&b);
	osd_keys_encode((const char *const *)keys, n, &b);
	rop_add_enc(r, code, 0, &b, out);
}

/* --- write ops ---------------------------------------------------------- */

LIBRADOS_API rados_write_op_t rados_create_write_op(void)
{
	struct rop *r = malloc(sizeof(*r));

	if (r)
		rop_init(r, true, true);
	return r;
}

LIBRADOS_API void rados_release_write_op(rados_write_op_t write_op)
{
	if (!write_op)
		return;
	rop_release(write_op);
	free(write_op);
}

LIBRADOS_API void rados_write_op_set_flags(rados_write_op_t write_op, int flags)
{
	op_set_last_flags(write_op, flags);
}

LIBRADOS_API void rados_write_op_assert_exists(rados_write_op_t write_op)
{
	rop_add(write_op, OSD_OP_ASSERT_EXISTS, 0, 0, NULL, NULL, 0, NULL);
}

LIBRADOS_API void rados_write_op_assert_version(rados_write_op_t write_op,
						uint64_t ver)
{
	struct osd_op *x = rop_add(write_op, OSD_OP_ASSERT_VERSION, 0, 0, NULL, NULL, 0, NULL);

	if (x)
		x->arg = ver;
}

LIBRADOS_API void rados_write_op_cmpext(rados_write_op_t write_op,
					const char *cmp_buf, size_t cmp_len,
					uint64_t off, int *prval)
{
	op_cmpext(write_op, cmp_buf, cmp_len, off, prval);
}

LIBRADOS_API void rados_write_op_cmpxattr(rados_write_op_t write_op,
					  const char *name,
					  uint8_t comparison_operator,
					  const char *value, size_t value_len)
{
	op_cmpxattr(write_op, name, comparison_operator, value, value_len);
}

LIBRADOS_API void rados_write_op_omap_cmp(rados_write_op_t write_op,
					  const char *key,
					  uint8_t comparison_operator,
					  const char *val, size_t val_len,
					  int *prval)
{
	op_omap_cmp(write_op, key, key ? strlen(key) : 0, comparison_operator,
		    val, val_len, prval);
}

LIBRADOS_API void rados_write_op_omap_cmp2(rados_write_op_t write_op,
					   const char *key,
					   uint8_t comparison_operator,
					   const char *val, size_t key_len,
					   size_t val_len, int *prval)
{
	op_omap_cmp(write_op, key, key_len, comparison_operator, val, val_len,
		    prval);
}

LIBRADOS_API void rados_write_op_setxattr(rados_write_op_t write_op,
					  const char *name, const char *value,
					  size_t value_len)
{
	if (!name || (!value && value_len)) {
		rop_fail(write_op, -EINVAL);
		return;
	}
	rop_add(write_op, OSD_OP_SETXATTR, 0, 0, name, value, value_len, NULL);
}

LIBRADOS_API void rados_write_op_rmxattr(rados_write_op_t write_op,
					 const char *name)
{
	if (!name) {
		rop_fail(write_op, -EINVAL);
		return;
	}
	rop_add(write_op, OSD_OP_RMXATTR, 0, 0, name, NULL, 0, NULL);
}

LIBRADOS_API void rados_write_op_create(rados_write_op_t write_op,
					int exclusive, const char *category)
{
	struct osd_op *x = rop_add(write_op, OSD_OP_CREATE, 0, 0, NULL, NULL, 0, NULL);

	if (x && exclusive)
		x->flags |= OSD_OP_FLAG_EXCL;
}

LIBRADOS_API void rados_write_op_write(rados_write_op_t write_op,
				       const char *buffer, size_t len,
				       uint64_t offset)
{
	rop_add(write_op, OSD_OP_WRITE, offset, len, NULL, buffer, len, NULL);
}

LIBRADOS_API void rados_write_op_write_full(rados_write_op_t write_op,
					    const char *buffer, size_t len)
{
	rop_add(write_op, OSD_OP_WRITE_FULL, 0, len, NULL, buffer, len, NULL);
}

/* data_len bytes repeated to fill write_len (a multiple of data_len). */
int rados_writesame_fill(const char *buf, size_t data_len, size_t write_len,
			 char **out)
{
	char *p;

	if (!buf || data_len == 0 || write_len % data_len)
		return -EINVAL;
	if (write_len > OSD_PROTO_DATA_MAX)
		return -EFBIG;
	p = malloc(write_len ? write_len : 1);
	if (!p)
		return -ENOMEM;
	for (size_t at = 0; at < write_len; at += data_len)
		memcpy(p + at, buf, data_len);
	*out = p;
	return 0;
}

LIBRADOS_API void rados_write_op_writesame(rados_write_op_t write_op,
					   const char *buffer, size_t data_len,
					   size_t write_len, uint64_t offset)
{
	char *p = NULL;
	int rc = rados_writesame_fill(buffer, data_len, write_len, &p);

	if (rc) {
		rop_fail(write_op, rc);
		return;
	}
	rop_add(write_op, OSD_OP_WRITE, offset, write_len, NULL, p, write_len, NULL);
	free(p);
}

LIBRADOS_API void rados_write_op_append(rados_write_op_t write_op,
					const char *buffer, size_t len)
{
	rop_add(write_op, OSD_OP_APPEND, 0, len, NULL, buffer, len, NULL);
}

LIBRADOS_API void rados_write_op_remove(rados_write_op_t write_op)
{
	rop_add(write_op, OSD_OP_DELETE, 0, 0, NULL, NULL, 0, NULL);
}

LIBRADOS_API void rados_write_op_truncate(rados_write_op_t write_op,
					  uint64_t offset)
{
	rop_add(write_op, OSD_OP_TRUNCATE, offset, 0, NULL, NULL, 0, NULL);
}

LIBRADOS_API void rados_write_op_zero(rados_write_op_t write_op,
				      uint64_t offset, uint64_t len)
{
	rop_add(write_op, OSD_OP_ZERO, offset, len, NULL, NULL, 0, NULL);
}

LIBRADOS_API void rados_write_op_exec(rados_write_op_t write_op,
				      const char *cls, const char *method,
				      const char *in_buf, size_t in_len,
				      int *prval)
{
	/* Object classes come with a later issue. */
	if (prval)
		*prval = -EOPNOTSUPP;
	rop_fail(write_op, -EOPNOTSUPP);
}

static void omap_set(struct rop *r, char const *const *keys,
		     char const *const *vals, const size_t *key_lens,
		     const size_t *lens, size_t num)
{
	struct osd_kv *kv;
	struct enc_buf b;
	int rc = keys_check(keys, key_lens, num);

	if (!rc && num && (!vals || !lens))
		rc = -EINVAL;
	if (rc) {
		rop_fail(r, rc);
		return;
	}
	kv = calloc(num ? num : 1, sizeof(*kv));
	if (!kv) {
		rop_fail(r, -ENOMEM);
		return;
	}
	for (size_t i = 0; i < num; i++) {
		kv[i].key = keys[i];
		kv[i].val = vals[i] ? (const uint8_t *)vals[i] : (const uint8_t *)"";
		kv[i].val_len = vals[i] ? lens[i] : 0;
	}
	enc_buf_init(&b);
	osd_kvs_encode(kv, num, false, &b);
	free(kv);
	rop_add_enc(r, OSD_OP_OMAP_SET, 0, &b, NULL);
}

LIBRADOS_API void rados_write_op_omap_set(rados_write_op_t write_op,
					  char const *const *keys,
					  char const *const *vals,
					  const size_t *lens, size_t num)
{
	omap_set(write_op, keys, vals, NULL, lens, num);
}

LIBRADOS_API void rados_write_op_omap_set2(rados_write_op_t write_op,
					   char const *const *keys,
					   char const *const *vals,
					   const size_t *key_lens,
					   const size_t *val_lens, size_t num)
{
	omap_set(write_op, keys, vals, key_lens, val_lens, num);
}

LIBRADOS_API void rados_write_op_omap_rm_keys(rados_write_op_t write_op,
					      char const *const *keys,
					      size_t keys_len)
{
	op_keys(write_op, OSD_OP_OMAP_RM_KEYS, keys, NULL, keys_len, NULL);
}

LIBRADOS_API void rados_write_op_omap_rm_keys2(rados_write_op_t write_op,
					       char const *const *keys,
					       const size_t *key_lens,
					       size_t keys_len)
{
	op_keys(write_op, OSD_OP_OMAP_RM_KEYS, keys, key_lens, keys_len, NULL);
}

LIBRADOS_API void rados_write_op_omap_rm_range2(rados_write_op_t write_op,
						const char *key_begin,
						size_t key_begin_len,
						const char *key_end,
						size_t key_end_len)
{
	/* No range removal in the OSD protocol yet. */
	rop_fail(write_op, -EOPNOTSUPP);
}

LIBRADOS_API void rados_write_op_omap_clear(rados_write_op_t write_op)
{
	rop_add(write_op, OSD_OP_OMAP_CLEAR, 0, 0, NULL, NULL, 0, NULL);
}

LIBRADOS_API void rados_write_op_set_alloc_hint(rados_write_op_t write_op,
						uint64_t expected_object_size,
						uint64_t expected_write_size)
{
	rop_add(write_op, OSD_OP_SET_ALLOC_HINT, expected_object_size,
		expected_write_size, NULL, NULL, 0, NULL);
}

LIBRADOS_API void rados_write_op_set_alloc_hint2(rados_write_op_t write_op,
						 uint64_t expected_object_size,
						 uint64_t expected_write_size,
						 uint32_t flags)
{
	rados_write_op_set_alloc_hint(write_op, expected_object_size,
				      expected_write_size);
}

/* Runs a built op synchronously on oid. */
int rados_op_sync(struct rados_ioctx *io, const char *oid,
		  const struct rop *r, uint64_t *version)
{
	struct rados_completion *c;
	int rc;

	rc = rados_check_oid(oid);
	if (rc)
		return rc;
	rc = rados_completion_create(NULL, NULL, NULL, &c);
	if (rc)
		return rc;
	c->internal = true;
	rc = objecter_submit(io, oid, 0, r, c);
	if (rc == 0) {
		rados_completion_wait(c);
		rc = c->rval;
		if (version)
			*version = c->version;
	}
	rados_completion_put(c);
	return rc;
}

int rados_op_aio(struct rados_ioctx *io, const char *oid, const struct rop *r,
		 rados_completion_t completion)
{
	int rc = rados_check_oid(oid);

	if (rc)
		return rc;
	if (!completion)
		return -EINVAL;
	return objecter_submit(io, oid, 0, r, completion);
}

LIBRADOS_API int rados_write_op_operate(rados_write_op_t write_op,
					rados_ioctx_t io, const char *oid,
					time_t *mtime, int flags)
{
	/* The OSD stamps mtime itself; a caller-given one is not kept. */
	return rados_op_sync(io, oid, write_op, NULL);
}

LIBRADOS_API int rados_write_op_operate2(rados_write_op_t write_op,
					 rados_ioctx_t io, const char *oid,
					 struct timespec *mtime, int flags)
{
	return rados_op_sync(io, oid, write_op, NULL);
}

LIBRADOS_API int rados_aio_write_op_operate(rados_write_op_t write_op,
					    rados_ioctx_t io,
					    rados_completion_t completion,
					    const char *oid, time_t *mtime,
					    int flags)
{
	return rados_op_aio(io, oid, write_op, completion);
}

/* --- read ops --------------------------------------------------------- */

LIBRADOS_API rados_read_op_t rados_create_read_op(void)
{
	struct rop *r = malloc(sizeof(*r));

	if (r)
		rop_init(r, false, true);
	return r;
}

LIBRADOS_API void rados_release_read_op(rados_read_op_t read_op)
{
	rados_release_write_op(read_op);
}

LIBRADOS_API void rados_read_op_set_flags(rados_read_op_t read_op, int flags)
{
	op_set_last_flags(read_op, flags);
}

LIBRADOS_API void rados_read_op_assert_exists(rados_read_op_t read_op)
{
	rop_add(read_op, OSD_OP_ASSERT_EXISTS, 0, 0, NULL, NULL, 0, NULL);
}

LIBRADOS_API void rados_read_op_assert_version(rados_read_op_t read_op,
					       uint64_t ver)
{
	rados_write_op_assert_version(read_op, ver);
}

LIBRADOS_API void rados_read_op_cmpext(rados_read_op_t read_op,
				       const char *cmp_buf, size_t cmp_len,
				       uint64_t off, int *prval)
{
	op_cmpext(read_op, cmp_buf, cmp_len, off, prval);
}

LIBRADOS_API void rados_read_op_cmpxattr(rados_read_op_t read_op,
					 const char *name,
					 uint8_t comparison_operator,
					 const char *value, size_t value_len)
{
	op_cmpxattr(read_op, name, comparison_operator, value, value_len);
}

LIBRADOS_API void rados_read_op_omap_cmp(rados_read_op_t read_op,
					 const char *key,
					 uint8_t comparison_operator,
					 const char *val, size_t val_len,
					 int *prval)
{
	op_omap_cmp(read_op, key, key ? strlen(key) : 0, comparison_operator,
		    val, val_len, prval);
}

LIBRADOS_API void rados_read_op_omap_cmp2(rados_read_op_t read_op,
					  const char *key,
					  uint8_t comparison_operator,
					  const char *val, size_t key_len,
					  size_t val_len, int *prval)
{
	op_omap_cmp(read_op, key, key_len, comparison_operator, val, val_len,
		    prval);
}

LIBRADOS_API void rados_read_op_stat(rados_read_op_t read_op, uint64_t *psize,
				     time_t *pmtime, int *prval)
{
	struct rop_out *o;

	if (rop_add(read_op, OSD_OP_STAT, 0, 0, NULL, NULL, 0, &o)) {
		o->kind = ROP_OUT_STAT;
		o->psize = psize;
		o->pmtime = pmtime;
		o->prval = prval;
	}
}

LIBRADOS_API void rados_read_op_read(rados_read_op_t read_op, uint64_t offset,
				     size_t len, char *buffer,
				     size_t *bytes_read, int *prval)
{
	struct rop_out *o;

	if (!buffer && len) {
		rop_fail(read_op, -EINVAL);
		return;
	}
	if (rop_add(read_op, OSD_OP_READ, offset, len, NULL, NULL, 0, &o)) {
		o->kind = ROP_OUT_READ;
		o->buf = buffer;
		o->len = len;
		o->bytes_read = bytes_read;
		o->prval = prval;
	}
}

LIBRADOS_API void rados_read_op_checksum(rados_read_op_t read_op, int type,
					 const char *init_value,
					 size_t init_value_len, uint64_t offset,
					 size_t len, size_t chunk_size,
					 char *pchecksum, size_t checksum_len,
					 int *prval)
{
	if (prval)
		*prval = -EOPNOTSUPP;
	rop_fail(read_op, -EOPNOTSUPP);
}

LIBRADOS_API void rados_read_op_exec(rados_read_op_t read_op, const char *cls,
				     const char *method, const char *in_buf,
				     size_t in_len, char **out_buf,
				     size_t *out_len, int *prval)
{
	if (out_buf)
		*out_buf = NULL;
	if (out_len)
		*out_len = 0;
	if (prval)
		*prval = -EOPNOTSUPP;
	rop_fail(read_op, -EOPNOTSUPP);
}

LIBRADOS_API void rados_read_op_exec_user_buf(rados_read_op_t read_op,
					      const char *cls,
					      const char *method,
					      const char *in_buf, size_t in_len,
					      char *out_buf, size_t out_len,
					      size_t *used_len, int *prval)
{
	if (used_len)
		*used_len = 0;
	if (prval)
		*prval = -EOPNOTSUPP;
	rop_fail(read_op, -EOPNOTSUPP);
}

/* A kv sub-op whose iterator the caller gets at once (Ceph hands it out
 * when the op is built; it is filled when the op completes, and must be
 * freed with the matching _end call either way). */
static void op_kvs(struct rop *r, uint16_t code, uint64_t off, uint64_t max,
		   const char *name, const void *data, size_t datalen,
		   bool keys_only, void **iter, unsigned char *pmore, int *prval)
{
	struct rados_kv_iter *it;
	struct rop_out *o;

	if (iter)
		*iter = NULL;
	if (pmore)
		*pmore = 0;
	it = rados_kv_iter_create(keys_only);
	if (!it) {
		rop_fail(r, -ENOMEM);
		return;
	}
	if (!rop_add(r, code, off, max, name, data, datalen, &o)) {
		/* Still hand out an empty iterator: callers free it. */
		if (iter)
			*iter = it;
		else
			rados_kv_iter_destroy(it);
		return;
	}
	o->kind = ROP_OUT_KVS;
	o->iter = it;
	o->pmore = pmore;
	o->prval = prval;
	if (iter) {
		*iter = it;
	} else {
		/* Nobody would free it: drop the output. */
		o->kind = ROP_OUT_NONE;
		rados_kv_iter_destroy(it);
	}
}

LIBRADOS_API void rados_read_op_getxattrs(rados_read_op_t read_op,
					  rados_xattrs_iter_t *iter, int *prval)
{
	op_kvs(read_op, OSD_OP_GETXATTRS, 0, 0, NULL, NULL, 0, false, iter,
	       NULL, prval);
}

static void omap_get(struct rop *r, uint16_t code, const char *start_after,
		     const char *filter_prefix, uint64_t max_return,
		     rados_omap_iter_t *iter, unsigned char *pmore, int *prval)
{
	size_t flen = filter_prefix ? strlen(filter_prefix) : 0;

	op_kvs(r, code, 0, max_return, start_after ? start_after : "",
	       filter_prefix, flen, code == OSD_OP_OMAP_GET_KEYS, iter, pmore,
	       prval);
}

LIBRADOS_API void rados_read_op_omap_get_vals(rados_read_op_t read_op,
					      const char *start_after,
					      const char *filter_prefix,
					      uint64_t max_return,
					      rados_omap_iter_t *iter,
					      int *prval)
{
	omap_get(read_op, OSD_OP_OMAP_GET_VALS, start_after, filter_prefix,
		 max_return, iter, NULL, prval);
}

LIBRADOS_API void rados_read_op_omap_get_vals2(rados_read_op_t read_op,
					       const char *start_after,
					       const char *filter_prefix,
					       uint64_t max_return,
					       rados_omap_iter_t *iter,
					       unsigned char *pmore,
					       int *prval)
{
	omap_get(read_op, OSD_OP_OMAP_GET_VALS, start_after, filter_prefix,
		 max_return, iter, pmore, prval);
}

LIBRADOS_API void rados_read_op_omap_get_keys(rados_read_op_t read_op,
					      const char *start_after,
					      uint64_t max_return,
					      rados_omap_iter_t *iter,
					      int *prval)
{
	omap_get(read_op, OSD_OP_OMAP_GET_KEYS, start_after, NULL, max_return,
		 iter, NULL, prval);
}

LIBRADOS_API void rados_read_op_omap_get_keys2(rados_read_op_t read_op,
					       const char *start_after,
					       uint64_t max_return,
					       rados_omap_iter_t *iter,
					       unsigned char *pmore,
					       int *prval)
{
	omap_get(read_op, OSD_OP_OMAP_GET_KEYS, start_after, NULL, max_return,
		 iter, pmore, prval);
}

static void omap_by_keys(struct rop *r, char const *const *keys,
			 const size_t *lens, size_t n, rados_omap_iter_t *iter,
			 int *prval)
{
	struct enc_buf b;
	int rc = keys_check(keys, lens, n);

	if (rc) {
		if (iter)
			*iter = rados_kv_iter_create(false);
		rop_fail(r, rc);
		return;
	}
	enc_buf_init(&b);
	osd_keys_encode((const char *const *)keys, n, &b);
	if (enc_buf_error(&b)) {
		if (iter)
			*iter = rados_kv_iter_create(false);
		rop_fail(r, enc_buf_error(&b));
	} else {
		op_kvs(r, OSD_OP_OMAP_GET_VALS_BY_KEYS, 0, 0, NULL, b.data,
		       b.len, false, iter, NULL, prval);
	}
	enc_buf_release(&b);
}

LIBRADOS_API void rados_read_op_omap_get_vals_by_keys(rados_read_op_t read_op,
						      char const *const *keys,
						      size_t keys_len,
						      rados_omap_iter_t *iter,
						      int *prval)
{
	omap_by_keys(read_op, keys, NULL, keys_len, iter, prval);
}

LIBRADOS_API void rados_read_op_omap_get_vals_by_keys2(rados_read_op_t read_op,
						       char const *const *keys,
						       size_t num_keys,
						       const size_t *key_lens,
						       rados_omap_iter_t *iter,
						       int *prval)
{
	omap_by_keys(read_op, keys, key_lens, num_keys, iter, prval);
}

LIBRADOS_API int rados_read_op_operate(rados_read_op_t read_op,
				       rados_ioctx_t io, const char *oid,
				       int flags)
{
	return rados_op_sync(io, oid, read_op, NULL);
}

LIBRADOS_API int rados_aio_read_op_operate(rados_read_op_t read_op,
					   rados_ioctx_t io,
					   rados_completion_t completion,
					   const char *oid, int flags)
{
	return rados_op_aio(io, oid, read_op, completion);
}
