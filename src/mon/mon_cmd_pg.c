/*
 * The commands computed from the OSDs' PG statistics (mon_pgmap.h):
 * `pg stat`, `pg dump`, `pg map`, `df [detail]`, `osd df [tree]` and
 * `osd pool stats`, in Ceph 16.2's texts and JSON shapes (Ceph's manager
 * serves them there; every Loligo monitor does here).  They are reads:
 * they run on the monitor asked, from its own copy of the reports.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mon/mon_cmd_internal.h"
#include "mon/mon_pgmap.h"
#include "osdmap/osdmap.h"

int mon_cmd_digest(struct mon_cmd *c, struct mon_pg_digest *d)
{
	struct mon_pgmap empty;
	int r;

	if (c->pgmap)
		r = mon_pg_digest_build(c->pgmap, c->st->osdmap, c->mono_ms, d);
	else {
		/* Not on a serving monitor (tests, replay): no reports. */
		mon_pgmap_init(&empty);
		r = mon_pg_digest_build(&empty, c->st->osdmap, c->mono_ms, d);
		mon_pgmap_release(&empty);
	}
	if (r)
		return mon_cmd_nomem(c);
	return 0;
}

/* ---- a text table as Ceph's TextTable prints it ---- */

#define TT_MAX_COLS 24

enum tt_align { TT_L, TT_R };

struct tt {
	int ncols;
	const char *head[TT_MAX_COLS];
	enum tt_align hal[TT_MAX_COLS], cal[TT_MAX_COLS];
	size_t width[TT_MAX_COLS];
	char **cells; /* rows * ncols */
	size_t nrows, cap;
	int col;      /* next cell of the current row */
	int err;
};

static void tt_col(struct tt *t, const char *head, enum tt_align hal, enum tt_align cal)
{
	t->head[t->ncols] = head;
	t->hal[t->ncols] = hal;
	t->cal[t->ncols] = cal;
	t->width[t->ncols] = strlen(head);
	t->ncols++;
}

static void tt_cell(struct tt *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tt_cell(struct tt *t, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	size_t at;

	if (t->err)
		return;
	if (t->col == 0) {
		if (t->nrows == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 16;
			char **v = realloc(t->cells, cap * (size_t)t->ncols * sizeof(*v));

			if (!v) {
				t->err = -ENOMEM;
				return;
			}
			t->cells = v;
			t->cap = cap;
		}
		memset(&t->cells[t->nrows * (size_t)t->ncols], 0, (size_t)t->ncols * sizeof(char *));
		t->nrows++;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		s = NULL;
		t->err = -ENOMEM;
	}
	va_end(ap);
	at = (t->nrows - 1) * (size_t)t->ncols + (size_t)t->col;
	t->cells[at] = s;
	if (s && strlen(s) > t->width[t->col])
		t->width[t->col] = strlen(s);
	t->col = (t->col + 1) % t->ncols;
}

static void tt_put(struct mon_cmd *c, const char *s, size_t w, enum tt_align a, bool last)
{
	size_t n = strlen(s);

	if (a == TT_R)
		mon_out_printf(c, "%*s%s", (int)(w - n), "", s);
	else
		mon_out_printf(c, "%s%*s", s, (int)(w - n), "");
	if (!last)
		mon_out_bytes(c, "  ", 2);
}

static int tt_print(struct mon_cmd *c, struct tt *t)
{
	if (t->err)
		return mon_cmd_nomem(c);
	for (int i = 0; i < t->ncols; i++)
		tt_put(c, t->head[i], t->width[i], t->hal[i], i == t->ncols - 1);
	mon_out_bytes(c, "\n", 1);
	for (size_t r = 0; r < t->nrows; r++) {
		for (int i = 0; i < t->ncols; i++) {
			const char *s = t->cells[r * (size_t)t->ncols + (size_t)i];

			tt_put(c, s ? s : "", t->width[i], t->cal[i], i == t->ncols - 1);
		}
		mon_out_bytes(c, "\n", 1);
	}
	return enc_buf_error(&c->out);
}

static void tt_release(struct tt *t)
{
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* ---- shared formatting ---- */

static void fmt_osds(const int *v, int n, char *buf, size_t len)
{
	size_t off = 0;

	off += (size_t)snprintf(buf, len, "[");
	for (int i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%d", i ? "," : "", v[i]);
	if (off < len)
		snprintf(buf + off, len - off, "]");
}

static json_t *osds_json(const int *v, int n)
{
	json_t *a = json_array();

	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_integer(v[i]));
	return a;
}

/* Ceph's percentify: below 0.01 prints "0", else two decimals. */
static void fmt_pct(double pct, char *buf, size_t len)
{
	if (pct < 0.01)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%.2f", pct);
}

/* "1/3 objects degraded (33.333%)" or "". */
void mon_fmt_degraded(const struct mon_pg_digest *d, char *buf, size_t len)
{
	if (!d->degraded || !d->copies) {
		buf[0] = 0;
		return;
	}
	snprintf(buf, len, "%" PRIu64 "/%" PRIu64 " objects degraded (%.3f%%)", d->degraded,
		 d->copies, 100.0 * (double)d->degraded / (double)d->copies);
}

/* ---- pg stat ---- */

static int state_asc(const void *a, const void *b)
{
	const struct mon_state_count *x = a, *y = b;
	char sx[256], sy[256];

	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	mon_pg_state_str(x->state, sx, sizeof(sx));
	mon_pg_state_str(y->state, sy, sizeof(sy));
	return strcmp(sx, sy);
}

/* Ceph's rate keys, present only when there is I/O. */
static void io_rate_set(json_t *o, const double rate[MON_IO_N])
{
	if (!mon_io_any(rate))
		return;
	json_object_set_new(o, "read_bytes_sec",
			    json_integer((json_int_t)(rate[MON_IO_RD_BYTES] + 0.5)));
	json_object_set_new(o, "write_bytes_sec",
			    json_integer((json_int_t)(rate[MON_IO_WR_BYTES] + 0.5)));
	json_object_set_new(o, "read_op_per_sec", json_integer((json_int_t)(rate[MON_IO_RD] + 0.5)));
	json_object_set_new(o, "write_op_per_sec",
			    json_integer((json_int_t)(rate[MON_IO_WR] + 0.5)));
}

static json_t *io_rate_json(const double rate[MON_IO_N])
{
	json_t *o = json_object();

	if (o)
		io_rate_set(o, rate);
	return o;
}

void mon_pg_summary_json(const struct mon_pg_digest *d, json_t *o, bool with_degraded)
{
	if (with_degraded && d->degraded) {
		json_object_set_new(o, "degraded_objects", json_integer((json_int_t)d->degraded));
		json_object_set_new(o, "degraded_total", json_integer((json_int_t)d->copies));
		json_object_set_new(o, "degraded_ratio",
				    json_real((double)d->degraded / (double)d->copies));
	}
	io_rate_set(o, d->io_rate);
}

int mon_cmd_pg_stat(struct mon_cmd *c)
{
	struct mon_pg_digest d;
	struct mon_state_count *sorted;
	char used[32], avail[32], total[32], data[32], st[256], deg[128];
	int r;

	if (mon_cmd_digest(c, &d))
		return c->rc;
	sorted = malloc((d.n_states ? d.n_states : 1) * sizeof(*sorted));
	if (!sorted) {
		mon_pg_digest_release(&d);
		return mon_cmd_nomem(c);
	}
	memcpy(sorted, d.states, d.n_states * sizeof(*sorted));
	qsort(sorted, d.n_states, sizeof(*sorted), state_asc);
	if (mon_fmt_is_json(c)) {
		json_t *o = json_object(), *s = json_object(), *a = json_array();

		for (size_t i = 0; i < d.n_states; i++) {
			json_t *e = json_object();

			mon_pg_state_str(sorted[i].state, st, sizeof(st));
			json_object_set_new(e, "name", json_string(st));
			json_object_set_new(e, "num", json_integer(sorted[i].count));
			json_array_append_new(a, e);
		}
		json_object_set_new(o, "pg_ready", json_true());
		json_object_set_new(s, "num_pg_by_state", a);
		json_object_set_new(s, "num_pgs", json_integer((json_int_t)d.n_pgs));
		json_object_set_new(s, "num_bytes", json_integer((json_int_t)d.bytes));
		json_object_set_new(s, "total_bytes", json_integer((json_int_t)(d.kb << 10)));
		json_object_set_new(s, "total_avail_bytes", json_integer((json_int_t)(d.kb_avail << 10)));
		json_object_set_new(s, "total_used_bytes", json_integer((json_int_t)(d.kb_used << 10)));
		json_object_set_new(s, "total_used_raw_bytes",
				    json_integer((json_int_t)(d.kb_used << 10)));
		mon_pg_summary_json(&d, s, true);
		json_object_set_new(o, "pg_summary", s);
		r = mon_out_json_fmt_nl(c, o);
	} else {
		mon_out_printf(c, "%zu pgs: ", d.n_pgs);
		for (size_t i = 0; i < d.n_states; i++) {
			mon_pg_state_str(sorted[i].state, st, sizeof(st));
			mon_out_printf(c, "%s%u %s", i ? ", " : "", sorted[i].count, st);
		}
		mon_fmt_bytes(d.bytes, data, sizeof(data));
		mon_fmt_bytes(d.kb_used << 10, used, sizeof(used));
		mon_fmt_bytes(d.kb_avail << 10, avail, sizeof(avail));
		mon_fmt_bytes(d.kb << 10, total, sizeof(total));
		mon_out_printf(c, "; %s data, %s used, %s / %s avail", data, used, avail, total);
		mon_fmt_degraded(&d, deg, sizeof(deg));
		if (deg[0])
			mon_out_printf(c, "; %s", deg);
		if (mon_io_any(d.io_rate)) {
			/* Ceph's one-line form: byte rates when not zero, then
			 * all op/s */
			uint64_t rb = (uint64_t)(d.io_rate[MON_IO_RD_BYTES] + 0.5);
			uint64_t wb = (uint64_t)(d.io_rate[MON_IO_WR_BYTES] + 0.5);
			char b[32], ops[32];

			mon_out_printf(c, "; ");
			if (rb) {
				mon_fmt_bytes(rb, b, sizeof(b));
				mon_out_printf(c, "%s/s rd, ", b);
			}
			if (wb) {
				mon_fmt_bytes(wb, b, sizeof(b));
				mon_out_printf(c, "%s/s wr, ", b);
			}
			mon_fmt_si((uint64_t)(d.io_rate[MON_IO_RD] + d.io_rate[MON_IO_WR] + 0.5), ops,
				   sizeof(ops));
			mon_out_printf(c, "%s op/s", ops);
		}
		r = mon_out_printf(c, "\n");
	}
	free(sorted);
	mon_pg_digest_release(&d);
	return r ? mon_cmd_nomem(c) : 0;
}

/* ---- pg map ---- */

int mon_cmd_pg_map(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *s = mon_arg_str(c, "pgid");
	const struct osdmap_pool *p;
	struct osdmap_pg_mapping mp;
	char id[48], up[256], acting[256];
	int64_t pool;
	uint32_t ps;

	if (!s || mon_parse_pgid(s, &pool, &ps))
		return mon_cmd_fail(c, -EINVAL, "pgid has invalid value '%.400s'", s ? s : "");
	p = osdmap_pool_by_id(m, pool);
	if (!p)
		return mon_cmd_fail(c, -ENOENT, "pg '%.400s' does not exist", s);
	if (ps >= p->pg_num)
		return mon_cmd_fail(c, -ENOENT, "pg '%.400s' does not exist", s);
	if (osdmap_pg_to_up_acting(m, pool, ps, &mp))
		return mon_cmd_nomem(c);
	mon_fmt_pgid(pool, ps, id, sizeof(id));
	if (mon_fmt_is_json(c)) {
		json_t *o = json_object();

		json_object_set_new(o, "epoch", json_integer(m->epoch));
		json_object_set_new(o, "raw_pgid", json_string(id));
		json_object_set_new(o, "pgid", json_string(id));
		json_object_set_new(o, "up", osds_json(mp.up, mp.n_up));
		json_object_set_new(o, "acting", osds_json(mp.acting, mp.n_acting));
		return mon_out_json_fmt(c, o);
	}
	fmt_osds(mp.up, mp.n_up, up, sizeof(up));
	fmt_osds(mp.acting, mp.n_acting, acting, sizeof(acting));
	return mon_out_printf(c, "osdmap e%u pg %s (%s) -> up %s acting %s\n", m->epoch, id, id, up,
			      acting);
}

/* ---- pg dump ---- */

static json_t *pg_brief_json(const struct mon_pg_info *pg)
{
	json_t *e = json_object();
	char id[48], st[256];

	mon_fmt_pgid(pg->pool, pg->ps, id, sizeof(id));
	mon_pg_state_str(pg->state, st, sizeof(st));
	json_object_set_new(e, "pgid", json_string(id));
	json_object_set_new(e, "state", json_string(st));
	json_object_set_new(e, "up", osds_json(pg->map.up, pg->map.n_up));
	json_object_set_new(e, "acting", osds_json(pg->map.acting, pg->map.n_acting));
	json_object_set_new(e, "up_primary", json_integer(pg->map.up_primary));
	json_object_set_new(e, "acting_primary", json_integer(pg->map.acting_primary));
	return e;
}

static json_t *pg_full_json(const struct mon_pg_info *pg)
{
	json_t *e = pg_brief_json(pg), *sum = json_object();
	const struct mon_pg_stat *s = pg->stat;
	char v[64];

	snprintf(v, sizeof(v), "%u'%" PRIu64, s ? s->epoch : 0, s ? s->log_version : 0);
	json_object_set_new(e, "version", json_string(v));
	json_object_set_new(e, "reported_epoch", json_integer(s ? s->epoch : 0));
	json_object_set_new(e, "log_size", json_integer(s ? (json_int_t)s->log_version : 0));
	json_object_set_new(sum, "num_bytes", json_integer(s ? (json_int_t)s->num_bytes : 0));
	json_object_set_new(sum, "num_objects", json_integer(s ? (json_int_t)s->num_objects : 0));
	json_object_set_new(sum, "num_omap_keys",
			    json_integer(s ? (json_int_t)s->num_omap_keys : 0));
	json_object_set_new(sum, "num_read", json_integer(s ? (json_int_t)s->num_rd : 0));
	json_object_set_new(sum, "num_read_kb",
			    json_integer(s ? (json_int_t)(s->num_rd_bytes >> 10) : 0));
	json_object_set_new(sum, "num_write", json_integer(s ? (json_int_t)s->num_wr : 0));
	json_object_set_new(sum, "num_write_kb",
			    json_integer(s ? (json_int_t)(s->num_wr_bytes >> 10) : 0));
	json_object_set_new(e, "stat_sum", sum);
	return e;
}

/* Ceph's usage members of an OSD or bucket, in KiB. */
static void kb_json(json_t *e, uint64_t kb, uint64_t used, uint64_t data, uint64_t omap,
		    uint64_t meta, uint64_t avail)
{
	json_object_set_new(e, "kb", json_integer((json_int_t)kb));
	json_object_set_new(e, "kb_used", json_integer((json_int_t)used));
	json_object_set_new(e, "kb_used_data", json_integer((json_int_t)data));
	json_object_set_new(e, "kb_used_omap", json_integer((json_int_t)omap));
	json_object_set_new(e, "kb_used_meta", json_integer((json_int_t)meta));
	json_object_set_new(e, "kb_avail", json_integer((json_int_t)avail));
}

static json_t *osd_stat_json(int32_t id, const struct mon_osd_digest *od)
{
	const struct mon_pg_stats *s = od->st;
	json_t *e = json_object();

	json_object_set_new(e, "osd", json_integer(id));
	json_object_set_new(e, "num_pgs", json_integer(od->pgs));
	kb_json(e, s->kb, s->kb_used, s->kb_used_data, s->kb_used_omap, s->kb_used_meta,
		s->kb_avail);
	return e;
}

static bool want(const char *const *v, int n, const char *what)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v[i], what) == 0 || strcmp(v[i], "all") == 0)
			return true;
	return n == 0 && strcmp(what, "pgs_brief") != 0;
}

static void dump_pgs_table(struct mon_cmd *c, const struct mon_pg_digest *d, bool brief)
{
	struct tt t = { 0 };
	char st[256], up[256], acting[256], id[48];

	tt_col(&t, "PG_STAT", TT_L, TT_L);
	if (!brief) {
		tt_col(&t, "OBJECTS", TT_L, TT_R);
		tt_col(&t, "BYTES", TT_L, TT_R);
		tt_col(&t, "OMAP_KEYS*", TT_L, TT_R);
		tt_col(&t, "LOG", TT_L, TT_R);
	}
	tt_col(&t, "STATE", TT_L, TT_R);
	if (!brief)
		tt_col(&t, "VERSION", TT_L, TT_R);
	tt_col(&t, "UP", TT_L, TT_R);
	tt_col(&t, "UP_PRIMARY", TT_L, TT_R);
	tt_col(&t, "ACTING", TT_L, TT_R);
	tt_col(&t, "ACTING_PRIMARY", TT_L, TT_R);
	for (size_t i = 0; i < d->n_pgs; i++) {
		const struct mon_pg_info *pg = &d->pgs[i];
		const struct mon_pg_stat *s = pg->stat;

		mon_fmt_pgid(pg->pool, pg->ps, id, sizeof(id));
		mon_pg_state_str(pg->state, st, sizeof(st));
		fmt_osds(pg->map.up, pg->map.n_up, up, sizeof(up));
		fmt_osds(pg->map.acting, pg->map.n_acting, acting, sizeof(acting));
		tt_cell(&t, "%s", id);
		if (!brief) {
			tt_cell(&t, "%" PRIu64, s ? s->num_objects : 0);
			tt_cell(&t, "%" PRIu64, s ? s->num_bytes : 0);
			tt_cell(&t, "%" PRIu64, s ? s->num_omap_keys : 0);
			tt_cell(&t, "%" PRIu64, s ? s->log_version : 0);
		}
		tt_cell(&t, "%s", st);
		if (!brief)
			tt_cell(&t, "%u'%" PRIu64, s ? s->epoch : 0, s ? s->log_version : 0);
		tt_cell(&t, "%s", up);
		tt_cell(&t, "%d", pg->map.up_primary);
		tt_cell(&t, "%s", acting);
		tt_cell(&t, "%d", pg->map.acting_primary);
	}
	tt_print(c, &t);
	tt_release(&t);
}

static void dump_osds_table(struct mon_cmd *c, const struct mon_pg_digest *d)
{
	struct tt t = { 0 };
	char a[32], b[32], e[32];

	tt_col(&t, "OSD_STAT", TT_L, TT_L);
	tt_col(&t, "USED", TT_L, TT_R);
	tt_col(&t, "AVAIL", TT_L, TT_R);
	tt_col(&t, "USED_RAW", TT_L, TT_R);
	tt_col(&t, "TOTAL", TT_L, TT_R);
	tt_col(&t, "PG_SUM", TT_L, TT_R);
	tt_col(&t, "PRIMARY_PG_SUM", TT_L, TT_R);
	for (int32_t o = d->max_osd - 1; o >= 0; o--) {
		const struct mon_osd_digest *od = &d->osds[o];

		if (!od->st)
			continue;
		mon_fmt_bytes(od->st->kb_used << 10, a, sizeof(a));
		mon_fmt_bytes(od->st->kb_avail << 10, b, sizeof(b));
		mon_fmt_bytes(od->st->kb << 10, e, sizeof(e));
		tt_cell(&t, "%d", o);
		tt_cell(&t, "%s", a);
		tt_cell(&t, "%s", b);
		tt_cell(&t, "%s", a);
		tt_cell(&t, "%s", e);
		tt_cell(&t, "%u", od->pgs);
		tt_cell(&t, "%u", od->primary_pgs);
	}
	mon_fmt_bytes(d->kb_used << 10, a, sizeof(a));
	mon_fmt_bytes(d->kb_avail << 10, b, sizeof(b));
	mon_fmt_bytes(d->kb << 10, e, sizeof(e));
	tt_cell(&t, "sum");
	tt_cell(&t, "%s", a);
	tt_cell(&t, "%s", b);
	tt_cell(&t, "%s", a);
	tt_cell(&t, "%s", e);
	tt_cell(&t, "%s", "");
	tt_cell(&t, "%s", "");
	tt_print(c, &t);
	tt_release(&t);
}

int mon_cmd_pg_dump(struct mon_cmd *c)
{
	const char *what[16];
	int n = mon_arg_strv(c, "dumpcontents", what, 16);
	struct mon_pg_digest d;
	bool brief_only;
	int r = 0;

	if (n < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'dumpcontents'");
	for (int i = 0; i < n; i++) {
		static const char *const ok[] = { "all", "summary", "sum", "delta", "pools",
						  "osds", "pgs", "pgs_brief" };
		bool found = false;

		for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++)
			found |= strcmp(what[i], ok[k]) == 0;
		if (!found)
			return mon_cmd_fail(c, -EINVAL, "invalid dumpcontents '%.200s'", what[i]);
	}
	brief_only = n > 0 && want(what, n, "pgs_brief") && !want(what, n, "pgs");
	if (mon_cmd_digest(c, &d))
		return c->rc;
	if (mon_fmt_is_json(c)) {
		json_t *o = json_object(), *pgs = json_array();

		json_object_set_new(o, "pg_ready", json_true());
		if (brief_only) {
			for (size_t i = 0; i < d.n_pgs; i++)
				json_array_append_new(pgs, pg_brief_json(&d.pgs[i]));
			json_object_set_new(o, "pg_stats", pgs);
		} else {
			json_t *pm = json_object(), *osds = json_array(), *sum = json_object();

			for (size_t i = 0; i < d.n_pgs; i++)
				json_array_append_new(pgs, pg_full_json(&d.pgs[i]));
			for (int32_t k = 0; k < d.max_osd; k++)
				if (d.osds[k].st)
					json_array_append_new(osds, osd_stat_json(k, &d.osds[k]));
			json_object_set_new(pm, "last_osdmap_epoch", json_integer(d.epoch));
			json_object_set_new(sum, "num_objects", json_integer((json_int_t)d.objects));
			json_object_set_new(sum, "num_bytes", json_integer((json_int_t)d.bytes));
			json_object_set_new(sum, "num_omap_keys",
					    json_integer((json_int_t)d.omap_keys));
			json_object_set_new(pm, "pg_stats_sum", sum);
			json_object_set_new(pm, "pg_stats", pgs);
			json_object_set_new(pm, "osd_stats", osds);
			json_object_set_new(o, "pg_map", pm);
		}
		r = mon_out_json_fmt(c, o);
	} else {
		if (!brief_only) {
			mon_out_printf(c, "version %" PRIu64 "\n",
				       c->pgmap ? c->pgmap->n_received : 0);
			mon_out_printf(c, "last_osdmap_epoch %u\n", d.epoch);
		}
		if (want(what, n, "pgs") || want(what, n, "pgs_brief"))
			dump_pgs_table(c, &d, brief_only);
		if (!brief_only && want(what, n, "osds")) {
			mon_out_printf(c, "\n");
			dump_osds_table(c, &d);
		}
		if (!brief_only && (want(what, n, "pgs") || want(what, n, "osds")))
			mon_out_printf(c, "\n* NOTE: Omap statistics are gathered as the OSDs report them.\n");
		r = enc_buf_error(&c->out);
	}
	snprintf(c->outs, sizeof(c->outs), "dumped %s", brief_only ? "pgs_brief" : n ? what[0] : "all");
	mon_pg_digest_release(&d);
	return r ? mon_cmd_nomem(c) : 0;
}

/* ---- pg ls ---- */

/* Every state name Ceph's `pg ls` accepts, in its order; bit 0 where
 * Loligo never reports that state (the name is valid, nothing matches). */
static const struct {
	const char *name;
	uint32_t bit;
} ls_states[] = {
	{ "stale", PG_STATE_STALE },
	{ "creating", PG_STATE_CREATING },
	{ "active", PG_STATE_ACTIVE },
	{ "activating", 0 },
	{ "clean", PG_STATE_CLEAN },
	{ "recovery_wait", 0 },
	{ "recovery_toofull", 0 },
	{ "recovering", 0 },
	{ "forced_recovery", 0 },
	{ "down", PG_STATE_DOWN },
	{ "recovery_unfound", 0 },
	{ "backfill_unfound", 0 },
	{ "undersized", PG_STATE_UNDERSIZED },
	{ "degraded", PG_STATE_DEGRADED },
	{ "remapped", 0 },
	{ "premerge", 0 },
	{ "scrubbing", 0 },
	{ "deep", 0 },
	{ "inconsistent", 0 },
	{ "peering", PG_STATE_PEERING },
	{ "repair", 0 },
	{ "backfill_wait", 0 },
	{ "backfilling", 0 },
	{ "forced_backfill", 0 },
	{ "backfill_toofull", 0 },
	{ "incomplete", 0 },
	{ "peered", PG_STATE_PEERED },
	{ "snaptrim", 0 },
	{ "snaptrim_wait", 0 },
	{ "snaptrim_error", 0 },
};

/* Ceph's short span: "42s", "3m", "5h", "2d", "3w". */
static void fmt_span(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;

	if (s < 120)
		snprintf(buf, len, "%" PRIu64 "s", s);
	else if (s < 120 * 60)
		snprintf(buf, len, "%" PRIu64 "m", s / 60);
	else if (s < 48 * 3600)
		snprintf(buf, len, "%" PRIu64 "h", s / 3600);
	else if (s < 14 * 86400)
		snprintf(buf, len, "%" PRIu64 "d", s / 86400);
	else
		snprintf(buf, len, "%" PRIu64 "w", s / (7 * 86400));
}

static void fmt_stamp(uint64_t wall_ms, char *buf, size_t len)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	char day[32];

	gmtime_r(&t, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06u+0000", day, (unsigned)(wall_ms % 1000) * 1000u);
}

static bool pg_has_osd(const struct mon_pg_info *pg, int32_t osd)
{
	for (int i = 0; i < pg->map.n_up; i++)
		if (pg->map.up[i] == osd)
			return true;
	for (int i = 0; i < pg->map.n_acting; i++)
		if (pg->map.acting[i] == osd)
			return true;
	return false;
}

/*
 * pg ls [pool] [states...], ls-by-pool <pool> [states...], ls-by-primary
 * <osd> [pool] [states...], ls-by-osd <osd> [pool] [states...]: the PGs
 * whose state has ANY of the states named (all when none), as Ceph.
 */
int mon_cmd_pg_ls(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *prefix = mon_arg_str(c, "prefix"), *states[64], *poolstr;
	bool by_primary = prefix && !strcmp(prefix, "pg ls-by-primary");
	bool by_osd = prefix && !strcmp(prefix, "pg ls-by-osd");
	int ns = mon_arg_strv(c, "states", states, 64);
	int64_t pool = -1, v;
	int32_t osd = -1;
	uint32_t mask = 0;
	struct mon_pg_digest d;
	json_t *arr = NULL;
	struct tt t = { 0 };
	size_t shown = 0;
	int r;

	if (ns < 0)
		ns = 0;
	for (int i = 0; i < ns; i++) {
		size_t k;

		for (k = 0; k < sizeof(ls_states) / sizeof(ls_states[0]); k++)
			if (!strcmp(states[i], ls_states[k].name))
				break;
		if (k == sizeof(ls_states) / sizeof(ls_states[0])) {
			char all[1024] = "";

			for (k = 0; k < sizeof(ls_states) / sizeof(ls_states[0]); k++) {
				size_t at = strlen(all);
				snprintf(all + at, sizeof(all) - at, "%s%s", k ? "+" : "",
					 ls_states[k].name);
			}
			return mon_cmd_fail(c, -EINVAL,
					    "'%.200s' is not a valid pg state, available choices: %s",
					    states[i], all);
		}
		mask |= ls_states[k].bit;
	}
	poolstr = mon_arg_str(c, "poolstr");
	if (poolstr) {
		const struct osdmap_pool *p = osdmap_pool_by_name(m, poolstr);

		if (!p)
			return mon_cmd_fail(c, -ENOENT, "pool %.400s does not exist", poolstr);
		pool = p->id;
	} else if ((r = mon_arg_int(c, "pool", &v)) < 0) {
		return mon_cmd_fail(c, -EINVAL, "bad field 'pool': expected a pool id");
	} else if (r == 1) {
		if (!osdmap_pool_by_id(m, v))
			return mon_cmd_fail(c, -ENOENT, "pool %" PRId64 " does not exist", v);
		pool = v;
	}
	if (by_primary || by_osd) {
		const char *o = mon_arg_str(c, "osd");
		int64_t oi;
		int bad;

		if (o) {
			bad = mon_parse_osd_id(o, &osd);
		} else {
			bad = mon_arg_int(c, "osd", &oi) != 1 || oi < 0 || oi > INT32_MAX;
			osd = bad ? -1 : (int32_t)oi;
		}
		if (bad)
			return mon_cmd_fail(c, -EINVAL, "bad or missing field 'osd'");
		if (!osdmap_exists(m, osd) || !osdmap_is_up(m, osd))
			return mon_cmd_fail(c, -EAGAIN, "osd %d is not up", osd);
	}
	if (mon_cmd_digest(c, &d))
		return c->rc;
	if (mon_fmt_is_json(c)) {
		arr = json_array();
		if (!arr) {
			mon_pg_digest_release(&d);
			return mon_cmd_nomem(c);
		}
	} else {
		static const char *const heads[] = { "PG", "OBJECTS", "DEGRADED", "MISPLACED",
						     "UNFOUND", "BYTES", "OMAP_BYTES*", "OMAP_KEYS*",
						     "LOG", "STATE", "SINCE", "VERSION", "REPORTED",
						     "UP", "ACTING", "SCRUB_STAMP",
						     "DEEP_SCRUB_STAMP" };

		for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++)
			tt_col(&t, heads[k], TT_L, k == 0 || k == 9 || k >= 15 ? TT_L : TT_R);
	}
	for (size_t i = 0; i < d.n_pgs; i++) {
		const struct mon_pg_info *pg = &d.pgs[i];
		const struct mon_pg_stat *s = pg->stat;
		char id[48], st[256], up[256], acting[256], since[32], stamp[64];

		if (pool >= 0 && pg->pool != pool)
			continue;
		if (ns && !(pg->state & mask))
			continue;
		if (by_primary && pg->map.acting_primary != osd)
			continue;
		if (by_osd && !pg_has_osd(pg, osd))
			continue;
		shown++;
		if (arr) {
			json_array_append_new(arr, pg_full_json(pg));
			continue;
		}
		mon_fmt_pgid(pg->pool, pg->ps, id, sizeof(id));
		mon_pg_state_str(pg->state, st, sizeof(st));
		fmt_osds(pg->map.up, pg->map.n_up, up, sizeof(up));
		fmt_osds(pg->map.acting, pg->map.n_acting, acting, sizeof(acting));
		fmt_span(pg->since_ms, since, sizeof(since));
		fmt_stamp(pg->first_wall_ms, stamp, sizeof(stamp));
		tt_cell(&t, "%s", id);
		tt_cell(&t, "%" PRIu64, s ? s->num_objects : 0);
		tt_cell(&t, "0");
		tt_cell(&t, "0");
		tt_cell(&t, "0");
		tt_cell(&t, "%" PRIu64, s ? s->num_bytes : 0);
		tt_cell(&t, "0");
		tt_cell(&t, "%" PRIu64, s ? s->num_omap_keys : 0);
		tt_cell(&t, "%" PRIu64, s ? s->log_version : 0);
		tt_cell(&t, "%s", st);
		tt_cell(&t, "%s", since);
		tt_cell(&t, "%u'%" PRIu64, s ? s->epoch : 0, s ? s->log_version : 0);
		tt_cell(&t, "%u:%" PRIu64, s ? s->epoch : 0, s ? s->log_version : 0);
		tt_cell(&t, "%sp%d", up, pg->map.up_primary);
		tt_cell(&t, "%sp%d", acting, pg->map.acting_primary);
		tt_cell(&t, "%s", stamp);
		tt_cell(&t, "%s", stamp);
	}
	mon_pg_digest_release(&d);
	if (arr) {
		json_t *o = json_object();

		if (!o) {
			json_decref(arr);
			return mon_cmd_nomem(c);
		}
		json_object_set_new(o, "pg_ready", json_true());
		if (shown)
			json_object_set_new(o, "pg_stats", arr);
		else
			json_decref(arr);
		return mon_out_json_fmt(c, o);
	}
	if (shown) {
		tt_print(c, &t);
		mon_out_printf(c, "\n* NOTE: Omap statistics are gathered as the OSDs report them; "
				  "Loligo does not scrub yet, so the stamps are when this monitor "
				  "first saw each PG.\n");
	}
	tt_release(&t);
	return enc_buf_error(&c->out) ? mon_cmd_nomem(c) : 0;
}

/* ---- osd perf ---- */

int mon_cmd_osd_perf(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	struct mon_pg_digest d;
	json_t *a = NULL;
	struct tt t = { 0 };
	bool json = mon_fmt_is_json(c);
	int r;

	if (mon_cmd_digest(c, &d))
		return c->rc;
	if (json) {
		a = json_array();
		if (!a) {
			mon_pg_digest_release(&d);
			return mon_cmd_nomem(c);
		}
	} else {
		tt_col(&t, "osd", TT_L, TT_R);
		tt_col(&t, "commit_latency(ms)", TT_L, TT_R);
		tt_col(&t, "apply_latency(ms)", TT_L, TT_R);
	}
	/* the newest OSD first, as Ceph lists them */
	for (int32_t o = d.max_osd - 1; o >= 0; o--) {
		const struct mon_pg_stats *s = d.osds[o].st;

		if (!s || !osdmap_exists(m, o))
			continue;
		if (json) {
			json_array_append_new(
				a, json_pack("{s:i, s:{s:I, s:I, s:I, s:I}}", "id", o, "perf_stats",
					     "commit_latency_ms",
					     (json_int_t)(s->commit_latency_ns / 1000000),
					     "apply_latency_ms",
					     (json_int_t)(s->apply_latency_ns / 1000000),
					     "commit_latency_ns", (json_int_t)s->commit_latency_ns,
					     "apply_latency_ns", (json_int_t)s->apply_latency_ns));
			continue;
		}
		tt_cell(&t, "%d", o);
		tt_cell(&t, "%" PRIu64, s->commit_latency_ns / 1000000);
		tt_cell(&t, "%" PRIu64, s->apply_latency_ns / 1000000);
	}
	mon_pg_digest_release(&d);
	if (json) {
		json_t *o = json_pack("{s:b, s:{s:o}}", "pg_ready", 1, "osdstats", "osd_perf_infos", a);

		return o ? mon_out_json_fmt(c, o) : mon_cmd_nomem(c);
	}
	tt_print(c, &t);
	tt_release(&t);
	r = enc_buf_error(&c->out);
	return r ? mon_cmd_nomem(c) : 0;
}

/* ---- df ---- */

/* The device class name of an OSD, or NULL. */
static const char *osd_class(const struct osdmap *m, int32_t osd)
{
	int32_t cid;

	if (crush_map_item_class(m->crush, osd, &cid) < 0)
		return NULL;
	return crush_names_get(&m->crush->class_names, cid);
}

struct usage {
	uint64_t kb, kb_used, kb_avail;
};

static json_t *usage_json(const struct usage *u, bool nums)
{
	json_t *o = json_object();

	json_object_set_new(o, "total_bytes", json_integer((json_int_t)(u->kb << 10)));
	json_object_set_new(o, "total_avail_bytes", json_integer((json_int_t)(u->kb_avail << 10)));
	json_object_set_new(o, "total_used_bytes", json_integer((json_int_t)(u->kb_used << 10)));
	json_object_set_new(o, "total_used_raw_bytes", json_integer((json_int_t)(u->kb_used << 10)));
	json_object_set_new(o, "total_used_raw_ratio",
			    json_real(u->kb ? (double)u->kb_used / (double)u->kb : 0.0));
	return o;
}

static void usage_row(struct tt *t, const char *name, const struct usage *u)
{
	char a[32], b[32], e[32], pct[32];

	mon_fmt_bytes(u->kb << 10, a, sizeof(a));
	mon_fmt_bytes(u->kb_avail << 10, b, sizeof(b));
	mon_fmt_bytes(u->kb_used << 10, e, sizeof(e));
	fmt_pct(u->kb ? 100.0 * (double)u->kb_used / (double)u->kb : 0, pct, sizeof(pct));
	tt_cell(t, "%s", name);
	tt_cell(t, "%s", a);
	tt_cell(t, "%s", b);
	tt_cell(t, "%s", e);
	tt_cell(t, "%s", e);
	tt_cell(t, "%s", pct);
}

#define MAX_CLASSES 64

int mon_cmd_df(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *dv = mon_arg_str(c, "detail");
	bool detail = dv && strcmp(dv, "detail") == 0;
	const char *cls[MAX_CLASSES];
	struct usage cu[MAX_CLASSES], tot = { 0 };
	struct mon_pg_digest d;
	size_t ncls = 0;
	int r;

	if (dv && !detail)
		return mon_cmd_fail(c, -EINVAL, "invalid detail '%.200s'", dv);
	if (mon_cmd_digest(c, &d))
		return c->rc;
	memset(cu, 0, sizeof(cu));
	for (int32_t o = 0; o < d.max_osd; o++) {
		const struct mon_pg_stats *s = d.osds[o].st;
		const char *name;
		size_t k;

		if (!s || (!osdmap_is_up(m, o) && !osdmap_is_in(m, o)))
			continue;
		tot.kb += s->kb;
		tot.kb_used += s->kb_used;
		tot.kb_avail += s->kb_avail;
		name = osd_class(m, o);
		if (!name)
			continue;
		for (k = 0; k < ncls && strcmp(cls[k], name); k++)
			;
		if (k == ncls) {
			if (ncls == MAX_CLASSES)
				continue;
			cls[ncls++] = name;
		}
		cu[k].kb += s->kb;
		cu[k].kb_used += s->kb_used;
		cu[k].kb_avail += s->kb_avail;
	}
	if (mon_fmt_is_json(c)) {
		json_t *o = json_object(), *stats = usage_json(&tot, true), *bc = json_object();
		json_t *pools = json_array();

		json_object_set_new(stats, "num_osds", json_integer(d.n_osd_stats));
		json_object_set_new(stats, "num_per_pool_osds", json_integer(d.n_osd_stats));
		json_object_set_new(stats, "num_per_pool_omap_osds", json_integer(d.n_osd_stats));
		json_object_set_new(o, "stats", stats);
		for (size_t k = 0; k < ncls; k++)
			json_object_set_new(bc, cls[k], usage_json(&cu[k], false));
		json_object_set_new(o, "stats_by_class", bc);
		for (size_t i = 0; i < d.n_pools; i++) {
			const struct mon_pool_digest *pd = &d.pools[i];
			json_t *e = json_object(), *s = json_object();
			uint64_t used = pd->bytes * pd->pool->size;
			double avail_raw = (double)pd->max_avail * pd->pool->size;

			json_object_set_new(e, "name", json_string(pd->pool->name));
			json_object_set_new(e, "id", json_integer(pd->pool->id));
			json_object_set_new(s, "stored", json_integer((json_int_t)pd->bytes));
			if (detail) {
				json_object_set_new(s, "stored_data", json_integer((json_int_t)pd->bytes));
				json_object_set_new(s, "stored_omap", json_integer(0));
			}
			json_object_set_new(s, "objects", json_integer((json_int_t)pd->objects));
			json_object_set_new(s, "kb_used", json_integer((json_int_t)((used + 1023) >> 10)));
			json_object_set_new(s, "bytes_used", json_integer((json_int_t)used));
			if (detail) {
				json_object_set_new(s, "data_bytes_used", json_integer((json_int_t)used));
				json_object_set_new(s, "omap_bytes_used", json_integer(0));
			}
			json_object_set_new(s, "percent_used",
					    json_real(used ? (double)used / ((double)used + avail_raw)
							   : 0.0));
			json_object_set_new(s, "max_avail", json_integer(pd->max_avail));
			if (detail) {
				json_object_set_new(s, "quota_objects",
						    json_integer((json_int_t)pd->pool->quota_max_objects));
				json_object_set_new(s, "quota_bytes",
						    json_integer((json_int_t)pd->pool->quota_max_bytes));
				json_object_set_new(s, "dirty", json_integer(0));
				json_object_set_new(s, "rd", json_integer((json_int_t)pd->rd));
				json_object_set_new(s, "rd_bytes", json_integer((json_int_t)pd->rd_bytes));
				json_object_set_new(s, "wr", json_integer((json_int_t)pd->wr));
				json_object_set_new(s, "wr_bytes", json_integer((json_int_t)pd->wr_bytes));
				json_object_set_new(s, "compress_bytes_used", json_integer(0));
				json_object_set_new(s, "compress_under_bytes", json_integer(0));
				json_object_set_new(s, "stored_raw", json_integer((json_int_t)used));
				json_object_set_new(s, "avail_raw", json_integer((json_int_t)avail_raw));
			}
			json_object_set_new(e, "stats", s);
			json_array_append_new(pools, e);
		}
		json_object_set_new(o, "pools", pools);
		r = mon_out_json_fmt_nl(c, o);
	} else {
		struct tt t = { 0 }, p = { 0 };

		tt_col(&t, "CLASS", TT_L, TT_L);
		tt_col(&t, "SIZE", TT_R, TT_R);
		tt_col(&t, "AVAIL", TT_R, TT_R);
		tt_col(&t, "USED", TT_R, TT_R);
		tt_col(&t, "RAW USED", TT_R, TT_R);
		tt_col(&t, "%RAW USED", TT_R, TT_R);
		for (size_t k = 0; k < ncls; k++)
			usage_row(&t, cls[k], &cu[k]);
		usage_row(&t, "TOTAL", &tot);
		mon_out_printf(c, "--- RAW STORAGE ---\n");
		tt_print(c, &t);
		tt_release(&t);
		mon_out_printf(c, " \n--- POOLS ---\n");
		tt_col(&p, "POOL", TT_L, TT_L);
		tt_col(&p, "ID", TT_R, TT_R);
		tt_col(&p, "PGS", TT_R, TT_R);
		tt_col(&p, "STORED", TT_R, TT_R);
		if (detail) {
			tt_col(&p, "(DATA)", TT_R, TT_R);
			tt_col(&p, "(OMAP)", TT_R, TT_R);
		}
		tt_col(&p, "OBJECTS", TT_R, TT_R);
		tt_col(&p, "USED", TT_R, TT_R);
		if (detail) {
			tt_col(&p, "(DATA)", TT_R, TT_R);
			tt_col(&p, "(OMAP)", TT_R, TT_R);
		}
		tt_col(&p, "%USED", TT_R, TT_R);
		tt_col(&p, "MAX AVAIL", TT_R, TT_R);
		if (detail) {
			tt_col(&p, "QUOTA OBJECTS", TT_R, TT_R);
			tt_col(&p, "QUOTA BYTES", TT_R, TT_R);
			tt_col(&p, "DIRTY", TT_R, TT_R);
			tt_col(&p, "USED COMPR", TT_R, TT_R);
			tt_col(&p, "UNDER COMPR", TT_R, TT_R);
		}
		for (size_t i = 0; i < d.n_pools; i++) {
			const struct mon_pool_digest *pd = &d.pools[i];
			uint64_t used = pd->bytes * pd->pool->size;
			double avail_raw = (double)pd->max_avail * pd->pool->size;
			char st[32], us[32], ma[32], pct[32], qb[32];

			mon_fmt_bytes(pd->bytes, st, sizeof(st));
			mon_fmt_bytes(used, us, sizeof(us));
			mon_fmt_bytes((uint64_t)pd->max_avail, ma, sizeof(ma));
			fmt_pct(used ? 100.0 * (double)used / ((double)used + avail_raw) : 0, pct,
				sizeof(pct));
			tt_cell(&p, "%s", pd->pool->name);
			tt_cell(&p, "%" PRId64, pd->pool->id);
			tt_cell(&p, "%u", pd->pool->pg_num);
			tt_cell(&p, "%s", st);
			if (detail) {
				tt_cell(&p, "%s", st);
				tt_cell(&p, "0 B");
			}
			tt_cell(&p, "%" PRIu64, pd->objects);
			tt_cell(&p, "%s", us);
			if (detail) {
				tt_cell(&p, "%s", us);
				tt_cell(&p, "0 B");
			}
			tt_cell(&p, "%s", pct);
			tt_cell(&p, "%s", ma);
			if (detail) {
				mon_fmt_bytes(pd->pool->quota_max_bytes, qb, sizeof(qb));
				if (pd->pool->quota_max_objects)
					tt_cell(&p, "%" PRIu64, pd->pool->quota_max_objects);
				else
					tt_cell(&p, "N/A");
				tt_cell(&p, "%s", pd->pool->quota_max_bytes ? qb : "N/A");
				tt_cell(&p, "N/A");
				tt_cell(&p, "0 B");
				tt_cell(&p, "0 B");
			}
		}
		tt_print(c, &p);
		tt_release(&p);
		r = enc_buf_error(&c->out);
	}
	mon_pg_digest_release(&d);
	return r ? mon_cmd_nomem(c) : 0;
}

/* ---- osd df ---- */

struct osd_row {
	int32_t id;
	double crush_weight;
	int depth;
};

/* The CRUSH weight of a device where it is linked, in units of 1.0. */
static double crush_weight_of(const struct osdmap *m, int32_t osd)
{
	const struct crush_map *cm = m->crush;

	for (int32_t pos = 0; pos < cm->max_buckets; pos++) {
		const struct crush_bucket *b = cm->buckets[pos];

		if (!b || crush_map_is_shadow(cm, b->id))
			continue;
		for (uint32_t i = 0; i < b->size; i++)
			if (b->items[i] == osd)
				return (double)b->item_weights[i] / 0x10000;
	}
	return 0;
}

/* How deep the device sits in the CRUSH tree (root -> host -> osd: 2). */
static int crush_depth_of(const struct osdmap *m, int32_t osd)
{
	int32_t item = osd, parent;
	int depth = 0;

	while (depth < 64 && crush_map_parent(m->crush, item, &parent, false) == 0) {
		item = parent;
		depth++;
	}
	return depth;
}

static double util_of(const struct mon_pg_stats *s)
{
	return s && s->kb ? 100.0 * (double)s->kb_used / (double)s->kb : 0;
}

/* One row of `osd df`: an OSD, or (tree) a bucket with its OSDs' sums. */
struct df_row {
	int32_t id;
	int depth;
	double weight; /* CRUSH weight */
	uint64_t kb, kb_used, kb_avail, kb_data, kb_omap, kb_meta;
	uint32_t pgs;
};

static void df_add_osd(const struct mon_pg_digest *d, int32_t o, struct df_row *r)
{
	const struct mon_pg_stats *s = o >= 0 && o < d->max_osd ? d->osds[o].st : NULL;

	if (!s)
		return;
	r->kb += s->kb;
	r->kb_used += s->kb_used;
	r->kb_avail += s->kb_avail;
	r->kb_data += s->kb_used_data;
	r->kb_omap += s->kb_used_omap;
	r->kb_meta += s->kb_used_meta;
}

/* A bucket's row: the sums of the OSDs beneath it. */
static void df_add_bucket(const struct osdmap *m, const struct mon_pg_digest *d, int32_t id,
			  struct df_row *r, int depth)
{
	const struct crush_bucket *b = crush_map_bucket(m->crush, id);

	for (uint32_t i = 0; b && i < b->size && depth < 64; i++) {
		int32_t it = b->items[i];

		if (it >= 0) {
			if (osdmap_exists(m, it))
				df_add_osd(d, it, r);
		} else {
			df_add_bucket(m, d, it, r, depth + 1);
		}
	}
}

static double df_util(const struct df_row *r)
{
	return r->kb ? 100.0 * (double)r->kb_used / (double)r->kb : 0;
}

/* The rows: every OSD (plain), or the CRUSH tree as `osd tree` lists it. */
static int df_rows(const struct osdmap *m, const struct mon_pg_digest *d, bool tree,
		   struct df_row **out, size_t *n)
{
	struct osdmap_tree_item *items = NULL;
	size_t ni = 0, k = 0;
	struct df_row *rows;

	if (tree && osdmap_tree_items(m, &items, &ni))
		return -ENOMEM;
	rows = calloc((tree ? ni : (size_t)m->max_osd) + 1, sizeof(*rows));
	if (!rows) {
		free(items);
		return -ENOMEM;
	}
	if (tree) {
		for (size_t i = 0; i < ni; i++) {
			struct df_row *r = &rows[k];

			if (items[i].id >= 0 && !osdmap_exists(m, items[i].id))
				continue;
			r->id = items[i].id;
			r->depth = items[i].depth;
			r->weight = (double)items[i].weight / 0x10000;
			if (r->id >= 0) {
				df_add_osd(d, r->id, r);
				r->pgs = d->osds[r->id].pgs;
			} else {
				df_add_bucket(m, d, r->id, r, 0);
			}
			k++;
		}
	} else {
		for (int32_t o = 0; o < m->max_osd; o++) {
			struct df_row *r = &rows[k];

			if (!osdmap_exists(m, o))
				continue;
			r->id = o;
			r->depth = crush_depth_of(m, o);
			r->weight = crush_weight_of(m, o);
			df_add_osd(d, o, r);
			r->pgs = o < d->max_osd ? d->osds[o].pgs : 0;
			k++;
		}
	}
	free(items);
	*out = rows;
	*n = k;
	return 0;
}

static json_t *df_row_json(const struct osdmap *m, const struct df_row *r, double avg)
{
	json_t *e = json_object();
	double u = df_util(r);

	json_object_set_new(e, "id", json_integer(r->id));
	if (r->id >= 0) {
		const char *cl = osd_class(m, r->id);
		char name[32];

		snprintf(name, sizeof(name), "osd.%d", r->id);
		if (cl)
			json_object_set_new(e, "device_class", json_string(cl));
		json_object_set_new(e, "name", json_string(name));
		json_object_set_new(e, "type", json_string("osd"));
		json_object_set_new(e, "type_id", json_integer(0));
		json_object_set_new(e, "crush_weight", json_real(r->weight));
		json_object_set_new(e, "depth", json_integer(r->depth));
		json_object_set_new(e, "pool_weights", json_object());
		json_object_set_new(e, "reweight", json_real((double)m->osds[r->id].weight / 0x10000));
	} else {
		const struct crush_bucket *b = crush_map_bucket(m->crush, r->id);
		const char *n = crush_names_get(&m->crush->item_names, r->id);
		const char *tn = b ? crush_names_get(&m->crush->type_names, b->type) : NULL;

		json_object_set_new(e, "name", json_string(n ? n : ""));
		json_object_set_new(e, "type", json_string(tn ? tn : ""));
		json_object_set_new(e, "type_id", json_integer(b ? b->type : 0));
		json_object_set_new(e, "reweight", json_integer(-1));
	}
	kb_json(e, r->kb, r->kb_used, r->kb_data, r->kb_omap, r->kb_meta, r->kb_avail);
	json_object_set_new(e, "utilization", json_real(u));
	json_object_set_new(e, "var", json_real(avg > 0 ? u / avg : 0));
	json_object_set_new(e, "pgs", json_integer(r->pgs));
	if (r->id >= 0) {
		json_object_set_new(e, "status",
				    json_string(osdmap_is_up(m, r->id) ? "up" : "down"));
	} else {
		const struct crush_bucket *b = crush_map_bucket(m->crush, r->id);
		json_t *kids = json_array();

		/* Ceph lists a bucket's children last item first */
		for (uint32_t i = b ? b->size : 0; i > 0; i--)
			json_array_append_new(kids, json_integer(b->items[i - 1]));
		json_object_set_new(e, "children", kids);
	}
	return e;
}

/* The usage cells of a row or of the total, as Ceph prints them. */
static void df_usage_cells(struct tt *t, const struct df_row *r)
{
	const uint64_t kib[] = { r->kb, r->kb_used, r->kb_data, r->kb_omap, r->kb_meta, r->kb_avail };
	char v[32];

	for (size_t i = 0; i < sizeof(kib) / sizeof(kib[0]); i++) {
		mon_fmt_bytes(kib[i] << 10, v, sizeof(v));
		tt_cell(t, "%s", v);
	}
}

int mon_cmd_osd_df(struct mon_cmd *c)
{
	static const char *const heads[] = { "ID",	"CLASS",   "WEIGHT", "REWEIGHT", "SIZE",
					     "RAW USE", "DATA",	   "OMAP",   "META",	 "AVAIL",
					     "%USE",	"VAR",	   "PGS",    "STATUS" };
	const struct osdmap *m = c->st->osdmap;
	const char *method = mon_arg_str(c, "output_method");
	const char *filter_by = mon_arg_str(c, "filter_by"), *filter = mon_arg_str(c, "filter");
	struct mon_pg_digest d;
	double avg, minv = 0, maxv = 0, dev, sum_sq = 0;
	uint64_t n_util = 0;
	struct df_row tot = { 0 }, *rows = NULL;
	size_t n = 0;
	struct tt t = { 0 };
	bool tree, first = true;
	int r;

	if (method && strcmp(method, "plain") && strcmp(method, "tree"))
		return mon_cmd_fail(c, -EINVAL, "invalid output_method '%.200s'", method);
	tree = method && !strcmp(method, "tree");
	if (filter_by || filter)
		return mon_cmd_fail(c, -EOPNOTSUPP, "osd df filters are not supported by Loligo yet");
	if (mon_cmd_digest(c, &d))
		return c->rc;
	if (df_rows(m, &d, tree, &rows, &n)) {
		mon_pg_digest_release(&d);
		return mon_cmd_nomem(c);
	}
	/* the totals and the spread are over the OSDs that report a size */
	for (int32_t o = 0; o < d.max_osd; o++)
		if (osdmap_exists(m, o) && d.osds[o].st && d.osds[o].st->kb)
			df_add_osd(&d, o, &tot);
	avg = df_util(&tot);
	for (int32_t o = 0; o < d.max_osd; o++) {
		const struct mon_pg_stats *s = d.osds[o].st;
		double u, var;

		if (!osdmap_exists(m, o) || !s || !s->kb)
			continue;
		u = util_of(s);
		var = avg > 0 ? u / avg : 0;
		if (first || var < minv)
			minv = var;
		if (first || var > maxv)
			maxv = var;
		first = false;
		sum_sq += (u - avg) * (u - avg);
		n_util++;
	}
	dev = n_util ? sqrt(sum_sq / (double)n_util) : 0;
	if (mon_fmt_is_json(c)) {
		json_t *o = json_object(), *nodes = json_array(), *sm = json_object();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(nodes, df_row_json(m, &rows[i], avg));
		json_object_set_new(o, "nodes", nodes);
		json_object_set_new(o, "stray", json_array());
		json_object_set_new(sm, "total_kb", json_integer((json_int_t)tot.kb));
		json_object_set_new(sm, "total_kb_used", json_integer((json_int_t)tot.kb_used));
		json_object_set_new(sm, "total_kb_used_data", json_integer((json_int_t)tot.kb_data));
		json_object_set_new(sm, "total_kb_used_omap", json_integer((json_int_t)tot.kb_omap));
		json_object_set_new(sm, "total_kb_used_meta", json_integer((json_int_t)tot.kb_meta));
		json_object_set_new(sm, "total_kb_avail", json_integer((json_int_t)tot.kb_avail));
		json_object_set_new(sm, "average_utilization", json_real(avg));
		json_object_set_new(sm, "min_var", json_real(minv));
		json_object_set_new(sm, "max_var", json_real(maxv));
		json_object_set_new(sm, "dev", json_real(dev));
		json_object_set_new(o, "summary", sm);
		r = mon_out_json_fmt_nl(c, o);
	} else {
		for (size_t k = 0; k < sizeof(heads) / sizeof(heads[0]); k++)
			tt_col(&t, heads[k], TT_L, TT_R);
		if (tree)
			tt_col(&t, "TYPE NAME", TT_L, TT_L);
		for (size_t i = 0; i < n; i++) {
			const struct df_row *rw = &rows[i];
			double u = df_util(rw);

			tt_cell(&t, "%d", rw->id);
			if (rw->id >= 0) {
				const char *cl = osd_class(m, rw->id);

				tt_cell(&t, "%s", cl ? cl : "");
				tt_cell(&t, "%.5f", rw->weight);
				tt_cell(&t, "%.5f", (double)m->osds[rw->id].weight / 0x10000);
			} else {
				tt_cell(&t, "%s", "");
				tt_cell(&t, "%.5f", rw->weight);
				tt_cell(&t, "-");
			}
			df_usage_cells(&t, rw);
			tt_cell(&t, "%.2f", u);
			tt_cell(&t, "%.2f", avg > 0 ? u / avg : 0);
			if (rw->id >= 0) {
				tt_cell(&t, "%u", rw->pgs);
				tt_cell(&t, "%s", osdmap_is_up(m, rw->id) ? "up" : "down");
			} else {
				tt_cell(&t, "-");
				tt_cell(&t, "%s", "");
			}
			if (tree) {
				const char *nm = crush_names_get(&m->crush->item_names, rw->id);
				const struct crush_bucket *b =
					rw->id < 0 ? crush_map_bucket(m->crush, rw->id) : NULL;
				const char *tn =
					b ? crush_names_get(&m->crush->type_names, b->type) : NULL;

				if (rw->id >= 0)
					tt_cell(&t, "%*sosd.%d", rw->depth * 4, "", rw->id);
				else
					tt_cell(&t, "%*s%s %s", rw->depth * 4, "", tn ? tn : "",
						nm ? nm : "");
			}
		}
		tt_cell(&t, "%s", "");
		tt_cell(&t, "%s", "");
		tt_cell(&t, "%s", "");
		tt_cell(&t, "TOTAL");
		df_usage_cells(&t, &tot);
		tt_cell(&t, "%.2f", avg);
		tt_cell(&t, "%s", "");
		tt_cell(&t, "%s", "");
		tt_cell(&t, "%s", "");
		if (tree)
			tt_cell(&t, "%s", "");
		tt_print(c, &t);
		tt_release(&t);
		if (dev == 0)
			mon_out_printf(c, "MIN/MAX VAR: %.2f/%.2f  STDDEV: 0\n", minv, maxv);
		else
			mon_out_printf(c, "MIN/MAX VAR: %.2f/%.2f  STDDEV: %.2f\n", minv, maxv, dev);
		r = enc_buf_error(&c->out);
	}
	free(rows);
	mon_pg_digest_release(&d);
	return r ? mon_cmd_nomem(c) : 0;
}

/* ---- osd pool stats ---- */

int mon_cmd_osd_pool_stats(struct mon_cmd *c)
{
	const char *only = mon_arg_str(c, "pool_name");
	struct mon_pg_digest d;
	json_t *a = NULL;
	bool json = mon_fmt_is_json(c);
	int r = 0;

	if (only && !osdmap_pool_by_name(c->st->osdmap, only))
		return mon_cmd_fail(c, -ENOENT, "unrecognized pool '%.400s'", only);
	if (mon_cmd_digest(c, &d))
		return c->rc;
	if (json)
		a = json_array();
	for (size_t i = 0; i < d.n_pools; i++) {
		const struct mon_pool_digest *pd = &d.pools[i];

		if (only && strcmp(only, pd->pool->name))
			continue;
		if (json) {
			json_t *e = json_object(), *rec = json_object();

			json_object_set_new(e, "pool_name", json_string(pd->pool->name));
			json_object_set_new(e, "pool_id", json_integer(pd->pool->id));
			if (pd->degraded) {
				json_object_set_new(rec, "degraded_objects",
						    json_integer((json_int_t)pd->degraded));
				json_object_set_new(rec, "degraded_total",
						    json_integer((json_int_t)pd->copies));
				json_object_set_new(rec, "degraded_ratio",
						    json_real((double)pd->degraded / (double)pd->copies));
			}
			json_object_set_new(e, "recovery", rec);
			json_object_set_new(e, "recovery_rate", json_object());
			json_object_set_new(e, "client_io_rate", io_rate_json(pd->io_rate));
			json_array_append_new(a, e);
			continue;
		}
		mon_out_printf(c, "pool %s id %" PRId64 "\n", pd->pool->name, pd->pool->id);
		if (pd->degraded)
			mon_out_printf(c, "  %" PRIu64 "/%" PRIu64 " objects degraded (%.3f%%)\n",
				       pd->degraded, pd->copies,
				       100.0 * (double)pd->degraded / (double)pd->copies);
		if (mon_io_any(pd->io_rate)) {
			char io[256];

			mon_fmt_io(pd->io_rate, io, sizeof(io));
			mon_out_printf(c, "  client io %s\n", io);
		}
		if (!pd->degraded && !mon_io_any(pd->io_rate))
			mon_out_printf(c, "  nothing is going on\n");
		mon_out_printf(c, "\n");
	}
	if (json)
		r = mon_out_json_fmt(c, a);
	else
		r = enc_buf_error(&c->out);
	mon_pg_digest_release(&d);
	return r ? mon_cmd_nomem(c) : 0;
}
