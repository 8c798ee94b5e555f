"""Check that the Polars peer computes the engine's events before it is timed.

usage: check_equal.py [--census F] [--config F ...] [--md5 METHOD] [--wfsim PATH]

For each configuration (default: docs/model.md's defaults and the golden
example's alt_config.yaml, on tests/vectors/golden/census.csv), runs the
C engine (`wfsim events --snapshots`) and the Polars peer on the census and
compares, with DuckDB EXCEPT ALL in both directions:
  - the events, every column of docs/model.md 5.1 except created_at, plus the
    partition year (money and rates as exact DECIMAL, probabilities as
    DOUBLE), engine against peer;
  - the workforce snapshots, engine against peer;
  - when the census is the golden one, the peer against the golden
    events.csv and snapshot.csv of that configuration.
Also checks the Parquet layout (one folder per year, no partition column
in the files, row order (employee_id, event_sequence)). Prints one line per
comparison and exits 1 on any difference (showing a few differing rows).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

import duckdb
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(ROOT, "tests", "vectors", "golden")
sys.path.insert(0, HERE)
# The engine's Parquet schema as DuckDB reads it: one table, the tests' own.
sys.path.insert(0, os.path.join(ROOT, "tests", "py"))

import engine_util  # noqa: E402
import md5_bulk  # noqa: E402
import wfsim_polars as wp  # noqa: E402

EV_COLS = [c for c in wp.EVENT_COLUMNS if c != "created_at"]
EV_TYPES = {c: engine_util.EVENT_TYPES[c] for c in EV_COLS}
SNAP_COLS = list(engine_util.SNAPSHOT_TYPES)
SNAP_TYPES = engine_util.SNAPSHOT_TYPES

def _q(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def parquet_rel(glob: str, cols: list[str], types: dict) -> str:
    sel = ", ".join("CAST(%s AS %s) AS %s" % (c, types[c], c) for c in cols)
    return "(SELECT CAST(simulation_year AS INTEGER) AS simulation_year, %s FROM read_parquet(%s, hive_partitioning = true))" % (sel, _q(glob))


def csv_rel(path: str, cols: list[str], types: dict) -> str:
    allt = dict(types, simulation_year="INTEGER")
    spec = "{" + ", ".join("'%s': '%s'" % (c, allt[c]) for c in ["simulation_year"] + cols) + "}"
    sel = ", ".join(["simulation_year"] + cols)
    return "(SELECT %s FROM read_csv(%s, header = true, columns = %s))" % (sel, _q(path), spec)


def compare(con, name: str, left: str, right: str, lname: str, rname: str) -> bool:
    nl = con.execute("SELECT count(*) FROM %s" % left).fetchone()[0]
    nr = con.execute("SELECT count(*) FROM %s" % right).fetchone()[0]
    only_l = con.execute("SELECT * FROM (%s EXCEPT ALL %s) ORDER BY ALL LIMIT 5" % (left, right)).fetchall()
    only_r = con.execute("SELECT * FROM (%s EXCEPT ALL %s) ORDER BY ALL LIMIT 5" % (right, left)).fetchall()
    cl = con.execute("SELECT count(*) FROM (%s EXCEPT ALL %s)" % (left, right)).fetchone()[0]
    cr = con.execute("SELECT count(*) FROM (%s EXCEPT ALL %s)" % (right, left)).fetchone()[0]
    ok = cl == 0 and cr == 0 and nl == nr and nl > 0
    print("%-4s %s: %s %d rows, %s %d rows, only in %s %d, only in %s %d"
          % ("ok" if ok else "DIFF", name, lname, nl, rname, nr, lname, cl, rname, cr))
    for r in only_l:
        print("   only %s: %s" % (lname, r))
    for r in only_r:
        print("   only %s: %s" % (rname, r))
    return ok


def check_layout(out: str) -> bool:
    ok = True
    years = sorted(d for d in os.listdir(out) if d.startswith("simulation_year="))
    for d in years:
        files = [f for f in os.listdir(os.path.join(out, d)) if f.endswith(".parquet")]
        for f in files:
            t = pq.read_table(os.path.join(out, d, f))
            if "simulation_year" in t.column_names:
                print("DIFF layout: %s/%s holds the partition column" % (d, f))
                ok = False
            keys = list(zip(t.column("employee_id").to_pylist(), t.column("event_sequence").to_pylist()))
            if keys != sorted(keys, key=lambda k: (k[0].encode(), k[1])):
                print("DIFF layout: %s/%s is not sorted by (employee_id, event_sequence)" % (d, f))
                ok = False
            if pq.ParquetFile(os.path.join(out, d, f)).metadata.row_group(0).column(0).compression != "ZSTD":
                print("DIFF layout: %s/%s is not ZSTD" % (d, f))
                ok = False
    print("%-4s layout: %d year folders" % ("ok" if ok else "DIFF", len(years)))
    return ok and bool(years)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--census", default=os.path.join(GOLDEN, "census.csv"))
    ap.add_argument("--config", action="append",
                    help="configuration file; 'default' for none (default: default and golden alt)")
    ap.add_argument("--md5", default="auto", choices=md5_bulk.METHODS)
    ap.add_argument("--wfsim", default=os.path.join(ROOT, os.environ.get("WFSIM_BUILD", "build"), "wfsim"))
    ap.add_argument("--seeds", default=os.path.join(ROOT, "dbt", "seeds"))
    a = ap.parse_args(argv)
    configs = a.config or ["default", os.path.join(GOLDEN, "alt_config.yaml")]
    golden_census = os.path.realpath(a.census) == os.path.realpath(os.path.join(GOLDEN, "census.csv"))
    hasher = md5_bulk.make_hasher(a.md5)
    all_ok = True
    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="peers-check-") as tmp:
        for i, cfgfile in enumerate(configs):
            cfgpath = None if cfgfile == "default" else cfgfile
            label = "default" if cfgpath is None else os.path.basename(cfgpath)
            print("== %s on %s (md5=%s)" % (label, a.census, hasher.name))
            eng, pol = os.path.join(tmp, "engine%d" % i), os.path.join(tmp, "polars%d" % i)
            cmd = [a.wfsim, "events", "--census", a.census, "--out", eng, "--snapshots", "--quiet"]
            if cfgpath:
                cmd += ["--config", cfgpath]
            subprocess.run(cmd, check=True)
            cfg = wp.load_config(a.wfsim, cfgpath)
            tables = wp.load_tables(a.seeds)
            results = wp.simulate(wp.Inputs(cfg, tables, wp.load_census(a.census, cfg, tables)), hasher)
            wp.write_events(results, pol)
            wp.write_snapshots(results, pol)
            pe = parquet_rel(os.path.join(pol, "simulation_year=*", "*.parquet"), EV_COLS, EV_TYPES)
            ee = parquet_rel(os.path.join(eng, "simulation_year=*", "*.parquet"), EV_COLS, EV_TYPES)
            ps = parquet_rel(os.path.join(pol, "workforce_snapshot", "simulation_year=*", "*.parquet"),
                             SNAP_COLS, SNAP_TYPES)
            es = parquet_rel(os.path.join(eng, "workforce_snapshot", "simulation_year=*", "*.parquet"),
                             SNAP_COLS, SNAP_TYPES)
            all_ok &= check_layout(pol)
            all_ok &= compare(con, "events", ee, pe, "engine", "polars")
            all_ok &= compare(con, "snapshot", es, ps, "engine", "polars")
            if golden_census and (cfgpath is None or os.path.realpath(cfgpath) ==
                                  os.path.realpath(os.path.join(GOLDEN, "alt_config.yaml"))):
                gdir = os.path.join(GOLDEN, "default" if cfgpath is None else "alt")
                all_ok &= compare(con, "events vs golden", csv_rel(os.path.join(gdir, "events.csv"), EV_COLS, EV_TYPES),
                                  pe, "golden", "polars")
                all_ok &= compare(con, "snapshot vs golden",
                                  csv_rel(os.path.join(gdir, "snapshot.csv"), SNAP_COLS, SNAP_TYPES),
                                  ps, "golden", "polars")
    print("EQUAL" if all_ok else "DIFFERENT")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
