#!/bin/sh
# Run the tests of /guest/tests.list and print kselftest TAP.
# Each line: NAME TIMEOUT_S COMMAND...  ('#' starts a comment)
# guest.only=A,B runs only those, guest.skip=A,B all but those;
# guest.timescale=N (a slow kernel: KASAN) multiplies each timeout by N.
#
# Each test runs in a session of its own. At its timeout the whole session
# is killed: the harness forks a process per test, and one left behind
# (holding /sys/kernel/debug/gup_test open, pinning, or in a FUSE mount)
# would fail the tests after it for a reason that is not theirs.
list=/guest/tests.list
only=$(sed -n 's/.*guest\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
skip=$(sed -n 's/.*guest\.skip=\([^ ]*\).*/\1/p' /proc/cmdline)
scale=$(sed -n 's/.*guest\.timescale=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$scale" ] && [ "$scale" -ge 1 ] 2>/dev/null || scale=1
tests=$(grep -v '^#' $list | grep . | while read -r name rest; do
	case ",$skip," in
	*",$name,"*) continue;;
	esac
	case ",$only," in
	,,|*",$name,"*) echo "$name";;
	esac
done)
n=$(echo "$tests" | grep -c .)
# Booted with migratability=record for the page_ext words that name
# long-term pinners (scripts/guest-test.sh): the tests start at the default
# level (1); those that read records or pinners turn them on.
e=/sys/kernel/debug/migratability/enabled
[ -w $e ] && [ "$(cat $e)" -ge 2 ] && echo 1 > $e
echo "TAP version 13"
echo "1..$n"

# session_stacks SID: where each task of the session is, for a test that
# timed out (printed with its output, before it is killed).
session_stacks() {
	local p
	echo "TIMEOUT: the tasks of the test, where they wait:"
	for p in /proc/[0-9]*; do
		[ "$(cut -d' ' -f6 $p/stat 2>/dev/null)" = "$1" ] || continue
		echo "task ${p#/proc/} $(cat $p/comm) state $(cut -d' ' -f3 $p/stat) wchan $(cat $p/wchan 2>/dev/null)"
		sed 's/^/    /' $p/stack 2>/dev/null | head -n 24
	done
}

# kill_session SIG SID: send SIG to every process of session SID. The
# kselftest harness puts each test in a process group of its own
# (setpgrp()), so killing the leader's group does not reach it.
kill_session() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(cut -d' ' -f6 $p/stat 2>/dev/null)" = "$2" ] && kill -$1 ${p#/proc/} 2>/dev/null
	done
}

# run_session TIMEOUT CMD...: run CMD in its own session; return its exit
# status, or 124 after killing every process of the session at TIMEOUT.
run_session() {
	local tmo=$1 pid t=0 rc
	shift
	setsid sigdfl "$@" >/tmp/out 2>&1 </dev/null &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		if [ $t -ge "$tmo" ]; then
			session_stacks $pid >>/tmp/out
			kill_session TERM $pid
			sleep 2
			kill_session KILL $pid
			wait $pid 2>/dev/null
			return 124
		fi
		sleep 1
		t=$((t + 1))
		# The test ended: reap it, then make sure no process of its
		# session outlives it (a harness child whose parent exited).
		kill -0 $pid 2>/dev/null || break
	done
	wait $pid
	rc=$?
	kill_session KILL $pid
	return $rc
}

# online_blocks: "memoryN:Zone" for each online memory block
online_blocks() {
	local b
	for b in /sys/devices/system/memory/memory*; do
		[ "$(cat $b/state 2>/dev/null)" = online ] && echo "${b##*/}:$(cat $b/valid_zones)"
	done
}

# restore_blocks LIST: online again, in their zone, the blocks of LIST a
# test left offline (killed midway: by its timeout, or the OOM killer);
# the tests after it would otherwise have less memory, for no fault of theirs.
restore_blocks() {
	local e b zone how
	for e in $1; do
		b=/sys/devices/system/memory/${e%%:*}
		zone=${e#*:}
		[ "$(cat $b/state 2>/dev/null)" = offline ] || continue
		how=online_kernel
		[ "${zone%% *}" = Movable ] && how=online_movable
		echo $how > $b/state 2>/dev/null || echo online > $b/state 2>/dev/null
		echo "# runner: ${e%%:*} ($zone) was left offline; now $(cat $b/state)"
	done
}

i=0
for name in $tests; do
	i=$((i + 1))
	set -- $(grep "^$name " $list)
	shift; tmo=$(($1 * scale)); shift
	echo "# selftests: $name: $*"
	dmesg -c >/dev/null
	t0=$(cut -d. -f1 /proc/uptime)
	blocks=$(online_blocks)
	run_session "$tmo" "$@"
	rc=$?
	sed 's/^/# /' /tmp/out
	restore_blocks "$blocks"
	echo "# $name: $(($(cut -d. -f1 /proc/uptime) - t0)) s (timeout ${tmo} s)"
	case $rc in
	0) echo "ok $i $name";;
	4) echo "ok $i $name # SKIP";;
	# kselftest's XFAIL, only if the test said so: a shell script that
	# dies of an error exits 2 too
	2) if grep -q XFAIL /tmp/out; then echo "ok $i $name # XFAIL"
	   else echo "not ok $i $name # exit=2"; fi;;
	124|143) echo "not ok $i $name # TIMEOUT ${tmo}s";;
	*) echo "not ok $i $name # exit=$rc";;
	esac
done
