/*
 * Command signatures in Ceph's descriptor syntax, and the matcher that
 * turns a command line's words into Ceph's JSON command object.
 *
 * A signature is a prefix of literal words followed by typed arguments,
 * each argument one comma-separated list of key=value pairs:
 *
 *   "osd pool create name=pool,type=CephPoolname "
 *   "name=pg_num,type=CephInt,range=0,req=false"
 *
 * Keys: name, type (CephInt, CephFloat, CephString, CephChoices,
 * CephPoolname, CephObjectname, CephOsdName, CephName, CephBool,
 * CephFilepath, CephUUID, CephIPAddr, CephEntityAddr, CephPgid, ...;
 * unknown types match as strings), req=false (optional), n=N (repeats:
 * the value becomes a JSON array), range=MIN or range=MIN|MAX (CephInt,
 * CephFloat), strings=a|b|c (CephChoices), goodchars=[class] (CephString).
 * Unknown keys are ignored.
 *
 * Matching (cmdsig_match) follows what Ceph's `ceph` CLI does:
 *  1. The signatures whose literal words all equal the first words are
 *     candidates; the ones with the longest prefix are tried first.
 *  2. `--name value`, `--name=value` and, for CephBool, a bare `--name`
 *     set the argument of that name (dashes and underscores are one); any
 *     other `--word` is "Unexpected argument".
 *  3. The other words fill the arguments in order.  An optional argument
 *     whose type refuses the word is skipped; a required one fails with the
 *     reason ("abc doesn't represent an int"); a repeated argument takes
 *     every following word its type accepts.
 *  4. Words left over: "unused arguments: ['x']".
 *
 * The result is a JSON object with "prefix" (the literal words joined by
 * spaces) and one member per argument given.  CephInt is a JSON integer,
 * CephFloat a real, CephBool true/false, CephOsdName the OSD id as an
 * integer ("osd.4" or "4" give 4), everything else a string.
 *
 * Ownership: cmdsig_parse() copies what it needs; cmdsig_release() frees
 * it.  Thread safety: parsed signatures are read-only during matching, so
 * any number of threads may match against one table.
 */
#ifndef LOLIGO_COMMON_CMDSIG_H
#define LOLIGO_COMMON_CMDSIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cmdsig_type {
	CMDSIG_LITERAL = 0, /* a prefix word */
	CMDSIG_INT,
	CMDSIG_FLOAT,
	CMDSIG_STRING,
	CMDSIG_CHOICES,
	CMDSIG_POOLNAME,
	CMDSIG_OBJECTNAME,
	CMDSIG_OSDNAME,
	CMDSIG_NAME,
	CMDSIG_BOOL,
	CMDSIG_FILEPATH,
	CMDSIG_UUID,
	CMDSIG_OTHER, /* a Ceph type we do not check: passed as a string */
};

struct cmdsig_arg {
	enum cmdsig_type type;
	char *name;      /* CMDSIG_LITERAL: the word */
	char *type_name; /* "CephInt" as written */
	bool req;
	bool repeat;     /* n=N */
	bool has_min, has_max;
	double min, max;
	char *min_text, *max_text; /* as the descriptor spells them */
	char **choices;  /* CephChoices */
	size_t n_choices;
	char *goodchars; /* CephString goodchars, without the brackets */
};

struct cmdsig {
	size_t n_prefix;         /* leading literal words */
	struct cmdsig_arg *args; /* every item, literals included */
	size_t n_args;
	char *prefix;            /* the literal words joined by spaces */
	const char *help;        /* borrowed from the caller, may be NULL */
};

/* Parses one descriptor.  Errors: -EINVAL (reason in err: no literal
 * word, an argument without name=, a CephChoices without strings=),
 * -ENOMEM. */
int cmdsig_parse(const char *desc, const char *help, struct cmdsig *out,
		 char *err, size_t errlen);
void cmdsig_release(struct cmdsig *s);

/* A table of signatures, parsed once. */
struct cmdsig_table {
	struct cmdsig *sigs;
	size_t n;
};
/* descs[i], helps[i] (helps may be NULL); stops at n or a NULL desc.
 * A descriptor that fails to parse is an error (-EINVAL, reason in err). */
int cmdsig_table_init(struct cmdsig_table *t, const char *const *descs,
		      const char *const *helps, size_t n, char *err,
		      size_t errlen);
/* The same from a strided array of structures: the descriptor is the
 * `const char *` at desc_off in each element, the help at help_off
 * (SIZE_MAX: none).  For tables like mon_sigs[]. */
int cmdsig_table_init_strided(struct cmdsig_table *t, const void *base,
			      size_t n, size_t stride, size_t desc_off,
			      size_t help_off, char *err, size_t errlen);
void cmdsig_table_release(struct cmdsig_table *t);

/* What went wrong when no command object was produced. */
enum cmdsig_result {
	CMDSIG_OK = 0,
	CMDSIG_NO_MATCH,    /* no signature's prefix matches: closest in `near` */
	CMDSIG_INVALID,     /* a prefix matched, its arguments did not */
};

struct cmdsig_match_result {
	enum cmdsig_result result;
	json_t *cmd;            /* CMDSIG_OK: the command object (caller decrefs) */
	const struct cmdsig *sig; /* CMDSIG_OK: the signature used */
	char reason[512];       /* CMDSIG_INVALID: "abc doesn't represent an int" */
	/* CMDSIG_INVALID: the signatures that matched the prefix;
	 * CMDSIG_NO_MATCH: the closest ones (at most 10), best first. */
	const struct cmdsig *near[10];
	size_t n_near;
};

/* Matches words against the table.  Returns 0 (see res->result) or
 * -ENOMEM.  Never modifies the words. */
int cmdsig_match(const struct cmdsig_table *t, int nwords,
		 const char *const *words, struct cmdsig_match_result *res);

/* Validates one word against one argument, as the matcher does; on
 * success *val is the JSON value (caller decrefs), else the reason is in
 * err.  0 or -EINVAL. */
int cmdsig_arg_value(const struct cmdsig_arg *a, const char *word,
		     json_t **val, char *err, size_t errlen);

/* Ceph's concise usage of a signature: "osd pool get <pool>
 * size|min_size [<pg_num:int>] [--yes-i-really-mean-it]" (no help).
 * Returns the length it needed (like snprintf). */
size_t cmdsig_usage(const struct cmdsig *s, char *buf, size_t len);
/* The type in Ceph's words for messages: "<poolname>", "<int>",
 * "a|b", "<string(goodchars [A-Z])>". */
size_t cmdsig_arg_typestr(const struct cmdsig_arg *a, char *buf, size_t len);

#endif
