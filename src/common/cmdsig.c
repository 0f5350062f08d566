/*
 * Ceph command descriptors ("osd pool get name=pool,type=CephPoolname
 * ...") parsed into signatures, and the matcher that turns the words of a
 * command line into Ceph's JSON command object, with Ceph's messages for
 * what does not fit.  See cmdsig.h for the rules.
 */
#include "common/errbuf.h"
#include "common/cmdsig.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	enum cmdsig_type type;
} cmdsig_types[] = {
	{"CephInt", CMDSIG_INT},
	{"CephFloat", CMDSIG_FLOAT},
	{"CephString", CMDSIG_STRING},
	{"CephChoices", CMDSIG_CHOICES},
	{"CephPoolname", CMDSIG_POOLNAME},
	{"CephObjectname", CMDSIG_OBJECTNAME},
	{"CephOsdName", CMDSIG_OSDNAME},
	{"CephName", CMDSIG_NAME},
	{"CephBool", CMDSIG_BOOL},
	{"CephFilepath", CMDSIG_FILEPATH},
	{"CephUUID", CMDSIG_UUID},
};

/* ---- parsing descriptors ---- */

static void arg_release(struct cmdsig_arg *a)
{
	free(a->name);
	free(a->type_name);
	for (size_t i = 0; i < a->n_choices; i++)
		free(a->choices[i]);
	free(a->choices);
	free(a->goodchars);
	free(a->min_text);
	free(a->max_text);
	memset(a, 0, sizeof(*a));
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int split_choices(struct cmdsig_arg *a, const char *v)
{
	size_t n = 1;

	for (const char *p = v; *p; p++)
		n += *p == '|';
	a->choices = calloc(n, sizeof(*a->choices));
	if (!a->choices)
		return -ENOMEM;
	for (const char *p = v;;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		a->choices[a->n_choices] = dup_n(p, len);
		if (!a->choices[a->n_choices])
			return -ENOMEM;
		a->n_choices++;
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

/* range=MIN or range=MIN|MAX; the text is kept for messages, as Ceph
 * prints the bounds as the descriptor spells them. */
static int parse_range(struct cmdsig_arg *a, const char *v)
{
	const char *bar = strchr(v, '|');
	size_t minlen = bar ? (size_t)(bar - v) : strlen(v);
	char *end;

	a->min_text = dup_n(v, minlen);
	if (!a->min_text)
		return -ENOMEM;
	if (minlen) {
		a->min = strtod(a->min_text, &end);
		if (*end)
			return -EINVAL;
		a->has_min = true;
	}
	if (bar) {
		a->max_text = strdup(bar + 1);
		if (!a->max_text)
			return -ENOMEM;
		if (*a->max_text) {
			a->max = strtod(a->max_text, &end);
			if (*end)
				return -EINVAL;
			a->has_max = true;
		}
	}
	return 0;
}

static int parse_arg(struct cmdsig_arg *a, const char *tok, size_t toklen,
		     char *err, size_t errlen)
{
	char *copy = dup_n(tok, toklen);
	char *save = NULL;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	a->type = CMDSIG_STRING;
	a->req = true;
	for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		const char *k = kv, *v = "";

		if (eq) {
			*eq = '\0';
			v = eq + 1;
		}
		if (!strcmp(k, "name")) {
			free(a->name);
			a->name = strdup(v);
			if (!a->name)
				rc = -ENOMEM;
		} else if (!strcmp(k, "type")) {
			a->type = CMDSIG_OTHER;
			for (size_t i = 0; i < sizeof(cmdsig_types) / sizeof(cmdsig_types[0]); i++)
				if (!strcmp(v, cmdsig_types[i].name))
					a->type = cmdsig_types[i].type;
			free(a->type_name);
			a->type_name = strdup(v);
			if (!a->type_name)
				rc = -ENOMEM;
		} else if (!strcmp(k, "req")) {
			a->req = strcmp(v, "false") != 0 && strcmp(v, "False") != 0;
		} else if (!strcmp(k, "n")) {
			/* n=N repeats; n=1 is a single value */
			a->repeat = strcmp(v, "1") != 0;
		} else if (!strcmp(k, "range")) {
			rc = parse_range(a, v);
			if (rc == -EINVAL)
				err_set(err, errlen, "bad range '%s'", v);
		} else if (!strcmp(k, "strings")) {
			rc = split_choices(a, v);
		} else if (!strcmp(k, "goodchars")) {
			size_t n = strlen(v);

			if (n >= 2 && v[0] == '[' && v[n - 1] == ']') {
				v++;
				n -= 2;
			}
			free(a->goodchars);
			a->goodchars = dup_n(v, n);
			if (!a->goodchars)
				rc = -ENOMEM;
		}
		/* other keys (positional=, allowempty=...) change nothing here */
		if (rc)
			break;
	}
	free(copy);
	if (rc)
		return rc;
	if (!a->name || !*a->name) {
		err_set(err, errlen, "argument without name: '%.*s'", (int)toklen, tok);
		return -EINVAL;
	}
	if (!a->type_name) {
		a->type_name = strdup("CephString");
		if (!a->type_name)
			return -ENOMEM;
	}
	if (a->type == CMDSIG_CHOICES && !a->n_choices) {
		err_set(err, errlen, "CephChoices '%s' without strings=", a->name);
		return -EINVAL;
	}
	return 0;
}

int cmdsig_parse(const char *desc, const char *help, struct cmdsig *out,
		 char *err, size_t errlen)
{
	size_t ntok = 0, plen = 0;
	int rc = 0;
	bool in_prefix = true;

	memset(out, 0, sizeof(*out));
	out->help = help;
	for (const char *p = desc; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		ntok++;
		while (*p && *p != ' ')
			p++;
	}
	out->args = calloc(ntok ? ntok : 1, sizeof(*out->args));
	if (!out->args)
		return -ENOMEM;
	for (const char *p = desc; *p;) {
		const char *tok;
		size_t len;
		struct cmdsig_arg *a;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		tok = p;
		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - tok);
		a = &out->args[out->n_args++];
		if (!memchr(tok, '=', len)) {
			a->type = CMDSIG_LITERAL;
			a->req = true;
			a->name = dup_n(tok, len);
			if (!a->name) {
				rc = -ENOMEM;
				goto out_fail;
			}
			if (in_prefix) {
				out->n_prefix++;
				plen += len + 1;
			}
			continue;
		}
		in_prefix = false;
		rc = parse_arg(a, tok, len, err, errlen);
		if (rc)
			goto out_fail;
	}
	if (!out->n_prefix) {
		err_set(err, errlen, "signature without a command word: '%s'", desc);
		rc = -EINVAL;
		goto out_fail;
	}
	out->prefix = malloc(plen);
	if (!out->prefix) {
		rc = -ENOMEM;
		goto out_fail;
	}
	out->prefix[0] = '\0';
	for (size_t i = 0; i < out->n_prefix; i++) {
		if (i)
			strcat(out->prefix, " ");
		strcat(out->prefix, out->args[i].name);
	}
	return 0;

out_fail:
	cmdsig_release(out);
	return rc;
}

void cmdsig_release(struct cmdsig *s)
{
	for (size_t i = 0; i < s->n_args; i++)
		arg_release(&s->args[i]);
	free(s->args);
	free(s->prefix);
	memset(s, 0, sizeof(*s));
}

int cmdsig_table_init_strided(struct cmdsig_table *t, const void *base,
			      size_t n, size_t stride, size_t desc_off,
			      size_t help_off, char *err, size_t errlen)
{
	const char *p = base;

	t->n = 0;
	t->sigs = calloc(n ? n : 1, sizeof(*t->sigs));
	if (!t->sigs)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++, p += stride) {
		const char *desc, *help = NULL;
		int rc;

		memcpy(&desc, p + desc_off, sizeof(desc));
		if (!desc)
			break;
		if (help_off != SIZE_MAX)
			memcpy(&help, p + help_off, sizeof(help));
		rc = cmdsig_parse(desc, help, &t->sigs[t->n], err, errlen);
		if (rc) {
			cmdsig_table_release(t);
			return rc;
		}
		t->n++;
	}
	return 0;
}

int cmdsig_table_init(struct cmdsig_table *t, const char *const *descs,
		      const char *const *helps, size_t n, char *err,
		      size_t errlen)
{
	int rc = cmdsig_table_init_strided(t, descs, n, sizeof(*descs), 0, SIZE_MAX,
					   err, errlen);

	if (rc || !helps)
		return rc;
	for (size_t i = 0; i < t->n; i++)
		t->sigs[i].help = helps[i];
	return 0;
}

void cmdsig_table_release(struct cmdsig_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		cmdsig_release(&t->sigs[i]);
	free(t->sigs);
	t->sigs = NULL;
	t->n = 0;
}

/* ---- usage and type strings ---- */

struct strbuf {
	char *buf;
	size_t len, need;
};

static void sb_add(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_add(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t room = b->need < b->len ? b->len - b->need : 0;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->need : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->need += (size_t)n;
}

static void sb_add_dashed(struct strbuf *b, const char *s)
{
	for (; *s; s++)
		sb_add(b, "%c", *s == '_' ? '-' : *s);
}

size_t cmdsig_arg_typestr(const struct cmdsig_arg *a, char *buf, size_t len)
{
	struct strbuf b = {buf, len, 0};

	if (len)
		buf[0] = '\0';
	switch (a->type) {
	case CMDSIG_CHOICES:
		for (size_t i = 0; i < a->n_choices; i++)
			sb_add(&b, "%s%s", i ? "|" : "", a->choices[i]);
		break;
	case CMDSIG_INT:
		sb_add(&b, "<int>");
		break;
	case CMDSIG_FLOAT:
		sb_add(&b, "<float>");
		break;
	case CMDSIG_STRING:
		if (a->goodchars)
			sb_add(&b, "<string(goodchars [%s])>", a->goodchars);
		else
			sb_add(&b, "<string>");
		break;
	case CMDSIG_POOLNAME:
		sb_add(&b, "<poolname>");
		break;
	case CMDSIG_OBJECTNAME:
		sb_add(&b, "<objectname>");
		break;
	case CMDSIG_OSDNAME:
		sb_add(&b, "<osdname>");
		break;
	case CMDSIG_NAME:
		sb_add(&b, "<name>");
		break;
	case CMDSIG_BOOL:
		sb_add(&b, "<bool>");
		break;
	case CMDSIG_FILEPATH:
		sb_add(&b, "<path>");
		break;
	case CMDSIG_UUID:
		sb_add(&b, "<uuid>");
		break;
	case CMDSIG_LITERAL:
		sb_add(&b, "%s", a->name);
		break;
	case CMDSIG_OTHER: {
		const char *t = a->type_name;

		if (!strncmp(t, "Ceph", 4))
			t += 4;
		sb_add(&b, "<");
		for (; *t; t++)
			sb_add(&b, "%c", tolower((unsigned char)*t));
		sb_add(&b, ">");
		break;
	}
	}
	return b.need;
}

size_t cmdsig_usage(const struct cmdsig *s, char *buf, size_t len)
{
	struct strbuf b = {buf, len, 0};

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < s->n_args; i++) {
		const struct cmdsig_arg *a = &s->args[i];
		bool opt = !a->req && a->type != CMDSIG_LITERAL;

		if (i)
			sb_add(&b, " ");
		if (opt)
			sb_add(&b, "[");
		switch (a->type) {
		case CMDSIG_LITERAL:
			sb_add(&b, "%s", a->name);
			break;
		case CMDSIG_CHOICES:
			for (size_t j = 0; j < a->n_choices; j++)
				sb_add(&b, "%s%s", j ? "|" : "", a->choices[j]);
			break;
		case CMDSIG_BOOL:
			sb_add(&b, "--");
			sb_add_dashed(&b, a->name);
			break;
		case CMDSIG_OSDNAME:
			sb_add(&b, "<id|osd.id>");
			break;
		case CMDSIG_INT:
			sb_add(&b, "<%s:int>", a->name);
			break;
		case CMDSIG_FLOAT:
			sb_add(&b, "<%s:float>", a->name);
			break;
		default:
			sb_add(&b, "<%s>", a->name);
			break;
		}
		if (a->repeat)
			sb_add(&b, "...");
		if (opt)
			sb_add(&b, "]");
	}
	return b.need;
}

/* ---- validating one word ---- */

static bool parse_int(const char *s, long long *out)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	return *end == '\0';
}

static bool parse_float(const char *s, double *out)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return false;
	errno = 0;
	*out = strtod(s, &end);
	if (end == s || errno == ERANGE)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	return *end == '\0';
}

static bool in_range(const struct cmdsig_arg *a, double v)
{
	return (!a->has_min || v >= a->min) && (!a->has_max || v <= a->max);
}

static void range_err(const struct cmdsig_arg *a, const char *word, char *err,
		      size_t errlen)
{
	if (a->max_text)
		err_set(err, errlen, "%s not in range [%s, %s]", word,
			a->min_text ? a->min_text : "", a->max_text);
	else
		err_set(err, errlen, "%s not in range [%s]", word,
			a->min_text ? a->min_text : "");
}

/* Is c in a regex-like character class body ("A-Za-z0-9-_.=")? */
static bool class_has(const char *cls, unsigned char c)
{
	for (size_t i = 0; cls[i]; i++) {
		unsigned char lo = (unsigned char)cls[i];

		if (cls[i + 1] == '-' && cls[i + 2]) {
			unsigned char hi = (unsigned char)cls[i + 2];

			if (c >= lo && c <= hi)
				return true;
			i += 2;
			continue;
		}
		if (c == lo)
			return true;
	}
	return false;
}

static int check_goodchars(const struct cmdsig_arg *a, const char *word,
			   char *err, size_t errlen)
{
	char bad[64];
	size_t nbad = 0;

	if (!a->goodchars)
		return 0;
	for (const unsigned char *p = (const unsigned char *)word; *p; p++) {
		if (class_has(a->goodchars, *p) || memchr(bad, *p, nbad))
			continue;
		if (nbad < sizeof(bad) - 1)
			bad[nbad++] = (char)*p;
	}
	if (!nbad)
		return 0;
	bad[nbad] = '\0';
	err_set(err, errlen, "invalid chars %s in %s", bad, word);
	return -EINVAL;
}

static int parse_uuid(const char *s, char canon[37])
{
	static const int groups[] = {8, 4, 4, 4, 12};
	char hex[33];
	size_t n = 0;

	/* Accept the forms Python's uuid.UUID does: optional braces and
	 * "urn:uuid:", dashes anywhere, 32 hex digits. */
	if (!strncmp(s, "urn:uuid:", 9))
		s += 9;
	if (*s == '{')
		s++;
	for (; *s && *s != '}'; s++) {
		if (*s == '-')
			continue;
		if (!isxdigit((unsigned char)*s) || n == 32)
			return -EINVAL;
		hex[n++] = (char)tolower((unsigned char)*s);
	}
	if (*s == '}' && s[1])
		return -EINVAL;
	if (n != 32)
		return -EINVAL;
	hex[32] = '\0';
	n = 0;
	for (size_t g = 0, o = 0; g < 5; g++) {
		if (g)
			canon[o++] = '-';
		memcpy(canon + o, hex + n, (size_t)groups[g]);
		o += (size_t)groups[g];
		n += (size_t)groups[g];
		canon[o] = '\0';
	}
	return 0;
}

static int parse_bool_word(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "True", "yes", "1", "on"};
	static const char *const no[] = {"false", "False", "no", "0", "off"};

	for (size_t i = 0; i < 5; i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *const entity_types[] = {"mon", "osd", "mds", "mgr", "client"};

int cmdsig_arg_value(const struct cmdsig_arg *a, const char *word,
		     json_t **val, char *err, size_t errlen)
{
	long long i;
	double d;
	bool b;
	char uuid[37];

	*val = NULL;
	switch (a->type) {
	case CMDSIG_LITERAL:
		if (strcmp(word, a->name)) {
			err_set(err, errlen, "%s not in %s", word, a->name);
			return -EINVAL;
		}
		*val = json_string(word);
		break;
	case CMDSIG_INT:
		if (!parse_int(word, &i)) {
			err_set(err, errlen, "%s doesn't represent an int", word);
			return -EINVAL;
		}
		if (!in_range(a, (double)i)) {
			range_err(a, word, err, errlen);
			return -EINVAL;
		}
		*val = json_integer(i);
		break;
	case CMDSIG_FLOAT:
		if (!parse_float(word, &d) || !isfinite(d)) {
			err_set(err, errlen, "%s doesn't represent a float", word);
			return -EINVAL;
		}
		if (!in_range(a, d)) {
			range_err(a, word, err, errlen);
			return -EINVAL;
		}
		*val = json_real(d);
		break;
	case CMDSIG_CHOICES:
		for (size_t k = 0; k < a->n_choices; k++)
			if (!strcmp(word, a->choices[k]))
				*val = json_string(word);
		if (!*val) {
			char types[4096];

			cmdsig_arg_typestr(a, types, sizeof(types));
			err_set(err, errlen, "%s not in %s", word, types);
			return -EINVAL;
		}
		break;
	case CMDSIG_OSDNAME: {
		const char *id = word;
		const char *dot = strchr(word, '.');

		if (dot) {
			if ((size_t)(dot - word) != 3 || strncmp(word, "osd", 3)) {
				err_set(err, errlen, "unknown type %.*s", (int)(dot - word), word);
				return -EINVAL;
			}
			id = dot + 1;
		}
		if (!parse_int(id, &i)) {
			err_set(err, errlen, "osd id %s not integer", id);
			return -EINVAL;
		}
		if (i < 0) {
			err_set(err, errlen, "osd id %lld is less than 0", i);
			return -EINVAL;
		}
		if (i > INT32_MAX) {
			err_set(err, errlen, "osd id %s not integer", id);
			return -EINVAL;
		}
		*val = json_integer(i);
		break;
	}
	case CMDSIG_NAME: {
		const char *dot = strchr(word, '.');
		bool known = false;

		if (!strcmp(word, "*")) {
			*val = json_string(word);
			break;
		}
		if (!dot) {
			err_set(err, errlen, "no . in %s", word);
			return -EINVAL;
		}
		for (size_t k = 0; k < sizeof(entity_types) / sizeof(entity_types[0]); k++)
			if ((size_t)(dot - word) == strlen(entity_types[k]) &&
			    !strncmp(word, entity_types[k], (size_t)(dot - word)))
				known = true;
		if (!known) {
			err_set(err, errlen, "unknown type %.*s", (int)(dot - word), word);
			return -EINVAL;
		}
		if (!dot[1]) {
			err_set(err, errlen, "no id in %s", word);
			return -EINVAL;
		}
		*val = json_string(word);
		break;
	}
	case CMDSIG_BOOL:
		if (parse_bool_word(word, &b)) {
			err_set(err, errlen, "%s doesn't represent a bool", word);
			return -EINVAL;
		}
		*val = json_boolean(b);
		break;
	case CMDSIG_UUID:
		if (parse_uuid(word, uuid)) {
			err_set(err, errlen, "invalid UUID %s: badly formed hexadecimal UUID string",
				word);
			return -EINVAL;
		}
		*val = json_string(uuid);
		break;
	case CMDSIG_STRING:
		if (check_goodchars(a, word, err, errlen))
			return -EINVAL;
		*val = json_string(word);
		break;
	case CMDSIG_POOLNAME:
	case CMDSIG_OBJECTNAME:
	case CMDSIG_FILEPATH:
	case CMDSIG_OTHER:
		*val = json_string(word);
		break;
	}
	if (!*val) {
		/* json_string() refuses invalid UTF-8 */
		err_set(err, errlen, "%s is not valid UTF-8", word);
		return -EINVAL;
	}
	return 0;
}

/* ---- matching ---- */

/* Dashes and underscores are one in argument names. */
static bool name_eq(const char *a, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < blen && a[i]; i++) {
		char x = a[i] == '-' ? '_' : a[i];
		char y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return false;
	}
	return i == blen && !a[i];
}

static int find_arg(const struct cmdsig *s, const char *name, size_t len)
{
	for (size_t i = s->n_prefix; i < s->n_args; i++)
		if (s->args[i].type != CMDSIG_LITERAL && name_eq(s->args[i].name, name, len))
			return (int)i;
	return -1;
}

/* "--name..." is a named argument unless it is one of the signature's
 * choices (`osd crush tree --show-shadow` is a CephChoices value). */
static bool is_named_word(const struct cmdsig *s, const char *w)
{
	if (w[0] != '-' || w[1] != '-' || !isalpha((unsigned char)w[2]))
		return false;
	for (size_t i = s->n_prefix; i < s->n_args; i++)
		for (size_t k = 0; k < s->args[i].n_choices; k++)
			if (!strcmp(w, s->args[i].choices[k]))
				return false;
	return true;
}

/* Adds val (stolen) to obj under a's name: arrays for repeated args. */
static int put_value(json_t *obj, const struct cmdsig_arg *a, json_t *val)
{
	if (a->repeat) {
		json_t *arr = json_object_get(obj, a->name);

		if (!arr) {
			arr = json_array();
			if (!arr || json_object_set_new(obj, a->name, arr)) {
				json_decref(val);
				return -ENOMEM;
			}
		}
		return json_array_append_new(arr, val) ? -ENOMEM : 0;
	}
	return json_object_set_new(obj, a->name, val) ? -ENOMEM : 0;
}

/*
 * Tries one signature whose prefix matched.  Returns 0 with *out set, 1
 * with the reason in err (the words do not fit), or -ENOMEM.
 */
static int match_one(const struct cmdsig *s, int nwords, const char *const *words,
		     json_t **out, char *err, size_t errlen)
{
	json_t *obj = json_object();
	const char **pos = NULL;
	bool *named = NULL;
	size_t npos = 0, p = 0;
	int rc = 1;

	*out = NULL;
	if (!obj)
		return -ENOMEM;
	pos = calloc((size_t)nwords + 1, sizeof(*pos));
	named = calloc(s->n_args + 1, sizeof(*named));
	if (!pos || !named) {
		rc = -ENOMEM;
		goto out;
	}
	if (json_object_set_new(obj, "prefix", json_string(s->prefix))) {
		rc = -ENOMEM;
		goto out;
	}

	/* Named arguments first: --name=value, --name value, --flag. */
	for (int w = (int)s->n_prefix; w < nwords; w++) {
		const char *word = words[w], *name, *eq, *value = NULL;
		const struct cmdsig_arg *a;
		size_t nlen;
		json_t *val;
		int idx, r;

		if (!is_named_word(s, word)) {
			pos[npos++] = word;
			continue;
		}
		name = word + 2;
		eq = strchr(name, '=');
		nlen = eq ? (size_t)(eq - name) : strlen(name);
		idx = find_arg(s, name, nlen);
		if (idx < 0) {
			err_set(err, errlen, "Unexpected argument '%s'", word);
			goto out;
		}
		a = &s->args[idx];
		if (eq)
			value = eq + 1;
		else if (a->type == CMDSIG_BOOL)
			value = "true";
		else if (w + 1 < nwords)
			value = words[++w];
		else {
			err_set(err, errlen, "Unexpected argument '%s'", word);
			goto out;
		}
		r = cmdsig_arg_value(a, value, &val, err, errlen);
		if (r)
			goto out;
		r = put_value(obj, a, val);
		if (r) {
			rc = r;
			goto out;
		}
		named[idx] = true;
	}

	/* Then the positional words, in order. */
	for (size_t i = s->n_prefix; i < s->n_args; i++) {
		const struct cmdsig_arg *a = &s->args[i];
		char why[512], types[4096];
		json_t *val;
		size_t taken = 0;
		int r;

		if (named[i] || a->type == CMDSIG_BOOL)
			continue;
		if (a->type == CMDSIG_LITERAL) {
			/* a literal after the arguments must be there */
			if (p < npos && !strcmp(pos[p], a->name)) {
				p++;
				continue;
			}
			err_set(err, errlen, "missing required parameter %s", a->name);
			goto out;
		}
		while (p < npos) {
			r = cmdsig_arg_value(a, pos[p], &val, why, sizeof(why));
			if (r)
				break;
			r = put_value(obj, a, val);
			if (r) {
				rc = r;
				goto out;
			}
			p++;
			taken++;
			if (!a->repeat)
				break;
		}
		/* A repeated argument takes every word that follows; one its
		 * type refuses is an error, as in Ceph. */
		if (taken && a->repeat && p < npos) {
			err_set(err, errlen, "%s", why);
			goto out;
		}
		if (taken)
			continue;
		if (!a->req)
			continue;
		if (p < npos) {
			err_set(err, errlen, "%s", why);
			goto out;
		}
		cmdsig_arg_typestr(a, types, sizeof(types));
		if (a->repeat)
			err_set(err, errlen, "saw 0 of %s(%s)..., expected at least 1", a->name,
				types);
		else
			err_set(err, errlen, "missing required parameter %s(%s)", a->name, types);
		goto out;
	}
	if (p < npos) {
		/* Python's list repr: ['a', 'b'] */
		struct strbuf b = {err, errlen, 0};

		if (errlen)
			err[0] = '\0';
		sb_add(&b, "unused arguments: [");
		for (size_t k = p; k < npos; k++)
			sb_add(&b, "%s'%s'", k > p ? ", " : "", pos[k]);
		sb_add(&b, "]");
		goto out;
	}
	/* Members in the signature's order, whatever order the words came in. */
	*out = json_object();
	if (!*out || json_object_set(*out, "prefix", json_object_get(obj, "prefix"))) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = s->n_prefix; i < s->n_args; i++) {
		json_t *v = json_object_get(obj, s->args[i].name);

		if (v && s->args[i].type != CMDSIG_LITERAL &&
		    json_object_set(*out, s->args[i].name, v)) {
			rc = -ENOMEM;
			goto out;
		}
	}
	rc = 0;
out:
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	json_decref(obj);
	free(pos);
	free(named);
	return rc;
}

/* How many leading words equal the signature's literal words. */
static size_t prefix_words(const struct cmdsig *s, int nwords, const char *const *words)
{
	size_t k = 0;

	while (k < s->n_prefix && (int)k < nwords && !strcmp(words[k], s->args[k].name))
		k++;
	return k;
}

int cmdsig_match(const struct cmdsig_table *t, int nwords,
		 const char *const *words, struct cmdsig_match_result *res)
{
	size_t best = 0;
	bool have_err = false;

	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < t->n; i++) {
		const struct cmdsig *s = &t->sigs[i];

		if (prefix_words(s, nwords, words) == s->n_prefix && s->n_prefix > best)
			best = s->n_prefix;
	}
	/* Longest full prefix first; a shorter one only if no longer fits. */
	for (size_t len = best; len > 0; len--) {
		for (size_t i = 0; i < t->n; i++) {
			const struct cmdsig *s = &t->sigs[i];
			char why[sizeof(res->reason)];
			json_t *cmd;
			int rc;

			if (s->n_prefix != len || prefix_words(s, nwords, words) != len)
				continue;
			rc = match_one(s, nwords, words, &cmd, why, sizeof(why));
			if (rc < 0)
				return rc;
			if (rc == 0) {
				memset(res, 0, sizeof(*res));
				res->result = CMDSIG_OK;
				res->cmd = cmd;
				res->sig = s;
				return 0;
			}
			if (!have_err) {
				memcpy(res->reason, why, sizeof(why));
				have_err = true;
			}
			if (len == best && res->n_near < sizeof(res->near) / sizeof(res->near[0]))
				res->near[res->n_near++] = s;
		}
	}
	if (have_err) {
		res->result = CMDSIG_INVALID;
		return 0;
	}

	/* Nothing matched: the closest signatures, most leading words
	 * matched first (partial credit when the next word starts the
	 * signature's next one), in table order among equals. */
	res->result = CMDSIG_NO_MATCH;
	size_t *score = calloc(t->n ? t->n : 1, sizeof(*score));
	size_t top = 0;

	if (!score)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		const struct cmdsig *s = &t->sigs[i];
		size_t k = prefix_words(s, nwords, words);

		score[i] = 2 * k;
		if (k < s->n_prefix && (int)k < nwords &&
		    !strncmp(s->args[k].name, words[k], strlen(words[k])))
			score[i]++;
		if (score[i] > top)
			top = score[i];
	}
	for (size_t sc = top + 1; sc-- > 0 && res->n_near < 10;)
		for (size_t i = 0; i < t->n && res->n_near < 10; i++)
			if (score[i] == sc)
				res->near[res->n_near++] = &t->sigs[i];
	free(score);
	return 0;
}
