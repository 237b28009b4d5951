#!/usr/bin/env python3
"""The warehouse in PostgreSQL against the SQLite warehouse and against `psql \\copy`, in one run.

For one generated shop (a `forecast generate` folder):
  1. PostgreSQL backend: `forecast warehouse load --db postgresql://...` (COPY into staging, then set-based
     upserts) and `forecast warehouse marts` (every mart computed inside the server).
  2. SQLite backend: the same two commands on a new file.
  3. The floor: `psql \\copy` of the same four CSV files into tables of text columns: the cost of moving the
     bytes into the server, with no parsing into types, no checks, no keys and no upserts.
Each step is timed under /usr/bin/time (wall, client CPU, client peak memory); the server's own CPU is not in
the client's figures, so the PostgreSQL steps also report the server processes' CPU from /proc.

The cluster is the throwaway one of deploy/postgres-cluster.sh with durable settings (fsync on) and memory for a
machine of this size: shared_buffers 2 GB, work_mem 256 MB, maintenance_work_mem 1 GB, max_wal_size 8 GB.

  warehouse_postgres.py --shop data/warehouse-1000000 --forecast .build/release/forecast --out data/warehouse-postgres-1000000

Writes OUT/warehouse-postgres.md and OUT/warehouse-postgres.json.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import measured  # bench/measured.py

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER = os.path.join(HERE, "..", "deploy", "postgres-cluster.sh")
SETTINGS = ("-c shared_buffers=2GB -c work_mem=256MB -c maintenance_work_mem=1GB -c max_wal_size=8GB "
            "-c checkpoint_timeout=30min")


def server_cpu(data_dir):
    """CPU seconds (user + system) of the server's processes so far, from /proc (postmaster and children)."""
    pid_file = os.path.join(data_dir, "postmaster.pid")
    with open(pid_file) as f:
        root = int(f.readline())
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(pid) == root or int(fields[1]) == root:
                # utime, stime, cutime, cstime (children that ended count in the postmaster's c-times)
                total += sum(int(x) for x in fields[11:15]) / ticks
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total


def psql(url, sql, password):
    env = dict(os.environ, PGPASSWORD=password)
    r = subprocess.run(["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"psql failed: {r.stderr}")
    return r.stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shop", required=True)
    p.add_argument("--forecast", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    cluster = os.path.join(a.out, "cluster")
    shutil.rmtree(cluster, ignore_errors=True)
    env = dict(os.environ, POSTGRES_CLUSTER_OPTIONS=SETTINGS)
    subprocess.run(["bash", CLUSTER, "start", cluster], check=True, env=env)
    results = {}
    try:
        values = dict(line.split(" ", 1)[1].strip().split("=", 1) for line in open(os.path.join(cluster, "env")))
        admin, password = values["FORECAST_TEST_POSTGRES_URL"], values["FORECAST_TEST_POSTGRES_PASSWORD"]
        base = admin.rsplit("/", 1)[0]
        os.environ["PGPASSWORD"] = password
        data_dir = os.path.join(cluster, "data")
        for db in ("shop", "floor"):
            psql(admin, f"CREATE DATABASE {db}", password)
        url = base + "/shop"

        def pg_step(name, cmd):
            cpu0 = server_cpu(data_dir)
            r = measured.run(cmd, sync=True)
            r["server_cpu_seconds"] = server_cpu(data_dir) - cpu0
            out = r.pop("stdout")
            if "--format" in cmd:
                r["parts"] = json.loads(out).get("seconds", {})
            results[name] = r
            print(f"{name}: {r['seconds']:.1f} s wall, client {r['cpu_seconds']:.1f} s CPU / {r['peak_mb']:.0f} MB, "
                  f"server {r['server_cpu_seconds']:.1f} s CPU", flush=True)

        pg_step("postgres load", [a.forecast, "warehouse", "load", "--source", a.shop, "--db", url, "--as-of", "2019-12-31", "--quiet"])
        pg_step("postgres marts", [a.forecast, "warehouse", "marts", "--db", url, "--quiet", "--format", "json"])
        results["postgres database MB"] = int(psql(url, "SELECT pg_database_size('shop')", password).strip()) / 1e6

        # The floor: the four files as text, no types, keys or checks.
        floor = base + "/floor"
        tables = {"customers": "customers.csv", "products": "products.csv", "orders": "orders.csv", "items": "items.csv"}
        script = []
        for table, file in tables.items():
            with open(os.path.join(a.shop, file)) as f:
                header = f.readline().strip().split(",")
            psql(floor, f"CREATE TABLE {table} ({', '.join(c + ' text' for c in header)})", password)
            script.append(f"\\copy {table} FROM '{os.path.abspath(os.path.join(a.shop, file))}' WITH (FORMAT csv, HEADER true)")
        with open(os.path.join(a.out, "floor.sql"), "w") as f:
            f.write("\n".join(script) + "\n")
        pg_step("psql \\copy (floor)", ["psql", floor, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", os.path.join(a.out, "floor.sql")])
    finally:
        subprocess.run(["bash", CLUSTER, "stop", cluster], env=env)

    db = os.path.join(a.out, "warehouse.sqlite")
    if os.path.exists(db):
        os.remove(db)
    for name, cmd in [("sqlite load", [a.forecast, "warehouse", "load", "--source", a.shop, "--db", db, "--as-of", "2019-12-31", "--quiet"]),
                      ("sqlite marts", [a.forecast, "warehouse", "marts", "--db", db, "--quiet", "--format", "json"])]:
        r = measured.run(cmd, sync=True)
        out = r.pop("stdout")
        if "--format" in cmd:
            r["parts"] = json.loads(out).get("seconds", {})
        results[name] = r
        print(f"{name}: {r['seconds']:.1f} s wall, {r['cpu_seconds']:.1f} s CPU / {r['peak_mb']:.0f} MB", flush=True)
    results["sqlite database MB"] = os.path.getsize(db) / 1e6
    os.remove(db)

    pg_total = results["postgres load"]["seconds"] + results["postgres marts"]["seconds"]
    sq_total = results["sqlite load"]["seconds"] + results["sqlite marts"]["seconds"]
    floor_s = results["psql \\copy (floor)"]["seconds"]
    with open(os.path.join(a.out, "warehouse-postgres.json"), "w") as f:
        json.dump(results, f, indent=2)
    lines = [f"# Warehouse in PostgreSQL vs SQLite vs psql \\copy: {os.path.basename(os.path.normpath(a.shop))}", "",
             "Same machine, one run each, `make postgres-bench`. Client figures from /usr/bin/time; server CPU from /proc.",
             f"PostgreSQL 15 settings: durable (fsync on), {SETTINGS}.", "",
             "| step | wall s | client CPU s | client peak MB | server CPU s |", "|---|---:|---:|---:|---:|"]
    for name in ["psql \\copy (floor)", "postgres load", "postgres marts", "sqlite load", "sqlite marts"]:
        r = results[name]
        server = f"{r['server_cpu_seconds']:.1f}" if "server_cpu_seconds" in r else "-"
        lines.append(f"| {name} | {r['seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_mb']:.0f} | {server} |")
    for name in ["postgres marts", "sqlite marts"]:
        parts = results[name].get("parts", {})
        lines.append("")
        lines.append(f"{name}: " + ", ".join(f"{k} {v:.1f} s" for k, v in parts.items()))
    lines += ["", f"- load + marts: PostgreSQL {pg_total:.1f} s, SQLite {sq_total:.1f} s "
                  f"(PostgreSQL takes {pg_total / sq_total:.2f}x SQLite's time)",
              f"- PostgreSQL load / psql \\copy floor: {results['postgres load']['seconds'] / floor_s:.2f}x",
              f"- database size: PostgreSQL {results['postgres database MB']:.0f} MB, SQLite {results['sqlite database MB']:.0f} MB"]
    with open(os.path.join(a.out, "warehouse-postgres.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
