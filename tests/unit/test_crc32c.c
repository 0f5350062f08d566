/*
 * CRC-32C: the standard check value, known vectors from RFC 3720 (iSCSI),
 * and the incremental form agreeing with the one-shot form at every split.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/crc32c.h"

static void test_check_value(void **state)
{
	(void)state;
	assert_int_equal(crc32c("123456789", 9), 0xE3069283u);
	assert_int_equal(crc32c(NULL, 0), 0);
	assert_int_equal(crc32c_update(0, "", 0), 0);
}

static void test_rfc3720_vectors(void **state)
{
	uint8_t buf[32];

	(void)state;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(crc32c(buf, 32), 0x8A9136AAu);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(crc32c(buf, 32), 0x62A8AB43u);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	assert_int_equal(crc32c(buf, 32), 0x46DD794Eu);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	assert_int_equal(crc32c(buf, 32), 0x113FDB5Cu);
}

static void test_incremental(void **state)
{
	uint8_t buf[1000];

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	uint32_t whole = crc32c(buf, sizeof(buf));
	for (size_t split = 0; split <= sizeof(buf); split += 37) {
		uint32_t c = crc32c(buf, split);
		c = crc32c_update(c, buf + split, sizeof(buf) - split);
		assert_int_equal(c, whole);
	}
	/* byte at a time */
	uint32_t c = 0;
	for (size_t i = 0; i < sizeof(buf); i++)
		c = crc32c_update(c, buf + i, 1);
	assert_int_equal(c, whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_rfc3720_vectors),
		cmocka_unit_test(test_incremental),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
