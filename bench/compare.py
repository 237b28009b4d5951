#!/usr/bin/env python3
"""`make bench-compare`: the core path against the Python stack, side by side, in one run.

On one generated log (default data/scale/transactions.csv: 1,000,000 customers, --seed 7 --clean)
and one cutoff, each repeat runs, interleaved, every step of both sides in its own process under
/usr/bin/time (wall seconds inside the step where the tool reports them, peak resident memory of
the process):

  parse     ours: `forecast bench --steps parse` (read + parse to typed columns, 2 threads)
            polars: ../shared/anchors/scale_python.py --steps read_polars_fmt (read_csv + str.to_datetime)
  booster   ours: `forecast train --model gbm` with LightGBM's settings (100 trees, 31 leaves, learning
            rate 0.1, min data in leaf 20, no subsampling, L2 1, 2 threads): the "fitted in" time
            LightGBM: bench/booster_lightgbm.py on the same rows (`forecast features` at the origin)
  train     ours: the whole `forecast train` above (CSV to saved model)
            Python: scale_python.py features_polars_lazy (read, collapse, features) + train_lgbm (fit,
            predict), two processes: the sum of their timed parts; the peak is the larger of the two
  features  ours: `forecast features` ("features computed in": the log already in memory)
            polars: the features_s part of features_polars_lazy

Timings on this VM move by up to 30% between runs, so each side runs REPEATS times, interleaved, and
the report gives medians, ranges and the ratio of medians (Python / ours: above 1 means ours is faster).

Output: OUT/compare.md and OUT/compare.json.

Run: .venv-anchors/bin/python bench/compare.py [--data FILE] [--as-of 2019-11-30] [--repeats 3]
         [--forecast .build/release/forecast] [--anchors ../shared/anchors] [--out data/bench-compare]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path


def timed(command: list[str], env: dict | None = None) -> tuple[str, str, float]:
    """Runs `command` under /usr/bin/time; returns stdout, stderr (without time's lines) and peak RSS in MB."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name] + command, capture_output=True, text=True,
                              env={**os.environ, **(env or {})})
        if proc.returncode != 0:
            sys.exit(f"compare: {' '.join(command)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        peak_kb = float(t.read().strip().splitlines()[-1])
    return proc.stdout, proc.stderr, peak_kb / 1024


def seconds(pattern: str, text: str) -> float:
    m = re.search(pattern, text)
    if not m:
        sys.exit(f"compare: no '{pattern}' in:\n{text[-2000:]}")
    return float(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("data/scale/transactions.csv"))
    ap.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2019, 11, 30))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--forecast", default=".build/release/forecast")
    ap.add_argument("--anchors", type=Path, default=Path("../shared/anchors"))
    ap.add_argument("--out", type=Path, default=Path("data/bench-compare"))
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    origin = a.as_of.replace(day=1)  # the one training origin: its target month ends on the as-of day
    if (a.as_of + dt.timedelta(days=1)).day != 1:
        sys.exit("compare: --as-of must be a month's last day (the origin's target month ends there)")
    features_csv = a.out / f"features_{origin}.csv"
    scale = [python, str(a.anchors / "scale_python.py"), "--data", str(a.data), "--cutoff", str(origin),
             "--repeats", "1", "--wait-quiet", "0"]
    gbm = ["--model", "gbm", "--trees", "100", "--leaves", "31", "--learning-rate", "0.1", "--no-early-stopping",
           "--min-data-in-leaf", "20", "--row-subsample", "1", "--feature-subsample", "1", "--threads", "2"]

    # Once, untimed: our features file (LightGBM's input) and the anchors' parquet for train_lgbm.
    timed([a.forecast, "features", "--data", str(a.data), "--layout", "transactions", "--cutoff", str(origin),
           "--out", str(features_csv)])
    subprocess.run(scale + ["--steps", "features_polars", "--out", str(a.out / "python-setup")], check=True,
                   capture_output=True)

    runs: dict[str, list[dict]] = {}

    def add(name: str, **values) -> None:
        runs.setdefault(name, []).append(values)
        print(f"compare: {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in values.items()), file=sys.stderr)

    def python_step(step: str, rep: int) -> dict:
        out = a.out / f"python-{step}-{rep}"
        subprocess.run(scale + ["--steps", step, "--out", str(out)], check=True, capture_output=True)
        run = json.loads((out / "scale_python_runs.json").read_text())
        return [r for r in run["runs"] if r["step"] == step][-1]

    for rep in range(a.repeats):
        # Parsing to typed columns.
        stdout, _, peak = timed([a.forecast, "bench", "--data", str(a.data), "--steps", "parse", "--repeats", "1"])
        report = json.loads(stdout)
        add("parse ours", seconds=report["results"][0]["seconds"], peak_mb=peak)
        r = python_step("read_polars_fmt", rep)
        add("parse polars", seconds=r["read_s"], peak_mb=r["peak_rss_mb"])
        # The booster, and the whole train around it.
        _, err, peak = timed([a.forecast, "train", "--data", str(a.data), "--layout", "transactions", "--as-of", str(a.as_of),
                              "--origins", "1", *gbm, "--name", "bench-compare", "--store", str(a.out / "models"),
                              "--overwrite", "--version", "1"])
        fit = seconds(r"fitted in ([0-9.]+) s", err)
        whole = seconds(r"train: total ([0-9.]+) s", err)
        add("booster ours", seconds=fit, deviance=float(re.findall(r"train_deviance ([0-9.]+)", err)[-1]))
        add("train ours", seconds=whole, peak_mb=peak)
        stdout, _, peak = timed([python, "bench/booster_lightgbm.py", str(features_csv), "--threads", "2"])
        lgbm = json.loads(stdout)
        add("booster lightgbm", seconds=lgbm["fit_s"], deviance=lgbm["deviance"])
        features = python_step("features_polars_lazy", rep)
        training = python_step("train_lgbm", rep)
        add("train python", seconds=features["total_s"] + training["fit_s"] + training["predict_s"],
            peak_mb=max(features["peak_rss_mb"], training["peak_rss_mb"]))
        add("features polars", seconds=features["features_s"])
        out, err, _ = timed([a.forecast, "features", "--data", str(a.data), "--layout", "transactions", "--cutoff", str(origin),
                             "--out", str(features_csv)])
        add("features ours", seconds=seconds(r"features computed in ([0-9.]+) s", out + err))

    def summary(name: str, key: str) -> dict:
        values = [r[key] for r in runs[name]]
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    rows = [
        ("read + parse to typed columns (2 threads)", "parse ours", "parse polars", "polars read_csv + str.to_datetime", "2x faster"),
        ("booster fit, same rows and settings", "booster ours", "booster lightgbm", "LightGBM 4.7 fit", "at most LightGBM's time"),
        ("whole train: CSV to saved model", "train ours", "train python", "polars lazy features + LightGBM fit, predict",
         "half the Python time"),
        ("features of every customer, log in memory", "features ours", "features polars", "polars features_s", "under 0.3 s"),
    ]
    result = {"data": str(a.data), "as_of": str(a.as_of), "repeats": a.repeats, "runs": runs, "rows": []}
    lines = [
        "# The core path against the Python stack, one run",
        "",
        f"`make bench-compare` on `{a.data}` ({a.data.stat().st_size / 1e6:.0f} MB), as of {a.as_of} (one origin, "
        f"{origin}), {a.repeats} interleaved repeats, each step its own process; generated "
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
        "| step | ours, s (median, range) | reference | reference, s | ratio (reference / ours) | peak MB ours / reference | goal |",
        "| --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for label, ours, ref, ref_label, goal in rows:
        o, r = summary(ours, "seconds"), summary(ref, "seconds")
        peaks = ""
        if "peak_mb" in runs[ours][0] and "peak_mb" in runs[ref][0]:
            peaks = f"{summary(ours, 'peak_mb')['median']:,.0f} / {summary(ref, 'peak_mb')['median']:,.0f}"
        ratio = r["median"] / o["median"] if o["median"] > 0 else float("inf")
        lines.append(f"| {label} | {o['median']:.2f} ({o['min']:.2f}-{o['max']:.2f}) | {ref_label} | "
                     f"{r['median']:.2f} ({r['min']:.2f}-{r['max']:.2f}) | {ratio:.2f}x | {peaks} | {goal} |")
        result["rows"].append({"step": label, "ours": o, "reference": r, "ratio": ratio})
    d_ours, d_ref = summary("booster ours", "deviance")["median"], summary("booster lightgbm", "deviance")["median"]
    lines += ["", f"In-sample mean Poisson deviance of the two boosters on the same rows: ours {d_ours:.6f}, "
                  f"LightGBM {d_ref:.6f}."]
    (a.out / "compare.md").write_text("\n".join(lines) + "\n")
    (a.out / "compare.json").write_text(json.dumps(result, indent=1) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
