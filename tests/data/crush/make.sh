#!/usr/bin/env bash
# Regenerates the small reference maps the CRUSH unit tests use, with
# Debian's Ceph crushtool (the reference).  Each <name>.bin is Ceph's
# binary map; <name>.map.txt lists "rule numrep weights..." then the
# mappings Ceph's `crushtool --test --show-mappings` printed for x=0..499.
set -euo pipefail
cd "$(dirname "$0")"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
WEIGHTS="--weight 3 0.3 --weight 7 0 --weight 11 0.6 --weight 20 0"

make_rules() {
	cat <<'R'
rule fl {
	id 1
	type replicated
	min_size 1
	max_size 10
	step take root
	step choose firstn 0 type osd
	step emit
}
rule ec {
	id 2
	type erasure
	min_size 1
	max_size 20
	step set_chooseleaf_tries 5
	step set_choose_tries 100
	step take root
	step choose indep 2 type rack
	step chooseleaf indep 2 type host
	step emit
}
R
}

for alg in uniform list tree straw straw2; do
	for tun in default legacy; do
		name=${alg}_${tun}
		crushtool --num_osds 32 -o "$T/b" --build host "$alg" 4 rack "$alg" 4 root "$alg" 0 >/dev/null 2>&1
		crushtool -d "$T/b" -o "$T/t"
		if [[ $tun == legacy ]]; then
			sed -i -e 's/choose_local_tries 0/choose_local_tries 2/' \
				-e 's/choose_local_fallback_tries 0/choose_local_fallback_tries 5/' \
				-e 's/choose_total_tries 50/choose_total_tries 19/' \
				-e 's/descend_once 1/descend_once 0/' -e 's/vary_r 1/vary_r 0/' \
				-e 's/stable 1/stable 0/' -e 's/straw_calc_version 1/straw_calc_version 0/' "$T/t"
		fi
		if [[ $alg != uniform ]]; then
			sed -i -e 's/item osd.5 weight 1.000/item osd.5 weight 2.500/' \
				-e 's/item osd.9 weight 1.000/item osd.9 weight 0.000/' "$T/t"
		fi
		grep -v '# end crush map' "$T/t" > "$T/t2"
		make_rules >> "$T/t2"
		crushtool -c "$T/t2" -o "$name.bin"
		: > "$name.map.txt"
		for spec in "0 3" "1 4" "2 4" "0 6"; do
			set -- $spec
			echo "# rule $1 numrep $2 weights 3=0.3 7=0 11=0.6 20=0" >> "$name.map.txt"
			crushtool -i "$name.bin" --test --rule "$1" --num-rep "$2" --min-x 0 \
				--max-x 499 --show-mappings $WEIGHTS 2>/dev/null |
				grep '^CRUSH' >> "$name.map.txt"
		done
	done
done
