"""Compares two event folders (fast mode and SQL mode) value for value.

usage: parity_compare.py FAST_EVENTS SQL_EVENTS [--show N]

Both folders have the engine's layout (docs/model.md 5): FOLDER/simulation_year=Y/
*.parquet events and FOLDER/workforce_snapshot/simulation_year=Y/*.parquet.
Every column of src/common/wf_schema.h but created_at is compared, in both directions, with DuckDB's
EXCEPT ALL (so duplicates count). Prints, per year and event type, the rows
of each side, the rows matched and the rows found on one side only; then the
snapshot per year; then the first differing rows of each kind. Exit status 0
when both agree exactly, 1 when anything differs, 2 when a folder is
unreadable. Called by `wfsim parity`; usable on its own.
"""
import argparse
import os
import sys

import duckdb

# python/ goes last: wfsim_schema is found there, while `import wfsim`
# still finds the installed package (with its compiled engine), not the
# source tree's copy of it.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import wfsim_schema  # noqa: E402

# Every column of src/common/wf_schema.h but created_at (a run's time stamp),
# plus the partition: a column the schema declares cannot be left out.
EVENT_COLUMNS = ", ".join(["simulation_year", *wfsim_schema.names(wfsim_schema.EVENT_COLUMNS, True)])
SNAPSHOT_COLUMNS = ", ".join(["simulation_year", *wfsim_schema.names(wfsim_schema.SNAPSHOT_COLUMNS, True)])


def source(folder, sub=""):
    path = f"{folder}/{sub}simulation_year=*/*.parquet".replace("'", "''")
    return (f"read_parquet('{path}', hive_partitioning=true, "
            "hive_types={'simulation_year': INTEGER})")


def load(con, name, folder, sub, columns):
    con.execute(f"create table {name} as select {columns} from {source(folder, sub)}")


def diff_tables(con, kind, columns):
    """Creates {kind}_only_fast / {kind}_only_sql; returns their row counts."""
    for a, b, side in (("fast", "sql", "only_fast"), ("sql", "fast", "only_sql")):
        con.execute(f"create table {kind}_{side} as select {columns} from {kind}_{a} "
                    f"except all select {columns} from {kind}_{b}")
    return [con.execute(f"select count(*) from {kind}_{s}").fetchone()[0]
            for s in ("only_fast", "only_sql")]


def report(con, kind, keys):
    """Per-group counts: rows of each side, matched, and one-sided rows."""
    k = ", ".join(keys)
    rows = con.execute(f"""
        with f as (select {k}, count(*) n from {kind}_fast group by all),
             s as (select {k}, count(*) n from {kind}_sql group by all),
             of as (select {k}, count(*) n from {kind}_only_fast group by all),
             os as (select {k}, count(*) n from {kind}_only_sql group by all)
        select {k}, coalesce(f.n, 0), coalesce(s.n, 0),
               coalesce(f.n, 0) - coalesce(of.n, 0), coalesce(of.n, 0), coalesce(os.n, 0)
        from f full join s using ({k}) left join of using ({k}) left join os using ({k})
        order by all""").fetchall()
    head = [*keys, "fast", "sql", "matched", "only_fast", "only_sql"]
    print(f"\n{kind}:")
    print("  " + " ".join(f"{h:>20}" if i < len(keys) else f"{h:>10}" for i, h in enumerate(head)))
    for r in rows:
        print("  " + " ".join(f"{str(v):>20}" if i < len(keys) else f"{v:>10}"
                              for i, v in enumerate(r)))


def show_first(con, kind, keys, n):
    order = ", ".join(keys)
    for side in ("only_fast", "only_sql"):
        rows = con.execute(f"select * from {kind}_{side} order by {order} limit {n}").fetchall()
        if rows:
            cols = [d[0] for d in con.execute(f"select * from {kind}_{side} limit 0").description]
            print(f"\nfirst {kind} rows {side.replace('_', ' in ')}:")
            for r in rows:
                print("  " + ", ".join(f"{c}={v}" for c, v in zip(cols, r)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fast")
    parser.add_argument("sql")
    parser.add_argument("--show", type=int, default=10, help="differing rows shown per side")
    args = parser.parse_args()
    con = duckdb.connect()
    try:
        for mode, folder in (("fast", args.fast), ("sql", args.sql)):
            load(con, f"events_{mode}", folder, "", EVENT_COLUMNS)
            load(con, f"snapshot_{mode}", folder, "workforce_snapshot/", SNAPSHOT_COLUMNS)
    except duckdb.Error as exc:
        print(f"parity: cannot read the events: {exc}", file=sys.stderr)
        return 2
    ev = diff_tables(con, "events", EVENT_COLUMNS)
    sn = diff_tables(con, "snapshot", SNAPSHOT_COLUMNS)
    report(con, "events", ["simulation_year", "event_type"])
    report(con, "snapshot", ["simulation_year"])
    show_first(con, "events", ["simulation_year", "employee_id", "event_sequence"], args.show)
    show_first(con, "snapshot", ["simulation_year", "employee_id"], args.show)
    n_ev = con.execute("select count(*) from events_fast").fetchone()[0]
    n_sn = con.execute("select count(*) from snapshot_fast").fetchone()[0]
    if ev == [0, 0] and sn == [0, 0] and n_ev > 0:
        print(f"\nparity: IDENTICAL: {n_ev} events and {n_sn} snapshot rows agree in every column")
        return 0
    print(f"\nparity: DIFFERENT: events {ev[0]} only in fast, {ev[1]} only in SQL; "
          f"snapshot {sn[0]} only in fast, {sn[1]} only in SQL", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
