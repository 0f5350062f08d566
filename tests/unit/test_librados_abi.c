/*
 * librados.so.2 as a program sees it: the dynamic symbol table holds every
 * rados_* function that python3-rados, python3-rbd, qemu and fio bind
 * (tests/data/abi/librados-needed.txt), the four LIBRADOS_14.2.0 ones in
 * that version node, and nothing but rados_* symbols; loaded with dlopen,
 * the handle-level calls keep their contracts before any monitor exists
 * (version, configuration, -ENOTCONN) and the stubs return -EOPNOTSUPP.
 * Skips when the library is not built.
 */
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rados/librados.h"

static char lib_path[4096];
static void *lib;

static void *sym(const char *name)
{
	void *p = dlsym(lib, name);

	if (!p)
		fail_msg("dlsym %s: %s", name, dlerror());
	return p;
}

/* Is "name" (with @@ver if ver) among the exported symbols in syms? */
static int has_symbol(char **syms, size_t n, const char *name,
		      const char *ver)
{
	char want[256];

	snprintf(want, sizeof(want), "%s%s%s", name, ver ? "@@" : "",
		 ver ? ver : "");
	for (size_t i = 0; i < n; i++)
		if (strcmp(syms[i], want) == 0)
			return 1;
	return 0;
}

static void test_exports(void **state)
{
	static const char *versioned[] = { "rados_ioctx_pool_stat",
		"rados_tmap_get", "rados_tmap_put", "rados_tmap_update" };
	char cmd[4200], line[512], path[4096];
	char **syms = NULL;
	size_t n = 0, cap = 0, needed = 0;
	FILE *f;

	(void)state;
	snprintf(cmd, sizeof(cmd), "nm -D --defined-only '%s'", lib_path);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char addr[64], type[8], name[400];

		if (sscanf(line, "%63s %7s %399s", addr, type, name) != 3)
			continue;
		/* The version node's own marker symbol is not an export. */
		if (strcmp(type, "A") == 0)
			continue;
		if (strncmp(name, "rados_", 6) != 0)
			fail_msg("unexpected export %s", name);
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			syms = realloc(syms, cap * sizeof(*syms));
			assert_non_null(syms);
		}
		syms[n++] = strdup(name);
	}
	assert_int_equal(pclose(f), 0);

	snprintf(path, sizeof(path), "%s/tests/data/abi/librados-needed.txt",
		 getenv("LOLIGO_SRC") ? getenv("LOLIGO_SRC") : ".");
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		int is_versioned = 0;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		for (size_t i = 0; i < 4; i++)
			if (strcmp(line, versioned[i]) == 0)
				is_versioned = 1;
		if (!has_symbol(syms, n, line,
				is_versioned ? "LIBRADOS_14.2.0" : NULL))
			fail_msg("%s is not exported%s", line,
				 is_versioned ? " as @@LIBRADOS_14.2.0" : "");
		needed++;
	}
	fclose(f);
	assert_int_equal(needed, 155);
	for (size_t i = 0; i < 4; i++)
		assert_true(has_symbol(syms, n, versioned[i], "LIBRADOS_14.2.0"));
	for (size_t i = 0; i < n; i++)
		free(syms[i]);
	free(syms);
}

static void test_version_and_conf(void **state)
{
	void (*version)(int *, int *, int *) = sym("rados_version");
	int (*create)(rados_t *, const char *) = sym("rados_create");
	int (*create2)(rados_t *, const char *, const char *, uint64_t) =
		sym("rados_create2");
	int (*conf_set)(rados_t, const char *, const char *) =
		sym("rados_conf_set");
	int (*conf_get)(rados_t, const char *, char *, size_t) =
		sym("rados_conf_get");
	int (*parse_rem)(rados_t, int, const char **, const char **) =
		sym("rados_conf_parse_argv_remainder");
	int (*read_file)(rados_t, const char *) = sym("rados_conf_read_file");
	void (*shutdown)(rados_t) = sym("rados_shutdown");
	const char *argv[] = { "prog", "--mon-host", "127.0.0.1:1", "keep",
			       "-i", "bob", "also" };
	const char *rem[7];
	rados_t c;
	char buf[64];
	int maj = -1, min = -1, extra = -1;

	(void)state;
	version(&maj, &min, &extra);
	assert_int_equal(maj, 3);
	assert_int_equal(min, 0);
	assert_int_equal(extra, 0);
	version(NULL, NULL, NULL);

	assert_int_equal(create(&c, NULL), 0);
	assert_int_equal(conf_get(c, "name", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "client.admin");
	assert_int_equal(conf_set(c, "mon_host", "127.0.0.1:6789"), 0);
	assert_int_equal(conf_get(c, "mon host", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "127.0.0.1:6789");
	assert_int_equal(conf_get(c, "mon_host", buf, 4), -ENAMETOOLONG);
	assert_int_equal(conf_set(c, "no_such_option_here", "1"), -ENOENT);
	assert_int_equal(read_file(c, "/nonexistent/ceph.conf"), -ENOENT);

	assert_int_equal(parse_rem(c, 7, argv, rem), 0);
	assert_ptr_equal(rem[0], argv[0]);
	assert_null(rem[1]);
	assert_null(rem[2]);
	assert_ptr_equal(rem[3], argv[3]);
	assert_null(rem[4]);
	assert_null(rem[5]);
	assert_ptr_equal(rem[6], argv[6]);
	assert_int_equal(conf_get(c, "name", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "client.bob");
	shutdown(c);

	/* python3-rados passes "" for an unnamed cluster. */
	assert_int_equal(create2(&c, "", "client.x", 0), 0);
	assert_int_equal(conf_get(c, "name", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "client.x");
	shutdown(c);
	shutdown(NULL);
}

static void test_unconnected_and_stubs(void **state)
{
	int (*create)(rados_t *, const char *) = sym("rados_create");
	void (*shutdown)(rados_t) = sym("rados_shutdown");
	int (*mon_command)(rados_t, const char **, size_t, const char *, size_t,
			   char **, size_t *, char **, size_t *) =
		sym("rados_mon_command");
	int64_t (*lookup)(rados_t, const char *) = sym("rados_pool_lookup");
	int (*fsid)(rados_t, char *, size_t) = sym("rados_cluster_fsid");
	int (*ioctx_create)(rados_t, const char *, rados_ioctx_t *) =
		sym("rados_ioctx_create");
	uint64_t (*instance)(rados_t) = sym("rados_get_instance_id");
	int (*snap_create)(rados_ioctx_t, const char *) =
		sym("rados_ioctx_snap_create");
	rados_read_op_t (*read_op)(void) = sym("rados_create_read_op");
	void (*read_op_release)(rados_read_op_t) = sym("rados_release_read_op");
	rados_read_op_t op;
	int (*pool_stat)(rados_ioctx_t, struct rados_pool_stat_t *) =
		sym("rados_ioctx_pool_stat");
	void (*buffer_free)(char *) = sym("rados_buffer_free");
	const char *cmd[] = { "{\"prefix\":\"fsid\"}" };
	char *out = (char *)1, *outs = (char *)1;
	size_t outlen = 9, outslen = 9;
	rados_ioctx_t io = NULL;
	rados_t c;
	char buf[64];

	(void)state;
	assert_int_equal(sizeof(struct rados_pool_stat_t), 16 * 8);
	assert_int_equal(sizeof(struct rados_cluster_stat_t), 4 * 8);
	assert_int_equal(sizeof(rados_object_list_item), 6 * 8);
	assert_int_equal(create(&c, "admin"), 0);
	assert_int_equal(mon_command(c, cmd, 1, NULL, 0, &out, &outlen, &outs,
				     &outslen), -ENOTCONN);
	assert_null(out);
	assert_null(outs);
	assert_int_equal(outlen, 0);
	assert_int_equal(outslen, 0);
	buffer_free(NULL);
	assert_int_equal(lookup(c, "rbd"), -ENOTCONN);
	assert_int_equal(fsid(c, buf, sizeof(buf)), -ENOTCONN);
	assert_int_equal(ioctx_create(c, "rbd", &io), -ENOTCONN);
	assert_int_equal(instance(c), 0);
	assert_int_equal(snap_create(NULL, "s"), -EOPNOTSUPP);
	op = read_op();
	assert_non_null(op);
	read_op_release(op);
	assert_int_equal(pool_stat(NULL, NULL), -EINVAL);
	shutdown(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exports),
		cmocka_unit_test(test_version_and_conf),
		cmocka_unit_test(test_unconnected_and_stubs),
	};
	const char *bin = getenv("LOLIGO_BIN");
	int rc;

	snprintf(lib_path, sizeof(lib_path), "%s/../lib/librados.so.2",
		 bin ? bin : "bin");
	if (access(lib_path, R_OK) != 0) {
		printf("SKIP: %s is not built\n", lib_path);
		return 0;
	}
	lib = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		printf("dlopen %s: %s\n", lib_path, dlerror());
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	dlclose(lib);
	return rc;
}
