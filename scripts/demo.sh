#!/usr/bin/env bash
# make demo: build what is missing, boot the series kernel, run the narrated scenario.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/deps.sh"
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh"
"$TOP/scripts/kernel.sh" | grep -v '^\s*\[kernel\]' || exit 1
"$TOP/scripts/selftests.sh" >/dev/null
"$TOP/scripts/initramfs.sh"
cat <<'MSG'

==============================================================================
 Demo: un-migratable memory. The guest boots (about a minute under TCG), then
 narrates. The kernel console goes to build/guest-demo.console.
==============================================================================
MSG
"$TOP/scripts/guest.sh" demo "${DEADLINE:-600}" | grep -v '^GUEST-DONE'
