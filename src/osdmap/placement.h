/*
 * Object placement as Ceph computes it: object name -> placement group
 * (rjenkins string hash, folded by pg_num with the stable mod) -> CRUSH
 * input (the PG's seed hashed with its pool) -> OSDs.  Shared by the
 * monitor (`ceph osd map`), the OSDs and librados; pure functions.
 */
#ifndef LOLIGO_OSDMAP_PLACEMENT_H
#define LOLIGO_OSDMAP_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>

/* Bob Jenkins' lookup2 over a byte string: Ceph's object name hash. */
uint32_t ceph_str_hash_rjenkins(const char *s, size_t len);

/* Fold x into [0, b) so that growing b moves as few values as possible;
 * bmask is the smallest 2^n - 1 >= b - 1. */
static inline uint32_t ceph_stable_mod(uint32_t x, uint32_t b, uint32_t bmask)
{
	if ((x & bmask) < b)
		return x & bmask;
	return x & (bmask >> 1);
}

/* The mask ceph_stable_mod needs for n placement groups. */
uint32_t pg_num_mask(uint32_t n);

/*
 * The placement seed of an object: hash of its locator key if it has one,
 * else of its name, with the namespace (if any) prefixed as "ns\037name".
 */
uint32_t object_hash(const char *nspace, const char *key, const char *name);

/* The PG (its seed, in [0, pg_num)) holding an object hash. */
static inline uint32_t pg_of_hash(uint32_t hash, uint32_t pg_num)
{
	return ceph_stable_mod(hash, pg_num, pg_num_mask(pg_num));
}

/*
 * The CRUSH input x for PG seed ps of pool: with the hashpspool flag (every
 * pool Loligo makes) the PG's seed folded by pgp_num, hashed with the pool id.
 */
uint32_t pg_crush_input(int64_t pool, uint32_t ps, uint32_t pgp_num, int hashpspool);

#endif
