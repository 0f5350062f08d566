/*
 * ceph.conf syntax, as Ceph 16.2 reads it (checked with ceph-conf):
 *
 *   [section]              a header; names are case-sensitive
 *   key = value            key normalized (see conf_normalize_key)
 *   # or ; to end of line  comments, also after a value or a header
 *   a \<newline> b         a backslash at end of line joins the next line
 *   "quoted" or 'quoted'   a whole value in quotes; \" escapes inside
 *   a\#b  a\;b  a\\b        a backslash makes the next character literal
 *
 * A key before any header, a line without `=`, an unterminated quote or
 * text after a quoted value or a header is an error naming file:line.
 * Where we differ from Ceph: spaces inside a header (`[ osd.1 ]`) are
 * trimmed, `#` and `;` are allowed inside quotes, and NUL bytes are
 * rejected.  Duplicate keys keep the last value; a repeated header merges
 * into the first section of that name.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config_internal.h"

#define CONF_SECTIONS_MAX 65536

static void file_err(char *err, size_t errlen, const char *file,
		     unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void file_err(char *err, size_t errlen, const char *file,
		     unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!err || errlen == 0)
		return;
	n = snprintf(err, errlen, "%s:%u: ", file ? file : "<buffer>", line);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

const struct conf_kv *conf__section_get(const struct conf_section *sec,
					const char *key)
{
	if (!sec)
		return NULL;
	for (size_t i = 0; i < sec->n; i++)
		if (strcmp(sec->kv[i].key, key) == 0)
			return &sec->kv[i];
	return NULL;
}

int conf__section_put(struct conf_section *sec, const char *key,
		      const char *value, unsigned line)
{
	char *v = strdup(value);

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < sec->n; i++) {
		if (strcmp(sec->kv[i].key, key) == 0) {
			free(sec->kv[i].value);
			sec->kv[i].value = v;
			sec->kv[i].line = line;
			return 0;
		}
	}
	if (sec->n == sec->cap) {
		size_t ncap = sec->cap ? sec->cap * 2 : 8;
		struct conf_kv *nkv = realloc(sec->kv, ncap * sizeof(*nkv));
		if (!nkv)
			goto out_free;
		sec->kv = nkv;
		sec->cap = ncap;
	}
	char *k = strdup(key);
	if (!k)
		goto out_free;
	sec->kv[sec->n].key = k;
	sec->kv[sec->n].value = v;
	sec->kv[sec->n].line = line;
	sec->n++;
	return 0;
out_free:
	free(v);
	return -ENOMEM;
}

void conf__section_release(struct conf_section *sec)
{
	for (size_t i = 0; i < sec->n; i++) {
		free(sec->kv[i].key);
		free(sec->kv[i].value);
	}
	free(sec->kv);
	free(sec->name);
	memset(sec, 0, sizeof(*sec));
}

void conf__file_release(struct conf_file *file)
{
	for (size_t i = 0; i < file->n; i++)
		conf__section_release(&file->sec[i]);
	free(file->sec);
	memset(file, 0, sizeof(*file));
}

const struct conf_section *conf__file_section(const struct conf_file *file,
					      const char *name)
{
	for (size_t i = 0; i < file->n; i++)
		if (strcmp(file->sec[i].name, name) == 0)
			return &file->sec[i];
	return NULL;
}

/* The section named name, created at the end if new. */
static int file_section(struct conf_file *file, const char *name,
			struct conf_section **out)
{
	for (size_t i = 0; i < file->n; i++) {
		if (strcmp(file->sec[i].name, name) == 0) {
			*out = &file->sec[i];
			return 0;
		}
	}
	if (file->n >= CONF_SECTIONS_MAX)
		return -E2BIG;
	if (file->n == file->cap) {
		size_t ncap = file->cap ? file->cap * 2 : 4;
		struct conf_section *ns = realloc(file->sec, ncap * sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		file->sec = ns;
		file->cap = ncap;
	}
	struct conf_section *s = &file->sec[file->n];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name)
		return -ENOMEM;
	file->n++;
	*out = s;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int is_comment(char c)
{
	return c == '#' || c == ';';
}

/* Only blanks, then optionally a comment, remain in [p, end). */
static int only_comment_left(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p == end || is_comment(*p);
}

/*
 * The value starting at p (leading blanks skipped) into out (room for
 * end - p + 1 bytes).  Returns 0 or -EINVAL with a reason in *why.
 */
static int parse_value(const char *p, const char *end, char *out,
		       const char **why)
{
	size_t n = 0;

	while (p < end && is_blank(*p))
		p++;
	if (p < end && (*p == '"' || *p == '\'')) {
		char q = *p++;
		for (;;) {
			if (p == end) {
				*why = q == '"' ? "unterminated \"quoted\" value"
						: "unterminated 'quoted' value";
				return -EINVAL;
			}
			if (*p == q)
				break;
			if (*p == '\\' && p + 1 < end)
				p++;
			out[n++] = *p++;
		}
		if (!only_comment_left(p + 1, end)) {
			*why = "unexpected text after a quoted value";
			return -EINVAL;
		}
		out[n] = '\0';
		return 0;
	}
	size_t keep = 0; /* length up to the last character not to trim */
	while (p < end && !is_comment(*p)) {
		if (*p == '\\' && p + 1 < end) {
			out[n++] = p[1];
			p += 2;
			keep = n;
			continue;
		}
		out[n++] = *p;
		if (!is_blank(*p))
			keep = n;
		p++;
	}
	out[keep] = '\0';
	return 0;
}

/* One logical line (continuations already joined); NUL-free. */
static int parse_line(struct conf_file *file, struct conf_section **cur,
		      char *line, size_t len, const char *filename,
		      unsigned lineno, char *err, size_t errlen)
{
	char *p = line, *end = line + len;
	char key[CONF_KEY_MAX];
	const char *why = NULL;
	int rc;

	while (p < end && is_blank(*p))
		p++;
	if (p == end || is_comment(*p))
		return 0;
	if (*p == '[') {
		char *close = memchr(p, ']', (size_t)(end - p));
		if (!close) {
			file_err(err, errlen, filename, lineno,
				 "missing ']' in section header");
			return -EINVAL;
		}
		if (!only_comment_left(close + 1, end)) {
			file_err(err, errlen, filename, lineno,
				 "unexpected text after section header");
			return -EINVAL;
		}
		char *name = p + 1;
		while (name < close && is_blank(*name))
			name++;
		while (close > name && is_blank(close[-1]))
			close--;
		if (close == name) {
			file_err(err, errlen, filename, lineno,
				 "empty section name");
			return -EINVAL;
		}
		*close = '\0';
		rc = file_section(file, name, cur);
		if (rc == -E2BIG)
			file_err(err, errlen, filename, lineno,
				 "more than %d sections", CONF_SECTIONS_MAX);
		return rc == -E2BIG ? -EINVAL : rc;
	}
	char *eq = memchr(p, '=', (size_t)(end - p));
	char *stop = eq ? eq : end;
	for (char *c = p; c < stop; c++) {
		if (is_comment(*c) || *c == '[' || *c == ']' || *c == '"' ||
		    *c == '\'' || *c == '\\') {
			stop = c;
			break;
		}
	}
	if (!eq || stop != eq) {
		file_err(err, errlen, filename, lineno,
			 "expected 'key = value', got '%.*s'",
			 (int)(end - p > 60 ? 60 : end - p), p);
		return -EINVAL;
	}
	*eq = '\0';
	rc = conf_normalize_key(p, key, sizeof(key));
	if (rc != 0) {
		file_err(err, errlen, filename, lineno, "%s",
			 rc == -ENAMETOOLONG ? "key too long" : "empty key");
		return -EINVAL;
	}
	if (!*cur) {
		file_err(err, errlen, filename, lineno,
			 "'%s' is outside any [section]", key);
		return -EINVAL;
	}
	/* the value is never longer than the text it comes from */
	rc = parse_value(eq + 1, end, eq + 1, &why);
	if (rc != 0) {
		file_err(err, errlen, filename, lineno, "%s: %s", key, why);
		return rc;
	}
	return conf__section_put(*cur, key, eq + 1, lineno);
}

int conf__file_parse(const char *buf, size_t len, const char *filename,
		     struct conf_file *out, char *err, size_t errlen)
{
	struct conf_file file = { 0 };
	struct conf_section *cur = NULL;
	char *line = NULL;
	size_t pos = 0;
	unsigned lineno = 0;
	int rc = 0;

	if (memchr(buf, '\0', len)) {
		size_t at = (size_t)((const char *)memchr(buf, '\0', len) - buf);
		unsigned nl = 1;
		for (size_t i = 0; i < at; i++)
			nl += buf[i] == '\n';
		file_err(err, errlen, filename, nl, "NUL byte in file");
		return -EINVAL;
	}
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3; /* a UTF-8 byte order mark */
	line = malloc(len + 1);
	if (!line)
		return -ENOMEM;
	while (pos < len) {
		size_t n = 0;
		unsigned first = ++lineno;
		for (;;) {
			const char *nl = memchr(buf + pos, '\n', len - pos);
			size_t seg = nl ? (size_t)(nl - (buf + pos)) : len - pos;
			size_t next = pos + seg + (nl ? 1 : 0);
			if (seg > 0 && buf[pos + seg - 1] == '\r')
				seg--;
			size_t bs = 0;
			while (bs < seg && buf[pos + seg - 1 - bs] == '\\')
				bs++;
			int cont = (bs & 1) && nl;
			memcpy(line + n, buf + pos, seg - (cont ? 1 : 0));
			n += seg - (cont ? 1 : 0);
			pos = next;
			if (!cont || pos >= len)
				break;
			lineno++;
		}
		line[n] = '\0';
		rc = parse_line(&file, &cur, line, n, filename, first, err,
				errlen);
		if (rc != 0)
			goto out_fail;
	}
	free(line);
	*out = file;
	return 0;
out_fail:
	free(line);
	conf__file_release(&file);
	return rc;
}
