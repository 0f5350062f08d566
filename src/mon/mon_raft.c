/*
 * The monitor's Raft glue: libraft (C Raft with its libuv I/O) keeps the
 * log and elects the leader; this file turns log entries into changes of
 * struct mon_state, turns the state into snapshots and back, and carries
 * each write's result from the FSM to the client that asked for it.
 *
 * DESIGN NOTES
 *
 *  1. One thread.  libraft, both messengers and the tick timer run on the
 *     monitor's one uv loop, so the FSM, the dispatcher and the tick never
 *     run concurrently and need no locks.
 *  2. A log entry (entry_encode) is one versioned body: kind, the
 *     proposer's (nonce, serial), the leader's clock, the normalised
 *     command JSON and its input data.  Applying it is a pure function of
 *     (state, entry): the handler sees the clock from the entry, never the
 *     local one, nor the local config (mon_state.h note 2).  Every monitor
 *     applies the same entries in the same order, so all compute the same
 *     state.  An entry that does not decode is skipped by every monitor
 *     alike.
 *  3. Genesis.  The state starts empty (osdmap epoch 0) on every monitor.
 *     Each mkfs wrote its own initial state (DATA/genesis); the first
 *     leader proposes its genesis blob as an entry, and applying a genesis
 *     entry replaces the state only while it is still empty, so a second
 *     one (a later leader that proposed before applying the first) is a
 *     no-op.  Nothing is served until the state is ready.
 *  4. Results.  A write's reply is what its handler returned on the
 *     leader that proposed it (mon_state.h note 4).  The FSM finds the
 *     waiting request by (nonce, serial): the nonce is random per process,
 *     so an entry replayed after a restart, or applied on a follower,
 *     matches no request and its result is dropped.
 *  5. A new leader first commits a barrier; until it has applied, the
 *     leader may lag its predecessor's commits, so it neither serves reads
 *     nor proposes genesis.
 *  6. If the apply callback reports an error (leadership lost, shutdown)
 *     the client is told -EAGAIN; the entry may still commit under the
 *     next leader, so a retried write may apply twice, as in Ceph.
 *  7. Snapshots are mon_state_encode() blobs; restore replaces the whole
 *     state with mon_state_decode() and pushes the new epochs to
 *     subscribers.  Entries and snapshots are zero-padded to a multiple of
 *     8 bytes: libraft's wire and disk framing reads whole 8-byte words
 *     past an unpadded payload's end.  Raft's data (log segments,
 *     metadata, snapshots) lives in DATA/raft.
 *
 * Transitions: mon_raft_init (raft_init) -> mon_raft_start (raft_start)
 * -> [tick: barrier, genesis; propose -> fsm_apply -> apply_cb] ->
 * mon_raft_close (raft_close -> close_cb releases the I/O).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mon/mon_internal.h"

#define ENTRY_VERSION 1
#define ENTRY_COMMAND 1
#define ENTRY_GENESIS 2

struct entry {
	uint8_t kind;
	uint64_t nonce, serial;
	int64_t sec;
	uint32_t nsec;
	const char *cmd; /* borrowed, NUL-terminated */
	const uint8_t *data;
	size_t len;
};

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static int entry_encode(const struct entry *e, struct raft_buffer *out)
{
	struct enc_buf b;
	size_t mark;
	int r;

	enc_buf_init(&b);
	mark = enc_start(&b, ENTRY_VERSION, 1);
	enc_put_u8(&b, e->kind);
	enc_put_u64(&b, e->nonce);
	enc_put_u64(&b, e->serial);
	enc_put_s64(&b, e->sec);
	enc_put_u32(&b, e->nsec);
	/* The NUL travels too, so apply can borrow the string. */
	enc_put_blob(&b, e->cmd ? e->cmd : "", strlen(e->cmd ? e->cmd : "") + 1);
	enc_put_blob(&b, e->data, e->data ? e->len : 0);
	r = enc_finish(&b, mark);
	if (r)
		goto out_release;
	/* libraft frames entries on 8-byte boundaries and reads whole words:
	 * pad with zeros (the envelope's length tells the decoder where the
	 * body ends). */
	out->len = pad8(b.len);
	out->base = raft_malloc(out->len);
	r = -ENOMEM;
	if (!out->base)
		goto out_release;
	memcpy(out->base, b.data, b.len);
	memset((uint8_t *)out->base + b.len, 0, out->len - b.len);
	r = 0;
out_release:
	enc_buf_release(&b);
	return r;
}

static int entry_decode(const void *buf, size_t len, struct entry *e)
{
	struct dec_cursor c, sub;
	size_t clen;
	uint8_t v;

	memset(e, 0, sizeof(*e));
	dec_init(&c, buf, len);
	if (dec_start(&c, ENTRY_VERSION, &v, &sub))
		return dec_error(&c);
	e->kind = dec_u8(&sub);
	e->nonce = dec_u64(&sub);
	e->serial = dec_u64(&sub);
	e->sec = dec_s64(&sub);
	e->nsec = dec_u32(&sub);
	e->cmd = (const char *)dec_blob_ref(&sub, MON_PROTO_CMD_MAX + 1, &clen);
	if (!dec_error(&sub) && (clen == 0 || e->cmd[clen - 1] || memchr(e->cmd, 0, clen - 1)))
		dec_fail(&sub, -EBADMSG);
	e->data = dec_blob_ref(&sub, SIZE_MAX, &e->len);
	return dec_finish(&c, &sub);
}

static struct mon_pending *pending_find(struct mon *m, uint64_t serial)
{
	for (struct mon_pending *p = m->pending; p; p = p->next)
		if (p->serial == serial)
			return p;
	return NULL;
}

static void pending_unlink(struct mon *m, struct mon_pending *p)
{
	for (struct mon_pending **pp = &m->pending; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			return;
		}
	}
}

static void apply_genesis(struct mon *m, const struct entry *e)
{
	int r;

	if (m->st.osdmap->epoch != 0) {
		mon_log(5, "genesis entry ignored: state already at e%" PRIu32,
			m->st.osdmap->epoch);
		return;
	}
	r = mon_state_decode(&m->st, e->data, e->len);
	if (r) {
		mon_log(-1, "genesis entry does not decode: %s", strerror(-r));
		return;
	}
	mon_log(1, "cluster state initialised: osdmap e%" PRIu32 ", monmap e%" PRIu32,
		m->st.osdmap->epoch, m->st.monmap->epoch);
}

static void apply_command(struct mon *m, const struct entry *e)
{
	const struct mon_cmd_desc *desc = NULL;
	struct mon_pending *p = NULL;
	json_error_t jerr;
	struct mon_cmd c;
	json_t *args;

	if (e->nonce == m->nonce)
		p = pending_find(m, e->serial);
	args = json_loads(e->cmd, 0, &jerr);
	if (args && json_is_object(args)) {
		const char *prefix = json_string_value(json_object_get(args, "prefix"));
		if (prefix)
			desc = mon_cmd_find(prefix);
	}
	mon_server_run_cmd(m, desc, args, e->data, e->len, e->sec, e->nsec, &c);
	mon_log(10, "applied '%s' rc %d %s", e->cmd, c.rc, c.outs);
	if (p) {
		p->applied = true;
		p->rc = c.rc;
		memcpy(p->outs, c.outs, sizeof(p->outs));
		p->out = enc_buf_detach(&c.out, &p->outlen);
	}
	enc_buf_release(&c.out);
	json_decref(args);
}

static int fsm_apply(struct raft_fsm *fsm, const struct raft_buffer *buf, void **result)
{
	struct mon *m = fsm->data;
	struct entry e;
	int r;

	*result = NULL;
	r = entry_decode(buf->base, buf->len, &e);
	if (r) {
		mon_log(-1, "skipping a log entry that does not decode: %s", strerror(-r));
		return 0;
	}
	if (e.kind == ENTRY_GENESIS)
		apply_genesis(m, &e);
	else if (e.kind == ENTRY_COMMAND && mon_state_ready(m))
		apply_command(m, &e);
	else
		mon_log(1, "skipping log entry of kind %u", e.kind);
	mon_server_state_changed(m);
	return 0;
}

static int fsm_snapshot(struct raft_fsm *fsm, struct raft_buffer *bufs[], unsigned *n_bufs)
{
	struct mon *m = fsm->data;
	struct raft_buffer *v;
	struct enc_buf b;
	int r;

	enc_buf_init(&b);
	r = mon_state_encode(&m->st, &b);
	if (r) {
		enc_buf_release(&b);
		return RAFT_NOMEM;
	}
	v = raft_malloc(sizeof(*v));
	if (!v)
		goto out_nomem;
	v->len = pad8(b.len);
	v->base = raft_malloc(v->len);
	if (!v->base) {
		raft_free(v);
		goto out_nomem;
	}
	memcpy(v->base, b.data, b.len);
	memset((uint8_t *)v->base + b.len, 0, v->len - b.len);
	enc_buf_release(&b);
	*bufs = v;
	*n_bufs = 1;
	mon_log(5, "snapshot at osdmap e%" PRIu32 " (%zu bytes)", m->st.osdmap->epoch, v->len);
	return 0;

out_nomem:
	enc_buf_release(&b);
	return RAFT_NOMEM;
}

static int fsm_restore(struct raft_fsm *fsm, struct raft_buffer *buf)
{
	struct mon *m = fsm->data;
	int r;

	r = mon_state_decode(&m->st, buf->base, buf->len);
	if (r) {
		mon_log(-1, "snapshot does not decode: %s", strerror(-r));
		return RAFT_CORRUPT;
	}
	/* On success the buffer is ours to free (libraft's contract). */
	raft_free(buf->base);
	mon_log(1, "restored snapshot: osdmap e%" PRIu32, m->st.osdmap->epoch);
	mon_server_state_changed(m);
	return 0;
}

static void now_clock(int64_t *sec, uint32_t *nsec)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	*sec = ts.tv_sec;
	*nsec = (uint32_t)ts.tv_nsec;
}

static void apply_cb(struct raft_apply *req, int status, void *result)
{
	struct mon_pending *p = req->data;
	struct mon *m = p->mon;

	pending_unlink(m, p);
	if (status == 0 && p->applied) {
		mon_server_reply(p->conn, p->tid, p->rc, p->outs, p->out, p->outlen, "");
	} else if (status == 0) {
		mon_server_reply(p->conn, p->tid, -EIO, "command was committed but not applied",
				 NULL, 0, "");
	} else {
		char addr[MSGR_ADDR_STRLEN] = "";
		int lr = mon_leader_rank(m);
		if (lr >= 0 && !m->stopping)
			mon_rank_addr(m, lr, addr, sizeof(addr));
		mon_server_reply(p->conn, p->tid, -EAGAIN,
				 m->stopping ? "monitor shutting down; retry"
					     : "leadership lost before the command committed; retry",
				 NULL, 0, addr);
		mon_log(1, "write serial %" PRIu64 " failed: %s", p->serial,
			raft_strerror(status));
	}
	msgr_conn_put(p->conn);
	free(p->out);
	free(p);
}

int mon_raft_propose(struct mon *m, struct msgr_conn *conn, uint64_t tid, const char *cmd,
		     const uint8_t *in, size_t inlen)
{
	struct entry e = { .kind = ENTRY_COMMAND, .cmd = cmd, .data = in, .len = inlen };
	struct raft_buffer buf;
	struct mon_pending *p;
	int r;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->mon = m;
	p->serial = ++m->next_serial;
	p->tid = tid;
	p->req.data = p;
	e.nonce = m->nonce;
	e.serial = p->serial;
	now_clock(&e.sec, &e.nsec);
	r = entry_encode(&e, &buf);
	if (r)
		goto out_free;
	r = raft_apply(&m->raft, &p->req, &buf, 1, apply_cb);
	if (r) {
		mon_log(1, "raft_apply: %s", raft_strerror(r));
		raft_free(buf.base);
		r = -EAGAIN;
		goto out_free;
	}
	p->conn = msgr_conn_get(conn);
	p->next = m->pending;
	m->pending = p;
	return 0;

out_free:
	free(p);
	return r;
}

static void genesis_cb(struct raft_apply *req, int status, void *result)
{
	struct mon *m = req->data;

	m->genesis_inflight = false;
	if (status)
		mon_log(1, "genesis entry failed: %s", raft_strerror(status));
}

static void barrier_cb(struct raft_barrier *req, int status)
{
	struct mon *m = req->data;

	m->barrier_inflight = false;
	if (status == 0 && raft_state(&m->raft) == RAFT_LEADER) {
		m->barrier_done = true;
		mon_log(1, "leader barrier applied; serving as leader");
	}
}

static void propose_genesis(struct mon *m)
{
	struct entry e = { .kind = ENTRY_GENESIS, .cmd = "", .data = m->genesis,
			   .len = m->genesis_len };
	struct raft_buffer buf;
	int r;

	e.nonce = m->nonce;
	now_clock(&e.sec, &e.nsec);
	if (entry_encode(&e, &buf))
		return;
	m->genesis_req.data = m;
	r = raft_apply(&m->raft, &m->genesis_req, &buf, 1, genesis_cb);
	if (r) {
		raft_free(buf.base);
		return;
	}
	m->genesis_inflight = true;
	mon_log(1, "proposing the initial cluster state");
}

void mon_raft_tick(struct mon *m)
{
	int state;

	if (!m->raft_started || m->stopping)
		return;
	state = raft_state(&m->raft);
	if (state != m->raft_state_seen) {
		static const char *const names[] = { "unavailable", "follower", "candidate",
						     "leader" };
		mon_log(1, "raft state %s -> %s (term %llu)",
			names[m->raft_state_seen & 3], names[state & 3],
			(unsigned long long)m->raft.current_term);
		m->raft_state_seen = state;
		m->barrier_done = false;
	}
	if (state != RAFT_LEADER)
		return;
	if (!m->barrier_done && !m->barrier_inflight) {
		m->barrier.data = m;
		if (raft_barrier(&m->raft, &m->barrier, barrier_cb) == 0)
			m->barrier_inflight = true;
	}
	if (m->barrier_done && !mon_state_ready(m) && !m->genesis_inflight && m->genesis)
		propose_genesis(m);
}

int mon_raft_init(struct mon *m, char *err, size_t errlen)
{
	char dir[4200], addr[64];
	int r;

	snprintf(dir, sizeof(dir), "%s/raft", m->data_dir);
	monmap_sockaddr_format(&m->monmap.mons[m->rank].raft, addr, sizeof(addr));
	r = raft_uv_tcp_init(&m->transport, &m->loop);
	if (r) {
		snprintf(err, errlen, "raft transport: %s", raft_strerror(r));
		return -EIO;
	}
	r = raft_uv_init(&m->io, &m->loop, dir, &m->transport);
	if (r) {
		snprintf(err, errlen, "raft storage in %s: %s", dir, raft_strerror(r));
		raft_uv_tcp_close(&m->transport);
		return -EIO;
	}
	raft_uv_set_connect_retry_delay(&m->io, 100);
	m->fsm.version = 1;
	m->fsm.data = m;
	m->fsm.apply = fsm_apply;
	m->fsm.snapshot = fsm_snapshot;
	m->fsm.restore = fsm_restore;
	r = raft_init(&m->raft, &m->io, &m->fsm, (raft_id)m->rank + 1, addr);
	if (r) {
		snprintf(err, errlen, "raft_init: %s", raft_errmsg(&m->raft));
		raft_uv_close(&m->io);
		raft_uv_tcp_close(&m->transport);
		return -EIO;
	}
	m->raft.data = m;
	raft_set_election_timeout(&m->raft, MON_ELECTION_TIMEOUT_MS);
	raft_set_heartbeat_timeout(&m->raft, MON_HEARTBEAT_MS);
	raft_set_snapshot_threshold(&m->raft, 256);
	raft_set_snapshot_trailing(&m->raft, 64);
	raft_set_pre_vote(&m->raft, true);
	return 0;
}

int mon_raft_start(struct mon *m, char *err, size_t errlen)
{
	int r = raft_start(&m->raft);

	if (r) {
		snprintf(err, errlen, "raft_start: %s", raft_errmsg(&m->raft));
		return -EIO;
	}
	m->raft_started = true;
	return 0;
}

static void close_cb(struct raft *raft)
{
	struct mon *m = raft->data;

	raft_uv_close(&m->io);
	raft_uv_tcp_close(&m->transport);
	mon_log(5, "raft closed");
}

void mon_raft_close(struct mon *m)
{
	m->raft_started = false;
	raft_close(&m->raft, close_cb);
}

/* ---- mkfs ---- */

static int stub_apply(struct raft_fsm *fsm, const struct raft_buffer *buf, void **result)
{
	*result = NULL;
	return 0;
}

static void stub_close_cb(struct raft *raft)
{
}

int mon_raft_bootstrap(const struct monmap *mm, size_t rank, const char *dir, char *err,
		       size_t errlen)
{
	struct raft_fsm fsm = { .version = 1, .apply = stub_apply };
	struct raft_configuration conf;
	struct raft_uv_transport t;
	struct raft_io io;
	struct raft r;
	uv_loop_t loop;
	char addr[64];
	int rv, ret = 0;

	memset(&t, 0, sizeof(t));
	memset(&io, 0, sizeof(io));
	if (uv_loop_init(&loop)) {
		snprintf(err, errlen, "cannot create an event loop");
		return -ENOMEM;
	}
	rv = raft_uv_tcp_init(&t, &loop);
	if (rv) {
		snprintf(err, errlen, "raft transport: %s", raft_strerror(rv));
		ret = -EIO;
		goto out_loop;
	}
	rv = raft_uv_init(&io, &loop, dir, &t);
	if (rv) {
		snprintf(err, errlen, "raft storage in %s: %s", dir, raft_strerror(rv));
		ret = -EIO;
		goto out_transport;
	}
	monmap_sockaddr_format(&mm->mons[rank].raft, addr, sizeof(addr));
	rv = raft_init(&r, &io, &fsm, (raft_id)rank + 1, addr);
	if (rv) {
		snprintf(err, errlen, "raft_init: %s", raft_strerror(rv));
		ret = -EIO;
		goto out_io;
	}
	raft_configuration_init(&conf);
	for (size_t i = 0; i < mm->count && !rv; i++) {
		monmap_sockaddr_format(&mm->mons[i].raft, addr, sizeof(addr));
		rv = raft_configuration_add(&conf, (raft_id)i + 1, addr, RAFT_VOTER);
	}
	if (!rv)
		rv = raft_bootstrap(&r, &conf);
	if (rv) {
		snprintf(err, errlen, "raft bootstrap: %s", raft_strerror(rv));
		ret = rv == RAFT_CANTBOOTSTRAP ? -EEXIST : -EIO;
	}
	raft_configuration_close(&conf);
	raft_close(&r, stub_close_cb);
	uv_run(&loop, UV_RUN_DEFAULT);
out_io:
	raft_uv_close(&io);
out_transport:
	raft_uv_tcp_close(&t);
out_loop:
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	return ret;
}
