"""Column statistics of wfsim's Parquet writer: min, max and null count per
column and row group match the data, in each type's defined order (signed
integers, IEEE doubles without NaN, unsigned byte-wise strings), as pyarrow
and DuckDB's parquet_metadata read them; and DuckDB uses them to skip row
groups without losing a row."""
import datetime
import decimal
import json
import math

import pyarrow.parquet as pq
import pytest

from test_parquet_roundtrip import (col, duck, expected_value, read_footer,
                                    same, write_parquet)


def expected_stats(c, vals):
    """(min, max, null_count) as pyarrow reports them; min/max None when the
    chunk has no non-null, non-NaN value."""
    nulls = sum(v is None for v in vals)
    present = [v for v in vals if v is not None]
    if c["physical"] == "DOUBLE":
        present = [v for v in present if not math.isnan(v)]
    if not present:
        return None, None, nulls
    if c["physical"] == "BYTE_ARRAY":
        raw = [v.encode() if isinstance(v, str) else v for v in present]
        lo, hi = min(raw), max(raw)  # Python compares bytes unsigned, byte-wise
        conv = (lambda b: b.decode()) if c["logical"] == "STRING" else (lambda b: b)
        return conv(lo), conv(hi), nulls
    lo, hi = min(present), max(present)
    if c["physical"] == "DOUBLE":
        lo = -0.0 if lo == 0 else lo  # Parquet: a zero min is -0, a zero max +0
        hi = 0.0 if hi == 0 else hi
    return expected_value(c, lo), expected_value(c, hi), nulls


def check_stats(path, cols, values, rg_rows):
    md = pq.ParquetFile(path).metadata
    con = duck()
    meta = con.execute(
        "SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, "
        "stats_null_count FROM parquet_metadata(?)", [str(path)]).fetchall()
    duck_stats = {(r[0], r[1]): r[2:] for r in meta}
    nrows = len(values[0])
    ngroups = (nrows + rg_rows - 1) // rg_rows
    assert md.num_row_groups == ngroups
    for g in range(ngroups):
        for j, c in enumerate(cols):
            vals = values[j][g * rg_rows:(g + 1) * rg_rows]
            lo, hi, nulls = expected_stats(c, vals)
            st = md.row_group(g).column(j).statistics
            where = f"row group {g} column {c['name']}"
            assert st.null_count == nulls, where
            assert st.has_min_max == (lo is not None), where
            dmin, dmax, dnulls = duck_stats[(g, c["name"])]
            assert dnulls == nulls, where
            if lo is None:
                assert dmin is None and dmax is None, where
                continue
            assert same(st.min, lo) and same(st.max, hi), f"{where}: {st.min!r} {st.max!r} vs {lo!r} {hi!r}"
            if c["physical"] in ("INT32", "INT64") and c["logical"] == "NONE":
                assert (dmin, dmax) == (str(lo), str(hi)), where
            if c["logical"] == "STRING":
                assert (dmin, dmax) == (lo, hi), where


ORDER_COLS = [
    col("i32", "INT32", nullable=True),
    col("i64", "INT64", nullable=True),
    col("f64", "DOUBLE", nullable=True),
    col("b", "BOOLEAN", nullable=True),
    col("s", "BYTE_ARRAY", "STRING", nullable=True),
    col("s_dict", "BYTE_ARRAY", "STRING", nullable=True, dict=True),
    col("bin", "BYTE_ARRAY", nullable=True),
    col("d", "INT32", "DATE", nullable=True),
    col("dec", "INT64", "DECIMAL", p=10, s=2, nullable=True),
    col("ts", "INT64", "TIMESTAMP", utc=True, nullable=True),
]

# Row groups of 4 rows, each probing an ordering rule.
ORDER_VALUES = {
    "i32": [3, -5, None, 2] + [-1, -2**31, 2**31 - 1, 0] + [None] * 4,
    "i64": [3, -5, None, 2] + [-1, -2**63, 2**63 - 1, 0] + [None] * 4,
    "f64": [0.0, 1.0, float("nan"), None] + [-0.0, -3.5, 0.0, float("nan")]
           + [float("nan"), None, float("nan"), None],
    "b": [True, True, None, True] + [False, True, False, None] + [None] * 4,
    "s": ["z", "é", "", None] + ["a", "ab", "b", "B"] + [None] * 4,
    "s_dict": ["z", "é", "", None] + ["a", "ab", "b", "B"] + [None] * 4,
    "bin": [b"\x7f", b"\x80", b"\x7f\x00", None] + [b"", b"\x00", b"\xff\xff", b"\xff"] + [None] * 4,
    "d": [-1, 0, 1, None] + [-719162, 2932896, 5, 6] + [None] * 4,
    "dec": [-150, 99, None, 0] + [10**10 - 1, -(10**10 - 1), 1, -1] + [None] * 4,
    "ts": [-1, 1, 0, None] + [5, 4, 3, 2] + [None] * 4,
}


def test_min_max_null_count_follow_the_type_orders(tmp_path):
    values = [ORDER_VALUES[c["name"]] for c in ORDER_COLS]
    path = write_parquet(tmp_path / "t.parquet", ORDER_COLS, values,
                         {"row_group_rows": 4})
    check_stats(path, ORDER_COLS, values, 4)
    md = pq.ParquetFile(path).metadata
    # spot checks, written out: signed and byte-wise orders, -0.0 as min
    st = md.row_group(0).column(0).statistics
    assert (st.min, st.max) == (-5, 3)
    st = md.row_group(0).column(4).statistics
    assert (st.min, st.max) == ("", "é")
    st = md.row_group(0).column(6).statistics
    assert (st.min, st.max) == (b"\x7f", b"\x80")
    st = md.row_group(0).column(2).statistics
    assert math.copysign(1, st.min) == -1 and st.max == 1.0
    st = md.row_group(1).column(2).statistics
    assert st.min == -3.5 and st.max == 0.0 and math.copysign(1, st.max) == 1
    assert not md.row_group(2).column(2).statistics.has_min_max  # all NaN/null
    st = md.row_group(1).column(8).statistics
    assert st.min == decimal.Decimal("-99999999.99")


def test_statistics_of_many_row_groups(tmp_path):
    n, rg = 5000, 512
    cols = [col("k", "INT64"), col("v", "INT32", nullable=True),
            col("s", "BYTE_ARRAY", "STRING", nullable=True, dict=True),
            col("x", "DOUBLE", nullable=True), col("d", "INT32", "DATE")]
    values = [[(i * 7919) % 100003 - 50000 for i in range(n)],
              [None if i % 3 == 0 else (i * 31) % 2001 - 1000 for i in range(n)],
              [None if i % 4 == 1 else f"s{(i * 17) % 101:03d}" for i in range(n)],
              [None if i % 9 == 0 else ((i * 13) % 1000) / 7 - 70 for i in range(n)],
              [18000 + (i * 11) % 3000 for i in range(n)]]
    path = write_parquet(tmp_path / "t.parquet", cols, values,
                         {"row_group_rows": rg, "batch": 1000, "page_bytes": 700})
    check_stats(path, cols, values, rg)


def row_groups_scanned(con, tmp_path, sql):
    out = tmp_path / "profile.json"
    con.execute("PRAGMA enable_profiling = 'json'")
    con.execute(f"SET profiling_output = '{out}'")
    rows = con.execute(sql).fetchall()
    con.execute("PRAGMA disable_profiling")
    found = []

    def walk(node):
        if "row_groups_scanned" in node:
            found.append((node["row_groups_scanned"], node["total_row_groups_to_scan"]))
        for child in node.get("children", []) + node.get("operator", []):
            walk(child)

    walk(json.loads(out.read_text()))
    assert len(found) == 1, found
    return rows, found[0]


@pytest.mark.parametrize("where,pred", [
    ("k BETWEEN 2500 AND 3100", lambda k, s, d: 2500 <= k <= 3100),
    ("k < 150", lambda k, s, d: k < 150),
    ("s >= 'name09000'", lambda k, s, d: s is not None and s >= "name09000"),
    ("d = DATE '2000-01-01' + 4321", lambda k, s, d: d == 10957 + 4321),
])
def test_duckdb_skips_row_groups_and_loses_no_row(tmp_path, where, pred):
    n = 10000
    cols = [col("k", "INT64"), col("s", "BYTE_ARRAY", "STRING", nullable=True),
            col("d", "INT32", "DATE")]
    values = [list(range(n)),
              [None if i % 10 == 3 else f"name{i:05d}" for i in range(n)],
              [10957 + i for i in range(n)]]
    path = write_parquet(tmp_path / "t.parquet", cols, values, {"row_group_rows": 1000})
    con = duck()
    rows, (scanned, total) = row_groups_scanned(
        con, tmp_path, f"SELECT count(*), sum(k) FROM read_parquet('{path}') WHERE {where}")
    want = [k for k, s, d in zip(*values) if pred(k, s, d)]
    assert rows == [(len(want), sum(want) if want else None)]
    assert total == 10
    assert scanned < total, f"no row group skipped for {where}"
    # the same query without filter pushdown gives the same answer
    con.execute("SET disabled_optimizers = 'filter_pushdown,statistics_propagation'")
    assert con.execute(f"SELECT count(*), sum(k) FROM read_parquet('{path}') WHERE {where}").fetchall() == rows


def test_date_and_timestamp_statistics_read_as_dates(tmp_path):
    cols = [col("d", "INT32", "DATE"), col("ts", "INT64", "TIMESTAMP", utc=False)]
    values = [[19000, 18000, 20000], [10**15, -10**15, 0]]
    path = write_parquet(tmp_path / "t.parquet", cols, values)
    md = pq.ParquetFile(path).metadata.row_group(0)
    assert md.column(0).statistics.min == datetime.date(2019, 4, 14)
    assert md.column(0).statistics.max == datetime.date(2024, 10, 4)
    assert md.column(1).statistics.min == datetime.datetime(1938, 4, 24, 22, 13, 20)
    # and in the raw footer: little-endian PLAIN encodings
    chunk = read_footer(path)[4][0][1][0][3]
    assert chunk[12][6] == (18000).to_bytes(4, "little", signed=True)
    assert chunk[12][5] == (20000).to_bytes(4, "little", signed=True)
