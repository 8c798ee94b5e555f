"""The plan design (issue 18): the `plan_design` configuration section and
the dbt plan models it drives.

- the loader refuses bad plan_design values with file, line, column and
  key (exit 2), and the section stays out of the canonical JSON and the
  digest (the events do not depend on it);
- dbt's fallback design (no var given) equals the loader's defaults;
- an ensemble whose second scenario differs from the baseline only in its
  plan design gives the same events and different costs, with the plan
  marts (net employer cost, forfeitures, fct_ndt_results) filled in.
(The formulas themselves are dbt unit tests: dbt/models/plan/_plan_unit_tests.yml.)"""
import json
import os
import subprocess

import duckdb
import pytest

from engine_util import run_wfsim

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DBT = os.path.join(ROOT, ".venv", "bin", "dbt")

YEARS = "  start_year: 2025\n  end_year: 2026\n"
BASE = "simulation:\n  scenario_id: base\n" + YEARS
# same plan_design_id as the baseline on purpose: only the section differs,
# so the canonical configurations differ by scenario_id alone and the twin
# test (assert_identical_scenario_differs_by_zero) must tell them apart by
# their plan designs
RICH = ("simulation:\n  scenario_id: rich\n" + YEARS
        + "plan_design:\n  match_formula: safe_harbor_enhanced\n  core_rate: 0.03\n"
        + "  vesting_core: graded_6\n  forfeiture_policy: pay_expenses\n")


def query(db, sql):
    con = duckdb.connect(str(db), read_only=str(db) != ":memory:")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("text, key, line, col", [
    ("plan_design:\n  match_formula: stretchy\n", "plan_design.match_formula", 2, 18),
    ("plan_design:\n  match_tiers: \"0.05:1.0, 0.03:0.5\"\n", "plan_design.match_tiers", 2, 16),
    ("plan_design:\n  match_tiers: \"0.03\"\n", "plan_design.match_tiers", 2, 16),
    ("plan_design:\n  vesting_core: graded_1\n", "plan_design.vesting_core", 2, 17),
    ("plan_design:\n  vesting_match: \"0, 50, 40, 100\"\n", "plan_design.vesting_match", 2, 18),
    ("plan_design:\n  core_rate: 1.5\n", "plan_design.core_rate", 2, 14),
    ("plan_design:\n  forfeiture_policy: keep\n", "plan_design.forfeiture_policy", 2, 22),
    ("plan_design:\n  ndt_method: both\n", "plan_design.ndt_method", 2, 15),
    ("plan_design:\n  match_formla: tiers\n", "plan_design.match_formla", 2, 3),
])
def test_bad_plan_design_is_refused_naming_the_key(wfsim, tmp_path, text, key, line, col):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(text)
    proc = run_wfsim(wfsim, "config", "--config", cfg, check=False)
    assert proc.returncode == 2
    assert f"{cfg}:{line}:{col}:" in proc.stderr and key in proc.stderr, proc.stderr


def test_plan_design_is_outside_the_digest(wfsim, tmp_path):
    cfg = tmp_path / "rich.yaml"
    cfg.write_text(RICH.replace("simulation:\n  scenario_id: rich\n" + YEARS, ""))
    a = run_wfsim(wfsim, "config", "--config", cfg).stdout
    b = run_wfsim(wfsim, "config").stdout
    assert a == b and "plan_design\"" not in a and "match_formula" not in a
    pd = json.loads(run_wfsim(wfsim, "config", "--config", cfg, "--plan-design").stdout)
    assert pd["match_formula"] == "safe_harbor_enhanced" and pd["core_rate"] == 0.03
    assert pd["vesting_core"] == "graded_6" and pd["match_max_dollars"] is None


def _designs(tmp_path, name, extra_vars):
    cfg = subprocess.run([os.path.join(ROOT, "build", "wfsim"), "config"], check=True,
                         capture_output=True, text=True).stdout.strip()
    work = tmp_path / name
    variables = {"wfsim_config": cfg, **extra_vars}
    env = dict(os.environ, WFSIM_DBT_DB=str(work / "w.duckdb"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    subprocess.run([DBT, "run", "--project-dir", os.path.join(ROOT, "dbt"), "--profiles-dir",
                    os.path.join(ROOT, "dbt"), "--target-path", str(work / "target"), "--log-path",
                    str(work / "logs"), "--select", "int_plan_designs", "int_plan_design_tiers",
                    "int_plan_design_vesting", "--vars", json.dumps(variables)],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    db = work / "w.duckdb"
    return [query(db, f"select * from main.{t} order by all")
            for t in ("int_plan_designs", "int_plan_design_tiers", "int_plan_design_vesting")]


def test_dbt_fallback_design_equals_the_loaders_defaults(wfsim, tmp_path):
    loader = json.loads(run_wfsim(wfsim, "config", "--plan-design").stdout)
    given = _designs(tmp_path, "given", {"wfsim_plan_design": loader})
    fallback = _designs(tmp_path, "fallback", {})
    assert given == fallback
    # and both are the former seed tables: 100 % of 3 %, 50 % of the next 2 %
    assert [r[2:] for r in given[1]] == [(1, 0, 300, 10000), (2, 300, 500, 5000)]


@pytest.fixture(scope="module")
def ens(wfsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("plan_ens")
    run_wfsim(wfsim, "census", "--employees", 200, "--seed", 7, "--out", d / "census.csv")
    (d / "base.yaml").write_text(BASE)
    (d / "rich.yaml").write_text(RICH)
    out = d / "ens"
    run_wfsim(wfsim, "ensemble", "--census", d / "census.csv", "--scenario", d / "base.yaml",
              "--scenario", d / "rich.yaml", "--seeds", 2, "--threads", 2, "--out", out)
    return out


def test_plan_design_changes_costs_not_events(ens):
    events = {}
    for s in ("base", "rich"):
        events[s] = query(":memory:", f"""
            select random_seed, simulation_year, employee_id, event_type, event_date,
                   compensation_amount, employee_deferral_rate
            from read_parquet('{ens}/events/**/*.parquet', hive_partitioning = true)
            where scenario_id = '{s}' order by all""")
    assert events["base"] and events["base"] == events["rich"]
    db = ens / "wfsim.duckdb"
    rows = query(db, """
        select scenario_id, random_seed, simulation_year, headcount_end, hires, employer_match,
               employer_core, forfeitures, net_employer_cost, employer_cost
        from main.fct_replicate_metrics order by random_seed, simulation_year, scenario_id""")
    assert len(rows) == 2 * 2 * 2
    for base, rich in zip(rows[0::2], rows[1::2]):
        assert (base[0], rich[0]) == ("base", "rich")
        assert base[1:5] == rich[1:5]              # same seed, year, headcount, hires
        assert base[6] == 0 and rich[6] > 0        # core only in the rich design
        assert base[5] != rich[5]                  # another match formula
        assert rich[8] == rich[9]                  # pay_expenses: nothing offsets the cost
    # the default design offsets last year's forfeitures (immediate vesting: none)
    assert all(r[7] == 0 and r[8] == r[9] for r in rows if r[0] == "base")
    ndt = query(db, """select scenario_id, test, is_exempt, passed from main.fct_ndt_results
                       order by all""")
    assert {(r[0], r[1], r[2]) for r in ndt} == {("base", "ACP", False), ("base", "ADP", False),
                                                 ("rich", "ACP", True), ("rich", "ADP", True)}
    assert all(r[3] for r in ndt if r[0] == "rich")
    # graded core vesting: leavers with under 6 years forfeit part of the core
    forfeits = query(db, """select count(*), sum(forfeited_core) from main.fct_workforce_snapshot
                            where scenario_id = 'rich' and forfeited_core > 0""")[0]
    assert forfeits[0] > 0 and forfeits[1] > 0
