/*
 * The monitor's lifecycle and its quorum view.  mon_run() loads the data
 * folder written by mon_mkfs(), binds the client messenger on the
 * monitor's monmap address, starts Raft on the Raft address, and runs one
 * uv loop until SIGTERM/SIGINT.  Every tick each monitor pings its peers
 * (their client address, MON_MSG_PEER_PING) with its view of the leader;
 * the leader's quorum is itself plus the peers that pinged lately naming
 * it, and the followers learn that quorum from the leader's pings.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/config.h"
#include "mon/mon.h"
#include "mon/mon_internal.h"

uint64_t mon_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool mon_state_ready(const struct mon *m)
{
	return m->st.osdmap && m->st.osdmap->epoch > 0;
}

bool mon_is_leader(struct mon *m)
{
	return m->raft_started && raft_state(&m->raft) == RAFT_LEADER;
}

int mon_leader_rank(struct mon *m)
{
	const char *addr = NULL;
	raft_id id = 0;

	if (!m->raft_started)
		return -1;
	raft_leader(&m->raft, &id, &addr);
	if (id == 0 || id > m->monmap.count)
		return -1;
	return (int)(id - 1);
}

static bool peer_alive(struct mon *m, size_t rank, uint64_t now)
{
	const struct mon_peer *p = &m->peers[rank];

	return p->last_seen_ms && now - p->last_seen_ms < MON_PEER_TIMEOUT_MS;
}

size_t mon_reachable(struct mon *m)
{
	uint64_t now = mon_now_ms();
	size_t n = 1;

	for (size_t i = 0; i < m->monmap.count; i++)
		if (i != m->rank && peer_alive(m, i, now))
			n++;
	return n;
}

void mon_rank_addr(struct mon *m, int rank, char *buf, size_t len)
{
	buf[0] = 0;
	if (rank < 0 || (size_t)rank >= m->monmap.count)
		return;
	monmap_sockaddr_format(&monmap_mon_addr(&m->monmap.mons[rank])->sa, buf, len);
}

bool mon_in_quorum(struct mon *m)
{
	if (mon_leader_rank(m) < 0)
		return false;
	if (mon_is_leader(m))
		return m->barrier_done;
	return m->rank < 64 && (m->quorum_mask & (1ull << m->rank));
}

/* Recompute the quorum view (ranks >= 64 are not tracked: far beyond any
 * real monitor count). */
static void quorum_update(struct mon *m)
{
	uint64_t now = mon_now_ms(), mask = 0;
	int lr = mon_leader_rank(m);

	if (lr >= 0 && (size_t)lr == m->rank && mon_is_leader(m)) {
		mask = 1ull << m->rank;
		for (size_t i = 0; i < m->monmap.count && i < 64; i++)
			if (i != m->rank && peer_alive(m, i, now) &&
			    m->peers[i].leader_id == (uint64_t)m->rank + 1)
				mask |= 1ull << i;
	} else if (lr >= 0 && peer_alive(m, (size_t)lr, now)) {
		mask = m->peers[lr].quorum_mask;
	}
	if (mask != m->quorum_mask) {
		char list[256] = "";
		size_t off = 0;
		for (size_t i = 0; i < 64 && i < m->monmap.count; i++)
			if (mask & (1ull << i))
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							off ? "," : "", m->monmap.mons[i].name);
		mon_log(1, "quorum %s (leader %s)", mask ? list : "(none)",
			lr >= 0 ? m->monmap.mons[lr].name : "none");
	}
	m->quorum_mask = mask;
	m->quorum_len = 0;
	for (size_t i = 0; i < 64 && i < m->monmap.count; i++)
		if (mask & (1ull << i))
			m->quorum[m->quorum_len++] = (int)i;
}

static void send_pings(struct mon *m)
{
	int lr = mon_leader_rank(m);
	struct enc_buf b;
	size_t mark;

	enc_buf_init(&b);
	mark = enc_start(&b, 1, 1);
	enc_put_u32(&b, (uint32_t)m->rank);
	enc_put_u64(&b, lr >= 0 ? (uint64_t)lr + 1 : 0);
	enc_put_u64(&b, mon_is_leader(m) ? m->quorum_mask : 0);
	if (enc_finish(&b, mark) == 0) {
		for (size_t i = 0; i < m->monmap.count; i++)
			if (m->peers[i].conn)
				msgr_send(m->peers[i].conn, MON_MSG_PEER_PING, b.data, b.len);
	}
	enc_buf_release(&b);
}

static void on_tick(uv_timer_t *t)
{
	struct mon *m = t->data;

	if (m->stopping)
		return;
	mon_raft_tick(m);
	quorum_update(m);
	send_pings(m);
	mon_server_reads_poll(m);
}

static void mon_stop(struct mon *m)
{
	if (m->stopping)
		return;
	m->stopping = true;
	mon_log(1, "shutting down");
	uv_timer_stop(&m->tick);
	uv_close((uv_handle_t *)&m->tick, NULL);
	uv_close((uv_handle_t *)&m->sigterm, NULL);
	uv_close((uv_handle_t *)&m->sigint, NULL);
	mon_server_drop_reads(m);
	uv_close((uv_handle_t *)&m->read_check, NULL);
	mon_server_drop_subs(m);
	if (m->raft_started)
		mon_raft_close(m);
	/* The messengers' handles keep the loop alive: destroy them now so
	 * uv_run() returns once Raft and they have closed. */
	for (size_t i = 0; m->peers && i < m->monmap.count; i++) {
		if (m->peers[i].conn)
			msgr_conn_put(m->peers[i].conn);
		m->peers[i].conn = NULL;
	}
	if (m->peer_msgr)
		msgr_destroy(m->peer_msgr);
	if (m->msgr)
		msgr_destroy(m->msgr);
	m->peer_msgr = m->msgr = NULL;
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct mon *m = h->data;

	mon_log(1, "received signal %d (%s)", signum, strsignal(signum));
	mon_stop(m);
}

/* ---- loading the data folder ---- */

static int read_file(const char *path, uint8_t **out, size_t *len)
{
	struct stat sb;
	uint8_t *buf;
	ssize_t n;
	size_t got = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0) {
		r = -errno;
		goto out_close;
	}
	r = -EFBIG;
	if (sb.st_size > (1 << 30))
		goto out_close;
	buf = malloc((size_t)sb.st_size + 1);
	r = -ENOMEM;
	if (!buf)
		goto out_close;
	while (got < (size_t)sb.st_size) {
		n = read(fd, buf + got, (size_t)sb.st_size - got);
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			free(buf);
			goto out_close;
		}
		got += (size_t)n;
	}
	*out = buf;
	*len = got;
	r = 0;
out_close:
	close(fd);
	return r;
}

static int lock_data_dir(struct mon *m, int *fd_out, char *err, size_t errlen)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/lock", m->data_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int r = -errno;
		snprintf(err, errlen, "%s is in use by another ceph-mon", m->data_dir);
		close(fd);
		return r == -EWOULDBLOCK ? -EBUSY : r;
	}
	*fd_out = fd;
	return 0;
}

static int load(struct mon *m, char *err, size_t errlen)
{
	char path[4200];
	int r;

	snprintf(path, sizeof(path), "%s/monmap", m->data_dir);
	r = monmap_read_file(&m->monmap, path);
	if (r) {
		snprintf(err, errlen, "cannot read %s: %s (did you run ceph-mon --mkfs -i %s?)",
			 path, strerror(-r), m->id);
		return r;
	}
	if (!monmap_find(&m->monmap, m->id, &m->rank)) {
		snprintf(err, errlen, "mon.%s is not in the monmap of %s", m->id, m->data_dir);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/genesis", m->data_dir);
	r = read_file(path, &m->genesis, &m->genesis_len);
	if (r) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-r));
		return r;
	}
	return 0;
}

static int write_pid_file(const char *path)
{
	char buf[32];
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	fputs(buf, f);
	if (fclose(f))
		return -errno;
	return 0;
}

/* Tell the parent of a daemonized monitor how the start went: an int
 * (0 or -errno), then the reason as text. */
static void report_ready(int fd, int r, const char *why)
{
	if (fd >= 0) {
		ssize_t n = write(fd, &r, sizeof(r));
		if (n == (ssize_t)sizeof(r) && r && why)
			n = write(fd, why, strlen(why));
		(void)n;
		close(fd);
	}
}

static int start_messengers(struct mon *m, char *err, size_t errlen)
{
	const struct monmap_addr *ma = monmap_mon_addr(&m->monmap.mons[m->rank]);
	struct msgr_addr addr, bound;
	struct msgr_opts o;
	char text[MSGR_ADDR_STRLEN];
	int r;

	msgr_opts_init(&o);
	o.name = m->entity;
	o.loop = &m->loop;
	o.dispatch = &mon_server_ops;
	o.dispatch_arg = m;
	o.linger_ms = 60 * 1000;
	r = msgr_create(&o, &m->msgr);
	if (r) {
		snprintf(err, errlen, "messenger: %s", strerror(-r));
		return r;
	}
	memset(&addr, 0, sizeof(addr));
	memcpy(&addr.ss, &ma->sa, sizeof(ma->sa));
	r = msgr_bind(m->msgr, &addr, &bound);
	if (r) {
		monmap_sockaddr_format(&ma->sa, text, sizeof(text));
		snprintf(err, errlen, "cannot bind %s: %s", text, strerror(-r));
		return r;
	}
	msgr_addr_format(&bound, text, sizeof(text));
	mon_log(1, "mon.%s rank %zu listening on %s", m->id, m->rank, text);

	/* Pings out: a small unacked budget, so a dead peer costs nothing. */
	msgr_opts_init(&o);
	o.name = m->entity;
	o.loop = &m->loop;
	o.dispatch = &mon_peer_ops;
	o.dispatch_arg = m;
	o.conn_out_max_bytes = 16 * 1024;
	o.backoff_min_ms = 50;
	o.backoff_max_ms = 500;
	r = msgr_create(&o, &m->peer_msgr);
	if (r) {
		snprintf(err, errlen, "peer messenger: %s", strerror(-r));
		return r;
	}
	for (size_t i = 0; i < m->monmap.count; i++) {
		if (i == m->rank)
			continue;
		memset(&addr, 0, sizeof(addr));
		memcpy(&addr.ss, &monmap_mon_addr(&m->monmap.mons[i])->sa, sizeof(addr.ss));
		r = msgr_connect(m->peer_msgr, &addr, &m->peers[i].conn);
		if (r)
			mon_log(1, "cannot reach mon.%s: %s", m->monmap.mons[i].name, strerror(-r));
	}
	return 0;
}

int mon_run(struct conf *conf, const struct mon_run_opts *o, char *err, size_t errlen)
{
	struct mon *m;
	char *log_file = NULL;
	bool to_stderr = o->log_to_stderr, loop_ok = false;
	int lock_fd = -1, r;

	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		report_ready(o->ready_fd, -ENOMEM, "out of memory");
		return -ENOMEM;
	}
	m->conf = conf;
	monmap_init(&m->monmap);
	mon_pgmap_init(&m->pgmap);
	r = mon_state_init(&m->st);
	if (r)
		goto out_free;
	if (conf_get_id(conf, m->id, sizeof(m->id)) || conf_get_name(conf, m->entity,
								     sizeof(m->entity)) ||
	    conf_get(conf, "mon_data", m->data_dir, sizeof(m->data_dir))) {
		snprintf(err, errlen, "bad monitor name or mon_data");
		r = -EINVAL;
		goto out_free;
	}
	r = load(m, err, errlen);
	if (r)
		goto out_free;
	r = lock_data_dir(m, &lock_fd, err, errlen);
	if (r)
		goto out_free;
	if (!to_stderr) {
		bool b = false;
		if (conf_get_bool(conf, "log_to_stderr", &b) == 0 && b)
			to_stderr = true;
	}
	if (conf_get_alloc(conf, "log_file", &log_file) == 0 && log_file[0]) {
		/* As Ceph: a log file that cannot be opened is not fatal. */
		r = mon_log_open(log_file, to_stderr);
		if (r)
			fprintf(stderr, "ceph-mon: unable to open log file %s: %s\n", log_file,
				strerror(-r));
	} else {
		mon_log_open(NULL, to_stderr);
	}
	m->peers = calloc(m->monmap.count, sizeof(*m->peers));
	r = -ENOMEM;
	if (!m->peers)
		goto out_log;
	{
		uint8_t u[16];
		if (monmap_uuid_generate(u) == 0)
			memcpy(&m->nonce, u, sizeof(m->nonce));
		else
			m->nonce = (uint64_t)getpid() << 32 ^ mon_now_ms();
	}
	r = -uv_loop_init(&m->loop);
	if (r) {
		snprintf(err, errlen, "uv_loop_init: %s", strerror(-r));
		goto out_log;
	}
	loop_ok = true;
	signal(SIGPIPE, SIG_IGN);
	uv_timer_init(&m->loop, &m->tick);
	m->tick.data = m;
	uv_check_init(&m->loop, &m->read_check);
	m->read_check.data = m;
	uv_signal_init(&m->loop, &m->sigterm);
	uv_signal_init(&m->loop, &m->sigint);
	m->sigterm.data = m->sigint.data = m;
	uv_signal_start(&m->sigterm, on_signal, SIGTERM);
	uv_signal_start(&m->sigint, on_signal, SIGINT);

	r = start_messengers(m, err, errlen);
	if (r)
		goto out_stop;
	r = mon_raft_init(m, err, errlen);
	if (r)
		goto out_stop;
	r = mon_raft_start(m, err, errlen);
	if (r) {
		m->raft_started = true; /* initialised: raft_close() must run */
		goto out_stop;
	}
	if (o->pid_file && o->pid_file[0]) {
		r = write_pid_file(o->pid_file);
		if (r) {
			snprintf(err, errlen, "cannot write pid file %s: %s", o->pid_file,
				 strerror(-r));
			goto out_stop;
		}
	}
	uv_timer_start(&m->tick, on_tick, MON_TICK_MS, MON_TICK_MS);
	mon_log(1, "mon.%s starting (rank %zu of %zu, data %s)", m->id, m->rank,
		m->monmap.count, m->data_dir);
	report_ready(o->ready_fd, 0, NULL);
	uv_run(&m->loop, UV_RUN_DEFAULT);
	r = 0;
	goto out_stop;

out_stop:
	if (r) {
		mon_log(-1, "%s", err);
		report_ready(o->ready_fd, r, err);
	}
	mon_stop(m);
	uv_run(&m->loop, UV_RUN_DEFAULT);
	/* Writes Raft dropped without calling back. */
	while (m->pending) {
		struct mon_pending *p = m->pending;
		m->pending = p->next;
		msgr_conn_put(p->conn);
		free(p->out);
		free(p);
	}
	if (o->pid_file && o->pid_file[0] && r == 0)
		unlink(o->pid_file);
	mon_log(1, "mon.%s stopped", m->id);
out_log:
	if (loop_ok && uv_loop_close(&m->loop))
		mon_log(-1, "event loop still has open handles at exit");
	mon_log_close();
	free(m->peers);
	close(lock_fd);
out_free:
	if (r && !loop_ok)
		report_ready(o->ready_fd, r, err);
	free(log_file);
	free(m->genesis);
	mon_state_release(&m->st);
	mon_pgmap_release(&m->pgmap);
	monmap_release(&m->monmap);
	free(m);
	return r;
}
