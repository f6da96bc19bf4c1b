#!/usr/bin/env bash
# Run the KUnit suites built into the guest kernel: boot with kunit.enable=1
# (and migratability=record: the pinner words the pin tests need),
# parse the console's KTAP with the tree's kunit.py, one result per test case.
#   [KERNEL=bzImage] [TAG=name] [PREFIX=results prefix] scripts/kunit.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_cmds python3
export TAG=${TAG:-kunit}
P=${PREFIX:-kunit}
"$TOP/scripts/initramfs.sh"
rc=0
QUIET=1 "$TOP/scripts/guest.sh" kunit "${DEADLINE:-600}" kunit.enable=1 migratability=record || rc=$?
# A boot that lost its PCI interrupts to a slow host (see lib.sh): once more.
if [ $rc -ne 0 ] && acpi_irq_lost "$BUILD/guest-$TAG.console"; then
	rc=0
	QUIET=1 "$TOP/scripts/guest.sh" kunit "${DEADLINE:-600}" kunit.enable=1 migratability=record || rc=$?
fi
console=$BUILD/guest-$TAG.console
json=$BUILD/$TAG.json
python3 "$TREE/tools/testing/kunit/kunit.py" parse --json="$json" "$console" || true
python3 - "$json" "$TOP/config/kunit-suites" "$RESULTS" "$P" <<'PY'
import json, sys
path, suites_path, results, pfx = sys.argv[1:5]
try:
    doc = json.load(open(path))
except Exception as e:
    doc = {'sub_groups': [], 'test_cases': []}
lines, seen = [], set()
def walk(group, prefix):
    for case in group.get('test_cases', []):
        st = case.get('status', 'FAIL')
        v = {'PASS': 'PASS', 'SKIP': 'SKIP'}.get(st, 'FAIL')
        lines.append(f"{v} {pfx}:{prefix}{case['name']}")
    for sub in group.get('sub_groups', []):
        seen.add(sub['name'])
        walk(sub, f"{sub['name']}.")
walk(doc, '')
want = [l.strip() for l in open(suites_path) if l.strip() and not l.startswith('#')]
for s in want:
    if s not in seen:
        lines.append(f"FAIL {pfx}:{s} # suite did not run (not built in?)")
open(results, 'a').write(''.join(l + '\n' for l in lines))
PY
[ $rc -eq 0 ] && record PASS "$P:boot" || record FAIL "$P:boot" "panic or hang, see $console"
exit $rc
