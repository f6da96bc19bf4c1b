#!/usr/bin/env bash
# Boot the test kernel, run the guest's tests, record one result per subtest.
#   [KERNEL=bzImage] [TAG=name] [PREFIX=results prefix] scripts/guest-test.sh [KERNEL ARGS]
# make check's KASAN variant: TAG=kasan-test PREFIX=kasan-guest.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DEADLINE=${DEADLINE:-900}
export TAG=${TAG:-test}
P=${PREFIX:-guest}
"$TOP/scripts/initramfs.sh"
"$TOP/scripts/tools-image.sh"
rc=0
# Pinners are named only with the page_ext words a boot with
# migratability=record allocates; guest/run-tests.sh puts the level back to
# the default (1) before the tests.
set -- migratability=record "$@"
"$TOP/scripts/guest.sh" test "$DEADLINE" "$@" || rc=$?
# A boot that lost its PCI interrupts to a slow host (see lib.sh): once more.
if [ $rc -ne 0 ] && acpi_irq_lost "$BUILD/guest-$TAG.console"; then
	rc=0
	"$TOP/scripts/guest.sh" test "$DEADLINE" "$@" || rc=$?
fi
out=$BUILD/guest-$TAG.out
console=$BUILD/guest-$TAG.console
"$TOP/scripts/tap-results.py" "$out" "$P:" >> "$RESULTS"
if [ $rc -eq 0 ]; then
	record PASS "$P:boot"
else
	record FAIL "$P:boot" "panic or hang, see $console"
fi
rm -f "$BUILD/guest-$TAG.splat"
# The kernel log must be clean: no WARN, BUG, KASAN or lockdep report, oops.
splat=$(grep -nE 'WARNING:|BUG:|Oops|possible circular locking|possible recursive locking|inconsistent lock state|UBSAN|INFO: task .* blocked|Bad page state' "$console" | head -n 5 || true)
if [ -n "$splat" ]; then
	record FAIL "$P:kernel-log-clean" "$(echo "$splat" | head -n1 | cut -c1-120)"
	echo "kernel log has warnings:"; echo "$splat"
	# The first one's report in full: a CI log keeps only its end.
	first=$(echo "$splat" | head -n1 | cut -d: -f1)
	sed -n "$((first > 5 ? first - 5 : 1)),$((first + 45))p" "$console" | cut -c1-200 |
		sed "s|^|$P: kernel log: |" | tee "$BUILD/guest-$TAG.splat"
else
	record PASS "$P:kernel-log-clean"
fi
# The XFS disks the tests wrote (iomap_split splits their dirty folios) must
# be consistent once the guest has unmounted them.
for fs in xfs xfs16k xfsslow; do
	disk=$BUILD/guest-$TAG-$fs.img
	name=$P:xfs_repair${fs#xfs}
	[ $rc -eq 0 ] && [ -f "$disk" ] || continue
	if repair=$(xfs_repair -n "$disk" 2>&1); then
		record PASS "$name"
	else
		record FAIL "$name" "$(echo "$repair" | grep -v '^ ' | head -n1 | cut -c1-120)"
		echo "$repair" | tail -n 20
	fi
done
exit $rc
