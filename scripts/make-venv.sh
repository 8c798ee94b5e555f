#!/bin/sh
# Creates .venv from the pinned requirements.txt (dbt, DuckDB, pyarrow,
# Polars, pandas, pytest, scikit-build-core) and installs the wfsim Python
# package (docs/python.md) into it. Re-run by make whenever requirements.txt
# changes; `make check` reinstalls the package when its sources change.
set -eu
py=${PYTHON3:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "wfsim: creating .venv" >&2
    if ! "$py" -m venv .venv 2>/dev/null; then
        # Debian's system python needs python3-venv for this.
        rm -rf .venv
        if [ "$(id -u)" -eq 0 ]; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        fi
        "$py" -m venv .venv
    fi
fi
echo "wfsim: installing pinned Python packages into .venv" >&2
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
echo "wfsim: building and installing the wfsim Python package into .venv" >&2
.venv/bin/python -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps .
touch .venv/.installed
