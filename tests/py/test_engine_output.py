"""The engine's output read back by independent readers (DuckDB, pyarrow,
Polars): the golden example reproduced, schema and types of docs/model.md 5.1 and
5.2, every Parquet value equal to the engine's own CSV dump, partition
pruning, and byte-identical output for any thread count."""
import json
import re

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from engine_util import (EVENT_TYPES, SNAPSHOT_TYPES, csv_types, events_sql,
                         run_wfsim, snapshot_sql, tree_bytes)

GOLDEN_FIGURES = ("N", "P", "X", "target", "R", "Q", "Te", "net", "H", "Tnh")


@pytest.fixture(scope="module", params=["default", "alt"])
def golden_run(request, wfsim, vectors, tmp_path_factory):
    """The golden census run through the CLI with the golden configuration."""
    name = request.param
    out = tmp_path_factory.mktemp(f"golden_{name}") / "out"
    args = ["events", "--census", vectors / "golden/census.csv", "--out", out,
            "--snapshots", "--debug-csv", "--quiet"]
    if name == "alt":
        args += ["--config", vectors / "golden/alt_config.yaml"]
    run_wfsim(wfsim, *args)
    return name, out, vectors / "golden" / name


def test_golden_events_and_snapshot_byte_for_byte(golden_run):
    _name, out, golden = golden_run
    assert (out / "debug/events.csv").read_text() == (golden / "events.csv").read_text()
    assert (out / "debug/snapshot.csv").read_text() == (golden / "snapshot.csv").read_text()


def test_golden_summary_figures(golden_run):
    _name, out, golden = golden_run
    ours = json.loads((out / "generation_summary.json").read_text())["per_year"]
    theirs = json.loads((golden / "summary.json").read_text())["per_year"]
    assert [y["year"] for y in ours] == [y["year"] for y in theirs]
    for a, b in zip(ours, theirs):
        assert {k: a[k] for k in GOLDEN_FIGURES} == {k: b[k] for k in GOLDEN_FIGURES}, a["year"]
        assert a["year_end_headcount"] == b["year_end_headcount"]


def test_parquet_equals_golden_csv_in_duckdb(golden_run):
    """Every column but created_at, both directions (EXCEPT ALL)."""
    _name, out, golden = golden_run
    con = duckdb.connect()
    cols = ", ".join(["simulation_year"] + [c for c in EVENT_TYPES if c != "created_at"])
    ours = f"select {cols} from {events_sql(out)}"
    theirs = (f"select {cols} from read_csv('{golden}/events.csv', header=true, "
              f"types={csv_types(EVENT_TYPES)})")
    assert con.execute(f"select count(*) from ({ours})").fetchone()[0] > 100
    for a, b in ((ours, theirs), (theirs, ours)):
        assert con.execute(f"select count(*) from ({a} except all {b})").fetchone()[0] == 0
    scols = ", ".join(["simulation_year"] + list(SNAPSHOT_TYPES))
    ours = f"select {scols} from {snapshot_sql(out)}"
    theirs = (f"select {scols} from read_csv('{golden}/snapshot.csv', header=true, "
              f"types={csv_types(SNAPSHOT_TYPES)})")
    for a, b in ((ours, theirs), (theirs, ours)):
        assert con.execute(f"select count(*) from ({a} except all {b})").fetchone()[0] == 0


def test_event_schema_exact(golden_run):
    _name, out, _golden = golden_run
    con = duckdb.connect()
    described = con.execute(f"describe select * from {events_sql(out)}").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types == {**EVENT_TYPES, "simulation_year": "INTEGER"}
    assert [row[0] for row in described][:-1] == list(EVENT_TYPES)


def test_event_logical_types_and_nullability_in_pyarrow(golden_run):
    _name, out, _golden = golden_run
    schema = pq.read_schema(next(out.glob("simulation_year=2025/*.parquet")))
    assert "simulation_year" not in schema.names
    expect = {
        "event_id": "string", "random_seed": "int64", "event_date": "date32[day]",
        "event_sequence": "int32", "compensation_amount": "decimal128(18, 2)",
        "employee_deferral_rate": "decimal128(9, 4)", "event_probability": "double",
        "created_at": "timestamp[us]",
    }
    for name, arrow_type in expect.items():
        assert str(schema.field(name).type) == arrow_type, name
    nullable = {"previous_level_id", "previous_compensation", "employee_deferral_rate",
                "prev_employee_deferral_rate", "event_probability"}
    for field in schema:
        assert field.nullable == (field.name in nullable), field.name
    meta = pq.ParquetFile(next(out.glob("simulation_year=2025/*.parquet"))).metadata
    assert meta.created_by.startswith("wfsim version")


def test_snapshot_schema_exact(golden_run):
    _name, out, _golden = golden_run
    con = duckdb.connect()
    described = con.execute(f"describe select * from {snapshot_sql(out)}").fetchall()
    types = {row[0]: row[1] for row in described}
    assert types == {**SNAPSHOT_TYPES, "simulation_year": "INTEGER"}


def test_pyarrow_and_polars_read_the_same_values(golden_run):
    """pyarrow and Polars see exactly what DuckDB sees, row for row."""
    _name, out, _golden = golden_run
    con = duckdb.connect()
    ref = con.execute(f"select * exclude (simulation_year) from {events_sql(out)} "
                  "order by employee_id, event_date, event_sequence").fetchall()
    files = sorted(out.glob("simulation_year=*/*.parquet"))
    arrow_rows = []
    for f in files:
        arrow_rows += [tuple(r.values()) for r in pq.read_table(f).to_pylist()]
    polars_rows = []
    for f in files:
        polars_rows += pl.read_parquet(f).rows()
    key = lambda r: (r[4], r[7], r[8])  # employee_id, event_date, event_sequence
    assert sorted(arrow_rows, key=key) == ref
    assert sorted(polars_rows, key=key) == ref


def test_created_at_is_source_date_epoch(golden_run):
    _name, out, _golden = golden_run
    con = duckdb.connect()
    values = con.execute(f"select distinct epoch(created_at) from {events_sql(out)}").fetchall()
    assert values == [(1700000000.0,)]


def test_partition_pruning_in_duckdb(golden_run):
    _name, out, _golden = golden_run
    con = duckdb.connect()
    plan = con.execute(f"explain analyze select count(*) from {events_sql(out)} "
                   "where simulation_year = 2026").fetchall()[0][1]
    years = len(list(out.glob("simulation_year=*")))
    assert re.search(rf"Scanning Files: 1/{years}\b", plan), plan
    n = con.execute(f"select count(*) from {events_sql(out)} where simulation_year = 2026").fetchone()[0]
    assert n == con.execute(f"select count(*) from {events_sql(out)} "
                        "where year(event_date) = 2026").fetchone()[0]


def test_output_identical_for_any_thread_count(wfsim, tmp_path):
    census = tmp_path / "census.csv"
    run_wfsim(wfsim, "census", "--employees", 3000, "--seed", 5, "--out", census)
    trees = []
    for threads in (1, 2, 4, 8, 2):
        out = tmp_path / f"out{threads}_{len(trees)}"
        run_wfsim(wfsim, "events", "--census", census, "--out", out, "--quiet",
                  "--snapshots", "--threads", threads)
        files = tree_bytes(out)
        summary = json.loads(files.pop("generation_summary.json"))
        assert summary["threads"] == threads
        trees.append(files)
    assert len(trees[0]) >= 10
    for other in trees[1:]:
        assert other == trees[0]


def test_row_groups_even_and_identical_for_any_thread_count(wfsim, tmp_path):
    """A year of more than 131,072 events is cut into an even number of
    row groups of equal size (docs/parquet.md), which the workers fill and
    encode side by side: the bytes must still not depend on the threads,
    and every event must be there once, in order."""
    census = tmp_path / "census.csv"
    run_wfsim(wfsim, "census", "--employees", 75000, "--seed", 3, "--out", census)
    trees = []
    for threads in (1, 2, 3):
        out = tmp_path / f"out{threads}"
        run_wfsim(wfsim, "events", "--census", census, "--out", out, "--quiet",
                  "--start", 2025, "--end", 2025, "--debug-csv", "--threads", threads)
        files = tree_bytes(out)
        files.pop("generation_summary.json")
        trees.append(files)
    assert trees[1] == trees[0] and trees[2] == trees[0]
    meta = pq.ParquetFile(out / "simulation_year=2025/part-00000.parquet").metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert meta.num_rows >= 131072 and len(sizes) == 2, sizes
    assert max(sizes) - min(sizes) <= 1
    ids = pq.read_table(out / "simulation_year=2025/part-00000.parquet",
                        columns=["event_id"]).column(0).to_pylist()
    with open(out / "debug/events.csv") as f:
        header = f.readline().rstrip("\n").split(",")
        at = header.index("event_id")
        assert ids == [line.rstrip("\n").split(",")[at] for line in f]


def test_threads_from_environment(wfsim, vectors, tmp_path):
    out = tmp_path / "out"
    run_wfsim(wfsim, "events", "--census", vectors / "golden/census.csv",
              "--out", out, "--quiet", env={"WFSIM_THREADS": "3"})
    assert json.loads((out / "generation_summary.json").read_text())["threads"] == 3


def test_output_identical_at_every_md5_level(wfsim, tmp_path):
    """The draws and event ids hashed by the scalar MD5, 8 lanes (AVX2) and
    16 lanes (AVX-512; each where the CPU has it: WFSIM_MD5_LANES caps the
    lanes) give the same files, ids of every length in the census (keys of
    one and of two blocks), and a long seed."""
    census = tmp_path / "census.csv"
    run_wfsim(wfsim, "census", "--employees", 2000, "--seed", 9, "--out", census)
    lines = census.read_text().splitlines()
    # ids of 1 to 64 bytes, so that "{seed}|{id}" spans both sides of a block
    out_lines = [lines[0]]
    for k, line in enumerate(lines[1:]):
        emp, rest = line.split(",", 1)
        n = 1 + k % 64
        out_lines.append((f"{k}x" + "y" * 64)[:n] + "," + rest if n > len(str(k)) + 1
                         else emp + "," + rest)
    census.write_text("\n".join(out_lines) + "\n")
    trees = {}
    for lanes in ("1", "8", "16", None):
        out = tmp_path / f"out{lanes}"
        env = {"WFSIM_MD5_LANES": lanes} if lanes else None
        run_wfsim(wfsim, "events", "--census", census, "--out", out, "--quiet",
                  "--snapshots", "--seed", "9223372036854775807", env=env)
        files = tree_bytes(out)
        files.pop("generation_summary.json")
        trees[lanes] = files
    assert len(trees[None]) >= 10
    for lanes in ("1", "8", "16"):
        assert trees[lanes] == trees[None], lanes
    bad = run_wfsim(wfsim, "events", "--census", census, "--out", tmp_path / "bad",
                    "--quiet", env={"WFSIM_MD5_LANES": "4"}, check=False)
    assert bad.returncode == 2
    assert "WFSIM_MD5_LANES=4" in bad.stderr
    assert not (tmp_path / "bad").exists()
