/*
 * Fuzz target for the OSD map decoders: the same bytes go to the full-map
 * and the incremental decoder.  A map that decodes must re-encode to
 * bytes that decode to an equal map, and every view and placement helper
 * must survive it; an incremental that decodes is applied to an empty
 * epoch 0 and the result exercised the same way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "common/encoding.h"
#include "osdmap/osdmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct osdmap *m)
{
	FILE *null = fopen("/dev/null", "w");
	struct enc_buf b;
	struct osdmap *again;
	uint8_t *buf;
	size_t len;

	if (!null)
		abort();
	enc_buf_init(&b);
	if (osdmap_encode(m, &b))
		abort();
	buf = enc_buf_detach(&b, &len);
	if (!buf || osdmap_decode(buf, len, &again) || !osdmap_equal(m, again))
		abort();
	osdmap_put(again);
	free(buf);

	osdmap_print_dump(m, null);
	osdmap_print_pools(m, null);
	osdmap_print_stat(m, osdmap_time_now(), null);
	osdmap_print_tree(m, null);
	json_t *views[] = { osdmap_json_dump(m), osdmap_json_tree(m), osdmap_json_pools(m),
			    osdmap_json_stat(m) };
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		if (views[i])
			osdmap_json_write(views[i], "json", null);
		json_decref(views[i]);
	}
	for (size_t i = 0; i < m->n_pools && i < 4; i++) {
		const struct osdmap_pool *p = &m->pools[i];
		for (uint32_t ps = 0; ps < p->pg_num && ps < 8; ps++) {
			struct osdmap_pg_mapping pm;
			osdmap_pg_to_up_acting(m, p->id, ps, &pm);
		}
		osdmap_print_object_map(m, p->name, "ns", "obj", null);
		json_decref(osdmap_json_object_map(m, p->name, NULL, "obj"));
	}
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct osdmap *m, *empty, *next;
	struct osdmap_inc *inc;

	if (osdmap_decode(data, size, &m) == 0) {
		exercise(m);
		osdmap_put(m);
	}
	if (osdmap_inc_decode(data, size, &inc) == 0) {
		struct enc_buf b;
		enc_buf_init(&b);
		if (osdmap_inc_encode(inc, &b))
			abort();
		enc_buf_release(&b);
		if (osdmap_create(NULL, &empty) == 0) {
			inc->epoch = 1;
			if (osdmap_apply_inc(empty, inc, &next) == 0) {
				exercise(next);
				osdmap_put(next);
			}
			osdmap_put(empty);
		}
		osdmap_inc_destroy(inc);
	}
	return 0;
}
