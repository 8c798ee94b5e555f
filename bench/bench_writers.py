"""Issue 19's comparison: `wfsim events` (simulate and write, whole process)
against Polars, pyarrow and DuckDB writing the same events from memory.

    .venv/bin/python bench/bench_writers.py [--employees N] [--years Y] [--rounds R]

Makes a census with `wfsim census --seed 1`, runs `wfsim events` R times
(wall, CPU of the process, peak RSS), reads the events it wrote into memory
once (pyarrow), then times each library writing that one table as a single
Parquet file with ZSTD level 1, R times each. Prints medians and the ratio
of the engine's wall time to each writer's; the target of issue 19 is that
the engine takes at most 0.5 x what Polars takes to write alone.
"""
import argparse
import glob
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("WFSIM_BUILD", os.path.join(ROOT, "build"))
WFSIM = os.path.join(BUILD, "wfsim")


def engine(census, out, years):
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    p = subprocess.Popen([WFSIM, "events", "--census", census, "--out", out, "--quiet",
                          "--start", "2025", "--end", str(2024 + years)])
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"wfsim events failed: {status}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def timed(fn, rounds):
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=1_000_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="wfsim-writers-")
    try:
        census = os.path.join(tmp, "census.csv")
        subprocess.run([WFSIM, "census", "--employees", str(a.employees), "--seed", "1",
                        "--out", census], check=True, stdout=subprocess.DEVNULL)
        out = os.path.join(tmp, "ev")
        runs = [engine(census, out, a.years) for _ in range(a.rounds)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        rss = max(r[2] for r in runs)
        files = sorted(glob.glob(os.path.join(out, "simulation_year=*", "*.parquet")))
        table = ds.dataset(files, format="parquet", partitioning="hive",
                           partition_base_dir=out).to_table()
        # hive partitions of mixed files can leave a non-nullable flag
        # that the concatenated table breaks; writers check it
        table = table.cast(pa.schema([fl.with_nullable(True) for fl in table.schema]))
        frame = pl.from_arrow(table)
        con = duckdb.connect()
        con.register("ev", table)
        f = os.path.join(tmp, "w.parquet")
        writers = {
            "Polars": lambda: frame.write_parquet(f, compression="zstd", compression_level=1),
            "pyarrow": lambda: pq.write_table(table, f, compression="zstd", compression_level=1),
            "DuckDB": lambda: con.execute(
                f"copy ev to '{f}' (format parquet, compression zstd, compression_level 1)"),
        }
        print(f"{a.employees:,} employees x {a.years} years: {table.num_rows:,} events, "
              f"{a.rounds} rounds, load average {os.getloadavg()[0]:.2f}")
        print(f"  wfsim events (whole process)  wall {wall:.2f} s  CPU {cpu:.2f} s  "
              f"peak RSS {rss:,.0f} MB  (walls {', '.join(f'{r[0]:.2f}' for r in runs)})")
        for name, fn in writers.items():
            med, lo, hi = timed(fn, a.rounds)
            print(f"  {name:8s} write from memory  median {med:.2f} s ({lo:.2f}-{hi:.2f})"
                  f"  engine / writer {wall / med:.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
