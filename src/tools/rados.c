/*
 * `rados`: Ceph's rados utility on Loligo, a program over librados' public
 * C API only (include/rados/librados.h), as Ceph's is over its librados.
 * This file holds main(): the option table, configuration and connection,
 * and the subcommand table; the pool commands (lspools, mkpool, rmpool,
 * df) and object listing (ls) live here too.  Object, xattr and omap
 * commands are in rados_obj.c, bench and cleanup in rados_bench.c.
 *
 * Output and error lines follow Ceph 16.2's rados byte for byte where a
 * script may read them (stat, df, ls, getomapval, bench); exit status is
 * 0 on success and 1 on any error, including bad arguments.
 */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/rados_cli.h"

#define RADOS_DEFAULT_OP_SIZE (4ULL << 20)
#define RADOS_DEFAULT_CONCURRENT 16

static void usage(FILE *f)
{
	fputs("usage: rados [options] [commands]\n"
	      "POOL COMMANDS\n"
	      "   lspools                          list pools\n"
	      "   mkpool <pool-name>               create pool <pool-name>\n"
	      "   rmpool <pool-name> [<pool-name> --yes-i-really-really-mean-it]\n"
	      "                                    remove pool <pool-name>\n"
	      "   purge <pool-name> --yes-i-really-really-mean-it\n"
	      "                                    remove all objects from pool <pool-name> without removing it\n"
	      "   df                               show per-pool and total usage\n"
	      "   ls                               list objects in pool\n"
	      "   lssnap                           list snaps (Loligo has none yet)\n"
	      "\n"
	      "OBJECT COMMANDS\n"
	      "   get <obj-name> <outfile>         fetch object (outfile - is stdout)\n"
	      "   put <obj-name> <infile> [--offset offset]\n"
	      "                                    write object with start offset (default:0)\n"
	      "   append <obj-name> <infile>       append object\n"
	      "   truncate <obj-name> length       truncate object\n"
	      "   create <obj-name>                create object\n"
	      "   rm <obj-name> ...                remove object(s)\n"
	      "   cp <obj-name> [target-obj]       copy object\n"
	      "   listxattr <obj-name>\n"
	      "   getxattr <obj-name> attr\n"
	      "   setxattr <obj-name> attr [val]   (val from stdin if not given)\n"
	      "   rmxattr <obj-name> attr\n"
	      "   stat <obj-name>                  stat the named object\n"
	      "   listomapkeys <obj-name>          list the keys in the object map\n"
	      "   listomapvals <obj-name>          list the keys and vals in the object map\n"
	      "   getomapval <obj-name> <key> [file] show the value for the specified key\n"
	      "                                    in the object's object map\n"
	      "   setomapval <obj-name> <key> <val | --input-file file>\n"
	      "                                    (val from stdin if neither is given)\n"
	      "   rmomapkey <obj-name> <key>\n"
	      "   clearomap <obj-name> [obj-name2 obj-name3...] clear all the omap keys\n"
	      "   listwatchers <obj-name>          list the watchers of this object\n"
	      "   bench <seconds> write|seq|rand [-t concurrent_operations] [--no-cleanup]\n"
	      "         [--run-name run_name] [--no-hints] [--no-verify]\n"
	      "                                    default is 16 concurrent IOs and 4 MB ops\n"
	      "                                    default is to clean up after write benchmark\n"
	      "                                    default run-name is 'benchmark_last_metadata'\n"
	      "   cleanup [--run-name run_name] [--prefix prefix]\n"
	      "                                    clean up a previous benchmark operation\n"
	      "                                    default run-name is 'benchmark_last_metadata'\n"
	      "\n"
	      "GLOBAL OPTIONS:\n"
	      "   -p pool, --pool=pool             select given pool by name\n"
	      "   -N namespace, --namespace=namespace\n"
	      "                                    specify the namespace to use for the object\n"
	      "   --object-locator object_locator  set object_locator for operation\n"
	      "   --all                            with ls: list objects in all namespaces\n"
	      "   --default                        with ls: only the default namespace\n"
	      "   -f, --format plain|json|json-pretty\n"
	      "   -b op_size                       block size for put/get and write benchmarking\n"
	      "   -O object_size                   object size for write benchmarking\n"
	      "   --max-objects N                  max number of objects for write benchmarking\n"
	      "   -t N, --concurrent-ios=N         number of concurrent I/O operations\n"
	      "   --input-file file                setomapval: the value is the file's content\n"
	      "   --connect-timeout seconds        give up connecting after this long\n"
	      "\n"
	      "GENERIC OPTIONS:\n"
	      "  --conf/-c FILE    read configuration from the given configuration file\n"
	      "  -m MONADDRESS[:PORT]  connect to the given monitor(s)\n"
	      "  --id ID           set ID portion of my name\n"
	      "  --name/-n TYPE.ID set name\n"
	      "  --keyring/-k FILE keyring (accepted; no authentication yet)\n"
	      "  --cluster NAME    set cluster name (default: ceph)\n",
	      f);
}

/* ---- pool commands ---------------------------------------------------- */

/* The pool names, as librados lists them (a NUL-separated list ending
 * in an empty string), malloc'd. */
static int pool_names(struct rados_cli *cli, char **out)
{
	size_t len = 256;

	for (int tries = 0; tries < 8; tries++) {
		char *buf = calloc(1, len);
		int rc;

		if (!buf)
			return -ENOMEM;
		rc = rados_pool_list(cli->cluster, buf, len);
		if (rc < 0) {
			free(buf);
			return rc;
		}
		if ((size_t)rc <= len) {
			*out = buf;
			return 0;
		}
		free(buf);
		len = (size_t)rc + 256; /* pools were added meanwhile: retry */
	}
	return -EAGAIN;
}

static int cmd_lspools(struct rados_cli *cli, int argc, char **argv)
{
	char *names;
	int rc;

	rc = pool_names(cli, &names);
	if (rc) {
		rados_cli_err(rc, "error listing pools");
		return rc;
	}
	for (const char *p = names; *p; p += strlen(p) + 1)
		printf("%s\n", p);
	free(names);
	return 0;
}

static int cmd_mkpool(struct rados_cli *cli, int argc, char **argv)
{
	int rc = rados_pool_create(cli->cluster, argv[0]);

	if (rc) {
		rados_cli_err(rc, "error creating pool %s", argv[0]);
		return rc;
	}
	printf("successfully created pool %s\n", argv[0]);
	return 0;
}

/* Older Ceph releases' rule: the name twice and the long flag. */
static int cmd_rmpool(struct rados_cli *cli, int argc, char **argv)
{
	const char *pool = argv[0];
	int rc;

	if (argc < 2 || strcmp(argv[0], argv[1]) || !cli->sure) {
		fprintf(stderr,
			"WARNING:\n"
			"  This will PERMANENTLY DESTROY all data stored in pool %s\n"
			"  If you are *ABSOLUTELY CERTAIN* that is what you want, pass the pool name "
			"*twice*,\n"
			"  followed by --yes-i-really-really-mean-it.\n",
			pool);
		return -EPERM;
	}
	rc = rados_pool_delete(cli->cluster, pool);
	if (rc == -ENOENT) {
		fprintf(stderr, "pool %s does not exist\n", pool);
		return rc;
	}
	if (rc) {
		rados_cli_err(rc, "error deleting pool %s", pool);
		return rc;
	}
	printf("successfully deleted pool %s\n", pool);
	return 0;
}

/* ---- purge ------------------------------------------------------------ */

struct purge_obj {
	char *ns, *key, *name;
};

static void purge_free(struct purge_obj *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].ns);
		free(v[i].key);
		free(v[i].name);
	}
	free(v);
}

/* purge POOL --yes-i-really-really-mean-it: every object of the pool, in
 * every namespace, removed; the pool stays. */
static int cmd_purge(struct rados_cli *cli, int argc, char **argv)
{
	const char *pool = argv[0], *name, *key, *ns;
	struct purge_obj *v = NULL;
	size_t n = 0, cap = 0;
	rados_list_ctx_t ctx;
	rados_ioctx_t io;
	bool opened;
	int rc;

	(void)argc;
	if (!cli->sure) {
		fprintf(stderr, "WARNING:\n"
				"  This will PERMANENTLY DESTROY all objects from a pool with no way "
				"back.\n"
				"  To confirm, follow pool with --yes-i-really-really-mean-it\n");
		return -EPERM;
	}
	rc = rados_ioctx_create(cli->cluster, pool, &io);
	if (rc) {
		rados_cli_err(rc, "error pool %s", pool);
		return rc;
	}
	rados_ioctx_set_namespace(io, LIBRADOS_ALL_NSPACES);
	rc = rados_nobjects_list_open(io, &ctx);
	opened = rc == 0;
	while (!rc && (rc = rados_nobjects_list_next(ctx, &name, &key, &ns)) == 0) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct purge_obj *nv = realloc(v, nc * sizeof(*nv));

			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			v = nv;
			cap = nc;
		}
		v[n].ns = strdup(ns ? ns : "");
		v[n].key = strdup(key ? key : "");
		v[n].name = strdup(name);
		n++;
		if (!v[n - 1].ns || !v[n - 1].key || !v[n - 1].name)
			rc = -ENOMEM;
	}
	if (opened)
		rados_nobjects_list_close(ctx);
	if (rc == -ENOENT)
		rc = 0; /* the end of the listing */
	for (size_t i = 0; !rc && i < n; i++) {
		rados_ioctx_set_namespace(io, v[i].ns);
		rados_ioctx_locator_set_key(io, v[i].key);
		rc = rados_remove(io, v[i].name);
		if (rc == -ENOENT)
			rc = 0; /* removed meanwhile */
	}
	purge_free(v, n);
	rados_ioctx_destroy(io);
	if (rc) {
		rados_cli_err(rc, "error purging pool %s", pool);
		return rc;
	}
	printf("Removed %zu objects\nsuccessfully purged pool %s\n", n, pool);
	return 0;
}

/* ---- df --------------------------------------------------------------- */

#define DF_COLS 14

struct df_row {
	char *name;
	int64_t id;
	struct rados_pool_stat_t st;
};

static int df_row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct df_row *)a)->name, ((const struct df_row *)b)->name);
}

/* Ceph's TextTable: two spaces between columns, the first column left
 * aligned, the others right aligned, each as wide as its widest cell. */
static void df_print_table(const struct df_row *rows, size_t n)
{
	static const char *const head[DF_COLS] = {
		"POOL_NAME", "USED",	 "OBJECTS",  "CLONES", "COPIES", "MISSING_ON_PRIMARY",
		"UNFOUND",   "DEGRADED", "RD_OPS",   "RD",     "WR_OPS", "WR",
		"USED COMPR", "UNDER COMPR"};
	size_t w[DF_COLS];
	char(*cell)[DF_COLS][32] = calloc(n ? n : 1, sizeof(*cell));

	if (!cell) {
		fprintf(stderr, "rados: out of memory\n");
		return;
	}
	for (int c = 0; c < DF_COLS; c++)
		w[c] = strlen(head[c]);
	for (size_t i = 0; i < n; i++) {
		const struct rados_pool_stat_t *s = &rows[i].st;

		rados_cli_fmt_bytes(s->num_bytes, cell[i][1], 32);
		snprintf(cell[i][2], 32, "%llu", (unsigned long long)s->num_objects);
		snprintf(cell[i][3], 32, "%llu", (unsigned long long)s->num_object_clones);
		snprintf(cell[i][4], 32, "%llu", (unsigned long long)s->num_object_copies);
		snprintf(cell[i][5], 32, "%llu",
			 (unsigned long long)s->num_objects_missing_on_primary);
		snprintf(cell[i][6], 32, "%llu", (unsigned long long)s->num_objects_unfound);
		snprintf(cell[i][7], 32, "%llu", (unsigned long long)s->num_objects_degraded);
		snprintf(cell[i][8], 32, "%llu", (unsigned long long)s->num_rd);
		rados_cli_fmt_bytes(s->num_rd_kb * 1024, cell[i][9], 32);
		snprintf(cell[i][10], 32, "%llu", (unsigned long long)s->num_wr);
		rados_cli_fmt_bytes(s->num_wr_kb * 1024, cell[i][11], 32);
		rados_cli_fmt_bytes(s->compressed_bytes_alloc, cell[i][12], 32);
		rados_cli_fmt_bytes(s->compressed_bytes_orig, cell[i][13], 32);
		if (strlen(rows[i].name) > w[0])
			w[0] = strlen(rows[i].name);
		for (int c = 1; c < DF_COLS; c++)
			if (strlen(cell[i][c]) > w[c])
				w[c] = strlen(cell[i][c]);
	}
	printf("%-*s", (int)w[0], head[0]);
	for (int c = 1; c < DF_COLS; c++)
		printf("  %*s", (int)w[c], head[c]);
	putchar('\n');
	for (size_t i = 0; i < n; i++) {
		printf("%-*s", (int)w[0], rows[i].name);
		for (int c = 1; c < DF_COLS; c++)
			printf("  %*s", (int)w[c], cell[i][c]);
		putchar('\n');
	}
	free(cell);
}

static json_t *df_pool_json(const struct df_row *r)
{
	const struct rados_pool_stat_t *s = &r->st;

	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
			 "s:I, s:I}",
			 "name", r->name, "id", (json_int_t)r->id, "size_bytes",
			 (json_int_t)s->num_bytes, "size_kb", (json_int_t)s->num_kb,
			 "num_objects", (json_int_t)s->num_objects, "num_object_clones",
			 (json_int_t)s->num_object_clones, "num_object_copies",
			 (json_int_t)s->num_object_copies, "num_objects_missing_on_primary",
			 (json_int_t)s->num_objects_missing_on_primary, "num_objects_unfound",
			 (json_int_t)s->num_objects_unfound, "num_objects_degraded",
			 (json_int_t)s->num_objects_degraded, "read_ops", (json_int_t)s->num_rd,
			 "read_bytes", (json_int_t)(s->num_rd_kb * 1024), "write_ops",
			 (json_int_t)s->num_wr, "write_bytes", (json_int_t)(s->num_wr_kb * 1024),
			 "compress_bytes_used", (json_int_t)s->compressed_bytes_alloc,
			 "compress_under_bytes", (json_int_t)s->compressed_bytes_orig);
}

/* Prints a JSON value as Ceph's formatters do: compact without a final
 * newline, pretty with 4-space indents and one. */
static int print_json(struct rados_cli *cli, json_t *v)
{
	size_t flags = cli->format == RADOS_CLI_JSON_PRETTY ? JSON_INDENT(4) : JSON_COMPACT;
	char *s = json_dumps(v, flags | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

	if (!s)
		return -ENOMEM;
	fputs(s, stdout);
	if (cli->format == RADOS_CLI_JSON_PRETTY)
		putchar('\n');
	free(s);
	return 0;
}

static int df_json(struct rados_cli *cli, const struct df_row *rows, size_t n,
		   const struct rados_cluster_stat_t *cs)
{
	json_t *root, *pools = json_array();
	int rc;

	for (size_t i = 0; pools && i < n; i++) {
		json_t *p = df_pool_json(&rows[i]);

		if (!p || json_array_append_new(pools, p)) {
			json_decref(pools);
			return -ENOMEM;
		}
	}
	root = json_pack("{s:o, s:I, s:I, s:I, s:I}", "pools", pools, "total_objects",
			 (json_int_t)cs->num_objects, "total_used", (json_int_t)cs->kb_used,
			 "total_avail", (json_int_t)cs->kb_avail, "total_space",
			 (json_int_t)cs->kb);
	if (!root)
		return -ENOMEM;
	rc = print_json(cli, root);
	json_decref(root);
	return rc;
}

static int cmd_df(struct rados_cli *cli, int argc, char **argv)
{
	struct rados_cluster_stat_t cs;
	struct df_row *rows = NULL;
	size_t n = 0, cap = 0;
	char *names = NULL, buf[32];
	int rc;

	rc = pool_names(cli, &names);
	if (rc) {
		rados_cli_err(rc, "error listing pools");
		return rc;
	}
	for (const char *p = names; *p; p += strlen(p) + 1) {
		rados_ioctx_t io;

		if (cli->pool && strcmp(cli->pool, p))
			continue;
		if (n == cap) {
			struct df_row *nr;

			cap = cap ? cap * 2 : 16;
			nr = realloc(rows, cap * sizeof(*rows));
			if (!nr) {
				rc = -ENOMEM;
				goto out;
			}
			rows = nr;
		}
		memset(&rows[n], 0, sizeof(rows[n]));
		rc = rados_ioctx_create(cli->cluster, p, &io);
		if (rc == -ENOENT)
			continue; /* deleted since the listing */
		if (rc) {
			rados_cli_err(rc, "error opening pool %s", p);
			goto out;
		}
		rows[n].name = (char *)p;
		rows[n].id = rados_ioctx_get_id(io);
		rc = rados_ioctx_pool_stat(io, &rows[n].st);
		rados_ioctx_destroy(io);
		if (rc) {
			rados_cli_err(rc, "error getting pool stats for pool %s", p);
			goto out;
		}
		n++;
	}
	if (cli->pool && n == 0) {
		rc = -ENOENT;
		rados_cli_err(rc, "error opening pool %s", cli->pool);
		goto out;
	}
	rc = rados_cluster_stat(cli->cluster, &cs);
	if (rc) {
		rados_cli_err(rc, "error getting total cluster usage");
		goto out;
	}
	if (n)
		qsort(rows, n, sizeof(*rows), df_row_cmp);
	if (cli->format != RADOS_CLI_PLAIN) {
		rc = df_json(cli, rows, n, &cs);
		goto out;
	}
	df_print_table(rows, n);
	printf("\ntotal_objects    %llu\n", (unsigned long long)cs.num_objects);
	rados_cli_fmt_bytes(cs.kb_used * 1024, buf, sizeof(buf));
	printf("total_used       %s\n", buf);
	rados_cli_fmt_bytes(cs.kb_avail * 1024, buf, sizeof(buf));
	printf("total_avail      %s\n", buf);
	rados_cli_fmt_bytes(cs.kb * 1024, buf, sizeof(buf));
	printf("total_space      %s\n", buf);
out:
	free(rows);
	free(names);
	return rc;
}

/* ---- ls --------------------------------------------------------------- */

static void ls_print_json_item(struct rados_cli *cli, bool first, const char *ns,
			       const char *name, const char *key)
{
	json_t *o = json_pack("{s:s, s:s}", "namespace", ns, "name", name);
	char *s;

	if (o && key && *key)
		json_object_set_new(o, "locator", json_string(key));
	if (cli->format == RADOS_CLI_JSON_PRETTY) {
		/* Each item one level down in the array: indent it by 4. */
		s = json_dumps(o, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
		fputs(first ? "\n    " : ",\n    ", stdout);
		for (const char *c = s; c && *c; c++) {
			putchar(*c);
			if (*c == '\n')
				fputs("    ", stdout);
		}
	} else {
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!first)
			putchar(',');
		fputs(s ? s : "", stdout);
	}
	free(s);
	json_decref(o);
}

static int cmd_ls(struct rados_cli *cli, int argc, char **argv)
{
	rados_list_ctx_t ctx;
	const char *name, *key, *ns;
	bool json = cli->format != RADOS_CLI_PLAIN, first = true;
	int rc;

	if (cli->all_nspaces)
		rados_ioctx_set_namespace(cli->io, LIBRADOS_ALL_NSPACES);
	rc = rados_nobjects_list_open(cli->io, &ctx);
	if (rc) {
		rados_cli_err(rc, "error listing objects in pool %s", cli->pool);
		return rc;
	}
	if (json)
		putchar('[');
	while ((rc = rados_nobjects_list_next(ctx, &name, &key, &ns)) == 0) {
		if (!ns)
			ns = "";
		if (json) {
			ls_print_json_item(cli, first, ns, name, key);
		} else {
			if (cli->all_nspaces)
				printf("%s\t", ns);
			fputs(name, stdout);
			if (key && *key)
				printf("\t%s", key);
			putchar('\n');
		}
		first = false;
	}
	rados_nobjects_list_close(ctx);
	if (json) {
		fputs(cli->format == RADOS_CLI_JSON_PRETTY && !first ? "\n]" : "]", stdout);
		if (cli->format == RADOS_CLI_JSON_PRETTY)
			putchar('\n');
	}
	if (rc == -ENOENT)
		return 0; /* the end of the listing */
	fflush(stdout);
	rados_cli_err(rc, "error listing objects in pool %s", cli->pool);
	return rc;
}

/* ---- the tables ------------------------------------------------------- */

static const struct rados_cli_cmd rados_cmds[] = {
	{.name = "lspools", .fn = cmd_lspools},
	{.name = "mkpool", .min_args = 1, .max_args = 1, .fn = cmd_mkpool},
	{.name = "rmpool", .min_args = 1, .max_args = 2, .fn = cmd_rmpool},
	{.name = "purge", .min_args = 1, .max_args = 1, .fn = cmd_purge},
	{.name = "df", .fn = cmd_df},
	{.name = "ls", .needs_pool = true, .fn = cmd_ls},
	{.name = "put", .min_args = 2, .max_args = 2, .needs_pool = true, .fn = rados_cli_put},
	{.name = "get", .min_args = 2, .max_args = 2, .needs_pool = true, .fn = rados_cli_get},
	{.name = "append", .min_args = 2, .max_args = 2, .needs_pool = true,
	 .fn = rados_cli_append},
	{.name = "rm", .min_args = 1, .max_args = -1, .needs_pool = true, .fn = rados_cli_rm},
	{.name = "stat", .min_args = 1, .max_args = 1, .needs_pool = true, .fn = rados_cli_stat},
	{.name = "truncate", .min_args = 2, .max_args = 2, .needs_pool = true,
	 .fn = rados_cli_truncate},
	{.name = "create", .min_args = 1, .max_args = 1, .needs_pool = true,
	 .fn = rados_cli_create},
	{.name = "setxattr", .min_args = 2, .max_args = 3, .needs_pool = true,
	 .fn = rados_cli_setxattr},
	{.name = "getxattr", .min_args = 2, .max_args = 2, .needs_pool = true,
	 .fn = rados_cli_getxattr},
	{.name = "listxattr", .min_args = 1, .max_args = 1, .needs_pool = true,
	 .fn = rados_cli_listxattr},
	{.name = "rmxattr", .min_args = 2, .max_args = 2, .needs_pool = true,
	 .fn = rados_cli_rmxattr},
	{.name = "setomapval", .min_args = 2, .max_args = 3, .needs_pool = true,
	 .fn = rados_cli_setomapval},
	{.name = "getomapval", .min_args = 2, .max_args = 3, .needs_pool = true,
	 .fn = rados_cli_getomapval},
	{.name = "listomapkeys", .min_args = 1, .max_args = 1, .needs_pool = true,
	 .fn = rados_cli_listomapkeys},
	{.name = "listomapvals", .min_args = 1, .max_args = 1, .needs_pool = true,
	 .fn = rados_cli_listomapvals},
	{.name = "rmomapkey", .min_args = 2, .max_args = 2, .needs_pool = true,
	 .fn = rados_cli_rmomapkey},
	{.name = "clearomap", .min_args = 1, .max_args = -1, .needs_pool = true,
	 .fn = rados_cli_clearomap},
	{.name = "cp", .min_args = 1, .max_args = 2, .needs_pool = true, .fn = rados_cli_cp},
	{.name = "lssnap", .needs_pool = true, .fn = rados_cli_lssnap},
	{.name = "listwatchers", .min_args = 1, .max_args = 1, .needs_pool = true,
	 .fn = rados_cli_listwatchers},
	{.name = "bench", .min_args = 2, .max_args = 2, .needs_pool = true,
	 .fn = rados_cli_bench},
	{.name = "cleanup", .needs_pool = true, .fn = rados_cli_cleanup},
};

enum opt_kind {
	OPT_FLAG,   /* bool, set to true */
	OPT_UNFLAG, /* bool, set to false */
	OPT_STR,    /* const char * */
	OPT_SIZE,   /* uint64_t with IEC units; `set` flag at set_off */
	OPT_COUNT,  /* uint64_t, plain */
	OPT_INT,    /* int > 0 */
	OPT_FORMAT, /* plain | json | json-pretty */
	OPT_TIMEOUT /* seconds, passed to librados as client_mount_timeout */
};

struct rados_opt {
	const char *lng, *shrt;
	enum opt_kind kind;
	size_t off;	/* into struct rados_cli */
	ssize_t set_off; /* bool "given" flag, or -1 */
	const char *what; /* how errors name the value */
};

#define CLI_OFF(f) offsetof(struct rados_cli, f)
static const struct rados_opt rados_opts[] = {
	{"--conf", "-c", OPT_STR, CLI_OFF(conf_path), -1, "conf"},
	{"--pool", "-p", OPT_STR, CLI_OFF(pool), -1, "pool"},
	{"--namespace", "-N", OPT_STR, CLI_OFF(nspace), -1, "namespace"},
	{"--object-locator", NULL, OPT_STR, CLI_OFF(locator), -1, "object locator"},
	{"--format", "-f", OPT_FORMAT, CLI_OFF(format), -1, "format"},
	{"--all", NULL, OPT_FLAG, CLI_OFF(all_nspaces), -1, NULL},
	{"--default", NULL, OPT_UNFLAG, CLI_OFF(all_nspaces), -1, NULL},
	{"--yes-i-really-really-mean-it", NULL, OPT_FLAG, CLI_OFF(sure), -1, NULL},
	{"--no-cleanup", NULL, OPT_FLAG, CLI_OFF(no_cleanup), -1, NULL},
	{"--no-verify", NULL, OPT_FLAG, CLI_OFF(no_verify), -1, NULL},
	{"--no-hints", NULL, OPT_FLAG, CLI_OFF(no_hints), -1, NULL},
	{"--block-size", "-b", OPT_SIZE, CLI_OFF(op_size), CLI_OFF(op_size_set), "block-size"},
	{"--object-size", "-O", OPT_SIZE, CLI_OFF(object_size), CLI_OFF(object_size_set),
	 "object-size"},
	{"--offset", NULL, OPT_SIZE, CLI_OFF(offset), CLI_OFF(offset_set), "offset"},
	{"--max-objects", NULL, OPT_COUNT, CLI_OFF(max_objects), -1, "max-objects"},
	{"--concurrent-ios", "-t", OPT_INT, CLI_OFF(concurrent), -1, "concurrent-ios"},
	{"--run-name", NULL, OPT_STR, CLI_OFF(run_name), -1, "run-name"},
	{"--prefix", NULL, OPT_STR, CLI_OFF(prefix), -1, "prefix"},
	{"--input-file", NULL, OPT_STR, CLI_OFF(input_file), -1, "input-file"},
	{"--connect-timeout", NULL, OPT_TIMEOUT, 0, -1, "connect-timeout"},
};

/* Applies one option's value; 0 or -EINVAL with the message printed. */
static int opt_apply(struct rados_cli *cli, const struct rados_opt *o, const char *val,
		     const char **timeout)
{
	char *base = (char *)cli, err[128];
	long long ll;
	int rc;

	switch (o->kind) {
	case OPT_FLAG:
	case OPT_UNFLAG:
		*(bool *)(base + o->off) = o->kind == OPT_FLAG;
		return 0;
	case OPT_STR:
		*(const char **)(base + o->off) = val;
		return 0;
	case OPT_SIZE:
		rc = rados_cli_parse_iec(val, (uint64_t *)(base + o->off), err, sizeof(err));
		if (rc) {
			fprintf(stderr, "Invalid value for %s: '%s': %s\n", o->what, val, err);
			return -EINVAL;
		}
		*(bool *)(base + o->set_off) = true;
		return 0;
	case OPT_COUNT:
	case OPT_INT:
		if (rados_cli_parse_ll(val, &ll) || ll < 0 ||
		    (o->kind == OPT_INT && (ll < 1 || ll > 1024 * 1024))) {
			fprintf(stderr, "Invalid value for %s: '%s'%s\n", o->what, val,
				o->kind == OPT_INT ? " (expected 1 to 1048576)" : "");
			return -EINVAL;
		}
		if (o->kind == OPT_INT)
			*(int *)(base + o->off) = (int)ll;
		else
			*(uint64_t *)(base + o->off) = (uint64_t)ll;
		return 0;
	case OPT_FORMAT:
		if (!strcmp(val, "plain")) {
			cli->format = RADOS_CLI_PLAIN;
		} else if (!strcmp(val, "json")) {
			cli->format = RADOS_CLI_JSON;
		} else if (!strcmp(val, "json-pretty")) {
			cli->format = RADOS_CLI_JSON_PRETTY;
		} else {
			fprintf(stderr, "unrecognized format: %s (plain, json or json-pretty)\n",
				val);
			return -EINVAL;
		}
		return 0;
	case OPT_TIMEOUT:
		*timeout = val;
		return 0;
	}
	return -EINVAL;
}

/*
 * Takes our own options out of argv (compacting it in place); Ceph's
 * common options (-c, -m, --id, -n, -k, --cluster, --<conf option>) stay
 * for librados.  Returns 0, 1 for --help, or -EINVAL.
 */
static int parse_opts(struct rados_cli *cli, int *argcp, char **argv, const char **timeout)
{
	int argc = *argcp, w = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const struct rados_opt *o = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return 1;
		if (!strcmp(a, "--")) {
			while (i < argc)
				argv[w++] = argv[i++];
			break;
		}
		for (size_t k = 0; !o && k < sizeof(rados_opts) / sizeof(rados_opts[0]); k++) {
			const struct rados_opt *c = &rados_opts[k];
			size_t n = strlen(c->lng);

			if (!strcmp(a, c->lng) || (c->shrt && !strcmp(a, c->shrt))) {
				o = c;
			} else if (!strncmp(a, c->lng, n) && a[n] == '=') {
				o = c;
				val = a + n + 1;
			}
		}
		if (!o) {
			argv[w++] = argv[i];
			continue;
		}
		if (!val && o->kind != OPT_FLAG && o->kind != OPT_UNFLAG) {
			if (i + 1 >= argc) {
				fprintf(stderr, "rados: option %s needs a value\n", a);
				return -EINVAL;
			}
			val = argv[++i];
		}
		if (val && (o->kind == OPT_FLAG || o->kind == OPT_UNFLAG)) {
			fprintf(stderr, "rados: option %s takes no value\n", o->lng);
			return -EINVAL;
		}
		if (opt_apply(cli, o, val, timeout))
			return -EINVAL;
	}
	*argcp = w;
	argv[w] = NULL;
	return 0;
}

static bool looks_numeric(const char *s)
{
	long long v;

	return rados_cli_parse_ll(s, &v) == 0;
}

/* The entity name from --id/-i/--user ID or -n/--name TYPE.ID (argv
 * wins over CEPH_ARGS); librados takes it at creation.  "client.admin"
 * when neither says. */
static void entity_name(int argc, char **argv, char *name, size_t len)
{
	const char *env = getenv("CEPH_ARGS");
	char *copy = env ? strdup(env) : NULL, *save = NULL, *tok;
	const char *words[64];
	int nw = 0;

	snprintf(name, len, "client.admin");
	for (tok = copy ? strtok_r(copy, " \t\n", &save) : NULL; tok && nw < 64;
	     tok = strtok_r(NULL, " \t\n", &save))
		words[nw++] = tok;
	for (int pass = 0; pass < 2; pass++) {
		int n = pass ? argc : nw;

		for (int i = pass; i < n; i++) {
			const char *a = pass ? argv[i] : words[i], *v = NULL;
			const char *next = i + 1 < n ? (pass ? argv[i + 1] : words[i + 1]) : NULL;
			bool is_id = false;

			if (!strcmp(a, "--id") || !strcmp(a, "-i") || !strcmp(a, "--user")) {
				v = next;
				is_id = true;
			} else if (!strncmp(a, "--id=", 5)) {
				v = a + 5;
				is_id = true;
			} else if (!strcmp(a, "-n") || !strcmp(a, "--name")) {
				v = next;
			} else if (!strncmp(a, "--name=", 7)) {
				v = a + 7;
			}
			if (!v)
				continue;
			if (is_id)
				snprintf(name, len, "client.%s", v);
			else
				snprintf(name, len, "%s", v);
		}
	}
	free(copy);
}

/* librados from the remaining arguments: CEPH_ARGS, then argv, then the
 * conf file.  Leaves in argv only what librados did not take. */
static int cluster_setup(struct rados_cli *cli, int *argcp, char **argv, const char *timeout)
{
	int argc = *argcp, w = 1, rc;
	const char **rem;
	char name[256];

	entity_name(argc, argv, name, sizeof(name));
	rc = rados_create2(&cli->cluster, NULL, name, 0);
	if (rc) {
		rados_cli_err(rc, "rados: cannot create a cluster handle");
		return rc;
	}
	rc = rados_conf_parse_env(cli->cluster, NULL);
	if (rc) {
		rados_cli_err(rc, "rados: bad CEPH_ARGS");
		return rc;
	}
	rem = calloc((size_t)argc + 1, sizeof(*rem));
	if (!rem)
		return -ENOMEM;
	rc = rados_conf_parse_argv_remainder(cli->cluster, argc, (const char **)argv, rem);
	if (rc) {
		free(rem);
		rados_cli_err(rc, "rados: bad arguments");
		return rc;
	}
	for (int i = 1; i < argc; i++)
		if (rem[i])
			argv[w++] = argv[i];
	free(rem);
	*argcp = w;
	argv[w] = NULL;
	/* -c is ours to pass on: not every librados reads it from argv.
	 * Without -c a missing default file is fine (-m may be enough). */
	rc = rados_conf_read_file(cli->cluster, cli->conf_path);
	if (rc && (rc != -ENOENT || cli->conf_path)) {
		rados_cli_err(rc, "rados: error reading the configuration file %s",
			      cli->conf_path ? cli->conf_path : "(default search path)");
		return rc;
	}
	if (timeout) {
		rc = rados_conf_set(cli->cluster, "client_mount_timeout", timeout);
		if (rc) {
			fprintf(stderr, "Invalid value for connect-timeout: '%s'\n", timeout);
			return rc;
		}
	}
	return 0;
}

static const struct rados_cli_cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < sizeof(rados_cmds) / sizeof(rados_cmds[0]); i++)
		if (!strcmp(name, rados_cmds[i].name))
			return &rados_cmds[i];
	return NULL;
}

static int open_pool(struct rados_cli *cli, const struct rados_cli_cmd *cmd)
{
	int rc;

	if (!cli->pool) {
		if (!strcmp(cmd->name, "ls"))
			fprintf(stderr, "either pool name or pg id needs to be specified\n");
		else
			fprintf(stderr, "rados: %s needs a pool: -p POOL\n", cmd->name);
		return -EINVAL;
	}
	rc = rados_ioctx_create(cli->cluster, cli->pool, &cli->io);
	if (rc) {
		rados_cli_err(rc, "error opening pool %s", cli->pool);
		return rc;
	}
	if (cli->nspace)
		rados_ioctx_set_namespace(cli->io, cli->nspace);
	if (cli->locator)
		rados_ioctx_locator_set_key(cli->io, cli->locator);
	return 0;
}

int main(int argc, char **argv)
{
	struct rados_cli cli = {
		.format = RADOS_CLI_PLAIN,
		.op_size = RADOS_DEFAULT_OP_SIZE,
		.concurrent = RADOS_DEFAULT_CONCURRENT,
	};
	const struct rados_cli_cmd *cmd;
	const char *timeout = NULL;
	int rc, nargs, exit_code = 1;

	/* A closed pipe (rados get obj - | head) is an error to report,
	 * not a signal to die of. */
	signal(SIGPIPE, SIG_IGN);
	rc = parse_opts(&cli, &argc, argv, &timeout);
	if (rc == 1) {
		usage(stdout);
		return 0;
	}
	if (rc)
		return 1;
	if (!cli.object_size_set)
		cli.object_size = cli.op_size;
	rc = cluster_setup(&cli, &argc, argv, timeout);
	if (rc)
		goto out;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] && !looks_numeric(argv[i])) {
			fprintf(stderr, "rados: unrecognized option '%s'; -h or --help for usage\n",
				argv[i]);
			goto out;
		}
	}
	if (argc < 2) {
		fprintf(stderr, "rados: you must give an action. Try --help\n");
		goto out;
	}
	cmd = cmd_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "unrecognized command %s; -h or --help for usage\n", argv[1]);
		goto out;
	}
	nargs = argc - 2;
	if (nargs < cmd->min_args || (cmd->max_args >= 0 && nargs > cmd->max_args)) {
		fprintf(stderr, "rados: wrong number of arguments for '%s'; -h or --help for usage\n",
			cmd->name);
		goto out;
	}
	rc = rados_connect(cli.cluster);
	if (rc) {
		rados_cli_err(rc, "couldn't connect to cluster");
		goto out;
	}
	if (cmd->needs_pool) {
		rc = open_pool(&cli, cmd);
		if (rc)
			goto out;
	}
	rc = cmd->fn(&cli, nargs, argv + 2);
	if (fflush(stdout) && !rc) {
		rados_cli_err(-errno, "error writing to standard output");
		rc = -EIO;
	}
	exit_code = rc ? 1 : 0;
out:
	if (cli.io)
		rados_ioctx_destroy(cli.io);
	if (cli.cluster)
		rados_shutdown(cli.cluster);
	return exit_code;
}
