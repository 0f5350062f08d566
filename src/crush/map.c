/*
 * The in-memory CRUSH map: allocation, the name tables (types, items,
 * rules, classes) kept sorted by id as Ceph's encoding orders them, and
 * the read-only lookups that tools and daemons ask of a map.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crush.h"
#include "internal.h"

struct crush_map *crush_map_create(void)
{
	struct crush_map *map = calloc(1, sizeof(*map));
	if (!map)
		return NULL;
	crush_tunables_set_default(&map->t);
	return map;
}

void crush_bucket_destroy(struct crush_bucket *b)
{
	if (!b)
		return;
	free(b->items);
	free(b->item_weights);
	free(b->sum_weights);
	free(b->node_weights);
	free(b->straws);
	free(b->item_inv);
	free(b);
}

void crush_rule_destroy(struct crush_rule *r)
{
	if (!r)
		return;
	free(r->steps);
	free(r);
}

static void choose_arg_map_release(struct crush_choose_arg_map *cam)
{
	for (uint32_t i = 0; i < cam->size; i++) {
		struct crush_choose_arg *a = &cam->args[i];
		free(a->ids);
		for (uint32_t j = 0; j < a->weight_set_positions; j++)
			free(a->weight_set[j].weights);
		free(a->weight_set);
	}
	free(cam->args);
}

void crush_map_destroy(struct crush_map *map)
{
	if (!map)
		return;
	for (int32_t b = 0; map->buckets && b < map->max_buckets; b++)
		crush_bucket_destroy(map->buckets[b]);
	free(map->buckets);
	for (uint32_t r = 0; map->rules && r < map->max_rules; r++)
		crush_rule_destroy(map->rules[r]);
	free(map->rules);
	crush_names_release(&map->type_names);
	crush_names_release(&map->item_names);
	crush_names_release(&map->rule_names);
	crush_names_release(&map->class_names);
	free(map->class_map.v);
	free(map->class_buckets);
	for (size_t i = 0; i < map->n_choose_args; i++)
		choose_arg_map_release(&map->choose_args[i]);
	free(map->choose_args);
	free(map);
}

void crush_map_finalize(struct crush_map *map)
{
	/* per-bucket header (see mapper.c) + one permutation slot per item */
	size_t n = (size_t)map->max_buckets * sizeof(struct crush_work_bucket);
	size_t perm = 0;
	for (int32_t b = 0; b < map->max_buckets; b++)
		if (map->buckets[b])
			perm += map->buckets[b]->size;
	n += perm * sizeof(uint32_t);
	map->working_size = (n + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
}

/* ---- sorted int32 -> string tables ---- */

static size_t names_lower_bound(const struct crush_names *t, int32_t id)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const char *crush_names_get(const struct crush_names *t, int32_t id)
{
	size_t i = names_lower_bound(t, id);
	return i < t->n && t->v[i].id == id ? t->v[i].name : NULL;
}

int crush_names_find(const struct crush_names *t, const char *name, int32_t *id)
{
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].name, name) == 0) {
			*id = t->v[i].id;
			return 0;
		}
	}
	return -ENOENT;
}

int crush_names_set(struct crush_names *t, int32_t id, const char *name)
{
	size_t i = names_lower_bound(t, id);
	char *copy = strdup(name);
	if (!copy)
		return -ENOMEM;
	if (i < t->n && t->v[i].id == id) {
		free(t->v[i].name);
		t->v[i].name = copy;
		return 0;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct crush_name *v = realloc(t->v, cap * sizeof(*v));
		if (!v) {
			free(copy);
			return -ENOMEM;
		}
		t->v = v;
		t->cap = cap;
	}
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
	t->v[i].id = id;
	t->v[i].name = copy;
	t->n++;
	return 0;
}

void crush_names_remove(struct crush_names *t, int32_t id)
{
	size_t i = names_lower_bound(t, id);
	if (i >= t->n || t->v[i].id != id)
		return;
	free(t->v[i].name);
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
	t->n--;
}

void crush_names_release(struct crush_names *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* ---- sorted int32 -> int32 tables ---- */

static size_t pairs_lower_bound(const struct crush_pairs *t, int32_t key)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int crush_pairs_get(const struct crush_pairs *t, int32_t key, int32_t *val)
{
	size_t i = pairs_lower_bound(t, key);
	if (i < t->n && t->v[i].key == key) {
		*val = t->v[i].val;
		return 0;
	}
	return -ENOENT;
}

int crush_pairs_set(struct crush_pairs *t, int32_t key, int32_t val)
{
	size_t i = pairs_lower_bound(t, key);
	if (i < t->n && t->v[i].key == key) {
		t->v[i].val = val;
		return 0;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct crush_pair *v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
	t->v[i].key = key;
	t->v[i].val = val;
	t->n++;
	return 0;
}

void crush_pairs_remove(struct crush_pairs *t, int32_t key)
{
	size_t i = pairs_lower_bound(t, key);
	if (i >= t->n || t->v[i].key != key)
		return;
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
	t->n--;
}

/* ---- lookups ---- */

const struct crush_bucket *crush_map_bucket(const struct crush_map *map, int32_t id)
{
	if (id >= 0 || -1 - (int64_t)id >= map->max_buckets)
		return NULL;
	return map->buckets[-1 - id];
}

bool crush_map_item_exists(const struct crush_map *map, int32_t id)
{
	if (id >= 0)
		return id < map->max_devices;
	return crush_map_bucket(map, id) != NULL;
}

int crush_map_item_id(const struct crush_map *map, const char *name, int32_t *id)
{
	return crush_names_find(&map->item_names, name, id);
}

int crush_map_item_class(const struct crush_map *map, int32_t item, int32_t *class_id)
{
	return crush_pairs_get(&map->class_map, item, class_id);
}

static int class_bucket_cmp(const struct crush_class_bucket *a, int32_t bucket,
			    int32_t class_id)
{
	if (a->bucket != bucket)
		return a->bucket < bucket ? -1 : 1;
	if (a->class_id != class_id)
		return a->class_id < class_id ? -1 : 1;
	return 0;
}

static size_t class_bucket_lower_bound(const struct crush_map *map, int32_t bucket,
				       int32_t class_id)
{
	size_t lo = 0, hi = map->n_class_buckets;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (class_bucket_cmp(&map->class_buckets[mid], bucket, class_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int crush_map_class_bucket(const struct crush_map *map, int32_t bucket, int32_t class_id,
			   int32_t *shadow)
{
	size_t i = class_bucket_lower_bound(map, bucket, class_id);
	if (i < map->n_class_buckets &&
	    class_bucket_cmp(&map->class_buckets[i], bucket, class_id) == 0) {
		*shadow = map->class_buckets[i].shadow;
		return 0;
	}
	return -ENOENT;
}

int crush_map_class_bucket_set(struct crush_map *map, int32_t bucket, int32_t class_id,
			       int32_t shadow)
{
	size_t i = class_bucket_lower_bound(map, bucket, class_id);
	if (i < map->n_class_buckets &&
	    class_bucket_cmp(&map->class_buckets[i], bucket, class_id) == 0) {
		map->class_buckets[i].shadow = shadow;
		return 0;
	}
	struct crush_class_bucket *v =
		realloc(map->class_buckets, (map->n_class_buckets + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	map->class_buckets = v;
	memmove(&v[i + 1], &v[i], (map->n_class_buckets - i) * sizeof(*v));
	v[i].bucket = bucket;
	v[i].class_id = class_id;
	v[i].shadow = shadow;
	map->n_class_buckets++;
	return 0;
}

bool crush_map_is_shadow(const struct crush_map *map, int32_t id)
{
	const char *name = crush_names_get(&map->item_names, id);
	return name && strchr(name, '~') != NULL;
}

int crush_map_rule_by_name(const struct crush_map *map, const char *name)
{
	int32_t id;
	if (crush_names_find(&map->rule_names, name, &id) == 0)
		return id;
	return -ENOENT;
}

bool crush_map_device_in_hierarchy(const struct crush_map *map, int32_t dev)
{
	for (int32_t b = 0; b < map->max_buckets; b++) {
		const struct crush_bucket *bk = map->buckets[b];
		if (!bk)
			continue;
		for (uint32_t i = 0; i < bk->size; i++)
			if (bk->items[i] == dev)
				return true;
	}
	return false;
}

int crush_map_parent(const struct crush_map *map, int32_t item, int32_t *parent,
		     bool include_shadow)
{
	for (int32_t b = 0; b < map->max_buckets; b++) {
		const struct crush_bucket *bk = map->buckets[b];
		if (!bk || (!include_shadow && crush_map_is_shadow(map, bk->id)))
			continue;
		for (uint32_t i = 0; i < bk->size; i++) {
			if (bk->items[i] == item) {
				*parent = bk->id;
				return 0;
			}
		}
	}
	return -ENOENT;
}

size_t crush_map_roots(const struct crush_map *map, int32_t *out, size_t max,
		       bool include_shadow)
{
	size_t n = 0;
	/* Ceph lists roots from the most negative id up (a set of ints). */
	for (int32_t b = map->max_buckets - 1; b >= 0; b--) {
		const struct crush_bucket *bk = map->buckets[b];
		int32_t parent;
		if (!bk || (!include_shadow && crush_map_is_shadow(map, bk->id)))
			continue;
		if (crush_map_parent(map, bk->id, &parent, true) == 0)
			continue;
		if (n < max)
			out[n] = bk->id;
		n++;
	}
	return n;
}
