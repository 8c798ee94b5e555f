"""Faults (issue 7): runs that are killed, disks that fill up, output
locations that cannot be written. Whatever happens, OUT holds the complete
previous output or the complete new one, never a mix, and nothing partial
is left beside it once the next run has started.

- SIGKILL: a large census (WF_KILL_EMPLOYEES, default 200,000 employees x 5
  years) is run again and again, each time with the other of two seeds, and
  killed after a random delay. The delays are stratified over 0..1.1 times
  the measured length of a whole run, so kills land everywhere: during the
  load, the simulation, the Parquet writes, the commit, the removal of the
  old output, and after the end; a fifth of the kills instead wait for the
  last file to appear in the staging folder, then 0-4 ms, landing at the
  commit (the swap, then the removal of the old output).
  After each kill OUT must equal one of the
  two reference trees (both produced by complete runs; byte-identical thanks
  to SOURCE_DATE_EPOCH, except the timings of generation_summary.json). The
  seed is printed; replay with WF_TEST_SEED. WF_KILLS sets the number of
  kills (default 20).
- Disk full: a small tmpfs mounted for the test when we may mount (root),
  else a file-size limit (RLIMIT_FSIZE with SIGXFSZ ignored, so write()
  fails with EFBIG); the file-size limit is also always tried on its own.
- Read-only output location: as root, a tmpfs remounted read-only, and a
  0555 parent folder with the run done as `nobody` (setpriv), since root
  ignores permission bits; as another user, the 0555 parent folder alone.
- Inputs that cannot be read (missing, a folder, a table file missing from
  --tables) and an OUT that is a file: exit status 3 naming the path.
"""
import collections
import os
import pathlib
import random
import resource
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from engine_util import tree_bytes
from test_reliability_inputs import comparable_tree

ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
IS_ROOT = os.geteuid() == 0


def staging_leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if ".wfsim-tmp-" in p.name)


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                          env=ENV, timeout=600, **kw)


@pytest.fixture(scope="module")
def big_census(wfsim, tmp_path_factory):
    n = int(os.environ.get("WF_KILL_EMPLOYEES", "200000"))
    path = tmp_path_factory.mktemp("big") / "census.csv"
    proc = run([wfsim, "census", "--employees", n, "--seed", 11, "--out", path])
    assert proc.returncode == 0, proc.stderr
    return path


@pytest.fixture(scope="module")
def small_census(vectors):
    return vectors / "golden/census.csv"


# ---- SIGKILL ------------------------------------------------------------------

def test_sigkill_at_random_moments_leaves_old_or_new_output(wfsim, tmp_path, big_census):
    seed = int(os.environ.get("WF_TEST_SEED") or random.randrange(1 << 32))
    kills = int(os.environ.get("WF_KILLS", "20"))
    print(f"\nsigkill test: seed {seed} (replay with WF_TEST_SEED={seed}), {kills} kills")
    rng = random.Random(seed)
    run_seeds = (101, 202)

    def command(out, which):
        return [wfsim, "events", "--census", big_census, "--out", out, "--quiet",
                "--seed", run_seeds[which]]

    # The two complete outputs, and how long a whole run takes.
    refs, lengths = [], []
    for which in (0, 1):
        ref = tmp_path / f"ref{which}"
        ref.mkdir()
        t0 = time.monotonic()
        proc = run(command(ref / "out", which))
        lengths.append(time.monotonic() - t0)
        assert proc.returncode == 0, proc.stderr
        refs.append(comparable_tree(ref / "out"))
    assert refs[0] != refs[1]
    full = max(lengths)

    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    shutil.copytree(tmp_path / "ref0/out", out)
    current = 0
    # A fifth of the kills wait for the last file (generation_summary.json)
    # to appear in the staging folder: they land right at the commit.
    at_commit = kills // 5
    timed = kills - at_commit
    delays = [(i + rng.random()) / timed * 1.1 * full for i in range(timed)]
    delays += [None] * at_commit
    rng.shuffle(delays)
    outcomes = collections.Counter()
    killed_pids = set()
    for i, delay in enumerate(delays):
        target = 1 - current
        t0 = time.monotonic()
        child = subprocess.Popen([str(c) for c in command(out, target)], env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if delay is None:
            kill_at_commit(child, work, rng.uniform(0, 0.004))
        else:
            try:
                child.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
        # A run may end just before the signal: it then counts as finished.
        finished = child.returncode == 0
        stderr = child.stderr.read().decode()
        child.stderr.close()
        when = "at the commit" if delay is None else f"after {delay:.3f} s"
        where = (f"seed {seed}, kill {i} {when} of a {full:.3f} s run "
                 f"(pid {child.pid}, stopped at {time.monotonic() - t0:.3f} s)")
        assert child.returncode in (0, -signal.SIGKILL), f"{where}: {stderr}"
        if not finished:
            killed_pids.add(child.pid)
        tree = comparable_tree(out)
        kind = "at-commit" if delay is None else "timed"
        if finished:
            outcomes[f"{kind}: finished"] += 1
        if tree == refs[target]:
            outcomes[f"{kind}: killed, new output"] += not finished
            current = target
        else:
            assert tree == refs[current], f"{where}: OUT is neither the old nor the new output"
            assert not finished, f"{where}: a finished run left the old output"
            outcomes[f"{kind}: killed, old output"] += 1
        leftovers = staging_leftovers(work)
        outcomes["kills that left a staging folder"] += len(
            [n for n in leftovers if f"-tmp-{child.pid}-" in n])
        for name in leftovers:
            pid = int(name.split("wfsim-tmp-")[1].split("-")[0])
            assert pid in killed_pids, f"{where}: unexpected leftover {name}"
    print(f"sigkill test: outcomes {dict(outcomes)}; whole run {full:.2f} s")

    # One complete run cleans every staging folder the killed runs left.
    target = 1 - current
    proc = run(command(out, target))
    assert proc.returncode == 0, proc.stderr
    assert comparable_tree(out) == refs[target]
    assert staging_leftovers(work) == []
    assert sorted(os.listdir(work)) == ["out"]


def kill_at_commit(child, folder, extra):
    """Kills child `extra` seconds after its staging folder holds
    generation_summary.json (the last file written before the swap, which
    is followed by the removal of the old output), and waits for it."""
    prefix = f".out.wfsim-tmp-{child.pid}-"
    while child.poll() is None:
        for name in os.listdir(folder):
            if name.startswith(prefix) and os.path.exists(
                    os.path.join(folder, name, "generation_summary.json")):
                time.sleep(extra)
                child.send_signal(signal.SIGKILL)
                child.wait()
                return False
        time.sleep(0.0002)
    return True


def test_sigkill_during_census_generation_leaves_no_partial_file(wfsim, tmp_path):
    """`wfsim census` writes a temporary file and renames it: a kill leaves the
    old file or the new one, and never a partial census under the name."""
    seed = int(os.environ.get("WF_TEST_SEED") or random.randrange(1 << 32))
    print(f"\ncensus kill test: seed {seed}")
    rng = random.Random(seed)
    target = tmp_path / "census.csv"
    ref = tmp_path / "ref.csv"
    t0 = time.monotonic()
    assert run([wfsim, "census", "--employees", 300000, "--out", ref]).returncode == 0
    full = time.monotonic() - t0
    complete = ref.read_bytes()
    for i in range(5):
        child = subprocess.Popen([wfsim, "census", "--employees", "300000", "--out",
                                  str(target)], env=ENV)
        delay = (i + rng.random()) / 5 * 1.1 * full
        try:
            child.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if target.exists():
            assert target.read_bytes() == complete, f"seed {seed}, kill {i}"
    # what a killed run leaves is only its temporary file
    for p in tmp_path.iterdir():
        assert p.name in ("census.csv", "ref.csv") or p.name.startswith("census.csv.tmp."), p


# ---- disk full ------------------------------------------------------------------

def try_mount_tmpfs(path, size):
    """Mounts a tmpfs of `size` at path; False when we may not mount."""
    if not IS_ROOT or not shutil.which("mount"):
        return False
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755",
                           "tmpfs", str(path)], capture_output=True)
    return proc.returncode == 0


def umount(path):
    subprocess.run(["umount", str(path)], check=True)


def fsize_limit(limit):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def check_clean_failure(proc, out, before, words):
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith("wfsim: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert any(w in proc.stderr for w in words), proc.stderr
    assert tree_bytes(out) == before
    assert staging_leftovers(out.parent) == []
    assert not [p for p in out.parent.rglob("*.tmp")]


FULL_WORDS = ("No space left on device", "File too large")
EXTRA_FLAGS = {"plain": [], "snapshots-debug": ["--snapshots", "--debug-csv"]}


@pytest.mark.parametrize("size", ["256k", "2m", "6m"])
@pytest.mark.parametrize("flags", list(EXTRA_FLAGS))
def test_disk_full_tmpfs(wfsim, tmp_path, big_census, small_census, size, flags):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = try_mount_tmpfs(disk, size)
    preexec = None
    if not mounted:
        # Not allowed to mount: the same failure through a file-size limit.
        print("cannot mount a tmpfs here; using RLIMIT_FSIZE instead")
        preexec = fsize_limit({"256k": 256 << 10, "2m": 2 << 20, "6m": 6 << 20}[size])
    try:
        out = disk / "out"
        proc = run([wfsim, "events", "--census", small_census, "--out", out, "--quiet"])
        assert proc.returncode == 0, proc.stderr
        before = tree_bytes(out)
        proc = run([wfsim, "events", "--census", big_census, "--out", out, "--quiet",
                    *EXTRA_FLAGS[flags]], preexec_fn=preexec)
        check_clean_failure(proc, out, before, FULL_WORDS)
        assert sorted(os.listdir(disk)) == ["out"]
        # Once there is room again (a smaller run), the next run succeeds.
        proc = run([wfsim, "events", "--census", small_census, "--out", out, "--quiet",
                    "--end", "2026"])
        assert proc.returncode == 0, proc.stderr
        assert sorted(os.listdir(disk)) == ["out"]
    finally:
        if mounted:
            umount(disk)


@pytest.mark.parametrize("limit", [1, 64 << 10, 1 << 20])
def test_file_size_limit(wfsim, tmp_path, big_census, small_census, limit):
    out = tmp_path / "out"
    assert run([wfsim, "events", "--census", small_census, "--out", out]).returncode == 0
    before = tree_bytes(out)
    proc = run([wfsim, "events", "--census", big_census, "--out", out, "--quiet",
                "--snapshots"], preexec_fn=fsize_limit(limit))
    check_clean_failure(proc, out, before, FULL_WORDS)
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_census_generation_disk_full(wfsim, tmp_path):
    target = tmp_path / "census.csv"
    target.write_text("previous\n")
    proc = run([wfsim, "census", "--employees", 50000, "--out", target],
               preexec_fn=fsize_limit(256 << 10))
    assert proc.returncode == 3, proc.stderr
    assert any(w in proc.stderr for w in FULL_WORDS), proc.stderr
    assert target.read_text() == "previous\n"
    assert sorted(os.listdir(tmp_path)) == ["census.csv"]


# ---- read-only output location ---------------------------------------------------

def test_read_only_mount(wfsim, tmp_path, small_census):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = try_mount_tmpfs(disk, "4m")
    try:
        out = disk / "out"
        proc = run([wfsim, "events", "--census", small_census, "--out", out, "--quiet"])
        assert proc.returncode == 0, proc.stderr
        before = tree_bytes(out)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
            words = ("Read-only file system",)
        else:
            print("cannot mount here; using a 0555 folder instead")
            disk.chmod(0o555)
            words = ("Permission denied",)
        proc = run([wfsim, "events", "--census", small_census, "--out", out, "--quiet",
                    "--seed", 5])
        check_clean_failure(proc, out, before, words)
        assert "cannot create the staging directory" in proc.stderr
    finally:
        if mounted:
            umount(disk)
        else:
            disk.chmod(0o755)


def test_read_only_parent_folder(wfsim, small_census):
    """A 0555 parent folder. Root ignores permission bits, so as root the run
    is done as `nobody` (setpriv) in a folder nobody can reach."""
    base = pathlib_mkdtemp()
    try:
        census = base / "census.csv"
        shutil.copy(small_census, census)
        parent = base / "ro"
        parent.mkdir()
        out = parent / "out"
        assert run([wfsim, "events", "--census", census, "--out", out]).returncode == 0
        before = tree_bytes(out)
        parent.chmod(0o555)
        prefix = []
        if IS_ROOT:
            assert shutil.which("setpriv"), "setpriv (util-linux) is needed to drop root"
            prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        proc = run([*prefix, wfsim, "events", "--census", census, "--out", out,
                    "--quiet", "--seed", 5])
        check_clean_failure(proc, out, before, ("Permission denied",))
    finally:
        (base / "ro").chmod(0o755)
        shutil.rmtree(base)


def pathlib_mkdtemp():
    """A scratch folder that `nobody` can read (pytest's tmp_path is 0700)."""
    base = pathlib.Path(tempfile.mkdtemp(prefix="wfsim-reliab-"))
    base.chmod(0o755)
    return base


def test_output_path_is_a_file(wfsim, tmp_path, small_census):
    out = tmp_path / "out"
    out.write_text("not a folder\n")
    proc = run([wfsim, "events", "--census", small_census, "--out", out])
    assert proc.returncode == 3
    assert "exists and is not a directory" in proc.stderr
    assert out.read_text() == "not a folder\n"
    assert sorted(os.listdir(tmp_path)) == ["out"]


# ---- inputs that cannot be read ---------------------------------------------------

UNREADABLE = [
    pytest.param(["--census", "missing.csv"], "missing.csv: cannot open: No such file",
                 id="census-missing"),
    pytest.param(["--census", "folder"], "folder: cannot read: Is a directory",
                 id="census-is-a-folder"),
    pytest.param(["--census", "census.csv", "--config", "missing.yaml"],
                 "missing.yaml: cannot open: No such file", id="config-missing"),
    pytest.param(["--census", "census.csv", "--config", "folder"],
                 "folder: cannot read: Is a directory", id="config-is-a-folder"),
    pytest.param(["--census", "census.csv", "--tables", "tables"],
                 "tables/levels.csv: cannot open: No such file", id="table-file-missing"),
    pytest.param(["--census", "census.csv", "--tables", "missing"],
                 "missing/levels.csv: cannot open: No such file", id="tables-folder-missing"),
]


@pytest.mark.parametrize("args,message", UNREADABLE)
def test_unreadable_input_is_a_file_error(wfsim, root, tmp_path, small_census, args, message):
    shutil.copy(small_census, tmp_path / "census.csv")
    (tmp_path / "folder").mkdir()
    (tmp_path / "tables").mkdir()
    for seed in (root / "dbt/seeds").glob("*.csv"):
        if seed.name != "levels.csv":
            shutil.copy(seed, tmp_path / "tables" / seed.name)
    assert run([wfsim, "events", "--census", "census.csv", "--out", "out", "--quiet"],
               cwd=tmp_path).returncode == 0
    before = tree_bytes(tmp_path / "out")
    proc = run([wfsim, "events", "--out", "out", "--quiet", *args], cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert proc.stderr.startswith(f"wfsim: {message}") and proc.stderr.count("\n") == 1
    assert tree_bytes(tmp_path / "out") == before
    assert staging_leftovers(tmp_path) == []
