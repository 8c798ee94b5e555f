"""Ensemble benchmarks (issue 14), run by `make bench` after bench.py.

1. End to end: `wfsim ensemble` with S scenarios x N seeds x E employees x
   Y years (default 3 x 100 x 5,000 x 5: events, one dbt build,
   distributions), its stages from run_summary.json, beside the time the
   same S x N replicates would take as separate `wfsim run`s, estimated
   from a sample of them (mean wall time x S x N), as a ratio.
2. Memory: `wfsim ensemble --events-only` with 1 scenario and few, then
   many seeds: the engine's peak RSS (wait4's rusage of the process; no dbt
   child with --events-only) should not grow with the seeds; and the end
   to end time of 1 x M seeds (default 1,000; target under 10 minutes).

Not a test: the figures depend on the machine and its load. Writes
bench/ENSEMBLE.md and bench/ensemble.json.
usage: bench/bench_ensemble.py [--quick] [--scenarios S] [--seeds N]
       [--employees E] [--years Y] [--sample K] [--rss-seeds A,B] [--long-seeds M]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, os.environ.get("WFSIM_BUILD") or os.environ.get("BUILD") or "build")
WFSIM = os.path.join(BUILD, "wfsim")
START = 2025
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
ENV.setdefault("WFSIM_DBT", os.path.join(ROOT, ".venv", "bin", "dbt"))
ENV.setdefault("WFSIM_DBT_PROJECT", os.path.join(ROOT, "dbt"))

# The scenarios: the baseline, auto-enrollment at 8 % escalating to 15 %,
# and one escalating faster (2 % a year to 12 %) in a workforce growing 5 %.
SCENARIOS = [
    ("baseline", ""),
    ("auto8", "auto_enrollment:\n  default_deferral_rate: 0.08\nauto_escalation:\n  cap: 0.15\n"),
    ("richer", "auto_escalation:\n  increment: 0.02\n  cap: 0.12\nworkforce:\n  target_growth_rate: 0.05\n"),
]


def parse_args():
    p = argparse.ArgumentParser(prog="bench/bench_ensemble.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="a smoke run at a tiny size")
    p.add_argument("--scenarios", type=int, default=3)
    p.add_argument("--seeds", type=int, default=100)
    p.add_argument("--employees", type=int, default=5000)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--sample", type=int, default=3, help="separate `wfsim run`s timed")
    p.add_argument("--rss-seeds", default="10,1000", help="seed counts of the memory runs")
    p.add_argument("--long-seeds", type=int, default=1000, help="seeds of the 1-scenario run")
    a = p.parse_args()
    if a.quick:
        a.scenarios, a.seeds, a.employees, a.years, a.sample = 2, 3, 300, 2, 1
        a.rss_seeds, a.long_seeds = "2,8", 4
    a.scenarios = max(1, min(a.scenarios, len(SCENARIOS)))
    return a


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def timed(cmd):
    """(wall s, peak RSS MB of the process itself and its reaped children)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, env=ENV, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{err.read().decode()[-2000:]}")
        return wall, ru.ru_maxrss / 1024


def scenario_files(tmp, a, seed=None):
    files = []
    for sid, body in SCENARIOS[:a.scenarios]:
        path = os.path.join(tmp, f"{sid}{'' if seed is None else '_' + str(seed)}.yaml")
        with open(path, "w") as f:
            f.write(f"simulation:\n  scenario_id: {sid}\n  start_year: {START}\n"
                    f"  end_year: {START + a.years - 1}\n"
                    + ("" if seed is None else f"  random_seed: {seed}\n") + body)
        files.append(path)
    return files


def ensemble(tmp, cen, files, seeds, out, events_only=False):
    cmd = [WFSIM, "ensemble", "--census", cen, "--seeds", str(seeds), "--out", out, "--quiet"]
    for f in files:
        cmd += ["--scenario", f]
    if events_only:
        cmd.append("--events-only")
    if os.path.exists(out):
        shutil.rmtree(out)
    wall, rss = timed(cmd)
    with open(os.path.join(out, "run_summary.json")) as f:
        stages = {s["stage"]: s["seconds"] for s in json.load(f)["stages"]}
    return {"wall": wall, "rss_mb": rss, "stages": stages}


def end_to_end(tmp, cen, a, res):
    files = scenario_files(tmp, a)
    n = a.scenarios * a.seeds
    log(f"ensemble {a.scenarios} x {a.seeds} seeds x {a.employees} x {a.years} years")
    e = ensemble(tmp, cen, files, a.seeds, os.path.join(tmp, "ens"))
    log(f"  {e['wall']:.1f} s ({e['stages']})")
    # the same build's statements alone (bench/dbt_sql_floor.py): what is
    # DuckDB's work and what dbt adds. In a child process: the peak RSS of
    # the runs below counts this process's pages (fork), so it stays small.
    fj = os.path.join(tmp, "floor.json")
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "dbt_sql_floor.py"),
                          os.path.join(tmp, "ens"), "--json", fj], check=True, env=ENV,
                         stdout=subprocess.PIPE, text=True).stdout
    floor = json.load(open(fj))
    e["sql_floor"] = {k: v for k, v in floor.items() if k != "nodes"}
    e["sql_floor"]["slowest"] = floor["nodes"][:8]
    log(f"  {out.splitlines()[0]}")   # its summary line
    shutil.rmtree(os.path.join(tmp, "ens"), ignore_errors=True)
    runs = []
    for k in range(a.sample):
        sid_index, seed = k % a.scenarios, 12345 + k
        cfg = scenario_files(tmp, a, seed)[sid_index]
        out = os.path.join(tmp, f"run{k}")
        wall, _ = timed([WFSIM, "run", "--config", cfg, "--census", cen, "--out", out, "--quiet"])
        shutil.rmtree(out, ignore_errors=True)
        runs.append(wall)
        log(f"  separate wfsim run {k + 1}/{a.sample}: {wall:.1f} s")
    estimate = statistics.mean(runs) * n
    res["end_to_end"] = {"scenarios": a.scenarios, "seeds": a.seeds, "employees": a.employees,
                         "years": a.years, "replicates": n, "ensemble": e,
                         "separate_run_s": runs, "separate_estimate_s": estimate,
                         "ratio": estimate / e["wall"]}


def memory(tmp, cen, a, res):
    files = scenario_files(tmp, a)[:1]
    rows = []
    for seeds in [int(s) for s in a.rss_seeds.split(",")]:
        log(f"events only, 1 scenario x {seeds} seeds")
        e = ensemble(tmp, cen, files, seeds, os.path.join(tmp, f"rss{seeds}"), events_only=True)
        shutil.rmtree(os.path.join(tmp, f"rss{seeds}"), ignore_errors=True)
        rows.append({"seeds": seeds, "wall": e["wall"], "rss_mb": e["rss_mb"]})
        log(f"  {e['wall']:.1f} s, peak RSS {e['rss_mb']:.1f} MB")
    # wait4's peak RSS of a child starts from the pages of this process,
    # which the child is a copy of until its exec: below this, the
    # figure says nothing about the engine
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log(f"ensemble 1 x {a.long_seeds} seeds end to end")
    e = ensemble(tmp, cen, files, a.long_seeds, os.path.join(tmp, "long"))
    shutil.rmtree(os.path.join(tmp, "long"), ignore_errors=True)
    log(f"  {e['wall']:.1f} s ({e['stages']})")
    res["memory"] = {"events_only": rows, "bench_own_rss_mb": self_mb,
                     "long": {"seeds": a.long_seeds, **e}}


def report(res, a):
    L = ["# Ensemble benchmarks (issue 14)", "",
         f"Made by `bench/bench_ensemble.py{' --quick' if a.quick else ''}` on "
         f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC; census `wfsim census "
         f"--employees {a.employees} --seed 1`; not a test (figures depend on the load).", ""]
    t = res["end_to_end"]
    st = t["ensemble"]["stages"]
    L += [f"## {t['scenarios']} scenarios x {t['seeds']} seeds x {t['employees']:,} x {t['years']} years", "",
          "| | seconds |", "|---|---|",
          f"| `wfsim ensemble`, end to end | {t['ensemble']['wall']:.1f} |",
          f"| of which events | {st.get('events', 0):.1f} |",
          f"| of which the dbt build | {st.get('dbt build', 0):.1f} |",
          f"| one separate `wfsim run` (mean of {len(t['separate_run_s'])}) | "
          f"{statistics.mean(t['separate_run_s']):.1f} |",
          f"| {t['replicates']} separate `wfsim run`s (estimate) | {t['separate_estimate_s']:.0f} |",
          f"| ratio separate / ensemble | {t['ratio']:.1f} x |", ""]
    fl = t["ensemble"].get("sql_floor")
    if fl:
        L += [f"The same build's statements one at a time on one DuckDB connection "
              f"(bench/dbt_sql_floor.py): {fl['floor']:.1f} s (models {fl['floor_models']:.1f}, "
              f"data tests {fl['floor_tests']:.1f}), against dbt's {fl['dbt_elapsed']:.1f} s of "
              f"node time ({fl['dbt_node_sum']:.1f} s summed over its two threads). Slowest:", "",
              "| node | alone | in dbt |", "|---|---|---|"]
        L += [f"| `{x['node']}` | {x['alone']:.2f} | {x['dbt']:.2f} |" for x in fl["slowest"]]
        L += [""]
    m = res["memory"]
    L += ["## Memory: the engine's peak RSS against the number of seeds", "",
          "| seeds (1 scenario, --events-only) | seconds | peak RSS MB |", "|---|---|---|"]
    L += [f"| {r['seeds']} | {r['wall']:.1f} | {r['rss_mb']:.1f} |" for r in m["events_only"]]
    L += ["", f"(wait4's peak RSS of a child counts the pages of the benchmark's own process, "
          f"{m['bench_own_rss_mb']:.1f} MB, which the child is a copy of until it starts "
          "wfsim: a figure at that level is the benchmark's, the engine's is at most that.)"]
    lg = m["long"]
    L += ["", f"1 scenario x {lg['seeds']} seeds end to end: {lg['wall']:.1f} s "
          f"(events {lg['stages'].get('events', 0):.1f} s, dbt build "
          f"{lg['stages'].get('dbt build', 0):.1f} s).", ""]
    return "\n".join(L)


def main():
    a = parse_args()
    if not os.path.exists(WFSIM):
        raise SystemExit(f"bench: {WFSIM} is missing (make all)")
    tmp = tempfile.mkdtemp(prefix="wfsim-bench-ens-")
    res = {}
    try:
        cen = os.path.join(tmp, "census.csv")
        subprocess.run([WFSIM, "census", "--employees", str(a.employees), "--seed", "1",
                        "--out", cen], check=True, env=ENV)
        end_to_end(tmp, cen, a, res)
        memory(tmp, cen, a, res)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = report(res, a)
    with open(os.path.join(ROOT, "bench", "ENSEMBLE.md"), "w") as f:
        f.write(text)
    with open(os.path.join(ROOT, "bench", "ensemble.json"), "w") as f:
        json.dump({"args": vars(a), "results": res}, f, indent=1)
    print(text)


if __name__ == "__main__":
    main()
