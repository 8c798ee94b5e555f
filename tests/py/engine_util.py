"""Helpers for the engine tests: run `wfsim`, read its Parquet output."""
import os
import subprocess

EVENT_TYPES = {
    "event_id": "VARCHAR", "scenario_id": "VARCHAR", "plan_design_id": "VARCHAR",
    "random_seed": "BIGINT", "employee_id": "VARCHAR", "event_type": "VARCHAR",
    "event_category": "VARCHAR", "event_date": "DATE", "event_sequence": "INTEGER",
    "level_id": "INTEGER", "previous_level_id": "INTEGER",
    "compensation_amount": "DECIMAL(18,2)", "previous_compensation": "DECIMAL(18,2)",
    "employee_deferral_rate": "DECIMAL(9,4)", "prev_employee_deferral_rate": "DECIMAL(9,4)",
    "employee_age": "INTEGER", "employee_tenure": "INTEGER", "age_band": "VARCHAR",
    "tenure_band": "VARCHAR", "event_probability": "DOUBLE",
    "created_at": "TIMESTAMP",
}

SNAPSHOT_TYPES = {
    "employee_id": "VARCHAR", "employment_status": "VARCHAR", "birth_date": "DATE",
    "hire_date": "DATE", "termination_date": "DATE", "level_id": "INTEGER",
    "salary": "DECIMAL(18,2)", "eligibility_date": "DATE", "is_enrolled": "BOOLEAN",
    "deferral_rate": "DECIMAL(9,4)", "enrollment_source": "VARCHAR",
    "ever_opted_out": "BOOLEAN",
}


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
