/*
 * Editing a CRUSH map by name: the operations behind crushtool's
 * --add-item, --update-item, --remove-item, --reweight-item, --add-bucket,
 * --move, --create-*-rule, --remove-rule and --show-location, and behind
 * the monitor's `osd crush` commands.  Each edit leaves the map as Ceph
 * 16.2 would: same bucket ids, item order, weights, names and rules.
 *
 * DESIGN NOTES
 *  1. A location is a set of (type name, bucket name) pairs; when a type
 *     is given twice the last pair wins, as in Ceph's std::map.  Types
 *     are walked from the lowest id up (type 0, the device type, never
 *     names a bucket); missing buckets are created empty, with the map's
 *     preferred algorithm, until the first bucket that already exists,
 *     where the item is linked and the walk stops.
 *  2. An item is linked with weight 0 and then reweighted in its new
 *     bucket; a change of a bucket's weight is pushed into every bucket
 *     holding it, recursively.  Shadow ("host~ssd") buckets are not
 *     edited here but rebuilt from the class map afterwards, except by
 *     --reweight-item, which (as in Ceph) reweights them in place.
 *  3. Every check an insert can fail is made in a dry run before the map
 *     is touched, so a failed edit leaves the map unchanged (Ceph does not
 *     promise this; the monitor relies on it).  Only -ENOMEM can leave a
 *     half-made edit.
 *  4. choose_args follow each edit: a linked item gets a weight-set entry
 *     (and its own id in `ids`), an unlinked one loses it, a reweighted
 *     one gets the new weight at every position; then every bucket's
 *     entries for child buckets are recomputed bottom-up as the sums of
 *     the child's weight set, and buckets without a weight set get one
 *     made from their item weights.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/errbuf.h"
#include "crush.h"

/* Deeper than any sane hierarchy: beyond this we assume a cycle. */
#define EDIT_MAX_DEPTH 128

/* Ceph's rule for item, bucket and type names: [A-Za-z0-9_.-]+ */
static bool name_is_valid(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* ---- locations ---- */

/* The bucket name a location gives for a type: the last pair wins. */
static const char *loc_lookup(const struct crush_loc *loc, size_t nloc, const char *type)
{
	const char *found = NULL;
	for (size_t i = 0; i < nloc; i++)
		if (loc[i].type && strcmp(loc[i].type, type) == 0)
			found = loc[i].name;
	return found;
}

/* "{host=a,root=b}": sorted by type name, duplicates resolved, as Ceph
 * prints a location in its messages. */
static void loc_format(const struct crush_loc *loc, size_t nloc, char *buf, size_t len)
{
	const char *prev = NULL;
	size_t off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "{");
	for (;;) {
		/* next type name after prev, in strcmp order */
		const char *next = NULL;
		for (size_t i = 0; i < nloc; i++) {
			const char *t = loc[i].type ? loc[i].type : "";
			if (prev && strcmp(t, prev) <= 0)
				continue;
			if (!next || strcmp(t, next) < 0)
				next = t;
		}
		if (!next)
			break;
		const char *name = loc_lookup(loc, nloc, next);
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%s=%s",
					prev ? "," : "", next, name ? name : "");
		prev = next;
	}
	snprintf(buf + off, off < len ? len - off : 0, "}");
}

static int loc_validate(const struct crush_loc *loc, size_t nloc, char *err, size_t errlen)
{
	for (size_t i = 0; i < nloc; i++) {
		const char *t = loc[i].type ? loc[i].type : "";
		const char *n = loc[i].name ? loc[i].name : "";
		if (!name_is_valid(t) || !name_is_valid(n)) {
			err_set(err, errlen,
				"loc[%s] = '%s' not a valid crush name ([A-Za-z0-9_-.]+)", t, n);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- buckets ---- */

static struct crush_bucket *bucket_get(struct crush_map *map, int32_t id)
{
	return (struct crush_bucket *)crush_map_bucket(map, id);
}

static int bucket_index_of(const struct crush_bucket *b, int32_t item)
{
	for (uint32_t i = 0; i < b->size; i++)
		if (b->items[i] == item)
			return (int)i;
	return -1;
}

/* New buckets get the first of straw2, straw, tree, list, uniform that
 * the tunables allow, as Ceph's default bucket algorithm. */
static int default_bucket_alg(const struct crush_map *map)
{
	static const int pref[] = { CRUSH_BUCKET_STRAW2, CRUSH_BUCKET_STRAW,
				    CRUSH_BUCKET_TREE, CRUSH_BUCKET_LIST,
				    CRUSH_BUCKET_UNIFORM };
	for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++)
		if (map->t.allowed_bucket_algs & (1u << pref[i]))
			return pref[i];
	return -EINVAL;
}

/* Is item somewhere in the subtree rooted at root (root itself counts)? */
static bool subtree_contains(const struct crush_map *map, int32_t root, int32_t item,
			     int depth)
{
	if (root == item)
		return true;
	if (root >= 0 || depth > EDIT_MAX_DEPTH)
		return false;
	const struct crush_bucket *b = crush_map_bucket(map, root);
	if (!b)
		return false;
	for (uint32_t i = 0; i < b->size; i++)
		if (subtree_contains(map, b->items[i], item, depth + 1))
			return true;
	return false;
}

static bool classes_present(const struct crush_map *map)
{
	return map->class_map.n > 0 || map->n_class_buckets > 0;
}

/* ---- choose_args bookkeeping ---- */

static struct crush_choose_arg *cargs_for(struct crush_choose_arg_map *cam, int32_t bucket)
{
	int64_t pos = -1 - (int64_t)bucket;
	if (pos < 0 || pos >= (int64_t)cam->size)
		return NULL;
	return &cam->args[pos];
}

/* Item just appended by crush_bucket_add_item at index idx (old size idx). */
static int cargs_link(struct crush_map *map, const struct crush_bucket *b, uint32_t idx,
		      int32_t item, uint32_t weight)
{
	for (size_t c = 0; c < map->n_choose_args; c++) {
		struct crush_choose_arg *a = cargs_for(&map->choose_args[c], b->id);
		if (!a)
			continue;
		for (uint32_t p = 0; p < a->weight_set_positions; p++) {
			struct crush_weight_set *ws = &a->weight_set[p];
			if (ws->size != idx)
				continue; /* inconsistent; the update pass rebuilds it */
			uint32_t *nw = realloc(ws->weights, sizeof(uint32_t) * (idx + 1));
			if (!nw)
				return -ENOMEM;
			nw[idx] = weight;
			ws->weights = nw;
			ws->size = idx + 1;
		}
		if (a->ids && a->ids_size == idx) {
			int32_t *ni = realloc(a->ids, sizeof(int32_t) * (idx + 1));
			if (!ni)
				return -ENOMEM;
			ni[idx] = item;
			a->ids = ni;
			a->ids_size = idx + 1;
		}
	}
	return 0;
}

/* The item at idx left a bucket that had old_size items and now has
 * b->size (a tree bucket may keep a hole instead of shrinking). */
static void cargs_unlink(struct crush_map *map, const struct crush_bucket *b, uint32_t idx,
			 uint32_t old_size)
{
	bool hole = b->size == old_size || (b->alg == CRUSH_BUCKET_TREE && idx < b->size);

	for (size_t c = 0; c < map->n_choose_args; c++) {
		struct crush_choose_arg *a = cargs_for(&map->choose_args[c], b->id);
		if (!a)
			continue;
		for (uint32_t p = 0; p < a->weight_set_positions; p++) {
			struct crush_weight_set *ws = &a->weight_set[p];
			if (idx >= ws->size)
				continue;
			if (hole) {
				ws->weights[idx] = 0;
			} else {
				memmove(&ws->weights[idx], &ws->weights[idx + 1],
					sizeof(uint32_t) * (ws->size - idx - 1));
				ws->size--;
				if (ws->size > b->size)
					ws->size = b->size;
			}
		}
		if (a->ids && idx < a->ids_size) {
			if (hole) {
				a->ids[idx] = 0;
			} else {
				memmove(&a->ids[idx], &a->ids[idx + 1],
					sizeof(int32_t) * (a->ids_size - idx - 1));
				a->ids_size--;
				if (a->ids_size > b->size)
					a->ids_size = b->size;
			}
		}
	}
}

static void cargs_set_weight(struct crush_map *map, const struct crush_bucket *b,
			     uint32_t idx, uint32_t weight)
{
	for (size_t c = 0; c < map->n_choose_args; c++) {
		struct crush_choose_arg *a = cargs_for(&map->choose_args[c], b->id);
		if (!a)
			continue;
		for (uint32_t p = 0; p < a->weight_set_positions; p++)
			if (idx < a->weight_set[p].size)
				a->weight_set[p].weights[idx] = weight;
	}
}

/* A bucket with no weight set gets one of `positions` copies of its item
 * weights; one whose sets do not match its size is made to match. */
static int cargs_fill(struct crush_choose_arg *a, const struct crush_bucket *b,
		      uint32_t positions)
{
	if (a->weight_set_positions == 0) {
		a->weight_set = calloc(positions, sizeof(*a->weight_set));
		if (!a->weight_set)
			return -ENOMEM;
		a->weight_set_positions = positions;
	}
	for (uint32_t p = 0; p < a->weight_set_positions; p++) {
		struct crush_weight_set *ws = &a->weight_set[p];
		if (ws->weights && ws->size == b->size)
			continue;
		uint32_t *nw = realloc(ws->weights, sizeof(uint32_t) * (b->size ? b->size : 1));
		if (!nw)
			return -ENOMEM;
		for (uint32_t i = ws->weights ? ws->size : 0; i < b->size; i++)
			nw[i] = b->item_weights[i];
		ws->weights = nw;
		ws->size = b->size;
	}
	return 0;
}

/* Post-order: a child bucket's entry is the sum of its own weight set. */
static int cargs_sum(struct crush_map *map, struct crush_choose_arg_map *cam, int32_t id,
		     uint8_t *done, int depth)
{
	struct crush_bucket *b = bucket_get(map, id);
	struct crush_choose_arg *a = cargs_for(cam, id);

	if (!b || !a || done[-1 - id])
		return 0;
	if (depth > EDIT_MAX_DEPTH)
		return -ELOOP;
	done[-1 - id] = 1;
	for (uint32_t i = 0; i < b->size; i++) {
		int32_t child = b->items[i];
		if (child >= 0)
			continue;
		int rc = cargs_sum(map, cam, child, done, depth + 1);
		if (rc < 0)
			return rc;
		struct crush_choose_arg *ca = cargs_for(cam, child);
		if (!ca)
			continue;
		for (uint32_t p = 0; p < a->weight_set_positions && p < ca->weight_set_positions;
		     p++) {
			uint64_t sum = 0;
			for (uint32_t j = 0; j < ca->weight_set[p].size; j++)
				sum += ca->weight_set[p].weights[j];
			if (i < a->weight_set[p].size)
				a->weight_set[p].weights[i] = (uint32_t)sum;
		}
	}
	return 0;
}

static int cargs_update(struct crush_map *map, bool shadows)
{
	int rc = 0;
	uint8_t *done = NULL;

	if (map->n_choose_args == 0 || map->max_buckets <= 0)
		return 0;
	done = malloc((size_t)map->max_buckets);
	if (!done)
		return -ENOMEM;
	for (size_t c = 0; c < map->n_choose_args; c++) {
		struct crush_choose_arg_map *cam = &map->choose_args[c];
		uint32_t positions = 0;

		for (uint32_t i = 0; i < cam->size; i++)
			if (cam->args[i].weight_set_positions > positions)
				positions = cam->args[i].weight_set_positions;
		if (positions == 0)
			continue;
		for (int32_t pos = 0; pos < map->max_buckets && (uint32_t)pos < cam->size; pos++) {
			struct crush_bucket *b = map->buckets[pos];
			if (!b || (!shadows && crush_map_is_shadow(map, b->id)))
				continue;
			rc = cargs_fill(&cam->args[pos], b, positions);
			if (rc < 0)
				goto out_free;
		}
		memset(done, 0, (size_t)map->max_buckets);
		for (int32_t pos = 0; pos < map->max_buckets; pos++) {
			struct crush_bucket *b = map->buckets[pos];
			if (!b || (!shadows && crush_map_is_shadow(map, b->id)))
				continue;
			rc = cargs_sum(map, cam, b->id, done, 0);
			if (rc < 0)
				goto out_free;
		}
	}
out_free:
	free(done);
	return rc;
}

/* ---- weights and links ---- */

static int adjust_in_bucket(struct crush_map *map, struct crush_bucket *b, int32_t item,
			    uint32_t weight, bool update_weight_sets, bool shadows, int depth);

/* Push a bucket's new weight into every bucket holding it (shadows only
 * when asked: see crush_map_reweight_item_named). */
static int propagate_weight(struct crush_map *map, int32_t id, uint32_t weight, bool shadows,
			    int depth)
{
	if (depth > EDIT_MAX_DEPTH)
		return -ELOOP;
	for (int32_t pos = 0; pos < map->max_buckets; pos++) {
		struct crush_bucket *p = map->buckets[pos];
		if (!p || bucket_index_of(p, id) < 0 ||
		    (!shadows && crush_map_is_shadow(map, p->id)))
			continue;
		int rc = adjust_in_bucket(map, p, id, weight, false, shadows, depth + 1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int adjust_in_bucket(struct crush_map *map, struct crush_bucket *b, int32_t item,
			    uint32_t weight, bool update_weight_sets, bool shadows, int depth)
{
	int idx = bucket_index_of(b, item);
	uint32_t old = b->weight;
	int rc;

	if (idx < 0)
		return -ENOENT;
	rc = crush_bucket_adjust_item_weight(map, b, item, weight);
	if (rc < 0)
		return rc;
	if (update_weight_sets)
		cargs_set_weight(map, b, (uint32_t)idx, weight);
	if (b->weight != old)
		return propagate_weight(map, b->id, b->weight, shadows, depth);
	return 0;
}

static int link_item(struct crush_map *map, struct crush_bucket *b, int32_t item)
{
	uint32_t idx = b->size;
	int rc = crush_bucket_add_item(map, b, item, 0);
	if (rc < 0)
		return rc;
	return cargs_link(map, b, idx, item, 0);
}

/* Take an item out of one bucket, lowering the weights above it. */
static int unlink_item(struct crush_map *map, struct crush_bucket *b, int32_t item)
{
	int rc = adjust_in_bucket(map, b, item, 0, true, false, 0);
	if (rc < 0)
		return rc;
	int idx = bucket_index_of(b, item);
	uint32_t old_size = b->size;
	if (idx < 0)
		return -ENOENT;
	rc = crush_bucket_remove_item(map, b, item);
	if (rc < 0)
		return rc;
	cargs_unlink(map, b, (uint32_t)idx, old_size);
	return 0;
}

/* Unlink an item from every non-shadow bucket; *count gets how many. */
static int unlink_everywhere(struct crush_map *map, int32_t item, int *count)
{
	*count = 0;
	for (int32_t pos = 0; pos < map->max_buckets; pos++) {
		struct crush_bucket *b = map->buckets[pos];
		if (!b || crush_map_is_shadow(map, b->id))
			continue;
		while (bucket_index_of(b, item) >= 0) {
			int rc = unlink_item(map, b, item);
			if (rc < 0)
				return rc;
			(*count)++;
		}
	}
	return 0;
}

/* Weight of an item in its first (non-shadow) parent, 0 if unlinked. */
static uint32_t item_weight(const struct crush_map *map, int32_t item)
{
	int32_t parent;
	if (crush_map_parent(map, item, &parent, false) < 0)
		return 0;
	const struct crush_bucket *b = crush_map_bucket(map, parent);
	int idx = bucket_index_of(b, item);
	return idx < 0 ? 0 : b->item_weights[idx];
}

/* Everything an edit leaves to be recomputed. */
static int finish_edit(struct crush_map *map)
{
	int rc = cargs_update(map, false);
	if (rc < 0)
		return rc;
	if (classes_present(map)) {
		rc = crush_map_populate_classes(map);
		if (rc < 0)
			return rc;
	}
	crush_map_finalize(map);
	return 0;
}

static int make_empty_bucket(struct crush_map *map, int type, const char *name,
			     int32_t *idout)
{
	int alg = default_bucket_alg(map);
	struct crush_bucket *b;
	int32_t id;
	int rc;

	if (alg < 0)
		return alg;
	b = crush_bucket_make(map, alg, CRUSH_HASH_DEFAULT, type, 0, NULL, NULL);
	if (!b)
		return -ENOMEM;
	rc = crush_map_add_bucket(map, 0, b, &id);
	if (rc < 0) {
		crush_bucket_destroy(b);
		return rc;
	}
	rc = crush_names_set(&map->item_names, id, name);
	if (rc < 0) {
		crush_map_remove_bucket(map, id);
		return rc;
	}
	*idout = id;
	return 0;
}

/* Remove a bucket, its name, class and shadow records. */
static int drop_bucket(struct crush_map *map, int32_t id)
{
	size_t n = 0;

	for (size_t c = 0; c < map->n_choose_args; c++) {
		struct crush_choose_arg *a = cargs_for(&map->choose_args[c], id);
		if (!a)
			continue;
		free(a->ids);
		for (uint32_t p = 0; p < a->weight_set_positions; p++)
			free(a->weight_set[p].weights);
		free(a->weight_set);
		memset(a, 0, sizeof(*a));
	}
	for (size_t i = 0; i < map->n_class_buckets; i++)
		if (map->class_buckets[i].bucket != id)
			map->class_buckets[n++] = map->class_buckets[i];
	map->n_class_buckets = n;
	crush_names_remove(&map->item_names, id);
	crush_pairs_remove(&map->class_map, id);
	return crush_map_remove_bucket(map, id);
}

/* ---- insert ---- */

/*
 * Walk the location's types from the lowest up.  With dry_run, change
 * nothing and report the error the real walk would meet; otherwise create
 * the missing buckets, link the item and set *parent to the bucket that
 * now holds it.  assume_unlinked: the item will have been unlinked from
 * everywhere before the real walk (update and move).
 */
static int insert_walk(struct crush_map *map, int32_t item, const struct crush_loc *loc,
		       size_t nloc, bool dry_run, bool assume_unlinked, int32_t *parent,
		       char *err, size_t errlen)
{
	const char *created[64];
	size_t ncreated = 0;
	int32_t cur = item;
	bool cur_is_new = false;
	char where[512];
	int rc;

	for (size_t t = 0; t < map->type_names.n; t++) {
		int32_t type = map->type_names.v[t].id;
		const char *tname = map->type_names.v[t].name;
		const char *bname;
		int32_t id;

		if (type <= 0)
			continue;
		bname = loc_lookup(loc, nloc, tname);
		if (!bname)
			continue;

		bool exists = crush_map_item_id(map, bname, &id) == 0;
		if (dry_run && !exists) {
			for (size_t i = 0; i < ncreated; i++) {
				if (strcmp(created[i], bname) == 0) {
					err_set(err, errlen,
						"insert_item existing bucket has type '%s' != '%s'",
						"(new)", tname);
					return -EINVAL;
				}
			}
		}
		if (!exists) {
			if (dry_run) {
				if (ncreated < sizeof(created) / sizeof(created[0]))
					created[ncreated++] = bname;
				cur_is_new = true;
				continue;
			}
			int32_t nb;
			rc = make_empty_bucket(map, type, bname, &nb);
			if (rc < 0)
				return rc;
			rc = link_item(map, bucket_get(map, nb), cur);
			if (rc < 0)
				return rc;
			if (cur == item)
				*parent = nb;
			cur = nb;
			continue;
		}

		struct crush_bucket *b = id < 0 ? bucket_get(map, id) : NULL;
		if (!b) {
			err_set(err, errlen, "insert_item doesn't have bucket %d", id);
			return -EINVAL;
		}
		if (b->type != type) {
			err_set(err, errlen, "insert_item existing bucket has type '%s' != '%s'",
				crush_names_get(&map->type_names, b->type) ?
					crush_names_get(&map->type_names, b->type) : "?",
				tname);
			return -EINVAL;
		}
		if (dry_run && b->alg == CRUSH_BUCKET_UNIFORM && b->size > 0) {
			/* the item would come in at weight 0, which a uniform
			 * bucket cannot hold (Ceph asserts here) */
			err_set(err, errlen, "insert_item cannot add to uniform bucket %d",
				b->id);
			return -EINVAL;
		}
		if (dry_run && !cur_is_new) {
			if (!assume_unlinked && subtree_contains(map, b->id, item, 0)) {
				err_set(err, errlen, "insert_item item %d already exists beneath %d",
					item, b->id);
				return -EINVAL;
			}
			if (assume_unlinked && b->id == item) {
				err_set(err, errlen, "insert_item item %d already exists beneath %d",
					item, b->id);
				return -EINVAL;
			}
			if (item < 0 && subtree_contains(map, item, b->id, 0)) {
				err_set(err, errlen,
					"insert_item %d already contains %d; cannot form loop",
					item, b->id);
				return -ELOOP;
			}
		}
		if (!dry_run) {
			rc = link_item(map, b, cur);
			if (rc < 0)
				return rc;
			if (cur == item)
				*parent = b->id;
		}
		return 0;
	}
	if (cur_is_new || cur != item)
		return 0;
	loc_format(loc, nloc, where, sizeof(where));
	err_set(err, errlen, "error: didn't find anywhere to add item %d in %s", item, where);
	return -EINVAL;
}

static int check_name(const struct crush_map *map, int32_t item, const char *name,
		      char *err, size_t errlen)
{
	int32_t other;

	if (!name_is_valid(name)) {
		err_set(err, errlen, "item name '%s' not a valid crush name ([A-Za-z0-9_-.]+)",
			name ? name : "");
		return -EINVAL;
	}
	if (crush_map_item_id(map, name, &other) == 0 && other != item) {
		err_set(err, errlen, "name '%s' already exists as item %d", name, other);
		return -EEXIST;
	}
	return 0;
}

/* Link item at loc (already validated by a dry run) and weigh it there. */
static int insert_commit(struct crush_map *map, int32_t item, uint32_t weight,
			 const char *name, const struct crush_loc *loc, size_t nloc,
			 char *err, size_t errlen)
{
	int32_t parent = 0;
	int rc = insert_walk(map, item, loc, nloc, false, true, &parent, err, errlen);
	if (rc < 0)
		return rc;
	rc = crush_names_set(&map->item_names, item, name);
	if (rc < 0)
		return rc;
	rc = adjust_in_bucket(map, bucket_get(map, parent), item, weight, true, false, 0);
	if (rc < 0)
		return rc;
	if (item >= map->max_devices)
		map->max_devices = item + 1;
	return 0;
}

int crush_map_insert_item(struct crush_map *map, int32_t id, uint32_t weight,
			  const char *name, const struct crush_loc *loc, size_t nloc,
			  char *err, size_t errlen)
{
	int32_t unused;
	int rc;

	rc = check_name(map, id, name, err, errlen);
	if (rc < 0)
		return rc;
	rc = loc_validate(loc, nloc, err, errlen);
	if (rc < 0)
		return rc;
	if (id < 0 && !crush_map_bucket(map, id)) {
		err_set(err, errlen, "bucket %d does not exist", id);
		return -ENOENT;
	}
	rc = insert_walk(map, id, loc, nloc, true, false, &unused, err, errlen);
	if (rc < 0)
		return rc;
	rc = insert_commit(map, id, weight, name, loc, nloc, err, errlen);
	if (rc < 0)
		return rc;
	return finish_edit(map);
}

/*
 * Ceph's check_item_loc: only the lowest type the location names counts.
 * Returns true and the bucket when the item sits directly in it.
 */
static bool item_at_loc(const struct crush_map *map, int32_t item,
			const struct crush_loc *loc, size_t nloc, const struct crush_bucket **where)
{
	for (size_t t = 0; t < map->type_names.n; t++) {
		int32_t type = map->type_names.v[t].id;
		const char *bname;
		int32_t id;

		if (type <= 0)
			continue;
		bname = loc_lookup(loc, nloc, map->type_names.v[t].name);
		if (!bname)
			continue;
		if (crush_map_item_id(map, bname, &id) < 0 || id >= 0)
			return false;
		const struct crush_bucket *b = crush_map_bucket(map, id);
		if (!b || bucket_index_of(b, item) < 0)
			return false;
		*where = b;
		return true;
	}
	return false;
}

bool crush_map_item_at_loc(const struct crush_map *map, int32_t id,
			   const struct crush_loc *loc, size_t nloc, uint32_t *weight)
{
	const struct crush_bucket *b;

	if (!item_at_loc(map, id, loc, nloc, &b))
		return false;
	if (weight)
		*weight = b->item_weights[bucket_index_of(b, id)];
	return true;
}

/* Unlink from everywhere, then insert at loc; the caller checked names. */
static int relink(struct crush_map *map, int32_t item, uint32_t weight, const char *name,
		  const struct crush_loc *loc, size_t nloc, char *err, size_t errlen)
{
	int32_t unused;
	int count;
	int rc;

	rc = insert_walk(map, item, loc, nloc, true, true, &unused, err, errlen);
	if (rc < 0)
		return rc;
	rc = unlink_everywhere(map, item, &count);
	if (rc < 0)
		return rc;
	return insert_commit(map, item, weight, name, loc, nloc, err, errlen);
}

int crush_map_update_item(struct crush_map *map, int32_t id, uint32_t weight,
			  const char *name, const struct crush_loc *loc, size_t nloc,
			  char *err, size_t errlen)
{
	const struct crush_bucket *at;
	int rc;

	if (!name_is_valid(name)) {
		err_set(err, errlen, "item name '%s' not a valid crush name ([A-Za-z0-9_-.]+)",
			name ? name : "");
		return -EINVAL;
	}
	rc = loc_validate(loc, nloc, err, errlen);
	if (rc < 0)
		return rc;
	if (id < 0 && !crush_map_bucket(map, id)) {
		err_set(err, errlen, "bucket %d does not exist", id);
		return -ENOENT;
	}

	if (item_at_loc(map, id, loc, nloc, &at)) {
		/* Already there: reweight and rename in place.  Like Ceph, a
		 * rename here does not check that the name is free. */
		int idx = bucket_index_of(at, id);
		if (at->item_weights[idx] != weight) {
			rc = adjust_in_bucket(map, bucket_get(map, at->id), id, weight, true, false,
					      0);
			if (rc < 0)
				return rc;
		}
		const char *old = crush_names_get(&map->item_names, id);
		if (!old || strcmp(old, name) != 0) {
			rc = crush_names_set(&map->item_names, id, name);
			if (rc < 0)
				return rc;
		}
		return finish_edit(map);
	}

	rc = check_name(map, id, name, err, errlen);
	if (rc < 0)
		return rc;
	rc = relink(map, id, weight, name, loc, nloc, err, errlen);
	if (rc < 0)
		return rc;
	return finish_edit(map);
}

/* ---- remove, reweight ---- */

static bool bucket_in_use(const struct crush_map *map, int32_t id)
{
	for (uint32_t r = 0; r < map->max_rules; r++) {
		const struct crush_rule *rule = map->rules[r];
		if (!rule)
			continue;
		for (uint32_t s = 0; s < rule->len; s++) {
			if (rule->steps[s].op != CRUSH_RULE_TAKE)
				continue;
			int32_t arg = rule->steps[s].arg1;
			if (arg == id)
				return true;
			for (size_t i = 0; i < map->n_class_buckets; i++)
				if (map->class_buckets[i].bucket == id &&
				    map->class_buckets[i].shadow == arg)
					return true;
		}
	}
	return false;
}

int crush_map_remove_item_named(struct crush_map *map, const char *name, char *err,
				size_t errlen)
{
	int32_t id;
	int count;
	int rc;

	if (!name || crush_map_item_id(map, name, &id) < 0) {
		err_set(err, errlen, "name %s dne", name ? name : "");
		return -ENOENT;
	}
	if (id < 0) {
		const struct crush_bucket *b = crush_map_bucket(map, id);
		if (b && b->size > 0) {
			err_set(err, errlen, "remove_item bucket %d has %u items, not empty", id,
				b->size);
			return -ENOTEMPTY;
		}
		if (bucket_in_use(map, id)) {
			err_set(err, errlen, "remove_item bucket %d is in use by a rule", id);
			return -EBUSY;
		}
	}
	rc = unlink_everywhere(map, id, &count);
	if (rc < 0)
		return rc;
	if (id < 0 && crush_map_bucket(map, id)) {
		rc = drop_bucket(map, id);
		if (rc < 0)
			return rc;
	} else {
		crush_names_remove(&map->item_names, id);
		crush_pairs_remove(&map->class_map, id);
	}
	/* Ceph trims max_devices down past devices that no longer exist. */
	if (id >= 0 && id + 1 == map->max_devices) {
		while (map->max_devices > 0 &&
		       !crush_names_get(&map->item_names, map->max_devices - 1) &&
		       !crush_map_device_in_hierarchy(map, map->max_devices - 1))
			map->max_devices--;
	}
	return finish_edit(map);
}

int crush_map_reweight_item_named(struct crush_map *map, const char *name,
				  uint32_t weight, char *err, size_t errlen)
{
	int32_t id;
	int changed = 0;

	if (!name || crush_map_item_id(map, name, &id) < 0) {
		err_set(err, errlen, "name %s dne", name ? name : "");
		return -ENOENT;
	}
	/* Unlike the other edits, Ceph reweights the shadow copies in place
	 * and does not rebuild them: their weight sets then come from their
	 * own item weights, not from the original buckets'. */
	for (int32_t pos = 0; pos < map->max_buckets; pos++) {
		struct crush_bucket *b = map->buckets[pos];
		if (!b || bucket_index_of(b, id) < 0)
			continue;
		int rc = adjust_in_bucket(map, b, id, weight, true, true, 0);
		if (rc < 0)
			return rc;
		if (!crush_map_is_shadow(map, b->id))
			changed++;
	}
	if (!changed) {
		err_set(err, errlen, "item %s is not in the hierarchy", name);
		return -ENOENT;
	}
	int rc = cargs_update(map, true);
	if (rc < 0)
		return rc;
	crush_map_finalize(map);
	return 0;
}

/* ---- buckets by name ---- */

int crush_map_add_bucket_named(struct crush_map *map, const char *name, const char *type,
			       const struct crush_loc *loc, size_t nloc, int32_t *idout,
			       char *err, size_t errlen)
{
	int32_t type_id, id, unused;
	char where[512];
	int rc;

	if (!name_is_valid(name)) {
		err_set(err, errlen, "bad bucket name: %s", name ? name : "");
		return -EINVAL;
	}
	if (!type || crush_names_find(&map->type_names, type, &type_id) < 0 || type_id <= 0) {
		err_set(err, errlen, "bad bucket type: %s", type ? type : "");
		return -EINVAL;
	}
	if (crush_map_item_id(map, name, &unused) == 0) {
		err_set(err, errlen, "bucket '%s' already exists", name);
		return -EEXIST;
	}
	loc_format(loc, nloc, where, sizeof(where));
	if (nloc > 0) {
		rc = loc_validate(loc, nloc, err, errlen);
		if (rc == 0)
			rc = insert_walk(map, 0, loc, nloc, true, true, &unused, err, errlen);
		if (rc < 0) {
			err_set(err, errlen, "error moving bucket '%s' to %s", name, where);
			return -EINVAL;
		}
	}
	rc = make_empty_bucket(map, type_id, name, &id);
	if (rc < 0)
		return rc;
	if (nloc > 0) {
		rc = insert_commit(map, id, 0, name, loc, nloc, err, errlen);
		if (rc < 0)
			return rc;
	}
	if (idout)
		*idout = id;
	return finish_edit(map);
}

int crush_map_move_named(struct crush_map *map, const char *name,
			 const struct crush_loc *loc, size_t nloc, char *err, size_t errlen)
{
	const struct crush_bucket *at;
	char where[512];
	int32_t id;
	uint32_t weight;
	int rc;

	if (nloc == 0) {
		err_set(err, errlen, "expecting additional --loc argument to --move");
		return -EINVAL;
	}
	if (!name || crush_map_item_id(map, name, &id) < 0) {
		err_set(err, errlen, "item '%s' does not exist", name ? name : "");
		return -ENOENT;
	}
	rc = loc_validate(loc, nloc, err, errlen);
	if (rc < 0)
		return rc;
	if (item_at_loc(map, id, loc, nloc, &at)) {
		loc_format(loc, nloc, where, sizeof(where));
		err_set(err, errlen, "item '%s' already at %s", name, where);
		return -EALREADY;
	}
	if (id < 0) {
		const struct crush_bucket *b = crush_map_bucket(map, id);
		if (!b) {
			err_set(err, errlen, "item '%s' does not exist", name);
			return -ENOENT;
		}
		weight = b->weight;
	} else {
		weight = item_weight(map, id);
	}
	rc = relink(map, id, weight, name, loc, nloc, err, errlen);
	if (rc < 0)
		return rc;
	return finish_edit(map);
}

/* ---- rules ---- */

static bool ruleset_used(const struct crush_map *map, uint32_t rno)
{
	if (rno < map->max_rules && map->rules[rno])
		return true;
	for (uint32_t r = 0; r < map->max_rules; r++)
		if (map->rules[r] && map->rules[r]->ruleset == rno)
			return true;
	return false;
}

int crush_map_add_simple_rule(struct crush_map *map, const char *name, const char *root,
			      const char *failure_type, const char *device_class,
			      const char *mode, int rule_type, char *err, size_t errlen)
{
	int32_t root_id, type_id = 0, class_id;
	struct crush_rule *rule;
	uint32_t rno, s = 0;
	bool indep;
	int rc;

	if (!name || !*name) {
		err_set(err, errlen, "rule name is empty");
		return -EINVAL;
	}
	if (crush_map_rule_by_name(map, name) >= 0) {
		err_set(err, errlen, "rule %s already exists", name);
		return -EEXIST;
	}
	if (!root || crush_map_item_id(map, root, &root_id) < 0) {
		err_set(err, errlen, "root item %s does not exist", root ? root : "");
		return -ENOENT;
	}
	if (failure_type && *failure_type &&
	    crush_names_find(&map->type_names, failure_type, &type_id) < 0) {
		err_set(err, errlen, "unknown type %s", failure_type);
		return -EINVAL;
	}
	if (device_class && *device_class) {
		if (crush_names_find(&map->class_names, device_class, &class_id) < 0) {
			err_set(err, errlen, "device class %s does not exist", device_class);
			return -EINVAL;
		}
		int32_t shadow;
		if (crush_map_class_bucket(map, root_id, class_id, &shadow) < 0) {
			err_set(err, errlen, "root %s has no devices with class %s", root,
				device_class);
			return -EINVAL;
		}
		root_id = shadow;
	}
	if (mode && strcmp(mode, "indep") == 0) {
		indep = true;
	} else if (mode && strcmp(mode, "firstn") == 0) {
		indep = false;
	} else {
		err_set(err, errlen, "unknown mode %s", mode ? mode : "");
		return -EINVAL;
	}

	for (rno = 0; rno < CRUSH_MAX_RULES; rno++)
		if (!ruleset_used(map, rno))
			break;
	if (rno >= CRUSH_MAX_RULES) {
		err_set(err, errlen, "too many rules");
		return -ENOSPC;
	}

	rule = crush_rule_make(indep ? 5 : 3, (int)rno, rule_type, indep ? 3 : 1,
			       indep ? 20 : 10);
	if (!rule)
		return -ENOMEM;
	if (indep) {
		rule->steps[s++] = (struct crush_rule_step){ CRUSH_RULE_SET_CHOOSELEAF_TRIES, 5, 0 };
		rule->steps[s++] = (struct crush_rule_step){ CRUSH_RULE_SET_CHOOSE_TRIES, 100, 0 };
	}
	rule->steps[s++] = (struct crush_rule_step){ CRUSH_RULE_TAKE, root_id, 0 };
	if (type_id > 0)
		rule->steps[s++] = (struct crush_rule_step){
			indep ? CRUSH_RULE_CHOOSELEAF_INDEP : CRUSH_RULE_CHOOSELEAF_FIRSTN, 0,
			type_id };
	else
		rule->steps[s++] = (struct crush_rule_step){
			indep ? CRUSH_RULE_CHOOSE_INDEP : CRUSH_RULE_CHOOSE_FIRSTN, 0, type_id };
	rule->steps[s++] = (struct crush_rule_step){ CRUSH_RULE_EMIT, 0, 0 };

	rc = crush_map_add_rule(map, rule, (int)rno);
	if (rc < 0) {
		crush_rule_destroy(rule);
		return rc;
	}
	rc = crush_names_set(&map->rule_names, (int32_t)rno, name);
	if (rc < 0) {
		map->rules[rno] = NULL;
		crush_rule_destroy(rule);
		return rc;
	}
	return (int)rno;
}

int crush_map_remove_rule_named(struct crush_map *map, const char *name, char *err,
				size_t errlen)
{
	int r = name ? crush_map_rule_by_name(map, name) : -ENOENT;

	if (r < 0 || (uint32_t)r >= map->max_rules || !map->rules[r]) {
		err_set(err, errlen, "rule %s does not exist", name ? name : "");
		return -ENOENT;
	}
	crush_rule_destroy(map->rules[r]);
	map->rules[r] = NULL;
	crush_names_remove(&map->rule_names, r);
	return 0;
}

/* ---- location ---- */

int crush_map_item_location(const struct crush_map *map, int32_t id, struct crush_loc *out,
			    size_t max)
{
	size_t n = 0;
	int32_t cur = id, parent;

	if (!crush_map_item_exists(map, id) && !crush_names_get(&map->item_names, id))
		return -ENOENT;
	while (n < max && n < EDIT_MAX_DEPTH &&
	       crush_map_parent(map, cur, &parent, false) == 0) {
		const struct crush_bucket *b = crush_map_bucket(map, parent);
		out[n].type = crush_names_get(&map->type_names, b->type);
		out[n].name = crush_names_get(&map->item_names, parent);
		n++;
		cur = parent;
	}
	return (int)n;
}
