#!/usr/bin/env bash
# checkpatch.pl --strict on every patch of the series; one result per patch.
# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") is checked precisely
# instead: every file a patch adds must be covered by a MAINTAINERS entry of
# the tree with the whole series applied (if that tree still has it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_cmds perl
[ -x "$TREE/scripts/checkpatch.pl" ] || die "no tree -- run 'make tree'"
fail=0
while read -r p; do
	[ -n "$p" ] || continue
	log=$BUILD/logs/checkpatch-${p%.patch}.log
	mkdir -p "$BUILD/logs"
	perl "$TREE/scripts/checkpatch.pl" --strict --root="$TREE" --color=never \
		--ignore FILE_PATH_CHANGES "$TOP/patches/$p" > "$log" 2>&1 || true
	summary=$(grep -E '^total: ' "$log" || echo "no checkpatch summary")
	uncovered=
	for f in $(sed -n 's|^+++ b/||p' "$TOP/patches/$p" | sort -u); do
		grep -q "^--- /dev/null" <(grep -B1 "^+++ b/$f\$" "$TOP/patches/$p") || continue
		# Added, then removed by a later patch (the whole series has it not)
		[ -e "$TREE/$f" ] || continue
		(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-rolestats --m --no-r --no-l --no-s -f "$f" 2>/dev/null) | grep -q . ||
			uncovered+=" $f"
	done
	if [[ $summary == "total: 0 errors, 0 warnings, 0 checks,"* ]] && [ -z "$uncovered" ]; then
		record PASS "checkpatch:$p"
	else
		fail=1
		record FAIL "checkpatch:$p" "${summary}${uncovered:+; no MAINTAINERS entry for:$uncovered}"
		grep -E '^(ERROR|WARNING|CHECK):' "$log" | head -n 10 | sed 's/^/    /' || true
	fi
done < "$TOP/patches/series"
exit $fail
