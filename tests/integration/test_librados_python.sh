#!/usr/bin/env bash
# Debian's python3-rados, unchanged, against Loligo: with LD_LIBRARY_PATH
# at our lib/ it loads our librados.so.2 (checked in /proc/self/maps),
# connects to a cluster from scripts/start.sh (three monitors, three
# OSDs, pool rbd), manages pools, and does object I/O through it: write,
# read, stat, list (namespaces too), remove, xattrs, omap through
# WriteOpCtx/ReadOpCtx, aio with callbacks, and the errors mapped to
# Python's exceptions.  Python cannot load a sanitized library without preloading
# the sanitizer runtime, so under an ASan build this uses the release
# build's library (LOLIGO_RELEASE_LIB, or <checkout>/build/lib) if there is
# one and otherwise skips.  Skips without python3-rados or ceph-mon.
#
# Env: LOLIGO_BIN (the build's bin/), LOLIGO_SRC (the checkout).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
SRC="${LOLIGO_SRC:?set LOLIGO_SRC to the checkout}"
PY=/usr/bin/python3
for t in ceph-mon ceph-osd ceph; do
	if [[ ! -x $BIN/$t ]]; then
		echo "SKIP: $BIN/$t is not built yet"
		exit 0
	fi
done
if ! $PY -c 'import rados' 2>/dev/null; then
	echo "SKIP: python3-rados is not installed"
	exit 0
fi

# A library built with ASan shows libasan among its dependencies.
sanitized() { ldd "$1" 2>/dev/null | grep -q 'libasan\|libubsan'; }
LIB=$(cd "$BIN/../lib" 2>/dev/null && pwd)
if [[ -z $LIB || ! -e $LIB/librados.so.2 ]] || sanitized "$LIB/librados.so.2"; then
	LIB=${LOLIGO_RELEASE_LIB:-$SRC/build/lib}
	if [[ ! -e $LIB/librados.so.2 ]] || sanitized "$LIB/librados.so.2"; then
		echo "SKIP: no unsanitized librados.so.2 (python cannot load an ASan library); build $SRC/build or set LOLIGO_RELEASE_LIB"
		exit 0
	fi
	LIB=$(cd "$LIB" && pwd)
fi

WORK=$(mktemp -d)
D=$WORK/c1
cleanup() {
	LOLIGO_DATA=$D "$SRC/scripts/stop.sh" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

if ! LOLIGO_DATA=$D LOLIGO_BIN=$BIN "$SRC/scripts/start.sh" >"$WORK/start.out" 2>&1; then
	echo "FAIL: scripts/start.sh"
	cat "$WORK/start.out"
	exit 1
fi

LD_LIBRARY_PATH=$LIB $PY - "$D/ceph.conf" "$LIB" <<'PY'
import errno, json, os, sys
import rados

conf, libdir = sys.argv[1], sys.argv[2]
fails = []

def check(what, cond):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        fails.append(what)

maps = open("/proc/self/maps").read()
ours = os.path.realpath(os.path.join(libdir, "librados.so.2"))
check("loaded our library " + ours, ours in maps)
check("no other librados mapped",
      all(ours in l for l in maps.splitlines() if "librados.so" in l))

r = rados.Rados(conffile=conf)
check("version 3.0.0", str(r.version()) == "3.0.0")
r.connect(timeout=30)
fsid = r.get_fsid()
conf_fsid = [l.split("=", 1)[1].strip() for l in open(conf)
             if l.strip().replace("_", " ").startswith("fsid")]
check("fsid %s" % fsid, len(fsid) == 36 and (not conf_fsid or conf_fsid[0] == fsid))
check("instance id", r.get_instance_id() != 0)

rc, out, outs = r.mon_command(json.dumps({"prefix": "osd pool ls", "format": "json"}), b"")
check("mon_command osd pool ls rc=%d" % rc, rc == 0 and isinstance(json.loads(out), list))
rc, out, outs = r.mon_command(json.dumps({"prefix": "no such command"}), b"")
check("mon_command bad command rc=%d" % rc, rc == -errno.EINVAL)

check("pool x absent", not r.pool_exists("x"))
r.create_pool("x")
check("pool x exists", r.pool_exists("x"))
check("x in list_pools %s" % r.list_pools(), "x" in r.list_pools())
try:
    r.create_pool("x")
    check("create existing pool raises", False)
except rados.ObjectExists:
    check("create existing pool raises ObjectExists", True)
pid = r.pool_lookup("x")
check("pool_lookup x = %s" % pid, pid is not None and pid >= 0)
check("pool_reverse_lookup", r.pool_reverse_lookup(pid) == "x")
io = r.open_ioctx("x")
check("ioctx name", io.get_pool_name() == "x")
check("ioctx id", io.get_pool_id() == pid)
io.write_full("obj", b"data")
check("write_full/read", io.read("obj") == b"data")
io.write("obj", b"DA", 0)
io.append("obj", b"++")
check("write/append/read %r" % io.read("obj"), io.read("obj") == b"DAta++")
check("read offset", io.read("obj", 2, 1) == b"At")
size, mtime = io.stat("obj")
check("stat size %d" % size, size == 6)
io.trunc("obj", 2)
check("trunc", io.read("obj") == b"DA")
try:
    io.read("missing")
    check("read missing raises", False)
except rados.ObjectNotFound:
    check("read missing raises ObjectNotFound", True)
try:
    io.stat("missing")
    check("stat missing raises", False)
except rados.ObjectNotFound:
    check("stat missing raises ObjectNotFound", True)

io.set_xattr("obj", "user.a", b"va")
io.set_xattr("obj", "big", b"x" * 100000)
check("get_xattr", io.get_xattr("obj", "user.a") == b"va")
check("get_xattr big", io.get_xattr("obj", "big") == b"x" * 100000)
xs = dict(io.get_xattrs("obj"))
check("get_xattrs %s" % sorted(xs), sorted(xs) == ["big", "user.a"])
io.rm_xattr("obj", "user.a")
try:
    io.get_xattr("obj", "user.a")
    check("removed xattr raises", False)
except rados.NoData:
    check("removed xattr raises NoData", True)
try:
    io.rm_xattr("obj", "user.a")
    check("removing an absent xattr succeeds (as Ceph)", True)
except rados.Error as e:
    check("removing an absent xattr succeeds (as Ceph): %s" % e, False)

# assert_version: Ceph's codes (EINVAL for 0, EOVERFLOW past, ERANGE behind)
io.stat("obj")
ver = io.get_last_version()
codes = []
for a in (0, ver + 1, ver - 1, ver):
    try:
        with rados.WriteOpCtx() as op:
            op.assert_version(a)
            op.set_xattr("av", b"1") if hasattr(op, "set_xattr") else None
            io.operate_write_op(op, "obj")
        codes.append(0)
    except rados.Error as e:
        codes.append(getattr(e, "errno", None))
check("assert_version codes %s" % codes,
      codes == [errno.EINVAL, errno.EOVERFLOW, errno.ERANGE, 0])
check("replicated pool needs no alignment", io.alignment() is None)
rc, out, outs = r.mgr_command(json.dumps({"prefix": "df", "format": "json"}), b"")
check("mgr_command df answered by the monitors rc=%d" % rc,
      rc == 0 and "pools" in json.loads(out))
rc, out, outs = r.osd_command(0, json.dumps({"prefix": "version"}), b"")
check("osd_command: EOPNOTSUPP with a reason (%d, %r)" % (rc, outs),
      rc == -errno.EOPNOTSUPP and "not supported" in outs)

with rados.WriteOpCtx() as op:
    io.set_omap(op, ("k1", "k2", "k3"), (b"v1", b"v2", b"v3"))
    io.operate_write_op(op, "obj")
with rados.ReadOpCtx() as op:
    it, ret = io.get_omap_vals(op, "", "", 10)
    io.operate_read_op(op, "obj")
    vals = dict(it)
check("omap vals %s" % vals, vals == {"k1": b"v1", "k2": b"v2", "k3": b"v3"})
with rados.ReadOpCtx() as op:
    it, ret = io.get_omap_vals_by_keys(op, ("k2", "nope"))
    io.operate_read_op(op, "obj")
    vals = dict(it)
check("omap vals by keys %s" % vals, vals == {"k2": b"v2"})
with rados.ReadOpCtx() as op:
    it, ret = io.get_omap_keys(op, "k1", 10)
    io.operate_read_op(op, "obj")
    keys = [k for k, v in it]
check("omap keys after k1 %s" % keys, keys == ["k2", "k3"])
with rados.WriteOpCtx() as op:
    io.remove_omap_keys(op, ("k1",))
    io.operate_write_op(op, "obj")
with rados.ReadOpCtx() as op:
    it, ret = io.get_omap_vals(op, "", "", 10)
    io.operate_read_op(op, "obj")
    keys = [k for k, v in it]
check("omap after rm %s" % keys, keys == ["k2", "k3"])
with rados.WriteOpCtx() as op:
    io.clear_omap(op)
    io.operate_write_op(op, "obj")

import threading
done = threading.Event()
res = {}
def oncomplete(comp):
    res["rv"] = comp.get_return_value()
    done.set()
comp = io.aio_write_full("aioobj", b"async", oncomplete=oncomplete)
comp.wait_for_complete()
check("aio_write_full callback", done.wait(10) and res["rv"] == 0)
got = {}
ev = threading.Event()
def onread(comp, data):
    got["d"] = data
    ev.set()
io.aio_read("aioobj", 5, 0, onread)
ok = ev.wait(10)
check("aio_read %r" % got.get("d"), ok and got["d"] == b"async")

io.set_namespace("ns1")
io.write_full("inns", b"1")
io.set_namespace("")
names = sorted(o.key for o in io.list_objects())
check("list default namespace %s" % names, names == ["aioobj", "obj"])
io.set_namespace("ns1")
names = sorted(o.key for o in io.list_objects())
check("list ns1 %s" % names, names == ["inns"])
io.remove_object("inns")
io.set_namespace("")
io.remove_object("obj")
io.remove_object("aioobj")
check("list empty after remove", list(io.list_objects()) == [])
try:
    io.remove_object("obj")
    check("remove missing raises", False)
except rados.ObjectNotFound:
    check("remove missing raises ObjectNotFound", True)
st = io.get_stats()
check("pool stats %s" % st.get("num_objects"), "num_objects" in st)
cs = r.get_cluster_stats()
check("cluster stats kb %d" % cs["kb"], cs["kb"] > 0)
io.close()
try:
    r.open_ioctx("nonexistent")
    check("open_ioctx on a missing pool raises", False)
except rados.ObjectNotFound:
    check("open_ioctx on a missing pool raises ObjectNotFound", True)
r.delete_pool("x")
check("pool x gone", not r.pool_exists("x") and "x" not in r.list_pools())
try:
    r.delete_pool("x")
    check("delete missing pool raises", False)
except rados.ObjectNotFound:
    check("delete missing pool raises ObjectNotFound", True)
r.shutdown()
print("%d failure(s)" % len(fails))
sys.exit(1 if fails else 0)
PY
rc=$?
[[ $rc == 0 ]] && echo "PASS: python3-rados on Loligo's librados" || echo "FAIL: python3-rados"
exit $rc
