"""The fuzz corpora replayed (issue 7).

tests/fuzz/fuzz_parquet.c turns each input into a Parquet file of random
columns and values; with WF_FUZZ_DUMP set, the replay program (built with
gcc, tests/fuzz/replay_main.c) writes each file next to a JSON of the
expected schema and values. Here every file is read back with DuckDB and
compared value by value: types (DECIMAL(p,s), DATE, TIMESTAMP [WITH TIME
ZONE], BLOB, VARCHAR...), nulls, doubles bit for bit (NaN as NaN), dates in
days and timestamps in microseconds, decimals exactly.

The census, configuration, table and scenario corpora are replayed by `make
check-fuzz-replay`; here they are run once more to check that each corpus
is there and is small (a few dozen files, minimized).
"""
import decimal
import json
import math
import os
import struct
import subprocess

import duckdb
import pytest

TARGETS = ("census", "config", "parquet", "tables", "scenarios")

DUCK_TYPES = {
    ("BOOLEAN", "NONE"): "BOOLEAN", ("INT32", "NONE"): "INTEGER",
    ("INT64", "NONE"): "BIGINT", ("DOUBLE", "NONE"): "DOUBLE",
    ("BYTE_ARRAY", "NONE"): "BLOB", ("BYTE_ARRAY", "STRING"): "VARCHAR",
    ("INT32", "DATE"): "DATE",
}


def replay_program(root, build, target):
    """BUILD/fuzz/replay_TARGET, brought up to date with make (a program
    left from an older build would replay the corpus against old checks)."""
    path = build / "fuzz" / f"replay_{target}"
    proc = subprocess.run(["make", f"BUILD={os.path.relpath(build, root)}",
                           os.path.relpath(path, root)], cwd=root,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return path


def duck_type(col):
    if col["logical"] == "DECIMAL":
        return f"DECIMAL({col['precision']},{col['scale']})"
    if col["logical"] == "TIMESTAMP":
        return "TIMESTAMP WITH TIME ZONE" if col["utc"] else "TIMESTAMP"
    return DUCK_TYPES[(col["physical"], col["logical"])]


def select_expr(col):
    """DuckDB expression giving the value in the JSON's terms."""
    name = col["name"]
    if col["logical"] == "DATE":
        return f"datediff('day', DATE '1970-01-01', {name})"
    if col["logical"] == "TIMESTAMP":
        return f"epoch_us({name})"
    return name


def same(col, got, want):
    if want is None or got is None:
        return got is None and want is None
    if col["physical"] == "DOUBLE":
        expected = struct.unpack(">d", bytes.fromhex(want))[0]
        if math.isnan(expected):
            return math.isnan(got)
        return struct.pack(">d", got) == struct.pack(">d", expected)
    if col["physical"] == "BYTE_ARRAY":
        raw = bytes.fromhex(want)
        return got == (raw.decode("utf-8") if col["logical"] == "STRING" else raw)
    if col["logical"] == "DECIMAL":
        return got == decimal.Decimal(want).scaleb(-col["scale"])
    return got == want


@pytest.fixture(scope="module")
def parquet_dump(root, build, tmp_path_factory):
    out = tmp_path_factory.mktemp("fuzz_dump")
    program = replay_program(root, build, "parquet")
    proc = subprocess.run([str(program), str(root / "tests/fuzz/corpus/parquet")],
                          env=dict(os.environ, WF_FUZZ_DUMP=str(out)),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    files = sorted(out.glob("*.json"))
    assert len(files) == len(os.listdir(root / "tests/fuzz/corpus/parquet"))
    return files


def test_fuzz_parquet_corpus_reads_back_through_duckdb(parquet_dump):
    con = duckdb.connect()
    checked_values = 0
    for spec_path in parquet_dump:
        spec = json.loads(spec_path.read_text())
        path = spec_path.with_suffix(".parquet")
        cols = spec["columns"]
        where = f"{path.name} ({[duck_type(c) for c in cols]})"
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
        assert [(d[0], d[1]) for d in described] == [(c["name"], duck_type(c)) for c in cols], where
        exprs = ", ".join(select_expr(c) for c in cols)
        rows = con.execute(f"SELECT {exprs} FROM read_parquet('{path}')").fetchall()
        assert len(rows) == spec["rows"], where
        for j, col in enumerate(cols):
            for i, row in enumerate(rows):
                assert same(col, row[j], col["values"][i]), \
                    f"{where}: row {i} column {col['name']}: {row[j]!r} != {col['values'][i]!r}"
                checked_values += 1
    assert checked_values > 0


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_corpus_is_small_and_replays(root, build, target):
    corpus = root / "tests/fuzz/corpus" / target
    files = list(corpus.iterdir())
    assert 10 <= len(files) <= 200, len(files)
    assert sum(f.stat().st_size for f in files) < 2 << 20
    proc = subprocess.run([str(replay_program(root, build, target)), str(corpus)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"replay: {len(files)} inputs ran"
