/*
 * crushtool: display, modify and test CRUSH maps, behaving like Ceph
 * 16.2's tool of the same name.  Work runs in five stages, always in this
 * order whatever the order of the arguments: input or build, tunables,
 * modifications, display/test, output.  Options are parsed from a table
 * (one row per option: name, argument shape, handler); handlers only
 * record what was asked, the stages then act on the record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"
#include "crush/dump.h"
#include "crush/tester.h"

#define MAX_LOC 32
#define ERRLEN 512

/* argv[0]: Ceph's crushtool names itself this way in its messages. */
static const char *prog = "crushtool";

static const char usage_text[] =
	"usage: crushtool ...\n"
	"\n"
	"Display, modify and test a crush map\n"
	"\n"
	"There are five stages, running one after the other:\n"
	"\n"
	" - input/build\n"
	" - tunables adjustments\n"
	" - modifications\n"
	" - display/test\n"
	" - output\n"
	"\n"
	"Options that are not specific to a stage.\n"
	"\n"
	"   [--infn|-i infile]\n"
	"                         read the crush map from infile\n"
	"\n"
	"Options for the input/build stage\n"
	"\n"
	"   --decompile|-d map    decompile a crush map to source\n"
	"   [--outfn|-o outfile]\n"
	"                         specify output for for (de)compilation\n"
	"   --compile|-c map.txt  compile a map from source\n"
	"   --enable-unsafe-tunables\n"
	"                         compile with unsafe tunables\n"
	"   --build --num_osds N layer1 ...\n"
	"                         build a new map, where each 'layer' is\n"
	"                         'name (uniform|straw2|straw|list|tree) size'\n"
	"\n"
	"Options for the tunables adjustments stage\n"
	"\n"
	"   --set-choose-local-tries N\n"
	"                         set choose local retries before re-descent\n"
	"   --set-choose-local-fallback-tries N\n"
	"                         set choose local retries using fallback\n"
	"                         permutation before re-descent\n"
	"   --set-choose-total-tries N\n"
	"                         set choose total descent attempts\n"
	"   --set-chooseleaf-descend-once <0|1>\n"
	"                         set chooseleaf to (not) retry the recursive descent\n"
	"   --set-chooseleaf-vary-r <0|1>\n"
	"                         set chooseleaf to (not) vary r based on parent\n"
	"   --set-chooseleaf-stable <0|1>\n"
	"                         set chooseleaf firstn to (not) return stable results\n"
	"\n"
	"Options for the modifications stage\n"
	"\n"
	"   -i mapfn --add-item id weight name [--loc type name ...]\n"
	"                         insert an item into the hierarchy at the\n"
	"                         given location\n"
	"   -i mapfn --update-item id weight name [--loc type name ...]\n"
	"                         insert or move an item into the hierarchy at the\n"
	"                         given location\n"
	"   -i mapfn --remove-item name\n"
	"                         remove the given item\n"
	"   -i mapfn --reweight-item name weight\n"
	"                         reweight a given item (and adjust ancestor\n"
	"                         weights as needed)\n"
	"   -i mapfn --add-bucket name type [--loc type name ...]\n"
	"                         insert a bucket into the hierarchy at the given\n"
	"                         location\n"
	"   -i mapfn --move       name --loc type name ...\n"
	"                         move the given item to specified location\n"
	"   -i mapfn --reweight   recalculate all bucket weights\n"
	"   -i mapfn --rebuild-class-roots\n"
	"                         rebuild the per-class shadow trees (normally a no-op)\n"
	"   -i mapfn --create-simple-rule name root type mode\n"
	"                         create crush rule <name> to start from <root>,\n"
	"                         replicate across buckets of type <type>, using\n"
	"                         a choose mode of <firstn|indep>\n"
	"   -i mapfn --create-replicated-rule name root type\n"
	"                         create crush rule <name> to start from <root>,\n"
	"                         replicate across buckets of type <type>\n"
	"   --device-class <class>\n"
	"                         use device class <class> for new rule\n"
	"   -i mapfn --remove-rule name\n"
	"                         remove the specified crush rule\n"
	"\n"
	"Options for the display/test stage\n"
	"\n"
	"   -f --format           the format of --dump, defaults to json-pretty\n"
	"                         can be one of json, json-pretty, xml, xml-pretty,\n"
	"                         table, table-kv, html, html-pretty\n"
	"   --dump                dump the crush map\n"
	"   --tree                print map summary as a tree\n"
	"   --bucket-tree         print bucket map summary as a tree\n"
	"   --bucket-name         specify bucket bucket name for bucket-tree\n"
	"   --check [max_id]      check if any item is referencing an unknown name/type\n"
	"   -i mapfn --show-location id\n"
	"                         show location for given device id\n"
	"   -i mapfn --test       test a range of inputs on the map\n"
	"      [--min-x x] [--max-x x] [--x x]\n"
	"      [--min-rule r] [--max-rule r] [--rule r] [--ruleset rs]\n"
	"      [--num-rep n]\n"
	"      [--pool-id n]      specifies pool id\n"
	"      [--batches b]      split the CRUSH mapping into b > 1 rounds\n"
	"      [--weight|-w devno weight]\n"
	"                         where weight is 0 to 1.0\n"
	"      [--simulate]       simulate placements using a random\n"
	"                         number generator in place of the CRUSH\n"
	"                         algorithm\n"
	"   --show-utilization    show OSD usage\n"
	"   --show-utilization-all\n"
	"                         include zero weight items\n"
	"   --show-statistics     show chi squared statistics\n"
	"   --show-mappings       show mappings\n"
	"   --show-bad-mappings   show bad mappings\n"
	"   --show-choose-tries   show choose tries histogram\n"
	"   --output-name name\n"
	"                         prepend the data file(s) generated during the\n"
	"                         testing routine with name\n"
	"   --output-csv\n"
	"                         export select data generated during testing routine\n"
	"                         to CSV files for off-line post-processing\n"
	"                         use --help-output for more information\n"
	"   --reclassify          transform legacy CRUSH map buckets and rules\n"
	"                         by adding classes\n"
	"      --reclassify-bucket <bucket-match> <class> <default-parent>\n"
	"      --reclassify-root <bucket-name> <class>\n"
	"   --set-subtree-class <bucket-name> <class>\n"
	"                         set class for all items beneath bucket-name\n"
	"   --compare <otherfile> compare two maps using --test parameters\n"
	"\n"
	"Options for the output stage\n"
	"\n"
	"   [--outfn|-o outfile]\n"
	"                         specify output for modified crush map\n"
	"\n"
;

/* A requested tunable change: value and whether it was given. */
struct tunable_set {
	bool set;
	long val;
};

enum tunable_idx {
	T_LOCAL_TRIES,
	T_LOCAL_FALLBACK,
	T_TOTAL_TRIES,
	T_DESCEND_ONCE,
	T_VARY_R,
	T_STABLE,
	T_STRAW_CALC,
	T_ALLOWED_ALGS,
	T_COUNT
};

struct tool {
	const char *infn, *outfn, *srcfn, *decompile_fn;
	bool compile, decompile, build;
	int num_osds;

	char **rest; /* arguments no option consumed, in order */
	size_t nrest;

	struct tunable_set tun[T_COUNT];
	bool unsafe_tunables;

	/* modifications (the add-* options share one name, as Ceph's do) */
	const char *reweight_name;
	double reweight_weight;
	const char *remove_name;
	bool add_item, update_item;
	int add_id;
	double add_weight;
	const char *add_name;
	const char *add_bucket_name, *add_bucket_type;
	const char *move_name;
	bool reweight_all, rebuild_class_roots;
	const char *rule_name, *rule_root, *rule_type, *rule_mode;
	bool create_rule;
	const char *device_class;
	const char *remove_rule;
	struct crush_loc loc[MAX_LOC];
	size_t nloc;

	/* display and test */
	bool tree, dump, check, test;
	const char *format;
	int check_max;
	int show_location;
	struct crush_tester tester;
	struct crush_tester_weight *weights;
	size_t nweights;

	struct crush_map *map;
	bool modified;
};

/* ---- argument parsing ---- */

enum arg_shape {
	A_FLAG,   /* no argument */
	A_STR,    /* one string */
	A_INT,    /* one strictly parsed integer */
	A_LAX,    /* one integer parsed like atoi (Ceph's tunables options) */
	A_OPTINT, /* an integer if the next argument is one */
	A_MULTI,  /* nargs strings */
};

struct opt {
	const char *name;
	const char *alias;
	enum arg_shape shape;
	int nargs;
	int (*fn)(struct tool *t, char **args, long v);
};

static int parse_int(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	return 0;
}

static int opt_infn(struct tool *t, char **a, long v) { t->infn = a[0]; return 0; }
static int opt_outfn(struct tool *t, char **a, long v) { t->outfn = a[0]; return 0; }
static int opt_decompile(struct tool *t, char **a, long v)
{
	t->decompile = true;
	t->decompile_fn = a[0];
	return 0;
}
static int opt_compile(struct tool *t, char **a, long v)
{
	t->compile = true;
	t->srcfn = a[0];
	return 0;
}
static int opt_build(struct tool *t, char **a, long v) { t->build = true; return 0; }
static int opt_num_osds(struct tool *t, char **a, long v) { t->num_osds = (int)v; return 0; }
static int opt_unsafe(struct tool *t, char **a, long v) { t->unsafe_tunables = true; return 0; }

#define TUNABLE_OPT(fn, idx)                                       \
	static int fn(struct tool *t, char **a, long v)            \
	{                                                          \
		t->tun[idx].set = true;                            \
		t->tun[idx].val = v;                               \
		return 0;                                          \
	}
TUNABLE_OPT(opt_t_local, T_LOCAL_TRIES)
TUNABLE_OPT(opt_t_fallback, T_LOCAL_FALLBACK)
TUNABLE_OPT(opt_t_total, T_TOTAL_TRIES)
TUNABLE_OPT(opt_t_descend, T_DESCEND_ONCE)
TUNABLE_OPT(opt_t_vary_r, T_VARY_R)
TUNABLE_OPT(opt_t_stable, T_STABLE)
TUNABLE_OPT(opt_t_straw_calc, T_STRAW_CALC)
TUNABLE_OPT(opt_t_algs, T_ALLOWED_ALGS)

static int opt_add_item(struct tool *t, char **a, long v)
{
	long id;

	if (parse_int(a[0], &id)) {
		fprintf(stderr, "The option value '%s' is invalid\n", a[0]);
		return 1;
	}
	t->add_item = true;
	t->update_item = false;
	t->add_id = (int)id;
	t->add_weight = atof(a[1]);
	t->add_name = a[2];
	return 0;
}
static int opt_update_item(struct tool *t, char **a, long v)
{
	int r = opt_add_item(t, a, v);
	if (!r) {
		t->add_item = false;
		t->update_item = true;
	}
	return r;
}
static int opt_remove_item(struct tool *t, char **a, long v) { t->remove_name = a[0]; return 0; }
static int opt_reweight_item(struct tool *t, char **a, long v)
{
	t->reweight_name = a[0];
	t->reweight_weight = atof(a[1]);
	return 0;
}
static int opt_add_bucket(struct tool *t, char **a, long v)
{
	t->add_bucket_name = a[0];
	t->add_bucket_type = a[1];
	return 0;
}
static int opt_move(struct tool *t, char **a, long v) { t->move_name = a[0]; return 0; }
static int opt_loc(struct tool *t, char **a, long v)
{
	/* one bucket per type: a later --loc of the same type replaces it */
	for (size_t i = 0; i < t->nloc; i++) {
		if (strcmp(t->loc[i].type, a[0]) == 0) {
			t->loc[i].name = a[1];
			return 0;
		}
	}
	if (t->nloc == MAX_LOC) {
		fprintf(stderr, "too many --loc arguments\n");
		return 1;
	}
	t->loc[t->nloc].type = a[0];
	t->loc[t->nloc].name = a[1];
	t->nloc++;
	return 0;
}
static int opt_reweight(struct tool *t, char **a, long v) { t->reweight_all = true; return 0; }
static int opt_rebuild(struct tool *t, char **a, long v)
{
	t->rebuild_class_roots = true;
	return 0;
}
static int opt_simple_rule(struct tool *t, char **a, long v)
{
	t->create_rule = true;
	t->rule_name = a[0];
	t->rule_root = a[1];
	t->rule_type = a[2];
	t->rule_mode = a[3];
	printf("--create-simple-rule: name=%s root=%s type=%s mode=%s\n", a[0], a[1], a[2],
	       a[3]);
	return 0;
}
static int opt_replicated_rule(struct tool *t, char **a, long v)
{
	t->create_rule = true;
	t->rule_name = a[0];
	t->rule_root = a[1];
	t->rule_type = a[2];
	t->rule_mode = "firstn";
	printf("--create-replicated-rule: name=%s root=%s type=%s\n", a[0], a[1], a[2]);
	return 0;
}
static int opt_device_class(struct tool *t, char **a, long v) { t->device_class = a[0]; return 0; }
static int opt_remove_rule(struct tool *t, char **a, long v) { t->remove_rule = a[0]; return 0; }

static int opt_format(struct tool *t, char **a, long v) { t->format = a[0]; return 0; }
static int opt_dump(struct tool *t, char **a, long v) { t->dump = true; return 0; }
static int opt_tree(struct tool *t, char **a, long v) { t->tree = true; return 0; }
static int opt_check(struct tool *t, char **a, long v)
{
	t->check = true;
	t->check_max = (int)v;
	return 0;
}
static int opt_show_location(struct tool *t, char **a, long v)
{
	t->show_location = (int)v;
	return 0;
}
static int opt_test(struct tool *t, char **a, long v) { t->test = true; return 0; }
static int opt_min_x(struct tool *t, char **a, long v) { t->tester.min_x = (int)v; return 0; }
static int opt_max_x(struct tool *t, char **a, long v) { t->tester.max_x = (int)v; return 0; }
static int opt_x(struct tool *t, char **a, long v)
{
	t->tester.min_x = t->tester.max_x = (int)v;
	return 0;
}
static int opt_min_rule(struct tool *t, char **a, long v) { t->tester.min_rule = (int)v; return 0; }
static int opt_max_rule(struct tool *t, char **a, long v) { t->tester.max_rule = (int)v; return 0; }
static int opt_rule(struct tool *t, char **a, long v)
{
	t->tester.min_rule = t->tester.max_rule = (int)v;
	return 0;
}
static int opt_ruleset(struct tool *t, char **a, long v) { t->tester.ruleset = (int)v; return 0; }
static int opt_num_rep(struct tool *t, char **a, long v)
{
	t->tester.min_rep = t->tester.max_rep = (int)v;
	return 0;
}
static int opt_pool_id(struct tool *t, char **a, long v) { t->tester.pool_id = (int)v; return 0; }
static int opt_batches(struct tool *t, char **a, long v) { t->tester.batches = (int)v; return 0; }
static int opt_weight(struct tool *t, char **a, long v)
{
	long dev;
	double w;
	struct crush_tester_weight *nw;

	if (parse_int(a[0], &dev)) {
		fprintf(stderr, "The option value '%s' is invalid\n", a[0]);
		return 1;
	}
	w = atof(a[1]);
	if (w > 1.0)
		w = 1.0;
	if (w < 0.0)
		w = 0.0;
	nw = realloc(t->weights, (t->nweights + 1) * sizeof(*nw));
	if (!nw)
		return -ENOMEM;
	t->weights = nw;
	nw[t->nweights].dev = (int32_t)dev;
	nw[t->nweights].w = (uint32_t)(w * 0x10000);
	t->nweights++;
	return 0;
}
static int opt_simulate(struct tool *t, char **a, long v) { t->tester.simulate = true; return 0; }
static int opt_show_mappings(struct tool *t, char **a, long v)
{
	t->tester.show_mappings = true;
	return 0;
}
static int opt_show_bad(struct tool *t, char **a, long v)
{
	t->tester.show_bad_mappings = true;
	return 0;
}
static int opt_show_stats(struct tool *t, char **a, long v)
{
	t->tester.show_statistics = true;
	return 0;
}
static int opt_show_util(struct tool *t, char **a, long v)
{
	t->tester.show_utilization = true;
	return 0;
}
static int opt_show_util_all(struct tool *t, char **a, long v)
{
	t->tester.show_utilization_all = true;
	return 0;
}
static int opt_show_tries(struct tool *t, char **a, long v)
{
	t->tester.show_choose_tries = true;
	return 0;
}
static int opt_help(struct tool *t, char **a, long v)
{
	fputs(usage_text, stdout);
	return -1; /* stop: exit 0 */
}

static const struct opt options[] = {
	{ "--infn", "-i", A_STR, 1, opt_infn },
	{ "--outfn", "-o", A_STR, 1, opt_outfn },
	{ "--decompile", "-d", A_STR, 1, opt_decompile },
	{ "--compile", "-c", A_STR, 1, opt_compile },
	{ "--build", NULL, A_FLAG, 0, opt_build },
	{ "--num-osds", NULL, A_INT, 1, opt_num_osds },
	{ "--enable-unsafe-tunables", NULL, A_FLAG, 0, opt_unsafe },
	{ "--set-choose-local-tries", NULL, A_LAX, 1, opt_t_local },
	{ "--set-choose-local-fallback-tries", NULL, A_LAX, 1, opt_t_fallback },
	{ "--set-choose-total-tries", NULL, A_LAX, 1, opt_t_total },
	{ "--set-chooseleaf-descend-once", NULL, A_LAX, 1, opt_t_descend },
	{ "--set-chooseleaf-vary-r", NULL, A_LAX, 1, opt_t_vary_r },
	{ "--set-chooseleaf-stable", NULL, A_LAX, 1, opt_t_stable },
	{ "--set-straw-calc-version", NULL, A_LAX, 1, opt_t_straw_calc },
	{ "--set-allowed-bucket-algs", NULL, A_LAX, 1, opt_t_algs },
	{ "--add-item", NULL, A_MULTI, 3, opt_add_item },
	{ "--update-item", NULL, A_MULTI, 3, opt_update_item },
	{ "--remove-item", NULL, A_MULTI, 1, opt_remove_item },
	{ "--reweight-item", NULL, A_MULTI, 2, opt_reweight_item },
	{ "--add-bucket", NULL, A_MULTI, 2, opt_add_bucket },
	{ "--move", NULL, A_MULTI, 1, opt_move },
	{ "--loc", NULL, A_MULTI, 2, opt_loc },
	{ "--reweight", NULL, A_FLAG, 0, opt_reweight },
	{ "--rebuild-class-roots", NULL, A_FLAG, 0, opt_rebuild },
	{ "--create-simple-rule", NULL, A_MULTI, 4, opt_simple_rule },
	{ "--create-replicated-rule", NULL, A_MULTI, 3, opt_replicated_rule },
	{ "--device-class", NULL, A_STR, 1, opt_device_class },
	{ "--remove-rule", NULL, A_MULTI, 1, opt_remove_rule },
	{ "--format", "-f", A_STR, 1, opt_format },
	{ "--dump", NULL, A_FLAG, 0, opt_dump },
	{ "--tree", NULL, A_FLAG, 0, opt_tree },
	{ "--check", NULL, A_OPTINT, 1, opt_check },
	{ "--show-location", NULL, A_INT, 1, opt_show_location },
	{ "--test", NULL, A_FLAG, 0, opt_test },
	{ "--min-x", NULL, A_INT, 1, opt_min_x },
	{ "--max-x", NULL, A_INT, 1, opt_max_x },
	{ "--x", NULL, A_INT, 1, opt_x },
	{ "--min-rule", NULL, A_INT, 1, opt_min_rule },
	{ "--max-rule", NULL, A_INT, 1, opt_max_rule },
	{ "--rule", NULL, A_INT, 1, opt_rule },
	{ "--ruleset", NULL, A_INT, 1, opt_ruleset },
	{ "--num-rep", NULL, A_INT, 1, opt_num_rep },
	{ "--pool-id", NULL, A_INT, 1, opt_pool_id },
	{ "--batches", NULL, A_INT, 1, opt_batches },
	{ "--weight", NULL, A_MULTI, 2, opt_weight },
	{ "--simulate", NULL, A_FLAG, 0, opt_simulate },
	{ "--show-mappings", NULL, A_FLAG, 0, opt_show_mappings },
	{ "--show-bad-mappings", NULL, A_FLAG, 0, opt_show_bad },
	{ "--show-statistics", NULL, A_FLAG, 0, opt_show_stats },
	{ "--show-utilization", NULL, A_FLAG, 0, opt_show_util },
	{ "--show-utilization-all", NULL, A_FLAG, 0, opt_show_util_all },
	{ "--show-choose-tries", NULL, A_FLAG, 0, opt_show_tries },
	{ "--help", "-h", A_FLAG, 0, opt_help },
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

/* Ceph treats '-' and '_' alike in option names ("--num_osds"). */
static bool opt_name_eq(const char *want, const char *arg, size_t len)
{
	if (strlen(want) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char a = arg[i] == '_' ? '-' : arg[i];
		if (i >= 2 && a != want[i])
			return false;
		if (i < 2 && arg[i] != want[i])
			return false;
	}
	return true;
}

static const struct opt *opt_find(const char *arg, size_t len)
{
	for (size_t i = 0; i < N_OPTIONS; i++) {
		if (opt_name_eq(options[i].name, arg, len))
			return &options[i];
		if (options[i].alias && strlen(options[i].alias) == len &&
		    strncmp(options[i].alias, arg, len) == 0)
			return &options[i];
	}
	return NULL;
}

/*
 * Parse argv into t.  Returns 0, -1 for "stop, exit 0" (--help), or a
 * positive exit status after printing why.
 */
static int parse_args(struct tool *t, int argc, char **argv)
{
	t->rest = calloc((size_t)argc + 1, sizeof(*t->rest));
	if (!t->rest)
		return 1;
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		const char *eq = arg[0] == '-' ? strchr(arg, '=') : NULL;
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct opt *o = arg[0] == '-' ? opt_find(arg, len) : NULL;
		char *inl = eq ? (char *)eq + 1 : NULL;
		char **args = NULL;
		long v = -1;
		int r;

		if (strcmp(arg, "--") == 0) {
			while (++i < argc)
				t->rest[t->nrest++] = argv[i];
			break;
		}
		if (!o) {
			t->rest[t->nrest++] = arg;
			continue;
		}
		switch (o->shape) {
		case A_FLAG:
			break;
		case A_STR:
		case A_INT:
		case A_LAX:
			if (inl) {
				args = &inl;
			} else if (i + 1 < argc) {
				args = &argv[++i];
			} else {
				fprintf(stderr, "Option %.*s requires an argument.\n%s", (int)len,
					arg, o->shape == A_STR ? "" : "\n");
				return 1;
			}
			if (o->shape == A_INT && parse_int(args[0], &v)) {
				fprintf(stderr, "The option value '%s' is invalid\n", args[0]);
				return 1;
			}
			if (o->shape == A_LAX)
				v = strtol(args[0], NULL, 10);
			break;
		case A_OPTINT:
			if (inl && !parse_int(inl, &v))
				break;
			if (i + 1 < argc && !parse_int(argv[i + 1], &v))
				i++;
			break;
		case A_MULTI:
			if (i + o->nargs >= argc) {
				fprintf(stderr, "expecting additional argument to %s\n", o->name);
				return 1;
			}
			args = &argv[i + 1];
			i += o->nargs;
			break;
		}
		r = o->fn(t, args, v);
		if (r)
			return r;
	}
	return 0;
}

static bool any_action(const struct tool *t)
{
	bool tun = false;

	for (int i = 0; i < T_COUNT; i++)
		tun |= t->tun[i].set;
	return t->compile || t->decompile || t->build || t->test || t->tree || t->dump ||
	       t->check || t->show_location >= 0 || tun || t->reweight_name ||
	       t->remove_name || t->add_item || t->update_item || t->add_bucket_name ||
	       t->move_name || t->reweight_all || t->rebuild_class_roots || t->create_rule ||
	       t->remove_rule;
}

/* ---- input stage ---- */

static int read_file(const char *fn, char **buf, size_t *len)
{
	FILE *f = fopen(fn, "rb");
	char *b = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (!f)
		return -errno;
	for (;;) {
		size_t got;
		if (cap - n < 65536) {
			char *nb;
			cap = cap ? cap * 2 : 131072;
			nb = realloc(b, cap + 1);
			if (!nb) {
				ret = -ENOMEM;
				goto out_close;
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		ret = -EIO;
		goto out_close;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	b = NULL;
out_close:
	free(b);
	fclose(f);
	return ret;
}

static int load_binary(struct tool *t, const char *fn)
{
	char *buf = NULL;
	size_t len = 0;
	char err[ERRLEN] = "";
	int r = read_file(fn, &buf, &len);

	if (r) {
		fprintf(stderr, "%s: error reading '%s': can't open %s: (%d) %s\n", prog, fn, fn,
			-r, strerror(-r));
		return 1;
	}
	r = crush_map_decode(buf, len, &t->map, err, sizeof(err));
	free(buf);
	if (r) {
		/* Ceph's first line, then why (Ceph crashes on most such maps) */
		fprintf(stderr, "%s: unable to decode %s\n", prog, fn);
		if (err[0])
			fprintf(stderr, "%s: %s\n", prog, err);
		return 1;
	}
	return 0;
}

static int compile_source(struct tool *t)
{
	char *buf = NULL;
	size_t len = 0;
	char err[ERRLEN] = "";
	struct crush_map *m = NULL;
	int r = read_file(t->srcfn, &buf, &len);

	if (r) {
		fprintf(stderr, "input file %s not found\n", t->srcfn);
		return r == -ENOENT ? 256 - ENOENT : 1;
	}
	r = crush_map_compile(buf, len, t->srcfn, &m, err, sizeof(err));
	free(buf);
	if (r) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	crush_map_destroy(t->map);
	t->map = m;
	t->modified = true;
	return 0;
}

static int alg_by_name(const char *s)
{
	static const struct {
		const char *name;
		int alg;
	} algs[] = {
		{ "uniform", CRUSH_BUCKET_UNIFORM }, { "list", CRUSH_BUCKET_LIST },
		{ "tree", CRUSH_BUCKET_TREE },	     { "straw", CRUSH_BUCKET_STRAW },
		{ "straw2", CRUSH_BUCKET_STRAW2 },
	};
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strcmp(algs[i].name, s) == 0)
			return algs[i].alg;
	return -EINVAL;
}

/*
 * --build: num_osds devices "osd.N", then each layer groups the previous
 * layer's items size at a time (0: all) into buckets named name<i> (or
 * just name when size is 0), passing up the summed weights; finally the
 * "replicated_rule" takes the first bucket of the last layer.
 */
static int build_map(struct tool *t)
{
	struct crush_map *m = t->map;
	int32_t *items = NULL, *next_items = NULL;
	uint32_t *weights = NULL, *next_weights = NULL;
	size_t n, nlayers;
	char err[ERRLEN] = "";
	char root[256];
	int ret = 1;

	if (t->nrest % 3) {
		fprintf(stderr, "remaining args: [");
		for (size_t i = 0; i < t->nrest; i++)
			fprintf(stderr, "%s%s", i ? "," : "", t->rest[i]);
		fprintf(stderr, "]\nlayers must be specified with 3-tuples of (name, buckettype, "
				"size)\n");
		return 1;
	}
	nlayers = t->nrest / 3;
	if (!nlayers) {
		fprintf(stderr, "%s: must specify at least one layer\n", prog);
		return 1;
	}
	if (!m) {
		m = t->map = crush_map_create();
		if (!m)
			return 1;
	}
	n = t->num_osds > 0 ? (size_t)t->num_osds : 0;
	items = calloc(n + 1, sizeof(*items));
	weights = calloc(n + 1, sizeof(*weights));
	next_items = calloc(n + 1, sizeof(*next_items));
	next_weights = calloc(n + 1, sizeof(*next_weights));
	if (!items || !weights || !next_items || !next_weights)
		goto out;
	if (crush_names_set(&m->type_names, 0, "osd"))
		goto out;
	for (size_t i = 0; i < n; i++) {
		char name[32];
		snprintf(name, sizeof(name), "osd.%zu", i);
		if (crush_names_set(&m->item_names, (int32_t)i, name))
			goto out;
		items[i] = (int32_t)i;
		weights[i] = 0x10000;
	}
	if ((int32_t)n > m->max_devices)
		m->max_devices = (int32_t)n;

	for (size_t l = 0; l < nlayers; l++) {
		const char *lname = t->rest[3 * l];
		int alg = alg_by_name(t->rest[3 * l + 1]);
		size_t size = (size_t)atoi(t->rest[3 * l + 2]);
		int type = (int)l + 1;
		size_t nn = 0;

		if (alg < 0) {
			fprintf(stderr, "unknown bucket type '%s'\n", t->rest[3 * l + 1]);
			goto out;
		}
		if (crush_names_set(&m->type_names, type, lname))
			goto out;
		for (size_t pos = 0; pos < n; nn++) {
			size_t cnt = size ? size : n;
			uint32_t sum = 0;
			struct crush_bucket *b;
			int32_t id;
			char name[256];

			if (cnt > n - pos)
				cnt = n - pos;
			for (size_t k = 0; k < cnt; k++)
				sum += weights[pos + k];
			b = crush_bucket_make(m, alg, CRUSH_HASH_DEFAULT, type, (uint32_t)cnt,
					      items + pos, weights + pos);
			if (!b || crush_map_add_bucket(m, 0, b, &id)) {
				if (b)
					crush_bucket_destroy(b);
				fprintf(stderr, "%s: cannot add bucket\n", prog);
				goto out;
			}
			if (size)
				snprintf(name, sizeof(name), "%s%zu", lname, nn);
			else
				snprintf(name, sizeof(name), "%s", lname);
			if (crush_names_set(&m->item_names, id, name))
				goto out;
			next_items[nn] = id;
			next_weights[nn] = sum;
			pos += cnt;
		}
		memcpy(items, next_items, nn * sizeof(*items));
		memcpy(weights, next_weights, nn * sizeof(*weights));
		n = nn;
	}
	{
		const char *last = t->rest[3 * (nlayers - 1)];
		bool unsized = atoi(t->rest[3 * (nlayers - 1) + 2]) == 0;
		int32_t rid;

		snprintf(root, sizeof(root), unsized ? "%s" : "%s0", last);
		if (n > 1)
			fprintf(stderr,
				"The crush rulesets will use the root %s\n"
				"and ignore the others.\n"
				"There are %zu roots, they can be\n"
				"grouped into a single root by appending something like:\n"
				"  root straw 0\n\n",
				root, n);
		if (crush_map_item_id(m, root, &rid)) {
			fprintf(stderr, "root item %s does not exist", root);
			goto out;
		}
		if (crush_map_rule_by_name(m, "replicated_rule") >= 0) {
			fprintf(stderr, "rule replicated_rule exists");
			goto out;
		}
		if (crush_map_add_simple_rule(m, "replicated_rule", root, t->rest[0], NULL,
					      "firstn", CRUSH_RULE_TYPE_REPLICATED, err,
					      sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			goto out;
		}
	}
	crush_map_finalize(m);
	t->modified = true;
	ret = 0;
out:
	free(items);
	free(weights);
	free(next_items);
	free(next_weights);
	return ret;
}

/* ---- tunables stage ---- */

static void apply_tunables(struct tool *t)
{
	struct crush_tunables *tu = &t->map->t;
	const struct tunable_set *s = t->tun;

	if (s[T_LOCAL_TRIES].set)
		tu->choose_local_tries = (uint32_t)s[T_LOCAL_TRIES].val;
	if (s[T_LOCAL_FALLBACK].set)
		tu->choose_local_fallback_tries = (uint32_t)s[T_LOCAL_FALLBACK].val;
	if (s[T_TOTAL_TRIES].set)
		tu->choose_total_tries = (uint32_t)s[T_TOTAL_TRIES].val;
	if (s[T_DESCEND_ONCE].set)
		tu->chooseleaf_descend_once = (uint32_t)s[T_DESCEND_ONCE].val;
	if (s[T_VARY_R].set)
		tu->chooseleaf_vary_r = (uint8_t)s[T_VARY_R].val;
	if (s[T_STABLE].set)
		tu->chooseleaf_stable = (uint8_t)s[T_STABLE].val;
	if (s[T_STRAW_CALC].set)
		tu->straw_calc_version = (uint8_t)s[T_STRAW_CALC].val;
	if (s[T_ALLOWED_ALGS].set)
		tu->allowed_bucket_algs = (uint32_t)s[T_ALLOWED_ALGS].val;
	for (int i = 0; i < T_COUNT; i++)
		if (s[i].set)
			t->modified = true;
}

/* ---- modifications stage ---- */

/* Report a failed edit the way Ceph's crushtool does; returns the exit
 * status (the negative errno, truncated by the shell). */
static int edit_failed(int r)
{
	fprintf(stderr, "%s (%d) %s\n", prog, -r, strerror(-r));
	return (256 + r) & 0xff;
}

static int loc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct crush_loc *)a)->type, ((const struct crush_loc *)b)->type);
}

static void print_loc(FILE *f, struct crush_loc *loc, size_t n)
{
	struct crush_loc sorted[MAX_LOC];

	memcpy(sorted, loc, n * sizeof(*loc));
	qsort(sorted, n, sizeof(*sorted), loc_cmp);
	fputc('{', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s=%s", i ? "," : "", sorted[i].type, sorted[i].name);
	fputc('}', f);
}

static int modify(struct tool *t)
{
	struct crush_map *m = t->map;
	char err[ERRLEN];
	int r;

	if (t->reweight_name) {
		printf("%s reweighting item %s to %g\n", prog, t->reweight_name,
		       t->reweight_weight);
		fflush(stdout);
		t->modified = true;
		err[0] = '\0';
		r = crush_map_reweight_item_named(m, t->reweight_name,
						  (uint32_t)(t->reweight_weight * 0x10000), err,
						  sizeof(err));
		if (r) {
			if (r == -ENOENT)
				fprintf(stderr, " name %s dne\n", t->reweight_name);
			return edit_failed(r);
		}
	}
	if (t->remove_name) {
		printf("%s removing item %s\n", prog, t->remove_name);
		fflush(stdout);
		t->modified = true;
		err[0] = '\0';
		r = crush_map_remove_item_named(m, t->remove_name, err, sizeof(err));
		if (r) {
			if (r == -ENOENT)
				fprintf(stderr, " name %s dne\n", t->remove_name);
			return edit_failed(r);
		}
	}
	if (t->add_item || t->update_item) {
		uint32_t w = (uint32_t)(t->add_weight * 0x10000);
		t->modified = true;
		err[0] = '\0';
		if (!t->nloc)
			return edit_failed(-EINVAL);
		if (t->add_item)
			r = crush_map_insert_item(m, t->add_id, w, t->add_name, t->loc, t->nloc,
						  err, sizeof(err));
		else
			r = crush_map_update_item(m, t->add_id, w, t->add_name, t->loc, t->nloc,
						  err, sizeof(err));
		if (r < 0)
			return edit_failed(r);
	}
	if (t->add_bucket_name) {
		int32_t tid, id;
		t->modified = true;
		if (crush_map_item_id(m, t->add_bucket_name, &id) == 0) {
			fprintf(stderr, "%s bucket '%s' already exists\n", prog,
				t->add_bucket_name);
			return 256 - EEXIST;
		}
		if (crush_names_find(&m->type_names, t->add_bucket_type, &tid)) {
			fprintf(stderr, "%s bad bucket type: %s\n", prog, t->add_bucket_type);
			return 256 - EINVAL;
		}
		err[0] = '\0';
		r = crush_map_add_bucket_named(m, t->add_bucket_name, t->add_bucket_type, t->loc,
					       t->nloc, &id, err, sizeof(err));
		if (r < 0)
			return edit_failed(r);
	}
	if (t->move_name) {
		int32_t id;
		t->modified = true;
		if (!t->nloc) {
			fprintf(stderr, "%s expecting additional --loc argument to --move\n", prog);
			return 256 - EINVAL;
		}
		if (crush_map_item_id(m, t->move_name, &id)) {
			fprintf(stderr, "%s item '%s' does not exist\n", prog, t->move_name);
			return 256 - ENOENT;
		}
		if (crush_map_item_at_loc(m, id, t->loc, t->nloc, NULL)) {
			fprintf(stderr, "%s item '%s' already at ", prog, t->move_name);
			print_loc(stderr, t->loc, t->nloc);
			fputc('\n', stderr);
			return 1;
		}
		err[0] = '\0';
		r = crush_map_move_named(m, t->move_name, t->loc, t->nloc, err, sizeof(err));
		if (r < 0)
			return edit_failed(r);
	}
	if (t->reweight_all) {
		t->modified = true;
		r = crush_map_reweight(m);
		if (r < 0)
			return edit_failed(r);
	}
	if (t->rebuild_class_roots) {
		t->modified = true;
		r = crush_map_populate_classes(m);
		if (r < 0)
			return edit_failed(r);
	}
	if (t->create_rule) {
		int32_t id, cls;
		t->modified = true;
		if (crush_map_rule_by_name(m, t->rule_name) >= 0) {
			fprintf(stderr, "rule %s already exists\n", t->rule_name);
			return 1;
		}
		if (crush_map_item_id(m, t->rule_root, &id)) {
			fprintf(stderr, "root item %s does not exist\n", t->rule_root);
			return 1;
		}
		if (crush_names_find(&m->type_names, t->rule_type, &id)) {
			fprintf(stderr, "unknown type %s\n", t->rule_type);
			return 1;
		}
		if (strcmp(t->rule_mode, "firstn") && strcmp(t->rule_mode, "indep")) {
			fprintf(stderr, "unknown mode %s\n", t->rule_mode);
			return 1;
		}
		if (t->device_class && crush_names_find(&m->class_names, t->device_class, &cls)) {
			fprintf(stderr, "device class %s does not exist\n", t->device_class);
			return 1;
		}
		err[0] = '\0';
		r = crush_map_add_simple_rule(m, t->rule_name, t->rule_root, t->rule_type,
					      t->device_class, t->rule_mode,
					      CRUSH_RULE_TYPE_REPLICATED, err, sizeof(err));
		if (r < 0) {
			fprintf(stderr, "%s\n", err[0] ? err : strerror(-r));
			return 1;
		}
	}
	if (t->remove_rule) {
		/* a missing rule is reported but is not an error, nor a change */
		if (crush_map_rule_by_name(m, t->remove_rule) < 0) {
			fprintf(stderr, "rule %s does not exist\n", t->remove_rule);
		} else {
			t->modified = true;
			err[0] = '\0';
			r = crush_map_remove_rule_named(m, t->remove_rule, err, sizeof(err));
			if (r < 0)
				return edit_failed(r);
		}
	}
	if (t->modified)
		crush_map_finalize(m);
	return 0;
}

/* ---- display stage ---- */

static void show_location(const struct tool *t)
{
	struct crush_loc loc[CRUSH_MAX_DEPTH * 4];
	int n = crush_map_item_location(t->map, t->show_location, loc,
					sizeof(loc) / sizeof(loc[0]));

	for (int i = 0; i < n; i++)
		printf("%s\t%s\n", loc[i].type, loc[i].name);
}

/* --check [max_id]: every bucket item has a name and a known type, and
 * devices stay below max_id.  Returns true if all is well. */
static bool check_names(const struct crush_map *m, int max_id)
{
	for (int32_t b = 0; b < m->max_buckets; b++) {
		const struct crush_bucket *bk = m->buckets[b];
		if (!bk)
			continue;
		if (!crush_names_get(&m->type_names, bk->type)) {
			printf("unknown type name: type#%d\n", bk->type);
			return false;
		}
		for (uint32_t i = 0; i < bk->size; i++) {
			int32_t item = bk->items[i];
			if (max_id >= 0 && item >= max_id) {
				printf("item id too large: item#%d\n", item);
				return false;
			}
			if (!crush_names_get(&m->item_names, item)) {
				printf("unknown item name: item#%d\n", item);
				return false;
			}
		}
	}
	return true;
}

static int decompile_out(struct tool *t)
{
	FILE *f = stdout;
	int r;

	if (t->outfn) {
		f = fopen(t->outfn, "w");
		if (!f) {
			r = errno;
			fprintf(stderr, "%s: error writing '%s': (%d) %s\n", prog, t->outfn, r,
				strerror(r));
			return 1;
		}
	}
	r = crush_map_decompile(t->map, f);
	if (f != stdout)
		fclose(f);
	else
		fflush(stdout);
	return r ? 1 : 0;
}

static int write_output(struct tool *t)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (!t->outfn) {
		printf("%s successfully built or modified map.  Use '-o <file>' to write "
		       "it out.\n", prog);
		return 0;
	}
	r = crush_map_encode(t->map, &buf, &len);
	if (r) {
		fprintf(stderr, "%s: error encoding map: (%d) %s\n", prog, -r, strerror(-r));
		return 1;
	}
	f = fopen(t->outfn, "wb");
	if (!f) {
		r = errno;
		fprintf(stderr, "bufferlist::write_file(%s): failed to open file: (%d) %s\n",
			t->outfn, r, strerror(r));
		fprintf(stderr, "%s: error writing '%s': (%d) %s\n", prog, t->outfn, r,
			strerror(r));
		free(buf);
		return 1;
	}
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		r = EIO;
		fprintf(stderr, "%s: error writing '%s': (%d) %s\n", prog, t->outfn, r,
			strerror(r));
		free(buf);
		return 1;
	}
	free(buf);
	return 0;
}

static int run(struct tool *t, int argc, char **argv)
{
	int r;
	int inputs;

	prog = argv[0];
	if (argc < 2) {
		fprintf(stderr, "%s: -h or --help for usage\n", prog);
		return 1;
	}
	r = parse_args(t, argc, argv);
	if (r < 0)
		return 0;
	if (r)
		return r;
	if (!any_action(t)) {
		fprintf(stderr, "no action specified; -h for help\n");
		return 1;
	}
	if (!t->build && t->nrest) {
		fprintf(stderr, "unrecognized arguments: [");
		for (size_t i = 0; i < t->nrest; i++)
			fprintf(stderr, "%s%s", i ? "," : "", t->rest[i]);
		fprintf(stderr, "]\n");
		return 1;
	}
	inputs = t->compile + t->decompile + t->build;
	if (inputs > 1) {
		fprintf(stderr, "cannot specify more than one of compile, decompile, and build\n");
		return 1;
	}

	/* input / build */
	if (t->decompile) {
		if (load_binary(t, t->decompile_fn))
			return 1;
	} else if (t->infn && !t->compile) {
		if (load_binary(t, t->infn))
			return 1;
	}
	if (t->compile && (r = compile_source(t)))
		return r;
	if (t->build && (r = build_map(t)))
		return r;
	if (!t->map) {
		t->map = crush_map_create();
		if (!t->map)
			return 1;
	}

	apply_tunables(t);
	if ((r = modify(t)))
		return r;

	/* display / test */
	if (t->show_location >= 0)
		show_location(t);
	fflush(stdout);
	if (t->tree && crush_dump_tree(t->map, stdout))
		return 1;
	if (t->dump && crush_dump_json(t->map, t->format ? t->format : "json-pretty", stdout))
		return 1;
	if (t->check && !check_names(t->map, t->check_max))
		return 1;
	fflush(stdout);
	if (t->decompile && decompile_out(t))
		return 1;
	if (t->test) {
		struct crush_tester *ts = &t->tester;
		if (!ts->show_mappings && !ts->show_bad_mappings && !ts->show_statistics &&
		    !ts->show_utilization && !ts->show_utilization_all &&
		    !ts->show_choose_tries && t->map->max_rules)
			fprintf(stderr, "WARNING: no output selected; use --output-csv or "
					"--show-X\n");
		ts->weights = t->weights;
		ts->n_weights = t->nweights;
		fflush(stdout);
		if (crush_tester_run(t->map, ts, stdout, stderr))
			return 1;
	}

	/* output */
	if (t->modified)
		return write_output(t);
	return 0;
}

int main(int argc, char **argv)
{
	struct tool t = { .show_location = -1, .check_max = -1, .num_osds = 0 };
	int ret;

	crush_tester_init(&t.tester);
	ret = run(&t, argc, argv);
	fflush(stdout);
	crush_map_destroy(t.map);
	free(t.weights);
	free(t.rest);
	return ret;
}
