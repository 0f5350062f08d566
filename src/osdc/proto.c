/*
 * Encoders and decoders of the client/OSD and OSD/OSD messages
 * (osd_proto.h).  Decoders borrow strings and blobs from the input and
 * check every count and length before using it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osdc/osd_proto.h"

#define PROTO_VERSION 1
#define KVS_MAX (1u << 24)

static const uint8_t *dec_data(struct dec_cursor *c, size_t max, size_t *len)
{
	const uint8_t *p = dec_blob_ref(c, max, len);

	if (!p || !*len) {
		*len = 0;
		return NULL;
	}
	return p;
}

/* ---- ops ---- */

/* space: when not NULL, a reply op with out == NULL and outlen > 0 gets
 * outlen bytes of space whose offset goes to *space. */
static void enc_ops(struct enc_buf *b, const struct osd_op *ops, size_t n, bool reply,
		    ptrdiff_t *space)
{
	enc_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const struct osd_op *o = &ops[i];
		enc_put_u16(b, o->op);
		enc_put_u32(b, o->flags);
		if (reply) {
			enc_put_s32(b, o->rval);
			if (space && !o->out && o->outlen && *space < 0 &&
			    o->outlen <= UINT32_MAX) {
				enc_put_u32(b, (uint32_t)o->outlen);
				*space = enc_put_space(b, o->outlen);
				continue;
			}
			enc_put_blob(b, o->out, o->out ? o->outlen : 0);
			continue;
		}
		enc_put_u64(b, o->off);
		enc_put_u64(b, o->len);
		enc_put_u64(b, o->arg);
		enc_put_cstr(b, o->name);
		enc_put_blob(b, o->data, o->data ? o->datalen : 0);
	}
}

static struct osd_op *dec_ops(struct dec_cursor *c, size_t *n, bool reply)
{
	uint32_t cnt = dec_u32(c);
	struct osd_op *ops;

	*n = 0;
	if (dec_error(c))
		return NULL;
	if (cnt > OSD_PROTO_MAX_OPS || cnt > dec_left(c) / 6) {
		dec_fail(c, -EBADMSG);
		return NULL;
	}
	ops = calloc(cnt ? cnt : 1, sizeof(*ops));
	if (!ops) {
		dec_fail(c, -ENOMEM);
		return NULL;
	}
	for (uint32_t i = 0; i < cnt && !dec_error(c); i++) {
		struct osd_op *o = &ops[i];
		o->op = dec_u16(c);
		o->flags = dec_u32(c);
		o->name = "";
		if (reply) {
			o->rval = dec_s32(c);
			o->out = dec_data(c, OSD_PROTO_DATA_MAX, &o->outlen);
			continue;
		}
		o->off = dec_u64(c);
		o->len = dec_u64(c);
		o->arg = dec_u64(c);
		o->name = dec_cstr_ref(c, OSD_PROTO_ATTR_NAME_MAX);
		o->data = dec_data(c, OSD_PROTO_DATA_MAX, &o->datalen);
		/* Unknown op codes pass: the OSD answers them -EOPNOTSUPP. */
	}
	if (dec_error(c)) {
		free(ops);
		return NULL;
	}
	*n = cnt;
	return ops;
}

int osd_op_msg_encode(const struct osd_op_msg *m, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u64(b, m->tid);
	enc_put_u32(b, m->epoch);
	enc_put_u32(b, m->flags);
	enc_put_s64(b, m->pool);
	enc_put_u32(b, m->ps);
	enc_put_u32(b, m->hash);
	enc_put_cstr(b, m->nspace);
	enc_put_cstr(b, m->key);
	enc_put_cstr(b, m->oid);
	enc_ops(b, m->ops, m->n_ops, false, NULL);
	return enc_finish(b, mark);
}

int osd_op_msg_decode(const void *buf, size_t len, struct osd_op_msg *m)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(m, 0, sizeof(*m));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	m->tid = dec_u64(&sub);
	m->epoch = dec_u32(&sub);
	m->flags = dec_u32(&sub);
	m->pool = dec_s64(&sub);
	m->ps = dec_u32(&sub);
	m->hash = dec_u32(&sub);
	/* Names up to the wire cap decode, so the OSD can answer an
	 * over-long one ENAMETOOLONG instead of dropping the session. */
	m->nspace = dec_cstr_ref(&sub, OSD_PROTO_WIRE_NAME_MAX);
	m->key = dec_cstr_ref(&sub, OSD_PROTO_WIRE_NAME_MAX);
	m->oid = dec_cstr_ref(&sub, OSD_PROTO_WIRE_NAME_MAX);
	m->ops = dec_ops(&sub, &m->n_ops, false);
	if (dec_finish(&d, &sub)) {
		free(m->ops);
		memset(m, 0, sizeof(*m));
		return dec_error(&d);
	}
	return 0;
}

void osd_op_msg_release(struct osd_op_msg *m)
{
	free(m->ops);
	m->ops = NULL;
	m->n_ops = 0;
}

static int reply_encode(const struct osd_op_reply *r, struct enc_buf *b, ptrdiff_t *space)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u64(b, r->tid);
	enc_put_s32(b, r->result);
	enc_put_u32(b, r->epoch);
	enc_put_u32(b, r->flags);
	enc_put_u64(b, r->version);
	enc_ops(b, r->ops, r->n_ops, true, space);
	return enc_finish(b, mark);
}

int osd_op_reply_encode(const struct osd_op_reply *r, struct enc_buf *b)
{
	return reply_encode(r, b, NULL);
}

int osd_op_reply_encode_space(const struct osd_op_reply *r, struct enc_buf *b,
			      ptrdiff_t *space)
{
	*space = -1;
	return reply_encode(r, b, space);
}

int osd_op_reply_decode(const void *buf, size_t len, struct osd_op_reply *r)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(r, 0, sizeof(*r));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	r->tid = dec_u64(&sub);
	r->result = dec_s32(&sub);
	r->epoch = dec_u32(&sub);
	r->flags = dec_u32(&sub);
	r->version = dec_u64(&sub);
	r->ops = dec_ops(&sub, &r->n_ops, true);
	if (dec_finish(&d, &sub)) {
		free(r->ops);
		memset(r, 0, sizeof(*r));
		return dec_error(&d);
	}
	return 0;
}

void osd_op_reply_release(struct osd_op_reply *r)
{
	free(r->ops);
	r->ops = NULL;
	r->n_ops = 0;
}

/* ---- replication ---- */

static void enc_eversion(struct enc_buf *b, struct osd_eversion v)
{
	enc_put_u32(b, v.epoch);
	enc_put_u64(b, v.version);
}

static struct osd_eversion dec_eversion(struct dec_cursor *c)
{
	struct osd_eversion v;

	v.epoch = dec_u32(c);
	v.version = dec_u64(c);
	return v;
}

int osd_log_entry_encode(const struct osd_log_entry *e, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);
	char name[OSD_PROTO_ENTITY_MAX];

	enc_put_u8(b, e->op);
	enc_eversion(b, e->version);
	enc_eversion(b, e->prior_version);
	enc_put_u64(b, e->user_version);
	memcpy(name, e->reqid.name, sizeof(name));
	name[sizeof(name) - 1] = 0;
	enc_put_string(b, name);
	enc_put_u64(b, e->reqid.nonce);
	enc_put_u64(b, e->reqid.tid);
	enc_put_s32(b, e->result);
	enc_put_cstr(b, e->soid);
	return enc_finish(b, mark);
}

void osd_log_entry_decode(struct dec_cursor *c, struct osd_log_entry *e)
{
	struct dec_cursor sub;
	uint8_t v;

	memset(e, 0, sizeof(*e));
	e->soid = "";
	if (dec_start(c, PROTO_VERSION, &v, &sub))
		return;
	e->op = dec_u8(&sub);
	e->version = dec_eversion(&sub);
	e->prior_version = dec_eversion(&sub);
	e->user_version = dec_u64(&sub);
	dec_string_buf(&sub, e->reqid.name, sizeof(e->reqid.name));
	e->reqid.nonce = dec_u64(&sub);
	e->reqid.tid = dec_u64(&sub);
	e->result = dec_s32(&sub);
	e->soid = dec_cstr_ref(&sub, 3 * 2 * OSD_PROTO_NAME_MAX + 2);
	if (!dec_error(&sub) && e->op != OSD_LOG_MODIFY && e->op != OSD_LOG_DELETE)
		dec_fail(&sub, -EBADMSG);
	dec_finish(c, &sub);
	if (dec_error(c))
		e->soid = "";
}

int osd_repop_encode(const struct osd_repop *r, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u64(b, r->tid);
	enc_put_u32(b, r->epoch);
	enc_put_s64(b, r->pool);
	enc_put_u32(b, r->ps);
	osd_log_entry_encode(&r->entry, b);
	enc_put_blob(b, r->txn, r->txn ? r->txnlen : 0);
	return enc_finish(b, mark);
}

int osd_repop_decode(const void *buf, size_t len, struct osd_repop *r)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(r, 0, sizeof(*r));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	r->tid = dec_u64(&sub);
	r->epoch = dec_u32(&sub);
	r->pool = dec_s64(&sub);
	r->ps = dec_u32(&sub);
	osd_log_entry_decode(&sub, &r->entry);
	r->txn = dec_data(&sub, 4 * (size_t)OSD_PROTO_DATA_MAX, &r->txnlen);
	if (dec_finish(&d, &sub)) {
		memset(r, 0, sizeof(*r));
		return dec_error(&d);
	}
	return 0;
}

int osd_repop_reply_encode(const struct osd_repop_reply *r, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u64(b, r->tid);
	enc_put_u32(b, r->epoch);
	enc_put_s64(b, r->pool);
	enc_put_u32(b, r->ps);
	enc_put_s32(b, r->result);
	enc_eversion(b, r->version);
	return enc_finish(b, mark);
}

int osd_repop_reply_decode(const void *buf, size_t len, struct osd_repop_reply *r)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(r, 0, sizeof(*r));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	r->tid = dec_u64(&sub);
	r->epoch = dec_u32(&sub);
	r->pool = dec_s64(&sub);
	r->ps = dec_u32(&sub);
	r->result = dec_s32(&sub);
	r->version = dec_eversion(&sub);
	if (dec_finish(&d, &sub)) {
		memset(r, 0, sizeof(*r));
		return dec_error(&d);
	}
	return 0;
}

int osd_ping_encode(const struct osd_ping *p, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_s32(b, p->from);
	enc_put_u32(b, p->epoch);
	enc_put_u64(b, p->stamp_ns);
	return enc_finish(b, mark);
}

int osd_ping_decode(const void *buf, size_t len, struct osd_ping *p)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(p, 0, sizeof(*p));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	p->from = dec_s32(&sub);
	p->epoch = dec_u32(&sub);
	p->stamp_ns = dec_u64(&sub);
	if (dec_finish(&d, &sub)) {
		memset(p, 0, sizeof(*p));
		return dec_error(&d);
	}
	return 0;
}

/* ---- sub-op payloads ---- */

int osd_stat_encode(const struct osd_stat_out *s, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u64(b, s->size);
	enc_put_u64(b, s->mtime_ns);
	return enc_finish(b, mark);
}

int osd_stat_decode(const void *buf, size_t len, struct osd_stat_out *s)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(s, 0, sizeof(*s));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	s->size = dec_u64(&sub);
	s->mtime_ns = dec_u64(&sub);
	return dec_finish(&d, &sub);
}

int osd_kvs_encode(const struct osd_kv *kv, size_t n, bool more, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		enc_put_cstr(b, kv[i].key);
		enc_put_bool(b, kv[i].val != NULL);
		if (kv[i].val)
			enc_put_blob(b, kv[i].val, kv[i].val_len);
	}
	enc_put_bool(b, more);
	return enc_finish(b, mark);
}

int osd_kvs_decode(const void *buf, size_t len, struct osd_kv **kvp, size_t *np, bool *more)
{
	struct dec_cursor d, sub;
	struct osd_kv *kv = NULL;
	uint32_t n;
	uint8_t v;

	*kvp = NULL;
	*np = 0;
	if (more)
		*more = false;
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	n = dec_u32(&sub);
	if (!dec_error(&sub) && (n > KVS_MAX || n > dec_left(&sub) / 5))
		dec_fail(&sub, -EBADMSG);
	if (!dec_error(&sub)) {
		kv = calloc(n ? n : 1, sizeof(*kv));
		if (!kv)
			dec_fail(&sub, -ENOMEM);
	}
	for (uint32_t i = 0; i < n && !dec_error(&sub); i++) {
		kv[i].key = dec_cstr_ref(&sub, OSD_PROTO_ATTR_NAME_MAX);
		if (dec_bool(&sub)) {
			kv[i].val = dec_blob_ref(&sub, OSD_PROTO_DATA_MAX, &kv[i].val_len);
			if (kv[i].val == NULL && !dec_error(&sub))
				kv[i].val = (const uint8_t *)""; /* an empty value */
		}
	}
	bool m = dec_bool(&sub);
	if (dec_finish(&d, &sub)) {
		free(kv);
		return dec_error(&d);
	}
	if (more)
		*more = m;
	*kvp = kv;
	*np = n;
	return 0;
}

int osd_keys_encode(const char *const *keys, size_t n, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		enc_put_cstr(b, keys[i]);
	return enc_finish(b, mark);
}

int osd_keys_decode(const void *buf, size_t len, const char ***keysp, size_t *np)
{
	struct dec_cursor d, sub;
	const char **keys = NULL;
	uint32_t n;
	uint8_t v;

	*keysp = NULL;
	*np = 0;
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	n = dec_u32(&sub);
	if (!dec_error(&sub) && (n > KVS_MAX || n > dec_left(&sub) / 5))
		dec_fail(&sub, -EBADMSG);
	if (!dec_error(&sub)) {
		keys = calloc(n ? n : 1, sizeof(*keys));
		if (!keys)
			dec_fail(&sub, -ENOMEM);
	}
	for (uint32_t i = 0; i < n && !dec_error(&sub); i++)
		keys[i] = dec_cstr_ref(&sub, OSD_PROTO_ATTR_NAME_MAX);
	if (dec_finish(&d, &sub)) {
		free(keys);
		return dec_error(&d);
	}
	*keysp = keys;
	*np = n;
	return 0;
}

int osd_ls_encode(const struct osd_ls_entry *e, size_t n, const char *next, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		enc_put_cstr(b, e[i].nspace);
		enc_put_cstr(b, e[i].key);
		enc_put_cstr(b, e[i].oid);
	}
	enc_put_cstr(b, next);
	return enc_finish(b, mark);
}

int osd_ls_decode(const void *buf, size_t len, struct osd_ls_entry **ep, size_t *np,
		  const char **next)
{
	struct dec_cursor d, sub;
	struct osd_ls_entry *e = NULL;
	uint32_t n;
	uint8_t v;

	*ep = NULL;
	*np = 0;
	*next = "";
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	n = dec_u32(&sub);
	if (!dec_error(&sub) && (n > KVS_MAX || n > dec_left(&sub) / 12))
		dec_fail(&sub, -EBADMSG);
	if (!dec_error(&sub)) {
		e = calloc(n ? n : 1, sizeof(*e));
		if (!e)
			dec_fail(&sub, -ENOMEM);
	}
	for (uint32_t i = 0; i < n && !dec_error(&sub); i++) {
		e[i].nspace = dec_cstr_ref(&sub, OSD_PROTO_NAME_MAX);
		e[i].key = dec_cstr_ref(&sub, OSD_PROTO_NAME_MAX);
		e[i].oid = dec_cstr_ref(&sub, OSD_PROTO_NAME_MAX);
	}
	const char *nx = dec_cstr_ref(&sub, 3 * 2 * OSD_PROTO_NAME_MAX + 2);
	if (dec_finish(&d, &sub)) {
		free(e);
		return dec_error(&d);
	}
	*ep = e;
	*np = n;
	*next = nx;
	return 0;
}

/* ---- names ---- */

#define SEP '\x01'
#define ESC '\x02'

static size_t escaped_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (*s == SEP || *s == ESC) ? 2 : 1;
	return n;
}

static char *escape_into(char *p, const char *s)
{
	for (; *s; s++) {
		if (*s == SEP || *s == ESC) {
			*p++ = ESC;
			*p++ = *s == SEP ? '\x03' : '\x04';
		} else {
			*p++ = *s;
		}
	}
	return p;
}

char *osd_store_name(const char *nspace, const char *key, const char *oid)
{
	size_t len;
	char *s, *p;

	nspace = nspace ? nspace : "";
	key = key ? key : "";
	oid = oid ? oid : "";
	len = escaped_len(nspace) + escaped_len(key) + escaped_len(oid) + 3;
	s = malloc(len);
	if (!s)
		return NULL;
	p = escape_into(s, nspace);
	*p++ = SEP;
	p = escape_into(p, key);
	*p++ = SEP;
	p = escape_into(p, oid);
	*p = 0;
	return s;
}

/* Unescapes s[0..n) into a new string; NULL on a bad escape or -ENOMEM. */
static char *unescape(const char *s, size_t n, int *err)
{
	char *out = malloc(n + 1), *p = out;

	if (!out) {
		*err = -ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ESC) {
			*p++ = s[i];
			continue;
		}
		if (i + 1 >= n || (s[i + 1] != '\x03' && s[i + 1] != '\x04')) {
			free(out);
			*err = -EINVAL;
			return NULL;
		}
		*p++ = s[++i] == '\x03' ? SEP : ESC;
	}
	*p = 0;
	return out;
}

int osd_store_name_parse(const char *s, char **nspace, char **key, char **oid)
{
	const char *a = strchr(s, SEP), *b2;
	int err = 0;

	*nspace = *key = *oid = NULL;
	if (!a)
		return -EINVAL;
	b2 = strchr(a + 1, SEP);
	if (!b2 || strchr(b2 + 1, SEP))
		return -EINVAL;
	*nspace = unescape(s, (size_t)(a - s), &err);
	if (*nspace)
		*key = unescape(a + 1, (size_t)(b2 - a - 1), &err);
	if (*key)
		*oid = unescape(b2 + 1, strlen(b2 + 1), &err);
	if (!*oid) {
		free(*nspace);
		free(*key);
		*nspace = *key = NULL;
		return err;
	}
	return 0;
}

void osd_pgid_str(int64_t pool, uint32_t ps, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRId64 ".%" PRIx32, pool, ps);
}

void osd_pg_coll(int64_t pool, uint32_t ps, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRId64 ".%" PRIx32 "_head", pool, ps);
}
