#!/usr/bin/env python3
"""The warehouse against DuckDB, one run: `forecast warehouse load` + `warehouse marts` into a
new SQLite file, and DuckDB (2 threads, in memory) building the same tables from the same
four CSV files: staging tables, dim_customer, dim_product, dim_date, fct_orders,
fct_order_lines, the daily customer summary and the sales roll-ups at four grains by product
and by category. Cancelled orders ("cancelled", "canceled") are kept but carry no revenue, as
in the loader. The row counts of the marts are compared (they must agree) and each side's
time and peak memory are printed with the ratio.

What DuckDB does not do here and we do: the loader's quality checks and rejects, idempotent
upserts, one transaction, the customer segments (k-means) and the data tests; ours is
timed as a user runs it (`--quiet`), so those are inside our figure.

  warehouse_duckdb.py --shop data/w200 --forecast .build/release/forecast --out data/warehouse-compare
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import measured  # bench/measured.py

DUCKDB = r'''
import duckdb, json, resource, sys, time
shop = sys.argv[1]
con = duckdb.connect()
con.execute("SET threads = 2")
con.execute("SET enable_progress_bar = false")
t0 = time.perf_counter()
steps = {}
def step(name, sql):
    s = time.perf_counter()
    con.execute(sql)
    steps[name] = time.perf_counter() - s
step("staging", f"""
CREATE TABLE stg_customers AS SELECT * FROM read_csv('{shop}/customers.csv', all_varchar = true);
CREATE TABLE stg_products AS SELECT * FROM read_csv('{shop}/products.csv', all_varchar = true);
CREATE TABLE stg_orders AS SELECT order_id, customer_id, TRY_CAST(timestamp AS TIMESTAMP) AS ordered_at, status
    FROM read_csv('{shop}/orders.csv', all_varchar = true);
CREATE TABLE stg_order_lines AS SELECT order_id, product_id, TRY_CAST(quantity AS DOUBLE) AS quantity,
    TRY_CAST(unit_price AS DOUBLE) AS unit_price FROM read_csv('{shop}/items.csv', all_varchar = true);
""")
step("dimensions", """
CREATE TABLE dim_customer AS SELECT row_number() OVER (ORDER BY customer_id) AS customer_key, * FROM
    (SELECT DISTINCT ON (customer_id) * FROM stg_customers WHERE customer_id IS NOT NULL);
CREATE TABLE dim_product AS SELECT row_number() OVER (ORDER BY product_id) AS product_key, product_id, name, category,
    TRY_CAST(price AS DOUBLE) AS list_price FROM (SELECT DISTINCT ON (product_id) * FROM stg_products WHERE product_id IS NOT NULL);
CREATE TABLE dim_date AS SELECT CAST(strftime(d, '%Y%m%d') AS INTEGER) AS date_key, CAST(d AS DATE) AS date, year(d) AS year,
    quarter(d) AS quarter, month(d) AS month, day(d) AS day, isodow(d) AS day_of_week, isodow(d) >= 6 AS is_weekend,
    isoyear(d) AS iso_year, week(d) AS iso_week, CAST(date_trunc('week', d) AS DATE) AS week_start,
    CAST(date_trunc('month', d) AS DATE) AS month_start
    FROM (SELECT unnest(generate_series((SELECT CAST(min(ordered_at) AS DATE) FROM stg_orders WHERE ordered_at <= TIMESTAMP '2019-12-31 23:59:59'),
                                        DATE '2019-12-31', INTERVAL 1 DAY)) AS d);
""")
step("facts", """
CREATE TABLE fct_orders AS SELECT row_number() OVER (ORDER BY o.order_id) AS order_key, o.order_id, c.customer_key,
    CAST(strftime(o.ordered_at, '%Y%m%d') AS INTEGER) AS date_key, o.ordered_at, o.status,
    CASE WHEN lower(o.status) IN ('cancelled', 'canceled') THEN 0 ELSE 1 END AS is_revenue
    FROM (SELECT DISTINCT ON (order_id) * FROM stg_orders WHERE ordered_at IS NOT NULL AND ordered_at <= TIMESTAMP '2019-12-31 23:59:59') o
    JOIN dim_customer c ON c.customer_id = o.customer_id;
CREATE TABLE fct_order_lines AS SELECT f.order_key, p.product_key, f.customer_key, f.date_key, f.is_revenue,
    l.quantity, l.unit_price, l.quantity * l.unit_price AS line_total
    FROM (SELECT DISTINCT ON (order_id, product_id) * FROM stg_order_lines WHERE quantity > 0 AND unit_price >= 0) l
    JOIN fct_orders f ON f.order_id = l.order_id JOIN dim_product p ON p.product_id = l.product_id;
""")
step("mart_customer_daily", """
CREATE TABLE mart_customer_daily AS
WITH daily AS (SELECT o.customer_key, o.date_key, count(*) AS orders, coalesce(sum(l.units), 0) AS items,
                      coalesce(sum(l.spend), 0) AS spend
               FROM fct_orders o LEFT JOIN (SELECT order_key, sum(quantity) AS units, sum(line_total) AS spend FROM fct_order_lines GROUP BY 1) l
                 ON l.order_key = o.order_key
               WHERE o.is_revenue = 1 GROUP BY 1, 2)
SELECT c.customer_id, d.date, x.orders, x.items, x.spend, x.spend / x.orders AS avg_order_value,
       sum(x.orders) OVER w AS cumulative_orders, sum(x.spend) OVER w AS cumulative_spend,
       d.date - lag(d.date) OVER (PARTITION BY x.customer_key ORDER BY x.date_key) AS days_since_previous_order
FROM daily x JOIN dim_customer c USING (customer_key) JOIN dim_date d USING (date_key)
WINDOW w AS (PARTITION BY x.customer_key ORDER BY x.date_key ROWS UNBOUNDED PRECEDING);
""")
grains = [("day", "d.date", "CAST(d.date AS VARCHAR)"),
          ("week", "d.week_start", "printf('%04d-W%02d', d.iso_year, d.iso_week)"),
          ("month", "d.month_start", "strftime(d.date, '%Y-%m')"),
          ("year", "make_date(d.year, 1, 1)", "CAST(d.year AS VARCHAR)")]
product = " UNION ALL ".join(f"""SELECT '{g}' AS grain, {label} AS period, {start} AS period_start, p.product_id, p.category,
    count(DISTINCT l.order_key) AS orders, sum(l.quantity) AS units, sum(l.line_total) AS revenue, count(DISTINCT l.customer_key) AS customers
    FROM fct_order_lines l JOIN dim_date d USING (date_key) JOIN dim_product p USING (product_key)
    WHERE l.is_revenue = 1 GROUP BY ALL""" for g, start, label in grains)
category = " UNION ALL ".join(f"""SELECT '{g}' AS grain, {label} AS period, {start} AS period_start, p.category,
    count(DISTINCT l.order_key) AS orders, sum(l.quantity) AS units, sum(l.line_total) AS revenue, count(DISTINCT l.customer_key) AS customers
    FROM fct_order_lines l JOIN dim_date d USING (date_key) JOIN dim_product p USING (product_key)
    WHERE l.is_revenue = 1 GROUP BY ALL""" for g, start, label in grains)
step("roll-ups", f"CREATE TABLE mart_sales_by_product AS {product}; CREATE TABLE mart_sales_by_category AS {category};")
total = time.perf_counter() - t0
counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
          ["fct_orders", "fct_order_lines", "mart_customer_daily", "mart_sales_by_product", "mart_sales_by_category"]}
print(json.dumps({"seconds": total, "steps": steps, "counts": counts,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def timed(cmd):
    r = measured.run(cmd)
    return r["seconds"], r["peak_mb"], r["stdout"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shop", required=True)
    ap.add_argument("--forecast", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--as-of", default="2019-12-31")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    db = os.path.join(a.out, "warehouse.sqlite")
    for suffix in ["", "-wal", "-shm"]:
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    load_s, load_mb, _ = timed([a.forecast, "warehouse", "load", "--source", a.shop, "--db", db, "--as-of", a.as_of, "--quiet"])
    marts_s, marts_mb, marts_out = timed([a.forecast, "warehouse", "marts", "--db", db])
    detail = re.search(r"built in (.*)", marts_out)
    import sqlite3
    con = sqlite3.connect(db)
    ours = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
            ["fct_orders", "fct_order_lines", "mart_customer_daily", "mart_sales_by_product", "mart_sales_by_category"]}
    con.close()

    r = subprocess.run([sys.executable, "-c", DUCKDB, a.shop], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"DuckDB failed: {r.stderr[-3000:]}")
    duck = json.loads(r.stdout.strip().splitlines()[-1])

    ours_total = load_s + marts_s
    lines = [
        "# The warehouse against DuckDB, one run",
        "",
        f"`make warehouse-compare` on `{a.shop}` (as of {a.as_of}); {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "| | forecast (SQLite) | DuckDB 2 threads, in memory |",
        "| --- | ---: | ---: |",
        f"| load: staging, dimensions, facts (s) | {load_s:.1f} | {duck['steps']['staging'] + duck['steps']['dimensions'] + duck['steps']['facts']:.1f} |",
        f"| marts (s) | {marts_s:.1f} ({detail.group(1) if detail else ''}) | {duck['steps']['mart_customer_daily'] + duck['steps']['roll-ups']:.1f} (daily {duck['steps']['mart_customer_daily']:.1f}, roll-ups {duck['steps']['roll-ups']:.1f}; no segments) |",
        f"| total (s) | {ours_total:.1f} | {duck['seconds']:.1f} |",
        f"| peak MB | load {load_mb:,.0f}, marts {marts_mb:,.0f} | {duck['peak_mb']:,.0f} |",
        "",
        f"Ratio (DuckDB / ours, total): {duck['seconds'] / ours_total:.2f}x.",
        "",
        "| rows | forecast | DuckDB |",
        "| --- | ---: | ---: |",
    ] + [f"| {t} | {ours[t]:,} | {duck['counts'][t]:,} |" for t in ours]
    mismatch = [t for t in ["mart_customer_daily", "mart_sales_by_product", "mart_sales_by_category"] if ours[t] != duck["counts"][t]]
    lines += ["", "The mart row counts agree." if not mismatch else "Row counts differ: " + ", ".join(mismatch)]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(a.out, "warehouse-compare.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
