/*
 * The objecter: librados' OSD client.  It keeps the newest OSD map (fed by
 * the monitor client's on_map callback), one messenger with a lossless
 * session per OSD, and every op in flight, and sends each op to the
 * acting primary of its PG, resending when the map or the session says
 * it must.  Replies arrive on the messenger's loop thread, which runs the
 * op's reply handlers (copies into the caller's buffers) and completes
 * its completion; completion callbacks run on the finisher thread, so a
 * callback may start new I/O or even wait for it.
 *
 * DESIGN NOTES
 *
 * Invariants (under o->lock):
 *  1. Every op in flight is in the tid hash and in the list, in tid order.
 *  2. op->conn is the connection the op was last sent on, or NULL while
 *     the op waits (no primary up, pool not in our map yet, newer epoch
 *     needed).  A waiting op is retried on every new map.
 *  3. A session's conn matches the address (and nonce) of its OSD in the
 *     current map; an OSD that goes down or moves loses its session.
 *  4. An op is resent with OSD_FLAG_RETRY and the same tid, so the
 *     primary answers a write it already applied from its PG log instead
 *     of applying it twice.
 *  5. An op leaves the tables exactly once (reply, failure, timeout,
 *     shutdown), and whoever removes it completes and frees it, outside
 *     the lock.
 *
 * Transitions:
 *   submit      -> sent (objecter_submit -> op_dispatch)
 *               -> waiting (no target yet)
 *   sent        -> done (on_message), or back to sent/waiting on a RETRY
 *                  reply, a map that moves the PG (objecter_on_map), a
 *                  session reset (on_reset) or a restarted OSD
 *                  (on_remote_reset)
 *   waiting     -> sent on a map with a target (objecter_on_map)
 *   any         -> failed: pool deleted (-ENOENT), rados_osd_op_timeout
 *                  (-ETIMEDOUT, finisher_main), shutdown (-ESHUTDOWN)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/config.h"
#include "librados/librados_internal.h"
#include "msg/msgr.h"
#include "osdc/monc.h"
#include "osdmap/osdmap.h"
#include "osdmap/placement.h"

#define OBJ_HASH_BUCKETS 4096u

struct osd_session {
	int osd;
	struct msgr_conn *conn;
	struct osdmap_addr addr;
};

struct objecter_op {
	uint64_t tid;
	struct objecter_op *hnext;
	struct objecter_op *prev, *next;
	uint8_t *msg;          /* the encoded OSD_MSG_OP */
	size_t msglen;
	int64_t pool;
	uint32_t hash;         /* object hash (or the PG for PG ops) */
	uint32_t ps_encoded;   /* the ps inside msg */
	uint32_t need_epoch;   /* wait for this epoch before resending */
	bool pg_op;
	bool sent_once;
	bool write;
	struct msgr_conn *conn; /* identity only: the session owns it */
	uint64_t deadline_ns;   /* 0: none */
	struct rop_out *outs;
	size_t n_outs;
	int ret_index;
	struct rados_completion *comp;
	struct rados_ioctx *io;
	int fail;               /* set when removed for a failure */
};

struct objecter {
	struct rados_cluster *cluster;
	struct msgr *msgr;
	pthread_mutex_t lock;
	struct osdmap *map;
	struct osd_session **sessions;
	int n_sessions;
	struct objecter_op *hash[OBJ_HASH_BUCKETS];
	struct objecter_op list; /* sentinel */
	_Atomic uint64_t last_tid;
	uint64_t op_timeout_ns;
	bool stopping;
	/* finisher */
	pthread_t fin;
	bool fin_started;
	pthread_mutex_t fin_lock;
	pthread_cond_t fin_cond;
	pthread_cond_t map_cond; /* a map arrived (waited on under lock) */
	struct rados_completion *fin_head, *fin_tail;
	bool fin_stop;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- op tables (locked) ---- */

static void op_link(struct objecter *o, struct objecter_op *op)
{
	struct objecter_op **b = &o->hash[op->tid % OBJ_HASH_BUCKETS];

	op->hnext = *b;
	*b = op;
	/* tids are taken before the lock: keep the list in tid order */
	struct objecter_op *at = o->list.prev;
	while (at != &o->list && at->tid > op->tid)
		at = at->prev;
	op->prev = at;
	op->next = at->next;
	at->next->prev = op;
	at->next = op;
}

static struct objecter_op *op_lookup(struct objecter *o, uint64_t tid)
{
	struct objecter_op *op = o->hash[tid % OBJ_HASH_BUCKETS];

	while (op && op->tid != tid)
		op = op->hnext;
	return op;
}

static void op_unlink(struct objecter *o, struct objecter_op *op)
{
	struct objecter_op **pp = &o->hash[op->tid % OBJ_HASH_BUCKETS];

	while (*pp != op)
		pp = &(*pp)->hnext;
	*pp = op->hnext;
	op->prev->next = op->next;
	op->next->prev = op->prev;
	op->prev = op->next = NULL;
}

static void op_free(struct objecter_op *op)
{
	if (op->io)
		rados_ioctx_put(op->io);
	free(op->msg);
	free(op->outs);
	free(op);
}

/* Completes a removed op with a failure (outside the lock). */
static void op_fail(struct objecter_op *op, int err)
{
	rop_outs_fail(op->outs, op->n_outs, err);
	rados_completion_finish(op->comp, err, 0);
	op_free(op);
}

/* Removed ops collected under the lock, completed after it. */
struct op_batch {
	struct objecter_op *head;
};

static void batch_add(struct op_batch *b, struct objecter_op *op, int err)
{
	op->fail = err;
	op->next = b->head;
	b->head = op;
}

static void batch_fail(struct op_batch *b)
{
	while (b->head) {
		struct objecter_op *op = b->head;

		b->head = op->next;
		op_fail(op, op->fail);
	}
}

/* ---- sessions (locked) ---- */

static void session_drop(struct objecter *o, struct osd_session *s)
{
	o->sessions[s->osd] = NULL;
	msgr_conn_close(s->conn);
	msgr_conn_put(s->conn);
	free(s);
}

/* The session to an up OSD of the current map, opened if needed.  NULL
 * with *err on a bad address or -ENOMEM. */
static struct osd_session *session_get(struct objecter *o, int osd, int *err)
{
	const struct osdmap_addr *a = &o->map->osds[osd].public_addr;
	struct osd_session *s;
	struct msgr_addr ma;

	if (osd >= o->n_sessions) {
		int n = o->n_sessions ? o->n_sessions : 16;
		struct osd_session **ns;

		while (n <= osd)
			n *= 2;
		ns = realloc(o->sessions, (size_t)n * sizeof(*ns));
		if (!ns) {
			*err = -ENOMEM;
			return NULL;
		}
		memset(ns + o->n_sessions, 0,
		       (size_t)(n - o->n_sessions) * sizeof(*ns));
		o->sessions = ns;
		o->n_sessions = n;
	}
	s = o->sessions[osd];
	if (s && (strcmp(s->addr.addr, a->addr) != 0 || s->addr.nonce != a->nonce)) {
		session_drop(o, s);
		s = NULL;
	}
	if (s)
		return s;
	*err = msgr_addr_parse(a->addr, 6800, &ma);
	if (*err)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = msgr_connect(o->msgr, &ma, &s->conn);
	if (*err) {
		free(s);
		return NULL;
	}
	msgr_conn_set_priv(s->conn, (void *)(intptr_t)(osd + 1));
	s->osd = osd;
	s->addr = *a;
	o->sessions[osd] = s;
	return s;
}

/* ---- targeting and sending (locked) ---- */

/*
 * The acting primary for op in the current map: >= 0, -1 when the op
 * must wait for another map, or -ENOENT when its pool is gone.
 */
static int op_target(struct objecter *o, struct objecter_op *op, uint32_t *ps)
{
	const struct osdmap_pool *p = osdmap_pool_by_id(o->map, op->pool);
	struct osdmap_pg_mapping pm;

	if (!p) {
		if (op->pool <= o->map->pool_max)
			return -ENOENT;
		/* A pool newer than our map. */
		if (o->cluster->monc)
			monc_want_epoch(o->cluster->monc, o->map->epoch + 1);
		return -1;
	}
	if (op->pg_op) {
		if (op->hash >= p->pg_num)
			return -ENOENT;
		*ps = op->hash;
	} else {
		*ps = pg_of_hash(op->hash, p->pg_num);
	}
	if (osdmap_pg_to_up_acting(o->map, op->pool, *ps, &pm) < 0)
		return -1;
	if (pm.acting_primary < 0 || !osdmap_is_up(o->map, pm.acting_primary))
		return -1;
	return pm.acting_primary;
}

/* Rewrites the stored message for a resend: new ps and epoch, RETRY. */
static int op_reencode(struct objecter *o, struct objecter_op *op, uint32_t ps)
{
	struct osd_op_msg m;
	struct enc_buf b;
	uint8_t *nb;
	size_t nlen;
	int rc;

	rc = osd_op_msg_decode(op->msg, op->msglen, &m);
	if (rc)
		return rc;
	m.ps = ps;
	m.epoch = o->map->epoch;
	if (op->sent_once)
		m.flags |= OSD_FLAG_RETRY;
	enc_buf_init(&b);
	rc = osd_op_msg_encode(&m, &b);
	osd_op_msg_release(&m);
	if (rc) {
		enc_buf_release(&b);
		return rc;
	}
	nb = enc_buf_detach(&b, &nlen);
	if (!nb)
		return -ENOMEM;
	free(op->msg);
	op->msg = nb;
	op->msglen = nlen;
	op->ps_encoded = ps;
	return 0;
}

/* Sends op to its target now, or leaves it waiting.  Returns 0, or an
 * error the op must fail with. */
static int op_dispatch(struct objecter *o, struct objecter_op *op)
{
	struct osd_session *s;
	uint32_t ps = 0;
	int osd, rc;

	op->conn = NULL;
	if (op->need_epoch > o->map->epoch)
		return 0;
	osd = op_target(o, op, &ps);
	if (osd == -ENOENT)
		return -ENOENT;
	if (osd < 0)
		return 0;
	s = session_get(o, osd, &rc);
	if (!s)
		return rc;
	if (op->sent_once || ps != op->ps_encoded) {
		rc = op_reencode(o, op, ps);
		if (rc)
			return rc;
	}
	rc = msgr_send(s->conn, OSD_MSG_OP, op->msg, op->msglen);
	if (rc == -ECONNRESET || rc == -ENOBUFS) {
		/* The session just ended: the next map or reset retries. */
		return 0;
	}
	if (rc)
		return rc;
	op->conn = s->conn;
	op->sent_once = true;
	return 0;
}

/* Resends every op that lost its target (or whose target moved). */
static void ops_rescan(struct objecter *o, struct msgr_conn *only, bool force,
		       struct op_batch *failed)
{
	struct objecter_op *op, *next;

	for (op = o->list.next; op != &o->list; op = next) {
		uint32_t ps = 0;
		int osd, rc;

		next = op->next;
		if (only && op->conn != only)
			continue;
		if (!force && op->conn) {
			osd = op_target(o, op, &ps);
			if (osd >= 0 && osd < o->n_sessions && o->sessions[osd] &&
			    o->sessions[osd]->conn == op->conn && ps == op->ps_encoded)
				continue;
		}
		rc = op_dispatch(o, op);
		if (rc) {
			op_unlink(o, op);
			batch_add(failed, op, rc);
		}
	}
}

/* ---- messenger callbacks (loop thread) ---- */

static void on_message(struct msgr_conn *c, struct msgr_msg *m, void *arg)
{
	struct objecter *o = arg;
	struct osd_op_reply r;
	struct objecter_op *op;
	struct op_batch failed = { 0 };
	int result;

	if (m->type != OSD_MSG_OP_REPLY)
		return;
	if (osd_op_reply_decode(m->data, m->len, &r)) {
		/* A malformed reply: that session only is suspect. */
		return;
	}
	pthread_mutex_lock(&o->lock);
	op = op_lookup(o, r.tid);
	if (!op || o->stopping) {
		pthread_mutex_unlock(&o->lock);
		osd_op_reply_release(&r);
		return;
	}
	if (r.flags & OSD_REPLY_FLAG_RETRY) {
		/* Only the OSD we last sent to may redirect us. */
		if (op->conn == c) {
			int rc = 0;

			if (r.epoch > o->map->epoch) {
				op->need_epoch = r.epoch;
				op->conn = NULL;
				if (o->cluster->monc)
					monc_want_epoch(o->cluster->monc, r.epoch);
			} else {
				rc = op_dispatch(o, op);
			}
			if (rc) {
				op_unlink(o, op);
				batch_add(&failed, op, rc);
			}
		}
		pthread_mutex_unlock(&o->lock);
		osd_op_reply_release(&r);
		batch_fail(&failed);
		return;
	}
	op_unlink(o, op);
	pthread_mutex_unlock(&o->lock);

	result = rop_outs_finish(op->outs, op->n_outs, op->ret_index, &r, r.result);
	if (r.version)
		atomic_store(&op->io->last_version, r.version);
	rados_completion_finish(op->comp, result, r.version);
	op_free(op);
	osd_op_reply_release(&r);
}

static int conn_osd(struct msgr_conn *c)
{
	return (int)(intptr_t)msgr_conn_priv(c) - 1;
}

static void on_reset(struct msgr_conn *c, int err, void *arg)
{
	struct objecter *o = arg;
	struct op_batch failed = { 0 };
	int osd = conn_osd(c);

	pthread_mutex_lock(&o->lock);
	if (!o->stopping && osd >= 0 && osd < o->n_sessions && o->sessions[osd] &&
	    o->sessions[osd]->conn == c) {
		session_drop(o, o->sessions[osd]);
		/* A fresh session to the same OSD (or a new primary). */
		ops_rescan(o, c, true, &failed);
	}
	pthread_mutex_unlock(&o->lock);
	batch_fail(&failed);
}

static void on_remote_reset(struct msgr_conn *c, void *arg)
{
	struct objecter *o = arg;
	struct op_batch failed = { 0 };

	/* The OSD restarted: replies it owed us are gone.  Resend (RETRY:
	 * writes it had applied are answered from its log). */
	pthread_mutex_lock(&o->lock);
	if (!o->stopping)
		ops_rescan(o, c, true, &failed);
	pthread_mutex_unlock(&o->lock);
	batch_fail(&failed);
}

static const struct msgr_dispatch_ops objecter_dispatch = {
	.on_message = on_message,
	.on_reset = on_reset,
	.on_remote_reset = on_remote_reset,
};

/* ---- maps (monc thread) ---- */

void objecter_on_map(struct osdmap *map, void *arg)
{
	struct objecter *o = arg;
	struct op_batch failed = { 0 };
	struct osdmap *old;

	pthread_mutex_lock(&o->lock);
	if (o->stopping || (o->map && map->epoch <= o->map->epoch)) {
		pthread_mutex_unlock(&o->lock);
		return;
	}
	old = o->map;
	o->map = osdmap_get(map);
	for (int i = 0; i < o->n_sessions; i++) {
		struct osd_session *s = o->sessions[i];
		const struct osdmap_addr *a;

		if (!s)
			continue;
		a = osdmap_is_up(map, i) ? &map->osds[i].public_addr : NULL;
		if (!a || strcmp(a->addr, s->addr.addr) != 0 || a->nonce != s->addr.nonce)
			session_drop(o, s);
	}
	ops_rescan(o, NULL, false, &failed);
	pthread_cond_broadcast(&o->map_cond);
	pthread_mutex_unlock(&o->lock);
	batch_fail(&failed);
	osdmap_put(old);
}

struct osdmap *objecter_map(struct objecter *o)
{
	struct osdmap *m;

	pthread_mutex_lock(&o->lock);
	m = o->map ? osdmap_get(o->map) : NULL;
	pthread_mutex_unlock(&o->lock);
	return m;
}

/* ---- submission (any thread) ---- */

int objecter_submit(struct rados_ioctx *io, const char *oid, uint32_t ps,
		    const struct rop *rop, struct rados_completion *comp)
{
	struct objecter *o = io->cluster->objecter;
	struct op_batch failed = { 0 };
	struct objecter_op *op;
	struct osd_op_msg m = { 0 };
	struct osdmap *map;
	struct enc_buf b;
	int rc;

	if (!o)
		return -ENOTCONN;
	if (rop->err)
		return rop->err;
	if (rop->n > OSD_PROTO_MAX_OPS)
		return -E2BIG;
	if (oid && strcmp(io->nspace, LIBRADOS_ALL_NSPACES) == 0)
		return -EINVAL;
	op = calloc(1, sizeof(*op));
	if (!op)
		return -ENOMEM;
	if (rop->n) {
		op->outs = malloc(rop->n * sizeof(*op->outs));
		if (!op->outs) {
			free(op);
			return -ENOMEM;
		}
		memcpy(op->outs, rop->outs, rop->n * sizeof(*op->outs));
	}
	op->n_outs = rop->n;
	op->ret_index = rop->ret_index;
	op->pool = io->pool_id;
	op->write = rop->write;
	op->comp = comp;

	map = objecter_map(o);
	m.tid = atomic_fetch_add(&o->last_tid, 1) + 1;
	m.epoch = map ? map->epoch : 0;
	m.flags = rop->write ? OSD_FLAG_WRITE : OSD_FLAG_READ;
	m.pool = io->pool_id;
	if (oid) {
		const struct osdmap_pool *p = map ? osdmap_pool_by_id(map, io->pool_id) : NULL;

		m.nspace = io->nspace;
		m.key = io->locator;
		m.oid = oid;
		m.hash = object_hash(io->nspace, io->locator, oid);
		m.ps = p ? pg_of_hash(m.hash, p->pg_num) : 0;
	} else {
		op->pg_op = true;
		m.nspace = m.key = m.oid = "";
		m.hash = m.ps = ps;
	}
	osdmap_put(map);
	m.ops = rop->ops;
	m.n_ops = rop->n;
	op->tid = m.tid;
	op->hash = m.hash;
	op->ps_encoded = m.ps;
	enc_buf_init(&b);
	rc = osd_op_msg_encode(&m, &b);
	if (rc) {
		enc_buf_release(&b);
		op_free(op);
		return rc;
	}
	op->msg = enc_buf_detach(&b, &op->msglen);
	if (!op->msg) {
		op_free(op);
		return -ENOMEM;
	}
	if (o->op_timeout_ns)
		op->deadline_ns = now_ns() + o->op_timeout_ns;

	rados_ioctx_get(io);
	op->io = io;
	rados_completion_get(comp);
	comp->io = io;
	comp->objecter = o;
	if (op->write) {
		pthread_mutex_lock(&io->lock);
		io->writes_in_flight++;
		pthread_mutex_unlock(&io->lock);
		comp->counted_write = true;
	}
	if (rop->n == 0) {
		/* Nothing to ask an OSD. */
		rados_completion_finish(comp, 0, 0);
		op_free(op);
		return 0;
	}

	pthread_mutex_lock(&o->lock);
	if (o->stopping) {
		pthread_mutex_unlock(&o->lock);
		op_fail(op, -ESHUTDOWN);
		return 0;
	}
	op_link(o, op);
	rc = op_dispatch(o, op);
	if (rc) {
		op_unlink(o, op);
		batch_add(&failed, op, rc);
	}
	pthread_mutex_unlock(&o->lock);
	batch_fail(&failed);
	return 0;
}

/* ---- the finisher: callbacks and timeouts ---- */

void objecter_queue_callback(struct objecter *o, struct rados_completion *c)
{
	pthread_mutex_lock(&o->fin_lock);
	c->fin_next = NULL;
	if (o->fin_tail)
		o->fin_tail->fin_next = c;
	else
		o->fin_head = c;
	o->fin_tail = c;
	pthread_cond_signal(&o->fin_cond);
	pthread_mutex_unlock(&o->fin_lock);
}

static void ops_expire(struct objecter *o)
{
	struct op_batch failed = { 0 };
	struct objecter_op *op, *next;
	uint64_t now = now_ns();

	pthread_mutex_lock(&o->lock);
	for (op = o->list.next; op != &o->list; op = next) {
		next = op->next;
		if (op->deadline_ns && op->deadline_ns <= now) {
			op_unlink(o, op);
			batch_add(&failed, op, -ETIMEDOUT);
		}
	}
	pthread_mutex_unlock(&o->lock);
	batch_fail(&failed);
}

static void *finisher_main(void *arg)
{
	struct objecter *o = arg;
	uint64_t next_expire = now_ns() + 1000000000ull;

	pthread_mutex_lock(&o->fin_lock);
	for (;;) {
		while (!o->fin_head && !o->fin_stop) {
			if (!o->op_timeout_ns) {
				pthread_cond_wait(&o->fin_cond, &o->fin_lock);
				continue;
			}
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;
			pthread_cond_timedwait(&o->fin_cond, &o->fin_lock, &ts);
			if (now_ns() >= next_expire)
				break;
		}
		if (o->op_timeout_ns && now_ns() >= next_expire) {
			pthread_mutex_unlock(&o->fin_lock);
			ops_expire(o);
			next_expire = now_ns() + 1000000000ull;
			pthread_mutex_lock(&o->fin_lock);
		}
		if (o->fin_head) {
			struct rados_completion *c = o->fin_head;

			o->fin_head = c->fin_next;
			if (!o->fin_head)
				o->fin_tail = NULL;
			pthread_mutex_unlock(&o->fin_lock);
			rados_completion_run_callbacks(c);
			pthread_mutex_lock(&o->fin_lock);
			continue;
		}
		if (o->fin_stop)
			break;
	}
	pthread_mutex_unlock(&o->fin_lock);
	return NULL;
}

/* ---- lifecycle ---- */

int objecter_create(struct rados_cluster *c, struct objecter **out)
{
	struct objecter *o;
	struct msgr_opts mo;
	uint64_t secs = 0;
	int rc;

	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->cluster = c;
	o->list.next = o->list.prev = &o->list;
	pthread_mutex_init(&o->lock, NULL);
	pthread_mutex_init(&o->fin_lock, NULL);
	pthread_cond_init(&o->fin_cond, NULL);
	pthread_cond_init(&o->map_cond, NULL);
	if (conf_get_secs(c->conf, "rados_osd_op_timeout", &secs) == 0 && secs)
		o->op_timeout_ns = secs * 1000000000ull;

	msgr_opts_init(&mo);
	mo.name = c->name;
	mo.dispatch = &objecter_dispatch;
	mo.dispatch_arg = o;
	/* Replies carry whole objects (up to osd_max_object_size). */
	mo.max_frame = OSD_PROTO_DATA_MAX + (1u << 20);
	mo.conn_in_max_bytes = 2ull * OSD_PROTO_DATA_MAX;
	rc = msgr_create(&mo, &o->msgr);
	if (rc)
		goto out_free;
	rc = pthread_create(&o->fin, NULL, finisher_main, o);
	if (rc) {
		rc = -rc;
		goto out_msgr;
	}
	o->fin_started = true;
	*out = o;
	return 0;

out_msgr:
	msgr_destroy(o->msgr);
out_free:
	pthread_cond_destroy(&o->map_cond);
	pthread_cond_destroy(&o->fin_cond);
	pthread_mutex_destroy(&o->fin_lock);
	pthread_mutex_destroy(&o->lock);
	free(o);
	return rc;
}

int objecter_wait_map(struct objecter *o, int timeout_ms)
{
	struct timespec ts;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&o->lock);
	while (!o->map && rc == 0)
		rc = pthread_cond_timedwait(&o->map_cond, &o->lock, &ts);
	rc = o->map ? 0 : -ETIMEDOUT;
	pthread_mutex_unlock(&o->lock);
	return rc;
}

void objecter_stop(struct objecter *o)
{
	struct op_batch failed = { 0 };

	pthread_mutex_lock(&o->lock);
	o->stopping = true;
	pthread_mutex_unlock(&o->lock);
	/* No messenger callback runs after this. */
	msgr_destroy(o->msgr);
	o->msgr = NULL;
	pthread_mutex_lock(&o->lock);
	while (o->list.next != &o->list) {
		struct objecter_op *op = o->list.next;

		op_unlink(o, op);
		batch_add(&failed, op, -ESHUTDOWN);
	}
	for (int i = 0; i < o->n_sessions; i++) {
		if (o->sessions[i]) {
			msgr_conn_put(o->sessions[i]->conn);
			free(o->sessions[i]);
			o->sessions[i] = NULL;
		}
	}
	pthread_mutex_unlock(&o->lock);
	batch_fail(&failed);
	/* Run the callbacks already queued, then stop. */
	pthread_mutex_lock(&o->fin_lock);
	o->fin_stop = true;
	pthread_cond_signal(&o->fin_cond);
	pthread_mutex_unlock(&o->fin_lock);
	if (o->fin_started)
		pthread_join(o->fin, NULL);
	o->fin_started = false;
}

void objecter_destroy(struct objecter *o)
{
	if (!o)
		return;
	if (!o->stopping || o->fin_started)
		objecter_stop(o);
	free(o->sessions);
	osdmap_put(o->map);
	pthread_cond_destroy(&o->map_cond);
	pthread_cond_destroy(&o->fin_cond);
	pthread_mutex_destroy(&o->fin_lock);
	pthread_mutex_destroy(&o->lock);
	free(o);
}
