#!/usr/bin/env bash
# Build the series' kselftests, statically linked, into build/selftests.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_cmds gcc make rsync
# The tests the series adds or the guest runs (tools/testing/selftests/mm).
MM_TESTS=${MM_TESTS:-hostile_fuse fuse_launder migratability migratability_report migratability_faults longterm_pin iomap_split}
out=$BUILD/selftests
hdr=$BUILD/headers
[ -d "$TREE/tools/testing/selftests/mm" ] || die "no tree -- run 'make tree'"
mkdir -p "$out" "$BUILD/logs"
log=$BUILD/logs/selftests.log
make -s -C "$TREE" O="$hdr" ARCH=x86_64 headers_install >"$log" 2>&1 ||
	{ cat "$log" >&2; die "headers_install failed"; }
targets=()
for t in $MM_TESTS; do targets+=("$out/$t"); done
# The selftests' Makefile does not know the headers the tests include:
# rebuild a test older than any of them.
for t in "${targets[@]}"; do
	[ -f "$t" ] || continue
	for h in "$TREE"/tools/testing/selftests/mm/*.h "$TREE"/tools/testing/selftests/kselftest*.h; do
		if [ "$h" -nt "$t" ]; then rm -f "$t"; break; fi
	done
done
if ! make -C "$TREE/tools/testing/selftests/mm" OUTPUT="$out" \
	KHDR_INCLUDES="-isystem $hdr/usr/include" LDFLAGS=-static \
	"${targets[@]}" >>"$log" 2>&1; then
	grep -E 'error|warning' "$log" | head -n 30 >&2
	die "selftests build failed (log: $log)"
fi
if grep -q 'warning:' "$log"; then
	grep 'warning:' "$log" >&2
	die "selftests build has warnings (log: $log)"
fi
for t in "${targets[@]}"; do
	file "$t" 2>/dev/null | grep -q 'statically linked' || ldd "$t" 2>&1 | grep -q 'not a dynamic' ||
		die "$t is not statically linked"
done
note "selftests built: $MM_TESTS -> $out"
