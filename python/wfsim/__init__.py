"""wfsim: the workforce event engine, one call away from a notebook.

    import wfsim
    r = wfsim.simulate("census.csv", "sim.yaml", start=2025, end=2029)
    pl.DataFrame(r.events)            # or pa.table(r.events), duckdb.sql("from ...")

See ``help(wfsim.simulate)`` and docs/python.md. ``wfsim.report`` turns a
run or ensemble folder into report.html and report.xlsx (docs/report.md).
The compiled engine is loaded when one of its names is first used, so
pure-Python parts of the package (``wfsim.errors``, ``wfsim.report``, run
from the source tree by ``wfsim report``, and ``wfsim.cluster``, the
Dask driver of ``wfsim ensemble --cluster``) import without it.
``wfsim.ensemble(..., client=dask_client)`` runs on a cluster (docs/scaling.md).
"""

from __future__ import annotations

from .cluster import EnsembleError
from .errors import (FileError, InputError, ModelError, OutOfMemoryError, UsageError,
                     WfsimError)

__version__ = "0.1.0"

_API = ("Config", "Ensemble", "Result", "Table", "ensemble", "load_config", "simulate",
        "synthetic_census")

__all__ = ["WfsimError", "InputError", "FileError", "OutOfMemoryError", "ModelError",
           "UsageError", "EnsembleError", *_API]


def __getattr__(name: str):
    # PEP 562: the engine is imported on first use of one of its names.
    if name in _API:
        from . import _api
        value = getattr(_api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'wfsim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_API))
