/*
 * The monitor's command table and the helpers every handler shares:
 * argument parsing with Ceph's leniency (integers may arrive as strings,
 * booleans as "--yes-i-really-mean-it"), output in the asked format, and
 * the step from an edit to the next committed osdmap epoch.  The
 * handlers themselves live in mon_cmd_misc.c, mon_cmd_osd.c,
 * mon_cmd_pool.c and mon_cmd_crush.c; their prefixes, signatures and
 * help come from mon_signatures.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"
#include "mon/mon_cmd_internal.h"
#include "mon/mon_signatures.h"
#include "osdmap/osdmap.h"

/* Expands a MON_SIG_* triple into the descriptor's three fields. */
#define MON_SIG_FIELDS(p, s, h) .prefix = p, .signature = s, .help = h
#define SIG(x) MON_SIG_FIELDS(x)
#define W MON_CMD_WRITE

const struct mon_cmd_desc mon_commands[] = {
	/* cluster and monitors (mon_cmd_misc.c) */
	{ SIG(MON_SIG_STATUS), .fn = mon_cmd_status },
	{ SIG(MON_SIG_HEALTH), .fn = mon_cmd_health },
	{ SIG(MON_SIG_MON_STAT), .fn = mon_cmd_mon_stat },
	{ SIG(MON_SIG_MON_DUMP), .fn = mon_cmd_mon_dump },
	{ SIG(MON_SIG_QUORUM_STATUS), .fn = mon_cmd_quorum_status },
	{ SIG(MON_SIG_FSID), .fn = mon_cmd_fsid },
	/* OSDs (mon_cmd_osd.c) */
	{ SIG(MON_SIG_OSD_CREATE), .flags = W, .fn = mon_cmd_osd_create },
	{ SIG(MON_SIG_OSD_NEW), .flags = W, .fn = mon_cmd_osd_new },
	{ SIG(MON_SIG_OSD_RM), .flags = W, .fn = mon_cmd_osd_rm },
	{ SIG(MON_SIG_OSD_TREE), .fn = mon_cmd_osd_tree },
	{ SIG(MON_SIG_OSD_DUMP), .fn = mon_cmd_osd_dump },
	{ SIG(MON_SIG_OSD_STAT), .fn = mon_cmd_osd_stat },
	{ SIG(MON_SIG_OSD_IN), .flags = W, .fn = mon_cmd_osd_in },
	{ SIG(MON_SIG_OSD_OUT), .flags = W, .fn = mon_cmd_osd_out },
	{ SIG(MON_SIG_OSD_DOWN), .flags = W, .fn = mon_cmd_osd_down },
	{ SIG(MON_SIG_OSD_SET), .flags = W, .fn = mon_cmd_osd_set },
	{ SIG(MON_SIG_OSD_UNSET), .flags = W, .fn = mon_cmd_osd_unset },
	{ SIG(MON_SIG_OSD_GETCRUSHMAP), .fn = mon_cmd_osd_getcrushmap },
	{ SIG(MON_SIG_OSD_SETCRUSHMAP), .flags = W, .fn = mon_cmd_osd_setcrushmap },
	{ SIG(MON_SIG_OSD_MAP), .fn = mon_cmd_osd_map },
	{ SIG(MON_SIG_OSD_LS), .fn = mon_cmd_osd_ls },
	{ SIG(MON_SIG_OSD_GETMAXOSD), .fn = mon_cmd_osd_getmaxosd },
	{ SIG(MON_SIG_OSD_SETMAXOSD), .flags = W, .fn = mon_cmd_osd_setmaxosd },
	/* Internal (mon_cmd_boot.c): what a starting ceph-osd sends.  Ceph
	 * has no such command, so no signature: `ceph` never offers it. */
	{ .prefix = "osd boot", .flags = W | MON_CMD_HIDDEN, .fn = mon_cmd_osd_boot },
	/* CRUSH (mon_cmd_crush.c) */
	{ SIG(MON_SIG_OSD_CRUSH_ADD), .flags = W, .fn = mon_cmd_crush_add },
	{ SIG(MON_SIG_OSD_CRUSH_SET), .flags = W, .fn = mon_cmd_crush_set },
	{ SIG(MON_SIG_OSD_CRUSH_REMOVE), .flags = W, .fn = mon_cmd_crush_remove },
	{ SIG(MON_SIG_OSD_CRUSH_RM), .flags = W, .fn = mon_cmd_crush_remove },
	{ SIG(MON_SIG_OSD_CRUSH_UNLINK), .flags = W, .fn = mon_cmd_crush_unlink },
	{ SIG(MON_SIG_OSD_CRUSH_REWEIGHT), .flags = W, .fn = mon_cmd_crush_reweight },
	{ SIG(MON_SIG_OSD_CRUSH_ADD_BUCKET), .flags = W, .fn = mon_cmd_crush_add_bucket },
	{ SIG(MON_SIG_OSD_CRUSH_MOVE), .flags = W, .fn = mon_cmd_crush_move },
	{ SIG(MON_SIG_OSD_CRUSH_CREATE_OR_MOVE), .flags = W, .fn = mon_cmd_crush_create_or_move },
	{ SIG(MON_SIG_OSD_CRUSH_RULE_CREATE_REPLICATED), .flags = W,
	  .fn = mon_cmd_crush_rule_create_replicated },
	{ SIG(MON_SIG_OSD_CRUSH_RULE_CREATE_SIMPLE), .flags = W,
	  .fn = mon_cmd_crush_rule_create_simple },
	{ SIG(MON_SIG_OSD_CRUSH_RULE_LS), .fn = mon_cmd_crush_rule_ls },
	{ SIG(MON_SIG_OSD_CRUSH_RULE_LIST), .fn = mon_cmd_crush_rule_ls },
	{ SIG(MON_SIG_OSD_CRUSH_RULE_DUMP), .fn = mon_cmd_crush_rule_dump },
	{ SIG(MON_SIG_OSD_CRUSH_RULE_RM), .flags = W, .fn = mon_cmd_crush_rule_rm },
	{ SIG(MON_SIG_OSD_CRUSH_TUNABLES), .flags = W, .fn = mon_cmd_crush_tunables },
	{ SIG(MON_SIG_OSD_CRUSH_SHOW_TUNABLES), .fn = mon_cmd_crush_show_tunables },
	{ SIG(MON_SIG_OSD_CRUSH_DUMP), .fn = mon_cmd_crush_dump },
	{ SIG(MON_SIG_OSD_CRUSH_TREE), .fn = mon_cmd_crush_tree },
	{ SIG(MON_SIG_OSD_CRUSH_LS), .fn = mon_cmd_crush_ls },
	{ SIG(MON_SIG_OSD_CRUSH_SET_DEVICE_CLASS), .flags = W, .fn = mon_cmd_crush_set_device_class },
	{ SIG(MON_SIG_OSD_CRUSH_RM_DEVICE_CLASS), .flags = W, .fn = mon_cmd_crush_rm_device_class },
	{ SIG(MON_SIG_OSD_CRUSH_GET_DEVICE_CLASS), .fn = mon_cmd_crush_get_device_class },
	{ SIG(MON_SIG_OSD_CRUSH_CLASS_CREATE), .flags = W, .fn = mon_cmd_crush_class_create },
	{ SIG(MON_SIG_OSD_CRUSH_CLASS_RM), .flags = W, .fn = mon_cmd_crush_class_rm },
	{ SIG(MON_SIG_OSD_CRUSH_CLASS_RENAME), .flags = W, .fn = mon_cmd_crush_class_rename },
	{ SIG(MON_SIG_OSD_CRUSH_CLASS_LS), .fn = mon_cmd_crush_class_ls },
	{ SIG(MON_SIG_OSD_CRUSH_CLASS_LS_OSD), .fn = mon_cmd_crush_class_ls_osd },
	{ SIG(MON_SIG_OSD_CRUSH_RULE_LS_BY_CLASS), .fn = mon_cmd_crush_rule_ls_by_class },
	/* pools (mon_cmd_pool.c) */
	{ SIG(MON_SIG_OSD_POOL_CREATE), .flags = W, .normalize = mon_cmd_pool_create_normalize,
	  .fn = mon_cmd_pool_create },
	{ SIG(MON_SIG_OSD_POOL_LS), .fn = mon_cmd_pool_ls },
	{ SIG(MON_SIG_OSD_LSPOOLS), .fn = mon_cmd_lspools },
	{ SIG(MON_SIG_OSD_POOL_GET), .fn = mon_cmd_pool_get },
	{ SIG(MON_SIG_OSD_POOL_SET), .flags = W, .normalize = mon_cmd_pool_set_normalize,
	  .fn = mon_cmd_pool_set },
	{ SIG(MON_SIG_OSD_POOL_DELETE), .flags = W, .normalize = mon_cmd_pool_delete_normalize,
	  .fn = mon_cmd_pool_delete },
	{ SIG(MON_SIG_OSD_POOL_RM), .flags = W, .normalize = mon_cmd_pool_delete_normalize,
	  .fn = mon_cmd_pool_delete },
	{ SIG(MON_SIG_OSD_POOL_RENAME), .flags = W, .fn = mon_cmd_pool_rename },
	{ SIG(MON_SIG_OSD_POOL_APPLICATION_ENABLE), .flags = W, .fn = mon_cmd_app_enable },
	{ SIG(MON_SIG_OSD_POOL_APPLICATION_DISABLE), .flags = W, .fn = mon_cmd_app_disable },
	{ SIG(MON_SIG_OSD_POOL_APPLICATION_GET), .fn = mon_cmd_app_get },
	{ SIG(MON_SIG_OSD_POOL_APPLICATION_SET), .flags = W, .fn = mon_cmd_app_set },
	{ SIG(MON_SIG_OSD_POOL_APPLICATION_RM), .flags = W, .fn = mon_cmd_app_rm },
	/* PG statistics (mon_cmd_pg.c) */
	{ SIG(MON_SIG_PG_STAT), .fn = mon_cmd_pg_stat },
	{ SIG(MON_SIG_PG_DUMP), .fn = mon_cmd_pg_dump },
	{ SIG(MON_SIG_PG_LS), .fn = mon_cmd_pg_ls },
	{ SIG(MON_SIG_OSD_PERF), .fn = mon_cmd_osd_perf },
	{ SIG(MON_SIG_PG_LS_BY_POOL), .fn = mon_cmd_pg_ls },
	{ SIG(MON_SIG_PG_LS_BY_PRIMARY), .fn = mon_cmd_pg_ls },
	{ SIG(MON_SIG_PG_LS_BY_OSD), .fn = mon_cmd_pg_ls },
	{ SIG(MON_SIG_PG_MAP), .fn = mon_cmd_pg_map },
	{ SIG(MON_SIG_DF), .fn = mon_cmd_df },
	{ SIG(MON_SIG_OSD_DF), .fn = mon_cmd_osd_df },
	{ SIG(MON_SIG_OSD_POOL_STATS), .fn = mon_cmd_osd_pool_stats },
	/* config-key (mon_cmd_misc.c) */
	{ SIG(MON_SIG_CONFIG_KEY_SET), .flags = W, .fn = mon_cmd_ck_set },
	{ SIG(MON_SIG_CONFIG_KEY_PUT), .flags = W, .fn = mon_cmd_ck_set },
	{ SIG(MON_SIG_CONFIG_KEY_GET), .fn = mon_cmd_ck_get },
	{ SIG(MON_SIG_CONFIG_KEY_LS), .fn = mon_cmd_ck_ls },
	{ SIG(MON_SIG_CONFIG_KEY_LIST), .fn = mon_cmd_ck_ls },
	{ SIG(MON_SIG_CONFIG_KEY_RM), .flags = W, .fn = mon_cmd_ck_rm },
	{ SIG(MON_SIG_CONFIG_KEY_DEL), .flags = W, .fn = mon_cmd_ck_rm },
	{ SIG(MON_SIG_CONFIG_KEY_EXISTS), .fn = mon_cmd_ck_exists },
	{ SIG(MON_SIG_CONFIG_KEY_DUMP), .fn = mon_cmd_ck_dump },
	{ .prefix = NULL },
};

const struct mon_cmd_desc *mon_cmd_find(const char *prefix)
{
	if (!prefix)
		return NULL;
	for (const struct mon_cmd_desc *d = mon_commands; d->prefix; d++)
		if (strcmp(d->prefix, prefix) == 0)
			return d;
	return NULL;
}

int mon_cmd_fail(struct mon_cmd *c, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->outs, sizeof(c->outs), fmt, ap);
	va_end(ap);
	c->rc = rc;
	return rc;
}

void mon_outs_append(struct mon_cmd *c, const char *fmt, ...)
{
	size_t len = strlen(c->outs);
	va_list ap;

	if (len + 1 >= sizeof(c->outs))
		return;
	va_start(ap, fmt);
	vsnprintf(c->outs + len, sizeof(c->outs) - len, fmt, ap);
	va_end(ap);
}

int mon_cmd_nomem(struct mon_cmd *c)
{
	return mon_cmd_fail(c, -ENOMEM, "(12) Cannot allocate memory");
}

/* ---- arguments ---- */

const char *mon_arg_str(const struct mon_cmd *c, const char *name)
{
	return json_string_value(json_object_get(c->args, name));
}

static bool parse_ll(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int mon_arg_int(const struct mon_cmd *c, const char *name, int64_t *out)
{
	json_t *v = json_object_get(c->args, name);

	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 1;
	}
	if (json_is_string(v) && parse_ll(json_string_value(v), out))
		return 1;
	return -EINVAL;
}

int mon_arg_float(const struct mon_cmd *c, const char *name, double *out)
{
	json_t *v = json_object_get(c->args, name);
	const char *s;
	char *end;

	if (!v || json_is_null(v))
		return 0;
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return 1;
	}
	s = json_string_value(v);
	if (s && *s) {
		errno = 0;
		*out = strtod(s, &end);
		if (!errno && !*end)
			return 1;
	}
	return -EINVAL;
}

bool mon_arg_bool(const struct mon_cmd *c, const char *name, const char *flag_spelling)
{
	json_t *v = json_object_get(c->args, name);
	const char *s;

	if (json_is_true(v))
		return true;
	s = json_string_value(v);
	if (s && (strcmp(s, "true") == 0 || (flag_spelling && strcmp(s, flag_spelling) == 0)))
		return true;
	/* Pre-Nautilus clients put the flag in "sure". */
	s = mon_arg_str(c, "sure");
	return s && flag_spelling && strcmp(s, flag_spelling) == 0;
}

int mon_arg_strv(const struct mon_cmd *c, const char *name, const char **v, int max)
{
	json_t *a = json_object_get(c->args, name);
	size_t i;
	json_t *e;
	int n = 0;

	if (!a)
		return 0;
	if (json_is_string(a)) {
		if (max < 1)
			return -E2BIG;
		v[0] = json_string_value(a);
		return 1;
	}
	if (!json_is_array(a))
		return -EINVAL;
	json_array_foreach(a, i, e) {
		if (!json_is_string(e))
			return -EINVAL;
		if (n == max)
			return -E2BIG;
		v[n++] = json_string_value(e);
	}
	return n;
}

bool mon_fmt_is_json(const struct mon_cmd *c)
{
	const char *f = mon_arg_str(c, "format");

	return f && (strcmp(f, "json") == 0 || strcmp(f, "json-pretty") == 0);
}

enum mon_format mon_fmt_json_default(const struct mon_cmd *c, enum mon_format dflt)
{
	const char *f = mon_arg_str(c, "format");

	if (f && strcmp(f, "json") == 0)
		return MON_FORMAT_JSON;
	if (f && strcmp(f, "json-pretty") == 0)
		return MON_FORMAT_JSON_PRETTY;
	return dflt;
}

/* ---- output ---- */

int mon_out_bytes(struct mon_cmd *c, const void *p, size_t n)
{
	enc_put_bytes(&c->out, p, n);
	return enc_buf_error(&c->out);
}

int mon_out_printf(struct mon_cmd *c, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	enc_put_bytes(&c->out, s, (size_t)n);
	free(s);
	return enc_buf_error(&c->out);
}

/*
 * Ceph's JSON formatter prints doubles with up to 17 significant digits
 * and integers plainly; jansson's JSON_REAL_PRECISION(17) matches that
 * for the values the maps hold.  json-pretty indents by 4.
 */
int mon_out_json(struct mon_cmd *c, json_t *json, enum mon_format fmt)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY;
	char *s;

	if (!json)
		return -ENOMEM;
	flags |= fmt == MON_FORMAT_JSON ? JSON_COMPACT : JSON_INDENT(4);
	s = json_dumps(json, flags);
	json_decref(json);
	if (!s)
		return -ENOMEM;
	enc_put_bytes(&c->out, s, strlen(s));
	free(s);
	if (fmt != MON_FORMAT_JSON)
		enc_put_bytes(&c->out, "\n", 1);
	return enc_buf_error(&c->out);
}

int mon_out_json_fmt(struct mon_cmd *c, json_t *json)
{
	return mon_out_json(c, json, mon_fmt_json_default(c, MON_FORMAT_JSON_PRETTY));
}

int mon_out_json_nl(struct mon_cmd *c, json_t *json, enum mon_format fmt)
{
	int r = mon_out_json(c, json, fmt);

	if (!r)
		r = mon_out_bytes(c, "\n", 1);
	return r;
}

int mon_out_json_fmt_nl(struct mon_cmd *c, json_t *json)
{
	return mon_out_json_nl(c, json, mon_fmt_json_default(c, MON_FORMAT_JSON_PRETTY));
}

int mon_out_print(struct mon_cmd *c, mon_print_fn fn, void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r;

	if (!f)
		return -ENOMEM;
	r = fn(arg, f);
	if (fclose(f) && !r)
		r = -ENOMEM;
	if (!r)
		r = mon_out_bytes(c, buf, len);
	free(buf);
	return r;
}

/* ---- writes ---- */

struct osdmap_inc *mon_cmd_inc(struct mon_cmd *c)
{
	struct osdmap_inc *inc = NULL;

	if (osdmap_inc_create(c->st->osdmap->epoch + 1, &inc)) {
		mon_cmd_nomem(c);
		return NULL;
	}
	/* The leader's clock, never this monitor's: apply is deterministic. */
	inc->modified.sec = c->now_sec;
	inc->modified.nsec = c->now_nsec;
	return inc;
}

int mon_cmd_commit(struct mon_cmd *c, struct osdmap_inc *inc)
{
	int r = mon_state_commit_inc(c->st, inc);

	osdmap_inc_destroy(inc);
	if (r) {
		/* Replaces any success text the handler worded in advance. */
		c->rc = r;
		snprintf(c->outs, sizeof(c->outs), "(%d) %s", -r, strerror(-r));
	}
	return r;
}

struct crush_map *mon_cmd_crush_copy(struct mon_cmd *c)
{
	struct crush_map *map = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	char err[256];

	if (crush_map_encode(c->st->osdmap->crush, &buf, &len) ||
	    crush_map_decode(buf, len, &map, err, sizeof(err))) {
		free(buf);
		mon_cmd_nomem(c);
		return NULL;
	}
	free(buf);
	return map;
}

int mon_cmd_commit_crush(struct mon_cmd *c, struct crush_map *map)
{
	struct osdmap_inc *inc = mon_cmd_inc(c);
	int r;

	if (!inc) {
		crush_map_destroy(map);
		return c->rc;
	}
	crush_map_finalize(map);
	r = osdmap_inc_set_crush(inc, map);
	crush_map_destroy(map);
	if (r) {
		osdmap_inc_destroy(inc);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	return mon_cmd_commit(c, inc);
}

/* ---- shared lookups ---- */

int mon_parse_osd_id(const char *s, int32_t *id)
{
	int64_t v;

	if (!s)
		return -EINVAL;
	if (strncmp(s, "osd.", 4) == 0)
		s += 4;
	if (!parse_ll(s, &v) || v < 0 || v > INT32_MAX)
		return -EINVAL;
	*id = (int32_t)v;
	return 0;
}

const struct osdmap_pool *mon_cmd_pool(struct mon_cmd *c, const char *arg)
{
	const char *name = mon_arg_str(c, arg ? arg : "pool");
	const struct osdmap_pool *p;

	if (!name) {
		mon_cmd_fail(c, -EINVAL, "bad or missing field '%s'", arg ? arg : "pool");
		return NULL;
	}
	p = osdmap_pool_by_name(c->st->osdmap, name);
	if (!p)
		mon_cmd_fail(c, -ENOENT, "unrecognized pool '%.900s'", name);
	return p;
}
