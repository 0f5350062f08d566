/*
 * ceph-mon: Ceph's monitor command line over the monitor library
 * (src/mon/mon.h).
 *
 *   ceph-mon --mkfs -i NAME [--monmap FILE] [-c ceph.conf] [--mon-data DIR]
 *            [--keyring K]
 *   ceph-mon -i NAME [-f | -d] [--pid-file FILE] [-c ceph.conf] ...
 *
 * Without -f/-d the monitor daemonizes (double fork, setsid) and the
 * parent exits only once the child is serving or has failed, with its
 * reason, so a script knows the monitor is up when ceph-mon returns.
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
#include "mon/mon.h"

#define ERRLEN 1024

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ceph-mon -i <monitorid> [flags]\n"
		"  --debug_mon n\n"
		"        debug monitor level (e.g. 10)\n"
		"  --mkfs\n"
		"        build fresh monitor fs\n"
		"  --monmap <file>\n"
		"        use this monmap for --mkfs (else mon_host from ceph.conf)\n"
		"  --mon-data <dir>\n"
		"        where the monitor keeps its data\n"
		"  --keyring <file>\n"
		"        copied into the data folder by --mkfs\n"
		"  -f    run in foreground\n"
		"  -d    run in foreground, log to stderr\n"
		"  --pid-file <file>\n"
		"  -c <conf>, --cluster <name>, --<option> <value>\n");
}

int main(int argc, char **argv)
{
	char err[ERRLEN] = "", id[256], dir[4096], pid_file[4096] = "", name[300];
	const char *monmap = NULL;
	bool mkfs = false, foreground = false, debug = false, id_given = false;
	bool conf_given = false;
	struct mon_run_opts ro = { .ready_fd = -1 };
	enum conf_level lvl;
	struct conf *conf;
	int r, nargs = argc;
	char **args;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	for (int i = 1; i < argc; i++)
		id_given |= !strcmp(argv[i], "-i") || !strcmp(argv[i], "--id") ||
			    !strncmp(argv[i], "--id=", 5) || !strcmp(argv[i], "-n") ||
			    !strcmp(argv[i], "--name") || !strncmp(argv[i], "--name=", 7);
	for (int i = 1; i < argc; i++)
		conf_given |= !strcmp(argv[i], "-c") || !strcmp(argv[i], "--conf") ||
			      !strncmp(argv[i], "--conf=", 7);
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args)
		return 1;
	memcpy(args, argv, (size_t)argc * sizeof(*args));
	r = conf_create("mon.admin", &conf);
	if (r) {
		fprintf(stderr, "ceph-mon: %s\n", strerror(-r));
		free(args);
		return 1;
	}
	r = conf_parse_env(conf, NULL, err, sizeof(err));
	if (!r)
		r = conf_parse_argv(conf, &nargs, args, err, sizeof(err));
	if (r) {
		fprintf(stderr, "ceph-mon: %s\n", err);
		goto out_fail;
	}
	for (int i = 1; i < nargs; i++) {
		if (!strcmp(args[i], "--mkfs")) {
			mkfs = true;
		} else if (!strcmp(args[i], "--monmap") && i + 1 < nargs) {
			monmap = args[++i];
		} else if (!strncmp(args[i], "--monmap=", 9)) {
			monmap = args[i] + 9;
		} else if (!strcmp(args[i], "-f") || !strcmp(args[i], "--foreground")) {
			foreground = true;
		} else if (!strcmp(args[i], "-d")) {
			foreground = debug = true;
		} else {
			fprintf(stderr, "ceph-mon: unrecognized argument '%s'\n", args[i]);
			usage(stderr);
			goto out_fail;
		}
	}
	if (!id_given) {
		fprintf(stderr, "ceph-mon: must specify '-i name' with the ceph-mon name\n");
		usage(stderr);
		goto out_fail;
	}
	r = conf_read_file(conf, NULL, err, sizeof(err));
	if (r == -ENOENT && !conf_given)
		r = 0; /* no ceph.conf anywhere, none asked for */
	if (r) {
		fprintf(stderr, "ceph-mon: %s\n", err[0] ? err : strerror(-r));
		goto out_fail;
	}
	conf_get_id(conf, id, sizeof(id));
	conf_get(conf, "mon_data", dir, sizeof(dir));

	if (mkfs) {
		const char *keyring = NULL;
		char kbuf[4096];
		if (conf_get_level(conf, "keyring", &lvl) == 0 && lvl >= CONF_LEVEL_FILE &&
		    conf_get(conf, "keyring", kbuf, sizeof(kbuf)) == 0)
			keyring = kbuf;
		r = mon_mkfs(conf, monmap, keyring, err, sizeof(err));
		if (r) {
			fprintf(stderr, "ceph-mon: mkfs failed: %s\n", err);
			goto out_fail;
		}
		printf("ceph-mon: created monfs at %s for mon.%s\n", dir, id);
		conf_destroy(conf);
		free(args);
		return 0;
	}

	snprintf(name, sizeof(name), "mon.%s", id);
	r = daemon_prepare(conf, "ceph-mon", "monitor", name, foreground, debug, pid_file,
			   sizeof(pid_file), &ro.ready_fd);
	if (r)
		goto out_fail;
	ro.pid_file = pid_file;
	ro.log_to_stderr = debug;
	r = mon_run(conf, &ro, err, sizeof(err));
	if (r && foreground)
		fprintf(stderr, "ceph-mon: %s\n", err);
	conf_destroy(conf);
	free(args);
	return r ? 1 : 0;

out_fail:
	conf_destroy(conf);
	free(args);
	return 1;
}
