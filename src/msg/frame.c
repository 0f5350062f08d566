/*
 * The wire format: frames and the messenger's own control payloads.  Pure
 * functions over bytes, no sockets and no state, so the fuzzer drives the
 * exact code the connections use.
 *
 * A frame is a 24-byte header, the payload, and a 4-byte trailer:
 *   u32 magic  u16 type  u16 flags  u32 payload_len  u64 seq  u32 hcrc
 *   payload_len bytes
 *   u32 crc32c(payload)
 * all little-endian; hcrc is the crc32c of the 20 header bytes before it.
 * The header is checked (magic, crc, flags, length against the limit)
 * before anything is allocated for the payload.
 */
#include <errno.h>
#include <string.h>

#include "common/crc32c.h"
#include "internal.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void msgr_frame_hdr_encode(const struct msgr_frame_hdr *h, uint8_t out[MSGR_FRAME_HDR_LEN])
{
	put32(out, MSGR_FRAME_MAGIC);
	out[4] = (uint8_t)h->type;
	out[5] = (uint8_t)(h->type >> 8);
	out[6] = (uint8_t)h->flags;
	out[7] = (uint8_t)(h->flags >> 8);
	put32(out + 8, h->len);
	put32(out + 12, (uint32_t)h->seq);
	put32(out + 16, (uint32_t)(h->seq >> 32));
	put32(out + 20, crc32c(out, 20));
}

int msgr_frame_hdr_decode(const uint8_t in[MSGR_FRAME_HDR_LEN], uint32_t max_len,
			  struct msgr_frame_hdr *h)
{
	if (get32(in) != MSGR_FRAME_MAGIC)
		return -EBADMSG;
	if (get32(in + 20) != crc32c(in, 20))
		return -EBADMSG;
	h->type = (uint16_t)(in[4] | in[5] << 8);
	h->flags = (uint16_t)(in[6] | in[7] << 8);
	h->len = get32(in + 8);
	h->seq = (uint64_t)get32(in + 12) | (uint64_t)get32(in + 16) << 32;
	if (h->flags & ~MSGR_FRAME_F_KNOWN)
		return -EPROTO;
	if (h->len > max_len)
		return -EMSGSIZE;
	return 0;
}

void msgr_frame_trailer_encode(const uint8_t *payload, uint32_t len,
			       uint8_t out[MSGR_FRAME_TRAILER_LEN])
{
	put32(out, crc32c(payload, len));
}

int msgr_frame_trailer_check(const uint8_t *payload, uint32_t len,
			     const uint8_t trailer[MSGR_FRAME_TRAILER_LEN])
{
	return get32(trailer) == crc32c(payload, len) ? 0 : -EBADMSG;
}

int msgr_frame_decode(const uint8_t *buf, size_t len, uint32_t max_len,
		      struct msgr_frame_hdr *h, const uint8_t **payload, size_t *frame_len)
{
	int rc;

	*payload = NULL;
	*frame_len = MSGR_FRAME_HDR_LEN;
	if (len < MSGR_FRAME_HDR_LEN)
		return -EAGAIN;
	rc = msgr_frame_hdr_decode(buf, max_len, h);
	if (rc)
		return rc;
	size_t total = MSGR_FRAME_HDR_LEN + (size_t)h->len + MSGR_FRAME_TRAILER_LEN;
	*frame_len = total;
	if (len < total)
		return -EAGAIN;
	const uint8_t *p = buf + MSGR_FRAME_HDR_LEN;
	rc = msgr_frame_trailer_check(p, h->len, p + h->len);
	if (rc)
		return rc;
	*payload = p;
	return 0;
}

void msgr_frame_encode(struct enc_buf *b, const struct msgr_frame_hdr *h, const void *payload)
{
	uint8_t hdr[MSGR_FRAME_HDR_LEN], tr[MSGR_FRAME_TRAILER_LEN];

	msgr_frame_hdr_encode(h, hdr);
	msgr_frame_trailer_encode(payload, h->len, tr);
	enc_put_bytes(b, hdr, sizeof(hdr));
	enc_put_bytes(b, payload, h->len);
	enc_put_bytes(b, tr, sizeof(tr));
}

/* ---- control payloads, each one versioned envelope ---- */

#define HELLO_V 1
#define READY_V 1
#define CLOSE_V 1
#define BLOB_V 1

int msgr_hello_encode(struct enc_buf *b, const struct msgr_hello *h)
{
	size_t m = enc_start(b, HELLO_V, 1);

	enc_put_u32(b, h->proto);
	enc_put_string(b, h->name);
	enc_put_u64(b, h->nonce);
	enc_put_u64(b, h->cookie);
	enc_put_u64(b, h->in_seq);
	enc_put_u64(b, h->out_acked);
	enc_put_string(b, h->method);
	enc_put_blob(b, h->auth, h->auth_len);
	return enc_finish(b, m);
}

int msgr_hello_decode(const uint8_t *p, size_t len, struct msgr_hello *h)
{
	struct dec_cursor c, body;
	uint8_t v;

	memset(h, 0, sizeof(*h));
	dec_init(&c, p, len);
	if (dec_start(&c, HELLO_V, &v, &body))
		return dec_error(&c);
	h->proto = dec_u32(&body);
	dec_string_buf(&body, h->name, sizeof(h->name));
	h->nonce = dec_u64(&body);
	h->cookie = dec_u64(&body);
	h->in_seq = dec_u64(&body);
	h->out_acked = dec_u64(&body);
	dec_string_buf(&body, h->method, sizeof(h->method));
	h->auth = dec_blob_ref(&body, MSGR_HANDSHAKE_MAX, &h->auth_len);
	if (!dec_error(&body) && !msgr_entity_name_valid(h->name))
		dec_fail(&body, -EBADMSG);
	return dec_finish(&c, &body);
}

int msgr_ready_encode(struct enc_buf *b, const struct msgr_ready *r)
{
	size_t m = enc_start(b, READY_V, 1);

	enc_put_u32(b, r->proto);
	enc_put_string(b, r->name);
	enc_put_u64(b, r->nonce);
	enc_put_u64(b, r->in_seq);
	enc_put_bool(b, r->resumed);
	return enc_finish(b, m);
}

int msgr_ready_decode(const uint8_t *p, size_t len, struct msgr_ready *r)
{
	struct dec_cursor c, body;
	uint8_t v;

	memset(r, 0, sizeof(*r));
	dec_init(&c, p, len);
	if (dec_start(&c, READY_V, &v, &body))
		return dec_error(&c);
	r->proto = dec_u32(&body);
	dec_string_buf(&body, r->name, sizeof(r->name));
	r->nonce = dec_u64(&body);
	r->in_seq = dec_u64(&body);
	r->resumed = dec_bool(&body);
	if (!dec_error(&body) && !msgr_entity_name_valid(r->name))
		dec_fail(&body, -EBADMSG);
	return dec_finish(&c, &body);
}

int msgr_close_encode(struct enc_buf *b, const struct msgr_close_info *ci)
{
	size_t m = enc_start(b, CLOSE_V, 1);

	enc_put_s32(b, ci->err);
	enc_put_string(b, ci->reason);
	return enc_finish(b, m);
}

int msgr_close_decode(const uint8_t *p, size_t len, struct msgr_close_info *ci)
{
	struct dec_cursor c, body;
	uint8_t v;

	memset(ci, 0, sizeof(*ci));
	dec_init(&c, p, len);
	if (dec_start(&c, CLOSE_V, &v, &body))
		return dec_error(&c);
	ci->err = dec_s32(&body);
	dec_string_buf(&body, ci->reason, sizeof(ci->reason));
	/* an error code outside errno's range is meaningless: map it */
	if (ci->err > 0 || ci->err < -4095)
		ci->err = -EPROTO;
	return dec_finish(&c, &body);
}

int msgr_auth_blob_encode(struct enc_buf *b, const uint8_t *p, size_t len)
{
	size_t m = enc_start(b, BLOB_V, 1);

	enc_put_blob(b, p, len);
	return enc_finish(b, m);
}

int msgr_auth_blob_decode(const uint8_t *p, size_t len, const uint8_t **blob, size_t *blob_len)
{
	struct dec_cursor c, body;
	uint8_t v;

	dec_init(&c, p, len);
	*blob = NULL;
	*blob_len = 0;
	if (dec_start(&c, BLOB_V, &v, &body))
		return dec_error(&c);
	*blob = dec_blob_ref(&body, MSGR_HANDSHAKE_MAX, blob_len);
	return dec_finish(&c, &body);
}
