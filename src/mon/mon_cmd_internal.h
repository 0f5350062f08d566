/*
 * Helpers shared by the command handler files (mon_cmd_*.c): reading
 * arguments the way Ceph's monitor does, writing output in the asked
 * format, and turning an edit into the next osdmap epoch.
 *
 * Handler rules (mon_state.h DESIGN NOTES): a handler is a function of
 * (c->st, c->args, c->in, c->now_*) only.  Writes build one
 * osdmap_inc for epoch + 1 and commit it with mon_cmd_commit(); a
 * handler that finds nothing to change commits nothing.
 */
#ifndef LOLIGO_MON_CMD_INTERNAL_H
#define LOLIGO_MON_CMD_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "crush/crush.h"
#include "mon/mon_state.h"

/* ---- arguments (mon_commands.c) ---- */

/* A string argument, or NULL if absent or not a string. */
const char *mon_arg_str(const struct mon_cmd *c, const char *name);
/*
 * An integer argument: a JSON integer, or a string holding one (what
 * older clients send).  Returns 1 and sets *out if present, 0 if
 * absent, -EINVAL if present but not an integer.
 */
int mon_arg_int(const struct mon_cmd *c, const char *name, int64_t *out);
/* A float argument (JSON number or numeric string); as mon_arg_int. */
int mon_arg_float(const struct mon_cmd *c, const char *name, double *out);
/* A CephBool: true, "true", or the "--yes-i-..." spelling older CLIs
 * sent; also the legacy "sure" argument when flag_spelling is given. */
bool mon_arg_bool(const struct mon_cmd *c, const char *name, const char *flag_spelling);
/* A string-list argument (n=N): array of strings, or one string.  Returns
 * the count, or -EINVAL; strings point into c->args. */
int mon_arg_strv(const struct mon_cmd *c, const char *name, const char **v, int max);
/* The "format" argument: true if one of the JSON formats was asked. */
bool mon_fmt_is_json(const struct mon_cmd *c);
/* For commands whose only output is JSON: the JSON flavour to use when
 * "format" is absent or "plain" (Ceph's per-command default). */
enum mon_format mon_fmt_json_default(const struct mon_cmd *c, enum mon_format dflt);

/* ---- output ---- */

int mon_out_printf(struct mon_cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int mon_out_bytes(struct mon_cmd *c, const void *p, size_t n);
/* Write json (reference stolen) as Ceph's formatter does: compact for
 * MON_FORMAT_JSON, 4-space indent and a final newline for PRETTY. */
int mon_out_json(struct mon_cmd *c, json_t *json, enum mon_format fmt);
/* As mon_out_json with the command's own format (plain -> pretty). */
int mon_out_json_fmt(struct mon_cmd *c, json_t *json);
/* The same followed by one more newline: what Ceph's OSD-map and
 * monitor-status commands print (json ends "}\n", json-pretty "}\n\n"). */
int mon_out_json_nl(struct mon_cmd *c, json_t *json, enum mon_format fmt);
int mon_out_json_fmt_nl(struct mon_cmd *c, json_t *json);
/* Run a FILE-printing function (osdmap_print_*) into the output. */
typedef int (*mon_print_fn)(void *arg, FILE *out);
int mon_out_print(struct mon_cmd *c, mon_print_fn fn, void *arg);
/* -ENOMEM with Ceph's words. */
/* Add to the status line (Ceph's per-item messages: "osd.9 does not
 * exist. "); silently cut at its size. */
void mon_outs_append(struct mon_cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int mon_cmd_nomem(struct mon_cmd *c);

/* ---- writes ---- */

/* A new incremental for the next epoch, stamped with the command's
 * time.  NULL on -ENOMEM (c->rc set). */
struct osdmap_inc *mon_cmd_inc(struct mon_cmd *c);
/* Commit and destroy inc; on failure sets c->rc (keeping any status). */
int mon_cmd_commit(struct mon_cmd *c, struct osdmap_inc *inc);
/* A private, editable copy of the current CRUSH map.  NULL on -ENOMEM. */
struct crush_map *mon_cmd_crush_copy(struct mon_cmd *c);
/* Commit a whole new CRUSH map (crush_version + 1) as the next epoch;
 * destroys map. */
int mon_cmd_commit_crush(struct mon_cmd *c, struct crush_map *map);

/* ---- shared lookups ---- */

/* Parse "N", "osd.N": 0 and *id, or -EINVAL. */
int mon_parse_osd_id(const char *s, int32_t *id);
/* A pool named by the "pool" argument (or `arg`): NULL with ENOENT set
 * ("unrecognized pool 'x'"). */
const struct osdmap_pool *mon_cmd_pool(struct mon_cmd *c, const char *arg);

/* ---- handlers, by file ---- */

/* ---- CRUSH locations (mon_cmd_crush.c) ---- */

#define MON_CRUSH_LOC_MAX 16

/* A parsed location, sorted by type; v[] points into buf and the words. */
struct mon_crush_loc {
	size_t n;
	struct crush_loc v[MON_CRUSH_LOC_MAX];
	char buf[MON_CRUSH_LOC_MAX][256]; /* the type halves, after "pool" -> "root" */
	char text[1024];                  /* "{host=daisy,root=default}" */
};

/* TYPE=NAME words into a location (every type must exist in map);
 * need_one: an empty location is an error.  Sets c's status on error.
 * The words must outlive l. */
int mon_crush_loc_parse(struct mon_cmd *c, const struct crush_map *map, const char *const *words,
			int n, struct mon_crush_loc *l, bool need_one);

enum mon_crush_placed { MON_CRUSH_UNCHANGED, MON_CRUSH_CREATED, MON_CRUSH_MOVED };
/*
 * Ceph's create-or-move on an editable map: a device not in the
 * hierarchy is inserted at l with `weight` (16.16), creating missing
 * buckets; one elsewhere is moved there keeping its weight; one already
 * there is left alone.  Sets *what; 0 or -errno with a reason in err.
 */
int mon_crush_create_or_move(struct crush_map *map, int32_t id, uint32_t weight,
			     const struct mon_crush_loc *l, enum mon_crush_placed *what, char *err,
			     size_t errlen);

/* mon_cmd_misc.c */
int mon_cmd_status(struct mon_cmd *c);
int mon_cmd_health(struct mon_cmd *c);
int mon_cmd_mon_stat(struct mon_cmd *c);
int mon_cmd_mon_dump(struct mon_cmd *c);
int mon_cmd_quorum_status(struct mon_cmd *c);
int mon_cmd_fsid(struct mon_cmd *c);
int mon_cmd_ck_set(struct mon_cmd *c);
int mon_cmd_ck_get(struct mon_cmd *c);
int mon_cmd_ck_ls(struct mon_cmd *c);
int mon_cmd_ck_rm(struct mon_cmd *c);
int mon_cmd_ck_exists(struct mon_cmd *c);
int mon_cmd_ck_dump(struct mon_cmd *c);

/* mon_cmd_osd.c */
int mon_cmd_osd_create(struct mon_cmd *c);
int mon_cmd_osd_new(struct mon_cmd *c);
int mon_cmd_osd_create_normalize(struct mon_cmd *c, struct conf *conf);
int mon_cmd_osd_rm(struct mon_cmd *c);
int mon_cmd_osd_tree(struct mon_cmd *c);
int mon_cmd_osd_dump(struct mon_cmd *c);
int mon_cmd_osd_stat(struct mon_cmd *c);
int mon_cmd_osd_ls(struct mon_cmd *c);
int mon_cmd_osd_getmaxosd(struct mon_cmd *c);
int mon_cmd_osd_setmaxosd(struct mon_cmd *c);
int mon_cmd_osd_in(struct mon_cmd *c);
int mon_cmd_osd_out(struct mon_cmd *c);
int mon_cmd_osd_down(struct mon_cmd *c);
int mon_cmd_osd_set(struct mon_cmd *c);
int mon_cmd_osd_unset(struct mon_cmd *c);
int mon_cmd_osd_getcrushmap(struct mon_cmd *c);
int mon_cmd_osd_setcrushmap(struct mon_cmd *c);
int mon_cmd_osd_map(struct mon_cmd *c);

/* mon_cmd_pg.c: the PG statistics views */
struct mon_pg_digest;
/* The digest of c's pgmap on the current osdmap (no reports if c has no
 * pgmap); sets c's status on -ENOMEM. */
int mon_cmd_digest(struct mon_cmd *c, struct mon_pg_digest *d);
/* "1/3 objects degraded (33.333%)", or "" when nothing is degraded. */
void mon_fmt_degraded(const struct mon_pg_digest *d, char *buf, size_t len);
/* degraded_objects/_total/_ratio members, when something is degraded. */
void mon_pg_summary_json(const struct mon_pg_digest *d, json_t *o, bool with_degraded);
int mon_cmd_pg_stat(struct mon_cmd *c);
int mon_cmd_pg_dump(struct mon_cmd *c);
/* pg ls, ls-by-pool, ls-by-primary, ls-by-osd */
int mon_cmd_pg_ls(struct mon_cmd *c);
/* osd perf: each reporting OSD's store commit/apply latency */
int mon_cmd_osd_perf(struct mon_cmd *c);
int mon_cmd_pg_map(struct mon_cmd *c);
int mon_cmd_df(struct mon_cmd *c);
int mon_cmd_osd_df(struct mon_cmd *c);
int mon_cmd_osd_pool_stats(struct mon_cmd *c);

/* mon_cmd_boot.c */
int mon_cmd_osd_boot(struct mon_cmd *c);

/* mon_cmd_pool.c */
int mon_cmd_pool_create_normalize(struct mon_cmd *c, struct conf *conf);
int mon_cmd_pool_delete_normalize(struct mon_cmd *c, struct conf *conf);
int mon_cmd_pool_set_normalize(struct mon_cmd *c, struct conf *conf);
int mon_cmd_pool_create(struct mon_cmd *c);
int mon_cmd_pool_ls(struct mon_cmd *c);
int mon_cmd_lspools(struct mon_cmd *c);
int mon_cmd_pool_get(struct mon_cmd *c);
int mon_cmd_pool_set(struct mon_cmd *c);
int mon_cmd_pool_delete(struct mon_cmd *c);
int mon_cmd_pool_rename(struct mon_cmd *c);
int mon_cmd_app_enable(struct mon_cmd *c);
int mon_cmd_app_disable(struct mon_cmd *c);
int mon_cmd_app_get(struct mon_cmd *c);
int mon_cmd_app_set(struct mon_cmd *c);
int mon_cmd_app_rm(struct mon_cmd *c);

/* mon_cmd_crush.c */
int mon_cmd_crush_add(struct mon_cmd *c);
int mon_cmd_crush_set(struct mon_cmd *c);
int mon_cmd_crush_remove(struct mon_cmd *c);
int mon_cmd_crush_unlink(struct mon_cmd *c);
int mon_cmd_crush_reweight(struct mon_cmd *c);
int mon_cmd_crush_add_bucket(struct mon_cmd *c);
int mon_cmd_crush_move(struct mon_cmd *c);
int mon_cmd_crush_create_or_move(struct mon_cmd *c);
int mon_cmd_crush_rule_create_replicated(struct mon_cmd *c);
int mon_cmd_crush_rule_create_simple(struct mon_cmd *c);
int mon_cmd_crush_rule_ls(struct mon_cmd *c);
int mon_cmd_crush_rule_dump(struct mon_cmd *c);
int mon_cmd_crush_rule_rm(struct mon_cmd *c);
int mon_cmd_crush_tunables(struct mon_cmd *c);
int mon_cmd_crush_show_tunables(struct mon_cmd *c);
int mon_cmd_crush_dump(struct mon_cmd *c);
int mon_cmd_crush_tree(struct mon_cmd *c);
int mon_cmd_crush_ls(struct mon_cmd *c);

/* The "ids" words of osd rm/in/out/down and the device-class commands. */
#define MON_MAX_IDS 4096
enum mon_ids_bad {
	MON_IDS_BAD_FAILS,      /* osd rm/in/out/down: EINVAL, Ceph's words */
	MON_IDS_BAD_SAID,       /* set-device-class: said in the status, skipped */
	MON_IDS_BAD_SAID_FAILS, /* rm-device-class: said, then EINVAL */
};
int mon_cmd_osd_ids(struct mon_cmd *c, int32_t *ids, int max, enum mon_ids_bad bad);

/* ---- device classes (mon_cmd_class.c) ---- */
int mon_cmd_crush_set_device_class(struct mon_cmd *c);
int mon_cmd_crush_rm_device_class(struct mon_cmd *c);
int mon_cmd_crush_get_device_class(struct mon_cmd *c);
int mon_cmd_crush_class_create(struct mon_cmd *c);
int mon_cmd_crush_class_rm(struct mon_cmd *c);
int mon_cmd_crush_class_rename(struct mon_cmd *c);
int mon_cmd_crush_class_ls(struct mon_cmd *c);
int mon_cmd_crush_class_ls_osd(struct mon_cmd *c);
int mon_cmd_crush_rule_ls_by_class(struct mon_cmd *c);

#endif /* LOLIGO_MON_CMD_INTERNAL_H */
