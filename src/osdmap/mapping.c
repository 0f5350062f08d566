/*
 * Placement on a map: a PG's seed -> CRUSH (the pool's rule, its size,
 * every OSD's reweight) -> the raw OSDs -> the up set (down OSDs dropped,
 * or left as holes in erasure pools where position is the shard) -> the
 * primary; and object -> PG -> up/acting for `ceph osd map`.  The hashes
 * come from placement.c; the results equal Ceph's for the same map.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "osdmap/osdmap.h"
#include "osdmap/placement.h"

/* Ceph's id for the choose_args every pool without its own set uses. */
#define DEFAULT_CHOOSE_ARGS (-1)

static const struct crush_choose_arg *choose_args_for(const struct crush_map *c, int64_t pool)
{
	const struct crush_choose_arg *def = NULL;

	for (size_t i = 0; i < c->n_choose_args; i++) {
		const struct crush_choose_arg_map *a = &c->choose_args[i];
		if (a->size != (uint32_t)c->max_buckets)
			continue;
		if (a->id == pool)
			return a->args;
		if (a->id == DEFAULT_CHOOSE_ARGS)
			def = a->args;
	}
	return def;
}

int osdmap_pg_to_raw_osds(const struct osdmap *m, int64_t pool, uint32_t ps, int *osds,
			  int max)
{
	const struct osdmap_pool *p = osdmap_pool_by_id(m, pool);
	const struct crush_map *c = m->crush;
	int result[OSDMAP_MAX_POOL_SIZE];
	void *work;
	int n, k = 0;
	uint32_t x;

	if (!p)
		return -ENOENT;
	if (p->crush_rule < 0 || (uint32_t)p->crush_rule >= c->max_rules ||
	    !c->rules[p->crush_rule])
		return 0;
	work = malloc(crush_work_size(c, p->size));
	if (!work)
		return -ENOMEM;
	crush_work_init(c, work, p->size);
	x = pg_crush_input(pool, ps, p->pgp_num, (p->flags & POOL_FLAG_HASHPSPOOL) != 0);
	n = crush_do_rule(c, p->crush_rule, (int)x, result, p->size, m->crush_weights,
			  m->max_osd, work, choose_args_for(c, pool), NULL);
	free(work);
	for (int i = 0; i < n && k < max; i++) {
		bool exists = result[i] != CRUSH_ITEM_NONE && osdmap_exists(m, result[i]);
		if (exists)
			osds[k++] = result[i];
		else if (p->type == POOL_TYPE_ERASURE)
			osds[k++] = CRUSH_ITEM_NONE;
	}
	return k;
}

int osdmap_raw_to_up_osds(const struct osdmap *m, const struct osdmap_pool *p, int *osds,
			  int n, int *primary)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		bool up = osds[i] != CRUSH_ITEM_NONE && osdmap_is_up(m, osds[i]);
		if (up)
			osds[k++] = osds[i];
		else if (p->type == POOL_TYPE_ERASURE)
			osds[k++] = CRUSH_ITEM_NONE;
	}
	*primary = -1;
	for (int i = 0; i < k; i++)
		if (osds[i] != CRUSH_ITEM_NONE) {
			*primary = osds[i];
			break;
		}
	return k;
}

int osdmap_pg_to_up_acting(const struct osdmap *m, int64_t pool, uint32_t ps,
			   struct osdmap_pg_mapping *out)
{
	const struct osdmap_pool *p = osdmap_pool_by_id(m, pool);
	int n;

	memset(out, 0, sizeof(*out));
	if (!p)
		return -ENOENT;
	n = osdmap_pg_to_raw_osds(m, pool, ps, out->up, OSDMAP_MAX_POOL_SIZE);
	if (n < 0)
		return n;
	out->n_up = osdmap_raw_to_up_osds(m, p, out->up, n, &out->up_primary);
	/* No pg_temp or primary_temp yet: acting is up. */
	memcpy(out->acting, out->up, sizeof(out->acting));
	out->n_acting = out->n_up;
	out->acting_primary = out->up_primary;
	return 0;
}

int osdmap_map_object(const struct osdmap *m, int64_t pool, const char *nspace,
		      const char *key, const char *name, struct osdmap_object_mapping *out)
{
	const struct osdmap_pool *p = osdmap_pool_by_id(m, pool);

	memset(out, 0, sizeof(*out));
	if (!p)
		return -ENOENT;
	out->pool = pool;
	out->raw_hash = object_hash(nspace, key, name);
	out->ps = pg_of_hash(out->raw_hash, p->pg_num);
	return osdmap_pg_to_up_acting(m, pool, out->ps, &out->pg);
}
