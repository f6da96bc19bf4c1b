#!/usr/bin/env bash
# Build the series' kselftests, statically linked, into build/selftests.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_cmds gcc make rsync
# The tests the series adds or the guest runs (tools/testing/selftests/mm).
MM_TESTS=${MM_TESTS:-hostile_fuse_read hostile_fuse_cma hostile_fuse_write hostile_fuse_memcg hostile_fuse_bench fuse_launder fuse_launder_widened migratability migratability_report migratability_faults longterm_pin longterm_pin_bench migratability_memcg iomap_split iomap_split_frag iomap_split_bench migratability_numa pipe_movable}
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

# The kernel's own mm selftests that exercise what the series changes
# (guest/mm-upstream.sh runs them). Their code is upstream's: its warnings
# are logged, not fatal.
MM_UPSTREAM=${MM_UPSTREAM:-gup_test gup_longterm cow compaction_test split_huge_page_test transhuge-stress hugepage-mmap hugetlb-madvise uffd-unit-tests migration mlock2-tests}
up=$out/mm-upstream
mkdir -p "$up"
ulog=$BUILD/logs/selftests-upstream.log
targets=()
for t in $MM_UPSTREAM; do targets+=("$up/$t"); done
if ! make -C "$TREE/tools/testing/selftests/mm" OUTPUT="$up" \
	KHDR_INCLUDES="-isystem $hdr/usr/include" LDFLAGS=-static \
	"${targets[@]}" >"$ulog" 2>&1; then
	grep -E 'error' "$ulog" | head -n 30 >&2
	die "upstream mm selftests build failed (log: $ulog; migration needs libnuma-dev)"
fi
cp "$TREE/tools/testing/selftests/memory-hotplug/mem-on-off-test.sh" "$up/"
note "upstream mm selftests built: $MM_UPSTREAM -> $up"
