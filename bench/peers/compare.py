"""Engine against Polars peer on one synthetic census size: seconds and ratio.

usage: compare.py --employees N --years Y [--reps R] [--md5 METHOD]
                  [--wfsim PATH] [--no-check]

1. Unless --no-check: check_equal.py on the golden census (default and
   golden alt configuration); stops with status 1 if the peer differs.
2. `wfsim census --employees N --seed 1` (the census bench/scale.sh uses).
3. R times each, alternating: `wfsim events --census C --end 2025+Y-1`
   (wall time of the process) and run_polars.py on the same census and
   years (its own `seconds`, see README.md), each into a fresh folder.
4. Prints one line:
   employees=N years=Y engine_seconds=E polars_seconds=P ratio=P/E events=K md5=M
   with E and P the minimum over the R runs (the machine is shared; the
   minimum is the least disturbed run), and a second line with every run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, required=True)
    ap.add_argument("--years", type=int, required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--md5", default="auto")
    ap.add_argument("--wfsim", default=os.path.join(ROOT, os.environ.get("WFSIM_BUILD", "build"), "wfsim"))
    ap.add_argument("--no-check", action="store_true")
    a = ap.parse_args(argv)
    py = sys.executable
    if not a.no_check:
        r = subprocess.run([py, os.path.join(HERE, "check_equal.py"), "--wfsim", a.wfsim, "--md5", a.md5],
                           capture_output=True, text=True)
        if r.returncode != 0:
            sys.stdout.write(r.stdout + r.stderr)
            print("the Polars peer differs from the engine: not timed")
            return 1
    end = 2025 + a.years - 1
    eng_t, pol_t = [], []
    events, method = None, None
    with tempfile.TemporaryDirectory(prefix="peers-compare-") as tmp:
        census = os.path.join(tmp, "census.csv")
        subprocess.run([a.wfsim, "census", "--employees", str(a.employees), "--seed", "1", "--out", census],
                       check=True, stdout=subprocess.DEVNULL)
        for i in range(a.reps):
            out = os.path.join(tmp, "engine%d" % i)
            t0 = time.perf_counter()
            subprocess.run([a.wfsim, "events", "--census", census, "--out", out, "--end", str(end), "--quiet"],
                           check=True)
            eng_t.append(time.perf_counter() - t0)
            subprocess.run(["rm", "-rf", out], check=True)
            out = os.path.join(tmp, "polars%d" % i)
            r = subprocess.run([py, os.path.join(HERE, "run_polars.py"), "--census", census, "--out", out,
                                "--end", str(end), "--md5", a.md5, "--wfsim", a.wfsim],
                               check=True, capture_output=True, text=True)
            m = re.search(r"polars seconds=([0-9.]+) events=([0-9]+) md5=(\S+)", r.stdout)
            pol_t.append(float(m.group(1)))
            events, method = int(m.group(2)), m.group(3)
            subprocess.run(["rm", "-rf", out], check=True)
    e, p = min(eng_t), min(pol_t)
    print("employees=%d years=%d engine_seconds=%.3f polars_seconds=%.3f ratio=%.2f events=%d md5=%s"
          % (a.employees, a.years, e, p, p / e, events, method))
    print("  runs: engine %s polars %s" % (" ".join("%.3f" % v for v in eng_t),
                                           " ".join("%.3f" % v for v in pol_t)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
