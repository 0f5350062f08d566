/*
 * Detaching a daemon from its terminal the way ceph-mon and ceph-osd do:
 * the command returns only once the daemon says it is running (or why it
 * is not), so scripts can chain on its exit code.
 */
#ifndef LOLIGO_DAEMONS_DAEMONIZE_H
#define LOLIGO_DAEMONS_DAEMONIZE_H

#include <stdbool.h>
#include <stddef.h>

/* Double fork and setsid, stdio to /dev/null.  In the daemon (the
 * grandchild) returns 0 with *ready_fd open: write an int there (0, or a
 * negative errno followed by a message) once started, then close it.
 * The original process waits for that word and exits 0, or prints
 * "<prog>: <message>" and exits 1 ("<prog>: the <what> exited before it
 * started" if the daemon died first).  -errno if the first fork fails. */
int daemon_detach(const char *prog, const char *what, int *ready_fd);

struct conf;

/* What ceph-mon and ceph-osd do between reading the conf and running:
 * the pid file (`pid_file`, or when detaching `run_dir`/<cluster>-<name>.pid,
 * name like "mon.a" or "osd.0") into pid_file[len]; with `debug` (-d) the
 * log goes to stderr (log_file emptied); unless `foreground`, detach
 * (daemon_detach, *ready_fd).  0, or prints "<prog>: cannot daemonize"
 * and returns -errno. */
int daemon_prepare(struct conf *conf, const char *prog, const char *what, const char *name,
		   bool foreground, bool debug, char *pid_file, size_t len, int *ready_fd);

#endif
