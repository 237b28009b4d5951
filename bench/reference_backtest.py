#!/usr/bin/env python3
"""Python reference models on any transaction log, for side-by-side runs with `forecast backtest`.

Runs the reference models of shared/anchors/ (lifetimes BG/NBD, MBG/NBD,
Pareto/NBD; scikit-learn PoissonRegressor and HistGradientBoosting; LightGBM;
the zero / last30 / hist_rate baselines) with exactly the protocol of
anchors/cdnow_next_month.py, but on any flat transaction log and any run of
monthly cutoffs, so that generated shops can be scored by both sides, not
only CDNOW. The protocol, the models, the features and the metrics are
imported from the anchors folder, never copied, so the two scripts cannot
drift apart:

* events = distinct (customer, day); an event's value is the sum of its
  rows' quantity * unit_price;
* cutoffs c = month starts; scored customers = those with an event before c;
  target = their events in [c, next month start);
* supervised models train on stacked rows of the month starts o with
  log start < o and o + 1 month <= c, from the first month start after the
  first event day;
* lifetimes models fit on (x, t_x, T) in days of the events before c.

Input
-----
--data PATH, a CSV with a header naming customer_id, product_id, timestamp,
quantity, unit_price and optionally status (product_id is not used).
Timestamps are YYYY-MM-DDTHH:MM:SS or a bare YYYY-MM-DD; only the calendar
day counts. Rows whose status is cancelled/canceled (any case, trimmed) are
dropped, as `forecast backtest --status-col status` does by default; other
statuses (completed, returned...) are kept. `--layout cdnow` reads
CDNOW_master.txt with anchors' own load_cdnow_events instead.

Output (in --out)
-----------------
reference_backtest.csv        one row per model and cutoff: model, cutoff,
                              n_customers, mae, rmse, deviance, bias,
                              top10_capture, fit_s, predict_s, then dataset
                              (--label), error (why a model gave no scores
                              at that cutoff) and note (penalizer retries,
                              repaired predictions)
reference_backtest_means.csv  the mean per model over the cutoffs where it
                              gave scores (cutoff = "mean", n_cutoffs = how
                              many), as `forecast backtest` averages
A progress line per model and cutoff goes to stdout. Bad input (missing
file, columns, unreadable rows, bad cutoffs) stops with a message on stderr
and exit code 2; a model failing at a cutoff does not stop the run.

Run (from the repository root; the virtual environment holds
shared/anchors/requirements.txt):

    python3 -m venv .venv-anchors && .venv-anchors/bin/pip install -r ../shared/anchors/requirements.txt
    forecast generate --out /tmp/shop --customers 1500 --seed 3 --clean
    .venv-anchors/bin/python bench/reference_backtest.py --data /tmp/shop/transactions.csv \\
        --cutoffs 2019-10-01..2019-12-01 --out /tmp/shop-ref --label default-1500
    .venv-anchors/bin/python bench/reference_backtest.py --layout cdnow \\
        --data ../shared/datasets/cdnow/CDNOW_master.txt --cutoffs 1997-10-01..1997-11-01 \\
        --out /tmp/cdnow-ref --skip-pareto

Options: --models a,b (restrict to these), --skip-pareto (Pareto/NBD can take
minutes per fit), --anchors DIR (default ../../shared/anchors from this file).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import io
import re
import sys
import time
import warnings
from pathlib import Path

try:
    import numpy as np
    import pandas as pd
except ImportError as e:  # the usual mistake: the system python instead of the venv
    print(f"reference_backtest: {e}; run it with the anchors venv, e.g. .venv-anchors/bin/python", file=sys.stderr)
    sys.exit(2)

DEFAULT_ANCHORS = Path(__file__).resolve().parent / ".." / ".." / "shared" / "anchors"

BASELINES = ("zero", "last30", "hist_rate")
LIFETIMES_MODELS = ("bgnbd", "mbgnbd", "pareto_nbd")
ML_MODELS = ("poisson_glm", "hgb_poisson", "lgbm_poisson")
MODELS = BASELINES + LIFETIMES_MODELS + ML_MODELS

METRICS = ["mae", "rmse", "deviance", "bias", "top10_capture"]
COLUMNS = ["model", "cutoff", "n_customers"] + METRICS + ["fit_s", "predict_s", "dataset", "error", "note"]
REQUIRED_COLUMNS = ("customer_id", "timestamp", "quantity", "unit_price")
EXCLUDED_STATUSES = {"cancelled", "canceled"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")

# Set by load_anchors(): the folder is a command-line flag, so the imports happen at run time.
F = None  # anchors/features.py
C = None  # anchors/cdnow_next_month.py


class InputError(Exception):
    """Bad input: reported on stderr, exit code 2."""


# --------------------------------------------------------------------------
# arguments and anchors
# --------------------------------------------------------------------------
def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="transaction CSV, or CDNOW_master.txt with --layout cdnow")
    ap.add_argument("--layout", choices=("transactions", "cdnow"), default="transactions")
    ap.add_argument("--cutoffs", required=True, help="FIRST..LAST month starts, YYYY-MM-DD..YYYY-MM-DD")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--models", help="comma list to restrict to, from: " + ",".join(MODELS))
    ap.add_argument("--skip-pareto", action="store_true", help="do not fit Pareto/NBD")
    ap.add_argument("--label", help="data-set name written into the outputs (default: from --data)")
    ap.add_argument("--anchors", type=Path, default=DEFAULT_ANCHORS, help="the shared/anchors folder")
    return ap.parse_args(argv)


def load_anchors(folder: Path):
    """Import features.py and cdnow_next_month.py from the anchors folder."""
    global F, C
    folder = folder.resolve()
    if not (folder / "features.py").is_file() or not (folder / "cdnow_next_month.py").is_file():
        raise InputError(f"{folder} has no features.py / cdnow_next_month.py (give --anchors)")
    sys.path.insert(0, str(folder))
    F = importlib.import_module("features")
    C = importlib.import_module("cdnow_next_month")


def parse_cutoffs(text: str) -> list[dt.date]:
    """'FIRST..LAST' (or one date) -> the month starts FIRST..LAST."""
    parts = text.split("..")
    if len(parts) not in (1, 2):
        raise InputError(f"--cutoffs {text!r}: expected FIRST..LAST, e.g. 2019-10-01..2019-12-01")
    try:
        first, last = (dt.date.fromisoformat(p.strip()) for p in (parts[0], parts[-1]))
    except ValueError:
        raise InputError(f"--cutoffs {text!r}: dates must be YYYY-MM-DD") from None
    if first.day != 1 or last.day != 1:
        raise InputError(f"--cutoffs {text!r}: cutoffs must be month starts (day 01)")
    if last < first:
        raise InputError(f"--cutoffs {text!r}: the last cutoff is before the first")
    return F.month_starts(first, last)


def selected_models(args) -> list[str]:
    """Models to run, in the canonical order whatever order --models gives."""
    wanted = set(MODELS)
    if args.models:
        wanted = {m.strip() for m in args.models.split(",") if m.strip()}
        unknown = sorted(wanted - set(MODELS))
        if unknown:
            raise InputError(f"--models: unknown {', '.join(unknown)}; known: {', '.join(MODELS)}")
    if args.skip_pareto:
        wanted.discard("pareto_nbd")
    return [m for m in MODELS if m in wanted]


# --------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------
def load_events(args) -> tuple[pd.DataFrame, str]:
    """Events (customer, day, value) of --data, and a line describing the load."""
    if not args.data.is_file():
        raise InputError(f"--data {args.data}: no such file")
    if args.layout == "cdnow":
        # anchors' own reader, so the CDNOW rows match cdnow_next_month.csv exactly
        ev = C.load_cdnow_events(args.data)
        return ev, f"{len(ev)} events"
    return load_transactions(args.data)


def load_transactions(path: Path) -> tuple[pd.DataFrame, str]:
    """customer_id,product_id,timestamp,quantity,unit_price[,status] -> events."""
    # Everything as text first: ids keep leading zeros, and bad fields can be named by line.
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read as CSV ({e})") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; the header has {', '.join(raw.columns)} "
            f"(expected customer_id,product_id,timestamp,quantity,unit_price[,status])"
        )
    if raw.empty:
        raise InputError(f"{path}: no data rows")
    n_rows = len(raw)
    raw, n_excluded = drop_excluded_statuses(raw)
    rows = parse_rows(raw, path)
    ev = F.collapse_events_pandas(rows, "customer_id", "day", "value")
    info = f"{n_rows} rows, {n_excluded} dropped by status, {len(ev)} events"
    return ev, info


def drop_excluded_statuses(raw: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop cancelled orders' rows, as the toolkit's default --exclude-status does."""
    status_col = next((c for c in raw.columns if c.lower() == "status"), None)
    if status_col is None:
        return raw, 0
    drop = raw[status_col].str.strip().str.lower().isin(EXCLUDED_STATUSES)
    return raw[~drop], int(drop.sum())


def parse_rows(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Text columns -> customer_id, day (days since 1970-01-01), value; InputError on bad fields."""
    customer = raw["customer_id"].str.strip()
    ts = raw["timestamp"].str.strip()
    # Only the calendar day of a naive timestamp matters (events are customer-days).
    shape_ok = ts.str.match(TIMESTAMP).fillna(False).astype(bool)
    dates = pd.to_datetime(ts.str[:10].where(shape_ok), format="%Y-%m-%d", errors="coerce")
    qty = pd.to_numeric(raw["quantity"].str.strip(), errors="coerce")
    price = pd.to_numeric(raw["unit_price"].str.strip(), errors="coerce")
    problems = {
        "empty customer_id": customer == "",
        "bad timestamp": dates.isna(),
        "non-numeric quantity": qty.isna(),
        "non-numeric unit_price": price.isna(),
    }
    for what, bad in problems.items():
        if bad.any():
            # +2: pandas positions are 0-based and line 1 is the header
            lines = [str(i + 2) for i in np.flatnonzero(bad.to_numpy())[:5]]
            raise InputError(
                f"{path}: {int(bad.sum())} row(s) with {what}, first at line(s) {', '.join(lines)} "
                "(the reference needs a clean log, e.g. forecast generate --clean)"
            )
    day = ((dates - pd.Timestamp("1970-01-01")).dt.days).astype("int64")
    return pd.DataFrame(
        {
            "customer_id": customer.to_numpy(),
            "day": day.to_numpy(),
            "value": (qty * price).to_numpy(dtype=np.float64),
        }
    )


def check_cutoffs(events: pd.DataFrame, cutoffs: list[dt.date]) -> None:
    """Refuse cutoffs with nobody to score; warn about target months past the log."""
    first_day, last_day = F.day_to_date(events["day"].min()), F.day_to_date(events["day"].max())
    if cutoffs[0] <= first_day:
        raise InputError(
            f"--cutoffs: the first cutoff {cutoffs[0]} is not after the log's first day {first_day}: "
            "no customer to score"
        )
    # A log may end a day or two before its last month does, so only wholly missing months warn.
    late = [c for c in cutoffs if c > last_day]
    if late:
        print(
            f"warning: the log ends {last_day}; cutoff(s) {', '.join(map(str, late))} score a month "
            "with no data (every actual count is 0)",
            file=sys.stderr,
        )


# --------------------------------------------------------------------------
# features, cached per month start
# --------------------------------------------------------------------------
class MonthFeatures:
    """Feature table and target per month start, each built once: the cutoffs
    and every cutoff's training origins share them."""

    def __init__(self, events: pd.DataFrame):
        self.events = events
        self.log_start = int(events["day"].min())
        self.tables: dict[dt.date, tuple[pd.DataFrame, np.ndarray]] = {}

    def first_origin(self) -> dt.date:
        return F.add_months(F.day_to_date(self.log_start).replace(day=1), 1)

    def at(self, o: dt.date) -> tuple[pd.DataFrame, np.ndarray]:
        if o not in self.tables:
            X = F.build_features_pandas(self.events, o, self.log_start)
            y = F.target_pandas(self.events, o, X.index).to_numpy(dtype=np.float64)
            self.tables[o] = (X, y)
        return self.tables[o]

    def training_rows(self, c: dt.date) -> tuple[pd.DataFrame, np.ndarray]:
        """Stacked rows of the origins whose target month ends on or before c."""
        origins = [o for o in F.month_starts(self.first_origin(), c) if F.add_months(o, 1) <= c]
        if not origins:
            raise ValueError(f"no training origin before {c} (the first is {self.first_origin()})")
        parts = [self.at(o) for o in origins]
        X = pd.concat([p[0] for p in parts], ignore_index=True)
        y = np.concatenate([p[1] for p in parts])
        return X, y


# --------------------------------------------------------------------------
# models: each returns (pred, fit_s, predict_s, note) or raises
# --------------------------------------------------------------------------
def run_baseline(name: str, Xc: pd.DataFrame, ndays: int):
    t = time.perf_counter()
    if name == "zero":
        p = np.zeros(len(Xc))
    elif name == "last30":
        p = Xc["freq_30"].to_numpy(dtype=np.float64)
    else:  # hist_rate
        p = Xc["freq_total"].to_numpy(dtype=np.float64) / Xc["tenure_days"].to_numpy(dtype=np.float64) * ndays
    return p, 0.0, time.perf_counter() - t, ""


class ModelFailed(Exception):
    """A fit that gave no model; fit_s is still worth reporting (e.g. a timeout)."""

    def __init__(self, message: str, fit_s: float | None = None):
        super().__init__(message)
        self.fit_s = fit_s


def run_lifetimes(name: str, Xc: pd.DataFrame, ndays: int):
    x, t_x, T = C.rfm_days(Xc)
    budget = C.PARETO_BUDGET_S if name == "pareto_nbd" else None
    # lifetimes prints scipy's whole optimiser result before raising ConvergenceError;
    # fit_lifetimes' note already says so, and stdout keeps one line per model and cutoff.
    with contextlib.redirect_stdout(io.StringIO()):
        m, fit_s, fit_note = C.fit_lifetimes(name, x, t_x, T, budget)
    if m is None:
        raise ModelFailed(fit_note, fit_s)
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = np.asarray(m.conditional_expected_number_of_purchases_up_to_time(ndays, x, t_x, T), dtype=np.float64)
    pred_s = time.perf_counter() - t
    p, repair_note = C.repair_nonfinite(name, m, p, ndays, x, t_x, T)
    return p, fit_s, pred_s, "; ".join(n for n in (fit_note, repair_note) if n)


def run_ml(model, Xtr: pd.DataFrame, ytr: np.ndarray, Xc: pd.DataFrame):
    t = time.perf_counter()
    model.fit(Xtr[F.FEATURES], ytr)
    fit_s = time.perf_counter() - t
    t = time.perf_counter()
    p = model.predict(Xc[F.FEATURES])
    return p, fit_s, time.perf_counter() - t, ""


# --------------------------------------------------------------------------
# one cutoff
# --------------------------------------------------------------------------
class Backtest:
    def __init__(self, events: pd.DataFrame, models: list[str], label: str):
        self.months = MonthFeatures(events)
        self.models = models
        self.label = label
        self.rows: list[dict] = []
        self.pareto_off_since: dt.date | None = None  # set when a fit exceeds PARETO_BUDGET_S

    def cutoff(self, c: dt.date) -> None:
        Xc, yc = self.months.at(c)
        ndays = (F.add_months(c, 1) - c).days
        print(f"cutoff {c}: {len(Xc)} customers, {int(yc.sum())} target events, {ndays} days", flush=True)
        # Built lazily and once per cutoff: all three ML models train on the same rows.
        training = None
        for name in self.models:
            try:
                if name in BASELINES:
                    out = run_baseline(name, Xc, ndays)
                elif name in LIFETIMES_MODELS:
                    out = self.lifetimes(name, c, Xc, ndays)
                else:
                    if training is None:
                        training = self.months.training_rows(c)
                    out = run_ml(C.make_ml_models()[name], *training, Xc)
            except Exception as e:  # any failure is one row's matter: the run goes on
                self.failed(name, c, len(Xc), e)
                continue
            self.scored(name, c, yc, *out)

    def lifetimes(self, name, c, Xc, ndays):
        if name == "pareto_nbd" and self.pareto_off_since:
            raise ModelFailed(
                f"skipped: disabled since {self.pareto_off_since} (a fit took > {C.PARETO_BUDGET_S}s)"
            )
        try:
            return run_lifetimes(name, Xc, ndays)
        except ModelFailed as e:
            # cdnow_next_month's budget: one slow Pareto/NBD fit turns it off for later cutoffs
            if name == "pareto_nbd" and str(e).startswith("timeout"):
                self.pareto_off_since = c
            raise

    def scored(self, name, c, yc, p, fit_s, pred_s, note):
        m = F.score(yc, p)
        self.rows.append(self.row(name, c, len(yc), m, fit_s, pred_s, "", note))
        print(
            f"  {self.label} {c} {name:13s} mae={m['mae']:.4f} rmse={m['rmse']:.4f} dev={m['deviance']:.4f} "
            f"bias={m['bias']:+.3f} top10={m['top10_capture']:.3f} fit={fit_s:.2f}s pred={pred_s:.3f}s"
            + (f"  [{note}]" if note else ""),
            flush=True,
        )

    def failed(self, name, c, n, e):
        text = str(e) if isinstance(e, ModelFailed) else f"{type(e).__name__}: {e}"
        text = " ".join(text.split())[:300]  # one CSV line, readable
        fit_s = e.fit_s if isinstance(e, ModelFailed) else None
        self.rows.append(self.row(name, c, n, {}, fit_s, None, text, ""))
        print(f"  {self.label} {c} {name:13s} FAILED: {text}", flush=True)

    def row(self, name, c, n, metrics, fit_s, pred_s, error, note):
        return dict(
            model=name, cutoff=c.isoformat(), n_customers=n,
            **{k: metrics.get(k, np.nan) for k in METRICS},
            fit_s=np.nan if fit_s is None else fit_s,
            predict_s=np.nan if pred_s is None else pred_s,
            dataset=self.label, error=error, note=note,
        )


# --------------------------------------------------------------------------
# outputs
# --------------------------------------------------------------------------
def means(res: pd.DataFrame, label: str) -> pd.DataFrame:
    """Mean per model over the cutoffs where it gave scores, as `forecast backtest` averages."""
    out = []
    for name, g in res.groupby("model", sort=False):
        ok = g[g["error"] == ""]
        n_failed = len(g) - len(ok)
        row = dict(model=name, cutoff="mean")
        row.update(ok[["n_customers"] + METRICS + ["fit_s", "predict_s"]].mean())
        row.update(
            n_cutoffs=len(ok),
            dataset=label,
            error=f"no scores at {n_failed} of {len(g)} cutoffs" if n_failed else "",
            note="",
        )
        out.append(row)
    return pd.DataFrame(out, columns=COLUMNS + ["n_cutoffs"])


def write_outputs(rows: list[dict], out: Path, label: str) -> None:
    res = pd.DataFrame(rows, columns=COLUMNS)
    # The anchors' format, so the numbers compare digit for digit with cdnow_next_month.csv.
    res.to_csv(out / "reference_backtest.csv", index=False, float_format="%.6g")
    means(res, label).to_csv(out / "reference_backtest_means.csv", index=False, float_format="%.6g")


def default_label(args) -> str:
    if args.label:
        return args.label
    return "cdnow" if args.layout == "cdnow" else (args.data.resolve().parent.name or args.data.stem)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        load_anchors(args.anchors)
        cutoffs = parse_cutoffs(args.cutoffs)
        models = selected_models(args)
        if not models:
            raise InputError("no model left to run (--models / --skip-pareto)")
        t0 = time.perf_counter()
        events, info = load_events(args)
        if events.empty:
            raise InputError(f"{args.data}: no events left after dropping cancelled rows")
        check_cutoffs(events, cutoffs)
    except InputError as e:
        print(f"reference_backtest: {e}", file=sys.stderr)
        return 2
    label = default_label(args)
    args.out.mkdir(parents=True, exist_ok=True)
    print(
        f"{label}: {args.data.name}: {events['customer'].nunique()} customers, {info}, days "
        f"{F.day_to_date(events['day'].min())}..{F.day_to_date(events['day'].max())} "
        f"({time.perf_counter() - t0:.2f}s)",
        flush=True,
    )
    bt = Backtest(events, models, label)
    for c in cutoffs:
        bt.cutoff(c)
    write_outputs(bt.rows, args.out, label)
    print(f"wrote {args.out}/reference_backtest.csv and reference_backtest_means.csv "
          f"in {time.perf_counter() - t0:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
