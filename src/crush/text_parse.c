/*
 * The compiler of Ceph's text CRUSH map (what `crushtool -c` reads) into a
 * struct crush_map, accepting what Ceph 16.2's crushtool accepts and
 * building the same map, down to the ids it picks.  See docs/crush-text.md.
 *
 * DESIGN NOTES
 *  1. Three phases: the lexer cuts words ([A-Za-z0-9_.+-]+) and brackets,
 *     skipping blanks and '#' comments; the parser reads the sections in
 *     their fixed order (tunables/devices/types, then buckets, then rules,
 *     then choose_args); buckets are only collected, then built all at
 *     once when the first rule (or the end) is reached, because a bucket
 *     without an `id` line takes the lowest id no bucket of the whole file
 *     names, not just the buckets above it.
 *  2. Every error, syntax or meaning, is reported once as
 *     "file:line:col: message" and makes the compile return -EINVAL; the
 *     half-built map is destroyed.  Nothing the input says can make the
 *     compiler crash, loop or allocate without bound: counts are bounded
 *     by the input's length, ids by CRUSH's own limits.
 *  3. Numbers follow Ceph's conversions: weights are read as a float and
 *     multiplied by 0x10000 in float, then truncated to 64 then 32 bits
 *     (so "65536" wraps to 0 and 3.99999999 is 4.0); unsigned fields
 *     (tunables, sizes) wrap to their width.
 *  4. Shadow trees are built only if some rule takes a class, as Ceph
 *     does; `id -N class C` lines just record the ids they should get.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crush.h"

/* The lowest id a text map may give a device, bucket or type. */
#define TEXT_MAX_ID (1 << 24)

enum tok_kind { TOK_EOF, TOK_WORD, TOK_LBRACE, TOK_RBRACE, TOK_LBRACKET, TOK_RBRACKET, TOK_BAD };

struct token {
	enum tok_kind kind;
	const char *p;
	size_t n;
	int line, col;
};

/* One `item` line of a bucket, kept until the buckets are built. */
struct t_item {
	struct token name;
	bool has_weight, has_pos;
	struct token weight_tok;
	uint32_t weight;
	uint32_t pos;
	struct token pos_tok;
};

struct t_classid {
	struct token cls;
	int32_t id;
};

struct t_bucket {
	struct token type, name, alg_tok;
	bool has_id;
	int32_t id;
	struct t_classid *cids;
	size_t n_cids;
	int alg;
	int hash;
	struct t_item *items;
	size_t n_items;
};

struct parser {
	const char *text;
	size_t len, off;
	int line, col;
	const char *fname;
	char *err;
	size_t errlen;
	bool failed;

	struct token tok; /* current (peeked) token */
	struct crush_map *map;

	struct t_bucket *buckets;
	size_t n_buckets, cap_buckets;
	bool buckets_built;
	struct name_slot *names; /* item name index, open addressing */
	size_t n_names, cap_names;
	int32_t *named_ids; /* every id an `id` line names, sorted */
	size_t n_named_ids;
	bool classes_populated;
	int populate_rc;
};

/* ---- errors ---- */

static int fail_at(struct parser *ps, const struct token *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *ps, const struct token *t, const char *fmt, ...)
{
	if (!ps->failed && ps->err && ps->errlen) {
		int n = snprintf(ps->err, ps->errlen, "%s:%d:%d: ", ps->fname, t->line, t->col);
		if (n >= 0 && (size_t)n < ps->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	ps->failed = true;
	return -EINVAL;
}

/* "expected X" with what was found instead. */
static int expected(struct parser *ps, const char *what)
{
	const struct token *t = &ps->tok;
	switch (t->kind) {
	case TOK_EOF:
		return fail_at(ps, t, "expected %s, got end of file", what);
	case TOK_BAD:
		return fail_at(ps, t, "expected %s, got unexpected character 0x%02x", what,
			       (unsigned char)t->p[0]);
	default:
		return fail_at(ps, t, "expected %s, got '%.*s'", what,
			       (int)(t->n > 64 ? 64 : t->n), t->p);
	}
}

/* ---- lexer ---- */

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-' || c == '+';
}

static void advance_char(struct parser *ps)
{
	if (ps->text[ps->off] == '\n') {
		ps->line++;
		ps->col = 1;
	} else {
		ps->col++;
	}
	ps->off++;
}

static void next_token(struct parser *ps)
{
	struct token *t = &ps->tok;

	for (;;) {
		while (ps->off < ps->len &&
		       (ps->text[ps->off] == ' ' || ps->text[ps->off] == '\t' ||
			ps->text[ps->off] == '\n' || ps->text[ps->off] == '\r' ||
			ps->text[ps->off] == '\v' || ps->text[ps->off] == '\f'))
			advance_char(ps);
		if (ps->off < ps->len && ps->text[ps->off] == '#') {
			while (ps->off < ps->len && ps->text[ps->off] != '\n')
				advance_char(ps);
			continue;
		}
		break;
	}
	t->p = ps->text + ps->off;
	t->line = ps->line;
	t->col = ps->col;
	t->n = 0;
	if (ps->off >= ps->len) {
		t->kind = TOK_EOF;
		return;
	}
	char c = ps->text[ps->off];
	if (is_word_char(c)) {
		while (ps->off < ps->len && is_word_char(ps->text[ps->off])) {
			advance_char(ps);
			t->n++;
		}
		t->kind = TOK_WORD;
		return;
	}
	switch (c) {
	case '{':
		t->kind = TOK_LBRACE;
		break;
	case '}':
		t->kind = TOK_RBRACE;
		break;
	case '[':
		t->kind = TOK_LBRACKET;
		break;
	case ']':
		t->kind = TOK_RBRACKET;
		break;
	default:
		t->kind = TOK_BAD;
		break;
	}
	t->n = 1;
	advance_char(ps);
}

static bool tok_is(const struct token *t, const char *word)
{
	size_t n = strlen(word);
	return t->kind == TOK_WORD && t->n == n && memcmp(t->p, word, n) == 0;
}

static int expect_kind(struct parser *ps, enum tok_kind kind, const char *what)
{
	if (ps->tok.kind != kind)
		return expected(ps, what);
	next_token(ps);
	return 0;
}

static int expect_word(struct parser *ps, const char *word)
{
	if (!tok_is(&ps->tok, word)) {
		char what[64];
		snprintf(what, sizeof(what), "'%s'", word);
		return expected(ps, what);
	}
	next_token(ps);
	return 0;
}

/* A name: letters, digits, '_', '.', '-'. */
static int take_name(struct parser *ps, const char *what, struct token *out)
{
	const struct token *t = &ps->tok;
	if (t->kind != TOK_WORD)
		return expected(ps, what);
	for (size_t i = 0; i < t->n; i++)
		if (t->p[i] == '+')
			return expected(ps, what);
	*out = *t;
	next_token(ps);
	return 0;
}

static char *tok_dup(const struct token *t)
{
	char *s = malloc(t->n + 1);
	if (s) {
		memcpy(s, t->p, t->n);
		s[t->n] = '\0';
	}
	return s;
}

/* Compare a token with a NUL-terminated string. */
static bool tok_eq(const struct token *t, const char *s)
{
	return strlen(s) == t->n && memcmp(t->p, s, t->n) == 0;
}

/* Unsigned decimal, wrapping modulo 2^64 as Ceph's parser does. */
static int take_uint(struct parser *ps, const char *what, uint64_t *out, struct token *where)
{
	const struct token *t = &ps->tok;
	uint64_t v = 0;
	if (t->kind != TOK_WORD)
		return expected(ps, what);
	for (size_t i = 0; i < t->n; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return expected(ps, what);
		v = v * 10 + (uint64_t)(t->p[i] - '0');
	}
	if (where)
		*where = *t;
	*out = v;
	next_token(ps);
	return 0;
}

/* Signed decimal that must fit in int32. */
static int take_int(struct parser *ps, const char *what, int32_t *out, struct token *where)
{
	const struct token *t = &ps->tok;
	size_t i = 0;
	bool neg = false;
	int64_t v = 0;
	if (t->kind != TOK_WORD)
		return expected(ps, what);
	if (t->n && (t->p[0] == '-' || t->p[0] == '+')) {
		neg = t->p[0] == '-';
		i = 1;
	}
	if (i == t->n)
		return expected(ps, what);
	for (; i < t->n; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return expected(ps, what);
		v = v * 10 + (t->p[i] - '0');
		if (v > (int64_t)INT32_MAX + 1)
			return fail_at(ps, t, "%s out of range", what);
	}
	if (neg)
		v = -v;
	if (v > INT32_MAX)
		return fail_at(ps, t, "%s out of range", what);
	if (where)
		*where = *t;
	*out = (int32_t)v;
	next_token(ps);
	return 0;
}

/* A weight: [+-]digits[.digits][e[+-]digits], as 16.16 fixed point. */
static int take_weight(struct parser *ps, uint32_t *out, struct token *where)
{
	const struct token *t = &ps->tok;
	size_t i = 0, digits = 0;
	char buf[128];

	if (t->kind != TOK_WORD || t->n >= sizeof(buf))
		return expected(ps, "a weight");
	if (t->p[i] == '-' || t->p[i] == '+')
		i++;
	while (i < t->n && t->p[i] >= '0' && t->p[i] <= '9') {
		i++;
		digits++;
	}
	if (i < t->n && t->p[i] == '.') {
		i++;
		while (i < t->n && t->p[i] >= '0' && t->p[i] <= '9') {
			i++;
			digits++;
		}
	}
	if (!digits)
		return expected(ps, "a weight");
	if (i < t->n && (t->p[i] == 'e' || t->p[i] == 'E')) {
		size_t e = ++i;
		if (i < t->n && (t->p[i] == '-' || t->p[i] == '+'))
			e = ++i;
		while (i < t->n && t->p[i] >= '0' && t->p[i] <= '9')
			i++;
		if (i == e)
			return expected(ps, "a weight");
	}
	if (i != t->n)
		return expected(ps, "a weight");
	memcpy(buf, t->p, t->n);
	buf[t->n] = '\0';

	float f = (float)strtod(buf, NULL);
	float scaled = f * (float)0x10000;
	int64_t wide = INT64_MIN; /* what x86 gives for out-of-range floats */
	if (scaled > -9.2e18f && scaled < 9.2e18f)
		wide = (int64_t)scaled;
	*out = (uint32_t)(uint64_t)wide;
	if (where)
		*where = *t;
	next_token(ps);
	return 0;
}

/* ---- item names: a hash index over the map's item_names ---- */

/*
 * crush_names_find() is a linear scan; a map of many thousands of devices
 * would make compiling quadratic.  The index maps a name (pointing into
 * the input text) to an id.  Like Ceph's name map it forgets nothing: after
 * "device 0 a" "device 0 b", device 0 prints as b, yet "a" still means 0
 * and naming another device "a" is an error.
 */
struct name_slot {
	const char *p;
	size_t n;
	int32_t id;
	bool used;
};

static uint64_t name_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static int name_index_put(struct parser *ps, const struct token *t, int32_t id)
{
	if (2 * (ps->n_names + 1) > ps->cap_names) {
		size_t cap = ps->cap_names ? ps->cap_names * 2 : 256;
		struct name_slot *v = calloc(cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (size_t i = 0; i < ps->cap_names; i++) {
			struct name_slot *o = &ps->names[i];
			if (!o->used)
				continue;
			size_t j = name_hash(o->p, o->n) & (cap - 1);
			while (v[j].used)
				j = (j + 1) & (cap - 1);
			v[j] = *o;
		}
		free(ps->names);
		ps->names = v;
		ps->cap_names = cap;
	}
	size_t j = name_hash(t->p, t->n) & (ps->cap_names - 1);
	while (ps->names[j].used &&
	       !(ps->names[j].n == t->n && memcmp(ps->names[j].p, t->p, t->n) == 0))
		j = (j + 1) & (ps->cap_names - 1);
	if (!ps->names[j].used)
		ps->n_names++;
	ps->names[j] = (struct name_slot){.p = t->p, .n = t->n, .id = id, .used = true};
	return 0;
}

/* The item (device or bucket) a name denotes, or -ENOENT. */
static int item_lookup(struct parser *ps, const struct token *t, int32_t *id)
{
	if (!ps->cap_names)
		return -ENOENT;
	size_t j = name_hash(t->p, t->n) & (ps->cap_names - 1);
	while (ps->names[j].used) {
		const struct name_slot *e = &ps->names[j];
		if (e->n == t->n && memcmp(e->p, t->p, t->n) == 0) {
			*id = e->id;
			return 0;
		}
		j = (j + 1) & (ps->cap_names - 1);
	}
	return -ENOENT;
}

/* ---- header: tunables, devices, types ---- */

static int parse_tunable(struct parser *ps)
{
	struct token name = {0}, vt = {0};
	uint64_t v = 0;
	struct crush_tunables *t = &ps->map->t;

	next_token(ps);
	if (take_name(ps, "a tunable name", &name) < 0 ||
	    take_uint(ps, "a tunable value", &v, &vt) < 0)
		return -EINVAL;
	uint32_t v32 = (uint32_t)v;
	if (tok_eq(&name, "choose_local_tries"))
		t->choose_local_tries = v32;
	else if (tok_eq(&name, "choose_local_fallback_tries"))
		t->choose_local_fallback_tries = v32;
	else if (tok_eq(&name, "choose_total_tries"))
		t->choose_total_tries = v32;
	else if (tok_eq(&name, "chooseleaf_descend_once"))
		t->chooseleaf_descend_once = v32;
	else if (tok_eq(&name, "chooseleaf_vary_r"))
		t->chooseleaf_vary_r = (uint8_t)v32;
	else if (tok_eq(&name, "chooseleaf_stable"))
		t->chooseleaf_stable = (uint8_t)v32;
	else if (tok_eq(&name, "straw_calc_version"))
		t->straw_calc_version = (uint8_t)v32;
	else if (tok_eq(&name, "allowed_bucket_algs"))
		t->allowed_bucket_algs = v32;
	else
		return fail_at(ps, &name, "tunable '%.*s' not recognized", (int)name.n, name.p);
	return 0;
}

static int item_name_taken(struct parser *ps, const struct token *name, int32_t self)
{
	int32_t id;
	if (item_lookup(ps, name, &id) == 0 && id != self)
		return -EEXIST;
	return 0;
}

static int parse_device(struct parser *ps)
{
	struct token idt = {0}, name = {0}, cls = {0};
	uint64_t id = 0;
	int rc;

	next_token(ps);
	if (take_uint(ps, "a device id", &id, &idt) < 0)
		return -EINVAL;
	if (id >= TEXT_MAX_ID)
		return fail_at(ps, &idt, "device id %llu out of range", (unsigned long long)id);
	if (take_name(ps, "a device name", &name) < 0)
		return -EINVAL;
	rc = item_name_taken(ps, &name, (int32_t)id);
	if (rc == -EEXIST)
		return fail_at(ps, &name, "item '%.*s' defined twice", (int)name.n, name.p);
	if (rc < 0)
		return rc;
	char *s = tok_dup(&name);
	if (!s)
		return -ENOMEM;
	rc = crush_names_set(&ps->map->item_names, (int32_t)id, s);
	free(s);
	if (rc == 0)
		rc = name_index_put(ps, &name, (int32_t)id);
	if (rc < 0)
		return rc;
	if ((int32_t)id >= ps->map->max_devices)
		ps->map->max_devices = (int32_t)id + 1;
	if (!tok_is(&ps->tok, "class"))
		return 0;
	next_token(ps);
	if (take_name(ps, "a class name", &cls) < 0)
		return -EINVAL;
	s = tok_dup(&cls);
	if (!s)
		return -ENOMEM;
	int32_t class_id;
	rc = crush_class_get_or_create(ps->map, s, &class_id);
	free(s);
	if (rc == 0)
		rc = crush_pairs_set(&ps->map->class_map, (int32_t)id, class_id);
	return rc;
}

static int parse_type(struct parser *ps)
{
	struct token idt = {0}, name = {0};
	uint64_t id = 0;

	next_token(ps);
	if (take_uint(ps, "a type id", &id, &idt) < 0)
		return -EINVAL;
	if (id >= TEXT_MAX_ID)
		return fail_at(ps, &idt, "type id %llu out of range", (unsigned long long)id);
	if (take_name(ps, "a type name", &name) < 0)
		return -EINVAL;
	char *s = tok_dup(&name);
	if (!s)
		return -ENOMEM;
	int rc = crush_names_set(&ps->map->type_names, (int32_t)id, s);
	free(s);
	return rc;
}

/* ---- buckets ---- */

static void t_bucket_release(struct t_bucket *b)
{
	free(b->cids);
	free(b->items);
}

static const struct {
	const char *name;
	int alg;
} alg_names[] = {
	{"uniform", CRUSH_BUCKET_UNIFORM}, {"list", CRUSH_BUCKET_LIST},
	{"tree", CRUSH_BUCKET_TREE},       {"straw", CRUSH_BUCKET_STRAW},
	{"straw2", CRUSH_BUCKET_STRAW2},
};

static int parse_bucket(struct parser *ps)
{
	struct t_bucket b = {0};
	int rc = -EINVAL;

	if (take_name(ps, "a bucket type", &b.type) < 0 ||
	    take_name(ps, "a bucket name", &b.name) < 0 ||
	    expect_kind(ps, TOK_LBRACE, "'{'") < 0)
		goto out_free;

	/* id lines: "id -N" (the last one counts) or "id -N class C" */
	while (tok_is(&ps->tok, "id")) {
		struct token idt = {0};
		int32_t id;
		next_token(ps);
		if (take_int(ps, "a negative bucket id", &id, &idt) < 0)
			goto out_free;
		if (id >= 0 || id <= -TEXT_MAX_ID) {
			rc = fail_at(ps, &idt, "bucket id must be negative and above %d",
				     -TEXT_MAX_ID);
			goto out_free;
		}
		if (!tok_is(&ps->tok, "class")) {
			b.has_id = true;
			b.id = id;
			continue;
		}
		next_token(ps);
		struct t_classid cid = {.id = id};
		if (take_name(ps, "a class name", &cid.cls) < 0)
			goto out_free;
		struct t_classid *v = realloc(b.cids, (b.n_cids + 1) * sizeof(*v));
		if (!v) {
			rc = -ENOMEM;
			goto out_free;
		}
		b.cids = v;
		b.cids[b.n_cids++] = cid;
	}

	if (expect_word(ps, "alg") < 0 || take_name(ps, "a bucket algorithm", &b.alg_tok) < 0)
		goto out_free;
	b.alg = 0;
	for (size_t i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++)
		if (tok_eq(&b.alg_tok, alg_names[i].name))
			b.alg = alg_names[i].alg;
	if (!b.alg) {
		rc = fail_at(ps, &b.alg_tok, "unknown bucket alg '%.*s'", (int)b.alg_tok.n,
			     b.alg_tok.p);
		goto out_free;
	}

	b.hash = CRUSH_HASH_RJENKINS1;
	while (tok_is(&ps->tok, "hash")) {
		next_token(ps);
		if (tok_is(&ps->tok, "rjenkins1")) {
			b.hash = CRUSH_HASH_RJENKINS1;
			next_token(ps);
			continue;
		}
		uint64_t h = 0;
		if (take_uint(ps, "a hash (0 or rjenkins1)", &h, NULL) < 0)
			goto out_free;
		b.hash = (uint8_t)h;
	}

	size_t cap = 0;
	while (tok_is(&ps->tok, "item")) {
		struct t_item it = {0};
		next_token(ps);
		if (take_name(ps, "an item name", &it.name) < 0)
			goto out_free;
		if (tok_is(&ps->tok, "weight")) {
			next_token(ps);
			it.has_weight = true;
			if (take_weight(ps, &it.weight, &it.weight_tok) < 0)
				goto out_free;
		}
		if (tok_is(&ps->tok, "pos")) {
			uint64_t pos = 0;
			next_token(ps);
			if (take_uint(ps, "a position", &pos, &it.pos_tok) < 0)
				goto out_free;
			it.has_pos = true;
			it.pos = pos > UINT32_MAX ? UINT32_MAX : (uint32_t)pos;
		}
		if (b.n_items == cap) {
			cap = cap ? cap * 2 : 8;
			struct t_item *v = realloc(b.items, cap * sizeof(*v));
			if (!v) {
				rc = -ENOMEM;
				goto out_free;
			}
			b.items = v;
		}
		b.items[b.n_items++] = it;
	}
	if (expect_kind(ps, TOK_RBRACE, "'item', 'hash' or '}'") < 0)
		goto out_free;

	if (ps->n_buckets == ps->cap_buckets) {
		size_t nc = ps->cap_buckets ? ps->cap_buckets * 2 : 16;
		struct t_bucket *v = realloc(ps->buckets, nc * sizeof(*v));
		if (!v) {
			rc = -ENOMEM;
			goto out_free;
		}
		ps->buckets = v;
		ps->cap_buckets = nc;
	}
	ps->buckets[ps->n_buckets++] = b;
	return 0;
out_free:
	t_bucket_release(&b);
	return rc;
}

static int cmp_int32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

/* Is this bucket id named anywhere in the file, or already in use? */
static bool bucket_id_used(struct parser *ps, int32_t id)
{
	return crush_map_bucket(ps->map, id) ||
	       (ps->n_named_ids && bsearch(&id, ps->named_ids, ps->n_named_ids,
					   sizeof(int32_t), cmp_int32));
}

/* Make one collected bucket and add it to the map. */
static int build_bucket(struct parser *ps, struct t_bucket *tb, int32_t *next_free)
{
	struct crush_map *map = ps->map;
	int32_t *items = NULL;
	uint32_t *weights = NULL;
	bool *placed = NULL;
	struct crush_bucket *b = NULL;
	char *name = NULL, *s = NULL;
	int32_t type, id;
	size_t n = tb->n_items;
	int rc;

	s = tok_dup(&tb->type);
	if (!s)
		return -ENOMEM;
	rc = crush_names_find(&map->type_names, s, &type);
	free(s);
	s = NULL;
	if (rc < 0)
		return fail_at(ps, &tb->type, "bucket type '%.*s' is not defined", (int)tb->type.n,
			       tb->type.p);
	if (type > 0xffff)
		return fail_at(ps, &tb->type, "bucket type id %d out of range", type);
	name = tok_dup(&tb->name);
	if (!name)
		return -ENOMEM;
	int32_t existing;
	if (item_lookup(ps, &tb->name, &existing) == 0) {
		rc = fail_at(ps, &tb->name, "bucket or device '%s' is already defined", name);
		goto out_free;
	}

	items = calloc(n ? n : 1, sizeof(*items));
	weights = calloc(n ? n : 1, sizeof(*weights));
	placed = calloc(n ? n : 1, sizeof(*placed));
	if (!items || !weights || !placed) {
		rc = -ENOMEM;
		goto out_free;
	}
	/* items with an explicit pos first, then the rest in order into the
	 * lowest free slots */
	for (int pass = 0; pass < 2; pass++) {
		size_t slot = 0;
		for (size_t i = 0; i < n; i++) {
			struct t_item *it = &tb->items[i];
			size_t at;
			if (it->has_pos != (pass == 0))
				continue;
			if (pass == 0) {
				if (it->pos >= n) {
					rc = fail_at(ps, &it->pos_tok,
						     "item '%.*s' in bucket '%s' has pos %u >= size %zu",
						     (int)it->name.n, it->name.p, name, it->pos, n);
					goto out_free;
				}
				at = it->pos;
				if (placed[at]) {
					rc = fail_at(ps, &it->pos_tok,
						     "item '%.*s' in bucket '%s' has explicit pos %u, which is occupied",
						     (int)it->name.n, it->name.p, name, it->pos);
					goto out_free;
				}
			} else {
				while (placed[slot])
					slot++;
				at = slot;
			}
			int32_t item;
			if (item_lookup(ps, &it->name, &item) < 0) {
				rc = fail_at(ps, &it->name, "item '%.*s' in bucket '%s' is not defined",
					     (int)it->name.n, it->name.p, name);
				goto out_free;
			}
			uint32_t w;
			if (it->has_weight) {
				w = it->weight;
				if (item >= 0 && w > CRUSH_MAX_DEVICE_WEIGHT) {
					rc = fail_at(ps, &it->weight_tok,
						     "device weight limited to 100");
					goto out_free;
				}
			} else if (item >= 0) {
				w = 0x10000;
			} else {
				w = crush_map_bucket(map, item)->weight;
			}
			if (tb->alg == CRUSH_BUCKET_UNIFORM) {
				for (size_t j = 0; j < n; j++) {
					if (placed[j] && weights[j] != w) {
						rc = fail_at(ps, &it->name,
							     "item '%.*s' in uniform bucket '%s' has weight %u but previous item(s) have weight %u; uniform bucket items must all have identical weights",
							     (int)it->name.n, it->name.p, name, w,
							     weights[j]);
						goto out_free;
					}
				}
			}
			items[at] = item;
			weights[at] = w;
			placed[at] = true;
		}
	}

	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += weights[i];
	if (sum > UINT32_MAX) {
		rc = fail_at(ps, &tb->name,
			     "item weights of bucket '%s' overflow its weight; lower the item weights",
			     name);
		goto out_free;
	}

	if (tb->has_id) {
		id = tb->id;
		if (crush_map_bucket(map, id)) {
			rc = fail_at(ps, &tb->name, "duplicate bucket id %d", id);
			goto out_free;
		}
	} else {
		while (bucket_id_used(ps, *next_free)) {
			if (*next_free <= -TEXT_MAX_ID) {
				rc = fail_at(ps, &tb->name, "no free bucket id");
				goto out_free;
			}
			(*next_free)--;
		}
		id = *next_free;
	}

	/* crush_bucket_make() refuses type 0, which Ceph's text maps allow */
	b = crush_bucket_make(map, tb->alg, tb->hash, type ? type : 1, (uint32_t)n, items,
			      weights);
	if (!b) {
		rc = -ENOMEM;
		goto out_free;
	}
	b->type = (uint16_t)type;
	rc = crush_map_add_bucket(map, id, b, &id);
	if (rc == -EEXIST) {
		rc = fail_at(ps, &tb->name, "duplicate bucket id %d", id);
		goto out_free;
	}
	if (rc < 0)
		goto out_free;
	b = NULL;
	rc = crush_names_set(&map->item_names, id, name);
	if (rc == 0)
		rc = name_index_put(ps, &tb->name, id);
	if (rc < 0)
		goto out_free;

	for (size_t i = 0; i < tb->n_cids; i++) {
		int32_t class_id, prev;
		s = tok_dup(&tb->cids[i].cls);
		if (!s) {
			rc = -ENOMEM;
			goto out_free;
		}
		rc = crush_class_get_or_create(map, s, &class_id);
		if (rc < 0)
			goto out_free;
		if (crush_map_class_bucket(map, id, class_id, &prev) == 0) {
			rc = fail_at(ps, &tb->cids[i].cls, "duplicate device class %s for bucket %s",
				     s, name);
			goto out_free;
		}
		free(s);
		s = NULL;
		rc = crush_map_class_bucket_set(map, id, class_id, tb->cids[i].id);
		if (rc < 0)
			goto out_free;
	}
	rc = 0;
out_free:
	crush_bucket_destroy(b);
	free(s);
	free(name);
	free(items);
	free(weights);
	free(placed);
	return rc;
}

static int build_buckets(struct parser *ps)
{
	int32_t next_free = -1;
	if (ps->buckets_built)
		return 0;
	ps->buckets_built = true;
	size_t n = 0;
	for (size_t i = 0; i < ps->n_buckets; i++)
		n += 1 + ps->buckets[i].n_cids;
	if (n) {
		ps->named_ids = malloc(n * sizeof(int32_t));
		if (!ps->named_ids)
			return -ENOMEM;
	}
	for (size_t i = 0; i < ps->n_buckets; i++) {
		const struct t_bucket *b = &ps->buckets[i];
		if (b->has_id)
			ps->named_ids[ps->n_named_ids++] = b->id;
		for (size_t j = 0; j < b->n_cids; j++)
			ps->named_ids[ps->n_named_ids++] = b->cids[j].id;
	}
	if (ps->n_named_ids)
		qsort(ps->named_ids, ps->n_named_ids, sizeof(int32_t), cmp_int32);
	for (size_t i = 0; i < ps->n_buckets; i++) {
		int rc = build_bucket(ps, &ps->buckets[i], &next_free);
		if (rc < 0)
			return rc;
	}
	crush_map_finalize(ps->map);
	return 0;
}

/* ---- rules ---- */

static const struct {
	const char *name;
	uint32_t op;
} set_steps[] = {
	{"set_choose_tries", CRUSH_RULE_SET_CHOOSE_TRIES},
	{"set_chooseleaf_tries", CRUSH_RULE_SET_CHOOSELEAF_TRIES},
	{"set_choose_local_tries", CRUSH_RULE_SET_CHOOSE_LOCAL_TRIES},
	{"set_choose_local_fallback_tries", CRUSH_RULE_SET_CHOOSE_LOCAL_FALLBACK_TRIES},
	{"set_chooseleaf_vary_r", CRUSH_RULE_SET_CHOOSELEAF_VARY_R},
	{"set_chooseleaf_stable", CRUSH_RULE_SET_CHOOSELEAF_STABLE},
};

static const struct {
	const char *name;
	int type;
} rule_types[] = {
	{"replicated", CRUSH_RULE_TYPE_REPLICATED},
	{"erasure", CRUSH_RULE_TYPE_ERASURE},
	{"msr_firstn", CRUSH_RULE_TYPE_MSR_FIRSTN},
	{"msr_indep", CRUSH_RULE_TYPE_MSR_INDEP},
};

static int take_step_take(struct parser *ps, const char *rname, struct crush_rule_step *st)
{
	struct token it = {0}, cls = {0};
	char *s;
	int32_t item, class_id, shadow;
	int rc;

	if (take_name(ps, "an item name", &it) < 0)
		return -EINVAL;
	if (item_lookup(ps, &it, &item) < 0)
		return fail_at(ps, &it, "in rule '%s' item '%.*s' not defined", rname, (int)it.n,
			       it.p);
	st->op = CRUSH_RULE_TAKE;
	st->arg1 = item;
	st->arg2 = 0;
	if (!tok_is(&ps->tok, "class"))
		return 0;
	next_token(ps);
	if (take_name(ps, "a class name", &cls) < 0)
		return -EINVAL;
	s = tok_dup(&cls);
	if (!s)
		return -ENOMEM;
	rc = crush_names_find(&ps->map->class_names, s, &class_id);
	free(s);
	if (rc < 0)
		return fail_at(ps, &cls, "in rule '%s' class '%.*s' not defined", rname,
			       (int)cls.n, cls.p);
	if (crush_map_class_bucket(ps->map, item, class_id, &shadow) < 0)
		return fail_at(ps, &it, "in rule '%s' step take %.*s has no class information",
			       rname, (int)it.n, it.p);
	st->arg1 = shadow;
	return 0;
}

static int take_step(struct parser *ps, const char *rname, struct crush_rule_step *st)
{
	struct token kw = ps->tok;

	if (tok_is(&kw, "take")) {
		next_token(ps);
		return take_step_take(ps, rname, st);
	}
	if (tok_is(&kw, "emit")) {
		next_token(ps);
		st->op = CRUSH_RULE_EMIT;
		return 0;
	}
	if (tok_is(&kw, "choose") || tok_is(&kw, "chooseleaf")) {
		bool leaf = tok_is(&kw, "chooseleaf");
		bool firstn;
		int32_t n, type;
		struct token tt = {0};
		next_token(ps);
		if (tok_is(&ps->tok, "firstn"))
			firstn = true;
		else if (tok_is(&ps->tok, "indep"))
			firstn = false;
		else
			return expected(ps, "'firstn' or 'indep'");
		next_token(ps);
		if (take_int(ps, "a count", &n, NULL) < 0 || expect_word(ps, "type") < 0 ||
		    take_name(ps, "a type name", &tt) < 0)
			return -EINVAL;
		char *s = tok_dup(&tt);
		if (!s)
			return -ENOMEM;
		int rc = crush_names_find(&ps->map->type_names, s, &type);
		free(s);
		if (rc < 0)
			return fail_at(ps, &tt, "in rule '%s' type '%.*s' not defined", rname,
				       (int)tt.n, tt.p);
		if (leaf)
			st->op = firstn ? CRUSH_RULE_CHOOSELEAF_FIRSTN : CRUSH_RULE_CHOOSELEAF_INDEP;
		else
			st->op = firstn ? CRUSH_RULE_CHOOSE_FIRSTN : CRUSH_RULE_CHOOSE_INDEP;
		st->arg1 = n;
		st->arg2 = type;
		return 0;
	}
	for (size_t i = 0; i < sizeof(set_steps) / sizeof(set_steps[0]); i++) {
		if (!tok_is(&kw, set_steps[i].name))
			continue;
		uint64_t v = 0;
		next_token(ps);
		if (take_uint(ps, "a number", &v, NULL) < 0)
			return -EINVAL;
		st->op = set_steps[i].op;
		st->arg1 = (int32_t)(uint32_t)v;
		return 0;
	}
	return expected(ps, "a step (take, choose, chooseleaf, emit or set_*)");
}

static int parse_rule(struct parser *ps)
{
	struct token name = {0}, idt = {0};
	uint64_t id = 0, v = 0;
	int type = -1;
	uint8_t min_size, max_size;
	struct crush_rule_step *steps = NULL;
	size_t nsteps = 0, cap = 0;
	struct crush_rule *r = NULL;
	char *rname = NULL;
	int rc = -EINVAL;

	/* Ceph builds the per-class shadow trees when the rules begin, class
	 * rule or not (found by experiment: a map with classes and no rule
	 * has no shadows, one with any rule has them). */
	if (!ps->classes_populated) {
		ps->classes_populated = true;
		/* like Ceph, a failed rebuild only shows as missing shadows */
		ps->populate_rc = crush_map_populate_classes(ps->map);
		if (ps->populate_rc == -ENOMEM)
			return -ENOMEM;
	}

	next_token(ps);
	if (take_name(ps, "a rule name", &name) < 0 || expect_kind(ps, TOK_LBRACE, "'{'") < 0)
		goto out_free;
	rname = tok_dup(&name);
	if (!rname) {
		rc = -ENOMEM;
		goto out_free;
	}
	if (!tok_is(&ps->tok, "id") && !tok_is(&ps->tok, "ruleset")) {
		rc = expected(ps, "'id' or 'ruleset'");
		goto out_free;
	}
	next_token(ps);
	if (take_uint(ps, "a rule id", &id, &idt) < 0 || expect_word(ps, "type") < 0)
		goto out_free;
	for (size_t i = 0; i < sizeof(rule_types) / sizeof(rule_types[0]); i++)
		if (tok_is(&ps->tok, rule_types[i].name))
			type = rule_types[i].type;
	if (type >= 0) {
		next_token(ps);
	} else {
		if (take_uint(ps, "a rule type (replicated or erasure)", &v, NULL) < 0)
			goto out_free;
		type = (uint8_t)v;
	}
	if (expect_word(ps, "min_size") < 0 || take_uint(ps, "a number", &v, NULL) < 0)
		goto out_free;
	min_size = (uint8_t)v;
	if (expect_word(ps, "max_size") < 0 || take_uint(ps, "a number", &v, NULL) < 0)
		goto out_free;
	max_size = (uint8_t)v;
	if (!tok_is(&ps->tok, "step")) {
		rc = expected(ps, "'step'");
		goto out_free;
	}
	while (tok_is(&ps->tok, "step")) {
		next_token(ps);
		if (nsteps == cap) {
			cap = cap ? cap * 2 : 8;
			struct crush_rule_step *nv = realloc(steps, cap * sizeof(*nv));
			if (!nv) {
				rc = -ENOMEM;
				goto out_free;
			}
			steps = nv;
		}
		memset(&steps[nsteps], 0, sizeof(steps[nsteps]));
		rc = take_step(ps, rname, &steps[nsteps]);
		if (rc < 0)
			goto out_free;
		nsteps++;
	}
	rc = -EINVAL;
	if (expect_kind(ps, TOK_RBRACE, "'step' or '}'") < 0)
		goto out_free;

	if (id >= CRUSH_MAX_RULES) {
		rc = fail_at(ps, &idt, "rule id %llu out of range (at most %d)",
			     (unsigned long long)id, CRUSH_MAX_RULES - 1);
		goto out_free;
	}
	if (id < ps->map->max_rules && ps->map->rules[id]) {
		rc = fail_at(ps, &idt, "rule %llu already exists", (unsigned long long)id);
		goto out_free;
	}
	if (crush_map_rule_by_name(ps->map, rname) >= 0) {
		rc = fail_at(ps, &name, "rule '%s' already exists", rname);
		goto out_free;
	}
	r = crush_rule_make((uint32_t)nsteps, (int)id, type, min_size, max_size);
	if (!r) {
		rc = -ENOMEM;
		goto out_free;
	}
	memcpy(r->steps, steps, nsteps * sizeof(*steps));
	rc = crush_map_add_rule(ps->map, r, (int)id);
	if (rc < 0) {
		rc = fail_at(ps, &idt, "unable to add rule id %llu for rule '%s'",
			     (unsigned long long)id, rname);
		goto out_free;
	}
	r = NULL;
	rc = crush_names_set(&ps->map->rule_names, (int32_t)id, rname);
out_free:
	crush_rule_destroy(r);
	free(steps);
	free(rname);
	return rc;
}

/* ---- choose_args ---- */

static int take_weight_list(struct parser *ps, uint32_t **out, uint32_t *n)
{
	uint32_t *v = NULL;
	size_t cap = 0, len = 0;
	if (expect_kind(ps, TOK_LBRACKET, "'['") < 0)
		return -EINVAL;
	while (ps->tok.kind == TOK_WORD) {
		uint32_t w;
		if (take_weight(ps, &w, NULL) < 0)
			goto out_free;
		if (len == cap) {
			cap = cap ? cap * 2 : 8;
			uint32_t *nv = realloc(v, cap * sizeof(*nv));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		v[len++] = w;
	}
	if (expect_kind(ps, TOK_RBRACKET, "a weight or ']'") < 0)
		goto out_free;
	*out = v;
	*n = (uint32_t)len;
	return 0;
out_free:
	free(v);
	return -EINVAL;
}

static void choose_arg_release(struct crush_choose_arg *a)
{
	free(a->ids);
	for (uint32_t p = 0; p < a->weight_set_positions; p++)
		free(a->weight_set[p].weights);
	free(a->weight_set);
	memset(a, 0, sizeof(*a));
}

static int parse_choose_arg(struct parser *ps, struct crush_choose_arg_map *cam)
{
	struct crush_choose_arg a = {0};
	struct token bt = {0};
	int32_t bid;
	int rc = -EINVAL;
	size_t cap = 0;

	next_token(ps); /* '{' */
	if (expect_word(ps, "bucket_id") < 0 || take_int(ps, "a bucket id", &bid, &bt) < 0)
		return -EINVAL;
	if (bid >= 0)
		return fail_at(ps, &bt, "bucket_id must be negative");
	if (-1 - (int64_t)bid >= ps->map->max_buckets)
		return fail_at(ps, &bt, "%d is out of range", bid);
	const struct crush_bucket *b = crush_map_bucket(ps->map, bid);
	if (!b)
		return fail_at(ps, &bt, "%d does not exist", bid);

	if (tok_is(&ps->tok, "weight_set")) {
		struct token wt = ps->tok;
		next_token(ps);
		if (expect_kind(ps, TOK_LBRACKET, "'['") < 0)
			goto out_free;
		while (ps->tok.kind == TOK_LBRACKET) {
			struct crush_weight_set ws = {0};
			wt = ps->tok;
			rc = take_weight_list(ps, &ws.weights, &ws.size);
			if (rc < 0)
				goto out_free;
			rc = -EINVAL;
			if (ws.size != b->size) {
				free(ws.weights);
				rc = fail_at(ps, &wt, "%d needs exactly %u weights but got %u", bid,
					     b->size, ws.size);
				goto out_free;
			}
			if (a.weight_set_positions == cap) {
				cap = cap ? cap * 2 : 4;
				struct crush_weight_set *nv =
					realloc(a.weight_set, cap * sizeof(*nv));
				if (!nv) {
					free(ws.weights);
					rc = -ENOMEM;
					goto out_free;
				}
				a.weight_set = nv;
			}
			a.weight_set[a.weight_set_positions++] = ws;
		}
		if (expect_kind(ps, TOK_RBRACKET, "'[' or ']'") < 0)
			goto out_free;
	}
	if (tok_is(&ps->tok, "ids")) {
		struct token it = ps->tok;
		size_t icap = 0;
		next_token(ps);
		if (expect_kind(ps, TOK_LBRACKET, "'['") < 0)
			goto out_free;
		while (ps->tok.kind == TOK_WORD) {
			int32_t v;
			if (take_int(ps, "an id", &v, NULL) < 0)
				goto out_free;
			if (a.ids_size == icap) {
				icap = icap ? icap * 2 : 8;
				int32_t *nv = realloc(a.ids, icap * sizeof(*nv));
				if (!nv) {
					rc = -ENOMEM;
					goto out_free;
				}
				a.ids = nv;
			}
			a.ids[a.ids_size++] = v;
		}
		if (expect_kind(ps, TOK_RBRACKET, "an id or ']'") < 0)
			goto out_free;
		if (a.ids_size != b->size) {
			rc = fail_at(ps, &it, "%d needs exactly %u ids but got %u", bid, b->size,
				     a.ids_size);
			goto out_free;
		}
	}
	if (expect_kind(ps, TOK_RBRACE, "'weight_set', 'ids' or '}'") < 0)
		goto out_free;
	/* a later entry for the same bucket replaces an earlier one */
	choose_arg_release(&cam->args[-1 - bid]);
	cam->args[-1 - bid] = a;
	return 0;
out_free:
	choose_arg_release(&a);
	return rc;
}

static int parse_choose_args(struct parser *ps)
{
	struct crush_map *map = ps->map;
	struct token idt = {0};
	uint64_t id = 0;
	size_t at;

	next_token(ps);
	if (take_uint(ps, "a choose_args id", &id, &idt) < 0)
		return -EINVAL;
	if (id > INT64_MAX)
		return fail_at(ps, &idt, "choose_args id out of range");
	for (at = 0; at < map->n_choose_args; at++) {
		if (map->choose_args[at].id == (int64_t)id)
			return fail_at(ps, &idt, "choose_args %llu duplicated",
				       (unsigned long long)id);
		if (map->choose_args[at].id > (int64_t)id)
			break;
	}
	if (expect_kind(ps, TOK_LBRACE, "'{'") < 0)
		return -EINVAL;

	struct crush_choose_arg_map cam = {.id = (int64_t)id, .size = (uint32_t)map->max_buckets};
	cam.args = calloc(cam.size ? cam.size : 1, sizeof(*cam.args));
	if (!cam.args)
		return -ENOMEM;
	struct crush_choose_arg_map *v =
		realloc(map->choose_args, (map->n_choose_args + 1) * sizeof(*v));
	if (!v) {
		free(cam.args);
		return -ENOMEM;
	}
	map->choose_args = v;
	memmove(&v[at + 1], &v[at], (map->n_choose_args - at) * sizeof(*v));
	v[at] = cam;
	map->n_choose_args++;

	while (ps->tok.kind == TOK_LBRACE) {
		int rc = parse_choose_arg(ps, &map->choose_args[at]);
		if (rc < 0)
			return rc;
	}
	return expect_kind(ps, TOK_RBRACE, "'{' or '}'");
}

/* ---- the whole map ---- */

static int parse_map(struct parser *ps)
{
	int rc;
	bool rules_seen = false;

	next_token(ps);
	for (;;) {
		if (tok_is(&ps->tok, "tunable"))
			rc = parse_tunable(ps);
		else if (tok_is(&ps->tok, "device"))
			rc = parse_device(ps);
		else if (tok_is(&ps->tok, "type"))
			rc = parse_type(ps);
		else
			break;
		if (rc < 0)
			return rc;
	}
	for (;;) {
		if (ps->tok.kind == TOK_EOF || tok_is(&ps->tok, "choose_args"))
			break;
		if (tok_is(&ps->tok, "rule")) {
			rc = build_buckets(ps);
			if (rc == 0)
				rc = parse_rule(ps);
			rules_seen = true;
		} else if (ps->tok.kind == TOK_WORD) {
			if (rules_seen)
				return fail_at(ps, &ps->tok, "buckets must be defined before rules");
			rc = parse_bucket(ps);
		} else {
			return expected(ps, "a bucket, rule or choose_args");
		}
		if (rc < 0)
			return rc;
	}
	rc = build_buckets(ps);
	if (rc < 0)
		return rc;
	while (tok_is(&ps->tok, "choose_args")) {
		rc = parse_choose_args(ps);
		if (rc < 0)
			return rc;
	}
	if (ps->tok.kind != TOK_EOF)
		return expected(ps, "'choose_args' or end of file");
	return 0;
}

int crush_map_compile(const char *text, size_t len, const char *fname,
		      struct crush_map **out, char *err, size_t errlen)
{
	struct parser ps = {
		.text = text,
		.len = text ? len : 0,
		.line = 1,
		.col = 1,
		.fname = fname ? fname : "<input>",
		.err = err,
		.errlen = errlen,
	};
	int rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	ps.map = crush_map_create();
	if (!ps.map)
		return -ENOMEM;
	/* a text map without tunable lines means the legacy values */
	crush_tunables_set_legacy(&ps.map->t);

	rc = parse_map(&ps);
	if (rc == 0 && !ps.classes_populated && ps.map->n_class_buckets) {
		/* `id -N class C` lines with no class rule build nothing */
		free(ps.map->class_buckets);
		ps.map->class_buckets = NULL;
		ps.map->n_class_buckets = 0;
	}
	for (size_t i = 0; i < ps.n_buckets; i++)
		t_bucket_release(&ps.buckets[i]);
	free(ps.buckets);
	free(ps.named_ids);
	free(ps.names);
	if (rc < 0) {
		if (!ps.failed && err && errlen)
			snprintf(err, errlen, "%s: %s", ps.fname, strerror(-rc));
		crush_map_destroy(ps.map);
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	crush_map_finalize(ps.map);
	*out = ps.map;
	return 0;
}
