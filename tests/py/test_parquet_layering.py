"""The Parquet writer stands alone (docs/parquet.md, STYLE.md "Layout"):
src/parquet includes only its own headers and system headers, never the
model, the output layer or the rest of wfsim; and only pq_writer.h is meant
for the rest of the tree."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
OWN = {"pq_writer.h", "pq_int.h", "pq_thrift.h"}


def includes(path):
    return re.findall(r'^\s*#\s*include\s+"([^"]+)"', path.read_text(), re.M)


def test_parquet_module_includes_only_itself():
    files = sorted((ROOT / "src" / "parquet").glob("*.[ch]"))
    assert files
    for f in files:
        for inc in includes(f):
            assert inc in OWN, f"{f.name} includes {inc}"


def test_rest_of_tree_uses_only_the_public_header():
    for f in sorted((ROOT / "src").rglob("*.[ch]")):
        if f.parent.name == "parquet":
            continue
        for inc in includes(f):
            assert inc not in {"pq_int.h", "pq_thrift.h"}, f"{f} includes {inc}"
