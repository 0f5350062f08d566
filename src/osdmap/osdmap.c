/*
 * The OSD map's lifecycle (create, refcount, free), its read-only lookups,
 * deep comparison, the shared CRUSH map wrapper, and the small value
 * formats every view of a map uses: flag names, uuids, time stamps.
 * Nothing here changes a map that has been handed out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "osdmap/internal.h"

/* ---- the shared CRUSH map ---- */

struct osdmap_crush_ref *osdmap__crush_ref_from_map(struct crush_map *map)
{
	struct osdmap_crush_ref *r = calloc(1, sizeof(*r));

	if (!r)
		goto out_map;
	if (crush_map_encode(map, &r->enc, &r->enc_len) != 0)
		goto out_ref;
	atomic_init(&r->ref, 1);
	r->map = map;
	return r;
out_ref:
	free(r);
out_map:
	crush_map_destroy(map);
	return NULL;
}

int osdmap__crush_ref_decode(const uint8_t *buf, size_t len, struct osdmap_crush_ref **out)
{
	struct osdmap_crush_ref *r;
	struct crush_map *map;
	char err[128];
	int ret;

	if (len > OSDMAP_MAX_CRUSH_LEN)
		return -EINVAL;
	ret = crush_map_decode(buf, len, &map, err, sizeof(err));
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		goto out_map;
	/* Keep the bytes we were given: re-encoding is what Ceph's own
	 * round trip would give, but the given bytes are what peers hold. */
	r->enc = malloc(len ? len : 1);
	if (!r->enc)
		goto out_ref;
	memcpy(r->enc, buf, len);
	r->enc_len = len;
	atomic_init(&r->ref, 1);
	r->map = map;
	*out = r;
	return 0;
out_ref:
	free(r);
out_map:
	crush_map_destroy(map);
	return -ENOMEM;
}

void osdmap__crush_ref_put(struct osdmap_crush_ref *r)
{
	if (!r || atomic_fetch_sub(&r->ref, 1) != 1)
		return;
	crush_map_destroy(r->map);
	free(r->enc);
	free(r);
}

/* ---- lifecycle ---- */

void osdmap__osd_init(struct osdmap_osd *o)
{
	memset(o, 0, sizeof(*o));
	o->primary_affinity = OSDMAP_AFFINITY_DEFAULT;
}

struct osdmap *osdmap__alloc(void)
{
	struct osdmap *m = calloc(1, sizeof(*m));

	if (m)
		atomic_init(&m->ref, 1);
	return m;
}

int osdmap__set_max_osd(struct osdmap *m, int32_t max_osd)
{
	struct osdmap_osd *v;

	if (max_osd < 0 || max_osd > OSDMAP_MAX_OSD)
		return -EINVAL;
	if (max_osd == m->max_osd)
		return 0;
	v = realloc(m->osds, (size_t)(max_osd ? max_osd : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (int32_t i = m->max_osd; i < max_osd; i++)
		osdmap__osd_init(&v[i]);
	m->osds = v;
	m->max_osd = max_osd;
	return 0;
}

static size_t pool_index(const struct osdmap *m, int64_t id, bool *found)
{
	size_t lo = 0, hi = m->n_pools;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->pools[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < m->n_pools && m->pools[lo].id == id;
	return lo;
}

int osdmap__pool_insert(struct osdmap *m, struct osdmap_pool *p)
{
	bool found;
	size_t i = pool_index(m, p->id, &found);

	if (found) {
		osdmap_pool_release(&m->pools[i]);
		m->pools[i] = *p;
		osdmap_pool_init(p);
		return 0;
	}
	if (m->n_pools >= OSDMAP_MAX_POOLS)
		return -ENOSPC;
	struct osdmap_pool *v = realloc(m->pools, (m->n_pools + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->pools = v;
	memmove(&v[i + 1], &v[i], (m->n_pools - i) * sizeof(*v));
	v[i] = *p;
	osdmap_pool_init(p);
	m->n_pools++;
	return 0;
}

int osdmap__pool_remove(struct osdmap *m, int64_t id)
{
	bool found;
	size_t i = pool_index(m, id, &found);

	if (!found)
		return -ENOENT;
	osdmap_pool_release(&m->pools[i]);
	memmove(&m->pools[i], &m->pools[i + 1], (m->n_pools - i - 1) * sizeof(*m->pools));
	m->n_pools--;
	return 0;
}

int osdmap__finish(struct osdmap *m)
{
	uint32_t *w = malloc((size_t)(m->max_osd ? m->max_osd : 1) * sizeof(*w));

	if (!w)
		return -ENOMEM;
	for (int32_t i = 0; i < m->max_osd; i++)
		w[i] = osdmap_exists(m, i) ? m->osds[i].weight : 0;
	free(m->crush_weights);
	m->crush_weights = w;
	m->crush = m->crush_ref->map;
	return 0;
}

int osdmap_create(const uint8_t fsid[16], struct osdmap **out)
{
	struct osdmap *m = osdmap__alloc();
	struct crush_map *crush;
	int ret = -ENOMEM;

	if (!m)
		return -ENOMEM;
	if (fsid)
		memcpy(m->fsid, fsid, 16);
	m->flags = OSDMAP_FLAGS_DEFAULT;
	crush = crush_map_create();
	if (!crush)
		goto out_map;
	m->crush_ref = osdmap__crush_ref_from_map(crush);
	if (!m->crush_ref)
		goto out_map;
	ret = osdmap__finish(m);
	if (ret)
		goto out_map;
	*out = m;
	return 0;
out_map:
	osdmap_put(m);
	return ret;
}

struct osdmap *osdmap_get(struct osdmap *m)
{
	atomic_fetch_add(&m->ref, 1);
	return m;
}

void osdmap_put(struct osdmap *m)
{
	if (!m || atomic_fetch_sub(&m->ref, 1) != 1)
		return;
	for (size_t i = 0; i < m->n_pools; i++)
		osdmap_pool_release(&m->pools[i]);
	free(m->pools);
	free(m->osds);
	free(m->crush_weights);
	osdmap__crush_ref_put(m->crush_ref);
	free(m);
}

/* ---- lookups ---- */

int osdmap_count_exists(const struct osdmap *m)
{
	int n = 0;
	for (int i = 0; i < m->max_osd; i++)
		n += osdmap_exists(m, i);
	return n;
}

int osdmap_count_up(const struct osdmap *m)
{
	int n = 0;
	for (int i = 0; i < m->max_osd; i++)
		n += osdmap_is_up(m, i);
	return n;
}

int osdmap_count_in(const struct osdmap *m)
{
	int n = 0;
	for (int i = 0; i < m->max_osd; i++)
		n += osdmap_is_in(m, i);
	return n;
}

const struct osdmap_pool *osdmap_pool_by_id(const struct osdmap *m, int64_t id)
{
	bool found;
	size_t i = pool_index(m, id, &found);
	return found ? &m->pools[i] : NULL;
}

const struct osdmap_pool *osdmap_pool_by_name(const struct osdmap *m, const char *name)
{
	for (size_t i = 0; i < m->n_pools; i++)
		if (strcmp(m->pools[i].name, name) == 0)
			return &m->pools[i];
	return NULL;
}

static bool time_eq(struct osdmap_time a, struct osdmap_time b)
{
	return a.sec == b.sec && a.nsec == b.nsec;
}

static bool osd_equal(const struct osdmap_osd *a, const struct osdmap_osd *b)
{
	return a->state == b->state && a->weight == b->weight &&
	       a->primary_affinity == b->primary_affinity &&
	       memcmp(a->uuid, b->uuid, 16) == 0 && a->up_from == b->up_from &&
	       a->up_thru == b->up_thru && a->down_at == b->down_at &&
	       a->lost_at == b->lost_at && a->last_clean_begin == b->last_clean_begin &&
	       a->last_clean_end == b->last_clean_end &&
	       strcmp(a->public_addr.addr, b->public_addr.addr) == 0 &&
	       a->public_addr.nonce == b->public_addr.nonce &&
	       strcmp(a->cluster_addr.addr, b->cluster_addr.addr) == 0 &&
	       a->cluster_addr.nonce == b->cluster_addr.nonce;
}

bool osdmap_equal(const struct osdmap *a, const struct osdmap *b)
{
	if (memcmp(a->fsid, b->fsid, 16) || a->epoch != b->epoch ||
	    !time_eq(a->created, b->created) || !time_eq(a->modified, b->modified) ||
	    !time_eq(a->last_up_change, b->last_up_change) ||
	    !time_eq(a->last_in_change, b->last_in_change) || a->flags != b->flags ||
	    a->crush_version != b->crush_version || a->max_osd != b->max_osd ||
	    a->pool_max != b->pool_max || a->n_pools != b->n_pools)
		return false;
	for (int32_t i = 0; i < a->max_osd; i++)
		if (!osd_equal(&a->osds[i], &b->osds[i]))
			return false;
	for (size_t i = 0; i < a->n_pools; i++)
		if (!osdmap_pool_equal(&a->pools[i], &b->pools[i]))
			return false;
	if (a->crush_ref == b->crush_ref)
		return true;
	return a->crush_ref->enc_len == b->crush_ref->enc_len &&
	       memcmp(a->crush_ref->enc, b->crush_ref->enc, a->crush_ref->enc_len) == 0;
}

/* ---- flags ---- */

/* Ceph's printing order, which is not bit order. */
static const struct {
	const char *name;
	uint32_t bit;
} flag_names[] = {
	{ "nearfull", OSDMAP_FLAG_NEARFULL },
	{ "full", OSDMAP_FLAG_FULL },
	{ "pauserd", OSDMAP_FLAG_PAUSERD },
	{ "pausewr", OSDMAP_FLAG_PAUSEWR },
	{ "pauserec", OSDMAP_FLAG_PAUSEREC },
	{ "noup", OSDMAP_FLAG_NOUP },
	{ "nodown", OSDMAP_FLAG_NODOWN },
	{ "noout", OSDMAP_FLAG_NOOUT },
	{ "noin", OSDMAP_FLAG_NOIN },
	{ "nobackfill", OSDMAP_FLAG_NOBACKFILL },
	{ "norebalance", OSDMAP_FLAG_NOREBALANCE },
	{ "norecover", OSDMAP_FLAG_NORECOVER },
	{ "noscrub", OSDMAP_FLAG_NOSCRUB },
	{ "nodeep-scrub", OSDMAP_FLAG_NODEEP_SCRUB },
	{ "notieragent", OSDMAP_FLAG_NOTIERAGENT },
	{ "nosnaptrim", OSDMAP_FLAG_NOSNAPTRIM },
	{ "sortbitwise", OSDMAP_FLAG_SORTBITWISE },
	{ "require_jewel_osds", OSDMAP_FLAG_REQUIRE_JEWEL },
	{ "require_kraken_osds", OSDMAP_FLAG_REQUIRE_KRAKEN },
	{ "require_luminous_osds", OSDMAP_FLAG_REQUIRE_LUMINOUS },
	{ "recovery_deletes", OSDMAP_FLAG_RECOVERY_DELETES },
	{ "purged_snapdirs", OSDMAP_FLAG_PURGED_SNAPDIRS },
	{ "pglog_hardlimit", OSDMAP_FLAG_PGLOG_HARDLIMIT },
};

uint32_t osdmap_flag_by_name(const char *name)
{
	if (strcmp(name, "pause") == 0)
		return OSDMAP_FLAG_PAUSE;
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (strcmp(flag_names[i].name, name) == 0)
			return flag_names[i].bit;
	return 0;
}

size_t osdmap_flags_str(uint32_t flags, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		int n = snprintf(off < len ? buf + off : NULL, off < len ? len - off : 0,
				 "%s%s", off ? "," : "", flag_names[i].name);
		off += (size_t)n;
	}
	return off;
}

/* ---- uuids and times ---- */

void osdmap_uuid_str(const uint8_t u[16], char buf[37])
{
	snprintf(buf, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		 u[12], u[13], u[14], u[15]);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int osdmap_uuid_parse(const char *s, uint8_t u[16])
{
	size_t n = 0;

	if (strlen(s) != 36)
		return -EINVAL;
	for (size_t i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return -EINVAL;
			continue;
		}
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		u[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	return 0;
}

void osdmap_time_str(struct osdmap_time t, char *buf, size_t len)
{
	struct tm tm;
	time_t sec = (time_t)t.sec;

	if (t.sec == 0 && t.nsec == 0) {
		snprintf(buf, len, "0.000000");
		return;
	}
	if (!gmtime_r(&sec, &tm)) {
		snprintf(buf, len, "%lld.%06u", (long long)t.sec, t.nsec / 1000);
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06u+0000", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (t.nsec % 1000000000u) / 1000);
}

struct osdmap_time osdmap_time_now(void)
{
	struct timespec ts;
	struct osdmap_time t = { 0, 0 };

	if (clock_gettime(CLOCK_REALTIME, &ts) == 0) {
		t.sec = ts.tv_sec;
		t.nsec = (uint32_t)ts.tv_nsec;
	}
	return t;
}
