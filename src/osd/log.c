/*
 * The OSD's log: one line per event, stamped like Ceph's log lines
 * ("2026-01-02T03:04:05.678901+0000 PID LEVEL message"), to log_file
 * and/or stderr.  One process-wide sink: the daemon runs one OSD.  Lines
 * above the level (`debug osd`, default 1) are skipped before formatting.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "osd/internal.h"

static FILE *log_file;
static bool log_stderr;
static int log_level = 1;

int osd__log_open(const char *path, bool to_stderr, int level)
{
	log_stderr = to_stderr;
	log_level = level;
	if (path && path[0]) {
		log_file = fopen(path, "a");
		if (!log_file)
			return -errno;
		setvbuf(log_file, NULL, _IOLBF, 0);
	}
	return 0;
}

void osd__log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

bool osd__log_enabled(int level)
{
	return level <= log_level && (log_file || log_stderr);
}

void osd__log(int level, const char *fmt, ...)
{
	char stamp[64], line[2048];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (!osd__log_enabled(level))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (log_file)
		fprintf(log_file, "%s.%06ld+0000 %d %2d %s\n", stamp, ts.tv_nsec / 1000,
			(int)getpid(), level, line);
	if (log_stderr)
		fprintf(stderr, "%s.%06ld+0000 %d %2d %s\n", stamp, ts.tv_nsec / 1000,
			(int)getpid(), level, line);
}
