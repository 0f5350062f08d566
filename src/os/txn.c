/*
 * The transaction builder: records ops with private copies of their
 * arguments, and serializes them for replication.  Nothing here touches
 * the store; store.c applies the ops.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/encoding.h"
#include "os/internal.h"

struct os_txn *os_txn_create(void)
{
	return calloc(1, sizeof(struct os_txn));
}

void os_txn_destroy(struct os_txn *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nops; i++) {
		free(t->ops[i].cid);
		free(t->ops[i].oid);
		free(t->ops[i].name);
		if (!t->ops[i].borrowed)
			free(t->ops[i].data);
	}
	free(t->ops);
	free(t);
}

static char *dup_or_null(const char *s, bool *fail)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*fail = true;
	return d;
}

static int txn_add(struct os_txn *t, enum os_op_type type, const char *cid,
		   const char *oid, const char *name, uint64_t off, uint64_t len,
		   const void *data, size_t data_len)
{
	int r = 0;
	if (t->error)
		return t->error;
	if (!cid || (type != OS_OP_MKCOLL && type != OS_OP_RMCOLL && !oid)) {
		r = -EINVAL;
		goto out_poison;
	}
	if (strlen(cid) > OS_MAX_NAME_LEN || (oid && strlen(oid) > OS_MAX_NAME_LEN)) {
		r = -ENAMETOOLONG;
		goto out_poison;
	}
	if (t->nops == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct os_op *ops = realloc(t->ops, cap * sizeof(*ops));
		if (!ops) {
			r = -ENOMEM;
			goto out_poison;
		}
		t->ops = ops;
		t->cap = cap;
	}
	struct os_op *op = &t->ops[t->nops];
	bool fail = false;
	memset(op, 0, sizeof(*op));
	op->type = type;
	op->off = off;
	op->len = len;
	op->cid = dup_or_null(cid, &fail);
	op->oid = dup_or_null(oid, &fail);
	op->name = dup_or_null(name, &fail);
	if (data_len && t->borrow &&
	    (type == OS_OP_WRITE || type == OS_OP_WRITE_FULL || type == OS_OP_APPEND)) {
		op->data = (void *)data;
		op->borrowed = true;
	} else if (data_len || data) {
		op->data = malloc(data_len ? data_len : 1);
		if (op->data)
			memcpy(op->data, data, data_len);
		else
			fail = true;
	}
	t->nops++;	/* even when failing, so destroy frees the copies */
	if (fail) {
		r = -ENOMEM;
		goto out_poison;
	}
	return 0;
out_poison:
	t->error = r;
	return r;
}

void os_txn_borrow_data(struct os_txn *t, bool on)
{
	t->borrow = on;
}

int os_txn_create_collection(struct os_txn *t, const char *cid)
{
	return txn_add(t, OS_OP_MKCOLL, cid, NULL, NULL, 0, 0, NULL, 0);
}

int os_txn_remove_collection(struct os_txn *t, const char *cid)
{
	return txn_add(t, OS_OP_RMCOLL, cid, NULL, NULL, 0, 0, NULL, 0);
}

int os_txn_touch(struct os_txn *t, const char *cid, const char *oid)
{
	return txn_add(t, OS_OP_TOUCH, cid, oid, NULL, 0, 0, NULL, 0);
}

int os_txn_create_object(struct os_txn *t, const char *cid, const char *oid, bool exclusive)
{
	int r = txn_add(t, OS_OP_CREATE, cid, oid, NULL, 0, 0, NULL, 0);
	if (!r)
		t->ops[t->nops - 1].exclusive = exclusive;
	return r;
}

int os_txn_write(struct os_txn *t, const char *cid, const char *oid,
		 uint64_t off, uint64_t len, const void *data)
{
	if (len > SIZE_MAX / 2)
		return t->error = -EFBIG;
	return txn_add(t, OS_OP_WRITE, cid, oid, NULL, off, len, data, (size_t)len);
}

int os_txn_write_full(struct os_txn *t, const char *cid, const char *oid,
		      uint64_t len, const void *data)
{
	if (len > SIZE_MAX / 2)
		return t->error = -EFBIG;
	return txn_add(t, OS_OP_WRITE_FULL, cid, oid, NULL, 0, len, data, (size_t)len);
}

int os_txn_append(struct os_txn *t, const char *cid, const char *oid,
		  uint64_t len, const void *data)
{
	if (len > SIZE_MAX / 2)
		return t->error = -EFBIG;
	return txn_add(t, OS_OP_APPEND, cid, oid, NULL, 0, len, data, (size_t)len);
}

int os_txn_truncate(struct os_txn *t, const char *cid, const char *oid, uint64_t size)
{
	return txn_add(t, OS_OP_TRUNCATE, cid, oid, NULL, size, 0, NULL, 0);
}

int os_txn_zero(struct os_txn *t, const char *cid, const char *oid,
		uint64_t off, uint64_t len)
{
	return txn_add(t, OS_OP_ZERO, cid, oid, NULL, off, len, NULL, 0);
}

int os_txn_remove(struct os_txn *t, const char *cid, const char *oid)
{
	return txn_add(t, OS_OP_REMOVE, cid, oid, NULL, 0, 0, NULL, 0);
}

int os_txn_setxattr(struct os_txn *t, const char *cid, const char *oid,
		    const char *name, const void *val, size_t len)
{
	if (!name)
		return t->error = -EINVAL;
	return txn_add(t, OS_OP_SETXATTR, cid, oid, name, 0, len, val ? val : "", len);
}

int os_txn_rmxattr(struct os_txn *t, const char *cid, const char *oid, const char *name)
{
	if (!name)
		return t->error = -EINVAL;
	return txn_add(t, OS_OP_RMXATTR, cid, oid, name, 0, 0, NULL, 0);
}

int os_txn_omap_set(struct os_txn *t, const char *cid, const char *oid,
		    const char *key, const void *val, size_t len)
{
	if (!key)
		return t->error = -EINVAL;
	return txn_add(t, OS_OP_OMAP_SET, cid, oid, key, 0, len, val ? val : "", len);
}

int os_txn_omap_rm(struct os_txn *t, const char *cid, const char *oid, const char *key)
{
	if (!key)
		return t->error = -EINVAL;
	return txn_add(t, OS_OP_OMAP_RM, cid, oid, key, 0, 0, NULL, 0);
}

int os_txn_omap_clear(struct os_txn *t, const char *cid, const char *oid)
{
	return txn_add(t, OS_OP_OMAP_CLEAR, cid, oid, NULL, 0, 0, NULL, 0);
}

/* ---- serialization (replication ships the primary's txn as bytes) ----
 *
 * Format: a versioned envelope (common/encoding.h), v1:
 *   u32 nops, then per op its own versioned envelope, v1:
 *     u8 type, bool exclusive, string cid, string oid, string name,
 *     u64 off, u64 len, blob data
 * oid and name are empty for ops that take none; data is empty for ops
 * that carry none, and its length equals `len` for those that do.  An op
 * type a decoder does not know is -EBADMSG: an encoder that adds op types
 * must raise the txn's compat version, so older decoders refuse the whole
 * txn (-EOPNOTSUPP) rather than apply part of it.
 */
#define TXN_ENC_VERSION 1
#define OP_ENC_VERSION 1

/* What each op type records (the builders above set exactly these). */
struct op_shape {
	bool oid, name, data;
};

static const struct op_shape op_shapes[] = {
	[OS_OP_MKCOLL] = { false, false, false },
	[OS_OP_RMCOLL] = { false, false, false },
	[OS_OP_TOUCH] = { true, false, false },
	[OS_OP_CREATE] = { true, false, false },
	[OS_OP_WRITE] = { true, false, true },
	[OS_OP_WRITE_FULL] = { true, false, true },
	[OS_OP_APPEND] = { true, false, true },
	[OS_OP_TRUNCATE] = { true, false, false },
	[OS_OP_ZERO] = { true, false, false },
	[OS_OP_REMOVE] = { true, false, false },
	[OS_OP_SETXATTR] = { true, true, true },
	[OS_OP_RMXATTR] = { true, true, false },
	[OS_OP_OMAP_SET] = { true, true, true },
	[OS_OP_OMAP_RM] = { true, true, false },
	[OS_OP_OMAP_CLEAR] = { true, false, false },
};
#define OP_TYPE_COUNT (sizeof(op_shapes) / sizeof(op_shapes[0]))

int os_txn_encode(const struct os_txn *t, struct enc_buf *b)
{
	if (t->error)
		return t->error;
	if (t->nops > UINT32_MAX)
		return -EOVERFLOW;
	size_t mark = enc_start(b, TXN_ENC_VERSION, 1);
	enc_put_u32(b, (uint32_t)t->nops);
	for (size_t i = 0; i < t->nops; i++) {
		const struct os_op *op = &t->ops[i];
		bool data = op_shapes[op->type].data;
		if (data && op->len > UINT32_MAX)
			return -EMSGSIZE;	/* a blob length is a u32 */
		size_t om = enc_start(b, OP_ENC_VERSION, 1);
		enc_put_u8(b, (uint8_t)op->type);
		enc_put_bool(b, op->exclusive);
		enc_put_string(b, op->cid);
		enc_put_string(b, op->oid);
		enc_put_string(b, op->name);
		enc_put_u64(b, op->off);
		enc_put_u64(b, op->len);
		enc_put_blob(b, data ? op->data : NULL, data ? (size_t)op->len : 0);
		enc_finish(b, om);
	}
	return enc_finish(b, mark);
}

/* Decodes one op into `op` (zeroed by the caller, freed by it too). */
static int op_decode(struct dec_cursor *c, struct os_op *op, bool ref)
{
	struct dec_cursor s;
	uint8_t v;
	size_t dlen = 0;
	if (dec_start(c, OP_ENC_VERSION, &v, &s))
		return dec_error(c);
	uint8_t type = dec_u8(&s);
	op->exclusive = dec_bool(&s);
	op->cid = dec_string(&s, OS_MAX_NAME_LEN);
	op->oid = dec_string(&s, OS_MAX_NAME_LEN);
	op->name = dec_string(&s, SIZE_MAX);
	op->off = dec_u64(&s);
	op->len = dec_u64(&s);
	if (ref) {
		op->data = (void *)dec_blob_ref(&s, SIZE_MAX, &dlen);
		op->borrowed = true;
	} else {
		op->data = dec_blob(&s, SIZE_MAX, &dlen);
	}
	int r = dec_finish(c, &s);
	if (r)
		return r == -EMSGSIZE ? -ENAMETOOLONG : r;
	if (type >= OP_TYPE_COUNT)
		return -EBADMSG;
	op->type = (enum os_op_type)type;
	const struct op_shape *sh = &op_shapes[type];
	if (!sh->oid) {
		if (op->oid[0])
			return -EBADMSG;
		free(op->oid);
		op->oid = NULL;
	}
	if (!sh->name) {
		if (op->name[0])
			return -EBADMSG;
		free(op->name);
		op->name = NULL;
	}
	if (sh->data) {
		if (op->len != dlen)
			return -EBADMSG;
	} else {
		if (dlen)
			return -EBADMSG;
		if (!op->borrowed)
			free(op->data);
		op->data = NULL;
	}
	if (op->exclusive && type != OS_OP_CREATE)
		return -EBADMSG;
	return 0;
}

static int txn_decode(const void *buf, size_t len, bool ref, struct os_txn **out);

int os_txn_decode(const void *buf, size_t len, struct os_txn **out)
{
	return txn_decode(buf, len, false, out);
}

int os_txn_decode_ref(const void *buf, size_t len, struct os_txn **out)
{
	return txn_decode(buf, len, true, out);
}

static int txn_decode(const void *buf, size_t len, bool ref, struct os_txn **out)
{
	struct dec_cursor c, s;
	uint8_t v;
	int r;
	struct os_txn *t = os_txn_create();
	if (!t)
		return -ENOMEM;
	dec_init(&c, buf, len);
	if (dec_start(&c, TXN_ENC_VERSION, &v, &s)) {
		r = dec_error(&c);
		goto out_free;
	}
	uint32_t n = dec_u32(&s);
	/* Each op takes at least its envelope plus fixed fields, so a count
	 * the input cannot hold is refused before anything is sized by it. */
	if (dec_error(&s) || n > dec_left(&s) / (ENC_ENVELOPE_LEN + 2 + 4 * 4 + 16)) {
		r = dec_error(&s) ? dec_error(&s) : -EBADMSG;
		goto out_free;
	}
	if (n) {
		t->ops = calloc(n, sizeof(*t->ops));
		if (!t->ops) {
			r = -ENOMEM;
			goto out_free;
		}
		t->cap = n;
	}
	for (uint32_t i = 0; i < n; i++) {
		t->nops++;	/* counted first so destroy frees a partial op */
		r = op_decode(&s, &t->ops[i], ref);
		if (r)
			goto out_free;
	}
	r = dec_finish(&c, &s);
	if (!r && dec_left(&c))
		r = -EBADMSG;	/* trailing bytes after the txn */
	if (r)
		goto out_free;
	*out = t;
	return 0;
out_free:
	os_txn_destroy(t);
	return r;
}

size_t os_txn_num_ops(const struct os_txn *t)
{
	return t->nops;
}

uint64_t os_txn_data_bytes(const struct os_txn *t)
{
	uint64_t n = 0;
	for (size_t i = 0; i < t->nops; i++)
		if (op_shapes[t->ops[i].type].data)
			n += t->ops[i].len;
	return n;
}
