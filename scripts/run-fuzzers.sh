#!/usr/bin/env bash
# Runs every libFuzzer target in BINDIR for SECONDS each, starting from its
# seed corpus (tests/fuzz/corpus/<name>).  New crashes are written to
# tests/fuzz/crashes/ and fail the run: turn each into a regression case.
set -euo pipefail
bindir=$1
secs=${2:-20}
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$src/tests/fuzz/crashes"
rc=0
for f in "$bindir"/fuzz_*; do
	[[ -x "$f" ]] || continue
	name=$(basename "$f")
	corpus="$src/tests/fuzz/corpus/${name#fuzz_}"
	work=$(mktemp -d)
	cp -r "$corpus"/. "$work"/ 2>/dev/null || true
	echo "fuzz: $name for ${secs}s"
	if ! "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$src/tests/fuzz/crashes/${name}-" "$work" >"$work.log" 2>&1; then
		tail -40 "$work.log"
		echo "fuzz: $name FAILED"
		rc=1
	else
		grep -E "^#[0-9]+.*(DONE|pulse)" "$work.log" | tail -1 || true
	fi
	rm -rf "$work" "$work.log"
done
exit $rc
