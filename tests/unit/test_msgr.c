/*
 * The messenger end to end: real endpoints on 127.0.0.1 (and ::1 when the
 * host has IPv6) in one process, each messenger on its own loop thread.
 * Covers echo round trips, ordering, large messages, the handshake's
 * names, authentication refusal, hostile bytes, the receive throttle, the
 * send limit, a cut TCP stream (resumed, nothing lost or duplicated), a
 * server restart on the same port, keepalive timeouts and closing.
 * Timeouts are short so the whole run takes seconds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/crc32c.h"
#include "msg/msgr.h"

#define T_ECHO 100  /* server replies with the same payload, type T_REPLY */
#define T_REPLY 101
#define T_DATA 102  /* payload starts with a u32 index; recorded */
#define T_BLOCK 103 /* the server's loop sleeps block_ms */

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Polls `cond` (re-evaluated under the endpoint's lock) for up to ms. */
#define WAIT_FOR(ep, cond, ms)                                               \
	({                                                                   \
		uint64_t _end = now_ms() + (ms);                             \
		bool _ok;                                                    \
		for (;;) {                                                   \
			pthread_mutex_lock(&(ep)->lock);                     \
			_ok = (cond);                                        \
			pthread_mutex_unlock(&(ep)->lock);                   \
			if (_ok || now_ms() > _end)                          \
				break;                                       \
			usleep(2000);                                        \
		}                                                            \
		_ok;                                                         \
	})

struct endpoint {
	struct msgr *m;
	pthread_mutex_t lock;
	int connects, resumed_connects, faults, resets, remote_resets;
	int last_fault, last_reset;
	char peer[MSGR_ENTITY_MAX];
	struct msgr_conn *conn; /* server: the last session connected */
	uint32_t *got;          /* T_DATA indexes, in arrival order */
	size_t ngot, capgot;
	size_t replies;
	uint32_t reply_crc;
	uint32_t reply_len;
	bool hold;              /* keep T_DATA messages instead of releasing */
	struct msgr_msg **held;
	size_t nheld;
	int block_ms;
};

static void ep_on_connect(struct msgr_conn *c, bool resumed, void *arg)
{
	struct endpoint *ep = arg;

	pthread_mutex_lock(&ep->lock);
	ep->connects++;
	if (resumed)
		ep->resumed_connects++;
	snprintf(ep->peer, sizeof(ep->peer), "%s", msgr_conn_peer_name(c));
	if (!msgr_conn_is_client(c) && ep->conn != c) {
		if (ep->conn)
			msgr_conn_put(ep->conn);
		ep->conn = msgr_conn_get(c);
	}
	pthread_mutex_unlock(&ep->lock);
}

static void ep_on_message(struct msgr_conn *c, struct msgr_msg *m, void *arg)
{
	struct endpoint *ep = arg;

	switch (m->type) {
	case T_ECHO:
		assert_int_equal(msgr_send(c, T_REPLY, m->data, m->len), 0);
		break;
	case T_REPLY:
		pthread_mutex_lock(&ep->lock);
		ep->replies++;
		ep->reply_len = m->len;
		ep->reply_crc = crc32c(m->data, m->len);
		pthread_mutex_unlock(&ep->lock);
		break;
	case T_DATA: {
		uint32_t idx;
		assert_true(m->len >= 4);
		memcpy(&idx, m->data, 4);
		pthread_mutex_lock(&ep->lock);
		if (ep->ngot == ep->capgot) {
			ep->capgot = ep->capgot ? ep->capgot * 2 : 256;
			ep->got = realloc(ep->got, ep->capgot * sizeof(*ep->got));
			ep->held = realloc(ep->held, ep->capgot * sizeof(*ep->held));
		}
		ep->got[ep->ngot++] = idx;
		if (ep->hold) {
			msgr_msg_get(m);
			ep->held[ep->nheld++] = m;
		}
		pthread_mutex_unlock(&ep->lock);
		break;
	}
	case T_BLOCK:
		usleep((useconds_t)ep->block_ms * 1000);
		break;
	}
}

static void ep_on_fault(struct msgr_conn *c, int err, void *arg)
{
	struct endpoint *ep = arg;

	(void)c;
	pthread_mutex_lock(&ep->lock);
	ep->faults++;
	ep->last_fault = err;
	pthread_mutex_unlock(&ep->lock);
}

static void ep_on_remote_reset(struct msgr_conn *c, void *arg)
{
	struct endpoint *ep = arg;

	(void)c;
	pthread_mutex_lock(&ep->lock);
	ep->remote_resets++;
	pthread_mutex_unlock(&ep->lock);
}

static void ep_on_reset(struct msgr_conn *c, int err, void *arg)
{
	struct endpoint *ep = arg;

	(void)c;
	pthread_mutex_lock(&ep->lock);
	ep->resets++;
	ep->last_reset = err;
	pthread_mutex_unlock(&ep->lock);
}

static const struct msgr_dispatch_ops ep_ops = {
	.on_connect = ep_on_connect,
	.on_message = ep_on_message,
	.on_fault = ep_on_fault,
	.on_remote_reset = ep_on_remote_reset,
	.on_reset = ep_on_reset,
};

static void fast_opts(struct msgr_opts *o, const char *name, struct endpoint *ep)
{
	msgr_opts_init(o);
	o->name = name;
	o->dispatch = &ep_ops;
	o->dispatch_arg = ep;
	o->keepalive_interval_ms = 50;
	o->keepalive_timeout_ms = 400;
	o->backoff_min_ms = 10;
	o->backoff_max_ms = 100;
	o->linger_ms = 5000;
}

static void ep_init(struct endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	pthread_mutex_init(&ep->lock, NULL);
}

static void ep_start(struct endpoint *ep, struct msgr_opts *o)
{
	assert_int_equal(msgr_create(o, &ep->m), 0);
}

static void ep_release_held(struct endpoint *ep)
{
	pthread_mutex_lock(&ep->lock);
	for (size_t i = 0; i < ep->nheld; i++)
		msgr_msg_put(ep->held[i]);
	ep->nheld = 0;
	pthread_mutex_unlock(&ep->lock);
}

/* Destroys the messenger but keeps the recorded events. */
static void ep_stop(struct endpoint *ep)
{
	msgr_destroy(ep->m);
	ep->m = NULL;
	ep_release_held(ep);
	if (ep->conn)
		msgr_conn_put(ep->conn);
	ep->conn = NULL;
}

static void ep_release(struct endpoint *ep)
{
	if (ep->m)
		ep_stop(ep);
	free(ep->got);
	free(ep->held);
	pthread_mutex_destroy(&ep->lock);
}

static void server_start(struct endpoint *ep, const char *name, const char *bind,
			 struct msgr_addr *bound)
{
	struct msgr_opts o;
	struct msgr_addr a;

	fast_opts(&o, name, ep);
	ep_start(ep, &o);
	assert_int_equal(msgr_addr_parse(bind, 0, &a), 0);
	assert_int_equal(msgr_bind(ep->m, &a, bound), 0);
	assert_int_not_equal(msgr_addr_port(bound), 0);
}

static void send_data(struct msgr_conn *c, uint32_t idx, size_t len)
{
	uint8_t *p = calloc(1, len < 4 ? 4 : len);
	memcpy(p, &idx, 4);
	assert_int_equal(msgr_send_take(c, T_DATA, p, len < 4 ? 4 : len), 0);
}

static bool got_in_order(struct endpoint *ep, uint32_t first, uint32_t n)
{
	bool ok = ep->ngot == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = ep->got[i] == first + i;
	return ok;
}

/* ---- tests ---- */

static void echo_test(const char *bind_addr)
{
	struct endpoint srv, cli;
	struct msgr_opts o;
	struct msgr_addr bound;
	struct msgr_conn *c;

	ep_init(&srv);
	ep_init(&cli);
	server_start(&srv, "mon.a", bind_addr, &bound);
	fast_opts(&o, "client.admin", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	assert_int_equal(msgr_send(c, T_ECHO, "ping", 4), 0); /* queued before the handshake */
	assert_true(WAIT_FOR(&cli, cli.replies == 1, 3000));
	assert_int_equal(cli.reply_len, 4);
	assert_int_equal(cli.reply_crc, crc32c("ping", 4));
	/* both sides learned each other's names */
	assert_string_equal(cli.peer, "mon.a");
	assert_true(WAIT_FOR(&srv, srv.connects == 1, 1000));
	assert_string_equal(srv.peer, "client.admin");
	assert_string_equal(msgr_conn_peer_name(c), "mon.a");
	assert_true(msgr_conn_peer_nonce(c) == msgr_nonce(srv.m));
	/* an empty message is a message too */
	assert_int_equal(msgr_send(c, T_ECHO, NULL, 0), 0);
	assert_true(WAIT_FOR(&cli, cli.replies == 2, 3000));
	assert_int_equal(cli.reply_len, 0);

	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv);
}

static void test_echo_ipv4(void **state)
{
	(void)state;
	echo_test("127.0.0.1:0");
}

static bool ipv6_available(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	bool ok;

	if (fd < 0)
		return false;
	ok = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static void test_echo_ipv6(void **state)
{
	(void)state;
	if (!ipv6_available()) {
		skip();
		return;
	}
	echo_test("[::1]:0");
}

static void test_thousand_in_order(void **state)
{
	struct endpoint srv, cli;
	struct msgr_opts o;
	struct msgr_addr bound;
	struct msgr_conn *c;

	(void)state;
	ep_init(&srv);
	ep_init(&cli);
	server_start(&srv, "osd.0", "127.0.0.1:0", &bound);
	fast_opts(&o, "osd.1", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	for (uint32_t i = 0; i < 1000; i++)
		send_data(c, i, 4 + i % 200);
	assert_true(WAIT_FOR(&srv, srv.ngot == 1000, 5000));
	assert_true(got_in_order(&srv, 0, 1000));
	/* everything acked: the sender holds nothing */
	struct msgr_conn_stats st;
	for (int i = 0; i < 500; i++) {
		msgr_conn_stats(c, &st);
		if (st.out_queued_bytes == 0)
			break;
		usleep(2000);
	}
	assert_int_equal(st.out_queued_bytes, 0);
	assert_int_equal(st.msgs_out, 1000);
	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv);
}

/* One payload shared by sends on two connections: both peers get the
 * bytes, and the payload lives until the last send is done (ASan). */
static void test_shared_payload(void **state)
{
	struct endpoint srv1, srv2, cli;
	struct msgr_opts o;
	struct msgr_addr b1, b2;
	struct msgr_conn *c1, *c2;
	size_t big = 1u << 20;
	uint8_t *p = malloc(big);
	struct msgr_payload *pl;

	(void)state;
	for (size_t i = 0; i < big; i++)
		p[i] = (uint8_t)(i * 2654435761u >> 11);
	uint32_t want = crc32c(p, big);
	ep_init(&srv1);
	ep_init(&srv2);
	ep_init(&cli);
	server_start(&srv1, "osd.0", "127.0.0.1:0", &b1);
	server_start(&srv2, "osd.1", "127.0.0.1:0", &b2);
	fast_opts(&o, "client.admin", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &b1, &c1), 0);
	assert_int_equal(msgr_connect(cli.m, &b2, &c2), 0);
	pl = msgr_payload_new(p, big);
	assert_non_null(pl);
	assert_int_equal(msgr_payload_len(pl), big);
	assert_int_equal(msgr_send_shared(c1, T_ECHO, pl), 0);
	assert_int_equal(msgr_send_shared(c2, T_ECHO, pl), 0);
	msgr_payload_put(pl); /* the sends keep it alive */
	assert_true(WAIT_FOR(&cli, cli.replies == 2, 10000));
	assert_int_equal(cli.reply_len, big);
	assert_int_equal(cli.reply_crc, want);
	msgr_conn_put(c1);
	msgr_conn_put(c2);
	ep_release(&cli);
	ep_release(&srv1);
	ep_release(&srv2);
}

static void test_large_messages(void **state)
{
	struct endpoint srv, cli;
	struct msgr_opts o;
	struct msgr_addr bound;
	struct msgr_conn *c;
	size_t big = 8u << 20;
	uint8_t *p = malloc(big);

	(void)state;
	for (size_t i = 0; i < big; i++)
		p[i] = (uint8_t)(i * 2654435761u >> 13);
	ep_init(&srv);
	ep_init(&cli);
	server_start(&srv, "osd.0", "127.0.0.1:0", &bound);
	fast_opts(&o, "client.admin", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(msgr_send(c, T_ECHO, p, big - (size_t)i * 12345), 0);
	assert_true(WAIT_FOR(&cli, cli.replies == 3, 10000));
	assert_int_equal(cli.reply_len, big - 2 * 12345);
	assert_int_equal(cli.reply_crc, crc32c(p, big - 2 * 12345));
	free(p);
	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv);
}

static void test_max_frame(void **state)
{
	struct endpoint cli;
	struct msgr_opts o;
	struct msgr_addr a;
	struct msgr_conn *c;

	(void)state;
	ep_init(&cli);
	fast_opts(&o, "client.admin", &cli);
	o.max_frame = 1000;
	ep_start(&cli, &o);
	assert_int_equal(msgr_addr_parse("127.0.0.1:1", 0, &a), 0);
	assert_int_equal(msgr_connect(cli.m, &a, &c), 0);
	uint8_t buf[1001] = {0};
	assert_int_equal(msgr_send(c, T_ECHO, buf, 1001), -EMSGSIZE);
	assert_int_equal(msgr_send(c, T_ECHO, buf, 1000), 0);
	msgr_conn_put(c);
	ep_release(&cli);
}

static void test_sync_client(void **state)
{
	struct endpoint srv;
	struct msgr_addr bound, dead;
	struct msgr_client *cl;
	struct msgr_msg *reply;

	(void)state;
	ep_init(&srv);
	server_start(&srv, "mon.a", "127.0.0.1:0", &bound);
	assert_int_equal(msgr_client_open("client.admin", NULL, NULL, &bound, 2000, &cl), 0);
	for (int i = 0; i < 20; i++) {
		char req[32];
		int n = snprintf(req, sizeof(req), "request %d", i);
		assert_int_equal(msgr_client_call(cl, T_ECHO, req, (size_t)n, 2000, &reply), 0);
		assert_int_equal(reply->type, T_REPLY);
		assert_int_equal(reply->len, n);
		assert_memory_equal(reply->data, req, (size_t)n);
		msgr_msg_put(reply);
	}
	/* no answer: the call times out */
	assert_int_equal(msgr_client_call(cl, T_DATA, "\0\0\0\0", 4, 100, &reply), -ETIMEDOUT);
	assert_null(reply);
	msgr_client_close(cl);

	/* nobody listening: the open fails with the connect error */
	assert_int_equal(msgr_addr_parse("127.0.0.1:1", 0, &dead), 0);
	int rc = msgr_client_open("client.admin", NULL, NULL, &dead, 300, &cl);
	assert_true(rc == -ECONNREFUSED || rc == -ETIMEDOUT);
	ep_release(&srv);
}

/* ---- authentication: a key, then a challenge the key must answer ---- */

struct test_key {
	const char *key;
};

static uint32_t answer(const char *key, const uint8_t *chal, size_t len)
{
	return crc32c_update(crc32c(key, strlen(key)), chal, len);
}

static int key_client_build(void *arg, const char *peer, struct enc_buf *out)
{
	struct test_key *k = arg;
	(void)peer;
	enc_put_string(out, "client-hello");
	(void)k;
	return 0;
}

static int key_client_challenge(void *arg, const uint8_t *chal, size_t len, struct enc_buf *out)
{
	struct test_key *k = arg;
	enc_put_u32(out, answer(k->key, chal, len));
	return 0;
}

struct server_state {
	uint8_t chal[8];
};

static int key_server_verify(void *arg, const struct msgr_auth_request *req,
			     struct enc_buf *challenge)
{
	struct test_key *k = arg;

	if (req->round == 0) {
		struct server_state *st = calloc(1, sizeof(*st));
		for (int i = 0; i < 8; i++)
			st->chal[i] = (uint8_t)rand();
		*req->state = st;
		enc_put_bytes(challenge, st->chal, 8);
		return MSGR_AUTH_CHALLENGE;
	}
	struct server_state *st = *req->state;
	struct dec_cursor cur;
	dec_init(&cur, req->payload, req->len);
	uint32_t got = dec_u32(&cur);
	if (dec_error(&cur) || got != answer(k->key, st->chal, 8))
		return -EACCES;
	return 0;
}

static void key_state_free(void *arg, void *state)
{
	(void)arg;
	free(state);
}

static const struct msgr_auth_ops key_auth = {
	.size = sizeof(struct msgr_auth_ops),
	.method = "testkey",
	.client_build = key_client_build,
	.client_challenge = key_client_challenge,
	.server_verify = key_server_verify,
	.state_free = key_state_free,
};

static void test_auth(void **state)
{
	struct endpoint srv, good, bad;
	struct test_key skey = {"s3cret"}, gkey = {"s3cret"}, bkey = {"wrong"};
	struct msgr_opts o;
	struct msgr_addr a, bound;
	struct msgr_conn *gc, *bc;
	struct msgr_client *cl;

	(void)state;
	ep_init(&srv);
	ep_init(&good);
	ep_init(&bad);
	fast_opts(&o, "mon.a", &srv);
	o.auth = &key_auth;
	o.auth_arg = &skey;
	ep_start(&srv, &o);
	assert_int_equal(msgr_addr_parse("127.0.0.1:0", 0, &a), 0);
	assert_int_equal(msgr_bind(srv.m, &a, &bound), 0);

	fast_opts(&o, "client.good", &good);
	o.auth = &key_auth;
	o.auth_arg = &gkey;
	ep_start(&good, &o);
	assert_int_equal(msgr_connect(good.m, &bound, &gc), 0);
	assert_int_equal(msgr_send(gc, T_ECHO, "x", 1), 0);
	assert_true(WAIT_FOR(&good, good.replies == 1, 3000));
	assert_non_null(msgr_conn_auth_state(srv.conn));

	fast_opts(&o, "client.bad", &bad);
	o.auth = &key_auth;
	o.auth_arg = &bkey;
	ep_start(&bad, &o);
	assert_int_equal(msgr_connect(bad.m, &bound, &bc), 0);
	assert_int_equal(msgr_send(bc, T_ECHO, "x", 1), 0);
	assert_true(WAIT_FOR(&bad, bad.resets == 1, 3000));
	assert_int_equal(bad.last_reset, -EACCES);
	assert_int_equal(bad.replies, 0);
	assert_int_equal(bad.connects, 0);
	/* refused for good: no reconnect storm, sends fail */
	assert_int_equal(msgr_send(bc, T_ECHO, "x", 1), -ECONNRESET);
	usleep(100 * 1000);
	assert_int_equal(bad.resets, 1);

	/* a different method altogether (none) is refused too */
	assert_int_equal(msgr_client_open("client.none", NULL, NULL, &bound, 2000, &cl), -EACCES);
	/* the sync client with the right key gets in */
	assert_int_equal(msgr_client_open("client.sync", &key_auth, &gkey, &bound, 2000, &cl), 0);
	msgr_client_close(cl);
	assert_int_equal(msgr_client_open("client.sync", &key_auth, &bkey, &bound, 2000, &cl),
			 -EACCES);

	/* the good client was not disturbed */
	assert_int_equal(msgr_send(gc, T_ECHO, "y", 1), 0);
	assert_true(WAIT_FOR(&good, good.replies == 2, 3000));
	msgr_conn_put(gc);
	msgr_conn_put(bc);
	ep_release(&bad);
	ep_release(&good);
	ep_release(&srv);
}

/* ---- hostile bytes ---- */

static int raw_connect(const struct msgr_addr *a)
{
	int fd = socket(a->ss.ss_family, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (const struct sockaddr *)&a->ss, msgr_addr_len(a)), 0);
	return fd;
}

/* True if the peer closed `fd` within ms (reads and discards data). */
static bool raw_closed_by_peer(int fd, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	char buf[4096];

	while (now_ms() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 20) > 0) {
			ssize_t n = recv(fd, buf, sizeof(buf), 0);
			if (n <= 0)
				return true;
		}
	}
	return false;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void raw_header(uint8_t h[24], uint16_t type, uint16_t flags, uint32_t len)
{
	memset(h, 0, 24);
	memcpy(h, "LOLM", 4);
	h[4] = (uint8_t)type;
	h[5] = (uint8_t)(type >> 8);
	h[6] = (uint8_t)flags;
	h[7] = (uint8_t)(flags >> 8);
	put_le32(h + 8, len);
	put_le32(h + 20, crc32c(h, 20));
}

static void test_garbage(void **state)
{
	struct endpoint srv, cli;
	struct msgr_opts o;
	struct msgr_addr bound;
	struct msgr_conn *c;
	uint8_t h[24];
	int fd;

	(void)state;
	ep_init(&srv);
	ep_init(&cli);
	server_start(&srv, "mon.a", "127.0.0.1:0", &bound);
	fast_opts(&o, "client.admin", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	assert_int_equal(msgr_send(c, T_ECHO, "a", 1), 0);
	assert_true(WAIT_FOR(&cli, cli.replies == 1, 3000));

	/* 1. not our protocol at all */
	fd = raw_connect(&bound);
	assert_int_equal(send(fd, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27, 0), 27);
	assert_true(raw_closed_by_peer(fd, 2000));
	close(fd);

	/* 2. a valid header announcing a huge payload (before auth) */
	fd = raw_connect(&bound);
	raw_header(h, 1, 1, 0xfffffff0u);
	assert_int_equal(send(fd, h, 24, 0), 24);
	assert_true(raw_closed_by_peer(fd, 2000));
	close(fd);

	/* 3. a header whose crc is wrong */
	fd = raw_connect(&bound);
	raw_header(h, 1, 1, 4);
	h[21] ^= 1;
	assert_int_equal(send(fd, h, 24, 0), 24);
	assert_true(raw_closed_by_peer(fd, 2000));
	close(fd);

	/* 4. a good header, a payload whose crc is wrong */
	fd = raw_connect(&bound);
	raw_header(h, 1, 1, 4);
	assert_int_equal(send(fd, h, 24, 0), 24);
	assert_int_equal(send(fd, "abcd\0\0\0\0", 8, 0), 8);
	assert_true(raw_closed_by_peer(fd, 2000));
	close(fd);

	/* 5. a user frame before any handshake */
	fd = raw_connect(&bound);
	raw_header(h, T_ECHO, 0, 0);
	assert_int_equal(send(fd, h, 24, 0), 24);
	assert_int_equal(send(fd, "\0\0\0\0", 4, 0), 4);
	assert_true(raw_closed_by_peer(fd, 2000));
	close(fd);

	/* 6. truncated: half a header, then hang up; and a silent one that
	 * the handshake timeout must close */
	fd = raw_connect(&bound);
	assert_int_equal(send(fd, h, 10, 0), 10);
	close(fd);
	fd = raw_connect(&bound);
	assert_true(raw_closed_by_peer(fd, 3000));
	close(fd);

	/* 7. a HELLO frame whose payload is garbage */
	fd = raw_connect(&bound);
	{
		uint8_t frame[24 + 16 + 4];
		memset(frame + 24, 0xee, 16);
		raw_header(frame, 1, 1, 16);
		put_le32(frame + 40, crc32c(frame + 24, 16));
		assert_int_equal(send(fd, frame, sizeof(frame), 0), (ssize_t)sizeof(frame));
	}
	assert_true(raw_closed_by_peer(fd, 2000));
	close(fd);

	/* the server still serves: the old session and a new one */
	assert_int_equal(msgr_send(c, T_ECHO, "b", 1), 0);
	assert_true(WAIT_FOR(&cli, cli.replies == 2, 3000));
	assert_int_equal(cli.faults, 0);
	struct msgr_client *cl;
	struct msgr_msg *reply;
	assert_int_equal(msgr_client_open("client.other", NULL, NULL, &bound, 2000, &cl), 0);
	assert_int_equal(msgr_client_call(cl, T_ECHO, "z", 1, 2000, &reply), 0);
	msgr_msg_put(reply);
	msgr_client_close(cl);

	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv);
}

/* ---- throttles ---- */

static void test_throttle(void **state)
{
	struct endpoint srv, cli;
	struct msgr_opts o;
	struct msgr_addr a, bound;
	struct msgr_conn *c;
	const uint64_t limit = 256 * 1024;
	const size_t msg = 16 * 1024;
	const uint32_t n = 200; /* 3.2 MB, far over the limit */

	(void)state;
	ep_init(&srv);
	ep_init(&cli);
	fast_opts(&o, "osd.0", &srv);
	o.conn_in_max_bytes = limit;
	ep_start(&srv, &o);
	srv.hold = true; /* a dispatcher that never finishes anything */
	assert_int_equal(msgr_addr_parse("127.0.0.1:0", 0, &a), 0);
	assert_int_equal(msgr_bind(srv.m, &a, &bound), 0);
	fast_opts(&o, "client.admin", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	for (uint32_t i = 0; i < n; i++)
		send_data(c, i, msg);

	/* the server takes what the limit allows, then stops reading */
	assert_true(WAIT_FOR(&srv, srv.ngot * msg >= limit, 3000));
	usleep(300 * 1000); /* longer than the keepalive timeout */
	struct msgr_conn_stats st;
	pthread_mutex_lock(&srv.lock);
	size_t got = srv.ngot;
	msgr_conn_stats(srv.conn, &st);
	pthread_mutex_unlock(&srv.lock);
	assert_true(got < n);
	assert_true(st.read_paused);
	assert_true(st.in_held_peak <= limit + msg);
	assert_true(st.in_held_bytes <= limit + msg);
	/* pausing is not a dead peer: nobody timed out */
	assert_int_equal(cli.faults, 0);
	assert_int_equal(srv.faults, 0);

	/* release from this (non-loop) thread: reading resumes, and with the
	 * dispatcher now releasing as it goes, everything arrives in order */
	pthread_mutex_lock(&srv.lock);
	srv.hold = false;
	pthread_mutex_unlock(&srv.lock);
	ep_release_held(&srv);
	assert_true(WAIT_FOR(&srv, srv.ngot == n, 5000));
	assert_true(got_in_order(&srv, 0, n));
	msgr_conn_stats(srv.conn, &st);
	assert_true(st.in_held_peak <= limit + msg);
	assert_int_equal(st.in_held_bytes, 0);
	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv);
}

/* A listener that accepts and never reads: the sender's queue is bounded
 * by conn_out_max_bytes. */
static void test_out_limit(void **state)
{
	struct endpoint cli;
	struct msgr_opts o;
	struct msgr_addr bound;
	struct msgr_conn *c;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);

	(void)state;
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	getsockname(lfd, (struct sockaddr *)&sa, &sl);
	memset(&bound, 0, sizeof(bound));
	memcpy(&bound.ss, &sa, sizeof(sa));

	ep_init(&cli);
	fast_opts(&o, "client.admin", &cli);
	o.conn_out_max_bytes = 1 << 20;
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	uint8_t *buf = calloc(1, 64 * 1024);
	int rc = 0, sent = 0;
	for (int i = 0; i < 100 && rc == 0; i++) {
		rc = msgr_send(c, T_DATA, buf, 64 * 1024);
		if (rc == 0)
			sent++;
	}
	assert_int_equal(rc, -ENOBUFS);
	assert_int_equal(sent, 16);
	struct msgr_conn_stats st;
	msgr_conn_stats(c, &st);
	assert_true(st.out_queued_bytes <= (1u << 20));
	free(buf);
	msgr_conn_put(c);
	ep_release(&cli);
	close(lfd);
}

/* ---- a TCP proxy whose streams the test can cut ---- */

struct proxy {
	int lfd;
	struct msgr_addr addr;
	struct msgr_addr target;
	pthread_t thread;
	int pipefd[2]; /* commands: 'c' cut, 'g' garble, 'q' quit */
	int cuts;
	bool garble; /* flip a byte in the next chunk client -> server */
	int garbled;
};

static void *proxy_main(void *arg)
{
	struct proxy *px = arg;
	int a = -1, b = -1;
	char buf[65536];

	for (;;) {
		struct pollfd p[4] = {{.fd = px->lfd, .events = POLLIN},
				      {.fd = px->pipefd[0], .events = POLLIN},
				      {.fd = a, .events = POLLIN},
				      {.fd = b, .events = POLLIN}};
		if (poll(p, 4, 100) < 0)
			continue;
		if (p[1].revents) {
			char cmd;
			if (read(px->pipefd[0], &cmd, 1) != 1 || cmd == 'q')
				break;
			if (cmd == 'g') {
				px->garble = true;
				continue;
			}
			if (a >= 0) {
				close(a);
				close(b);
				a = b = -1;
				px->cuts++;
			}
			continue;
		}
		if (p[0].revents & POLLIN) {
			int fd = accept(px->lfd, NULL, NULL);
			if (a >= 0) { /* one stream at a time */
				close(a);
				close(b);
			}
			a = fd;
			b = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(b, (struct sockaddr *)&px->target.ss, msgr_addr_len(&px->target))) {
				close(a);
				close(b);
				a = b = -1;
			}
			continue;
		}
		for (int i = 2; i < 4; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			int from = p[i].fd, to = i == 2 ? b : a;
			ssize_t n = recv(from, buf, sizeof(buf), 0);
			if (n > 0 && i == 2 && px->garble) {
				buf[n / 2] ^= 0x5a;
				px->garble = false;
				px->garbled++;
			}
			if (n <= 0 || send(to, buf, (size_t)n, MSG_NOSIGNAL) != n) {
				close(a);
				close(b);
				a = b = -1;
				break;
			}
		}
	}
	if (a >= 0) {
		close(a);
		close(b);
	}
	return NULL;
}

static void proxy_start(struct proxy *px, const struct msgr_addr *target)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof(sa);
	int one = 1;

	memset(px, 0, sizeof(*px));
	px->target = *target;
	px->lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(px->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(px->lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(px->lfd, 8), 0);
	getsockname(px->lfd, (struct sockaddr *)&sa, &sl);
	memcpy(&px->addr.ss, &sa, sizeof(sa));
	assert_int_equal(pipe(px->pipefd), 0);
	pthread_create(&px->thread, NULL, proxy_main, px);
}

static void proxy_cmd(struct proxy *px, char cmd)
{
	assert_int_equal(write(px->pipefd[1], &cmd, 1), 1);
}

static void proxy_stop(struct proxy *px)
{
	proxy_cmd(px, 'q');
	pthread_join(px->thread, NULL);
	close(px->lfd);
	close(px->pipefd[0]);
	close(px->pipefd[1]);
}

/* Streams are cut again and again, and garbled, while both sides send:
 * every message arrives exactly once, in order, over a resumed session. */
static void test_cut_streams(void **state)
{
	struct endpoint srv, cli;
	struct msgr_opts o;
	struct msgr_addr bound;
	struct msgr_conn *c;
	struct proxy px;
	const uint32_t n = 3000;

	(void)state;
	ep_init(&srv);
	ep_init(&cli);
	server_start(&srv, "osd.0", "127.0.0.1:0", &bound);
	proxy_start(&px, &bound);
	fast_opts(&o, "osd.1", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &px.addr, &c), 0);
	for (uint32_t i = 0; i < n; i++) {
		send_data(c, i, 100 + (i % 7) * 1000);
		if (i % 500 == 250)
			proxy_cmd(&px, 'c');
		if (i % 1000 == 700)
			proxy_cmd(&px, 'g'); /* a corrupt frame is a fault too */
		if (i % 100 == 0)
			usleep(2000);
	}
	assert_true(WAIT_FOR(&srv, srv.ngot == n, 10000));
	assert_true(got_in_order(&srv, 0, n));
	/* the server's replies flow back through the same resumed session */
	for (int i = 0; i < 50; i++) {
		assert_int_equal(msgr_send(c, T_ECHO, "r", 1), 0);
		if (i == 25)
			proxy_cmd(&px, 'c');
	}
	assert_true(WAIT_FOR(&cli, cli.replies == 50, 10000));
	usleep(100 * 1000);
	assert_int_equal(cli.replies, 50);
	assert_int_equal(srv.ngot, n);
	assert_true(cli.faults >= 1);
	assert_true(srv.resumed_connects >= 1);
	assert_int_equal(cli.remote_resets, 0);
	assert_int_equal(srv.resets, 0);
	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv);
	proxy_stop(&px);
	assert_true(px.garbled >= 1); /* read after the proxy thread is joined */
}

/* The server dies and a new instance comes up on the same port: the
 * client reconnects, learns the peer is new, and everything it sent
 * reaches one server or the other exactly once. */
static void test_server_restart(void **state)
{
	struct endpoint srv, srv2, cli;
	struct msgr_opts o;
	struct msgr_addr bound, bound2;
	struct msgr_conn *c;
	char addr[MSGR_ADDR_STRLEN];

	(void)state;
	ep_init(&srv);
	ep_init(&srv2);
	ep_init(&cli);
	server_start(&srv, "mon.a", "127.0.0.1:0", &bound);
	fast_opts(&o, "client.admin", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	for (uint32_t i = 0; i < 100; i++)
		send_data(c, i, 64);
	assert_true(WAIT_FOR(&srv, srv.ngot == 100, 3000));
	/* wait for the acks so the first instance's share is settled */
	struct msgr_conn_stats st;
	for (int i = 0; i < 500; i++) {
		msgr_conn_stats(c, &st);
		if (st.out_queued_bytes == 0)
			break;
		usleep(2000);
	}
	assert_int_equal(st.out_queued_bytes, 0);
	uint64_t old_nonce = msgr_conn_peer_nonce(c);

	ep_stop(&srv);
	assert_true(WAIT_FOR(&cli, cli.faults >= 1, 2000));
	/* sent while nobody is there: queued, not lost */
	for (uint32_t i = 100; i < 150; i++)
		send_data(c, i, 64);
	usleep(50 * 1000);

	msgr_addr_format(&bound, addr, sizeof(addr));
	server_start(&srv2, "mon.a", addr, &bound2);
	assert_int_equal(msgr_addr_port(&bound2), msgr_addr_port(&bound));
	assert_true(WAIT_FOR(&srv2, srv2.ngot == 50, 5000));
	assert_true(got_in_order(&srv2, 100, 50));
	for (uint32_t i = 150; i < 200; i++)
		send_data(c, i, 64);
	assert_true(WAIT_FOR(&srv2, srv2.ngot == 100, 5000));
	assert_true(got_in_order(&srv2, 100, 100));
	assert_true(got_in_order(&srv, 0, 100));
	assert_int_equal(cli.remote_resets, 1);
	assert_true(msgr_conn_peer_nonce(c) != old_nonce);
	/* replies from the new instance reach us */
	assert_int_equal(msgr_send(c, T_ECHO, "q", 1), 0);
	assert_true(WAIT_FOR(&cli, cli.replies == 1, 3000));
	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv2);
	ep_release(&srv);
}

/* A peer that stops answering (its loop is stuck) is declared dead within
 * the keepalive timeout; when it recovers the session carries on. */
static void test_keepalive_timeout(void **state)
{
	struct endpoint srv, cli;
	struct msgr_opts o;
	struct msgr_addr bound;
	struct msgr_conn *c;

	(void)state;
	ep_init(&srv);
	ep_init(&cli);
	server_start(&srv, "osd.0", "127.0.0.1:0", &bound);
	srv.block_ms = 1200;
	fast_opts(&o, "client.admin", &cli);
	o.keepalive_timeout_ms = 300;
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	assert_int_equal(msgr_send(c, T_ECHO, "1", 1), 0);
	assert_true(WAIT_FOR(&cli, cli.replies == 1, 3000));
	/* an idle but healthy connection is not timed out */
	usleep(600 * 1000);
	assert_int_equal(cli.faults, 0);

	uint64_t t0 = now_ms();
	assert_int_equal(msgr_send(c, T_BLOCK, "", 0), 0);
	assert_true(WAIT_FOR(&cli, cli.faults >= 1, 2000));
	uint64_t dt = now_ms() - t0;
	assert_int_equal(cli.last_fault, -ETIMEDOUT);
	assert_true(dt >= 250 && dt < 1100);

	/* the server wakes up; the client is back and nothing was lost */
	assert_int_equal(msgr_send(c, T_ECHO, "2", 1), 0);
	assert_true(WAIT_FOR(&cli, cli.replies == 2, 5000));
	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv);
}

static void test_close(void **state)
{
	struct endpoint srv, cli;
	struct msgr_opts o;
	struct msgr_addr bound;
	struct msgr_conn *c;

	(void)state;
	ep_init(&srv);
	ep_init(&cli);
	server_start(&srv, "mon.a", "127.0.0.1:0", &bound);
	fast_opts(&o, "client.admin", &cli);
	ep_start(&cli, &o);
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	assert_int_equal(msgr_send(c, T_ECHO, "1", 1), 0);
	assert_true(WAIT_FOR(&cli, cli.replies == 1, 3000));
	msgr_conn_close(c);
	assert_true(WAIT_FOR(&cli, cli.resets == 1, 2000));
	assert_int_equal(cli.last_reset, -ECONNABORTED);
	assert_true(WAIT_FOR(&srv, srv.resets == 1, 2000));
	assert_int_equal(msgr_send(c, T_ECHO, "2", 1), -ECONNRESET);
	msgr_conn_put(c);

	/* destroying messengers with live sessions and queued messages
	 * leaks nothing (ASan checks) and later calls fail cleanly */
	assert_int_equal(msgr_connect(cli.m, &bound, &c), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(msgr_send(c, T_ECHO, "3", 1), 0);
	assert_true(WAIT_FOR(&cli, cli.replies >= 2, 3000));
	ep_stop(&cli);
	assert_int_equal(msgr_send(c, T_ECHO, "4", 1), -ECONNRESET);
	msgr_conn_put(c);
	ep_release(&cli);
	ep_release(&srv);
}


/* A messenger on a loop the caller owns and runs (as the monitor will
 * share libraft's loop): bind before running it, destroy on its thread,
 * and the loop then runs dry. */
struct caller_loop {
	uv_loop_t loop;
	uv_async_t stop;
	struct endpoint *ep;
	pthread_t thread;
};

static void caller_stop_cb(uv_async_t *h)
{
	struct caller_loop *cl = h->data;

	assert_true(msgr_on_loop_thread(cl->ep->m));
	msgr_destroy(cl->ep->m);
	cl->ep->m = NULL;
	uv_close((uv_handle_t *)&cl->stop, NULL);
}

static void *caller_loop_main(void *arg)
{
	struct caller_loop *cl = arg;

	uv_run(&cl->loop, UV_RUN_DEFAULT);
	return NULL;
}

static void test_caller_loop(void **state)
{
	struct caller_loop cl;
	struct endpoint srv;
	struct msgr_opts o;
	struct msgr_addr a, bound;
	struct msgr_client *client;
	struct msgr_msg *reply;

	(void)state;
	ep_init(&srv);
	assert_int_equal(uv_loop_init(&cl.loop), 0);
	cl.ep = &srv;
	uv_async_init(&cl.loop, &cl.stop, caller_stop_cb);
	cl.stop.data = &cl;
	fast_opts(&o, "mon.b", &srv);
	o.loop = &cl.loop;
	ep_start(&srv, &o);
	assert_int_equal(msgr_addr_parse("127.0.0.1:0", 0, &a), 0);
	assert_int_equal(msgr_bind(srv.m, &a, &bound), 0);
	pthread_create(&cl.thread, NULL, caller_loop_main, &cl);

	assert_int_equal(msgr_client_open("client.admin", NULL, NULL, &bound, 2000, &client), 0);
	assert_int_equal(msgr_client_call(client, T_ECHO, "loop", 4, 2000, &reply), 0);
	assert_memory_equal(reply->data, "loop", 4);
	msgr_msg_put(reply);

	pthread_mutex_lock(&srv.lock);
	struct msgr_conn *sc = srv.conn; /* drop our ref before destroy */
	srv.conn = NULL;
	pthread_mutex_unlock(&srv.lock);
	msgr_conn_put(sc);
	uv_async_send(&cl.stop);
	pthread_join(cl.thread, NULL); /* returns once every handle closed */
	assert_int_equal(uv_loop_close(&cl.loop), 0);
	msgr_client_close(client);
	ep_release(&srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_ipv4),
		cmocka_unit_test(test_echo_ipv6),
		cmocka_unit_test(test_thousand_in_order),
		cmocka_unit_test(test_large_messages),
		cmocka_unit_test(test_shared_payload),
		cmocka_unit_test(test_max_frame),
		cmocka_unit_test(test_sync_client),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_out_limit),
		cmocka_unit_test(test_cut_streams),
		cmocka_unit_test(test_server_restart),
		cmocka_unit_test(test_keepalive_timeout),
		cmocka_unit_test(test_close),
		cmocka_unit_test(test_caller_loop),
	};
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
