/*
 * Connections: the lossless session between two messengers (struct
 * msgr_conn) and the TCP streams that carry it one after another (struct
 * msgr_sock).  This file holds the handshake, the reader that turns bytes
 * into frames, sequencing and acks, the receive throttle, keepalives,
 * reconnects, and every error path, each of which ends one socket or one
 * session and nothing else.
 *
 * DESIGN NOTES
 *
 * Session states (c->state) and who moves them:
 *
 *   client:  NEW --conn_start--> CONNECTING --handle_ready--> OPEN
 *            CONNECTING/OPEN --conn_fault--> STANDBY
 *            STANDBY --msgr_conn_tick (retry_at)--> CONNECTING
 *   server:  (sock_server_attach creates it) OPEN --conn_fault--> STANDBY
 *            STANDBY --sock_server_attach (same name/nonce/cookie)--> OPEN
 *            STANDBY --msgr_conn_tick (linger_ms)--> CLOSED
 *   both:    any --conn_reset (close, CLOSE frame, auth refusal)--> CLOSED
 *            any --msgr_conn_shutdown (messenger destroyed)--> CLOSED
 *
 * Socket states (s->state): client CONNECTING -> HELLO_SENT -> OPEN;
 * server ACCEPTED -> OPEN; any -> CLOSING (sock_close), after which the
 * socket is inert until its close callback frees it.
 *
 * Invariants:
 *  1. A session has at most one socket (c->sock); an attached socket has
 *     s->conn == c.  A server socket has no session until its HELLO has
 *     been authenticated, and the only frames it accepts before then are
 *     control frames of at most MSGR_HANDSHAKE_MAX bytes.
 *  2. c->out holds, in seq order, every message with seq in
 *     (c->out_acked, c->out_seq]; a message leaves it only when the peer
 *     acks it (ACK frame, or the in_seq of HELLO/READY) or the session
 *     ends.  c->out_next is the first one not yet written on c->sock.
 *  3. A message reaches the dispatcher at most once per session: only
 *     seq == c->in_seq + 1 is delivered; seq <= c->in_seq is a resend and
 *     is dropped; anything else is a protocol error that faults the socket.
 *  4. No payload memory is allocated before its frame header has passed
 *     the magic, crc, flags and length checks.
 *  5. c->in_held is the sum of the payload bytes of delivered messages not
 *     yet released; while it is >= c->in_max the socket is not read, so a
 *     peer can make us hold at most in_max + max_frame + one read buffer.
 *  6. Any error on a socket (bad frame, timeout, I/O error) closes that
 *     socket only (sock_fault); the session survives it unless the error
 *     is final (authentication, an explicit CLOSE).
 *  7. Only the loop thread changes any state here.  Other threads, and
 *     callbacks, reach it through msgr_kick(), so no callback ever runs
 *     inside another or with a lock held.
 *  8. A session's seq numbers restart only with a new session: a server
 *     that does not know a client's session starts it at the client's
 *     out_acked, and a client told !resumed restarts its in_seq at 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct wreq {
	uv_write_t req;
	struct msgr_sock *s;
	struct msgr_out *out; /* ref, or NULL for a control frame */
	uint8_t *ctl;
};

static void sock_fault(struct msgr_sock *s, int err);
static void conn_flush(struct msgr_conn *c);
static void conn_connect(struct msgr_conn *c);
static void sock_parse(struct msgr_sock *s);

static const struct msgr_dispatch_ops *disp(const struct msgr *m)
{
	static const struct msgr_dispatch_ops none;
	return m->opts.dispatch ? m->opts.dispatch : &none;
}

/* ---- reference counting ---- */

struct msgr_payload {
	atomic_int refs;
	uint8_t *data;
	size_t len;
};

struct msgr_payload *msgr_payload_new(void *data, size_t len)
{
	struct msgr_payload *p = calloc(1, sizeof(*p));

	if (!p) {
		free(data);
		return NULL;
	}
	atomic_init(&p->refs, 1);
	p->data = data;
	p->len = len;
	return p;
}

void msgr_payload_get(struct msgr_payload *p)
{
	atomic_fetch_add(&p->refs, 1);
}

void msgr_payload_put(struct msgr_payload *p)
{
	if (p && atomic_fetch_sub(&p->refs, 1) == 1) {
		free(p->data);
		free(p);
	}
}

const uint8_t *msgr_payload_data(const struct msgr_payload *p)
{
	return p->data;
}

size_t msgr_payload_len(const struct msgr_payload *p)
{
	return p->len;
}

static void out_put(struct msgr_out *o)
{
	if (--o->refs == 0) {
		if (o->shared)
			msgr_payload_put(o->shared);
		else
			free(o->payload);
		free(o);
	}
}

static void out_free_list(struct msgr_list *l)
{
	while (!msgr_list_empty(l)) {
		struct msgr_out *o = msgr_container_of(l->next, struct msgr_out, link);
		msgr_list_del(&o->link);
		out_put(o);
	}
}

struct msgr_conn *msgr_conn_alloc(struct msgr *m, bool client)
{
	struct msgr_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	atomic_init(&c->refs, 1);
	c->m = m;
	c->owner = m;
	c->in_max = m->opts.conn_in_max_bytes;
	pthread_mutex_init(&c->lock, NULL);
	msgr_list_init(&c->pending);
	msgr_list_init(&c->kick_link);
	msgr_list_init(&c->link);
	msgr_list_init(&c->out);
	c->client = client;
	c->state = client ? CONN_NEW : CONN_OPEN;
	c->backoff_ms = m->opts.backoff_min_ms;
	c->cookie = msgr_random_u64();
	return c;
}

struct msgr_conn *msgr_conn_get(struct msgr_conn *c)
{
	atomic_fetch_add(&c->refs, 1);
	return c;
}

void msgr_conn_put(struct msgr_conn *c)
{
	if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	/* Whoever held the last reference, the loop no longer knows c: the
	 * conns list, the kick list and every socket hold references. */
	out_free_list(&c->pending);
	out_free_list(&c->out);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void msgr_msg_get(struct msgr_msg *pub)
{
	struct msgr_msg_priv *p = msgr_container_of(pub, struct msgr_msg_priv, pub);
	atomic_fetch_add(&p->refs, 1);
}

void msgr_msg_put(struct msgr_msg *pub)
{
	struct msgr_msg_priv *p;
	struct msgr_conn *c;

	if (!pub)
		return;
	p = msgr_container_of(pub, struct msgr_msg_priv, pub);
	if (atomic_fetch_sub(&p->refs, 1) != 1)
		return;
	c = pub->conn;
	uint64_t old = atomic_fetch_sub(&c->in_held, p->charge);
	if (old >= c->in_max && old - p->charge < c->in_max)
		msgr_kick(c, MSGR_KICK_RESUME);
	free(p);
	msgr_conn_put(c);
}

static struct msgr_msg_priv *msg_alloc(struct msgr_conn *c, const struct msgr_frame_hdr *h)
{
	struct msgr_msg_priv *p = malloc(sizeof(*p) + (size_t)h->len + MSGR_FRAME_TRAILER_LEN);

	if (!p)
		return NULL;
	atomic_init(&p->refs, 1);
	p->charge = h->len;
	p->pub.type = h->type;
	p->pub.len = h->len;
	p->pub.seq = h->seq;
	p->pub.data = (const uint8_t *)(p + 1);
	p->pub.conn = msgr_conn_get(c);
	uint64_t held = atomic_fetch_add(&c->in_held, p->charge) + p->charge;
	uint64_t peak = atomic_load(&c->in_held_peak);
	while (held > peak && !atomic_compare_exchange_weak(&c->in_held_peak, &peak, held))
		;
	return p;
}

/* ---- accessors ---- */

const char *msgr_conn_peer_name(const struct msgr_conn *c)
{
	return c->peer_name;
}

uint64_t msgr_conn_peer_nonce(const struct msgr_conn *c)
{
	return c->peer_nonce;
}

void msgr_conn_peer_addr(const struct msgr_conn *c, struct msgr_addr *out)
{
	*out = c->peer_addr;
}

bool msgr_conn_is_client(const struct msgr_conn *c)
{
	return c->client;
}

void *msgr_conn_auth_state(const struct msgr_conn *c)
{
	return c->auth_state;
}

void msgr_conn_set_priv(struct msgr_conn *c, void *priv)
{
	c->priv = priv;
}

void *msgr_conn_priv(const struct msgr_conn *c)
{
	return c->priv;
}

void msgr_conn_stats(const struct msgr_conn *c, struct msgr_conn_stats *st)
{
	st->in_held_bytes = atomic_load(&c->in_held);
	st->in_held_peak = atomic_load(&c->in_held_peak);
	st->out_queued_bytes = atomic_load(&c->out_bytes);
	st->msgs_in = atomic_load(&c->msgs_in);
	st->msgs_out = atomic_load(&c->msgs_out);
	st->faults = atomic_load(&c->faults);
	st->reconnects = atomic_load(&c->reconnects);
	st->open = atomic_load(&c->st_open);
	st->read_paused = atomic_load(&c->st_paused);
}

/* ---- sending (any thread) ---- */

static int send_out(struct msgr_conn *c, struct msgr_out *o, size_t len);

int msgr_send_take(struct msgr_conn *c, uint16_t type, void *payload, size_t len)
{
	struct msgr_out *o = calloc(1, sizeof(*o));

	if (!o) {
		free(payload);
		return -ENOMEM;
	}
	o->refs = 1;
	o->type = type;
	o->payload = payload;
	return send_out(c, o, len);
}

int msgr_send_shared(struct msgr_conn *c, uint16_t type, struct msgr_payload *p)
{
	struct msgr_out *o = calloc(1, sizeof(*o));

	if (!o)
		return -ENOMEM;
	msgr_payload_get(p);
	o->refs = 1;
	o->type = type;
	o->payload = p->data;
	o->shared = p;
	return send_out(c, o, p->len);
}

/* Queues o (taken: released on error). */
static int send_out(struct msgr_conn *c, struct msgr_out *o, size_t len)
{
	int rc = 0;

	pthread_mutex_lock(&c->lock);
	if (c->closed) {
		rc = -ECONNRESET;
		goto out_unlock;
	}
	if (!c->m) {
		rc = -ESHUTDOWN;
		goto out_unlock;
	}
	if (len > c->m->opts.max_frame) {
		rc = -EMSGSIZE;
		goto out_unlock;
	}
	uint64_t limit = c->m->opts.conn_out_max_bytes;
	uint64_t queued = atomic_load(&c->out_bytes);
	if (limit && queued > 0 && queued + len > limit) {
		rc = -ENOBUFS;
		goto out_unlock;
	}
	o->len = (uint32_t)len;
	atomic_fetch_add(&c->out_bytes, len);
	msgr_list_add_tail(&c->pending, &o->link);
	o = NULL;
out_unlock:
	pthread_mutex_unlock(&c->lock);
	if (o) {
		out_put(o);
		return rc;
	}
	msgr_kick(c, MSGR_KICK_SEND);
	return 0;
}

int msgr_send(struct msgr_conn *c, uint16_t type, const void *payload, size_t len)
{
	void *copy = malloc(len ? len : 1);

	if (!copy)
		return -ENOMEM;
	if (len)
		memcpy(copy, payload, len);
	return msgr_send_take(c, type, copy, len);
}

void msgr_conn_close(struct msgr_conn *c)
{
	msgr_kick(c, MSGR_KICK_CLOSE);
}

int msgr_connect(struct msgr *m, const struct msgr_addr *addr, struct msgr_conn **out)
{
	struct msgr_conn *c;

	*out = NULL;
	if (addr->ss.ss_family != AF_INET && addr->ss.ss_family != AF_INET6)
		return -EINVAL;
	c = msgr_conn_alloc(m, true);
	if (!c)
		return -ENOMEM;
	c->peer_addr = *addr;
	/* Visible to the loop only through the kick, which orders these
	 * writes before the loop's reads (m->lock). */
	msgr_kick(c, MSGR_KICK_START);
	pthread_mutex_lock(&m->lock);
	bool dead = m->dead;
	pthread_mutex_unlock(&m->lock);
	if (dead) {
		msgr_conn_put(c);
		return -ESHUTDOWN;
	}
	*out = c;
	return 0;
}

/* ---- sockets: creation, writes, closing (loop thread) ---- */

static void sock_close_cb(uv_handle_t *h)
{
	struct msgr_sock *s = h->data;
	struct msgr *m = s->m;

	if (s->auth_state && m->auth->state_free)
		m->auth->state_free(m->opts.auth_arg, s->auth_state);
	msgr_conn_put(s->conn);
	free(s);
	msgr_handle_closed(m);
}

void msgr_sock_close(struct msgr_sock *s)
{
	if (s->state == SOCK_CLOSING)
		return;
	s->state = SOCK_CLOSING;
	msgr_list_del(&s->link);
	if (s->body_msg)
		msgr_msg_put(&s->body_msg->pub);
	else
		free(s->body);
	s->body_msg = NULL;
	s->body = NULL;
	if (s->conn && s->conn->sock == s)
		s->conn->sock = NULL;
	uv_close((uv_handle_t *)&s->tcp, sock_close_cb);
}

static struct msgr_sock *sock_new(struct msgr *m, bool client)
{
	struct msgr_sock *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (uv_tcp_init(m->loop, &s->tcp)) {
		free(s);
		return NULL;
	}
	s->tcp.data = s;
	s->connect_req.data = s;
	s->m = m;
	s->client = client;
	s->last_rx = s->last_ping = uv_now(m->loop);
	msgr_list_add_tail(&m->socks, &s->link);
	m->open_handles++;
	return s;
}

static void write_cb(uv_write_t *req, int status)
{
	struct wreq *w = msgr_container_of(req, struct wreq, req);
	struct msgr_sock *s = w->s;

	if (w->out)
		out_put(w->out);
	free(w->ctl);
	free(w);
	s->writes_inflight--;
	if (s->state == SOCK_CLOSING)
		return;
	if (status < 0)
		sock_fault(s, status);
	else if (s->close_after_write && s->writes_inflight == 0)
		msgr_sock_close(s);
}

static void sock_write(struct msgr_sock *s, struct wreq *w, uv_buf_t *bufs, unsigned n)
{
	int rc;

	w->s = s;
	s->writes_inflight++;
	rc = uv_write(&w->req, (uv_stream_t *)&s->tcp, bufs, n, write_cb);
	if (rc) {
		s->writes_inflight--;
		if (w->out)
			out_put(w->out);
		free(w->ctl);
		free(w);
		sock_fault(s, rc);
	}
}

/* Sends one control frame; `payload` may be NULL when len is 0. */
static void sock_send_ctl(struct msgr_sock *s, enum msgr_ctl type, uint64_t seq,
			  const uint8_t *payload, size_t len)
{
	struct msgr_frame_hdr h = {.type = type, .flags = MSGR_FRAME_F_CONTROL,
				   .len = (uint32_t)len, .seq = seq};
	struct enc_buf b;
	struct wreq *w;

	if (s->state == SOCK_CLOSING)
		return;
	enc_buf_init(&b);
	msgr_frame_encode(&b, &h, payload);
	w = calloc(1, sizeof(*w));
	if (!w || enc_buf_error(&b)) {
		free(w);
		enc_buf_release(&b);
		sock_fault(s, -ENOMEM);
		return;
	}
	size_t flen;
	w->ctl = enc_buf_detach(&b, &flen);
	uv_buf_t buf = uv_buf_init((char *)w->ctl, (unsigned)flen);
	sock_write(s, w, &buf, 1);
}

static void sock_send_ctl_buf(struct msgr_sock *s, enum msgr_ctl type, struct enc_buf *b)
{
	if (enc_buf_error(b)) {
		enc_buf_release(b);
		sock_fault(s, -ENOMEM);
		return;
	}
	sock_send_ctl(s, type, 0, b->data, b->len);
	enc_buf_release(b);
}

/* Tells the peer why, then closes once that is written. */
static void sock_send_close(struct msgr_sock *s, int err, const char *reason)
{
	struct msgr_close_info ci = {.err = err};
	struct enc_buf b;

	snprintf(ci.reason, sizeof(ci.reason), "%s", reason);
	enc_buf_init(&b);
	msgr_close_encode(&b, &ci);
	sock_send_ctl_buf(s, MSGR_CTL_CLOSE, &b);
	if (s->state == SOCK_CLOSING)
		return;
	s->close_after_write = true;
	if (s->reading) {
		uv_read_stop((uv_stream_t *)&s->tcp);
		s->reading = false;
	}
	if (s->writes_inflight == 0)
		msgr_sock_close(s);
}

static void out_frame(struct msgr_out *o)
{
	struct msgr_frame_hdr h = {.type = o->type, .len = o->len, .seq = o->seq};

	msgr_frame_hdr_encode(&h, o->hdr);
	msgr_frame_trailer_encode(o->payload, o->len, o->trailer);
	o->framed = true;
}

/* Writes everything from out_next on (invariant 2). */
static void conn_flush(struct msgr_conn *c)
{
	struct msgr_sock *s = c->sock;

	while (s && s->state == SOCK_OPEN && c->out_next) {
		struct msgr_out *o = c->out_next;
		struct wreq *w = calloc(1, sizeof(*w));

		if (!w) {
			sock_fault(s, -ENOMEM);
			return;
		}
		c->out_next = o->link.next == &c->out
				      ? NULL
				      : msgr_container_of(o->link.next, struct msgr_out, link);
		o->refs++;
		w->out = o;
		uv_buf_t bufs[3] = {
			uv_buf_init((char *)o->hdr, MSGR_FRAME_HDR_LEN),
			uv_buf_init((char *)o->payload, o->len),
			uv_buf_init((char *)o->trailer, MSGR_FRAME_TRAILER_LEN),
		};
		sock_write(s, w, bufs, 3);
		s = c->sock; /* a write error detaches it */
	}
}

/* Drops what the peer has received (invariant 2). */
static void conn_ack(struct msgr_conn *c, uint64_t seq)
{
	while (!msgr_list_empty(&c->out)) {
		struct msgr_out *o = msgr_container_of(c->out.next, struct msgr_out, link);
		if (o->seq > seq)
			break;
		if (c->out_next == o)
			c->out_next = o->link.next == &c->out
					      ? NULL
					      : msgr_container_of(o->link.next, struct msgr_out, link);
		msgr_list_del(&o->link);
		atomic_fetch_sub(&c->out_bytes, o->len);
		c->out_acked = o->seq;
		out_put(o);
	}
	if (seq > c->out_acked && seq <= c->out_seq)
		c->out_acked = seq;
}

/* Moves messages queued by msgr_send() into the sequenced queue. */
static void conn_take_pending(struct msgr_conn *c)
{
	struct msgr_list l;

	msgr_list_init(&l);
	pthread_mutex_lock(&c->lock);
	if (!msgr_list_empty(&c->pending)) {
		l = c->pending;
		l.next->prev = &l;
		l.prev->next = &l;
		msgr_list_init(&c->pending);
	}
	pthread_mutex_unlock(&c->lock);
	while (!msgr_list_empty(&l)) {
		struct msgr_out *o = msgr_container_of(l.next, struct msgr_out, link);
		msgr_list_del(&o->link);
		o->seq = ++c->out_seq;
		out_frame(o);
		msgr_list_add_tail(&c->out, &o->link);
		atomic_fetch_add(&c->msgs_out, 1);
		if (!c->out_next)
			c->out_next = o;
	}
	conn_flush(c);
}

/* ---- session transitions ---- */

static void conn_free_auth(struct msgr_conn *c)
{
	struct msgr *m = c->owner;

	if (c->auth_state && m->auth->state_free)
		m->auth->state_free(m->opts.auth_arg, c->auth_state);
	c->auth_state = NULL;
}

/* Ends the session for good (loop thread).  Messages still queued are
 * dropped; the peer is told when `tell_peer`. */
static void conn_reset(struct msgr_conn *c, int err, bool tell_peer)
{
	struct msgr *m = c->owner;
	struct msgr_sock *s = c->sock;
	struct msgr_list pending;

	if (c->state == CONN_CLOSED)
		return;
	c->state = CONN_CLOSED;
	atomic_store(&c->st_open, false);
	if (s) {
		c->sock = NULL;
		if (tell_peer && s->state == SOCK_OPEN)
			sock_send_close(s, 0, "session closed");
		else
			msgr_sock_close(s);
	}
	msgr_list_init(&pending);
	pthread_mutex_lock(&c->lock);
	c->closed = true;
	c->m = NULL;
	if (!msgr_list_empty(&c->pending)) {
		pending = c->pending;
		pending.next->prev = &pending;
		pending.prev->next = &pending;
		msgr_list_init(&c->pending);
	}
	pthread_mutex_unlock(&c->lock);
	out_free_list(&pending);
	out_free_list(&c->out);
	c->out_next = NULL;
	atomic_store(&c->out_bytes, 0);
	conn_free_auth(c);
	bool listed = !msgr_list_empty(&c->link);
	msgr_list_del(&c->link);
	if (disp(m)->on_reset)
		disp(m)->on_reset(c, err, m->opts.dispatch_arg);
	if (listed)
		msgr_conn_put(c);
}

void msgr_conn_shutdown(struct msgr_conn *c)
{
	struct msgr_list pending;

	if (c->sock) {
		msgr_sock_close(c->sock);
		c->sock = NULL;
	}
	c->state = CONN_CLOSED;
	atomic_store(&c->st_open, false);
	msgr_list_init(&pending);
	pthread_mutex_lock(&c->lock);
	c->closed = true;
	c->m = NULL;
	if (!msgr_list_empty(&c->pending)) {
		pending = c->pending;
		pending.next->prev = &pending;
		pending.prev->next = &pending;
		msgr_list_init(&c->pending);
	}
	pthread_mutex_unlock(&c->lock);
	out_free_list(&pending);
	out_free_list(&c->out);
	c->out_next = NULL;
	conn_free_auth(c);
	if (!msgr_list_empty(&c->link)) {
		msgr_list_del(&c->link);
		msgr_conn_put(c);
	}
}

/* The socket carrying the session broke; the session waits (invariant 6). */
static void conn_fault(struct msgr_conn *c, int err)
{
	struct msgr *m = c->owner;
	uint64_t now = uv_now(m->loop);

	c->sock = NULL;
	c->last_err = err;
	atomic_fetch_add(&c->faults, 1);
	atomic_store(&c->st_open, false);
	atomic_store(&c->st_paused, false);
	c->state = CONN_STANDBY;
	if (c->client) {
		uint32_t jitter = (uint32_t)(msgr_random_u64() % (c->backoff_ms / 4 + 1));
		c->retry_at = now + c->backoff_ms + jitter;
		c->backoff_ms = c->backoff_ms > m->opts.backoff_max_ms / 2 ? m->opts.backoff_max_ms
									   : c->backoff_ms * 2;
	} else {
		c->standby_since = now;
	}
	if (disp(m)->on_fault)
		disp(m)->on_fault(c, err, m->opts.dispatch_arg);
}

static void sock_fault(struct msgr_sock *s, int err)
{
	struct msgr_conn *c = s->conn;

	if (s->state == SOCK_CLOSING)
		return;
	bool attached = c && c->sock == s;
	msgr_sock_close(s);
	if (attached && (c->state == CONN_OPEN || c->state == CONN_CONNECTING))
		conn_fault(c, err);
}

/* The handshake is done on socket s: resend what the peer lacks. */
static void conn_open(struct msgr_conn *c, struct msgr_sock *s, uint64_t peer_in_seq, bool resumed)
{
	struct msgr *m = c->owner;

	c->state = CONN_OPEN;
	s->state = SOCK_OPEN;
	c->backoff_ms = m->opts.backoff_min_ms;
	conn_ack(c, peer_in_seq);
	c->out_next = msgr_list_empty(&c->out)
			      ? NULL
			      : msgr_container_of(c->out.next, struct msgr_out, link);
	c->ever_opened = true;
	atomic_store(&c->st_open, true);
	conn_flush(c);
	if (c->state == CONN_OPEN && disp(m)->on_connect)
		disp(m)->on_connect(c, resumed, m->opts.dispatch_arg);
}

/* ---- the handshake ---- */

static void read_start(struct msgr_sock *s);

static void connect_cb(uv_connect_t *req, int status)
{
	struct msgr_sock *s = req->data;
	struct msgr *m = s->m;
	struct msgr_conn *c = s->conn;
	struct msgr_hello h = {.proto = MSGR_PROTO_VERSION};
	struct enc_buf auth, b;
	int rc;

	if (s->state == SOCK_CLOSING)
		return;
	if (status < 0) {
		sock_fault(s, status);
		return;
	}
	uv_tcp_nodelay(&s->tcp, 1);
	s->last_rx = uv_now(m->loop);
	snprintf(h.name, sizeof(h.name), "%s", m->name);
	snprintf(h.method, sizeof(h.method), "%s", m->auth->method);
	h.nonce = m->nonce;
	h.cookie = c->cookie;
	h.in_seq = c->in_seq;
	h.out_acked = c->out_acked;
	enc_buf_init(&auth);
	rc = 0;
	if (m->auth->client_build)
		rc = m->auth->client_build(m->opts.auth_arg, NULL, &auth);
	if (rc || enc_buf_error(&auth)) {
		enc_buf_release(&auth);
		msgr_sock_close(s);
		conn_reset(c, rc ? rc : -ENOMEM, false);
		return;
	}
	h.auth = auth.data;
	h.auth_len = auth.len;
	enc_buf_init(&b);
	msgr_hello_encode(&b, &h);
	enc_buf_release(&auth);
	s->state = SOCK_HELLO_SENT;
	sock_send_ctl_buf(s, MSGR_CTL_HELLO, &b);
	if (s->state != SOCK_CLOSING)
		read_start(s);
}

static void conn_connect(struct msgr_conn *c)
{
	struct msgr *m = c->owner;
	struct msgr_sock *s = sock_new(m, true);
	int rc;

	if (!s) {
		conn_fault(c, -ENOMEM);
		return;
	}
	s->conn = msgr_conn_get(c);
	s->peer_addr = c->peer_addr;
	s->state = SOCK_CONNECTING;
	c->sock = s;
	c->state = CONN_CONNECTING;
	rc = uv_tcp_connect(&s->connect_req, &s->tcp, (const struct sockaddr *)&c->peer_addr.ss,
			    connect_cb);
	if (rc)
		sock_fault(s, rc);
}

/* Server: HELLO (and any challenge rounds) accepted; find or make the
 * session and put the socket under it. */
static void sock_server_attach(struct msgr_sock *s)
{
	struct msgr *m = s->m;
	struct msgr_conn *c = NULL;
	struct msgr_list *n;
	bool resumed = false;

	for (n = m->conns.next; n != &m->conns; n = n->next) {
		struct msgr_conn *x = msgr_container_of(n, struct msgr_conn, link);
		if (!x->client && x->peer_nonce == s->hello.nonce && x->cookie == s->hello.cookie &&
		    strcmp(x->peer_name, s->hello.name) == 0) {
			c = x;
			break;
		}
	}
	if (c) {
		resumed = true;
		if (c->sock) {
			/* the client saw the old stream die before we did */
			struct msgr_sock *old = c->sock;
			c->sock = NULL;
			msgr_sock_close(old);
		}
	} else {
		c = msgr_conn_alloc(m, false);
		if (!c) {
			sock_send_close(s, -ENOMEM, "out of memory");
			return;
		}
		snprintf(c->peer_name, sizeof(c->peer_name), "%s", s->hello.name);
		c->peer_nonce = s->hello.nonce;
		c->cookie = s->hello.cookie;
		c->in_seq = s->hello.out_acked; /* invariant 8 */
		c->out_acked = 0;
		msgr_list_add_tail(&m->conns, &c->link); /* the list's reference */
	}
	c->peer_addr = s->peer_addr;
	conn_free_auth(c);
	c->auth_state = s->auth_state;
	s->auth_state = NULL;
	s->conn = msgr_conn_get(c);
	c->sock = s;

	struct msgr_ready r = {.proto = MSGR_PROTO_VERSION, .nonce = m->nonce,
			       .in_seq = c->in_seq, .resumed = resumed};
	struct enc_buf b;
	snprintf(r.name, sizeof(r.name), "%s", m->name);
	enc_buf_init(&b);
	msgr_ready_encode(&b, &r);
	sock_send_ctl_buf(s, MSGR_CTL_READY, &b);
	if (s->state == SOCK_CLOSING)
		return;
	if (resumed)
		atomic_fetch_add(&c->reconnects, 1);
	conn_open(c, s, s->hello.in_seq, resumed);
}

#define MSGR_AUTH_MAX_ROUNDS 8

/* Server: one authentication round on an accepted socket. */
static void sock_server_verify(struct msgr_sock *s, const uint8_t *p, size_t len)
{
	struct msgr *m = s->m;
	struct msgr_auth_request req = {
		.peer_name = s->hello.name, .method = s->hello.method, .round = s->auth_round,
		.payload = p, .len = len, .state = &s->auth_state,
	};
	struct enc_buf chal, b;
	int rc = 0;

	enc_buf_init(&chal);
	if (s->auth_round >= MSGR_AUTH_MAX_ROUNDS)
		rc = -EACCES;
	else if (m->auth->server_verify)
		rc = m->auth->server_verify(m->opts.auth_arg, &req, &chal);
	if (rc == MSGR_AUTH_CHALLENGE && !enc_buf_error(&chal)) {
		s->auth_round++;
		enc_buf_init(&b);
		msgr_auth_blob_encode(&b, chal.data, chal.len);
		enc_buf_release(&chal);
		sock_send_ctl_buf(s, MSGR_CTL_CHALLENGE, &b);
		return;
	}
	enc_buf_release(&chal);
	if (rc == 0) {
		sock_server_attach(s);
		return;
	}
	if (rc > 0)
		rc = -EACCES;
	sock_send_close(s, rc, "authentication failed");
}

static void handle_hello(struct msgr_sock *s, const uint8_t *p, size_t len)
{
	struct msgr *m = s->m;
	int rc = msgr_hello_decode(p, len, &s->hello);

	if (rc) {
		sock_fault(s, rc);
		return;
	}
	snprintf(s->peer_name, sizeof(s->peer_name), "%s", s->hello.name);
	if (s->hello.proto < 1) {
		sock_send_close(s, -EPROTONOSUPPORT, "protocol version not supported");
		return;
	}
	if (strcmp(s->hello.method, m->auth->method) != 0) {
		sock_send_close(s, -EACCES, "authentication method not supported");
		return;
	}
	const uint8_t *auth = s->hello.auth;
	size_t auth_len = s->hello.auth_len;
	s->hello.auth = NULL; /* borrowed from the frame being freed */
	s->hello.auth_len = 0;
	sock_server_verify(s, auth, auth_len);
}

static void handle_challenge(struct msgr_sock *s, const uint8_t *p, size_t len)
{
	struct msgr *m = s->m;
	const uint8_t *blob;
	size_t blen;
	struct enc_buf reply, b;
	int rc = msgr_auth_blob_decode(p, len, &blob, &blen);

	if (rc) {
		sock_fault(s, rc);
		return;
	}
	enc_buf_init(&reply);
	rc = m->auth->client_challenge
		     ? m->auth->client_challenge(m->opts.auth_arg, blob, blen, &reply)
		     : -EACCES;
	if (rc || enc_buf_error(&reply)) {
		enc_buf_release(&reply);
		struct msgr_conn *c = s->conn;
		msgr_sock_close(s);
		conn_reset(c, rc ? rc : -ENOMEM, false);
		return;
	}
	enc_buf_init(&b);
	msgr_auth_blob_encode(&b, reply.data, reply.len);
	enc_buf_release(&reply);
	sock_send_ctl_buf(s, MSGR_CTL_AUTH_REPLY, &b);
}

static void handle_ready(struct msgr_sock *s, const uint8_t *p, size_t len)
{
	struct msgr *m = s->m;
	struct msgr_conn *c = s->conn;
	struct msgr_ready r;
	int rc = msgr_ready_decode(p, len, &r);

	if (rc) {
		sock_fault(s, rc);
		return;
	}
	bool remote_reset = c->ever_opened && (!r.resumed || r.nonce != c->peer_nonce);
	if (remote_reset)
		c->in_seq = 0; /* invariant 8: the server's new session */
	snprintf(c->peer_name, sizeof(c->peer_name), "%s", r.name);
	snprintf(s->peer_name, sizeof(s->peer_name), "%s", r.name);
	c->peer_nonce = r.nonce;
	if (c->ever_opened)
		atomic_fetch_add(&c->reconnects, 1);
	if (remote_reset && disp(m)->on_remote_reset)
		disp(m)->on_remote_reset(c, m->opts.dispatch_arg);
	if (s->state == SOCK_CLOSING || c->sock != s)
		return;
	conn_open(c, s, r.in_seq, r.resumed);
}

static void handle_close(struct msgr_sock *s, const uint8_t *p, size_t len)
{
	struct msgr_conn *c = s->conn;
	struct msgr_close_info ci;
	int rc = msgr_close_decode(p, len, &ci);

	if (rc) {
		sock_fault(s, rc);
		return;
	}
	if (!c || c->sock != s) {
		msgr_sock_close(s);
		return;
	}
	/* An orderly close, or a refusal that retrying cannot fix, ends the
	 * session; anything else is a fault like any other. */
	if (ci.err == 0 || ci.err == -EACCES || ci.err == -EPERM ||
	    ci.err == -EPROTONOSUPPORT || ci.err == -EOPNOTSUPP) {
		msgr_sock_close(s);
		conn_reset(c, ci.err ? ci.err : -ECONNRESET, false);
		return;
	}
	sock_fault(s, ci.err);
}

/* One control frame; the payload is freed by the caller. */
static void handle_ctl(struct msgr_sock *s, const struct msgr_frame_hdr *h, const uint8_t *p)
{
	struct msgr_conn *c = s->conn;

	switch (s->state) {
	case SOCK_ACCEPTED:
		if (h->type == MSGR_CTL_HELLO && s->auth_round == 0 && !s->hello.name[0])
			handle_hello(s, p, h->len);
		else if (h->type == MSGR_CTL_AUTH_REPLY && s->auth_round > 0) {
			const uint8_t *blob;
			size_t blen;
			int rc = msgr_auth_blob_decode(p, h->len, &blob, &blen);
			if (rc)
				sock_fault(s, rc);
			else
				sock_server_verify(s, blob, blen);
		} else
			sock_fault(s, -EPROTO);
		return;
	case SOCK_HELLO_SENT:
		if (h->type == MSGR_CTL_CHALLENGE)
			handle_challenge(s, p, h->len);
		else if (h->type == MSGR_CTL_READY)
			handle_ready(s, p, h->len);
		else if (h->type == MSGR_CTL_CLOSE)
			handle_close(s, p, h->len);
		else
			sock_fault(s, -EPROTO);
		return;
	case SOCK_OPEN:
		break;
	default:
		return;
	}
	switch (h->type) {
	case MSGR_CTL_ACK:
		if (h->seq > c->out_seq) {
			sock_fault(s, -EPROTO); /* acks what we never sent */
			return;
		}
		conn_ack(c, h->seq);
		break;
	case MSGR_CTL_PING:
		sock_send_ctl(s, MSGR_CTL_PONG, h->seq, NULL, 0);
		break;
	case MSGR_CTL_PONG:
		break; /* last_rx is already fresh */
	case MSGR_CTL_CLOSE:
		handle_close(s, p, h->len);
		break;
	default:
		sock_fault(s, -EPROTO);
	}
}

/* ---- reading ---- */

static void sock_pause(struct msgr_sock *s)
{
	s->read_paused = true;
	atomic_store(&s->conn->st_paused, true);
	if (s->reading) {
		uv_read_stop((uv_stream_t *)&s->tcp);
		s->reading = false;
	}
}

/* A user message, in order (invariant 3). */
static void deliver(struct msgr_sock *s, struct msgr_msg_priv *p)
{
	struct msgr_conn *c = s->conn;
	struct msgr *m = s->m;
	uint64_t seq = p->pub.seq;

	if (seq <= c->in_seq) {
		msgr_msg_put(&p->pub); /* a resend we already have */
		return;
	}
	if (seq != c->in_seq + 1) {
		msgr_msg_put(&p->pub);
		sock_fault(s, -EPROTO);
		return;
	}
	c->in_seq = seq;
	s->need_ack = seq;
	atomic_fetch_add(&c->msgs_in, 1);
	if (disp(m)->on_message)
		disp(m)->on_message(c, &p->pub, m->opts.dispatch_arg);
	msgr_msg_put(&p->pub);
	if (s->state == SOCK_OPEN && atomic_load(&c->in_held) >= c->in_max)
		sock_pause(s); /* invariant 5 */
}

/* The header in s->hbuf is complete: check it, then make room for the
 * body (invariant 4). */
static int start_body(struct msgr_sock *s)
{
	struct msgr *m = s->m;
	bool open = s->state == SOCK_OPEN;
	uint32_t max = open ? m->opts.max_frame : MSGR_HANDSHAKE_MAX;
	int rc = msgr_frame_hdr_decode(s->hbuf, max, &s->hdr);

	s->hlen = 0;
	if (rc)
		return rc;
	if (s->hdr.flags & MSGR_FRAME_F_CONTROL) {
		if (s->hdr.len > MSGR_HANDSHAKE_MAX)
			return -EMSGSIZE;
		s->body = malloc((size_t)s->hdr.len + MSGR_FRAME_TRAILER_LEN);
		if (!s->body)
			return -ENOMEM;
	} else {
		if (!open)
			return -EPROTO;
		s->body_msg = msg_alloc(s->conn, &s->hdr);
		if (!s->body_msg)
			return -ENOMEM;
		s->body = (uint8_t *)(s->body_msg + 1);
	}
	s->body_len = (size_t)s->hdr.len + MSGR_FRAME_TRAILER_LEN;
	s->body_got = 0;
	s->rstate = RS_BODY;
	return 0;
}

static void complete_frame(struct msgr_sock *s)
{
	struct msgr_msg_priv *p = s->body_msg;
	uint8_t *body = s->body;
	int rc;

	s->body_msg = NULL;
	s->body = NULL;
	s->rstate = RS_HDR;
	rc = msgr_frame_trailer_check(body, s->hdr.len, body + s->hdr.len);
	if (rc) {
		if (p)
			msgr_msg_put(&p->pub);
		else
			free(body);
		sock_fault(s, rc);
		return;
	}
	if (p) {
		deliver(s, p);
	} else {
		handle_ctl(s, &s->hdr, body);
		free(body);
	}
}

static bool sock_readable(const struct msgr_sock *s)
{
	return s->state != SOCK_CLOSING && !s->read_paused && !s->close_after_write;
}

/* Consumes buffered bytes until they run out or reading must stop. */
static void sock_parse(struct msgr_sock *s)
{
	while (sock_readable(s) && s->rpos < s->rlen) {
		size_t avail = s->rlen - s->rpos, n;

		if (s->rstate == RS_HDR) {
			n = MSGR_FRAME_HDR_LEN - s->hlen;
			n = n < avail ? n : avail;
			memcpy(s->hbuf + s->hlen, s->rbuf + s->rpos, n);
			s->hlen += n;
			s->rpos += n;
			if (s->hlen == MSGR_FRAME_HDR_LEN) {
				int rc = start_body(s);
				if (rc) {
					sock_fault(s, rc);
					return;
				}
			}
		} else {
			n = s->body_len - s->body_got;
			n = n < avail ? n : avail;
			memcpy(s->body + s->body_got, s->rbuf + s->rpos, n);
			s->body_got += n;
			s->rpos += n;
			if (s->body_got == s->body_len)
				complete_frame(s);
		}
	}
}

static void sock_send_ack(struct msgr_sock *s)
{
	if (s->need_ack && s->state == SOCK_OPEN) {
		sock_send_ctl(s, MSGR_CTL_ACK, s->need_ack, NULL, 0);
		s->need_ack = 0;
	}
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct msgr_sock *s = h->data;

	(void)suggested;
	/* large bodies go straight into the message, once the buffer is
	 * drained (it always is while reading: sock_parse empties it) */
	if (s->rstate == RS_BODY && s->rpos == s->rlen && s->body_len - s->body_got >= 4096) {
		s->alloc_body = true;
		s->rpos = s->rlen = 0;
		*buf = uv_buf_init((char *)s->body + s->body_got,
				   (unsigned)(s->body_len - s->body_got));
		return;
	}
	s->alloc_body = false;
	if (s->rpos == s->rlen) {
		s->rpos = s->rlen = 0;
	} else if (s->rpos > 0) {
		memmove(s->rbuf, s->rbuf + s->rpos, s->rlen - s->rpos);
		s->rlen -= s->rpos;
		s->rpos = 0;
	}
	*buf = uv_buf_init((char *)s->rbuf + s->rlen, (unsigned)(sizeof(s->rbuf) - s->rlen));
}

static void read_cb(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct msgr_sock *s = stream->data;

	(void)buf;
	if (nread == 0 || s->state == SOCK_CLOSING)
		return;
	if (nread < 0) {
		sock_fault(s, nread == UV_EOF ? -ECONNRESET : (int)nread);
		return;
	}
	s->last_rx = uv_now(s->m->loop);
	if (s->alloc_body) {
		s->alloc_body = false;
		s->body_got += (size_t)nread;
		if (s->body_got == s->body_len)
			complete_frame(s);
	} else {
		s->rlen += (size_t)nread;
	}
	sock_parse(s);
	sock_send_ack(s);
}

static void read_start(struct msgr_sock *s)
{
	if (s->reading || !sock_readable(s))
		return;
	int rc = uv_read_start((uv_stream_t *)&s->tcp, alloc_cb, read_cb);
	if (rc) {
		sock_fault(s, rc);
		return;
	}
	s->reading = true;
}

static void sock_resume(struct msgr_sock *s)
{
	struct msgr_conn *c = s->conn;

	if (!s->read_paused || atomic_load(&c->in_held) >= c->in_max)
		return;
	s->read_paused = false;
	atomic_store(&c->st_paused, false);
	s->last_rx = uv_now(s->m->loop); /* our pause was not the peer's silence */
	sock_parse(s);
	sock_send_ack(s);
	read_start(s);
}

int msgr_sock_accept(struct msgr *m, uv_stream_t *server)
{
	struct msgr_sock *s = sock_new(m, false);
	int rc, len;

	if (!s)
		return -ENOMEM;
	s->state = SOCK_ACCEPTED;
	rc = uv_accept(server, (uv_stream_t *)&s->tcp);
	if (rc)
		goto out_close;
	uv_tcp_nodelay(&s->tcp, 1);
	len = sizeof(s->peer_addr.ss);
	uv_tcp_getpeername(&s->tcp, (struct sockaddr *)&s->peer_addr.ss, &len);
	read_start(s);
	return 0;

out_close:
	msgr_sock_close(s);
	return rc;
}

/* ---- timers and kicks ---- */

void msgr_sock_tick(struct msgr_sock *s, uint64_t now)
{
	struct msgr *m = s->m;

	if (s->state == SOCK_CLOSING)
		return;
	if (s->read_paused) {
		sock_resume(s); /* in case a release raced with the pause */
		if (s->read_paused)
			return;
	}
	if (now - s->last_rx > m->opts.keepalive_timeout_ms) {
		sock_fault(s, -ETIMEDOUT);
		return;
	}
	if (s->state == SOCK_OPEN && now - s->last_ping >= m->opts.keepalive_interval_ms) {
		s->last_ping = now;
		sock_send_ctl(s, MSGR_CTL_PING, now, NULL, 0);
	}
}

void msgr_conn_tick(struct msgr_conn *c, uint64_t now)
{
	struct msgr *m = c->owner;

	if (c->state != CONN_STANDBY)
		return;
	if (c->client) {
		if (now >= c->retry_at)
			conn_connect(c);
	} else if (now - c->standby_since >= m->opts.linger_ms) {
		conn_reset(c, -ETIMEDOUT, false);
	}
}

void msgr_conn_handle_kick(struct msgr_conn *c, unsigned flags)
{
	struct msgr *m = c->owner;

	if (c->state == CONN_CLOSED)
		return;
	if (flags & MSGR_KICK_START && c->state == CONN_NEW) {
		msgr_list_add_tail(&m->conns, &msgr_conn_get(c)->link);
		conn_connect(c);
	}
	if (flags & MSGR_KICK_CLOSE) {
		conn_reset(c, -ECONNABORTED, true);
		return;
	}
	if (flags & MSGR_KICK_SEND)
		conn_take_pending(c);
	if (flags & MSGR_KICK_RESUME && c->sock && c->sock->state == SOCK_OPEN)
		sock_resume(c->sock);
}
