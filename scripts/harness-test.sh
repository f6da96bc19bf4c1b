#!/usr/bin/env bash
# Prove the host harness turns a guest panic and a guest hang into failures
# with a clear message and the last console lines.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -f "$BUILD/initramfs.cpio.gz" ] || "$TOP/scripts/initramfs.sh"
check() {	# check MODE DEADLINE EXPECTED_MESSAGE
	local mode=$1 deadline=$2 want=$3 out rc=0
	out=$(QUIET=1 TAG=harness-$mode "$TOP/scripts/guest.sh" "$mode" "$deadline" 2>&1) || rc=$?
	if [ $rc -ne 0 ] && grep -q "$want" <<<"$out" && grep -q 'last console lines' <<<"$out"; then
		record PASS "harness:$mode-reported"
	else
		record FAIL "harness:$mode-reported" "rc=$rc, expected '$want'"
		echo "$out" | tail -n 20
	fi
}
check panic "${PANIC_DEADLINE:-120}" 'KERNEL PANIC'
check hang "${HANG_DEADLINE:-20}" 'HANG: no result'
