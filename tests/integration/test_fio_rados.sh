#!/usr/bin/env bash
# Debian's fio, unchanged, with --ioengine=rados on Loligo's librados.so.2
# (first on LD_LIBRARY_PATH): a 4k random-write job and a 4M sequential
# write job against pool rbd of a cluster from scripts/start.sh, each run
# to completion with no error and every byte written.
#
# fio is linked against librbd.so.1 too (with BIND_NOW), and Debian's
# librbd needs Ceph's own librados C++ symbols, so Loligo's librbd.so.1
# (every rbd_* symbol, -EOPNOTSUPP until RBD lands) sits next to its
# librados.so.2; the rados engine never calls it.  Skips without fio or
# ceph-osd, or when only a sanitized librados exists (fio cannot load an
# ASan library).
#
# Env: LOLIGO_BIN (the build's bin/), LOLIGO_SRC (the checkout).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
SRC="${LOLIGO_SRC:?set LOLIGO_SRC to the checkout}"
FIO=$(command -v fio || true)
if [[ -z $FIO ]]; then
	echo "SKIP: fio is not installed"
	exit 0
fi
if ! "$FIO" --enghelp=rados >/dev/null 2>&1; then
	echo "SKIP: this fio has no rados engine"
	exit 0
fi
for t in ceph-mon ceph-osd ceph; do
	if [[ ! -x $BIN/$t ]]; then
		echo "SKIP: $BIN/$t is not built yet"
		exit 0
	fi
done
sanitized() { ldd "$1" 2>/dev/null | grep -q 'libasan\|libubsan'; }
LIB=$(cd "$BIN/../lib" 2>/dev/null && pwd)
if [[ -z $LIB || ! -e $LIB/librados.so.2 ]] || sanitized "$LIB/librados.so.2"; then
	LIB=${LOLIGO_RELEASE_LIB:-$SRC/build/lib}
	if [[ ! -e $LIB/librados.so.2 ]] || sanitized "$LIB/librados.so.2"; then
		echo "SKIP: no unsanitized librados.so.2; build $SRC/build or set LOLIGO_RELEASE_LIB"
		exit 0
	fi
	LIB=$(cd "$LIB" && pwd)
fi

WORK=$(mktemp -d)
D=$WORK/c
cleanup() {
	LOLIGO_DATA=$D "$SRC/scripts/stop.sh" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

if [[ ! -e $LIB/librbd.so.1 ]]; then
	echo "FAIL: $LIB has librados.so.2 but no librbd.so.1 (fio needs both)"
	exit 1
fi

if ! LOLIGO_DATA=$D LOLIGO_BIN=$BIN "$SRC/scripts/start.sh" >"$WORK/start.out" 2>&1; then
	echo "FAIL: scripts/start.sh"
	cat "$WORK/start.out"
	exit 1
fi

fails=0
run_job() { # name, fio arguments...
	local name=$1 out=$WORK/$1.out
	shift
	LD_LIBRARY_PATH=$LIB timeout 300 "$FIO" --ioengine=rados \
		--clientname=admin --pool=rbd --conf="$D/ceph.conf" \
		--name="$name" --output-format=json "$@" >"$out" 2>"$WORK/$name.err"
	local rc=$?
	if [[ $rc != 0 ]]; then
		echo "FAIL: fio $name exited $rc"
		cat "$WORK/$name.err" "$out"
		fails=$((fails + 1))
		return
	fi
	if ! /usr/bin/python3 - "$out" "$name" <<'PY'
import json, sys
out, name = sys.argv[1], sys.argv[2]
text = open(out).read()
job = json.loads(text[text.index("{"):])["jobs"][0]
w = job["write"]
print("%s: error=%d, %d bytes written, %.0f IOPS, %.1f MiB/s" %
      (name, job["error"], w["io_bytes"], w["iops"], w["bw_bytes"] / 2**20))
sys.exit(0 if job["error"] == 0 and w["io_bytes"] == 32 << 20 else 1)
PY
	then
		echo "FAIL: fio $name did not write everything without error"
		fails=$((fails + 1))
	fi
}
run_job rand4k --rw=randwrite --bs=4k --iodepth=16 --size=32m --nrfiles=8
run_job seq4m --rw=write --bs=4m --iodepth=16 --size=32m

# The data is really there: each job's objects exist in the pool.
n=$("$BIN/ceph" -c "$D/ceph.conf" df -f json | /usr/bin/python3 -c \
	'import json,sys; print([p for p in json.load(sys.stdin)["pools"] if p["name"]=="rbd"][0]["stats"]["objects"])')
echo "pool rbd holds $n objects"
[[ $n -ge 1 ]] || { echo "FAIL: no objects in rbd"; fails=$((fails + 1)); }

if [[ $fails == 0 ]]; then
	echo "PASS: fio --ioengine=rados on Loligo's librados"
	exit 0
fi
exit 1
