/*
 * Private declarations shared by the files of the CRUSH library, grouped
 * by the file that defines them.  Nothing outside src/crush includes this.
 */
#ifndef LOLIGO_CRUSH_INTERNAL_H
#define LOLIGO_CRUSH_INTERNAL_H

#include <stdint.h>

/* mapper.c: one bucket's scratch in a work area (see crush_work_size). */
struct crush_work_bucket {
	uint32_t perm_x;
	uint32_t perm_n;
	uint32_t *perm;
};

/* builder.c, mapper.c: tree buckets number their nodes so that leaves are
 * odd and a node's height is its count of trailing zero bits. */
static inline int crush_tree_height(int n)
{
	int h = 0;
	while ((n & 1) == 0) {
		h++;
		n >>= 1;
	}
	return h;
}

/* hash.c: the rjenkins1 mix, inline so the mapper's loops can use it
 * without a call per item. */
#define HASH_SEED 1315423911u
#define HASH_X 231232u
#define HASH_Y 1232u

static inline void crush_hash_mix(uint32_t *pa, uint32_t *pb, uint32_t *pc)
{
	uint32_t a = *pa, b = *pb, c = *pc;
	a -= b; a -= c; a ^= c >> 13;
	b -= c; b -= a; b ^= a << 8;
	c -= a; c -= b; c ^= b >> 13;
	a -= b; a -= c; a ^= c >> 12;
	b -= c; b -= a; b ^= a << 16;
	c -= a; c -= b; c ^= b >> 5;
	a -= b; a -= c; a ^= c >> 3;
	b -= c; b -= a; b ^= a << 10;
	c -= a; c -= b; c ^= b >> 15;
	*pa = a; *pb = b; *pc = c;
}

static inline uint32_t crush_rjenkins1(uint32_t a)
{
	uint32_t h = HASH_SEED ^ a, b = a, x = HASH_X, y = HASH_Y;
	crush_hash_mix(&b, &x, &h);
	crush_hash_mix(&y, &a, &h);
	return h;
}

static inline uint32_t crush_rjenkins1_2(uint32_t a, uint32_t b)
{
	uint32_t h = HASH_SEED ^ a ^ b, x = HASH_X, y = HASH_Y;
	crush_hash_mix(&a, &b, &h);
	crush_hash_mix(&x, &a, &h);
	crush_hash_mix(&b, &y, &h);
	return h;
}

static inline uint32_t crush_rjenkins1_3(uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t h = HASH_SEED ^ a ^ b ^ c, x = HASH_X, y = HASH_Y;
	crush_hash_mix(&a, &b, &h);
	crush_hash_mix(&c, &x, &h);
	crush_hash_mix(&y, &a, &h);
	crush_hash_mix(&b, &x, &h);
	crush_hash_mix(&y, &c, &h);
	return h;
}

static inline uint32_t crush_rjenkins1_4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	uint32_t h = HASH_SEED ^ a ^ b ^ c ^ d, x = HASH_X, y = HASH_Y;
	crush_hash_mix(&a, &b, &h);
	crush_hash_mix(&c, &d, &h);
	crush_hash_mix(&a, &x, &h);
	crush_hash_mix(&y, &b, &h);
	crush_hash_mix(&c, &x, &h);
	crush_hash_mix(&y, &d, &h);
	return h;
}

static inline uint32_t crush_rjenkins1_5(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
	uint32_t h = HASH_SEED ^ a ^ b ^ c ^ d ^ e, x = HASH_X, y = HASH_Y;
	crush_hash_mix(&a, &b, &h);
	crush_hash_mix(&c, &d, &h);
	crush_hash_mix(&e, &x, &h);
	crush_hash_mix(&y, &a, &h);
	crush_hash_mix(&b, &x, &h);
	crush_hash_mix(&y, &c, &h);
	crush_hash_mix(&d, &x, &h);
	crush_hash_mix(&y, &e, &h);
	return h;
}


/* ln.c: straw2's fixed-point log2, inline for the mapper; the tables
 * (ln_table.h) are defined once, in ln.c. */
extern const int64_t crush_ln_rh_lh[258];
extern const uint64_t crush_ln_ll[256];

static inline uint64_t crush_ln_inline(uint32_t xin)
{
	uint32_t x = xin + 1;
	int iexpon = 15;

	/* Normalise so bit 15 or 16 is the top bit; remember the exponent. */
	if (!(x & 0x18000)) {
		int bits = __builtin_clz(x & 0x1ffff) - 16;
		x <<= bits;
		iexpon = 15 - bits;
	}

	int index1 = (int)((x >> 8) << 1);
	uint64_t rh = (uint64_t)crush_ln_rh_lh[index1 - 256];
	uint64_t lh = (uint64_t)crush_ln_rh_lh[index1 + 1 - 256];

	/* x * RH ~ 2^48 * (2^15 + residue), residue < 2^8 */
	uint64_t xl64 = ((uint64_t)x * rh) >> 48;
	uint64_t result = (uint64_t)iexpon << (12 + 32);
	uint64_t ll = crush_ln_ll[xl64 & 0xff];

	lh += ll;
	lh >>= 48 - 12 - 32;
	return result + lh;
}

#endif
