#!/usr/bin/env bash
# Build the guest kernel out of tree: tinyconfig + config fragments, with ccache.
#   SRC=<tree> KOBJ=<objdir> FRAGMENTS="guest.config debug.config" scripts/kernel.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SRC=${SRC:-$TREE}
FRAGMENTS=${FRAGMENTS:-guest.config debug.config}
# Symbols the source tree does not know (e.g. the base tree and options the series adds)
# are ignored when ALLOW_UNKNOWN=1; otherwise every fragment line must stick.
ALLOW_UNKNOWN=${ALLOW_UNKNOWN:-0}
need_cmds gcc make bc bison flex perl
[ -f "$SRC/Makefile" ] || die "no kernel tree at $SRC -- run 'make tree'"

cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=guest KBUILD_BUILD_HOST=guest
kmake() { make -C "$SRC" O="$KOBJ" ARCH=x86_64 CC="$cc" HOSTCC="$cc" "$@"; }

mkdir -p "$KOBJ" "$BUILD/logs"
log=$BUILD/logs/kernel-$(basename "$KOBJ").log
frags=()
for f in $FRAGMENTS; do frags+=("$TOP/config/$f"); done

# --- configuration: regenerate, replace .config only when it changes
cfgdir=$(mktemp -d)
trap 'rm -rf "$cfgdir"' EXIT
make -s -C "$SRC" O="$cfgdir" ARCH=x86_64 tinyconfig >/dev/null
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$cfgdir" "$cfgdir/.config" "${frags[@]}" >/dev/null
make -s -C "$SRC" O="$cfgdir" ARCH=x86_64 olddefconfig >/dev/null
bad=()
# Later fragments override earlier ones: check each symbol's last setting.
declare -A want=()
order=()
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue;; esac
	[ -n "${want[${line%%=*}]+x}" ] || order+=("${line%%=*}")
	want[${line%%=*}]=${line#*=}
done < <(cat "${frags[@]}")
for sym in "${order[@]}"; do
	val=${want[$sym]} line="$sym=${want[$sym]}"
	if [ "$val" = n ]; then
		grep -qx "$sym=[ym]" "$cfgdir/.config" && bad+=("$line (got y)")
	elif ! grep -qxF "$line" "$cfgdir/.config"; then
		if [ "$ALLOW_UNKNOWN" = 1 ] && ! grep -rqs --include='Kconfig*' "^\s*\(menu\)\?config ${sym#CONFIG_}\$" "$SRC"; then
			continue
		fi
		bad+=("$line (got: $(grep -E "^$sym=|# $sym is not set" "$cfgdir/.config" || echo absent))")
	fi
done
if [ ${#bad[@]} -gt 0 ]; then
	printf '  %s\n' "${bad[@]}" >&2
	die "config fragment options did not stick (missing dependency or renamed symbol)"
fi
if ! cmp -s "$cfgdir/.config" "$KOBJ/.config"; then
	cp "$cfgdir/.config" "$KOBJ/.config"
	note "kernel config updated ($FRAGMENTS)"
fi

# --- build, with a progress line every 250 objects
note "building $(basename "$KOBJ")/arch/x86/boot/bzImage with $JOBS jobs (log: $log)"
start=$SECONDS n=0
set +e
kmake -j"$JOBS" bzImage 2>&1 | tee "$log" | while IFS= read -r l; do
	case $l in
	*" CC "*|*" AS "*) n=$((n + 1))
		[ $((n % 250)) -eq 0 ] && printf '  [kernel] %5d objects, %3ds\n' "$n" $((SECONDS - start));;
	*error:*|*Error\ *) printf '%s\n' "$l";;
	esac
done
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
	grep -E 'error|Error' "$log" | head -n 30 >&2
	die "kernel build failed (full log: $log)"
fi
note "kernel built in $((SECONDS - start))s: $KOBJ/arch/x86/boot/bzImage"

# --- the selftests' test modules, for a kernel with CONFIG_MODULES: built in
# $KOBJ/test_modules (not in the source tree) and packed as a cpio archive
# that scripts/guest.sh appends to the initramfs of this kernel's boots, at
# /lib/modules/<release>/ (a module is built for one kernel)
mods=$KOBJ/test-modules.cpio.gz
rm -f "$mods"
if grep -qx CONFIG_MODULES=y "$KOBJ/.config"; then
	msrc=$SRC/tools/testing/selftests/mm/test_modules
	[ -d "$msrc" ] || die "no $msrc in the tree"
	rel=$(cat "$KOBJ/include/config/kernel.release")
	rm -rf "$KOBJ/test_modules" "$KOBJ/test_modules.root"
	cp -r "$msrc" "$KOBJ/test_modules"
	kmake -j"$JOBS" modules >>"$log" 2>&1 || die "kernel modules failed (log: $log)"
	kmake M="$KOBJ/test_modules" modules >>"$log" 2>&1 ||
		{ grep -E 'error|warning' "$log" | tail -n 20 >&2; die "test modules failed (log: $log)"; }
	mkdir -p "$KOBJ/test_modules.root/lib/modules/$rel"
	cp "$KOBJ"/test_modules/*.ko "$KOBJ/test_modules.root/lib/modules/$rel/"
	(cd "$KOBJ/test_modules.root" && find . | cpio -o -H newc --quiet | gzip -9) > "$mods"
	note "test modules for $rel: $(cd "$KOBJ/test_modules" && echo *.ko) -> $mods"
fi
