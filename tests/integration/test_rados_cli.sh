#!/usr/bin/env bash
# The `rados` CLI against a real cluster made by scripts/start.sh (three
# monitors and, once ceph-osd is built, three OSDs with pool `rbd`): every
# command, outputs compared with what Ceph 16.2's rados prints (the exact
# text where it is deterministic: stat, getomapval's hexdump, ls in every
# format, df's table and JSON, bench's lines and summary), a short
# bench write/seq/rand/cleanup, and bad input (missing pool, missing
# object, bad arguments: a message, exit status 1, never a signal or a
# hang).
#
# Pool commands and argument errors run with monitors alone.  Object
# commands need OSDs and librados' object calls: without ceph-osd they are
# skipped; with it, a probe write that says "Operation not supported"
# (librados' stubs) skips them too, and any other failure fails the test.
#
# Env: LOLIGO_BIN (the build's bin/), LOLIGO_SRC (the checkout).
set -u

BIN="${LOLIGO_BIN:?set LOLIGO_BIN to the build bin folder}"
SRC="${LOLIGO_SRC:?set LOLIGO_SRC to the checkout}"
for t in ceph-mon ceph rados; do
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
skipped=()
# Every rados run is bounded: a hang is a failure, not a stuck test.
rados() { timeout 120 "$BIN/rados" "$@"; }
ceph() { timeout 60 "$BIN/ceph" "$@"; }

# run CMD...: stdout in $WORK/out and $out, stderr in $WORK/err and $err,
# status in $rc.
run() {
	"$@" >"$WORK/out" 2>"$WORK/err" <"${STDIN:-/dev/null}"
	rc=$?
	out=$(tr -d '\0' <"$WORK/out")
	err=$(tr -d '\0' <"$WORK/err")
}

bad() {
	echo "FAIL: $*"
	echo "  stdout: $(head -c 800 "$WORK/out")"
	echo "  stderr: $(head -c 800 "$WORK/err")"
	fail=$((fail + 1))
}

ok() { pass=$((pass + 1)); }

# expect RC PATTERN_STDOUT PATTERN_STDERR CMD... (patterns: grep -E on the
# whole output, "" = anything).  A signal or timeout is always a failure.
expect() {
	local want_rc=$1 pout=$2 perr=$3
	shift 3
	run "$@"
	if ((rc >= 124)); then
		bad "$* died (status $rc: signal or timeout)"
		return 1
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
	ok
}

# expect_out EXPECTED_STDOUT CMD...: exit 0 and exactly that stdout.
expect_out() {
	local want=$1
	shift
	run "$@"
	if [[ $rc != 0 ]]; then
		bad "$* exited $rc"
	elif ! printf '%s' "$want" | cmp -s - "$WORK/out"; then
		bad "$*: stdout differs from the expected:"
		diff <(printf '%s' "$want") "$WORK/out" | head -20
	else
		ok
	fi
}

# check WHAT CONDITION...: a plain assertion.
check() {
	local what=$1
	shift
	if "$@"; then ok; else
		echo "FAIL: $what"
		fail=$((fail + 1))
	fi
}

if ! LOLIGO_DATA=$D LOLIGO_BIN=$BIN "$SRC/scripts/start.sh" >"$WORK/start.out" 2>&1; then
	echo "FAIL: scripts/start.sh"
	cat "$WORK/start.out"
	exit 1
fi
export CEPH_CONF=$D/ceph.conf
cd "$WORK" || exit 1

# ---- without a cluster command: usage and argument errors -------------
expect 0 "^usage: rados" "" rados --help
expect 1 "" "you must give an action" rados
expect 1 "" "unrecognized command frob" rados frob
expect 1 "" "unrecognized option '--frobnicate'" rados lspools --frobnicate
expect 1 "" "wrong number of arguments for 'stat'" rados -p rbd stat
expect 1 "" "wrong number of arguments for 'put'" rados -p rbd put onlyone
expect 1 "" "wrong number of arguments for 'stat'" rados -p rbd stat a b
expect 1 "" "unrecognized format: xml" rados -p rbd ls --format xml
expect 1 "" "Invalid value for block-size: 'abc'" rados -p rbd put o f -b abc
expect 1 "" "Invalid value for concurrent-ios: '0'" rados -p rbd bench 1 write -t 0
expect 1 "" "option -p needs a value" rados ls -p
expect 1 "" "error reading the configuration file /nonexistent.conf" rados -c /nonexistent.conf lspools

# ---- pools -------------------------------------------------------------
expect 0 "^successfully created pool clitest$" "" rados mkpool clitest
expect 1 "" "error creating pool clitest: \(17\) File exists" rados mkpool clitest
expect 0 "^clitest$" "" rados lspools
expect 1 "" "pass the pool name \*twice\*" rados rmpool clitest
expect 1 "" "pass the pool name \*twice\*" rados rmpool clitest other --yes-i-really-really-mean-it
expect 1 "" "pass the pool name \*twice\*" rados rmpool clitest clitest
expect 0 "^successfully deleted pool clitest$" "" rados rmpool clitest clitest --yes-i-really-really-mean-it
run rados lspools
check "clitest gone from lspools" bash -c "! grep -qx clitest '$WORK/out'"
expect 1 "" "pool clitest does not exist" rados rmpool clitest clitest --yes-i-really-really-mean-it
expect 1 "" "^error opening pool nopool: \(2\) No such file or directory$" rados -p nopool ls
expect 1 "" "^error opening pool nopool: \(2\) No such file or directory$" rados -p nopool stat x
expect 1 "" "^error opening pool nopool: \(2\) No such file or directory$" rados -p nopool bench 1 write
expect 1 "" "^error opening pool nopool: \(2\) No such file or directory$" rados df -p nopool
expect 1 "" "^either pool name or pg id needs to be specified$" rados ls
expect 1 "" "stat needs a pool: -p POOL" rados stat x

# ---- object commands: only with OSDs and librados object I/O ----------
if ! grep -qx rbd <(rados lspools 2>/dev/null); then
	ceph osd pool create rbd >/dev/null 2>&1
fi
objects=1
if [[ ! -x $BIN/ceph-osd ]]; then
	skipped+=("object commands: ceph-osd is not built")
	objects=0
else
	echo probe >"$WORK/probe"
	run rados -p rbd put probe "$WORK/probe"
	if [[ $rc != 0 ]] && grep -q "Operation not supported" "$WORK/err"; then
		skipped+=("object commands: librados object I/O says: $err")
		objects=0
	elif [[ $rc != 0 ]]; then
		bad "rados -p rbd put probe: exited $rc"
		objects=0
	else
		rados -p rbd rm probe >/dev/null 2>&1
	fi
fi

if [[ $objects == 1 ]]; then
	P=(-p rbd)
	# put / get, whole files in chunks, stdin and stdout
	printf 'abcd' >"$WORK/f4"
	head -c 10000000 /dev/urandom >"$WORK/f10m"
	expect 0 "" "" rados "${P[@]}" put obj "$WORK/f4"
	expect 0 "^rbd/obj mtime [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.000000[+-][0-9]{4}, size 4$" "" \
		rados "${P[@]}" stat obj
	check "stat prints exactly one line" test "$(wc -l <"$WORK/out")" = 1
	expect_out "abcd" rados "${P[@]}" get obj -
	expect 0 "" "" rados "${P[@]}" put big "$WORK/f10m" -b 1M
	expect 0 "" "" rados "${P[@]}" get big "$WORK/big.out" -b 3M
	check "10 MB put/get round trip (1 MiB puts, 3 MiB gets)" cmp -s "$WORK/f10m" "$WORK/big.out"
	STDIN=$WORK/f10m expect 0 "" "" rados "${P[@]}" put big2 -
	run rados "${P[@]}" get big2 -
	check "put from stdin, get to stdout" cmp -s "$WORK/f10m" "$WORK/out"
	expect 0 ", size 10000000$" "" rados "${P[@]}" stat big2
	# append, --offset, truncate, create
	expect 0 "" "" rados "${P[@]}" append obj "$WORK/f4"
	expect_out "abcdabcd" rados "${P[@]}" get obj -
	printf 'XY' >"$WORK/f2"
	expect 0 "" "" rados "${P[@]}" put obj "$WORK/f2" --offset 2
	expect_out "abXYabcd" rados "${P[@]}" get obj -
	expect 0 "" "" rados "${P[@]}" truncate obj 3
	expect_out "abX" rados "${P[@]}" get obj -
	expect 1 "" "^Invalid value for size: 'abc'$" rados "${P[@]}" truncate obj abc
	expect 1 "" "^error, cannot truncate to negative value$" rados "${P[@]}" truncate obj -1
	expect 0 "" "" rados "${P[@]}" create newobj
	expect 1 "" "^error creating rbd/newobj: \(17\) File exists$" rados "${P[@]}" create newobj
	expect 0 ", size 0$" "" rados "${P[@]}" stat newobj
	: >"$WORK/empty"
	expect 0 "" "" rados "${P[@]}" put emptyobj "$WORK/empty"
	expect 0 ", size 0$" "" rados "${P[@]}" stat emptyobj
	# missing objects
	expect 1 "" "^ error stat-ing rbd/nosuch: \(2\) No such file or directory$" rados "${P[@]}" stat nosuch
	expect 1 "" "^error getting rbd/nosuch: \(2\) No such file or directory$" rados "${P[@]}" get nosuch "$WORK/x"
	expect 1 "" "^error removing rbd>nosuch: \(2\) No such file or directory$" rados "${P[@]}" rm nosuch
	expect 1 "" "^error reading input file /nonexistent: \(2\) No such file or directory$" \
		rados "${P[@]}" put obj2 /nonexistent
	expect 1 "" "failed to open file: \(2\) No such file or directory" \
		rados "${P[@]}" get obj /nonexistent/dir/file
	expect 1 "" "^error reading input file /: \(21\) Is a directory$" rados "${P[@]}" put obj2 /
	expect 1 "" "^error writing to file: \(28\) No space left on device$" rados "${P[@]}" get obj /dev/full
	longname=$(head -c 3000 /dev/zero | tr '\0' n)
	expect 1 "" ": \(36\) File name too long$" rados "${P[@]}" put "$longname" "$WORK/f4"
	expect 1 "" "^error truncating rbd/obj to 200000000: \(27\) File too large$" \
		rados "${P[@]}" truncate obj 200000000
	expect 1 "" "^error putting rbd/obj2: \(27\) File too large$" \
		rados "${P[@]}" put obj2 "$WORK/f4" --offset 134217727
	expect 0 "" "" rados mkpool gone
	expect 0 "" "" rados -p gone put a "$WORK/f4"
	expect 0 "" "" rados rmpool gone gone --yes-i-really-really-mean-it
	expect 1 "" "^error opening pool gone: \(2\) No such file or directory$" rados -p gone stat a

	# xattrs (a 64 KiB value too: no small size limit)
	expect 0 "" "" rados "${P[@]}" setxattr obj a1 val1
	printf 'from stdin' >"$WORK/xv"
	STDIN=$WORK/xv expect 0 "" "" rados "${P[@]}" setxattr obj a2
	head -c 65536 /dev/urandom >"$WORK/x64k"
	STDIN=$WORK/x64k expect 0 "" "" rados "${P[@]}" setxattr obj big
	expect_out "val1" rados "${P[@]}" getxattr obj a1
	expect_out "from stdin" rados "${P[@]}" getxattr obj a2
	run rados "${P[@]}" getxattr obj big
	check "64 KiB xattr round trip" cmp -s "$WORK/x64k" "$WORK/out"
	expect_out $'a1\na2\nbig\n' rados "${P[@]}" listxattr obj
	expect 0 "" "" rados "${P[@]}" rmxattr obj a1
	expect_out $'a2\nbig\n' rados "${P[@]}" listxattr obj
	expect 1 "" "^error getting xattr rbd/obj/a1: \(61\) No data available$" rados "${P[@]}" getxattr obj a1
	expect 1 "" "^error getting xattr rbd/nosuch/a: \(2\) No such file or directory$" \
		rados "${P[@]}" getxattr nosuch a
	expect 1 "" "^error getting xattr set rbd/nosuch: \(2\) No such file or directory$" \
		rados "${P[@]}" listxattr nosuch

	# omap, with Ceph's hexdump
	expect 0 "" "" rados "${P[@]}" setomapval obj k1 v1
	head -c 70 /dev/zero | tr '\0' a >"$WORK/v70"
	STDIN=$WORK/v70 expect 0 "" "" rados "${P[@]}" setomapval obj k2
	printf '\x00\x01\xff\x7f abc' >"$WORK/v8"
	expect 0 "" "" rados "${P[@]}" setomapval obj k3 --input-file "$WORK/v8"
	expect 0 "" "" rados "${P[@]}" setomapval obj k4 ""
	V1=$'value (2 bytes) :\n00000000  76 31                                             |v1|\n00000002\n\n'
	V70=$'value (70 bytes) :\n00000000  61 61 61 61 61 61 61 61  61 61 61 61 61 61 61 61  |aaaaaaaaaaaaaaaa|\n*\n00000040  61 61 61 61 61 61                                 |aaaaaa|\n00000046\n\n'
	V8=$'value (8 bytes) :\n00000000  00 01 ff 7f 20 61 62 63                           |.... abc|\n00000008\n\n'
	V0=$'value (0 bytes) :\n\n'
	expect_out "$V1" rados "${P[@]}" getomapval obj k1
	expect_out "$V70" rados "${P[@]}" getomapval obj k2
	expect_out "$V8" rados "${P[@]}" getomapval obj k3
	expect_out "$V0" rados "${P[@]}" getomapval obj k4
	expect 0 "" "^Writing to $WORK/k3.out$" rados "${P[@]}" getomapval obj k3 "$WORK/k3.out"
	check "getomapval to a file" cmp -s "$WORK/v8" "$WORK/k3.out"
	expect_out $'k1\nk2\nk3\nk4\n' rados "${P[@]}" listomapkeys obj
	expect_out $'k1\n'"$V1"$'k2\n'"$V70"$'k3\n'"$V8"$'k4\n'"$V0" rados "${P[@]}" listomapvals obj
	expect 0 "" "" rados "${P[@]}" rmomapkey obj k1
	expect_out $'k2\nk3\nk4\n' rados "${P[@]}" listomapkeys obj
	expect 1 "^No such key: rbd/obj/k1$" "" rados "${P[@]}" getomapval obj k1
	expect 1 "" "^error getting omap value rbd/nosuch/k1: \(2\) No such file or directory$" \
		rados "${P[@]}" getomapval nosuch k1
	# cp: data, xattrs and omap; Ceph's refusals
	expect 0 "" "" rados "${P[@]}" setxattr obj cpx cpv
	expect 0 "" "" rados "${P[@]}" cp obj objcopy
	run rados "${P[@]}" get obj "$WORK/cp.a"
	run rados "${P[@]}" get objcopy "$WORK/cp.b"
	check "cp copies the data" cmp -s "$WORK/cp.a" "$WORK/cp.b"
	expect_out "cpv" rados "${P[@]}" getxattr objcopy cpx
	expect_out $'k2\nk3\nk4\n' rados "${P[@]}" listomapkeys objcopy
	expect_out "$V8" rados "${P[@]}" getomapval objcopy k3
	expect 0 "" "" rados "${P[@]}" rm objcopy
	expect 0 "" "" rados "${P[@]}" rmxattr obj cpx
	expect 1 "" "^cannot copy object into itself$" rados "${P[@]}" cp obj
	expect 1 "" "^error copying rbd/nosuch => rbd/x: \(2\) No such file or directory$" \
		rados "${P[@]}" cp nosuch x
	expect_out $'0 snaps\n' rados "${P[@]}" lssnap
	expect_out "" rados "${P[@]}" listwatchers obj
	expect 1 "" "^error listing watchers rbd/nosuch: \(2\) No such file or directory$" \
		rados "${P[@]}" listwatchers nosuch
	expect 1 "" "^error getting omap key set rbd/nosuch: \(2\) No such file or directory$" \
		rados "${P[@]}" listomapkeys nosuch
	expect 1 "" "^error getting omap keys rbd/nosuch: \(2\) No such file or directory$" \
		rados "${P[@]}" listomapvals nosuch
	# ls: plain, namespaces, locators, JSON
	expect 0 "" "" rados "${P[@]}" -N ns1 put nsobj "$WORK/f4"
	expect 0 "" "" rados "${P[@]}" put locobj "$WORK/f4" --object-locator lk
	expect 0 "" "" rados "${P[@]}" rm big big2 emptyobj newobj
	run rados "${P[@]}" ls
	check "ls: default namespace, locator after a tab" \
		test "$(sort "$WORK/out")" = "$(printf 'locobj\tlk\nobj')"
	expect_out $'nsobj\n' rados "${P[@]}" -N ns1 ls
	run rados "${P[@]}" ls --all
	check "ls --all: namespace, tab, name" \
		test "$(sort "$WORK/out")" = "$(printf '\tlocobj\tlk\n\tobj\nns1\tnsobj' | sort)"
	run rados "${P[@]}" ls --all --format json
	check "ls --all --format json (compact, no newline)" python3 -c '
import json, sys
t = open(sys.argv[1]).read()
assert not t.endswith("\n") and ": " not in t, t
v = sorted(json.loads(t), key=lambda o: o["name"])
assert v == [{"namespace": "", "name": "locobj", "locator": "lk"},
             {"namespace": "ns1", "name": "nsobj"},
             {"namespace": "", "name": "obj"}], v
assert list(v[0]) == ["namespace", "name", "locator"], v
' "$WORK/out"
	expect_out $'[\n    {\n        "namespace": "ns1",\n        "name": "nsobj"\n    }\n]\n' \
		rados "${P[@]}" -N ns1 ls --format json-pretty
	expect_out "[]" rados "${P[@]}" -N nons ls --format json
	expect_out $'[]\n' rados "${P[@]}" -N nons ls -f json-pretty
	expect 0 "^rbd/nsobj mtime .*, size 4$" "" rados "${P[@]}" -N ns1 stat nsobj
	expect 1 "" "error stat-ing rbd/obj" rados "${P[@]}" -N ns1 stat obj
	expect 0 "" "" rados "${P[@]}" -N ns1 rm nsobj

	# df
	run rados df
	check "df table header" grep -qE '^POOL_NAME +USED  OBJECTS  CLONES  COPIES  MISSING_ON_PRIMARY  UNFOUND  DEGRADED  RD_OPS +RD  WR_OPS +WR  USED COMPR  UNDER COMPR$' "$WORK/out"
	check "df rbd row" grep -qE '^rbd +[0-9.]+ [KMGTPE]?i?B +[0-9]+ +0 +[0-9]+ ' "$WORK/out"
	check "df totals" grep -qE '^total_objects +[0-9]+$' "$WORK/out"
	check "df total_space" grep -qE '^total_space +[0-9.]+ [KMGTPE]?i?B$' "$WORK/out"
	run rados df --format json
	check "df --format json" python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
assert list(v) == ["pools", "total_objects", "total_used", "total_avail", "total_space"], v
p = [p for p in v["pools"] if p["name"] == "rbd"][0]
assert list(p) == ["name", "id", "size_bytes", "size_kb", "num_objects", "num_object_clones",
    "num_object_copies", "num_objects_missing_on_primary", "num_objects_unfound",
    "num_objects_degraded", "read_ops", "read_bytes", "write_ops", "write_bytes",
    "compress_bytes_used", "compress_under_bytes"], p
assert p["num_objects"] >= 2, p
' "$WORK/out"
	expect 0 "^rbd " "" rados df -p rbd
	# df: the client I/O each PG's primary counted (reports every 2 s)
	io_of() {
		rados df --format json | python3 -c '
import json, sys
p = [p for p in json.load(sys.stdin)["pools"] if p["name"] == "rbd"][0]
print(p["read_ops"], p["read_bytes"], p["write_ops"], p["write_bytes"])'
	}
	read -r r0 rb0 w0 wb0 <<<"$(io_of)"
	head -c 100000 /dev/urandom >"$WORK/io.bin"
	rados "${P[@]}" put ioobj "$WORK/io.bin"
	for i in 1 2 3; do rados "${P[@]}" get ioobj "$WORK/io.back"; done
	for i in $(seq 60); do
		read -r r1 rb1 w1 wb1 <<<"$(io_of)"
		((r1 >= r0 + 3 && rb1 >= rb0 + 300000 && w1 >= w0 + 1 && wb1 >= wb0 + 100000)) && break
		sleep 0.2
	done
	if ((r1 >= r0 + 3 && rb1 >= rb0 + 300000 && w1 >= w0 + 1 && wb1 >= wb0 + 100000)); then
		ok
	else
		bad "df read/write counters: before $r0 $rb0 $w0 $wb0, after $r1 $rb1 $w1 $wb1"
	fi
	rados "${P[@]}" rm ioobj

	# rm several, stopping at the first missing one
	expect 1 "" "^error removing rbd>nosuch: " rados "${P[@]}" rm obj nosuch locobj
	expect 1 "" "error stat-ing rbd/obj" rados "${P[@]}" stat obj
	expect 1 "" "^error removing rbd>locobj: \(2\) No such file or directory$" rados "${P[@]}" rm locobj
	expect 0 "" "" rados "${P[@]}" rm locobj --object-locator lk

	# bench: write (kept), seq, rand, cleanup; the line formats of Ceph's
	LINE='^ {3,4}[0-9]{1,2} {5,7}[0-9]+ +[0-9]+ +[0-9]+ +[0-9.e+-]+ +[0-9.e+-]+ +([0-9.e+-]+|-) +[0-9.e+-]+$'
	HEAD='^  sec Cur ops   started  finished  avg MB/s  cur MB/s last lat\(s\)  avg lat\(s\)$'
	expect 0 "^hints = 1$" "" rados "${P[@]}" bench 3 write -t 4 -b 64K --no-cleanup
	check "bench write: Maintaining line" grep -qx 'Maintaining 4 concurrent writes of 65536 bytes to objects of size 65536 for up to 3 seconds or 0 objects' "$WORK/out"
	check "bench write: object prefix" grep -qE "^Object prefix: benchmark_data_$(hostname)_[0-9]+$" "$WORK/out"
	check "bench write: header" grep -qE "$HEAD" "$WORK/out"
	check "bench write: per-second lines 0..3" test "$(grep -cE "$LINE" "$WORK/out")" -ge 4
	for l in 'Total time run:         ' 'Total writes made:      ' 'Write size:             65536' \
		'Object size:            65536' 'Bandwidth \(MB/sec\):     ' 'Stddev Bandwidth:       ' \
		'Max bandwidth \(MB/sec\): ' 'Min bandwidth \(MB/sec\): ' 'Average IOPS:           ' \
		'Stddev IOPS:            ' 'Max IOPS:               ' 'Min IOPS:               ' \
		'Average Latency\(s\):     ' 'Stddev Latency\(s\):      ' 'Max latency\(s\):         ' \
		'Min latency\(s\):         '; do
		[[ $l == *' ' ]] && l="$l[0-9]"
		check "bench write summary: $l" grep -qE "^$l" "$WORK/out"
	done
	writes=$(sed -n 's/^Total writes made: *//p' "$WORK/out")
	check "bench write made writes" test "${writes:-0}" -gt 0
	run rados "${P[@]}" ls
	check "bench write left $writes objects and its metadata" \
		test "$(grep -c '^benchmark_data_' "$WORK/out")" = "$writes" -a "$(grep -c '^benchmark_last_metadata$' "$WORK/out")" = 1
	expect 0 ", size 24$" "" rados "${P[@]}" stat benchmark_last_metadata
	expect 0 "^Total reads made:     $writes$" "" rados "${P[@]}" bench 3 seq -t 4
	check "bench seq: header" grep -qE "$HEAD" "$WORK/out"
	for l in 'Total time run:       ' 'Read size:            65536' 'Object size:          65536' \
		'Bandwidth \(MB/sec\):   ' 'Average IOPS:         ' 'Stddev IOPS:          ' \
		'Max IOPS:             ' 'Min IOPS:             ' 'Average Latency\(s\):   ' \
		'Max latency\(s\):       ' 'Min latency\(s\):       '; do
		[[ $l == *' ' ]] && l="$l[0-9]"
		check "bench seq summary: $l" grep -qE "^$l" "$WORK/out"
	done
	# the monitors show the client I/O while a bench runs (rates from the
	# primaries' counters, reported every 2 s)
	rados "${P[@]}" bench 6 rand -t 4 >/dev/null 2>&1 &
	bpid=$!
	seen=""
	for i in $(seq 40); do
		st=$(ceph status 2>/dev/null)
		ps=$(ceph osd pool stats rbd 2>/dev/null)
		if [[ $st == *"io:"*"client:   "*"/s rd, "*" op/s rd, "* && $ps == *"client io "*"/s rd"* ]]; then
			seen=yes
			break
		fi
		sleep 0.25
	done
	wait "$bpid"
	if [[ $seen ]]; then ok; else bad "no client io in ceph -s / osd pool stats during a read bench: $st / $ps"; fi
	expect 0 "^Total reads made:     [0-9]+$" "" rados "${P[@]}" bench 3 rand -t 4
	check "bench rand: per-second lines" test "$(grep -cE "$LINE" "$WORK/out")" -ge 3
	# a short object-size run: 4 KiB ops into 16 KiB objects
	expect 0 "" "" rados "${P[@]}" bench 1 write -t 2 -b 4K -O 16K --no-cleanup --run-name small
	expect 0 "^Object size:          16384$" "" rados "${P[@]}" bench 1 seq -t 2 --run-name small
	expect 0 "^Removed [0-9]+ objects$" "" rados "${P[@]}" cleanup --run-name small
	nobj=$(sed -n 's/^Removed \([0-9]*\) objects$/\1/p' "$WORK/out")
	check "cleanup removed some objects" test "${nobj:-0}" -gt 0
	expect 0 "^Removed $writes objects$" "" rados "${P[@]}" cleanup
	run rados "${P[@]}" ls
	check "cleanup left nothing" test -z "$out"
	expect_out "" rados "${P[@]}" cleanup
	# purge: every object of every namespace, the pool stays
	expect 0 "" "" rados "${P[@]}" put pa "$WORK/f4"
	expect 0 "" "" rados "${P[@]}" -N pns put pb "$WORK/f4"
	expect 0 "" "" rados "${P[@]}" put pc "$WORK/f4" --object-locator plk
	expect 1 "" "^  To confirm, follow pool with --yes-i-really-really-mean-it$" rados purge rbd
	expect 0 "^successfully purged pool rbd$" "" rados purge rbd --yes-i-really-really-mean-it
	check "purge removed the 3 objects" grep -qx 'Removed 3 objects' "$WORK/out"
	expect_out "" rados "${P[@]}" ls --all
	expect 1 "" "^error pool nopool: \(2\) No such file or directory$" \
		rados purge nopool --yes-i-really-really-mean-it
	expect 1 "^hints = 1$" "^Must write data before running a read benchmark!$" rados "${P[@]}" bench 1 seq
	# write with cleanup
	expect 0 "^Clean up completed and total clean up time :[0-9.e-]+$" "" \
		rados "${P[@]}" bench 1 write -t 2 -b 4K
	check "bench write cleans up after itself" grep -qE '^Removed [0-9]+ objects$' "$WORK/out"
	run rados "${P[@]}" ls
	check "nothing left after bench write" test -z "$out"
	expect 1 "" "^Invalid value for seconds: 'abc'$" rados "${P[@]}" bench abc write
	expect 1 "" "unknown bench mode 'foo'" rados "${P[@]}" bench 3 foo
	expect 1 "" "-O .* >= -b" rados "${P[@]}" bench 1 write -b 8K -O 4K
fi

echo "rados CLI: $pass passed, $fail failed"
for s in "${skipped[@]}"; do
	echo "SKIPPED: $s"
done
[[ $fail == 0 ]]
