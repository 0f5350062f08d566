/*
 * Fuzz target: the input is a ceph.conf.  Whatever parses must answer
 * every lookup (with metavariable expansion, including self-references)
 * for a few entity names, enumerate, and parse any mon_host it holds,
 * without faults or leaks.  Warnings are swallowed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/addr.h"
#include "common/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int visit(void *arg, const char *key, const char *value,
		 const struct conf_option *opt, enum conf_level level)
{
	size_t *total = arg;
	(void)opt;
	(void)level;
	*total += strlen(key) + strlen(value);
	return 0;
}

static int visit_section(void *arg, const char *name)
{
	(void)arg;
	return name[0] == '\0'; /* never empty */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "osd.3", "mon.a",
					     "client.radosgw.rgw1" };
	struct conf *conf;
	char err[256], buf[128];
	size_t total = 0;

	if (conf_create("client.admin", &conf) != 0)
		return 0;
	conf_set_warn(conf, quiet, NULL);
	if (conf_parse_buffer(conf, (const char *)data, size, "fuzz.conf", err,
			      sizeof(err)) != 0)
		goto out;
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		if (conf_set_name(conf, names[n]) != 0)
			abort();
		if (conf_foreach(conf, visit, &total) != 0)
			abort();
		if (conf_foreach_section(conf, visit_section, NULL) != 0)
			abort();
		struct addr_entry *v;
		size_t count;
		if (conf_get_addrs(conf, "mon_host", 6789, &v, &count, err,
				   sizeof(err)) == 0)
			free(v);
		uint64_t u;
		conf_get_uint(conf, "osd_pool_default_size", &u);
		conf_get_size(conf, "osd_max_object_size", &u);
		conf_get(conf, "keyring", buf, sizeof(buf));
		conf_lookup_file(conf, "mon host", buf, sizeof(buf));
	}
out:
	conf_destroy(conf);
	return 0;
}
