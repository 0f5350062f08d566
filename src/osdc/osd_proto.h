/*
 * What clients and OSDs, and OSDs among themselves, say over the
 * messenger (src/msg/msgr.h).  Each payload is one versioned body
 * (src/common/encoding.h), so either side may grow it at its end; change
 * this header only by appending.
 *
 *   client                          primary OSD                 replicas
 *   OSD_MSG_OP       ------------->  checks epoch and primacy,
 *                                    orders the op within its PG,
 *                                    executes it into a store txn
 *                                    and a PG log entry
 *                                    OSD_MSG_REPOP ------------> apply txn
 *                                    applies locally (fsync)      + log entry
 *                                    <------------ OSD_MSG_REPOP_REPLY (durable)
 *   OSD_MSG_OP_REPLY <-------------  once every replica is durable
 *
 *   OSD <-> OSD: OSD_MSG_PING / OSD_MSG_PING_REPLY (heartbeats).
 *
 * A client whose map is older than the OSD's and who sent to an OSD that
 * is not the PG's primary gets OSD_REPLY_FLAG_RETRY with the OSD's epoch:
 * it fetches that epoch, recomputes the target and resends (same tid).
 * An op carrying a newer epoch than the OSD has waits at the OSD until
 * that map arrives.  Retried writes are recognised by their request id
 * (client entity name, its messenger nonce, tid) in the PG log and are
 * answered with the first outcome instead of being applied twice.
 *
 * Objects are named (pool, namespace, locator key, name); the PG is
 * Ceph's: ceph_str_hash_rjenkins of the key (or the name when the key is
 * empty) folded by pg_num (src/osdmap/placement.h).
 */
#ifndef LOLIGO_OSDC_OSD_PROTO_H
#define LOLIGO_OSDC_OSD_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/encoding.h"

enum osd_msg_type {
	OSD_MSG_OP = 0x0200,
	OSD_MSG_OP_REPLY = 0x0201,
	OSD_MSG_REPOP = 0x0210,
	OSD_MSG_REPOP_REPLY = 0x0211,
	OSD_MSG_PING = 0x0220,
	OSD_MSG_PING_REPLY = 0x0221,
};

/* Limits every decoder enforces. */
#define OSD_PROTO_NAME_MAX 2048          /* object name, key, namespace bytes */
#define OSD_PROTO_WIRE_NAME_MAX 65536    /* what an op may carry (then ENAMETOOLONG) */
#define OSD_PROTO_ATTR_NAME_MAX 4096     /* xattr name, omap key */
#define OSD_PROTO_MAX_OPS 1024           /* sub-ops in one message */
#define OSD_PROTO_DATA_MAX (192u << 20)  /* one sub-op's data */
#define OSD_PROTO_ENTITY_MAX 64

/*
 * Sub-operations.  Fields each one uses (others are zero):
 *   READ          off, len (0: to the end)            out: the bytes
 *   SPARSE_READ   as READ (holes are read as zeros)   out: the bytes
 *   STAT          -                                   out: osd_stat_encode
 *   WRITE         off, data
 *   WRITE_FULL    data (replaces the object's data)
 *   APPEND        data
 *   TRUNCATE      off (the new size)
 *   ZERO          off, len
 *   DELETE        -                                   -ENOENT if missing
 *   CREATE        flags & OSD_OP_FLAG_EXCL: -EEXIST if it exists
 *   SETXATTR      name, data
 *   GETXATTR      name                                out: value (-ENODATA)
 *   RMXATTR       name                                (-ENODATA if missing)
 *   GETXATTRS     -                                   out: osd_kvs_encode
 *   CMPXATTR      name, arg = OSD_CMP_*, data         rval 0 true, -ECANCELED false
 *   OMAP_SET      data = osd_kvs_encode(pairs)
 *   OMAP_GET_KEYS name = start after, len = max,      out: osd_kvs_encode
 *                 data = filter prefix (GET_VALS)          (keys only) + more
 *   OMAP_GET_VALS as OMAP_GET_KEYS                    out: osd_kvs_encode
 *   OMAP_GET_VALS_BY_KEYS data = osd_keys_encode      out: osd_kvs_encode
 *   OMAP_RM_KEYS  data = osd_keys_encode
 *   OMAP_CLEAR    -
 *   OMAP_GET_HEADER -                                 out: header bytes
 *   OMAP_SET_HEADER data
 *   OMAP_CMP      data = osd_kvs_encode(key, value), arg = OSD_CMP_*
 *                 (every key must compare true, else -ECANCELED)
 *   CMPEXT        off, data: rval 0 if equal, else -MAX_ERRNO - (offset
 *                 of the first differing byte) as Ceph reports it
 *   ASSERT_EXISTS -                                   -ENOENT
 *   ASSERT_VERSION arg = version: -EOVERFLOW if the object's is greater,
 *                 -ERANGE if smaller
 *   SET_ALLOC_HINT off = expected object size, len = write size (no-op)
 *   PGLS          name = cursor (the store name to start after, "" first),
 *                 len = max entries; applies to the PG of the message
 *                 (oid empty)                         out: osd_ls_encode
 *
 * Ops that change the object make the message a write (OSD_FLAG_WRITE);
 * a write message's sub-ops apply atomically: all of them or none.
 */
enum osd_op_code {
	OSD_OP_READ = 1,
	OSD_OP_SPARSE_READ,
	OSD_OP_STAT,
	OSD_OP_WRITE,
	OSD_OP_WRITE_FULL,
	OSD_OP_APPEND,
	OSD_OP_TRUNCATE,
	OSD_OP_ZERO,
	OSD_OP_DELETE,
	OSD_OP_CREATE,
	OSD_OP_SETXATTR,
	OSD_OP_GETXATTR,
	OSD_OP_RMXATTR,
	OSD_OP_GETXATTRS,
	OSD_OP_CMPXATTR,
	OSD_OP_OMAP_SET,
	OSD_OP_OMAP_GET_KEYS,
	OSD_OP_OMAP_GET_VALS,
	OSD_OP_OMAP_GET_VALS_BY_KEYS,
	OSD_OP_OMAP_RM_KEYS,
	OSD_OP_OMAP_CLEAR,
	OSD_OP_OMAP_GET_HEADER,
	OSD_OP_OMAP_SET_HEADER,
	OSD_OP_OMAP_CMP,
	OSD_OP_CMPEXT,
	OSD_OP_ASSERT_EXISTS,
	OSD_OP_ASSERT_VERSION,
	OSD_OP_SET_ALLOC_HINT,
	OSD_OP_PGLS,
	OSD_OP_MAX_ /* not an op */
};

/* Sub-op flags. */
#define OSD_OP_FLAG_EXCL 0x1u       /* CREATE: fail if it exists */
#define OSD_OP_FLAG_FAILOK 0x2u     /* this sub-op may fail; go on */

/* Comparison modes (Ceph's LIBRADOS_CMPXATTR_OP_* values). */
enum osd_cmp_mode {
	OSD_CMP_EQ = 1, OSD_CMP_NE = 2, OSD_CMP_GT = 3, OSD_CMP_GTE = 4,
	OSD_CMP_LT = 5, OSD_CMP_LTE = 6,
};

/* Message flags. */
#define OSD_FLAG_READ 0x1u
#define OSD_FLAG_WRITE 0x2u
#define OSD_FLAG_RETRY 0x4u  /* a resend: look for the reqid in the PG log */

/* Reply flags. */
#define OSD_REPLY_FLAG_RETRY 0x1u /* fetch map `epoch`, recompute, resend */

struct osd_op {
	uint16_t op;    /* enum osd_op_code */
	uint32_t flags; /* OSD_OP_FLAG_* */
	uint64_t off, len;
	uint64_t arg;
	const char *name; /* never NULL after decode ("" when unused) */
	const uint8_t *data;
	size_t datalen;
	/* reply side */
	int32_t rval;
	const uint8_t *out;
	size_t outlen;
};

/* OSD_MSG_OP. */
struct osd_op_msg {
	uint64_t tid;
	uint32_t epoch;  /* the client's map epoch */
	uint32_t flags;  /* OSD_FLAG_* */
	int64_t pool;
	uint32_t ps;     /* the PG's seed, as the client computed it */
	uint32_t hash;   /* the object's full hash */
	const char *nspace, *key, *oid; /* never NULL after decode */
	size_t n_ops;
	struct osd_op *ops;
};

/* OSD_MSG_OP_REPLY: the ops carry rval/out (name and data unused). */
struct osd_op_reply {
	uint64_t tid;
	int32_t result;   /* 0, or the first failing sub-op's error */
	uint32_t epoch;   /* the OSD's map epoch */
	uint32_t flags;   /* OSD_REPLY_FLAG_* */
	uint64_t version; /* the object's version after a write / at a read */
	size_t n_ops;
	struct osd_op *ops;
};

/* A PG log version: (epoch the primary was in, counter in the PG). */
struct osd_eversion {
	uint32_t epoch;
	uint64_t version;
};

static inline int osd_eversion_cmp(struct osd_eversion a, struct osd_eversion b)
{
	if (a.epoch != b.epoch)
		return a.epoch < b.epoch ? -1 : 1;
	if (a.version != b.version)
		return a.version < b.version ? -1 : 1;
	return 0;
}

/* Who asked: unique per client instance and request. */
struct osd_reqid {
	char name[OSD_PROTO_ENTITY_MAX]; /* "client.4123" */
	uint64_t nonce;
	uint64_t tid;
};

enum osd_log_op { OSD_LOG_MODIFY = 1, OSD_LOG_DELETE = 2 };

/* One PG log entry. */
struct osd_log_entry {
	uint8_t op; /* enum osd_log_op */
	struct osd_eversion version, prior_version;
	uint64_t user_version;
	struct osd_reqid reqid;
	int32_t result;
	const char *soid; /* the store's object name (osd_store_name) */
};

/* OSD_MSG_REPOP: apply `txn` (os_txn_encode bytes) and the log entry. */
struct osd_repop {
	uint64_t tid;
	uint32_t epoch;
	int64_t pool;
	uint32_t ps;
	struct osd_log_entry entry;
	const uint8_t *txn;
	size_t txnlen;
};

struct osd_repop_reply {
	uint64_t tid;
	uint32_t epoch;
	int64_t pool;
	uint32_t ps;
	int32_t result; /* 0 once durable */
	struct osd_eversion version;
};

struct osd_ping {
	int32_t from;
	uint32_t epoch;
	uint64_t stamp_ns; /* echoed in the reply */
};

/* The STAT sub-op's output. */
struct osd_stat_out {
	uint64_t size;
	uint64_t mtime_ns;
};

/* A key/value list (xattrs, omap): value NULL for key-only lists. */
struct osd_kv {
	const char *key;
	const uint8_t *val;
	size_t val_len;
};

/* One PGLS entry. */
struct osd_ls_entry {
	const char *nspace, *key, *oid;
};

/*
 * Encoders append one versioned body to `b` and return its error.
 * Decoders check every length against the input and the limits above;
 * strings and blobs point into the input buffer, which must outlive the
 * result.  -EBADMSG for malformed input, -ENOMEM, -EOPNOTSUPP for an
 * incompatible version.  The *_release functions free what a decoder
 * allocated (the ops arrays), never the borrowed bytes.
 */
int osd_op_msg_encode(const struct osd_op_msg *m, struct enc_buf *b);
int osd_op_msg_decode(const void *buf, size_t len, struct osd_op_msg *m);
void osd_op_msg_release(struct osd_op_msg *m);
int osd_op_reply_encode(const struct osd_op_reply *r, struct enc_buf *b);
/* The same, leaving the output of the op with out == NULL and outlen > 0
 * (at most one) as space for the caller to fill: its offset in b->data
 * in *space (-1 when there is none).  Spares a copy of large reads. */
int osd_op_reply_encode_space(const struct osd_op_reply *r, struct enc_buf *b,
			      ptrdiff_t *space);
int osd_op_reply_decode(const void *buf, size_t len, struct osd_op_reply *r);
void osd_op_reply_release(struct osd_op_reply *r);

int osd_log_entry_encode(const struct osd_log_entry *e, struct enc_buf *b);
/* Decodes one entry at the cursor (embedded in other bodies). */
void osd_log_entry_decode(struct dec_cursor *c, struct osd_log_entry *e);
int osd_repop_encode(const struct osd_repop *r, struct enc_buf *b);
int osd_repop_decode(const void *buf, size_t len, struct osd_repop *r);
int osd_repop_reply_encode(const struct osd_repop_reply *r, struct enc_buf *b);
int osd_repop_reply_decode(const void *buf, size_t len, struct osd_repop_reply *r);
int osd_ping_encode(const struct osd_ping *p, struct enc_buf *b);
int osd_ping_decode(const void *buf, size_t len, struct osd_ping *p);

int osd_stat_encode(const struct osd_stat_out *s, struct enc_buf *b);
int osd_stat_decode(const void *buf, size_t len, struct osd_stat_out *s);
/* Lists: `more` says whether the listing was cut at its max. */
int osd_kvs_encode(const struct osd_kv *kv, size_t n, bool more, struct enc_buf *b);
/* *kv is malloc'd (free() it); the strings point into buf. */
int osd_kvs_decode(const void *buf, size_t len, struct osd_kv **kv, size_t *n, bool *more);
int osd_keys_encode(const char *const *keys, size_t n, struct enc_buf *b);
/* *keys is malloc'd (free() it); the strings point into buf. */
int osd_keys_decode(const void *buf, size_t len, const char ***keys, size_t *n);
/* PGLS output: the entries and the cursor to continue after ("" at the
 * PG's end). */
int osd_ls_encode(const struct osd_ls_entry *e, size_t n, const char *next,
		  struct enc_buf *b);
int osd_ls_decode(const void *buf, size_t len, struct osd_ls_entry **e, size_t *n,
		  const char **next);

/*
 * The store's name for an object: namespace, key and name joined so that
 * the three can be recovered and no two objects collide ("\x01" separates,
 * "\x02" escapes \x01 and \x02 inside the parts).  Always contains exactly
 * two unescaped separators, so names the OSD keeps for itself (PG
 * metadata, without separators) never collide with an object's.
 * Returns a malloc'd string or NULL (-ENOMEM).
 */
char *osd_store_name(const char *nspace, const char *key, const char *oid);
/* The reverse; the three parts are malloc'd.  -EINVAL if `s` is not an
 * object's store name. */
int osd_store_name_parse(const char *s, char **nspace, char **key, char **oid);

/* "1.1f" and its collection "1.1f_head". */
void osd_pgid_str(int64_t pool, uint32_t ps, char *buf, size_t len);
void osd_pg_coll(int64_t pool, uint32_t ps, char *buf, size_t len);

#endif
