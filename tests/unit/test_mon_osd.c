/*
 * The monitor's side of the OSDs: `osd boot` (up, in, addresses and CRUSH
 * placement in one epoch; idempotent resends; restarts), `osd crush
 * create-or-move`, and the PG statistics (mon_pgmap.h) aggregated from
 * fabricated MON_MSG_PG_STATS reports into PG states, sums and the texts
 * of `ceph -s`, `health`, `pg stat`, `df` and `osd df`.
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
#include <jansson.h>

#include "common/config.h"
#include "crush/crush.h"
#include "mon/mon.h"
#include "mon/mon_pgmap.h"
#include "mon/mon_state.h"
#include "osdmap/osdmap.h"

#define NOW_MS 1000000ull

struct result {
	int rc;
	char outs[1024];
	char *out;
};

static void run(struct mon_state *st, struct mon_pgmap *pm, uint64_t mono, const char *json,
		struct result *res)
{
	json_error_t e;
	json_t *args = json_loads(json, 0, &e);
	const struct mon_cmd_desc *d;
	struct mon_cmd c;

	assert_non_null(args);
	d = mon_cmd_find(json_string_value(json_object_get(args, "prefix")));
	assert_non_null(d);
	memset(&c, 0, sizeof(c));
	c.st = st;
	c.args = args;
	c.now_sec = 1795328400;
	c.pgmap = pm;
	c.mono_ms = mono;
	c.leader_rank = 0;
	enc_buf_init(&c.out);
	d->fn(&c);
	res->rc = c.rc;
	memcpy(res->outs, c.outs, sizeof(res->outs));
	res->out = calloc(1, c.out.len + 1);
	assert_non_null(res->out);
	if (c.out.len)
		memcpy(res->out, c.out.data, c.out.len);
	enc_buf_release(&c.out);
	json_decref(args);
}

static void runf(struct mon_state *st, struct result *res, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void runf(struct mon_state *st, struct result *res, const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	run(st, NULL, NOW_MS, buf, res);
}

static void expect_ok(struct mon_state *st, const char *json)
{
	struct result r;

	run(st, NULL, NOW_MS, json, &r);
	if (r.rc)
		fail_msg("%s: rc %d %s", json, r.rc, r.outs);
	free(r.out);
}

/* A fresh cluster as mkfs makes it: root default, replicated_rule with
 * failure domain `leaf` ("host" or "osd"). */
static void setup(struct mon_state *st, const char *leaf)
{
	static const char *const types[] = { "osd", "host", "rack", "root" };
	struct crush_map *map = crush_map_create();
	struct osdmap_inc *inc;
	char err[256];
	int32_t id;

	assert_non_null(map);
	crush_tunables_set_jewel(&map->t);
	for (int i = 0; i < 4; i++)
		assert_int_equal(crush_names_set(&map->type_names, i == 3 ? 11 : i, types[i]), 0);
	assert_int_equal(crush_map_add_bucket_named(map, "default", "root", NULL, 0, &id, err,
						    sizeof(err)),
			 0);
	assert_true(crush_map_add_simple_rule(map, "replicated_rule", "default", leaf, NULL,
					      "firstn", CRUSH_RULE_TYPE_REPLICATED, err,
					      sizeof(err)) >= 0);
	crush_map_finalize(map);
	assert_int_equal(mon_state_init(st), 0);
	assert_int_equal(osdmap_inc_create(1, &inc), 0);
	osdmap_inc_set_flags(inc, OSDMAP_FLAGS_DEFAULT);
	assert_int_equal(osdmap_inc_set_crush(inc, map), 0);
	crush_map_destroy(map);
	assert_int_equal(mon_state_commit_inc(st, inc), 0);
	osdmap_inc_destroy(inc);
}

static const char *uuid_of(int i)
{
	static char buf[8][40];

	snprintf(buf[i], sizeof(buf[i]), "00000000-0000-0000-0000-00000000000%d", i + 1);
	return buf[i];
}

static void boot(struct mon_state *st, int id, int nonce, const char *extra, struct result *r)
{
	runf(st, r,
	     "{\"prefix\":\"osd boot\",\"id\":%d,\"uuid\":\"%s\",\"public_addr\":\"127.0.0.1:%d\","
	     "\"nonce\":%d,\"hostname\":\"h%d\"%s}",
	     id, uuid_of(id), 6800 + id, nonce, id, extra ? extra : "");
}

/* Three OSDs, each on its own host, booted; a pool of `pgs` PGs. */
static void cluster3(struct mon_state *st, int pgs)
{
	struct result r;
	char cmd[256];

	setup(st, "host");
	for (int i = 0; i < 3; i++) {
		snprintf(cmd, sizeof(cmd), "{\"prefix\":\"osd new\",\"uuid\":\"%s\"}", uuid_of(i));
		expect_ok(st, cmd);
		boot(st, i, 100 + i, ",\"weight\":1.0,\"device_class\":\"hdd\"", &r);
		assert_int_equal(r.rc, 0);
		free(r.out);
	}
	snprintf(cmd, sizeof(cmd),
		 "{\"prefix\":\"osd pool create\",\"pool\":\"rbd\",\"pg_num\":%d,\"size\":3,"
		 "\"min_size\":2,\"pg_autoscale_mode\":\"off\"}",
		 pgs);
	expect_ok(st, cmd);
}

/* ---- osd boot ---- */

static void test_boot(void **state)
{
	struct mon_state st;
	struct result r;
	const struct osdmap *m;
	uint32_t e;

	(void)state;
	setup(&st, "host");
	/* Unknown OSD. */
	boot(&st, 0, 1, NULL, &r);
	assert_int_equal(r.rc, -ENOENT);
	assert_string_equal(r.outs, "osd.0 does not exist; create it with `ceph osd new`");
	free(r.out);
	expect_ok(&st, "{\"prefix\":\"osd new\",\"uuid\":\"00000000-0000-0000-0000-000000000001\"}");
	m = st.osdmap;
	assert_true(m->osds[0].state & OSD_STATE_NEW);
	/* Wrong uuid. */
	runf(&st, &r,
	     "{\"prefix\":\"osd boot\",\"id\":0,\"uuid\":\"00000000-0000-0000-0000-000000000009\","
	     "\"public_addr\":\"127.0.0.1:6800\",\"nonce\":1,\"hostname\":\"h0\"}");
	assert_int_equal(r.rc, -EEXIST);
	free(r.out);
	/* Bad input. */
	runf(&st, &r, "{\"prefix\":\"osd boot\",\"id\":0,\"uuid\":\"%s\",\"public_addr\":\"nowhere\"}",
	     uuid_of(0));
	assert_int_equal(r.rc, -EINVAL);
	free(r.out);
	runf(&st, &r, "{\"prefix\":\"osd boot\",\"id\":0,\"uuid\":\"%s\",\"public_addr\":\"127.0.0.1:1\","
		      "\"hostname\":\"bad host!\"}", uuid_of(0));
	assert_int_equal(r.rc, -EINVAL);
	free(r.out);
	runf(&st, &r, "{\"prefix\":\"osd boot\",\"id\":-1,\"uuid\":\"%s\"}", uuid_of(0));
	assert_int_equal(r.rc, -EINVAL);
	free(r.out);
	/* Not in CRUSH and nowhere to put it. */
	runf(&st, &r, "{\"prefix\":\"osd boot\",\"id\":0,\"uuid\":\"%s\",\"public_addr\":\"127.0.0.1:6800\"}",
	     uuid_of(0));
	assert_int_equal(r.rc, -EINVAL);
	free(r.out);
	assert_int_equal(st.osdmap->epoch, 2);

	/* The boot: one epoch, up, in, addressed, placed. */
	boot(&st, 0, 77, ",\"weight\":0.5", &r);
	assert_int_equal(r.rc, 0);
	m = st.osdmap;
	assert_int_equal(m->epoch, 3);
	assert_string_equal(r.out, "{\"epoch\":3}");
	free(r.out);
	assert_true(osdmap_is_up(m, 0));
	assert_true(osdmap_is_in(m, 0));
	assert_false(m->osds[0].state & OSD_STATE_NEW);
	assert_int_equal(m->osds[0].up_from, 3);
	assert_string_equal(m->osds[0].public_addr.addr, "127.0.0.1:6800");
	assert_int_equal(m->osds[0].public_addr.nonce, 77);
	assert_string_equal(m->osds[0].cluster_addr.addr, "127.0.0.1:6800");
	{
		struct crush_loc loc[8];
		int32_t hid;
		int n = crush_map_item_location(m->crush, 0, loc, 8);

		assert_int_equal(n, 2);
		assert_string_equal(loc[0].type, "host");
		assert_string_equal(loc[0].name, "h0");
		assert_string_equal(loc[1].name, "default");
		assert_int_equal(crush_map_item_id(m->crush, "h0", &hid), 0);
		assert_int_equal(crush_map_bucket(m->crush, hid)->item_weights[0], 0x8000);
	}
	/* A resend from the same incarnation changes nothing. */
	boot(&st, 0, 77, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "{\"epoch\":3}");
	assert_int_equal(st.osdmap->epoch, 3);
	free(r.out);
	/* A restart (new nonce): up again at a new epoch, CRUSH untouched. */
	e = st.osdmap->crush_version;
	boot(&st, 0, 78, NULL, &r);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "{\"epoch\":4}");
	free(r.out);
	m = st.osdmap;
	assert_int_equal(m->osds[0].up_from, 4);
	assert_int_equal(m->osds[0].public_addr.nonce, 78);
	assert_int_equal(m->crush_version, e);
	/* An admin's out survives a boot; noup refuses it. */
	expect_ok(&st, "{\"prefix\":\"osd down\",\"ids\":[\"0\"]}");
	expect_ok(&st, "{\"prefix\":\"osd out\",\"ids\":[\"0\"]}");
	boot(&st, 0, 79, NULL, &r);
	assert_int_equal(r.rc, 0);
	free(r.out);
	assert_true(osdmap_is_up(st.osdmap, 0));
	assert_false(osdmap_is_in(st.osdmap, 0));
	expect_ok(&st, "{\"prefix\":\"osd down\",\"ids\":[\"0\"]}");
	expect_ok(&st, "{\"prefix\":\"osd set\",\"key\":\"noup\"}");
	boot(&st, 0, 80, NULL, &r);
	assert_int_equal(r.rc, -EBUSY);
	free(r.out);
	assert_false(osdmap_is_up(st.osdmap, 0));
	/* An explicit location moves it (weight kept); update_crush=false does not. */
	expect_ok(&st, "{\"prefix\":\"osd unset\",\"key\":\"noup\"}");
	boot(&st, 0, 81, ",\"crush_location\":\"root=default rack=r1 host=h9\"", &r);
	assert_int_equal(r.rc, 0);
	free(r.out);
	{
		struct crush_loc loc[8];
		int n = crush_map_item_location(st.osdmap->crush, 0, loc, 8);

		assert_int_equal(n, 3);
		assert_string_equal(loc[0].name, "h9");
		assert_string_equal(loc[1].name, "r1");
	}
	expect_ok(&st, "{\"prefix\":\"osd down\",\"ids\":[\"0\"]}");
	e = st.osdmap->crush_version;
	boot(&st, 0, 82, ",\"update_crush\":false,\"crush_location\":\"root=default host=h0\"", &r);
	assert_int_equal(r.rc, 0);
	free(r.out);
	assert_int_equal(st.osdmap->crush_version, e);
	mon_state_release(&st);
}

static void test_create_or_move(void **state)
{
	struct mon_state st;
	struct result r;
	uint32_t v;

	(void)state;
	setup(&st, "host");
	expect_ok(&st, "{\"prefix\":\"osd create\"}");
	runf(&st, &r, "{\"prefix\":\"osd crush create-or-move\",\"id\":\"osd.0\",\"weight\":0.25,"
		      "\"args\":[\"root=default\",\"host=a\"]}");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.outs, "create-or-move updating item name 'osd.0' weight 0.25 at "
				    "location {host=a,root=default} to crush map");
	free(r.out);
	v = st.osdmap->crush_version;
	runf(&st, &r, "{\"prefix\":\"osd crush create-or-move\",\"id\":0,\"weight\":1,"
		      "\"args\":[\"root=default\",\"host=a\"]}");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.outs, "create-or-move updated item name 'osd.0' weight 1 at "
				    "location {host=a,root=default} to crush map");
	assert_int_equal(st.osdmap->crush_version, v);
	free(r.out);
	runf(&st, &r, "{\"prefix\":\"osd crush create-or-move\",\"id\":9,\"weight\":1,"
		      "\"args\":[\"root=default\"]}");
	assert_int_equal(r.rc, -ENOENT);
	assert_string_equal(r.outs, "osd.9 does not exist.  create it before updating the crush map");
	free(r.out);
	mon_state_release(&st);
}

/* ---- PG statistics ---- */

/* osd's report: every PG it is acting primary for, in `state`. */
static void report(struct mon_pgmap *pm, const struct osdmap *m, int osd, uint32_t state,
		   uint64_t objects, uint64_t now)
{
	struct mon_pg_stats s = { .osd = osd, .epoch = m->epoch };
	size_t n = 0;

	s.pgs = calloc(256, sizeof(*s.pgs));
	assert_non_null(s.pgs);
	s.kb = 10 << 20;
	s.kb_used = 1 << 20;
	s.kb_avail = s.kb - s.kb_used;
	s.kb_used_meta = s.kb_used;
	for (size_t i = 0; i < m->n_pools; i++) {
		for (uint32_t ps = 0; ps < m->pools[i].pg_num; ps++) {
			struct osdmap_pg_mapping mp;
			struct mon_pg_stat *p = &s.pgs[n];

			assert_int_equal(osdmap_pg_to_up_acting(m, m->pools[i].id, ps, &mp), 0);
			if (mp.acting_primary != osd)
				continue;
			assert_true(n < 256);
			p->pool = m->pools[i].id;
			p->ps = ps;
			p->state = state;
			p->epoch = m->epoch;
			p->num_objects = objects;
			p->num_bytes = objects * 4096;
			p->n_acting = (uint8_t)mp.n_acting;
			for (int k = 0; k < mp.n_acting; k++)
				p->acting[k] = mp.acting[k];
			n++;
		}
	}
	s.n_pgs = n;
	assert_int_equal(mon_pgmap_report(pm, &s, now), 0);
	assert_null(s.pgs);
}

static void test_pg_states(void **state)
{
	struct mon_state st;
	struct mon_pgmap pm;
	struct mon_pg_digest d;
	struct result r;

	(void)state;
	cluster3(&st, 8);
	mon_pgmap_init(&pm);
	/* Nothing reported: every PG unknown, nothing summed. */
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS, &d), 0);
	assert_int_equal(d.n_pgs, 8);
	assert_int_equal(d.n_unknown, 8);
	assert_int_equal(d.n_inactive, 8);
	assert_int_equal(d.n_states, 1);
	assert_int_equal(d.states[0].state, PG_STATE_UNKNOWN);
	mon_pg_digest_release(&d);
	run(&st, &pm, NOW_MS, "{\"prefix\":\"health\"}", &r);
	assert_string_equal(r.out, "HEALTH_WARN Reduced data availability: 8 pgs inactive\n");
	free(r.out);

	/* Two of three primaries report: their PGs are active+clean. */
	report(&pm, st.osdmap, 0, PG_STATE_ACTIVE | PG_STATE_CLEAN, 2, NOW_MS);
	report(&pm, st.osdmap, 1, PG_STATE_ACTIVE | PG_STATE_CLEAN, 2, NOW_MS);
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS, &d), 0);
	assert_true(d.n_unknown < 8 && d.n_unknown > 0);
	assert_int_equal(d.objects, 2 * (8 - d.n_unknown));
	assert_int_equal(d.kb, 2ull * (10 << 20));
	mon_pg_digest_release(&d);
	report(&pm, st.osdmap, 2, PG_STATE_ACTIVE | PG_STATE_CLEAN, 2, NOW_MS);
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS, &d), 0);
	assert_int_equal(d.n_unknown, 0);
	assert_int_equal(d.n_inactive, 0);
	assert_int_equal(d.objects, 16);
	assert_int_equal(d.bytes, 16 * 4096);
	assert_int_equal(d.n_states, 1);
	assert_int_equal(d.states[0].state, PG_STATE_ACTIVE | PG_STATE_CLEAN);
	assert_int_equal(d.states[0].count, 8);
	/* MAX AVAIL: (9 GiB - 5% of 10 GiB) per OSD, thirds, size 3. */
	assert_true(d.pools[0].max_avail > (int64_t)(8.4 * (1 << 30)) &&
		    d.pools[0].max_avail < (int64_t)(8.6 * (1 << 30)));
	mon_pg_digest_release(&d);
	run(&st, &pm, NOW_MS, "{\"prefix\":\"health\"}", &r);
	assert_string_equal(r.out, "HEALTH_OK\n");
	free(r.out);
	run(&st, &pm, NOW_MS, "{\"prefix\":\"pg stat\"}", &r);
	assert_string_equal(r.out, "8 pgs: 8 active+clean; 64 KiB data, 3 GiB used, 27 GiB / 30 GiB avail\n");
	free(r.out);
	run(&st, &pm, NOW_MS, "{\"prefix\":\"status\"}", &r);
	assert_non_null(strstr(r.out, "    objects: 16 objects, 64 KiB\n"
				      "    usage:   3 GiB used, 27 GiB / 30 GiB avail\n"
				      "    pgs:     8 active+clean\n"));
	free(r.out);
	run(&st, &pm, NOW_MS, "{\"prefix\":\"df\"}", &r);
	assert_non_null(strstr(r.out, "--- RAW STORAGE ---\n"
				      "CLASS    SIZE   AVAIL   USED  RAW USED  %RAW USED\n"
				      "hdd    30 GiB  27 GiB  3 GiB     3 GiB      10.00\n"
				      "TOTAL  30 GiB  27 GiB  3 GiB     3 GiB      10.00\n"));
	assert_non_null(strstr(r.out, "rbd    1    8  64 KiB       16  192 KiB      0    8.5 GiB\n"));
	free(r.out);
	run(&st, &pm, NOW_MS, "{\"prefix\":\"osd df\"}", &r);
	assert_non_null(strstr(r.out, " 0    hdd  1.00000   1.00000  10 GiB    1 GiB   0 B   0 B"));
	assert_non_null(strstr(r.out, "MIN/MAX VAR: 1.00/1.00  STDDEV: 0\n"));
	free(r.out);

	/* osd.2 goes down: its PGs' reports are stale until a new primary
	 * reports; then the survivors say undersized+degraded. */
	expect_ok(&st, "{\"prefix\":\"osd down\",\"ids\":[\"2\"]}");
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS + 1000, &d), 0);
	for (size_t i = 0; i < d.n_pgs; i++) {
		if (d.pgs[i].reporter == 2)
			assert_true(d.pgs[i].state & MON_PG_STATE_STALE);
		else if (d.pgs[i].stat)
			assert_false(d.pgs[i].state & MON_PG_STATE_STALE);
		/* The acting sets shrank: reports naming the old one do not count. */
		if (d.pgs[i].state & PG_STATE_UNKNOWN)
			assert_null(d.pgs[i].stat);
	}
	mon_pg_digest_release(&d);
	report(&pm, st.osdmap, 0, PG_STATE_ACTIVE | PG_STATE_UNDERSIZED | PG_STATE_DEGRADED, 2,
	       NOW_MS + 2000);
	report(&pm, st.osdmap, 1, PG_STATE_ACTIVE | PG_STATE_UNDERSIZED | PG_STATE_DEGRADED, 2,
	       NOW_MS + 2000);
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS + 2000, &d), 0);
	assert_int_equal(d.n_unknown, 0);
	assert_int_equal(d.n_stale, 0);
	assert_int_equal(d.n_undersized, 8);
	assert_int_equal(d.degraded, 16);
	assert_int_equal(d.copies, 48);
	mon_pg_digest_release(&d);
	run(&st, &pm, NOW_MS + 2000, "{\"prefix\":\"health\"}", &r);
	assert_string_equal(r.out, "HEALTH_WARN 1 osds down; Degraded data redundancy: 16/48 objects "
				   "degraded (33.333%), 8 pgs degraded, 8 pgs undersized\n");
	free(r.out);
	/* Past the stuck threshold the detail says so. */
	run(&st, &pm, NOW_MS + 2000 + MON_PG_STUCK_MS, "{\"prefix\":\"health\",\"detail\":\"detail\"}",
	    &r);
	assert_non_null(strstr(r.out, "[WRN] OSD_DOWN: 1 osds down\n    osd.2 (root=default,host=h2) is down\n"));
	if (!strstr(r.out, "    pg 1.0 is stuck undersized for 62s, current state "
			   "stale+active+undersized+degraded, last acting ["))
		fail_msg("%s", r.out);
	free(r.out);
	mon_pgmap_release(&pm);
	mon_state_release(&st);
}

/* A report from an OSD that is not the primary, or from before the OSD's
 * restart, never counts. */
static void test_pg_stale_reports(void **state)
{
	struct mon_state st;
	struct mon_pgmap pm;
	struct mon_pg_digest d;
	struct mon_pg_stats s = { .osd = 1 };
	struct result r;
	int primary;

	(void)state;
	cluster3(&st, 1);
	mon_pgmap_init(&pm);
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS, &d), 0);
	primary = d.pgs[0].map.acting_primary;
	mon_pg_digest_release(&d);
	/* A non-primary claims the PG. */
	s.osd = (primary + 1) % 3;
	s.epoch = st.osdmap->epoch;
	s.n_pgs = 1;
	s.pgs = calloc(1, sizeof(*s.pgs));
	s.pgs[0].pool = 1;
	s.pgs[0].epoch = st.osdmap->epoch;
	s.pgs[0].state = PG_STATE_ACTIVE | PG_STATE_CLEAN;
	s.pgs[0].n_acting = 1;
	s.pgs[0].acting[0] = s.osd;
	assert_int_equal(mon_pgmap_report(&pm, &s, NOW_MS), 0);
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS, &d), 0);
	assert_int_equal(d.pgs[0].state, PG_STATE_UNKNOWN);
	mon_pg_digest_release(&d);
	/* The primary reports, then restarts (new up_from): stale. */
	report(&pm, st.osdmap, primary, PG_STATE_ACTIVE | PG_STATE_CLEAN, 0, NOW_MS);
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS, &d), 0);
	assert_int_equal(d.pgs[0].state, PG_STATE_ACTIVE | PG_STATE_CLEAN);
	mon_pg_digest_release(&d);
	boot(&st, primary, 999, NULL, &r);
	assert_int_equal(r.rc, 0);
	free(r.out);
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS, &d), 0);
	assert_int_equal(d.pgs[0].state, PG_STATE_ACTIVE | PG_STATE_CLEAN | MON_PG_STATE_STALE);
	mon_pg_digest_release(&d);
	/* A silent OSD goes stale too. */
	report(&pm, st.osdmap, primary, PG_STATE_ACTIVE | PG_STATE_CLEAN, 0, NOW_MS);
	assert_int_equal(mon_pg_digest_build(&pm, st.osdmap, NOW_MS + MON_PG_REPORT_STALE_MS + 1, &d),
			 0);
	assert_true(d.pgs[0].state & MON_PG_STATE_STALE);
	mon_pg_digest_release(&d);
	/* Hostile ids are refused. */
	s.osd = -5;
	assert_int_equal(mon_pgmap_report(&pm, &s, NOW_MS), -EINVAL);
	s.osd = 1 << 30;
	assert_int_equal(mon_pgmap_report(&pm, &s, NOW_MS), -EINVAL);
	mon_pgmap_release(&pm);
	mon_state_release(&st);
}

static void test_formats(void **state)
{
	char b[64];
	int64_t pool;
	uint32_t ps;

	(void)state;
	mon_fmt_bytes(0, b, sizeof(b));
	assert_string_equal(b, "0 B");
	mon_fmt_bytes(12813, b, sizeof(b));
	assert_string_equal(b, "13 KiB");
	mon_fmt_bytes(913342464, b, sizeof(b));
	assert_string_equal(b, "871 MiB");
	mon_fmt_bytes(3990519808ull, b, sizeof(b));
	assert_string_equal(b, "3.7 GiB");
	mon_fmt_bytes(4ull << 30, b, sizeof(b));
	assert_string_equal(b, "4 GiB");
	mon_fmt_bytes(3775771392ull, b, sizeof(b));
	assert_string_equal(b, "3.5 GiB");
	mon_fmt_bytes(11971559424ull, b, sizeof(b));
	assert_string_equal(b, "11 GiB");
	mon_pg_state_str(PG_STATE_ACTIVE | PG_STATE_UNDERSIZED | PG_STATE_DEGRADED, b, sizeof(b));
	assert_string_equal(b, "active+undersized+degraded");
	mon_pg_state_str(PG_STATE_UNKNOWN, b, sizeof(b));
	assert_string_equal(b, "unknown");
	mon_pg_state_str(MON_PG_STATE_STALE | PG_STATE_ACTIVE | PG_STATE_CLEAN, b, sizeof(b));
	assert_string_equal(b, "stale+active+clean");
	mon_pg_state_str(PG_STATE_UNDERSIZED | PG_STATE_PEERED, b, sizeof(b));
	assert_string_equal(b, "undersized+peered");
	assert_int_equal(mon_parse_pgid("2.1f", &pool, &ps), 0);
	assert_int_equal(pool, 2);
	assert_int_equal(ps, 0x1f);
	assert_int_equal(mon_parse_pgid("2.", &pool, &ps), -EINVAL);
	assert_int_equal(mon_parse_pgid("-1.0", &pool, &ps), -EINVAL);
	assert_int_equal(mon_parse_pgid("1.0x", &pool, &ps), -EINVAL);
	assert_int_equal(mon_parse_pgid("foo", &pool, &ps), -EINVAL);
	mon_fmt_pgid(12, 255, b, sizeof(b));
	assert_string_equal(b, "12.ff");
}

static void test_pg_map(void **state)
{
	struct mon_state st;
	struct result r;

	(void)state;
	cluster3(&st, 4);
	runf(&st, &r, "{\"prefix\":\"pg map\",\"pgid\":\"1.3\"}");
	assert_int_equal(r.rc, 0);
	assert_true(strncmp(r.out, "osdmap e8 pg 1.3 (1.3) -> up [", 30) == 0);
	free(r.out);
	runf(&st, &r, "{\"prefix\":\"pg map\",\"pgid\":\"1.4\"}");
	assert_int_equal(r.rc, -ENOENT);
	free(r.out);
	runf(&st, &r, "{\"prefix\":\"pg map\",\"pgid\":\"x\"}");
	assert_int_equal(r.rc, -EINVAL);
	free(r.out);
	runf(&st, &r, "{\"prefix\":\"pg dump\",\"dumpcontents\":[\"pgs_brief\"]}");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.outs, "dumped pgs_brief");
	assert_true(strncmp(r.out, "PG_STAT  STATE    UP       UP_PRIMARY  ACTING   ACTING_PRIMARY\n"
				   "1.0      unknown  [", 80) == 0);
	free(r.out);
	runf(&st, &r, "{\"prefix\":\"pg dump\",\"dumpcontents\":[\"bogus\"]}");
	assert_int_equal(r.rc, -EINVAL);
	free(r.out);
	mon_state_release(&st);
}

/* mkfs honours osd_crush_chooseleaf_type for replicated_rule. */
static int rule_leaf_type(const char *conf_text)
{
	char dir[] = "/tmp/test_mon_osd.XXXXXX", path[512], err[256], text[1024];
	const struct crush_rule *rule;
	struct mon_state st;
	struct conf *conf;
	uint8_t *buf;
	FILE *f;
	long n;
	int leaf = -1;

	assert_non_null(mkdtemp(dir));
	snprintf(text, sizeof(text),
		 "[global]\nfsid = 4f1d8a52-29c4-4e61-9d38-2b8a3c6d7e11\n"
		 "mon_host = 127.0.0.1:40999\nmon_initial_members = a\nmon_data = %s/mon\n%s",
		 dir, conf_text);
	assert_int_equal(conf_create("mon.a", &conf), 0);
	assert_int_equal(conf_parse_buffer(conf, text, strlen(text), "t.conf", err, sizeof(err)), 0);
	if (mon_mkfs(conf, NULL, NULL, err, sizeof(err))) {
		conf_destroy(conf);
		snprintf(path, sizeof(path), "rm -rf %s", dir);
		assert_int_equal(system(path), 0);
		return -1;
	}
	conf_destroy(conf);
	snprintf(path, sizeof(path), "%s/mon/genesis", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_int_equal(mon_state_init(&st), 0);
	assert_int_equal(mon_state_decode(&st, buf, (size_t)n), 0);
	free(buf);
	rule = st.osdmap->crush->rules[0];
	for (uint32_t i = 0; i < rule->len; i++)
		if (rule->steps[i].op == CRUSH_RULE_CHOOSELEAF_FIRSTN ||
		    rule->steps[i].op == CRUSH_RULE_CHOOSE_FIRSTN)
			leaf = rule->steps[i].arg2;
	mon_state_release(&st);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
	return leaf;
}

static void test_mkfs_chooseleaf(void **state)
{
	(void)state;
	assert_int_equal(rule_leaf_type(""), 1);
	assert_int_equal(rule_leaf_type("osd crush chooseleaf type = 0\n"), 0);
	assert_int_equal(rule_leaf_type("osd_crush_chooseleaf_type = 3\n"), 3);
	assert_int_equal(rule_leaf_type("osd_crush_chooseleaf_type = 42\n"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot),
		cmocka_unit_test(test_create_or_move),
		cmocka_unit_test(test_pg_states),
		cmocka_unit_test(test_pg_stale_reports),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_pg_map),
		cmocka_unit_test(test_mkfs_chooseleaf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
