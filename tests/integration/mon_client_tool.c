/*
 * A small monitor client for the integration tests, until the `ceph` CLI
 * drives the monitors: sends one JSON command (following -EAGAIN
 * redirections to the leader), or one subscription, and prints the reply.
 *
 *   mon_client_tool [--timeout MS] [--once] ADDR[,ADDR...] JSON [INFILE]
 *       stdout: the output data; stderr: "rc=RC leader=ADDR outs=STATUS"
 *       exit: 0, or -rc & 0xff (EAGAIN: 11)
 *   mon_client_tool --sub osdmap|monmap START ADDR
 *       stdout: "epoch E full|inc LEN" per osdmap entry, or "monmap LEN"
 *   mon_client_tool --pg-stats ADDR[,ADDR...] OSD STATE [OBJECTS BYTES KB]
 *       plays osd.OSD's MON_MSG_PG_STATS: fetches the current osdmap from
 *       the first monitor, reports every PG OSD is acting primary for in
 *       STATE ("active+clean", ...; "auto": active+clean when the acting
 *       set is full, else active+undersized, +degraded if it holds
 *       objects), each with OBJECTS objects of BYTES bytes in all (default
 *       0), and a store of KB KiB (default 10 GiB, 1 GiB used), to every
 *       monitor listed; stdout: "reported N pgs at epoch E"
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mon/mon_proto.h"
#include "msg/msgr.h"
#include "osdmap/osdmap.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int call(const char *addr_text, uint16_t type, const struct enc_buf *req, int timeout_ms,
		struct msgr_msg **reply)
{
	struct msgr_client *cl;
	struct msgr_addr addr;
	int r;

	r = msgr_addr_parse(addr_text, 6789, &addr);
	if (r)
		return r;
	/* A dead monitor should cost little: the next one may answer. */
	r = msgr_client_open("client.admin", NULL, NULL, &addr,
			     timeout_ms < 500 ? timeout_ms : 500, &cl);
	if (r)
		return r;
	r = msgr_client_call(cl, type, req->data, req->len, timeout_ms, reply);
	msgr_client_close(cl);
	return r;
}

static int print_entry(const struct mon_osdmap_entry *e, void *arg)
{
	printf("epoch %u %s %zu\n", e->epoch, e->full ? "full" : "inc", e->len);
	return 0;
}

static int subscribe(const char *what, unsigned start, const char *addr)
{
	struct mon_subscribe s = { .start = start, .onetime = 1 };
	struct msgr_msg *reply = NULL;
	struct enc_buf b;
	int r;

	snprintf(s.what, sizeof(s.what), "%s", what);
	enc_buf_init(&b);
	mon_subscribe_encode(&s, &b);
	r = call(addr, MON_MSG_SUBSCRIBE, &b, 5000, &reply);
	enc_buf_release(&b);
	if (r) {
		fprintf(stderr, "subscribe: %s\n", strerror(-r));
		return 1;
	}
	if (reply->type == MON_MSG_OSDMAP)
		r = mon_osdmap_msg_decode(reply->data, reply->len, print_entry, NULL);
	else if (reply->type == MON_MSG_MONMAP)
		printf("monmap %u\n", reply->len);
	else
		r = -EBADMSG;
	msgr_msg_put(reply);
	if (r)
		fprintf(stderr, "bad reply: %s\n", strerror(-r));
	return r ? 1 : 0;
}

static int keep_map(const struct mon_osdmap_entry *e, void *arg)
{
	struct osdmap **out = arg;

	if (!e->full)
		return -EPROTO;
	osdmap_put(*out);
	*out = NULL;
	return osdmap_decode(e->blob, e->len, out);
}

static uint32_t parse_state(const char *s)
{
	static const struct {
		const char *name;
		uint32_t bit;
	} names[] = {
		{ "creating", PG_STATE_CREATING }, { "active", PG_STATE_ACTIVE },
		{ "clean", PG_STATE_CLEAN },       { "down", PG_STATE_DOWN },
		{ "degraded", PG_STATE_DEGRADED }, { "peering", PG_STATE_PEERING },
		{ "undersized", PG_STATE_UNDERSIZED }, { "peered", PG_STATE_PEERED },
	};
	char buf[256], *save = NULL;
	uint32_t st = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (char *t = strtok_r(buf, "+", &save); t; t = strtok_r(NULL, "+", &save)) {
		bool found = false;

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (strcmp(t, names[i].name) == 0) {
				st |= names[i].bit;
				found = true;
			}
		}
		if (!found)
			return 0;
	}
	return st;
}

/* Play one OSD's PG statistics report (see the usage above). */
static int fake_pg_stats(int argc, char **argv)
{
	const char *addrs = argv[0], *state_s = argv[2];
	int osd = atoi(argv[1]);
	uint64_t objects = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
	uint64_t bytes = argc > 4 ? strtoull(argv[4], NULL, 10) : 0;
	uint64_t kb = argc > 5 ? strtoull(argv[5], NULL, 10) : 10ull << 20;
	struct mon_subscribe sub = { .start = 0, .onetime = 1 };
	struct mon_pg_stats st = { .osd = osd };
	struct msgr_msg *reply = NULL;
	struct osdmap *m = NULL;
	char first[MSGR_ADDR_STRLEN], list[4096];
	struct enc_buf b;
	size_t n = 0, total = 0;
	bool autostate = strcmp(state_s, "auto") == 0;
	uint32_t state = autostate ? 0 : parse_state(state_s);
	int r;

	if (!autostate && !state) {
		fprintf(stderr, "bad state '%s'\n", state_s);
		return 2;
	}
	snprintf(list, sizeof(list), "%s", addrs);
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(list, ","), list);
	snprintf(sub.what, sizeof(sub.what), "osdmap");
	enc_buf_init(&b);
	mon_subscribe_encode(&sub, &b);
	r = call(first, MON_MSG_SUBSCRIBE, &b, 5000, &reply);
	enc_buf_release(&b);
	if (r == 0 && reply->type == MON_MSG_OSDMAP)
		r = mon_osdmap_msg_decode(reply->data, reply->len, keep_map, &m);
	else if (r == 0)
		r = -EPROTO;
	if (reply)
		msgr_msg_put(reply);
	if (r || !m) {
		fprintf(stderr, "cannot get the osdmap from %s: %s\n", first, strerror(-r));
		return 1;
	}
	for (size_t i = 0; i < m->n_pools; i++)
		total += m->pools[i].pg_num;
	st.pgs = calloc(total ? total : 1, sizeof(*st.pgs));
	if (!st.pgs)
		return 1;
	st.epoch = m->epoch;
	st.kb = kb;
	st.kb_used = kb / 10;
	st.kb_avail = kb - st.kb_used;
	st.kb_used_data = bytes >> 10;
	st.kb_used_meta = st.kb_used - st.kb_used_data;
	for (size_t i = 0; i < m->n_pools; i++) {
		const struct osdmap_pool *p = &m->pools[i];

		for (uint32_t ps = 0; ps < p->pg_num; ps++) {
			struct osdmap_pg_mapping mp;
			struct mon_pg_stat *e;

			if (osdmap_pg_to_up_acting(m, p->id, ps, &mp) || mp.acting_primary != osd)
				continue;
			e = &st.pgs[n++];
			e->pool = p->id;
			e->ps = ps;
			e->epoch = m->epoch;
			e->num_objects = objects;
			e->num_bytes = bytes;
			e->log_version = objects;
			e->up_primary = mp.up_primary;
			e->n_acting = (uint8_t)(mp.n_acting > 16 ? 16 : mp.n_acting);
			for (int k = 0; k < e->n_acting; k++)
				e->acting[k] = mp.acting[k];
			e->state = state;
			if (autostate) {
				e->state = PG_STATE_ACTIVE;
				if (mp.n_acting >= p->size)
					e->state |= PG_STATE_CLEAN;
				else
					e->state |= PG_STATE_UNDERSIZED | (objects ? PG_STATE_DEGRADED : 0);
			}
		}
	}
	st.n_pgs = n;
	st.num_pgs = (uint32_t)n;
	enc_buf_init(&b);
	mon_pg_stats_encode(&st, &b);
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		struct msgr_client *cl;
		struct msgr_addr a;
		struct enc_buf q;
		struct mon_command cmd = { .tid = 1, .cmd = "{\"prefix\":\"fsid\"}" };

		if (msgr_addr_parse(t, 6789, &a) || msgr_client_open("client.admin", NULL, NULL, &a,
								      2000, &cl)) {
			fprintf(stderr, "cannot reach %s\n", t);
			r = -ECONNREFUSED;
			continue;
		}
		/* The fsid answer comes after the monitor took the report. */
		msgr_send(msgr_client_conn(cl), MON_MSG_PG_STATS, b.data, b.len);
		enc_buf_init(&q);
		mon_command_encode(&cmd, &q);
		reply = NULL;
		if (msgr_client_call(cl, MON_MSG_COMMAND, q.data, q.len, 5000, &reply) == 0)
			msgr_msg_put(reply);
		enc_buf_release(&q);
		msgr_client_close(cl);
	}
	enc_buf_release(&b);
	printf("reported %zu pgs at epoch %u\n", n, m->epoch);
	free(st.pgs);
	osdmap_put(m);
	return r ? 1 : 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	int timeout_ms = 10000, i = 1, rc = -ETIMEDOUT;
	bool once = false;
	char addrs[64][MSGR_ADDR_STRLEN], last_outs[1024] = "no monitor answered",
					  leader[MSGR_ADDR_STRLEN] = "";
	size_t naddrs = 0, cur = 0, inlen = 0;
	uint8_t *in = NULL;
	long deadline;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout_ms = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--once"))
			once = true;
		else if (!strcmp(argv[i], "--sub") && i + 3 < argc)
			return subscribe(argv[i + 1], (unsigned)atoi(argv[i + 2]), argv[i + 3]);
		else if (!strcmp(argv[i], "--pg-stats") && i + 3 < argc)
			return fake_pg_stats(argc - i - 1, argv + i + 1);
		else
			break;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: %s [--timeout MS] [--once] ADDR[,ADDR...] JSON [INFILE]\n"
				"       %s --sub osdmap|monmap START ADDR\n", argv[0], argv[0]);
		return 2;
	}
	for (char *save = NULL, *t = strtok_r(argv[i], ",", &save); t && naddrs < 64;
	     t = strtok_r(NULL, ",", &save))
		snprintf(addrs[naddrs++], MSGR_ADDR_STRLEN, "%s", t);
	if (argc - i >= 3 && !(in = slurp(argv[i + 2], &inlen))) {
		fprintf(stderr, "cannot read %s\n", argv[i + 2]);
		return 2;
	}

	struct mon_command cmd = { .tid = 1, .cmd = argv[i + 1], .in = in, .inlen = inlen };
	struct enc_buf b;
	enc_buf_init(&b);
	mon_command_encode(&cmd, &b);
	deadline = now_ms() + timeout_ms;
	const char *target = addrs[0];
	for (;;) {
		struct msgr_msg *reply = NULL;
		struct mon_command_reply rep;
		long left = deadline - now_ms();
		int r;

		if (left <= 0)
			break;
		r = call(target, MON_MSG_COMMAND, &b, once || left < 3000 ? (int)left : 3000,
			 &reply);
		if (r == 0 && reply->type == MON_MSG_COMMAND_REPLY &&
		    mon_command_reply_decode(reply->data, reply->len, &rep) == 0) {
			rc = rep.rc;
			snprintf(last_outs, sizeof(last_outs), "%s", rep.outs);
			snprintf(leader, sizeof(leader), "%s", rep.leader_addr);
			if (rc != -EAGAIN || once) {
				fwrite(rep.out ? (const void *)rep.out : "", 1, rep.outlen, stdout);
				msgr_msg_put(reply);
				break;
			}
		} else if (r) {
			rc = r;
			snprintf(last_outs, sizeof(last_outs), "%s: %s", target, strerror(-r));
		}
		if (reply)
			msgr_msg_put(reply);
		if (once)
			break;
		/* Follow the redirection, else the next monitor of the list. */
		if (rc == -EAGAIN && leader[0] && strcmp(leader, target) != 0) {
			static char hop[MSGR_ADDR_STRLEN];
			snprintf(hop, sizeof(hop), "%s", leader);
			target = hop;
			continue;
		}
		cur = (cur + 1) % naddrs;
		target = addrs[cur];
		usleep(100 * 1000);
	}
	enc_buf_release(&b);
	free(in);
	fprintf(stderr, "rc=%d leader=%s outs=%s\n", rc, leader, last_outs);
	return rc == 0 ? 0 : (-rc) & 0xff;
}
