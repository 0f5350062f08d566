/*
 * crushtool's read-only views of a map: the `--dump` JSON document (built
 * with jansson, whose ordered objects and 4-space indentation reproduce
 * Ceph's JSONFormatter byte for byte) and the `--tree` table (Ceph's
 * TextTable: headers left aligned, numbers right aligned, two spaces
 * between columns, every column padded to its widest cell).
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "crush/dump.h"

static const char *const alg_names[] = {
	[CRUSH_BUCKET_UNIFORM] = "uniform", [CRUSH_BUCKET_LIST] = "list",
	[CRUSH_BUCKET_TREE] = "tree",	    [CRUSH_BUCKET_STRAW] = "straw",
	[CRUSH_BUCKET_STRAW2] = "straw2",
};

/* Step opcodes: name, and which arguments Ceph prints for them. */
enum step_args { ARGS_NONE, ARGS_TAKE, ARGS_CHOOSE, ARGS_NUM };
static const struct {
	const char *name;
	enum step_args args;
} step_ops[] = {
	[CRUSH_RULE_NOOP] = { "noop", ARGS_NONE },
	[CRUSH_RULE_TAKE] = { "take", ARGS_TAKE },
	[CRUSH_RULE_CHOOSE_FIRSTN] = { "choose_firstn", ARGS_CHOOSE },
	[CRUSH_RULE_CHOOSE_INDEP] = { "choose_indep", ARGS_CHOOSE },
	[CRUSH_RULE_EMIT] = { "emit", ARGS_NONE },
	[CRUSH_RULE_CHOOSELEAF_FIRSTN] = { "chooseleaf_firstn", ARGS_CHOOSE },
	[CRUSH_RULE_CHOOSELEAF_INDEP] = { "chooseleaf_indep", ARGS_CHOOSE },
	[CRUSH_RULE_SET_CHOOSE_TRIES] = { "set_choose_tries", ARGS_NUM },
	[CRUSH_RULE_SET_CHOOSELEAF_TRIES] = { "set_chooseleaf_tries", ARGS_NUM },
	/* Ceph's --dump knows no names for set_choose_local_tries,
	 * set_choose_local_fallback_tries, set_chooseleaf_vary_r and
	 * set_chooseleaf_stable: it prints them raw (opcode, arg1, arg2). */
};
#define N_STEP_OPS (sizeof(step_ops) / sizeof(step_ops[0]))

static bool rules_have_op(const struct crush_map *map, const uint32_t *ops, size_t nops)
{
	for (uint32_t r = 0; r < map->max_rules; r++) {
		const struct crush_rule *rule = map->rules[r];
		if (!rule)
			continue;
		for (uint32_t s = 0; s < rule->len; s++)
			for (size_t k = 0; k < nops; k++)
				if (rule->steps[s].op == ops[k])
					return true;
	}
	return false;
}

bool crush_map_has_v2_rules(const struct crush_map *map)
{
	static const uint32_t ops[] = { CRUSH_RULE_CHOOSE_INDEP, CRUSH_RULE_CHOOSELEAF_INDEP,
					CRUSH_RULE_SET_CHOOSE_TRIES,
					CRUSH_RULE_SET_CHOOSELEAF_TRIES };
	return rules_have_op(map, ops, 4);
}

bool crush_map_has_v3_rules(const struct crush_map *map)
{
	static const uint32_t ops[] = { CRUSH_RULE_SET_CHOOSELEAF_VARY_R };
	return rules_have_op(map, ops, 1);
}

bool crush_map_has_v5_rules(const struct crush_map *map)
{
	static const uint32_t ops[] = { CRUSH_RULE_SET_CHOOSELEAF_STABLE };
	return rules_have_op(map, ops, 1);
}

bool crush_map_has_v4_buckets(const struct crush_map *map)
{
	for (int32_t b = 0; b < map->max_buckets; b++)
		if (map->buckets[b] && map->buckets[b]->alg == CRUSH_BUCKET_STRAW2)
			return true;
	return false;
}

static bool tunables_nondefault(const struct crush_tunables *t)
{
	return t->choose_local_tries != 2 || t->choose_local_fallback_tries != 5 ||
	       t->choose_total_tries != 19;
}

const char *crush_map_min_required_version(const struct crush_map *map)
{
	const struct crush_tunables *t = &map->t;

	if (crush_map_has_v5_rules(map) || t->chooseleaf_stable)
		return "jewel";
	if (crush_map_has_v4_buckets(map))
		return "hammer";
	if (t->chooseleaf_vary_r)
		return "firefly";
	if (tunables_nondefault(t) || t->chooseleaf_descend_once)
		return "bobtail";
	return "argonaut";
}

/* ---- JSON ---- */

/* jansson's setters steal the reference; a NULL value marks the whole
 * document failed, checked once when it is complete. */
static void set(json_t *obj, const char *key, json_t *val, bool *failed)
{
	if (!obj || !val || json_object_set_new(obj, key, val) != 0)
		*failed = true;
}

static void append(json_t *arr, json_t *val, bool *failed)
{
	if (!arr || !val || json_array_append_new(arr, val) != 0)
		*failed = true;
}

static const char *name_or_null(const struct crush_names *t, int32_t id)
{
	return crush_names_get(t, id);
}

static json_t *dump_devices(const struct crush_map *map, bool *failed)
{
	json_t *arr = json_array();

	for (int32_t i = 0; i < map->max_devices; i++) {
		json_t *d = json_object();
		const char *name = name_or_null(&map->item_names, i);
		char buf[32];
		int32_t cls;

		if (!name) {
			snprintf(buf, sizeof(buf), "device%d", i);
			name = buf;
		}
		set(d, "id", json_integer(i), failed);
		set(d, "name", json_string(name), failed);
		if (crush_map_item_class(map, i, &cls) == 0) {
			const char *cname = crush_names_get(&map->class_names, cls);
			if (cname)
				set(d, "class", json_string(cname), failed);
		}
		append(arr, d, failed);
	}
	return arr;
}

static json_t *dump_types(const struct crush_map *map, bool *failed)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < map->type_names.n; i++) {
		json_t *t = json_object();
		set(t, "type_id", json_integer(map->type_names.v[i].id), failed);
		set(t, "name", json_string(map->type_names.v[i].name), failed);
		append(arr, t, failed);
	}
	return arr;
}

static json_t *dump_bucket(const struct crush_map *map, const struct crush_bucket *b,
			   bool *failed)
{
	json_t *o = json_object();
	json_t *items = json_array();
	const char *name = crush_names_get(&map->item_names, b->id);
	const char *tname = crush_names_get(&map->type_names, b->type);

	set(o, "id", json_integer(b->id), failed);
	set(o, "name", json_string(name ? name : ""), failed);
	set(o, "type_id", json_integer(b->type), failed);
	set(o, "type_name", json_string(tname ? tname : ""), failed);
	set(o, "weight", json_integer(b->weight), failed);
	if (b->alg < sizeof(alg_names) / sizeof(alg_names[0]) && alg_names[b->alg])
		set(o, "alg", json_string(alg_names[b->alg]), failed);
	else
		set(o, "alg", json_integer(b->alg), failed);
	set(o, "hash", json_string(crush_hash_name(b->hash)), failed);
	for (uint32_t i = 0; i < b->size; i++) {
		json_t *it = json_object();
		set(it, "id", json_integer(b->items[i]), failed);
		set(it, "weight", json_integer(b->item_weights[i]), failed);
		set(it, "pos", json_integer(i), failed);
		append(items, it, failed);
	}
	set(o, "items", items, failed);
	return o;
}

static json_t *dump_buckets(const struct crush_map *map, bool *failed)
{
	json_t *arr = json_array();

	for (int32_t b = 0; b < map->max_buckets; b++)
		if (map->buckets[b])
			append(arr, dump_bucket(map, map->buckets[b], failed), failed);
	return arr;
}

static json_t *dump_step(const struct crush_map *map, const struct crush_rule_step *s,
			 bool *failed)
{
	json_t *o = json_object();

	if (s->op >= N_STEP_OPS || !step_ops[s->op].name) {
		set(o, "opcode", json_integer(s->op), failed);
		set(o, "arg1", json_integer(s->arg1), failed);
		set(o, "arg2", json_integer(s->arg2), failed);
		return o;
	}
	set(o, "op", json_string(step_ops[s->op].name), failed);
	switch (step_ops[s->op].args) {
	case ARGS_TAKE: {
		const char *n = crush_names_get(&map->item_names, s->arg1);
		set(o, "item", json_integer(s->arg1), failed);
		set(o, "item_name", json_string(n ? n : ""), failed);
		break;
	}
	case ARGS_CHOOSE: {
		const char *n = crush_names_get(&map->type_names, s->arg2);
		set(o, "num", json_integer(s->arg1), failed);
		set(o, "type", json_string(n ? n : ""), failed);
		break;
	}
	case ARGS_NUM:
		set(o, "num", json_integer(s->arg1), failed);
		break;
	case ARGS_NONE:
		break;
	}
	return o;
}

static json_t *dump_rules(const struct crush_map *map, bool *failed)
{
	json_t *arr = json_array();

	for (uint32_t r = 0; r < map->max_rules; r++) {
		const struct crush_rule *rule = map->rules[r];
		json_t *o, *steps;
		const char *name;

		if (!rule)
			continue;
		o = json_object();
		steps = json_array();
		name = crush_names_get(&map->rule_names, (int32_t)r);
		set(o, "rule_id", json_integer(r), failed);
		if (name)
			set(o, "rule_name", json_string(name), failed);
		set(o, "ruleset", json_integer(rule->ruleset), failed);
		set(o, "type", json_integer(rule->type), failed);
		set(o, "min_size", json_integer(rule->min_size), failed);
		set(o, "max_size", json_integer(rule->max_size), failed);
		for (uint32_t s = 0; s < rule->len; s++)
			append(steps, dump_step(map, &rule->steps[s], failed), failed);
		set(o, "steps", steps, failed);
		append(arr, o, failed);
	}
	return arr;
}

static json_t *dump_tunables(const struct crush_map *map, bool *failed)
{
	const struct crush_tunables *t = &map->t;
	json_t *o = json_object();
	bool optimal = t->choose_local_tries == 0 && t->choose_local_fallback_tries == 0 &&
		       t->choose_total_tries == 50 && t->chooseleaf_descend_once == 1 &&
		       t->chooseleaf_vary_r == 1 && t->chooseleaf_stable == 1;
	bool legacy = t->choose_local_tries == 2 && t->choose_local_fallback_tries == 5 &&
		      t->choose_total_tries == 19 && t->chooseleaf_descend_once == 0 &&
		      t->chooseleaf_vary_r == 0 && t->chooseleaf_stable == 0 &&
		      t->allowed_bucket_algs == CRUSH_LEGACY_ALLOWED_BUCKET_ALGS;

	set(o, "choose_local_tries", json_integer(t->choose_local_tries), failed);
	set(o, "choose_local_fallback_tries", json_integer(t->choose_local_fallback_tries),
	    failed);
	set(o, "choose_total_tries", json_integer(t->choose_total_tries), failed);
	set(o, "chooseleaf_descend_once", json_integer(t->chooseleaf_descend_once), failed);
	set(o, "chooseleaf_vary_r", json_integer(t->chooseleaf_vary_r), failed);
	set(o, "chooseleaf_stable", json_integer(t->chooseleaf_stable), failed);
	set(o, "straw_calc_version", json_integer(t->straw_calc_version), failed);
	set(o, "allowed_bucket_algs", json_integer(t->allowed_bucket_algs), failed);
	set(o, "profile", json_string(crush_tunables_profile(t)), failed);
	set(o, "optimal_tunables", json_integer(optimal), failed);
	set(o, "legacy_tunables", json_integer(legacy), failed);
	set(o, "minimum_required_version", json_string(crush_map_min_required_version(map)),
	    failed);
	set(o, "require_feature_tunables", json_integer(tunables_nondefault(t)), failed);
	set(o, "require_feature_tunables2", json_integer(t->chooseleaf_descend_once != 0),
	    failed);
	set(o, "has_v2_rules", json_integer(crush_map_has_v2_rules(map)), failed);
	set(o, "require_feature_tunables3", json_integer(t->chooseleaf_vary_r != 0), failed);
	set(o, "has_v3_rules", json_integer(crush_map_has_v3_rules(map)), failed);
	set(o, "has_v4_buckets", json_integer(crush_map_has_v4_buckets(map)), failed);
	set(o, "require_feature_tunables5", json_integer(t->chooseleaf_stable != 0), failed);
	set(o, "has_v5_rules", json_integer(crush_map_has_v5_rules(map)), failed);
	return o;
}

/* A 16.16 weight as Ceph prints a float: integral values without a
 * fraction, others with every digit the binary fraction has. */
static json_t *weight_json(uint32_t w)
{
	if (!(w & 0xffff))
		return json_integer(w >> 16);
	return json_real((double)w / 0x10000);
}

static json_t *dump_choose_args(const struct crush_map *map, bool *failed)
{
	json_t *o = json_object();

	for (size_t i = 0; i < map->n_choose_args; i++) {
		const struct crush_choose_arg_map *cam = &map->choose_args[i];
		json_t *arr = json_array();
		char key[32];

		for (uint32_t b = 0; b < cam->size; b++) {
			const struct crush_choose_arg *ca = &cam->args[b];
			json_t *a;

			if (!ca->ids_size && !ca->weight_set_positions)
				continue;
			a = json_object();
			set(a, "bucket_id", json_integer(-1 - (int32_t)b), failed);
			if (ca->weight_set_positions) {
				json_t *ws = json_array();
				for (uint32_t p = 0; p < ca->weight_set_positions; p++) {
					json_t *row = json_array();
					const struct crush_weight_set *w = &ca->weight_set[p];
					for (uint32_t k = 0; k < w->size; k++)
						append(row, weight_json(w->weights[k]), failed);
					append(ws, row, failed);
				}
				set(a, "weight_set", ws, failed);
			}
			if (ca->ids_size) {
				json_t *ids = json_array();
				for (uint32_t k = 0; k < ca->ids_size; k++)
					append(ids, json_integer(ca->ids[k]), failed);
				set(a, "ids", ids, failed);
			}
			append(arr, a, failed);
		}
		snprintf(key, sizeof(key), "%lld", (long long)cam->id);
		set(o, key, arr, failed);
	}
	return o;
}

int crush_dump_json(const struct crush_map *map, const char *format, FILE *out)
{
	bool failed = false;
	bool compact = format && strcmp(format, "json") == 0;
	json_t *doc = json_object();
	char *text = NULL;
	int ret = 0;

	set(doc, "devices", dump_devices(map, &failed), &failed);
	set(doc, "types", dump_types(map, &failed), &failed);
	set(doc, "buckets", dump_buckets(map, &failed), &failed);
	set(doc, "rules", dump_rules(map, &failed), &failed);
	set(doc, "tunables", dump_tunables(map, &failed), &failed);
	set(doc, "choose_args", dump_choose_args(map, &failed), &failed);
	if (failed) {
		ret = -ENOMEM;
		goto out_doc;
	}
	text = json_dumps(doc, compact ? JSON_COMPACT : (JSON_INDENT(4) | JSON_REAL_PRECISION(17)));
	if (!text) {
		ret = -ENOMEM;
		goto out_doc;
	}
	/* Ceph's pretty formatter ends its document with a newline and
	 * crushtool adds one more; the compact one gets only crushtool's. */
	if (fprintf(out, compact ? "%s\n" : "%s\n\n", text) < 0)
		ret = -EIO;
	free(text);
out_doc:
	json_decref(doc);
	return ret;
}

/* ---- tree ---- */

#define MAX_CA_COLS 16

struct tree_row {
	int32_t id;
	const char *cls;
	char weight[32];
	char ca[MAX_CA_COLS][32]; /* per choose_args set: weight in the parent */
	char *name;               /* indentation, type and name */
};

struct tree {
	const struct crush_map *map;
	struct tree_row *rows;
	size_t n, cap;
	bool failed;
};

static const char *item_class(const struct crush_map *map, int32_t id)
{
	int32_t cls;
	const char *n;

	if (crush_map_item_class(map, id, &cls) != 0)
		return "";
	n = crush_names_get(&map->class_names, cls);
	return n ? n : "";
}

static const char *item_name(const struct crush_map *map, int32_t id)
{
	const char *n = crush_names_get(&map->item_names, id);
	return n ? n : "";
}

/* --tree shows every device as osd.N, whatever the map names it (as
 * Ceph's crushtool does). */
static const char *tree_item_name(const struct crush_map *map, int32_t id, char *buf,
				  size_t len)
{
	if (id < 0)
		return item_name(map, id);
	snprintf(buf, len, "osd.%d", id);
	return buf;
}

static void fmt_weight(char *buf, size_t len, uint32_t weight)
{
	float w = (float)weight / (float)0x10000;

	if (weight == 0)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%.5f", (double)w);
}

static void tree_add(struct tree *t, int32_t id, uint32_t weight, int depth, int32_t parent,
		     uint32_t pos)
{
	const struct crush_map *map = t->map;
	struct tree_row *row;
	const char *tname = "";
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct tree_row *nr = realloc(t->rows, cap * sizeof(*nr));
		if (!nr) {
			t->failed = true;
			return;
		}
		t->rows = nr;
		t->cap = cap;
	}
	row = &t->rows[t->n];
	row->id = id;
	row->cls = item_class(map, id);
	fmt_weight(row->weight, sizeof(row->weight), weight);
	for (size_t c = 0; c < map->n_choose_args && c < MAX_CA_COLS; c++) {
		const struct crush_choose_arg_map *cam = &map->choose_args[c];
		uint32_t b = (uint32_t)(-1 - parent);
		row->ca[c][0] = '\0';
		if (parent >= 0 || b >= cam->size || !cam->args[b].weight_set_positions ||
		    pos >= cam->args[b].weight_set[0].size)
			continue;
		fmt_weight(row->ca[c], sizeof(row->ca[c]), cam->args[b].weight_set[0].weights[pos]);
	}
	if (id < 0) {
		const struct crush_bucket *b = crush_map_bucket(map, id);
		const char *n = b ? crush_names_get(&map->type_names, b->type) : NULL;
		tname = n ? n : "";
	}
	char nbuf[32];
	if (asprintf(&row->name, "%*s%s%s%s", depth * 4, "", tname, id < 0 ? " " : "",
		     tree_item_name(map, id, nbuf, sizeof(nbuf))) < 0) {
		t->failed = true;
		return;
	}
	t->n++;
}

struct child {
	int32_t id;
	uint32_t weight;
	uint32_t pos;
	char *key;
};

/*
 * Ceph's order, found by experiment (tests/golden, rand maps): children
 * sort bytewise by a key that is "_" + name for a bucket and
 * class + "_osd." + the id in 8 zero-padded digits for a device.  So
 * buckets come before devices of a (lowercase) class, devices go by id,
 * and unclassed devices sort among the buckets by "osd.N".
 */
static int child_cmp(const void *a, const void *b)
{
	const struct child *x = a, *y = b;
	return strcmp(x->key, y->key);
}

static void tree_walk(struct tree *t, int32_t id, uint32_t weight, int depth, int32_t parent,
		      uint32_t pos)
{
	const struct crush_bucket *b;
	struct child *kids;

	tree_add(t, id, weight, depth, parent, pos);
	if (id >= 0 || t->failed || depth > 64)
		return;
	b = crush_map_bucket(t->map, id);
	if (!b || !b->size)
		return;
	kids = calloc(b->size, sizeof(*kids));
	if (!kids) {
		t->failed = true;
		return;
	}
	for (uint32_t i = 0; i < b->size; i++) {
		kids[i].id = b->items[i];
		kids[i].weight = b->item_weights[i];
		kids[i].pos = i;
		int32_t it = b->items[i];
		int n = it >= 0 ? asprintf(&kids[i].key, "%s_osd.%08d", item_class(t->map, it), it)
				: asprintf(&kids[i].key, "_%s", item_name(t->map, it));
		if (n < 0) {
			kids[i].key = NULL;
			t->failed = true;
		}
	}
	if (t->failed) {
		for (uint32_t i = 0; i < b->size; i++)
			free(kids[i].key);
		free(kids);
		return;
	}
	qsort(kids, b->size, sizeof(*kids), child_cmp);
	for (uint32_t i = 0; i < b->size && !t->failed; i++)
		tree_walk(t, kids[i].id, kids[i].weight, depth + 1, id, kids[i].pos);
	for (uint32_t i = 0; i < b->size; i++)
		free(kids[i].key);
	free(kids);
}

static size_t max_len(size_t a, size_t b)
{
	return a > b ? a : b;
}

int crush_dump_tree(const struct crush_map *map, FILE *out)
{
	struct tree t = { .map = map };
	size_t nroots = crush_map_roots(map, NULL, 0, true);
	int32_t *roots = calloc(nroots ? nroots : 1, sizeof(*roots));
	size_t wid = 2, wcls = 5, wwt = 6, wname = 9;
	size_t nca = map->n_choose_args < MAX_CA_COLS ? map->n_choose_args : MAX_CA_COLS;
	size_t wca[MAX_CA_COLS];
	char cahdr[MAX_CA_COLS][24];
	int ret = 0;

	if (!roots)
		return -ENOMEM;
	crush_map_roots(map, roots, nroots, true);
	/* Ceph walks its set of roots in ascending id order. */
	for (size_t i = 1; i < nroots; i++)
		for (size_t j = i; j > 0 && roots[j - 1] > roots[j]; j--) {
			int32_t tmp = roots[j];
			roots[j] = roots[j - 1];
			roots[j - 1] = tmp;
		}
	for (size_t i = 0; i < nroots && !t.failed; i++) {
		const struct crush_bucket *b = crush_map_bucket(map, roots[i]);
		tree_walk(&t, roots[i], b ? b->weight : 0, 0, 0, 0);
	}
	if (t.failed) {
		ret = -ENOMEM;
		goto out_rows;
	}
	for (size_t c = 0; c < nca; c++) {
		snprintf(cahdr[c], sizeof(cahdr[c]), "%lld", (long long)map->choose_args[c].id);
		wca[c] = strlen(cahdr[c]);
		for (size_t i = 0; i < t.n; i++)
			wca[c] = max_len(wca[c], strlen(t.rows[i].ca[c]));
	}
	for (size_t i = 0; i < t.n; i++) {
		char idbuf[16];
		wid = max_len(wid, (size_t)snprintf(idbuf, sizeof(idbuf), "%d", t.rows[i].id));
		wcls = max_len(wcls, strlen(t.rows[i].cls));
		wwt = max_len(wwt, strlen(t.rows[i].weight));
		wname = max_len(wname, strlen(t.rows[i].name));
	}
	fprintf(out, "%-*s  %-*s  %-*s  ", (int)wid, "ID", (int)wcls, "CLASS", (int)wwt, "WEIGHT");
	for (size_t c = 0; c < nca; c++)
		fprintf(out, "%-*s  ", (int)wca[c], cahdr[c]);
	fprintf(out, "%-*s\n", (int)wname, "TYPE NAME");
	for (size_t i = 0; i < t.n; i++) {
		fprintf(out, "%*d  %*s  %*s  ", (int)wid, t.rows[i].id, (int)wcls, t.rows[i].cls,
			(int)wwt, t.rows[i].weight);
		for (size_t c = 0; c < nca; c++)
			fprintf(out, "%*s  ", (int)wca[c], t.rows[i].ca[c]);
		fprintf(out, "%-*s\n", (int)wname, t.rows[i].name);
	}
out_rows:
	for (size_t i = 0; i < t.n; i++)
		free(t.rows[i].name);
	free(t.rows);
	free(roots);
	return ret;
}
