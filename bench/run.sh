#!/usr/bin/env bash
# `make bench`: every benchmark, each against the reference (Debian's Ceph)
# in the same run; results go into BENCHMARKS.md by hand, with the command.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x /usr/bin/crushtool ]]; then
	echo "bench: Debian's crushtool (ceph-base) is not installed: scripts/install-deps.sh --with-reference"
	exit 1
fi
bench/crush_bench.sh build/bin/crushtool /usr/bin/crushtool 3
bench/mon_bench.sh
bench/rados_bench.sh
