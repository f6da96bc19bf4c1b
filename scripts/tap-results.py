#!/usr/bin/env python3
"""Turn the guest's kselftest TAP into result lines for `make check`.

Usage: tap-results.py TAP_FILE PREFIX >> results.txt

Each subtest of a kselftest binary ("# ok N desc", "# not ok N desc" with
optional "# SKIP"/"# XFAIL") becomes one line: PASS|FAIL|SKIP|XFAIL NAME.
A binary whose top-level result has no subtests (or failed without a failing
subtest: crash, timeout, bad exit) gives a line of its own.
"""
import re
import sys

TOP = re.compile(r'^(not )?ok (\d+) (\S+)(?: # (\S+)(.*))?$')
SUB = re.compile(r'^# (not )?ok (\d+) ?(.*?) ?(?:# (SKIP|XFAIL|TODO)\b ?(.*))?$')


def verdict(notok, directive):
    if directive == 'SKIP':
        return 'SKIP'
    if directive == 'XFAIL':
        return 'XFAIL'
    return 'FAIL' if notok else 'PASS'


def main():
    path, prefix = sys.argv[1], sys.argv[2]
    subs, out, seen = [], [], set()
    planned = None
    for line in open(path, errors='replace'):
        line = line.rstrip('\r\n')
        m = re.match(r'^1\.\.(\d+)$', line)
        if m and planned is None:
            planned = int(m.group(1))
            continue
        m = SUB.match(line)
        if m:
            desc, why = m.group(3).strip(), (m.group(5) or '').strip()
            if not desc:    # kselftest prints "ok N # XFAIL <description>"
                desc, why = why, ''
            subs.append((verdict(m.group(1), m.group(4)), desc, why))
            continue
        m = TOP.match(line)
        if not m:
            continue
        name = m.group(3)
        seen.add(int(m.group(2)))
        top = verdict(m.group(1), m.group(4))
        if m.group(4) == 'TIMEOUT' or (m.group(4) or '').startswith('exit'):
            top = 'FAIL'
        for v, desc, why in subs:
            out.append(f'{v} {prefix}{name}: {desc}' + (f' # {why}' if why else ''))
        if not subs or (top == 'FAIL' and not any(v == 'FAIL' for v, _, _ in subs)):
            detail = ((m.group(4) or '') + (m.group(5) or '')).strip()
            out.append(f'{top} {prefix}{name}' + (f' # {detail}' if detail else ''))
        subs = []
    if planned is None:
        out.append(f'FAIL {prefix}tap # no TAP plan in {path}')
    else:
        for n in range(1, planned + 1):
            if n not in seen:
                out.append(f'FAIL {prefix}test {n} # missing from TAP (guest died?)')
    print('\n'.join(out))


if __name__ == '__main__':
    main()
