"""Where DuckDB spends the time of a finished dbt build's slowest models
(issue 19): each model's compiled SQL (OUT/dbt_target/compiled) is run
again as CREATE TEMP TABLE ... AS in a copy of OUT/wfsim.duckdb with
DuckDB's JSON profiling, and its heaviest operators are printed (operator
time summed over threads, rows out, what it works on).

    .venv/bin/python bench/dbt_explain.py OUT [N]      # N slowest models, default 5

Not a test: the times depend on the machine and its load; compare the
operators of one model with each other."""
import json
import os
import shutil
import sys
import tempfile
import time

import duckdb


def operators(node, depth, out):
    info = node.get("extra_info") or {}
    what = (info.get("Projections") or info.get("Conditions") or info.get("Table")
            or info.get("Groups") or info.get("Aggregates") or "")
    out.append((node.get("timing", 0.0), node.get("type"), node.get("intermediate_rows"),
                str(what)[:100]))
    for child in node.get("children", []):
        operators(child, depth + 1, out)


def main(out_dir: str, n: int) -> int:
    results = json.load(open(os.path.join(out_dir, "dbt_target", "run_results.json")))["results"]
    manifest = json.load(open(os.path.join(out_dir, "dbt_target", "manifest.json")))
    models = sorted((r for r in results if r["unique_id"].startswith("model.")),
                    key=lambda r: -r["execution_time"])[:n]
    work = tempfile.mkdtemp(prefix="wfsim-explain-")
    try:
        shutil.copy(os.path.join(out_dir, "wfsim.duckdb"), os.path.join(work, "wfsim.duckdb"))
        con = duckdb.connect(os.path.join(work, "wfsim.duckdb"))   # catalog "wfsim", as dbt's
        for r in models:
            name = r["unique_id"].split(".")[-1]
            node = manifest["nodes"][r["unique_id"]]
            path = os.path.join(out_dir, "dbt_target", "compiled", node["package_name"],
                                node["original_file_path"])
            if not os.path.exists(path):
                continue
            sql = open(path).read()
            prof = os.path.join(work, name + ".json")
            con.execute("PRAGMA enable_profiling = 'json'")
            con.execute(f"PRAGMA profiling_output = '{prof}'")
            t = time.perf_counter()
            con.execute(f"CREATE OR REPLACE TEMP TABLE wf_explain AS {sql}")
            wall = time.perf_counter() - t
            con.execute("PRAGMA disable_profiling")
            ops = []
            for top in json.load(open(prof)).get("operator", []):
                operators(top, 0, ops)
            print(f"{name}: dbt {r['execution_time']:.3f} s, again {wall:.3f} s wall")
            for secs, kind, rows, what in sorted(ops, key=lambda o: -o[0])[:6]:
                print(f"  {secs:7.3f} s  {kind:<18} {rows!s:>10} rows  {what}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) > 1 else 64)
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5))
