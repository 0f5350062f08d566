/*
 * `osd boot`: how a starting ceph-osd joins the map.  Ceph's OSD sends a
 * boot message and, when osd_crush_update_on_start is set, an `osd crush
 * create-or-move` first; Loligo folds both into one internal command so
 * an OSD becomes up, in, addressed and placed in ONE epoch:
 *
 *   {"prefix": "osd boot", "id": 3, "uuid": "...",
 *    "public_addr": "127.0.0.1:6801", "cluster_addr": "127.0.0.1:6801",
 *    "nonce": 12345, "hostname": "node1",
 *    "crush_location": "host=node1 root=default",   (optional)
 *    "weight": 0.0195,         (optional, CRUSH weight in TiB; 1.0)
 *    "update_crush": true,     (optional, default true)
 *    "device_class": "hdd"}    (optional: set if the OSD has none, even
 *                               without update_crush, as Ceph's
 *                               osd_class_update_on_start)
 *
 * Rules (Ceph's observable behaviour):
 *  - the OSD must exist (`ceph osd new`) and its uuid match;
 *  - a boot from the incarnation already up (same nonce and address)
 *    changes nothing and answers the epoch it came up in, so an OSD may
 *    resend its boot freely; another nonce (a restart) is a new up epoch;
 *  - the OSD is marked in if it is new or was marked out automatically
 *    (not after an admin's `osd out`), unless the noin flag is set; while
 *    noup is set the boot is refused with -EBUSY and the OSD retries;
 *  - with update_crush, an explicit crush_location is create-or-move'd
 *    (moved there if elsewhere); without one an OSD already in the
 *    hierarchy stays where it is, else it goes under host=HOSTNAME
 *    root=default, buckets created as needed.
 * The reply's data is {"epoch": E}, E the epoch in which the OSD is up.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "crush/crush.h"
#include "mon/mon_cmd_internal.h"
#include "msg/msgr.h"
#include "osdmap/osdmap.h"

#define BOOT_DEFAULT_WEIGHT 1.0

struct boot_args {
	int32_t id;
	uint8_t uuid[16];
	struct osdmap_addr pub, clu;
	const char *hostname;
	const char *crush_location;
	const char *device_class;
	double weight;
	bool have_weight;
	bool update_crush;
};

/* "ip:port" with a port, canonicalised ("[::1]:6800"). */
static int parse_addr(struct mon_cmd *c, const char *field, struct osdmap_addr *out)
{
	const char *s = mon_arg_str(c, field);
	struct msgr_addr a;

	if (!s)
		return mon_cmd_fail(c, -EINVAL, "bad or missing field '%s'", field);
	if (strlen(s) >= OSDMAP_ADDR_MAX || msgr_addr_parse(s, 0, &a) || !msgr_addr_port(&a))
		return mon_cmd_fail(c, -EINVAL, "invalid %s '%.200s': expected IP:PORT", field, s);
	msgr_addr_format(&a, out->addr, sizeof(out->addr));
	return 0;
}

/* A CRUSH item name: [A-Za-z0-9-_.]+ */
static bool crush_name_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 255)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

static int parse_args(struct mon_cmd *c, struct boot_args *a)
{
	const char *uuid = mon_arg_str(c, "uuid");
	json_t *v;
	int64_t n;
	int r;

	memset(a, 0, sizeof(*a));
	r = mon_arg_int(c, "id", &n);
	if (r < 0) {
		if (mon_parse_osd_id(mon_arg_str(c, "id"), &a->id))
			return mon_cmd_fail(c, -EINVAL, "bad or missing field 'id'");
	} else if (r == 0 || n < 0 || n >= OSDMAP_MAX_OSD) {
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'id'");
	} else {
		a->id = (int32_t)n;
	}
	if (!uuid || osdmap_uuid_parse(uuid, a->uuid))
		return mon_cmd_fail(c, -EINVAL, "bad or missing field 'uuid'");
	if (parse_addr(c, "public_addr", &a->pub))
		return c->rc;
	if (mon_arg_str(c, "cluster_addr")) {
		if (parse_addr(c, "cluster_addr", &a->clu))
			return c->rc;
	} else {
		a->clu = a->pub;
	}
	r = mon_arg_int(c, "nonce", &n);
	if (r < 0 || (r > 0 && (n < 0 || n > UINT32_MAX)))
		return mon_cmd_fail(c, -EINVAL, "bad field 'nonce': expected an integer 0..4294967295");
	a->pub.nonce = a->clu.nonce = r > 0 ? (uint32_t)n : 0;
	a->hostname = mon_arg_str(c, "hostname");
	if (a->hostname && !crush_name_ok(a->hostname))
		return mon_cmd_fail(c, -EINVAL,
				    "invalid hostname '%.200s': a CRUSH name is [A-Za-z0-9-_.]+",
				    a->hostname);
	a->crush_location = mon_arg_str(c, "crush_location");
	if (a->crush_location && !a->crush_location[strspn(a->crush_location, " \t,;")])
		a->crush_location = NULL;
	a->device_class = mon_arg_str(c, "device_class");
	if (a->device_class && !*a->device_class)
		a->device_class = NULL;
	if (a->device_class && !crush_name_ok(a->device_class))
		return mon_cmd_fail(c, -EINVAL, "invalid device_class '%.200s'", a->device_class);
	r = mon_arg_float(c, "weight", &a->weight);
	if (r < 0 || (r > 0 && (!(a->weight >= 0) ||
				a->weight * 0x10000 > (double)CRUSH_MAX_DEVICE_WEIGHT)))
		return mon_cmd_fail(c, -EINVAL, "bad field 'weight': expected a CRUSH weight >= 0");
	a->have_weight = r > 0;
	if (!a->have_weight)
		a->weight = BOOT_DEFAULT_WEIGHT;
	v = json_object_get(c->args, "update_crush");
	a->update_crush = !v || json_is_null(v) || mon_arg_bool(c, "update_crush", NULL);
	if (v && !json_is_boolean(v) && !json_is_null(v) && !json_is_string(v))
		return mon_cmd_fail(c, -EINVAL, "bad field 'update_crush': expected a boolean");
	return 0;
}

/* Split "host=foo root=default" (spaces, commas or semicolons). */
static int split_location(char *text, const char **words, int max)
{
	int n = 0;

	for (char *save = NULL, *t = strtok_r(text, " \t,;", &save); t;
	     t = strtok_r(NULL, " \t,;", &save)) {
		if (n == max)
			return -E2BIG;
		words[n++] = t;
	}
	return n;
}

/*
 * Place the OSD in an editable copy of the CRUSH map.  *out is NULL when
 * nothing changes, else the edited map (the caller owns it).
 */
static int place_in_crush(struct mon_cmd *c, const struct boot_args *a, struct crush_map **out)
{
	const struct crush_map *cur = c->st->osdmap->crush;
	const char *words[MON_CRUSH_LOC_MAX];
	char text[1024], hostw[300], err[512] = "";
	enum mon_crush_placed what = MON_CRUSH_UNCHANGED;
	struct mon_crush_loc l;
	struct crush_map *map;
	int32_t class_id;
	bool placed = crush_map_device_in_hierarchy(cur, a->id), classed = false;
	int n, r;

	*out = NULL;
	if (!a->update_crush) {
		n = 0;
	} else if (a->crush_location) {
		snprintf(text, sizeof(text), "%s", a->crush_location);
		n = split_location(text, words, MON_CRUSH_LOC_MAX);
		if (n < 0)
			return mon_cmd_fail(c, -EINVAL, "crush_location '%.200s' has too many words",
					    a->crush_location);
	} else if (!placed) {
		if (!a->hostname)
			return mon_cmd_fail(c, -EINVAL,
					    "osd.%d is not in the CRUSH map and the boot names no "
					    "hostname or crush_location", a->id);
		snprintf(hostw, sizeof(hostw), "host=%s", a->hostname);
		words[0] = hostw;
		words[1] = "root=default";
		n = 2;
	} else {
		n = 0;
	}
	if (n && mon_crush_loc_parse(c, cur, words, n, &l, true))
		return c->rc;
	classed = a->device_class && crush_map_item_class(cur, a->id, &class_id) == -ENOENT;
	if (!n && !classed)
		return 0;
	if (n && crush_map_item_at_loc(cur, a->id, l.v, l.n, NULL) && !classed)
		return 0;
	map = mon_cmd_crush_copy(c);
	if (!map)
		return c->rc;
	/* the class first, then the location: Ceph's OSD sends them in that
	 * order, so the shadow "default~hdd" takes its id before the host */
	if (classed) {
		r = crush_class_get_or_create(map, a->device_class, &class_id);
		if (r >= 0)
			r = crush_pairs_set(&map->class_map, a->id, class_id);
		if (r >= 0)
			r = crush_map_populate_classes(map);
		if (r < 0)
			goto out_fail;
	}
	if (n) {
		r = mon_crush_create_or_move(map, a->id, (uint32_t)(a->weight * 0x10000), &l, &what,
					     err, sizeof(err));
		if (r >= 0 && classed)
			r = crush_map_populate_classes(map);
		if (r < 0)
			goto out_fail;
	}
	crush_map_finalize(map);
	*out = map;
	return 0;

out_fail:
	crush_map_destroy(map);
	if (err[0])
		return mon_cmd_fail(c, r, "cannot place osd.%d in the CRUSH map: %s", a->id, err);
	return mon_cmd_fail(c, r, "cannot place osd.%d in the CRUSH map: (%d) %s", a->id, -r,
			    strerror(-r));
}

static int reply_epoch(struct mon_cmd *c, uint32_t epoch)
{
	json_t *o = json_object();

	if (o)
		json_object_set_new(o, "epoch", json_integer(epoch));
	return mon_out_json(c, o, MON_FORMAT_JSON);
}

int mon_cmd_osd_boot(struct mon_cmd *c)
{
	const struct osdmap *m = c->st->osdmap;
	static const uint8_t zero[16];
	const struct osdmap_osd *o;
	struct crush_map *crush = NULL;
	struct osdmap_inc_osd *io;
	struct osdmap_inc *inc;
	struct boot_args a;
	char have[37], got[37];
	bool mark_in;
	int r;

	if (parse_args(c, &a))
		return c->rc;
	if (!osdmap_exists(m, a.id))
		return mon_cmd_fail(c, -ENOENT, "osd.%d does not exist; create it with `ceph osd new`",
				    a.id);
	o = &m->osds[a.id];
	if (memcmp(o->uuid, zero, 16) && memcmp(o->uuid, a.uuid, 16)) {
		osdmap_uuid_str(o->uuid, have);
		osdmap_uuid_str(a.uuid, got);
		return mon_cmd_fail(c, -EEXIST, "osd.%d has uuid %s, not the booting osd's %s", a.id,
				    have, got);
	}
	if (o->state & OSD_STATE_DESTROYED)
		return mon_cmd_fail(c, -EPERM, "osd.%d is destroyed; recreate it with `ceph osd new`",
				    a.id);
	if ((o->state & OSD_STATE_UP) && o->public_addr.nonce == a.pub.nonce &&
	    strcmp(o->public_addr.addr, a.pub.addr) == 0) {
		snprintf(c->outs, sizeof(c->outs), "osd.%d is already up since epoch %u", a.id,
			 o->up_from);
		return reply_epoch(c, o->up_from);
	}
	if (m->flags & OSDMAP_FLAG_NOUP)
		return mon_cmd_fail(c, -EBUSY, "noup flag is set; osd.%d stays down until it is unset",
				    a.id);
	if ((a.update_crush || a.device_class) && place_in_crush(c, &a, &crush))
		return c->rc;

	inc = mon_cmd_inc(c);
	if (!inc) {
		crush_map_destroy(crush);
		return c->rc;
	}
	r = 0;
	if (crush) {
		r = osdmap_inc_set_crush(inc, crush);
		crush_map_destroy(crush);
	}
	if (!r)
		r = osdmap_inc_osd_up(inc, a.id, &a.pub, &a.clu);
	io = r ? NULL : osdmap_inc_osd(inc, a.id);
	if (!io && !r)
		r = -ENOMEM;
	if (!r) {
		/* An automatic out ends with the boot; an admin's does not. */
		mark_in = (o->state & (OSD_STATE_NEW | OSD_STATE_AUTOOUT)) &&
			  o->weight == OSDMAP_WEIGHT_OUT && !(m->flags & OSDMAP_FLAG_NOIN);
		io->state_set &= ~OSD_STATE_AUTOOUT;
		if (o->state & OSD_STATE_AUTOOUT)
			io->state_clear |= OSD_STATE_AUTOOUT;
		if (!memcmp(o->uuid, zero, 16)) {
			io->mask |= OSDMAP_INC_UUID;
			memcpy(io->uuid, a.uuid, 16);
		}
		if (mark_in)
			r = osdmap_inc_osd_weight(inc, a.id, OSDMAP_WEIGHT_IN);
	}
	if (r) {
		osdmap_inc_destroy(inc);
		return mon_cmd_fail(c, r, "(%d) %s", -r, strerror(-r));
	}
	if (mon_cmd_commit(c, inc))
		return c->rc;
	snprintf(c->outs, sizeof(c->outs), "osd.%d up at epoch %u", a.id, c->st->osdmap->epoch);
	return reply_epoch(c, c->st->osdmap->epoch);
}
