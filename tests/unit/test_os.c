/*
 * Unit tests for the object store (src/os): every transaction op and read,
 * checksum failures, size and name limits, listings, and persistence.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "os/os.h"
#include "os_test_util.h"

struct fx {
	char *dir;
	struct os_store *st;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->dir = os_test_mkdtemp();
	assert_non_null(f->dir);
	assert_int_equal(os_open(f->dir, NULL, &f->st), 0);
	assert_int_equal(os_collection_create(f->st, "1.0_head"), 0);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	os_close(f->st);
	os_test_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void fx_reopen(struct fx *f, const struct os_opts *opts)
{
	os_close(f->st);
	assert_int_equal(os_open(f->dir, opts, &f->st), 0);
}

#define C "1.0_head"

/* One-op transactions, for brevity. */
static int do_write(struct os_store *st, const char *oid, uint64_t off, uint64_t len, const void *d)
{
	struct os_txn *t = os_txn_create();
	int r = os_txn_write(t, C, oid, off, len, d);
	if (!r)
		r = os_txn_apply(st, t);
	os_txn_destroy(t);
	return r;
}

static void fill(unsigned char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)((i * 31 + seed * 7 + (i >> 12)) & 0xff);
}

static void check_data(struct os_store *st, const char *oid, const unsigned char *want, size_t size)
{
	struct os_stat s;
	assert_int_equal(os_stat(st, C, oid, &s), 0);
	assert_int_equal(s.size, size);
	unsigned char *got = malloc(size + 100);
	assert_int_equal(os_read(st, C, oid, 0, size + 100, got), (ssize_t)size);
	assert_memory_equal(got, want, size);
	free(got);
}

static void test_collections(void **state)
{
	struct fx *f = *state;
	char **names;
	size_t n;
	assert_int_equal(os_collection_create(f->st, C), -EEXIST);
	assert_int_equal(os_collection_create(f->st, "0.1_head"), 0);
	assert_true(os_collection_exists(f->st, "0.1_head"));
	assert_int_equal(os_collection_list(f->st, &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "0.1_head");
	assert_string_equal(names[1], C);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	assert_int_equal(do_write(f->st, "a", 0, 3, "abc"), 0);
	assert_int_equal(os_collection_remove(f->st, C), -ENOTEMPTY);
	assert_int_equal(os_collection_remove(f->st, "0.1_head"), 0);
	assert_int_equal(os_collection_remove(f->st, "0.1_head"), -ENOENT);
	assert_false(os_collection_exists(f->st, "0.1_head"));
	/* Ops on a missing collection fail. */
	struct os_txn *t = os_txn_create();
	assert_int_equal(os_txn_touch(t, "nope", "x"), 0);
	assert_int_equal(os_txn_apply(f->st, t), -ENOENT);
	os_txn_destroy(t);
	/* Remove the object and the collection in one transaction. */
	t = os_txn_create();
	os_txn_remove(t, C, "a");
	os_txn_remove_collection(t, C);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	assert_false(os_collection_exists(f->st, C));
}

static void test_write_read_model(void **state)
{
	struct fx *f = *state;
	enum { MAX = 300000 };
	unsigned char *model = calloc(1, MAX), *d = malloc(MAX);
	size_t size = 0;
	/* Aligned, unaligned, within one block, spanning many, past the end. */
	static const struct { uint64_t off, len; } w[] = {
		{ 0, 4096 }, { 100, 50 }, { 4000, 200 }, { 10000, 70000 },
		{ 8192, 4096 }, { 200000, 1 }, { 4095, 2 }, { 0, 1 }, { 199999, 3 },
	};
	for (unsigned i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		fill(d, w[i].len, i);
		assert_int_equal(do_write(f->st, "obj", w[i].off, w[i].len, d), 0);
		memcpy(model + w[i].off, d, w[i].len);
		if (w[i].off + w[i].len > size)
			size = w[i].off + w[i].len;
		check_data(f->st, "obj", model, size);
	}
	/* Reads at offsets. */
	unsigned char buf[9000];
	assert_int_equal(os_read(f->st, C, "obj", 4090, 9000, buf), 9000);
	assert_memory_equal(buf, model + 4090, 9000);
	assert_int_equal(os_read(f->st, C, "obj", size - 5, 100, buf), 5);
	assert_int_equal(os_read(f->st, C, "obj", size + 5, 100, buf), 0);
	assert_int_equal(os_read(f->st, C, "missing", 0, 100, buf), -ENOENT);

	/* Truncate down mid-block, then grow: the tail reads as zeros. */
	struct os_txn *t = os_txn_create();
	os_txn_truncate(t, C, "obj", 5000);
	os_txn_truncate(t, C, "obj", 20000);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	memset(model + 5000, 0, MAX - 5000);
	size = 20000;
	check_data(f->st, "obj", model, size);

	/* Zero: partial blocks, whole blocks, and past the end (extends). */
	t = os_txn_create();
	os_txn_zero(t, C, "obj", 10, 20);
	os_txn_zero(t, C, "obj", 3000, 9000);
	os_txn_zero(t, C, "obj", 19000, 3000);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	memset(model + 10, 0, 20);
	memset(model + 3000, 0, 9000);
	memset(model + 19000, 0, 3000);
	size = 22000;
	check_data(f->st, "obj", model, size);

	/* Append, then write_full replaces everything. */
	fill(d, 777, 99);
	t = os_txn_create();
	os_txn_append(t, C, "obj", 777, d);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	memcpy(model + size, d, 777);
	size += 777;
	check_data(f->st, "obj", model, size);
	fill(d, 5000, 5);
	t = os_txn_create();
	os_txn_write_full(t, C, "obj", 5000, d);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	check_data(f->st, "obj", d, 5000);
	free(model);
	free(d);
}

static void test_create_remove_touch_atomic(void **state)
{
	struct fx *f = *state;
	struct os_stat s;
	struct os_txn *t = os_txn_create();
	os_txn_create_object(t, C, "o", true);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	assert_int_equal(os_txn_apply(f->st, t), -EEXIST);
	os_txn_destroy(t);
	assert_int_equal(os_stat(f->st, C, "o", &s), 0);
	assert_int_equal(s.size, 0);
	assert_true(s.mtime_ns > 0);
	t = os_txn_create();
	os_txn_create_object(t, C, "o", false);
	os_txn_touch(t, C, "o");
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);

	/* A failing op anywhere undoes the whole transaction. */
	t = os_txn_create();
	os_txn_write(t, C, "o", 0, 5, "hello");
	os_txn_setxattr(t, C, "o", "k", "v", 1);
	os_txn_write(t, C, "new", 0, 5, "hello");
	os_txn_remove(t, C, "absent");
	assert_int_equal(os_txn_apply(f->st, t), -ENOENT);
	os_txn_destroy(t);
	assert_int_equal(os_stat(f->st, C, "o", &s), 0);
	assert_int_equal(s.size, 0);
	assert_int_equal(os_stat(f->st, C, "new", &s), -ENOENT);
	void *v;
	size_t vl;
	assert_int_equal(os_getxattr(f->st, C, "o", "k", &v, &vl), -ENODATA);

	/* Remove drops data, xattrs and omap; re-create starts clean. */
	t = os_txn_create();
	os_txn_write(t, C, "o", 0, 5, "hello");
	os_txn_setxattr(t, C, "o", "k", "v", 1);
	os_txn_omap_set(t, C, "o", "m", "w", 1);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	t = os_txn_create();
	os_txn_remove(t, C, "o");
	os_txn_touch(t, C, "o");
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	assert_int_equal(os_stat(f->st, C, "o", &s), 0);
	assert_int_equal(s.size, 0);
	assert_int_equal(os_getxattr(f->st, C, "o", "k", &v, &vl), -ENODATA);
	struct os_kv *kvs;
	size_t n;
	bool more;
	assert_int_equal(os_omap_get_keys(f->st, C, "o", NULL, 10, &kvs, &n, &more), 0);
	assert_int_equal(n, 0);
	os_kvs_free(kvs, n);
	t = os_txn_create();
	os_txn_remove(t, C, "o");
	assert_int_equal(os_txn_apply(f->st, t), 0);
	assert_int_equal(os_txn_apply(f->st, t), -ENOENT);
	os_txn_destroy(t);
	assert_int_equal(os_stat(f->st, C, "o", &s), -ENOENT);
}

static void test_xattrs(void **state)
{
	struct fx *f = *state;
	size_t big_len = 64 * 1024;
	unsigned char *big = malloc(big_len);
	fill(big, big_len, 3);
	struct os_txn *t = os_txn_create();
	os_txn_setxattr(t, C, "o", "_", big, big_len);
	os_txn_setxattr(t, C, "o", "snapset", "s1", 2);
	os_txn_setxattr(t, C, "o", "empty", NULL, 0);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	void *v;
	size_t vl;
	assert_int_equal(os_getxattr(f->st, C, "o", "_", &v, &vl), 0);
	assert_int_equal(vl, big_len);
	assert_memory_equal(v, big, big_len);
	free(v);
	assert_int_equal(os_getxattr(f->st, C, "o", "empty", &v, &vl), 0);
	assert_int_equal(vl, 0);
	free(v);
	assert_int_equal(os_getxattr(f->st, C, "o", "nope", &v, &vl), -ENODATA);
	assert_int_equal(os_getxattr(f->st, C, "x", "_", &v, &vl), -ENOENT);
	struct os_kv *kvs;
	size_t n;
	assert_int_equal(os_getxattrs(f->st, C, "o", &kvs, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(kvs[0].key, "_");
	assert_string_equal(kvs[1].key, "empty");
	assert_string_equal(kvs[2].key, "snapset");
	assert_int_equal(kvs[2].val_len, 2);
	assert_memory_equal(kvs[2].val, "s1", 2);
	os_kvs_free(kvs, n);
	t = os_txn_create();
	os_txn_rmxattr(t, C, "o", "_");
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	assert_int_equal(os_getxattr(f->st, C, "o", "_", &v, &vl), -ENODATA);
	/* rmxattr of a missing xattr fails, seeing the txn's own changes. */
	t = os_txn_create();
	os_txn_rmxattr(t, C, "o", "_");
	assert_int_equal(os_txn_apply(f->st, t), -ENODATA);
	os_txn_destroy(t);
	t = os_txn_create();
	os_txn_setxattr(t, C, "o", "n", "1", 1);
	os_txn_rmxattr(t, C, "o", "n");
	os_txn_rmxattr(t, C, "o", "snapset");
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	t = os_txn_create();
	os_txn_remove(t, C, "o");
	os_txn_touch(t, C, "o");
	os_txn_rmxattr(t, C, "o", "empty");
	assert_int_equal(os_txn_apply(f->st, t), -ENODATA);
	os_txn_destroy(t);
	assert_int_equal(os_getxattrs(f->st, C, "o", &kvs, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(kvs[0].key, "empty");
	os_kvs_free(kvs, n);
	free(big);
}

static void test_omap(void **state)
{
	struct fx *f = *state;
	struct os_txn *t = os_txn_create();
	char k[32], val[32];
	for (int i = 0; i < 100; i++) {
		snprintf(k, sizeof(k), "key%03d", i);
		snprintf(val, sizeof(val), "val%d", i);
		os_txn_omap_set(t, C, "o", k, val, strlen(val));
	}
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	/* Page through the keys 7 at a time. */
	char last[32] = "";
	int seen = 0;
	bool more = true;
	while (more) {
		struct os_kv *kvs;
		size_t n;
		assert_int_equal(os_omap_get_vals(f->st, C, "o", seen ? last : NULL, 7,
						  &kvs, &n, &more), 0);
		for (size_t i = 0; i < n; i++, seen++) {
			snprintf(k, sizeof(k), "key%03d", seen);
			snprintf(val, sizeof(val), "val%d", seen);
			assert_string_equal(kvs[i].key, k);
			assert_int_equal(kvs[i].val_len, strlen(val));
			assert_memory_equal(kvs[i].val, val, strlen(val));
		}
		if (n)
			snprintf(last, sizeof(last), "%s", kvs[n - 1].key);
		os_kvs_free(kvs, n);
	}
	assert_int_equal(seen, 100);
	struct os_kv *kvs;
	size_t n;
	assert_int_equal(os_omap_get_keys(f->st, C, "o", "key050", 3, &kvs, &n, &more), 0);
	assert_int_equal(n, 3);
	assert_true(more);
	assert_string_equal(kvs[0].key, "key051");
	assert_null(kvs[0].val);
	os_kvs_free(kvs, n);
	const char *want[] = { "key007", "nokey", "key099" };
	assert_int_equal(os_omap_get_vals_by_keys(f->st, C, "o", want, 3, &kvs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(kvs[0].key, "key007");
	assert_memory_equal(kvs[1].val, "val99", 5);
	os_kvs_free(kvs, n);
	t = os_txn_create();
	os_txn_omap_rm(t, C, "o", "key000");
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	assert_int_equal(os_omap_get_keys(f->st, C, "o", NULL, 1, &kvs, &n, &more), 0);
	assert_string_equal(kvs[0].key, "key001");
	os_kvs_free(kvs, n);
	t = os_txn_create();
	os_txn_omap_clear(t, C, "o");
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	assert_int_equal(os_omap_get_keys(f->st, C, "o", NULL, 10, &kvs, &n, &more), 0);
	assert_int_equal(n, 0);
	assert_false(more);
	os_kvs_free(kvs, n);
}

static void test_limits(void **state)
{
	struct fx *f = *state;
	/* Default 128 MiB. */
	assert_int_equal(do_write(f->st, "big", (128u << 20) - 1, 2, "ab"), -EFBIG);
	assert_int_equal(do_write(f->st, "big", (128u << 20) - 2, 2, "ab"), 0);
	struct os_stat s;
	assert_int_equal(os_stat(f->st, C, "big", &s), 0);
	assert_int_equal(s.size, 128u << 20);
	struct os_opts o = { .max_object_size = 10000 };
	fx_reopen(f, &o);
	struct os_txn *t = os_txn_create();
	os_txn_truncate(t, C, "x", 10001);
	assert_int_equal(os_txn_apply(f->st, t), -EFBIG);
	os_txn_destroy(t);
	t = os_txn_create();
	os_txn_zero(t, C, "x", 9000, 2000);
	assert_int_equal(os_txn_apply(f->st, t), -EFBIG);
	os_txn_destroy(t);
	char *z = calloc(1, 10001);
	t = os_txn_create();
	os_txn_write_full(t, C, "x", 10001, z);
	assert_int_equal(os_txn_apply(f->st, t), -EFBIG);
	os_txn_destroy(t);
	free(z);
	assert_int_equal(do_write(f->st, "x", UINT64_MAX - 1, 2, "ab"), -EFBIG);
	assert_int_equal(do_write(f->st, "x", 9999, 1, "a"), 0);

	char *name = malloc(OS_MAX_NAME_LEN + 2);
	memset(name, 'n', OS_MAX_NAME_LEN + 1);
	name[OS_MAX_NAME_LEN + 1] = '\0';
	t = os_txn_create();
	assert_int_equal(os_txn_touch(t, C, name), -ENAMETOOLONG);
	assert_int_equal(os_txn_apply(f->st, t), -ENAMETOOLONG);
	os_txn_destroy(t);
	name[OS_MAX_NAME_LEN] = '\0';
	assert_int_equal(do_write(f->st, name, 0, 1, "z"), 0);
	char c;
	assert_int_equal(os_read(f->st, C, name, 0, 1, &c), 1);
	assert_int_equal(c, 'z');
	free(name);
}

static void test_list_objects(void **state)
{
	struct fx *f = *state;
	static const char *ins[] = { "b", "a", "ab", "B", "a b", "zz", "\x7f", "a\x01" };
	static const char *sorted[] = { "B", "a", "a\x01", "a b", "ab", "b", "zz", "\x7f" };
	struct os_txn *t = os_txn_create();
	for (size_t i = 0; i < 8; i++) {
		os_txn_touch(t, C, ins[i]);
		os_txn_setxattr(t, C, ins[i], "x", "y", 1);
	}
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	/* An object in another collection never shows up. */
	assert_int_equal(os_collection_create(f->st, C "x"), 0);
	t = os_txn_create();
	os_txn_touch(t, C "x", "a");
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	size_t seen = 0;
	const char *after = NULL;
	char lastbuf[16];
	bool more = true;
	while (more) {
		char **names;
		size_t n;
		assert_int_equal(os_list_objects(f->st, C, after, 3, &names, &n, &more), 0);
		for (size_t i = 0; i < n; i++) {
			assert_string_equal(names[i], sorted[seen++]);
			snprintf(lastbuf, sizeof(lastbuf), "%s", names[i]);
			free(names[i]);
		}
		free(names);
		after = lastbuf;
	}
	assert_int_equal(seen, 8);
	char **names;
	size_t n;
	bool m;
	assert_int_equal(os_list_objects(f->st, "none", NULL, 3, &names, &n, &m), -ENOENT);
}

static void test_reopen(void **state)
{
	struct fx *f = *state;
	unsigned char d[20000];
	fill(d, sizeof(d), 11);
	struct os_txn *t = os_txn_create();
	os_txn_write(t, C, "p", 0, sizeof(d), d);
	os_txn_setxattr(t, C, "p", "a", "1", 1);
	os_txn_omap_set(t, C, "p", "k", "v", 1);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	fx_reopen(f, NULL);
	check_data(f->st, "p", d, sizeof(d));
	void *v;
	size_t vl;
	assert_int_equal(os_getxattr(f->st, C, "p", "a", &v, &vl), 0);
	free(v);
	/* The allocator was rebuilt: new writes must not land on p's blocks. */
	unsigned char e[20000];
	fill(e, sizeof(e), 12);
	assert_int_equal(do_write(f->st, "q", 0, sizeof(e), e), 0);
	assert_int_equal(do_write(f->st, "p", 100, 10, "0123456789"), 0);
	memcpy(d + 100, "0123456789", 10);
	check_data(f->st, "p", d, sizeof(d));
	check_data(f->st, "q", e, sizeof(e));
}

static void test_crc_mismatch(void **state)
{
	struct fx *f = *state;
	unsigned char d[3 * 4096];
	fill(d, sizeof(d), 1);
	assert_int_equal(do_write(f->st, "c", 0, sizeof(d), d), 0);
	/* The first allocation is physical block 1: flip a byte of block 2 (the
	 * object's second block) behind the store's back. */
	char path[600];
	snprintf(path, sizeof(path), "%s/block", f->dir);
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	unsigned char b;
	assert_int_equal(pread(fd, &b, 1, 2 * 4096 + 17), 1);
	b ^= 0x40;
	assert_int_equal(pwrite(fd, &b, 1, 2 * 4096 + 17), 1);
	close(fd);
	unsigned char buf[sizeof(d)];
	assert_int_equal(os_read(f->st, C, "c", 0, 100, buf), 100);
	assert_memory_equal(buf, d, 100);
	assert_int_equal(os_read(f->st, C, "c", 4096, 10, buf), -EIO);
	assert_int_equal(os_read(f->st, C, "c", 0, sizeof(d), buf), -EIO);
	assert_int_equal(os_read(f->st, C, "c", 2 * 4096, 4096, buf), 4096);
	/* A partial overwrite that must merge the bad block fails too. */
	assert_int_equal(do_write(f->st, "c", 4100, 1, "x"), -EIO);
	/* A whole-block overwrite replaces it and heals the object. */
	assert_int_equal(do_write(f->st, "c", 4096, 4096, d + 4096), 0);
	check_data(f->st, "c", d, sizeof(d));
}

/* Overwrites reuse freed space: 10 MB written through two 100 KB objects
 * leave the block file at the allocator's minimum span (1024 blocks; it
 * keeps at least half of its span free so large writes stay contiguous). */
static void test_space_reuse(void **state)
{
	struct fx *f = *state;
	enum { SZ = 100000 };
	unsigned char *d = malloc(SZ);
	for (unsigned i = 0; i < 100; i++) {
		fill(d, SZ, i);
		struct os_txn *t = os_txn_create();
		os_txn_write_full(t, C, i % 2 ? "a" : "b", SZ, d);
		assert_int_equal(os_txn_apply(f->st, t), 0);
		os_txn_destroy(t);
	}
	check_data(f->st, "b", (fill(d, SZ, 98), d), SZ);
	char path[600];
	struct stat sb;
	snprintf(path, sizeof(path), "%s/block", f->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size <= 1024 * 4096);
	free(d);
}

struct thr_arg {
	struct os_store *st;
	int id;
	int failures;
};

static void *thr_main(void *p)
{
	struct thr_arg *a = p;
	char name[16];
	unsigned char d[9000], got[9000];
	snprintf(name, sizeof(name), "t%d", a->id);
	for (int i = 0; i < 30; i++) {
		fill(d, sizeof(d), (unsigned)(a->id * 100 + i));
		struct os_txn *t = os_txn_create();
		os_txn_write_full(t, C, name, sizeof(d), d);
		os_txn_omap_set(t, C, name, "i", &i, sizeof(i));
		if (os_txn_apply(a->st, t))
			a->failures++;
		os_txn_destroy(t);
		if (os_read(a->st, C, name, 0, sizeof(got), got) != (ssize_t)sizeof(got) ||
		    memcmp(got, d, sizeof(d)))
			a->failures++;
	}
	return NULL;
}

/* Several threads applying and reading at once. */
static void test_threads(void **state)
{
	struct fx *f = *state;
	pthread_t th[4];
	struct thr_arg a[4];
	for (int i = 0; i < 4; i++) {
		a[i] = (struct thr_arg){ .st = f->st, .id = i };
		assert_int_equal(pthread_create(&th[i], NULL, thr_main, &a[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(a[i].failures, 0);
	}
	char **names;
	size_t n;
	bool more;
	assert_int_equal(os_list_objects(f->st, C, NULL, 10, &names, &n, &more), 0);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* os_statfs: the file system's space, and the store's own accounting,
 * kept across transactions and rebuilt at open. */
static void test_statfs(void **state)
{
	struct fx *f = *state;
	struct os_statfs sf;
	assert_int_equal(os_statfs(f->st, &sf), 0);
	assert_true(sf.total > 0);
	assert_true(sf.available <= sf.total);
	assert_int_equal(sf.data_stored, 0);
	assert_int_equal(sf.data_allocated, 0);
	unsigned char d[3 * 4096];
	fill(d, sizeof(d), 5);
	assert_int_equal(do_write(f->st, "a", 0, sizeof(d), d), 0);
	assert_int_equal(do_write(f->st, "b", 10, 5, d), 0);
	/* A hole costs no block: 1 MiB size, one block. */
	assert_int_equal(do_write(f->st, "h", (1u << 20) - 1, 1, d), 0);
	assert_int_equal(os_statfs(f->st, &sf), 0);
	assert_int_equal(sf.data_stored, sizeof(d) + 15 + (1u << 20));
	assert_int_equal(sf.data_allocated, 5 * 4096);
	struct os_txn *t = os_txn_create();
	os_txn_truncate(t, C, "a", 4096);
	os_txn_remove(t, C, "b");
	os_txn_omap_set(t, C, "h", "k", d, 1000);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	/* A failed txn changes nothing. */
	t = os_txn_create();
	os_txn_write(t, C, "a", 0, 100, d);
	os_txn_remove(t, C, "nope");
	assert_int_equal(os_txn_apply(f->st, t), -ENOENT);
	os_txn_destroy(t);
	assert_int_equal(os_statfs(f->st, &sf), 0);
	assert_int_equal(sf.data_stored, 4096 + (1u << 20));
	assert_int_equal(sf.data_allocated, 2 * 4096);
	assert_true(sf.omap_allocated >= 1000);
	fx_reopen(f, NULL);
	struct os_statfs again;
	assert_int_equal(os_statfs(f->st, &again), 0);
	assert_int_equal(again.data_stored, sf.data_stored);
	assert_int_equal(again.data_allocated, sf.data_allocated);
}

/* No small xattr or omap value limit (the ext4 4 KB xattr problem of
 * filestore must not exist): a 1 MiB xattr and a 64 KiB omap value. */
static void test_big_xattr_omap(void **state)
{
	struct fx *f = *state;
	size_t xl = 1u << 20, ml = 64u << 10;
	unsigned char *x = malloc(xl), *m = malloc(ml);
	fill(x, xl, 11);
	fill(m, ml, 12);
	struct os_txn *t = os_txn_create();
	assert_int_equal(os_txn_setxattr(t, C, "o", "big", x, xl), 0);
	assert_int_equal(os_txn_omap_set(t, C, "o", "big", m, ml), 0);
	assert_int_equal(os_txn_apply(f->st, t), 0);
	os_txn_destroy(t);
	for (int pass = 0; pass < 2; pass++) {
		void *v;
		size_t vl;
		assert_int_equal(os_getxattr(f->st, C, "o", "big", &v, &vl), 0);
		assert_int_equal(vl, xl);
		assert_memory_equal(v, x, xl);
		free(v);
		const char *keys[] = { "big" };
		struct os_kv *kvs;
		size_t n;
		assert_int_equal(os_omap_get_vals_by_keys(f->st, C, "o", keys, 1, &kvs, &n), 0);
		assert_int_equal(n, 1);
		assert_int_equal(kvs[0].val_len, ml);
		assert_memory_equal(kvs[0].val, m, ml);
		os_kvs_free(kvs, n);
		fx_reopen(f, NULL);
	}
	free(x);
	free(m);
}

/* Counts what the store writes to its data file. */
static uint64_t counted_bytes;
static ssize_t counting_pwrite(void *ctx, int fd, const void *b, size_t len, off_t off)
{
	ssize_t n = pwrite(fd, b, len, off);
	if (n > 0)
		__atomic_add_fetch(&counted_bytes, (uint64_t)n, __ATOMIC_RELAXED);
	return n;
}

static uint64_t dir_bytes(const char *dir)
{
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "du -sb '%s/db'", dir);
	FILE *p = popen(cmd, "r");
	unsigned long long n = 0;
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%llu", &n), 1);
	pclose(p);
	return n;
}

/* A large write is written once: its bytes go to the data file exactly
 * once, and RocksDB (the WAL) gets only the onode, not a journal copy. */
static void test_large_write_once(void **state)
{
	struct fx *f = *state;
	static struct os_disk_ops ops;	/* outlives the test: teardown closes */
	ops = os_disk_posix;
	ops.pwrite = counting_pwrite;
	struct os_opts o = { .disk = &ops };
	fx_reopen(f, &o);
	size_t len = 4u << 20;
	unsigned char *d = malloc(len);
	fill(d, len, 9);
	uint64_t db0 = dir_bytes(f->dir);
	counted_bytes = 0;
	for (int i = 0; i < 4; i++) {
		struct os_txn *t = os_txn_create();
		os_txn_write_full(t, C, "big", len, d);
		assert_int_equal(os_txn_apply(f->st, t), 0);
		os_txn_destroy(t);
	}
	assert_int_equal(counted_bytes, 4 * len);
	uint64_t db1 = dir_bytes(f->dir);
	/* Four onodes of 1024 block entries (12 KiB each), and slack. */
	assert_true(db1 - db0 < 256 * 1024);
	check_data(f->st, "big", d, len);
	free(d);
}

/* Several txns applied as one unit: each sees the ones before it; one
 * failing op leaves every one of them unapplied. */
static void test_apply_many(void **state)
{
	struct fx *f = *state;
	unsigned char a[8192], b[4096], want[8192 + 4096];
	struct os_txn *t[3];
	struct os_stat s;
	void *v;
	size_t len;

	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	for (int i = 0; i < 3; i++)
		t[i] = os_txn_create();
	os_txn_write(t[0], C, "m", 0, sizeof(a), a);
	os_txn_append(t[1], C, "m", sizeof(b), b);
	os_txn_setxattr(t[1], C, "m", "x", "1", 1);
	os_txn_write(t[2], C, "m", 4096, 100, b);
	os_txn_setxattr(t[2], C, "m", "x", "2", 1);
	assert_int_equal(os_txn_apply_many(f->st, t, 3), 0);
	memcpy(want, a, sizeof(a));
	memcpy(want + sizeof(a), b, sizeof(b));
	memcpy(want + 4096, b, 100);
	check_data(f->st, "m", want, sizeof(want));
	assert_int_equal(os_getxattr(f->st, C, "m", "x", &v, &len), 0);
	assert_int_equal(len, 1);
	assert_memory_equal(v, "2", 1);
	free(v);
	for (int i = 0; i < 3; i++)
		os_txn_destroy(t[i]);

	/* The last one fails (remove of a missing object): nothing lands. */
	for (int i = 0; i < 3; i++)
		t[i] = os_txn_create();
	os_txn_write(t[0], C, "m", 0, 10, b);
	os_txn_write(t[1], C, "n", 0, 10, b);
	os_txn_remove(t[2], C, "absent");
	assert_int_equal(os_txn_apply_many(f->st, t, 3), -ENOENT);
	check_data(f->st, "m", want, sizeof(want));
	assert_int_equal(os_stat(f->st, C, "n", &s), -ENOENT);
	for (int i = 0; i < 3; i++)
		os_txn_destroy(t[i]);
	/* And it survives a reopen. */
	fx_reopen(f, NULL);
	check_data(f->st, "m", want, sizeof(want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_collections, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_write_read_model, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_create_remove_touch_atomic, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_xattrs, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_omap, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_limits, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_list_objects, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reopen, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_crc_mismatch, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_space_reuse, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_threads, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_statfs, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_big_xattr_omap, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_large_write_once, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_apply_many, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
