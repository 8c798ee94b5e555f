"""`wfsim run`: the whole job in either mode, the same summary table at the
end, stage timings in run_summary.json, and a failed dbt step that stops the
run with dbt's message while the events already written stay whole."""
import hashlib
import json
import os
import pathlib
import stat
import subprocess
import sys

import openpyxl
import pytest

from engine_util import run_wfsim, tree_bytes

CONFIG = "simulation:\n  start_year: 2025\n  end_year: 2027\n  random_seed: 5\n"


@pytest.fixture(scope="module")
def census(wfsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("run_inputs")
    run_wfsim(wfsim, "census", "--employees", 300, "--seed", 2, "--out", d / "census.csv")
    (d / "sim.yaml").write_text(CONFIG)
    (d / "sql.yaml").write_text(CONFIG + "performance:\n  event_generation_mode: sql\n")
    return d


@pytest.fixture(scope="module")
def runs(wfsim, census, tmp_path_factory):
    """One run per mode; SQL mode chosen by the configuration's performance section."""
    out = tmp_path_factory.mktemp("runs")
    env = {"WFSIM_DBT_CACHE": str(out / "dbt_cache")}
    fast = run_wfsim(wfsim, "run", "--config", census / "sim.yaml", "--census",
                     census / "census.csv", "--out", out / "fast", env=env)
    sql = run_wfsim(wfsim, "run", "--config", census / "sql.yaml", "--census",
                    census / "census.csv", "--out", out / "sql", env=env)
    return out, fast, sql


def summary_table(stdout):
    """The summary's lines (from its first header to the end)."""
    lines = stdout.splitlines()
    start = max(i for i, line in enumerate(lines) if line.split()[:2] == ["year", "start_hc"])
    return lines[start:]


def test_both_modes_print_the_same_summary_table(runs):
    _out, fast, sql = runs
    table = summary_table(fast.stdout)
    # Tables of at most 100 columns, separated by a blank line, each with
    # the years down its first column; together they hold every metric.
    tables = "\n".join(table).split("\n\n")
    assert len(tables) >= 2
    heads = []
    for t in tables:
        rows = t.splitlines()
        assert [line.split()[0] for line in rows] == ["year", "2025", "2026", "2027"]
        heads += rows[0].split()[1:]
    assert {"start_hc", "end_hc", "turnover", "participation", "er_cost"} <= set(heads)
    assert len(heads) == len(set(heads))
    assert max(len(line) for line in fast.stdout.splitlines()) <= 100
    assert table == summary_table(sql.stdout)


def test_stage_timings_in_run_summary(runs):
    out, _fast, _sql = runs
    fast = json.loads((out / "fast/run_summary.json").read_text())
    sql = json.loads((out / "sql/run_summary.json").read_text())
    assert fast["mode"] == "fast" and sql["mode"] == "sql"
    assert fast["status"] == sql["status"] == 0
    assert [s["stage"] for s in fast["stages"]] == [
        "events", "dbt build (state, metrics, data tests)", "report"]
    sql_stages = [s["stage"] for s in sql["stages"]]
    assert sql_stages[0].startswith("dbt seed")
    assert sql_stages[1:4] == [f"events {y} (SQL mode)" for y in (2025, 2026, 2027)]
    assert sql_stages[-2:] == ["dbt build (state, metrics, data tests)", "report"]
    assert all(s["seconds"] > 0 for s in fast["stages"] + sql["stages"])


def test_dbt_parse_is_reused_between_steps(runs):
    """The first dbt step with an empty cache parses from scratch; every
    later step starts from the saved parse (issue 19), SQL mode's first
    step into its new OUT included: the year, the configuration and the
    folders no longer reach what dbt parses."""
    out, _fast, _sql = runs
    first = (out / "fast/logs/dbt_build.log").read_text()
    assert "Unable to do partial parsing because saved manifest not found" in first
    later = [out / "sql/logs" / f"{n}.log" for n in
             ("sql_seed", "sql_year_2025", "sql_year_2026", "sql_year_2027", "sql_export",
              "dbt_build")]
    for log in later:
        text = log.read_text()
        assert "Found " in text and "Unable to do partial parsing" not in text, log.name
    assert list((out / "dbt_cache").glob("dbt-*/partial_parse-*.msgpack"))
    # dbt's database stays in each run's folder
    assert (out / "fast/wfsim.duckdb").is_file() and (out / "sql/wfsim.duckdb").is_file()


def test_an_ensemble_keeps_the_runs_saved_parse(wfsim, census, runs):
    """An ensemble's dbt build has other --vars than a run's, so its saved
    parse is kept apart: before, it replaced the runs' parse and the next
    `wfsim run` parsed the project in full (about 3 s of a 12 s run at
    60,000 x 5)."""
    out, _fast, _sql = runs
    env = {"WFSIM_DBT_CACHE": str(out / "dbt_cache")}
    run_wfsim(wfsim, "ensemble", "--census", census / "census.csv", "--scenario",
              census / "sim.yaml", "--out", out / "ens", "--no-report", env=env)
    ens_log = (out / "ens/logs/dbt_build.log").read_text()
    assert "Unable to do partial parsing because saved manifest not found" in ens_log
    run_wfsim(wfsim, "run", "--config", census / "sim.yaml", "--census",
              census / "census.csv", "--out", out / "again", "--no-report", env=env)
    again = (out / "again/logs/dbt_build.log").read_text()
    assert "Found " in again and "Unable to do partial parsing" not in again
    assert len(list((out / "dbt_cache").glob("dbt-*/partial_parse-*.msgpack"))) == 2


def test_unit_tests_run_once_per_project(runs):
    """The first build runs dbt's unit tests (all pass); the SQL mode run's
    build, same project files and selection, leaves them out (issue 19)."""
    out, _fast, _sql = runs

    def unit_results(run):
        results = json.loads((out / run / "dbt_target/run_results.json").read_text())["results"]
        return [r["status"] for r in results if r["unique_id"].startswith("unit_test.")]

    first = unit_results("fast")
    assert len(first) >= 20 and set(first) == {"pass"}
    assert unit_results("sql") == []
    assert len(list((out / "dbt_cache").glob("dbt-*/unit_tests_passed-*"))) == 1


def test_sql_mode_steps_share_one_dbt_process(runs):
    """SQL mode's dbt steps and its build run in one Python process
    (scripts/dbt_steps.py, issue 19); fast mode's single build is a `dbt`
    process of its own."""
    out, _fast, _sql = runs
    pids = set()
    for name in ("sql_seed", "sql_year_2025", "sql_year_2026", "sql_year_2027", "sql_export",
                 "dbt_build"):
        first = (out / "sql/logs" / f"{name}.log").read_text().splitlines()[0]
        assert first.startswith("wfsim: dbt step in process "), (name, first)
        pids.add(first.split()[-1])
    assert len(pids) == 1
    assert "wfsim: dbt step in process" not in (out / "fast/logs/dbt_build.log").read_text()


def test_progress_per_stage_on_stderr(runs):
    _out, fast, sql = runs
    assert "wfsim run: events (fast mode" in fast.stderr
    for year in (2025, 2026, 2027):
        assert f"wfsim run: events {year} (SQL mode)" in sql.stderr


def test_both_modes_write_the_engine_layout(runs):
    out, _fast, _sql = runs
    for mode in ("fast", "sql"):
        events = out / mode / "events"
        assert sorted(p.name for p in events.glob("simulation_year=*")) == [
            "simulation_year=2025", "simulation_year=2026", "simulation_year=2027"]
        assert list(events.glob("workforce_snapshot/simulation_year=2027/*.parquet"))


def test_both_modes_write_the_same_report_numbers(runs):
    """The report is written at the end of either mode, and the workbook's
    metrics (By year) are the same numbers in both."""
    out, fast, _sql = runs
    assert "wfsim report: wrote" in fast.stderr
    by_year = []
    for mode in ("fast", "sql"):
        assert (out / mode / "report.html").stat().st_size > 10000
        book = openpyxl.load_workbook(out / mode / "report.xlsx")
        rows = [list(r) for r in book["By year"].iter_rows(values_only=True)]
        # Where the 4.1 figures came from differs by mode, not the figures.
        src = rows[0].index("figures_source")
        by_year.append([r[:src] + r[src + 1:] for r in rows])
    assert len(by_year[0]) == 4 and by_year[0][0] == by_year[1][0]
    # Counts and money equal exactly; a DOUBLE aggregate (an average of
    # rates) may differ in its last bit with DuckDB's summation order.
    for fast_row, sql_row in zip(by_year[0][1:], by_year[1][1:]):
        for name, a, b in zip(by_year[0][0], fast_row, sql_row):
            if isinstance(a, float) and isinstance(b, float):
                assert a == pytest.approx(b, rel=1e-12, abs=0), name
            else:
                assert a == b, name


def test_sql_floor_runs_every_node_of_the_build_again(runs, root, tmp_path):
    """bench/dbt_sql_floor.py (the benchmarks' measure of what dbt adds)
    runs each model and data test of a finished build once more, in a copy
    of its database, and leaves the run's own database as it was."""
    out = runs[0] / "fast"
    before = hashlib.sha256((out / "wfsim.duckdb").read_bytes()).hexdigest()
    figures = tmp_path / "floor.json"
    proc = subprocess.run([sys.executable, str(root / "bench" / "dbt_sql_floor.py"), str(out),
                           "--temp", "--json", str(figures)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("SQL floor ")
    m = json.loads(figures.read_text())
    ran = json.loads((out / "dbt_target" / "run_results.json").read_text())["results"]
    expected = sorted(r["unique_id"] for r in ran
                      if r["unique_id"].split(".")[0] in ("model", "test"))
    assert sorted(n["node"] for n in m["nodes"]) == expected
    models = [n for n in m["nodes"] if n["node"].startswith("model.")]
    assert m["floor_models"] == pytest.approx(sum(n["alone"] for n in models))
    assert m["floor"] == pytest.approx(m["floor_models"] + m["floor_tests"])
    # every table model made a second time as a temporary table, no view
    manifest = json.loads((out / "dbt_target" / "manifest.json").read_text())["nodes"]
    tables = sorted(n["node"] for n in models
                    if manifest[n["node"]]["config"]["materialized"] == "table")
    assert len(tables) >= 20
    assert sorted(n["node"] for n in models if "temp" in n) == tables
    assert m["floor_models_temp"] == pytest.approx(
        sum(n.get("temp", n["alone"]) for n in models))
    assert hashlib.sha256((out / "wfsim.duckdb").read_bytes()).hexdigest() == before
    # a folder without a build: exit 2, naming the missing file
    proc = subprocess.run([sys.executable, str(root / "bench" / "dbt_sql_floor.py"),
                           str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert str(tmp_path / "dbt_target" / "run_results.json") in proc.stderr


def test_failed_report_step_keeps_the_run(wfsim, census, tmp_path):
    """A report step that fails: exit 5, the events and the database stay,
    run_summary.json says so, and no report file is left."""
    # A Python that passes wfsim's look-up (it can import duckdb) but whose
    # report step fails.
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\nif [ "$1" = -c ]; then exit 0; fi\n'
                    "echo 'Traceback: report exploded' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("from an earlier run")
    proc = run_wfsim(wfsim, "run", "--config", census / "sim.yaml", "--census",
                     census / "census.csv", "--out", out, "--quiet",
                     env={"WFSIM_PYTHON": str(fake)}, check=False)
    assert proc.returncode == 5
    assert "report exploded" in proc.stderr and "only the report failed" in proc.stderr
    assert (out / "wfsim.duckdb").exists() and list(out.glob("events/simulation_year=*"))
    assert json.loads((out / "run_summary.json").read_text())["status"] == 5
    assert not (out / "report.html").exists() and not (out / "report.xlsx").exists()


def test_unit_tests_run_again_after_an_upgrade(wfsim, census, tmp_path):
    """The unit tests' stamp names the packages installed beside dbt: a
    changed version (a renamed *.dist-info) runs them again. The dbt is a
    stand-in that runs the real one, in a folder laid out as a venv."""
    real = pathlib.Path(__file__).resolve().parents[2] / ".venv/bin/dbt"
    assert real.is_file()
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    site = venv / "lib/python3.11/site-packages"
    site.mkdir(parents=True)
    (site / "duckdb-1.3.0.dist-info").mkdir()
    dbt = venv / "bin/dbt"
    dbt.write_text(f'#!/bin/sh\nexec "{real}" "$@"\n')
    dbt.chmod(dbt.stat().st_mode | stat.S_IEXEC)
    env = {"WFSIM_DBT": str(dbt), "WFSIM_DBT_CACHE": str(tmp_path / "cache")}

    def units(name):
        run_wfsim(wfsim, "run", "--config", census / "sim.yaml", "--census",
                  census / "census.csv", "--out", tmp_path / name, "--no-report", env=env)
        results = json.loads((tmp_path / name / "dbt_target/run_results.json").read_text())
        return [r["status"] for r in results["results"]
                if r["unique_id"].startswith("unit_test.")]

    first = units("first")
    assert len(first) >= 20 and set(first) == {"pass"}
    assert units("second") == []
    (site / "duckdb-1.3.0.dist-info").rename(site / "duckdb-1.3.1.dist-info")
    assert units("upgraded") == first


@pytest.fixture
def failing_dbt(tmp_path):
    """A stand-in dbt that fails the way dbt does: an error line, exit 1."""
    fake = tmp_path / "dbt"
    fake.write_text("#!/bin/sh\necho 'Completed with 1 error'\n"
                    "echo 'Failure in test assert_events_well_formed'\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return fake


def test_failed_dbt_step_stops_and_keeps_events(wfsim, census, tmp_path, failing_dbt):
    proc = run_wfsim(wfsim, "run", "--config", census / "sim.yaml", "--census",
                     census / "census.csv", "--out", tmp_path / "out",
                     env={"WFSIM_DBT": str(failing_dbt)}, check=False)
    assert proc.returncode == 5
    assert "dbt build (state, metrics, data tests) failed" in proc.stderr
    assert "Failure in test assert_events_well_formed" in proc.stderr
    assert "events in" in proc.stderr and "were kept" in proc.stderr
    events = tree_bytes(tmp_path / "out/events")
    # 3 years + 3 snapshots + the census as read
    assert sum(name.endswith(".parquet") for name in events) == 7
    assert "census.parquet" in events
    assert json.loads((tmp_path / "out/run_summary.json").read_text())["status"] == 5


def test_failed_sql_step_stops_before_later_years(wfsim, census, tmp_path, failing_dbt):
    proc = run_wfsim(wfsim, "run", "--mode", "sql", "--config", census / "sim.yaml",
                     "--census", census / "census.csv", "--out", tmp_path / "out",
                     env={"WFSIM_DBT": str(failing_dbt)}, check=False)
    assert proc.returncode == 5
    assert "dbt seed (parameter tables) failed" in proc.stderr
    assert "events 2025" not in proc.stderr
    assert not (tmp_path / "out/events").exists()


def test_bad_census_stops_before_any_dbt_step(wfsim, tmp_path):
    (tmp_path / "census.csv").write_text("employee_id,birth_date\nE1,1980-01-01\n")
    proc = run_wfsim(wfsim, "run", "--census", tmp_path / "census.csv",
                     "--out", tmp_path / "out", "--mode", "sql", check=False)
    assert proc.returncode == 2
    assert "census.csv:1" in proc.stderr
    assert not os.path.exists(tmp_path / "out")  # nothing created, no dbt step run
