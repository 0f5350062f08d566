/*
 * Fuzz target for what a monitor does with an OSD's MON_MSG_PG_STATS: the
 * decoder, then the monitor's PG statistics (mon_pgmap.h) taking the
 * report and every PG-aware command computing from it, on a fixed small
 * cluster (three OSDs up, one pool of 8 PGs).  Whatever the bytes (any
 * OSD id, pool, PG, state bits, acting set, counts), nothing may read out
 * of bounds, overflow, leak, or crash; the commands must answer.
 *
 * The first input byte picks the reporting OSD's id (a hostile report
 * names any id) and the digest's clock; the rest is the message.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"
#include "mon/mon_pgmap.h"
#include "mon/mon_proto.h"
#include "mon/mon_state.h"
#include "osdmap/osdmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct mon_state st;
static bool ready;

static void run(struct mon_pgmap *pm, uint64_t now, const char *json)
{
	json_t *args = json_loads(json, 0, NULL);
	const struct mon_cmd_desc *d;
	struct mon_cmd c;

	if (!args)
		abort();
	d = mon_cmd_find(json_string_value(json_object_get(args, "prefix")));
	if (!d)
		abort();
	memset(&c, 0, sizeof(c));
	c.st = &st;
	c.args = args;
	c.now_sec = 1795328400;
	c.pgmap = pm;
	c.mono_ms = now;
	enc_buf_init(&c.out);
	d->fn(&c);
	if (!(d->flags & MON_CMD_WRITE) && c.rc)
		abort(); /* reads of a healthy map always answer */
	enc_buf_release(&c.out);
	json_decref(args);
}

static void setup(void)
{
	struct crush_map *map = crush_map_create();
	struct osdmap_inc *inc;
	char err[256], cmd[512];
	int32_t id;

	crush_tunables_set_jewel(&map->t);
	crush_names_set(&map->type_names, 0, "osd");
	crush_names_set(&map->type_names, 1, "host");
	crush_names_set(&map->type_names, 11, "root");
	crush_map_add_bucket_named(map, "default", "root", NULL, 0, &id, err, sizeof(err));
	crush_map_add_simple_rule(map, "replicated_rule", "default", "host", NULL, "firstn",
				  CRUSH_RULE_TYPE_REPLICATED, err, sizeof(err));
	crush_map_finalize(map);
	if (mon_state_init(&st) || osdmap_inc_create(1, &inc))
		abort();
	osdmap_inc_set_flags(inc, OSDMAP_FLAGS_DEFAULT);
	osdmap_inc_set_crush(inc, map);
	crush_map_destroy(map);
	if (mon_state_commit_inc(&st, inc))
		abort();
	osdmap_inc_destroy(inc);
	for (int i = 0; i < 3; i++) {
		snprintf(cmd, sizeof(cmd),
			 "{\"prefix\":\"osd new\",\"uuid\":\"00000000-0000-0000-0000-00000000000%d\"}",
			 i + 1);
		run(NULL, 0, cmd);
		snprintf(cmd, sizeof(cmd),
			 "{\"prefix\":\"osd boot\",\"id\":%d,\"uuid\":\"00000000-0000-0000-0000-00000000000%d\","
			 "\"public_addr\":\"127.0.0.1:%d\",\"nonce\":1,\"hostname\":\"h%d\",\"device_class\":\"hdd\"}",
			 i, i + 1, 6800 + i, i);
		run(NULL, 0, cmd);
	}
	run(NULL, 0, "{\"prefix\":\"osd pool create\",\"pool\":\"rbd\",\"pg_num\":8,\"size\":3,"
		     "\"pg_autoscale_mode\":\"off\"}");
	if (st.osdmap->n_pools != 1 || osdmap_count_up(st.osdmap) != 3)
		abort();
	ready = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cmds[] = {
		"{\"prefix\":\"status\"}",
		"{\"prefix\":\"status\",\"format\":\"json\"}",
		"{\"prefix\":\"health\",\"detail\":\"detail\"}",
		"{\"prefix\":\"health\",\"detail\":\"detail\",\"format\":\"json\"}",
		"{\"prefix\":\"pg stat\"}",
		"{\"prefix\":\"pg stat\",\"format\":\"json\"}",
		"{\"prefix\":\"pg dump\"}",
		"{\"prefix\":\"pg dump\",\"format\":\"json\"}",
		"{\"prefix\":\"pg dump\",\"dumpcontents\":[\"pgs_brief\"]}",
		"{\"prefix\":\"df\",\"detail\":\"detail\"}",
		"{\"prefix\":\"df\",\"format\":\"json\"}",
		"{\"prefix\":\"osd df\"}",
		"{\"prefix\":\"osd df\",\"format\":\"json\"}",
		"{\"prefix\":\"osd pool stats\"}",
	};
	struct mon_pgmap pm;
	struct mon_pg_stats s;
	uint64_t now;

	if (!ready)
		setup();
	if (size < 1)
		return 0;
	now = 1000 + (uint64_t)data[0] * 1000;
	if (mon_pg_stats_decode(data + 1, size - 1, &s))
		return 0;
	mon_pgmap_init(&pm);
	if (data[0] & 1)
		s.osd = (int32_t)(data[0] >> 1) % 4; /* often a real OSD */
	mon_pgmap_report(&pm, &s, 1000);
	free(s.pgs);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		run(&pm, now, cmds[i]);
	mon_pgmap_release(&pm);
	return 0;
}
