/*
 * `ceph`: the administration CLI, a drop-in for Ceph 16.2's.  It reads
 * ceph.conf and Ceph's common arguments, turns the command words into
 * Ceph's JSON command object by matching them against the monitor's
 * command signatures (mon_signatures.h, matched by common/cmdsig.h), sends
 * it to a monitor (tool_monc.h) and prints the answer the way Ceph does:
 * the status line on stderr, the data on stdout (or -o FILE), the exit
 * code the monitor's -errno, "Error ENOENT: ..." on failure.
 *
 * As in Ceph's CLI, -i is the input file (`osd setcrushmap -i F`), never
 * the id: the id is --id/--user (or -n/--name); CEPH_ARGS keeps Ceph's
 * library meaning of -i (the id).  See docs/ceph-cli.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cmdsig.h"
#include "common/config.h"
#include "tools/ceph_errno.h"
#include "tools/ceph_sigs.h"
#include "tools/tool_monc.h"

#define CEPH_VERSION_LINE \
	"ceph version 16.2.15-loligo (loligo " LOLIGO_VERSION ") pacific (stable)"
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define INPUT_MAX (64u << 20)

#ifndef LOLIGO_VERSION
#define LOLIGO_VERSION "0.1.0"
#endif

enum out_format { FMT_NONE, FMT_PLAIN, FMT_JSON, FMT_JSON_PRETTY };

struct ceph_opts {
	const char *conf_path;  /* -c, explicit */
	const char *infile;     /* -i */
	const char *outfile;    /* -o */
	enum out_format format;
	const char *format_name;
	int timeout_ms;
	bool status;            /* -s */
	bool dry_run;           /* --dry-run: print the JSON, send nothing */
	bool help, version;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ceph [-h] [-c CEPHCONF] [-i INPUT_FILE] [-o OUTPUT_FILE]\n"
		"            [--id CLIENT_ID] [--name CLIENT_NAME] [--cluster CLUSTER]\n"
		"            [-m MONADDR] [-k KEYRING] [-s] [--version]\n"
		"            [-f {json,json-pretty,plain}] [--connect-timeout SECONDS]\n"
		"            [--dry-run] COMMAND...\n");
}

static void help(const struct cmdsig_table *t)
{
	usage(stdout);
	printf("\nCeph administration tool (Loligo)\n\n"
	       "options:\n"
	       "  -h, --help            this help and the monitor commands\n"
	       "  -c CEPHCONF, --conf CEPHCONF\n"
	       "                        ceph configuration file\n"
	       "  -i INPUT_FILE, --in-file INPUT_FILE\n"
	       "                        input file, or \"-\" for stdin\n"
	       "  -o OUTPUT_FILE, --out-file OUTPUT_FILE\n"
	       "                        output file, or \"-\" for stdout\n"
	       "  --id CLIENT_ID, --user CLIENT_ID\n"
	       "                        client id for authentication\n"
	       "  --name CLIENT_NAME, -n CLIENT_NAME\n"
	       "                        client name for authentication\n"
	       "  --cluster CLUSTER     cluster name\n"
	       "  -m MONADDR            monitor address(es), overrides mon_host\n"
	       "  -k KEYRING, --keyring KEYRING\n"
	       "                        keyring (accepted; authentication comes later)\n"
	       "  -s, --status          show cluster status\n"
	       "  --version, -v         display version\n"
	       "  -f {json,json-pretty,plain}, --format {json,json-pretty,plain}\n"
	       "  --connect-timeout CLUSTER_TIMEOUT\n"
	       "                        seconds to find a monitor (default %d)\n"
	       "  --dry-run             print the JSON command instead of sending it\n"
	       "\n Monitor commands: \n =================\n",
	       DEFAULT_CONNECT_TIMEOUT_MS / 1000);
	for (size_t i = 0; i < t->n; i++) {
		char u[4096];

		cmdsig_usage(&t->sigs[i], u, sizeof(u));
		if (strlen(u) < 40)
			printf("%-40s%s\n", u, t->sigs[i].help ? t->sigs[i].help : "");
		else
			printf("%s\n%-40s%s\n", u, "", t->sigs[i].help ? t->sigs[i].help : "");
	}
}

static const char *opt_value(int argc, char **argv, int *i, const char *arg,
			     const char *longname)
{
	size_t n = strlen(longname);

	if (!strncmp(arg, longname, n) && arg[n] == '=')
		return arg + n + 1;
	if (*i + 1 >= argc) {
		fprintf(stderr, "ceph: error: argument %s: expected one argument\n", arg);
		exit(2);
	}
	return argv[++*i];
}

static bool opt_is(const char *arg, const char *shortname, const char *longname)
{
	size_t n;

	if (shortname && !strcmp(arg, shortname))
		return true;
	if (!longname)
		return false;
	n = strlen(longname);
	return !strncmp(arg, longname, n) && (arg[n] == '\0' || arg[n] == '=');
}

static int set_format(struct ceph_opts *o, const char *f)
{
	o->format_name = f;
	if (!strcmp(f, "json"))
		o->format = FMT_JSON;
	else if (!strcmp(f, "json-pretty"))
		o->format = FMT_JSON_PRETTY;
	else if (!strcmp(f, "plain"))
		o->format = FMT_PLAIN;
	else if (!strcmp(f, "xml") || !strcmp(f, "xml-pretty") || !strcmp(f, "yaml")) {
		fprintf(stderr, "ceph: --format %s is not supported yet by Loligo; "
				"use json, json-pretty or plain\n", f);
		return -EOPNOTSUPP;
	} else {
		fprintf(stderr, "ceph: error: argument -f/--format: invalid choice: '%s' "
				"(choose from 'json', 'json-pretty', 'xml', 'xml-pretty', "
				"'plain', 'yaml')\n", f);
		return -EINVAL;
	}
	return 0;
}

/*
 * Takes the options that belong to the `ceph` program itself out of argv
 * (anywhere on the line, as Ceph's argparse does); leaves Ceph's library
 * arguments (-m, --id, -n, -k, --cluster, --OPTION VALUE) and the command
 * words.  Returns 0, or an exit code.
 */
static int parse_own_args(int *argc, char **argv, struct ceph_opts *o)
{
	int w = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[w++] = argv[i++];
			break;
		}
		if (opt_is(a, "-h", "--help")) {
			o->help = true;
		} else if (opt_is(a, "-v", "--version")) {
			o->version = true;
		} else if (opt_is(a, "-s", "--status")) {
			o->status = true;
		} else if (opt_is(a, "-c", "--conf")) {
			o->conf_path = opt_value(*argc, argv, &i, a, "--conf");
		} else if (opt_is(a, "-i", "--in-file")) {
			o->infile = opt_value(*argc, argv, &i, a, "--in-file");
		} else if (opt_is(a, "-o", "--out-file")) {
			o->outfile = opt_value(*argc, argv, &i, a, "--out-file");
		} else if (opt_is(a, "-f", "--format")) {
			if (set_format(o, opt_value(*argc, argv, &i, a, "--format")))
				return 22;
		} else if (!strncmp(a, "-f", 2) && a[2] && a[2] != '-') {
			if (set_format(o, a + 2)) /* -fjson, as argparse allows */
				return 22;
		} else if (opt_is(a, NULL, "--connect-timeout")) {
			const char *v = opt_value(*argc, argv, &i, a, "--connect-timeout");
			char *end;
			double s = strtod(v, &end);

			if (*end || end == v || s < 0 || s > 86400 * 365) {
				fprintf(stderr, "ceph: error: argument --connect-timeout: "
						"invalid int value: '%s'\n", v);
				return 2;
			}
			o->timeout_ms = (int)(s * 1000);
		} else if (opt_is(a, NULL, "--dry-run")) {
			o->dry_run = true;
		} else if (opt_is(a, NULL, "--verbose") || opt_is(a, NULL, "--concise") ||
			   opt_is(a, NULL, "--block")) {
			/* accepted, no effect */
		} else if (opt_is(a, "-p", "--period") || opt_is(a, NULL, "--setuser") ||
			   opt_is(a, NULL, "--setgroup")) {
			(void)opt_value(*argc, argv, &i, a, a[1] == '-' ? a : "--period");
		} else if (opt_is(a, "-w", "--watch") || opt_is(a, "-W", "--watch-channel") ||
			   !strncmp(a, "--watch-", 8)) {
			fprintf(stderr, "ceph: %s (watching the cluster log) is not supported "
					"yet by Loligo\n", a);
			return 95;
		} else if (opt_is(a, NULL, "--admin-daemon")) {
			fprintf(stderr, "ceph: --admin-daemon (admin sockets) is not supported "
					"yet by Loligo\n");
			return 95;
		} else {
			argv[w++] = argv[i];
		}
	}
	*argc = w;
	argv[w] = NULL;
	return 0;
}

/* Ceph 16 dropped the seed's legacy `osd crush add 4 osd.4 1.0 pool=default
 * host=daisy`; Loligo accepts it: a bare id followed by the same osd.N is
 * dropped, and `pool=` (the old name of the root level) becomes `root=`. */
static int rewrite_legacy(int nwords, char **words)
{
	static const char *const crush_loc_cmds[] = {"add", "set", "create-or-move",
						     "move", "add-bucket", "link"};
	bool loc_cmd = false;

	if (nwords < 3 || strcmp(words[0], "osd") || strcmp(words[1], "crush"))
		return nwords;
	for (size_t i = 0; i < sizeof(crush_loc_cmds) / sizeof(crush_loc_cmds[0]); i++)
		if (!strcmp(words[2], crush_loc_cmds[i]))
			loc_cmd = true;
	if (!loc_cmd)
		return nwords;
	if (nwords >= 5 && (!strcmp(words[2], "add") || !strcmp(words[2], "set")) &&
	    !strncmp(words[4], "osd.", 4) && !strcmp(words[4] + 4, words[3]) &&
	    strspn(words[3], "0123456789") == strlen(words[3]) && words[3][0]) {
		free(words[3]);
		memmove(&words[3], &words[4], (size_t)(nwords - 4) * sizeof(*words));
		words[nwords - 1] = NULL;
		nwords--;
	}
	for (int i = 3; i < nwords; i++) {
		/* "pool=X" -> "root=X": same length, rewritten in place */
		if (!strncmp(words[i], "pool=", 5))
			memcpy(words[i], "root=", 5);
	}
	return nwords;
}

static int read_input(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		int e = errno;

		fprintf(stderr, "Can't open input file %s: [Errno %d] %s: '%s'\n", path, e,
			strerror(e), path);
		return -e;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= INPUT_MAX) {
				fprintf(stderr, "Input file %s is too large (over %u bytes)\n", path,
					INPUT_MAX);
				free(buf);
				if (f != stdin)
					fclose(f);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				if (f != stdin)
					fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		fprintf(stderr, "Can't read input file %s: %s\n", path, strerror(e));
		free(buf);
		if (f != stdin)
			fclose(f);
		return -e;
	}
	if (f != stdin)
		fclose(f);
	*data = buf;
	*len = n;
	return 0;
}

static void print_invalid(const struct cmdsig_match_result *res)
{
	fprintf(stderr, "Invalid command: %s\n", res->reason);
	for (size_t i = 0; i < res->n_near; i++) {
		char u[8192];

		cmdsig_usage(res->near[i], u, sizeof(u));
		fprintf(stderr, "%s :  %s\n", u, res->near[i]->help ? res->near[i]->help : "");
	}
	fprintf(stderr, "Error EINVAL: invalid command\n");
}

static void print_no_match(const struct cmdsig_match_result *res)
{
	fprintf(stderr, "no valid command found; %zu closest matches:\n", res->n_near);
	for (size_t i = 0; i < res->n_near; i++) {
		char u[8192];

		cmdsig_usage(res->near[i], u, sizeof(u));
		fprintf(stderr, "%s\n", u);
	}
	fprintf(stderr, "Error EINVAL: invalid command\n");
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ceph_opts o = {.timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS};
	struct cmdsig_table sigs = {0};
	struct cmdsig_match_result res;
	struct tool_monc *monc = NULL;
	struct tool_monc_reply rep = {0};
	struct conf *conf = NULL;
	char err[2048] = "", name[128];
	char **words = NULL;
	int nwords = 0, nalloc = 0, rc, exit_code = 1, outfd = -1;
	uint8_t *in = NULL;
	size_t inlen = 0;
	char *cmd_text = NULL;

	rc = parse_own_args(&argc, argv, &o);
	if (rc)
		return rc;
	if (o.version) {
		printf("%s\n", CEPH_VERSION_LINE);
		return 0;
	}
	rc = ceph_sigs_load(&sigs, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "ceph: internal error in the command table: %s\n", err);
		return 1;
	}
	if (o.help) {
		help(&sigs);
		exit_code = 0;
		goto out;
	}

	rc = conf_create(NULL, &conf);
	if (rc) {
		fprintf(stderr, "ceph: %s\n", strerror(-rc));
		goto out;
	}
	rc = conf_parse_env(conf, NULL, err, sizeof(err));
	if (!rc)
		rc = conf_parse_argv(conf, &argc, argv, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "ceph: %s\n", err);
		exit_code = 22;
		goto out;
	}
	rc = conf_read_file(conf, o.conf_path, err, sizeof(err));
	if (rc && (rc != -ENOENT || o.conf_path)) {
		if (rc == -ENOENT)
			fprintf(stderr, "ceph: cannot read %s: %s\n", o.conf_path, err);
		else
			fprintf(stderr, "ceph: %s\n", err);
		exit_code = rc == -ENOENT ? 2 : 22;
		goto out;
	}

	/* The command words: what is left, after -s's "status". */
	nwords = argc - 1 + (o.status ? 1 : 0);
	words = calloc((size_t)nwords + 1, sizeof(*words));
	if (!words)
		goto out;
	nalloc = nwords;
	{
		int k = 0;

		if (o.status)
			words[k++] = strdup("status");
		for (int i = 1; i < argc; i++)
			words[k++] = strdup(argv[i]);
		for (int i = 0; i < k; i++)
			if (!words[i])
				goto out;
	}
	if (nwords == 0) {
		usage(stderr);
		fprintf(stderr, "ceph: no command given (interactive mode is not supported "
				"by Loligo); try ceph -h\n");
		exit_code = 22;
		goto out;
	}
	nalloc = nwords;
	nwords = rewrite_legacy(nwords, words);

	rc = cmdsig_match(&sigs, nwords, (const char *const *)words, &res);
	if (rc) {
		fprintf(stderr, "ceph: %s\n", strerror(-rc));
		goto out;
	}
	if (res.result == CMDSIG_NO_MATCH) {
		print_no_match(&res);
		exit_code = 22;
		goto out;
	}
	if (res.result == CMDSIG_INVALID) {
		print_invalid(&res);
		exit_code = 22;
		goto out;
	}
	if (o.format != FMT_NONE)
		json_object_set_new(res.cmd, "format", json_string(o.format_name));
	cmd_text = json_dumps(res.cmd, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(res.cmd);
	if (!cmd_text)
		goto out;
	if (o.dry_run) {
		printf("%s\n", cmd_text);
		exit_code = 0;
		goto out;
	}

	if (o.infile) {
		rc = read_input(o.infile, &in, &inlen);
		if (rc)
			goto out;
	}
	if (o.outfile && strcmp(o.outfile, "-")) {
		outfd = open(o.outfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (outfd < 0) {
			int e = errno;

			fprintf(stderr, "Can't open output file %s: [Errno %d] %s: '%s'\n",
				o.outfile, e, strerror(e), o.outfile);
			goto out;
		}
	}

	if (conf_get_name(conf, name, sizeof(name)))
		snprintf(name, sizeof(name), "client.admin");
	rc = tool_monc_create(conf, name, o.timeout_ms, &monc, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "ceph: %s\n", err);
		exit_code = rc == -ENOENT ? 2 : 1;
		goto out;
	}
	rc = tool_monc_command(monc, cmd_text, in, inlen, &rep, err, sizeof(err));
	if (rc == -ETIMEDOUT) {
		fprintf(stderr, "timed out: %s; --connect-timeout sets the limit\n", err);
		exit_code = 1;
		goto out;
	}
	if (rc) {
		fprintf(stderr, "ceph: %s\n", strerror(-rc));
		goto out;
	}

	/* Data first (stdout or -o), then the status line, as Ceph does. */
	if (rep.outlen) {
		int fd = outfd >= 0 ? outfd : STDOUT_FILENO;

		if (fd == STDOUT_FILENO && (o.format == FMT_JSON || o.format == FMT_JSON_PRETTY))
			write_all(fd, "\n", 1);
		if (write_all(fd, rep.out, rep.outlen)) {
			fprintf(stderr, "ceph: writing %s: %s\n", outfd >= 0 ? o.outfile : "stdout",
				strerror(errno));
			goto out;
		}
	}
	if (rep.rc < 0) {
		const char *ename = ceph_errno_name(-rep.rc);

		if (*rep.outs)
			fprintf(stderr, "Error %s: %s\n", ename, rep.outs);
		else
			fprintf(stderr, "Error %s: (%d) %s\n", ename, -rep.rc, strerror(-rep.rc));
		exit_code = -rep.rc > 255 ? 1 : -rep.rc;
	} else {
		if (*rep.outs)
			fprintf(stderr, "%s\n", rep.outs);
		exit_code = 0;
	}

out:
	if (outfd >= 0 && close(outfd) && exit_code == 0) {
		fprintf(stderr, "ceph: closing %s: %s\n", o.outfile, strerror(errno));
		exit_code = 1;
	}
	tool_monc_reply_release(&rep);
	tool_monc_destroy(monc);
	free(cmd_text);
	free(in);
	for (int i = 0; words && i < nalloc; i++)
		free(words[i]);
	free(words);
	cmdsig_table_release(&sigs);
	conf_destroy(conf);
	return exit_code;
}
