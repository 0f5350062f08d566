/*
 * Pool commands: create, ls, get, set, delete, rename and the
 * application tags, with Ceph 16.2's checks, return codes and messages.
 *
 * Values that come from the leader's ceph.conf (the osd_pool_default_*
 * options, mon_allow_pool_delete, mon_allow_pool_size_one) are put into
 * the command by the normalize functions before it is proposed, so every
 * monitor applies the same thing.  A command that reaches a handler
 * without them (a unit test, an old log entry) gets Ceph's built-in
 * defaults.  Private keys start with "_" so they cannot collide with
 * Ceph's argument names.
 *
 * Loligo changes pg_num and pgp_num at once; Ceph 16 walks pgp_num
 * toward its target over time, so `pool get pgp_num` right after a
 * change can differ from Ceph's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "mon/mon_cmd_internal.h"
#include "mon/mon_pgmap.h"
#include "osdmap/osdmap.h"

#define MON_MAX_POOL_PG_NUM 65536 /* Ceph's mon_max_pool_pg_num */
#define POOL_SIZE_MAX 10         /* Ceph's osd_pool_max_size... as the monitor checks it */

static const char *const autoscale_names[] = { "off", "warn", "on" };

/* ---- normalize: the leader's config into the command ---- */

static void put_conf_int(json_t *args, struct conf *conf, const char *key, const char *opt)
{
	int64_t v;

	if (!json_object_get(args, key) && conf && conf_get_int(conf, opt, &v) == 0)
		json_object_set_new(args, key, json_integer(v));
}

static void put_conf_bool(json_t *args, struct conf *conf, const char *key, const char *opt)
{
	bool v = false;

	if (conf && conf_get_bool(conf, opt, &v) != 0)
		v = false;
	json_object_set_new(args, key, json_boolean(v));
}

int mon_cmd_pool_create_normalize(struct mon_cmd *c, struct conf *conf)
{
	json_t *a = c->args;
	int64_t pg = 0;
	char mode[16];

	/* pg_num 0 means "the default", as in Ceph. */
	if (mon_arg_int(c, "pg_num", &pg) > 0 && pg == 0)
		json_object_del(a, "pg_num");
	/* The default pgp_num goes with the default pg_num only: a pool
	 * created with a pg_num gets pgp_num = pg_num, as in Ceph. */
	if (!json_object_get(a, "pg_num"))
		put_conf_int(a, conf, "_default_pgp_num", "osd_pool_default_pgp_num");
	put_conf_int(a, conf, "pg_num", "osd_pool_default_pg_num");
	put_conf_int(a, conf, "size", "osd_pool_default_size");
	put_conf_int(a, conf, "_default_min_size", "osd_pool_default_min_size");
	put_conf_int(a, conf, "_default_crush_rule", "osd_pool_default_crush_rule");
	if (!json_object_get(a, "_hashpspool"))
		put_conf_bool(a, conf, "_hashpspool", "osd_pool_default_flag_hashpspool");
	if (!json_object_get(a, "autoscale_mode") && conf &&
	    conf_get(conf, "osd_pool_default_pg_autoscale_mode", mode, sizeof(mode)) == 0)
		json_object_set_new(a, "autoscale_mode", json_string(mode));
	return 0;
}

int mon_cmd_pool_delete_normalize(struct mon_cmd *c, struct conf *conf)
{
	put_conf_bool(c->args, conf, "_mon_allow_pool_delete", "mon_allow_pool_delete");
	return 0;
}

/*
 * A pool's objects stay in the PGs they were written to: Loligo does not
 * split PGs or move them (backfill) yet, so a pg_num or pgp_num change on
 * a pool that holds objects would leave some of them where clients no
 * longer look.  Refused on the leader, before the command is in the log,
 * from the objects the primaries last reported (the check is the
 * leader's alone: the PG statistics are not replicated state).
 */
static int pg_count_change_check(struct mon_cmd *c)
{
	const char *var = mon_arg_str(c, "var"), *name = mon_arg_str(c, "pool");
	const struct osdmap_pool *p = name ? osdmap_pool_by_name(c->st->osdmap, name) : NULL;
	struct mon_pg_digest d;
	uint64_t objects = 0;

	if (!var || !p ||
	    (strcmp(var, "pg_num") && strcmp(var, "pg_num_actual") && strcmp(var, "pgp_num") &&
	     strcmp(var, "pgp_num_actual")))
		return 0;
	if (mon_cmd_digest(c, &d))
		return c->rc;
	for (size_t i = 0; i < d.n_pools; i++)
		if (d.pools[i].pool->id == p->id)
			objects = d.pools[i].objects;
	mon_pg_digest_release(&d);
	if (!objects)
		return 0;
	return mon_cmd_fail(c, -EOPNOTSUPP,
			    "pool '%.200s' holds %" PRIu64 " objects: changing %s needs PG "
			    "splitting and backfill, which Loligo does not do yet; give a pool "
			    "its pg_num when it is created, or change it while it is empty",
			    p->name, objects, var);
}

int mon_cmd_pool_set_normalize(struct mon_cmd *c, struct conf *conf)
{
	put_conf_bool(c->args, conf, "_mon_allow_pool_size_one", "mon_allow_pool_size_one");
	return pg_count_change_check(c);
}

/* ---- create ---- */

static int autoscale_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, autoscale_names[i]) == 0)
			return i;
	return -1;
}

int mon_cmd_pool_create(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *name = mon_arg_str(c, "pool"), *type = mon_arg_str(c, "pool_type");
	const char *rule_name = mon_arg_str(c, "rule"), *mode = mon_arg_str(c, "autoscale_mode");
	struct osdmap_pool_defaults d;
	struct osdmap_pool *p;
	struct osdmap_inc *inc;
	int64_t v;
	int r;

	osdmap_pool_defaults_init(&d);
	if (!name || !*name)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'pool'");
	if (osdmap_pool_by_name(m, name)) {
		snprintf(c->outs, sizeof(c->outs), "pool '%.900s' already exists", name);
		return 0;
	}
	if (type && strcmp(type, "replicated") != 0)
		return mon_cmd_fail(c, -EOPNOTSUPP, "pool type '%.100s' is not supported yet", type);
	/* `osd pool create P 8 8 replicated RULE`: for a replicated pool the
	 * word in the erasure-code-profile place names the CRUSH rule (Ceph
	 * documents this form) */
	if (!rule_name)
		rule_name = mon_arg_str(c, "erasure_code_profile");
	if ((r = mon_arg_int(c, "pg_num", &v)) < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'pg_num'");
	if (r && v)
		d.pg_num = (unsigned)(v < 0 || v > UINT32_MAX ? UINT32_MAX : v);
	if ((r = mon_arg_int(c, "pgp_num", &v)) < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'pgp_num'");
	if (r && v)
		d.pgp_num = (unsigned)(v < 0 || v > UINT32_MAX ? UINT32_MAX : v);
	else if (mon_arg_int(c, "_default_pgp_num", &v) > 0 && v > 0)
		d.pgp_num = (unsigned)(v > UINT32_MAX ? UINT32_MAX : v);
	if (d.pg_num > MON_MAX_POOL_PG_NUM)
		return mon_cmd_fail(c, -ERANGE,
				    "'pg_num' must be greater than 0 and less than or equal to %d (you may adjust 'mon max pool pg num' for higher values)",
				    MON_MAX_POOL_PG_NUM);
	if (d.pgp_num > d.pg_num)
		return mon_cmd_fail(c, -ERANGE,
				    "'pgp_num' must be greater than 0 and lower or equal than 'pg_num', which in this case is %u",
				    d.pg_num);
	if ((r = mon_arg_int(c, "size", &v)) < 0)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'size'");
	if (r && v) {
		if (v < 1 || v > POOL_SIZE_MAX)
			return mon_cmd_fail(c, -EINVAL, "pool size must be between 1 and %d",
					    POOL_SIZE_MAX);
		d.size = (unsigned)v;
	}
	if (mon_arg_int(c, "_default_min_size", &v) > 0 && v > 0)
		d.min_size = (unsigned)(v > d.size ? d.size : v);
	if (rule_name) {
		d.crush_rule = crush_map_rule_by_name(m->crush, rule_name);
		if (d.crush_rule < 0)
			return mon_cmd_fail(c, -ENOENT, "specified rule %.900s doesn't exist",
					    rule_name);
	} else if (mon_arg_int(c, "_default_crush_rule", &v) > 0 && v >= 0) {
		if (v >= (int64_t)m->crush->max_rules || !m->crush->rules[v])
			return mon_cmd_fail(c, -ENOENT,
					    "osd_pool_default_crush_rule %lld does not exist",
					    (long long)v);
		d.crush_rule = (int)v;
	} else if (osdmap_crush_first_rule(m->crush, CRUSH_RULE_TYPE_REPLICATED) < 0) {
		return mon_cmd_fail(c, -ENOENT, "no replicated crush rule to create pool with");
	}
	if (mode) {
		int am = autoscale_parse(mode);

		if (am < 0)
			return mon_cmd_fail(c, -EINVAL, "invalid autoscale mode '%.100s'", mode);
		d.autoscale_mode = (uint8_t)am;
	}
	if (json_is_boolean(json_object_get(c->args, "_hashpspool")))
		d.hashpspool = json_is_true(json_object_get(c->args, "_hashpspool"));
	inc = mon_cmd_inc(c);
	if (!inc)
		return c->rc;
	p = osdmap_inc_pool_create(inc, m, name, &d, &r);
	if (!p) {
		osdmap_inc_destroy(inc);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	if (mon_cmd_commit(c, inc))
		return c->rc;
	snprintf(c->outs, sizeof(c->outs), "pool '%.900s' created", name);
	return 0;
}

/* ---- ls ---- */

/* The pool lines and one blank line (osdmap_print_pools ends with it),
 * as Ceph's monitor answers. */
static int print_pools(void *arg, FILE *out)
{
	return osdmap_print_pools(arg, out);
}

int mon_cmd_pool_ls(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *d = mon_arg_str(c, "detail");
	bool detail = d && strcmp(d, "detail") == 0;
	json_t *a;

	if (mon_fmt_is_json(c)) {
		if (detail)
			return mon_out_json_fmt(c, osdmap_json_pools(m));
		a = json_array();
		for (size_t i = 0; i < m->n_pools; i++)
			json_array_append_new(a, json_string(m->pools[i].name));
		return mon_out_json_fmt(c, a);
	}
	if (detail)
		return mon_out_print(c, print_pools, (void *)m);
	for (size_t i = 0; i < m->n_pools; i++)
		mon_out_printf(c, "%s\n", m->pools[i].name);
	return enc_buf_error(&c->out);
}

int mon_cmd_lspools(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	json_t *a;

	if (!mon_fmt_is_json(c)) {
		for (size_t i = 0; i < m->n_pools; i++)
			mon_out_printf(c, "%lld %s\n", (long long)m->pools[i].id, m->pools[i].name);
		return enc_buf_error(&c->out);
	}
	a = json_array();
	for (size_t i = 0; i < m->n_pools; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "poolnum", json_integer(m->pools[i].id));
		json_object_set_new(o, "poolname", json_string(m->pools[i].name));
		json_array_append_new(a, o);
	}
	return mon_out_json_fmt_nl(c, a);
}

/* ---- get / set ---- */

/* The boolean pool flags `pool get/set` know, in Ceph's `get all` order. */
static const struct {
	const char *name;
	uint64_t flag;
} pool_flag_vars[] = {
	{ "hashpspool", POOL_FLAG_HASHPSPOOL },
	{ "nodelete", POOL_FLAG_NODELETE },
	{ "nopgchange", POOL_FLAG_NOPGCHANGE },
	{ "nosizechange", POOL_FLAG_NOSIZECHANGE },
	{ "write_fadvise_dontneed", POOL_FLAG_WRITE_FADVISE_DONTNEED },
	{ "noscrub", POOL_FLAG_NOSCRUB },
	{ "nodeep-scrub", POOL_FLAG_NODEEP_SCRUB },
};
#define N_FLAG_VARS (sizeof(pool_flag_vars) / sizeof(pool_flag_vars[0]))

static const char *rule_name_of(const struct osdmap *m, int32_t rule)
{
	const char *n = crush_names_get(&m->crush->rule_names, rule);

	return n ? n : "";
}

/* One variable into the plain text or the JSON object; false if the
 * name is not one `pool get` knows. */
static bool pool_get_var(const struct osdmap *m, const struct osdmap_pool *p, const char *var,
			 struct mon_cmd *c, json_t *o)
{
	long long num;

	if (strcmp(var, "size") == 0)
		num = p->size;
	else if (strcmp(var, "min_size") == 0)
		num = p->min_size;
	else if (strcmp(var, "pg_num") == 0)
		num = p->pg_num;
	else if (strcmp(var, "pgp_num") == 0)
		num = p->pgp_num;
	else if (strcmp(var, "fast_read") == 0)
		num = 0;
	else
		goto not_num;
	if (o)
		json_object_set_new(o, var, json_integer(num));
	else
		mon_out_printf(c, "%s: %lld\n", var, num);
	return true;
not_num:
	if (strcmp(var, "crush_rule") == 0 || strcmp(var, "pg_autoscale_mode") == 0) {
		const char *s = var[0] == 'c' ? rule_name_of(m, p->crush_rule)
					      : autoscale_names[p->autoscale_mode % 3];
		if (o)
			json_object_set_new(o, var, json_string(s));
		else
			mon_out_printf(c, "%s: %s\n", var, s);
		return true;
	}
	if (strcmp(var, "use_gmt_hitset") == 0 || strcmp(var, "bulk") == 0) {
		bool gmt = var[0] == 'u';

		if (o)
			json_object_set_new(o, var, json_boolean(gmt));
		else
			mon_out_printf(c, "%s: %s\n", var, gmt ? "1" : "false");
		return true;
	}
	for (size_t i = 0; i < N_FLAG_VARS; i++) {
		bool set;

		if (strcmp(var, pool_flag_vars[i].name) != 0)
			continue;
		set = (p->flags & pool_flag_vars[i].flag) != 0;
		if (o)
			json_object_set_new(o, var, json_boolean(set));
		else
			mon_out_printf(c, "%s: %s\n", var, set ? "true" : "false");
		return true;
	}
	return false;
}

static const char *const get_all_vars[] = {
	"size",	      "min_size",     "pg_num",		"pgp_num",		  "crush_rule",
	"hashpspool", "nodelete",     "nopgchange",	"nosizechange",		  "write_fadvise_dontneed",
	"noscrub",    "nodeep-scrub", "use_gmt_hitset", "fast_read",		  "pg_autoscale_mode",
	"bulk",
};

int mon_cmd_pool_get(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const struct osdmap_pool *p = mon_cmd_pool(c, NULL);
	const char *var = mon_arg_str(c, "var");
	json_t *o = NULL;
	bool ok = true;

	if (!p)
		return c->rc;
	if (!var)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'var'");
	if (mon_fmt_is_json(c)) {
		o = json_object();
		json_object_set_new(o, "pool", json_string(p->name));
		json_object_set_new(o, "pool_id", json_integer(p->id));
	}
	if (strcmp(var, "all") == 0) {
		for (size_t i = 0; i < sizeof(get_all_vars) / sizeof(get_all_vars[0]); i++)
			pool_get_var(m, p, get_all_vars[i], c, o);
	} else {
		ok = pool_get_var(m, p, var, c, o);
	}
	if (!ok) {
		json_decref(o);
		return mon_cmd_fail(c, -EINVAL, "pool '%.400s': invalid variable: '%.400s'",
				    p->name, var);
	}
	return o ? mon_out_json_fmt(c, o) : enc_buf_error(&c->out);
}

static int parse_int_val(struct mon_cmd *c, const char *val, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(val, &end, 10);
	if (!*val || *end || errno)
		return mon_cmd_fail(c, -EINVAL,
				    "error parsing integer value '%.400s': Expected option value to be integer, got '%.400s'",
				    val, val);
	*out = v;
	return 0;
}

/* Apply var=val to the pending copy p (old is the committed pool).
 * Returns 0 with the status set, 1 for "no change", or -errno. */
static int pool_set_var(struct mon_cmd *c, const struct osdmap_pool *old,
			struct osdmap_pool *p, const char *var, const char *val)
{
	const struct osdmap *m = c->st->osdmap;
	long long id = (long long)old->id;
	int64_t n = 0;

	if (strcmp(var, "size") == 0) {
		if (old->flags & POOL_FLAG_NOSIZECHANGE)
			return mon_cmd_fail(c, -EPERM,
					    "pool size change is disabled; you must unset nosizechange flag for the pool first");
		if (parse_int_val(c, val, &n))
			return c->rc;
		if (n < 1 || n > POOL_SIZE_MAX)
			return mon_cmd_fail(c, -EINVAL, "pool size must be between 1 and %d",
					    POOL_SIZE_MAX);
		if (n == 1 && !mon_arg_bool(c, "_mon_allow_pool_size_one", NULL))
			return mon_cmd_fail(c, -EPERM,
					    "configuring pool size as 1 is disabled by default.");
		if (n == 1 && !mon_arg_bool(c, "yes_i_really_mean_it", "--yes-i-really-mean-it"))
			return mon_cmd_fail(c, -EPERM,
					    "WARNING: setting pool size 1 could lead to data loss without recovery. If you are *ABSOLUTELY CERTAIN* that is what you want, pass the flag --yes-i-really-mean-it.");
		p->size = (uint8_t)n;
		if (p->min_size > p->size)
			p->min_size = p->size;
	} else if (strcmp(var, "min_size") == 0) {
		if (parse_int_val(c, val, &n))
			return c->rc;
		if (n < 1 || n > old->size)
			return mon_cmd_fail(c, -EINVAL,
					    "pool min_size must be between 1 and size, which is set to %d",
					    old->size);
		p->min_size = (uint8_t)n;
	} else if (strcmp(var, "pg_num") == 0 || strcmp(var, "pg_num_actual") == 0) {
		if (old->flags & POOL_FLAG_NOPGCHANGE)
			return mon_cmd_fail(c, -EPERM,
					    "pool pg_num change is disabled; you must unset nopgchange flag for the pool first");
		if (parse_int_val(c, val, &n))
			return c->rc;
		if (n == old->pg_num)
			return 1; /* Ceph: rc 0 and an empty status */
		if (n <= 0 || n > MON_MAX_POOL_PG_NUM)
			return mon_cmd_fail(c, -ERANGE,
					    "'pg_num' must be greater than 0 and less than or equal to %d (you may adjust 'mon max pool pg num' for higher values)",
					    MON_MAX_POOL_PG_NUM);
		p->pg_num = (uint32_t)n;
		if (p->pgp_num > p->pg_num)
			p->pgp_num = p->pg_num;
		var = "pg_num";
	} else if (strcmp(var, "pgp_num") == 0 || strcmp(var, "pgp_num_actual") == 0) {
		if (old->flags & POOL_FLAG_NOPGCHANGE)
			return mon_cmd_fail(c, -EPERM,
					    "pool pgp_num change is disabled; you must unset nopgchange flag for the pool first");
		if (parse_int_val(c, val, &n))
			return c->rc;
		if (n <= 0)
			return mon_cmd_fail(c, -EINVAL,
					    "specified pgp_num must > 0, but you set to %lld",
					    (long long)n);
		if (n > old->pg_num)
			return mon_cmd_fail(c, -EINVAL, "specified pgp_num %lld > pg_num %u",
					    (long long)n, old->pg_num);
		p->pgp_num = (uint32_t)n;
		var = "pgp_num";
	} else if (strcmp(var, "crush_rule") == 0) {
		int rule = crush_map_rule_by_name(m->crush, val);

		if (rule < 0)
			return mon_cmd_fail(c, -ENOENT, "crush rule %.900s does not exist", val);
		p->crush_rule = rule;
	} else if (strcmp(var, "pg_autoscale_mode") == 0) {
		int am = autoscale_parse(val);

		if (am < 0)
			return mon_cmd_fail(c, -EINVAL, "specified invalid mode %.900s", val);
		p->autoscale_mode = (uint8_t)am;
	} else {
		size_t i;
		bool on;

		for (i = 0; i < N_FLAG_VARS; i++)
			if (strcmp(var, pool_flag_vars[i].name) == 0)
				break;
		if (i == N_FLAG_VARS)
			return mon_cmd_fail(c, -EINVAL, "unrecognized variable '%.900s'", var);
		if (strcmp(val, "true") == 0 || strcmp(val, "1") == 0)
			on = true;
		else if (strcmp(val, "false") == 0 || strcmp(val, "0") == 0)
			on = false;
		else
			return mon_cmd_fail(c, -EINVAL,
					    "expecting value 'true', 'false', '0', or '1'");
		if (on)
			p->flags |= pool_flag_vars[i].flag;
		else
			p->flags &= ~pool_flag_vars[i].flag;
	}
	snprintf(c->outs, sizeof(c->outs), "set pool %lld %s to %.900s", id, var, val);
	return 0;
}

int mon_cmd_pool_set(struct mon_cmd *c)
{
	const struct osdmap_pool *old = mon_cmd_pool(c, NULL);
	const char *var = mon_arg_str(c, "var");
	json_t *jv = json_object_get(c->args, "val");
	char num[32];
	const char *val = json_string_value(jv);
	struct osdmap_pool *p;
	struct osdmap_inc *inc;
	int r;

	if (!old)
		return c->rc;
	if (!var)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'var'");
	/* Scripts send numbers as JSON numbers too. */
	if (!val && json_is_integer(jv)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(jv));
		val = num;
	}
	if (!val)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'val'");
	inc = mon_cmd_inc(c);
	if (!inc)
		return c->rc;
	p = osdmap_inc_pool_edit(inc, c->st->osdmap, old->id, &r);
	if (!p) {
		osdmap_inc_destroy(inc);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	r = pool_set_var(c, old, p, var, val);
	if (r) {
		osdmap_inc_destroy(inc);
		return r > 0 ? 0 : r;
	}
	return mon_cmd_commit(c, inc);
}

/* ---- delete / rename ---- */

int mon_cmd_pool_delete(struct mon_cmd *c)
{
	const char *name = mon_arg_str(c, "pool"), *name2 = mon_arg_str(c, "pool2");
	const struct osdmap_pool *p;
	struct osdmap_inc *inc;
	int r;

	if (!name)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'pool'");
	p = osdmap_pool_by_name(c->st->osdmap, name);
	if (!p) {
		snprintf(c->outs, sizeof(c->outs), "pool '%.900s' does not exist", name);
		return 0;
	}
	if (!name2 || strcmp(name, name2) != 0 ||
	    !mon_arg_bool(c, "yes_i_really_really_mean_it", "--yes-i-really-really-mean-it"))
		return mon_cmd_fail(c, -EPERM,
				    "WARNING: this will *PERMANENTLY DESTROY* all data stored in pool %.400s.  If you are *ABSOLUTELY CERTAIN* that is what you want, pass the pool name *twice*, followed by --yes-i-really-really-mean-it.",
				    name);
	if (!mon_arg_bool(c, "_mon_allow_pool_delete", NULL))
		return mon_cmd_fail(c, -EPERM,
				    "pool deletion is disabled; you must first set the mon_allow_pool_delete config option to true before you can destroy a pool");
	if (p->flags & POOL_FLAG_NODELETE)
		return mon_cmd_fail(c, -EPERM,
				    "pool deletion is disabled; you must unset nodelete flag for the pool first");
	inc = mon_cmd_inc(c);
	if (!inc)
		return c->rc;
	r = osdmap_inc_pool_remove(inc, c->st->osdmap, p->id);
	if (r) {
		osdmap_inc_destroy(inc);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	if (mon_cmd_commit(c, inc))
		return c->rc;
	snprintf(c->outs, sizeof(c->outs), "pool '%.900s' removed", name);
	return 0;
}

int mon_cmd_pool_rename(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *src = mon_arg_str(c, "srcpool"), *dst = mon_arg_str(c, "destpool");
	const struct osdmap_pool *p;
	struct osdmap_pool *np;
	struct osdmap_inc *inc;
	int r;

	if (!src)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'srcpool'");
	if (!dst || !*dst)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'destpool'");
	p = osdmap_pool_by_name(m, src);
	if (!p) {
		if (osdmap_pool_by_name(m, dst)) {
			snprintf(c->outs, sizeof(c->outs),
				 "pool '%.400s' does not exist; pool '%.400s' does -- assuming successful rename",
				 src, dst);
			return 0;
		}
		return mon_cmd_fail(c, -ENOENT, "unrecognized pool '%.900s'", src);
	}
	if (osdmap_pool_by_name(m, dst))
		return mon_cmd_fail(c, -EEXIST, "pool '%.900s' already exists", dst);
	inc = mon_cmd_inc(c);
	if (!inc)
		return c->rc;
	np = osdmap_inc_pool_edit(inc, m, p->id, &r);
	if (np)
		r = osdmap_pool_set_name(np, dst);
	if (!np || r) {
		osdmap_inc_destroy(inc);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	if (mon_cmd_commit(c, inc))
		return c->rc;
	snprintf(c->outs, sizeof(c->outs), "pool '%.400s' renamed to '%.400s'", src, dst);
	return 0;
}

/* ---- application tags ---- */

/* Edit a pool's applications: the pending copy, or NULL with c->rc. */
static struct osdmap_pool *app_edit(struct mon_cmd *c, const struct osdmap_pool *old,
				    struct osdmap_inc **incp)
{
	struct osdmap_pool *p;
	int r;

	*incp = mon_cmd_inc(c);
	if (!*incp)
		return NULL;
	p = osdmap_inc_pool_edit(*incp, c->st->osdmap, old->id, &r);
	if (!p) {
		osdmap_inc_destroy(*incp);
		*incp = NULL;
		mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	return p;
}

static int app_finish(struct mon_cmd *c, struct osdmap_inc *inc, int r)
{
	if (r) {
		c->outs[0] = 0;
		osdmap_inc_destroy(inc);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	return mon_cmd_commit(c, inc);
}

int mon_cmd_app_enable(struct mon_cmd *c)
{
	const struct osdmap_pool *old = mon_cmd_pool(c, NULL);
	const char *app = mon_arg_str(c, "app");
	struct osdmap_inc *inc;
	struct osdmap_pool *p;
	char msg[sizeof(c->outs)];

	if (!old)
		return c->rc;
	if (!app || !*app)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'app'");
	snprintf(msg, sizeof(msg), "enabled application '%.400s' on pool '%.400s'", app,
		 old->name);
	if (osdmap_pool_app(old, app)) {
		snprintf(c->outs, sizeof(c->outs), "%s", msg);
		return 0;
	}
	if (old->n_apps && !mon_arg_bool(c, "yes_i_really_mean_it", "--yes-i-really-mean-it"))
		return mon_cmd_fail(c, -EPERM,
				    "Are you SURE? Pool '%.400s' already has an enabled application; pass --yes-i-really-mean-it to proceed anyway",
				    old->name);
	if (strlen(app) > 128)
		return mon_cmd_fail(c, -EINVAL, "application name '%.400s' too long; max length 128",
				    app);
	p = app_edit(c, old, &inc);
	if (!p)
		return c->rc;
	if (app_finish(c, inc, osdmap_pool_app_enable(p, app)))
		return c->rc;
	snprintf(c->outs, sizeof(c->outs), "%s", msg);
	return 0;
}

int mon_cmd_app_disable(struct mon_cmd *c)
{
	const struct osdmap_pool *old = mon_cmd_pool(c, NULL);
	const char *app = mon_arg_str(c, "app");
	struct osdmap_inc *inc;
	struct osdmap_pool *p;

	if (!old)
		return c->rc;
	if (!app)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'app'");
	if (!mon_arg_bool(c, "yes_i_really_mean_it", "--yes-i-really-mean-it"))
		return mon_cmd_fail(c, -EPERM,
				    "Are you SURE? Disabling an application within a pool might result in loss of application functionality; pass --yes-i-really-mean-it to proceed anyway");
	if (!osdmap_pool_app(old, app)) {
		snprintf(c->outs, sizeof(c->outs), "application '%.400s' is not enabled on pool '%.400s'",
			 app, old->name);
		return 0;
	}
	p = app_edit(c, old, &inc);
	if (!p)
		return c->rc;
	/* Worded before the commit, which frees the old map and `old`. */
	snprintf(c->outs, sizeof(c->outs), "disable application '%.400s' on pool '%.400s'", app,
		 old->name);
	return app_finish(c, inc, osdmap_pool_app_disable(p, app));
}

int mon_cmd_app_set(struct mon_cmd *c)
{
	const struct osdmap_pool *old = mon_cmd_pool(c, NULL);
	const char *app = mon_arg_str(c, "app"), *key = mon_arg_str(c, "key");
	const char *val = mon_arg_str(c, "value");
	struct osdmap_inc *inc;
	struct osdmap_pool *p;

	if (!old)
		return c->rc;
	if (!app || !key || !val)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field '%s'",
				    !app ? "app" : !key ? "key" : "value");
	if (!osdmap_pool_app(old, app))
		return mon_cmd_fail(c, -ENOENT, "application '%.400s' is not enabled on pool '%.400s'",
				    app, old->name);
	p = app_edit(c, old, &inc);
	if (!p)
		return c->rc;
	snprintf(c->outs, sizeof(c->outs),
		 "set application '%.200s' key '%.200s' to '%.200s' on pool '%.200s'", app, key, val,
		 old->name);
	return app_finish(c, inc, osdmap_pool_app_set(p, app, key, val));
}

static const char *app_get_key(const struct osdmap_app *a, const char *key)
{
	for (size_t i = 0; i < a->n_kv; i++)
		if (strcmp(a->kv[i].key, key) == 0)
			return a->kv[i].val;
	return NULL;
}

int mon_cmd_app_rm(struct mon_cmd *c)
{
	const struct osdmap_pool *old = mon_cmd_pool(c, NULL);
	const char *app = mon_arg_str(c, "app"), *key = mon_arg_str(c, "key");
	const struct osdmap_app *a;
	struct osdmap_inc *inc;
	struct osdmap_pool *p;

	if (!old)
		return c->rc;
	if (!app || !key)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field '%s'", !app ? "app" : "key");
	a = osdmap_pool_app(old, app);
	if (!a)
		return mon_cmd_fail(c, -ENOENT, "application '%.400s' is not enabled on pool '%.400s'",
				    app, old->name);
	if (!app_get_key(a, key)) {
		snprintf(c->outs, sizeof(c->outs),
			 "application '%.300s' on pool '%.300s' does not have key '%.300s'", app,
			 old->name, key);
		return 0;
	}
	p = app_edit(c, old, &inc);
	if (!p)
		return c->rc;
	snprintf(c->outs, sizeof(c->outs), "removed application '%.300s' key '%.300s' on pool '%.300s'",
		 app, key, old->name);
	return app_finish(c, inc, osdmap_pool_app_rm(p, app, key));
}

static json_t *app_json(const struct osdmap_app *a)
{
	json_t *o = json_object();

	for (size_t i = 0; i < a->n_kv; i++)
		json_object_set_new(o, a->kv[i].key, json_string(a->kv[i].val));
	return o;
}

static json_t *pool_apps_json(const struct osdmap_pool *p)
{
	json_t *o = json_object();

	for (size_t i = 0; i < p->n_apps; i++)
		json_object_set_new(o, p->apps[i].name, app_json(&p->apps[i]));
	return o;
}

int mon_cmd_app_get(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	const char *pool = mon_arg_str(c, "pool"), *app = mon_arg_str(c, "app");
	const char *key = mon_arg_str(c, "key");
	const struct osdmap_pool *p;
	const struct osdmap_app *a;
	const char *v;
	json_t *o;

	if (!pool) {
		o = json_object();
		for (size_t i = 0; i < m->n_pools; i++)
			json_object_set_new(o, m->pools[i].name, pool_apps_json(&m->pools[i]));
		return mon_out_json_fmt(c, o);
	}
	p = mon_cmd_pool(c, NULL);
	if (!p)
		return c->rc;
	if (!app)
		return mon_out_json_fmt(c, pool_apps_json(p));
	a = osdmap_pool_app(p, app);
	if (!a)
		return mon_cmd_fail(c, -ENOENT, "pool '%.400s' has no application '%.400s'", p->name,
				    app);
	if (!key)
		return mon_out_json_fmt(c, app_json(a));
	v = app_get_key(a, key);
	if (!v)
		return mon_cmd_fail(c, -ENOENT,
				    "application '%.300s' on pool '%.300s' does not have key '%.300s'",
				    app, p->name, key);
	/* A single value prints bare, whatever the format. */
	return mon_out_printf(c, "%s\n", v);
}
