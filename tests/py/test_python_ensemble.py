"""wfsim.ensemble from Python builds what `wfsim ensemble` builds (issue 16):
the events, the census, the one dbt build with the ensemble marts, the
summary and the report, and hands the marts back as Arrow; scenarios as
paths or dicts (a plan_design section included); skip_invalid_rows and the
rejected rows (issue 13), for wfsim.ensemble and wfsim.simulate.

The reference is the command itself, run on the same inputs with the same
created_at: every mart must be equal to its table (the floating sums of
the distributions up to their last bits, as between two local runs), the
event and census files byte for byte."""
import csv
import os

import duckdb
import pyarrow as pa
import pytest

import wfsim
from engine_util import run_wfsim, tree_bytes

EPOCH = "1750000000"
YEARS = {"start_year": 2025, "end_year": 2026}
BASE = "simulation:\n  scenario_id: base\n  start_year: 2025\n  end_year: 2026\n"
# the second scenario as a dict: another deferral default and another plan design
RICH = {"simulation": {"scenario_id": "rich", "plan_design_id": "rich_core", **YEARS},
        "auto_enrollment": {"default_deferral_rate": 0.08},
        "plan_design": {"core": {"rate": 0.03}}, "thresholds": {"employer_cost": 700000}}
EXACT = ["fct_replicate_metrics", "fct_threshold_probabilities", "ensemble_summary"]
ROUNDED = ["fct_metric_distributions", "fct_scenario_differences"]
SEEDS = 2


@pytest.fixture(autouse=True)
def _fixed_created_at(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(scope="module")
def cli(request):
    return request.getfixturevalue("wfsim")


def yaml_of(d):
    """The dict as the YAML file a user would write (for the command)."""
    lines = []
    for section, body in d.items():
        lines.append(f"{section}:")
        lines += [f"  {k}: {v}" for k, v in body.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def inputs(cli, tmp_path_factory):
    d = tmp_path_factory.mktemp("pyens_inputs")
    run_wfsim(cli, "census", "--employees", 700, "--seed", 11, "--out", d / "census.csv")
    (d / "base.yaml").write_text(BASE)
    (d / "rich.yaml").write_text(yaml_of(RICH))
    # a census with a bad level on line 4 and line 8 repeating line 6's id
    lines = (d / "census.csv").read_text().splitlines()
    cells = lines[3].split(",")
    cells[4] = "nine"
    lines[3] = ",".join(cells)
    cells = lines[7].split(",")
    cells[0] = lines[5].split(",")[0]
    lines[7] = ",".join(cells)
    (d / "bad.csv").write_text("\n".join(lines) + "\n")
    return d


@pytest.fixture(scope="module")
def by_command(cli, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("pyens_cli") / "ens"
    run_wfsim(cli, "ensemble", "--census", inputs / "census.csv", "--scenario",
              inputs / "base.yaml", "--scenario", inputs / "rich.yaml", "--seeds", SEEDS,
              "--seed", 5, "--threads", 1, "--out", out, "--quiet",
              env={"SOURCE_DATE_EPOCH": EPOCH})
    return out


@pytest.fixture(scope="module")
def by_python(cli, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("pyens_py") / "ens"
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return wfsim.ensemble(inputs / "census.csv", [inputs / "base.yaml", RICH],
                              seeds=SEEDS, first_seed=5, threads=1, out=out, wfsim=cli)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def rows(out, table):
    con = duckdb.connect(str(out / "wfsim.duckdb"), read_only=True)
    try:
        return con.execute(f"select * from main.{table} order by all").fetchall()
    finally:
        con.close()


def assert_same_rows(mine, theirs, table):
    assert len(mine) == len(theirs) > 0, table
    for a, b in zip(mine, theirs):
        for x, y in zip(a, b):
            if isinstance(x, float):
                assert x == pytest.approx(y, rel=1e-12, abs=1e-15), (table, a, b)
            else:
                assert x == y, (table, a, b)


def test_marts_equal_the_commands(by_python, by_command):
    out = by_python.out
    for table in EXACT:
        assert rows(out, table) == rows(by_command, table) != [], table
    for table in ROUNDED:
        assert_same_rows(rows(out, table), rows(by_command, table), table)
    # the state and metric models too: one build over the same files
    for table in ("metrics_workforce_by_year", "metrics_plan_by_year", "fct_ndt_results"):
        assert_same_rows(rows(out, table), rows(by_command, table), table)
    assert len(rows(out, "fct_replicate_metrics")) == 2 * SEEDS * 2
    # the plan design of the dict reached the build: the core contribution
    # differs between the scenarios (3% of pay against none)
    core = dict(duckdb.connect(str(out / "wfsim.duckdb"), read_only=True).execute(
        "select scenario_id, sum(employer_core) from fct_replicate_metrics group by 1"
    ).fetchall())
    assert core["rich"] > 0 and core["base"] == 0


def test_files_equal_the_commands(by_python, by_command):
    out = by_python.out
    mine = {k: v for k, v in tree_bytes(out / "events").items() if k.endswith(".parquet")}
    theirs = {k: v for k, v in tree_bytes(by_command / "events").items()
              if k.endswith(".parquet")}
    assert len(mine) == 2 * SEEDS * 2 and mine == theirs
    assert (out / "census/census.parquet").read_bytes() == \
        (by_command / "census/census.parquet").read_bytes()
    assert (out / "ensemble_summary.csv").read_text() == \
        (by_command / "ensemble_summary.csv").read_text()
    for name in ("report.html", "report.xlsx", "run_summary.json"):
        assert (out / name).is_file(), name
    assert by_python.report == out / "report.html"
    assert by_python.summary["command"] == "ensemble"
    assert by_python.ensemble_summary["n_seeds"] == SEEDS


def test_marts_read_as_arrow(by_python, by_command):
    e = by_python
    assert os.fspath(e) == str(e.out) and e.first_seed == 5 and e.seeds == SEEDS
    for name, table in (("fct_replicate_metrics", e.replicate_metrics),
                        ("fct_metric_distributions", e.metric_distributions),
                        ("fct_scenario_differences", e.scenario_differences),
                        ("fct_threshold_probabilities", e.threshold_probabilities)):
        assert isinstance(table, pa.Table) and table.num_rows > 0, name
        theirs = rows(by_command, name)
        mine = [tuple(r.values()) for r in table.to_pylist()]
        if name in EXACT:
            assert mine == theirs, name
        else:
            assert_same_rows(mine, theirs, name)
    n = duckdb.sql(f"select count(*) from read_parquet('{e.events_glob}', "
                   "hive_partitioning = true)").fetchall()[0][0]
    assert n > 0
    with pytest.raises(ValueError):
        e.mart("x; drop table y")
    with pytest.raises(wfsim.UsageError):
        e.rejected_rows  # noqa: B018 - not a skip-mode ensemble


def test_events_only_and_bad_scenarios_write_nothing_else(cli, inputs, tmp_path):
    e = wfsim.ensemble(inputs / "census.csv", [inputs / "base.yaml", RICH], seeds=1,
                       first_seed=5, out=tmp_path / "ev", events_only=True)
    assert sorted(p.name for p in e.out.iterdir()) == ["census", "events"]
    with pytest.raises(wfsim.UsageError):
        e.replicate_metrics  # noqa: B018 - no database
    with pytest.raises(wfsim.InputError) as err:  # a bad key of a dict scenario
        wfsim.ensemble(inputs / "census.csv", [inputs / "base.yaml",
                                               {"plan_design": {"core": {"rat": 0.03}}}],
                       out=tmp_path / "bad", wfsim=cli)
    assert err.value.key == "plan_design.core.rat"
    with pytest.raises(wfsim.InputError):  # the same scenario_id twice
        wfsim.ensemble(inputs / "census.csv", [inputs / "base.yaml", inputs / "base.yaml"],
                       out=tmp_path / "dup", wfsim=cli)
    assert not (tmp_path / "bad").exists() and not (tmp_path / "dup").exists()


def read_rejects(path):
    with open(path, newline="") as f:
        lines = list(csv.reader(f))
    header, body = lines[0], lines[1:]
    return header, [[int(r[0]), int(r[1]), *r[2:]] for r in body]


def test_skip_invalid_rows_equals_the_command(cli, inputs, tmp_path):
    out_cli = tmp_path / "cli"
    run_wfsim(cli, "ensemble", "--census", inputs / "bad.csv", "--scenario",
              inputs / "base.yaml", "--seeds", 1, "--seed", 3, "--threads", 1,
              "--skip-invalid-rows", "--no-report", "--out", out_cli, "--quiet",
              env={"SOURCE_DATE_EPOCH": EPOCH})
    with pytest.raises(wfsim.InputError):  # strict by default
        wfsim.ensemble(inputs / "bad.csv", inputs / "base.yaml", out=tmp_path / "strict",
                       wfsim=cli)
    assert not (tmp_path / "strict").exists()
    e = wfsim.ensemble(inputs / "bad.csv", inputs / "base.yaml", seeds=1, first_seed=3,
                       threads=1, skip_invalid_rows=True, report=False, out=tmp_path / "py",
                       wfsim=cli)
    assert not (e.out / "report.html").exists()
    assert (e.out / "census/rejected_rows.csv").read_bytes() == \
        (out_cli / "census/rejected_rows.csv").read_bytes()
    header, body = read_rejects(out_cli / "census/rejected_rows.csv")
    t = e.rejected_rows
    assert t.column_names == header
    assert [list(r.values()) for r in t.to_pylist()] == body
    assert [r[0] for r in body] == [4, 6, 8]
    for table in ("fct_replicate_metrics", "ensemble_summary", "metrics_workforce_by_year"):
        assert rows(e.out, table) == rows(out_cli, table) != [], table
    assert (e.out / "census/census.parquet").read_bytes() == \
        (out_cli / "census/census.parquet").read_bytes()


def test_simulate_rejected_rows_equal_the_rejects_file(cli, inputs, tmp_path):
    out = tmp_path / "events"
    run_wfsim(cli, "events", "--census", inputs / "bad.csv", "--skip-invalid-rows",
              "--start", 2025, "--end", 2025, "--out", out, "--quiet")
    header, body = read_rejects(out / "rejected_rows.csv")
    r = wfsim.simulate(inputs / "bad.csv", start=2025, end=2025, skip_invalid_rows=True)
    t = pa.table(r.rejected_rows)
    assert t.column_names == header
    assert t.schema.field("line").type == pa.int64()
    assert all(t.schema.field(c).type == pa.string() for c in header[2:])
    assert [list(x.values()) for x in t.to_pylist()] == body
    assert r.summary["rejected_rows"] == len(body) == 3
    # a table can be read again, by any consumer
    import polars as pl
    assert pl.DataFrame(r.rejected_rows)["line"].to_list() == [4, 6, 8]
    assert pa.table(r.rejected_rows).equals(t)
    # a clean census in skip mode: the columns, no rows
    clean = wfsim.simulate(inputs / "census.csv", start=2025, end=2025,
                           skip_invalid_rows=True)
    empty = pa.table(clean.rejected_rows)
    assert empty.num_rows == 0 and empty.column_names == header
    with pytest.raises(wfsim.UsageError):  # strict mode keeps no rejects
        wfsim.simulate(inputs / "census.csv", start=2025, end=2025).rejected_rows  # noqa: B018


def test_from_events_needs_the_events_and_the_census(cli, inputs, tmp_path):
    """`wfsim ensemble --from-events` (what wfsim.ensemble runs after the
    engine) refuses a folder without the engine's files, naming the file."""
    out = tmp_path / "empty"
    out.mkdir()
    args = ["ensemble", "--census", inputs / "census.csv", "--scenario", inputs / "base.yaml",
            "--out", out, "--from-events"]
    proc = run_wfsim(cli, *args, check=False)
    assert proc.returncode == 3, proc.stderr
    assert f"{out}/events/ensemble_summary.json" in proc.stderr
    assert not (out / "wfsim.duckdb").exists()
    proc = run_wfsim(cli, *args, "--cluster", "tcp://127.0.0.1:1", check=False)
    assert proc.returncode == 64 and "--from-events" in proc.stderr
