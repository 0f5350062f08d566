/*
 * Group commit on a shard: the writes its worker accepted while its queue
 * was busy are applied to the store as one unit (one RocksDB batch, one
 * sync) and only then acknowledged.  Sixteen writes in flight on one
 * object (fio's rados engine) or on one PG cost one sync, not sixteen,
 * and the worker never waits for the disk between two writes.
 *
 * DESIGN NOTES
 *
 * Entries are kept in acceptance order; os_txn_apply_many() applies them
 * in that order, so each write sees the ones before it, exactly as if
 * applied one by one.  Per PG, the in-memory info (last_update,
 * last_complete, log_tail) already reflects every batched write
 * (pg->batch_info keeps the state before the first), and ONE meta txn per
 * PG at the end of the unit removes the trimmed log entries and writes
 * the info: the log entries, objects and info of a PG stay one atomic
 * unit (pg.c, invariant 1).
 *
 * Invariants:
 *  1. Nothing in a batch is acknowledged (client reply, REPOP_REPLY) or
 *     entered in the dup index before the unit is durable.  The primary's
 *     in-flight record stays local_pending until then, so repl.c cannot
 *     complete it on replica answers alone.
 *  2. The batch is flushed before anything that must see the store as the
 *     batch leaves it: a new map (intervals, PG removal), a message that
 *     reads an object with batched writes, the worker stopping.
 *  3. If the unit fails (a replica that missed writes lacks an object a
 *     repop assumes), nothing of it was applied; the entries are then
 *     applied one by one (each with its own meta), and a replica entry
 *     that does not apply keeps only its log entry and leaves its PG
 *     incomplete from there on (repl.c's rule for a single repop).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osd/internal.h"

#define BATCH_MAX_ENTRIES 64
#define BATCH_MAX_BYTES (16u << 20)

enum ent_kind { ENT_PRIMARY, ENT_REPLICA };

struct batch_ent {
	enum ent_kind kind;
	struct osd_pg *pg;
	struct os_txn *t;
	struct osd_pg_info info_after; /* the PG's info once this entry is in */
	struct osd_inflight *f;        /* primary */
	struct osd_item *it;           /* the client op or the repop: t may
					* borrow its message's data */
	bool contiguous;               /* replica */
};

struct osd_batch {
	struct batch_ent *ents;
	size_t n;
	struct osd_batch_obj *objs;
	size_t nobjs;
	uint64_t bytes;
	struct os_txn **units; /* scratch for os_txn_apply_many */
};

int osd__batch_init(struct osd_shard *sh)
{
	struct osd_batch *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	b->ents = calloc(BATCH_MAX_ENTRIES, sizeof(*b->ents));
	b->objs = calloc(BATCH_MAX_ENTRIES, sizeof(*b->objs));
	/* every entry, plus one meta txn per PG */
	b->units = calloc(2 * BATCH_MAX_ENTRIES, sizeof(*b->units));
	if (!b->ents || !b->objs || !b->units) {
		free(b->ents);
		free(b->objs);
		free(b->units);
		free(b);
		return -ENOMEM;
	}
	sh->batch = b;
	return 0;
}

static void objs_clear(struct osd_batch *b)
{
	for (size_t i = 0; i < b->nobjs; i++)
		free(b->objs[i].soid);
	b->nobjs = 0;
}

/* After the workers stopped (they flush first): frees what is left. */
void osd__batch_release(struct osd_shard *sh)
{
	struct osd_batch *b = sh->batch;

	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		os_txn_destroy(b->ents[i].t);
		osd__item_free(b->ents[i].it);
	}
	objs_clear(b);
	free(b->ents);
	free(b->objs);
	free(b->units);
	free(b);
	sh->batch = NULL;
}

bool osd__batch_empty(const struct osd_shard *sh)
{
	return sh->batch->n == 0;
}

const struct osd_batch_obj *osd__batch_obj(const struct osd_shard *sh,
					   const struct osd_pg *pg, const char *soid)
{
	const struct osd_batch *b = sh->batch;

	for (size_t i = 0; i < b->nobjs; i++)
		if (b->objs[i].pg == pg && !strcmp(b->objs[i].soid, soid))
			return &b->objs[i];
	return NULL;
}

static bool full(const struct osd_batch *b)
{
	return b->n >= BATCH_MAX_ENTRIES || b->bytes >= BATCH_MAX_BYTES;
}

static struct batch_ent *ent_add(struct osd_shard *sh, enum ent_kind kind, struct osd_pg *pg,
				 struct os_txn *t)
{
	struct osd_batch *b = sh->batch;
	struct batch_ent *e = &b->ents[b->n++];

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->pg = pg;
	e->t = t;
	b->bytes += os_txn_data_bytes(t) + 256;
	return e;
}

/* pg->info is about to change for a batched write. */
static void pg_enter(struct osd_pg *pg)
{
	if (!pg->batched) {
		pg->batched = true;
		pg->batch_info = pg->info;
	}
}

void osd__batch_add_primary(struct osd_shard *sh, struct osd_pg *pg, struct osd_item *it,
			    struct os_txn *t, struct osd_inflight *f,
			    const struct osd_batch_obj *after)
{
	struct osd_batch *b = sh->batch;
	struct osd_batch_obj *o = (struct osd_batch_obj *)osd__batch_obj(sh, pg, after->soid);
	struct batch_ent *e;

	if (!o) {
		char *soid = strdup(after->soid);

		if (!soid) {
			dout(0, "pg %s: out of memory batching a write", pg->pgid);
			abort();
		}
		o = &b->objs[b->nobjs++];
		o->pg = pg;
		o->soid = soid;
	}
	o->exists = after->exists;
	o->size = after->size;
	o->ver = after->ver;
	pg_enter(pg);
	osd__pg_trim_advance(pg);
	e = ent_add(sh, ENT_PRIMARY, pg, t);
	e->it = it;
	e->f = f;
	e->info_after = pg->info;
	f->local_pending = true;
	if (full(b))
		osd__batch_flush(sh);
}

void osd__batch_add_replica(struct osd_shard *sh, struct osd_pg *pg, struct osd_item *it,
			    struct os_txn *t, bool contiguous)
{
	const struct osd_repop *rp = &it->u.repop;
	struct batch_ent *e;

	pg_enter(pg);
	pg->info.last_update = rp->entry.version;
	if (contiguous)
		pg->info.last_complete = rp->entry.version;
	osd__pg_trim_advance(pg);
	e = ent_add(sh, ENT_REPLICA, pg, t);
	e->it = it;
	e->contiguous = contiguous;
	e->info_after = pg->info;
	if (full(sh->batch))
		osd__batch_flush(sh);
}

static void die(const struct osd_pg *pg, int r)
{
	dout(0, "pg %s: the store failed applying a batch of writes: %s; stopping", pg->pgid,
	     strerror(-r));
	abort();
}

/* The unit: every entry's txn, then one meta txn per PG. */
static int apply_unit(struct osd_shard *sh)
{
	struct osd_batch *b = sh->batch;
	size_t n = 0, nmeta = 0;
	int r = 0;

	for (size_t i = 0; i < b->n; i++)
		b->units[n++] = b->ents[i].t;
	for (size_t i = 0; i < b->n && !r; i++) {
		struct osd_pg *pg = b->ents[i].pg;
		struct os_txn *m;

		if (!pg->batched)
			continue; /* its meta is already in the unit */
		pg->batched = false;
		m = os_txn_create();
		r = m ? osd__pg_txn_meta(pg, &pg->info, pg->batch_info.log_tail, m) : -ENOMEM;
		if (m)
			b->units[n + nmeta++] = m;
	}
	if (!r) {
		uint64_t t0 = osd__now_ns();

		r = os_txn_apply_many(sh->osd->store, b->units, n + nmeta);
		atomic_fetch_add(&sh->osd->commit_ns, osd__now_ns() - t0);
		atomic_fetch_add(&sh->osd->commits, 1);
	}
	for (size_t i = 0; i < nmeta; i++)
		os_txn_destroy(b->units[n + i]);
	for (size_t i = 0; i < b->n; i++)
		b->ents[i].pg->batched = true; /* undone by the caller */
	return r;
}

/* Invariant 3: one by one, each with the meta of its own info. */
static void apply_each(struct osd_shard *sh)
{
	struct osd_batch *b = sh->batch;

	for (size_t i = 0; i < b->n; i++)
		b->ents[i].pg->info = b->ents[i].pg->batch_info;
	for (size_t i = 0; i < b->n; i++) {
		struct batch_ent *e = &b->ents[i];
		struct osd_pg *pg = e->pg;
		struct osd_pg_info info = e->info_after;
		struct os_txn *m = os_txn_create(), *u[2] = { e->t, m };
		int r;

		/* An earlier entry of this PG that did not apply left the PG
		 * incomplete: so is everything after it. */
		if (osd_eversion_cmp(pg->info.last_complete, pg->info.last_update))
			info.last_complete = pg->info.last_complete;
		r = m ? osd__pg_txn_meta(pg, &info, pg->info.log_tail, m) : -ENOMEM;
		if (!r)
			r = os_txn_apply_many(sh->osd->store, u, 2);
		os_txn_destroy(m);
		if (r && e->kind == ENT_REPLICA &&
		    (r == -ENOENT || r == -EEXIST || r == -ENODATA)) {
			const struct osd_repop *rp = &e->it->u.repop;

			dout(1, "pg %s: v%llu does not apply here (%s): object %s left for recovery",
			     pg->pgid, (unsigned long long)rp->entry.version.version,
			     strerror(-r), rp->entry.soid);
			info.last_complete = pg->info.last_complete;
			m = os_txn_create();
			r = m ? osd__pg_txn_log(pg, &rp->entry, m) : -ENOMEM;
			if (!r)
				r = osd__pg_txn_meta(pg, &info, pg->info.log_tail, m);
			if (!r)
				r = os_txn_apply(sh->osd->store, m);
			os_txn_destroy(m);
		}
		if (r)
			die(pg, r);
		pg->info = info;
	}
}

void osd__batch_flush(struct osd_shard *sh)
{
	struct osd_batch *b = sh->batch;
	int r;

	if (!b->n)
		return;
	r = apply_unit(sh);
	if (r) {
		dout(1, "shard %u: a batch of %zu writes did not apply as one (%s); "
			"applying them one by one", sh->idx, b->n, strerror(-r));
		apply_each(sh);
	}
	for (size_t i = 0; i < b->n; i++)
		b->ents[i].pg->batched = false;
	objs_clear(b);
	b->bytes = 0;
	/* Invariant 1: durable; acknowledge in order. */
	for (size_t i = 0; i < b->n; i++) {
		struct batch_ent *e = &b->ents[i];

		os_txn_destroy(e->t);
		e->t = NULL;
		if (e->kind == ENT_PRIMARY) {
			const struct osd_repop *rp = &e->f->rp;

			osd__pg_dup_add(e->pg, &e->f->reqid, rp->entry.version,
					rp->entry.user_version, 0);
			e->f->local_pending = false;
		} else {
			const struct osd_repop *rp = &e->it->u.repop;

			if (rp->entry.reqid.name[0])
				osd__pg_dup_add(e->pg, &rp->entry.reqid, rp->entry.version,
						rp->entry.user_version, rp->entry.result);
			osd__repl_send_repop_reply(sh, e->it->msg->conn, rp, 0);
		}
		osd__item_free(e->it);
		e->it = NULL;
	}
	for (size_t i = 0; i < b->n; i++) {
		struct osd_pg *pg = b->ents[i].pg;

		if (b->ents[i].kind == ENT_PRIMARY && !pg->batched) {
			pg->batched = true; /* once per PG */
			osd__repl_complete(sh, pg);
		}
	}
	for (size_t i = 0; i < b->n; i++)
		b->ents[i].pg->batched = false;
	b->n = 0;
}
