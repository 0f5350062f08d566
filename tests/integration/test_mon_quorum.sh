#!/usr/bin/env bash
# Three real ceph-mon processes on 127.0.0.1 (free ports picked here):
# mkfs from a monmaptool map and from ceph.conf, quorum within seconds,
# reads on every monitor, writes redirected to the leader, kill -9 of the
# leader (another is elected, writes keep committing), a lone minority
# refusing writes with "no quorum", a full restart keeping every map,
# subscriptions, bad input, clean SIGTERM shutdown.  Driven by
# mon_client_tool (tests/integration/mon_client_tool.c).
#
# Env: LOLIGO_BIN (the build's bin/).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
MON="$BIN/ceph-mon"
CLI="$BIN/mon_client_tool"
for t in "$MON" "$CLI" "$BIN/monmaptool"; do
	if [ ! -x "$t" ]; then
		echo "SKIP: $t not built"
		exit 0
	fi
done
WORK="$(mktemp -d)"
fail=0
declare -A PID
# Sanitizer reports of the daemonized monitors land in files we check.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$WORK/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$WORK/ubsan"

cleanup() {
	for m in "${!PID[@]}"; do
		kill -9 "${PID[$m]}" 2>/dev/null
	done
	if [ "$fail" = 0 ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# Three free port pairs (client port P, Raft port P+1).
read -r P0 P1 P2 < <(python3 - <<'EOF'
import socket
ports = []
while len(ports) < 3:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if p > 65000 or any(abs(p - q) < 2 for q in ports):
        continue
    try:
        t = socket.socket(); t.bind(("127.0.0.1", p + 1)); t.close()
    except OSError:
        continue
    ports.append(p)
print(*ports)
EOF
)
NAMES=(a b c)
PORTS=("$P0" "$P1" "$P2")
ALL="127.0.0.1:$P0,127.0.0.1:$P1,127.0.0.1:$P2"
FSID=4f1d8a52-29c4-4e61-9d38-2b8a3c6d7e11

cat >"$WORK/ceph.conf" <<EOF
[global]
fsid = $FSID
mon_host = 127.0.0.1:$P0, 127.0.0.1:$P1, 127.0.0.1:$P2
mon_initial_members = a, b, c
mon_data = $WORK/mon.\$id
log_file = $WORK/\$name.log
run_dir = $WORK
EOF

"$BIN/monmaptool" --create --fsid "$FSID" --add a "127.0.0.1:$P0" \
	--add b "127.0.0.1:$P1" --add c "127.0.0.1:$P2" "$WORK/monmap" >/dev/null ||
	bad "monmaptool --create"

# a and b from the monmaptool map, c from ceph.conf's mon_host.
for m in a b; do
	"$MON" -c "$WORK/ceph.conf" --mkfs -i "$m" --monmap "$WORK/monmap" >/dev/null ||
		bad "mkfs mon.$m"
done
"$MON" -c "$WORK/ceph.conf" --mkfs -i c >/dev/null || bad "mkfs mon.c from ceph.conf"
if "$MON" -c "$WORK/ceph.conf" --mkfs -i c >/dev/null 2>&1; then
	bad "a second mkfs on the same folder was accepted"
else
	ok "a second mkfs on the same folder is refused"
fi
if "$MON" -c "$WORK/ceph.conf" --mkfs -i zz --monmap "$WORK/monmap" 2>/dev/null; then
	bad "mkfs of a monitor absent from the monmap"
else
	ok "mkfs refuses a monitor absent from the monmap"
fi

start() { # start NAME: daemonizes; the pid file names it
	local m="$1"
	if "$MON" -c "$WORK/ceph.conf" -i "$m"; then
		PID[$m]="$(cat "$WORK/ceph-mon.$m.pid")"
	else
		bad "start mon.$m"
	fi
}
port_of() { case "$1" in a) echo "$P0" ;; b) echo "$P1" ;; c) echo "$P2" ;; esac; }

# cmd ADDRS JSON: sets RC, OUT, ERR
cmd() {
	OUT="$("$CLI" --timeout "${TIMEOUT:-10000}" "$@" 2>"$WORK/err")"
	RC=$?
	ERR="$(cat "$WORK/err")"
}

leader() { # the leader's name: who takes a write, or who a peon names
	local addr i j
	for i in 0 1 2; do
		TIMEOUT=1000 cmd --once "127.0.0.1:${PORTS[$i]}" \
			'{"prefix":"config-key set","key":"probe","val":"x"}'
		if [ "$RC" = 0 ]; then
			echo "${NAMES[$i]}"
			return
		fi
		addr="${ERR#*leader=}"; addr="${addr%% *}"
		for j in 0 1 2; do
			if [ "$RC" = 11 ] && [ "$addr" = "127.0.0.1:${PORTS[$j]}" ]; then
				echo "${NAMES[$j]}"
				return
			fi
		done
	done
}

# ---- quorum forms ----
t0=$(date +%s%N)
for m in a b c; do start "$m"; done
TIMEOUT=10000 cmd "$ALL" '{"prefix":"config-key set","key":"k1","val":"v1"}'
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
if [ "$RC" = 0 ]; then ok "quorum formed and first write committed in ${ms} ms"; else bad "first write: $ERR"; fi
[ "$ms" -lt 5000 ] || bad "quorum took ${ms} ms"

sleep 0.3
for m in a b c; do
	cmd "127.0.0.1:$(port_of $m)" '{"prefix":"config-key get","key":"k1"}'
	if [ "$RC" = 0 ] && [ "$OUT" = v1 ]; then ok "read on mon.$m"; else bad "read on mon.$m: rc $RC $ERR"; fi
done

L="$(leader)"
[ -n "$L" ] && ok "leader is mon.$L" || bad "no leader found"
for m in a b c; do
	[ "$m" = "$L" ] && continue
	cmd --once "127.0.0.1:$(port_of $m)" '{"prefix":"config-key set","key":"k","val":"v"}'
	if [ "$RC" = 11 ] && [[ "$ERR" == *"not the leader; retry at mon.$L 127.0.0.1:$(port_of $L)"* ]]; then
		ok "peon mon.$m redirects writes to the leader"
	else
		bad "peon mon.$m on a write: rc $RC $ERR"
	fi
done

cmd "$ALL" '{"prefix":"osd set","key":"noout"}'
[ "$RC" = 0 ] || bad "osd set noout: $ERR"
cmd "$ALL" '{"prefix":"fsid"}'
[[ "$OUT" == "$FSID"* ]] && ok "fsid from the monmap" || bad "fsid: $OUT $ERR"
epoch_on() { # the osdmap epoch a monitor serves to a subscriber
	local e
	e="$("$CLI" --sub osdmap 0 "127.0.0.1:$1")"
	e="${e#epoch }"
	echo "${e%% *}"
}
sleep 0.3
[ "$(epoch_on "$P0")" = 2 ] && ok "osdmap e2 after a write" || bad "epoch: $(epoch_on "$P0")"

# ---- subscriptions (served from the local state: let mon.b apply e2) ----
sleep 0.3
OUT="$("$CLI" --sub osdmap 0 "127.0.0.1:$P1")"
[[ "$OUT" == "epoch 2 full"* ]] && ok "subscribe osdmap 0: the full map" || bad "sub 0: $OUT"
OUT="$("$CLI" --sub osdmap 1 "127.0.0.1:$P1" | tr '\n' ' ')"
[[ "$OUT" == "epoch 1 inc "*"epoch 2 inc "* ]] && ok "subscribe osdmap 1: incrementals 1..2" || bad "sub 1: $OUT"
OUT="$("$CLI" --sub monmap 0 "127.0.0.1:$P2")"
[[ "$OUT" == monmap* ]] && ok "subscribe monmap" || bad "sub monmap: $OUT"

# ---- bad input ----
cmd "$ALL" 'not json'
[ "$RC" = 22 ] && ok "malformed JSON: EINVAL" || bad "malformed JSON: rc $RC"
cmd "$ALL" '{"prefix":"no such command really"}'
[ "$RC" = 22 ] && ok "unknown command: EINVAL" || bad "unknown command: rc $RC"
python3 - "$P0" <<'EOF' && ok "garbage on the wire" || bad "garbage"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"\xff" * 4096)
s.close()
EOF
cmd "127.0.0.1:$P0" '{"prefix":"config-key get","key":"k1"}'
[ "$RC" = 0 ] && ok "mon.a still serves after garbage" || bad "mon.a after garbage: $ERR"

# ---- kill -9 the leader ----
L="$(leader)"
kill -9 "${PID[$L]}"
unset "PID[$L]"
t0=$(date +%s%N)
cmd "$ALL" '{"prefix":"config-key set","key":"k2","val":"v2"}'
t1=$(date +%s%N)
if [ "$RC" = 0 ]; then ok "after kill -9 of leader mon.$L a write committed in $(((t1 - t0) / 1000000)) ms"
else bad "write after killing the leader: $ERR"; fi
L2="$(leader)"
[ -n "$L2" ] && [ "$L2" != "$L" ] && ok "new leader mon.$L2" || bad "new leader: '$L2'"

# ---- a lone minority ----
kill -9 "${PID[$L2]}"
unset "PID[$L2]"
LONE="${!PID[*]}"
sleep 1.5
# One request each (--once): the lone monitor must answer "no quorum"
# itself.  The budget is generous because a monitor that lost its peers
# persists its election votes (fsync) and a loaded CI disk can stall that.
TIMEOUT=8000 cmd --once "127.0.0.1:$(port_of $LONE)" '{"prefix":"config-key set","key":"k3","val":"v3"}'
if [ "$RC" = 11 ] && [[ "$ERR" == *"no quorum: 1 of 3 monitors reachable"* ]]; then
	ok "lone mon.$LONE refuses writes: no quorum"
else
	bad "lone mon.$LONE on a write: rc $RC $ERR"
fi
TIMEOUT=8000 cmd --once "127.0.0.1:$(port_of $LONE)" '{"prefix":"config-key get","key":"k1"}'
[ "$RC" = 11 ] && ok "lone mon.$LONE refuses reads too" || bad "lone read: rc $RC $ERR"

# ---- restart everything: state survives ----
kill -TERM "${PID[$LONE]}"
for i in $(seq 50); do kill -0 "${PID[$LONE]}" 2>/dev/null || break; sleep 0.1; done
if kill -0 "${PID[$LONE]}" 2>/dev/null; then bad "mon.$LONE ignored SIGTERM"; else ok "SIGTERM stops mon.$LONE"; fi
[ -e "$WORK/ceph-mon.$LONE.pid" ] && bad "pid file left behind" || ok "pid file removed"
unset "PID[$LONE]"
for m in a b c; do start "$m"; done
cmd "$ALL" '{"prefix":"config-key set","key":"k4","val":"v4"}'
[ "$RC" = 0 ] && ok "restarted cluster takes writes" || bad "write after restart: $ERR"
sleep 0.3
for m in a b c; do
	cmd "127.0.0.1:$(port_of $m)" '{"prefix":"config-key ls","format":"json"}'
	# leader() writes "probe" only when it asked the leader itself (a peon
	# just names the leader), so whether that key exists is chance
	keys="$(echo "$OUT" | tr -d ' \n' | sed 's/,"probe"//')"
	if [ "$keys" = '["k1","k2","k4"]' ]; then ok "mon.$m kept every key"; else bad "mon.$m keys: $OUT $ERR"; fi
	e="$(epoch_on "$(port_of $m)")"
	[ "$e" = 2 ] && ok "mon.$m kept osdmap e2" || bad "mon.$m epoch: $e"
done

# ---- clean shutdown ----
for m in "${!PID[@]}"; do kill -TERM "${PID[$m]}"; done
for m in "${!PID[@]}"; do
	for i in $(seq 50); do kill -0 "${PID[$m]}" 2>/dev/null || break; sleep 0.1; done
	kill -0 "${PID[$m]}" 2>/dev/null && bad "mon.$m still running after SIGTERM"
	unset "PID[$m]"
done
if ls "$WORK"/asan.* "$WORK"/ubsan.* >/dev/null 2>&1; then
	cat "$WORK"/asan.* "$WORK"/ubsan.* 2>/dev/null | head -60
	bad "sanitizer reports"
else
	ok "no sanitizer reports"
fi

[ "$fail" = 0 ] && echo "PASS" || echo "FAILED"
exit $fail
