"""SQL mode (dbt models under dbt/models/sql_mode) against the golden worked
example of tests/vectors/golden: the default configuration for 2025-2029
and alt_config.yaml for 2025-2027, run year by year as the runner does, then
compared with events.csv and snapshot.csv value for value in both
directions, with summary.json's normative per-year figures, and exported to
Parquet. Each session uses its own DuckDB file (WFSIM_DBT_DB) and dbt target
folder under pytest's tmp space."""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import duckdb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DBT_DIR = ROOT / "dbt"
DBT = pathlib.Path(sys.executable).with_name("dbt")

# The effective configurations in the canonical form of docs/config.md,
# written by hand: the defaults, and tests/vectors/golden/alt_config.yaml.
DEFAULT_CONFIG = {
    "simulation": {"start_year": 2025, "end_year": 2029, "random_seed": 12345,
                   "scenario_id": "default", "plan_design_id": "default"},
    "workforce": {"target_growth_rate_ppm": 30000, "termination_rate_ppm": 120000,
                  "new_hire_termination_rate_ppm": 250000, "retirement_age": 65,
                  "retirement_probability": 0.3},
    "compensation": {"cola_rate": 0.01, "merit_probability": 0.9, "salary_structure_growth": 0.02,
                     "promotion_raise_mean": 0.1, "promotion_raise_spread": 0.04,
                     "new_hire_salary_spread": 0.1, "promotion_date": "02-01", "merit_date": "04-01"},
    "eligibility": {"minimum_age": 21, "waiting_period_days": 0},
    "auto_enrollment": {"enabled": True, "hire_date_cutoff": "2025-01-01",
                        "default_deferral_rate_bp": 600, "window_days": 45, "opt_out_grace_days": 30},
    "voluntary_enrollment": {"enabled": True, "enrollment_date": "01-15"},
    "auto_escalation": {"enabled": True, "scope": "auto_enrolled", "increment_bp": 100,
                        "cap_bp": 1000, "delay_years": 1, "effective_date": "01-01"},
}

ALT_CONFIG = {
    "simulation": {"start_year": 2025, "end_year": 2027, "random_seed": 31337,
                   "scenario_id": "golden-alt", "plan_design_id": "plan.A"},
    "workforce": {"target_growth_rate_ppm": 50000, "termination_rate_ppm": 150000,
                  "new_hire_termination_rate_ppm": 200000, "retirement_age": 60,
                  "retirement_probability": 0.5},
    "compensation": {"cola_rate": 0.02, "merit_probability": 0.6, "salary_structure_growth": 0.03,
                     "promotion_raise_mean": 0.12, "promotion_raise_spread": 0.02,
                     "new_hire_salary_spread": 0.05, "promotion_date": "01-01", "merit_date": "10-01"},
    "eligibility": {"minimum_age": 21, "waiting_period_days": 30},
    "auto_enrollment": {"enabled": True, "hire_date_cutoff": "2024-01-01",
                        "default_deferral_rate_bp": 300, "window_days": 60, "opt_out_grace_days": 45},
    "voluntary_enrollment": {"enabled": True, "enrollment_date": "02-15"},
    "auto_escalation": {"enabled": True, "scope": "all_enrolled", "increment_bp": 200,
                        "cap_bp": 1500, "delay_years": 1, "effective_date": "04-01"},
}

CONFIGS = {"default": DEFAULT_CONFIG, "alt": ALT_CONFIG}

EVENT_COLUMNS = [
    "simulation_year", "event_id", "scenario_id", "plan_design_id", "random_seed", "employee_id",
    "event_type", "event_category", "event_date", "event_sequence", "level_id", "previous_level_id",
    "compensation_amount", "previous_compensation", "employee_deferral_rate",
    "prev_employee_deferral_rate", "employee_age", "employee_tenure", "age_band", "tenure_band",
    "event_probability",
]
SNAPSHOT_COLUMNS = [
    "simulation_year", "employee_id", "employment_status", "birth_date", "hire_date",
    "termination_date", "level_id", "salary", "eligibility_date", "is_enrolled", "deferral_rate",
    "enrollment_source", "ever_opted_out",
]
# Types of the golden CSV columns that the sniffer could get wrong; money and
# rates as the exact DECIMALs of docs/model.md 5.1, probabilities as DOUBLE
# (shortest round-trip text reads back to the same double).
GOLD_EVENT_TYPES = {
    "event_id": "VARCHAR", "scenario_id": "VARCHAR", "plan_design_id": "VARCHAR",
    "random_seed": "BIGINT", "event_date": "DATE", "event_sequence": "INTEGER",
    "level_id": "INTEGER", "previous_level_id": "INTEGER",
    "compensation_amount": "DECIMAL(18,2)", "previous_compensation": "DECIMAL(18,2)",
    "employee_deferral_rate": "DECIMAL(9,4)", "prev_employee_deferral_rate": "DECIMAL(9,4)",
    "employee_age": "INTEGER", "employee_tenure": "INTEGER", "age_band": "VARCHAR",
    "tenure_band": "VARCHAR", "event_probability": "DOUBLE",
}
GOLD_SNAPSHOT_TYPES = {
    "birth_date": "DATE", "hire_date": "DATE", "termination_date": "DATE", "level_id": "INTEGER",
    "salary": "DECIMAL(18,2)", "eligibility_date": "DATE", "is_enrolled": "BOOLEAN",
    "deferral_rate": "DECIMAL(9,4)", "enrollment_source": "VARCHAR", "ever_opted_out": "BOOLEAN",
    "employment_status": "VARCHAR",
}


def run_dbt(args, db, work, vars_=None, check=True):
    """Run one dbt command in dbt/ on DuckDB file `db`; target and logs in `work`."""
    cmd = [str(DBT), *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR),
           "--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    if vars_ is not None:
        cmd += ["--vars", json.dumps(vars_)]
    env = dict(os.environ, WFSIM_DBT_DB=str(db), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    proc = subprocess.run(cmd, cwd=DBT_DIR, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}")
    return proc


_SEEDED = []


def seed_db(db, work):
    """`dbt seed` into `db`: done once per test process into a template
    DuckDB file, which is then copied (the seeds never change in a session)."""
    if not _SEEDED:
        tmp = pathlib.Path(tempfile.mkdtemp(prefix="sqlmode_seeded_"))
        run_dbt(["seed"], tmp / "seeded.duckdb", tmp)
        _SEEDED.append(tmp / "seeded.duckdb")
    shutil.copyfile(_SEEDED[0], db)


def run_sql_mode(db, work, config, census):
    """What the runner does: seeds once, then one dbt run per simulation year."""
    seed_db(db, work)
    sim = config["simulation"]
    for year in range(sim["start_year"], sim["end_year"] + 1):
        run_dbt(["run", "--select", "sql_mode"], db, work,
                {"wfsim_config": config, "simulation_year": year, "census_path": str(census)})


@pytest.fixture(scope="module", params=["default", "alt"])
def golden_run(request, vectors, tmp_path_factory):
    name = request.param
    work = tmp_path_factory.mktemp(f"sqlmode_{name}")
    db = work / "sqlmode.duckdb"
    run_sql_mode(db, work, CONFIGS[name], vectors / "golden" / "census.csv")
    return {"name": name, "db": db, "work": work, "gold": vectors / "golden" / name,
            "config": CONFIGS[name]}


def _types(d):
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in d.items()) + "}"


def _diff(con, mine, gold, cols, order):
    c = ", ".join(cols)
    a = con.sql(f"SELECT {c} FROM {gold} EXCEPT ALL SELECT {c} FROM {mine} ORDER BY {order}").fetchall()
    b = con.sql(f"SELECT {c} FROM {mine} EXCEPT ALL SELECT {c} FROM {gold} ORDER BY {order}").fetchall()
    return a, b


def test_default_fixture_is_the_documented_canonical_json(root):
    """DEFAULT_CONFIG is the JSON block of docs/config.md, key order included."""
    text = (root / "docs" / "config.md").read_text()
    block = text.split("```json", 1)[1].split("```", 1)[0]
    canonical = "".join(line.strip() for line in block.strip().splitlines())
    assert json.dumps(DEFAULT_CONFIG, separators=(",", ":")) == canonical


def _gold_table(con, path, types):
    con.sql(f"CREATE TEMP TABLE gold AS SELECT * FROM read_csv('{path}', header = true, types = {_types(types)})")


def test_events_match_golden(golden_run):
    with duckdb.connect(str(golden_run["db"]), read_only=True) as con:
        _gold_table(con, golden_run["gold"] / "events.csv", GOLD_EVENT_TYPES)
        n_gold = con.sql("SELECT count(*) FROM gold").fetchall()[0][0]
        n_mine = con.sql("SELECT count(*) FROM sqlmode_events").fetchall()[0][0]
        missing, extra = _diff(con, "sqlmode_events", "gold", EVENT_COLUMNS,
                               "simulation_year, employee_id, event_sequence")
    assert missing == [] and extra == [], f"golden rows not produced: {missing[:5]}\nrows not in golden: {extra[:5]}"
    assert n_gold == n_mine and n_gold > 100


def test_event_column_types(golden_run):
    with duckdb.connect(str(golden_run["db"]), read_only=True) as con:
        types = dict(con.sql("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'sqlmode_events'").fetchall())
    assert [c for c in EVENT_COLUMNS if c not in types] == []
    assert types["random_seed"] == "BIGINT"
    assert types["event_sequence"] == "INTEGER" and types["level_id"] == "INTEGER"
    assert types["event_date"] == "DATE"
    assert types["compensation_amount"] == "DECIMAL(18,2)"
    assert types["employee_deferral_rate"] == "DECIMAL(9,4)"
    assert types["event_probability"] == "DOUBLE"


def test_snapshot_matches_golden(golden_run):
    with duckdb.connect(str(golden_run["db"]), read_only=True) as con:
        _gold_table(con, golden_run["gold"] / "snapshot.csv", GOLD_SNAPSHOT_TYPES)
        n_gold = con.sql("SELECT count(*) FROM gold").fetchall()[0][0]
        n_mine = con.sql("SELECT count(*) FROM sqlmode_snapshot").fetchall()[0][0]
        missing, extra = _diff(con, "sqlmode_snapshot", "gold", SNAPSHOT_COLUMNS, "simulation_year, employee_id")
    assert missing == [] and extra == [], f"golden rows not produced: {missing[:5]}\nrows not in golden: {extra[:5]}"
    assert n_gold == n_mine and n_gold > 100


def test_needs_match_summary(golden_run):
    summary = json.loads((golden_run["gold"] / "summary.json").read_text())
    with duckdb.connect(str(golden_run["db"]), read_only=True) as con:
        rows = con.sql('SELECT simulation_year, "N", "P", "X", target, "R", "Q", "Te", net, "H", "Tnh" '
                       "FROM sqlmode_needs ORDER BY simulation_year").fetchall()
    keys = ["year", "N", "P", "X", "target", "R", "Q", "Te", "net", "H", "Tnh"]
    assert rows == [tuple(y[k] for k in keys) for y in summary["per_year"]]


def test_year_outcomes_match_summary(golden_run):
    """What each year did (actual counts, shortfalls, headcounts); these
    fields of summary.json are the reference implementation's, not
    normative, but docs/model.md 5.3 asks for them and they must agree."""
    summary = json.loads((golden_run["gold"] / "summary.json").read_text())
    keys = ["R_actual", "Te_actual", "experienced_termination_shortfall", "Tnh_actual",
            "nh_termination_shortfall", "H_actual", "workforce_of_year", "year_end_headcount"]
    cols = ", ".join(f'"{k}"' for k in keys)
    with duckdb.connect(str(golden_run["db"]), read_only=True) as con:
        rows = con.sql(f"SELECT {cols} FROM sqlmode_needs ORDER BY simulation_year").fetchall()
    assert rows == [tuple(y[k] for k in keys) for y in summary["per_year"]]


def test_export_parquet(golden_run, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run_dbt(["run-operation", "sqlmode_export", "--args",
             json.dumps({"events_dir": str(out / "events"),
                         "snapshot_dir": str(out / "workforce_snapshot")})],
            golden_run["db"], golden_run["work"])
    sim = golden_run["config"]["simulation"]
    years = list(range(sim["start_year"], sim["end_year"] + 1))
    for sub in ("events", "workforce_snapshot"):
        parts = sorted(p.name for p in (out / sub).iterdir())
        assert parts == [f"simulation_year={y}" for y in years]
    files = sorted((out / "events").glob("*/*.parquet"))
    assert len(files) >= len(years)
    with duckdb.connect(str(golden_run["db"]), read_only=True) as con:
        for f in files:
            cols = [r[0] for r in con.sql(f"DESCRIBE SELECT * FROM read_parquet('{f}', hive_partitioning = false)").fetchall()]
            assert "simulation_year" not in cols and "created_at" in cols
            keys = con.sql(f"SELECT employee_id, event_sequence FROM read_parquet('{f}', hive_partitioning = false)").fetchall()
            assert keys == sorted(keys, key=lambda k: (k[0].encode(), k[1])), f"{f} is not sorted"
            codecs = {r[0] for r in con.sql(f"SELECT DISTINCT compression FROM parquet_metadata('{f}')").fetchall()}
            assert codecs == {"ZSTD"}
        con.sql(f"CREATE TEMP VIEW pq AS SELECT * FROM read_parquet('{out}/events/*/*.parquet', hive_partitioning = true)")
        ev_missing, ev_extra = _diff(con, "pq", "sqlmode_events", EVENT_COLUMNS,
                                     "simulation_year, employee_id, event_sequence")
        created = con.sql("SELECT DISTINCT created_at FROM pq").fetchall()
        con.sql(f"CREATE TEMP VIEW pqs AS SELECT * FROM read_parquet('{out}/workforce_snapshot/*/*.parquet', hive_partitioning = true)")
        sn_missing, sn_extra = _diff(con, "pqs", "sqlmode_snapshot", SNAPSHOT_COLUMNS, "simulation_year, employee_id")
    assert ev_missing == [] and ev_extra == []
    assert sn_missing == [] and sn_extra == []
    assert [str(r[0]) for r in created] == ["2023-11-14 22:13:20"]
