/*
 * Numeric socket addresses and entity names: parsing, printing, checking.
 * Name resolution (DNS, mon_host lists) belongs to the caller.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int msgr_addr_parse(const char *s, uint16_t default_port, struct msgr_addr *out)
{
	char host[INET6_ADDRSTRLEN + 16];
	uint16_t port = default_port;
	const char *colon;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!s)
		return -EINVAL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close)
			return -EINVAL;
		n = (size_t)(close - s - 1);
		if (close[1] == ':') {
			if (parse_port(close + 2, &port))
				return -EINVAL;
		} else if (close[1]) {
			return -EINVAL;
		}
		if (n >= sizeof(host))
			return -EINVAL;
		memcpy(host, s + 1, n);
		host[n] = 0;
	} else if ((colon = strchr(s, ':')) && !strchr(colon + 1, ':')) {
		/* exactly one colon: IPv4 (or name) with a port */
		n = (size_t)(colon - s);
		if (n >= sizeof(host) || parse_port(colon + 1, &port))
			return -EINVAL;
		memcpy(host, s, n);
		host[n] = 0;
	} else {
		/* no colon (IPv4), or several (a bare IPv6 address) */
		if (strlen(s) >= sizeof(host))
			return -EINVAL;
		strcpy(host, s);
	}

	struct sockaddr_in *in4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->ss;
	if (uv_ip4_addr(host, port, in4) == 0 && strchr(host, '.') && !strchr(host, ':'))
		return 0;
	memset(out, 0, sizeof(*out));
	if (strchr(host, ':') && uv_ip6_addr(host, port, in6) == 0)
		return 0;
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

void msgr_addr_format(const struct msgr_addr *a, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN + 1] = "?";

	if (a->ss.ss_family == AF_INET6) {
		uv_ip6_name((const struct sockaddr_in6 *)&a->ss, host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, msgr_addr_port(a));
	} else if (a->ss.ss_family == AF_INET) {
		uv_ip4_name((const struct sockaddr_in *)&a->ss, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, msgr_addr_port(a));
	} else {
		snprintf(buf, size, "(none)");
	}
}

uint16_t msgr_addr_port(const struct msgr_addr *a)
{
	if (a->ss.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	if (a->ss.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	return 0;
}

socklen_t msgr_addr_len(const struct msgr_addr *a)
{
	return a->ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					   : sizeof(struct sockaddr_in);
}

bool msgr_entity_name_valid(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t len = strlen(name);

	if (!dot || dot == name || !dot[1] || len >= MSGR_ENTITY_MAX)
		return false;
	for (const char *p = name; p < dot; p++)
		if (*p < 'a' || *p > 'z')
			return false;
	for (const char *p = dot + 1; *p; p++)
		if (!isgraph((unsigned char)*p))
			return false;
	return true;
}
