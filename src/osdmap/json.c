/*
 * The JSON views of a map in the shapes Ceph 16's monitor returns for
 * `--format json`: `osd dump`, `osd pool ls detail`, `osd stat` and
 * `osd map`.  Fields Loligo does not model (cache tiers, snapshots, hit
 * sets, upmaps, blocklists) are present with the values a fresh Ceph
 * cluster shows, so scripts that read them keep working.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "osdmap/internal.h"

json_t *osdmap__json_num(double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

json_t *osdmap__json_weight(uint32_t w)
{
	return osdmap__json_num((double)w / 0x10000);
}

/* A builder that remembers its first allocation failure. */
struct jb {
	bool failed;
};

static json_t *jset(struct jb *b, json_t *obj, const char *key, json_t *val)
{
	if (!obj || !val || json_object_set_new(obj, key, val))
		b->failed = true;
	return val;
}

static void jpush(struct jb *b, json_t *arr, json_t *val)
{
	if (!arr || !val || json_array_append_new(arr, val))
		b->failed = true;
}

static json_t *jtime(struct osdmap_time t)
{
	char buf[64];
	osdmap_time_str(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *jstrf(const char *fmt, unsigned long long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), fmt, v);
	return json_string(buf);
}

static const char *const autoscale_names[] = { "off", "warn", "on" };

void *osdmap_json_pool(const struct osdmap_pool *p, bool ls_detail)
{
	struct jb b = { false };
	json_t *o = json_object(), *t, *apps;
	char flags[512];

	jset(&b, o, ls_detail ? "pool_id" : "pool", json_integer(p->id));
	jset(&b, o, "pool_name", json_string(p->name));
	jset(&b, o, "create_time", jtime(p->create_time));
	jset(&b, o, "flags", json_integer((json_int_t)p->flags));
	osdmap_pool_flags_str(p->flags, flags, sizeof(flags));
	jset(&b, o, "flags_names", json_string(flags));
	jset(&b, o, "type", json_integer(p->type));
	jset(&b, o, "size", json_integer(p->size));
	jset(&b, o, "min_size", json_integer(p->min_size));
	jset(&b, o, "crush_rule", json_integer(p->crush_rule));
	jset(&b, o, "peering_crush_bucket_count", json_integer(0));
	jset(&b, o, "peering_crush_bucket_target", json_integer(0));
	jset(&b, o, "peering_crush_bucket_barrier", json_integer(0));
	jset(&b, o, "peering_crush_bucket_mandatory_member", json_integer(CRUSH_ITEM_NONE));
	jset(&b, o, "object_hash", json_integer(p->object_hash));
	jset(&b, o, "pg_autoscale_mode",
	     json_string(autoscale_names[p->autoscale_mode <= POOL_AUTOSCALE_ON
						 ? p->autoscale_mode
						 : 0]));
	jset(&b, o, "pg_num", json_integer(p->pg_num));
	jset(&b, o, "pg_placement_num", json_integer(p->pgp_num));
	jset(&b, o, "pg_placement_num_target", json_integer(p->pgp_num));
	jset(&b, o, "pg_num_target", json_integer(p->pg_num));
	jset(&b, o, "pg_num_pending", json_integer(p->pg_num));
	t = jset(&b, o, "last_pg_merge_meta", json_object());
	jset(&b, t, "source_pgid", json_string("0.0"));
	jset(&b, t, "ready_epoch", json_integer(0));
	jset(&b, t, "last_epoch_started", json_integer(0));
	jset(&b, t, "last_epoch_clean", json_integer(0));
	jset(&b, t, "source_version", json_string("0'0"));
	jset(&b, t, "target_version", json_string("0'0"));
	jset(&b, o, "last_change", jstrf("%llu", p->last_change));
	jset(&b, o, "last_force_op_resend", json_string("0"));
	jset(&b, o, "last_force_op_resend_prenautilus", json_string("0"));
	jset(&b, o, "last_force_op_resend_preluminous", json_string("0"));
	jset(&b, o, "auid", json_integer(0));
	jset(&b, o, "snap_mode", json_string("selfmanaged"));
	jset(&b, o, "snap_seq", json_integer(0));
	jset(&b, o, "snap_epoch", json_integer(0));
	jset(&b, o, "pool_snaps", json_array());
	jset(&b, o, "removed_snaps", json_string("[]"));
	jset(&b, o, "quota_max_bytes", json_integer((json_int_t)p->quota_max_bytes));
	jset(&b, o, "quota_max_objects", json_integer((json_int_t)p->quota_max_objects));
	jset(&b, o, "tiers", json_array());
	jset(&b, o, "tier_of", json_integer(-1));
	jset(&b, o, "read_tier", json_integer(-1));
	jset(&b, o, "write_tier", json_integer(-1));
	jset(&b, o, "cache_mode", json_string("none"));
	jset(&b, o, "target_max_bytes", json_integer(0));
	jset(&b, o, "target_max_objects", json_integer(0));
	jset(&b, o, "cache_target_dirty_ratio_micro", json_integer(400000));
	jset(&b, o, "cache_target_dirty_high_ratio_micro", json_integer(600000));
	jset(&b, o, "cache_target_full_ratio_micro", json_integer(800000));
	jset(&b, o, "cache_min_flush_age", json_integer(0));
	jset(&b, o, "cache_min_evict_age", json_integer(0));
	jset(&b, o, "erasure_code_profile",
	     json_string(p->erasure_code_profile ? p->erasure_code_profile : ""));
	t = jset(&b, o, "hit_set_params", json_object());
	jset(&b, t, "type", json_string("none"));
	jset(&b, o, "hit_set_period", json_integer(0));
	jset(&b, o, "hit_set_count", json_integer(0));
	jset(&b, o, "use_gmt_hitset", json_true());
	jset(&b, o, "min_read_recency_for_promote", json_integer(0));
	jset(&b, o, "min_write_recency_for_promote", json_integer(0));
	jset(&b, o, "hit_set_grade_decay_rate", json_integer(0));
	jset(&b, o, "hit_set_search_last_n", json_integer(0));
	jset(&b, o, "grade_table", json_array());
	jset(&b, o, "stripe_width", json_integer(p->stripe_width));
	jset(&b, o, "expected_num_objects", json_integer(0));
	jset(&b, o, "fast_read", json_false());
	jset(&b, o, "options", json_object());
	apps = jset(&b, o, "application_metadata", json_object());
	for (size_t i = 0; i < p->n_apps && apps; i++) {
		json_t *kv = jset(&b, apps, p->apps[i].name, json_object());
		for (size_t k = 0; k < p->apps[i].n_kv && kv; k++)
			jset(&b, kv, p->apps[i].kv[k].key, json_string(p->apps[i].kv[k].val));
	}
	if (b.failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void *osdmap_json_pools(const struct osdmap *m)
{
	struct jb b = { false };
	json_t *arr = json_array();

	for (size_t i = 0; i < m->n_pools && arr; i++)
		jpush(&b, arr, osdmap_json_pool(&m->pools[i], true));
	if (b.failed) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *jaddrvec(const struct osdmap_addr *a)
{
	struct jb b = { false };
	json_t *o = json_object(), *v = jset(&b, o, "addrvec", json_array());

	if (a->addr[0]) {
		json_t *e = json_object();
		jset(&b, e, "type", json_string("v2"));
		jset(&b, e, "addr", json_string(a->addr));
		jset(&b, e, "nonce", json_integer(a->nonce));
		jpush(&b, v, e);
	}
	if (b.failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jaddr(const struct osdmap_addr *a)
{
	char buf[OSDMAP_ADDR_MAX + 16];

	if (!a->addr[0])
		return json_string("-");
	snprintf(buf, sizeof(buf), "%s/%u", a->addr, a->nonce);
	return json_string(buf);
}

static const char *const osd_state_names[] = {
	"exists", "up", "autoout", "new", "full", "nearfull", "backfillfull", "destroyed",
	"noup", "nodown", "noin", "noout", "stop",
};

static json_t *josd(const struct osdmap *m, int i)
{
	struct jb b = { false };
	const struct osdmap_osd *d = &m->osds[i];
	json_t *o = json_object(), *st;
	char uuid[37];

	osdmap_uuid_str(d->uuid, uuid);
	jset(&b, o, "osd", json_integer(i));
	jset(&b, o, "uuid", json_string(uuid));
	jset(&b, o, "up", json_integer(osdmap_is_up(m, i)));
	jset(&b, o, "in", json_integer(osdmap_is_in(m, i)));
	jset(&b, o, "weight", osdmap__json_weight(d->weight));
	jset(&b, o, "primary_affinity", osdmap__json_weight(d->primary_affinity));
	jset(&b, o, "last_clean_begin", json_integer(d->last_clean_begin));
	jset(&b, o, "last_clean_end", json_integer(d->last_clean_end));
	jset(&b, o, "up_from", json_integer(d->up_from));
	jset(&b, o, "up_thru", json_integer(d->up_thru));
	jset(&b, o, "down_at", json_integer(d->down_at));
	jset(&b, o, "lost_at", json_integer(d->lost_at));
	/* One address each; the heartbeat addresses are the same sockets. */
	jset(&b, o, "public_addrs", jaddrvec(&d->public_addr));
	jset(&b, o, "cluster_addrs", jaddrvec(&d->cluster_addr));
	jset(&b, o, "heartbeat_back_addrs", jaddrvec(&d->cluster_addr));
	jset(&b, o, "heartbeat_front_addrs", jaddrvec(&d->public_addr));
	jset(&b, o, "public_addr", jaddr(&d->public_addr));
	jset(&b, o, "cluster_addr", jaddr(&d->cluster_addr));
	jset(&b, o, "heartbeat_back_addr", jaddr(&d->cluster_addr));
	jset(&b, o, "heartbeat_front_addr", jaddr(&d->public_addr));
	st = jset(&b, o, "state", json_array());
	for (size_t k = 0; k < sizeof(osd_state_names) / sizeof(osd_state_names[0]); k++)
		if (d->state & (1u << k))
			jpush(&b, st, json_string(osd_state_names[k]));
	if (b.failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jxinfo(int i)
{
	struct jb b = { false };
	json_t *o = json_object();

	jset(&b, o, "osd", json_integer(i));
	jset(&b, o, "down_stamp", json_string("0.000000"));
	jset(&b, o, "laggy_probability", json_integer(0));
	jset(&b, o, "laggy_interval", json_integer(0));
	jset(&b, o, "features", json_integer(0));
	jset(&b, o, "old_weight", json_integer(0));
	jset(&b, o, "last_purged_snaps_scrub", json_string("0.000000"));
	jset(&b, o, "dead_epoch", json_integer(0));
	if (b.failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Ceph's flags_set: the names of the set flags, sorted. */
static json_t *jflags_set(uint32_t flags)
{
	struct jb b = { false };
	json_t *arr = json_array();
	const char *names[32];
	size_t n = 0;
	char buf[512], *save = NULL;

	osdmap_flags_str(flags, buf, sizeof(buf));
	for (char *tok = strtok_r(buf, ",", &save); tok && n < 32;
	     tok = strtok_r(NULL, ",", &save))
		names[n++] = tok;
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (size_t i = 0; i < n; i++)
		jpush(&b, arr, json_string(names[i]));
	if (b.failed) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

void *osdmap_json_dump(const struct osdmap *m)
{
	struct jb b = { false };
	json_t *o = json_object(), *t, *pools, *osds, *xinfo;
	char buf[512];

	jset(&b, o, "epoch", json_integer(m->epoch));
	osdmap_uuid_str(m->fsid, buf);
	jset(&b, o, "fsid", json_string(buf));
	jset(&b, o, "created", jtime(m->created));
	jset(&b, o, "modified", jtime(m->modified));
	jset(&b, o, "last_up_change", jtime(m->last_up_change));
	jset(&b, o, "last_in_change", jtime(m->last_in_change));
	osdmap_flags_str(m->flags, buf, sizeof(buf));
	jset(&b, o, "flags", json_string(buf));
	jset(&b, o, "flags_num", json_integer(m->flags));
	jset(&b, o, "flags_set", jflags_set(m->flags));
	jset(&b, o, "crush_version", json_integer(m->crush_version));
	/* Ceph keeps these ratios as floats; these are its defaults. */
	jset(&b, o, "full_ratio", json_real((double)0.95f));
	jset(&b, o, "backfillfull_ratio", json_real((double)0.90f));
	jset(&b, o, "nearfull_ratio", json_real((double)0.85f));
	jset(&b, o, "cluster_snapshot", json_string(""));
	jset(&b, o, "pool_max", json_integer(m->pool_max));
	jset(&b, o, "max_osd", json_integer(m->max_osd));
	jset(&b, o, "require_min_compat_client", json_string("luminous"));
	jset(&b, o, "min_compat_client", json_string("jewel"));
	jset(&b, o, "require_osd_release", json_string("pacific"));
	pools = jset(&b, o, "pools", json_array());
	for (size_t i = 0; i < m->n_pools; i++)
		jpush(&b, pools, osdmap_json_pool(&m->pools[i], false));
	osds = jset(&b, o, "osds", json_array());
	xinfo = jset(&b, o, "osd_xinfo", json_array());
	for (int i = 0; i < m->max_osd; i++) {
		if (!osdmap_exists(m, i))
			continue;
		jpush(&b, osds, josd(m, i));
		jpush(&b, xinfo, jxinfo(i));
	}
	jset(&b, o, "pg_upmap", json_array());
	jset(&b, o, "pg_upmap_items", json_array());
	jset(&b, o, "pg_temp", json_array());
	jset(&b, o, "primary_temp", json_array());
	jset(&b, o, "blocklist", json_object());
	jset(&b, o, "range_blocklist", json_object());
	t = jset(&b, o, "erasure_code_profiles", json_object());
	t = jset(&b, t, "default", json_object());
	jset(&b, t, "k", json_string("2"));
	jset(&b, t, "m", json_string("2"));
	jset(&b, t, "plugin", json_string("jerasure"));
	jset(&b, t, "technique", json_string("reed_sol_van"));
	jset(&b, o, "removed_snaps_queue", json_array());
	jset(&b, o, "new_removed_snaps", json_array());
	jset(&b, o, "new_purged_snaps", json_array());
	jset(&b, o, "crush_node_flags", json_object());
	jset(&b, o, "device_class_flags", json_object());
	t = jset(&b, o, "stretch_mode", json_object());
	jset(&b, t, "stretch_mode_enabled", json_false());
	jset(&b, t, "stretch_bucket_count", json_integer(0));
	jset(&b, t, "degraded_stretch_mode", json_integer(0));
	jset(&b, t, "recovering_stretch_mode", json_integer(0));
	jset(&b, t, "stretch_mode_bucket", json_integer(0));
	if (b.failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void *osdmap_json_stat(const struct osdmap *m)
{
	struct jb b = { false };
	json_t *o = json_object();

	jset(&b, o, "epoch", json_integer(m->epoch));
	jset(&b, o, "num_osds", json_integer(osdmap_count_exists(m)));
	jset(&b, o, "num_up_osds", json_integer(osdmap_count_up(m)));
	jset(&b, o, "osd_up_since", json_integer(m->last_up_change.sec));
	jset(&b, o, "num_in_osds", json_integer(osdmap_count_in(m)));
	jset(&b, o, "osd_in_since", json_integer(m->last_in_change.sec));
	jset(&b, o, "num_remapped_pgs", json_integer(0));
	if (b.failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *josd_list(struct jb *b, const int *v, int n)
{
	json_t *arr = json_array();

	for (int i = 0; i < n; i++)
		jpush(b, arr, json_integer(v[i]));
	return arr;
}

void *osdmap_json_object_map(const struct osdmap *m, const char *pool_name,
			     const char *nspace, const char *name)
{
	const struct osdmap_pool *p = osdmap_pool_by_name(m, pool_name);
	struct osdmap_object_mapping om;
	struct jb b = { false };
	json_t *o;
	char buf[64];
	char *objname = NULL;

	if (!p || osdmap_map_object(m, p->id, nspace, NULL, name, &om))
		return NULL;
	if (asprintf(&objname, "%s%s%s", nspace && *nspace ? nspace : "",
		     nspace && *nspace ? "/" : "", name) < 0)
		return NULL;
	o = json_object();
	jset(&b, o, "epoch", json_integer(m->epoch));
	jset(&b, o, "pool", json_string(p->name));
	jset(&b, o, "pool_id", json_integer(p->id));
	jset(&b, o, "objname", json_string(objname));
	free(objname);
	snprintf(buf, sizeof(buf), "%lld.%x", (long long)p->id, om.raw_hash);
	jset(&b, o, "raw_pgid", json_string(buf));
	snprintf(buf, sizeof(buf), "%lld.%x", (long long)p->id, om.ps);
	jset(&b, o, "pgid", json_string(buf));
	jset(&b, o, "up", josd_list(&b, om.pg.up, om.pg.n_up));
	jset(&b, o, "up_primary", json_integer(om.pg.up_primary));
	jset(&b, o, "acting", josd_list(&b, om.pg.acting, om.pg.n_acting));
	jset(&b, o, "acting_primary", json_integer(om.pg.acting_primary));
	if (b.failed) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int osdmap_json_write(const void *json, const char *format, FILE *out)
{
	bool pretty = !format || strcmp(format, "json") != 0;
	size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) |
		       (pretty ? JSON_INDENT(4) : JSON_COMPACT);
	char *s = json_dumps((const json_t *)json, flags);

	if (!s)
		return -ENOMEM;
	fputs(s, out);
	if (pretty)
		fputc('\n', out);
	free(s);
	return ferror(out) ? -EIO : 0;
}
