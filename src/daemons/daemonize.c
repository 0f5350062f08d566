/*
 * daemon_detach(): the daemons' double fork with a readiness pipe
 * (daemonize.h).
 */
#include "daemons/daemonize.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/config.h"

int daemon_detach(const char *prog, const char *what, int *ready_fd)
{
	int fds[2], r = 0;
	char why[1024] = "";
	pid_t pid;
	ssize_t n;

	if (pipe(fds) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		/* The parent: wait for the grandchild's word. */
		close(fds[1]);
		waitpid(pid, NULL, 0);
		n = read(fds[0], &r, sizeof(r));
		if (n != (ssize_t)sizeof(r)) {
			fprintf(stderr, "%s: the %s exited before it started\n", prog, what);
			_exit(1);
		}
		if (r) {
			n = read(fds[0], why, sizeof(why) - 1);
			why[n > 0 ? n : 0] = 0;
			fprintf(stderr, "%s: %s\n", prog, why[0] ? why : strerror(-r));
			_exit(1);
		}
		_exit(0);
	}
	close(fds[0]);
	if (setsid() < 0)
		_exit(1);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
	*ready_fd = fds[1];
	return 0;
}

int daemon_prepare(struct conf *conf, const char *prog, const char *what, const char *name,
		   bool foreground, bool debug, char *pid_file, size_t len, int *ready_fd)
{
	char run_dir[4096], cluster[128], err[256];
	int r;

	if (conf_get(conf, "pid_file", pid_file, len) || !pid_file[0]) {
		pid_file[0] = 0;
		if (!foreground && conf_get(conf, "run_dir", run_dir, sizeof(run_dir)) == 0 &&
		    conf_get_cluster(conf, cluster, sizeof(cluster)) == 0) {
			mkdir(run_dir, 0755);
			snprintf(pid_file, len, "%s/%s-%s.pid", run_dir, cluster, name);
		}
	}
	if (debug)
		conf_set(conf, "log_file", "", err, sizeof(err));
	if (foreground)
		return 0;
	r = daemon_detach(prog, what, ready_fd);
	if (r)
		fprintf(stderr, "%s: cannot daemonize: %s\n", prog, strerror(-r));
	return r;
}
