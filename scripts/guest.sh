#!/usr/bin/env bash
# Boot the guest kernel in QEMU (TCG) and wait for it, with a wall-clock deadline.
#   scripts/guest.sh MODE [DEADLINE_S] [EXTRA KERNEL ARGS...]
# MODE is passed as guest.mode= (test, kunit, demo, bench, panic, hang).
# Writes build/guest-MODE.{console,out}; streams the .out (results channel)
# unless QUIET=1. Exit status: 0 finished, 1 panic / hang / no finish marker.
# NUMA=2: two NUMA nodes, two CPUs and 512 MiB of boot memory each, the
# pc-dimm on node 1 (default: one node, two CPUs).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
mode=${1:?mode}; deadline=${2:-600}; shift $(( $# >= 2 ? 2 : 1 ))
KERNEL=${KERNEL:-$KOBJ/arch/x86/boot/bzImage}
INITRD=${INITRD:-$BUILD/initramfs.cpio.gz}
TAG=${TAG:-$mode}
need_cmds qemu-system-x86_64 mkfs.xfs truncate
[ -f "$KERNEL" ] || die "no kernel at $KERNEL -- run 'make kernel'"
[ -f "$INITRD" ] || die "no initramfs at $INITRD"
# The kernel's test modules (scripts/kernel.sh) go into this boot's initramfs
mods=$(dirname "$KERNEL")/../../../test-modules.cpio.gz
if [ -f "$mods" ]; then
	initrd=$BUILD/initramfs-$TAG.cpio.gz
	cat "$INITRD" "$mods" > "$initrd"
	INITRD=$initrd
fi

console=$BUILD/guest-$TAG.console
out=$BUILD/guest-$TAG.out
disk=$BUILD/guest-$TAG-xfs.img
disk16k=$BUILD/guest-$TAG-xfs16k.img
diskslow=$BUILD/guest-$TAG-xfsslow.img
rm -f "$console" "$out" "$disk" "$disk16k" "$diskslow"
: > "$console"; : > "$out"
# A fresh XFS filesystem for each boot, made on the host.
truncate -s 512M "$disk"
mkfs.xfs -q -f "$disk"
# And one with 16 KiB blocks (large block size: minimum folio order 2).
truncate -s 320M "$disk16k"
mkfs.xfs -q -f -b size=16384 "$disk16k"
# And one that QEMU lets write 1 MiB/s: writeback that stays in flight.
truncate -s 320M "$diskslow"
mkfs.xfs -q -f "$diskslow"

# 1 GiB of boot memory, 512 MiB more in an ACPI pc-dimm that the guest onlines
# to ZONE_MOVABLE (CONFIG_MHP_DEFAULT_ONLINE_TYPE_ONLINE_MOVABLE), a 64 MiB CMA area.
# pci=noacpi: PCI interrupts routed from the BIOS's PIRQ table, not ACPI's
# _PRT. Under TCG the KASAN kernel's AML interpreter evaluating _PRT ran past
# ACPICA's 30 s loop timeout (AE_AML_LOOP_TIMEOUT) and left a virtio disk
# without an interrupt: 3 of 4 KASAN boots on 2026-12-06, 0 of 1 since.
# The DIMM stays an ACPI memory device.
cmdline="console=ttyS0 panic=-1 oops=panic cma=64M pci=noacpi guest.mode=$mode $*"
# Debian's exercisers and FUSE filesystems (scripts/tools-image.sh), read-only.
tools=()
[ -f "$BUILD/tools.img" ] &&
	tools=(-drive file="$BUILD/tools.img",if=virtio,format=raw,readonly=on)
numa=()
dimm_node=
smp=2
case ${NUMA:-1} in
1) ;;
# A socket per node: CPUs of one socket share a cache, which the scheduler
# wants on one node (a WARNING in topology_sane() otherwise). Two CPUs per
# node: the migration selftest wants three threads besides its own.
2)	smp=4,sockets=2,cores=2,threads=1
	numa=(-object memory-backend-ram,id=node0mem,size=512M
	      -object memory-backend-ram,id=node1mem,size=512M
	      -numa node,nodeid=0,cpus=0-1,memdev=node0mem
	      -numa node,nodeid=1,cpus=2-3,memdev=node1mem)
	dimm_node=,node=1;;
*)	die "NUMA=${NUMA}: 1 or 2";;
esac
qemu-system-x86_64 -machine pc -accel tcg,thread=multi -cpu max -smp $smp \
	-m 1G,slots=2,maxmem=2G "${numa[@]}" \
	-object memory-backend-ram,id=dimm0mem,size=512M \
	-device pc-dimm,id=dimm0,memdev=dimm0mem$dimm_node \
	-kernel "$KERNEL" -initrd "$INITRD" -append "$cmdline" \
	-drive file="$disk",if=virtio,format=raw,cache=unsafe \
	-drive file="$disk16k",if=virtio,format=raw,cache=unsafe \
	-drive file="$diskslow",if=virtio,format=raw,cache=unsafe,throttling.bps-write=1048576 \
	"${tools[@]}" \
	-display none -monitor none -no-reboot \
	-serial file:"$console" -serial file:"$out" </dev/null &
qemu=$!
if [ "${QUIET:-0}" != 1 ]; then
	tail -n +1 -F --pid=$qemu "$out" 2>/dev/null &
fi
start=$SECONDS
while kill -0 $qemu 2>/dev/null; do
	if [ $((SECONDS - start)) -ge "$deadline" ]; then
		kill $qemu 2>/dev/null; sleep 1; kill -9 $qemu 2>/dev/null || true
		break
	fi
	# A virtio disk without an interrupt (the ACPI _PRT evaluation timed
	# out on a slow host) hangs the boot in its probe: stop now, and let
	# the caller boot again (acpi_irq_lost in lib.sh) instead of waiting
	# for the deadline.
	if [ $(((SECONDS - start) % 10)) = 0 ] && grep -q 'PCI INT A: no GSI' "$console"; then
		echo "guest.sh: a PCI device got no interrupt (ACPI _PRT timed out): stopping the boot" >&2
		kill $qemu 2>/dev/null; sleep 1; kill -9 $qemu 2>/dev/null || true
		break
	fi
	sleep 1
done
wait $qemu 2>/dev/null || true
sleep 0.3	# let tail drain
elapsed=$((SECONDS - start))

last_lines() {
	echo "---- last console lines ($console) ----"
	tail -n "${1:-40}" "$console" | sed 's/^/    /'
	echo "----"
}
if grep -q 'Kernel panic - not syncing' "$console"; then
	printf '\nguest %s: KERNEL PANIC after %ss\n' "$TAG" "$elapsed"
	last_lines 50
	exit 1
fi
if ! grep -q '^GUEST-DONE' "$out"; then
	if [ "$elapsed" -ge "$deadline" ]; then
		printf '\nguest %s: HANG: no result within the %ss deadline, QEMU killed\n' "$TAG" "$deadline"
	else
		printf '\nguest %s: the guest stopped after %ss without finishing\n' "$TAG" "$elapsed"
	fi
	last_lines 40
	exit 1
fi
printf '== guest %s finished in %ss\n' "$TAG" "$elapsed"
