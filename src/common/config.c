/*
 * The configuration of one entity: identity (type.id, cluster), the layers
 * of values in precedence order, metavariable expansion, Ceph's common
 * arguments and CEPH_ARGS/CEPH_CONF.  See config.h for the contract.
 *
 * DESIGN NOTES
 * 1. Each layer is a flat key -> string map except the file layer, which
 *    keeps every section; a lookup walks override, argv, env, then the
 *    file's [type.id], [type], [global], then the daemon default and the
 *    table default.  Nothing is precomputed, so a later -n or -i changes
 *    which file sections apply without rereading the file.
 * 2. Stored values are raw text: expansion of $vars happens on every read
 *    (so $osd_data tracks a later change of osd_data).  A reference to an
 *    option already being expanded stays literal (no loops); depth is
 *    bounded (CONF_EXPAND_DEPTH) and so is length (CONF_VALUE_MAX: a read
 *    fails with -E2BIG, a dump shows the raw text).
 * 3. Typed options are validated when set, unless the text holds a `$`
 *    (then only its expanded value can be judged, at the typed read).
 * 4. One rwlock guards everything; public functions take it, static
 *    helpers assume it is held.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errbuf.h"
#include "common/config_internal.h"

#define CONF_EXPAND_DEPTH 16
#define CONF_NAME_MAX 256
#define CONF_DEFAULT_SEARCH \
	"/etc/ceph/$cluster.conf, ~/.ceph/$cluster.conf, $cluster.conf"

struct conf {
	pthread_rwlock_t lock;
	char *type, *id, *name, *cluster;
	bool cluster_explicit; /* --cluster or conf_set_cluster() */
	char *conf_path;       /* from -c/--conf */
	struct conf_file file;
	char *file_path;       /* the file the file layer came from */
	struct conf_section layer[CONF_LEVEL_COUNT]; /* flat layers */
	struct conf_section warned; /* unknown keys already warned about */
	conf_warn_fn warn;
	void *warn_arg;
};

/* --- small helpers ----------------------------------------------------- */

static void warn_stderr(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "warning: %s\n", msg);
}

static void warnf(struct conf *conf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warnf(struct conf *conf, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (conf->warn)
		conf->warn(conf->warn_arg, msg);
}

/* Warn once per conf about an unknown key; where is "file:line" or a
 * source such as "conf_set". */
static void warn_unknown(struct conf *conf, const char *key, const char *where)
{
	if (conf__section_get(&conf->warned, key))
		return;
	if (conf__section_put(&conf->warned, key, "", 0) != 0)
		return;
	warnf(conf, "%s: unknown option '%s' (kept as a string)", where, key);
}

static int copy_out(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (!buf || n >= len)
		return -ENAMETOOLONG;
	memcpy(buf, s, n + 1);
	return 0;
}

struct strbuf {
	char *s;
	size_t n, cap;
	int err;
};

static void sb_add(struct strbuf *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (b->n + n + 1 > CONF_VALUE_MAX) {
		b->err = -E2BIG;
		return;
	}
	if (b->n + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		while (ncap < b->n + n + 1)
			ncap *= 2;
		char *ns = realloc(b->s, ncap);
		if (!ns) {
			b->err = -ENOMEM;
			return;
		}
		b->s = ns;
		b->cap = ncap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_adds(struct strbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* --- identity ---------------------------------------------------------- */

static int valid_ident(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CONF_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]) || s[i] == '[' || s[i] == ']' ||
		    s[i] == '$' || s[i] == '/' || !isprint((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Replace type and id (either may be NULL to keep it). */
static int set_identity(struct conf *conf, const char *type, const char *id)
{
	char *nt = strdup(type ? type : conf->type);
	char *ni = strdup(id ? id : conf->id);
	char *nn = NULL;

	if (!nt || !ni)
		goto out_nomem;
	if (!valid_ident(nt) || !valid_ident(ni) || strchr(nt, '.')) {
		free(nt);
		free(ni);
		return -EINVAL;
	}
	nn = malloc(strlen(nt) + strlen(ni) + 2);
	if (!nn)
		goto out_nomem;
	sprintf(nn, "%s.%s", nt, ni);
	free(conf->type);
	free(conf->id);
	free(conf->name);
	conf->type = nt;
	conf->id = ni;
	conf->name = nn;
	return 0;
out_nomem:
	free(nt);
	free(ni);
	return -ENOMEM;
}

static int set_name_locked(struct conf *conf, const char *name)
{
	const char *dot = strchr(name, '.');
	char type[CONF_NAME_MAX];

	if (!dot || dot == name || (size_t)(dot - name) >= sizeof(type))
		return -EINVAL;
	memcpy(type, name, (size_t)(dot - name));
	type[dot - name] = '\0';
	return set_identity(conf, type, dot + 1);
}

static int set_cluster_locked(struct conf *conf, const char *cluster)
{
	if (!valid_ident(cluster))
		return -EINVAL;
	char *c = strdup(cluster);
	if (!c)
		return -ENOMEM;
	free(conf->cluster);
	conf->cluster = c;
	return 0;
}

int conf_create(const char *name, struct conf **out)
{
	struct conf *conf = calloc(1, sizeof(*conf));
	int rc;

	*out = NULL;
	if (!conf)
		return -ENOMEM;
	if (pthread_rwlock_init(&conf->lock, NULL) != 0) {
		free(conf);
		return -ENOMEM;
	}
	conf->warn = warn_stderr;
	conf->type = strdup("client");
	conf->id = strdup("admin");
	conf->cluster = strdup("ceph");
	if (!conf->type || !conf->id || !conf->cluster) {
		rc = -ENOMEM;
		goto out_destroy;
	}
	rc = set_name_locked(conf, name ? name : "client.admin");
	if (rc != 0)
		goto out_destroy;
	*out = conf;
	return 0;
out_destroy:
	conf_destroy(conf);
	return rc;
}

void conf_destroy(struct conf *conf)
{
	if (!conf)
		return;
	for (int i = 0; i < CONF_LEVEL_COUNT; i++)
		conf__section_release(&conf->layer[i]);
	conf__section_release(&conf->warned);
	conf__file_release(&conf->file);
	free(conf->file_path);
	free(conf->conf_path);
	free(conf->type);
	free(conf->id);
	free(conf->name);
	free(conf->cluster);
	pthread_rwlock_destroy(&conf->lock);
	free(conf);
}

void conf_set_warn(struct conf *conf, conf_warn_fn fn, void *arg)
{
	pthread_rwlock_wrlock(&conf->lock);
	conf->warn = fn;
	conf->warn_arg = arg;
	pthread_rwlock_unlock(&conf->lock);
}

int conf_set_name(struct conf *conf, const char *name)
{
	pthread_rwlock_wrlock(&conf->lock);
	int rc = set_name_locked(conf, name);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

int conf_set_id(struct conf *conf, const char *id)
{
	pthread_rwlock_wrlock(&conf->lock);
	int rc = set_identity(conf, NULL, id);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

int conf_set_cluster(struct conf *conf, const char *cluster)
{
	pthread_rwlock_wrlock(&conf->lock);
	int rc = set_cluster_locked(conf, cluster);
	if (rc == 0)
		conf->cluster_explicit = true;
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

static int get_ident(struct conf *conf, char *const *field, char *buf,
		     size_t len)
{
	pthread_rwlock_rdlock(&conf->lock);
	int rc = copy_out(*field, buf, len);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

int conf_get_name(struct conf *conf, char *buf, size_t len)
{
	return get_ident(conf, &conf->name, buf, len);
}

int conf_get_type(struct conf *conf, char *buf, size_t len)
{
	return get_ident(conf, &conf->type, buf, len);
}

int conf_get_id(struct conf *conf, char *buf, size_t len)
{
	return get_ident(conf, &conf->id, buf, len);
}

int conf_get_cluster(struct conf *conf, char *buf, size_t len)
{
	return get_ident(conf, &conf->cluster, buf, len);
}

/* --- lookup and expansion --------------------------------------------- */

/* The file's value for key in the sections that apply to this entity. */
static const struct conf_kv *file_lookup(struct conf *conf, const char *key)
{
	const char *order[] = { conf->name, conf->type, "global" };

	for (size_t i = 0; i < 3; i++) {
		const struct conf_kv *kv =
			conf__section_get(conf__file_section(&conf->file,
							     order[i]), key);
		if (kv)
			return kv;
	}
	return NULL;
}

/* The raw (unexpanded) value of a normalized key; NULL if unset. */
static const char *raw_get(struct conf *conf, const char *key,
			   enum conf_level *level)
{
	static const enum conf_level flat_high[] = {
		CONF_LEVEL_OVERRIDE, CONF_LEVEL_ARGV, CONF_LEVEL_ENV,
	};
	const struct conf_kv *kv;
	enum conf_level lv = CONF_LEVEL_DEFAULT;
	const char *v = NULL;

	if (strcmp(key, "name") == 0) {
		v = conf->name;
		goto out;
	}
	if (strcmp(key, "cluster") == 0) {
		v = conf->cluster;
		goto out;
	}
	for (size_t i = 0; i < 3; i++) {
		kv = conf__section_get(&conf->layer[flat_high[i]], key);
		if (kv) {
			lv = flat_high[i];
			v = kv->value;
			goto out;
		}
	}
	kv = file_lookup(conf, key);
	if (kv) {
		lv = CONF_LEVEL_FILE;
		v = kv->value;
		goto out;
	}
	kv = conf__section_get(&conf->layer[CONF_LEVEL_DAEMON_DEFAULT], key);
	if (kv) {
		lv = CONF_LEVEL_DAEMON_DEFAULT;
		v = kv->value;
		goto out;
	}
	const struct conf_option *opt = conf__option_find_normalized(key);
	if (opt)
		v = opt->default_value;
out:
	if (level)
		*level = lv;
	return v;
}

/* The options being expanded, outermost first: a reference back into the
 * chain stays literal, as Ceph leaves a self-reference. */
struct expand_chain {
	const char *names[CONF_EXPAND_DEPTH];
	int depth;
};

static void expand_into(struct conf *conf, const char *s,
			struct expand_chain *chain, struct strbuf *b);

/* The short host name: the `host` option if set, else the system's. */
static void add_host(struct conf *conf, struct expand_chain *chain,
		     struct strbuf *b)
{
	const char *h = raw_get(conf, "host", NULL);
	char name[256];

	if (h && *h && chain->depth < CONF_EXPAND_DEPTH) {
		for (int i = 0; i < chain->depth; i++)
			if (strcmp(chain->names[i], "host") == 0)
				h = NULL;
		if (h) {
			chain->names[chain->depth++] = "host";
			expand_into(conf, h, chain, b);
			chain->depth--;
			return;
		}
	}
	if (gethostname(name, sizeof(name)) != 0)
		name[0] = '\0';
	name[sizeof(name) - 1] = '\0';
	char *dot = strchr(name, '.');
	if (dot)
		*dot = '\0';
	sb_adds(b, name);
}

static void expand_var(struct conf *conf, const char *var,
		       struct expand_chain *chain, struct strbuf *b)
{
	char num[32];

	if (strcmp(var, "cluster") == 0) {
		sb_adds(b, conf->cluster);
	} else if (strcmp(var, "type") == 0) {
		sb_adds(b, conf->type);
	} else if (strcmp(var, "id") == 0) {
		sb_adds(b, conf->id);
	} else if (strcmp(var, "name") == 0) {
		sb_adds(b, conf->name);
	} else if (strcmp(var, "host") == 0) {
		add_host(conf, chain, b);
	} else if (strcmp(var, "pid") == 0) {
		snprintf(num, sizeof(num), "%ld", (long)getpid());
		sb_adds(b, num);
	} else {
		/* only known options expand, as in Ceph */
		const struct conf_option *opt = conf__option_find_normalized(var);
		const char *v = opt ? raw_get(conf, opt->name, NULL) : NULL;
		for (int i = 0; v && i < chain->depth; i++)
			if (strcmp(chain->names[i], opt->name) == 0)
				v = NULL;
		if (v && chain->depth < CONF_EXPAND_DEPTH) {
			chain->names[chain->depth++] = opt->name;
			expand_into(conf, v, chain, b);
			chain->depth--;
		} else {
			sb_adds(b, "$");
			sb_adds(b, var);
		}
	}
}

static void expand_into(struct conf *conf, const char *s,
			struct expand_chain *chain, struct strbuf *b)
{
	char var[CONF_KEY_MAX];

	while (*s && !b->err) {
		const char *d = strchr(s, '$');
		if (!d) {
			sb_adds(b, s);
			return;
		}
		sb_add(b, s, (size_t)(d - s));
		s = d + 1;
		size_t n = 0;
		if (*s == '{') {
			const char *close = strchr(s, '}');
			n = close ? (size_t)(close - s - 1) : 0;
			if (!close || n == 0 || n >= sizeof(var)) {
				sb_adds(b, "$");
				continue;
			}
			memcpy(var, s + 1, n);
			var[n] = '\0';
			s = close + 1;
		} else {
			while ((isalnum((unsigned char)s[n]) || s[n] == '_') &&
			       n + 1 < sizeof(var))
				n++;
			if (n == 0) {
				sb_adds(b, "$");
				continue;
			}
			memcpy(var, s, n);
			var[n] = '\0';
			s += n;
		}
		expand_var(conf, var, chain, b);
	}
}

/* Expand s into a malloc'd string. */
static int expand(struct conf *conf, const char *s, char **out)
{
	struct strbuf b = { 0 };
	struct expand_chain chain = { .depth = 0 };

	sb_add(&b, "", 0);
	expand_into(conf, s, &chain, &b);
	if (b.err) {
		free(b.s);
		*out = NULL;
		return b.err;
	}
	*out = b.s;
	return 0;
}

/*
 * Rewrite a typed value the way Ceph prints it (`1Gi` -> 1073741824,
 * `yes` -> true, `5m` -> 300, debug `20` -> 20/20, floats with %f), so
 * conf_get() and dumps agree with rados_conf_get() and ceph-conf.  A value
 * that does not parse (only possible through a $reference) is left alone
 * for the typed getters to reject.
 */
static int canonicalize(const struct conf_option *opt, char **v)
{
	char buf[64];
	int64_t i;
	uint64_t u;
	double f;
	bool b;

	buf[0] = '\0';
	switch (opt->type) {
	case CONF_TYPE_INT:
		if (conf__parse_int(*v, &i) == 0)
			snprintf(buf, sizeof(buf), "%lld", (long long)i);
		break;
	case CONF_TYPE_UINT:
		if (conf__parse_uint(*v, &u) == 0)
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)u);
		break;
	case CONF_TYPE_SIZE:
		if (conf__parse_size(*v, &u) == 0)
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)u);
		break;
	case CONF_TYPE_SECS:
		if (conf__parse_secs(*v, &u) == 0)
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)u);
		break;
	case CONF_TYPE_BOOL:
		if (conf__parse_bool(*v, &b) == 0)
			snprintf(buf, sizeof(buf), "%s", b ? "true" : "false");
		break;
	case CONF_TYPE_FLOAT:
		if (conf__parse_float(*v, &f) == 0)
			snprintf(buf, sizeof(buf), "%f", f);
		break;
	case CONF_TYPE_STR:
		if ((opt->flags & CONF_OPT_LOG_LEVEL) &&
		    conf__parse_uint(*v, &u) == 0 && !strpbrk(*v, "KMGTPE") &&
		    u < 100)
			snprintf(buf, sizeof(buf), "%llu/%llu",
				 (unsigned long long)u, (unsigned long long)u);
		break;
	case CONF_TYPE_ADDR:
		break;
	}
	if (!buf[0])
		return 0;
	char *c = strdup(buf);
	if (!c)
		return -ENOMEM;
	free(*v);
	*v = c;
	return 0;
}

static int get_locked(struct conf *conf, const char *key, char **out,
		      enum conf_level *level)
{
	char norm[CONF_KEY_MAX];
	int rc = conf_normalize_key(key, norm, sizeof(norm));

	*out = NULL;
	if (rc != 0)
		return rc == -ENAMETOOLONG ? -ENOENT : -EINVAL;
	const char *v = raw_get(conf, norm, level);
	if (!v)
		return -ENOENT;
	rc = expand(conf, v, out);
	const struct conf_option *opt = conf__option_find_normalized(norm);
	if (rc == 0 && opt) {
		rc = canonicalize(opt, out);
		if (rc != 0) {
			free(*out);
			*out = NULL;
		}
	}
	return rc;
}

int conf_get_alloc(struct conf *conf, const char *key, char **out)
{
	pthread_rwlock_rdlock(&conf->lock);
	int rc = get_locked(conf, key, out, NULL);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

int conf_get(struct conf *conf, const char *key, char *buf, size_t len)
{
	char *v;
	int rc = conf_get_alloc(conf, key, &v);

	if (rc != 0)
		return rc;
	rc = copy_out(v, buf, len);
	free(v);
	return rc;
}

int conf_get_level(struct conf *conf, const char *key, enum conf_level *level)
{
	char norm[CONF_KEY_MAX];

	if (conf_normalize_key(key, norm, sizeof(norm)) != 0)
		return -ENOENT;
	pthread_rwlock_rdlock(&conf->lock);
	const char *v = raw_get(conf, norm, level);
	pthread_rwlock_unlock(&conf->lock);
	return v ? 0 : -ENOENT;
}

int conf_lookup_file(struct conf *conf, const char *key, char *buf,
		     size_t len)
{
	char norm[CONF_KEY_MAX], *v = NULL;
	int rc;

	if (conf_normalize_key(key, norm, sizeof(norm)) != 0)
		return -ENOENT;
	pthread_rwlock_rdlock(&conf->lock);
	const struct conf_kv *kv = file_lookup(conf, norm);
	rc = kv ? expand(conf, kv->value, &v) : -ENOENT;
	pthread_rwlock_unlock(&conf->lock);
	if (rc == 0)
		rc = copy_out(v, buf, len);
	free(v);
	return rc;
}

/* --- typed reads ------------------------------------------------------- */

/*
 * Read key and convert it by `want`; an option whose own type is an
 * integer, bool, size or secs is converted by its own rules when read as
 * a number, then range-checked for the type asked for.
 */
static int get_typed(struct conf *conf, const char *key, enum conf_type want,
		     int64_t *i, uint64_t *u, double *f, bool *bl)
{
	const struct conf_option *opt = conf_option_find(key);
	enum conf_type t = want;
	char *v;
	int rc = conf_get_alloc(conf, key, &v);

	if (rc != 0)
		return rc;
	if (opt && (want == CONF_TYPE_INT || want == CONF_TYPE_UINT ||
		    want == CONF_TYPE_FLOAT) &&
	    (opt->type == CONF_TYPE_BOOL || opt->type == CONF_TYPE_SIZE ||
	     opt->type == CONF_TYPE_SECS || opt->type == CONF_TYPE_INT ||
	     opt->type == CONF_TYPE_UINT))
		t = opt->type;
	uint64_t uv = 0;
	int64_t iv = 0;
	double fv = 0;
	bool bv = false;
	switch (t) {
	case CONF_TYPE_BOOL:
		rc = conf__parse_bool(v, &bv);
		uv = iv = bv;
		fv = bv;
		break;
	case CONF_TYPE_SIZE:
		rc = conf__parse_size(v, &uv);
		break;
	case CONF_TYPE_SECS:
		rc = conf__parse_secs(v, &uv);
		break;
	case CONF_TYPE_INT:
		rc = conf__parse_int(v, &iv);
		break;
	case CONF_TYPE_UINT:
		rc = conf__parse_uint(v, &uv);
		break;
	case CONF_TYPE_FLOAT:
		rc = conf__parse_float(v, &fv);
		break;
	default:
		rc = -EINVAL;
	}
	free(v);
	if (rc != 0)
		return rc;
	if (t == CONF_TYPE_SIZE || t == CONF_TYPE_SECS) {
		if (uv > (uint64_t)INT64_MAX && want == CONF_TYPE_INT)
			return -ERANGE;
		iv = (int64_t)uv;
		fv = (double)uv;
	} else if (t == CONF_TYPE_INT) {
		if (iv < 0 && want == CONF_TYPE_UINT)
			return -ERANGE;
		uv = (uint64_t)iv;
		fv = (double)iv;
	} else if (t == CONF_TYPE_UINT) {
		if (uv > (uint64_t)INT64_MAX && want == CONF_TYPE_INT)
			return -ERANGE;
		iv = (int64_t)uv;
		fv = (double)uv;
	}
	if (i)
		*i = iv;
	if (u)
		*u = uv;
	if (f)
		*f = fv;
	if (bl)
		*bl = bv;
	return 0;
}

int conf_get_int(struct conf *conf, const char *key, int64_t *out)
{
	return get_typed(conf, key, CONF_TYPE_INT, out, NULL, NULL, NULL);
}

int conf_get_uint(struct conf *conf, const char *key, uint64_t *out)
{
	return get_typed(conf, key, CONF_TYPE_UINT, NULL, out, NULL, NULL);
}

int conf_get_float(struct conf *conf, const char *key, double *out)
{
	return get_typed(conf, key, CONF_TYPE_FLOAT, NULL, NULL, out, NULL);
}

int conf_get_bool(struct conf *conf, const char *key, bool *out)
{
	return get_typed(conf, key, CONF_TYPE_BOOL, NULL, NULL, NULL, out);
}

int conf_get_size(struct conf *conf, const char *key, uint64_t *out)
{
	return get_typed(conf, key, CONF_TYPE_SIZE, NULL, out, NULL, NULL);
}

int conf_get_secs(struct conf *conf, const char *key, uint64_t *out)
{
	return get_typed(conf, key, CONF_TYPE_SECS, NULL, out, NULL, NULL);
}

/* --- setting ----------------------------------------------------------- */

/*
 * Check value for key (normalized).  where names the source for messages
 * ("FILE:LINE", "--opt", "conf_set").  Unknown keys are warned about once.
 */
static int check_value(struct conf *conf, const char *key, const char *value,
		       const char *where, char *err, size_t errlen)
{
	const struct conf_option *opt = conf__option_find_normalized(key);
	char why[512], pre[520] = "";

	if (where)
		snprintf(pre, sizeof(pre), "%s: ", where);
	if (!opt) {
		warn_unknown(conf, key, where ? where : "argument");
		return 0;
	}
	if (strchr(value, '$'))
		return 0; /* judged after expansion, by the typed getters */
	if (strcmp(opt->name, "mon_host") == 0 && value[strspn(value, " \t,;")]) {
		struct addr_entry *v;
		size_t n;
		char reason[256];
		if (addr_list_parse(value, ADDR_DEFAULT_MON_PORT, &v, &n, reason,
				    sizeof(reason)) != 0) {
			err_set(err, errlen, "%smon_host: invalid address list "
				"'%s': %s", pre, value, reason);
			return -EINVAL;
		}
		free(v);
		return 0;
	}
	if (conf_validate(opt, value, why, sizeof(why)) != 0) {
		err_set(err, errlen, "%s%s", pre, why);
		return -EINVAL;
	}
	return 0;
}

static int set_level(struct conf *conf, enum conf_level level,
		     const char *key, const char *value, const char *where,
		     char *err, size_t errlen)
{
	char norm[CONF_KEY_MAX];
	int rc;

	if (!where)
		where = "argument";
	if (!key || !value) {
		err_set(err, errlen, "%s: missing key or value", where);
		return -EINVAL;
	}
	rc = conf_normalize_key(key, norm, sizeof(norm));
	if (rc != 0) {
		err_set(err, errlen, "%s: bad option name '%s'", where, key);
		return -EINVAL;
	}
	if (strcmp(norm, "name") == 0 || strcmp(norm, "cluster") == 0) {
		rc = norm[0] == 'n' ? set_name_locked(conf, value)
				    : set_cluster_locked(conf, value);
		if (rc == 0 && norm[0] == 'c')
			conf->cluster_explicit = true;
		if (rc == -EINVAL)
			err_set(err, errlen, "%s: invalid %s '%s'", where, norm,
				value);
		return rc;
	}
	rc = check_value(conf, norm, value,
			 strcmp(where, "argument") ? where : NULL, err, errlen);
	if (rc != 0)
		return rc;
	return conf__section_put(&conf->layer[level], norm, value, 0);
}

int conf_set(struct conf *conf, const char *key, const char *value,
	     char *err, size_t errlen)
{
	pthread_rwlock_wrlock(&conf->lock);
	int rc = set_level(conf, CONF_LEVEL_OVERRIDE, key, value, "conf_set",
			   err, errlen);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

int conf_set_default(struct conf *conf, const char *key, const char *value,
		     char *err, size_t errlen)
{
	pthread_rwlock_wrlock(&conf->lock);
	int rc = set_level(conf, CONF_LEVEL_DAEMON_DEFAULT, key, value,
			   "conf_set_default", err, errlen);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

/* --- the conf file ------------------------------------------------------ */

static int load_buffer_locked(struct conf *conf, const char *buf, size_t len,
			      const char *filename, char *err, size_t errlen)
{
	struct conf_file file;
	char where[512];
	int rc;

	rc = conf__file_parse(buf, len, filename, &file, err, errlen);
	if (rc != 0)
		return rc;
	for (size_t s = 0; s < file.n; s++) {
		const struct conf_section *sec = &file.sec[s];
		for (size_t k = 0; k < sec->n; k++) {
			snprintf(where, sizeof(where), "%s:%u",
				 filename ? filename : "<buffer>",
				 sec->kv[k].line);
			rc = check_value(conf, sec->kv[k].key, sec->kv[k].value,
					 where, err, errlen);
			if (rc != 0) {
				conf__file_release(&file);
				return rc;
			}
		}
	}
	conf__file_release(&conf->file);
	conf->file = file;
	return 0;
}

int conf_parse_buffer(struct conf *conf, const char *buf, size_t len,
		      const char *filename, char *err, size_t errlen)
{
	pthread_rwlock_wrlock(&conf->lock);
	int rc = load_buffer_locked(conf, buf, len, filename, err, errlen);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

/* Read a whole file.  -ENOENT if missing; -EFBIG past CONF_FILE_MAX. */
static int slurp(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0;
	char *buf;
	int rc = 0;

	if (!f)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		rc = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= CONF_FILE_MAX) {
				rc = -EFBIG;
				goto out_free;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				rc = -ENOMEM;
				goto out_free;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				rc = -EIO;
				goto out_free;
			}
			break;
		}
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
out_free:
	free(buf);
out_close:
	fclose(f);
	return rc;
}

/* A file named NAME.conf names the cluster, unless --cluster was given. */
static void cluster_from_path(struct conf *conf, const char *path)
{
	const char *base = strrchr(path, '/');
	char name[CONF_NAME_MAX];

	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (conf->cluster_explicit || n <= 5 || n - 5 >= sizeof(name) ||
	    strcmp(base + n - 5, ".conf") != 0)
		return;
	memcpy(name, base, n - 5);
	name[n - 5] = '\0';
	set_cluster_locked(conf, name); /* an odd name keeps the old one */
}

static int read_one(struct conf *conf, const char *path, char *err,
		    size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = slurp(path, &buf, &len);

	if (rc != 0) {
		err_set(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = load_buffer_locked(conf, buf, len, path, err, errlen);
	free(buf);
	if (rc != 0)
		return rc;
	free(conf->file_path);
	conf->file_path = strdup(path);
	cluster_from_path(conf, path);
	return 0;
}

int conf_read_file(struct conf *conf, const char *path, char *err,
		   size_t errlen)
{
	char *list = NULL, *tok, *save = NULL;
	int rc;

	pthread_rwlock_wrlock(&conf->lock);
	if (!path)
		path = conf->conf_path;
	if (!path)
		path = getenv("CEPH_CONF");
	if (!path || !*path)
		path = CONF_DEFAULT_SEARCH;
	rc = expand(conf, path, &list);
	if (rc != 0)
		goto out_unlock;
	rc = -ENOENT;
	err_set(err, errlen, "no config file found in '%s'", list);
	for (tok = strtok_r(list, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		char full[4096];
		const char *p = tok;
		if (tok[0] == '~' && (tok[1] == '/' || tok[1] == '\0')) {
			const char *home = getenv("HOME");
			if (!home)
				continue;
			snprintf(full, sizeof(full), "%s%s", home, tok + 1);
			p = full;
		}
		struct stat st;
		if (stat(p, &st) != 0 && errno == ENOENT)
			continue;
		rc = read_one(conf, p, err, errlen);
		break;
	}
	free(list);
out_unlock:
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

/* --- arguments ---------------------------------------------------------- */

enum arg_kind { ARG_CONF, ARG_ID, ARG_NAME, ARG_MON, ARG_KEYRING, ARG_CLUSTER };

static const struct {
	const char *shortopt, *longopt;
	enum arg_kind kind;
} fixed_args[] = {
	{ "-c", "--conf", ARG_CONF },
	{ "-i", "--id", ARG_ID },
	{ NULL, "--user", ARG_ID },
	{ "-n", "--name", ARG_NAME },
	{ "-m", NULL, ARG_MON },
	{ "-k", NULL, ARG_KEYRING },
	{ NULL, "--cluster", ARG_CLUSTER },
};

static int apply_fixed(struct conf *conf, enum conf_level level,
		       enum arg_kind kind, const char *opt, const char *val,
		       char *err, size_t errlen)
{
	int rc = 0;

	switch (kind) {
	case ARG_CONF: {
		char *p = strdup(val);
		if (!p)
			return -ENOMEM;
		free(conf->conf_path);
		conf->conf_path = p;
		return 0;
	}
	case ARG_ID:
		rc = set_identity(conf, NULL, val);
		break;
	case ARG_NAME:
		rc = set_name_locked(conf, val);
		break;
	case ARG_CLUSTER:
		rc = set_cluster_locked(conf, val);
		if (rc == 0)
			conf->cluster_explicit = true;
		break;
	case ARG_MON:
		return set_level(conf, level, "mon_host", val, opt, err, errlen);
	case ARG_KEYRING:
		return set_level(conf, level, "keyring", val, opt, err, errlen);
	}
	if (rc == -EINVAL)
		err_set(err, errlen, "%s: invalid value '%s'", opt, val);
	return rc;
}

static int is_bool_word(const char *s)
{
	bool b;

	return s && s[0] != '-' && conf__parse_bool(s, &b) == 0;
}

/*
 * Consume configuration arguments from argv[start..*argc); the rest are
 * compacted in order.  Returns 0 or -errno with err set.
 */
static int parse_args(struct conf *conf, enum conf_level level, int *argc,
		      char **argv, int start, char *err, size_t errlen)
{
	int w = start, i = start, rc = 0;

	while (i < *argc) {
		const char *a = argv[i];
		const char *val = NULL, *eq = NULL;
		size_t nlen;
		int used = 1, matched = 0;

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[w++] = argv[i++];
			break;
		}
		if (a[0] != '-') {
			argv[w++] = argv[i++];
			continue;
		}
		eq = a[1] == '-' ? strchr(a, '=') : NULL;
		nlen = eq ? (size_t)(eq - a) : strlen(a);
		for (size_t f = 0; f < sizeof(fixed_args) / sizeof(fixed_args[0]);
		     f++) {
			const char *s = fixed_args[f].shortopt;
			const char *l = fixed_args[f].longopt;
			if (!((s && !eq && strcmp(a, s) == 0) ||
			      (l && strlen(l) == nlen && strncmp(a, l, nlen) == 0)))
				continue;
			matched = 1;
			if (eq) {
				val = eq + 1;
			} else if (i + 1 < *argc) {
				val = argv[i + 1];
				used = 2;
			} else {
				err_set(err, errlen, "%s: option requires an "
					"argument", a);
				return -EINVAL;
			}
			rc = apply_fixed(conf, level, fixed_args[f].kind, a, val,
					 err, errlen);
			if (rc != 0)
				return rc;
			break;
		}
		if (!matched && a[1] == '-' && a[2] != '\0') {
			char key[CONF_KEY_MAX], norm[CONF_KEY_MAX];
			size_t klen = nlen - 2;
			if (klen < sizeof(key)) {
				memcpy(key, a + 2, klen);
				key[klen] = '\0';
			}
			const struct conf_option *opt =
				klen < sizeof(key) &&
				conf_normalize_key(key, norm, sizeof(norm)) == 0
					? conf__option_find_normalized(norm)
					: NULL;
			if (opt) {
				matched = 1;
				if (eq) {
					val = eq + 1;
				} else if (opt->type == CONF_TYPE_BOOL) {
					if (i + 1 < *argc &&
					    is_bool_word(argv[i + 1])) {
						val = argv[i + 1];
						used = 2;
					} else {
						val = "true";
					}
				} else if (i + 1 < *argc) {
					val = argv[i + 1];
					used = 2;
				} else {
					err_set(err, errlen, "%.*s: option "
						"requires an argument",
						(int)nlen, a);
					return -EINVAL;
				}
				/* the message names the option already */
				rc = set_level(conf, level, opt->name, val,
					       NULL, err, errlen);
				if (rc != 0)
					return rc;
			}
		}
		if (!matched) {
			argv[w++] = argv[i++];
			continue;
		}
		i += used;
	}
	*argc = w;
	argv[w] = NULL;
	return 0;
}

int conf_parse_argv(struct conf *conf, int *argc, char **argv, char *err,
		    size_t errlen)
{
	if (*argc < 1)
		return 0;
	pthread_rwlock_wrlock(&conf->lock);
	int rc = parse_args(conf, CONF_LEVEL_ARGV, argc, argv, 1, err, errlen);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}

int conf_parse_env(struct conf *conf, const char *var, char *err,
		   size_t errlen)
{
	const char *name = var ? var : "CEPH_ARGS";
	const char *env = getenv(name);
	char *copy, *tok, *save = NULL, **args = NULL;
	int n = 0, cap = 0, rc = 0;

	if (!env || !*env)
		return 0;
	copy = strdup(env);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (n + 1 >= cap) {
			int ncap = cap ? cap * 2 : 16;
			char **na = realloc(args, (size_t)ncap * sizeof(*na));
			if (!na) {
				rc = -ENOMEM;
				goto out_free;
			}
			args = na;
			cap = ncap;
		}
		args[n++] = tok;
	}
	if (n == 0)
		goto out_free;
	args[n] = NULL;
	pthread_rwlock_wrlock(&conf->lock);
	rc = parse_args(conf, CONF_LEVEL_ENV, &n, args, 0, err, errlen);
	for (int i = 0; rc == 0 && i < n; i++)
		warnf(conf, "%s: ignoring '%s' (not a configuration argument)",
		      name, args[i]);
	pthread_rwlock_unlock(&conf->lock);
out_free:
	free(args);
	free(copy);
	return rc;
}

/* --- addresses ---------------------------------------------------------- */

int conf_get_addrs(struct conf *conf, const char *key, uint16_t default_port,
		   struct addr_entry **out, size_t *count, char *err,
		   size_t errlen)
{
	struct strbuf b = { 0 };
	char norm[CONF_KEY_MAX], *v = NULL;
	int rc;

	*out = NULL;
	*count = 0;
	if (conf_normalize_key(key, norm, sizeof(norm)) != 0)
		return -EINVAL;
	pthread_rwlock_rdlock(&conf->lock);
	rc = get_locked(conf, norm, &v, NULL);
	if (rc == 0 && v[strspn(v, " \t,;")] == '\0' &&
	    strcmp(norm, "mon_host") == 0) {
		/* old style: a `mon addr` in each [mon.X] section */
		sb_add(&b, "", 0);
		for (size_t s = 0; s < conf->file.n; s++) {
			const struct conf_section *sec = &conf->file.sec[s];
			const struct conf_kv *kv;
			if (strncmp(sec->name, "mon.", 4) != 0)
				continue;
			kv = conf__section_get(sec, "mon_addr");
			if (!kv)
				continue;
			struct expand_chain chain = { .depth = 0 };
			sb_adds(&b, " ");
			expand_into(conf, kv->value, &chain, &b);
		}
		if (b.err) {
			rc = b.err;
		} else {
			free(v);
			v = b.s;
			b.s = NULL;
		}
	}
	pthread_rwlock_unlock(&conf->lock);
	free(b.s);
	if (rc == 0 && v[strspn(v, " \t,;")] == '\0') {
		err_set(err, errlen, "%s is empty", norm);
		rc = -ENOENT;
	}
	if (rc == 0)
		rc = addr_list_parse(v, default_port, out, count, err, errlen);
	free(v);
	return rc;
}

/* --- enumeration -------------------------------------------------------- */

static int visit_unknown(struct conf *conf, const struct conf_section *sec,
			 struct conf_section *seen, conf_visit_fn fn, void *arg)
{
	for (size_t k = 0; sec && k < sec->n; k++) {
		const char *key = sec->kv[k].key;
		enum conf_level lv;
		char *v;
		if (conf__option_find_normalized(key) ||
		    conf__section_get(seen, key))
			continue;
		if (conf__section_put(seen, key, "", 0) != 0)
			return -ENOMEM;
		const char *raw = raw_get(conf, key, &lv);
		if (!raw)
			continue;
		int rc = expand(conf, raw, &v);
		if (rc == -E2BIG) /* show what was written instead */
			rc = fn(arg, key, raw, NULL, lv);
		else if (rc == 0)
			rc = fn(arg, key, v, NULL, lv);
		free(v);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int conf_foreach(struct conf *conf, conf_visit_fn fn, void *arg)
{
	struct conf_section seen = { 0 };
	size_t count;
	const struct conf_option *opts = conf_options(&count);
	int rc = 0;

	pthread_rwlock_rdlock(&conf->lock);
	/* the identity first, as ceph-conf --show-config prints it */
	rc = fn(arg, "name", conf->name, NULL, CONF_LEVEL_DEFAULT);
	if (rc == 0)
		rc = fn(arg, "cluster", conf->cluster, NULL, CONF_LEVEL_DEFAULT);
	for (size_t i = 0; i < count && rc == 0; i++) {
		enum conf_level lv;
		const char *raw = raw_get(conf, opts[i].name, &lv);
		char *v;
		rc = get_locked(conf, opts[i].name, &v, NULL);
		if (rc == -E2BIG)
			rc = fn(arg, opts[i].name, raw, &opts[i], lv);
		else if (rc == 0)
			rc = fn(arg, opts[i].name, v, &opts[i], lv);
		free(v);
	}
	const struct conf_section *srcs[] = {
		&conf->layer[CONF_LEVEL_OVERRIDE],
		&conf->layer[CONF_LEVEL_ARGV],
		&conf->layer[CONF_LEVEL_ENV],
		conf__file_section(&conf->file, conf->name),
		conf__file_section(&conf->file, conf->type),
		conf__file_section(&conf->file, "global"),
		&conf->layer[CONF_LEVEL_DAEMON_DEFAULT],
	};
	for (size_t s = 0; s < sizeof(srcs) / sizeof(srcs[0]) && rc == 0; s++)
		rc = visit_unknown(conf, srcs[s], &seen, fn, arg);
	pthread_rwlock_unlock(&conf->lock);
	conf__section_release(&seen);
	return rc;
}

int conf_foreach_section(struct conf *conf,
			 int (*fn)(void *arg, const char *section), void *arg)
{
	int rc = 0;

	pthread_rwlock_rdlock(&conf->lock);
	for (size_t s = 0; s < conf->file.n && rc == 0; s++)
		rc = fn(arg, conf->file.sec[s].name);
	pthread_rwlock_unlock(&conf->lock);
	return rc;
}
