/*
 * ceph-osd: Ceph's OSD command line over the OSD library (src/osd/osd.h).
 *
 *   ceph-osd --mkfs -i N [--osd-data DIR] [--osd-uuid UUID] [-c ceph.conf]
 *   ceph-osd -i N [-f | -d | --foreground] [--pid-file FILE] [-c ceph.conf] ...
 *
 * Without -f/-d the OSD daemonizes (double fork, setsid) and the parent
 * exits only once the child is up in the osdmap or has failed, with its
 * reason, so a script knows the OSD is serving when ceph-osd returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/config.h"
#include "daemons/daemonize.h"
#include "osd/osd.h"

#define ERRLEN 1024

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ceph-osd -i <ID> [flags]\n"
		"  --osd-data PATH data directory\n"
		"  --osd-uuid UUID the OSD's uuid (with --mkfs)\n"
		"  --mkfs          create a [new] data directory\n"
		"  --debug_osd <N> set debug level (e.g. 10)\n"
		"  -f, --foreground run in foreground\n"
		"  -d              run in foreground, log to stderr\n"
		"  --pid-file <file>\n"
		"  -c <conf>, --cluster <name>, --<option> <value>\n");
}

static bool parse_id(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 0 || v >= (1 << 16))
		return false;
	*out = (int)v;
	return true;
}

int main(int argc, char **argv)
{
	char err[ERRLEN] = "", id[256], pid_file[4096] = "", name[300];
	bool mkfs = false, foreground = false, debug = false, id_given = false;
	bool conf_given = false;
	struct osd_run_opts ro = { .ready_fd = -1 };
	struct conf *conf;
	int r, nargs = argc, whoami;
	char **args;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	for (int i = 1; i < argc; i++) {
		id_given |= !strcmp(argv[i], "-i") || !strcmp(argv[i], "--id") ||
			    !strncmp(argv[i], "--id=", 5) || !strcmp(argv[i], "-n") ||
			    !strcmp(argv[i], "--name") || !strncmp(argv[i], "--name=", 7);
		conf_given |= !strcmp(argv[i], "-c") || !strcmp(argv[i], "--conf") ||
			      !strncmp(argv[i], "--conf=", 7);
	}
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		return 1;
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	r = conf_create("osd.admin", &conf);
	if (r) {
		fprintf(stderr, "ceph-osd: %s\n", strerror(-r));
		free(args);
		return 1;
	}
	r = conf_parse_env(conf, NULL, err, sizeof(err));
	if (!r)
		r = conf_parse_argv(conf, &nargs, args, err, sizeof(err));
	if (r) {
		fprintf(stderr, "ceph-osd: %s\n", err);
		goto out_fail;
	}
	for (int i = 1; i < nargs; i++) {
		if (!strcmp(args[i], "--mkfs")) {
			mkfs = true;
		} else if (!strcmp(args[i], "-f") || !strcmp(args[i], "--foreground")) {
			foreground = true;
		} else if (!strcmp(args[i], "-d")) {
			foreground = debug = true;
		} else {
			fprintf(stderr, "ceph-osd: unrecognized argument '%s'\n", args[i]);
			usage(stderr);
			goto out_fail;
		}
	}
	if (!id_given) {
		fprintf(stderr, "ceph-osd: must specify '-i #' where # is the osd number\n");
		usage(stderr);
		goto out_fail;
	}
	conf_get_id(conf, id, sizeof(id));
	if (!parse_id(id, &whoami)) {
		fprintf(stderr, "ceph-osd: invalid osd id '%s': must be a number\n", id);
		goto out_fail;
	}
	r = conf_read_file(conf, NULL, err, sizeof(err));
	if (r == -ENOENT && !conf_given)
		r = 0;
	if (r) {
		fprintf(stderr, "ceph-osd: %s\n", err[0] ? err : strerror(-r));
		goto out_fail;
	}

	if (mkfs) {
		char dir[4096] = "";
		conf_get(conf, "osd_data", dir, sizeof(dir));
		r = osd_mkfs(conf, whoami, err, sizeof(err));
		if (r) {
			fprintf(stderr, "ceph-osd: mkfs failed: %s\n", err);
			goto out_fail;
		}
		printf("ceph-osd: created object store %s for osd.%d\n", dir, whoami);
		conf_destroy(conf);
		free(args);
		return 0;
	}

	snprintf(name, sizeof(name), "osd.%d", whoami);
	r = daemon_prepare(conf, "ceph-osd", "OSD", name, foreground, debug, pid_file,
			   sizeof(pid_file), &ro.ready_fd);
	if (r)
		goto out_fail;
	ro.pid_file = pid_file;
	ro.log_to_stderr = debug;
	r = osd_run(conf, whoami, &ro, err, sizeof(err));
	if (r && foreground)
		fprintf(stderr, "ceph-osd: %s\n", err);
	conf_destroy(conf);
	free(args);
	return r ? 1 : 0;

out_fail:
	conf_destroy(conf);
	free(args);
	return 1;
}
