/*
 * The mapper against Ceph: for every reference map (each bucket
 * algorithm, default and legacy tunables, firstn and indep rules, device
 * reweights) our mappings must equal those Ceph's crushtool printed.
 * Also: mapping from many threads at once over one shared map.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "crush/crush.h"
#include "crush_test_util.h"

static struct crush_map *load_map(const char *name)
{
	char file[256];
	snprintf(file, sizeof(file), "%s.bin", name);
	char *path = test_data_path(file);
	size_t len = 0;
	unsigned char *buf = test_read_file(path, &len);
	assert_non_null(buf);
	struct crush_map *map;
	char err[256];
	int rc = crush_map_decode(buf, len, &map, err, sizeof(err));
	if (rc)
		fail_msg("%s: %s", path, err);
	free(buf);
	free(path);
	return map;
}

/* The reweights make.sh passed to Ceph: 3=0.3 7=0 11=0.6 20=0. */
static uint32_t *reference_weights(const struct crush_map *map)
{
	uint32_t *w = calloc((size_t)map->max_devices, sizeof(uint32_t));
	for (int i = 0; i < map->max_devices; i++)
		w[i] = crush_map_device_in_hierarchy(map, i) ? 0x10000 : 0;
	w[3] = (uint32_t)(0.3 * 0x10000);
	w[7] = 0;
	w[11] = (uint32_t)(0.6 * 0x10000);
	w[20] = 0;
	return w;
}

static void format_mapping(char *line, size_t n, int rule, int x, const int *out, int len)
{
	size_t off = (size_t)snprintf(line, n, "CRUSH rule %d x %d [", rule, x);
	for (int i = 0; i < len; i++)
		off += (size_t)snprintf(line + off, n - off, i ? ",%d" : "%d", out[i]);
	snprintf(line + off, n - off, "]");
}

static void test_mappings_match_ceph(void **state)
{
	(void)state;
	for (size_t m = 0; m < TEST_MAP_COUNT; m++) {
		struct crush_map *map = load_map(test_map_names[m]);
		uint32_t *w = reference_weights(map);
		char file[256];
		snprintf(file, sizeof(file), "%s.map.txt", test_map_names[m]);
		char *path = test_data_path(file);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		char line[512], want[512], got[512];
		int rule = 0, numrep = 0, checked = 0;
		void *work = NULL;
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = 0;
			if (sscanf(line, "# rule %d numrep %d", &rule, &numrep) == 2) {
				free(work);
				work = malloc(crush_work_size(map, numrep));
				crush_work_init(map, work, numrep);
				continue;
			}
			int x;
			assert_int_equal(sscanf(line, "CRUSH rule %*d x %d", &x), 1);
			int out[64];
			int len = crush_do_rule(map, rule, x, out, numrep, w, map->max_devices, work,
						NULL, NULL);
			format_mapping(got, sizeof(got), rule, x, out, len);
			snprintf(want, sizeof(want), "%s", line);
			if (strcmp(want, got) != 0)
				fail_msg("%s: want '%s' got '%s'", test_map_names[m], want, got);
			checked++;
		}
		assert_true(checked >= 2000);
		fclose(f);
		free(work);
		free(path);
		free(w);
		crush_map_destroy(map);
	}
}

struct thread_arg {
	const struct crush_map *map;
	const uint32_t *w;
	int results[2000][3];
	int lens[2000];
};

static void *map_thread(void *p)
{
	struct thread_arg *a = p;
	void *work = malloc(crush_work_size(a->map, 3));
	crush_work_init(a->map, work, 3);
	for (int x = 0; x < 2000; x++)
		a->lens[x] = crush_do_rule(a->map, 0, x, a->results[x], 3, a->w,
					   a->map->max_devices, work, NULL, NULL);
	free(work);
	return NULL;
}

/* Many threads over one map: each gets what a lone caller gets. */
static void test_concurrent_mapping(void **state)
{
	(void)state;
	struct crush_map *map = load_map("uniform_default");
	uint32_t *w = reference_weights(map);
	struct thread_arg *args = calloc(4, sizeof(*args));
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		args[i].map = map;
		args[i].w = w;
		assert_int_equal(pthread_create(&t[i], NULL, map_thread, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (int i = 1; i < 4; i++) {
		assert_memory_equal(args[0].lens, args[i].lens, sizeof(args[0].lens));
		assert_memory_equal(args[0].results, args[i].results, sizeof(args[0].results));
	}
	/* and what a lone caller with a fresh work area gets */
	void *work = malloc(crush_work_size(map, 3));
	for (int x = 0; x < 2000; x++) {
		int out[3];
		crush_work_init(map, work, 3);
		int len = crush_do_rule(map, 0, x, out, 3, w, map->max_devices, work, NULL, NULL);
		assert_int_equal(len, args[0].lens[x]);
		assert_memory_equal(out, args[0].results[x], sizeof(int) * (size_t)len);
	}
	free(work);
	free(args);
	free(w);
	crush_map_destroy(map);
}

/* A rule number that does not exist maps to nothing, not a crash. */
static void test_bad_rule(void **state)
{
	(void)state;
	struct crush_map *map = load_map("straw2_default");
	void *work = malloc(crush_work_size(map, 3));
	crush_work_init(map, work, 3);
	uint32_t w[64];
	for (int i = 0; i < 64; i++)
		w[i] = 0x10000;
	int out[3];
	assert_int_equal(crush_do_rule(map, 99, 1, out, 3, w, 32, work, NULL, NULL), 0);
	assert_int_equal(crush_do_rule(map, -1, 1, out, 3, w, 32, work, NULL, NULL), 0);
	/* all devices out: firstn places nothing */
	memset(w, 0, sizeof(w));
	assert_int_equal(crush_do_rule(map, 0, 1, out, 3, w, 32, work, NULL, NULL), 0);
	free(work);
	crush_map_destroy(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mappings_match_ceph),
		cmocka_unit_test(test_concurrent_mapping),
		cmocka_unit_test(test_bad_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
