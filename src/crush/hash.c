/*
 * The CRUSH hash family: Robert Jenkins' 96-bit mix applied to one to five
 * 32-bit inputs (Ceph calls it rjenkins1).  Every placement decision is a
 * function of these values, so they must match Ceph's bit for bit: the
 * seed and the two filler constants are part of the published algorithm.
 */
#include "crush.h"
#include "internal.h"

/* Only rjenkins1 exists; like Ceph, any other type hashes to 0. */
uint32_t crush_hash32(int type, uint32_t a)
{
	return type == CRUSH_HASH_RJENKINS1 ? crush_rjenkins1(a) : 0;
}

uint32_t crush_hash32_2(int type, uint32_t a, uint32_t b)
{
	return type == CRUSH_HASH_RJENKINS1 ? crush_rjenkins1_2(a, b) : 0;
}

uint32_t crush_hash32_3(int type, uint32_t a, uint32_t b, uint32_t c)
{
	return type == CRUSH_HASH_RJENKINS1 ? crush_rjenkins1_3(a, b, c) : 0;
}

uint32_t crush_hash32_4(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	return type == CRUSH_HASH_RJENKINS1 ? crush_rjenkins1_4(a, b, c, d) : 0;
}

uint32_t crush_hash32_5(int type, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e)
{
	return type == CRUSH_HASH_RJENKINS1 ? crush_rjenkins1_5(a, b, c, d, e) : 0;
}

const char *crush_hash_name(int type)
{
	return type == CRUSH_HASH_RJENKINS1 ? "rjenkins1" : "unknown";
}
