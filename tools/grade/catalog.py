#!/usr/bin/env python3
"""The knowledge base as a plain list for labellers: each entry's id, areas,
codes, title and fixes (id: title), from `hexhelp kb export`.

    target/release/hexhelp kb export | python3 tools/grade/catalog.py > catalog.txt
"""
import json
import sys

for line in sys.stdin:
    e = json.loads(line)
    print(f"## {e['id']}  [{', '.join(e.get('context') or [e['area']])}]  codes: {' '.join(e['codes']) or '-'}")
    print(f"   {e['title']}")
    for f in e["fixes"]:
        print(f"   - {f['id']}: {f['title']}")
