#!/usr/bin/env bash
# Debian's python3-rados, unchanged, against Loligo: with LD_LIBRARY_PATH
# at our lib/ it loads our librados.so.2 (checked in /proc/self/maps),
# connects to a 3-monitor cluster from scripts/start.sh, and manages pools
# through it.  Python cannot load a sanitized library without preloading
# the sanitizer runtime, so under an ASan build this uses the release
# build's library (LOLIGO_RELEASE_LIB, or <checkout>/build/lib) if there is
# one and otherwise skips.  Skips without python3-rados or ceph-mon.
#
# Env: LOLIGO_BIN (the build's bin/), LOLIGO_SRC (the checkout).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
SRC="${LOLIGO_SRC:?set LOLIGO_SRC to the checkout}"
PY=/usr/bin/python3
for t in ceph-mon ceph; do
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
try:
    io.write_full("obj", b"data")
    check("write_full not supported yet", False)
except rados.Error as e:
    check("write_full -> %s (no OSD yet)" % type(e).__name__, True)
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
