"""`make install` into a temporary prefix, used as a user would: a C program
built against the installed header and library through pkg-config (shared
and static) runs on a census; the man page renders without a warning and
names every command, option and variable of the --help texts; the installed
`wfsim run` works from a folder outside the source tree, and without its
Python environment it says what is missing and how to install it;
`make uninstall` removes what was installed; DESTDIR stages the tree."""
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from conftest import BUILD, ROOT, VECTORS

CENSUS = VECTORS / "golden/census.csv"
# A user's environment: no variable of ours, no Python environment on PATH.
CLEAN_ENV = {k: v for k, v in os.environ.items()
             if not k.startswith("WFSIM_") and k not in ("VIRTUAL_ENV", "PKG_CONFIG_PATH")}
CLEAN_ENV["PATH"] = "/usr/bin:/bin"
CLEAN_ENV["SOURCE_DATE_EPOCH"] = "1700000000"


def make(*args):
    proc = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT),
                           f"BUILD={os.path.relpath(BUILD, ROOT)}", *args],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


def run(args, cwd, env=None, check=True):
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env=env or CLEAN_ENV, timeout=600)
    if check:
        assert proc.returncode == 0, f"{args}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("install") / "prefix"
    make("install", f"PREFIX={prefix}")
    return prefix


@pytest.fixture(scope="module")
def outside(tmp_path_factory):
    """A working folder outside the source tree."""
    path = tmp_path_factory.mktemp("outside")
    assert ROOT not in path.resolve().parents
    return path


def pkg_config(prefix, *args):
    env = dict(CLEAN_ENV, PKG_CONFIG_PATH=str(prefix / "lib/pkgconfig"))
    return run(["pkg-config", *args, "wfsim"], cwd=prefix, env=env).stdout.split()


def test_installed_files(prefix):
    for rel in ["bin/wfsim", "lib/libwfsim.a", "include/wfsim.h", "lib/pkgconfig/wfsim.pc",
                "share/man/man1/wfsim.1", "share/wfsim/dbt/dbt_project.yml",
                "share/wfsim/dbt/profiles.yml", "share/wfsim/dbt/seeds/levels.csv",
                "share/wfsim/scripts/parity_compare.py", "share/wfsim/python/wfsim_schema.py",
                "share/wfsim/requirements.txt",
                "share/doc/wfsim/model.md", "share/doc/wfsim/install.md",
                "share/doc/wfsim/README.md"]:
        assert (prefix / rel).is_file(), rel
    so = prefix / "lib/libwfsim.so"
    assert so.is_symlink() and os.readlink(so) == "libwfsim.so.0"
    real = so.resolve()
    assert re.fullmatch(r"libwfsim\.so\.0\.\d+\.\d+", real.name)
    dyn = run(["readelf", "-d", real], cwd=prefix).stdout
    assert "Library soname: [libwfsim.so.0]" in dyn
    # Only the public interface is exported from the shared library.
    exported = {line.split()[-1].split("@")[0] for line in
                run(["nm", "-D", "--defined-only", real], cwd=prefix).stdout.splitlines()}
    header = (ROOT / "include/wfsim.h").read_text()
    public = set(re.findall(r"^[a-z][^(\n]*\b(wf_[a-z0-9_]+)\(", header, re.M))
    assert public and public <= exported
    assert not {s for s in exported if s.startswith(("wf_", "pq_"))} - public
    dbt_files = {p.relative_to(ROOT / "dbt") for p in (ROOT / "dbt").rglob("*")
                 if p.is_file() and p.parts[len(ROOT.parts) + 1] in ("macros", "models",
                                                                   "seeds", "tests")}
    installed = {p.relative_to(prefix / "share/wfsim/dbt")
                 for p in (prefix / "share/wfsim/dbt").rglob("*") if p.is_file()}
    assert dbt_files and dbt_files <= installed


def test_pkg_config_names_the_prefix(prefix):
    assert pkg_config(prefix, "--cflags") == [f"-I{prefix}/include"]
    assert pkg_config(prefix, "--libs") == [f"-L{prefix}/lib", "-lwfsim"]
    static = pkg_config(prefix, "--static", "--libs")
    assert {"-lwfsim", "-lzstd", "-lyaml", "-lnettle"} <= set(static)
    assert pkg_config(prefix, "--modversion") == [
        re.search(r'WF_VERSION "([^"]+)"', (ROOT / "include/wfsim.h").read_text()).group(1)]


@pytest.mark.parametrize("link", ["shared", "static"])
def test_c_program_against_installed_library(prefix, outside, link):
    source = ROOT / "tests/install/wfsim_host.c"
    exe = outside / f"host_{link}"
    flags = pkg_config(prefix, "--cflags", "--libs") if link == "shared" else \
        pkg_config(prefix, "--static", "--cflags", "--libs") + ["-static"]
    run(["cc", "-std=c11", "-Wall", "-Werror", source, "-o", exe, *flags], cwd=outside)
    ldd = run(["ldd", exe], cwd=outside, check=False).stdout
    if link == "shared":
        assert f"libwfsim.so.0 => {prefix}/lib/libwfsim.so.0" in \
            run(["ldd", exe], cwd=outside,
                env=dict(CLEAN_ENV, LD_LIBRARY_PATH=str(prefix / "lib"))).stdout
        env = dict(CLEAN_ENV, LD_LIBRARY_PATH=str(prefix / "lib"))
    else:
        assert "libwfsim" not in ldd
        env = CLEAN_ENV
    out = outside / f"events_{link}"
    proc = run([exe, CENSUS, out], cwd=outside, env=env)
    assert proc.stdout.strip() == f"wfsim {pkg_config(prefix, '--modversion')[0]}: " \
                                  f"60 employees, {out} written"
    years = sorted(p.name for p in out.iterdir() if p.name.startswith("simulation_year="))
    assert years == [f"simulation_year={y}" for y in range(2025, 2030)]
    assert (out / "workforce_snapshot").is_dir()
    # The library's errors reach the host with file, line and column.
    bad = outside / f"bad_{link}.csv"
    bad.write_text("employee_id,birth_date,hire_date,salary\nE1,1980-02-30,2010-01-01,50000\n")
    proc = run([exe, bad, outside / f"no_{link}"], cwd=outside, env=env, check=False)
    assert proc.returncode == 2
    assert f"{bad}:2:" in proc.stderr and "birth_date" in proc.stderr
    assert not (outside / f"no_{link}").exists()


def rendered_man(prefix):
    env = dict(CLEAN_ENV, MANWIDTH="80", LANG="C", LC_ALL="C", MAN_KEEP_FORMATTING="")
    proc = run(["man", "--warnings", "-l", prefix / "share/man/man1/wfsim.1"], cwd=prefix,
               env=env)
    assert proc.stderr == ""
    groff = run(["groff", "-man", "-ww", "-z", prefix / "share/man/man1/wfsim.1"], cwd=prefix)
    assert groff.stderr == ""
    return proc.stdout


def test_man_page_renders_without_warning_and_covers_every_command(prefix):
    text = rendered_man(prefix)
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS",
                    "ENVIRONMENT", "FILES", "EXAMPLES"]:
        assert re.search(rf"^{section}$", text, re.M), section
    wfsim = str(prefix / "bin/wfsim")
    main_help = run([wfsim, "--help"], cwd=prefix).stdout
    commands = re.findall(r"^  ([a-z]+)  ", main_help, re.M)
    assert len(commands) >= 5
    for code in re.findall(r"(\d+) [a-z]", main_help.split("Exit status:")[1]):
        assert re.search(rf"^ {{7}}{code} ", text, re.M), f"exit status {code}"
    for command in commands:
        assert re.search(rf"^   wfsim {command}$", text, re.M), command
        helptext = run([wfsim, command, "--help"], cwd=prefix).stdout
        section = text.split(f"   wfsim {command}\n")[1].split("\n   wfsim ")[0]
        for option in set(re.findall(r"--[a-z][a-z-]*", helptext)) - {"--help"}:
            assert option in section, f"wfsim {command} {option}"
        for var in set(re.findall(r"\$([A-Z][A-Z0-9_]*[A-Z0-9])", helptext)):
            assert re.search(rf"^       {var}$", text, re.M), f"{var} ({command})"


def test_installed_run_outside_the_tree(prefix, outside):
    venv = (ROOT / ".venv").resolve()
    env = dict(CLEAN_ENV, WFSIM_VENV=str(venv))
    proc = run([prefix / "bin/wfsim", "run", "--employees", 300, "--out", "job"],
               cwd=outside, env=env)
    assert (outside / "job/metrics_summary.csv").is_file()
    assert (outside / "job/events/generation_summary.json").is_file()
    assert "dbt build" in proc.stderr
    assert all(len(line) <= 100 for line in proc.stdout.splitlines())
    # dbt ran the installed project and left nothing in it.
    assert not (prefix / "share/wfsim/dbt/target").exists()
    assert not (prefix / "share/wfsim/dbt/logs").exists()


def test_installed_run_without_python_environment(prefix, outside):
    proc = run([prefix / "bin/wfsim", "run", "--employees", 50, "--out", "nodbt"],
               cwd=outside, check=False)
    assert proc.returncode == 5
    err = proc.stderr
    assert "dbt is missing" in err
    assert f"{prefix}/share/wfsim/venv/bin/dbt" in err
    assert (f"python3 -m venv {prefix}/share/wfsim/venv && {prefix}/share/wfsim/venv/bin/pip "
            f"install -r {prefix}/share/wfsim/requirements.txt") in err
    assert not (outside / "nodbt").exists()
    # A WFSIM_VENV without dbt is named as such.
    empty = outside / "empty-venv"
    (empty / "bin").mkdir(parents=True, exist_ok=True)
    proc = run([prefix / "bin/wfsim", "run", "--out", "nodbt"], cwd=outside,
               env=dict(CLEAN_ENV, WFSIM_VENV=str(empty)), check=False)
    assert proc.returncode == 5 and f"$WFSIM_VENV is {empty}" in proc.stderr
    # parity looks for dbt and its Python (one that imports duckdb) before
    # running anything.
    proc = run([prefix / "bin/wfsim", "parity", "--census", CENSUS, "--out", "nopar"],
               cwd=outside, env=dict(CLEAN_ENV, WFSIM_PYTHON="/bin/false",
                                     WFSIM_VENV=str((ROOT / ".venv").resolve())), check=False)
    assert proc.returncode == 5
    assert "$WFSIM_PYTHON names /bin/false" in proc.stderr and "duckdb" in proc.stderr
    assert not (outside / "nopar").exists()
    proc = run([prefix / "bin/wfsim", "parity", "--census", CENSUS, "--out", "nopar"],
               cwd=outside, check=False)
    assert proc.returncode == 5 and "dbt is missing" in proc.stderr
    assert not (outside / "nopar").exists()


def test_destdir_stages_and_uninstall_removes(tmp_path):
    stage = tmp_path / "stage"
    make("install", "PREFIX=/opt/wfsim-test", f"DESTDIR={stage}")
    root = stage / "opt/wfsim-test"
    pc = (root / "lib/pkgconfig/wfsim.pc").read_text()
    assert "prefix=/opt/wfsim-test" in pc and str(stage) not in pc
    assert (root / "bin/wfsim").is_file() and (root / "share/wfsim/dbt").is_dir()
    make("uninstall", "PREFIX=/opt/wfsim-test", f"DESTDIR={stage}")
    left = [p for p in root.rglob("*") if not p.is_dir()]
    assert left == []
    assert not (root / "share/wfsim").exists() and not (root / "share/doc/wfsim").exists()
    shutil.rmtree(stage)


def test_installed_parity_outside_the_tree(prefix, outside):
    """The gate needs every runtime file (dbt project, scripts and what they
    import): two years of the golden census, both modes, from outside."""
    (outside / "two_years.yaml").write_text("simulation:\n  start_year: 2025\n  end_year: 2026\n")
    env = dict(CLEAN_ENV, WFSIM_VENV=str((ROOT / ".venv").resolve()))
    proc = run([prefix / "bin/wfsim", "parity", "--census", CENSUS, "--config", "two_years.yaml",
                "--out", "gate", "--quiet"], cwd=outside, env=env)
    assert "parity: IDENTICAL" in proc.stdout


def test_installed_cluster_ensemble_outside_the_tree(prefix, outside):
    """`wfsim ensemble --cluster` from the installed binary: its driver
    (PREFIX/share/wfsim/python) in the Python environment of WFSIM_VENV, a
    scheduler and a worker started without any variable of ours (the
    batches get the driver's WFSIM_VENV), and the report at the end; the
    per-replicate metrics are the installed local run's."""
    import json
    import time

    import duckdb

    venv = (ROOT / ".venv").resolve()
    env = dict(CLEAN_ENV, WFSIM_VENV=str(venv))
    work = outside / "cluster"
    work.mkdir()
    (work / "base.yaml").write_text("simulation:\n  scenario_id: base\n  start_year: 2025\n"
                                    "  end_year: 2026\n")
    run([prefix / "bin/wfsim", "census", "--employees", 400, "--seed", 2, "--out", "c.csv"],
        cwd=work)
    procs = []
    try:
        for argv in ([venv / "bin/dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                      "--no-dashboard", "--scheduler-file", work / "s.json"],
                     [venv / "bin/dask", "worker", "--scheduler-file", work / "s.json",
                      "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                      "--no-dashboard"]):
            log = open(work / f"{argv[1]}.log", "w")
            procs.append(subprocess.Popen([str(a) for a in argv], cwd=work, env=CLEAN_ENV,
                                          stdin=subprocess.DEVNULL, stdout=log, stderr=log))
            deadline = time.monotonic() + 120
            while not (work / "s.json").exists():
                assert time.monotonic() < deadline, "the scheduler did not start"
                time.sleep(0.2)
        address = None
        while address is None:
            try:
                address = json.loads((work / "s.json").read_text())["address"]
            except (ValueError, KeyError):
                time.sleep(0.2)
        args = ["ensemble", "--census", "c.csv", "--scenario", "base.yaml", "--seeds", 2,
                "--threads", 1]
        proc = run([prefix / "bin/wfsim", *args, "--cluster", address, "--out", "dist"],
                   cwd=work, env=env)
        assert "output in" in proc.stderr
        run([prefix / "bin/wfsim", *args, "--no-report", "--quiet", "--out", "here"],
            cwd=work, env=env)
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(timeout=60)
    for name in ("report.html", "report.xlsx", "ensemble_summary.csv"):
        assert (work / "dist" / name).is_file(), name

    def metrics(folder):
        con = duckdb.connect(str(work / folder / "wfsim.duckdb"), read_only=True)
        try:
            return con.execute("select * from fct_replicate_metrics order by all").fetchall()
        finally:
            con.close()
    assert len(metrics("dist")) == 4 and metrics("dist") == metrics("here")
