/*
 * The CRUSH hash family: Robert Jenkins' 96-bit mix applied to one to five
 * 32-bit inputs (Ceph calls it rjenkins1).  Every placement decision is a
 * function of these values, so they must match Ceph's bit for bit: the
 * seed and the two filler constants are part of the published algorithm.
 */
#include "crush.h"

#define HASH_SEED 1315423911u
#define HASH_X 231232u
#define HASH_Y 1232u

static inline void hash_mix(uint32_t *pa, uint32_t *pb, uint32_t *pc)
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

static uint32_t rjenkins1(uint32_t a)
{
	uint32_t h = HASH_SEED ^ a, b = a, x = HASH_X, y = HASH_Y;
	hash_mix(&b, &x, &h);
	hash_mix(&y, &a, &h);
	return h;
}

static uint32_t rjenkins1_2(uint32_t a, uint32_t b)
{
	uint32_t h = HASH_SEED ^ a ^ b, x = HASH_X, y = HASH_Y;
	hash_mix(&a, &b, &h);
	hash_mix(&x, &a, &h);
	hash_mix(&b, &y, &h);
	return h;
}

static uint32_t rjenkins1_3(uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t h = HASH_SEED ^ a ^ b ^ c, x = HASH_X, y = HASH_Y;
	hash_mix(&a, &b, &h);
	hash_mix(&c, &x, &h);
	hash_mix(&y, &a, &h);
	hash_mix(&b, &x, &h);
	hash_mix(&y, &c, &h);
	return h;
}

static uint32_t rjenkins1_4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	uint32_t h = HASH_SEED ^ a ^ b ^ c ^ d, x = HASH_X, y = HASH_Y;
	hash_mix(&a, &b, &h);
	hash_mix(&c, &d, &h);
	hash_mix(&a, &x, &h);
	hash_mix(&y, &b, &h);
	hash_mix(&c, &x, &h);
	hash_mix(&y, &d, &h);
	return h;
}

static uint32_t rjenkins1_5(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
	uint32_t h = HASH_SEED ^ a ^ b ^ c ^ d ^ e, x = HASH_X, y = HASH_Y;
	hash_mix(&a, &b, &h);
	hash_mix(&c, &d, &h);
	hash_mix(&e, &x, &h);
	hash_mix(&y, &a, &h);
	hash_mix(&b, &x, &h);
	hash_mix(&y, &c, &h);
	hash_mix(&d, &x, &h);
	hash_mix(&y, &e, &h);
	return h;
}

/* Only rjenkins1 exists; like Ceph, any other type hashes to 0. */
uint32_t crush_hash32(int type, uint32_t a)
{
	return type == CRUSH_HASH_RJENKINS1 ? rjenkins1(a) : 0;
}

uint32_t crush_hash32_2(int type, uint32_t a, uint32_t b)
{
	return type == CRUSH_HASH_RJENKINS1 ? rjenkins1_2(a, b) : 0;
}

uint32_t crush_hash32_3(int type, uint32_t a, uint32_t b, uint32_t c)
{
	return type == CRUSH_HASH_RJENKINS1 ? rjenkins1_3(a, b, c) : 0;
}

uint32_t crush_hash32_4(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	return type == CRUSH_HASH_RJENKINS1 ? rjenkins1_4(a, b, c, d) : 0;
}

uint32_t crush_hash32_5(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
	return type == CRUSH_HASH_RJENKINS1 ? rjenkins1_5(a, b, c, d, e) : 0;
}

const char *crush_hash_name(int type)
{
	return type == CRUSH_HASH_RJENKINS1 ? "rjenkins1" : "unknown";
}
