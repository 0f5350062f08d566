#!/usr/bin/env bash
# librados_ops_test (tests/integration/librados_ops_test.c) against a
# real cluster from scripts/start.sh (three monitors, three OSDs, pool
# rbd) in a temporary folder: every object call sync and aio, compound
# ops, xattrs/omap, listing, 8 threads x 100 aio writes, stats, deleted
# pools.  The cluster is stopped on any exit.  Skips when ceph-osd or the
# test program is not built.
#
# Env: LOLIGO_BIN (the build's bin/), LOLIGO_SRC (the checkout).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
SRC="${LOLIGO_SRC:?set LOLIGO_SRC to the checkout}"
for t in ceph-mon ceph-osd ceph librados_ops_test; do
	if [[ ! -x $BIN/$t ]]; then
		echo "SKIP: $BIN/$t is not built yet"
		exit 0
	fi
done

WORK=$(mktemp -d)
D=$WORK/c
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
if ! "$BIN/ceph" -c "$D/ceph.conf" osd pool ls | grep -qx rbd; then
	"$BIN/ceph" -c "$D/ceph.conf" osd pool create rbd >/dev/null || exit 1
fi

timeout 600 "$BIN/librados_ops_test" "$D/ceph.conf" rbd
rc=$?
if [[ $rc != 0 ]]; then
	echo "FAIL: librados_ops_test ($rc); OSD logs:"
	tail -n 20 "$D"/log/osd.*.log 2>/dev/null
fi
exit $rc
