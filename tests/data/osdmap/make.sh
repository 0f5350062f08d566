#!/usr/bin/env bash
# Regenerates the placement reference data with Debian's Ceph osdmaptool:
# an osdmap of 12 OSDs on 4 hosts (CRUSH map c12.bin), pool 1 'rbd' with
# 768 PGs and size 3; pgs.txt is every PG's OSDs, objects.txt the PG and
# OSDs of a few hundred object names.
set -euo pipefail
cd "$(dirname "$0")"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
crushtool --num_osds 12 -o c12.bin --build host straw2 3 root straw2 0 >/dev/null
osdmaptool --createsimple 12 --with-default-pool "$T/om" >/dev/null 2>&1
osdmaptool "$T/om" --import-crush c12.bin >/dev/null 2>&1
osdmaptool "$T/om" --mark-up-in --test-map-pgs-dump --pool 1 2>/dev/null | grep '^1\.' > pgs.txt
: > objects.txt
for i in $(seq 0 150); do
	for name in "obj$i" "rbd_data.5e3a2ae8944a.$(printf %016x "$i")" "$(printf 'k%0*d' $((i % 40)) 7)"; do
		osdmaptool "$T/om" --mark-up-in --test-map-object "$name" --pool 1 2>/dev/null | tail -1 >> objects.txt
	done
done
