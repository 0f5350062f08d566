/*
 * straw2's fixed-point log and the hash: crush_ln follows 2^44*log2(x+1)
 * closely over its whole domain (the published tables are not exactly
 * monotonic, so neither is it); the rjenkins hashes are
 * pure functions that spread their input.  Exact equality with Ceph is
 * proven by the mapping tests (test_crush_mapper.c).
 */
#include <math.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "crush/crush.h"

static void test_ln_near_log2(void **state)
{
	(void)state;
	for (uint32_t u = 0; u <= 0xffff; u++) {
		uint64_t v = crush_ln(u);
		double exact = log2((double)u + 1.0) * 17592186044416.0; /* 2^44 */
		/* within ~2 LL steps of the true value */
		assert_true(fabs((double)v - exact) < 2e9);
	}
	assert_true(crush_ln(0) == 0);
	/* the published table tops out just below 2^48 */
	assert_true(crush_ln(0xffff) < (1ull << 48));
}

static void test_hash_spread(void **state)
{
	(void)state;
	unsigned int buckets[16] = {0};
	for (uint32_t i = 0; i < 160000; i++)
		buckets[crush_hash32_3(CRUSH_HASH_RJENKINS1, i, 7, 3) & 15]++;
	for (int b = 0; b < 16; b++)
		assert_true(buckets[b] > 9000 && buckets[b] < 11000);
	assert_int_equal(crush_hash32_2(CRUSH_HASH_RJENKINS1, 1, 2),
			 crush_hash32_2(CRUSH_HASH_RJENKINS1, 1, 2));
	assert_int_not_equal(crush_hash32_2(CRUSH_HASH_RJENKINS1, 1, 2),
			     crush_hash32_2(CRUSH_HASH_RJENKINS1, 2, 1));
	/* unknown hash types hash to 0, as in Ceph */
	assert_int_equal(crush_hash32(7, 12345), 0);
}

static void test_tunable_profiles(void **state)
{
	(void)state;
	static const char *names[] = {"argonaut", "bobtail", "firefly", "hammer", "jewel"};
	struct crush_tunables t;
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(crush_tunables_set_profile(&t, names[i]), 0);
		assert_string_equal(crush_tunables_profile(&t), names[i]);
	}
	assert_int_equal(crush_tunables_set_profile(&t, "legacy"), 0);
	assert_string_equal(crush_tunables_profile(&t), "argonaut");
	assert_int_equal(crush_tunables_set_profile(&t, "optimal"), 0);
	assert_string_equal(crush_tunables_profile(&t), "jewel");
	assert_int_equal(crush_tunables_set_profile(&t, "nonsense"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ln_near_log2),
		cmocka_unit_test(test_hash_spread),
		cmocka_unit_test(test_tunable_profiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
