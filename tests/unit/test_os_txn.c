/*
 * Unit tests for transaction serialization (os_txn_encode/os_txn_decode):
 * every op type survives a round trip and a decoded transaction applies
 * exactly like the original; truncated, corrupt and hostile input fails
 * cleanly with the documented errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/encoding.h"
#include "os/os.h"
#include "os_test_util.h"

#define C "1.0_head"

/* One transaction with every op type, in an order that also exercises the
 * txn's view of its own earlier ops. */
static struct os_txn *every_op_txn(void)
{
	static unsigned char big[3 * 4096 + 17];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(i * 7 + 3);
	struct os_txn *t = os_txn_create();
	assert_non_null(t);
	assert_int_equal(os_txn_create_collection(t, C), 0);
	assert_int_equal(os_txn_create_collection(t, "2.0_head"), 0);
	assert_int_equal(os_txn_remove_collection(t, "2.0_head"), 0);
	assert_int_equal(os_txn_touch(t, C, "touched"), 0);
	assert_int_equal(os_txn_create_object(t, C, "excl", true), 0);
	assert_int_equal(os_txn_create_object(t, C, "excl", false), 0);
	assert_int_equal(os_txn_write(t, C, "obj", 100, sizeof(big), big), 0);
	assert_int_equal(os_txn_write_full(t, C, "full", 5000, big), 0);
	assert_int_equal(os_txn_append(t, C, "obj", 10, "0123456789"), 0);
	assert_int_equal(os_txn_truncate(t, C, "full", 4500), 0);
	assert_int_equal(os_txn_zero(t, C, "obj", 50, 9000), 0);
	assert_int_equal(os_txn_write(t, C, "gone", 0, 3, "abc"), 0);
	assert_int_equal(os_txn_remove(t, C, "gone"), 0);
	assert_int_equal(os_txn_setxattr(t, C, "obj", "_", "oi", 2), 0);
	assert_int_equal(os_txn_setxattr(t, C, "obj", "empty", NULL, 0), 0);
	assert_int_equal(os_txn_setxattr(t, C, "obj", "x", "1", 1), 0);
	assert_int_equal(os_txn_rmxattr(t, C, "obj", "x"), 0);
	assert_int_equal(os_txn_omap_set(t, C, "obj", "k1", "v1", 2), 0);
	assert_int_equal(os_txn_omap_set(t, C, "obj", "k2", "v2", 2), 0);
	assert_int_equal(os_txn_omap_rm(t, C, "obj", "k1"), 0);
	assert_int_equal(os_txn_omap_set(t, C, "full", "a", "b", 1), 0);
	assert_int_equal(os_txn_omap_clear(t, C, "full"), 0);
	assert_int_equal(os_txn_write(t, C, "empty-write", 7, 0, ""), 0);
	return t;
}

static uint8_t *encode(const struct os_txn *t, size_t *len)
{
	struct enc_buf b;
	enc_buf_init(&b);
	assert_int_equal(os_txn_encode(t, &b), 0);
	uint8_t *p = enc_buf_detach(&b, len);
	assert_non_null(p);
	return p;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct os_txn *t = every_op_txn(), *d = NULL;
	size_t len, len2;
	uint8_t *p = encode(t, &len);
	assert_int_equal(os_txn_decode(p, len, &d), 0);
	assert_int_equal(os_txn_num_ops(d), os_txn_num_ops(t));
	assert_int_equal(os_txn_num_ops(t), 23);
	assert_int_equal(os_txn_data_bytes(d), os_txn_data_bytes(t));
	assert_int_equal(os_txn_data_bytes(t), (3 * 4096 + 17) + 5000 + 10 + 3 + 2 + 0 + 1 + 2 + 2 + 1 + 0);
	uint8_t *p2 = encode(d, &len2);
	assert_int_equal(len, len2);
	assert_memory_equal(p, p2, len);
	free(p);
	free(p2);
	os_txn_destroy(t);
	os_txn_destroy(d);

	/* The empty transaction too. */
	t = os_txn_create();
	p = encode(t, &len);
	assert_int_equal(os_txn_decode(p, len, &d), 0);
	assert_int_equal(os_txn_num_ops(d), 0);
	assert_int_equal(os_txn_data_bytes(d), 0);
	free(p);
	os_txn_destroy(t);
	os_txn_destroy(d);
}

/* The two stores hold the same collections, objects, data, xattrs, omap. */
static void assert_same_store(struct os_store *a, struct os_store *b)
{
	char **ca, **cb, **oa, **ob;
	size_t nca, ncb, noa, nob;
	bool more;
	assert_int_equal(os_collection_list(a, &ca, &nca), 0);
	assert_int_equal(os_collection_list(b, &cb, &ncb), 0);
	assert_int_equal(nca, ncb);
	for (size_t i = 0; i < nca; i++) {
		assert_string_equal(ca[i], cb[i]);
		assert_int_equal(os_list_objects(a, ca[i], NULL, 1000, &oa, &noa, &more), 0);
		assert_int_equal(os_list_objects(b, cb[i], NULL, 1000, &ob, &nob, &more), 0);
		assert_int_equal(noa, nob);
		for (size_t j = 0; j < noa; j++) {
			struct os_stat sa, sb;
			assert_string_equal(oa[j], ob[j]);
			assert_int_equal(os_stat(a, ca[i], oa[j], &sa), 0);
			assert_int_equal(os_stat(b, ca[i], oa[j], &sb), 0);
			assert_int_equal(sa.size, sb.size);
			char *da = malloc(sa.size + 1), *db = malloc(sa.size + 1);
			assert_int_equal(os_read(a, ca[i], oa[j], 0, sa.size, da), (ssize_t)sa.size);
			assert_int_equal(os_read(b, ca[i], oa[j], 0, sa.size, db), (ssize_t)sa.size);
			assert_memory_equal(da, db, sa.size);
			free(da);
			free(db);
			for (int kind = 0; kind < 2; kind++) {
				struct os_kv *ka, *kb;
				size_t nka, nkb;
				if (kind == 0) {
					assert_int_equal(os_getxattrs(a, ca[i], oa[j], &ka, &nka), 0);
					assert_int_equal(os_getxattrs(b, ca[i], oa[j], &kb, &nkb), 0);
				} else {
					assert_int_equal(os_omap_get_vals(a, ca[i], oa[j], NULL, 1000,
									  &ka, &nka, &more), 0);
					assert_int_equal(os_omap_get_vals(b, ca[i], oa[j], NULL, 1000,
									  &kb, &nkb, &more), 0);
				}
				assert_int_equal(nka, nkb);
				for (size_t k = 0; k < nka; k++) {
					assert_string_equal(ka[k].key, kb[k].key);
					assert_int_equal(ka[k].val_len, kb[k].val_len);
					assert_memory_equal(ka[k].val, kb[k].val, ka[k].val_len);
				}
				os_kvs_free(ka, nka);
				os_kvs_free(kb, nkb);
			}
			free(oa[j]);
			free(ob[j]);
		}
		free(oa);
		free(ob);
		free(ca[i]);
		free(cb[i]);
	}
	free(ca);
	free(cb);
}

static void test_decoded_applies_like_original(void **state)
{
	(void)state;
	char *da = os_test_mkdtemp(), *db = os_test_mkdtemp();
	struct os_store *a, *b;
	assert_int_equal(os_open(da, NULL, &a), 0);
	assert_int_equal(os_open(db, NULL, &b), 0);
	struct os_txn *t = every_op_txn(), *d;
	size_t len;
	uint8_t *p = encode(t, &len);
	assert_int_equal(os_txn_decode(p, len, &d), 0);
	assert_int_equal(os_txn_apply(a, t), 0);
	assert_int_equal(os_txn_apply(b, d), 0);
	assert_same_store(a, b);

	/* The borrowing decoder applies the same way, and frees none of the
	 * bytes it borrowed (p is freed once, below: ASan checks). */
	char *dc = os_test_mkdtemp();
	struct os_store *c;
	struct os_txn *dr;
	assert_int_equal(os_open(dc, NULL, &c), 0);
	assert_int_equal(os_txn_decode_ref(p, len, &dr), 0);
	assert_int_equal(os_txn_apply(c, dr), 0);
	os_txn_destroy(dr);
	assert_same_store(a, c);
	os_close(c);
	os_test_rmrf(dc);
	free(dc);

	/* A borrowing builder references the caller's (here: stack) bytes;
	 * destroy must not free them. */
	char sb[5000], got[5000];
	memset(sb, 'q', sizeof(sb));
	struct os_txn *bt = os_txn_create();
	os_txn_borrow_data(bt, true);
	assert_int_equal(os_txn_write_full(bt, C, "borrowed", sizeof(sb), sb), 0);
	assert_int_equal(os_txn_append(bt, C, "borrowed", 10, sb), 0);
	assert_int_equal(os_txn_apply(a, bt), 0);
	os_txn_destroy(bt);
	assert_int_equal(os_read(a, C, "borrowed", 0, sizeof(got), got), (ssize_t)sizeof(got));
	assert_memory_equal(got, sb, sizeof(got));

	/* Sanity: the result is what the ops say, not merely equal. */
	struct os_stat s;
	assert_int_equal(os_stat(a, C, "full", &s), 0);
	assert_int_equal(s.size, 4500);
	assert_int_equal(os_stat(a, C, "obj", &s), 0);
	assert_int_equal(s.size, 100 + 3 * 4096 + 17 + 10);
	assert_int_equal(os_stat(b, C, "gone", &s), -ENOENT);
	assert_false(os_collection_exists(b, "2.0_head"));
	void *v;
	size_t vl;
	assert_int_equal(os_getxattr(b, C, "obj", "x", &v, &vl), -ENODATA);
	assert_int_equal(os_getxattr(b, C, "obj", "_", &v, &vl), 0);
	assert_int_equal(vl, 2);
	free(v);

	/* A failing txn fails the same way after a round trip. */
	struct os_txn *f = os_txn_create(), *fd;
	assert_int_equal(os_txn_create_object(f, C, "obj", true), 0);
	free(p);
	p = encode(f, &len);
	assert_int_equal(os_txn_decode(p, len, &fd), 0);
	assert_int_equal(os_txn_apply(a, f), -EEXIST);
	assert_int_equal(os_txn_apply(b, fd), -EEXIST);
	os_txn_destroy(f);
	os_txn_destroy(fd);

	free(p);
	os_txn_destroy(t);
	os_txn_destroy(d);
	os_close(a);
	os_close(b);
	os_test_rmrf(da);
	os_test_rmrf(db);
	free(da);
	free(db);
}

static void test_truncated_and_garbage(void **state)
{
	(void)state;
	struct os_txn *t = every_op_txn(), *d = NULL;
	size_t len;
	uint8_t *p = encode(t, &len);
	/* Every proper prefix fails cleanly. */
	for (size_t n = 0; n < len; n++) {
		d = NULL;
		int r = os_txn_decode(p, n, &d);
		assert_true(r < 0);
		assert_null(d);
	}
	/* Trailing bytes are refused. */
	uint8_t *q = malloc(len + 1);
	memcpy(q, p, len);
	q[len] = 0;
	assert_int_equal(os_txn_decode(q, len + 1, &d), -EBADMSG);
	/* Every single-byte corruption either fails or decodes to something
	 * that encodes again (never a crash, never a leak under ASan). */
	for (size_t i = 0; i < len; i++) {
		memcpy(q, p, len);
		q[i] ^= 0xa5;
		d = NULL;
		if (os_txn_decode(q, len, &d) == 0) {
			struct enc_buf b;
			enc_buf_init(&b);
			assert_int_equal(os_txn_encode(d, &b), 0);
			enc_buf_release(&b);
			os_txn_destroy(d);
		}
	}
	/* Pseudo-random garbage. */
	uint64_t x = 88172645463325252ull;
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(x % 200);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			q[i % (len + 1)] = (uint8_t)x;
		}
		d = NULL;
		if (os_txn_decode(q, n < len ? n : len, &d) == 0)
			os_txn_destroy(d);
	}
	free(q);
	free(p);
	os_txn_destroy(t);
}

/* Hand-built inputs for each validation rule. */
static uint8_t *one_op(uint8_t type, bool excl, const char *cid, const char *oid,
		       const char *name, uint64_t off, uint64_t len, const void *data,
		       size_t dlen, uint32_t nops, size_t *out_len)
{
	struct enc_buf b;
	enc_buf_init(&b);
	size_t m = enc_start(&b, 1, 1);
	enc_put_u32(&b, nops);
	size_t om = enc_start(&b, 1, 1);
	enc_put_u8(&b, type);
	enc_put_bool(&b, excl);
	enc_put_string(&b, cid);
	enc_put_string(&b, oid);
	enc_put_string(&b, name);
	enc_put_u64(&b, off);
	enc_put_u64(&b, len);
	enc_put_blob(&b, data, dlen);
	enc_finish(&b, om);
	assert_int_equal(enc_finish(&b, m), 0);
	return enc_buf_detach(&b, out_len);
}

static int decode_one(uint8_t type, bool excl, const char *cid, const char *oid,
		      const char *name, uint64_t off, uint64_t len, const void *data,
		      size_t dlen, uint32_t nops)
{
	size_t n;
	struct os_txn *d = NULL;
	uint8_t *p = one_op(type, excl, cid, oid, name, off, len, data, dlen, nops, &n);
	int r = os_txn_decode(p, n, &d);
	os_txn_destroy(d);
	free(p);
	return r;
}

static void test_hostile(void **state)
{
	(void)state;
	/* Op type 4 is a write, 0 makes a collection, 10 sets an xattr. */
	assert_int_equal(decode_one(4, false, C, "o", "", 0, 3, "abc", 3, 1), 0);
	assert_int_equal(decode_one(99, false, C, "o", "", 0, 0, NULL, 0, 1), -EBADMSG);
	assert_int_equal(decode_one(4, false, C, "o", "", 0, 4, "abc", 3, 1), -EBADMSG);
	assert_int_equal(decode_one(4, true, C, "o", "", 0, 3, "abc", 3, 1), -EBADMSG);
	assert_int_equal(decode_one(0, false, C, "o", "", 0, 0, NULL, 0, 1), -EBADMSG);
	assert_int_equal(decode_one(0, false, C, "", "n", 0, 0, NULL, 0, 1), -EBADMSG);
	assert_int_equal(decode_one(0, false, C, "", "", 0, 0, "x", 1, 1), -EBADMSG);
	assert_int_equal(decode_one(10, false, C, "o", "n", 0, 1, "x", 1, 1), 0);
	/* A count the input cannot hold. */
	assert_int_equal(decode_one(4, false, C, "o", "", 0, 3, "abc", 3, UINT32_MAX), -EBADMSG);
	assert_int_equal(decode_one(4, false, C, "o", "", 0, 3, "abc", 3, 2), -EBADMSG);
	/* Names over the limit. */
	char *longname = malloc(OS_MAX_NAME_LEN + 2);
	memset(longname, 'n', OS_MAX_NAME_LEN + 1);
	longname[OS_MAX_NAME_LEN + 1] = 0;
	assert_int_equal(decode_one(4, false, C, longname, "", 0, 0, "", 0, 1), -ENAMETOOLONG);
	assert_int_equal(decode_one(4, false, longname, "o", "", 0, 0, "", 0, 1), -ENAMETOOLONG);
	longname[OS_MAX_NAME_LEN] = 0;	/* exactly the limit is fine */
	assert_int_equal(decode_one(4, false, C, longname, "", 0, 0, "", 0, 1), 0);
	free(longname);
	/* A newer, incompatible encoding is refused as such. */
	size_t n;
	struct os_txn *d = NULL;
	uint8_t *p = one_op(4, false, C, "o", "", 0, 3, "abc", 3, 1, &n);
	p[0] = p[1] = 2;	/* version and compat_version 2 */
	assert_int_equal(os_txn_decode(p, n, &d), -EOPNOTSUPP);
	p[1] = 1;
	p[0] = 7;	/* a newer version this decoder can still read */
	assert_int_equal(os_txn_decode(p, n, &d), 0);
	os_txn_destroy(d);
	free(p);
}

static void test_poisoned_and_limits(void **state)
{
	(void)state;
	struct os_txn *t = os_txn_create();
	struct enc_buf b;
	char *longname = malloc(OS_MAX_NAME_LEN + 2);
	memset(longname, 'n', OS_MAX_NAME_LEN + 1);
	longname[OS_MAX_NAME_LEN + 1] = 0;
	assert_int_equal(os_txn_touch(t, C, longname), -ENAMETOOLONG);
	enc_buf_init(&b);
	assert_int_equal(os_txn_encode(t, &b), -ENAMETOOLONG);
	enc_buf_release(&b);
	os_txn_destroy(t);

	/* A longest-possible name round-trips and applies. */
	longname[OS_MAX_NAME_LEN] = 0;
	char *dir = os_test_mkdtemp();
	struct os_store *st;
	assert_int_equal(os_open(dir, NULL, &st), 0);
	t = os_txn_create();
	assert_int_equal(os_txn_create_collection(t, C), 0);
	assert_int_equal(os_txn_write(t, C, longname, 0, 5, "hello"), 0);
	assert_int_equal(os_txn_setxattr(t, C, longname, longname, "v", 1), 0);
	assert_int_equal(os_txn_omap_set(t, C, longname, longname, "w", 1), 0);
	size_t len;
	uint8_t *p = encode(t, &len);
	struct os_txn *d;
	assert_int_equal(os_txn_decode(p, len, &d), 0);
	assert_int_equal(os_txn_apply(st, d), 0);
	char buf[8];
	assert_int_equal(os_read(st, C, longname, 0, sizeof(buf), buf), 5);
	assert_memory_equal(buf, "hello", 5);
	char **names;
	size_t nn;
	bool more;
	assert_int_equal(os_list_objects(st, C, NULL, 10, &names, &nn, &more), 0);
	assert_int_equal(nn, 1);
	assert_string_equal(names[0], longname);
	free(names[0]);
	free(names);
	struct os_kv *kv;
	assert_int_equal(os_getxattrs(st, C, longname, &kv, &nn), 0);
	assert_int_equal(nn, 1);
	assert_string_equal(kv[0].key, longname);
	os_kvs_free(kv, nn);
	assert_int_equal(os_omap_get_vals(st, C, longname, NULL, 10, &kv, &nn, &more), 0);
	assert_int_equal(nn, 1);
	assert_string_equal(kv[0].key, longname);
	os_kvs_free(kv, nn);
	free(p);
	os_txn_destroy(t);
	os_txn_destroy(d);
	os_close(st);
	os_test_rmrf(dir);
	free(dir);
	free(longname);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_decoded_applies_like_original),
		cmocka_unit_test(test_truncated_and_garbage),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_poisoned_and_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
