/*
 * Fuzz target for what an OSD decodes: the client/OSD and OSD/OSD
 * messages of src/osdc/osd_proto.h (op, op reply, repop and its log
 * entry, repop reply, ping), the sub-op payloads (stat, key/value and key
 * lists, PGLS listings), object store names, and the OSD's own persisted
 * records (superblock, PG info, PG stats).  The first byte picks the
 * decoder; the rest is its input.  Whatever decodes must re-encode to
 * bytes that decode again to the same shape.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "osd/internal.h"
#include "osdc/osd_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void op_msg(const uint8_t *p, size_t n)
{
	struct osd_op_msg m, again;
	struct enc_buf b;

	if (osd_op_msg_decode(p, n, &m))
		return;
	enc_buf_init(&b);
	if (osd_op_msg_encode(&m, &b) || osd_op_msg_decode(b.data, b.len, &again))
		abort();
	if (again.n_ops != m.n_ops || again.tid != m.tid || strcmp(again.oid, m.oid) ||
	    strcmp(again.key, m.key) || strcmp(again.nspace, m.nspace))
		abort();
	for (size_t i = 0; i < m.n_ops; i++)
		if (again.ops[i].op != m.ops[i].op || again.ops[i].datalen != m.ops[i].datalen ||
		    strcmp(again.ops[i].name, m.ops[i].name))
			abort();
	osd_op_msg_release(&again);
	enc_buf_release(&b);
	osd_op_msg_release(&m);
}

static void op_reply(const uint8_t *p, size_t n)
{
	struct osd_op_reply r, again;
	struct enc_buf b;

	if (osd_op_reply_decode(p, n, &r))
		return;
	enc_buf_init(&b);
	if (osd_op_reply_encode(&r, &b) || osd_op_reply_decode(b.data, b.len, &again) ||
	    again.n_ops != r.n_ops || again.result != r.result)
		abort();
	osd_op_reply_release(&again);

	/* Leaving the first output as space and filling it in gives the
	 * same bytes (the OSD's direct reads). */
	for (size_t i = 0; i < r.n_ops; i++) {
		const uint8_t *out = r.ops[i].out;
		struct enc_buf s;
		ptrdiff_t space;

		if (!out || !r.ops[i].outlen)
			continue;
		r.ops[i].out = NULL;
		enc_buf_init(&s);
		if (osd_op_reply_encode_space(&r, &s, &space) || space < 0 ||
		    (size_t)space + r.ops[i].outlen > s.len)
			abort();
		memcpy(s.data + space, out, r.ops[i].outlen);
		if (s.len != b.len || memcmp(s.data, b.data, b.len))
			abort();
		enc_buf_release(&s);
		r.ops[i].out = out;
		break;
	}
	enc_buf_release(&b);
	osd_op_reply_release(&r);
}

static void repop(const uint8_t *p, size_t n)
{
	struct osd_repop r, again;
	struct osd_repop_reply rr;
	struct enc_buf b;

	if (osd_repop_decode(p, n, &r) == 0) {
		enc_buf_init(&b);
		if (osd_repop_encode(&r, &b) || osd_repop_decode(b.data, b.len, &again) ||
		    again.txnlen != r.txnlen || strcmp(again.entry.soid, r.entry.soid) ||
		    osd_eversion_cmp(again.entry.version, r.entry.version))
			abort();
		enc_buf_release(&b);
	}
	if (osd_repop_reply_decode(p, n, &rr) == 0) {
		struct osd_repop_reply rr2;
		enc_buf_init(&b);
		if (osd_repop_reply_encode(&rr, &b) || osd_repop_reply_decode(b.data, b.len, &rr2) ||
		    rr2.tid != rr.tid)
			abort();
		enc_buf_release(&b);
	}
}

static void small(const uint8_t *p, size_t n)
{
	struct osd_ping ping;
	struct osd_stat_out so;
	struct osd_kv *kv = NULL;
	const char **keys = NULL;
	struct osd_ls_entry *e = NULL;
	const char *next;
	size_t cnt;
	bool more;

	(void)osd_ping_decode(p, n, &ping);
	(void)osd_stat_decode(p, n, &so);
	if (osd_kvs_decode(p, n, &kv, &cnt, &more) == 0) {
		struct enc_buf b;
		struct osd_kv *kv2 = NULL;
		size_t cnt2;
		bool more2;

		enc_buf_init(&b);
		if (osd_kvs_encode(kv, cnt, more, &b) ||
		    osd_kvs_decode(b.data, b.len, &kv2, &cnt2, &more2) || cnt2 != cnt ||
		    more2 != more)
			abort();
		free(kv2);
		enc_buf_release(&b);
		free(kv);
	}
	if (osd_keys_decode(p, n, &keys, &cnt) == 0)
		free(keys);
	if (osd_ls_decode(p, n, &e, &cnt, &next) == 0)
		free(e);
}

static void names(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1), *ns, *key, *oid;

	if (!s)
		return;
	memcpy(s, p, n);
	s[n] = 0;
	if (osd_store_name_parse(s, &ns, &key, &oid) == 0) {
		char *again = osd_store_name(ns, key, oid), *n2, *k2, *o2;
		/* what parses names the same object once re-made */
		if (!again || osd_store_name_parse(again, &n2, &k2, &o2) || strcmp(n2, ns) ||
		    strcmp(k2, key) || strcmp(o2, oid))
			abort();
		free(n2);
		free(k2);
		free(o2);
		free(again);
		free(ns);
		free(key);
		free(oid);
	}
	free(s);
}

static void records(const uint8_t *p, size_t n)
{
	struct osd_superblock sb;
	struct osd_pg_info info;
	struct osd_pg_stats st;
	struct enc_buf b;

	if (osd__superblock_decode(p, n, &sb) == 0) {
		struct osd_superblock again;
		enc_buf_init(&b);
		if (osd__superblock_encode(&sb, &b) || osd__superblock_decode(b.data, b.len, &again) ||
		    memcmp(&sb, &again, sizeof(sb)))
			abort();
		enc_buf_release(&b);
	}
	memset(&info, 0, sizeof(info));
	if (osd__pg_info_decode(p, n, &info) == 0) {
		struct osd_pg_info again;
		memset(&again, 0, sizeof(again));
		enc_buf_init(&b);
		if (osd__pg_info_encode(&info, &b) || osd__pg_info_decode(b.data, b.len, &again) ||
		    osd_eversion_cmp(info.last_update, again.last_update) ||
		    info.log_tail != again.log_tail)
			abort();
		enc_buf_release(&b);
	}
	if (osd__pg_stats_decode(p, n, &st) == 0) {
		struct osd_pg_stats again;
		enc_buf_init(&b);
		if (osd__pg_stats_encode(&st, &b) || osd__pg_stats_decode(b.data, b.len, &again) ||
		    memcmp(&st, &again, sizeof(st)))
			abort();
		enc_buf_release(&b);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 6) {
	case 0: op_msg(data + 1, size - 1); break;
	case 1: op_reply(data + 1, size - 1); break;
	case 2: repop(data + 1, size - 1); break;
	case 3: small(data + 1, size - 1); break;
	case 4: names(data + 1, size - 1); break;
	default: records(data + 1, size - 1); break;
	}
	return 0;
}
