/*
 * Helpers of the `rados` CLI: Ceph-style error lines, number parsing with
 * IEC suffixes, and the output formats Ceph's rados prints (byte units,
 * the bufferlist hexdump, utime_t timestamps).  Pure functions except
 * for the file and clock helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tools/rados_cli.h"

void rados_cli_err(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (rc < 0)
		rc = -rc;
	fprintf(stderr, ": (%d) %s\n", rc, strerror(rc));
}

int rados_cli_parse_ll(const char *s, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s)
		return -EINVAL;
	*out = v;
	return 0;
}

int rados_cli_parse_iec(const char *s, uint64_t *out, char *err, size_t errlen)
{
	static const char units[] = "BKMGTPE";
	unsigned long long v;
	const char *u;
	char *end;
	int shift = 0;

	if (!s || !*s || *s == '-' || *s == '+') {
		snprintf(err, errlen, "expected a non-negative integer");
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno) {
		snprintf(err, errlen, "expected an integer with an optional unit (K, M, G...)");
		return -EINVAL;
	}
	if (*end) {
		size_t n = strlen(end);

		u = strchr(units, end[0]);
		if (n > 2 || !u || (n == 2 && (end[1] != 'i' || end[0] == 'B'))) {
			snprintf(err, errlen, "illegal unit '%s' (K, Ki, M, Mi, ... E)", end);
			return -EINVAL;
		}
		shift = (int)(u - units) * 10;
	}
	if (shift && v > (ULLONG_MAX >> shift)) {
		snprintf(err, errlen, "too large");
		return -ERANGE;
	}
	*out = (uint64_t)v << shift;
	return 0;
}

void rados_cli_fmt_bytes(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	int idx = 0;

	while (idx < 6 && n >> (10 * (idx + 1)))
		idx++;
	if (idx == 0 || (n & ((1ULL << (10 * idx)) - 1)) == 0) {
		snprintf(buf, len, "%llu %s", (unsigned long long)(n >> (10 * idx)), units[idx]);
		return;
	}
	/* Ceph shows three characters of number where it can: 9.5, 48, 871. */
	double v = (double)n / (double)(1ULL << (10 * idx));
	char num[64];

	for (int prec = 2; prec >= 0; prec--) {
		snprintf(num, sizeof(num), "%.*f", prec, v);
		if (strlen(num) <= 3)
			break;
	}
	snprintf(buf, len, "%s %s", num, units[idx]);
}

void rados_cli_hexdump(FILE *f, const void *data, size_t len)
{
	const unsigned char *p = data;
	bool starred = false;

	if (len == 0)
		return;
	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;

		if (n == 16 && off >= 16 && !memcmp(p + off, p + off - 16, 16)) {
			if (!starred)
				fputs("*\n", f);
			starred = true;
			continue;
		}
		starred = false;
		fprintf(f, "%08zx ", off);
		for (size_t j = 0; j < 16; j++) {
			if (j == 8)
				fputc(' ', f);
			if (j < n)
				fprintf(f, " %02x", p[off + j]);
			else
				fputs("   ", f);
		}
		fputs("  |", f);
		for (size_t j = 0; j < n; j++) {
			unsigned char c = p[off + j];

			fputc(c >= 32 && c < 127 ? c : '.', f);
		}
		fputs("|\n", f);
	}
	fprintf(f, "%08zx\n", len);
}

void rados_cli_fmt_time(time_t sec, long usec, char *buf, size_t len)
{
	struct tm tm;
	char date[64], zone[16];

	if (!localtime_r(&sec, &tm)) {
		snprintf(buf, len, "%lld.%06ld", (long long)sec, usec);
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%s.%06ld%s", date, usec, zone);
}

int rados_cli_slurp(const char *path, size_t max, char **out, size_t *outlen)
{
	size_t cap = 65536, used = 0;
	char *buf;
	int fd, rc = 0;

	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		rc = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		ssize_t r;

		if (used == cap) {
			char *nb;

			/* One byte past max tells a file of exactly max
			 * bytes from a longer one. */
			if (cap > max) {
				rc = -EFBIG;
				goto out_free;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				rc = -ENOMEM;
				goto out_free;
			}
			buf = nb;
		}
		r = read(fd, buf + used, cap - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			goto out_free;
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	*out = buf;
	*outlen = used;
	goto out_close;

out_free:
	free(buf);
out_close:
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

double rados_cli_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
