/*
 * The data-file block allocator: a bitmap rebuilt at open from the onodes
 * (the onodes are the only persistent record of which blocks are in use,
 * so there is no free list to keep consistent with them).  Next-fit, so
 * that a large write gets one contiguous run and one pwrite.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "os/internal.h"

int os__alloc_init(struct os_alloc *a)
{
	memset(a, 0, sizeof(*a));
	a->cursor = 1;
	return 0;
}

void os__alloc_release(struct os_alloc *a)
{
	free(a->bits);
	memset(a, 0, sizeof(*a));
}

static int alloc_grow(struct os_alloc *a, uint64_t need)
{
	uint64_t n = a->nblocks ? a->nblocks : 1024;
	while (n < need)
		n *= 2;
	if (n == a->nblocks)
		return 0;
	uint64_t *nb = realloc(a->bits, (size_t)(n / 64) * sizeof(uint64_t));
	if (!nb)
		return -ENOMEM;
	memset(nb + a->nblocks / 64, 0, (size_t)((n - a->nblocks) / 64) * sizeof(uint64_t));
	a->bits = nb;
	a->nblocks = n;
	return 0;
}

static bool alloc_test(const struct os_alloc *a, uint64_t b)
{
	return b < a->nblocks && (a->bits[b / 64] >> (b % 64)) & 1;
}

int os__alloc_mark(struct os_alloc *a, uint64_t blk)
{
	int r = alloc_grow(a, blk + 1);
	if (r)
		return r;
	if (blk == 0 || alloc_test(a, blk))
		return -EUCLEAN;	/* two onodes share a block */
	a->bits[blk / 64] |= 1ull << (blk % 64);
	a->used++;
	return 0;
}

int os__alloc_run(struct os_alloc *a, uint64_t want, uint64_t *start, uint64_t *got)
{
	/* If less than half is free, extend rather than fragment. */
	if (a->used + want + 1 > a->nblocks / 2) {
		int r = alloc_grow(a, (a->used + want + 1) * 2);
		if (r)
			return r;
	}
	for (int pass = 0; pass < 2; pass++) {
		uint64_t b = pass ? 1 : (a->cursor ? a->cursor : 1);
		for (; b < a->nblocks; b++) {
			if (alloc_test(a, b))
				continue;
			uint64_t n = 0;
			while (n < want && b + n < a->nblocks && !alloc_test(a, b + n)) {
				a->bits[(b + n) / 64] |= 1ull << ((b + n) % 64);
				n++;
			}
			a->used += n;
			a->cursor = b + n;
			*start = b;
			*got = n;
			return 0;
		}
	}
	return -ENOSPC;	/* unreachable: the bitmap was grown above */
}

void os__alloc_free(struct os_alloc *a, uint64_t blk)
{
	if (!alloc_test(a, blk))
		abort();	/* freeing a free block: the accounting is broken */
	a->bits[blk / 64] &= ~(1ull << (blk % 64));
	a->used--;
}
