#!/usr/bin/env python3
"""Python peer of `custos-bench fairness-audit`: the same full audit with Fairlearn's MetricFrame.

Usage: .venv-bench/bin/python scripts/peers/fairness_audit.py CSV [--n-boot 1000] [--seed 0]

CSV has the columns y_true,y_pred,score,sex,race (for example
Tests/Fixtures/fairness/adult_test_predictions.csv). For each sensitive feature -- sex, race and
the sex x race intersection -- it builds a fairlearn.metrics.MetricFrame with count, base rate,
selection rate, accuracy, TPR, FPR, FNR, TNR, PPV, NPV, FDR, FOR and ROC AUC of `score`, with
bootstrap 95% percentile intervals (MetricFrame's own n_boot / ci_quantiles, 1,000 resamples by
default), and reads by_group, overall, difference() and ratio() (and their intervals), plus
Fairlearn's demographic parity / equalized odds / equal opportunity differences and ratios.

Prints one JSON object: the values (NaN as null) and "seconds", the wall time of the whole
computation inside Python (reading the CSV included, interpreter start and imports excluded).
Run it from the venv made by scripts/bench-setup (fairlearn 0.15.0, scikit-learn 1.9.1).
"""
import argparse
import json
import math
import sys
import time
import warnings

import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    count,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equal_opportunity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from sklearn.metrics import accuracy_score, confusion_matrix, precision_score, roc_auc_score

SENSITIVE = {"sex": ["sex"], "race": ["race"], "sex_x_race": ["sex", "race"]}
CI_QUANTILES = [0.025, 0.975]


def base_rate(y_true, y_pred):
    return float(np.mean(y_true))


def ppv(y_true, y_pred):
    return precision_score(y_true, y_pred, zero_division=np.nan)


def _cm(y_true, y_pred):
    # tn, fp, fn, tp
    return confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()


def _ratio(a, b):
    return a / b if b > 0 else float("nan")


def npv(y_true, y_pred):
    tn, fp, fn, tp = _cm(y_true, y_pred)
    return _ratio(tn, tn + fn)


def fdr(y_true, y_pred):
    tn, fp, fn, tp = _cm(y_true, y_pred)
    return _ratio(fp, tp + fp)


def false_omission_rate(y_true, y_pred):
    tn, fp, fn, tp = _cm(y_true, y_pred)
    return _ratio(fn, tn + fn)


def auc(y_true, y_pred, y_score):
    # y_score is routed to this metric alone through MetricFrame's sample_params.
    if len(np.unique(y_true)) < 2:
        return float("nan")
    return roc_auc_score(y_true, y_score)


METRICS = {
    "count": count,
    "base_rate": base_rate,
    "selection_rate": selection_rate,
    "accuracy": accuracy_score,
    "tpr": true_positive_rate,
    "fpr": false_positive_rate,
    "fnr": false_negative_rate,
    "tnr": true_negative_rate,
    "ppv": ppv,
    "npv": npv,
    "fdr": fdr,
    "for": false_omission_rate,
    "auc": auc,
}


def clean(value):
    """JSON-safe plain Python values; NaN and infinities become null."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


def group_key(index_value):
    return " & ".join(map(str, index_value)) if isinstance(index_value, tuple) else str(index_value)


def series_dict(series):
    return {name: clean(series[name]) for name in series.index}


def frame_rows(frame):
    """by_group DataFrame -> {group: {metric: value}}."""
    return {group_key(idx): series_dict(row) for idx, row in frame.iterrows()}


def audit_feature(df, columns, n_boot, seed):
    y_true = df["y_true"].to_numpy()
    y_pred = df["y_pred"].to_numpy()
    score = df["score"].to_numpy()
    sf = df[columns] if len(columns) > 1 else df[columns[0]]
    boot = dict(n_boot=n_boot, ci_quantiles=CI_QUANTILES, random_state=seed) if n_boot > 0 else {}

    mf = MetricFrame(
        metrics=METRICS, y_true=y_true, y_pred=y_pred, sensitive_features=sf,
        sample_params={"auc": {"y_score": score}}, **boot)

    result = {
        "group_columns": columns,
        "overall": series_dict(mf.overall),
        "by_group": frame_rows(mf.by_group),
        "difference_between_groups": series_dict(mf.difference()),
        "ratio_between_groups": series_dict(mf.ratio()),
        "difference_to_overall": series_dict(mf.difference(method="to_overall")),
        "ratio_to_overall": series_dict(mf.ratio(method="to_overall")),
    }
    if n_boot > 0:
        lo, hi = mf.by_group_ci  # one frame per entry of CI_QUANTILES
        result["by_group_ci"] = {
            group_key(idx): {m: [clean(lo.loc[idx, m]), clean(hi.loc[idx, m])] for m in lo.columns} for idx in lo.index
        }
        for key, (lo, hi) in (("overall_ci", mf.overall_ci), ("difference_ci", mf.difference_ci()),
                              ("ratio_ci", mf.ratio_ci())):
            result[key] = {m: [clean(lo[m]), clean(hi[m])] for m in lo.index}

    result["disparities"] = clean({
        "demographic_parity_difference": demographic_parity_difference(y_true, y_pred, sensitive_features=sf),
        "demographic_parity_ratio": demographic_parity_ratio(y_true, y_pred, sensitive_features=sf),
        "equalized_odds_difference": equalized_odds_difference(y_true, y_pred, sensitive_features=sf),
        "equalized_odds_ratio": equalized_odds_ratio(y_true, y_pred, sensitive_features=sf),
        "equal_opportunity_difference": equal_opportunity_difference(y_true, y_pred, sensitive_features=sf),
        "equal_opportunity_ratio": equal_opportunity_ratio(y_true, y_pred, sensitive_features=sf),
    })
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    with warnings.catch_warnings():
        # Groups without positives/negatives make sklearn warn on every resample; the values are NaN.
        warnings.simplefilter("ignore")
        df = pd.read_csv(args.csv)
        out = {
            "peer": "fairlearn",
            "rows": int(len(df)),
            "n_boot": args.n_boot,
            "ci_quantiles": CI_QUANTILES,
            "sensitive": {name: audit_feature(df, cols, args.n_boot, args.seed) for name, cols in SENSITIVE.items()},
        }
    out["seconds"] = time.perf_counter() - start
    json.dump(clean(out), sys.stdout, allow_nan=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
