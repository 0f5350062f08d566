/*
 * Usage statistics: rados_cluster_stat and rados_ioctx_pool_stat read the
 * monitors' `df` (Ceph's JSON: "stats" for the cluster, "pools"[].stats
 * per pool, the "detail" form for read/write counters), as Ceph's
 * librados reads the same numbers from its monitors.
 */
#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "librados/librados_internal.h"
#include "osdmap/osdmap.h"

static int df_get(struct rados_cluster *c, json_t **out)
{
	json_t *cmd;
	int rc;

	if (!c->monc)
		return -ENOTCONN;
	cmd = json_pack("{s:s, s:s, s:s}", "prefix", "df", "detail", "detail",
			"format", "json");
	if (!cmd)
		return -ENOMEM;
	rc = rados_mon_json(c, cmd, out);
	json_decref(cmd);
	if (rc == -EINVAL) {
		/* A monitor without the detail form. */
		cmd = json_pack("{s:s, s:s}", "prefix", "df", "format", "json");
		if (!cmd)
			return -ENOMEM;
		rc = rados_mon_json(c, cmd, out);
		json_decref(cmd);
	}
	if (rc == 0 && !json_is_object(*out)) {
		json_decref(*out);
		rc = -EIO;
	}
	return rc;
}

static uint64_t jget(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return json_integer_value(v) < 0 ? 0 : (uint64_t)json_integer_value(v);
	if (json_is_real(v))
		return json_real_value(v) < 0 ? 0 : (uint64_t)json_real_value(v);
	return 0;
}

LIBRADOS_API int rados_cluster_stat(rados_t cluster,
				    struct rados_cluster_stat_t *result)
{
	json_t *df, *st, *pools, *p;
	size_t i;
	int rc;

	if (!result)
		return -EINVAL;
	rc = df_get(cluster, &df);
	if (rc)
		return rc;
	st = json_object_get(df, "stats");
	memset(result, 0, sizeof(*result));
	result->kb = jget(st, "total_bytes") >> 10;
	result->kb_used = jget(st, "total_used_raw_bytes") >> 10;
	if (!result->kb_used)
		result->kb_used = jget(st, "total_used_bytes") >> 10;
	result->kb_avail = jget(st, "total_avail_bytes") >> 10;
	pools = json_object_get(df, "pools");
	json_array_foreach(pools, i, p)
		result->num_objects += jget(json_object_get(p, "stats"), "objects");
	json_decref(df);
	return 0;
}

LIBRADOS_API int rados_ioctx_pool_stat(rados_ioctx_t io,
				       struct rados_pool_stat_t *stats)
{
	struct rados_ioctx *x = io;
	json_t *df, *pools, *p, *st = NULL;
	struct osdmap *m;
	unsigned size = 1;
	size_t i;
	int rc;

	if (!stats)
		return -EINVAL;
	rc = df_get(x->cluster, &df);
	if (rc)
		return rc;
	pools = json_object_get(df, "pools");
	json_array_foreach(pools, i, p) {
		if (json_integer_value(json_object_get(p, "id")) == x->pool_id) {
			st = json_object_get(p, "stats");
			break;
		}
	}
	if (!st) {
		json_decref(df);
		return -ENOENT;
	}
	m = objecter_map(x->cluster->objecter);
	if (m) {
		const struct osdmap_pool *pl = osdmap_pool_by_id(m, x->pool_id);

		if (pl)
			size = pl->size;
		osdmap_put(m);
	}
	memset(stats, 0, sizeof(*stats));
	stats->num_bytes = jget(st, "stored");
	stats->num_kb = (stats->num_bytes + 1023) >> 10;
	stats->num_objects = jget(st, "objects");
	stats->num_object_copies = stats->num_objects * size;
	stats->num_rd = jget(st, "rd");
	stats->num_rd_kb = jget(st, "rd_bytes") >> 10;
	stats->num_wr = jget(st, "wr");
	stats->num_wr_kb = jget(st, "wr_bytes") >> 10;
	stats->num_user_bytes = stats->num_bytes;
	stats->compressed_bytes_orig = jget(st, "compress_under_bytes");
	stats->compressed_bytes = jget(st, "compress_bytes_used");
	stats->compressed_bytes_alloc = jget(st, "compress_bytes_used");
	json_decref(df);
	return 0;
}
