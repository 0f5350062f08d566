/*
 * Building and editing the structures of a map: buckets of each algorithm
 * with their derived arrays (list sums, tree node weights, straw lengths),
 * bucket and rule slots, and bottom-up reweighting.
 *
 * DESIGN NOTES
 *  1. item_weights is the source of truth for every algorithm; sums, tree
 *     nodes and straws are derived from it by bucket_derive().  An edit
 *     changes items/item_weights and re-derives, which gives the same
 *     arrays Ceph's incremental updates give.
 *  2. Bucket slots grow the way Ceph's do (8, then doubling) and rule
 *     slots to exactly the highest index used, so that an encoded map is
 *     byte-identical to Ceph's for the same history of edits.
 *  3. Straw lengths depend on map->t.straw_calc_version: version 0 is
 *     Ceph's original, subtly wrong computation, kept for old maps.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "crush.h"
#include "internal.h"

/* ---- tree geometry: leaves are odd nodes, height = trailing zeros ---- */

static int tree_depth(uint32_t size)
{
	if (size == 0)
		return 0;
	int depth = 1;
	for (uint32_t t = size - 1; t; t >>= 1)
		depth++;
	return depth;
}

static int tree_parent(int n)
{
	int h = crush_tree_height(n);
	if (n & (1 << (h + 1)))
		return n - (1 << h);
	return n + (1 << h);
}

static int tree_leaf_node(int i)
{
	return ((i + 1) << 1) - 1;
}

/*
 * Straw lengths are doubles scaled to 16.16 and stored in 32 bits.  For
 * extreme weights the value exceeds 32 bits; C leaves that conversion
 * undefined, and Ceph's maps hold what x86-64 produces: the low 32 bits
 * of a 64-bit truncation, 0 when even that overflows.  Do the same,
 * defined.
 */
static uint32_t straw_fixed(double straw)
{
	double v = straw * 0x10000;
	if (!(v > -9.2e18 && v < 9.2e18))
		return 0;
	return (uint32_t)(uint64_t)(int64_t)v;
}

/* Straw lengths so that each item wins in proportion to its weight. */
static int straw_calc(const struct crush_map *map, struct crush_bucket *b)
{
	uint32_t size = b->size;
	const uint32_t *weights = b->item_weights;
	int *reverse;

	if (size == 0)
		return 0;
	reverse = malloc(sizeof(int) * size);
	if (!reverse)
		return -ENOMEM;

	/* Sort indices by ascending weight; ties keep their order. */
	reverse[0] = 0;
	for (uint32_t i = 1; i < size; i++) {
		uint32_t j;
		for (j = 0; j < i; j++) {
			if (weights[i] < weights[reverse[j]]) {
				for (uint32_t k = i; k > j; k--)
					reverse[k] = reverse[k - 1];
				reverse[j] = (int)i;
				break;
			}
		}
		if (j == i)
			reverse[i] = (int)i;
	}

	int numleft = (int)size;
	double straw = 1.0, wbelow = 0, lastw = 0, wnext, pbelow;
	uint32_t i = 0;

	while (i < size) {
		if (map->t.straw_calc_version == 0) {
			if (weights[reverse[i]] == 0) {
				b->straws[reverse[i]] = 0;
				i++;
				continue;
			}
			b->straws[reverse[i]] = straw_fixed(straw);
			i++;
			if (i == size)
				break;
			if (weights[reverse[i]] == weights[reverse[i - 1]])
				continue;
			wbelow += ((double)weights[reverse[i - 1]] - lastw) * numleft;
			for (uint32_t j = i; j < size; j++) {
				if (weights[reverse[j]] == weights[reverse[i]])
					numleft--;
				else
					break;
			}
			wnext = numleft * (weights[reverse[i]] - weights[reverse[i - 1]]);
			pbelow = wbelow / (wbelow + wnext);
			straw *= pow(1.0 / pbelow, 1.0 / (double)numleft);
			lastw = weights[reverse[i - 1]];
		} else {
			if (weights[reverse[i]] == 0) {
				b->straws[reverse[i]] = 0;
				i++;
				numleft--;
				continue;
			}
			b->straws[reverse[i]] = straw_fixed(straw);
			i++;
			if (i == size)
				break;
			wbelow += ((double)weights[reverse[i - 1]] - lastw) * numleft;
			numleft--;
			wnext = numleft * (weights[reverse[i]] - weights[reverse[i - 1]]);
			pbelow = wbelow / (wbelow + wnext);
			straw *= pow(1.0 / pbelow, 1.0 / (double)numleft);
			lastw = weights[reverse[i - 1]];
		}
	}
	free(reverse);
	return 0;
}

/* Recompute weight and the algorithm's derived arrays from item_weights. */
static int bucket_derive(const struct crush_map *map, struct crush_bucket *b)
{
	uint64_t sum = 0;

	switch (b->alg) {
	case CRUSH_BUCKET_UNIFORM:
		b->weight = b->size ? b->item_weights[0] * b->size : 0;
		return 0;
	case CRUSH_BUCKET_LIST: {
		uint32_t *s = realloc(b->sum_weights, sizeof(uint32_t) * (b->size ? b->size : 1));
		if (!s)
			return -ENOMEM;
		b->sum_weights = s;
		for (uint32_t i = 0; i < b->size; i++) {
			sum += b->item_weights[i];
			s[i] = (uint32_t)sum;
		}
		b->weight = (uint32_t)sum;
		return 0;
	}
	case CRUSH_BUCKET_TREE: {
		int depth = tree_depth(b->size);
		uint32_t nodes = depth ? 1u << depth : 0;
		uint32_t *nw = calloc(nodes ? nodes : 1, sizeof(uint32_t));
		if (!nw)
			return -ENOMEM;
		for (uint32_t i = 0; i < b->size; i++) {
			int node = tree_leaf_node((int)i);
			nw[node] = b->item_weights[i];
			sum += b->item_weights[i];
			for (int j = 1; j < depth; j++) {
				node = tree_parent(node);
				nw[node] += b->item_weights[i];
			}
		}
		free(b->node_weights);
		b->node_weights = nw;
		b->num_nodes = nodes;
		b->weight = (uint32_t)sum;
		return 0;
	}
	case CRUSH_BUCKET_STRAW: {
		uint32_t *s = realloc(b->straws, sizeof(uint32_t) * (b->size ? b->size : 1));
		if (!s)
			return -ENOMEM;
		b->straws = s;
		for (uint32_t i = 0; i < b->size; i++)
			sum += b->item_weights[i];
		b->weight = (uint32_t)sum;
		return straw_calc(map, b);
	}
	case CRUSH_BUCKET_STRAW2: {
		double *inv = realloc(b->item_inv, sizeof(double) * (b->size ? b->size : 1));
		if (!inv)
			return -ENOMEM;
		b->item_inv = inv;
		for (uint32_t i = 0; i < b->size; i++) {
			sum += b->item_weights[i];
			inv[i] = b->item_weights[i] ? 1.0 / b->item_weights[i] : 0;
		}
		b->weight = (uint32_t)sum;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

int crush_bucket_rebuild(const struct crush_map *map, struct crush_bucket *b)
{
	return bucket_derive(map, b);
}

struct crush_bucket *crush_bucket_make(const struct crush_map *map, int alg, int hash,
				       int type, uint32_t size, const int32_t *items,
				       const uint32_t *weights)
{
	struct crush_bucket *b;

	if (alg < CRUSH_BUCKET_UNIFORM || alg > CRUSH_BUCKET_STRAW2 || type <= 0 ||
	    type > 0xffff)
		return NULL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->alg = (uint8_t)alg;
	b->hash = (uint8_t)hash;
	b->type = (uint16_t)type;
	b->size = size;
	b->items = calloc(size ? size : 1, sizeof(int32_t));
	b->item_weights = calloc(size ? size : 1, sizeof(uint32_t));
	if (!b->items || !b->item_weights)
		goto out_free;
	for (uint32_t i = 0; i < size; i++) {
		b->items[i] = items[i];
		/* a uniform bucket has one weight for all its items */
		b->item_weights[i] = alg == CRUSH_BUCKET_UNIFORM ? weights[0] : weights[i];
	}
	if (bucket_derive(map, b) < 0)
		goto out_free;
	return b;
out_free:
	crush_bucket_destroy(b);
	return NULL;
}

int crush_map_add_bucket(struct crush_map *map, int32_t id, struct crush_bucket *b,
			 int32_t *idout)
{
	int32_t pos;

	if (id == 0) {
		for (pos = 0; pos < map->max_buckets; pos++)
			if (!map->buckets[pos])
				break;
	} else {
		if (id > 0)
			return -EINVAL;
		pos = -1 - id;
	}
	while (pos >= map->max_buckets) {
		int32_t old = map->max_buckets;
		int32_t grow = old ? old * 2 : 8;
		if (grow > (1 << 24))
			return -ENOSPC;
		struct crush_bucket **nb = realloc(map->buckets, sizeof(*nb) * (size_t)grow);
		if (!nb)
			return -ENOMEM;
		memset(nb + old, 0, sizeof(*nb) * (size_t)(grow - old));
		map->buckets = nb;
		map->max_buckets = grow;
		/* keep every choose_args map as wide as the bucket array */
		for (size_t c = 0; c < map->n_choose_args; c++) {
			struct crush_choose_arg_map *cam = &map->choose_args[c];
			struct crush_choose_arg *na =
				realloc(cam->args, sizeof(*na) * (size_t)grow);
			if (!na)
				return -ENOMEM;
			memset(na + cam->size, 0, sizeof(*na) * (grow - cam->size));
			cam->args = na;
			cam->size = (uint32_t)grow;
		}
	}
	if (map->buckets[pos])
		return -EEXIST;
	b->id = -1 - pos;
	map->buckets[pos] = b;
	if (idout)
		*idout = b->id;
	crush_map_finalize(map);
	return 0;
}

int crush_map_remove_bucket(struct crush_map *map, int32_t id)
{
	if (id >= 0 || -1 - id >= map->max_buckets || !map->buckets[-1 - id])
		return -ENOENT;
	crush_bucket_destroy(map->buckets[-1 - id]);
	map->buckets[-1 - id] = NULL;
	crush_map_finalize(map);
	return 0;
}

int crush_bucket_add_item(const struct crush_map *map, struct crush_bucket *b, int32_t item,
			  uint32_t weight)
{
	int32_t *ni = realloc(b->items, sizeof(int32_t) * (b->size + 1));
	if (!ni)
		return -ENOMEM;
	b->items = ni;
	uint32_t *nw = realloc(b->item_weights, sizeof(uint32_t) * (b->size + 1));
	if (!nw)
		return -ENOMEM;
	b->item_weights = nw;
	b->items[b->size] = item;
	if (b->alg == CRUSH_BUCKET_UNIFORM && b->size > 0)
		weight = b->item_weights[0];
	b->item_weights[b->size] = weight;
	b->size++;
	return bucket_derive(map, b);
}

int crush_bucket_remove_item(const struct crush_map *map, struct crush_bucket *b,
			     int32_t item)
{
	uint32_t i;
	for (i = 0; i < b->size; i++)
		if (b->items[i] == item)
			break;
	if (i == b->size)
		return -ENOENT;
	if (b->alg == CRUSH_BUCKET_TREE) {
		/* A tree keeps the hole (item 0, weight 0) unless it is at the
		 * end, so that the other items keep their nodes. */
		b->items[i] = 0;
		b->item_weights[i] = 0;
		while (b->size > 0 && b->item_weights[b->size - 1] == 0)
			b->size--;
	} else {
		memmove(&b->items[i], &b->items[i + 1], sizeof(int32_t) * (b->size - i - 1));
		memmove(&b->item_weights[i], &b->item_weights[i + 1],
			sizeof(uint32_t) * (b->size - i - 1));
		b->size--;
	}
	return bucket_derive(map, b);
}

int crush_bucket_adjust_item_weight(const struct crush_map *map, struct crush_bucket *b,
				    int32_t item, uint32_t weight)
{
	for (uint32_t i = 0; i < b->size; i++) {
		if (b->items[i] != item)
			continue;
		if (b->alg == CRUSH_BUCKET_UNIFORM) {
			for (uint32_t j = 0; j < b->size; j++)
				b->item_weights[j] = weight;
		} else {
			b->item_weights[i] = weight;
		}
		return bucket_derive(map, b);
	}
	return -ENOENT;
}

struct crush_rule *crush_rule_make(uint32_t len, int ruleset, int type, int min_size,
				   int max_size)
{
	struct crush_rule *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->steps = calloc(len ? len : 1, sizeof(*r->steps));
	if (!r->steps) {
		free(r);
		return NULL;
	}
	r->len = len;
	r->ruleset = (uint8_t)ruleset;
	r->type = (uint8_t)type;
	r->min_size = (uint8_t)min_size;
	r->max_size = (uint8_t)max_size;
	return r;
}

int crush_map_add_rule(struct crush_map *map, struct crush_rule *rule, int ruleno)
{
	uint32_t r;

	if (ruleno < 0) {
		for (r = 0; r < map->max_rules; r++)
			if (!map->rules[r])
				break;
	} else {
		r = (uint32_t)ruleno;
	}
	if (r >= CRUSH_MAX_RULES)
		return -ENOSPC;
	if (r >= map->max_rules) {
		struct crush_rule **nr = realloc(map->rules, sizeof(*nr) * (r + 1));
		if (!nr)
			return -ENOMEM;
		memset(nr + map->max_rules, 0, sizeof(*nr) * (r + 1 - map->max_rules));
		map->rules = nr;
		map->max_rules = r + 1;
	}
	if (map->rules[r])
		return -EEXIST;
	map->rules[r] = rule;
	return (int)r;
}

/* Bottom-up: a bucket's item weight for a child bucket is that child's
 * total weight. */
static int reweight_bucket(struct crush_map *map, struct crush_bucket *b, int depth)
{
	if (depth > 64)
		return -ELOOP;
	if (b->alg == CRUSH_BUCKET_UNIFORM) {
		uint64_t sum = 0;
		uint32_t n = 0, leaves = 0;
		for (uint32_t i = 0; i < b->size; i++) {
			struct crush_bucket *c = (struct crush_bucket *)crush_map_bucket(map, b->items[i]);
			if (b->items[i] < 0 && c) {
				int rc = reweight_bucket(map, c, depth + 1);
				if (rc < 0)
					return rc;
				if (c->weight) {
					sum += c->weight;
					n++;
				}
			} else {
				leaves++;
			}
		}
		if (n > leaves && n) {
			for (uint32_t i = 0; i < b->size; i++)
				b->item_weights[i] = (uint32_t)(sum / n);
		}
		return bucket_derive(map, b);
	}
	for (uint32_t i = 0; i < b->size; i++) {
		struct crush_bucket *c = (struct crush_bucket *)crush_map_bucket(map, b->items[i]);
		if (b->items[i] < 0 && c) {
			int rc = reweight_bucket(map, c, depth + 1);
			if (rc < 0)
				return rc;
			b->item_weights[i] = c->weight;
		}
	}
	return bucket_derive(map, b);
}

int crush_map_reweight(struct crush_map *map)
{
	int32_t roots[1024];
	size_t n = crush_map_roots(map, roots, 1024, true);
	if (n > 1024)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		int rc = reweight_bucket(map, map->buckets[-1 - roots[i]], 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}
