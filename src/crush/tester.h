/*
 * The `crushtool --test` engine: map a range of inputs through a range of
 * rules and replica counts and report mappings, bad mappings, result-size
 * statistics, per-device utilization and the choose-tries histogram, in
 * exactly the lines Ceph's crushtool prints.
 */
#ifndef LOLIGO_CRUSH_TESTER_H
#define LOLIGO_CRUSH_TESTER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "crush/crush.h"

/* A --weight override: device dev gets reweight w (16.16, 0..0x10000). */
struct crush_tester_weight {
	int32_t dev;
	uint32_t w;
};

/* Test parameters.  -1 in a range field means "not given". */
struct crush_tester {
	int min_x, max_x;     /* both >= 0 or the range is 0..1023 */
	int min_rule, max_rule;
	int ruleset;
	int min_rep, max_rep; /* default: the rule's min_size..max_size */
	int pool_id;          /* >= 0: x is hashed with the pool as Ceph does */
	int batches;
	bool simulate; /* random placement instead of CRUSH */
	bool show_mappings, show_bad_mappings, show_statistics;
	bool show_utilization, show_utilization_all, show_choose_tries;
	size_t n_weights;
	struct crush_tester_weight *weights; /* applied in order; not owned */
};

void crush_tester_init(struct crush_tester *t);

/*
 * Run the test on map, writing reports to out and diagnostics to err.
 * Returns 0, or -ENOMEM.  The map is not modified.
 */
int crush_tester_run(const struct crush_map *map, const struct crush_tester *t, FILE *out,
		     FILE *err);

#endif /* LOLIGO_CRUSH_TESTER_H */
