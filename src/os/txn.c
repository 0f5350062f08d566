/*
 * The transaction builder: records ops with private copies of their
 * arguments.  Nothing here touches the store; store.c applies the ops.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
	if (oid && strlen(oid) > OS_MAX_NAME_LEN) {
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
	if (data_len || data) {
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
