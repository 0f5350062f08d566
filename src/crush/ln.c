/*
 * straw2's fixed-point logarithm.  A straw2 draw is ln(u)/weight for a
 * 16-bit hash u; Ceph computes ln with integer arithmetic and two lookup
 * tables so that every platform draws the same straws.  We compute the
 * same function from tables generated from their definitions
 * (scripts/gen_crush_ln.py): normalise x+1 to 17 bits, split it into a
 * coarse part (7 bits, tables RH/LH) and a fine residue (8 bits, table LL).
 */
#include "crush.h"
#include "internal.h"
#include "ln_table.h"

uint64_t crush_ln(uint32_t xin)
{
	return crush_ln_inline(xin);
}
