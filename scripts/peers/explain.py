#!/usr/bin/env python3
"""Python peer of `custos-bench explain`: shap's KernelExplainer on a logistic regression, timed inside Python.

Usage: .venv-bench/bin/python scripts/peers/explain.py INPUT.json --nsamples N [--runs 1] [--values OUT.json]

INPUT.json (written by custos-bench): {"coef": [...], "intercept": b, "background": [[...]], "rows": [[...]]}, rows
already standardized. f(X) = 1 / (1 + exp(-(X @ coef + intercept))), the positive-class probability. Times
shap.KernelExplainer(f, background).shap_values(rows, nsamples=N, silent=True) after numpy.random.seed(0), link
identity and shap's default l1_reg, as the reference in Tests/Fixtures/explain/shap_dev.json was produced; one
BLAS thread, as Custos' side runs one thread. Prints {"seconds": [per run], "shap_version": v}; --values writes the
last run's Shapley values (rows x features) so the bench can measure their error against exact values.
Needs the venv made by scripts/bench-setup (shap 0.51.0).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402


def main():
    import shap

    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("--nsamples", type=int, required=True)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--values")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    with open(args.input) as handle:
        spec = json.load(handle)
    coef = np.asarray(spec["coef"], dtype=float)
    intercept = float(spec["intercept"])
    background = np.asarray(spec["background"], dtype=float)
    rows = np.asarray(spec["rows"], dtype=float)

    def f(x):
        return 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))

    seconds = []
    values = None
    for _ in range(max(1, args.runs)):
        np.random.seed(0)
        start = time.perf_counter()
        explainer = shap.KernelExplainer(f, background)
        values = explainer.shap_values(rows, nsamples=args.nsamples, silent=True)
        seconds.append(time.perf_counter() - start)
    if args.values:
        with open(args.values, "w") as handle:
            json.dump(np.asarray(values).tolist(), handle)
    print(json.dumps({"seconds": seconds, "shap_version": shap.__version__}))


if __name__ == "__main__":
    main()
