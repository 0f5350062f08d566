/*
 * Monitor and daemon address lists as ceph.conf and `-m` spell them:
 * `mon_host = 10.0.0.1, 10.0.0.2:6790 [v2:10.0.0.3:3300,v1:10.0.0.3:6789]
 * [::1]:6789 mons.example.com`.  addr_list_parse() is pure (no DNS, no
 * I/O) and keeps names unresolved; addr_list_resolve() turns the entries
 * into every A and AAAA record, in order, so a caller can try each in turn.
 *
 * Loligo speaks one protocol on one port, so an addrvec
 * `[v2:IP:3300,v1:IP:6789]` becomes one entry: its v1 member if present,
 * else its first v2 member.  A bare host or IP takes the default port
 * (ADDR_DEFAULT_MON_PORT, 6789).
 *
 * Thread safety: every function here is reentrant.
 */
#ifndef LOLIGO_COMMON_ADDR_H
#define LOLIGO_COMMON_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define ADDR_DEFAULT_MON_PORT 6789
#define ADDR_HOST_MAX 256 /* a DNS name is at most 253 characters */

/* One entry of an address list, before resolution. */
struct addr_entry {
	char host[ADDR_HOST_MAX]; /* IPv4, IPv6 (no brackets) or DNS name */
	uint16_t port;            /* the given port, else the default */
	int port_given;           /* 1 if the text named a port */
	int numeric;              /* 1 if host is an IP literal */
};

/*
 * Parse an address list.  Entries are separated by commas, semicolons or
 * whitespace.  On success *out (free() it) holds *count >= 1 entries.
 * Errors: -EINVAL with a reason in err (may be NULL) for a malformed entry
 * or an empty list; -ENOMEM.
 */
int addr_list_parse(const char *text, uint16_t default_port,
		    struct addr_entry **out, size_t *count,
		    char *err, size_t errlen);

/*
 * Parse exactly one address (public_addr, cluster_addr, `mon addr`).
 * Errors as addr_list_parse(), plus -EINVAL if the text holds several.
 */
int addr_parse_one(const char *text, uint16_t default_port,
		   struct addr_entry *out, char *err, size_t errlen);

/*
 * Resolve entries with getaddrinfo(): every address of every entry, in
 * list order and then in the resolver's order, duplicates dropped.  An
 * entry that does not resolve is skipped; if none resolves the call fails
 * with -ENOENT (reason in err).  *out is malloc'd; free() it.
 */
int addr_list_resolve(const struct addr_entry *entries, size_t count,
		      struct sockaddr_storage **out, size_t *nout,
		      char *err, size_t errlen);

/* Parse then resolve, for `mon_host` and `-m`. */
int addr_resolve_text(const char *text, uint16_t default_port,
		      struct sockaddr_storage **out, size_t *nout,
		      char *err, size_t errlen);

/*
 * Format an IPv4 or IPv6 socket address as `1.2.3.4:6789` or
 * `[::1]:6789`.  Returns 0, -EAFNOSUPPORT, or -ENAMETOOLONG if buf is too
 * small (64 bytes always suffice).
 */
int addr_format(const struct sockaddr *sa, char *buf, size_t len);

#endif
