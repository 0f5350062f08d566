/*
 * Object placement hashing (see placement.h).  The string hash is Bob
 * Jenkins' published lookup2 with its golden-ratio initial state; its
 * results must equal Ceph's, since they decide which PG stores an object.
 */
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"
#include "osdmap/placement.h"

#define MIX(a, b, c)                          \
	do {                                  \
		a -= b; a -= c; a ^= c >> 13; \
		b -= c; b -= a; b ^= a << 8;  \
		c -= a; c -= b; c ^= b >> 13; \
		a -= b; a -= c; a ^= c >> 12; \
		b -= c; b -= a; b ^= a << 16; \
		c -= a; c -= b; c ^= b >> 5;  \
		a -= b; a -= c; a ^= c >> 3;  \
		b -= c; b -= a; b ^= a << 10; \
		c -= a; c -= b; c ^= b >> 15; \
	} while (0)

static inline uint32_t le32(const unsigned char *k)
{
	return (uint32_t)k[0] | (uint32_t)k[1] << 8 | (uint32_t)k[2] << 16 |
	       (uint32_t)k[3] << 24;
}

uint32_t ceph_str_hash_rjenkins(const char *s, size_t length)
{
	const unsigned char *k = (const unsigned char *)s;
	uint32_t a = 0x9e3779b9u, b = a, c = 0;
	size_t len = length;

	while (len >= 12) {
		a += le32(k);
		b += le32(k + 4);
		c += le32(k + 8);
		MIX(a, b, c);
		k += 12;
		len -= 12;
	}
	c += (uint32_t)length;
	/* the low byte of c holds the length; the tail fills the rest */
	switch (len) {
	case 11: c += (uint32_t)k[10] << 24; /* fall through */
	case 10: c += (uint32_t)k[9] << 16;  /* fall through */
	case 9: c += (uint32_t)k[8] << 8;    /* fall through */
	case 8: b += (uint32_t)k[7] << 24;   /* fall through */
	case 7: b += (uint32_t)k[6] << 16;   /* fall through */
	case 6: b += (uint32_t)k[5] << 8;    /* fall through */
	case 5: b += k[4];                   /* fall through */
	case 4: a += (uint32_t)k[3] << 24;   /* fall through */
	case 3: a += (uint32_t)k[2] << 16;   /* fall through */
	case 2: a += (uint32_t)k[1] << 8;    /* fall through */
	case 1: a += k[0];                   /* fall through */
	default: break;
	}
	MIX(a, b, c);
	return c;
}

uint32_t pg_num_mask(uint32_t n)
{
	uint32_t m = 0;
	if (n <= 1)
		return 0;
	for (uint32_t v = n - 1; v; v >>= 1)
		m = (m << 1) | 1;
	return m;
}

uint32_t object_hash(const char *nspace, const char *key, const char *name)
{
	const char *what = key && *key ? key : name;
	if (!nspace || !*nspace)
		return ceph_str_hash_rjenkins(what, strlen(what));
	size_t nl = strlen(nspace), wl = strlen(what);
	char stackbuf[512];
	char *buf = nl + wl + 1 <= sizeof(stackbuf) ? stackbuf : malloc(nl + wl + 1);
	if (!buf)
		return 0;
	memcpy(buf, nspace, nl);
	buf[nl] = '\037';
	memcpy(buf + nl + 1, what, wl);
	uint32_t h = ceph_str_hash_rjenkins(buf, nl + wl + 1);
	if (buf != stackbuf)
		free(buf);
	return h;
}

uint32_t pg_crush_input(int64_t pool, uint32_t ps, uint32_t pgp_num, int hashpspool)
{
	uint32_t folded = ceph_stable_mod(ps, pgp_num, pg_num_mask(pgp_num));
	if (hashpspool)
		return crush_hash32_2(CRUSH_HASH_RJENKINS1, folded, (uint32_t)pool);
	/* legacy pools: seed plus pool id */
	return folded + (uint32_t)pool;
}
