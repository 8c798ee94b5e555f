#!/bin/sh
# `make demo`: the built-in default job. A synthetic census of 5,000
# employees, five years (2025-2029) of docs/model.md's defaults in fast mode, the
# events as Parquet, then dbt's state, metrics and data tests, a summary, and
# the report (report.html, report.xlsx).
# Everything lands in demo-out/ (WFSIM_DEMO_OUT overrides).
set -eu
build=${WFSIM_BUILD:-build}
out=${WFSIM_DEMO_OUT:-demo-out}
"$build/wfsim" run --out "$out" --employees 5000
echo
echo "demo: events in $out/events (Parquet, one folder per simulation_year),"
echo "      dbt's database $out/wfsim.duckdb, timings in $out/run_summary.json"
echo "      the report: $out/report.html (open it in a browser) and $out/report.xlsx"
