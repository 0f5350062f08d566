/*
 * Device classes and the per-class "shadow" hierarchies built from them.
 * A rule step "take default class ssd" must see only ssd devices, so for
 * every bucket and every class the map holds a shadow bucket (named
 * "default~ssd") with the same algorithm, hash and type, holding the
 * bucket's devices of that class and the shadows of its child buckets.
 * Shadows are derived data: they are thrown away and rebuilt whole, but
 * keep their ids across rebuilds through map->class_buckets, since those
 * ids are visible in rules and in the text map ("id -5 class ssd").
 *
 * DESIGN NOTES (behaviour measured against Ceph 16.2's crushtool)
 *  1. Roots are visited in ascending id order (most negative first), and
 *     for each root every class in ascending class id order; each shadow
 *     is made after its children's (post-order), so fresh ids follow that
 *     order.
 *  2. A shadow takes the id recorded for its (bucket, class) before the
 *     rebuild when there is one; otherwise the lowest-numbered free id
 *     that is neither a live bucket nor recorded for another pair.
 *  3. Shadow item weights: a device keeps its weight in the original
 *     bucket; a child shadow weighs what its own devices of the class
 *     weigh (not the original's possibly overridden item weight).
 *  4. A uniform bucket whose shadow would hold any item cannot be cloned:
 *     the rebuild stops there with -EINVAL, keeping the shadows already
 *     made (Ceph does the same; its compiler then rejects class rules
 *     that need a missing shadow).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crush.h"

#define CLASS_CLONE_MAX_DEPTH 64

int crush_class_get_or_create(struct crush_map *map, const char *name, int32_t *class_id)
{
	int32_t id;
	int rc;

	if (!name || !*name)
		return -EINVAL;
	if (crush_names_find(&map->class_names, name, &id) == 0) {
		*class_id = id;
		return 0;
	}
	/* the lowest unused id; the table is sorted by id */
	id = 0;
	for (size_t i = 0; i < map->class_names.n; i++) {
		if (map->class_names.v[i].id == id)
			id++;
		else if (map->class_names.v[i].id > id)
			break;
	}
	rc = crush_names_set(&map->class_names, id, name);
	if (rc < 0)
		return rc;
	*class_id = id;
	return 0;
}

static void choose_arg_clear(struct crush_choose_arg *a)
{
	free(a->ids);
	for (uint32_t p = 0; p < a->weight_set_positions; p++)
		free(a->weight_set[p].weights);
	free(a->weight_set);
	memset(a, 0, sizeof(*a));
}

int crush_map_trim_shadows(struct crush_map *map)
{
	for (int32_t pos = 0; pos < map->max_buckets; pos++) {
		int32_t id = -1 - pos;
		if (!map->buckets[pos] || !crush_map_is_shadow(map, id))
			continue;
		for (size_t c = 0; c < map->n_choose_args; c++) {
			struct crush_choose_arg_map *cam = &map->choose_args[c];
			if ((uint32_t)pos < cam->size)
				choose_arg_clear(&cam->args[pos]);
		}
		crush_pairs_remove(&map->class_map, id);
		crush_names_remove(&map->item_names, id);
		crush_map_remove_bucket(map, id);
	}
	free(map->class_buckets);
	map->class_buckets = NULL;
	map->n_class_buckets = 0;
	return 0;
}

/* State of one rebuild: the (bucket, class) -> id table from before it. */
struct clone_ctx {
	struct crush_map *map;
	const struct crush_class_bucket *old;
	size_t n_old;
	int32_t *reserved; /* the old shadow ids, sorted descending */
	int64_t cursor;    /* no fresh id below -cursor is free */
};

static int cmp_desc(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x > y ? -1 : x < y;
}

static bool id_reserved(const struct clone_ctx *cx, int32_t id)
{
	return cx->n_old &&
	       bsearch(&id, cx->reserved, cx->n_old, sizeof(int32_t), cmp_desc) != NULL;
}

static int32_t pick_shadow_id(struct clone_ctx *cx, int32_t bucket, int32_t class_id)
{
	for (size_t i = 0; i < cx->n_old; i++) {
		const struct crush_class_bucket *o = &cx->old[i];
		if (o->bucket == bucket && o->class_id == class_id && o->shadow < 0 &&
		    !crush_map_bucket(cx->map, o->shadow))
			return o->shadow;
	}
	/* Buckets are only added during a rebuild, so the lowest free id
	 * never goes back: resume the search where the last one ended. */
	for (int64_t k = cx->cursor; k <= INT32_MAX; k++) {
		int32_t id = (int32_t)-k;
		if (!crush_map_bucket(cx->map, id) && !id_reserved(cx, id)) {
			cx->cursor = k;
			return id;
		}
	}
	return 0;
}

/*
 * Give the shadow the original's weight sets, restricted to the items it
 * kept: a device keeps its per-position weight, a child shadow weighs the
 * sum of that child's weight set (or its weight when it has none).
 */
static int clone_choose_args(struct crush_map *map, const struct crush_bucket *orig,
			     const struct crush_bucket *shadow, const uint32_t *src_index)
{
	for (size_t c = 0; c < map->n_choose_args; c++) {
		struct crush_choose_arg_map *cam = &map->choose_args[c];
		uint32_t opos = (uint32_t)(-1 - orig->id), spos = (uint32_t)(-1 - shadow->id);
		if (opos >= cam->size || spos >= cam->size)
			continue;
		const struct crush_choose_arg *oa = &cam->args[opos];
		struct crush_choose_arg *sa = &cam->args[spos];
		uint32_t npos = oa->weight_set_positions;
		if (npos == 0)
			continue;
		choose_arg_clear(sa);
		sa->weight_set = calloc(npos, sizeof(*sa->weight_set));
		if (!sa->weight_set)
			return -ENOMEM;
		sa->weight_set_positions = npos;
		for (uint32_t p = 0; p < npos; p++) {
			struct crush_weight_set *ws = &sa->weight_set[p];
			ws->weights = calloc(shadow->size ? shadow->size : 1, sizeof(uint32_t));
			if (!ws->weights)
				return -ENOMEM;
			ws->size = shadow->size;
			for (uint32_t j = 0; j < shadow->size; j++) {
				int32_t item = shadow->items[j];
				const struct crush_weight_set *ows = &oa->weight_set[p];
				if (item >= 0) {
					uint32_t k = src_index[j];
					ws->weights[j] = k < ows->size ? ows->weights[k]
								       : shadow->item_weights[j];
					continue;
				}
				uint32_t cpos = (uint32_t)(-1 - item);
				const struct crush_choose_arg *ca =
					cpos < cam->size ? &cam->args[cpos] : NULL;
				if (ca && p < ca->weight_set_positions) {
					uint32_t sum = 0;
					for (uint32_t q = 0; q < ca->weight_set[p].size; q++)
						sum += ca->weight_set[p].weights[q];
					ws->weights[j] = sum;
				} else {
					ws->weights[j] = shadow->item_weights[j];
				}
			}
		}
	}
	return 0;
}

static int clone_bucket(struct clone_ctx *cx, int32_t bucket_id, int32_t class_id, int depth,
			int32_t *out)
{
	struct crush_map *map = cx->map;
	const struct crush_bucket *b = crush_map_bucket(map, bucket_id);
	int32_t *items = NULL;
	uint32_t *weights = NULL, *src_index = NULL, n = 0;
	struct crush_bucket *nb = NULL;
	char *name = NULL;
	int32_t id;
	int rc;

	if (!b)
		return -ENOENT;
	if (crush_map_class_bucket(map, bucket_id, class_id, out) == 0)
		return 0;
	if (depth > CLASS_CLONE_MAX_DEPTH)
		return -ELOOP;

	size_t alloc = b->size ? b->size : 1;
	items = calloc(alloc, sizeof(*items));
	weights = calloc(alloc, sizeof(*weights));
	src_index = calloc(alloc, sizeof(*src_index));
	if (!items || !weights || !src_index) {
		rc = -ENOMEM;
		goto out_free;
	}
	for (uint32_t i = 0; i < b->size; i++) {
		int32_t item = b->items[i], cls, child;
		if (item >= 0) {
			if (crush_map_item_class(map, item, &cls) < 0 || cls != class_id)
				continue;
			items[n] = item;
			weights[n] = b->item_weights[i];
			src_index[n++] = i;
			continue;
		}
		if (!crush_map_bucket(map, item))
			continue;
		rc = clone_bucket(cx, item, class_id, depth + 1, &child);
		if (rc < 0)
			goto out_free;
		items[n] = child;
		weights[n] = crush_map_bucket(map, child)->weight;
		src_index[n++] = i;
	}
	if (b->alg == CRUSH_BUCKET_UNIFORM && n > 0) {
		rc = -EINVAL;
		goto out_free;
	}

	const char *bname = crush_names_get(&map->item_names, bucket_id);
	const char *cname = crush_names_get(&map->class_names, class_id);
	if (!bname || !cname) {
		rc = -EINVAL;
		goto out_free;
	}
	size_t nlen = strlen(bname) + strlen(cname) + 2;
	name = malloc(nlen);
	if (!name) {
		rc = -ENOMEM;
		goto out_free;
	}
	snprintf(name, nlen, "%s~%s", bname, cname);

	/* crush_bucket_make() refuses type 0, which a text map may use */
	nb = crush_bucket_make(map, b->alg, b->hash, b->type ? b->type : 1, n, items, weights);
	if (!nb) {
		rc = -ENOMEM;
		goto out_free;
	}
	nb->type = b->type;
	id = pick_shadow_id(cx, bucket_id, class_id);
	if (id == 0) {
		rc = -ENOSPC;
		goto out_free;
	}
	rc = crush_map_add_bucket(map, id, nb, &id);
	if (rc < 0)
		goto out_free;
	nb = NULL; /* owned by the map now */
	rc = crush_names_set(&map->item_names, id, name);
	if (rc == 0)
		rc = crush_pairs_set(&map->class_map, id, class_id);
	if (rc == 0)
		rc = crush_map_class_bucket_set(map, bucket_id, class_id, id);
	if (rc == 0)
		rc = clone_choose_args(map, b, crush_map_bucket(map, id), src_index);
	if (rc == 0)
		*out = id;
out_free:
	crush_bucket_destroy(nb);
	free(name);
	free(items);
	free(weights);
	free(src_index);
	return rc;
}

int crush_map_populate_classes(struct crush_map *map)
{
	struct crush_class_bucket *old = NULL;
	size_t n_old = map->n_class_buckets;
	int32_t *roots = NULL;
	size_t nroots;
	struct clone_ctx cx = {0};
	int rc = 0;

	if (n_old) {
		old = malloc(n_old * sizeof(*old));
		if (!old)
			return -ENOMEM;
		memcpy(old, map->class_buckets, n_old * sizeof(*old));
	}
	rc = crush_map_trim_shadows(map);
	if (rc < 0)
		goto out;

	nroots = crush_map_roots(map, NULL, 0, false);
	if (nroots) {
		roots = calloc(nroots, sizeof(*roots));
		if (!roots) {
			rc = -ENOMEM;
			goto out;
		}
		nroots = crush_map_roots(map, roots, nroots, false);
	}

	cx.map = map;
	cx.old = old;
	cx.n_old = n_old;
	cx.cursor = 1;
	if (n_old) {
		cx.reserved = malloc(n_old * sizeof(*cx.reserved));
		if (!cx.reserved) {
			rc = -ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < n_old; i++)
			cx.reserved[i] = old[i].shadow;
		qsort(cx.reserved, n_old, sizeof(*cx.reserved), cmp_desc);
	}
	/* class ids can change under us only by our own inserts: none here */
	size_t nclasses = map->class_names.n;
	for (size_t r = 0; r < nroots; r++) {
		for (size_t c = 0; c < nclasses; c++) {
			int32_t shadow;
			rc = clone_bucket(&cx, roots[r], map->class_names.v[c].id, 0, &shadow);
			if (rc < 0)
				goto out;
		}
	}
out:
	free(cx.reserved);
	crush_map_finalize(map);
	free(roots);
	free(old);
	return rc;
}
