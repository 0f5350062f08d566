/*
 * Fuzz target: Ceph's binary CRUSH map decoder.  Whatever decodes must
 * also encode, re-decode to the same bytes, and map without faults.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crush_map *map;
	char err[256];

	if (crush_map_decode(data, size, &map, err, sizeof(err)) != 0)
		return 0;

	uint8_t *enc;
	size_t elen;
	if (crush_map_encode(map, &enc, &elen) == 0) {
		struct crush_map *again;
		if (crush_map_decode(enc, elen, &again, err, sizeof(err)) != 0)
			abort(); /* we wrote something we cannot read */
		uint8_t *enc2;
		size_t elen2;
		if (crush_map_encode(again, &enc2, &elen2) != 0 || elen2 != elen ||
		    memcmp(enc, enc2, elen) != 0)
			abort(); /* encoding is not stable */
		free(enc2);
		crush_map_destroy(again);
		free(enc);
	}

	enum { RESULT_MAX = 8 };
	void *work = malloc(crush_work_size(map, RESULT_MAX));
	uint32_t weights[256];
	for (int i = 0; i < 256; i++)
		weights[i] = (uint32_t)(i * 0x1111) & 0x1ffff;
	if (work) {
		crush_work_init(map, work, RESULT_MAX);
		for (uint32_t r = 0; r < map->max_rules && r < 4; r++) {
			for (int x = 0; x < 8; x++) {
				int out[RESULT_MAX];
				crush_do_rule(map, (int)r, x, out, RESULT_MAX, weights, 256, work,
					      map->n_choose_args ? map->choose_args[0].args : NULL,
					      NULL);
			}
		}
		free(work);
	}
	crush_map_destroy(map);
	return 0;
}
