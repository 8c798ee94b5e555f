"""The dbt project's state, metrics and data tests (dbt/models/state,
dbt/models/metrics, dbt/tests), run on the golden example of
tests/vectors/golden: the events and snapshot CSVs are written as the
engine's Hive-partitioned Parquet (docs/model.md 5.1/5.2 types), then
`dbt build --select +state metrics` runs every model and data test.

Checks: the whole build passes; the snapshot dbt rebuilds from census +
events equals golden snapshot.csv value for value (default and alt
configurations); headcounts and targets agree with golden summary.json
(also when no summary is given and dbt recomputes the targets); one
employee's prorated pay and contributions agree with a hand computation;
and tampered inputs (a duplicated event, an event after a termination, a
changed engine snapshot) make exactly the matching dbt test fail.

Each dbt invocation gets its own DuckDB file (WFSIM_DBT_DB), target and
log folders under a temporary directory, so runs never collide."""
import datetime
import json
import os
import pathlib
import shutil
import subprocess
from decimal import Decimal

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DBT = ROOT / ".venv" / "bin" / "dbt"

EVENT_COLUMNS = """
    simulation_year::INTEGER AS simulation_year, event_id, scenario_id, plan_design_id,
    random_seed::BIGINT AS random_seed, employee_id, event_type, event_category,
    event_date::DATE AS event_date, event_sequence::INTEGER AS event_sequence,
    level_id::INTEGER AS level_id, previous_level_id::INTEGER AS previous_level_id,
    compensation_amount::DECIMAL(18,2) AS compensation_amount,
    previous_compensation::DECIMAL(18,2) AS previous_compensation,
    employee_deferral_rate::DECIMAL(9,4) AS employee_deferral_rate,
    prev_employee_deferral_rate::DECIMAL(9,4) AS prev_employee_deferral_rate,
    employee_age::INTEGER AS employee_age, employee_tenure::INTEGER AS employee_tenure,
    age_band, tenure_band, event_probability::DOUBLE AS event_probability,
    TIMESTAMP '2026-01-01 00:00:00' AS created_at
"""

SNAPSHOT_COLUMNS = """
    simulation_year::INTEGER AS simulation_year, employee_id, employment_status,
    birth_date::DATE AS birth_date, hire_date::DATE AS hire_date,
    termination_date::DATE AS termination_date, level_id::INTEGER AS level_id,
    salary::DECIMAL(18,2) AS salary, eligibility_date::DATE AS eligibility_date,
    is_enrolled::BOOLEAN AS is_enrolled, deferral_rate::DECIMAL(9,4) AS deferral_rate,
    enrollment_source, ever_opted_out::BOOLEAN AS ever_opted_out
"""

# docs/config.md canonical form of tests/vectors/golden/alt_config.yaml.
ALT_CONFIG = {
    "simulation": {"start_year": 2025, "end_year": 2027, "random_seed": 31337,
                   "scenario_id": "golden-alt", "plan_design_id": "plan.A"},
    "workforce": {"target_growth_rate_ppm": 50000, "termination_rate_ppm": 150000,
                  "new_hire_termination_rate_ppm": 200000, "retirement_age": 60,
                  "retirement_probability": 0.5},
    "compensation": {"cola_rate": 0.02, "merit_probability": 0.6,
                     "salary_structure_growth": 0.03, "promotion_raise_mean": 0.12,
                     "promotion_raise_spread": 0.02, "new_hire_salary_spread": 0.05,
                     "promotion_date": "01-01", "merit_date": "10-01"},
    "eligibility": {"minimum_age": 21, "waiting_period_days": 30},
    "auto_enrollment": {"enabled": True, "hire_date_cutoff": "2024-01-01",
                        "default_deferral_rate_bp": 300, "window_days": 60,
                        "opt_out_grace_days": 45},
    "voluntary_enrollment": {"enabled": True, "enrollment_date": "02-15"},
    "auto_escalation": {"enabled": True, "scope": "all_enrolled", "increment_bp": 200,
                        "cap_bp": 1500, "delay_years": 1, "effective_date": "04-01"},
}


def write_engine_output(golden_dir, out, snapshot=True, summary=True):
    """Write golden events (and snapshot, summary) as the engine would."""
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT {EVENT_COLUMNS} FROM read_csv('{golden_dir}/events.csv', all_varchar=true)"
        f" ORDER BY simulation_year, employee_id, event_sequence)"
        f" TO '{out}' (FORMAT parquet, PARTITION_BY (simulation_year), COMPRESSION zstd,"
        f" OVERWRITE_OR_IGNORE true)")
    if snapshot:
        con.execute(
            f"COPY (SELECT {SNAPSHOT_COLUMNS} FROM read_csv('{golden_dir}/snapshot.csv', all_varchar=true)"
            f" ORDER BY simulation_year, employee_id)"
            f" TO '{out}/workforce_snapshot' (FORMAT parquet, PARTITION_BY (simulation_year),"
            f" COMPRESSION zstd, OVERWRITE_OR_IGNORE true)")
    if summary:
        shutil.copy(golden_dir / "summary.json", out / "generation_summary.json")
    con.close()


def run_dbt(work, command, out, census, select, snapshot=True, config=None, extra=(), extra_vars=None):
    """Run one dbt command in its own database; return (rc, {test or model name: status}, log)."""
    work.mkdir(parents=True, exist_ok=True)
    variables = {"events_path": str(out),
                 "snapshot_path": str(out / "workforce_snapshot") if snapshot else "",
                 "census_path": str(census)}
    # The state models take the configuration from the engine's loader
    # only: the defaults are what `wfsim config` prints.
    if config is None:
        config = subprocess.run([str(ROOT / "build" / "wfsim"), "config"], check=True,
                                capture_output=True, text=True).stdout.strip()
    variables["wfsim_config"] = config
    variables.update(extra_vars or {})
    env = dict(os.environ, WFSIM_DBT_DB=str(work / "wfsim.duckdb"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    proc = subprocess.run(
        [str(DBT), command, "--project-dir", str(ROOT / "dbt"), "--profiles-dir", str(ROOT / "dbt"),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
         "--select", *select, "--vars", json.dumps(variables), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    results = {}
    rr = work / "target" / "run_results.json"
    if rr.exists():
        for r in json.loads(rr.read_text())["results"]:
            results[r["unique_id"].split(".")[2]] = r["status"]
    return proc.returncode, results, proc.stdout + proc.stderr


@pytest.fixture(scope="session")
def golden_default(tmp_path_factory, vectors):
    """The full build on the golden default run, with engine snapshot and summary."""
    tmp = tmp_path_factory.mktemp("dbt_default")
    out = tmp / "out"
    write_engine_output(vectors / "golden/default", out)
    rc, results, log = run_dbt(tmp / "run", "build", out, vectors / "golden/census.csv",
                               ["+state", "metrics"], extra_vars={"summary_csv": str(tmp / "summary.csv")})
    return {"rc": rc, "results": results, "log": log, "db": tmp / "run" / "wfsim.duckdb", "out": out,
            "summary_csv": tmp / "summary.csv"}


@pytest.fixture(scope="session")
def golden_alt(tmp_path_factory, vectors):
    """The alt configuration, given as wfsim_config, without generation_summary.json,
    and without an engine snapshot although snapshot_path names its folder (as
    `wfsim run` does when the engine wrote none)."""
    tmp = tmp_path_factory.mktemp("dbt_alt")
    out = tmp / "out"
    write_engine_output(vectors / "golden/alt", out, snapshot=False, summary=False)
    rc, results, log = run_dbt(tmp / "run", "build", out, vectors / "golden/census.csv",
                               ["+state", "metrics"], config=ALT_CONFIG)
    return {"rc": rc, "results": results, "log": log, "db": tmp / "run" / "wfsim.duckdb", "out": out}


def query(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def snapshot_difference(db, golden_csv):
    """Rows of golden snapshot.csv and of fct_workforce_snapshot found on one side only."""
    text = ("simulation_year::VARCHAR, employee_id, employment_status, birth_date::VARCHAR,"
            " hire_date::VARCHAR, coalesce(termination_date::VARCHAR, ''), level_id::VARCHAR,"
            " salary::VARCHAR, eligibility_date::VARCHAR, is_enrolled::VARCHAR,"
            " deferral_rate::VARCHAR, coalesce(enrollment_source, ''), ever_opted_out::VARCHAR")
    gold = (f"SELECT {text} FROM (SELECT {SNAPSHOT_COLUMNS} FROM read_csv('{golden_csv}', all_varchar=true))")
    mine = f"SELECT {text} FROM main.fct_workforce_snapshot"
    return (query(db, f"{gold} EXCEPT ALL {mine}"), query(db, f"{mine} EXCEPT ALL {gold}"))


def test_build_passes_on_golden_default(golden_default):
    assert golden_default["rc"] == 0, golden_default["log"][-4000:]
    results = golden_default["results"]
    bad = {k: v for k, v in results.items() if v not in ("success", "pass")}
    assert not bad, bad
    # the invariants and the main correctness test really ran
    for name in ["assert_snapshot_matches_engine", "assert_year_end_headcount_equals_target",
                 "assert_events_well_formed", "assert_snapshot_deferral_consistent",
                 "assert_deferral_rates_within_bounds", "assert_eligibility_before_enrollment",
                 "assert_new_hire_status_has_hire_event", "assert_termination_on_or_after_hire",
                 "assert_level_flow_balances",
                 "metrics_summary", "fct_workforce_snapshot"]:
        assert results.get(name) in ("success", "pass"), name


def test_snapshot_equals_golden_snapshot_csv(golden_default, vectors):
    only_gold, only_dbt = snapshot_difference(golden_default["db"],
                                              vectors / "golden/default/snapshot.csv")
    assert only_gold == [] and only_dbt == []
    assert query(golden_default["db"], "select count(*) from main.fct_workforce_snapshot")[0][0] == 392


def test_alt_configuration_without_summary(golden_alt, vectors):
    assert golden_alt["rc"] == 0, golden_alt["log"][-4000:]
    bad = {k: v for k, v in golden_alt["results"].items() if v not in ("success", "pass")}
    assert not bad, bad
    only_gold, only_dbt = snapshot_difference(golden_alt["db"], vectors / "golden/alt/snapshot.csv")
    assert only_gold == [] and only_dbt == []
    # targets and quotas recomputed by dbt equal the reference's figures
    summary = json.loads((vectors / "golden/alt/summary.json").read_text())
    rows = query(golden_alt["db"],
                 "select simulation_year, figures_source, start_headcount, target, hire_quota, te_quota,"
                 " new_hire_termination_quota from main.int_workforce_needs order by 1")
    assert [r[0] for r in rows] == [y["year"] for y in summary["per_year"]]
    for r, y in zip(rows, summary["per_year"]):
        assert r[1] == "recomputed"
        assert (r[2], r[3], r[4], r[5], r[6]) == (y["N"], y["target"], y["H"], y["Te"], y["Tnh"])


def test_headcount_metrics_agree_with_summary(golden_default, vectors):
    summary = json.loads((vectors / "golden/default/summary.json").read_text())
    rows = query(golden_default["db"],
                 "select simulation_year, start_headcount, hires, end_headcount, target, figures_source,"
                 " retirements from main.metrics_workforce_by_year order by 1")
    assert len(rows) == 5
    for r, y in zip(rows, summary["per_year"]):
        assert r == (y["year"], y["N"], y["H"], y["year_end_headcount"], y["target"],
                     "generation_summary", y["R"])
    # start headcount by level at January 1 matches the reference's count
    by_level = query(golden_default["db"],
                     "select simulation_year, level_id, start_headcount, hires"
                     " from main.metrics_headcount_by_level order by 1, 2")
    for y in summary["per_year"]:
        starts = {str(lv): n for (yr, lv, n, _h) in by_level if yr == y["year"]}
        hires = {str(lv): h for (yr, lv, _n, h) in by_level if yr == y["year"]}
        assert starts == y["metrics"]["start_headcount_by_level"]
        assert {k: v for k, v in hires.items() if v} == \
            {k: v for k, v in y["metrics"]["hires_by_level"].items() if v}
    assert query(golden_default["db"], "select count(*) from main.metrics_summary")[0][0] == 5


def test_metrics_summary_csv_written(golden_default):
    """With var summary_csv, metrics_summary is also written there (wfsim run prints it)."""
    lines = golden_default["summary_csv"].read_text().splitlines()
    header = lines[0].split(",")
    assert header[:6] == ["year", "start_hc", "hires", "terms", "end_hc", "target"]
    assert all(len(h) <= 13 for h in header)
    rows = query(golden_default["db"], "select year, start_hc, end_hc, target from main.metrics_summary order by year")
    assert [tuple(int(x) for x in line.split(",")[:1] + line.split(",")[4:6]) for line in lines[1:]] == \
        [(r[0], r[2], r[3]) for r in rows]
    assert len(lines) == 6
    assert lines[1].split(",")[header.index("salary_growth")] == "-"   # no year before the first


def _years(birth, day):
    return day.year - birth.year - ((birth.month, birth.day) > (day.month, day.day))


def test_prorated_pay_and_contributions_by_hand(golden_default, vectors):
    """EMP_000002 in 2025 from the golden files alone: salary segments
    around the merit raise, the 401(a)(17) and 402(g) limits, the match."""
    census = query(golden_default["db"],
                   f"select birth_date, salary::DOUBLE, deferral_rate::DOUBLE from read_csv("
                   f"'{vectors}/golden/census.csv', all_varchar=true) where employee_id = 'EMP_000002'")
    birth, salary0, rate = census[0]
    birth = datetime.date.fromisoformat(str(birth))
    events = query(golden_default["db"],
                   f"select event_date, compensation_amount::DOUBLE, event_type from read_csv("
                   f"'{vectors}/golden/default/events.csv', all_varchar=true)"
                   f" where employee_id = 'EMP_000002' and simulation_year = '2025' order by event_sequence::INT")
    assert [e[2] for e in events] == ["raise"]          # one salary change, no deferral change
    change = datetime.date.fromisoformat(str(events[0][0]))
    before = (change - datetime.date(2025, 1, 1)).days
    after = 365 - before
    prorated = round((salary0 * 100 * before + events[0][1] * 100 * after) / 365) / 100
    plan = min(prorated, 350000.0)
    uncapped = rate * plan
    limit = 23500.0 + (7500.0 if _years(birth, datetime.date(2025, 12, 31)) >= 50 else 0.0)
    contributions = min(uncapped, limit)
    match_rate = min(rate, 0.03) * 1.0 + max(0.0, min(rate, 0.05) - 0.03) * 0.5
    match = match_rate * plan * (contributions / uncapped)
    row = query(golden_default["db"],
                "select prorated_compensation::DOUBLE, plan_compensation::DOUBLE,"
                " employee_contributions::DOUBLE, employer_match::DOUBLE, employer_core::DOUBLE,"
                " is_at_deferral_limit, days_employed, status_code"
                " from main.fct_workforce_snapshot where employee_id = 'EMP_000002' and simulation_year = 2025")[0]
    assert row[0] == pytest.approx(prorated, abs=0.006)
    assert row[1] == pytest.approx(plan, abs=0.006)
    assert row[2] == pytest.approx(contributions, abs=0.02)
    assert row[3] == pytest.approx(match, abs=0.02)
    assert row[4] == 0.0
    assert row[5] is (uncapped > limit)
    assert row[6] == 365
    assert row[7] == "continuing_active"


def test_leaver_is_prorated_to_termination(golden_default):
    """A leaver earns up to the day before the termination date."""
    rows = query(golden_default["db"],
                 "select s.employee_id, s.simulation_year, s.days_employed, s.termination_date,"
                 " s.status_code, s.hire_date from main.fct_workforce_snapshot as s"
                 " where s.employment_status = 'terminated'")
    assert rows
    for emp, year, days, term, status, hire in rows:
        start = max(datetime.date(year, 1, 1), hire)
        assert days == (term - start).days, emp
        assert status in ("retirement", "experienced_termination", "new_hire_termination")


def failing_rules(work, test):
    """(rule, employee_id, simulation_year) of the rows a singular test with
    a `rule` column returns, from its compiled SQL run on the build's
    database."""
    compiled = next((work / "target" / "compiled").rglob(f"{test}.sql")).read_text()
    return sorted(query(work / "wfsim.duckdb",
                        f"select rule, employee_id, simulation_year from ({compiled})"))


def _tamper(vectors, tmp, sql_new_rows):
    """Golden default output plus one extra Parquet file holding `sql_new_rows`
    (a query over the golden events, already typed)."""
    out = tmp / "out"
    write_engine_output(vectors / "golden/default", out)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW ev AS SELECT {EVENT_COLUMNS} FROM read_csv("
                f"'{vectors}/golden/default/events.csv', all_varchar=true)")
    rows = con.execute(f"SELECT DISTINCT simulation_year FROM ({sql_new_rows})").fetchall()
    year = rows[0][0]
    con.execute(f"COPY (SELECT * EXCLUDE (simulation_year) FROM ({sql_new_rows}))"
                f" TO '{out}/simulation_year={year}/tampered.parquet' (FORMAT parquet)")
    con.close()
    return out


def test_duplicated_event_fails_uniqueness(tmp_path, vectors, golden_default):
    # the same event twice: its id, type and sequence repeat (the id's
    # uniqueness is these rules: the id is the MD5 of the employee-year and
    # type, and no type may come twice in an employee-year)
    out = _tamper(vectors, tmp_path, "SELECT * FROM ev WHERE employee_id = 'EMP_000001'"
                                    " AND simulation_year = '2025' AND event_sequence = 1")
    rc, results, log = run_dbt(tmp_path / "run", "build", out, vectors / "golden/census.csv", ["+state"])
    assert rc != 0
    assert results.get("assert_events_well_formed") == "fail", log[-3000:]
    assert golden_default["results"]["assert_events_well_formed"] == "pass"
    assert failing_rules(tmp_path / "run", "assert_events_well_formed") == [
        ("event_sequence", "EMP_000001", 2025), ("event_type twice", "EMP_000001", 2025)]


def test_event_after_termination_fails(tmp_path, vectors, golden_default):
    # EMP_000003 leaves on 2025-07-12 (experienced termination); give them a
    # merit raise the next spring, in the 2026 partition with its own id.
    new_row = ("SELECT * REPLACE (2026 AS simulation_year,"
               " md5('default|default|12345|EMP_000003|2026|raise') AS event_id,"
               " DATE '2026-04-01' AS event_date, 1 AS event_sequence)"
               " FROM ev WHERE employee_id = 'EMP_000003' AND event_type = 'raise'"
               " AND simulation_year = 2025")
    out = _tamper(vectors, tmp_path, new_row)
    rc, results, log = run_dbt(tmp_path / "run", "build", out, vectors / "golden/census.csv", ["+state"])
    assert rc != 0
    assert results.get("assert_events_well_formed") == "fail", log[-3000:]
    assert golden_default["results"]["assert_events_well_formed"] == "pass"
    # a well-formed event in every other respect: only the rule about who
    # may have events fails (the rest downstream is skipped by dbt build)
    failed = {k for k, v in results.items() if v in ("fail", "error")}
    assert failed == {"assert_events_well_formed"}, failed
    assert failing_rules(tmp_path / "run", "assert_events_well_formed") == [
        ("after termination", "EMP_000003", 2026)]


def test_enrollment_before_eligibility_fails(tmp_path, vectors, golden_default):
    # A made-up hire, well formed in every other respect (ids, sequences in
    # date order, one event of each type): enrolled on February 20, hired
    # on March 1 (elig(e): no waiting period, of age), its eligibility
    # event dated March 5.
    def event(event_type, category, day, seq, rate="NULL"):
        return (f"SELECT * REPLACE ('NH_2025_999999' AS employee_id,"
                f" md5('default|default|12345|NH_2025_999999|2025|{event_type}') AS event_id,"
                f" '{event_type}' AS event_type, '{category}' AS event_category,"
                f" DATE '{day}' AS event_date, {seq} AS event_sequence,"
                f" {rate}::DECIMAL(9,4) AS employee_deferral_rate)"
                " FROM ev WHERE employee_id = 'NH_2025_000001' AND event_type = 'hire'")
    new_rows = " UNION ALL ".join([
        event("enrollment", "voluntary_enrollment", "2025-02-20", 1, "0.05"),
        event("hire", "new_hire", "2025-03-01", 2),
        event("eligibility", "eligibility", "2025-03-05", 3)])
    out = _tamper(vectors, tmp_path, new_rows)
    rc, results, log = run_dbt(tmp_path / "run", "build", out, vectors / "golden/census.csv", ["+state"])
    assert rc != 0
    assert results.get("assert_eligibility_before_enrollment") == "fail", log[-3000:]
    assert golden_default["results"]["assert_eligibility_before_enrollment"] == "pass"
    assert results.get("assert_events_well_formed") == "pass"
    compiled = next((tmp_path / "run" / "target" / "compiled").rglob(
        "assert_eligibility_before_enrollment.sql")).read_text()
    assert sorted(query(tmp_path / "run" / "wfsim.duckdb",
                        f"select employee_id, event_date::VARCHAR, eligibility_date::VARCHAR, problem"
                        f" from ({compiled})")) == [
        ("NH_2025_999999", "2025-02-20", "2025-03-01", "enrolled before eligible"),
        ("NH_2025_999999", "2025-02-20", "2025-03-05", "enrollment before its eligibility event"),
        ("NH_2025_999999", "2025-03-05", "2025-03-01", "eligibility event not on elig(e)")]


def test_changed_engine_snapshot_fails_comparison(tmp_path, vectors):
    out = tmp_path / "out"
    write_engine_output(vectors / "golden/default", out)
    part = out / "workforce_snapshot" / "simulation_year=2027"
    files = list(part.glob("*.parquet"))
    assert len(files) == 1
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * REPLACE (CASE WHEN employee_id = 'EMP_000001' THEN salary + 0.01"
                f" ELSE salary END AS salary) FROM read_parquet('{files[0]}'))"
                f" TO '{tmp_path}/changed.parquet' (FORMAT parquet)")
    con.close()
    shutil.move(str(tmp_path / "changed.parquet"), str(files[0]))
    rc, results, log = run_dbt(tmp_path / "run", "build", out, vectors / "golden/census.csv", ["+state"])
    assert rc != 0
    assert results.get("assert_snapshot_matches_engine") == "fail", log[-3000:]
    failed = {k for k, v in results.items() if v in ("fail", "error")}
    assert failed == {"assert_snapshot_matches_engine"}
    # the one changed row, once from each side, with the salary each side has
    compiled = next((tmp_path / "run" / "target" / "compiled").rglob(
        "assert_snapshot_matches_engine.sql")).read_text()
    rows = sorted(query(tmp_path / "run" / "wfsim.duckdb",
                        f"select side, simulation_year, employee_id, salary from ({compiled})"))
    assert [r[:3] for r in rows] == [("only_in_dbt", 2027, "EMP_000001"),
                                     ("only_in_engine", 2027, "EMP_000001")]
    assert rows[1][3] - rows[0][3] == Decimal("0.01")


def test_census_aliases_skips_and_derived_level(tmp_path, vectors):
    """docs/model.md 2.1 through stg_wfsim__census: alias names in any case,
    rows with a termination date or a false `active` skipped, level
    derived from the salary when the column is absent, exact rounding."""
    census = tmp_path / "census.csv"
    census.write_text(
        "Employee_ID,EMPLOYEE_BIRTH_DATE,employee_hire_date,Employee_Gross_Compensation,"
        "employee_termination_date,active,employee_deferral_rate,extra\n"
        "A1,1980-01-01,2010-05-05, 84999.995 ,,true,0.06,x\n"
        "A2,1985-02-02,2012-06-06,85000,,,0.00005,y\n"
        "A3,1990-03-03,2015-07-07,600000,,TRUE,,z\n"
        "B1,1970-01-01,2000-01-01,70000,2020-01-01,true,0.05,gone\n"
        "B2,1971-01-01,2001-01-01,70000,,No,0.05,inactive\n")
    out = tmp_path / "out"
    write_engine_output(vectors / "golden/default", out, snapshot=False, summary=False)
    rc, results, log = run_dbt(tmp_path / "run", "build", out, census, ["+stg_wfsim__census"], snapshot=False,
                               extra=["--indirect-selection", "cautious"])
    assert rc == 0, log[-3000:]
    rows = query(tmp_path / "run" / "wfsim.duckdb",
                 "select employee_id, birth_date::VARCHAR, hire_date::VARCHAR, salary::VARCHAR,"
                 " level_id, deferral_rate::VARCHAR, is_enrolled from main.stg_wfsim__census order by 1")
    assert rows == [
        ("A1", "1980-01-01", "2010-05-05", "85000.00", 2, "0.0600", True),   # 84999.995 -> 85000.00, max 85000 not above
        ("A2", "1985-02-02", "2012-06-06", "85000.00", 2, "0.0001", True),   # 0.00005 rounds half away from zero
        ("A3", "1990-03-03", "2015-07-07", "600000.00", 5, "0.0000", False),  # above every maximum: top level
    ]


def test_census_with_name_and_alias_is_refused(tmp_path, vectors):
    census = tmp_path / "census.csv"
    census.write_text("employee_id,birth_date,hire_date,salary,Employee_Gross_Compensation\n"
                      "A1,1980-01-01,2010-05-05,50000,50000\n")
    out = tmp_path / "out"
    write_engine_output(vectors / "golden/default", out, snapshot=False, summary=False)
    rc, _results, log = run_dbt(tmp_path / "run", "build", out, census, ["+stg_wfsim__census"], snapshot=False,
                               extra=["--indirect-selection", "cautious"])
    assert rc != 0
    assert "census.csv: line 1: the census names column 'salary' more than once" in log


def test_misdated_event_and_escalation_above_cap_fail(tmp_path, vectors, golden_default):
    """Two more broken rows in the 2025 partition: a raise dated in 2026
    (wrong partition) and an escalation to 25 % (above the 10 % cap)."""
    new_rows = (
        "SELECT * REPLACE (md5('misdated') AS event_id, DATE '2026-01-05' AS event_date, 9 AS event_sequence)"
        " FROM ev WHERE employee_id = 'EMP_000001' AND event_type = 'raise' AND simulation_year = 2025"
        " UNION ALL "
        "SELECT * REPLACE (md5('over cap') AS event_id, 'deferral_escalation' AS event_type,"
        " 'auto_escalation' AS event_category, DATE '2025-12-31' AS event_date, 8 AS event_sequence,"
        " 0.25::DECIMAL(9,4) AS employee_deferral_rate, 0.0851::DECIMAL(9,4) AS prev_employee_deferral_rate)"
        " FROM ev WHERE employee_id = 'EMP_000002' AND event_type = 'raise' AND simulation_year = 2025")
    out = _tamper(vectors, tmp_path, new_rows)
    rc, results, log = run_dbt(tmp_path / "run", "build", out, vectors / "golden/census.csv", ["+state"])
    assert rc != 0
    for name in ["assert_events_well_formed", "assert_deferral_rates_within_bounds"]:
        assert results.get(name) == "fail", (name, log[-3000:])
        assert golden_default["results"][name] == "pass"
    # the misdated raise: outside its partition, a second raise, its
    # sequence 9 not the next number, its id made up; the escalation: its
    # id made up, its sequence 8 not the next number
    assert failing_rules(tmp_path / "run", "assert_events_well_formed") == [
        ("event_id", "EMP_000001", 2025), ("event_id", "EMP_000002", 2025),
        ("event_sequence", "EMP_000001", 2025), ("event_sequence", "EMP_000002", 2025),
        ("event_type twice", "EMP_000001", 2025), ("misdated", "EMP_000001", 2025)]


def test_column_checks_fail_on_null_and_unknown_value(tmp_path, vectors, golden_default):
    """wf_column_checks (one scan for a model's not_null and accepted_values
    checks, issue 19) fails on a NULL level and an unknown category, and its
    rows name exactly the broken checks with their row counts."""
    new_rows = ("SELECT * REPLACE (md5('null level') AS event_id, NULL::INTEGER AS level_id,"
                " 'moonlighting' AS event_category, 7 AS event_sequence)"
                " FROM ev WHERE employee_id = 'EMP_000001' AND event_type = 'raise'"
                " AND simulation_year = 2025")
    out = _tamper(vectors, tmp_path, new_rows)
    rc, results, log = run_dbt(tmp_path / "run", "build", out, vectors / "golden/census.csv", ["+state"])
    assert rc != 0
    name = "wf_column_checks_stg_wfsim__events"
    assert results.get(name) == "fail", log[-3000:]
    assert golden_default["results"][name] == "pass"
    compiled = next((tmp_path / "run" / "target" / "compiled").rglob(name + ".sql")).read_text()
    assert query(tmp_path / "run" / "wfsim.duckdb", compiled + " order by check_name") == [
        ("accepted_values(event_category)", 1), ("not_null(level_id)", 1)]


def test_plan_limits_published_then_projected(golden_default):
    """2025 and 2026 as published; later years 2.5 % a year compounded from
    2026, each rounded down to $500 (the labelled assumption)."""
    rows = query(golden_default["db"],
                 "select simulation_year, elective_deferral_limit, catch_up_limit, compensation_limit, basis"
                 " from main.int_plan_limits order by 1")
    expected = [(2025, 23500, 7500, 350000, "published"), (2026, 24500, 8000, 360000, "published")]
    for n in range(1, 4):
        f = 1.025 ** n
        expected.append((2026 + n, int(24500 * f // 500 * 500), int(8000 * f // 500 * 500),
                         int(360000 * f // 500 * 500), "projected"))
    assert rows == expected
    assert expected[-1][2] == 8500          # 8,000 x 1.025^3 = 8,615: the step is reached


def test_state_models_need_the_engines_configuration(tmp_path, vectors):
    """The state models keep no copy of the configuration's defaults: without
    wfsim_config (here given empty) they stop and name the var and the key."""
    out = tmp_path / "out"
    write_engine_output(vectors / "golden/default", out)
    rc, results, log = run_dbt(tmp_path / "run", "run", out, vectors / "golden/census.csv",
                               ["int_simulation_years"], config="")
    assert rc != 0
    assert "wfsim_config" in log and "simulation.start_year" in log, log[-3000:]
