/*
 * Configuration with Ceph's semantics: ceph.conf sections chosen by the
 * entity name (`[osd.3]`, then `[osd]`, then `[global]`), Ceph's option
 * names and defaults, `$cluster`/`$type`/`$id`/`$name`/`$host`/`$pid` and
 * `$other_option` expansion, Ceph's common command-line arguments,
 * CEPH_ARGS and CEPH_CONF.  Every daemon, CLI and librados handle owns one
 * `struct conf`; librados' rados_conf_* calls map one-to-one onto
 * conf_read_file, conf_set, conf_get, conf_parse_argv and conf_parse_env.
 *
 * Precedence, lowest to highest:
 *   table default < daemon default (conf_set_default) < conf file
 *   < CEPH_ARGS < argv < conf_set().
 * The conf file layer is resolved at lookup time from every section kept,
 * so the entity name may be changed (-n, -i) after the file was read.
 *
 * Keys are normalized: surrounding whitespace trimmed, each run of spaces
 * or tabs and each dash becomes one underscore, so `mon addr`, `mon_addr`
 * and `mon-addr` are one key.  Keys and section names are case-sensitive,
 * as in Ceph.
 *
 * Ownership: strings passed in are copied.  Thread safety: a struct conf
 * carries a reader-writer lock; every call may be made from any thread.
 * Reads (conf_get*, conf_foreach) run concurrently; writes serialize.
 * The warning callback runs with the lock held and must not call back
 * into the same struct conf.
 */
#ifndef LOLIGO_COMMON_CONFIG_H
#define LOLIGO_COMMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "common/addr.h"

enum conf_type {
	CONF_TYPE_STR,
	CONF_TYPE_INT,   /* int64; decimal with optional SI suffix (5K = 5000) */
	CONF_TYPE_UINT,  /* uint64; as INT without a sign */
	CONF_TYPE_FLOAT, /* double */
	CONF_TYPE_BOOL,  /* true/false/yes/no/on/off, or an integer (!= 0) */
	CONF_TYPE_SIZE,  /* bytes: 128M, 4Ki, 1G, 512B (binary multiples) */
	CONF_TYPE_SECS,  /* seconds: 30, 30s, 5m, 1h, 2d, 1w */
	CONF_TYPE_ADDR,  /* one address; "" or "-" means unset */
};

/* conf_option.flags */
#define CONF_OPT_NO_EFFECT 0x1 /* accepted for compatibility, ignored */
#define CONF_OPT_LOG_LEVEL 0x2 /* a debug level: "N" or "N/M", 0..20 */
#define CONF_OPT_STARTUP   0x4 /* only read at daemon start */

/* One row of the option table (see config_options.c). */
struct conf_option {
	const char *name;          /* canonical, underscores */
	enum conf_type type;
	const char *default_value; /* may hold $metavariables */
	const char *description;
	unsigned flags;
};

/* Where a value came from, lowest precedence first. */
enum conf_level {
	CONF_LEVEL_DEFAULT,        /* the option table */
	CONF_LEVEL_DAEMON_DEFAULT, /* conf_set_default() */
	CONF_LEVEL_FILE,
	CONF_LEVEL_ENV,            /* CEPH_ARGS */
	CONF_LEVEL_ARGV,
	CONF_LEVEL_OVERRIDE,       /* conf_set() */
	CONF_LEVEL_COUNT
};

struct conf;

/* Warning sink, e.g. for unknown options ("FILE:LINE: unknown option
 * 'foo'").  The default prints one line to stderr. */
typedef void (*conf_warn_fn)(void *arg, const char *message);

/* Visitor for conf_foreach(); opt is NULL for options not in the table.
 * A nonzero return stops the walk and is returned by conf_foreach(). */
typedef int (*conf_visit_fn)(void *arg, const char *key, const char *value,
			     const struct conf_option *opt,
			     enum conf_level level);

/* --- the option table ------------------------------------------------ */

/* Find an option by any spelling (`osd pool default size`); NULL if
 * unknown.  The table is static; the pointer lives forever. */
const struct conf_option *conf_option_find(const char *name);
/* The whole table, sorted by name. */
const struct conf_option *conf_options(size_t *count);
const char *conf_type_name(enum conf_type type);

/*
 * Check a value against a type.  Returns 0 or -EINVAL with a message such
 * as "osd_pool_default_size: invalid integer 'abc'" in err.
 */
int conf_validate(const struct conf_option *opt, const char *value,
		  char *err, size_t errlen);

/* Write the normalized spelling of key into out (at most outlen bytes
 * including the NUL).  Returns 0 or -ENAMETOOLONG or -EINVAL (empty). */
int conf_normalize_key(const char *key, char *out, size_t outlen);

/* --- lifetime and identity ------------------------------------------- */

/*
 * Create a configuration for an entity.  name is "type.id" (`osd.3`,
 * `client.radosgw.rgw1`) or NULL for `client.admin`.  The cluster name
 * starts as "ceph".  Errors: -EINVAL (no dot, empty type or id), -ENOMEM.
 */
int conf_create(const char *name, struct conf **out);
void conf_destroy(struct conf *conf);

void conf_set_warn(struct conf *conf, conf_warn_fn fn, void *arg);

/* Change the entity: "type.id" (like -n) or just the id (like -i). */
int conf_set_name(struct conf *conf, const char *name);
int conf_set_id(struct conf *conf, const char *id);
int conf_set_cluster(struct conf *conf, const char *cluster);

/* Copies of the identity into buf: -ENAMETOOLONG if too small. */
int conf_get_name(struct conf *conf, char *buf, size_t len);
int conf_get_type(struct conf *conf, char *buf, size_t len);
int conf_get_id(struct conf *conf, char *buf, size_t len);
int conf_get_cluster(struct conf *conf, char *buf, size_t len);

/* --- reading configuration ------------------------------------------- */

/*
 * Read a ceph.conf.  path may be a list separated by commas or spaces
 * (the first file that exists is read) and may use $cluster etc.  NULL
 * means: the file named by -c/--conf if given, else $CEPH_CONF, else
 * "/etc/ceph/$cluster.conf, ~/.ceph/$cluster.conf, $cluster.conf".
 * Reading replaces what an earlier read put in the file layer.  Unless
 * --cluster was given, a file named NAME.conf sets the cluster to NAME.
 * Errors: -ENOENT (no file of the list exists), -EINVAL (syntax error or
 * bad value: "FILE:LINE: reason" in err), -EFBIG, -ENOMEM, -EIO...
 */
int conf_read_file(struct conf *conf, const char *path, char *err,
		   size_t errlen);

/* Parse ceph.conf text held in memory; filename names it in messages. */
int conf_parse_buffer(struct conf *conf, const char *buf, size_t len,
		      const char *filename, char *err, size_t errlen);

/*
 * Consume Ceph's common arguments from argv (argv[0] is the program and
 * is kept): -c/--conf FILE, -i/--id/--user ID, -n/--name TYPE.ID,
 * -m MONADDRS, -k/--keyring FILE, --key KEY, --cluster NAME, and
 * `--OPTION VALUE`, `--OPTION=VALUE` for any known option (dashes or
 * underscores); a bool option alone means true.  Other arguments, and
 * everything after `--`, stay in argv, in order; *argc is updated and
 * argv[*argc] set to NULL.  Errors: -EINVAL (bad value, missing value),
 * with the option named in err.
 */
int conf_parse_argv(struct conf *conf, int *argc, char **argv, char *err,
		    size_t errlen);

/*
 * Apply the arguments in an environment variable (NULL: CEPH_ARGS), split
 * on whitespace, as conf_parse_argv() does but below argv in precedence.
 * Arguments that are not configuration are warned about and ignored.
 * An unset or empty variable is not an error.
 */
int conf_parse_env(struct conf *conf, const char *var, char *err,
		   size_t errlen);

/*
 * Set an option as rados_conf_set() does (highest precedence).  Known
 * options are validated; unknown ones are kept as strings and warned
 * about once.  Errors: -EINVAL (bad value or key), -ENOMEM.
 */
int conf_set(struct conf *conf, const char *key, const char *value,
	     char *err, size_t errlen);

/* Replace an option's default for this process (daemons: `keyring` is
 * $mon_data/keyring for ceph-mon).  Same errors as conf_set(). */
int conf_set_default(struct conf *conf, const char *key, const char *value,
		     char *err, size_t errlen);

/* --- reading values --------------------------------------------------- */

/*
 * The value of key with metavariables expanded, into buf.  Returns 0,
 * -ENOENT (not a known option and never set), -ENAMETOOLONG (buf too
 * small: the value does not fit with its NUL), -ENOMEM.
 * `name` and `cluster` read the entity name and cluster.
 */
int conf_get(struct conf *conf, const char *key, char *buf, size_t len);

/* As conf_get() into a malloc'd string the caller frees. */
int conf_get_alloc(struct conf *conf, const char *key, char **out);

/* Where the current value of key comes from; -ENOENT if unset. */
int conf_get_level(struct conf *conf, const char *key,
		   enum conf_level *level);

/*
 * Typed reads.  The string value is converted by the requested type's
 * rules (an unknown option is accepted if its text converts).  Errors:
 * -ENOENT, -EINVAL (does not convert), -ERANGE (int does not fit).
 * Sizes are bytes; secs are whole seconds.
 */
int conf_get_int(struct conf *conf, const char *key, int64_t *out);
int conf_get_uint(struct conf *conf, const char *key, uint64_t *out);
int conf_get_float(struct conf *conf, const char *key, double *out);
int conf_get_bool(struct conf *conf, const char *key, bool *out);
int conf_get_size(struct conf *conf, const char *key, uint64_t *out);
int conf_get_secs(struct conf *conf, const char *key, uint64_t *out);

/*
 * The value of an address-list option (mon_host) parsed, names left
 * unresolved (see addr.h).  If key is mon_host and it is empty, the
 * `mon_addr` of every [mon.X] section is used, as old clusters spell it.
 * Errors: -ENOENT (empty), -EINVAL (malformed), -ENOMEM.
 */
int conf_get_addrs(struct conf *conf, const char *key, uint16_t default_port,
		   struct addr_entry **out, size_t *count, char *err,
		   size_t errlen);

/*
 * Like ceph-conf --lookup: the value from the conf file only (sections
 * [type.id], [type], [global]), expanded.  -ENOENT if the file lacks it.
 */
int conf_lookup_file(struct conf *conf, const char *key, char *buf,
		     size_t len);

/* Every known option in table order, then every unknown key that has a
 * value, each with its expanded value (ceph-conf --show-config). */
int conf_foreach(struct conf *conf, conf_visit_fn fn, void *arg);

/* Names of the sections of the conf file, in file order. */
int conf_foreach_section(struct conf *conf,
			 int (*fn)(void *arg, const char *section), void *arg);

#endif
