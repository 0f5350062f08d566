#!/usr/bin/env bash
# Replays the CRUSH golden corpus (tests/golden/cases, made by
# tests/golden/generate.py from Ceph 16.2's crushtool) against Loligo's
# crushtool and demands byte-identical standard output and the same exit
# status for every recorded command line.  For each good case it also checks
# our compiler: our compile of map.txt, decompiled by us (and by the
# reference, when /usr/bin/crushtool exists), must give decompiled.txt, and
# the reference's --test answers on our binary must equal the recorded ones.
# Bad inputs (bad_* cases) must make our tool fail cleanly: a non-zero exit
# below 128, no hang, no sanitizer report.
#
#   bash tests/integration/test_golden.sh [CASES_DIR]
# Environment: LOLIGO_BIN (folder holding our crushtool), LOLIGO_SRC,
# CRUSHTOOL_REF (default /usr/bin/crushtool; "none" to skip reference
# checks), GOLDEN_JOBS (parallel cases, default nproc), GOLDEN_FILTER (extended
# regex on case names), GOLDEN_SHOW (failure excerpts to print, default 25),
# GOLDEN_KEEP (folder to keep the full failure log and results in).
set -u

SRC=${LOLIGO_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
OURS=${LOLIGO_BIN:-$SRC/build/bin}/crushtool
REF=${CRUSHTOOL_REF:-/usr/bin/crushtool}
CMD_TIMEOUT=${GOLDEN_TIMEOUT:-30}
SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
export SRC OURS REF CMD_TIMEOUT

# ---------------------------------------------------------------- one case

# run_tool TOOL OUT ERR ARGS... : prints the exit status (124 = timed out).
run_tool() {
	local tool=$1 out=$2 err=$3
	shift 3
	# Found through PATH so that argv[0] is plain "crushtool", as when the
	# corpus was recorded: the tool echoes it in some messages.
	PATH="$(dirname "$tool"):$PATH" timeout -k 5 "$CMD_TIMEOUT" crushtool "$@" \
		>"$out" 2>"$err" </dev/null
	echo $?
}

# kind_of ARGS : the check category a command line belongs to.
kind_of() {
	case " $1 " in
	*" -d "*) echo decompile ;;
	*" --set-"*) echo test-set-tunables ;;
	*" --show-choose-tries "*) echo test-choose-tries ;;
	*" --show-utilization"*) echo test-utilization ;;
	*" --batches "*) echo test-batches ;;
	*" --show-statistics "*) echo test-statistics ;;
	*" --weight "*) echo test-weights ;;
	*" --pool-id "*) echo test-pool-id ;;
	*" --show-mappings "*) echo test-mappings ;;
	*" --show-bad-mappings "*) echo test-bad-mappings ;;
	*" --tree "*) echo tree ;;
	*" --dump "*) echo dump ;;
	*" --check "*) echo check ;;
	*) echo other ;;
	esac
}

sanitizer_report() {
	grep -qE 'ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|SUMMARY: .*Sanitizer' "$1"
}

# one_case RESULTS CASEDIR : appends result lines to RESULTS/<case>.res and
# failure details to RESULTS/<case>.log.
one_case() {
	local results=$1 dir=$2
	local name fam res log tmp
	name=$(basename "$dir")
	fam=${name%_[0-9]*}
	case $name in bad_bin_*) fam=bad-bin ;; bad_txt_* | bad_gen_*) fam=bad-txt ;; esac
	res=$results/$name.res
	log=$results/$name.log
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.$name.XXXXXX")
	: >"$res"

	pass() { printf 'PASS\t%s\t%s\t%s\n' "$1" "$fam" "$name" >>"$res"; }
	fail() { # kind why [args] [expected actual]
		printf 'FAIL\t%s\t%s\t%s\n' "$1" "$fam" "$name" >>"$res"
		{
			printf '=== FAIL %s [%s]: %s\n' "$name" "$1" "$2"
			[ -n "${3:-}" ] && printf '    crushtool %s\n' "$3"
			if [ -n "${4:-}" ] && [ -f "$4" ] && [ -f "${5:-}" ]; then
				diff -u --label expected --label actual "$4" "$5" | head -n 24 | sed 's/^/    /'
			fi
			if [ -n "${6:-}" ] && [ -s "$6" ]; then
				echo '    stderr:'
				head -n 8 "$6" | sed 's/^/    | /'
			fi
		} >>"$log"
	}

	# check_cmd TOOL MAPFILE LABEL ARGS EXPECTED STATUS
	check_cmd() {
		local tool=$1 mapf=$2 label=$3 args=$4 exp=$5 want=$6
		local -a words out_words
		local w kind rc
		read -r -a words <<<"$args"
		out_words=()
		for w in "${words[@]}"; do
			w=${w//\{map\}/$mapf}
			w=${w//\{dir\}/$dir}
			w=${w//\{tmp\}/$tmp}
			out_words+=("$w")
		done
		kind=$label$(kind_of "$args")
		[ "$exp" = - ] && kind=$label${fam}
		rc=$(run_tool "$tool" "$tmp/out" "$tmp/err" "${out_words[@]}")
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			fail "$kind" "timed out after ${CMD_TIMEOUT}s" "$args"
			return
		fi
		if [ "$rc" -ge 128 ]; then
			fail "$kind" "crashed (exit $rc)" "$args" "" "" "$tmp/err"
			return
		fi
		if sanitizer_report "$tmp/err"; then
			fail "$kind" "sanitizer report (exit $rc)" "$args" "" "" "$tmp/err"
			return
		fi
		if [ "$exp" = - ]; then
			if [ "$want" != 0 ] && [ "$rc" = 0 ]; then
				fail "$kind" "accepted a bad input (reference exit $want)" "$args"
			else
				pass "$kind"
			fi
			return
		fi
		if [ "$rc" != "$want" ]; then
			fail "$kind" "exit $rc, expected $want" "$args" "$dir/$exp" "$tmp/out" "$tmp/err"
		elif ! cmp -s "$dir/$exp" "$tmp/out"; then
			fail "$kind" "output differs from $exp" "$args" "$dir/$exp" "$tmp/out" "$tmp/err"
		else
			pass "$kind"
		fi
	}

	local args exp want
	# 1. our tool on Ceph's binary map, every recorded command
	while IFS=$'\t' read -r args exp want; do
		case $args in '#'* | '') continue ;; esac
		check_cmd "$OURS" "$dir/map.bin" "" "$args" "$exp" "$want"
	done <"$dir/cmds.txt"

	# 2. our compiler, judged by our decompiler and by the reference's
	if [ -f "$dir/map.txt" ] && [ -f "$dir/decompiled.txt" ]; then
		local ours=$tmp/ours.bin rc
		rc=$(run_tool "$OURS" "$tmp/out" "$tmp/err" -c "$dir/map.txt" -o "$ours")
		if [ "$rc" != 0 ] || [ ! -f "$ours" ] || sanitizer_report "$tmp/err"; then
			fail compile "our compile of map.txt failed (exit $rc)" "-c map.txt -o ours.bin" "" "" "$tmp/err"
		else
			pass compile
			check_cmd "$OURS" "$ours" "compile+" "-d {map}" decompiled.txt 0
			if cmp -s "$ours" "$dir/map.bin"; then
				pass compile-bytes
			else
				fail compile-bytes "our compile of map.txt differs from Ceph's map.bin: $(cmp "$ours" "$dir/map.bin" 2>&1 | head -n 1)"
			fi
			if [ "$REF" != none ] && [ -x "$REF" ]; then
				# The reference is deterministic: on identical bytes its
				# answers are the recorded ones, so only differing maps
				# need re-running.
				if cmp -s "$ours" "$dir/map.bin"; then
					pass ref-on-ours
				else
					while IFS=$'\t' read -r args exp want; do
						case $args in '#'* | '') continue ;; esac
						check_cmd "$REF" "$ours" "ref-on-ours:" "$args" "$exp" "$want"
					done <"$dir/cmds.txt"
				fi
			fi
		fi
	fi
	rm -rf "$tmp"
}

if [ "${1:-}" = --one ]; then
	one_case "$2" "$3"
	exit 0
fi

# ---------------------------------------------------------------- driver

CASES=${1:-$SRC/tests/golden/cases}
if [ ! -d "$CASES" ]; then
	echo "test_golden: no corpus at $CASES (run: python3 tests/golden/generate.py)"
	echo "0 passed, 1 failed"
	exit 1
fi
ncases=$(find "$CASES" -mindepth 1 -maxdepth 1 -type d | wc -l)
if [ ! -x "$OURS" ]; then
	echo "test_golden: our crushtool is not built ($OURS)"
	echo "0 passed, $ncases failed"
	exit 1
fi
[ -x "$REF" ] || REF=none
export REF

RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/golden-results.XXXXXX")
JOBS=${GOLDEN_JOBS:-$(nproc 2>/dev/null || echo 2)}
start=$SECONDS
find "$CASES" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort |
	grep -E "${GOLDEN_FILTER:-.}" | sed "s|^|$CASES/|" |
	xargs -P "$JOBS" -I{} bash "$SELF" --one "$RESULTS" {}

cat "$RESULTS"/*.res >"$RESULTS/all" 2>/dev/null || : >"$RESULTS/all"
npass=$(grep -c '^PASS' "$RESULTS/all")
nfail=$(grep -c '^FAIL' "$RESULTS/all")
ncase=$(cut -f4 "$RESULTS/all" | sort -u | grep -c .)
nbadcase=$(grep '^FAIL' "$RESULTS/all" | cut -f4 | sort -u | grep -c .)

echo "test_golden: $ncase cases from $CASES, our tool $OURS, reference ${REF}, $((SECONDS - start))s"
echo "by check (pass/fail):"
awk -F'\t' '{ k=$2; if ($1=="PASS") p[k]++; else f[k]++; seen[k]=1 }
	END { for (k in seen) printf "  %-34s %5d %5d\n", k, p[k], f[k] }' "$RESULTS/all" | sort
echo "by case family (pass/fail):"
awk -F'\t' '{ k=$3; if ($1=="PASS") p[k]++; else f[k]++; seen[k]=1 }
	END { for (k in seen) printf "  %-34s %5d %5d\n", k, p[k], f[k] }' "$RESULTS/all" | sort
if [ "$nfail" -gt 0 ]; then
	cat "$RESULTS"/*.log >"$RESULTS/failures.log" 2>/dev/null
	echo "failing cases: $nbadcase; first failures (full log: $RESULTS/failures.log):"
	awk -v max="${GOLDEN_SHOW:-25}" '/^=== FAIL/ { n++ } n <= max' "$RESULTS/failures.log"
fi
if [ -n "${GOLDEN_KEEP:-}" ]; then
	mkdir -p "$GOLDEN_KEEP" && cp -r "$RESULTS"/. "$GOLDEN_KEEP"/
fi
[ "$nfail" -eq 0 ] && rm -rf "$RESULTS"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
