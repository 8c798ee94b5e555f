"""Compares every table of two wfsim runs' dbt databases (OUT/wfsim.duckdb):
same tables, same rows (as multisets). DOUBLE and FLOAT columns are
compared to 11 significant digits: DuckDB sums them in parallel in no fixed
order, so two builds of the same code can differ in the last bits (the
money, counts and rates of the marts are DECIMAL or integers, compared
exactly). Exit 0 when equal, 1 otherwise.

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
        cols = con.execute(
            "select column_name, data_type from duckdb_columns() where database_name = 'a' "
            "and schema_name = ? and table_name = ? order by column_index",
            [schema, table]).fetchall()
        sel = ", ".join(
            "format('{:.10e}', \"%s\") as \"%s\"" % (c, c) if t in ("DOUBLE", "FLOAT")
            else '"%s"' % c for c, t in cols)
        side = {d: f'(select {sel} from {d}."{schema}"."{table}")' for d in ("a", "b")}
        diff = con.execute(
            f'select count(*) from ((select * from {side["a"]} except all '
            f'select * from {side["b"]}) union all (select * from '
            f'{side["b"]} except all select * from {side["a"]}))'
        ).fetchone()[0]
        n = con.execute(f'select count(*) from a."{schema}"."{table}"').fetchone()[0]
        print(f"{schema}.{table}: {n} rows, {diff} differ")
        bad += diff != 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
