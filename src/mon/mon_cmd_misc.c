/*
 * Cluster-wide commands: `status` (`ceph -s`), `health [detail]`,
 * `mon stat`, `mon dump`, `quorum_status`, `fsid`, and the config-key
 * store.  Texts and JSON shapes are Ceph 16.2's (tests/data/mon/).
 *
 * Loligo has no manager daemon: `status` and `health` take the PG
 * states, object counts and usage from the OSDs' reports each monitor
 * keeps (mon_pgmap.h); a PG no primary has reported is "unknown", as Ceph
 * shows it before a manager has heard of it.
 * The monitor's election epoch and quorum age are not part of the
 * replicated state (Raft has terms, not elections), so they print as 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mon/mon_cmd_internal.h"
#include "mon/mon_pgmap.h"
#include "osdmap/osdmap.h"

/* ---- health ---- */

/* The cluster flags Ceph's OSDMAP_FLAGS check warns about. */
#define HEALTH_WARN_FLAGS                                                             \
	(OSDMAP_FLAG_FULL | OSDMAP_FLAG_PAUSERD | OSDMAP_FLAG_PAUSEWR | OSDMAP_FLAG_NOUP |   \
	 OSDMAP_FLAG_NODOWN | OSDMAP_FLAG_NOIN | OSDMAP_FLAG_NOOUT |                        \
	 OSDMAP_FLAG_NOBACKFILL | OSDMAP_FLAG_NORECOVER | OSDMAP_FLAG_NOSCRUB |             \
	 OSDMAP_FLAG_NODEEP_SCRUB | OSDMAP_FLAG_NOTIERAGENT | OSDMAP_FLAG_NOSNAPTRIM |      \
	 OSDMAP_FLAG_NOREBALANCE)

#define HEALTH_MAX_CHECKS 8

struct health_check {
	const char *code;
	char summary[600];
	int count;
	json_t *detail; /* messages (strings), with detail only */
};

struct health {
	int n;
	struct health_check checks[HEALTH_MAX_CHECKS];
	struct mon_pg_digest pg; /* what the PG checks saw */
	bool have_pg;
};

/* OSDs that exist, are in and are down; brand-new OSDs that never
 * booted are left out, as Ceph leaves them out. */
static bool counts_down(const struct osdmap *m, int i)
{
	const struct osdmap_osd *o = &m->osds[i];

	return (o->state & OSD_STATE_EXISTS) && !(o->state & OSD_STATE_UP) &&
	       !(o->state & OSD_STATE_NEW) && o->weight != OSDMAP_WEIGHT_OUT;
}

static void detail_add(struct health_check *hc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void detail_add(struct health_check *hc, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	if (!hc->detail)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		json_array_append_new(hc->detail, json_string(s));
	free(s);
}

static struct health_check *check_new(struct health *h, const char *code, bool detail)
{
	struct health_check *hc = &h->checks[h->n++];

	memset(hc, 0, sizeof(*hc));
	hc->code = code;
	hc->detail = detail ? json_array() : NULL;
	return hc;
}

/* Append ", N pgs WHAT" (or the first part without the comma). */
static void sum_part(char *buf, size_t len, uint64_t n, const char *what)
{
	size_t off = strlen(buf);

	if (!n || off >= len)
		return;
	snprintf(buf + off, len - off, "%s%llu %s %s", off ? ", " : "", (unsigned long long)n,
		 n == 1 ? "pg" : "pgs", what);
}

static void pg_line(struct health_check *hc, const struct mon_pg_info *pg, const char *stuck,
		    uint64_t stuck_ms)
{
	char id[48], st[256], act[256], span[32];
	size_t off = 0;

	mon_fmt_pgid(pg->pool, pg->ps, id, sizeof(id));
	mon_pg_state_str(pg->state, st, sizeof(st));
	off += (size_t)snprintf(act, sizeof(act), "[");
	for (int i = 0; i < pg->map.n_acting && off < sizeof(act); i++)
		off += (size_t)snprintf(act + off, sizeof(act) - off, "%s%d", i ? "," : "",
					pg->map.acting[i]);
	if (off < sizeof(act))
		snprintf(act + off, sizeof(act) - off, "]");
	if (stuck) {
		osdmap_timespan_str((double)(stuck_ms / 1000), span, sizeof(span));
		detail_add(hc, "pg %s is stuck %s for %s, current state %s, last acting %s", id,
			   stuck, span, st, act);
	} else {
		detail_add(hc, "pg %s is %s, acting %s", id, st, act);
	}
}

/*
 * PG_AVAILABILITY and PG_DEGRADED.  Unlike Ceph, which waits for
 * mon_pg_stuck_threshold before it counts an inactive or undersized PG,
 * these count every such PG at once (the detail says "stuck" only past
 * the threshold): HEALTH_OK means every PG is active and whole.
 */
static void health_pgs(struct health *h, bool detail)
{
	const struct mon_pg_digest *d = &h->pg;
	struct health_check *hc;
	char deg[128];

	if (d->n_inactive || d->n_stale) {
		uint64_t stale_inactive = 0;

		hc = check_new(h, "PG_AVAILABILITY", detail);
		snprintf(hc->summary, sizeof(hc->summary), "Reduced data availability: ");
		for (size_t i = 0; i < d->n_pgs; i++)
			stale_inactive += (d->pgs[i].state & MON_PG_STATE_STALE) &&
					  !(d->pgs[i].state & PG_STATE_ACTIVE);
		{
			char parts[400] = "";

			sum_part(parts, sizeof(parts), d->n_inactive, "inactive");
			sum_part(parts, sizeof(parts), d->n_down, "down");
			sum_part(parts, sizeof(parts), d->n_peering, "peering");
			sum_part(parts, sizeof(parts), d->n_stale, "stale");
			strncat(hc->summary, parts, sizeof(hc->summary) - strlen(hc->summary) - 1);
		}
		hc->count = (int)(d->n_inactive + d->n_stale - stale_inactive);
		for (size_t i = 0; detail && i < d->n_pgs; i++) {
			const struct mon_pg_info *pg = &d->pgs[i];
			const char *label = pg->state & PG_STATE_PEERING	 ? "peering"
					    : pg->state & MON_PG_STATE_STALE ? "stale"
					    : pg->state & PG_STATE_DOWN	 ? "down"
									 : "inactive";

			if (!(pg->state & MON_PG_STATE_STALE) && (pg->state & PG_STATE_ACTIVE))
				continue;
			pg_line(hc, pg, pg->inactive_ms >= MON_PG_STUCK_MS ? label : NULL,
				pg->inactive_ms);
		}
	}
	mon_fmt_degraded(d, deg, sizeof(deg));
	if (deg[0] || d->n_degraded || d->n_undersized) {
		char parts[400] = "";

		hc = check_new(h, "PG_DEGRADED", detail);
		if (deg[0])
			snprintf(parts, sizeof(parts), "%s", deg);
		sum_part(parts, sizeof(parts), d->n_degraded, "degraded");
		sum_part(parts, sizeof(parts), d->n_undersized, "undersized");
		snprintf(hc->summary, sizeof(hc->summary), "Degraded data redundancy: %s", parts);
		hc->count = (int)(d->n_degraded > d->n_undersized ? d->n_degraded : d->n_undersized);
		for (size_t i = 0; detail && i < d->n_pgs; i++) {
			const struct mon_pg_info *pg = &d->pgs[i];

			if (pg->undersized_ms >= MON_PG_STUCK_MS)
				pg_line(hc, pg, "undersized", pg->undersized_ms);
			else if (pg->degraded_ms >= MON_PG_STUCK_MS)
				pg_line(hc, pg, "degraded", pg->degraded_ms);
			else if (pg->state & (PG_STATE_DEGRADED | PG_STATE_UNDERSIZED))
				pg_line(hc, pg, NULL, 0);
		}
	}
}

static void osd_down_line(struct health_check *hc, const struct osdmap *m, int osd)
{
	struct crush_loc loc[16];
	char where[600] = "";
	int n = crush_map_item_location(m->crush, osd, loc, 16);
	size_t off = 0;

	for (int i = n - 1; i >= 0 && off < sizeof(where); i--)
		off += (size_t)snprintf(where + off, sizeof(where) - off, "%s%s=%s",
					i == n - 1 ? "" : ",", loc[i].type ? loc[i].type : "?",
					loc[i].name ? loc[i].name : "?");
	if (n > 0)
		detail_add(hc, "osd.%d (%s) is down", osd, where);
	else
		detail_add(hc, "osd.%d is down", osd);
}

static void health_compute(struct mon_cmd *c, struct health *h, bool detail)
{
	const struct osdmap *m = c->st->osdmap;
	uint32_t flags = m->flags & HEALTH_WARN_FLAGS;
	int down = 0;

	memset(h, 0, sizeof(*h));
	if (flags) {
		struct health_check *hc = check_new(h, "OSDMAP_FLAGS", detail);
		char names[512];

		osdmap_flags_str(flags, names, sizeof(names));
		snprintf(hc->summary, sizeof(hc->summary), "%s flag(s) set", names);
		hc->count = (int)flags;
	}
	for (int i = 0; i < m->max_osd; i++)
		down += counts_down(m, i);
	if (down) {
		struct health_check *hc = check_new(h, "OSD_DOWN", detail);

		snprintf(hc->summary, sizeof(hc->summary), "%d osds down", down);
		hc->count = down;
		for (int i = 0; detail && i < m->max_osd; i++)
			if (counts_down(m, i))
				osd_down_line(hc, m, i);
	}
	if (mon_cmd_digest(c, &h->pg) == 0) {
		h->have_pg = true;
		health_pgs(h, detail);
	} else {
		c->rc = 0; /* health without PG checks beats no health */
	}
}

static void health_release(struct health *h)
{
	for (int i = 0; i < h->n; i++)
		json_decref(h->checks[i].detail);
	if (h->have_pg)
		mon_pg_digest_release(&h->pg);
}

static json_t *health_json(const struct health *h, bool detail)
{
	json_t *o = json_object(), *checks = json_object();

	json_object_set_new(o, "status", json_string(h->n ? "HEALTH_WARN" : "HEALTH_OK"));
	for (int i = 0; i < h->n; i++) {
		json_t *ck = json_object(), *sum = json_object();

		json_object_set_new(ck, "severity", json_string("HEALTH_WARN"));
		json_object_set_new(sum, "message", json_string(h->checks[i].summary));
		json_object_set_new(sum, "count", json_integer(h->checks[i].count));
		json_object_set_new(ck, "summary", sum);
		if (detail) {
			json_t *a = json_array(), *v;
			size_t k;

			json_array_foreach(h->checks[i].detail, k, v) {
				json_t *e = json_object();

				json_object_set(e, "message", v);
				json_array_append_new(a, e);
			}
			json_object_set_new(ck, "detail", a);
		}
		json_object_set_new(ck, "muted", json_false());
		json_object_set_new(checks, h->checks[i].code, ck);
	}
	json_object_set_new(o, "checks", checks);
	json_object_set_new(o, "mutes", json_array());
	return o;
}

int mon_cmd_health(struct mon_cmd *c)
{
	const char *d = mon_arg_str(c, "detail");
	bool detail = d && strcmp(d, "detail") == 0;
	struct health h;
	int r;

	health_compute(c, &h, detail);
	if (mon_fmt_is_json(c)) {
		r = mon_out_json_fmt(c, health_json(&h, detail));
		health_release(&h);
		return r;
	}
	if (!h.n) {
		health_release(&h);
		return mon_out_printf(c, "HEALTH_OK\n");
	}
	mon_out_printf(c, "HEALTH_WARN");
	for (int i = 0; i < h.n; i++)
		mon_out_printf(c, "%s%s", i ? "; " : " ", h.checks[i].summary);
	mon_out_printf(c, "\n");
	for (int i = 0; detail && i < h.n; i++) {
		json_t *v;
		size_t k;

		mon_out_printf(c, "[WRN] %s: %s\n", h.checks[i].code, h.checks[i].summary);
		json_array_foreach(h.checks[i].detail, k, v)
			mon_out_printf(c, "    %s\n", json_string_value(v));
	}
	health_release(&h);
	return enc_buf_error(&c->out);
}

/* ---- monitors ---- */

static const char *leader_name(const struct mon_cmd *c)
{
	const struct monmap *mm = c->st->monmap;

	if (c->leader_rank < 0 || (size_t)c->leader_rank >= mm->count)
		return "";
	return mm->mons[c->leader_rank].name;
}

static json_t *quorum_names_json(const struct mon_cmd *c)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->quorum_len; i++)
		if (c->quorum[i] >= 0 && (size_t)c->quorum[i] < c->st->monmap->count)
			json_array_append_new(a, json_string(c->st->monmap->mons[c->quorum[i]].name));
	return a;
}

static json_t *quorum_json(const struct mon_cmd *c)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->quorum_len; i++)
		json_array_append_new(a, json_integer(c->quorum[i]));
	return a;
}

int mon_cmd_mon_stat(struct mon_cmd *c)
{
	const struct monmap *mm = c->st->monmap;
	char vec[512];

	if (mon_fmt_is_json(c)) {
		json_t *o = json_object(), *q = json_array();

		json_object_set_new(o, "epoch", json_integer(mm->epoch));
		json_object_set_new(o, "min_mon_release_name",
				    json_string(monmap_release_name(mm->min_mon_release)));
		json_object_set_new(o, "num_mons", json_integer((json_int_t)mm->count));
		json_object_set_new(o, "leader", json_string(leader_name(c)));
		for (size_t i = 0; i < c->quorum_len; i++) {
			json_t *e = json_object();
			int r = c->quorum[i];

			json_object_set_new(e, "rank", json_integer(r));
			json_object_set_new(e, "name", json_string(r >= 0 && (size_t)r < mm->count
									   ? mm->mons[r].name
									   : ""));
			json_array_append_new(q, e);
		}
		json_object_set_new(o, "quorum", q);
		return mon_out_json_fmt_nl(c, o);
	}
	mon_out_printf(c, "e%u: %zu mons at {", mm->epoch, mm->count);
	for (size_t i = 0; i < mm->count; i++) {
		monmap_addrvec_format(&mm->mons[i], vec, sizeof(vec));
		mon_out_printf(c, "%s%s=%s", i ? "," : "", mm->mons[i].name, vec);
	}
	mon_out_printf(c, "} removed_ranks: {}, election epoch 0, leader %d %s, quorum ",
		       c->leader_rank, leader_name(c));
	for (size_t i = 0; i < c->quorum_len; i++)
		mon_out_printf(c, "%s%d", i ? "," : "", c->quorum[i]);
	mon_out_printf(c, " ");
	for (size_t i = 0; i < c->quorum_len; i++) {
		int r = c->quorum[i];
		mon_out_printf(c, "%s%s", i ? "," : "",
			       r >= 0 && (size_t)r < mm->count ? mm->mons[r].name : "?");
	}
	return mon_out_printf(c, "\n");
}

static int print_monmap(void *arg, FILE *out)
{
	monmap_print(arg, out);
	return 0;
}

int mon_cmd_mon_dump(struct mon_cmd *c)
{
	const struct monmap *mm = c->st->monmap;
	int64_t epoch;
	int r = mon_arg_int(c, "epoch", &epoch);

	if (r < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'epoch'");
	if (r > 0 && epoch != (int64_t)mm->epoch)
		return mon_cmd_fail(c, -ENOENT, "there is no monmap epoch %lld", (long long)epoch);
	if (mon_fmt_is_json(c))
		r = mon_out_json_fmt_nl(c, monmap_dump_json(mm, c->quorum, c->quorum_len));
	else
		r = mon_out_print(c, print_monmap, (void *)mm);
	if (r)
		return mon_cmd_nomem(c);
	snprintf(c->outs, sizeof(c->outs), "dumped monmap epoch %u", mm->epoch);
	return 0;
}

static json_t *features_json(uint64_t set)
{
	json_t *a = json_array();

	for (int b = 0; b < 64; b++) {
		const char *n = (set >> b) & 1 ? monmap_feature_name(1ULL << b) : NULL;
		if (n)
			json_array_append_new(a, json_string(n));
	}
	return a;
}

int mon_cmd_quorum_status(struct mon_cmd *c)
{
	const struct monmap *mm = c->st->monmap;
	json_t *o = json_object(), *f = json_object(), *map;

	json_object_set_new(o, "election_epoch", json_integer(0));
	json_object_set_new(o, "quorum", quorum_json(c));
	json_object_set_new(o, "quorum_names", quorum_names_json(c));
	json_object_set_new(o, "quorum_leader_name", json_string(leader_name(c)));
	json_object_set_new(o, "quorum_age", json_integer(0));
	json_object_set_new(f, "quorum_con", json_string("0"));
	json_object_set_new(f, "quorum_mon", features_json(mm->persistent_features));
	json_object_set_new(o, "features", f);
	map = monmap_dump_json(mm, NULL, 0);
	if (map)
		json_object_del(map, "quorum");
	json_object_set_new(o, "monmap", map ? map : json_object());
	/* Ceph answers quorum_status in JSON even when plain is asked. */
	return mon_out_json_nl(c, o, mon_fmt_json_default(c, MON_FORMAT_JSON));
}

static void cluster_fsid(const struct mon_cmd *c, char buf[37])
{
	osdmap_uuid_str(c->st->osdmap->fsid, buf);
}

int mon_cmd_fsid(struct mon_cmd *c)
{
	char fsid[37];

	cluster_fsid(c, fsid);
	if (mon_fmt_is_json(c)) {
		json_t *o = json_object();

		json_object_set_new(o, "fsid", json_string(fsid));
		return mon_out_json_fmt(c, o);
	}
	return mon_out_printf(c, "%s\n", fsid);
}

/* ---- status ---- */

static void since_str(const struct mon_cmd *c, struct osdmap_time t, char *buf, size_t len)
{
	char span[32];

	if (!t.sec && !t.nsec) {
		buf[0] = 0;
		return;
	}
	osdmap_timespan_str((double)(c->now_sec - t.sec) +
				    ((double)c->now_nsec - (double)t.nsec) / 1e9,
			    span, sizeof(span));
	snprintf(buf, len, " (since %s)", span);
}

static json_t *status_json(struct mon_cmd *c, const struct health *h)
{
	const struct osdmap *m = c->st->osdmap;
	const struct monmap *mm = c->st->monmap;
	json_t *o = json_object(), *j;
	char fsid[37];

	cluster_fsid(c, fsid);
	json_object_set_new(o, "fsid", json_string(fsid));
	json_object_set_new(o, "health", health_json(h, false));
	json_object_set_new(o, "election_epoch", json_integer(0));
	json_object_set_new(o, "quorum", quorum_json(c));
	json_object_set_new(o, "quorum_names", quorum_names_json(c));
	json_object_set_new(o, "quorum_age", json_integer(0));
	j = json_object();
	json_object_set_new(j, "epoch", json_integer(mm->epoch));
	json_object_set_new(j, "min_mon_release_name",
			    json_string(monmap_release_name(mm->min_mon_release)));
	json_object_set_new(j, "num_mons", json_integer((json_int_t)mm->count));
	json_object_set_new(o, "monmap", j);
	j = osdmap_json_stat(m);
	json_object_set_new(o, "osdmap", j ? j : json_object());
	j = json_object();
	{
		const struct mon_pg_digest *d = &h->pg;
		json_t *states = json_array();

		for (size_t i = 0; i < d->n_states; i++) {
			json_t *s = json_object();
			char st[256];

			mon_pg_state_str(d->states[i].state, st, sizeof(st));
			json_object_set_new(s, "state_name", json_string(st));
			json_object_set_new(s, "count", json_integer(d->states[i].count));
			json_array_append_new(states, s);
		}
		json_object_set_new(j, "pgs_by_state", states);
		json_object_set_new(j, "num_pgs", json_integer((json_int_t)d->n_pgs));
		json_object_set_new(j, "num_pools", json_integer((json_int_t)m->n_pools));
		json_object_set_new(j, "num_objects", json_integer((json_int_t)d->objects));
		json_object_set_new(j, "data_bytes", json_integer((json_int_t)d->bytes));
		json_object_set_new(j, "bytes_used", json_integer((json_int_t)(d->kb_used << 10)));
		json_object_set_new(j, "bytes_avail", json_integer((json_int_t)(d->kb_avail << 10)));
		json_object_set_new(j, "bytes_total", json_integer((json_int_t)(d->kb << 10)));
		if (d->n_unknown)
			json_object_set_new(j, "unknown_pgs_ratio",
					    json_real((double)(float)((double)d->n_unknown /
								      (double)d->n_pgs)));
		if (d->n_inactive > d->n_unknown)
			json_object_set_new(j, "inactive_pgs_ratio",
					    json_real((double)(float)((double)(d->n_inactive - d->n_unknown) /
								      (double)d->n_pgs)));
		mon_pg_summary_json(d, j, true);
	}
	json_object_set_new(o, "pgmap", j);
	j = json_object();
	json_object_set_new(j, "epoch", json_integer(1));
	json_object_set_new(j, "by_rank", json_array());
	json_object_set_new(j, "up:standby", json_integer(0));
	json_object_set_new(o, "fsmap", j);
	j = json_object();
	json_object_set_new(j, "available", json_false());
	json_object_set_new(j, "num_standbys", json_integer(0));
	json_object_set_new(j, "modules", json_array());
	json_object_set_new(j, "services", json_object());
	json_object_set_new(o, "mgrmap", j);
	j = json_object();
	json_object_set_new(j, "epoch", json_integer(0));
	json_object_set_new(j, "modified", json_string("0.000000"));
	json_object_set_new(j, "services", json_object());
	json_object_set_new(o, "servicemap", j);
	json_object_set_new(o, "progress_events", json_object());
	return o;
}

/* The `pgs:` lines of `ceph -s`: ratios first, then states by count. */
static void status_pgs(struct mon_cmd *c, const struct mon_pg_digest *d)
{
	const char *lead = "    pgs:     ";
	const char *more = "             ";
	bool first = true;
	char deg[128];
	int w = 1;

	if (!d->n_pgs) {
		mon_out_printf(c, "%s\n", lead);
		return;
	}
	if (d->n_unknown) {
		mon_out_printf(c, "%s%.3f%% pgs unknown\n", lead,
			       100.0 * (double)d->n_unknown / (double)d->n_pgs);
		first = false;
	}
	if (d->n_inactive > d->n_unknown) {
		mon_out_printf(c, "%s%.3f%% pgs not active\n", first ? lead : more,
			       100.0 * (double)(d->n_inactive - d->n_unknown) / (double)d->n_pgs);
		first = false;
	}
	mon_fmt_degraded(d, deg, sizeof(deg));
	if (deg[0]) {
		mon_out_printf(c, "%s%s\n", first ? lead : more, deg);
		first = false;
	}
	for (size_t i = 0; i < d->n_states; i++) {
		int n = snprintf(NULL, 0, "%u", d->states[i].count);

		if (n > w)
			w = n;
	}
	for (size_t i = 0; i < d->n_states; i++) {
		char st[256];

		mon_pg_state_str(d->states[i].state, st, sizeof(st));
		mon_out_printf(c, "%s%-*u %s\n", first ? lead : more, w, d->states[i].count, st);
		first = false;
	}
}

int mon_cmd_status(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const struct monmap *mm = c->st->monmap;
	struct health h;
	char fsid[37], up[48], in[48], b1[32], b2[32], b3[32], b4[32];
	size_t out_of = 0;
	int r;

	health_compute(c, &h, false);
	if (mon_fmt_is_json(c)) {
		r = mon_out_json_fmt_nl(c, status_json(c, &h));
		health_release(&h);
		return r;
	}
	cluster_fsid(c, fsid);
	mon_out_printf(c, "  cluster:\n    id:     %s\n    health: %s\n", fsid,
		       h.n ? "HEALTH_WARN" : "HEALTH_OK");
	for (int i = 0; i < h.n; i++)
		mon_out_printf(c, "            %s\n", h.checks[i].summary);
	mon_out_printf(c, " \n  services:\n    mon: %zu daemons, quorum ", mm->count);
	for (size_t i = 0; i < c->quorum_len; i++) {
		int q = c->quorum[i];
		mon_out_printf(c, "%s%s", i ? "," : "",
			       q >= 0 && (size_t)q < mm->count ? mm->mons[q].name : "?");
	}
	for (size_t i = 0; i < mm->count; i++) {
		bool in_q = false;

		for (size_t j = 0; j < c->quorum_len; j++)
			in_q |= c->quorum[j] == (int)i;
		if (in_q)
			continue;
		mon_out_printf(c, "%s%s", out_of++ ? "," : ", out of quorum: ", mm->mons[i].name);
	}
	since_str(c, m->last_up_change, up, sizeof(up));
	since_str(c, m->last_in_change, in, sizeof(in));
	mon_out_printf(c, "\n    mgr: no daemons active\n    osd: %d osds: %d up%s, %d in%s\n",
		       osdmap_count_exists(m), osdmap_count_up(m), up, osdmap_count_in(m), in);
	if (m->flags & HEALTH_WARN_FLAGS) {
		char names[512];

		osdmap_flags_str(m->flags & HEALTH_WARN_FLAGS, names, sizeof(names));
		mon_out_printf(c, "         flags %s\n", names);
	}
	mon_out_printf(c, " \n  data:\n    pools:   %zu pools, %zu pgs\n", m->n_pools, h.pg.n_pgs);
	mon_fmt_bytes(h.pg.bytes, b1, sizeof(b1));
	mon_fmt_bytes(h.pg.kb_used << 10, b2, sizeof(b2));
	mon_fmt_bytes(h.pg.kb_avail << 10, b3, sizeof(b3));
	mon_fmt_bytes(h.pg.kb << 10, b4, sizeof(b4));
	mon_out_printf(c, "    objects: %llu objects, %s\n    usage:   %s used, %s / %s avail\n",
		       (unsigned long long)h.pg.objects, b1, b2, b3, b4);
	status_pgs(c, &h.pg);
	if (mon_io_any(h.pg.io_rate)) {
		char io[256];

		mon_fmt_io(h.pg.io_rate, io, sizeof(io));
		mon_out_printf(c, " \n  io:\n    client:   %s\n", io);
	}
	health_release(&h);
	return mon_out_printf(c, " \n");
}

/* ---- config-key ---- */

static struct mon_kv *kv_find(struct mon_state *st, const char *key, size_t *pos)
{
	size_t lo = 0, hi = st->n_kv;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(st->kv[mid].key, key);

		if (cmp == 0) {
			*pos = mid;
			return &st->kv[mid];
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return NULL;
}

int mon_cmd_ck_set(struct mon_cmd *c)
{
	struct mon_state *st = c->st;
	const char *key = mon_arg_str(c, "key"), *val = mon_arg_str(c, "val");
	const uint8_t *data = val ? (const uint8_t *)val : c->in;
	size_t len = val ? strlen(val) : c->inlen, pos;
	struct mon_kv *kv;
	uint8_t *copy;

	if (!key)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'key'");
	copy = malloc(len ? len : 1);
	if (!copy)
		return mon_cmd_nomem(c);
	if (len)
		memcpy(copy, data, len);
	kv = kv_find(st, key, &pos);
	if (!kv) {
		char *k = strdup(key);

		if (k && st->n_kv == st->cap_kv) {
			size_t cap = st->cap_kv ? st->cap_kv * 2 : 16;
			struct mon_kv *v = realloc(st->kv, cap * sizeof(*v));

			if (v) {
				st->kv = v;
				st->cap_kv = cap;
			}
		}
		if (!k || st->n_kv == st->cap_kv) {
			free(k);
			free(copy);
			return mon_cmd_nomem(c);
		}
		memmove(&st->kv[pos + 1], &st->kv[pos], (st->n_kv - pos) * sizeof(*st->kv));
		st->n_kv++;
		kv = &st->kv[pos];
		kv->key = k;
		kv->val = NULL;
	}
	free(kv->val);
	kv->val = copy;
	kv->len = len;
	snprintf(c->outs, sizeof(c->outs), "set %.1000s", key);
	return 0;
}

int mon_cmd_ck_get(struct mon_cmd *c)
{
	const char *key = mon_arg_str(c, "key");
	struct mon_kv *kv;
	size_t pos;

	if (!key)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'key'");
	kv = kv_find(c->st, key, &pos);
	if (!kv)
		return mon_cmd_fail(c, -ENOENT, "%s", "");
	return mon_out_bytes(c, kv->val, kv->len);
}

int mon_cmd_ck_exists(struct mon_cmd *c)
{
	const char *key = mon_arg_str(c, "key");
	size_t pos;

	if (!key)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'key'");
	if (!kv_find(c->st, key, &pos))
		return mon_cmd_fail(c, -ENOENT, "key '%.1000s' doesn't exist", key);
	snprintf(c->outs, sizeof(c->outs), "key '%.1000s' exists", key);
	return 0;
}

int mon_cmd_ck_rm(struct mon_cmd *c)
{
	struct mon_state *st = c->st;
	const char *key = mon_arg_str(c, "key");
	size_t pos;

	if (!key)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'key'");
	if (kv_find(st, key, &pos)) {
		free(st->kv[pos].key);
		free(st->kv[pos].val);
		memmove(&st->kv[pos], &st->kv[pos + 1], (st->n_kv - pos - 1) * sizeof(*st->kv));
		st->n_kv--;
	}
	/* Ceph says the same whether or not the key was there. */
	snprintf(c->outs, sizeof(c->outs), "key deleted");
	return 0;
}

/* config-key's listings end in exactly one newline in either format. */
static int ck_out_json(struct mon_cmd *c, json_t *j)
{
	enum mon_format fmt = mon_fmt_json_default(c, MON_FORMAT_JSON_PRETTY);

	return fmt == MON_FORMAT_JSON ? mon_out_json_nl(c, j, fmt) : mon_out_json(c, j, fmt);
}

int mon_cmd_ck_ls(struct mon_cmd *c)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->st->n_kv; i++)
		json_array_append_new(a, json_string(c->st->kv[i].key));
	return ck_out_json(c, a);
}

int mon_cmd_ck_dump(struct mon_cmd *c)
{
	const char *prefix = mon_arg_str(c, "key");
	size_t plen = prefix ? strlen(prefix) : 0;
	json_t *o = json_object();

	for (size_t i = 0; i < c->st->n_kv; i++) {
		const struct mon_kv *kv = &c->st->kv[i];
		json_t *v;

		if (prefix && strncmp(kv->key, prefix, plen) != 0)
			continue;
		/* Text values print as strings; anything else (not UTF-8, or
		 * holding a NUL) as Ceph's placeholder. */
		v = memchr(kv->val, 0, kv->len) ? NULL
						 : json_stringn((const char *)kv->val, kv->len);
		if (!v) {
			char buf[64];

			snprintf(buf, sizeof(buf), "<<< binary blob of length %zu >>>", kv->len);
			v = json_string(buf);
		}
		json_object_set_new(o, kv->key, v);
	}
	return ck_out_json(c, o);
}
