"""Command-line overrides (issue 20): every override is applied first and the
cross-key rules are checked once on the final values, naming the option;
ids are the text given, seeds plain digits; the same in every command that
loads a configuration (events, config, run, parity)."""
import json

import duckdb
import pytest

from engine_util import run_wfsim

COMMANDS = ["events", "config", "run", "parity"]


def config_json(wfsim, *args):
    return json.loads(run_wfsim(wfsim, "config", *args).stdout)["simulation"]


@pytest.mark.parametrize("args", [
    ("--start", "2030", "--end", "2030"),
    ("--end", "2030", "--start", "2030"),
])
def test_order_of_start_and_end_does_not_matter(wfsim, args):
    sim = config_json(wfsim, *args)
    assert (sim["start_year"], sim["end_year"]) == (2030, 2030)


def test_overrides_of_a_file_are_checked_together(wfsim, tmp_path):
    cfg = tmp_path / "sim.yaml"
    cfg.write_text("simulation:\n  end_year: 2020\n")
    sim = config_json(wfsim, "--config", cfg, "--start", "2019", "--end", "2020")
    assert (sim["start_year"], sim["end_year"]) == (2019, 2020)
    proc = run_wfsim(wfsim, "config", "--config", cfg, "--start", "2021", check=False)
    assert proc.returncode == 2
    assert "simulation.start_year: end_year 2020 is before start_year 2021" in proc.stderr
    assert "start_year from --start, end_year from" in proc.stderr
    assert "sim.yaml line 2" in proc.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_checks_the_final_years(wfsim, vectors, tmp_path, command):
    """--start past the default end_year is refused as bad input (exit 2)
    before anything runs, naming the option; the refusal is the same in
    every command."""
    census = vectors / "golden/census.csv"
    args = [command, "--start", "2031", "--out", tmp_path / "out"]
    if command != "config":
        args += ["--census", census]
    else:
        args = [command, "--start", "2031"]
    proc = run_wfsim(wfsim, *args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "end_year 2029 is before start_year 2031" in proc.stderr
    assert "start_year from --start, end_year from the default" in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_help_describes_the_overrides(wfsim, command):
    text = run_wfsim(wfsim, command, "--help").stdout
    for option in ("--start", "--end", "--seed", "--scenario", "--plan"):
        assert option in text
    assert "the id\n" in text and "is the text given" in text
    assert "plain digits" in text


@pytest.mark.parametrize("text", ["123", "true", "null", "1e5", "0x1F", "NH_2025"])
def test_ids_are_the_text_given(wfsim, text):
    sim = config_json(wfsim, "--scenario", text, "--plan", text)
    assert sim["scenario_id"] == text
    assert sim["plan_design_id"] == text


@pytest.mark.parametrize("text", ['"q"', "'q'", "", "~", "a b", "x" * 65, "é"])
def test_bad_ids_are_refused_naming_the_option(wfsim, text):
    proc = run_wfsim(wfsim, "config", "--scenario", text, check=False)
    assert proc.returncode == 2
    assert "simulation.scenario_id:" in proc.stderr
    assert "is not a valid id" in proc.stderr and "(given as --scenario)" in proc.stderr


@pytest.mark.parametrize("text", ["0x1F", "1e5", "+5", " 5", "5 ", "-1", "", "5.0",
                                  "9223372036854775808", "0o7"])
def test_seeds_are_plain_digits(wfsim, text):
    proc = run_wfsim(wfsim, "config", "--seed", text, check=False)
    assert proc.returncode == 2
    assert "simulation.random_seed:" in proc.stderr and "(given as --seed)" in proc.stderr


def test_seed_range_edges(wfsim):
    assert config_json(wfsim, "--seed", "0")["random_seed"] == 0
    assert config_json(wfsim, "--seed", "007")["random_seed"] == 7
    top = "9223372036854775807"
    assert config_json(wfsim, "--seed", top)["random_seed"] == int(top)


def test_repeated_option_takes_the_last_value(wfsim):
    sim = config_json(wfsim, "--start", "2050", "--end", "2040", "--start", "2030")
    assert (sim["start_year"], sim["end_year"]) == (2030, 2040)


def test_events_take_the_overrides(wfsim, vectors, tmp_path):
    """The issue's own command: no configuration file, one year past the
    default end_year; the events carry the id given as text."""
    out = tmp_path / "ev"
    run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
              "--start", "2030", "--end", "2030", "--scenario", "123", "--plan", "0x1F",
              "--seed", "0", "--out", out, "--quiet")
    rows = duckdb.sql(
        f"select distinct simulation_year, scenario_id, plan_design_id, random_seed "
        f"from read_parquet('{out}/simulation_year=*/*.parquet', hive_partitioning=true)"
    ).fetchall()
    assert rows == [(2030, "123", "0x1F", 0)]
