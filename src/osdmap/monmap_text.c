/*
 * The monitor map as people read and write it: address and address-vector
 * parsing with the rules Ceph's monmaptool applies (`--add NAME IP[:PORT]`,
 * `--addv NAME [v2:IP:PORT,v1:IP:PORT]`), fsid UUIDs, release and feature
 * names, and the two displays of `ceph mon dump`: the plain text (also
 * `monmaptool --print`) and the JSON object, both in Ceph 16's shape.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "osdmap/monmap.h"

/* ---- addresses ---- */

static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > 65535)
			return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

static int set_ip(const char *host, int family, uint16_t port,
		  struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (void *)out;
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return -EINVAL;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return 0;
	}
	struct sockaddr_in *s4 = (void *)out;
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		return -EINVAL;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	return 0;
}

int monmap_ip_parse(const char *text, struct sockaddr_storage *out,
		    bool *port_given)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *end;
	uint16_t port = 0;
	size_t hlen;

	*port_given = false;
	if (text[0] == '[') {
		end = strchr(text, ']');
		if (!end)
			return -EINVAL;
		hlen = (size_t)(end - text - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			return -EINVAL;
		memcpy(host, text + 1, hlen);
		host[hlen] = 0;
		if (end[1] == ':') {
			if (parse_port(end + 2, &port))
				return -EINVAL;
			*port_given = true;
		} else if (end[1]) {
			return -EINVAL;
		}
		return set_ip(host, AF_INET6, port, out);
	}
	/* A bare IPv6 address has several colons and no port. */
	colon = strchr(text, ':');
	if (colon && strchr(colon + 1, ':'))
		return set_ip(text, AF_INET6, 0, out);
	hlen = colon ? (size_t)(colon - text) : strlen(text);
	if (hlen == 0 || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, hlen);
	host[hlen] = 0;
	if (colon) {
		if (parse_port(colon + 1, &port))
			return -EINVAL;
		*port_given = true;
	}
	return set_ip(host, AF_INET, port, out);
}

static uint16_t port_of(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return ntohs(((const struct sockaddr_in *)sa)->sin_port);
}

static void with_port(struct sockaddr_storage *sa, uint16_t port)
{
	if (sa->ss_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)sa)->sin_port = htons(port);
}

void monmap_addrvec_from_ip(const struct sockaddr_storage *ip,
			    bool port_given, bool both,
			    struct monmap_addr *out, unsigned *n)
{
	memset(out, 0, 2 * sizeof(*out));
	if (port_given) {
		out[0].sa = *ip;
		out[0].type = port_of(ip) == MONMAP_PORT_V1 ? MONMAP_ADDR_V1
							    : MONMAP_ADDR_V2;
		*n = 1;
	} else if (both) {
		out[0].type = MONMAP_ADDR_V2;
		out[0].sa = *ip;
		with_port(&out[0].sa, MONMAP_PORT_V2);
		out[1].type = MONMAP_ADDR_V1;
		out[1].sa = *ip;
		with_port(&out[1].sa, MONMAP_PORT_V1);
		*n = 2;
	} else {
		out[0].type = MONMAP_ADDR_V1;
		out[0].sa = *ip;
		with_port(&out[0].sa, MONMAP_PORT_V1);
		*n = 1;
	}
}

/* One entry of a vector: [TYPE:]IP[:PORT][/NONCE]. */
static int addr_entry_parse(const char *text, size_t len,
			    struct monmap_addr *out)
{
	char buf[128], *slash;
	const char *p = text;
	bool port_given;

	memset(out, 0, sizeof(*out));
	out->type = MONMAP_ADDR_V2;
	if (len >= 3 && (strncmp(p, "v1:", 3) == 0 || strncmp(p, "v2:", 3) == 0)) {
		out->type = p[1] == '1' ? MONMAP_ADDR_V1 : MONMAP_ADDR_V2;
		p += 3;
		len -= 3;
	} else if (len >= 4 && strncmp(p, "any:", 4) == 0) {
		out->type = MONMAP_ADDR_ANY;
		p += 4;
		len -= 4;
	}
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, p, len);
	buf[len] = 0;
	slash = strchr(buf, '/');
	if (slash) {
		char *end;
		unsigned long v;
		*slash = 0;
		if (!isdigit((unsigned char)slash[1]))
			return -EINVAL;
		errno = 0;
		v = strtoul(slash + 1, &end, 10);
		if (*end || errno || v > UINT32_MAX)
			return -EINVAL;
		out->nonce = (uint32_t)v;
	}
	return monmap_ip_parse(buf, &out->sa, &port_given);
}

int monmap_addrvec_parse(const char *text, struct monmap_addr *out,
			 unsigned *n)
{
	size_t len = strlen(text);
	const char *p, *end;
	unsigned count = 0;
	int r;

	/* `[v2:...,v1:...]`, but not a bracketed IPv6 `[::1]:6789`. */
	if (len >= 2 && text[0] == '[' && text[len - 1] == ']' &&
	    (strncmp(text + 1, "v1:", 3) == 0 || strncmp(text + 1, "v2:", 3) == 0 ||
	     strncmp(text + 1, "any:", 4) == 0)) {
		p = text + 1;
		end = text + len - 1;
		while (p < end) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *stop = comma ? comma : end;
			if (count == MONMAP_ADDRVEC_MAX)
				return -EINVAL;
			r = addr_entry_parse(p, (size_t)(stop - p), &out[count]);
			if (r)
				return r;
			count++;
			p = comma ? comma + 1 : end;
			if (comma && p == end)
				return -EINVAL;
		}
		if (count == 0)
			return -EINVAL;
		*n = count;
		return 0;
	}
	r = addr_entry_parse(text, len, &out[0]);
	if (r)
		return r;
	*n = 1;
	return 0;
}

int monmap_sockaddr_format(const struct sockaddr_storage *sa, char *buf,
			   size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	int n;

	if (sa->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
			  ip, sizeof(ip));
		n = snprintf(buf, len, "[%s]:%u", ip, port_of(sa));
	} else if (sa->ss_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  ip, sizeof(ip));
		n = snprintf(buf, len, "%s:%u", ip, port_of(sa));
	} else {
		n = snprintf(buf, len, "-");
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static const char *type_name(uint8_t type)
{
	switch (type) {
	case MONMAP_ADDR_V1: return "v1";
	case MONMAP_ADDR_V2: return "v2";
	case MONMAP_ADDR_ANY: return "any";
	default: return "none";
	}
}

int monmap_addr_format(const struct monmap_addr *a, char *buf, size_t len)
{
	char sa[64];
	int n;

	monmap_sockaddr_format(&a->sa, sa, sizeof(sa));
	n = snprintf(buf, len, "%s:%s/%" PRIu32, type_name(a->type), sa, a->nonce);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int monmap_addrvec_format(const struct monmap_mon *mon, char *buf, size_t len)
{
	size_t used = 0;
	char one[96];

	if (len == 0)
		return -ENAMETOOLONG;
	buf[0] = 0;
	if (mon->naddrs == 1)
		return monmap_addr_format(&mon->addrs[0], buf, len);
	for (unsigned i = 0; i < mon->naddrs; i++) {
		int n;
		monmap_addr_format(&mon->addrs[i], one, sizeof(one));
		n = snprintf(buf + used, len - used, "%s%s%s", i ? "," : "[",
			     one, i + 1 == mon->naddrs ? "]" : "");
		if (n < 0 || (size_t)n >= len - used)
			return -ENAMETOOLONG;
		used += (size_t)n;
	}
	return 0;
}

/* ---- fsid ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int monmap_uuid_parse(const char *text, uint8_t out[16])
{
	static const int dash_at[] = { 8, 13, 18, 23 };
	uint8_t u[16];
	size_t j = 0;

	if (strlen(text) != 36)
		return -EINVAL;
	for (size_t i = 0; i < 36;) {
		bool dash = false;
		for (size_t k = 0; k < 4; k++)
			dash |= (size_t)dash_at[k] == i;
		if (dash) {
			if (text[i] != '-')
				return -EINVAL;
			i++;
			continue;
		}
		int hi = hexval(text[i]), lo = hexval(text[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		u[j++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	memcpy(out, u, 16);
	return 0;
}

void monmap_uuid_format(const uint8_t u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

int monmap_uuid_generate(uint8_t out[16])
{
	size_t got = 0;

	while (got < 16) {
		ssize_t n = getrandom(out + got, 16 - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		got += (size_t)n;
	}
	out[6] = (uint8_t)((out[6] & 0x0f) | 0x40);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
	return 0;
}

/* ---- releases and features ---- */

static const char *const release_names[] = {
	[1] = "argonaut", [2] = "bobtail", [3] = "cuttlefish",
	[4] = "dumpling", [5] = "emperor", [6] = "firefly", [7] = "giant",
	[8] = "hammer", [9] = "infernalis", [10] = "jewel", [11] = "kraken",
	[12] = "luminous", [13] = "mimic", [14] = "nautilus",
	[15] = "octopus", [16] = "pacific",
};
#define RELEASE_MAX (sizeof(release_names) / sizeof(release_names[0]) - 1)

const char *monmap_release_name(unsigned release)
{
	if (release == 0 || release > RELEASE_MAX)
		return "unknown";
	return release_names[release];
}

int monmap_release_parse(const char *text, uint8_t *out)
{
	uint16_t v;

	for (unsigned i = 1; i <= RELEASE_MAX; i++) {
		if (strcmp(text, release_names[i]) == 0) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	if (parse_port(text, &v) == 0 && v >= 1 && v <= RELEASE_MAX) {
		*out = (uint8_t)v;
		return 0;
	}
	return -EINVAL;
}

static const char *const feature_names[] = {
	"kraken", "luminous", "mimic", "osdmap-prune",
	"nautilus", "octopus", "pacific", "elector-pinging",
};
#define FEATURE_COUNT (sizeof(feature_names) / sizeof(feature_names[0]))

const char *monmap_feature_name(uint64_t bit)
{
	for (unsigned i = 0; i < FEATURE_COUNT; i++)
		if (bit == 1ULL << i)
			return feature_names[i];
	return NULL;
}

uint64_t monmap_feature_parse(const char *name)
{
	for (unsigned i = 0; i < FEATURE_COUNT; i++)
		if (strcmp(name, feature_names[i]) == 0)
			return 1ULL << i;
	return 0;
}

/* ---- display ---- */

void monmap_time_format(const struct monmap_time *t, bool zulu, char *buf,
			size_t len)
{
	time_t s = (time_t)t->sec;
	struct tm tm;
	char date[32];

	if (!gmtime_r(&s, &tm)) {
		snprintf(buf, len, "-");
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06u%s", date, (unsigned)(t->nsec / 1000),
		 zulu ? "Z" : "+0000");
}

void monmap_print(const struct monmap *m, FILE *out)
{
	char fsid[37], tbuf[64], vec[512], raft[64];

	monmap_uuid_format(m->fsid, fsid);
	fprintf(out, "epoch %" PRIu32 "\n", m->epoch);
	fprintf(out, "fsid %s\n", fsid);
	monmap_time_format(&m->modified, false, tbuf, sizeof(tbuf));
	fprintf(out, "last_changed %s\n", tbuf);
	monmap_time_format(&m->created, false, tbuf, sizeof(tbuf));
	fprintf(out, "created %s\n", tbuf);
	fprintf(out, "min_mon_release %u (%s)\n", m->min_mon_release,
		monmap_release_name(m->min_mon_release));
	fprintf(out, "election_strategy: %u\n", m->election_strategy);
	for (size_t i = 0; i < m->count; i++) {
		const struct monmap_mon *mon = &m->mons[i];
		monmap_addrvec_format(mon, vec, sizeof(vec));
		fprintf(out, "%zu: %s mon.%s", i, vec, mon->name);
		/* Loligo's own field, shown only when moved off its default
		 * so the common output stays Ceph's. */
		if (!monmap_raft_is_default(mon)) {
			monmap_sockaddr_format(&mon->raft, raft, sizeof(raft));
			fprintf(out, " raft %s", raft);
		}
		fputc('\n', out);
	}
}

static json_t *features_json(uint64_t set)
{
	json_t *a = json_array();

	for (unsigned i = 0; a && i < FEATURE_COUNT; i++)
		if (set & (1ULL << i))
			json_array_append_new(a, json_string(feature_names[i]));
	return a;
}

static json_t *mon_json(const struct monmap_mon *mon, size_t rank)
{
	json_t *o = json_object(), *vec = json_array(), *pa = json_object();
	char sa[64], legacy[96];
	const struct monmap_addr *la = monmap_mon_addr(mon);

	if (!o || !vec || !pa)
		goto out_fail;
	for (unsigned i = 0; i < mon->naddrs; i++) {
		const struct monmap_addr *a = &mon->addrs[i];
		monmap_sockaddr_format(&a->sa, sa, sizeof(sa));
		json_array_append_new(vec, json_pack("{s:s, s:s, s:I}",
			"type", type_name(a->type), "addr", sa,
			"nonce", (json_int_t)a->nonce));
	}
	json_object_set_new(pa, "addrvec", vec);
	vec = NULL;
	monmap_sockaddr_format(&la->sa, sa, sizeof(sa));
	snprintf(legacy, sizeof(legacy), "%s/%" PRIu32, sa, la->nonce);
	json_object_set_new(o, "rank", json_integer((json_int_t)rank));
	json_object_set_new(o, "name", json_string(mon->name));
	json_object_set_new(o, "public_addrs", pa);
	pa = NULL;
	json_object_set_new(o, "addr", json_string(legacy));
	json_object_set_new(o, "public_addr", json_string(legacy));
	json_object_set_new(o, "priority", json_integer(mon->priority));
	json_object_set_new(o, "weight", json_integer(mon->weight));
	json_object_set_new(o, "crush_location", json_string("{}"));
	monmap_sockaddr_format(&mon->raft, sa, sizeof(sa));
	json_object_set_new(o, "raft_addr", json_string(sa));
	return o;
out_fail:
	json_decref(o);
	json_decref(vec);
	json_decref(pa);
	return NULL;
}

json_t *monmap_dump_json(const struct monmap *m, const int *quorum,
			 size_t nquorum)
{
	json_t *o = json_object(), *mons = json_array(), *q = json_array();
	json_t *feat = json_object();
	char fsid[37], tbuf[64];

	if (!o || !mons || !q || !feat)
		goto out_fail;
	monmap_uuid_format(m->fsid, fsid);
	json_object_set_new(o, "epoch", json_integer(m->epoch));
	json_object_set_new(o, "fsid", json_string(fsid));
	monmap_time_format(&m->modified, true, tbuf, sizeof(tbuf));
	json_object_set_new(o, "modified", json_string(tbuf));
	monmap_time_format(&m->created, true, tbuf, sizeof(tbuf));
	json_object_set_new(o, "created", json_string(tbuf));
	json_object_set_new(o, "min_mon_release", json_integer(m->min_mon_release));
	json_object_set_new(o, "min_mon_release_name",
			    json_string(monmap_release_name(m->min_mon_release)));
	json_object_set_new(o, "election_strategy",
			    json_integer(m->election_strategy));
	/* Ceph 16 spells these two keys with ": " inside them. */
	json_object_set_new(o, "disallowed_leaders: ", json_string(""));
	json_object_set_new(o, "stretch_mode", json_false());
	json_object_set_new(o, "tiebreaker_mon", json_string(""));
	json_object_set_new(o, "removed_ranks: ", json_string(""));
	json_object_set_new(feat, "persistent", features_json(m->persistent_features));
	json_object_set_new(feat, "optional", features_json(m->optional_features));
	json_object_set_new(o, "features", feat);
	feat = NULL;
	for (size_t i = 0; i < m->count; i++) {
		json_t *mj = mon_json(&m->mons[i], i);
		if (!mj || json_array_append_new(mons, mj) != 0)
			goto out_fail;
	}
	json_object_set_new(o, "mons", mons);
	mons = NULL;
	for (size_t i = 0; i < nquorum; i++)
		json_array_append_new(q, json_integer(quorum[i]));
	json_object_set_new(o, "quorum", q);
	return o;
out_fail:
	json_decref(o);
	json_decref(mons);
	json_decref(q);
	json_decref(feat);
	return NULL;
}
