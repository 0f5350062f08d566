/*
 * Primary-copy replication.  The primary sends each accepted write to the
 * acting replicas as OSD_MSG_REPOP (the encoded store transaction plus
 * its log entry), applies it itself, and acknowledges the client once it
 * and every replica are durable (pg.c, invariants 4 and 5).  Replicas
 * apply repops in arrival order on the PG's shard and answer with
 * OSD_MSG_REPOP_REPLY once durable.  On a new interval the primary
 * resends what is still in flight to the members of the new acting set
 * that have not answered it, stamped with the new epoch; replicas drop
 * repops from older intervals and answer redelivered ones without
 * applying them twice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "osd/internal.h"

void osd__inflight_free(struct osd_inflight *f)
{
	if (!f)
		return;
	free(f->txn);
	msgr_payload_put(f->repop);
	free(f->soid);
	free(f->reply);
	if (f->client)
		msgr_conn_put(f->client);
	free(f);
}

bool osd__pg_obj_inflight(const struct osd_pg *pg, const char *soid)
{
	for (const struct osd_inflight *f = pg->inflight; f; f = f->next)
		if (!strcmp(f->soid, soid))
			return true;
	return false;
}

const struct osd_inflight *osd__pg_reqid_inflight(const struct osd_pg *pg,
						  const struct osd_reqid *id)
{
	for (const struct osd_inflight *f = pg->inflight; f; f = f->next)
		if (f->reqid.tid == id->tid && f->reqid.nonce == id->nonce &&
		    !strcmp(f->reqid.name, id->name))
			return f;
	return NULL;
}

static bool has(const int *set, int n, int who)
{
	for (int i = 0; i < n; i++)
		if (set[i] == who)
			return true;
	return false;
}

/* f's repop encoded at the PG's epoch, once for all its replicas; after
 * the first encoding the transaction's bytes live only there (f->rp.txn
 * points into the payload). */
static int repop_payload(struct osd_pg *pg, struct osd_inflight *f)
{
	struct msgr_payload *p;
	struct osd_repop dec;
	struct enc_buf b;
	uint8_t *data;
	size_t len;

	if (f->repop && f->rp.epoch == pg->map_epoch)
		return 0;
	f->rp.epoch = pg->map_epoch;
	f->rp.tid = f->rp.entry.version.version;
	enc_buf_init(&b);
	enc_buf_reserve(&b, f->rp.txnlen + 1024);
	if (osd_repop_encode(&f->rp, &b)) {
		enc_buf_release(&b);
		return -ENOMEM;
	}
	data = enc_buf_detach(&b, &len);
	p = data ? msgr_payload_new(data, len) : NULL;
	if (!p)
		return -ENOMEM;
	if (osd_repop_decode(data, len, &dec)) {
		dout(0, "pg %s: a repop we encoded does not decode", pg->pgid);
		abort();
	}
	f->rp.txn = dec.txn;
	f->rp.txnlen = dec.txnlen;
	free(f->txn);
	f->txn = NULL;
	msgr_payload_put(f->repop); /* after the re-encoding read from it */
	f->repop = p;
	return 0;
}

/* Sends f to every OSD in its waiting set, stamped with the PG's epoch. */
static void send_repops(struct osd_shard *sh, struct osd_pg *pg, struct osd_inflight *f)
{
	struct osd *osd = sh->osd;

	if (!f->n_waiting)
		return;
	if (repop_payload(pg, f)) {
		dout(0, "pg %s: out of memory encoding a repop", pg->pgid);
		abort();
	}
	for (int i = 0; i < f->n_waiting; i++) {
		struct msgr_conn *c = osd__peer_conn(osd, f->waiting[i], sh->map);
		int r;

		if (!c) {
			dout(1, "pg %s: no address for osd.%d; v%llu waits for the next map",
			     pg->pgid, f->waiting[i], (unsigned long long)f->rp.entry.version.version);
			continue;
		}
		r = msgr_send_shared(c, OSD_MSG_REPOP, f->repop);
		if (r)
			dout(1, "pg %s: sending v%llu to osd.%d: %s", pg->pgid,
			     (unsigned long long)f->rp.entry.version.version, f->waiting[i],
			     strerror(-r));
		msgr_conn_put(c);
	}
}

void osd__repl_start(struct osd_shard *sh, struct osd_pg *pg, struct osd_inflight *f)
{
	f->n_waiting = 0;
	for (int i = 0; i < pg->n_acting; i++)
		if (pg->acting[i] != sh->osd->whoami && pg->acting[i] >= 0)
			f->waiting[f->n_waiting++] = pg->acting[i];
	send_repops(sh, pg, f);
	f->next = NULL;
	if (pg->inflight_tail)
		pg->inflight_tail->next = f;
	else
		pg->inflight = f;
	pg->inflight_tail = f;
	pg->n_inflight++;
}

void osd__repl_complete(struct osd_shard *sh, struct osd_pg *pg)
{
	bool any = false;

	if (!osd__pg_is_active(pg))
		return;
	while (pg->inflight && pg->inflight->n_waiting == 0 && !pg->inflight->local_pending) {
		struct osd_inflight *f = pg->inflight;

		pg->inflight = f->next;
		if (!pg->inflight)
			pg->inflight_tail = NULL;
		pg->n_inflight--;
		msgr_send_take(f->client, OSD_MSG_OP_REPLY, f->reply, f->reply_len);
		f->reply = NULL;
		dout(15, "pg %s: v%llu acknowledged", pg->pgid,
		     (unsigned long long)f->rp.entry.version.version);
		osd__inflight_free(f);
		any = true;
	}
	if (any)
		osd__pg_requeue(sh, &pg->wait_commit, &pg->wait_commit_tail);
}

void osd__repl_new_interval(struct osd_shard *sh, struct osd_pg *pg)
{
	struct osd_inflight *f;

	if (pg->role != PG_ROLE_PRIMARY) {
		/* No longer primary: the client resends to the new one, which
		 * knows the write by its request id if it has it. */
		while ((f = pg->inflight)) {
			pg->inflight = f->next;
			osd__inflight_free(f);
		}
		pg->inflight_tail = NULL;
		pg->n_inflight = 0;
		osd__pg_requeue(sh, &pg->wait_commit, &pg->wait_commit_tail);
		osd__pg_requeue(sh, &pg->wait_active, &pg->wait_active_tail);
		return;
	}
	for (f = pg->inflight; f; f = f->next) {
		int waiting[OSDMAP_MAX_POOL_SIZE], n = 0;

		/* Who must still make it durable: the new acting replicas that
		 * have not answered (a restarted one has a new up_from and
		 * keeps what it answered: durable is durable). */
		for (int i = 0; i < pg->n_acting; i++) {
			int o = pg->acting[i];
			if (o == sh->osd->whoami || o < 0)
				continue;
			if (has(f->waiting, f->n_waiting, o) || !has(f->acked, f->n_acked, o))
				waiting[n++] = o;
		}
		memcpy(f->waiting, waiting, sizeof(waiting));
		f->n_waiting = n;
		send_repops(sh, pg, f);
	}
	osd__repl_complete(sh, pg);
}

static int peer_id(struct msgr_conn *c)
{
	const char *name = msgr_conn_peer_name(c);
	char *end;
	long id;

	if (strncmp(name, "osd.", 4))
		return -1;
	id = strtol(name + 4, &end, 10);
	if (*end || end == name + 4 || id < 0 || id >= OSDMAP_MAX_OSD)
		return -1;
	return (int)id;
}

void osd__repl_handle_reply(struct osd_shard *sh, struct osd_item *it)
{
	const struct osd_repop_reply *rr = &it->u.rr;
	int from = peer_id(it->msg->conn);
	struct osd_pg *pg = osd__shard_pg(sh, rr->pool, rr->ps);

	if (!pg || from < 0) {
		osd__item_free(it);
		return;
	}
	if (rr->result)
		dout(0, "pg %s: osd.%d failed v%llu: %s", pg->pgid, from,
		     (unsigned long long)rr->version.version, strerror(-rr->result));
	for (struct osd_inflight *f = pg->inflight; f; f = f->next) {
		if (f->rp.entry.version.version != rr->version.version)
			continue;
		for (int i = 0; i < f->n_waiting; i++) {
			if (f->waiting[i] != from)
				continue;
			f->waiting[i] = f->waiting[--f->n_waiting];
			if (f->n_acked < OSDMAP_MAX_POOL_SIZE)
				f->acked[f->n_acked++] = from;
			break;
		}
		break;
	}
	osd__item_free(it);
	osd__repl_complete(sh, pg);
}

void osd__repl_send_repop_reply(struct osd_shard *sh, struct msgr_conn *c,
				const struct osd_repop *rp, int result)
{
	struct osd_repop_reply rr = {
		.tid = rp->tid, .epoch = sh->map ? sh->map->epoch : 0, .pool = rp->pool,
		.ps = rp->ps, .result = result, .version = rp->entry.version,
	};
	struct enc_buf b;
	uint8_t *p;
	size_t len;

	enc_buf_init(&b);
	osd_repop_reply_encode(&rr, &b);
	p = enc_buf_detach(&b, &len);
	if (p)
		msgr_send_take(c, OSD_MSG_REPOP_REPLY, p, len);
}

void osd__repl_handle_repop(struct osd_shard *sh, struct osd_item *it)
{
	struct osd *osd = sh->osd;
	const struct osd_repop *rp = &it->u.repop;
	struct msgr_conn *conn = it->msg->conn;
	struct os_txn *t = NULL;
	struct osd_pg *pg;
	bool contiguous;
	unsigned target;
	int r;

	if (!sh->map || rp->epoch > sh->map->epoch) {
		osd__wait_for_map(osd, it, rp->epoch);
		return;
	}
	target = osd__shard_of(osd, rp->pool, rp->ps);
	if (target != sh->idx) {
		osd__enqueue(&osd->shards[target], it);
		return;
	}
	pg = osd__shard_pg(sh, rp->pool, rp->ps);
	if (!pg || pg->role != PG_ROLE_REPLICA || rp->epoch < pg->info.same_interval_since) {
		/* Invariant 5: from an older interval (the primary resends),
		 * or for a PG we no longer replicate. */
		dout(10, "repop %lld.%x v%llu e%u: stale (pg %s), dropped", (long long)rp->pool,
		     rp->ps, (unsigned long long)rp->entry.version.version, rp->epoch,
		     pg ? "older interval" : "not here");
		osd__item_free(it);
		return;
	}
	if (rp->entry.version.version <= pg->info.last_update.version) {
		/* Redelivered (invariant 3): durable here once the batch
		 * that may hold it is. */
		if (pg->batched)
			osd__batch_flush(sh);
		osd__repl_send_repop_reply(sh, conn, rp, 0);
		osd__item_free(it);
		return;
	}
	/* The batch keeps the item, so t may reference its data. */
	r = os_txn_decode_ref(rp->txn, rp->txnlen, &t);
	if (r) {
		dout(0, "pg %s: undecodable repop from %s: %s; closing", pg->pgid,
		     msgr_conn_peer_name(conn), strerror(-r));
		msgr_conn_close(conn);
		osd__item_free(it);
		return;
	}
	contiguous = rp->entry.version.version == pg->info.last_update.version + 1 &&
		     !osd_eversion_cmp(pg->info.last_complete, pg->info.last_update);
	if (!contiguous)
		dout(1, "pg %s: v%llu after v%llu: entries are missing here until recovery",
		     pg->pgid, (unsigned long long)rp->entry.version.version,
		     (unsigned long long)pg->info.last_update.version);
	/* Applied, answered and entered in the dup index with the shard's
	 * batch (batch.c).  A repop that does not apply here (this replica
	 * missed writes: ENOENT, EEXIST, ENODATA) keeps only its log entry
	 * and leaves the PG incomplete until recovery. */
	osd__batch_add_replica(sh, pg, it, t, contiguous);
}
