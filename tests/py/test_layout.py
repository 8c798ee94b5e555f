"""The dependency order of docs/architecture.md, held by the #include lines:

    common   <- nothing
    parquet  <- nothing of wfsim (a self-contained writer)
    model    <- common
    output   <- common, parquet          (writers never see the model)
    engine   <- common, model, output, parquet
    cli      <- include/wfsim.h only
"""
import re

import pytest

ALLOWED = {
    "common": {"common"},
    "parquet": {"parquet"},
    "model": {"common", "model"},
    "output": {"common", "parquet", "output"},
    "engine": {"common", "parquet", "model", "output", "engine"},
    "cli": {"cli"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def header_homes(root):
    homes = {}
    for sub in ALLOWED:
        for h in (root / "src" / sub).glob("*.h"):
            homes[h.name] = sub
    homes["wfsim.h"] = "public"
    return homes


@pytest.mark.parametrize("subsystem", sorted(ALLOWED))
def test_includes_follow_dependency_order(root, subsystem):
    homes = header_homes(root)
    allowed = ALLOWED[subsystem] | {"public"}
    if subsystem == "parquet":
        allowed = {"parquet"}
    files = list((root / "src" / subsystem).glob("*.[ch]"))
    assert files, subsystem
    for f in files:
        for name in INCLUDE.findall(f.read_text()):
            home = homes.get(name)
            assert home is not None, f"{f.name} includes unknown header {name}"
            assert home in allowed, f"{f.relative_to(root)} includes {name} from {home}"


def test_file_names_unique(root):
    names = {}
    for f in list((root / "src").rglob("*.[ch]")) + list((root / "tests").rglob("*.[ch]")):
        assert f.name not in names, f"{f} and {names[f.name]}"
        names[f.name] = f
