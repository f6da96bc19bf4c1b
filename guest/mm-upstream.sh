#!/bin/sh
# The kernel's own mm selftests that exercise what the series changes (GUP
# and long-term pins, COW, compaction, THP split and migration, hugetlb,
# userfaultfd, mlock, memory hot(un)plug), each compared with what it did
# on base 6.12: no worse than the base.
#   mm-upstream.sh              TAP, one subtest per test, compared with
#                               /guest/mm-upstream-base.txt
#   mm-upstream.sh record       "MMUP NAME EXIT FAILED TIME" lines, for the host
#                               to keep as that file (make bench, base kernel)
# EXIT: 0 pass, 4 skip, 124 timeout, else fail; FAILED: the test's own
# failed subtests ("not ok" lines, uffd-unit-tests' fail=N). The series
# does no worse when a test the base passed passes, and no test fails more
# of its own subtests than on the base.
dir=/tests/mm-upstream
base=/guest/mm-upstream-base.txt
mode=${1:-compare}
scale=$(sed -n 's/.*guest\.timescale=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$scale" ] && [ "$scale" -ge 1 ] 2>/dev/null || scale=1

# NAME TIMEOUT_S HUGEPAGES COMMAND... (HUGEPAGES: 2 MiB hugetlb pages it needs)
list="gup_test_gup 60 0 gup_test -u
gup_test_pin 60 0 gup_test -a
gup_test_dump 60 0 gup_test -ct -F 0x1 0 19 0x1000
gup_longterm 240 16 gup_longterm
cow 900 16 cow
compaction_test 300 0 compaction_test
split_huge_page_test 300 0 split_huge_page_test /mnt/xfs
transhuge_stress 60 0 transhuge-stress -d 20
hugepage_mmap 60 256 hugepage-mmap
hugetlb_madvise 60 256 hugetlb-madvise
uffd_unit_tests 600 32 uffd-unit-tests
migration 300 8 migration
mlock2_tests 60 0 mlock2-tests
mem_on_off_test 300 0 sh mem-on-off-test.sh -r 10"

[ -d $dir ] || { echo "1..0 # SKIP no $dir (scripts/selftests.sh)"; exit 4; }
cd $dir || exit 1
PATH=$dir:$PATH
n=$(echo "$list" | grep -c .)
[ "$mode" = record ] || { echo "TAP version 13"; echo "1..$n"; }
# Too slow for make check under TCG: it writes its file one byte per
# write(2), 4 MiB for each of 9 orders (3 min on the base bench kernel,
# over 12 on the debug one). make bench records it on the base.
slow=" split_huge_page_test "
hp_was=$(cat /proc/sys/vm/nr_hugepages)
i=0
echo "$list" | while read -r name tmo hp cmd; do
	i=$((i + 1))
	case "$mode$slow" in
	compare*" $name "*)
		echo "ok $i $name # SKIP 4 MiB written a byte per write(2) for 9 orders: over 12 min under TCG"
		continue;;
	esac
	tmo=$((tmo * scale))
	echo "$hp" >/proc/sys/vm/nr_hugepages
	t0=$(cut -d. -f1 /proc/uptime)
	# timeout(1) of busybox: TERM at the deadline; exit 124 then.
	timeout "$tmo" $cmd >/tmp/mmup.out 2>&1 </dev/null
	rc=$?
	t=$(($(cut -d. -f1 /proc/uptime) - t0))
	echo "$hp_was" >/proc/sys/vm/nr_hugepages
	[ $rc -eq 143 ] && rc=124
	failed=$(grep -c '^not ok' /tmp/mmup.out)
	# uffd-unit-tests counts its own: "... pass=64, skip=0, fail=2 (total=66)"
	uf=$(sed -n 's/^Userfaults unit tests: .*fail=\([0-9]*\).*/\1/p' /tmp/mmup.out)
	failed=$((failed + ${uf:-0}))
	if [ "$mode" = record ]; then
		sed 's/^/# /' /tmp/mmup.out | tail -n 12
		echo "MMUP $name $rc $failed ${t}s"
		continue
	fi
	sed 's/^/# /' /tmp/mmup.out | tail -n 40
	set -- $(grep "^$name " $base 2>/dev/null)
	brc=${2:-}; bfailed=${3:-}
	what="exit $rc, $failed subtest(s) failed, $t s"
	was="base 6.12: ${brc:+exit $brc, $bfailed failed}"
	[ -n "$brc" ] || was="base 6.12: not recorded"
	echo "# $name: $what; $was"
	if [ $rc -eq 0 ]; then
		echo "ok $i $name"
	elif [ -z "$brc" ]; then
		if [ $rc -eq 4 ]; then
			echo "ok $i $name # SKIP (no record of the base)"
		else
			echo "not ok $i $name: $what (no record of the base)"
		fi
	elif [ "$brc" -eq 0 ]; then
		echo "not ok $i $name: passes on base 6.12, here $what"
	elif [ $rc -eq 4 ]; then
		echo "ok $i $name # SKIP as on base 6.12 (exit $brc)"
	elif [ "$failed" -le "$bfailed" ] && [ $rc -ne 124 -o "$brc" -eq 124 ]; then
		echo "ok $i $name # SKIP fails as on base 6.12 ($was)"
	else
		echo "not ok $i $name: worse than base 6.12: $what; $was"
	fi
done >/tmp/mmup.tap
cat /tmp/mmup.tap
! grep -q '^not ok' /tmp/mmup.tap
