#!/usr/bin/env bash
# make bench: the same guest booted with the unpatched base kernel and with the
# series kernel, in one run; prints each benchmark side by side with the ratio.
# Both kernels are built from config/guest.config alone (no debug options).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/deps.sh"
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh"
base_src=$BUILD/linux-base
base=$(tree_base)
if [ ! -d "$base_src" ] || [ "$(git -C "$base_src" rev-parse HEAD 2>/dev/null)" != "$base" ]; then
	rm -rf "$base_src"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$base_src" "$base"
fi
note "building the base kernel (build/kobj-bench-base)"
SRC=$base_src KOBJ=$BUILD/kobj-bench-base FRAGMENTS=guest.config ALLOW_UNKNOWN=1 \
	"$TOP/scripts/kernel.sh" | grep -v '^\s*\[kernel\]'
note "building the series kernel (build/kobj-bench-series)"
KOBJ=$BUILD/kobj-bench-series FRAGMENTS=guest.config "$TOP/scripts/kernel.sh" | grep -v '^\s*\[kernel\]'
"$TOP/scripts/selftests.sh" >/dev/null
"$TOP/scripts/initramfs.sh"
"$TOP/scripts/tools-image.sh"
# The series boots with the page_ext words that name long-term pinners
# (migratability=record); guest/bench.sh puts the level back to the default
# (1) first and turns records on only for its "records present" state.
boot_args() {
	[ "$1" = series ] && echo migratability=record
	return 0
}
failed=
for k in base series; do
	note "booting the $k kernel"
	# A guest that does not finish still leaves the results it printed:
	# compare those, say so, and fail at the end.
	QUIET=1 TAG=bench-$k KERNEL=$BUILD/kobj-bench-$k/arch/x86/boot/bzImage \
		"$TOP/scripts/guest.sh" bench "${DEADLINE:-2400}" $(boot_args $k) || failed+=" $k"
done
# FUSE fsync and write throughput under TCG move a lot from one boot to the next
# (1 MiB writes: 104 to 154 MB/s on the same base kernel): WRITE_BOOTS more boots of each kernel, alternating,
# run only those benchmarks; the table after the main one pools every boot.
pairs=$((1 + ${WRITE_BOOTS:-2}))
for ((i = 2; i <= pairs; i++)); do
	for k in base series; do
		note "booting the $k kernel: FUSE fsync and write throughput, boot $i of $pairs"
		QUIET=1 TAG=benchw-$k-$i KERNEL=$BUILD/kobj-bench-$k/arch/x86/boot/bzImage \
			"$TOP/scripts/guest.sh" benchw 1200 || failed+=" $k(writes,$i)"
	done
done
# The hot paths and pin/unpin (guest.mode=benchc) in COST_BOOTS more boots
# of each kernel, alternating, pooled with the main boot for their spread.
cost=$((1 + ${COST_BOOTS:-2}))
for ((i = 2; i <= cost; i++)); do
	for k in base series; do
		note "booting the $k kernel: hot paths and pins, boot $i of $cost"
		QUIET=1 TAG=benchc-$k-$i KERNEL=$BUILD/kobj-bench-$k/arch/x86/boot/bzImage \
			"$TOP/scripts/guest.sh" benchc 900 $(boot_args $k) || failed+=" $k(cost,$i)"
	done
done
# Successful migration between two NUMA nodes (guest.mode=benchn, NUMA=2),
# without and with records present, in NUMA_BOOTS boots of each kernel,
# alternating.
numa=${NUMA_BOOTS:-2}
for ((i = 1; i <= numa; i++)); do
	for k in base series; do
		note "booting the $k kernel with two NUMA nodes: migration between them, boot $i of $numa"
		NUMA=2 QUIET=1 TAG=benchn-$k-$i KERNEL=$BUILD/kobj-bench-$k/arch/x86/boot/bzImage \
			"$TOP/scripts/guest.sh" benchn 900 $(boot_args $k) || failed+=" $k(numa,$i)"
	done
done
# The kernel's own mm selftests on the base kernel: the record that make
# check compares the series with (guest/mm-upstream.sh), kept in the repository.
# MMUP=0 skips them (up to an hour under TCG) and keeps the record as it is.
if [ "${MMUP:-1}" = 0 ]; then
	note "MMUP=0: not running the base's mm selftests (guest/mm-upstream-base.txt kept)"
elif note "booting the base kernel: the kernel's own mm selftests (guest/mm-upstream-base.txt)"
	NUMA=2 QUIET=1 TAG=mmup-base KERNEL=$BUILD/kobj-bench-base/arch/x86/boot/bzImage \
	"$TOP/scripts/guest.sh" mmup 3600 &&
	grep -q '^MMUP ' "$BUILD/guest-mmup-base.out"; then
	{ echo "# base 6.12 ($(tree_base | cut -c1-12)): NAME EXIT FAILED-SUBTESTS SECONDS, by make bench"
	  sed -n 's/^MMUP //p' "$BUILD/guest-mmup-base.out"; } >"$TOP/guest/mm-upstream-base.txt"
	cat "$TOP/guest/mm-upstream-base.txt"
else
	failed+=" base(mm selftests)"
fi
python3 - "$BUILD/guest-bench-base.out" "$BUILD/guest-bench-series.out" "$pairs" "$cost" "$numa" <<'PY'
import sys
def load(p):
    r = {}
    for l in open(p, errors='replace'):
        f = l.split()
        if len(f) >= 3 and f[0] == 'BENCH':
            # "N+": at least N, the measurement hit its deadline
            r[f[1]] = (float(f[2].rstrip('+')), f[3] if len(f) > 3 else '',
                       f[2].endswith('+'))
    return r
base, series = load(sys.argv[1]), load(sys.argv[2])
print(f"\n{'benchmark':40} {'base 6.12':>12} {'series':>12} {'series/base':>12}")
for k in sorted(set(base) | set(series)):
    b, s = base.get(k, (None, '', False)), series.get(k, (None, '', False))
    unit = b[1] or s[1]
    ratio = f"{s[0] / b[0]:.2f}x" if b[0] and s[0] is not None else '-'
    if b[2] or s[2]:
        ratio = ('<' if b[2] and not s[2] else '') + ratio
    fmt = lambda v: '-' if v[0] is None else f"{v[0]:g}{'+' if v[2] else ''} {unit}"
    print(f"{k:40} {fmt(b):>12} {fmt(s):>12} {ratio:>12}")
print("N+: did not finish within N (the deadline)")

# The write throughput of every boot: boot 1 is the main run above.
import os, statistics
pairs = int(sys.argv[3])
runs = {'base': [base], 'series': [series]}
for i in range(2, pairs + 1):
    for k in runs:
        p = os.path.join(os.path.dirname(sys.argv[1]), f"guest-benchw-{k}-{i}.out")
        runs[k].append(load(p) if os.path.exists(p) else {})
keys = sorted(k for k in set(base) | set(series)
              if k.startswith('fuse_fsync_') or
              (k.startswith('fuse_write_') and ('_MBps' in k or k.endswith('_cpu_ms_per_MiB'))))
if pairs > 1 and keys:
    print(f"\nFUSE fsync and writes over {pairs} boots of each kernel (alternating):"
          " median [min-max]; ratio of the medians; per boot pair")
    print(f"{'benchmark':36} {'base 6.12':>22} {'series':>22} {'ratio':>6}  pairs")
    for k in keys:
        v = {c: [r[k][0] for r in runs[c] if k in r] for c in runs}
        if not v['base'] or not v['series']:
            continue
        m = {c: statistics.median(v[c]) for c in v}
        cell = lambda c: f"{m[c]:g} [{min(v[c]):g}-{max(v[c]):g}]"
        per = [f"{s[k][0] / b[k][0]:.2f}" for b, s in zip(runs['base'], runs['series'])
               if k in b and k in s and b[k][0]]
        print(f"{k:36} {cell('base'):>22} {cell('series'):>22} {m['series'] / m['base']:5.2f}x  {' '.join(per)}")

# The hot paths and pin/unpin over the main boot and the cost boots
cost = int(sys.argv[4])
runs = {'base': [base], 'series': [series]}
for i in range(2, cost + 1):
    for k in runs:
        p = os.path.join(os.path.dirname(sys.argv[1]), f"guest-benchc-{k}-{i}.out")
        runs[k].append(load(p) if os.path.exists(p) else {})
keys = sorted(k for k in set(base) | set(series)
              if k.startswith(('offline_idle_block', 'fault_free_', 'compact_memory', 'pin_longterm_',
                             'unpin_longterm_')))
def pooled(title, runs, keys):
    """median [min-max] per kernel over the boots in runs, ratio, per boot pair"""
    print(title)
    print(f"{'benchmark':36} {'base 6.12':>22} {'series':>22} {'ratio':>6}  pairs")
    for k in keys:
        v = {c: [r[k][0] for r in runs[c] if k in r] for c in runs}
        if not v['base'] or not v['series']:
            continue
        m = {c: statistics.median(v[c]) for c in v}
        cell = lambda c: f"{m[c]:g} [{min(v[c]):g}-{max(v[c]):g}]"
        per = [f"{s[k][0] / b[k][0]:.2f}" for b, s in zip(runs['base'], runs['series'])
               if k in b and k in s and b[k][0]]
        ratio = f"{m['series'] / m['base']:5.2f}x" if m['base'] else '    -'
        print(f"{k:36} {cell('base'):>22} {cell('series'):>22} {ratio}  {' '.join(per)}")

if cost > 1 and keys:
    pooled(f"\nHot paths and pins over {cost} boots of each kernel (alternating):"
           " median [min-max]; ratio of the medians; per boot pair", runs, keys)

# Migration between NUMA nodes: the NUMA boots only
numa = int(sys.argv[5])
runs = {'base': [], 'series': []}
for i in range(1, numa + 1):
    for k in runs:
        p = os.path.join(os.path.dirname(sys.argv[1]), f"guest-benchn-{k}-{i}.out")
        runs[k].append(load(p) if os.path.exists(p) else {})
keys = sorted({k for c in runs for r in runs[c] for k in r if k.startswith('numa_')})
if keys:
    pooled(f"\nMigration between two NUMA nodes over {numa} boots of each kernel (alternating):"
           " median [min-max]; ratio of the medians; per boot pair", runs, keys)
PY
[ -z "$failed" ] || die "the guest of the${failed} kernel did not finish: its results above are partial"
