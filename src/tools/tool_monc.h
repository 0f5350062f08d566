/*
 * A synchronous monitor client for the command-line tools (`ceph`,
 * `rados`): finds a monitor among the addresses of mon_host (every address
 * of every name, all tried at once, the first to answer wins), sends one
 * MON_MSG_COMMAND at a time, follows -EAGAIN redirects to the leader,
 * moves to another monitor when the one it talks to fails, and gives up
 * at a deadline.
 *
 * Not thread-safe: one caller thread per struct tool_monc.
 */
#ifndef LOLIGO_TOOLS_TOOL_MONC_H
#define LOLIGO_TOOLS_TOOL_MONC_H

#include <stddef.h>
#include <stdint.h>

struct conf;
struct tool_monc;

/* The monitors to use: mon_host (or -m) from conf, resolved.  name is our
 * entity ("client.admin").  timeout_ms bounds the whole search for a
 * monitor (Ceph's --connect-timeout).  Errors: -ENOENT (no mon_host, or
 * no name resolves: reason in err), -EINVAL (malformed), -ENOMEM. */
int tool_monc_create(struct conf *conf, const char *name, int timeout_ms,
		     struct tool_monc **out, char *err, size_t errlen);
void tool_monc_destroy(struct tool_monc *m);
/* Changes the deadline later commands get (the one given at create). */
void tool_monc_set_timeout(struct tool_monc *m, int timeout_ms);

struct tool_monc_reply {
	int32_t rc;    /* the monitor's 0 or -errno */
	char *outs;    /* status line (malloc'd, never NULL) */
	uint8_t *out;  /* output data (malloc'd, may be NULL if outlen 0) */
	size_t outlen;
};
void tool_monc_reply_release(struct tool_monc_reply *r);

/*
 * Runs one command (JSON text, optional input data).  Returns 0 when a
 * monitor answered (its code is in r->rc), else -ETIMEDOUT (no monitor
 * answered before the deadline: what was tried is in err) or -ENOMEM.
 * An -EAGAIN answer without a known leader is retried until the deadline
 * and then returned as the answer.
 */
int tool_monc_command(struct tool_monc *m, const char *cmd, const void *in,
		      size_t inlen, struct tool_monc_reply *r, char *err,
		      size_t errlen);

#endif
