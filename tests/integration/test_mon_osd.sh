#!/usr/bin/env bash
# The monitors' side of the OSDs, on three real ceph-mon processes started
# by scripts/start.sh in a temp folder: `ceph osd new`, `osd boot` (sent as
# an OSD sends it, by mon_client_tool), the CRUSH placement it makes, and
# the PG statistics OSDs report (played by mon_client_tool --pg-stats),
# checked through the real `ceph` CLI: osd tree, -s, health, pg stat,
# pg dump, df, osd df, on every monitor.
#
# Env: LOLIGO_BIN (the build's bin/), LOLIGO_SRC (the source tree).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
SRC="${LOLIGO_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}"
TOOL="$BIN/mon_client_tool"
for t in "$BIN/ceph-mon" "$BIN/ceph" "$TOOL"; do
	if [ ! -x "$t" ]; then
		echo "SKIP: $t not built"
		exit 0
	fi
done
WORK="$(mktemp -d)"
DATA="$WORK/cluster"
fail=0
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$WORK/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$WORK/ubsan"

cleanup() {
	# Only the monitors this test started, by their pid files.
	for p in "$DATA"/run/ceph-mon.*.pid; do
		[ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
	done
	if [ "$fail" = 0 ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
# expect DESCRIPTION PATTERN TEXT: TEXT matches the extended regex.
expect() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else
		bad "$1: no /$2/ in:"; printf '%s\n' "$3" | sed 's/^/     | /'; fi
}

# monitors only: this test plays the OSDs itself
if ! LOLIGO_OSDS=0 LOLIGO_DATA="$DATA" LOLIGO_BIN="$BIN" LOLIGO_QUIET=1 "$SRC/scripts/start.sh" >"$WORK/start.out" 2>&1; then
	bad "start.sh"; cat "$WORK/start.out"; exit 1
fi
CONF="$DATA/ceph.conf"
MONS=$(sed -n 's/^mon_host *= *//p' "$CONF" | tr -d ' ')
ceph() { "$BIN/ceph" -c "$CONF" --connect-timeout 10 "$@"; }
pgstats() { "$TOOL" --pg-stats "$MONS" "$@" >/dev/null || bad "pg-stats $*"; }

# ---- osd new + osd boot ----
for i in 0 1 2; do
	UUID[$i]=$(cat /proc/sys/kernel/random/uuid)
	got=$(ceph osd new "${UUID[$i]}")
	[ "$got" = "$i" ] && ok "osd new -> $i" || bad "osd new gave '$got'"
done
expect "new OSDs are down" "3 osds: 0 up, 3 in" "$(ceph osd stat)"
boot() { # id nonce [extra JSON members]
	"$TOOL" "$MONS" "{\"prefix\":\"osd boot\",\"id\":$1,\"uuid\":\"${UUID[$1]}\",\"public_addr\":\"127.0.0.1:$((6800 + $1))\",\"cluster_addr\":\"127.0.0.1:$((6900 + $1))\",\"nonce\":$2,\"hostname\":\"host$1\",\"weight\":0.0195,\"device_class\":\"hdd\"${3:-}}" 2>"$WORK/boot.err"
}
for i in 0 1 2; do
	out=$(boot $i $((4000 + i)))
	expect "osd boot $i answers its epoch" '^\{"epoch":[0-9]+\}$' "$out"
done
e1=$(ceph osd dump -f json | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')
out=$(boot 1 4001)
expect "a resent boot changes nothing" "^\{\"epoch\":[0-9]+\}$" "$out"
e2=$(ceph osd dump -f json | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')
[ "$e1" = "$e2" ] && ok "no epoch for a resent boot" || bad "resent boot made epoch $e2 (was $e1)"
tree=$(ceph osd tree)
expect "osd tree: host0 under default" "host host0" "$tree"
expect "osd tree: osd.2 up, class hdd, weight 0.01949" " 2 +hdd +0\.01949 +osd\.2 +up +1\.00000" "$tree"
expect "osd stat: 3 up 3 in" "3 osds: 3 up \(since .*\), 3 in" "$(ceph osd stat)"
dump=$(ceph osd dump)
expect "osd dump: addresses and nonce" "osd\.0 up +in .*127\.0\.0\.1:6800/4000 .*127\.0\.0\.1:6900/4000" "$dump"
"$TOOL" "$MONS" "{\"prefix\":\"osd boot\",\"id\":1,\"uuid\":\"${UUID[0]}\",\"public_addr\":\"127.0.0.1:1\",\"nonce\":1}" >/dev/null 2>"$WORK/err"
rc=$?
[ $rc = 17 ] && ok "boot with another OSD's uuid: EEXIST" || bad "wrong uuid boot rc=$rc: $(cat "$WORK/err")"
"$TOOL" "$MONS" "{\"prefix\":\"osd boot\",\"id\":7,\"uuid\":\"${UUID[0]}\",\"public_addr\":\"127.0.0.1:1\"}" >/dev/null 2>"$WORK/err"
rc=$?
[ $rc = 2 ] && ok "boot of a missing OSD: ENOENT" || bad "missing osd boot rc=$rc"
expect "the missing OSD's message" "osd.7 does not exist; create it with" "$(cat "$WORK/err")"
"$TOOL" "$MONS" '{"prefix":"osd boot","id":0,"uuid":"garbage"}' >/dev/null 2>&1
rc=$?
[ $rc = 22 ] && ok "malformed boot: EINVAL" || bad "malformed boot rc=$rc"
ceph osd boot 0 >/dev/null 2>&1 && bad "the CLI offers osd boot" || ok "the CLI does not offer osd boot"
out=$(ceph osd crush create-or-move osd.2 0.0195 root=default host=host2 2>&1)
expect "create-or-move where it is" "create-or-move updated item name 'osd.2' weight 0.0195 at location \{host=host2,root=default\} to crush map" "$out"

# ---- PGs: unknown until reported ----
ceph osd pool create rbd 16 >/dev/null 2>&1 || bad "pool create"
ceph osd pool set rbd size 3 >/dev/null 2>&1
s=$(ceph -s)
expect "-s: 16 unknown" "pgs: +100\.000% pgs unknown" "$s"
expect "-s: unknown count" "^ +16 unknown$" "$s"
expect "health: inactive" "^HEALTH_WARN Reduced data availability: 16 pgs inactive$" "$(ceph health)"

# ---- the three OSDs report: active+clean ----
for i in 0 1 2; do pgstats $i auto 4 16384; done
s=$(ceph -s)
expect "-s: HEALTH_OK" "health: HEALTH_OK" "$s"
expect "-s: 16 active+clean" "pgs: +16 active\+clean" "$s"
expect "-s: objects" "objects: 64 objects, 256 KiB" "$s"
expect "-s: usage" "usage: +3 GiB used, 27 GiB / 30 GiB avail" "$s"
expect "-s: osds" "osd: 3 osds: 3 up \(since .*\), 3 in" "$s"
expect "health" "^HEALTH_OK$" "$(ceph health)"
expect "health json" '"status": "HEALTH_OK"' "$(ceph health -f json-pretty)"
expect "pg stat" "^16 pgs: 16 active\+clean; 256 KiB data, 3 GiB used, 27 GiB / 30 GiB avail$" "$(ceph pg stat)"
n=$(ceph pg dump pgs_brief 2>/dev/null | grep -c 'active+clean')
[ "$n" = 16 ] && ok "pg dump pgs_brief: 16 rows" || bad "pg dump pgs_brief rows: $n"
expect "pg dump status" "dumped pgs_brief" "$(ceph pg dump pgs_brief 2>&1 >/dev/null)"
df=$(ceph df)
expect "df: class row" "^hdd +30 GiB +27 GiB +3 GiB +3 GiB +10\.00$" "$df"
expect "df: pool row" "^rbd +1 +16 +256 KiB +64 +768 KiB +0 +8\.5 GiB$" "$df"
expect "df detail" "QUOTA OBJECTS" "$(ceph df detail)"
expect "df json" '"stored":262144' "$(ceph df -f json)"
osddf=$(ceph osd df)
expect "osd df: osd.1" "^ 1 +hdd +0\.01949 +1\.00000 +10 GiB +1 GiB .* 10\.00 +1\.00 +16 +up$" "$osddf"
expect "osd df: total" "TOTAL +30 GiB" "$osddf"
pm=$(ceph pg map 1.0)
expect "pg map" "^osdmap e[0-9]+ pg 1\.0 \(1\.0\) -> up \[[0-9],[0-9],[0-9]\] acting \[[0-9],[0-9],[0-9]\]$" "$pm"
om=$(ceph osd map rbd foo)
expect "osd map" "^osdmap e[0-9]+ pool 'rbd' \(1\) object 'foo' -> pg 1\.7fc1f406 \(1\.6\) -> up \(\[[0-9,]+\], p[0-9]\) acting" "$om"
# Every monitor keeps the reports, not only the leader.
for a in ${MONS//,/ }; do
	out=$("$TOOL" --once "$a" '{"prefix":"pg stat"}' 2>/dev/null)
	expect "pg stat on $a" "^16 pgs: 16 active\+clean" "$out"
done

# ---- an OSD goes down ----
ceph osd down 2 >/dev/null 2>&1
# The reports name acting sets from the map the tool fetched, which may
# come from a monitor that has not applied the new epoch yet: report
# again until every PG is accounted for (as real OSDs do every 2 s).
for try in 1 2 3 4 5 6 7 8 9 10; do
	for i in 0 1; do pgstats $i auto 4 16384; done
	h=$(ceph health detail)
	grep -q "16 pgs undersized" <<<"$h" && break
	sleep 0.5
done
expect "health: OSD_DOWN" "^\[WRN\] OSD_DOWN: 1 osds down$" "$h"
expect "health: where" "osd\.2 \(root=default,host=host2\) is down" "$h"
expect "health: degraded" "Degraded data redundancy: 64/192 objects degraded \(33\.333%\), 16 pgs degraded, 16 pgs undersized" "$h"
expect "health detail: a pg line" "^    pg 1\.[0-9a-f]+ is active\+undersized\+degraded, acting \[[0-9],[0-9]\]$" "$h"
expect "-s: degraded objects line" "pgs: +64/192 objects degraded \(33\.333%\)" "$(ceph -s)"
expect "osd df: down" "^ 2 .* 0 +down$" "$(ceph osd df)"
# ---- it restarts: a new incarnation boots at a new epoch ----
out=$(boot 2 5002)
expect "restarted osd.2 boots" '^\{"epoch":[0-9]+\}$' "$out"
expect "osd.2 up again" "3 osds: 3 up" "$(ceph osd stat)"
for i in 0 1 2; do pgstats $i auto 4 16384; done
expect "clean again" "^HEALTH_OK$" "$(ceph health)"

# ---- bad input ----
out=$(ceph pg map 9.0 2>&1); rc=$?
[ $rc = 2 ] && ok "pg map of a missing pool: ENOENT" || bad "pg map 9.0 rc=$rc $out"
out=$(ceph pg map nonsense 2>&1); rc=$?
[ $rc = 22 ] && ok "pg map nonsense: EINVAL" || bad "pg map nonsense rc=$rc $out"
"$TOOL" --pg-stats "$MONS" 9 bogus+state >/dev/null 2>&1 && bad "bogus state accepted" || ok "tool refuses a bogus state"
# The monitors survived everything above.
for p in "$DATA"/run/ceph-mon.*.pid; do
	kill -0 "$(cat "$p")" 2>/dev/null && ok "$(basename "$p" .pid) alive" || bad "$(basename "$p" .pid) died"
done
if ls "$WORK"/asan* "$WORK"/ubsan* >/dev/null 2>&1; then
	bad "sanitizer reports:"; cat "$WORK"/asan* "$WORK"/ubsan* 2>/dev/null | head -50
fi
exit $fail
