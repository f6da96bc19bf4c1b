#!/bin/bash
# pinloop N: N rounds of boots base / series (default) / series migratability=record, longterm_pin_bench each
cd /work/main
N=${1:-5}
out=${OUT:-/tmp/pinbench13.txt}
for ((i = 1; i <= N; i++)); do
	for k in ${KINDS:-base series record}; do
		case $k in
		base) K=build/kobj-bench-base; args=;;
		series) K=build/kobj-bench-series; args=;;
		record) K=build/kobj-bench-series; args=migratability=record;;
		esac
		QUIET=1 TAG=pb13$SFX-$k-$i KERNEL=$K/arch/x86/boot/bzImage scripts/guest.sh adhoc 400 $args >/dev/null 2>&1
		{ echo "== $k $i"; grep -h "BENCH\|enabled\|# ring" build/guest-pb13$SFX-$k-$i.out; } >> $out
	done
done
echo finished >> $out
