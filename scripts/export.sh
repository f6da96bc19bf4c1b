#!/usr/bin/env bash
# Rewrite patches/ from the tree's commits above the base. Deterministic.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ -d "$TREE/.git" ] || die "no tree at $TREE -- run 'make tree'"
if [ -n "$(git -C "$TREE" status --porcelain | head -n1)" ]; then
	git -C "$TREE" status --short | head -n 20 >&2
	die "$TREE has uncommitted edits; commit them first (export takes commits only)"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export_to "$tmp"
rm -f "$TOP"/patches/*.patch "$TOP/patches/series"
cp "$tmp"/* "$TOP/patches/"
git -C "$TREE" rev-parse HEAD > "$TREE/.git/series-applied"
note "exported $(wc -l < "$TOP/patches/series") patches to patches/"
git -C "$TOP" status --short -- patches | head -n 40
