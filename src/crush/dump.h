/*
 * Human and machine readable views of a CRUSH map, as crushtool prints
 * them: `--dump` (Ceph's JSON layout, compact or pretty) and `--tree` (the
 * indented table of buckets and devices).  Nothing here changes the map.
 */
#ifndef LOLIGO_CRUSH_DUMP_H
#define LOLIGO_CRUSH_DUMP_H

#include <stdbool.h>
#include <stdio.h>

#include "crush/crush.h"

/*
 * Write the map as JSON in Ceph's key order.  format is "json" (compact)
 * or "json-pretty" (4-space indent); anything else is treated as
 * json-pretty, as Ceph falls back to it.  Returns 0 or -ENOMEM / -EIO.
 */
int crush_dump_json(const struct crush_map *map, const char *format, FILE *out);

/* Write the `--tree` table: roots in ascending id order, children sorted
 * by (device class, name).  Returns 0 or -ENOMEM. */
int crush_dump_tree(const struct crush_map *map, FILE *out);

/* Ceph's feature summary of a map (the "tunables" section of --dump). */
bool crush_map_has_v2_rules(const struct crush_map *map);
bool crush_map_has_v3_rules(const struct crush_map *map);
bool crush_map_has_v4_buckets(const struct crush_map *map);
bool crush_map_has_v5_rules(const struct crush_map *map);
const char *crush_map_min_required_version(const struct crush_map *map);

#endif /* LOLIGO_CRUSH_DUMP_H */
