"""The parity gate in `make test`: fast mode (the C engine) and SQL mode (dbt
on DuckDB) must produce the same events and snapshots, value for value, on
a synthetic census and on a hand-written census of edge cases, with the
defaults and with configurations that change every section, over three or
more years and two seeds. `wfsim parity` itself does the comparison (every
column but created_at, both directions); these tests also check that it
would notice a difference."""
import shutil
import subprocess

import duckdb
import pytest

from engine_util import run_wfsim

# Differs from docs/model.md's defaults in every section and nearly every key.
CUSTOM_CONFIG = """\
simulation:
  start_year: 2026
  end_year: 2028
  random_seed: 424242
  scenario_id: "growth.B"
  plan_design_id: "NH_plan-2"
workforce:
  target_growth_rate: 0.05
  termination_rate: 0.10
  new_hire_termination_rate: 0.30
  retirement_age: 62
  retirement_probability: 0.4
compensation:
  cola_rate: 0.015
  merit_probability: 0.8
  salary_structure_growth: 0.025
  promotion_raise_mean: 0.08
  promotion_raise_spread: 0.03
  new_hire_salary_spread: 0.15
  promotion_date: "03-01"
  merit_date: "07-01"
eligibility:
  minimum_age: 18
  waiting_period_days: 90
auto_enrollment:
  enabled: true
  hire_date_cutoff: "2020-01-01"
  default_deferral_rate: 0.04
  window_days: 30
  opt_out_grace_days: 60
voluntary_enrollment:
  enabled: true
  enrollment_date: "03-15"
auto_escalation:
  enabled: true
  scope: all_enrolled
  increment: 0.005
  cap: 0.12
  delay_years: 0
  effective_date: "06-01"
performance:
  event_generation_mode: sql
  threads: 2
"""

# A shrinking workforce, opt-outs crossing year ends, the toggles off.
SHRINK_CONFIG = """\
simulation:
  start_year: 2025
  end_year: 2028
  random_seed: 7
workforce:
  target_growth_rate: -0.2
  termination_rate: 0.2
  new_hire_termination_rate: 0.5
  retirement_age: 60
  retirement_probability: 1
compensation:
  merit_probability: 0.5
  promotion_date: "01-01"
  merit_date: "12-31"
eligibility:
  minimum_age: 21
  waiting_period_days: 365
auto_enrollment:
  window_days: 300
  opt_out_grace_days: 200
  hire_date_cutoff: null
voluntary_enrollment:
  enabled: false
auto_escalation:
  enabled: false
"""

# Hand-written edge cases (C = 2024-12-31 for start year 2025, 2025-12-31
# for 2026): leap-day births, hires on 31 December and on the 14th birthday,
# employees turning 21 (and 18) during the run, ages 14 and 100 at C, people
# at and past the retirement ages, salaries at band edges, derived levels,
# skipped rows, escalation opt-outs, enrolled-but-not-eligible.
EDGE_CENSUS = """\
employee_id,birth_date,hire_date,salary,level_id,deferral_rate,auto_escalation_opt_out,termination_date,active
LEAP_1980,1980-02-29,2012-02-29,72000,1,0.05,false,,
LEAP_2004,2004-02-29,2023-02-28,51000,1,0,false,,
LEAP_2008,2008-02-29,2024-02-29,50000,,0,false,,
DEC31_A,1990-05-05,2024-12-31,85000,2,0,false,,
DEC31_B,1975-12-31,2023-12-31,99999.99,,0.03,true,,
TURN21_2025,2004-07-01,2024-06-01,55000,1,0,false,,
TURN21_2026,2005-01-01,2024-03-15,56000,1,0,false,,
TURN21_2027,2006-12-31,2024-09-09,57000,1,0.02,false,,
TURN18,2008-06-30,2024-07-01,50000.5,1,0,false,,
AGE14,2010-12-31,2024-12-31,50000,1,0,false,,
AGE100,1924-12-31,1990-01-01,260000,5,0.1,false,,
HIRED_AT_14,1994-03-10,2008-03-10,120000,2,0,false,,
RET_64,1960-06-15,2000-06-15,165000,3,0.08,false,,
RET_65,1959-01-01,1995-01-01,140000,4,0.12,false,,
RET_70,1954-08-08,1980-08-08,300000,5,0.15,false,,
BANDMAX_1,1985-01-01,2015-01-01,85000,1,0,false,,
BANDMIN_5,1970-01-01,2005-01-01,220000,5,0.01,false,,
OVERLAP_2,1988-03-03,2019-03-03,100000,2,0.06,false,,
DERIVED_TOP,1966-10-10,2001-10-10,700000,,0.2,false,,
LOW_PAY,1999-09-09,2022-09-09,20000,1,0,false,,
OPTOUT_ESC,1983-04-04,2021-04-04,64000,1,0.04,true,,
ZERO_DEF,1991-11-11,2024-11-11,61000,1,0.0000,false,,
MAX_DEF,1978-07-07,2016-07-07,90000,2,1,false,,
GONE,1980-01-01,2010-01-01,70000,1,0,false,2024-06-30,
INACTIVE,1981-01-01,2011-01-01,70000,1,0,false,,no
a.lower_id,1992-02-02,2018-02-02,70000,1,0,false,,yes
Z-upper_id,1993-03-03,2017-03-03,71000,2,0.07,false,,
_underscore,1994-04-04,2016-04-04,72000,3,0,false,,
"""
EDGE_EXTRA = "".join(
    f"FILL_{i:03d},{1960 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d},"
    f"{1960 + i % 40 + 18 + i % 7}-{1 + (i * 5) % 12:02d}-{1 + (i * 3) % 28:02d},"
    f"{50000 + 3917 * i},,{(i % 9) / 100},{'true' if i % 13 == 0 else 'false'},,\n"
    for i in range(60))


DEFAULT_SEED_99 = "simulation:\n  start_year: 2026\n  end_year: 2028\n  random_seed: 99\n"
DEFAULT_SEED_31337 = "simulation:\n  end_year: 2027\n  random_seed: 31337\n"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, wfsim):
    d = tmp_path_factory.mktemp("parity_inputs")
    for name, text in (("custom.yaml", CUSTOM_CONFIG), ("shrink.yaml", SHRINK_CONFIG),
                       ("seed99.yaml", DEFAULT_SEED_99), ("seed31337.yaml", DEFAULT_SEED_31337),
                       ("edge.csv", EDGE_CENSUS + EDGE_EXTRA)):
        (d / name).write_text(text)
    run_wfsim(wfsim, "census", "--employees", 400, "--seed", 21, "--start-year", 2026,
              "--out", d / "synthetic.csv")
    return d


def parity(wfsim, census, out, config):
    return run_wfsim(wfsim, "parity", "--census", census, "--out", out, "--show", 5,
                     "--config", config, check=False)


def assert_identical(proc):
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "parity: IDENTICAL" in proc.stdout
    events = int(proc.stdout.split("parity: IDENTICAL: ")[1].split()[0])
    assert events > 100


@pytest.mark.parametrize("census,config", [
    ("synthetic.csv", "custom.yaml"),     # every section changed, seed 424242
    ("synthetic.csv", "seed99.yaml"),     # defaults, seed 99
    ("edge.csv", "shrink.yaml"),          # shrinking, toggles off, seed 7
])
def test_parity_gate(wfsim, inputs, tmp_path, census, config):
    assert_identical(parity(wfsim, inputs / census, tmp_path / "par", inputs / config))


@pytest.fixture(scope="module")
def edge_default(wfsim, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("parity_edge") / "par"
    return out, parity(wfsim, inputs / "edge.csv", out, inputs / "seed31337.yaml")


def test_parity_gate_edge_census_defaults(edge_default):
    assert_identical(edge_default[1])


def test_parity_notices_a_difference(edge_default, tmp_path, root):
    """The comparison is not vacuous: one changed value is reported, exit 1."""
    out, proc = edge_default
    assert proc.returncode == 0
    fast = out / "fast/events"
    tampered = tmp_path / "tampered"
    shutil.copytree(fast, tampered)
    victim = sorted(tampered.glob("simulation_year=2026/*.parquet"))[0]
    con = duckdb.connect()
    con.execute(f"create table t as select * from read_parquet('{victim}')")
    con.execute("update t set compensation_amount = compensation_amount + 0.01 "
                "where rowid = (select min(rowid) from t)")
    con.execute(f"copy t to '{victim}' (format parquet)")
    cmp = subprocess.run([str(root / ".venv/bin/python"), str(root / "scripts/parity_compare.py"),
                          str(tampered), str(out / "sql/events")],
                         capture_output=True, text=True)
    assert cmp.returncode == 1, cmp.stdout
    assert "parity: DIFFERENT: events 1 only in fast, 1 only in SQL" in cmp.stderr
    assert "first events rows only in fast" in cmp.stdout
