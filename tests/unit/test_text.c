/*
 * Unit tests of the text CRUSH map compiler and decompiler (text_parse.c,
 * text_print.c) and of device-class shadow trees (classes.c).
 *
 * The golden maps in tests/golden/crush-text/ come in pairs: NAME.txt and
 * NAME.expected, the latter being what Ceph 16.2's `crushtool -c NAME.txt`
 * then `crushtool -d` printed.  Every test here runs without Ceph; when
 * /usr/bin/crushtool (or $CRUSHTOOL) exists, the round trips through the
 * binary format are also checked against it:
 *   real compile -> our decode + decompile  == real decompile
 *   our compile + encode -> real decompile   == real decompile
 * Every map under bad/ must be rejected with "file:line:col: ...".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crush/crush.h"

static char golden_dir[4096];

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;
	if (!f)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			char *nb = realloc(buf, cap + 1);
			assert_non_null(nb);
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -errno;
	size_t w = fwrite(buf, 1, len, f);
	fclose(f);
	return w == len ? 0 : -EIO;
}

static char *decompile_to_string(const struct crush_map *map)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(crush_map_decompile(map, f), 0);
	fclose(f);
	return text;
}

static struct crush_map *compile_string(const char *text)
{
	struct crush_map *map = NULL;
	char err[256];
	int rc = crush_map_compile(text, strlen(text), "test", &map, err, sizeof(err));
	if (rc != 0)
		fail_msg("compile failed: %s", err);
	return map;
}

static void assert_text_equal(const char *what, const char *want, const char *got)
{
	if (strcmp(want, got) == 0)
		return;
	/* show the first differing line */
	size_t line = 1, i = 0;
	while (want[i] && want[i] == got[i]) {
		if (want[i] == '\n')
			line++;
		i++;
	}
	fail_msg("%s: differs at line %zu:\nwant: %.80s\ngot:  %.80s", what, line, want + i,
		 got + i);
}

/* ---- small, Ceph-free tests ---- */

static void test_defaults_are_legacy(void **state)
{
	(void)state;
	struct crush_map *map = compile_string("type 0 osd\n");
	assert_int_equal(map->t.choose_total_tries, 19);
	assert_int_equal(map->t.choose_local_tries, 2);
	assert_int_equal(map->t.choose_local_fallback_tries, 5);
	assert_int_equal(map->t.straw_calc_version, 0);
	assert_int_equal(map->t.allowed_bucket_algs, CRUSH_LEGACY_ALLOWED_BUCKET_ALGS);
	char *text = decompile_to_string(map);
	assert_text_equal("empty", "# begin crush map\n\n# devices\n\n# types\ntype 0 osd\n\n"
				   "# buckets\n\n# rules\n\n# end crush map\n",
			  text);
	free(text);
	crush_map_destroy(map);
}

static void test_seed_ruleset(void **state)
{
	(void)state;
	struct crush_map *map = compile_string(
		"device 0 osd.0\ntype 0 osd\ntype 1 rack\ntype 2 root\n"
		"rack r0 { alg straw2 item osd.0 }\nroot root { alg straw2 item r0 }\n"
		"rule data { ruleset 1 type replicated min_size 2 max_size 2 step take root "
		"step chooseleaf firstn 0 type rack step emit }\n");
	assert_int_equal(map->max_rules, 2);
	assert_null(map->rules[0]);
	assert_non_null(map->rules[1]);
	assert_int_equal(map->rules[1]->ruleset, 1);
	assert_int_equal(map->rules[1]->len, 3);
	assert_int_equal(map->rules[1]->steps[0].arg1, -2);
	assert_int_equal(map->rules[1]->steps[1].op, CRUSH_RULE_CHOOSELEAF_FIRSTN);
	assert_string_equal(crush_names_get(&map->rule_names, 1), "data");
	crush_map_destroy(map);
}

static void test_weights_and_ids(void **state)
{
	(void)state;
	struct crush_map *map = compile_string(
		"device 0 a\ndevice 1 b\ntype 0 osd\ntype 1 host\n"
		"host h0 { alg straw2 item a weight 1.5 item b weight 3.99999999 }\n"
		"host h1 { id -1 alg list item b }\n"
		"host h2 { alg straw2 item h0 item h1 weight 0.5 }\n");
	int32_t id;
	assert_int_equal(crush_map_item_id(map, "h0", &id), 0);
	assert_int_equal(id, -2); /* -1 is named later in the file */
	const struct crush_bucket *b = crush_map_bucket(map, -2);
	assert_int_equal(b->item_weights[0], 0x18000);
	assert_int_equal(b->item_weights[1], 0x40000); /* float rounding */
	assert_int_equal(b->weight, 0x58000);
	assert_int_equal(crush_map_item_id(map, "h2", &id), 0);
	assert_int_equal(id, -3);
	b = crush_map_bucket(map, -3);
	assert_int_equal(b->item_weights[0], 0x58000); /* the child's weight */
	assert_int_equal(b->item_weights[1], 0x8000);  /* as written */
	crush_map_destroy(map);
}

static void test_shadow_trees(void **state)
{
	(void)state;
	struct crush_map *map = compile_string(
		"device 0 osd.0 class ssd\ndevice 1 osd.1 class hdd\n"
		"type 0 osd\ntype 1 host\ntype 2 root\n"
		"host h0 { id -2 alg straw2 item osd.0 weight 1.5 item osd.1 weight 0.25 }\n"
		"root default { id -1 id -10 class hdd alg straw2 item h0 weight 3 }\n"
		"rule r { id 0 type replicated min_size 1 max_size 10 "
		"step take default class ssd step emit }\n");
	int32_t ssd, hdd, shadow;
	assert_int_equal(crush_names_find(&map->class_names, "ssd", &ssd), 0);
	assert_int_equal(crush_names_find(&map->class_names, "hdd", &hdd), 0);
	assert_int_equal(ssd, 0);
	assert_int_equal(hdd, 1);
	/* post-order, class by class: h0~ssd, default~ssd, h0~hdd; the
	 * reserved -10 is default~hdd */
	assert_int_equal(crush_map_class_bucket(map, -2, ssd, &shadow), 0);
	assert_int_equal(shadow, -3);
	assert_int_equal(crush_map_class_bucket(map, -1, ssd, &shadow), 0);
	assert_int_equal(shadow, -4);
	assert_string_equal(crush_names_get(&map->item_names, -4), "default~ssd");
	assert_int_equal(map->rules[0]->steps[0].arg1, -4);
	/* a shadow's child weighs its own devices, not the overridden 3.0 */
	assert_int_equal(crush_map_bucket(map, -4)->item_weights[0], 0x18000);
	assert_int_equal(crush_map_class_bucket(map, -2, hdd, &shadow), 0);
	assert_int_equal(shadow, -5);
	assert_int_equal(crush_map_class_bucket(map, -1, hdd, &shadow), 0);
	assert_int_equal(shadow, -10);
	assert_true(crush_map_is_shadow(map, -10));
	int32_t cls;
	assert_int_equal(crush_map_item_class(map, -10, &cls), 0);
	assert_int_equal(cls, hdd);

	/* a rebuild keeps the ids; trimming removes every shadow */
	assert_int_equal(crush_map_populate_classes(map), 0);
	assert_int_equal(crush_map_class_bucket(map, -1, ssd, &shadow), 0);
	assert_int_equal(shadow, -4);
	assert_int_equal(crush_map_class_bucket(map, -1, hdd, &shadow), 0);
	assert_int_equal(shadow, -10);
	assert_int_equal(crush_map_trim_shadows(map), 0);
	assert_null(crush_map_bucket(map, -4));
	assert_int_equal(map->n_class_buckets, 0);

	int32_t nvme;
	assert_int_equal(crush_class_get_or_create(map, "nvme", &nvme), 0);
	assert_int_equal(nvme, 2);
	assert_int_equal(crush_class_get_or_create(map, "ssd", &cls), 0);
	assert_int_equal(cls, ssd);
	crush_map_destroy(map);
}

static void test_errors_have_position(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{"device 0 osd.0\ndevice x", "f:2:8: expected a device id"},
		{"type 0 osd\ntype 1 host\nhost h {\n  alg foo\n}", "f:4:7: unknown bucket alg"},
		{"type 0 osd\nhost h { alg straw2 }", "f:2:1: bucket type 'host' is not defined"},
		{"type 0 osd\ntype 1 h\nh b { alg straw2 item nope }",
		 "f:3:23: item 'nope' in bucket 'b' is not defined"},
		{"tunable foo 1", "f:1:9: tunable 'foo' not recognized"},
		{"type 0 osd\ntype 1 h\nh b { alg straw2 }\nrule r { id 0 type replicated "
		 "min_size 1 max_size 2 }",
		 "f:4:53: expected 'step'"},
		{"type 0 osd\n\x01", "f:2:1: expected"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crush_map *map = (struct crush_map *)1;
		char err[256];
		int rc = crush_map_compile(cases[i].text, strlen(cases[i].text), "f", &map, err,
					   sizeof(err));
		assert_int_equal(rc, -EINVAL);
		assert_null(map);
		if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: want '%s', got '%s'", i, cases[i].want, err);
	}
}

static void test_tiny_error_buffer(void **state)
{
	(void)state;
	struct crush_map *map;
	char err[4];
	const char *text = "device x";
	assert_int_equal(crush_map_compile(text, strlen(text), "file", &map, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(strlen(err), 3);
	assert_int_equal(crush_map_compile(text, strlen(text), "file", &map, NULL, 0), -EINVAL);
	/* no NUL terminator needed: the length is what counts */
	assert_int_equal(crush_map_compile("type 0 osdXXXX", 10, "f", &map, NULL, 0), 0);
	assert_string_equal(crush_names_get(&map->type_names, 0), "osd");
	crush_map_destroy(map);
}

/* ---- golden maps ---- */

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

typedef void (*golden_fn)(const char *dir, const char *name);

static int for_each_txt(const char *dir, golden_fn fn)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int count = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (!has_suffix(e->d_name, ".txt"))
			continue;
		fn(dir, e->d_name);
		count++;
	}
	closedir(d);
	return count;
}

static void check_golden(const char *dir, const char *name)
{
	char path[8192], exp_path[8192], err[512];
	size_t len, elen;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(exp_path, sizeof(exp_path), "%s/%.*s.expected", dir, (int)(strlen(name) - 4),
		 name);
	char *text = read_file(path, &len);
	char *want = read_file(exp_path, &elen);
	assert_non_null(text);
	if (!want)
		fail_msg("missing %s", exp_path);

	struct crush_map *map = NULL;
	if (crush_map_compile(text, len, path, &map, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	char *got = decompile_to_string(map);
	assert_text_equal(name, want, got);
	free(got);

	/* and survives our binary encoding */
	uint8_t *bin;
	size_t blen;
	struct crush_map *decoded = NULL;
	assert_int_equal(crush_map_encode(map, &bin, &blen), 0);
	if (crush_map_decode(bin, blen, &decoded, err, sizeof(err)) != 0)
		fail_msg("%s: decode of our encoding: %s", name, err);
	got = decompile_to_string(decoded);
	assert_text_equal("encode/decode", want, got);
	free(got);
	free(bin);
	crush_map_destroy(decoded);
	crush_map_destroy(map);
	free(text);
	free(want);
}

static void check_bad(const char *dir, const char *name)
{
	char path[8192], err[512];
	size_t len;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = read_file(path, &len);
	assert_non_null(text);
	struct crush_map *map = NULL;
	int rc = crush_map_compile(text, len, path, &map, err, sizeof(err));
	if (rc != -EINVAL)
		fail_msg("%s: compiled (rc %d) but Ceph rejects it", name, rc);
	assert_null(map);
	/* "path:line:col: message" */
	size_t plen = strlen(path);
	int line, col, used = 0;
	if (strncmp(err, path, plen) != 0 ||
	    sscanf(err + plen, ":%d:%d: %n", &line, &col, &used) != 2 || used == 0 ||
	    err[plen + (size_t)used] == '\0')
		fail_msg("%s: badly formed error '%s'", name, err);
	free(text);
}

static void test_golden(void **state)
{
	(void)state;
	assert_true(for_each_txt(golden_dir, check_golden) >= 10);
}

static void test_bad(void **state)
{
	(void)state;
	char dir[8192];
	snprintf(dir, sizeof(dir), "%s/bad", golden_dir);
	assert_true(for_each_txt(dir, check_bad) >= 10);
}

/* ---- against the real crushtool ---- */

static const char *crushtool_path(void)
{
	const char *p = getenv("CRUSHTOOL");
	if (!p)
		p = "/usr/bin/crushtool";
	return access(p, X_OK) == 0 ? p : NULL;
}

static char tmpdir[] = "/tmp/test_text.XXXXXX";

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void check_against_crushtool(const char *dir, const char *name)
{
	const char *ct = crushtool_path();
	char path[8192], err[512];
	size_t len, rlen, blen;
	snprintf(path, sizeof(path), "%s/%s", dir, name);

	if (run("%s -c '%s' -o %s/real.bin >/dev/null 2>&1", ct, path, tmpdir) != 0)
		fail_msg("%s: real crushtool rejects it", name);
	assert_int_equal(run("%s -d %s/real.bin -o %s/real.txt", ct, tmpdir, tmpdir), 0);
	char rpath[8192];
	snprintf(rpath, sizeof(rpath), "%s/real.txt", tmpdir);
	char *want = read_file(rpath, &rlen);
	assert_non_null(want);

	/* real binary -> our decode + decompile */
	snprintf(rpath, sizeof(rpath), "%s/real.bin", tmpdir);
	char *bin = read_file(rpath, &blen);
	assert_non_null(bin);
	struct crush_map *map = NULL;
	if (crush_map_decode(bin, blen, &map, err, sizeof(err)) != 0)
		fail_msg("%s: decode: %s", name, err);
	char *got = decompile_to_string(map);
	assert_text_equal("decode of crushtool's binary", want, got);
	free(got);
	crush_map_destroy(map);
	free(bin);

	/* our compile + encode -> real decompile */
	char *text = read_file(path, &len);
	assert_non_null(text);
	if (crush_map_compile(text, len, path, &map, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	uint8_t *ours;
	size_t olen;
	assert_int_equal(crush_map_encode(map, &ours, &olen), 0);
	snprintf(rpath, sizeof(rpath), "%s/ours.bin", tmpdir);
	assert_int_equal(write_file(rpath, ours, olen), 0);
	assert_int_equal(run("%s -d %s/ours.bin -o %s/ours.txt", ct, tmpdir, tmpdir), 0);
	snprintf(rpath, sizeof(rpath), "%s/ours.txt", tmpdir);
	got = read_file(rpath, &rlen);
	assert_non_null(got);
	assert_text_equal("crushtool -d of our binary", want, got);
	free(got);
	free(ours);
	free(text);
	free(want);
	crush_map_destroy(map);
}

static void check_bad_against_crushtool(const char *dir, const char *name)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	/* crushtool aborts on some; any failure will do */
	if (run("%s -c '%s' -o %s/bad.bin >/dev/null 2>&1", crushtool_path(), path, tmpdir) == 0)
		fail_msg("%s: real crushtool accepts it", name);
}

static void test_crushtool_roundtrip(void **state)
{
	(void)state;
	if (!crushtool_path()) {
		print_message("crushtool not found: skipping comparisons with Ceph\n");
		skip();
	}
	assert_non_null(mkdtemp(tmpdir));
	for_each_txt(golden_dir, check_against_crushtool);
	char dir[8192];
	snprintf(dir, sizeof(dir), "%s/bad", golden_dir);
	for_each_txt(dir, check_bad_against_crushtool);
	run("rm -rf %s", tmpdir);
}

int main(void)
{
	const char *src = getenv("LOLIGO_SRC");
	snprintf(golden_dir, sizeof(golden_dir), "%s/tests/golden/crush-text",
		 src ? src : ".");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_legacy),
		cmocka_unit_test(test_seed_ruleset),
		cmocka_unit_test(test_weights_and_ids),
		cmocka_unit_test(test_shadow_trees),
		cmocka_unit_test(test_errors_have_position),
		cmocka_unit_test(test_tiny_error_buffer),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_crushtool_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
