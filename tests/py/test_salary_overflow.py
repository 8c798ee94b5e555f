"""Salary arithmetic past its range (issue 20): a promotion, a merit or
cost-of-living raise, or the growth of a salary band whose result would
exceed the model's largest salary (2^53 - 1 cents, docs/model.md 6) stops the
run as a model refusal, exit 5, naming the employee (or band), the year and
the step, in both modes; nothing is written in its place. A configuration
that makes the overflow certain for every salary is refused up front."""
import shutil

import pytest

from engine_util import run_wfsim

TOP_DOLLARS = 90071992547409          # (2^53 - 1) cents in whole dollars
CENSUS_HEAD = "employee_id,birth_date,hire_date,salary,level_id\n"


def assert_refused(proc, *parts):
    assert proc.returncode == 5, proc.stdout[-2000:] + proc.stderr[-4000:]
    for part in parts:
        assert part in proc.stderr, proc.stderr[-4000:]
    assert "would exceed the model's largest salary, 2^53 - 1 cents" in proc.stderr


def test_config_refuses_certain_overflow(wfsim, tmp_path):
    """The issue's example: promotion_raise_mean 1e30 would overflow every
    promotion of every salary; refused as bad input naming the key."""
    cfg = tmp_path / "sim.yaml"
    cfg.write_text("compensation:\n  promotion_raise_mean: 1e30\n")
    proc = run_wfsim(wfsim, "config", "--config", cfg, check=False)
    assert proc.returncode == 2
    assert "sim.yaml:2:3: compensation.promotion_raise_mean:" in proc.stderr
    assert "must be at most 9007199254740990" in proc.stderr
    # at the bound itself a 1-cent salary still fits
    cfg.write_text("compensation:\n  promotion_raise_mean: 9007199254740990\n")
    run_wfsim(wfsim, "config", "--config", cfg)


@pytest.fixture(scope="module")
def promotion_case(tmp_path_factory):
    d = tmp_path_factory.mktemp("overflow_promotion")
    (d / "sim.yaml").write_text("simulation:\n  end_year: 2026\n"
                                "compensation:\n  promotion_raise_mean: 1e12\n")
    return d


def test_fast_mode_refuses_a_promotion(wfsim, vectors, promotion_case):
    out = promotion_case / "events"
    proc = run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
                     "--config", promotion_case / "sim.yaml", "--out", out, "--quiet",
                     check=False)
    assert_refused(proc, "wfsim: employee EMP_000040, year 2025, promotion: 5.29")
    assert not out.exists()


def test_sql_mode_refuses_a_promotion(wfsim, vectors, promotion_case):
    proc = run_wfsim(wfsim, "run", "--mode", "sql", "--census",
                     vectors / "golden/census.csv", "--config",
                     promotion_case / "sim.yaml", "--out", promotion_case / "sql", "--quiet",
                     check=False)
    assert_refused(proc, "SQL mode: employee EMP_000040, year 2025, promotion: 5.29")
    assert not (promotion_case / "sql/events").exists()


@pytest.fixture(scope="module")
def big_tables(root, tmp_path_factory):
    """A copy of the dbt project whose tables allow salaries up to the
    model's largest: the top income segment and level 5 end at 2^53 - 1
    cents. Its seeds folder serves as the engine's --tables."""
    d = tmp_path_factory.mktemp("overflow_tables")
    proj = d / "dbt"
    shutil.copytree(root / "dbt", proj, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
    seg = (proj / "seeds/income_segments.csv").read_text().replace(
        "executive,200000,1000000000", f"executive,200000,{TOP_DOLLARS}")
    (proj / "seeds/income_segments.csv").write_text(seg)
    lv = (proj / "seeds/levels.csv").read_text().replace(
        "5,VP,220000,500000,", f"5,VP,220000,{TOP_DOLLARS},")
    (proj / "seeds/levels.csv").write_text(lv)
    (d / "census.csv").write_text(
        CENSUS_HEAD + "RICH,1970-01-01,2000-01-01,90000000000000,5\n"
        + "".join(f"E{i:03d},1980-01-01,2010-01-01,{60000 + i},1\n" for i in range(20)))
    return d


def run_both(wfsim, d, config, name):
    cfg = d / f"{name}.yaml"
    cfg.write_text(config)
    fast = run_wfsim(wfsim, "events", "--census", d / "census.csv", "--config", cfg,
                     "--tables", d / "dbt/seeds", "--out", d / f"{name}_fast", "--quiet",
                     check=False)
    sql = run_wfsim(wfsim, "run", "--mode", "sql", "--census", d / "census.csv",
                    "--config", cfg, "--out", d / f"{name}_sql", "--quiet", check=False,
                    env={"WFSIM_DBT_PROJECT": str(d / "dbt")})
    return fast, sql


@pytest.mark.parametrize("merit,step", [("0", "cost-of-living raise"), ("1", "merit raise")])
def test_both_modes_refuse_a_raise(wfsim, big_tables, merit, step):
    config = ("simulation:\n  end_year: 2025\n"
              f"compensation:\n  cola_rate: 0.01\n  merit_probability: {merit}\n")
    fast, sql = run_both(wfsim, big_tables, config, f"raise{merit}")
    assert_refused(fast, f"wfsim: employee RICH, year 2025, {step}: ")
    assert_refused(sql, f"SQL mode: employee RICH, year 2025, {step}: ")
    assert not (big_tables / f"raise{merit}_fast").exists()


def test_both_modes_refuse_a_band_past_the_top(wfsim, big_tables):
    """band(2026) of level 5 = round(band(2025) * 1.5) does not fit."""
    config = ("simulation:\n  end_year: 2026\n"
              "compensation:\n  salary_structure_growth: 0.5\n  cola_rate: 0\n"
              "  merit_probability: 0\n")
    fast, sql = run_both(wfsim, big_tables, config, "band")
    what = "salary band of level 5, year 2026, salary structure growth: "
    assert_refused(fast, f"wfsim: {what}")
    assert_refused(sql, f"SQL mode: {what}")
    # both name the same value, 9007199254740900 * 1.5, each in its own format
    for proc in (fast, sql):
        value = proc.stderr.split(what)[1].split(" cents")[0]
        assert float(value) == 13510798882111350.0
    assert not (big_tables / "band_fast").exists()


def test_a_band_that_fits_is_not_refused(wfsim, big_tables):
    """The same tables with no growth: every salary stays in range and the
    two modes agree (the check does not refuse what fits)."""
    cfg = big_tables / "flat.yaml"
    cfg.write_text("simulation:\n  end_year: 2026\n"
                   "compensation:\n  salary_structure_growth: 0\n  cola_rate: 0\n"
                   "  merit_probability: 0\n  promotion_raise_mean: 0\n"
                   "  promotion_raise_spread: 0\n")
    proc = run_wfsim(wfsim, "events", "--census", big_tables / "census.csv", "--config", cfg,
                     "--tables", big_tables / "dbt/seeds", "--out", big_tables / "flat",
                     "--quiet", check=False)
    assert proc.returncode == 0, proc.stderr
