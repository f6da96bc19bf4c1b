#!/usr/bin/env bash
# Build every patch of the series on its own: each commit of the tree, with
# the feature on (guest + debug config) and, for the last commit, off.
# Objects are kept in build/kobj-each-{on,off} so that rebuilds are incremental.
#   ONLY=on|off  restrict to one of the two;  FROM=N  start at patch N
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$TREE/.git" ] || die "no tree -- run 'make tree'"
src=$BUILD/linux-each
base=$(tree_base)
if [ ! -d "$src" ]; then
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$src" "$base"
fi
mapfile -t commits < <(git -C "$TREE" rev-list --reverse "$base..HEAD")
n=0 fail=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	[ "$n" -ge "${FROM:-1}" ] || continue
	git -C "$src" checkout -q --detach "$c"
	subject=$(git -C "$src" log -1 --format=%s)
	modes="on"
	[ "$n" -eq ${#commits[@]} ] && modes="on off"
	# A patch that changes only selftests, documentation or MAINTAINERS
	# builds the same kernel as the one before it: nothing to build.
	if [ "$n" -gt 1 ] && [ "$n" -lt ${#commits[@]} ] &&
	   git -C "$TREE" diff --quiet "$c~1" "$c" -- . ':!tools' ':!Documentation' ':!MAINTAINERS'; then
		record PASS "build-each:$n-on" "$subject (kernel sources as in patch $((n - 1)))"
		printf 'same %2d on  %s (no kernel source change)\n' "$n" "$subject"
		continue
	fi
	for mode in $modes; do
		[ -z "${ONLY:-}" ] || [ "$ONLY" = "$mode" ] || continue
		frags="guest.config debug.config"
		[ "$mode" = off ] && frags="guest.config debug.config off.config"
		if SRC=$src KOBJ=$BUILD/kobj-each-$mode FRAGMENTS="$frags" ALLOW_UNKNOWN=1 \
			"$TOP/scripts/kernel.sh" >"$BUILD/logs/build-each-$n-$mode.log" 2>&1; then
			record PASS "build-each:$n-$mode" "$subject"
			printf 'ok   %2d %-3s %s\n' "$n" "$mode" "$subject"
		else
			record FAIL "build-each:$n-$mode" "$subject"
			printf 'FAIL %2d %-3s %s (build/logs/build-each-%d-%s.log)\n' "$n" "$mode" "$subject" "$n" "$mode"
			fail=1
		fi
	done
done
exit $fail
