#!/bin/sh
# Exercisers nobody here wrote, on real filesystems, while memory migrates
# all the time. For each of
#   bindfs          (Debian's, libfuse2) over a directory of XFS
#   fuse-overlayfs  (Debian's, libfuse3: asks for the writeback cache)
#   xfs             (XFS itself: large folios)
# run Debian's fio with data verification (psync and mmap engines, fsync
# every 8 writes) and stress-ng's hdd (random writes and reads, fsync,
# ftruncate) and mmap (file mappings, msync) stressors with --verify, while
# a loop offlines and onlines every ZONE_MOVABLE block, writes
# compact_memory and allocates and frees in the CMA area.
#
# A filesystem passes when every exerciser exits 0 (no verification error),
# none hangs (all done within the run time plus a margin), every offline
# ends (done, or a clean error), and the migration loop ran. The kernel log
# and xfs_repair -n are checked by the host. Prints KTAP; with -b, BENCH
# lines instead (make bench: the base kernel runs the same).
#   torture.sh [-b] [-t SECONDS] [FS...]
T=40
bench=0
while getopts bt: o; do
	case $o in
	b) bench=1;;
	t) T=$OPTARG; T_given=1;;
	*) echo "usage: $0 [-b] [-t SECONDS] [FS...]"; exit 1;;
	esac
done
shift $((OPTIND - 1))
fss=${*:-bindfs overlay xfs}
TOOLS=/opt/tools
export LD_LIBRARY_PATH=$TOOLS/lib
PATH=$PATH:$TOOLS/bin
MEM=/sys/devices/system/memory
OFFLINE_MAX=30		# seconds an offline may take before it is killed
scale=$(sed -n 's/.*guest\.timescale=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$scale" ] || scale=1
# A slow kernel (KASAN: guest.timescale=4) runs the same load 20 s per
# filesystem, to stay within make check's time; each prints its offlines.
[ -z "${T_given:-}" ] && [ "$scale" -ge 4 ] && T=20
work=/mnt/xfs/torture

n=0
for fs in $fss; do n=$((n + 1)); done
if [ $bench = 0 ]; then
	echo "TAP version 13"
	echo "1..$n"
fi
if ! [ -x $TOOLS/bin/fio ] || ! [ -x $TOOLS/bin/stress-ng ]; then
	i=0
	for fs in $fss; do
		i=$((i + 1))
		[ $bench = 1 ] || echo "ok $i $fs # SKIP no $TOOLS (scripts/tools-image.sh)"
	done
	exit 4
fi
if ! grep -q " /mnt/xfs " /proc/mounts; then
	echo "# no XFS at /mnt/xfs"
	exit 1
fi
cma=$(ls -d /sys/kernel/debug/cma/*/ 2>/dev/null | head -n 1)

# offline_one BLOCK: offline it (killed after OFFLINE_MAX s), online it again.
# Prints "done MS", "failed MS" (an error: busy, interrupted) or "hung".
offline_one() {
	t0=$(mstime)
	( echo offline > "$1/state" ) 2>/dev/null &
	p=$!
	w=0
	while kill -0 $p 2>/dev/null && [ $w -lt $((OFFLINE_MAX * 10)) ]; do
		usleep 100000
		w=$((w + 1))
	done
	if kill -0 $p 2>/dev/null; then
		kill -9 $p 2>/dev/null
		w=0
		while kill -0 $p 2>/dev/null && [ $w -lt 100 ]; do
			usleep 100000
			w=$((w + 1))
		done
		if kill -0 $p 2>/dev/null; then
			echo hung
			return
		fi
	fi
	wait $p
	rc=$?
	ms=$(($(mstime) - t0))
	if [ "$(cat "$1/state")" = offline ]; then
		echo online_movable > "$1/state"
		echo "done $ms"
	else
		echo "failed $ms rc=$rc"
	fi
}

# The migration loop, until $work/stop exists: counts to $work/migr.
migrate_loop() {
	done=0 failed=0 hung=0 sum=0 max=0 compact=0 cma_ok=0 cma_tries=0
	while ! [ -e $work/stop ]; do
		for b in $MEM/memory*; do
			[ -e $work/stop ] && break
			[ "$(cat $b/valid_zones 2>/dev/null)" = Movable ] || continue
			[ "$(cat $b/state)" = online ] || continue
			set -- $(offline_one $b)
			case $1 in
			done)	done=$((done + 1)); sum=$((sum + $2))
				[ $2 -gt $max ] && max=$2;;
			failed)	failed=$((failed + 1));;
			hung)	hung=$((hung + 1))
				echo "# offline of ${b##*/} not done after SIGKILL"
				echo 1 > /proc/sys/kernel/sysrq
				echo w > /proc/sysrq-trigger;;
			esac
		done
		echo 1 > /proc/sys/vm/compact_memory && compact=$((compact + 1))
		if [ -n "$cma" ]; then
			cma_tries=$((cma_tries + 1))
			echo 256 > ${cma}alloc 2>/dev/null && cma_ok=$((cma_ok + 1)) &&
				echo 256 > ${cma}free
		fi
		echo "$done $failed $hung $sum $max $compact $cma_ok $cma_tries" > $work/migr.tmp
		mv $work/migr.tmp $work/migr
	done
}

# mount_fs FS: the directory the exercisers use; "" if it cannot be mounted.
mount_fs() {
	case $1 in
	bindfs)
		mkdir -p $work/src $work/mnt
		bindfs $work/src $work/mnt >$work/fs.log 2>&1 && echo $work/mnt;;
	overlay)
		mkdir -p $work/lower $work/upper $work/ovwork $work/mnt
		fuse-overlayfs -o lowerdir=$work/lower,upperdir=$work/upper,workdir=$work/ovwork \
			$work/mnt >$work/fs.log 2>&1 && echo $work/mnt;;
	xfs)
		mkdir -p $work/data && echo $work/data;;
	esac
}

umount_fs() {
	case $1 in
	bindfs|overlay)
		u=0
		while ! umount $work/mnt 2>/dev/null && [ $u -lt 50 ]; do
			usleep 100000
			u=$((u + 1))
		done
		grep -q " $work/mnt " /proc/mounts && echo "# $1: still mounted"
		;;
	esac
}

i=0
failed=0
for fs in $fss; do
	i=$((i + 1))
	rm -rf $work
	mkdir -p $work
	dir=$(mount_fs $fs)
	if [ -z "$dir" ]; then
		sed 's/^/# /' $work/fs.log
		[ $bench = 1 ] || echo "not ok $i $fs: could not mount"
		failed=1
		continue
	fi
	cat > $work/job.fio <<EOF
[global]
directory=$dir
thread
size=24m
bsrange=4k-128k
verify=crc32c
verify_fatal=1
verify_backlog=64
fsync=8
loops=100000
runtime=$T
[psync]
ioengine=psync
rw=randwrite
[mmap]
ioengine=mmap
rw=randwrite
EOF
	t0=$(mstime)
	fio $work/job.fio >$work/fio.log 2>&1 &
	fio_pid=$!
	stress-ng --hdd 1 --hdd-bytes 16M --hdd-opts wr-rnd,rd-rnd,fsync \
		--mmap 1 --mmap-file --mmap-bytes 16M --verify --temp-path $dir \
		-t $T --metrics-brief >$work/sng.log 2>&1 &
	sng_pid=$!
	migrate_loop > $work/loop.log 2>&1 &
	loop_pid=$!
	# The exercisers stop by themselves after T s; a hang is one that has
	# not within 3 T (scaled for a slow kernel) plus a minute.
	limit=$(((3 * T * scale + 60) * 10))
	j=0
	while { kill -0 $fio_pid 2>/dev/null || kill -0 $sng_pid 2>/dev/null; } &&
	      [ $j -lt $limit ]; do
		usleep 100000
		j=$((j + 1))
	done
	hang=
	kill -0 $fio_pid 2>/dev/null && hang="$hang fio"
	kill -0 $sng_pid 2>/dev/null && hang="$hang stress-ng"
	if [ -n "$hang" ]; then
		echo "# $fs:$hang not done after $((limit / 10)) s; blocked tasks on the console"
		echo 1 > /proc/sys/kernel/sysrq
		echo w > /proc/sysrq-trigger
		kill -9 $fio_pid $sng_pid 2>/dev/null
	fi
	wait $fio_pid
	fio_rc=$?
	wait $sng_pid
	sng_rc=$?
	secs=$((($(mstime) - t0) / 1000))
	touch $work/stop
	wait $loop_pid
	sed 's/^/# /' $work/loop.log
	set -- $(cat $work/migr 2>/dev/null || echo 0 0 0 0 0 0 0 0)
	odone=$1 ofail=$2 ohung=$3 osum=$4 omax=$5 compact=$6 cma_ok=$7 cma_tries=$8
	# Not $((odone ? osum / odone : 0)): busybox sh divides by zero anyway
	mean=0
	[ "$odone" -gt 0 ] && mean=$((osum / odone))
	verr=$(grep -ciE 'verify failed|bad magic|bad header|verify: bad' $work/fio.log)
	umount_fs $fs
	summary="fio rc=$fio_rc, stress-ng rc=$sng_rc, ${secs} s; offlines: $odone done (mean $mean ms, max $omax ms), $ofail failed, $ohung hung; compact_memory $compact; cma_alloc $cma_ok/$cma_tries"
	if [ $bench = 1 ]; then
		echo "# torture $fs: $summary"
		echo "BENCH torture_${fs}_offlines_done $odone n"
		echo "BENCH torture_${fs}_offlines_failed $((ofail + ohung)) n"
		echo "BENCH torture_${fs}_offline_mean_ms $mean ms"
		echo "BENCH torture_${fs}_offline_max_ms $omax ms"
		echo "BENCH torture_${fs}_verify_errors $((verr + (fio_rc != 0) + (sng_rc != 0))) n"
		continue
	fi
	if [ $fio_rc != 0 ] || [ $verr != 0 ]; then
		grep -iE 'verify|err|fail' $work/fio.log | head -n 20 | sed 's/^/# fio: /'
	fi
	if [ $sng_rc != 0 ]; then
		grep -iE 'verif|fail|error' $work/sng.log | head -n 20 | sed 's/^/# stress-ng: /'
	fi
	grep -E 'err=|WRITE:|READ:' $work/fio.log | sed 's/^/# fio: /'
	if [ $fio_rc = 0 ] && [ $sng_rc = 0 ] && [ $verr = 0 ] && [ -z "$hang" ] &&
	   [ $ohung = 0 ] && [ $((odone + ofail)) -gt 0 ] && [ $compact -gt 0 ]; then
		echo "# $fs: $summary"
		echo "ok $i $fs: no verification error, no hang, while blocks go offline"
	else
		echo "# $fs: $summary${hang:+; hung:$hang}"
		echo "not ok $i $fs: no verification error, no hang, while blocks go offline"
		failed=1
	fi
done
rm -rf $work
exit $failed
