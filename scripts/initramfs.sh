#!/usr/bin/env bash
# Build the guest initramfs: busybox, /guest scripts, /tests binaries.
#   scripts/initramfs.sh OUT.cpio.gz
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out=${1:-$BUILD/initramfs.cpio.gz}
need_cmds cpio gzip gcc
bb=/bin/busybox
[ -x "$bb" ] && "$bb" --list >/dev/null 2>&1 || die "static busybox missing -- run 'make deps'"
file -L "$bb" 2>/dev/null | grep -q dynamic && die "$bb is not static (install busybox-static)"

stage=$BUILD/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,mnt,guest,tests}
cp "$bb" "$stage/bin/busybox"
for a in $("$bb" --list); do
	[ "$a" = busybox ] || ln -sf busybox "$stage/bin/$a"
done
install -m755 "$TOP/guest/init" "$stage/init"
cp -a "$TOP"/guest/*.sh "$TOP"/guest/*.txt "$TOP/guest/tests.list" "$stage/guest/"
for c in "$TOP"/guest/tools/*.c; do
	gcc -static -O2 -Wall -o "$stage/bin/$(basename "$c" .c)" "$c"
done
if [ -d "$BUILD/selftests" ]; then
	cp -a "$BUILD"/selftests/. "$stage/tests/"
fi

# /dev/console must exist before devtmpfs is mounted; make the node with the
# kernel's gen_init_cpio so that no root privileges are needed.
gen=$BUILD/gen_init_cpio
[ -x "$gen" ] && [ "$gen" -nt "$TREE/usr/gen_init_cpio.c" ] ||
	gcc -O2 -o "$gen" "$TREE/usr/gen_init_cpio.c"
printf 'dir /dev 0755 0 0\nnod /dev/console 0600 0 0 c 5 1\n' > "$BUILD/initramfs.list"
{
	"$gen" "$BUILD/initramfs.list"
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet)
} | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
