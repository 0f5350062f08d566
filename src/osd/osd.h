/*
 * The OSD daemon as a library: what ceph-osd's main() calls.  An OSD keeps
 * the objects of its placement groups in a local object store (src/os),
 * follows the cluster's osdmap through the monitors (src/osdc/monc.h),
 * serves client operations for the PGs it is primary for, and replicates
 * every write to the other members of the PG's acting set
 * (src/osdc/osd_proto.h).  See docs/osd.md and the DESIGN NOTES of pg.c.
 */
#ifndef LOLIGO_OSD_OSD_H
#define LOLIGO_OSD_OSD_H

#include <stdbool.h>
#include <stddef.h>

struct conf;

/*
 * `ceph-osd --mkfs -i N`: create the object store in osd_data (created if
 * missing) with its superblock (cluster fsid from ceph.conf's `fsid`, or
 * from the monitors when that is unset; whoami N; the OSD's uuid from
 * `osd_uuid`, or a random one), and the files Ceph keeps next to it
 * (`fsid` = the OSD's uuid, `ceph_fsid`, `whoami`, `type`, `magic`).
 * Running it again on the same folder with the same id and uuid is a
 * no-op; another id or uuid is -EEXIST.  -errno with a reason in err.
 */
int osd_mkfs(struct conf *conf, int whoami, char *err, size_t errlen);

struct osd_run_opts {
	bool log_to_stderr;   /* -d: every log line to stderr too */
	int ready_fd;         /* -1, or a pipe: one int (0 or -errno) once up */
	const char *pid_file; /* NULL or "": none */
};

/*
 * Run OSD `whoami` until SIGTERM or SIGINT: open the store, bind the
 * messenger, boot with the monitors and serve.  Returns 0 after a clean
 * shutdown (the monitors were told the OSD is going down), or -errno if
 * it could not start (reason in err; also written to ready_fd).
 */
int osd_run(struct conf *conf, int whoami, const struct osd_run_opts *o, char *err,
	    size_t errlen);

#endif
