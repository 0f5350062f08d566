/*
 * Option values and key spellings: the typed parsers (integers with SI
 * suffixes, byte sizes, durations, booleans, floats, addresses, log
 * levels), the validation that names the option in its error, and key
 * normalization.  The accepted forms follow Ceph 16.2 as observed with
 * ceph-conf (ints take K/M/G/T/P/E as powers of 1000; sizes take B, K, KB,
 * Ki, M, MB, Mi... as powers of 1024; durations take s/m/h/d/w units),
 * widened where Ceph is needlessly strict (booleans also take yes/no/on/
 * off) and narrowed where it is dangerous (floats must be finite).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/config_internal.h"

static void trim(const char **s, const char **end)
{
	while (*s < *end && isspace((unsigned char)**s))
		(*s)++;
	while (*end > *s && isspace((unsigned char)(*end)[-1]))
		(*end)--;
}

/* At least one decimal digit; stops at the first non-digit. */
static int parse_digits(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;

	if (s == end || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (; s < end && isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*p = s;
	*out = v;
	return 0;
}

static int mul_check(uint64_t v, uint64_t mult, uint64_t *out)
{
	if (mult && v > UINT64_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

static const char si_letters[] = "KMGTPE";

/* Magnitude and sign of an integer with an optional K..E (x1000) suffix. */
static int parse_si(const char *s, bool allow_sign, bool *neg, uint64_t *mag)
{
	const char *end = s + strlen(s);
	uint64_t v, mult = 1;
	int rc;

	trim(&s, &end);
	*neg = false;
	if (s < end && (*s == '-' || *s == '+')) {
		if (!allow_sign && *s == '-')
			return -EINVAL;
		*neg = *s == '-';
		s++;
	}
	rc = parse_digits(&s, end, &v);
	if (rc)
		return rc;
	if (s < end) {
		const char *l = strchr(si_letters, *s);
		if (!l || *s == '\0' || s + 1 != end)
			return -EINVAL;
		for (long i = 0; i <= l - si_letters; i++)
			mult *= 1000;
		s++;
	}
	return mul_check(v, mult, mag);
}

int conf__parse_int(const char *s, int64_t *out)
{
	bool neg;
	uint64_t mag;
	int rc = parse_si(s, true, &neg, &mag);

	if (rc)
		return rc;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*out = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return -ERANGE;
		*out = (int64_t)mag;
	}
	return 0;
}

int conf__parse_uint(const char *s, uint64_t *out)
{
	bool neg;

	return parse_si(s, false, &neg, out);
}

int conf__parse_float(const char *s, double *out)
{
	const char *end = s + strlen(s);
	char buf[128], *stop;

	trim(&s, &end);
	if (s == end || (size_t)(end - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	errno = 0;
	double v = strtod(buf, &stop);
	if (*stop != '\0' || stop == buf)
		return -EINVAL;
	if (!isfinite(v) || errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

int conf__parse_bool(const char *s, bool *out)
{
	static const struct {
		const char *word;
		bool value;
	} words[] = {
		{ "true", true }, { "yes", true }, { "on", true },
		{ "false", false }, { "no", false }, { "off", false },
	};
	const char *end = s + strlen(s);
	int64_t v;

	trim(&s, &end);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].word);
		if ((size_t)(end - s) == n && strncasecmp(s, words[i].word, n) == 0) {
			*out = words[i].value;
			return 0;
		}
	}
	/* Ceph takes any integer, nonzero meaning true */
	char buf[32];
	if (s == end || (size_t)(end - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(end - s));
	buf[end - s] = '\0';
	if (strpbrk(buf, si_letters) || conf__parse_int(buf, &v) != 0)
		return -EINVAL;
	*out = v != 0;
	return 0;
}

int conf__parse_size(const char *s, uint64_t *out)
{
	const char *end = s + strlen(s);
	uint64_t v, mult = 1;
	int rc;

	trim(&s, &end);
	rc = parse_digits(&s, end, &v);
	if (rc)
		return rc;
	size_t rest = (size_t)(end - s);
	if (rest == 1 && *s == 'B') {
		/* bytes */
	} else if (rest >= 1) {
		const char *l = strchr(si_letters, *s);
		if (!l || *s == '\0')
			return -EINVAL;
		if (rest == 2 && s[1] != 'i' && s[1] != 'B')
			return -EINVAL;
		if (rest > 2)
			return -EINVAL;
		for (long i = 0; i <= l - si_letters; i++)
			mult *= 1024;
	}
	return mul_check(v, mult, out);
}

int conf__parse_secs(const char *s, uint64_t *out)
{
	static const struct {
		const char *unit;
		uint64_t secs;
	} units[] = {
		{ "s", 1 }, { "sec", 1 }, { "secs", 1 }, { "second", 1 },
		{ "seconds", 1 }, { "m", 60 }, { "min", 60 }, { "mins", 60 },
		{ "minute", 60 }, { "minutes", 60 }, { "h", 3600 },
		{ "hr", 3600 }, { "hrs", 3600 }, { "hour", 3600 },
		{ "hours", 3600 }, { "d", 86400 }, { "day", 86400 },
		{ "days", 86400 }, { "w", 604800 }, { "wk", 604800 },
		{ "wks", 604800 }, { "week", 604800 }, { "weeks", 604800 },
	};
	const char *end = s + strlen(s);
	uint64_t total = 0;
	int rc;

	trim(&s, &end);
	if (s == end)
		return -EINVAL;
	while (s < end) {
		uint64_t v, mult = 1, part;
		rc = parse_digits(&s, end, &v);
		if (rc)
			return rc;
		while (s < end && *s == ' ')
			s++;
		const char *u = s;
		while (s < end && isalpha((unsigned char)*s))
			s++;
		if (s > u) {
			size_t n = (size_t)(s - u), i;
			for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
				if (strlen(units[i].unit) == n &&
				    memcmp(units[i].unit, u, n) == 0)
					break;
			if (i == sizeof(units) / sizeof(units[0]))
				return -EINVAL;
			mult = units[i].secs;
		}
		if (mul_check(v, mult, &part) || total > UINT64_MAX - part)
			return -ERANGE;
		total += part;
		while (s < end && *s == ' ')
			s++;
	}
	*out = total;
	return 0;
}

static int parse_log_level(const char *s)
{
	const char *end = s + strlen(s);
	uint64_t v;

	trim(&s, &end);
	if (parse_digits(&s, end, &v) || v > 99)
		return -EINVAL;
	if (s == end)
		return 0;
	if (*s++ != '/' || parse_digits(&s, end, &v) || v > 99 || s != end)
		return -EINVAL;
	return 0;
}

int conf_validate(const struct conf_option *opt, const char *value,
		  char *err, size_t errlen)
{
	const char *what = NULL, *hint = "";
	char reason[160] = "";
	int rc = 0;
	union {
		int64_t i;
		uint64_t u;
		double f;
		bool b;
	} v;

	switch (opt->type) {
	case CONF_TYPE_STR:
		if ((opt->flags & CONF_OPT_LOG_LEVEL) && parse_log_level(value)) {
			rc = -EINVAL;
			what = "log level";
			hint = " (expected N or N/M, 0-99)";
		}
		break;
	case CONF_TYPE_INT:
		rc = conf__parse_int(value, &v.i);
		what = "integer";
		break;
	case CONF_TYPE_UINT:
		rc = conf__parse_uint(value, &v.u);
		what = "integer";
		if (rc == -EINVAL && strchr(value, '-'))
			hint = " (must not be negative)";
		break;
	case CONF_TYPE_FLOAT:
		rc = conf__parse_float(value, &v.f);
		what = "float";
		break;
	case CONF_TYPE_BOOL:
		rc = conf__parse_bool(value, &v.b);
		what = "boolean";
		hint = " (expected true/false, yes/no, on/off or a number)";
		break;
	case CONF_TYPE_SIZE:
		rc = conf__parse_size(value, &v.u);
		what = "size";
		hint = " (expected bytes with an optional K, M, G, T, P, E, "
		       "Ki, Mi... suffix)";
		break;
	case CONF_TYPE_SECS:
		rc = conf__parse_secs(value, &v.u);
		what = "duration";
		hint = " (expected seconds, or a number with s, m, h, d, w)";
		break;
	case CONF_TYPE_ADDR: {
		struct addr_entry a;
		const char *p = value;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || strcmp(p, "-") == 0)
			break;
		rc = addr_parse_one(value, ADDR_DEFAULT_MON_PORT, &a, reason,
				    sizeof(reason));
		what = "address";
		break;
	}
	}
	if (rc == 0)
		return 0;
	if (err && errlen) {
		if (reason[0])
			snprintf(err, errlen, "%s: invalid %s '%s': %s", opt->name,
				 what, value, reason);
		else
			snprintf(err, errlen, "%s: %s %s '%s'%s", opt->name,
				 rc == -ERANGE ? "out of range" : "invalid", what,
				 value, rc == -ERANGE ? "" : hint);
	}
	return -EINVAL;
}

int conf_normalize_key(const char *key, char *out, size_t outlen)
{
	const char *end = key + strlen(key);
	size_t n = 0;

	trim(&key, &end);
	if (key == end)
		return -EINVAL;
	while (key < end) {
		char c = *key++;
		if (c == ' ' || c == '\t') {
			while (key < end && (*key == ' ' || *key == '\t'))
				key++;
			c = '_';
		} else if (c == '-') {
			c = '_';
		}
		if (n + 1 >= outlen)
			return -ENAMETOOLONG;
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}
