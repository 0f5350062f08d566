/*
 * Encoding: little-endian byte layout, round trips, the sticky first error
 * of the cursor, allocation limits, and versioned envelopes read by older
 * and newer decoders (the mixed-version interoperability the wire protocol
 * relies on).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/encoding.h"

static void test_layout(void **state)
{
	struct enc_buf b;
	static const uint8_t want[] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
		0xff, 0xfe, 0xff,
		0x02, 0x00, 0x00, 0x00, 'h', 'i',
		0x00, 0x00, 0x00, 0x00,
	};

	(void)state;
	enc_buf_init(&b);
	enc_put_u8(&b, 1);
	enc_put_u16(&b, 0x0302);
	enc_put_u32(&b, 0x07060504);
	enc_put_u64(&b, 0x0f0e0d0c0b0a0908ull);
	enc_put_s8(&b, -1);
	enc_put_s16(&b, -2);
	enc_put_string(&b, "hi");
	enc_put_blob(&b, NULL, 0);
	assert_int_equal(enc_buf_error(&b), 0);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	enc_buf_release(&b);
}

static void test_round_trip(void **state)
{
	struct enc_buf b;
	struct dec_cursor c;
	size_t len;
	uint8_t raw[3];

	(void)state;
	enc_buf_init(&b);
	enc_put_u8(&b, 200);
	enc_put_u16(&b, 65000);
	enc_put_u32(&b, 4000000000u);
	enc_put_u64(&b, UINT64_MAX - 5);
	enc_put_s32(&b, -123456);
	enc_put_s64(&b, INT64_MIN);
	enc_put_bool(&b, true);
	enc_put_bytes(&b, "xyz", 3);
	enc_put_string(&b, "osd.3");
	enc_put_blob(&b, "\0\1\2", 3);
	for (int i = 0; i < 1000; i++) /* forces growth */
		enc_put_u32(&b, (uint32_t)i);
	uint8_t *data = enc_buf_detach(&b, &len);
	assert_non_null(data);
	assert_null(b.data);

	dec_init(&c, data, len);
	assert_int_equal(dec_u8(&c), 200);
	assert_int_equal(dec_u16(&c), 65000);
	assert_int_equal(dec_u32(&c), 4000000000u);
	assert_true(dec_u64(&c) == UINT64_MAX - 5);
	assert_int_equal(dec_s32(&c), -123456);
	assert_true(dec_s64(&c) == INT64_MIN);
	assert_true(dec_bool(&c));
	dec_bytes(&c, raw, 3);
	assert_memory_equal(raw, "xyz", 3);
	char *s = dec_string(&c, 64);
	assert_string_equal(s, "osd.3");
	free(s);
	size_t bl;
	void *blob = dec_blob(&c, 16, &bl);
	assert_int_equal(bl, 3);
	assert_memory_equal(blob, "\0\1\2", 3);
	free(blob);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(dec_u32(&c), (uint32_t)i);
	assert_int_equal(dec_left(&c), 0);
	assert_int_equal(dec_error(&c), 0);
	free(data);
}

static void test_sticky_error(void **state)
{
	static const uint8_t in[] = {1, 2, 3};
	struct dec_cursor c;

	(void)state;
	dec_init(&c, in, sizeof(in));
	assert_int_equal(dec_u16(&c), 0x0201);
	assert_int_equal(dec_u32(&c), 0); /* only one byte left */
	assert_int_equal(dec_error(&c), -EBADMSG);
	/* later reads fail too, even ones that would fit */
	assert_int_equal(dec_u8(&c), 0);
	assert_null(dec_ref(&c, 0));
	assert_int_equal(dec_left(&c), 0);
	dec_fail(&c, -EIO); /* first error wins */
	assert_int_equal(dec_error(&c), -EBADMSG);
}

static void test_length_limits(void **state)
{
	struct enc_buf b;
	struct dec_cursor c;
	size_t n;
	char small[4];

	(void)state;
	/* a length bigger than the input: no allocation, -EBADMSG */
	enc_buf_init(&b);
	enc_put_u32(&b, 0xfffffff0u);
	enc_put_bytes(&b, "abc", 3);
	dec_init(&c, b.data, b.len);
	assert_null(dec_string(&c, SIZE_MAX));
	assert_int_equal(dec_error(&c), -EBADMSG);
	enc_buf_release(&b);

	/* a length within the input but over the caller's maximum */
	enc_buf_init(&b);
	enc_put_string(&b, "abcdefgh");
	dec_init(&c, b.data, b.len);
	assert_null(dec_blob(&c, 7, &n));
	assert_int_equal(n, 0);
	assert_int_equal(dec_error(&c), -EMSGSIZE);
	dec_init(&c, b.data, b.len);
	dec_string_buf(&c, small, sizeof(small));
	assert_int_equal(dec_error(&c), -EMSGSIZE);
	assert_string_equal(small, "");
	dec_init(&c, b.data, b.len);
	char *s = dec_string(&c, 8);
	assert_string_equal(s, "abcdefgh");
	free(s);
	enc_buf_release(&b);

	/* embedded NUL in a string is malformed */
	enc_buf_init(&b);
	enc_put_blob(&b, "a\0b", 3);
	dec_init(&c, b.data, b.len);
	assert_null(dec_string(&c, 100));
	assert_int_equal(dec_error(&c), -EBADMSG);
	enc_buf_release(&b);
}

/* Version 1 of a test structure has (a); version 2 appends (b, name);
 * version 3 changed a's meaning incompatibly, so it sets compat 3. */
struct thing {
	uint32_t a;
	uint64_t b;
	char name[32];
};

static void thing_encode(struct enc_buf *buf, const struct thing *t, uint8_t version)
{
	size_t m = enc_start(buf, version, version >= 3 ? 3 : 1);

	enc_put_u32(buf, t->a);
	if (version >= 2) {
		enc_put_u64(buf, t->b);
		enc_put_string(buf, t->name);
	}
	if (version >= 3)
		enc_put_u32(buf, 0xdeadbeef); /* something only v3 knows */
	assert_int_equal(enc_finish(buf, m), 0);
}

static int thing_decode(struct dec_cursor *c, struct thing *t, uint8_t supported)
{
	struct dec_cursor sub;
	uint8_t v;

	memset(t, 0, sizeof(*t));
	if (dec_start(c, supported, &v, &sub))
		return dec_error(c);
	t->a = dec_u32(&sub);
	if (v >= 2 && supported >= 2) {
		t->b = dec_u64(&sub);
		dec_string_buf(&sub, t->name, sizeof(t->name));
	}
	return dec_finish(c, &sub);
}

static void test_versioned(void **state)
{
	struct thing in = {.a = 7, .b = 99, .name = "mon.a"}, out;
	struct enc_buf b;
	struct dec_cursor c;

	(void)state;
	/* new encoder, old decoder: trailing fields skipped, and the field
	 * after the struct is still read correctly */
	enc_buf_init(&b);
	thing_encode(&b, &in, 2);
	enc_put_u16(&b, 0x4242);
	dec_init(&c, b.data, b.len);
	assert_int_equal(thing_decode(&c, &out, 1), 0);
	assert_int_equal(out.a, 7);
	assert_int_equal(out.b, 0);
	assert_int_equal(dec_u16(&c), 0x4242);
	assert_int_equal(dec_error(&c), 0);

	/* same bytes, new decoder: everything */
	dec_init(&c, b.data, b.len);
	assert_int_equal(thing_decode(&c, &out, 2), 0);
	assert_int_equal(out.b, 99);
	assert_string_equal(out.name, "mon.a");
	enc_buf_release(&b);

	/* old encoder, new decoder */
	enc_buf_init(&b);
	thing_encode(&b, &in, 1);
	dec_init(&c, b.data, b.len);
	assert_int_equal(thing_decode(&c, &out, 2), 0);
	assert_int_equal(out.a, 7);
	assert_int_equal(out.b, 0);
	assert_string_equal(out.name, "");
	enc_buf_release(&b);

	/* incompatible newer encoder: refused */
	enc_buf_init(&b);
	thing_encode(&b, &in, 3);
	dec_init(&c, b.data, b.len);
	assert_int_equal(thing_decode(&c, &out, 2), -EOPNOTSUPP);
	enc_buf_release(&b);

	/* a body that claims more than it has */
	enc_buf_init(&b);
	thing_encode(&b, &in, 2);
	dec_init(&c, b.data, b.len - 1);
	assert_int_equal(thing_decode(&c, &out, 2), -EBADMSG);

	/* a body too short for its own fields: the sub-cursor's error
	 * reaches the parent */
	b.data[2] = 2; /* length 2 < the 4-byte u32 */
	b.data[3] = b.data[4] = b.data[5] = 0;
	dec_init(&c, b.data, b.len);
	assert_int_equal(thing_decode(&c, &out, 2), -EBADMSG);
	enc_buf_release(&b);
}

static void test_nested(void **state)
{
	struct enc_buf b;
	struct dec_cursor c, outer, inner;
	uint8_t v;

	(void)state;
	enc_buf_init(&b);
	size_t m1 = enc_start(&b, 1, 1);
	enc_put_u8(&b, 1);
	size_t m2 = enc_start(&b, 5, 1);
	enc_put_u32(&b, 2);
	enc_put_u32(&b, 3); /* unknown to a v1 reader of the inner struct */
	enc_finish(&b, m2);
	enc_put_u8(&b, 4);
	assert_int_equal(enc_finish(&b, m1), 0);

	dec_init(&c, b.data, b.len);
	assert_int_equal(dec_start(&c, 1, &v, &outer), 0);
	assert_int_equal(dec_u8(&outer), 1);
	assert_int_equal(dec_start(&outer, 1, &v, &inner), 0);
	assert_int_equal(v, 5);
	assert_int_equal(dec_u32(&inner), 2);
	assert_int_equal(dec_finish(&outer, &inner), 0);
	assert_int_equal(dec_u8(&outer), 4);
	assert_int_equal(dec_finish(&c, &outer), 0);
	assert_int_equal(dec_left(&c), 0);
	enc_buf_release(&b);

	/* enc_finish with a bogus mark is an error, not a scribble */
	enc_buf_init(&b);
	enc_put_u8(&b, 1);
	assert_int_equal(enc_finish(&b, 0), -EINVAL);
	size_t len;
	assert_null(enc_buf_detach(&b, &len));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_sticky_error),
		cmocka_unit_test(test_length_limits),
		cmocka_unit_test(test_versioned),
		cmocka_unit_test(test_nested),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
