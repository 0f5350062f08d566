/*
 * `ceph-osd --mkfs` and the superblock.  The superblock is the object
 * "osd_superblock" of the store's "meta" collection: a versioned body of
 * (cluster fsid, OSD uuid, whoami).  Beside the store, the data folder
 * holds Ceph's small text files (`fsid` is the OSD's uuid, `ceph_fsid` the
 * cluster's, `whoami`, `type`, `magic`) so tools that look at an OSD
 * folder find what they expect.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config.h"
#include "common/encoding.h"
#include "osd/internal.h"
#include "osd/osd.h"
#include "osdc/monc.h"

#define SB_VERSION 1

int osd__superblock_encode(const struct osd_superblock *sb, struct enc_buf *b)
{
	size_t mark = enc_start(b, SB_VERSION, 1);

	enc_put_bytes(b, sb->cluster_fsid, 16);
	enc_put_bytes(b, sb->osd_uuid, 16);
	enc_put_s32(b, sb->whoami);
	return enc_finish(b, mark);
}

int osd__superblock_decode(const void *buf, size_t len, struct osd_superblock *sb)
{
	struct dec_cursor d, sub;
	uint8_t v;

	dec_init(&d, buf, len);
	if (dec_start(&d, SB_VERSION, &v, &sub))
		return dec_error(&d);
	dec_bytes(&sub, sb->cluster_fsid, 16);
	dec_bytes(&sub, sb->osd_uuid, 16);
	sb->whoami = dec_s32(&sub);
	return dec_finish(&d, &sub) ? -EBADMSG : 0;
}

int osd__superblock_read(struct os_store *st, struct osd_superblock *sb)
{
	struct os_stat s;
	uint8_t *buf;
	ssize_t n;
	int r;

	r = os_stat(st, OSD_META_COLL, OSD_SUPERBLOCK_OID, &s);
	if (r)
		return r == -ENOENT ? -ENOENT : r;
	if (s.size == 0 || s.size > 4096)
		return -EBADMSG;
	buf = malloc(s.size);
	if (!buf)
		return -ENOMEM;
	n = os_read(st, OSD_META_COLL, OSD_SUPERBLOCK_OID, 0, s.size, buf);
	r = n < 0 ? (int)n : osd__superblock_decode(buf, (size_t)n, sb);
	free(buf);
	return r;
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", text);
	if (fflush(f) || fsync(fileno(f))) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

static int mkdir_p(const char *dir)
{
	char buf[4096];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		buf[i] = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		buf[i] = dir[i];
	}
	return 0;
}

static bool uuid_zero(const uint8_t u[16])
{
	for (int i = 0; i < 16; i++)
		if (u[i])
			return false;
	return true;
}

static int random_uuid(uint8_t u[16])
{
	FILE *f = fopen("/dev/urandom", "r");
	size_t n;

	if (!f)
		return -errno;
	n = fread(u, 1, 16, f);
	fclose(f);
	if (n != 16)
		return -EIO;
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
	return 0;
}

/* The cluster fsid: ceph.conf's, else the monitors'. */
static int cluster_fsid(struct conf *conf, int whoami, uint8_t fsid[16], char *err,
			size_t errlen)
{
	struct monc_opts mo = { .conf = conf, .timeout_ms = 15000 };
	char buf[64], name[32];
	struct osdmap *map;
	struct monc *mc;
	int r;

	if (conf_get(conf, "fsid", buf, sizeof(buf)) == 0 && osdmap_uuid_parse(buf, fsid) == 0 &&
	    !uuid_zero(fsid))
		return 0;
	snprintf(name, sizeof(name), "osd.%d", whoami);
	mo.name = name;
	r = monc_create(&mo, &mc, err, errlen);
	if (r) {
		if (!err[0])
			snprintf(err, errlen, "no fsid in ceph.conf and no monitor answered: %s",
				 strerror(-r));
		return r;
	}
	map = monc_osdmap(mc);
	memcpy(fsid, map->fsid, 16);
	osdmap_put(map);
	monc_destroy(mc);
	return 0;
}

int osd_mkfs(struct conf *conf, int whoami, char *err, size_t errlen)
{
	struct osd_superblock sb = { .whoami = whoami }, old;
	char dir[4096], buf[64], text[64];
	struct os_store *st = NULL;
	struct os_txn *t = NULL;
	bool uuid_given;
	struct enc_buf b;
	int r;

	err[0] = 0;
	r = conf_get(conf, "osd_data", dir, sizeof(dir));
	if (r) {
		snprintf(err, errlen, "osd_data: %s", strerror(-r));
		return r;
	}
	if (conf_get(conf, "osd_uuid", buf, sizeof(buf)) == 0 && buf[0] &&
	    osdmap_uuid_parse(buf, sb.osd_uuid)) {
		snprintf(err, errlen, "invalid osd uuid '%s'", buf);
		return -EINVAL;
	}
	uuid_given = !uuid_zero(sb.osd_uuid);
	if (!uuid_given && (r = random_uuid(sb.osd_uuid))) {
		snprintf(err, errlen, "cannot make a uuid: %s", strerror(-r));
		return r;
	}
	r = cluster_fsid(conf, whoami, sb.cluster_fsid, err, errlen);
	if (r)
		return r;
	r = mkdir_p(dir);
	if (r) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(-r));
		return r;
	}
	r = os_open(dir, NULL, &st);
	if (r) {
		snprintf(err, errlen, "cannot open the object store in %s: %s", dir,
			 strerror(-r));
		return r;
	}
	r = osd__superblock_read(st, &old);
	if (r == 0) {
		char have[37];

		osdmap_uuid_str(old.osd_uuid, have);
		if (old.whoami != whoami ||
		    (uuid_given && memcmp(old.osd_uuid, sb.osd_uuid, 16))) {
			snprintf(err, errlen, "%s already holds osd.%d (uuid %s)", dir, old.whoami,
				 have);
			r = -EEXIST;
			goto out_close;
		}
		sb = old; /* the same OSD again: nothing to do */
		goto write_files;
	}
	if (r != -ENOENT) {
		snprintf(err, errlen, "cannot read the superblock in %s: %s", dir, strerror(-r));
		goto out_close;
	}
	enc_buf_init(&b);
	osd__superblock_encode(&sb, &b);
	t = os_txn_create();
	if (!t || enc_buf_error(&b)) {
		enc_buf_release(&b);
		r = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out_close;
	}
	if (!os_collection_exists(st, OSD_META_COLL))
		os_txn_create_collection(t, OSD_META_COLL);
	os_txn_write_full(t, OSD_META_COLL, OSD_SUPERBLOCK_OID, b.len, b.data);
	r = os_txn_apply(st, t);
	enc_buf_release(&b);
	os_txn_destroy(t);
	if (r) {
		snprintf(err, errlen, "cannot write the superblock: %s", strerror(-r));
		goto out_close;
	}
write_files:
	osdmap_uuid_str(sb.osd_uuid, text);
	r = write_text(dir, "fsid", text);
	osdmap_uuid_str(sb.cluster_fsid, text);
	if (!r)
		r = write_text(dir, "ceph_fsid", text);
	snprintf(text, sizeof(text), "%d", whoami);
	if (!r)
		r = write_text(dir, "whoami", text);
	if (!r)
		r = write_text(dir, "type", "loligo");
	if (!r)
		r = write_text(dir, "magic", "ceph osd volume v026");
	if (r)
		snprintf(err, errlen, "cannot write files in %s: %s", dir, strerror(-r));
out_close:
	os_close(st);
	return r;
}
