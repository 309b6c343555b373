#!/usr/bin/env python3
"""Joins reviewers' grades with the key of tools/grade/make_batches.py and
prints the A/B/C table per version, side by side.

    python3 tools/grade/tally.py DIR/key.jsonl GRADES.jsonl [--write tests/eval/real/grades.jsonl]

GRADES.jsonl lines: {"item": "g0001", "grade": "A"|"B"|"C", "reason": "..."}.
"""
import argparse
import collections
import json


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("key")
    ap.add_argument("grades", nargs="+")
    ap.add_argument("--write")
    a = ap.parse_args()
    key = {}
    with open(a.key, encoding="utf-8") as fh:
        for l in fh:
            k = json.loads(l)
            key[k["item"]] = k
    rows = []
    for g in a.grades:
        with open(g, encoding="utf-8") as fh:
            for l in fh:
                if not l.strip():
                    continue
                r = json.loads(l)
                k = key.get(r["item"])
                if k and r.get("grade") in ("A", "B", "C"):
                    rows.append({"post": k["post"], "version": k["version"], "grade": r["grade"], "reason": r.get("reason", "")})
    seen = set()
    unique = []
    for r in rows:
        if (r["post"], r["version"]) not in seen:
            seen.add((r["post"], r["version"]))
            unique.append(r)
    table = collections.defaultdict(collections.Counter)
    for r in unique:
        table[r["version"]][r["grade"]] += 1
    print(f"{'version':<10} {'n':>4} {'A':>10} {'B':>10} {'C':>10}")
    for v, c in sorted(table.items()):
        n = sum(c.values())
        cells = [f"{c[g]} ({100 * c[g] / n:.0f}%)" for g in "ABC"]
        print(f"{v:<10} {n:>4} {cells[0]:>10} {cells[1]:>10} {cells[2]:>10}")
    missing = len(key) - len(unique)
    if missing:
        print(f"{missing} items without a grade")
    if a.write:
        with open(a.write, "w", encoding="utf-8") as out:
            for r in sorted(unique, key=lambda r: (r["post"], r["version"])):
                out.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
