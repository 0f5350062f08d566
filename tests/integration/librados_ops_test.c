/*
 * librados against a real cluster (started by test_librados_ops.sh):
 * every object call synchronously and through completions, compound
 * write/read ops (atomicity included), xattr and omap iteration, listing
 * with namespaces and locator keys (also while other objects come and
 * go), many threads with many aio writes in flight, pool statistics,
 * and the error cases (missing objects, long names, deleted pools).
 *
 * Usage: librados_ops_test CEPH_CONF POOL
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rados/librados.h"

#define MAX_ERRNO 4095

static const char *conf_path;
static const char *pool_name;
static rados_t cluster;
static rados_ioctx_t io;

static int group_setup(void **state)
{
	(void)state;
	if (rados_create(&cluster, "admin") ||
	    rados_conf_read_file(cluster, conf_path) ||
	    rados_conf_set(cluster, "rados_osd_op_timeout", "60") ||
	    rados_connect(cluster) ||
	    rados_ioctx_create(cluster, pool_name, &io)) {
		fprintf(stderr, "cannot connect to %s pool %s\n", conf_path, pool_name);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	rados_ioctx_destroy(io);
	rados_shutdown(cluster);
	return 0;
}

/* A fresh object name per test run. */
static const char *oname(const char *base)
{
	static __thread char buf[8][128];
	static __thread int i;
	char *b = buf[i++ % 8];

	snprintf(b, 128, "%s.%d", base, (int)getpid());
	return b;
}

/* ---- synchronous object calls ---- */

static void test_sync_data(void **state)
{
	const char *o = oname("data");
	char buf[64];
	uint64_t size = 0;
	time_t mtime = 0;

	(void)state;
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), -ENOENT);
	assert_int_equal(rados_stat(io, o, &size, &mtime), -ENOENT);
	assert_int_equal(rados_write(io, o, "hello world", 11, 0), 0);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 11);
	assert_memory_equal(buf, "hello world", 11);
	assert_int_equal(rados_read(io, o, buf, 5, 6), 5);
	assert_memory_equal(buf, "world", 5);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 100), 0);
	assert_int_equal(rados_stat(io, o, &size, &mtime), 0);
	assert_int_equal(size, 11);
	assert_true(mtime > 1600000000);
	assert_true(rados_get_last_version(io) > 0);

	assert_int_equal(rados_write(io, o, "HELLO", 5, 0), 0);
	assert_int_equal(rados_append(io, o, "!!", 2), 0);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 13);
	assert_memory_equal(buf, "HELLO world!!", 13);
	assert_int_equal(rados_write(io, o, "z", 1, 20), 0); /* a hole */
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 21);
	for (int i = 13; i < 20; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(rados_trunc(io, o, 4), 0);
	assert_int_equal(rados_stat(io, o, &size, NULL), 0);
	assert_int_equal(size, 4);
	assert_int_equal(rados_write_full(io, o, "new", 3), 0);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "new", 3);
	assert_int_equal(rados_writesame(io, o, "ab", 2, 8, 2), 0);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 10);
	assert_memory_equal(buf, "neabababab", 10);
	assert_int_equal(rados_writesame(io, o, "ab", 2, 7, 0), -EINVAL);

	assert_int_equal(rados_cmpext(io, o, "neab", 4, 0), 0);
	assert_int_equal(rados_cmpext(io, o, "neXb", 4, 0), -MAX_ERRNO - 2);

	assert_int_equal(rados_remove(io, o), 0);
	assert_int_equal(rados_remove(io, o), -ENOENT);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), -ENOENT);
	assert_int_equal(rados_exec(io, o, "c", "m", NULL, 0, buf, 1), -EOPNOTSUPP);
}

static void test_bad_names(void **state)
{
	char *longname = malloc(2050);
	char buf[8];

	(void)state;
	memset(longname, 'n', 2049);
	longname[2049] = '\0';
	assert_int_equal(rados_write(io, longname, "x", 1, 0), -ENAMETOOLONG);
	assert_int_equal(rados_read(io, longname, buf, 1, 0), -ENAMETOOLONG);
	longname[2048] = '\0'; /* exactly the limit is fine */
	assert_int_equal(rados_write_full(io, longname, "x", 1), 0);
	assert_int_equal(rados_remove(io, longname), 0);
	free(longname);
	assert_int_equal(rados_write(io, "", "x", 1, 0), -EINVAL);
	assert_int_equal(rados_write(io, NULL, "x", 1, 0), -EINVAL);
}

static void test_sync_xattrs(void **state)
{
	const char *o = oname("xattrs");
	static char big[65536];
	char buf[70000];
	rados_xattrs_iter_t it;
	const char *name, *val;
	size_t len;
	int seen = 0;

	(void)state;
	memset(big, 'b', sizeof(big));
	assert_int_equal(rados_getxattr(io, o, "a", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(rados_write_full(io, o, "d", 1), 0);
	assert_int_equal(rados_getxattr(io, o, "a", buf, sizeof(buf)), -ENODATA);
	assert_int_equal(rados_setxattr(io, o, "a", "1", 1), 0);
	assert_int_equal(rados_setxattr(io, o, "b", "22", 2), 0);
	/* no small xattr limit */
	assert_int_equal(rados_setxattr(io, o, "big", big, sizeof(big)), 0);
	assert_int_equal(rados_getxattr(io, o, "b", buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "22", 2);
	assert_int_equal(rados_getxattr(io, o, "b", buf, 1), -ERANGE);
	assert_int_equal(rados_getxattr(io, o, "big", buf, sizeof(buf)), (int)sizeof(big));
	assert_memory_equal(buf, big, sizeof(big));

	assert_int_equal(rados_getxattrs(io, o, &it), 0);
	for (;;) {
		assert_int_equal(rados_getxattrs_next(it, &name, &val, &len), 0);
		if (!name)
			break;
		if (strcmp(name, "a") == 0) {
			assert_int_equal(len, 1);
			assert_memory_equal(val, "1", 1);
			seen |= 1;
		} else if (strcmp(name, "b") == 0) {
			assert_int_equal(len, 2);
			seen |= 2;
		} else if (strcmp(name, "big") == 0) {
			assert_int_equal(len, sizeof(big));
			seen |= 4;
		}
	}
	rados_getxattrs_end(it);
	assert_int_equal(seen, 7);

	assert_int_equal(rados_rmxattr(io, o, "a"), 0);
	assert_int_equal(rados_getxattr(io, o, "a", buf, sizeof(buf)), -ENODATA);
	/* removing an absent xattr succeeds, as in Ceph; on a missing
	 * object it is ENOENT */
	assert_int_equal(rados_rmxattr(io, o, "a"), 0);
	assert_int_equal(rados_rmxattr(io, "no-such-object", "a"), -ENOENT);
	assert_int_equal(rados_remove(io, o), 0);
	assert_int_equal(rados_getxattrs(io, o, &it), -ENOENT);
}

/* ---- asynchronous calls ---- */

struct cb_count {
	pthread_mutex_t lock;
	int n;
	pthread_t thread;
};

static void count_cb(rados_completion_t c, void *arg)
{
	struct cb_count *cc = arg;

	pthread_mutex_lock(&cc->lock);
	cc->n++;
	cc->thread = pthread_self();
	pthread_mutex_unlock(&cc->lock);
}

static int aio_wait(rados_completion_t c)
{
	int r;

	assert_int_equal(rados_aio_wait_for_complete_and_cb(c), 0);
	assert_true(rados_aio_is_complete(c));
	r = rados_aio_get_return_value(c);
	rados_aio_release(c);
	return r;
}

static rados_completion_t comp(struct cb_count *cc)
{
	rados_completion_t c;

	assert_int_equal(rados_aio_create_completion2(cc, cc ? count_cb : NULL, &c), 0);
	return c;
}

static void test_aio_ops(void **state)
{
	const char *o = oname("aio");
	struct cb_count cc = { .lock = PTHREAD_MUTEX_INITIALIZER };
	rados_completion_t c;
	rados_xattrs_iter_t it = NULL;
	const char *name, *val;
	char buf[64];
	uint64_t size = 0;
	time_t mtime = 0;
	size_t len;

	(void)state;
	c = comp(&cc);
	assert_int_equal(rados_aio_read(io, o, c, buf, sizeof(buf), 0), 0);
	assert_int_equal(aio_wait(c), -ENOENT);
	c = comp(&cc);
	assert_int_equal(rados_aio_write(io, o, c, "abcdef", 6, 0), 0);
	assert_int_equal(aio_wait(c), 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_append(io, o, c, "gh", 2), 0);
	assert_int_equal(aio_wait(c), 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_read(io, o, c, buf, sizeof(buf), 0), 0);
	assert_int_equal(aio_wait(c), 8);
	assert_memory_equal(buf, "abcdefgh", 8);
	c = comp(&cc);
	assert_int_equal(rados_aio_stat(io, o, c, &size, &mtime), 0);
	assert_int_equal(aio_wait(c), 0);
	assert_int_equal(size, 8);
	assert_true(mtime > 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_write_full(io, o, c, "xyz", 3), 0);
	assert_int_equal(aio_wait(c), 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_writesame(io, o, c, "q", 1, 4, 3), 0);
	assert_int_equal(aio_wait(c), 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_cmpext(io, o, c, "xyzqqqq", 7, 0), 0);
	assert_int_equal(aio_wait(c), 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_cmpext(io, o, c, "xyzqqqX", 7, 0), 0);
	assert_int_equal(aio_wait(c), -MAX_ERRNO - 6);
	c = comp(&cc);
	assert_int_equal(rados_aio_setxattr(io, o, c, "k", "vv", 2), 0);
	assert_int_equal(aio_wait(c), 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_getxattr(io, o, c, "k", buf, sizeof(buf)), 0);
	assert_int_equal(aio_wait(c), 2);
	assert_memory_equal(buf, "vv", 2);
	c = comp(&cc);
	assert_int_equal(rados_aio_getxattrs(io, o, c, &it), 0);
	assert_int_equal(aio_wait(c), 0);
	assert_non_null(it);
	assert_int_equal(rados_getxattrs_next(it, &name, &val, &len), 0);
	assert_string_equal(name, "k");
	assert_int_equal(rados_getxattrs_next(it, &name, &val, &len), 0);
	assert_null(name);
	rados_getxattrs_end(it);
	c = comp(&cc);
	assert_int_equal(rados_aio_rmxattr(io, o, c, "k"), 0);
	assert_int_equal(aio_wait(c), 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_remove(io, o, c), 0);
	assert_int_equal(aio_wait(c), 0);
	c = comp(&cc);
	assert_int_equal(rados_aio_remove(io, o, c), 0);
	assert_int_equal(aio_wait(c), -ENOENT);

	/* every callback ran, and not on this thread */
	assert_int_equal(cc.n, 15);
	assert_false(pthread_equal(cc.thread, pthread_self()));

	/* release before completion; flush waits for the write */
	assert_int_equal(rados_aio_create_completion(NULL, NULL, NULL, &c), 0);
	assert_int_equal(rados_aio_write_full(io, o, c, "late", 4), 0);
	rados_aio_release(c);
	assert_int_equal(rados_aio_flush(io), 0);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 4);
	assert_int_equal(rados_remove(io, o), 0);
	assert_int_equal(rados_aio_exec(io, o, NULL, "c", "m", NULL, 0, buf, 1),
			 -EOPNOTSUPP);
}

/* A callback that does synchronous I/O (it runs on the finisher). */
static void sync_in_cb(rados_completion_t c, void *arg)
{
	char buf[8];
	int *r = arg;

	*r = rados_read(io, oname("cbsync"), buf, sizeof(buf), 0);
}

/* Many writes in flight on ONE object, as fio's rados engine does: the
 * OSDs commit them in batches, each seeing the ones before it (append
 * offsets, sizes, versions), and a read or a guard in between sees every
 * write submitted before it. */
static void test_pipelined_same_object(void **state)
{
	enum { N = 48, CH = 100 };
	const char *o = oname("pipe");
	rados_completion_t c[N], g;
	uint64_t ver[N], size = 0;
	char chunk[CH], *all = malloc(N * CH + 16), buf[8];
	time_t mtime;

	(void)state;
	assert_non_null(all);
	for (int i = 0; i < N; i++) {
		memset(chunk, 'A' + i % 26, CH);
		chunk[0] = (char)i;
		c[i] = comp(NULL);
		if (i == N / 2) /* a read-modify op in the middle */
			assert_int_equal(rados_aio_setxattr(io, o, c[i], "mid", "m", 1), 0);
		else
			assert_int_equal(rados_aio_append(io, o, c[i], chunk, CH), 0);
	}
	/* A guard and a read behind them see all of them. */
	g = comp(NULL);
	assert_int_equal(rados_aio_stat(io, o, g, &size, &mtime), 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(rados_aio_wait_for_complete(c[i]), 0);
		assert_int_equal(rados_aio_get_return_value(c[i]), 0);
		ver[i] = rados_aio_get_version(c[i]);
		rados_aio_release(c[i]);
		if (i)
			assert_true(ver[i] > ver[i - 1]);
	}
	assert_int_equal(aio_wait(g), 0);
	assert_int_equal(size, (uint64_t)(N - 1) * CH);
	assert_int_equal(rados_read(io, o, all, N * CH + 16, 0), (N - 1) * CH);
	for (int i = 0, k = 0; i < N; i++) {
		if (i == N / 2)
			continue;
		assert_int_equal((unsigned char)all[k * CH], i);
		assert_int_equal(all[k * CH + CH - 1], 'A' + i % 26);
		k++;
	}
	assert_int_equal(rados_getxattr(io, o, "mid", buf, sizeof(buf)), 1);
	/* Exclusive create and remove pipelined behind writes. */
	c[0] = comp(NULL);
	c[1] = comp(NULL);
	c[2] = comp(NULL);
	c[3] = comp(NULL);
	assert_int_equal(rados_aio_write_full(io, o, c[0], "x", 1), 0);
	assert_int_equal(rados_aio_remove(io, o, c[1]), 0);
	assert_int_equal(rados_aio_remove(io, o, c[2]), 0);
	assert_int_equal(rados_aio_append(io, o, c[3], "yz", 2), 0);
	assert_int_equal(aio_wait(c[0]), 0);
	assert_int_equal(aio_wait(c[1]), 0);
	assert_int_equal(aio_wait(c[2]), -ENOENT);
	assert_int_equal(aio_wait(c[3]), 0);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 2);
	assert_memory_equal(buf, "yz", 2);
	assert_int_equal(rados_remove(io, o), 0);
	free(all);
}

static void test_aio_callback_does_io(void **state)
{
	rados_completion_t c;
	int r = -1;

	(void)state;
	assert_int_equal(rados_aio_create_completion2(&r, sync_in_cb, &c), 0);
	assert_int_equal(rados_aio_write_full(io, oname("cbsync"), c, "cb", 2), 0);
	assert_int_equal(rados_aio_wait_for_complete_and_cb(c), 0);
	rados_aio_release(c);
	assert_int_equal(r, 2);
	assert_int_equal(rados_remove(io, oname("cbsync")), 0);
}

/* ---- compound ops ---- */

static void test_write_op_atomic(void **state)
{
	const char *o = oname("wop");
	rados_write_op_t w;
	char buf[64];
	int prval = 1;

	(void)state;
	/* exclusive create */
	w = rados_create_write_op();
	rados_write_op_create(w, LIBRADOS_CREATE_EXCLUSIVE, NULL);
	rados_write_op_write_full(w, "base", 4);
	rados_write_op_setxattr(w, "x", "1", 1);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), 0);
	rados_release_write_op(w);
	w = rados_create_write_op();
	rados_write_op_create(w, LIBRADOS_CREATE_EXCLUSIVE, NULL);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), -EEXIST);
	rados_release_write_op(w);

	/* a failing cmpext applies nothing */
	w = rados_create_write_op();
	rados_write_op_cmpext(w, "bXse", 4, 0, &prval);
	rados_write_op_write(w, "CHANGED", 7, 0);
	rados_write_op_setxattr(w, "x", "2", 1);
	{
		const char *k[] = { "k1" };
		const char *v[] = { "v1" };
		size_t l[] = { 2 };

		rados_write_op_omap_set(w, k, v, l, 1);
	}
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), -MAX_ERRNO - 1);
	assert_int_equal(prval, -MAX_ERRNO - 1);
	rados_release_write_op(w);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 4);
	assert_memory_equal(buf, "base", 4);
	assert_int_equal(rados_getxattr(io, o, "x", buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], '1');

	/* a failing cmpxattr applies nothing either */
	w = rados_create_write_op();
	rados_write_op_cmpxattr(w, "x", LIBRADOS_CMPXATTR_OP_EQ, "9", 1);
	rados_write_op_append(w, "more", 4);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), -ECANCELED);
	rados_release_write_op(w);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 4);

	/* a matching one applies all */
	prval = 1;
	w = rados_create_write_op();
	rados_write_op_cmpext(w, "base", 4, 0, &prval);
	rados_write_op_cmpxattr(w, "x", LIBRADOS_CMPXATTR_OP_EQ, "1", 1);
	rados_write_op_append(w, "more", 4);
	rados_write_op_zero(w, 0, 1);
	rados_write_op_rmxattr(w, "x");
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), 0);
	assert_int_equal(prval, 0);
	rados_release_write_op(w);
	assert_int_equal(rados_read(io, o, buf, sizeof(buf), 0), 8);
	assert_memory_equal(buf, "\0asemore", 8);
	assert_int_equal(rados_getxattr(io, o, "x", buf, sizeof(buf)), -ENODATA);

	/* assert_version */
	{
		uint64_t v = rados_get_last_version(io);

		assert_int_equal(rados_stat(io, o, NULL, NULL), 0);
		v = rados_get_last_version(io);
		w = rados_create_write_op();
		rados_write_op_assert_version(w, v + 1);
		rados_write_op_truncate(w, 1);
		assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), -EOVERFLOW);
		rados_release_write_op(w);
		w = rados_create_write_op();
		rados_write_op_assert_version(w, v - 1);
		rados_write_op_truncate(w, 1);
		assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), -ERANGE);
		rados_release_write_op(w);
		w = rados_create_write_op();
		rados_write_op_assert_version(w, 0);
		rados_write_op_truncate(w, 1);
		assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), -EINVAL);
		rados_release_write_op(w);
		w = rados_create_write_op();
		rados_write_op_assert_version(w, v);
		rados_write_op_truncate(w, 1);
		assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), 0);
		rados_release_write_op(w);
	}

	/* remove through an op; exec is not supported */
	w = rados_create_write_op();
	rados_write_op_remove(w);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), 0);
	rados_release_write_op(w);
	assert_int_equal(rados_stat(io, o, NULL, NULL), -ENOENT);
	w = rados_create_write_op();
	rados_write_op_exec(w, "c", "m", NULL, 0, &prval);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), -EOPNOTSUPP);
	rados_release_write_op(w);
}

static int omap_count(rados_omap_iter_t it, const char *const *keys,
		      const char *const *vals)
{
	char *k, *v;
	size_t len;
	int n = 0;

	for (;;) {
		assert_int_equal(rados_omap_get_next(it, &k, &v, &len), 0);
		if (!k)
			break;
		if (keys)
			assert_string_equal(k, keys[n]);
		if (vals) {
			assert_int_equal(len, strlen(vals[n]));
			assert_memory_equal(v, vals[n], len);
		}
		n++;
	}
	return n;
}

static void test_omap(void **state)
{
	const char *o = oname("omap");
	const char *keys[] = { "a", "b", "c", "d" };
	const char *vals[] = { "1", "22", "333", "" };
	size_t lens[] = { 1, 2, 3, 0 };
	rados_write_op_t w;
	rados_read_op_t r;
	rados_omap_iter_t it1, it2, it3, it4;
	unsigned char more = 9;
	int p1 = 1, p2 = 1, p3 = 1, p4 = 1, prval = 1;
	char buf[16];
	size_t got = 0;

	(void)state;
	w = rados_create_write_op();
	rados_write_op_create(w, LIBRADOS_CREATE_IDEMPOTENT, NULL);
	rados_write_op_write_full(w, "data", 4);
	rados_write_op_omap_set(w, keys, vals, lens, 4);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), 0);
	rados_release_write_op(w);

	r = rados_create_read_op();
	rados_read_op_omap_get_vals2(r, "", "", 2, &it1, &more, &p1);
	rados_read_op_omap_get_keys2(r, "b", 100, &it2, NULL, &p2);
	rados_read_op_omap_get_vals_by_keys(r, (const char *[]){ "c", "zz" }, 2, &it3, &p3);
	rados_read_op_omap_get_vals(r, NULL, "c", 100, &it4, &p4);
	rados_read_op_read(r, 1, 8, buf, &got, &prval);
	assert_int_equal(rados_read_op_operate(r, io, o, 0), 0);
	rados_release_read_op(r);
	assert_int_equal(p1, 0);
	assert_int_equal(p2, 0);
	assert_int_equal(p3, 0);
	assert_int_equal(p4, 0);
	assert_int_equal(prval, 0);
	assert_int_equal(got, 3);
	assert_memory_equal(buf, "ata", 3);
	assert_int_equal(more, 1);
	assert_int_equal(rados_omap_iter_size(it1), 2);
	assert_int_equal(omap_count(it1, keys, vals), 2);
	assert_int_equal(omap_count(it2, keys + 2, NULL), 2);
	assert_int_equal(omap_count(it3, keys + 2, vals + 2), 1);
	assert_int_equal(omap_count(it4, keys + 2, vals + 2), 1);
	rados_omap_get_end(it1);
	rados_omap_get_end(it2);
	rados_omap_get_end(it3);
	rados_omap_get_end(it4);

	/* omap_cmp guards a write */
	w = rados_create_write_op();
	rados_write_op_omap_cmp(w, "b", LIBRADOS_CMPXATTR_OP_EQ, "nope", 4, &prval);
	rados_write_op_omap_clear(w);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), -ECANCELED);
	rados_release_write_op(w);
	w = rados_create_write_op();
	rados_write_op_omap_rm_keys(w, keys, 2);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), 0);
	rados_release_write_op(w);
	r = rados_create_read_op();
	rados_read_op_omap_get_keys2(r, NULL, 100, &it1, &more, &p1);
	assert_int_equal(rados_read_op_operate(r, io, o, 0), 0);
	rados_release_read_op(r);
	assert_int_equal(more, 0);
	assert_int_equal(omap_count(it1, keys + 2, NULL), 2);
	rados_omap_get_end(it1);
	w = rados_create_write_op();
	rados_write_op_omap_clear(w);
	assert_int_equal(rados_write_op_operate(w, io, o, NULL, 0), 0);
	rados_release_write_op(w);

	/* aio read op, with stat, getxattrs and an assertion */
	{
		rados_completion_t c;
		rados_xattrs_iter_t xi;
		uint64_t size = 0;
		int ps = 1, px = 1;

		r = rados_create_read_op();
		rados_read_op_assert_exists(r);
		rados_read_op_stat(r, &size, NULL, &ps);
		rados_read_op_getxattrs(r, &xi, &px);
		rados_read_op_omap_get_vals2(r, NULL, NULL, 10, &it1, &more, &p1);
		assert_int_equal(rados_aio_create_completion2(NULL, NULL, &c), 0);
		assert_int_equal(rados_aio_read_op_operate(r, io, c, o, 0), 0);
		rados_release_read_op(r); /* allowed before completion */
		assert_int_equal(aio_wait(c), 0);
		assert_int_equal(ps, 0);
		assert_int_equal(size, 4);
		assert_int_equal(omap_count(it1, NULL, NULL), 0);
		rados_omap_get_end(it1);
		rados_getxattrs_end(xi);
	}
	/* aio write op */
	{
		rados_completion_t c;

		w = rados_create_write_op();
		rados_write_op_remove(w);
		assert_int_equal(rados_aio_create_completion2(NULL, NULL, &c), 0);
		assert_int_equal(rados_aio_write_op_operate(w, io, c, o, NULL, 0), 0);
		rados_release_write_op(w);
		assert_int_equal(aio_wait(c), 0);
	}
	/* a read op on a missing object */
	r = rados_create_read_op();
	rados_read_op_omap_get_vals2(r, NULL, NULL, 10, &it1, &more, &p1);
	assert_int_equal(rados_read_op_operate(r, io, o, 0), -ENOENT);
	rados_release_read_op(r);
	rados_omap_get_end(it1);
}

/* ---- listing ---- */

struct seen {
	char name[64];
	char ns[16];
	int count;
};

static int list_all(rados_ioctx_t x, struct seen *s, int max, const char *tag)
{
	rados_list_ctx_t ls;
	const char *e, *k, *ns;
	int n = 0, total = 0, rc;

	assert_int_equal(rados_nobjects_list_open(x, &ls), 0);
	while ((rc = rados_nobjects_list_next(ls, &e, &k, &ns)) == 0) {
		int i;

		if (!strstr(e, tag))
			continue;
		total++;
		for (i = 0; i < n; i++)
			if (strcmp(s[i].name, e) == 0 && strcmp(s[i].ns, ns) == 0)
				break;
		if (i == n) {
			assert_true(n < max);
			snprintf(s[n].name, sizeof(s[n].name), "%s", e);
			snprintf(s[n].ns, sizeof(s[n].ns), "%s", ns);
			s[n++].count = 0;
		}
		s[i].count++;
	}
	assert_int_equal(rc, -ENOENT);
	rados_nobjects_list_close(ls);
	for (int i = 0; i < n; i++)
		assert_int_equal(s[i].count, 1); /* no duplicates */
	return total;
}

static void test_list_namespaces(void **state)
{
	char tag[32], name[64];
	struct seen s[64];
	rados_ioctx_t x;
	const char *nss[] = { "", "ns1", "ns2" };

	(void)state;
	snprintf(tag, sizeof(tag), "ls%d", (int)getpid());
	assert_int_equal(rados_ioctx_create(cluster, pool_name, &x), 0);
	for (int n = 0; n < 3; n++) {
		rados_ioctx_set_namespace(x, nss[n]);
		for (int i = 0; i < 5 + n; i++) {
			snprintf(name, sizeof(name), "%s.%d", tag, i);
			assert_int_equal(rados_write_full(x, name, "x", 1), 0);
		}
	}
	/* a locator key places the object by the key */
	rados_ioctx_set_namespace(x, NULL);
	rados_ioctx_locator_set_key(x, "thekey");
	snprintf(name, sizeof(name), "%s.keyed", tag);
	assert_int_equal(rados_write_full(x, name, "k", 1), 0);
	assert_int_equal(rados_read(x, name, name + 40, 1, 0), 1);
	rados_ioctx_locator_set_key(x, NULL);

	rados_ioctx_set_namespace(x, "");
	assert_int_equal(list_all(x, s, 64, tag), 6);
	rados_ioctx_set_namespace(x, "ns1");
	assert_int_equal(list_all(x, s, 64, tag), 6);
	for (int i = 0; i < 6; i++)
		assert_string_equal(s[i].ns, "ns1");
	rados_ioctx_set_namespace(x, LIBRADOS_ALL_NSPACES);
	assert_int_equal(list_all(x, s, 64, tag), 5 + 6 + 7 + 1);
	assert_int_equal(rados_write(x, "o", "x", 1, 0), -EINVAL);
	{
		char nsbuf[8];

		assert_int_equal(rados_ioctx_get_namespace(x, nsbuf, sizeof(nsbuf)), 1);
	}

	/* the keyed object lists with its key */
	{
		rados_list_ctx_t ls;
		const char *e, *k, *ns;
		int found = 0;

		rados_ioctx_set_namespace(x, "");
		assert_int_equal(rados_nobjects_list_open(x, &ls), 0);
		while (rados_nobjects_list_next(ls, &e, &k, &ns) == 0) {
			if (strstr(e, tag) && strstr(e, "keyed")) {
				assert_non_null(k);
				assert_string_equal(k, "thekey");
				found++;
			} else if (strstr(e, tag)) {
				assert_null(k);
			}
		}
		assert_int_equal(rados_nobjects_list_seek(ls, 0), 0);
		assert_int_equal(rados_nobjects_list_get_pg_hash_position(ls), 0);
		rados_nobjects_list_close(ls);
		assert_int_equal(found, 1);
	}

	/* clean up */
	for (int n = 0; n < 3; n++) {
		rados_ioctx_set_namespace(x, nss[n]);
		for (int i = 0; i < 5 + n; i++) {
			snprintf(name, sizeof(name), "%s.%d", tag, i);
			assert_int_equal(rados_remove(x, name), 0);
		}
	}
	rados_ioctx_set_namespace(x, NULL);
	rados_ioctx_locator_set_key(x, "thekey");
	snprintf(name, sizeof(name), "%s.keyed", tag);
	assert_int_equal(rados_remove(x, name), 0);
	rados_ioctx_destroy(x);
}

/* Objects that exist during the whole listing are seen exactly once
 * while others are created and removed. */
struct churn {
	volatile int stop;
	char tag[32];
	int ops;
};

static void *churn_main(void *arg)
{
	struct churn *ch = arg;
	char name[64];

	for (int i = 0; !ch->stop; i++) {
		snprintf(name, sizeof(name), "%s.tmp.%d", ch->tag, i % 50);
		if (i % 100 < 50)
			rados_write_full(io, name, "t", 1);
		else
			rados_remove(io, name);
		ch->ops++;
	}
	return NULL;
}

static void test_list_concurrent(void **state)
{
	struct churn ch = { 0 };
	static struct seen s[400];
	char stag[40], name[64];
	pthread_t t;
	int n;

	(void)state;
	snprintf(ch.tag, sizeof(ch.tag), "lc%d", (int)getpid());
	snprintf(stag, sizeof(stag), "%s.keep.", ch.tag);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "%s%d", stag, i);
		assert_int_equal(rados_write_full(io, name, "k", 1), 0);
	}
	assert_int_equal(pthread_create(&t, NULL, churn_main, &ch), 0);
	for (int round = 0; round < 3; round++) {
		n = list_all(io, s, 400, stag);
		assert_int_equal(n, 200);
	}
	ch.stop = 1;
	pthread_join(t, NULL);
	assert_true(ch.ops > 0);
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "%s%d", stag, i);
		assert_int_equal(rados_remove(io, name), 0);
	}
	for (int i = 0; i < 50; i++) {
		snprintf(name, sizeof(name), "%s.tmp.%d", ch.tag, i);
		rados_remove(io, name);
	}
}

/* ---- many threads, many ops in flight ---- */

#define THREADS 8
#define PER_THREAD 100

struct writer {
	int id;
	int errors;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	rados_completion_t c[PER_THREAD];
	char name[64], data[64], buf[64];

	for (int i = 0; i < PER_THREAD; i++) {
		snprintf(name, sizeof(name), "mt%d.%d.%d", (int)getpid(), w->id, i);
		snprintf(data, sizeof(data), "thread %d op %d", w->id, i);
		if (rados_aio_create_completion2(NULL, NULL, &c[i]) ||
		    rados_aio_write_full(io, name, c[i], data, strlen(data))) {
			w->errors++;
			c[i] = NULL;
		}
	}
	for (int i = 0; i < PER_THREAD; i++) {
		if (!c[i])
			continue;
		rados_aio_wait_for_complete(c[i]);
		if (rados_aio_get_return_value(c[i]) != 0)
			w->errors++;
		rados_aio_release(c[i]);
	}
	for (int i = 0; i < PER_THREAD; i++) {
		int n;

		snprintf(name, sizeof(name), "mt%d.%d.%d", (int)getpid(), w->id, i);
		snprintf(data, sizeof(data), "thread %d op %d", w->id, i);
		n = rados_read(io, name, buf, sizeof(buf), 0);
		if (n != (int)strlen(data) || memcmp(buf, data, (size_t)n) != 0)
			w->errors++;
		if (rados_remove(io, name) != 0)
			w->errors++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[THREADS];
	struct writer w[THREADS];

	(void)state;
	for (int i = 0; i < THREADS; i++) {
		w[i].id = i;
		w[i].errors = 0;
		assert_int_equal(pthread_create(&t[i], NULL, writer_main, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
}

/* ---- large objects ---- */

static void test_large(void **state)
{
	const char *o = oname("large");
	size_t n = 4u << 20;
	char *a = malloc(n), *b = malloc(n);

	(void)state;
	for (size_t i = 0; i < n; i++)
		a[i] = (char)(i * 7 + (i >> 12));
	assert_int_equal(rados_write_full(io, o, a, n), 0);
	assert_int_equal(rados_read(io, o, b, n, 0), (int)n);
	assert_memory_equal(a, b, n);
	/* Unaligned starts and ends, past the end, and a partial last block
	 * (the OSD reads whole blocks straight into the reply). */
	const size_t offs[][2] = { { 1000, 300000 }, { 4096, 65536 },
				   { 4095, 70000 }, { n - 70000, 100000 },
				   { 12345, n } };
	for (size_t k = 0; k < sizeof(offs) / sizeof(offs[0]); k++) {
		size_t off = offs[k][0], want = offs[k][1];
		if (want > n - off)
			want = n - off;
		memset(b, 0, n);
		assert_int_equal(rados_read(io, o, b, offs[k][1], off), (int)want);
		assert_memory_equal(a + off, b, want);
	}
	assert_int_equal(rados_write_full(io, o, a, n - 1234), 0);
	assert_int_equal(rados_read(io, o, b, n, 0), (int)(n - 1234));
	assert_memory_equal(a, b, n - 1234);
	assert_int_equal(rados_remove(io, o), 0);
	free(a);
	free(b);
}

/* ---- stats, pools ---- */

static void test_stats(void **state)
{
	struct rados_cluster_stat_t cs;
	struct rados_pool_stat_t ps;
	const char *o = oname("stats");

	(void)state;
	assert_int_equal(rados_write_full(io, o, "12345", 5), 0);
	assert_int_equal(rados_cluster_stat(cluster, &cs), 0);
	assert_true(cs.kb > 0);
	assert_true(cs.kb_avail > 0);
	assert_int_equal(rados_ioctx_pool_stat(io, &ps), 0);
	assert_int_equal(rados_remove(io, o), 0);
}

static void test_deleted_pool(void **state)
{
	char pname[64];
	rados_ioctx_t x;
	rados_completion_t c;
	char buf[4];

	(void)state;
	snprintf(pname, sizeof(pname), "gone%d", (int)getpid());
	assert_int_equal(rados_pool_create(cluster, pname), 0);
	assert_int_equal(rados_pool_create(cluster, pname), -EEXIST);
	assert_int_equal(rados_ioctx_create(cluster, pname, &x), 0);
	assert_int_equal(rados_write_full(x, "o", "x", 1), 0);
	assert_int_equal(rados_pool_delete(cluster, pname), 0);
	assert_int_equal(rados_read(x, "o", buf, sizeof(buf), 0), -ENOENT);
	assert_int_equal(rados_aio_create_completion2(NULL, NULL, &c), 0);
	assert_int_equal(rados_aio_write(x, "o", c, "x", 1, 0), 0);
	assert_int_equal(aio_wait(c), -ENOENT);
	rados_ioctx_destroy(x);
	assert_int_equal(rados_ioctx_create(cluster, pname, &x), -ENOENT);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sync_data),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_sync_xattrs),
		cmocka_unit_test(test_aio_ops),
		cmocka_unit_test(test_aio_callback_does_io),
		cmocka_unit_test(test_pipelined_same_object),
		cmocka_unit_test(test_write_op_atomic),
		cmocka_unit_test(test_omap),
		cmocka_unit_test(test_list_namespaces),
		cmocka_unit_test(test_list_concurrent),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_deleted_pool),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: %s CEPH_CONF POOL\n", argv[0]);
		return 2;
	}
	conf_path = argv[1];
	pool_name = argv[2];
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
