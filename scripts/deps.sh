#!/usr/bin/env bash
# Install with apt-get exactly what the other steps need, only what is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils rsync git
      python3 perl ccache qemu-system-x86 busybox-static xfsprogs sparse
      fio stress-ng bindfs fuse-overlayfs libnuma-dev)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

base_have=$(installed_base_version)
base_want=
if [ "$base_have" != "$BASE_VERSION" ]; then
	base_want="$BASE_PACKAGE=$BASE_VERSION"
fi

[ ${#missing[@]} -eq 0 ] && [ -z "$base_want" ] && exit 0

[ "$(id -u)" = 0 ] || die "need root to install: ${missing[*]} $base_want"
export DEBIAN_FRONTEND=noninteractive
note "installing: ${missing[*]} $base_want"
apt-get update -qq >/dev/null
if [ -n "$base_want" ] && ! apt-cache madison "$BASE_PACKAGE" | grep -qF "| $BASE_VERSION |"; then
	avail=$(apt-cache policy "$BASE_PACKAGE" | awk '/Candidate:/ {print $2}')
	[ -n "$avail" ] && [ "$avail" != "(none)" ] || die "$BASE_PACKAGE is not in the archive"
	cat >&2 <<MSG
************************************************************************
WARNING: the archive no longer has $BASE_PACKAGE $BASE_VERSION (the base in BASE).
         Installing $avail instead; 'make tree' applies the series with a 3-way
         merge and names any patch that no longer applies. Rebase the series and
         update BASE when it does.
************************************************************************
MSG
	base_want="$BASE_PACKAGE"
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends "${missing[@]}" $base_want >/dev/null
note "dependencies installed"
