/*
 * The monitors' replicated state and client protocol: state encode/decode
 * round trips (monmap, osdmap, incremental history, config keys), the
 * bounded incremental history of mon_state_commit_inc(), refusal of
 * truncated or corrupt blobs, and round trips of every mon_proto.h
 * message including hostile lengths.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mon/mon_proto.h"
#include "mon/mon_state.h"

static void add_kv(struct mon_state *st, const char *key, const char *val)
{
	st->kv = realloc(st->kv, (st->n_kv + 1) * sizeof(*st->kv));
	assert_non_null(st->kv);
	st->kv[st->n_kv].key = strdup(key);
	st->kv[st->n_kv].len = strlen(val);
	st->kv[st->n_kv].val = (uint8_t *)strdup(val);
	st->n_kv++;
	st->cap_kv = st->n_kv;
}

/* Commit one epoch that toggles a flag. */
static void commit_flag(struct mon_state *st, uint32_t flag)
{
	struct osdmap_inc *inc;

	assert_int_equal(osdmap_inc_create(st->osdmap->epoch + 1, &inc), 0);
	if (st->osdmap->epoch == 0) {
		static const uint8_t fsid[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
		osdmap_inc_set_fsid(inc, fsid);
		inc->has |= OSDMAP_INC_HAS_CREATED;
		inc->created = inc->modified;
	}
	osdmap_inc_set_flags(inc, st->osdmap->flags ^ flag);
	assert_int_equal(mon_state_commit_inc(st, inc), 0);
	osdmap_inc_destroy(inc);
}

static void encode(const struct mon_state *st, struct enc_buf *b)
{
	enc_buf_init(b);
	assert_int_equal(mon_state_encode(st, b), 0);
}

static void test_empty_round_trip(void **unused)
{
	struct mon_state st, back;
	struct enc_buf b;

	(void)unused;
	assert_int_equal(mon_state_init(&st), 0);
	assert_int_equal(st.osdmap->epoch, 0);
	encode(&st, &b);
	assert_int_equal(mon_state_init(&back), 0);
	assert_int_equal(mon_state_decode(&back, b.data, b.len), 0);
	assert_int_equal(back.osdmap->epoch, 0);
	assert_int_equal(back.n_incs, 0);
	assert_int_equal(back.n_kv, 0);
	enc_buf_release(&b);
	mon_state_release(&st);
	mon_state_release(&back);
}

static void test_round_trip(void **unused)
{
	struct mon_state st, back;
	struct monmap_addr a = { .type = MONMAP_ADDR_V1 };
	struct enc_buf b, b2;
	char err[256];

	(void)unused;
	assert_int_equal(mon_state_init(&st), 0);
	a.sa.ss_family = AF_INET;
	((struct sockaddr_in *)&a.sa)->sin_port = htons(6789);
	((struct sockaddr_in *)&a.sa)->sin_addr.s_addr = htonl(0x7f000001);
	assert_int_equal(monmap_add(st.monmap, "a", &a, 1, err, sizeof(err)), 0);
	st.monmap->epoch = 1;
	commit_flag(&st, OSDMAP_FLAG_NOOUT);
	commit_flag(&st, OSDMAP_FLAG_NOUP);
	commit_flag(&st, OSDMAP_FLAG_NOOUT);
	add_kv(&st, "a/key", "value");
	add_kv(&st, "b/key", "");
	encode(&st, &b);

	assert_int_equal(mon_state_init(&back), 0);
	assert_int_equal(mon_state_decode(&back, b.data, b.len), 0);
	assert_int_equal(back.monmap->count, 1);
	assert_string_equal(back.monmap->mons[0].name, "a");
	assert_int_equal(back.monmap->epoch, 1);
	assert_int_equal(back.osdmap->epoch, 3);
	assert_true(osdmap_equal(back.osdmap, st.osdmap));
	assert_int_equal(back.oldest_inc, 0);
	assert_int_equal(back.n_incs, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(back.inc_lens[i], st.inc_lens[i]);
		assert_memory_equal(back.inc_blobs[i], st.inc_blobs[i], st.inc_lens[i]);
	}
	assert_int_equal(back.n_kv, 2);
	assert_string_equal(back.kv[0].key, "a/key");
	assert_int_equal(back.kv[0].len, 5);
	assert_memory_equal(back.kv[0].val, "value", 5);
	assert_int_equal(back.kv[1].len, 0);

	/* Encoding is deterministic: the same state gives the same bytes. */
	encode(&back, &b2);
	assert_int_equal(b.len, b2.len);
	assert_memory_equal(b.data, b2.data, b.len);

	/* Trailing padding (Raft pads entries to 8 bytes) is ignored. */
	uint8_t *padded = calloc(1, b.len + 7);
	memcpy(padded, b.data, b.len);
	assert_int_equal(mon_state_decode(&back, padded, b.len + 7), 0);
	assert_int_equal(back.osdmap->epoch, 3);
	free(padded);

	enc_buf_release(&b);
	enc_buf_release(&b2);
	mon_state_release(&st);
	mon_state_release(&back);
}

static void test_incremental_replay(void **unused)
{
	struct mon_state st;
	struct osdmap *m = NULL;

	(void)unused;
	assert_int_equal(mon_state_init(&st), 0);
	for (int i = 0; i < 5; i++)
		commit_flag(&st, i & 1 ? OSDMAP_FLAG_NOIN : OSDMAP_FLAG_NODOWN);
	/* A subscriber at epoch 0 catches up by the recorded incrementals. */
	assert_int_equal(osdmap_create(NULL, &m), 0);
	for (size_t i = 0; i < st.n_incs; i++) {
		struct osdmap_inc *inc;
		struct osdmap *next;
		assert_int_equal(osdmap_inc_decode(st.inc_blobs[i], st.inc_lens[i], &inc), 0);
		assert_int_equal(inc->epoch, st.oldest_inc + i + 1);
		assert_int_equal(osdmap_apply_inc(m, inc, &next), 0);
		osdmap_inc_destroy(inc);
		osdmap_put(m);
		m = next;
	}
	assert_true(osdmap_equal(m, st.osdmap));
	osdmap_put(m);
	mon_state_release(&st);
}

static void test_history_bounded(void **unused)
{
	struct mon_state st, back;
	struct enc_buf b;

	(void)unused;
	assert_int_equal(mon_state_init(&st), 0);
	for (int i = 0; i < 520; i++)
		commit_flag(&st, OSDMAP_FLAG_NOSCRUB);
	assert_int_equal(st.osdmap->epoch, 520);
	assert_true(st.n_incs <= 500);
	assert_int_equal(st.oldest_inc + st.n_incs, 520);
	assert_true(st.oldest_inc > 0);
	encode(&st, &b);
	assert_int_equal(mon_state_init(&back), 0);
	assert_int_equal(mon_state_decode(&back, b.data, b.len), 0);
	assert_int_equal(back.oldest_inc, st.oldest_inc);
	assert_int_equal(back.n_incs, st.n_incs);
	enc_buf_release(&b);
	mon_state_release(&st);
	mon_state_release(&back);
}

static void test_wrong_epoch_refused(void **unused)
{
	struct mon_state st;
	struct osdmap_inc *inc;

	(void)unused;
	assert_int_equal(mon_state_init(&st), 0);
	commit_flag(&st, OSDMAP_FLAG_NOOUT);
	assert_int_equal(osdmap_inc_create(5, &inc), 0);
	assert_int_not_equal(mon_state_commit_inc(&st, inc), 0);
	assert_int_equal(st.osdmap->epoch, 1);
	assert_int_equal(st.n_incs, 1);
	osdmap_inc_destroy(inc);
	mon_state_release(&st);
}

static void test_truncated_and_corrupt(void **unused)
{
	struct mon_state st, back;
	struct enc_buf b;

	(void)unused;
	assert_int_equal(mon_state_init(&st), 0);
	commit_flag(&st, OSDMAP_FLAG_NOOUT);
	add_kv(&st, "k", "v");
	encode(&st, &b);
	assert_int_equal(mon_state_init(&back), 0);
	/* Every truncation fails cleanly and leaves the target intact. */
	for (size_t n = 0; n < b.len; n++)
		assert_int_not_equal(mon_state_decode(&back, b.data, n), 0);
	assert_int_equal(back.osdmap->epoch, 0);
	/* Single-byte corruption never crashes (it may still decode). */
	for (size_t i = 0; i < b.len; i++) {
		uint8_t *c = malloc(b.len);
		memcpy(c, b.data, b.len);
		c[i] ^= 0xa5;
		mon_state_decode(&back, c, b.len);
		free(c);
	}
	enc_buf_release(&b);
	mon_state_release(&st);
	mon_state_release(&back);
}

static void test_proto_command(void **unused)
{
	struct mon_command c = { .tid = 42, .cmd = "{\"prefix\":\"fsid\"}",
				 .in = (const uint8_t *)"abc", .inlen = 3 }, d;
	struct mon_command_reply r = { .tid = 42, .rc = -11, .outs = "not the leader",
				       .out = (const uint8_t *)"xy", .outlen = 2,
				       .leader_addr = "127.0.0.1:6789" }, s;
	struct enc_buf b;

	(void)unused;
	enc_buf_init(&b);
	assert_int_equal(mon_command_encode(&c, &b), 0);
	assert_int_equal(mon_command_decode(b.data, b.len, &d), 0);
	assert_int_equal(d.tid, 42);
	assert_string_equal(d.cmd, c.cmd);
	assert_int_equal(d.inlen, 3);
	assert_memory_equal(d.in, "abc", 3);
	for (size_t n = 0; n < b.len; n++)
		assert_int_not_equal(mon_command_decode(b.data, n, &d), 0);
	enc_buf_release(&b);

	enc_buf_init(&b);
	assert_int_equal(mon_command_reply_encode(&r, &b), 0);
	assert_int_equal(mon_command_reply_decode(b.data, b.len, &s), 0);
	assert_int_equal(s.rc, -11);
	assert_string_equal(s.outs, "not the leader");
	assert_string_equal(s.leader_addr, "127.0.0.1:6789");
	assert_int_equal(s.outlen, 2);
	for (size_t n = 0; n < b.len; n++)
		assert_int_not_equal(mon_command_reply_decode(b.data, n, &s), 0);
	enc_buf_release(&b);

	/* No input data decodes as NULL. */
	c.in = NULL;
	c.inlen = 0;
	enc_buf_init(&b);
	assert_int_equal(mon_command_encode(&c, &b), 0);
	assert_int_equal(mon_command_decode(b.data, b.len, &d), 0);
	assert_null(d.in);
	enc_buf_release(&b);
}

static int count_entry(const struct mon_osdmap_entry *e, void *arg)
{
	int *n = arg;

	assert_int_equal(e->epoch, (uint32_t)(10 + *n));
	assert_int_equal(e->full, *n == 0);
	assert_int_equal(e->len, (size_t)*n + 1);
	(*n)++;
	return 0;
}

static void test_proto_subscribe_osdmap(void **unused)
{
	struct mon_subscribe s = { .what = "osdmap", .start = 7, .onetime = 1 }, t;
	static const uint8_t blob[4] = { 1, 2, 3, 4 };
	struct mon_osdmap_entry e[3];
	struct enc_buf b;
	int n = 0;

	(void)unused;
	enc_buf_init(&b);
	assert_int_equal(mon_subscribe_encode(&s, &b), 0);
	assert_int_equal(mon_subscribe_decode(b.data, b.len, &t), 0);
	assert_string_equal(t.what, "osdmap");
	assert_int_equal(t.start, 7);
	assert_int_equal(t.onetime, 1);
	enc_buf_release(&b);

	for (int i = 0; i < 3; i++) {
		e[i].epoch = 10 + (uint32_t)i;
		e[i].full = i == 0;
		e[i].blob = blob;
		e[i].len = (size_t)i + 1;
	}
	enc_buf_init(&b);
	assert_int_equal(mon_osdmap_msg_encode(e, 3, &b), 0);
	assert_int_equal(mon_osdmap_msg_decode(b.data, b.len, count_entry, &n), 0);
	assert_int_equal(n, 3);
	/* A truncated message hands out no entry at all. */
	for (size_t len = 0; len < b.len; len++) {
		n = 0;
		assert_int_not_equal(mon_osdmap_msg_decode(b.data, len, count_entry, &n), 0);
		assert_int_equal(n, 0);
	}
	/* A hostile count is refused before anything is read. */
	b.data[ENC_ENVELOPE_LEN] = 0xff;
	b.data[ENC_ENVELOPE_LEN + 3] = 0x7f;
	n = 0;
	assert_int_not_equal(mon_osdmap_msg_decode(b.data, b.len, count_entry, &n), 0);
	enc_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_round_trip),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_incremental_replay),
		cmocka_unit_test(test_history_bounded),
		cmocka_unit_test(test_wrong_epoch_refused),
		cmocka_unit_test(test_truncated_and_corrupt),
		cmocka_unit_test(test_proto_command),
		cmocka_unit_test(test_proto_subscribe_osdmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
