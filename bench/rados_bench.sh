#!/usr/bin/env bash
# rados_bench.sh -- Loligo's OSDs against Debian's Ceph 16.2, side by side in
# one run on this machine: the same workloads on a 3-OSD cluster of each
# (pool size 3, pg_num 32), then the ratios.
#
#   rados bench SECS write -b 4M -t 16 --no-cleanup
#   rados bench SECS seq -t 16
#   rados bench SECS write -b 4K -t 16 (--no-cleanup: the CPU figures
#     cover the writes only; the objects are removed afterwards)
#   fio --ioengine=rados 4k randwrite iodepth 16, and 4M write iodepth 16
#     (the same fio binary; Loligo's librados.so.2 first on LD_LIBRARY_PATH)
#
# Each rados bench runs with its own cluster's `rados` (Ceph's rados is C++
# over Ceph's librados; ours is C over ours).  CPU per operation and OSD
# RSS come from the reference's measure.py (/proc of the daemons).
#
# Env: SECS (30), REF_DIR (/tmp/loligo-bench-ceph), LOL_DIR
# (/tmp/loligo-bench-loligo), SKIP_REF=1 to reuse nothing of Ceph (Loligo
# only), OUT (bench/results/rados-<stamp>).
set -euo pipefail
cd "$(dirname "$0")/.."
TOP=$(pwd)
SECS=${SECS:-30}
REF_DIR=${REF_DIR:-/tmp/loligo-bench-ceph}
LOL_DIR=${LOL_DIR:-/tmp/loligo-bench-loligo}
OUT=${OUT:-$TOP/bench/results/rados-$(date -u +%Y%m%dT%H%M%SZ)}
ANCHOR=${ANCHOR:-$TOP/../shared/anchors/ceph}
MEASURE=(python3 "$ANCHOR/measure.py")
mkdir -p "$OUT"

for t in /usr/bin/rados /usr/bin/ceph-osd fio; do
	command -v "$t" >/dev/null || { echo "rados_bench: $t missing (scripts/install-deps.sh --with-reference)"; exit 1; }
done
[[ -x build/bin/ceph-osd && -x build/bin/rados ]] || { echo "rados_bench: build first (make)"; exit 1; }

# summary LOG: "MB/s IOPS lat" of the last rados bench in LOG
summary() {
	awk '/Bandwidth \(MB\/sec\):/{bw=$3} /Average IOPS:/{iops=$3} /Average Latency\(s\):/{lat=$3}
	     END{printf "%s %s %s\n", bw, iops, lat}' "$1"
}
# osdcpu LOG: CPU seconds of all OSDs during the run (measure.py's summary)
# (per-process lines: Ceph's pid files are osd.N, ours ceph-osd.N)
osdcpu() { awk '/^  [a-z-]*osd\.[0-9]+ +cpu/{s+=$3} END{print s+0}' "$1"; }
osdrss() { # DIR: max RSS (MiB) over the OSD processes
	local m=0 r
	for pf in "$1"/run/*osd*.pid; do
		r=$(awk '/VmRSS/{print int($2/1024)}' /proc/"$(cat "$pf")"/status 2>/dev/null || echo 0)
		((r > m)) && m=$r
	done
	echo $m
}
fio_iops() { awk -F'[=,]' '/ IOPS=/{for(i=1;i<=NF;i++) if($i ~ /IOPS$/) {print $(i+1); exit}}' "$1"; }
fio_bw() { grep -o 'BW=[0-9.]*[KMG]iB/s' "$1" | head -1 | sed 's/BW=//'; }

run_suite() { # NAME DIR RADOS CONF POOL LDPATH
	local name=$1 dir=$2 rados=$3 conf=$4 pool=$5 ld=$6
	local L="$OUT/$name"
	"${MEASURE[@]}" "$dir" "$L-write4M.log" -- "$rados" -c "$conf" -p "$pool" bench "$SECS" write -b 4M -t 16 --no-cleanup >/dev/null
	"${MEASURE[@]}" "$dir" "$L-seq.log" -- "$rados" -c "$conf" -p "$pool" bench "$SECS" seq -t 16 >/dev/null
	"$rados" -c "$conf" -p "$pool" cleanup >/dev/null 2>&1 || true
	"${MEASURE[@]}" "$dir" "$L-write4K.log" -- "$rados" -c "$conf" -p "$pool" bench "$SECS" write -b 4K -t 16 --no-cleanup >/dev/null
	"$rados" -c "$conf" -p "$pool" cleanup >/dev/null 2>&1 || true
	for job in "4k randwrite" "4M write"; do
		set -- $job
		LD_LIBRARY_PATH=$ld "${MEASURE[@]}" "$dir" "$L-fio$1.log" -- fio --name=b --ioengine=rados \
			--clientname=admin --pool="$pool" --conf="$conf" --rw="$2" --bs="$1" \
			--size=256M --iodepth=16 --runtime="$SECS" --time_based >/dev/null
	done
	osdrss "$dir" > "$L-rss.txt"
}

if [[ -z ${SKIP_REF:-} ]]; then
	echo "== starting the reference Ceph in $REF_DIR"
	"$ANCHOR/start.sh" "$REF_DIR" > "$OUT/ceph-start.log" 2>&1
	run_suite ceph "$REF_DIR" /usr/bin/rados "$REF_DIR/ceph.conf" bench ""
	"$ANCHOR/stop.sh" "$REF_DIR" --wipe >/dev/null 2>&1 || true
fi

echo "== starting Loligo in $LOL_DIR"
rm -rf "$LOL_DIR"
LOLIGO_DATA=$LOL_DIR LOLIGO_QUIET=1 scripts/start.sh > "$OUT/loligo-start.log" 2>&1
build/bin/ceph -c "$LOL_DIR/ceph.conf" osd pool create bench 32 32 >/dev/null 2>&1
build/bin/ceph -c "$LOL_DIR/ceph.conf" osd pool set bench size 3 >/dev/null 2>&1
sleep 2
run_suite loligo "$LOL_DIR" build/bin/rados "$LOL_DIR/ceph.conf" bench "$TOP/build/lib"
LOLIGO_DATA=$LOL_DIR scripts/stop.sh >/dev/null 2>&1 || true

# ---- report
{
printf "%-28s %14s %14s %8s\n" "workload" "Ceph 16.2" "Loligo" "ratio"
for w in write4M seq write4K; do
	read -r cbw ciops clat < <(summary "$OUT/ceph-$w.log" 2>/dev/null || echo "- - -")
	read -r lbw liops llat < <(summary "$OUT/loligo-$w.log")
	if [[ $w == write4K ]]; then c=$ciops; l=$liops; unit=IOPS; else c=$cbw; l=$lbw; unit=MB/s; fi
	r=$(awk -v a="$c" -v b="$l" 'BEGIN{if (a+0>0) printf "%.2fx", b/a; else print "-"}')
	printf "%-28s %14s %14s %8s\n" "rados bench $w ($unit)" "$c" "$l" "$r"
	cc=$(osdcpu "$OUT/ceph-$w.log" 2>/dev/null || true); lc=$(osdcpu "$OUT/loligo-$w.log")
	cn=$(awk '/Total (writes|reads) made:/{n=$4} END{print n}' "$OUT/ceph-$w.log" 2>/dev/null || true)
	ln=$(awk '/Total (writes|reads) made:/{n=$4} END{print n}' "$OUT/loligo-$w.log")
	printf "%-28s %14s %14s\n" "  OSD CPU ms per op" \
		"$(awk -v c="$cc" -v n="$cn" 'BEGIN{if (n+0>0) printf "%.3f", c*1000/n; else print "-"}')" \
		"$(awk -v c="$lc" -v n="$ln" 'BEGIN{if (n+0>0) printf "%.3f", c*1000/n; else print "-"}')"
done
for j in 4k 4M; do
	if [[ $j == 4k ]]; then c=$(fio_iops "$OUT/ceph-fio$j.log" 2>/dev/null || true); l=$(fio_iops "$OUT/loligo-fio$j.log"); unit=IOPS
	else c=$(fio_bw "$OUT/ceph-fio$j.log" 2>/dev/null || true); l=$(fio_bw "$OUT/loligo-fio$j.log"); unit=BW; fi
	printf "%-28s %14s %14s\n" "fio rados $j ($unit)" "${c:--}" "${l:--}"
done
printf "%-28s %14s %14s\n" "OSD RSS after (MiB, max)" "$(cat "$OUT/ceph-rss.txt" 2>/dev/null || echo -)" "$(cat "$OUT/loligo-rss.txt")"
} | tee "$OUT/summary.txt"
echo "raw logs: $OUT"
