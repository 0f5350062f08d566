/*
 * Object placement against Ceph: object names -> PG -> OSDs, and every PG
 * of a 768-PG pool -> OSDs, compared with Debian's osdmaptool output
 * (tests/data/osdmap/make.sh).  768 is not a power of two, so the stable
 * mod's folding is exercised.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crush/crush.h"
#include "osdmap/placement.h"

static char *data_path(const char *name)
{
	const char *src = getenv("LOLIGO_SRC");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/tests/data/osdmap/%s", src ? src : ".", name);
	return p;
}

static struct crush_map *load_crush(void)
{
	char *path = data_path("c12.bin");
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static unsigned char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	free(path);
	struct crush_map *map;
	char err[256];
	assert_int_equal(crush_map_decode(buf, n, &map, err, sizeof(err)), 0);
	return map;
}

static void map_pg(const struct crush_map *map, void *work, uint32_t ps, char *out, size_t n)
{
	uint32_t w[12];
	for (int i = 0; i < 12; i++)
		w[i] = 0x10000;
	int osds[3];
	int k = crush_do_rule(map, 0, (int)pg_crush_input(1, ps, 768, 1), osds, 3, w, 12, work,
			      NULL, NULL);
	size_t off = (size_t)snprintf(out, n, "[");
	for (int i = 0; i < k; i++)
		off += (size_t)snprintf(out + off, n - off, i ? ",%d" : "%d", osds[i]);
	snprintf(out + off, n - off, "]");
}

static void test_pgs(void **state)
{
	(void)state;
	struct crush_map *map = load_crush();
	void *work = malloc(crush_work_size(map, 3));
	crush_work_init(map, work, 3);
	char *path = data_path("pgs.txt");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[256], osds[64], want[64];
	unsigned int ps, count = 0;
	while (fgets(line, sizeof(line), f)) {
		assert_int_equal(sscanf(line, "1.%x\t%63s", &ps, want), 2);
		map_pg(map, work, ps, osds, sizeof(osds));
		assert_string_equal(osds, want);
		count++;
	}
	assert_int_equal(count, 768);
	fclose(f);
	free(path);
	free(work);
	crush_map_destroy(map);
}

static void test_objects(void **state)
{
	(void)state;
	struct crush_map *map = load_crush();
	void *work = malloc(crush_work_size(map, 3));
	crush_work_init(map, work, 3);
	char *path = data_path("objects.txt");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[512], name[256], want[64], osds[64];
	unsigned int ps, count = 0;
	while (fgets(line, sizeof(line), f)) {
		assert_int_equal(sscanf(line, " object '%255[^']' -> 1.%x -> %63s", name, &ps, want),
				 3);
		uint32_t ours = pg_of_hash(object_hash(NULL, NULL, name), 768);
		assert_int_equal(ours, ps);
		map_pg(map, work, ours, osds, sizeof(osds));
		assert_string_equal(osds, want);
		count++;
	}
	assert_true(count > 400);
	fclose(f);
	free(path);
	free(work);
	crush_map_destroy(map);
}

static void test_stable_mod(void **state)
{
	(void)state;
	assert_int_equal(pg_num_mask(1), 0);
	assert_int_equal(pg_num_mask(8), 7);
	assert_int_equal(pg_num_mask(768), 1023);
	/* growing pg_num 8 -> 12 moves only values whose folded seed >= 8 */
	for (uint32_t x = 0; x < 10000; x++) {
		uint32_t a = ceph_stable_mod(x, 8, 7), b = ceph_stable_mod(x, 12, 15);
		assert_true(b < 12);
		if (b < 8)
			assert_int_equal(a, b);
	}
	/* a locator key replaces the name; a namespace changes the hash */
	assert_int_equal(object_hash(NULL, "key", "name"), object_hash(NULL, NULL, "key"));
	assert_int_not_equal(object_hash("ns", NULL, "name"), object_hash(NULL, NULL, "name"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pgs),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_stable_mod),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
