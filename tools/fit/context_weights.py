#!/usr/bin/env python3
"""Fits the weights that choose among the entries sharing a code, by k-fold
cross-validation on labelled real posts, and prints the held-out accuracy of
the fitted weights beside the weights in use and two plain baselines (the
code's general entry; the first entry in file order).

    target/release/hexhelp fit-context tests/eval/real/coded.jsonl > ctx.jsonl
    python3 tools/fit/context_weights.py ctx.jsonl [--write knowledge/facts/context.toml]

Only posts whose right entries include one of the candidates count. The
search is a coarse grid over each weight (coordinate ascent from the current
weights), so the result is deterministic for the same input.
"""
import argparse
import json
import random

NAMES = ["presence", "specificity", "hits", "symptom", "general", "version"]
DEFAULT = [1.0, 2.0, 1.0, 1.0, 0.5, 1.0]
GRID = [0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0]


def pick(w, cands):
    best = None
    for i, c in enumerate(cands):
        s = sum(a * b for a, b in zip(w, c["f"]))
        if best is None or s > best[0] + 1e-9:
            best = (s, i)
    return cands[best[1]]["entry"]


def accuracy(w, cases):
    if not cases:
        return 0.0
    return sum(pick(w, c["candidates"]) in c["entries"] for c in cases) / len(cases)


def fit(cases, start):
    w = list(start)
    best = accuracy(w, cases)
    for _ in range(3):
        improved = False
        for k in range(len(w)):
            for g in GRID:
                trial = w[:k] + [g] + w[k + 1:]
                a = accuracy(trial, cases)
                if a > best + 1e-9:
                    best, w, improved = a, trial, True
        if not improved:
            break
    return w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("features")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write")
    a = ap.parse_args()
    cases = []
    with open(a.features, encoding="utf-8") as fh:
        for l in fh:
            c = json.loads(l)
            names = {x["entry"] for x in c["candidates"]}
            if c.get("entries") and names & set(c["entries"]):
                cases.append(c)
    rng = random.Random(20261204)
    rng.shuffle(cases)
    folds = [cases[i::a.folds] for i in range(a.folds)]
    held = {"fitted": 0, "default": 0, "general entry": 0, "file order": 0}
    for i in range(a.folds):
        train = [c for j, f in enumerate(folds) if j != i for c in f]
        test = folds[i]
        w = fit(train, DEFAULT)
        held["fitted"] += accuracy(w, test) * len(test)
        held["default"] += accuracy(DEFAULT, test) * len(test)
        held["general entry"] += accuracy([0, 0, 0, 0, 1, 0], test) * len(test)
        held["file order"] += sum(c["candidates"][0]["entry"] in c["entries"] for c in test)
    n = len(cases)
    print(f"{n} posts with a code shared by several entries; {a.folds}-fold cross-validation, held-out accuracy:")
    for k, v in held.items():
        print(f"  {k:<14} {v / n:.1%}")
    final = fit(cases, DEFAULT)
    print("weights fitted on all posts:", dict(zip(NAMES, final)), f"(accuracy on them {accuracy(final, cases):.1%})")
    if a.write:
        with open(a.write, "w", encoding="utf-8") as out:
            out.write("# Weights that choose among the entries sharing a code (src/answer/context.rs).\n")
            out.write(f"# Fitted by tools/fit/context_weights.py, {a.folds}-fold cross-validation on {n} labelled real posts\n")
            out.write(f"# (held-out accuracy {held['fitted'] / n:.1%}; weights by hand {held['default'] / n:.1%}; the code's general entry {held['general entry'] / n:.1%}).\n")
            out.write("# Regenerate: hexhelp fit-context tests/eval/real/coded.jsonl > ctx.jsonl; python3 tools/fit/context_weights.py ctx.jsonl --write knowledge/facts/context.toml\n\n")
            out.write("[context_weights]\n")
            for k, v in zip(NAMES, final):
                out.write(f"{k} = {v}\n")


if __name__ == "__main__":
    main()
