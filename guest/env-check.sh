#!/bin/sh
# Check that the guest has what the tests rely on (kselftest TAP, one line each).
n=0 fail=0
check() {	# check DESCRIPTION COMMAND...
	desc=$1; shift
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $n $desc"
	else echo "not ok $n $desc"; fail=1; fi
}
movable_blocks() {
	for b in /sys/devices/system/memory/memory*; do
		[ "$(cat $b/state)" = online ] && [ "$(cat $b/valid_zones)" = Movable ] && echo $b
	done | grep -q .
}
echo "TAP version 13"
echo "1..11"
check "ZONE_MOVABLE memory blocks online (ACPI pc-dimm)" movable_blocks
check "CMA area with debugfs alloc" sh -c 'ls /sys/kernel/debug/cma/*/alloc'
check "XFS on virtio-blk mounted" grep -q ' /mnt/xfs xfs ' /proc/mounts
check "XFS with 16 KiB blocks mounted" grep -q ' /mnt/xfs16k xfs ' /proc/mounts
check "XFS on a throttled disk mounted" grep -q ' /mnt/xfsslow xfs ' /proc/mounts
check "/dev/fuse and fusectl" sh -c '[ -c /dev/fuse ] && grep -q fusectl /proc/mounts'
check "gup_test debugfs" test -e /sys/kernel/debug/gup_test
check "/proc/kpageflags" test -r /proc/kpageflags
check "migrate tracepoints" test -d /sys/kernel/tracing/events/migrate
check "io_uring" test -e /proc/sys/kernel/io_uring_disabled
check "lockdep" test -e /proc/lockdep
grep -E 'MemTotal|MemFree|CmaTotal' /proc/meminfo | sed 's/^/# /'
exit $fail
