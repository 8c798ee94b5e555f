"""Run the Polars peer of the wfsim model and time it (bench/peers/README.md).

usage: run_polars.py --census F [--config F] --out DIR [--md5 METHOD]
                     [--snapshots] [--wfsim PATH] [--seeds DIR]

Prints one line: `polars seconds=S events=N md5=METHOD`, S being the wall
time of loading the census and tables, the simulation and the Parquet
write, from after the imports (Python start-up and `import polars` are not
counted; reading the configuration through `wfsim config` is not counted
either, it is the engine's loader, not part of the model). The C helper of
the `c-bulk` method is compiled (once, cached) before the clock starts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import md5_bulk  # noqa: E402
import wfsim_polars as wp  # noqa: E402


def default_wfsim() -> str:
    build = os.environ.get("WFSIM_BUILD", "build")
    return os.path.join(ROOT, build, "wfsim")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--census", required=True)
    ap.add_argument("--config")
    ap.add_argument("--out", required=True)
    ap.add_argument("--md5", default="c-bulk", choices=md5_bulk.METHODS)
    ap.add_argument("--snapshots", action="store_true")
    ap.add_argument("--wfsim", default=None, help="engine binary for `wfsim config` (default $WFSIM_BUILD/wfsim)")
    ap.add_argument("--seeds", default=os.path.join(ROOT, "dbt", "seeds"))
    a = ap.parse_args(argv)
    wfsim = a.wfsim or default_wfsim()
    cfg = wp.load_config(wfsim, a.config)
    hasher = md5_bulk.make_hasher(a.md5)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    t0 = time.perf_counter()
    tables = wp.load_tables(a.seeds)
    census = wp.load_census(a.census, cfg, tables)
    results = wp.simulate(wp.Inputs(cfg, tables, census), hasher)
    n = wp.write_events(results, a.out)
    if a.snapshots:
        wp.write_snapshots(results, a.out)
    secs = time.perf_counter() - t0
    print("polars seconds=%.3f events=%d md5=%s" % (secs, n, hasher.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
