#!/bin/sh
# `make bench`: the performance figures of issue 6 into bench/RESULTS.md,
# then `wfsim events` against Polars, pyarrow and DuckDB writing the same
# events from memory (bench/bench_writers.py, issue 19), then the Python package against the command and the Polars peer
# (bench/bench_python.py, issue 16) into bench/python_results.json and its
# section of bench/RESULTS.md, then the ensemble's (issue 14) into
# bench/ENSEMBLE.md, then one process against two Dask workers
# (bench/bench_cluster.py, issue 17) into bench/cluster_results.json and
# its section of bench/RESULTS.md (with the projection docs/scaling.md uses),
# then where `wfsim run`'s dbt build spends its time (issue 19) into bench/DBT.md.
# Not a test: the figures depend on the machine and on what else runs on it.
# usage: bench/run.sh [--quick]   (build dir: $WFSIM_BUILD, else $BUILD, else build)
# --quick: fewer repetitions and no 1,000,000-employee runs (a smoke run).
set -eu
cd "$(dirname "$0")/.."
.venv/bin/python bench/bench.py "$@"
if [ "${1:-}" = "--quick" ]; then
    .venv/bin/python bench/bench_writers.py --employees 20000 --years 5 --rounds 1
else
    .venv/bin/python bench/bench_writers.py
fi
if [ "${1:-}" = "--quick" ]; then
    .venv/bin/python bench/bench_python.py --employees 20000 --years 5 --rounds 1
else
    .venv/bin/python bench/bench_python.py
fi
.venv/bin/python bench/bench_ensemble.py "$@"
.venv/bin/python bench/bench_cluster.py "$@"
exec .venv/bin/python bench/bench_dbt.py "$@"
