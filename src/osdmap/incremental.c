/*
 * Incrementals: the change from one epoch to the next, built by the
 * monitor with the osdmap_inc_* helpers and applied by everyone with
 * osdmap_apply_inc().  Applying is a pure function of (old map, inc), so
 * every daemon that applies the same incrementals to the same map holds
 * the same epochs; the monitor keeps full maps plus incrementals and a
 * subscriber catches up by applying the incrementals it missed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "osdmap/internal.h"

int osdmap_inc_create(uint32_t epoch, struct osdmap_inc **out)
{
	struct osdmap_inc *inc = calloc(1, sizeof(*inc));

	if (!inc)
		return -ENOMEM;
	inc->epoch = epoch;
	inc->modified = osdmap_time_now();
	*out = inc;
	return 0;
}

void osdmap_inc_destroy(struct osdmap_inc *inc)
{
	if (!inc)
		return;
	for (size_t i = 0; i < inc->n_new_pools; i++)
		osdmap_pool_release(&inc->new_pools[i]);
	free(inc->new_pools);
	free(inc->old_pools);
	free(inc->osds);
	free(inc->crush);
	free(inc);
}

void osdmap_inc_set_flags(struct osdmap_inc *inc, uint32_t flags)
{
	inc->has |= OSDMAP_INC_HAS_FLAGS;
	inc->new_flags = flags;
}

void osdmap_inc_set_fsid(struct osdmap_inc *inc, const uint8_t fsid[16])
{
	inc->has |= OSDMAP_INC_HAS_FSID;
	memcpy(inc->fsid, fsid, 16);
}

int osdmap_inc_set_max_osd(struct osdmap_inc *inc, int32_t max_osd)
{
	if (max_osd < 0 || max_osd > OSDMAP_MAX_OSD)
		return -EINVAL;
	inc->has |= OSDMAP_INC_HAS_MAX_OSD;
	inc->new_max_osd = max_osd;
	return 0;
}

int osdmap_inc_set_crush(struct osdmap_inc *inc, const struct crush_map *crush)
{
	uint8_t *buf;
	size_t len;
	int ret = crush_map_encode(crush, &buf, &len);

	if (ret)
		return ret;
	free(inc->crush);
	inc->crush = buf;
	inc->crush_len = len;
	inc->has |= OSDMAP_INC_HAS_CRUSH;
	return 0;
}

/* Grow an array of `size`-byte elements to hold one more. */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 4;
	void *nv = realloc(*v, nc * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = nc;
	return 0;
}

static struct osdmap_pool *pending_pool(struct osdmap_inc *inc, int64_t id)
{
	for (size_t i = 0; i < inc->n_new_pools; i++)
		if (inc->new_pools[i].id == id)
			return &inc->new_pools[i];
	return NULL;
}

static bool pool_removed(const struct osdmap_inc *inc, int64_t id)
{
	for (size_t i = 0; i < inc->n_old_pools; i++)
		if (inc->old_pools[i] == id)
			return true;
	return false;
}

/* The first replicated rule of the CRUSH map the new epoch will have. */
static int default_rule(const struct osdmap_inc *inc, const struct osdmap *map)
{
	struct osdmap_crush_ref *r;
	int rule;

	if (!(inc->has & OSDMAP_INC_HAS_CRUSH))
		return osdmap_crush_first_rule(map->crush, CRUSH_RULE_TYPE_REPLICATED);
	if (osdmap__crush_ref_decode(inc->crush, inc->crush_len, &r))
		return -EINVAL;
	rule = osdmap_crush_first_rule(r->map, CRUSH_RULE_TYPE_REPLICATED);
	osdmap__crush_ref_put(r);
	return rule;
}

struct osdmap_pool *osdmap_inc_pool_create(struct osdmap_inc *inc, const struct osdmap *map,
					   const char *name,
					   const struct osdmap_pool_defaults *d, int *err)
{
	const struct osdmap_pool *existing = osdmap_pool_by_name(map, name);
	int64_t id = map->pool_max;
	struct osdmap_pool p;
	int rule;

	*err = 0;
	if (existing && !pool_removed(inc, existing->id) && !pending_pool(inc, existing->id))
		*err = -EEXIST;
	for (size_t i = 0; i < inc->n_new_pools; i++) {
		if (strcmp(inc->new_pools[i].name, name) == 0)
			*err = -EEXIST;
		if (inc->new_pools[i].id > id)
			id = inc->new_pools[i].id;
	}
	if (*err)
		return NULL;
	if ((inc->has & OSDMAP_INC_HAS_POOL_MAX) && inc->new_pool_max > id)
		id = inc->new_pool_max;
	if (d->size < 1 || d->size > OSDMAP_MAX_POOL_SIZE || d->min_size > d->size ||
	    d->pg_num < 1 || d->pg_num > OSDMAP_MAX_PG_NUM || d->pgp_num > d->pg_num) {
		*err = -EINVAL;
		return NULL;
	}
	rule = d->crush_rule >= 0 ? d->crush_rule : default_rule(inc, map);
	if (rule < 0) {
		*err = -EINVAL;
		return NULL;
	}
	osdmap_pool_init(&p);
	p.id = id + 1;
	p.type = POOL_TYPE_REPLICATED;
	p.size = (uint8_t)d->size;
	p.min_size = (uint8_t)(d->min_size ? d->min_size : d->size - d->size / 2);
	p.object_hash = POOL_HASH_RJENKINS;
	p.crush_rule = rule;
	p.pg_num = d->pg_num;
	p.pgp_num = d->pgp_num ? d->pgp_num : d->pg_num;
	p.flags = d->hashpspool ? POOL_FLAG_HASHPSPOOL : 0;
	p.last_change = inc->epoch;
	p.create_time = inc->modified;
	p.autoscale_mode = d->autoscale_mode;
	*err = osdmap_pool_set_name(&p, name);
	if (*err)
		goto out_pool;
	p.erasure_code_profile = strdup("");
	if (!p.erasure_code_profile ||
	    grow((void **)&inc->new_pools, inc->n_new_pools, &inc->cap_new_pools,
		 sizeof(p))) {
		*err = -ENOMEM;
		goto out_pool;
	}
	inc->new_pools[inc->n_new_pools] = p;
	return &inc->new_pools[inc->n_new_pools++];
out_pool:
	osdmap_pool_release(&p);
	return NULL;
}

struct osdmap_pool *osdmap_inc_pool_edit(struct osdmap_inc *inc, const struct osdmap *map,
					 int64_t id, int *err)
{
	struct osdmap_pool *p = pending_pool(inc, id);
	const struct osdmap_pool *cur;

	*err = 0;
	if (p) {
		p->last_change = inc->epoch;
		return p;
	}
	cur = osdmap_pool_by_id(map, id);
	if (!cur || pool_removed(inc, id)) {
		*err = -ENOENT;
		return NULL;
	}
	if (grow((void **)&inc->new_pools, inc->n_new_pools, &inc->cap_new_pools,
		 sizeof(*p))) {
		*err = -ENOMEM;
		return NULL;
	}
	p = &inc->new_pools[inc->n_new_pools];
	*err = osdmap_pool_copy(p, cur);
	if (*err)
		return NULL;
	inc->n_new_pools++;
	p->last_change = inc->epoch;
	return p;
}

int osdmap_inc_pool_remove(struct osdmap_inc *inc, const struct osdmap *map, int64_t id)
{
	struct osdmap_pool *p = pending_pool(inc, id);
	bool in_map = osdmap_pool_by_id(map, id) && !pool_removed(inc, id);

	if (p) {
		size_t i = (size_t)(p - inc->new_pools);
		osdmap_pool_release(p);
		memmove(p, p + 1, (inc->n_new_pools - i - 1) * sizeof(*p));
		inc->n_new_pools--;
	} else if (!in_map) {
		return -ENOENT;
	}
	if (!in_map)
		return 0;
	if (grow((void **)&inc->old_pools, inc->n_old_pools, &inc->cap_old_pools,
		 sizeof(*inc->old_pools)))
		return -ENOMEM;
	inc->old_pools[inc->n_old_pools++] = id;
	return 0;
}

struct osdmap_inc_osd *osdmap_inc_osd(struct osdmap_inc *inc, int32_t osd)
{
	struct osdmap_inc_osd *o;

	if (osd < 0 || osd >= OSDMAP_MAX_OSD)
		return NULL;
	for (size_t i = 0; i < inc->n_osds; i++)
		if (inc->osds[i].osd == osd)
			return &inc->osds[i];
	if (grow((void **)&inc->osds, inc->n_osds, &inc->cap_osds, sizeof(*o)))
		return NULL;
	o = &inc->osds[inc->n_osds++];
	memset(o, 0, sizeof(*o));
	o->osd = osd;
	return o;
}

/* Later edits of the same OSD win over earlier ones. */
static void state_change(struct osdmap_inc_osd *o, uint32_t set, uint32_t clear)
{
	o->mask |= OSDMAP_INC_STATE;
	o->state_set = (o->state_set & ~clear) | set;
	o->state_clear = (o->state_clear & ~set) | clear;
}

int osdmap_inc_osd_create(struct osdmap_inc *inc, int32_t osd, const uint8_t uuid[16])
{
	struct osdmap_inc_osd *o = osdmap_inc_osd(inc, osd);

	if (!o)
		return osd < 0 ? -EINVAL : -ENOMEM;
	state_change(o, OSD_STATE_EXISTS | OSD_STATE_NEW, ~(OSD_STATE_EXISTS | OSD_STATE_NEW));
	o->mask |= OSDMAP_INC_WEIGHT;
	o->weight = OSDMAP_WEIGHT_OUT;
	if (uuid) {
		o->mask |= OSDMAP_INC_UUID;
		memcpy(o->uuid, uuid, 16);
	}
	return 0;
}

int osdmap_inc_osd_remove(struct osdmap_inc *inc, int32_t osd)
{
	struct osdmap_inc_osd *o = osdmap_inc_osd(inc, osd);

	if (!o)
		return osd < 0 ? -EINVAL : -ENOMEM;
	o->mask = 0;
	state_change(o, 0, ~0u);
	return 0;
}

int osdmap_inc_osd_up(struct osdmap_inc *inc, int32_t osd, const struct osdmap_addr *pub,
		      const struct osdmap_addr *cluster)
{
	struct osdmap_inc_osd *o = osdmap_inc_osd(inc, osd);

	if (!o)
		return osd < 0 ? -EINVAL : -ENOMEM;
	state_change(o, OSD_STATE_UP, OSD_STATE_NEW);
	o->mask |= OSDMAP_INC_ADDR | OSDMAP_INC_UP_FROM;
	if (pub)
		o->public_addr = *pub;
	if (cluster)
		o->cluster_addr = *cluster;
	o->public_addr.addr[OSDMAP_ADDR_MAX - 1] = '\0';
	o->cluster_addr.addr[OSDMAP_ADDR_MAX - 1] = '\0';
	o->up_from = inc->epoch;
	return 0;
}

int osdmap_inc_osd_down(struct osdmap_inc *inc, int32_t osd)
{
	struct osdmap_inc_osd *o = osdmap_inc_osd(inc, osd);

	if (!o)
		return osd < 0 ? -EINVAL : -ENOMEM;
	state_change(o, 0, OSD_STATE_UP);
	o->mask |= OSDMAP_INC_DOWN_AT;
	o->down_at = inc->epoch;
	return 0;
}

int osdmap_inc_osd_weight(struct osdmap_inc *inc, int32_t osd, uint32_t weight)
{
	struct osdmap_inc_osd *o = osdmap_inc_osd(inc, osd);

	if (!o)
		return osd < 0 ? -EINVAL : -ENOMEM;
	if (weight > OSDMAP_WEIGHT_IN)
		return -EINVAL;
	o->mask |= OSDMAP_INC_WEIGHT;
	o->weight = weight;
	return 0;
}

int osdmap_inc_osd_up_thru(struct osdmap_inc *inc, int32_t osd, uint32_t up_thru)
{
	struct osdmap_inc_osd *o = osdmap_inc_osd(inc, osd);

	if (!o)
		return osd < 0 ? -EINVAL : -ENOMEM;
	o->mask |= OSDMAP_INC_UP_THRU;
	o->up_thru = up_thru;
	return 0;
}

/* ---- apply ---- */

static bool fsid_zero(const uint8_t f[16])
{
	for (int i = 0; i < 16; i++)
		if (f[i])
			return false;
	return true;
}

static void apply_osd(struct osdmap_osd *d, const struct osdmap_inc_osd *o)
{
	if (o->mask & OSDMAP_INC_STATE) {
		d->state = (d->state & ~o->state_clear) | o->state_set;
		if (!(d->state & OSD_STATE_EXISTS))
			osdmap__osd_init(d);
	}
	if (o->mask & OSDMAP_INC_WEIGHT)
		d->weight = o->weight;
	if (o->mask & OSDMAP_INC_UUID)
		memcpy(d->uuid, o->uuid, 16);
	if (o->mask & OSDMAP_INC_ADDR) {
		d->public_addr = o->public_addr;
		d->cluster_addr = o->cluster_addr;
	}
	if (o->mask & OSDMAP_INC_UP_FROM)
		d->up_from = o->up_from;
	if (o->mask & OSDMAP_INC_UP_THRU)
		d->up_thru = o->up_thru;
	if (o->mask & OSDMAP_INC_DOWN_AT)
		d->down_at = o->down_at;
	if (o->mask & OSDMAP_INC_LOST_AT)
		d->lost_at = o->lost_at;
	if (o->mask & OSDMAP_INC_LAST_CLEAN) {
		d->last_clean_begin = o->last_clean_begin;
		d->last_clean_end = o->last_clean_end;
	}
	if (o->mask & OSDMAP_INC_AFFINITY)
		d->primary_affinity = o->primary_affinity;
}

int osdmap_apply_inc(const struct osdmap *old, const struct osdmap_inc *inc,
		     struct osdmap **out)
{
	struct osdmap *m;
	int ret = -ENOMEM;

	if (inc->epoch != old->epoch + 1)
		return -EINVAL;
	if ((inc->has & OSDMAP_INC_HAS_FSID) && !fsid_zero(old->fsid) &&
	    memcmp(old->fsid, inc->fsid, 16) != 0)
		return -EINVAL;
	m = osdmap__alloc();
	if (!m)
		return -ENOMEM;
	memcpy(m->fsid, old->fsid, 16);
	m->created = old->created;
	m->last_up_change = old->last_up_change;
	m->last_in_change = old->last_in_change;
	m->flags = old->flags;
	m->crush_version = old->crush_version;
	m->pool_max = old->pool_max;
	m->crush_ref = old->crush_ref;
	atomic_fetch_add(&m->crush_ref->ref, 1);
	if (osdmap__set_max_osd(m, old->max_osd))
		goto out_map;
	if (old->max_osd)
		memcpy(m->osds, old->osds, (size_t)old->max_osd * sizeof(*m->osds));
	m->pools = calloc(old->n_pools ? old->n_pools : 1, sizeof(*m->pools));
	if (!m->pools)
		goto out_map;
	for (; m->n_pools < old->n_pools; m->n_pools++)
		if (osdmap_pool_copy(&m->pools[m->n_pools], &old->pools[m->n_pools]))
			goto out_map;

	m->epoch = inc->epoch;
	m->modified = inc->modified;
	if (inc->has & OSDMAP_INC_HAS_FSID)
		memcpy(m->fsid, inc->fsid, 16);
	if (inc->has & OSDMAP_INC_HAS_CREATED)
		m->created = inc->created;
	if (inc->has & OSDMAP_INC_HAS_FLAGS)
		m->flags = inc->new_flags;
	if (inc->has & OSDMAP_INC_HAS_MAX_OSD) {
		ret = osdmap__set_max_osd(m, inc->new_max_osd);
		if (ret)
			goto out_map;
	}
	if (inc->has & OSDMAP_INC_HAS_CRUSH) {
		struct osdmap_crush_ref *r;
		ret = osdmap__crush_ref_decode(inc->crush, inc->crush_len, &r);
		if (ret)
			goto out_map;
		osdmap__crush_ref_put(m->crush_ref);
		m->crush_ref = r;
		m->crush_version++;
	}
	for (size_t i = 0; i < inc->n_old_pools; i++) {
		ret = osdmap__pool_remove(m, inc->old_pools[i]);
		if (ret)
			goto out_map;
	}
	for (size_t i = 0; i < inc->n_new_pools; i++) {
		struct osdmap_pool p;
		const struct osdmap_pool *same;
		ret = osdmap_pool_validate(&inc->new_pools[i]);
		if (ret)
			goto out_map;
		same = osdmap_pool_by_name(m, inc->new_pools[i].name);
		if (same && same->id != inc->new_pools[i].id) {
			ret = -EEXIST;
			goto out_map;
		}
		ret = osdmap_pool_copy(&p, &inc->new_pools[i]);
		if (ret)
			goto out_map;
		ret = osdmap__pool_insert(m, &p);
		osdmap_pool_release(&p);
		if (ret)
			goto out_map;
		if (inc->new_pools[i].id > m->pool_max)
			m->pool_max = inc->new_pools[i].id;
	}
	if ((inc->has & OSDMAP_INC_HAS_POOL_MAX) && inc->new_pool_max > m->pool_max)
		m->pool_max = inc->new_pool_max;
	for (size_t i = 0; i < inc->n_osds; i++) {
		const struct osdmap_inc_osd *o = &inc->osds[i];
		bool was_up, was_in;
		if (o->osd < 0 || o->osd >= m->max_osd) {
			ret = -EINVAL;
			goto out_map;
		}
		if ((o->mask & OSDMAP_INC_WEIGHT) && o->weight > OSDMAP_WEIGHT_IN) {
			ret = -EINVAL;
			goto out_map;
		}
		was_up = osdmap_is_up(m, o->osd);
		was_in = osdmap_is_in(m, o->osd);
		apply_osd(&m->osds[o->osd], o);
		if (was_up != osdmap_is_up(m, o->osd))
			m->last_up_change = inc->modified;
		if (was_in != osdmap_is_in(m, o->osd))
			m->last_in_change = inc->modified;
	}
	ret = osdmap__finish(m);
	if (ret)
		goto out_map;
	*out = m;
	return 0;
out_map:
	osdmap_put(m);
	return ret;
}
