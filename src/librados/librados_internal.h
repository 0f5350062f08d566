/*
 * Private to librados: the structures behind the opaque handles, grouped
 * by the file that owns them.  The public contract is
 * include/rados/librados.h.
 */
#ifndef LOLIGO_LIBRADOS_INTERNAL_H
#define LOLIGO_LIBRADOS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define LOLIGO_LIBRADOS_BUILD 1
#include "rados/librados.h"

/* --- librados.c ------------------------------------------------------ */

struct conf;
struct tool_monc;

/* What a rados_t points to. */
struct rados_cluster {
	pthread_mutex_t lock;     /* serializes monc (not thread-safe) */
	struct conf *conf;
	struct tool_monc *monc;   /* non-NULL once connected */
	uint64_t instance_id;
	char fsid[37];
};

/* What a rados_ioctx_t points to. */
struct rados_ioctx {
	struct rados_cluster *cluster;
	int64_t pool_id;
	char *pool_name;
};

/* --- librados_stubs.c: exported for old binaries, not in the header -- */

LIBRADOS_API int rados_tmap_update(rados_ioctx_t io, const char *o,
				   const char *cmdbuf, size_t cmdbuflen);
LIBRADOS_API int rados_tmap_put(rados_ioctx_t io, const char *o,
				const char *buf, size_t buflen);
LIBRADOS_API int rados_tmap_get(rados_ioctx_t io, const char *o, char *buf,
				size_t buflen);

#endif
