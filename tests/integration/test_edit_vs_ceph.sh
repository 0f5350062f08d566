#!/bin/bash
# Map edits against the reference: run each edit (crushtool --add-item,
# --update-item, --remove-item, --reweight-item, --add-bucket, --move,
# --create-*-rule, --remove-rule, --show-location) with our crushtool and
# with Ceph 16.2's, on the same input map, and require the same exit code,
# the same stdout and the same decompiled map (both outputs decompiled by
# the reference, then ours by our own decompiler).  A binary difference is
# reported but only fails the test with LOLIGO_STRICT_BINARY=1.
# Skips (exit 0) when Ceph's crushtool or ours is not there.
set -u

REF=${CEPH_CRUSHTOOL:-/usr/bin/crushtool}
OURS=${LOLIGO_BIN:-}/crushtool
DATA=${LOLIGO_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/data

if [ ! -x "$REF" ]; then
	echo "SKIP: reference crushtool ($REF) not installed"
	exit 0
fi
if [ -z "${LOLIGO_BIN:-}" ] || [ ! -x "$OURS" ]; then
	echo "SKIP: our crushtool not built (LOLIGO_BIN=${LOLIGO_BIN:-unset})"
	exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
unset CEPH_ARGS

for m in base classes choose_args legacy rule_gap algs classes_ca choose_args2; do
	if ! "$REF" -c "$DATA/edit_$m.txt" -o "$WORK/$m.bin" >/dev/null 2>&1; then
		echo "FAIL: reference cannot compile edit_$m.txt"
		exit 1
	fi
done

fails=0
count=0

# one case: <map> <crushtool arguments...>
run_case() {
	local map=$1
	shift
	count=$((count + 1))
	local d="$WORK/case$count"
	mkdir -p "$d"
	(cd "$d" && exec -a crushtool "$REF" -i "$WORK/$map.bin" "$@" -o "$d/ref.bin" >"$d/ref.out" 2>"$d/ref.err")
	local rrc=$?
	(cd "$d" && exec -a crushtool "$OURS" -i "$WORK/$map.bin" "$@" -o "$d/our.bin" >"$d/our.out" 2>"$d/our.err")
	local orc=$?
	local what="[$map] $*"
	if [ $rrc -ne $orc ]; then
		echo "FAIL: $what: exit code ours=$orc ref=$rrc"
		sed 's/^/    ours: /' "$d/our.err" | head -5
		sed 's/^/    ref:  /' "$d/ref.err" | grep -v '^    ref:  $' | head -5
		fails=$((fails + 1))
		return
	fi
	if ! diff -q "$d/ref.out" "$d/our.out" >/dev/null; then
		echo "FAIL: $what: stdout differs"
		diff "$d/ref.out" "$d/our.out" | head -10 | sed 's/^/    /'
		fails=$((fails + 1))
		return
	fi
	if [ -f "$d/ref.bin" ] && [ ! -f "$d/our.bin" ]; then
		echo "FAIL: $what: reference wrote a map, we did not"
		fails=$((fails + 1))
		return
	fi
	if [ ! -f "$d/ref.bin" ] && [ -f "$d/our.bin" ]; then
		echo "FAIL: $what: we wrote a map, the reference did not"
		fails=$((fails + 1))
		return
	fi
	[ -f "$d/ref.bin" ] || return
	"$REF" -d "$d/ref.bin" >"$d/ref.txt" 2>&1
	if ! "$REF" -d "$d/our.bin" >"$d/our.txt" 2>&1; then
		echo "FAIL: $what: reference cannot decompile our map"
		fails=$((fails + 1))
		return
	fi
	if ! diff -q "$d/ref.txt" "$d/our.txt" >/dev/null; then
		echo "FAIL: $what: decompiled maps differ (< ref, > ours)"
		diff "$d/ref.txt" "$d/our.txt" | head -20 | sed 's/^/    /'
		fails=$((fails + 1))
		return
	fi
	"$OURS" -d "$d/our.bin" >"$d/our_own.txt" 2>&1
	if ! diff -q "$d/ref.txt" "$d/our_own.txt" >/dev/null; then
		echo "FAIL: $what: our decompiler disagrees with the reference's"
		diff "$d/ref.txt" "$d/our_own.txt" | head -10 | sed 's/^/    /'
		fails=$((fails + 1))
		return
	fi
	if ! cmp -s "$d/ref.bin" "$d/our.bin"; then
		if [ "${LOLIGO_STRICT_BINARY:-0}" = 1 ]; then
			echo "FAIL: $what: binary maps differ"
			fails=$((fails + 1))
		else
			echo "note: $what: same text, binary differs"
		fi
	fi
}

# ---- --add-item ----
run_case base --add-item 4 1.5 osd.4 --loc host h3 --loc rack r1 --loc root default
run_case base --add-item 4 1.5 osd.4 --loc host h1
run_case base --add-item 4 1.5 osd.4 --loc host h1 --loc root other
run_case base --add-item 4 1.5 osd.4 --loc root default
run_case base --add-item 4 1.5 osd.4 --loc root newroot
run_case base --add-item 4 1.5 osd.4 --loc foo h3 --loc root default
run_case base --add-item 4 1 ox --loc host h1 --loc host h2
run_case base --add-item 4 1 ox --loc osd osd.1 --loc root default
run_case base --add-item 3 1.5 osd.3 --loc host h3 --loc root default
run_case base --add-item 3 1.5 osd.9 --loc host h3 --loc root default
run_case base --add-item 9 0.25 osd.9 --loc host h3 --loc root default
run_case base --add-item 4 1.5 osd.3 --loc host h3 --loc root default
run_case base --add-item 4 1.5 h1 --loc root default
run_case base --add-item 4 1.5 osd.4 --loc rack h1
run_case base --add-item 4 1.5 osd.4 --loc foo bar
run_case base --add-item 0 1.5 osd.0 --loc host h1
run_case base --add-item 0 1.5 osd.0 --loc host h2
run_case base --add-item 0 1.5 osd.0 --loc root default
run_case base --add-item 4 1 ox --loc host osd.1
run_case base --add-item 4 1 'o x' --loc root default
run_case base --add-item 4 1 ox --loc root 'd x'
run_case legacy --add-item 6 1.5 osd.6 --loc host h3 --loc root default
run_case legacy --add-item 6 1.5 osd.6 --loc host h1
run_case classes --add-item 4 1.5 osd.4 --loc host h3 --loc root default
run_case classes --add-item 4 1.5 osd.4 --loc host h1
run_case choose_args --add-item 4 1.5 osd.4 --loc host h1
# ---- --update-item ----
run_case base --update-item 0 1.5 osd.0 --loc host h1
run_case base --update-item 0 1.0 osd.0 --loc host h1
run_case base --update-item 0 1.0 osd.7 --loc host h1
run_case base --update-item 0 1.5 osd.0 --loc host h2
run_case base --update-item 0 1.5 osd.0 --loc host h3 --loc root default
run_case base --update-item 0 1.5 osd.0 --loc root default
run_case base --update-item 0 1.5 osd.0 --loc host h1 --loc root other
run_case base --update-item 4 1.5 osd.4 --loc host h2
run_case base --update-item 4 1.5 osd.0 --loc host h2
run_case legacy --update-item 0 2 osd.0 --loc host h2
run_case classes --update-item 0 1.5 osd.0 --loc host h2
run_case choose_args --update-item 0 2 osd.0 --loc host h1
# ---- --remove-item ----
run_case base --remove-item osd.0
run_case base --remove-item osd.3
run_case base --remove-item h1
run_case base --remove-item default
run_case base --remove-item nothere
run_case legacy --remove-item empty
run_case legacy --remove-item empty2
run_case legacy --remove-item osd.0
run_case legacy --remove-item osd.5
run_case classes --remove-item osd.0
run_case choose_args --remove-item osd.0
# ---- --reweight-item ----
run_case base --reweight-item osd.0 3
run_case base --reweight-item osd.0 0
run_case base --reweight-item h1 3
run_case base --reweight-item nothere 3
run_case legacy --reweight-item osd.0 3
run_case legacy --reweight-item osd.5 3
run_case classes --reweight-item osd.0 3
run_case choose_args --reweight-item osd.0 3
run_case choose_args --reweight-item h1 3
# ---- --add-bucket ----
run_case base --add-bucket foo host
run_case base --add-bucket foo host --loc root default
run_case base --add-bucket foo host --loc root default --loc host h1
run_case base --add-bucket foo rack --loc host h1
run_case base --add-bucket foo rack --loc root default --loc rack h2
run_case base --add-bucket foo rack --loc foo bar
run_case base --add-bucket foo host --loc root nope
run_case base --add-bucket foo osd
run_case base --add-bucket foo nosuchtype
run_case base --add-bucket h1 host
run_case base --add-bucket 'f o' host
run_case legacy --add-bucket foo host --loc root nope
run_case classes --add-bucket foo host --loc root default
# ---- --move ----
run_case base --move h1 --loc root r2
run_case base --move h1 --loc root default
run_case base --move h1 --loc host h2
run_case base --move h1 --loc rack r1 --loc root default
run_case base --move osd.0 --loc host h2
run_case base --move osd.0 --loc host h1
run_case base --move nope --loc host h2
run_case base --move default --loc root r2
run_case base --move default --loc host h1
run_case base --move h1 --loc host h1
run_case classes --move h1 --loc root r2
# ---- rules ----
run_case base --create-replicated-rule r2 default host
run_case base --create-replicated-rule r2 h1 root
run_case base --create-replicated-rule r2 osd.0 host
run_case base --create-simple-rule r2 default host firstn
run_case base --create-simple-rule r2 default host indep
run_case base --create-simple-rule r2 default osd indep
run_case base --create-simple-rule r2 default osd firstn
run_case base --create-replicated-rule replicated_rule default host
run_case base --create-replicated-rule r2 nope host
run_case base --create-replicated-rule r2 default nope
run_case base --create-simple-rule r2 default host bogus
run_case base --create-simple-rule r2 default host bogus --device-class zz
run_case base --create-replicated-rule r2 default host --device-class ssd
run_case classes --create-replicated-rule r2 default host --device-class ssd
run_case classes --create-simple-rule r2 default host indep --device-class hdd
run_case classes --create-replicated-rule r2 h1~ssd host
run_case rule_gap --create-replicated-rule r2 default host
run_case rule_gap --remove-rule rx
run_case base --remove-rule replicated_rule
run_case base --remove-rule nope
# ---- list, tree, uniform and straw (calc version 0) buckets ----
run_case algs --add-item 8 1.5 osd.8 --loc host hl
run_case algs --add-item 8 1.5 osd.8 --loc host ht
run_case algs --add-item 8 1.5 osd.8 --loc host hs
run_case algs --add-item 8 1.5 osd.8 --loc host hn --loc rack ra
run_case algs --remove-item osd.3
run_case algs --remove-item osd.4
run_case algs --remove-item osd.2
run_case algs --remove-item osd.0
run_case algs --remove-item hs
run_case algs --reweight-item osd.5 3
run_case algs --reweight-item osd.3 0.75
run_case algs --move ht --loc root default
run_case algs --move hl --loc rack rb --loc root default
run_case algs --update-item 2 1 osd.2 --loc host hs
run_case algs --update-item 2 0.3 osd.2 --loc host ht
run_case algs --add-bucket nb host --loc rack ra
# ---- device classes with choose_args; an empty host with shadows ----
run_case classes_ca --remove-item empty
run_case classes_ca --add-item 4 1.5 osd.4 --loc host empty
run_case classes_ca --add-item 4 1.5 osd.4 --loc host h4 --loc root default
run_case classes_ca --move osd.0 --loc host empty
run_case classes_ca --move h1 --loc root r2
run_case classes_ca --update-item 1 3 osd.1 --loc host h2
run_case classes_ca --reweight-item osd.3 0.5
run_case classes_ca --reweight-item h1 3
run_case classes_ca --update-item 0 2 osd.0 --loc host h1
run_case classes_ca --update-item 0 2 osd.9 --loc host h1
run_case classes --reweight-item h2 1
run_case classes_ca --remove-item osd.2
run_case classes_ca --add-bucket nb rack --loc root default
run_case classes_ca --create-simple-rule ec default host indep --device-class ssd
# ---- choose_args: ids only, several maps, three positions ----
run_case choose_args2 --add-item 4 1.5 osd.4 --loc host h1
run_case choose_args2 --add-item 4 1.5 osd.4 --loc host h2
run_case choose_args2 --remove-item osd.0
run_case choose_args2 --remove-item osd.3
run_case choose_args2 --reweight-item osd.2 4
run_case choose_args2 --update-item 1 2 osd.1 --loc host h2
run_case choose_args2 --add-bucket nb host --loc root default
run_case choose_args2 --create-replicated-rule r2 default host
# ---- --show-location ----
for id in 0 1 3 9 -1 -2; do
	run_case base --show-location "$id"
done
run_case legacy --show-location 0
run_case classes --show-location 0

# ---- sequences: each tool edits its own previous output ----
# run_seq <map> <step>... ; a step is one quoted argument list
run_seq() {
	local map=$1
	shift
	count=$((count + 1))
	local d="$WORK/seq$count"
	mkdir -p "$d"
	cp "$WORK/$map.bin" "$d/ref.bin"
	cp "$WORK/$map.bin" "$d/our.bin"
	local step
	for step in "$@"; do
		eval "set -- $step"
		(exec -a crushtool "$REF" -i "$d/ref.bin" "$@" -o "$d/ref.next" >/dev/null 2>&1)
		local rrc=$?
		(exec -a crushtool "$OURS" -i "$d/our.bin" "$@" -o "$d/our.next" >/dev/null 2>&1)
		local orc=$?
		if [ $rrc -ne $orc ]; then
			echo "FAIL: [$map] sequence step '$step': exit code ours=$orc ref=$rrc"
			fails=$((fails + 1))
			return
		fi
		[ -f "$d/ref.next" ] && mv "$d/ref.next" "$d/ref.bin"
		[ -f "$d/our.next" ] && mv "$d/our.next" "$d/our.bin"
	done
	"$REF" -d "$d/ref.bin" >"$d/ref.txt" 2>&1
	"$REF" -d "$d/our.bin" >"$d/our.txt" 2>&1
	if ! diff -q "$d/ref.txt" "$d/our.txt" >/dev/null; then
		echo "FAIL: [$map] sequence ending '$step': decompiled maps differ"
		diff "$d/ref.txt" "$d/our.txt" | head -20 | sed 's/^/    /'
		fails=$((fails + 1))
	elif ! cmp -s "$d/ref.bin" "$d/our.bin"; then
		echo "note: [$map] sequence ending '$step': same text, binary differs"
	fi
}

run_seq base "--add-bucket r2 root" "--add-bucket ra rack --loc root r2" \
	"--add-item 4 1 osd.4 --loc host h3 --loc rack ra --loc root r2" \
	"--add-item 5 2 osd.5 --loc host h3" "--move h1 --loc rack ra" \
	"--remove-item osd.0" "--remove-item osd.1" "--remove-item h1" \
	"--add-item 6 0.5 osd.6 --loc host h4 --loc rack ra" \
	"--create-simple-rule ec r2 host indep" "--remove-rule replicated_rule" \
	"--create-replicated-rule again default osd" "--reweight-item osd.5 0.125"
run_seq classes_ca "--add-item 4 1 osd.4 --loc host h4 --loc root default" \
	"--remove-item osd.0" "--remove-item osd.1" "--remove-item h1" \
	"--move osd.2 --loc host empty" "--add-bucket nh host --loc root default" \
	"--update-item 3 0.5 osd.3 --loc host nh" "--remove-item h2" \
	"--create-replicated-rule hddr default host --device-class hdd"
run_seq algs "--remove-item osd.2" "--add-item 9 1 osd.9 --loc host ht" \
	"--remove-item osd.4" "--add-item 10 3 osd.10 --loc host ht" \
	"--move hl --loc root default" "--remove-item osd.7" "--remove-item hs"

echo "$count cases, $fails failed"
[ $fails -eq 0 ]
