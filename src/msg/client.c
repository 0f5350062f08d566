/*
 * A synchronous client for simple tools (the `ceph` CLI): one messenger on
 * its own thread, one connection, one request at a time.  Received
 * messages are queued by the loop thread and handed out by
 * msgr_client_call() in arrival order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define CLIENT_QUEUE_MAX 1024

struct msgr_client {
	struct msgr *m;
	struct msgr_conn *c;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool connected;
	int err;       /* final error (on_reset), 0 if none */
	int last_fault;
	struct msgr_msg *q[CLIENT_QUEUE_MAX];
	unsigned qhead, qlen;
};

static void cl_on_connect(struct msgr_conn *c, bool resumed, void *arg)
{
	struct msgr_client *cl = arg;

	(void)c;
	(void)resumed;
	pthread_mutex_lock(&cl->lock);
	cl->connected = true;
	pthread_cond_broadcast(&cl->cond);
	pthread_mutex_unlock(&cl->lock);
}

static void cl_on_message(struct msgr_conn *c, struct msgr_msg *msg, void *arg)
{
	struct msgr_client *cl = arg;

	(void)c;
	pthread_mutex_lock(&cl->lock);
	if (cl->qlen < CLIENT_QUEUE_MAX) {
		msgr_msg_get(msg);
		cl->q[(cl->qhead + cl->qlen++) % CLIENT_QUEUE_MAX] = msg;
		pthread_cond_broadcast(&cl->cond);
	}
	/* else: nobody is asking; dropping unsolicited excess is fine */
	pthread_mutex_unlock(&cl->lock);
}

static void cl_on_fault(struct msgr_conn *c, int err, void *arg)
{
	struct msgr_client *cl = arg;

	(void)c;
	pthread_mutex_lock(&cl->lock);
	cl->last_fault = err;
	pthread_mutex_unlock(&cl->lock);
}

static void cl_on_reset(struct msgr_conn *c, int err, void *arg)
{
	struct msgr_client *cl = arg;

	(void)c;
	pthread_mutex_lock(&cl->lock);
	cl->err = err ? err : -ECONNRESET;
	pthread_cond_broadcast(&cl->cond);
	pthread_mutex_unlock(&cl->lock);
}

static const struct msgr_dispatch_ops client_ops = {
	.on_connect = cl_on_connect,
	.on_message = cl_on_message,
	.on_fault = cl_on_fault,
	.on_reset = cl_on_reset,
};

static struct timespec deadline(int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

int msgr_client_open(const char *name, const struct msgr_auth_ops *auth, void *auth_arg,
		     const struct msgr_addr *addr, int timeout_ms, struct msgr_client **out)
{
	struct msgr_client *cl;
	struct msgr_opts o;
	int rc;

	*out = NULL;
	cl = calloc(1, sizeof(*cl));
	if (!cl)
		return -ENOMEM;
	pthread_mutex_init(&cl->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_cond_init(&cl->cond, &ca);
	pthread_condattr_destroy(&ca);

	msgr_opts_init(&o);
	o.name = name;
	o.auth = auth;
	o.auth_arg = auth_arg;
	o.dispatch = &client_ops;
	o.dispatch_arg = cl;
	o.backoff_min_ms = 50;
	o.backoff_max_ms = 1000;
	rc = msgr_create(&o, &cl->m);
	if (rc)
		goto out_free;
	rc = msgr_connect(cl->m, addr, &cl->c);
	if (rc)
		goto out_destroy;

	struct timespec ts = deadline(timeout_ms);
	pthread_mutex_lock(&cl->lock);
	while (!cl->connected && !cl->err && rc == 0)
		rc = pthread_cond_timedwait(&cl->cond, &cl->lock, &ts);
	if (cl->connected)
		rc = 0;
	else if (cl->err)
		rc = cl->err;
	else
		rc = cl->last_fault ? cl->last_fault : -ETIMEDOUT;
	pthread_mutex_unlock(&cl->lock);
	if (rc)
		goto out_destroy;
	*out = cl;
	return 0;

out_destroy:
	msgr_client_close(cl);
	return rc;
out_free:
	pthread_cond_destroy(&cl->cond);
	pthread_mutex_destroy(&cl->lock);
	free(cl);
	return rc;
}

int msgr_client_call(struct msgr_client *cl, uint16_t type, const void *req, size_t len,
		     int timeout_ms, struct msgr_msg **reply)
{
	int rc;

	*reply = NULL;
	rc = msgr_send(cl->c, type, req, len);
	if (rc)
		return rc;
	struct timespec ts = deadline(timeout_ms);
	pthread_mutex_lock(&cl->lock);
	while (cl->qlen == 0 && !cl->err && rc == 0)
		rc = pthread_cond_timedwait(&cl->cond, &cl->lock, &ts);
	if (cl->qlen) {
		*reply = cl->q[cl->qhead];
		cl->qhead = (cl->qhead + 1) % CLIENT_QUEUE_MAX;
		cl->qlen--;
		rc = 0;
	} else {
		rc = cl->err ? cl->err : -ETIMEDOUT;
	}
	pthread_mutex_unlock(&cl->lock);
	return rc;
}

struct msgr_conn *msgr_client_conn(struct msgr_client *cl)
{
	return cl->c;
}

void msgr_client_close(struct msgr_client *cl)
{
	if (!cl)
		return;
	msgr_destroy(cl->m); /* no callbacks after this */
	msgr_conn_put(cl->c);
	while (cl->qlen) {
		msgr_msg_put(cl->q[cl->qhead]);
		cl->qhead = (cl->qhead + 1) % CLIENT_QUEUE_MAX;
		cl->qlen--;
	}
	pthread_cond_destroy(&cl->cond);
	pthread_mutex_destroy(&cl->lock);
	free(cl);
}
