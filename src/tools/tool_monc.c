/*
 * The tools' monitor client (tool_monc.h).  One messenger on its own
 * thread.  To find a monitor it connects to every known address at once
 * and keeps the first whose handshake completes ("hunting", as Ceph's
 * clients do), so a dead address in mon_host (a round-robin DNS name with
 * one monitor down) costs nothing.  A command goes to that monitor; a
 * fault on its connection, a reply that never comes, or -EAGAIN sends the
 * client hunting again (straight to the leader when the reply named one).
 *
 * The loop thread only records events under `lock`; every decision is
 * made by the caller's thread.
 */
#include "tools/tool_monc.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/config.h"
#include "common/encoding.h"
#include "mon/mon_proto.h"
#include "msg/msgr.h"

#define MONC_MAX_ADDRS 64
/* A command with no answer this long moves to another monitor (a write
 * waits for a Raft commit, well under this on a healthy quorum). */
#define MONC_REPLY_TIMEOUT_MS 15000
/* Pause between rounds when every monitor says -EAGAIN (no quorum). */
#define MONC_EAGAIN_PAUSE_MS 200

struct monc_peer {
	struct msgr_addr addr;
	struct msgr_conn *conn; /* our reference while hunting/active */
	bool connected;
	int fault;              /* last fault/reset error */
};

struct tool_monc {
	struct msgr *msgr;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct monc_peer peers[MONC_MAX_ADDRS];
	size_t n_peers;
	int active;             /* index of the monitor in use, -1 if none */
	int timeout_ms;
	uint64_t next_tid;
	struct msgr_msg *reply; /* the awaited reply, once it arrived */
	uint64_t want_tid;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void abs_deadline(int64_t ms_from_now, struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms_from_now / 1000;
	ts->tv_nsec += (long)(ms_from_now % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* The peer a connection belongs to (caller holds lock), or NULL. */
static struct monc_peer *peer_of(struct tool_monc *m, struct msgr_conn *c)
{
	for (size_t i = 0; i < m->n_peers; i++)
		if (m->peers[i].conn == c)
			return &m->peers[i];
	return NULL;
}

static void monc_on_connect(struct msgr_conn *c, bool resumed, void *arg)
{
	struct tool_monc *m = arg;
	struct monc_peer *p;

	(void)resumed;
	pthread_mutex_lock(&m->lock);
	p = peer_of(m, c);
	if (p) {
		p->connected = true;
		p->fault = 0;
	}
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
}

static void monc_on_message(struct msgr_conn *c, struct msgr_msg *msg, void *arg)
{
	struct tool_monc *m = arg;
	struct mon_command_reply r;

	if (msg->type != MON_MSG_COMMAND_REPLY)
		return; /* nothing else is expected; ignore it */
	if (mon_command_reply_decode(msg->data, msg->len, &r))
		return;
	pthread_mutex_lock(&m->lock);
	if (r.tid == m->want_tid && !m->reply && m->active >= 0 &&
	    m->peers[m->active].conn == c) {
		msgr_msg_get(msg);
		m->reply = msg;
		pthread_cond_broadcast(&m->cond);
	}
	pthread_mutex_unlock(&m->lock);
}

static void monc_on_fault(struct msgr_conn *c, int err, void *arg)
{
	struct tool_monc *m = arg;
	struct monc_peer *p;

	pthread_mutex_lock(&m->lock);
	p = peer_of(m, c);
	if (p) {
		p->fault = err ? err : -ECONNRESET;
		p->connected = false;
	}
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
}

static void monc_on_reset(struct msgr_conn *c, int err, void *arg)
{
	monc_on_fault(c, err ? err : -ECONNRESET, arg);
}

static const struct msgr_dispatch_ops monc_ops = {
	.on_connect = monc_on_connect,
	.on_message = monc_on_message,
	.on_fault = monc_on_fault,
	.on_reset = monc_on_reset,
};

int tool_monc_create(struct conf *conf, const char *name, int timeout_ms,
		     struct tool_monc **out, char *err, size_t errlen)
{
	struct addr_entry *ents = NULL;
	struct sockaddr_storage *ss = NULL;
	size_t nents = 0, nss = 0;
	struct tool_monc *m;
	struct msgr_opts o;
	pthread_condattr_t ca;
	int rc;

	*out = NULL;
	rc = conf_get_addrs(conf, "mon_host", ADDR_DEFAULT_MON_PORT, &ents, &nents, err,
			    errlen);
	if (rc == -ENOENT) {
		snprintf(err, errlen,
			 "no monitors specified to connect to (set mon_host in ceph.conf, or -m)");
		return rc;
	}
	if (rc)
		return rc;
	rc = addr_list_resolve(ents, nents, &ss, &nss, err, errlen);
	free(ents);
	if (rc)
		return rc;

	m = calloc(1, sizeof(*m));
	if (!m) {
		free(ss);
		return -ENOMEM;
	}
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cond, &ca);
	pthread_condattr_destroy(&ca);
	m->active = -1;
	m->timeout_ms = timeout_ms;
	m->next_tid = 1;
	for (size_t i = 0; i < nss && m->n_peers < MONC_MAX_ADDRS; i++) {
		if (ss[i].ss_family != AF_INET && ss[i].ss_family != AF_INET6)
			continue;
		m->peers[m->n_peers++].addr.ss = ss[i];
	}
	free(ss);

	msgr_opts_init(&o);
	o.name = name;
	o.dispatch = &monc_ops;
	o.dispatch_arg = m;
	o.backoff_min_ms = 50;
	o.backoff_max_ms = 500;
	rc = msgr_create(&o, &m->msgr);
	if (rc) {
		snprintf(err, errlen, "cannot create messenger as %s: %s", name, strerror(-rc));
		pthread_cond_destroy(&m->cond);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

/* Drops the connection of peer i (caller does not hold lock). */
static void peer_drop(struct tool_monc *m, size_t i)
{
	struct msgr_conn *c;

	pthread_mutex_lock(&m->lock);
	c = m->peers[i].conn;
	m->peers[i].conn = NULL;
	m->peers[i].connected = false;
	if (m->active == (int)i)
		m->active = -1;
	pthread_mutex_unlock(&m->lock);
	if (c) {
		msgr_conn_close(c);
		msgr_conn_put(c);
	}
}

void tool_monc_destroy(struct tool_monc *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_peers; i++)
		peer_drop(m, i);
	msgr_destroy(m->msgr);
	if (m->reply)
		msgr_msg_put(m->reply);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void tool_monc_set_timeout(struct tool_monc *m, int timeout_ms)
{
	m->timeout_ms = timeout_ms;
}

void tool_monc_reply_release(struct tool_monc_reply *r)
{
	free(r->outs);
	free(r->out);
	memset(r, 0, sizeof(*r));
}

/* The peer index for an address, adding it (a leader we did not know
 * from mon_host) if need be; -1 if the table is full. */
static int peer_find_or_add(struct tool_monc *m, const struct msgr_addr *a)
{
	char x[MSGR_ADDR_STRLEN], y[MSGR_ADDR_STRLEN];

	msgr_addr_format(a, x, sizeof(x));
	for (size_t i = 0; i < m->n_peers; i++) {
		msgr_addr_format(&m->peers[i].addr, y, sizeof(y));
		if (!strcmp(x, y))
			return (int)i;
	}
	if (m->n_peers == MONC_MAX_ADDRS)
		return -1;
	m->peers[m->n_peers].addr = *a;
	return (int)m->n_peers++;
}

/*
 * Makes some monitor active: `only` >= 0 tries that one alone, else
 * every peer not in `skip` (one bit per peer, up to 64) at once.
 * Waits until one connects or `deadline` (monotonic ms) passes.  Returns
 * 0 (m->active set) or -ETIMEDOUT.
 */
static int hunt(struct tool_monc *m, int only, uint64_t skip, int64_t deadline)
{
	int rc = -ETIMEDOUT;

	for (size_t i = 0; i < m->n_peers; i++) {
		bool want = only >= 0 ? (int)i == only : !(skip >> i & 1);
		struct msgr_conn *c = NULL;

		if (!want || m->peers[i].conn)
			continue;
		m->peers[i].fault = 0;
		if (msgr_connect(m->msgr, &m->peers[i].addr, &c))
			continue;
		pthread_mutex_lock(&m->lock);
		m->peers[i].conn = c;
		pthread_mutex_unlock(&m->lock);
	}
	pthread_mutex_lock(&m->lock);
	for (;;) {
		struct timespec ts;
		int64_t left;

		for (size_t i = 0; i < m->n_peers; i++) {
			bool want = only >= 0 ? (int)i == only : !(skip >> i & 1);

			if (want && m->peers[i].conn && m->peers[i].connected) {
				m->active = (int)i;
				rc = 0;
				break;
			}
		}
		left = deadline - now_ms();
		if (rc == 0 || left <= 0)
			break;
		/* Every candidate refused (a named leader that died, monitors
		 * not started yet): the caller decides when to come back. */
		{
			bool all_failed = true;

			for (size_t i = 0; i < m->n_peers; i++) {
				bool want = only >= 0 ? (int)i == only : !(skip >> i & 1);

				if (want && !m->peers[i].fault)
					all_failed = false;
			}
			if (all_failed)
				break;
		}
		abs_deadline(left, &ts);
		pthread_cond_timedwait(&m->cond, &m->lock, &ts);
	}
	pthread_mutex_unlock(&m->lock);
	/* Keep only the winner; the others' sessions end now. */
	for (size_t i = 0; i < m->n_peers; i++)
		if ((int)i != m->active && m->peers[i].conn)
			peer_drop(m, i);
	return rc;
}

static void list_peers(struct tool_monc *m, char *err, size_t errlen)
{
	size_t off = 0;

	for (size_t i = 0; i < m->n_peers && off + 1 < errlen; i++) {
		char a[MSGR_ADDR_STRLEN];
		int n;

		msgr_addr_format(&m->peers[i].addr, a, sizeof(a));
		n = snprintf(err + off, errlen - off, "%s%s", i ? ", " : "", a);
		if (n < 0)
			break;
		off += (size_t)n;
	}
}

int tool_monc_command(struct tool_monc *m, const char *cmd, const void *in,
		      size_t inlen, struct tool_monc_reply *r, char *err,
		      size_t errlen)
{
	int64_t deadline = now_ms() + m->timeout_ms;
	struct mon_command_reply last_eagain_reply = {0};
	char *last_eagain_outs = NULL;
	bool have_eagain = false;
	uint64_t skip = 0;
	int leader = -1;
	int rc;

	memset(r, 0, sizeof(*r));
	for (;;) {
		struct mon_command c = {0};
		struct mon_command_reply rep;
		struct enc_buf b;
		struct msgr_msg *msg = NULL;
		struct msgr_conn *conn;
		int64_t wait_until;
		int active;

		if (m->active < 0) {
			if (now_ms() >= deadline)
				break;
			if (leader >= 0) {
				int64_t until = now_ms() + 2000;

				rc = hunt(m, leader, 0, until < deadline ? until : deadline);
				if (rc)
					skip |= 1ULL << (leader & 63);
				leader = -1;
			} else {
				uint64_t all = m->n_peers >= 64 ? ~0ULL : (1ULL << m->n_peers) - 1;

				/* every monitor already tried this round: start over */
				if ((skip & all) == all) {
					struct timespec ts = {
						0, (have_eagain ? MONC_EAGAIN_PAUSE_MS : 100) * 1000000L};

					skip = 0;
					nanosleep(&ts, NULL);
				}
				rc = hunt(m, -1, skip, deadline);
				if (rc)
					skip = ~0ULL; /* all refused: pause, then all again */
			}
			if (rc)
				continue; /* the deadline check ends the loop */
		}

		active = m->active;
		enc_buf_init(&b);
		c.tid = m->next_tid++;
		c.cmd = cmd;
		c.in = in;
		c.inlen = inlen;
		rc = mon_command_encode(&c, &b);
		if (rc) {
			enc_buf_release(&b);
			free(last_eagain_outs);
			return rc;
		}
		pthread_mutex_lock(&m->lock);
		m->want_tid = c.tid;
		if (m->reply) {
			msgr_msg_put(m->reply);
			m->reply = NULL;
		}
		conn = m->peers[active].conn;
		pthread_mutex_unlock(&m->lock);
		rc = msgr_send(conn, MON_MSG_COMMAND, b.data, b.len);
		enc_buf_release(&b);
		if (rc) {
			skip |= 1ULL << (active & 63);
			peer_drop(m, (size_t)active);
			continue;
		}

		/* Wait for the reply, a fault on that monitor, or the time limit:
		 * the reply may take long (a commit), but never past the later of
		 * the connect deadline and MONC_REPLY_TIMEOUT_MS from now. */
		wait_until = now_ms() + MONC_REPLY_TIMEOUT_MS;
		if (wait_until < deadline)
			wait_until = deadline;
		pthread_mutex_lock(&m->lock);
		for (;;) {
			struct timespec ts;
			int64_t left = wait_until - now_ms();

			if (m->reply || m->peers[active].fault || left <= 0)
				break;
			abs_deadline(left, &ts);
			pthread_cond_timedwait(&m->cond, &m->lock, &ts);
		}
		msg = m->reply;
		m->reply = NULL;
		pthread_mutex_unlock(&m->lock);

		if (!msg) {
			/* that monitor failed or went silent: try the others */
			skip |= 1ULL << (active & 63);
			peer_drop(m, (size_t)active);
			continue;
		}
		rc = mon_command_reply_decode(msg->data, msg->len, &rep);
		if (rc) {
			msgr_msg_put(msg);
			skip |= 1ULL << (active & 63);
			peer_drop(m, (size_t)active);
			continue;
		}
		if (rep.rc == -EAGAIN) {
			struct msgr_addr la;

			/* Not served here: to the leader if named, else elsewhere. */
			free(last_eagain_outs);
			last_eagain_outs = strdup(rep.outs ? rep.outs : "");
			last_eagain_reply.rc = rep.rc;
			have_eagain = true;
			if (rep.leader_addr && *rep.leader_addr &&
			    !msgr_addr_parse(rep.leader_addr, ADDR_DEFAULT_MON_PORT, &la)) {
				int li = peer_find_or_add(m, &la);

				if (li >= 0 && li != active)
					leader = li;
			}
			msgr_msg_put(msg);
			skip |= 1ULL << (active & 63);
			peer_drop(m, (size_t)active);
			if (leader >= 0)
				skip &= ~(1ULL << (leader & 63));
			continue;
		}
		r->rc = rep.rc;
		r->outs = strdup(rep.outs ? rep.outs : "");
		if (rep.outlen) {
			r->out = malloc(rep.outlen);
			if (r->out)
				memcpy(r->out, rep.out, rep.outlen);
		}
		r->outlen = r->out ? rep.outlen : 0;
		msgr_msg_put(msg);
		free(last_eagain_outs);
		if (!r->outs || (rep.outlen && !r->out)) {
			tool_monc_reply_release(r);
			return -ENOMEM;
		}
		return 0;
	}

	if (have_eagain) {
		/* Monitors answered but none could serve it (no quorum). */
		r->rc = last_eagain_reply.rc;
		r->outs = last_eagain_outs ? last_eagain_outs : strdup("");
		return r->outs ? 0 : -ENOMEM;
	}
	free(last_eagain_outs);
	{
		char peers[1024] = "";

		list_peers(m, peers, sizeof(peers));
		snprintf(err, errlen, "no monitor answered within %d.%d s (tried %s)",
			 m->timeout_ms / 1000, m->timeout_ms % 1000 / 100, peers);
	}
	return -ETIMEDOUT;
}
