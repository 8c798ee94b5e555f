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

# at import, as test_python_api does: the installed package (with its
# engine), before test_report puts the source tree's python/ first
import wfsim as wf
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
        + "plan_design:\n  match:\n    formula: safe_harbor_enhanced\n  core:\n    rate: 0.03\n"
        + "  vesting:\n    core: graded_6\n  forfeiture_policy: pay_expenses\n")

# the issue's example, whole
ISSUE = """plan_design:
  match:
    formula: tiers
    tiers:
      - {up_to: 0.03, rate: 1.0}
      - {up_to: 0.05, rate: 0.5}
    by_service:
      - {min_years: 5, tiers: [{up_to: 0.06, rate: 1.0}]}
    max_dollars: null
    true_up: false
    requires: {min_service_years: 0, active_at_year_end: false}
  core:
    rate: 0.02
    requires: {min_service_years: 0, active_at_year_end: false}
  vesting:
    match: immediate
    core: graded_6
  forfeiture_policy: offset_next_year
"""


def query(db, sql):
    con = duckdb.connect(str(db), read_only=str(db) != ":memory:")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


PD = "plan_design:\n"
TIERS2 = "    tiers:\n      - {up_to: 0.03, rate: 1.0}\n"


@pytest.mark.parametrize("text, key, line, col", [
    (PD + "  match:\n    formula: stretchy\n", "plan_design.match.formula", 3, 14),
    # tiers not increasing
    (PD + "  match:\n" + TIERS2 + "      - {up_to: 0.03, rate: 0.5}\n",
     "plan_design.match.tiers[1].up_to", 5, 17),
    # a rate outside [0, 10]
    (PD + "  match:\n" + TIERS2 + "      - {up_to: 0.05, rate: 10.5}\n",
     "plan_design.match.tiers[1].rate", 5, 29),
    (PD + "  match:\n    tiers: [{up_to: 0, rate: 1}]\n", "plan_design.match.tiers[0].up_to", 3, 21),
    (PD + "  match:\n    tiers: [{up_to: 0.03}]\n", "plan_design.match.tiers[0]", 3, 13),
    (PD + "  match:\n    tiers: \"0.03:1.0\"\n", "plan_design.match.tiers", 3, 12),
    (PD + "  match:\n    by_service:\n      - {min_years: 5, tiers: [{up_to: 0.06, rate: 1}]}\n"
     "      - {min_years: 5, tiers: [{up_to: 0.08, rate: 1}]}\n",
     "plan_design.match.by_service[1].min_years", 5, 21),
    (PD + "  match:\n    by_service:\n      - {min_years: 5, tiers: [{up_to: 0.06, rate: -1}]}\n",
     "plan_design.match.by_service[0].tiers[0].rate", 4, 52),
    (PD + "  match:\n    formula: safe_harbor_basic\n" + TIERS2, "plan_design.match.tiers", 5, 7),
    (PD + "  match:\n    formula: stretch\n", "plan_design.match.formula", 3, 14),
    (PD + "  match:\n    requires: {min_service_years: 61}\n",
     "plan_design.match.requires.min_service_years", 3, 35),
    (PD + "  match:\n    true_up: yes\n", "plan_design.match.true_up", 3, 14),
    (PD + "  match:\n    max_dollars: -5\n", "plan_design.match.max_dollars", 3, 18),
    (PD + "  match:\n    max_dollars: 1e12\n", "plan_design.match.max_dollars", 3, 18),
    # both core.by_service and core.by_age
    (PD + "  core:\n    by_service: [{min_years: 1, rate: 0.01}]\n    by_age: [{min_age: 50, rate: 0.02}]\n",
     "plan_design.core.by_age", 4, 13),
    (PD + "  core:\n    rate: 0.02\n    by_age: [{min_age: 50, rate: 0.02}]\n", "plan_design.core.rate", 3, 11),
    (PD + "  core:\n    rate: 1.5\n", "plan_design.core.rate", 3, 11),
    (PD + "  core:\n    by_service: [{min_age: 1, rate: 0.01}]\n", "plan_design.core.by_service[0].min_age", 3, 19),
    # vesting lists: non-decreasing, ending at 100
    (PD + "  vesting:\n    match: [0, 50, 40, 100]\n", "plan_design.vesting.match[2]", 3, 20),
    (PD + "  vesting:\n    match: [0, 50, 80]\n", "plan_design.vesting.match", 3, 12),
    (PD + "  vesting:\n    core: graded_1\n", "plan_design.vesting.core", 3, 11),
    (PD + "  forfeiture_policy: keep\n", "plan_design.forfeiture_policy", 2, 22),
    (PD + "  nondiscrimination: {method: both}\n", "plan_design.nondiscrimination.method", 2, 31),
    # unknown keys, at every level; the old flat keys are unknown too
    (PD + "  match:\n    formla: tiers\n", "plan_design.match.formla", 3, 5),
    (PD + "  match:\n    requires: {min_service: 1}\n", "plan_design.match.requires.min_service", 3, 16),
    (PD + "  match_formula: tiers\n", "plan_design.match_formula", 2, 3),
    (PD + "  match:\n    formula: tiers\n    formula: none\n", "plan_design.match.formula", 4, 5),
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
    assert a == b and "plan_design\"" not in a and "formula" not in a
    pd = json.loads(run_wfsim(wfsim, "config", "--config", cfg, "--plan-design").stdout)
    assert pd["match"]["formula"] == "safe_harbor_enhanced" and pd["core"]["rate"] == 0.03
    assert pd["match"]["tiers"] == [] and pd["match"]["max_dollars"] is None
    assert pd["vesting"] == {"match": "immediate", "core": "graded_6"}
    assert pd["forfeiture_policy"] == "pay_expenses"


def test_the_issues_example_reads_back_as_written(wfsim, tmp_path):
    cfg = tmp_path / "issue.yaml"
    cfg.write_text(ISSUE + "    # a vesting list instead of a word\n")
    pd = json.loads(run_wfsim(wfsim, "config", "--config", cfg, "--plan-design").stdout)
    assert pd["match"] == {
        "formula": "tiers", "tiers": [{"up_to": 0.03, "rate": 1.0}, {"up_to": 0.05, "rate": 0.5}],
        "by_service": [{"min_years": 5, "tiers": [{"up_to": 0.06, "rate": 1.0}]}],
        "max_dollars": None, "true_up": False,
        "requires": {"min_service_years": 0, "active_at_year_end": False}}
    assert pd["core"] == {"rate": 0.02, "by_service": [], "by_age": [],
                          "requires": {"min_service_years": 0, "active_at_year_end": False}}
    assert pd["vesting"] == {"match": "immediate", "core": "graded_6"}
    cfg.write_text("plan_design:\n  vesting: {match: [0, 20, 40, 60, 80, 100], core: cliff_3}\n"
                   "  core:\n    by_age: [{min_age: 0, rate: 0.01}, {min_age: 50, rate: 0.03}]\n"
                   "    requires: {min_service_years: 1, active_at_year_end: true}\n"
                   "  nondiscrimination: {method: current_year, top_paid_group: true}\n")
    pd = json.loads(run_wfsim(wfsim, "config", "--config", cfg, "--plan-design").stdout)
    assert pd["vesting"] == {"match": [0, 20, 40, 60, 80, 100], "core": "cliff_3"}
    assert pd["core"]["by_age"] == [{"min_age": 0, "rate": 0.01}, {"min_age": 50, "rate": 0.03}]
    assert pd["core"]["requires"] == {"min_service_years": 1, "active_at_year_end": True}
    assert pd["nondiscrimination"] == {"method": "current_year", "top_paid_group": True}


def test_python_dict_config_takes_the_nested_shape(wfsim, tmp_path):
    """wfsim.load_config(dict) with the plan design as nested dicts and lists:
    accepted when right, refused naming the key path when wrong."""
    cfg = wf.load_config({"simulation": {"start_year": 2025, "end_year": 2026},
                         "plan_design": {"match": {"formula": "stretch",
                                                   "tiers": [{"up_to": 0.06, "rate": 0.5}],
                                                   "by_service": [{"min_years": 5, "tiers": [
                                                       {"up_to": 0.06, "rate": 1.0}]}]},
                                         "vesting": {"core": [0, 0, 50, 100]},
                                         "core": {"by_service": [{"min_years": 3, "rate": 0.02}]}}})
    assert cfg.to_dict()["simulation"]["end_year"] == 2026
    # the dict became YAML text that the engine's loader checked; the CLI's
    # loader reads the same text to the same plan design
    (tmp_path / "dict.yaml").write_text(cfg._text)
    pd = json.loads(run_wfsim(wfsim, "config", "--config", tmp_path / "dict.yaml",
                              "--plan-design").stdout)
    assert pd["match"]["formula"] == "stretch"
    assert pd["match"]["tiers"] == [{"up_to": 0.06, "rate": 0.5}]
    assert pd["match"]["by_service"][0]["min_years"] == 5
    assert pd["vesting"]["core"] == [0, 0, 50, 100]
    assert pd["core"]["by_service"] == [{"min_years": 3, "rate": 0.02}]
    with pytest.raises(wf.InputError) as e:
        wf.load_config({"plan_design": {"match": {"tiers": [{"up_to": 0.05, "rate": 1.0},
                                                           {"up_to": 0.03, "rate": 1.0}]}}})
    assert e.value.key == "plan_design.match.tiers[1].up_to"


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
    assert [r[1:] for r in given[1]] == [("base", 0, 1, 0, 300, 10000), ("base", 0, 2, 300, 500, 5000)]


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
