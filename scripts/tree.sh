#!/usr/bin/env bash
# Generate the work tree: the base unpacked into build/linux as one git commit,
# then one commit per patch in patches/series (git am). Keeps an up-to-date tree,
# refuses to throw away commits or edits that are not exported to patches/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_cmds git tar xz python3

have=$(installed_base_version)
[ -n "$have" ] && [ -f "$BASE_TARBALL" ] || die "$BASE_TARBALL is missing -- run 'make deps'"
if [ "$have" != "$BASE_VERSION" ]; then
	cat >&2 <<MSG
************************************************************************
WARNING: installed $BASE_PACKAGE is $have, the series was last rebased on
         $BASE_VERSION (see BASE). Applying with a 3-way merge.
************************************************************************
MSG
fi
base_subject="Linux base: Debian $BASE_PACKAGE $have"
stamp=$TREE/.git/series-applied

apply_series() {
	local p
	while read -r p; do
		[ -n "$p" ] || continue
		[ -f "$TOP/patches/$p" ] || die "patches/series names $p, which does not exist"
		if ! git -C "$TREE" am -q -3 --committer-date-is-author-date "$TOP/patches/$p" >/dev/null 2>"$BUILD/am.err"; then
			git -C "$TREE" am --abort >/dev/null 2>&1 || true
			cat "$BUILD/am.err" >&2
			die "patch $p does not apply on $BASE_PACKAGE $have; rebase it in $TREE and 'make export'"
		fi
	done < "$TOP/patches/series"
	git -C "$TREE" rev-parse HEAD > "$stamp"
}

mkdir -p "$BUILD"
if [ -d "$TREE/.git" ]; then
	cur_subject=$(git -C "$TREE" log -1 --format=%s "$(tree_base)")
	state=$(tree_state)
	if [ "$state" = clean ] && [ "$cur_subject" = "$base_subject" ]; then
		note "tree up to date: $TREE ($(wc -l < "$TOP/patches/series") patches on $have)"
		exit 0
	fi
	if [ "${FORCE:-0}" != 1 ]; then
		if [ "$state" = dirty ]; then
			git -C "$TREE" status --short | head -n 20 >&2
			die "$TREE has uncommitted edits. Commit them (git commit, or --fixup + rebase --autosquash) and 'make export', or rerun with FORCE=1 to discard them."
		fi
		if [ "$state" = unexported ] && [ "$(git -C "$TREE" rev-parse HEAD)" != "$(cat "$stamp" 2>/dev/null)" ]; then
			git -C "$TREE" log --oneline "$(cat "$stamp" 2>/dev/null || tree_base)..HEAD" 2>/dev/null | head -n 20 >&2 || true
			die "$TREE has commits that are not in patches/. Run 'make export' (and commit patches/), or rerun with FORCE=1 to discard them."
		fi
	fi
	if [ "$cur_subject" = "$base_subject" ]; then
		note "patches/ changed: re-applying the series on the existing base"
		git -C "$TREE" am --abort >/dev/null 2>&1 || true
		git -C "$TREE" reset -q --hard "$(tree_base)"
		git -C "$TREE" clean -q -fdx
		apply_series
		note "tree ready: $(wc -l < "$TOP/patches/series") patches"
		exit 0
	fi
	note "base changed ($cur_subject -> $base_subject): regenerating the tree"
	rm -rf "$TREE"
fi

note "unpacking $BASE_TARBALL into $TREE (about a minute)"
rm -rf "$TREE.tmp" && mkdir -p "$TREE.tmp"
tar -C "$TREE.tmp" --strip-components=1 -xJf "$BASE_TARBALL"
(
	cd "$TREE.tmp"
	# Debian's packaging appends "ignore everything at the top level" to
	# .gitignore, which would hide every new file of the series: drop it.
	sed -i '/^# Debian packaging/,$d' .gitignore
	git init -q -b base
	git config core.autocrlf false
	git config gc.auto 0
	git add -A -f .
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git commit -q -m "$base_subject" -m "Unpacked from $BASE_TARBALL."
	git checkout -q -b series
)
mv "$TREE.tmp" "$TREE"
apply_series
note "tree ready: $TREE ($(wc -l < "$TOP/patches/series") patches on $have)"
