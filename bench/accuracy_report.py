#!/usr/bin/env python3
"""One table per data set from bench/accuracy.sh's runs: every model of `forecast backtest` and
every Python reference model, mean over the cutoffs, and the goals of the recommended model
(`auto`): best or within 0.5% of the best reference's deviance, |bias| < 3%, and its 80%
intervals' coverage beside what its laws promise. Standard library only.

    python3 bench/accuracy_report.py --out accuracy.md default=data/accuracy/default cdnow=data/accuracy/cdnow
"""

import argparse
import csv
import math
import sys


def number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return math.nan
    return value


def read_ours(path):
    """Mean rows of a `forecast backtest --format csv` file: model -> dict of floats."""
    with open(path, newline="") as f:
        return {r["model"]: r for r in csv.DictReader(f) if r["cutoff"] == "mean"}


def read_reference(path):
    with open(path, newline="") as f:
        return {r["model"]: r for r in csv.DictReader(f)}


def cell(value, fmt):
    return "–" if not math.isfinite(value) else fmt.format(value)


def table(name, folder):
    ours = read_ours(f"{folder}/ours.csv")
    reference = read_reference(f"{folder}/reference/reference_backtest_means.csv")
    lines = [f"### {name}", "",
             "| model | deviance | RMSE | bias | top10_capture | coverage_80 | nominal_80 | log_score | fit s / cutoff |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows = []
    for model, r in ours.items():
        rows.append((model, number(r["deviance"]), number(r["rmse"]), number(r["bias"]), number(r["top10_capture"]),
                     number(r.get("coverage_80")), number(r.get("nominal_80")), number(r.get("log_score")),
                     number(r.get("fit_seconds")), r.get("error") or ""))
    for model, r in reference.items():
        rows.append(("reference: " + model, number(r["deviance"]), number(r["rmse"]), number(r["bias"]),
                     number(r["top10_capture"]), math.nan, math.nan, math.nan, number(r["fit_s"]), r.get("error") or ""))
    rows.sort(key=lambda row: (not math.isfinite(row[1]), row[1]))
    for model, dev, rmse, bias, top, cov, nom, ls, fit, error in rows:
        label = f"**{model}**" if model == "auto" else model
        if error:
            label += f" ({error})"
        lines.append(f"| {label} | {cell(dev, '{:.4f}')} | {cell(rmse, '{:.4f}')} | {cell(100 * bias, '{:+.1f}%')} | "
                     f"{cell(top, '{:.4f}')} | {cell(cov, '{:.4f}')} | {cell(nom, '{:.4f}')} | {cell(ls, '{:.4f}')} | {cell(fit, '{:.1f}')} |")
    lines.append("")
    auto = ours.get("auto")
    scored_reference = [(m, number(r["deviance"])) for m, r in reference.items()
                        if m not in ("zero", "last30", "hist_rate") and math.isfinite(number(r["deviance"]))]
    if auto and scored_reference:
        best_model, best = min(scored_reference, key=lambda x: x[1])
        dev, bias = number(auto["deviance"]), number(auto["bias"])
        cov, nom = number(auto.get("coverage_80")), number(auto.get("nominal_80"))
        ours_best = min((number(r["deviance"]), m) for m, r in ours.items() if math.isfinite(number(r["deviance"])))
        gap = (dev / best - 1) * 100
        verdict = "better than" if gap < 0 else ("within 0.5% of" if gap <= 0.5 else "behind")
        lines.append(f"auto: deviance {dev:.4f}, {abs(gap):.2f}% {'below' if gap < 0 else 'above'} the best reference "
                     f"({best_model}, {best:.4f}): **{verdict}** it; best of ours {ours_best[1]} {ours_best[0]:.4f}. "
                     f"Bias {100 * bias:+.1f}% ({'within' if abs(bias) < 0.03 else 'outside'} ±3%). "
                     f"80% intervals cover {100 * cov:.1f}% of customers, against {100 * nom:.1f}% promised by its laws.")
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="+", help="NAME=FOLDER (FOLDER holds ours.csv and reference/)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    parts = ["# Forecast accuracy on every data set", "",
             "Mean over the cutoffs per model: ours (`forecast backtest`) and the Python reference models "
             "(`bench/reference_backtest.py`, the protocol of ../shared/anchors), on the same file in one run "
             "(`bash bench/accuracy.sh`). Sorted by deviance; fit seconds are per cutoff on this machine.", ""]
    for spec in args.sets:
        name, _, folder = spec.partition("=")
        try:
            parts.append(table(name, folder))
        except FileNotFoundError as e:
            print(f"accuracy_report: {name}: {e}", file=sys.stderr)
            return 2
    with open(args.out, "w") as f:
        f.write("\n".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
