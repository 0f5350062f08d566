/*
 * The daemons' and librados' monitor client (monc.h).  One messenger on
 * its own thread holds a lossless session with every monitor address of
 * mon_host; the osdmap subscription lives on one of them (the first to
 * connect) and moves to another connected monitor when that one faults.
 * Maps arrive as incrementals (or a full map when we are far behind) and
 * are applied on the messenger thread, each new epoch an immutable,
 * refcounted struct osdmap.  Commands go through the tools' monitor
 * client (leader redirects, hunting), one at a time.
 *
 * Locking: `lock` guards the peer table, the subscription choice and the
 * current map; it is never held while calling on_map or sending.
 */
#include "osdc/monc.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/addr.h"
#include "common/config.h"
#include "common/encoding.h"
#include "mon/mon_proto.h"
#include "msg/msgr.h"
#include "osdmap/osdmap.h"
#include "tools/tool_monc.h"

#define MONC_MAX_PEERS 16
#define MONC_DEFAULT_TIMEOUT_MS 30000

struct monc_peer {
	struct msgr_addr addr;
	struct msgr_conn *conn;
	bool connected;
};

struct monc {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct msgr *msgr;
	struct monc_peer peers[MONC_MAX_PEERS];
	size_t n_peers;
	int sub;            /* peer holding our osdmap subscription, -1: none */
	struct osdmap *map; /* newest; NULL until the first arrives */
	uint32_t want;      /* highest epoch someone asked for */
	bool stopping;
	void (*on_map)(struct osdmap *map, void *arg);
	void *arg;
	int timeout_ms;

	pthread_mutex_t cmd_lock; /* one command at a time through tm */
	struct tool_monc *tm;
	struct conf *conf;
	char name[MSGR_ENTITY_MAX];
};

static void abs_deadline(int64_t ms, struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static int peer_index(struct monc *m, struct msgr_conn *c)
{
	for (size_t i = 0; i < m->n_peers; i++)
		if (m->peers[i].conn == c)
			return (int)i;
	return -1;
}

/* Asks peer i for every epoch after ours (caller does not hold lock). */
static void subscribe(struct monc *m, int i)
{
	struct mon_subscribe s = { .what = "osdmap" };
	struct msgr_conn *c;
	struct enc_buf b;

	pthread_mutex_lock(&m->lock);
	s.start = m->map ? m->map->epoch + 1 : 0;
	c = m->peers[i].conn ? msgr_conn_get(m->peers[i].conn) : NULL;
	pthread_mutex_unlock(&m->lock);
	if (!c)
		return;
	enc_buf_init(&b);
	if (!mon_subscribe_encode(&s, &b))
		msgr_send(c, MON_MSG_SUBSCRIBE, b.data, b.len);
	enc_buf_release(&b);
	msgr_conn_put(c);
}

static void monc_on_connect(struct msgr_conn *c, bool resumed, void *arg)
{
	struct monc *m = arg;
	int i, target = -1;

	(void)resumed;
	pthread_mutex_lock(&m->lock);
	i = peer_index(m, c);
	if (i >= 0) {
		m->peers[i].connected = true;
		if (m->sub < 0)
			m->sub = i;
		if (m->sub == i)
			target = i;
	}
	pthread_mutex_unlock(&m->lock);
	/* (Re)subscribing is idempotent: the monitor sends from `start`
	 * and we skip epochs we already have. */
	if (target >= 0)
		subscribe(m, target);
}

static void monc_on_fault(struct msgr_conn *c, int err, void *arg)
{
	struct monc *m = arg;
	int i, target = -1;

	(void)err;
	pthread_mutex_lock(&m->lock);
	i = peer_index(m, c);
	if (i >= 0) {
		m->peers[i].connected = false;
		if (m->sub == i) {
			m->sub = -1;
			for (size_t j = 0; j < m->n_peers; j++) {
				if (m->peers[j].connected) {
					m->sub = (int)j;
					target = (int)j;
					break;
				}
			}
		}
	}
	pthread_mutex_unlock(&m->lock);
	if (target >= 0)
		subscribe(m, target);
}

static void monc_on_remote_reset(struct msgr_conn *c, void *arg)
{
	struct monc *m = arg;
	int i;

	/* The monitor restarted: our subscription died with it. */
	pthread_mutex_lock(&m->lock);
	i = peer_index(m, c);
	i = (i >= 0 && m->sub == i) ? i : -1;
	pthread_mutex_unlock(&m->lock);
	if (i >= 0)
		subscribe(m, i);
}

static void monc_on_reset(struct msgr_conn *c, int err, void *arg)
{
	monc_on_fault(c, err, arg);
}

struct apply_ctx {
	struct monc *m;
	bool gap;
};

/* Applies one entry if it is the next epoch (or a newer full map). */
static int apply_entry(const struct mon_osdmap_entry *e, void *arg)
{
	struct apply_ctx *ax = arg;
	struct monc *m = ax->m;
	struct osdmap *cur, *next = NULL;
	int r;

	pthread_mutex_lock(&m->lock);
	cur = m->map ? osdmap_get(m->map) : NULL;
	pthread_mutex_unlock(&m->lock);

	if (cur && e->epoch <= cur->epoch) {
		osdmap_put(cur);
		return 0; /* already have it */
	}
	if (e->full) {
		r = osdmap_decode(e->blob, e->len, &next);
	} else if (cur && e->epoch == cur->epoch + 1) {
		struct osdmap_inc *inc = NULL;

		r = osdmap_inc_decode(e->blob, e->len, &inc);
		if (!r)
			r = osdmap_apply_inc(cur, inc, &next);
		osdmap_inc_destroy(inc);
	} else {
		ax->gap = true; /* missing epochs: ask again from ours */
		osdmap_put(cur);
		return 0;
	}
	osdmap_put(cur);
	if (r) {
		fprintf(stderr, "monc: cannot apply osdmap epoch %u: %s\n", e->epoch,
			strerror(-r));
		ax->gap = true;
		return 0;
	}
	pthread_mutex_lock(&m->lock);
	if (m->map && next->epoch <= m->map->epoch) {
		pthread_mutex_unlock(&m->lock);
		osdmap_put(next);
		return 0;
	}
	cur = m->map;
	m->map = osdmap_get(next);
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	osdmap_put(cur);
	if (m->on_map && !m->stopping)
		m->on_map(next, m->arg);
	osdmap_put(next);
	return 0;
}

static void monc_on_message(struct msgr_conn *c, struct msgr_msg *msg, void *arg)
{
	struct monc *m = arg;
	struct apply_ctx ax = { .m = m };
	int i;

	if (msg->type != MON_MSG_OSDMAP || m->stopping)
		return;
	mon_osdmap_msg_decode(msg->data, msg->len, apply_entry, &ax);
	if (!ax.gap)
		return;
	pthread_mutex_lock(&m->lock);
	i = peer_index(m, c);
	pthread_mutex_unlock(&m->lock);
	if (i >= 0)
		subscribe(m, i);
}

static const struct msgr_dispatch_ops monc_dispatch = {
	.on_connect = monc_on_connect,
	.on_message = monc_on_message,
	.on_fault = monc_on_fault,
	.on_remote_reset = monc_on_remote_reset,
	.on_reset = monc_on_reset,
};

static int monc_peers_init(struct monc *m, char *err, size_t errlen)
{
	struct addr_entry *ents = NULL;
	struct sockaddr_storage *ss = NULL;
	size_t nents = 0, nss = 0;
	int rc;

	rc = conf_get_addrs(m->conf, "mon_host", ADDR_DEFAULT_MON_PORT, &ents, &nents, err,
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
	for (size_t i = 0; i < nss && m->n_peers < MONC_MAX_PEERS; i++) {
		if (ss[i].ss_family != AF_INET && ss[i].ss_family != AF_INET6)
			continue;
		m->peers[m->n_peers++].addr.ss = ss[i];
	}
	free(ss);
	if (!m->n_peers) {
		snprintf(err, errlen, "mon_host names no usable address");
		return -ENOENT;
	}
	return 0;
}

int monc_create(const struct monc_opts *o, struct monc **out, char *err, size_t errlen)
{
	struct msgr_opts mo;
	pthread_condattr_t ca;
	struct timespec ts;
	struct monc *m;
	int rc;

	*out = NULL;
	if (err && errlen)
		err[0] = 0;
	if (!o->conf || !o->name || !msgr_entity_name_valid(o->name)) {
		snprintf(err, errlen, "monc: bad options");
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_init(&m->cmd_lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cond, &ca);
	pthread_condattr_destroy(&ca);
	m->sub = -1;
	m->conf = o->conf;
	m->on_map = o->on_map;
	m->arg = o->arg;
	m->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : MONC_DEFAULT_TIMEOUT_MS;
	snprintf(m->name, sizeof(m->name), "%s", o->name);

	rc = monc_peers_init(m, err, errlen);
	if (rc)
		goto out_free;
	msgr_opts_init(&mo);
	mo.name = o->name;
	mo.dispatch = &monc_dispatch;
	mo.dispatch_arg = m;
	mo.backoff_min_ms = 50;
	mo.backoff_max_ms = 2000;
	rc = msgr_create(&mo, &m->msgr);
	if (rc) {
		snprintf(err, errlen, "cannot create messenger as %s: %s", o->name,
			 strerror(-rc));
		goto out_free;
	}
	for (size_t i = 0; i < m->n_peers; i++) {
		struct msgr_conn *c = NULL;

		if (msgr_connect(m->msgr, &m->peers[i].addr, &c) == 0) {
			pthread_mutex_lock(&m->lock);
			m->peers[i].conn = c;
			pthread_mutex_unlock(&m->lock);
		}
	}
	/* Connections may have completed before their conn was recorded:
	 * pick a subscription peer now if none was chosen. */
	pthread_mutex_lock(&m->lock);
	abs_deadline(m->timeout_ms, &ts);
	while (!m->map) {
		if (m->sub < 0) {
			for (size_t i = 0; i < m->n_peers; i++) {
				if (m->peers[i].conn && m->peers[i].connected) {
					m->sub = (int)i;
					pthread_mutex_unlock(&m->lock);
					subscribe(m, (int)i);
					pthread_mutex_lock(&m->lock);
					break;
				}
			}
		}
		if (m->map)
			break;
		struct timespec step;
		abs_deadline(200, &step);
		if (step.tv_sec > ts.tv_sec || (step.tv_sec == ts.tv_sec && step.tv_nsec > ts.tv_nsec))
			step = ts;
		if (pthread_cond_timedwait(&m->cond, &m->lock, &step) == ETIMEDOUT) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec > ts.tv_sec ||
			    (now.tv_sec == ts.tv_sec && now.tv_nsec >= ts.tv_nsec))
				break;
		}
	}
	bool have = m->map != NULL;
	pthread_mutex_unlock(&m->lock);
	if (!have) {
		snprintf(err, errlen, "no osdmap from the monitors within %d.%d s",
			 m->timeout_ms / 1000, m->timeout_ms % 1000 / 100);
		monc_destroy(m);
		return -ETIMEDOUT;
	}
	if (err && errlen)
		err[0] = 0;
	*out = m;
	return 0;

out_free:
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->cmd_lock);
	pthread_mutex_destroy(&m->lock);
	free(m);
	return rc;
}

void monc_destroy(struct monc *m)
{
	if (!m)
		return;
	m->stopping = true;
	for (size_t i = 0; i < m->n_peers; i++) {
		struct msgr_conn *c;

		pthread_mutex_lock(&m->lock);
		c = m->peers[i].conn;
		m->peers[i].conn = NULL;
		pthread_mutex_unlock(&m->lock);
		if (c) {
			msgr_conn_close(c);
			msgr_conn_put(c);
		}
	}
	msgr_destroy(m->msgr);
	if (m->tm)
		tool_monc_destroy(m->tm);
	osdmap_put(m->map);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->cmd_lock);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

struct osdmap *monc_osdmap(struct monc *m)
{
	struct osdmap *map;

	pthread_mutex_lock(&m->lock);
	map = m->map ? osdmap_get(m->map) : NULL;
	pthread_mutex_unlock(&m->lock);
	return map;
}

uint32_t monc_epoch(struct monc *m)
{
	uint32_t e;

	pthread_mutex_lock(&m->lock);
	e = m->map ? m->map->epoch : 0;
	pthread_mutex_unlock(&m->lock);
	return e;
}

void monc_want_epoch(struct monc *m, uint32_t epoch)
{
	int target = -1;

	pthread_mutex_lock(&m->lock);
	if ((!m->map || m->map->epoch < epoch) && epoch > m->want) {
		m->want = epoch;
		target = m->sub;
	}
	pthread_mutex_unlock(&m->lock);
	/* The subscription already brings every epoch as it commits; asking
	 * again covers a monitor that lost it. */
	if (target >= 0)
		subscribe(m, target);
}

int monc_wait_epoch(struct monc *m, uint32_t epoch, int timeout_ms)
{
	struct timespec ts;
	int rc = 0;

	monc_want_epoch(m, epoch);
	abs_deadline(timeout_ms, &ts);
	pthread_mutex_lock(&m->lock);
	while (!m->map || m->map->epoch < epoch) {
		if (pthread_cond_timedwait(&m->cond, &m->lock, &ts) == ETIMEDOUT) {
			rc = (!m->map || m->map->epoch < epoch) ? -ETIMEDOUT : 0;
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return rc;
}

void monc_reply_release(struct monc_reply *r)
{
	free(r->outs);
	free(r->out);
	memset(r, 0, sizeof(*r));
}

int monc_command(struct monc *m, const char *cmd, const void *in, size_t inlen,
		 struct monc_reply *r, int timeout_ms)
{
	struct tool_monc_reply tr;
	char err[512];
	int rc;

	memset(r, 0, sizeof(*r));
	pthread_mutex_lock(&m->cmd_lock);
	if (!m->tm) {
		rc = tool_monc_create(m->conf, m->name, timeout_ms > 0 ? timeout_ms : m->timeout_ms,
				      &m->tm, err, sizeof(err));
		if (rc) {
			pthread_mutex_unlock(&m->cmd_lock);
			return rc;
		}
	}
	tool_monc_set_timeout(m->tm, timeout_ms > 0 ? timeout_ms : m->timeout_ms);
	rc = tool_monc_command(m->tm, cmd, in, inlen, &tr, err, sizeof(err));
	pthread_mutex_unlock(&m->cmd_lock);
	if (rc)
		return rc;
	r->rc = tr.rc;
	r->outs = tr.outs;
	r->out = tr.out;
	r->outlen = tr.outlen;
	return 0;
}

int monc_send_all(struct monc *m, uint16_t type, const void *payload, size_t len)
{
	struct msgr_conn *conns[MONC_MAX_PEERS];
	size_t n = 0;
	int sent = 0;

	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->n_peers; i++)
		if (m->peers[i].conn && m->peers[i].connected)
			conns[n++] = msgr_conn_get(m->peers[i].conn);
	pthread_mutex_unlock(&m->lock);
	for (size_t i = 0; i < n; i++) {
		if (msgr_send(conns[i], type, payload, len) == 0)
			sent++;
		msgr_conn_put(conns[i]);
	}
	return sent;
}
