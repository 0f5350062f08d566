/*
 * `rados`: for now only the pool commands that go through the monitors:
 * `lspools`, and the seed's `mkpool NAME` and `rmpool NAME NAME
 * --yes-i-really-really-mean-it` (dropped from Ceph 16.2's rados; kept
 * here with the messages older releases printed).  Object commands need
 * the OSDs and come with them.
 */
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config.h"
#include "tools/tool_monc.h"

#define DEFAULT_CONNECT_TIMEOUT_MS 10000

struct rados_cmd {
	const char *name;
	int min_args, max_args;
	int (*fn)(struct tool_monc *m, int argc, char **argv, bool sure);
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rados [options] [commands]\n"
		"POOL COMMANDS\n"
		"   lspools                          list pools\n"
		"   mkpool <pool-name>               create pool <pool-name>\n"
		"   rmpool <pool-name> [<pool-name> --yes-i-really-really-mean-it]\n"
		"                                    remove pool <pool-name>\n"
		"\n"
		"Object, snapshot and benchmark commands are not supported yet by Loligo\n"
		"(they need the OSDs).\n"
		"\n"
		"GLOBAL OPTIONS:\n"
		"   -c FILE, --conf FILE             read configuration from FILE\n"
		"   -m MONADDRESS[:PORT]             connect to the given monitor(s)\n"
		"   --id ID, -n TYPE.ID              our entity name\n"
		"   -k KEYRING, --keyring KEYRING    keyring (accepted; no auth yet)\n"
		"   --connect-timeout SECONDS        how long to look for a monitor (default %d)\n",
		DEFAULT_CONNECT_TIMEOUT_MS / 1000);
}

/* Runs a monitor command; 0 with the reply, or a printed error. */
static int mon_cmd(struct tool_monc *m, json_t *cmd, struct tool_monc_reply *rep)
{
	char err[1024] = "";
	char *text = json_dumps(cmd, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int rc;

	json_decref(cmd);
	if (!text)
		return -ENOMEM;
	rc = tool_monc_command(m, text, NULL, 0, rep, err, sizeof(err));
	free(text);
	if (rc == -ETIMEDOUT)
		fprintf(stderr, "timed out: %s; --connect-timeout sets the limit\n", err);
	else if (rc)
		fprintf(stderr, "rados: %s\n", strerror(-rc));
	return rc;
}

static int cmd_lspools(struct tool_monc *m, int argc, char **argv, bool sure)
{
	struct tool_monc_reply rep;
	json_t *pools, *v;
	json_error_t jerr;
	size_t i;
	int rc;

	(void)argc;
	(void)argv;
	(void)sure;
	rc = mon_cmd(m, json_pack("{s:s, s:s}", "prefix", "osd pool ls", "format", "json"),
		     &rep);
	if (rc)
		return rc;
	if (rep.rc < 0) {
		fprintf(stderr, "error listing pools: (%d) %s%s%s\n", -rep.rc,
			strerror(-rep.rc), *rep.outs ? ": " : "", rep.outs);
		rc = rep.rc;
		goto out;
	}
	pools = json_loadb((const char *)rep.out, rep.outlen, 0, &jerr);
	if (!json_is_array(pools)) {
		fprintf(stderr, "rados: the monitor's pool list is not a JSON array: %s\n",
			jerr.text);
		json_decref(pools);
		rc = -EBADMSG;
		goto out;
	}
	json_array_foreach(pools, i, v) {
		if (json_is_string(v))
			printf("%s\n", json_string_value(v));
		else if (json_is_object(v) && json_is_string(json_object_get(v, "pool_name")))
			printf("%s\n", json_string_value(json_object_get(v, "pool_name")));
	}
	json_decref(pools);
out:
	tool_monc_reply_release(&rep);
	return rc;
}

static int cmd_mkpool(struct tool_monc *m, int argc, char **argv, bool sure)
{
	struct tool_monc_reply rep;
	const char *pool = argv[0];
	int rc;

	(void)argc;
	(void)sure;
	rc = mon_cmd(m, json_pack("{s:s, s:s}", "prefix", "osd pool create", "pool", pool),
		     &rep);
	if (rc)
		return rc;
	rc = rep.rc;
	/* The monitor says success for a pool that exists (as Ceph's
	 * does); librados' pool create calls that EEXIST. */
	if (rc == 0 && strstr(rep.outs, "already exists"))
		rc = -EEXIST;
	if (rc < 0)
		fprintf(stderr, "error creating pool %s: (%d) %s%s%s\n", pool, -rc, strerror(-rc),
			*rep.outs && rc != -EEXIST ? "\n" : "", rc == -EEXIST ? "" : rep.outs);
	else
		printf("successfully created pool %s\n", pool);
	tool_monc_reply_release(&rep);
	return rc;
}

static int cmd_rmpool(struct tool_monc *m, int argc, char **argv, bool sure)
{
	struct tool_monc_reply rep;
	const char *pool = argv[0];
	int rc;

	if (argc < 2 || strcmp(argv[0], argv[1]) || !sure) {
		fprintf(stderr,
			"WARNING:\n"
			"  This will PERMANENTLY DESTROY all data stored in pool %s\n"
			"  If you are *ABSOLUTELY CERTAIN* that is what you want, pass the pool name "
			"*twice*,\n"
			"  followed by --yes-i-really-really-mean-it.\n",
			pool);
		return -EPERM;
	}
	rc = mon_cmd(m, json_pack("{s:s, s:s, s:s, s:b}", "prefix", "osd pool delete", "pool",
				  pool, "pool2", pool, "yes_i_really_really_mean_it", 1),
		     &rep);
	if (rc)
		return rc;
	rc = rep.rc;
	/* Ceph's monitor answers 0 "pool 'x' does not exist" */
	if (rc == 0 && strstr(rep.outs, "does not exist"))
		rc = -ENOENT;
	if (rc == -ENOENT)
		fprintf(stderr, "pool %s does not exist\n", pool);
	else if (rc < 0)
		fprintf(stderr, "error deleting pool %s: (%d) %s%s%s\n", pool, -rc,
			strerror(-rc), *rep.outs ? "\n" : "", rep.outs);
	else
		printf("successfully deleted pool %s\n", pool);
	tool_monc_reply_release(&rep);
	return rc;
}

static const struct rados_cmd rados_cmds[] = {
	{"lspools", 0, 0, cmd_lspools},
	{"mkpool", 1, 1, cmd_mkpool},
	{"rmpool", 1, 2, cmd_rmpool},
};

int main(int argc, char **argv)
{
	const struct rados_cmd *cmd = NULL;
	struct tool_monc *monc = NULL;
	struct conf *conf = NULL;
	const char *conf_path = NULL;
	char err[1024] = "", name[128];
	int timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
	bool sure = false;
	int w = 1, rc, exit_code = 1;

	/* Our own options first; the rest are Ceph's common arguments. */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--yes-i-really-really-mean-it")) {
			sure = true;
		} else if ((!strcmp(a, "-c") || !strcmp(a, "--conf")) && i + 1 < argc) {
			conf_path = argv[++i];
		} else if (!strncmp(a, "--conf=", 7)) {
			conf_path = a + 7;
		} else if (!strcmp(a, "--connect-timeout") && i + 1 < argc) {
			timeout_ms = (int)(strtod(argv[++i], NULL) * 1000);
		} else if ((!strcmp(a, "-p") || !strcmp(a, "--pool")) && i + 1 < argc) {
			i++; /* object commands are not here yet */
		} else {
			argv[w++] = argv[i];
		}
	}
	argc = w;
	argv[argc] = NULL;

	rc = conf_create(NULL, &conf);
	if (rc)
		goto out;
	rc = conf_parse_env(conf, NULL, err, sizeof(err));
	if (!rc)
		rc = conf_parse_argv(conf, &argc, argv, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "rados: %s\n", err);
		goto out;
	}
	rc = conf_read_file(conf, conf_path, err, sizeof(err));
	if (rc && (rc != -ENOENT || conf_path)) {
		fprintf(stderr, "rados: %s\n", err);
		goto out;
	}
	if (argc < 2) {
		fprintf(stderr, "rados: -h or --help for usage\n");
		goto out;
	}
	for (size_t i = 0; i < sizeof(rados_cmds) / sizeof(rados_cmds[0]); i++)
		if (!strcmp(argv[1], rados_cmds[i].name))
			cmd = &rados_cmds[i];
	if (!cmd) {
		fprintf(stderr, "rados: '%s' is not supported yet by Loligo (only lspools, "
				"mkpool and rmpool for now; object commands need the OSDs)\n",
			argv[1]);
		goto out;
	}
	if (argc - 2 < cmd->min_args || argc - 2 > cmd->max_args) {
		usage(stderr);
		goto out;
	}
	if (conf_get_name(conf, name, sizeof(name)))
		snprintf(name, sizeof(name), "client.admin");
	rc = tool_monc_create(conf, name, timeout_ms, &monc, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "rados: %s\n", err);
		goto out;
	}
	rc = cmd->fn(monc, argc - 2, argv + 2, sure);
	exit_code = rc ? 1 : 0;
out:
	tool_monc_destroy(monc);
	conf_destroy(conf);
	return exit_code;
}
