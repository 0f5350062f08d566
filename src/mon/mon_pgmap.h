/*
 * Placement-group statistics on the monitor: what Ceph's manager keeps as
 * its PGMap.  Every OSD sends MON_MSG_PG_STATS to every monitor every few
 * seconds (and at once when a PG changes state); each monitor, leader or
 * peon, keeps the latest report of each OSD in memory only (never in
 * Raft: it is soft state, rebuilt within one report interval after a
 * restart) and computes from it, on the current osdmap, the state of every
 * PG and the sums `ceph -s`, `health`, `pg stat`, `pg dump`, `df` and
 * `osd df` print.
 *
 * DESIGN NOTES
 *  1. A PG's state is its acting primary's word, and only the current
 *     primary's: the report counts if it comes from the PG's acting
 *     primary in the current map, from that OSD's current incarnation
 *     (report epoch >= the OSD's up_from) and names the current acting
 *     set.  A report older than the PG's last mapping change therefore
 *     never counts, whoever sent it.
 *  2. A PG without such a report is `unknown`, except when the last
 *     report about it came from an OSD that is now down (or restarted,
 *     or silent for MON_PG_REPORT_STALE_MS): then it is that report's
 *     state plus `stale`, as Ceph shows a PG whose primary vanished.
 *  3. Stuck times (Ceph's mon_pg_stuck_threshold, 60 s) come from a
 *     per-PG history of when it was last seen active, clean, full-sized
 *     and undegraded, updated as reports arrive; a PG this monitor has
 *     not seen good since it started counts from the first time it was
 *     looked at.
 *  4. All of this runs on the monitor's loop thread; a digest points into
 *     the reports and is valid until the next report is taken.
 */
#ifndef LOLIGO_MON_PGMAP_H
#define LOLIGO_MON_PGMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mon/mon_proto.h"
#include "osdmap/osdmap.h"

/* Ceph's bit; the monitor sets it, OSDs never report it. */
#define MON_PG_STATE_STALE PG_STATE_STALE
/* A report unrefreshed this long makes its PGs stale. */
#define MON_PG_REPORT_STALE_MS 30000
/* Ceph's mon_pg_stuck_threshold. */
#define MON_PG_STUCK_MS 60000
/* Ceph's mon_osd_full_ratio (a float in Ceph: its rounding shows). */
#define MON_OSD_FULL_RATIO 0.95f

/* Client I/O rates, per second: read ops, read bytes, write ops, write
 * bytes (from the counters in consecutive reports of a PG's primary). */
enum { MON_IO_RD, MON_IO_RD_BYTES, MON_IO_WR, MON_IO_WR_BYTES, MON_IO_N };
/* A PG whose primary has not reported for this long counts as idle. */
#define MON_PG_IO_FRESH_MS 10000

struct mon_pg_report {
	bool have;
	struct mon_pg_stats st; /* st.pgs owned */
	uint64_t recv_ms;       /* monotonic */
};

struct mon_pg_hist {
	int64_t pool; /* -1: empty slot */
	uint32_t ps;
	uint64_t first_ms, active_ms, clean_ms, fullsized_ms, undegraded_ms;
	uint64_t first_wall_ms; /* realtime of first_ms */
	uint64_t change_ms;     /* when `state` was first seen */
	uint32_t state;
	/* the I/O counters of the last report and the rates since the one
	 * before it, both from OSD io_osd */
	int32_t io_osd;
	uint64_t io_ms;
	uint64_t io[MON_IO_N];
	double io_rate[MON_IO_N];
};

struct mon_pgmap {
	int32_t n_osds; /* reports[] size */
	struct mon_pg_report *reports;
	size_t hist_cap, hist_n; /* open addressing, cap a power of 2 */
	struct mon_pg_hist *hist;
	uint64_t n_received;
};

void mon_pgmap_init(struct mon_pgmap *pm);
void mon_pgmap_release(struct mon_pgmap *pm);
/*
 * Take an OSD's report (s->pgs moves into the map; *s is zeroed).
 * -EINVAL for a negative or absurd OSD id, -ENOMEM.
 */
int mon_pgmap_report(struct mon_pgmap *pm, struct mon_pg_stats *s, uint64_t now_ms);

/* ---- the digest: every PG of the current map, and the sums ---- */

struct mon_pg_info {
	int64_t pool;
	uint32_t ps;
	uint32_t state;   /* PG_STATE_* | MON_PG_STATE_STALE; PG_STATE_UNKNOWN alone */
	const struct mon_pg_stat *stat; /* the report used, NULL when unknown */
	int32_t reporter;
	struct osdmap_pg_mapping map;
	/* ms since last seen active / clean / full-sized / undegraded */
	uint64_t inactive_ms, unclean_ms, undersized_ms, degraded_ms;
	uint64_t since_ms;      /* in this state since (as this monitor saw it) */
	double io_rate[MON_IO_N]; /* 0 when its primary's reports are old */
	uint64_t first_wall_ms; /* realtime this monitor first saw the PG */
};

struct mon_pool_digest {
	const struct osdmap_pool *pool;
	uint32_t n_pgs;
	uint64_t objects, bytes, omap_keys, log_size;
	uint64_t copies, degraded; /* object copies wanted / missing */
	uint64_t rd, rd_bytes, wr, wr_bytes; /* client I/O served, as counted */
	double io_rate[MON_IO_N];
	int64_t max_avail;         /* bytes a client may still write; -1 unknown */
};

struct mon_osd_digest {
	const struct mon_pg_stats *st; /* NULL: no report */
	uint32_t primary_pgs;          /* PGs it is acting primary for */
	uint32_t pgs;                  /* PGs whose acting set holds it */
};

struct mon_state_count {
	uint32_t state;
	uint32_t count;
};

struct mon_pg_digest {
	uint32_t epoch;
	size_t n_pgs;
	struct mon_pg_info *pgs; /* by pool, then ps */
	size_t n_pools;
	struct mon_pool_digest *pools; /* the map's pools, in order */
	int32_t max_osd;
	struct mon_osd_digest *osds; /* max_osd entries */
	size_t n_states;
	struct mon_state_count *states; /* by count, most first */
	uint64_t objects, bytes, omap_keys, copies, degraded;
	/* OSD usage in KiB, over the OSDs that count (exist, up or in) */
	uint64_t kb, kb_used, kb_avail, kb_used_data, kb_used_omap, kb_used_meta;
	uint32_t n_osd_stats;
	uint32_t n_unknown, n_inactive, n_stale, n_peering, n_down, n_degraded, n_undersized;
	double io_rate[MON_IO_N];
};

/* Build the digest of `m` at now_ms (updates the stuck history). */
int mon_pg_digest_build(struct mon_pgmap *pm, const struct osdmap *m, uint64_t now_ms,
			struct mon_pg_digest *d);
void mon_pg_digest_release(struct mon_pg_digest *d);
/* The PG of the digest, or NULL. */
const struct mon_pg_info *mon_pg_digest_find(const struct mon_pg_digest *d, int64_t pool,
					     uint32_t ps);

/* ---- formatting, as Ceph prints ---- */

/* "active+clean", "stale+active+undersized", "unknown". */
size_t mon_pg_state_str(uint32_t state, char *buf, size_t len);
/* Ceph's byte counts: "0 B", "13 KiB", "3.7 GiB", "4 GiB". */
void mon_fmt_bytes(uint64_t bytes, char *buf, size_t len);
/* Ceph's SI counts: "0", "999", "1.03k", "12M". */
void mon_fmt_si(uint64_t n, char *buf, size_t len);
/* Is there client I/O in these rates? */
bool mon_io_any(const double rate[MON_IO_N]);
/* Ceph's client I/O line: "1.2 KiB/s rd, 4 KiB/s wr, 3 op/s rd, 1 op/s wr"
 * (a byte rate only when not zero). */
void mon_fmt_io(const double rate[MON_IO_N], char *buf, size_t len);
/* A PG id: "2.1f". */
void mon_fmt_pgid(int64_t pool, uint32_t ps, char *buf, size_t len);
/* Parse "2.1f": 0, or -EINVAL. */
int mon_parse_pgid(const char *s, int64_t *pool, uint32_t *ps);

#endif
