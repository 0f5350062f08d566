/*
 * The versioned binary encodings of a full map and of an incremental
 * (Loligo's own format, little-endian, every structure in an enc_start
 * envelope; docs/osdmap.md lists the fields).  The CRUSH map inside is
 * Ceph's binary CRUSH format.  Decoding trusts nothing: every count is
 * checked against a limit and against the bytes left before it sizes an
 * allocation, pools must arrive sorted and valid, and the result is a
 * map that osdmap_encode() turns back into the same bytes.
 *
 * Compatibility: a version-1 decoder reads any body whose compat version
 * is 1, skipping fields a newer encoder appended; new fields are only
 * ever appended, read when the envelope's version says they are there.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "osdmap/internal.h"

#define MAP_VERSION 1
#define MAP_COMPAT 1
#define INC_VERSION 1
#define INC_COMPAT 1
#define POOL_VERSION 1
#define POOL_COMPAT 1
#define OSD_VERSION 1
#define OSD_COMPAT 1

void osdmap__time_encode(struct enc_buf *b, struct osdmap_time t)
{
	enc_put_s64(b, t.sec);
	enc_put_u32(b, t.nsec);
}

struct osdmap_time osdmap__time_decode(struct dec_cursor *c)
{
	struct osdmap_time t;

	t.sec = dec_s64(c);
	t.nsec = dec_u32(c);
	if (t.nsec >= 1000000000u)
		dec_fail(c, -EBADMSG);
	return t;
}

static void addr_encode(struct enc_buf *b, const struct osdmap_addr *a)
{
	enc_put_string(b, a->addr);
	enc_put_u32(b, a->nonce);
}

static void addr_decode(struct dec_cursor *c, struct osdmap_addr *a)
{
	dec_string_buf(c, a->addr, sizeof(a->addr));
	a->nonce = dec_u32(c);
}

/* ---- pools ---- */

void osdmap__pool_encode(const struct osdmap_pool *p, struct enc_buf *b)
{
	size_t mark = enc_start(b, POOL_VERSION, POOL_COMPAT);

	enc_put_s64(b, p->id);
	enc_put_string(b, p->name);
	enc_put_u8(b, p->type);
	enc_put_u8(b, p->size);
	enc_put_u8(b, p->min_size);
	enc_put_u8(b, p->object_hash);
	enc_put_s32(b, p->crush_rule);
	enc_put_u32(b, p->pg_num);
	enc_put_u32(b, p->pgp_num);
	enc_put_u64(b, p->flags);
	enc_put_u32(b, p->last_change);
	osdmap__time_encode(b, p->create_time);
	enc_put_u64(b, p->quota_max_bytes);
	enc_put_u64(b, p->quota_max_objects);
	enc_put_u32(b, p->stripe_width);
	enc_put_u8(b, p->autoscale_mode);
	enc_put_string(b, p->erasure_code_profile);
	enc_put_u32(b, (uint32_t)p->n_apps);
	for (size_t i = 0; i < p->n_apps; i++) {
		enc_put_string(b, p->apps[i].name);
		enc_put_u32(b, (uint32_t)p->apps[i].n_kv);
		for (size_t k = 0; k < p->apps[i].n_kv; k++) {
			enc_put_string(b, p->apps[i].kv[k].key);
			enc_put_string(b, p->apps[i].kv[k].val);
		}
	}
	enc_finish(b, mark);
}

static void apps_decode(struct dec_cursor *c, struct osdmap_pool *p)
{
	uint32_t n = dec_u32(c);

	/* each application takes at least 8 bytes (name length, key count) */
	if (n > OSDMAP_MAX_APPS || n > dec_left(c) / 8) {
		dec_fail(c, -EBADMSG);
		return;
	}
	if (!n)
		return;
	p->apps = calloc(n, sizeof(*p->apps));
	if (!p->apps) {
		dec_fail(c, -ENOMEM);
		return;
	}
	for (uint32_t i = 0; i < n && !dec_error(c); i++) {
		struct osdmap_app *a = &p->apps[p->n_apps++];
		uint32_t nkv;
		a->name = dec_string(c, OSDMAP_NAME_MAX);
		nkv = dec_u32(c);
		if (dec_error(c))
			return;
		if (nkv > OSDMAP_MAX_APP_KEYS || nkv > dec_left(c) / 8) {
			dec_fail(c, -EBADMSG);
			return;
		}
		if (!nkv)
			continue;
		a->kv = calloc(nkv, sizeof(*a->kv));
		if (!a->kv) {
			dec_fail(c, -ENOMEM);
			return;
		}
		for (uint32_t k = 0; k < nkv && !dec_error(c); k++) {
			a->kv[a->n_kv].key = dec_string(c, OSDMAP_NAME_MAX);
			a->kv[a->n_kv].val = dec_string(c, OSDMAP_VALUE_MAX);
			a->n_kv++;
		}
	}
}

int osdmap__pool_decode(struct dec_cursor *c, struct osdmap_pool *p)
{
	struct dec_cursor sub;
	uint8_t version;
	int ret;

	osdmap_pool_init(p);
	ret = dec_start(c, POOL_VERSION, &version, &sub);
	if (ret)
		return ret;
	p->id = dec_s64(&sub);
	p->name = dec_string(&sub, OSDMAP_NAME_MAX);
	p->type = dec_u8(&sub);
	p->size = dec_u8(&sub);
	p->min_size = dec_u8(&sub);
	p->object_hash = dec_u8(&sub);
	p->crush_rule = dec_s32(&sub);
	p->pg_num = dec_u32(&sub);
	p->pgp_num = dec_u32(&sub);
	p->flags = dec_u64(&sub);
	p->last_change = dec_u32(&sub);
	p->create_time = osdmap__time_decode(&sub);
	p->quota_max_bytes = dec_u64(&sub);
	p->quota_max_objects = dec_u64(&sub);
	p->stripe_width = dec_u32(&sub);
	p->autoscale_mode = dec_u8(&sub);
	p->erasure_code_profile = dec_string(&sub, OSDMAP_NAME_MAX);
	apps_decode(&sub, p);
	ret = dec_finish(c, &sub);
	if (!ret && osdmap_pool_validate(p)) {
		dec_fail(c, -EINVAL);
		ret = -EINVAL;
	}
	if (ret)
		osdmap_pool_release(p);
	return ret;
}

/* Decode a count of pools into a sorted (strictly increasing id) array. */
static struct osdmap_pool *pools_decode(struct dec_cursor *c, size_t *count)
{
	uint32_t n = dec_u32(c);
	struct osdmap_pool *v;

	*count = 0;
	if (n > OSDMAP_MAX_POOLS || n > dec_left(c) / ENC_ENVELOPE_LEN) {
		dec_fail(c, -EBADMSG);
		return NULL;
	}
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		dec_fail(c, -ENOMEM);
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (osdmap__pool_decode(c, &v[i]))
			break;
		(*count)++;
	}
	return v;
}

/* ---- OSD entries ---- */

static void osd_encode(struct enc_buf *b, const struct osdmap_osd *o)
{
	size_t mark = enc_start(b, OSD_VERSION, OSD_COMPAT);

	enc_put_u32(b, o->state);
	enc_put_u32(b, o->weight);
	enc_put_u32(b, o->primary_affinity);
	enc_put_bytes(b, o->uuid, 16);
	enc_put_u32(b, o->up_from);
	enc_put_u32(b, o->up_thru);
	enc_put_u32(b, o->down_at);
	enc_put_u32(b, o->lost_at);
	enc_put_u32(b, o->last_clean_begin);
	enc_put_u32(b, o->last_clean_end);
	addr_encode(b, &o->public_addr);
	addr_encode(b, &o->cluster_addr);
	enc_finish(b, mark);
}

static void osd_decode(struct dec_cursor *c, struct osdmap_osd *o)
{
	struct dec_cursor sub;
	uint8_t version;

	osdmap__osd_init(o);
	if (dec_start(c, OSD_VERSION, &version, &sub))
		return;
	o->state = dec_u32(&sub);
	o->weight = dec_u32(&sub);
	o->primary_affinity = dec_u32(&sub);
	dec_bytes(&sub, o->uuid, 16);
	o->up_from = dec_u32(&sub);
	o->up_thru = dec_u32(&sub);
	o->down_at = dec_u32(&sub);
	o->lost_at = dec_u32(&sub);
	o->last_clean_begin = dec_u32(&sub);
	o->last_clean_end = dec_u32(&sub);
	addr_decode(&sub, &o->public_addr);
	addr_decode(&sub, &o->cluster_addr);
	if (dec_finish(c, &sub) == 0 &&
	    (o->weight > OSDMAP_WEIGHT_IN || o->primary_affinity > OSDMAP_AFFINITY_DEFAULT))
		dec_fail(c, -EINVAL);
}

/* ---- the full map ---- */

int osdmap_encode(const struct osdmap *m, struct enc_buf *b)
{
	size_t mark = enc_start(b, MAP_VERSION, MAP_COMPAT);

	enc_put_bytes(b, m->fsid, 16);
	enc_put_u32(b, m->epoch);
	osdmap__time_encode(b, m->created);
	osdmap__time_encode(b, m->modified);
	osdmap__time_encode(b, m->last_up_change);
	osdmap__time_encode(b, m->last_in_change);
	enc_put_u32(b, m->flags);
	enc_put_u32(b, m->crush_version);
	enc_put_s64(b, m->pool_max);
	enc_put_s32(b, m->max_osd);
	for (int32_t i = 0; i < m->max_osd; i++)
		osd_encode(b, &m->osds[i]);
	enc_put_u32(b, (uint32_t)m->n_pools);
	for (size_t i = 0; i < m->n_pools; i++)
		osdmap__pool_encode(&m->pools[i], b);
	enc_put_blob(b, m->crush_ref->enc, m->crush_ref->enc_len);
	return enc_finish(b, mark);
}

static int map_decode_body(struct dec_cursor *c, struct osdmap *m)
{
	int32_t max_osd;
	const uint8_t *crush;
	size_t crush_len;
	int ret;

	dec_bytes(c, m->fsid, 16);
	m->epoch = dec_u32(c);
	m->created = osdmap__time_decode(c);
	m->modified = osdmap__time_decode(c);
	m->last_up_change = osdmap__time_decode(c);
	m->last_in_change = osdmap__time_decode(c);
	m->flags = dec_u32(c);
	m->crush_version = dec_u32(c);
	m->pool_max = dec_s64(c);
	max_osd = dec_s32(c);
	if (dec_error(c))
		return dec_error(c);
	if (max_osd < 0 || max_osd > OSDMAP_MAX_OSD ||
	    (size_t)max_osd > dec_left(c) / ENC_ENVELOPE_LEN)
		return -EBADMSG;
	ret = osdmap__set_max_osd(m, max_osd);
	if (ret)
		return ret;
	for (int32_t i = 0; i < max_osd && !dec_error(c); i++)
		osd_decode(c, &m->osds[i]);
	m->pools = pools_decode(c, &m->n_pools);
	if (dec_error(c))
		return dec_error(c);
	for (size_t i = 0; i < m->n_pools; i++)
		if ((i && m->pools[i - 1].id >= m->pools[i].id) ||
		    m->pools[i].id > m->pool_max)
			return -EINVAL;
	crush = dec_blob_ref(c, OSDMAP_MAX_CRUSH_LEN, &crush_len);
	if (dec_error(c))
		return dec_error(c);
	return osdmap__crush_ref_decode(crush, crush_len, &m->crush_ref);
}

int osdmap_decode(const void *buf, size_t len, struct osdmap **out)
{
	struct dec_cursor c, sub;
	struct osdmap *m;
	uint8_t version;
	int ret;

	dec_init(&c, buf, len);
	ret = dec_start(&c, MAP_VERSION, &version, &sub);
	if (ret)
		return ret;
	m = osdmap__alloc();
	if (!m)
		return -ENOMEM;
	ret = map_decode_body(&sub, m);
	if (!ret)
		ret = dec_finish(&c, &sub);
	if (!ret)
		ret = osdmap__finish(m);
	if (ret) {
		osdmap_put(m);
		return ret;
	}
	*out = m;
	return 0;
}

/* ---- incrementals ---- */

static void inc_osd_encode(struct enc_buf *b, const struct osdmap_inc_osd *o)
{
	size_t mark = enc_start(b, OSD_VERSION, OSD_COMPAT);

	enc_put_s32(b, o->osd);
	enc_put_u32(b, o->mask);
	enc_put_u32(b, o->state_set);
	enc_put_u32(b, o->state_clear);
	enc_put_u32(b, o->weight);
	enc_put_bytes(b, o->uuid, 16);
	addr_encode(b, &o->public_addr);
	addr_encode(b, &o->cluster_addr);
	enc_put_u32(b, o->up_from);
	enc_put_u32(b, o->up_thru);
	enc_put_u32(b, o->down_at);
	enc_put_u32(b, o->lost_at);
	enc_put_u32(b, o->last_clean_begin);
	enc_put_u32(b, o->last_clean_end);
	enc_put_u32(b, o->primary_affinity);
	enc_finish(b, mark);
}

static void inc_osd_decode(struct dec_cursor *c, struct osdmap_inc_osd *o)
{
	struct dec_cursor sub;
	uint8_t version;

	memset(o, 0, sizeof(*o));
	if (dec_start(c, OSD_VERSION, &version, &sub))
		return;
	o->osd = dec_s32(&sub);
	o->mask = dec_u32(&sub) & OSDMAP_INC_ALL;
	o->state_set = dec_u32(&sub);
	o->state_clear = dec_u32(&sub);
	o->weight = dec_u32(&sub);
	dec_bytes(&sub, o->uuid, 16);
	addr_decode(&sub, &o->public_addr);
	addr_decode(&sub, &o->cluster_addr);
	o->up_from = dec_u32(&sub);
	o->up_thru = dec_u32(&sub);
	o->down_at = dec_u32(&sub);
	o->lost_at = dec_u32(&sub);
	o->last_clean_begin = dec_u32(&sub);
	o->last_clean_end = dec_u32(&sub);
	o->primary_affinity = dec_u32(&sub);
	/* The same bounds the full map's decoder holds every OSD to. */
	if (dec_finish(c, &sub) == 0 &&
	    (o->osd < 0 || o->osd >= OSDMAP_MAX_OSD ||
	     ((o->mask & OSDMAP_INC_WEIGHT) && o->weight > OSDMAP_WEIGHT_IN) ||
	     ((o->mask & OSDMAP_INC_AFFINITY) &&
	      o->primary_affinity > OSDMAP_AFFINITY_DEFAULT)))
		dec_fail(c, -EINVAL);
}

int osdmap_inc_encode(const struct osdmap_inc *inc, struct enc_buf *b)
{
	size_t mark = enc_start(b, INC_VERSION, INC_COMPAT);
	bool crush = inc->has & OSDMAP_INC_HAS_CRUSH;

	enc_put_u32(b, inc->epoch);
	enc_put_u32(b, inc->has);
	enc_put_bytes(b, inc->fsid, 16);
	osdmap__time_encode(b, inc->created);
	osdmap__time_encode(b, inc->modified);
	enc_put_u32(b, inc->new_flags);
	enc_put_s32(b, inc->new_max_osd);
	enc_put_s64(b, inc->new_pool_max);
	enc_put_blob(b, crush ? inc->crush : NULL, crush ? inc->crush_len : 0);
	enc_put_u32(b, (uint32_t)inc->n_new_pools);
	for (size_t i = 0; i < inc->n_new_pools; i++)
		osdmap__pool_encode(&inc->new_pools[i], b);
	enc_put_u32(b, (uint32_t)inc->n_old_pools);
	for (size_t i = 0; i < inc->n_old_pools; i++)
		enc_put_s64(b, inc->old_pools[i]);
	enc_put_u32(b, (uint32_t)inc->n_osds);
	for (size_t i = 0; i < inc->n_osds; i++)
		inc_osd_encode(b, &inc->osds[i]);
	return enc_finish(b, mark);
}

static int inc_decode_body(struct dec_cursor *c, struct osdmap_inc *inc)
{
	const uint8_t *crush;
	size_t crush_len;
	uint32_t n;

	inc->epoch = dec_u32(c);
	inc->has = dec_u32(c) & ((OSDMAP_INC_HAS_CREATED << 1) - 1);
	dec_bytes(c, inc->fsid, 16);
	inc->created = osdmap__time_decode(c);
	inc->modified = osdmap__time_decode(c);
	inc->new_flags = dec_u32(c);
	inc->new_max_osd = dec_s32(c);
	inc->new_pool_max = dec_s64(c);
	crush = dec_blob_ref(c, OSDMAP_MAX_CRUSH_LEN, &crush_len);
	if (dec_error(c))
		return dec_error(c);
	if ((inc->has & OSDMAP_INC_HAS_MAX_OSD) &&
	    (inc->new_max_osd < 0 || inc->new_max_osd > OSDMAP_MAX_OSD))
		return -EINVAL;
	if (inc->has & OSDMAP_INC_HAS_CRUSH) {
		inc->crush = malloc(crush_len ? crush_len : 1);
		if (!inc->crush)
			return -ENOMEM;
		memcpy(inc->crush, crush, crush_len);
		inc->crush_len = crush_len;
	}
	inc->new_pools = pools_decode(c, &inc->n_new_pools);
	inc->cap_new_pools = inc->n_new_pools;
	n = dec_u32(c);
	if (dec_error(c))
		return dec_error(c);
	if (n > OSDMAP_MAX_POOLS || n > dec_left(c) / 8)
		return -EBADMSG;
	inc->old_pools = calloc(n ? n : 1, sizeof(*inc->old_pools));
	if (!inc->old_pools)
		return -ENOMEM;
	inc->cap_old_pools = n;
	for (; inc->n_old_pools < n; inc->n_old_pools++)
		inc->old_pools[inc->n_old_pools] = dec_s64(c);
	n = dec_u32(c);
	if (dec_error(c))
		return dec_error(c);
	if (n > OSDMAP_MAX_OSD || n > dec_left(c) / ENC_ENVELOPE_LEN)
		return -EBADMSG;
	inc->osds = calloc(n ? n : 1, sizeof(*inc->osds));
	if (!inc->osds)
		return -ENOMEM;
	inc->cap_osds = n;
	for (; inc->n_osds < n && !dec_error(c); inc->n_osds++)
		inc_osd_decode(c, &inc->osds[inc->n_osds]);
	return dec_error(c);
}

int osdmap_inc_decode(const void *buf, size_t len, struct osdmap_inc **out)
{
	struct dec_cursor c, sub;
	struct osdmap_inc *inc;
	uint8_t version;
	int ret;

	dec_init(&c, buf, len);
	ret = dec_start(&c, INC_VERSION, &version, &sub);
	if (ret)
		return ret;
	inc = calloc(1, sizeof(*inc));
	if (!inc)
		return -ENOMEM;
	ret = inc_decode_body(&sub, inc);
	if (!ret)
		ret = dec_finish(&c, &sub);
	if (ret) {
		osdmap_inc_destroy(inc);
		return ret;
	}
	*out = inc;
	return 0;
}
