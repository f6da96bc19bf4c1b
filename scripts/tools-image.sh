#!/usr/bin/env bash
# Build build/tools.img: an XFS image with Debian's exercisers (fio, stress-ng)
# and FUSE filesystems (bindfs on libfuse2, fuse-overlayfs on libfuse3) and
# every shared library they load. The guest mounts it read-only at
# /opt/tools (guest/init); guest/torture.sh runs them from there. It is a
# disk, not part of the initramfs, so that the ~110 MiB of binaries take no
# memory from the tests. Rebuilt only when a binary changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_cmds mkfs.xfs ldd truncate
img=$BUILD/tools.img
bins=()
for b in fio stress-ng bindfs fuse-overlayfs; do
	p=$(command -v "$b") || die "$b missing -- run 'make deps'"
	bins+=("$(readlink -f "$p")")
done
# The libraries, by the name the binaries ask for (ld.so resolves that).
declare -A libs=()
for b in "${bins[@]}"; do
	while read -r name _ path _; do
		[ -n "$path" ] && [ -f "$path" ] && libs[$name]=$(readlink -f "$path")
	done < <(ldd "$b" | grep '=> /')
done
interp=$(ldd "${bins[0]}" | awk '/ld-linux/ {print $1}')
[ -f "$interp" ] || die "no dynamic loader found for ${bins[0]}"
libs[$(basename "$interp")]=$(readlink -f "$interp")

if [ -f "$img" ] && [ -z "$(find "${bins[@]}" "${libs[@]}" -newer "$img" 2>/dev/null)" ]; then
	exit 0
fi
proto=$(mktemp)
trap 'rm -f "$proto"' EXIT
{
	echo /dev/null
	echo 0 0
	echo 'd--755 0 0'
	echo 'bin d--755 0 0'
	for b in "${bins[@]}"; do
		echo "$(basename "$b") ---755 0 0 $b"
	done
	echo '$'
	echo 'lib d--755 0 0'
	for n in "${!libs[@]}"; do
		echo "$n ---755 0 0 ${libs[$n]}"
	done
	echo '$'
	echo '$'
} > "$proto"
rm -f "$img.tmp"
truncate -s 512M "$img.tmp"
mkfs.xfs -q -f -p "$proto" "$img.tmp"
mv "$img.tmp" "$img"
note "tools image: ${#bins[@]} programs, ${#libs[@]} libraries -> $img"
