/*
 * monmaptool: create, edit and print monitor maps, behaving like Ceph
 * 16.2's tool of the same name (same options, messages, rank order and
 * exit codes) while writing Loligo's own file format (docs/monmap.md).
 * Options are parsed from a table; handlers only record what was asked.
 * The work then runs in Ceph's order whatever the order of the arguments:
 * load or create (with --generate from ceph.conf), --set-initial-members,
 * fsid, --set-min-mon-release, features (so an --add in the same run sees
 * the nautilus feature), --add (by name), --addv (by name), --rm,
 * --raft-addr (Loligo's own), --print, --feature-list, and last the write,
 * made only if something changed.
 *
 * Deliberate differences from Ceph, each where Ceph's behaviour hides a
 * mistake: an invalid --fsid or an unknown --set-min-mon-release is an
 * error (Ceph ignores both); --set-min-mon-release also takes the number
 * its usage text promises; a --generate that yields an address twice is an
 * error (Ceph aborts).
 */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/config.h"
#include "osdmap/monmap.h"

#define MAX_EDITS 256

/* Ceph's tool names itself by argv[0] in its messages. */
static const char *prog = "monmaptool";
#define ERRLEN 512

static const char usage_text[] =
	"usage: monmaptool [--print] [--create [--clobber] [--fsid uuid]]\n"
	"        [--enable-all-features]\n"
	"        [--generate] [--set-initial-members]\n"
	"        [--add name 1.2.3.4:567] [--rm name]\n"
	"        [--addv name [v2:1.2.4.5:567,v1:1.2.3.4:568]]\n"
	"        [--feature-list [plain|parseable]]\n"
	"        [--feature-set <value> [--optional|--persistent]]\n"
	"        [--feature-unset <value> [--optional|--persistent]]\n"
	"        [--set-min-mon-release <release-major-number>]\n"
	"        [--raft-addr name 1.2.3.4:567]\n"
	"        <mapfilename>\n";

struct add_req {
	const char *name;
	struct monmap_addr addrs[MONMAP_ADDRVEC_MAX];
	unsigned n;
	bool plain;       /* --add: the vector depends on the map's features */
	struct sockaddr_storage ip;
	bool port_given;
};

struct feature_req {
	uint64_t bits;
	bool set;
	bool optional;
};

struct opts {
	bool print, create, clobber, generate, initial_members;
	bool all_features, feature_list, parseable;
	const char *fsid_text;
	char conf_fsid[64];   /* the configuration's fsid, if it has one */
	const char *min_release;
	const char *filename;
	struct add_req adds[MAX_EDITS];
	size_t nadds;
	struct add_req addvs[MAX_EDITS];
	size_t naddvs;
	const char *rms[MAX_EDITS];
	size_t nrms;
	struct feature_req features[MAX_EDITS];
	size_t nfeatures;
	struct raft_req {
		const char *name;
		struct sockaddr_storage sa;
	} rafts[MAX_EDITS];
	size_t nrafts;
};

/* Exit codes as Ceph's tool gives them. */
#define EXIT_USAGE 1
#define EXIT_FAIL 255

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", prog);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void complain(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int usage_hint(void)
{
	fflush(stdout);
	fprintf(stderr, "%s -h for usage\n", prog);
	return EXIT_USAGE;
}

/* ---- the option table ---- */

/* A handler gets the option's arguments and returns 0, or an exit code. */
typedef int (*opt_fn)(struct opts *o, char **args);

static int opt_help(struct opts *o, char **args)
{
	(void)o;
	(void)args;
	fputs(usage_text, stdout);
	exit(0);
}

#define FLAG_HANDLER(fn, field)                                  \
	static int fn(struct opts *o, char **args)                \
	{                                                         \
		(void)args;                                       \
		o->field = true;                                  \
		return 0;                                         \
	}
FLAG_HANDLER(opt_print, print)
FLAG_HANDLER(opt_create, create)
FLAG_HANDLER(opt_clobber, clobber)
FLAG_HANDLER(opt_generate, generate)
FLAG_HANDLER(opt_initial, initial_members)
FLAG_HANDLER(opt_all_features, all_features)

static int opt_fsid(struct opts *o, char **args)
{
	o->fsid_text = args[0];
	return 0;
}

/* Ceph's tool keeps one request per name, the last one given. */
static struct add_req *add_slot(struct add_req *list, size_t *n,
				const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(list[i].name, name) == 0)
			return &list[i];
	if (*n == MAX_EDITS)
		return NULL;
	return &list[(*n)++];
}

static int opt_add(struct opts *o, char **args)
{
	struct add_req *r, tmp = { .name = args[0], .plain = true };

	if (monmap_ip_parse(args[1], &tmp.ip, &tmp.port_given) != 0) {
		complain("invalid ip:port '%s'", args[1]);
		return EXIT_FAIL;
	}
	r = add_slot(o->adds, &o->nadds, args[0]);
	if (!r) {
		complain("too many --add options");
		return EXIT_USAGE;
	}
	*r = tmp;
	return 0;
}

static int opt_addv(struct opts *o, char **args)
{
	struct add_req *r, tmp = { .name = args[0] };

	if (monmap_addrvec_parse(args[1], tmp.addrs, &tmp.n) != 0) {
		complain("invalid ip:port '%s'", args[1]);
		return EXIT_FAIL;
	}
	r = add_slot(o->addvs, &o->naddvs, args[0]);
	if (!r) {
		complain("too many --addv options");
		return EXIT_USAGE;
	}
	*r = tmp;
	return 0;
}

static int opt_rm(struct opts *o, char **args)
{
	if (o->nrms == MAX_EDITS) {
		complain("too many --rm options");
		return EXIT_USAGE;
	}
	o->rms[o->nrms++] = args[0];
	return 0;
}

static int opt_min_release(struct opts *o, char **args)
{
	o->min_release = args[0];
	return 0;
}

static int feature_req(struct opts *o, char **args, bool set)
{
	struct feature_req *f;
	uint64_t bits = monmap_feature_parse(args[0]);
	char *end;

	if (!bits) {
		errno = 0;
		bits = strtoull(args[0], &end, 10);
		if (errno || *end || end == args[0]) {
			fflush(stdout);
			fprintf(stderr, "unknown features name '%s' or unable to "
				"parse value: Expected option value to be "
				"integer, got '%s'\n", args[0], args[0]);
			return usage_hint();
		}
	}
	if (o->nfeatures == MAX_EDITS) {
		complain("too many feature options");
		return EXIT_USAGE;
	}
	f = &o->features[o->nfeatures++];
	f->bits = bits;
	f->set = set;
	f->optional = false;
	return 0;
}

static int opt_feature_set(struct opts *o, char **args)
{
	return feature_req(o, args, true);
}

static int opt_feature_unset(struct opts *o, char **args)
{
	return feature_req(o, args, false);
}

/* --optional/--persistent qualify the feature option just before. */
static int opt_optional(struct opts *o, char **args)
{
	(void)args;
	if (o->nfeatures)
		o->features[o->nfeatures - 1].optional = true;
	return 0;
}

static int opt_persistent(struct opts *o, char **args)
{
	(void)args;
	if (o->nfeatures)
		o->features[o->nfeatures - 1].optional = false;
	return 0;
}

/* Loligo's own: move a monitor's Raft address (default: its port + 1). */
static int opt_raft_addr(struct opts *o, char **args)
{
	struct raft_req *q;
	bool port_given;

	if (o->nrafts == MAX_EDITS) {
		complain("too many --raft-addr options");
		return EXIT_USAGE;
	}
	q = &o->rafts[o->nrafts];
	q->name = args[0];
	if (monmap_ip_parse(args[1], &q->sa, &port_given) != 0 || !port_given) {
		complain("invalid ip:port '%s' (--raft-addr needs a port)",
			 args[1]);
		return EXIT_FAIL;
	}
	o->nrafts++;
	return 0;
}

static const struct option_row {
	const char *name;
	const char *alias;
	int nargs;
	opt_fn fn;
} option_table[] = {
	{ "--help", "-h", 0, opt_help },
	{ "--print", NULL, 0, opt_print },
	{ "--create", NULL, 0, opt_create },
	{ "--clobber", NULL, 0, opt_clobber },
	{ "--generate", NULL, 0, opt_generate },
	{ "--set-initial-members", "--filter-initial-members", 0, opt_initial },
	{ "--enable-all-features", NULL, 0, opt_all_features },
	{ "--fsid", NULL, 1, opt_fsid },
	{ "--add", NULL, 2, opt_add },
	{ "--addv", NULL, 2, opt_addv },
	{ "--rm", NULL, 1, opt_rm },
	{ "--set-min-mon-release", NULL, 1, opt_min_release },
	{ "--feature-set", NULL, 1, opt_feature_set },
	{ "--feature-unset", NULL, 1, opt_feature_unset },
	{ "--optional", NULL, 0, opt_optional },
	{ "--persistent", NULL, 0, opt_persistent },
	{ "--raft-addr", NULL, 2, opt_raft_addr },
	/* --feature-list takes an optional argument: handled in parse_args. */
};

static int parse_args(struct opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const struct option_row *row = NULL;
		char *a = argv[i];
		int r;

		if (strcmp(a, "--feature-list") == 0) {
			o->feature_list = true;
			if (i + 1 < argc && (strcmp(argv[i + 1], "plain") == 0 ||
					     strcmp(argv[i + 1], "parseable") == 0)) {
				o->parseable = strcmp(argv[++i], "parseable") == 0;
			}
			continue;
		}
		for (size_t k = 0; k < sizeof(option_table) / sizeof(option_table[0]); k++) {
			if (strcmp(a, option_table[k].name) == 0 ||
			    (option_table[k].alias &&
			     strcmp(a, option_table[k].alias) == 0)) {
				row = &option_table[k];
				break;
			}
		}
		if (!row) {
			if (o->filename) {
				complain("too many arguments");
				return usage_hint();
			}
			o->filename = a;
			continue;
		}
		if (i + row->nargs >= argc) {
			if (row->nargs == 1) {
				fflush(stdout);
				fprintf(stderr, "Option %s requires an argument.\n",
					row->name);
				return EXIT_USAGE;
			}
			return usage_hint();
		}
		r = row->fn(o, &argv[i + 1]);
		if (r)
			return r;
		i += row->nargs;
	}
	return 0;
}

/* ---- --generate: the initial map from ceph.conf ---- */

/* The Nth generated name: noname-a .. noname-z, noname-aa ... */
static void noname(size_t n, char *buf, size_t len)
{
	char s[16];
	size_t k = sizeof(s) - 1;

	s[k] = 0;
	do {
		s[--k] = (char)('a' + n % 26);
		n /= 26;
	} while (n-- > 0 && k > 0);
	snprintf(buf, len, "noname-%s", &s[k]);
}

/* Add one token of mon_host: an address vector, a typed address, an IP
 * (both protocols unless a port is given), or a DNS name. */
static int generate_token(struct monmap *m, const char *tok, size_t *seq,
			  char *err, size_t errlen)
{
	struct monmap_addr addrs[MONMAP_ADDRVEC_MAX];
	struct sockaddr_storage ip;
	bool port_given;
	char name[32];
	unsigned n;
	int r;

	if (strncmp(tok, "v1:", 3) == 0 || strncmp(tok, "v2:", 3) == 0 ||
	    strncmp(tok, "[v", 2) == 0 || strncmp(tok, "any:", 4) == 0 ||
	    strncmp(tok, "[any:", 5) == 0) {
		if (monmap_addrvec_parse(tok, addrs, &n) != 0) {
			snprintf(err, errlen, "invalid address '%s' in mon_host", tok);
			return -EINVAL;
		}
		noname((*seq)++, name, sizeof(name));
		return monmap_add(m, name, addrs, n, err, errlen);
	}
	if (monmap_ip_parse(tok, &ip, &port_given) == 0) {
		monmap_addrvec_from_ip(&ip, port_given, true, addrs, &n);
		noname((*seq)++, name, sizeof(name));
		return monmap_add(m, name, addrs, n, err, errlen);
	}

	/* A DNS name, maybe with a port: its IPv4 addresses (Ceph's default
	 * binds IPv4 only), else its IPv6 ones. */
	char host[ADDR_HOST_MAX];
	const char *colon = strrchr(tok, ':');
	size_t hlen = colon ? (size_t)(colon - tok) : strlen(tok);
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	uint16_t port = 0;
	int family;

	if (hlen == 0 || hlen >= sizeof(host)) {
		snprintf(err, errlen, "invalid address '%s' in mon_host", tok);
		return -EINVAL;
	}
	memcpy(host, tok, hlen);
	host[hlen] = 0;
	port_given = colon != NULL;
	if (colon) {
		char *end;
		unsigned long v = strtoul(colon + 1, &end, 10);
		if (*end || end == colon + 1 || v > 65535) {
			snprintf(err, errlen, "invalid address '%s' in mon_host", tok);
			return -EINVAL;
		}
		port = (uint16_t)v;
	}
	r = getaddrinfo(host, NULL, &hints, &res);
	if (r != 0) {
		snprintf(err, errlen, "unable to resolve '%s': %s", host,
			 gai_strerror(r));
		return -ENOENT;
	}
	family = AF_INET6;
	for (ai = res; ai; ai = ai->ai_next)
		if (ai->ai_family == AF_INET)
			family = AF_INET;
	r = 0;
	for (ai = res; ai && !r; ai = ai->ai_next) {
		if (ai->ai_family != family)
			continue;
		memset(&ip, 0, sizeof(ip));
		memcpy(&ip, ai->ai_addr, ai->ai_addrlen);
		if (family == AF_INET)
			((struct sockaddr_in *)&ip)->sin_port = htons(port);
		else
			((struct sockaddr_in6 *)&ip)->sin6_port = htons(port);
		monmap_addrvec_from_ip(&ip, port_given, true, addrs, &n);
		if (monmap_contains_addr(m, &addrs[0]))
			continue; /* getaddrinfo repeats an address per protocol */
		noname((*seq)++, name, sizeof(name));
		r = monmap_add(m, name, addrs, n, err, errlen);
	}
	freeaddrinfo(res);
	return r;
}

static int generate_from_mon_host(struct monmap *m, const char *text,
				  char *err, size_t errlen)
{
	size_t seq = 0, len = strlen(text), i = 0;
	char *tok = malloc(len + 1);
	int r = 0;

	if (!tok)
		return -ENOMEM;
	while (i < len && !r) {
		size_t start, depth = 0;
		while (i < len && strchr(", ;\t", text[i]))
			i++;
		if (i == len)
			break;
		start = i;
		/* Commas inside brackets belong to an address vector. */
		while (i < len && (depth || !strchr(", ;\t", text[i]))) {
			if (text[i] == '[')
				depth++;
			else if (text[i] == ']' && depth)
				depth--;
			i++;
		}
		memcpy(tok, text + start, i - start);
		tok[i - start] = 0;
		r = generate_token(m, tok, &seq, err, errlen);
	}
	free(tok);
	return r;
}

struct section_walk {
	struct conf *conf;
	struct monmap *m;
	char *err;
	size_t errlen;
	int r;
	char (*names)[MONMAP_NAME_MAX];
	size_t n;
};

static int collect_mon_section(void *arg, const char *section)
{
	struct section_walk *w = arg;
	char (*p)[MONMAP_NAME_MAX];

	if (strncmp(section, "mon.", 4) != 0 || !section[4] ||
	    strlen(section + 4) >= MONMAP_NAME_MAX)
		return 0;
	p = realloc(w->names, (w->n + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	w->names = p;
	snprintf(w->names[w->n++], MONMAP_NAME_MAX, "%s", section + 4);
	return 0;
}

/* Old clusters: a `mon addr` in each [mon.X] section, always v1. */
static int generate_from_sections(struct conf *conf, struct monmap *m,
				  char *err, size_t errlen)
{
	struct section_walk w = { .conf = conf, .m = m };
	char saved[256], key[300], val[512];
	int r;

	r = conf_foreach_section(conf, collect_mon_section, &w);
	if (r)
		goto out_free;
	if (conf_get_name(conf, saved, sizeof(saved)) != 0)
		saved[0] = 0;
	for (size_t i = 0; i < w.n && !r; i++) {
		struct monmap_addr a = { .type = MONMAP_ADDR_V1 };
		bool port_given;
		snprintf(key, sizeof(key), "mon.%s", w.names[i]);
		if (conf_set_name(conf, key) != 0 ||
		    conf_lookup_file(conf, "mon_addr", val, sizeof(val)) != 0 ||
		    !val[0])
			continue;
		if (monmap_ip_parse(val, &a.sa, &port_given) != 0) {
			snprintf(err, errlen, "invalid mon addr '%.200s' for "
				 "mon.%.100s", val, w.names[i]);
			r = -EINVAL;
			break;
		}
		if (!port_given)
			((struct sockaddr_in *)&a.sa)->sin_port = htons(MONMAP_PORT_V1);
		r = monmap_add(m, w.names[i], &a, 1, err, errlen);
	}
	if (saved[0])
		conf_set_name(conf, saved);
out_free:
	free(w.names);
	return r;
}

/* Keep only `mon initial members`, adding missing ones with dummy
 * addresses 0.0.0.0:0 whose nonces tell them apart, as Ceph does. */
static int filter_initial_members(struct monmap *m, const char *members)
{
	char *list = strdup(members), *save = NULL, *tok;
	const char *names[MONMAP_MAX_MONS];
	size_t n = 0;
	bool first = true;
	int r = 0;

	if (!list)
		return -ENOMEM;
	for (tok = strtok_r(list, ", \t", &save); tok && n < MONMAP_MAX_MONS;
	     tok = strtok_r(NULL, ", \t", &save))
		names[n++] = tok;
	printf("initial_members ");
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", names[i]);
	printf(", filtering seed monmap\n");
	for (size_t i = 0; i < m->count;) {
		bool keep = false;
		char vec[512];
		for (size_t j = 0; j < n; j++)
			keep |= strcmp(m->mons[i].name, names[j]) == 0;
		if (keep) {
			i++;
			continue;
		}
		monmap_addrvec_format(&m->mons[i], vec, sizeof(vec));
		printf("%s%s", first ? "removed " : ",", vec);
		first = false;
		monmap_remove(m, m->mons[i].name);
	}
	if (!first)
		printf("\n");
	for (size_t j = 0; j < n && !r; j++) {
		struct monmap_addr a = { .type = MONMAP_ADDR_V1 };
		char err[ERRLEN];
		if (monmap_find(m, names[j], NULL))
			continue;
		a.sa.ss_family = AF_INET;
		a.nonce = (uint32_t)j + 1;
		r = monmap_add(m, names[j], &a, 1, err, sizeof(err));
		if (r)
			complain("%s", err);
	}
	free(list);
	return r;
}

/* ---- the stages ---- */

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Exit status of a negative errno as Ceph's tool returns it from main. */
static int errno_exit(int r)
{
	return (256 + r) & 0xff;
}

static int load_or_create(struct opts *o, struct conf *conf, bool conf_given,
			  struct monmap *m, bool *modified)
{
	char err[ERRLEN] = "", *mon_host = NULL, *members = NULL;
	bool fresh = true;
	int r;

	if (!o->create || file_exists(o->filename)) {
		r = monmap_read_file(m, o->filename);
		if (r == 0 && o->create && !o->clobber) {
			complain("%s exists, --clobber to overwrite", o->filename);
			return EXIT_FAIL;
		}
		if (r == -EBADMSG || r == -EOPNOTSUPP || r == -EMSGSIZE) {
			complain("unable to read monmap file");
			return EXIT_FAIL;
		}
		if (r && !o->create) {
			complain("couldn't open %s: (%d) %s", o->filename, -r,
				 strerror(-r));
			return EXIT_FAIL;
		}
		if (r == 0 && !o->create) {
			if (!o->generate && !o->initial_members)
				return 0;
			fresh = false; /* generate into the map read */
		} else {
			monmap_release(m);
		}
	}
	if (fresh)
		monmap_init(m);
	*modified = true;

	if (o->generate) {
		r = conf_get_alloc(conf, "mon_host", &mon_host);
		if (r == 0 && mon_host[strspn(mon_host, " \t,;")])
			r = generate_from_mon_host(m, mon_host, err, sizeof(err));
		else
			r = generate_from_sections(conf, m, err, sizeof(err));
		if (r == 0 && m->count == 0) {
			snprintf(err, sizeof(err), "no monitors in mon_host or in "
				 "[mon.X] sections of %s",
				 conf_given ? "the configuration" : "ceph.conf");
			r = -ENOENT;
		}
		if (r) {
			complain("%s", err);
			r = r == -ENOENT ? errno_exit(r) : EXIT_USAGE;
			goto out_free;
		}
	}
	if (o->initial_members && conf_get_alloc(conf, "mon_initial_members",
						 &members) == 0 && members[0]) {
		r = filter_initial_members(m, members);
		if (r) {
			r = EXIT_USAGE;
			goto out_free;
		}
	}

	/* --fsid wins over the configuration's fsid; neither: a new one. */
	if (!fresh) {
		r = 0;
		goto out_free;
	}
	if (!o->fsid_text && conf &&
	    conf_get(conf, "fsid", o->conf_fsid, sizeof(o->conf_fsid)) == 0 &&
	    strcmp(o->conf_fsid, "00000000-0000-0000-0000-000000000000") != 0 &&
	    o->conf_fsid[0]) {
		if (monmap_uuid_parse(o->conf_fsid, m->fsid) != 0) {
			complain("invalid fsid '%s' in the configuration",
				 o->conf_fsid);
			r = EXIT_USAGE;
			goto out_free;
		}
		o->fsid_text = o->conf_fsid;
	}
	if (!o->fsid_text) {
		char text[37];
		r = monmap_uuid_generate(m->fsid);
		if (r) {
			complain("cannot generate an fsid: %s", strerror(-r));
			r = EXIT_FAIL;
			goto out_free;
		}
		monmap_uuid_format(m->fsid, text);
		say("generated fsid %s", text);
	}
	r = 0;
out_free:
	free(mon_host);
	free(members);
	return r;
}

static int apply_adds(struct monmap *m, struct add_req *reqs, size_t n,
		      bool *modified)
{
	char err[ERRLEN];

	/* One pass per name, in name order, as Ceph's tool applies them. */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			if (strcmp(reqs[j].name, reqs[i].name) < 0) {
				struct add_req t = reqs[i];
				reqs[i] = reqs[j];
				reqs[j] = t;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct add_req *q = &reqs[i];
		if (q->plain)
			monmap_addrvec_from_ip(&q->ip, q->port_given,
				m->persistent_features & MONMAP_FEATURE_NAUTILUS,
				q->addrs, &q->n);
		if (monmap_add(m, q->name, q->addrs, q->n, err, sizeof(err))) {
			complain("%s", err);
			return usage_hint();
		}
		*modified = true;
	}
	return 0;
}

static void print_feature_set(const char *label, uint64_t set, bool parseable)
{
	bool any = false;

	if (parseable)
		printf("%s:[", label);
	else
		printf("    %s[", label);
	for (unsigned i = 0; i < 64; i++) {
		const char *name = monmap_feature_name(1ULL << i);
		if (!(set & (1ULL << i)))
			continue;
		if (name)
			printf("%s%s(%llu)", any ? "," : "", name, 1ULL << i);
		else
			printf("%sunknown(%llu)", any ? "," : "", 1ULL << i);
		any = true;
	}
	printf("%s]\n", any ? "" : "none");
}

static void feature_list(const struct monmap *m, bool parseable)
{
	if (parseable) {
		print_feature_set("monmap:persistent", m->persistent_features, true);
		print_feature_set("monmap:optional", m->optional_features, true);
		print_feature_set("monmap:required", m->persistent_features | m->optional_features, true);
		print_feature_set("available:supported", MONMAP_FEATURES_ALL, true);
		print_feature_set("available:persistent", MONMAP_FEATURES_ALL, true);
		return;
	}
	printf("MONMAP FEATURES:\n");
	print_feature_set("persistent: ", m->persistent_features, false);
	print_feature_set("optional:   ", m->optional_features, false);
	print_feature_set("required:   ", m->persistent_features | m->optional_features, false);
	printf("\nAVAILABLE FEATURES:\n");
	print_feature_set("supported:  ", MONMAP_FEATURES_ALL, false);
	print_feature_set("persistent: ", MONMAP_FEATURES_ALL, false);
}

/* Ceph's common arguments that select the configuration; everything else
 * on the command line is ours. */
static int read_config(int *argc, char **argv, struct conf **confp,
		       bool *conf_given)
{
	char err[ERRLEN] = "";
	struct conf *conf;
	int r;

	*conf_given = false;
	for (int i = 1; i < *argc; i++)
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--conf") == 0 ||
		    strncmp(argv[i], "--conf=", 7) == 0)
			*conf_given = true;
	r = conf_create("client.admin", &conf);
	if (r)
		return r;
	/* --fsid is ours (validated, with Ceph's message); hide it from the
	 * generic parser by parsing config arguments only. */
	r = conf_parse_env(conf, NULL, err, sizeof(err));
	if (r == 0)
		r = conf_parse_argv(conf, argc, argv, err, sizeof(err));
	if (r) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", prog, err);
		goto out_destroy;
	}
	r = conf_read_file(conf, NULL, err, sizeof(err));
	if (r == -ENOENT && !*conf_given)
		r = 0;
	if (r) {
		fflush(stdout);
		if (err[0])
			fprintf(stderr, "%s: %s\n", prog, err);
		else
			fprintf(stderr, "%s: can't read the configuration:"
				" %s\n", prog, strerror(-r));
		goto out_destroy;
	}
	*confp = conf;
	return 0;
out_destroy:
	conf_destroy(conf);
	return r;
}

static void quiet_warn(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int main(int argc, char **argv)
{
	struct opts *o = calloc(1, sizeof(*o));
	struct monmap m;
	struct conf *conf = NULL;
	bool modified = false, conf_given = false, need_conf;
	char **args = NULL;
	int nargs = 0, r;

	if (argc > 0 && argv[0])
		prog = argv[0];
	if (argc < 2) {
		fprintf(stderr, "%s: -h or --help for usage\n", prog);
		free(o);
		return EXIT_USAGE;
	}
	monmap_init(&m);
	if (!o) {
		fprintf(stderr, "monmaptool: out of memory\n");
		return EXIT_FAIL;
	}
	/* Split: `--fsid` and our options stay; conf_parse_argv consumes
	 * -c, -m, --mon-host and any other configuration option.  Our own
	 * option names are not configuration options, but --fsid is, so it
	 * is lifted out first. */
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args) {
		r = EXIT_FAIL;
		goto out;
	}
	args[nargs++] = argv[0];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--fsid") == 0 && i + 1 < argc) {
			o->fsid_text = argv[++i];
			continue;
		}
		args[nargs++] = argv[i];
	}
	args[nargs] = NULL;
	need_conf = false;
	for (int i = 1; i < nargs; i++)
		need_conf |= strcmp(args[i], "--generate") == 0 ||
			     strcmp(args[i], "--set-initial-members") == 0 ||
			     strcmp(args[i], "--filter-initial-members") == 0 ||
			     strcmp(args[i], "-c") == 0 ||
			     strcmp(args[i], "--conf") == 0 ||
			     strcmp(args[i], "-m") == 0 ||
			     strcmp(args[i], "--mon-host") == 0 ||
			     strcmp(args[i], "--mon_host") == 0;
	if (need_conf) {
		r = read_config(&nargs, args, &conf, &conf_given);
		if (r) {
			r = errno_exit(r);
			goto out;
		}
		conf_set_warn(conf, quiet_warn, NULL);
	}
	r = parse_args(o, nargs, args);
	if (r)
		goto out;
	if (!o->filename) {
		complain("must specify monmap filename");
		r = usage_hint();
		goto out;
	}
	if (o->fsid_text) {
		uint8_t u[16];
		if (monmap_uuid_parse(o->fsid_text, u) != 0) {
			complain("invalid fsid '%s'", o->fsid_text);
			r = EXIT_USAGE;
			goto out;
		}
	}
	if (o->min_release) {
		uint8_t rel;
		if (monmap_release_parse(o->min_release, &rel) != 0) {
			complain("unknown release '%s'", o->min_release);
			r = EXIT_USAGE;
			goto out;
		}
	}
	say("monmap file %s", o->filename);
	monmap_release(&m);
	r = load_or_create(o, conf, conf_given, &m, &modified);
	if (r)
		goto out;

	if (o->fsid_text) {
		monmap_uuid_parse(o->fsid_text, m.fsid);
		say("set fsid to %s", o->fsid_text);
		modified = true;
	}
	if (o->min_release) {
		monmap_release_parse(o->min_release, &m.min_mon_release);
		printf("setting min_mon_release = %s\n",
		       monmap_release_name(m.min_mon_release));
		modified = true;
	}
	if (o->all_features) {
		m.persistent_features |= MONMAP_FEATURES_ALL;
		modified = true;
	}
	for (size_t i = 0; i < o->nfeatures; i++) {
		struct feature_req *f = &o->features[i];
		uint64_t *set = f->optional ? &m.optional_features
					    : &m.persistent_features;
		if (f->set)
			*set |= f->bits;
		else
			*set &= ~f->bits;
		modified = true;
	}
	r = apply_adds(&m, o->adds, o->nadds, &modified);
	if (r)
		goto out;
	r = apply_adds(&m, o->addvs, o->naddvs, &modified);
	if (r)
		goto out;
	for (size_t i = 0; i < o->nrms; i++) {
		say("removing %s", o->rms[i]);
		if (monmap_remove(&m, o->rms[i]) != 0) {
			complain("map does not contain %s", o->rms[i]);
			r = usage_hint();
			goto out;
		}
		modified = true;
	}
	for (size_t i = 0; i < o->nrafts; i++) {
		struct monmap_mon *mon = monmap_find(&m, o->rafts[i].name, NULL);
		if (!mon) {
			complain("map does not contain %s", o->rafts[i].name);
			r = usage_hint();
			goto out;
		}
		mon->raft = o->rafts[i].sa;
		modified = true;
	}
	if (o->print)
		monmap_print(&m, stdout);
	if (o->feature_list)
		feature_list(&m, o->parseable);
	if (modified) {
		say("writing epoch %u to %s (%zu monitors)", m.epoch, o->filename,
		    m.count);
		r = monmap_write_file(&m, o->filename);
		if (r) {
			complain("error writing to '%s': (%d) %s", o->filename,
				 -r, strerror(-r));
			r = EXIT_USAGE;
			goto out;
		}
	}
	r = 0;
out:
	fflush(stdout);
	monmap_release(&m);
	if (conf)
		conf_destroy(conf);
	free(args);
	free(o);
	return r;
}
