/*
 * The monitors' replicated state (mon_state.h): its lifetime, its one-blob
 * encoding (what a Raft snapshot holds), and the commit of a new osdmap
 * epoch with the bounded history of incrementals subscribers catch up from.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mon/mon_state.h"

#define MON_STATE_VERSION 1
/* Incrementals kept for subscribers; older ones get a full map. */
#define MON_STATE_MAX_INCS 500
/* Decoder caps: far above anything real, low enough to refuse garbage. */
#define MON_STATE_MAX_KV (1u << 20)
#define MON_STATE_KEY_MAX 4096
#define MON_STATE_VAL_MAX (64u << 20)
#define MON_STATE_INC_MAX (256u << 20)
#define MON_STATE_MAP_MAX (1u << 30)

int mon_state_init(struct mon_state *st)
{
	int r;

	memset(st, 0, sizeof(*st));
	st->monmap = malloc(sizeof(*st->monmap));
	if (!st->monmap)
		return -ENOMEM;
	monmap_init(st->monmap);
	r = osdmap_create(NULL, &st->osdmap);
	if (r) {
		monmap_release(st->monmap);
		free(st->monmap);
		st->monmap = NULL;
		return r;
	}
	return 0;
}

static void kv_release(struct mon_state *st)
{
	for (size_t i = 0; i < st->n_kv; i++) {
		free(st->kv[i].key);
		free(st->kv[i].val);
	}
	free(st->kv);
	st->kv = NULL;
	st->n_kv = st->cap_kv = 0;
}

static void incs_release(struct mon_state *st)
{
	for (size_t i = 0; i < st->n_incs; i++)
		free(st->inc_blobs[i]);
	free(st->inc_blobs);
	free(st->inc_lens);
	st->inc_blobs = NULL;
	st->inc_lens = NULL;
	st->n_incs = 0;
}

void mon_state_release(struct mon_state *st)
{
	if (st->monmap) {
		monmap_release(st->monmap);
		free(st->monmap);
	}
	osdmap_put(st->osdmap);
	incs_release(st);
	kv_release(st);
	memset(st, 0, sizeof(*st));
}

int mon_state_encode(const struct mon_state *st, struct enc_buf *b)
{
	size_t mark = enc_start(b, MON_STATE_VERSION, 1);
	struct enc_buf sub;

	monmap_encode(st->monmap, b);
	/* The osdmap as a blob, so its decoder gets an exact length. */
	enc_buf_init(&sub);
	osdmap_encode(st->osdmap, &sub);
	if (enc_buf_error(&sub)) {
		if (!b->err)
			b->err = enc_buf_error(&sub);
	} else {
		enc_put_blob(b, sub.data, sub.len);
	}
	enc_buf_release(&sub);
	enc_put_u32(b, st->oldest_inc);
	enc_put_u32(b, (uint32_t)st->n_incs);
	for (size_t i = 0; i < st->n_incs; i++)
		enc_put_blob(b, st->inc_blobs[i], st->inc_lens[i]);
	enc_put_u32(b, (uint32_t)st->n_kv);
	for (size_t i = 0; i < st->n_kv; i++) {
		enc_put_string(b, st->kv[i].key);
		enc_put_blob(b, st->kv[i].val, st->kv[i].len);
	}
	return enc_finish(b, mark);
}

/* Decode the body into a fresh state `n`; the caller swaps it in. */
static int decode_body(struct mon_state *n, struct dec_cursor *c)
{
	const uint8_t *blob;
	size_t len;
	uint32_t count;
	int r;

	r = monmap_decode(n->monmap, c);
	if (r)
		return r;
	blob = dec_blob_ref(c, MON_STATE_MAP_MAX, &len);
	if (dec_error(c))
		return dec_error(c);
	osdmap_put(n->osdmap);
	n->osdmap = NULL;
	r = osdmap_decode(blob, len, &n->osdmap);
	if (r)
		return r;
	n->oldest_inc = dec_u32(c);
	count = dec_u32(c);
	if (dec_error(c))
		return dec_error(c);
	/* Each blob takes at least its 4-byte length. */
	if (count > dec_left(c) / 4 || count > n->osdmap->epoch ||
	    n->oldest_inc + count != n->osdmap->epoch)
		return -EBADMSG;
	if (count) {
		n->inc_blobs = calloc(count, sizeof(*n->inc_blobs));
		n->inc_lens = calloc(count, sizeof(*n->inc_lens));
		if (!n->inc_blobs || !n->inc_lens)
			return -ENOMEM;
	}
	for (uint32_t i = 0; i < count; i++) {
		n->inc_blobs[i] = dec_blob(c, MON_STATE_INC_MAX, &n->inc_lens[i]);
		if (dec_error(c))
			return dec_error(c);
		n->n_incs++;
	}
	count = dec_u32(c);
	if (dec_error(c))
		return dec_error(c);
	if (count > MON_STATE_MAX_KV || count > dec_left(c) / 8)
		return -EBADMSG;
	if (count) {
		n->kv = calloc(count, sizeof(*n->kv));
		if (!n->kv)
			return -ENOMEM;
		n->cap_kv = count;
	}
	for (uint32_t i = 0; i < count; i++) {
		struct mon_kv *kv = &n->kv[i];
		kv->key = dec_string(c, MON_STATE_KEY_MAX);
		kv->val = dec_blob(c, MON_STATE_VAL_MAX, &kv->len);
		if (dec_error(c)) {
			free(kv->key);
			free(kv->val);
			return dec_error(c);
		}
		n->n_kv++;
		/* Sorted and unique, as the lookups assume. */
		if (i && strcmp(n->kv[i - 1].key, kv->key) >= 0)
			return -EBADMSG;
	}
	return dec_error(c);
}

int mon_state_decode(struct mon_state *st, const void *buf, size_t len)
{
	struct dec_cursor c, sub;
	struct mon_state n;
	uint8_t version;
	int r;

	r = mon_state_init(&n);
	if (r)
		return r;
	dec_init(&c, buf, len);
	r = dec_start(&c, MON_STATE_VERSION, &version, &sub);
	if (r)
		goto out_release;
	/* monmap_decode() initialises its map itself. */
	monmap_release(n.monmap);
	r = decode_body(&n, &sub);
	if (r)
		goto out_release;
	r = dec_finish(&c, &sub);
	if (r)
		goto out_release;
	mon_state_release(st);
	*st = n;
	return 0;

out_release:
	mon_state_release(&n);
	return r;
}

/* Drop the oldest incremental. */
static void trim_one(struct mon_state *st)
{
	free(st->inc_blobs[0]);
	memmove(st->inc_blobs, st->inc_blobs + 1, (st->n_incs - 1) * sizeof(*st->inc_blobs));
	memmove(st->inc_lens, st->inc_lens + 1, (st->n_incs - 1) * sizeof(*st->inc_lens));
	st->n_incs--;
	st->oldest_inc++;
}

int mon_state_commit_inc(struct mon_state *st, const struct osdmap_inc *inc)
{
	struct osdmap *next = NULL;
	struct enc_buf b;
	uint8_t **blobs;
	size_t *lens, blen;
	uint8_t *blob;
	int r;

	r = osdmap_apply_inc(st->osdmap, inc, &next);
	if (r)
		return r;
	enc_buf_init(&b);
	r = osdmap_inc_encode(inc, &b);
	if (r) {
		enc_buf_release(&b);
		goto out_put;
	}
	blob = enc_buf_detach(&b, &blen);
	r = -ENOMEM;
	if (!blob)
		goto out_put;
	blobs = realloc(st->inc_blobs, (st->n_incs + 1) * sizeof(*blobs));
	if (!blobs)
		goto out_blob;
	st->inc_blobs = blobs;
	lens = realloc(st->inc_lens, (st->n_incs + 1) * sizeof(*lens));
	if (!lens)
		goto out_blob;
	st->inc_lens = lens;
	st->inc_blobs[st->n_incs] = blob;
	st->inc_lens[st->n_incs] = blen;
	st->n_incs++;
	osdmap_put(st->osdmap);
	st->osdmap = next;
	while (st->n_incs > MON_STATE_MAX_INCS)
		trim_one(st);
	return 0;

out_blob:
	free(blob);
out_put:
	osdmap_put(next);
	return r;
}
