#!/bin/sh
# A real multi-threaded FUSE server killed mid-operation, while memory
# migrates. For each of
#   bindfs          (Debian's, libfuse2, multi-threaded)
#   fuse-overlayfs  (Debian's, libfuse3, multi-threaded, writeback cache)
# writers (write(2) and fio's mmap engine, fsync) and a loop of open
# without FOPEN_KEEP_CACHE, truncate and chmod (setattr, invalidation) run
# on the mount while its WRITE replies land from several server threads
# and a loop offlines and onlines every ZONE_MOVABLE block; then the server
# is killed with SIGKILL mid-operation.
#
# A filesystem passes when, after the kill:
#   - every process that used the mount exits (none stays in D state);
#   - the mount goes (umount) and its fusectl connection with it;
#   - nr_writeback and nr_writeback_temp in /proc/vmstat go back to where
#     they were before (no writeback left raised for ever);
#   - every ZONE_MOVABLE block can be offlined and onlined again.
# The kernel log (Bad page state, BUG, WARNING) is checked by the host.
#   fuse_kill.sh [FS...]
TOOLS=/opt/tools
export LD_LIBRARY_PATH=$TOOLS/lib
PATH=$PATH:$TOOLS/bin
MEM=/sys/devices/system/memory
FUSECTL=/sys/fs/fuse/connections
scale=$(sed -n 's/.*guest\.timescale=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$scale" ] || scale=1
work=/mnt/xfs/fuse_kill
fss=${*:-bindfs overlay}
RUN=6			# seconds of load before the kill
WAIT=$((30 * scale))	# seconds the users and the writeback get to end

n=0
for fs in $fss; do n=$((n + 1)); done
echo "TAP version 13"
echo "1..$n"
if ! [ -x $TOOLS/bin/fio ] || ! [ -x $TOOLS/bin/bindfs ]; then
	i=0
	for fs in $fss; do
		i=$((i + 1))
		echo "ok $i $fs # SKIP no $TOOLS (scripts/tools-image.sh)"
	done
	exit 0
fi

vmstat() { sed -n "s/^$1 //p" /proc/vmstat; }

# Offline and online every ZONE_MOVABLE block until $work/stop exists.
migrate_loop() {
	while ! [ -e $work/stop ]; do
		for b in $MEM/memory*; do
			[ "$(cat $b/valid_zones 2>/dev/null)" = Movable ] || continue
			[ "$(cat $b/state)" = online ] || continue
			timeout 10 sh -c "echo offline > $b/state" 2>/dev/null
			[ "$(cat $b/state)" = offline ] && echo online_movable > $b/state
			[ -e $work/stop ] && break
		done
	done
}

# The users of the mount: writers, fio mmap, open/truncate/chmod. They
# run until they fail (the server is gone) or $work/stop exists.
users() {
	d=$1
	for w in 1 2; do
		( while ! [ -e $work/stop ]; do
			dd if=/dev/urandom of=$d/w$w bs=65536 count=32 conv=notrunc,fsync \
				2>/dev/null || break
		  done ) &
	done
	( while ! [ -e $work/stop ]; do
		cat $d/w1 >/dev/null 2>&1
		truncate -s 1048576 $d/w2 2>/dev/null
		chmod 600 $d/w1 2>/dev/null; chmod 644 $d/w1 2>/dev/null
		[ -d $d ] || break
	  done ) &
	fio --name=mm --directory=$d --filename=mmap.dat --size=4M --bs=4k \
		--ioengine=mmap --rw=randwrite --fsync=8 --time_based --runtime=600 \
		>$work/fio.log 2>&1 &
}

# The PIDs of the processes whose cwd, files or mappings are under $1
users_of() {
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = $$ ] && continue
		if ls -l $p/fd 2>/dev/null | grep -q " $1/" ||
		   grep -q " $1/" $p/maps 2>/dev/null; then
			echo $pid
		fi
	done
}

i=0
for fs in $fss; do
	i=$((i + 1))
	rm -rf $work; mkdir -p $work/mnt
	conns0=$(ls $FUSECTL)
	case $fs in
	bindfs)
		mkdir -p $work/src
		bindfs --multithreaded $work/src $work/mnt >$work/fs.log 2>&1;;
	overlay)
		mkdir -p $work/lower $work/upper $work/ovwork
		fuse-overlayfs -o threaded=1,lowerdir=$work/lower,upperdir=$work/upper,workdir=$work/ovwork \
			$work/mnt >$work/fs.log 2>&1;;
	esac
	if ! grep -q " $work/mnt " /proc/mounts; then
		echo "not ok $i $fs: could not mount"; sed 's/^/# /' $work/fs.log; continue
	fi
	# The connection: the fusectl directory the mount added
	conn=$(ls $FUSECTL | while read -r c; do
		echo " $conns0 " | tr '\n' ' ' | grep -q " $c " || echo $c
	done | head -n 1)
	server=$(pidof $( [ $fs = overlay ] && echo fuse-overlayfs || echo bindfs ) | cut -d' ' -f1)
	wb0=$(vmstat nr_writeback); wbt0=$(vmstat nr_writeback_temp)
	users $work/mnt
	migrate_loop & mig=$!
	sleep $RUN
	nthr=$(ls /proc/$server/task 2>/dev/null | wc -l)
	echo "# $fs: server $server ($nthr threads), connection $conn: SIGKILL mid-operation"
	kill -9 $server
	why=""
	# Everyone using the mount must get an error and go.
	t=0
	while [ -n "$(users_of $work/mnt)" ] && [ $t -lt $WAIT ]; do
		sleep 1; t=$((t + 1))
	done
	touch $work/stop
	left=$(users_of $work/mnt)
	for p in $left; do
		st=$(cut -d' ' -f3 /proc/$p/stat 2>/dev/null)
		echo "# still using the mount after ${t} s: $p $(cat /proc/$p/comm 2>/dev/null)" \
			"state $st wchan $(cat /proc/$p/wchan 2>/dev/null)"
		sed 's/^/#     /' /proc/$p/stack 2>/dev/null | head -n 12
		[ "$st" = D ] && why="$why $p in D state;"
	done
	[ -n "$left" ] && kill -9 $left 2>/dev/null
	wait $mig
	sleep 1
	echo "# users gone after ${t} s; fio: $(grep -m1 -o 'err=[ 0-9]*' $work/fio.log)"
	umount $work/mnt 2>/dev/null || umount -l $work/mnt 2>/dev/null
	grep -q " $work/mnt " /proc/mounts && why="$why still mounted;"
	t=0
	while [ -d $FUSECTL/$conn ] && [ $t -lt $WAIT ]; do sleep 1; t=$((t + 1)); done
	[ -d $FUSECTL/$conn ] && why="$why connection $conn still in fusectl;"
	# Writeback of the dead connection must end (within the slack of
	# other writeback in flight meanwhile: XFS under the server).
	t=0
	while [ $t -lt $WAIT ]; do
		wb=$(vmstat nr_writeback); wbt=$(vmstat nr_writeback_temp)
		[ $wb -le $((wb0 + 16)) ] && [ $wbt -le $wbt0 ] && break
		sleep 1; t=$((t + 1))
	done
	echo "# nr_writeback $wb0 -> $wb, nr_writeback_temp $wbt0 -> $wbt (${t} s)"
	[ $wb -le $((wb0 + 16)) ] || why="$why nr_writeback stays at $wb (was $wb0);"
	[ $wbt -le $wbt0 ] || why="$why nr_writeback_temp stays at $wbt (was $wbt0);"
	# The memory the mount used must be migratable again.
	nb=0; bad=""
	for b in $MEM/memory*; do
		[ "$(cat $b/valid_zones 2>/dev/null)" = Movable ] || continue
		[ "$(cat $b/state)" = online ] || continue
		nb=$((nb + 1))
		if timeout $WAIT sh -c "echo offline > $b/state" 2>/dev/null; then
			echo online_movable > $b/state
		else
			bad="$bad ${b##*/}"
		fi
	done
	echo "# offlined and onlined $nb ZONE_MOVABLE blocks${bad:+; failed:$bad}"
	[ -n "$bad" ] && why="$why blocks not offlined:$bad;"
	if [ -z "$why" ]; then
		echo "ok $i $fs"
	else
		echo "not ok $i $fs:$why"
	fi
	rm -f $work/stop
done
rm -rf $work
