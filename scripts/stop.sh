#!/usr/bin/env bash
# `make stop`: stop exactly the daemons `make start` started in the data
# folder, by the PIDs they recorded in DIR/run/*.pid (a PID that is no
# longer one of ours is left alone).  OSDs first (each tells the monitors
# it is going down, so the monitors must still be there), then the
# monitors.  SIGTERM first; SIGKILL after 10 s.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
data=${LOLIGO_DATA:-$top/cluster}
n=0

stop_kind() {
	local kind=$1 pidfile pid pids=()
	for pidfile in "$data"/run/*"$kind".*.pid; do
		[[ -f "$pidfile" ]] || continue
		pid=$(cat "$pidfile")
		if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
			grep -qa -e "$kind" "/proc/$pid/cmdline" 2>/dev/null; then
			kill "$pid" && n=$((n + 1)) && pids+=("$pid")
		fi
		rm -f "$pidfile"
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "pid $pid did not stop after 10 s: SIGKILL"
			kill -9 "$pid" 2>/dev/null || true
		fi
	done
}

stop_kind ceph-osd
stop_kind ceph-mon
echo "stopped $n daemon(s) under $data"
