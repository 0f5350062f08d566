/*
 * `ceph osd crush ...` for device classes: set-device-class,
 * rm-device-class, get-device-class, class create/rm/rename/ls/ls-osd
 * and rule ls-by-class.
 *
 * A class is a name in the CRUSH map's class table; a device has at most
 * one (the class map); the per-class shadow trees ("default~ssd") are
 * rebuilt from both after every edit (crush_map_populate_classes), keeping
 * the ids they had.  Behaviour and texts are Ceph 16.2's, recorded in
 * tests/data/mon/ceph16_replies_7.json:
 *  - set-device-class never changes a class a device already has (EBUSY:
 *    rm-device-class first); ids that do not exist or do not parse are
 *    reported and skipped, not errors;
 *  - a class left with no device and no rule after rm-device-class is
 *    dropped from the table; `class rm` drops a class no rule uses, with
 *    its devices' bindings; `class create` makes an empty one.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"
#include "mon/mon_cmd_internal.h"
#include "osdmap/osdmap.h"

/* Append ",N" (or "N" first) to a list of ids being built. */
static void list_add(char *list, size_t len, int32_t id)
{
	size_t n = strlen(list);

	if (n + 1 < len)
		snprintf(list + n, len - n, "%s%d", n ? "," : "", id);
}

/* Does rule r take one of the class's shadow trees? */
static bool rule_takes_class(const struct crush_map *map, uint32_t r, int32_t class_id)
{
	const struct crush_rule *rule = map->rules[r];

	for (uint32_t s = 0; rule && s < rule->len; s++) {
		if (rule->steps[s].op != CRUSH_RULE_TAKE)
			continue;
		for (size_t k = 0; k < map->n_class_buckets; k++)
			if (map->class_buckets[k].shadow == rule->steps[s].arg1 &&
			    map->class_buckets[k].class_id == class_id)
				return true;
	}
	return false;
}

/* Is the class taken by some rule?  names gets them as 'a','b'. */
static bool class_in_rule(const struct crush_map *map, int32_t class_id, char *names, size_t len)
{
	bool used = false;

	if (names && len)
		names[0] = 0;
	for (uint32_t r = 0; r < map->max_rules; r++) {
		if (!rule_takes_class(map, r, class_id))
			continue;
		if (names && len) {
			const char *n = crush_names_get(&map->rule_names, (int32_t)r);
			size_t at = strlen(names);

			snprintf(names + at, len - at, "%s'%s'", used ? "," : "", n ? n : "?");
		}
		used = true;
	}
	return used;
}

static bool class_has_devices(const struct crush_map *map, int32_t class_id)
{
	for (size_t i = 0; i < map->class_map.n; i++)
		if (map->class_map.v[i].key >= 0 && map->class_map.v[i].val == class_id)
			return true;
	return false;
}

/* Drop a class: its name, its devices' bindings and its shadows' ids. */
static int class_drop(struct crush_map *map, int32_t class_id)
{
	size_t k = 0;

	for (size_t i = 0; i < map->class_map.n;) {
		if (map->class_map.v[i].key >= 0 && map->class_map.v[i].val == class_id)
			crush_pairs_remove(&map->class_map, map->class_map.v[i].key);
		else
			i++;
	}
	for (size_t i = 0; i < map->n_class_buckets; i++)
		if (map->class_buckets[i].class_id != class_id)
			map->class_buckets[k++] = map->class_buckets[i];
	map->n_class_buckets = k;
	crush_names_remove(&map->class_names, class_id);
	return crush_map_populate_classes(map);
}

static int commit(struct mon_cmd *c, struct crush_map *map, int r)
{
	if (r < 0) {
		crush_map_destroy(map);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	crush_map_finalize(map);
	return mon_cmd_commit_crush(c, map);
}

int mon_cmd_crush_set_device_class(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *cls = mon_arg_str(c, "class");
	struct crush_map *map = NULL;
	int32_t ids[MON_MAX_IDS];
	char done[sizeof(c->outs)] = "";
	int32_t class_id = -1, have;
	int n, r = 0;

	if (!cls || !*cls || strchr(cls, '~') || strchr(cls, ' '))
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'class'");
	n = mon_cmd_osd_ids(c, ids, MON_MAX_IDS, MON_IDS_BAD_SAID);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		const struct crush_map *cur = map ? map : m->crush;
		int32_t id = ids[i];

		if (!osdmap_exists(m, id)) {
			mon_outs_append(c, "osd.%d does not exist. ", id);
			continue;
		}
		if (crush_map_item_class(cur, id, &have) == 0) {
			const char *hn = crush_names_get(&cur->class_names, have);

			if (hn && !strcmp(hn, cls)) {
				mon_outs_append(c,
					 "osd.%d already set to class %s. set-device-class item id %d "
					 "name 'osd.%d' device_class '%s': no change. ",
					 id, cls, id, id, cls);
				continue;
			}
			crush_map_destroy(map);
			return mon_cmd_fail(c, -EBUSY,
					    "osd.%d has already bound to class '%s', can not reset "
					    "class to '%s'; use 'ceph osd crush rm-device-class <id>' "
					    "to remove old class first",
					    id, hn ? hn : "?", cls);
		}
		if (!map) {
			map = mon_cmd_crush_copy(c);
			if (!map)
				return c->rc;
			r = crush_class_get_or_create(map, cls, &class_id);
			if (r < 0)
				break;
		}
		r = crush_pairs_set(&map->class_map, id, class_id);
		if (r < 0)
			break;
		list_add(done, sizeof(done), id);
	}
	mon_outs_append(c, "set osd(s) %s to class '%s'", done, cls);
	if (!map)
		return 0;
	if (r >= 0)
		r = crush_map_populate_classes(map);
	return commit(c, map, r);
}

int mon_cmd_crush_rm_device_class(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	struct crush_map *map = NULL;
	int32_t ids[MON_MAX_IDS];
	char done[sizeof(c->outs)] = "";
	int n, r = 0;

	n = mon_cmd_osd_ids(c, ids, MON_MAX_IDS, MON_IDS_BAD_SAID_FAILS);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		const struct crush_map *cur = map ? map : m->crush;
		int32_t id = ids[i], have;

		if (!osdmap_exists(m, id)) {
			mon_outs_append(c, "osd.%d does not exist. ", id);
			continue;
		}
		if (crush_map_item_class(cur, id, &have) < 0) {
			mon_outs_append(c, "osd.%d belongs to no class, ", id);
			continue;
		}
		if (!map) {
			map = mon_cmd_crush_copy(c);
			if (!map)
				return c->rc;
		}
		crush_pairs_remove(&map->class_map, id);
		list_add(done, sizeof(done), id);
	}
	mon_outs_append(c, "done removing class of osd(s): %s", done);
	if (!map)
		return 0;
	/* classes nothing uses any more go with their last device */
	for (size_t i = 0; i < map->class_names.n && r >= 0;) {
		int32_t cid = map->class_names.v[i].id;

		if (!class_has_devices(map, cid) && !class_in_rule(map, cid, NULL, 0) &&
		    class_has_devices(m->crush, cid)) {
			r = class_drop(map, cid);
			continue;
		}
		i++;
	}
	if (r >= 0)
		r = crush_map_populate_classes(map);
	return commit(c, map, r);
}

int mon_cmd_crush_get_device_class(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *words[MON_MAX_IDS];
	int nw = mon_arg_strv(c, "ids", words, MON_MAX_IDS);
	bool json = mon_fmt_is_json(c);
	json_t *a = json ? json_array() : NULL;

	if (nw <= 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'ids'");
	if (json && !a)
		return mon_cmd_nomem(c);
	for (int i = 0; i < nw; i++) {
		int32_t id, cid;
		const char *cn = NULL;

		if (mon_parse_osd_id(words[i], &id)) {
			json_decref(a);
			return mon_cmd_fail(c, -EINVAL, "unable to parse osd id:'%.400s'", words[i]);
		}
		if (!osdmap_exists(m, id))
			continue;
		if (crush_map_item_class(m->crush, id, &cid) == 0)
			cn = crush_names_get(&m->crush->class_names, cid);
		if (json)
			json_array_append_new(a, json_pack("{s:i, s:s}", "osd", id, "device_class",
							   cn ? cn : ""));
		else
			mon_out_printf(c, "osd.%d %s\n", id, cn ? cn : "");
	}
	return json ? mon_out_json_fmt(c, a) : enc_buf_error(&c->out);
}

int mon_cmd_crush_class_create(struct mon_cmd *c)
{
	const char *cls = mon_arg_str(c, "class");
	struct crush_map *map;
	int32_t id;
	int r;

	if (!cls || !*cls)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'class'");
	if (crush_names_find(&c->st->osdmap->crush->class_names, cls, &id) == 0) {
		snprintf(c->outs, sizeof(c->outs), "class '%.400s' already exists", cls);
		return 0;
	}
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	/* only the name: its shadow trees come with the next rebuild, as in Ceph */
	r = crush_class_get_or_create(map, cls, &id);
	if (r >= 0)
		snprintf(c->outs, sizeof(c->outs), "created class %.400s with id %d to crush map",
			 cls, id);
	return commit(c, map, r);
}

int mon_cmd_crush_class_rm(struct mon_cmd *c)
{
	const struct crush_map *cur = c->st->osdmap->crush;
	const char *cls = mon_arg_str(c, "class");
	char rules[512];
	struct crush_map *map;
	int32_t id;
	int r;

	if (!cls || !*cls)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'class'");
	if (crush_names_find(&cur->class_names, cls, &id) < 0)
		return 0;
	if (class_in_rule(cur, id, rules, sizeof(rules)))
		return mon_cmd_fail(c, -EBUSY, "class '%.200s' still referenced by crush_rule(s): %s",
				    cls, rules);
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	r = class_drop(map, id);
	if (r >= 0)
		snprintf(c->outs, sizeof(c->outs), "removed class %.400s with id %d from crush map",
			 cls, id);
	return commit(c, map, r);
}

int mon_cmd_crush_class_rename(struct mon_cmd *c)
{
	const struct crush_map *cur = c->st->osdmap->crush;
	const char *src = mon_arg_str(c, "srcname"), *dst = mon_arg_str(c, "dstname");
	struct crush_map *map;
	int32_t id, other;
	int r;

	if (!src || !dst || !*dst)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field '%s'",
				    !src ? "srcname" : "dstname");
	if (crush_names_find(&cur->class_names, src, &id) < 0)
		return mon_cmd_fail(c, -ENOENT, "fail to rename '%.200s' to '%.200s' : (2) %s", src,
				    dst, strerror(ENOENT));
	if (crush_names_find(&cur->class_names, dst, &other) == 0)
		return mon_cmd_fail(c, -EEXIST, "fail to rename '%.200s' to '%.200s' : (17) %s", src,
				    dst, strerror(EEXIST));
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	crush_names_remove(&map->class_names, id);
	r = crush_names_set(&map->class_names, id, dst);
	if (r >= 0)
		r = crush_map_populate_classes(map);
	if (r >= 0)
		snprintf(c->outs, sizeof(c->outs), "rename class '%.200s' to '%.200s'", src, dst);
	return commit(c, map, r);
}

int mon_cmd_crush_class_ls(struct mon_cmd *c)
{
	const struct crush_map *map = c->st->osdmap->crush;
	json_t *a = json_array();

	if (!a)
		return mon_cmd_nomem(c);
	for (size_t i = 0; i < map->class_names.n; i++)
		json_array_append_new(a, json_string(map->class_names.v[i].name));
	return mon_out_json_fmt(c, a);
}

int mon_cmd_crush_class_ls_osd(struct mon_cmd *c)
{
	const struct crush_map *map = c->st->osdmap->crush;
	const char *cls = mon_arg_str(c, "class");
	bool json = mon_fmt_is_json(c);
	json_t *a = json ? json_array() : NULL;
	int32_t id = -1;

	if (!cls)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'class'");
	if (json && !a)
		return mon_cmd_nomem(c);
	if (crush_names_find(&map->class_names, cls, &id) < 0) {
		json_decref(a);
		return 0;
	}
	for (size_t i = 0; i < map->class_map.n; i++) {
		const struct crush_pair *p = &map->class_map.v[i];

		if (p->key < 0 || p->val != id)
			continue;
		if (json)
			json_array_append_new(a, json_integer(p->key));
		else
			mon_out_printf(c, "%d\n", p->key);
	}
	return json ? mon_out_json_fmt(c, a) : enc_buf_error(&c->out);
}

int mon_cmd_crush_rule_ls_by_class(struct mon_cmd *c)
{
	const struct crush_map *map = c->st->osdmap->crush;
	const char *cls = mon_arg_str(c, "class");
	bool json = mon_fmt_is_json(c);
	json_t *a;
	int32_t id;

	if (!cls)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'class'");
	if (crush_names_find(&map->class_names, cls, &id) < 0)
		return mon_cmd_fail(c, -ENOENT, "failed to get rules by class '%.400s'", cls);
	a = json_array();
	if (!a)
		return mon_cmd_nomem(c);
	for (uint32_t r = 0; r < map->max_rules; r++) {
		const char *n = map->rules[r] ? crush_names_get(&map->rule_names, (int32_t)r) : NULL;

		if (!n || !rule_takes_class(map, r, id))
			continue;
		if (json)
			json_array_append_new(a, json_string(n));
		else
			mon_out_printf(c, "%s\n", n);
	}
	if (json)
		return mon_out_json_fmt(c, a);
	json_decref(a);
	return enc_buf_error(&c->out);
}
