/*
 * Private to librados: the structures behind the opaque handles and the
 * calls between its files, grouped by the file that owns them.  The
 * public contract is include/rados/librados.h; docs/librados.md describes
 * the design (objecter, completions, listing).
 */
#ifndef LOLIGO_LIBRADOS_INTERNAL_H
#define LOLIGO_LIBRADOS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LOLIGO_LIBRADOS_BUILD 1
#include "rados/librados.h"

#include "osdc/osd_proto.h"

struct conf;
struct monc;
struct objecter;
struct osdmap;

/* Ceph's osd_max_object_name_len: longer names are -ENAMETOOLONG. */
#define RADOS_NAME_MAX 2048

/* --- librados.c ------------------------------------------------------ */

/* What a rados_t points to. */
struct rados_cluster {
	struct conf *conf;
	struct monc *monc;         /* non-NULL once connected */
	struct objecter *objecter; /* non-NULL once connected */
	int mon_timeout_ms;        /* rados_mon_op_timeout (0: client_mount_timeout) */
	uint64_t instance_id;
	char fsid[37];
	char name[64];             /* our entity name, "client.admin" */
	uint64_t max_write;        /* osd_max_write_size in bytes */
};

/* What a rados_ioctx_t points to.  nspace and locator are set by the
 * application between operations (not thread-safe against concurrent
 * I/O on the same handle, as in Ceph). */
struct rados_ioctx {
	atomic_uint ref;      /* the application's, plus one per op in flight */
	struct rados_cluster *cluster;
	int64_t pool_id;
	char *pool_name;
	char *nspace;  /* "" is the default namespace; never NULL */
	char *locator; /* "" for none; never NULL */
	_Atomic uint64_t last_version;
	/* rados_aio_flush: writes submitted and not yet complete. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint64_t writes_in_flight;
};

struct json_t;
/* Runs a command built as JSON; parses the JSON output into *out (NULL to
 * ignore it).  0, the monitor's -errno, or ours. */
int rados_mon_json(struct rados_cluster *c, struct json_t *cmd,
		   struct json_t **out);
void rados_ioctx_get(struct rados_ioctx *io);
void rados_ioctx_put(struct rados_ioctx *io);
/* Waits until our map is at least as new as the monitors' latest. */
int rados_sync_osdmap(struct rados_cluster *c);

/* --- aio.c: completions ---------------------------------------------- */

struct rados_completion {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	atomic_uint ref;     /* the application's, plus one per op in flight */
	bool complete;       /* result is in */
	bool cb_done;        /* callbacks have run (or there are none) */
	bool internal;       /* a sync call's: no callbacks */
	int rval;
	uint64_t version;
	rados_callback_t cb_complete, cb_safe;
	void *cb_arg;
	struct rados_ioctx *io; /* for flush accounting while in flight */
	bool counted_write;
	struct objecter *objecter;       /* whose finisher runs the callbacks */
	struct rados_completion *fin_next; /* in the finisher's queue */
};

int rados_completion_create(void *arg, rados_callback_t complete,
			    rados_callback_t safe, struct rados_completion **out);
void rados_completion_get(struct rados_completion *c);
void rados_completion_put(struct rados_completion *c);
/* Marks an in-flight completion done with rval (any thread but the
 * finisher's own wait), queues its callbacks and drops the op's
 * reference. */
void rados_completion_finish(struct rados_completion *c, int rval,
			     uint64_t version);
int rados_completion_wait(struct rados_completion *c);
/* The finisher's part: runs the callbacks, marks them done, drops the
 * op's reference. */
void rados_completion_run_callbacks(struct rados_completion *c);

/* --- op.c: compound operations ----------------------------------------- */

/* What to do with one sub-op's reply. */
enum rop_out_kind {
	ROP_OUT_NONE = 0,
	ROP_OUT_READ,     /* copy into buf/len; *bytes_read; value = bytes */
	ROP_OUT_STAT,     /* *psize, *pmtime, *pts */
	ROP_OUT_XATTR,    /* copy a value into buf/len; value = length or -ERANGE */
	ROP_OUT_KVS,      /* fill a kv iterator (xattrs, omap); *pmore */
	ROP_OUT_LS,       /* PGLS: hand the bytes to a listing */
};

struct rados_kv_iter;
struct rados_list_ctx;

struct rop_out {
	uint8_t kind;     /* enum rop_out_kind */
	int *prval;
	char *buf;
	size_t len;
	size_t *bytes_read;
	uint64_t *psize;
	time_t *pmtime;
	struct timespec *pts;
	struct rados_kv_iter *iter;
	void **piter;       /* KVS: set to iter on success, else iter freed */
	unsigned char *pmore;
	struct rados_list_ctx *ls;
};

/* A list of sub-ops with their reply handlers: what rados_write_op_t and
 * rados_read_op_t point to, and what the simple calls build on the
 * stack. */
struct rop {
	struct osd_op *ops;
	struct rop_out *outs;
	size_t n, cap;
	int err;        /* first builder error, returned by operate */
	bool write;     /* a write op: OSD_FLAG_WRITE */
	bool copy;      /* names and data are private copies (builders) */
	int ret_index;  /* sub-op whose output value is the op's result, or -1 */
	uint32_t flags; /* LIBRADOS_OPERATION_* (advisory) */
};

void rop_init(struct rop *r, bool write, bool copy);
void rop_release(struct rop *r);
/* Appends a sub-op (data/name copied when r->copy); returns it, or NULL
 * after recording -ENOMEM in r->err. */
struct osd_op *rop_add(struct rop *r, uint16_t code, uint64_t off,
		       uint64_t len, const char *name, const void *data,
		       size_t datalen, struct rop_out **out);
/* Runs the reply handlers of an op that got `reply`; returns the op's
 * result. */
int rop_outs_finish(const struct rop_out *outs, size_t n, int ret_index,
		    const struct osd_op_reply *reply, int result);
/* Sets every prval to err (an op that never reached an OSD). */
void rop_outs_fail(const struct rop_out *outs, size_t n, int err);

/* Checks an object name: -EINVAL (NULL or empty), -ENAMETOOLONG. */
int rados_check_oid(const char *oid);
/* Runs an op on oid and waits: its result (and the object version). */
int rados_op_sync(struct rados_ioctx *io, const char *oid,
		  const struct rop *r, uint64_t *version);
/* Starts an op on oid, reporting to the application's completion. */
int rados_op_aio(struct rados_ioctx *io, const char *oid, const struct rop *r,
		 rados_completion_t completion);
/* data_len bytes repeated to write_len (a multiple): malloc'd *out. */
int rados_writesame_fill(const char *buf, size_t data_len, size_t write_len,
			 char **out);

/* --- io.c: iterators -------------------------------------------------- */

/* An xattr or omap iterator: the reply bytes it decodes in place. */
struct rados_kv_iter {
	uint8_t *buf;
	struct osd_kv *kv;
	size_t n, pos;
	bool keys_only;
};
struct rados_kv_iter *rados_kv_iter_create(bool keys_only);
/* Takes a copy of an osd_kvs_encode() reply; 0 or -EBADMSG/-ENOMEM. */
int rados_kv_iter_fill(struct rados_kv_iter *it, const uint8_t *out,
		       size_t outlen, bool *more);
void rados_kv_iter_destroy(struct rados_kv_iter *it);

/* --- list.c ------------------------------------------------------------ */

/* Hands a PGLS reply to the listing waiting for it. */
int rados_list_take_reply(struct rados_list_ctx *ls, const uint8_t *out,
			  size_t outlen);

/* --- objecter.c: the OSD client ---------------------------------------- */

int objecter_create(struct rados_cluster *c, struct objecter **out);
/* Stops the messenger (no callbacks after it), fails every op still in
 * flight with -ESHUTDOWN and runs the queued callbacks.  Then the monitor
 * client may go (no more on_map), then objecter_destroy() frees. */
void objecter_stop(struct objecter *o);
void objecter_destroy(struct objecter *o);
/* Waits until the first map is in; 0 or -ETIMEDOUT. */
int objecter_wait_map(struct objecter *o, int timeout_ms);
/* Queues a completion's callbacks on the finisher thread. */
void objecter_queue_callback(struct objecter *o, struct rados_completion *c);
/* The monitor client's map callback. */
void objecter_on_map(struct osdmap *map, void *arg);
/* Starts an op on object oid (or, with oid NULL, on PG ps) of io's pool.
 * The rop's ops are encoded and its reply handlers copied: the caller may
 * release it on return.  comp gets the result; returns 0 or -errno (then
 * comp is untouched). */
int objecter_submit(struct rados_ioctx *io, const char *oid, uint32_t ps,
		    const struct rop *rop, struct rados_completion *comp);
/* A referenced copy of the newest map (osdmap_put it). */
struct osdmap *objecter_map(struct objecter *o);

/* --- librados_stubs.c: exported for old binaries, not in the header -- */

LIBRADOS_API int rados_tmap_update(rados_ioctx_t io, const char *o,
				   const char *cmdbuf, size_t cmdbuflen);
LIBRADOS_API int rados_tmap_put(rados_ioctx_t io, const char *o,
				const char *buf, size_t buflen);
LIBRADOS_API int rados_tmap_get(rados_ioctx_t io, const char *o, char *buf,
				size_t buflen);

#endif
