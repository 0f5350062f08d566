/*
 * The OSD daemon: opens its store, binds its messenger, boots with the
 * monitors (`osd boot`), follows the osdmap and hands each epoch to the
 * shards (shard.c), decodes incoming messages on the messenger's loop
 * thread and queues them to the shard owning their PG, keeps connections
 * to peer OSDs, and runs the tick (heartbeats, PG stats) on the main
 * thread until SIGTERM/SIGINT, when it tells the monitors it is going
 * down (`osd down`) and stops.
 *
 * Threads: the main thread (boot, tick, signals), the messenger's loop
 * thread (decode and queue; PING answered in place), monc's thread
 * (on_map: queue the map to every shard), and one worker per shard.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <jansson.h>
#include <malloc.h>

#include "common/config.h"
#include "mon/mon_proto.h"
#include "osd/internal.h"
#include "osd/osd.h"
#include "osdc/monc.h"
#include "osdmap/placement.h"

#define BOOT_TIMEOUT_MS 30000
#define TICK_MS 500
#define STATS_INTERVAL_NS (2ull * 1000000000ull)

uint64_t osd__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct osdmap *osd__map(struct osd *osd)
{
	struct osdmap *m;

	pthread_mutex_lock(&osd->map_lock);
	m = osd->map ? osdmap_get(osd->map) : NULL;
	pthread_mutex_unlock(&osd->map_lock);
	return m;
}

static uint32_t map_epoch(struct osd *osd)
{
	uint32_t e;

	pthread_mutex_lock(&osd->map_lock);
	e = osd->map ? osd->map->epoch : 0;
	pthread_mutex_unlock(&osd->map_lock);
	return e;
}

/* ---- peers ---- */

struct msgr_conn *osd__peer_conn(struct osd *osd, int id, const struct osdmap *map)
{
	const struct osdmap_addr *a;
	struct msgr_addr addr;
	struct msgr_conn *c = NULL;
	struct osd_peer *p;

	if (!map || id < 0 || id == osd->whoami || !osdmap_is_up(map, id))
		return NULL;
	a = map->osds[id].cluster_addr.addr[0] ? &map->osds[id].cluster_addr
					       : &map->osds[id].public_addr;
	if (!a->addr[0] || msgr_addr_parse(a->addr, 0, &addr))
		return NULL;
	pthread_mutex_lock(&osd->peers_lock);
	if (id >= osd->n_peers) {
		int n = id + 16;
		struct osd_peer *np = realloc(osd->peers, (size_t)n * sizeof(*np));

		if (!np)
			goto out_unlock;
		memset(np + osd->n_peers, 0, (size_t)(n - osd->n_peers) * sizeof(*np));
		osd->peers = np;
		osd->n_peers = n;
	}
	p = &osd->peers[id];
	if (p->conn && (strcmp(p->addr, a->addr) || p->nonce != a->nonce)) {
		/* It restarted (or moved): a fresh session, so nothing queued
		 * for the old instance reaches the new one out of order. */
		dout(1, "osd.%d is now at %s (nonce %u): new connection", id, a->addr, a->nonce);
		msgr_conn_close(p->conn);
		msgr_conn_put(p->conn);
		p->conn = NULL;
	}
	if (!p->conn) {
		if (msgr_connect(osd->msgr, &addr, &p->conn)) {
			p->conn = NULL;
			goto out_unlock;
		}
		snprintf(p->addr, sizeof(p->addr), "%s", a->addr);
		p->nonce = a->nonce;
		p->last_rx_ns = p->last_tx_ns = p->first_tx_ns = 0;
		p->reported_slow = false;
	}
	c = msgr_conn_get(p->conn);
out_unlock:
	pthread_mutex_unlock(&osd->peers_lock);
	return c;
}

/* ---- waiting for maps ---- */

static struct osd_shard *item_shard(struct osd *osd, struct osd_item *it,
				    const struct osdmap *map)
{
	int64_t pool = 0;
	uint32_t ps = 0;

	switch (it->type) {
	case OSD_ITEM_OP: {
		const struct osd_op_msg *m = &it->u.op;
		const struct osdmap_pool *p = map ? osdmap_pool_by_id(map, m->pool) : NULL;
		bool pgls = false;

		for (size_t i = 0; i < m->n_ops; i++)
			pgls |= m->ops[i].op == OSD_OP_PGLS;
		pool = m->pool;
		if (pgls)
			ps = m->ps;
		else if (p)
			ps = pg_of_hash(object_hash(m->nspace, m->key, m->oid), p->pg_num);
		break;
	}
	case OSD_ITEM_REPOP:
		pool = it->u.repop.pool;
		ps = it->u.repop.ps;
		break;
	case OSD_ITEM_REPOP_REPLY:
		pool = it->u.rr.pool;
		ps = it->u.rr.ps;
		break;
	case OSD_ITEM_MAP:
		break;
	}
	return &osd->shards[osd__shard_of(osd, pool, ps)];
}

void osd__wait_for_map(struct osd *osd, struct osd_item *it, uint32_t epoch)
{
	struct monc *mc = atomic_load(&osd->monc);
	struct osdmap *map;

	pthread_mutex_lock(&osd->wait_lock);
	map = osd__map(osd);
	if (map && map->epoch >= epoch) {
		/* Already here: the shard's MAP item is queued ahead of it. */
		pthread_mutex_unlock(&osd->wait_lock);
		osd__enqueue(item_shard(osd, it, map), it);
		osdmap_put(map);
		return;
	}
	it->need_epoch = epoch;
	it->next = NULL;
	if (osd->wait_map_tail)
		osd->wait_map_tail->next = it;
	else
		osd->wait_map = it;
	osd->wait_map_tail = it;
	pthread_mutex_unlock(&osd->wait_lock);
	osdmap_put(map);
	if (mc)
		monc_want_epoch(mc, epoch);
}

static void on_map(struct osdmap *map, void *arg)
{
	struct osd *osd = arg;
	struct osd_item *keep = NULL, *keep_tail = NULL, *ready, *it;
	struct osdmap *old;

	if (atomic_load(&osd->stopping))
		return;
	dout(5, "osdmap e%u", map->epoch);
	/* MAP items first, so anything requeued below runs after them. */
	for (unsigned i = 0; i < osd->n_shards; i++) {
		it = calloc(1, sizeof(*it));
		if (!it) {
			dout(0, "out of memory queueing e%u", map->epoch);
			abort();
		}
		it->type = OSD_ITEM_MAP;
		it->map = osdmap_get(map);
		osd__enqueue(&osd->shards[i], it);
	}
	pthread_mutex_lock(&osd->wait_lock);
	pthread_mutex_lock(&osd->map_lock);
	old = osd->map;
	osd->map = osdmap_get(map);
	pthread_mutex_unlock(&osd->map_lock);
	ready = osd->wait_map;
	osd->wait_map = osd->wait_map_tail = NULL;
	while ((it = ready)) {
		ready = it->next;
		it->next = NULL;
		if (it->need_epoch <= map->epoch) {
			osd__enqueue(item_shard(osd, it, map), it);
			continue;
		}
		if (keep_tail)
			keep_tail->next = it;
		else
			keep = it;
		keep_tail = it;
	}
	osd->wait_map = keep;
	osd->wait_map_tail = keep_tail;
	pthread_mutex_unlock(&osd->wait_lock);
	osdmap_put(old);
}

/* ---- the messenger ---- */

static void on_message(struct msgr_conn *c, struct msgr_msg *m, void *arg)
{
	struct osd *osd = arg;
	struct osd_item *it;
	struct osdmap *map;
	int r = 0;

	if (atomic_load(&osd->stopping))
		return;
	if (m->type == OSD_MSG_PING || m->type == OSD_MSG_PING_REPLY) {
		osd__heartbeat_rx(osd, c, m);
		return;
	}
	if ((m->type == OSD_MSG_REPOP || m->type == OSD_MSG_REPOP_REPLY) &&
	    strncmp(msgr_conn_peer_name(c), "osd.", 4)) {
		/* Only OSDs replicate (names are not authenticated before
		 * cephx: this is hygiene, not security). */
		dout(0, "replication message from %s; closing the connection",
		     msgr_conn_peer_name(c));
		msgr_conn_close(c);
		return;
	}
	it = calloc(1, sizeof(*it));
	if (!it)
		return; /* lossless sessions: this one is lost; the client times out */
	switch (m->type) {
	case OSD_MSG_OP:
		it->type = OSD_ITEM_OP;
		r = osd_op_msg_decode(m->data, m->len, &it->u.op);
		break;
	case OSD_MSG_REPOP:
		it->type = OSD_ITEM_REPOP;
		r = osd_repop_decode(m->data, m->len, &it->u.repop);
		break;
	case OSD_MSG_REPOP_REPLY:
		it->type = OSD_ITEM_REPOP_REPLY;
		r = osd_repop_reply_decode(m->data, m->len, &it->u.rr);
		break;
	default:
		dout(1, "unknown message type 0x%x from %s; ignored", m->type,
		     msgr_conn_peer_name(c));
		free(it);
		return;
	}
	if (r) {
		/* Malformed: that connection only goes. */
		dout(0, "malformed message 0x%x (%u bytes) from %s: %s; closing the connection",
		     m->type, m->len, msgr_conn_peer_name(c), strerror(-r));
		free(it);
		msgr_conn_close(c);
		return;
	}
	msgr_msg_get(m);
	it->msg = m;
	map = osd__map(osd);
	osd__enqueue(item_shard(osd, it, map), it);
	osdmap_put(map);
}

static const struct msgr_dispatch_ops dispatch_ops = {
	.on_message = on_message,
};

static int parse_bind_addr(struct osd *osd, char *err, size_t errlen)
{
	char buf[256], *p = buf, *slash;
	int r;

	if (conf_get(osd->conf, "public_addr", buf, sizeof(buf)) || !buf[0] ||
	    !strcmp(buf, "-"))
		snprintf(buf, sizeof(buf), "127.0.0.1");
	if (!strncmp(p, "v2:", 3) || !strncmp(p, "v1:", 3))
		p += 3;
	slash = strchr(p, '/');
	if (slash)
		*slash = 0;
	r = msgr_addr_parse(p, 0, &osd->addr);
	if (r)
		snprintf(err, errlen, "invalid public_addr '%s'", buf);
	return r;
}

static int bind_messenger(struct osd *osd, char *err, size_t errlen)
{
	struct msgr_opts o;
	int64_t lo = 6800, hi = 7300;
	struct msgr_addr bound;
	int r;

	msgr_opts_init(&o);
	o.name = osd->name;
	o.dispatch = &dispatch_ops;
	o.dispatch_arg = osd;
	o.max_frame = 256u << 20;
	/* What one connection may have us hold (received, not yet applied
	 * and answered) before we stop reading it: bounds the OSD's memory
	 * under 16 x 4 MiB writes to one object (fio) without costing
	 * bandwidth (BENCHMARKS.md). */
	o.conn_in_max_bytes = 16u << 20;
	r = msgr_create(&o, &osd->msgr);
	if (r) {
		snprintf(err, errlen, "cannot create the messenger: %s", strerror(-r));
		return r;
	}
	osd->nonce = (uint32_t)msgr_nonce(osd->msgr);
	r = parse_bind_addr(osd, err, errlen);
	if (r)
		return r;
	if (msgr_addr_port(&osd->addr)) {
		r = msgr_bind(osd->msgr, &osd->addr, &bound);
	} else {
		conf_get_int(osd->conf, "ms_bind_port_min", &lo);
		conf_get_int(osd->conf, "ms_bind_port_max", &hi);
		r = -EADDRINUSE;
		for (int64_t port = lo; port <= hi && port < 65536; port++) {
			struct msgr_addr a = osd->addr;

			if (a.ss.ss_family == AF_INET)
				((struct sockaddr_in *)&a.ss)->sin_port = htons((uint16_t)port);
			else
				((struct sockaddr_in6 *)&a.ss)->sin6_port = htons((uint16_t)port);
			r = msgr_bind(osd->msgr, &a, &bound);
			if (r != -EADDRINUSE && r != -EACCES)
				break;
		}
	}
	if (r) {
		msgr_addr_format(&osd->addr, osd->addr_str, sizeof(osd->addr_str));
		snprintf(err, errlen, "cannot bind %s (ports %" PRId64 "-%" PRId64 "): %s",
			 osd->addr_str, lo, hi, strerror(-r));
		return r;
	}
	osd->addr = bound;
	msgr_addr_format(&bound, osd->addr_str, sizeof(osd->addr_str));
	return 0;
}

/* ---- boot and shutdown ---- */

static bool map_has_us(struct osd *osd, const struct osdmap *map)
{
	const struct osdmap_osd *o;

	if (!map || !osdmap_is_up(map, osd->whoami))
		return false;
	o = &map->osds[osd->whoami];
	return !strcmp(o->public_addr.addr, osd->addr_str) && o->public_addr.nonce == osd->nonce;
}

static int wait_signal(int ms, const sigset_t *set)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	int sig = sigtimedwait(set, NULL, &ts);

	return sig > 0 ? sig : 0;
}

/*
 * The CRUSH device class of the disk under DIR, as Ceph's OSDs set it on
 * start: "nvme" for an NVMe device, "ssd" for any other non-rotational
 * one, else "hdd" (also when the disk cannot be told: tmpfs, overlays).
 * A partition's queue settings are its parent disk's.
 */
static const char *device_class_of(const char *dir)
{
	char path[128], link[512], rot[8] = "";
	const char *name;
	struct stat st;
	ssize_t n;
	FILE *f;

	if (stat(dir, &st) || major(st.st_dev) == 0)
		return "hdd";
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return "hdd";
	link[n] = 0;
	name = strrchr(link, '/');
	name = name ? name + 1 : link;
	if (!strncmp(name, "nvme", 4))
		return "nvme";
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/rotational", major(st.st_dev),
		 minor(st.st_dev));
	f = fopen(path, "r");
	if (!f) {
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../queue/rotational",
			 major(st.st_dev), minor(st.st_dev));
		f = fopen(path, "r");
	}
	if (!f)
		return "hdd";
	if (!fgets(rot, sizeof(rot), f))
		rot[0] = 0;
	fclose(f);
	return rot[0] == '0' ? "ssd" : "hdd";
}

static int boot(struct osd *osd, struct monc *mc, const sigset_t *sigs, char *err,
		size_t errlen)
{
	char cmd[1024], host[256] = "localhost", uuid[37];
	struct os_statfs sf = { 0 };
	uint64_t deadline = osd__now_ns() + (uint64_t)BOOT_TIMEOUT_MS * 1000000ull;
	int r = -ETIMEDOUT;

	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = 0;
	osdmap_uuid_str(osd->sb.osd_uuid, uuid);
	os_statfs(osd->store, &sf);
	{
		char loc[512] = "", dir[PATH_MAX] = "";
		bool update = true, update_class = true;
		json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:s, s:I, s:s, s:f}", "prefix", "osd boot",
				      "id", osd->whoami, "uuid", uuid, "public_addr", osd->addr_str,
				      "cluster_addr", osd->addr_str, "nonce", (json_int_t)osd->nonce,
				      "hostname", host, "weight",
				      (double)sf.total / (double)(1ull << 40));
		char *s;

		conf_get_bool(osd->conf, "osd_crush_update_on_start", &update);
		conf_get_bool(osd->conf, "osd_class_update_on_start", &update_class);
		if (j && update_class && conf_get(osd->conf, "osd_data", dir, sizeof(dir)) == 0)
			json_object_set_new(j, "device_class", json_string(device_class_of(dir)));
		if (j) {
			json_object_set_new(j, "update_crush", json_boolean(update));
			if (conf_get(osd->conf, "crush_location", loc, sizeof(loc)) == 0 && loc[0])
				json_object_set_new(j, "crush_location", json_string(loc));
		}
		s = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		if (!s) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		snprintf(cmd, sizeof(cmd), "%s", s);
		free(s);
	}
	while (osd__now_ns() < deadline) {
		struct monc_reply rep = { 0 };
		uint32_t epoch = 0;

		if (wait_signal(0, sigs))
			return -EINTR;
		r = monc_command(mc, cmd, NULL, 0, &rep, 10000);
		if (r == 0 && rep.rc == 0) {
			json_t *j = rep.out ? json_loadb((const char *)rep.out, rep.outlen, 0, NULL)
					    : NULL;
			json_t *e = j ? json_object_get(j, "epoch") : NULL;

			if (json_is_integer(e))
				epoch = (uint32_t)json_integer_value(e);
			json_decref(j);
			monc_reply_release(&rep);
			if (epoch)
				monc_wait_epoch(mc, epoch, 5000);
			for (int i = 0; i < 50 && !atomic_load(&osd->booted); i++) {
				struct osdmap *map = osd__map(osd);

				if (map_has_us(osd, map))
					atomic_store(&osd->booted, true);
				osdmap_put(map);
				if (!atomic_load(&osd->booted) && wait_signal(100, sigs))
					return -EINTR;
			}
			if (atomic_load(&osd->booted))
				return 0;
			dout(0, "booted at e%u but the map does not show us up yet; again", epoch);
			continue;
		}
		if (r == 0) {
			r = rep.rc;
			snprintf(err, errlen, "the monitors refused 'osd boot': %s (%s)",
				 rep.outs[0] ? rep.outs : "no reason given", strerror(-r));
			monc_reply_release(&rep);
			if (r != -EAGAIN && r != -ETIMEDOUT && r != -EBUSY)
				return r;
		} else {
			snprintf(err, errlen, "osd boot: %s", strerror(-r));
		}
		dout(0, "%s; retrying", err);
		if (wait_signal(1000, sigs))
			return -EINTR;
	}
	if (!err[0])
		snprintf(err, errlen, "the monitors did not mark us up within %d s",
			 BOOT_TIMEOUT_MS / 1000);
	return r ? r : -ETIMEDOUT;
}

static void mark_down(struct osd *osd, struct monc *mc)
{
	char cmd[128];
	struct monc_reply rep = { 0 };
	int r;

	snprintf(cmd, sizeof(cmd), "{\"prefix\":\"osd down\",\"ids\":[\"%d\"]}", osd->whoami);
	r = monc_command(mc, cmd, NULL, 0, &rep, 5000);
	if (r)
		dout(0, "could not tell the monitors we are going down: %s", strerror(-r));
	else if (rep.rc)
		dout(0, "osd down: %s", rep.outs);
	else
		dout(1, "marked down");
	if (r == 0)
		monc_reply_release(&rep);
}

/* ---- startup helpers ---- */

static int load_pgs(struct osd *osd, char *err, size_t errlen)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	r = os_collection_list(osd->store, &names, &n);
	if (r) {
		snprintf(err, errlen, "cannot list collections: %s", strerror(-r));
		return r;
	}
	for (size_t i = 0; i < n && !r; i++) {
		long long pool;
		unsigned ps;
		char tail[8];
		struct osd_pg *pg;

		if (sscanf(names[i], "%lld.%x_%5s", &pool, &ps, tail) != 3 || strcmp(tail, "head"))
			continue;
		r = osd__pg_create(osd, pool, ps, &pg);
		if (!r) {
			r = osd__pg_load(osd, pg);
			if (!r)
				r = osd__shard_pg_insert(&osd->shards[osd__shard_of(osd, pool, ps)], pg);
			if (r)
				osd__pg_destroy(pg);
		}
		if (r)
			snprintf(err, errlen, "cannot load pg %s: %s", names[i], strerror(-r));
		else
			dout(5, "loaded pg %s: last_update %u'%llu", pg->pgid,
			     pg->info.last_update.epoch,
			     (unsigned long long)pg->info.last_update.version);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

static int write_pid_file(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fprintf(f, "%d\n", (int)getpid());
	return fclose(f) ? -errno : 0;
}

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

static int log_level(struct conf *conf)
{
	char buf[32];

	if (conf_get(conf, "debug_osd", buf, sizeof(buf)))
		return 1;
	return atoi(buf);
}

static unsigned default_shards(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 2 ? 2 : n > 8 ? 8 : (unsigned)n;
}

static void read_options(struct osd *osd)
{
	uint64_t v;

	osd->max_object_size = OS_DEFAULT_MAX_OBJECT_SIZE;
	if (conf_get_size(osd->conf, "osd_max_object_size", &v) == 0 && v)
		osd->max_object_size = v;
	osd->hb_interval_ms = 6000;
	if (conf_get_secs(osd->conf, "osd_heartbeat_interval", &v) == 0 && v)
		osd->hb_interval_ms = v * 1000;
	osd->hb_grace_ms = 20000;
	if (conf_get_secs(osd->conf, "osd_heartbeat_grace", &v) == 0 && v)
		osd->hb_grace_ms = v * 1000;
	osd->max_pgls = 1024;
	if (conf_get_uint(osd->conf, "osd_max_pgls", &v) == 0 && v)
		osd->max_pgls = v;
	/* Each shard commits its queued writes as one batch (batch.c), so
	 * more shards than CPUs only adds context switches and smaller
	 * batches: measured on 2 CPUs, 2 shards gave 1.3x the 4K write
	 * IOPS of 8 (BENCHMARKS.md). */
	osd->n_shards = default_shards();
	if (conf_get_uint(osd->conf, "osd_op_num_shards", &v) == 0 && v && v <= 64)
		osd->n_shards = (unsigned)v;
}

static void tick(struct osd *osd, struct monc *mc, uint64_t *last_stats)
{
	uint64_t now = osd__now_ns();
	struct osdmap *map = osd__map(osd);

	osd__heartbeat_tick(osd);
	if (now - *last_stats >= STATS_INTERVAL_NS ||
	    (atomic_load(&osd->stats_dirty) && now - *last_stats >= STATS_INTERVAL_NS / 8)) {
		atomic_store(&osd->stats_dirty, false);
		osd__stats_send(osd);
		*last_stats = now;
		/* Large op buffers come and go; give the freed pages back so
		 * the OSD's RSS follows its working set. */
		malloc_trim(0);
	}
	if (atomic_load(&osd->booted) && map && !map_has_us(osd, map)) {
		/* Marked down (or our address is stale): boot again, as Ceph's
		 * OSD does when the map says it is down. */
		static uint32_t warned;
		if (warned != map->epoch) {
			dout(0, "map e%u says we are down; booting again", map->epoch);
			warned = map->epoch;
		}
		atomic_store(&osd->booted, false);
	}
	(void)mc;
	osdmap_put(map);
}

int osd_run(struct conf *conf, int whoami, const struct osd_run_opts *o, char *err,
	    size_t errlen)
{
	struct os_opts so = { 0 };
	struct osd *osd;
	struct monc *mc = NULL;
	struct monc_opts mo = { 0 };
	char dir[4096], logpath[4096] = "";
	uint64_t last_stats = 0;
	sigset_t sigs;
	int r;

	err[0] = 0;
	osd = calloc(1, sizeof(*osd));
	if (!osd) {
		snprintf(err, errlen, "out of memory");
		report_ready(o->ready_fd, -ENOMEM, err);
		return -ENOMEM;
	}
	osd->whoami = whoami;
	osd->conf = conf;
	snprintf(osd->name, sizeof(osd->name), "osd.%d", whoami);
	pthread_mutex_init(&osd->map_lock, NULL);
	pthread_mutex_init(&osd->wait_lock, NULL);
	pthread_mutex_init(&osd->peers_lock, NULL);
	read_options(osd);
	/* Few arenas: op buffers are freed by other threads than the ones
	 * that allocated them, and many arenas each keep their own slack. */
	mallopt(M_ARENA_MAX, 2);
	/* Op buffers (up to a 4 MiB object and its replicas' copies) come
	 * from the heap and are reused: served by mmap, each would be
	 * faulted in and zeroed page by page on every op (a third of the
	 * CPU of a 4 MiB write).  Free space above 16 MiB at the heap's top
	 * goes back at once (128 MiB kept peak RSS near 190 MiB under 4 MiB
	 * writes, 16 MiB about 130), and the stats tick trims the rest. */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 16 << 20);

	/* Signals go to the main thread only: block them before any thread
	 * exists, and wait for them with sigtimedwait() in the tick loop. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (conf_get(conf, "log_file", logpath, sizeof(logpath)))
		logpath[0] = 0;
	r = osd__log_open(logpath, o->log_to_stderr, log_level(conf));
	if (r) {
		/* As Ceph's daemons: a log that cannot be opened is no reason
		 * not to serve. */
		if (o->ready_fd < 0)
			fprintf(stderr, "ceph-osd: cannot open log file %s: %s\n", logpath,
				strerror(-r));
		r = 0;
	}
	r = conf_get(conf, "osd_data", dir, sizeof(dir));
	if (r) {
		snprintf(err, errlen, "osd_data: %s", strerror(-r));
		goto out_log;
	}
	if (access(dir, F_OK)) {
		snprintf(err, errlen, "no OSD data folder %s: run ceph-osd --mkfs -i %d first", dir,
			 whoami);
		r = -ENOENT;
		goto out_log;
	}
	so.max_object_size = osd->max_object_size;
	r = os_open(dir, &so, &osd->store);
	if (r) {
		snprintf(err, errlen, "cannot open the object store in %s: %s", dir, strerror(-r));
		goto out_log;
	}
	r = osd__superblock_read(osd->store, &osd->sb);
	if (r) {
		snprintf(err, errlen, "%s holds no OSD (%s): run ceph-osd --mkfs -i %d first", dir,
			 strerror(-r), whoami);
		goto out_store;
	}
	if (osd->sb.whoami != whoami) {
		snprintf(err, errlen, "%s holds osd.%d, not osd.%d", dir, osd->sb.whoami, whoami);
		r = -EINVAL;
		goto out_store;
	}
	osd->shards = calloc(osd->n_shards, sizeof(*osd->shards));
	if (!osd->shards) {
		r = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out_store;
	}
	for (unsigned i = 0; i < osd->n_shards; i++) {
		osd->shards[i].osd = osd;
		osd->shards[i].idx = i;
		pthread_mutex_init(&osd->shards[i].lock, NULL);
		pthread_cond_init(&osd->shards[i].cond, NULL);
		if (!r)
			r = osd__batch_init(&osd->shards[i]);
	}
	if (r) {
		snprintf(err, errlen, "out of memory");
		goto out_shards;
	}
	r = load_pgs(osd, err, errlen);
	if (r)
		goto out_shards;
	r = bind_messenger(osd, err, errlen);
	if (r)
		goto out_msgr;
	r = osd__shards_start(osd);
	if (r) {
		snprintf(err, errlen, "cannot start workers: %s", strerror(-r));
		goto out_workers;
	}
	dout(0, "osd.%d starting: data %s, listening on %s (nonce %u), %u shards", whoami, dir,
	     osd->addr_str, osd->nonce, osd->n_shards);
	mo.conf = conf;
	mo.name = osd->name;
	mo.timeout_ms = BOOT_TIMEOUT_MS;
	mo.on_map = on_map;
	mo.arg = osd;
	r = monc_create(&mo, &mc, err, errlen);
	if (r) {
		if (!err[0])
			snprintf(err, errlen, "cannot reach the monitors: %s", strerror(-r));
		goto out_workers;
	}
	atomic_store(&osd->monc, mc);
	{
		struct osdmap *map = monc_osdmap(mc);
		bool same = !memcmp(map->fsid, osd->sb.cluster_fsid, 16);
		char a[37], b[37];

		osdmap_uuid_str(map->fsid, a);
		osdmap_uuid_str(osd->sb.cluster_fsid, b);
		osdmap_put(map);
		if (!same) {
			snprintf(err, errlen, "the cluster's fsid is %s, this OSD belongs to %s", a, b);
			r = -EINVAL;
			goto out_monc;
		}
	}
	r = boot(osd, mc, &sigs, err, errlen);
	if (r) {
		if (r == -EINTR)
			snprintf(err, errlen, "interrupted while booting");
		goto out_monc;
	}
	dout(0, "osd.%d is up at e%u", whoami, map_epoch(osd));
	if (o->pid_file && o->pid_file[0]) {
		r = write_pid_file(o->pid_file);
		if (r) {
			snprintf(err, errlen, "cannot write pid file %s: %s", o->pid_file,
				 strerror(-r));
			goto out_monc;
		}
	}
	report_ready(o->ready_fd, 0, NULL);

	for (;;) {
		int sig = wait_signal(TICK_MS, &sigs);

		if (sig) {
			dout(0, "received signal %d: shutting down", sig);
			break;
		}
		tick(osd, mc, &last_stats);
		if (!atomic_load(&osd->booted)) {
			char berr[512] = "";
			int br = boot(osd, mc, &sigs, berr, sizeof(berr));
			if (br == -EINTR)
				break;
			if (br)
				dout(0, "boot again failed: %s", berr);
		}
	}
	mark_down(osd, mc);
	r = 0;
	if (o->pid_file && o->pid_file[0])
		unlink(o->pid_file);
out_monc:
	/* Workers first (they may ask monc for maps), then monc (whose
	 * on_map sees `stopping` and queues nothing more). */
	atomic_store(&osd->stopping, true);
	osd__shards_stop(osd);
	atomic_store(&osd->monc, NULL);
	monc_destroy(mc);
out_workers:
	atomic_store(&osd->stopping, true);
	osd__shards_stop(osd);
out_msgr:
	if (osd->msgr)
		msgr_destroy(osd->msgr);
	for (int i = 0; i < osd->n_peers; i++)
		if (osd->peers[i].conn)
			msgr_conn_put(osd->peers[i].conn);
	free(osd->peers);
	{
		struct osd_item *it = osd->wait_map;
		while (it) {
			struct osd_item *next = it->next;
			osd__item_free(it);
			it = next;
		}
	}
out_shards:
	osd__shards_release(osd);
	for (unsigned i = 0; i < osd->n_shards; i++) {
		pthread_mutex_destroy(&osd->shards[i].lock);
		pthread_cond_destroy(&osd->shards[i].cond);
	}
	free(osd->shards);
out_store:
	os_close(osd->store);
out_log:
	if (r)
		dout(0, "osd.%d: %s", whoami, err);
	else
		dout(0, "osd.%d stopped", whoami);
	osd__log_close();
	osdmap_put(osd->map);
	pthread_mutex_destroy(&osd->map_lock);
	pthread_mutex_destroy(&osd->wait_lock);
	pthread_mutex_destroy(&osd->peers_lock);
	free(osd);
	if (r)
		report_ready(o->ready_fd, r, err);
	return r;
}
