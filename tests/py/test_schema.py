"""The one schema (src/common/wf_schema.h) and its copies.

- The committed generated files (dbt/macros/wfsim_schema.sql,
  python/wfsim_schema.py) are exactly what tools/gen_schema writes now.
- What the engine writes is what the schema declares: the Parquet columns
  (order, physical and logical types, nullability, dictionary coding), the
  debug CSV headers, and the fields of generation_summary.json.
- The parity gate compares every column the schema declares but
  created_at: changing any one of them on one side makes it fail, and
  changing created_at does not.
- No hand-typed type ranks are left in SQL or Python.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys

import duckdb
import pyarrow.parquet as pq
import pytest

from engine_util import events_sql, run_wfsim, snapshot_sql
import wfsim_schema as S

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import parity_compare  # noqa: E402

GENERATED = {"dbt": ROOT / "dbt/macros/wfsim_schema.sql",
             "python": ROOT / "python/wfsim_schema.py"}


@pytest.mark.parametrize("kind", sorted(GENERATED))
def test_committed_copy_is_what_the_generator_writes(build, kind):
    gen = build / "tools" / "gen_schema"
    assert gen.exists(), f"{gen} is missing: run make first"
    now = subprocess.run([str(gen), kind], capture_output=True, check=True).stdout
    assert now == GENERATED[kind].read_bytes(), \
        f"{GENERATED[kind]} is stale: run make (tools/gen_schema {kind}) and commit it"


def test_generator_refuses_a_bad_command_line(build):
    proc = subprocess.run([str(build / "tools" / "gen_schema"), "yaml"], capture_output=True)
    assert proc.returncode == 64 and b"usage" in proc.stderr


def test_python_lists_are_consistent():
    assert list(S.TYPE_RANK) == list(S.EVENT_TYPES)
    assert sorted(S.TYPE_RANK.values()) == list(range(1, len(S.EVENT_TYPES) + 1))
    for cols in (S.EVENT_COLUMNS, S.SNAPSHOT_COLUMNS):
        names = [c.name for c in cols]
        assert len(names) == len(set(names))
    # created_at is the one column that is not a model value
    assert [c.name for c in S.EVENT_COLUMNS if not c.compared] == ["created_at"]
    assert all(c.compared for c in S.SNAPSHOT_COLUMNS)


@pytest.fixture(scope="module")
def engine_out(wfsim, vectors, tmp_path_factory):
    out = tmp_path_factory.mktemp("schema") / "out"
    run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
              "--start", "2025", "--end", "2027", "--out", out, "--snapshots",
              "--debug-csv", "--quiet")
    return out


PHYSICAL = {"BYTE_ARRAY": "BYTE_ARRAY", "INT32": "INT32", "INT64": "INT64",
            "DOUBLE": "DOUBLE", "BOOLEAN": "BOOLEAN"}


def _check_parquet(path, columns):
    md = pq.ParquetFile(path).metadata
    schema = md.schema
    assert [schema.column(i).name for i in range(md.num_columns)] == [c.name for c in columns]
    for i, c in enumerate(columns):
        col = schema.column(i)
        assert col.physical_type == PHYSICAL[c.physical], c.name
        logical = col.logical_type.type
        if c.logical == "NONE":
            assert logical == "NONE", c.name
        elif c.logical == "TIMESTAMP_MICROS":
            assert logical == "TIMESTAMP" and "microseconds" in str(col.logical_type), c.name
        else:
            assert logical == c.logical, c.name
        if c.logical == "DECIMAL":
            assert (col.precision, col.scale) == (c.precision, c.scale), c.name
        assert (col.max_definition_level == 1) == c.nullable, c.name
        encodings = md.row_group(0).column(i).encodings
        if c.physical != "BOOLEAN":
            assert ("RLE_DICTIONARY" in encodings) == c.dictionary, (c.name, encodings)


def test_event_parquet_is_the_schema(engine_out):
    files = sorted(engine_out.glob("simulation_year=*/*.parquet"))
    assert len(files) == 3
    for f in files:
        _check_parquet(f, S.EVENT_COLUMNS)


def test_snapshot_parquet_is_the_schema(engine_out):
    files = sorted(engine_out.glob("workforce_snapshot/simulation_year=*/*.parquet"))
    assert len(files) == 3
    for f in files:
        _check_parquet(f, S.SNAPSHOT_COLUMNS)


def test_duckdb_reads_the_schema_types(engine_out):
    con = duckdb.connect()
    for sql, cols in ((events_sql(engine_out), S.EVENT_COLUMNS),
                      (snapshot_sql(engine_out), S.SNAPSHOT_COLUMNS)):
        got = con.execute(f"describe select * exclude (simulation_year) from {sql}").fetchall()
        assert {r[0]: r[1] for r in got} == S.sql_types(cols)


def test_debug_csv_headers_are_the_schema(engine_out):
    ev = (engine_out / "debug/events.csv").read_text().splitlines()[0]
    sn = (engine_out / "debug/snapshot.csv").read_text().splitlines()[0]
    assert ev.split(",") == ["simulation_year", *S.names(S.EVENT_COLUMNS, True)]
    assert sn.split(",") == ["simulation_year", *S.names(S.SNAPSHOT_COLUMNS, True)]


def test_values_are_the_schema_lists(engine_out):
    con = duckdb.connect()
    ev, sn = events_sql(engine_out), snapshot_sql(engine_out)
    types = {r[0] for r in con.execute(f"select distinct event_type from {ev}").fetchall()}
    cats = {r[0] for r in con.execute(f"select distinct event_category from {ev}").fetchall()}
    statuses = {r[0] for r in con.execute(f"select distinct employment_status from {sn}").fetchall()}
    sources = {r[0] for r in con.execute(
        f"select distinct enrollment_source from {sn} where enrollment_source is not null").fetchall()}
    assert types <= set(S.EVENT_TYPES) and len(types) >= 6
    assert cats <= set(S.EVENT_CATEGORIES) and len(cats) >= 8
    assert statuses == set(S.EMPLOYMENT_STATUSES)
    assert sources <= set(S.ENROLLMENT_SOURCES) and sources
    # event_sequence follows the schema's type order on a shared date
    rows = con.execute(f"select simulation_year, employee_id, event_date, event_type, event_sequence "
                       f"from {ev} order by 1, 2, 5").fetchall()
    for a, b in zip(rows, rows[1:]):
        if a[:3] == b[:3]:
            assert S.TYPE_RANK[a[3]] < S.TYPE_RANK[b[3]], (a, b)


def test_summary_fields_are_the_schema(engine_out):
    doc = json.loads((engine_out / "generation_summary.json").read_text())
    for y in doc["per_year"]:
        assert list(y) == ["year", *S.SUMMARY_FIELDS, "events_by_type", "events_by_category"]
        assert list(y["events_by_type"]) == list(S.EVENT_TYPES)
        assert list(y["events_by_category"]) == list(S.EVENT_CATEGORIES)


# ---- the parity gate compares every column ---------------------------------

def test_parity_lists_are_the_schema():
    assert parity_compare.EVENT_COLUMNS.split(", ") == \
        ["simulation_year", *S.names(S.EVENT_COLUMNS, compared_only=True)]
    assert parity_compare.SNAPSHOT_COLUMNS.split(", ") == \
        ["simulation_year", *S.names(S.SNAPSHOT_COLUMNS, compared_only=True)]


def _changed(c):
    """A SQL expression that differs from column c wherever c is not null."""
    if c.sql_type == "VARCHAR":
        return f"{c.name} || 'x'"
    if c.sql_type == "BOOLEAN":
        return f"not {c.name}"
    if c.sql_type == "TIMESTAMP":
        return f"{c.name} + interval 1 second"
    return f"({c.name} + 1)::{c.sql_type}"


def _rewrite(src, dst, sub, column, con):
    """Copies the tree src/sub into dst/sub with `column` changed."""
    sql = (events_sql if sub == "" else snapshot_sql)(src)
    con.execute(f"copy (select * replace ({_changed(column)} as {column.name}) from {sql}) "
                f"to '{dst / sub}' (format parquet, partition_by (simulation_year))")


def _parity(monkeypatch, capsys, a, b):
    monkeypatch.setattr(sys, "argv", ["parity_compare.py", str(a), str(b), "--show", "1"])
    rc = parity_compare.main()
    capsys.readouterr()
    return rc


@pytest.mark.parametrize("table", ["event", "snapshot"])
def test_parity_fails_on_any_declared_column(engine_out, tmp_path, monkeypatch, capsys, table):
    """For each column the schema declares, a copy of the output with only
    that column changed: the gate must say DIFFERENT (exit 1), except for
    created_at, which it must ignore (exit 0)."""
    assert _parity(monkeypatch, capsys, engine_out, engine_out) == 0
    con = duckdb.connect()
    columns = S.EVENT_COLUMNS if table == "event" else S.SNAPSHOT_COLUMNS
    for c in columns:
        other = tmp_path / c.name
        if table == "event":
            _rewrite(engine_out, other, "", c, con)
            shutil.copytree(engine_out / "workforce_snapshot", other / "workforce_snapshot")
        else:
            other.mkdir()
            for part in engine_out.glob("simulation_year=*"):
                shutil.copytree(part, other / part.name)
            _rewrite(engine_out, other, "workforce_snapshot", c, con)
        sql = (events_sql if table == "event" else snapshot_sql)(engine_out)
        assert con.execute(f"select count({c.name}) from {sql}").fetchone()[0] > 0, c.name
        expected = 1 if c.compared else 0
        assert _parity(monkeypatch, capsys, engine_out, other) == expected, c.name
        assert _parity(monkeypatch, capsys, other, engine_out) == expected, c.name


# ---- no list typed by hand ---------------------------------------------------

def test_no_hand_typed_type_ranks():
    """The type ranks come from the schema: no `'raise' THEN 7`, no
    `"raise": 7`, no `type_rank >= 7` left in SQL or Python."""
    patterns = [re.compile(r"'(%s)'\s+THEN\s+\d" % "|".join(S.EVENT_TYPES), re.I),
                re.compile(r"[\"'](%s)[\"']\s*:\s*\d" % "|".join(S.EVENT_TYPES)),
                re.compile(r"type_rank[\"')\s]*>=?\s*\d")]
    generated = {p.resolve() for p in GENERATED.values()}
    found = []
    for base, globs in ((ROOT / "dbt", ["**/*.sql"]), (ROOT / "scripts", ["*.py"]),
                        (ROOT / "tests/py", ["*.py"]), (ROOT / "bench", ["**/*.py"])):
        for g in globs:
            for path in base.glob(g):
                if path.resolve() in generated or path.name == "test_schema.py":
                    continue
                text = path.read_text()
                found += [f"{path.relative_to(ROOT)}: {m.group(0)}"
                          for p in patterns for m in p.finditer(text)]
    assert found == []
