/*
 * Ceph's binary CRUSH map format (what `crushtool -c` and
 * `ceph osd getcrushmap` write): little-endian, a magic, the bucket and
 * rule arrays, the name tables, then optional trailing sections (tunables,
 * device classes, choose_args) that older maps lack.
 *
 * The decoder reads through a bounds-checked cursor that remembers its
 * first error; every count that sizes an allocation is checked against
 * the bytes left first.  A decoded map is then validated so the mapper can
 * trust it: bucket ids match their slots, items name existing buckets, the
 * hierarchy has no cycle, tree and choose_args arrays fit their buckets.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/errbuf.h"
#include "crush.h"

struct cursor {
	const uint8_t *p, *end;
	const uint8_t *start;
	const char *what; /* first error */
};

static bool cur_need(struct cursor *c, size_t n, const char *what)
{
	if (c->what)
		return false;
	if ((size_t)(c->end - c->p) < n) {
		c->what = what;
		return false;
	}
	return true;
}

static uint8_t get_u8(struct cursor *c, const char *what)
{
	if (!cur_need(c, 1, what))
		return 0;
	return *c->p++;
}

static uint16_t get_u16(struct cursor *c, const char *what)
{
	if (!cur_need(c, 2, what))
		return 0;
	uint16_t v = (uint16_t)(c->p[0] | c->p[1] << 8);
	c->p += 2;
	return v;
}

static uint32_t get_u32(struct cursor *c, const char *what)
{
	if (!cur_need(c, 4, what))
		return 0;
	uint32_t v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 | (uint32_t)c->p[2] << 16 |
		     (uint32_t)c->p[3] << 24;
	c->p += 4;
	return v;
}

static uint64_t get_u64(struct cursor *c, const char *what)
{
	uint64_t lo = get_u32(c, what);
	uint64_t hi = get_u32(c, what);
	return lo | hi << 32;
}

static size_t cur_left(const struct cursor *c)
{
	return c->what ? 0 : (size_t)(c->end - c->p);
}

/* A count of elements of at least elem bytes each must fit what is left. */
static bool count_fits(struct cursor *c, uint64_t n, size_t elem, const char *what)
{
	if (c->what)
		return false;
	if (n > cur_left(c) / elem) {
		c->what = what;
		return false;
	}
	return true;
}

static int decode_names(struct cursor *c, struct crush_names *t, const char *what)
{
	uint32_t n = get_u32(c, what);
	if (!count_fits(c, n, 8, what))
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		int32_t id = (int32_t)get_u32(c, what);
		uint32_t len = get_u32(c, what);
		if (!count_fits(c, len, 1, what))
			return -EINVAL;
		char *s = malloc((size_t)len + 1);
		if (!s)
			return -ENOMEM;
		memcpy(s, c->p, len);
		s[len] = 0;
		c->p += len;
		int rc = crush_names_set(t, id, s);
		free(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static struct crush_bucket *decode_bucket(struct cursor *c, int32_t slot)
{
	struct crush_bucket *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->id = (int32_t)get_u32(c, "bucket id");
	b->type = get_u16(c, "bucket type");
	b->alg = get_u8(c, "bucket alg");
	b->hash = get_u8(c, "bucket hash");
	b->weight = get_u32(c, "bucket weight");
	b->size = get_u32(c, "bucket size");
	if (c->what)
		goto out_free;
	if (b->id != -1 - slot) {
		c->what = "bucket id does not match its slot";
		goto out_free;
	}
	if (!count_fits(c, b->size, 4, "bucket items"))
		goto out_free;
	b->items = calloc(b->size ? b->size : 1, sizeof(int32_t));
	b->item_weights = calloc(b->size ? b->size : 1, sizeof(uint32_t));
	if (!b->items || !b->item_weights) {
		c->what = "out of memory";
		goto out_free;
	}
	for (uint32_t i = 0; i < b->size; i++)
		b->items[i] = (int32_t)get_u32(c, "bucket items");

	switch (b->alg) {
	case CRUSH_BUCKET_UNIFORM: {
		uint32_t w = get_u32(c, "uniform item weight");
		for (uint32_t i = 0; i < b->size; i++)
			b->item_weights[i] = w;
		break;
	}
	case CRUSH_BUCKET_LIST:
		if (!count_fits(c, b->size, 8, "list weights"))
			goto out_free;
		b->sum_weights = calloc(b->size ? b->size : 1, sizeof(uint32_t));
		if (!b->sum_weights)
			goto out_free;
		for (uint32_t i = 0; i < b->size; i++) {
			b->item_weights[i] = get_u32(c, "list weights");
			b->sum_weights[i] = get_u32(c, "list weights");
		}
		break;
	case CRUSH_BUCKET_TREE: {
		b->num_nodes = get_u8(c, "tree node count");
		if (!count_fits(c, b->num_nodes, 4, "tree node weights"))
			goto out_free;
		/* The node array must be exactly the tree that holds size items,
		 * or a descent could step outside items[]. */
		uint32_t want = 0;
		if (b->size) {
			want = 2;
			while (want < 2 * b->size)
				want <<= 1;
		}
		if (b->num_nodes != want) {
			c->what = "tree bucket node count does not match its size";
			goto out_free;
		}
		b->node_weights = calloc(b->num_nodes ? b->num_nodes : 1, sizeof(uint32_t));
		if (!b->node_weights)
			goto out_free;
		for (uint32_t i = 0; i < b->num_nodes; i++)
			b->node_weights[i] = get_u32(c, "tree node weights");
		for (uint32_t i = 0; i < b->size; i++)
			b->item_weights[i] = b->node_weights[2 * i + 1];
		break;
	}
	case CRUSH_BUCKET_STRAW:
		if (!count_fits(c, b->size, 8, "straw weights"))
			goto out_free;
		b->straws = calloc(b->size ? b->size : 1, sizeof(uint32_t));
		if (!b->straws)
			goto out_free;
		for (uint32_t i = 0; i < b->size; i++) {
			b->item_weights[i] = get_u32(c, "straw weights");
			b->straws[i] = get_u32(c, "straw weights");
		}
		break;
	case CRUSH_BUCKET_STRAW2:
		if (!count_fits(c, b->size, 4, "straw2 weights"))
			goto out_free;
		b->item_inv = calloc(b->size ? b->size : 1, sizeof(double));
		if (!b->item_inv)
			goto out_free;
		for (uint32_t i = 0; i < b->size; i++) {
			b->item_weights[i] = get_u32(c, "straw2 weights");
			if (b->item_weights[i])
				b->item_inv[i] = 1.0 / b->item_weights[i];
		}
		break;
	default:
		c->what = "unknown bucket algorithm";
		goto out_free;
	}
	if (c->what)
		goto out_free;
	return b;
out_free:
	if (!c->what)
		c->what = "out of memory";
	crush_bucket_destroy(b);
	return NULL;
}

static int decode_choose_args(struct cursor *c, struct crush_map *map)
{
	uint32_t n = get_u32(c, "choose_args count");
	if (!count_fits(c, n, 12, "choose_args count"))
		return -EINVAL;
	if (n == 0)
		return 0;
	map->choose_args = calloc(n, sizeof(*map->choose_args));
	if (!map->choose_args)
		return -ENOMEM;
	for (uint32_t k = 0; k < n; k++) {
		struct crush_choose_arg_map *cam = &map->choose_args[k];
		cam->id = (int64_t)get_u64(c, "choose_args id");
		if (k > 0 && cam->id <= map->choose_args[k - 1].id) {
			c->what = "choose_args ids out of order";
			return -EINVAL;
		}
		cam->size = (uint32_t)map->max_buckets;
		cam->args = calloc(cam->size ? cam->size : 1, sizeof(*cam->args));
		map->n_choose_args = k + 1;
		if (!cam->args)
			return -ENOMEM;
		uint32_t nargs = get_u32(c, "choose_args size");
		if (!count_fits(c, nargs, 12, "choose_args size"))
			return -EINVAL;
		for (uint32_t a = 0; a < nargs; a++) {
			uint32_t bidx = get_u32(c, "choose_args bucket");
			if (c->what)
				return -EINVAL;
			if (bidx >= cam->size || !map->buckets[bidx] ||
			    cam->args[bidx].weight_set || cam->args[bidx].ids) {
				c->what = "choose_args names a missing bucket";
				return -EINVAL;
			}
			struct crush_choose_arg *arg = &cam->args[bidx];
			const struct crush_bucket *b = map->buckets[bidx];
			uint32_t npos = get_u32(c, "choose_args positions");
			if (!count_fits(c, npos, 4, "choose_args positions"))
				return -EINVAL;
			if (npos) {
				arg->weight_set = calloc(npos, sizeof(*arg->weight_set));
				if (!arg->weight_set)
					return -ENOMEM;
				arg->weight_set_positions = npos;
			}
			for (uint32_t p = 0; p < npos; p++) {
				struct crush_weight_set *ws = &arg->weight_set[p];
				uint32_t sz = get_u32(c, "weight_set size");
				if (!count_fits(c, sz, 4, "weight_set size"))
					return -EINVAL;
				if (sz != b->size) {
					c->what = "weight_set size differs from its bucket's";
					return -EINVAL;
				}
				ws->weights = calloc(sz ? sz : 1, sizeof(uint32_t));
				if (!ws->weights)
					return -ENOMEM;
				ws->size = sz;
				for (uint32_t i = 0; i < sz; i++)
					ws->weights[i] = get_u32(c, "weight_set weights");
			}
			uint32_t nids = get_u32(c, "choose_args ids");
			if (!count_fits(c, nids, 4, "choose_args ids"))
				return -EINVAL;
			if (nids && nids != b->size) {
				c->what = "choose_args ids size differs from its bucket's";
				return -EINVAL;
			}
			if (nids) {
				arg->ids = calloc(nids, sizeof(int32_t));
				if (!arg->ids)
					return -ENOMEM;
				arg->ids_size = nids;
				for (uint32_t i = 0; i < nids; i++)
					arg->ids[i] = (int32_t)get_u32(c, "choose_args ids");
			}
			/* Only straw2 buckets use weight sets, and Ceph's decoder
			 * drops the others' (its decompile and dump never show
			 * them); so do we. */
			if (b->alg != CRUSH_BUCKET_STRAW2) {
				free(arg->ids);
				for (uint32_t p = 0; p < arg->weight_set_positions; p++)
					free(arg->weight_set[p].weights);
				free(arg->weight_set);
				memset(arg, 0, sizeof(*arg));
			}
		}
	}
	return c->what ? -EINVAL : 0;
}

/*
 * Limits on what a map may ask of the mapper.  Ceph accepts any value, and
 * a hostile map could make one mapping run for hours; real maps stay far
 * below these (Ceph's own profiles use at most 50 tries, EC rules 100).
 */
#define CRUSH_LIMIT_TRIES 1000
#define CRUSH_LIMIT_LOCAL_TRIES 100
#define CRUSH_LIMIT_NUMREP 1024

static int validate_limits(const struct crush_map *map, char *err, size_t errlen)
{
	const struct crush_tunables *t = &map->t;
	if (t->choose_total_tries > CRUSH_LIMIT_TRIES ||
	    t->choose_local_tries > CRUSH_LIMIT_LOCAL_TRIES ||
	    t->choose_local_fallback_tries > CRUSH_LIMIT_LOCAL_TRIES) {
		err_set(err, errlen,
		     "unsupported tunables: choose_total_tries %u (max %d), choose_local_tries %u, "
		     "choose_local_fallback_tries %u (max %d)",
		     t->choose_total_tries, CRUSH_LIMIT_TRIES, t->choose_local_tries,
		     t->choose_local_fallback_tries, CRUSH_LIMIT_LOCAL_TRIES);
		return -EINVAL;
	}
	for (uint32_t r = 0; r < map->max_rules; r++) {
		const struct crush_rule *rule = map->rules[r];
		for (uint32_t i = 0; rule && i < rule->len; i++) {
			const struct crush_rule_step *st = &rule->steps[i];
			int64_t limit = 0;
			switch (st->op) {
			case CRUSH_RULE_CHOOSE_FIRSTN:
			case CRUSH_RULE_CHOOSE_INDEP:
			case CRUSH_RULE_CHOOSELEAF_FIRSTN:
			case CRUSH_RULE_CHOOSELEAF_INDEP:
				limit = CRUSH_LIMIT_NUMREP;
				break;
			case CRUSH_RULE_SET_CHOOSE_TRIES:
			case CRUSH_RULE_SET_CHOOSELEAF_TRIES:
				limit = CRUSH_LIMIT_TRIES;
				break;
			case CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES:
			case CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES:
				limit = CRUSH_LIMIT_LOCAL_TRIES;
				break;
			default:
				continue;
			}
			if (st->arg1 > limit || st->arg1 < -limit) {
				err_set(err, errlen, "rule %u step %u: argument %d is out of range (|n| <= %lld)",
				     r, i, st->arg1, (long long)limit);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Every class an item or shadow bucket refers to must have a name (Ceph
 * aborts on such maps; we refuse them). */
static int validate_classes(const struct crush_map *map, char *err, size_t errlen)
{
	for (size_t i = 0; i < map->class_map.n; i++) {
		if (!crush_names_get(&map->class_names, map->class_map.v[i].val)) {
			err_set(err, errlen, "item %d has class id %d, which has no name",
			     map->class_map.v[i].key, map->class_map.v[i].val);
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < map->n_class_buckets; i++) {
		if (!crush_names_get(&map->class_names, map->class_buckets[i].class_id)) {
			err_set(err, errlen, "bucket %d has a shadow for class id %d, which has no name",
			     map->class_buckets[i].bucket, map->class_buckets[i].class_id);
			return -EINVAL;
		}
	}
	return 0;
}

/* Items must name existing buckets and the hierarchy must be acyclic. */
static int validate_hierarchy(const struct crush_map *map, char *err, size_t errlen)
{
	int rc = 0;
	uint8_t *state = calloc(map->max_buckets ? (size_t)map->max_buckets : 1, 1);
	int32_t *stack = malloc(sizeof(int32_t) * (map->max_buckets ? (size_t)map->max_buckets : 1) * 2);
	if (!state || !stack) {
		rc = -ENOMEM;
		goto out;
	}
	for (int32_t b = 0; b < map->max_buckets; b++) {
		const struct crush_bucket *bk = map->buckets[b];
		if (!bk)
			continue;
		for (uint32_t i = 0; i < bk->size; i++) {
			int32_t it = bk->items[i];
			if (it < 0 && (-1 - (int64_t)it >= map->max_buckets || !map->buckets[-1 - it])) {
				err_set(err, errlen, "bucket %d holds item %d, which does not exist",
				     bk->id, it);
				rc = -EINVAL;
				goto out;
			}
		}
	}
	/* Iterative DFS: state 1 = on the current path, 2 = done. stack
	 * holds (bucket slot, next item index) pairs. */
	for (int32_t root = 0; root < map->max_buckets; root++) {
		if (!map->buckets[root] || state[root])
			continue;
		size_t sp = 0;
		stack[sp++] = root;
		stack[sp++] = 0;
		state[root] = 1;
		while (sp) {
			int32_t slot = stack[sp - 2];
			int32_t idx = stack[sp - 1];
			const struct crush_bucket *bk = map->buckets[slot];
			if ((uint32_t)idx >= bk->size) {
				state[slot] = 2;
				sp -= 2;
				continue;
			}
			stack[sp - 1]++;
			int32_t it = bk->items[idx];
			if (it >= 0)
				continue;
			int32_t child = -1 - it;
			if (state[child] == 1) {
				err_set(err, errlen, "bucket %d is its own ancestor (a cycle)",
				     map->buckets[child]->id);
				rc = -EINVAL;
				goto out;
			}
			if (state[child] == 0) {
				state[child] = 1;
				stack[sp++] = child;
				stack[sp++] = 0;
			}
		}
	}
out:
	free(state);
	free(stack);
	return rc;
}

int crush_map_decode(const void *buf, size_t len, struct crush_map **out, char *err,
		     size_t errlen)
{
	struct cursor c = {.p = buf, .end = (const uint8_t *)buf + len, .start = buf};
	struct crush_map *map = calloc(1, sizeof(*map));
	int rc = -EINVAL;

	*out = NULL;
	if (!map)
		return -ENOMEM;
	crush_tunables_set_legacy(&map->t);

	uint32_t magic = get_u32(&c, "magic");
	if (!c.what && magic != CRUSH_MAGIC) {
		err_set(err, errlen, "bad magic 0x%08x: not a CRUSH map", magic);
		goto out_free;
	}
	map->max_buckets = (int32_t)get_u32(&c, "max_buckets");
	map->max_rules = get_u32(&c, "max_rules");
	map->max_devices = (int32_t)get_u32(&c, "max_devices");
	if (c.what)
		goto out_cursor;
	if (map->max_buckets < 0 || map->max_devices < 0 ||
	    !count_fits(&c, (uint32_t)map->max_buckets, 4, "max_buckets") ||
	    !count_fits(&c, map->max_rules, 4, "max_rules")) {
		err_set(err, errlen, "implausible sizes: max_buckets %d max_rules %u max_devices %d",
		     map->max_buckets, map->max_rules, map->max_devices);
		goto out_free;
	}
	if (map->max_rules > CRUSH_MAX_RULES) {
		err_set(err, errlen, "max_rules %u exceeds %d", map->max_rules, CRUSH_MAX_RULES);
		goto out_free;
	}
	map->buckets = calloc(map->max_buckets ? (size_t)map->max_buckets : 1, sizeof(*map->buckets));
	map->rules = calloc(map->max_rules ? map->max_rules : 1, sizeof(*map->rules));
	if (!map->buckets || !map->rules) {
		rc = -ENOMEM;
		goto out_free;
	}

	for (int32_t i = 0; i < map->max_buckets; i++) {
		uint32_t alg = get_u32(&c, "bucket alg");
		if (c.what)
			goto out_cursor;
		if (alg == 0)
			continue;
		map->buckets[i] = decode_bucket(&c, i);
		if (!map->buckets[i])
			goto out_cursor;
		if (map->buckets[i]->alg != alg) {
			c.what = "bucket algorithm mismatch";
			goto out_cursor;
		}
	}

	for (uint32_t i = 0; i < map->max_rules; i++) {
		uint32_t yes = get_u32(&c, "rule presence");
		if (c.what)
			goto out_cursor;
		if (!yes)
			continue;
		uint32_t n = get_u32(&c, "rule length");
		if (!count_fits(&c, n, 12, "rule steps"))
			goto out_cursor;
		struct crush_rule *r = crush_rule_make(n, 0, 0, 0, 0);
		if (!r) {
			rc = -ENOMEM;
			goto out_free;
		}
		map->rules[i] = r;
		r->ruleset = get_u8(&c, "rule mask");
		r->type = get_u8(&c, "rule mask");
		r->min_size = get_u8(&c, "rule mask");
		r->max_size = get_u8(&c, "rule mask");
		for (uint32_t s = 0; s < n; s++) {
			r->steps[s].op = get_u32(&c, "rule step");
			r->steps[s].arg1 = (int32_t)get_u32(&c, "rule step");
			r->steps[s].arg2 = (int32_t)get_u32(&c, "rule step");
		}
	}

	if ((rc = decode_names(&c, &map->type_names, "type names")) < 0 ||
	    (rc = decode_names(&c, &map->item_names, "item names")) < 0 ||
	    (rc = decode_names(&c, &map->rule_names, "rule names")) < 0) {
		if (rc == -ENOMEM)
			goto out_free;
		goto out_cursor;
	}
	if (c.what)
		goto out_cursor;

	/* Optional trailing sections, each present only in newer maps. */
	if (cur_left(&c)) {
		map->t.choose_local_tries = get_u32(&c, "tunables");
		map->t.choose_local_fallback_tries = get_u32(&c, "tunables");
		map->t.choose_total_tries = get_u32(&c, "tunables");
	}
	if (cur_left(&c))
		map->t.chooseleaf_descend_once = get_u32(&c, "tunables");
	if (cur_left(&c))
		map->t.chooseleaf_vary_r = get_u8(&c, "tunables");
	if (cur_left(&c))
		map->t.straw_calc_version = get_u8(&c, "tunables");
	if (cur_left(&c))
		map->t.allowed_bucket_algs = get_u32(&c, "tunables");
	if (cur_left(&c))
		map->t.chooseleaf_stable = get_u8(&c, "tunables");
	if (c.what)
		goto out_cursor;
	if (cur_left(&c)) {
		/* device classes */
		uint32_t n = get_u32(&c, "class map");
		if (!count_fits(&c, n, 8, "class map"))
			goto out_cursor;
		for (uint32_t i = 0; i < n; i++) {
			int32_t k = (int32_t)get_u32(&c, "class map");
			int32_t v = (int32_t)get_u32(&c, "class map");
			if ((rc = crush_pairs_set(&map->class_map, k, v)) < 0)
				goto out_free;
		}
		if ((rc = decode_names(&c, &map->class_names, "class names")) < 0) {
			if (rc == -ENOMEM)
				goto out_free;
			goto out_cursor;
		}
		n = get_u32(&c, "class buckets");
		if (!count_fits(&c, n, 8, "class buckets"))
			goto out_cursor;
		for (uint32_t i = 0; i < n; i++) {
			int32_t bucket = (int32_t)get_u32(&c, "class buckets");
			uint32_t m = get_u32(&c, "class buckets");
			if (!count_fits(&c, m, 8, "class buckets"))
				goto out_cursor;
			for (uint32_t j = 0; j < m; j++) {
				int32_t cls = (int32_t)get_u32(&c, "class buckets");
				int32_t shadow = (int32_t)get_u32(&c, "class buckets");
				if ((rc = crush_map_class_bucket_set(map, bucket, cls, shadow)) < 0)
					goto out_free;
			}
		}
		if (c.what)
			goto out_cursor;
	}
	if (cur_left(&c)) {
		rc = decode_choose_args(&c, map);
		if (rc == -ENOMEM)
			goto out_free;
		if (c.what)
			goto out_cursor;
	}
	if (cur_left(&c)) {
		/* Newer encodings may append more; like Ceph we ignore them. */
	}

	rc = validate_hierarchy(map, err, errlen);
	if (rc == 0)
		rc = validate_limits(map, err, errlen);
	if (rc == 0)
		rc = validate_classes(map, err, errlen);
	if (rc < 0)
		goto out_free;
	crush_map_finalize(map);
	*out = map;
	return 0;

out_cursor:
	err_set(err, errlen, "corrupt or truncated CRUSH map: %s at byte %zu",
	     c.what ? c.what : "bad data", (size_t)(c.p - c.start));
	rc = -EINVAL;
out_free:
	if (rc == -ENOMEM)
		err_set(err, errlen, "out of memory decoding CRUSH map");
	crush_map_destroy(map);
	return rc;
}

/* ---- encoding ---- */

struct sink {
	uint8_t *buf;
	size_t len, cap;
	bool oom;
};

static void put(struct sink *s, const void *p, size_t n)
{
	if (s->oom)
		return;
	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		while (cap < s->len + n)
			cap *= 2;
		uint8_t *nb = realloc(s->buf, cap);
		if (!nb) {
			s->oom = true;
			return;
		}
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void put_u8(struct sink *s, uint8_t v)
{
	put(s, &v, 1);
}

static void put_u16(struct sink *s, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(s, b, 2);
}

static void put_u32(struct sink *s, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	put(s, b, 4);
}

static void put_u64(struct sink *s, uint64_t v)
{
	put_u32(s, (uint32_t)v);
	put_u32(s, (uint32_t)(v >> 32));
}

static void put_names(struct sink *s, const struct crush_names *t)
{
	put_u32(s, (uint32_t)t->n);
	for (size_t i = 0; i < t->n; i++) {
		size_t l = strlen(t->v[i].name);
		put_u32(s, (uint32_t)t->v[i].id);
		put_u32(s, (uint32_t)l);
		put(s, t->v[i].name, l);
	}
}

static void put_bucket(struct sink *s, const struct crush_bucket *b)
{
	put_u32(s, b->alg);
	put_u32(s, (uint32_t)b->id);
	put_u16(s, b->type);
	put_u8(s, b->alg);
	put_u8(s, b->hash);
	put_u32(s, b->weight);
	put_u32(s, b->size);
	for (uint32_t i = 0; i < b->size; i++)
		put_u32(s, (uint32_t)b->items[i]);
	switch (b->alg) {
	case CRUSH_BUCKET_UNIFORM:
		put_u32(s, b->size ? b->item_weights[0] : 0);
		break;
	case CRUSH_BUCKET_LIST:
		for (uint32_t i = 0; i < b->size; i++) {
			put_u32(s, b->item_weights[i]);
			put_u32(s, b->sum_weights[i]);
		}
		break;
	case CRUSH_BUCKET_TREE:
		/* Ceph stores the node count in one byte. */
		put_u8(s, (uint8_t)b->num_nodes);
		for (uint32_t i = 0; i < b->num_nodes; i++)
			put_u32(s, b->node_weights[i]);
		break;
	case CRUSH_BUCKET_STRAW:
		for (uint32_t i = 0; i < b->size; i++) {
			put_u32(s, b->item_weights[i]);
			put_u32(s, b->straws[i]);
		}
		break;
	case CRUSH_BUCKET_STRAW2:
		for (uint32_t i = 0; i < b->size; i++)
			put_u32(s, b->item_weights[i]);
		break;
	}
}

int crush_map_encode(const struct crush_map *map, uint8_t **buf, size_t *len)
{
	struct sink s = {0};

	put_u32(&s, CRUSH_MAGIC);
	put_u32(&s, (uint32_t)map->max_buckets);
	put_u32(&s, map->max_rules);
	put_u32(&s, (uint32_t)map->max_devices);
	for (int32_t i = 0; i < map->max_buckets; i++) {
		if (!map->buckets[i])
			put_u32(&s, 0);
		else
			put_bucket(&s, map->buckets[i]);
	}
	for (uint32_t i = 0; i < map->max_rules; i++) {
		const struct crush_rule *r = map->rules[i];
		put_u32(&s, r ? 1 : 0);
		if (!r)
			continue;
		put_u32(&s, r->len);
		put_u8(&s, r->ruleset);
		put_u8(&s, r->type);
		put_u8(&s, r->min_size);
		put_u8(&s, r->max_size);
		for (uint32_t j = 0; j < r->len; j++) {
			put_u32(&s, r->steps[j].op);
			put_u32(&s, (uint32_t)r->steps[j].arg1);
			put_u32(&s, (uint32_t)r->steps[j].arg2);
		}
	}
	put_names(&s, &map->type_names);
	put_names(&s, &map->item_names);
	put_names(&s, &map->rule_names);

	put_u32(&s, map->t.choose_local_tries);
	put_u32(&s, map->t.choose_local_fallback_tries);
	put_u32(&s, map->t.choose_total_tries);
	put_u32(&s, map->t.chooseleaf_descend_once);
	put_u8(&s, map->t.chooseleaf_vary_r);
	put_u8(&s, map->t.straw_calc_version);
	put_u32(&s, map->t.allowed_bucket_algs);
	put_u8(&s, map->t.chooseleaf_stable);

	put_u32(&s, (uint32_t)map->class_map.n);
	for (size_t i = 0; i < map->class_map.n; i++) {
		put_u32(&s, (uint32_t)map->class_map.v[i].key);
		put_u32(&s, (uint32_t)map->class_map.v[i].val);
	}
	put_names(&s, &map->class_names);
	/* class_buckets is sorted by (bucket, class): group by bucket. */
	size_t groups = 0;
	for (size_t i = 0; i < map->n_class_buckets; i++)
		if (i == 0 || map->class_buckets[i].bucket != map->class_buckets[i - 1].bucket)
			groups++;
	put_u32(&s, (uint32_t)groups);
	for (size_t i = 0; i < map->n_class_buckets;) {
		size_t j = i;
		while (j < map->n_class_buckets &&
		       map->class_buckets[j].bucket == map->class_buckets[i].bucket)
			j++;
		put_u32(&s, (uint32_t)map->class_buckets[i].bucket);
		put_u32(&s, (uint32_t)(j - i));
		for (size_t k = i; k < j; k++) {
			put_u32(&s, (uint32_t)map->class_buckets[k].class_id);
			put_u32(&s, (uint32_t)map->class_buckets[k].shadow);
		}
		i = j;
	}

	put_u32(&s, (uint32_t)map->n_choose_args);
	for (size_t k = 0; k < map->n_choose_args; k++) {
		const struct crush_choose_arg_map *cam = &map->choose_args[k];
		uint32_t n = 0;
		for (uint32_t i = 0; i < cam->size; i++)
			if (cam->args[i].weight_set_positions || cam->args[i].ids_size)
				n++;
		put_u64(&s, (uint64_t)cam->id);
		put_u32(&s, n);
		for (uint32_t i = 0; i < cam->size; i++) {
			const struct crush_choose_arg *a = &cam->args[i];
			if (!a->weight_set_positions && !a->ids_size)
				continue;
			put_u32(&s, i);
			put_u32(&s, a->weight_set_positions);
			for (uint32_t p = 0; p < a->weight_set_positions; p++) {
				put_u32(&s, a->weight_set[p].size);
				for (uint32_t w = 0; w < a->weight_set[p].size; w++)
					put_u32(&s, a->weight_set[p].weights[w]);
			}
			put_u32(&s, a->ids_size);
			for (uint32_t w = 0; w < a->ids_size; w++)
				put_u32(&s, (uint32_t)a->ids[w]);
		}
	}
	if (s.oom) {
		free(s.buf);
		return -ENOMEM;
	}
	*buf = s.buf;
	*len = s.len;
	return 0;
}
