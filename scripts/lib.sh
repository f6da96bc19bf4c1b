# Shared helpers for the scripts in this directory; sourced, not run.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}
KOBJ=${KOBJ:-$BUILD/kobj}
RESULTS=${RESULTS:-$BUILD/results.txt}
JOBS=${JOBS:-$(nproc)}

# shellcheck disable=SC1091
. "$TOP/BASE"
BASE_PACKAGE=$package
BASE_VERSION=$version
BASE_TARBALL=/usr/src/$BASE_PACKAGE.tar.xz

# Fixed identity and dates for commits made by the tooling, so the generated tree
# (and with it `make export`) is the same on every machine.
export GIT_AUTHOR_NAME="Linux kernel (Debian $BASE_PACKAGE)"
export GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"

die() { printf 'error: %s\n' "$*" >&2; exit 1; }
note() { printf '== %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# record PASS|FAIL|SKIP|XFAIL NAME [detail]: one line per result for `make check`
record() {
	mkdir -p "$(dirname "$RESULTS")"
	printf '%s %s%s\n' "$1" "$2" "${3:+ # $3}" >> "$RESULTS"
}

installed_base_version() {
	dpkg-query -W -f='${Version}' "$BASE_PACKAGE" 2>/dev/null || true
}

need_cmds() {
	local c missing=()
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
	[ ${#missing[@]} -eq 0 ] || die "missing command(s): ${missing[*]} -- run 'make deps'"
}

# The tree's base commit: the first commit in its history.
tree_base() { git -C "$TREE" rev-list --max-parents=0 HEAD; }

# export_to DIR: write the tree's commits above the base as a series into DIR
# (format-patch files, cover letter, `series`). Deterministic for a given tree.
export_to() {
	local out=$1 base n subject
	base=$(tree_base)
	rm -rf "$out" && mkdir -p "$out"
	n=$(git -C "$TREE" rev-list --count "$base..HEAD")
	: > "$out/series"
	[ "$n" -gt 0 ] || return 0
	# The cover letter is "from" the author of the newest patch.
	GIT_COMMITTER_NAME=$(git -C "$TREE" log -1 --format=%an HEAD) \
	GIT_COMMITTER_EMAIL=$(git -C "$TREE" log -1 --format=%ae HEAD) \
	git -C "$TREE" -c core.abbrev=12 -c diff.noprefix=false format-patch -q \
		--zero-commit --cover-letter --no-signature --subject-prefix=PATCH \
		-o "$out" "$base..HEAD"
	(cd "$out" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-cover-letter.patch$') > "$out/series"
	# Cover letter: subject = first line of cover-letter.txt, blurb = the rest;
	# its Date: is the newest commit's, so a second export gives no diff.
	subject=$(head -n1 "$TOP/cover-letter.txt")
	python3 - "$out/0000-cover-letter.patch" "$TOP/cover-letter.txt" "$subject" \
		"$(git -C "$TREE" log -1 --format=%aD HEAD)" <<'PY'
import sys
path, blurb_path, subject, date = sys.argv[1:5]
text = open(path).read()
blurb = open(blurb_path).read().split('\n', 1)[1].strip('\n')
text = text.replace('*** SUBJECT HERE ***', subject).replace('*** BLURB HERE ***', blurb)
lines = text.split('\n')
for i, l in enumerate(lines):
    if l.startswith('Date: '):
        lines[i] = 'Date: ' + date
        break
open(path, 'w').write('\n'.join(lines))
PY
}

# tree_state: prints one of missing | clean | dirty | unexported
tree_state() {
	[ -d "$TREE/.git" ] || { echo missing; return; }
	if [ -n "$(git -C "$TREE" status --porcelain 2>/dev/null | head -n1)" ]; then
		echo dirty; return
	fi
	local tmp
	tmp=$(mktemp -d)
	export_to "$tmp"
	if diff -r -q "$tmp" "$TOP/patches" >/dev/null 2>&1; then echo clean; else echo unexported; fi
	rm -rf "$tmp"
}

# acpi_irq_lost CONSOLE: the guest's ACPI interpreter timed out evaluating
# the PCI interrupt routing (_PRT: AE_AML_LOOP_TIMEOUT, a 30 s wall-clock
# limit that a KASAN kernel under TCG on a busy host can reach), so a
# virtio disk got no interrupt ("no GSI") and the boot hung in its probe.
# Not the kernel under test: the caller boots once more, and says so.
acpi_irq_lost() {
	if grep -q 'AE_AML_LOOP_TIMEOUT' "$1" && grep -q 'PCI INT A: no GSI' "$1"; then
		note "ACPI _PRT timed out in the guest (AE_AML_LOOP_TIMEOUT, no GSI for a virtio device): booting once more"
		cp "$1" "$1.acpi-timeout"
		return 0
	fi
	return 1
}
