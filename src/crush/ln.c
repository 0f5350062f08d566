/*
 * straw2's fixed-point logarithm.  A straw2 draw is ln(u)/weight for a
 * 16-bit hash u; Ceph computes ln with integer arithmetic and two lookup
 * tables so that every platform draws the same straws.  We compute the
 * same function from tables generated from their definitions
 * (scripts/gen_crush_ln.py): normalise x+1 to 17 bits, split it into a
 * coarse part (7 bits, tables RH/LH) and a fine residue (8 bits, table LL).
 */
#include "crush.h"
#include "ln_table.h"

uint64_t crush_ln(uint32_t xin)
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
