/*
 * Monitor round-trip benchmark: N map-changing commands, one at a time,
 * through the quorum, timed one by one; prints p50/p99/mean in ms.
 * It finds the leader by following -EAGAIN redirects first, then keeps
 * one connection open (as librados would), so the figure is the command
 * latency, not process start-up.
 *
 *   mon_rtt ADDR[,ADDR...] N [JSON-A [JSON-B]]
 * alternates JSON-A and JSON-B (default: osd set noout / osd unset noout);
 * a "%d" in a JSON is replaced by the command's index (pool names...).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mon/mon_proto.h"
#include "msg/msgr.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One command on an open client; returns rc, copies leader_addr. */
static int command(struct msgr_client *cl, const char *json, uint64_t tid, char *leader,
		   size_t leader_len)
{
	struct mon_command cmd = {.tid = tid, .cmd = json};
	struct msgr_msg *reply = NULL;
	struct mon_command_reply rep;
	struct enc_buf b;
	int r;

	enc_buf_init(&b);
	mon_command_encode(&cmd, &b);
	r = msgr_client_call(cl, MON_MSG_COMMAND, b.data, b.len, 10000, &reply);
	enc_buf_release(&b);
	if (r)
		return r;
	r = mon_command_reply_decode(reply->data, reply->len, &rep);
	if (r == 0) {
		r = rep.rc;
		if (leader)
			snprintf(leader, leader_len, "%s", rep.leader_addr ? rep.leader_addr : "");
	}
	msgr_msg_put(reply);
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: mon_rtt ADDR[,ADDR...] N [JSON-A [JSON-B]]\n");
		return 22;
	}
	int n = atoi(argv[2]);
	const char *ja = argc > 3 ? argv[3] : "{\"prefix\":\"osd set\",\"key\":\"noout\"}";
	const char *jb = argc > 4 ? argv[4] : "{\"prefix\":\"osd unset\",\"key\":\"noout\"}";
	char *addrs = strdup(argv[1]), *save = NULL, target[MSGR_ADDR_STRLEN] = "";
	struct msgr_client *cl = NULL;

	/* find a monitor that answers, then follow it to the leader */
	for (char *a = strtok_r(addrs, ",", &save); a && !cl; a = strtok_r(NULL, ",", &save)) {
		struct msgr_addr ma;
		if (msgr_addr_parse(a, 6789, &ma) == 0 &&
		    msgr_client_open("client.admin", NULL, NULL, &ma, 1000, &cl) == 0)
			snprintf(target, sizeof(target), "%s", a);
	}
	free(addrs);
	if (!cl) {
		fprintf(stderr, "mon_rtt: no monitor answered\n");
		return 1;
	}
	/* Find the leader with a harmless write, retrying while an election
	 * may still be going on. */
	const char *probe = "{\"prefix\":\"config-key set\",\"key\":\"bench/probe\",\"val\":\"1\"}";
	double deadline = now_ms() + 10000;
	for (;;) {
		char leader[MSGR_ADDR_STRLEN] = "";
		int r = command(cl, probe, 1, leader, sizeof(leader));
		if (r != -EAGAIN)
			break;
		if (now_ms() > deadline) {
			fprintf(stderr, "mon_rtt: no leader\n");
			return 1;
		}
		struct msgr_addr ma;
		if (leader[0] && msgr_addr_parse(leader, 6789, &ma) == 0) {
			struct msgr_client *next = NULL;
			if (msgr_client_open("client.admin", NULL, NULL, &ma, 1000, &next) == 0) {
				msgr_client_close(cl);
				cl = next;
				continue;
			}
		}
		struct timespec ts = {0, 50 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}

	double *lat = calloc((size_t)n, sizeof(double));
	int fails = 0;
	double t_start = now_ms();
	for (int i = 0; i < n; i++) {
		char json[4096];
		const char *tmpl = (i & 1) ? jb : ja;
		if (strstr(tmpl, "%d") && strlen(tmpl) < sizeof(json) - 16) {
			const char *pct = strstr(tmpl, "%d");
			snprintf(json, sizeof(json), "%.*s%d%s", (int)(pct - tmpl), tmpl, i, pct + 2);
			tmpl = json;
		}
		double t0 = now_ms();
		int r = command(cl, tmpl, (uint64_t)i + 2, NULL, 0);
		lat[i] = now_ms() - t0;
		if (r < 0)
			fails++;
	}
	double total = now_ms() - t_start;
	qsort(lat, (size_t)n, sizeof(double), cmp_double);
	printf("loligo n=%d p50=%.2fms p99=%.2fms mean=%.2fms failed=%d\n", n, lat[n / 2],
	       lat[(n * 99) / 100], total / n, fails);
	free(lat);
	msgr_client_close(cl);
	return fails ? 1 : 0;
}
