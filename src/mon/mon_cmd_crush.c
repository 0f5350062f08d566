/*
 * `ceph osd crush ...`: edits of the CRUSH map held in the osdmap (add,
 * set, remove/rm/unlink, reweight, add-bucket, move, rules, tunables)
 * and its views (dump, tree, ls, rule ls/dump, show-tunables).
 *
 * Each edit works on a private copy of the current map, and commits it
 * as the next epoch only when something changed (the crush_version goes
 * up by one, as in Ceph).  Texts are Ceph 16.2's, with two deliberate
 * differences (docs/monitor-commands.md):
 *  - a location's `pool=NAME` names the root, as in the Ceph of the
 *    seed documents (`ceph osd crush add 4 osd.4 1.0 pool=default
 *    host=daisy`); Ceph 16 ignores that key;
 *  - a malformed location says which word is wrong instead of Ceph's
 *    bare "(22) Invalid argument".
 * `osd crush add` of an item already placed elsewhere moves it (Ceph
 * links it a second time).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"
#include "crush/dump.h"
#include "mon/mon_cmd_internal.h"
#include "osdmap/osdmap.h"

static int loc_cmp(const void *a, const void *b)
{
	const struct crush_loc *x = a, *y = b;

	return strcmp(x->type, y->type);
}

int mon_crush_loc_parse(struct mon_cmd *c, const struct crush_map *map, const char *const *words,
			int n, struct mon_crush_loc *l, bool need_one)
{
	size_t off = 0;

	if (n == 0 && need_one)
		return mon_cmd_fail(c, -EINVAL, "missing location: expected TYPE=NAME in 'args'");
	if (n > MON_CRUSH_LOC_MAX)
		return mon_cmd_fail(c, -E2BIG, "too many location words (at most %d)",
				    MON_CRUSH_LOC_MAX);
	l->n = 0;
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(words[i], '=');
		size_t tlen = eq ? (size_t)(eq - words[i]) : 0;
		int32_t tid;

		if (!eq || !tlen || !eq[1] || tlen >= sizeof(l->buf[0]))
			return mon_cmd_fail(c, -EINVAL,
					    "invalid location '%.200s' in 'args': expected TYPE=NAME",
					    words[i]);
		memcpy(l->buf[i], words[i], tlen);
		l->buf[i][tlen] = 0;
		if (strcmp(l->buf[i], "pool") == 0)
			strcpy(l->buf[i], "root");
		if (crush_names_find(&map->type_names, l->buf[i], &tid) < 0 || tid <= 0)
			return mon_cmd_fail(c, -EINVAL,
					    "invalid location '%.200s' in 'args': no crush type '%.200s'",
					    words[i], l->buf[i]);
		for (size_t j = 0; j < l->n; j++)
			if (strcmp(l->v[j].type, l->buf[i]) == 0)
				return mon_cmd_fail(c, -EINVAL,
						    "invalid location '%.200s' in 'args': type '%.200s' given twice",
						    words[i], l->buf[i]);
		l->v[l->n].type = l->buf[i];
		l->v[l->n].name = eq + 1;
		l->n++;
	}
	qsort(l->v, l->n, sizeof(l->v[0]), loc_cmp);
	l->text[off++] = '{';
	for (size_t i = 0; i < l->n && off < sizeof(l->text); i++)
		off += (size_t)snprintf(l->text + off, sizeof(l->text) - off, "%s%s=%s",
					i ? "," : "", l->v[i].type, l->v[i].name);
	if (off < sizeof(l->text) - 1) {
		l->text[off++] = '}';
		l->text[off] = 0;
	}
	return 0;
}

/*
 * The "args" words TYPE=NAME into a location sorted by type (the order
 * Ceph prints it in).  Every type must exist in the map.  need_one: an
 * empty location is an error.
 */
static int loc_parse(struct mon_cmd *c, const struct crush_map *map, struct mon_crush_loc *l, bool need_one)
{
	const char *words[MON_CRUSH_LOC_MAX];
	int n = mon_arg_strv(c, "args", words, MON_CRUSH_LOC_MAX);

	if (n < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'args'");
	return mon_crush_loc_parse(c, map, words, n, l, need_one);
}

/* A CephFloat weight into 16.16; Ceph's rc for a negative one. */
static int weight_arg(struct mon_cmd *c, double *w, uint32_t *fixed)
{
	int r = mon_arg_float(c, "weight", w);

	if (r <= 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'weight'");
	if (*w < 0 || *w * 0x10000 > (double)CRUSH_MAX_DEVICE_WEIGHT)
		return mon_cmd_fail(c, -EOVERFLOW, "(75) Value too large for defined data type");
	*fixed = (uint32_t)(*w * 0x10000);
	return 0;
}

static int edit_failed(struct mon_cmd *c, struct crush_map *map, int r, const char *err)
{
	crush_map_destroy(map);
	if (err && err[0])
		return mon_cmd_fail(c, r, "%s", err);
	return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
}

/* ---- add / set ---- */

/* The "id" of osd crush add/set: an integer or "osd.N". */
static int item_id_arg(struct mon_cmd *c, int32_t *id, char name[64])
{
	const char *given = mon_arg_str(c, "name");
	int64_t v;
	int r = mon_arg_int(c, "id", &v);

	if (r < 0) {
		if (mon_parse_osd_id(mon_arg_str(c, "id"), id))
			return mon_cmd_fail(c, -EINVAL, "bad or missing field 'id'");
	} else if (r == 0 || v < 0 || v > INT32_MAX) {
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'id'");
	} else {
		*id = (int32_t)v;
	}
	if (given && strlen(given) < 64)
		strcpy(name, given);
	else
		snprintf(name, 64, "osd.%d", *id);
	return 0;
}

static int crush_add_or_set(struct mon_cmd *c, bool add)
{
	const struct osdmap *m = c->st->osdmap;
	struct crush_map *map;
	struct mon_crush_loc l;
	char name[64], err[512] = "";
	uint32_t fw = 0, at_w = 0;
	double w = 0;
	int32_t id;
	int r;

	if (item_id_arg(c, &id, name))
		return c->rc;
	if (!osdmap_exists(m, id))
		return mon_cmd_fail(c, -ENOENT,
				    "osd.%d does not exist. Create it before updating the crush map", id);
	if (weight_arg(c, &w, &fw) || loc_parse(c, m->crush, &l, true))
		return c->rc;
	if (!add && !crush_map_device_in_hierarchy(m->crush, id))
		return mon_cmd_fail(c, -ENOENT,
				    "unable to set item id %d name '%s' weight %g at location %s: does not exist",
				    id, name, w, l.text);
	if (crush_map_item_at_loc(m->crush, id, l.v, l.n, &at_w) && at_w == fw) {
		snprintf(c->outs, sizeof(c->outs),
			 "set item id %d name '%s' weight %g at location %s: no change", id, name, w,
			 l.text);
		return 0;
	}
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	if (add && !crush_map_device_in_hierarchy(map, id)) {
		r = crush_map_insert_item(map, id, fw, name, l.v, l.n, err, sizeof(err));
		snprintf(c->outs, sizeof(c->outs),
			 "add item id %d name '%s' weight %g at location %s to crush map", id, name,
			 w, l.text);
	} else {
		bool here = crush_map_item_at_loc(map, id, l.v, l.n, NULL);

		r = crush_map_update_item(map, id, fw, name, l.v, l.n, err, sizeof(err));
		snprintf(c->outs, sizeof(c->outs), "%s item id %d name '%s' weight %g at location %s to crush map",
			 here || !add ? "set" : "add", id, name, w, l.text);
	}
	if (r < 0) {
		c->outs[0] = 0;
		return edit_failed(c, map, r, err);
	}
	return mon_cmd_commit_crush(c, map);
}

int mon_cmd_crush_add(struct mon_cmd *c)
{
	return crush_add_or_set(c, true);
}

int mon_cmd_crush_set(struct mon_cmd *c)
{
	/* `osd crush set` with a map as input data is setcrushmap's alias. */
	if (!json_object_get(c->args, "id") && c->in && c->inlen)
		return mon_cmd_osd_setcrushmap(c);
	return crush_add_or_set(c, false);
}

/* ---- remove / unlink ---- */

/* Unlink item from `only` (a bucket id) or from every bucket that is not
 * a shadow; bucket weights and shadow trees follow.  Returns the number
 * of links removed. */
static int unlink_item(struct crush_map *map, int32_t item, int32_t only)
{
	int n = 0, r;

	for (int32_t pos = 0; pos < map->max_buckets; pos++) {
		struct crush_bucket *b = map->buckets[pos];
		bool has = false;

		if (!b || (only && b->id != only) || crush_map_is_shadow(map, b->id))
			continue;
		for (uint32_t i = 0; i < b->size; i++)
			has |= b->items[i] == item;
		if (!has)
			continue;
		r = crush_bucket_remove_item(map, b, item);
		if (r < 0)
			return r;
		n++;
	}
	if (n) {
		r = crush_map_reweight(map);
		if (r == 0)
			r = crush_map_populate_classes(map);
		if (r < 0)
			return r;
		crush_map_finalize(map);
	}
	return n;
}

static bool item_linked(const struct crush_map *map, int32_t id, int32_t only)
{
	for (int32_t pos = 0; pos < map->max_buckets; pos++) {
		const struct crush_bucket *b = map->buckets[pos];

		if (!b || (only && b->id != only) || crush_map_is_shadow(map, b->id))
			continue;
		for (uint32_t i = 0; i < b->size; i++)
			if (b->items[i] == id)
				return true;
	}
	return false;
}

static int crush_remove_common(struct mon_cmd *c, bool unlink_only)
{
	const struct crush_map *cur = c->st->osdmap->crush;
	const char *name = mon_arg_str(c, "name"), *anc = mon_arg_str(c, "ancestor");
	int32_t id, anc_id = 0;
	struct crush_map *map;
	char err[512] = "";
	int r;

	if (!name)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'name'");
	if (anc && (crush_map_item_id(cur, anc, &anc_id) < 0 || anc_id >= 0))
		return mon_cmd_fail(c, -ENOENT, "ancestor item '%.400s' does not appear in the crush map",
				    anc);
	if (crush_map_item_id(cur, name, &id) < 0 ||
	    (id >= 0 && !item_linked(cur, id, anc_id)) || (anc && !item_linked(cur, id, anc_id))) {
		snprintf(c->outs, sizeof(c->outs), "device '%.400s' does not appear in the crush map",
			 name);
		return 0;
	}
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	if (anc || unlink_only)
		r = unlink_item(map, id, anc_id);
	else
		r = crush_map_remove_item_named(map, name, err, sizeof(err));
	if (r < 0) {
		err[0] = 0; /* Ceph gives the bare errno text here */
		return edit_failed(c, map, r, err);
	}
	snprintf(c->outs, sizeof(c->outs), "%s item id %d name '%.400s' from crush map",
		 unlink_only ? "unlinked" : "removed", id, name);
	return mon_cmd_commit_crush(c, map);
}

int mon_cmd_crush_remove(struct mon_cmd *c)
{
	return crush_remove_common(c, false);
}

int mon_cmd_crush_unlink(struct mon_cmd *c)
{
	return crush_remove_common(c, true);
}

/* ---- reweight ---- */

int mon_cmd_crush_reweight(struct mon_cmd *c)
{
	const struct crush_map *cur = c->st->osdmap->crush;
	const char *name = mon_arg_str(c, "name");
	struct crush_map *map;
	char err[512] = "";
	uint32_t fw = 0;
	double w = 0;
	int32_t id;
	int r;

	if (!name)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'name'");
	if (crush_map_item_id(cur, name, &id) < 0 ||
	    (id >= 0 && !crush_map_device_in_hierarchy(cur, id)))
		return mon_cmd_fail(c, -ENOENT, "device '%.400s' does not appear in the crush map",
				    name);
	if (id < 0)
		return mon_cmd_fail(c, -EINVAL, "device '%.400s' is not a leaf in the crush map", name);
	if (weight_arg(c, &w, &fw))
		return c->rc;
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	r = crush_map_reweight_item_named(map, name, fw, err, sizeof(err));
	if (r < 0)
		return edit_failed(c, map, r, err);
	snprintf(c->outs, sizeof(c->outs), "reweighted item id %d name '%.400s' to %g in crush map",
		 id, name, w);
	return mon_cmd_commit_crush(c, map);
}

/* ---- buckets ---- */

int mon_cmd_crush_add_bucket(struct mon_cmd *c)
{
	const struct crush_map *cur = c->st->osdmap->crush;
	const char *name = mon_arg_str(c, "name"), *type = mon_arg_str(c, "type");
	struct crush_map *map;
	char err[512] = "";
	int32_t id, tid;
	struct mon_crush_loc l;
	int r;

	if (!name || !*name)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'name'");
	if (!type)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'type'");
	if (crush_map_item_id(cur, name, &id) == 0) {
		snprintf(c->outs, sizeof(c->outs), "bucket '%.400s' already exists", name);
		return 0;
	}
	if (crush_names_find(&cur->type_names, type, &tid) < 0 || tid <= 0)
		return mon_cmd_fail(c, -EINVAL, "type '%.400s' does not exist", type);
	if (loc_parse(c, cur, &l, false))
		return c->rc;
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	r = crush_map_add_bucket_named(map, name, type, l.v, l.n, &id, err, sizeof(err));
	if (r < 0)
		return edit_failed(c, map, r, err);
	if (l.n)
		snprintf(c->outs, sizeof(c->outs), "added bucket %.400s type %.100s to location %s",
			 name, type, l.text);
	else
		snprintf(c->outs, sizeof(c->outs), "added bucket %.400s type %.100s to crush map",
			 name, type);
	return mon_cmd_commit_crush(c, map);
}

int mon_cmd_crush_move(struct mon_cmd *c)
{
	const struct crush_map *cur = c->st->osdmap->crush;
	const char *name = mon_arg_str(c, "name");
	struct crush_map *map;
	char err[512] = "";
	struct mon_crush_loc l;
	int32_t id;
	int r;

	if (!name)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'name'");
	if (crush_map_item_id(cur, name, &id) < 0)
		return mon_cmd_fail(c, -ENOENT, "item %.400s does not exist", name);
	if (loc_parse(c, cur, &l, true))
		return c->rc;
	if (crush_map_item_at_loc(cur, id, l.v, l.n, NULL)) {
		snprintf(c->outs, sizeof(c->outs),
			 "no need to move item id %d name '%.400s' to location %s in crush map", id,
			 name, l.text);
		return 0;
	}
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	r = crush_map_move_named(map, name, l.v, l.n, err, sizeof(err));
	if (r < 0)
		return edit_failed(c, map, r, err);
	snprintf(c->outs, sizeof(c->outs), "moved item id %d name '%.400s' to location %s in crush map",
		 id, name, l.text);
	return mon_cmd_commit_crush(c, map);
}

/* ---- create-or-move ---- */

/* The weight of a device in the first (non-shadow) bucket holding it. */
static bool device_weight(const struct crush_map *map, int32_t id, uint32_t *w)
{
	for (int32_t pos = 0; pos < map->max_buckets; pos++) {
		const struct crush_bucket *b = map->buckets[pos];

		if (!b || crush_map_is_shadow(map, b->id))
			continue;
		for (uint32_t i = 0; i < b->size; i++) {
			if (b->items[i] == id) {
				*w = b->item_weights[i];
				return true;
			}
		}
	}
	return false;
}

int mon_crush_create_or_move(struct crush_map *map, int32_t id, uint32_t weight,
			     const struct mon_crush_loc *l, enum mon_crush_placed *what, char *err,
			     size_t errlen)
{
	char name[32];
	uint32_t cur = weight;
	int r;

	*what = MON_CRUSH_UNCHANGED;
	snprintf(name, sizeof(name), "osd.%d", id);
	if (!crush_map_device_in_hierarchy(map, id)) {
		r = crush_map_insert_item(map, id, weight, name, l->v, l->n, err, errlen);
		if (r < 0)
			return r;
		*what = MON_CRUSH_CREATED;
		return 0;
	}
	if (crush_map_item_at_loc(map, id, l->v, l->n, NULL))
		return 0;
	device_weight(map, id, &cur);
	r = crush_map_update_item(map, id, cur, name, l->v, l->n, err, errlen);
	if (r < 0)
		return r;
	*what = MON_CRUSH_MOVED;
	return 0;
}

int mon_cmd_crush_create_or_move(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	enum mon_crush_placed what;
	struct mon_crush_loc l;
	struct crush_map *map;
	char name[64], err[512] = "";
	uint32_t fw = 0;
	double w = 0;
	int32_t id;
	int r;

	if (item_id_arg(c, &id, name))
		return c->rc;
	if (!osdmap_exists(m, id))
		return mon_cmd_fail(c, -ENOENT,
				    "osd.%d does not exist.  create it before updating the crush map", id);
	if (weight_arg(c, &w, &fw) || loc_parse(c, m->crush, &l, true))
		return c->rc;
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	r = mon_crush_create_or_move(map, id, fw, &l, &what, err, sizeof(err));
	if (r < 0)
		return edit_failed(c, map, r, err);
	snprintf(c->outs, sizeof(c->outs),
		 "create-or-move %s item name 'osd.%d' weight %g at location %s to crush map",
		 what == MON_CRUSH_UNCHANGED ? "updated" : "updating", id, w, l.text);
	if (what == MON_CRUSH_UNCHANGED) {
		crush_map_destroy(map);
		return 0;
	}
	return mon_cmd_commit_crush(c, map);
}

/* ---- rules ---- */

static int rule_create(struct mon_cmd *c, const char *device_class, const char *mode)
{
	const struct crush_map *cur = c->st->osdmap->crush;
	const char *name = mon_arg_str(c, "name"), *root = mon_arg_str(c, "root");
	const char *type = mon_arg_str(c, "type");
	struct crush_map *map;
	char err[512] = "";
	int32_t tid;
	int r;

	if (!name || !root || !type)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field '%s'",
				    !name ? "name" : !root ? "root" : "type");
	if (crush_map_rule_by_name(cur, name) >= 0) {
		snprintf(c->outs, sizeof(c->outs), "rule %.400s already exists", name);
		return 0;
	}
	if (crush_map_item_id(cur, root, &tid) < 0)
		return mon_cmd_fail(c, -ENOENT, "root item %.400s does not exist", root);
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	r = crush_map_add_simple_rule(map, name, root, type, device_class, mode,
				      CRUSH_RULE_TYPE_REPLICATED, err, sizeof(err));
	if (r < 0)
		return edit_failed(c, map, r == -ENOENT ? -ENOENT : -EINVAL, err);
	return mon_cmd_commit_crush(c, map);
}

int mon_cmd_crush_rule_create_replicated(struct mon_cmd *c)
{
	return rule_create(c, mon_arg_str(c, "class"), "firstn");
}

int mon_cmd_crush_rule_create_simple(struct mon_cmd *c)
{
	const char *mode = mon_arg_str(c, "mode");

	return rule_create(c, NULL, mode ? mode : "firstn");
}

int mon_cmd_crush_rule_rm(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *name = mon_arg_str(c, "name");
	struct crush_map *map;
	char err[512] = "";
	int rule, r;

	if (!name)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'name'");
	rule = crush_map_rule_by_name(m->crush, name);
	if (rule < 0) {
		snprintf(c->outs, sizeof(c->outs), "rule %.400s does not exist", name);
		return 0;
	}
	for (size_t i = 0; i < m->n_pools; i++)
		if (m->pools[i].crush_rule == rule)
			return mon_cmd_fail(c, -EBUSY, "crush ruleset %.400s %d is in use", name, rule);
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	r = crush_map_remove_rule_named(map, name, err, sizeof(err));
	if (r < 0)
		return edit_failed(c, map, r, err);
	return mon_cmd_commit_crush(c, map);
}

/* The map's JSON (crush_dump_json), parsed back so parts of it can be
 * printed: the text is the CRUSH library's, Ceph's layout. */
static json_t *crush_json(const struct crush_map *map)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *j = NULL;
	int r;

	if (!f)
		return NULL;
	r = crush_dump_json(map, "json", f);
	fclose(f);
	if (!r)
		j = json_loadb(buf, len, JSON_DECODE_ANY, NULL);
	free(buf);
	return j;
}

int mon_cmd_crush_rule_ls(struct mon_cmd *c)
{
	const struct crush_map *map = c->st->osdmap->crush;
	json_t *a;

	if (!mon_fmt_is_json(c)) {
		for (uint32_t i = 0; i < map->max_rules; i++) {
			const char *n = map->rules[i] ? crush_names_get(&map->rule_names, (int32_t)i)
						      : NULL;
			if (n)
				mon_out_printf(c, "%s\n", n);
		}
		return enc_buf_error(&c->out);
	}
	a = json_array();
	for (uint32_t i = 0; i < map->max_rules; i++) {
		const char *n = map->rules[i] ? crush_names_get(&map->rule_names, (int32_t)i) : NULL;
		if (n)
			json_array_append_new(a, json_string(n));
	}
	return mon_out_json_fmt(c, a);
}

int mon_cmd_crush_rule_dump(struct mon_cmd *c)
{
	const char *name = mon_arg_str(c, "name");
	json_t *all = crush_json(c->st->osdmap->crush), *rules, *one = NULL, *r;
	size_t i;

	if (!all)
		return mon_cmd_nomem(c);
	rules = json_object_get(all, "rules");
	if (!name) {
		json_incref(rules);
		json_decref(all);
		return mon_out_json_fmt_nl(c, rules ? rules : json_array());
	}
	json_array_foreach(rules, i, r) {
		const char *n = json_string_value(json_object_get(r, "rule_name"));
		if (n && strcmp(n, name) == 0)
			one = json_incref(r);
	}
	json_decref(all);
	if (!one)
		return mon_cmd_fail(c, -ENOENT, "unknown crush rule '%.400s'", name);
	return mon_out_json_fmt_nl(c, one);
}

/* ---- tunables and whole-map views ---- */

int mon_cmd_crush_tunables(struct mon_cmd *c)
{
	const char *profile = mon_arg_str(c, "profile");
	struct crush_tunables t = c->st->osdmap->crush->t;
	struct crush_map *map;

	if (!profile || crush_tunables_set_profile(&t, profile))
		return mon_cmd_fail(c, -EINVAL, "unrecognized profile '%.400s'",
				    profile ? profile : "");
	snprintf(c->outs, sizeof(c->outs), "adjusted tunables profile to %.400s", profile);
	if (!memcmp(&t, &c->st->osdmap->crush->t, sizeof(t)))
		return 0;
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	map->t = t;
	return mon_cmd_commit_crush(c, map);
}

int mon_cmd_crush_show_tunables(struct mon_cmd *c)
{
	json_t *all = crush_json(c->st->osdmap->crush), *t;

	if (!all)
		return mon_cmd_nomem(c);
	t = json_incref(json_object_get(all, "tunables"));
	json_decref(all);
	return mon_out_json_fmt_nl(c, t ? t : json_object());
}

int mon_cmd_crush_dump(struct mon_cmd *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	enum mon_format fmt = mon_fmt_json_default(c, MON_FORMAT_JSON_PRETTY);
	int r;

	if (!f)
		return mon_cmd_nomem(c);
	r = crush_dump_json(c->st->osdmap->crush, fmt == MON_FORMAT_JSON ? "json" : "json-pretty",
			    f);
	fclose(f);
	if (!r)
		r = mon_out_bytes(c, buf, len);
	free(buf);
	return r ? mon_cmd_nomem(c) : 0;
}

static int print_crush_tree(void *arg, FILE *out)
{
	return crush_dump_tree(arg, out);
}

/* `osd crush tree` JSON: `osd tree` without the OSD states, no strays. */
static json_t *crush_tree_json(const struct osdmap *m)
{
	static const char *const osd_only[] = { "exists", "status", "reweight",
						"primary_affinity" };
	json_t *t = osdmap_json_tree(m), *nodes, *n;
	size_t i;

	if (!t)
		return NULL;
	nodes = json_object_get(t, "nodes");
	json_array_foreach(nodes, i, n)
		for (size_t k = 0; k < sizeof(osd_only) / sizeof(osd_only[0]); k++)
			json_object_del(n, osd_only[k]);
	json_object_set_new(t, "stray", json_array());
	return t;
}

int mon_cmd_crush_tree(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *shadow = mon_arg_str(c, "shadow");
	struct crush_map *copy;
	int r;

	if (mon_fmt_is_json(c))
		return mon_out_json_fmt(c, crush_tree_json(m));
	if (shadow && strcmp(shadow, "--show-shadow") == 0)
		return mon_out_print(c, print_crush_tree, (void *)m->crush);
	/* Without --show-shadow the per-class trees are left out, and the
	 * columns are as wide as what is shown. */
	copy = mon_cmd_crush_copy(c);
	if (!copy)
		return c->rc;
	r = crush_map_trim_shadows(copy);
	if (!r)
		r = mon_out_print(c, print_crush_tree, copy);
	crush_map_destroy(copy);
	return r ? mon_cmd_nomem(c) : 0;
}

int mon_cmd_crush_ls(struct mon_cmd *c)
{
	const struct crush_map *map = c->st->osdmap->crush;
	const char *node = mon_arg_str(c, "node");
	const struct crush_bucket *b;
	json_t *a = NULL;
	int32_t id;

	if (!node)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'node'");
	if (crush_map_item_id(map, node, &id) < 0)
		return mon_cmd_fail(c, -ENOENT, "node '%.400s' does not exist", node);
	b = crush_map_bucket(map, id);
	if (!b)
		return mon_cmd_fail(c, -EINVAL, "node '%.400s' is not a bucket", node);
	if (mon_fmt_is_json(c))
		a = json_array();
	for (uint32_t i = 0; i < b->size; i++) {
		const char *n = crush_names_get(&map->item_names, b->items[i]);

		if (a)
			json_array_append_new(a, json_string(n ? n : ""));
		else
			mon_out_printf(c, "%s\n", n ? n : "");
	}
	return a ? mon_out_json_fmt(c, a) : enc_buf_error(&c->out);
}
