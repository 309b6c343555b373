#!/usr/bin/env python3
"""Side by side, in one run: hexhelp's whole answer (extract, match, compose)
against rapidfuzz's process.extractOne over the same symptom phrases, for the
same typical messages, with the bundled knowledge base and a synthetic one of
10,000 entries. Prints medians and the ratio.

Usage: python3 benches/compare/vs_rapidfuzz.py [path/to/hexhelp]
Installs rapidfuzz from PyPI into target/compare-venv on first use.
"""
import json
import os
import statistics
import subprocess
import sys
import time
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV = os.path.join(ROOT, "target", "compare-venv")


def ensure_rapidfuzz():
    try:
        import rapidfuzz  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python3")
    if os.environ.get("HEXHELP_COMPARE_IN_VENV") != "1":
        if not os.path.exists(py):
            venv.create(VENV, with_pip=True)
        subprocess.run([py, "-m", "pip", "install", "--quiet", "rapidfuzz"], check=True)
        env = dict(os.environ, HEXHELP_COMPARE_IN_VENV="1")
        sys.exit(subprocess.run([py, *sys.argv], env=env).returncode)
    raise SystemExit("rapidfuzz did not install")


def median_us(fn, samples=31):
    fn()
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.005 or calls < 3:
        fn()
        calls += 1
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t) / calls * 1e6)
    return statistics.median(times)


def main():
    ensure_rapidfuzz()
    from rapidfuzz import process

    exe = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "hexhelp")
    ours = json.loads(subprocess.run([exe, "bench", "--json"], check=True, capture_output=True, text=True).stdout)["median_us"]
    rows = []
    for entries, key in [(0, "answer, bundled knowledge base"), (10000, "answer, synthetic 10000 entries")]:
        corpus = json.loads(subprocess.run([exe, "bench", "--print-corpus", str(entries)], check=True, capture_output=True, text=True).stdout)
        msgs, phrases = corpus["messages"], corpus["phrases"]
        i = [0]

        def one():
            process.extractOne(msgs[i[0] % len(msgs)], phrases)
            i[0] += 1

        theirs = median_us(one, samples=11 if entries else 31)
        label = "bundled" if entries == 0 else f"synthetic {entries}"
        rows.append((label, len(phrases), ours[key], theirs))
    print(f"{'knowledge base':<18} {'phrases':>8} {'hexhelp answer':>15} {'rapidfuzz extractOne':>21} {'ratio':>7}")
    for label, n, a, b in rows:
        print(f"{label:<18} {n:>8} {a:>12.1f} µs {b:>18.1f} µs {b / a:>6.1f}x")


if __name__ == "__main__":
    main()
