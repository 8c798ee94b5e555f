"""Runs `wfsim run`'s dbt steps in one Python process (issue 19).

SQL mode makes 1 + years + 2 dbt steps (seed, one run per year, the
export, the build); started as separate `dbt` processes, each paid Python's
start-up and dbt's imports again (about 1.2 CPU-s a step here). wfsim
starts this program once instead, inside OUT, with the same environment it
gives dbt, and sends it one request a line on standard input:

    {"args": ["run", "--select", "sql_mode", "--project-dir", ...],
     "log": "OUT/logs/sql_year_2025.log", "run_vars": "{...}"}

For each it points standard output and error at the log (a first line
naming this process, then what the `dbt` command would have printed), sets $WFSIM_DBT_RUN_VARS, runs the step with
dbt's own programmatic entry point (dbtRunner, the same command line as
`dbt ARGS...`) and writes the step's exit status, as `dbt` would have
exited (0 success, 1 a node failed, 2 dbt could not run), as one line on
file descriptor 3. It stops at the end of its input."""
import json
import os
import sys
import traceback


def main() -> int:
    replies = os.fdopen(3, "w", buffering=1)
    from dbt.cli.main import dbtRunner    # imported once, for every step

    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        fd = os.open(req["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        print(f"wfsim: dbt step in process {os.getpid()}", flush=True)
        os.environ["WFSIM_DBT_RUN_VARS"] = req.get("run_vars", "")
        try:
            res = dbtRunner().invoke(req["args"])
            rc = 0 if res.success else (2 if res.exception is not None else 1)
            if res.exception is not None:
                print(f"Error: {res.exception}", flush=True)
        except BaseException:             # noqa: BLE001 - reported, and the step fails
            traceback.print_exc()
            rc = 2
        sys.stdout.flush()
        sys.stderr.flush()
        replies.write(f"{rc}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
