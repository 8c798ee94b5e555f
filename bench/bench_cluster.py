"""`make bench`: an ensemble in one process against the same ensemble on two
Dask workers of this machine (issue 17), into bench/cluster_results.json.

Default: 1,000,000 employees x 5 years x 4 seeds, one scenario; one
`wfsim ensemble --threads 2` against a scheduler and two one-thread worker
processes on 127.0.0.1 (`--cluster`, batches of one seed, so the per-batch
cost is one replicate's). Prints both wall times, their ratio, and the
per-batch cost (engine and dbt build, from each batch's run_summary.json),
from which docs/scaling.md projects larger clusters. --quick: 2,000 x 2 x 2
(a smoke run). Not a test: the figures depend on what else runs."""
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
        result = {"employees": employees, "years": years, "seeds": seeds,
                  "one_process_seconds": round(local, 2),
                  "two_workers_seconds": round(dist, 2),
                  "ratio_two_workers_over_one_process": round(dist / local, 3),
                  "batches": batches,
                  "load_average": os.getloadavg()[0]}
        print(json.dumps(result, indent=2))
        out = os.path.join(ROOT, "bench", "cluster_results.json")
        with open(out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
