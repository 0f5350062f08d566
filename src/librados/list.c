/*
 * Object listing (rados_nobjects_list_*): walks the pool's PGs in order
 * and asks each PG's primary for its objects with OSD_OP_PGLS, a page at
 * a time, from a cursor (the store name of the last object seen) until
 * the PG says it has no more.  Each PG lists in its store's name order,
 * so an object that exists for the whole listing is returned exactly
 * once however the pool changes meanwhile.  Objects of other namespaces
 * are skipped unless the I/O context's namespace is LIBRADOS_ALL_NSPACES.
 * The "hash position" of Ceph's API is the PG index here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "librados/librados_internal.h"
#include "osdmap/osdmap.h"

#define LIST_PAGE 1024

struct rados_list_ctx {
	struct rados_ioctx *io;
	char *nspace;        /* the filter, copied at open */
	bool all_nspaces;
	uint32_t pg, pg_num;
	char *cursor;        /* continue after this store name ("" first) */
	bool pg_done;        /* the PG said it has no more */
	/* the current page */
	uint8_t *buf;
	struct osd_ls_entry *ents;
	size_t n, pos;
	const char *next;
	int take_err;
};

int rados_list_take_reply(struct rados_list_ctx *ls, const uint8_t *out,
			  size_t outlen)
{
	struct osd_ls_entry *e;
	const char *next;
	uint8_t *buf;
	size_t n;
	int rc;

	buf = malloc(outlen ? outlen : 1);
	if (!buf)
		return -ENOMEM;
	if (outlen)
		memcpy(buf, out, outlen);
	rc = osd_ls_decode(buf, outlen, &e, &n, &next);
	if (rc) {
		free(buf);
		return rc == -ENOMEM ? rc : -EIO;
	}
	free(ls->ents);
	free(ls->buf);
	ls->buf = buf;
	ls->ents = e;
	ls->n = n;
	ls->pos = 0;
	ls->next = next;
	return 0;
}

static int list_pg_num(struct rados_ioctx *io, uint32_t *pg_num)
{
	struct osdmap *m = objecter_map(io->cluster->objecter);
	const struct osdmap_pool *p = m ? osdmap_pool_by_id(m, io->pool_id) : NULL;
	int rc = p ? 0 : -ENOENT;

	if (p)
		*pg_num = p->pg_num;
	osdmap_put(m);
	return rc;
}

LIBRADOS_API int rados_nobjects_list_open(rados_ioctx_t io, rados_list_ctx_t *ctx)
{
	struct rados_ioctx *x = io;
	struct rados_list_ctx *ls;
	int rc;

	if (!ctx)
		return -EINVAL;
	if (!x->cluster->objecter)
		return -ENOTCONN;
	ls = calloc(1, sizeof(*ls));
	if (!ls)
		return -ENOMEM;
	ls->io = x;
	ls->nspace = strdup(x->nspace);
	ls->cursor = strdup("");
	if (!ls->nspace || !ls->cursor) {
		rc = -ENOMEM;
		goto out_free;
	}
	ls->all_nspaces = strcmp(x->nspace, LIBRADOS_ALL_NSPACES) == 0;
	rc = list_pg_num(x, &ls->pg_num);
	if (rc)
		goto out_free;
	*ctx = ls;
	return 0;

out_free:
	free(ls->nspace);
	free(ls->cursor);
	free(ls);
	return rc;
}

LIBRADOS_API void rados_nobjects_list_close(rados_list_ctx_t ctx)
{
	struct rados_list_ctx *ls = ctx;

	if (!ls)
		return;
	free(ls->nspace);
	free(ls->cursor);
	free(ls->ents);
	free(ls->buf);
	free(ls);
}

/* Fetches the next page of the current PG. */
static int list_fetch(struct rados_list_ctx *ls)
{
	struct osd_op op = {
		.op = OSD_OP_PGLS, .len = LIST_PAGE, .name = ls->cursor,
	};
	struct rop_out o = { .kind = ROP_OUT_LS, .ls = ls };
	struct rados_completion *c;
	struct rop r;
	char *cur;
	int rc;

	rop_init(&r, false, false);
	r.ops = &op;
	r.outs = &o;
	r.n = r.cap = 1;
	rc = rados_completion_create(NULL, NULL, NULL, &c);
	if (rc)
		return rc;
	c->internal = true;
	rc = objecter_submit(ls->io, NULL, ls->pg, &r, c);
	if (rc == 0) {
		rados_completion_wait(c);
		rc = c->rval;
	}
	rados_completion_put(c);
	if (rc < 0)
		return rc;
	if (!ls->next[0]) {
		ls->pg_done = true;
		return 0;
	}
	cur = strdup(ls->next);
	if (!cur)
		return -ENOMEM;
	free(ls->cursor);
	ls->cursor = cur;
	return 0;
}

static int list_next(struct rados_list_ctx *ls, const struct osd_ls_entry **out)
{
	int rc;

	for (;;) {
		while (ls->pos < ls->n) {
			const struct osd_ls_entry *e = &ls->ents[ls->pos++];

			if (ls->all_nspaces || strcmp(e->nspace, ls->nspace) == 0) {
				*out = e;
				return 0;
			}
		}
		if (ls->pg_done) {
			if (ls->pg + 1 >= ls->pg_num) {
				ls->pg = ls->pg_num;
				return -ENOENT;
			}
			ls->pg++;
			ls->pg_done = false;
			ls->cursor[0] = '\0';
		}
		if (ls->pg >= ls->pg_num)
			return -ENOENT;
		ls->n = ls->pos = 0;
		rc = list_fetch(ls);
		if (rc)
			return rc;
	}
}

LIBRADOS_API int rados_nobjects_list_next2(rados_list_ctx_t ctx,
					   const char **entry, const char **key,
					   const char **nspace,
					   size_t *entry_size, size_t *key_size,
					   size_t *nspace_size)
{
	const struct osd_ls_entry *e;
	int rc;

	if (!ctx)
		return -EINVAL;
	rc = list_next(ctx, &e);
	if (rc)
		return rc;
	if (entry)
		*entry = e->oid;
	if (key)
		*key = e->key[0] ? e->key : NULL;
	if (nspace)
		*nspace = e->nspace;
	if (entry_size)
		*entry_size = strlen(e->oid);
	if (key_size)
		*key_size = strlen(e->key);
	if (nspace_size)
		*nspace_size = strlen(e->nspace);
	return 0;
}

LIBRADOS_API int rados_nobjects_list_next(rados_list_ctx_t ctx,
					  const char **entry, const char **key,
					  const char **nspace)
{
	return rados_nobjects_list_next2(ctx, entry, key, nspace, NULL, NULL,
					 NULL);
}

LIBRADOS_API uint32_t rados_nobjects_list_get_pg_hash_position(rados_list_ctx_t ctx)
{
	struct rados_list_ctx *ls = ctx;

	return ls->pg;
}

LIBRADOS_API uint32_t rados_nobjects_list_seek(rados_list_ctx_t ctx,
					       uint32_t pos)
{
	struct rados_list_ctx *ls = ctx;

	ls->pg = pos < ls->pg_num ? pos : ls->pg_num;
	ls->pg_done = false;
	ls->cursor[0] = '\0';
	ls->n = ls->pos = 0;
	return ls->pg;
}
