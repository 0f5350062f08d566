/*
 * The librados calls that wait for the OSD (object I/O, compound ops,
 * completions, xattrs, omap, snapshots, watch/notify, locks, listing) and
 * the few cluster calls not done yet.  Each exists so that programs which
 * bind every symbol at load time (python3-rados, qemu, fio) start; each
 * returns its documented failure value (-EOPNOTSUPP, NULL or 0) and does
 * nothing else.  Generated once from include/rados/librados.h; a function
 * moves to its real home when it is implemented.
 */
#include <errno.h>
#include <stddef.h>

#include "librados/librados_internal.h"

LIBRADOS_API int rados_aio_notify(rados_ioctx_t io, const char *o,
				  rados_completion_t completion,
				  const char *buf, int buf_len,
				  uint64_t timeout_ms, char **reply_buffer,
				  size_t *reply_buffer_len)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_application_enable(rados_ioctx_t io,
					  const char *app_name, int force)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_application_list(rados_ioctx_t io, char *values,
					size_t *values_len)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_application_metadata_get(rados_ioctx_t io,
						const char *app_name,
						const char *key, char *value,
						size_t *value_len)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_application_metadata_list(rados_ioctx_t io,
						 const char *app_name,
						 char *keys, size_t *key_len,
						 char *values, size_t *vals_len)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_application_metadata_remove(rados_ioctx_t io,
						   const char *app_name,
						   const char *key)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_application_metadata_set(rados_ioctx_t io,
						const char *app_name,
						const char *key,
						const char *value)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_blocklist_add(rados_t cluster, char *client_address,
				     uint32_t expire_seconds)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_create_with_context(rados_t *cluster, rados_config_t cct)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_decode_notify_response(char *reply_buffer,
					      size_t reply_buffer_len,
					      struct notify_ack_t **acks,
					      size_t *nr_acks,
					      struct notify_timeout_t **timeouts,
					      size_t *nr_timeouts)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API void rados_free_notify_response(struct notify_ack_t *acks,
					     size_t nr_acks,
					     struct notify_timeout_t *timeouts)
{
}

LIBRADOS_API int rados_getaddrs(rados_t cluster, char** addrs)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_inconsistent_pg_list(rados_t cluster, int64_t pool,
					    char *buf, size_t len)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_selfmanaged_snap_create(rados_ioctx_t io,
						     rados_snap_t *snapid)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_selfmanaged_snap_remove(rados_ioctx_t io,
						     rados_snap_t snapid)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_selfmanaged_snap_rollback(rados_ioctx_t io,
						       const char *oid,
						       rados_snap_t snapid)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_selfmanaged_snap_set_write_ctx(rados_ioctx_t io,
							    rados_snap_t seq,
							    rados_snap_t *snaps,
							    int num_snaps)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_snap_create(rados_ioctx_t io, const char *snapname)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_snap_get_name(rados_ioctx_t io, rados_snap_t id,
					   char *name, int maxlen)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_snap_get_stamp(rados_ioctx_t io, rados_snap_t id,
					    time_t *t)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_snap_list(rados_ioctx_t io, rados_snap_t *snaps,
				       int maxlen)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_snap_lookup(rados_ioctx_t io, const char *name,
					 rados_snap_t *id)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_snap_remove(rados_ioctx_t io, const char *snapname)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ioctx_snap_rollback(rados_ioctx_t io, const char *oid,
					   const char *snapname)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API void rados_ioctx_snap_set_read(rados_ioctx_t io, rados_snap_t snap)
{
}

LIBRADOS_API int rados_lock_exclusive(rados_ioctx_t io, const char * oid,
				      const char * name, const char * cookie,
				      const char * desc,
				      struct timeval * duration, uint8_t flags)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_lock_shared(rados_ioctx_t io, const char * o,
				   const char * name, const char * cookie,
				   const char * tag, const char * desc,
				   struct timeval * duration, uint8_t flags)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_monitor_log(rados_t cluster, const char *level,
				   rados_log_callback_t cb, void *arg)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_monitor_log2(rados_t cluster, const char *level,
				    rados_log_callback2_t cb, void *arg)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_notify2(rados_ioctx_t io, const char *o, const char *buf,
			       int buf_len, uint64_t timeout_ms,
			       char **reply_buffer, size_t *reply_buffer_len)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_notify_ack(rados_ioctx_t io, const char *o,
				  uint64_t notify_id, uint64_t cookie,
				  const char *buf, int buf_len)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_ping_monitor(rados_t cluster, const char *mon_id,
				    char **outstr, size_t *outstrlen)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_pool_create_with_all(rados_t cluster,
					    const char *pool_name,
					    uint64_t auid,
					    uint8_t crush_rule_num)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_pool_create_with_auid(rados_t cluster,
					     const char *pool_name,
					     uint64_t auid)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_pool_create_with_crush_rule(rados_t cluster,
						   const char *pool_name,
						   uint8_t crush_rule_num)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_pool_get_base_tier(rados_t cluster, int64_t pool,
					  int64_t* base_tier)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_service_register( rados_t cluster, const char *service,
					const char *daemon,
					const char *metadata_dict)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_service_update_status( rados_t cluster,
					     const char *status_dict)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API void rados_set_pool_full_try(rados_ioctx_t io)
{
}

LIBRADOS_API int rados_unlock(rados_ioctx_t io, const char *o, const char *name,
			      const char *cookie)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API void rados_unset_pool_full_try(rados_ioctx_t io)
{
}

LIBRADOS_API int rados_unwatch2(rados_ioctx_t io, uint64_t cookie)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_watch3(rados_ioctx_t io, const char *o, uint64_t *cookie,
			      rados_watchcb2_t watchcb,
			      rados_watcherrcb_t watcherrcb, uint32_t timeout,
			      void *arg)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_watch_check(rados_ioctx_t io, uint64_t cookie)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_watch_flush(rados_t cluster)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_tmap_update(rados_ioctx_t io, const char *o,
				   const char *cmdbuf, size_t cmdbuflen)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_tmap_put(rados_ioctx_t io, const char *o,
				const char *buf, size_t buflen)
{
	return -EOPNOTSUPP;
}

LIBRADOS_API int rados_tmap_get(rados_ioctx_t io, const char *o, char *buf,
				size_t buflen)
{
	return -EOPNOTSUPP;
}
