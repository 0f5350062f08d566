/*
 * The `rados` CLI's object commands: data (put, get, append, truncate,
 * create, rm, stat), xattrs and omap, each one or a few librados calls on
 * the pool opened by main() (its namespace and locator already set).
 * Messages are Ceph's: "error getting POOL/OBJ: (2) No such file or
 * directory", " error stat-ing ...", "error removing POOL>OBJ: ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/rados_cli.h"

#ifndef LIBRADOS_CREATE_EXCLUSIVE
#define LIBRADOS_CREATE_EXCLUSIVE 1 /* Ceph's value */
#endif

/* Values read from stdin or a file are bounded by the largest object an
 * OSD accepts by default (osd_max_object_size). */
#define RADOS_CLI_MAX_VALUE (128ULL << 20)
/* Keys asked for per omap listing round trip. */
#define RADOS_CLI_OMAP_PAGE 512

/* Fills buf from fd until len bytes or end of file: bytes read or -errno. */
static ssize_t read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int write_full(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t r = write(fd, buf, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		buf += r;
		len -= (size_t)r;
	}
	return 0;
}

static int open_input(const char *path)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;

	if (fd < 0) {
		int rc = -errno;

		rados_cli_err(rc, "error reading input file %s", path);
		return rc;
	}
	return fd;
}

static char *op_buffer(struct rados_cli *cli)
{
	char *buf;

	if (cli->op_size == 0 || cli->op_size > SIZE_MAX / 2) {
		fprintf(stderr, "rados: bad op size %llu (-b)\n", (unsigned long long)cli->op_size);
		return NULL;
	}
	buf = malloc(cli->op_size);
	if (!buf)
		rados_cli_err(-ENOMEM, "rados: cannot allocate %llu bytes (-b)",
			      (unsigned long long)cli->op_size);
	return buf;
}

/*
 * put and append: the file in op_size pieces.  put's first piece is a
 * write_full (it replaces the object, and an empty file makes an empty
 * object), the rest plain writes at increasing offsets, as Ceph's rados
 * put does; with --offset every piece is a write from that offset.
 */
static int put_or_append(struct rados_cli *cli, const char *oid, const char *path,
			 bool append)
{
	uint64_t off = cli->offset;
	bool first = true;
	ssize_t n;
	char *buf;
	int fd, rc = 0;

	fd = open_input(path);
	if (fd < 0)
		return fd;
	buf = op_buffer(cli);
	if (!buf) {
		rc = -EINVAL;
		goto out_close;
	}
	for (;;) {
		n = read_full(fd, buf, cli->op_size);
		if (n < 0) {
			rc = (int)n;
			rados_cli_err(rc, "error reading input file %s", path);
			break;
		}
		if (n == 0 && !first)
			break;
		if (append)
			rc = rados_append(cli->io, oid, buf, (size_t)n);
		else if (first && !cli->offset_set)
			rc = rados_write_full(cli->io, oid, buf, (size_t)n);
		else if (n > 0)
			rc = rados_write(cli->io, oid, buf, (size_t)n, off);
		if (rc < 0) {
			rados_cli_err(rc, "error %s %s/%s", append ? "appending" : "putting",
				      cli->pool, oid);
			break;
		}
		rc = 0;
		first = false;
		off += (uint64_t)n;
		if ((uint64_t)n < cli->op_size)
			break;
	}
	free(buf);
out_close:
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

int rados_cli_put(struct rados_cli *cli, int argc, char **argv)
{
	return put_or_append(cli, argv[0], argv[1], false);
}

int rados_cli_append(struct rados_cli *cli, int argc, char **argv)
{
	return put_or_append(cli, argv[0], argv[1], true);
}

int rados_cli_get(struct rados_cli *cli, int argc, char **argv)
{
	const char *oid = argv[0], *path = argv[1];
	bool to_stdout = !strcmp(path, "-");
	uint64_t off = 0;
	char *buf;
	int fd, rc;

	fd = to_stdout ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		rados_cli_err(rc, "failed to open file");
		rados_cli_err(rc, "error getting %s/%s", cli->pool, oid);
		return rc;
	}
	buf = op_buffer(cli);
	if (!buf) {
		rc = -EINVAL;
		goto out_close;
	}
	for (;;) {
		rc = rados_read(cli->io, oid, buf, cli->op_size, off);
		if (rc < 0) {
			rados_cli_err(rc, "error getting %s/%s", cli->pool, oid);
			break;
		}
		if (rc == 0)
			break;
		if ((uint64_t)rc > cli->op_size) {
			/* A library that says it read more than asked. */
			rc = -EIO;
			rados_cli_err(rc, "error getting %s/%s", cli->pool, oid);
			break;
		}
		off += (uint64_t)rc;
		if (write_full(fd, buf, (size_t)rc)) {
			rc = -errno;
			rados_cli_err(rc, "error writing to file");
			rados_cli_err(rc, "error getting %s/%s", cli->pool, oid);
			break;
		}
		if ((uint64_t)rc < cli->op_size) {
			rc = 0;
			break;
		}
		rc = 0;
	}
	free(buf);
out_close:
	if (!to_stdout && close(fd) && !rc) {
		rc = -errno;
		rados_cli_err(rc, "error writing to file %s", path);
	}
	return rc;
}

int rados_cli_rm(struct rados_cli *cli, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		int rc = rados_remove(cli->io, argv[i]);

		if (rc) {
			rados_cli_err(rc, "error removing %s>%s", cli->pool, argv[i]);
			return rc;
		}
	}
	return 0;
}

int rados_cli_stat(struct rados_cli *cli, int argc, char **argv)
{
	uint64_t size = 0;
	time_t mtime = 0;
	char when[64];
	int rc;

	rc = rados_stat(cli->io, argv[0], &size, &mtime);
	if (rc) {
		rados_cli_err(rc, " error stat-ing %s/%s", cli->pool, argv[0]);
		return rc;
	}
	rados_cli_fmt_time(mtime, 0, when, sizeof(when));
	printf("%s/%s mtime %s, size %llu\n", cli->pool, argv[0], when, (unsigned long long)size);
	return 0;
}

int rados_cli_truncate(struct rados_cli *cli, int argc, char **argv)
{
	long long size;
	int rc;

	if (rados_cli_parse_ll(argv[1], &size)) {
		fprintf(stderr, "Invalid value for size: '%s'\n", argv[1]);
		return -EINVAL;
	}
	if (size < 0) {
		fprintf(stderr, "error, cannot truncate to negative value\n");
		return -EINVAL;
	}
	rc = rados_trunc(cli->io, argv[0], (uint64_t)size);
	if (rc)
		rados_cli_err(rc, "error truncating %s/%s to %lld", cli->pool, argv[0], size);
	return rc;
}

int rados_cli_create(struct rados_cli *cli, int argc, char **argv)
{
	rados_write_op_t op = rados_create_write_op();
	int rc;

	if (!op) {
		rc = -ENOMEM;
		goto out;
	}
	rados_write_op_create(op, LIBRADOS_CREATE_EXCLUSIVE, NULL);
	rc = rados_write_op_operate(op, cli->io, argv[0], NULL, 0);
	rados_release_write_op(op);
out:
	if (rc)
		rados_cli_err(rc, "error creating %s/%s", cli->pool, argv[0]);
	return rc;
}

/* ---- xattrs ----------------------------------------------------------- */

int rados_cli_setxattr(struct rados_cli *cli, int argc, char **argv)
{
	char *val = argc > 2 ? argv[2] : NULL;
	size_t len = val ? strlen(val) : 0;
	int rc = 0;

	if (!val) {
		rc = rados_cli_slurp("-", RADOS_CLI_MAX_VALUE, &val, &len);
		if (rc) {
			rados_cli_err(rc, "error reading the value from standard input");
			return rc;
		}
	}
	rc = rados_setxattr(cli->io, argv[0], argv[1], val, len);
	if (rc)
		rados_cli_err(rc, "error setting xattr %s/%s/%s", cli->pool, argv[0], argv[1]);
	if (argc < 3)
		free(val);
	return rc;
}

int rados_cli_getxattr(struct rados_cli *cli, int argc, char **argv)
{
	size_t cap = 4096;
	char *buf = NULL;
	int rc;

	/* The library says -ERANGE when the value does not fit. */
	for (;;) {
		char *nb = realloc(buf, cap);

		if (!nb) {
			rc = -ENOMEM;
			break;
		}
		buf = nb;
		rc = rados_getxattr(cli->io, argv[0], argv[1], buf, cap);
		if (rc != -ERANGE || cap >= RADOS_CLI_MAX_VALUE * 2)
			break;
		cap *= 2;
	}
	if (rc < 0) {
		rados_cli_err(rc, "error getting xattr %s/%s/%s", cli->pool, argv[0], argv[1]);
	} else {
		fwrite(buf, 1, (size_t)rc, stdout);
		rc = 0;
	}
	free(buf);
	return rc;
}

int rados_cli_listxattr(struct rados_cli *cli, int argc, char **argv)
{
	rados_xattrs_iter_t it;
	const char *name, *val;
	size_t len;
	int rc;

	rc = rados_getxattrs(cli->io, argv[0], &it);
	if (rc) {
		rados_cli_err(rc, "error getting xattr set %s/%s", cli->pool, argv[0]);
		return rc;
	}
	while ((rc = rados_getxattrs_next(it, &name, &val, &len)) == 0 && name)
		printf("%s\n", name);
	rados_getxattrs_end(it);
	if (rc)
		rados_cli_err(rc, "error getting xattr set %s/%s", cli->pool, argv[0]);
	return rc;
}

int rados_cli_rmxattr(struct rados_cli *cli, int argc, char **argv)
{
	int rc = rados_rmxattr(cli->io, argv[0], argv[1]);

	if (rc)
		rados_cli_err(rc, "error removing xattr %s/%s/%s", cli->pool, argv[0], argv[1]);
	return rc;
}

/* ---- omap ------------------------------------------------------------- */

static int omap_write(struct rados_cli *cli, const char *oid, const char *key,
		      const char *val, size_t len, bool rm, bool clear)
{
	rados_write_op_t op = rados_create_write_op();
	int rc;

	if (!op)
		return -ENOMEM;
	if (clear)
		rados_write_op_omap_clear(op);
	else if (rm)
		rados_write_op_omap_rm_keys(op, &key, 1);
	else
		rados_write_op_omap_set(op, &key, &val, &len, 1);
	rc = rados_write_op_operate(op, cli->io, oid, NULL, 0);
	rados_release_write_op(op);
	return rc;
}

int rados_cli_setomapval(struct rados_cli *cli, int argc, char **argv)
{
	char *val = argc > 2 ? argv[2] : NULL;
	size_t len = val ? strlen(val) : 0;
	int rc;

	if (!val) {
		const char *src = cli->input_file ? cli->input_file : "-";

		rc = rados_cli_slurp(src, RADOS_CLI_MAX_VALUE, &val, &len);
		if (rc) {
			rados_cli_err(rc, "error reading input file %s",
				      cli->input_file ? cli->input_file : "(stdin)");
			return rc;
		}
	} else if (cli->input_file) {
		fprintf(stderr, "rados: give the value or --input-file, not both\n");
		return -EINVAL;
	}
	rc = omap_write(cli, argv[0], argv[1], val, len, false, false);
	if (rc)
		rados_cli_err(rc, "error setting omap value %s/%s/%s", cli->pool, argv[0], argv[1]);
	if (argc < 3)
		free(val);
	return rc;
}

int rados_cli_rmomapkey(struct rados_cli *cli, int argc, char **argv)
{
	int rc = omap_write(cli, argv[0], argv[1], NULL, 0, true, false);

	if (rc)
		rados_cli_err(rc, "error removing omap key %s/%s/%s", cli->pool, argv[0], argv[1]);
	return rc;
}

int rados_cli_clearomap(struct rados_cli *cli, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		int rc = omap_write(cli, argv[i], NULL, NULL, 0, false, true);

		if (rc) {
			rados_cli_err(rc, "error clearing omap keys %s/%s", cli->pool, argv[i]);
			return rc;
		}
	}
	return 0;
}

static void print_value(const char *val, size_t len)
{
	printf("value (%zu bytes) :\n", len);
	rados_cli_hexdump(stdout, val, len);
	putchar('\n');
}

int rados_cli_getomapval(struct rados_cli *cli, int argc, char **argv)
{
	const char *oid = argv[0], *key = argv[1];
	rados_read_op_t op = rados_create_read_op();
	rados_omap_iter_t it = NULL;
	char *k, *v;
	size_t len;
	int prval = 0, rc;
	bool found = false;

	if (!op)
		return -ENOMEM;
	rados_read_op_omap_get_vals_by_keys(op, &key, 1, &it, &prval);
	rc = rados_read_op_operate(op, cli->io, oid, 0);
	if (rc == 0)
		rc = prval;
	if (rc) {
		/* a missing object too, with its ENOENT, as Ceph says */
		rados_cli_err(rc, "error getting omap value %s/%s/%s", cli->pool, oid, key);
		goto out;
	}
	while (it && (rc = rados_omap_get_next(it, &k, &v, &len)) == 0 && k) {
		if (strcmp(k, key))
			continue;
		found = true;
		if (argc > 2) {
			FILE *f;

			fprintf(stderr, "Writing to %s\n", argv[2]);
			f = fopen(argv[2], "wb");
			if (!f || fwrite(v, 1, len, f) != len || fclose(f)) {
				rc = -errno;
				rados_cli_err(rc, "error writing to %s", argv[2]);
				goto out;
			}
		} else {
			print_value(v, len);
		}
		break;
	}
	if (rc) {
		rados_cli_err(rc, "error getting omap value %s/%s/%s", cli->pool, oid, key);
	} else if (!found) {
		printf("No such key: %s/%s/%s\n", cli->pool, oid, key);
		rc = -ENOENT;
	}
out:
	if (it)
		rados_omap_get_end(it);
	rados_release_read_op(op);
	return rc;
}

/* Every omap key (and value) of an object, page by page after the last
 * key seen until the OSD says there are no more; fn gets each in order. */
typedef void (*omap_fn)(void *arg, const char *key, const char *val, size_t len);

static int omap_each(struct rados_cli *cli, const char *oid, bool vals, omap_fn fn, void *arg)
{
	char *after = strdup("");
	unsigned char more = 1;
	int rc = 0;

	if (!after)
		return -ENOMEM;
	while (more && !rc) {
		rados_read_op_t op = rados_create_read_op();
		rados_omap_iter_t it = NULL;
		char *k, *v;
		size_t len, got;
		int prval = 0;

		if (!op) {
			rc = -ENOMEM;
			break;
		}
		more = 0;
		if (vals)
			rados_read_op_omap_get_vals2(op, after, "", RADOS_CLI_OMAP_PAGE, &it,
						     &more, &prval);
		else
			rados_read_op_omap_get_keys2(op, after, RADOS_CLI_OMAP_PAGE, &it, &more,
						     &prval);
		rc = rados_read_op_operate(op, cli->io, oid, 0);
		if (rc == 0)
			rc = prval;
		got = 0;
		while (!rc && it && (rc = rados_omap_get_next(it, &k, &v, &len)) == 0 && k) {
			char *nk = strdup(k);

			got++;

			if (!nk) {
				rc = -ENOMEM;
				break;
			}
			free(after);
			after = nk;
			fn(arg, k, v, len);
		}
		if (it)
			rados_omap_get_end(it);
		rados_release_read_op(op);
		if (got == 0)
			break; /* "more" with nothing in the page: do not spin */
	}
	free(after);
	return rc;
}

static void omap_print(void *arg, const char *key, const char *val, size_t len)
{
	const bool *vals = arg;

	printf("%s\n", key);
	if (*vals)
		print_value(val, len);
}

/* listomapkeys and listomapvals. */
static int omap_list(struct rados_cli *cli, const char *oid, bool vals)
{
	int rc = omap_each(cli, oid, vals, omap_print, &vals);

	if (rc)
		rados_cli_err(rc, vals ? "error getting omap keys %s/%s"
				       : "error getting omap key set %s/%s",
			      cli->pool, oid);
	return rc;
}

int rados_cli_listomapkeys(struct rados_cli *cli, int argc, char **argv)
{
	return omap_list(cli, argv[0], false);
}

int rados_cli_listomapvals(struct rados_cli *cli, int argc, char **argv)
{
	return omap_list(cli, argv[0], true);
}

/* ---- cp, lssnap, listwatchers ---- */

/* cp: each omap key and value into the write op (which copies them). */
static void omap_copy(void *arg, const char *key, const char *val, size_t len)
{
	const char *keys[1] = { key }, *vals[1] = { val };

	rados_write_op_omap_set(arg, keys, vals, &len, 1);
}

/* cp OBJ [TARGET]: data, xattrs and omap, written to TARGET in one op. */
int rados_cli_cp(struct rados_cli *cli, int argc, char **argv)
{
	const char *src = argv[0], *dst = argc > 1 ? argv[1] : argv[0];
	rados_write_op_t w = NULL;
	rados_xattrs_iter_t xi = NULL;
	uint64_t size = 0;
	char *data = NULL;
	int rc;

	if (!strcmp(src, dst)) {
		fprintf(stderr, "cannot copy object into itself\n");
		return -EINVAL;
	}
	rc = rados_stat(cli->io, src, &size, NULL);
	if (!rc) {
		data = malloc(size ? size : 1);
		rc = data ? 0 : -ENOMEM;
	}
	if (!rc && size) {
		int n = rados_read(cli->io, src, data, size, 0);

		rc = n < 0 ? n : (uint64_t)n == size ? 0 : -EIO;
	}
	if (!rc) {
		w = rados_create_write_op();
		rc = w ? 0 : -ENOMEM;
	}
	if (!rc) {
		rados_write_op_write_full(w, data, size);
		rc = rados_getxattrs(cli->io, src, &xi);
	}
	while (!rc) {
		const char *name, *val;
		size_t len;

		rc = rados_getxattrs_next(xi, &name, &val, &len);
		if (rc || !name)
			break;
		rados_write_op_setxattr(w, name, val, len);
	}
	if (xi)
		rados_getxattrs_end(xi);
	if (!rc)
		rc = omap_each(cli, src, true, omap_copy, w);
	if (!rc)
		rc = rados_write_op_operate(w, cli->io, dst, NULL, 0);
	if (w)
		rados_release_write_op(w);
	free(data);
	if (rc)
		rados_cli_err(rc, "error copying %s/%s => %s/%s", cli->pool, src, cli->pool, dst);
	return rc;
}

/* Loligo has no pool snapshots yet: there are none to list. */
int rados_cli_lssnap(struct rados_cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	printf("0 snaps\n");
	return 0;
}

/* Watches are not supported yet, so an object never has watchers; a
 * missing one is ENOENT, as in Ceph. */
int rados_cli_listwatchers(struct rados_cli *cli, int argc, char **argv)
{
	int rc = rados_stat(cli->io, argv[0], NULL, NULL);

	(void)argc;
	if (rc)
		rados_cli_err(rc, "error listing watchers %s/%s", cli->pool, argv[0]);
	return rc;
}
