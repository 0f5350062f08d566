/*
 * The CRUSH mapping function: from an input x and a rule to an ordered
 * list of devices.  The results must equal Ceph's for every map, so the
 * retry logic below follows the published algorithm exactly, including
 * its historical quirks that the tunables switch on and off.
 *
 * DESIGN NOTES
 *  1. Mapping never writes to the map; all scratch lives in a caller-owned
 *     work area (crush_work_size bytes), so any number of threads may map
 *     against one map, each with its own area.  Nothing is allocated.
 *  2. The work area holds, per bucket, the partial permutation used by
 *     uniform buckets (and by the local fallback search).  A permutation
 *     is a pure function of (bucket, x), so a cached one stays valid from
 *     one call to the next; it is rebuilt whenever x changes.
 *  3. Retries: "r" (the replica rank plus failures so far) feeds the
 *     bucket hash; firstn retries shift r by the total failures, indep by
 *     multiples of numrep, so that a failure only moves the replicas after
 *     it (firstn) or none of the others (indep).
 */
#include <string.h>

#include "crush.h"
#include "internal.h"

/* The hash calls below, inlined: unknown hash types hash to 0 as in Ceph. */
static inline uint32_t hash2(int type, uint32_t a, uint32_t b)
{
	return type == CRUSH_HASH_RJENKINS1 ? crush_rjenkins1_2(a, b) : 0;
}

static inline uint32_t hash3(int type, uint32_t a, uint32_t b, uint32_t c)
{
	return type == CRUSH_HASH_RJENKINS1 ? crush_rjenkins1_3(a, b, c) : 0;
}

static inline uint32_t hash4(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	return type == CRUSH_HASH_RJENKINS1 ? crush_rjenkins1_4(a, b, c, d) : 0;
}

#define WORK_ALIGN(n) (((n) + sizeof(void *) - 1) & ~(sizeof(void *) - 1))

size_t crush_work_size(const struct crush_map *map, int result_max)
{
	return map->working_size + WORK_ALIGN(3 * (size_t)result_max * sizeof(int));
}

void crush_work_init(const struct crush_map *map, void *work, int result_max)
{
	struct crush_work_bucket *wb = work;
	uint32_t *perm = (uint32_t *)(wb + map->max_buckets);

	(void)result_max;
	for (int32_t b = 0; b < map->max_buckets; b++) {
		wb[b].perm_x = 0;
		wb[b].perm_n = 0;
		wb[b].perm = perm;
		if (map->buckets[b])
			perm += map->buckets[b]->size;
	}
}

/* Choose the r'th item of a pseudo-random permutation of the bucket. */
static int bucket_perm_choose(const struct crush_bucket *b, struct crush_work_bucket *w,
			      int x, int r)
{
	unsigned int pr = (unsigned int)r % b->size;
	unsigned int i, s;

	if (w->perm_x != (uint32_t)x || w->perm_n == 0) {
		w->perm_x = (uint32_t)x;
		/* The common r == 0 case needs only the first element. */
		if (pr == 0) {
			s = hash3(b->hash, (uint32_t)x, (uint32_t)b->id, 0) % b->size;
			w->perm[0] = s;
			w->perm_n = 0xffff;
			return b->items[s];
		}
		for (i = 0; i < b->size; i++)
			w->perm[i] = i;
		w->perm_n = 0;
	} else if (w->perm_n == 0xffff) {
		/* Expand the r == 0 shortcut into a real partial permutation. */
		for (i = 1; i < b->size; i++)
			w->perm[i] = i;
		w->perm[w->perm[0]] = 0;
		w->perm_n = 1;
	}

	while (w->perm_n <= pr) {
		unsigned int p = w->perm_n;
		if (p < b->size - 1) {
			i = hash3(b->hash, (uint32_t)x, (uint32_t)b->id, p) %
			    (b->size - p);
			if (i) {
				unsigned int t = w->perm[p + i];
				w->perm[p + i] = w->perm[p];
				w->perm[p] = t;
			}
		}
		w->perm_n++;
	}
	s = w->perm[pr];
	return b->items[s];
}

static int bucket_list_choose(const struct crush_bucket *b, int x, int r)
{
	for (int i = (int)b->size - 1; i >= 0; i--) {
		uint64_t w = hash4(b->hash, (uint32_t)x, (uint32_t)b->items[i],
					    (uint32_t)r, (uint32_t)b->id);
		w &= 0xffff;
		w *= b->sum_weights[i];
		w >>= 16;
		if (w < b->item_weights[i])
			return b->items[i];
	}
	return b->items[0];
}

static int bucket_tree_choose(const struct crush_bucket *b, int x, int r)
{
	int n = (int)(b->num_nodes >> 1);

	while (!(n & 1)) {
		uint32_t w = b->node_weights[n];
		uint64_t t = (uint64_t)hash4(b->hash, (uint32_t)x, (uint32_t)n,
						      (uint32_t)r, (uint32_t)b->id) *
			     (uint64_t)w;
		t >>= 32;
		int h = crush_tree_height(n);
		int l = n - (1 << (h - 1));
		if (t < b->node_weights[l])
			n = l;
		else
			n = n + (1 << (h - 1));
	}
	return b->items[n >> 1];
}

static int bucket_straw_choose(const struct crush_bucket *b, int x, int r)
{
	uint32_t high = 0;
	uint64_t high_draw = 0;

	for (uint32_t i = 0; i < b->size; i++) {
		uint64_t draw = hash3(b->hash, (uint32_t)x, (uint32_t)b->items[i],
					       (uint32_t)r);
		draw &= 0xffff;
		draw *= b->straws[i];
		if (i == 0 || draw > high_draw) {
			high = i;
			high_draw = draw;
		}
	}
	return b->items[high];
}

/*
 * straw2 draws ln(u)/w for every item and keeps the longest.  The hashes
 * of a bucket's items are independent, so they are computed eight at a
 * time with vector arithmetic (GCC/clang vector extensions: SSE2 or AVX2,
 * whatever the target has); ln and the division stay scalar.
 */
typedef uint32_t v8u32 __attribute__((vector_size(32)));
/* Vectors travel by pointer: passing 32-byte vectors by value has an
 * ABI that depends on whether AVX is enabled. */

static inline __attribute__((always_inline)) void hash_mix_v8(v8u32 *a, v8u32 *b, v8u32 *c)
{
	*a -= *b; *a -= *c; *a ^= *c >> 13;
	*b -= *c; *b -= *a; *b ^= *a << 8;
	*c -= *a; *c -= *b; *c ^= *b >> 13;
	*a -= *b; *a -= *c; *a ^= *c >> 12;
	*b -= *c; *b -= *a; *b ^= *a << 16;
	*c -= *a; *c -= *b; *c ^= *b >> 5;
	*a -= *b; *a -= *c; *a ^= *c >> 3;
	*b -= *c; *b -= *a; *b ^= *a << 10;
	*c -= *a; *c -= *b; *c ^= *b >> 15;
}

/* hash3(rjenkins1, x, ids[i], r) for eight ids at once. */
static inline __attribute__((always_inline)) void hash3_v8(v8u32 *out, uint32_t x,
							  const v8u32 *ids, uint32_t r)
{
	v8u32 b = *ids;
	v8u32 a = (v8u32){0} + x, c = (v8u32){0} + r;
	v8u32 h = ((v8u32){0} + (1315423911u ^ x ^ r)) ^ b;
	v8u32 vx = (v8u32){0} + 231232u, vy = (v8u32){0} + 1232u;
	hash_mix_v8(&a, &b, &h);
	hash_mix_v8(&c, &vx, &h);
	hash_mix_v8(&vy, &a, &h);
	hash_mix_v8(&b, &vx, &h);
	hash_mix_v8(&vy, &c, &h);
	*out = h;
}

/*
 * (crush_ln(u) - 2^48) / w, truncated toward zero like C's division, as
 * -(n / w) with n = 2^48 - ln <= 2^48.  n * (1/w) in doubles is within one
 * of the true quotient (n, w exact; q < 2^49 < 2^53), so one correction
 * step makes it exact; the result is checked and, should inv not be 1/w
 * (a stale cache), computed by plain division.  A 64-bit idiv costs
 * several times more on the CPUs we run on.
 */
static inline int64_t straw2_draw(uint32_t u, uint32_t w, double inv)
{
	uint64_t n = 0x1000000000000ull - crush_ln_inline(u);
	uint64_t q = (uint64_t)(int64_t)((double)(int64_t)n * inv);
	if (q * w > n)
		q--;
	else if ((q + 1) * w <= n)
		q++;
	if (q * w > n || n - q * w >= w)
		q = n / w;
	return -(int64_t)q;
}

/* Built twice, for AVX2 and for baseline x86-64, picked at load time. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static int bucket_straw2_choose(const struct crush_bucket *b, int x, int r,
				const struct crush_choose_arg *arg, int position)
{
	const uint32_t *weights = b->item_weights;
	const double *inv = b->item_inv;
	const int32_t *ids = b->items;
	uint32_t high = 0;
	int64_t high_draw = 0;

	if (arg && arg->weight_set && arg->weight_set_positions) {
		if ((uint32_t)position >= arg->weight_set_positions)
			position = (int)arg->weight_set_positions - 1;
		weights = arg->weight_set[position].weights;
		inv = NULL;
	}
	if (arg && arg->ids)
		ids = arg->ids;

	for (uint32_t base = 0; base < b->size; base += 8) {
		v8u32 vid;
		uint32_t n = b->size - base < 8 ? b->size - base : 8;
		for (uint32_t k = 0; k < 8; k++)
			vid[k] = (uint32_t)ids[base + (k < n ? k : 0)];
		/* an unknown hash type hashes everything to 0, as in Ceph */
		v8u32 hv = {0};
		if (b->hash == CRUSH_HASH_RJENKINS1)
			hash3_v8(&hv, (uint32_t)x, &vid, (uint32_t)r);
		for (uint32_t k = 0; k < n; k++) {
			uint32_t i = base + k;
			/* ln(u) - ln(2^16) <= 0; dividing by the weight makes
			 * heavier items draw longer (less negative) straws. */
			int64_t draw = INT64_MIN;
			if (weights[i])
				draw = straw2_draw(hv[k] & 0xffff, weights[i],
						   inv ? inv[i] : 1.0 / weights[i]);
			if (i == 0 || draw > high_draw) {
				high = i;
				high_draw = draw;
			}
		}
	}
	return b->items[high];
}

static int bucket_choose(const struct crush_bucket *b, struct crush_work_bucket *w, int x,
			 int r, const struct crush_choose_arg *arg, int position)
{
	switch (b->alg) {
	case CRUSH_BUCKET_UNIFORM:
		return bucket_perm_choose(b, w, x, r);
	case CRUSH_BUCKET_LIST:
		return bucket_list_choose(b, x, r);
	case CRUSH_BUCKET_TREE:
		return bucket_tree_choose(b, x, r);
	case CRUSH_BUCKET_STRAW:
		return bucket_straw_choose(b, x, r);
	case CRUSH_BUCKET_STRAW2:
		return bucket_straw2_choose(b, x, r, arg, position);
	default:
		return b->items[0];
	}
}

/* Is a device rejected by its reweight for this x? */
static bool is_out(const uint32_t *weight, int weight_max, int item, int x)
{
	/* Only devices have reweights; a bucket of type 0 (a hostile map) is
	 * never out. */
	if (item < 0)
		return false;
	if (item >= weight_max)
		return true;
	if (weight[item] >= 0x10000)
		return false;
	if (weight[item] == 0)
		return true;
	if ((hash2(CRUSH_HASH_RJENKINS1, (uint32_t)x, (uint32_t)item) & 0xffff) <
	    weight[item])
		return false;
	return true;
}

/* Everything a choose step passes down unchanged through its recursion. */
struct choose_ctx {
	const struct crush_map *map;
	struct crush_work_bucket *work;
	const uint32_t *weight;
	int weight_max;
	int x;
	const struct crush_choose_arg *choose_args;
	uint32_t *choose_tries;
};

static const struct crush_choose_arg *ctx_arg(const struct choose_ctx *c,
					      const struct crush_bucket *b)
{
	return c->choose_args ? &c->choose_args[-1 - b->id] : NULL;
}

static int choose_firstn(const struct choose_ctx *c, const struct crush_bucket *bucket,
			 int numrep, int type, int *out, int outpos, int out_size,
			 unsigned int tries, unsigned int recurse_tries,
			 unsigned int local_retries, unsigned int local_fallback_retries,
			 int recurse_to_leaf, unsigned int vary_r, unsigned int stable,
			 int *out2, int parent_r)
{
	const struct crush_map *map = c->map;
	int count = out_size;
	int item = 0;

	for (int rep = stable ? 0 : outpos; rep < numrep && count > 0; rep++) {
		unsigned int ftotal = 0;
		int skip_rep = 0;
		int retry_descent;
		do {
			const struct crush_bucket *in = bucket;
			unsigned int flocal = 0;
			int retry_bucket;
			retry_descent = 0;
			do {
				int collide = 0, reject;
				int r = rep + parent_r + (int)ftotal;
				int itemtype;
				retry_bucket = 0;

				if (in->size == 0) {
					reject = 1;
					goto reject;
				}
				if (local_fallback_retries > 0 && flocal >= (in->size >> 1) &&
				    flocal > local_fallback_retries)
					item = bucket_perm_choose(in, &c->work[-1 - in->id], c->x,
								  r);
				else
					item = bucket_choose(in, &c->work[-1 - in->id], c->x, r,
							     ctx_arg(c, in), outpos);
				if (item >= map->max_devices) {
					skip_rep = 1;
					break;
				}
				if (item < 0) {
					if (-1 - item >= map->max_buckets || !map->buckets[-1 - item]) {
						skip_rep = 1;
						break;
					}
					itemtype = map->buckets[-1 - item]->type;
				} else {
					itemtype = 0;
				}

				if (itemtype != type) {
					if (item >= 0) {
						skip_rep = 1;
						break;
					}
					in = map->buckets[-1 - item];
					retry_bucket = 1;
					continue;
				}

				for (int i = 0; i < outpos; i++) {
					if (out[i] == item) {
						collide = 1;
						break;
					}
				}

				reject = 0;
				if (!collide && recurse_to_leaf) {
					if (item < 0) {
						/* shift counts past 31 wrap as on x86 */
						int sub_r = vary_r ? r >> ((vary_r - 1) & 31) : 0;
						if (choose_firstn(c, map->buckets[-1 - item],
								  stable ? 1 : outpos + 1, 0, out2,
								  outpos, count, recurse_tries, 0,
								  local_retries,
								  local_fallback_retries, 0, vary_r,
								  stable, NULL, sub_r) <= outpos)
							reject = 1;
					} else {
						out2[outpos] = item;
					}
				}

				if (!reject && !collide && itemtype == 0)
					reject = is_out(c->weight, c->weight_max, item, c->x);

reject:
				if (reject || collide) {
					ftotal++;
					flocal++;
					if (collide && flocal <= local_retries)
						retry_bucket = 1;
					else if (local_fallback_retries > 0 &&
						 flocal <= in->size + local_fallback_retries)
						retry_bucket = 1;
					else if (ftotal < tries)
						retry_descent = 1;
					else
						skip_rep = 1;
				}
			} while (retry_bucket);
		} while (retry_descent);

		if (skip_rep)
			continue;

		out[outpos] = item;
		outpos++;
		count--;
		if (c->choose_tries && ftotal <= map->t.choose_total_tries)
			c->choose_tries[ftotal]++;
	}
	return outpos;
}

static void choose_indep(const struct choose_ctx *c, const struct crush_bucket *bucket,
			 int left, int numrep, int type, int *out, int outpos,
			 unsigned int tries, unsigned int recurse_tries, int recurse_to_leaf,
			 int *out2, int parent_r)
{
	const struct crush_map *map = c->map;
	int endpos = outpos + left;
	unsigned int ftotal;

	for (int rep = outpos; rep < endpos; rep++) {
		out[rep] = CRUSH_ITEM_UNDEF;
		if (out2)
			out2[rep] = CRUSH_ITEM_UNDEF;
	}

	for (ftotal = 0; left > 0 && ftotal < tries; ftotal++) {
		for (int rep = outpos; rep < endpos; rep++) {
			const struct crush_bucket *in = bucket;
			if (out[rep] != CRUSH_ITEM_UNDEF)
				continue;
			for (;;) {
				int r = rep + parent_r;
				int item, itemtype, collide;

				/* A uniform bucket whose size is a multiple of numrep
				 * would cycle through the same items: step further. */
				if (in->alg == CRUSH_BUCKET_UNIFORM && in->size % numrep == 0)
					r += (numrep + 1) * (int)ftotal;
				else
					r += numrep * (int)ftotal;

				if (in->size == 0)
					break;

				item = bucket_choose(in, &c->work[-1 - in->id], c->x, r,
						     ctx_arg(c, in), outpos);
				if (item >= map->max_devices) {
					out[rep] = CRUSH_ITEM_NONE;
					if (out2)
						out2[rep] = CRUSH_ITEM_NONE;
					left--;
					break;
				}
				if (item < 0) {
					if (-1 - item >= map->max_buckets ||
					    !map->buckets[-1 - item]) {
						out[rep] = CRUSH_ITEM_NONE;
						if (out2)
							out2[rep] = CRUSH_ITEM_NONE;
						left--;
						break;
					}
					itemtype = map->buckets[-1 - item]->type;
				} else {
					itemtype = 0;
				}

				if (itemtype != type) {
					if (item >= 0) {
						out[rep] = CRUSH_ITEM_NONE;
						if (out2)
							out2[rep] = CRUSH_ITEM_NONE;
						left--;
						break;
					}
					in = map->buckets[-1 - item];
					continue;
				}

				collide = 0;
				for (int i = outpos; i < endpos; i++) {
					if (out[i] == item) {
						collide = 1;
						break;
					}
				}
				if (collide)
					break;

				if (recurse_to_leaf) {
					if (item < 0) {
						choose_indep(c, map->buckets[-1 - item], 1, numrep, 0,
							     out2, rep, recurse_tries, 0, 0, NULL, r);
						if (out2[rep] == CRUSH_ITEM_NONE)
							break;
					} else {
						out2[rep] = item;
					}
				}

				if (itemtype == 0 && is_out(c->weight, c->weight_max, item, c->x))
					break;

				out[rep] = item;
				left--;
				break;
			}
		}
	}
	for (int rep = outpos; rep < endpos; rep++) {
		if (out[rep] == CRUSH_ITEM_UNDEF)
			out[rep] = CRUSH_ITEM_NONE;
		if (out2 && out2[rep] == CRUSH_ITEM_UNDEF)
			out2[rep] = CRUSH_ITEM_NONE;
	}
	if (c->choose_tries && ftotal <= map->t.choose_total_tries)
		c->choose_tries[ftotal]++;
}

int crush_do_rule(const struct crush_map *map, int ruleno, int x, int *result,
		  int result_max, const uint32_t *weight, int weight_max, void *work,
		  const struct crush_choose_arg *choose_args, uint32_t *choose_tries)
{
	struct choose_ctx c = {
		.map = map,
		.work = work,
		.weight = weight,
		.weight_max = weight_max,
		.x = x,
		.choose_args = choose_args,
		.choose_tries = choose_tries,
	};
	int *a = (int *)((char *)work + map->working_size);
	int *b = a + result_max;
	int *cbuf = b + result_max;
	int *w = a, *o = b;
	int wsize = 0, result_len = 0;
	/* choose_total_tries historically counted retries, not tries. */
	unsigned int choose_tries_n = map->t.choose_total_tries + 1;
	unsigned int choose_leaf_tries = 0;
	unsigned int local_retries = map->t.choose_local_tries;
	unsigned int local_fallback_retries = map->t.choose_local_fallback_tries;
	unsigned int vary_r = map->t.chooseleaf_vary_r;
	unsigned int stable = map->t.chooseleaf_stable;

	if (ruleno < 0 || (uint32_t)ruleno >= map->max_rules || !map->rules[ruleno])
		return 0;
	const struct crush_rule *rule = map->rules[ruleno];

	for (uint32_t step = 0; step < rule->len; step++) {
		const struct crush_rule_step *st = &rule->steps[step];
		int firstn = 0;

		switch (st->op) {
		case CRUSH_RULE_TAKE:
			if ((st->arg1 >= 0 && st->arg1 < map->max_devices) ||
			    (st->arg1 < 0 && -1 - st->arg1 < map->max_buckets &&
			     map->buckets[-1 - st->arg1])) {
				w[0] = st->arg1;
				wsize = 1;
			}
			break;
		case CRUSH_RULE_SET_CHOOSE_TRIES:
			if (st->arg1 > 0)
				choose_tries_n = (unsigned int)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSELEAF_TRIES:
			if (st->arg1 > 0)
				choose_leaf_tries = (unsigned int)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES:
			if (st->arg1 >= 0)
				local_retries = (unsigned int)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES:
			if (st->arg1 >= 0)
				local_fallback_retries = (unsigned int)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSELEAF_VARY_R:
			if (st->arg1 >= 0)
				vary_r = (unsigned int)st->arg1;
			break;
		case CRUSH_RULE_SET_CHOOSELEAF_STABLE:
			if (st->arg1 >= 0)
				stable = (unsigned int)st->arg1;
			break;
		case CRUSH_RULE_CHOOSELEAF_FIRSTN:
		case CRUSH_RULE_CHOOSE_FIRSTN:
			firstn = 1;
			/* fall through */
		case CRUSH_RULE_CHOOSELEAF_INDEP:
		case CRUSH_RULE_CHOOSE_INDEP: {
			if (wsize == 0)
				break;
			int recurse_to_leaf = st->op == CRUSH_RULE_CHOOSELEAF_FIRSTN ||
					      st->op == CRUSH_RULE_CHOOSELEAF_INDEP;
			int osize = 0;
			for (int i = 0; i < wsize; i++) {
				int numrep = st->arg1;
				if (numrep <= 0) {
					numrep += result_max;
					if (numrep <= 0)
						continue;
				}
				int bno = -1 - w[i];
				if (bno < 0 || bno >= map->max_buckets || !map->buckets[bno])
					continue;
				if (firstn) {
					unsigned int recurse_tries;
					if (choose_leaf_tries)
						recurse_tries = choose_leaf_tries;
					else if (map->t.chooseleaf_descend_once)
						recurse_tries = 1;
					else
						recurse_tries = choose_tries_n;
					osize += choose_firstn(&c, map->buckets[bno], numrep, st->arg2,
							       o + osize, 0, result_max - osize,
							       choose_tries_n, recurse_tries,
							       local_retries, local_fallback_retries,
							       recurse_to_leaf, vary_r, stable,
							       cbuf + osize, 0);
				} else {
					int out_size = numrep < result_max - osize ? numrep
										   : result_max - osize;
					choose_indep(&c, map->buckets[bno], out_size, numrep, st->arg2,
						     o + osize, 0, choose_tries_n,
						     choose_leaf_tries ? choose_leaf_tries : 1,
						     recurse_to_leaf, cbuf + osize, 0);
					osize += out_size;
				}
			}
			if (recurse_to_leaf)
				memcpy(o, cbuf, (size_t)osize * sizeof(*o));
			int *tmp = o;
			o = w;
			w = tmp;
			wsize = osize;
			break;
		}
		case CRUSH_RULE_EMIT:
			for (int i = 0; i < wsize && result_len < result_max; i++)
				result[result_len++] = w[i];
			wsize = 0;
			break;
		default:
			break;
		}
	}
	return result_len;
}
