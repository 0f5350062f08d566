/*
 * Heartbeats and PG stats, run from the main thread's tick.
 *
 * Heartbeats: every osd_heartbeat_interval the OSD pings each OSD it
 * shares a PG with (OSD_MSG_PING, answered at once on the peer's loop
 * thread) and records when replies come back.  A peer silent for longer
 * than osd_heartbeat_grace is logged; reporting it to the monitors is the
 * next milestone's failure detection.
 *
 * PG stats: every 2 s (sooner after a PG state change) MON_MSG_PG_STATS
 * goes to every monitor with the store's usage and, for each PG this OSD
 * is primary for, its state, object and byte counts, log version and
 * acting set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "mon/mon_proto.h"
#include "osd/internal.h"
#include "osdc/monc.h"

/* The OSDs sharing a PG with us, as a bitmap of map->max_osd entries. */
static uint8_t *hb_peers(struct osd *osd, int max_osd)
{
	uint8_t *set = calloc((size_t)max_osd + 1, 1);

	if (!set)
		return NULL;
	for (unsigned s = 0; s < osd->n_shards; s++) {
		struct osd_shard *sh = &osd->shards[s];

		pthread_mutex_lock(&sh->lock);
		for (size_t i = 0; i < sh->n_pgs; i++) {
			const struct osd_pg *pg = sh->pgs[i];
			for (int k = 0; k < pg->n_acting; k++)
				if (pg->acting[k] >= 0 && pg->acting[k] < max_osd)
					set[pg->acting[k]] = 1;
			for (int k = 0; k < pg->n_up; k++)
				if (pg->up[k] >= 0 && pg->up[k] < max_osd)
					set[pg->up[k]] = 1;
		}
		pthread_mutex_unlock(&sh->lock);
	}
	if (osd->whoami < max_osd)
		set[osd->whoami] = 0;
	return set;
}

void osd__heartbeat_tick(struct osd *osd)
{
	struct osdmap *map = osd__map(osd);
	uint64_t now = osd__now_ns();
	uint8_t *set;

	if (!map)
		return;
	set = hb_peers(osd, map->max_osd);
	for (int id = 0; set && id < map->max_osd; id++) {
		struct osd_ping p = { .from = osd->whoami, .epoch = map->epoch, .stamp_ns = now };
		struct msgr_conn *c;
		struct osd_peer *peer;
		struct enc_buf b;
		bool due;

		if (!set[id] || !osdmap_is_up(map, id))
			continue;
		c = osd__peer_conn(osd, id, map);
		if (!c)
			continue;
		pthread_mutex_lock(&osd->peers_lock);
		peer = &osd->peers[id];
		due = now - peer->last_tx_ns >= osd->hb_interval_ms * 1000000ull;
		if (due) {
			peer->last_tx_ns = now;
			if (!peer->first_tx_ns)
				peer->first_tx_ns = now;
		}
		{
			uint64_t since = peer->last_rx_ns ? peer->last_rx_ns : peer->first_tx_ns;
			if (since && now - since > osd->hb_grace_ms * 1000000ull &&
			    !peer->reported_slow) {
				peer->reported_slow = true;
				dout(0, "heartbeat: no reply from osd.%d for %.1f s (grace %llu s)", id,
				     (double)(now - since) / 1e9,
				     (unsigned long long)osd->hb_grace_ms / 1000);
			}
		}
		pthread_mutex_unlock(&osd->peers_lock);
		if (due) {
			enc_buf_init(&b);
			if (osd_ping_encode(&p, &b) == 0)
				msgr_send(c, OSD_MSG_PING, b.data, b.len);
			enc_buf_release(&b);
		}
		msgr_conn_put(c);
	}
	free(set);
	osdmap_put(map);
}

void osd__heartbeat_rx(struct osd *osd, struct msgr_conn *c, struct msgr_msg *m)
{
	struct osd_ping p;
	struct enc_buf b;

	if (osd_ping_decode(m->data, m->len, &p)) {
		dout(0, "malformed ping from %s; closing the connection", msgr_conn_peer_name(c));
		msgr_conn_close(c);
		return;
	}
	if (m->type == OSD_MSG_PING) {
		struct osd_ping r = { .from = osd->whoami, .stamp_ns = p.stamp_ns };
		struct osdmap *map = osd__map(osd);

		r.epoch = map ? map->epoch : 0;
		osdmap_put(map);
		enc_buf_init(&b);
		if (osd_ping_encode(&r, &b) == 0)
			msgr_send(c, OSD_MSG_PING_REPLY, b.data, b.len);
		enc_buf_release(&b);
		return;
	}
	pthread_mutex_lock(&osd->peers_lock);
	if (p.from >= 0 && p.from < osd->n_peers) {
		struct osd_peer *peer = &osd->peers[p.from];

		if (peer->reported_slow)
			dout(0, "heartbeat: osd.%d answers again", p.from);
		peer->last_rx_ns = osd__now_ns();
		peer->reported_slow = false;
	}
	pthread_mutex_unlock(&osd->peers_lock);
}

void osd__stats_send(struct osd *osd)
{
	struct mon_pg_stats s = { .osd = osd->whoami };
	struct monc *mc = atomic_load(&osd->monc);
	struct os_statfs sf = { 0 };
	size_t cap = 0;
	struct enc_buf b;

	if (!mc || !atomic_load(&osd->booted))
		return;
	{
		/* `ceph osd perf`: the mean store commit since the last report
		 * (0 when idle); BlueStore's apply and commit are one, so are
		 * ours */
		uint64_t ns = atomic_load(&osd->commit_ns), nc = atomic_load(&osd->commits);

		if (nc > osd->commits_reported)
			s.commit_latency_ns = (ns - osd->commit_ns_reported) /
					      (nc - osd->commits_reported);
		s.apply_latency_ns = s.commit_latency_ns;
		osd->commit_ns_reported = ns;
		osd->commits_reported = nc;
	}
	if (os_statfs(osd->store, &sf) == 0) {
		s.kb = sf.total >> 10;
		s.kb_avail = sf.available >> 10;
		s.kb_used_data = sf.data_allocated >> 10;
		s.kb_used_omap = sf.omap_allocated >> 10;
		s.kb_used = s.kb_used_data + s.kb_used_omap;
	}
	for (unsigned i = 0; i < osd->n_shards; i++)
		cap += osd->shards[i].n_pgs + 16;
	s.pgs = calloc(cap ? cap : 1, sizeof(*s.pgs));
	if (!s.pgs)
		return;
	for (unsigned i = 0; i < osd->n_shards; i++) {
		struct osd_shard *sh = &osd->shards[i];

		pthread_mutex_lock(&sh->lock);
		if (sh->map && sh->map->epoch > s.epoch)
			s.epoch = sh->map->epoch;
		s.num_pgs += (uint32_t)sh->n_pgs;
		for (size_t k = 0; k < sh->n_pgs && s.n_pgs < cap; k++) {
			const struct osd_pg *pg = sh->pgs[k];
			struct mon_pg_stat *ps;

			if (pg->role != PG_ROLE_PRIMARY || pg->deleting)
				continue;
			ps = &s.pgs[s.n_pgs++];
			ps->pool = pg->pool;
			ps->ps = pg->ps;
			ps->state = pg->state;
			ps->epoch = pg->map_epoch;
			ps->num_objects = pg->stats.num_objects;
			ps->num_bytes = pg->stats.num_bytes;
			ps->num_rd = pg->stats.num_rd;
			ps->num_rd_bytes = pg->stats.num_rd_bytes;
			ps->num_wr = pg->stats.num_wr;
			ps->num_wr_bytes = pg->stats.num_wr_bytes;
			ps->log_version = pg->info.last_update.version;
			ps->up_primary = pg->up_primary;
			ps->n_acting = (uint8_t)(pg->n_acting < 16 ? pg->n_acting : 16);
			for (int a = 0; a < ps->n_acting; a++)
				ps->acting[a] = pg->acting[a];
		}
		pthread_mutex_unlock(&sh->lock);
	}
	enc_buf_init(&b);
	if (mon_pg_stats_encode(&s, &b) == 0) {
		int n = monc_send_all(mc, MON_MSG_PG_STATS, b.data, b.len);
		dout(15, "pg stats: %zu primary of %u pgs, e%u, to %d monitors", s.n_pgs, s.num_pgs,
		     s.epoch, n);
	}
	enc_buf_release(&b);
	free(s.pgs);
}
