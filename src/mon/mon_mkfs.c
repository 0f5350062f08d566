/*
 * `ceph-mon --mkfs`: a new monitor's data folder.  It holds
 *   monmap    the cluster's monitors (monmaptool's file form): our rank,
 *             our client and Raft addresses, our Raft peers;
 *   genesis   the initial replicated state (mon_state_encode): that
 *             monmap at epoch 1 and osdmap epoch 1 with Ceph's default
 *             CRUSH map for an empty cluster;
 *   raft/     libraft's folder, bootstrapped with every monitor of the
 *             monmap as a voter (Raft id = rank + 1);
 *   keyring   a copy of --keyring, if given.
 * Which monitor's genesis becomes the cluster's is decided by Raft (see
 * mon_raft.c note 3), so every monitor may run mkfs on its own.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config.h"
#include "crush/crush.h"
#include "mon/mon.h"
#include "mon/mon_internal.h"

/* Ceph's bucket types of a new cluster, in id order. */
static const char *const crush_types[] = {
	"osd", "host", "chassis", "rack", "row", "pdu", "pod",
	"room", "datacenter", "zone", "region", "root",
};

/* The CRUSH map Ceph's monitor creates for a cluster without OSDs: the
 * types above, an empty straw2 root `default`, `replicated_rule`, jewel
 * tunables.  The rule's failure domain is the type numbered
 * osd_crush_chooseleaf_type (1, host; 0 makes it pick OSDs, which a
 * one-host test cluster needs for pools of size > 1). */
static int default_crush(struct conf *conf, struct crush_map **out, char *err, size_t errlen)
{
	struct crush_map *map;
	int64_t leaf = 1;
	int32_t id;
	int r;

	if (conf_get_int(conf, "osd_crush_chooseleaf_type", &leaf) == -EINVAL ||
	    leaf < 0 || (size_t)leaf >= sizeof(crush_types) / sizeof(crush_types[0])) {
		snprintf(err, errlen, "osd_crush_chooseleaf_type must be a type id from 0 (osd) to %zu (root)",
			 sizeof(crush_types) / sizeof(crush_types[0]) - 1);
		return -EINVAL;
	}
	map = crush_map_create();
	if (!map)
		return -ENOMEM;
	crush_tunables_set_jewel(&map->t);
	for (size_t i = 0; i < sizeof(crush_types) / sizeof(crush_types[0]); i++) {
		r = crush_names_set(&map->type_names, (int32_t)i, crush_types[i]);
		if (r)
			goto out_destroy;
	}
	r = crush_map_add_bucket_named(map, "default", "root", NULL, 0, &id, err, errlen);
	if (r)
		goto out_destroy;
	r = crush_map_add_simple_rule(map, "replicated_rule", "default", crush_types[leaf], NULL,
				      "firstn",
				      CRUSH_RULE_TYPE_REPLICATED, err, errlen);
	if (r < 0)
		goto out_destroy;
	crush_map_finalize(map);
	*out = map;
	return 0;

out_destroy:
	crush_map_destroy(map);
	return r;
}

/* Monitors from ceph.conf: mon_host (named by mon_initial_members in the
 * same order when the counts agree, else noname-a, -b ...), or failing
 * that each [mon.X] section's mon_addr. */
static int add_from_mon_host(struct monmap *mm, const char *hosts, const char *members,
			     char *err, size_t errlen)
{
	char *hl = strdup(hosts), *ml = strdup(members ? members : ""), *save = NULL, *tok;
	char *names[256], *toks[256];
	size_t nn = 0, nt = 0;
	int r = 0;

	if (!hl || !ml) {
		r = -ENOMEM;
		goto out_free;
	}
	for (tok = strtok_r(ml, ", \t", &save); tok && nn < 256; tok = strtok_r(NULL, ", \t", &save))
		names[nn++] = tok;
	/* Split on separators outside brackets: [v2:..,v1:..] is one. */
	for (char *p = hl; *p && nt < 256;) {
		int depth = 0;
		while (*p && strchr(", ;\t", *p))
			p++;
		if (!*p)
			break;
		toks[nt++] = p;
		while (*p && (depth || !strchr(", ;\t", *p))) {
			depth += *p == '[' ? 1 : *p == ']' && depth ? -1 : 0;
			p++;
		}
		if (*p)
			*p++ = 0;
	}
	for (size_t i = 0; i < nt && !r; i++) {
		struct monmap_addr addrs[MONMAP_ADDRVEC_MAX];
		struct sockaddr_storage ip;
		bool port_given;
		unsigned n;
		char name[MONMAP_NAME_MAX];

		if (toks[i][0] == '[' || strncmp(toks[i], "v1:", 3) == 0 ||
		    strncmp(toks[i], "v2:", 3) == 0) {
			if (monmap_addrvec_parse(toks[i], addrs, &n)) {
				snprintf(err, errlen, "invalid address '%s' in mon_host", toks[i]);
				r = -EINVAL;
				break;
			}
		} else if (monmap_ip_parse(toks[i], &ip, &port_given) == 0) {
			monmap_addrvec_from_ip(&ip, port_given, true, addrs, &n);
		} else {
			snprintf(err, errlen, "mon_host entry '%s' is not a numeric address "
				 "(use --monmap for DNS names)", toks[i]);
			r = -EINVAL;
			break;
		}
		if (nn == nt)
			snprintf(name, sizeof(name), "%s", names[i]);
		else
			snprintf(name, sizeof(name), "noname-%c", (char)('a' + (i % 26)));
		r = monmap_add(mm, name, addrs, n, err, errlen);
	}
out_free:
	free(hl);
	free(ml);
	return r;
}

struct section_walk {
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

static int add_from_sections(struct conf *conf, struct monmap *mm, char *err, size_t errlen)
{
	struct section_walk w = { 0 };
	char saved[256] = "", key[300], val[512];
	int r;

	r = conf_foreach_section(conf, collect_mon_section, &w);
	if (r)
		goto out_free;
	conf_get_name(conf, saved, sizeof(saved));
	for (size_t i = 0; i < w.n && !r; i++) {
		struct monmap_addr a = { .type = MONMAP_ADDR_V1 };
		bool port_given;
		snprintf(key, sizeof(key), "mon.%s", w.names[i]);
		if (conf_set_name(conf, key) != 0 ||
		    conf_lookup_file(conf, "mon_addr", val, sizeof(val)) != 0 || !val[0])
			continue;
		if (monmap_ip_parse(val, &a.sa, &port_given) != 0) {
			snprintf(err, errlen, "invalid mon addr '%.200s' for mon.%.100s", val,
				 w.names[i]);
			r = -EINVAL;
			break;
		}
		if (!port_given)
			((struct sockaddr_in *)&a.sa)->sin_port = htons(MONMAP_PORT_V1);
		r = monmap_add(mm, w.names[i], &a, 1, err, errlen);
	}
	if (saved[0])
		conf_set_name(conf, saved);
out_free:
	free(w.names);
	return r;
}

static int monmap_from_conf(struct conf *conf, struct monmap *mm, char *err, size_t errlen)
{
	char *hosts = NULL, *members = NULL;
	int r;

	conf_get_alloc(conf, "mon_initial_members", &members);
	if (conf_get_alloc(conf, "mon_host", &hosts) == 0 && hosts[strspn(hosts, " \t,;")])
		r = add_from_mon_host(mm, hosts, members, err, errlen);
	else
		r = add_from_sections(conf, mm, err, errlen);
	if (r == 0 && mm->count == 0) {
		snprintf(err, errlen, "no monitors in mon_host or [mon.X] sections; "
			 "use --monmap or set mon_host");
		r = -ENOENT;
	}
	free(hosts);
	free(members);
	return r;
}

static int write_file(const char *path, const void *data, size_t len)
{
	char tmp[4300];
	ssize_t n;
	size_t done = 0;
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (done < len) {
		n = write(fd, (const uint8_t *)data + done, len - done);
		if (n < 0) {
			r = -errno;
			break;
		}
		done += (size_t)n;
	}
	if (!r && fsync(fd) < 0)
		r = -errno;
	close(fd);
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	return r;
}

static int copy_file(const char *from, const char *to)
{
	uint8_t buf[65536];
	FILE *f = fopen(from, "rb");
	size_t n, len = 0;
	uint8_t *data = NULL, *p;
	int r;

	if (!f)
		return -errno;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		p = realloc(data, len + n);
		if (!p) {
			free(data);
			fclose(f);
			return -ENOMEM;
		}
		data = p;
		memcpy(data + len, buf, n);
		len += n;
	}
	fclose(f);
	r = write_file(to, data ? data : buf, len);
	free(data);
	return r;
}

static int mkdir_p(const char *path)
{
	char tmp[4096];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* The initial state: the monmap and osdmap epoch 1. */
static int genesis_state(struct conf *conf, const struct monmap *mm, uint8_t **blob, size_t *len, char *err,
			 size_t errlen)
{
	struct crush_map *crush = NULL;
	struct osdmap_inc *inc = NULL;
	struct mon_state st;
	struct enc_buf b;
	int r;

	r = mon_state_init(&st);
	if (r)
		return r;
	monmap_release(st.monmap);
	r = monmap_copy(st.monmap, mm);
	if (r) {
		monmap_init(st.monmap);
		goto out_state;
	}
	if (st.monmap->epoch == 0)
		st.monmap->epoch = 1;
	r = default_crush(conf, &crush, err, errlen);
	if (r)
		goto out_state;
	r = osdmap_inc_create(1, &inc);
	if (r)
		goto out_crush;
	inc->has |= OSDMAP_INC_HAS_CREATED;
	inc->created = inc->modified;
	osdmap_inc_set_fsid(inc, mm->fsid);
	osdmap_inc_set_flags(inc, OSDMAP_FLAGS_DEFAULT);
	r = osdmap_inc_set_crush(inc, crush);
	if (!r)
		r = mon_state_commit_inc(&st, inc);
	if (r) {
		snprintf(err, errlen, "cannot build the initial osdmap: %s", strerror(-r));
		goto out_inc;
	}
	enc_buf_init(&b);
	r = mon_state_encode(&st, &b);
	if (!r)
		*blob = enc_buf_detach(&b, len);
	else
		enc_buf_release(&b);
out_inc:
	osdmap_inc_destroy(inc);
out_crush:
	crush_map_destroy(crush);
out_state:
	mon_state_release(&st);
	return r;
}

static bool fsid_zero(const uint8_t f[16])
{
	for (int i = 0; i < 16; i++)
		if (f[i])
			return false;
	return true;
}

int mon_mkfs(struct conf *conf, const char *monmap_path, const char *keyring_path,
	     char *err, size_t errlen)
{
	char id[MONMAP_NAME_MAX], dir[4096], path[4200], fsid_text[64];
	struct monmap mm;
	uint8_t *blob = NULL;
	size_t len = 0, rank;
	struct stat sb;
	int r;

	err[0] = 0;
	monmap_init(&mm);
	if (conf_get_id(conf, id, sizeof(id)) || conf_get(conf, "mon_data", dir, sizeof(dir))) {
		snprintf(err, errlen, "bad monitor id or mon_data");
		r = -EINVAL;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/raft", dir);
	if (stat(path, &sb) == 0) {
		snprintf(err, errlen, "%s already holds a monitor (remove it to mkfs again)", dir);
		r = -EEXIST;
		goto out;
	}
	if (monmap_path) {
		monmap_release(&mm);
		r = monmap_read_file(&mm, monmap_path);
		if (r) {
			snprintf(err, errlen, "cannot read monmap %s: %s", monmap_path,
				 strerror(-r));
			goto out;
		}
	} else {
		r = monmap_from_conf(conf, &mm, err, errlen);
		if (r)
			goto out;
	}
	/* The fsid: the monmap's, else ceph.conf's. */
	if (fsid_zero(mm.fsid) && conf_get(conf, "fsid", fsid_text, sizeof(fsid_text)) == 0 &&
	    fsid_text[0] && monmap_uuid_parse(fsid_text, mm.fsid) != 0) {
		snprintf(err, errlen, "invalid fsid '%s'", fsid_text);
		r = -EINVAL;
		goto out;
	}
	if (fsid_zero(mm.fsid)) {
		snprintf(err, errlen, "no cluster fsid: set fsid in ceph.conf or use a monmap "
			 "made with monmaptool --create (every monitor needs the same one)");
		r = -EINVAL;
		goto out;
	}
	if (!monmap_find(&mm, id, &rank)) {
		snprintf(err, errlen, "mon.%s is not in the monmap", id);
		r = -ENOENT;
		goto out;
	}
	r = mkdir_p(path);
	if (r) {
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(-r));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/monmap", dir);
	r = monmap_write_file(&mm, path);
	if (r) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-r));
		goto out;
	}
	r = genesis_state(conf, &mm, &blob, &len, err, errlen);
	if (r) {
		if (!err[0])
			snprintf(err, errlen, "cannot build the initial state: %s", strerror(-r));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/genesis", dir);
	r = write_file(path, blob, len);
	if (r) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-r));
		goto out;
	}
	if (keyring_path && keyring_path[0]) {
		snprintf(path, sizeof(path), "%s/keyring", dir);
		r = copy_file(keyring_path, path);
		if (r) {
			snprintf(err, errlen, "cannot copy keyring %s: %s", keyring_path,
				 strerror(-r));
			goto out;
		}
	}
	snprintf(path, sizeof(path), "%s/raft", dir);
	r = mon_raft_bootstrap(&mm, rank, path, err, errlen);
out:
	free(blob);
	monmap_release(&mm);
	return r;
}
