#!/usr/bin/env python3
"""LightGBM on the rows `forecast train --panel` reads: the reference side of the booster comparison.

Reads a features file written by `forecast features` (customer_id, the features, next_month_events;
empty fields are missing values), fits LightGBM's Poisson booster with the settings our booster is
given in the same run (bench/compare.sh), and prints one JSON line: the fit's wall time (Dataset
construction and binning included, as in `forecast train`'s fit time), the in-sample mean Poisson
deviance, the rows and the settings. The file is read before the clock starts.

Run: python bench/booster_lightgbm.py FEATURES.csv [--trees 100] [--leaves 31] [--learning-rate 0.1]
         [--min-data-in-leaf 20] [--l2 1.0] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import lightgbm
import numpy as np
import polars as pl


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    mu = np.maximum(mu, 1e-12)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(np.mean(2.0 * (term - y + mu)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("features")
    ap.add_argument("--trees", type=int, default=100)
    ap.add_argument("--leaves", type=int, default=31)
    ap.add_argument("--learning-rate", type=float, default=0.1)
    ap.add_argument("--min-data-in-leaf", type=int, default=20)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()

    frame = pl.read_csv(a.features, infer_schema_length=100_000)
    names = [c for c in frame.columns if c not in ("customer_id", "next_month_events")]
    X = frame.select(names).cast(pl.Float64).to_numpy()
    y = frame["next_month_events"].cast(pl.Float64).to_numpy()
    params = dict(objective="poisson", n_estimators=a.trees, num_leaves=a.leaves, learning_rate=a.learning_rate,
                  min_child_samples=a.min_data_in_leaf, min_child_weight=1e-3, reg_lambda=a.l2, subsample=1.0,
                  colsample_bytree=1.0, max_bin=255, n_jobs=a.threads, random_state=0, verbose=-1)
    model = lightgbm.LGBMRegressor(**params)
    began = time.perf_counter()
    model.fit(X, y)
    fit_s = time.perf_counter() - began
    began = time.perf_counter()
    mu = model.predict(X)
    predict_s = time.perf_counter() - began
    print(json.dumps({
        "tool": f"lightgbm {lightgbm.__version__}", "rows": int(len(y)), "features": len(names),
        "fit_s": round(fit_s, 4), "predict_s": round(predict_s, 4), "deviance": poisson_deviance(y, mu),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1), "settings": params,
    }))


if __name__ == "__main__":
    main()
