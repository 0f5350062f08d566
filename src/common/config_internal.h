/*
 * Private to the config library (config.c, config_file.c, config_value.c,
 * config_options.c): the parsed form of a ceph.conf and the typed value
 * parsers shared by validation and the typed getters.
 */
#ifndef LOLIGO_COMMON_CONFIG_INTERNAL_H
#define LOLIGO_COMMON_CONFIG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"

#define CONF_KEY_MAX 256                /* normalized key, with NUL */
#define CONF_VALUE_MAX (64 * 1024)      /* an expanded value */
#define CONF_FILE_MAX (16 * 1024 * 1024) /* a ceph.conf */

/* One `key = value` line; key normalized, value unquoted/unescaped. */
struct conf_kv {
	char *key;
	char *value;
	unsigned line;
};

/* A [section], or a flat layer (argv, env, set) using the same shape. */
struct conf_section {
	char *name;
	struct conf_kv *kv;
	size_t n, cap;
};

struct conf_file {
	struct conf_section *sec;
	size_t n, cap;
};

/* --- config_file.c: ceph.conf syntax --- */

/* Parse text into sections (a repeated section merges, a repeated key
 * keeps the last value).  -EINVAL with "FILE:LINE: reason" in err. */
int conf__file_parse(const char *buf, size_t len, const char *filename,
		     struct conf_file *out, char *err, size_t errlen);
void conf__file_release(struct conf_file *file);
const struct conf_section *conf__file_section(const struct conf_file *file,
					      const char *name);

const struct conf_kv *conf__section_get(const struct conf_section *sec,
					const char *key);
/* Insert or replace (last wins).  -ENOMEM. */
int conf__section_put(struct conf_section *sec, const char *key,
		      const char *value, unsigned line);
void conf__section_release(struct conf_section *sec);

/* --- config_options.c --- */
const struct conf_option *conf__option_find_normalized(const char *name);

/* --- config_value.c: typed parsers; 0, -EINVAL or -ERANGE --- */
int conf__parse_int(const char *s, int64_t *out);
int conf__parse_uint(const char *s, uint64_t *out);
int conf__parse_float(const char *s, double *out);
int conf__parse_bool(const char *s, bool *out);
int conf__parse_size(const char *s, uint64_t *out);
int conf__parse_secs(const char *s, uint64_t *out);

#endif
