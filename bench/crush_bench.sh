#!/bin/bash
# crushtool --test throughput: Loligo's crushtool against Ceph's, same map,
# same command, same run.  Reports wall time and peak RSS of each (from
# /usr/bin/time -v), checks the outputs are identical, prints the ratio.
#
# usage: bench/crush_bench.sh [loligo-crushtool] [reference-crushtool] [runs]
set -eu
MY=${1:-${LOLIGO_BIN:-build/bin}/crushtool}
REF=${2:-/usr/bin/crushtool}
RUNS=${3:-3}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

"$REF" --num_osds 1000 -o "$W/m.map" --build host straw2 10 rack straw2 10 root straw2 0 2>/dev/null
ARGS="-i $W/m.map --test --num-rep 3 --min-x 0 --max-x 999999 --show-statistics"

measure() { # tool label -> best wall seconds and its peak RSS (KiB)
	local best="" rss=""
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -v "$1" $ARGS >"$W/$2.out" 2>"$W/$2.time"
		local t m
		t=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0;
			for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$W/$2.time")
		m=$(awk -F': ' '/Maximum resident/ {print $2}' "$W/$2.time")
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; rss=$m; fi
	done
	echo "$best $rss"
}

read -r ref_t ref_m < <(measure "$REF" ref)
read -r my_t my_m < <(measure "$MY" my)
if cmp -s "$W/ref.out" "$W/my.out"; then same=identical; else same=DIFFERENT; fi

echo "command: crushtool $ARGS (map: --num_osds 1000 --build host straw2 10 rack straw2 10 root straw2 0)"
printf "%-10s %10s %12s\n" tool "wall (s)" "peak RSS KiB"
printf "%-10s %10s %12s\n" ceph "$ref_t" "$ref_m"
printf "%-10s %10s %12s\n" loligo "$my_t" "$my_m"
awk -v r="$ref_t" -v m="$my_t" 'BEGIN{printf "speedup: %.2fx\n", r/m}'
echo "output: $same"
[ "$same" = identical ]
