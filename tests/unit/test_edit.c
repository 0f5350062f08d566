/*
 * Unit tests for src/crush/edit.c: each case builds a small map with the
 * builder API and checks an edit against what Ceph 16.2's crushtool does
 * to the same map (the expectations were taken from crushtool runs).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crush/crush.h"

#define W(x) ((uint32_t)((x) * 0x10000))

static void add_bucket(struct crush_map *map, int32_t id, int type, const char *name,
		       uint32_t n, const int32_t *items, const uint32_t *weights)
{
	struct crush_bucket *b =
		crush_bucket_make(map, CRUSH_BUCKET_STRAW2, 0, type, n, items, weights);
	int32_t got;
	assert_non_null(b);
	assert_int_equal(crush_map_add_bucket(map, id, b, &got), 0);
	assert_int_equal(got, id);
	assert_int_equal(crush_names_set(&map->item_names, id, name), 0);
}

/*
 * types osd host rack root; h1(-2) = osd.0 1, osd.1 1; h2(-3) = osd.2 1,
 * osd.3 2; default(-1) = h1 2, h2 3; rule 0 "replicated_rule" takes default.
 */
static struct crush_map *base_map(void)
{
	struct crush_map *map = crush_map_create();
	static const char *types[] = { "osd", "host", "rack", "root" };
	assert_non_null(map);
	crush_tunables_set_jewel(&map->t);
	for (int i = 0; i < 4; i++)
		assert_int_equal(crush_names_set(&map->type_names, i, types[i]), 0);
	for (int i = 0; i < 4; i++) {
		char name[16];
		snprintf(name, sizeof(name), "osd.%d", i);
		assert_int_equal(crush_names_set(&map->item_names, i, name), 0);
	}
	map->max_devices = 4;
	int32_t h1[] = { 0, 1 }, h2[] = { 2, 3 }, root[] = { -2, -3 };
	uint32_t w1[] = { W(1), W(1) }, w2[] = { W(1), W(2) }, wr[] = { W(2), W(3) };
	add_bucket(map, -1, 3, "default", 2, root, wr);
	add_bucket(map, -2, 1, "h1", 2, h1, w1);
	add_bucket(map, -3, 1, "h2", 2, h2, w2);

	struct crush_rule *r = crush_rule_make(3, 0, CRUSH_RULE_TYPE_REPLICATED, 1, 10);
	assert_non_null(r);
	r->steps[0] = (struct crush_rule_step){ CRUSH_RULE_TAKE, -1, 0 };
	r->steps[1] = (struct crush_rule_step){ CRUSH_RULE_CHOOSELEAF_FIRSTN, 0, 1 };
	r->steps[2] = (struct crush_rule_step){ CRUSH_RULE_EMIT, 0, 0 };
	assert_int_equal(crush_map_add_rule(map, r, 0), 0);
	assert_int_equal(crush_names_set(&map->rule_names, 0, "replicated_rule"), 0);
	crush_map_finalize(map);
	return map;
}

static const struct crush_bucket *named(const struct crush_map *map, const char *name)
{
	int32_t id;
	if (crush_map_item_id(map, name, &id) < 0)
		return NULL;
	return crush_map_bucket(map, id);
}

/* Check a bucket's items and weights, in order. */
static void expect_items(const struct crush_map *map, const char *bucket, uint32_t n,
			 const int32_t *items, const uint32_t *weights)
{
	const struct crush_bucket *b = named(map, bucket);
	assert_non_null(b);
	assert_int_equal(b->size, n);
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(b->items[i], items[i]);
		assert_int_equal(b->item_weights[i], weights[i]);
		sum += weights[i];
	}
	assert_int_equal(b->weight, sum);
}

static void test_insert_creates_chain(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc loc[] = { { "host", "h3" }, { "rack", "r1" }, { "root", "default" } };
	char err[256] = "";

	assert_int_equal(crush_map_insert_item(map, 4, W(1.5), "osd.4", loc, 3, err,
					       sizeof(err)), 0);
	const struct crush_bucket *h3 = named(map, "h3"), *r1 = named(map, "r1");
	assert_non_null(h3);
	assert_non_null(r1);
	assert_int_equal(h3->id, -4);
	assert_int_equal(r1->id, -5);
	assert_int_equal(h3->type, 1);
	assert_int_equal(r1->type, 2);
	assert_int_equal(h3->alg, CRUSH_BUCKET_STRAW2);
	expect_items(map, "h3", 1, (int32_t[]){ 4 }, (uint32_t[]){ W(1.5) });
	expect_items(map, "r1", 1, (int32_t[]){ -4 }, (uint32_t[]){ W(1.5) });
	expect_items(map, "default", 3, (int32_t[]){ -2, -3, -5 },
		     (uint32_t[]){ W(2), W(3), W(1.5) });
	assert_int_equal(map->max_devices, 5);
	assert_string_equal(crush_names_get(&map->item_names, 4), "osd.4");
	crush_map_destroy(map);
}

static void test_insert_existing_bucket_stops(void **state)
{
	struct crush_map *map = base_map();
	/* the walk stops at h1; "root other" is never created */
	struct crush_loc loc[] = { { "host", "h1" }, { "root", "other" } };
	char err[256];

	assert_int_equal(crush_map_insert_item(map, 4, W(1.5), "osd.4", loc, 2, err,
					       sizeof(err)), 0);
	assert_null(named(map, "other"));
	expect_items(map, "h1", 3, (int32_t[]){ 0, 1, 4 },
		     (uint32_t[]){ W(1), W(1), W(1.5) });
	expect_items(map, "default", 2, (int32_t[]){ -2, -3 },
		     (uint32_t[]){ W(3.5), W(3) });
	crush_map_destroy(map);
}

static void test_insert_errors(void **state)
{
	struct crush_map *map = base_map();
	char err[256];
	struct crush_loc rack_h1[] = { { "rack", "h1" } };
	struct crush_loc host_h1[] = { { "host", "h1" } };
	struct crush_loc root_def[] = { { "root", "default" } };
	struct crush_loc foo[] = { { "foo", "bar" } };
	struct crush_loc bad[] = { { "root", "d x" } };
	struct crush_loc dev[] = { { "host", "osd.1" } };

	assert_int_equal(crush_map_insert_item(map, 4, W(1), "osd.4", rack_h1, 1, err,
					       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "type 'host' != 'rack'"));
	assert_int_equal(crush_map_insert_item(map, 4, W(1), "osd.4", NULL, 0, err,
					       sizeof(err)), -EINVAL);
	assert_int_equal(crush_map_insert_item(map, 4, W(1), "osd.4", foo, 1, err,
					       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "didn't find anywhere"));
	assert_int_equal(crush_map_insert_item(map, 4, W(1), "osd.3", host_h1, 1, err,
					       sizeof(err)), -EEXIST);
	assert_int_equal(crush_map_insert_item(map, 4, W(1), "h1", host_h1, 1, err,
					       sizeof(err)), -EEXIST);
	assert_int_equal(crush_map_insert_item(map, 0, W(1), "osd.0", host_h1, 1, err,
					       sizeof(err)), -EINVAL);
	assert_int_equal(crush_map_insert_item(map, 0, W(1), "osd.0", root_def, 1, err,
					       sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "already exists beneath -1"));
	assert_int_equal(crush_map_insert_item(map, 4, W(1), "o x", root_def, 1, err,
					       sizeof(err)), -EINVAL);
	assert_int_equal(crush_map_insert_item(map, 4, W(1), "osd.4", bad, 1, err,
					       sizeof(err)), -EINVAL);
	assert_int_equal(crush_map_insert_item(map, 4, W(1), "osd.4", dev, 1, err,
					       sizeof(err)), -EINVAL);
	/* nothing changed */
	assert_int_equal(map->max_devices, 4);
	assert_null(crush_names_get(&map->item_names, 4));
	expect_items(map, "default", 2, (int32_t[]){ -2, -3 }, (uint32_t[]){ W(2), W(3) });
	crush_map_destroy(map);
}

static void test_insert_second_location_and_rename(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc loc[] = { { "host", "h3" }, { "root", "default" } };
	char err[256];

	/* an id may sit in two places; the name follows the call */
	assert_int_equal(crush_map_insert_item(map, 3, W(1.5), "osd.9", loc, 2, err,
					       sizeof(err)), 0);
	assert_string_equal(crush_names_get(&map->item_names, 3), "osd.9");
	expect_items(map, "h3", 1, (int32_t[]){ 3 }, (uint32_t[]){ W(1.5) });
	expect_items(map, "h2", 2, (int32_t[]){ 2, 3 }, (uint32_t[]){ W(1), W(2) });
	crush_map_destroy(map);
}

static void test_legacy_algs(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc loc[] = { { "host", "h3" }, { "root", "default" } };
	char err[256];

	map->t.allowed_bucket_algs = CRUSH_LEGACY_ALLOWED_BUCKET_ALGS;
	assert_int_equal(crush_map_insert_item(map, 4, W(1), "osd.4", loc, 2, err,
					       sizeof(err)), 0);
	assert_int_equal(named(map, "h3")->alg, CRUSH_BUCKET_STRAW);
	map->t.allowed_bucket_algs = (1u << CRUSH_BUCKET_LIST) | (1u << CRUSH_BUCKET_TREE);
	assert_int_equal(crush_map_add_bucket_named(map, "t", "host", NULL, 0, NULL, err,
						    sizeof(err)), 0);
	assert_int_equal(named(map, "t")->alg, CRUSH_BUCKET_TREE);
	crush_map_destroy(map);
}

static void test_update_item(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc h1[] = { { "host", "h1" } };
	struct crush_loc h2[] = { { "host", "h2" } };
	struct crush_loc hx[] = { { "host", "hx" }, { "root", "default" } };
	char err[256];

	/* in place: reweight */
	assert_int_equal(crush_map_update_item(map, 0, W(1.5), "osd.0", h1, 1, err,
					       sizeof(err)), 0);
	expect_items(map, "h1", 2, (int32_t[]){ 0, 1 }, (uint32_t[]){ W(1.5), W(1) });
	expect_items(map, "default", 2, (int32_t[]){ -2, -3 },
		     (uint32_t[]){ W(2.5), W(3) });
	/* in place: rename (Ceph does not check the name is free here) */
	assert_int_equal(crush_map_update_item(map, 0, W(1.5), "osd.7", h1, 1, err,
					       sizeof(err)), 0);
	assert_string_equal(crush_names_get(&map->item_names, 0), "osd.7");
	/* move to another host */
	assert_int_equal(crush_map_update_item(map, 0, W(1.5), "osd.0", h2, 1, err,
					       sizeof(err)), 0);
	expect_items(map, "h1", 1, (int32_t[]){ 1 }, (uint32_t[]){ W(1) });
	expect_items(map, "h2", 3, (int32_t[]){ 2, 3, 0 },
		     (uint32_t[]){ W(1), W(2), W(1.5) });
	expect_items(map, "default", 2, (int32_t[]){ -2, -3 },
		     (uint32_t[]){ W(1), W(4.5) });
	/* move under a new host */
	assert_int_equal(crush_map_update_item(map, 0, W(1), "osd.0", hx, 2, err,
					       sizeof(err)), 0);
	assert_int_equal(named(map, "hx")->id, -4);
	expect_items(map, "default", 3, (int32_t[]){ -2, -3, -4 },
		     (uint32_t[]){ W(1), W(3), W(1) });
	/* a name taken by another id */
	assert_int_equal(crush_map_update_item(map, 4, W(1), "osd.1", h2, 1, err,
					       sizeof(err)), -EEXIST);
	assert_int_equal(crush_map_update_item(map, 0, W(1), "osd.0", NULL, 0, err,
					       sizeof(err)), -EINVAL);
	crush_map_destroy(map);
}

static void test_remove_item(void **state)
{
	struct crush_map *map = base_map();
	char err[256];
	int32_t id;

	assert_int_equal(crush_map_remove_item_named(map, "h1", err, sizeof(err)), -ENOTEMPTY);
	assert_int_equal(crush_map_remove_item_named(map, "nope", err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "name nope dne");
	assert_int_equal(crush_map_remove_item_named(map, "osd.3", err, sizeof(err)), 0);
	assert_int_equal(map->max_devices, 3);
	assert_int_equal(crush_map_item_id(map, "osd.3", &id), -ENOENT);
	expect_items(map, "h2", 1, (int32_t[]){ 2 }, (uint32_t[]){ W(1) });
	expect_items(map, "default", 2, (int32_t[]){ -2, -3 }, (uint32_t[]){ W(2), W(1) });
	assert_int_equal(crush_map_remove_item_named(map, "osd.0", err, sizeof(err)), 0);
	assert_int_equal(map->max_devices, 3);

	/* an empty bucket a rule takes is busy; an unused one goes */
	assert_int_equal(crush_map_add_bucket_named(map, "e1", "host", NULL, 0, &id, err,
						    sizeof(err)), 0);
	map->rules[0]->steps[0].arg1 = id;
	assert_int_equal(crush_map_remove_item_named(map, "e1", err, sizeof(err)), -EBUSY);
	map->rules[0]->steps[0].arg1 = -1;
	assert_int_equal(crush_map_remove_item_named(map, "e1", err, sizeof(err)), 0);
	assert_null(crush_map_bucket(map, id));
	assert_int_equal(crush_map_item_id(map, "e1", &id), -ENOENT);
	crush_map_destroy(map);
}

static void test_reweight_item(void **state)
{
	struct crush_map *map = base_map();
	char err[256];

	assert_int_equal(crush_map_reweight_item_named(map, "osd.0", W(3), err, sizeof(err)),
			 0);
	expect_items(map, "h1", 2, (int32_t[]){ 0, 1 }, (uint32_t[]){ W(3), W(1) });
	expect_items(map, "default", 2, (int32_t[]){ -2, -3 }, (uint32_t[]){ W(4), W(3) });
	/* a bucket's weight in its parent changes, not its own */
	assert_int_equal(crush_map_reweight_item_named(map, "h2", W(1), err, sizeof(err)), 0);
	expect_items(map, "default", 2, (int32_t[]){ -2, -3 }, (uint32_t[]){ W(4), W(1) });
	assert_int_equal(named(map, "h2")->weight, W(3));
	assert_int_equal(crush_map_reweight_item_named(map, "nope", W(1), err, sizeof(err)),
			 -ENOENT);
	crush_map_destroy(map);
}

static void test_add_bucket(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc root_def[] = { { "root", "default" } };
	struct crush_loc nope[] = { { "root", "nope" } };
	struct crush_loc rack_h2[] = { { "root", "default" }, { "rack", "h2" } };
	char err[256];
	int32_t id;

	assert_int_equal(crush_map_add_bucket_named(map, "foo", "rack", NULL, 0, &id, err,
						    sizeof(err)), 0);
	assert_int_equal(id, -4);
	assert_int_equal(named(map, "foo")->alg, CRUSH_BUCKET_STRAW2);
	assert_int_equal(named(map, "foo")->hash, CRUSH_HASH_RJENKINS1);
	assert_int_equal(crush_map_add_bucket_named(map, "bar", "host", root_def, 1, &id,
						    err, sizeof(err)), 0);
	assert_int_equal(id, -5);
	expect_items(map, "default", 3, (int32_t[]){ -2, -3, -5 },
		     (uint32_t[]){ W(2), W(3), 0 });
	assert_int_equal(crush_map_add_bucket_named(map, "baz", "host", nope, 1, &id, err,
						    sizeof(err)), 0);
	assert_int_equal(id, -6);
	assert_int_equal(named(map, "nope")->id, -7);

	assert_int_equal(crush_map_add_bucket_named(map, "x", "nosuch", NULL, 0, NULL, err,
						    sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad bucket type: nosuch");
	assert_int_equal(crush_map_add_bucket_named(map, "x", "osd", NULL, 0, NULL, err,
						    sizeof(err)), -EINVAL);
	assert_int_equal(crush_map_add_bucket_named(map, "f o", "host", NULL, 0, NULL, err,
						    sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad bucket name: f o");
	assert_int_equal(crush_map_add_bucket_named(map, "h1", "host", NULL, 0, NULL, err,
						    sizeof(err)), -EEXIST);
	assert_string_equal(err, "bucket 'h1' already exists");
	assert_int_equal(crush_map_add_bucket_named(map, "x", "rack", rack_h2, 2, NULL, err,
						    sizeof(err)), -EINVAL);
	assert_string_equal(err, "error moving bucket 'x' to {rack=h2,root=default}");
	assert_int_equal(crush_map_item_id(map, "x", &id), -ENOENT);
	crush_map_destroy(map);
}

static void test_move(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc r2[] = { { "root", "r2" } };
	struct crush_loc def[] = { { "root", "default" } };
	struct crush_loc h2[] = { { "host", "h2" } };
	struct crush_loc h1[] = { { "host", "h1" } };
	char err[256];

	assert_int_equal(crush_map_move_named(map, "h1", def, 1, err, sizeof(err)),
			 -EALREADY);
	assert_string_equal(err, "item 'h1' already at {root=default}");
	assert_int_equal(crush_map_move_named(map, "nope", def, 1, err, sizeof(err)), -ENOENT);
	assert_int_equal(crush_map_move_named(map, "h1", NULL, 0, err, sizeof(err)), -EINVAL);
	assert_int_equal(crush_map_move_named(map, "default", h1, 1, err, sizeof(err)),
			 -ELOOP);
	assert_int_equal(crush_map_move_named(map, "h1", h1, 1, err, sizeof(err)), -EINVAL);

	assert_int_equal(crush_map_move_named(map, "osd.0", h2, 1, err, sizeof(err)), 0);
	expect_items(map, "h2", 3, (int32_t[]){ 2, 3, 0 },
		     (uint32_t[]){ W(1), W(2), W(1) });
	expect_items(map, "default", 2, (int32_t[]){ -2, -3 }, (uint32_t[]){ W(1), W(4) });

	assert_int_equal(crush_map_move_named(map, "h1", r2, 1, err, sizeof(err)), 0);
	assert_int_equal(named(map, "r2")->id, -4);
	expect_items(map, "r2", 1, (int32_t[]){ -2 }, (uint32_t[]){ W(1) });
	expect_items(map, "default", 1, (int32_t[]){ -3 }, (uint32_t[]){ W(4) });
	crush_map_destroy(map);
}

static void test_rules(void **state)
{
	struct crush_map *map = base_map();
	char err[256];
	int r;

	r = crush_map_add_simple_rule(map, "r2", "default", "host", NULL, "firstn",
				      CRUSH_RULE_TYPE_REPLICATED, err, sizeof(err));
	assert_int_equal(r, 1);
	const struct crush_rule *rule = map->rules[1];
	assert_int_equal(rule->len, 3);
	assert_int_equal(rule->ruleset, 1);
	assert_int_equal(rule->min_size, 1);
	assert_int_equal(rule->max_size, 10);
	assert_int_equal(rule->steps[0].op, CRUSH_RULE_TAKE);
	assert_int_equal(rule->steps[0].arg1, -1);
	assert_int_equal(rule->steps[1].op, CRUSH_RULE_CHOOSELEAF_FIRSTN);
	assert_int_equal(rule->steps[1].arg2, 1);
	assert_int_equal(rule->steps[2].op, CRUSH_RULE_EMIT);

	r = crush_map_add_simple_rule(map, "ec", "default", "osd", NULL, "indep",
				      CRUSH_RULE_TYPE_ERASURE, err, sizeof(err));
	assert_int_equal(r, 2);
	rule = map->rules[2];
	assert_int_equal(rule->type, CRUSH_RULE_TYPE_ERASURE);
	assert_int_equal(rule->len, 5);
	assert_int_equal(rule->min_size, 3);
	assert_int_equal(rule->max_size, 20);
	assert_int_equal(rule->steps[0].op, CRUSH_RULE_SET_CHOOSELEAF_TRIES);
	assert_int_equal(rule->steps[0].arg1, 5);
	assert_int_equal(rule->steps[1].op, CRUSH_RULE_SET_CHOOSE_TRIES);
	assert_int_equal(rule->steps[1].arg1, 100);
	assert_int_equal(rule->steps[3].op, CRUSH_RULE_CHOOSE_INDEP);
	assert_int_equal(rule->steps[3].arg2, 0);

	/* the first free id is reused */
	assert_int_equal(crush_map_remove_rule_named(map, "r2", err, sizeof(err)), 0);
	assert_null(map->rules[1]);
	assert_int_equal(crush_map_add_simple_rule(map, "r3", "h1", "root", NULL, "firstn",
						   CRUSH_RULE_TYPE_REPLICATED, err,
						   sizeof(err)), 1);
	assert_int_equal(crush_map_rule_by_name(map, "r3"), 1);

	assert_int_equal(crush_map_add_simple_rule(map, "r3", "nope", "nope", NULL, "x",
						   1, err, sizeof(err)), -EEXIST);
	assert_string_equal(err, "rule r3 already exists");
	assert_int_equal(crush_map_add_simple_rule(map, "r4", "nope", "nope", NULL, "x",
						   1, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "root item nope does not exist");
	assert_int_equal(crush_map_add_simple_rule(map, "r4", "default", "nope", "zz", "x",
						   1, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown type nope");
	assert_int_equal(crush_map_add_simple_rule(map, "r4", "default", "host", "zz", "x",
						   1, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "device class zz does not exist");
	assert_int_equal(crush_map_add_simple_rule(map, "r4", "default", "host", NULL, "x",
						   1, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "unknown mode x");
	assert_int_equal(crush_map_remove_rule_named(map, "r4", err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "rule r4 does not exist");
	crush_map_destroy(map);
}

static void test_location(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc out[8];

	assert_int_equal(crush_map_item_location(map, 0, out, 8), 2);
	assert_string_equal(out[0].type, "host");
	assert_string_equal(out[0].name, "h1");
	assert_string_equal(out[1].type, "root");
	assert_string_equal(out[1].name, "default");
	assert_int_equal(crush_map_item_location(map, -1, out, 8), 0);
	assert_int_equal(crush_map_item_location(map, 9, out, 8), -ENOENT);
	crush_map_destroy(map);
}

static void test_item_at_loc(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc def[] = { { "root", "default" } };
	struct crush_loc rack[] = { { "rack", "r1" }, { "root", "default" } };
	struct crush_loc h1[] = { { "host", "h1" }, { "root", "nowhere" } };
	struct crush_loc dup[] = { { "host", "h2" }, { "host", "h1" } };
	uint32_t w = 0;

	assert_true(crush_map_item_at_loc(map, -2, def, 1, &w));
	assert_int_equal(w, W(2));
	/* only the lowest level named counts */
	assert_false(crush_map_item_at_loc(map, -2, rack, 2, NULL));
	assert_true(crush_map_item_at_loc(map, 0, h1, 2, &w));
	assert_int_equal(w, W(1));
	assert_false(crush_map_item_at_loc(map, 0, def, 1, NULL));
	/* a repeated type: the last one wins */
	assert_true(crush_map_item_at_loc(map, 1, dup, 2, NULL));
	assert_false(crush_map_item_at_loc(map, 2, dup, 2, NULL));
	assert_false(crush_map_item_at_loc(map, 0, NULL, 0, NULL));
	crush_map_destroy(map);
}

/* choose_args with two positions on default and h1, as Ceph updates them */
static void test_choose_args(void **state)
{
	struct crush_map *map = base_map();
	struct crush_loc h1[] = { { "host", "h1" } };
	char err[256];

	map->choose_args = calloc(1, sizeof(*map->choose_args));
	assert_non_null(map->choose_args);
	map->n_choose_args = 1;
	struct crush_choose_arg_map *cam = &map->choose_args[0];
	cam->id = 1;
	cam->size = (uint32_t)map->max_buckets;
	cam->args = calloc(cam->size, sizeof(*cam->args));
	assert_non_null(cam->args);
	static const uint32_t root_ws[2][2] = { { W(2.5), W(3.5) }, { W(1), W(4) } };
	static const uint32_t h1_ws[2][2] = { { W(0.5), W(1.5) }, { W(1.2), W(0.8) } };
	for (int b = 0; b < 2; b++) {
		struct crush_choose_arg *a = &cam->args[b];
		const uint32_t(*ws)[2] = b == 0 ? root_ws : h1_ws;
		a->weight_set_positions = 2;
		a->weight_set = calloc(2, sizeof(*a->weight_set));
		for (int p = 0; p < 2; p++) {
			a->weight_set[p].size = 2;
			a->weight_set[p].weights = malloc(2 * sizeof(uint32_t));
			memcpy(a->weight_set[p].weights, ws[p], 2 * sizeof(uint32_t));
		}
		a->ids_size = 2;
		a->ids = malloc(2 * sizeof(int32_t));
		a->ids[0] = b == 0 ? -10 : 100;
		a->ids[1] = b == 0 ? -20 : 101;
	}

	assert_int_equal(crush_map_insert_item(map, 4, W(1.5), "osd.4", h1, 1, err,
					       sizeof(err)), 0);
	struct crush_choose_arg *root = &cam->args[0], *a1 = &cam->args[1], *a2 = &cam->args[2];
	assert_int_equal(a1->weight_set[0].size, 3);
	assert_int_equal(a1->weight_set[0].weights[2], W(1.5));
	assert_int_equal(a1->weight_set[1].weights[2], W(1.5));
	assert_int_equal(a1->ids_size, 3);
	assert_int_equal(a1->ids[2], 4);
	/* h2 got a weight set from its item weights */
	assert_int_equal(a2->weight_set_positions, 2);
	assert_int_equal(a2->weight_set[1].weights[1], W(2));
	/* root entries are the sums of the children's sets */
	assert_int_equal(root->weight_set[0].weights[0], W(0.5) + W(1.5) + W(1.5));
	assert_int_equal(root->weight_set[1].weights[0], W(1.2) + W(0.8) + W(1.5));
	assert_int_equal(root->weight_set[0].weights[1], W(3));

	assert_int_equal(crush_map_remove_item_named(map, "osd.0", err, sizeof(err)), 0);
	assert_int_equal(a1->weight_set[0].size, 2);
	assert_int_equal(a1->weight_set[0].weights[0], W(1.5));
	assert_int_equal(a1->ids_size, 2);
	assert_int_equal(a1->ids[0], 101);
	crush_map_destroy(map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_creates_chain),
		cmocka_unit_test(test_insert_existing_bucket_stops),
		cmocka_unit_test(test_insert_errors),
		cmocka_unit_test(test_insert_second_location_and_rename),
		cmocka_unit_test(test_legacy_algs),
		cmocka_unit_test(test_update_item),
		cmocka_unit_test(test_remove_item),
		cmocka_unit_test(test_reweight_item),
		cmocka_unit_test(test_add_bucket),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_location),
		cmocka_unit_test(test_item_at_loc),
		cmocka_unit_test(test_choose_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
