/*
 * The messenger object: its loop (own thread or the caller's), the kick
 * queue through which other threads hand work to the loop, listeners, and
 * the tick timer that drives keepalives, reconnects and lingering
 * sessions.  The connection state machine itself is in conn.c.
 *
 * Threading: everything under "loop thread only" in struct msgr is touched
 * by the loop thread alone.  Other threads talk to it in exactly two ways,
 * both under m->lock and followed by uv_async_send(): msgr_kick() (flags on
 * a connection) and msgr_run_on_loop() (a function call, waited for).
 * Lock order: conn->lock before m->lock; nothing is called back with a lock
 * held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "internal.h"

struct msgr_call {
	struct msgr_list link;
	int (*fn)(struct msgr *, void *);
	void *arg;
	int rc;
	bool done;
	pthread_cond_t cond;
};

uint64_t msgr_random_u64(void)
{
	uint64_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v)) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)ts.tv_sec;
	}
	return v ? v : 1; /* 0 means "none" on the wire */
}

void msgr_opts_init(struct msgr_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_frame = 64u << 20;
	o->conn_in_max_bytes = 100u << 20;
	o->keepalive_interval_ms = 2000;
	o->keepalive_timeout_ms = 15000;
	o->backoff_min_ms = 100;
	o->backoff_max_ms = 15000;
	o->linger_ms = 300000;
}

const char *msgr_name(const struct msgr *m)
{
	return m->name;
}

uint64_t msgr_nonce(const struct msgr *m)
{
	return m->nonce;
}

bool msgr_on_loop_thread(const struct msgr *m)
{
	if (!m->own_thread)
		return true; /* caller-loop mode: by contract */
	uv_thread_t self = uv_thread_self();
	return uv_thread_equal(&self, &m->thread);
}

void msgr_handle_closed(struct msgr *m)
{
	m->open_handles--;
	if (m->open_handles == 0 && m->stopping && !m->own_thread) {
		/* caller-loop mode: nothing refers to m any more */
		pthread_mutex_destroy(&m->lock);
		free(m);
	}
}

static void handle_close_cb(uv_handle_t *h)
{
	msgr_handle_closed(h->data);
}

/* ---- kicks and calls ---- */

void msgr_kick(struct msgr_conn *c, unsigned flags)
{
	pthread_mutex_lock(&c->lock);
	struct msgr *m = c->m;
	if (m) {
		pthread_mutex_lock(&m->lock);
		if (!m->dead) {
			if (!c->kick_flags) {
				msgr_conn_get(c); /* the kick list's reference */
				msgr_list_add_tail(&m->kicks, &c->kick_link);
			}
			c->kick_flags |= flags;
			uv_async_send(&m->async);
		}
		pthread_mutex_unlock(&m->lock);
	}
	pthread_mutex_unlock(&c->lock);
}

int msgr_run_on_loop(struct msgr *m, int (*fn)(struct msgr *, void *), void *arg)
{
	struct msgr_call call = {.fn = fn, .arg = arg};
	int rc;

	if (msgr_on_loop_thread(m))
		return fn(m, arg);
	pthread_cond_init(&call.cond, NULL);
	pthread_mutex_lock(&m->lock);
	if (m->dead) {
		rc = -ESHUTDOWN;
		goto out_unlock;
	}
	msgr_list_add_tail(&m->calls, &call.link);
	uv_async_send(&m->async);
	while (!call.done)
		pthread_cond_wait(&call.cond, &m->lock);
	rc = call.rc;
out_unlock:
	pthread_mutex_unlock(&m->lock);
	pthread_cond_destroy(&call.cond);
	return rc;
}

static void async_cb(uv_async_t *h)
{
	struct msgr *m = h->data;
	struct msgr_list kicks, *n;

	pthread_mutex_lock(&m->lock);
	/* calls first: shutdown is one of them */
	while (!msgr_list_empty(&m->calls)) {
		struct msgr_call *call = msgr_container_of(m->calls.next, struct msgr_call, link);
		msgr_list_del(&call->link);
		pthread_mutex_unlock(&m->lock);
		int rc = call->fn(m, call->arg);
		pthread_mutex_lock(&m->lock);
		call->rc = rc;
		call->done = true;
		pthread_cond_signal(&call->cond);
	}
	msgr_list_init(&kicks);
	if (!msgr_list_empty(&m->kicks)) {
		kicks = m->kicks;
		kicks.next->prev = &kicks;
		kicks.prev->next = &kicks;
		msgr_list_init(&m->kicks);
	}
	pthread_mutex_unlock(&m->lock);

	while (!msgr_list_empty(&kicks)) {
		n = kicks.next;
		struct msgr_conn *c = msgr_container_of(n, struct msgr_conn, kick_link);
		pthread_mutex_lock(&m->lock);
		msgr_list_del(n);
		unsigned flags = c->kick_flags;
		c->kick_flags = 0;
		pthread_mutex_unlock(&m->lock);
		if (!m->stopping)
			msgr_conn_handle_kick(c, flags);
		msgr_conn_put(c);
	}
}

/* ---- the tick ---- */

static void tick_cb(uv_timer_t *t)
{
	struct msgr *m = t->data;
	uint64_t now = uv_now(m->loop);
	struct msgr_list *n, *next;

	/* each handler may unlink its own entry, so fetch next first */
	for (n = m->socks.next; n != &m->socks; n = next) {
		next = n->next;
		msgr_sock_tick(msgr_container_of(n, struct msgr_sock, link), now);
	}
	for (n = m->conns.next; n != &m->conns; n = next) {
		next = n->next;
		msgr_conn_tick(msgr_container_of(n, struct msgr_conn, link), now);
	}
}

/* ---- listeners ---- */

static void connection_cb(uv_stream_t *server, int status)
{
	struct msgr *m = server->data;

	if (status < 0 || m->stopping)
		return;
	/* a failure here only loses this one connection attempt */
	(void)msgr_sock_accept(m, server);
}

struct bind_args {
	const struct msgr_addr *addr;
	struct msgr_addr *bound;
};

static int bind_on_loop(struct msgr *m, void *arg)
{
	struct bind_args *a = arg;
	uv_tcp_t *t;
	int rc;

	if (m->stopping)
		return -ESHUTDOWN;
	if (m->nlisten >= MSGR_MAX_LISTEN)
		return -ENOSPC;
	t = &m->listen[m->nlisten];
	rc = uv_tcp_init(m->loop, t);
	if (rc)
		return rc;
	t->data = m;
	m->open_handles++;
	unsigned flags = a->addr->ss.ss_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0;
	rc = uv_tcp_bind(t, (const struct sockaddr *)&a->addr->ss, flags);
	if (rc)
		goto out_close;
	rc = uv_listen((uv_stream_t *)t, 128, connection_cb);
	if (rc)
		goto out_close;
	if (a->bound) {
		int len = sizeof(a->bound->ss);
		memset(a->bound, 0, sizeof(*a->bound));
		rc = uv_tcp_getsockname(t, (struct sockaddr *)&a->bound->ss, &len);
		if (rc)
			goto out_close;
	}
	m->nlisten++;
	return 0;

out_close:
	uv_close((uv_handle_t *)t, handle_close_cb);
	return rc;
}

int msgr_bind(struct msgr *m, const struct msgr_addr *addr, struct msgr_addr *bound)
{
	struct bind_args a = {addr, bound};

	if (addr->ss.ss_family != AF_INET && addr->ss.ss_family != AF_INET6)
		return -EINVAL;
	return msgr_run_on_loop(m, bind_on_loop, &a);
}

/* ---- life cycle ---- */

static void loop_thread(void *arg)
{
	struct msgr *m = arg;

	uv_run(m->loop, UV_RUN_DEFAULT);
}

int msgr_create(const struct msgr_opts *o, struct msgr **out)
{
	struct msgr *m;
	int rc;

	*out = NULL;
	if (!o->name || !msgr_entity_name_valid(o->name))
		return -EINVAL;
	if (o->max_frame == 0 || o->conn_in_max_bytes == 0 || o->keepalive_interval_ms == 0 ||
	    o->keepalive_timeout_ms == 0 || o->backoff_min_ms == 0 ||
	    o->backoff_max_ms < o->backoff_min_ms)
		return -EINVAL;
	if (o->auth && (!o->auth->method || strlen(o->auth->method) >= MSGR_AUTH_METHOD_MAX))
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	snprintf(m->name, sizeof(m->name), "%s", o->name);
	m->opts = *o;
	m->opts.name = m->name;
	m->auth = o->auth ? o->auth : &msgr_auth_none;
	m->nonce = msgr_random_u64();
	if (!m->opts.tick_ms) {
		uint32_t t = o->keepalive_interval_ms < o->backoff_min_ms ? o->keepalive_interval_ms
									  : o->backoff_min_ms;
		t /= 2;
		m->opts.tick_ms = t < 5 ? 5 : t > 500 ? 500 : t;
	}
	msgr_list_init(&m->kicks);
	msgr_list_init(&m->calls);
	msgr_list_init(&m->conns);
	msgr_list_init(&m->socks);
	pthread_mutex_init(&m->lock, NULL);

	if (o->loop) {
		m->loop = o->loop;
	} else {
		rc = uv_loop_init(&m->own_loop);
		if (rc)
			goto out_free;
		m->loop = &m->own_loop;
		m->own_thread = true;
	}
	rc = uv_async_init(m->loop, &m->async, async_cb);
	if (rc)
		goto out_loop;
	m->async.data = m;
	m->open_handles++;
	uv_timer_init(m->loop, &m->tick);
	m->tick.data = m;
	m->open_handles++;
	uv_timer_start(&m->tick, tick_cb, m->opts.tick_ms, m->opts.tick_ms);
	if (m->own_thread) {
		rc = uv_thread_create(&m->thread, loop_thread, m);
		if (rc)
			goto out_handles;
	}
	*out = m;
	return 0;

out_handles:
	uv_close((uv_handle_t *)&m->async, NULL);
	uv_close((uv_handle_t *)&m->tick, NULL);
	uv_run(m->loop, UV_RUN_NOWAIT);
out_loop:
	if (m->own_thread)
		uv_loop_close(&m->own_loop);
out_free:
	pthread_mutex_destroy(&m->lock);
	free(m);
	return rc;
}

static int shutdown_on_loop(struct msgr *m, void *arg)
{
	struct msgr_list *n;

	(void)arg;
	m->stopping = true;
	pthread_mutex_lock(&m->lock);
	m->dead = true; /* no new kicks; pending ones are dropped below */
	pthread_mutex_unlock(&m->lock);

	for (int i = 0; i < m->nlisten; i++)
		uv_close((uv_handle_t *)&m->listen[i], handle_close_cb);
	while (!msgr_list_empty(&m->socks))
		msgr_sock_close(msgr_container_of(m->socks.next, struct msgr_sock, link));
	while (!msgr_list_empty(&m->conns))
		msgr_conn_shutdown(msgr_container_of(m->conns.next, struct msgr_conn, link));
	/* kicked conns that were never started (or already closed) */
	for (;;) {
		pthread_mutex_lock(&m->lock);
		n = msgr_list_empty(&m->kicks) ? NULL : m->kicks.next;
		if (n) {
			msgr_list_del(n);
			msgr_container_of(n, struct msgr_conn, kick_link)->kick_flags = 0;
		}
		pthread_mutex_unlock(&m->lock);
		if (!n)
			break;
		struct msgr_conn *c = msgr_container_of(n, struct msgr_conn, kick_link);
		msgr_conn_shutdown(c);
		msgr_conn_put(c);
	}
	uv_close((uv_handle_t *)&m->tick, handle_close_cb);
	uv_close((uv_handle_t *)&m->async, handle_close_cb);
	return 0;
}

void msgr_destroy(struct msgr *m)
{
	if (!m)
		return;
	if (!m->own_thread) {
		shutdown_on_loop(m, NULL); /* freed by the last close callback */
		return;
	}
	msgr_run_on_loop(m, shutdown_on_loop, NULL);
	uv_thread_join(&m->thread);
	uv_loop_close(&m->own_loop);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
