/*
 * The messenger: framed, checksummed, authenticated, lossless message
 * streams between Loligo entities (mon.a, osd.3, client.admin) over TCP,
 * driven by a libuv loop.  This is the library's one header; docs/
 * messenger.md describes the wire protocol.
 *
 * Contract:
 *  - Every function returns 0 or a negative errno unless documented
 *    otherwise.
 *  - A messenger runs on one libuv loop: its own thread (opts.loop NULL,
 *    the usual case) or a loop the caller runs (then every call that is not
 *    marked "any thread" must be made on that loop's thread).
 *  - Dispatcher and auth callbacks run on the loop thread, one at a time.
 *    They must not block for long (keepalives stop while they do) and must
 *    not call msgr_destroy().  Everything marked "any thread" may be called
 *    from them.
 *  - Connections are refcounted.  msgr_connect() returns a reference the
 *    caller must msgr_conn_put(); a connection passed to a callback is
 *    borrowed for the duration of the call (msgr_conn_get() to keep it).  A
 *    reference stays valid after the messenger is destroyed; calls on it
 *    then fail with -ESHUTDOWN.
 *  - Lossless sessions: each message on a connection carries a sequence
 *    number; the receiver acks what it has delivered and the sender keeps
 *    every unacked message.  When the TCP stream breaks the client side
 *    reconnects with exponential backoff, the two sides exchange what they
 *    have received, and the unacked remainder is resent, so a short
 *    disconnect loses and duplicates nothing.  If the server restarted in
 *    between (new instance), messages it received but had not acked before
 *    dying may be delivered twice to the new instance; no message is lost.
 *  - Messages from one connection are delivered in send order.
 */
#ifndef LOLIGO_MSG_MSGR_H
#define LOLIGO_MSG_MSGR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <uv.h>

#include "common/encoding.h"

#define MSGR_PROTO_VERSION 1
#define MSGR_ENTITY_MAX 64    /* entity name, NUL included */
#define MSGR_AUTH_METHOD_MAX 32
#define MSGR_ADDR_STRLEN 64   /* "[v6addr%scope]:port" and NUL */

struct msgr;
struct msgr_conn;

/* ---- addresses ---- */

struct msgr_addr {
	struct sockaddr_storage ss; /* AF_INET or AF_INET6 */
};

/* Parses a numeric address: "1.2.3.4:6789", "1.2.3.4", "[::1]:6789",
 * "[::1]", "::1".  A missing port is `default_port`.  -EINVAL if not a
 * numeric IPv4/IPv6 address (names are resolved by the caller). */
int msgr_addr_parse(const char *s, uint16_t default_port, struct msgr_addr *out);
/* "1.2.3.4:6789" or "[::1]:6789". */
void msgr_addr_format(const struct msgr_addr *a, char *buf, size_t size);
uint16_t msgr_addr_port(const struct msgr_addr *a);
socklen_t msgr_addr_len(const struct msgr_addr *a);

/* True for "type.id" names: a non-empty type of [a-z], a dot, and a
 * non-empty id of printable non-space characters, shorter than
 * MSGR_ENTITY_MAX. */
bool msgr_entity_name_valid(const char *name);

/* ---- received messages ---- */

/* A received message.  The fields are read-only.  The dispatcher borrows
 * it for the duration of on_message; msgr_msg_get() keeps it (and its
 * connection) alive.  Its bytes count against the connection's receive
 * throttle until the last reference is put, so a dispatcher that queues
 * messages for worker threads holds back its peer automatically. */
struct msgr_msg {
	uint16_t type;
	uint32_t len;
	uint64_t seq;
	const uint8_t *data;    /* len bytes; not NUL-terminated */
	struct msgr_conn *conn; /* the connection it came on */
};

/* Any thread. */
void msgr_msg_get(struct msgr_msg *m);
void msgr_msg_put(struct msgr_msg *m);

/* ---- callbacks ---- */

/* Dispatcher: every member may be NULL. */
struct msgr_dispatch_ops {
	/* A handshake completed: the connection is open (again).  `resumed`
	 * is true when an existing session continued (nothing was lost). */
	void (*on_connect)(struct msgr_conn *c, bool resumed, void *arg);
	void (*on_message)(struct msgr_conn *c, struct msgr_msg *m, void *arg);
	/* The TCP stream failed (err: -ECONNREFUSED, -ETIMEDOUT for a
	 * keepalive timeout, -EBADMSG for a corrupt frame...).  The session
	 * lives on: a client reconnects by itself, a server waits for it. */
	void (*on_fault)(struct msgr_conn *c, int err, void *arg);
	/* The peer is a new instance (it restarted): whatever it had sent
	 * that we had not received is gone. */
	void (*on_remote_reset)(struct msgr_conn *c, void *arg);
	/* The session is over for good (closed by either side, rejected by
	 * authentication, or given up by the server after linger_ms).  No
	 * further callbacks for `c`; unacked messages are dropped. */
	void (*on_reset)(struct msgr_conn *c, int err, void *arg);
};

/* The authentication step of the handshake.  Both sides must use the
 * same method.  The default (opts.auth NULL) is "none": empty payloads,
 * every peer accepted.
 *
 * Client: client_build() writes the first auth payload into `out`.  If the
 * server answers with a challenge, client_challenge() writes the reply.
 * Server: server_verify() sees each payload (round 0, 1, ...).  It returns
 * 0 to accept, MSGR_AUTH_CHALLENGE after writing a challenge into
 * `challenge`, or a negative errno to reject (the client is told and its
 * connection is reset with that error, -EACCES normally).  `*state` is
 * per-connection, starts NULL, persists across rounds and after
 * acceptance (msgr_conn_auth_state()); state_free() releases it.
 *
 * The table only ever grows at its end; `size` is sizeof the caller's
 * copy, so old callers keep working. */
#define MSGR_AUTH_CHALLENGE 1
struct msgr_auth_request {
	const char *peer_name;
	const char *method;
	unsigned round;
	const uint8_t *payload;
	size_t len;
	void **state;
};
struct msgr_auth_ops {
	size_t size;
	const char *method;
	int (*client_build)(void *arg, const char *peer_hint, struct enc_buf *out);
	int (*client_challenge)(void *arg, const uint8_t *challenge, size_t len,
				struct enc_buf *out);
	int (*server_verify)(void *arg, const struct msgr_auth_request *req,
			     struct enc_buf *challenge);
	void (*state_free)(void *arg, void *state);
};
extern const struct msgr_auth_ops msgr_auth_none;

/* ---- the messenger ---- */

struct msgr_opts {
	const char *name;  /* our entity name, e.g. "osd.3" (copied) */
	uv_loop_t *loop;   /* NULL: the messenger runs its own loop thread */
	const struct msgr_dispatch_ops *dispatch;
	void *dispatch_arg;
	const struct msgr_auth_ops *auth; /* NULL: msgr_auth_none */
	void *auth_arg;
	uint32_t max_frame;            /* largest payload accepted */
	uint64_t conn_in_max_bytes;    /* receive throttle per connection */
	uint64_t conn_out_max_bytes;   /* unacked bytes per connection, 0 = no limit */
	uint32_t keepalive_interval_ms;
	uint32_t keepalive_timeout_ms; /* no bytes for this long: dead */
	uint32_t backoff_min_ms;
	uint32_t backoff_max_ms;
	uint32_t linger_ms;            /* server keeps a broken session */
	uint32_t tick_ms;              /* timer resolution; 0 = derived */
};

/* Defaults: 64 MiB frames, 100 MiB receive throttle, keepalive 2 s /
 * 15 s timeout, backoff 100 ms .. 15 s, linger 5 min. */
void msgr_opts_init(struct msgr_opts *o);

/* Any thread.  -EINVAL for a bad name or option. */
int msgr_create(const struct msgr_opts *o, struct msgr **out);
/* Closes every connection (no callbacks run) and frees the messenger.
 * Own-loop mode: any thread but the loop's; returns when the loop thread
 * has exited.  Caller-loop mode: call on the loop thread; memory is freed
 * once the caller runs the loop and the handles have closed. */
void msgr_destroy(struct msgr *m);

/* Listens on `addr` (port 0: the kernel picks one).  `bound` (may be NULL)
 * receives the address actually bound.  May be called several times (an
 * IPv4 and an IPv6 address, say); at most MSGR_MAX_LISTEN.  Any thread. */
#define MSGR_MAX_LISTEN 4
int msgr_bind(struct msgr *m, const struct msgr_addr *addr, struct msgr_addr *bound);

/* Opens a lossless session to `addr`; returns at once with a reference in
 * *out.  The handshake happens in the background (on_connect); messages
 * sent before it completes are queued.  Any thread. */
int msgr_connect(struct msgr *m, const struct msgr_addr *addr, struct msgr_conn **out);

const char *msgr_name(const struct msgr *m);
uint64_t msgr_nonce(const struct msgr *m);
bool msgr_on_loop_thread(const struct msgr *m);

/* ---- connections ---- */

/* Queues a message (the payload is copied).  Any thread.  -ECONNRESET if
 * the session is over, -ESHUTDOWN after msgr_destroy(), -EMSGSIZE over
 * max_frame, -ENOBUFS if conn_out_max_bytes would be exceeded (retry
 * after the peer catches up). */
int msgr_send(struct msgr_conn *c, uint16_t type, const void *payload, size_t len);
/* The same, taking ownership of a malloc'd payload (freed even on error). */
int msgr_send_take(struct msgr_conn *c, uint16_t type, void *payload, size_t len);
/* One encoding sent to several peers without a copy each: a reference
 * counted payload (any thread), freed with its last reference. */
struct msgr_payload;
/* Takes ownership of the malloc'd data (freed even on error: NULL). */
struct msgr_payload *msgr_payload_new(void *data, size_t len);
void msgr_payload_get(struct msgr_payload *p);
void msgr_payload_put(struct msgr_payload *p);
const uint8_t *msgr_payload_data(const struct msgr_payload *p);
size_t msgr_payload_len(const struct msgr_payload *p);
/* msgr_send() of the payload's bytes, holding a reference until sent. */
int msgr_send_shared(struct msgr_conn *c, uint16_t type, struct msgr_payload *p);
/* Ends the session: tells the peer, drops unsent messages, runs on_reset
 * (err -ECONNABORTED).  Any thread; the reference stays the caller's. */
void msgr_conn_close(struct msgr_conn *c);

struct msgr_conn *msgr_conn_get(struct msgr_conn *c);
void msgr_conn_put(struct msgr_conn *c);

/* Peer identity, valid once on_connect has run (empty before). */
const char *msgr_conn_peer_name(const struct msgr_conn *c);
uint64_t msgr_conn_peer_nonce(const struct msgr_conn *c);
void msgr_conn_peer_addr(const struct msgr_conn *c, struct msgr_addr *out);
bool msgr_conn_is_client(const struct msgr_conn *c);
/* The auth hook's per-connection state (loop thread). */
void *msgr_conn_auth_state(const struct msgr_conn *c);
/* A pointer for the dispatcher's own use. */
void msgr_conn_set_priv(struct msgr_conn *c, void *priv);
void *msgr_conn_priv(const struct msgr_conn *c);

struct msgr_conn_stats {
	uint64_t in_held_bytes;   /* received, not yet released */
	uint64_t in_held_peak;
	uint64_t out_queued_bytes; /* queued or sent but not acked */
	uint64_t msgs_in, msgs_out;
	uint64_t faults, reconnects;
	bool open;
	bool read_paused;
};
/* Any thread; a snapshot. */
void msgr_conn_stats(const struct msgr_conn *c, struct msgr_conn_stats *st);

/* ---- a synchronous client ---- */

/* For simple tools: one connection, one request at a time.  Runs its own
 * messenger thread. */
struct msgr_client;

/* Connects and waits up to timeout_ms for the handshake.  Returns
 * -ETIMEDOUT (or the last connect error, e.g. -ECONNREFUSED) if it did not
 * complete, -EACCES if authentication was refused. */
int msgr_client_open(const char *name, const struct msgr_auth_ops *auth, void *auth_arg,
		     const struct msgr_addr *addr, int timeout_ms, struct msgr_client **out);
/* Sends a request and waits up to timeout_ms for the next message from
 * the peer; *reply is the caller's (msgr_msg_put()). */
int msgr_client_call(struct msgr_client *cl, uint16_t type, const void *req, size_t len,
		     int timeout_ms, struct msgr_msg **reply);
struct msgr_conn *msgr_client_conn(struct msgr_client *cl);
void msgr_client_close(struct msgr_client *cl);

#endif
