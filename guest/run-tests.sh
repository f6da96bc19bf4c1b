#!/bin/sh
# Run the tests of /guest/tests.list and print kselftest TAP.
# Each line: NAME TIMEOUT_S COMMAND...  ('#' starts a comment)
list=/guest/tests.list
only=$(sed -n 's/.*guest\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
tests=$(grep -v '^#' $list | grep . | while read -r name rest; do
	[ -z "$only" ] || [ "$only" = "$name" ] && echo "$name"
done)
n=$(echo "$tests" | grep -c .)
echo "TAP version 13"
echo "1..$n"
i=0
for name in $tests; do
	i=$((i + 1))
	set -- $(grep "^$name " $list)
	shift; tmo=$1; shift
	echo "# selftests: $name: $*"
	dmesg -c >/dev/null
	timeout "$tmo" "$@" >/tmp/out 2>&1
	rc=$?
	sed 's/^/# /' /tmp/out
	case $rc in
	0) echo "ok $i $name";;
	4) echo "ok $i $name # SKIP";;
	2) echo "ok $i $name # XFAIL";;
	124|143) echo "not ok $i $name # TIMEOUT ${tmo}s";;
	*) echo "not ok $i $name # exit=$rc";;
	esac
done
