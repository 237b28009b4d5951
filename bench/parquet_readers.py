#!/usr/bin/env python3
"""Reads Parquet files with pyarrow, polars and DuckDB and compares every value with the
expected values: a CSV file (the CSV export of the same mart or table: an empty field is a
null, numbers within 1e-9 relative, dates and timestamps as ISO text) or a JSON file
({"columns": {name: [values...]}}: exact, floats bit for bit, NaN equal to NaN).

  parquet_readers.py FILE.parquet --csv FILE.csv
  parquet_readers.py FILE.parquet --json FILE.json
  parquet_readers.py FILE.parquet --csv FILE.csv --abs-tolerance 0.005   (a CSV with rounded figures)

Prints one JSON object: per reader the rows read, the column types it sees and the number of
mismatched values (with the first few); exits 1 when any reader fails or disagrees.
"""
import argparse
import csv
import datetime
import json
import math
import re
import sys


def normalise(v):
    """A reader's value as text or number, comparable with the expected side."""
    if v is None:
        return None
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return v.isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, bool):
        return v
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


ABS_TOLERANCE = 0.0
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_TIME_SPACE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def equal(got, want, exact):
    if want is None or (not exact and want == ""):
        return got is None or (not exact and got == "")
    if got is None:
        return False
    if isinstance(got, bool) or isinstance(want, bool):
        if not exact and isinstance(want, str):
            return str(got).lower() == want.lower() or str(int(got)) == want
        return got == want
    if isinstance(got, (int, float)):
        if isinstance(want, str):
            try:
                want = float(want)
            except ValueError:
                return False
        if isinstance(got, float) and math.isnan(got):
            return isinstance(want, float) and math.isnan(want)
        if exact:
            return got == want and (not isinstance(got, float) or math.copysign(1, got) == math.copysign(1, want) or got != 0)
        return abs(got - want) <= max(1e-9 * max(1.0, abs(want)), ABS_TOLERANCE)
    if isinstance(got, str) and isinstance(want, str) and not exact and ISO_TIME.match(got) and ISO_TIME_SPACE.match(want):
        want = want.replace(" ", "T", 1)  # a CSV writes a timestamp with a space
    return got == want


def read_pyarrow(path):
    import pyarrow.parquet as pq
    t = pq.read_table(path)
    return {f.name: str(f.type) for f in t.schema}, {k: [normalise(x) for x in v] for k, v in t.to_pydict().items()}


def read_polars(path):
    import polars as pl
    df = pl.read_parquet(path)
    return {k: str(v) for k, v in df.schema.items()}, {k: [normalise(x) for x in v] for k, v in df.to_dict(as_series=False).items()}


def read_duckdb(path):
    import duckdb
    con = duckdb.connect()
    rel = con.sql("SELECT * FROM read_parquet('" + path.replace("'", "''") + "')")
    names, types = rel.columns, [str(t) for t in rel.types]
    rows = rel.fetchall()
    columns = {n: [normalise(r[i]) for r in rows] for i, n in enumerate(names)}
    return dict(zip(names, types)), columns


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("parquet")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--csv")
    g.add_argument("--json")
    ap.add_argument("--readers", default="pyarrow,polars,duckdb")
    ap.add_argument("--abs-tolerance", type=float, default=0.0, help="numbers in a CSV rounded to this (absolute)")
    a = ap.parse_args()
    global ABS_TOLERANCE
    ABS_TOLERANCE = a.abs_tolerance

    if a.csv:
        with open(a.csv, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        expected = {h: [r[i] for r in body] for i, h in enumerate(header)}
        exact = False
    else:
        with open(a.json, encoding="utf-8") as f:
            expected = json.load(f)["columns"]
        for k, v in expected.items():  # NaN travels as the string "NaN"
            expected[k] = [float("nan") if x == "NaN" else x for x in v]
        exact = True

    readers = {"pyarrow": read_pyarrow, "polars": read_polars, "duckdb": read_duckdb}
    report, failed = {}, False
    for name in a.readers.split(","):
        entry = {}
        try:
            types, got = readers[name](a.parquet)
            entry["types"] = types
            entry["rows"] = len(next(iter(got.values()))) if got else 0
            mismatches, first = 0, []
            if list(got.keys()) != list(expected.keys()):
                mismatches += 1
                first.append({"columns": list(got.keys()), "expected": list(expected.keys())})
            for col, want in expected.items():
                have = got.get(col, [])
                if len(have) != len(want):
                    mismatches += 1
                    first.append({"column": col, "rows": len(have), "expected_rows": len(want)})
                    continue
                for i, (x, y) in enumerate(zip(have, want)):
                    if not equal(x, y, exact):
                        mismatches += 1
                        if len(first) < 5:
                            first.append({"column": col, "row": i, "got": repr(x), "expected": repr(y)})
            entry["mismatches"] = mismatches
            if first:
                entry["first"] = first
            failed |= mismatches > 0
        except Exception as e:  # a reader that cannot read the file is a failure, reported
            entry["error"] = f"{type(e).__name__}: {e}"
            failed = True
        report[name] = entry
    print(json.dumps(report, indent=1, default=str))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
