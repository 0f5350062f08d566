#!/usr/bin/env bash
# Monitor benchmarks, Loligo against Ceph 16.2 in the same run:
#   - time from nothing to a 3-monitor quorum answering (Loligo);
#   - round trip of map-changing commands (p50/p99): osdmap flag changes
#     (osd set/unset noout) and config-key writes, one at a time over an
#     open connection (bench/mon_rtt.c; Ceph: python3-rados mon_command);
#   - ceph-mon resident memory after the run.
# usage: bench/mon_bench.sh [N]
#   CEPH_REF_CONF=DIR/ceph.conf  use a running reference cluster; otherwise
#   one is started with ../shared/anchors/ceph/start.sh on ports 44xxx and
#   stopped afterwards (needs: apt-get install ceph ceph-mon ceph-osd ceph-mgr).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=$top/build/bin
N=${1:-300}
W=$(mktemp -d)
anchors=$top/../shared/anchors/ceph
started_ref=""
cleanup() {
	for p in "$W"/ceph-mon.*.pid; do [[ -f $p ]] && kill "$(cat "$p")" 2>/dev/null || true; done
	[[ -n $started_ref ]] && "$anchors/stop.sh" "$started_ref" --wipe >/dev/null 2>&1 || true
	rm -rf "$W"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ports=()
while [[ ${#ports[@]} -lt 3 ]]; do
	p=$(free_port)
	# the Raft port (p+1) must be free too
	python3 -c "import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',$p+1))" 2>/dev/null && ports+=("$p")
done
hosts="127.0.0.1:${ports[0]},127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}"

"$B/monmaptool" --create --fsid "$(cat /proc/sys/kernel/random/uuid)" \
	--add a "127.0.0.1:${ports[0]}" --add b "127.0.0.1:${ports[1]}" \
	--add c "127.0.0.1:${ports[2]}" "$W/monmap" >/dev/null
cat > "$W/ceph.conf" <<CONF
[global]
mon_host = ${hosts//,/, }
mon_data = $W/mon.\$id
log_file = $W/\$name.log
run_dir = $W
CONF
t0=$(date +%s.%N)
for m in a b c; do "$B/ceph-mon" -c "$W/ceph.conf" --mkfs -i "$m" --monmap "$W/monmap" >/dev/null; done
for m in a b c; do "$B/ceph-mon" -c "$W/ceph.conf" -i "$m"; done
until "$B/mon_client_tool" --timeout 500 "$hosts" '{"prefix":"fsid"}' >/dev/null 2>&1; do sleep 0.02; done
t1=$(date +%s.%N)
echo "loligo: mkfs + start of 3 monitors to first answer: $(echo "$t1 - $t0" | bc) s"
echo -n "loligo osdmap     "; "$B/mon_rtt" "$hosts" "$N"
echo -n "loligo config-key "; "$B/mon_rtt" "$hosts" "$N" \
	'{"prefix":"config-key set","key":"bench","val":"a"}' \
	'{"prefix":"config-key set","key":"bench","val":"b"}'
for m in a b c; do
	echo "loligo ceph-mon.$m RSS: $(( $(ps -o rss= -p "$(cat "$W/ceph-mon.$m.pid")") / 1024 )) MiB"
done

conf=${CEPH_REF_CONF:-}
if [[ -z $conf ]]; then
	if [[ ! -x /usr/bin/ceph-mon ]]; then
		echo "reference: ceph-mon not installed, skipped"
		exit 0
	fi
	started_ref=$W/ceph
	MON_PORT_V2=44300 MON_PORT_V1=44789 OSD_PORT_MIN=44800 OSD_PORT_MAX=44999 \
		OSD_BLOCK_GB=4 "$anchors/start.sh" "$started_ref" | tail -1
	conf=$started_ref/ceph.conf
fi
# Ceph's osdmap changes wait for its Paxos proposal interval: fewer suffice.
/usr/bin/python3 "$top/bench/ceph_mon_rtt.py" "$conf" 30 osdmap
/usr/bin/python3 "$top/bench/ceph_mon_rtt.py" "$conf" "$N" config-key
pid=$(pgrep -f "ceph-mon -c $conf" | head -1 || true)
[[ -n $pid ]] && echo "ceph ceph-mon RSS: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB"
