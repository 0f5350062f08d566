/*
 * The monitor's placement-group statistics (mon_pgmap.h): the OSDs'
 * latest reports, the per-PG history stuck checks need, and the digest
 * every PG-aware command prints from.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crush/crush.h"
#include "mon/mon_pgmap.h"

#define MAX_REPORT_OSD OSDMAP_MAX_OSD
#define NO_POOL INT64_MIN

void mon_pgmap_init(struct mon_pgmap *pm)
{
	memset(pm, 0, sizeof(*pm));
}

void mon_pgmap_release(struct mon_pgmap *pm)
{
	for (int32_t i = 0; i < pm->n_osds; i++)
		free(pm->reports[i].st.pgs);
	free(pm->reports);
	free(pm->hist);
	memset(pm, 0, sizeof(*pm));
}

/* ---- the per-PG history (open addressing on (pool, ps)) ---- */

static size_t pg_hash(int64_t pool, uint32_t ps)
{
	uint64_t h = (uint64_t)pool * 0x9E3779B97F4A7C15ull ^ (uint64_t)ps * 0xC2B2AE3D27D4EB4Full;

	return (size_t)(h ^ (h >> 29));
}

static struct mon_pg_hist *hist_slot(struct mon_pg_hist *t, size_t cap, int64_t pool, uint32_t ps)
{
	size_t i = pg_hash(pool, ps) & (cap - 1);

	while (t[i].pool != NO_POOL && !(t[i].pool == pool && t[i].ps == ps))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static int hist_resize(struct mon_pgmap *pm, size_t cap, const struct osdmap *keep_only)
{
	struct mon_pg_hist *t = malloc(cap * sizeof(*t)), *old = pm->hist;
	size_t n = 0;

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		t[i].pool = NO_POOL;
	for (size_t i = 0; i < pm->hist_cap; i++) {
		const struct osdmap_pool *p;

		if (old[i].pool == NO_POOL)
			continue;
		if (keep_only && (!(p = osdmap_pool_by_id(keep_only, old[i].pool)) ||
				  old[i].ps >= p->pg_num))
			continue;
		*hist_slot(t, cap, old[i].pool, old[i].ps) = old[i];
		n++;
	}
	free(old);
	pm->hist = t;
	pm->hist_cap = cap;
	pm->hist_n = n;
	return 0;
}

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The history of a PG, created (first seen now) if new; NULL on ENOMEM. */
static struct mon_pg_hist *hist_get(struct mon_pgmap *pm, int64_t pool, uint32_t ps, uint64_t now)
{
	struct mon_pg_hist *h;

	if ((pm->hist_n + 1) * 2 > pm->hist_cap &&
	    hist_resize(pm, pm->hist_cap ? pm->hist_cap * 2 : 1024, NULL))
		return NULL;
	h = hist_slot(pm->hist, pm->hist_cap, pool, ps);
	if (h->pool == NO_POOL) {
		memset(h, 0, sizeof(*h));
		h->pool = pool;
		h->ps = ps;
		h->first_ms = now;
		h->change_ms = now;
		h->state = PG_STATE_UNKNOWN;
		h->first_wall_ms = wall_ms();
		h->io_osd = -1;
		pm->hist_n++;
	}
	return h;
}

/* A PG's I/O counters from its primary's report: the rates since the
 * previous report of the same OSD (a counter that went back, after a
 * restart of the OSD or a new primary, starts over). */
static void hist_io(struct mon_pg_hist *h, int32_t osd, const struct mon_pg_stat *p,
		    uint64_t now)
{
	const uint64_t v[MON_IO_N] = { p->num_rd, p->num_rd_bytes, p->num_wr, p->num_wr_bytes };
	bool same = h->io_osd == osd && h->io_ms && now > h->io_ms;
	double dt = same ? (double)(now - h->io_ms) / 1000.0 : 0;

	for (int k = 0; k < MON_IO_N; k++) {
		h->io_rate[k] = same && v[k] >= h->io[k] ? (double)(v[k] - h->io[k]) / dt : 0;
		h->io[k] = v[k];
	}
	h->io_osd = osd;
	h->io_ms = now;
}

static void hist_note(struct mon_pg_hist *h, uint32_t state, uint64_t now)
{
	if (h->state != state) {
		h->state = state;
		h->change_ms = now;
	}
	if (state & PG_STATE_ACTIVE)
		h->active_ms = now;
	if ((state & PG_STATE_ACTIVE) && (state & PG_STATE_CLEAN))
		h->clean_ms = now;
	if (!(state & PG_STATE_UNDERSIZED))
		h->fullsized_ms = now;
	if (!(state & PG_STATE_DEGRADED))
		h->undegraded_ms = now;
}

int mon_pgmap_report(struct mon_pgmap *pm, struct mon_pg_stats *s, uint64_t now_ms)
{
	struct mon_pg_report *r;

	if (s->osd < 0 || s->osd >= MAX_REPORT_OSD)
		return -EINVAL;
	if (s->osd >= pm->n_osds) {
		int32_t n = s->osd + 1;
		struct mon_pg_report *v = realloc(pm->reports, (size_t)n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		memset(v + pm->n_osds, 0, (size_t)(n - pm->n_osds) * sizeof(*v));
		pm->reports = v;
		pm->n_osds = n;
	}
	r = &pm->reports[s->osd];
	free(r->st.pgs);
	r->st = *s;
	r->have = true;
	r->recv_ms = now_ms;
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < r->st.n_pgs; i++) {
		const struct mon_pg_stat *p = &r->st.pgs[i];
		struct mon_pg_hist *h;

		if (p->pool < 0)
			continue;
		h = hist_get(pm, p->pool, p->ps, now_ms);
		if (!h)
			return -ENOMEM;
		hist_note(h, p->state, now_ms);
		hist_io(h, r->st.osd, p, now_ms);
	}
	pm->n_received++;
	return 0;
}

/* ---- the digest ---- */

struct best {
	int64_t pool; /* NO_POOL: empty */
	uint32_t ps;
	int32_t reporter; /* part of the key in the by-reporter index */
	const struct mon_pg_stat *stat;
};

/* Two indexes of every reported PG entry: by (pool, ps, reporter), and
 * by (pool, ps) keeping the newest report (the stale fallback). */
struct report_index {
	size_t cap;
	struct best *by_osd, *newest;
};

static struct best *best_slot(struct best *t, size_t cap, int64_t pool, uint32_t ps,
			      int32_t reporter)
{
	size_t i = (pg_hash(pool, ps) ^ (size_t)reporter * 0x9E3779B1u) & (cap - 1);

	while (t[i].pool != NO_POOL &&
	       !(t[i].pool == pool && t[i].ps == ps && t[i].reporter == reporter))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static struct best *newest_slot(struct best *t, size_t cap, int64_t pool, uint32_t ps)
{
	size_t i = pg_hash(pool, ps) & (cap - 1);

	while (t[i].pool != NO_POOL && !(t[i].pool == pool && t[i].ps == ps))
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static int index_reports(const struct mon_pgmap *pm, struct report_index *ix)
{
	size_t n = 0, cap = 16;

	for (int32_t o = 0; o < pm->n_osds; o++)
		if (pm->reports[o].have)
			n += pm->reports[o].st.n_pgs;
	while (cap < n * 2)
		cap <<= 1;
	ix->cap = cap;
	ix->by_osd = malloc(cap * sizeof(*ix->by_osd));
	ix->newest = malloc(cap * sizeof(*ix->newest));
	if (!ix->by_osd || !ix->newest)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		ix->by_osd[i].pool = ix->newest[i].pool = NO_POOL;
	for (int32_t o = 0; o < pm->n_osds; o++) {
		const struct mon_pg_report *r = &pm->reports[o];

		if (!r->have)
			continue;
		for (size_t i = 0; i < r->st.n_pgs; i++) {
			const struct mon_pg_stat *p = &r->st.pgs[i];
			struct best *b;

			if (p->pool < 0) /* no such pool; and NO_POOL marks empty slots */
				continue;
			b = best_slot(ix->by_osd, cap, p->pool, p->ps, o);

			*b = (struct best){ p->pool, p->ps, o, p };
			/* Only a primary's own word (it heads its acting set). */
			if (!p->n_acting || p->acting[0] != o)
				continue;
			b = newest_slot(ix->newest, cap, p->pool, p->ps);
			if (b->pool != NO_POOL && b->stat->epoch > p->epoch)
				continue;
			*b = (struct best){ p->pool, p->ps, o, p };
		}
	}
	return 0;
}

static bool same_acting(const struct mon_pg_stat *s, const struct osdmap_pg_mapping *mp)
{
	if (s->n_acting != mp->n_acting)
		return false;
	for (int i = 0; i < mp->n_acting; i++)
		if (s->acting[i] != mp->acting[i])
			return false;
	return true;
}

/* Is this report from its sender's current incarnation, fresh, and the
 * sender up? */
static bool reporter_live(const struct mon_pgmap *pm, const struct osdmap *m, int32_t osd,
			  uint64_t now)
{
	const struct mon_pg_report *r = &pm->reports[osd];

	return osdmap_is_up(m, osd) && r->st.epoch >= m->osds[osd].up_from &&
	       now - r->recv_ms <= MON_PG_REPORT_STALE_MS;
}

static uint64_t since(uint64_t now, uint64_t last, uint64_t first)
{
	uint64_t t = last > first ? last : first;

	return now > t ? now - t : 0;
}

static uint32_t said(const struct mon_pg_stat *s)
{
	return s->state & ~(PG_STATE_UNKNOWN | MON_PG_STATE_STALE);
}

static void classify(struct mon_pgmap *pm, const struct osdmap *m, const struct report_index *ix,
		     uint64_t now, struct mon_pg_info *pg)
{
	const struct mon_pg_hist *h;
	const struct best *b;
	int32_t primary = pg->map.acting_primary;

	pg->state = PG_STATE_UNKNOWN;
	pg->stat = NULL;
	pg->reporter = -1;
	b = primary >= 0 ? best_slot(ix->by_osd, ix->cap, pg->pool, pg->ps, primary) : NULL;
	if (b && b->pool == NO_POOL)
		b = NULL;
	if (b && reporter_live(pm, m, primary, now)) {
		/* Note 1: the current primary's word on the current mapping. */
		if (same_acting(b->stat, &pg->map)) {
			pg->state = said(b->stat);
			pg->stat = b->stat;
			pg->reporter = primary;
		}
	} else if (b) {
		/* Note 2: the primary restarted or fell silent. */
		pg->state = said(b->stat) | MON_PG_STATE_STALE;
		pg->stat = b->stat;
		pg->reporter = primary;
	} else {
		/* Note 2: the last word about it, if its speaker is gone. */
		b = newest_slot(ix->newest, ix->cap, pg->pool, pg->ps);
		if (b->pool != NO_POOL && !reporter_live(pm, m, b->reporter, now)) {
			pg->state = said(b->stat) | MON_PG_STATE_STALE;
			pg->stat = b->stat;
			pg->reporter = b->reporter;
		}
	}
	h = hist_get(pm, pg->pool, pg->ps, now);
	if (!h)
		return;
	if (!(pg->state & PG_STATE_ACTIVE))
		pg->inactive_ms = since(now, h->active_ms, h->first_ms);
	if (!(pg->state & PG_STATE_CLEAN) || !(pg->state & PG_STATE_ACTIVE))
		pg->unclean_ms = since(now, h->clean_ms, h->first_ms);
	if (pg->state & PG_STATE_UNDERSIZED)
		pg->undersized_ms = since(now, h->fullsized_ms, h->first_ms);
	if (pg->state & PG_STATE_DEGRADED)
		pg->degraded_ms = since(now, h->undegraded_ms, h->first_ms);
	pg->since_ms = now >= h->change_ms ? now - h->change_ms : 0;
	for (int k = 0; k < MON_IO_N; k++)
		pg->io_rate[k] = h->io_ms && now - h->io_ms <= MON_PG_IO_FRESH_MS ? h->io_rate[k]
										 : 0;
	pg->first_wall_ms = h->first_wall_ms;
}

/* Add the devices under `item` with their share of its weight. */
static void rule_devices(const struct crush_map *cm, int32_t item, double share, double *w,
			 int32_t max_osd, int depth)
{
	const struct crush_bucket *b;

	if (item >= 0) {
		if (item < max_osd)
			w[item] += share;
		return;
	}
	b = crush_map_bucket(cm, item);
	if (!b || !b->weight || depth > 64)
		return;
	for (uint32_t i = 0; i < b->size; i++)
		if (b->item_weights[i])
			rule_devices(cm, b->items[i], share * b->item_weights[i] / b->weight, w,
				     max_osd, depth + 1);
}

/*
 * What a client may still write to a pool: over the OSDs its rule can
 * pick, the least (space above the full ratio's reserve) / (the OSD's
 * share of the rule's weight), divided by the replica count.
 */
static int64_t pool_max_avail(const struct osdmap *m, const struct mon_pg_digest *d,
			      const struct osdmap_pool *p, double *w)
{
	const struct crush_map *cm = m->crush;
	const struct crush_rule *rule;
	double best = -1, total = 0;
	int ntake = 0;

	if (p->crush_rule < 0 || (uint32_t)p->crush_rule >= cm->max_rules ||
	    !(rule = cm->rules[p->crush_rule]) || !m->max_osd)
		return 0;
	memset(w, 0, (size_t)m->max_osd * sizeof(*w));
	for (uint32_t i = 0; i < rule->len; i++) {
		if (rule->steps[i].op == CRUSH_RULE_TAKE) {
			rule_devices(cm, rule->steps[i].arg1, 1.0, w, m->max_osd, 0);
			ntake++;
		}
	}
	for (int32_t o = 0; o < m->max_osd; o++)
		total += w[o];
	if (total <= 0)
		return 0;
	for (int32_t o = 0; o < m->max_osd; o++) {
		const struct mon_pg_stats *s = d->osds[o].st;
		double avail, proj;

		if (w[o] <= 0 || !s || !s->kb || !osdmap_is_in(m, o))
			continue;
		avail = (double)s->kb_avail - (double)s->kb * (1.0 - (double)MON_OSD_FULL_RATIO);
		if (avail < 0)
			avail = 0;
		proj = avail * 1024.0 / (w[o] / total);
		if (best < 0 || proj < best)
			best = proj;
	}
	if (best < 0)
		return 0;
	best /= p->size ? p->size : 1;
	/* Hostile or absurd reports (kb near 2^64) must not overflow. */
	return best >= 9.2e18 ? INT64_MAX : (int64_t)best;
}

static int state_count_cmp(const void *a, const void *b)
{
	const struct mon_state_count *x = a, *y = b;
	char sx[256], sy[256];

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	mon_pg_state_str(x->state, sx, sizeof(sx));
	mon_pg_state_str(y->state, sy, sizeof(sy));
	return strcmp(sx, sy);
}

static int count_state(struct mon_pg_digest *d, uint32_t state, size_t *cap)
{
	for (size_t i = 0; i < d->n_states; i++) {
		if (d->states[i].state == state) {
			d->states[i].count++;
			return 0;
		}
	}
	if (d->n_states == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct mon_state_count *v = realloc(d->states, nc * sizeof(*v));

		if (!v)
			return -ENOMEM;
		d->states = v;
		*cap = nc;
	}
	d->states[d->n_states].state = state;
	d->states[d->n_states].count = 1;
	d->n_states++;
	return 0;
}

static void add_pg(struct mon_pg_digest *d, struct mon_pool_digest *pd, const struct mon_pg_info *pg)
{
	const struct osdmap_pool *p = pd->pool;
	uint32_t st = pg->state;

	pd->n_pgs++;
	if (pg->stat) {
		uint64_t objs = pg->stat->num_objects;

		pd->objects += objs;
		pd->bytes += pg->stat->num_bytes;
		pd->omap_keys += pg->stat->num_omap_keys;
		for (int k = 0; k < MON_IO_N; k++)
			pd->io_rate[k] += pg->io_rate[k];
		pd->rd += pg->stat->num_rd;
		pd->rd_bytes += pg->stat->num_rd_bytes;
		pd->wr += pg->stat->num_wr;
		pd->wr_bytes += pg->stat->num_wr_bytes;
		pd->log_size += pg->stat->log_version;
		pd->copies += objs * p->size;
		if ((st & PG_STATE_DEGRADED) && pg->map.n_acting < p->size)
			pd->degraded += objs * (uint64_t)(p->size - pg->map.n_acting);
	}
	if (st & PG_STATE_UNKNOWN)
		d->n_unknown++;
	if (!(st & PG_STATE_ACTIVE))
		d->n_inactive++;
	if (st & MON_PG_STATE_STALE)
		d->n_stale++;
	if (st & PG_STATE_PEERING)
		d->n_peering++;
	if (st & PG_STATE_DOWN)
		d->n_down++;
	if (st & PG_STATE_DEGRADED)
		d->n_degraded++;
	if (st & PG_STATE_UNDERSIZED)
		d->n_undersized++;
	for (int i = 0; i < pg->map.n_acting; i++) {
		int o = pg->map.acting[i];

		if (o >= 0 && o < d->max_osd)
			d->osds[o].pgs++;
	}
	if (pg->map.acting_primary >= 0 && pg->map.acting_primary < d->max_osd)
		d->osds[pg->map.acting_primary].primary_pgs++;
}

int mon_pg_digest_build(struct mon_pgmap *pm, const struct osdmap *m, uint64_t now_ms,
			struct mon_pg_digest *d)
{
	struct report_index ix = { 0 };
	size_t total = 0, k = 0, state_cap = 0;
	double *w = NULL;
	int r = -ENOMEM;

	memset(d, 0, sizeof(*d));
	d->epoch = m->epoch;
	d->max_osd = m->max_osd;
	for (size_t i = 0; i < m->n_pools; i++)
		total += m->pools[i].pg_num;
	/* Forget the history of PGs that no longer exist. */
	if (pm->hist_n > 2 * total + 1024 && hist_resize(pm, pm->hist_cap, m))
		return -ENOMEM;
	d->pgs = calloc(total ? total : 1, sizeof(*d->pgs));
	d->pools = calloc(m->n_pools ? m->n_pools : 1, sizeof(*d->pools));
	d->osds = calloc(m->max_osd ? (size_t)m->max_osd : 1, sizeof(*d->osds));
	w = calloc(m->max_osd ? (size_t)m->max_osd : 1, sizeof(*w));
	if (!d->pgs || !d->pools || !d->osds || !w || index_reports(pm, &ix))
		goto out_fail;
	for (int32_t o = 0; o < m->max_osd && o < pm->n_osds; o++) {
		const struct mon_pg_report *rep = &pm->reports[o];

		if (!rep->have || !osdmap_exists(m, o))
			continue;
		d->osds[o].st = &rep->st;
		if (!osdmap_is_up(m, o) && !osdmap_is_in(m, o))
			continue;
		d->kb += rep->st.kb;
		d->kb_used += rep->st.kb_used;
		d->kb_avail += rep->st.kb_avail;
		d->kb_used_data += rep->st.kb_used_data;
		d->kb_used_omap += rep->st.kb_used_omap;
		d->kb_used_meta += rep->st.kb_used_meta;
		d->n_osd_stats++;
	}
	d->n_pools = m->n_pools;
	for (size_t i = 0; i < m->n_pools; i++) {
		const struct osdmap_pool *p = &m->pools[i];
		struct mon_pool_digest *pd = &d->pools[i];

		pd->pool = p;
		for (uint32_t ps = 0; ps < p->pg_num; ps++) {
			struct mon_pg_info *pg = &d->pgs[k++];

			pg->pool = p->id;
			pg->ps = ps;
			r = osdmap_pg_to_up_acting(m, p->id, ps, &pg->map);
			if (r)
				goto out_fail;
			classify(pm, m, &ix, now_ms, pg);
			add_pg(d, pd, pg);
			r = count_state(d, pg->state, &state_cap);
			if (r)
				goto out_fail;
		}
		d->objects += pd->objects;
		d->bytes += pd->bytes;
		d->omap_keys += pd->omap_keys;
		d->copies += pd->copies;
		d->degraded += pd->degraded;
		for (int io = 0; io < MON_IO_N; io++)
			d->io_rate[io] += pd->io_rate[io];
	}
	d->n_pgs = k;
	for (size_t i = 0; i < m->n_pools; i++)
		d->pools[i].max_avail = pool_max_avail(m, d, d->pools[i].pool, w);
	if (d->n_states > 1)
		qsort(d->states, d->n_states, sizeof(*d->states), state_count_cmp);
	free(ix.by_osd);
	free(ix.newest);
	free(w);
	return 0;

out_fail:
	free(ix.by_osd);
	free(ix.newest);
	free(w);
	mon_pg_digest_release(d);
	return r;
}

void mon_pg_digest_release(struct mon_pg_digest *d)
{
	free(d->pgs);
	free(d->pools);
	free(d->osds);
	free(d->states);
	memset(d, 0, sizeof(*d));
}

const struct mon_pg_info *mon_pg_digest_find(const struct mon_pg_digest *d, int64_t pool,
					     uint32_t ps)
{
	size_t k = 0;

	for (size_t i = 0; i < d->n_pools; i++) {
		const struct osdmap_pool *p = d->pools[i].pool;

		if (p->id == pool)
			return ps < p->pg_num ? &d->pgs[k + ps] : NULL;
		k += p->pg_num;
	}
	return NULL;
}

/* ---- formatting ---- */

size_t mon_pg_state_str(uint32_t state, char *buf, size_t len)
{
	return pg_state_str(state, buf, len);
}

void mon_fmt_si(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "", "k", "M", "G", "T", "P", "E" };
	double v = (double)n;
	int u = 0;

	if (n < 1000) {
		snprintf(buf, len, "%" PRIu64, n);
		return;
	}
	while (v >= 1000 && u < 6) {
		v /= 1000;
		u++;
	}
	/* three significant digits, as Ceph's si_u_t */
	snprintf(buf, len, "%.*f%s", v < 10 ? 2 : v < 100 ? 1 : 0, v, units[u]);
}

bool mon_io_any(const double rate[MON_IO_N])
{
	for (int k = 0; k < MON_IO_N; k++)
		if (rate[k] >= 0.5)
			return true;
	return false;
}

void mon_fmt_io(const double rate[MON_IO_N], char *buf, size_t len)
{
	char rb[32] = "", wb[32] = "", ro[32], wo[32];
	uint64_t rdb = (uint64_t)(rate[MON_IO_RD_BYTES] + 0.5);
	uint64_t wrb = (uint64_t)(rate[MON_IO_WR_BYTES] + 0.5);

	if (rdb) {
		mon_fmt_bytes(rdb, rb, sizeof(rb));
		strcat(rb, "/s rd, ");
	}
	if (wrb) {
		mon_fmt_bytes(wrb, wb, sizeof(wb));
		strcat(wb, "/s wr, ");
	}
	mon_fmt_si((uint64_t)(rate[MON_IO_RD] + 0.5), ro, sizeof(ro));
	mon_fmt_si((uint64_t)(rate[MON_IO_WR] + 0.5), wo, sizeof(wo));
	snprintf(buf, len, "%s%s%s op/s rd, %s op/s wr", rb, wb, ro, wo);
}

void mon_fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u = 0;
	uint64_t n = bytes;

	while (n >= 1024 && u < 6) {
		n /= 1024;
		u++;
	}
	if (u == 0 || bytes % (1ull << (10 * u)) == 0) {
		snprintf(buf, len, "%" PRIu64 " %s", n, units[u]);
		return;
	}
	/* The most decimals (2, 1, 0) that keep the number within 3 places. */
	for (int prec = 2; prec >= 0; prec--) {
		char num[64];
		int w = snprintf(num, sizeof(num), "%.*f", prec,
				 (double)bytes / (double)(1ull << (10 * u)));

		if (w <= 3 || prec == 0) {
			snprintf(buf, len, "%s %s", num, units[u]);
			return;
		}
	}
}

void mon_fmt_pgid(int64_t pool, uint32_t ps, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRId64 ".%" PRIx32, pool, ps);
}

int mon_parse_pgid(const char *s, int64_t *pool, uint32_t *ps)
{
	char *end;
	long long p;
	unsigned long x;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	p = strtoll(s, &end, 10);
	if (errno || end == s || *end != '.' || p < 0)
		return -EINVAL;
	s = end + 1;
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	x = strtoul(s, &end, 16);
	if (errno || *end || x > UINT32_MAX)
		return -EINVAL;
	*pool = p;
	*ps = (uint32_t)x;
	return 0;
}
