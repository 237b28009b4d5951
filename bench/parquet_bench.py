#!/usr/bin/env python3
"""Parquet at 10 million rows, one run: `forecast ingest --log-format parquet` writes the
normalized log of a generated file (customer_id, timestamp, product_id, quantity, amount),
DuckDB writes the same table with `COPY ... TO ... (FORMAT parquet)` (Snappy, its default,
2 threads), and pyarrow, polars and DuckDB read our file back. Checks: both files hold the
same rows (DuckDB's EXCEPT ALL both ways), and the three readers agree on the count, the sums
of quantity and amount, the distinct customers and the first and last timestamps.

  parquet_bench.py --csv data/bench/transactions.csv --forecast .build/release/forecast --out data/parquet-bench

Each step runs in its own process; peak memory is the process's maximum resident set.
Writes OUT/parquet-bench.md and prints it; exits 1 when a check fails.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

CHILD = r'''
import json, resource, sys, time
step, path, other = sys.argv[1], sys.argv[2], sys.argv[3]
out = {}
if step == "duckdb_write":
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute("SET enable_progress_bar = false")
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{path}')")
    t0 = time.perf_counter()
    con.execute(f"COPY t TO '{other}' (FORMAT parquet)")
    out["seconds"] = time.perf_counter() - t0
elif step == "pyarrow":
    import pyarrow.parquet as pq, pyarrow.compute as pc
    t0 = time.perf_counter()
    t = pq.read_table(path)
    out["seconds"] = time.perf_counter() - t0
    out["summary"] = [t.num_rows, pc.sum(t["quantity"]).as_py(), pc.sum(t["amount"]).as_py(),
                      pc.count_distinct(t["customer_id"]).as_py(), str(pc.min(t["timestamp"]).as_py()), str(pc.max(t["timestamp"]).as_py())]
elif step == "polars":
    import polars as pl
    t0 = time.perf_counter()
    df = pl.read_parquet(path)
    out["seconds"] = time.perf_counter() - t0
    out["summary"] = [df.height, df["quantity"].sum(), df["amount"].sum(), df["customer_id"].n_unique(),
                      str(df["timestamp"].min()), str(df["timestamp"].max())]
elif step == "duckdb_read":
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute("SET enable_progress_bar = false")
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet('{path}')")
    out["seconds"] = time.perf_counter() - t0
    r = con.execute("SELECT count(*), sum(quantity), sum(amount), count(DISTINCT customer_id), min(timestamp), max(timestamp) FROM t").fetchone()
    out["summary"] = [r[0], r[1], r[2], r[3], str(r[4]), str(r[5])]
    q = f"SELECT count(*) FROM (SELECT * FROM read_parquet('{path}') EXCEPT ALL SELECT * FROM read_parquet('{other}'))"
    out["only_in_ours"] = con.execute(q).fetchone()[0]
    q = f"SELECT count(*) FROM (SELECT * FROM read_parquet('{other}') EXCEPT ALL SELECT * FROM read_parquet('{path}'))"
    out["only_in_duckdb"] = con.execute(q).fetchone()[0]
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
'''


def child(python, step, path, other):
    r = subprocess.run([python, "-c", CHILD, step, path, other], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{step} failed: {r.stderr}")
    text = r.stdout.strip()
    return json.loads(text[text.rindex("{"):])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--forecast", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    python = sys.executable
    ours, duck = os.path.join(a.out, "transactions.parquet"), os.path.join(a.out, "duckdb.parquet")

    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "PEAK %M", a.forecast, "ingest", "--data", a.csv, "--layout", "transactions",
                        "--out", a.out, "--log-format", "parquet"], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"forecast ingest failed: {r.stderr}")
    m = re.search(r"transactions.parquet: (\d+) rows in (\d+) row groups, (\d+) bytes, in ([0-9.]+) s", r.stderr)
    peak = int(re.search(r"PEAK (\d+)", r.stderr).group(1)) / 1024
    rows, groups, size, write_s = int(m.group(1)), int(m.group(2)), int(m.group(3)), float(m.group(4))

    dw = child(python, "duckdb_write", ours, duck)
    readers = {name: child(python, name, ours, duck) for name in ["pyarrow", "polars", "duckdb_read"]}

    failures = []
    base = readers["duckdb_read"]["summary"]
    for name, res in readers.items():
        s = res["summary"]
        same = s[0] == base[0] and s[3] == base[3] and s[4][:19] == base[4][:19] and s[5][:19] == base[5][:19] \
            and abs(s[1] - base[1]) <= 1e-9 * abs(base[1]) and abs(s[2] - base[2]) <= 1e-9 * abs(base[2])
        if not same:
            failures.append(f"{name} summary {s} differs from DuckDB's {base}")
    if base[0] != rows:
        failures.append(f"DuckDB reads {base[0]} rows, forecast wrote {rows}")
    if readers["duckdb_read"]["only_in_ours"] or readers["duckdb_read"]["only_in_duckdb"]:
        failures.append(f"rows differ: {readers['duckdb_read']['only_in_ours']} only in ours, {readers['duckdb_read']['only_in_duckdb']} only in DuckDB's")

    duck_size = os.path.getsize(duck)
    lines = [
        "# Parquet at 10 million rows, one run",
        "",
        f"`make parquet-bench` on `{a.csv}`: {rows:,} rows, {groups} row groups; generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "| step | seconds | file MB | peak MB of the process |",
        "| --- | ---: | ---: | ---: |",
        f"| forecast: write the log as Parquet (Snappy, 2 threads) | {write_s:.2f} | {size / 1e6:.1f} | {peak:,.0f} (whole ingest: parse, group, checks, write; {wall:.1f} s) |",
        f"| DuckDB: COPY the same table TO parquet (Snappy, 2 threads) | {dw['seconds']:.2f} | {duck_size / 1e6:.1f} | {dw['peak_mb']:,.0f} (the table loaded from our file, then the copy) |",
        f"| pyarrow: read_table of our file | {readers['pyarrow']['seconds']:.2f} | | {readers['pyarrow']['peak_mb']:,.0f} |",
        f"| polars: read_parquet of our file | {readers['polars']['seconds']:.2f} | | {readers['polars']['peak_mb']:,.0f} |",
        f"| DuckDB: CREATE TABLE AS read_parquet of our file | {readers['duckdb_read']['seconds']:.2f} | | {readers['duckdb_read']['peak_mb']:,.0f} |",
        "",
        f"Write ratio (DuckDB / ours): {dw['seconds'] / write_s:.2f}x. Checks: "
        + ("the two files hold the same rows (EXCEPT ALL both ways is empty) and pyarrow, polars and DuckDB agree on "
           "count, sums, distinct customers and first and last timestamps." if not failures else "FAILED: " + "; ".join(failures)),
    ]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(a.out, "parquet-bench.md"), "w") as f:
        f.write(text)
    print(text)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
