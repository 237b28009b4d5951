#!/usr/bin/env python3
"""A reference reader of the toolkit's model files (docs/model-store.md), standard library only.

It checks a model file's envelope and checksum, then predicts from the features that
`forecast features` writes, for every kind the toolkit saves: zero, last30, hist_rate, ols, glm,
gbm, bgnbd, paretonbd, mbgnbd (with their seasonal calibration), blend and auto. It writes what
`forecast predict` writes: the expected count, P(0) and the 80% interval, and P(alive) as a
sixth column `p_alive` for the repeat-buying models (bgnbd, paretonbd, mbgnbd, also as auto's
choice):

    forecast features --data data/shop/transactions.csv --layout transactions --cutoff 2020-01-01 --out f.csv
    python3 docs/examples/forecast_model_reader.py models/default/1/model.json f.csv --cutoff 2020-01-01 > p.csv
    python3 docs/examples/forecast_model_reader.py models/default/1/model.json f.csv --cutoff 2020-01-01 --compare predictions.csv

--cutoff is the features' cutoff day: it gives the horizon (the days to the same day a month
later) and the month whose seasonal calibration factor the repeat-buying models apply. The
numerical algorithms are the toolkit's (Sources/Models), in the same order of operations, so
the numbers agree to the last bit or nearly.

With --compare it reads a `forecast predict` CSV for the same cutoff and exits 1 unless every
expected count, P(0), P(alive) (when the model has it) and interval agrees (numbers within
1e-9, relative to max(1, |value|); interval ends exactly).
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


# --- Floating point as the toolkit's (IEEE: overflow is inf, log 0 is -inf, never an exception) -

def exp(v):
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def expm1(v):
    try:
        return math.expm1(v)
    except OverflowError:
        return math.inf


def log(v):
    if v > 0:
        return math.log(v)
    return -math.inf if v == 0 else math.nan


def log1p(v):
    if v > -1:
        return math.log1p(v)
    return -math.inf if v == -1 else math.nan


def lgamma(v):
    """ln |Gamma(v)|. Python's own, which can differ from the C library's (the toolkit's) in the
    last digits (about 1e-11 at most, absolute): it only reaches P(k) for k >= 1, so the interval
    ends, where it would take a cumulative probability within that of 10% or 90% to change one."""
    try:
        return math.lgamma(v)
    except ValueError:  # a pole: 0 or a negative integer
        return math.inf
    except OverflowError:
        return math.inf


# --- Special functions and quadrature (Sources/Models/Numerics) --------------------------------

def hypergeometric2f1(a, b, c, z):
    """2F1(a, b; c; z): Gauss's theorem at z = 1, else the power series until a term no longer
    changes the sum (at most 100,000 terms)."""
    if z == 1:
        if not (a > 0 and b > 0 and c > 0):
            return math.nan
        excess = c - a - b
        if not excess > 0:
            return math.inf
        return exp(lgamma(c) + lgamma(excess) - lgamma(c - a) - lgamma(c - b))
    if not (-1 < z < 1):
        return math.nan
    term, total, k = 1.0, 1.0, 0.0
    while k < 100000:
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
        if abs(term) <= 1e-15 * abs(total):
            break
        k += 1
    return total


def _log_hypergeometric2f1_series(a, b, c, z, max_terms):
    term, total, k = 1.0, 1.0, 0.0
    while k < max_terms:
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
        if term <= 1e-17 * total:
            return math.log(total)
        k += 1
    return None


def log_hypergeometric2f1(a, b, c, z, max_terms=1000000):
    """log 2F1(a, b; c; z) for 0 <= z < 1, after Euler's transformation
    2F1(a, b; c; z) = (1 - z)^(c-a-b) 2F1(c-a, c-b; c; z) when c - a - b < 0 and c - a, c - b > 0;
    None when the series has not converged after max_terms terms."""
    if not (0 <= z < 1):
        return None
    exponent = c - a - b
    if exponent < 0 and c - a > 0 and c - b > 0:
        series = _log_hypergeometric2f1_series(c - a, c - b, c, z, max_terms)
        return None if series is None else exponent * log(-z + 1) + series
    return _log_hypergeometric2f1_series(a, b, c, z, max_terms)


def log_sum_exp(a, b):
    m = max(a, b)
    if m == -math.inf:
        return a
    return m + log(exp(a - m) + exp(b - m))


def log1m_exp(v):
    """log(1 - e^v) for v < 0."""
    return log(-expm1(v)) if v > -0.693 else log1p(-exp(v))


def gauss_legendre(n):
    """The n nodes and weights on [-1, 1], by Newton's method on the Legendre polynomial."""
    result = []
    for i in range(1, n + 1):
        x = math.cos(math.pi * (i - 0.25) / (n + 0.5))
        derivative = 0.0
        for _ in range(100):
            p0, p1 = 1.0, x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2.0 * k - 1) * x * p1 - (k - 1.0) * p0) / k
            derivative = n * (x * p1 - p0) / (x * x - 1)
            step = p1 / derivative
            x -= step
            if abs(step) < 1e-15:
                break
        result.append((x, 2 / ((1 - x * x) * derivative * derivative)))
    return result


GAUSS_LEGENDRE_32 = gauss_legendre(32)
GAUSS_LEGENDRE_64 = gauss_legendre(64)


def nodes32(lower, upper):
    """The 32-point rule mapped to [lower, upper]."""
    half, mid = (upper - lower) / 2, (upper + lower) / 2
    return [(mid + half * x, half * w) for x, w in GAUSS_LEGENDRE_32]


def negative_binomial(k, shape, rate, exposure):
    """P(N = k) for N ~ Poisson(lambda u), lambda ~ Gamma(shape, rate)."""
    if exposure <= 0:
        return 1.0 if k == 0 else 0.0
    u = exposure
    return exp(lgamma(shape + k) - lgamma(shape) - lgamma(k + 1.0) + shape * log(rate / (rate + u)) + k * log(u / (rate + u)))


# --- The repeat-buying models: BG/NBD, Pareto/NBD, MBG/NBD (Sources/Models/Probabilistic) ---------

def repeat_history(features):
    """(x, t_x, T) in days: x = freq_total - 1, t_x = tenure_days - recency_days, T = tenure_days - 1."""
    return features["freq_total"] - 1, features["tenure_days"] - features["recency_days"], features["tenure_days"] - 1


def repeat_buying_probabilities(alive, shape, rate, a, b, t, max_count):
    """P(X(t) = k), k = 0 ... max_count, of BG/NBD and MBG/NBD: alive with probability `alive`,
    lambda ~ Gamma(shape, rate), a drop-out probability p ~ Beta(a, b) after each purchase."""
    log_beta = lgamma(a) + lgamma(b) - lgamma(a + b)
    result, cumulative_nb = [], 0.0
    for k in range(max_count + 1):
        kk = float(k)
        nb = negative_binomial(k, shape, rate, t)
        survive = exp(lgamma(a) + lgamma(b + kk) - lgamma(a + b + kk) - log_beta)
        given = survive * nb
        if k > 0:
            drop = exp(lgamma(a + 1) + lgamma(b + kk - 1) - lgamma(a + b + kk) - log_beta)
            given += drop * max(0.0, 1 - cumulative_nb)
        cumulative_nb += nb
        result.append(alive * given + ((1 - alive) if k == 0 else 0.0))
    return result


class BGNBD:
    """Fader, Hardie & Lee (2005)."""

    def __init__(self, p):
        self.r, self.alpha, self.a, self.b = number(p["r"]), number(p["alpha"]), number(p["a"]), number(p["b"])

    def alive(self, x, tx, T):
        if not x > 0:
            return 1.0
        return 1 / (1 + exp(log(self.a) - log(self.b + x - 1) + (self.r + x) * (log(self.alpha + T) - log(self.alpha + tx))))

    def expectation(self, x, tx, T, t):
        r, alpha, b = self.r, self.alpha, self.b
        a = 1 + 1e-9 if abs(self.a - 1) < 1e-9 else self.a
        z = t / (alpha + T + t)
        f = hypergeometric2f1(r + x, b + x, a + b + x - 1, z)
        numerator = (a + b + x - 1) / (a - 1) * (1 - exp((r + x) * log((alpha + T) / (alpha + T + t))) * f)
        denominator = 1.0
        if x > 0:
            denominator += exp(log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx)))
        value = numerator / denominator
        return max(0.0, value) if math.isfinite(value) else 0.0

    def probabilities(self, x, tx, T, t, max_count):
        return repeat_buying_probabilities(self.alive(x, tx, T), self.r + x, self.alpha + T, self.a, self.b + x, t, max_count)


class MBGNBD(BGNBD):
    """Batislam, Denizel & Filiztekin (2007): BG/NBD with b + x + 1 survivals in place of b + x."""

    def alive(self, x, tx, T):
        odds = log(self.a) - log(self.b + x) + (self.r + x) * (log(self.alpha + T) - log(self.alpha + tx))
        return 0.0 if odds > 700 else 1 / (1 + exp(odds))

    def expectation(self, x, tx, T, t):
        r, alpha, b = self.r, self.alpha, self.b
        a = 1 + 1e-9 if abs(self.a - 1) < 1e-9 else self.a
        z = t / (alpha + T + t)
        f = hypergeometric2f1(r + x, b + x + 1, a + b + x, z)
        numerator = (a + b + x) / (a - 1) * (1 - exp((r + x) * log((alpha + T) / (alpha + T + t))) * f)
        value = numerator * self.alive(x, tx, T)
        return max(0.0, value) if math.isfinite(value) else 0.0

    def probabilities(self, x, tx, T, t, max_count):
        return repeat_buying_probabilities(self.alive(x, tx, T), self.r + x, self.alpha + T, self.a, self.b + x + 1, t, max_count)


class ParetoNBD:
    """Schmittlein, Morrison & Colombo (1987); the likelihood's bracket as in Fader & Hardie (2005)."""

    def __init__(self, p):
        self.r, self.alpha, self.s, self.beta = number(p["r"]), number(p["alpha"]), number(p["s"]), number(p["beta"])

    def log_terms(self, x, tx, T):
        """log[(alpha+T)^-(r+x) (beta+T)^-s] and log[s/(r+s+x) A0] (None when A0 = 0)."""
        r, alpha, s, beta = self.r, self.alpha, self.s, self.beta
        first = -(r + x) * log(alpha + T) - s * log(beta + T)
        if not tx < T:
            return first, None
        a = r + s + x
        c = r + s + x + 1
        big, small, b = (alpha, beta, s + 1) if alpha >= beta else (beta, alpha, r + x)
        # Near z = 1 the series is slow: the quadrature instead (ParetoNBD.seriesLimit).
        if (big - small) / (big + tx) > 0.99:
            return first, log(s) + self.log_death_integral(r + x, from_=tx, to=T)

        def log_f(t):
            z = (big - small) / (big + t)
            value = log_hypergeometric2f1(a, b, c, z, max_terms=20000)
            return None if value is None else value - a * log(big + t)

        f1, f2 = log_f(tx), log_f(T)
        if f1 is None or f2 is None:
            return first, log(s) + self.log_death_integral(r + x, from_=tx, to=T)
        if not f2 < f1:
            return first, None
        log_a0 = f1 + log1m_exp(f2 - f1)
        return first, log(s) - log(a) + log_a0

    def log_death_integral(self, rx, from_, to):
        """log of the integral of (alpha+tau)^-(r+x) (beta+tau)^-(s+1) over [t_x, T], by 64-point
        Gauss-Legendre quadrature in w = log(min(alpha, beta) + tau)."""
        alpha, s, beta = self.alpha, self.s, self.beta
        m = alpha if alpha <= beta else beta
        lo, hi = log(m + from_), log(m + to)
        half = (hi - lo) / 2
        total = None
        for xi, weight in GAUSS_LEGENDRE_64:
            w = lo + half * (1 + xi)
            tau = exp(w) - m
            term = -(rx * log(alpha + tau)) - (s + 1) * log(beta + tau) + w + log(half * weight)
            total = term if total is None else log_sum_exp(total, term)
        return total

    def alive(self, x, tx, T):
        first, second = self.log_terms(x, tx, T)
        if second is None:
            return 1.0
        return exp(first - log_sum_exp(first, second))

    def expectation(self, x, tx, T, t):
        r, alpha, s, beta = self.r, self.alpha, self.s, self.beta
        rate = (r + x) / (alpha + T)
        if abs(s - 1) < 1e-9:
            exposure = (beta + T) * log1p(t / (beta + T))
        else:
            exposure = (beta + T) / (s - 1) * -expm1((s - 1) * -log1p(t / (beta + T)))
        value = rate * exposure * self.alive(x, tx, T)
        return max(0.0, value) if math.isfinite(value) else 0.0

    def probabilities(self, x, tx, T, t, max_count):
        """Dead customers buy nothing; one alive at T is negative binomial over min(lifetime, t),
        the lifetime integrated out by 32-point Gauss-Legendre quadrature."""
        if max_count < 0:
            return []
        alive = self.alive(x, tx, T)
        shape, rate, b = self.r + x, self.alpha + T, self.beta + T
        survives = exp(-self.s * log1p(t / b))
        nodes = [(u, w * self.s / b * exp(-(self.s + 1) * log1p(u / b))) for u, w in nodes32(0.0, t)]
        result = []
        for k in range(max_count + 1):
            given = survives * negative_binomial(k, shape, rate, t)
            for u, weighted_density in nodes:
                given += weighted_density * negative_binomial(k, shape, rate, u)
            result.append(alive * given + ((1 - alive) if k == 0 else 0.0))
        return result


REPEAT_BUYING = {"bgnbd": BGNBD, "paretonbd": ParetoNBD, "mbgnbd": MBGNBD}


def calibration_factor(model, cutoff, horizon_days):
    """The seasonal calibration's factor for a forecast from `cutoff` (a date) over `horizon_days`:
    that of the month holding day cutoff + (horizon - 1) // 2; 1 without a calibration."""
    factors = (model.get("calibration") or {}).get("factors")
    if not factors or len(factors) != 12:
        return 1.0
    if cutoff is None:
        if all(number(f) == 1 for f in factors):
            return 1.0
        raise ModelFileError("this model's forecasts depend on the cutoff's month (its seasonal calibration): give --cutoff")
    middle = cutoff + datetime.timedelta(days=max(0, horizon_days - 1) // 2)
    return number(factors[middle.month - 1])


# --- Predictions ------------------------------------------------------------------------------

KINDS = ("zero", "last30", "hist_rate", "ols", "glm", "gbm", "bgnbd", "paretonbd", "mbgnbd", "blend", "auto")


def expected_count(kind, model, features, horizon_days, cutoff):
    """The expected number of events over the horizon for one customer (`predict`)."""
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
        return max(0.0, expm1(linear_score(model, features)))
    if kind == "gbm":
        return math.exp(min(gbm_score(model, features), 30.0))
    if kind in REPEAT_BUYING:
        factor = calibration_factor(model, cutoff, horizon_days)
        return factor * REPEAT_BUYING[kind](model["parameters"]).expectation(*repeat_history(features), float(horizon_days))
    if kind == "blend":
        total = 0.0
        for component, weight in zip(model["components"], model["weights"]):
            w = number(weight)
            if w > 0:
                total += w * expected_count(component["kind"], component["model"], features, horizon_days, cutoff)
        return total
    if kind == "auto":
        chosen = model.get("chosen")
        if chosen is None:
            raise ModelFileError("this auto model has no chosen model (not fitted)")
        return expected_count(chosen["kind"], chosen["model"], features, horizon_days, cutoff)
    raise ModelFileError(f"kind {kind!r} is not read by this example (it reads {', '.join(KINDS)})")


def summarize(probability, expected):
    """P(0) and the 80% interval of a count law given by probability(k), read until the cumulative
    probability reaches 90% (PredictiveSummary.fromDistribution)."""
    p0 = probability(0)
    cumulative = p0
    lower = 0 if cumulative >= 0.1 else -1
    k = 0
    while cumulative < 0.9 and k < 100000:
        k += 1
        p = probability(k)
        if lower < 0 and cumulative + p >= 0.1:
            lower = k
        cumulative += p
    return expected, p0, max(0, lower), k


def count_summary(mean, size=None):
    """Expected count, P(0) and the central 80% interval (10% and 90% quantiles) of the law around
    the mean: negative binomial with the model's `dispersion_size` when it has one, else Poisson."""
    mu = max(0.0, mean)
    if size is None:
        state = [exp(-mu), 0]

        def probability(k):
            while state[1] < k:
                state[1] += 1
                state[0] *= mu / state[1]
            return state[0]
    else:
        q = mu / (size + mu)
        state = [exp(size * log(size / (size + mu))) if mu > 0 else 1.0, 0]

        def probability(k):
            while state[1] < k:
                state[0] *= (state[1] + size) / (state[1] + 1) * q
                state[1] += 1
            return state[0]
    return summarize(probability, mean)


def predictive(kind, model, features, horizon_days, cutoff):
    """(expected count, P(0), 80% interval lower end, upper end, P(alive) or None) for one
    customer, as `forecast predict` writes them."""
    if kind == "auto":
        chosen = model.get("chosen")
        if chosen is None:
            raise ModelFileError("this auto model has no chosen model (not fitted)")
        return predictive(chosen["kind"], chosen["model"], features, horizon_days, cutoff)
    if kind in REPEAT_BUYING:
        # The model's own distribution over the horizon stretched by the calibration factor.
        m = REPEAT_BUYING[kind](model["parameters"])
        history = repeat_history(features)
        factor = calibration_factor(model, cutoff, horizon_days)
        t = float(horizon_days)
        table = []

        def probability(k):
            nonlocal table
            if k >= len(table):
                table = m.probabilities(*history, factor * t, max(2 * k, 8))
            return table[k]

        return summarize(probability, factor * m.expectation(*history, t)) + (m.alive(*history),)
    mean = expected_count(kind, model, features, horizon_days, cutoff)
    size = model.get("dispersion_size") if kind in ("glm", "gbm", "blend") else None
    return count_summary(mean, None if size is None else number(size)) + (None,)


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
    parser.add_argument("--cutoff", help="the features' cutoff day (YYYY-MM-DD), for the horizon and the seasonal "
                                         "calibration's month (without it: a 31-day month, and a model with a "
                                         "seasonal calibration is refused)")
    parser.add_argument("--horizon-days", type=int, help="the horizon in days (overrides the one from --cutoff)")
    parser.add_argument("--compare", help="a `forecast predict` CSV to check against")
    parser.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args(argv)

    try:
        payload = load_model(args.model)
        cutoff = datetime.date.fromisoformat(args.cutoff) if args.cutoff else None
        horizon = args.horizon_days or (horizon_from_cutoff(args.cutoff) if args.cutoff else 31)
        ours = {customer: predictive(payload["kind"], payload["model"], features, horizon, cutoff)
                for customer, features in read_features(args.features)}
    except (ModelFileError, ValueError, KeyError) as e:
        message = f"missing member {e}" if isinstance(e, KeyError) else str(e)
        print(f"forecast_model_reader: {message}", file=sys.stderr)
        return 2
    # P(alive) only from the repeat-buying models (directly or as auto's choice): a sixth column.
    alive = any(row[4] is not None for row in ours.values())

    if not args.compare:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["customer_id", "expected_events", "p_zero", "lower_80", "upper_80"] + (["p_alive"] if alive else []))
        for customer, (mean, p0, lo, hi, p_alive) in ours.items():
            out.writerow([customer, repr(mean), repr(p0), lo, hi] + ([repr(p_alive)] if alive else []))
        return 0

    columns = ["expected_events", "p_zero"] + (["p_alive"] if alive else [])
    worst = dict.fromkeys(columns, 0.0)
    compared, problems = 0, []
    with open(args.compare, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        if alive != ("p_alive" in header):
            problems.append("the model gives P(alive) but the predictions have no p_alive column" if alive
                            else "the predictions have a p_alive column but the model gives no P(alive)")
        columns = [c for c in columns if c in header]
        for row in reader:
            customer = row["customer_id"]
            if customer not in ours:
                problems.append(f"{customer}: in the predictions but not in the features")
                continue
            mean, p0, lo, hi, p_alive = ours[customer]
            mine = {"expected_events": mean, "p_zero": p0, "p_alive": p_alive}
            for column in columns:
                if row.get(column) in (None, ""):
                    problems.append(f"{customer}: no {column}")
                    continue
                a, b = mine[column], float(row[column])
                if a == b or (math.isnan(a) and math.isnan(b)):
                    continue
                difference = abs(a - b) / max(1.0, abs(b))
                worst[column] = max(worst[column], difference if difference == difference else math.inf)
            if (lo, hi) != (int(row["lower_80"]), int(row["upper_80"])):
                problems.append(f"{customer}: interval {lo}..{hi}, predictions say {row['lower_80']}..{row['upper_80']}")
            compared += 1
    if compared != len(ours):
        problems.append(f"{len(ours)} customers in the features, {compared} compared")
    largest = max(worst.values(), default=0.0)
    ok = largest <= args.tolerance and not problems
    kind = payload["kind"] + (f" chose {payload['model']['chosen']['kind']}" if payload["kind"] == "auto" else "")
    detail = ", ".join(f"{c} {worst[c]:.3g}" for c in columns)
    print(f"{payload['name']}@{payload['version']} ({kind}): {compared} customers compared, "
          f"largest difference {largest:.3g} ({detail}; tolerance {args.tolerance:g}): {'ok' if ok else 'MISMATCH'}")
    for p in problems[:10]:
        print("  " + p)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
