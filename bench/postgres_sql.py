#!/usr/bin/env python3
"""The toolkit's SQL run inside PostgreSQL at scale, beside the toolkit, held to its results.

Inside a cluster of deploy/postgres-cluster.sh (which sets FORECAST_TEST_POSTGRES_URL and _PASSWORD): loads the shop's
transaction log with psql \\copy, then times `forecast sql features` (as CREATE TABLE ... AS), `forecast sql score` for
each model over that table and with --with-features, each beside `forecast features` / `forecast predict` on the same
log, compares every customer's values (1e-9 relative), and records the server process's peak resident memory.

    bash deploy/postgres-cluster.sh run -- python3 bench/postgres_sql.py --forecast .build/release/forecast \\
        --shop data/sql-scale-1000000 --store data/sql-scale-1000000/models --cutoff 2019-12-01 --work data/sql-scale-1000000/postgres
"""
import argparse
import datetime
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from spark_sql import compare, read_csv, run_forecast, timed_forecast  # noqa: E402


def psql(url, password, sql, *extra, out=None):
    env = dict(os.environ, PGPASSWORD=password)
    arguments = ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1"] + list(extra)
    if len(sql) > 100_000 or out or "\\gset" in sql:
        path = f"/tmp/postgres-sql-{os.getpid()}.sql"
        with open(path, "w") as f:
            f.write(sql)
        arguments += ["-f", path]
    else:
        arguments += ["-c", sql]
    result = subprocess.run(arguments, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"psql failed: {result.stderr}")
    if out:
        with open(out, "w") as f:
            f.write(result.stdout)
    return result.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forecast", required=True)
    parser.add_argument("--shop", required=True)
    parser.add_argument("--store", required=True)
    parser.add_argument("--models", nargs="+", default=["glm", "gbm"])
    parser.add_argument("--cutoff", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--report")
    args = parser.parse_args()
    url, password = os.environ["FORECAST_TEST_POSTGRES_URL"], os.environ.get("FORECAST_TEST_POSTGRES_PASSWORD", "")
    os.makedirs(args.work, exist_ok=True)
    log = os.path.abspath(os.path.join(args.shop, "transactions.csv"))
    as_of = (datetime.date.fromisoformat(args.cutoff) - datetime.timedelta(days=1)).isoformat()
    data = ["--data", log, "--layout", "transactions"]
    timings = []

    _, seconds, mb = timed_forecast(args.forecast, ["features"] + data + ["--cutoff", args.cutoff, "--out", f"{args.work}/features.csv"])
    timings.append(("features", "forecast features", seconds, mb))
    for model in args.models:
        _, seconds, mb = timed_forecast(args.forecast, ["predict"] + data + ["--store", args.store, "--model", model, "--as-of", as_of,
                                                                             "--out", f"{args.work}/predict-{model}.csv"])
        timings.append((f"features + score {model}", "forecast predict", seconds, mb))

    began = time.perf_counter()
    psql(url, password, "DROP TABLE IF EXISTS raw CASCADE; CREATE UNLOGGED TABLE raw (customer_id text, product_id text, timestamp timestamp, "
         "quantity double precision, unit_price double precision)")
    psql(url, password, f"\\copy raw FROM '{log}' WITH (FORMAT csv, HEADER true)")
    psql(url, password, "ANALYZE raw; CREATE VIEW transactions AS SELECT customer_id, timestamp, quantity, "
         "quantity * unit_price AS amount, product_id FROM raw")
    timings.append(("load the log (\\copy)", "PostgreSQL 15", time.perf_counter() - began, None))

    def server_peak(statement, step, out=None):
        """Runs `statement` in one session and reads that backend's peak RSS from /proc."""
        # psql interpolates variables in \\setenv but not in \\!: the backend's pid reaches the shell through the environment.
        script = f"SELECT pg_backend_pid() AS pid \\gset\n\\setenv BACKEND :pid\n{statement}\n\\! grep VmHWM /proc/$BACKEND/status\n"
        began = time.perf_counter()
        text = psql(url, password, script, "-A", "-t", out=out)
        seconds = time.perf_counter() - began
        if out:
            with open(out) as f:
                text = f.read()
        lines = [line for line in text.splitlines() if line.startswith("VmHWM")]
        peak = int(lines[-1].split()[1]) / 1024 if lines else None
        timings.append((step, "PostgreSQL 15", seconds, peak))

    features_sql, _ = run_forecast(args.forecast, ["sql", "features", "--dialect", "postgres", "--cutoff", args.cutoff, "--with-products"])
    server_peak("DROP TABLE IF EXISTS features; CREATE UNLOGGED TABLE features AS\n" + features_sql, "features (CREATE TABLE AS)")
    differences = 0
    psql(url, password, "SELECT * FROM features ORDER BY customer_id", "--csv", out=f"{args.work}/features-pg.csv")
    header, rows = read_csv(f"{args.work}/features-pg.csv")
    want_header, want = read_csv(f"{args.work}/features.csv")
    differences += compare("features (sql features in PostgreSQL vs forecast features)", header, rows, want_header, want, header[1:])

    for model in args.models:
        want_header, want = read_csv(f"{args.work}/predict-{model}.csv")
        for with_features in (False, True):
            script, _ = run_forecast(args.forecast, ["sql", "score", "--model", model, "--store", args.store, "--dialect", "postgres",
                                                     "--cutoff", args.cutoff] + (["--with-features"] if with_features else []))
            body = script.rstrip().rstrip(";")
            parts = body.split(";\n\n")
            statement = ";\n".join(parts[:-1] + [f"DROP TABLE IF EXISTS scores; CREATE UNLOGGED TABLE scores AS\n{parts[-1]}"]) + ";"
            step = f"features + score {model}" if with_features else f"score {model} (features given)"
            server_peak(statement, step)
            psql(url, password, "SELECT * FROM scores ORDER BY customer_id", "--csv", out=f"{args.work}/scores.csv")
            header, rows = read_csv(f"{args.work}/scores.csv")
            differences += compare(f"{model}: {step} vs forecast predict", header, rows, want_header, want, ["expected_events", "p_zero"])

    for step, engine, seconds, mb in timings:
        print(f"  {step:40s} {engine:20s} {seconds:8.2f} s" + ("" if mb is None else f"  {mb:7.0f} MB"))
    if args.report:
        with open(args.report, "w") as f:
            f.write(f"# The toolkit's SQL in PostgreSQL 15 beside the toolkit ({os.path.basename(args.shop)}, cutoff {args.cutoff})\n\n")
            f.write("Command: `make sql-scale` (bench/postgres_sql.py inside deploy/postgres-cluster.sh's throwaway cluster, its fast "
                    "non-durable settings; tables UNLOGGED). Peak RSS: the toolkit process, or the PostgreSQL backend that ran "
                    "the statement (shared buffers it touched included).\n\n")
            f.write("| step | engine | seconds | peak RSS (MB) |\n| --- | --- | ---: | ---: |\n")
            for step, engine, seconds, mb in timings:
                f.write(f"| {step} | {engine} | {seconds:.2f} | {'' if mb is None else f'{mb:.0f}'} |\n")
            f.write(f"\nDifferences from the toolkit's results: {differences}.\n")
    if differences:
        sys.exit(f"{differences} differences between PostgreSQL and the toolkit")
    print("PostgreSQL agrees with the toolkit on every customer")


if __name__ == "__main__":
    main()
