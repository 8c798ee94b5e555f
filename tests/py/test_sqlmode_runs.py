"""SQL mode's contract with its runner: configuration only from vars (a
missing var or key is an error naming it), years in order, a rerun from a
year replaces that year and the ones after it, census rules (aliases,
skipped rows, derived levels, errors naming file, line and column), binary
ordering of ids."""
import copy

import duckdb

from test_sqlmode_golden import ALT_CONFIG, DEFAULT_CONFIG, run_dbt, seed_db


def _vars(config, year, census):
    return {"wfsim_config": config, "simulation_year": year, "census_path": str(census)}


def test_missing_config_var_is_an_error(tmp_path, vectors):
    census = vectors / "golden" / "census.csv"
    db = tmp_path / "e.duckdb"
    seed_db(db, tmp_path)
    proc = run_dbt(["run", "--select", "sql_mode"], db, tmp_path,
                   {"simulation_year": 2025, "census_path": str(census)}, check=False)
    assert proc.returncode != 0
    assert "wfsim_config" in proc.stdout
    config = copy.deepcopy(DEFAULT_CONFIG)
    del config["workforce"]["retirement_age"]
    proc = run_dbt(["run", "--select", "sql_mode"], db, tmp_path, _vars(config, 2025, census), check=False)
    assert proc.returncode != 0
    assert "workforce.retirement_age" in proc.stdout


def test_years_in_order_and_rerun_replaces_later_years(tmp_path, vectors):
    census = vectors / "golden" / "census.csv"
    db = tmp_path / "r.duckdb"
    seed_db(db, tmp_path)
    proc = run_dbt(["run", "--select", "sql_mode"], db, tmp_path, _vars(ALT_CONFIG, 2026, census), check=False)
    assert proc.returncode != 0 and "run year 2025 first" in proc.stdout
    for year in (2025, 2026):
        run_dbt(["run", "--select", "sql_mode"], db, tmp_path, _vars(ALT_CONFIG, year, census))
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.sql("SELECT * FROM sqlmode_events WHERE simulation_year = 2025 ORDER BY event_id").fetchall()
        years = con.sql("SELECT DISTINCT simulation_year FROM sqlmode_snapshot ORDER BY 1").fetchall()
    assert years == [(2025,), (2026,)]
    run_dbt(["run", "--select", "sql_mode"], db, tmp_path, _vars(ALT_CONFIG, 2025, census))
    with duckdb.connect(str(db), read_only=True) as con:
        after = con.sql("SELECT * FROM sqlmode_events WHERE simulation_year = 2025 ORDER BY event_id").fetchall()
        years = con.sql("SELECT DISTINCT simulation_year FROM sqlmode_events ORDER BY 1").fetchall()
        state_years = con.sql("SELECT DISTINCT simulation_year FROM sqlmode_state ORDER BY 1").fetchall()
    assert years == [(2025,)] and state_years == [(2025,)]
    assert after == before and len(after) > 50


CENSUS_ALIASES = (
    "Employee_ID,employee_birth_date,EMPLOYEE_HIRE_DATE,employee_gross_compensation,"
    "employee_termination_date,active,employee_deferral_rate,notes\n"
    "A1,1980-02-29,2010-05-01,84999.995,,true,0.05,\"x, y\"\n"
    "A2,1990-01-01,2015-01-01,85000.00,,,,\n"
    "A3,1970-06-15,2000-06-15,600000,,yes,,\n"
    "GONE,1970-06-15,2000-06-15,60000,2024-03-01,true,,\n"
    "OFF,1970-06-15,2000-06-15,60000,,N,,\n"
)


def test_census_aliases_skips_and_derived_levels(tmp_path):
    census = tmp_path / "census.csv"
    census.write_text(CENSUS_ALIASES)
    db = tmp_path / "c.duckdb"
    seed_db(db, tmp_path)
    run_dbt(["run", "--select", "+sqlmode_census"], db, tmp_path, _vars(DEFAULT_CONFIG, 2025, census))
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql("SELECT employee_id, level_id, salary_cents, deferral_bp, enrolled, "
                       "CAST(enrollment_date AS VARCHAR), enrollment_source FROM sqlmode_census "
                       "ORDER BY employee_id").fetchall()
    # 84999.995 dollars rounds half away from zero to 8500000 cents, which is
    # not below level 1's maximum (85000 dollars): level 2, like A2.
    assert rows == [
        ("A1", 2, 8500000, 500, True, "2024-12-31", "census"),
        ("A2", 2, 8500000, 0, False, None, None),
        ("A3", 5, 60000000, 0, False, None, None),
    ]


def test_census_error_names_file_line_and_column(tmp_path):
    census = tmp_path / "bad.csv"
    census.write_text("employee_id,birth_date,hire_date,salary\n"
                      "E1,1980-01-01,2010-01-01,50000\n"
                      "E2,1980-13-01,2010-01-01,50000\n")
    db = tmp_path / "b.duckdb"
    seed_db(db, tmp_path)
    proc = run_dbt(["run", "--select", "+sqlmode_census"], db, tmp_path, _vars(DEFAULT_CONFIG, 2025, census),
                   check=False)
    assert proc.returncode != 0
    assert f"census {census}, line 3: column birth_date" in proc.stdout
    census.write_text("employee_id,birth_date,hire_date,salary,deferral_rate\n"
                      "E1,1980-01-01,2010-01-01,50000,1.00001\n")
    proc = run_dbt(["run", "--select", "+sqlmode_census"], db, tmp_path, _vars(DEFAULT_CONFIG, 2025, census),
                   check=False)
    assert proc.returncode != 0
    assert f"census {census}, line 2: column deferral_rate" in proc.stdout


def test_ids_order_bytewise():
    """Ties are broken by employee_id byte by byte: DuckDB's default string
    order (no collation set) is binary, which SQL mode relies on."""
    with duckdb.connect() as con:
        assert con.sql("SELECT current_setting('default_collation')").fetchall() == [("",)]
        ids = con.sql("SELECT x FROM (VALUES ('b'), ('B'), ('a'), ('_'), ('-'), ('.'), ('0'), ('Z'), ('NH_2025_000001'), ('EMP_1')) t(x) ORDER BY x").fetchall()
    got = [r[0] for r in ids]
    assert got == sorted(got, key=str.encode)
    assert got == ["-", ".", "0", "B", "EMP_1", "NH_2025_000001", "Z", "_", "a", "b"]


def test_census_repeated_column_is_an_error(tmp_path):
    census = tmp_path / "dup.csv"
    census.write_text("employee_id,birth_date,hire_date,salary,Salary,note,note\n"
                      "E1,1980-01-01,2010-01-01,50000,50000,a,b\n")
    db = tmp_path / "d.duckdb"
    seed_db(db, tmp_path)
    proc = run_dbt(["run", "--select", "+sqlmode_census"], db, tmp_path, _vars(DEFAULT_CONFIG, 2025, census),
                   check=False)
    assert proc.returncode != 0
    assert f"census {census}, line 1: column Salary repeats salary" in proc.stdout



def test_census_without_active_employee_is_refused(tmp_path):
    census = tmp_path / "none.csv"
    census.write_text("employee_id,birth_date,hire_date,salary,termination_date\n"
                      "E1,1980-01-01,2010-01-01,50000,2024-05-01\n")
    db = tmp_path / "n.duckdb"
    seed_db(db, tmp_path)
    proc = run_dbt(["run", "--select", "+sqlmode_y_needs"], db, tmp_path, _vars(DEFAULT_CONFIG, 2025, census),
                   check=False)
    assert proc.returncode != 0
    assert "the census has no active employee" in proc.stdout
