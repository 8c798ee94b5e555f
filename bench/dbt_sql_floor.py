"""The SQL floor of a finished dbt build (issues 14 and 19): how long the
build's own statements take with dbt taken away.

Every model and data test of OUT's last build (OUT/dbt_target: the
compiled SQL in manifest.json, the order in run_results.json) is run again,
one at a time on one DuckDB connection, in a copy of OUT/wfsim.duckdb: a
table model as CREATE OR REPLACE TABLE (persistent, as dbt makes it), a
view as CREATE OR REPLACE VIEW, a data test as a count over its query. Seeds
are already in the copy and are not loaded again; unit tests are left out
(they never read the run's data). With --temp, each table model is made a
second time as a TEMP table, which DuckDB keeps in memory: the difference
is what writing the table into the database costs.

What the floor says: dbt's elapsed node time less the floor is what dbt
adds (its per-node work, two nodes sharing two cores); the floor itself is
DuckDB's work, which no change to how dbt runs can remove.

    .venv/bin/python bench/dbt_sql_floor.py OUT [--top N] [--temp] [--json FILE]

Not a test: the times depend on the machine and its load. The compiled SQL
names OUT's files (events, census), so OUT must still hold them."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import duckdb


def _start(result: dict) -> str:
    for t in result.get("timing", []):
        if t.get("name") == "execute" and t.get("started_at"):
            return t["started_at"]
    return ""


def measure(out_dir: str, temp_too: bool = False) -> dict:
    """Runs OUT's build again statement by statement; returns the totals
    and one row per node (unique_id, dbt seconds, alone seconds[, temp])."""
    target = os.path.join(out_dir, "dbt_target")
    run = json.load(open(os.path.join(target, "run_results.json")))
    nodes = json.load(open(os.path.join(target, "manifest.json")))["nodes"]
    results = sorted(run["results"], key=_start)   # dbt started a node after its parents
    work = tempfile.mkdtemp(prefix="wfsim-sql-floor-")
    try:
        # the same file name: the compiled SQL names the catalog "wfsim"
        db = os.path.join(work, "wfsim.duckdb")
        shutil.copy(os.path.join(out_dir, "wfsim.duckdb"), db)
        con = duckdb.connect(db)
        rows = []
        totals = {"models": 0.0, "tests": 0.0, "models_temp": 0.0}
        for r in results:
            uid = r["unique_id"]
            node = nodes.get(uid)
            kind = uid.split(".")[0]
            if node is None or kind not in ("model", "test") or not node.get("compiled_code"):
                continue
            sql = node["compiled_code"]
            row = {"node": uid, "dbt": r["execution_time"]}
            t = time.perf_counter()
            if kind == "test":
                con.execute(f"select count(*) from ({sql}) as failures").fetchall()
                row["alone"] = time.perf_counter() - t
                totals["tests"] += row["alone"]
            else:
                view = node["config"].get("materialized") == "view"
                what = "view" if view else "table"
                con.execute(f'create or replace {what} main."{node["alias"]}" as ({sql})')
                row["alone"] = time.perf_counter() - t
                totals["models"] += row["alone"]
                if temp_too and not view:
                    t = time.perf_counter()
                    con.execute(f"create or replace temp table wf_floor_tmp as ({sql})")
                    row["temp"] = time.perf_counter() - t
                    con.execute("drop table wf_floor_tmp")
                totals["models_temp"] += row.get("temp", row["alone"])
            rows.append(row)
        con.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"out": out_dir, "dbt_elapsed": run.get("elapsed_time"),
            "dbt_node_sum": sum(x["execution_time"] for x in run["results"]),
            "floor_models": totals["models"], "floor_tests": totals["tests"],
            "floor": totals["models"] + totals["tests"],
            "floor_models_temp": totals["models_temp"] if temp_too else None,
            "nodes": sorted(rows, key=lambda x: -x["alone"])}


def summary_line(m: dict) -> str:
    s = (f"SQL floor {m['floor']:.2f} s (models {m['floor_models']:.2f}, data tests "
         f"{m['floor_tests']:.2f}), one statement at a time; dbt's nodes {m['dbt_elapsed']:.2f} s "
         f"elapsed ({m['dbt_node_sum']:.2f} s summed over its threads)")
    if m.get("floor_models_temp") is not None:
        s += f"; the models as temporary tables {m['floor_models_temp']:.2f} s"
    return s


def main() -> int:
    p = argparse.ArgumentParser(prog="bench/dbt_sql_floor.py",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("out", help="a wfsim run or ensemble folder after its dbt build")
    p.add_argument("--top", type=int, default=12, help="slowest statements to list")
    p.add_argument("--temp", action="store_true",
                   help="also make each table model as a TEMP table")
    p.add_argument("--json", help="write the figures to this file")
    a = p.parse_args()
    for f in ("dbt_target/run_results.json", "dbt_target/manifest.json", "wfsim.duckdb"):
        if not os.path.exists(os.path.join(a.out, f)):
            print(f"dbt_sql_floor: {os.path.join(a.out, f)} is missing (run the build first)",
                  file=sys.stderr)
            return 2
    m = measure(a.out, a.temp)
    print(summary_line(m))
    print(f"{'alone':>8} {'in dbt':>8} {'temp':>8}  node")
    for x in m["nodes"][:a.top]:
        temp = f"{x['temp']:8.3f}" if "temp" in x else f"{'':8}"
        print(f"{x['alone']:8.3f} {x['dbt']:8.3f} {temp}  {x['node']}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(m, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
