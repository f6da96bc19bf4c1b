#!/usr/bin/env bash
# Boot the test kernel, run the guest's tests, record one result per subtest.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
DEADLINE=${DEADLINE:-900}
"$TOP/scripts/initramfs.sh"
rc=0
"$TOP/scripts/guest.sh" test "$DEADLINE" "$@" || rc=$?
out=$BUILD/guest-test.out
console=$BUILD/guest-test.console
"$TOP/scripts/tap-results.py" "$out" "guest:" >> "$RESULTS"
[ $rc -eq 0 ] && record PASS "guest:boot" || record FAIL "guest:boot" "panic or hang, see $console"
# The kernel log must be clean: no WARN, BUG, lockdep report or oops.
splat=$(grep -nE 'WARNING:|BUG:|Oops|possible circular locking|possible recursive locking|inconsistent lock state|UBSAN|INFO: task .* blocked' "$console" | head -n 5 || true)
if [ -n "$splat" ]; then
	record FAIL "guest:kernel-log-clean" "$(echo "$splat" | head -n1 | cut -c1-120)"
	echo "kernel log has warnings:"; echo "$splat"
else
	record PASS "guest:kernel-log-clean"
fi
# The XFS disks the tests wrote (iomap_split splits their dirty folios) must
# be consistent once the guest has unmounted them.
for fs in xfs xfs16k xfsslow; do
	disk=$BUILD/guest-test-$fs.img
	name=guest:xfs_repair${fs#xfs}
	[ $rc -eq 0 ] && [ -f "$disk" ] || continue
	if repair=$(xfs_repair -n "$disk" 2>&1); then
		record PASS "$name"
	else
		record FAIL "$name" "$(echo "$repair" | grep -v '^ ' | head -n1 | cut -c1-120)"
		echo "$repair" | tail -n 20
	fi
done
exit $rc
