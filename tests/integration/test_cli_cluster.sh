#!/usr/bin/env bash
# The `ceph` and `rados` CLIs against a real 3-monitor cluster made by
# scripts/start.sh: every seed command of issue 3 with the output Ceph
# 16.2 gives, the CRUSH map round trip through our crushtool and Debian's,
# bad input, monitor addresses that do not answer (a dead address beside
# live ones, a name that resolves), the connect timeout, writes sent to
# each monitor (peons redirect to the leader), a restart of the whole
# cluster with its maps intact, a second cluster side by side, and
# scripts/stop.sh stopping exactly what started.
#
# While the monitor lacks a command ("no valid command found for prefix"
# from the monitor itself) the checks that need it are reported as
# skipped, not failed; the test is skipped as a whole without ceph-mon.
#
# Env: LOLIGO_BIN (the build's bin/), LOLIGO_SRC (the checkout).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
SRC="${LOLIGO_SRC:?set LOLIGO_SRC to the checkout}"
for t in ceph-mon ceph rados crushtool; do
	if [[ ! -x $BIN/$t ]]; then
		echo "SKIP: $BIN/$t is not built yet"
		exit 0
	fi
done
REF_CRUSHTOOL=$(command -v /usr/bin/crushtool || true)

WORK=$(mktemp -d)
D=$WORK/c1
D2=$WORK/c2
cleanup() {
	LOLIGO_DATA=$D "$SRC/scripts/stop.sh" >/dev/null 2>&1
	LOLIGO_DATA=$D2 "$SRC/scripts/stop.sh" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

fail=0
pass=0
skipped=()
ceph() { "$BIN/ceph" "$@"; }
rados() { "$BIN/rados" "$@"; }

# run CMD...: output in $out, $err, status in $rc.
run() {
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	out=$(cat "$WORK/out")
	err=$(cat "$WORK/err")
}

bad() {
	echo "FAIL: $*"
	echo "  stdout: $(head -c 600 "$WORK/out")"
	echo "  stderr: $(head -c 600 "$WORK/err")"
	fail=$((fail + 1))
}

# expect RC PATTERN_STDOUT PATTERN_STDERR CMD... (patterns: grep -E, "" = any)
expect() {
	local want_rc=$1 pout=$2 perr=$3
	shift 3
	run "$@"
	if grep -q "no valid command found for prefix" "$WORK/err"; then
		skipped+=("$*")
		return 0
	fi
	if [[ $rc != "$want_rc" ]]; then
		bad "$* exited $rc, expected $want_rc"
		return 1
	fi
	if [[ -n $pout ]] && ! grep -qE -- "$pout" "$WORK/out"; then
		bad "$*: stdout lacks /$pout/"
		return 1
	fi
	if [[ -n $perr ]] && ! grep -qE -- "$perr" "$WORK/err"; then
		bad "$*: stderr lacks /$perr/"
		return 1
	fi
	pass=$((pass + 1))
	return 0
}

# ---- start ----
start_ms=$(date +%s%N)
if ! LOLIGO_DATA=$D LOLIGO_BIN=$BIN "$SRC/scripts/start.sh" >"$WORK/start.out" 2>&1; then
	echo "FAIL: scripts/start.sh"
	cat "$WORK/start.out"
	exit 1
fi
echo "start.sh to quorum: $((($(date +%s%N) - start_ms) / 1000000)) ms"
grep -q "export CEPH_CONF=$D/ceph.conf" "$WORK/start.out" || bad "start.sh does not print the CEPH_CONF export"
export CEPH_CONF=$D/ceph.conf
fsid=$(sed -n 's/^fsid = //p' "$CEPH_CONF")
[[ $(grep -c "^mon_host = 127.0.0.1:[0-9]*, 127.0.0.1:[0-9]*, 127.0.0.1:[0-9]*$" "$CEPH_CONF") == 1 ]] ||
	bad "ceph.conf lacks a 3-address mon_host"

# ---- basics ----
expect 0 "^ceph version 16\.2\.[0-9]+-loligo .* pacific \(stable\)$" "" ceph -v
expect 0 "^ceph version 16\.2" "" ceph --version
expect 0 "^$fsid$" "" ceph fsid
expect 0 "^$fsid$" "" ceph -c "$CEPH_CONF" fsid
expect 0 "" "" ceph -s
expect 0 "" "" ceph status
expect 0 "" "" ceph health
expect 0 "" "" ceph mon stat
expect 0 "" "" ceph mon dump
expect 0 "" "" ceph quorum_status
run ceph fsid -f json
if [[ $rc == 0 ]] && ! python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["fsid"]==sys.argv[2]' "$WORK/out" "$fsid" 2>/dev/null; then
	bad "ceph fsid -f json is not {\"fsid\": ...}"
fi
expect 22 "" "format xml is not supported" ceph fsid -f xml
expect 95 "" "not supported yet" ceph -w
expect 0 "^$fsid$" "" ceph fsid -o -
expect 0 "" "" ceph fsid -o "$WORK/fsid.out"
[[ $(cat "$WORK/fsid.out" 2>/dev/null) == "$fsid" ]] || bad "ceph fsid -o FILE did not write the fsid"
expect 1 "" "Can't open output file" ceph fsid -o /nonexistent/dir/x
expect 1 "" "Can't open input file" ceph osd setcrushmap -i /nonexistent/x

# ---- pools (004: ceph osd pool set data size 3; rados lspools/mkpool/rmpool) ----
expect 0 "" "^pool 'data' created$" ceph osd pool create data
expect 0 "" "^set pool [0-9]+ size to 3$" ceph osd pool set data size 3
expect 0 "^size: 3$" "" ceph osd pool get data size
run ceph osd pool get data size -f json
if [[ $rc == 0 ]] && ! python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["size"]==3 and d["pool"]=="data"' "$WORK/out" 2>/dev/null; then
	bad "ceph osd pool get data size -f json"
fi
expect 2 "" "^Error ENOENT: unrecognized pool 'nosuchpool'$" ceph osd pool get nosuchpool size
expect 0 "^pool [0-9]+ 'data' replicated size 3 min_size 2 " "" ceph osd pool ls detail
expect 0 "^data$" "" ceph osd pool ls
expect 0 "^data$" "" rados lspools
expect 0 "^successfully created pool test$" "" rados mkpool test
expect 0 "^test$" "" rados lspools
expect 1 "" "pass the pool name \*twice\*" rados rmpool test
expect 1 "" "pass the pool name \*twice\*" rados rmpool test other --yes-i-really-really-mean-it
expect 0 "^successfully deleted pool test$" "" rados rmpool test test --yes-i-really-really-mean-it
run rados lspools
grep -qx test "$WORK/out" && bad "pool test still listed after rmpool"
expect 1 "" "does not exist" rados rmpool test test --yes-i-really-really-mean-it
expect 1 "" "error opening pool nosuchpool: \(2\) No such file or directory" rados -p nosuchpool ls
expect 1 "" "^Error EPERM: .*pass the pool name \*twice\*" ceph osd pool delete data
expect 22 "" "doesn't represent an int|error parsing integer" ceph osd pool set data size abc
expect 22 "" "^Invalid command: sizzle not in " ceph osd pool set data sizzle 3
expect 22 "" "^no valid command found; [0-9]+ closest matches:" ceph osd frobnicate
expect 22 "" "^Invalid command: missing required parameter pool\(<poolname>\)" ceph osd pool get

# ---- writes through every monitor: peons send the client to the leader ----
i=0
for addr in $(sed -n 's/^mon_host = //p' "$CEPH_CONF" | tr -d ','); do
	expect 0 "" "^pool 'via$i' created$" ceph -m "$addr" osd pool create "via$i"
	expect 0 "" "" ceph -m "$addr" config-key set "via$i" "value$i"
	expect 0 "^value$i$" "" ceph -m "$addr" config-key get "via$i"
	i=$((i + 1))
done

# ---- CRUSH (004: getcrushmap, crushtool -d/-c, setcrushmap) ----
expect 0 "" "" ceph osd getcrushmap -o "$WORK/crush.running.map"
if [[ $rc == 0 ]]; then
	[[ -s $WORK/crush.running.map ]] || bad "getcrushmap wrote nothing"
	expect 0 "" "" "$BIN/crushtool" -d "$WORK/crush.running.map" -o "$WORK/crush.map"
	grep -q "^root default {" "$WORK/crush.map" || bad "the running map has no root default"
	if [[ -n $REF_CRUSHTOOL ]]; then
		expect 0 "" "" "$REF_CRUSHTOOL" -d "$WORK/crush.running.map" -o "$WORK/crush.ref.txt"
		cmp -s "$WORK/crush.map" "$WORK/crush.ref.txt" ||
			bad "Debian's crushtool decompiles getcrushmap's output differently"
	fi
	expect 0 "" "" "$BIN/crushtool" -c "$WORK/crush.map" -o "$WORK/crush.new.map"
	expect 0 "" "" ceph osd setcrushmap -i "$WORK/crush.new.map"
	if [[ -n $REF_CRUSHTOOL ]]; then
		expect 0 "" "" "$REF_CRUSHTOOL" -c "$WORK/crush.map" -o "$WORK/crush.ref.map"
		expect 0 "" "" ceph osd setcrushmap -i "$WORK/crush.ref.map"
	fi
	head -c 100 /dev/urandom >"$WORK/garbage"
	expect 22 "" "^Error EINVAL" ceph osd setcrushmap -i "$WORK/garbage"
fi

expect 0 "" "^added bucket daisy type host to crush map$" ceph osd crush add-bucket daisy host
# make start's OSDs hold the first ids; new ones come after them
first=$(ceph osd ls 2>/dev/null | wc -l)
for n in $(seq "$first" $((first + 4))); do
	expect 0 "^$n$" "" ceph osd create
done
# the seed's legacy form (Ceph 16 refuses it; Loligo takes pool= as root=)
expect 0 "^\{\"prefix\":\"osd crush add\",\"id\":4,\"weight\":1\.0,\"args\":\[\"root=default\",\"host=daisy\"\]\}$" "" \
	ceph --dry-run osd crush add 4 osd.4 1.0 pool=default host=daisy
expect 0 "" "^add item id 4 name 'osd\.4' weight 1 at location \{host=daisy,root=default\} to crush map$" \
	ceph osd crush add 4 osd.4 1.0 pool=default host=daisy
run ceph osd getcrushmap -o "$WORK/after-add.map"
if [[ $rc == 0 ]]; then
	"$BIN/crushtool" -d "$WORK/after-add.map" -o "$WORK/after-add.txt"
	awk '/^host daisy \{/,/^\}/' "$WORK/after-add.txt" | grep -q "item osd.4 weight 1.000" ||
		bad "osd.4 is not under host daisy after osd crush add"
fi
expect 0 "" "^removed item id 4 name 'osd\.4' from crush map$" ceph osd crush remove osd.4
expect 22 "" "^Invalid command: abc doesn't represent a float$" ceph osd crush add osd.4 abc
expect 22 "" "^Invalid command: osd id x not integer$" ceph osd crush add osd.x 1.0 root=default

# ---- monitor addresses: a dead one beside a live one, a DNS name ----
live=$(sed -n 's/^mon_host = //p' "$CEPH_CONF" | cut -d, -f1)
live_port=${live##*:}
t0=$(date +%s%N)
expect 0 "^$fsid$" "" ceph -m "127.0.0.1:1, 127.0.0.2:9, $live" fsid
t1=$(date +%s%N)
(((t1 - t0) / 1000000 < 3000)) || bad "a dead monitor address slowed the client to $(((t1 - t0) / 1000000)) ms"
# `localhost` resolves to 127.0.0.1 (and maybe ::1, where nothing listens)
expect 0 "^$fsid$" "" ceph -m "localhost:$live_port" fsid
cat >"$WORK/dns.conf" <<EOF
[global]
mon_host = localhost:1, localhost:$live_port
EOF
expect 0 "^$fsid$" "" ceph -c "$WORK/dns.conf" fsid
t0=$(date +%s%N)
expect 1 "" "^timed out" ceph -m 127.0.0.1:1 --connect-timeout 1 fsid
t1=$(date +%s%N)
(((t1 - t0) / 1000000 < 4000)) || bad "--connect-timeout 1 took $(((t1 - t0) / 1000000)) ms"
: >"$WORK/empty.conf"
expect 2 "" "no monitors specified" env -u CEPH_CONF "$BIN/ceph" -c "$WORK/empty.conf" fsid
expect 2 "" "cannot read" env -u CEPH_CONF "$BIN/ceph" -c "$WORK/nonexistent.conf" fsid

# ---- kill -9 one monitor (maybe the leader): the CLI finds the others ----
for m in a b c; do
	kill -9 "$(cat "$D/run/ceph-mon.$m.pid")"
	t0=$(date +%s%N)
	expect 0 "" "" ceph config-key set "after-kill-$m" yes
	echo "write after kill -9 of mon.$m: $((($(date +%s%N) - t0) / 1000000)) ms"
	expect 0 "^yes$" "" ceph config-key get "after-kill-$m"
	# start.sh brings back only what is missing
	run env LOLIGO_DATA="$D" LOLIGO_BIN="$BIN" "$SRC/scripts/start.sh"
	[[ $rc == 0 ]] || bad "start.sh did not restart mon.$m"
	# the two other monitors and the three OSDs
	[[ $(grep -c "already running" "$WORK/out") == 5 ]] || bad "start.sh restarted running daemons"
done

# ---- a second cluster side by side ----
if LOLIGO_DATA=$D2 LOLIGO_BIN=$BIN LOLIGO_QUIET=1 "$SRC/scripts/start.sh" >"$WORK/start2.out" 2>&1; then
	fsid2=$(sed -n 's/^fsid = //p' "$D2/ceph.conf")
	[[ $fsid2 != "$fsid" ]] || bad "the second cluster has the first one's fsid"
	expect 0 "^$fsid2$" "" ceph -c "$D2/ceph.conf" fsid
	expect 0 "^$fsid$" "" ceph fsid
	LOLIGO_DATA=$D2 "$SRC/scripts/stop.sh" >/dev/null
else
	bad "a second cluster did not start beside the first"
	cat "$WORK/start2.out"
fi

# ---- stop and restart: the maps survive ----
pids=$(cat "$D"/run/*.pid 2>/dev/null)
[[ $(echo "$pids" | wc -w) == 6 ]] || bad "expected 6 pid files (3 mons, 3 OSDs) in $D/run, got: $pids"
run env LOLIGO_DATA="$D" "$SRC/scripts/stop.sh"
grep -q "stopped 6 daemon(s)" "$WORK/out" || bad "stop.sh did not stop 6 daemons"
for p in $pids; do
	kill -0 "$p" 2>/dev/null && bad "pid $p still running after stop.sh"
done
if LOLIGO_DATA=$D LOLIGO_BIN=$BIN "$SRC/scripts/start.sh" >"$WORK/restart.out" 2>&1; then
	grep -q "Restarting" "$WORK/restart.out" || bad "start.sh on an existing cluster did not restart it"
	expect 0 "^$fsid$" "" ceph fsid
	expect 0 "^size: 3$" "" ceph osd pool get data size
	expect 0 "^data$" "" rados lspools
else
	bad "restart failed"
	cat "$WORK/restart.out"
fi

echo "passed: $pass, failed: $fail, skipped (monitor lacks the command): ${#skipped[@]}"
for s in "${skipped[@]}"; do
	echo "  skipped: $s"
done
[[ $fail == 0 ]]
