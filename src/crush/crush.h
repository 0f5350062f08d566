/*
 * CRUSH: Controlled Replication Under Scalable Hashing.
 *
 * This is the project-wide interface of the CRUSH library: the in-memory
 * map, the mapping function, and the operations that build and edit maps.
 * Placement results are identical, bit for bit, to Ceph's for the same map
 * and inputs; the binary and text formats are Ceph's (see docs/crush.md).
 *
 * Contract:
 *  - Every function returns 0 or a negative errno unless documented
 *    otherwise.  Functions that can fail on user input take a `char *err,
 *    size_t errlen` pair and write a one-line reason into it.
 *  - A crush_map is owned by whoever created it and released with
 *    crush_map_destroy().  Once built, mapping never modifies it: many
 *    threads may call crush_do_rule() on one map at once, each with its
 *    own work area (crush_work_size() bytes, from crush_work_init()).
 *  - crush_do_rule() allocates nothing and takes no locks.
 *  - Weights are 16.16 fixed point (0x10000 == 1.0).
 */
#ifndef LOLIGO_CRUSH_H
#define LOLIGO_CRUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CRUSH_MAGIC 0x00010000u

/* Special item values in mapping results. */
#define CRUSH_ITEM_UNDEF 0x7ffffffe /* internal: not yet chosen */
#define CRUSH_ITEM_NONE 0x7fffffff  /* no item could be placed here */

#define CRUSH_MAX_DEPTH 10
#define CRUSH_MAX_RULES (1 << 8)
#define CRUSH_MAX_DEVICE_WEIGHT (100u * 0x10000u)
#define CRUSH_MAX_BUCKET_WEIGHT (65535u * 0x10000u)

/* Bucket algorithms (the numbers are Ceph's, they appear on disk). */
enum crush_alg {
	CRUSH_BUCKET_UNIFORM = 1,
	CRUSH_BUCKET_LIST = 2,
	CRUSH_BUCKET_TREE = 3,
	CRUSH_BUCKET_STRAW = 4,
	CRUSH_BUCKET_STRAW2 = 5,
};
#define CRUSH_LEGACY_ALLOWED_BUCKET_ALGS \
	((1u << CRUSH_BUCKET_UNIFORM) | (1u << CRUSH_BUCKET_LIST) | (1u << CRUSH_BUCKET_STRAW))
#define CRUSH_DEFAULT_ALLOWED_BUCKET_ALGS \
	(CRUSH_LEGACY_ALLOWED_BUCKET_ALGS | (1u << CRUSH_BUCKET_STRAW2))

#define CRUSH_HASH_RJENKINS1 0
#define CRUSH_HASH_DEFAULT CRUSH_HASH_RJENKINS1

/* Rule step op codes (Ceph's numbering, on disk). */
enum crush_opcode {
	CRUSH_RULE_NOOP = 0,
	CRUSH_RULE_TAKE = 1,
	CRUSH_RULE_CHOOSE_FIRSTN = 2,
	CRUSH_RULE_CHOOSE_INDEP = 3,
	CRUSH_RULE_EMIT = 4,
	CRUSH_RULE_CHOOSELEAF_FIRSTN = 6,
	CRUSH_RULE_CHOOSELEAF_INDEP = 7,
	CRUSH_RULE_SET_CHOOSE_TRIES = 8,
	CRUSH_RULE_SET_CHOOSELEAF_TRIES = 9,
	CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES = 10,
	CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES = 11,
	CRUSH_RULE_SET_CHOOSELEAF_VARY_R = 12,
	CRUSH_RULE_SET_CHOOSELEAF_STABLE = 13,
};

/* Rule types. */
#define CRUSH_RULE_TYPE_REPLICATED 1
#define CRUSH_RULE_TYPE_ERASURE 3
#define CRUSH_RULE_TYPE_MSR_FIRSTN 4
#define CRUSH_RULE_TYPE_MSR_INDEP 5

/*
 * One bucket.  All algorithms share this struct; the arrays an algorithm
 * does not use are NULL.  item_weights is always present (size entries),
 * for uniform buckets every entry equals the one item weight.
 */
struct crush_bucket {
	int32_t id;    /* negative */
	uint16_t type; /* never 0: type 0 is the device type */
	uint8_t alg;   /* enum crush_alg */
	uint8_t hash;  /* CRUSH_HASH_* */
	uint32_t weight;
	uint32_t size;
	int32_t *items;
	uint32_t *item_weights;
	uint32_t *sum_weights;  /* list: weight of items[0..i] */
	uint32_t num_nodes;     /* tree: node count (a power of two) */
	uint32_t *node_weights; /* tree */
	uint32_t *straws;       /* straw */
	double *item_inv;       /* straw2: 1.0 / item_weights[i] (0 if weight 0);
				 * a speed-up only, see crush_bucket_rebuild */
};

struct crush_rule_step {
	uint32_t op;
	int32_t arg1;
	int32_t arg2;
};

struct crush_rule {
	uint32_t len;
	uint8_t ruleset;
	uint8_t type;
	uint8_t min_size;
	uint8_t max_size;
	struct crush_rule_step *steps;
};

/* choose_args: alternative weights (per position) and ids for a bucket. */
struct crush_weight_set {
	uint32_t size;
	uint32_t *weights;
};

struct crush_choose_arg {
	int32_t *ids;
	uint32_t ids_size;
	struct crush_weight_set *weight_set;
	uint32_t weight_set_positions;
};

/* One named set of choose_args: args[b] is for bucket id -1-b. */
struct crush_choose_arg_map {
	int64_t id;
	uint32_t size; /* == map->max_buckets when built */
	struct crush_choose_arg *args;
};

/* A sorted (by key) table of int32 -> string. */
struct crush_name {
	int32_t id;
	char *name;
};

struct crush_names {
	size_t n, cap;
	struct crush_name *v;
};

/* A sorted table of int32 -> int32 (device or bucket -> class). */
struct crush_pair {
	int32_t key;
	int32_t val;
};

struct crush_pairs {
	size_t n, cap;
	struct crush_pair *v;
};

/* (original bucket, class) -> shadow bucket id */
struct crush_class_bucket {
	int32_t bucket;
	int32_t class_id;
	int32_t shadow;
};

struct crush_tunables {
	uint32_t choose_local_tries;
	uint32_t choose_local_fallback_tries;
	uint32_t choose_total_tries;
	uint32_t chooseleaf_descend_once;
	uint8_t chooseleaf_vary_r;
	uint8_t chooseleaf_stable;
	uint8_t straw_calc_version;
	uint32_t allowed_bucket_algs;
};

struct crush_map {
	struct crush_bucket **buckets; /* buckets[-1-id], NULL where unused */
	int32_t max_buckets;
	struct crush_rule **rules;
	uint32_t max_rules;
	int32_t max_devices;

	struct crush_tunables t;

	struct crush_names type_names; /* type id -> name */
	struct crush_names item_names; /* device or bucket id -> name */
	struct crush_names rule_names; /* rule id -> name */

	struct crush_pairs class_map;   /* item id -> class id */
	struct crush_names class_names; /* class id -> class name */
	size_t n_class_buckets;
	struct crush_class_bucket *class_buckets; /* sorted by (bucket, class) */

	size_t n_choose_args;
	struct crush_choose_arg_map *choose_args; /* sorted by id */

	/* Bytes of per-bucket scratch a mapping needs (see crush_work_size). */
	size_t working_size;
};

/* ---- hash.c ---- */
uint32_t crush_hash32(int type, uint32_t a);
uint32_t crush_hash32_2(int type, uint32_t a, uint32_t b);
uint32_t crush_hash32_3(int type, uint32_t a, uint32_t b, uint32_t c);
uint32_t crush_hash32_4(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d);
uint32_t crush_hash32_5(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e);
const char *crush_hash_name(int type);

/* ---- ln.c: straw2's fixed-point log2 ---- */
/* 2^44 * log2(x + 1) for x in [0, 0xffff], exactly as Ceph computes it. */
uint64_t crush_ln(uint32_t x);

/* ---- mapper.c ---- */
/*
 * Size of the caller-provided work area for one crush_do_rule() call with
 * at most result_max results.  The area must be aligned for pointers.
 */
size_t crush_work_size(const struct crush_map *map, int result_max);
/*
 * Prepare a work area.  Once is enough: the cache it holds (uniform
 * buckets' permutations) is a pure function of the bucket and x, so the
 * area stays valid across calls with any x, rule or result_max up to the
 * one it was sized for, as long as the map does not change.
 */
void crush_work_init(const struct crush_map *map, void *work, int result_max);
/*
 * Map input x through rule ruleno; write at most result_max items to
 * result.  weight[i] (16.16, 0..0x10000) is the reweight of device i for
 * i < weight_max; devices beyond weight_max are out.  choose_args may be
 * NULL or point at args[max_buckets].  choose_tries, if not NULL, is a
 * histogram of choose_total_tries+1 counters the call increments (the
 * caller owns it; pass NULL from concurrent callers or give each its own).
 * Returns the number of results written.
 */
int crush_do_rule(const struct crush_map *map, int ruleno, int x, int *result,
		  int result_max, const uint32_t *weight, int weight_max, void *work,
		  const struct crush_choose_arg *choose_args, uint32_t *choose_tries);

/* ---- map.c: allocation, names and lookups ---- */
struct crush_map *crush_map_create(void); /* empty map, default tunables */
void crush_map_destroy(struct crush_map *map);
void crush_bucket_destroy(struct crush_bucket *b);
void crush_rule_destroy(struct crush_rule *r);
/* Recompute map->working_size; call after adding or resizing buckets. */
void crush_map_finalize(struct crush_map *map);

const char *crush_names_get(const struct crush_names *t, int32_t id);
/* Returns 0 and sets *id, or -ENOENT. */
int crush_names_find(const struct crush_names *t, const char *name, int32_t *id);
int crush_names_set(struct crush_names *t, int32_t id, const char *name);
void crush_names_remove(struct crush_names *t, int32_t id);
void crush_names_release(struct crush_names *t);

int crush_pairs_get(const struct crush_pairs *t, int32_t key, int32_t *val);
int crush_pairs_set(struct crush_pairs *t, int32_t key, int32_t val);
void crush_pairs_remove(struct crush_pairs *t, int32_t key);

const struct crush_bucket *crush_map_bucket(const struct crush_map *map, int32_t id);
bool crush_map_item_exists(const struct crush_map *map, int32_t id);
/* Item id for a name (device, bucket), or -ENOENT. */
int crush_map_item_id(const struct crush_map *map, const char *name, int32_t *id);
/* Returns the class id of an item, or -ENOENT. */
int crush_map_item_class(const struct crush_map *map, int32_t item, int32_t *class_id);
/* Shadow bucket for (bucket, class), or -ENOENT. */
int crush_map_class_bucket(const struct crush_map *map, int32_t bucket, int32_t class_id,
			   int32_t *shadow);
int crush_map_class_bucket_set(struct crush_map *map, int32_t bucket, int32_t class_id,
			       int32_t shadow);
/* Is this bucket a per-class shadow (its name contains '~')? */
bool crush_map_is_shadow(const struct crush_map *map, int32_t id);
/* Find the rule with this ruleset/id: the rule index or -ENOENT. */
int crush_map_rule_by_name(const struct crush_map *map, const char *name);
/* Is the device present in some bucket? */
bool crush_map_device_in_hierarchy(const struct crush_map *map, int32_t dev);
/* Ceph's find_roots: buckets no other bucket references, ascending id order
 * reversed as Ceph does (see implementation); returns count written. */
size_t crush_map_roots(const struct crush_map *map, int32_t *out, size_t max,
		       bool include_shadow);
/* Parent bucket of an item (first found), or -ENOENT. */
int crush_map_parent(const struct crush_map *map, int32_t item, int32_t *parent,
		     bool include_shadow);

/* ---- tunables.c ---- */
void crush_tunables_set_legacy(struct crush_tunables *t);
void crush_tunables_set_argonaut(struct crush_tunables *t);
void crush_tunables_set_bobtail(struct crush_tunables *t);
void crush_tunables_set_firefly(struct crush_tunables *t);
void crush_tunables_set_hammer(struct crush_tunables *t);
void crush_tunables_set_jewel(struct crush_tunables *t);
void crush_tunables_set_optimal(struct crush_tunables *t);
void crush_tunables_set_default(struct crush_tunables *t);
/* Set a profile by name ("legacy", "jewel", ...): 0 or -EINVAL. */
int crush_tunables_set_profile(struct crush_tunables *t, const char *name);
/* Name of the profile the tunables equal, or "unknown". */
const char *crush_tunables_profile(const struct crush_tunables *t);

/* ---- builder.c ---- */
/*
 * Make a bucket of the given algorithm holding size items with 16.16
 * weights; computes sums, tree nodes or straws as Ceph does (straws need
 * the map's straw_calc_version).  The caller gives the bucket an id by
 * crush_map_add_bucket().
 */
struct crush_bucket *crush_bucket_make(const struct crush_map *map, int alg, int hash,
				       int type, uint32_t size, const int32_t *items,
				       const uint32_t *weights);
/*
 * Insert a bucket.  id 0 means "pick the next free id" (lowest unused,
 * growing max_buckets as Ceph does); *idout gets the id.  -EEXIST if taken.
 */
int crush_map_add_bucket(struct crush_map *map, int32_t id, struct crush_bucket *b,
			 int32_t *idout);
/* Remove (and free) an empty or non-empty bucket from the array. */
int crush_map_remove_bucket(struct crush_map *map, int32_t id);
/* Add an item to a bucket, recomputing that bucket's derived arrays. */
int crush_bucket_add_item(const struct crush_map *map, struct crush_bucket *b, int32_t item,
			  uint32_t weight);
int crush_bucket_remove_item(const struct crush_map *map, struct crush_bucket *b,
			     int32_t item);
int crush_bucket_adjust_item_weight(const struct crush_map *map, struct crush_bucket *b,
				    int32_t item, uint32_t weight);
/* Recompute the derived arrays (sum_weights, node_weights, straws). */
int crush_bucket_rebuild(const struct crush_map *map, struct crush_bucket *b);
/* Make a rule of len steps (all NOOP); caller fills steps. */
struct crush_rule *crush_rule_make(uint32_t len, int ruleset, int type, int min_size,
				   int max_size);
/* Insert a rule at index ruleno, or the first free one if ruleno < 0.
 * Returns the index or a negative errno. */
int crush_map_add_rule(struct crush_map *map, struct crush_rule *rule, int ruleno);
/* Recompute every bucket weight bottom-up from item weights (crushtool
 * --reweight). */
int crush_map_reweight(struct crush_map *map);

/* ---- codec.c: Ceph's binary CRUSH map ---- */
/* Decode a binary map; on failure returns NULL-free -errno and a reason. */
int crush_map_decode(const void *buf, size_t len, struct crush_map **out, char *err,
		     size_t errlen);
/* Encode to a malloc'd buffer the caller frees. */
int crush_map_encode(const struct crush_map *map, uint8_t **buf, size_t *len);

/* ---- text.c: Ceph's text CRUSH map ---- */
/*
 * Compile a text map.  fname is used in messages only.  On error returns
 * -EINVAL and writes "fname:line:col: what was expected" into err.
 */
int crush_map_compile(const char *text, size_t len, const char *fname,
		      struct crush_map **out, char *err, size_t errlen);
/* Decompile to a stream, in exactly Ceph's text. */
int crush_map_decompile(const struct crush_map *map, FILE *out);

/* ---- classes.c: device classes and shadow hierarchies ---- */
int crush_class_get_or_create(struct crush_map *map, const char *name, int32_t *class_id);
/* Rebuild every shadow tree ("host~ssd") from the class map, reusing the
 * shadow ids already recorded in class_buckets. */
int crush_map_populate_classes(struct crush_map *map);
/* Remove all shadow buckets. */
int crush_map_trim_shadows(struct crush_map *map);


/* ---- edit.c: the edits crushtool and the monitor's `osd crush` make ---- */
/* A location: pairs of (bucket type name, bucket name), e.g. host=daisy. */
struct crush_loc {
	const char *type;
	const char *name;
};
/*
 * Insert device `id` named `name` with weight (16.16) under the location,
 * creating missing buckets (straw2, as Ceph does) up the given types.
 * -EEXIST if the item is already present (insert) ; update moves or
 * reweights it instead.  Bucket weights above it are adjusted.
 */
int crush_map_insert_item(struct crush_map *map, int32_t id, uint32_t weight,
			  const char *name, const struct crush_loc *loc, size_t nloc,
			  char *err, size_t errlen);
int crush_map_update_item(struct crush_map *map, int32_t id, uint32_t weight,
			  const char *name, const struct crush_loc *loc, size_t nloc,
			  char *err, size_t errlen);
/* Remove an item (device or empty bucket) everywhere; -ENOENT, -ENOTEMPTY. */
int crush_map_remove_item_named(struct crush_map *map, const char *name, char *err,
				size_t errlen);
int crush_map_reweight_item_named(struct crush_map *map, const char *name,
				  uint32_t weight, char *err, size_t errlen);
/* Add a bucket of a type (straw2, rjenkins1) and link it at loc if nloc. */
int crush_map_add_bucket_named(struct crush_map *map, const char *name, const char *type,
			       const struct crush_loc *loc, size_t nloc, int32_t *idout,
			       char *err, size_t errlen);
int crush_map_move_named(struct crush_map *map, const char *name,
			 const struct crush_loc *loc, size_t nloc, char *err, size_t errlen);
/*
 * Create a rule "take root [class], choose(leaf) mode 0 type T, emit", as
 * Ceph's create-replicated/create-simple.  rule_type is
 * CRUSH_RULE_TYPE_REPLICATED or _ERASURE; mode "firstn" or "indep".
 * Returns the new rule id, -EEXIST if the name exists, or -errno.
 */
int crush_map_add_simple_rule(struct crush_map *map, const char *name, const char *root,
			      const char *failure_type, const char *device_class,
			      const char *mode, int rule_type, char *err, size_t errlen);
int crush_map_remove_rule_named(struct crush_map *map, const char *name, char *err,
				size_t errlen);
/* Location of an item, from itself up: writes up to max (type, name) pairs
 * pointing into the map's name tables; returns the count or -ENOENT. */
int crush_map_item_location(const struct crush_map *map, int32_t id, struct crush_loc *out,
			    size_t max);

/* ---- edit.c (extra) ---- */
/*
 * Ceph's check_item_loc: is the item directly inside the bucket the
 * location names for its lowest type?  Only that one level counts, so
 * {rack=r1, root=default} is false for a host under default if rack r1
 * does not exist.  If weight is not NULL it gets the item's weight there.
 * crushtool --move and the monitor's `osd crush add/set/move` use it to
 * tell "already there" from "needs moving".
 */
bool crush_map_item_at_loc(const struct crush_map *map, int32_t id,
			   const struct crush_loc *loc, size_t nloc, uint32_t *weight);

#endif /* LOLIGO_CRUSH_H */
