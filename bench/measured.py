"""One command run under /usr/bin/time: wall and CPU seconds, peak memory, its output. Shared by
the warehouse benchmarks (warehouse_duckdb.py, warehouse_daily.py)."""
import os
import re
import subprocess
import sys
import time


def run(cmd, sync=False):
    """Runs `cmd`; exits with its stderr when it fails. With `sync`, the disk is synced first, so
    that writing back an earlier step's pages (a 3.7 GB database, its copy) is not charged to it.
    Returns seconds, cpu_seconds (user + system), peak_mb and stdout."""
    if sync:
        os.sync()
    t0 = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "PEAK %M CPU %U %S"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {r.stderr[-2000:]}")
    m = re.search(r"PEAK (\d+) CPU ([\d.]+) ([\d.]+)", r.stderr)
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": float(m.group(2)) + float(m.group(3)),
            "peak_mb": int(m.group(1)) / 1024, "stdout": r.stdout}
