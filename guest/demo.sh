#!/bin/sh
# The demo, narrated (guest side). Runs the series' reproducer and explains it.
say() { printf '\n\033[1m>>> %s\033[0m\n' "$*"; }
more() { printf '\033[1m    %s\033[0m\n' "$*"; }
say "A QEMU guest: 1 GiB of boot memory and a 512 MiB ACPI pc-dimm onlined to ZONE_MOVABLE."
for b in /sys/devices/system/memory/memory*; do
	z=$(cat $b/valid_zones 2>/dev/null)
	[ "$z" = Movable ] && echo "    ${b##*/}: $(cat $b/state), zone $z"
done
say "ZONE_MOVABLE promises that everything in it can be migrated, so these blocks can be offlined."
say "Now a FUSE server that never answers READ. A reader's page-cache folio stays locked for I/O."
say "hostile_fuse_read: offline_answering is the control (a server that answers),"
more "read_never_answered the server that never answers, offline_repeated twenty offlines in a"
more "row, after_cancel.* what the server does afterwards; hostile_fuse_cma: the same through CMA;"
more "hostile_fuse_write: a server that never answers WRITE, with the writeback cache: the folios"
more "stay under writeback (the series writes back from the page cache, without 6.12's temporary copies)."
say "Watch for the folio's block, the reader's state, the report line naming the folio"
more "(reason and holder, from /sys/kernel/debug/migratability/blockers), and the offline time."
[ -r /proc/sys/vm/migrate_untrusted_io_wait_ms ] &&
	more "vm.migrate_untrusted_io_wait_ms = $(cat /proc/sys/vm/migrate_untrusted_io_wait_ms)"
dmesg -c >/dev/null
rc=0
for t in hostile_fuse_read hostile_fuse_cma hostile_fuse_write; do
	HOSTILE_FUSE_DEADLINE=${DEMO_DEADLINE:-10} $t || rc=$?
done
if [ -r /sys/kernel/debug/migratability/summary ]; then
	say "What the migratability layer counted (per reason, per zone, per CMA area):"
	sed 's/^/    /' /sys/kernel/debug/migratability/summary
	grep '^migrate_blocked_\|^migrate_unblocked' /proc/vmstat | grep -v ' 0$' | sed 's/^/    /'
fi
say "What migration had the FUSE server's READs and WRITEs give up (kernel messages, first lines):"
dmesg | grep 'owner' | grep -m 4 'read_io' | sed 's/^/    /'
dmesg | grep 'owner' | grep -m 2 'writeback' | sed 's/^/    /'
if [ -r /sys/kernel/debug/migratability/pins ]; then
	say "Long-term pins: who holds them. A process registers 16 pages as io_uring fixed buffers."
	more "Pinners are named with records on, off by default (they cost every pin call):"
	more "echo 3 > /sys/kernel/debug/migratability/enabled (2: records, 3: and call chains)"
	echo 3 > /sys/kernel/debug/migratability/enabled
	longterm_pin_bench -p 16 >/tmp/pinner.out 2>&1 &
	pinner=$!
	i=0
	while ! grep -q pinned /tmp/pinner.out && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	sed 's/^/    /' /tmp/pinner.out
	more "/sys/kernel/debug/migratability/pins names the pinner and its call chain (first lines):"
	head -n 14 /sys/kernel/debug/migratability/pins | sed 's/^/    /'
	kill $pinner; wait $pinner 2>/dev/null
	sleep 0.5
	more "After the pinner is killed: $(grep -c '^pfn=' /sys/kernel/debug/migratability/pins) folio(s) named."
	say "longterm_pin: pins move out of ZONE_MOVABLE first and are named until unpinned (gup_test,"
	more "io_uring, a killed pinner, fork); a pin over pages a pipe keeps referenced fails with EBUSY"
	more "(6.12: ENOMEM) after bounded retries, and succeeds if the reference goes meanwhile."
	longterm_pin 2>&1 | grep -v '^TAP\|^1\.\.' | sed 's/^/    /'
fi
say "Summary:"
if [ -r /proc/sys/vm/migrate_untrusted_io_wait_ms ]; then
	more "read_never_answered: the report names the folio the server holds: read_io,"
	more "holder=fuse:CONN ino=N; the offline that sleeps in D state forever on plain 6.12 finishes:"
	more "once the READ is older than the bound, migration takes the folio out of it"
	more "(->unblock_folio), drops it from the page cache, and the reader reads it again. The"
	more "messages above name what was cancelled. offline_repeated, after_cancel.*, cma_alloc.*:"
	more "twenty offlines in a row, a CMA allocation over a held folio, and whatever the server does"
	more "later (late answer, EIO, abort, splice) no reader sees bytes the server did not send."
	more "hostile_fuse_write: WRITEs the server holds keep their folios under writeback; the report"
	more "says writeback, holder=fuse:CONN; the offline still finishes within the bound: FUSE copies"
	more "the held page into a page of the request's own and ends the folio's writeback (\"evacuated\""
	more "in /sys/fs/fuse/connections/N/writeback). A WRITE the server has not read yet takes the new"
	more "folio instead, at once, with no copy (write_unread.no_waiter); an fsync waiting on it gets"
	more "the copy (write_unread.fsync_waiter). When the server answers at last, it has stored every"
	more "page once, in the order written; a resend (write_end.resend) comes from the copies, and so"
	more "does the rest of a copy the server's read fault stalled halfway (fuse_write.write_uffd)."
else
	more "Plain 6.12: read_never_answered is not done at the deadline; the offliner sleeps in"
	more "folio_lock() (D state) until the connection is aborted, and nothing else can end it."
	more "hostile_fuse_write: 6.12 copies every page it writes back into a temporary page, the cost"
	more "the series removes (make bench: fuse_write_*_MBps)."
fi
[ $rc -eq 0 ] || more "(a hostile_fuse program exited with status $rc)"
