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


def _c_code(path):
    """The file's text without comments and string literals."""
    text = path.read_text()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def test_internal_headers_stay_in_their_subsystem(root):
    """A *_int.h is reached only from the files of its own subsystem, also
    through other headers (the tests and benchmarks aside, which may look
    inside)."""
    homes = header_homes(root)

    def reached(path, seen):
        for name in INCLUDE.findall(path.read_text()):
            sub = homes.get(name)
            if name in seen or sub in (None, "public"):
                continue
            seen.add(name)
            reached(root / "src" / sub / name, seen)
        return seen

    for f in (root / "src").rglob("*.[ch]"):
        sub = f.parent.name
        for name in reached(f, set()):
            if name.endswith("_int.h"):
                assert homes[name] == sub, (
                    f"{f.relative_to(root)} reaches {name} of {homes[name]}")


def test_only_the_command_line_reads_the_environment(root):
    """The library takes every option from its caller: no getenv (or
    secure_getenv) in src/ outside src/cli/."""
    call = re.compile(r"\b(?:secure_)?getenv\s*\(")
    for f in (root / "src").rglob("*.[ch]"):
        if f.parent.name == "cli":
            continue
        assert not call.search(_c_code(f)), f"{f.relative_to(root)} reads the environment"


def test_engine_sees_no_model_struct_fields(root):
    """src/engine uses the model through wf_sim.h and wfsim.h: it reads no
    field of the model's input structs (cfg->..., tab->..., cen->...)."""
    field = re.compile(r"\b(?:cfg|tab|cen)\s*->\s*\w+")
    for f in (root / "src" / "engine").glob("*.[ch]"):
        code = _c_code(f)
        hits = field.findall(code)
        assert not hits, f"{f.relative_to(root)}: {hits[:5]}"
        assert "wf_model_int.h" not in INCLUDE.findall(f.read_text())


def test_rng_keeps_no_global_state(root):
    """rng.c hashes and nothing else: no file-scope variable that is not
    const (the draw tallies belong to the simulation, not the hot path)."""
    code = _c_code(root / "src" / "model" / "rng.c")
    for line in code.splitlines():
        if re.match(r"^(?:static\s+)?(?!const\b)[A-Za-z_][\w\s\*]*\s\*?\s*g?_?\w+\s*(?:\[[^\]]*\])?\s*(?:=[^;]*)?;\s*$", line) \
                and not line.startswith((" ", "\t", "#", "typedef", "struct", "extern")):
            pytest.fail(f"rng.c has file-scope state: {line.strip()}")
