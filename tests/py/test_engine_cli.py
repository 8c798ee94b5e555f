"""The `wfsim` command line: help, exit codes, error messages naming the
place of bad input, and an output folder that a failed run leaves as it was."""
import json
import os

import pytest

from engine_util import run_wfsim, tree_bytes

COMMANDS = ["census", "events", "config", "run", "parity", "report"]


def test_main_help_lists_every_command(wfsim):
    proc = run_wfsim(wfsim, "--help")
    for command in COMMANDS:
        assert f"\n  {command} " in proc.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(wfsim, command):
    proc = run_wfsim(wfsim, command, "--help")
    assert proc.stdout.startswith(f"usage: wfsim {command}")


def test_unknown_command_and_option_are_usage_errors(wfsim):
    assert run_wfsim(wfsim, "bogus", check=False).returncode == 64
    assert run_wfsim(wfsim, "events", "--bogus", check=False).returncode == 64
    assert run_wfsim(wfsim, "events", "--out", "x", check=False).returncode == 64
    assert run_wfsim(wfsim, check=False).returncode == 64


@pytest.fixture
def previous_output(wfsim, vectors, tmp_path):
    """An OUT folder holding a complete earlier run."""
    out = tmp_path / "out"
    run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
              "--out", out, "--quiet")
    return out, tree_bytes(out)


def assert_untouched(out, before):
    assert tree_bytes(out) == before
    leftovers = [p.name for p in out.parent.iterdir() if ".wfsim-tmp-" in p.name]
    assert leftovers == []


BAD_INPUTS = [
    # (census text, config text or None, exit code, expected message parts)
    ("employee_id,birth_date,hire_date\nE1,1980-01-01,2020-01-01\n", None, 2,
     ["census.csv:1", "salary"]),
    ("employee_id,birth_date,hire_date,salary\nE1,1980-01-01,2020-01-01,50000\n"
     "E2,1980-02-30,2020-01-01,50000\n", None, 2, ["census.csv:3:", "1980-02-30"]),
    ("employee_id,birth_date,hire_date,salary\nE1,1980-01-01,2020-01-01,50000\n",
     "workforce:\n  termination_rat: 0.1\n", 2, ["sim.yaml:2", "termination_rate"]),
    ("employee_id,birth_date,hire_date,salary\nE1,1980-01-01,2020-01-01,50000\n",
     "simulation:\n  start_year: 2030\n  end_year: 2029\n", 2, ["sim.yaml", "end_year"]),
    ("employee_id,birth_date,hire_date,salary\nE1,1980-01-01,2020-01-01,2000000000\n",
     None, 5, ["E1", "2025", "income segment"]),
]


@pytest.mark.parametrize("census_text,config_text,code,parts", BAD_INPUTS)
def test_bad_input_leaves_output_untouched(wfsim, tmp_path, previous_output,
                                           census_text, config_text, code, parts):
    out, before = previous_output
    census = tmp_path / "census.csv"
    census.write_text(census_text)
    args = ["events", "--census", census, "--out", out]
    if config_text is not None:
        (tmp_path / "sim.yaml").write_text(config_text)
        args += ["--config", tmp_path / "sim.yaml"]
    proc = run_wfsim(wfsim, *args, check=False)
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.startswith("wfsim: ")
    for part in parts:
        assert part in proc.stderr
    assert_untouched(out, before)


def test_missing_output_parent_is_a_file_error(wfsim, vectors, tmp_path):
    proc = run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
                     "--out", tmp_path / "no/such/dir", check=False)
    assert proc.returncode == 3
    assert "does not exist" in proc.stderr


def test_successful_run_replaces_output_whole(wfsim, vectors, previous_output):
    out, before = previous_output
    run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
              "--out", out, "--quiet", "--start", 2026, "--end", 2027)
    after = tree_bytes(out)
    assert sorted(p for p in after if p.endswith(".parquet")) == [
        "census.parquet",
        "simulation_year=2026/part-00000.parquet", "simulation_year=2027/part-00000.parquet"]
    assert json.loads(after["generation_summary.json"])["start_year"] == 2026


def test_stale_staging_directories_are_cleaned(wfsim, vectors, tmp_path):
    stale = tmp_path / ".out.wfsim-tmp-999999999-dead"
    stale.mkdir()
    (stale / "partial.parquet").write_bytes(b"PAR1")
    run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
              "--out", tmp_path / "out", "--quiet")
    assert not stale.exists()
    assert (tmp_path / "out/generation_summary.json").exists()


def test_per_year_table_on_stdout(wfsim, vectors, tmp_path):
    proc = run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
                     "--out", tmp_path / "out")
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:6] == ["year", "start", "hires", "terms", "end", "target"]
    assert [line.split()[0] for line in lines[1:]] == [str(y) for y in range(2025, 2030)]
    assert lines[1].split()[1] == "60"


def test_census_generator_is_deterministic(wfsim, tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    run_wfsim(wfsim, "census", "--employees", 500, "--seed", 3, "--out", a)
    run_wfsim(wfsim, "census", "--employees", 500, "--seed", 3, "--out", b)
    run_wfsim(wfsim, "census", "--employees", 500, "--seed", 4, "--out", c)
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
    assert len(a.read_text().splitlines()) == 501


def test_config_prints_canonical_json(wfsim, vectors):
    proc = run_wfsim(wfsim, "config", "--config", vectors / "golden/alt_config.yaml")
    cfg = json.loads(proc.stdout)
    assert cfg["simulation"]["random_seed"] == 31337
    assert cfg["workforce"]["termination_rate_ppm"] == 150000
    assert cfg["auto_escalation"]["scope"] == "all_enrolled"
    digest = run_wfsim(wfsim, "config", "--config", vectors / "golden/alt_config.yaml",
                       "--digest").stdout.strip()
    import hashlib
    assert digest == hashlib.sha256(proc.stdout.strip().encode()).hexdigest()


def events_on_a_terminal(wfsim, vectors, tmp_path, stdout_too):
    """`wfsim events` on the golden census with stderr (and stdout when
    stdout_too) on a pseudo-terminal; returns the process and the bytes the
    terminal received."""
    import pty
    import subprocess
    master, slave = pty.openpty()
    proc = subprocess.run([wfsim, "events", "--census", str(vectors / "golden/census.csv"),
                           "--out", str(tmp_path / "tty")],
                          stdout=slave if stdout_too else subprocess.PIPE, stderr=slave,
                          timeout=120)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return proc, seen


def test_progress_line_only_on_a_terminal(wfsim, vectors, tmp_path):
    proc, seen = events_on_a_terminal(wfsim, vectors, tmp_path, stdout_too=False)
    assert proc.returncode == 0
    assert b"\rwfsim: 2028 events written (4/5)" in seen
    assert seen.endswith(b"\r\x1b[K")  # the last year erases the line
    piped = run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
                      "--out", tmp_path / "pipe")
    assert piped.stderr == ""
    quiet = run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
                      "--out", tmp_path / "quiet", "--quiet")
    assert quiet.stdout == quiet.stderr == ""
    verbose = run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
                        "--out", tmp_path / "verbose", "--verbose")
    assert "wfsim: census loaded: 60 active employees" in verbose.stderr
    assert "wfsim: 2027 events written (3/5" in verbose.stderr


def test_progress_line_cleared_before_the_table(wfsim, vectors, tmp_path):
    """stdout and stderr on one terminal: the last progress line is erased
    (carriage return, erase to end of line) before the per-year table, so
    the table's header starts a clean line."""
    proc, seen = events_on_a_terminal(wfsim, vectors, tmp_path, stdout_too=True)
    assert proc.returncode == 0
    text = seen.decode()
    assert "\rwfsim: 2028 events written (4/5)" in text
    before_header = text[:text.index("year ")]
    assert before_header.endswith("\r\x1b[K"), repr(before_header[-80:])
    assert "(5/5)" not in text  # the last year's line would be erased at once


def test_per_year_tables_fit_100_columns(wfsim, vectors, tmp_path):
    plain = run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
                      "--out", tmp_path / "plain")
    lines = plain.stdout.splitlines()
    assert lines[0].split() == ["year", "start", "hires", "terms", "end", "target",
                                "shortfall", "events"]
    assert len(lines) == 6 and max(len(line) for line in lines) <= 100
    summary = json.loads((tmp_path / "plain/generation_summary.json").read_text())
    for line, year in zip(lines[1:], summary["per_year"]):
        assert int(line.split()[-1]) == sum(year["events_by_type"].values())
    verbose = run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
                        "--out", tmp_path / "verbose", "--verbose")
    tables = verbose.stdout.split("\n\n")
    assert len(tables) == 2 and tables[0] == plain.stdout.rstrip("\n")
    by_type = tables[1].splitlines()
    assert by_type[0].split() == ["year", "hire", "term", "promo", "raise", "elig", "enrol",
                                  "change", "escal"]
    assert max(len(line) for line in verbose.stdout.splitlines()) <= 100
    first = summary["per_year"][0]["events_by_type"]
    assert [int(v) for v in by_type[1].split()[1:]] == [
        first[t] for t in ["hire", "termination", "promotion", "raise", "eligibility",
                           "enrollment", "enrollment_change", "deferral_escalation"]]
