"""Run the Polars peer of the wfsim model and time it (bench/peers/README.md).

usage: run_polars.py --census F [--config F] --out DIR [--md5 METHOD]
                     [--start Y] [--end Y] [--seed S] [--scenario ID] [--plan ID]
                     [--snapshots] [--wfsim PATH] [--seeds DIR]

--start .. --plan override the configuration exactly as `wfsim events`
does (they are handed to `wfsim config`).

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
    ap.add_argument("--md5", default="auto", choices=md5_bulk.METHODS)
    for o in ("start", "end", "seed", "scenario", "plan"):
        ap.add_argument("--" + o)
    ap.add_argument("--snapshots", action="store_true")
    ap.add_argument("--profile", action="store_true", help="also print stage timings (wall/cpu) on stderr")
    ap.add_argument("--wfsim", default=None, help="engine binary for `wfsim config` (default $WFSIM_BUILD/wfsim)")
    ap.add_argument("--seeds", default=os.path.join(ROOT, "dbt", "seeds"))
    a = ap.parse_args(argv)
    wfsim = a.wfsim or default_wfsim()
    overrides = []
    for o in ("start", "end", "seed", "scenario", "plan"):
        if getattr(a, o) is not None:
            overrides += ["--" + o, getattr(a, o)]
    cfg = wp.load_config(wfsim, a.config, overrides)
    hasher = md5_bulk.make_hasher(a.md5)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    t0 = time.perf_counter()
    tables = wp.load_tables(a.seeds)
    census = wp.load_census(a.census, cfg, tables)
    t1 = time.perf_counter()
    prof = {}
    results = wp.simulate(wp.Inputs(cfg, tables, census), hasher, prof)
    t2 = time.perf_counter()
    n = wp.write_events(results, a.out)
    t3 = time.perf_counter()
    if a.snapshots:
        wp.write_snapshots(results, a.out)
    secs = time.perf_counter() - t0
    print("polars seconds=%.3f events=%d md5=%s" % (secs, n, hasher.name))
    if a.profile:
        parts = ["inputs=%.3f" % (t1 - t0), "simulate=%.3f" % (t2 - t1), "write=%.3f" % (t3 - t2)]
        parts += ["%s=%.3f/%.3f" % (k, v[0], v[1]) for k, v in prof.items()]
        print("profile (s, wall/cpu for stages) " + " ".join(parts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
