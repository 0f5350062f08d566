/*
 * Detaching a daemon from its terminal the way ceph-mon and ceph-osd do:
 * the command returns only once the daemon says it is running (or why it
 * is not), so scripts can chain on its exit code.
 */
#ifndef LOLIGO_DAEMONS_DAEMONIZE_H
#define LOLIGO_DAEMONS_DAEMONIZE_H

/* Double fork and setsid, stdio to /dev/null.  In the daemon (the
 * grandchild) returns 0 with *ready_fd open: write an int there (0, or a
 * negative errno followed by a message) once started, then close it.
 * The original process waits for that word and exits 0, or prints
 * "<prog>: <message>" and exits 1 ("<prog>: the <what> exited before it
 * started" if the daemon died first).  -errno if the first fork fails. */
int daemon_detach(const char *prog, const char *what, int *ready_fd);

#endif
