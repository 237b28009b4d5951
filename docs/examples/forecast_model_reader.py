#!/usr/bin/env python3
"""A reference reader of the toolkit's model files (docs/model-store.md), standard library only.

It checks a model file's envelope and checksum, then predicts from the features that
`forecast features` writes, for the kinds zero, last30, hist_rate, ols, glm and gbm:

    forecast features --data data/shop/transactions.csv --layout transactions --cutoff 2020-01-01 --out f.csv
    python3 docs/examples/forecast_model_reader.py models/default/1/model.json f.csv > p.csv
    python3 docs/examples/forecast_model_reader.py models/default/1/model.json f.csv --compare predictions.csv

With --compare it reads a `forecast predict` CSV for the same cutoff and exits 1 unless every
expected count, P(0) and interval agrees (counts within 1e-9, relative to max(1, |value|)).
"""

import argparse
import csv
import datetime
import hashlib
import json
import math
import sys

FORMAT = "forecast-model"
FORMAT_VERSION = 1
PAYLOAD_MARKER = b'"payload" : '
TRAILER = b"\n}\n"


class ModelFileError(Exception):
    """The file is not a model this reader can use; the message says why."""


def load_model(path):
    """The checked payload of a model file (a dict), or ModelFileError."""
    with open(path, "rb") as f:
        raw = f.read()
    if not raw:
        raise ModelFileError(f"{path}: the file is empty")
    if not raw.endswith(TRAILER):
        raise ModelFileError(f"{path}: truncated (it does not end with the envelope's closing brace)")
    start = raw.find(PAYLOAD_MARKER)
    if start < 0:
        raise ModelFileError(f'{path}: no "payload" member: not a model file')
    payload = raw[start + len(PAYLOAD_MARKER):-len(TRAILER)]
    # The envelope alone (the payload replaced by null), so a damaged payload is reported as such.
    try:
        header = json.loads(raw[:start] + b'"payload" : null\n}\n')
    except ValueError as e:
        raise ModelFileError(f"{path}: the envelope does not parse: {e}")
    if header.get("format") != FORMAT:
        raise ModelFileError(f"{path}: format is {header.get('format')!r}, expected {FORMAT!r}")
    if header.get("format_version", 0) > FORMAT_VERSION:
        raise ModelFileError(f"{path}: format_version {header['format_version']} is newer than this reader ({FORMAT_VERSION})")
    actual = hashlib.sha256(payload).hexdigest()
    if actual != header.get("payload_sha256"):
        raise ModelFileError(f"{path}: the payload's SHA-256 is {actual} but the file records {header.get('payload_sha256')}: "
                             "changed or damaged after it was written")
    return json.loads(payload)


def number(value):
    """A JSON number of the payload; non-finite numbers are written as strings."""
    if isinstance(value, str):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[value]
    return float(value)


# --- GLM and OLS: the design of docs/model-store.md, then X . coefficients -------------------

def design_row(design, features):
    """The design-matrix row of one customer (a dict name -> float, NaN when missing)."""
    row = [1.0]
    for c in design["columns"]:
        v = features[c["feature"]]
        if c["indicator"]:
            t = 1.0 if math.isnan(v) else 0.0
        else:
            x = number(c["median"]) if math.isnan(v) else v
            if c["signed_log"]:
                t = -math.log1p(-x) if x < 0 else math.log1p(x)
            else:
                t = math.log1p(max(x, -0.999999))
        scale = number(c["scale"])
        row.append((t - number(c["mean"])) / scale if scale > 0 else 0.0)
    if design["month_one_hot"]:
        month = features["target_month"]
        row.extend(1.0 if not math.isnan(month) and int(month) == m else 0.0 for m in range(1, 13))
    return row


def linear_score(model, features):
    coefficients = [number(b) for b in model["coefficients"]]
    row = design_row(model["design"], features)
    return sum(x * b for x, b in zip(row, coefficients))


# --- Gradient-boosted trees -----------------------------------------------------------------

def tree_value(tree, values):
    """The leaf value a row reaches (values in the model's feature_names order)."""
    if not tree["feature"]:
        return number(tree["leaf_value"][0])
    k = 0
    while True:
        v = values[tree["feature"][k]]
        go_left = tree["missing_left"][k] if math.isnan(v) else v <= number(tree["threshold"][k])
        child = tree["left"][k] if go_left else tree["right"][k]
        if child < 0:
            return number(tree["leaf_value"][-child - 1])
        k = child


def gbm_score(model, features):
    values = [features[name] for name in model["feature_names"]]
    score = number(model["initial_score"])
    for tree in model["trees"]:
        score += tree_value(tree, values)
    return score


# --- Predictions ------------------------------------------------------------------------------

def expected_count(payload, features, horizon_days):
    """The expected number of events over the horizon for one customer."""
    kind, model = payload["kind"], payload["model"]
    if kind == "zero":
        return 0.0
    if kind == "last30":
        recent = features["freq_30"]
        return recent if 28 <= horizon_days <= 31 else recent * horizon_days / 30.0
    if kind == "hist_rate":
        return features["freq_total"] / features["tenure_days"] * horizon_days
    if kind == "glm":
        return math.exp(min(linear_score(model, features), 30.0))
    if kind == "ols":
        return max(0.0, math.expm1(linear_score(model, features)))
    if kind == "gbm":
        return math.exp(min(gbm_score(model, features), 30.0))
    raise ModelFileError(f"kind {kind!r} is not read by this example (it reads zero, last30, hist_rate, ols, glm, gbm)")


def count_summary(mean, size=None):
    """P(0) and the central 80% interval (10% and 90% quantiles) of the law around the mean:
    negative binomial with the model's `dispersion_size` when it has one, else Poisson."""
    mu = max(0.0, mean)
    if size is None:
        p0 = math.exp(-mu)
        step = lambda k, p: p * mu / (k + 1)
    else:
        p0 = math.exp(size * math.log(size / (size + mu))) if mu > 0 else 1.0
        q = mu / (size + mu)
        step = lambda k, p: p * (k + size) / (k + 1) * q

    def quantile(level):
        p, k = p0, 0
        cumulative = p
        while cumulative < level and k < 100000:
            p = step(k, p)
            k += 1
            cumulative += p
        return k

    return p0, quantile(0.1), quantile(0.9)


def read_features(path):
    """Rows of a `forecast features` CSV: (customer_id, {feature: float}), NaN for an empty cell."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        names = header[1:-1]  # customer_id first, next_month_events last
        for row in reader:
            yield row[0], {n: (float(v) if v != "" else math.nan) for n, v in zip(names, row[1:-1])}


def horizon_from_cutoff(cutoff):
    """Days from the cutoff (YYYY-MM-DD) to the same day a month later, as the toolkit uses."""
    c = datetime.date.fromisoformat(cutoff)
    nxt = datetime.date(c.year + (c.month == 12), c.month % 12 + 1, 1)
    if c.day == 1:
        return (nxt - c).days
    after = datetime.date(nxt.year + (nxt.month == 12), nxt.month % 12 + 1, 1)
    day = min(c.day, (after - nxt).days)
    return (nxt.replace(day=day) - c).days


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a model.json")
    parser.add_argument("features", help="a CSV written by `forecast features`")
    parser.add_argument("--cutoff", help="the features' cutoff day, for the horizon (default: a 31-day month)")
    parser.add_argument("--horizon-days", type=int, help="the horizon in days (overrides --cutoff)")
    parser.add_argument("--compare", help="a `forecast predict` CSV to check against")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args(argv)

    try:
        payload = load_model(args.model)
    except ModelFileError as e:
        print(f"forecast_model_reader: {e}", file=sys.stderr)
        return 2
    horizon = args.horizon_days or (horizon_from_cutoff(args.cutoff) if args.cutoff else 31)
    ours = {}
    for customer, features in read_features(args.features):
        mean = expected_count(payload, features, horizon)
        ours[customer] = (mean,) + count_summary(mean, payload["model"].get("dispersion_size"))

    if not args.compare:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["customer_id", "expected_events", "p_zero", "lower_80", "upper_80"])
        for customer, (mean, p0, lo, hi) in ours.items():
            out.writerow([customer, repr(mean), repr(p0), lo, hi])
        return 0

    worst, compared, problems = 0.0, 0, []
    with open(args.compare, newline="") as f:
        for row in csv.DictReader(f):
            customer = row["customer_id"]
            if customer not in ours:
                problems.append(f"{customer}: in the predictions but not in the features")
                continue
            mean, p0, lo, hi = ours[customer]
            for mine, theirs in ((mean, float(row["expected_events"])), (p0, float(row["p_zero"]))):
                worst = max(worst, abs(mine - theirs) / max(1.0, abs(theirs)))
            if (lo, hi) != (int(row["lower_80"]), int(row["upper_80"])):
                problems.append(f"{customer}: interval {lo}..{hi}, predictions say {row['lower_80']}..{row['upper_80']}")
            compared += 1
    if compared != len(ours):
        problems.append(f"{len(ours)} customers in the features, {compared} compared")
    ok = worst <= args.tolerance and not problems
    print(f"{payload['name']}@{payload['version']} ({payload['kind']}): {compared} customers compared, "
          f"largest difference {worst:.3g} (tolerance {args.tolerance:g}): {'ok' if ok else 'MISMATCH'}")
    for p in problems[:10]:
        print("  " + p)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
