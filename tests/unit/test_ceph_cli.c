/*
 * The `ceph` CLI's word -> JSON matcher (common/cmdsig.h): descriptors in
 * Ceph's syntax, the command lines of the seeds and issue 3, named
 * arguments, and Ceph 16.2's own messages for what does not fit (each
 * expected message below is what Debian's `ceph` printed for the same
 * words against a Ceph 16.2 monitor).
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

#include "common/cmdsig.h"

/* A few signatures as a Ceph 16.2 monitor describes them. */
static const char *const descs[] = {
	"status",
	"fsid",
	"health name=detail,type=CephChoices,strings=detail,req=false",
	"mon dump name=epoch,type=CephInt,range=0,req=false",
	"osd create name=uuid,type=CephUUID,req=false name=id,type=CephOsdName,req=false",
	"osd new name=uuid,type=CephUUID name=id,type=CephOsdName,req=false",
	"osd rm name=ids,type=CephString,n=N",
	"osd setmaxosd name=newmax,type=CephInt,range=0",
	"osd set-full-ratio name=ratio,type=CephFloat,range=0.0|1.0",
	"osd reweight name=id,type=CephOsdName name=weight,type=CephFloat,range=0.0|1.0",
	"osd getcrushmap name=epoch,type=CephInt,range=0,req=false",
	"osd setcrushmap name=prior_version,type=CephInt,req=false",
	"osd crush add name=id,type=CephOsdName name=weight,type=CephFloat,range=0.0 "
	"name=args,type=CephString,n=N,goodchars=[A-Za-z0-9-_.=]",
	"osd crush remove name=name,type=CephString,goodchars=[A-Za-z0-9-_.] "
	"name=ancestor,type=CephString,req=false,goodchars=[A-Za-z0-9-_.]",
	"osd crush add-bucket name=name,type=CephString,goodchars=[A-Za-z0-9-_.] "
	"name=type,type=CephString "
	"name=args,type=CephString,n=N,goodchars=[A-Za-z0-9-_.=],req=false",
	"osd crush tunables name=profile,type=CephChoices,"
	"strings=legacy|argonaut|bobtail|firefly|hammer|jewel|optimal|default",
	"osd crush tree name=shadow,type=CephChoices,req=false,strings=--show-shadow",
	"osd pool create name=pool,type=CephPoolname "
	"name=pg_num,type=CephInt,range=0,req=false "
	"name=pgp_num,type=CephInt,range=0,req=false "
	"name=pool_type,type=CephChoices,req=false,strings=replicated|erasure "
	"name=erasure_code_profile,type=CephString,goodchars=[A-Za-z0-9-_.],req=false "
	"name=rule,type=CephString,req=false "
	"name=expected_num_objects,type=CephInt,range=0,req=false "
	"name=size,type=CephInt,range=0,req=false "
	"name=pg_num_min,type=CephInt,range=0,req=false "
	"name=pg_num_max,type=CephInt,range=0,req=false "
	"name=autoscale_mode,type=CephChoices,req=false,strings=on|off|warn "
	"name=bulk,type=CephBool,req=false "
	"name=target_size_bytes,type=CephInt,range=0,req=false "
	"name=target_size_ratio,type=CephFloat,range=0.0,req=false",
	"osd pool ls name=detail,type=CephChoices,strings=detail,req=false",
	"osd pool get name=pool,type=CephPoolname "
	"name=var,type=CephChoices,strings=size|min_size|pg_num|pgp_num|crush_rule",
	"osd pool set name=pool,type=CephPoolname "
	"name=var,type=CephChoices,strings=size|min_size|pg_num|pgp_num|crush_rule "
	"name=val,type=CephString name=yes_i_really_mean_it,type=CephBool,req=false",
	"osd pool set-quota name=pool,type=CephPoolname "
	"name=field,type=CephChoices,strings=max_objects|max_bytes name=val,type=CephString",
	"osd pool delete name=pool,type=CephPoolname name=pool2,type=CephPoolname,req=false "
	"name=yes_i_really_really_mean_it,type=CephBool,req=false "
	"name=yes_i_really_really_mean_it_not_faking,type=CephBool,req=false",
	"osd pool rename name=srcpool,type=CephPoolname name=destpool,type=CephPoolname",
	"auth get name=entity,type=CephName",
	"config-key set name=key,type=CephString name=val,type=CephString,req=false",
};

static const char *const helps[] = {
	"show cluster status", "show cluster FSID/UUID", "show cluster health",
	"dump formatted monmap (optionally from epoch)", "create new osd", "new osd",
	"remove osd(s)", "set new maximum osd value",
	"set usage ratio at which OSDs are marked full", "reweight osd",
	"get CRUSH map", "set crush map from input file",
	("add or update crushmap position and weight for <name> with <weight> and "
	 "location <args>"),
	"remove <name> from crush map", "add no-parent crush bucket",
	"set crush tunables values to <profile>", "dump crush buckets", "create pool",
	"list pools", "get pool parameter <var>", "set pool parameter <var> to <val>",
	"set object or byte limit on pool", "delete pool", "rename <srcpool> to <destpool>",
	"get auth", "set <key> to value <val>",
};

static struct cmdsig_table table;

static int setup(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(sizeof(descs) / sizeof(descs[0]), sizeof(helps) / sizeof(helps[0]));
	return cmdsig_table_init(&table, descs, helps, sizeof(descs) / sizeof(descs[0]), err,
				 sizeof(err));
}

static int teardown(void **state)
{
	(void)state;
	cmdsig_table_release(&table);
	return 0;
}

/* Splits a command line on spaces and matches it. */
static void match_line(const char *line, struct cmdsig_match_result *res)
{
	char *copy = strdup(line), *save = NULL;
	const char *words[64];
	int n = 0;

	assert_non_null(copy);
	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		assert_true(n < 64);
		words[n++] = w;
	}
	assert_int_equal(cmdsig_match(&table, n, words, res), 0);
	free(copy);
}

/* The line matches and gives exactly this JSON (member order included). */
static void expect_json(const char *line, const char *json)
{
	struct cmdsig_match_result res;
	char *got;

	match_line(line, &res);
	if (res.result != CMDSIG_OK)
		fail_msg("'%s': no match (%d): %s", line, res.result, res.reason);
	got = json_dumps(res.cmd, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_non_null(got);
	if (strcmp(got, json))
		fail_msg("'%s':\n got  %s\n want %s", line, got, json);
	free(got);
	json_decref(res.cmd);
}

static void expect_invalid(const char *line, const char *reason)
{
	struct cmdsig_match_result res;

	match_line(line, &res);
	if (res.result != CMDSIG_INVALID) {
		json_decref(res.cmd);
		fail_msg("'%s': expected invalid (%s), got %d", line, reason, res.result);
	}
	if (strcmp(res.reason, reason))
		fail_msg("'%s':\n got  %s\n want %s", line, res.reason, reason);
	assert_true(res.n_near >= 1);
}

static void test_seed_commands(void **state)
{
	(void)state;
	/* 004: the workshop */
	expect_json("osd crush add osd.4 1.0 root=default host=daisy",
		    "{\"prefix\":\"osd crush add\",\"id\":4,\"weight\":1.0,"
		    "\"args\":[\"root=default\",\"host=daisy\"]}");
	expect_json("osd crush remove osd.4", "{\"prefix\":\"osd crush remove\",\"name\":\"osd.4\"}");
	expect_json("osd pool set data size 3",
		    "{\"prefix\":\"osd pool set\",\"pool\":\"data\",\"var\":\"size\",\"val\":\"3\"}");
	expect_json("osd getcrushmap", "{\"prefix\":\"osd getcrushmap\"}");
	expect_json("osd setcrushmap", "{\"prefix\":\"osd setcrushmap\"}");
	/* issue 3 */
	expect_json("status", "{\"prefix\":\"status\"}");
	expect_json("health detail", "{\"prefix\":\"health\",\"detail\":\"detail\"}");
	expect_json("fsid", "{\"prefix\":\"fsid\"}");
	expect_json("mon dump 3", "{\"prefix\":\"mon dump\",\"epoch\":3}");
	expect_json("osd create", "{\"prefix\":\"osd create\"}");
	expect_json("osd rm 1 2 osd.3", "{\"prefix\":\"osd rm\",\"ids\":[\"1\",\"2\",\"osd.3\"]}");
	expect_json("osd crush add-bucket daisy host",
		    "{\"prefix\":\"osd crush add-bucket\",\"name\":\"daisy\",\"type\":\"host\"}");
	expect_json("osd crush add-bucket daisy2 host root=default",
		    "{\"prefix\":\"osd crush add-bucket\",\"name\":\"daisy2\",\"type\":\"host\","
		    "\"args\":[\"root=default\"]}");
	expect_json("osd crush tunables optimal",
		    "{\"prefix\":\"osd crush tunables\",\"profile\":\"optimal\"}");
	expect_json("osd pool create data", "{\"prefix\":\"osd pool create\",\"pool\":\"data\"}");
	expect_json("osd pool create data 64",
		    "{\"prefix\":\"osd pool create\",\"pool\":\"data\",\"pg_num\":64}");
	expect_json("osd pool create p9 8 8 replicated",
		    "{\"prefix\":\"osd pool create\",\"pool\":\"p9\",\"pg_num\":8,\"pgp_num\":8,"
		    "\"pool_type\":\"replicated\"}");
	expect_json("osd pool ls", "{\"prefix\":\"osd pool ls\"}");
	expect_json("osd pool ls detail", "{\"prefix\":\"osd pool ls\",\"detail\":\"detail\"}");
	expect_json("osd pool get data size",
		    "{\"prefix\":\"osd pool get\",\"pool\":\"data\",\"var\":\"size\"}");
	expect_json("osd pool delete data data --yes-i-really-really-mean-it",
		    "{\"prefix\":\"osd pool delete\",\"pool\":\"data\",\"pool2\":\"data\","
		    "\"yes_i_really_really_mean_it\":true}");
	expect_json("osd pool delete data", "{\"prefix\":\"osd pool delete\",\"pool\":\"data\"}");
	expect_json("osd pool rename a b",
		    "{\"prefix\":\"osd pool rename\",\"srcpool\":\"a\",\"destpool\":\"b\"}");
	expect_json("config-key set a b",
		    "{\"prefix\":\"config-key set\",\"key\":\"a\",\"val\":\"b\"}");
}

static void test_types(void **state)
{
	(void)state;
	/* CephOsdName: "osd.N" or N, sent as the integer */
	expect_json("osd reweight 3 0.5", "{\"prefix\":\"osd reweight\",\"id\":3,\"weight\":0.5}");
	expect_json("osd reweight osd.3 1", "{\"prefix\":\"osd reweight\",\"id\":3,\"weight\":1.0}");
	/* CephUUID: canonical lower-case form */
	expect_json("osd new 7E6B2B32-AAAA-BBBB-CCCC-123456789012 4",
		    "{\"prefix\":\"osd new\",\"uuid\":\"7e6b2b32-aaaa-bbbb-cccc-123456789012\","
		    "\"id\":4}");
	expect_json("osd create 7e6b2b32aaaabbbbcccc123456789012",
		    "{\"prefix\":\"osd create\",\"uuid\":\"7e6b2b32-aaaa-bbbb-cccc-123456789012\"}");
	/* CephName */
	expect_json("auth get client.admin", "{\"prefix\":\"auth get\",\"entity\":\"client.admin\"}");
	/* CephInt at the bounds */
	expect_json("osd setmaxosd 0", "{\"prefix\":\"osd setmaxosd\",\"newmax\":0}");
	expect_json("osd set-full-ratio 1.0", "{\"prefix\":\"osd set-full-ratio\",\"ratio\":1.0}");
	/* a choice that looks like a flag */
	expect_json("osd crush tree --show-shadow",
		    "{\"prefix\":\"osd crush tree\",\"shadow\":\"--show-shadow\"}");
	/* negative numbers are words, not options */
	expect_json("osd pool create p12 -5",
		    "{\"prefix\":\"osd pool create\",\"pool\":\"p12\",\"erasure_code_profile\":\"-5\"}");
}

static void test_named_arguments(void **state)
{
	(void)state;
	expect_json("osd pool create p7 --pg_num 8",
		    "{\"prefix\":\"osd pool create\",\"pool\":\"p7\",\"pg_num\":8}");
	expect_json("osd pool create p6 --pg_num=8",
		    "{\"prefix\":\"osd pool create\",\"pool\":\"p6\",\"pg_num\":8}");
	expect_json("osd pool create p5 8 --pg-num-min=3",
		    "{\"prefix\":\"osd pool create\",\"pool\":\"p5\",\"pg_num\":8,\"pg_num_min\":3}");
	expect_json("osd pool create --pool p8",
		    "{\"prefix\":\"osd pool create\",\"pool\":\"p8\"}");
	expect_json("osd pool get data --var size",
		    "{\"prefix\":\"osd pool get\",\"pool\":\"data\",\"var\":\"size\"}");
	expect_json("osd pool get --var=size data",
		    "{\"prefix\":\"osd pool get\",\"pool\":\"data\",\"var\":\"size\"}");
	expect_json("osd pool delete data --yes-i-really-really-mean-it data",
		    "{\"prefix\":\"osd pool delete\",\"pool\":\"data\",\"pool2\":\"data\","
		    "\"yes_i_really_really_mean_it\":true}");
	expect_json("osd pool set data size 3 --yes-i-really-mean-it=true",
		    "{\"prefix\":\"osd pool set\",\"pool\":\"data\",\"var\":\"size\",\"val\":\"3\","
		    "\"yes_i_really_mean_it\":true}");
	expect_json("osd pool set data size 3 --yes_i_really_mean_it=false",
		    "{\"prefix\":\"osd pool set\",\"pool\":\"data\",\"var\":\"size\",\"val\":\"3\","
		    "\"yes_i_really_mean_it\":false}");
	expect_json("osd pool create data 8 8 replicated --bulk",
		    "{\"prefix\":\"osd pool create\",\"pool\":\"data\",\"pg_num\":8,\"pgp_num\":8,"
		    "\"pool_type\":\"replicated\",\"bulk\":true}");
}

/* Each reason is Ceph 16.2's for the same words. */
static void test_ceph_errors(void **state)
{
	(void)state;
	expect_invalid("osd crush add 4 osd.4 1.0 pool=default host=daisy",
		       "osd.4 doesn't represent a float");
	expect_invalid("osd crush add osd.4 abc", "abc doesn't represent a float");
	expect_invalid("osd crush add osd.4 1.0",
		       "saw 0 of args(<string(goodchars [A-Za-z0-9-_.=])>)..., expected at least 1");
	expect_invalid("osd crush add osd.x 1.0 root=default", "osd id x not integer");
	expect_invalid("osd crush add foo.4 1.0 root=default", "unknown type foo");
	expect_invalid("osd crush add -3 1.0 root=default", "osd id -3 is less than 0");
	expect_invalid("osd crush add osd.4 1.0 root=default host=daisy extra!bad",
		       "invalid chars ! in extra!bad");
	expect_invalid("osd crush add-bucket daisy2", "missing required parameter type(<string>)");
	expect_invalid("osd crush add-bucket daisy3 host --loc root=default",
		       "Unexpected argument '--loc'");
	expect_invalid("osd crush tunables foo",
		       "foo not in legacy|argonaut|bobtail|firefly|hammer|jewel|optimal|default");
	expect_invalid("osd crush tunables",
		       "missing required parameter profile(legacy|argonaut|bobtail|firefly|hammer|"
		       "jewel|optimal|default)");
	expect_invalid("osd pool get", "missing required parameter pool(<poolname>)");
	expect_invalid("osd pool get data size extra", "unused arguments: ['extra']");
	expect_invalid("osd pool set data sizzle 3",
		       "sizzle not in size|min_size|pg_num|pgp_num|crush_rule");
	expect_invalid("osd pool set data size 3 --yes-i-really-mean-it extra",
		       "unused arguments: ['extra']");
	expect_invalid("osd pool set data size 3 --no-yes-i-really-mean-it",
		       "Unexpected argument '--no-yes-i-really-mean-it'");
	expect_invalid("osd pool set-quota data max_objects 1 2", "unused arguments: ['2']");
	expect_invalid("osd pool rename data", "missing required parameter destpool(<poolname>)");
	expect_invalid("osd pool ls detail detail", "unused arguments: ['detail']");
	expect_invalid("osd pool create p13 8 8 replicated --pg-num-min",
		       "Unexpected argument '--pg-num-min'");
	expect_invalid("osd pool create p15 --bogus=1", "Unexpected argument '--bogus=1'");
	expect_invalid("osd set-full-ratio abc", "abc doesn't represent a float");
	expect_invalid("osd set-full-ratio 1.5", "1.5 not in range [0.0, 1.0]");
	expect_invalid("osd reweight osd.1 2.0", "2.0 not in range [0.0, 1.0]");
	expect_invalid("osd reweight abc 0.5", "osd id abc not integer");
	expect_invalid("osd setmaxosd -1", "-1 not in range [0]");
	expect_invalid("osd setmaxosd abc", "abc doesn't represent an int");
	expect_invalid("osd rm", "saw 0 of ids(<string>)..., expected at least 1");
	expect_invalid("osd new abc", "invalid UUID abc: badly formed hexadecimal UUID string");
	expect_invalid("osd new 7e6b2b32-aaaa-bbbb-cccc-123456789012 4 extra",
		       "unused arguments: ['extra']");
	expect_invalid("mon dump abc", "unused arguments: ['abc']");
	expect_invalid("auth get badname", "no . in badname");
	expect_invalid("osd pool create p14 --pg_num=abc", "abc doesn't represent an int");
}

static void test_no_match(void **state)
{
	struct cmdsig_match_result res;

	(void)state;
	match_line("osd foo", &res);
	assert_int_equal(res.result, CMDSIG_NO_MATCH);
	assert_int_equal(res.n_near, 10);
	/* every suggestion starts with the word that matched */
	for (size_t i = 0; i < res.n_near; i++)
		assert_string_equal(res.near[i]->args[0].name, "osd");

	match_line("osd pool frobnicate", &res);
	assert_int_equal(res.result, CMDSIG_NO_MATCH);
	assert_string_equal(res.near[0]->args[1].name, "pool");

	/* a partial word ranks the commands it starts first */
	match_line("osd pool cr", &res);
	assert_int_equal(res.result, CMDSIG_NO_MATCH);
	assert_string_equal(res.near[0]->prefix, "osd pool create");

	match_line("foo", &res);
	assert_int_equal(res.result, CMDSIG_NO_MATCH);
	assert_int_equal(res.n_near, 10);

	assert_int_equal(cmdsig_match(&table, 0, NULL, &res), 0);
	assert_int_equal(res.result, CMDSIG_NO_MATCH);
}

static void expect_usage(const char *prefix, const char *usage)
{
	char buf[4096];

	for (size_t i = 0; i < table.n; i++) {
		if (strcmp(table.sigs[i].prefix, prefix))
			continue;
		cmdsig_usage(&table.sigs[i], buf, sizeof(buf));
		if (strcmp(buf, usage))
			fail_msg("usage of %s:\n got  %s\n want %s", prefix, buf, usage);
		return;
	}
	fail_msg("no signature %s", prefix);
}

/* Concise usage lines as Ceph 16.2 prints them under "Invalid command". */
static void test_usage(void **state)
{
	char small[8];

	(void)state;
	expect_usage("osd crush add", "osd crush add <id|osd.id> <weight:float> <args>...");
	expect_usage("osd crush add-bucket", "osd crush add-bucket <name> <type> [<args>...]");
	expect_usage("osd pool ls", "osd pool ls [detail]");
	expect_usage("osd setmaxosd", "osd setmaxosd <newmax:int>");
	expect_usage("osd set-full-ratio", "osd set-full-ratio <ratio:float>");
	expect_usage("osd new", "osd new <uuid> [<id|osd.id>]");
	expect_usage("osd rm", "osd rm <ids>...");
	expect_usage("mon dump", "mon dump [<epoch:int>]");
	expect_usage("osd pool rename", "osd pool rename <srcpool> <destpool>");
	expect_usage("osd pool set-quota", "osd pool set-quota <pool> max_objects|max_bytes <val>");
	expect_usage("osd crush tunables",
		     "osd crush tunables legacy|argonaut|bobtail|firefly|hammer|jewel|optimal|default");
	expect_usage("osd pool create",
		     "osd pool create <pool> [<pg_num:int>] [<pgp_num:int>] [replicated|erasure] "
		     "[<erasure_code_profile>] [<rule>] [<expected_num_objects:int>] [<size:int>] "
		     "[<pg_num_min:int>] [<pg_num_max:int>] [on|off|warn] [--bulk] "
		     "[<target_size_bytes:int>] [<target_size_ratio:float>]");
	expect_usage("osd pool set", "osd pool set <pool> size|min_size|pg_num|pgp_num|crush_rule "
				     "<val> [--yes-i-really-mean-it]");
	/* truncation reports the length needed, like snprintf */
	assert_int_equal(cmdsig_usage(&table.sigs[0], small, sizeof(small)), strlen("status"));
	assert_int_equal(cmdsig_usage(&table.sigs[4], small, sizeof(small)),
			 strlen("osd create [<uuid>] [<id|osd.id>]"));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void test_bad_descriptors(void **state)
{
	struct cmdsig s;
	char err[256];

	(void)state;
	assert_int_equal(cmdsig_parse("name=x,type=CephInt", NULL, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "without a command word"));
	assert_int_equal(cmdsig_parse("foo type=CephInt", NULL, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "without name"));
	assert_int_equal(cmdsig_parse("foo name=x,type=CephChoices", NULL, &s, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(cmdsig_parse("foo name=x,type=CephInt,range=a", NULL, &s, err,
				      sizeof(err)), -EINVAL);
	assert_int_equal(cmdsig_parse("", NULL, &s, err, sizeof(err)), -EINVAL);

	/* unknown types and keys are accepted; values pass as strings */
	assert_int_equal(cmdsig_parse("  pg  map name=pgid,type=CephPgid,weird=1  ", NULL, &s,
				      err, sizeof(err)), 0);
	assert_string_equal(s.prefix, "pg map");
	assert_int_equal(s.n_prefix, 2);
	assert_int_equal(s.args[2].type, CMDSIG_OTHER);
	{
		char t[64];

		cmdsig_arg_typestr(&s.args[2], t, sizeof(t));
		assert_string_equal(t, "<pgid>");
	}
	cmdsig_release(&s);
}

/* Random words against the table: never a crash, always a verdict. */
static void test_random_words(void **state)
{
	static const char *const pool[] = {
		"osd", "pool", "crush", "add", "create", "get", "set", "size", "3", "-1", "1.5",
		"osd.4", "--yes-i-really-mean-it", "--pg_num", "--pg_num=x", "--", "-", "=",
		"host=daisy", "detail", "data", "", "--show-shadow", "\xff", "rm", "new",
		"7e6b2b32-aaaa-bbbb-cccc-123456789012", "client.admin", "*",
	};
	unsigned seed = 12345;

	(void)state;
	for (int iter = 0; iter < 20000; iter++) {
		const char *words[8];
		struct cmdsig_match_result res;
		int n;

		seed = seed * 1103515245u + 12345u;
		n = (int)(seed >> 16) % 8;
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			words[i] = pool[(seed >> 16) % (sizeof(pool) / sizeof(pool[0]))];
		}
		assert_int_equal(cmdsig_match(&table, n, words, &res), 0);
		if (res.result == CMDSIG_OK) {
			assert_non_null(res.cmd);
			json_decref(res.cmd);
		} else {
			assert_null(res.cmd);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_commands),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_named_arguments),
		cmocka_unit_test(test_ceph_errors),
		cmocka_unit_test(test_no_match),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_bad_descriptors),
		cmocka_unit_test(test_random_words),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
