/*
 * Completions: what an asynchronous call reports through, and what every
 * synchronous call waits on.  A completion is refcounted: the
 * application's reference (dropped by rados_aio_release) plus one per op
 * in flight, so releasing it early is safe.  The result is set on the
 * thread that got the reply; callbacks then run on the objecter's
 * finisher thread (never the messenger's), complete before safe, as
 * Ceph does.
 */
#include <errno.h>
#include <stdlib.h>

#include "librados/librados_internal.h"

int rados_completion_create(void *arg, rados_callback_t complete,
			    rados_callback_t safe, struct rados_completion **out)
{
	struct rados_completion *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	if (pthread_mutex_init(&c->lock, NULL)) {
		free(c);
		return -ENOMEM;
	}
	if (pthread_cond_init(&c->cond, NULL)) {
		pthread_mutex_destroy(&c->lock);
		free(c);
		return -ENOMEM;
	}
	atomic_init(&c->ref, 1);
	c->cb_arg = arg;
	c->cb_complete = complete;
	c->cb_safe = safe;
	*out = c;
	return 0;
}

void rados_completion_get(struct rados_completion *c)
{
	atomic_fetch_add(&c->ref, 1);
}

void rados_completion_put(struct rados_completion *c)
{
	if (atomic_fetch_sub(&c->ref, 1) != 1)
		return;
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void rados_completion_finish(struct rados_completion *c, int rval,
			     uint64_t version)
{
	bool cbs = !c->internal && (c->cb_complete || c->cb_safe);

	/* rados_aio_flush accounting first, under the ioctx lock, and the
	 * completion marked done inside it: once a waiter sees the result
	 * (and may destroy the ioctx) we no longer touch the ioctx except
	 * to unlock it, which rados_ioctx_destroy waits for. */
	if (c->counted_write) {
		struct rados_ioctx *io = c->io;

		c->counted_write = false;
		pthread_mutex_lock(&io->lock);
		io->writes_in_flight--;
		pthread_mutex_lock(&c->lock);
		c->rval = rval;
		c->version = version;
		c->complete = true;
		c->cb_done = !cbs;
		pthread_cond_broadcast(&c->cond);
		pthread_mutex_unlock(&c->lock);
		pthread_cond_broadcast(&io->cond);
		pthread_mutex_unlock(&io->lock);
	} else {
		pthread_mutex_lock(&c->lock);
		c->rval = rval;
		c->version = version;
		c->complete = true;
		c->cb_done = !cbs;
		pthread_cond_broadcast(&c->cond);
		pthread_mutex_unlock(&c->lock);
	}
	if (cbs && c->objecter)
		objecter_queue_callback(c->objecter, c); /* keeps the op's ref */
	else
		rados_completion_put(c);
}

void rados_completion_run_callbacks(struct rados_completion *c)
{
	if (c->cb_complete)
		c->cb_complete(c, c->cb_arg);
	if (c->cb_safe)
		c->cb_safe(c, c->cb_arg);
	pthread_mutex_lock(&c->lock);
	c->cb_done = true;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	rados_completion_put(c);
}

static int completion_wait(struct rados_completion *c, bool and_cb)
{
	pthread_mutex_lock(&c->lock);
	while (!c->complete || (and_cb && !c->cb_done))
		pthread_cond_wait(&c->cond, &c->lock);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

int rados_completion_wait(struct rados_completion *c)
{
	return completion_wait(c, false);
}

static bool completion_is(struct rados_completion *c, bool and_cb)
{
	bool r;

	pthread_mutex_lock(&c->lock);
	r = c->complete && (!and_cb || c->cb_done);
	pthread_mutex_unlock(&c->lock);
	return r;
}

/* --- the public API -------------------------------------------------- */

LIBRADOS_API int rados_aio_create_completion(void *cb_arg,
					     rados_callback_t cb_complete,
					     rados_callback_t cb_safe,
					     rados_completion_t *pc)
{
	struct rados_completion *c;
	int rc;

	if (!pc)
		return -EINVAL;
	rc = rados_completion_create(cb_arg, cb_complete, cb_safe, &c);
	if (rc == 0)
		*pc = c;
	return rc;
}

LIBRADOS_API int rados_aio_create_completion2(void *cb_arg,
					      rados_callback_t cb_complete,
					      rados_completion_t *pc)
{
	return rados_aio_create_completion(cb_arg, cb_complete, NULL, pc);
}

LIBRADOS_API int rados_aio_wait_for_complete(rados_completion_t c)
{
	return completion_wait(c, false);
}

LIBRADOS_API int rados_aio_wait_for_safe(rados_completion_t c)
{
	return completion_wait(c, false);
}

LIBRADOS_API int rados_aio_wait_for_complete_and_cb(rados_completion_t c)
{
	return completion_wait(c, true);
}

LIBRADOS_API int rados_aio_wait_for_safe_and_cb(rados_completion_t c)
{
	return completion_wait(c, true);
}

LIBRADOS_API int rados_aio_is_complete(rados_completion_t c)
{
	return completion_is(c, false);
}

LIBRADOS_API int rados_aio_is_safe(rados_completion_t c)
{
	return completion_is(c, false);
}

LIBRADOS_API int rados_aio_is_complete_and_cb(rados_completion_t c)
{
	return completion_is(c, true);
}

LIBRADOS_API int rados_aio_is_safe_and_cb(rados_completion_t c)
{
	return completion_is(c, true);
}

LIBRADOS_API int rados_aio_get_return_value(rados_completion_t c)
{
	struct rados_completion *x = c;
	int r;

	pthread_mutex_lock(&x->lock);
	r = x->rval;
	pthread_mutex_unlock(&x->lock);
	return r;
}

LIBRADOS_API uint64_t rados_aio_get_version(rados_completion_t c)
{
	struct rados_completion *x = c;
	uint64_t v;

	pthread_mutex_lock(&x->lock);
	v = x->version;
	pthread_mutex_unlock(&x->lock);
	return v;
}

LIBRADOS_API void rados_aio_release(rados_completion_t c)
{
	if (c)
		rados_completion_put(c);
}

LIBRADOS_API int rados_aio_flush(rados_ioctx_t io)
{
	struct rados_ioctx *x = io;

	pthread_mutex_lock(&x->lock);
	while (x->writes_in_flight)
		pthread_cond_wait(&x->cond, &x->lock);
	pthread_mutex_unlock(&x->lock);
	return 0;
}
