#!/usr/bin/env bash
# The series as topic series, ready to mail; nothing is sent. For each topic of
# the topic map ($TOP/topics), build/mail/<nn>-<name>/ gets:
#   - the topic's patches renumbered 1..N (git format-patch, in a private clone),
#   - 0000-cover-letter.patch: topics.d/<name>.txt, base-commit, prerequisites,
#     shortlog, diffstat,
#   - To:/Cc: headers in every mail from the tree's scripts/get_maintainer.pl,
#   - send-email.cmd: the `git send-email --dry-run` command line.
# Each topic is applied with `git am -3` on the base plus its prerequisite topics
# in $BUILD/mail/.work (a clone sharing the tree's objects; the tree is only read).
#   MAIL_BUILD=1  also build each topic that applies, feature on and off
#                 (scripts/kernel.sh, SRC=the clone, KOBJ=build/kobj-mail-<name>-<mode>)
#   TOPICS=FILE   another topic map
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_cmds git perl awk realpath
[ -d "$TREE/.git" ] || die "no tree at $TREE -- run 'make tree'"
TOPICS=${TOPICS:-$TOP/topics}
[ -f "$TOPICS" ] || die "no topic map at $TOPICS"
OUT=$BUILD/mail W=$BUILD/mail/.work src=$BUILD/mail/.src
base=$(tree_base)
mkdir -p "$OUT/.logs"

# --- the series as the tree has it: patch n is the n-th commit above the base
export_to "$src"
diff -r -q -x 0000-cover-letter.patch "$src" "$TOP/patches" >/dev/null 2>&1 ||
	warn "$TREE differs from patches/ (make export?): the mails are made from the tree's commits"
mapfile -t commit < <(git -C "$TREE" rev-list --reverse "$base..HEAD")
mapfile -t pfile < "$src/series"
total=${#commit[@]}
[ "$total" -eq "${#pfile[@]}" ] || die "export of the tree: ${#pfile[@]} files for $total commits"

# --- the topic map
ids=() names=() prefixes=() pats=() offs=() titles=() pre=()
declare -A idx=() owner=()
while IFS='|' read -r id name prefix req pat off title; do
	[ -n "$title" ] || die "$TOPICS: topic '$id' has not 7 fields"
	[[ $id =~ ^T[0-9]+$ && $name =~ ^[a-z0-9-]+$ ]] || die "$TOPICS: bad id or name: '$id' '$name'"
	[[ $prefix = PATCH || $prefix = "PATCH RFC" ]] || die "$TOPICS: $id: prefix '$prefix'"
	[ -z "${idx[$id]+x}" ] || die "$TOPICS: $id twice"
	i=${#ids[@]} p=""
	[ "$req" != - ] || req=""
	for r in $req; do
		[ -n "${idx[$r]+x}" ] || die "$TOPICS: $id requires $r, which is not on an earlier line"
		p+=" ${pre[${idx[$r]}]} ${idx[$r]}"
	done
	# shellcheck disable=SC2086 # a list of indexes
	pre[i]=$(printf '%s\n' $p | sort -nu | xargs)
	[ "$pat" != - ] || pat=""
	nums=()
	for n in $pat; do
		if ! [[ $n =~ ^[0-9]+$ ]] || [ $((10#$n)) -lt 1 ] || [ $((10#$n)) -gt "$total" ]; then
			die "$TOPICS: $id: no patch '$n' (the series has $total)"
		fi
		n=$((10#$n))
		[ -z "${owner[$n]+x}" ] || die "$TOPICS: patch $n is in ${owner[$n]} and $id"
		owner[$n]=$id nums+=("$n")
	done
	idx[$id]=$i
	ids+=("$id") names+=("$name") prefixes+=("$prefix") pats+=("${nums[*]}")
	offs+=("$([ "$off" = - ] || echo "$off")") titles+=("$title")
done < <(awk -F'|' -v OFS='|' '/^[[:space:]]*(#|$)/ {next}
	{for (i = 1; i <= NF; i++) gsub(/^[ \t]+|[ \t]+$/, "", $i); print}' "$TOPICS")
[ ${#ids[@]} -gt 0 ] || die "$TOPICS: no topics"
left=()
for ((n = 1; n <= total; n++)); do [ -n "${owner[$n]+x}" ] || left+=("$n"); done
[ ${#left[@]} -eq 0 ] || warn "patches in no topic (not mailed): ${left[*]}"

# --- the private clone
if [ -d "$W" ] && ! git -C "$W" cat-file -e "$base^{commit}" 2>/dev/null; then rm -rf "$W"; fi
if [ ! -d "$W" ]; then
	note "private clone of the tree in $W (the first checkout of the base takes a while)"
	git clone -q --shared --no-checkout "$TREE" "$W"
fi
wgit() { git -C "$W" -c core.abbrev=12 -c diff.noprefix=false "$@"; }
reset_work() {
	wgit am --abort >/dev/null 2>&1 || true
	wgit checkout -q -f --detach "$base"
	wgit clean -q -f -d
}
# am_nums N...: `git am -3` patches N... on the clone's HEAD; if one fails, print
# its number and the files in conflict, leave HEAD before it and return 1
am_nums() {
	local n k c files=()
	for n in "$@"; do files+=("$src/${pfile[n - 1]}"); done
	[ ${#files[@]} -gt 0 ] || return 0
	wgit am -3 "${files[@]}" >>"$log" 2>&1 && return 0
	k=$(cat "$W/.git/rebase-apply/next" 2>/dev/null || echo 1)
	c=$(wgit diff --name-only --diff-filter=U | xargs)
	wgit am --abort >/dev/null 2>&1 || true
	shift $((k - 1))
	echo "$1 $c"
	return 1
}
# relfrag NAME SYMBOL...: a fragment setting each SYMBOL to n, named as kernel.sh
# takes fragments (a path relative to config/)
relfrag() {
	local f=$OUT/.config/$1.config s
	mkdir -p "${f%/*}"
	shift
	for s in "$@"; do echo "CONFIG_$s=n"; done > "$f"
	realpath -m --relative-to="$TOP/config" "$f"
}
# build_topic: the clone's HEAD (a topic that applied), feature on and off
build_topic() {
	local mode frags res=""
	for mode in on off; do
		frags="guest.config debug.config"
		# kernel.sh builds test_modules when CONFIG_MODULES=y (debug.config), from
		# the tree: without them (before patch 31) the kernel is built without modules
		[ -d "$W/tools/testing/selftests/mm/test_modules" ] ||
			frags+=" $(relfrag nomodules MODULES MODULE_UNLOAD)"
		if [ $mode = off ]; then
			[ -n "${offs[i]}" ] || { res+=" off:-"; continue; }
			# shellcheck disable=SC2086 # a list of symbols
			frags+=" $(relfrag "$name-off" ${offs[i]})"
		fi
		note "$id $name: building, feature $mode ($frags)" >&2
		if SRC=$W KOBJ=$BUILD/kobj-mail-$name-$mode FRAGMENTS=$frags ALLOW_UNKNOWN=1 \
			"$TOP/scripts/kernel.sh" >"$OUT/.logs/$nn-$name-build-$mode.log" 2>&1; then
			res+=" $mode:ok"
		else
			res+=" $mode:FAIL"
		fi
	done
	echo "${res# }"
}
# lines: numstat on stdin -> "+kernel/-kernel +doc/-doc +tests/-tests"
lines() {
	awk '{c = 1} $3 ~ /^Documentation\// {c = 2} $3 ~ /^tools\/testing\// {c = 3}
	$1 != "-" {a[c] += $1; d[c] += $2}
	END {printf "%-12s %-11s %s", "+" a[1]+0 "/-" d[1]+0, "+" a[2]+0 "/-" d[2]+0, "+" a[3]+0 "/-" d[3]+0}'
}
# header NAME ADDR...: a folded "NAME: a,\n    b" header line
header() {
	local a sep="$1: "
	shift
	[ $# -gt 0 ] || return 0
	for a in "$@"; do printf '%s%s' "$sep" "$a"; sep=$',\n    '; done
	printf '\n'
}
gm() {
	(cd "$TREE" && perl scripts/get_maintainer.pl --no-rolestats --no-git --no-git-fallback "$@") \
		2>>"$OUT/.logs/$nn-$name.get_maintainer.log"
}

rows=()
for i in "${!ids[@]}"; do
	id=${ids[i]} name=${names[i]} prefix=${prefixes[i]}
	nn=$(printf '%02d' "${id#T}")
	dir=$OUT/$nn-$name log=$OUT/.logs/$nn-$name.am.log
	read -r -a nums <<< "${pats[i]}"
	N=${#nums[@]}
	rm -rf "$dir" "$log" "$OUT/.logs/$nn-$name.get_maintainer.log"
	if [ "$N" -eq 0 ]; then
		note "$id $name: empty topic, no patches yet: nothing to mail"
		rows+=("$(printf '%-3s %-15s %3d  %-34s %s' "$id" "$name" 0 "- (empty)" "")")
		continue
	fi
	mkdir -p "$dir"
	: > "$log"

	# --- apply: prerequisite topics, then the topic
	reset_work
	how="" applies=no conflicts=""
	for j in ${pre[i]}; do
		read -r -a pn <<< "${pats[j]}"
		out=$(am_nums "${pn[@]}") || {
			read -r bad conflicts <<< "$out"
			how="no: ${ids[j]} fails at patch $bad"
			break
		}
	done
	if [ -z "$how" ]; then
		pretip=$(wgit rev-parse HEAD)
		if out=$(am_nums "${nums[@]}"); then
			applies=yes how=yes
		else
			read -r bad conflicts <<< "$out"
			for k in "${!nums[@]}"; do [ "${nums[k]}" = "$bad" ] && break; done
			how="no: fails at patch $bad ($((k + 1))/$N)"
		fi
	fi
	# the mails are of the applied commits, or else of the series' own
	if [ $applies = yes ]; then
		mapfile -t cs < <(wgit rev-list --reverse "$pretip..HEAD")
		wgit branch -q -f "mail/$name" HEAD
		numstat=$(wgit diff --numstat "$pretip" HEAD)
	else
		wgit branch -q -D "mail/$name" >/dev/null 2>&1 || true
		cs=()
		for n in "${nums[@]}"; do cs+=("${commit[n - 1]}"); done
		numstat=$(wgit show --numstat --format= "${cs[@]}")
	fi

	# --- the mails
	for k in "${!cs[@]}"; do
		wgit format-patch -q -n --zero-commit --no-signature --subject-prefix="$prefix" \
			--start-number $((k + 1)) -o "$dir" -1 "${cs[k]}"
	done
	mails=("$dir"/[0-9][0-9][0-9][0-9]-*.patch)
	for f in "${mails[@]}"; do
		k=${f##*/} k=$((10#${k%%-*}))
		sed -i "0,/^Subject: \[[^]]*\]/s//Subject: [$prefix $k\/$N]/" "$f"
	done
	mapfile -t to < <(gm --no-l "${mails[@]}")
	mapfile -t cc < <(gm --no-m --no-r "${mails[@]}")
	cover=$dir/0000-cover-letter.patch
	{
		echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
		wgit log -1 --format='From: %an <%ae>%nDate: %aD' "${cs[-1]}"
		printf 'Subject: [%s 0/%d] %s\n\n' "$prefix" "$N" "${titles[i]}"
		if [ -f "$TOP/topics.d/$name.txt" ]; then cat "$TOP/topics.d/$name.txt"; else echo "cover text: TODO"; fi
		printf '\nbase-commit: %s\n' "$base"
		for j in ${pre[i]}; do
			printf 'prerequisite: topic %s %s: %s%s\n' "${ids[j]}" "${names[j]}" "${titles[j]}" \
				"$([ -n "${pats[j]}" ] || echo ' (empty)')"
		done
		[ $applies = yes ] || printf 'note: does not apply on the base and its prerequisites (%s)\n' "${how#no: }"
		echo
		mapfile -t rcs < <(printf '%s\n' "${cs[@]}" | tac)  # shortlog reverses them
		wgit shortlog -w72,2,4 --no-walk "${rcs[@]}"
		if [ $applies = yes ]; then
			wgit diff --stat=72 --summary "$pretip" HEAD
		else
			awk '$1 != "-" {a[$3] += $1; d[$3] += $2}
			!($3 in s) {s[$3] = 1; f[++n] = $3; if (length($3) > w) w = length($3)}
			END {for (k = 1; k <= n; k++) {p = f[k]; printf " %-*s | +%d -%d\n", w, p, a[p], d[p]; A += a[p]; D += d[p]}
			printf " %d files changed, %d insertions(+), %d deletions(-) (summed over the patches)\n", n, A, D}' \
				<<< "$numstat"
		fi
		echo
	} > "$cover"
	hdrs=$(header To "${to[@]}"; header Cc "${cc[@]}")
	[ -z "$hdrs" ] || hdrs+=$'\n'
	for f in "$cover" "${mails[@]}"; do
		HDR=$hdrs awk '!done && /^$/ {printf "%s", ENVIRON["HDR"]; done = 1} 1' "$f" > "$f.tmp"
		mv "$f.tmp" "$f"
	done
	cmd=(git send-email --dry-run --confirm=never --thread --no-chain-reply-to)
	for a in "${to[@]}"; do a=${a##*<}; cmd+=("--to=${a%%>*}"); done
	for a in "${cc[@]}"; do a=${a##*<}; cmd+=("--cc=${a%%>*}"); done
	printf '%q ' "${cmd[@]}" > "$dir/send-email.cmd"
	printf '%s/*.patch\n' "${dir#"$TOP"/}" >> "$dir/send-email.cmd"
	note "$id $name: $N patches -> ${dir#"$TOP"/}/ (applies: $how; To: ${#to[@]}, Cc: ${#cc[@]})"
	[ -z "$conflicts" ] || echo "   conflicts: $conflicts (${log#"$TOP"/})"
	cat "$dir/send-email.cmd"

	built=""
	[ "${MAIL_BUILD:-0}" != 1 ] || [ $applies != yes ] || built=$(build_topic)
	rows+=("$(printf '%-3s %-15s %3d  %-34s %s%s' "$id" "$name" "$N" "$how" \
		"$(lines <<< "$numstat")$([ $applies = yes ] || echo '*')" "${built:+  build: $built}")")
done
reset_work

echo
note "topics (lines: kernel incl. MAINTAINERS, Documentation, tools/testing; + added/- removed)"
printf '%-3s %-15s %3s  %-34s %-12s %-11s %s\n' id name N "applies on base + prerequisites" kernel doc tests
printf '%s\n' "${rows[@]}"
[[ "${rows[*]}" != *"*"* ]] || echo "* topic did not apply: lines summed over its patches as the series has them"
