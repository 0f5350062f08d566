/*
 * Placement groups on this OSD: their state from the osdmap (role, up and
 * acting sets, intervals), their persistent metadata (info, stats, the PG
 * log) and the duplicate-request index.  Each PG belongs to one shard
 * (shard.c), whose worker thread is the only one to touch it.
 *
 * DESIGN NOTES
 *
 * Storage.  A PG is the store collection "<pool>.<ps hex>_head".  Beside
 * the objects (store names from osd_store_name(), which always contain
 * two \x01 separators) it holds the object "_pgmeta" (no separator, so no
 * client object can collide with it) whose omap keeps:
 *   "info"            this OSD's struct osd_pg_info (versioned body)
 *   "stats"           the primary's struct osd_pg_stats (replicated)
 *   "log.%020llu"     one osd_log_entry_encode() per write, keyed by the
 *                     entry's version counter so keys sort by version
 * Every object carries the internal xattr "ver" (its last eversion and
 * user version); user xattrs are stored as "_" + name, so internal names
 * (which never start with '_') cannot collide with them.
 *
 * Versions.  Each write the primary accepts gets the eversion
 * (epoch of the primary's map, ++counter of the PG).  The counter is
 * contiguous in a PG across epochs and primaries: a new primary continues
 * after its own last_update (peering, next milestone, will first make it
 * the newest of the acting set's).  user_version == the counter.
 *
 * Invariants:
 *  1. A write's data ops, its object's "ver" xattr, its log entry and the
 *     PG stats are one store transaction: replayed or lost together.  The
 *     same bytes (os_txn_encode) are applied by every replica, each adding
 *     its own "info" and log trim in the same transaction.
 *  2. info.last_update is the newest entry in this OSD's log; entries
 *     (log_tail, last_update] are in the omap; at most OSD_LOG_KEEP are
 *     kept (each write trims the oldest in its own transaction).
 *  3. info.last_complete <= last_update; they differ only on a replica that
 *     was handed a write with a gap before it (it missed writes while out
 *     of the acting set): the objects of the missing entries are stale
 *     here until recovery (next milestone) pulls them.  A replica applies
 *     a repop only when its version is above last_update (so redelivered
 *     repops are answered, not applied twice).
 *  4. The primary acknowledges a write only after its own apply and every
 *     acting replica's REPOP_REPLY, all durable; writes wait while the
 *     acting set is smaller than the pool's min_size.
 *  5. Every repop carries the epoch the primary sent it in; a replica
 *     drops repops older than its PG's current interval (the primary will
 *     resend them in the new interval) and parks those newer than its map.
 *  6. Each completed request id (client name, nonce, tid) of the log is in
 *     the dup index, so a resend is answered with its first result; a
 *     resend of a write still in flight waits for it.
 *
 * Intervals.  A new interval starts when the up or acting set, either
 * primary, the pool's size or min_size, or the up_from of an acting
 * member (it restarted) changes; info.same_interval_since is its first
 * epoch.  Past intervals are what peering will walk to find who may have
 * accepted writes; today the primary only reacts to a new interval by
 * resending its in-flight repops to the new acting set (repl.c) and
 * dropping those no longer needed.
 *
 * Life cycle (function doing each transition):
 *   (absent) --map puts us in up/acting: osd__shard_advance_map()-->
 *   CREATED (collection + pgmeta in one txn) --osd__pg_advance()-->
 *   PRIMARY | REPLICA | STRAY (role per map; PRIMARY is ACTIVE when
 *   acting >= min_size, else PEERED and parks ops) --pool deleted-->
 *   DELETING (objects removed in batches, then the collection) --> (absent)
 *   At start, osd__pg_load() rebuilds a PG from its collection.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "mon/mon_proto.h"
#include "osd/internal.h"

#define INFO_VERSION 1
#define STATS_VERSION 2

/* ---- creation and persistence ---- */

int osd__pg_create(struct osd *osd, int64_t pool, uint32_t ps, struct osd_pg **out)
{
	struct osd_pg *pg = calloc(1, sizeof(*pg));

	(void)osd;
	if (!pg)
		return -ENOMEM;
	pg->pool = pool;
	pg->ps = ps;
	osd_pg_coll(pool, ps, pg->cid, sizeof(pg->cid));
	osd_pgid_str(pool, ps, pg->pgid, sizeof(pg->pgid));
	pg->primary = pg->up_primary = -1;
	*out = pg;
	return 0;
}

static void free_items(struct osd_item *it)
{
	while (it) {
		struct osd_item *next = it->next;
		osd__item_free(it);
		it = next;
	}
}

void osd__pg_destroy(struct osd_pg *pg)
{
	struct osd_dup *d;
	struct osd_inflight *f;

	if (!pg)
		return;
	d = pg->dup_head;
	f = pg->inflight;
	while (d) {
		struct osd_dup *n = d->fnext;
		free(d);
		d = n;
	}
	while (f) {
		struct osd_inflight *n = f->next;
		osd__inflight_free(f);
		f = n;
	}
	free_items(pg->wait_commit);
	free_items(pg->wait_active);
	free(pg);
}

static void enc_ev(struct enc_buf *b, struct osd_eversion v)
{
	enc_put_u32(b, v.epoch);
	enc_put_u64(b, v.version);
}

static struct osd_eversion dec_ev(struct dec_cursor *c)
{
	struct osd_eversion v;
	v.epoch = dec_u32(c);
	v.version = dec_u64(c);
	return v;
}

int osd__pg_info_encode(const struct osd_pg_info *i, struct enc_buf *b)
{
	size_t mark = enc_start(b, INFO_VERSION, 1);

	enc_ev(b, i->last_update);
	enc_ev(b, i->last_complete);
	enc_put_u64(b, i->log_tail);
	enc_put_u32(b, i->same_interval_since);
	enc_put_u32(b, i->last_epoch_started);
	return enc_finish(b, mark);
}

int osd__pg_info_decode(const void *buf, size_t len, struct osd_pg_info *i)
{
	struct dec_cursor d, sub;
	uint8_t v;

	dec_init(&d, buf, len);
	if (dec_start(&d, INFO_VERSION, &v, &sub))
		return dec_error(&d);
	i->last_update = dec_ev(&sub);
	i->last_complete = dec_ev(&sub);
	i->log_tail = dec_u64(&sub);
	i->same_interval_since = dec_u32(&sub);
	i->last_epoch_started = dec_u32(&sub);
	return dec_finish(&d, &sub);
}

int osd__pg_stats_encode(const struct osd_pg_stats *s, struct enc_buf *b)
{
	size_t mark = enc_start(b, STATS_VERSION, 1);

	enc_put_u64(b, s->num_objects);
	enc_put_u64(b, s->num_bytes);
	enc_put_u64(b, s->last_user_version);
	enc_put_u64(b, s->num_rd);
	enc_put_u64(b, s->num_rd_bytes);
	enc_put_u64(b, s->num_wr);
	enc_put_u64(b, s->num_wr_bytes);
	return enc_finish(b, mark);
}

int osd__pg_stats_decode(const void *buf, size_t len, struct osd_pg_stats *s)
{
	struct dec_cursor d, sub;
	uint8_t v;

	dec_init(&d, buf, len);
	if (dec_start(&d, STATS_VERSION, &v, &sub))
		return dec_error(&d);
	s->num_objects = dec_u64(&sub);
	s->num_bytes = dec_u64(&sub);
	s->last_user_version = dec_u64(&sub);
	s->num_rd = s->num_rd_bytes = s->num_wr = s->num_wr_bytes = 0;
	if (v >= 2) {
		s->num_rd = dec_u64(&sub);
		s->num_rd_bytes = dec_u64(&sub);
		s->num_wr = dec_u64(&sub);
		s->num_wr_bytes = dec_u64(&sub);
	}
	return dec_finish(&d, &sub);
}

static void log_key(uint64_t version, char *buf, size_t len)
{
	snprintf(buf, len, "log.%020" PRIu64, version);
}

int osd__pg_txn_init(struct osd_pg *pg, struct os_txn *t)
{
	int r = os_txn_create_collection(t, pg->cid);

	if (!r)
		r = os_txn_touch(t, pg->cid, OSD_PGMETA_OID);
	if (!r)
		r = osd__pg_txn_info(pg, t);
	if (!r)
		r = osd__pg_txn_stats(pg, t);
	return r;
}

int osd__pg_txn_info(struct osd_pg *pg, struct os_txn *t)
{
	return osd__pg_txn_meta(pg, &pg->info, pg->info.log_tail, t);
}

int osd__pg_txn_meta(struct osd_pg *pg, const struct osd_pg_info *info, uint64_t old_tail,
		     struct os_txn *t)
{
	struct enc_buf b;
	char key[48];
	int r = 0;

	for (uint64_t v = old_tail + 1; v <= info->log_tail && !r; v++) {
		log_key(v, key, sizeof(key));
		r = os_txn_omap_rm(t, pg->cid, OSD_PGMETA_OID, key);
	}
	if (r)
		return r;
	enc_buf_init(&b);
	r = osd__pg_info_encode(info, &b);
	if (!r)
		r = os_txn_omap_set(t, pg->cid, OSD_PGMETA_OID, "info", b.data, b.len);
	enc_buf_release(&b);
	return r;
}

int osd__pg_txn_stats(struct osd_pg *pg, struct os_txn *t)
{
	struct enc_buf b;
	int r;

	enc_buf_init(&b);
	r = osd__pg_stats_encode(&pg->stats, &b);
	if (!r)
		r = os_txn_omap_set(t, pg->cid, OSD_PGMETA_OID, "stats", b.data, b.len);
	enc_buf_release(&b);
	return r;
}

int osd__pg_txn_log(struct osd_pg *pg, const struct osd_log_entry *e, struct os_txn *t)
{
	char key[48];
	struct enc_buf b;
	int r;

	enc_buf_init(&b);
	r = osd_log_entry_encode(e, &b);
	log_key(e->version.version, key, sizeof(key));
	if (!r)
		r = os_txn_omap_set(t, pg->cid, OSD_PGMETA_OID, key, b.data, b.len);
	enc_buf_release(&b);
	return r;
}

/* Invariant 2: trim the oldest entries beyond OSD_LOG_KEEP (at most a few
 * per write, so one write never carries a huge trim). */
void osd__pg_trim_advance(struct osd_pg *pg)
{
	for (int i = 0; i < 4; i++) {
		if (pg->info.last_update.version <= pg->info.log_tail ||
		    pg->info.last_update.version - pg->info.log_tail <= OSD_LOG_KEEP)
			break;
		pg->info.log_tail++;
	}
}

int osd__pg_txn_trim(struct osd_pg *pg, struct os_txn *t)
{
	uint64_t old_tail = pg->info.log_tail;
	char key[48];
	int r = 0;

	osd__pg_trim_advance(pg);
	for (uint64_t v = old_tail + 1; v <= pg->info.log_tail && !r; v++) {
		log_key(v, key, sizeof(key));
		r = os_txn_omap_rm(t, pg->cid, OSD_PGMETA_OID, key);
	}
	return r;
}

static int load_kv(struct osd *osd, struct osd_pg *pg, const char *key, void **val,
		   size_t *len)
{
	const char *keys[1] = { key };
	struct os_kv *kv = NULL;
	size_t n = 0;
	int r;

	r = os_omap_get_vals_by_keys(osd->store, pg->cid, OSD_PGMETA_OID, keys, 1, &kv, &n);
	if (r)
		return r;
	if (n == 0) {
		os_kvs_free(kv, n);
		return -ENOENT;
	}
	*val = kv[0].val;
	*len = kv[0].val_len;
	kv[0].val = NULL;
	os_kvs_free(kv, n);
	return 0;
}

int osd__pg_load(struct osd *osd, struct osd_pg *pg)
{
	char start[48] = "log.";
	struct os_kv *kv;
	size_t n, len;
	bool more = true;
	void *val;
	int r;

	r = load_kv(osd, pg, "info", &val, &len);
	if (r == 0) {
		r = osd__pg_info_decode(val, len, &pg->info);
		free(val);
	}
	if (r) {
		dout(0, "pg %s: cannot read its info: %s", pg->pgid, strerror(-r));
		return r;
	}
	r = load_kv(osd, pg, "stats", &val, &len);
	if (r == 0) {
		r = osd__pg_stats_decode(val, len, &pg->stats);
		free(val);
	}
	if (r && r != -ENOENT)
		return r;
	/* The dup index from the log (invariant 6). */
	while (more) {
		r = os_omap_get_vals(osd->store, pg->cid, OSD_PGMETA_OID, start, 512, &kv, &n,
				     &more);
		if (r)
			return r;
		for (size_t i = 0; i < n; i++) {
			struct osd_log_entry e;
			struct dec_cursor c;

			if (strncmp(kv[i].key, "log.", 4)) {
				more = false;
				break;
			}
			dec_init(&c, kv[i].val, kv[i].val_len);
			osd_log_entry_decode(&c, &e);
			if (dec_error(&c)) {
				dout(0, "pg %s: bad log entry %s", pg->pgid, kv[i].key);
				continue;
			}
			if (e.reqid.name[0])
				osd__pg_dup_add(pg, &e.reqid, e.version, e.user_version, e.result);
		}
		if (n)
			snprintf(start, sizeof(start), "%s", kv[n - 1].key);
		os_kvs_free(kv, n);
		if (!n)
			break;
	}
	return 0;
}

int osd__obj_ver_get(struct osd *osd, const char *cid, const char *soid, struct osd_obj_ver *v)
{
	struct dec_cursor c;
	void *val = NULL;
	size_t len = 0;
	int r;

	memset(v, 0, sizeof(*v));
	r = os_getxattr(osd->store, cid, soid, OSD_VER_XATTR, &val, &len);
	if (r == -ENODATA)
		return 0;
	if (r)
		return r;
	dec_init(&c, val, len);
	v->version.epoch = dec_u32(&c);
	v->version.version = dec_u64(&c);
	v->user_version = dec_u64(&c);
	free(val);
	if (dec_error(&c))
		memset(v, 0, sizeof(*v));
	return 0;
}

/* ---- the dup index ---- */

static unsigned reqid_hash(const struct osd_reqid *id)
{
	uint64_t h = 1469598103934665603ull;

	for (const char *p = id->name; *p; p++)
		h = (h ^ (uint8_t)*p) * 1099511628211ull;
	h = (h ^ id->nonce) * 1099511628211ull;
	h = (h ^ id->tid) * 1099511628211ull;
	return (unsigned)(h ^ (h >> 32)) % OSD_DUP_BUCKETS;
}

static bool reqid_eq(const struct osd_reqid *a, const struct osd_reqid *b)
{
	return a->tid == b->tid && a->nonce == b->nonce && !strcmp(a->name, b->name);
}

void osd__pg_dup_add(struct osd_pg *pg, const struct osd_reqid *id, struct osd_eversion v,
		     uint64_t uv, int32_t result)
{
	struct osd_dup *d = calloc(1, sizeof(*d));
	unsigned h = reqid_hash(id);

	if (!d)
		return; /* only costs dup detection of this one request */
	d->reqid = *id;
	d->version = v;
	d->user_version = uv;
	d->result = result;
	d->hnext = pg->dups[h];
	pg->dups[h] = d;
	if (pg->dup_tail)
		pg->dup_tail->fnext = d;
	else
		pg->dup_head = d;
	pg->dup_tail = d;
	pg->n_dups++;
	while (pg->n_dups > OSD_LOG_KEEP && pg->dup_head) {
		struct osd_dup *old = pg->dup_head, **pp;

		pp = &pg->dups[reqid_hash(&old->reqid)];
		while (*pp && *pp != old)
			pp = &(*pp)->hnext;
		if (*pp)
			*pp = old->hnext;
		pg->dup_head = old->fnext;
		if (!pg->dup_head)
			pg->dup_tail = NULL;
		pg->n_dups--;
		free(old);
	}
}

const struct osd_dup *osd__pg_dup_find(const struct osd_pg *pg, const struct osd_reqid *id)
{
	for (const struct osd_dup *d = pg->dups[reqid_hash(id)]; d; d = d->hnext)
		if (reqid_eq(&d->reqid, id))
			return d;
	return NULL;
}

/* ---- map and intervals ---- */

void osd__pg_update_state(struct osd_pg *pg)
{
	uint32_t st;

	if (pg->n_acting >= pg->pool_size)
		st = PG_STATE_ACTIVE | PG_STATE_CLEAN;
	else if (pg->n_acting >= pg->pool_min_size && pg->n_acting > 0)
		st = PG_STATE_ACTIVE | PG_STATE_UNDERSIZED | PG_STATE_DEGRADED;
	else
		st = PG_STATE_UNDERSIZED | PG_STATE_PEERED;
	pg->state = st;
}

bool osd__pg_is_active(const struct osd_pg *pg)
{
	return pg->role == PG_ROLE_PRIMARY && pg->n_acting > 0 &&
	       pg->n_acting >= pg->pool_min_size && !pg->deleting;
}

bool osd__pg_advance(struct osd *osd, struct osd_pg *pg, const struct osdmap *map)
{
	const struct osdmap_pool *p = osdmap_pool_by_id(map, pg->pool);
	struct osdmap_pg_mapping mp;
	uint32_t up_from[OSDMAP_MAX_POOL_SIZE] = { 0 };
	bool changed;
	enum osd_pg_role role = PG_ROLE_STRAY;

	if (!p || osdmap_pg_to_up_acting(map, pg->pool, pg->ps, &mp) < 0)
		memset(&mp, 0, sizeof(mp)), mp.up_primary = mp.acting_primary = -1;
	for (int i = 0; i < mp.n_acting; i++)
		if (mp.acting[i] >= 0 && mp.acting[i] < map->max_osd)
			up_from[i] = map->osds[mp.acting[i]].up_from;
	changed = pg->map_epoch == 0 || mp.n_acting != pg->n_acting || mp.n_up != pg->n_up ||
		  mp.acting_primary != pg->primary || mp.up_primary != pg->up_primary ||
		  memcmp(mp.acting, pg->acting, sizeof(int) * (size_t)mp.n_acting) ||
		  memcmp(mp.up, pg->up, sizeof(int) * (size_t)mp.n_up) ||
		  memcmp(up_from, pg->acting_up_from, sizeof(uint32_t) * (size_t)mp.n_acting) ||
		  (p && (p->size != pg->pool_size || p->min_size != pg->pool_min_size));
	pg->n_up = mp.n_up;
	pg->n_acting = mp.n_acting;
	pg->up_primary = mp.up_primary;
	pg->primary = mp.acting_primary;
	memcpy(pg->up, mp.up, sizeof(pg->up));
	memcpy(pg->acting, mp.acting, sizeof(pg->acting));
	memcpy(pg->acting_up_from, up_from, sizeof(up_from));
	if (p) {
		pg->pool_size = p->size;
		pg->pool_min_size = p->min_size;
	}
	if (mp.acting_primary == osd->whoami)
		role = PG_ROLE_PRIMARY;
	else
		for (int i = 0; i < mp.n_acting; i++)
			if (mp.acting[i] == osd->whoami)
				role = PG_ROLE_REPLICA;
	pg->role = role;
	pg->map_epoch = map->epoch;
	if (changed) {
		pg->info.same_interval_since = map->epoch;
		if (osd__pg_is_active(pg))
			pg->info.last_epoch_started = map->epoch;
		dout(5, "pg %s: new interval at e%u: acting %d osds, primary %d, role %d",
		     pg->pgid, map->epoch, pg->n_acting, pg->primary, (int)role);
	}
	osd__pg_update_state(pg);
	return changed;
}

/* ---- wait lists ---- */

void osd__pg_park(struct osd_item **head, struct osd_item **tail, struct osd_item *it)
{
	it->next = NULL;
	if (*tail)
		(*tail)->next = it;
	else
		*head = it;
	*tail = it;
}

void osd__pg_requeue(struct osd_shard *sh, struct osd_item **head, struct osd_item **tail)
{
	struct osd_item *h = *head, *t = *tail;

	if (!h)
		return;
	*head = *tail = NULL;
	pthread_mutex_lock(&sh->lock);
	t->next = sh->head;
	if (!sh->head)
		sh->tail = t;
	sh->head = h;
	pthread_cond_signal(&sh->cond);
	pthread_mutex_unlock(&sh->lock);
}
