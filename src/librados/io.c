/*
 * The simple object calls (rados_read, rados_write, rados_stat, xattrs,
 * ...) synchronously and through completions, the I/O context's
 * namespace and locator key, and the xattr/omap iterators.  Each call is
 * a one- or two-sub-op struct rop built on the stack, lending the
 * caller's buffers until objecter_submit() has encoded them; a
 * synchronous call is the asynchronous one plus a wait.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "librados/librados_internal.h"

/* --- I/O context settings ---------------------------------------------- */

static int set_str(char **dst, const char *s)
{
	char *n = strdup(s ? s : "");

	if (!n)
		return -ENOMEM;
	free(*dst);
	*dst = n;
	return 0;
}

LIBRADOS_API void rados_ioctx_set_namespace(rados_ioctx_t io, const char *nspace)
{
	struct rados_ioctx *x = io;

	if (nspace && strlen(nspace) > OSD_PROTO_NAME_MAX)
		return;
	set_str(&x->nspace, nspace);
}

LIBRADOS_API int rados_ioctx_get_namespace(rados_ioctx_t io, char *buf,
					   unsigned maxlen)
{
	struct rados_ioctx *x = io;
	size_t n = strlen(x->nspace);

	if (!buf || n + 1 > maxlen)
		return -ERANGE;
	memcpy(buf, x->nspace, n + 1);
	return (int)n;
}

LIBRADOS_API void rados_ioctx_locator_set_key(rados_ioctx_t io, const char *key)
{
	struct rados_ioctx *x = io;

	if (key && strlen(key) > OSD_PROTO_NAME_MAX)
		return;
	set_str(&x->locator, key);
}

LIBRADOS_API uint64_t rados_get_last_version(rados_ioctx_t io)
{
	struct rados_ioctx *x = io;

	return atomic_load(&x->last_version);
}

/* --- building the simple ops ------------------------------------------ */

static int check_write_len(struct rados_ioctx *io, size_t len)
{
	if (len > io->cluster->max_write || len > OSD_PROTO_DATA_MAX)
		return -EFBIG;
	return 0;
}

/* One sub-op on the stack; run synchronously, or through c if non-NULL. */
static int run1(struct rados_ioctx *io, const char *oid, rados_completion_t c,
		bool write, uint16_t code, uint64_t off, uint64_t len,
		const char *name, const void *data, size_t datalen,
		const struct rop_out *out, int ret_index)
{
	struct osd_op op = {
		.op = code, .off = off, .len = len, .name = name,
		.data = data, .datalen = datalen,
	};
	struct rop_out o = { 0 };
	struct rop r;

	rop_init(&r, write, false);
	if (out)
		o = *out;
	r.ops = &op;
	r.outs = &o;
	r.n = r.cap = 1;
	r.ret_index = ret_index;
	if (name && strlen(name) > OSD_PROTO_ATTR_NAME_MAX)
		return -ENAMETOOLONG;
	if (c)
		return rados_op_aio(io, oid, &r, c);
	return rados_op_sync(io, oid, &r, NULL);
}

static int do_write(rados_ioctx_t io, const char *oid, rados_completion_t c,
		    uint16_t code, const char *buf, size_t len, uint64_t off)
{
	int rc = check_write_len(io, len);

	if (rc)
		return rc;
	if (!buf && len)
		return -EINVAL;
	return run1(io, oid, c, true, code, off, len, NULL, buf, len, NULL, -1);
}

static int do_writesame(rados_ioctx_t io, const char *oid,
			rados_completion_t c, const char *buf, size_t data_len,
			size_t write_len, uint64_t off)
{
	char *p = NULL;
	int rc = check_write_len(io, write_len);

	if (rc)
		return rc;
	rc = rados_writesame_fill(buf, data_len, write_len, &p);
	if (rc)
		return rc;
	rc = run1(io, oid, c, true, OSD_OP_WRITE, off, write_len, NULL, p,
		  write_len, NULL, -1);
	free(p);
	return rc;
}

static int do_read(rados_ioctx_t io, const char *oid, rados_completion_t c,
		   char *buf, size_t len, uint64_t off)
{
	struct rop_out o = { .kind = ROP_OUT_READ, .buf = buf, .len = len };

	if (!buf && len)
		return -EINVAL;
	if (len > OSD_PROTO_DATA_MAX)
		len = OSD_PROTO_DATA_MAX;
	/* len 0 would mean "to the end" on the wire. */
	if (len == 0)
		return run1(io, oid, c, false, OSD_OP_STAT, 0, 0, NULL, NULL, 0,
			    NULL, -1);
	return run1(io, oid, c, false, OSD_OP_READ, off, len, NULL, NULL, 0, &o, 0);
}

static int do_stat(rados_ioctx_t io, const char *oid, rados_completion_t c,
		   uint64_t *psize, time_t *pmtime, struct timespec *pts)
{
	struct rop_out o = { .kind = ROP_OUT_STAT, .psize = psize,
			     .pmtime = pmtime, .pts = pts };

	return run1(io, oid, c, false, OSD_OP_STAT, 0, 0, NULL, NULL, 0, &o, -1);
}

static int do_getxattr(rados_ioctx_t io, const char *oid, rados_completion_t c,
		       const char *name, char *buf, size_t len)
{
	struct rop_out o = { .kind = ROP_OUT_XATTR, .buf = buf, .len = len };

	if (!name || (!buf && len))
		return -EINVAL;
	return run1(io, oid, c, false, OSD_OP_GETXATTR, 0, 0, name, NULL, 0, &o, 0);
}

static int do_setxattr(rados_ioctx_t io, const char *oid, rados_completion_t c,
		       const char *name, const char *buf, size_t len)
{
	int rc = check_write_len(io, len);

	if (rc)
		return rc;
	if (!name || (!buf && len))
		return -EINVAL;
	return run1(io, oid, c, true, OSD_OP_SETXATTR, 0, 0, name, buf, len, NULL, -1);
}

static int do_rmxattr(rados_ioctx_t io, const char *oid, rados_completion_t c,
		      const char *name)
{
	if (!name)
		return -EINVAL;
	return run1(io, oid, c, true, OSD_OP_RMXATTR, 0, 0, name, NULL, 0, NULL, -1);
}

static int do_getxattrs(rados_ioctx_t io, const char *oid,
			rados_completion_t c, rados_xattrs_iter_t *iter)
{
	struct rop_out o = { .kind = ROP_OUT_KVS };
	int rc;

	if (!iter)
		return -EINVAL;
	o.iter = rados_kv_iter_create(false);
	if (!o.iter)
		return -ENOMEM;
	/* aio: once submitted, the reply handler hands the iterator out
	 * (piter) or frees it; an error here means it was not submitted. */
	if (c)
		o.piter = iter;
	rc = run1(io, oid, c, false, OSD_OP_GETXATTRS, 0, 0, NULL, NULL, 0, &o, -1);
	if (rc < 0)
		rados_kv_iter_destroy(o.iter);
	else if (!c)
		*iter = o.iter;
	return rc;
}

static int do_cmpext(rados_ioctx_t io, const char *oid, rados_completion_t c,
		     const char *cmp_buf, size_t cmp_len, uint64_t off)
{
	if (!cmp_buf && cmp_len)
		return -EINVAL;
	return run1(io, oid, c, false, OSD_OP_CMPEXT, off, cmp_len, NULL, cmp_buf,
		    cmp_len, NULL, -1);
}

/* --- synchronous calls ------------------------------------------------ */

LIBRADOS_API int rados_write(rados_ioctx_t io, const char *oid, const char *buf,
			     size_t len, uint64_t off)
{
	return do_write(io, oid, NULL, OSD_OP_WRITE, buf, len, off);
}

LIBRADOS_API int rados_write_full(rados_ioctx_t io, const char *oid,
				  const char *buf, size_t len)
{
	return do_write(io, oid, NULL, OSD_OP_WRITE_FULL, buf, len, 0);
}

LIBRADOS_API int rados_append(rados_ioctx_t io, const char *oid,
			      const char *buf, size_t len)
{
	return do_write(io, oid, NULL, OSD_OP_APPEND, buf, len, 0);
}

LIBRADOS_API int rados_writesame(rados_ioctx_t io, const char *oid,
				 const char *buf, size_t data_len,
				 size_t write_len, uint64_t off)
{
	return do_writesame(io, oid, NULL, buf, data_len, write_len, off);
}

LIBRADOS_API int rados_read(rados_ioctx_t io, const char *oid, char *buf,
			    size_t len, uint64_t off)
{
	return do_read(io, oid, NULL, buf, len, off);
}

LIBRADOS_API int rados_stat(rados_ioctx_t io, const char *o, uint64_t *psize,
			    time_t *pmtime)
{
	return do_stat(io, o, NULL, psize, pmtime, NULL);
}

LIBRADOS_API int rados_trunc(rados_ioctx_t io, const char *oid, uint64_t size)
{
	return run1(io, oid, NULL, true, OSD_OP_TRUNCATE, size, 0, NULL, NULL, 0,
		    NULL, -1);
}

LIBRADOS_API int rados_remove(rados_ioctx_t io, const char *oid)
{
	return run1(io, oid, NULL, true, OSD_OP_DELETE, 0, 0, NULL, NULL, 0, NULL, -1);
}

LIBRADOS_API int rados_getxattr(rados_ioctx_t io, const char *o,
				const char *name, char *buf, size_t len)
{
	return do_getxattr(io, o, NULL, name, buf, len);
}

LIBRADOS_API int rados_setxattr(rados_ioctx_t io, const char *o,
				const char *name, const char *buf, size_t len)
{
	return do_setxattr(io, o, NULL, name, buf, len);
}

LIBRADOS_API int rados_rmxattr(rados_ioctx_t io, const char *o,
			       const char *name)
{
	return do_rmxattr(io, o, NULL, name);
}

LIBRADOS_API int rados_getxattrs(rados_ioctx_t io, const char *oid,
				 rados_xattrs_iter_t *iter)
{
	return do_getxattrs(io, oid, NULL, iter);
}

LIBRADOS_API int rados_cmpext(rados_ioctx_t io, const char *o,
			      const char *cmp_buf, size_t cmp_len,
			      uint64_t off)
{
	return do_cmpext(io, o, NULL, cmp_buf, cmp_len, off);
}

LIBRADOS_API int rados_exec(rados_ioctx_t io, const char *oid, const char *cls,
			    const char *method, const char *in_buf,
			    size_t in_len, char *buf, size_t out_len)
{
	return -EOPNOTSUPP; /* object classes come later */
}

LIBRADOS_API int rados_set_alloc_hint(rados_ioctx_t io, const char *o,
				      uint64_t expected_object_size,
				      uint64_t expected_write_size)
{
	return run1(io, o, NULL, true, OSD_OP_SET_ALLOC_HINT, expected_object_size,
		    expected_write_size, NULL, NULL, 0, NULL, -1);
}

LIBRADOS_API int rados_set_alloc_hint2(rados_ioctx_t io, const char *o,
				       uint64_t expected_object_size,
				       uint64_t expected_write_size,
				       uint32_t flags)
{
	return rados_set_alloc_hint(io, o, expected_object_size,
				    expected_write_size);
}

/* --- asynchronous calls ----------------------------------------------- */

LIBRADOS_API int rados_aio_write(rados_ioctx_t io, const char *oid,
				 rados_completion_t completion, const char *buf,
				 size_t len, uint64_t off)
{
	if (!completion)
		return -EINVAL;
	return do_write(io, oid, completion, OSD_OP_WRITE, buf, len, off);
}

LIBRADOS_API int rados_aio_write_full(rados_ioctx_t io, const char *oid,
				      rados_completion_t completion,
				      const char *buf, size_t len)
{
	if (!completion)
		return -EINVAL;
	return do_write(io, oid, completion, OSD_OP_WRITE_FULL, buf, len, 0);
}

LIBRADOS_API int rados_aio_append(rados_ioctx_t io, const char *oid,
				  rados_completion_t completion,
				  const char *buf, size_t len)
{
	if (!completion)
		return -EINVAL;
	return do_write(io, oid, completion, OSD_OP_APPEND, buf, len, 0);
}

LIBRADOS_API int rados_aio_writesame(rados_ioctx_t io, const char *oid,
				     rados_completion_t completion,
				     const char *buf, size_t data_len,
				     size_t write_len, uint64_t off)
{
	if (!completion)
		return -EINVAL;
	return do_writesame(io, oid, completion, buf, data_len, write_len, off);
}

LIBRADOS_API int rados_aio_read(rados_ioctx_t io, const char *oid,
				rados_completion_t completion, char *buf,
				size_t len, uint64_t off)
{
	if (!completion)
		return -EINVAL;
	return do_read(io, oid, completion, buf, len, off);
}

LIBRADOS_API int rados_aio_stat(rados_ioctx_t io, const char *o,
				rados_completion_t completion, uint64_t *psize,
				time_t *pmtime)
{
	if (!completion)
		return -EINVAL;
	return do_stat(io, o, completion, psize, pmtime, NULL);
}

LIBRADOS_API int rados_aio_remove(rados_ioctx_t io, const char *oid,
				  rados_completion_t completion)
{
	if (!completion)
		return -EINVAL;
	return run1(io, oid, completion, true, OSD_OP_DELETE, 0, 0, NULL, NULL, 0,
		    NULL, -1);
}

LIBRADOS_API int rados_aio_getxattr(rados_ioctx_t io, const char *o,
				    rados_completion_t completion,
				    const char *name, char *buf, size_t len)
{
	if (!completion)
		return -EINVAL;
	return do_getxattr(io, o, completion, name, buf, len);
}

LIBRADOS_API int rados_aio_setxattr(rados_ioctx_t io, const char *o,
				    rados_completion_t completion,
				    const char *name, const char *buf,
				    size_t len)
{
	if (!completion)
		return -EINVAL;
	return do_setxattr(io, o, completion, name, buf, len);
}

LIBRADOS_API int rados_aio_rmxattr(rados_ioctx_t io, const char *o,
				   rados_completion_t completion,
				   const char *name)
{
	if (!completion)
		return -EINVAL;
	return do_rmxattr(io, o, completion, name);
}

LIBRADOS_API int rados_aio_getxattrs(rados_ioctx_t io, const char *oid,
				     rados_completion_t completion,
				     rados_xattrs_iter_t *iter)
{
	if (!completion)
		return -EINVAL;
	return do_getxattrs(io, oid, completion, iter);
}

LIBRADOS_API int rados_aio_cmpext(rados_ioctx_t io, const char *o,
				  rados_completion_t completion,
				  const char *cmp_buf, size_t cmp_len,
				  uint64_t off)
{
	if (!completion)
		return -EINVAL;
	return do_cmpext(io, o, completion, cmp_buf, cmp_len, off);
}

LIBRADOS_API int rados_aio_exec(rados_ioctx_t io, const char *o,
				rados_completion_t completion, const char *cls,
				const char *method, const char *in_buf,
				size_t in_len, char *buf, size_t out_len)
{
	return -EOPNOTSUPP; /* object classes come later */
}

/* --- iterators -------------------------------------------------------- */

struct rados_kv_iter *rados_kv_iter_create(bool keys_only)
{
	struct rados_kv_iter *it = calloc(1, sizeof(*it));

	if (it)
		it->keys_only = keys_only;
	return it;
}

int rados_kv_iter_fill(struct rados_kv_iter *it, const uint8_t *out,
		       size_t outlen, bool *more)
{
	uint8_t *buf;
	int rc;

	*more = false;
	if (!outlen)
		return 0; /* nothing: an empty list */
	buf = malloc(outlen);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, out, outlen);
	rc = osd_kvs_decode(buf, outlen, &it->kv, &it->n, more);
	if (rc) {
		free(buf);
		return rc == -ENOMEM ? rc : -EIO;
	}
	free(it->buf);
	it->buf = buf;
	it->pos = 0;
	return 0;
}

void rados_kv_iter_destroy(struct rados_kv_iter *it)
{
	if (!it)
		return;
	free(it->kv);
	free(it->buf);
	free(it);
}

LIBRADOS_API int rados_getxattrs_next(rados_xattrs_iter_t iter,
				      const char **name, const char **val,
				      size_t *len)
{
	struct rados_kv_iter *it = iter;

	if (!it || it->pos >= it->n) {
		*name = NULL;
		*val = NULL;
		*len = 0;
		return 0;
	}
	*name = it->kv[it->pos].key;
	*val = (const char *)it->kv[it->pos].val;
	*len = it->kv[it->pos].val_len;
	it->pos++;
	return 0;
}

LIBRADOS_API void rados_getxattrs_end(rados_xattrs_iter_t iter)
{
	rados_kv_iter_destroy(iter);
}

LIBRADOS_API int rados_omap_get_next2(rados_omap_iter_t iter, char **key,
				      char **val, size_t *key_len,
				      size_t *val_len)
{
	struct rados_kv_iter *it = iter;
	const struct osd_kv *kv;

	if (!it || it->pos >= it->n) {
		if (key)
			*key = NULL;
		if (val)
			*val = NULL;
		if (key_len)
			*key_len = 0;
		if (val_len)
			*val_len = 0;
		return 0;
	}
	kv = &it->kv[it->pos++];
	if (key)
		*key = (char *)kv->key;
	if (key_len)
		*key_len = strlen(kv->key);
	if (val)
		*val = it->keys_only ? NULL : (char *)kv->val;
	if (val_len)
		*val_len = it->keys_only ? 0 : kv->val_len;
	return 0;
}

LIBRADOS_API int rados_omap_get_next(rados_omap_iter_t iter, char **key,
				     char **val, size_t *len)
{
	return rados_omap_get_next2(iter, key, val, NULL, len);
}

LIBRADOS_API unsigned int rados_omap_iter_size(rados_omap_iter_t iter)
{
	struct rados_kv_iter *it = iter;

	return it ? (unsigned int)it->n : 0;
}

LIBRADOS_API void rados_omap_get_end(rados_omap_iter_t iter)
{
	rados_kv_iter_destroy(iter);
}
