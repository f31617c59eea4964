#!/usr/bin/env python3
"""Python peers of `custos-bench dp`.

Usage:
  .venv-dp/bin/python scripts/peers/dp.py accountant VECTORS_JSON [--runs 3]
  .venv-dp/bin/python scripts/peers/dp.py sample --sigma 10 --count 200000 [--runs 3]

accountant: for every row of families.rdp_subsampled_gaussian in VECTORS_JSON (the dev grid: (q, sigma,
steps)), a fresh dp_accounting 0.6.0 RdpAccountant (default orders, add/remove-one) composes
SelfComposed(PoissonSampled(Gaussian(sigma), q), steps) and reports epsilon and the optimal order at each delta
of the row. Prints {"seconds": median wall time of the whole grid inside Python, "results": [[q, sigma, steps,
delta, epsilon, order], ...]}.

sample: OpenDP 0.16.0's exact discrete Gaussian (vector of `count` integer zeros through
then_gaussian(scale=sigma) on atom_domain(T=int)), one call. Prints {"seconds": median, "count": count}.

Interpreter start and imports are excluded from "seconds". Make the venv with scripts/bench-setup-dp.
"""
import argparse
import json
import statistics
import time


def accountant(path, runs):
    import dp_accounting
    from absl import logging as absl_logging

    # dp_accounting warns for every fractional order whose series diverges; those orders are excluded (as ∞).
    absl_logging.set_verbosity(absl_logging.ERROR)

    with open(path) as f:
        rows = json.load(f)["families"]["rdp_subsampled_gaussian"]
    times = []
    results = []
    for _ in range(runs):
        results = []
        start = time.perf_counter()
        for row in rows:
            acc = dp_accounting.rdp.RdpAccountant()
            event = dp_accounting.SelfComposedDpEvent(
                dp_accounting.PoissonSampledDpEvent(row["q"], dp_accounting.GaussianDpEvent(row["sigma"])), row["steps"])
            acc.compose(event)
            for delta_text in row["rdp"]:
                eps, order = acc.get_epsilon_and_optimal_order(float(delta_text))
                results.append([row["q"], row["sigma"], row["steps"], float(delta_text), float(eps), float(order)])
        times.append(time.perf_counter() - start)
    print(json.dumps({"seconds": statistics.median(times), "results": results}))


def sample(sigma, count, runs):
    import opendp.prelude as dp

    dp.enable_features("contrib")
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l2_distance(T=int)
    measurement = space >> dp.m.then_gaussian(scale=sigma)
    zeros = [0] * count
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = measurement(zeros)
        times.append(time.perf_counter() - start)
        assert len(out) == count
    print(json.dumps({"seconds": statistics.median(times), "count": count}))


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    a = sub.add_parser("accountant")
    a.add_argument("vectors")
    a.add_argument("--runs", type=int, default=3)
    s = sub.add_parser("sample")
    s.add_argument("--sigma", type=float, required=True)
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.mode == "accountant":
        accountant(args.vectors, args.runs)
    else:
        sample(args.sigma, args.count, args.runs)


if __name__ == "__main__":
    main()
