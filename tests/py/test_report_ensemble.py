"""The report of a real `wfsim ensemble` folder: two scenarios (a baseline
with thresholds, and one that auto-enrolls at 8% with a 15% escalation
cap) over 8 seeds. The ensemble writes the report itself; the tests check
the ensemble sections and sheets against fct_metric_distributions,
fct_scenario_differences and fct_threshold_probabilities with queries of
their own, and that Chromium opens the page cleanly."""
import duckdb
import openpyxl
import pytest

from cdp_browser import Browser
from engine_util import run_wfsim
from test_report import assert_table_equals, parse_tables, rows

BASE = """simulation:
  start_year: 2025
  end_year: 2027
  random_seed: 40
  scenario_id: baseline
thresholds:
  employer_cost: 600000
  participation_rate: 0.8
"""
AUTO8 = """simulation:
  start_year: 2025
  end_year: 2027
  random_seed: 40
  scenario_id: auto8
auto_enrollment:
  default_deferral_rate: 0.08
auto_escalation:
  cap: 0.15
plan_design:
  match:
    formula: safe_harbor_enhanced
  vesting:
    core: cliff_3
  core:
    rate: 0.01
"""


@pytest.fixture(scope="module")
def ens(wfsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("report_ensemble")
    (d / "base.yaml").write_text(BASE)
    (d / "auto8.yaml").write_text(AUTO8)
    run_wfsim(wfsim, "census", "--employees", 300, "--seed", 4, "--out", d / "census.csv")
    proc = run_wfsim(wfsim, "ensemble", "--census", d / "census.csv", "--scenario",
                     d / "base.yaml", "--scenario", d / "auto8.yaml", "--seeds", 8,
                     "--out", d / "ens")
    assert "wfsim report: wrote" in proc.stderr
    return d / "ens"


@pytest.fixture(scope="module")
def db(ens):
    con = duckdb.connect(str(ens / "wfsim.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def page_tables(ens):
    return parse_tables((ens / "report.html").read_text())


@pytest.mark.parametrize("metric", ["participation_rate", "employer_cost"])
def test_fan_tables_equal_distributions(page_tables, db, metric):
    want = rows(db, "select scenario_id, simulation_year, n_seeds, p10, p25, p50, p75, p90, mean "
                    f"from fct_metric_distributions where metric = '{metric}' "
                    "order by scenario_id <> 'baseline', scenario_id, simulation_year")
    assert [r[2] for r in want] == [8] * 6
    assert_table_equals(page_tables[f"fan_{metric}"], want)


@pytest.mark.parametrize("metric", ["participation_rate", "employer_cost"])
def test_difference_tables_equal_paired_differences(page_tables, db, metric):
    want = rows(db, "select scenario_id, baseline_scenario_id, simulation_year, n_seeds, p10, "
                    "p25, p50, p75, p90, mean_diff, sd_paired, sd_unpaired, sd_ratio "
                    f"from fct_scenario_differences where metric = '{metric}' "
                    "order by scenario_id, simulation_year")
    assert {r[0] for r in want} == {"auto8"} and len(want) == 3
    assert_table_equals(page_tables[f"difference_{metric}"], want)


def test_threshold_table_equals_probabilities(page_tables, db):
    t = page_tables["thresholds"]
    cols = ", ".join(t["columns"])
    want = rows(db, f"select {cols} from fct_threshold_probabilities "
                    "order by scenario_id <> 'baseline', scenario_id, plan_design_id, "
                    "simulation_year, metric")
    assert len(want) == 2 * 3 * 2
    assert_table_equals(t, want)


def test_plan_design_tables_per_scenario(page_tables, db):
    """Cost by source and the ADP/ACP tests of every scenario at the shown
    seed (40), the baseline first; auto8's safe harbor is marked exempt."""
    want = rows(db, "select p.scenario_id, p.simulation_year, p.employer_match, p.employer_core,"
                    " p.employer_cost, p.forfeitures, d.forfeiture_policy, p.forfeitures_applied,"
                    " p.net_employer_cost from metrics_plan_by_year p"
                    " join int_replicate_plan_design d using (scenario_id, plan_design_id, random_seed)"
                    " where p.random_seed = 40"
                    " order by p.scenario_id <> 'baseline', p.scenario_id, p.simulation_year")
    assert [r[0] for r in want] == ["baseline"] * 3 + ["auto8"] * 3
    assert all(r[3] == 0 for r in want[:3]) and all(r[3] > 0 for r in want[3:])
    assert_table_equals(page_tables["plan_cost"], want)
    want = rows(db, "select scenario_id, simulation_year, test, method, nhce_basis_year, hce_count,"
                    " nhce_count, hce_average, nhce_average, limit_value,"
                    " case when is_exempt then 'exempt (safe harbor)' when passed then 'passed'"
                    " else 'failed' end, margin from fct_ndt_results where random_seed = 40"
                    " order by scenario_id <> 'baseline', scenario_id, simulation_year, test")
    assert len(want) == 2 * 3 * 2
    assert {r[10] for r in want if r[0] == "auto8"} == {"exempt (safe harbor)"}
    assert {r[10] for r in want if r[0] == "baseline"} <= {"passed", "failed"}
    assert_table_equals(page_tables["nondiscrimination"], want)


def test_page_says_ensemble_and_what_differs(ens):
    text = (ens / "report.html").read_text()
    assert "An ensemble of 2 scenario(s) over 8 seeds" in text
    assert "8 seeds, 40 to 47" in text
    assert "auto_enrollment.default_deferral_rate_bp</code>: 800" in text
    assert "auto_escalation.cap_bp</code>: 1500" in text
    assert "scenario baseline, seed 40 (one replicate" in text


def test_ensemble_sheets_equal_marts(ens, db):
    book = openpyxl.load_workbook(ens / "report.xlsx")
    assert book.sheetnames == ["Summary", "By year", "By level", "Plan cost", "Nondiscrimination",
                               "Workforce mix",
                               "Distributions", "Scenario differences",
                               "Threshold probabilities", "Events by type", "Metadata"]
    for title, sql in (
            ("Distributions", "select * from fct_metric_distributions "
                              "order by scenario_id, plan_design_id, metric, simulation_year"),
            ("Scenario differences", "select * from fct_scenario_differences "
                                     "order by scenario_id, metric, simulation_year")):
        ws = book[title]
        got = [list(r) for r in ws.iter_rows(values_only=True)]
        rel = db.execute(sql)
        assert got[0] == [d[0] for d in rel.description]
        want = rel.fetchall()
        assert len(got) - 1 == len(want) > 0
        for g, w in zip(got[1:], want):
            for a, b in zip(g, w):
                if isinstance(b, float):
                    assert a == pytest.approx(b, rel=1e-15, abs=0)
                else:
                    assert a == b
        rate_row = next(r for r in ws.iter_rows(min_row=2) if r[3].value == "participation_rate")
        assert "%" in rate_row[5].number_format
    assert len(list(book["Plan cost"].iter_rows())) - 1 == 2 * 8 * 3
    assert len(list(book["Nondiscrimination"].iter_rows())) - 1 == 2 * 8 * 3 * 2
    by_year = list(book["By year"].iter_rows(values_only=True))
    assert by_year[0][:4] == ("scenario_id", "plan_design_id", "random_seed", "simulation_year")
    assert len(by_year) - 1 == 2 * 8 * 3


def test_chromium_opens_the_ensemble_page(ens):
    uri = (ens / "report.html").resolve().as_uri()
    with Browser() as b:
        b.open(uri)
        assert b.console_errors() == []
        assert b.requests() == [uri]
        assert b.pdf().startswith(b"%PDF-")
