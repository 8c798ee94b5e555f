"""Keyed MD5 draws for a whole column at once (docs/model.md 1), three ways.

The Polars peer of the benchmark needs, for every decision, the first four
bytes of MD5("{seed}|{entity}|{year}|{stream}") of many keys, and the full
lower-hex MD5 of every event's id key. Polars 2.1 has no MD5 expression
(`Expr.hash` is its own non-cryptographic hash, `str` and `bin` have no
digest), pyarrow compute has none, and numpy is not installed. So this
module offers three honest ways to hash a whole String column, each taking
a `pl.Series` of keys and returning a `pl.Series`:

- `c-bulk`: one ctypes call per column into a tiny C loop (md5_bulk.c,
  compiled on first use with the system `cc`, hashing with libnettle) that
  reads the Arrow buffers of the key column (offsets + bytes) and fills a
  UInt32 buffer (or a hex buffer). No Python per key. This is the stand-in
  for a Polars expression plugin: same data path (Arrow buffers in, one
  native loop, buffer out), without the pyo3-polars build.
- `polars-expr`: MD5 written in Polars expressions (RFC 1321's 64 steps on
  UInt32 columns, wrapping arithmetic; rotations by multiplication and
  floor division). Vectorised, no Python per key, no native code of ours;
  one block only, so keys longer than 55 bytes fall back to hashlib. The
  64 steps are one lazy query (eagerly they are several times slower).
- `hashlib`: `map_batches` over the whole column with a Python list
  comprehension calling hashlib.md5 per key: a row-by-row Python callback.

`make_hasher(name)` returns an object with `.x(keys)` (UInt32 draws) and
`.hex(keys)` (32-character lower-hex digests) and `.name`; `auto` picks
`c-bulk` when it can be built, else `hashlib`.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import os
import subprocess
import tempfile

import polars as pl
import pyarrow as pa

HERE = os.path.dirname(os.path.abspath(__file__))


class HashlibHasher:
    """Row-by-row: hashlib.md5 per key inside one batch call per column."""

    name = "hashlib"

    def x(self, keys: pl.Series) -> pl.Series:
        md5 = hashlib.md5
        fb = int.from_bytes
        vals = [fb(md5(k.encode()).digest()[:4], "big") for k in keys.to_list()]
        return pl.Series(keys.name, vals, dtype=pl.UInt32)

    def hex(self, keys: pl.Series) -> pl.Series:
        md5 = hashlib.md5
        return pl.Series(keys.name, [md5(k.encode()).hexdigest() for k in keys.to_list()],
                         dtype=pl.String)


class CBulkHasher:
    """One native call per column over the Arrow buffers (md5_bulk.c + nettle)."""

    name = "c-bulk"

    def __init__(self) -> None:
        src = os.path.join(HERE, "md5_bulk.c")
        cache = os.environ.get("WFSIM_PEERS_CACHE",
                               os.path.join(tempfile.gettempdir(), "wfsim-peers"))
        os.makedirs(cache, exist_ok=True)
        so = os.path.join(cache, "md5_bulk.%d.so" % int(os.stat(src).st_mtime))
        if not os.path.exists(so):
            tmp = so + ".%d.tmp" % os.getpid()
            subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", tmp, src, "-lnettle"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.replace(tmp, so)
        lib = ctypes.CDLL(so)
        sig = [ctypes.c_int64, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p]
        lib.wfp_md5_x.argtypes = sig
        lib.wfp_md5_x.restype = None
        lib.wfp_md5_hex.argtypes = sig
        lib.wfp_md5_hex.restype = None
        lib.wfp_hex_offsets.argtypes = [ctypes.c_int64, ctypes.c_void_p]
        lib.wfp_hex_offsets.restype = None
        self._lib = lib

    @staticmethod
    def _buffers(keys: pl.Series):
        arr = keys.to_arrow()
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if arr.null_count:
            raise ValueError("md5 keys must not be null")
        if pa.types.is_large_string(arr.type):
            wide = 1
        elif pa.types.is_string(arr.type):
            wide = 0
        else:  # string_view and others: normalise
            arr = arr.cast(pa.large_string())
            wide = 1
        bufs = arr.buffers()
        return arr, wide, bufs[1].address, bufs[2].address if bufs[2] is not None else 0

    def x(self, keys: pl.Series) -> pl.Series:
        n = len(keys)
        if n == 0:
            return pl.Series(keys.name, [], dtype=pl.UInt32)
        arr, wide, offs, data = self._buffers(keys)
        out = pa.allocate_buffer(4 * n)
        self._lib.wfp_md5_x(n, offs, wide | (arr.offset << 1), data, out.address)
        res = pa.Array.from_buffers(pa.uint32(), n, [None, out])
        return pl.Series(keys.name, res)

    def hex(self, keys: pl.Series) -> pl.Series:
        n = len(keys)
        if n == 0:
            return pl.Series(keys.name, [], dtype=pl.String)
        arr, wide, offs, data = self._buffers(keys)
        out = pa.allocate_buffer(32 * n)
        self._lib.wfp_md5_hex(n, offs, wide | (arr.offset << 1), data, out.address)
        offsets = pa.allocate_buffer(8 * (n + 1))
        self._lib.wfp_hex_offsets(n, offsets.address)
        res = pa.LargeStringArray.from_buffers(n, offsets, out)
        return pl.Series(keys.name, res)


_S = [7, 12, 17, 22] * 4 + [5, 9, 14, 20] * 4 + [4, 11, 16, 23] * 4 + [6, 10, 15, 21] * 4
_K = [int(abs(math.sin(i + 1)) * 2 ** 32) & 0xFFFFFFFF for i in range(64)]
_HEX = {i: "%02x" % i for i in range(256)}


def _u32(v: int) -> pl.Expr:
    return pl.lit(v, dtype=pl.UInt32)


class PolarsExprHasher:
    """MD5 (RFC 1321) in Polars expressions over UInt32 columns, one block."""

    name = "polars-expr"

    def _state(self, keys: pl.Series) -> pl.DataFrame:
        k = pl.col("k")
        length = k.str.len_bytes().cast(pl.UInt32)
        padded = k.str.pad_end(64, "\x00").cast(pl.Binary)
        words = []
        for i in range(16):
            w = padded.bin.slice(4 * i, 4).bin.reinterpret(dtype=pl.UInt32, endianness="little")
            w = w + pl.when(length // 4 == i).then(
                _u32(0x80) * (_u32(256) ** (length % 4))).otherwise(_u32(0))
            if i == 14:
                w = w + length * _u32(8)
            words.append(w.alias("m%d" % i))
        # one lazy query: the optimiser fuses the 64 steps' projections, which
        # is several times faster than 64 eager with_columns passes
        d = pl.DataFrame({"k": keys}).lazy().select(words).with_columns(
            a=_u32(0x67452301), b=_u32(0xEFCDAB89), c=_u32(0x98BADCFE), d=_u32(0x10325476))
        a, b, c, dd = pl.col("a"), pl.col("b"), pl.col("c"), pl.col("d")
        for i in range(64):
            if i < 16:
                f, g = (b & c) | (~b & dd), i
            elif i < 32:
                f, g = (dd & b) | (~dd & c), (5 * i + 1) % 16
            elif i < 48:
                f, g = b ^ c ^ dd, (3 * i + 5) % 16
            else:
                f, g = c ^ (b | ~dd), (7 * i) % 16
            t = a + f + _u32(_K[i]) + pl.col("m%d" % g)
            s = _S[i]
            d = d.with_columns(a=dd, b=b + ((t * _u32(2 ** s)) | (t // _u32(2 ** (32 - s)))),
                               c=b, d=c)
        return d.select(a=a + _u32(0x67452301), b=b + _u32(0xEFCDAB89),
                        c=c + _u32(0x98BADCFE), d=dd + _u32(0x10325476)).collect()

    @staticmethod
    def _split(keys: pl.Series):
        long = keys.str.len_bytes() > 55
        return long, bool(long.any())

    def x(self, keys: pl.Series) -> pl.Series:
        long, any_long = self._split(keys)
        st = self._state(keys)
        w = pl.col("a")
        x = st.select(((w & _u32(0xFF)) * _u32(1 << 24)) | (((w // _u32(256)) & _u32(0xFF)) * _u32(1 << 16))
                      | (((w // _u32(65536)) & _u32(0xFF)) * _u32(256)) | (w // _u32(1 << 24))).to_series()
        if any_long:
            idx = long.arg_true()
            x = x.scatter(idx, HashlibHasher().x(keys.gather(idx)))
        return x.alias(keys.name)

    def hex(self, keys: pl.Series) -> pl.Series:
        long, any_long = self._split(keys)
        st = self._state(keys)
        parts = []
        for col in "abcd":
            w = pl.col(col)
            for sh in (1, 256, 65536, 1 << 24):
                parts.append(((w // _u32(sh)) & _u32(0xFF)).replace_strict(_HEX, return_dtype=pl.String))
        h = st.select(pl.concat_str(parts)).to_series()
        if any_long:
            idx = long.arg_true()
            h = h.scatter(idx, HashlibHasher().hex(keys.gather(idx)))
        return h.alias(keys.name)


METHODS = ("auto", "c-bulk", "polars-expr", "hashlib")


def make_hasher(name: str = "auto"):
    """The hasher called `name` (one of METHODS). `auto` is `c-bulk` when a C
    compiler and libnettle's headers are there, else `hashlib` (measured
    faster than `polars-expr` on this project's benchmark); the returned
    object's `.name` says which one it is."""
    if name == "auto":
        try:
            return CBulkHasher()
        except (OSError, subprocess.CalledProcessError):
            return HashlibHasher()
    if name == "c-bulk":
        return CBulkHasher()
    if name == "polars-expr":
        return PolarsExprHasher()
    if name == "hashlib":
        return HashlibHasher()
    raise ValueError("unknown md5 method %r (expected one of %s)" % (name, ", ".join(METHODS)))
