"""One section of bench/RESULTS.md, written by a benchmark of its own.

bench/bench.py writes RESULTS.md whole (issue 6's figures); the benchmarks
that run after it in `make bench` (bench_python.py, bench_cluster.py) each
put their section at its end, between two markers, replacing the section
an earlier run of the same benchmark left. $WFSIM_BENCH_RESULTS names
another file (a smoke run that must not touch the committed figures).
"""
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def results_path():
    return os.environ.get("WFSIM_BENCH_RESULTS") or os.path.join(ROOT, "bench", "RESULTS.md")


def put_section(name, markdown):
    """Replaces (or appends) the section `name` of RESULTS.md; returns the path."""
    path = results_path()
    text = open(path).read() if os.path.exists(path) else "# wfsim benchmark results\n"
    begin, end = f"<!-- section {name} -->", f"<!-- end of section {name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)
    return path


def seconds(x):
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"
