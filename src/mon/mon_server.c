/*
 * The monitor's client side: MON_MSG_COMMAND (reads served here from the
 * local state when in quorum, writes normalised and proposed through Raft
 * by the leader, everything else refused with -EAGAIN and where to
 * retry), MON_MSG_SUBSCRIBE (osdmap incrementals or full maps, the
 * monmap, then each new epoch as it commits), and the peer pings that
 * feed the quorum view (mon.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/config.h"
#include "mon/mon_internal.h"

/* Entries per MON_MSG_OSDMAP message while catching a subscriber up. */
#define OSDMAP_BATCH 64

void mon_server_reply(struct msgr_conn *conn, uint64_t tid, int rc, const char *outs,
		      const uint8_t *out, size_t outlen, const char *leader_addr)
{
	struct mon_command_reply r = {
		.tid = tid, .rc = rc, .outs = outs ? outs : "", .out = out, .outlen = outlen,
		.leader_addr = leader_addr ? leader_addr : "",
	};
	struct enc_buf b;
	uint8_t *data;
	size_t len;

	enc_buf_init(&b);
	if (mon_command_reply_encode(&r, &b)) {
		enc_buf_release(&b);
		return;
	}
	data = enc_buf_detach(&b, &len);
	if (data)
		msgr_send_take(conn, MON_MSG_COMMAND_REPLY, data, len);
}

static enum mon_format parse_format(json_t *args)
{
	const char *f = json_string_value(json_object_get(args, "format"));

	if (!f)
		return MON_FORMAT_PLAIN;
	if (strcmp(f, "json") == 0)
		return MON_FORMAT_JSON;
	if (strcmp(f, "json-pretty") == 0)
		return MON_FORMAT_JSON_PRETTY;
	return MON_FORMAT_PLAIN;
}

static void cmd_setup(struct mon *m, json_t *args, const uint8_t *in, size_t inlen, int64_t sec,
		      uint32_t nsec, struct mon_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->st = &m->st;
	c->args = args;
	c->in = in;
	c->inlen = in ? inlen : 0;
	c->now_sec = sec;
	c->now_nsec = nsec;
	c->format = args ? parse_format(args) : MON_FORMAT_PLAIN;
	enc_buf_init(&c->out);
	c->self_name = m->id;
	c->quorum = m->quorum;
	c->quorum_len = m->quorum_len;
	c->leader_rank = mon_leader_rank(m);
}

static void run_cmd(struct mon *m, const struct mon_cmd_desc *desc, json_t *args,
		    const uint8_t *in, size_t inlen, int64_t sec, uint32_t nsec, bool read,
		    struct mon_cmd *c)
{
	int r;

	cmd_setup(m, args, in, inlen, sec, nsec, c);
	if (read) {
		c->pgmap = &m->pgmap;
		c->mono_ms = mon_now_ms();
	}
	if (!args || !json_is_object(args)) {
		c->rc = -EINVAL;
		snprintf(c->outs, sizeof(c->outs), "invalid command: not a JSON object");
		return;
	}
	if (!desc) {
		const char *prefix = json_string_value(json_object_get(args, "prefix"));
		c->rc = -EINVAL;
		snprintf(c->outs, sizeof(c->outs), "no valid command found for prefix '%.900s'",
			 prefix ? prefix : "");
		return;
	}
	r = desc->fn(c);
	if (r && !c->rc)
		c->rc = r;
}

void mon_server_run_cmd(struct mon *m, const struct mon_cmd_desc *desc, json_t *args,
			const uint8_t *in, size_t inlen, int64_t sec, uint32_t nsec,
			struct mon_cmd *c)
{
	run_cmd(m, desc, args, in, inlen, sec, nsec, false, c);
}

static void now_clock(int64_t *sec, uint32_t *nsec)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	*sec = ts.tv_sec;
	*nsec = (uint32_t)ts.tv_nsec;
}

/* Why this monitor cannot serve, and where to go instead. */
static void refuse(struct mon *m, struct msgr_conn *conn, uint64_t tid, bool write)
{
	char outs[512], addr[MSGR_ADDR_STRLEN] = "";
	int lr = mon_leader_rank(m);

	if (lr < 0 || !mon_state_ready(m)) {
		snprintf(outs, sizeof(outs), "no quorum: %zu of %zu monitors reachable",
			 mon_reachable(m), m->monmap.count);
		mon_server_reply(conn, tid, -EAGAIN, outs, NULL, 0, "");
		return;
	}
	mon_rank_addr(m, lr, addr, sizeof(addr));
	if (write || (size_t)lr != m->rank)
		snprintf(outs, sizeof(outs), "not the leader; retry at mon.%s %s",
			 m->monmap.mons[lr].name, addr);
	else
		snprintf(outs, sizeof(outs), "leader not ready yet; retry at mon.%s %s",
			 m->monmap.mons[lr].name, addr);
	mon_server_reply(conn, tid, -EAGAIN, outs, NULL, 0, addr);
}

/* Decode a command message and find its handler.  Replies and returns
 * false if it cannot be run at all. */
static bool parse_command(struct msgr_conn *conn, const struct msgr_msg *msg,
			  struct mon_command *cmd, json_t **argsp,
			  const struct mon_cmd_desc **descp)
{
	const struct mon_cmd_desc *desc = NULL;
	json_error_t jerr;
	const char *prefix;
	json_t *args;

	*argsp = NULL;
	if (mon_command_decode(msg->data, msg->len, cmd)) {
		mon_log(1, "malformed command from %s", msgr_conn_peer_name(conn));
		return false;
	}
	args = json_loads(cmd->cmd, 0, &jerr);
	if (!args || !json_is_object(args)) {
		char outs[300];
		snprintf(outs, sizeof(outs), "invalid command JSON: %s", jerr.text);
		mon_server_reply(conn, cmd->tid, -EINVAL,
				 args ? "command is not a JSON object" : outs, NULL, 0, "");
		json_decref(args);
		return false;
	}
	prefix = json_string_value(json_object_get(args, "prefix"));
	if (prefix)
		desc = mon_cmd_find(prefix);
	if (!desc) {
		char outs[1100];
		snprintf(outs, sizeof(outs), "no valid command found for prefix '%.1000s'",
			 prefix ? prefix : "");
		mon_server_reply(conn, cmd->tid, -EINVAL, outs, NULL, 0, "");
		json_decref(args);
		return false;
	}
	*argsp = args;
	*descp = desc;
	return true;
}

static void run_read(struct mon *m, struct msgr_conn *conn, const struct mon_command *cmd,
		     const struct mon_cmd_desc *desc, json_t *args)
{
	struct mon_cmd c;
	int64_t sec;
	uint32_t nsec;

	now_clock(&sec, &nsec);
	run_cmd(m, desc, args, cmd->in, cmd->inlen, sec, nsec, true, &c);
	mon_server_reply(conn, cmd->tid, c.rc, c.outs, c.out.data, c.out.len, "");
	enc_buf_release(&c.out);
}

/* ---- reads on a peon (ReadIndex) ---- */

static void read_free(struct mon *m, struct mon_read *rd)
{
	for (struct mon_read **pp = &m->reads; *pp; pp = &(*pp)->next) {
		if (*pp == rd) {
			*pp = rd->next;
			break;
		}
	}
	msgr_msg_put(rd->msg);
	free(rd);
	if (!m->reads && !m->stopping)
		uv_check_stop(&m->read_check);
}

static void read_serve(struct mon *m, struct mon_read *rd)
{
	const struct mon_cmd_desc *desc;
	struct mon_command cmd;
	json_t *args;

	if (parse_command(rd->msg->conn, rd->msg, &cmd, &args, &desc)) {
		run_read(m, rd->msg->conn, &cmd, desc, args);
		json_decref(args);
	}
	read_free(m, rd);
}

static void read_refuse(struct mon *m, struct mon_read *rd, const char *why)
{
	struct mon_command cmd;

	if (mon_command_decode(rd->msg->data, rd->msg->len, &cmd) == 0)
		mon_server_reply(rd->msg->conn, cmd.tid, -EAGAIN, why, NULL, 0, "");
	read_free(m, rd);
}

static void on_read_check(uv_check_t *h)
{
	mon_server_reads_poll(h->data);
}

void mon_server_reads_poll(struct mon *m)
{
	uint64_t now = mon_now_ms();
	raft_index applied = m->raft_started ? raft_last_applied(&m->raft) : 0;
	struct mon_read *rd, *next;

	for (rd = m->reads; rd; rd = next) {
		next = rd->next;
		if (rd->wait_index && applied >= rd->wait_index && mon_state_ready(m))
			read_serve(m, rd);
		else if (now >= rd->deadline_ms)
			read_refuse(m, rd, "timed out waiting to catch up with the leader; retry");
	}
}

void mon_server_drop_reads(struct mon *m)
{
	while (m->reads)
		read_free(m, m->reads);
}

/* Hold a read and ask the leader how far we must apply first. */
static void read_hold(struct mon *m, struct msgr_conn *conn, struct msgr_msg *msg,
		      uint64_t tid)
{
	int lr = mon_leader_rank(m);
	struct mon_read *rd;
	struct enc_buf b;
	size_t mark;
	int r = -ENOMEM;

	rd = calloc(1, sizeof(*rd));
	if (!rd)
		goto out_refuse;
	if (!m->reads)
		uv_check_start(&m->read_check, on_read_check);
	rd->id = ++m->next_read_id;
	rd->deadline_ms = mon_now_ms() + MON_READ_TIMEOUT_MS;
	msgr_msg_get(msg);
	rd->msg = msg;
	rd->next = m->reads;
	m->reads = rd;
	enc_buf_init(&b);
	mark = enc_start(&b, 1, 1);
	enc_put_u64(&b, rd->id);
	r = enc_finish(&b, mark);
	if (!r)
		r = lr >= 0 && m->peers[lr].conn ?
			msgr_send(m->peers[lr].conn, MON_MSG_PEER_READINDEX, b.data, b.len) :
			-ENOTCONN;
	enc_buf_release(&b);
	if (r)
		read_refuse(m, rd, "cannot reach the leader; retry");
	return;
out_refuse:
	mon_server_reply(conn, tid, -EAGAIN, "out of memory; retry", NULL, 0, "");
}

/* The leader's side: our commit index, if we are the leader in charge. */
static void handle_readindex(struct mon *m, struct msgr_conn *conn, const struct msgr_msg *msg)
{
	struct dec_cursor c, sub;
	struct enc_buf b;
	uint64_t id;
	size_t mark;
	uint8_t v;
	bool ok = mon_is_leader(m) && m->barrier_done;

	dec_init(&c, msg->data, msg->len);
	if (dec_start(&c, 1, &v, &sub))
		return;
	id = dec_u64(&sub);
	if (dec_finish(&c, &sub))
		return;
	enc_buf_init(&b);
	mark = enc_start(&b, 1, 1);
	enc_put_u64(&b, id);
	enc_put_u64(&b, ok ? (uint64_t)m->raft.commit_index : 0);
	enc_put_u8(&b, ok);
	if (enc_finish(&b, mark) == 0)
		msgr_send(conn, MON_MSG_PEER_READINDEX_REPLY, b.data, b.len);
	enc_buf_release(&b);
}

static void handle_readindex_reply(struct mon *m, const struct msgr_msg *msg)
{
	struct dec_cursor c, sub;
	uint64_t id, index;
	uint8_t v, ok;

	dec_init(&c, msg->data, msg->len);
	if (dec_start(&c, 1, &v, &sub))
		return;
	id = dec_u64(&sub);
	index = dec_u64(&sub);
	ok = dec_u8(&sub);
	if (dec_finish(&c, &sub))
		return;
	for (struct mon_read *rd = m->reads; rd; rd = rd->next) {
		if (rd->id != id)
			continue;
		if (!ok || !index)
			read_refuse(m, rd, "the leader is not ready; retry");
		else
			rd->wait_index = index;
		break;
	}
	mon_server_reads_poll(m);
}

static void handle_command(struct mon *m, struct msgr_conn *conn, struct msgr_msg *msg)
{
	const struct mon_cmd_desc *desc = NULL;
	struct mon_command cmd;
	struct mon_cmd c;
	json_t *args;
	char *text;
	int64_t sec;
	uint32_t nsec;
	int r;

	if (!parse_command(conn, msg, &cmd, &args, &desc))
		return;
	mon_log(10, "command from %s: %s", msgr_conn_peer_name(conn), cmd.cmd);
	if (!(desc->flags & MON_CMD_WRITE)) {
		if (!mon_in_quorum(m) || !mon_state_ready(m))
			refuse(m, conn, cmd.tid, false);
		else if (mon_is_leader(m))
			run_read(m, conn, &cmd, desc, args);
		else
			read_hold(m, conn, msg, cmd.tid);
		goto out_args;
	}
	if (!mon_is_leader(m) || !mon_in_quorum(m) || !mon_state_ready(m)) {
		refuse(m, conn, cmd.tid, true);
		goto out_args;
	}
	if (desc->normalize) {
		now_clock(&sec, &nsec);
		cmd_setup(m, args, cmd.in, cmd.inlen, sec, nsec, &c);
		/* the leader's own view of the PG statistics, for checks that
		 * must happen before the command is in the log */
		c.pgmap = &m->pgmap;
		c.mono_ms = mon_now_ms();
		r = desc->normalize(&c, m->conf);
		if (r || c.rc) {
			mon_server_reply(conn, cmd.tid, c.rc ? c.rc : r, c.outs, c.out.data,
					 c.out.len, "");
			enc_buf_release(&c.out);
			goto out_args;
		}
		enc_buf_release(&c.out);
	}
	text = json_dumps(args, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text) {
		mon_server_reply(conn, cmd.tid, -ENOMEM, "out of memory", NULL, 0, "");
		goto out_args;
	}
	r = mon_raft_propose(m, conn, cmd.tid, text, cmd.in, cmd.inlen);
	free(text);
	if (r)
		refuse(m, conn, cmd.tid, true);
out_args:
	json_decref(args);
}

/* ---- subscriptions ---- */

static struct mon_sub *sub_find(struct mon *m, struct msgr_conn *conn, bool create)
{
	struct mon_sub *s;

	for (s = m->subs; s; s = s->next)
		if (s->conn == conn)
			return s;
	if (!create)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->conn = msgr_conn_get(conn);
	s->next = m->subs;
	m->subs = s;
	return s;
}

static void sub_free(struct mon *m, struct mon_sub *s)
{
	for (struct mon_sub **pp = &m->subs; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	msgr_conn_put(s->conn);
	free(s);
}

void mon_server_drop_subs(struct mon *m)
{
	while (m->subs)
		sub_free(m, m->subs);
}

static int send_osdmap_entries(struct msgr_conn *conn, const struct mon_osdmap_entry *e,
			       size_t n)
{
	struct enc_buf b;
	uint8_t *data;
	size_t len;
	int r;

	enc_buf_init(&b);
	r = mon_osdmap_msg_encode(e, n, &b);
	if (r) {
		enc_buf_release(&b);
		return r;
	}
	data = enc_buf_detach(&b, &len);
	if (!data)
		return -ENOMEM;
	return msgr_send_take(conn, MON_MSG_OSDMAP, data, len);
}

/* Bring one osdmap subscriber up to the current epoch. */
static int sub_push_osdmap(struct mon *m, struct mon_sub *s)
{
	const struct mon_state *st = &m->st;
	uint32_t cur = st->osdmap->epoch;
	struct mon_osdmap_entry batch[OSDMAP_BATCH];
	int r;

	if (cur == 0 || (s->osdmap_next && s->osdmap_next > cur))
		return 0;
	if (s->osdmap_next == 0 || s->osdmap_next <= st->oldest_inc) {
		/* Too old (or asked for the latest): the full current map. */
		struct enc_buf b;
		struct mon_osdmap_entry e = { .epoch = cur, .full = 1 };
		enc_buf_init(&b);
		r = osdmap_encode(st->osdmap, &b);
		if (!r) {
			e.blob = b.data;
			e.len = b.len;
			r = send_osdmap_entries(s->conn, &e, 1);
		}
		enc_buf_release(&b);
		if (r)
			return r;
		s->osdmap_next = cur + 1;
		return 0;
	}
	while (s->osdmap_next <= cur) {
		size_t n = 0;
		while (n < OSDMAP_BATCH && s->osdmap_next + n <= cur) {
			size_t i = s->osdmap_next + n - st->oldest_inc - 1;
			batch[n].epoch = s->osdmap_next + (uint32_t)n;
			batch[n].full = 0;
			batch[n].blob = st->inc_blobs[i];
			batch[n].len = st->inc_lens[i];
			n++;
		}
		r = send_osdmap_entries(s->conn, batch, n);
		if (r)
			return r;
		s->osdmap_next += (uint32_t)n;
	}
	return 0;
}

static int sub_push_monmap(struct mon *m, struct mon_sub *s)
{
	struct enc_buf b;
	uint8_t *data;
	size_t len;

	if (s->monmap_sent == m->st.monmap->epoch && s->monmap_sent)
		return 0;
	enc_buf_init(&b);
	if (monmap_encode(m->st.monmap, &b)) {
		enc_buf_release(&b);
		return -ENOMEM;
	}
	data = enc_buf_detach(&b, &len);
	if (!data)
		return -ENOMEM;
	s->monmap_sent = m->st.monmap->epoch;
	return msgr_send_take(s->conn, MON_MSG_MONMAP, data, len);
}

/* Push what each subscriber lacks; drop one-time subscriptions served. */
static void subs_push(struct mon *m)
{
	struct mon_sub *s, *next;

	if (!mon_state_ready(m))
		return;
	for (s = m->subs; s; s = next) {
		next = s->next;
		if (s->osdmap) {
			uint32_t before = s->osdmap_next;
			if (sub_push_osdmap(m, s) == 0 && s->osdmap_onetime &&
			    s->osdmap_next != before)
				s->osdmap = false;
		}
		if (s->monmap) {
			uint32_t before = s->monmap_sent;
			if (sub_push_monmap(m, s) == 0 && s->monmap_onetime &&
			    s->monmap_sent != before)
				s->monmap = false;
		}
		if (!s->osdmap && !s->monmap)
			sub_free(m, s);
	}
}

void mon_server_state_changed(struct mon *m)
{
	subs_push(m);
}

static void handle_subscribe(struct mon *m, struct msgr_conn *conn, const struct msgr_msg *msg)
{
	struct mon_subscribe req;
	struct mon_sub *s;

	if (mon_subscribe_decode(msg->data, msg->len, &req)) {
		mon_log(1, "malformed subscribe from %s", msgr_conn_peer_name(conn));
		return;
	}
	s = sub_find(m, conn, true);
	if (!s)
		return;
	if (strcmp(req.what, "osdmap") == 0) {
		s->osdmap = true;
		s->osdmap_onetime = req.onetime;
		s->osdmap_next = req.start;
	} else if (strcmp(req.what, "monmap") == 0) {
		s->monmap = true;
		s->monmap_onetime = req.onetime;
		/* start > epoch: only later changes; otherwise the map now. */
		s->monmap_sent = req.start > m->st.monmap->epoch ? m->st.monmap->epoch : 0;
	} else {
		mon_log(5, "subscription to unknown map '%s' ignored", req.what);
	}
	if (!s->osdmap && !s->monmap) {
		sub_free(m, s);
		return;
	}
	subs_push(m);
}

/* ---- PG statistics from the OSDs ---- */

/* Kept by every monitor, leader or not: they are not replicated. */
static void handle_pg_stats(struct mon *m, struct msgr_conn *conn, const struct msgr_msg *msg)
{
	struct mon_pg_stats s;
	int r = mon_pg_stats_decode(msg->data, msg->len, &s);

	if (r) {
		mon_log(1, "malformed pg stats from %s: %s", msgr_conn_peer_name(conn),
			strerror(-r));
		return;
	}
	/* An OSD speaks for itself only (tools may speak for any). */
	if (strncmp(msgr_conn_peer_name(conn), "osd.", 4) == 0 &&
	    strtol(msgr_conn_peer_name(conn) + 4, NULL, 10) != s.osd) {
		mon_log(1, "pg stats from %s claim to be osd.%d; dropped",
			msgr_conn_peer_name(conn), s.osd);
		free(s.pgs);
		return;
	}
	r = mon_pgmap_report(&m->pgmap, &s, mon_now_ms());
	if (r)
		mon_log(1, "pg stats from %s (osd.%d) dropped: %s", msgr_conn_peer_name(conn),
			s.osd, strerror(-r));
	free(s.pgs);
}

/* ---- peer pings (the quorum view) ---- */

static void handle_ping(struct mon *m, const struct msgr_msg *msg)
{
	struct dec_cursor c, sub;
	uint32_t rank;
	uint64_t leader, mask;
	uint8_t v;

	dec_init(&c, msg->data, msg->len);
	if (dec_start(&c, 1, &v, &sub))
		return;
	rank = dec_u32(&sub);
	leader = dec_u64(&sub);
	mask = dec_u64(&sub);
	if (dec_finish(&c, &sub) || rank >= m->monmap.count || rank == m->rank)
		return;
	m->peers[rank].last_seen_ms = mon_now_ms();
	m->peers[rank].leader_id = leader;
	m->peers[rank].quorum_mask = mask;
}

static void server_on_message(struct msgr_conn *conn, struct msgr_msg *msg, void *arg)
{
	struct mon *m = arg;

	if (m->stopping)
		return;
	switch (msg->type) {
	case MON_MSG_COMMAND:
		handle_command(m, conn, msg);
		break;
	case MON_MSG_SUBSCRIBE:
		handle_subscribe(m, conn, msg);
		break;
	case MON_MSG_PG_STATS:
		handle_pg_stats(m, conn, msg);
		break;
	case MON_MSG_PEER_PING:
		handle_ping(m, msg);
		break;
	case MON_MSG_PEER_READINDEX:
		handle_readindex(m, conn, msg);
		break;
	default:
		mon_log(5, "unknown message type 0x%x from %s", msg->type,
			msgr_conn_peer_name(conn));
	}
}

static void server_on_reset(struct msgr_conn *conn, int err, void *arg)
{
	struct mon *m = arg;
	struct mon_sub *s = sub_find(m, conn, false);

	if (s)
		sub_free(m, s);
}

static void server_on_remote_reset(struct msgr_conn *conn, void *arg)
{
	/* A restarted client re-subscribes; forget what the old one had. */
	server_on_reset(conn, 0, arg);
}

const struct msgr_dispatch_ops mon_server_ops = {
	.on_message = server_on_message,
	.on_reset = server_on_reset,
	.on_remote_reset = server_on_remote_reset,
};

/* Our sessions to the peers: only ReadIndex answers come back. */
static void peer_on_message(struct msgr_conn *conn, struct msgr_msg *msg, void *arg)
{
	struct mon *m = arg;

	if (!m->stopping && msg->type == MON_MSG_PEER_READINDEX_REPLY)
		handle_readindex_reply(m, msg);
}

const struct msgr_dispatch_ops mon_peer_ops = {
	.on_message = peer_on_message,
};
