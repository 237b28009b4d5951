#!/usr/bin/env python3
"""The toolkit's SQL run inside Apache Spark (local mode), held to the toolkit's own results.

`forecast sql features --dialect spark` and `forecast sql score --dialect spark` are printed by the toolkit, run
with spark.sql over the shop's transaction log registered as the view `transactions`, and compared with
`forecast features` and `forecast predict`: every feature of every customer, and the expected events and P(0) of
every customer, within 1e-9 relative (missing as missing). Scores are checked twice: over the features the
toolkit wrote (loaded as the view `features`: the scoring alone) and over the features Spark computed
(--with-features: the whole path). With --panel-origins, the training panel Spark computes (`forecast sql panel`)
is compared with `forecast features` at each origin, written as Spark writes CSV (a folder of part files) and
trained on with `forecast train --panel`. With --warehouse (a SQLite warehouse the toolkit loaded and built the
marts of), its star schema is loaded into Spark and `forecast sql marts` is compared with the toolkit's marts.

    python bench/spark_sql.py --forecast .build/release/forecast --shop data/spark-check --store data/spark-check/models \
        --models glm gbm --cutoff 2019-07-01 --work data/spark-check/work

With --bench, also times each step (Spark and the toolkit) and records peak memory (the JVM's and each forecast
process's resident high-water mark), and writes a Markdown table to --report. Exits 1 when anything differs.
"""
import argparse
import csv
import datetime
import os
import subprocess
import sys
import time


def run_forecast(binary, arguments):
    """Runs the toolkit; returns (stdout, seconds) or exits with its error."""
    began = time.perf_counter()
    process = subprocess.run([binary] + arguments, capture_output=True)
    if process.returncode != 0:
        sys.exit(f"forecast {' '.join(arguments[:2])} failed ({process.returncode}): {process.stderr.decode()}")
    return process.stdout.decode(), time.perf_counter() - began


def timed_forecast(binary, arguments):
    """Runs the toolkit under wait4 for its own peak RSS; returns (stdout, seconds, MB)."""
    began = time.perf_counter()
    process = subprocess.Popen([binary] + arguments, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    if status != 0:
        sys.exit(f"forecast {' '.join(arguments[:2])} failed (status {status})")
    return out.decode(), seconds, usage.ru_maxrss / 1024


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], {row[0]: row for row in rows[1:]}


def same(a, b):
    """Two values within 1e-9 relative; None/'' as missing; text equal."""
    if a == b:
        return True
    if a is None or a == "" or b is None or b == "":
        return (a is None or a == "") and (b is None or b == "")
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= 1e-9 * max(1e-12, abs(y)) or (abs(y) < 1 and abs(x - y) <= 1e-9)


def compare(name, header, rows, want_header, want, columns):
    """Compares Spark's rows (dicts by customer) with the toolkit's CSV rows; returns the number of differences."""
    problems = []
    if set(rows) != set(want):
        problems.append(f"customers differ: {len(set(rows) - set(want))} only in Spark, {len(set(want) - set(rows))} only in the toolkit")
    for customer, row in rows.items():
        other = want.get(customer)
        if other is None:
            continue
        for column in columns:
            a, b = row[header.index(column)], other[want_header.index(column)]
            if not same(a, b):
                problems.append(f"{customer} {column}: {a} vs {b}")
    print(f"{name}: {len(rows)} rows x {len(columns)} columns, {len(problems)} differences")
    for p in problems[:5]:
        print("   ", p)
    return len(problems)


def statements(script):
    """The statements of a printed script (separated by ';' at the end of a line)."""
    parts, current = [], []
    for line in script.splitlines():
        if line.startswith("--"):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            parts.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if "".join(current).strip():
        parts.append("\n".join(current))
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forecast", required=True, help="the forecast binary")
    parser.add_argument("--shop", required=True, help="a folder with transactions.csv (forecast generate)")
    parser.add_argument("--store", required=True, help="the model store with the models to score")
    parser.add_argument("--models", nargs="+", default=["glm", "gbm"])
    parser.add_argument("--cutoff", required=True, help="YYYY-MM-DD")
    parser.add_argument("--work", required=True, help="a scratch folder")
    parser.add_argument("--bench", action="store_true", help="time the steps and write --report")
    parser.add_argument("--report", help="the Markdown report of --bench")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--panel-origins", help="FIRST..LAST month starts: also check the training panel")
    parser.add_argument("--warehouse", help="a SQLite warehouse with marts: also check forecast sql marts")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    log = os.path.join(args.shop, "transactions.csv")
    as_of = (datetime.date.fromisoformat(args.cutoff) - datetime.timedelta(days=1)).isoformat()
    data = ["--data", log, "--layout", "transactions"]
    timings = []  # (step, engine, seconds, MB)

    _, seconds, mb = timed_forecast(args.forecast, ["features"] + data + ["--cutoff", args.cutoff, "--out", f"{args.work}/features.csv"])
    timings.append(("features", "forecast features", seconds, mb))
    for model in args.models:
        _, seconds, mb = timed_forecast(args.forecast, ["predict"] + data + ["--store", args.store, "--model", model, "--as-of", as_of,
                                                                             "--out", f"{args.work}/predict-{model}.csv"])
        timings.append((f"features + score {model}", "forecast predict", seconds, mb))
    features_sql, _ = run_forecast(args.forecast, ["sql", "features", "--dialect", "spark", "--cutoff", args.cutoff, "--with-products"])
    score_sql = {m: run_forecast(args.forecast, ["sql", "score", "--model", m, "--store", args.store, "--dialect", "spark",
                                                 "--cutoff", args.cutoff, "--features", "toolkit_features"])[0] for m in args.models}
    score_with_features = {m: run_forecast(args.forecast, ["sql", "score", "--model", m, "--store", args.store, "--dialect", "spark",
                                                           "--cutoff", args.cutoff, "--with-features"])[0] for m in args.models}

    from pyspark.sql import SparkSession
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType, TimestampType

    began = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("forecast-sql-check")
             .config("spark.sql.session.timeZone", "UTC").config("spark.driver.memory", args.driver_memory)
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    startup = time.perf_counter() - began
    jvm = spark.sparkContext._gateway.proc.pid if getattr(spark.sparkContext._gateway, "proc", None) else None

    schema = StructType([StructField("customer_id", StringType()), StructField("product_id", StringType()),
                         StructField("timestamp", TimestampType()), StructField("quantity", DoubleType()),
                         StructField("unit_price", DoubleType())])
    raw = spark.read.csv(log, header=True, schema=schema)
    if args.bench:
        raw = raw.cache()
        began = time.perf_counter()
        rows_read = raw.count()
        timings.append(("read the log into Spark's cache", "Spark local[2]", time.perf_counter() - began, None))
    raw.createOrReplaceTempView("raw")
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW transactions AS "
              "SELECT customer_id, timestamp, quantity, quantity * unit_price AS amount, product_id FROM raw")

    def spark_rows(script, step):
        parts = statements(script)
        for statement in parts[:-1]:
            spark.sql(statement)
        frame = spark.sql(parts[-1])
        if args.bench:
            began = time.perf_counter()
            frame.write.format("noop").mode("overwrite").save()
            timings.append((step, "Spark local[2]", time.perf_counter() - began, None))
        header = frame.columns
        return header, {str(r[0]): ["" if v is None else repr(float(v)) if not isinstance(v, str) else v for v in r] for r in frame.collect()}

    differences = 0
    want_header, want = read_csv(f"{args.work}/features.csv")
    header, rows = spark_rows(features_sql, "features")
    differences += compare("features (sql features vs forecast features)", header, rows, want_header, want, header[1:])

    toolkit = spark.read.csv(f"{args.work}/features.csv", header=True, inferSchema=False)
    toolkit = toolkit.select([toolkit[c] if c == "customer_id" else toolkit[c].cast("double").alias(c) for c in toolkit.columns])
    if args.bench:
        # Scoring "features given" should time the scoring, not the CSV reading: the features go into Spark's cache first.
        toolkit = toolkit.cache()
        began = time.perf_counter()
        toolkit.count()
        timings.append(("read the toolkit's features into Spark's cache", "Spark local[2]", time.perf_counter() - began, None))
    toolkit.createOrReplaceTempView("toolkit_features")
    for model in args.models:
        want_header, want = read_csv(f"{args.work}/predict-{model}.csv")
        header, rows = spark_rows(score_sql[model], f"score {model} (features given)")
        differences += compare(f"{model} over the toolkit's features (sql score vs forecast predict)", header, rows, want_header, want,
                               ["expected_events", "p_zero"])
        header, rows = spark_rows(score_with_features[model], f"features + score {model}")
        differences += compare(f"{model} with the features in Spark (sql score --with-features vs forecast predict)", header, rows,
                               want_header, want, ["expected_events", "p_zero"])

    if args.panel_origins:
        differences += check_panel(spark, args, data)
    if args.warehouse:
        differences += check_marts(spark, args)

    peak = None
    if jvm:
        with open(f"/proc/{jvm}/status") as f:
            peak = next((int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM")), None)
    spark.stop()
    print(f"Spark {spark.version if hasattr(spark, 'version') else ''} startup {startup:.1f} s; JVM peak RSS "
          + (f"{peak:.0f} MB" if peak else "unknown"))
    if args.bench and args.report:
        with open(args.report, "w") as f:
            f.write(f"# The toolkit's SQL in Spark local[2] beside the toolkit ({os.path.basename(args.shop)}, cutoff {args.cutoff})\n\n")
            f.write(f"Command: `python bench/spark_sql.py --bench ...` (`make sql-scale`). Spark startup {startup:.1f} s, "
                    f"JVM peak RSS {peak:.0f} MB (driver memory {args.driver_memory}).\n\n" if peak else "\n")
            f.write("| step | engine | seconds | peak RSS (MB) |\n| --- | --- | ---: | ---: |\n")
            for step, engine, seconds, mb in timings:
                f.write(f"| {step} | {engine} | {seconds:.2f} | {'' if mb is None else f'{mb:.0f}'} |\n")
            f.write(f"\nDifferences from the toolkit's results: {differences}.\n")
    for step, engine, seconds, mb in timings:
        print(f"  {step:40s} {engine:20s} {seconds:8.2f} s" + ("" if mb is None else f"  {mb:7.0f} MB"))
    if differences:
        sys.exit(f"{differences} differences between Spark and the toolkit")
    print("Spark agrees with the toolkit on every customer")


def check_panel(spark, args, data):
    """The panel in Spark against forecast features at each origin; then train --panel on Spark's CSV output."""
    script, _ = run_forecast(args.forecast, ["sql", "panel", "--dialect", "spark", "--origins", args.panel_origins, "--with-products"])
    parts = statements(script)
    for statement in parts[:-1]:
        spark.sql(statement)
    frame = spark.sql(parts[-1])
    header = frame.columns
    by_origin = {}
    for r in frame.collect():
        origin = r[1].isoformat()
        by_origin.setdefault(origin, {})[r[0]] = [r[0], origin] + ["" if v is None else repr(float(v)) for v in r[2:]]
    differences = 0
    for origin, rows in sorted(by_origin.items()):
        path = f"{args.work}/features-{origin}.csv"
        run_forecast(args.forecast, ["features"] + data + ["--cutoff", origin, "--out", path])
        want_header, want = read_csv(path)
        differences += compare(f"panel at {origin} (sql panel vs forecast features)", header, rows, want_header, want,
                               [c for c in header if c not in ("customer_id", "origin")])
    out = f"{args.work}/panel-spark"
    frame.write.mode("overwrite").csv(out, header=True)
    trained, _ = run_forecast(args.forecast, ["train", "--panel", out, "--model", "glm", "--name", "spark-panel",
                                              "--store", f"{args.work}/models", "--overwrite", "--version", "1"])
    print("train --panel on Spark's CSV output:", trained.strip())
    return differences


def check_marts(spark, args):
    """The star schema of a SQLite warehouse in Spark, forecast sql marts run there, against the warehouse's marts."""
    import sqlite3

    from pyspark.sql.types import BooleanType, DateType, DoubleType, LongType, StringType, StructField, StructType

    db = sqlite3.connect(args.warehouse)
    columns = {
        "fct_orders": [("order_key", LongType()), ("customer_key", LongType()), ("date_key", LongType()), ("is_revenue", BooleanType()),
                       ("units", DoubleType()), ("order_total", DoubleType())],
        "fct_order_lines": [("order_key", LongType()), ("product_key", LongType()), ("customer_key", LongType()), ("date_key", LongType()),
                            ("is_revenue", BooleanType()), ("quantity", DoubleType()), ("line_total", DoubleType())],
        "dim_customer": [("customer_key", LongType()), ("customer_id", StringType())],
        "dim_product": [("product_key", LongType()), ("product_id", StringType()), ("category", StringType())],
        "dim_date": [("date_key", LongType()), ("date", DateType()), ("year", LongType()), ("iso_year", LongType()), ("iso_week", LongType()),
                     ("week_start", DateType()), ("month_start", DateType())],
    }
    for table, fields in columns.items():
        def convert(value, kind):
            if value is None:
                return None
            if isinstance(kind, DateType):
                return datetime.date.fromisoformat(value)
            if isinstance(kind, BooleanType):
                return value == 1
            return value
        rows = [tuple(convert(v, k) for v, (_, k) in zip(r, fields))
                for r in db.execute(f"SELECT {', '.join(n for n, _ in fields)} FROM {table}")]
        spark.createDataFrame(rows, StructType([StructField(n, k) for n, k in fields])).createOrReplaceTempView(table)
    differences = 0
    for mart, table, keys in [("daily", "mart_customer_daily", 2), ("products", "mart_sales_by_product", 4),
                              ("categories", "mart_sales_by_category", 4)]:
        script, _ = run_forecast(args.forecast, ["sql", "marts", "--dialect", "spark", "--mart", mart])
        frame = spark.sql(statements(script)[-1])
        header = frame.columns
        def key(r):
            return "|".join(str(r[i]) for i in ([0, 1] if keys == 2 else [0, 2, 3]))
        def cell(v):
            return "" if v is None else v.isoformat() if isinstance(v, datetime.date) else str(v) if isinstance(v, str) else repr(float(v))
        got = {key(r): [cell(v) for v in r] for r in frame.collect()}
        cursor = db.execute(f"SELECT * FROM {table}")
        want_header = [d[0] for d in cursor.description]
        want = {key(r): [cell(v) if not isinstance(v, (int, float)) else repr(float(v)) for v in r] for r in cursor}
        for k, row in got.items():
            row[0] = k
        for k, row in want.items():
            row[0] = k
        differences += compare(f"{table} (sql marts in Spark vs the warehouse)", header, got, want_header, want, header[1:])
    return differences


if __name__ == "__main__":
    main()
