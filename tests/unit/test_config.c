/*
 * Configuration: ceph.conf syntax and section precedence, key spellings,
 * metavariables, typed values, command-line and environment layers, and
 * mon_host address lists.  Expected values come from running Ceph 16.2's
 * ceph-conf on the same files (see docs/config.md for where we differ).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/addr.h"
#include "common/config.h"

/* --- helpers ----------------------------------------------------------- */

struct warnings {
	int count;
	char last[512];
	char all[4096];
};

static void capture_warn(void *arg, const char *msg)
{
	struct warnings *w = arg;
	w->count++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
	size_t n = strlen(w->all);
	snprintf(w->all + n, sizeof(w->all) - n, "%s\n", msg);
}

static struct conf *make(const char *name, struct warnings *w)
{
	struct conf *c;
	assert_int_equal(conf_create(name, &c), 0);
	conf_set_warn(c, capture_warn, w);
	return c;
}

static struct conf *load(const char *name, const char *text,
			 struct warnings *w)
{
	char err[256] = "";
	struct conf *c = make(name, w);
	int rc = conf_parse_buffer(c, text, strlen(text), "test.conf", err,
				   sizeof(err));
	if (rc != 0)
		fail_msg("parse failed: %s", err);
	return c;
}

static void expect(struct conf *c, const char *key, const char *want)
{
	char buf[1024];
	int rc = conf_get(c, key, buf, sizeof(buf));
	if (rc != 0)
		fail_msg("conf_get(%s) = %d", key, rc);
	if (strcmp(buf, want) != 0)
		fail_msg("%s: got '%s', want '%s'", key, buf, want);
}

static int parse_fails(const char *text, char *err, size_t errlen)
{
	struct warnings w = { 0 };
	struct conf *c = make("osd.1", &w);
	int rc = conf_parse_buffer(c, text, strlen(text), "bad.conf", err,
				   errlen);
	conf_destroy(c);
	return rc;
}

static char *write_tmp(const char *dir, const char *base, const char *text)
{
	char *path = malloc(512);
	snprintf(path, 512, "%s/%s", dir, base);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static char tmpdir[256];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/loligo_test_config.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The seed's ceph.conf shape. */
static const char seed_conf[] =
	"[global]\n"
	"  auth supported = cephx\n"
	"  keyring = /etc/ceph/$name.keyring\n"
	"  osd pool default size = 2\n"
	"  mon host = mon1.example.com, 10.0.0.2:6789\n"
	"\n"
	"[mon]\n"
	"  mon data = /data/$name\n"
	"[mon.a]\n"
	"  host = alpha\n"
	"  mon addr = 10.0.0.1:6789\n"
	"\n"
	"[osd]\n"
	"  osd data = /data/$name\n"
	"  osd journal = /data/$name/journal\n"
	"  filestore xattr use omap = true ; for ext3/4 filesystem\n"
	"[osd.3]\n"
	"  host = daisy\n"
	"  osd journal = /dev/sdb1 # raw partition\n"
	"[client.radosgw.rgw1]\n"
	"  rgw zone = z1\n"
	"  host = gw\n";

/* --- sections and syntax ----------------------------------------------- */

static void test_section_precedence(void **state)
{
	struct warnings w = { 0 };
	(void)state;
	struct conf *c = load("osd.3", seed_conf, &w);
	expect(c, "osd journal", "/dev/sdb1");
	expect(c, "osd_data", "/data/osd.3");
	expect(c, "host", "daisy");
	expect(c, "osd_pool_default_size", "2");
	expect(c, "filestore_xattr_use_omap", "true");
	expect(c, "keyring", "/etc/ceph/osd.3.keyring");
	assert_int_equal(conf_set_name(c, "osd.4"), 0);
	expect(c, "osd journal", "/data/osd.4/journal");
	expect(c, "host", "");
	assert_int_equal(conf_set_name(c, "mon.a"), 0);
	expect(c, "mon_addr", "10.0.0.1:6789");
	expect(c, "mon data", "/data/mon.a");
	expect(c, "host", "alpha");
	assert_int_equal(conf_set_name(c, "client.radosgw.rgw1"), 0);
	expect(c, "rgw_zone", "z1");
	conf_destroy(c);
}

static void test_key_spellings(void **state)
{
	struct warnings w = { 0 };
	(void)state;
	struct conf *c = load("mon.a",
		"[global]\nmon addr = 1.2.3.4\n"
		"mon-osd-down-out-interval = 7\n"
		"  osd  heartbeat\tgrace   = 30   \n", &w);
	expect(c, "mon_addr", "1.2.3.4");
	expect(c, "mon-addr", "1.2.3.4");
	expect(c, "mon addr", "1.2.3.4");
	expect(c, "  mon   addr ", "1.2.3.4");
	expect(c, "mon_osd_down_out_interval", "7");
	expect(c, "osd_heartbeat_grace", "30");
	/* keys are case-sensitive, as in Ceph */
	char buf[16];
	assert_int_equal(conf_get(c, "MON_ADDR", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(w.count, 0);
	conf_destroy(c);

	char norm[32];
	assert_int_equal(conf_normalize_key(" a b\t-c ", norm, sizeof(norm)), 0);
	assert_string_equal(norm, "a_b__c");
	assert_int_equal(conf_normalize_key("   ", norm, sizeof(norm)), -EINVAL);
	assert_int_equal(conf_normalize_key("abcdef", norm, 4), -ENAMETOOLONG);
}

static void test_values_syntax(void **state)
{
	struct warnings w = { 0 };
	(void)state;
	/* each expectation checked against ceph-conf --lookup */
	struct conf *c = load("osd.1",
		"; leading comment\n"
		"# another\n"
		"[global] # header comment\n"
		"a = x # trailing\n"
		"b = y;z\n"
		"c = \"quoted value\" # comment\n"
		"d = 'single'\n"
		"e = \"esc \\\" quote\"\n"
		"f = a\\#b\n"
		"g = a\\\\b\n"
		"h = one \\\ntwo\n"
		"i = a\\\n  b\n"
		"j =\n"
		"k = 1 2  3\n"
		"l = first\n"
		"l = second\n"
		"m = a \"b\" c\r\n"
		"[global]\n"
		"n = merged\n", &w);
	expect(c, "a", "x");
	expect(c, "b", "y");
	expect(c, "c", "quoted value");
	expect(c, "d", "single");
	expect(c, "e", "esc \" quote");
	expect(c, "f", "a#b");
	expect(c, "g", "a\\b");
	expect(c, "h", "one two");
	expect(c, "i", "a  b");
	expect(c, "j", "");
	expect(c, "k", "1 2  3");
	expect(c, "l", "second");
	expect(c, "m", "a \"b\" c");
	expect(c, "n", "merged");
	conf_destroy(c);
}

static void test_parse_errors(void **state)
{
	char err[256];
	(void)state;
	assert_int_equal(parse_fails("a = 1\n[global]\n", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "bad.conf:1: 'a' is outside any [section]");
	assert_int_equal(parse_fails("[global]\n\nfoo\n", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "bad.conf:3: expected 'key = value'"));
	assert_int_equal(parse_fails("[global]\nx = \"open\n", err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "bad.conf:2: x: unterminated \"quoted\" value");
	assert_int_equal(parse_fails("[global]\nx = \"a\" b\n", err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(parse_fails("[global\n", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad.conf:1: missing ']' in section header");
	assert_int_equal(parse_fails("[]\n", err, sizeof(err)), -EINVAL);
	assert_int_equal(parse_fails("[a] b\n", err, sizeof(err)), -EINVAL);
	assert_int_equal(parse_fails("[global]\n = 3\n", err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(parse_fails("[global]\n\n\nosd pool default size = abc\n",
				     err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad.conf:4: osd_pool_default_size: "
				 "invalid integer 'abc'");
	assert_int_equal(parse_fails("[osd.9]\nmon allow pool delete = maybe\n",
				     err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad.conf:2: mon_allow_pool_delete: "
				    "invalid boolean 'maybe'"));
	assert_int_equal(parse_fails("[global]\nosd max object size = 1kb\n",
				     err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "osd_max_object_size: invalid size '1kb'"));
	assert_int_equal(parse_fails("[global]\nmon host = [::1\n", err,
				     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "bad.conf:2: mon_host: invalid address"));
	assert_int_equal(parse_fails("[global]\ndebug ms = 1/x\n", err,
				     sizeof(err)), -EINVAL);
	assert_int_equal(parse_fails("[global]\npublic addr = 1.2.3.4:99999\n",
				     err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "public_addr: invalid address"));

	/* an embedded NUL (from a file) is rejected */
	struct warnings w = { 0 };
	struct conf *c = make("osd.1", &w);
	static const char nul[] = "[global]\na = 1\0\n";
	assert_int_equal(conf_parse_buffer(c, nul, sizeof(nul) - 1, "n.conf",
					   err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "n.conf:2: NUL byte in file");
	conf_destroy(c);
}

static void test_failed_parse_keeps_old(void **state)
{
	struct warnings w = { 0 };
	char err[256];
	(void)state;
	struct conf *c = load("osd.1", "[global]\nfsid = one\n", &w);
	static const char bad[] = "[global]\nfsid = two\nbroken\n";
	assert_int_equal(conf_parse_buffer(c, bad, strlen(bad), "b", err,
					   sizeof(err)), -EINVAL);
	expect(c, "fsid", "one");
	conf_destroy(c);
}

static void test_unknown_warned_once(void **state)
{
	struct warnings w = { 0 };
	(void)state;
	struct conf *c = load("osd.1",
		"[global]\nfoo bar = 1\n[osd]\nfoo-bar = 2\nzap = 3\n", &w);
	assert_int_equal(w.count, 2);
	assert_non_null(strstr(w.all, "test.conf:2: unknown option 'foo_bar'"));
	assert_non_null(strstr(w.all, "test.conf:5: unknown option 'zap'"));
	expect(c, "foo_bar", "2");
	char err[128];
	assert_int_equal(conf_set(c, "zap", "4", err, sizeof(err)), 0);
	assert_int_equal(conf_set(c, "zip", "5", err, sizeof(err)), 0);
	assert_int_equal(w.count, 3);
	assert_non_null(strstr(w.last, "conf_set: unknown option 'zip'"));
	expect(c, "zap", "4");
	conf_destroy(c);
}

/* --- metavariables ---------------------------------------------------- */

static void test_metavariables(void **state)
{
	struct warnings w = { 0 };
	char host[256];
	(void)state;
	struct conf *c = load("client.admin",
		"[global]\n"
		"x = $cluster $type $id $name ${cluster} $nothere $$ $ end$ ${}\n"
		"y = $x\n"
		"log file = /var/log/$cluster/$name.log\n"
		"keyring = $osd_data/keyring\n"
		"h = $host\n"
		"mon data = $mon_data/loop\n"
		"[osd]\n"
		"osd data = /d/$id\n", &w);
	expect(c, "x", "ceph client admin client.admin ceph $nothere $$ $ end$ ${}");
	expect(c, "y", "$x"); /* unknown options do not expand, as in Ceph */
	expect(c, "log_file", "/var/log/ceph/client.admin.log");
	expect(c, "keyring", "/var/lib/ceph/osd/ceph-admin/keyring");
	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	if (strchr(host, '.'))
		*strchr(host, '.') = '\0';
	expect(c, "h", host);
	/* a self-reference stops at the depth bound instead of looping */
	char *v;
	assert_int_equal(conf_get_alloc(c, "mon_data", &v), 0);
	assert_non_null(strstr(v, "$mon_data/loop"));
	free(v);
	assert_int_equal(conf_set_name(c, "osd.12"), 0);
	assert_int_equal(conf_set_cluster(c, "prod"), 0);
	expect(c, "keyring", "/d/12/keyring");
	expect(c, "log file", "/var/log/prod/osd.12.log");
	char err[128];
	assert_int_equal(conf_set(c, "host", "myhost", err, sizeof(err)), 0);
	expect(c, "h", "myhost");
	conf_destroy(c);
}

static void test_defaults(void **state)
{
	struct warnings w = { 0 };
	(void)state;
	struct conf *c = make("osd.3", &w);
	/* as ceph-conf -n osd.3 --show-config prints them (cluster ceph) */
	expect(c, "mon_data", "/var/lib/ceph/mon/ceph-3");
	expect(c, "osd_data", "/var/lib/ceph/osd/ceph-3");
	expect(c, "admin_socket", "/var/run/ceph/ceph-osd.3.asok");
	expect(c, "log_file", "/var/log/ceph/ceph-osd.3.log");
	expect(c, "keyring", "/etc/ceph/ceph.osd.3.keyring,/etc/ceph/ceph.keyring,"
			     "/etc/ceph/keyring,/etc/ceph/keyring.bin,");
	expect(c, "osd_pool_default_size", "3");
	expect(c, "osd_pool_default_min_size", "0");
	expect(c, "osd_pool_default_pg_num", "32");
	expect(c, "osd_pool_default_crush_rule", "-1");
	expect(c, "mon_allow_pool_delete", "false");
	expect(c, "osd_max_object_size", "134217728");
	expect(c, "name", "osd.3");
	expect(c, "cluster", "ceph");
	expect(c, "fsid", "00000000-0000-0000-0000-000000000000");

	char b[8];
	assert_int_equal(conf_get(c, "no_such_option", b, sizeof(b)), -ENOENT);
	assert_int_equal(conf_get(c, "osd_data", b, sizeof(b)), -ENAMETOOLONG);
	char exact[sizeof("osd.3")];
	assert_int_equal(conf_get(c, "name", exact, sizeof(exact)), 0);
	assert_int_equal(conf_get(c, "name", exact, sizeof(exact) - 1),
			 -ENAMETOOLONG);

	enum conf_level lv;
	assert_int_equal(conf_get_level(c, "osd_data", &lv), 0);
	assert_int_equal(lv, CONF_LEVEL_DEFAULT);
	char err[128];
	assert_int_equal(conf_set_default(c, "keyring", "$osd_data/keyring", err,
					  sizeof(err)), 0);
	expect(c, "keyring", "/var/lib/ceph/osd/ceph-3/keyring");
	assert_int_equal(conf_get_level(c, "keyring", &lv), 0);
	assert_int_equal(lv, CONF_LEVEL_DAEMON_DEFAULT);
	conf_destroy(c);
}

static void test_option_table(void **state)
{
	size_t n;
	char err[256];
	(void)state;
	const struct conf_option *t = conf_options(&n);
	assert_true(n > 50);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(t[i - 1].name, t[i].name) >= 0)
			fail_msg("table not sorted at %s", t[i].name);
		if (!strchr(t[i].default_value, '$') &&
		    conf_validate(&t[i], t[i].default_value, err, sizeof(err)))
			fail_msg("bad default: %s", err);
		assert_ptr_equal(conf_option_find(t[i].name), &t[i]);
		assert_non_null(t[i].description);
	}
	assert_non_null(conf_option_find("osd pool default size"));
	assert_non_null(conf_option_find("osd-pool-default-size"));
	assert_null(conf_option_find("osd_pool_default_sizes"));
	assert_true(conf_option_find("filestore_xattr_use_omap")->flags &
		    CONF_OPT_NO_EFFECT);
	assert_string_equal(conf_type_name(CONF_TYPE_SIZE), "size");
}

/* --- typed values ------------------------------------------------------ */

static void test_typed(void **state)
{
	struct warnings w = { 0 };
	char err[256];
	(void)state;
	struct conf *c = make("osd.0", &w);
	uint64_t u;
	int64_t i;
	bool b;
	double f;

	static const struct {
		const char *text;
		uint64_t bytes;
	} sizes[] = {
		{ "1K", 1024 }, { "1KB", 1024 }, { "1Ki", 1024 },
		{ "1M", 1048576 }, { "1Mi", 1048576 }, { "1G", 1073741824 },
		{ "1Gi", 1073741824 }, { "1T", 1099511627776ull }, { "1B", 1 },
		{ "100", 100 }, { "128M", 134217728 },
		{ "1E", 1152921504606846976ull },
	};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		assert_int_equal(conf_set(c, "osd_max_object_size", sizes[k].text,
					  err, sizeof(err)), 0);
		assert_int_equal(conf_get_size(c, "osd_max_object_size", &u), 0);
		assert_true(u == sizes[k].bytes);
		assert_int_equal(conf_get_uint(c, "osd max object size", &u), 0);
		assert_true(u == sizes[k].bytes);
	}
	/* rejected by Ceph 16.2 too */
	static const char *bad_sizes[] = { "1k", "1KiB", "1.5M", "-1", "0x10",
					   "1kb", "5 M", "", "99999999999999999999",
					   "16E" };
	for (size_t k = 0; k < sizeof(bad_sizes) / sizeof(bad_sizes[0]); k++)
		assert_int_equal(conf_set(c, "osd_max_object_size", bad_sizes[k],
					  err, sizeof(err)), -EINVAL);

	static const char *trues[] = { "true", "TRUE", "yes", "on", "1", "2" };
	static const char *falses[] = { "false", "no", "off", "0", "Off" };
	for (size_t k = 0; k < 6; k++) {
		assert_int_equal(conf_set(c, "mon_allow_pool_delete", trues[k],
					  err, sizeof(err)), 0);
		assert_int_equal(conf_get_bool(c, "mon_allow_pool_delete", &b), 0);
		assert_true(b);
		assert_int_equal(conf_get_int(c, "mon_allow_pool_delete", &i), 0);
		assert_int_equal(i, 1);
	}
	for (size_t k = 0; k < 5; k++) {
		assert_int_equal(conf_set(c, "mon_allow_pool_delete", falses[k],
					  err, sizeof(err)), 0);
		assert_int_equal(conf_get_bool(c, "mon_allow_pool_delete", &b), 0);
		assert_false(b);
	}
	assert_int_equal(conf_set(c, "mon_allow_pool_delete", "y", err,
				  sizeof(err)), -EINVAL);

	/* ints: decimal (010 is ten), SI suffixes in powers of 1000 */
	assert_int_equal(conf_set(c, "osd_pool_default_crush_rule", "-5", err,
				  sizeof(err)), 0);
	assert_int_equal(conf_get_int(c, "osd_pool_default_crush_rule", &i), 0);
	assert_int_equal(i, -5);
	assert_int_equal(conf_get_uint(c, "osd_pool_default_crush_rule", &u),
			 -ERANGE);
	assert_int_equal(conf_set(c, "osd_pool_default_pg_num", "010", err,
				  sizeof(err)), 0);
	assert_int_equal(conf_get_uint(c, "osd_pool_default_pg_num", &u), 0);
	assert_int_equal(u, 10);
	assert_int_equal(conf_set(c, "osd_pool_default_pg_num", "5K", err,
				  sizeof(err)), 0);
	assert_int_equal(conf_get_int(c, "osd_pool_default_pg_num", &i), 0);
	assert_int_equal(i, 5000);
	assert_int_equal(conf_set(c, "osd_pool_default_pg_num", "-5", err,
				  sizeof(err)), -EINVAL);
	assert_string_equal(err, "conf_set: osd_pool_default_pg_num: invalid "
				 "integer '-5' (must not be negative)");
	assert_int_equal(conf_set(c, "osd_pool_default_crush_rule", "1.5", err,
				  sizeof(err)), -EINVAL);
	assert_int_equal(conf_set(c, "osd_pool_default_crush_rule",
				  "99999999999999999999", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "out of range"));

	/* durations */
	static const struct {
		const char *text;
		uint64_t secs;
	} durs[] = { { "30", 30 }, { "30s", 30 }, { "5m", 300 },
		     { "1h", 3600 }, { "10 min", 600 }, { "2d", 172800 },
		     { "1w", 604800 }, { "1h 30m", 5400 } };
	for (size_t k = 0; k < sizeof(durs) / sizeof(durs[0]); k++) {
		assert_int_equal(conf_set(c, "mon_osd_down_out_interval",
					  durs[k].text, err, sizeof(err)), 0);
		assert_int_equal(conf_get_secs(c, "mon_osd_down_out_interval",
					       &u), 0);
		assert_true(u == durs[k].secs);
		assert_int_equal(conf_get_int(c, "mon_osd_down_out_interval",
					      &i), 0);
		assert_true((uint64_t)i == durs[k].secs);
	}
	assert_int_equal(conf_set(c, "osd_heartbeat_grace", "1.5", err,
				  sizeof(err)), -EINVAL);
	assert_int_equal(conf_set(c, "osd_heartbeat_grace", "5 parsecs", err,
				  sizeof(err)), -EINVAL);

	/* floats */
	assert_int_equal(conf_set(c, "mon_osd_full_ratio", ".97", err,
				  sizeof(err)), 0);
	assert_int_equal(conf_get_float(c, "mon_osd_full_ratio", &f), 0);
	assert_true(f > 0.969 && f < 0.971);
	assert_int_equal(conf_set(c, "mon_osd_full_ratio", "nan", err,
				  sizeof(err)), -EINVAL);
	assert_int_equal(conf_set(c, "mon_osd_full_ratio", "1e999", err,
				  sizeof(err)), -EINVAL);

	/* unknown options convert by the requested type */
	assert_int_equal(conf_set(c, "my_number", "42", err, sizeof(err)), 0);
	assert_int_equal(conf_get_int(c, "my_number", &i), 0);
	assert_int_equal(i, 42);
	assert_int_equal(conf_get_bool(c, "fsid", &b), -EINVAL);
	assert_int_equal(conf_get_int(c, "nothing_here", &i), -ENOENT);

	/* a $reference is validated when read */
	assert_int_equal(conf_set(c, "osd_pool_default_pgp_num",
				  "$osd_pool_default_pg_num", err, sizeof(err)), 0);
	assert_int_equal(conf_set(c, "osd_pool_default_pg_num", "64", err,
				  sizeof(err)), 0);
	assert_int_equal(conf_get_uint(c, "osd_pool_default_pgp_num", &u), 0);
	assert_int_equal(u, 64);
	assert_int_equal(conf_set(c, "osd_pool_default_pgp_num", "$fsid", err,
				  sizeof(err)), 0);
	assert_int_equal(conf_get_uint(c, "osd_pool_default_pgp_num", &u),
			 -EINVAL);

	/* log levels and addresses */
	assert_int_equal(conf_set(c, "debug_ms", "1/5", err, sizeof(err)), 0);
	assert_int_equal(conf_set(c, "debug_ms", "20", err, sizeof(err)), 0);
	assert_int_equal(conf_set(c, "debug_ms", "high", err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(conf_set(c, "public_addr", "[::1]:6800", err,
				  sizeof(err)), 0);
	assert_int_equal(conf_set(c, "public_addr", "-", err, sizeof(err)), 0);
	assert_int_equal(conf_set(c, "public_addr", "1.2.3.4 5.6.7.8", err,
				  sizeof(err)), -EINVAL);
	conf_destroy(c);
}

/* --- arguments and environment ----------------------------------------- */

static void test_argv(void **state)
{
	struct warnings w = { 0 };
	char err[256];
	(void)state;
	struct conf *c = make("client.admin", &w);
	char *argv[] = { "prog", "-f", "--osd-pool-default-size", "5",
			 "--osd_pool_default_min_size=2", "-m", "10.0.0.1",
			 "pos1", "--keyring", "/k", "--key", "AQB==",
			 "--mon-allow-pool-delete", "-d", "--no-such-option",
			 "x", "-i", "bob", "--debug-ms", "1/1",
			 "--mon_osd_auto_mark_in", "false", "--", "--id", "z",
			 NULL };
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1;
	assert_int_equal(conf_parse_argv(c, &argc, argv, err, sizeof(err)), 0);
	assert_int_equal(argc, 9);
	const char *left[] = { "prog", "-f", "pos1", "-d", "--no-such-option",
			       "x", "--", "--id", "z" };
	for (int k = 0; k < argc; k++)
		assert_string_equal(argv[k], left[k]);
	assert_null(argv[argc]);
	expect(c, "osd_pool_default_size", "5");
	expect(c, "osd_pool_default_min_size", "2");
	expect(c, "mon_host", "10.0.0.1");
	expect(c, "keyring", "/k");
	expect(c, "key", "AQB==");
	expect(c, "mon_allow_pool_delete", "true");
	expect(c, "mon_osd_auto_mark_in", "false");
	expect(c, "debug_ms", "1/1");
	expect(c, "name", "client.bob");
	enum conf_level lv;
	assert_int_equal(conf_get_level(c, "key", &lv), 0);
	assert_int_equal(lv, CONF_LEVEL_ARGV);

	char *a2[] = { "prog", "--name=osd.7", "--cluster", "blue", "-k",
		       "/kr", NULL };
	argc = 6;
	assert_int_equal(conf_parse_argv(c, &argc, a2, err, sizeof(err)), 0);
	assert_int_equal(argc, 1);
	expect(c, "name", "osd.7");
	expect(c, "cluster", "blue");
	expect(c, "osd_data", "/var/lib/ceph/osd/blue-7");
	expect(c, "keyring", "/kr");

	/* errors name the option */
	char *a3[] = { "prog", "--osd-pool-default-size", "abc", NULL };
	argc = 3;
	assert_int_equal(conf_parse_argv(c, &argc, a3, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "osd_pool_default_size: invalid integer 'abc'");
	char *a4[] = { "prog", "-c", NULL };
	argc = 2;
	assert_int_equal(conf_parse_argv(c, &argc, a4, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "-c: option requires an argument");
	char *a5[] = { "prog", "-n", "nodot", NULL };
	argc = 3;
	assert_int_equal(conf_parse_argv(c, &argc, a5, err, sizeof(err)),
			 -EINVAL);
	char *a6[] = { "prog", "-m", "[v2:1.2.3.4", NULL };
	argc = 3;
	assert_int_equal(conf_parse_argv(c, &argc, a6, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "-m: mon_host: invalid address list"));
	conf_destroy(c);
}

static void test_precedence_and_files(void **state)
{
	struct warnings w = { 0 };
	char err[256];
	(void)state;
	char *path = write_tmp(tmpdir, "blue.conf",
		"[global]\nosd pool default size = 4\n"
		"osd pool default pg num = 16\n"
		"osd pool default pgp num = 16\n"
		"osd pool default min size = 1\n"
		"[client]\nmon host = 127.0.0.1:7000\n");
	struct conf *c = make(NULL, &w);
	setenv("LOLIGO_TEST_ARGS", "  --osd-pool-default-pg-num 20 -c "
				   " --osd_pool_default_pgp_num=21 -f  ", 1);
	/* "-c --osd_..." takes the option text as its file: checked below */
	assert_int_equal(conf_parse_env(c, "LOLIGO_TEST_ARGS", err, sizeof(err)),
			 0);
	assert_non_null(strstr(w.last, "LOLIGO_TEST_ARGS: ignoring '-f'"));
	setenv("LOLIGO_TEST_ARGS", "--osd-pool-default-pg-num 20 "
				   "--osd-pool-default-pgp-num 21", 1);
	assert_int_equal(conf_parse_env(c, "LOLIGO_TEST_ARGS", err, sizeof(err)),
			 0);
	unsetenv("LOLIGO_TEST_ARGS");
	char *argv[] = { "prog", "-c", path, "--osd-pool-default-pgp-num", "22",
			 NULL };
	int argc = 5;
	assert_int_equal(conf_parse_argv(c, &argc, argv, err, sizeof(err)), 0);
	assert_int_equal(conf_read_file(c, NULL, err, sizeof(err)), 0);
	assert_int_equal(conf_set(c, "osd_pool_default_min_size", "2", err,
				  sizeof(err)), 0);
	expect(c, "osd_pool_default_size", "4");      /* file */
	expect(c, "osd_pool_default_pg_num", "20");   /* env over file */
	expect(c, "osd_pool_default_pgp_num", "22");  /* argv over env */
	expect(c, "osd_pool_default_min_size", "2");  /* set over all */
	expect(c, "osd_pool_default_crush_rule", "-1"); /* default */
	expect(c, "mon_host", "127.0.0.1:7000");      /* [client] */
	expect(c, "cluster", "blue");                 /* from blue.conf */
	char v[64];
	assert_int_equal(conf_lookup_file(c, "osd_pool_default_pgp_num", v,
					  sizeof(v)), 0);
	assert_string_equal(v, "16");
	assert_int_equal(conf_lookup_file(c, "osd_pool_default_crush_rule", v,
					  sizeof(v)), -ENOENT);
	conf_destroy(c);

	/* CEPH_CONF and the default search list; --cluster wins over names */
	c = make(NULL, &w);
	setenv("CEPH_CONF", path, 1);
	assert_int_equal(conf_set_cluster(c, "red"), 0);
	assert_int_equal(conf_read_file(c, NULL, err, sizeof(err)), 0);
	expect(c, "osd_pool_default_size", "4");
	expect(c, "cluster", "red");
	unsetenv("CEPH_CONF");
	char list[600];
	snprintf(list, sizeof(list), "%s/none.conf, %s/$cluster.conf", tmpdir,
		 tmpdir);
	assert_int_equal(conf_set_cluster(c, "blue"), 0);
	assert_int_equal(conf_read_file(c, list, err, sizeof(err)), 0);
	snprintf(list, sizeof(list), "%s/none.conf %s/nope.conf", tmpdir, tmpdir);
	assert_int_equal(conf_read_file(c, list, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no config file found"));
	conf_destroy(c);

	char *bad = write_tmp(tmpdir, "bad.conf", "[global]\n\nmon host = :\n");
	c = make(NULL, &w);
	assert_int_equal(conf_read_file(c, bad, err, sizeof(err)), -EINVAL);
	char want[600];
	snprintf(want, sizeof(want), "%s:3: mon_host: invalid", bad);
	assert_non_null(strstr(err, want));
	conf_destroy(c);
	free(bad);
	free(path);
}

/* --- addresses --------------------------------------------------------- */

static void check_entries(const char *text, size_t n, const char *hosts[],
			  const unsigned ports[])
{
	struct addr_entry *v;
	size_t count;
	char err[256];
	int rc = addr_list_parse(text, 6789, &v, &count, err, sizeof(err));
	if (rc != 0)
		fail_msg("'%s': %s", text, err);
	assert_int_equal(count, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].host, hosts[i]);
		assert_int_equal(v[i].port, ports[i]);
	}
	free(v);
}

static void test_addr_parse(void **state)
{
	(void)state;
	check_entries("1.2.3.4", 1, (const char *[]){ "1.2.3.4" },
		      (unsigned[]){ 6789 });
	check_entries("1.2.3.4:6790, mon2.example.com;10.0.0.3:1 \t[::1]:7000",
		      4, (const char *[]){ "1.2.3.4", "mon2.example.com",
					   "10.0.0.3", "::1" },
		      (unsigned[]){ 6790, 6789, 1, 7000 });
	check_entries("[v2:10.0.0.1:3300,v1:10.0.0.1:6789] "
		      "[v2:10.0.0.2:3300/0,v1:10.0.0.2:6789/0],"
		      "[v2:10.0.0.3:3300] v1:10.0.0.4:6790 v2:10.0.0.5",
		      5, (const char *[]){ "10.0.0.1", "10.0.0.2", "10.0.0.3",
					   "10.0.0.4", "10.0.0.5" },
		      (unsigned[]){ 6789, 6789, 3300, 6790, 6789 });
	check_entries("::1 fe80::1 [::ffff:1.2.3.4] [v2:[::1]:3300,v1:[::1]:6789]",
		      4, (const char *[]){ "::1", "fe80::1", "::ffff:1.2.3.4",
					   "::1" },
		      (unsigned[]){ 6789, 6789, 6789, 6789 });
	check_entries("localhost:6800", 1, (const char *[]){ "localhost" },
		      (unsigned[]){ 6800 });

	static const char *bad[] = {
		"", " , ;", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x", "host:",
		"[::1", "[::1]x", "[::g]", "[v2:1.2.3.4:3300", "[v3:1.2.3.4]",
		"[v2:1.2.3.4:3300,]", "ho$t", "-host", "1::2::3", "[]",
		"[v2:]", "v1:", "a:b:c:d",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct addr_entry *v;
		size_t n;
		char err[256] = "";
		if (addr_list_parse(bad[i], 6789, &v, &n, err, sizeof(err)) !=
		    -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
		assert_true(err[0] != '\0');
	}
	struct addr_entry one;
	char err[256];
	assert_int_equal(addr_parse_one("10.1.1.1:7", 6789, &one, err,
					sizeof(err)), 0);
	assert_int_equal(one.port, 7);
	assert_true(one.numeric && one.port_given);
	assert_int_equal(addr_parse_one("a b", 6789, &one, err, sizeof(err)),
			 -EINVAL);
}

static void test_addr_resolve(void **state)
{
	struct sockaddr_storage *v;
	size_t n;
	char err[256], buf[64];
	(void)state;

	assert_int_equal(addr_resolve_text("127.0.0.1:7000 [::1] 127.0.0.1:7000",
					   6789, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2); /* the duplicate dropped */
	assert_int_equal(addr_format((struct sockaddr *)&v[0], buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "127.0.0.1:7000");
	assert_int_equal(addr_format((struct sockaddr *)&v[1], buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "[::1]:6789");
	assert_int_equal(addr_format((struct sockaddr *)&v[1], buf, 5),
			 -ENAMETOOLONG);
	free(v);

	/* localhost: every address /etc/hosts gives, each with the port */
	assert_int_equal(addr_resolve_text("localhost", 6789, &v, &n, err,
					   sizeof(err)), 0);
	assert_true(n >= 1);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(addr_format((struct sockaddr *)&v[i], buf,
					     sizeof(buf)), 0);
		assert_true(strcmp(buf, "127.0.0.1:6789") == 0 ||
			    strcmp(buf, "[::1]:6789") == 0);
	}
	free(v);

	/* an unresolvable name is skipped when others resolve */
	assert_int_equal(addr_resolve_text("no-such-host.invalid 127.0.0.1",
					   6789, &v, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	free(v);
	assert_int_equal(addr_resolve_text("no-such-host.invalid", 6789, &v, &n,
					   err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no-such-host.invalid"));
	assert_null(v);
}

static void test_conf_get_addrs(void **state)
{
	struct warnings w = { 0 };
	struct addr_entry *v;
	size_t n;
	char err[256];
	(void)state;
	struct conf *c = load("client.admin",
		"[global]\n"
		"[mon.a]\n mon addr = 10.0.0.1:6789\n"
		"[mon.b]\n mon_addr = [v2:10.0.0.2:3300,v1:10.0.0.2:6790]\n"
		"[mon]\n mon addr = 9.9.9.9\n", &w);
	assert_int_equal(conf_get_addrs(c, "mon_host", 6789, &v, &n, err,
					sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].host, "10.0.0.1");
	assert_int_equal(v[1].port, 6790);
	free(v);
	assert_int_equal(conf_set(c, "mon_host", "a.example,b.example:1", err,
				  sizeof(err)), 0);
	assert_int_equal(conf_get_addrs(c, "mon host", 6789, &v, &n, err,
					sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].host, "b.example");
	free(v);
	assert_int_equal(conf_get_addrs(c, "public_network", 6789, &v, &n, err,
					sizeof(err)), -ENOENT);
	conf_destroy(c);
}

/* --- enumeration and threads -------------------------------------------- */

struct dump {
	int total, unknown;
	int saw_name, saw_size;
};

static int dump_visit(void *arg, const char *key, const char *value,
		      const struct conf_option *opt, enum conf_level level)
{
	struct dump *d = arg;
	d->total++;
	if (!opt && strcmp(key, "name") && strcmp(key, "cluster")) {
		d->unknown++;
		assert_string_equal(key, "custom_key");
		assert_string_equal(value, "v-osd.3");
		assert_int_equal(level, CONF_LEVEL_FILE);
	}
	if (strcmp(key, "name") == 0)
		d->saw_name = d->total;
	if (strcmp(key, "osd_pool_default_size") == 0) {
		assert_string_equal(value, "2");
		d->saw_size = 1;
	}
	return 0;
}

static int count_sections(void *arg, const char *name)
{
	(*(int *)arg)++;
	return strcmp(name, "osd.3") == 0 ? 7 : 0;
}

static void test_foreach(void **state)
{
	struct warnings w = { 0 };
	struct dump d = { 0 };
	size_t n;
	(void)state;
	struct conf *c = load("osd.3", seed_conf, &w);
	static const char text[] = "[global]\nosd pool default size = 2\n"
				   "[osd]\ncustom key = v-$name\n"
				   "[osd.4]\nother = 1\n[osd.3]\n";
	assert_int_equal(conf_parse_buffer(c, text, strlen(text), "x", NULL, 0),
			 0);
	assert_int_equal(conf_foreach(c, dump_visit, &d), 0);
	conf_options(&n);
	assert_int_equal(d.total, (int)n + 2 + 1);
	assert_int_equal(d.unknown, 1);
	assert_int_equal(d.saw_name, 1);
	assert_true(d.saw_size);
	int sections = 0;
	assert_int_equal(conf_foreach_section(c, count_sections, &sections), 7);
	assert_int_equal(sections, 4);
	conf_destroy(c);
}

static void *reader(void *arg)
{
	struct conf *c = arg;
	char buf[256];
	for (int i = 0; i < 2000; i++) {
		if (conf_get(c, "osd_data", buf, sizeof(buf)) != 0 ||
		    strncmp(buf, "/data/", 6) != 0)
			return (void *)1;
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct warnings w = { 0 };
	pthread_t t[4];
	char err[64];
	(void)state;
	struct conf *c = load("osd.3", seed_conf, &w);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, c), 0);
	for (int i = 0; i < 200; i++)
		assert_int_equal(conf_set(c, "debug_osd", i & 1 ? "1" : "2", err,
					  sizeof(err)), 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		assert_null(r);
	}
	conf_destroy(c);
}

static void test_identity(void **state)
{
	struct conf *c;
	char b[64];
	(void)state;
	assert_int_equal(conf_create("nodot", &c), -EINVAL);
	assert_int_equal(conf_create(".x", &c), -EINVAL);
	assert_int_equal(conf_create("osd.", &c), -EINVAL);
	assert_int_equal(conf_create("client.radosgw.rgw1", &c), 0);
	assert_int_equal(conf_get_type(c, b, sizeof(b)), 0);
	assert_string_equal(b, "client");
	assert_int_equal(conf_get_id(c, b, sizeof(b)), 0);
	assert_string_equal(b, "radosgw.rgw1");
	assert_int_equal(conf_set_id(c, "admin"), 0);
	assert_int_equal(conf_get_name(c, b, sizeof(b)), 0);
	assert_string_equal(b, "client.admin");
	assert_int_equal(conf_get_name(c, b, 4), -ENAMETOOLONG);
	assert_int_equal(conf_set_cluster(c, "a b"), -EINVAL);
	assert_int_equal(conf_get_cluster(c, b, sizeof(b)), 0);
	assert_string_equal(b, "ceph");
	conf_destroy(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_section_precedence),
		cmocka_unit_test(test_key_spellings),
		cmocka_unit_test(test_values_syntax),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_failed_parse_keeps_old),
		cmocka_unit_test(test_unknown_warned_once),
		cmocka_unit_test(test_metavariables),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_option_table),
		cmocka_unit_test(test_typed),
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_precedence_and_files),
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_addr_resolve),
		cmocka_unit_test(test_conf_get_addrs),
		cmocka_unit_test(test_foreach),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_identity),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
