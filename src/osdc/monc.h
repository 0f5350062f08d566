/*
 * The monitor client daemons and librados use: keeps a session with every
 * monitor of mon_host, follows the osdmap (subscribed on one monitor,
 * moved to another when that one fails), runs commands, and sends
 * reports to every monitor.  Thread-safe: every function may be called
 * from any thread except where noted.
 */
#ifndef LOLIGO_OSDC_MONC_H
#define LOLIGO_OSDC_MONC_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct osdmap;
struct monc;

struct monc_opts {
	struct conf *conf;  /* mon_host (and -m) are read from it */
	const char *name;   /* our entity name: "osd.3", "client.admin" */
	int timeout_ms;     /* connect and first-map deadline (0: 30 s) */
	/* Called on monc's own thread after each new epoch is in place
	 * (the map is borrowed: osdmap_get() to keep it).  Must not call
	 * monc_destroy(); may call anything else.  May be NULL. */
	void (*on_map)(struct osdmap *map, void *arg);
	void *arg;
};

/* Connects and waits until the first osdmap arrived (or timeout_ms).
 * Errors: -ENOENT (no mon_host: reason in err), -ETIMEDOUT (no monitor
 * answered or no map came), -EINVAL, -ENOMEM. */
int monc_create(const struct monc_opts *o, struct monc **out, char *err, size_t errlen);
/* Closes every session; no callback runs after it returns.  Not from
 * on_map. */
void monc_destroy(struct monc *m);

/* The newest map, referenced (osdmap_put() it); never NULL after
 * monc_create() succeeded. */
struct osdmap *monc_osdmap(struct monc *m);
/* Epoch of the newest map. */
uint32_t monc_epoch(struct monc *m);
/* Waits until the map's epoch is at least `epoch` (asking the monitors
 * for it).  0, or -ETIMEDOUT. */
int monc_wait_epoch(struct monc *m, uint32_t epoch, int timeout_ms);
/* Asks for newer maps without waiting (e.g. an OSD told of epoch N). */
void monc_want_epoch(struct monc *m, uint32_t epoch);

struct monc_reply {
	int32_t rc;   /* the monitor's 0 or -errno */
	char *outs;   /* status line (malloc'd, never NULL) */
	uint8_t *out; /* output data (malloc'd; NULL when outlen is 0) */
	size_t outlen;
};
void monc_reply_release(struct monc_reply *r);

/* Runs one JSON command (writes go to the leader by redirection).
 * Returns 0 when a monitor answered (its code in r->rc), -ETIMEDOUT, or
 * -ENOMEM.  Commands from several threads are serialized. */
int monc_command(struct monc *m, const char *cmd, const void *in, size_t inlen,
		 struct monc_reply *r, int timeout_ms);

/* Sends one message to every monitor we have a session with (reports
 * such as MON_MSG_PG_STATS).  Returns how many it was queued to. */
int monc_send_all(struct monc *m, uint16_t type, const void *payload, size_t len);

#endif
