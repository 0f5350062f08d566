/*
 * The onode: an object's size, mtime and block map (physical block and
 * crc32c per 4 KiB logical block), stored as one RocksDB value.
 * Encoding (little-endian): u8 version=1, u64 size, u64 mtime_ns, u64 nblk,
 * then nblk x (u64 pblk, u32 crc).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "os/internal.h"

#define ONODE_HDR (1 + 8 + 8 + 8)
#define ONODE_ENT 12

static void put64(char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (char)(v >> (8 * i));
}

static uint64_t get64(const char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)(unsigned char)p[i] << (8 * i);
	return v;
}

int os__onode_resize(struct os_onode *o, uint64_t nblk)
{
	if (nblk > o->nblk) {
		uint64_t *p = realloc(o->pblk, nblk * sizeof(*p));
		if (!p)
			return -ENOMEM;
		o->pblk = p;
		uint32_t *c = realloc(o->crc, nblk * sizeof(*c));
		if (!c)
			return -ENOMEM;
		o->crc = c;
		memset(o->pblk + o->nblk, 0, (nblk - o->nblk) * sizeof(*p));
		memset(o->crc + o->nblk, 0, (nblk - o->nblk) * sizeof(*c));
	}
	o->nblk = nblk;
	return 0;
}

void os__onode_release(struct os_onode *o)
{
	free(o->pblk);
	free(o->crc);
	memset(o, 0, sizeof(*o));
}

int os__onode_decode(const char *buf, size_t len, struct os_onode *o)
{
	memset(o, 0, sizeof(*o));
	if (len < ONODE_HDR || buf[0] != 1)
		return -EIO;
	uint64_t size = get64(buf + 1), nblk = get64(buf + 17);
	if (nblk != (size + OS_BLOCK_SIZE - 1) / OS_BLOCK_SIZE ||
	    nblk > (len - ONODE_HDR) / ONODE_ENT || len != ONODE_HDR + nblk * ONODE_ENT)
		return -EIO;
	if (os__onode_resize(o, nblk))
		return -ENOMEM;
	o->size = size;
	o->mtime_ns = get64(buf + 9);
	const char *p = buf + ONODE_HDR;
	for (uint64_t i = 0; i < nblk; i++, p += ONODE_ENT) {
		o->pblk[i] = get64(p);
		uint32_t c = 0;
		for (int k = 0; k < 4; k++)
			c |= (uint32_t)(unsigned char)p[8 + k] << (8 * k);
		o->crc[i] = c;
		if (o->pblk[i] >> 48) {
			os__onode_release(o);
			return -EIO;
		}
	}
	return 0;
}

int os__onode_encode(const struct os_onode *o, char **buf, size_t *len)
{
	size_t n = ONODE_HDR + o->nblk * ONODE_ENT;
	char *b = malloc(n);
	if (!b)
		return -ENOMEM;
	b[0] = 1;
	put64(b + 1, o->size);
	put64(b + 9, o->mtime_ns);
	put64(b + 17, o->nblk);
	char *p = b + ONODE_HDR;
	for (uint64_t i = 0; i < o->nblk; i++, p += ONODE_ENT) {
		put64(p, o->pblk[i]);
		for (int k = 0; k < 4; k++)
			p[8 + k] = (char)(o->crc[i] >> (8 * k));
	}
	*buf = b;
	*len = n;
	return 0;
}
