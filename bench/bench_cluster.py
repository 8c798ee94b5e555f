"""`make bench`: an ensemble in one process against the same ensemble on two
Dask workers of this machine (issue 17), into bench/cluster_results.json.

Default: 1,000,000 employees x 5 years x 4 seeds, one scenario; one
`wfsim ensemble --threads 2` against a scheduler and two one-thread worker
processes on 127.0.0.1 (`--cluster`, batches of one seed, so the per-batch
cost is one replicate's). Prints both wall times, their ratio, and the
per-batch cost (engine and dbt build, from each batch's run_summary.json),
and from it the projection docs/scaling.md quotes: 1,000 seeds x 1,000,000 x
10 on 1, 10 and 100 workers (projection() says how). Writes the figures to
bench/cluster_results.json (--out) and the section "Dask cluster" of
bench/RESULTS.md (bench/results_md.py). --quick: 2,000 x 2 x 2 (a smoke
run). Not a test: the figures depend on what else runs."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("WFSIM_BUILD") or os.environ.get("BUILD") or "build"
WFSIM = os.path.join(ROOT, BUILD, "wfsim")
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from results_md import put_section, seconds  # noqa: E402
from wfsim.cluster import default_batch_size  # noqa: E402

#: the ensemble docs/scaling.md asks about
TARGET = {"seeds": 1000, "employees": 1_000_000, "years": 10}


def run(args, env=None):
    t = time.monotonic()
    subprocess.run(args, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    return time.monotonic() - t


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--employees", type=int)
    p.add_argument("--years", type=int)
    p.add_argument("--seeds", type=int)
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "cluster_results.json"))
    a = p.parse_args()
    employees = a.employees or (2_000 if a.quick else 1_000_000)
    years = a.years or (2 if a.quick else 5)
    seeds = a.seeds or (2 if a.quick else 4)
    from distributed import Client, LocalCluster

    work = tempfile.mkdtemp(prefix="wfsim-bench-cluster-")
    try:
        census = os.path.join(work, "census.csv")
        run([WFSIM, "census", "--employees", str(employees), "--seed", "4", "--out", census])
        scenario = os.path.join(work, "base.yaml")
        with open(scenario, "w") as f:
            f.write(f"simulation:\n  scenario_id: base\n  start_year: 2025\n"
                    f"  end_year: {2024 + years}\n")
        base = [WFSIM, "ensemble", "--census", census, "--scenario", scenario,
                "--seeds", str(seeds), "--quiet"]
        local = run(base + ["--threads", "2", "--out", os.path.join(work, "local")])
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            dist = run(base + ["--threads", "1", "--batch-size", "1", "--cluster",
                               cluster.scheduler_address, "--out", os.path.join(work, "dist")])
        batches = []
        bdir = os.path.join(work, "dist", "batches")
        for b in sorted(os.listdir(bdir)):
            with open(os.path.join(bdir, b, "run_summary.json")) as f:
                s = json.load(f)
            batches.append({"batch": b, "total_seconds": s["total_seconds"],
                            **{st["stage"]: st["seconds"] for st in s["stages"]}})
        with open(os.path.join(work, "dist", "run_summary.json")) as f:
            driver = json.load(f)["total_seconds"]  # the marts from the batches' metrics
        result = {"employees": employees, "years": years, "seeds": seeds,
                  "one_process_seconds": round(local, 2),
                  "two_workers_seconds": round(dist, 2),
                  "ratio_two_workers_over_one_process": round(dist / local, 3),
                  "batches": batches,
                  "driver_marts_seconds": driver,
                  "load_average": os.getloadavg()[0],
                  "written": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        result["projection"] = projection(result)
        print(json.dumps(result, indent=2))
        with open(a.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        print("section written to", put_section("cluster", markdown(result)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def projection(r):
    """1,000 seeds x 1,000,000 x 10 from the measured batches: a replicate
    costs the median batch (one seed, engine + dbt build) scaled by
    employee-years (linear: the fixed start of a batch's dbt is counted as
    if it grew too, so a small measurement overstates); a batch holds the
    default batch size's seeds (wfsim.cluster.default_batch_size); a worker
    runs its batches one after another, as the measured one-thread workers
    did; the driver's marts add their measured time once."""
    per_batch = sorted(b["total_seconds"] for b in r["batches"])[len(r["batches"]) // 2]
    replicate = per_batch * (TARGET["employees"] * TARGET["years"]) / (r["employees"]
                                                                       * r["years"])
    rows = []
    for workers in (1, 10, 100):
        size = default_batch_size(TARGET["employees"], TARGET["years"], 1, TARGET["seeds"],
                                  workers)
        batches = -(-TARGET["seeds"] // size)
        rounds = -(-batches // workers)
        rows.append({"workers": workers, "batch_size": size, "batches": batches,
                     "batches_per_worker": rounds,
                     "hours": round((rounds * size * replicate + r["driver_marts_seconds"])
                                    / 3600, 2)})
    return {"measured_batch_seconds": per_batch, "replicate_seconds_at_target": replicate,
            "rows": rows}


def markdown(r):
    """The section of bench/RESULTS.md."""
    pr = r["projection"]
    lines = ["## Dask cluster (bench/bench_cluster.py, issue 17)", "",
             f"{r['employees']:,} employees x {r['years']} years x {r['seeds']} seeds, one "
             f"scenario; written {r['written']}, load average {r['load_average']:.2f}.", "",
             "| run | wall s |", "|---|---|",
             f"| one process (`wfsim ensemble --threads 2`) | {seconds(r['one_process_seconds'])} |",
             f"| two one-thread Dask workers, batches of one seed (`--cluster`) | "
             f"{seconds(r['two_workers_seconds'])} |",
             f"| ratio two workers / one process | {r['ratio_two_workers_over_one_process']:.2f} |",
             "", "| batch | total s | engine s | dbt build s |", "|---|---|---|---|"]
    for b in r["batches"]:
        lines.append(f"| {b['batch']} | {seconds(b['total_seconds'])} | "
                     f"{seconds(b.get('events', 0))} | {seconds(b.get('dbt build', 0))} |")
    lines += ["", f"Driver (the marts from the batches' metrics): "
              f"{seconds(r['driver_marts_seconds'])} s.", "",
              f"Projection for {TARGET['seeds']:,} seeds x {TARGET['employees']:,} x "
              f"{TARGET['years']} (docs/scaling.md; bench_cluster.projection): a replicate "
              f"{seconds(pr['replicate_seconds_at_target'])} s, from the median batch "
              f"{seconds(pr['measured_batch_seconds'])} s scaled by employee-years.", "",
              "| workers | seeds per batch | batches | batches per worker | hours |",
              "|---|---|---|---|---|"]
    for row in pr["rows"]:
        lines.append(f"| {row['workers']} | {row['batch_size']} | {row['batches']} | "
                     f"{row['batches_per_worker']} | {row['hours']:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
