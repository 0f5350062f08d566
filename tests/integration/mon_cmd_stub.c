/*
 * A tiny stand-in for the monitor's command table (src/mon/mon_commands*.c,
 * written separately), so ceph-mon can be built and its quorum tested
 * before the real table lands.  Linked into ceph-mon only while no
 * src/mon/mon_commands*.c exists (src/daemons/CMakeLists.txt).
 *
 *   config-key set KEY [VAL]  (write; VAL or the input data)
 *   config-key get KEY        (read)
 *   config-key ls             (read; JSON list)
 *   osd set|unset KEY         (write; a cluster flag, a new osdmap epoch)
 *   fsid                      (read; the cluster fsid)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mon/mon_state.h"

int mon_cmd_fail(struct mon_cmd *c, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->outs, sizeof(c->outs), fmt, ap);
	va_end(ap);
	c->rc = rc;
	return rc;
}

static const char *arg(struct mon_cmd *c, const char *name)
{
	return json_string_value(json_object_get(c->args, name));
}

static struct mon_kv *kv_find(struct mon_state *st, const char *key, size_t *pos)
{
	size_t lo = 0, hi = st->n_kv;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
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

static int ck_set(struct mon_cmd *c)
{
	struct mon_state *st = c->st;
	const char *key = arg(c, "key"), *val = arg(c, "val");
	const uint8_t *data = val ? (const uint8_t *)val : c->in;
	size_t len = val ? strlen(val) : c->inlen, pos;
	struct mon_kv *kv;
	uint8_t *copy;

	if (!key)
		return mon_cmd_fail(c, -EINVAL, "missing required parameter key");
	copy = malloc(len ? len : 1);
	if (!copy)
		return mon_cmd_fail(c, -ENOMEM, "out of memory");
	if (len)
		memcpy(copy, data, len);
	kv = kv_find(st, key, &pos);
	if (!kv) {
		char *k = strdup(key);
		if (!k || (st->n_kv == st->cap_kv &&
			   !(st->kv = realloc(st->kv, (st->cap_kv = st->cap_kv * 2 + 4) *
							      sizeof(*st->kv))))) {
			free(k);
			free(copy);
			return mon_cmd_fail(c, -ENOMEM, "out of memory");
		}
		memmove(st->kv + pos + 1, st->kv + pos, (st->n_kv - pos) * sizeof(*st->kv));
		st->n_kv++;
		kv = &st->kv[pos];
		kv->key = k;
		kv->val = NULL;
	}
	free(kv->val);
	kv->val = copy;
	kv->len = len;
	snprintf(c->outs, sizeof(c->outs), "set %s", key);
	return 0;
}

static int ck_get(struct mon_cmd *c)
{
	const char *key = arg(c, "key");
	struct mon_kv *kv;
	size_t pos;

	if (!key)
		return mon_cmd_fail(c, -EINVAL, "missing required parameter key");
	kv = kv_find(c->st, key, &pos);
	if (!kv)
		return mon_cmd_fail(c, -ENOENT, "error obtaining '%s': (2) No such file or directory",
				    key);
	enc_put_bytes(&c->out, kv->val, kv->len);
	snprintf(c->outs, sizeof(c->outs), "obtained '%s'", key);
	return 0;
}

static int ck_ls(struct mon_cmd *c)
{
	json_t *a = json_array();
	char *s;

	for (size_t i = 0; i < c->st->n_kv; i++)
		json_array_append_new(a, json_string(c->st->kv[i].key));
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (!s)
		return mon_cmd_fail(c, -ENOMEM, "out of memory");
	enc_put_bytes(&c->out, s, strlen(s));
	free(s);
	return 0;
}

static int osd_flag(struct mon_cmd *c, bool set)
{
	const struct osdmap *map = c->st->osdmap;
	const char *key = arg(c, "key");
	struct osdmap_inc *inc;
	uint32_t bit, flags;
	int r;

	if (!key || !(bit = osdmap_flag_by_name(key)))
		return mon_cmd_fail(c, -EINVAL, "invalid flag '%s'", key ? key : "");
	flags = set ? map->flags | bit : map->flags & ~bit;
	if (flags == map->flags) {
		snprintf(c->outs, sizeof(c->outs), "%s is %s", key, set ? "set" : "unset");
		return 0;
	}
	r = osdmap_inc_create(map->epoch + 1, &inc);
	if (r)
		return mon_cmd_fail(c, r, "out of memory");
	inc->modified.sec = c->now_sec;
	inc->modified.nsec = c->now_nsec;
	osdmap_inc_set_flags(inc, flags);
	r = mon_state_commit_inc(c->st, inc);
	osdmap_inc_destroy(inc);
	if (r)
		return mon_cmd_fail(c, r, "cannot commit: %s", strerror(-r));
	snprintf(c->outs, sizeof(c->outs), "%s is %s", key, set ? "set" : "unset");
	return 0;
}

static int osd_set(struct mon_cmd *c)
{
	return osd_flag(c, true);
}

static int osd_unset(struct mon_cmd *c)
{
	return osd_flag(c, false);
}

static int fsid(struct mon_cmd *c)
{
	char text[37];

	osdmap_uuid_str(c->st->osdmap->fsid, text);
	enc_put_bytes(&c->out, text, strlen(text));
	enc_put_bytes(&c->out, "\n", 1);
	return 0;
}

const struct mon_cmd_desc mon_commands[] = {
	{ "config-key set", MON_CMD_WRITE, NULL, ck_set, "key val", "set a key" },
	{ "config-key get", 0, NULL, ck_get, "key", "get a key" },
	{ "config-key ls", 0, NULL, ck_ls, "", "list keys" },
	{ "osd set", MON_CMD_WRITE, NULL, osd_set, "key", "set a flag" },
	{ "osd unset", MON_CMD_WRITE, NULL, osd_unset, "key", "unset a flag" },
	{ "fsid", 0, NULL, fsid, "", "show the cluster fsid" },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};

const struct mon_cmd_desc *mon_cmd_find(const char *prefix)
{
	for (const struct mon_cmd_desc *d = mon_commands; d->prefix; d++)
		if (strcmp(d->prefix, prefix) == 0)
			return d;
	return NULL;
}
