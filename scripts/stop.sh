#!/usr/bin/env bash
# `make stop`: stop exactly the daemons `make start` started in the data
# folder, by the PIDs it recorded in DIR/run/*.pid.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
data=${LOLIGO_DATA:-$top/cluster}
n=0
for pidfile in "$data"/run/*.pid; do
	[[ -f "$pidfile" ]] || continue
	pid=$(cat "$pidfile")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" && n=$((n + 1))
	fi
	rm -f "$pidfile"
done
echo "stopped $n daemon(s) under $data"
