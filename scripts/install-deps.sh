#!/usr/bin/env bash
# Installs the Debian packages Loligo needs to build, test and run.
# Skips what is already installed; needs root (or sudo) only when something
# is missing.  Usage: scripts/install-deps.sh [--with-reference]
#   --with-reference  also install Debian's Ceph client side and the
#                     programs built on its libraries that the tests drive
#                     (golden and differential tests, python3-rados, fio)
#   --with-bench      and Ceph's daemons, for the side-by-side benchmarks
set -euo pipefail

pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libjansson-dev libcmocka-dev libuv1-dev libisal-dev libraft-dev
      librocksdb-dev libssl-dev python3 python3-pytest)
if [[ "${1:-}" == "--with-reference" || "${1:-}" == "--with-bench" ]]; then
	pkgs+=(ceph-base ceph-common python3-rados fio binutils procps time)
fi
if [[ "${1:-}" == "--with-bench" ]]; then
	pkgs+=(ceph-mon ceph-osd ceph-mgr bc)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
		|| missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
