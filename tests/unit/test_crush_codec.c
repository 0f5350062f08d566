/*
 * The binary codec: Ceph's maps decode and re-encode byte for byte;
 * rebuilding each bucket's derived arrays (list sums, tree nodes, straw
 * lengths for both straw_calc_versions) reproduces Ceph's; and every
 * truncation and many corruptions of a valid map are rejected or decoded
 * safely, never crashing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "crush/crush.h"
#include "crush_test_util.h"

static unsigned char *load(const char *name, size_t *len)
{
	char file[256];
	snprintf(file, sizeof(file), "%s.bin", name);
	char *path = test_data_path(file);
	unsigned char *buf = test_read_file(path, len);
	if (!buf)
		fail_msg("missing %s", path);
	free(path);
	return buf;
}

static void test_roundtrip_identical(void **state)
{
	(void)state;
	for (size_t m = 0; m < TEST_MAP_COUNT; m++) {
		size_t len = 0, elen = 0;
		unsigned char *buf = load(test_map_names[m], &len);
		struct crush_map *map;
		char err[256];
		assert_int_equal(crush_map_decode(buf, len, &map, err, sizeof(err)), 0);
		uint8_t *enc;
		assert_int_equal(crush_map_encode(map, &enc, &elen), 0);
		assert_int_equal(elen, len);
		assert_memory_equal(enc, buf, len);
		free(enc);
		crush_map_destroy(map);
		free(buf);
	}
}

static void test_rebuild_matches_ceph(void **state)
{
	(void)state;
	for (size_t m = 0; m < TEST_MAP_COUNT; m++) {
		size_t len = 0, elen = 0;
		unsigned char *buf = load(test_map_names[m], &len);
		struct crush_map *map;
		char err[256];
		assert_int_equal(crush_map_decode(buf, len, &map, err, sizeof(err)), 0);
		for (int32_t b = 0; b < map->max_buckets; b++)
			if (map->buckets[b])
				assert_int_equal(crush_bucket_rebuild(map, map->buckets[b]), 0);
		uint8_t *enc;
		assert_int_equal(crush_map_encode(map, &enc, &elen), 0);
		assert_int_equal(elen, len);
		if (memcmp(enc, buf, len) != 0)
			fail_msg("%s: rebuilt buckets differ from Ceph's", test_map_names[m]);
		free(enc);
		crush_map_destroy(map);
		free(buf);
	}
}

static void test_truncations_rejected(void **state)
{
	(void)state;
	size_t len = 0;
	unsigned char *buf = load("straw2_default", &len);
	/* Cutting inside the required part must fail; cutting in the optional
	 * tail may succeed, but never crash. */
	for (size_t cut = 0; cut < len; cut++) {
		unsigned char *copy = malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		struct crush_map *map = NULL;
		char err[256] = "";
		int rc = crush_map_decode(copy, cut, &map, err, sizeof(err));
		if (rc == 0) {
			assert_non_null(map);
			crush_map_destroy(map);
		} else {
			assert_null(map);
			assert_true(err[0] != 0);
		}
		free(copy);
	}
	free(buf);
}

static void test_corruptions_safe(void **state)
{
	(void)state;
	size_t len = 0;
	unsigned char *buf = load("tree_default", &len);
	unsigned int seed = 12345;
	for (int iter = 0; iter < 3000; iter++) {
		unsigned char *copy = malloc(len);
		memcpy(copy, buf, len);
		for (int k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % len;
			seed = seed * 1103515245u + 12345u;
			copy[pos] ^= (unsigned char)(1 + (seed >> 16) % 255);
		}
		struct crush_map *map = NULL;
		char err[256];
		if (crush_map_decode(copy, len, &map, err, sizeof(err)) == 0) {
			/* whatever decoded must be safe to map */
			void *work = malloc(crush_work_size(map, 4));
			crush_work_init(map, work, 4);
			uint32_t w[64];
			for (int i = 0; i < 64; i++)
				w[i] = 0x10000;
			for (uint32_t r = 0; r < map->max_rules && r < 4; r++)
				for (int x = 0; x < 20; x++) {
					int out[4];
					crush_do_rule(map, (int)r, x, out, 4, w, 64, work, NULL, NULL);
				}
			free(work);
			crush_map_destroy(map);
		}
		free(copy);
	}
	free(buf);
}

static void test_bad_magic(void **state)
{
	(void)state;
	unsigned char junk[64] = "this is not a crush map at all, no it is not...";
	struct crush_map *map;
	char err[256];
	assert_int_equal(crush_map_decode(junk, sizeof(junk), &map, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "magic"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_identical),
		cmocka_unit_test(test_rebuild_matches_ceph),
		cmocka_unit_test(test_truncations_rejected),
		cmocka_unit_test(test_corruptions_safe),
		cmocka_unit_test(test_bad_magic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
