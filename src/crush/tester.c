/*
 * The `crushtool --test` engine.  For every selected rule and replica
 * count it maps each input x (optionally hashed with a pool id, as a PG
 * seed is) and prints what the flags ask for, in Ceph's exact lines.
 *
 * Performance notes: the work area, result buffer, counters and the
 * output buffer are allocated once per run; the per-x loop allocates
 * nothing and formats integers by hand into a large buffer that is
 * flushed with fwrite.  The device reweight vector follows Ceph: devices
 * present in the hierarchy start at 1.0, all others at 0, then the
 * --weight overrides apply (devices beyond max_devices are ignored).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crush/tester.h"

#define OBUF_SIZE (1u << 16)
#define DEFAULT_MAX_X 1023

/* A byte buffer in front of a stream so the hot loop avoids stdio. */
struct obuf {
	FILE *f;
	size_t len;
	char buf[OBUF_SIZE];
};

static void obuf_flush(struct obuf *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
}

static void obuf_reserve(struct obuf *o, size_t n)
{
	if (o->len + n > OBUF_SIZE)
		obuf_flush(o);
}

static void obuf_str(struct obuf *o, const char *s)
{
	size_t n = strlen(s);

	if (n >= OBUF_SIZE) {
		obuf_flush(o);
		fwrite(s, 1, n, o->f);
		return;
	}
	obuf_reserve(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void obuf_int(struct obuf *o, long long v)
{
	char tmp[24];
	int n = 0;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	obuf_reserve(o, 24);
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		o->buf[o->len++] = '-';
	while (n)
		o->buf[o->len++] = tmp[--n];
}

static __attribute__((format(printf, 2, 3))) void obuf_printf(struct obuf *o,
							       const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	obuf_str(o, line);
}

static void obuf_vec(struct obuf *o, const int *v, int n)
{
	obuf_str(o, "[");
	for (int i = 0; i < n; i++) {
		if (i)
			obuf_str(o, ",");
		obuf_int(o, v[i]);
	}
	obuf_str(o, "]\n");
}

void crush_tester_init(struct crush_tester *t)
{
	memset(t, 0, sizeof(*t));
	t->min_x = t->max_x = -1;
	t->min_rule = t->max_rule = -1;
	t->ruleset = -1;
	t->min_rep = t->max_rep = -1;
	t->pool_id = -1;
	t->batches = 1;
}

/* Everything one run needs, allocated up front. */
struct test_ctx {
	const struct crush_map *map;
	const struct crush_tester *t;
	struct obuf *out;
	uint32_t *weight;   /* max_devices reweights */
	uint64_t sum_weight;
	void *work;
	int *result;
	int result_max;
	uint32_t *per_dev;  /* placements per device for one num_rep */
	uint32_t *sizes;    /* result-size histogram, result_max + 1 */
	uint32_t *tries;    /* choose-tries histogram or NULL */
	uint64_t rng;
};

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64*: --simulate only needs something random-looking */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

/* --simulate: nr distinct devices drawn with probability proportional to
 * their reweight, instead of CRUSH. */
static int simulate_one(struct test_ctx *c, int nr)
{
	int n = 0;
	uint64_t left = c->sum_weight;

	while (n < nr && left > 0) {
		uint64_t pick = rng_next(&c->rng) % left;
		for (int32_t d = 0; d < c->map->max_devices; d++) {
			bool taken = false;
			if (!c->weight[d])
				continue;
			for (int k = 0; k < n; k++)
				taken |= c->result[k] == d;
			if (taken)
				continue;
			if (pick < c->weight[d]) {
				c->result[n++] = d;
				left -= c->weight[d];
				break;
			}
			pick -= c->weight[d];
		}
	}
	return n;
}

/*
 * How many distinct devices a rule can place at most, as Ceph estimates it
 * for the "expected" column: every choose step over a bucket type is
 * limited by the number of buckets of that type in the whole map (shadow
 * buckets included) or by its positive replica count, whichever is
 * smaller; device-type steps never limit; the bound starts at the larger
 * of max_buckets and max_devices.
 */
static int max_affected(const struct crush_map *map, const struct crush_rule *rule)
{
	int best = map->max_buckets > map->max_devices ? map->max_buckets : map->max_devices;

	for (uint32_t s = 0; s < rule->len; s++) {
		const struct crush_rule_step *st = &rule->steps[s];
		int count = 0, limit = 0;

		if (st->op != CRUSH_RULE_CHOOSE_FIRSTN && st->op != CRUSH_RULE_CHOOSE_INDEP &&
		    st->op != CRUSH_RULE_CHOOSELEAF_FIRSTN && st->op != CRUSH_RULE_CHOOSELEAF_INDEP)
			continue;
		for (int32_t b = 0; b < map->max_buckets; b++)
			if (map->buckets[b] && map->buckets[b]->type == st->arg2)
				count++;
		/* a later step on the same type replaces the earlier count */
		for (uint32_t k = s + 1; k < rule->len; k++)
			if (rule->steps[k].arg2 == st->arg2 &&
			    rule->steps[k].op >= CRUSH_RULE_CHOOSE_FIRSTN &&
			    rule->steps[k].op != CRUSH_RULE_EMIT &&
			    rule->steps[k].op <= CRUSH_RULE_CHOOSELEAF_INDEP)
				count = -1;
		if (count <= 0)
			continue;
		limit = count;
		if (st->arg1 > 0 && st->arg1 < count)
			limit = st->arg1;
		if (limit < best)
			best = limit;
	}
	return best;
}

static void report_rep(struct test_ctx *c, int r, const char *rname, int nr, int min_x,
		       int max_x)
{
	const struct crush_tester *t = c->t;
	const struct crush_map *map = c->map;
	struct obuf *o = c->out;
	bool stats = t->show_statistics || t->show_utilization || t->show_utilization_all;
	bool count_dev = t->show_utilization || t->show_utilization_all;
	uint32_t num_x = (uint32_t)(max_x - min_x + 1);
	const char *tag = t->simulate ? "RNG rule " : "CRUSH rule ";

	memset(c->sizes, 0, (size_t)(c->result_max + 1) * sizeof(*c->sizes));
	if (count_dev)
		memset(c->per_dev, 0, (size_t)map->max_devices * sizeof(*c->per_dev));

	/* Like Ceph's, --test maps with weight set 0 if the map has one, else
	 * the default set (id -1), whatever --pool-id says (found by
	 * experiment: sets 1, 2, 5 are never used). */
	const struct crush_choose_arg *args = NULL;
	for (size_t i = 0; i < map->n_choose_args; i++)
		if (map->choose_args[i].id == -1 && !args)
			args = map->choose_args[i].args;
	for (size_t i = 0; i < map->n_choose_args; i++)
		if (map->choose_args[i].id == 0)
			args = map->choose_args[i].args;

	/* One init per run: a work area's cache is valid across inputs. */
	crush_work_init(map, c->work, nr);
	for (int x = min_x; x <= max_x; x++) {
		int n;
		bool bad;

		if (t->simulate) {
			n = simulate_one(c, nr);
		} else {
			int real_x = x;
			if (t->pool_id >= 0)
				real_x = (int)crush_hash32_2(CRUSH_HASH_RJENKINS1, (uint32_t)x,
							     (uint32_t)t->pool_id);
			n = crush_do_rule(map, r, real_x, c->result, nr, c->weight,
					  map->max_devices, c->work, args, c->tries);
		}
		if (n < 0)
			n = 0;
		if (t->show_mappings) {
			obuf_str(o, tag);
			obuf_int(o, r);
			obuf_str(o, " x ");
			obuf_int(o, x);
			obuf_str(o, " ");
			obuf_vec(o, c->result, n);
		}
		bad = n != nr;
		for (int i = 0; i < n && !bad; i++)
			bad = c->result[i] == CRUSH_ITEM_NONE;
		if (bad && t->show_bad_mappings) {
			obuf_str(o, "bad mapping rule ");
			obuf_int(o, r);
			obuf_str(o, " x ");
			obuf_int(o, x);
			obuf_str(o, " num_rep ");
			obuf_int(o, nr);
			obuf_str(o, " result ");
			obuf_vec(o, c->result, n);
		}
		c->sizes[n]++;
		if (count_dev)
			for (int i = 0; i < n; i++)
				if (c->result[i] >= 0 && c->result[i] < map->max_devices)
					c->per_dev[c->result[i]]++;
	}
	if (!stats)
		return;
	for (int s = 0; s <= nr; s++) {
		if (!c->sizes[s])
			continue;
		obuf_printf(o, "rule %d (%s) num_rep %d result size == %d:\t%u/%u\n", r, rname,
			    nr, s, c->sizes[s], num_x);
	}
	if (!count_dev)
		return;
	int cap = max_affected(map, map->rules[r]);
	float objects = (float)num_x * (float)(nr < cap ? nr : cap);
	for (int32_t d = 0; d < map->max_devices; d++) {
		/* single precision, as Ceph computes it: the digits depend on it */
		float expected = objects * ((float)c->weight[d] / (float)c->sum_weight);
		if (!c->per_dev[d] && !t->show_utilization_all)
			continue;
		obuf_printf(o, "  device %d:\t\t stored : %u\t expected : %g\n", d, c->per_dev[d],
			    (double)expected);
	}
}

static int build_weights(struct test_ctx *c)
{
	const struct crush_map *map = c->map;
	int32_t ndev = map->max_devices;

	c->weight = calloc(ndev > 0 ? (size_t)ndev : 1, sizeof(*c->weight));
	if (!c->weight)
		return -ENOMEM;
	for (int32_t b = 0; b < map->max_buckets; b++) {
		const struct crush_bucket *bk = map->buckets[b];
		if (!bk)
			continue;
		for (uint32_t i = 0; i < bk->size; i++)
			if (bk->items[i] >= 0 && bk->items[i] < ndev)
				c->weight[bk->items[i]] = 0x10000;
	}
	for (size_t i = 0; i < c->t->n_weights; i++) {
		const struct crush_tester_weight *w = &c->t->weights[i];
		if (w->dev >= 0 && w->dev < ndev)
			c->weight[w->dev] = w->w;
	}
	c->sum_weight = 0;
	for (int32_t d = 0; d < ndev; d++)
		c->sum_weight += c->weight[d];
	return 0;
}

/* The largest replica count any selected rule will be asked for. */
static int max_result(const struct crush_map *map, const struct crush_tester *t, int min_rule,
		      int max_rule)
{
	int m = 1;

	if (t->max_rep >= 0)
		return t->max_rep > 0 ? t->max_rep : 1;
	for (int r = min_rule; r <= max_rule; r++)
		if (r >= 0 && (uint32_t)r < map->max_rules && map->rules[r] &&
		    map->rules[r]->max_size > m)
			m = map->rules[r]->max_size;
	return m;
}

int crush_tester_run(const struct crush_map *map, const struct crush_tester *t, FILE *out,
		     FILE *err)
{
	struct test_ctx c = { .map = map, .t = t, .rng = 0x9e3779b97f4a7c15ull };
	int min_x = t->min_x, max_x = t->max_x;
	int min_rule = t->min_rule >= 0 ? t->min_rule : 0;
	int max_rule = t->max_rule >= 0 ? t->max_rule : (int)map->max_rules - 1;
	bool stats = t->show_statistics || t->show_utilization || t->show_utilization_all;
	int ret;

	if (min_x < 0 || max_x < 0) {
		min_x = 0;
		max_x = DEFAULT_MAX_X;
	}
	if (max_rule > (int)map->max_rules - 1)
		max_rule = (int)map->max_rules - 1;

	c.out = malloc(sizeof(*c.out));
	if (!c.out)
		return -ENOMEM;
	c.out->f = out;
	c.out->len = 0;
	ret = build_weights(&c);
	if (ret)
		goto out_free;
	if (t->show_utilization_all) {
		fprintf(err, "devices weights (hex): [");
		for (int32_t d = 0; d < map->max_devices; d++)
			fprintf(err, "%s%x", d ? "," : "", c.weight[d]);
		fprintf(err, "]\n");
	}
	c.result_max = max_result(map, t, min_rule, max_rule);
	c.work = malloc(crush_work_size(map, c.result_max));
	c.result = calloc((size_t)c.result_max, sizeof(*c.result));
	c.sizes = calloc((size_t)c.result_max + 1, sizeof(*c.sizes));
	c.per_dev = calloc(map->max_devices > 0 ? (size_t)map->max_devices : 1,
			   sizeof(*c.per_dev));
	if (t->show_choose_tries)
		c.tries = calloc((size_t)map->t.choose_total_tries + 1, sizeof(*c.tries));
	if (!c.work || !c.result || !c.sizes || !c.per_dev ||
	    (t->show_choose_tries && !c.tries)) {
		ret = -ENOMEM;
		goto out_free;
	}

	for (int r = min_rule; r <= max_rule; r++) {
		const struct crush_rule *rule = r >= 0 ? map->rules[r] : NULL;
		const char *rname;
		int min_rep, max_rep;

		if (!rule) {
			if (stats)
				obuf_printf(c.out, "rule %d dne\n", r);
			continue;
		}
		if (t->ruleset >= 0 && rule->ruleset != t->ruleset)
			continue;
		rname = crush_names_get(&map->rule_names, r);
		if (!rname)
			rname = "";
		min_rep = t->min_rep >= 0 ? t->min_rep : rule->min_size;
		max_rep = t->max_rep >= 0 ? t->max_rep : rule->max_size;
		if (stats)
			obuf_printf(c.out, "rule %d (%s), x = %d..%d, numrep = %d..%d\n", r,
				    rname, min_x, max_x, min_rep, max_rep);
		/* With every device weighted out there is nothing to place. */
		if (!c.sum_weight)
			continue;
		for (int nr = min_rep; nr <= max_rep; nr++)
			report_rep(&c, r, rname, nr, min_x, max_x);
	}
	if (t->show_choose_tries)
		for (uint32_t i = 0; i < map->t.choose_total_tries; i++)
			obuf_printf(c.out, "%2u: %9u\n", i, c.tries[i]);
	obuf_flush(c.out);
	ret = 0;
out_free:
	free(c.tries);
	free(c.per_dev);
	free(c.sizes);
	free(c.result);
	free(c.work);
	free(c.weight);
	free(c.out);
	return ret;
}
