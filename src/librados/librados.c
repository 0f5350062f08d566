/*
 * librados' cluster handle: configuration (common/config), the monitor
 * client (osdc/monc: one session set that follows the osdmap and runs
 * commands), the objecter it feeds (objecter.c), monitor commands, pool
 * management, and I/O context handles.  Pool lookups ask the monitors
 * (`osd lspools`) so answers are current across clients; an I/O context
 * then waits until our map has its pool.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <jansson.h>

#include "common/config.h"
#include "librados/librados_internal.h"
#include "osdc/monc.h"
#include "osdmap/osdmap.h"

/* Used when client_mount_timeout cannot be read. */
#define RADOS_DEFAULT_TIMEOUT_MS 300000

static void rados_quiet_warn(void *arg, const char *message)
{
	/* A library must not write to the program's stderr. */
}

LIBRADOS_API void rados_version(int *major, int *minor, int *extra)
{
	if (major)
		*major = LIBRADOS_VER_MAJOR;
	if (minor)
		*minor = LIBRADOS_VER_MINOR;
	if (extra)
		*extra = LIBRADOS_VER_EXTRA;
}

LIBRADOS_API int rados_create2(rados_t *pcluster, const char *const clustername,
			       const char *const name, uint64_t flags)
{
	struct rados_cluster *c;
	int rc;

	if (!pcluster)
		return -EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	/* python3-rados passes "" for "not given". */
	rc = conf_create(name && *name ? name : NULL, &c->conf);
	if (rc)
		goto out_free;
	conf_set_warn(c->conf, rados_quiet_warn, NULL);
	if (clustername && *clustername) {
		rc = conf_set_cluster(c->conf, clustername);
		if (rc)
			goto out_conf;
	}
	*pcluster = c;
	return 0;

out_conf:
	conf_destroy(c->conf);
out_free:
	free(c);
	return rc;
}

LIBRADOS_API int rados_create(rados_t *cluster, const char *const id)
{
	char name[256];
	int n;

	n = snprintf(name, sizeof(name), "client.%s", id ? id : "admin");
	if (n < 0 || (size_t)n >= sizeof(name))
		return -EINVAL;
	return rados_create2(cluster, NULL, name, 0);
}

LIBRADOS_API void rados_shutdown(rados_t cluster)
{
	struct rados_cluster *c = cluster;

	if (!c)
		return;
	/* Order: no OSD callbacks, then no map callbacks, then free. */
	if (c->objecter)
		objecter_stop(c->objecter);
	if (c->monc)
		monc_destroy(c->monc);
	objecter_destroy(c->objecter);
	conf_destroy(c->conf);
	free(c);
}

/* --- configuration ---------------------------------------------------- */

LIBRADOS_API int rados_conf_read_file(rados_t cluster, const char *path)
{
	struct rados_cluster *c = cluster;
	char err[256];

	return conf_read_file(c->conf, path, err, sizeof(err));
}

LIBRADOS_API int rados_conf_parse_argv_remainder(rados_t cluster, int argc,
						 const char **argv,
						 const char **remargv)
{
	struct rados_cluster *c = cluster;
	char err[256];
	char **v;
	int n = argc;
	int rc;

	if (argc <= 0)
		return 0;
	if (!argv)
		return -EINVAL;
	/* conf_parse_argv compacts a mutable copy; the pointers left in it
	 * are the caller's, in order, which is what remargv reports. */
	v = calloc((size_t)argc + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, argv, (size_t)argc * sizeof(*v));
	rc = conf_parse_argv(c->conf, &n, v, err, sizeof(err));
	if (rc == 0 && remargv) {
		int j = 0;

		for (int i = 0; i < argc; i++) {
			if (j < n && (const char *)v[j] == argv[i]) {
				remargv[i] = argv[i];
				j++;
			} else {
				remargv[i] = NULL;
			}
		}
	}
	free(v);
	return rc;
}

LIBRADOS_API int rados_conf_parse_argv(rados_t cluster, int argc,
				       const char **argv)
{
	return rados_conf_parse_argv_remainder(cluster, argc, argv, NULL);
}

LIBRADOS_API int rados_conf_parse_env(rados_t cluster, const char *var)
{
	struct rados_cluster *c = cluster;
	char err[256];

	return conf_parse_env(c->conf, var, err, sizeof(err));
}

LIBRADOS_API int rados_conf_set(rados_t cluster, const char *option,
				const char *value)
{
	struct rados_cluster *c = cluster;
	char key[256];
	char err[256];
	int rc;

	if (!option || !value)
		return -EINVAL;
	rc = conf_normalize_key(option, key, sizeof(key));
	if (rc)
		return rc == -ENAMETOOLONG ? -ENOENT : rc;
	if (!conf_option_find(key))
		return -ENOENT;
	return conf_set(c->conf, key, value, err, sizeof(err));
}

LIBRADOS_API int rados_conf_get(rados_t cluster, const char *option,
				char *buf, size_t len)
{
	struct rados_cluster *c = cluster;

	if (!option || !buf)
		return -EINVAL;
	return conf_get(c->conf, option, buf, len);
}

/* --- monitor commands -------------------------------------------------- */

/* Run one command.  0 when a monitor answered, with its reply in *rep
 * (release it); else -errno. */
static int rados_mon_run(struct rados_cluster *c, const char *cmd,
			 const void *in, size_t inlen, struct monc_reply *rep)
{
	if (!c->monc)
		return -ENOTCONN;
	return monc_command(c->monc, cmd, in, inlen, rep, c->mon_timeout_ms);
}

/* Run a command built as JSON and parse the JSON output into *out (NULL
 * to ignore it).  Returns 0 or the monitor's -errno or ours. */
int rados_mon_json(struct rados_cluster *c, json_t *cmd, json_t **out)
{
	struct monc_reply rep = { 0 };
	char *text;
	int rc;

	text = json_dumps(cmd, JSON_COMPACT);
	if (!text)
		return -ENOMEM;
	rc = rados_mon_run(c, text, NULL, 0, &rep);
	free(text);
	if (rc)
		return rc;
	rc = rep.rc;
	if (rc == 0 && out) {
		*out = json_loadb((const char *)rep.out, rep.outlen, 0, NULL);
		if (!*out)
			rc = -EIO;
	}
	monc_reply_release(&rep);
	return rc;
}

/* Copy len bytes into a malloc'd NUL-terminated buffer (NULL if empty). */
static int rados_dup_out(const void *src, size_t len, char **dst,
			 size_t *dstlen)
{
	if (dstlen)
		*dstlen = len;
	if (!dst)
		return 0;
	*dst = NULL;
	if (!len)
		return 0;
	*dst = malloc(len + 1);
	if (!*dst)
		return -ENOMEM;
	memcpy(*dst, src, len);
	(*dst)[len] = '\0';
	return 0;
}

LIBRADOS_API int rados_mon_command(rados_t cluster, const char **cmd,
				   size_t cmdlen, const char *inbuf,
				   size_t inbuflen, char **outbuf,
				   size_t *outbuflen, char **outs,
				   size_t *outslen)
{
	struct rados_cluster *c = cluster;
	struct monc_reply rep = { 0 };
	size_t total = 1;
	char *text;
	int rc;

	if (outbuf)
		*outbuf = NULL;
	if (outbuflen)
		*outbuflen = 0;
	if (outs)
		*outs = NULL;
	if (outslen)
		*outslen = 0;
	if (!cmd || !cmdlen)
		return -EINVAL;
	for (size_t i = 0; i < cmdlen; i++) {
		if (!cmd[i])
			return -EINVAL;
		total += strlen(cmd[i]);
	}
	text = malloc(total);
	if (!text)
		return -ENOMEM;
	text[0] = '\0';
	for (size_t i = 0; i < cmdlen; i++)
		strcat(text, cmd[i]);
	rc = rados_mon_run(c, text, inbuf, inbuf ? inbuflen : 0, &rep);
	free(text);
	if (rc)
		return rc;
	rc = rados_dup_out(rep.out, rep.outlen, outbuf, outbuflen);
	if (rc == 0)
		rc = rados_dup_out(rep.outs, strlen(rep.outs), outs, outslen);
	if (rc == 0)
		rc = rep.rc;
	else if (outbuf) {
		free(*outbuf);
		*outbuf = NULL;
	}
	monc_reply_release(&rep);
	return rc;
}

/* The manager's commands (pg dump, df, osd df, status...) are answered by
 * Loligo's monitors: the same command, sent to them. */
LIBRADOS_API int rados_mgr_command(rados_t cluster, const char **cmd, size_t cmdlen,
				   const char *inbuf, size_t inbuflen, char **outbuf,
				   size_t *outbuflen, char **outs, size_t *outslen)
{
	return rados_mon_command(cluster, cmd, cmdlen, inbuf, inbuflen, outbuf, outbuflen, outs,
				 outslen);
}

LIBRADOS_API int rados_mgr_command_target(rados_t cluster, const char *name, const char **cmd,
					  size_t cmdlen, const char *inbuf, size_t inbuflen,
					  char **outbuf, size_t *outbuflen, char **outs,
					  size_t *outslen)
{
	(void)name;
	return rados_mon_command(cluster, cmd, cmdlen, inbuf, inbuflen, outbuf, outbuflen, outs,
				 outslen);
}

/* Commands for one OSD or PG (`ceph tell`) are not served yet: empty
 * output, a status saying so, -EOPNOTSUPP (the outputs are always set:
 * python3-rados reads them whatever the result). */
static int command_unsupported(const char *what, char **outbuf, size_t *outbuflen, char **outs,
			       size_t *outslen)
{
	char msg[128];
	int rc;

	snprintf(msg, sizeof(msg), "%s commands are not supported by Loligo yet", what);
	rc = rados_dup_out("", 0, outbuf, outbuflen);
	if (!rc)
		rc = rados_dup_out(msg, strlen(msg), outs, outslen);
	return rc ? rc : -EOPNOTSUPP;
}

LIBRADOS_API int rados_osd_command(rados_t cluster, int osdid, const char **cmd, size_t cmdlen,
				   const char *inbuf, size_t inbuflen, char **outbuf,
				   size_t *outbuflen, char **outs, size_t *outslen)
{
	(void)cluster;
	(void)osdid;
	(void)cmd;
	(void)cmdlen;
	(void)inbuf;
	(void)inbuflen;
	return command_unsupported("OSD", outbuf, outbuflen, outs, outslen);
}

LIBRADOS_API int rados_pg_command(rados_t cluster, const char *pgstr, const char **cmd,
				  size_t cmdlen, const char *inbuf, size_t inbuflen, char **outbuf,
				  size_t *outbuflen, char **outs, size_t *outslen)
{
	(void)cluster;
	(void)pgstr;
	(void)cmd;
	(void)cmdlen;
	(void)inbuf;
	(void)inbuflen;
	return command_unsupported("PG", outbuf, outbuflen, outs, outslen);
}

LIBRADOS_API int rados_mon_command_target(rados_t cluster, const char *name,
					  const char **cmd, size_t cmdlen,
					  const char *inbuf, size_t inbuflen,
					  char **outbuf, size_t *outbuflen,
					  char **outs, size_t *outslen)
{
	return rados_mon_command(cluster, cmd, cmdlen, inbuf, inbuflen, outbuf,
				 outbuflen, outs, outslen);
}

LIBRADOS_API void rados_buffer_free(char *buf)
{
	free(buf);
}

/* --- connection ------------------------------------------------------- */

LIBRADOS_API int rados_connect(rados_t cluster)
{
	struct rados_cluster *c = cluster;
	struct monc_opts mo = { 0 };
	struct osdmap *map;
	uint64_t secs = 0;
	int64_t mb = 0;
	int timeout_ms = RADOS_DEFAULT_TIMEOUT_MS;
	char err[256];
	int rc;

	if (c->monc)
		return -EISCONN;
	if (conf_get_secs(c->conf, "client_mount_timeout", &secs) == 0 &&
	    secs > 0 && secs < 86400)
		timeout_ms = (int)secs * 1000;
	c->mon_timeout_ms = timeout_ms;
	if (conf_get_secs(c->conf, "rados_mon_op_timeout", &secs) == 0 &&
	    secs > 0 && secs < 86400)
		c->mon_timeout_ms = (int)secs * 1000;
	c->max_write = 90ull << 20;
	if (conf_get_int(c->conf, "osd_max_write_size", &mb) == 0 && mb > 0 &&
	    mb < 1 << 20)
		c->max_write = (uint64_t)mb << 20;
	rc = conf_get_name(c->conf, c->name, sizeof(c->name));
	if (rc)
		return rc;
	rc = objecter_create(c, &c->objecter);
	if (rc)
		return rc;
	mo.conf = c->conf;
	mo.name = c->name;
	mo.timeout_ms = timeout_ms;
	mo.on_map = objecter_on_map;
	mo.arg = c->objecter;
	rc = monc_create(&mo, &c->monc, err, sizeof(err));
	if (rc) {
		c->monc = NULL;
		goto out_objecter;
	}
	/* on_map ran for the first map already; make sure of it. */
	map = monc_osdmap(c->monc);
	objecter_on_map(map, c->objecter);
	osdmap_uuid_str(map->fsid, c->fsid);
	osdmap_put(map);
	/* No global id from an auth exchange yet: a random nonzero number
	 * serves the same purpose (telling clients apart). */
	while (c->instance_id == 0)
		if (getrandom(&c->instance_id, sizeof(c->instance_id), 0) < 0)
			c->instance_id = (uint64_t)(uintptr_t)c;
	return 0;

out_objecter:
	objecter_stop(c->objecter);
	objecter_destroy(c->objecter);
	c->objecter = NULL;
	return rc;
}

LIBRADOS_API int rados_cluster_fsid(rados_t cluster, char *buf, size_t len)
{
	struct rados_cluster *c = cluster;

	if (!c->monc)
		return -ENOTCONN;
	if (!buf || len < sizeof(c->fsid))
		return -ERANGE;
	memcpy(buf, c->fsid, sizeof(c->fsid));
	return (int)strlen(c->fsid);
}

LIBRADOS_API uint64_t rados_get_instance_id(rados_t cluster)
{
	struct rados_cluster *c = cluster;

	return c->monc ? c->instance_id : 0;
}

/* Asks the monitors for their newest epoch and waits for it. */
int rados_sync_osdmap(struct rados_cluster *c)
{
	json_t *cmd, *out = NULL;
	json_int_t epoch;
	int rc;

	if (!c->monc)
		return -ENOTCONN;
	cmd = json_pack("{s:s, s:s}", "prefix", "osd stat", "format", "json");
	if (!cmd)
		return -ENOMEM;
	rc = rados_mon_json(c, cmd, &out);
	json_decref(cmd);
	if (rc)
		return rc;
	epoch = json_integer_value(json_object_get(out, "epoch"));
	json_decref(out);
	if (epoch <= 0 || epoch > UINT32_MAX)
		return -EIO;
	return monc_wait_epoch(c->monc, (uint32_t)epoch, c->mon_timeout_ms);
}

LIBRADOS_API int rados_wait_for_latest_osdmap(rados_t cluster)
{
	return rados_sync_osdmap(cluster);
}

/* --- pools ---------------------------------------------------------- */

/* The pool list as a JSON array of {poolnum, poolname} (caller decrefs). */
static int rados_pools_get(struct rados_cluster *c, json_t **pools)
{
	json_t *cmd;
	int rc;

	cmd = json_pack("{s:s, s:s}", "prefix", "osd lspools", "format", "json");
	if (!cmd)
		return -ENOMEM;
	rc = rados_mon_json(c, cmd, pools);
	json_decref(cmd);
	if (rc == 0 && !json_is_array(*pools)) {
		json_decref(*pools);
		rc = -EIO;
	}
	return rc;
}

/* Find a pool by name (name non-NULL) or by id: fills *id and a malloc'd
 * *name_out if asked.  -ENOENT if absent. */
static int rados_pool_find(struct rados_cluster *c, const char *name,
			   int64_t *id, char **name_out)
{
	json_t *pools, *p;
	size_t i;
	int rc;

	rc = rados_pools_get(c, &pools);
	if (rc)
		return rc;
	rc = -ENOENT;
	json_array_foreach(pools, i, p) {
		const char *pn = json_string_value(json_object_get(p, "poolname"));
		json_int_t pid = json_integer_value(json_object_get(p, "poolnum"));

		if (!pn)
			continue;
		if (name ? strcmp(pn, name) != 0 : pid != *id)
			continue;
		*id = pid;
		rc = 0;
		if (name_out) {
			*name_out = strdup(pn);
			if (!*name_out)
				rc = -ENOMEM;
		}
		break;
	}
	json_decref(pools);
	return rc;
}

LIBRADOS_API int64_t rados_pool_lookup(rados_t cluster, const char *pool_name)
{
	int64_t id = -1;
	int rc;

	if (!pool_name)
		return -EINVAL;
	rc = rados_pool_find(cluster, pool_name, &id, NULL);
	return rc ? rc : id;
}

LIBRADOS_API int rados_pool_reverse_lookup(rados_t cluster, int64_t id,
					   char *buf, size_t maxlen)
{
	char *name = NULL;
	size_t n;
	int rc;

	rc = rados_pool_find(cluster, NULL, &id, &name);
	if (rc)
		return rc;
	n = strlen(name) + 1;
	if (n > maxlen || !buf || n > INT32_MAX) {
		rc = -ERANGE;
	} else {
		memcpy(buf, name, n);
		rc = (int)n;
	}
	free(name);
	return rc;
}

LIBRADOS_API int rados_pool_list(rados_t cluster, char *buf, size_t len)
{
	json_t *pools, *p;
	size_t need = 1, used = 0, i;
	int rc;

	rc = rados_pools_get(cluster, &pools);
	if (rc)
		return rc;
	if (buf && len)
		memset(buf, 0, len);
	json_array_foreach(pools, i, p) {
		const char *pn = json_string_value(json_object_get(p, "poolname"));
		size_t n;

		if (!pn)
			continue;
		n = strlen(pn) + 1;
		need += n;
		/* Keep room for the list's final NUL. */
		if (buf && used + n < len) {
			memcpy(buf + used, pn, n);
			used += n;
		}
	}
	json_decref(pools);
	return need > INT32_MAX ? -E2BIG : (int)need;
}

LIBRADOS_API int rados_pool_create(rados_t cluster, const char *pool_name)
{
	struct rados_cluster *c = cluster;
	json_t *cmd;
	int64_t id;
	int rc;

	if (!pool_name || !*pool_name)
		return -EINVAL;
	/* The command succeeds for an existing pool; librados says EEXIST. */
	rc = rados_pool_find(c, pool_name, &id, NULL);
	if (rc == 0)
		return -EEXIST;
	if (rc != -ENOENT)
		return rc;
	cmd = json_pack("{s:s, s:s}", "prefix", "osd pool create", "pool",
			pool_name);
	if (!cmd)
		return -ENOMEM;
	rc = rados_mon_json(c, cmd, NULL);
	json_decref(cmd);
	/* Our map has the pool before we return, as with Ceph. */
	return rc ? rc : rados_sync_osdmap(c);
}

LIBRADOS_API int rados_pool_delete(rados_t cluster, const char *pool_name)
{
	struct rados_cluster *c = cluster;
	json_t *cmd;
	int64_t id;
	int rc;

	if (!pool_name)
		return -EINVAL;
	rc = rados_pool_find(c, pool_name, &id, NULL);
	if (rc)
		return rc;
	cmd = json_pack("{s:s, s:s, s:s, s:b}", "prefix", "osd pool delete",
			"pool", pool_name, "pool2", pool_name,
			"yes_i_really_really_mean_it", 1);
	if (!cmd)
		return -ENOMEM;
	rc = rados_mon_json(c, cmd, NULL);
	json_decref(cmd);
	return rc ? rc : rados_sync_osdmap(c);
}

/* --- I/O contexts ---------------------------------------------------- */

/* True once our map has the pool. */
static bool rados_map_has_pool(struct rados_cluster *c, int64_t id)
{
	struct osdmap *m = objecter_map(c->objecter);
	bool r = m && osdmap_pool_by_id(m, id);

	osdmap_put(m);
	return r;
}

static int rados_ioctx_open(struct rados_cluster *c, const char *name,
			    int64_t id, rados_ioctx_t *ioctx)
{
	struct rados_ioctx *io;
	int rc;

	if (!ioctx)
		return -EINVAL;
	if (!c->monc)
		return -ENOTCONN;
	io = calloc(1, sizeof(*io));
	if (!io)
		return -ENOMEM;
	atomic_init(&io->ref, 1);
	io->pool_id = id;
	io->nspace = strdup("");
	io->locator = strdup("");
	if (!io->nspace || !io->locator) {
		rc = -ENOMEM;
		goto out_free;
	}
	rc = rados_pool_find(c, name, &io->pool_id, &io->pool_name);
	if (rc)
		goto out_free;
	/* A pool another client just made may be newer than our map. */
	if (!rados_map_has_pool(c, io->pool_id)) {
		rc = rados_sync_osdmap(c);
		if (rc == 0 && !rados_map_has_pool(c, io->pool_id))
			rc = -ENOENT;
		if (rc)
			goto out_free;
	}
	pthread_mutex_init(&io->lock, NULL);
	pthread_cond_init(&io->cond, NULL);
	io->cluster = c;
	*ioctx = io;
	return 0;

out_free:
	free(io->pool_name);
	free(io->nspace);
	free(io->locator);
	free(io);
	return rc;
}

LIBRADOS_API int rados_ioctx_create(rados_t cluster, const char *pool_name,
				    rados_ioctx_t *ioctx)
{
	if (!pool_name)
		return -EINVAL;
	return rados_ioctx_open(cluster, pool_name, -1, ioctx);
}

LIBRADOS_API int rados_ioctx_create2(rados_t cluster, int64_t pool_id,
				     rados_ioctx_t *ioctx)
{
	return rados_ioctx_open(cluster, NULL, pool_id, ioctx);
}

void rados_ioctx_get(struct rados_ioctx *io)
{
	atomic_fetch_add(&io->ref, 1);
}

void rados_ioctx_put(struct rados_ioctx *io)
{
	if (atomic_fetch_sub(&io->ref, 1) != 1)
		return;
	/* Whoever last held io->lock has let go of it before this. */
	pthread_mutex_lock(&io->lock);
	pthread_mutex_unlock(&io->lock);
	pthread_cond_destroy(&io->cond);
	pthread_mutex_destroy(&io->lock);
	free(io->pool_name);
	free(io->nspace);
	free(io->locator);
	free(io);
}

LIBRADOS_API void rados_ioctx_destroy(rados_ioctx_t io)
{
	/* Ops still in flight hold their own references. */
	if (io)
		rados_ioctx_put(io);
}

LIBRADOS_API int64_t rados_ioctx_get_id(rados_ioctx_t io)
{
	struct rados_ioctx *x = io;

	return x->pool_id;
}

/* Only erasure-coded pools want writes aligned to their stripe; Loligo's
 * pools are replicated. */
LIBRADOS_API int rados_ioctx_pool_requires_alignment2(rados_ioctx_t io, int *req)
{
	if (!io || !req)
		return -EINVAL;
	*req = 0;
	return 0;
}

LIBRADOS_API int rados_ioctx_pool_required_alignment2(rados_ioctx_t io, uint64_t *alignment)
{
	if (!io || !alignment)
		return -EINVAL;
	*alignment = 0;
	return 0;
}

LIBRADOS_API rados_t rados_ioctx_get_cluster(rados_ioctx_t io)
{
	struct rados_ioctx *x = io;

	return x->cluster;
}

LIBRADOS_API int rados_ioctx_get_pool_name(rados_ioctx_t io, char *buf,
					   unsigned maxlen)
{
	struct rados_ioctx *x = io;
	size_t n = strlen(x->pool_name);

	if (!buf || n + 1 > maxlen)
		return -ERANGE;
	memcpy(buf, x->pool_name, n + 1);
	return (int)n;
}
