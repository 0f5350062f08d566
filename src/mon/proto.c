/*
 * Encoders and decoders of the client/monitor messages (mon_proto.h).
 * Each message is one versioned body; decoders borrow strings and blobs
 * from the input buffer and check every length against the input and the
 * protocol's caps before using it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mon/mon_proto.h"

#define PROTO_VERSION 1
#define OUTS_MAX (1u << 20)
#define ADDR_MAX 256
#define OSDMAP_ENTRIES_MAX (1u << 20)

int mon_command_encode(const struct mon_command *c, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_u64(b, c->tid);
	enc_put_cstr(b, c->cmd);
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
	enc_put_cstr(b, r->outs);
	enc_put_blob(b, r->out, r->out ? r->outlen : 0);
	enc_put_cstr(b, r->leader_addr);
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

#define PG_STATS_MAX (1u << 22)

size_t pg_state_str(uint32_t state, char *buf, size_t len)
{
	/* Ceph's order of the names we know ("active+undersized+degraded"). */
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ PG_STATE_STALE, "stale" },       { PG_STATE_CREATING, "creating" },
		{ PG_STATE_ACTIVE, "active" },     { PG_STATE_CLEAN, "clean" },
		{ PG_STATE_DOWN, "down" },         { PG_STATE_UNDERSIZED, "undersized" },
		{ PG_STATE_DEGRADED, "degraded" }, { PG_STATE_PEERING, "peering" },
		{ PG_STATE_PEERED, "peered" },
	};
	size_t n = 0;

	if (len)
		buf[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int wr;

		if (!(state & names[i].bit))
			continue;
		wr = snprintf(buf + (n < len ? n : len), n < len ? len - n : 0, "%s%s",
			      n ? "+" : "", names[i].name);
		n += (size_t)wr;
	}
	if (n == 0 || (state & PG_STATE_UNKNOWN && !(state & ~PG_STATE_UNKNOWN)))
		n = (size_t)snprintf(buf, len, "unknown");
	return n;
}

int mon_pg_stats_encode(const struct mon_pg_stats *s, struct enc_buf *b)
{
	size_t mark = enc_start(b, PROTO_VERSION, 1);

	enc_put_s32(b, s->osd);
	enc_put_u32(b, s->epoch);
	enc_put_u64(b, s->kb);
	enc_put_u64(b, s->kb_used);
	enc_put_u64(b, s->kb_avail);
	enc_put_u64(b, s->kb_used_data);
	enc_put_u64(b, s->kb_used_omap);
	enc_put_u64(b, s->kb_used_meta);
	enc_put_u32(b, s->num_pgs);
	enc_put_u32(b, (uint32_t)s->n_pgs);
	for (size_t i = 0; i < s->n_pgs; i++) {
		const struct mon_pg_stat *p = &s->pgs[i];
		enc_put_s64(b, p->pool);
		enc_put_u32(b, p->ps);
		enc_put_u32(b, p->state);
		enc_put_u32(b, p->epoch);
		enc_put_u64(b, p->num_objects);
		enc_put_u64(b, p->num_bytes);
		enc_put_u64(b, p->num_omap_keys);
		enc_put_u64(b, p->log_version);
		enc_put_s32(b, p->up_primary);
		uint8_t na = p->n_acting > 16 ? 16 : p->n_acting;
		enc_put_u8(b, na);
		for (uint8_t k = 0; k < na; k++)
			enc_put_s32(b, p->acting[k]);
	}
	/* appended: each PG's client I/O counters, in the same order */
	for (size_t i = 0; i < s->n_pgs; i++) {
		const struct mon_pg_stat *p = &s->pgs[i];
		enc_put_u64(b, p->num_rd);
		enc_put_u64(b, p->num_rd_bytes);
		enc_put_u64(b, p->num_wr);
		enc_put_u64(b, p->num_wr_bytes);
	}
	/* appended: the OSD's commit and apply latency */
	enc_put_u64(b, s->commit_latency_ns);
	enc_put_u64(b, s->apply_latency_ns);
	return enc_finish(b, mark);
}

int mon_pg_stats_decode(const void *buf, size_t len, struct mon_pg_stats *s)
{
	struct dec_cursor d, sub;
	uint32_t n;
	uint8_t v;

	memset(s, 0, sizeof(*s));
	dec_init(&d, buf, len);
	if (dec_start(&d, PROTO_VERSION, &v, &sub))
		return dec_error(&d);
	s->osd = dec_s32(&sub);
	s->epoch = dec_u32(&sub);
	s->kb = dec_u64(&sub);
	s->kb_used = dec_u64(&sub);
	s->kb_avail = dec_u64(&sub);
	s->kb_used_data = dec_u64(&sub);
	s->kb_used_omap = dec_u64(&sub);
	s->kb_used_meta = dec_u64(&sub);
	s->num_pgs = dec_u32(&sub);
	n = dec_u32(&sub);
	if (!dec_error(&sub) && (n > PG_STATS_MAX || n > dec_left(&sub) / 57))
		dec_fail(&sub, -EBADMSG);
	if (!dec_error(&sub) && n) {
		s->pgs = calloc(n, sizeof(*s->pgs));
		if (!s->pgs)
			dec_fail(&sub, -ENOMEM);
	}
	for (uint32_t i = 0; i < n && !dec_error(&sub); i++) {
		struct mon_pg_stat *p = &s->pgs[i];
		p->pool = dec_s64(&sub);
		p->ps = dec_u32(&sub);
		p->state = dec_u32(&sub);
		p->epoch = dec_u32(&sub);
		p->num_objects = dec_u64(&sub);
		p->num_bytes = dec_u64(&sub);
		p->num_omap_keys = dec_u64(&sub);
		p->log_version = dec_u64(&sub);
		p->up_primary = dec_s32(&sub);
		p->n_acting = dec_u8(&sub);
		if (p->n_acting > 16) {
			dec_fail(&sub, -EBADMSG);
			break;
		}
		for (uint8_t k = 0; k < p->n_acting; k++)
			p->acting[k] = dec_s32(&sub);
	}
	/* an OSD that predates the I/O counters sends none */
	if (!dec_error(&sub) && n && dec_left(&sub) >= (size_t)n * 32) {
		for (uint32_t i = 0; i < n; i++) {
			struct mon_pg_stat *p = &s->pgs[i];
			p->num_rd = dec_u64(&sub);
			p->num_rd_bytes = dec_u64(&sub);
			p->num_wr = dec_u64(&sub);
			p->num_wr_bytes = dec_u64(&sub);
		}
	}
	if (!dec_error(&sub) && dec_left(&sub) >= 16) {
		s->commit_latency_ns = dec_u64(&sub);
		s->apply_latency_ns = dec_u64(&sub);
	}
	if (dec_finish(&d, &sub)) {
		free(s->pgs);
		memset(s, 0, sizeof(*s));
		return dec_error(&d);
	}
	s->n_pgs = n;
	return 0;
}
