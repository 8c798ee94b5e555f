"""`wfsim ensemble --cluster` and `wfsim.ensemble(client=...)`: replicates as
Dask tasks (issue 17).

Everything runs on 127.0.0.1: a `dask scheduler` process and `dask worker`
processes (no nanny, one thread each). One small ensemble (2 scenarios x
3 seeds x 1,500 employees x 2 years) is run locally once; the distributed
runs must equal it mart for mart (the per-replicate metrics, threshold
probabilities and summary exactly, the distributions up to the last bits
of a floating sum) and event file for event file, however they were
batched. A worker killed while its batch's wfsim runs must not change
that; an unreachable scheduler fails within the bound, naming its address;
a bad census fails the whole ensemble and publishes nothing."""
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import duckdb
import psutil
import pytest

from engine_util import run_wfsim, tree_bytes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DASK = os.path.join(ROOT, ".venv", "bin", "dask")

# wfsim.cluster of this tree, loaded by path: the package installed in the
# environment may be another build's (test_package_exports_ensemble checks
# the tree's package exports it as wfsim.ensemble)
_spec = importlib.util.spec_from_file_location(
    "wfsim_tree_cluster", os.path.join(ROOT, "python", "wfsim", "cluster.py"))
wfsim_pkg = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = wfsim_pkg
_spec.loader.exec_module(wfsim_pkg)

YEARS = "  start_year: 2025\n  end_year: 2026\n"
SCENARIOS = {
    "base": "simulation:\n  scenario_id: base\n" + YEARS,
    "auto8": ("simulation:\n  scenario_id: auto8\n" + YEARS
              + "auto_enrollment:\n  default_deferral_rate: 0.08\n"
              + "thresholds:\n  employer_cost: 700000\n"),
}
SEEDS = 3
EXACT = ["fct_replicate_metrics", "fct_threshold_probabilities", "ensemble_summary"]
ROUNDED = ["fct_metric_distributions", "fct_scenario_differences"]
EPOCH = {"SOURCE_DATE_EPOCH": "1750000000"}
#: each test worker's Dask memory limit (bytes)
WORKER_MEMORY = 3 * 2**30


@pytest.fixture(scope="module")
def inputs(wfsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("cluster_inputs")
    run_wfsim(wfsim, "census", "--employees", 1500, "--seed", 4, "--out", d / "census.csv")
    for name, text in SCENARIOS.items():
        (d / f"{name}.yaml").write_text(text)
    return d


def scenario_args(inputs):
    return ["--census", inputs / "census.csv",
            "--scenario", inputs / "base.yaml", "--scenario", inputs / "auto8.yaml"]


@pytest.fixture(scope="module")
def local(wfsim, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("cluster_local") / "ens"
    run_wfsim(wfsim, "ensemble", *scenario_args(inputs), "--seeds", SEEDS, "--threads", 1,
              "--out", out, "--quiet", env=EPOCH)
    return out


class Cluster:
    """A scheduler and worker processes on 127.0.0.1; stop() ends them."""

    def __init__(self, folder, workers):
        self.folder = folder
        self.file = str(folder / "scheduler.json")
        self.procs = []
        self.scheduler = self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--no-dashboard", "--scheduler-file", self.file], "scheduler")
        deadline = time.monotonic() + 120
        while not os.path.exists(self.file):
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        import json
        while True:
            try:
                self.address = json.load(open(self.file))["address"]
                break
            except (ValueError, KeyError):
                time.sleep(0.2)
        assert self.address.startswith("tcp://127.0.0.1:")
        self.workers = [self._start([DASK, "worker", "--scheduler-file", self.file,
                                     "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                                     "--memory-limit", str(WORKER_MEMORY),
                                     "--no-dashboard", "--name", f"w{i}"], f"worker{i}")
                        for i in range(workers)]
        from distributed import Client
        with Client(self.address, timeout=120) as c:
            c.wait_for_workers(workers, timeout=180)

    def _start(self, argv, name):
        log = open(self.folder / f"{name}.log", "w")
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                             env={**os.environ, **EPOCH})
        self.procs.append(p)
        return p

    def stop(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path, workers=2)
    yield c
    c.stop()


def rows(out, table):
    con = duckdb.connect(str(out / "wfsim.duckdb"), read_only=True)
    try:
        return con.execute(f"select * from main.{table} order by all").fetchall()
    finally:
        con.close()


def assert_equal_to_local(out, local):
    for table in EXACT:
        mine, theirs = rows(out, table), rows(local, table)
        assert mine and mine == theirs, table
    for table in ROUNDED:
        mine, theirs = rows(out, table), rows(local, table)
        assert len(mine) == len(theirs) > 0, table
        for a, b in zip(mine, theirs):
            for x, y in zip(a, b):
                if isinstance(x, float):
                    assert x == pytest.approx(y, rel=1e-12, abs=1e-15), (table, a, b)
                else:
                    assert x == y, (table, a, b)
    assert len(rows(out, "fct_replicate_metrics")) == len(SCENARIOS) * SEEDS * 2
    mine = {k: v for k, v in tree_bytes(out / "events").items() if k.endswith(".parquet")}
    theirs = {k: v for k, v in tree_bytes(local / "events").items() if k.endswith(".parquet")}
    assert len(mine) == len(SCENARIOS) * SEEDS * 2
    assert mine == theirs
    # nothing of the staging is left beside the output
    assert [p.name for p in out.parent.iterdir() if "wfsim-stage" in p.name] == []


#: Metadata rows that name the run rather than its figures
RUN_ITEMS = {"database built", "report made", "run folder"}


def report_figures(out):
    """Every sheet of report.xlsx as rows (Metadata without RUN_ITEMS)."""
    import openpyxl
    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    try:
        return {ws.title: [r for r in ws.iter_rows(values_only=True)
                           if ws.title != "Metadata" or r[0] not in RUN_ITEMS]
                for ws in book.worksheets}
    finally:
        book.close()


def assert_same_report(out, local):
    """The cluster run's report has the local run's figures (the floating
    sums of the distributions up to their last bits)."""
    assert (out / "report.html").stat().st_size > 10_000
    mine, theirs = report_figures(out), report_figures(local)
    assert list(mine) == list(theirs) and "Distributions" in mine
    for sheet in theirs:
        assert len(mine[sheet]) == len(theirs[sheet]) > 1, sheet
        for a, b in zip(mine[sheet], theirs[sheet]):
            assert len(a) == len(b), (sheet, a, b)
            for x, y in zip(a, b):
                if isinstance(x, float) and isinstance(y, float):
                    assert x == pytest.approx(y, rel=1e-12, abs=1e-12), (sheet, a, b)
                else:
                    assert x == y, (sheet, a, b)


def test_two_workers_equal_the_local_run(wfsim, inputs, local, cluster, tmp_path):
    out = tmp_path / "dist"
    proc = run_wfsim(wfsim, "ensemble", *scenario_args(inputs), "--seeds", SEEDS,
                     "--threads", 1, "--cluster", cluster.address, "--batch-size", 1,
                     "--out", out, env=EPOCH)
    assert "3 batch(es) of up to 1" in proc.stderr
    assert_equal_to_local(out, local)
    assert sorted(p.name for p in (out / "batches").iterdir()) == ["b00000", "b00001", "b00002"]
    # both workers took part
    names = set()
    for b in (out / "batches").iterdir():
        names |= {line for line in (b / "worker.txt").read_text().splitlines()}
    assert len(names) == 2
    # each batch's DuckDB was capped by its worker's memory limit
    for b in (out / "batches").iterdir():
        assert (b / "duckdb_memory_limit.txt").read_text() == "2150MiB\n"
    assert wfsim_pkg.duckdb_memory_limit(WORKER_MEMORY) == "2150MiB"
    # the summary was printed as by a local run
    assert "auto8" in proc.stdout and "employer_cost" in proc.stdout
    # and the report written, with the local run's figures
    assert_same_report(out, local)


def test_worker_killed_during_a_batch(wfsim, inputs, local, cluster, tmp_path, monkeypatch):
    from distributed import Client
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    out = tmp_path / "dist"
    result, error = {}, []

    def run():
        try:
            with Client(cluster.address, timeout=60) as client:
                result.update(wfsim_pkg.ensemble(inputs / "census.csv",
                                             [inputs / "base.yaml", inputs / "auto8.yaml"],
                                             seeds=SEEDS, out=out, client=client, batch_size=2,
                                             threads=1, wfsim=wfsim_bin(wfsim)))
        except BaseException as e:  # reported below
            error.append(e)

    t = threading.Thread(target=run)
    t.start()
    victim = None
    deadline = time.monotonic() + 300
    while victim is None and time.monotonic() < deadline and t.is_alive():
        for w in cluster.workers:
            try:
                kids = psutil.Process(w.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            if any(k.name() == "wfsim" for k in kids):
                victim = w
                break
        time.sleep(0.05)
    assert victim is not None, f"no batch was seen running on a worker: {error}"
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    t.join(timeout=600)
    assert not t.is_alive()
    assert not error, error
    assert result["batches"] == 2
    assert_equal_to_local(out, local)
    assert sorted(p.name for p in (out / "batches").iterdir()) == ["b00000", "b00001"]


def wfsim_bin(path):
    return str(path)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_fails_within_the_bound(wfsim, inputs, tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    out = tmp_path / "dist"
    t0 = time.monotonic()
    proc = run_wfsim(wfsim, "ensemble", *scenario_args(inputs), "--seeds", 2,
                     "--cluster", address, "--out", out, check=False,
                     env={"WFSIM_CLUSTER_TIMEOUT": "3"})
    elapsed = time.monotonic() - t0
    assert proc.returncode == 3, proc.stderr
    assert f"cannot reach the Dask scheduler at {address} within 3 s" in proc.stderr
    # the bound plus Python's start on a loaded machine
    assert elapsed < 3 + 60
    assert not out.exists()


def test_python_client_dict_scenarios_and_skipped_rows(wfsim, inputs, cluster, tmp_path,
                                                       monkeypatch):
    """wfsim.ensemble(client=...) of the package: a scenario given as a dict,
    census rows skipped; the marts and the rejected rows are the local
    command's."""
    import wfsim as package
    from distributed import Client
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    census = tmp_path / "bad.csv"
    lines = (inputs / "census.csv").read_text().splitlines()
    cells = lines[3].split(",")
    cells[4] = "nine"
    lines[3] = ",".join(cells)
    census.write_text("\n".join(lines) + "\n")
    ref = tmp_path / "local"
    run_wfsim(wfsim, "ensemble", "--census", census, "--scenario", inputs / "base.yaml",
              "--scenario", inputs / "auto8.yaml", "--seeds", 2, "--threads", 1,
              "--skip-invalid-rows", "--no-report", "--out", ref, "--quiet", env=EPOCH)
    auto8 = {"simulation": {"scenario_id": "auto8", "start_year": 2025, "end_year": 2026},
             "auto_enrollment": {"default_deferral_rate": 0.08},
             "thresholds": {"employer_cost": 700000}}
    with Client(cluster.address, timeout=60) as client:
        e = package.ensemble(census, [inputs / "base.yaml", auto8], seeds=2, client=client,
                             batch_size=1, threads=1, skip_invalid_rows=True, report=False,
                             out=tmp_path / "dist", wfsim=wfsim_bin(wfsim))
    assert isinstance(e, package.Ensemble) and e.batches == 2
    for table in EXACT:
        assert rows(e.out, table) == rows(ref, table) != [], table
    assert [r["line"] for r in e.rejected_rows.to_pylist()] == [4]
    assert (e.out / "census/rejected_rows.csv").read_bytes() == \
        (ref / "census/rejected_rows.csv").read_bytes()
    assert not (e.out / "report.html").exists()
    # the dict's file was written beside the output and removed
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_bad_census_fails_the_whole_ensemble(wfsim, inputs, cluster, tmp_path):
    census = tmp_path / "census.csv"
    lines = (inputs / "census.csv").read_text().splitlines()
    header = lines[0].split(",")
    row = lines[5].split(",")
    row[header.index("hire_date")] = "2024-13-45"
    lines[5] = ",".join(row)
    census.write_text("\n".join(lines) + "\n")
    out = tmp_path / "dist"
    out.mkdir()
    (out / "keep.txt").write_text("an earlier run's")
    proc = run_wfsim(wfsim, "ensemble", "--census", census, "--scenario", inputs / "base.yaml",
                     "--seeds", 2, "--cluster", cluster.address, "--out", out, check=False)
    assert proc.returncode == 2, proc.stderr
    assert f"{census}:6:" in proc.stderr and "hire_date" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir() if "wfsim-stage" in p.name] == []


def test_failing_batch_fails_the_whole_ensemble(wfsim, inputs, tmp_path):
    """A batch whose wfsim fails on the worker (here: its dbt cannot run)
    fails the ensemble with that batch's message; nothing is published."""
    from distributed import Client, LocalCluster
    out = tmp_path / "dist"
    old = os.environ.get("WFSIM_DBT")
    os.environ["WFSIM_DBT"] = "/nonexistent/dbt"   # the in-process workers inherit it
    try:
        # in-process (no network at all), so the worker sees os.environ
        with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                          dashboard_address=None) as lc, Client(lc) as client:
            with pytest.raises(wfsim_pkg.EnsembleError) as info:
                wfsim_pkg.ensemble(inputs / "census.csv", [inputs / "base.yaml"], seeds=2,
                               out=out, client=client, batch_size=1, threads=1,
                               wfsim=wfsim_bin(wfsim))
    finally:
        if old is None:
            del os.environ["WFSIM_DBT"]
        else:
            os.environ["WFSIM_DBT"] = old
    assert info.value.status == 5
    assert "batch" in str(info.value) and "dbt" in str(info.value)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if "wfsim-stage" in p.name] == []


def test_package_exports_ensemble():
    # wfsim.ensemble itself is the engine's (_api.py), which hands a call
    # with client= to wfsim.cluster; the pure-Python parts import alone
    code = ("import sys, wfsim, wfsim.cluster\n"
            "assert wfsim.EnsembleError is wfsim.cluster.EnsembleError\n"
            "assert 'client' in wfsim.cluster.ensemble.__doc__\n"
            "assert 'pyarrow' not in sys.modules and 'distributed' not in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.path.join(ROOT, "python")})
    assert proc.returncode == 0, proc.stderr


def test_object_storage_is_refused(wfsim, inputs):
    with pytest.raises(wfsim_pkg.EnsembleError) as info:
        wfsim_pkg.ensemble(inputs / "census.csv", [inputs / "base.yaml"], out="s3://bucket/ens",
                           client=object(), wfsim=wfsim)
    assert info.value.status == 64 and "s3://bucket/ens" in str(info.value)


def test_default_batch_size_follows_the_workforce():
    default_batch_size, plan_batches = wfsim_pkg.default_batch_size, wfsim_pkg.plan_batches
    # 1,000,000 x 10 x 1 scenario: 2 seeds a batch; 5,000 x 5: every seed of a worker's share
    assert default_batch_size(1_000_000, 10, 1, 1000, 100) == 2
    assert default_batch_size(5_000, 5, 3, 100, 4) == 25
    assert default_batch_size(5_000, 5, 3, 100, 1) == 100
    assert default_batch_size(50_000_000, 10, 1, 10, 2) == 1
    assert plan_batches(100, 5, 2) == [(0, 100, 2), (1, 102, 2), (2, 104, 1)]


def test_duckdb_memory_limit_reaches_dbt(tmp_path):
    """WFSIM_DUCKDB_MEMORY_LIMIT (what a batch sets from its worker's
    limit) is the memory_limit of dbt's DuckDB (dbt/profiles.yml); without
    it DuckDB keeps its default, 80 % of the machine."""
    dbt = os.path.join(ROOT, ".venv", "bin", "dbt")

    def setting(limit):
        env = {k: v for k, v in os.environ.items() if k != "WFSIM_DUCKDB_MEMORY_LIMIT"}
        if limit:
            env["WFSIM_DUCKDB_MEMORY_LIMIT"] = limit
        proc = subprocess.run(
            [dbt, "show", "--inline", "select current_setting('memory_limit') as m",
             "--project-dir", os.path.join(ROOT, "dbt"), "--profiles-dir", os.path.join(ROOT, "dbt"),
             "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
             "--output", "json"],
            env={**env, "WFSIM_DBT_DB": str(tmp_path / "x.duckdb"),
                 "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
            capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
        return proc.stdout

    assert '"m": "2.0 GiB"' in setting("2GiB")
    default = duckdb.connect().execute("select current_setting('memory_limit')").fetchone()[0]
    assert f'"m": "{default}"' in setting(None), default
