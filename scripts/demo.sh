#!/usr/bin/env bash
# make demo: build what is missing, boot the series kernel, run the narrated scenario.
# Every long step shows that it is alive: the kernel build's object counts
# (kernel.sh's "[kernel] N objects" lines), and a line with the time spent
# whenever a step has printed nothing for HEARTBEAT (30) seconds. On a
# terminal these share one status line that is updated in place.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
HEARTBEAT=${HEARTBEAT:-30}
tty=0
[ -t 1 ] && tty=1
console=$BUILD/guest-${TAG:-demo}.console

# progress LABEL MODE: copy a step's stdout (stdin here) to stdout, and
# keep the user informed while the step is silent.
#   MODE all:    every line is printed.
#   MODE kernel: as all, and kernel.sh's "[kernel] N objects" lines become
#                the status line on a terminal. Returns 1 if no other line
#                came, as the `grep -v '^\s*\[kernel\]'` this replaces did.
#   MODE guest:  as all, without the guest's GUEST-DONE marker; returns 1 if
#                no other line came, as the `grep -v '^GUEST-DONE'` did.
#   MODE quiet:  lines are dropped (the step's stdout went to /dev/null).
progress() {
	local label=$1 mode=$2 start=$SECONDS last=$SECONDS line part='' rc n=0 status='' lastp='' el extra
	while :; do
		rc=0
		IFS= read -r -t 1 line || rc=$?
		if [ $rc -gt 128 ]; then	# timeout: keep any partial line for the next read
			part+=$line
			el=$((SECONDS - start))
			if [ $tty = 1 ]; then
				{ [ $el -gt 0 ] && [ $((el % 5)) = 0 ]; } || continue
			else
				[ $((SECONDS - last)) -ge "$HEARTBEAT" ] || continue
				last=$SECONDS
			fi
			extra=
			[ -n "$lastp" ] && extra="; last: $lastp"
			[ "$mode" = guest ] && [ -f "$console" ] &&
				extra="; console: $(wc -l < "$console") lines"
			if [ $tty = 1 ]; then
				status=$(printf '  [%s] %d s%s' "$label" "$el" "$extra")
				printf '\r\033[K%s' "$status"
			else
				printf '  [%s] still running: %d s%s\n' "$label" "$el" "$extra"
			fi
			continue
		fi
		line=$part$line part=''
		if [ $rc -ne 0 ] && [ -z "$line" ]; then
			break	# end of input
		fi
		last=$SECONDS
		if [ "$mode" = quiet ] || { [ "$mode" = guest ] && [[ $line == GUEST-DONE* ]]; }; then
			:
		elif [ "$mode" = kernel ] && [[ $line =~ ^[[:space:]]*\[kernel\] ]]; then
			lastp=$(printf '%s' "$line" | sed 's/^ *\[kernel\] *//')
			if [ $tty = 1 ]; then
				status=$line
				printf '\r\033[K%s' "$status"
			else
				printf '%s\n' "$line"
			fi
		else
			emit "$line"
		fi
		[ $rc -eq 0 ] || break	# a last line without a newline
	done
	[ -n "$status" ] && printf '\r\033[K'
	case $mode in kernel|guest) [ $n -gt 0 ];; esac
}
# emit LINE: print a line of the step's output below (in place of) the status line
emit() {
	[ -n "$status" ] && { printf '\r\033[K'; status=; }
	printf '%s\n' "$1"
	n=$((n + 1))
}

if [ -f "$KOBJ/arch/x86/boot/bzImage" ]; then
	kest="built before: only what changed (seconds; ~5 min after a widely included header)"
else
	kest="not built yet: 15-18 min on 2 cores with a cold ccache, far less with ccache warm"
fi
if [ -d "$TREE/.git" ]; then
	trest="present: used as it is"
else
	trest="about a minute to unpack the base, then git am of the series"
fi
cat <<MSG
== make demo: what it does, and how long each step takes on a cold 2-core machine (TCG, no KVM)
   deps       apt-get what is missing (root)          ~2 min cold; nothing to do once installed
   tree       build/linux: base + the series          $trest
   kernel     build/kobj bzImage + test modules       $kest
   selftests  the series' kselftests, static          ~25 s cold
   initramfs  busybox, guest scripts, the tests       a few seconds
   guest      boot under QEMU, the narrated scenario  boot about a minute, then the narration (deadline ${DEADLINE:-600} s)
   A fresh machine took 23.5 min in all, 17.6 of them the kernel build. Silent steps print a line every ${HEARTBEAT} s.
MSG
"$TOP/scripts/deps.sh" | progress deps all
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh" | progress tree all
"$TOP/scripts/kernel.sh" | progress kernel kernel || exit 1
"$TOP/scripts/selftests.sh" | progress selftests quiet
"$TOP/scripts/initramfs.sh" | progress initramfs all
cat <<'MSG'

==============================================================================
 Demo: un-migratable memory. The guest boots (about a minute under TCG), then
 narrates. The kernel console goes to build/guest-demo.console.
==============================================================================
MSG
"$TOP/scripts/guest.sh" demo "${DEADLINE:-600}" migratability=record | progress guest guest
