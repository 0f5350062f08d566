/*
 * CRUSH tunables and the named profiles Ceph operators know them by.
 * Each profile fixes the retry behaviour of the mapper; "legacy" is what a
 * map encoded before the tunables existed means, "default" and "optimal"
 * are jewel's values in Ceph 16.2.
 */
#include <errno.h>
#include <string.h>

#include "crush.h"

void crush_tunables_set_legacy(struct crush_tunables *t)
{
	t->choose_local_tries = 2;
	t->choose_local_fallback_tries = 5;
	t->choose_total_tries = 19;
	t->chooseleaf_descend_once = 0;
	t->chooseleaf_vary_r = 0;
	t->chooseleaf_stable = 0;
	t->straw_calc_version = 0;
	t->allowed_bucket_algs = CRUSH_LEGACY_ALLOWED_BUCKET_ALGS;
}

void crush_tunables_set_argonaut(struct crush_tunables *t)
{
	crush_tunables_set_legacy(t);
}

void crush_tunables_set_bobtail(struct crush_tunables *t)
{
	t->choose_local_tries = 0;
	t->choose_local_fallback_tries = 0;
	t->choose_total_tries = 50;
	t->chooseleaf_descend_once = 1;
	t->chooseleaf_vary_r = 0;
	t->chooseleaf_stable = 0;
	t->straw_calc_version = 0;
	t->allowed_bucket_algs = CRUSH_LEGACY_ALLOWED_BUCKET_ALGS;
}

void crush_tunables_set_firefly(struct crush_tunables *t)
{
	crush_tunables_set_bobtail(t);
	t->chooseleaf_vary_r = 1;
	t->straw_calc_version = 1;
}

void crush_tunables_set_hammer(struct crush_tunables *t)
{
	crush_tunables_set_firefly(t);
	t->allowed_bucket_algs = CRUSH_DEFAULT_ALLOWED_BUCKET_ALGS;
}

void crush_tunables_set_jewel(struct crush_tunables *t)
{
	crush_tunables_set_hammer(t);
	t->chooseleaf_stable = 1;
}

void crush_tunables_set_optimal(struct crush_tunables *t)
{
	crush_tunables_set_jewel(t);
}

void crush_tunables_set_default(struct crush_tunables *t)
{
	crush_tunables_set_jewel(t);
}

static const struct {
	const char *name;
	void (*set)(struct crush_tunables *t);
} profiles[] = {
	{"legacy", crush_tunables_set_legacy},     {"argonaut", crush_tunables_set_argonaut},
	{"bobtail", crush_tunables_set_bobtail},   {"firefly", crush_tunables_set_firefly},
	{"hammer", crush_tunables_set_hammer},     {"jewel", crush_tunables_set_jewel},
	{"optimal", crush_tunables_set_optimal},   {"default", crush_tunables_set_default},
};

int crush_tunables_set_profile(struct crush_tunables *t, const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		if (strcmp(profiles[i].name, name) == 0) {
			profiles[i].set(t);
			return 0;
		}
	}
	return -EINVAL;
}

static bool retries_are(const struct crush_tunables *t, uint32_t local, uint32_t fallback,
			uint32_t total, uint32_t descend_once, uint8_t vary_r, uint8_t stable)
{
	return t->choose_local_tries == local && t->choose_local_fallback_tries == fallback &&
	       t->choose_total_tries == total && t->chooseleaf_descend_once == descend_once &&
	       t->chooseleaf_vary_r == vary_r && t->chooseleaf_stable == stable;
}

const char *crush_tunables_profile(const struct crush_tunables *t)
{
	bool straw2 = t->allowed_bucket_algs == CRUSH_DEFAULT_ALLOWED_BUCKET_ALGS;

	if (retries_are(t, 2, 5, 19, 0, 0, 0))
		return "argonaut";
	if (retries_are(t, 0, 0, 50, 1, 0, 0))
		return "bobtail";
	if (retries_are(t, 0, 0, 50, 1, 1, 0))
		return straw2 ? "hammer" : "firefly";
	if (retries_are(t, 0, 0, 50, 1, 1, 1) && straw2)
		return "jewel";
	return "unknown";
}
