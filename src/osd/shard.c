/*
 * The OSD's sharded work queues.  Every PG belongs to one shard (a hash of
 * its pool and seed); the shard's one worker thread runs everything that
 * touches its PGs in queue order: client ops, replica writes and their
 * replies, and new maps.  Per-PG ordering therefore needs no locks, and
 * the messenger's loop thread only decodes and queues (it never blocks on
 * the store).  Store calls may block a worker (fsync); the store shares
 * one sync among concurrent workers (group commit).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/internal.h"
#include "osdmap/placement.h"

void osd__item_free(struct osd_item *it)
{
	if (!it)
		return;
	if (it->type == OSD_ITEM_OP)
		osd_op_msg_release(&it->u.op);
	if (it->msg)
		msgr_msg_put(it->msg);
	osdmap_put(it->map);
	free(it);
}

unsigned osd__shard_of(const struct osd *osd, int64_t pool, uint32_t ps)
{
	uint64_t h = (uint64_t)pool * 1000003u + ps;

	return (unsigned)(h % osd->n_shards);
}

void osd__enqueue(struct osd_shard *sh, struct osd_item *it)
{
	it->next = NULL;
	pthread_mutex_lock(&sh->lock);
	if (sh->tail)
		sh->tail->next = it;
	else
		sh->head = it;
	sh->tail = it;
	pthread_cond_signal(&sh->cond);
	pthread_mutex_unlock(&sh->lock);
}

/* ---- the PG table (sorted array; changed under sh->lock) ---- */

static int pg_cmp(int64_t pool, uint32_t ps, const struct osd_pg *pg)
{
	if (pool != pg->pool)
		return pool < pg->pool ? -1 : 1;
	if (ps != pg->ps)
		return ps < pg->ps ? -1 : 1;
	return 0;
}

static size_t pg_lower_bound(const struct osd_shard *sh, int64_t pool, uint32_t ps)
{
	size_t lo = 0, hi = sh->n_pgs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pg_cmp(pool, ps, sh->pgs[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct osd_pg *osd__shard_pg(struct osd_shard *sh, int64_t pool, uint32_t ps)
{
	size_t i = pg_lower_bound(sh, pool, ps);

	if (i < sh->n_pgs && pg_cmp(pool, ps, sh->pgs[i]) == 0)
		return sh->pgs[i];
	return NULL;
}

int osd__shard_pg_insert(struct osd_shard *sh, struct osd_pg *pg)
{
	size_t i = pg_lower_bound(sh, pg->pool, pg->ps);

	if (sh->n_pgs == sh->cap_pgs) {
		size_t cap = sh->cap_pgs ? sh->cap_pgs * 2 : 64;
		struct osd_pg **p = realloc(sh->pgs, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		pthread_mutex_lock(&sh->lock);
		sh->pgs = p;
		sh->cap_pgs = cap;
		pthread_mutex_unlock(&sh->lock);
	}
	pthread_mutex_lock(&sh->lock);
	memmove(&sh->pgs[i + 1], &sh->pgs[i], (sh->n_pgs - i) * sizeof(*sh->pgs));
	sh->pgs[i] = pg;
	sh->n_pgs++;
	pthread_mutex_unlock(&sh->lock);
	return 0;
}

void osd__shard_pg_remove(struct osd_shard *sh, struct osd_pg *pg)
{
	size_t i = pg_lower_bound(sh, pg->pool, pg->ps);

	if (i >= sh->n_pgs || sh->pgs[i] != pg)
		return;
	pthread_mutex_lock(&sh->lock);
	memmove(&sh->pgs[i], &sh->pgs[i + 1], (sh->n_pgs - i - 1) * sizeof(*sh->pgs));
	sh->n_pgs--;
	pthread_mutex_unlock(&sh->lock);
}

/* ---- map processing ---- */

/* A deleted pool: drop the PG's objects in batches, then its collection. */
static void pg_delete(struct osd_shard *sh, struct osd_pg *pg)
{
	struct osd *osd = sh->osd;
	bool more = true;
	int r = 0;

	dout(1, "pg %s: pool deleted, removing the PG", pg->pgid);
	pg->deleting = true;
	osd__pg_requeue(sh, &pg->wait_active, &pg->wait_active_tail);
	osd__pg_requeue(sh, &pg->wait_commit, &pg->wait_commit_tail);
	while (more && !r) {
		struct os_txn *t = os_txn_create();
		char **names = NULL;
		size_t n = 0;

		if (!t) {
			r = -ENOMEM;
			break;
		}
		r = os_list_objects(osd->store, pg->cid, NULL, 256, &names, &n, &more);
		for (size_t i = 0; !r && i < n; i++)
			r = os_txn_remove(t, pg->cid, names[i]);
		if (!r && !more)
			r = os_txn_remove_collection(t, pg->cid);
		if (!r)
			r = os_txn_apply(osd->store, t);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		os_txn_destroy(t);
	}
	if (r && r != -ENOENT)
		dout(0, "pg %s: removing its objects failed: %s", pg->pgid, strerror(-r));
	osd__shard_pg_remove(sh, pg);
	osd__pg_destroy(pg);
}

static bool in_sets(const struct osdmap_pg_mapping *mp, int who)
{
	for (int i = 0; i < mp->n_up; i++)
		if (mp->up[i] == who)
			return true;
	for (int i = 0; i < mp->n_acting; i++)
		if (mp->acting[i] == who)
			return true;
	return false;
}

void osd__shard_advance_map(struct osd_shard *sh, struct osdmap *map)
{
	struct osd *osd = sh->osd;
	struct os_txn *t;
	struct osd_pg **changed = NULL;
	size_t n_changed = 0;
	bool dirty = false;
	int r;

	if (sh->map && map->epoch <= sh->map->epoch)
		return;
	t = os_txn_create();
	if (!t)
		goto out_fail;
	/* PGs the map gives us that we do not have yet. */
	for (size_t i = 0; i < map->n_pools; i++) {
		const struct osdmap_pool *p = &map->pools[i];

		if (p->type != POOL_TYPE_REPLICATED)
			continue;
		for (uint32_t ps = 0; ps < p->pg_num; ps++) {
			struct osdmap_pg_mapping mp;
			struct osd_pg *pg;

			if (osd__shard_of(osd, p->id, ps) != sh->idx || osd__shard_pg(sh, p->id, ps))
				continue;
			if (osdmap_pg_to_up_acting(map, p->id, ps, &mp) < 0 ||
			    !in_sets(&mp, osd->whoami))
				continue;
			if (osd__pg_create(osd, p->id, ps, &pg))
				goto out_fail;
			if (os_collection_exists(osd->store, pg->cid))
				r = osd__pg_load(osd, pg);
			else
				r = osd__pg_txn_init(pg, t);
			if (!r)
				r = osd__shard_pg_insert(sh, pg);
			if (r) {
				osd__pg_destroy(pg);
				goto out_fail;
			}
			dirty = true;
			dout(5, "pg %s: created at e%u", pg->pgid, map->epoch);
		}
	}
	changed = calloc(sh->n_pgs + 1, sizeof(*changed));
	if (!changed)
		goto out_fail;
	for (size_t i = 0; i < sh->n_pgs;) {
		struct osd_pg *pg = sh->pgs[i];
		bool ni;

		if (!osdmap_pool_by_id(map, pg->pool)) {
			pg_delete(sh, pg);
			continue; /* the table shifted down */
		}
		/* Under the lock: the tick reads the sets and state. */
		pthread_mutex_lock(&sh->lock);
		ni = osd__pg_advance(osd, pg, map);
		pthread_mutex_unlock(&sh->lock);
		if (ni) {
			if (osd__pg_txn_info(pg, t))
				goto out_fail;
			changed[n_changed++] = pg;
			dirty = true;
		}
		i++;
	}
	if (dirty) {
		r = os_txn_apply(osd->store, t);
		if (r) {
			dout(0, "cannot persist PG state for e%u: %s", map->epoch, strerror(-r));
			abort(); /* the store failed: nothing below can be trusted */
		}
	}
	os_txn_destroy(t);
	t = NULL;
	/* The new map before resending: peers' addresses come from it. */
	pthread_mutex_lock(&sh->lock);
	osdmap_put(sh->map);
	sh->map = osdmap_get(map);
	pthread_mutex_unlock(&sh->lock);
	for (size_t i = 0; i < n_changed; i++)
		osd__repl_new_interval(sh, changed[i]);
	for (size_t i = 0; i < sh->n_pgs; i++) {
		struct osd_pg *pg = sh->pgs[i];
		if (pg->role != PG_ROLE_PRIMARY || osd__pg_is_active(pg))
			osd__pg_requeue(sh, &pg->wait_active, &pg->wait_active_tail);
	}
	free(changed);
	atomic_store(&osd->stats_dirty, true);
	return;

out_fail:
	dout(0, "shard %u: out of memory processing e%u", sh->idx, map->epoch);
	abort();
}

/* ---- workers ---- */

static void *worker(void *arg)
{
	struct osd_shard *sh = arg;

	for (;;) {
		struct osd_item *it;

		pthread_mutex_lock(&sh->lock);
		if (!sh->head && !osd__batch_empty(sh)) {
			/* The queue ran dry: commit what it left (batch.c). */
			pthread_mutex_unlock(&sh->lock);
			osd__batch_flush(sh);
			continue;
		}
		while (!sh->head && !sh->stop)
			pthread_cond_wait(&sh->cond, &sh->lock);
		if (sh->stop) {
			pthread_mutex_unlock(&sh->lock);
			osd__batch_flush(sh);
			break;
		}
		it = sh->head;
		sh->head = it->next;
		if (!sh->head)
			sh->tail = NULL;
		pthread_mutex_unlock(&sh->lock);
		it->next = NULL;
		switch (it->type) {
		case OSD_ITEM_OP:
			osd__op_handle(sh, it);
			break;
		case OSD_ITEM_REPOP:
			osd__repl_handle_repop(sh, it);
			break;
		case OSD_ITEM_REPOP_REPLY:
			osd__repl_handle_reply(sh, it);
			break;
		case OSD_ITEM_MAP:
			osd__batch_flush(sh); /* batch.c, invariant 2 */
			osd__shard_advance_map(sh, it->map);
			osd__item_free(it);
			break;
		}
	}
	return NULL;
}

int osd__shards_start(struct osd *osd)
{
	for (unsigned i = 0; i < osd->n_shards; i++) {
		struct osd_shard *sh = &osd->shards[i];
		int r = pthread_create(&sh->thread, NULL, worker, sh);
		if (r)
			return -r;
		sh->started = true;
	}
	return 0;
}

void osd__shards_stop(struct osd *osd)
{
	for (unsigned i = 0; i < osd->n_shards; i++) {
		struct osd_shard *sh = &osd->shards[i];

		pthread_mutex_lock(&sh->lock);
		sh->stop = true;
		pthread_cond_broadcast(&sh->cond);
		pthread_mutex_unlock(&sh->lock);
	}
	for (unsigned i = 0; i < osd->n_shards; i++) {
		struct osd_shard *sh = &osd->shards[i];

		if (sh->started)
			pthread_join(sh->thread, NULL);
		sh->started = false;
	}
}

void osd__shards_release(struct osd *osd)
{
	for (unsigned i = 0; i < osd->n_shards; i++) {
		struct osd_shard *sh = &osd->shards[i];
		struct osd_item *it;

		while ((it = sh->head)) {
			sh->head = it->next;
			osd__item_free(it);
		}
		sh->tail = NULL;
		for (size_t j = 0; j < sh->n_pgs; j++)
			osd__pg_destroy(sh->pgs[j]);
		free(sh->pgs);
		sh->pgs = NULL;
		sh->n_pgs = sh->cap_pgs = 0;
		osdmap_put(sh->map);
		sh->map = NULL;
		osd__batch_release(sh);
	}
}
