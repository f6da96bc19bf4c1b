#!/usr/bin/env bash
# One screen: base, patches, and whether the tree holds work not yet exported.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
have=$(installed_base_version)
echo "base:        $BASE_PACKAGE $BASE_VERSION (pinned in BASE); installed: ${have:-none}"
[ -n "$have" ] && [ "$have" != "$BASE_VERSION" ] && echo "             WARNING: installed base differs from the pinned one"
echo "patches:     $(grep -c . "$TOP/patches/series" 2>/dev/null || true) in patches/series"
case $(tree_state) in
missing)    echo "tree:        none (make tree)";;
clean)      echo "tree:        $TREE matches patches/";;
dirty)      echo "tree:        UNCOMMITTED EDITS in $TREE (commit, then make export):"
            git -C "$TREE" status --short | head -n 10 | sed 's/^/             /';;
unexported) echo "tree:        COMMITS NOT EXPORTED in $TREE (make export, then commit patches/):"
            git -C "$TREE" log --oneline -n 10 "$(tree_base)..HEAD" | sed 's/^/             /';;
esac
if [ -n "$(git -C "$TOP" status --porcelain -- patches | head -n1)" ]; then
	echo "repository:  patches/ has changes not committed here"
fi
if [ -f "$KOBJ/arch/x86/boot/bzImage" ]; then
	echo "kernel:      $KOBJ/arch/x86/boot/bzImage ($(date -r "$KOBJ/arch/x86/boot/bzImage" '+%F %T'))"
else
	echo "kernel:      not built (make kernel)"
fi
