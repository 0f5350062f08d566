/*
 * Crash atomicity of the object store (src/os), two ways:
 *  - simulated power loss: the data file sits on os_disk_sim, which at a
 *    chosen fsync drops or tears every unsynced write; after reopening,
 *    the store must hold exactly the acknowledged transactions;
 *  - kill -9: a forked child applies random transactions and reports each
 *    acknowledgement through a pipe; after killing it mid-stream, every
 *    object must equal the state after the last acknowledged transaction
 *    or after the one that was in flight, never a mixture.
 * Transactions are generated from a seed against a model, so the parent
 * can recompute any prefix of the child's history.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "os/os.h"
#include "os_test_util.h"

#define C "2.7_head"
#define NOBJ 4
#define MAXSZ (48 * 1024)

struct mobj {
	bool exists;
	size_t size;
	unsigned char data[MAXSZ];
	bool has_x, has_m;
	char x[16], m[16];
};

struct model {
	struct mobj o[NOBJ];
};

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Thread `tid` of the concurrent tests owns objects t<tid>.o<i>. */
static void oname(char *b, int tid, int i)
{
	snprintf(b, 32, "t%d.o%d", tid, i);
}

static void m_extend(struct mobj *o, size_t end)
{
	if (end > o->size) {
		memset(o->data + o->size, 0, end - o->size);
		o->size = end;
	}
}

/* Builds transaction number `n` of history `seed` against model `m`, and
 * applies it to `m`.  `t` may be NULL to only advance the model. */
static void gen_txn(uint64_t seed, int tid, unsigned n, struct model *m, struct os_txn *t)
{
	uint64_t s = seed * 1000003u + n * 7919u + (uint64_t)tid * 104729u + 1;
	static _Thread_local unsigned char buf[MAXSZ];
	int nops = 1 + (int)(rnd(&s) % 4);
	for (int k = 0; k < nops; k++) {
		int i = (int)(rnd(&s) % NOBJ);
		struct mobj *o = &m->o[i];
		char name[32];
		oname(name, tid, i);
		unsigned kind = (unsigned)(rnd(&s) % 8);
		/* Odd threads write up to a whole object, so that their
		 * txns often exceed the deferred limit and fsync the data. */
		size_t off = rnd(&s) % (MAXSZ - 1), len = 1 + rnd(&s) % (tid % 2 ? MAXSZ : MAXSZ / 3);
		if (off + len > MAXSZ)
			len = MAXSZ - off;
		if (kind == 5 && !o->exists)
			kind = 0;
		for (size_t b = 0; b < len; b++)
			buf[b] = (unsigned char)(rnd(&s) >> 11);
		switch (kind) {
		case 0: case 1: case 2:
			if (t)
				os_txn_write(t, C, name, off, len, buf);
			m_extend(o, off + len);
			memcpy(o->data + off, buf, len);
			break;
		case 3:
			if (t)
				os_txn_truncate(t, C, name, off);
			if (off < o->size)
				o->size = off;
			else
				m_extend(o, off);
			break;
		case 4:
			if (t)
				os_txn_zero(t, C, name, off, len);
			m_extend(o, off + len);
			memset(o->data + off, 0, len);
			break;
		case 5:
			if (t)
				os_txn_remove(t, C, name);
			memset(o, 0, sizeof(*o));
			continue;	/* stays removed */
		case 6:
			snprintf(o->x, sizeof(o->x), "x%u", (unsigned)(rnd(&s) % 100000));
			o->has_x = true;
			if (t)
				os_txn_setxattr(t, C, name, "attr", o->x, strlen(o->x));
			break;
		default:
			snprintf(o->m, sizeof(o->m), "m%u", (unsigned)(rnd(&s) % 100000));
			o->has_m = true;
			if (t)
				os_txn_omap_set(t, C, name, "key", o->m, strlen(o->m));
			break;
		}
		o->exists = true;
	}
}

/* 0 if the object in the store equals the model's, else -1. */
static int check_obj(struct os_store *st, const struct mobj *o, int tid, int i)
{
	static _Thread_local unsigned char buf[MAXSZ + 10];
	char name[32];
	struct os_stat s;
	oname(name, tid, i);
	int r = os_stat(st, C, name, &s);
	if (!o->exists)
		return r == -ENOENT ? 0 : -1;
	if (r || s.size != o->size)
		return -1;
	if (os_read(st, C, name, 0, sizeof(buf), buf) != (ssize_t)o->size ||
	    memcmp(buf, o->data, o->size))
		return -1;
	void *v = NULL;
	size_t vl;
	r = os_getxattr(st, C, name, "attr", &v, &vl);
	bool ok = o->has_x ? (r == 0 && vl == strlen(o->x) && !memcmp(v, o->x, vl)) : r == -ENODATA;
	free(v);
	if (!ok)
		return -1;
	const char *keys[] = { "key" };
	struct os_kv *kvs;
	size_t n;
	if (os_omap_get_vals_by_keys(st, C, name, keys, 1, &kvs, &n))
		return -1;
	ok = o->has_m ? (n == 1 && kvs[0].val_len == strlen(o->m) &&
			 !memcmp(kvs[0].val, o->m, kvs[0].val_len)) : n == 0;
	os_kvs_free(kvs, n);
	return ok ? 0 : -1;
}

static int check_model(struct os_store *st, const struct model *m, int tid)
{
	for (int i = 0; i < NOBJ; i++)
		if (check_obj(st, &m->o[i], tid, i))
			return -1;
	return 0;
}

static int apply_gen(struct os_store *st, uint64_t seed, int tid, unsigned n, struct model *m)
{
	struct os_txn *t = os_txn_create();
	if (!t)
		return -ENOMEM;
	gen_txn(seed, tid, n, m, t);
	int r = os_txn_apply(st, t);
	os_txn_destroy(t);
	return r;
}

static void test_simdisk_power_loss(void **state)
{
	struct model *acked = malloc(sizeof(*acked)), *next = malloc(sizeof(*next));
	for (unsigned trial = 0; trial < 48; trial++) {
		char *dir = os_test_mkdtemp();
		struct os_simdisk *d = os_simdisk_create(1 + trial % 16, trial + 1);
		struct os_opts o = { .disk = &os_disk_sim, .disk_ctx = d };
		struct os_store *st;
		assert_int_equal(os_open(dir, &o, &st), 0);
		assert_int_equal(os_collection_create(st, C), 0);
		memset(acked, 0, sizeof(*acked));
		unsigned n;
		int r = 0;
		for (n = 1; n < 40; n++) {
			*next = *acked;
			r = apply_gen(st, trial, 0, n, next);
			if (r)
				break;
			*acked = *next;
		}
		if (r) {
			assert_int_equal(r, -EIO);
			assert_true(os_simdisk_crashed(d));
			/* A dead store refuses everything. */
			char b;
			assert_int_equal(os_read(st, C, "o0", 0, 1, &b), -EIO);
		}
		os_close(st);
		os_simdisk_destroy(d);
		assert_int_equal(os_open(dir, NULL, &st), 0);
		assert_int_equal(check_model(st, acked, 0), 0);
		/* Life goes on: the allocator must not hand out live blocks. */
		for (unsigned k = 0; k < 5; k++)
			assert_int_equal(apply_gen(st, trial, 0, 1000 + n + k, acked), 0);
		assert_int_equal(check_model(st, acked, 0), 0);
		os_close(st);
		os_test_rmrf(dir);
		free(dir);
	}
	free(acked);
	free(next);
}

/* A deferred (small, unsynced) write, then a power loss at the next data
 * fsync: whatever the disk did with the small write, the replay at open
 * restores it. */
static void test_deferred_replay(void **state)
{
	static unsigned char small[6000], big[400000]; /* big: above OS_DEFERRED_MAX */
	for (size_t i = 0; i < sizeof(small); i++)
		small[i] = (unsigned char)(i * 13 + 1);
	memset(big, 0x5a, sizeof(big));
	for (uint64_t seed = 1; seed <= 12; seed++) {
		char *dir = os_test_mkdtemp();
		struct os_simdisk *d = os_simdisk_create(1, seed);
		struct os_opts o = { .disk = &os_disk_sim, .disk_ctx = d };
		struct os_store *st;
		assert_int_equal(os_open(dir, &o, &st), 0);
		assert_int_equal(os_collection_create(st, C), 0);
		struct os_txn *t = os_txn_create();
		os_txn_write(t, C, "small", 0, sizeof(small), small);
		assert_int_equal(os_txn_apply(st, t), 0);
		os_txn_destroy(t);
		assert_int_equal(os_simdisk_syncs(d), 0);	/* deferred: no data fsync */
		t = os_txn_create();
		os_txn_write(t, C, "big", 0, sizeof(big), big);
		assert_int_equal(os_txn_apply(st, t), -EIO);
		os_txn_destroy(t);
		assert_true(os_simdisk_crashed(d));
		os_close(st);
		os_simdisk_destroy(d);
		assert_int_equal(os_open(dir, NULL, &st), 0);
		unsigned char buf[sizeof(small)];
		assert_int_equal(os_read(st, C, "small", 0, sizeof(buf), buf), (ssize_t)sizeof(buf));
		assert_memory_equal(buf, small, sizeof(small));
		struct os_stat sb;
		assert_int_equal(os_stat(st, C, "big", &sb), -ENOENT);
		os_close(st);
		os_test_rmrf(dir);
		free(dir);
	}
}

static void child_run(const char *dir, uint64_t seed, int wfd)
{
	struct model *m = calloc(1, sizeof(*m));
	struct os_store *st;
	if (!m || os_open(dir, NULL, &st) || os_collection_create(st, C))
		_exit(2);
	for (unsigned n = 1;; n++) {
		if (apply_gen(st, seed, 0, n, m))
			_exit(3);
		if (write(wfd, &n, sizeof(n)) != sizeof(n))
			_exit(4);
	}
}

static void test_kill9(void **state)
{
	struct model *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	for (unsigned round = 0; round < 6; round++) {
		char *dir = os_test_mkdtemp();
		uint64_t seed = 100 + round;
		int p[2];
		assert_int_equal(pipe(p), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			child_run(dir, seed, p[1]);
		}
		close(p[1]);
		unsigned want = 5 + round * 7, acked = 0, v;
		while (acked < want && read(p[0], &v, sizeof(v)) == sizeof(v))
			acked = v;
		usleep(round * 300);
		kill(pid, SIGKILL);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		while (read(p[0], &v, sizeof(v)) == sizeof(v))
			acked = v;
		close(p[0]);
		assert_true(acked >= want);

		memset(a, 0, sizeof(*a));
		for (unsigned n = 1; n <= acked; n++)
			gen_txn(seed, 0, n, a, NULL);
		*b = *a;
		gen_txn(seed, 0, acked + 1, b, NULL);
		struct os_store *st;
		assert_int_equal(os_open(dir, NULL, &st), 0);
		/* The whole store is at one of the two states. */
		bool at_a = check_model(st, a, 0) == 0, at_b = check_model(st, b, 0) == 0;
		assert_true(at_a || at_b);
		os_close(st);
		os_test_rmrf(dir);
		free(dir);
	}
	free(a);
	free(b);
}

/* ---- concurrent transactions (group commit) ---- */

#define NTHR 4
#define THR_TXNS 30

struct crash_thr {
	pthread_t th;
	struct os_store *st;
	uint64_t seed;
	int tid;
	struct model acked, next;
	unsigned n;		/* txns acknowledged */
	int r;			/* the error that stopped it, 0 if none */
	int wfd;		/* kill -9 child: where acks go, else -1 */
};

static void *crash_thr_main(void *p)
{
	struct crash_thr *a = p;
	for (unsigned n = a->n + 1; n <= a->n + THR_TXNS || a->wfd >= 0; n++) {
		a->next = a->acked;
		a->r = apply_gen(a->st, a->seed, a->tid, n, &a->next);
		if (a->r)
			return NULL;
		a->acked = a->next;
		if (a->wfd >= 0) {
			uint32_t msg[2] = { (uint32_t)a->tid, n };
			if (write(a->wfd, msg, sizeof(msg)) != sizeof(msg))
				_exit(4);
		}
	}
	a->n += THR_TXNS;
	return NULL;
}

static void run_threads(struct crash_thr *a)
{
	for (int i = 0; i < NTHR; i++)
		assert_int_equal(pthread_create(&a[i].th, NULL, crash_thr_main, &a[i]), 0);
	for (int i = 0; i < NTHR; i++)
		pthread_join(a[i].th, NULL);
}

/* Several threads apply transactions at once, sharing syncs, on a disk
 * that loses power at a random sync point: every thread's acknowledged
 * transactions survive, its failed one is wholly present or absent, and
 * every thread's blocked calls return -EIO instead of hanging. */
static void test_threads_power_loss(void **state)
{
	struct crash_thr *a = calloc(NTHR, sizeof(*a));
	unsigned ncrashed = 0;
	for (unsigned trial = 0; trial < 16; trial++) {
		char *dir = os_test_mkdtemp();
		/* Group commit makes syncs few: 120 txns share 2 to 6. */
		struct os_simdisk *d = os_simdisk_create(1 + trial % 3, trial + 7);
		struct os_opts o = { .disk = &os_disk_sim, .disk_ctx = d };
		struct os_store *st;
		assert_int_equal(os_open(dir, &o, &st), 0);
		assert_int_equal(os_collection_create(st, C), 0);
		memset(a, 0, NTHR * sizeof(*a));
		for (int i = 0; i < NTHR; i++)
			a[i] = (struct crash_thr){ .st = st, .seed = 500 + trial, .tid = i, .wfd = -1 };
		run_threads(a);
		for (int i = 0; i < NTHR; i++)
			assert_true(a[i].r == 0 || a[i].r == -EIO);
		bool crashed = os_simdisk_crashed(d);
		os_close(st);
		os_simdisk_destroy(d);
		assert_int_equal(os_open(dir, NULL, &st), 0);
		ncrashed += crashed;
		for (int i = 0; i < NTHR; i++) {
			bool ok = check_model(st, &a[i].acked, i) == 0 ||
				  (a[i].r && check_model(st, &a[i].next, i) == 0);
			assert_true(ok);
			if (a[i].r && check_model(st, &a[i].acked, i))
				a[i].acked = a[i].next;	/* the failed txn made it */
			a[i].st = st;
			a[i].r = 0;
			a[i].n += 1000;
		}
		/* Life goes on, concurrently, on the reopened store. */
		run_threads(a);
		for (int i = 0; i < NTHR; i++) {
			assert_int_equal(a[i].r, 0);
			assert_int_equal(check_model(st, &a[i].acked, i), 0);
		}
		os_close(st);
		os_test_rmrf(dir);
		free(dir);
	}
	assert_true(ncrashed >= 14);
	free(a);
}

/* kill -9 of a process whose threads apply transactions concurrently:
 * each thread's objects are at its last acknowledged transaction or at
 * the one it had in flight. */
static void test_threads_kill9(void **state)
{
	struct model *m = malloc(sizeof(*m)), *b = malloc(sizeof(*b));
	for (unsigned round = 0; round < 4; round++) {
		char *dir = os_test_mkdtemp();
		uint64_t seed = 900 + round;
		int p[2];
		assert_int_equal(pipe(p), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			struct os_store *st;
			struct crash_thr *a = calloc(NTHR, sizeof(*a));
			if (!a || os_open(dir, NULL, &st) || os_collection_create(st, C))
				_exit(2);
			for (int i = 0; i < NTHR; i++)
				a[i] = (struct crash_thr){ .st = st, .seed = seed, .tid = i, .wfd = p[1] };
			run_threads(a);	/* until killed */
			_exit(3);
		}
		close(p[1]);
		unsigned acked[NTHR] = { 0 }, total = 0, want = 20 + round * 15;
		uint32_t msg[2];
		while (total < want && read(p[0], msg, sizeof(msg)) == sizeof(msg)) {
			assert_true(msg[0] < NTHR);
			acked[msg[0]] = msg[1];
			total++;
		}
		usleep(round * 400);
		kill(pid, SIGKILL);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		while (read(p[0], msg, sizeof(msg)) == sizeof(msg))
			acked[msg[0]] = msg[1];
		close(p[0]);
		assert_true(total >= want);
		struct os_store *st;
		assert_int_equal(os_open(dir, NULL, &st), 0);
		for (int i = 0; i < NTHR; i++) {
			memset(m, 0, sizeof(*m));
			for (unsigned n = 1; n <= acked[i]; n++)
				gen_txn(seed, i, n, m, NULL);
			*b = *m;
			gen_txn(seed, i, acked[i] + 1, b, NULL);
			assert_true(check_model(st, m, i) == 0 || check_model(st, b, i) == 0);
		}
		os_close(st);
		os_test_rmrf(dir);
		free(dir);
	}
	free(m);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simdisk_power_loss),
		cmocka_unit_test(test_deferred_replay),
		cmocka_unit_test(test_kill9),
		cmocka_unit_test(test_threads_power_loss),
		cmocka_unit_test(test_threads_kill9),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
