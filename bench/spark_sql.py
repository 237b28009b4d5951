#!/usr/bin/env python3
"""The toolkit's SQL run inside Apache Spark (local mode), held to the toolkit's own results.

`forecast sql features --dialect spark` and `forecast sql score --dialect spark` are printed by the toolkit, run
with spark.sql over the shop's transaction log registered as the view `transactions`, and compared with
`forecast features` and `forecast predict`: every feature of every customer, and the expected events and P(0) of
every customer, within 1e-9 relative (missing as missing). Scores are checked twice: over the features the
toolkit wrote (loaded as the view `features`: the scoring alone) and over the features Spark computed
(--with-features: the whole path).

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
    """Two values within 1e-9 relative; None/'' as missing."""
    if a is None or a == "" or b is None or b == "":
        return (a is None or a == "") and (b is None or b == "")
    x, y = float(a), float(b)
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
    print(f"{name}: {len(rows)} customers x {len(columns)} columns, {len(problems)} differences")
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
    toolkit.createOrReplaceTempView("toolkit_features")
    for model in args.models:
        want_header, want = read_csv(f"{args.work}/predict-{model}.csv")
        header, rows = spark_rows(score_sql[model], f"score {model} (features given)")
        differences += compare(f"{model} over the toolkit's features (sql score vs forecast predict)", header, rows, want_header, want,
                               ["expected_events", "p_zero"])
        header, rows = spark_rows(score_with_features[model], f"features + score {model}")
        differences += compare(f"{model} with the features in Spark (sql score --with-features vs forecast predict)", header, rows,
                               want_header, want, ["expected_events", "p_zero"])

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
            f.write(f"Command: `python bench/spark_sql.py --bench ...` (see the Makefile's spark-bench). Spark startup {startup:.1f} s, "
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


if __name__ == "__main__":
    main()
