/*
 * The messenger's wire codec without sockets: frame headers and trailers,
 * every way a frame can be corrupt, and the handshake payloads.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "msg/internal.h"

static void make_frame(struct enc_buf *b, uint16_t type, uint16_t flags, const char *payload,
		       uint64_t seq)
{
	struct msgr_frame_hdr h = {.type = type, .flags = flags,
				   .len = (uint32_t)strlen(payload), .seq = seq};
	enc_buf_init(b);
	msgr_frame_encode(b, &h, payload);
	assert_int_equal(enc_buf_error(b), 0);
}

static void test_round_trip(void **state)
{
	struct enc_buf b;
	struct msgr_frame_hdr h;
	const uint8_t *p;
	size_t flen;

	(void)state;
	make_frame(&b, 0x1234, 0, "hello", 0x0102030405060708ull);
	assert_int_equal(b.len, MSGR_FRAME_HDR_LEN + 5 + MSGR_FRAME_TRAILER_LEN);
	assert_memory_equal(b.data, "LOLM", 4);
	assert_int_equal(msgr_frame_decode(b.data, b.len, 100, &h, &p, &flen), 0);
	assert_int_equal(h.type, 0x1234);
	assert_int_equal(h.flags, 0);
	assert_int_equal(h.len, 5);
	assert_true(h.seq == 0x0102030405060708ull);
	assert_memory_equal(p, "hello", 5);
	assert_int_equal(flen, b.len);

	/* every strict prefix is incomplete, never an error */
	for (size_t n = 0; n < b.len; n++) {
		int rc = msgr_frame_decode(b.data, n, 100, &h, &p, &flen);
		assert_int_equal(rc, -EAGAIN);
		assert_int_equal(flen, n < MSGR_FRAME_HDR_LEN ? MSGR_FRAME_HDR_LEN : b.len);
	}
	enc_buf_release(&b);
}

static void test_corruption(void **state)
{
	struct enc_buf b;
	struct msgr_frame_hdr h;
	const uint8_t *p;
	size_t flen;

	(void)state;
	make_frame(&b, 1, 0, "payload", 1);
	/* every single bit flip anywhere in the frame is caught */
	for (size_t i = 0; i < b.len * 8; i++) {
		b.data[i / 8] ^= (uint8_t)(1u << (i % 8));
		int rc = msgr_frame_decode(b.data, b.len, 1000, &h, &p, &flen);
		assert_true(rc == -EBADMSG || rc == -EMSGSIZE || rc == -EPROTO || rc == -EAGAIN);
		b.data[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
	assert_int_equal(msgr_frame_decode(b.data, b.len, 1000, &h, &p, &flen), 0);
	/* too long for the limit: refused from the header alone */
	assert_int_equal(msgr_frame_decode(b.data, MSGR_FRAME_HDR_LEN, 6, &h, &p, &flen),
			 -EMSGSIZE);
	enc_buf_release(&b);

	/* unknown flags */
	make_frame(&b, 1, 0x8000, "x", 1);
	assert_int_equal(msgr_frame_decode(b.data, b.len, 1000, &h, &p, &flen), -EPROTO);
	enc_buf_release(&b);
}

static void test_hello_ready_close(void **state)
{
	struct msgr_hello h = {.proto = 1, .name = "client.admin", .nonce = 7, .cookie = 8,
			       .in_seq = 9, .out_acked = 10, .method = "none",
			       .auth = (const uint8_t *)"key", .auth_len = 3}, h2;
	struct msgr_ready r = {.proto = 1, .name = "mon.a", .nonce = 11, .in_seq = 12,
			       .resumed = true}, r2;
	struct msgr_close_info ci = {.err = -EACCES, .reason = "no"}, ci2;
	struct enc_buf b;

	(void)state;
	enc_buf_init(&b);
	assert_int_equal(msgr_hello_encode(&b, &h), 0);
	assert_int_equal(msgr_hello_decode(b.data, b.len, &h2), 0);
	assert_string_equal(h2.name, "client.admin");
	assert_string_equal(h2.method, "none");
	assert_int_equal(h2.nonce, 7);
	assert_int_equal(h2.cookie, 8);
	assert_int_equal(h2.in_seq, 9);
	assert_int_equal(h2.out_acked, 10);
	assert_int_equal(h2.auth_len, 3);
	assert_memory_equal(h2.auth, "key", 3);
	/* truncation anywhere is an error */
	for (size_t n = 0; n < b.len; n++)
		assert_int_not_equal(msgr_hello_decode(b.data, n, &h2), 0);
	enc_buf_release(&b);

	/* an invalid entity name is refused */
	strcpy(h.name, "Bad Name");
	enc_buf_init(&b);
	msgr_hello_encode(&b, &h);
	assert_int_equal(msgr_hello_decode(b.data, b.len, &h2), -EBADMSG);
	enc_buf_release(&b);

	enc_buf_init(&b);
	assert_int_equal(msgr_ready_encode(&b, &r), 0);
	assert_int_equal(msgr_ready_decode(b.data, b.len, &r2), 0);
	assert_string_equal(r2.name, "mon.a");
	assert_int_equal(r2.nonce, 11);
	assert_int_equal(r2.in_seq, 12);
	assert_true(r2.resumed);
	enc_buf_release(&b);

	enc_buf_init(&b);
	assert_int_equal(msgr_close_encode(&b, &ci), 0);
	assert_int_equal(msgr_close_decode(b.data, b.len, &ci2), 0);
	assert_int_equal(ci2.err, -EACCES);
	assert_string_equal(ci2.reason, "no");
	enc_buf_release(&b);
}

static void test_addr_and_names(void **state)
{
	struct msgr_addr a;
	char s[MSGR_ADDR_STRLEN];

	(void)state;
	assert_int_equal(msgr_addr_parse("127.0.0.1:6789", 1, &a), 0);
	msgr_addr_format(&a, s, sizeof(s));
	assert_string_equal(s, "127.0.0.1:6789");
	assert_int_equal(msgr_addr_parse("10.1.2.3", 6789, &a), 0);
	assert_int_equal(msgr_addr_port(&a), 6789);
	assert_int_equal(msgr_addr_parse("[::1]:3300", 1, &a), 0);
	msgr_addr_format(&a, s, sizeof(s));
	assert_string_equal(s, "[::1]:3300");
	assert_int_equal(msgr_addr_parse("::1", 6789, &a), 0);
	assert_int_equal(a.ss.ss_family, AF_INET6);
	assert_int_equal(msgr_addr_port(&a), 6789);
	assert_int_equal(msgr_addr_parse("[fe80::1]", 5, &a), 0);
	assert_int_equal(msgr_addr_parse("host.example:1", 1, &a), -EINVAL);
	assert_int_equal(msgr_addr_parse("1.2.3.4:99999", 1, &a), -EINVAL);
	assert_int_equal(msgr_addr_parse("1.2.3.4:", 1, &a), -EINVAL);
	assert_int_equal(msgr_addr_parse("[::1", 1, &a), -EINVAL);
	assert_int_equal(msgr_addr_parse("[::1]x", 1, &a), -EINVAL);
	assert_int_equal(msgr_addr_parse("", 1, &a), -EINVAL);

	assert_true(msgr_entity_name_valid("mon.a"));
	assert_true(msgr_entity_name_valid("osd.3"));
	assert_true(msgr_entity_name_valid("client.radosgw.rgw1"));
	assert_false(msgr_entity_name_valid("mon"));
	assert_false(msgr_entity_name_valid(".a"));
	assert_false(msgr_entity_name_valid("mon."));
	assert_false(msgr_entity_name_valid("Mon.a"));
	assert_false(msgr_entity_name_valid("mon.a b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_corruption),
		cmocka_unit_test(test_hello_ready_close),
		cmocka_unit_test(test_addr_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
