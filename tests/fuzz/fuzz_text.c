/*
 * libFuzzer target for the text CRUSH map compiler: compile the input; if
 * it compiles, decompile it into a memory stream and destroy the map.
 * Must never crash, leak or hang whatever the bytes.  Seed corpus:
 * tests/fuzz/corpus/text/ (maps printed by Ceph's crushtool -d).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "crush/crush.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crush_map *map = NULL;
	char err[256];

	if (crush_map_compile((const char *)data, size, "fuzz", &map, err, sizeof(err)) != 0)
		return 0;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (out) {
		crush_map_decompile(map, out);
		fclose(out);
	}
	free(text);
	crush_map_destroy(map);
	return 0;
}
