"""Compares every table of two wfsim runs' dbt databases (OUT/wfsim.duckdb):
same tables, same rows (as multisets). Exit 0 when equal, 1 otherwise.

    .venv/bin/python bench/dbt_marts_equal.py OUT_BEFORE OUT_AFTER
"""
import sys

import duckdb


def main(a: str, b: str) -> int:
    con = duckdb.connect()
    con.execute(f"attach '{a}/wfsim.duckdb' as a (read_only)")
    con.execute(f"attach '{b}/wfsim.duckdb' as b (read_only)")
    q = ("select schema_name, table_name from duckdb_tables() where database_name = ? "
         "order by all")
    ta = con.execute(q, ["a"]).fetchall()
    tb = con.execute(q, ["b"]).fetchall()
    if ta != tb:
        print("different tables:", sorted(set(ta) ^ set(tb)))
        return 1
    bad = 0
    for schema, table in ta:
        diff = con.execute(
            f'select count(*) from ((select * from a."{schema}"."{table}" except all '
            f'select * from b."{schema}"."{table}") union all (select * from '
            f'b."{schema}"."{table}" except all select * from a."{schema}"."{table}"))'
        ).fetchone()[0]
        n = con.execute(f'select count(*) from a."{schema}"."{table}"').fetchone()[0]
        print(f"{schema}.{table}: {n} rows, {diff} differ")
        bad += diff != 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
