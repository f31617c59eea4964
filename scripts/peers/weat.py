#!/usr/bin/env python3
"""Python peer of `custos-bench bias`: WEAT with numpy on the same word2vec file and weat.json.

Usage: .venv-bench/bin/python scripts/peers/weat.py VECTORS.bin weat.json [--runs 5] [--permutations 100000]

The same definitions as Custos (docs/bias.md): float64 cosines on the float32 vectors, effect size with the population
standard deviation, one-sided permutation p-value counting the observed partition, exact enumeration (vectorized over
itertools.combinations) when C(n, |X|) <= 1e6, else vectorized random permutations (numpy default_rng(0)); tests
whose word sets keep fewer than half of their words are skipped. Prints one JSON object: "load_seconds" (reading the
vectors), "seconds" (median over --runs of every test's statistics), "tests" (index, effect_size, p_value, exact).
"""
import argparse
import itertools
import json
import math
import statistics
import time

import numpy as np

ROLES = ["first_target", "second_target", "first_attribute", "second_attribute"]


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    newline = data.index(b"\n")
    count, dim = map(int, data[:newline].split())
    offset = newline + 1
    index, rows = {}, []
    for _ in range(count):
        while data[offset] == 0x0A:
            offset += 1
        space = data.index(b" ", offset)
        word = data[offset:space].decode("utf-8")
        offset = space + 1
        if word not in index:
            index[word] = len(rows)
            rows.append(np.frombuffer(data, dtype="<f4", count=dim, offset=offset))
        offset += 4 * dim
    return index, np.vstack(rows).astype(np.float64)


def weat(index, vectors, test, permutations, rng):
    sets = {}
    for role in ROLES:
        words = test[role]["words"]
        found = [w for w in words if w in index]
        if 2 * len(found) < len(words):
            return None
        sets[role] = vectors[[index[w] for w in found]]
    unit = {r: v / np.linalg.norm(v, axis=1, keepdims=True) for r, v in sets.items()}
    def s(w):
        return (w @ unit["first_attribute"].T).mean(axis=1) - (w @ unit["second_attribute"].T).mean(axis=1)
    sx, sy = s(unit["first_target"]), s(unit["second_target"])
    both = np.concatenate([sx, sy])
    d = (sx.mean() - sy.mean()) / both.std()
    observed = sx.sum() - 1e-12 * max(1.0, np.abs(both).sum())
    n, k = len(both), len(sx)
    if math.comb(n, k) <= 1_000_000:
        combos = np.array(list(itertools.combinations(range(n), k)))
        p = float(np.mean(both[combos].sum(axis=1) >= observed))
        exact = True
    else:
        count = 0
        for start in range(0, permutations, 10_000):
            block = rng.permuted(np.tile(both, (min(10_000, permutations - start), 1)), axis=1)
            count += int(np.sum(block[:, :k].sum(axis=1) >= observed))
        p = count / permutations
        exact = False
    return d, p, exact


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("vectors")
    parser.add_argument("tests")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--permutations", type=int, default=100_000)
    args = parser.parse_args()
    start = time.perf_counter()
    index, vectors = load(args.vectors)
    load_seconds = time.perf_counter() - start
    with open(args.tests) as f:
        tests = json.load(f)
    times, results = [], []
    for _ in range(args.runs):
        rng = np.random.default_rng(0)
        start = time.perf_counter()
        results = [weat(index, vectors, t, args.permutations, rng) for t in tests]
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "load_seconds": load_seconds, "seconds": statistics.median(times), "runs": args.runs, "numpy": np.__version__,
        "tests": [{"index": i, "effect_size": r[0], "p_value": r[1], "exact": r[2]} for i, r in enumerate(results) if r is not None],
    }))


if __name__ == "__main__":
    main()
