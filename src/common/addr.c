/*
 * Address lists (mon_host, -m, public_addr): a pure parser that splits and
 * checks the text without touching DNS, and a resolver that expands each
 * entry into all of its A and AAAA records.  The grammar accepted, per
 * entry:
 *
 *   host | host:port | IPv4 | IPv4:port | IPv6 | [IPv6] | [IPv6]:port
 *   v1:ADDR | v2:ADDR | any:ADDR              (ADDR one of the above)
 *   [v2:ADDR,v1:ADDR]                         (an addrvec; v1 chosen)
 *
 * Any ADDR may carry Ceph's `/nonce` suffix (`10.0.0.1:6789/0`), which is
 * ignored.  Entries are separated by commas, semicolons or whitespace
 * outside brackets.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/errbuf.h"
#include "common/addr.h"

#define ADDR_LIST_MAX 1024 /* entries; a monitor list is a handful */

static int is_sep(char c)
{
	return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' ||
	       c == '\r';
}

static int parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned long v = 0;

	if (len == 0 || len > 5)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static int valid_hostname(const char *s, size_t len)
{
	if (len == 0 || len > 253)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
			return 0;
	}
	return s[0] != '.' && s[0] != '-';
}

/* Copy [s, s+len) into out->host if it is an IP literal of the family. */
static int take_ip(const char *s, size_t len, int family,
		   struct addr_entry *out)
{
	unsigned char buf[sizeof(struct in6_addr)];
	char tmp[ADDR_HOST_MAX];

	if (len == 0 || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(family, tmp, buf) != 1)
		return -EINVAL;
	memcpy(out->host, tmp, len + 1);
	out->numeric = 1;
	return 0;
}

/* Drop Ceph's trailing `/nonce`. */
static size_t strip_nonce(const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	if (i > 0 && i < len && s[i - 1] == '/')
		return i - 1;
	return len;
}

/* host | host:port | IPv4[:port] | IPv6 | [IPv6][:port], no v1/v2 prefix. */
static int parse_plain(const char *s, size_t len, uint16_t default_port,
		       struct addr_entry *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->port = default_port;
	len = strip_nonce(s, len);
	if (len == 0) {
		err_set(err, errlen, "empty address");
		return -EINVAL;
	}
	if (s[0] == '[') {
		const char *close = memchr(s, ']', len);
		if (!close) {
			err_set(err, errlen, "missing ']' in '%.*s'", (int)len, s);
			return -EINVAL;
		}
		size_t inner = (size_t)(close - s) - 1;
		if (take_ip(s + 1, inner, AF_INET6, out) != 0) {
			err_set(err, errlen, "bad IPv6 address '%.*s'", (int)inner,
				s + 1);
			return -EINVAL;
		}
		size_t rest = len - inner - 2;
		if (rest == 0)
			return 0;
		if (close[1] != ':' ||
		    parse_port(close + 2, rest - 1, &out->port) != 0) {
			err_set(err, errlen, "bad port in '%.*s'", (int)len, s);
			return -EINVAL;
		}
		out->port_given = 1;
		return 0;
	}
	size_t colons = 0, last = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ':') {
			colons++;
			last = i;
		}
	if (colons > 1) {
		/* a bare IPv6 literal can carry no port */
		if (take_ip(s, len, AF_INET6, out) != 0) {
			err_set(err, errlen, "bad IPv6 address '%.*s'", (int)len, s);
			return -EINVAL;
		}
		return 0;
	}
	size_t hlen = colons ? last : len;
	if (colons) {
		if (parse_port(s + last + 1, len - last - 1, &out->port) != 0) {
			err_set(err, errlen, "bad port in '%.*s'", (int)len, s);
			return -EINVAL;
		}
		out->port_given = 1;
	}
	if (take_ip(s, hlen, AF_INET, out) == 0)
		return 0;
	if (!valid_hostname(s, hlen)) {
		err_set(err, errlen, "bad host name '%.*s'", (int)hlen, s);
		return -EINVAL;
	}
	memcpy(out->host, s, hlen);
	out->host[hlen] = '\0';
	return 0;
}

/* Length of a `v1:`, `v2:` or `any:` prefix at s, else 0; *kind = 1/2/0. */
static size_t proto_prefix(const char *s, size_t len, int *kind)
{
	if (len >= 3 && s[0] == 'v' && (s[1] == '1' || s[1] == '2') &&
	    s[2] == ':') {
		*kind = s[1] - '0';
		return 3;
	}
	if (len >= 4 && memcmp(s, "any:", 4) == 0) {
		*kind = 0;
		return 4;
	}
	return 0;
}

/* [v2:A,v1:B]: the v1 member if any, else the first member. */
static int parse_addrvec(const char *s, size_t len, uint16_t default_port,
			 struct addr_entry *out, char *err, size_t errlen)
{
	struct addr_entry cand;
	int have = 0, have_v1 = 0;
	size_t i = 0;

	if (len < 2 || s[len - 1] != ']') {
		err_set(err, errlen, "bad address vector '%.*s'", (int)len, s);
		return -EINVAL;
	}
	s++;
	len -= 2;
	while (i < len) {
		size_t start = i;
		int depth = 0, kind;
		while (i < len && (depth > 0 || s[i] != ',')) {
			if (s[i] == '[')
				depth++;
			else if (s[i] == ']')
				depth--;
			i++;
		}
		size_t plen = proto_prefix(s + start, i - start, &kind);
		if (plen == 0) {
			err_set(err, errlen, "address vector member '%.*s' lacks "
				"v1:/v2: prefix", (int)(i - start), s + start);
			return -EINVAL;
		}
		int rc = parse_plain(s + start + plen, i - start - plen,
				     default_port, &cand, err, errlen);
		if (rc != 0)
			return rc;
		if (!have || (kind == 1 && !have_v1)) {
			*out = cand;
			have = 1;
			have_v1 = kind == 1;
		}
		if (i < len)
			i++; /* the comma */
		if (i == len && s[len - 1] == ',') {
			err_set(err, errlen, "empty member in address vector");
			return -EINVAL;
		}
	}
	if (!have) {
		err_set(err, errlen, "empty address vector");
		return -EINVAL;
	}
	return 0;
}

static int parse_entry(const char *s, size_t len, uint16_t default_port,
		       struct addr_entry *out, char *err, size_t errlen)
{
	int kind;

	if (len > 3 && s[0] == '[' && proto_prefix(s + 1, len - 1, &kind))
		return parse_addrvec(s, len, default_port, out, err, errlen);
	size_t plen = proto_prefix(s, len, &kind);
	return parse_plain(s + plen, len - plen, default_port, out, err, errlen);
}

int addr_list_parse(const char *text, uint16_t default_port,
		    struct addr_entry **out, size_t *count,
		    char *err, size_t errlen)
{
	struct addr_entry *v = NULL;
	size_t n = 0, cap = 0, i = 0, len;
	int rc;

	*out = NULL;
	*count = 0;
	if (!text) {
		err_set(err, errlen, "no address given");
		return -EINVAL;
	}
	len = strlen(text);
	while (i < len) {
		while (i < len && is_sep(text[i]))
			i++;
		if (i == len)
			break;
		size_t start = i;
		int depth = 0;
		while (i < len && (depth > 0 || !is_sep(text[i]))) {
			if (text[i] == '[')
				depth++;
			else if (text[i] == ']' && depth > 0)
				depth--;
			i++;
		}
		if (depth > 0) {
			err_set(err, errlen, "missing ']' in '%s'", text + start);
			rc = -EINVAL;
			goto out_free;
		}
		if (n == cap) {
			if (cap >= ADDR_LIST_MAX) {
				err_set(err, errlen, "more than %d addresses",
					ADDR_LIST_MAX);
				rc = -EINVAL;
				goto out_free;
			}
			size_t ncap = cap ? cap * 2 : 4;
			struct addr_entry *nv = realloc(v, ncap * sizeof(*v));
			if (!nv) {
				rc = -ENOMEM;
				goto out_free;
			}
			v = nv;
			cap = ncap;
		}
		rc = parse_entry(text + start, i - start, default_port, &v[n],
				 err, errlen);
		if (rc != 0)
			goto out_free;
		n++;
	}
	if (n == 0) {
		err_set(err, errlen, "empty address list");
		rc = -EINVAL;
		goto out_free;
	}
	*out = v;
	*count = n;
	return 0;
out_free:
	free(v);
	return rc;
}

int addr_parse_one(const char *text, uint16_t default_port,
		   struct addr_entry *out, char *err, size_t errlen)
{
	struct addr_entry *v;
	size_t n;
	int rc = addr_list_parse(text, default_port, &v, &n, err, errlen);

	if (rc != 0)
		return rc;
	if (n != 1) {
		err_set(err, errlen, "expected one address, got %zu", n);
		free(v);
		return -EINVAL;
	}
	*out = v[0];
	free(v);
	return 0;
}

static int same_sockaddr(const struct sockaddr_storage *a,
			 const struct addrinfo *ai)
{
	if (a->ss_family != ai->ai_family)
		return 0;
	if (ai->ai_family == AF_INET)
		return memcmp(a, ai->ai_addr, sizeof(struct sockaddr_in)) == 0;
	if (ai->ai_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a;
		const struct sockaddr_in6 *y = (const void *)ai->ai_addr;
		return x->sin6_port == y->sin6_port &&
		       x->sin6_scope_id == y->sin6_scope_id &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
	}
	return 0;
}

int addr_list_resolve(const struct addr_entry *entries, size_t count,
		      struct sockaddr_storage **out, size_t *nout,
		      char *err, size_t errlen)
{
	struct sockaddr_storage *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	err_set(err, errlen, "no addresses");
	for (size_t e = 0; e < count; e++) {
		struct addrinfo hints, *res = NULL;
		char port[8];

		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICSERV |
				 (entries[e].numeric ? AI_NUMERICHOST : 0);
		snprintf(port, sizeof(port), "%u", (unsigned)entries[e].port);
		int gai = getaddrinfo(entries[e].host, port, &hints, &res);
		if (gai != 0) {
			err_set(err, errlen, "cannot resolve '%s': %s",
				entries[e].host, gai_strerror(gai));
			continue;
		}
		for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
			if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
				continue;
			int dup = 0;
			for (size_t k = 0; k < n && !dup; k++)
				dup = same_sockaddr(&v[k], ai);
			if (dup)
				continue;
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				struct sockaddr_storage *nv =
					realloc(v, ncap * sizeof(*v));
				if (!nv) {
					freeaddrinfo(res);
					rc = -ENOMEM;
					goto out_free;
				}
				v = nv;
				cap = ncap;
			}
			memset(&v[n], 0, sizeof(v[n]));
			memcpy(&v[n], ai->ai_addr, ai->ai_addrlen);
			n++;
		}
		freeaddrinfo(res);
	}
	if (n == 0) {
		rc = -ENOENT;
		goto out_free;
	}
	*out = v;
	*nout = n;
	return 0;
out_free:
	free(v);
	return rc;
}

int addr_resolve_text(const char *text, uint16_t default_port,
		      struct sockaddr_storage **out, size_t *nout,
		      char *err, size_t errlen)
{
	struct addr_entry *v;
	size_t n;
	int rc = addr_list_parse(text, default_port, &v, &n, err, errlen);

	if (rc != 0) {
		*out = NULL;
		*nout = 0;
		return rc;
	}
	rc = addr_list_resolve(v, n, out, nout, err, errlen);
	free(v);
	return rc;
}

int addr_format(const struct sockaddr *sa, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	int n;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		n = snprintf(buf, len, "%s:%u", ip, (unsigned)ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		n = snprintf(buf, len, "[%s]:%u", ip,
			     (unsigned)ntohs(in6->sin6_port));
	} else {
		return -EAFNOSUPPORT;
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
