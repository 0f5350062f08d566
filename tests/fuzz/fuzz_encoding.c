/*
 * Fuzz target for the decoding cursor: the input is read as a script of
 * typed fields, nested versioned envelopes included, exactly as a decoder
 * of a hostile message would read it.  Whatever the bytes, the cursor must
 * never read out of bounds, never allocate more than its maximum, and
 * never leak; a body that decodes cleanly must re-encode to the same
 * bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_STR 4096
#define FUZZ_MAX_DEPTH 8

/* Reads one body; each field is preceded by a selector byte, and mirrors
 * what it read into `out` so the caller can check the round trip. */
static void decode_body(struct dec_cursor *c, struct enc_buf *out, int depth)
{
	while (dec_left(c) > 0) {
		uint8_t sel = dec_u8(c);

		enc_put_u8(out, sel);
		switch (sel % 8) {
		case 0: enc_put_u8(out, dec_u8(c)); break;
		case 1: enc_put_u16(out, dec_u16(c)); break;
		case 2: enc_put_u32(out, dec_u32(c)); break;
		case 3: enc_put_u64(out, dec_u64(c)); break;
		case 4: {
			char *s = dec_string(c, FUZZ_MAX_STR);
			if (s)
				enc_put_string(out, s);
			free(s);
			break;
		}
		case 5: {
			size_t n;
			void *p = dec_blob(c, FUZZ_MAX_STR, &n);
			if (p)
				enc_put_blob(out, p, n);
			free(p);
			break;
		}
		case 6: {
			struct dec_cursor sub;
			uint8_t v;

			if (depth >= FUZZ_MAX_DEPTH) {
				dec_fail(c, -7); /* too deep: give up */
				return;
			}
			const uint8_t *start = c->p;
			if (dec_start(c, 2, &v, &sub))
				return;
			/* keep the envelope verbatim, then the body */
			enc_put_bytes(out, start, ENC_ENVELOPE_LEN);
			size_t before = out->len;
			decode_body(&sub, out, depth + 1);
			if (dec_finish(c, &sub))
				return;
			/* a clean body re-encodes to its original length */
			if (out->len - before != (size_t)(c->p - start) - ENC_ENVELOPE_LEN)
				abort();
			break;
		}
		default: {
			char buf[16];
			dec_string_buf(c, buf, sizeof(buf));
			if (!dec_error(c))
				enc_put_string(out, buf);
			break;
		}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dec_cursor c;
	struct enc_buf out;

	dec_init(&c, data, size);
	enc_buf_init(&out);
	decode_body(&c, &out, 0);
	if (!dec_error(&c) && !enc_buf_error(&out)) {
		if (out.len != size || (size && memcmp(out.data, data, size) != 0))
			abort();
	}
	enc_buf_release(&out);
	return 0;
}
