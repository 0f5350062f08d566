/*
 * The monitor map: Ceph's rank rules (address order without the nautilus
 * feature, insertion order with it), address and address-vector parsing,
 * encode/decode round trips, forward compatibility of the versioned body,
 * refusal of hostile or corrupt input (every truncation, every single-byte
 * corruption of the file form), and the plain and JSON displays in the
 * shape of Ceph 16's `ceph mon dump`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "osdmap/monmap.h"

static void add_ip(struct monmap *m, const char *name, const char *ip)
{
	struct sockaddr_storage sa;
	struct monmap_addr v[MONMAP_ADDRVEC_MAX];
	bool port_given;
	unsigned n;
	char err[256];

	assert_int_equal(monmap_ip_parse(ip, &sa, &port_given), 0);
	monmap_addrvec_from_ip(&sa, port_given,
			       m->persistent_features & MONMAP_FEATURE_NAUTILUS,
			       v, &n);
	assert_int_equal(monmap_add(m, name, v, n, err, sizeof(err)), 0);
}

static void add_vec(struct monmap *m, const char *name, const char *vec)
{
	struct monmap_addr v[MONMAP_ADDRVEC_MAX];
	unsigned n;
	char err[256];

	assert_int_equal(monmap_addrvec_parse(vec, v, &n), 0);
	assert_int_equal(monmap_add(m, name, v, n, err, sizeof(err)), 0);
}

static char *print_to_string(const struct monmap *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	monmap_print(m, f);
	fclose(f);
	return buf;
}

/* A fixed map for the display tests. */
static void fixed_map(struct monmap *m)
{
	monmap_init(m);
	assert_int_equal(monmap_uuid_parse("595783c9-7966-4aa3-91c9-7671df7353b1",
					   m->fsid), 0);
	m->epoch = 1;
	m->created.sec = 1795327748; /* 2026-11-22T06:09:08Z */
	m->created.nsec = 97567000;
	m->modified = m->created;
	m->min_mon_release = 16;
	m->persistent_features = MONMAP_FEATURES_ALL;
	add_vec(m, "a", "[v2:127.0.0.1:47311,v1:127.0.0.1:47312]");
}

static void test_rank_by_address(void **state)
{
	struct monmap m;
	char *text;

	(void)state;
	monmap_init(&m);
	add_ip(&m, "c", "10.0.0.3");
	add_ip(&m, "a", "10.0.0.2:6789");
	add_ip(&m, "b", "10.0.0.1:6790");   /* v2: after every v1 */
	add_vec(&m, "z", "v1:10.0.0.3:6788"); /* port before IP */
	text = print_to_string(&m);
	assert_non_null(strstr(text,
		"0: v1:10.0.0.3:6788/0 mon.z\n"
		"1: v1:10.0.0.2:6789/0 mon.a\n"
		"2: v1:10.0.0.3:6789/0 mon.c\n"
		"3: v2:10.0.0.1:6790/0 mon.b\n"));
	free(text);
	assert_int_equal(monmap_remove(&m, "a"), 0);
	assert_int_equal(monmap_remove(&m, "a"), -ENOENT);
	assert_string_equal(m.mons[1].name, "c");
	monmap_release(&m);
}

static void test_rank_nautilus_appends(void **state)
{
	struct monmap m;

	(void)state;
	monmap_init(&m);
	m.persistent_features = MONMAP_FEATURES_ALL;
	add_ip(&m, "b", "10.0.0.1");
	add_ip(&m, "c", "10.0.0.0");
	add_ip(&m, "aa", "10.0.0.5");
	assert_string_equal(m.mons[0].name, "b");
	assert_string_equal(m.mons[1].name, "c");
	assert_string_equal(m.mons[2].name, "aa");
	assert_int_equal(m.mons[0].naddrs, 2);
	assert_int_equal(monmap_remove(&m, "b"), 0);
	assert_string_equal(m.mons[0].name, "c");
	assert_string_equal(m.mons[1].name, "aa");
	monmap_release(&m);
}

static void test_add_conflicts(void **state)
{
	struct monmap m;
	struct monmap_addr v[MONMAP_ADDRVEC_MAX];
	unsigned n;
	char err[256];

	(void)state;
	monmap_init(&m);
	add_ip(&m, "a", "10.0.0.1");
	assert_int_equal(monmap_addrvec_parse("v1:10.0.0.2:6789", v, &n), 0);
	assert_int_equal(monmap_add(&m, "a", v, n, err, sizeof(err)), -EEXIST);
	assert_string_equal(err, "map already contains mon.a");
	assert_int_equal(monmap_addrvec_parse("v1:10.0.0.1:6789", v, &n), 0);
	assert_int_equal(monmap_add(&m, "b", v, n, err, sizeof(err)), -EEXIST);
	assert_string_equal(err, "map already contains v1:10.0.0.1:6789/0");
	assert_int_equal(monmap_add(&m, "", v, n, err, sizeof(err)), -EINVAL);
	assert_int_equal(monmap_add(&m, "c", v, 0, err, sizeof(err)), -EINVAL);
	assert_int_equal(m.count, 1);
	monmap_release(&m);
}

static void test_addr_parse(void **state)
{
	static const struct {
		const char *in;
		int ok;
		const char *out; /* as --add with the nautilus feature makes it */
	} cases[] = {
		{ "10.0.0.1", 1, "[v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0]" },
		{ "10.0.0.1:6789", 1, "v1:10.0.0.1:6789/0" },
		{ "10.0.0.1:3300", 1, "v2:10.0.0.1:3300/0" },
		{ "10.0.0.1:7000", 1, "v2:10.0.0.1:7000/0" },
		{ "::1", 1, "[v2:[::1]:3300/0,v1:[::1]:6789/0]" },
		{ "[::2]:6789", 1, "v1:[::2]:6789/0" },
		{ "[::3]", 1, "[v2:[::3]:3300/0,v1:[::3]:6789/0]" },
		{ "fe80::1:7000", 1, "[v2:[fe80::1:7000]:3300/0,v1:[fe80::1:7000]:6789/0]" },
		{ "999.0.0.1", 0, NULL },
		{ "foo", 0, NULL },
		{ "10.0.0.3:99999", 0, NULL },
		{ "10.0.0.3:", 0, NULL },
		{ "10.0.0.3:12x", 0, NULL },
		{ "[::1", 0, NULL },
		{ "[::1]x", 0, NULL },
		{ "[]:1", 0, NULL },
		{ "", 0, NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sockaddr_storage sa;
		struct monmap_mon mon = { .name = "x" };
		bool given;
		char buf[256];
		int r = monmap_ip_parse(cases[i].in, &sa, &given);

		if (!cases[i].ok) {
			assert_int_equal(r, -EINVAL);
			continue;
		}
		assert_int_equal(r, 0);
		monmap_addrvec_from_ip(&sa, given, true, mon.addrs, &mon.naddrs);
		assert_int_equal(monmap_addrvec_format(&mon, buf, sizeof(buf)), 0);
		assert_string_equal(buf, cases[i].out);
	}
}

static void test_addrvec_parse(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "[v2:10.0.0.6:3300,v1:10.0.0.6:6789]",
		  "[v2:10.0.0.6:3300/0,v1:10.0.0.6:6789/0]" },
		{ "v1:10.0.0.5:6789", "v1:10.0.0.5:6789/0" },
		{ "10.0.0.4", "v2:10.0.0.4:0/0" }, /* Ceph's reading */
		{ "[v2:[::4]:3300,v1:[::4]:6789]", "[v2:[::4]:3300/0,v1:[::4]:6789/0]" },
		{ "v1:10.0.0.1:6789/7", "v1:10.0.0.1:6789/7" },
		{ "garbage", NULL },
		{ "[v2:10.0.0.1:3300,garbage]", NULL },
		{ "[v2:10.0.0.1:3300,]", NULL },
		{ "[v1:1.1.1.1:1,v1:1.1.1.2:1,v1:1.1.1.3:1,v1:1.1.1.4:1,v1:1.1.1.5:1]", NULL },
		{ "v1:10.0.0.1:6789/x", NULL },
		{ "v1:", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct monmap_mon mon = { .name = "x" };
		char buf[256];
		int r = monmap_addrvec_parse(cases[i].in, mon.addrs, &mon.naddrs);

		if (!cases[i].out) {
			assert_int_equal(r, -EINVAL);
			continue;
		}
		assert_int_equal(r, 0);
		monmap_addrvec_format(&mon, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
	}
}

static void test_uuid_release_feature(void **state)
{
	uint8_t u[16], g[16];
	char text[37];
	uint8_t rel;

	(void)state;
	assert_int_equal(monmap_uuid_parse("11111111-2222-3333-4444-55555555555A", u), 0);
	monmap_uuid_format(u, text);
	assert_string_equal(text, "11111111-2222-3333-4444-55555555555a");
	assert_int_equal(monmap_uuid_parse("notauuid", u), -EINVAL);
	assert_int_equal(monmap_uuid_parse("11111111-2222-3333-4444_555555555555", u), -EINVAL);
	assert_int_equal(monmap_uuid_parse("1111111g-2222-3333-4444-555555555555", u), -EINVAL);
	assert_int_equal(monmap_uuid_generate(g), 0);
	assert_int_equal(g[6] >> 4, 4);

	assert_int_equal(monmap_release_parse("pacific", &rel), 0);
	assert_int_equal(rel, 16);
	assert_int_equal(monmap_release_parse("12", &rel), 0);
	assert_string_equal(monmap_release_name(rel), "luminous");
	assert_int_equal(monmap_release_parse("quincy", &rel), -EINVAL);
	assert_int_equal(monmap_release_parse("17", &rel), -EINVAL);
	assert_int_equal(monmap_release_parse("0", &rel), -EINVAL);
	assert_string_equal(monmap_release_name(0), "unknown");

	assert_int_equal(monmap_feature_parse("nautilus"), MONMAP_FEATURE_NAUTILUS);
	assert_int_equal(monmap_feature_parse("bogus"), 0);
	assert_string_equal(monmap_feature_name(MONMAP_FEATURE_ELECTOR_PINGING),
			    "elector-pinging");
	assert_null(monmap_feature_name(1ULL << 40));
}

static void assert_same_map(const struct monmap *a, const struct monmap *b)
{
	assert_memory_equal(a->fsid, b->fsid, 16);
	assert_int_equal(a->epoch, b->epoch);
	assert_int_equal(a->created.sec, b->created.sec);
	assert_int_equal(a->created.nsec, b->created.nsec);
	assert_int_equal(a->modified.sec, b->modified.sec);
	assert_int_equal(a->min_mon_release, b->min_mon_release);
	assert_int_equal(a->persistent_features, b->persistent_features);
	assert_int_equal(a->optional_features, b->optional_features);
	assert_int_equal(a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		assert_string_equal(a->mons[i].name, b->mons[i].name);
		assert_int_equal(a->mons[i].naddrs, b->mons[i].naddrs);
		for (unsigned j = 0; j < a->mons[i].naddrs; j++)
			assert_int_equal(monmap_addr_cmp(&a->mons[i].addrs[j],
							 &b->mons[i].addrs[j]), 0);
		assert_int_equal(a->mons[i].priority, b->mons[i].priority);
		assert_true(monmap_raft_is_default(&b->mons[i]) ==
			    monmap_raft_is_default(&a->mons[i]));
	}
}

static void build_sample(struct monmap *m)
{
	fixed_map(m);
	add_ip(m, "b", "::1");
	add_vec(m, "c", "v2:10.1.2.3:3300/9");
	m->mons[2].priority = 3;
	/* Raft moved off its default port. */
	((struct sockaddr_in *)&m->mons[2].raft)->sin_port = htons(7001);
}

static void test_round_trip(void **state)
{
	struct monmap m, d;
	struct enc_buf b;
	struct dec_cursor c;
	uint8_t *file;
	size_t len;

	(void)state;
	build_sample(&m);
	enc_buf_init(&b);
	assert_int_equal(monmap_encode(&m, &b), 0);
	dec_init(&c, b.data, b.len);
	assert_int_equal(monmap_decode(&d, &c), 0);
	assert_int_equal(dec_left(&c), 0);
	assert_same_map(&m, &d);
	assert_false(monmap_raft_is_default(&d.mons[2]));
	monmap_release(&d);
	enc_buf_release(&b);

	assert_int_equal(monmap_encode_file(&m, &file, &len), 0);
	assert_int_equal(monmap_decode_file(&d, file, len), 0);
	assert_same_map(&m, &d);
	monmap_release(&d);
	free(file);
	monmap_release(&m);
}

static void test_file_io(void **state)
{
	struct monmap m, d;
	char path[] = "/tmp/test_monmap.XXXXXX";
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	build_sample(&m);
	assert_int_equal(monmap_write_file(&m, path), 0);
	assert_int_equal(monmap_read_file(&d, path), 0);
	assert_same_map(&m, &d);
	monmap_release(&d);
	unlink(path);
	assert_int_equal(monmap_read_file(&d, path), -ENOENT);
	assert_int_equal(monmap_read_file(&d, "/tmp"), -EISDIR);
	monmap_release(&m);
}

/* A newer encoder appends fields to both bodies: we must skip them. */
static void test_newer_version_readable(void **state)
{
	struct enc_buf b;
	struct dec_cursor c;
	struct monmap d;
	size_t outer, inner;

	(void)state;
	enc_buf_init(&b);
	outer = enc_start(&b, 9, 1);
	enc_put_bytes(&b, "0123456789abcdef", 16);
	enc_put_u32(&b, 5);
	for (int i = 0; i < 2; i++) {
		enc_put_s64(&b, 100);
		enc_put_u32(&b, 0);
	}
	enc_put_u8(&b, 16);
	enc_put_u8(&b, 1);
	enc_put_u64(&b, MONMAP_FEATURES_ALL);
	enc_put_u64(&b, 0);
	enc_put_u32(&b, 1);
	inner = enc_start(&b, 7, 1);
	enc_put_string(&b, "a");
	enc_put_u8(&b, 1);
	enc_put_u8(&b, MONMAP_ADDR_V1);
	enc_put_u32(&b, 0);
	enc_put_u8(&b, 4);
	enc_put_u16(&b, 6789);
	enc_put_bytes(&b, "\x7f\0\0\x01", 4);
	enc_put_u8(&b, 4);
	enc_put_u16(&b, 6790);
	enc_put_bytes(&b, "\x7f\0\0\x01", 4);
	enc_put_u16(&b, 0);
	enc_put_u16(&b, 0);
	enc_put_string(&b, "a field from the future");
	enc_finish(&b, inner);
	enc_put_u64(&b, 42); /* another one */
	assert_int_equal(enc_finish(&b, outer), 0);

	dec_init(&c, b.data, b.len);
	assert_int_equal(monmap_decode(&d, &c), 0);
	assert_int_equal(d.epoch, 5);
	assert_int_equal(d.count, 1);
	assert_string_equal(d.mons[0].name, "a");
	assert_true(monmap_raft_is_default(&d.mons[0]));
	monmap_release(&d);

	/* ...but not a compat version beyond ours. */
	b.data[1] = 2;
	dec_init(&c, b.data, b.len);
	assert_int_equal(monmap_decode(&d, &c), -EOPNOTSUPP);
	monmap_release(&d);
	enc_buf_release(&b);
}

static void test_hostile(void **state)
{
	struct monmap m, d;
	uint8_t *file;
	size_t len;
	struct enc_buf b;
	struct dec_cursor c;

	(void)state;
	build_sample(&m);
	assert_int_equal(monmap_encode_file(&m, &file, &len), 0);
	/* Every truncation and every flipped byte is refused cleanly. */
	for (size_t cut = 0; cut < len; cut++) {
		assert_int_not_equal(monmap_decode_file(&d, file, cut), 0);
		monmap_release(&d);
	}
	for (size_t i = 0; i < len; i++) {
		file[i] ^= 0x5a;
		assert_int_not_equal(monmap_decode_file(&d, file, len), 0);
		monmap_release(&d);
		file[i] ^= 0x5a;
	}
	free(file);

	/* The bare body: truncations fail, never crash; a huge count is
	 * refused before anything is allocated. */
	enc_buf_init(&b);
	monmap_encode(&m, &b);
	for (size_t cut = 0; cut < b.len; cut++) {
		dec_init(&c, b.data, cut);
		assert_int_not_equal(monmap_decode(&d, &c), 0);
		monmap_release(&d);
	}
	/* count sits after envelope(6) fsid(16) epoch(4) times(24) u8 u8
	 * features(16). */
	size_t at = 6 + 16 + 4 + 24 + 2 + 16;
	memcpy(b.data + at, "\xff\xff\xff\x7f", 4);
	dec_init(&c, b.data, b.len);
	assert_int_equal(monmap_decode(&d, &c), -EMSGSIZE);
	monmap_release(&d);
	memcpy(b.data + at, "\x00\x04\x00\x00", 4); /* 1024: more than fits */
	dec_init(&c, b.data, b.len);
	assert_int_equal(monmap_decode(&d, &c), -EBADMSG);
	monmap_release(&d);
	enc_buf_release(&b);

	/* Duplicate names. */
	monmap_init(&d);
	strcpy(m.mons[1].name, "a");
	enc_buf_init(&b);
	monmap_encode(&m, &b);
	dec_init(&c, b.data, b.len);
	assert_int_equal(monmap_decode(&d, &c), -EBADMSG);
	monmap_release(&d);
	enc_buf_release(&b);
	monmap_release(&m);
}

static void test_print(void **state)
{
	struct monmap m;
	char *text;

	(void)state;
	fixed_map(&m);
	text = print_to_string(&m);
	assert_string_equal(text,
		"epoch 1\n"
		"fsid 595783c9-7966-4aa3-91c9-7671df7353b1\n"
		"last_changed 2026-11-22T06:09:08.097567+0000\n"
		"created 2026-11-22T06:09:08.097567+0000\n"
		"min_mon_release 16 (pacific)\n"
		"election_strategy: 1\n"
		"0: [v2:127.0.0.1:47311/0,v1:127.0.0.1:47312/0] mon.a\n");
	free(text);
	((struct sockaddr_in *)&m.mons[0].raft)->sin_port = htons(5000);
	text = print_to_string(&m);
	assert_non_null(strstr(text, "mon.a raft 127.0.0.1:5000\n"));
	free(text);
	monmap_release(&m);
}

/* The object of Ceph 16's `ceph mon dump -f json` for the same map, with
 * Loligo's raft_addr added to each monitor. */
static void test_json(void **state)
{
	static const char want[] =
		"{\"epoch\":1,\"fsid\":\"595783c9-7966-4aa3-91c9-7671df7353b1\","
		"\"modified\":\"2026-11-22T06:09:08.097567Z\","
		"\"created\":\"2026-11-22T06:09:08.097567Z\","
		"\"min_mon_release\":16,\"min_mon_release_name\":\"pacific\","
		"\"election_strategy\":1,\"disallowed_leaders: \":\"\","
		"\"stretch_mode\":false,\"tiebreaker_mon\":\"\","
		"\"removed_ranks: \":\"\",\"features\":{\"persistent\":"
		"[\"kraken\",\"luminous\",\"mimic\",\"osdmap-prune\","
		"\"nautilus\",\"octopus\",\"pacific\",\"elector-pinging\"],"
		"\"optional\":[]},\"mons\":[{\"rank\":0,\"name\":\"a\","
		"\"public_addrs\":{\"addrvec\":[{\"type\":\"v2\","
		"\"addr\":\"127.0.0.1:47311\",\"nonce\":0},{\"type\":\"v1\","
		"\"addr\":\"127.0.0.1:47312\",\"nonce\":0}]},"
		"\"addr\":\"127.0.0.1:47312/0\","
		"\"public_addr\":\"127.0.0.1:47312/0\",\"priority\":0,"
		"\"weight\":0,\"crush_location\":\"{}\","
		"\"raft_addr\":\"127.0.0.1:47313\"}],\"quorum\":[0]}";
	struct monmap m;
	int quorum[] = { 0 };
	json_t *j;
	char *s;

	(void)state;
	fixed_map(&m);
	j = monmap_dump_json(&m, quorum, 1);
	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, want);
	free(s);
	json_decref(j);
	monmap_release(&m);
}

static void test_copy(void **state)
{
	struct monmap m, d;

	(void)state;
	build_sample(&m);
	assert_int_equal(monmap_copy(&d, &m), 0);
	assert_same_map(&m, &d);
	assert_ptr_not_equal(d.mons, m.mons);
	monmap_release(&d);
	monmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_by_address),
		cmocka_unit_test(test_rank_nautilus_appends),
		cmocka_unit_test(test_add_conflicts),
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_addrvec_parse),
		cmocka_unit_test(test_uuid_release_feature),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_file_io),
		cmocka_unit_test(test_newer_version_readable),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
