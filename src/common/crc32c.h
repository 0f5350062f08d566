/*
 * CRC-32C (Castagnoli), the checksum on every messenger frame and on
 * anything else Loligo writes that must detect corruption.  Values are the
 * standard CRC-32C (reflected, initial value and final xor 0xFFFFFFFF), so
 * crc32c("123456789") == 0xE3069283 and our checksums agree with any other
 * correct implementation.
 *
 * The incremental form composes: crc32c_update(crc32c(a), b) equals
 * crc32c(a followed by b), and crc32c_update(0, ...) starts a new sum.
 * Pure functions: no state, callable from any thread.
 */
#ifndef LOLIGO_COMMON_CRC32C_H
#define LOLIGO_COMMON_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Extends the CRC-32C `crc` (of the bytes seen so far; 0 for none) by
 * `len` bytes at `data`.  `data` may be NULL when `len` is 0. */
uint32_t crc32c_update(uint32_t crc, const void *data, size_t len);

/* CRC-32C of `len` bytes at `data`. */
static inline uint32_t crc32c(const void *data, size_t len)
{
	return crc32c_update(0, data, len);
}

#endif
