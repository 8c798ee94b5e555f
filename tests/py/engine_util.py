"""Helpers for the engine tests: run `wfsim`, read its Parquet output."""
import os
import subprocess
import sys

# python/ goes last: wfsim_schema is found there, while `import wfsim`
# still finds the installed package (with its compiled engine), not the
# source tree's copy of it.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import wfsim_schema  # noqa: E402

# The column lists and types are src/common/wf_schema.h's (python/wfsim_schema.py).
EVENT_TYPES = wfsim_schema.sql_types(wfsim_schema.EVENT_COLUMNS)
SNAPSHOT_TYPES = wfsim_schema.sql_types(wfsim_schema.SNAPSHOT_COLUMNS)


def run_wfsim(wfsim, *args, env=None, check=True):
    """Runs wfsim with args; returns the CompletedProcess (text mode)."""
    full_env = dict(os.environ)
    full_env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    if env:
        full_env.update(env)
    proc = subprocess.run([wfsim, *map(str, args)], capture_output=True, text=True,
                          env=full_env, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"wfsim {args} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def csv_types(types, with_year=True):
    """DuckDB read_csv types for a debug/golden CSV of these columns."""
    t = {k: v for k, v in types.items() if k != "created_at"}
    if with_year:
        t["simulation_year"] = "INTEGER"
    return t


def events_sql(out):
    return (f"read_parquet('{out}/simulation_year=*/*.parquet', hive_partitioning=true, "
            "hive_types={'simulation_year': INTEGER})")


def snapshot_sql(out):
    return (f"read_parquet('{out}/workforce_snapshot/simulation_year=*/*.parquet', "
            "hive_partitioning=true, hive_types={'simulation_year': INTEGER})")


def tree_bytes(path):
    """{relative path: bytes} of every file under path."""
    files = {}
    for base, _dirs, names in os.walk(path):
        for name in names:
            full = os.path.join(base, name)
            files[os.path.relpath(full, path)] = open(full, "rb").read()
    return files
