"""Property test of wfsim's Parquet writer: random tables (random column
types, null patterns, sizes, row-group/page/dictionary bounds, batch sizes
and thread counts) are written and compared value by value through DuckDB,
with the statistics of every row group checked through pyarrow.

The seed is printed and is in every failure message; replay a failure with
WF_TEST_SEED=<seed>. WF_PARQUET_ROUNDS sets the number of tables (default 30).
"""
import os
import random

import pyarrow.parquet as pq

from test_parquet_roundtrip import (col, duck, expected_value, same,
                                    write_parquet)
from test_parquet_stats import expected_stats

KINDS = [
    ("BOOLEAN", "NONE"), ("INT32", "NONE"), ("INT64", "NONE"), ("DOUBLE", "NONE"),
    ("BYTE_ARRAY", "NONE"), ("BYTE_ARRAY", "STRING"), ("INT32", "DATE"),
    ("INT32", "DECIMAL"), ("INT64", "DECIMAL"), ("INT64", "TIMESTAMP"),
]


def random_column(rng, j):
    phys, logical = rng.choice(KINDS)
    c = col(f"c{j}", phys, logical, nullable=rng.random() < 0.6,
            dict=rng.random() < 0.5, utc=rng.random() < 0.5)
    if logical == "DECIMAL":
        c["p"] = rng.randint(1, 9 if phys == "INT32" else 18)
        c["s"] = rng.randint(0, c["p"])
    return c


def random_value(rng, c, card):
    """A value of column c; card > 0 draws from a small pool (so that
    dictionaries fill up or not)."""
    if card:
        rng = random.Random(rng.randrange(card) * 7919 + int(c["name"][1:]))
    phys, logical = c["physical"], c["logical"]
    if phys == "BOOLEAN":
        return rng.random() < 0.5
    if logical == "DECIMAL":
        bound = 10 ** c["p"] - 1
        return rng.choice([rng.randint(-bound, bound), bound, -bound, 0])
    if logical == "DATE":
        return rng.randint(-719162, 2932896)
    if logical == "TIMESTAMP":
        return rng.randint(-62135596800000000, 253402300799999999)
    if phys == "INT32":
        return rng.choice([rng.randint(-2**31, 2**31 - 1), rng.randint(-5, 5)])
    if phys == "INT64":
        return rng.choice([rng.randint(-2**63, 2**63 - 1), rng.randint(-5, 5)])
    if phys == "DOUBLE":
        return rng.choice([rng.uniform(-1e6, 1e6), rng.choice([0.0, -0.0, 1.5]),
                           float("nan"), float("inf"), -float("inf"),
                           rng.random() * 10 ** rng.randint(-300, 300)])
    length = rng.choice([0, 1, rng.randint(0, 20), rng.randint(0, 300)])
    if logical == "STRING":
        return "".join(rng.choice("abcé日\n z") for _ in range(length))
    return bytes(rng.randrange(256) for _ in range(length))


def random_table(rng):
    ncols = rng.randint(1, 6)
    cols = [random_column(rng, j) for j in range(ncols)]
    nrows = rng.choice([0, 1, rng.randint(2, 50), rng.randint(50, 3000)])
    values = []
    for c in cols:
        null_rate = rng.choice([0.0, 0.1, 0.5, 0.95, 1.0]) if c["nullable"] else 0.0
        card = rng.choice([0, 1, 3, 200])
        runs = rng.random() < 0.3  # long runs of nulls / values
        vals, null = [], False
        for _ in range(nrows):
            if runs:
                if rng.random() < 0.02:
                    null = rng.random() < null_rate
            else:
                null = rng.random() < null_rate
            vals.append(None if null else random_value(rng, c, card))
        values.append(vals)
    options = {
        "row_group_rows": rng.choice([1, 7, 100, 1000, 1 << 20]),
        "page_bytes": rng.choice([1, 64, 1000, 1 << 20]),
        "dict_max_bytes": rng.choice([1, 100, 5000, 1 << 20]),
        "batch": rng.choice([1, 13, 500, 100000]),
        "zstd_level": rng.choice([1, 3, 9, -5]),
    }
    if nrows > 1000 and options["row_group_rows"] == 1:
        options["row_group_rows"] = 7
    return cols, values, options


def check_table(path, cols, values, options, tag):
    con = duck()
    rows = con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
    nrows = len(values[0])
    assert len(rows) == nrows, tag
    for j, c in enumerate(cols):
        for i in range(nrows):
            want = expected_value(c, values[j][i])
            got = rows[i][j]
            assert same(bytes(got) if isinstance(got, (bytearray, memoryview)) else got, want), \
                f"{tag} column {c} row {i}: got {got!r}, expected {want!r}"
    md = pq.ParquetFile(path).metadata
    rg = options["row_group_rows"]
    assert md.num_rows == nrows, tag
    assert md.num_row_groups == (nrows + rg - 1) // rg, tag
    for g in range(md.num_row_groups):
        for j, c in enumerate(cols):
            lo, hi, nulls = expected_stats(c, values[j][g * rg:(g + 1) * rg])
            st = md.row_group(g).column(j).statistics
            assert st.null_count == nulls, f"{tag} rg {g} {c['name']}"
            long_bytes = c["physical"] == "BYTE_ARRAY" and lo is not None and \
                max(len(x.encode() if isinstance(x, str) else x) for x in (lo, hi)) > 4096
            assert st.has_min_max == (lo is not None and not long_bytes), f"{tag} rg {g} {c['name']}"
            if st.has_min_max:
                assert same(st.min, lo) and same(st.max, hi), \
                    f"{tag} rg {g} {c['name']}: {st.min!r}..{st.max!r} != {lo!r}..{hi!r}"


def test_random_tables(tmp_path):
    seed = int(os.environ.get("WF_TEST_SEED") or random.SystemRandom().randrange(2**32))
    rounds = int(os.environ.get("WF_PARQUET_ROUNDS", "30"))
    print(f"parquet property test seed {seed} (replay: WF_TEST_SEED={seed})")
    rng = random.Random(seed)
    for k in range(rounds):
        cols, values, options = random_table(rng)
        tag = f"[seed {seed} round {k} options {options}]"
        path = write_parquet(tmp_path / f"r{k}.parquet", cols, values, options)
        check_table(path, cols, values, options, tag)
