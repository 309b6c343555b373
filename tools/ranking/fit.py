#!/usr/bin/env python3
"""Fit hexhelp's ranking (BM25F field weights, k1, b, the title's weight in
the query) and its confidence model (logistic regression) on labelled
posts, by k-fold cross-validation, and write them to knowledge/ranking.toml.

    python3 tools/ranking/fit.py --hexhelp target/release/hexhelp \\
        tests/eval/real/words.jsonl tests/eval/real/offtopic.jsonl ... \\
        [--folds 5] [--write knowledge/ranking.toml]

It runs `hexhelp eval FILE --dump` for each file: the query terms as the
matcher understood them, and for every entry holding any of them the term
frequencies per field. BM25F and the confidence features are recomputed
here exactly as src/matching/bm25.rs and src/matching/confidence.rs do, so
any parameters can be tried without a rebuild; the script checks that it
reproduces the binary's own scores for the parameters in use first.

Prints, from one run: cross-validated top-1/top-3 of the fitted ranking,
of the textbook parameters and of plain BM25 on the same held-out folds;
the out-of-fold calibration of the confidence model; and the final
parameters, fitted on all cases. Needs numpy.
"""

import argparse
import json
import math
import subprocess
import sys

import numpy as np

FEATURES = ["score", "margin", "coverage", "matched", "problem", "windows",
            "offtopic", "length", "title", "post", "held", "pairs"]
# The textbook start: every field alike (causes half), k1 1.2, b 0.75.
DEFAULT = {"title": 1.0, "symptoms": 1.0, "summary": 1.0, "causes": 0.5,
           "k1": 1.2, "b": 0.75, "title_query": 2.0, "repeat": 0.5,
           "pairs": 0.5}
# Symptoms stay at 1: scaling every field weight is the same as scaling k1.
GRID = {
    "title": [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0],
    "summary": [0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0],
    "causes": [0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0],
    "k1": [0.3, 0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 8.0],
    "b": [0.0, 0.2, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0],
    "title_query": [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0],
    "repeat": [0.0, 0.25, 0.5, 0.75, 1.0],
    "pairs": [0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0],
}
L2 = 0.1  # ridge penalty of the logistic regression


def dump(binary, path, knowledge):
    cmd = [binary]
    if knowledge:
        cmd += ["--knowledge", knowledge]
    cmd += ["eval", path, "--dump"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    return lines[0], lines[1:]


class Data:
    """Every (case, candidate entry, query term) as one row of arrays."""

    def __init__(self, header, cases):
        self.entries = header["entries"]
        self.lens = np.array(header["lens"], dtype=float)
        self.avg = np.array(header["avg"], dtype=float)
        self.cases = cases
        rows = {k: [] for k in ("case", "cand", "term", "tf", "idf", "typo",
                                "title", "body", "walks", "entry", "count")}
        self.cand_entry = []  # candidate index -> (case, entry)
        for ci, c in enumerate(cases):
            terms = c["terms"]
            for entry, hits in c["cands"]:
                k = len(self.cand_entry)
                self.cand_entry.append((ci, entry))
                for qi, tf in hits:
                    idf, typo, in_title, in_body, walks, _, count = terms[qi]
                    rows["case"].append(ci)
                    rows["cand"].append(k)
                    rows["term"].append(qi)
                    rows["tf"].append(tf)
                    rows["idf"].append(idf)
                    rows["typo"].append(typo)
                    rows["title"].append(in_title)
                    rows["body"].append(in_body)
                    rows["walks"].append(walks)
                    rows["entry"].append(entry)
                    rows["count"].append(count)
        self.r = {k: np.array(v, dtype=float) for k, v in rows.items()}
        self.r["tf"] = self.r["tf"].reshape(-1, 4)
        self.r["cand"] = self.r["cand"].astype(int)
        self.r["entry"] = self.r["entry"].astype(int)
        self.ncand = len(self.cand_entry)
        self.cand_case = np.array([c for c, _ in self.cand_entry], dtype=int)
        self.cand_ent = np.array([e for _, e in self.cand_entry], dtype=int)
        self.row_lens = self.lens[self.r["entry"]]
        # neighbouring pairs: (candidate, pair weight parts, tf)
        cand_of = {ce: k for k, ce in enumerate(self.cand_entry)}
        prow = {k: [] for k in ("cand", "title", "count", "idf", "tf")}
        for ci, c in enumerate(cases):
            for entry, hits in c.get("pair_hits", []):
                k = cand_of.get((ci, entry))
                if k is None:
                    continue
                for pi, tf in hits:
                    in_title, count, idf = c["pairs"][pi]
                    prow["cand"].append(k)
                    prow["title"].append(in_title)
                    prow["count"].append(count)
                    prow["idf"].append(idf)
                    prow["tf"].append(tf)
        self.p = {k: np.array(v, dtype=float) for k, v in prow.items()}
        self.p["cand"] = self.p["cand"].astype(int)

    def qweight(self, p):
        """QueryTerm::weight: the title once, the description's repeats damped."""
        r = self.r
        body = np.where(r["count"] > 0, np.power(np.maximum(r["count"], 1), p["repeat"]), 0.0)
        return r["typo"] * (r["title"] * p["title_query"] + body)

    def scores(self, p):
        """BM25F per candidate, as Bm25f::rank computes it."""
        r = self.r
        w = np.array([p["title"], p["symptoms"], p["summary"], p["causes"]])
        norm = np.maximum(1 - p["b"] + p["b"] * self.row_lens / self.avg, 1e-3)
        t = (w * r["tf"] / norm * (r["tf"] > 0)).sum(axis=1)
        sat = r["idf"] * t / (p["k1"] + t)
        contrib = self.qweight(p) * sat
        score = np.bincount(r["cand"], weights=contrib, minlength=self.ncand)
        found = np.bincount(r["cand"], weights=(contrib > 0) * r["walks"], minlength=self.ncand)
        if p["pairs"] > 0 and len(self.p["cand"]):
            q = self.p
            body = np.where(q["count"] > 0, np.power(np.maximum(q["count"], 1), p["repeat"]), 0.0)
            w = q["title"] * p["title_query"] + body
            pc = p["pairs"] * w * q["idf"] * q["tf"] / (p["k1"] + q["tf"])
            score = score + np.bincount(q["cand"], weights=pc, minlength=self.ncand)
        return np.where(found > 0, score, 0.0)

    def ranked(self, p):
        """Per case: candidate entries best first (ties by entry), with scores."""
        s = self.scores(p)
        order = np.lexsort((self.cand_ent, -s, self.cand_case))
        out = [[] for _ in self.cases]
        for k in order:
            if s[k] > 0:
                out[self.cand_case[k]].append((int(self.cand_ent[k]), float(s[k])))
        return out


def rank_metrics(ranked, cases, idx):
    top1 = top3 = rr = 0.0
    n = 0
    for i in idx:
        gold = set(cases[i]["gold"])
        if not gold:
            continue
        n += 1
        ents = [e for e, _ in ranked[i]]
        pos = next((j for j, e in enumerate(ents) if e in gold), None)
        if pos is not None:
            top1 += pos == 0
            top3 += pos < 3
            rr += 1.0 / (pos + 1)
    n = max(n, 1)
    return top1 / n, top3 / n, rr / n


def fit_ranking(data, idx, start):
    p = dict(start)
    objective = lambda q: (lambda m: m[0] + 0.5 * m[2])(rank_metrics(data.ranked(q), data.cases, idx))
    best = objective(p)
    for _ in range(3):
        improved = False
        for name, values in GRID.items():
            for v in values:
                q = dict(p, **{name: v})
                o = objective(q)
                if o > best + 1e-9:
                    best, p, improved = o, q, True
        if not improved:
            break
    return p


def features(data, ranked, p):
    """Per case: the features of its top match (confidence.rs), or None."""
    out = []
    def qw(typo, in_title, count):
        body = count ** p["repeat"] if count > 0 else 0.0
        return typo * ((p["title_query"] if in_title else 0.0) + body)

    for i, c in enumerate(data.cases):
        if not ranked[i]:
            out.append(None)
            continue
        entry, s1 = ranked[i][0]
        s2 = ranked[i][1][1] if len(ranked[i]) > 1 else 0.0
        margin = max(-1.0, min(1.0, (s1 - s2) / s1)) if s1 > 0 else 0.0
        held_terms = set()
        for e, hits in c["cands"]:
            if e == entry:
                held_terms = {qi for qi, tf in hits if any(tf)}
        known = held = title = title_held = 0.0
        for qi, (idf, typo, in_title, _, _, _, count) in enumerate(c["terms"]):
            mass = qw(typo, in_title, count) * idf
            known += mass
            has = qi in held_terms
            held += mass if has else 0.0
            if in_title:
                title += idf
                title_held += idf if has else 0.0
        share = lambda a, b: a / b if b > 0 else 0.0
        out.append([
            math.log1p(s1), margin, c["coverage"], share(held, known),
            1.0 if c["problem"] else 0.0, math.log1p(c["windows"]),
            math.log1p(c["offtopic"]), math.log1p(c["words"]), share(title_held, title),
            1.0 if c["titled"] else 0.0,
            math.log1p(len(held_terms)),
            math.log1p(sum(1 for e, hits in c["pair_hits"] if e == entry for _ in hits)),
        ])
    return out


def logistic(X, y):
    """Ridge logistic regression by Newton's method; returns (bias, weights)."""
    X1 = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(X1.shape[1])
    reg = L2 * np.eye(X1.shape[1])
    reg[0, 0] = 0.0
    for _ in range(50):
        pr = 1 / (1 + np.exp(-X1 @ w))
        g = X1.T @ (pr - y) + reg @ w
        H = X1.T @ (X1 * (pr * (1 - pr))[:, None]) + reg + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[0], w[1:]


def calib_set(data, ranked, p, idx):
    """(features, label) for the cases answered by words: top-1 right or not."""
    feats = features(data, ranked, p)
    X, y, ids = [], [], []
    for i in idx:
        c = data.cases[i]
        if c["coded"] or feats[i] is None:
            continue
        X.append(feats[i])
        y.append(1.0 if ranked[i][0][0] in set(c["gold"]) else 0.0)
        ids.append(i)
    return np.array(X).reshape(-1, len(FEATURES)), np.array(y), ids


def table(pred, y):
    lines = ["  predicted   cases  mean   observed"]
    for b in range(10):
        m = (np.minimum((pred * 10).astype(int), 9) == b)
        if m.sum():
            lines.append(f"  {b / 10:.1f}-{(b + 1) / 10:.1f}   {m.sum():6d}  {pred[m].mean():5.2f}  {y[m].mean():5.2f}")
    brier = ((pred - y) ** 2).mean()
    eps = 1e-9
    ll = -(y * np.log(pred + eps) + (1 - y) * np.log(1 - pred + eps)).mean()
    lines.append(f"  brier {brier:.3f}  log-loss {ll:.3f}  over {len(y)} cases")
    return "\n".join(lines)


def check_mirror(data, header):
    """The script must reproduce the binary's scores for the binary's parameters."""
    hp = header["params"]
    p = {"title": hp["fields"][0], "symptoms": hp["fields"][1], "summary": hp["fields"][2],
         "causes": hp["fields"][3], "k1": hp["k1"], "b": hp["b"], "title_query": hp["title_query"],
         "repeat": hp["repeat"], "pairs": hp["pairs"]}
    ranked = data.ranked(p)
    bad = 0
    for i, c in enumerate(data.cases):
        ours = [(e, s) for e, s, _ in c["ours"]]
        mine = ranked[i][: len(ours)]
        if any(a[0] != b[0] or abs(a[1] - b[1]) > 1e-3 * max(1.0, a[1]) for a, b in zip(ours, mine)):
            bad += 1
    return p, bad


def toml_value(v):
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(v)


def toml_out(p, bias, w, notes):
    f = lambda x: f"{x:.4g}"
    weights = ", ".join(f"{n} = {f(v)}" for n, v in zip(FEATURES, w))
    return (
        "# Ranking parameters and confidence weights, fitted by tools/ranking/fit.py\n"
        "# by cross-validation on labelled posts. Data, not hand-tuned: rerun the\n"
        "# script to refit (see its docstring).\n\n"
        "[bm25f]\n"
        + "".join(f"{k} = {f(p[k])}\n" for k in ("title", "symptoms", "summary", "causes", "k1", "b", "title_query", "repeat", "pairs"))
        + "\n[confidence]\n"
        + f"bias = {f(bias)}\n"
        + f"weights = {{ {weights} }}\n\n"
        + "[fitted]\n"
        + "".join(f"{k} = {toml_value(v)}\n" for k, v in notes.items())
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--hexhelp", default="target/release/hexhelp")
    ap.add_argument("--knowledge")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--write", help="write the fitted parameters to this ranking.toml")
    ap.add_argument("--area-proxy", action="store_true",
                    help="for posts without an entry label, count every entry of the "
                         "post's area as right (a stand-in until entries are labelled)")
    a = ap.parse_args()

    header, cases = None, []
    proxied = 0
    for path in a.files:
        header, c = dump(a.hexhelp, path, a.knowledge)
        for x in c:
            x["file"] = path
            if x["gold"] is None and a.area_proxy:
                x["gold"] = [i for i, areas in enumerate(header["areas"]) if x["area"] in areas]
                proxied += 1
        cases += [x for x in c if x["gold"] is not None]
    if proxied:
        print(f"{proxied} posts labelled by their area only (--area-proxy)")
    data = Data(header, cases)
    current, bad = check_mirror(data, header)
    print(f"{len(cases)} labelled cases from {len(a.files)} files; "
          f"{bad} differ from the binary's own ranking")
    if bad > len(cases) // 50:
        sys.exit("the script no longer mirrors src/matching/bm25.rs: fix it before fitting")

    rng = np.random.default_rng(a.seed)
    fold = rng.permutation(len(cases)) % a.folds
    plain_top1 = plain_top3 = 0
    res = {"fitted": [0, 0], "textbook": [0, 0], "bm25": [0, 0]}
    n_ranked = 0
    oof = np.full(len(cases), np.nan)
    for k in range(a.folds):
        train = [i for i in range(len(cases)) if fold[i] != k]
        test = [i for i in range(len(cases)) if fold[i] == k]
        p = fit_ranking(data, train, DEFAULT)
        ranked = data.ranked(p)
        for name, rk in (("fitted", ranked), ("textbook", data.ranked(DEFAULT))):
            t1, t3, _ = rank_metrics(rk, cases, test)
            m = sum(1 for i in test if cases[i]["gold"])
            res[name][0] += t1 * m
            res[name][1] += t3 * m
        for i in test:
            g = set(cases[i]["gold"])
            if g:
                n_ranked += 1
                res["bm25"][0] += bool(cases[i]["bm25"][:1]) and cases[i]["bm25"][0] in g
                res["bm25"][1] += any(e in g for e in cases[i]["bm25"][:3])
        Xtr, ytr, _ = calib_set(data, ranked, p, train)
        bias, w = logistic(Xtr, ytr)
        Xte, _, ids = calib_set(data, ranked, p, test)
        if len(ids):
            oof[ids] = 1 / (1 + np.exp(-(bias + Xte @ w)))
    print(f"\n{a.folds}-fold cross-validation, ranking alone, {n_ranked} cases with a right entry:")
    print(f"  {'':10} {'top-1':>7} {'top-3':>7}")
    for name in ("fitted", "textbook", "bm25"):
        t1, t3 = res[name]
        print(f"  {name:10} {t1 / n_ranked:7.1%} {t3 / n_ranked:7.1%}")

    p = fit_ranking(data, range(len(cases)), DEFAULT)
    ranked = data.ranked(p)
    X, y, ids = calib_set(data, ranked, p, range(len(cases)))
    bias, w = logistic(X, y)
    m = ~np.isnan(oof[ids])
    pred = oof[ids][m]
    yy = y[m]
    print(f"\nconfidence, out of fold ({len(yy)} cases answered by words):")
    print(table(pred, yy))
    silent = [i for j, i in enumerate(ids) if m[j] and not cases[i]["gold"]]
    right = [i for j, i in enumerate(ids) if m[j] and cases[i]["gold"]]
    for thr in (0.3, 0.5):
        s = np.mean([oof[i] < thr for i in silent]) if silent else float("nan")
        t1 = np.mean([oof[i] >= thr and ranked[i][0][0] in set(cases[i]["gold"]) for i in right]) if right else float("nan")
        print(f"  threshold {thr}: silent on {s:.1%} of cases without a right entry, "
              f"right and replied on {t1:.1%} of the others")
    print("\nfitted on all cases:", json.dumps(p))
    print("confidence: bias", round(float(bias), 4), dict(zip(FEATURES, np.round(w, 4).tolist())))
    if a.write:
        notes = {
            "files": a.files,
            "cases": len(cases),
            "folds": a.folds,
            "cv_top1": {k: round(v[0] / max(n_ranked, 1), 4) for k, v in res.items()},
            "cv_top3": {k: round(v[1] / max(n_ranked, 1), 4) for k, v in res.items()},
        }
        with open(a.write, "w") as fh:
            fh.write(toml_out(p, float(bias), w, notes))
        print("wrote", a.write)


if __name__ == "__main__":
    main()
