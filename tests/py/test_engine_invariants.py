"""Invariants of a multi-year engine run on a synthetic census: headcount
arithmetic, uniqueness, chronology, and event sourcing (census plus events
replayed in Python reproduce the engine's own snapshot)."""
import csv
import datetime as dt
import json
from decimal import Decimal

import duckdb
import pytest

from engine_util import events_sql, run_wfsim, snapshot_sql

START, END = 2025, 2030


@pytest.fixture(scope="module")
def run(wfsim, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("invariants")
    census = tmp / "census.csv"
    run_wfsim(wfsim, "census", "--employees", 4000, "--seed", 11, "--out", census)
    out = tmp / "out"
    run_wfsim(wfsim, "events", "--census", census, "--out", out, "--snapshots",
              "--start", START, "--end", END, "--seed", 99, "--quiet")
    con = duckdb.connect()
    con.execute(f"create view ev as select * from {events_sql(out)}")
    con.execute(f"create view snap as select * from {snapshot_sql(out)}")
    summary = json.loads((out / "generation_summary.json").read_text())
    return census, out, con, summary


def scalar(con, sql):
    return con.execute(sql).fetchone()[0]


def test_headcount_meets_target_without_shortfall(run):
    _census, _out, con, summary = run
    assert [y["year"] for y in summary["per_year"]] == list(range(START, END + 1))
    for y in summary["per_year"]:
        if y["experienced_termination_shortfall"] == 0 and y["nh_termination_shortfall"] == 0:
            assert y["year_end_headcount"] == y["target"], y
        active = scalar(con, f"select count(*) from snap where simulation_year = {y['year']} "
                             "and employment_status = 'active'")
        assert active == y["year_end_headcount"]
        hires = scalar(con, f"select count(*) from ev where simulation_year = {y['year']} "
                            "and event_type = 'hire'")
        assert hires == y["H_actual"] == y["H"]


def test_unique_event_ids_and_one_event_per_type(run):
    _census, _out, con, _summary = run
    assert scalar(con, "select count(*) - count(distinct event_id) from ev") == 0
    assert scalar(con, "select count(*) from (select employee_id, simulation_year, event_type "
                       "from ev group by all having count(*) > 1)") == 0


def test_dates_inside_partition_year(run):
    _census, _out, con, _summary = run
    assert scalar(con, "select count(*) from ev where year(event_date) <> simulation_year") == 0


def test_event_sequence_is_dense_and_chronological(run):
    _census, _out, con, _summary = run
    bad = scalar(con, """
        select count(*) from (
          select employee_id, simulation_year, event_sequence, event_date,
                 row_number() over w as rn,
                 lag(event_date) over w as prev_date
          from ev window w as (partition by employee_id, simulation_year
                               order by event_sequence))
        where event_sequence <> rn or event_date < prev_date""")
    assert bad == 0


def test_nothing_after_a_termination(run):
    _census, _out, con, _summary = run
    after = scalar(con, """
        select count(*) from ev e join
          (select employee_id, event_date as term_date, event_sequence as term_seq
           from ev where event_type = 'termination') t using (employee_id)
        where (e.event_date, e.event_sequence) > (t.term_date, t.term_seq)
          and e.event_date >= t.term_date""")
    assert after == 0
    assert scalar(con, "select count(*) from (select employee_id from ev "
                       "where event_type = 'termination' group by 1 having count(*) > 1)") == 0


def parse_date(text):
    return dt.date.fromisoformat(text)


def replay(census_path, con):
    """State per employee after each year, from the census and the events only."""
    state = {}
    with open(census_path, newline="") as f:
        for row in csv.DictReader(f):
            rate = Decimal(row["deferral_rate"] or "0")
            state[row["employee_id"]] = {
                "birth_date": parse_date(row["birth_date"]),
                "hire_date": parse_date(row["hire_date"]), "termination_date": None,
                "level_id": int(row["level_id"]),
                "salary": Decimal(row["salary"]).quantize(Decimal("0.01")),
                "is_enrolled": rate > 0, "deferral_rate": rate,
                "enrollment_source": "census" if rate > 0 else None,
                "ever_opted_out": False,
            }
    events = con.execute("select simulation_year, employee_id, event_type, event_category, "
                         "event_date, level_id, compensation_amount, employee_deferral_rate "
                         "from ev order by simulation_year, employee_id, event_sequence").fetchall()
    by_year = {}
    for ev in events:
        by_year.setdefault(ev[0], []).append(ev)
    snapshots = {}
    for year in range(START, END + 1):
        members = {e for e, s in state.items()
                   if s["termination_date"] is None or s["termination_date"].year >= year}
        for _y, emp, etype, cat, date, level, comp, rate in by_year.get(year, []):
            s = state.setdefault(emp, {"birth_date": None, "hire_date": date,
                                       "termination_date": None, "is_enrolled": False,
                                       "deferral_rate": Decimal(0), "enrollment_source": None,
                                       "ever_opted_out": False})
            if etype == "hire":
                members.add(emp)
            s["level_id"], s["salary"] = level, comp
            if etype == "termination":
                s["termination_date"] = date
            elif etype == "enrollment":
                s.update(is_enrolled=True, deferral_rate=rate,
                         enrollment_source="auto" if cat == "auto_enrollment" else "voluntary")
            elif etype == "enrollment_change":
                s.update(is_enrolled=False, deferral_rate=rate, ever_opted_out=True)
            elif etype == "deferral_escalation":
                s["deferral_rate"] = rate
        snapshots[year] = {e: dict(state[e]) for e in members}
    return snapshots


def test_replay_reproduces_snapshot(run):
    census, _out, con, _summary = run
    replayed = replay(census, con)
    rows = con.execute("select simulation_year, employee_id, employment_status, birth_date, "
                       "hire_date, termination_date, level_id, salary, is_enrolled, "
                       "deferral_rate, enrollment_source, ever_opted_out from snap").fetchall()
    engine = {}
    for r in rows:
        engine.setdefault(r[0], {})[r[1]] = r
    for year in range(START, END + 1):
        assert set(engine[year]) == set(replayed[year]), year
        for emp, r in engine[year].items():
            s = replayed[year][emp]
            status = "active" if s["termination_date"] is None else "terminated"
            expect = (status, s["hire_date"], s["termination_date"], s["level_id"],
                      s["salary"], s["is_enrolled"], s["deferral_rate"],
                      s["enrollment_source"], s["ever_opted_out"])
            got = (r[2], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11])
            assert got == expect, (year, emp)
            if s["birth_date"] is not None:
                assert r[3] == s["birth_date"]
