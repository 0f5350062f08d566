/*
 * Loligo's librados: the C interface of a RADOS client, with the names,
 * signatures and public struct layouts that programs built for Ceph's
 * librados.so.2 expect, so they run unchanged on Loligo.  Every handle is
 * an opaque pointer.  Calls return 0 (or a count) on success and a negative
 * errno on failure unless documented otherwise.  Cluster, configuration,
 * monitor commands, pools, object I/O (synchronous, asynchronous and
 * compound), xattrs, omap and listing work; snapshots, watch/notify,
 * locks and object classes return -EOPNOTSUPP for now (the last section
 * of this file; docs/librados.md).
 *
 * Threads: a rados_t may be used from several threads at once once it is
 * connected (monitor commands are serialized inside); configuring it
 * (rados_conf_*) before rados_connect() and rados_shutdown() must not race
 * with other calls on the same handle.
 */
#ifndef LOLIGO_RADOS_LIBRADOS_H
#define LOLIGO_RADOS_LIBRADOS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(LOLIGO_LIBRADOS_BUILD)
#define LIBRADOS_API __attribute__((visibility("default")))
#else
#define LIBRADOS_API
#endif

/* The interface version this library implements (Ceph 16.2's). */
#define LIBRADOS_VER_MAJOR 3
#define LIBRADOS_VER_MINOR 0
#define LIBRADOS_VER_EXTRA 0
#define LIBRADOS_VERSION(maj, min, extra) (((maj) << 16) + ((min) << 8) + (extra))
#define LIBRADOS_VERSION_CODE \
	LIBRADOS_VERSION(LIBRADOS_VER_MAJOR, LIBRADOS_VER_MINOR, LIBRADOS_VER_EXTRA)

#define LIBRADOS_SUPPORTS_WATCH 1
#define LIBRADOS_SUPPORTS_SERVICES 1
#define LIBRADOS_SUPPORTS_GETADDRS 1
#define LIBRADOS_SUPPORTS_APP_METADATA 1

/* rados_write_op_create's exclusive argument. */
#define LIBRADOS_CREATE_EXCLUSIVE 1
#define LIBRADOS_CREATE_IDEMPOTENT 0

/* Per-sub-op flags (rados_*_op_set_flags); Ceph's values.  Only EXCL and
 * FAILOK change anything here: the fadvise hints are accepted. */
enum {
	LIBRADOS_OP_FLAG_EXCL = 0x1,
	LIBRADOS_OP_FLAG_FAILOK = 0x2,
	LIBRADOS_OP_FLAG_FADVISE_RANDOM = 0x4,
	LIBRADOS_OP_FLAG_FADVISE_SEQUENTIAL = 0x8,
	LIBRADOS_OP_FLAG_FADVISE_WILLNEED = 0x10,
	LIBRADOS_OP_FLAG_FADVISE_DONTNEED = 0x20,
	LIBRADOS_OP_FLAG_FADVISE_NOCACHE = 0x40,
	LIBRADOS_OP_FLAG_FADVISE_FUA = 0x80,
};

/* Comparison operators of cmpxattr and omap_cmp. */
enum {
	LIBRADOS_CMPXATTR_OP_EQ = 1,
	LIBRADOS_CMPXATTR_OP_NE = 2,
	LIBRADOS_CMPXATTR_OP_GT = 3,
	LIBRADOS_CMPXATTR_OP_GTE = 4,
	LIBRADOS_CMPXATTR_OP_LT = 5,
	LIBRADOS_CMPXATTR_OP_LTE = 6,
};

/* Whole-operation flags (operate's flags argument); accepted, ignored. */
enum {
	LIBRADOS_OPERATION_NOFLAG = 0,
	LIBRADOS_OPERATION_BALANCE_READS = 1,
	LIBRADOS_OPERATION_LOCALIZE_READS = 2,
	LIBRADOS_OPERATION_ORDER_READS_WRITES = 4,
	LIBRADOS_OPERATION_IGNORE_CACHE = 8,
	LIBRADOS_OPERATION_SKIPRWLOCKS = 16,
	LIBRADOS_OPERATION_IGNORE_OVERLAY = 32,
	LIBRADOS_OPERATION_FULL_TRY = 64,
	LIBRADOS_OPERATION_FULL_FORCE = 128,
	LIBRADOS_OPERATION_IGNORE_REDIRECT = 256,
	LIBRADOS_OPERATION_ORDERSNAP = 512,
	LIBRADOS_OPERATION_RETURNVEC = 1024,
};

/* Namespace wildcard for listing every namespace of a pool. */
#define LIBRADOS_ALL_NSPACES "\001"

/* Opaque handles. */
typedef void *rados_t;                  /* one cluster connection */
typedef void *rados_config_t;           /* a configuration to share */
typedef void *rados_ioctx_t;            /* I/O context: one pool */
typedef void *rados_list_ctx_t;         /* object listing in progress */
typedef void *rados_object_list_cursor; /* position in a pool listing */
typedef void *rados_xattrs_iter_t;      /* xattrs returned by a read */
typedef void *rados_omap_iter_t;        /* omap entries returned by a read */
typedef void *rados_write_op_t;         /* compound write being built */
typedef void *rados_read_op_t;          /* compound read being built */
typedef void *rados_completion_t;       /* an asynchronous operation */
typedef uint64_t rados_snap_t;          /* snapshot id */

/* One object of a pool listing; the library owns the strings. */
typedef struct {
	size_t oid_length;
	char *oid;
	size_t nspace_length;
	char *nspace;
	size_t locator_length;
	char *locator;
} rados_object_list_item;

/* Per-pool usage counters (layout fixed by the ABI). */
struct rados_pool_stat_t {
	uint64_t num_bytes;
	uint64_t num_kb;
	uint64_t num_objects;
	uint64_t num_object_clones;
	uint64_t num_object_copies;
	uint64_t num_objects_missing_on_primary;
	uint64_t num_objects_unfound;
	uint64_t num_objects_degraded;
	uint64_t num_rd;
	uint64_t num_rd_kb;
	uint64_t num_wr;
	uint64_t num_wr_kb;
	uint64_t num_user_bytes;
	uint64_t compressed_bytes_orig;
	uint64_t compressed_bytes;
	uint64_t compressed_bytes_alloc;
};

/* Whole-cluster usage (layout fixed by the ABI). */
struct rados_cluster_stat_t {
	uint64_t kb;
	uint64_t kb_used;
	uint64_t kb_avail;
	uint64_t num_objects;
};

/* Watch/notify results, opaque here (freed by rados_free_notify_response). */
struct notify_ack_t;
struct notify_timeout_t;

/* Called when an asynchronous operation completes (or is safe). */
typedef void (*rados_callback_t)(rados_completion_t cb, void *arg);
/* A notification arrived on a watch. */
typedef void (*rados_watchcb2_t)(void *arg, uint64_t notify_id,
				 uint64_t handle, uint64_t notifier_id,
				 void *data, size_t data_len);
/* A watch broke (err) and must be re-established. */
typedef void (*rados_watcherrcb_t)(void *pre, uint64_t cookie, int err);
/* Cluster log lines, for rados_monitor_log / rados_monitor_log2. */
typedef void (*rados_log_callback_t)(void *arg, const char *line,
				     const char *who, uint64_t sec,
				     uint64_t nsec, uint64_t seq,
				     const char *level, const char *msg);
typedef void (*rados_log_callback2_t)(void *arg, const char *line,
				      const char *channel, const char *who,
				      const char *name, uint64_t sec,
				      uint64_t nsec, uint64_t seq,
				      const char *level, const char *msg);

/* ===== Cluster, configuration, pools ================================== */

/* The interface version (3.0.0, as Ceph 16.2 reports).  Any pointer may be
 * NULL.  Thread-safe. */
LIBRADOS_API void rados_version(int *major, int *minor, int *extra);

/*
 * Create an unconnected handle for entity client.ID (id NULL: "admin").
 * rados_create2 takes the cluster name (NULL: "ceph") and a full entity
 * name "type.id" (NULL: client.admin); flags must be 0.  On success
 * *cluster owns a handle the caller releases with rados_shutdown().
 * Errors: -EINVAL (bad name), -ENOMEM.
 */
LIBRADOS_API int rados_create(rados_t *cluster, const char *const id);
LIBRADOS_API int rados_create2(rados_t *pcluster, const char *const clustername,
			       const char *const name, uint64_t flags);

/*
 * Read a ceph.conf.  path may list several files (commas or spaces; the
 * first that exists is read); NULL searches $CEPH_CONF, then
 * /etc/ceph/$cluster.conf, ~/.ceph/$cluster.conf, ./$cluster.conf.
 * Errors: -ENOENT (no such file), -EINVAL (syntax), -ENOMEM, -EIO.
 */
LIBRADOS_API int rados_conf_read_file(rados_t cluster, const char *path);

/*
 * Apply Ceph's common arguments (-c, -m, --id, --name, --keyring,
 * --OPTION VALUE ...).  argv[0] is the program name and is ignored.  The
 * _remainder form stores in remargv[i] (argc slots, caller-owned) the
 * arguments that were not configuration, pointing into argv, NULL for the
 * consumed ones.  Errors: -EINVAL (bad value), -ENOMEM.
 */
LIBRADOS_API int rados_conf_parse_argv(rados_t cluster, int argc,
				       const char **argv);
LIBRADOS_API int rados_conf_parse_argv_remainder(rados_t cluster, int argc,
						 const char **argv,
						 const char **remargv);

/* Apply the arguments in environment variable var (NULL: CEPH_ARGS);
 * unset or empty is not an error.  Errors: -EINVAL, -ENOMEM. */
LIBRADOS_API int rados_conf_parse_env(rados_t cluster, const char *var);

/* Set an option (highest precedence).  Errors: -ENOENT (unknown option),
 * -EINVAL (bad value), -ENOMEM. */
LIBRADOS_API int rados_conf_set(rados_t cluster, const char *option,
				const char *value);

/* Copy the value of option into buf (len bytes with the NUL).  Errors:
 * -ENOENT (unknown option), -ENAMETOOLONG (buf too small). */
LIBRADOS_API int rados_conf_get(rados_t cluster, const char *option,
				char *buf, size_t len);

/*
 * Reach a monitor of mon_host and learn the cluster's fsid.  Blocks up to
 * client_mount_timeout.  Errors: -EISCONN (already connected), -ENOENT
 * (no mon_host), -ETIMEDOUT (no monitor answered), -ENOMEM.
 */
LIBRADOS_API int rados_connect(rados_t cluster);

/* Disconnect and free the handle and its configuration.  I/O contexts
 * must have been destroyed first.  cluster may be NULL. */
LIBRADOS_API void rados_shutdown(rados_t cluster);

/* The fsid as 36 characters and a NUL into buf.  Returns the length
 * written (36), -ENOTCONN, or -ERANGE if len < 37. */
LIBRADOS_API int rados_cluster_fsid(rados_t cluster, char *buf, size_t len);

/* A number identifying this client instance, nonzero once connected
 * (0 before). */
LIBRADOS_API uint64_t rados_get_instance_id(rados_t cluster);

/* Wait until our OSD map is as new as the monitors' newest.  Errors:
 * -ENOTCONN, -ETIMEDOUT. */
LIBRADOS_API int rados_wait_for_latest_osdmap(rados_t cluster);

/*
 * Send a command (JSON; the cmdlen pieces are concatenated) with optional
 * input data to the monitors and return the monitor's 0 or -errno.  On
 * any return after the command was sent, *outbuf and *outs (if those
 * pointers are non-NULL) hold malloc'd output data and status text (NULL
 * when empty) that the caller frees with rados_buffer_free().  The
 * _target form names a monitor; this cut sends to whichever monitor
 * answers (the leader for writes), which gives the same result.
 * Errors besides the monitor's own: -ENOTCONN, -EINVAL, -ETIMEDOUT,
 * -ENOMEM.
 */
LIBRADOS_API int rados_mon_command(rados_t cluster, const char **cmd,
				   size_t cmdlen, const char *inbuf,
				   size_t inbuflen, char **outbuf,
				   size_t *outbuflen, char **outs,
				   size_t *outslen);
LIBRADOS_API int rados_mon_command_target(rados_t cluster, const char *name,
					  const char **cmd, size_t cmdlen,
					  const char *inbuf, size_t inbuflen,
					  char **outbuf, size_t *outbuflen,
					  char **outs, size_t *outslen);

/* Free a buffer this library returned (NULL is fine). */
LIBRADOS_API void rados_buffer_free(char *buf);

/* Create a replicated pool with the cluster's defaults.  Errors:
 * -EEXIST, -EINVAL, -ENOTCONN, the monitor's errors. */
LIBRADOS_API int rados_pool_create(rados_t cluster, const char *pool_name);

/* Delete a pool and its data (the monitors must allow it:
 * mon_allow_pool_delete).  Errors: -ENOENT, -EPERM, -ENOTCONN. */
LIBRADOS_API int rados_pool_delete(rados_t cluster, const char *pool_name);

/*
 * Write every pool name into buf, each NUL-terminated, then one more NUL;
 * names that do not fit whole are left out.  Returns the length the whole
 * list needs (call again with that much when it is larger than len), or
 * -ENOTCONN and the monitor's errors.  buf may be NULL when len is 0.
 */
LIBRADOS_API int rados_pool_list(rados_t cluster, char *buf, size_t len);

/* The id of a pool, or -ENOENT, -ENOTCONN. */
LIBRADOS_API int64_t rados_pool_lookup(rados_t cluster, const char *pool_name);

/* Copy the name of pool id into buf; returns its length with the NUL,
 * -ENOENT, -ERANGE (buf too small), -ENOTCONN. */
LIBRADOS_API int rados_pool_reverse_lookup(rados_t cluster, int64_t id,
					   char *buf, size_t maxlen);

/*
 * Open an I/O context on a pool, by name or (create2) by id.  The handle
 * holds a copy of the pool's name and id; destroy it with
 * rados_ioctx_destroy() before shutting the cluster down.  Errors:
 * -ENOENT (no such pool), -ENOTCONN, -ENOMEM.
 */
LIBRADOS_API int rados_ioctx_create(rados_t cluster, const char *pool_name,
				    rados_ioctx_t *ioctx);
LIBRADOS_API int rados_ioctx_create2(rados_t cluster, int64_t pool_id,
				     rados_ioctx_t *ioctx);
/* Free an I/O context (NULL is fine). */
LIBRADOS_API void rados_ioctx_destroy(rados_ioctx_t io);
/* The pool id of io. */
LIBRADOS_API int64_t rados_ioctx_get_id(rados_ioctx_t io);
/* The cluster io belongs to. */
LIBRADOS_API rados_t rados_ioctx_get_cluster(rados_ioctx_t io);
/* Copy the pool's name into buf; returns its length without the NUL, or
 * -ERANGE (buf too small). */
LIBRADOS_API int rados_ioctx_get_pool_name(rados_ioctx_t io, char *buf,
					   unsigned maxlen);

/* ===== Object I/O ===================================================== *
 *
 * Objects are named by (pool of the I/O context, its namespace, its
 * locator key, name).  Names are 1..2048 bytes (-EINVAL for NULL or
 * empty, -ENAMETOOLONG beyond).  Every call below may also fail with
 * -ENOTCONN, -ENOMEM, -ENOENT when the pool has been deleted,
 * -ETIMEDOUT when rados_osd_op_timeout (seconds, 0 = wait forever, the
 * default) expires, and the OSD's own errors.  A synchronous call waits
 * for the primary OSD's answer, which for a write means every replica
 * has made it durable.  All calls are thread-safe on a connected handle;
 * an I/O context's namespace and locator key must not change while
 * another thread starts I/O on it.
 */

/* Ops on objects of this namespace from now on (NULL or "": the default
 * one).  LIBRADOS_ALL_NSPACES is only meaningful for listing; object
 * calls on it fail with -EINVAL. */
LIBRADOS_API void rados_ioctx_set_namespace(rados_ioctx_t io,
					    const char *nspace);
/* Copy the namespace into buf; its length, or -ERANGE. */
LIBRADOS_API int rados_ioctx_get_namespace(rados_ioctx_t io, char *buf,
					   unsigned maxlen);
/* Place objects by this key instead of their names (NULL or "": none). */
LIBRADOS_API void rados_ioctx_locator_set_key(rados_ioctx_t io,
					      const char *key);
/* The object version the last completed op on io reported. */
LIBRADOS_API uint64_t rados_get_last_version(rados_ioctx_t io);

/* Write len bytes at off (creating the object); 0.  Writes larger than
 * osd_max_write_size (90 MB) fail with -EFBIG, as do objects that would
 * grow beyond osd_max_object_size. */
LIBRADOS_API int rados_write(rados_ioctx_t io, const char *oid,
			     const char *buf, size_t len, uint64_t off);
/* Replace the object's data with buf; 0. */
LIBRADOS_API int rados_write_full(rados_ioctx_t io, const char *oid,
				  const char *buf, size_t len);
/* Write data_len bytes repeated to fill write_len at off (write_len a
 * multiple of data_len, else -EINVAL); 0. */
LIBRADOS_API int rados_writesame(rados_ioctx_t io, const char *oid,
				 const char *buf, size_t data_len,
				 size_t write_len, uint64_t off);
/* Append to the object; 0. */
LIBRADOS_API int rados_append(rados_ioctx_t io, const char *oid,
			      const char *buf, size_t len);
/* Read up to len bytes at off into buf; the number of bytes read (short
 * at the end of the object), -ENOENT if it does not exist. */
LIBRADOS_API int rados_read(rados_ioctx_t io, const char *oid, char *buf,
			    size_t len, uint64_t off);
/* Delete the object; 0 or -ENOENT. */
LIBRADOS_API int rados_remove(rados_ioctx_t io, const char *oid);
/* Set the object's size (creating it); 0. */
LIBRADOS_API int rados_trunc(rados_ioctx_t io, const char *oid,
			     uint64_t size);
/* Size and modification time (either pointer may be NULL); 0 or
 * -ENOENT. */
LIBRADOS_API int rados_stat(rados_ioctx_t io, const char *o, uint64_t *psize,
			    time_t *pmtime);
/* Compare cmp_len bytes at off with cmp_buf: 0 if equal, else
 * (-MAX_ERRNO - offset of the first difference), MAX_ERRNO being 4095. */
LIBRADOS_API int rados_cmpext(rados_ioctx_t io, const char *o,
			      const char *cmp_buf, size_t cmp_len,
			      uint64_t off);
/* Hints about the object's eventual size; accepted and ignored. */
LIBRADOS_API int rados_set_alloc_hint(rados_ioctx_t io, const char *o,
				      uint64_t expected_object_size,
				      uint64_t expected_write_size);
LIBRADOS_API int rados_set_alloc_hint2(rados_ioctx_t io, const char *o,
				       uint64_t expected_object_size,
				       uint64_t expected_write_size,
				       uint32_t flags);
/* Object classes are not supported yet: -EOPNOTSUPP. */
LIBRADOS_API int rados_exec(rados_ioctx_t io, const char *oid,
			    const char *cls, const char *method,
			    const char *in_buf, size_t in_len, char *buf,
			    size_t out_len);

/* Extended attributes (any size).  getxattr returns the value's length,
 * -ERANGE if len is too small, -ENODATA if absent; setxattr and rmxattr
 * return 0 (-ENODATA for a missing one). */
LIBRADOS_API int rados_getxattr(rados_ioctx_t io, const char *o,
				const char *name, char *buf, size_t len);
LIBRADOS_API int rados_setxattr(rados_ioctx_t io, const char *o,
				const char *name, const char *buf, size_t len);
LIBRADOS_API int rados_rmxattr(rados_ioctx_t io, const char *o,
			       const char *name);
/* Every xattr of the object into a new iterator (*iter, on success
 * only), walked with rados_getxattrs_next (name, val and len are valid
 * until the next call; name NULL at the end) and freed with
 * rados_getxattrs_end. */
LIBRADOS_API int rados_getxattrs(rados_ioctx_t io, const char *oid,
				 rados_xattrs_iter_t *iter);
LIBRADOS_API int rados_getxattrs_next(rados_xattrs_iter_t iter,
				      const char **name, const char **val,
				      size_t *len);
LIBRADOS_API void rados_getxattrs_end(rados_xattrs_iter_t iter);

/* Omap iterators (from the read-op omap calls): key and val stay valid
 * until the next call; key NULL (val NULL, lengths 0) at the end; val is
 * NULL for key-only listings.  Always 0. */
LIBRADOS_API int rados_omap_get_next(rados_omap_iter_t iter, char **key,
				     char **val, size_t *len);
LIBRADOS_API int rados_omap_get_next2(rados_omap_iter_t iter, char **key,
				      char **val, size_t *key_len,
				      size_t *val_len);
LIBRADOS_API unsigned int rados_omap_iter_size(rados_omap_iter_t iter);
LIBRADOS_API void rados_omap_get_end(rados_omap_iter_t iter);

/*
 * Listing a pool: PG by PG, each in name order, so an object that exists
 * during the whole listing is returned exactly once whatever else
 * changes.  Only objects of the context's namespace (taken at open), or
 * of all namespaces with LIBRADOS_ALL_NSPACES.  next returns 0 with the
 * name, the locator key (NULL if none) and the namespace, valid until the
 * next call; -ENOENT at the end.  The hash position is the PG index:
 * seek moves to the start of PG pos and returns it.  The I/O context must
 * outlive the listing.
 */
LIBRADOS_API int rados_nobjects_list_open(rados_ioctx_t io,
					  rados_list_ctx_t *ctx);
LIBRADOS_API int rados_nobjects_list_next(rados_list_ctx_t ctx,
					  const char **entry,
					  const char **key,
					  const char **nspace);
LIBRADOS_API int rados_nobjects_list_next2(rados_list_ctx_t ctx,
					   const char **entry,
					   const char **key,
					   const char **nspace,
					   size_t *entry_size,
					   size_t *key_size,
					   size_t *nspace_size);
LIBRADOS_API uint32_t rados_nobjects_list_get_pg_hash_position(
	rados_list_ctx_t ctx);
LIBRADOS_API uint32_t rados_nobjects_list_seek(rados_list_ctx_t ctx,
					       uint32_t pos);
LIBRADOS_API void rados_nobjects_list_close(rados_list_ctx_t ctx);

/* Usage from the monitors' `df`: -ENOENT for a pool not in it yet. */
LIBRADOS_API int rados_cluster_stat(rados_t cluster,
				    struct rados_cluster_stat_t *result);
LIBRADOS_API int rados_ioctx_pool_stat(rados_ioctx_t io,
				       struct rados_pool_stat_t *stats);

/* ===== Asynchronous I/O ================================================ *
 *
 * A completion reports one asynchronous op.  cb_complete (then cb_safe,
 * for old callers: both mean "done and durable") runs on the library's
 * finisher thread, never the network thread, so it may start new I/O or
 * wait for other ops.  The result (get_return_value) is what the
 * synchronous call would have returned.  rados_aio_release may be called
 * at any time, even with the op in flight.  Buffers passed to aio reads
 * must stay valid until completion; write data is copied at submission.
 * An aio call that returns an error did not start (no callback).
 */
LIBRADOS_API int rados_aio_create_completion(void *cb_arg,
					     rados_callback_t cb_complete,
					     rados_callback_t cb_safe,
					     rados_completion_t *pc);
LIBRADOS_API int rados_aio_create_completion2(void *cb_arg,
					      rados_callback_t cb_complete,
					      rados_completion_t *pc);
/* Wait for the result (_and_cb: and for the callbacks to have returned).
 * Always 0. */
LIBRADOS_API int rados_aio_wait_for_complete(rados_completion_t c);
LIBRADOS_API int rados_aio_wait_for_safe(rados_completion_t c);
LIBRADOS_API int rados_aio_wait_for_complete_and_cb(rados_completion_t c);
LIBRADOS_API int rados_aio_wait_for_safe_and_cb(rados_completion_t c);
/* 1 once done (_and_cb: and callbacks returned), else 0. */
LIBRADOS_API int rados_aio_is_complete(rados_completion_t c);
LIBRADOS_API int rados_aio_is_safe(rados_completion_t c);
LIBRADOS_API int rados_aio_is_complete_and_cb(rados_completion_t c);
LIBRADOS_API int rados_aio_is_safe_and_cb(rados_completion_t c);
LIBRADOS_API int rados_aio_get_return_value(rados_completion_t c);
/* The object version the op reported. */
LIBRADOS_API uint64_t rados_aio_get_version(rados_completion_t c);
LIBRADOS_API void rados_aio_release(rados_completion_t c);
/* Wait until every write started on io has completed; 0. */
LIBRADOS_API int rados_aio_flush(rados_ioctx_t io);

LIBRADOS_API int rados_aio_write(rados_ioctx_t io, const char *oid,
				 rados_completion_t completion,
				 const char *buf, size_t len, uint64_t off);
LIBRADOS_API int rados_aio_write_full(rados_ioctx_t io, const char *oid,
				      rados_completion_t completion,
				      const char *buf, size_t len);
LIBRADOS_API int rados_aio_writesame(rados_ioctx_t io, const char *oid,
				     rados_completion_t completion,
				     const char *buf, size_t data_len,
				     size_t write_len, uint64_t off);
LIBRADOS_API int rados_aio_append(rados_ioctx_t io, const char *oid,
				  rados_completion_t completion,
				  const char *buf, size_t len);
LIBRADOS_API int rados_aio_read(rados_ioctx_t io, const char *oid,
				rados_completion_t completion, char *buf,
				size_t len, uint64_t off);
LIBRADOS_API int rados_aio_remove(rados_ioctx_t io, const char *oid,
				  rados_completion_t completion);
/* psize and pmtime are written on completion. */
LIBRADOS_API int rados_aio_stat(rados_ioctx_t io, const char *o,
				rados_completion_t completion,
				uint64_t *psize, time_t *pmtime);
LIBRADOS_API int rados_aio_cmpext(rados_ioctx_t io, const char *o,
				  rados_completion_t completion,
				  const char *cmp_buf, size_t cmp_len,
				  uint64_t off);
LIBRADOS_API int rados_aio_getxattr(rados_ioctx_t io, const char *o,
				    rados_completion_t completion,
				    const char *name, char *buf, size_t len);
LIBRADOS_API int rados_aio_setxattr(rados_ioctx_t io, const char *o,
				    rados_completion_t completion,
				    const char *name, const char *buf,
				    size_t len);
LIBRADOS_API int rados_aio_rmxattr(rados_ioctx_t io, const char *o,
				   rados_completion_t completion,
				   const char *name);
/* *iter is set when the op succeeds (free it with rados_getxattrs_end). */
LIBRADOS_API int rados_aio_getxattrs(rados_ioctx_t io, const char *oid,
				     rados_completion_t completion,
				     rados_xattrs_iter_t *iter);
/* -EOPNOTSUPP (object classes come later). */
LIBRADOS_API int rados_aio_exec(rados_ioctx_t io, const char *o,
				rados_completion_t completion,
				const char *cls, const char *method,
				const char *in_buf, size_t in_len, char *buf,
				size_t out_len);

/* ===== Compound operations ============================================= *
 *
 * A write op is a list of sub-ops applied atomically to one object: all
 * or nothing (a failing assertion or comparison applies nothing).  A
 * read op runs its sub-ops in order; outputs (buffers, *prval per
 * sub-op, iterators) are written when it completes.  The builders copy
 * their arguments; a builder that fails (no memory, bad argument, or a
 * sub-op this library does not support) makes operate return that error.
 * Iterators are handed out when the sub-op is added and must be freed
 * with rados_omap_get_end / rados_getxattrs_end even if the op fails.
 * Flags: set_flags applies LIBRADOS_OP_FLAG_EXCL / _FAILOK to the last
 * sub-op added; operate's flags (LIBRADOS_OPERATION_*) and the mtime
 * argument are accepted and ignored (the OSD stamps mtime).
 * rados_write_op_omap_rm_range2, _exec and rados_read_op_exec,
 * _exec_user_buf and _checksum are not supported: -EOPNOTSUPP.
 */
LIBRADOS_API rados_write_op_t rados_create_write_op(void);
LIBRADOS_API void rados_release_write_op(rados_write_op_t write_op);
LIBRADOS_API void rados_write_op_set_flags(rados_write_op_t write_op,
					   int flags);
LIBRADOS_API void rados_write_op_assert_exists(rados_write_op_t write_op);
/* Fails with -EOVERFLOW if ver is newer than the object's version,
 * -ERANGE if older, -EINVAL if 0. */
LIBRADOS_API void rados_write_op_assert_version(rados_write_op_t write_op,
						uint64_t ver);
LIBRADOS_API void rados_write_op_cmpext(rados_write_op_t write_op,
					const char *cmp_buf, size_t cmp_len,
					uint64_t off, int *prval);
/* Fails the op with -ECANCELED unless the xattr compares true
 * (LIBRADOS_CMPXATTR_OP_* values, 1..6). */
LIBRADOS_API void rados_write_op_cmpxattr(rados_write_op_t write_op,
					  const char *name,
					  uint8_t comparison_operator,
					  const char *value, size_t value_len);
LIBRADOS_API void rados_write_op_omap_cmp(rados_write_op_t write_op,
					  const char *key,
					  uint8_t comparison_operator,
					  const char *val, size_t val_len,
					  int *prval);
LIBRADOS_API void rados_write_op_omap_cmp2(rados_write_op_t write_op,
					   const char *key,
					   uint8_t comparison_operator,
					   const char *val, size_t key_len,
					   size_t val_len, int *prval);
LIBRADOS_API void rados_write_op_setxattr(rados_write_op_t write_op,
					  const char *name, const char *value,
					  size_t value_len);
LIBRADOS_API void rados_write_op_rmxattr(rados_write_op_t write_op,
					 const char *name);
/* exclusive: fail with -EEXIST if the object exists. */
LIBRADOS_API void rados_write_op_create(rados_write_op_t write_op,
					int exclusive, const char *category);
LIBRADOS_API void rados_write_op_write(rados_write_op_t write_op,
				       const char *buffer, size_t len,
				       uint64_t offset);
LIBRADOS_API void rados_write_op_write_full(rados_write_op_t write_op,
					    const char *buffer, size_t len);
LIBRADOS_API void rados_write_op_writesame(rados_write_op_t write_op,
					   const char *buffer,
					   size_t data_len, size_t write_len,
					   uint64_t offset);
LIBRADOS_API void rados_write_op_append(rados_write_op_t write_op,
					const char *buffer, size_t len);
LIBRADOS_API void rados_write_op_remove(rados_write_op_t write_op);
LIBRADOS_API void rados_write_op_truncate(rados_write_op_t write_op,
					  uint64_t offset);
LIBRADOS_API void rados_write_op_zero(rados_write_op_t write_op,
				      uint64_t offset, uint64_t len);
LIBRADOS_API void rados_write_op_exec(rados_write_op_t write_op,
				      const char *cls, const char *method,
				      const char *in_buf, size_t in_len,
				      int *prval);
/* Keys are C strings (the _2 forms' key lengths must match strlen). */
LIBRADOS_API void rados_write_op_omap_set(rados_write_op_t write_op,
					  char const *const *keys,
					  char const *const *vals,
					  const size_t *lens, size_t num);
LIBRADOS_API void rados_write_op_omap_set2(rados_write_op_t write_op,
					   char const *const *keys,
					   char const *const *vals,
					   const size_t *key_lens,
					   const size_t *val_lens, size_t num);
LIBRADOS_API void rados_write_op_omap_rm_keys(rados_write_op_t write_op,
					      char const *const *keys,
					      size_t keys_len);
LIBRADOS_API void rados_write_op_omap_rm_keys2(rados_write_op_t write_op,
					       char const *const *keys,
					       const size_t *key_lens,
					       size_t keys_len);
LIBRADOS_API void rados_write_op_omap_rm_range2(rados_write_op_t write_op,
						const char *key_begin,
						size_t key_begin_len,
						const char *key_end,
						size_t key_end_len);
LIBRADOS_API void rados_write_op_omap_clear(rados_write_op_t write_op);
LIBRADOS_API void rados_write_op_set_alloc_hint(rados_write_op_t write_op,
						uint64_t expected_object_size,
						uint64_t expected_write_size);
LIBRADOS_API void rados_write_op_set_alloc_hint2(rados_write_op_t write_op,
						 uint64_t expected_object_size,
						 uint64_t expected_write_size,
						 uint32_t flags);
/* 0, or the first failing sub-op's error (nothing applied). */
LIBRADOS_API int rados_write_op_operate(rados_write_op_t write_op,
					rados_ioctx_t io, const char *oid,
					time_t *mtime, int flags);
LIBRADOS_API int rados_write_op_operate2(rados_write_op_t write_op,
					 rados_ioctx_t io, const char *oid,
					 struct timespec *mtime, int flags);
LIBRADOS_API int rados_aio_write_op_operate(rados_write_op_t write_op,
					    rados_ioctx_t io,
					    rados_completion_t completion,
					    const char *oid, time_t *mtime,
					    int flags);

LIBRADOS_API rados_read_op_t rados_create_read_op(void);
LIBRADOS_API void rados_release_read_op(rados_read_op_t read_op);
LIBRADOS_API void rados_read_op_set_flags(rados_read_op_t read_op,
					  int flags);
LIBRADOS_API void rados_read_op_assert_exists(rados_read_op_t read_op);
LIBRADOS_API void rados_read_op_assert_version(rados_read_op_t read_op,
					       uint64_t ver);
LIBRADOS_API void rados_read_op_cmpext(rados_read_op_t read_op,
				       const char *cmp_buf, size_t cmp_len,
				       uint64_t off, int *prval);
LIBRADOS_API void rados_read_op_cmpxattr(rados_read_op_t read_op,
					 const char *name,
					 uint8_t comparison_operator,
					 const char *value, size_t value_len);
LIBRADOS_API void rados_read_op_omap_cmp(rados_read_op_t read_op,
					 const char *key,
					 uint8_t comparison_operator,
					 const char *val, size_t val_len,
					 int *prval);
LIBRADOS_API void rados_read_op_omap_cmp2(rados_read_op_t read_op,
					  const char *key,
					  uint8_t comparison_operator,
					  const char *val, size_t key_len,
					  size_t val_len, int *prval);
LIBRADOS_API void rados_read_op_stat(rados_read_op_t read_op,
				     uint64_t *psize, time_t *pmtime,
				     int *prval);
/* *bytes_read gets the length read, *prval the sub-op's result. */
LIBRADOS_API void rados_read_op_read(rados_read_op_t read_op,
				     uint64_t offset, size_t len,
				     char *buffer, size_t *bytes_read,
				     int *prval);
LIBRADOS_API void rados_read_op_checksum(rados_read_op_t read_op, int type,
					 const char *init_value,
					 size_t init_value_len,
					 uint64_t offset, size_t len,
					 size_t chunk_size, char *pchecksum,
					 size_t checksum_len, int *prval);
LIBRADOS_API void rados_read_op_exec(rados_read_op_t read_op,
				     const char *cls, const char *method,
				     const char *in_buf, size_t in_len,
				     char **out_buf, size_t *out_len,
				     int *prval);
LIBRADOS_API void rados_read_op_exec_user_buf(rados_read_op_t read_op,
					      const char *cls,
					      const char *method,
					      const char *in_buf,
					      size_t in_len, char *out_buf,
					      size_t out_len, size_t *used_len,
					      int *prval);
LIBRADOS_API void rados_read_op_getxattrs(rados_read_op_t read_op,
					  rados_xattrs_iter_t *iter,
					  int *prval);
/* Omap listings: keys after start_after (NULL or "": from the first),
 * optionally only those starting with filter_prefix, at most max_return;
 * *pmore says whether more followed. */
LIBRADOS_API void rados_read_op_omap_get_vals(rados_read_op_t read_op,
					      const char *start_after,
					      const char *filter_prefix,
					      uint64_t max_return,
					      rados_omap_iter_t *iter,
					      int *prval);
LIBRADOS_API void rados_read_op_omap_get_vals2(rados_read_op_t read_op,
					       const char *start_after,
					       const char *filter_prefix,
					       uint64_t max_return,
					       rados_omap_iter_t *iter,
					       unsigned char *pmore,
					       int *prval);
LIBRADOS_API void rados_read_op_omap_get_keys(rados_read_op_t read_op,
					      const char *start_after,
					      uint64_t max_return,
					      rados_omap_iter_t *iter,
					      int *prval);
LIBRADOS_API void rados_read_op_omap_get_keys2(rados_read_op_t read_op,
					       const char *start_after,
					       uint64_t max_return,
					       rados_omap_iter_t *iter,
					       unsigned char *pmore,
					       int *prval);
LIBRADOS_API void rados_read_op_omap_get_vals_by_keys(rados_read_op_t read_op,
						      char const *const *keys,
						      size_t keys_len,
						      rados_omap_iter_t *iter,
						      int *prval);
LIBRADOS_API void rados_read_op_omap_get_vals_by_keys2(
	rados_read_op_t read_op, char const *const *keys, size_t num_keys,
	const size_t *key_lens, rados_omap_iter_t *iter, int *prval);
/* 0, or the first failing sub-op's error. */
LIBRADOS_API int rados_read_op_operate(rados_read_op_t read_op,
				       rados_ioctx_t io, const char *oid,
				       int flags);
LIBRADOS_API int rados_aio_read_op_operate(rados_read_op_t read_op,
					   rados_ioctx_t io,
					   rados_completion_t completion,
					   const char *oid, int flags);

/* ===== Not implemented yet ============================================
 *
 * Declared so programs link and start.  Each returns -EOPNOTSUPP (int),
 * NULL (handles), 0 (uint64_t counters) or does nothing (void), and has
 * no other effect.  Their contracts are Ceph's: snapshots, watch/notify,
 * locks, pool applications, services and other daemons' commands.
 */
LIBRADOS_API int rados_aio_notify(rados_ioctx_t io, const char *o,
				  rados_completion_t completion,
				  const char *buf, int buf_len,
				  uint64_t timeout_ms, char **reply_buffer,
				  size_t *reply_buffer_len);
LIBRADOS_API int rados_application_enable(rados_ioctx_t io,
					  const char *app_name, int force);
LIBRADOS_API int rados_application_list(rados_ioctx_t io, char *values,
					size_t *values_len);
LIBRADOS_API int rados_application_metadata_get(rados_ioctx_t io,
						const char *app_name,
						const char *key, char *value,
						size_t *value_len);
LIBRADOS_API int rados_application_metadata_list(rados_ioctx_t io,
						 const char *app_name,
						 char *keys, size_t *key_len,
						 char *values,
						 size_t *vals_len);
LIBRADOS_API int rados_application_metadata_remove(rados_ioctx_t io,
						   const char *app_name,
						   const char *key);
LIBRADOS_API int rados_application_metadata_set(rados_ioctx_t io,
						const char *app_name,
						const char *key,
						const char *value);
LIBRADOS_API int rados_blocklist_add(rados_t cluster, char *client_address,
				     uint32_t expire_seconds);
LIBRADOS_API int rados_create_with_context(rados_t *cluster,
					   rados_config_t cct);
LIBRADOS_API int rados_decode_notify_response(char *reply_buffer,
					      size_t reply_buffer_len,
					      struct notify_ack_t **acks,
					      size_t *nr_acks,
					      struct notify_timeout_t **timeouts,
					      size_t *nr_timeouts);
LIBRADOS_API void rados_free_notify_response(struct notify_ack_t *acks,
					     size_t nr_acks,
					     struct notify_timeout_t *timeouts);
LIBRADOS_API int rados_getaddrs(rados_t cluster, char** addrs);
LIBRADOS_API int rados_inconsistent_pg_list(rados_t cluster, int64_t pool,
					    char *buf, size_t len);
LIBRADOS_API int rados_ioctx_pool_required_alignment2(rados_ioctx_t io,
						      uint64_t *alignment);
LIBRADOS_API int rados_ioctx_pool_requires_alignment2(rados_ioctx_t io,
						      int *req);
LIBRADOS_API int rados_ioctx_selfmanaged_snap_create(rados_ioctx_t io,
						     rados_snap_t *snapid);
LIBRADOS_API int rados_ioctx_selfmanaged_snap_remove(rados_ioctx_t io,
						     rados_snap_t snapid);
LIBRADOS_API int rados_ioctx_selfmanaged_snap_rollback(rados_ioctx_t io,
						       const char *oid,
						       rados_snap_t snapid);
LIBRADOS_API int rados_ioctx_selfmanaged_snap_set_write_ctx(rados_ioctx_t io,
							    rados_snap_t seq,
							    rados_snap_t *snaps,
							    int num_snaps);
LIBRADOS_API int rados_ioctx_snap_create(rados_ioctx_t io,
					 const char *snapname);
LIBRADOS_API int rados_ioctx_snap_get_name(rados_ioctx_t io, rados_snap_t id,
					   char *name, int maxlen);
LIBRADOS_API int rados_ioctx_snap_get_stamp(rados_ioctx_t io, rados_snap_t id,
					    time_t *t);
LIBRADOS_API int rados_ioctx_snap_list(rados_ioctx_t io, rados_snap_t *snaps,
				       int maxlen);
LIBRADOS_API int rados_ioctx_snap_lookup(rados_ioctx_t io, const char *name,
					 rados_snap_t *id);
LIBRADOS_API int rados_ioctx_snap_remove(rados_ioctx_t io,
					 const char *snapname);
LIBRADOS_API int rados_ioctx_snap_rollback(rados_ioctx_t io, const char *oid,
					   const char *snapname);
LIBRADOS_API void rados_ioctx_snap_set_read(rados_ioctx_t io,
					    rados_snap_t snap);
LIBRADOS_API int rados_lock_exclusive(rados_ioctx_t io, const char * oid,
				      const char * name, const char * cookie,
				      const char * desc,
				      struct timeval * duration, uint8_t flags);
LIBRADOS_API int rados_lock_shared(rados_ioctx_t io, const char * o,
				   const char * name, const char * cookie,
				   const char * tag, const char * desc,
				   struct timeval * duration, uint8_t flags);
LIBRADOS_API int rados_mgr_command(rados_t cluster, const char **cmd,
				   size_t cmdlen, const char *inbuf,
				   size_t inbuflen, char **outbuf,
				   size_t *outbuflen, char **outs,
				   size_t *outslen);
LIBRADOS_API int rados_mgr_command_target( rados_t cluster, const char *name,
					  const char **cmd, size_t cmdlen,
					  const char *inbuf, size_t inbuflen,
					  char **outbuf, size_t *outbuflen,
					  char **outs, size_t *outslen);
LIBRADOS_API int rados_monitor_log(rados_t cluster, const char *level,
				   rados_log_callback_t cb, void *arg);
LIBRADOS_API int rados_monitor_log2(rados_t cluster, const char *level,
				    rados_log_callback2_t cb, void *arg);
LIBRADOS_API int rados_notify2(rados_ioctx_t io, const char *o, const char *buf,
			       int buf_len, uint64_t timeout_ms,
			       char **reply_buffer, size_t *reply_buffer_len);
LIBRADOS_API int rados_notify_ack(rados_ioctx_t io, const char *o,
				  uint64_t notify_id, uint64_t cookie,
				  const char *buf, int buf_len);
LIBRADOS_API int rados_osd_command(rados_t cluster, int osdid, const char **cmd,
				   size_t cmdlen, const char *inbuf,
				   size_t inbuflen, char **outbuf,
				   size_t *outbuflen, char **outs,
				   size_t *outslen);
LIBRADOS_API int rados_pg_command(rados_t cluster, const char *pgstr,
				  const char **cmd, size_t cmdlen,
				  const char *inbuf, size_t inbuflen,
				  char **outbuf, size_t *outbuflen, char **outs,
				  size_t *outslen);
LIBRADOS_API int rados_ping_monitor(rados_t cluster, const char *mon_id,
				    char **outstr, size_t *outstrlen);
LIBRADOS_API int rados_pool_create_with_all(rados_t cluster,
					    const char *pool_name,
					    uint64_t auid,
					    uint8_t crush_rule_num);
LIBRADOS_API int rados_pool_create_with_auid(rados_t cluster,
					     const char *pool_name,
					     uint64_t auid);
LIBRADOS_API int rados_pool_create_with_crush_rule(rados_t cluster,
						   const char *pool_name,
						   uint8_t crush_rule_num);
LIBRADOS_API int rados_pool_get_base_tier(rados_t cluster, int64_t pool,
					  int64_t* base_tier);
LIBRADOS_API int rados_service_register( rados_t cluster, const char *service,
					const char *daemon,
					const char *metadata_dict);
LIBRADOS_API int rados_service_update_status( rados_t cluster,
					     const char *status_dict);
LIBRADOS_API void rados_set_pool_full_try(rados_ioctx_t io);
LIBRADOS_API int rados_unlock(rados_ioctx_t io, const char *o, const char *name,
			      const char *cookie);
LIBRADOS_API void rados_unset_pool_full_try(rados_ioctx_t io);
LIBRADOS_API int rados_unwatch2(rados_ioctx_t io, uint64_t cookie);
LIBRADOS_API int rados_watch3(rados_ioctx_t io, const char *o, uint64_t *cookie,
			      rados_watchcb2_t watchcb,
			      rados_watcherrcb_t watcherrcb, uint32_t timeout,
			      void *arg);
LIBRADOS_API int rados_watch_check(rados_ioctx_t io, uint64_t cookie);
LIBRADOS_API int rados_watch_flush(rados_t cluster);
#ifdef __cplusplus
}
#endif

#endif
