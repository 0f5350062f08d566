/*
 * The plain-text views of a map, in the exact text Ceph 16's monitor
 * prints: `ceph osd map`, `osd pool ls detail`, `osd dump`, `osd stat`
 * and `osd tree`.  Read-only; each writes to a stdio stream and returns
 * 0, -ENOENT (unknown pool) or -ENOMEM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "osdmap/osdmap.h"
#include "osdmap/placement.h"

/* The flags `osd stat` leaves out: every modern cluster has them. */
#define STAT_HIDDEN_FLAGS                                                       \
	(OSDMAP_FLAGS_DEFAULT | OSDMAP_FLAG_REQUIRE_JEWEL | OSDMAP_FLAG_REQUIRE_KRAKEN | \
	 OSDMAP_FLAG_REQUIRE_LUMINOUS)

static void print_osd_list(FILE *out, const int *v, int n)
{
	fputc('[', out);
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		if (v[i] == CRUSH_ITEM_NONE)
			fputs("NONE", out);
		else
			fprintf(out, "%d", v[i]);
	}
	fputc(']', out);
}

int osdmap_print_object_map(const struct osdmap *m, const char *pool_name,
			    const char *nspace, const char *name, FILE *out)
{
	const struct osdmap_pool *p = osdmap_pool_by_name(m, pool_name);
	struct osdmap_object_mapping om;
	int ret;

	if (!p)
		return -ENOENT;
	ret = osdmap_map_object(m, p->id, nspace, NULL, name, &om);
	if (ret)
		return ret;
	fprintf(out, "osdmap e%u pool '%s' (%lld) object '%s%s%s' -> pg %lld.%x (%lld.%x) -> up (",
		m->epoch, p->name, (long long)p->id, nspace && *nspace ? nspace : "",
		nspace && *nspace ? "/" : "", name, (long long)p->id, om.raw_hash,
		(long long)p->id, om.ps);
	print_osd_list(out, om.pg.up, om.pg.n_up);
	fprintf(out, ", p%d) acting (", om.pg.up_primary);
	print_osd_list(out, om.pg.acting, om.pg.n_acting);
	fprintf(out, ", p%d)\n", om.pg.acting_primary);
	return 0;
}

static const char *const autoscale_names[] = { "off", "warn", "on" };

int osdmap_print_pool(const struct osdmap_pool *p, FILE *out)
{
	char flags[512];

	fprintf(out, "pool %lld '%s' ", (long long)p->id, p->name);
	if (p->type == POOL_TYPE_ERASURE)
		fprintf(out, "erasure profile %s", p->erasure_code_profile);
	else
		fputs("replicated", out);
	fprintf(out,
		" size %u min_size %u crush_rule %d object_hash rjenkins pg_num %u pgp_num %u"
		" autoscale_mode %s last_change %u",
		p->size, p->min_size, p->crush_rule, p->pg_num, p->pgp_num,
		autoscale_names[p->autoscale_mode <= POOL_AUTOSCALE_ON ? p->autoscale_mode : 0],
		p->last_change);
	if (p->flags) {
		osdmap_pool_flags_str(p->flags, flags, sizeof(flags));
		fprintf(out, " flags %s", flags);
	}
	if (p->quota_max_bytes)
		fprintf(out, " max_bytes %llu", (unsigned long long)p->quota_max_bytes);
	if (p->quota_max_objects)
		fprintf(out, " max_objects %llu", (unsigned long long)p->quota_max_objects);
	fprintf(out, " stripe_width %u", p->stripe_width);
	for (size_t i = 0; i < p->n_apps; i++)
		fprintf(out, "%s%s", i ? "," : " application ", p->apps[i].name);
	fputc('\n', out);
	return 0;
}

int osdmap_print_pools(const struct osdmap *m, FILE *out)
{
	for (size_t i = 0; i < m->n_pools; i++)
		osdmap_print_pool(&m->pools[i], out);
	fputc('\n', out);
	return 0;
}

static void print_addr(FILE *out, const struct osdmap_addr *a)
{
	if (a->addr[0])
		fprintf(out, "v2:%s/%u", a->addr, a->nonce);
}

static const char *const osd_state_names[] = {
	"exists", "up", "autoout", "new", "full", "nearfull", "backfillfull", "destroyed",
	"noup", "nodown", "noin", "noout", "stop",
};

static void print_osd_state(FILE *out, uint32_t state)
{
	bool first = true;

	for (size_t i = 0; i < sizeof(osd_state_names) / sizeof(osd_state_names[0]); i++) {
		if (!(state & (1u << i)))
			continue;
		fprintf(out, "%s%s", first ? "" : ",", osd_state_names[i]);
		first = false;
	}
}

static bool uuid_zero(const uint8_t u[16])
{
	for (int i = 0; i < 16; i++)
		if (u[i])
			return false;
	return true;
}

int osdmap_print_dump(const struct osdmap *m, FILE *out)
{
	char buf[64], flags[512];

	fprintf(out, "epoch %u\n", m->epoch);
	osdmap_uuid_str(m->fsid, buf);
	fprintf(out, "fsid %s\n", buf);
	osdmap_time_str(m->created, buf, sizeof(buf));
	fprintf(out, "created %s\n", buf);
	osdmap_time_str(m->modified, buf, sizeof(buf));
	fprintf(out, "modified %s\n", buf);
	osdmap_flags_str(m->flags, flags, sizeof(flags));
	fprintf(out, "flags %s\n", flags);
	fprintf(out, "crush_version %u\n", m->crush_version);
	/* Loligo has no full ratios or release gates yet: Ceph's defaults. */
	fputs("full_ratio 0.95\nbackfillfull_ratio 0.9\nnearfull_ratio 0.85\n"
	      "require_min_compat_client luminous\nmin_compat_client jewel\n"
	      "require_osd_release pacific\nstretch_mode_enabled false\n",
	      out);
	for (size_t i = 0; i < m->n_pools; i++)
		osdmap_print_pool(&m->pools[i], out);
	fprintf(out, "max_osd %d\n", m->max_osd);
	for (int i = 0; i < m->max_osd; i++) {
		const struct osdmap_osd *o = &m->osds[i];
		if (!osdmap_exists(m, i))
			continue;
		fprintf(out, "osd.%d %s %s weight %g up_from %u up_thru %u down_at %u", i,
			osdmap_is_up(m, i) ? "up  " : "down", osdmap_is_in(m, i) ? "in " : "out",
			(double)o->weight / 0x10000, o->up_from, o->up_thru, o->down_at);
		if (o->lost_at)
			fprintf(out, " lost_at %u", o->lost_at);
		fprintf(out, " last_clean_interval [%u,%u) ", o->last_clean_begin,
			o->last_clean_end);
		print_addr(out, &o->public_addr);
		fputc(' ', out);
		print_addr(out, &o->cluster_addr);
		fputc(' ', out);
		print_osd_state(out, o->state);
		if (!uuid_zero(o->uuid)) {
			osdmap_uuid_str(o->uuid, buf);
			fprintf(out, " %s", buf);
		}
		fputc('\n', out);
	}
	return 0;
}

void osdmap_timespan_str(double s, char *buf, size_t len)
{
	uint64_t sec = s > 0 ? (uint64_t)s : 0, min, hr, day;

	if (s < 2.0) {
		snprintf(buf, len, "%gs", s < 0 ? 0.0 : s);
		return;
	}
	if (sec < 120) {
		snprintf(buf, len, "%llus", (unsigned long long)sec);
		return;
	}
	min = sec / 60;
	if (min < 120) {
		snprintf(buf, len, "%llum", (unsigned long long)min);
		return;
	}
	hr = min / 60;
	if (hr < 48) {
		snprintf(buf, len, "%lluh", (unsigned long long)hr);
		return;
	}
	day = hr / 24;
	if (day < 14)
		snprintf(buf, len, "%llud", (unsigned long long)day);
	else if (day / 7 < 12)
		snprintf(buf, len, "%lluw", (unsigned long long)(day / 7));
	else if (day / 30 < 24)
		snprintf(buf, len, "%lluM", (unsigned long long)(day / 30));
	else
		snprintf(buf, len, "%lluy", (unsigned long long)(day / 365));
}

static void print_since(FILE *out, struct osdmap_time when, struct osdmap_time now)
{
	char span[32];

	if (!when.sec && !when.nsec)
		return;
	osdmap_timespan_str((double)(now.sec - when.sec) +
				    ((double)now.nsec - (double)when.nsec) / 1e9,
			    span, sizeof(span));
	fprintf(out, " (since %s)", span);
}

int osdmap_print_stat(const struct osdmap *m, struct osdmap_time now, FILE *out)
{
	char flags[512];

	fprintf(out, "%d osds: %d up", osdmap_count_exists(m), osdmap_count_up(m));
	print_since(out, m->last_up_change, now);
	fprintf(out, ", %d in", osdmap_count_in(m));
	print_since(out, m->last_in_change, now);
	fprintf(out, "; epoch: e%u\n", m->epoch);
	if (m->flags & ~STAT_HIDDEN_FLAGS) {
		osdmap_flags_str(m->flags & ~STAT_HIDDEN_FLAGS, flags, sizeof(flags));
		fprintf(out, "flags %s\n", flags);
	}
	return 0;
}
