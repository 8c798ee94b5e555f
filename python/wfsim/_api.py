"""The wfsim Python API: the engine one call away from a notebook.

Everything here loads the compiled engine (``wfsim._engine``); the package's
``__init__`` imports this module only when one of its names is first used,
so pure-Python subpackages (``wfsim.report``) work without the extension.
"""

from __future__ import annotations

import atexit
import csv as csv_module
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
from typing import Any, Mapping, Optional, Union

from . import _engine
from .errors import UsageError, from_engine

PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["Config", "Ensemble", "Result", "Table", "ensemble", "load_config", "simulate",
           "synthetic_census"]


def _call(fn, *args, **kw):
    """Calls the engine, turning its errors into wfsim's exceptions."""
    try:
        return fn(*args, **kw)
    except _engine.Error as e:
        raise from_engine(e.args) from None


# ---- configuration ----------------------------------------------------------

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _yaml_scalar(v: Any, where: str) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a YAML double-quoted scalar
    raise TypeError(f"configuration {where}: {type(v).__name__} is not a scalar "
                    "(expected a number, string, boolean or None)")


def _yaml_key(k: Any, where: str) -> str:
    if not isinstance(k, str):
        raise TypeError(f"configuration {where}: keys are strings, not {type(k).__name__}")
    return k if _PLAIN_KEY.match(k) else json.dumps(k)


def _yaml_value(v: Any, where: str, indent: str) -> list:
    """Block YAML lines for a value under a key: [" scalar"] on the key's
    line, or the nested mapping's or list's lines (the plan_design section
    nests lists of mappings, docs/config.md)."""
    if isinstance(v, Mapping):
        if not v:
            return [" {}"]
        out = [""]
        for key, value in v.items():
            sub = f"{where}.{key}"
            lines = _yaml_value(value, sub, indent + "  ")
            out.append(f"{indent}{_yaml_key(key, where)}:{lines[0]}")
            out.extend(lines[1:])
        return out
    if isinstance(v, (list, tuple)):
        if not v:
            return [" []"]
        out = [""]
        for i, item in enumerate(v):
            lines = _yaml_value(item, f"{where}[{i}]", indent + "  ")
            if lines[0]:
                out.append(f"{indent}-{lines[0]}")
            else:  # a mapping or list: its lines below the dash
                out.append(f"{indent}-")
            out.extend(lines[1:])
        return out
    return [" " + _yaml_scalar(v, where)]


def _yaml_text(d: Mapping[str, Any]) -> str:
    """A dict shaped like the YAML file (sections of keys; plan_design's
    nested mappings and lists too) as YAML text."""
    lines = []
    for section, body in d.items():
        sec = _yaml_key(section, "top level")
        first, *rest = _yaml_value(body, section, "  ")
        lines.append(f"{sec}:{first}")
        lines.extend(rest)
    return "\n".join(lines) + "\n"


class Config:
    """A checked configuration (docs/model.md 2.2): made by :func:`load_config`.

    ``to_dict()`` gives the effective configuration, every default filled
    in, as the canonical JSON of docs/config.md.
    """

    __slots__ = ("_path", "_name", "_text", "_json", "threads")

    def __init__(self, path: Optional[str], name: Optional[str], text: Optional[str]) -> None:
        self._path, self._name, self._text = path, name, text
        self._json, self.threads = _call(_engine.config_json, path, name, text, [])

    def to_dict(self) -> dict:
        """The effective configuration (canonical JSON, as a dict)."""
        return json.loads(self._json)

    def __repr__(self) -> str:
        src = self._path or self._name or "defaults"
        return f"<wfsim.Config from {src}>"


def load_config(path_or_dict: Union[PathLike, Mapping[str, Any], None] = None) -> Config:
    """Loads and checks a configuration.

    ``path_or_dict`` is the path of a YAML file, a dict shaped like that
    file (``{"simulation": {"start_year": 2026}, ...}``), or None for every
    default of docs/model.md. A bad key or value raises :class:`wfsim.InputError`
    whose ``key`` names it (and, for a file, ``path``, ``line``, ``column``).
    """
    if path_or_dict is None:
        return Config(None, None, None)
    if isinstance(path_or_dict, Config):
        return path_or_dict
    if isinstance(path_or_dict, Mapping):
        return Config(None, "<config dict>", _yaml_text(path_or_dict))
    if isinstance(path_or_dict, (str, os.PathLike)):
        return Config(os.fspath(path_or_dict), None, None)
    raise TypeError("config: expected a path, a dict or None, not "
                    f"{type(path_or_dict).__name__}")


# ---- results -------------------------------------------------------------------


class Table:
    """One table of a run as Arrow: pass it to any Arrow consumer.

    ``pa.table(t)``, ``pl.DataFrame(t)``, ``duckdb.sql("from t")`` and the
    like read it through the Arrow PyCapsule interface (``__arrow_c_stream__``)
    without copying: the arrays point into the run's memory, which they
    keep alive. A table can be read any number of times, from any thread.
    Its columns are those of the Parquet files of ``wfsim events`` (docs/model.md
    5.1 or 5.2, the same types) plus ``simulation_year``.
    """

    __slots__ = ("_result", "_which")

    def __init__(self, result: Any, which: str) -> None:
        self._result, self._which = result, which

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """A PyCapsule ``arrow_array_stream`` of the table, one record batch
        per year (or per 1,048,576 rows of a year). ``requested_schema`` is
        not honoured: the table comes in its own schema."""
        return _call(self._result.stream, self._which)

    def to_pyarrow(self):
        """A ``pyarrow.Table`` (imports pyarrow)."""
        import pyarrow as pa
        return pa.table(self)

    def to_polars(self):
        """A ``polars.DataFrame`` (imports polars)."""
        import polars as pl
        return pl.DataFrame(self)

    def to_pandas(self):
        """A ``pandas.DataFrame``, through pyarrow (decimals as Decimal)."""
        return self.to_pyarrow().to_pandas()

    def __repr__(self) -> str:
        return f"<wfsim.Table {self._which}>"


class Result:
    """What :func:`simulate` returns: the events, the snapshot (when asked
    for), the summary, and the Parquet files on request."""

    __slots__ = ("_r",)

    def __init__(self, engine_result: Any) -> None:
        self._r = engine_result

    @property
    def events(self) -> Table:
        """The events of every year (docs/model.md 5.1, plus simulation_year)."""
        return Table(self._r, "events")

    @property
    def snapshot(self) -> Table:
        """The workforce snapshot of every year (docs/model.md 5.2, plus
        simulation_year); only for ``simulate(..., snapshots=True)``."""
        if not self._r.has_snapshot:
            raise UsageError("this run kept no snapshot: call simulate(..., snapshots=True)")
        return Table(self._r, "snapshot")

    @property
    def rejected_rows(self) -> Table:
        """The census rows skip mode left out (``skip_invalid_rows=True`` or
        ``census.invalid_rows: skip``; else :class:`UsageError`), with the
        columns of OUT/rejected_rows.csv: ``line`` and ``column`` (int64),
        ``reason``, then the census's own columns as read (strings; a
        table census's cells as the text the rules judged). Rows in census
        order; no rows when none was rejected."""
        if self.summary.get("census_invalid_rows") != "skip":
            raise UsageError("this run did not skip invalid rows: call "
                             "simulate(..., skip_invalid_rows=True)")
        return Table(self._r, "rejected")

    @property
    def summary(self) -> dict:
        """generation_summary.json (docs/model.md 5.3) as a dict."""
        return json.loads(self._r.summary_json())

    @property
    def event_count(self) -> int:
        """The number of events over all years."""
        return self._r.event_count

    def write_parquet(self, out: PathLike, *, threads: Optional[int] = None) -> pathlib.Path:
        """Writes the layout of ``wfsim events`` (docs/model.md 5.1: one Parquet
        file per year, the snapshot when kept, generation_summary.json) into
        the folder ``out``, which is replaced whole or not at all. The values
        are those ``wfsim events`` writes for the same inputs."""
        _call(self._r.write_parquet, os.fspath(out), int(threads or 0))
        return pathlib.Path(out)

    def __repr__(self) -> str:
        s = json.loads(self._r.summary_json())
        return (f"<wfsim.Result {s['start_year']}-{s['end_year']}, "
                f"{s['census_employees']} employees, {s['total_events']} events>")


# ---- simulate ---------------------------------------------------------------------


def _census_arg(census: Any) -> Any:
    if isinstance(census, (str, os.PathLike)):
        return os.fspath(census)
    if hasattr(census, "__arrow_c_stream__"):
        return census.__arrow_c_stream__()
    raise TypeError("census: expected a path or a table with __arrow_c_stream__ "
                    f"(pyarrow, Polars, pandas), not {type(census).__name__}")


def _override(key: str, value: Any, kind: type) -> tuple:
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(f"{key}: expected {kind.__name__}, not {type(value).__name__}")
    return (key, json.dumps(value) if kind is str else str(value))


def _created_at_us() -> int:
    """created_at: $SOURCE_DATE_EPOCH when set (as ``wfsim events``), else
    the clock when the run starts (-1)."""
    sde = os.environ.get("SOURCE_DATE_EPOCH", "")
    if sde.isdigit() and int(sde) < 253402300800:
        return int(sde) * 1_000_000
    return -1


def simulate(census: Any, config: Union[Config, PathLike, Mapping[str, Any], None] = None, *,
             start: Optional[int] = None, end: Optional[int] = None,
             seed: Optional[int] = None, scenario: Optional[str] = None,
             plan: Optional[str] = None, threads: Optional[int] = None,
             snapshots: bool = False, tables: Optional[PathLike] = None,
             skip_invalid_rows: bool = False) -> Result:
    """Simulates every year of docs/model.md in memory and returns a :class:`Result`.

    census
        A census CSV path, or any table with ``__arrow_c_stream__`` (a
        pyarrow Table, a Polars or pandas DataFrame) holding the census
        columns of docs/model.md 2.1. The CSV's rules apply to either; errors
        name the row (``line``) and the column.
    config
        A YAML path, a dict shaped like the file, a :class:`Config`, or None
        (every default).
    start, end, seed, scenario, plan
        Override simulation.start_year, end_year, random_seed, scenario_id,
        plan_design_id, as ``wfsim events --start ...`` does.
    threads
        Worker threads (default: the configuration's performance.threads,
        else all cores); the results do not depend on it.
    snapshots
        Also keep the workforce snapshot of every year (``Result.snapshot``).
    tables
        A folder of parameter tables (default: the built-in copies of
        dbt/seeds).
    skip_invalid_rows
        Leave out census rows that break a rule instead of refusing the
        census (``census.invalid_rows: skip``, as ``--skip-invalid-rows``);
        ``Result.summary`` records ``rejected_rows``, ``census_rows_read``
        and ``census_sha256`` (docs/inputs.md).

    The engine runs with the GIL released; calls from several threads at
    once are safe. Bad input raises :class:`wfsim.InputError`; other
    failures :class:`wfsim.FileError`, :class:`wfsim.OutOfMemoryError`,
    :class:`wfsim.ModelError`.
    """
    cfg = load_config(config)
    overrides = []
    for key, value, kind in (("simulation.start_year", start, int),
                             ("simulation.end_year", end, int),
                             ("simulation.random_seed", seed, int),
                             ("simulation.scenario_id", scenario, str),
                             ("simulation.plan_design_id", plan, str)):
        if value is not None:
            overrides.append(_override(key, value, kind))
    if not isinstance(skip_invalid_rows, bool):
        raise TypeError("skip_invalid_rows: expected bool, "
                        f"not {type(skip_invalid_rows).__name__}")
    if skip_invalid_rows:
        overrides.append(("census.invalid_rows", "skip"))
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int)
                                or not 1 <= threads <= 1024):
        raise ValueError("threads: expected an integer from 1 to 1024")
    r = _call(_engine.simulate, _census_arg(census), cfg._path, cfg._name, cfg._text,
              overrides, os.fspath(tables) if tables is not None else None,
              threads=threads or 0, snapshots=bool(snapshots),
              created_at_us=_created_at_us())
    return Result(r)


# ---- ensembles ----------------------------------------------------------------------

#: the marts of an ensemble's database (docs/dbt.md), as Ensemble properties
MARTS = ("fct_replicate_metrics", "fct_metric_distributions", "fct_scenario_differences",
         "fct_threshold_probabilities")


class Ensemble:
    """What :func:`ensemble` returns: the ensemble's folder (``wfsim ensemble``'s
    layout) and its marts as Arrow tables.

    ``os.fspath(e)`` and ``str(e)`` are the folder, so it can be used as a
    path. ``e.mart(name)`` reads any model of ``wfsim.duckdb`` (a
    ``pyarrow.Table``, read through DuckDB); the four ensemble marts are
    properties. ``e.events_glob`` is the glob of every event file, for
    ``read_parquet(..., hive_partitioning=true)``.
    """

    __slots__ = ("out", "first_seed", "seeds", "batch_size", "batches", "skip_invalid_rows")

    def __init__(self, out: PathLike, first_seed: int, seeds: int, *,
                 batch_size: Optional[int] = None, batches: Optional[int] = None,
                 skip_invalid_rows: bool = False) -> None:
        self.out = pathlib.Path(out).resolve()
        self.first_seed, self.seeds = first_seed, seeds
        self.batch_size, self.batches = batch_size, batches
        self.skip_invalid_rows = skip_invalid_rows

    def __fspath__(self) -> str:
        return str(self.out)

    def __str__(self) -> str:
        return str(self.out)

    def __repr__(self) -> str:
        where = f", {self.batches} batch(es) on a cluster" if self.batches else ""
        return f"<wfsim.Ensemble {self.out}: {self.seeds} seed(s) from {self.first_seed}{where}>"

    @property
    def database(self) -> pathlib.Path:
        """``wfsim.duckdb``: the marts (and, for a local run, the state and metric models)."""
        return self.out / "wfsim.duckdb"

    @property
    def events_glob(self) -> str:
        """Every event file: events/scenario_id=S/plan_design_id=P/random_seed=R/simulation_year=Y/."""
        return str(self.out / "events" / "*" / "*" / "*" / "simulation_year=*" / "*.parquet")

    def mart(self, name: str):
        """The model ``name`` of wfsim.duckdb as a ``pyarrow.Table`` (imports
        duckdb and pyarrow), rows in the order of the model's key columns."""
        import duckdb
        if not _PLAIN_KEY.match(name):
            raise ValueError(f"mart: {name!r} is not a model name")
        if not self.database.is_file():
            raise UsageError(f"{self.database}: no database (an events-only ensemble?)")
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            return con.sql(f"select * from main.{name} order by all").to_arrow_table()
        finally:
            con.close()

    @property
    def replicate_metrics(self):
        """fct_replicate_metrics: one row per replicate and year."""
        return self.mart("fct_replicate_metrics")

    @property
    def metric_distributions(self):
        """fct_metric_distributions: per scenario, year and metric, over the seeds."""
        return self.mart("fct_metric_distributions")

    @property
    def scenario_differences(self):
        """fct_scenario_differences: paired differences to the baseline."""
        return self.mart("fct_scenario_differences")

    @property
    def threshold_probabilities(self):
        """fct_threshold_probabilities: P(metric > threshold) per scenario and year."""
        return self.mart("fct_threshold_probabilities")

    @property
    def summary(self) -> dict:
        """run_summary.json (stages and times) as a dict."""
        return json.loads((self.out / "run_summary.json").read_text())

    @property
    def ensemble_summary(self) -> dict:
        """events/ensemble_summary.json (the engine's: scenarios, seeds, census) as a dict."""
        return json.loads((self.out / "events" / "ensemble_summary.json").read_text())

    @property
    def report(self) -> Optional[pathlib.Path]:
        """report.html, when it was written."""
        path = self.out / "report.html"
        return path if path.is_file() else None

    @property
    def rejected_rows(self):
        """census/rejected_rows.csv (skip mode) as a ``pyarrow.Table``: line
        and column (int64), reason and the census's own columns (strings, as
        written), the columns of :attr:`Result.rejected_rows`."""
        if not self.skip_invalid_rows:
            raise UsageError("this ensemble did not skip invalid rows: call "
                             "ensemble(..., skip_invalid_rows=True)")
        return _read_rejects(self.out / "census" / "rejected_rows.csv")


def _read_rejects(path: pathlib.Path):
    """OUT/rejected_rows.csv, every field as written (RFC 4180), line and column as int64."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    with open(path, "rb") as f:
        header = next(csv_module.reader([f.readline().decode("utf-8")]))
    types = {name: pa.string() for name in header}
    types["line"] = types["column"] = pa.int64()
    return pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(
        column_types=types, strings_can_be_null=False, quoted_strings_can_be_null=False))


def _scenario_files(cfgs: list, folder: str) -> list:
    """A YAML file for each configuration: its own path, else its text
    (a dict's YAML) written into folder."""
    files = []
    for i, c in enumerate(cfgs):
        if c._path is not None:
            files.append(os.path.abspath(c._path))
            continue
        path = os.path.join(folder, f"scenario-{i:02d}.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(c._text or "{}\n")
        files.append(path)
    return files


def ensemble(census: Any, scenarios: Any, seeds: int = 1, out: PathLike = "ens", *,
             first_seed: Optional[int] = None, start: Optional[int] = None,
             end: Optional[int] = None, threads: Optional[int] = None,
             tables: Optional[PathLike] = None, skip_invalid_rows: bool = False,
             events_only: bool = False, report: bool = True, client: Any = None,
             batch_size: Optional[int] = None, wfsim: Optional[PathLike] = None) -> Ensemble:
    """Runs every scenario with the same ``seeds`` seeds (common random
    numbers) and builds what ``wfsim ensemble`` builds, into the folder
    ``out``; returns an :class:`Ensemble` (the folder, the marts as Arrow)::

        out/events/scenario_id=S/plan_design_id=P/random_seed=R/simulation_year=Y/*.parquet
        out/events/ensemble_summary.json, out/census/census.parquet
        out/wfsim.duckdb      fct_replicate_metrics, fct_metric_distributions,
                              fct_scenario_differences, fct_threshold_probabilities
        out/ensemble_summary.csv, out/run_summary.json, out/report.html, out/report.xlsx

    The engine runs here, in this process (``wf_ensemble_run``, as the
    command runs it); then the ``wfsim`` command (``wfsim ensemble
    --from-events``) runs the one dbt build, the summary and the report over
    what it wrote, so the folder is the command's for the same inputs.

    census
        As for :func:`simulate` (a path or an Arrow table).
    scenarios
        Configurations (paths, dicts shaped like the YAML file, their
        ``plan_design`` section included, or :class:`Config`); the first is
        the baseline; their scenario_id values must differ. One
        configuration alone may be given without a list.
    seeds, first_seed
        The seeds are first_seed .. first_seed + seeds - 1 (default: the
        baseline's random_seed onward).
    start, end
        Override every scenario's simulation.start_year and end_year.
    skip_invalid_rows
        Leave out census rows that break a rule (``--skip-invalid-rows``);
        they are listed in out/census/rejected_rows.csv and
        :attr:`Ensemble.rejected_rows`.
    events_only
        Write out/events and out/census only (``--events-only``: no dbt
        build, no report; needs no ``wfsim`` command).
    report
        Write report.html and report.xlsx (``report=False``: ``--no-report``).
    tables
        A folder of parameter tables for the engine; only with
        ``events_only`` (the dbt build reads its own seeds).
    client
        A ``distributed.Client``: the replicates run instead as batches of
        ``batch_size`` seeds on that Dask cluster, as ``wfsim ensemble
        --cluster`` does (docs/scaling.md); census and scenarios must then
        be paths every worker sees (dicts are written beside ``out``).
    wfsim
        The ``wfsim`` command (default: $WFSIM_BIN, the source tree's
        build/wfsim, then ``wfsim`` on PATH).

    Bad input raises :class:`wfsim.InputError` before anything is written;
    a failing build raises :class:`wfsim.EnsembleError` (``status`` is the
    command's exit status) with the command's message.
    """
    from .cluster import EnsembleError, ensemble as by_command, find_wfsim
    if isinstance(scenarios, (str, os.PathLike, Mapping, Config)):
        scenarios = [scenarios]
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ValueError("seeds: expected a positive integer")
    if not isinstance(skip_invalid_rows, bool):
        raise TypeError("skip_invalid_rows: expected bool, "
                        f"not {type(skip_invalid_rows).__name__}")
    overrides = [_override(k, v, int) for k, v in (("simulation.start_year", start),
                                                    ("simulation.end_year", end))
                 if v is not None]
    if skip_invalid_rows:
        overrides.append(("census.invalid_rows", "skip"))
    cfgs = [load_config(c) for c in scenarios]
    for c in cfgs:  # every scenario checked, with the overrides, before anything runs
        _call(_engine.config_json, c._path, c._name, c._text, overrides)
    if first_seed is None:
        first_seed = cfgs[0].to_dict()["simulation"]["random_seed"]
    if tables is not None and not events_only:
        raise ValueError("tables: only with events_only=True (the dbt build reads the "
                         "project's own parameter tables)")
    out = pathlib.Path(out).resolve()
    if client is not None:
        if events_only or tables is not None:
            raise ValueError("events_only and tables: not with client")
        if not isinstance(census, (str, os.PathLike)):
            raise TypeError("census: with client, a path every worker sees")
        scratch = out.parent / f".{out.name}.scenarios"
        scratch.mkdir(parents=True, exist_ok=True)
        try:
            done = by_command(census, _scenario_files(cfgs, str(scratch)), seeds=seeds,
                              seed=first_seed, start=start, end=end, out=out, client=client,
                              batch_size=batch_size, threads=threads,
                              skip_invalid_rows=skip_invalid_rows, report=report,
                              wfsim=os.fspath(wfsim) if wfsim else None)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return Ensemble(done["out"], done["first_seed"], seeds, batch_size=done["batch_size"],
                        batches=done["batches"], skip_invalid_rows=skip_invalid_rows)
    command = None if events_only else find_wfsim(os.fspath(wfsim) if wfsim else None)
    fresh = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        _call(_engine.ensemble, _census_arg(census),
              [(c._path, c._name, c._text) for c in cfgs], overrides, int(first_seed), seeds,
              os.fspath(out / "events"), os.fspath(tables) if tables is not None else None,
              threads=int(threads or 0), created_at_us=_created_at_us(),
              census_dir=os.fspath(out / "census"))
    except BaseException:
        if fresh:  # refused (scenarios that do not go together, a bad census): no folder
            shutil.rmtree(out, ignore_errors=True)
        raise
    if not events_only:
        with tempfile.TemporaryDirectory(prefix="wfsim-scenarios-") as folder:
            args = [command, "ensemble", "--census", os.fspath(out / "census" / "census.parquet"),
                    "--seed", str(first_seed), "--seeds", str(seeds), "--out", os.fspath(out),
                    "--from-events", "--quiet"]
            for f in _scenario_files(cfgs, folder):
                args += ["--scenario", f]
            for flag, value in (("--start", start), ("--end", end), ("--threads", threads)):
                if value is not None:
                    args += [flag, str(value)]
            if not report:
                args.append("--no-report")
            proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True)
        if proc.returncode != 0:
            raise EnsembleError(proc.stderr.strip() or "wfsim ensemble failed",
                                proc.returncode)
    return Ensemble(out, int(first_seed), seeds, skip_invalid_rows=skip_invalid_rows)


# ---- synthetic census -------------------------------------------------------------

_temp_dir: Optional[str] = None


def _scratch() -> str:
    """A folder for censuses written without a path, removed at exit."""
    global _temp_dir
    if _temp_dir is None:
        _temp_dir = tempfile.mkdtemp(prefix="wfsim-")
        atexit.register(shutil.rmtree, _temp_dir, True)
    return _temp_dir


def synthetic_census(n: int, seed: int = 1, *, start_year: int = 2025,
                     path: Optional[PathLike] = None) -> pathlib.Path:
    """Writes a deterministic synthetic census of ``n`` employees (as of
    December 31 of ``start_year - 1``) as CSV, like ``wfsim census``, and
    returns its path: ``path``, or a file in a temporary folder removed
    when Python exits."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError("n: expected a positive integer")
    if path is None:
        path = os.path.join(_scratch(), f"census-{n}-{seed}-{start_year}.csv")
    _call(_engine.generate_census, os.fspath(path), n, seed, start_year)
    return pathlib.Path(path)
