/*
 * Private to the messenger library, grouped by the file that defines each
 * part: frame.c (the pure wire codec), addr.c, messenger.c (the loop, the
 * kick queue, listeners, the tick), conn.c (the connection state machine).
 */
#ifndef LOLIGO_MSG_INTERNAL_H
#define LOLIGO_MSG_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>

#include "msgr.h"

/* ---- lists ---- */

struct msgr_list {
	struct msgr_list *prev, *next;
};

static inline void msgr_list_init(struct msgr_list *l)
{
	l->prev = l->next = l;
}
static inline bool msgr_list_empty(const struct msgr_list *l)
{
	return l->next == l;
}
static inline void msgr_list_add_tail(struct msgr_list *l, struct msgr_list *n)
{
	n->prev = l->prev;
	n->next = l;
	l->prev->next = n;
	l->prev = n;
}
static inline void msgr_list_del(struct msgr_list *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->prev = n->next = n;
}
#define msgr_container_of(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

/* ---- frame.c: the wire format (pure functions, fuzzed) ---- */

#define MSGR_FRAME_MAGIC 0x4d4c4f4cu /* "LOLM" on the wire */
#define MSGR_FRAME_HDR_LEN 24
#define MSGR_FRAME_TRAILER_LEN 4
#define MSGR_FRAME_F_CONTROL 0x0001u /* type is a msgr_ctl, not the user's */
#define MSGR_FRAME_F_KNOWN MSGR_FRAME_F_CONTROL
/* Frames before authentication completes are small: an unauthenticated
 * peer cannot make us allocate max_frame. */
#define MSGR_HANDSHAKE_MAX (64u * 1024)

enum msgr_ctl {
	MSGR_CTL_HELLO = 1,      /* client -> server */
	MSGR_CTL_CHALLENGE = 2,  /* server -> client */
	MSGR_CTL_AUTH_REPLY = 3, /* client -> server */
	MSGR_CTL_READY = 4,      /* server -> client */
	MSGR_CTL_ACK = 5,        /* seq = last delivered */
	MSGR_CTL_PING = 6,       /* seq = sender's stamp */
	MSGR_CTL_PONG = 7,       /* seq = the stamp echoed */
	MSGR_CTL_CLOSE = 8,      /* payload: msgr_close_info */
};

struct msgr_frame_hdr {
	uint16_t type;
	uint16_t flags;
	uint32_t len;
	uint64_t seq;
};

void msgr_frame_hdr_encode(const struct msgr_frame_hdr *h, uint8_t out[MSGR_FRAME_HDR_LEN]);
/* -EBADMSG (magic, header crc), -EPROTO (unknown flags), -EMSGSIZE. */
int msgr_frame_hdr_decode(const uint8_t in[MSGR_FRAME_HDR_LEN], uint32_t max_len,
			  struct msgr_frame_hdr *h);
void msgr_frame_trailer_encode(const uint8_t *payload, uint32_t len,
			       uint8_t out[MSGR_FRAME_TRAILER_LEN]);
/* 0 or -EBADMSG when the payload crc does not match. */
int msgr_frame_trailer_check(const uint8_t *payload, uint32_t len,
			     const uint8_t trailer[MSGR_FRAME_TRAILER_LEN]);
/* One whole frame at the front of `buf`: 0 with *payload (borrowed) and
 * *frame_len set; -EAGAIN if incomplete (*frame_len: total bytes needed,
 * or MSGR_FRAME_HDR_LEN when the header is not in yet); or an error. */
int msgr_frame_decode(const uint8_t *buf, size_t len, uint32_t max_len,
		      struct msgr_frame_hdr *h, const uint8_t **payload, size_t *frame_len);
/* Appends a whole frame to `b`. */
void msgr_frame_encode(struct enc_buf *b, const struct msgr_frame_hdr *h, const void *payload);

struct msgr_hello {
	uint32_t proto;
	char name[MSGR_ENTITY_MAX];
	uint64_t nonce;     /* the client messenger's instance */
	uint64_t cookie;    /* the session, unique per client connection */
	uint64_t in_seq;    /* last message the client received */
	uint64_t out_acked; /* last of the client's messages acked to it */
	char method[MSGR_AUTH_METHOD_MAX];
	const uint8_t *auth; /* borrowed from the decoded payload */
	size_t auth_len;
};
struct msgr_ready {
	uint32_t proto;
	char name[MSGR_ENTITY_MAX];
	uint64_t nonce;  /* the server messenger's instance */
	uint64_t in_seq; /* last message the server received in this session */
	bool resumed;
};
struct msgr_close_info {
	int32_t err;
	char reason[128];
};

int msgr_hello_encode(struct enc_buf *b, const struct msgr_hello *h);
int msgr_hello_decode(const uint8_t *p, size_t len, struct msgr_hello *h);
int msgr_ready_encode(struct enc_buf *b, const struct msgr_ready *r);
int msgr_ready_decode(const uint8_t *p, size_t len, struct msgr_ready *r);
int msgr_close_encode(struct enc_buf *b, const struct msgr_close_info *ci);
int msgr_close_decode(const uint8_t *p, size_t len, struct msgr_close_info *ci);
/* CHALLENGE and AUTH_REPLY carry one versioned blob. */
int msgr_auth_blob_encode(struct enc_buf *b, const uint8_t *p, size_t len);
int msgr_auth_blob_decode(const uint8_t *p, size_t len, const uint8_t **blob, size_t *blob_len);

/* ---- messenger.c ---- */

enum msgr_kick {
	MSGR_KICK_START = 1 << 0,  /* client conn: begin connecting */
	MSGR_KICK_SEND = 1 << 1,   /* pending messages to queue */
	MSGR_KICK_CLOSE = 1 << 2,  /* msgr_conn_close() */
	MSGR_KICK_RESUME = 1 << 3, /* throttle dropped under the limit */
};

struct msgr_call; /* a function run on the loop thread for another thread */

struct msgr {
	char name[MSGR_ENTITY_MAX];
	uint64_t nonce;
	struct msgr_opts opts;
	const struct msgr_auth_ops *auth;
	uv_loop_t *loop;
	uv_loop_t own_loop;
	bool own_thread;
	uv_thread_t thread;
	uv_async_t async;
	uv_timer_t tick;
	uv_tcp_t listen[MSGR_MAX_LISTEN];
	int nlisten;
	int open_handles;  /* closes still to complete (loop thread) */
	bool stopping;     /* loop thread */

	pthread_mutex_t lock; /* guards kicks, calls, dead */
	struct msgr_list kicks;  /* conns with kick_flags */
	struct msgr_list calls;
	bool dead; /* no more kicks or calls accepted */

	/* loop thread only */
	struct msgr_list conns;  /* sessions not yet CLOSED (each holds a ref) */
	struct msgr_list socks;  /* every open socket */
};

/* Queues `flags` for `c` and wakes the loop.  Any thread. */
void msgr_kick(struct msgr_conn *c, unsigned flags);
/* Runs fn(m, arg) on the loop thread and returns its result.  Any thread
 * except inside callbacks in own-loop mode. */
int msgr_run_on_loop(struct msgr *m, int (*fn)(struct msgr *, void *), void *arg);
void msgr_handle_closed(struct msgr *m);
uint64_t msgr_random_u64(void);

/* ---- conn.c ---- */

enum conn_state {
	CONN_NEW,        /* client: created, not yet started on the loop */
	CONN_CONNECTING, /* client: a socket is connecting or handshaking */
	CONN_OPEN,       /* a socket is attached and ready */
	CONN_STANDBY,    /* no socket: client backs off, server lingers */
	CONN_CLOSED,     /* terminal */
};

enum sock_state {
	SOCK_CONNECTING, /* client: TCP connect in progress */
	SOCK_HELLO_SENT, /* client: waiting for CHALLENGE / READY / CLOSE */
	SOCK_ACCEPTED,   /* server: waiting for HELLO / AUTH_REPLY */
	SOCK_OPEN,       /* attached to its conn, carrying messages */
	SOCK_CLOSING,    /* uv_close() called, waiting for close_cb */
};

enum read_state { RS_HDR, RS_BODY };

/* One TCP stream.  A connection (session) outlives many of these. */
struct msgr_sock {
	uv_tcp_t tcp;
	uv_connect_t connect_req;
	struct msgr *m;
	struct msgr_conn *conn; /* ref; NULL for a server socket until HELLO */
	struct msgr_list link;  /* in m->socks */
	enum sock_state state;
	bool client;
	bool reading;
	bool read_paused;       /* throttled */
	bool close_after_write; /* sent CLOSE: close when it is out */
	uint64_t last_rx;       /* uv_now() of the last bytes in */
	uint64_t last_ping;
	unsigned auth_round;
	void *auth_state;       /* server: the auth hook's, until attach */
	char peer_name[MSGR_ENTITY_MAX];
	struct msgr_addr peer_addr;

	/* reader: header bytes, then the body straight into a message */
	enum read_state rstate;
	uint8_t hbuf[MSGR_FRAME_HDR_LEN];
	size_t hlen;
	struct msgr_frame_hdr hdr;
	struct msgr_msg_priv *body_msg; /* user frame being read */
	uint8_t *body;                  /* its payload + trailer */
	size_t body_len, body_got;      /* including the trailer */
	bool alloc_body;                /* alloc_cb handed out body space */
	uint8_t rbuf[64 * 1024];
	size_t rpos, rlen;
	uint64_t need_ack; /* in_seq to ack at the end of this read */
	int writes_inflight;
	/* server: what HELLO said, until the session is attached */
	struct msgr_hello hello;
};

/* A message queued for sending; refs from the queue and each write. */
struct msgr_out {
	struct msgr_list link;
	int refs; /* loop thread */
	uint64_t seq;
	uint16_t type;
	uint32_t len;
	uint8_t *payload;
	struct msgr_payload *shared; /* payload is its data, not ours */
	uint8_t hdr[MSGR_FRAME_HDR_LEN];
	uint8_t trailer[MSGR_FRAME_TRAILER_LEN];
	bool framed; /* hdr/trailer filled (seq assigned) */
};

struct msgr_msg_priv {
	struct msgr_msg pub;
	atomic_int refs;
	size_t charge; /* bytes counted in conn->in_held */
	/* payload and trailer follow */
};

struct msgr_conn {
	atomic_int refs;
	struct msgr *m;  /* NULL once closed or the messenger is gone; under lock */
	pthread_mutex_t lock;
	struct msgr_list pending; /* msgr_out from msgr_send, not yet queued */
	bool closed;              /* under lock: no more sends */

	/* under m->lock */
	struct msgr_list kick_link;
	unsigned kick_flags;

	/* loop thread only */
	struct msgr *owner;    /* never cleared; valid while the loop runs */
	uint64_t in_max;       /* copy of opts.conn_in_max_bytes */
	bool ever_opened;
	struct msgr_list link; /* in m->conns */
	enum conn_state state;
	bool client;
	struct msgr_sock *sock;
	struct msgr_addr peer_addr;
	char peer_name[MSGR_ENTITY_MAX];
	uint64_t peer_nonce;
	uint64_t cookie;
	uint64_t in_seq;   /* last delivered to the dispatcher */
	uint64_t out_seq;  /* last assigned */
	uint64_t out_acked;
	struct msgr_list out; /* unacked, by seq */
	struct msgr_out *out_next; /* first not yet written on this sock */
	uint32_t backoff_ms;
	uint64_t retry_at;     /* client STANDBY */
	uint64_t standby_since;
	int last_err;
	void *auth_state;
	void *priv;

	/* stats, any thread */
	atomic_uint_fast64_t in_held;
	atomic_uint_fast64_t in_held_peak;
	atomic_uint_fast64_t out_bytes;
	atomic_uint_fast64_t msgs_in, msgs_out, faults, reconnects;
	atomic_bool st_open, st_paused;
};

struct msgr_conn *msgr_conn_alloc(struct msgr *m, bool client);
void msgr_conn_handle_kick(struct msgr_conn *c, unsigned flags);
void msgr_conn_tick(struct msgr_conn *c, uint64_t now);
void msgr_sock_tick(struct msgr_sock *s, uint64_t now);
/* A server socket for an accepted stream (already uv_accept()ed). */
int msgr_sock_accept(struct msgr *m, uv_stream_t *server);
/* Shutdown: close everything without callbacks. */
void msgr_sock_close(struct msgr_sock *s);
void msgr_conn_shutdown(struct msgr_conn *c);

#endif
