/*
 * `ceph osd tree`: the CRUSH hierarchy (without the per-class shadow
 * trees) with each OSD's status, reweight and primary affinity, then the
 * OSDs that exist but sit in no bucket, as Ceph's plain table and JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "osdmap/internal.h"

struct tree_row {
	int32_t id;
	int depth;
	uint32_t weight_raw;
	const char *cls;
	char weight[24];
	char *name; /* indentation, type and name */
	const char *status;
	char reweight[24], affinity[24];
};

struct tree {
	const struct osdmap *m;
	struct tree_row *rows;
	size_t n, cap;
	bool *seen; /* OSDs met in the CRUSH hierarchy */
	bool failed;
};

/* Ceph's weight column: "0" for zero, else five decimals. */
static void weight_str(char *buf, size_t len, uint32_t w)
{
	if (w == 0)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%.5f", (double)w / 0x10000);
}

static const char *item_class(const struct crush_map *c, int32_t id)
{
	int32_t cls;
	const char *n;

	if (crush_map_item_class(c, id, &cls) != 0)
		return "";
	n = crush_names_get(&c->class_names, cls);
	return n ? n : "";
}

static const char *item_name(const struct crush_map *c, int32_t id)
{
	const char *n = crush_names_get(&c->item_names, id);
	return n ? n : "";
}

static void tree_add(struct tree *t, int32_t id, uint32_t weight, int depth)
{
	const struct crush_map *c = t->m->crush;
	const struct osdmap *m = t->m;
	const char *tname = "";
	struct tree_row *row;
	char osdname[24];
	const char *name = item_name(c, id);

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct tree_row *nr = realloc(t->rows, cap * sizeof(*nr));
		if (!nr) {
			t->failed = true;
			return;
		}
		t->rows = nr;
		t->cap = cap;
	}
	row = &t->rows[t->n];
	memset(row, 0, sizeof(*row));
	row->id = id;
	row->depth = depth;
	row->weight_raw = weight;
	row->cls = item_class(c, id);
	row->status = "";
	weight_str(row->weight, sizeof(row->weight), weight);
	if (id < 0) {
		const struct crush_bucket *b = crush_map_bucket(c, id);
		const char *n = b ? crush_names_get(&c->type_names, b->type) : NULL;
		tname = n ? n : "";
	} else {
		if (id < m->max_osd)
			t->seen[id] = true;
		if (!*name) {
			snprintf(osdname, sizeof(osdname), "osd.%d", id);
			name = osdname;
		}
		if (!osdmap_exists(m, id)) {
			row->status = "DNE";
			snprintf(row->reweight, sizeof(row->reweight), "0");
		} else {
			const struct osdmap_osd *o = &m->osds[id];
			row->status = (o->state & OSD_STATE_DESTROYED) ? "destroyed"
				      : (o->state & OSD_STATE_UP)      ? "up"
								       : "down";
			weight_str(row->reweight, sizeof(row->reweight), o->weight);
			weight_str(row->affinity, sizeof(row->affinity), o->primary_affinity);
		}
	}
	if (asprintf(&row->name, "%*s%s%s%s", depth * 4, "", tname, id < 0 ? " " : "", name) <
	    0) {
		t->failed = true;
		return;
	}
	t->n++;
}

struct child {
	int32_t id;
	uint32_t weight;
	const char *cls;
	const char *name;
};

static int child_cmp(const void *a, const void *b)
{
	const struct child *x = a, *y = b;
	int c = strcmp(x->cls, y->cls);
	return c ? c : strcmp(x->name, y->name);
}

/* The children of a bucket in the order Ceph shows them: by (class,
 * name).  NULL with *n = 0 for none; sets t->failed on -ENOMEM. */
static struct child *sorted_children(struct tree *t, const struct crush_bucket *b, size_t *n)
{
	const struct crush_map *c = t->m->crush;
	struct child *kids;

	*n = 0;
	if (!b || !b->size)
		return NULL;
	kids = calloc(b->size, sizeof(*kids));
	if (!kids) {
		t->failed = true;
		return NULL;
	}
	for (uint32_t i = 0; i < b->size; i++) {
		kids[i].id = b->items[i];
		kids[i].weight = b->item_weights[i];
		kids[i].cls = item_class(c, b->items[i]);
		kids[i].name = item_name(c, b->items[i]);
	}
	qsort(kids, b->size, sizeof(*kids), child_cmp);
	*n = b->size;
	return kids;
}

static void tree_walk(struct tree *t, int32_t id, uint32_t weight, int depth)
{
	struct child *kids;
	size_t n;

	tree_add(t, id, weight, depth);
	if (id >= 0 || t->failed || depth > 64)
		return;
	kids = sorted_children(t, crush_map_bucket(t->m->crush, id), &n);
	for (size_t i = 0; i < n && !t->failed; i++)
		tree_walk(t, kids[i].id, kids[i].weight, depth + 1);
	free(kids);
}

/* Roots without the per-class shadow trees, in ascending id order. */
static int32_t *tree_roots(const struct crush_map *c, size_t *n)
{
	size_t all = crush_map_roots(c, NULL, 0, false);
	int32_t *roots = calloc(all ? all : 1, sizeof(*roots));

	if (roots)
		crush_map_roots(c, roots, all, false);
	*n = all;
	return roots;
}

static int tree_build(const struct osdmap *m, struct tree *t)
{
	size_t nroots;
	int32_t *roots = tree_roots(m->crush, &nroots);

	t->m = m;
	t->seen = calloc(m->max_osd ? (size_t)m->max_osd : 1, sizeof(*t->seen));
	if (!roots || !t->seen) {
		free(roots);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nroots && !t->failed; i++) {
		const struct crush_bucket *b = crush_map_bucket(m->crush, roots[i]);
		tree_walk(t, roots[i], b ? b->weight : 0, 0);
	}
	/* OSDs that exist but sit in no bucket: Ceph lists them at the end. */
	for (int i = 0; i < m->max_osd && !t->failed; i++)
		if (osdmap_exists(m, i) && !t->seen[i])
			tree_add(t, i, 0, 0);
	free(roots);
	return t->failed ? -ENOMEM : 0;
}

static void tree_release(struct tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->rows[i].name);
	free(t->rows);
	free(t->seen);
}

static size_t max_len(size_t a, size_t b)
{
	return a > b ? a : b;
}

int osdmap_tree_items(const struct osdmap *m, struct osdmap_tree_item **out, size_t *n)
{
	struct tree t = { 0 };
	int r = tree_build(m, &t);

	*out = NULL;
	*n = 0;
	if (!r) {
		*out = calloc(t.n ? t.n : 1, sizeof(**out));
		if (!*out)
			r = -ENOMEM;
	}
	for (size_t i = 0; !r && i < t.n; i++) {
		(*out)[i].id = t.rows[i].id;
		(*out)[i].depth = t.rows[i].depth;
		(*out)[i].weight = t.rows[i].weight_raw;
	}
	if (!r)
		*n = t.n;
	tree_release(&t);
	return r;
}

int osdmap_print_tree(const struct osdmap *m, FILE *out)
{
	struct tree t = { 0 };
	size_t wid = 2, wcls = 5, wwt = 6, wname = 9, wst = 6, wrw = 8, waf = 7;
	int ret = tree_build(m, &t);

	if (ret)
		goto out_rows;
	for (size_t i = 0; i < t.n; i++) {
		char idbuf[16];
		const struct tree_row *r = &t.rows[i];
		wid = max_len(wid, (size_t)snprintf(idbuf, sizeof(idbuf), "%d", r->id));
		wcls = max_len(wcls, strlen(r->cls));
		wwt = max_len(wwt, strlen(r->weight));
		wname = max_len(wname, strlen(r->name));
		wst = max_len(wst, strlen(r->status));
		wrw = max_len(wrw, strlen(r->reweight));
		waf = max_len(waf, strlen(r->affinity));
	}
	fprintf(out, "%-*s  %-*s  %-*s  %-*s  %-*s  %-*s  %-*s\n", (int)wid, "ID", (int)wcls,
		"CLASS", (int)wwt, "WEIGHT", (int)wname, "TYPE NAME", (int)wst, "STATUS",
		(int)wrw, "REWEIGHT", (int)waf, "PRI-AFF");
	for (size_t i = 0; i < t.n; i++) {
		const struct tree_row *r = &t.rows[i];
		fprintf(out, "%*d  %*s  %*s  %-*s  %*s  %*s  %*s\n", (int)wid, r->id, (int)wcls,
			r->cls, (int)wwt, r->weight, (int)wname, r->name, (int)wst, r->status,
			(int)wrw, r->reweight, (int)waf, r->affinity);
	}
out_rows:
	tree_release(&t);
	return ret;
}

/* ---- JSON ---- */

struct jtree {
	const struct osdmap *m;
	json_t *nodes;
	bool *seen;
	bool failed;
};

static void jset(struct jtree *t, json_t *obj, const char *key, json_t *val)
{
	if (!val || json_object_set_new(obj, key, val))
		t->failed = true;
}

static void josd_fields(struct jtree *t, json_t *o, int32_t id)
{
	const struct osdmap *m = t->m;
	bool exists = osdmap_exists(m, id);
	const struct osdmap_osd *d = exists ? &m->osds[id] : NULL;

	jset(t, o, "exists", json_integer(exists));
	jset(t, o, "status",
	     json_string(d && (d->state & OSD_STATE_DESTROYED) ? "destroyed"
			 : d && (d->state & OSD_STATE_UP)          ? "up"
								   : "down"));
	jset(t, o, "reweight", osdmap__json_weight(d ? d->weight : 0));
	jset(t, o, "primary_affinity",
	     osdmap__json_weight(d ? d->primary_affinity : OSDMAP_AFFINITY_DEFAULT));
}

static json_t *jnode(struct jtree *t, int32_t id, uint32_t weight, int depth)
{
	const struct crush_map *c = t->m->crush;
	json_t *o = json_object();
	const char *cls = item_class(c, id), *name = item_name(c, id), *tname;
	char osdname[24];
	int type = 0;

	if (!o) {
		t->failed = true;
		return NULL;
	}
	if (id < 0) {
		const struct crush_bucket *b = crush_map_bucket(c, id);
		type = b ? b->type : 0;
	} else if (!*name) {
		snprintf(osdname, sizeof(osdname), "osd.%d", id);
		name = osdname;
	}
	tname = crush_names_get(&c->type_names, type);
	jset(t, o, "id", json_integer(id));
	if (id >= 0 && *cls)
		jset(t, o, "device_class", json_string(cls));
	jset(t, o, "name", json_string(name));
	jset(t, o, "type", json_string(tname ? tname : ""));
	jset(t, o, "type_id", json_integer(type));
	if (id >= 0) {
		jset(t, o, "crush_weight", osdmap__json_weight(weight));
		jset(t, o, "depth", json_integer(depth));
	}
	if (depth > 0)
		jset(t, o, "pool_weights", json_object());
	if (id >= 0)
		josd_fields(t, o, id);
	return o;
}

static void jwalk(struct jtree *t, int32_t id, uint32_t weight, int depth)
{
	json_t *o = jnode(t, id, weight, depth), *kids_json;
	struct tree helper = { .m = t->m };
	struct child *kids;
	size_t n;

	if (!o || json_array_append_new(t->nodes, o)) {
		t->failed = true;
		return;
	}
	if (id >= 0) {
		if (id < t->m->max_osd)
			t->seen[id] = true;
		return;
	}
	if (depth > 64)
		return;
	kids = sorted_children(&helper, crush_map_bucket(t->m->crush, id), &n);
	if (helper.failed || !(kids_json = json_array())) {
		free(kids);
		t->failed = true;
		return;
	}
	/* Ceph lists a bucket's children last-shown first. */
	for (size_t i = n; i-- > 0;)
		if (json_array_append_new(kids_json, json_integer(kids[i].id)))
			t->failed = true;
	jset(t, o, "children", kids_json);
	for (size_t i = 0; i < n && !t->failed; i++)
		jwalk(t, kids[i].id, kids[i].weight, depth + 1);
	free(kids);
}

void *osdmap_json_tree(const struct osdmap *m)
{
	struct jtree t = { .m = m };
	json_t *doc = json_object(), *stray = json_array();
	size_t nroots;
	int32_t *roots = tree_roots(m->crush, &nroots);

	t.nodes = json_array();
	t.seen = calloc(m->max_osd ? (size_t)m->max_osd : 1, sizeof(*t.seen));
	if (!doc || !stray || !t.nodes || !roots || !t.seen)
		goto out_fail;
	for (size_t i = 0; i < nroots && !t.failed; i++) {
		const struct crush_bucket *b = crush_map_bucket(m->crush, roots[i]);
		jwalk(&t, roots[i], b ? b->weight : 0, 0);
	}
	for (int i = 0; i < m->max_osd && !t.failed; i++) {
		if (!osdmap_exists(m, i) || t.seen[i])
			continue;
		json_t *o = jnode(&t, i, 0, 0);
		if (!o || json_array_append_new(stray, o))
			t.failed = true;
	}
	if (t.failed)
		goto out_fail;
	jset(&t, doc, "nodes", t.nodes);
	t.nodes = NULL;
	jset(&t, doc, "stray", stray);
	stray = NULL;
	if (t.failed)
		goto out_fail;
	free(roots);
	free(t.seen);
	return doc;
out_fail:
	json_decref(t.nodes);
	json_decref(stray);
	json_decref(doc);
	free(roots);
	free(t.seen);
	return NULL;
}
