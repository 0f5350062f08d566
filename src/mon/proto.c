/*
 * Encoders and decoders of the client/monitor messages (mon_proto.h).
 * Each message is one versioned body; decoders borrow strings and blobs
 * from the input buffer and check every length against the input and the
 * protocol's caps before using it.
 */
#include <errno.h>
#include <string.h>

#include "mon/mon_proto.h"

#define PROTO_VERSION 1
#define OUTS_MAX (1u << 20)
#define ADDR_MAX 256
#define OSDMAP_ENTRIES_MAX (1u << 20)

/* A string borrowed from the input: its bytes must be followed by a NUL,
 * which the encoder writes after the counted bytes. */
static const char *dec_cstr_ref(struct dec_cursor *c, size_t max)
{
	size_t len;
	const uint8_t *p = dec_blob_ref(c, max + 1, &len);

	if (!p)
		return NULL;
	if (len == 0 || p[len - 1] != 0 || memchr(p, 0, len - 1)) {
		dec_fail(c, -EBADMSG);
		return NULL;
	}
	return (const char *)p;
}

/* A string with its NUL included in the count, so it can be borrowed. */
static void enc_cstr(struct enc_buf *b, const char *s)
{
	if (!s)
		s = "";
	enc_put_blob(b, s, strlen(s) + 1);
}

int mon_command_encode(const struct mon_command *c, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u64(b, c->tid);
	enc_cstr(b, c->cmd);
	enc_put_blob(b, c->in, c->in ? c->inlen : 0);
	return enc_finish(b, mark);
}

int mon_command_decode(const void *buf, size_t len, struct mon_command *c)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(c, 0, sizeof(*c));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	c->tid = dec_u64(&sub);
	c->cmd = dec_cstr_ref(&sub, MON_PROTO_CMD_MAX);
	c->in = dec_blob_ref(&sub, MON_PROTO_DATA_MAX, &c->inlen);
	if (dec_finish(&d, &sub)) {
		memset(c, 0, sizeof(*c));
		return dec_error(&d);
	}
	if (!c->inlen)
		c->in = NULL;
	return 0;
}

int mon_command_reply_encode(const struct mon_command_reply *r, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u64(b, r->tid);
	enc_put_s32(b, r->rc);
	enc_cstr(b, r->outs);
	enc_put_blob(b, r->out, r->out ? r->outlen : 0);
	enc_cstr(b, r->leader_addr);
	return enc_finish(b, mark);
}

int mon_command_reply_decode(const void *buf, size_t len, struct mon_command_reply *r)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(r, 0, sizeof(*r));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	r->tid = dec_u64(&sub);
	r->rc = dec_s32(&sub);
	r->outs = dec_cstr_ref(&sub, OUTS_MAX);
	r->out = dec_blob_ref(&sub, MON_PROTO_DATA_MAX, &r->outlen);
	r->leader_addr = dec_cstr_ref(&sub, ADDR_MAX);
	if (dec_finish(&d, &sub)) {
		memset(r, 0, sizeof(*r));
		return dec_error(&d);
	}
	if (!r->outlen)
		r->out = NULL;
	return 0;
}

int mon_subscribe_encode(const struct mon_subscribe *s, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);
	char what[sizeof(s->what)];

	memcpy(what, s->what, sizeof(what));
	what[sizeof(what) - 1] = 0;
	enc_put_string(b, what);
	enc_put_u32(b, s->start);
	enc_put_u8(b, s->onetime);
	return enc_finish(b, mark);
}

int mon_subscribe_decode(const void *buf, size_t len, struct mon_subscribe *s)
{
	struct dec_cursor d, sub;
	uint8_t v;

	memset(s, 0, sizeof(*s));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	dec_string_buf(&sub, s->what, sizeof(s->what));
	s->start = dec_u32(&sub);
	s->onetime = dec_u8(&sub);
	if (dec_finish(&d, &sub)) {
		memset(s, 0, sizeof(*s));
		return dec_error(&d);
	}
	return 0;
}

int mon_osdmap_msg_encode(const struct mon_osdmap_entry *e, size_t n, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		enc_put_u32(b, e[i].epoch);
		enc_put_u8(b, e[i].full);
		enc_put_blob(b, e[i].blob, e[i].len);
	}
	return enc_finish(b, mark);
}

int mon_osdmap_msg_decode(const void *buf, size_t len,
			  int (*fn)(const struct mon_osdmap_entry *e, void *arg), void *arg)
{
	struct dec_cursor d, sub;
	uint32_t n;
	uint8_t v;
	int r;

	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	n = dec_u32(&sub);
	if (!dec_error(&sub) && (n > OSDMAP_ENTRIES_MAX || n > dec_left(&sub) / 9))
		dec_fail(&sub, -EBADMSG);
	/* Check the whole message before handing out any entry. */
	struct dec_cursor scan = sub;
	for (uint32_t i = 0; i < n && !dec_error(&scan); i++) {
		size_t l;
		dec_u32(&scan);
		dec_u8(&scan);
		dec_blob_ref(&scan, MON_PROTO_DATA_MAX, &l);
	}
	if (dec_error(&scan))
		dec_fail(&sub, dec_error(&scan));
	r = dec_finish(&d, &sub);
	if (r)
		return r;
	for (uint32_t i = 0; i < n; i++) {
		struct mon_osdmap_entry e;
		e.epoch = dec_u32(&sub);
		e.full = dec_u8(&sub);
		e.blob = dec_blob_ref(&sub, MON_PROTO_DATA_MAX, &e.len);
		r = fn(&e, arg);
		if (r)
			return r;
	}
	return 0;
}
