"""The Python package against the command and the Polars peer (issue 16).

usage: .venv/bin/python bench/bench_python.py [--employees N] [--years Y]
                                              [--rounds R] [--out FILE]

On one synthetic census (`wfsim census --seed 1`), side by side, R rounds:

  events    the `wfsim events` process, census CSV to Parquet (wall time of
            the whole process, as bench.py measures it)
  simulate  `wfsim.simulate(census)` in this process: load, simulate, the
            Arrow columns (no Parquet), then `pyarrow.table(r.events)`
            (zero-copy import; counted, it is what a notebook does next)
  sim+pq    the same plus `write_parquet`: the very files of `wfsim events`
  polars    the Polars peer (bench/peers/run_polars.py; its own timer)

Prints the medians and the ratios simulate / events (about 1 expected: the
same simulation; the Python side builds Arrow columns where the command
encodes Parquet) and polars / simulate, and writes them as JSON to FILE
(default bench/python_results.json) and as the section "Python package"
of bench/RESULTS.md (bench/results_md.py). `make bench` runs it at
100,000 x 10 after bench.py. Not a test: figures depend on the machine and
its load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, os.environ.get("WFSIM_BUILD") or os.environ.get("BUILD") or "build")
WFSIM = os.path.join(BUILD, "wfsim")
PEER = os.path.join(ROOT, "bench", "peers", "run_polars.py")
sys.path.insert(0, os.path.join(ROOT, "bench"))
from results_md import put_section, seconds  # noqa: E402
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")


def log(msg):
    print(f"[bench_python {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_events(census, end, out):
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([WFSIM, "events", "--quiet", "--census", census, "--end", str(end),
                    "--out", out], env=ENV, check=True)
    return time.perf_counter() - t0


def run_simulate(wfsim, pa, census, end, out=None):
    t0 = time.perf_counter()
    r = wfsim.simulate(census, end=end)
    n = pa.table(r.events).num_rows
    if out:
        shutil.rmtree(out, ignore_errors=True)
        r.write_parquet(out)
    dt = time.perf_counter() - t0
    assert n == r.event_count
    return dt, n


def run_polars(census, end, out):
    p = subprocess.run([sys.executable, PEER, "--census", census, "--end", str(end),
                        "--out", out, "--wfsim", WFSIM], env=ENV, check=True,
                       capture_output=True, text=True)
    fields = dict(kv.split("=", 1) for kv in p.stdout.split() if "=" in kv)
    return float(fields["seconds"]), int(fields["events"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-polars", action="store_true", help="leave the Polars peer out")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "python_results.json"))
    a = ap.parse_args(argv)
    os.environ["SOURCE_DATE_EPOCH"] = ENV["SOURCE_DATE_EPOCH"]
    import pyarrow as pa
    import wfsim
    end = 2025 + a.years - 1
    times = {"events": [], "simulate": [], "sim+pq": [], "polars": []}
    with tempfile.TemporaryDirectory(prefix="wfsim-bench-py-") as tmp:
        census = os.path.join(tmp, "census.csv")
        subprocess.run([WFSIM, "census", "--employees", str(a.employees), "--seed", "1",
                        "--out", census], env=ENV, check=True)
        pa.table(wfsim.simulate(census, end=2025).events)  # warm: imports, page cache
        for k in range(a.rounds):
            log(f"round {k + 1}/{a.rounds}: {a.employees} x {a.years}")
            times["events"].append(run_events(census, end, os.path.join(tmp, "ev")))
            dt, n = run_simulate(wfsim, pa, census, end)
            times["simulate"].append(dt)
            times["sim+pq"].append(run_simulate(wfsim, pa, census, end,
                                                os.path.join(tmp, "pq"))[0])
            if not a.no_polars and os.path.exists(PEER):
                s, pn = run_polars(census, end, os.path.join(tmp, "polars"))
                assert pn == n, f"the Polars peer made {pn} events, the engine {n}"
                times["polars"].append(s)
    med = {k: statistics.median(v) for k, v in times.items() if v}
    res = {"employees": a.employees, "years": a.years, "rounds": a.rounds, "events": n,
           "median_s": med, "runs_s": times,
           "simulate_over_events": med["simulate"] / med["events"],
           "sim_pq_over_events": med["sim+pq"] / med["events"]}
    if "polars" in med:
        res["polars_over_simulate"] = med["polars"] / med["simulate"]
    print(f"{a.employees} x {a.years}: {n} events, median of {a.rounds} rounds")
    for k, v in med.items():
        print(f"  {k:9s} {v:8.3f} s")
    print(f"  simulate / events  {res['simulate_over_events']:.2f}")
    print(f"  sim+pq / events    {res['sim_pq_over_events']:.2f}")
    if "polars_over_simulate" in res:
        print(f"  polars / simulate  {res['polars_over_simulate']:.2f}")
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    print("section written to", put_section("python", markdown(res)))
    return 0


def markdown(res) -> str:
    """The section of bench/RESULTS.md."""
    med = res["median_s"]
    rows = [("`wfsim events` process (census CSV to Parquet)", "events"),
            ("`wfsim.simulate` in this process, then `pa.table(r.events)`", "simulate"),
            ("the same plus `write_parquet` (the files of `wfsim events`)", "sim+pq"),
            ("Polars port (bench/peers/run_polars.py, its own timer)", "polars")]
    lines = ["## Python package (bench/bench_python.py, issue 16)", "",
             f"{res['employees']:,} employees x {res['years']} years, {res['events']:,} "
             f"events; median of {res['rounds']} round(s), wall seconds; written "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
             f"{os.getloadavg()[0]:.2f}.", "",
             "| what | median s | all runs |", "|---|---|---|"]
    for label, key in rows:
        if key in med:
            runs = ", ".join(seconds(x) for x in res["runs_s"][key])
            lines.append(f"| {label} | {seconds(med[key])} | {runs} |")
    lines += ["", "| ratio | value |", "|---|---|",
              f"| simulate / events (about 1 expected) | {res['simulate_over_events']:.2f} |",
              f"| simulate + write_parquet / events | {res['sim_pq_over_events']:.2f} |"]
    if "polars_over_simulate" in res:
        lines.append(f"| Polars / simulate | {res['polars_over_simulate']:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
