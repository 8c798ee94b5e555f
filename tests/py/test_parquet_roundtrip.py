"""Round trips through wfsim's Parquet writer (src/parquet): files written by
the helper program tests/tools/pq_gen.c are read back with DuckDB, pyarrow
and Polars, and every value, type, logical annotation and null count must
match what was written.

The helpers at the top (write_parquet, expected_value, read_footer...) are
also imported by the other test_parquet_*.py files.
"""
import datetime
import decimal
import math
import os
import struct
import subprocess

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

EPOCH = datetime.date(1970, 1, 1)
UTC = datetime.timezone.utc


# ---- writing ----------------------------------------------------------------

def col(name, physical, logical="NONE", nullable=False, dict=False, utc=False,
        p=None, s=None):
    """A column description for write_parquet."""
    return dict_(name=name, physical=physical, logical=logical,
                 nullable=nullable, dict=dict, utc=utc, p=p, s=s)


def dict_(**kw):
    return kw


def _value_line(c, v):
    if v is None:
        return "N"
    phys = c["physical"]
    if phys == "BOOLEAN":
        return "1" if v else "0"
    if phys == "DOUBLE":
        return repr(float(v))
    if phys == "BYTE_ARRAY":
        if isinstance(v, str):
            v = v.encode()
        return "x" + v.hex()
    return str(int(v))


def spec_text(cols, values, options=None, meta=None):
    """The pq_gen description of a table (values: one list per column;
    meta: key/value metadata pairs)."""
    lines = []
    for k, v in (options or {}).items():
        lines.append(f"option {k} {v}")
    for k, v in (meta or []):
        lines.append(f"meta {k} {v}")
    for c in cols:
        flags = []
        if c["nullable"]:
            flags.append("nullable")
        if c["dict"]:
            flags.append("dict")
        if c["utc"]:
            flags.append("utc")
        if c["p"] is not None:
            flags.append(f"p={c['p']}")
        if c["s"] is not None:
            flags.append(f"s={c['s']}")
        lines.append(" ".join(["column", c["name"] or "-", c["physical"], c["logical"]] + flags))
    nrows = len(values[0]) if values else 0
    lines.append(f"rows {nrows}")
    for c, vals in zip(cols, values):
        assert len(vals) == nrows
        lines.extend(_value_line(c, v) for v in vals)
    return "\n".join(lines) + "\n"


def pq_gen_path():
    build = os.environ.get("WFSIM_BUILD", "build")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.join(root, build, "tests", "pq_gen")
    assert os.path.exists(path), f"{path} is missing: run make first"
    return path


def run_pq_gen(path, cols, values, options=None, meta=None):
    """Runs pq_gen; returns the CompletedProcess (does not check it)."""
    return subprocess.run([pq_gen_path(), str(path)],
                          input=spec_text(cols, values, options, meta).encode(),
                          capture_output=True)


def write_parquet(path, cols, values, options=None, meta=None):
    r = run_pq_gen(path, cols, values, options, meta)
    assert r.returncode == 0, r.stderr.decode()
    return path


# ---- what readers should return -------------------------------------------

def expected_value(c, v):
    """The Python value a reader should give for raw value v of column c."""
    if v is None:
        return None
    lt, phys = c["logical"], c["physical"]
    if phys == "BOOLEAN":
        return bool(v)
    if phys == "DOUBLE":
        return float(v)
    if lt == "STRING":
        return v if isinstance(v, str) else v.decode()
    if phys == "BYTE_ARRAY":
        return v.encode() if isinstance(v, str) else bytes(v)
    if lt == "DATE":
        return EPOCH + datetime.timedelta(days=v)
    if lt == "DECIMAL":
        return decimal.Decimal(v).scaleb(-c["s"])
    if lt == "TIMESTAMP":
        t = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=v)
        return t.replace(tzinfo=UTC) if c["utc"] else t
    return int(v)


def same(a, b):
    """Equality that treats NaN as equal to NaN, tells -0.0 from 0.0, and
    does not take True for 1 or a naive datetime for an aware one."""
    binary = (bytes, bytearray, memoryview)
    if isinstance(a, binary) and isinstance(b, binary):
        return bytes(a) == bytes(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, datetime.datetime) and (a.tzinfo is None) != (b.tzinfo is None):
        return False
    return a == b


def assert_column(name, got, want):
    assert len(got) == len(want), f"{name}: {len(got)} rows, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        if isinstance(g, memoryview):
            g = bytes(g)
        assert same(g, w), f"{name} row {i}: got {g!r}, expected {w!r}"


ARROW_TYPE = {
    ("BOOLEAN", "NONE"): lambda c: pa.bool_(),
    ("INT32", "NONE"): lambda c: pa.int32(),
    ("INT64", "NONE"): lambda c: pa.int64(),
    ("DOUBLE", "NONE"): lambda c: pa.float64(),
    ("BYTE_ARRAY", "NONE"): lambda c: pa.binary(),
    ("BYTE_ARRAY", "STRING"): lambda c: pa.string(),
    ("INT32", "DATE"): lambda c: pa.date32(),
    ("INT32", "DECIMAL"): lambda c: pa.decimal128(c["p"], c["s"]),
    ("INT64", "DECIMAL"): lambda c: pa.decimal128(c["p"], c["s"]),
    ("INT64", "TIMESTAMP"): lambda c: pa.timestamp("us", tz="UTC" if c["utc"] else None),
}


def duckdb_type(c):
    lt, phys = c["logical"], c["physical"]
    if lt == "DECIMAL":
        return f"DECIMAL({c['p']},{c['s']})"
    if lt == "TIMESTAMP":
        return "TIMESTAMP WITH TIME ZONE" if c["utc"] else "TIMESTAMP"
    return {"STRING": "VARCHAR", "DATE": "DATE"}.get(lt) or {
        "BOOLEAN": "BOOLEAN", "INT32": "INTEGER", "INT64": "BIGINT",
        "DOUBLE": "DOUBLE", "BYTE_ARRAY": "BLOB"}[phys]


def polars_type(c):
    lt, phys = c["logical"], c["physical"]
    if lt == "DECIMAL":
        return pl.Decimal(c["p"], c["s"])
    if lt == "TIMESTAMP":
        return pl.Datetime("us", "UTC" if c["utc"] else None)
    return {"STRING": pl.String, "DATE": pl.Date}.get(lt) or {
        "BOOLEAN": pl.Boolean, "INT32": pl.Int32, "INT64": pl.Int64,
        "DOUBLE": pl.Float64, "BYTE_ARRAY": pl.Binary}[phys]


def duck():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return con


def check_all_readers(path, cols, values):
    """Every reader returns every value with the right type and nullability."""
    want = [[expected_value(c, v) for v in vals] for c, vals in zip(cols, values)]
    nrows = len(values[0]) if values else 0
    # pyarrow
    table = pq.read_table(path)
    assert table.num_rows == nrows
    for c, w in zip(cols, want):
        field = table.schema.field(c["name"])
        assert field.type == ARROW_TYPE[(c["physical"], c["logical"])](c), c["name"]
        assert field.nullable == c["nullable"], c["name"]
        arr = table.column(c["name"])
        assert arr.null_count == sum(v is None for v in w), c["name"]
        assert_column("pyarrow " + c["name"], arr.to_pylist(), w)
    # DuckDB
    con = duck()
    rel = con.sql(f"SELECT * FROM read_parquet('{path}')")
    assert [str(t) for t in rel.types] == [duckdb_type(c) for c in cols]
    rows = rel.fetchall()
    assert len(rows) == nrows
    for j, (c, w) in enumerate(zip(cols, want)):
        assert_column("duckdb " + c["name"], [r[j] for r in rows], w)
    # Polars
    df = pl.read_parquet(path)
    assert df.height == nrows
    for c, w in zip(cols, want):
        assert df.schema[c["name"]] == polars_type(c), c["name"]
        assert df[c["name"]].null_count() == sum(v is None for v in w)
        assert_column("polars " + c["name"], df[c["name"]].to_list(), w)


# ---- a small Thrift compact reader for the footer -------------------------

def read_footer(path):
    """The FileMetaData as nested dicts {field_id: value} (lists as lists)."""
    data = open(path, "rb").read()
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    (n,) = struct.unpack("<I", data[-8:-4])
    buf = data[-8 - n:-8]
    pos = [0]

    def byte():
        b = buf[pos[0]]
        pos[0] += 1
        return b

    def varint():
        shift = result = 0
        while True:
            b = byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return result

    def zigzag():
        v = varint()
        return (v >> 1) ^ -(v & 1)

    def value(t):
        if t in (1, 2):
            return t == 1
        if t == 3:
            return byte()
        if t in (4, 5, 6):
            return zigzag()
        if t == 7:
            v = struct.unpack("<d", buf[pos[0]:pos[0] + 8])[0]
            pos[0] += 8
            return v
        if t == 8:
            k = varint()
            v = bytes(buf[pos[0]:pos[0] + k])
            pos[0] += k
            return v
        if t == 9:
            h = byte()
            size, et = h >> 4, h & 15
            if size == 15:
                size = varint()
            return [value(et) if et not in (1, 2) else byte() == 1 for _ in range(size)]
        if t == 12:
            return struct_()
        raise AssertionError(f"thrift type {t} not expected in a Parquet footer")

    def struct_():
        out, last = {}, 0
        while True:
            h = byte()
            if h == 0:
                return out
            t, delta = h & 15, h >> 4
            fid = last + delta if delta else zigzag()
            out[fid] = value(t)
            last = fid

    meta = struct_()
    assert pos[0] == len(buf), "footer has trailing bytes"
    return meta


# ---- tests ------------------------------------------------------------------

ALL_TYPES = [
    col("b", "BOOLEAN"),
    col("i32", "INT32"),
    col("i64", "INT64"),
    col("f64", "DOUBLE"),
    col("bin", "BYTE_ARRAY"),
    col("str", "BYTE_ARRAY", "STRING"),
    col("d", "INT32", "DATE"),
    col("dec9", "INT32", "DECIMAL", p=9, s=2),
    col("dec18", "INT64", "DECIMAL", p=18, s=4),
    col("ts_utc", "INT64", "TIMESTAMP", utc=True),
    col("ts_local", "INT64", "TIMESTAMP"),
    col("str_dict", "BYTE_ARRAY", "STRING", dict=True),
    col("i32_dict", "INT32", "NONE", dict=True),
    col("f64_dict", "DOUBLE", "NONE", dict=True),
]

SAMPLES = {
    "b": [True, False, True, True, False],
    "i32": [0, -1, 2**31 - 1, -2**31, 42],
    "i64": [0, -1, 2**63 - 1, -2**63, 1234567890123],
    "f64": [1.5, float("nan"), -0.0, float("inf"), -1e300],
    "bin": [b"\x00\xff", b"", b"\x80abc", b"\x7f", b"plain"],
    "str": ["héllo", "", "日本語", "z", "a\nb"],
    "d": [0, -1, 19000, 2932896, -719162],
    "dec9": [999999999, -999999999, 0, 12345, -1],
    "dec18": [10**18 - 1, -(10**18 - 1), 0, 5, -123456789],
    "ts_utc": [0, -1, 1700000000123456, 253402300799999999, -62135596800000000],
    "ts_local": [1, 2, 3, 4, 5],
    "str_dict": ["a", "b", "a", "a", ""],
    "i32_dict": [7, 7, 8, 7, -7],
    "f64_dict": [0.1, 0.1, 0.2, -0.0, 0.1],
}


@pytest.mark.parametrize("nullable", [False, True])
def test_every_type_round_trips(tmp_path, nullable):
    cols = [dict(c, nullable=nullable) for c in ALL_TYPES]
    values = []
    for j, c in enumerate(cols):
        vals = list(SAMPLES[c["name"]]) * 3
        if nullable:  # a different null pattern per column, one all-valid
            vals = [None if (i + j) % (j % 4 + 2) == 0 and j else v for i, v in enumerate(vals)]
        values.append(vals)
    path = write_parquet(tmp_path / "t.parquet", cols, values)
    check_all_readers(path, cols, values)


def test_logical_annotations_and_converted_types(tmp_path):
    path = write_parquet(tmp_path / "t.parquet", ALL_TYPES,
                         [SAMPLES[c["name"]] for c in ALL_TYPES])
    schema = pq.ParquetFile(path).schema
    got = {schema.column(i).name: (schema.column(i).physical_type,
                                   str(schema.column(i).logical_type),
                                   schema.column(i).converted_type)
           for i in range(len(schema))}
    assert got["str"] == ("BYTE_ARRAY", "String", "UTF8")
    assert got["bin"] == ("BYTE_ARRAY", "None", "NONE")
    assert got["d"] == ("INT32", "Date", "DATE")
    assert got["dec9"] == ("INT32", "Decimal(precision=9, scale=2)", "DECIMAL")
    assert got["dec18"] == ("INT64", "Decimal(precision=18, scale=4)", "DECIMAL")
    assert got["ts_utc"][0] == "INT64" and got["ts_utc"][2] == "TIMESTAMP_MICROS"
    assert "isAdjustedToUTC=true" in got["ts_utc"][1] and "microseconds" in got["ts_utc"][1]
    # A local timestamp has no ConvertedType (TIMESTAMP_MICROS means UTC).
    assert "isAdjustedToUTC=false" in got["ts_local"][1] and got["ts_local"][2] == "NONE"
    assert got["b"] == ("BOOLEAN", "None", "NONE")
    assert got["f64"] == ("DOUBLE", "None", "NONE")


def test_footer_fields(tmp_path):
    """created_by, version, TypeDefinedOrder column orders, ZSTD, the
    repetition types, encoding stats - read with an independent decoder."""
    cols = [col("a", "INT64"), col("s", "BYTE_ARRAY", "STRING", nullable=True, dict=True)]
    values = [list(range(10)), ["x", None, "y"] * 3 + ["x"]]
    path = write_parquet(tmp_path / "t.parquet", cols, values,
                         {"created_by": "wfsim version 0.1.0"})
    meta = read_footer(path)
    assert meta[1] == 2                                   # version
    assert meta[6] == b"wfsim version 0.1.0"              # created_by
    assert meta[3] == 10                                  # num_rows
    assert meta[7] == [{1: {}}, {1: {}}]                  # TYPE_ORDER per column
    root, a, s = meta[2]
    assert root[5] == 2 and a[4] == b"a" and s[4] == b"s"
    assert a[3] == 0 and s[3] == 1                        # REQUIRED, OPTIONAL
    chunk = meta[4][0][1][1][3]                           # ColumnMetaData of s
    assert chunk[4] == 6                                  # ZSTD
    assert chunk[3] == [b"s"]
    stats = chunk[12]
    assert stats[3] == 3 and stats[6] == b"x" and stats[5] == b"y"
    # dictionary page (PLAIN) + one RLE_DICTIONARY data page
    assert sorted((e[1], e[2], e[3]) for e in chunk[13]) == [(0, 8, 1), (2, 0, 1)]
    assert chunk[11] < chunk[9]                           # dictionary first
    assert pq.ParquetFile(path).metadata.created_by == "wfsim version 0.1.0"


def test_key_value_metadata(tmp_path):
    meta = [("wfsim.config_digest", "9f2c" * 16), ("wfsim.model_version", "1"),
            ("note", "spaces and é are kept")]
    path = write_parquet(tmp_path / "t.parquet", [col("a", "INT32")], [[1, 2]], meta=meta)
    got = pq.ParquetFile(path).metadata.metadata
    assert got == {k.encode(): v.encode() for k, v in meta}
    rows = duck().execute("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)",
                          [str(path)]).fetchall()
    assert rows == meta
    assert read_footer(path)[5] == [{1: k.encode(), 2: v.encode()} for k, v in meta]


def test_empty_and_long_strings(tmp_path):
    long1 = "x" * (1 << 20)
    long2 = bytes(range(256)) * 4096  # 1 MiB of every byte value
    cols = [col("s", "BYTE_ARRAY", "STRING", nullable=True),
            col("b", "BYTE_ARRAY", nullable=True, dict=True),
            col("e", "BYTE_ARRAY", "STRING", dict=True)]
    values = [["", long1, None, "", "short"],
              [long2, b"", None, long2, b"\x00"],
              ["", "", "", "", ""]]
    path = write_parquet(tmp_path / "t.parquet", cols, values,
                         {"page_bytes": 65536})
    check_all_readers(path, cols, values)
    md = pq.ParquetFile(path).metadata.row_group(0)
    # bounds longer than 4096 bytes are left out, the null count is not
    st = md.column(0).statistics
    assert not st.has_min_max and st.null_count == 1
    st = md.column(2).statistics
    assert st.has_min_max and st.min == "" and st.max == "" and st.null_count == 0


def test_one_row(tmp_path):
    cols = [dict(c, nullable=True) for c in ALL_TYPES]
    values = [[SAMPLES[c["name"]][1]] for c in cols]
    path = write_parquet(tmp_path / "t.parquet", cols, values)
    check_all_readers(path, cols, values)
    values = [[None] for c in cols]
    path = write_parquet(tmp_path / "n.parquet", cols, values)
    check_all_readers(path, cols, values)
    st = pq.ParquetFile(path).metadata.row_group(0).column(0).statistics
    assert st.null_count == 1 and not st.has_min_max


def test_zero_rows(tmp_path):
    cols = [col("a", "INT64"), col("s", "BYTE_ARRAY", "STRING", nullable=True)]
    path = write_parquet(tmp_path / "t.parquet", cols, [[], []])
    assert pq.ParquetFile(path).metadata.num_row_groups == 0
    check_all_readers(path, cols, [[], []])


def test_many_row_groups_and_batches(tmp_path):
    n = 10007
    cols = [col("k", "INT64"), col("v", "INT32", nullable=True),
            col("s", "BYTE_ARRAY", "STRING", nullable=True, dict=True),
            col("x", "DOUBLE", nullable=True)]
    values = [list(range(n)),
              [None if i % 3 == 0 else i * 7 % 1000 for i in range(n)],
              [None if i % 5 == 0 else f"name{i % 13}" for i in range(n)],
              [None if i % 11 == 0 else i / 8 for i in range(n)]]
    path = write_parquet(tmp_path / "t.parquet", cols, values,
                         {"row_group_rows": 1000, "batch": 777, "page_bytes": 512})
    md = pq.ParquetFile(path).metadata
    assert md.num_row_groups == 11
    assert [md.row_group(g).num_rows for g in range(11)] == [1000] * 10 + [7]
    check_all_readers(path, cols, values)


def test_error_on_full_disk():
    cols = [col("a", "INT64")]
    r = run_pq_gen("/dev/full", cols, [list(range(100))])
    assert r.returncode == 1
    assert b"write failed" in r.stderr and b"No space left" in r.stderr


@pytest.mark.parametrize("column,values,message", [
    (col("amount", "INT64", "DECIMAL", p=19, s=2), [1], b'column "amount": DECIMAL(19,2)'),
    (col("amount", "INT32", "DECIMAL", p=4, s=5), [1], b'column "amount": DECIMAL(4,5)'),
    (col("day", "INT64", "DATE"), [1], b'column "day": DATE needs INT32'),
    (col("name", "INT32", "STRING"), [1], b'column "name": STRING needs BYTE_ARRAY'),
    (col("t", "INT32", "TIMESTAMP"), [1], b'column "t": TIMESTAMP needs INT64'),
    (col("amount", "INT32", "DECIMAL", p=3, s=1), [5, 1000], b'value 1000 does not fit DECIMAL(3,1)'),
    (col("id", "INT64"), [1, None], b'column "id": row 1 is null but the column is not nullable'),
    (col("", "INT64"), [1], b"column 0: empty name"),
])
def test_bad_input_is_reported(tmp_path, column, values, message):
    out = tmp_path / "t.parquet"
    r = run_pq_gen(out, [column], [values])
    assert r.returncode == 1
    assert message in r.stderr, r.stderr
    # no file that looks complete
    data = out.read_bytes() if out.exists() else b""
    assert not (len(data) > 8 and data[-4:] == b"PAR1")


def test_duplicate_names_are_refused(tmp_path):
    r = run_pq_gen(tmp_path / "t.parquet", [col("a", "INT32"), col("a", "INT64")], [[1], [2]])
    assert r.returncode == 1 and b'column "a": name used twice' in r.stderr


def test_error_after_a_written_row_group_leaves_no_footer(tmp_path):
    """Bad data in the second row group: the first is already on disk, but
    the file must not end with a footer."""
    out = tmp_path / "t.parquet"
    cols = [col("amount", "INT32", "DECIMAL", p=3, s=0)]
    r = run_pq_gen(out, cols, [[1] * 50 + [5000] * 50], {"row_group_rows": 50})
    assert r.returncode == 1 and b"row group 1" in r.stderr
    data = out.read_bytes()
    assert data[:4] == b"PAR1" and len(data) > 8 and data[-4:] != b"PAR1"
    with pytest.raises(Exception):
        pq.read_table(out)


def test_output_does_not_depend_on_batches(tmp_path):
    cols = [dict(c, nullable=True) for c in ALL_TYPES]
    values = [[None if i % 7 == j % 7 else SAMPLES[c["name"]][i % 5] for i in range(3000)]
              for j, c in enumerate(cols)]
    outs = []
    for batch in (1, 333, 3000):
        path = write_parquet(tmp_path / f"b{batch}.parquet", cols, values,
                             {"batch": batch, "row_group_rows": 700, "page_bytes": 1000})
        outs.append(path.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    check_all_readers(tmp_path / "b333.parquet", cols, values)
