"""dbt unit tests of SQL mode's macros (dbt/models/sql_mode/sqlmode_unit_tests.yml):
the keyed draws against every row of tests/vectors/rng.csv, the workforce
needs against every row of tests/vectors/workforce_needs.csv, exact decimal
conversion and the date rules. Run through `dbt build` on the probe models,
in a DuckDB file of this session."""
import re

from test_sqlmode_golden import run_dbt


def test_dbt_unit_tests_pass(tmp_path):
    proc = run_dbt(["build", "--select", "sqlmode_probe_input+"], tmp_path / "unit.duckdb", tmp_path,
                   check=False)
    out = proc.stdout
    assert proc.returncode == 0, out[-4000:]
    passed = re.findall(r"PASS (\S+)::(\S+)", out)
    assert sorted(name for _, name in passed) == [
        "sqlmode_dates_add_years_and_completed_years",
        "sqlmode_needs_matches_shared_vectors",
        "sqlmode_rng_matches_shared_vectors",
        "sqlmode_units_exact_half_away_from_zero",
    ]


def test_unit_tests_hold_every_vector_row(root, vectors):
    """The copied rows are complete: every key of rng.csv and every row of
    workforce_needs.csv appears in the unit tests' expectations."""
    text = (root / "dbt" / "models" / "sql_mode" / "sqlmode_unit_tests.yml").read_text()
    rng = (vectors / "rng.csv").read_text().splitlines()[1:]
    for line in rng:
        x = line.rsplit(",", 4)
        assert f"x: {x[1]}, u: {x[2]}, pick_365: {x[3]}, pick_1000: {x[4]}}}" in text, line
    needs = (vectors / "workforce_needs.csv").read_text().splitlines()[1:]
    for line in needs:
        v = line.split(",")
        expect = (f"{{n: {v[0]}, p: {v[1]}, r: {v[2]}, target: {v[6]}, q: {v[7]}, te: {v[8]}, "
                  f"net: {v[9]}, h: {v[10]}, tnh: {v[11]}}}")
        assert expect in text, line
