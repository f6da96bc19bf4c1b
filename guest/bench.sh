#!/bin/sh
# Benchmarks run in the guest (make bench). Each result is one line:
#   BENCH <name> <value> <unit>
# The host boots the base kernel and the series kernel with the same guest
# and prints the two side by side with their ratio.

# Run a benchmark program for at most @1 seconds. One that hangs (stuck in
# the kernel, say) is killed with its children, after its blocked tasks
# went to the console (sysrq w), and the benchmarks after it still run;
# so are processes it leaves behind when it exits.
bounded() {
	budget=$1
	shift
	bt0=$(mstime)
	setsid "$@" &
	pid=$!
	# Not on our stdout, which may be a pipe to grep: the watchdog (and its
	# sleep) would keep that open until the budget is spent.
	(
		trap 'kill "$s" 2>/dev/null; exit 0' TERM
		sleep "$budget" &
		s=$!
		wait "$s"
		if kill -0 "$pid" 2>/dev/null; then
			echo "# $1: not done after ${budget}s, killed; blocked tasks on the console"
			echo 1 > /proc/sys/kernel/sysrq
			echo w > /proc/sysrq-trigger
			kill -9 "-$pid" 2>/dev/null
		fi
	) >&2 &
	wd=$!
	wait "$pid"
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	# Children it left behind would keep the pipe to grep open
	if kill -0 "-$pid" 2>/dev/null; then
		echo "# $1: killed processes it left behind: $(pgrep -g "$pid" | tr '\n' ' ')" >&2
		kill -9 "-$pid" 2>/dev/null
	fi
	echo "# $1: exited after $(( ($(mstime) - bt0) / 1000 ))s" >&2
}

# Offline and online again an idle ZONE_MOVABLE block: the cost of the
# offline path itself, median of 5.
offline_cycle() {
	name=offline_idle_block${1}_ms
	blk=
	for b in /sys/devices/system/memory/memory*; do
		[ "$(cat $b/valid_zones)" = Movable ] && [ "$(cat $b/state)" = online ] && blk=$b
	done
	[ -n "$blk" ] || { echo "# no movable block"; return; }
	for i in 1 2 3 4 5; do
		t0=$(mstime)
		echo offline > $blk/state || { echo "# offline failed"; return; }
		t1=$(mstime)
		echo online_movable > $blk/state
		echo $((t1 - t0))
	done | sort -n | sed -n 3p | sed "s/^/BENCH $name /; s/\$/ ms/"
}

# compact_memory over all of memory, median of 3: with records present, the
# series records the folios it fails on (a MIGRATE_SYNC compaction asked
# for), and skips long-term pinned ones.
compact_cycle() {
	for i in 1 2 3; do
		t0=$(mstime)
		echo 1 > /proc/sys/vm/compact_memory
		echo $(($(mstime) - t0))
	done | sort -n | sed -n 2p | sed "s/^/BENCH compact_memory${1}_ms /; s/\$/ ms/"
}

# The state real machines are in: 16 MiB long-term pinned (io_uring fixed
# buffers) and 16 MiB of shmem pages held by sockets, whose ZONE_MOVABLE
# blocks an offline (interrupted after 3 s) failed on: the series then holds
# a pin record per pinned folio and a failure record per held one.
# Records are off by default (level 1): on (level 2) for this state.
mgr_enabled=/sys/kernel/debug/migratability/enabled
# The series boots with migratability=record for the page_ext words that
# name pinners (scripts/bench.sh): the default level until state_start.
[ -w $mgr_enabled ] && echo 1 > $mgr_enabled
state_start() {
	[ -w $mgr_enabled ] && echo 2 > $mgr_enabled
	longterm_pin_bench -p 4096 >/tmp/pins.out 2>&1 &
	state_pins=$!
	holdrefs 16 >/tmp/refs.out 2>&1 &
	state_refs=$!
	for i in $(seq 100); do
		grep -q 'blocks:' /tmp/refs.out && grep -q pinned /tmp/pins.out && break
		sleep 0.2
	done
	cat /tmp/pins.out /tmp/refs.out | sed 's/^/# state: /'
	for b in $(sed -n 's/.*blocks://p' /tmp/refs.out); do
		d=/sys/devices/system/memory/memory$b
		[ "$(cat $d/valid_zones 2>/dev/null)" = Movable ] || continue
		sigdfl sh -c "echo offline > $d/state" 2>/dev/null &
		o=$!
		sleep 3
		kill -TERM $o 2>/dev/null
		wait $o
		[ "$(cat $d/state)" = online ] || echo online_movable > $d/state
	done
	s=/sys/kernel/debug/migratability/summary
	[ -r $s ] && grep -E 'tracked|records' $s | sed 's/^/# state: /'
}

state_stop() {
	kill $state_pins $state_refs 2>/dev/null
	wait $state_pins $state_refs 2>/dev/null
	[ -w $mgr_enabled ] && echo 1 > $mgr_enabled
}

# "bench.sh writes" (guest.mode=benchw): only FUSE fsync and write throughput, for
# the extra boots make bench spends on it (see scripts/bench.sh).
if [ "$1" = writes ]; then
	bounded 900 hostile_fuse_bench -b -w | grep '^BENCH'
	exit 0
fi

# The hot paths the layer touches: offlining an idle block; page fault +
# free of 128 MiB of anonymous memory, order-0 pages (the free path looks
# up the records). Median of 5 and of 7 rounds. Then the same two with
# records present (state_start).
hot_paths() {
	offline_cycle
	echo "BENCH fault_free_128m_ms $(fault_free 128) ms"
	compact_cycle
	state_start
	offline_cycle _records
	echo "BENCH fault_free_128m_records_ms $(fault_free 128) ms"
	compact_cycle _records
	state_stop
}

# "bench.sh cost" (guest.mode=benchc): those and the pin/unpin path only,
# for the extra boots make bench spends on their spread.
if [ "$1" = cost ]; then
	hot_paths
	bounded 600 longterm_pin_bench | grep '^BENCH'
	exit 0
fi

# "bench.sh numa" (guest.mode=benchn, a guest with two NUMA nodes): successful
# migration between the nodes, migrate_pages(2) and move_pages(2) of 256 MiB
# (128 if node 0 has less than 400 MiB free), without and with records
# present (state_start): with records on, every successful migration runs
# the series' migrate-done hook.
if [ "$1" = numa ]; then
	free0=$(awk '/MemFree/ {print int($4 / 1024)}' /sys/devices/system/node/node0/meminfo 2>/dev/null)
	mib=256
	[ "${free0:-0}" -ge 400 ] || mib=128
	echo "# node 0: ${free0:-?} MiB free; moving ${mib} MiB"
	bounded 600 numa_move $mib
	state_start
	bounded 600 numa_move $mib _records
	state_stop
	exit 0
fi

hot_paths

# Scanning 1 GiB of PFNs for the migratability report (series only).
if [ -w /sys/kernel/debug/migratability/blockers ]; then
	# The range belongs to the open file: write and read on one descriptor.
	exec 3<>/sys/kernel/debug/migratability/blockers
	t0=$(mstime); echo "0 262144" >&3; cat <&3 >/dev/null; t1=$(mstime)
	exec 3<&-
	echo "BENCH report_scan_1g_ms $((t1 - t0)) ms"
fi

# FUSE: how long a server that answers at once takes per 4 KiB READ (what the
# bounded wait must allow), and how long offlining a memory block takes when
# it holds a folio of a READ the server never answers: on the base kernel it
# does not finish ("N+": the deadline, then the connection is aborted).
bounded 900 hostile_fuse_bench -b -t 20 | grep '^BENCH'

# Pipes filled from ZONE_MOVABLE memory: 64 MiB of anonymous memory
# vmspliced into 1 MiB pipes nobody reads, every block holding it offlined:
# 6.12 retries until interrupted ("N+": the 60 s deadline per block), the
# series gave the pipes copies; the pipes' bytes are checked after. Then the
# price of the copies: 256 MiB through a pipe by vmsplice(2) of anonymous
# memory and by splice(2) of a memfd, with the share in ZONE_MOVABLE.
bounded 900 pipe_bench offline 64 60
bounded 300 pipe_bench tput 256

# Long-term pins: the pin/unpin path (gup_test PIN_LONGTERM_BENCHMARK, 16 MiB
# in calls of 512 pages, median of 11), and compact_memory with 64 MiB of
# shmem long-term pinned (seed 003): its time and pgmigrate_fail per run.
bounded 600 longterm_pin_bench

# Dirty large folios of an XFS file, partly written, in a ZONE_MOVABLE block
# offlined while no free block of their order is left: 6.12 cannot split them
# and the offline does not finish ("N+": its deadline); the series splits them
# and migrates the pieces. Three runs: how many finished, median time.
bounded 900 iomap_split_bench | grep '^BENCH\|^# '

# Debian's fio and stress-ng with data verification on bindfs, fuse-overlayfs
# and XFS while every ZONE_MOVABLE block is offlined and onlined in turn,
# compact_memory and cma_alloc run (guest/torture.sh): offlines done and
# failed, their mean and longest time, verification errors (must be 0).
bounded 900 torture.sh -b -t 40 | grep '^BENCH\|^# '
