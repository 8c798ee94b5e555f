"""An ensemble's replicates on a Dask cluster (`wfsim ensemble --cluster`).

The seeds are cut into batches; each batch is one Dask task that runs
`wfsim ensemble` for its seeds of every scenario on a worker (the engine and
the dbt build of the state and metrics, with every data test), into a
staging folder of its own (`STAGE/batches/.bNNNNN-<uuid>`), renamed into
place (`STAGE/batches/bNNNNN`) when complete, and returns its rows of
fct_replicate_metrics as an Arrow table. A retry (Dask reruns the task of a
worker that died) writes a fresh staging folder and replaces whatever an
earlier attempt left, so no replicate is missing or twice there. The driver
then moves every replicate's events into `STAGE/events` (the local run's
Hive layout), writes the merged metrics (ordered by replicate and year) and
runs `wfsim ensemble --from-metrics` to build the distributions,
differences, threshold probabilities and summary as a local run does, and
puts the rows of the models the report reads (REPORT_MODELS, written by
each batch) into the ensemble's database; then STAGE replaces the output
folder whole, and `wfsim report` writes the report as a local run ends.
Anything failing before the rename leaves the output folder as it was.
docs/scaling.md tells the rest.

The CLI (`wfsim ensemble ... --cluster ADDR`) execs Python to run `main` here
with its own arguments; Python callers use `wfsim.ensemble(..., client=client)`
(without a client, `wfsim.ensemble` runs the `wfsim ensemble` command here).
This module is pure Python: it needs the `wfsim` command (WFSIM_BIN, else
build/wfsim of the source tree, else `wfsim` on PATH), not the compiled
extension.
"""
import argparse
import ctypes
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import types
import uuid


#: employee-years of work per batch that the default batch size aims at:
#: large enough that a batch's fixed cost (the dbt build's start, about 5 s)
#: is small beside its work, small enough that the batches of a large
#: ensemble spread over many workers (docs/scaling.md)
BATCH_EMPLOYEE_YEARS = 20_000_000

KEYS = ["scenario_id", "plan_design_id", "random_seed", "simulation_year"]

#: the models the report reads besides the ensemble marts (python/wfsim/report):
#: each batch writes its rows to STAGE/batches/bNNNNN/report/NAME.parquet and
#: the driver puts them into the ensemble's database, so the cluster run's
#: report is the local run's. Models with a random_seed column are the
#: union over the batches; PER_EMPLOYEE ones keep the first seed's rows
#: only (the replicate the report's single-run sections show); the others
#: (the census, the years, the parameter tables) are the first batch's.
REPORT_MODELS = ["metrics_workforce_by_year", "metrics_compensation_by_year",
                 "metrics_plan_by_year", "fct_ndt_results", "metrics_headcount_by_level",
                 "metrics_summary",
                 "int_replicates", "int_simulation_years", "stg_wfsim__census",
                 "stg_wfsim__levels", "stg_wfsim__age_bands", "stg_wfsim__tenure_bands",
                 "fct_workforce_snapshot", "fct_yearly_events"]
PER_EMPLOYEE = ["fct_workforce_snapshot", "fct_yearly_events"]

#: the driver's variables a batch's wfsim gets (docs/install.md, docs/scaling.md)
FORWARDED_ENV = ["WFSIM_VENV", "WFSIM_DBT", "WFSIM_PYTHON", "WFSIM_ZSTD_LEVEL",
                 "WFSIM_DUCKDB_MEMORY_LIMIT"]

#: the share of its Dask worker's memory limit a batch's DuckDB may use
#: (the rest: dbt's Python, the engine, the worker itself)
DUCKDB_MEMORY_SHARE = 0.7

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class EnsembleError(Exception):
    """The ensemble failed; `status` is the exit status `wfsim` gives for it
    (2 bad input, 3 file I/O or an unreachable scheduler, 4 memory, 5 dbt)."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status

    def __reduce__(self):  # crosses from a worker to the driver intact
        return (type(self), (self.message, self.status))

    def __str__(self):
        return self.message


def default_batch_size(employees, years, scenarios, seeds, workers):
    """Seeds per batch: about BATCH_EMPLOYEE_YEARS of work (employees x years
    x scenarios per seed), but no more than gives every worker a batch."""
    per_seed = max(1, employees * years * scenarios)
    size = max(1, math.ceil(BATCH_EMPLOYEE_YEARS / per_seed))
    return max(1, min(size, math.ceil(seeds / max(1, workers))))


def plan_batches(first_seed, seeds, size):
    """[(index, first seed, count)] covering first_seed .. first_seed + seeds - 1."""
    return [(i, first_seed + start, min(size, seeds - start))
            for i, start in enumerate(range(0, seeds, size))]


def _die_with_parent():
    # the batch's wfsim ends with the worker that started it (a killed worker
    # leaves no process writing into a staging folder nobody will rename)
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _replace_dir(src, dst):
    """Renames src to dst, replacing a dst an earlier attempt left."""
    if os.path.isdir(dst):
        old = f"{dst}.old-{uuid.uuid4().hex}"
        os.rename(dst, old)
        os.rename(src, dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(src, dst)


def _last_lines(text, n=20):
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(lines[-n:])


def duckdb_memory_limit(worker_limit):
    """DuckDB's memory_limit for a batch on a worker whose Dask memory limit
    is worker_limit bytes (0 or None: none set, DuckDB's own default)."""
    if not worker_limit:
        return None
    return f"{max(256, int(worker_limit * DUCKDB_MEMORY_SHARE) // 2**20)}MiB"


def _worker():
    """This task's Dask worker, or None outside one."""
    try:
        from distributed import get_worker
        return get_worker()
    except (ImportError, ValueError):
        return None


def run_batch(wfsim, base_args, index, first_seed, count, stage, threads, env):
    """One batch on a worker: `wfsim ensemble` for count seeds from first_seed
    into a fresh staging folder, renamed to STAGE/batches/bNNNNN; returns the
    batch's fct_replicate_metrics rows (a pyarrow Table)."""
    import duckdb
    import pyarrow.parquet as pq

    live = os.path.join(stage, "batches", ".live")
    if not os.path.exists(live):  # the driver has given up: do nothing
        return None
    attempt = os.path.join(stage, "batches", f".b{index:05d}-{uuid.uuid4().hex}")
    final = os.path.join(stage, "batches", f"b{index:05d}")
    args = [wfsim, "ensemble", *base_args, "--seed", str(first_seed), "--seeds", str(count),
            "--out", attempt, "--quiet"]
    if threads:
        args += ["--threads", str(threads)]
    env = dict(env)
    worker = _worker()
    # DuckDB sizes its memory by the machine, not by the worker: several
    # workers on one machine would each plan for most of it (and be killed
    # for it). A limit the driver was given wins.
    limit = duckdb_memory_limit(getattr(getattr(worker, "memory_manager", None),
                                        "memory_limit", None))
    if limit and not env.get("WFSIM_DUCKDB_MEMORY_LIMIT"):
        env["WFSIM_DUCKDB_MEMORY_LIMIT"] = limit
    proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          env={**os.environ, **env}, preexec_fn=_die_with_parent)
    if not os.path.exists(live):
        # the driver gave up (another batch failed) and removed the stage while
        # this one ran: remove what this batch wrote after that
        shutil.rmtree(stage, ignore_errors=True)
        return None
    if proc.returncode != 0:
        shutil.rmtree(attempt, ignore_errors=True)
        # a builtin exception: the scheduler and the driver unpickle it
        # without this module; args are (message, exit status)
        raise RuntimeError(f"batch {index} (seeds {first_seed}..{first_seed + count - 1}) "
                           f"failed on {os.uname().nodename}:\n"
                           + _last_lines(proc.stderr + proc.stdout), proc.returncode)
    db = os.path.join(attempt, "wfsim.duckdb")
    con = duckdb.connect(db, read_only=True)
    try:
        table = con.sql("select * from main.fct_replicate_metrics order by "
                        + ", ".join(KEYS)).to_arrow_table()
        _export_report_models(con, os.path.join(attempt, "report"), index, first_seed)
    finally:
        con.close()
    pq.write_table(table, os.path.join(attempt, "replicate_metrics.parquet"))
    where = str(worker.name) if worker is not None else os.uname().nodename
    with open(os.path.join(attempt, "worker.txt"), "w") as f:
        f.write(where + "\n")
    with open(os.path.join(attempt, "duckdb_memory_limit.txt"), "w") as f:
        f.write((env.get("WFSIM_DUCKDB_MEMORY_LIMIT") or "default") + "\n")
    # the batch's database (its state models) is not needed any more: the
    # driver's marts come from the metrics; its logs and dbt results stay
    os.remove(db)
    _replace_dir(attempt, final)
    return table


def _export_report_models(con, folder, index, first_seed):
    """The rows of REPORT_MODELS this batch contributes, as Parquet files."""
    os.makedirs(folder, exist_ok=True)
    for name in REPORT_MODELS:
        cols = [r[0] for r in con.execute(f"describe main.{name}").fetchall()]
        if "random_seed" not in cols and index != 0:
            continue
        where = f" where random_seed = {int(first_seed)}" if name in PER_EMPLOYEE else ""
        if where and index != 0:
            continue
        path = os.path.join(folder, f"{name}.parquet").replace("'", "''")
        con.execute(f"copy (select * from main.{name}{where} order by all) to '{path}' "
                    "(format parquet)")


def _import_report_models(stage, batches):
    """REPORT_MODELS into STAGE/wfsim.duckdb from the batches' files, in the
    order of their key columns."""
    import duckdb

    con = duckdb.connect(os.path.join(stage, "wfsim.duckdb"))
    try:
        for name in REPORT_MODELS:
            files = [os.path.join(stage, "batches", f"b{i:05d}", "report", f"{name}.parquet")
                     for i, _, _ in batches]
            files = [f.replace("'", "''") for f in files if os.path.exists(f)]
            listed = ", ".join(f"'{f}'" for f in files)
            con.execute(f"create or replace table main.{name} as select * from "
                        f"read_parquet([{listed}], union_by_name = true) order by all")
    finally:
        con.close()


def _events_view(out):
    """stg_wfsim__events, the view of every event file the report counts
    events by type from, over OUT/events where the events now are (the
    staging folder's paths died with its rename)."""
    import duckdb

    glob = os.path.join(out, "events", "scenario_id=*", "plan_design_id=*", "random_seed=*",
                        "simulation_year=*", "*.parquet").replace("'", "''")
    con = duckdb.connect(os.path.join(out, "wfsim.duckdb"))
    try:
        con.execute("create or replace view main.stg_wfsim__events as select * from "
                    f"read_parquet('{glob}', hive_partitioning = true, hive_types = "
                    "{'simulation_year': INTEGER, 'random_seed': BIGINT}, "
                    "hive_types_autocast = false)")
    finally:
        con.close()


def _by_value(fn):
    """A copy of fn that plain pickle cannot find by name, so Dask sends it
    with cloudpickle, by value (this module is registered for that): the
    scheduler and workers need not have this module."""
    copy = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                              fn.__closure__)
    copy.__qualname__ = fn.__qualname__ + "_by_value"
    copy.__doc__ = fn.__doc__
    return copy


def _check(wfsim, base_args, seed, seeds):
    args = [wfsim, "ensemble", *base_args, "--seeds", str(seeds), "--check"]
    if seed is not None:
        args += ["--seed", str(seed)]
    proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if proc.returncode != 0:
        raise EnsembleError(proc.stderr.strip() or proc.stdout.strip(), proc.returncode)
    info = dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)
    return {k: int(v) for k, v in info.items()}


def _count_rows(census):
    with open(census, "rb") as f:
        return max(0, sum(1 for line in f if line.strip()) - 1)


def _merge_events(stage, batches, first_seed, seeds, seconds):
    """Moves every replicate's folder of every batch into STAGE/events and
    writes its ensemble_summary.json (the first batch's, for all the seeds)."""
    events = os.path.join(stage, "events")
    os.makedirs(events, exist_ok=True)
    first = os.path.join(stage, "batches", f"b{batches[0][0]:05d}", "events",
                         "ensemble_summary.json")
    with open(first) as f:
        summary = json.load(f)
    summary.update(first_seed=first_seed, n_seeds=seeds,
                   replicates=len(summary.get("scenarios", [])) * seeds,
                   wall_time_s=seconds, batches=len(batches))
    with open(os.path.join(events, "ensemble_summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    # the accepted census (and the rejected rows in skip mode), as every
    # batch wrote it: the first batch's, where a local run has it
    census = os.path.join(stage, "batches", f"b{batches[0][0]:05d}", "census")
    if os.path.isdir(census):
        os.rename(census, os.path.join(stage, "census"))
    for index, _, _ in batches:
        src = os.path.join(stage, "batches", f"b{index:05d}", "events")
        for scenario in sorted(os.listdir(src)):
            if "=" not in scenario:
                continue
            for plan in sorted(os.listdir(os.path.join(src, scenario))):
                for seed in sorted(os.listdir(os.path.join(src, scenario, plan))):
                    dst = os.path.join(events, scenario, plan)
                    os.makedirs(dst, exist_ok=True)
                    os.rename(os.path.join(src, scenario, plan, seed), os.path.join(dst, seed))


def _publish(stage, out):
    """STAGE replaces OUT whole (OUT is never half-written)."""
    if os.path.lexists(out):
        old = os.path.join(os.path.dirname(out), f".{os.path.basename(out)}.old-{uuid.uuid4().hex}")
        os.rename(out, old)
        os.rename(stage, out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(stage, out)


def find_wfsim(wfsim=None):
    """The `wfsim` command: wfsim, else $WFSIM_BIN, else build/wfsim of the
    source tree, else `wfsim` on PATH."""
    for candidate in (wfsim, os.environ.get("WFSIM_BIN"), os.path.join(ROOT, "build", "wfsim")):
        if candidate and os.access(candidate, os.X_OK):
            return os.path.abspath(candidate)
    found = shutil.which("wfsim")
    if not found:
        raise EnsembleError("cannot find the wfsim command (set WFSIM_BIN)", 3)
    return found


def ensemble(census, scenarios, *, seeds=1, seed=None, start=None, end=None, out="ens",
             client=None, batch_size=None, threads=None, quiet=True, wfsim=None,
             skip_invalid_rows=False, report=True):
    """Runs every scenario with the same seeds and builds the ensemble's
    marts into `out` (docs/dbt.md): with `client` (a dask.distributed
    Client), its replicates run as batches of seeds on that cluster;
    without, the `wfsim ensemble` command runs them here. Either way the
    marts are the same (docs/scaling.md).

    census: the census CSV; scenarios: YAML configuration files, the first
    the baseline; seeds: seeds per scenario, from `seed` (default: the
    baseline's random_seed); start, end: override every scenario's years;
    batch_size: seeds per Dask task (default from the workforce size);
    threads: replicates at once per batch (or locally); skip_invalid_rows:
    --skip-invalid-rows; report: write report.html and report.xlsx (as a
    local run does). With a client, census, scenarios and out must be paths
    every worker sees.

    Returns a dict: out, first_seed, seeds, batch_size, batches (batch_size
    and batches are None for a local run). Raises EnsembleError (status =
    the command's exit status: 2 bad input, 3 files or an unreachable
    scheduler, 5 dbt, 64 an object-storage URL); then `out` is as it was."""
    if isinstance(scenarios, (str, os.PathLike)):
        scenarios = [scenarios]
    for what, path in (("out", out), ("census", census), *(("scenario", x) for x in scenarios)):
        if "://" in str(path):
            raise EnsembleError(f"{what} {path}: object storage URLs are not supported; give a "
                                "path on a file system every worker sees (docs/scaling.md)", 64)
    wfsim = find_wfsim(wfsim)
    census = os.path.abspath(census)
    base_args = ["--census", census]
    for s in scenarios:
        base_args += ["--scenario", os.path.abspath(s)]
    if start is not None:
        base_args += ["--start", str(start)]
    if end is not None:
        base_args += ["--end", str(end)]
    if skip_invalid_rows:
        base_args.append("--skip-invalid-rows")
    if client is None:
        return _ensemble_here(wfsim, base_args, seeds, seed, out, threads, quiet, report)
    return _ensemble_on(client, wfsim, base_args, census, seeds, seed, out, batch_size,
                        threads, quiet, report)


def _ensemble_here(wfsim, base_args, seeds, seed, out, threads, quiet, report):
    info = _check(wfsim, base_args, seed, seeds)
    args = [wfsim, "ensemble", *base_args, "--seeds", str(seeds), "--seed",
            str(info["first_seed"]), "--out", str(out)]
    if threads:
        args += ["--threads", str(threads)]
    if quiet:
        args.append("--quiet")
    if not report:
        args.append("--no-report")
    proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=quiet, text=True)
    if proc.returncode != 0:
        raise EnsembleError(_last_lines(proc.stderr) if quiet else "wfsim ensemble failed",
                            proc.returncode)
    return {"out": os.path.abspath(out), "first_seed": info["first_seed"], "seeds": seeds,
            "batch_size": None, "batches": None}


def _ensemble_on(client, wfsim, base_args, census, seeds, seed, out, batch_size, threads,
                 quiet, report):
    import cloudpickle
    import pyarrow as pa
    import pyarrow.parquet as pq
    from distributed import wait

    info = _check(wfsim, base_args, seed, seeds)
    first = info["first_seed"]
    years = info["end_year"] - info["start_year"] + 1
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    size = batch_size or default_batch_size(_count_rows(census), years, info["scenarios"],
                                            seeds, workers)
    batches = plan_batches(first, seeds, size)

    out = os.path.abspath(out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    stage = os.path.join(os.path.dirname(out),
                         f".{os.path.basename(out)}.wfsim-stage-{uuid.uuid4().hex}")
    os.makedirs(os.path.join(stage, "batches"))
    # batches run only while this file is there (removed on failure)
    open(os.path.join(stage, "batches", ".live"), "w").close()
    # one created_at for every event of the ensemble, as in a local run
    env = {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH") or str(int(time.time()))}
    # where the driver's wfsim finds its Python environment (dbt, DuckDB),
    # the batches' wfsim finds it too (the same paths on the shared file
    # system), whatever environment the workers were started with
    env.update({k: os.environ[k] for k in FORWARDED_ENV if os.environ.get(k)})
    # the workers need not have this module installed
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    token = uuid.uuid4().hex[:12]
    task = _by_value(run_batch)
    futures = [client.submit(task, wfsim, base_args, i, s, n, stage, threads, env,
                             key=f"wfsim-batch-{token}-{i:05d}", pure=False, retries=0)
               for i, s, n in batches]
    try:
        t0 = time.monotonic()
        pending = futures
        while pending:
            done, pending = wait(pending, return_when="FIRST_COMPLETED")
            for f in done:
                if f.status == "error":
                    err = f.exception()
                    client.cancel(futures)
                    if len(err.args) == 2 and isinstance(err.args[1], int):
                        raise EnsembleError(str(err.args[0]), err.args[1])
                    raise EnsembleError(f"{type(err).__name__}: {err}", 5)
            pending = list(pending)
            if not quiet:
                print(f"wfsim ensemble: {len(futures) - len(pending)}/{len(futures)} batches "
                      f"done ({time.monotonic() - t0:.1f} s)", file=sys.stderr)
        tables = client.gather(futures)
        metrics = pa.concat_tables(tables).sort_by([(k, "ascending") for k in KEYS])
        pq.write_table(metrics, os.path.join(stage, "replicate_metrics.parquet"))
        _merge_events(stage, batches, first, seeds, time.monotonic() - t0)
        # what killed attempts left (and the marker): not part of the output
        for name in os.listdir(os.path.join(stage, "batches")):
            if name.startswith("."):
                path = os.path.join(stage, "batches", name)
                if os.path.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.remove(path)
        # the report is written once the folder is in place (below)
        args = [wfsim, "ensemble", *base_args, "--seed", str(first), "--seeds", str(seeds),
                "--from-metrics", os.path.join(stage, "replicate_metrics.parquet"),
                "--out", stage, "--no-report"]
        if quiet:
            args.append("--quiet")
        proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=quiet, text=True)
        if proc.returncode != 0:
            raise EnsembleError("building the ensemble marts failed"
                                + (":\n" + _last_lines(proc.stderr) if quiet else ""),
                                proc.returncode)
        _import_report_models(stage, batches)
        _publish(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    _events_view(out)
    if report:
        # `wfsim report`, as a local run ends; like there, a failing report
        # leaves the published events and marts in place
        args = [wfsim, "report"] + (["--quiet"] if quiet else []) + [out]
        proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=quiet, text=True)
        if proc.returncode != 0:
            raise EnsembleError(f"the events and the database in {out} are complete; only "
                                f"the report failed (`wfsim report {out}` retries it)"
                                + (":\n" + _last_lines(proc.stderr) if quiet else ""),
                                proc.returncode)
    return {"out": out, "first_seed": first, "seeds": seeds, "batch_size": size,
            "batches": len(batches)}


def connect(address, timeout):
    """A Client of the scheduler at address, or EnsembleError (status 3)
    naming it when it cannot be reached within timeout seconds."""
    from distributed import Client
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError) as e:
        raise EnsembleError(f"cannot reach the Dask scheduler at {address} within "
                            f"{timeout:g} s ({type(e).__name__}: {e})", 3) from None


def main(argv=None):
    p = argparse.ArgumentParser(prog="wfsim ensemble", add_help=False)
    p.add_argument("--census", required=True)
    p.add_argument("--scenario", action="append", required=True)
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--seed")
    p.add_argument("--start")
    p.add_argument("--end")
    p.add_argument("--threads", type=int)
    p.add_argument("--out", default="ens")
    p.add_argument("--cluster", required=True)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--skip-invalid-rows", action="store_true")
    p.add_argument("--no-report", action="store_true")
    p.add_argument("--quiet", "-q", action="store_true")
    p.add_argument("--verbose", "-v", action="store_true")
    a = p.parse_args(argv)
    timeout = float(os.environ.get("WFSIM_CLUSTER_TIMEOUT") or 30)
    client = None
    try:
        client = connect(a.cluster, timeout)
        r = ensemble(a.census, a.scenario, client=client, seeds=a.seeds, seed=a.seed,
                     start=a.start, end=a.end, out=a.out, batch_size=a.batch_size,
                     threads=a.threads, quiet=a.quiet,
                     skip_invalid_rows=a.skip_invalid_rows, report=not a.no_report)
        if not a.quiet:
            print(f"wfsim ensemble: {r['seeds']} seed(s) in {r['batches']} batch(es) of up to "
                  f"{r['batch_size']} on {a.cluster}; output in {r['out']}", file=sys.stderr)
        return 0
    except EnsembleError as e:
        print(f"wfsim ensemble: {e}", file=sys.stderr)
        return e.status
    finally:
        if client is not None:
            client.close()


if __name__ == "__main__":
    sys.exit(main())
