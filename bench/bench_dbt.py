"""Where `wfsim run`'s dbt build spends its time (issue 19), run by
`make bench` after the ensemble benchmarks.

Runs `wfsim run` (fast mode) at E employees x Y years once to fill dbt's
caches (the saved parse, the unit tests' pass), then R times side by side
each way, every run into a new folder as a user runs it: with
WFSIM_DBT_CACHE=off (dbt parses the whole project and runs every unit test,
as before issue 19) and with the cache (the saved parse serves the run,
the unit tests passed already). It reports per run (whether dbt parsed in
full is in dbt.json): the engine's events stage, dbt's start-up (process
start to the parse), its parse, its nodes (dbt's own "Finished running ...
in S seconds"), the rest (writing run_results and manifest, exit), the
number of nodes, and the CPU time of the dbt children (wait4's rusage,
which load does not inflate the way it inflates wall time); the medians of
each way and their ratio. From the last cached run's
target/run_results.json: the slowest nodes and the sums of model and data
test times. Each run's marts are compared with the first run's
(bench/dbt_marts_equal.py: the caches must not change a value).

Not a test: the figures depend on the machine and its load. Writes
bench/DBT.md and bench/dbt.json.
usage: bench/bench_dbt.py [--quick] [--employees E] [--years Y] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import dbt_sql_floor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, os.environ.get("WFSIM_BUILD") or os.environ.get("BUILD") or "build")
WFSIM = os.path.join(BUILD, "wfsim")
PY = os.path.join(ROOT, ".venv", "bin", "python")
STAMP = re.compile(r"^(\d\d):(\d\d):(\d\d\.\d+) ")


def parse_args():
    p = argparse.ArgumentParser(prog="bench/bench_dbt.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="a smoke run at a tiny size")
    p.add_argument("--employees", type=int, default=60000)
    p.add_argument("--years", type=int, default=5)
    p.add_argument("--repeat", type=int, default=3, help="runs with the parse cached")
    a = p.parse_args()
    if a.quick:
        a.employees, a.years, a.repeat = 300, 2, 2
    return a


def seconds_of(line: str) -> float | None:
    m = STAMP.match(line)
    if not m:
        return None
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))


def dbt_phases(log: str) -> dict:
    """Start-up, parse, nodes and the rest, from the timestamps of dbt's
    debug log (OUT/logs/dbt.log: one invocation in fast mode)."""
    lines = open(log).read().splitlines()
    # dbt appends each invocation to dbt.log after a "=====" header: the last one
    heads = [i for i, l in enumerate(lines) if l.startswith("=====")]
    lines = lines[heads[-1]:] if heads else lines
    stamps = [(seconds_of(l), l) for l in lines if seconds_of(l) is not None]
    first = stamps[0][0]
    found = next(t for t, l in stamps if re.search(r"Found \d+ models", l))
    nodes = next(float(m.group(1)) for _, l in stamps
                 if (m := re.search(r"Finished running .* in .* and ([\d.]+) seconds", l)))
    last = stamps[-1][0]
    full = any("Starting full parse" in l or "Unable to do partial parsing" in l for _, l in stamps)
    return {"first_log_line": first, "parse_and_startup_after_log": found - first,
            "nodes": nodes, "rest": max(0.0, last - found - nodes), "full_parse": full}


def one_run(out: str, census: str, config: str, env: dict) -> dict:
    t = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(os.devnull, os.O_WRONLY)
            os.dup2(fd, 1)
            os.execve(WFSIM, [WFSIM, "run", "--census", census, "--config", config,
                              "--out", out, "--quiet"], env)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - t
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"wfsim run into {out} failed; see {out}/logs")
    summary = json.load(open(os.path.join(out, "run_summary.json")))
    stages = {s["stage"]: s["seconds"] for s in summary["stages"]}
    dbt_wall = next(v for k, v in stages.items() if k.startswith("dbt build"))
    ph = dbt_phases(os.path.join(out, "logs", "dbt.log"))
    # dbt's log starts once dbt has imported itself: the start-up is
    # the stage's wall time less what the log covers.
    covered = ph["parse_and_startup_after_log"] + ph["nodes"] + ph["rest"]
    return {"wall": wall, "events": stages.get("events", 0.0), "dbt_wall": dbt_wall,
            "startup": max(0.0, dbt_wall - covered), "parse": ph["parse_and_startup_after_log"],
            "nodes": ph["nodes"], "rest": ph["rest"], "full_parse": ph["full_parse"],
            "cpu_children": ru.ru_utime + ru.ru_stime}


def node_times(out: str) -> tuple[list, float, float]:
    rr = json.load(open(os.path.join(out, "dbt_target", "run_results.json")))
    rows = sorted(((r["unique_id"], r["execution_time"]) for r in rr["results"]),
                  key=lambda x: -x[1])
    models = sum(t for u, t in rows if u.startswith("model."))
    tests = sum(t for u, t in rows if u.startswith("test."))
    return rows, models, tests


def main() -> None:
    a = parse_args()
    work = tempfile.mkdtemp(prefix="wfsim-bench-dbt-")
    try:
        census = os.path.join(work, "census.csv")
        config = os.path.join(work, "sim.yaml")
        subprocess.run([WFSIM, "census", "--employees", str(a.employees), "--seed", "1",
                        "--out", census], check=True, stdout=subprocess.DEVNULL)
        with open(config, "w") as f:
            f.write(f"simulation:\n  start_year: 2025\n  end_year: {2024 + a.years}\n")
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000",
                   WFSIM_DBT_CACHE=os.path.join(work, "cache"))
        off = dict(env, WFSIM_DBT_CACHE="off")
        plan = [("run0", "first run (caches filled)", env)]
        for i in range(a.repeat):
            plan += [(f"off{i}", "new OUT, WFSIM_DBT_CACHE=off", off),
                     (f"on{i}", "new OUT, caches warm", env)]
        runs = []
        for name, label, run_env in plan:
            out = os.path.join(work, name)
            r = one_run(out, census, config, run_env)
            r["name"] = name
            r["label"] = label + (" (full parse)" if r["full_parse"] else " (saved parse)")
            r["nodes_run"] = len(node_times(out)[0])
            if name != "run0":
                eq = subprocess.run([PY, os.path.join(ROOT, "bench", "dbt_marts_equal.py"),
                                     os.path.join(work, "run0"), out],
                                    capture_output=True, text=True)
                if eq.returncode != 0:
                    sys.exit(f"marts of {out} differ from the first run's:\n{eq.stdout}")
                r["marts_equal_first"] = True
            runs.append(r)
        last_on = [r for r in runs if r["name"].startswith("on")] or runs
        rows, models, tests = node_times(os.path.join(work, last_on[-1]["name"]))
        # the last cached run's statements alone, persistent and temporary
        floor = dbt_sql_floor.measure(os.path.join(work, last_on[-1]["name"]), temp_too=True)
        keys = ("wall", "events", "dbt_wall", "startup", "parse", "nodes", "rest", "cpu_children")
        groups = {g: [r for r in runs if r["name"].startswith(g)] or runs for g in ("off", "on")}
        med = {g: {k: statistics.median(r[k] for r in rs) for k in keys}
               for g, rs in groups.items()}
        ratio = {k: med["off"][k] / med["on"][k] if med["on"][k] else None for k in keys}
        result = {"employees": a.employees, "years": a.years, "runs": runs,
                  "median_cache_off": med["off"], "median_cache_on": med["on"],
                  "ratio_off_over_on": ratio, "sum_model_seconds": models,
                  "sum_test_seconds": tests, "slowest_nodes": rows[:15],
                  "sql_floor": {k: v for k, v in floor.items() if k != "nodes"},
                  "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
        with open(os.path.join(ROOT, "bench", "dbt.json"), "w") as f:
            json.dump(result, f, indent=1)
        with open(os.path.join(ROOT, "bench", "DBT.md"), "w") as f:
            f.write(f"# `wfsim run` {a.employees:,} x {a.years}: where the dbt build's time goes\n\n"
                    f"Measured {result['when']} by bench/bench_dbt.py (seconds; wall times "
                    "depend on the machine's load, the children's CPU time less so).\n\n"
                    "| run | wall | events | dbt | start-up | parse | nodes (count) | rest | dbt CPU |\n"
                    "|---|---|---|---|---|---|---|---|---|\n")
            for r in runs:
                f.write(f"| {r['label']} | {r['wall']:.2f} | {r['events']:.2f} | "
                        f"{r['dbt_wall']:.2f} | {r['startup']:.2f} | {r['parse']:.2f} | "
                        f"{r['nodes']:.2f} ({r['nodes_run']}) | {r['rest']:.2f} | "
                        f"{r['cpu_children']:.2f} |\n")
            for g, label in (("off", "median, cache off"), ("on", "median, caches warm")):
                m = med[g]
                f.write(f"| **{label}** | {m['wall']:.2f} | {m['events']:.2f} | "
                        f"{m['dbt_wall']:.2f} | {m['startup']:.2f} | {m['parse']:.2f} | "
                        f"{m['nodes']:.2f} | {m['rest']:.2f} | {m['cpu_children']:.2f} |\n")
            f.write("| **off / on** | " + " | ".join(
                f"{ratio[k]:.2f}" if ratio[k] else "-" for k in keys) + " |\n")
            f.write(f"\nSums over the last run's nodes: models {models:.2f} s, data tests "
                    f"{tests:.2f} s (dbt runs two at a time).\n\n"
                    "The same nodes' statements one at a time on one DuckDB connection "
                    f"(bench/dbt_sql_floor.py): {floor['floor']:.2f} s (models "
                    f"{floor['floor_models']:.2f}, data tests {floor['floor_tests']:.2f}); the "
                    f"models as temporary tables, not written to the database: "
                    f"{floor['floor_models_temp']:.2f} s.\n\nSlowest nodes:\n\n"
                    "| node | in dbt | alone | alone, temporary table |\n|---|---|---|---|\n")
            alone = {x["node"]: x for x in floor["nodes"]}
            for u, t in rows[:15]:
                x = alone.get(u, {})
                a_s = f"{x['alone']:.3f}" if "alone" in x else "-"
                t_s = f"{x['temp']:.3f}" if "temp" in x else "-"
                f.write(f"| `{u}` | {t:.3f} | {a_s} | {t_s} |\n")
        print(f"bench_dbt: {a.employees} x {a.years}: new OUT, cache off {med['off']['wall']:.2f} s "
              f"(parse {med['off']['parse']:.2f} s), caches warm {med['on']['wall']:.2f} s "
              f"(parse {med['on']['parse']:.2f} s); bench/DBT.md")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
