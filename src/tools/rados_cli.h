/*
 * The `rados` CLI's private header: the options every subcommand sees,
 * the subcommand table entry, and the helpers the CLI's files share
 * (rados.c: main, options, pool commands, df, ls; rados_obj.c: object,
 * xattr and omap commands; rados_bench.c: bench and cleanup;
 * rados_util.c: number parsing and Ceph's output formats).  Everything
 * goes through librados' public C API, as Ceph's rados does through its
 * librados: this program is also a test of that API.
 */
#ifndef LOLIGO_TOOLS_RADOS_CLI_H
#define LOLIGO_TOOLS_RADOS_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <rados/librados.h>

enum rados_cli_format {
	RADOS_CLI_PLAIN,
	RADOS_CLI_JSON,
	RADOS_CLI_JSON_PRETTY,
};

/* What the command line asked for; filled by main() before a command
 * runs.  Strings point into argv. */
struct rados_cli {
	rados_t cluster;	/* connected */
	rados_ioctx_t io;	/* open on `pool` when the command needs one */
	const char *conf_path;	/* -c/--conf */
	const char *pool;	/* -p/--pool */
	const char *nspace;	/* -N/--namespace (NULL: the default "") */
	const char *locator;	/* --object-locator */
	enum rados_cli_format format;
	bool all_nspaces;	/* ls --all (unless --default) */
	bool sure;		/* --yes-i-really-really-mean-it */
	bool no_cleanup;	/* bench write --no-cleanup */
	bool no_verify;		/* bench seq/rand --no-verify */
	bool no_hints;		/* bench --no-hints (printed; no effect) */
	bool op_size_set, object_size_set, offset_set;
	uint64_t op_size;	/* -b (default 4 MiB) */
	uint64_t object_size;	/* -O (default: op_size) */
	uint64_t offset;	/* put --offset */
	uint64_t max_objects;	/* bench --max-objects (0: no limit) */
	int concurrent;		/* -t/--concurrent-ios (default 16) */
	const char *run_name;	/* --run-name (default benchmark_last_metadata) */
	const char *prefix;	/* cleanup --prefix */
	const char *input_file; /* setomapval --input-file */
};

/* One subcommand: argc/argv are the words after the command's name. */
struct rados_cli_cmd {
	const char *name;
	int min_args, max_args; /* max_args -1: no limit */
	bool needs_pool;	/* open cli->io on -p first */
	int (*fn)(struct rados_cli *cli, int argc, char **argv);
};

/* rados_obj.c */
int rados_cli_put(struct rados_cli *cli, int argc, char **argv);
int rados_cli_get(struct rados_cli *cli, int argc, char **argv);
int rados_cli_append(struct rados_cli *cli, int argc, char **argv);
int rados_cli_rm(struct rados_cli *cli, int argc, char **argv);
int rados_cli_stat(struct rados_cli *cli, int argc, char **argv);
int rados_cli_truncate(struct rados_cli *cli, int argc, char **argv);
int rados_cli_create(struct rados_cli *cli, int argc, char **argv);
int rados_cli_setxattr(struct rados_cli *cli, int argc, char **argv);
int rados_cli_getxattr(struct rados_cli *cli, int argc, char **argv);
int rados_cli_listxattr(struct rados_cli *cli, int argc, char **argv);
int rados_cli_rmxattr(struct rados_cli *cli, int argc, char **argv);
int rados_cli_setomapval(struct rados_cli *cli, int argc, char **argv);
int rados_cli_getomapval(struct rados_cli *cli, int argc, char **argv);
int rados_cli_listomapkeys(struct rados_cli *cli, int argc, char **argv);
int rados_cli_listomapvals(struct rados_cli *cli, int argc, char **argv);
int rados_cli_rmomapkey(struct rados_cli *cli, int argc, char **argv);
int rados_cli_clearomap(struct rados_cli *cli, int argc, char **argv);
int rados_cli_cp(struct rados_cli *cli, int argc, char **argv);
int rados_cli_lssnap(struct rados_cli *cli, int argc, char **argv);
int rados_cli_listwatchers(struct rados_cli *cli, int argc, char **argv);

/* rados_bench.c */
int rados_cli_bench(struct rados_cli *cli, int argc, char **argv);
int rados_cli_cleanup(struct rados_cli *cli, int argc, char **argv);

/* rados_util.c */

/* Prints the formatted message, then ": (N) strerror\n", to stderr (Ceph's
 * "error getting p/o: (2) No such file or directory"). */
void rados_cli_err(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A size with an optional IEC suffix (K, Ki, M, Mi, ... E, B), as Ceph's
 * strict_iecstrtoll: 0 or -EINVAL (reason in err). */
int rados_cli_parse_iec(const char *s, uint64_t *out, char *err, size_t errlen);
/* A plain decimal integer (optional sign): 0 or -EINVAL. */
int rados_cli_parse_ll(const char *s, long long *out);
/* Ceph's byte_u_t: "0 B", "48 KiB", "9.5 MiB", "3.0 GiB". */
void rados_cli_fmt_bytes(uint64_t n, char *buf, size_t len);
/* Ceph's bufferlist hexdump: 16 bytes a line, "*" for repeated lines,
 * the final offset on its own line (nothing at all for 0 bytes). */
void rados_cli_hexdump(FILE *f, const void *data, size_t len);
/* A time as Ceph's utime_t prints it in local time:
 * 2026-12-03T10:00:00.000000+0000. */
void rados_cli_fmt_time(time_t sec, long usec, char *buf, size_t len);
/* Reads a whole file ("-": stdin) into a malloc'd buffer, up to `max`
 * bytes: 0, -EFBIG or -errno. */
int rados_cli_slurp(const char *path, size_t max, char **out, size_t *outlen);
/* Seconds on the monotonic clock. */
double rados_cli_now(void);

#endif
