import sys, re, statistics as st
from collections import defaultdict
d=defaultdict(lambda: defaultdict(list))
kind=None
for line in open(sys.argv[1]):
    m=re.match(r'== (\S+) (\d+)',line)
    if m: kind=m.group(1); continue
    m=re.match(r'BENCH (\S+) (\S+) (\S+)',line)
    if m and kind:
        try: d[m.group(1)][kind].append(float(m.group(2)))
        except: pass
kinds=['base','series','record']
for key in sorted(d):
    b=d[key].get('base')
    bm=st.median(b) if b else None
    for k in kinds:
        v=d[key].get(k)
        if not v: continue
        m=st.median(v)
        r=f"{m/bm:.2f}x" if bm else "  -  "
        print(f"{k:6} {key:40} med {m:8.1f} {r} [{min(v):g}-{max(v):g}] n={len(v)}")
