/*
 * CRC-32C through ISA-L, which picks the fastest routine for the CPU at
 * run time.  ISA-L's crc32_iscsi() neither inverts its seed nor its result,
 * so the standard value is ~crc32_iscsi(data, len, ~previous): inverting
 * on the way in and out is what makes the incremental form compose.
 */
#include <isa-l/crc.h>

#include "crc32c.h"

uint32_t crc32c_update(uint32_t crc, const void *data, size_t len)
{
	/* crc32_iscsi() takes an int length; feed huge buffers in slices. */
	const unsigned char *p = data;
	uint32_t state = ~crc;

	while (len > 0) {
		int n = len > (1u << 30) ? (1 << 30) : (int)len;

		state = crc32_iscsi((unsigned char *)p, n, state);
		p += n;
		len -= (size_t)n;
	}
	return ~state;
}
