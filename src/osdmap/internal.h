/*
 * Private to libosdmap: the shared CRUSH map wrapper and the helpers the
 * map, incremental and codec files use on each other's structures.
 */
#ifndef LOLIGO_OSDMAP_INTERNAL_H
#define LOLIGO_OSDMAP_INTERNAL_H

#include "common/encoding.h"
#include "osdmap/osdmap.h"

/*
 * A CRUSH map shared read-only by every epoch that did not change it,
 * with its encoding kept so encoding a map never re-encodes CRUSH.
 */
struct osdmap_crush_ref {
	atomic_uint ref;
	struct crush_map *map;
	uint8_t *enc;
	size_t enc_len;
};

/* Takes ownership of map; NULL on -ENOMEM (map is then destroyed). */
struct osdmap_crush_ref *osdmap__crush_ref_from_map(struct crush_map *map);
/* Decode a binary map into a new ref.  -EINVAL if it does not decode. */
int osdmap__crush_ref_decode(const uint8_t *buf, size_t len, struct osdmap_crush_ref **out);
void osdmap__crush_ref_put(struct osdmap_crush_ref *r);

/* A zeroed map struct with refcount 1 (no OSDs, pools or CRUSH). */
struct osdmap *osdmap__alloc(void);
/* Resize the OSD array; new entries are empty.  -ENOMEM. */
int osdmap__set_max_osd(struct osdmap *m, int32_t max_osd);
/* Insert or replace a pool (moves p's contents in).  -ENOMEM. */
int osdmap__pool_insert(struct osdmap *m, struct osdmap_pool *p);
/* Remove pool id; -ENOENT. */
int osdmap__pool_remove(struct osdmap *m, int64_t id);
/* Compute the derived fields (CRUSH weights) once the map is complete. */
int osdmap__finish(struct osdmap *m);
/* An empty OSD entry. */
void osdmap__osd_init(struct osdmap_osd *o);

/* Pool and OSD entry encodings, shared by the map and the incremental. */
void osdmap__pool_encode(const struct osdmap_pool *p, struct enc_buf *b);
/* Decodes into an uninitialised pool; on error the pool is released. */
int osdmap__pool_decode(struct dec_cursor *c, struct osdmap_pool *p);
void osdmap__time_encode(struct enc_buf *b, struct osdmap_time t);
struct osdmap_time osdmap__time_decode(struct dec_cursor *c);

/* JSON number as Ceph prints it: integral values without a fraction. */
struct json_t;
struct json_t *osdmap__json_num(double v);
/* 16.16 fixed point as a JSON number. */
struct json_t *osdmap__json_weight(uint32_t w);

#endif
