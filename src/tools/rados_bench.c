/*
 * `rados bench SECONDS write|seq|rand` and `rados cleanup`, in the format
 * of Ceph's rados bench so scripts that read one read the other: the
 * per-second lines, the every-20-seconds latency line, the summary, the
 * object names (benchmark_data_<host>_<pid>_object<N>), the contents
 * ("I'm the <N>th op!" then 'z's, which seq and rand verify) and the
 * run's metadata object (benchmark_last_metadata, or --run-name), which
 * seq, rand and cleanup read back:
 *
 *   u64 object_size | s32 ops written | s32 writer's pid | u64 op_size
 *
 * (little-endian, 24 bytes).  Op i of a run lives in object i / k at
 * offset (i % k) * op_size, k = object_size / op_size.
 *
 * The bench keeps `-t` aio operations in flight: librados completion
 * callbacks (on librados' threads) only queue the slot and signal; the
 * main thread harvests completions, issues the next op into each freed
 * slot, and prints a line every second.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tools/rados_cli.h"

#define BENCH_META_DEFAULT "benchmark_last_metadata"
#define BENCH_META_LEN 24
#define BENCH_HEADER                                                                        \
	"  sec Cur ops   started  finished  avg MB/s  cur MB/s last lat(s)  avg lat(s)\n"
#define MIB (1024.0 * 1024.0)

enum bench_mode { BENCH_WRITE, BENCH_SEQ, BENCH_RAND };

struct bench;

struct bench_slot {
	struct bench *b;
	rados_completion_t c; /* NULL when the slot is free */
	char *buf;
	char oid[160];
	uint64_t op; /* which op of the run this slot carries */
	double start;
	int idx;
};

/* Per-run samples: one per elapsed second. */
struct bench_series {
	double *v;
	size_t n, cap;
};

struct bench {
	struct rados_cli *cli;
	enum bench_mode mode;
	char prefix[128]; /* benchmark_data_<host>_<pid> */
	uint64_t op_size, object_size, ops_per_object;
	uint64_t total_ops; /* seq/rand: ops the write left; write: the limit (0: none) */
	int seconds;

	/* Completed slot indexes, pushed by librados callbacks. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int *done;
	int ndone;

	struct bench_slot *slots;
	int nslots, inflight;
	uint64_t started, finished, next_seq;
	double lat_sum, lat_sq, lat_min, lat_max, last_lat;
	uint64_t mismatches;
	int error; /* first failure */
	struct bench_series bw, iops;
};

static int series_add(struct bench_series *s, double v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		double *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	return 0;
}

static void series_stats(const struct bench_series *s, double *mean, double *sd, double *min,
			 double *max)
{
	double sum = 0, sq = 0;

	*mean = *sd = *min = *max = 0;
	if (!s->n)
		return;
	*min = *max = s->v[0];
	for (size_t i = 0; i < s->n; i++) {
		sum += s->v[i];
		if (s->v[i] < *min)
			*min = s->v[i];
		if (s->v[i] > *max)
			*max = s->v[i];
	}
	*mean = sum / (double)s->n;
	for (size_t i = 0; i < s->n; i++)
		sq += (s->v[i] - *mean) * (s->v[i] - *mean);
	/* The sample deviation, as Ceph's summary shows it. */
	*sd = s->n > 1 ? sqrt(sq / (double)(s->n - 1)) : 0;
}

static void bench_series_release(struct bench_series *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* ---- object names and contents ---------------------------------------- */

static void bench_prefix(char *buf, size_t len, int pid)
{
	char host[64] = "localhost";

	if (gethostname(host, sizeof(host)) == 0)
		host[sizeof(host) - 1] = '\0';
	snprintf(buf, len, "benchmark_data_%s_%d", host, pid);
}

static void bench_oid(const struct bench *b, uint64_t op, char *buf, size_t len)
{
	snprintf(buf, len, "%s_object%llu", b->prefix,
		 (unsigned long long)(op / b->ops_per_object));
}

static uint64_t bench_offset(const struct bench *b, uint64_t op)
{
	return (op % b->ops_per_object) * b->op_size;
}

/* What op i writes: "I'm the <i>th op!", its NUL, then 'z's. */
static void bench_fill(char *buf, uint64_t len, uint64_t op)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "I'm the %16llu", (unsigned long long)op);

	n += snprintf(head + n, sizeof(head) - (size_t)n, "th op!");
	memset(buf, 'z', len);
	memcpy(buf, head, (uint64_t)n + 1 <= len ? (size_t)n + 1 : len);
}

static bool bench_verify(const char *buf, uint64_t len, uint64_t want_len, uint64_t op)
{
	char head[64];
	int n;

	if (len != want_len)
		return false;
	n = snprintf(head, sizeof(head), "I'm the %16llu", (unsigned long long)op);
	n += snprintf(head + n, sizeof(head) - (size_t)n, "th op!");
	if (memcmp(buf, head, (uint64_t)n + 1 <= len ? (size_t)n + 1 : len))
		return false;
	for (uint64_t i = (uint64_t)n + 1; i < len; i++)
		if (buf[i] != 'z')
			return false;
	return true;
}

/* ---- the metadata object ---------------------------------------------- */

static void put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

struct bench_meta {
	uint64_t object_size, op_size;
	uint32_t ops;
	int pid;
};

static const char *meta_name(const struct rados_cli *cli)
{
	return cli->run_name ? cli->run_name : BENCH_META_DEFAULT;
}

static int meta_write(struct rados_cli *cli, const struct bench_meta *m)
{
	unsigned char buf[BENCH_META_LEN];

	put_le(buf, m->object_size, 8);
	put_le(buf + 8, m->ops, 4);
	put_le(buf + 12, (uint32_t)m->pid, 4);
	put_le(buf + 16, m->op_size, 8);
	return rados_write_full(cli->io, meta_name(cli), (const char *)buf, sizeof(buf));
}

/* 0, -ENOENT (no run), -EINVAL (not a metadata object) or -errno. */
static int meta_read(struct rados_cli *cli, struct bench_meta *m)
{
	unsigned char buf[BENCH_META_LEN + 1];
	int rc;

	rc = rados_read(cli->io, meta_name(cli), (char *)buf, sizeof(buf), 0);
	if (rc < 0)
		return rc;
	if (rc != BENCH_META_LEN)
		return -EINVAL;
	m->object_size = get_le(buf, 8);
	m->ops = (uint32_t)get_le(buf + 8, 4);
	m->pid = (int)(uint32_t)get_le(buf + 12, 4);
	m->op_size = get_le(buf + 16, 8);
	if (!m->op_size || !m->object_size || m->op_size > m->object_size ||
	    m->op_size > (1ULL << 30))
		return -EINVAL;
	return 0;
}

/* ---- removing objects, -t at a time ----------------------------------- */

typedef void (*bench_name_fn)(void *arg, uint64_t i, char *buf, size_t len);

/* Removes objects name(0..n-1), keeping `depth` removes in flight.
 * Missing objects are skipped.  Returns how many were removed, or the
 * first error. */
static long long remove_many(struct rados_cli *cli, uint64_t n, bench_name_fn name, void *arg)
{
	int depth = cli->concurrent;
	rados_completion_t *c = calloc((size_t)depth, sizeof(*c));
	long long removed = 0;
	int err = 0;

	if (!c)
		return -ENOMEM;
	for (uint64_t i = 0; i < n + (uint64_t)depth; i++) {
		int s = (int)(i % (uint64_t)depth);
		char oid[512];
		int rc;

		if (c[s]) {
			rados_aio_wait_for_complete(c[s]);
			rc = rados_aio_get_return_value(c[s]);
			rados_aio_release(c[s]);
			c[s] = NULL;
			if (rc == 0)
				removed++;
			else if (rc != -ENOENT && !err)
				err = rc;
		}
		if (i >= n || err)
			continue;
		name(arg, i, oid, sizeof(oid));
		rc = rados_aio_create_completion2(NULL, NULL, &c[s]);
		if (rc) {
			err = rc;
			c[s] = NULL;
			continue;
		}
		rc = rados_aio_remove(cli->io, oid, c[s]);
		if (rc) {
			err = rc;
			rados_aio_release(c[s]);
			c[s] = NULL;
		}
	}
	free(c);
	return err ? err : removed;
}

struct run_names {
	char prefix[128];
};

static void run_object_name(void *arg, uint64_t i, char *buf, size_t len)
{
	const struct run_names *r = arg;

	snprintf(buf, len, "%s_object%llu", r->prefix, (unsigned long long)i);
}

/* The objects of a run and then its metadata object: count or -errno. */
static long long remove_run(struct rados_cli *cli, const struct bench_meta *m)
{
	struct run_names r;
	uint64_t per = m->object_size / m->op_size;
	uint64_t nobj = (m->ops + per - 1) / per;
	long long n;
	int rc;

	bench_prefix(r.prefix, sizeof(r.prefix), m->pid);
	n = remove_many(cli, nobj, run_object_name, &r);
	if (n < 0)
		return n;
	rc = rados_remove(cli->io, meta_name(cli));
	if (rc && rc != -ENOENT)
		return rc;
	return n;
}

struct listed_names {
	char **v;
	size_t n, cap;
};

static void listed_name(void *arg, uint64_t i, char *buf, size_t len)
{
	const struct listed_names *l = arg;

	snprintf(buf, len, "%s", l->v[i]);
}

/* cleanup --prefix with no run metadata: every object whose name starts
 * with the prefix. */
static long long remove_prefixed(struct rados_cli *cli, const char *prefix)
{
	struct listed_names l = {0};
	rados_list_ctx_t ctx;
	const char *name, *key, *ns;
	long long n;
	int rc;

	rc = rados_nobjects_list_open(cli->io, &ctx);
	if (rc)
		return rc;
	while ((rc = rados_nobjects_list_next(ctx, &name, &key, &ns)) == 0) {
		if (strncmp(name, prefix, strlen(prefix)))
			continue;
		if (l.n == l.cap) {
			size_t cap = l.cap ? l.cap * 2 : 256;
			char **nv = realloc(l.v, cap * sizeof(*nv));

			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			l.v = nv;
			l.cap = cap;
		}
		l.v[l.n] = strdup(name);
		if (!l.v[l.n]) {
			rc = -ENOMEM;
			break;
		}
		l.n++;
	}
	rados_nobjects_list_close(ctx);
	n = rc == -ENOENT ? remove_many(cli, l.n, listed_name, &l) : rc;
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	return n;
}

int rados_cli_cleanup(struct rados_cli *cli, int argc, char **argv)
{
	struct bench_meta m;
	long long n;
	int rc;

	rc = meta_read(cli, &m);
	if (rc == -ENOENT && !cli->prefix)
		return 0; /* nothing to clean up, as Ceph says: nothing */
	if (rc && rc != -ENOENT) {
		rados_cli_err(rc, "error reading benchmark metadata %s/%s", cli->pool,
			      meta_name(cli));
		return rc;
	}
	n = rc == 0 ? remove_run(cli, &m) : remove_prefixed(cli, cli->prefix);
	if (n < 0) {
		rados_cli_err((int)n, "error during cleanup");
		return (int)n;
	}
	printf("Removed %lld objects\n", n);
	return 0;
}

/* ---- the benchmark loop ----------------------------------------------- */

static void bench_on_complete(rados_completion_t c, void *arg)
{
	struct bench_slot *s = arg;
	struct bench *b = s->b;

	pthread_mutex_lock(&b->lock);
	b->done[b->ndone++] = s->idx;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

static bool bench_may_issue(const struct bench *b, double elapsed)
{
	if (b->error || elapsed >= b->seconds)
		return false;
	if (b->mode == BENCH_SEQ)
		return b->next_seq < b->total_ops;
	if (b->mode == BENCH_WRITE && b->total_ops)
		return b->started < b->total_ops;
	return true;
}

static int bench_issue(struct bench *b, struct bench_slot *s)
{
	rados_ioctx_t io = b->cli->io;
	int rc;

	if (b->mode == BENCH_WRITE)
		s->op = b->started;
	else if (b->mode == BENCH_SEQ)
		s->op = b->next_seq++;
	else
		s->op = (uint64_t)((double)random() / ((double)RAND_MAX + 1) *
				   (double)b->total_ops);
	bench_oid(b, s->op, s->oid, sizeof(s->oid));
	rc = rados_aio_create_completion2(s, bench_on_complete, &s->c);
	if (rc) {
		s->c = NULL;
		return rc;
	}
	s->start = rados_cli_now();
	if (b->mode == BENCH_WRITE) {
		bench_fill(s->buf, b->op_size, s->op);
		rc = rados_aio_write(io, s->oid, s->c, s->buf, b->op_size,
				     bench_offset(b, s->op));
	} else {
		rc = rados_aio_read(io, s->oid, s->c, s->buf, b->op_size, bench_offset(b, s->op));
	}
	if (rc) {
		rados_aio_release(s->c);
		s->c = NULL;
		return rc;
	}
	b->started++;
	b->inflight++;
	return 0;
}

static void bench_harvest(struct bench *b, struct bench_slot *s)
{
	double lat = rados_cli_now() - s->start;
	int rc = rados_aio_get_return_value(s->c);

	rados_aio_release(s->c);
	s->c = NULL;
	b->inflight--;
	if (rc < 0) {
		if (!b->error) {
			b->error = rc;
			rados_cli_err(rc, "%s of %s failed",
				      b->mode == BENCH_WRITE ? "write" : "read", s->oid);
		}
		return;
	}
	if (b->mode != BENCH_WRITE && !b->cli->no_verify &&
	    !bench_verify(s->buf, (uint64_t)rc, b->op_size, s->op)) {
		b->mismatches++;
		fprintf(stderr, "data mismatch in %s at offset %llu (op %llu)\n", s->oid,
			(unsigned long long)bench_offset(b, s->op), (unsigned long long)s->op);
	}
	b->finished++;
	b->last_lat = lat;
	b->lat_sum += lat;
	b->lat_sq += lat * lat;
	if (b->finished == 1 || lat < b->lat_min)
		b->lat_min = lat;
	if (lat > b->lat_max)
		b->lat_max = lat;
}

static void fmt_g(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%g", v);
}

static void bench_print_line(struct bench *b, int sec, double elapsed, uint64_t interval_ops,
			     bool have_interval)
{
	char avg_bw[32], cur_bw[32], last[32], avg_lat[32];
	double avg = elapsed > 0 ? (double)b->finished * (double)b->op_size / MIB / elapsed : 0;

	fmt_g(avg_bw, sizeof(avg_bw), avg);
	fmt_g(cur_bw, sizeof(cur_bw), (double)interval_ops * (double)b->op_size / MIB);
	if (have_interval && interval_ops)
		fmt_g(last, sizeof(last), b->last_lat);
	else
		snprintf(last, sizeof(last), "-");
	fmt_g(avg_lat, sizeof(avg_lat), b->finished ? b->lat_sum / (double)b->finished : 0);
	printf("%5d%8d%10llu%10llu%10s%10s%12s%12s\n", sec, b->inflight,
	       (unsigned long long)b->started, (unsigned long long)b->finished, avg_bw, cur_bw,
	       last, avg_lat);
	fflush(stdout);
}

static void bench_print_minmax(const struct bench *b)
{
	struct timespec ts;
	char when[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	rados_cli_fmt_time(ts.tv_sec, ts.tv_nsec / 1000, when, sizeof(when));
	printf("%s min lat: %g max lat: %g avg lat: %g\n", when, b->lat_min, b->lat_max,
	       b->finished ? b->lat_sum / (double)b->finished : 0);
}

static void bench_summary(struct bench *b, double total)
{
	double bw_mean, bw_sd, bw_min, bw_max, io_mean, io_sd, io_min, io_max;
	double bw = total > 0 ? (double)b->finished * (double)b->op_size / MIB / total : 0;
	double avg_lat = b->finished ? b->lat_sum / (double)b->finished : 0;
	int avg_iops = total > 0 ? (int)((double)b->finished / total) : 0;

	series_stats(&b->bw, &bw_mean, &bw_sd, &bw_min, &bw_max);
	series_stats(&b->iops, &io_mean, &io_sd, &io_min, &io_max);
	if (b->mode == BENCH_WRITE) {
		double var = 0;

		if (b->finished > 1)
			var = (b->lat_sq - (double)b->finished * avg_lat * avg_lat) /
			      (double)(b->finished - 1);
		printf("Total time run:         %g\n", total);
		printf("Total writes made:      %llu\n", (unsigned long long)b->finished);
		printf("Write size:             %llu\n", (unsigned long long)b->op_size);
		printf("Object size:            %llu\n", (unsigned long long)b->object_size);
		printf("Bandwidth (MB/sec):     %g\n", bw);
		printf("Stddev Bandwidth:       %g\n", bw_sd);
		printf("Max bandwidth (MB/sec): %g\n", bw_max);
		printf("Min bandwidth (MB/sec): %g\n", bw_min);
		printf("Average IOPS:           %d\n", avg_iops);
		printf("Stddev IOPS:            %g\n", io_sd);
		printf("Max IOPS:               %d\n", (int)io_max);
		printf("Min IOPS:               %d\n", (int)io_min);
		printf("Average Latency(s):     %g\n", avg_lat);
		printf("Stddev Latency(s):      %g\n", var > 0 ? sqrt(var) : 0);
		printf("Max latency(s):         %g\n", b->lat_max);
		printf("Min latency(s):         %g\n", b->lat_min);
	} else {
		printf("Total time run:       %g\n", total);
		printf("Total reads made:     %llu\n", (unsigned long long)b->finished);
		printf("Read size:            %llu\n", (unsigned long long)b->op_size);
		printf("Object size:          %llu\n", (unsigned long long)b->object_size);
		printf("Bandwidth (MB/sec):   %g\n", bw);
		printf("Average IOPS:         %d\n", avg_iops);
		printf("Stddev IOPS:          %g\n", io_sd);
		printf("Max IOPS:             %d\n", (int)io_max);
		printf("Min IOPS:             %d\n", (int)io_min);
		printf("Average Latency(s):   %g\n", avg_lat);
		printf("Max latency(s):       %g\n", b->lat_max);
		printf("Min latency(s):       %g\n", b->lat_min);
	}
}

/* Runs the loop until time is up (or seq ran out of ops) and every op in
 * flight has completed.  Returns the run's length in seconds. */
static double bench_loop(struct bench *b)
{
	double t0 = rados_cli_now(), next_tick = t0 + 1;
	uint64_t finished_at_tick = 0;
	int sec = 0;

	printf(BENCH_HEADER);
	if (b->mode == BENCH_WRITE)
		bench_print_line(b, 0, 0, 0, false);
	for (int i = 0; i < b->nslots && bench_may_issue(b, 0); i++) {
		int rc = bench_issue(b, &b->slots[i]);

		if (rc) {
			b->error = rc;
			rados_cli_err(rc, "cannot start an operation");
		}
	}
	if (b->mode != BENCH_WRITE)
		bench_print_line(b, 0, 0, 0, false);
	while (b->inflight > 0) {
		struct timespec until;
		double now, wake = next_tick;
		int idx[1024], n;

		/* Sleep until a completion or the next tick (realtime clock
		 * for the condition variable, measured on the monotonic). */
		clock_gettime(CLOCK_REALTIME, &until);
		now = rados_cli_now();
		if (wake > now) {
			double d = wake - now;

			until.tv_sec += (time_t)d;
			until.tv_nsec += (long)((d - (double)(time_t)d) * 1e9);
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
		}
		pthread_mutex_lock(&b->lock);
		while (b->ndone == 0 && rados_cli_now() < wake)
			if (pthread_cond_timedwait(&b->cond, &b->lock, &until) == ETIMEDOUT)
				break;
		n = b->ndone < 1024 ? b->ndone : 1024;
		memcpy(idx, b->done + b->ndone - n, (size_t)n * sizeof(int));
		b->ndone -= n;
		pthread_mutex_unlock(&b->lock);

		for (int i = 0; i < n; i++) {
			struct bench_slot *s = &b->slots[idx[i]];

			bench_harvest(b, s);
			if (bench_may_issue(b, rados_cli_now() - t0)) {
				int rc = bench_issue(b, s);

				if (rc && !b->error) {
					b->error = rc;
					rados_cli_err(rc, "cannot start an operation");
				}
			}
		}
		now = rados_cli_now();
		if (now >= next_tick) {
			uint64_t ops = b->finished - finished_at_tick;

			sec++;
			if (sec % 20 == 0) {
				bench_print_minmax(b);
				printf(BENCH_HEADER);
			}
			bench_print_line(b, sec, now - t0, ops, true);
			series_add(&b->bw, (double)ops * (double)b->op_size / MIB);
			series_add(&b->iops, (double)ops);
			finished_at_tick = b->finished;
			next_tick += 1;
		}
	}
	/* A run shorter than a second still has one sample. */
	if (b->iops.n == 0 && b->finished) {
		series_add(&b->bw, (double)b->finished * (double)b->op_size / MIB);
		series_add(&b->iops, (double)b->finished);
	}
	return rados_cli_now() - t0;
}

static int bench_setup(struct bench *b, struct rados_cli *cli)
{
	b->nslots = cli->concurrent;
	b->slots = calloc((size_t)b->nslots, sizeof(*b->slots));
	b->done = calloc((size_t)b->nslots, sizeof(*b->done));
	if (!b->slots || !b->done)
		return -ENOMEM;
	for (int i = 0; i < b->nslots; i++) {
		b->slots[i].b = b;
		b->slots[i].idx = i;
		b->slots[i].buf = malloc(b->op_size);
		if (!b->slots[i].buf)
			return -ENOMEM;
	}
	return 0;
}

static void bench_release(struct bench *b)
{
	for (int i = 0; b->slots && i < b->nslots; i++)
		free(b->slots[i].buf);
	free(b->slots);
	free(b->done);
	bench_series_release(&b->bw);
	bench_series_release(&b->iops);
	pthread_mutex_destroy(&b->lock);
	pthread_cond_destroy(&b->cond);
}

static int bench_write(struct bench *b, struct rados_cli *cli)
{
	struct bench_meta m;
	double total, t;
	long long removed;
	int rc;

	printf("Maintaining %d concurrent writes of %llu bytes to objects of size %llu for up to "
	       "%d seconds or %llu objects\n",
	       cli->concurrent, (unsigned long long)b->op_size,
	       (unsigned long long)b->object_size, b->seconds,
	       (unsigned long long)cli->max_objects);
	printf("Object prefix: %s\n", b->prefix);
	total = bench_loop(b);
	if (b->error)
		return b->error;
	bench_summary(b, total);
	m.object_size = b->object_size;
	m.op_size = b->op_size;
	m.ops = (uint32_t)b->finished;
	m.pid = getpid();
	rc = meta_write(cli, &m);
	if (rc) {
		rados_cli_err(rc, "error writing benchmark metadata %s/%s", cli->pool,
			      meta_name(cli));
		return rc;
	}
	if (cli->no_cleanup)
		return 0;
	printf("Cleaning up (deleting benchmark objects)\n");
	fflush(stdout);
	t = rados_cli_now();
	removed = remove_run(cli, &m);
	if (removed < 0) {
		rados_cli_err((int)removed, "error during cleanup");
		return (int)removed;
	}
	printf("Removed %lld objects\n", removed);
	printf("Clean up completed and total clean up time :%g\n", rados_cli_now() - t);
	return 0;
}

int rados_cli_bench(struct rados_cli *cli, int argc, char **argv)
{
	struct bench b = {.cli = cli, .lock = PTHREAD_MUTEX_INITIALIZER,
			  .cond = PTHREAD_COND_INITIALIZER};
	struct bench_meta m;
	long long secs;
	int rc;

	if (rados_cli_parse_ll(argv[0], &secs) || secs < 1 || secs > 1000000) {
		fprintf(stderr, "Invalid value for seconds: '%s'\n", argv[0]);
		return -EINVAL;
	}
	b.seconds = (int)secs;
	if (!strcmp(argv[1], "write")) {
		b.mode = BENCH_WRITE;
	} else if (!strcmp(argv[1], "seq")) {
		b.mode = BENCH_SEQ;
	} else if (!strcmp(argv[1], "rand")) {
		b.mode = BENCH_RAND;
	} else {
		fprintf(stderr, "rados: unknown bench mode '%s' (write, seq or rand)\n", argv[1]);
		return -EINVAL;
	}
	if (b.mode == BENCH_WRITE) {
		b.op_size = cli->op_size;
		b.object_size = cli->object_size;
		if (b.op_size == 0 || b.op_size > (1ULL << 30) || b.object_size < b.op_size) {
			fprintf(stderr, "rados: bench needs 0 < -b (%llu) <= 1 GiB and -O (%llu) "
					">= -b\n",
				(unsigned long long)b.op_size, (unsigned long long)b.object_size);
			return -EINVAL;
		}
	}
	printf("hints = %d\n", cli->no_hints ? 0 : 1);
	fflush(stdout);
	if (b.mode == BENCH_WRITE) {
		b.ops_per_object = b.object_size / b.op_size;
		b.total_ops = cli->max_objects * b.ops_per_object;
		bench_prefix(b.prefix, sizeof(b.prefix), getpid());
	} else {
		rc = meta_read(cli, &m);
		if (rc == -ENOENT || rc == -EINVAL) {
			fprintf(stderr, "Must write data before running a read benchmark!\n");
			rados_cli_err(-ENOENT, "error during benchmark");
			rados_cli_err(-ENOENT, "error %d", ENOENT);
			return -ENOENT;
		}
		if (rc) {
			rados_cli_err(rc, "error reading benchmark metadata %s/%s", cli->pool,
				      meta_name(cli));
			return rc;
		}
		if (m.ops == 0) {
			fprintf(stderr, "rados: the last write benchmark wrote nothing\n");
			return -ENOENT;
		}
		b.op_size = m.op_size;
		b.object_size = m.object_size;
		b.ops_per_object = m.object_size / m.op_size;
		b.total_ops = m.ops;
		bench_prefix(b.prefix, sizeof(b.prefix), m.pid);
		srandom((unsigned)time(NULL) ^ (unsigned)getpid());
	}
	rc = bench_setup(&b, cli);
	if (rc) {
		rados_cli_err(rc, "rados: cannot allocate %d buffers of %llu bytes", cli->concurrent,
			      (unsigned long long)b.op_size);
		goto out;
	}
	if (b.mode == BENCH_WRITE) {
		rc = bench_write(&b, cli);
	} else {
		double total = bench_loop(&b);

		rc = b.error;
		if (!rc)
			bench_summary(&b, total);
		if (!rc && b.mismatches) {
			fprintf(stderr, "%llu reads returned wrong data\n",
				(unsigned long long)b.mismatches);
			rc = -EIO;
		}
	}
	if (rc && b.error)
		rados_cli_err(rc, "error during benchmark");
out:
	bench_release(&b);
	return rc;
}
