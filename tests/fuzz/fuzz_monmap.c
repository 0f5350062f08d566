/*
 * Fuzz target for the monitor map decoder.  The input is tried twice: as
 * a bare versioned body (what a message carries) and as the file form
 * (magic, body, crc32c; the crc is recomputed so the fuzzer reaches the
 * body instead of stopping at the checksum).  Whatever the bytes, decoding
 * must not read out of bounds, allocate from an unchecked count, or leak;
 * a map that decodes must print, dump to JSON, and re-encode to a body
 * that decodes to the same encoding again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/crc32c.h"
#include "osdmap/monmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct monmap *m)
{
	struct enc_buf a, b;
	struct dec_cursor c;
	struct monmap again;
	FILE *devnull;
	json_t *j;

	devnull = fopen("/dev/null", "w");
	if (devnull) {
		monmap_print(m, devnull);
		fclose(devnull);
	}
	j = monmap_dump_json(m, NULL, 0);
	if (j) {
		char *s = json_dumps(j, JSON_COMPACT);
		free(s);
		json_decref(j);
	}

	enc_buf_init(&a);
	if (monmap_encode(m, &a) == 0) {
		dec_init(&c, a.data, a.len);
		if (monmap_decode(&again, &c) != 0)
			abort();
		enc_buf_init(&b);
		if (monmap_encode(&again, &b) != 0 || b.len != a.len ||
		    memcmp(a.data, b.data, a.len) != 0)
			abort();
		enc_buf_release(&b);
		monmap_release(&again);
	}
	enc_buf_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dec_cursor c;
	struct monmap m;
	uint8_t *copy;

	dec_init(&c, data, size);
	if (monmap_decode(&m, &c) == 0)
		exercise(&m);
	monmap_release(&m);

	if (size >= 4 && size < (1u << 20)) {
		copy = malloc(size);
		if (!copy)
			return 0;
		memcpy(copy, data, size);
		uint32_t crc = crc32c(copy, size - 4);
		memcpy(copy + size - 4, &crc, 4); /* little-endian hosts */
		if (monmap_decode_file(&m, copy, size) == 0)
			exercise(&m);
		monmap_release(&m);
		free(copy);
	}
	return 0;
}
