#!/bin/sh
# Engine time and peak memory for a census size and a number of years.
# usage: bench/scale.sh EMPLOYEES YEARS [THREADS]   (prints one line)
# Not a test: figures depend on the machine. Uses GNU time for peak RSS.
set -eu
n=$1 years=$2 threads=${3:-0}
build=${WFSIM_BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/wfsim" census --employees "$n" --seed 1 --out "$tmp/census.csv"
end=$((2025 + years - 1))
targs=""
[ "$threads" -gt 0 ] && targs="--threads $threads"
/usr/bin/time -f "%e %M" -o "$tmp/time" "$build/wfsim" events --census "$tmp/census.csv" \
    --out "$tmp/out" --start 2025 --end "$end" --quiet $targs
read -r secs kb < "$tmp/time"
events=$(sed -n 's/.*"total_events": \([0-9]*\).*/\1/p' "$tmp/out/generation_summary.json")
echo "employees=$n years=$years threads=${threads:-all} seconds=$secs peak_rss_mb=$((kb / 1024)) events=$events"
