"""python -m wfsim.report DIR: the report of a run or ensemble folder.

Exit status as wfsim's: 0 written, 2 the folder is not a finished run or
ensemble folder, 3 a file could not be written, 64 bad command line.
`wfsim report` runs this with PYTHONPATH set to the tree's python/ folder.
"""
import argparse
import json
import sys

from .source import ReportInputError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m wfsim.report",
        description="Writes DIR/report.html (self-contained, charts and tables) and "
                    "DIR/report.xlsx from DIR/wfsim.duckdb.")
    ap.add_argument("dir", help="a `wfsim run` or `wfsim ensemble` folder")
    ap.add_argument("--defaults-json", metavar="JSON",
                    help="the model's default configuration as canonical JSON; a single "
                         "run's parameters are compared with it")
    ap.add_argument("--version-string", metavar="TEXT", help="the wfsim version to show")
    ap.add_argument("--quiet", action="store_true", help="print nothing but errors")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 64
    defaults = None
    if args.defaults_json:
        try:
            defaults = json.loads(args.defaults_json)
        except ValueError as e:
            print(f"wfsim report: --defaults-json: {e}", file=sys.stderr)
            return 64
    from .build import build  # matplotlib is imported only now
    try:
        paths = build(args.dir, defaults, args.version_string)
    except ReportInputError as e:
        print(f"wfsim report: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"wfsim report: {e.filename or args.dir}: {e.strerror or e}", file=sys.stderr)
        return 3
    if not args.quiet:
        for p in paths:
            print(f"wfsim report: wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
