"""The Python package (issue 16, docs/python.md): `import wfsim`, results as
Arrow through the PyCapsule interface.

The package is the one installed into .venv (`make check` reinstalls it
when a source changes). Every comparison is against `wfsim events`, the
command whose output the parity gate and the golden examples hold.
"""
import os
import pathlib
import subprocess
import sys
import threading

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import polars as pl
import pytest

import wfsim
from engine_util import EVENT_TYPES, SNAPSHOT_TYPES, events_sql, run_wfsim, snapshot_sql

SDE = "1700000000"


@pytest.fixture(autouse=True)
def _fixed_created_at(monkeypatch):
    # created_at as `wfsim events` gets it in run_wfsim
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SDE)


@pytest.fixture(scope="module")
def cli(request):
    """The wfsim command (conftest's `wfsim` fixture, renamed: here
    `wfsim` is the package)."""
    return request.getfixturevalue("wfsim")


@pytest.fixture(scope="module")
def census(tmp_path_factory, cli):
    path = tmp_path_factory.mktemp("census") / "census.csv"
    run_wfsim(cli, "census", "--employees", 3000, "--seed", 5, "--out", path)
    return path


@pytest.fixture(scope="module")
def alt_config(vectors):
    return vectors / "golden/alt_config.yaml"


@pytest.fixture(scope="module")
def cli_out(tmp_path_factory, cli, census, alt_config):
    out = tmp_path_factory.mktemp("cli") / "events"
    run_wfsim(cli, "events", "--quiet", "--census", census, "--config", alt_config,
              "--start", 2025, "--end", 2029, "--seed", 99, "--snapshots",
              "--out", out, env={"SOURCE_DATE_EPOCH": SDE})
    return out


def api_run(census, alt_config, **kw):
    args = dict(start=2025, end=2029, seed=99, snapshots=True)
    args.update(kw)
    return wfsim.simulate(census, alt_config, **args)


def differences(con, a, b):
    """Rows of a not in b plus rows of b not in a (duplicates count)."""
    return con.execute(f"select count(*) from ((from {a} except all from {b}) "
                   f"union all (from {b} except all from {a}))").fetchall()[0][0]


def test_package_is_the_installed_build():
    # not the tree's python/wfsim (which has no compiled engine)
    assert "site-packages" in wfsim.__file__
    from wfsim import _engine
    assert _engine.version == "0.1.0"


def test_events_and_snapshot_equal_wfsim_events(census, alt_config, cli_out):
    r = api_run(census, alt_config)
    con = duckdb.connect()
    con.register("api_events", pa.table(r.events))
    con.register("api_snapshot", pa.table(r.snapshot))
    con.execute(f"create view cli_events as select * from {events_sql(cli_out)}")
    con.execute(f"create view cli_snapshot as select * from {snapshot_sql(cli_out)}")
    n = con.execute("select count(*) from cli_events").fetchall()[0][0]
    assert n > 10000 and n == r.event_count
    assert con.execute("select count(*) from api_events").fetchall()[0][0] == n
    assert differences(con, "api_events", "cli_events") == 0
    assert differences(con, "api_snapshot", "cli_snapshot") == 0
    # the column types of the Parquet files, column for column
    for view, types in (("api_events", EVENT_TYPES), ("api_snapshot", SNAPSHOT_TYPES)):
        got = {row[0]: row[1] for row in con.execute(f"describe {view}").fetchall()}
        assert got == {**types, "simulation_year": "INTEGER"}, view


def test_write_parquet_gives_the_files_of_wfsim_events(tmp_path, census, alt_config, cli_out):
    r = api_run(census, alt_config)
    out = r.write_parquet(tmp_path / "api")
    # the command also writes census.parquet (the census as read, issue 13);
    # write_parquet writes the run's events and snapshots (docs/python.md)
    files = sorted(p.relative_to(cli_out) for p in cli_out.rglob("*.parquet")
                   if p.name != "census.parquet")
    assert len(files) == 10  # 5 years of events and of snapshots
    assert sorted(p.relative_to(out) for p in out.rglob("*.parquet")) == files
    for f in files:
        assert (out / f).read_bytes() == (cli_out / f).read_bytes(), f
    summary = __import__("json").loads((out / "generation_summary.json").read_text())
    assert summary["per_year"] == r.summary["per_year"]
    assert summary["total_events"] == r.event_count


def test_consumers_read_the_same_values_any_number_of_times(census, alt_config):
    r = api_run(census, alt_config, snapshots=False)
    ev = r.events
    t1, t2 = pa.table(ev), pa.table(ev)
    assert t1.equals(t2)
    df = pl.DataFrame(ev)
    assert df.height == t1.num_rows
    assert df["compensation_amount"].dtype == pl.Decimal(18, 2)
    assert df["event_date"].dtype == pl.Date
    con = duckdb.connect()  # its own: DuckDB finds `ev` and `t1` by their Python names
    total = con.execute("select sum(compensation_amount) from ev").fetchall()[0][0]
    assert total == con.execute("select sum(compensation_amount) from t1").fetchall()[0][0]
    assert total == df["compensation_amount"].sum()
    pdf = ev.to_pandas()
    assert len(pdf) == t1.num_rows
    assert sum(pdf["compensation_amount"]) == total
    import pandas as pd
    assert len(pd.DataFrame.from_arrow(ev)) == t1.num_rows  # pandas' own Arrow import
    # the tables outlive the result object that made them
    del r, ev
    assert pa.table(df.to_arrow()).num_rows == t1.num_rows
    assert t1.column("event_id").null_count == 0


def test_arrays_are_not_copied_on_export(census, alt_config):
    r = api_run(census, alt_config, snapshots=False)
    a, b = pa.table(r.events), pa.table(r.events)
    # two exports point at the same engine buffers
    col_a = a.column("employee_id").chunks[0].buffers()
    col_b = b.column("employee_id").chunks[0].buffers()
    assert [x.address for x in col_a if x] == [x.address for x in col_b if x]


def test_census_as_polars_pyarrow_pandas_and_csv_give_the_same_events(census, alt_config):
    base = pa.table(api_run(census, alt_config, snapshots=False).events)
    typed = pacsv.read_csv(census, convert_options=pacsv.ConvertOptions(column_types={
        "employee_id": pa.string(), "birth_date": pa.date32(), "hire_date": pa.date32(),
        "salary": pa.decimal128(18, 2), "deferral_rate": pa.decimal128(9, 4),
        "level_id": pa.int32(), "auto_escalation_opt_out": pa.bool_()}))
    as_text = pacsv.read_csv(census, convert_options=pacsv.ConvertOptions(
        column_types={n: pa.string() for n in typed.column_names}))
    polars_df = pl.read_csv(census, try_parse_dates=True)      # dates, floats, bools
    pandas_df = polars_df.to_pandas()                           # datetime64, float64
    dict_ids = typed.set_column(0, "employee_id",
                                typed.column("employee_id").dictionary_encode())
    for name, table in (("pyarrow typed", typed), ("pyarrow strings", as_text),
                        ("pyarrow large strings", as_text.cast(pa.schema(
                            [(f.name, pa.large_string()) for f in as_text.schema]))),
                        ("dictionary ids", dict_ids), ("polars", polars_df),
                        ("pandas", pandas_df)):
        got = pa.table(api_run(table, alt_config, snapshots=False).events)
        assert got.num_rows == base.num_rows, name
        assert got.drop_columns(["created_at"]).equals(base.drop_columns(["created_at"])), name


def test_long_strings_from_polars_views(tmp_path, census, alt_config):
    # Polars hands strings over as string views: ids of more than 12 bytes
    # live outside the view, in the data buffers
    df = pl.read_csv(census).with_columns(
        pl.concat_str(pl.lit("EMPLOYEE_NUMBER_"), pl.col("employee_id")).alias("employee_id"))
    csv = tmp_path / "long.csv"
    df.write_csv(csv)
    assert pa.RecordBatchReader.from_stream(df).schema.field("employee_id").type == \
        pa.string_view()
    a = pa.table(api_run(df, alt_config, snapshots=False).events)
    b = pa.table(api_run(csv, alt_config, snapshots=False).events)
    assert a.num_rows > 0 and a.equals(b)
    assert a.column("employee_id")[0].as_py().startswith("EMPLOYEE_NUMBER_")


def test_bad_census_row_names_row_and_column(census, alt_config):
    t = pacsv.read_csv(census)
    dates = t.column("birth_date").to_pylist()
    dates[2] = dates[2].replace(day=1).replace(year=2020)  # far too young
    bad = t.set_column(t.column_names.index("birth_date"), "birth_date",
                       pa.array(dates, pa.date32()))
    with pytest.raises(wfsim.InputError) as e:
        wfsim.simulate(bad, alt_config)
    assert isinstance(e.value, ValueError)
    assert (e.value.path, e.value.line, e.value.column) == ("census", 3, 2)
    assert e.value.message.startswith("birth_date:")
    salaries = pl.read_csv(census).with_columns(
        pl.when(pl.int_range(pl.len()) == 9).then(-5.0).otherwise(pl.col("salary"))
        .alias("salary"))
    with pytest.raises(wfsim.InputError) as e:
        wfsim.simulate(salaries, alt_config)
    assert (e.value.line, e.value.column) == (10, 4)
    assert "salary" in e.value.message
    missing = pl.read_csv(census).drop("hire_date")
    with pytest.raises(wfsim.InputError, match="missing required column 'hire_date'"):
        wfsim.simulate(missing, alt_config)
    with pytest.raises(wfsim.InputError, match="is not one a census cell can hold") as e:
        wfsim.simulate(pa.table({"employee_id": pa.array([[1]])}), alt_config)
    assert e.value.column == 1


def test_census_stream_of_batches_counts_rows_over_the_stream(census, alt_config):
    t = pacsv.read_csv(census)
    ids = t.column("employee_id").to_pylist()
    ids[2499] = "NH_reserved"
    bad = t.set_column(0, "employee_id", pa.array(ids))
    batches = bad.to_batches(max_chunksize=1000)
    assert len(batches) == 3

    def produce():  # a Python generator: the producer needs the GIL back
        yield from batches

    reader = pa.RecordBatchReader.from_batches(bad.schema, produce())
    with pytest.raises(wfsim.InputError) as e:
        wfsim.simulate(reader, alt_config)
    assert (e.value.line, e.value.column) == (2500, 1)
    assert "NH_" in e.value.message
    good = pa.RecordBatchReader.from_batches(t.schema, iter(t.to_batches(max_chunksize=700)))
    assert wfsim.simulate(good, alt_config).event_count == \
        wfsim.simulate(census, alt_config).event_count


def test_bad_census_csv_names_file_line_and_column(tmp_path, census):
    lines = census.read_text().splitlines()
    lines[4] = lines[4].replace("-", "/", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(wfsim.InputError) as e:
        wfsim.simulate(bad)
    assert (e.value.path, e.value.line, e.value.column) == (str(bad), 5, 12)
    with pytest.raises(wfsim.FileError) as e:
        wfsim.simulate(tmp_path / "absent.csv")
    assert isinstance(e.value, OSError) and e.value.status == 3


def test_other_failures_have_their_classes(tmp_path, census):
    df = pl.read_csv(census).with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("90071992547409.91"))
        .otherwise(pl.col("salary").cast(pl.String)).alias("salary"))
    with pytest.raises(wfsim.ModelError, match="top income segment") as e:
        wfsim.simulate(df, end=2025)
    assert isinstance(e.value, RuntimeError) and e.value.status == 5
    r = wfsim.simulate(census, end=2025)
    with pytest.raises(wfsim.FileError) as e:
        r.write_parquet(tmp_path / "absent" / "out")
    assert e.value.path == str(tmp_path / "absent" / "out")
    with pytest.raises(TypeError):
        wfsim.simulate(42)
    with pytest.raises(ValueError):
        wfsim.simulate(census, threads=0)


def test_bad_config_key_raises_with_the_key(tmp_path, census):
    with pytest.raises(wfsim.InputError) as e:
        wfsim.simulate(census, {"workforce": {"termination_rte": 0.1}})
    assert e.value.key == "workforce.termination_rte"
    with pytest.raises(wfsim.InputError) as e:
        wfsim.load_config({"simulation": {"start_year": 2030, "end_year": 2026}})
    assert e.value.key and e.value.key.startswith("simulation.")
    path = tmp_path / "bad.yaml"
    path.write_text("simulation:\n  start_year: 2025\nworkforce:\n  termination_rate: 2\n")
    with pytest.raises(wfsim.InputError) as e:
        wfsim.load_config(path)
    assert (e.value.path, e.value.line, e.value.key) == (str(path), 4,
                                                        "workforce.termination_rate")
    with pytest.raises(wfsim.InputError) as e:
        wfsim.simulate(census, scenario="bad id with spaces")
    assert e.value.key == "simulation.scenario_id"


def test_config_dict_equals_the_yaml_file(alt_config):
    import yaml
    as_dict = yaml.safe_load(alt_config.read_text())
    assert wfsim.load_config(as_dict).to_dict() == wfsim.load_config(alt_config).to_dict()
    assert wfsim.load_config(None).to_dict()["simulation"]["start_year"] == 2025


def test_snapshot_only_when_asked(census):
    r = wfsim.simulate(census, end=2025)
    with pytest.raises(wfsim.UsageError):
        r.snapshot


def test_two_threads_give_the_results_of_each_alone(census, alt_config):
    alone = {s: pa.table(api_run(census, alt_config, seed=s, threads=2).events)
             for s in (11, 12)}
    got = {}

    def run(s):
        got[s] = pa.table(api_run(census, alt_config, seed=s, threads=2).events)

    threads = [threading.Thread(target=run, args=(s,)) for s in (11, 12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in (11, 12):
        assert got[s].equals(alone[s])
    assert not alone[11].equals(alone[12])


def test_one_result_read_from_several_threads(census, alt_config):
    r = api_run(census, alt_config, snapshots=True)
    want_ev, want_snap = pa.table(r.events), pa.table(r.snapshot)
    bad = []

    def read():
        for _ in range(10):
            if not (pa.table(r.events).equals(want_ev) and
                    pl.DataFrame(r.snapshot).to_arrow().num_rows == want_snap.num_rows):
                bad.append(1)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not bad


def test_engine_runs_without_the_gil(census, alt_config):
    # Python keeps running in this thread while another thread is inside
    # the engine: the rate of a counting loop stays near its rate alone
    # (held, the GIL would stop it for all but the Python between the calls;
    # 0.2-0.3 of the rate alone was seen on the loaded 2-core machine).
    import time

    def rate(seconds, until=None):
        n, t0 = 0, time.perf_counter()
        while (until.is_alive() if until else time.perf_counter() - t0 < seconds):
            n += 1
        return n / (time.perf_counter() - t0)

    alone = rate(0.2)
    worker = threading.Thread(target=lambda: [api_run(census, alt_config, threads=1)
                                              for _ in range(4)])
    worker.start()
    during = rate(None, worker)
    worker.join()
    print(f"counting rate alone {alone:.0f}/s, beside the engine {during:.0f}/s")
    assert during > 0.05 * alone


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_200_calls_do_not_grow_rss(tmp_path, cli):
    small = tmp_path / "small.csv"
    run_wfsim(cli, "census", "--employees", 300, "--out", small)
    tbl = pacsv.read_csv(small)

    def once(i):
        r = wfsim.simulate(small if i % 2 else tbl, end=2026, seed=i % 7, snapshots=True)
        assert pa.table(r.events).num_rows > 0 and pa.table(r.snapshot).num_rows > 0
        r.summary

    for i in range(30):  # warm up: allocator pools, imports
        once(i)
    before = rss_bytes()
    for i in range(200):
        once(i)
    grown = rss_bytes() - before
    print(f"RSS grew {grown / 1e6:.1f} MB over 200 calls")
    assert grown < 16e6


def test_ensemble_replicates_equal_their_simulate(tmp_path, census, alt_config):
    base = {"simulation": {"scenario_id": "base"}}
    ens = wfsim.ensemble(census, [base, alt_config], seeds=2, out=tmp_path / "ens",
                         first_seed=7, start=2025, end=2026, threads=2, events_only=True)
    assert isinstance(ens, wfsim.Ensemble) and ens.out == tmp_path / "ens"
    out = ens.out / "events"
    reps = sorted(p.relative_to(out).as_posix()
                  for p in out.glob("scenario_id=*/plan_design_id=*/random_seed=*"))
    assert reps == ["scenario_id=base/plan_design_id=default/random_seed=7",
                    "scenario_id=base/plan_design_id=default/random_seed=8",
                    "scenario_id=golden-alt/plan_design_id=plan.A/random_seed=7",
                    "scenario_id=golden-alt/plan_design_id=plan.A/random_seed=8"]
    assert (out / "ensemble_summary.json").exists()
    assert (ens.out / "census" / "census.parquet").exists()
    con = duckdb.connect()
    for rep, cfg in (("scenario_id=golden-alt/plan_design_id=plan.A/random_seed=8", alt_config),
                     ("scenario_id=base/plan_design_id=default/random_seed=7", base)):
        seed = int(rep.rsplit("=", 1)[1])
        api = pa.table(wfsim.simulate(census, cfg, seed=seed, start=2025, end=2026).events)
        con.register("api", api.drop_columns(["simulation_year"]))
        # the folders' key=value names repeat file columns: no hive columns
        con.execute(f"create or replace view files as select * from read_parquet("
                    f"'{out / rep}/simulation_year=*/*.parquet', hive_partitioning=false)")
        n = con.execute("select count(*) from files").fetchall()[0][0]
        assert n > 1000 and differences(con, "api", "files") == 0, rep
    with pytest.raises(wfsim.InputError):  # the same scenario_id twice
        wfsim.ensemble(census, [base, base], out=tmp_path / "dup", events_only=True)
    assert not (tmp_path / "dup").exists()


def test_import_without_the_engine(root):
    # the tree's python/ folder (no compiled engine), as `python -m
    # wfsim.report` runs: the package and its errors import, the engine
    # is only loaded on use
    code = ("import sys, wfsim; assert 'wfsim._engine' not in sys.modules; "
            "assert issubclass(wfsim.InputError, ValueError); "
            "print(wfsim.__file__)")
    env = dict(os.environ, PYTHONPATH=str(root / "python"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True, cwd=root)
    assert str(root / "python") in out.stdout


def test_help_reads_well():
    doc = wfsim.simulate.__doc__
    for word in ("census", "config", "snapshots", "threads", "InputError", "GIL"):
        assert word in doc
    assert "__arrow_c_stream__" in wfsim.Table.__doc__


def test_synthetic_census_is_the_cli_census(tmp_path, cli):
    made = tmp_path / "cli.csv"
    run_wfsim(cli, "census", "--employees", 50, "--seed", 3, "--out", made)
    api = wfsim.synthetic_census(50, 3, path=tmp_path / "api.csv")
    assert api.read_bytes() == made.read_bytes()
    temp = wfsim.synthetic_census(20, 3)
    assert temp.exists() and temp.read_text().count("\n") == 21


def test_skip_invalid_rows_on_a_table(census, alt_config):
    # census intake (issue 13) with a table: a too-young birth date on row 3
    # and row 7 repeating row 5's id; every row of the id is rejected
    t = pacsv.read_csv(census, convert_options=pacsv.ConvertOptions(column_types={
        "birth_date": pa.date32(), "hire_date": pa.date32()}))
    births = t.column("birth_date").to_pylist()
    births[2] = births[2].replace(year=2020)
    ids = t.column("employee_id").to_pylist()
    ids[6] = ids[4]
    bad = t.set_column(t.column_names.index("birth_date"), "birth_date",
                       pa.array(births, pa.date32()))
    bad = bad.set_column(0, "employee_id", pa.array(ids, pa.string()))
    with pytest.raises(wfsim.InputError) as e:
        wfsim.simulate(bad, alt_config)
    assert (e.value.path, e.value.line, e.value.column) == ("census", 3, 2)
    skipped = api_run(bad, alt_config, snapshots=False, skip_invalid_rows=True)
    keep = [i for i in range(t.num_rows) if i not in (2, 4, 6)]
    clean = api_run(t.take(keep), alt_config, snapshots=False)
    s, c = skipped.summary, clean.summary
    assert (s["census_invalid_rows"], s["rejected_rows"], s["census_rows_read"]) == \
        ("skip", 3, t.num_rows)
    assert (c["census_invalid_rows"], c["rejected_rows"], c["census_rows_read"]) == \
        ("strict", 0, t.num_rows - 3)
    assert s["census_employees"] == c["census_employees"] == t.num_rows - 3
    assert s["census_sha256"] == c["census_sha256"]
    assert len(s["census_sha256"]) == 64
    a, b = pa.table(skipped.events), pa.table(clean.events)
    assert a.num_rows > 0
    assert a.drop_columns(["created_at"]).equals(b.drop_columns(["created_at"]))
    with pytest.raises(TypeError, match="skip_invalid_rows"):
        wfsim.simulate(bad, alt_config, skip_invalid_rows="yes")


def test_typed_dates_follow_census_date_format(census):
    # a typed date column is written in census.date_format before the row
    # checks read it; text dates must be in that format
    typed = pacsv.read_csv(census, convert_options=pacsv.ConvertOptions(column_types={
        "birth_date": pa.date32(), "hire_date": pa.date32()}))
    base = pa.table(wfsim.simulate(census, None, end=2027).events)
    eu = wfsim.simulate(typed, {"census": {"date_format": "DD.MM.YYYY"}}, end=2027)
    got = pa.table(eu.events)
    assert eu.summary["census_date_format"] == "DD.MM.YYYY"
    assert got.drop_columns(["created_at"]).equals(base.drop_columns(["created_at"]))
    with pytest.raises(wfsim.InputError, match="is not a date DD.MM.YYYY") as e:
        wfsim.simulate(census, {"census": {"date_format": "DD.MM.YYYY"}}, end=2027)
    assert (e.value.line, e.value.column) == (2, 12)  # the CSV: characters
