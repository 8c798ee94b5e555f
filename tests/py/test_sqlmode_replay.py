"""SQL mode on a configuration chosen to reach what the golden example does
not: opt-outs that cross into the next year, escalations (delay_years 0,
scope all_enrolled) between an auto-enrollment and its opt-out, promotion,
merit and conversion dates on one day. The events are replayed here in
Python from the census, one employee at a time in event_sequence order, and
every event must agree with the state the replay holds (previous level,
compensation and deferral, enrollment rules, MD5 event ids, partitions,
ages), and the replayed year-end state must equal sqlmode_snapshot
(docs/model.md 5.2: the state rebuilt from census and events equals it)."""
import copy
import csv
import datetime
import decimal
import hashlib

import duckdb
import pytest

import engine_util  # noqa: F401 (puts python/ on the path)
from test_sqlmode_golden import DEFAULT_CONFIG, run_sql_mode
from wfsim_schema import TYPE_RANK

EDGE = copy.deepcopy(DEFAULT_CONFIG)
EDGE["simulation"].update(start_year=2025, end_year=2027, random_seed=777, scenario_id="edge",
                          plan_design_id="edge")
EDGE["auto_enrollment"].update(hire_date_cutoff="2020-01-01", window_days=20, opt_out_grace_days=300)
EDGE["auto_escalation"].update(delay_years=0, effective_date="09-01", scope="all_enrolled")
EDGE["eligibility"].update(waiting_period_days=60)
EDGE["voluntary_enrollment"].update(enrollment_date="06-30")
EDGE["compensation"].update(promotion_date="06-30", merit_date="06-30")


def years_between(a, b):
    if a > b:
        return 0
    return b.year - a.year - (1 if (a.month, a.day) > (b.month, b.day) else 0)


@pytest.fixture(scope="module")
def edge_run(vectors, tmp_path_factory):
    work = tmp_path_factory.mktemp("sqlmode_edge")
    db = work / "edge.duckdb"
    census = vectors / "golden" / "census.csv"
    run_sql_mode(db, work, EDGE, census)
    with duckdb.connect(str(db), read_only=True) as con:
        cols = [r[0] for r in con.sql("DESCRIBE sqlmode_events").fetchall()]
        events = [dict(zip(cols, r)) for r in con.sql(
            "SELECT * FROM sqlmode_events ORDER BY simulation_year, employee_id, event_sequence").fetchall()]
        scols = [r[0] for r in con.sql("DESCRIBE sqlmode_snapshot").fetchall()]
        snapshot = [dict(zip(scols, r)) for r in con.sql(
            "SELECT * FROM sqlmode_snapshot ORDER BY simulation_year, employee_id").fetchall()]
    return census, events, snapshot


def test_edge_cases_are_reached(edge_run):
    _, events, _ = edge_run
    autos = {(e["employee_id"], e["simulation_year"]) for e in events if e["event_category"] == "auto_enrollment"}
    crossing = [e for e in events if e["event_category"] == "opt_out"
                and (e["employee_id"], e["simulation_year"] - 1) in autos]
    assert crossing, "no opt-out crossed into the next year"
    escalated = [e for e in crossing if e["prev_employee_deferral_rate"] != decimal.Decimal("0.0600")]
    assert escalated, "no escalation between an auto-enrollment and its opt-out"
    same_day = [e for e in events if e["event_type"] == "promotion"]
    assert same_day, "no promotion on the shared promotion/merit date"


def test_replay_matches_events_and_snapshot(edge_run):
    census_path, events, snapshot = edge_run
    sim = EDGE["simulation"]
    cap, inc = EDGE["auto_escalation"]["cap_bp"], EDGE["auto_escalation"]["increment_bp"]
    cents = lambda d: int((d * 100).to_integral_value(rounding=decimal.ROUND_HALF_UP))
    bp = lambda d: int((d * 10000).to_integral_value(rounding=decimal.ROUND_HALF_UP))
    census_date = datetime.date(sim["start_year"] - 1, 12, 31)
    state = {}
    with open(census_path, newline="") as fh:
        for row in csv.DictReader(fh):
            d = bp(decimal.Decimal(row["deferral_rate"] or "0"))
            state[row["employee_id"]] = {
                "birth": datetime.date.fromisoformat(row["birth_date"]),
                "hire": datetime.date.fromisoformat(row["hire_date"]),
                "level": int(row["level_id"]), "salary": cents(decimal.Decimal(row["salary"])),
                "enrolled": d > 0, "deferral": d, "source": "census" if d > 0 else None,
                "opted": False, "term": None}
    by_year = {}
    for e in events:
        by_year.setdefault(e["simulation_year"], []).append(e)
    for year in range(sim["start_year"], sim["end_year"] + 1):
        seqs = {}
        for e in by_year.get(year, []):
            emp = e["employee_id"]
            where = f"{year} {emp} #{e['event_sequence']} {e['event_type']}"
            assert e["event_date"].year == year, where
            key = f"{sim['scenario_id']}|{sim['plan_design_id']}|{sim['random_seed']}|{emp}|{year}|{e['event_type']}"
            assert e["event_id"] == hashlib.md5(key.encode()).hexdigest(), where
            seqs.setdefault(emp, []).append(e)
            t = e["event_type"]
            if t == "hire":
                assert emp not in state, where
                snap = next(s for s in snapshot if s["employee_id"] == emp)
                state[emp] = {"birth": snap["birth_date"], "hire": e["event_date"], "level": e["level_id"],
                              "salary": cents(e["compensation_amount"]), "enrolled": False, "deferral": 0,
                              "source": None, "opted": False, "term": None}
            s = state[emp]
            assert s["term"] is None, f"{where}: event after termination"
            if t == "promotion":
                assert e["previous_level_id"] == s["level"] and e["level_id"] == s["level"] + 1, where
                assert cents(e["previous_compensation"]) == s["salary"], where
                s["level"], s["salary"] = e["level_id"], cents(e["compensation_amount"])
            elif t == "raise":
                assert cents(e["previous_compensation"]) == s["salary"], where
                assert cents(e["compensation_amount"]) != s["salary"], where
                s["salary"] = cents(e["compensation_amount"])
            elif t == "enrollment":
                assert not s["enrolled"] and bp(e["prev_employee_deferral_rate"]) == s["deferral"], where
                if e["event_category"] == "auto_enrollment":
                    assert not s["opted"], where
                    assert bp(e["employee_deferral_rate"]) == EDGE["auto_enrollment"]["default_deferral_rate_bp"], where
                s.update(enrolled=True, deferral=bp(e["employee_deferral_rate"]),
                         source="auto" if e["event_category"] == "auto_enrollment" else "voluntary")
            elif t == "enrollment_change":
                assert s["enrolled"] and s["source"] == "auto", where
                assert bp(e["prev_employee_deferral_rate"]) == s["deferral"], where
                assert bp(e["employee_deferral_rate"]) == 0, where
                s.update(enrolled=False, deferral=0, opted=True)
            elif t == "deferral_escalation":
                assert s["enrolled"] and bp(e["prev_employee_deferral_rate"]) == s["deferral"], where
                assert bp(e["employee_deferral_rate"]) == min(cap, s["deferral"] + inc), where
                s["deferral"] = bp(e["employee_deferral_rate"])
            elif t == "termination":
                s["term"] = e["event_date"]
            assert e["level_id"] == s["level"] and cents(e["compensation_amount"]) == s["salary"], where
            assert e["employee_age"] == years_between(s["birth"], e["event_date"]), where
            assert e["employee_tenure"] == years_between(s["hire"], e["event_date"]), where
        for emp, evs in seqs.items():
            assert [e["event_sequence"] for e in evs] == list(range(1, len(evs) + 1)), emp
            order = [(e["event_date"], TYPE_RANK[e["event_type"]]) for e in evs]
            assert order == sorted(order) and len(set(order)) == len(order), emp
        snap = {s["employee_id"]: s for s in snapshot if s["simulation_year"] == year}
        live = {emp for emp, s in state.items() if s["term"] is None or s["term"].year == year}
        assert set(snap) == live, year
        for emp, row in snap.items():
            s = state[emp]
            got = (row["employment_status"], row["termination_date"], row["level_id"], cents(row["salary"]),
                   row["is_enrolled"], bp(row["deferral_rate"]), row["enrollment_source"], row["ever_opted_out"])
            want = ("terminated" if s["term"] else "active", s["term"], s["level"], s["salary"],
                    s["enrolled"], s["deferral"], s["source"], s["opted"])
            assert got == want, f"{year} {emp}"
        for emp in [emp for emp, s in state.items() if s["term"] is not None]:
            if state[emp]["term"].year == year:
                state[emp]["term_done"] = True
        for emp in [emp for emp, s in state.items() if s.get("term_done")]:
            del state[emp]
