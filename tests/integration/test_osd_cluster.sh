#!/usr/bin/env bash
# ceph-osd in a real cluster made by scripts/start.sh (3 monitors, 3 OSDs,
# pool rbd of size 3), driven with the rados CLI:
#  - the OSDs are up, in, and placed under host=<hostname> root=default;
#  - objects written are read back, and every OSD's store holds each one
#    (checked offline with osd_test_tool after stopping the cluster);
#  - a stream of appends to one object while a replica is killed -9 and
#    restarted, then while the primary is: every acknowledged append is
#    there exactly once and in order (no loss, no double apply);
#  - bad input: EFBIG past osd_max_object_size, ENOENT for a missing
#    object and pool, malformed OSD_MSG_OP frames close only that
#    connection (the OSD keeps serving);
#  - a restart of the whole cluster keeps every object.
#
# Env: LOLIGO_BIN (the build's bin/), LOLIGO_SRC (the checkout).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
SRC="${LOLIGO_SRC:?set LOLIGO_SRC to the checkout}"
for t in ceph-mon ceph-osd ceph rados osd_test_tool; do
	if [[ ! -x $BIN/$t ]]; then
		echo "SKIP: $BIN/$t is not built yet"
		exit 0
	fi
done

WORK=$(mktemp -d)
D=$WORK/c
cleanup() {
	LOLIGO_DATA=$D "$SRC/scripts/stop.sh" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

fail=0
pass=0
ok() {
	pass=$((pass + 1))
	echo "ok: $*"
}
bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}
C=$D/ceph.conf
ceph() { timeout 60 "$BIN/ceph" -c "$C" "$@"; }
rados() { timeout 120 "$BIN/rados" -c "$C" "$@"; }
start_cluster() {
	LOLIGO_DATA=$D LOLIGO_BIN=$BIN LOLIGO_QUIET=1 "$SRC/scripts/start.sh" >"$WORK/start.out" 2>&1
}
stop_cluster() { LOLIGO_DATA=$D "$SRC/scripts/stop.sh" >/dev/null 2>&1; }
osd_pid() { cat "$D/run/ceph-osd.$1.pid"; }
# The acting set of an object: "primary r1 r2".
acting() {
	ceph osd map rbd "$1" -f json | python3 -c '
import json, sys
m = json.load(sys.stdin)
print(" ".join(str(o) for o in m["acting"]))'
}
osd_addr() {
	ceph osd dump -f json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for o in d["osds"]:
    if o["osd"] == int(sys.argv[1]):
        a = o.get("public_addr") or o["public_addrs"]["addrvec"][0]["addr"]
        a = a.split("/")[0]
        print(a[3:] if a.startswith(("v1:", "v2:")) else a)' "$1"
}
restart_osd() {
	timeout 60 "$BIN/ceph-osd" -i "$1" -c "$C" >"$WORK/restart.$1.log" 2>&1 ||
		{ bad "osd.$1 did not restart: $(cat "$WORK/restart.$1.log")"; return 1; }
}

# ---- a cluster ----
if ! start_cluster; then
	echo "FAIL: start.sh"
	cat "$WORK/start.out"
	exit 1
fi
ok "start.sh: 3 monitors, 3 OSDs, pool rbd"

st=$(ceph osd stat)
if [[ $st =~ "3 osds: 3 up" && $st =~ "3 in" ]]; then ok "osd stat: $st"; else bad "osd stat: $st"; fi

host=$(hostname)
if ceph osd tree -f json | python3 -c '
import json, sys
t = json.load(sys.stdin)["nodes"]
by_id = {n["id"]: n for n in t}
host = [n for n in t if n["type"] == "host" and n["name"] == sys.argv[1]]
root = [n for n in t if n["type"] == "root" and n["name"] == "default"]
assert host and root, "no host/root bucket"
assert host[0]["id"] in root[0]["children"], "host not under root=default"
osds = sorted(by_id[c]["name"] for c in host[0]["children"])
assert osds == ["osd.0", "osd.1", "osd.2"], osds
for c in host[0]["children"]:
    assert by_id[c]["status"] == "up", by_id[c]
' "$host"; then
	ok "osd tree: osd.0-2 up under host=$host root=default"
else
	bad "osd tree: $(ceph osd tree)"
fi

# ---- device classes: set by each OSD from its disk, as Ceph's ----
want_class=$(python3 - "$D" <<'PY'
import os, sys
st = os.stat(sys.argv[1])
maj, mi = os.major(st.st_dev), os.minor(st.st_dev)
cls = "hdd"
base = "/sys/dev/block/%d:%d" % (maj, mi)
if maj and os.path.exists(base):
    name = os.path.basename(os.readlink(base))
    for q in (base + "/queue/rotational", base + "/../queue/rotational"):
        if os.path.exists(q):
            cls = "ssd" if open(q).read().strip() == "0" else "hdd"
            break
    if name.startswith("nvme"):
        cls = "nvme"
print(cls)
PY
)
classes=$(ceph osd crush get-device-class 0 1 2 | awk '{print $2}' | sort -u)
[[ $classes == "$want_class" ]] && ok "every OSD set its device class to $want_class" ||
	bad "device classes: '$classes', want $want_class"
ceph osd crush rm-device-class osd.2 >/dev/null 2>&1
ceph osd crush set-device-class fast osd.2 >/dev/null 2>&1
ceph osd crush rule create-replicated fastrule default osd fast >/dev/null 2>&1
ceph osd pool create fastpool 8 8 replicated fastrule >/dev/null 2>&1
m=$(ceph osd map fastpool anobject 2>&1)
[[ $m == *"up ([2], p2) acting ([2], p2)"* ]] && ok "a rule on class fast maps to osd.2 alone: $m" ||
	bad "class rule mapping: $m"
ceph osd pool rm fastpool fastpool --yes-i-really-really-mean-it >/dev/null 2>&1
ceph osd crush rule rm fastrule >/dev/null 2>&1
ceph osd crush rm-device-class osd.2 >/dev/null 2>&1
ceph osd crush set-device-class "$want_class" osd.2 >/dev/null 2>&1
[[ $(ceph osd crush class ls -f json | tr -d '\n') == "[\"$want_class\"]" ]] && ok "class fast gone with its last device" ||
	bad "class ls: $(ceph osd crush class ls -f json)"

# ---- osd df tree: the hierarchy with each bucket's sums ----
if ceph osd df tree -f json | python3 -c '
import json, sys
n = {x["id"]: x for x in json.load(sys.stdin)["nodes"]}
root = [x for x in n.values() if x["type"] == "root" and x["name"] == "default"][0]
osds = [x for x in n.values() if x["type"] == "osd"]
assert len(osds) == 3, osds
for k in ("kb", "kb_used", "kb_avail"):
    assert root[k] == sum(o[k] for o in osds), (k, root, osds)
host = n[root["children"][0]]
assert host["type"] == "host" and sorted(host["children"]) == [0, 1, 2], host
' && ceph osd df tree | grep -qE '^-1 .* root default *$' && ceph osd df tree | grep -qE '^ 0 .* up +osd\.0$'; then
	ok "osd df tree: root and host rows sum their OSDs"
else
	bad "osd df tree: $(ceph osd df tree)"
fi

# ---- osd perf: the OSDs' store commit latency while writes go on ----
( for i in $(seq 40); do rados -p rbd put perf$((i % 4)) /etc/hostname; done ) >/dev/null 2>&1 &
wpid=$!
perf_ok=""
for i in $(seq 40); do
	if ceph osd perf -f json | python3 -c '
import json, sys
v = json.load(sys.stdin)["osdstats"]["osd_perf_infos"]
assert sorted(x["id"] for x in v) == [0, 1, 2], v
assert any(x["perf_stats"]["commit_latency_ns"] > 0 for x in v), v
' 2>/dev/null; then
		perf_ok=yes
		break
	fi
	sleep 0.25
done
wait "$wpid"
for i in 0 1 2 3; do rados -p rbd rm perf$i >/dev/null 2>&1; done
[[ $perf_ok ]] && ceph osd perf | head -1 | grep -qx 'osd  commit_latency(ms)  apply_latency(ms)' &&
	ok "osd perf: every OSD, a commit latency while writing" || bad "osd perf: $(ceph osd perf)"

# ---- pg_num: changed freely while a pool is empty, refused once it holds
# objects (no PG splitting or backfill yet: objects would be stranded) ----
ceph osd pool create pgn 8 >/dev/null 2>&1
if ceph osd pool set pgn pg_num 16 >/dev/null 2>&1 && [[ $(ceph osd pool get pgn pg_num) == "pg_num: 16" ]]; then
	ok "pg_num of an empty pool changes"
else
	bad "pg_num of an empty pool: $(ceph osd pool get pgn pg_num)"
fi
for i in 1 2 3 4 5 6; do rados -p pgn put p$i /etc/hostname; done
for i in $(seq 50); do
	[[ $(ceph df -f json | python3 -c 'import json,sys; print([p["stats"]["objects"] for p in json.load(sys.stdin)["pools"] if p["name"] == "pgn"][0])') == 6 ]] && break
	sleep 0.2
done
ceph osd pool set pgn pg_num 32 >"$WORK/pgn.out" 2>&1
rc=$?
readable=0
for i in 1 2 3 4 5 6; do rados -p pgn get p$i - 2>/dev/null | cmp -s - /etc/hostname && readable=$((readable + 1)); done
if [[ $rc == 95 ]] && grep -q 'holds 6 objects' "$WORK/pgn.out" && [[ $(ceph osd pool get pgn pg_num) == "pg_num: 16" && $readable == 6 ]]; then
	ok "pg_num change of a pool holding objects: EOPNOTSUPP, every object still readable"
else
	bad "pg_num change with objects: rc $rc $(cat "$WORK/pgn.out"), readable $readable"
fi
ceph osd pool rm pgn pgn --yes-i-really-really-mean-it >/dev/null 2>&1

# ---- pg ls: the same PGs pg dump shows, filtered ----
n_all=$(ceph pg dump pgs_brief -f json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["pg_stats"]))')
n_p1=$(ceph pg dump pgs_brief -f json | python3 -c 'import json,sys; print(sum(1 for p in json.load(sys.stdin)["pg_stats"] if p["acting_primary"] == 1))')
l_all=$(ceph pg ls -f json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["pg_stats"]))')
l_p1=$(ceph pg ls-by-primary osd.1 -f json | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("pg_stats", [])))')
l_clean=$(ceph pg ls active clean | grep -c 'active+clean')
l_under=$(ceph pg ls undersized -f json | python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("pg_stats", [])))')
if [[ $l_all == "$n_all" && $l_p1 == "$n_p1" && $l_clean == "$n_all" && $l_under == 0 && $n_all -gt 0 ]]; then
	ok "pg ls: $l_all PGs, $l_p1 with primary osd.1, $l_clean active+clean, none undersized"
else
	bad "pg ls: all $l_all/$n_all primary osd.1 $l_p1/$n_p1 clean $l_clean under $l_under"
fi
run_rc() { "$@" >/dev/null 2>&1; echo $?; }
[[ $(run_rc ceph pg ls-by-pool nosuch) == 2 && $(run_rc ceph pg ls nostate) == 22 ]] &&
	ok "pg ls: a missing pool ENOENT, a bad state EINVAL" || bad "pg ls bad input"

# ---- objects in, objects out ----
mkdir -p "$WORK/obj"
for i in $(seq 1 12); do
	head -c $((i * 3000 + 1)) /dev/urandom >"$WORK/obj/o$i"
done
head -c $((4 << 20)) /dev/urandom >"$WORK/obj/o13"
wrote=0
for i in $(seq 1 13); do
	rados -p rbd put "o$i" "$WORK/obj/o$i" && wrote=$((wrote + 1))
done
[[ $wrote == 13 ]] && ok "put 13 objects (one of 4 MiB)" || bad "put: only $wrote of 13"
got=0
for i in $(seq 1 13); do
	rados -p rbd get "o$i" "$WORK/obj/o$i.back" && cmp -s "$WORK/obj/o$i" "$WORK/obj/o$i.back" &&
		got=$((got + 1))
done
[[ $got == 13 ]] && ok "get: 13 objects read back intact" || bad "get: $got of 13 intact"

n=$(rados -p rbd ls | grep -c '^o[0-9]*$')
[[ $n == 13 ]] && ok "ls lists the 13 objects" || bad "ls lists $n objects"

rados -p rbd stat nosuchobject >"$WORK/out" 2>&1
rc=$?
[[ $rc != 0 ]] && grep -qi 'no such file' "$WORK/out" && ok "stat of a missing object: ENOENT" ||
	bad "stat missing object: rc $rc $(cat "$WORK/out")"

echo x >"$WORK/x"
rados -p rbd put big "$WORK/x" --offset $((200 << 20)) >"$WORK/out" 2>&1
rc=$?
[[ $rc != 0 ]] && grep -qi 'too large' "$WORK/out" && ok "write past osd_max_object_size: EFBIG" ||
	bad "EFBIG: rc $rc $(cat "$WORK/out")"

# ---- appends while a replica, then the primary, dies ----
# Each acknowledged append is a numbered line; afterwards the object must
# hold lines 1..N exactly once each, in order.
append_stream() { # OBJ COUNT ACKFILE
	: >"$3"
	for k in $(seq 1 "$2"); do
		echo "line $k" >"$WORK/line.$1"
		if timeout 120 "$BIN/rados" -c "$C" -p rbd append "$1" "$WORK/line.$1" 2>>"$WORK/append.err"; then
			echo "$k" >>"$3"
		fi
	done
}
check_stream() { # OBJ ACKFILE WHAT
	local acked last content
	acked=$(wc -l <"$2")
	last=$(tail -1 "$2")
	rados -p rbd get "$1" "$WORK/$1.back" || { bad "$3: cannot read $1"; return; }
	# the content must be lines 1..M in order (M >= every acked line)
	if python3 - "$WORK/$1.back" "$2" <<'PY'; then
import sys
lines = open(sys.argv[1]).read().splitlines()
acked = [int(x) for x in open(sys.argv[2]).read().split()]
want = ["line %d" % k for k in range(1, len(lines) + 1)]
assert lines == want, "content is not lines 1..%d in order: %r" % (len(lines), lines[:5])
assert not acked or max(acked) <= len(lines), "acknowledged line %d missing" % max(acked)
PY
		ok "$3: $acked appends acknowledged (last $last), all present once, in order"
	else
		bad "$3: $(head -c 300 "$WORK/$1.back")"
	fi
}

: >"$WORK/ack_r"
: >"$WORK/ack_p"
read -r P R1 R2 < <(acting stream_r)
append_stream stream_r 40 "$WORK/ack_r" &
writer=$!
while [[ $(wc -l <"$WORK/ack_r" 2>/dev/null || echo 0) -lt 10 ]] && kill -0 $writer 2>/dev/null; do
	sleep 0.05
done
kill -9 "$(osd_pid "$R1")"
sleep 1
restart_osd "$R1"
wait $writer
check_stream stream_r "$WORK/ack_r" "kill -9 of replica osd.$R1 (primary osd.$P)"

read -r P2 _ _ < <(acting stream_p)
append_stream stream_p 40 "$WORK/ack_p" &
writer=$!
while [[ $(wc -l <"$WORK/ack_p" 2>/dev/null || echo 0) -lt 10 ]] && kill -0 $writer 2>/dev/null; do
	sleep 0.05
done
kill -9 "$(osd_pid "$P2")"
sleep 1
restart_osd "$P2"
wait $writer
check_stream stream_p "$WORK/ack_p" "kill -9 of primary osd.$P2"

# ---- an OSD that missed writes while down ----
# SIGTERM marks osd.2 down; the others go on (min_size 2) with writes,
# xattrs and deletes it never sees; once back it is handed writes on
# objects it lacks, as a replica.  It must keep serving, and every write
# must succeed.  (Objects whose primary is osd.2 are left out: without
# peering and recovery, the next milestone, a primary that missed writes
# serves what it has; see docs/osd.md.)
names=()
for i in $(seq 1 40); do
	read -r p _ < <(acting "m$i")
	[[ $p != 2 ]] && names+=("m$i")
	[[ ${#names[@]} == 6 ]] && break
done
pid2=$(osd_pid 2)
kill "$pid2"
for _ in $(seq 1 100); do kill -0 "$pid2" 2>/dev/null || break; sleep 0.1; done
missed=0
for m in "${names[@]}"; do
	rados -p rbd put "$m" "$WORK/obj/o1" && rados -p rbd setxattr "$m" color blue &&
		missed=$((missed + 1))
done
rados -p rbd rm "${names[0]}" && missed=$((missed + 1))
restart_osd 2
after=0
for m in "${names[@]:1}"; do
	rados -p rbd rmxattr "$m" color && rados -p rbd append "$m" "$WORK/x" && after=$((after + 1))
done
rados -p rbd rm "${names[1]}" && after=$((after + 1))
if [[ $missed == 7 && $after == 6 ]] && kill -0 "$(osd_pid 2)" 2>/dev/null; then
	ok "osd.2 back after missing writes: keeps serving; writes, xattrs and deletes succeed"
else
	bad "missed writes: $missed of 7 while down, $after of 6 after; osd.2 $(kill -0 "$(osd_pid 2)" 2>/dev/null && echo alive || echo dead)"
fi

# ---- malformed messages ----
addr=$(osd_addr 0)
pid0=$(osd_pid 0)
"$BIN/osd_test_tool" garbage "$addr" 150 >"$WORK/garbage.out" 2>&1
if kill -0 "$pid0" 2>/dev/null; then ok "osd.0 survives 150 malformed OSD_MSG_OP frames"; else bad "osd.0 died on garbage"; fi
"$BIN/osd_test_tool" badop "$addr" 1 o1 >"$WORK/badop.out" 2>&1
grep -q 'stat in missing pool: -2' "$WORK/badop.out" && ok "op on a missing pool: ENOENT" ||
	bad "missing pool: $(cat "$WORK/badop.out")"
grep -q 'name of 3000 bytes: -36' "$WORK/badop.out" && ok "a 3000-byte name at the OSD: ENAMETOOLONG" ||
	bad "long name: $(cat "$WORK/badop.out")"
# the unknown op reaches execution on the PG's primary (whichever OSD it is)
unk=0
for o in 0 1 2; do
	"$BIN/osd_test_tool" badop "$(osd_addr $o)" 1 o1 2>&1 | grep -q 'unknown op: -95' && unk=1
done
[[ $unk == 1 ]] && ok "an unknown op code: EOPNOTSUPP, the session lives on" ||
	bad "unknown op: no OSD answered EOPNOTSUPP"
got=0
for i in 1 2 3 4 5 6; do
	rados -p rbd get "o$i" "$WORK/obj/o$i.back2" && cmp -s "$WORK/obj/o$i" "$WORK/obj/o$i.back2" &&
		got=$((got + 1))
done
[[ $got == 6 ]] && ok "the cluster serves reads after the garbage" || bad "after garbage: $got of 6"

# ---- every store holds every object (offline) ----
cp "$WORK/stream_r.back" "$WORK/stream_r.want"
stop_cluster
for o in 0 1 2; do
	n=0
	for i in $(seq 1 13); do
		"$BIN/osd_test_tool" find "$D/osd.$o" "o$i" >"$WORK/found" 2>/dev/null &&
			cmp -s "$WORK/found" "$WORK/obj/o$i" && n=$((n + 1))
	done
	[[ $n == 13 ]] && ok "osd.$o's store holds all 13 objects" || bad "osd.$o's store holds $n of 13"
	"$BIN/osd_test_tool" find "$D/osd.$o" stream_r >"$WORK/found" 2>/dev/null &&
		cmp -s "$WORK/found" "$WORK/stream_r.want" &&
		ok "osd.$o's store holds stream_r as acknowledged" ||
		bad "osd.$o's copy of stream_r differs"
done

# ---- a whole restart keeps everything ----
if start_cluster; then ok "restart of the cluster"; else bad "restart: $(cat "$WORK/start.out")"; fi
got=0
for i in $(seq 1 13); do
	rados -p rbd get "o$i" "$WORK/obj/o$i.back3" && cmp -s "$WORK/obj/o$i" "$WORK/obj/o$i.back3" &&
		got=$((got + 1))
done
[[ $got == 13 ]] && ok "after the restart: 13 objects intact" || bad "after restart: $got of 13"

echo "passed $pass, failed $fail"
[[ $fail == 0 ]]
