"""`wfsim ensemble`: scenarios x seeds in one process, one dbt build.

One ensemble (a baseline, a scenario that auto-enrolls at 8 % and escalates
to 15 % with an employer-cost threshold, and a twin of the baseline that
differs only by its id; 3 seeds, 300 employees, 3 years) is built once and
read by most tests: the Hive layout, a replicate equal byte for byte to
`wfsim events` with its configuration and seed, the marts recomputed here
from fct_replicate_metrics, the twin's differences exactly 0 (and the data
test that says so failing when they are not), the printed summary. Then
the output is compared across thread counts, bad scenario sets are refused
with exit 2, and `wfsim parity` checks one member of the ensemble."""
import json
import math
import os
import shutil
import statistics
import subprocess

import duckdb
import pytest

from engine_util import run_wfsim, tree_bytes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DBT = os.path.join(ROOT, ".venv", "bin", "dbt")

YEARS = "  start_year: 2025\n  end_year: 2027\n"
SCENARIOS = {
    "base": "simulation:\n  scenario_id: base\n" + YEARS,
    "auto8": ("simulation:\n  scenario_id: auto8\n" + YEARS
              + "auto_enrollment:\n  default_deferral_rate: 0.08\n"
              + "auto_escalation:\n  cap: 0.15\n"
              + "thresholds:\n  employer_cost: 700000\n  avg_deferral_rate: 0.075\n"),
    "twin": "simulation:\n  scenario_id: twin\n" + YEARS,
}
SEEDS = [12345, 12346, 12347]
METRICS = ["headcount_end", "hires", "terminations", "avg_salary", "participation_rate",
           "avg_deferral_rate", "employee_contributions", "employer_match", "employer_core",
           "employer_cost"]


@pytest.fixture(scope="module")
def inputs(wfsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("ensemble_inputs")
    run_wfsim(wfsim, "census", "--employees", 300, "--seed", 4, "--out", d / "census.csv")
    for name, text in SCENARIOS.items():
        (d / f"{name}.yaml").write_text(text)
    return d


def scenario_args(inputs, names=("base", "auto8", "twin")):
    args = []
    for name in names:
        args += ["--scenario", inputs / f"{name}.yaml"]
    return args


@pytest.fixture(scope="module")
def ens(wfsim, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("ensemble") / "ens"
    proc = run_wfsim(wfsim, "ensemble", "--census", inputs / "census.csv",
                     *scenario_args(inputs), "--seeds", 3, "--threads", 2, "--out", out)
    return out, proc


def query(db, sql):
    con = duckdb.connect(str(db), read_only=str(db) != ":memory:")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def parquet_files(path):
    """The event and snapshot Parquet files under path (not census.parquet,
    which `wfsim events` writes beside them and an ensemble once, in
    OUT/census/)."""
    return {k: v for k, v in tree_bytes(path).items()
            if k.endswith(".parquet") and k != "census.parquet"}


def test_one_read_parquet_reads_every_replicate(ens):
    out, _ = ens
    rows = query(":memory:", f"""
        select scenario_id, plan_design_id, random_seed, count(distinct simulation_year)
        from read_parquet('{out}/events/**/*.parquet', hive_partitioning = true)
        group by all order by all""")
    assert rows == [(s, "default", seed, 3) for s in ("auto8", "base", "twin") for seed in SEEDS]
    # the partition keys are columns and equal the events' own
    bad = query(":memory:", f"""
        select count(*) from read_parquet('{out}/events/**/*.parquet', hive_partitioning = true)
        where event_id <> md5(scenario_id || '|' || plan_design_id || '|' || random_seed::VARCHAR
                              || '|' || employee_id || '|' || simulation_year::VARCHAR || '|' || event_type)""")
    assert bad == [(0,)]


def test_replicate_equals_wfsim_events_with_its_seed(wfsim, inputs, ens, tmp_path):
    out, _ = ens
    single = tmp_path / "single"
    run_wfsim(wfsim, "events", "--census", inputs / "census.csv", "--config", inputs / "auto8.yaml",
              "--seed", 12346, "--out", single, "--quiet")
    member = out / "events/scenario_id=auto8/plan_design_id=default/random_seed=12346"
    mine, theirs = parquet_files(member), parquet_files(single)
    assert sorted(mine) == [f"simulation_year={y}/part-00000.parquet" for y in (2025, 2026, 2027)]
    assert mine == theirs
    a = json.loads((member / "generation_summary.json").read_text())
    b = json.loads((single / "generation_summary.json").read_text())
    assert a["per_year"] == b["per_year"] and a["config_digest"] == b["config_digest"]


def test_output_does_not_depend_on_threads(wfsim, inputs, tmp_path):
    outs = []
    for threads in (1, 3):
        out = tmp_path / f"t{threads}"
        run_wfsim(wfsim, "ensemble", "--census", inputs / "census.csv",
                  *scenario_args(inputs, ("base", "auto8")), "--seeds", 3,
                  "--threads", threads, "--out", out, "--events-only")
        outs.append(parquet_files(out / "events"))
    assert len(outs[0]) == 2 * 3 * 3
    assert outs[0] == outs[1]


def replicate_metrics(db):
    cols = ", ".join(METRICS)
    rows = query(db, f"select scenario_id, random_seed, simulation_year, {cols} "
                     "from main.fct_replicate_metrics")
    return {(r[0], r[1], r[2]): dict(zip(METRICS, [None if v is None else float(v) for v in r[3:]]))
            for r in rows}


def quantile(values, q):
    """quantile_cont: linear interpolation between order statistics."""
    v = sorted(values)
    pos = q * (len(v) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def test_distributions_recomputed_from_replicates(ens):
    out, _ = ens
    db = out / "wfsim.duckdb"
    reps = replicate_metrics(db)
    assert len(reps) == 3 * 3 * 3
    rows = query(db, "select scenario_id, simulation_year, metric, n_seeds, mean, sd, p10, p50, p90 "
                     "from main.fct_metric_distributions")
    assert len(rows) == 3 * 3 * len(METRICS)
    for scenario, year, metric, n, mean, sd, p10, p50, p90 in rows:
        values = [reps[(scenario, s, year)][metric] for s in SEEDS]
        assert n == 3
        assert mean == pytest.approx(statistics.fmean(values), rel=1e-12, abs=1e-12)
        assert sd == pytest.approx(statistics.stdev(values), rel=1e-9, abs=1e-9)
        for got, q in ((p10, 0.1), (p50, 0.5), (p90, 0.9)):
            assert got == pytest.approx(quantile(values, q), rel=1e-12, abs=1e-12)


def test_paired_differences_and_variance_reduction(ens):
    out, _ = ens
    db = out / "wfsim.duckdb"
    reps = replicate_metrics(db)
    rows = query(db, "select scenario_id, baseline_scenario_id, simulation_year, metric, n_seeds, "
                     "mean_diff, sd_paired, sd_unpaired, p50 from main.fct_scenario_differences")
    assert {(r[0], r[1]) for r in rows} == {("auto8", "base"), ("twin", "base")}
    for scenario, base, year, metric, n, mean_diff, sd_paired, sd_unpaired, p50 in rows:
        diffs = [reps[(scenario, s, year)][metric] - reps[(base, s, year)][metric] for s in SEEDS]
        assert n == 3
        assert mean_diff == pytest.approx(statistics.fmean(diffs), abs=1e-9)
        assert p50 == pytest.approx(quantile(diffs, 0.5), abs=1e-9)
        assert sd_paired == pytest.approx(statistics.stdev(diffs), abs=1e-9)
        sd_s = statistics.stdev([reps[(scenario, s, year)][metric] for s in SEEDS])
        sd_b = statistics.stdev([reps[(base, s, year)][metric] for s in SEEDS])
        assert sd_unpaired == pytest.approx(math.hypot(sd_s, sd_b), rel=1e-9, abs=1e-9)
        if scenario == "twin":
            # the same draws and the same parameters: exactly the same numbers
            assert mean_diff == 0 and p50 == 0 and sd_paired == 0
    # 8 % instead of 6 %: the participants' deferral rate rises in every year and seed
    auto8 = [r for r in rows if r[0] == "auto8" and r[3] == "avg_deferral_rate"]
    assert len(auto8) == 3 and all(r[5] > 0 for r in auto8)


def test_threshold_probabilities(ens):
    out, _ = ens
    db = out / "wfsim.duckdb"
    reps = replicate_metrics(db)
    rows = query(db, "select scenario_id, simulation_year, metric, threshold, n_seeds, n_above, "
                     "probability from main.fct_threshold_probabilities order by all")
    # only auto8 sets thresholds, and the baseline none: auto8's own
    assert {(r[0], r[2]) for r in rows} == {("auto8", "employer_cost"), ("auto8", "avg_deferral_rate")}
    assert len(rows) == 2 * 3
    for scenario, year, metric, threshold, n, n_above, p in rows:
        values = [reps[(scenario, s, year)][metric] for s in SEEDS]
        assert threshold == {"employer_cost": 700000, "avg_deferral_rate": 0.075}[metric]
        assert n == 3 and n_above == sum(v > threshold for v in values)
        assert p == n_above / 3


def test_every_data_test_ran_and_passed(ens):
    out, proc = ens
    results = json.loads((out / "dbt_target/run_results.json").read_text())["results"]
    status = {r["unique_id"].split(".")[2]: r["status"] for r in results}
    for name in ("assert_identical_scenario_differs_by_zero", "assert_ensemble_seeds_complete",
                 "assert_distribution_percentiles_in_order",
                 "assert_replicate_headcount_equals_target", "assert_year_end_headcount_equals_target"):
        assert status.get(name) == "pass", name
    assert all(s in ("pass", "success") for s in status.values()), status


def test_summary_printed_per_scenario_and_year(ens):
    out, proc = ens
    lines = proc.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if line.split()[:3] == ["scenario", "year", "metric"])
    rows = [line.split() for line in lines[head + 1:]]
    assert [r[0] for r in rows[:15]] == ["base"] * 15       # the baseline first
    keys = {(r[0], r[1], r[2]) for r in rows}
    for scenario in ("base", "auto8", "twin"):
        for year in ("2025", "2026", "2027"):
            assert (scenario, year, "employer_cost") in keys
    twin = [r for r in rows if r[0] == "twin"]
    # scenario year metric median P10 - P90 median_diff sd_ratio
    assert twin and all(r[7] in ("+0", "+0.0000") and r[8] == "-" for r in twin)
    reps = replicate_metrics(out / "wfsim.duckdb")
    row = next(r for r in rows if r[:3] == ["auto8", "2027", "headcount_end"])
    assert float(row[3]) == statistics.median(reps[("auto8", s, 2027)]["headcount_end"] for s in SEEDS)


def test_twin_data_test_fails_on_a_difference(ens, inputs, tmp_path):
    """The data test that holds the twin to exactly 0 fails when one value differs."""
    out, _ = ens
    db = tmp_path / "wfsim.duckdb"
    shutil.copy(out / "wfsim.duckdb", db)
    con = duckdb.connect(str(db))
    con.execute("update main.int_replicate_metric_values set value = value + 1 "
                "where scenario_id = 'twin' and random_seed = 12346 and metric = 'hires' "
                "and simulation_year = 2026")
    con.close()
    configs = [json.loads(subprocess.run([os.path.join(ROOT, "build", "wfsim"), "config", "--config",
                                          str(inputs / f"{n}.yaml")], capture_output=True, text=True,
                                         check=True).stdout) for n in ("base", "auto8", "twin")]
    variables = {"events_path": str(out / "events"), "census_path": str(inputs / "census.csv"),
                 "events_glob": "scenario_id=*/plan_design_id=*/random_seed=*/simulation_year=*/*.parquet",
                 "wfsim_scenarios": configs}
    env = dict(os.environ, WFSIM_DBT_DB=str(db), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    proc = subprocess.run([DBT, "test", "--project-dir", os.path.join(ROOT, "dbt"), "--profiles-dir",
                           os.path.join(ROOT, "dbt"), "--target-path", str(tmp_path / "target"),
                           "--log-path", str(tmp_path / "logs"), "--select",
                           "assert_identical_scenario_differs_by_zero", "--vars", json.dumps(variables)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0, proc.stdout
    results = json.loads((tmp_path / "target/run_results.json").read_text())["results"]
    assert [(r["status"], r["failures"]) for r in results] == [("fail", 1)]


def test_scenarios_must_differ_and_share_years(wfsim, inputs, tmp_path):
    (tmp_path / "dup.yaml").write_text("simulation:\n  scenario_id: base\n" + YEARS)
    (tmp_path / "long.yaml").write_text("simulation:\n  scenario_id: long\n  start_year: 2025\n"
                                        "  end_year: 2029\n")
    base = inputs / "base.yaml"
    common = ["ensemble", "--census", inputs / "census.csv", "--events-only"]
    p = run_wfsim(wfsim, *common, "--scenario", base, "--scenario", tmp_path / "dup.yaml",
                  "--out", tmp_path / "a", check=False)
    assert p.returncode == 2
    assert f"{base}, {tmp_path / 'dup.yaml'}: simulation.scenario_id: both are 'base'" in p.stderr
    p = run_wfsim(wfsim, *common, "--scenario", base, "--scenario", tmp_path / "long.yaml",
                  "--out", tmp_path / "b", check=False)
    assert p.returncode == 2
    assert f"{tmp_path / 'long.yaml'}: simulation.end_year: 2029 differs from 2027 in {base}" in p.stderr
    assert not (tmp_path / "a" / "events").exists() and not (tmp_path / "b" / "events").exists()
    # --start/--end give every scenario the same years
    run_wfsim(wfsim, *common, "--scenario", base, "--scenario", tmp_path / "long.yaml",
              "--start", 2025, "--end", 2026, "--seeds", 2, "--seed", 7, "--out", tmp_path / "c")
    seeds = sorted(p.name for p in (tmp_path / "c/events/scenario_id=long/plan_design_id=default").iterdir())
    assert seeds == ["random_seed=7", "random_seed=8"]
    years = sorted(p.name for p in (tmp_path / "c/events/scenario_id=long/plan_design_id=default/"
                                                 "random_seed=8").glob("simulation_year=*"))
    assert years == ["simulation_year=2025", "simulation_year=2026"]
    p = run_wfsim(wfsim, "ensemble", "--census", inputs / "census.csv", "--out", tmp_path / "d",
                  check=False)
    assert p.returncode == 64


def test_parity_checks_one_member(wfsim, inputs, ens, tmp_path):
    """`wfsim parity` with a scenario's file and one of the seeds: SQL mode
    agrees with the engine, and the engine's events are the ensemble's."""
    out, _ = ens
    p = run_wfsim(wfsim, "parity", "--census", inputs / "census.csv", "--config",
                  inputs / "auto8.yaml", "--seed", 12347, "--out", tmp_path / "parity", "--quiet")
    assert p.returncode == 0
    member = out / "events/scenario_id=auto8/plan_design_id=default/random_seed=12347"
    fast = parquet_files(tmp_path / "parity/fast/events")
    assert {k: v for k, v in fast.items() if k.startswith("simulation_year=")} == parquet_files(member)
