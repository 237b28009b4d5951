#!/usr/bin/env python3
"""The daily run of the warehouse, measured: a shop's history is loaded and its marts built
once, then one new day arrives (that day's orders and lines, the customers they name, the
products, and late cancellations of orders from the previous 30 days) and is loaded, and the
marts are updated from the change log. A copy of the warehouse takes the same day with
`warehouse marts --full`; the two warehouses' facts and marts are then compared row by row
(SQLite EXCEPT both ways, values compared exactly) and must be identical.

  warehouse_daily.py --shop data/warehouse-1000000 --forecast .build/release/forecast --out data/warehouse-daily-1000000

The shop is a `forecast generate --clean` folder (orders.csv sorted by time, as the
generator writes it). Writes OUT/warehouse-daily.md and OUT/warehouse-daily.json.
"""
import argparse
import json
import os
import shutil
import sqlite3
import sys
import time

import measured  # bench/measured.py

TABLES = ["dim_customer", "dim_product", "dim_date", "fct_orders", "fct_order_lines", "mart_customer_daily",
          "mart_sales_by_product", "mart_sales_by_category", "mart_customer_segments", "mart_audience_clusters"]


def timed(cmd):
    return measured.run(cmd, sync=True)


def split(shop, out, day, cancellations):
    """history/ (orders before `day`) and day/ (the day's orders, lines and customers, every
    product, and `cancellations` orders of the previous 30 days again, cancelled)."""
    history, today = os.path.join(out, "history"), os.path.join(out, "day")
    for d in (history, today):
        os.makedirs(d, exist_ok=True)
    month_before = time.strftime("%Y-%m-%d", time.gmtime(time.mktime(time.strptime(day, "%Y-%m-%d")) - 30 * 86400))
    day_orders, late = {}, []
    with open(os.path.join(shop, "orders.csv")) as f, open(os.path.join(history, "orders.csv"), "w") as h:
        header = f.readline()
        h.write(header)
        for line in f:
            parts = line.rstrip("\n").split(",")
            if parts[2] < day:
                h.write(line)
                if parts[2] >= month_before and parts[3] == "completed" and len(late) < cancellations:
                    late.append(parts)
            elif parts[2] < day + "T99":
                day_orders[parts[0]] = parts
    for parts in late:
        parts[3] = "cancelled"
        day_orders[parts[0]] = parts
    late_ids = {p[0] for p in late}
    with open(os.path.join(today, "orders.csv"), "w") as t:
        t.write(header)
        for parts in day_orders.values():
            t.write(",".join(parts) + "\n")
    with open(os.path.join(shop, "items.csv")) as f, open(os.path.join(history, "items.csv"), "w") as h, \
            open(os.path.join(today, "items.csv"), "w") as t:
        header = f.readline()
        h.write(header)
        t.write(header)
        for line in f:
            order = line.split(",", 1)[0]
            if order in day_orders:
                t.write(line)
            if order not in day_orders or order in late_ids:
                h.write(line)
    named = {p[1] for p in day_orders.values()}
    with open(os.path.join(shop, "customers.csv")) as f, open(os.path.join(today, "customers.csv"), "w") as t:
        header = f.readline()
        t.write(header)
        for line in f:
            if line.split(",", 1)[0] in named:
                t.write(line)
    shutil.copy(os.path.join(shop, "customers.csv"), os.path.join(history, "customers.csv"))
    for d in (history, today):
        shutil.copy(os.path.join(shop, "products.csv"), os.path.join(d, "products.csv"))
    return history, today, len(day_orders) - len(late), len(late)


def differences(a, b):
    """Rows of each table in one warehouse and not in the other (both ways)."""
    con = sqlite3.connect(a)
    con.execute("ATTACH DATABASE ? AS other", (b,))
    out = {}
    for t in TABLES:
        out[t] = con.execute(f"SELECT (SELECT count(*) FROM (SELECT * FROM main.{t} EXCEPT SELECT * FROM other.{t})) + "
                             f"(SELECT count(*) FROM (SELECT * FROM other.{t} EXCEPT SELECT * FROM main.{t}))").fetchone()[0]
    out["rows"] = {t: con.execute(f"SELECT count(*) FROM main.{t}").fetchone()[0] for t in TABLES}
    con.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shop", required=True)
    ap.add_argument("--forecast", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--day", default="2019-12-31")
    ap.add_argument("--cancellations", type=int, default=50)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    history, today, new_orders, late = split(a.shop, a.out, a.day, a.cancellations)
    db, copy = os.path.join(a.out, "warehouse.sqlite"), os.path.join(a.out, "warehouse-full.sqlite")
    for f in (db, copy):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f + suffix):
                os.remove(f + suffix)
    fc = a.forecast
    r = {"day": a.day, "new_orders": new_orders, "late_cancellations": late}
    print(f"history load and first (full) marts ... ", file=sys.stderr)
    r["history_load"] = timed([fc, "warehouse", "load", "--source", history, "--db", db, "--as-of", a.day, "--quiet"])
    r["history_marts"] = timed([fc, "warehouse", "marts", "--db", db, "--quiet"])
    shutil.copy(db, copy)
    print(f"the day: {new_orders} new orders, {late} late cancellations ... ", file=sys.stderr)
    r["day_load"] = timed([fc, "warehouse", "load", "--source", today, "--db", db, "--as-of", a.day, "--quiet"])
    r["day_marts"] = timed([fc, "warehouse", "marts", "--db", db, "--format", "json", "--quiet"])
    r["full_load"] = timed([fc, "warehouse", "load", "--source", today, "--db", copy, "--as-of", a.day, "--quiet"])
    r["full_marts"] = timed([fc, "warehouse", "marts", "--db", copy, "--full", "--format", "json", "--quiet"])
    incremental, full = json.loads(r["day_marts"]["stdout"]), json.loads(r["full_marts"]["stdout"])
    r["incremental_summary"] = {"mode": incremental["mode"], "changed_orders": incremental.get("changed_orders"), "seconds": incremental["seconds"]}
    r["full_summary"] = {"mode": full["mode"], "seconds": full["seconds"]}
    r["differences"] = differences(db, copy)
    for k in ("history_load", "history_marts", "day_load", "day_marts", "full_load", "full_marts"):
        r[k].pop("stdout")
    identical = all(r["differences"][t] == 0 for t in TABLES)
    with open(os.path.join(a.out, "warehouse-daily.json"), "w") as f:
        json.dump(r, f, indent=1)

    def row(name, step):
        return f"| {name} | {r[step]['seconds']:.1f} s | {r[step]['cpu_seconds']:.1f} s | {r[step]['peak_mb']:,.0f} MB |"
    inc, fs = r["incremental_summary"]["seconds"], r["full_summary"]["seconds"]
    daily_key = next(k for k in inc if "incremental" in k)
    md = [
        f"# The daily run of the warehouse ({r['differences']['rows']['dim_customer']:,} customers)",
        "",
        f"`make warehouse-daily` (bench/warehouse_daily.py): the history up to {a.day} (exclusive) loaded and its marts "
        f"built, then the day {a.day}: {new_orders:,} new orders and {late} late cancellations of orders from the previous 30 days.",
        "",
        "| step | wall | CPU (user + system) | peak memory |",
        "|---|---|---|---|",
        row("history: `warehouse load`", "history_load"),
        row("history: `warehouse marts` (first build, full)", "history_marts"),
        row("the day: `warehouse load` (logs the changed orders)", "day_load"),
        row("the day: `warehouse marts` (incremental)", "day_marts"),
        row("the day on a copy: `warehouse load`", "full_load"),
        row("the day on a copy: `warehouse marts --full`", "full_marts"),
        "",
        f"Inside the marts step: daily summary and roll-ups {inc[daily_key]:.2f} s incremental "
        f"({r['incremental_summary']['changed_orders']:,} changed orders) against "
        f"{fs.get('mart_customer_daily', 0) + fs.get('sales roll-ups', 0):.2f} s in full "
        f"(daily summary {fs.get('mart_customer_daily', 0):.2f} s, roll-ups {fs.get('sales roll-ups', 0):.2f} s); "
        f"segments and audience (always computed again) {inc['segments and audience']:.2f} s and {fs['segments and audience']:.2f} s.",
        "",
        "Incremental against full, rows in one and not in the other (both ways, exact values): "
        + ", ".join(f"{t} {r['differences'][t]}" for t in TABLES)
        + (" — identical." if identical else " — DIFFERENT."),
        "",
    ]
    with open(os.path.join(a.out, "warehouse-daily.md"), "w") as f:
        f.write("\n".join(md))
    print("\n".join(md))
    if not identical:
        sys.exit("the incremental marts differ from the full build")


if __name__ == "__main__":
    main()
