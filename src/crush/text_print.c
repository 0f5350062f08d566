/*
 * The decompiler: prints a struct crush_map as Ceph's text CRUSH map,
 * byte for byte what Ceph 16.2's `crushtool -d` prints for the same
 * binary map (see docs/crush-text.md for the format).
 *
 * Facts measured against crushtool that the code below relies on:
 *  - only tunables that differ from the legacy (argonaut) values print;
 *  - weights print as the 16.16 value, read as a signed int, converted to
 *    float and divided by 0x10000 in float, with three decimals;
 *  - buckets print children first: for ids -1, -2, ... each bucket not
 *    yet printed is printed after its not-yet-printed child buckets, in
 *    item order; shadow buckets never print, but each bucket lists the
 *    ids of its shadows ("id -5 class ssd") in class id order;
 *  - a take of a shadow bucket prints as "take <bucket> class <class>".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crush.h"

static void print_weight(FILE *out, uint32_t w)
{
	float f = (float)(int32_t)w;
	fprintf(out, "%.3f", (double)(f / (float)0x10000));
}

/* Name of an item as the decompiler shows it. */
static void print_item_name(FILE *out, const struct crush_map *map, int32_t id)
{
	const char *name = crush_names_get(&map->item_names, id);
	if (name)
		fputs(name, out);
	else if (id >= 0)
		fprintf(out, "device%d", id);
	else
		fprintf(out, "bucket%d", -1 - id);
}

static void print_type_name(FILE *out, const struct crush_map *map, int32_t type)
{
	const char *name = crush_names_get(&map->type_names, type);
	if (name)
		fputs(name, out);
	else
		fprintf(out, "type%d", type);
}

static void print_tunables(FILE *out, const struct crush_tunables *t)
{
	struct crush_tunables legacy;
	crush_tunables_set_legacy(&legacy);
	if (t->choose_local_tries != legacy.choose_local_tries)
		fprintf(out, "tunable choose_local_tries %u\n", t->choose_local_tries);
	if (t->choose_local_fallback_tries != legacy.choose_local_fallback_tries)
		fprintf(out, "tunable choose_local_fallback_tries %u\n",
			t->choose_local_fallback_tries);
	if (t->choose_total_tries != legacy.choose_total_tries)
		fprintf(out, "tunable choose_total_tries %u\n", t->choose_total_tries);
	if (t->chooseleaf_descend_once != legacy.chooseleaf_descend_once)
		fprintf(out, "tunable chooseleaf_descend_once %u\n", t->chooseleaf_descend_once);
	if (t->chooseleaf_vary_r != legacy.chooseleaf_vary_r)
		fprintf(out, "tunable chooseleaf_vary_r %u\n", t->chooseleaf_vary_r);
	if (t->chooseleaf_stable != legacy.chooseleaf_stable)
		fprintf(out, "tunable chooseleaf_stable %u\n", t->chooseleaf_stable);
	if (t->straw_calc_version != legacy.straw_calc_version)
		fprintf(out, "tunable straw_calc_version %u\n", t->straw_calc_version);
	if (t->allowed_bucket_algs != legacy.allowed_bucket_algs)
		fprintf(out, "tunable allowed_bucket_algs %u\n", t->allowed_bucket_algs);
}

static const char *alg_name(int alg)
{
	switch (alg) {
	case CRUSH_BUCKET_UNIFORM:
		return "uniform";
	case CRUSH_BUCKET_LIST:
		return "list";
	case CRUSH_BUCKET_TREE:
		return "tree";
	case CRUSH_BUCKET_STRAW:
		return "straw";
	case CRUSH_BUCKET_STRAW2:
		return "straw2";
	default:
		return "unknown";
	}
}

static void print_bucket(FILE *out, const struct crush_map *map, const struct crush_bucket *b)
{
	print_type_name(out, map, b->type);
	fputc(' ', out);
	print_item_name(out, map, b->id);
	fputs(" {\n", out);
	fprintf(out, "\tid %d\t\t# do not change unnecessarily\n", b->id);
	for (size_t i = 0; i < map->n_class_buckets; i++) {
		const struct crush_class_bucket *cb = &map->class_buckets[i];
		const char *cname;
		if (cb->bucket != b->id)
			continue;
		cname = crush_names_get(&map->class_names, cb->class_id);
		fprintf(out, "\tid %d class %s\t\t# do not change unnecessarily\n", cb->shadow,
			cname ? cname : "");
	}
	fputs("\t# weight ", out);
	print_weight(out, b->weight);
	fprintf(out, "\n\talg %s", alg_name(b->alg));
	switch (b->alg) {
	case CRUSH_BUCKET_UNIFORM:
		fprintf(out, "\t# do not change bucket size (%u) unnecessarily", b->size);
		break;
	case CRUSH_BUCKET_LIST:
		fputs("\t# add new items at the end; do not change order unnecessarily", out);
		break;
	case CRUSH_BUCKET_TREE:
		fputs("\t# do not change pos for existing items unnecessarily", out);
		break;
	default:
		break;
	}
	fprintf(out, "\n\thash %d\t# %s\n", b->hash,
		b->hash == CRUSH_HASH_RJENKINS1 ? "rjenkins1" : "unknown");
	for (uint32_t i = 0; i < b->size; i++) {
		fputs("\titem ", out);
		print_item_name(out, map, b->items[i]);
		fputs(" weight ", out);
		print_weight(out, b->item_weights[i]);
		if (b->alg == CRUSH_BUCKET_UNIFORM || b->alg == CRUSH_BUCKET_TREE)
			fprintf(out, " pos %u", i);
		fputc('\n', out);
	}
	fputs("}\n", out);
}

/* Children first, each bucket once; `done` is indexed by -1-id. */
static int print_bucket_tree(FILE *out, const struct crush_map *map, int32_t id, bool *done,
			     int depth)
{
	const struct crush_bucket *b = crush_map_bucket(map, id);
	if (!b || done[-1 - id])
		return 0;
	if (depth > 1000)
		return -ELOOP;
	done[-1 - id] = true;
	for (uint32_t i = 0; i < b->size; i++) {
		int32_t child = b->items[i];
		if (child >= 0 || crush_map_is_shadow(map, child))
			continue;
		int rc = print_bucket_tree(out, map, child, done, depth + 1);
		if (rc < 0)
			return rc;
	}
	print_bucket(out, map, b);
	return 0;
}

static void print_rule_type(FILE *out, int type)
{
	switch (type) {
	case CRUSH_RULE_TYPE_REPLICATED:
		fputs("replicated", out);
		break;
	case CRUSH_RULE_TYPE_ERASURE:
		fputs("erasure", out);
		break;
	default:
		fprintf(out, "%d", type);
		break;
	}
}

/*
 * Returns false when the item has no name: Ceph then writes a null name
 * into its stream, which fails, and nothing more of the map is printed.
 */
static bool print_take(FILE *out, const struct crush_map *map, int32_t item)
{
	const char *name = crush_names_get(&map->item_names, item);
	const char *tilde = name ? strchr(name, '~') : NULL;
	if (item < 0 && tilde) {
		fprintf(out, "\tstep take %.*s class %s\n", (int)(tilde - name), name, tilde + 1);
		return true;
	}
	fputs("\tstep take ", out);
	if (!name)
		return false;
	fprintf(out, "%s\n", name);
	return true;
}

static bool print_step(FILE *out, const struct crush_map *map, const struct crush_rule_step *s)
{
	static const char *const set_names[] = {
		[CRUSH_RULE_SET_CHOOSE_TRIES] = "set_choose_tries",
		[CRUSH_RULE_SET_CHOOSELEAF_TRIES] = "set_chooseleaf_tries",
		[CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES] = "set_choose_local_tries",
		[CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES] = "set_choose_local_fallback_tries",
		[CRUSH_RULE_SET_CHOOSELEAF_VARY_R] = "set_chooseleaf_vary_r",
		[CRUSH_RULE_SET_CHOOSELEAF_STABLE] = "set_chooseleaf_stable",
	};
	const char *choose = NULL, *mode = NULL;

	switch (s->op) {
	case CRUSH_RULE_NOOP:
		fputs("\tstep noop\n", out);
		return true;
	case CRUSH_RULE_TAKE:
		return print_take(out, map, s->arg1);
	case CRUSH_RULE_EMIT:
		fputs("\tstep emit\n", out);
		return true;
	case CRUSH_RULE_CHOOSE_FIRSTN:
		choose = "choose", mode = "firstn";
		break;
	case CRUSH_RULE_CHOOSE_INDEP:
		choose = "choose", mode = "indep";
		break;
	case CRUSH_RULE_CHOOSELEAF_FIRSTN:
		choose = "chooseleaf", mode = "firstn";
		break;
	case CRUSH_RULE_CHOOSELEAF_INDEP:
		choose = "chooseleaf", mode = "indep";
		break;
	case CRUSH_RULE_SET_CHOOSE_TRIES:
	case CRUSH_RULE_SET_CHOOSELEAF_TRIES:
	case CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES:
	case CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES:
	case CRUSH_RULE_SET_CHOOSELEAF_VARY_R:
	case CRUSH_RULE_SET_CHOOSELEAF_STABLE:
		fprintf(out, "\tstep %s %d\n", set_names[s->op], s->arg1);
		return true;
	default:
		/* Ceph prints nothing for an op it does not know */
		return true;
	}
	fprintf(out, "\tstep %s %s %d type ", choose, mode, s->arg1);
	print_type_name(out, map, s->arg2);
	fputc('\n', out);
	return true;
}

static bool print_rule(FILE *out, const struct crush_map *map, uint32_t ruleno,
		       const struct crush_rule *r)
{
	const char *name = crush_names_get(&map->rule_names, (int32_t)ruleno);
	/* Ceph prints an empty name for a rule that has none */
	fprintf(out, "rule %s {\n", name ? name : "");
	fprintf(out, "\tid %u\n", ruleno);
	if (r->ruleset != ruleno)
		fprintf(out,
			"\t# WARNING: ruleset %u != id %u; this will not recompile to the same map\n",
			r->ruleset, ruleno);
	fputs("\ttype ", out);
	print_rule_type(out, r->type);
	fprintf(out, "\n\tmin_size %u\n\tmax_size %u\n", r->min_size, r->max_size);
	for (uint32_t i = 0; i < r->len; i++)
		if (!print_step(out, map, &r->steps[i]))
			return false;
	fputs("}\n", out);
	return true;
}

static void print_choose_args(FILE *out, const struct crush_choose_arg_map *cam)
{
	fprintf(out, "choose_args %" PRId64 " {\n", cam->id);
	for (uint32_t pos = 0; pos < cam->size; pos++) {
		const struct crush_choose_arg *a = &cam->args[pos];
		if (a->weight_set_positions == 0 && a->ids_size == 0)
			continue;
		fprintf(out, "  {\n    bucket_id %d\n", -1 - (int32_t)pos);
		if (a->weight_set_positions) {
			fputs("    weight_set [\n", out);
			for (uint32_t p = 0; p < a->weight_set_positions; p++) {
				const struct crush_weight_set *ws = &a->weight_set[p];
				fputs("      [ ", out);
				for (uint32_t i = 0; i < ws->size; i++) {
					print_weight(out, ws->weights[i]);
					fputc(' ', out);
				}
				fputs("]\n", out);
			}
			fputs("    ]\n", out);
		}
		if (a->ids_size) {
			fputs("    ids [ ", out);
			for (uint32_t i = 0; i < a->ids_size; i++)
				fprintf(out, "%d ", a->ids[i]);
			fputs("]\n", out);
		}
		fputs("  }\n", out);
	}
	fputs("}\n", out);
}

int crush_map_decompile(const struct crush_map *map, FILE *out)
{
	bool *done = NULL;
	int rc = 0;

	fputs("# begin crush map\n", out);
	print_tunables(out, &map->t);

	fputs("\n# devices\n", out);
	for (int32_t d = 0; d < map->max_devices; d++) {
		const char *name = crush_names_get(&map->item_names, d);
		int32_t cls;
		if (!name)
			continue;
		fprintf(out, "device %d %s", d, name);
		if (crush_map_item_class(map, d, &cls) == 0) {
			const char *cname = crush_names_get(&map->class_names, cls);
			if (cname)
				fprintf(out, " class %s", cname);
		}
		fputc('\n', out);
	}

	fputs("\n# types\n", out);
	for (size_t i = 0; i < map->type_names.n; i++)
		fprintf(out, "type %d %s\n", map->type_names.v[i].id, map->type_names.v[i].name);

	fputs("\n# buckets\n", out);
	if (map->max_buckets > 0) {
		done = calloc((size_t)map->max_buckets, sizeof(*done));
		if (!done)
			return -ENOMEM;
	}
	for (int32_t pos = 0; pos < map->max_buckets; pos++) {
		int32_t id = -1 - pos;
		if (!map->buckets[pos] || crush_map_is_shadow(map, id))
			continue;
		rc = print_bucket_tree(out, map, id, done, 0);
		if (rc < 0)
			goto out_free;
	}

	fputs("\n# rules\n", out);
	for (uint32_t r = 0; r < map->max_rules; r++)
		if (map->rules[r] && !print_rule(out, map, r, map->rules[r]))
			goto out_free; /* output ends here, as Ceph's does */

	if (map->n_choose_args) {
		fputs("\n# choose_args\n", out);
		for (size_t i = 0; i < map->n_choose_args; i++)
			print_choose_args(out, &map->choose_args[i]);
	}
	fputs("\n# end crush map\n", out);
	if (ferror(out))
		rc = -EIO;
out_free:
	free(done);
	return rc;
}
