#!/usr/bin/env python3
"""Blinded grading batches: the answers of one or more hexhelp binaries to the
same real posts, shuffled together, each item with a random id, so a reviewer
grades a post and an answer without knowing which version wrote it.

    python3 tools/grade/make_batches.py --out DIR --per-batch 60 \
        --binary before=/path/to/old/hexhelp --binary after=target/release/hexhelp \
        tests/eval/real/coded.jsonl [more.jsonl ...]

Writes DIR/batch-NN.txt (what a reviewer reads) and DIR/key.jsonl (item id ->
post id and version), which tools/grade/tally.py joins with the grades.
"""
import argparse
import json
import os
import random
import subprocess

MAX_POST = 3500


def answer(binary, text):
    r = subprocess.run([binary, "ask", "--no-color", text], capture_output=True, text=True, timeout=60)
    return r.stdout.strip() or "(no answer)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-batch", type=int, default=60)
    ap.add_argument("--binary", action="append", required=True, help="NAME=PATH")
    ap.add_argument("--seed", type=int, default=20261204)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    binaries = [b.split("=", 1) for b in a.binary]
    posts = []
    for f in a.files:
        with open(f, encoding="utf-8") as fh:
            posts += [json.loads(l) for l in fh if l.strip()]
    rng = random.Random(a.seed)
    items = []
    for p in posts:
        for name, path in binaries:
            items.append({"post": p["id"], "version": name, "text": p["text"], "answer": answer(path, p["text"])})
    rng.shuffle(items)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "key.jsonl"), "w", encoding="utf-8") as key:
        for i, it in enumerate(items):
            it["item"] = f"g{i + 1:04d}"
            key.write(json.dumps({"item": it["item"], "post": it["post"], "version": it["version"]}) + "\n")
    for b in range(0, len(items), a.per_batch):
        with open(os.path.join(a.out, f"batch-{b // a.per_batch + 1:02d}.txt"), "w", encoding="utf-8") as out:
            for it in items[b:b + a.per_batch]:
                post = it["text"] if len(it["text"]) <= MAX_POST else it["text"][:MAX_POST] + " […]"
                out.write(f"=== ITEM {it['item']}\n--- POST\n{post}\n--- ANSWER\n{it['answer']}\n\n")
    print(f"{len(items)} items in {(len(items) + a.per_batch - 1) // a.per_batch} batches")


if __name__ == "__main__":
    main()
