/*
 * Pools: the defaults ceph.conf gives new ones, deep copy and comparison,
 * application metadata (`osd pool application enable/set/rm`), the
 * structural checks every pool passes before it enters a map, and flag
 * names.  A pool owns its strings; osdmap_pool_release() frees them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "osdmap/internal.h"

void osdmap_pool_defaults_init(struct osdmap_pool_defaults *d)
{
	d->size = 3;
	d->min_size = 0;
	d->pg_num = 32;
	d->pgp_num = 0;
	d->crush_rule = -1;
	d->hashpspool = true;
	d->autoscale_mode = POOL_AUTOSCALE_ON;
}

void osdmap_pool_init(struct osdmap_pool *p)
{
	memset(p, 0, sizeof(*p));
}

static void app_release(struct osdmap_app *a)
{
	for (size_t i = 0; i < a->n_kv; i++) {
		free(a->kv[i].key);
		free(a->kv[i].val);
	}
	free(a->kv);
	free(a->name);
}

void osdmap_pool_release(struct osdmap_pool *p)
{
	for (size_t i = 0; i < p->n_apps; i++)
		app_release(&p->apps[i]);
	free(p->apps);
	free(p->name);
	free(p->erasure_code_profile);
	osdmap_pool_init(p);
}

int osdmap_pool_copy(struct osdmap_pool *dst, const struct osdmap_pool *src)
{
	*dst = *src;
	dst->name = NULL;
	dst->erasure_code_profile = NULL;
	dst->apps = NULL;
	dst->n_apps = 0;
	if (src->name && !(dst->name = strdup(src->name)))
		goto out_nomem;
	if (src->erasure_code_profile &&
	    !(dst->erasure_code_profile = strdup(src->erasure_code_profile)))
		goto out_nomem;
	if (src->n_apps) {
		dst->apps = calloc(src->n_apps, sizeof(*dst->apps));
		if (!dst->apps)
			goto out_nomem;
	}
	for (size_t i = 0; i < src->n_apps; i++) {
		const struct osdmap_app *s = &src->apps[i];
		struct osdmap_app *d = &dst->apps[i];
		dst->n_apps++;
		if (!(d->name = strdup(s->name)))
			goto out_nomem;
		if (s->n_kv && !(d->kv = calloc(s->n_kv, sizeof(*d->kv))))
			goto out_nomem;
		for (size_t k = 0; k < s->n_kv; k++) {
			d->n_kv++;
			d->kv[k].key = strdup(s->kv[k].key);
			d->kv[k].val = strdup(s->kv[k].val);
			if (!d->kv[k].key || !d->kv[k].val)
				goto out_nomem;
		}
	}
	return 0;
out_nomem:
	osdmap_pool_release(dst);
	return -ENOMEM;
}

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

bool osdmap_pool_equal(const struct osdmap_pool *a, const struct osdmap_pool *b)
{
	if (a->id != b->id || !str_eq(a->name, b->name) || a->type != b->type ||
	    a->size != b->size || a->min_size != b->min_size ||
	    a->object_hash != b->object_hash || a->crush_rule != b->crush_rule ||
	    a->pg_num != b->pg_num || a->pgp_num != b->pgp_num || a->flags != b->flags ||
	    a->last_change != b->last_change || a->create_time.sec != b->create_time.sec ||
	    a->create_time.nsec != b->create_time.nsec ||
	    a->quota_max_bytes != b->quota_max_bytes ||
	    a->quota_max_objects != b->quota_max_objects ||
	    a->stripe_width != b->stripe_width || a->autoscale_mode != b->autoscale_mode ||
	    !str_eq(a->erasure_code_profile, b->erasure_code_profile) ||
	    a->n_apps != b->n_apps)
		return false;
	for (size_t i = 0; i < a->n_apps; i++) {
		const struct osdmap_app *x = &a->apps[i], *y = &b->apps[i];
		if (strcmp(x->name, y->name) || x->n_kv != y->n_kv)
			return false;
		for (size_t k = 0; k < x->n_kv; k++)
			if (strcmp(x->kv[k].key, y->kv[k].key) ||
			    strcmp(x->kv[k].val, y->kv[k].val))
				return false;
	}
	return true;
}

int osdmap_pool_set_name(struct osdmap_pool *p, const char *name)
{
	char *n;

	if (!name || !*name || strlen(name) > OSDMAP_NAME_MAX)
		return -EINVAL;
	n = strdup(name);
	if (!n)
		return -ENOMEM;
	free(p->name);
	p->name = n;
	return 0;
}

/* Index of app (or where it would go), *found if present. */
static size_t app_index(const struct osdmap_pool *p, const char *app, bool *found)
{
	size_t i = 0;

	while (i < p->n_apps && strcmp(p->apps[i].name, app) < 0)
		i++;
	*found = i < p->n_apps && strcmp(p->apps[i].name, app) == 0;
	return i;
}

const struct osdmap_app *osdmap_pool_app(const struct osdmap_pool *p, const char *app)
{
	bool found;
	size_t i = app_index(p, app, &found);
	return found ? &p->apps[i] : NULL;
}

int osdmap_pool_app_enable(struct osdmap_pool *p, const char *app)
{
	bool found;
	size_t i;
	struct osdmap_app *v;
	char *name;

	if (!app || !*app || strlen(app) > OSDMAP_NAME_MAX)
		return -EINVAL;
	i = app_index(p, app, &found);
	if (found)
		return 0;
	if (p->n_apps >= OSDMAP_MAX_APPS)
		return -ENOSPC;
	name = strdup(app);
	if (!name)
		return -ENOMEM;
	v = realloc(p->apps, (p->n_apps + 1) * sizeof(*v));
	if (!v) {
		free(name);
		return -ENOMEM;
	}
	memmove(&v[i + 1], &v[i], (p->n_apps - i) * sizeof(*v));
	v[i] = (struct osdmap_app){ .name = name };
	p->apps = v;
	p->n_apps++;
	return 0;
}

int osdmap_pool_app_disable(struct osdmap_pool *p, const char *app)
{
	bool found;
	size_t i = app_index(p, app, &found);

	if (!found)
		return -ENOENT;
	app_release(&p->apps[i]);
	memmove(&p->apps[i], &p->apps[i + 1], (p->n_apps - i - 1) * sizeof(*p->apps));
	p->n_apps--;
	return 0;
}

int osdmap_pool_app_set(struct osdmap_pool *p, const char *app, const char *key,
			const char *val)
{
	bool found;
	size_t i = app_index(p, app, &found), k = 0;
	struct osdmap_app *a;
	struct osdmap_kv *v;
	char *nk, *nv;

	if (!found)
		return -ENOENT;
	if (!key || !*key || strlen(key) > OSDMAP_NAME_MAX || !val ||
	    strlen(val) > OSDMAP_VALUE_MAX)
		return -EINVAL;
	a = &p->apps[i];
	while (k < a->n_kv && strcmp(a->kv[k].key, key) < 0)
		k++;
	nv = strdup(val);
	if (!nv)
		return -ENOMEM;
	if (k < a->n_kv && strcmp(a->kv[k].key, key) == 0) {
		free(a->kv[k].val);
		a->kv[k].val = nv;
		return 0;
	}
	if (a->n_kv >= OSDMAP_MAX_APP_KEYS)
		goto out_val;
	nk = strdup(key);
	if (!nk)
		goto out_val;
	v = realloc(a->kv, (a->n_kv + 1) * sizeof(*v));
	if (!v) {
		free(nk);
		goto out_val;
	}
	memmove(&v[k + 1], &v[k], (a->n_kv - k) * sizeof(*v));
	v[k] = (struct osdmap_kv){ .key = nk, .val = nv };
	a->kv = v;
	a->n_kv++;
	return 0;
out_val:
	free(nv);
	return a->n_kv >= OSDMAP_MAX_APP_KEYS ? -ENOSPC : -ENOMEM;
}

int osdmap_pool_app_rm(struct osdmap_pool *p, const char *app, const char *key)
{
	bool found;
	size_t i = app_index(p, app, &found);
	struct osdmap_app *a;

	if (!found)
		return -ENOENT;
	a = &p->apps[i];
	for (size_t k = 0; k < a->n_kv; k++) {
		if (strcmp(a->kv[k].key, key))
			continue;
		free(a->kv[k].key);
		free(a->kv[k].val);
		memmove(&a->kv[k], &a->kv[k + 1], (a->n_kv - k - 1) * sizeof(*a->kv));
		a->n_kv--;
		return 0;
	}
	return -ENOENT;
}

int osdmap_pool_validate(const struct osdmap_pool *p)
{
	if (p->id < 0 || !p->name || !*p->name || strlen(p->name) > OSDMAP_NAME_MAX)
		return -EINVAL;
	if (p->type != POOL_TYPE_REPLICATED && p->type != POOL_TYPE_ERASURE)
		return -EINVAL;
	if (p->size < 1 || p->size > OSDMAP_MAX_POOL_SIZE || p->min_size > p->size)
		return -EINVAL;
	if (p->pg_num < 1 || p->pg_num > OSDMAP_MAX_PG_NUM || p->pgp_num < 1 ||
	    p->pgp_num > p->pg_num)
		return -EINVAL;
	if (p->autoscale_mode > POOL_AUTOSCALE_ON || p->n_apps > OSDMAP_MAX_APPS)
		return -EINVAL;
	for (size_t i = 0; i < p->n_apps; i++) {
		/* sorted and unique, so lookups and encodings are canonical */
		if (i && strcmp(p->apps[i - 1].name, p->apps[i].name) >= 0)
			return -EINVAL;
		for (size_t k = 1; k < p->apps[i].n_kv; k++)
			if (strcmp(p->apps[i].kv[k - 1].key, p->apps[i].kv[k].key) >= 0)
				return -EINVAL;
	}
	return 0;
}

static const char *const pool_flag_names[] = {
	"hashpspool",   "full",        "ec_overwrites",     "incomplete_clones",
	"nodelete",     "nopgchange",  "nosizechange",      "write_fadvise_dontneed",
	"noscrub",      "nodeep-scrub", "full_quota",       "nearfull",
	"backfillfull", "selfmanaged_snaps", "pool_snaps",  "creating",
};

size_t osdmap_pool_flags_str(uint64_t flags, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof(pool_flag_names) / sizeof(pool_flag_names[0]); i++) {
		if (!(flags & (1ull << i)))
			continue;
		int n = snprintf(off < len ? buf + off : NULL, off < len ? len - off : 0,
				 "%s%s", off ? "," : "", pool_flag_names[i]);
		off += (size_t)n;
	}
	return off;
}

int osdmap_crush_first_rule(const struct crush_map *crush, int type)
{
	for (uint32_t i = 0; i < crush->max_rules; i++)
		if (crush->rules[i] && crush->rules[i]->type == type)
			return (int)i;
	return -ENOENT;
}
