/*
 * Helpers shared by the CRUSH unit tests: reading the reference maps in
 * tests/data/crush (made by Ceph's crushtool, see make.sh there).
 */
#ifndef LOLIGO_CRUSH_TEST_UTIL_H
#define LOLIGO_CRUSH_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

static inline char *test_data_path(const char *name)
{
	const char *src = getenv("LOLIGO_SRC");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/tests/data/crush/%s", src ? src : ".", name);
	return p;
}

/* Reads a whole file; returns NULL if missing. */
static inline unsigned char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static const char *const test_map_names[] = {
	"uniform_default", "uniform_legacy", "list_default",   "list_legacy",
	"tree_default",    "tree_legacy",    "straw_default",  "straw_legacy",
	"straw2_default",  "straw2_legacy",
};
#define TEST_MAP_COUNT (sizeof(test_map_names) / sizeof(test_map_names[0]))

#endif
