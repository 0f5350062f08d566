/*
 * The little-endian output buffer and input cursor of encoding.h.  Bytes
 * are assembled by shifts rather than by casting pointers, so the code is
 * endian-neutral and has no alignment requirements.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"

/* ---- output ---- */

void enc_buf_init(struct enc_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void enc_buf_release(struct enc_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

uint8_t *enc_buf_detach(struct enc_buf *b, size_t *len)
{
	uint8_t *p = b->data;

	if (b->err) {
		enc_buf_release(b);
		*len = 0;
		return NULL;
	}
	if (!p)
		p = malloc(1); /* an empty buffer is still a buffer */
	*len = b->len;
	memset(b, 0, sizeof(*b));
	return p;
}

int enc_buf_reserve(struct enc_buf *b, size_t n)
{
	if (b->err)
		return b->err;
	if (n <= b->cap - b->len)
		return 0;
	if (n > SIZE_MAX / 2 - b->len) {
		b->err = -ENOMEM;
		return b->err;
	}
	size_t cap = b->cap ? b->cap : 64;
	while (cap - b->len < n)
		cap *= 2;
	uint8_t *p = realloc(b->data, cap);
	if (!p) {
		b->err = -ENOMEM;
		return b->err;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

static void put_le(struct enc_buf *b, uint64_t v, size_t n)
{
	if (enc_buf_reserve(b, n))
		return;
	for (size_t i = 0; i < n; i++)
		b->data[b->len + i] = (uint8_t)(v >> (8 * i));
	b->len += n;
}

void enc_put_u8(struct enc_buf *b, uint8_t v) { put_le(b, v, 1); }
void enc_put_u16(struct enc_buf *b, uint16_t v) { put_le(b, v, 2); }
void enc_put_u32(struct enc_buf *b, uint32_t v) { put_le(b, v, 4); }
void enc_put_u64(struct enc_buf *b, uint64_t v) { put_le(b, v, 8); }
void enc_put_s8(struct enc_buf *b, int8_t v) { put_le(b, (uint8_t)v, 1); }
void enc_put_s16(struct enc_buf *b, int16_t v) { put_le(b, (uint16_t)v, 2); }
void enc_put_s32(struct enc_buf *b, int32_t v) { put_le(b, (uint32_t)v, 4); }
void enc_put_s64(struct enc_buf *b, int64_t v) { put_le(b, (uint64_t)v, 8); }
void enc_put_bool(struct enc_buf *b, bool v) { put_le(b, v ? 1 : 0, 1); }

void enc_put_bytes(struct enc_buf *b, const void *p, size_t n)
{
	if (n == 0 || enc_buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

ptrdiff_t enc_put_space(struct enc_buf *b, size_t n)
{
	ptrdiff_t off;

	if (b->err || enc_buf_reserve(b, n))
		return -1;
	off = (ptrdiff_t)b->len;
	b->len += n;
	return off;
}

void enc_put_blob(struct enc_buf *b, const void *p, size_t n)
{
	if (n > UINT32_MAX) {
		if (!b->err)
			b->err = -EOVERFLOW;
		return;
	}
	enc_put_u32(b, (uint32_t)n);
	enc_put_bytes(b, p, n);
}

void enc_put_cstr(struct enc_buf *b, const char *s)
{
	if (!s)
		s = "";
	enc_put_blob(b, s, strlen(s) + 1);
}

void enc_put_string(struct enc_buf *b, const char *s)
{
	enc_put_blob(b, s, s ? strlen(s) : 0);
}

size_t enc_start(struct enc_buf *b, uint8_t version, uint8_t compat)
{
	size_t mark = b->len;

	enc_put_u8(b, version);
	enc_put_u8(b, compat);
	enc_put_u32(b, 0); /* patched by enc_finish() */
	return mark;
}

int enc_finish(struct enc_buf *b, size_t mark)
{
	if (b->err)
		return b->err;
	if (mark > b->len || b->len - mark < ENC_ENVELOPE_LEN) {
		b->err = -EINVAL; /* mark not from enc_start() on this buffer */
		return b->err;
	}
	size_t body = b->len - mark - ENC_ENVELOPE_LEN;
	if (body > UINT32_MAX) {
		b->err = -EOVERFLOW;
		return b->err;
	}
	for (size_t i = 0; i < 4; i++)
		b->data[mark + 2 + i] = (uint8_t)(body >> (8 * i));
	return 0;
}

/* ---- input ---- */

void dec_init(struct dec_cursor *c, const void *data, size_t len)
{
	c->p = data;
	c->left = data ? len : 0;
	c->err = 0;
}

void dec_fail(struct dec_cursor *c, int err)
{
	if (!c->err)
		c->err = err;
}

/* True if `n` more bytes may be read; otherwise records -EBADMSG. */
static bool need(struct dec_cursor *c, size_t n)
{
	if (c->err)
		return false;
	if (c->left < n) {
		c->err = -EBADMSG;
		return false;
	}
	return true;
}

static uint64_t get_le(struct dec_cursor *c, size_t n)
{
	uint64_t v = 0;

	if (!need(c, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	c->left -= n;
	return v;
}

uint8_t dec_u8(struct dec_cursor *c) { return (uint8_t)get_le(c, 1); }
uint16_t dec_u16(struct dec_cursor *c) { return (uint16_t)get_le(c, 2); }
uint32_t dec_u32(struct dec_cursor *c) { return (uint32_t)get_le(c, 4); }
uint64_t dec_u64(struct dec_cursor *c) { return get_le(c, 8); }
int8_t dec_s8(struct dec_cursor *c) { return (int8_t)dec_u8(c); }
int16_t dec_s16(struct dec_cursor *c) { return (int16_t)dec_u16(c); }
int32_t dec_s32(struct dec_cursor *c) { return (int32_t)dec_u32(c); }
int64_t dec_s64(struct dec_cursor *c) { return (int64_t)dec_u64(c); }
bool dec_bool(struct dec_cursor *c) { return dec_u8(c) != 0; }

const uint8_t *dec_ref(struct dec_cursor *c, size_t n)
{
	const uint8_t *p;

	if (!need(c, n))
		return NULL;
	p = c->p;
	c->p += n;
	c->left -= n;
	return p;
}

void dec_bytes(struct dec_cursor *c, void *out, size_t n)
{
	const uint8_t *p = dec_ref(c, n);

	if (p)
		memcpy(out, p, n);
	else if (n)
		memset(out, 0, n);
}

void dec_skip(struct dec_cursor *c, size_t n)
{
	dec_ref(c, n);
}

const uint8_t *dec_blob_ref(struct dec_cursor *c, size_t max, size_t *len)
{
	uint32_t n = dec_u32(c);
	const uint8_t *p;

	*len = 0;
	if (c->err)
		return NULL;
	if (n > max) {
		c->err = -EMSGSIZE;
		return NULL;
	}
	p = dec_ref(c, n); /* checks n against the bytes left */
	if (p)
		*len = n;
	return p;
}

const char *dec_cstr_ref(struct dec_cursor *c, size_t max)
{
	size_t len;
	const uint8_t *p = dec_blob_ref(c, max + 1, &len);

	if (!p)
		return dec_error(c) ? NULL : "";
	if (len == 0 || p[len - 1] != 0 || memchr(p, 0, len - 1)) {
		dec_fail(c, -EBADMSG);
		return NULL;
	}
	return (const char *)p;
}

void *dec_blob(struct dec_cursor *c, size_t max, size_t *len)
{
	size_t n;
	const uint8_t *p = dec_blob_ref(c, max, &n);
	uint8_t *copy;

	*len = 0;
	if (!p)
		return NULL;
	copy = malloc(n ? n : 1);
	if (!copy) {
		dec_fail(c, -ENOMEM);
		return NULL;
	}
	memcpy(copy, p, n);
	*len = n;
	return copy;
}

char *dec_string(struct dec_cursor *c, size_t max)
{
	size_t n;
	const uint8_t *p = dec_blob_ref(c, max, &n);
	char *s;

	if (!p)
		return NULL;
	if (memchr(p, 0, n)) {
		dec_fail(c, -EBADMSG);
		return NULL;
	}
	s = malloc(n + 1);
	if (!s) {
		dec_fail(c, -ENOMEM);
		return NULL;
	}
	memcpy(s, p, n);
	s[n] = 0;
	return s;
}

void dec_string_buf(struct dec_cursor *c, char *out, size_t size)
{
	size_t n;
	const uint8_t *p;

	if (size == 0) {
		dec_fail(c, -EINVAL);
		return;
	}
	out[0] = 0;
	p = dec_blob_ref(c, size - 1, &n);
	if (!p)
		return;
	if (memchr(p, 0, n)) {
		dec_fail(c, -EBADMSG);
		return;
	}
	memcpy(out, p, n);
	out[n] = 0;
}

int dec_start(struct dec_cursor *c, uint8_t supported, uint8_t *version,
	      struct dec_cursor *sub)
{
	uint8_t v = dec_u8(c);
	uint8_t compat = dec_u8(c);
	uint32_t len = dec_u32(c);

	dec_init(sub, NULL, 0);
	*version = 0;
	if (c->err)
		goto out_fail;
	if (compat > supported || compat > v) {
		/* compat > v is nonsense from any encoder: treat it as
		 * unreadable rather than guess. */
		dec_fail(c, compat > v ? -EBADMSG : -EOPNOTSUPP);
		goto out_fail;
	}
	const uint8_t *body = dec_ref(c, len);
	if (c->err)
		goto out_fail;
	dec_init(sub, body, len);
	*version = v;
	return 0;

out_fail:
	sub->err = c->err;
	return c->err;
}

int dec_finish(struct dec_cursor *c, const struct dec_cursor *sub)
{
	if (sub->err)
		dec_fail(c, sub->err);
	return c->err;
}
