/*
 * Fuzz target for the messenger's wire codec: the input is a byte stream
 * as a peer would send it.  Frames are decoded one after another with the
 * pure decoder the connections use (header checks before any allocation,
 * payload crc), and each control payload goes through the handshake
 * decoders, which also see the raw input directly.  A frame that decodes
 * must re-encode to the same bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_FRAME (1u << 20)

static void check_control(const struct msgr_frame_hdr *h, const uint8_t *p)
{
	struct msgr_hello hello;
	struct msgr_ready ready;
	struct msgr_close_info ci;
	const uint8_t *blob;
	size_t blen;
	struct enc_buf b;

	switch (h->type) {
	case MSGR_CTL_HELLO:
		if (msgr_hello_decode(p, h->len, &hello) == 0) {
			enc_buf_init(&b);
			if (msgr_hello_encode(&b, &hello) != 0)
				abort();
			/* re-encoded from the fields we read: it must decode */
			if (msgr_hello_decode(b.data, b.len, &hello) != 0)
				abort();
			enc_buf_release(&b);
		}
		break;
	case MSGR_CTL_READY:
		(void)msgr_ready_decode(p, h->len, &ready);
		break;
	case MSGR_CTL_CLOSE:
		if (msgr_close_decode(p, h->len, &ci) == 0 && (ci.err > 0 || ci.err < -4095))
			abort();
		break;
	case MSGR_CTL_CHALLENGE:
	case MSGR_CTL_AUTH_REPLY:
		if (msgr_auth_blob_decode(p, h->len, &blob, &blen) == 0 && blen > h->len)
			abort();
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;

	/* The crc keeps random bytes from ever reaching the handshake
	 * decoders through a frame, so also feed them directly: the first
	 * byte picks the control type, the rest is its payload. */
	if (size > 0 && size - 1 <= MSGR_HANDSHAKE_MAX) {
		struct msgr_frame_hdr ch = {.type = data[0] % 9, .flags = MSGR_FRAME_F_CONTROL,
					    .len = (uint32_t)(size - 1)};
		check_control(&ch, data + 1);
	}

	while (off < size) {
		struct msgr_frame_hdr h;
		const uint8_t *payload;
		size_t flen;
		int rc = msgr_frame_decode(data + off, size - off, FUZZ_MAX_FRAME, &h, &payload,
					   &flen);
		if (rc == -EAGAIN) {
			if (flen <= size - off)
				abort(); /* claimed incomplete yet all there */
			break;
		}
		if (rc)
			break; /* a connection would close here */
		if (flen != MSGR_FRAME_HDR_LEN + (size_t)h.len + MSGR_FRAME_TRAILER_LEN ||
		    h.len > FUZZ_MAX_FRAME || flen > size - off)
			abort();
		struct enc_buf b;
		enc_buf_init(&b);
		msgr_frame_encode(&b, &h, payload);
		if (b.len != flen || memcmp(b.data, data + off, flen) != 0)
			abort();
		enc_buf_release(&b);
		if (h.flags & MSGR_FRAME_F_CONTROL)
			check_control(&h, payload);
		off += flen;
	}
	return 0;
}
