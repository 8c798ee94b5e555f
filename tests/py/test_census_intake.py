"""Census intake for real HR exports (issue 13): every error at once, skip
mode with its rejects file, column mapping and date formats, and both
modes reading the same accepted rows.

The bad-input table of test_reliability_inputs.py holds the skip-mode
column of each bad row; the loader's own rules are in
tests/c/test_inputs_census.c. Here: the command line and the files."""
import csv
import hashlib
import json

import duckdb
import pytest

from engine_util import events_sql, run_wfsim, tree_bytes

H = "employee_id,birth_date,hire_date,salary,level_id,deferral_rate"
GOOD = [f"G{i:03d},{1950 + i % 30}-0{1 + i % 9}-1{i % 9},{2000 + i % 20}-1{i % 3}-0{1 + i % 9},"
        f"{52000 + 1379 * i},{'' if i % 4 == 0 else 1 + i % 5},{(i % 7) / 100}"
        for i in range(120)]


def write(path, rows, header=H):
    path.write_text("".join(line + "\n" for line in (header, *rows)))
    return path


def event_files(out):
    return {k: v for k, v in tree_bytes(out).items() if k.startswith("simulation_year=")}


def test_strict_mode_lists_100_bad_rows_and_the_total(wfsim, tmp_path):
    rows = list(GOOD)
    for i in range(250):
        rows.insert(2 * i % len(rows), f"B{i:03d},1980-01-01,2010-02-30,50000,,")
    census = write(tmp_path / "census.csv", rows)
    proc = run_wfsim(wfsim, "events", "--census", census, "--out", tmp_path / "out",
                     check=False)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 101, proc.stderr[-2000:]
    assert all("hire_date: '2010-02-30' is not a date YYYY-MM-DD" in x for x in lines[:100])
    numbers = [int(x.split(":")[2]) for x in lines[:100]]
    assert numbers == sorted(numbers)                       # file order
    assert lines[100] == "wfsim: ... and 150 more; 250 rows with errors in all"
    assert not (tmp_path / "out").exists()


def test_mapping_and_us_dates_give_the_events_of_the_canonical_twin(wfsim, tmp_path):
    canon = write(tmp_path / "canon.csv", GOOD)
    exported = []
    for r in GOOD:
        eid, birth, hire, salary, level, rate = r.split(",")
        us = lambda d: f"{d[5:7]}/{d[8:10]}/{d[0:4]}"     # noqa: E731
        exported.append(f"{us(hire)},{salary},{eid},x,{us(birth)},{level},{rate}")
    export = write(tmp_path / "export.csv", exported,
                   header="Hire Dt,Annual Base Salary,Employee Number,Status,"
                          "Date of Birth,Grade,Deferral %")
    (tmp_path / "map.yaml").write_text(
        "census:\n  date_format: MM/DD/YYYY\n  columns:\n"
        "    employee_id: Employee Number\n    birth_date: Date of Birth\n"
        "    hire_date: Hire Dt\n    salary: Annual Base Salary\n"
        "    level_id: Grade\n    deferral_rate: Deferral %\n")
    run_wfsim(wfsim, "events", "--census", canon, "--out", tmp_path / "a", "--end", 2026,
              "--quiet")
    run_wfsim(wfsim, "events", "--census", export, "--config", tmp_path / "map.yaml",
              "--out", tmp_path / "b", "--end", 2026, "--quiet")
    assert event_files(tmp_path / "a") == event_files(tmp_path / "b")
    sa = json.loads((tmp_path / "a/generation_summary.json").read_text())
    sb = json.loads((tmp_path / "b/generation_summary.json").read_text())
    assert sa["census_sha256"] == sb["census_sha256"]
    assert sa["config_digest"] == sb["config_digest"]         # census: not the model's
    assert sb["census_date_format"] == "MM/DD/YYYY"
    # 13/01/2024 in MM/DD/YYYY is no date: a row error, never guessed
    bad = export.read_text().replace(exported[5].split(",")[0], "13/01/2010")
    (tmp_path / "bad.csv").write_text(bad)
    proc = run_wfsim(wfsim, "events", "--census", tmp_path / "bad.csv", "--config",
                     tmp_path / "map.yaml", "--out", tmp_path / "c", check=False)
    assert proc.returncode == 2
    assert "bad.csv:7:1: hire_date: '13/01/2010' is not a date MM/DD/YYYY" in proc.stderr


def digest_of(parquet):
    """SHA-256 of the normalised rows as docs/inputs.md defines it."""
    rows = duckdb.sql(
        f"select employee_id, strftime(birth_date, '%Y-%m-%d'), strftime(hire_date, '%Y-%m-%d'),"
        f" salary::VARCHAR, level_id, deferral_rate::VARCHAR, auto_escalation_opt_out"
        f" from read_parquet('{parquet}')").fetchall()
    text = "".join(f"{a},{b},{c},{d},{e},{f},{'true' if g else 'false'}\n"
                   for a, b, c, d, e, f, g in rows)
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture(scope="module")
def dirty(tmp_path_factory):
    d = tmp_path_factory.mktemp("dirty")
    rows = list(GOOD)
    rows[3] = "G003,1953-13-13,2003-10-04,56137,4,0.03"          # no 13th month
    rows.insert(10, GOOD[40])                                       # G040 twice
    rows.insert(30, "NH_7,1980-01-01,2010-01-01,50000,,")           # reserved prefix
    rows.insert(50, "G060,1950-07-16,2000-10-07,134740,,1.5")       # G060 twice, bad too
    rows.append('G999,1980-01-01,2010-01-01,"1,000",,')             # thousands separator
    return write(d / "census.csv", rows)


def test_parity_gate_on_a_census_with_rejected_rows(wfsim, dirty, tmp_path):
    proc = run_wfsim(wfsim, "parity", "--census", dirty, "--out", tmp_path / "par",
                     "--skip-invalid-rows", "--show", 5, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "parity: IDENTICAL" in proc.stdout
    assert "census: 117 employees loaded, 7 rows rejected" in proc.stderr
    fast = tmp_path / "par/fast/events"
    with open(fast / "rejected_rows.csv", newline="") as fh:
        rejected = list(csv.DictReader(fh))
    ids = [r["employee_id"] for r in rejected]
    assert ids.count("G040") == 2 and ids.count("G060") == 2      # every row of the id
    assert {"NH_7", "G999", "G003"} <= set(ids)
    assert [int(r["line"]) for r in rejected] == sorted(int(r["line"]) for r in rejected)
    for mode in ("fast", "sql"):                                   # both modes: none of them
        seen = {r[0] for r in duckdb.sql(
            f"select distinct employee_id from {events_sql(tmp_path / 'par' / mode / 'events')}"
        ).fetchall()}
        assert not seen & set(ids), mode
    summary = json.loads((fast / "generation_summary.json").read_text())
    assert summary["rejected_rows"] == 7
    assert summary["census_rows_read"] == 124
    assert summary["census_sha256"] == digest_of(fast / "census.parquet")
    assert (tmp_path / "par/sql/events/census.parquet").read_bytes() == \
        (fast / "census.parquet").read_bytes()


def test_run_reads_the_accepted_rows_in_dbt(wfsim, dirty, tmp_path):
    proc = run_wfsim(wfsim, "run", "--census", dirty, "--out", tmp_path / "run",
                     "--skip-invalid-rows", check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads((tmp_path / "run/run_summary.json").read_text())
    assert summary["census"]["rejected_rows"] == 7
    assert summary["census"]["employees"] == 117
    digest = digest_of(tmp_path / "run/events/census.parquet")
    assert summary["census"]["sha256"] == digest
    assert (f"census: 124 rows read, 117 employees loaded, 7 rows rejected\n"
            f"census: accepted rows SHA-256 {digest}\n") in proc.stdout
    assert "census: 117 employees loaded, 7 rows rejected (" in proc.stderr
    con = duckdb.connect(str(tmp_path / "run/wfsim.duckdb"), read_only=True)
    n, dup = con.execute("select count(*), count(*) filter (where employee_id in "
                         "('G040', 'G060', 'NH_7')) from stg_wfsim__census").fetchone()
    assert (n, dup) == (117, 0)
