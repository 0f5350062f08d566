/*
 * The `rados` CLI's output formats and number parsing (src/tools/
 * rados_util.c): byte units, hexdump and timestamps checked against what
 * Ceph 16.2's rados printed on the reference cluster for the same values
 * (rados df, getomapval, stat), and the IEC sizes -b/-O/--offset take.
 *
 * The CLI is an executable, not a library, so its helper file is compiled
 * into this test directly.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/tools/rados_util.c"

static void check_bytes(uint64_t n, const char *want)
{
	char buf[64];

	rados_cli_fmt_bytes(n, buf, sizeof(buf));
	if (strcmp(buf, want))
		fail_msg("%llu bytes: got '%s', want '%s'", (unsigned long long)n, buf, want);
}

/* Each pair is a value and what Ceph's rados df printed for it. */
static void test_bytes_as_ceph(void **state)
{
	(void)state;
	check_bytes(0, "0 B");
	check_bytes(1023, "1023 B");
	check_bytes(49152, "48 KiB");
	check_bytes(9916416, "9.5 MiB");
	check_bytes(3749874688ULL, "3.5 GiB");
	check_bytes(183999488, "175 MiB");
	check_bytes(891816ULL * 1024, "871 MiB");
	check_bytes(917796ULL * 1024, "896 MiB");
	check_bytes(30565464ULL * 1024, "29 GiB");
	check_bytes(31457280ULL * 1024, "30 GiB");
	check_bytes(44911616, "43 MiB");
	check_bytes(49485824, "47 MiB");
	check_bytes(1536, "1.5 KiB");
	check_bytes(1024, "1 KiB");
	check_bytes(UINT64_MAX, "16 EiB");
}

static char *dump(const void *data, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	rados_cli_hexdump(f, data, len);
	fclose(f);
	return buf;
}

/* The exact text of Ceph's `rados getomapval` for the same values. */
static void test_hexdump_as_ceph(void **state)
{
	char v70[70], *s;

	(void)state;
	s = dump("v1", 2);
	assert_string_equal(s, "00000000  76 31                                             |v1|\n"
			       "00000002\n");
	free(s);
	memset(v70, 'a', sizeof(v70));
	s = dump(v70, sizeof(v70));
	assert_string_equal(s,
			    "00000000  61 61 61 61 61 61 61 61  61 61 61 61 61 61 61 61  |aaaaaaaaaaaaaaaa|\n"
			    "*\n"
			    "00000040  61 61 61 61 61 61                                 |aaaaaa|\n"
			    "00000046\n");
	free(s);
	s = dump("\x00\x01\xff\x7f abc", 8);
	assert_string_equal(s, "00000000  00 01 ff 7f 20 61 62 63                           |.... abc|\n"
			       "00000008\n");
	free(s);
	s = dump("hello world this is a longer value with more than 16", 52);
	assert_string_equal(s,
			    "00000000  68 65 6c 6c 6f 20 77 6f  72 6c 64 20 74 68 69 73  |hello world this|\n"
			    "00000010  20 69 73 20 61 20 6c 6f  6e 67 65 72 20 76 61 6c  | is a longer val|\n"
			    "00000020  75 65 20 77 69 74 68 20  6d 6f 72 65 20 74 68 61  |ue with more tha|\n"
			    "00000030  6e 20 31 36                                       |n 16|\n"
			    "00000034\n");
	free(s);
	/* Nothing at all for an empty value. */
	s = dump("", 0);
	assert_string_equal(s, "");
	free(s);
}

static void test_time(void **state)
{
	char buf[64];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	rados_cli_fmt_time(1796292000, 0, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-03T10:00:00.000000+0000");
	rados_cli_fmt_time(1796292000, 319859, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-03T10:00:00.319859+0000");
	setenv("TZ", "CET-1", 1);
	tzset();
	rados_cli_fmt_time(1796292000, 0, buf, sizeof(buf));
	assert_string_equal(buf, "2026-12-03T11:00:00.000000+0100");
}

static void test_parse_iec(void **state)
{
	char err[128];
	uint64_t v;

	(void)state;
	assert_int_equal(rados_cli_parse_iec("4096", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(rados_cli_parse_iec("4K", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(rados_cli_parse_iec("4Ki", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(rados_cli_parse_iec("4M", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 4 << 20);
	assert_int_equal(rados_cli_parse_iec("1G", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(rados_cli_parse_iec("7B", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 7);
	assert_int_equal(rados_cli_parse_iec("0", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 0);
	assert_int_equal(rados_cli_parse_iec("abc", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(rados_cli_parse_iec("", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(rados_cli_parse_iec("-1", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(rados_cli_parse_iec("4MiB", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(rados_cli_parse_iec("4X", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(rados_cli_parse_iec("4Bi", &v, err, sizeof(err)), -EINVAL);
	assert_int_equal(rados_cli_parse_iec("99999999999999999999", &v, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(rados_cli_parse_iec("16E", &v, err, sizeof(err)), -ERANGE);
}

static void test_parse_ll(void **state)
{
	long long v;

	(void)state;
	assert_int_equal(rados_cli_parse_ll("12", &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(rados_cli_parse_ll("-1", &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(rados_cli_parse_ll("1x", &v), -EINVAL);
	assert_int_equal(rados_cli_parse_ll("", &v), -EINVAL);
	assert_int_equal(rados_cli_parse_ll(NULL, &v), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_as_ceph), cmocka_unit_test(test_hexdump_as_ceph),
		cmocka_unit_test(test_time),	      cmocka_unit_test(test_parse_iec),
		cmocka_unit_test(test_parse_ll),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
