/*
 * OSD commands: create/new/rm, in/out/down, cluster flags, the CRUSH map
 * as a binary blob (getcrushmap/setcrushmap), and the read-only views
 * (tree, dump, stat, ls, map).  Each write builds one incremental;
 * commands that change nothing commit no epoch, as in Ceph.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"
#include "mon/mon_cmd_internal.h"
#include "osdmap/osdmap.h"


static int need_current_epoch(struct mon_cmd *c)
{
	int64_t epoch;
	int r = mon_arg_int(c, "epoch", &epoch);

	if (r < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'epoch'");
	if (r > 0 && epoch != (int64_t)c->st->osdmap->epoch)
		return mon_cmd_fail(c, -ENOENT, "there is no map for epoch %lld", (long long)epoch);
	return 0;
}

/* ---- views ---- */

static int print_tree(void *arg, FILE *out)
{
	return osdmap_print_tree(arg, out);
}

static int print_dump(void *arg, FILE *out)
{
	return osdmap_print_dump(arg, out);
}

int mon_cmd_osd_tree(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;

	if (need_current_epoch(c))
		return c->rc;
	if (mon_fmt_is_json(c))
		return mon_out_json_fmt_nl(c, osdmap_json_tree(m));
	return mon_out_print(c, print_tree, (void *)m);
}

int mon_cmd_osd_dump(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;

	if (need_current_epoch(c))
		return c->rc;
	if (mon_fmt_is_json(c))
		return mon_out_json_fmt_nl(c, osdmap_json_dump(m));
	return mon_out_print(c, print_dump, (void *)m);
}

struct stat_arg {
	const struct osdmap *m;
	struct osdmap_time now;
};

static int print_stat(void *arg, FILE *out)
{
	struct stat_arg *a = arg;

	return osdmap_print_stat(a->m, a->now, out);
}

int mon_cmd_osd_stat(struct mon_cmd *c)
{
	struct stat_arg a = { c->st->osdmap, { c->now_sec, c->now_nsec } };

	if (mon_fmt_is_json(c))
		return mon_out_json_fmt(c, osdmap_json_stat(a.m));
	return mon_out_print(c, print_stat, &a);
}

int mon_cmd_osd_ls(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	json_t *a;

	if (need_current_epoch(c))
		return c->rc;
	if (!mon_fmt_is_json(c)) {
		for (int i = 0; i < m->max_osd; i++)
			if (osdmap_exists(m, i))
				mon_out_printf(c, "%d\n", i);
		return enc_buf_error(&c->out);
	}
	a = json_array();
	for (int i = 0; i < m->max_osd; i++)
		if (osdmap_exists(m, i))
			json_array_append_new(a, json_integer(i));
	return mon_out_json_fmt_nl(c, a);
}

int mon_cmd_osd_getmaxosd(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;

	if (mon_fmt_is_json(c)) {
		json_t *o = json_object();

		json_object_set_new(o, "epoch", json_integer(m->epoch));
		json_object_set_new(o, "max_osd", json_integer(m->max_osd));
		return mon_out_json_fmt(c, o);
	}
	return mon_out_printf(c, "max_osd = %d in epoch %u\n", m->max_osd, m->epoch);
}

int mon_cmd_osd_setmaxosd(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	struct osdmap_inc *inc;
	int64_t newmax;
	int r = mon_arg_int(c, "newmax", &newmax);

	if (r <= 0 || newmax < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'newmax'");
	if (newmax > OSDMAP_MAX_OSD)
		return mon_cmd_fail(c, -ERANGE, "cannot set max_osd to %lld which is > conf.mon_max_osd (%d)",
				    (long long)newmax, OSDMAP_MAX_OSD);
	for (int i = (int)newmax; i < m->max_osd; i++)
		if (osdmap_exists(m, i))
			return mon_cmd_fail(c, -EBUSY,
					    "cannot shrink max_osd to %lld because osd.%d (and possibly others) still in use",
					    (long long)newmax, i);
	snprintf(c->outs, sizeof(c->outs), "set new max_osd = %lld", (long long)newmax);
	if (newmax == m->max_osd)
		return 0;
	inc = mon_cmd_inc(c);
	if (!inc)
		return c->rc;
	r = osdmap_inc_set_max_osd(inc, (int32_t)newmax);
	if (r) {
		osdmap_inc_destroy(inc);
		return mon_cmd_nomem(c);
	}
	return mon_cmd_commit(c, inc);
}

int mon_cmd_osd_map(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *pool = mon_arg_str(c, "pool"), *obj = mon_arg_str(c, "object");
	const char *ns = mon_arg_str(c, "nspace");
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (!pool)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'pool'");
	if (!obj)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'object'");
	if (!osdmap_pool_by_name(m, pool))
		return mon_cmd_fail(c, -ENOENT, "pool %.900s does not exist", pool);
	if (mon_fmt_is_json(c))
		return mon_out_json_fmt(c, osdmap_json_object_map(m, pool, ns, obj));
	f = open_memstream(&buf, &len);
	if (!f)
		return mon_cmd_nomem(c);
	r = osdmap_print_object_map(m, pool, ns, obj, f);
	fclose(f);
	if (!r)
		r = mon_out_bytes(c, buf, len);
	free(buf);
	return r ? mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r)) : 0;
}

/* ---- create / new / rm ---- */

static int find_uuid(const struct osdmap *m, const uint8_t uuid[16])
{
	for (int i = 0; i < m->max_osd; i++)
		if (osdmap_exists(m, i) && memcmp(m->osds[i].uuid, uuid, 16) == 0)
			return i;
	return -1;
}

static int reply_osdid(struct mon_cmd *c, int id)
{
	if (mon_fmt_is_json(c)) {
		json_t *o = json_object();

		json_object_set_new(o, "osdid", json_integer(id));
		return mon_out_json_fmt(c, o);
	}
	return mon_out_printf(c, "%d\n", id);
}

/*
 * Both `osd create` and `osd new`: an existing OSD with this uuid is the
 * answer (no change); else the given id (which must be free or hold this
 * uuid), else the lowest free id.  A new OSD exists, is new and is in.
 */
static int osd_create_common(struct mon_cmd *c, bool uuid_required)
{
	const struct osdmap *m = c->st->osdmap;
	const char *uuid_s = mon_arg_str(c, "uuid");
	uint8_t uuid[16] = { 0 };
	bool have_uuid = false;
	struct osdmap_inc *inc;
	int64_t id = -1;
	int r, found;

	if (uuid_s) {
		if (osdmap_uuid_parse(uuid_s, uuid))
			return mon_cmd_fail(c, -EINVAL, "invalid uuid %.900s", uuid_s);
		have_uuid = true;
	} else if (uuid_required) {
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'uuid'");
	}
	r = mon_arg_int(c, "id", &id);
	if (r < 0) {
		const char *s = mon_arg_str(c, "id");
		int32_t v;

		if (!s || mon_parse_osd_id(s, &v))
			return mon_cmd_fail(c, -EINVAL, "bad or missing field 'id'");
		id = v;
	} else if (r > 0 && (id < 0 || id >= OSDMAP_MAX_OSD)) {
		return mon_cmd_fail(c, -EINVAL, "invalid osd id %lld", (long long)id);
	}
	found = have_uuid ? find_uuid(m, uuid) : -1;
	if (found >= 0) {
		if (id >= 0 && id != found)
			return mon_cmd_fail(c, -EEXIST, "uuid %s already in use for different id %d",
					    uuid_s, found);
		return reply_osdid(c, found);
	}
	if (id >= 0 && osdmap_exists(m, (int)id))
		return mon_cmd_fail(c, -EINVAL, "id %lld already in use and does not match uuid %s",
				    (long long)id, uuid_s ? uuid_s : "00000000-0000-0000-0000-000000000000");
	if (id < 0)
		for (id = 0; id < m->max_osd && osdmap_exists(m, (int)id); id++)
			;
	inc = mon_cmd_inc(c);
	if (!inc)
		return c->rc;
	r = 0;
	if (id >= m->max_osd)
		r = osdmap_inc_set_max_osd(inc, (int32_t)id + 1);
	if (!r)
		r = osdmap_inc_osd_create(inc, (int32_t)id, have_uuid ? uuid : NULL);
	if (!r)
		r = osdmap_inc_osd_weight(inc, (int32_t)id, OSDMAP_WEIGHT_IN);
	if (r) {
		osdmap_inc_destroy(inc);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	if (mon_cmd_commit(c, inc))
		return c->rc;
	return reply_osdid(c, (int)id);
}

int mon_cmd_osd_create(struct mon_cmd *c)
{
	return osd_create_common(c, false);
}

int mon_cmd_osd_new(struct mon_cmd *c)
{
	return osd_create_common(c, true);
}

/*
 * The "ids" list of osd rm/in/out/down and the device-class commands:
 * numbers, "osd.N", or "any"/"all"/"*" for every existing OSD.  Writes
 * the ids; returns the count or a negative errno (status set).  What a
 * word that does not parse does is each command's own, as in Ceph (see
 * enum mon_ids_bad).
 */
int mon_cmd_osd_ids(struct mon_cmd *c, int32_t *ids, int max, enum mon_ids_bad bad)
{
	const struct osdmap *m = c->st->osdmap;
	const char *words[MON_MAX_IDS];
	int nw = mon_arg_strv(c, "ids", words, MON_MAX_IDS), n = 0;

	if (nw <= 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'ids'");
	for (int i = 0; i < nw; i++) {
		if (strcmp(words[i], "any") == 0 || strcmp(words[i], "all") == 0 ||
		    strcmp(words[i], "*") == 0) {
			n = 0;
			for (int o = 0; o < m->max_osd && n < max; o++)
				if (osdmap_exists(m, o))
					ids[n++] = o;
			return n;
		}
		if (n == max)
			return mon_cmd_fail(c, -E2BIG, "too many ids");
		if (!mon_parse_osd_id(words[i], &ids[n])) {
			n++;
			continue;
		}
		if (bad == MON_IDS_BAD_FAILS)
			return mon_cmd_fail(c, -EINVAL,
					    "Expected option value to be integer, got '%.400s'invalid osd id-1",
					    words[i]);
		mon_outs_append(c,
				"Expected option value to be integer, got '%.200s', unable to parse "
				"osd id:\"%.200s\". ",
				words[i], words[i]);
		if (bad == MON_IDS_BAD_SAID_FAILS)
			return c->rc = -EINVAL;
	}
	return n;
}

int mon_cmd_osd_rm(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	int32_t ids[MON_MAX_IDS];
	char removed[sizeof(c->outs)] = "";
	struct osdmap_inc *inc = NULL;
	int n = mon_cmd_osd_ids(c, ids, MON_MAX_IDS, MON_IDS_BAD_FAILS), nrm = 0, rc = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		int id = ids[i];

		if (!osdmap_exists(m, id)) {
			mon_outs_append(c, "osd.%d does not exist. ", id);
			continue;
		}
		if (osdmap_is_up(m, id)) {
			mon_outs_append(c, "osd.%d is still up; must be down before removal. ", id);
			rc = -EBUSY;
			continue;
		}
		if (!inc && !(inc = mon_cmd_inc(c)))
			return c->rc;
		if (osdmap_inc_osd_remove(inc, id)) {
			osdmap_inc_destroy(inc);
			return mon_cmd_nomem(c);
		}
		size_t len = strlen(removed);
		snprintf(removed + len, sizeof(removed) - len, "%sosd.%d", nrm++ ? ", " : "removed ",
			 id);
	}
	if (inc) {
		if (mon_cmd_commit(c, inc))
			return c->rc;
		/* A removal is the whole story, as Ceph tells it. */
		snprintf(c->outs, sizeof(c->outs), "%s", removed);
		return 0;
	}
	c->rc = rc;
	return rc;
}

enum osd_mark { MARK_IN, MARK_OUT, MARK_DOWN };

static int osd_mark(struct mon_cmd *c, enum osd_mark what)
{
	const struct osdmap *m = c->st->osdmap;
	int32_t ids[MON_MAX_IDS];
	struct osdmap_inc *inc = NULL;
	int n = mon_cmd_osd_ids(c, ids, MON_MAX_IDS, MON_IDS_BAD_FAILS), r = 0;

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		int id = ids[i];

		if (!osdmap_exists(m, id)) {
			mon_outs_append(c, "osd.%d does not exist. ", id);
			continue;
		}
		if ((what == MARK_IN && osdmap_is_in(m, id)) ||
		    (what == MARK_OUT && !osdmap_is_in(m, id)) ||
		    (what == MARK_DOWN && !osdmap_is_up(m, id))) {
			mon_outs_append(c, what == MARK_IN	  ? "osd.%d is already in. "
				       : what == MARK_OUT ? "osd.%d is already out. "
							  : "osd.%d is already down. ",
				    id);
			continue;
		}
		if (!inc && !(inc = mon_cmd_inc(c)))
			return c->rc;
		if (what == MARK_DOWN)
			r = osdmap_inc_osd_down(inc, id);
		else
			r = osdmap_inc_osd_weight(inc, id,
						  what == MARK_IN ? OSDMAP_WEIGHT_IN : OSDMAP_WEIGHT_OUT);
		if (r) {
			osdmap_inc_destroy(inc);
			return mon_cmd_nomem(c);
		}
		mon_outs_append(c, what == MARK_IN	  ? "marked in osd.%d. "
			       : what == MARK_OUT ? "marked out osd.%d. "
						  : "marked down osd.%d. ",
			    id);
	}
	return inc ? mon_cmd_commit(c, inc) : 0;
}

int mon_cmd_osd_in(struct mon_cmd *c)
{
	return osd_mark(c, MARK_IN);
}

int mon_cmd_osd_out(struct mon_cmd *c)
{
	return osd_mark(c, MARK_OUT);
}

int mon_cmd_osd_down(struct mon_cmd *c)
{
	return osd_mark(c, MARK_DOWN);
}

/* ---- flags ---- */

/* The flags `osd set` takes (Ceph 16 refuses "full" and the rest). */
static const char *const settable_flags[] = {
	"pause",       "noup",	      "nodown",	    "noout",	  "noin",
	"nobackfill",  "norebalance", "norecover",  "noscrub",	  "nodeep-scrub",
	"notieragent", "nosnaptrim",  "pglog_hardlimit",
};

static int osd_flag(struct mon_cmd *c, bool set)
{
	const char *key = mon_arg_str(c, "key");
	uint32_t bits = 0, flags = c->st->osdmap->flags;
	struct osdmap_inc *inc;
	char names[256];

	if (!key)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'key'");
	for (size_t i = 0; i < sizeof(settable_flags) / sizeof(settable_flags[0]); i++)
		if (strcmp(key, settable_flags[i]) == 0 && (set || strcmp(key, "pglog_hardlimit")))
			bits = osdmap_flag_by_name(key);
	if (!bits)
		return mon_cmd_fail(c, -EINVAL, "unrecognized flag '%.900s'", key);
	osdmap_flags_str(bits, names, sizeof(names));
	snprintf(c->outs, sizeof(c->outs), "%s is %s", names, set ? "set" : "unset");
	if ((set && (flags & bits) == bits) || (!set && !(flags & bits)))
		return 0;
	inc = mon_cmd_inc(c);
	if (!inc)
		return c->rc;
	osdmap_inc_set_flags(inc, set ? flags | bits : flags & ~bits);
	return mon_cmd_commit(c, inc);
}

int mon_cmd_osd_set(struct mon_cmd *c)
{
	return osd_flag(c, true);
}

int mon_cmd_osd_unset(struct mon_cmd *c)
{
	return osd_flag(c, false);
}

/* ---- the CRUSH map as a blob ---- */

int mon_cmd_osd_getcrushmap(struct mon_cmd *c)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	if (need_current_epoch(c))
		return c->rc;
	r = crush_map_encode(c->st->osdmap->crush, &buf, &len);
	if (r)
		return mon_cmd_nomem(c);
	r = mon_out_bytes(c, buf, len);
	free(buf);
	/* Ceph 16 reports the CRUSH map's version on stderr. */
	snprintf(c->outs, sizeof(c->outs), "%u", c->st->osdmap->crush_version);
	return r;
}

int mon_cmd_osd_setcrushmap(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	struct crush_map *map = NULL;
	char err[512] = "";
	int64_t prior;
	int r = mon_arg_int(c, "prior_version", &prior);

	if (r < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'prior_version'");
	if (r > 0 && prior != (int64_t)m->crush_version)
		return mon_cmd_fail(c, -EPERM, "prior_version %lld != crush version %u",
				    (long long)prior, m->crush_version);
	if (!c->in || !c->inlen)
		return mon_cmd_fail(c, -EINVAL, "Failed to parse crushmap: no input data");
	r = crush_map_decode(c->in, c->inlen, &map, err, sizeof(err));
	if (r)
		return mon_cmd_fail(c, -EINVAL, "Failed to parse crushmap: %s",
				    err[0] ? err : strerror(-r));
	/* Every pool must keep a rule to map with. */
	for (size_t i = 0; i < m->n_pools; i++) {
		int32_t rule = m->pools[i].crush_rule;

		if (rule < 0 || (uint32_t)rule >= map->max_rules || !map->rules[rule]) {
			crush_map_destroy(map);
			return mon_cmd_fail(c, -EINVAL, "pool %lld uses crush rule %d which the new map lacks",
					    (long long)m->pools[i].id, rule);
		}
	}
	if (mon_cmd_commit_crush(c, map))
		return c->rc;
	snprintf(c->outs, sizeof(c->outs), "%u", c->st->osdmap->crush_version);
	return 0;
}
