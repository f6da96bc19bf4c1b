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
say "hostile_fuse: (1) control with an answering server, (2) the server that never answers."
say "Watch for the folio's block, the reader's state, the report line naming the folio"
more "(reason and holder, from /sys/kernel/debug/migratability/blockers), and the offline at the deadline."
dmesg -c >/dev/null
hostile_fuse -t "${DEMO_DEADLINE:-10}"
rc=$?
if [ -r /sys/kernel/debug/migratability/summary ]; then
	say "What the migratability layer counted (per reason, per zone, per CMA area):"
	sed 's/^/    /' /sys/kernel/debug/migratability/summary
	grep '^migrate_blocked_' /proc/vmstat | grep -v ' 0$' | sed 's/^/    /'
fi
say "Kernel messages during the demo:"
dmesg | tail -n 15 | sed 's/^/    /'
if [ $rc -eq 0 ]; then
	say "Summary: test 2 shows the report naming the folio the server holds: read_io,"
	more "holder=fuse:CONN ino=N (CONN is the fusectl connection to look at, or to abort)."
	more "Test 3: the offline is not done at the deadline. On plain 6.12 it sleeps in folio_lock()"
	more "(D state) until the connection is aborted, and nothing else can end it. With the series it"
	more "waits at most vm.migrate_untrusted_io_wait_ms per folio (stack: migrate_wait_bounded),"
	more "warns which folios are in the way (above), and test 4 shows SIGINT ends it at once."
	more "Cancelling the READ so that the offline finishes is the next step (issue 4)."
fi
