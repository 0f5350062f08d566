/*
 * The monitor daemon as a library: what ceph-mon's main() calls.  The
 * monitor keeps the cluster maps (mon_state.h) agreed through Raft and
 * serves the client protocol (mon_proto.h); see mon_internal.h and the
 * DESIGN NOTES of mon_raft.c for how.
 */
#ifndef LOLIGO_MON_MON_H
#define LOLIGO_MON_MON_H

#include <stdbool.h>
#include <stddef.h>

struct conf;

/*
 * `ceph-mon --mkfs`: create the monitor's data folder (conf's mon_data)
 * holding its monmap, its initial state (the monmap and osdmap epoch 1
 * with the default CRUSH map) and its Raft bootstrap configuration.  The
 * monmap comes from monmap_path (monmaptool's file) or, if NULL, from
 * ceph.conf's mon_host / mon_initial_members (or [mon.X] mon_addr).
 * keyring_path (may be NULL) is copied to DATA/keyring.  On error returns
 * -errno with a reason in err.
 */
int mon_mkfs(struct conf *conf, const char *monmap_path, const char *keyring_path,
	     char *err, size_t errlen);

struct mon_run_opts {
	bool log_to_stderr; /* -d: every log line to stderr too */
	int ready_fd;       /* -1, or a pipe: one int (0 or -errno) once serving */
	const char *pid_file; /* NULL: none */
};

/*
 * Run the monitor until SIGTERM or SIGINT.  Returns 0 after a clean
 * shutdown, or -errno if it could not start (reason in err; also written
 * to ready_fd).
 */
int mon_run(struct conf *conf, const struct mon_run_opts *o, char *err, size_t errlen);

#endif
