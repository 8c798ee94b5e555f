"""Writes dbt/models/plan/_plan_unit_tests.yml, the plan design unit tests
(issue 18): python3 tools/gen_plan_unit_tests.py > dbt/models/plan/_plan_unit_tests.yml.
Each case is an employee worked by hand; the description states the arithmetic
and the expected values below are written out, not computed by the model."""
import json
REP = {"scenario_id": "s", "plan_design_id": "p", "random_seed": 1}
def rep(**kw):
    d = dict(REP); d.update(kw); return d
def flow(d):
    return "{" + ", ".join(f"{k}: {json.dumps(v) if not isinstance(v, bool) else str(v).lower()}" for k, v in d.items()) + "}"

lim = {"simulation_year": 2026, "elective_deferral_limit": 24500, "catch_up_limit": 8000,
       "compensation_limit": 360000, "catch_up_age": 50, "super_catch_up_limit": 11250,
       "super_catch_up_min_age": 60, "super_catch_up_max_age": 63, "annual_additions_limit": 72000,
       "hce_threshold": 160000, "hce_lookback_threshold": 160000, "basis": "published"}
def design(**kw):
    d = rep(design_key="*", match_formula="tiers", match_true_up=False, match_max_dollars=None,
            match_min_service_years=0, match_active_at_year_end=False,
            core_rate=0.0, core_min_service_years=0, core_active_at_year_end=False,
            vesting_match="immediate", vesting_core="immediate", forfeiture_policy="offset_next_year",
            hce_top_paid_group=False, ndt_method="current_year", is_safe_harbor=False)
    d.update(kw); return d
def tiers(pairs, min_years=0):
    out, prev = [], 0
    for i, (up, rate) in enumerate(pairs, 1):
        out.append({"design_key": "*", "tier_set": "service" if min_years else "base", "min_service_years": min_years,
                    "tier": i, "from_bp": prev, "to_bp": up, "rate_bp": rate})
        prev = up
    return out
def seg(emp, salary, bp, days=365, eligible=True):
    return rep(employee_id=emp, simulation_year=2026, days_in_year=365, days=days,
               salary_cents=salary * 100, deferral_bp=bp, is_eligible=eligible)
def st(emp, birth="1986-06-30", hire="2010-01-01", term=None):
    return rep(employee_id=emp, simulation_year=2026, birth_date=birth, hire_date=hire,
               termination_date=term, year_end="2026-12-31")

def contrib_test(name, desc, d, t, segs, sts, expect, core_steps=()):
    lines = [f"  - name: {name}", f"    description: >", f"      {desc}",
             "    model: int_employee_year_contributions", "    given:"]
    def given(inp, rows):
        lines.append(f"      - input: ref('{inp}')")
        if not rows:
            lines.append("        rows: []")
            return
        lines.append("        rows:")
        for r in rows:
            lines.append(f"          - {flow(r)}")
    given("int_pay_segments", segs)
    given("int_replicate_plan_design", [d])
    given("int_plan_design_tiers", t)
    given("int_plan_design_core_steps", list(core_steps))
    given("int_employee_year_end_state", sts)
    given("int_plan_limits", [lim])
    lines.append("    expect:")
    lines.append("      rows:")
    for r in expect:
        lines.append(f"        - {flow(r)}")
    return "\n".join(lines)

T_DEF = [(300, 10000), (500, 5000)]
tests = []
def simple(name, desc, formula, pairs, cases, **dkw):
    segs = [seg(e, 100000, bp) for e, bp, _ in cases]
    sts = [st(e) for e, _, _ in cases]
    exp = [{"employee_id": e, "employer_match": m} for e, _, m in cases]
    tests.append(contrib_test(name, desc, design(match_formula=formula, **dkw), tiers(pairs), segs, sts, exp))

simple("plan_match_tiers_at_and_above_edges",
       "Tiers 100 % of the first 3 % + 50 % of the next 2 % on $100,000: deferring 2 %, 3 % (edge), 4 %, 5 % (edge), 6 % gives $2,000, $3,000, $3,500, $4,000, $4,000.",
       "tiers", T_DEF, [("A", 200, 2000.0), ("B", 300, 3000.0), ("C", 400, 3500.0), ("D", 500, 4000.0), ("E", 600, 4000.0)])
simple("plan_match_safe_harbor_basic",
       "Safe harbor basic (100 % of 3 % + 50 % of 2 %) on $100,000: 3 % (edge) gives $3,000, 4 % $3,500, 5 % (edge) $4,000, 8 % $4,000.",
       "safe_harbor_basic", T_DEF, [("A", 300, 3000.0), ("D", 400, 3500.0), ("B", 500, 4000.0), ("C", 800, 4000.0)], is_safe_harbor=True)
simple("plan_match_safe_harbor_enhanced",
       "Safe harbor enhanced (100 % of the first 4 %) on $100,000: 4 % (edge) gives $4,000, 5 % $4,000, 2 % $2,000.",
       "safe_harbor_enhanced", [(400, 10000)], [("A", 400, 4000.0), ("B", 500, 4000.0), ("C", 200, 2000.0)], is_safe_harbor=True)
simple("plan_match_qaca_safe_harbor",
       "QACA safe harbor (100 % of the first 1 % + 50 % of the next 5 %) on $100,000: 1 % gives $1,000, 6 % (edge) $3,500, 7 % $3,500, 3 % $2,000.",
       "qaca_safe_harbor", [(100, 10000), (600, 5000)], [("A", 100, 1000.0), ("B", 600, 3500.0), ("C", 700, 3500.0), ("D", 300, 2000.0)], is_safe_harbor=True)
simple("plan_match_stretch",
       "Stretch match 50 % of the first 6 % on $100,000: 6 % (edge) gives $3,000, 8 % $3,000, 4 % $2,000.",
       "stretch", [(600, 5000)], [("A", 600, 3000.0), ("B", 800, 3000.0), ("C", 400, 2000.0)])
simple("plan_match_none",
       "No match formula: nothing, whatever the deferral.",
       "none", [], [("A", 600, 0.0)])
simple("plan_match_max_dollars",
       "Tiers with a $3,200 annual cap on $100,000: 5 % would give $4,000, capped at $3,200; 3 % gives $3,000.",
       "tiers", T_DEF, [("A", 500, 3200.0), ("B", 300, 3000.0)], match_max_dollars=3200)

# service tiers at the boundary year
tests.append(contrib_test("plan_match_service_tiers_at_boundary",
    "From 5 years of service the tiers are 100 % of the first 6 %, from 10 years 100 % of the first 8 %: hired 2021-12-31 (5 years on 2026-12-31) deferring 8 % on $100,000 gets $6,000; hired 2022-01-01 (4 years) gets the base $4,000; hired 2016-12-31 (10 years) $8,000; hired 2017-01-01 (9 years) $6,000.",
    design(), tiers(T_DEF) + tiers([(600, 10000)], 5) + tiers([(800, 10000)], 10),
    [seg("A", 100000, 800), seg("B", 100000, 800), seg("C", 100000, 800), seg("D", 100000, 800)],
    [st("A", hire="2021-12-31"), st("B", hire="2022-01-01"), st("C", hire="2016-12-31"), st("D", hire="2017-01-01")],
    [{"employee_id": "A", "employer_match": 6000.0, "service_years": 5, "uses_service_tiers": True},
     {"employee_id": "B", "employer_match": 4000.0, "service_years": 4, "uses_service_tiers": False},
     {"employee_id": "C", "employer_match": 8000.0, "service_years": 10, "uses_service_tiers": True},
     {"employee_id": "D", "employer_match": 6000.0, "service_years": 9, "uses_service_tiers": True}]))

# 402(g) binding
tests.append(contrib_test("plan_402g_limit_binds",
    "$400,000 deferring 10 %, age 40: plan pay $360,000 (401(a)(17)), $36,000 uncapped, held to $24,500 (402(g) 2026); the per-period match $14,400 follows the deferrals made: x 24,500/36,000 = $9,800.",
    design(), tiers(T_DEF), [seg("A", 400000, 1000)], [st("A", birth="1986-06-30")],
    [{"employee_id": "A", "plan_compensation": 360000.0, "uncapped_employee_contributions": 36000.0,
      "employee_contributions": 24500.0, "is_at_deferral_limit": True, "employer_match": 9800.0}]))

# catch-up by age
ages = [("A49", "1977-06-30", 0, 24500.0), ("A50", "1976-06-30", 8000, 32500.0), ("A59", "1967-06-30", 8000, 32500.0),
        ("A60", "1966-06-30", 11250, 35750.0), ("A63", "1963-06-30", 11250, 35750.0), ("A64", "1962-06-30", 8000, 32500.0)]
tests.append(contrib_test("plan_catch_up_by_age",
    "Deferring 20 % of $400,000 in 2026 (uncapped $72,000): aged 49 on December 31 the limit is $24,500; 50 and 59: + $8,000; 60 and 63: + $11,250 (SECURE 2.0); 64: + $8,000 again. Contributions equal the limit.",
    design(), tiers(T_DEF), [seg(e, 400000, 2000) for e, _, _, _ in ages], [st(e, birth=b) for e, b, _, _ in ages],
    [{"employee_id": e, "catch_up_limit": float(c), "deferral_limit": lim_, "employee_contributions": lim_,
      "catch_up_contributions": lim_ - 24500.0} for e, _, c, lim_ in ages]))

# mid-year deferral change: per period vs true-up
half = [seg("A", 100000, 0, days=181), seg("A", 100000, 1000, days=184)]
tests.append(contrib_test("plan_match_per_period_mid_year_change",
    "$100,000, no deferral January-June (181 days), 10 % July-December (184 days): contributions $5,041.10; the per-period match is 4 % of the second half's pay, $100,000 x 184/365 x 0.04 = $2,016.44.",
    design(), tiers(T_DEF), half, [st("A")],
    [{"employee_id": "A", "employee_contributions": 5041.10, "employer_match": 2016.44}]))
tests.append(contrib_test("plan_match_true_up_mid_year_change",
    "The same employee with an annual true-up: the year's effective rate 5,041.10 / 100,000 = 5.04 % is above the 5 % tier end, so the match is 4 % of $100,000 = $4,000.",
    design(match_true_up=True), tiers(T_DEF), half, [st("A")],
    [{"employee_id": "A", "employee_contributions": 5041.10, "employer_match": 4000.0}]))

# 415(c)
tests.append(contrib_test("plan_415c_reduces_core_first",
    "$400,000 deferring 10 %, age 40, core 15 %: deferrals $24,500, match $9,800, core $54,000 add to $88,300 over the $72,000 415(c) limit; the $16,300 excess comes off the core ($37,700).",
    design(core_rate=0.15), tiers(T_DEF), [seg("A", 400000, 1000)], [st("A")],
    [{"employee_id": "A", "employee_contributions": 24500.0, "employer_match": 9800.0, "employer_core": 37700.0,
      "annual_additions": 72000.0, "is_at_annual_additions_limit": True}]))

# core: flat, by service, requirements
tests.append(contrib_test("plan_core_by_service_and_requirements",
    "Core by service (2 % from 0 years, 4 % from 10) on $100,000 of eligible pay: 9 years gives $2,000, 10 years $4,000; pay before eligibility (half the year) gets none.",
    design(), tiers(T_DEF),
    [seg("A", 100000, 0), seg("B", 100000, 0), seg("C", 100000, 0, days=181, eligible=False), seg("C", 100000, 0, days=184)],
    [st("A", hire="2017-06-30"), st("B", hire="2016-06-30"), st("C", hire="2016-06-30")],
    [{"employee_id": "A", "employer_core": 2000.0}, {"employee_id": "B", "employer_core": 4000.0},
     {"employee_id": "C", "employer_core": 2016.44}],
    core_steps=[{"design_key": "*", "basis": "service", "min_value": 0, "rate_bp": 200},
                {"design_key": "*", "basis": "service", "min_value": 10, "rate_bp": 400}]))
tests.append(contrib_test("plan_match_requires_active_at_year_end_and_service",
    "Match only for those active on December 31 with a year of service: a leaver and a hire of 2026 get none; a two-year employee gets $3,000.",
    design(match_active_at_year_end=True, match_min_service_years=1), tiers(T_DEF),
    [seg("A", 100000, 300), seg("B", 100000, 300), seg("C", 100000, 300)],
    [st("A", hire="2020-01-01", term="2026-12-01"), st("B", hire="2026-01-01"), st("C", hire="2024-06-30")],
    [{"employee_id": "A", "employer_match": 0.0}, {"employee_id": "B", "employer_match": 0.0},
     {"employee_id": "C", "employer_match": 3000.0}]))

# vesting / forfeitures and HCE: int_employee_year_plan
def plan_test(name, desc, d, contribs, sts, vest, expect, lims=None):
    lines = [f"  - name: {name}", "    description: >", f"      {desc}",
             "    model: int_employee_year_plan", "    given:"]
    def given(inp, rows):
        lines.append(f"      - input: ref('{inp}')")
        lines.append("        rows:")
        for r in rows:
            lines.append(f"          - {flow(r)}")
    given("int_employee_year_contributions", contribs)
    given("int_employee_year_end_state", sts)
    given("int_replicate_plan_design", [d])
    given("int_plan_design_vesting", vest)
    given("int_plan_limits", lims or [lim])
    lines += ["    expect:", "      rows:"] + [f"        - {flow(r)}" for r in expect]
    return "\n".join(lines)

def vest_rows(source, pcts):
    return [{"design_key": "*", "source": source, "years": y, "vested_pct": p} for y, p in enumerate(pcts)]
cliff3 = [0, 0, 0, 1, 1, 1, 1]
graded6 = [0, 0, 0.2, 0.4, 0.6, 0.8, 1]
leavers = [("S1", 1), ("S2", 2), ("S3", 3), ("S4", 4), ("S5", 5), ("S6", 6)]
contribs = [rep(employee_id=e, simulation_year=2026, service_years=s, employer_match=1000, employer_core=1000,
                prorated_compensation=50000) for e, s in leavers] + \
           [rep(employee_id="ACT", simulation_year=2026, service_years=2, employer_match=1000, employer_core=1000,
                prorated_compensation=50000)]
sts = [rep(employee_id=e, simulation_year=2026, is_new_hire=False, start_salary=50000, termination_date="2026-06-30")
       for e, _ in leavers] + [rep(employee_id="ACT", simulation_year=2026, is_new_hire=False, start_salary=50000,
                                   termination_date=None)]
exp = []
for e, s in leavers:
    m = 1000 * (1 - cliff3[s]); c = round(1000 * (1 - graded6[s]), 2)
    exp.append({"employee_id": e, "match_vested_pct": cliff3[s], "core_vested_pct": graded6[s],
                "forfeited_match": float(m), "forfeited_core": float(c)})
exp.append({"employee_id": "ACT", "match_vested_pct": 0, "core_vested_pct": 0.2, "forfeited_match": 0.0, "forfeited_core": 0.0})
tests.append(plan_test("plan_vesting_leavers_before_and_after_each_step",
    "Match cliff_3, core graded_6, $1,000 of each: leavers with 1, 2, 3, 4, 5 and 6 years forfeit the match 1000, 1000, 0, 0, 0, 0 and the core 1000, 800, 600, 400, 200, 0; an active employee forfeits nothing.",
    design(vesting_match="cliff_3", vesting_core="graded_6"), contribs, sts,
    vest_rows("match", cliff3) + vest_rows("core", graded6), exp))

# HCE by threshold (prior-year pay) and by top-paid group
lim25 = dict(lim, simulation_year=2025, hce_lookback_threshold=160000)
def hce_rows(pays):
    c, s = [], []
    for e, p25 in pays:
        for y, pay in ((2025, p25), (2026, 50000)):
            c.append(rep(employee_id=e, simulation_year=y, service_years=5, employer_match=0, employer_core=0,
                         prorated_compensation=pay))
            s.append(rep(employee_id=e, simulation_year=y, is_new_hire=False, start_salary=50000, termination_date=None))
    return c, s
pays = [("H1", 160001), ("H2", 160000), ("H3", 300000)]
c, s = hce_rows(pays)
tests.append(plan_test("plan_hce_by_threshold",
    "HCE in 2026 by 2025 pay above $160,000: $160,001 and $300,000 are HCEs, $160,000 is not; in 2025 (January 1 salary $50,000) nobody is.",
    design(), c, s, vest_rows("match", [1] * 21) + vest_rows("core", [1] * 21),
    [{"employee_id": e, "simulation_year": y, "is_hce": (y == 2026 and p > 160000)} for e, p in pays for y in (2025, 2026)],
    lims=[lim25, lim]))
pays = [("T%02d" % i, 100000 + i * 10000) for i in range(1, 11)]   # 110k .. 200k; above 160k: T07..T10
c, s = hce_rows(pays)
tests.append(plan_test("plan_hce_by_top_paid_group",
    "Top-paid-group election: of ten employees paid $110,000 .. $200,000 in 2025, four are above $160,000 but only the top 20 % (two: $200,000 and $190,000) are HCEs in 2026.",
    design(hce_top_paid_group=True), c, s, vest_rows("match", [1] * 21) + vest_rows("core", [1] * 21),
    [{"employee_id": e, "simulation_year": y, "is_hce": (y == 2026 and e in ("T09", "T10"))} for e, _ in pays for y in (2025, 2026)],
    lims=[lim25, lim]))

# ADP / ACP
def ndt_test(name, desc, d, rows, expect):
    lines = [f"  - name: {name}", "    description: >", f"      {desc}",
             "    model: fct_ndt_results", "    given:",
             "      - input: ref('fct_workforce_snapshot')", "        rows:"]
    lines += [f"          - {flow(r)}" for r in rows]
    lines += ["      - input: ref('int_replicate_plan_design')", "        rows:", f"          - {flow(d)}"]
    lines += ["    expect:", "      rows:"] + [f"        - {flow(r)}" for r in expect]
    return "\n".join(lines)
def snap(e, y, hce, contrib, match):
    return rep(employee_id=e, simulation_year=y, is_eligible=True, plan_compensation=100000,
               employee_contributions=contrib, employer_match=match, is_hce=hce)
rows = [snap("A", 2026, True, 8000, 4000), snap("B", 2026, False, 4000, 3500), snap("C", 2026, False, 2000, 2000)]
tests.append(ndt_test("plan_adp_acp_current_year",
    "Current year: HCE deferral 8 %, NHCEs 4 % and 2 % (3 %): the limit is max(3.75 %, min(6 %, 5 %)) = 5 %, so ADP fails; match 4 % against NHCE 3.5 % and 2 % (2.75 %): the limit 4.75 % passes.",
    design(ndt_method="current_year"), rows,
    [{"test": "ADP", "method": "current_year", "nhce_basis_year": 2026, "hce_count": 1, "nhce_count": 2, "hce_average": 0.08, "passed": False, "is_exempt": False},
     {"test": "ACP", "method": "current_year", "nhce_basis_year": 2026, "hce_count": 1, "nhce_count": 2, "hce_average": 0.04, "passed": True, "is_exempt": False}]))
rows2 = [snap("A", 2025, True, 1000, 1000), snap("B", 2025, False, 7000, 3500), snap("C", 2025, False, 5000, 3500)] + rows
tests.append(ndt_test("plan_adp_acp_prior_year",
    "Prior year: 2026's HCE 8 % is tested against 2025's NHCE average (7 % and 5 %: 6 %, limit 8 %): passes; ACP 4 % against 2025's 3.5 % (limit 5.5 %) passes. 2025 uses its own year.",
    design(ndt_method="prior_year"), rows2,
    [{"test": "ADP", "simulation_year": 2025, "nhce_basis_year": 2025, "passed": True},
     {"test": "ACP", "simulation_year": 2025, "nhce_basis_year": 2025, "passed": True},
     {"test": "ADP", "simulation_year": 2026, "nhce_basis_year": 2025, "passed": True},
     {"test": "ACP", "simulation_year": 2026, "nhce_basis_year": 2025, "passed": True}]))
tests.append(ndt_test("plan_safe_harbor_exempt",
    "A safe-harbor design is exempt: the failing ADP of the current-year case passes as exempt, margin NULL.",
    design(match_formula="safe_harbor_basic", is_safe_harbor=True, ndt_method="current_year"), rows,
    [{"test": "ADP", "passed": True, "is_exempt": True, "margin": None},
     {"test": "ACP", "passed": True, "is_exempt": True, "margin": None}]))

# tiers from the config (the Jinja formula table)
def tier_test(name, desc, pd, expect):
    lines = [f"  - name: {name}", "    description: >", f"      {desc}", "    model: int_plan_design_tiers",
             "    overrides:", "      vars:", f"        wfsim_plan_design: {json.dumps(json.dumps(pd))}",
             "        wfsim_plan_designs: \"\"",
             "    given: []", "    expect:", "      rows:"]
    lines += [f"        - {flow(r)}" for r in expect]
    return "\n".join(lines)
tests.append(tier_test("plan_design_tiers_of_qaca", "qaca_safe_harbor's tiers are fixed by law (whatever match.tiers says): 0-1 % at 100 %, 1-6 % at 50 %.",
    {"match": {"formula": "qaca_safe_harbor", "tiers": [{"up_to": 0.02, "rate": 1.0}]}},
    [{"design_key": "*", "tier_set": "base", "min_service_years": 0, "tier": 1, "from_bp": 0, "to_bp": 100, "rate_bp": 10000},
     {"design_key": "*", "tier_set": "base", "min_service_years": 0, "tier": 2, "from_bp": 100, "to_bp": 600, "rate_bp": 5000}]))
tests.append(tier_test("plan_design_tiers_with_service", "tiers with service bands from 5 and 10 years (match.by_service).",
    {"match": {"formula": "tiers", "tiers": [{"up_to": 0.03, "rate": 1.0}, {"up_to": 0.05, "rate": 0.5}],
               "by_service": [{"min_years": 5, "tiers": [{"up_to": 0.06, "rate": 1.0}]},
                              {"min_years": 10, "tiers": [{"up_to": 0.04, "rate": 1.0}, {"up_to": 0.08, "rate": 0.75}]}]}},
    [{"design_key": "*", "tier_set": "base", "min_service_years": 0, "tier": 1, "from_bp": 0, "to_bp": 300, "rate_bp": 10000},
     {"design_key": "*", "tier_set": "base", "min_service_years": 0, "tier": 2, "from_bp": 300, "to_bp": 500, "rate_bp": 5000},
     {"design_key": "*", "tier_set": "service", "min_service_years": 5, "tier": 1, "from_bp": 0, "to_bp": 600, "rate_bp": 10000},
     {"design_key": "*", "tier_set": "service", "min_service_years": 10, "tier": 1, "from_bp": 0, "to_bp": 400, "rate_bp": 10000},
     {"design_key": "*", "tier_set": "service", "min_service_years": 10, "tier": 2, "from_bp": 400, "to_bp": 800, "rate_bp": 7500}]))

# vesting schedules and core steps from the config (the Jinja tables)
def var_test(name, desc, model, pd, expect):
    lines = [f"  - name: {name}", "    description: >", f"      {desc}", f"    model: {model}",
             "    overrides:", "      vars:", f"        wfsim_plan_design: {json.dumps(json.dumps(pd))}",
             "        wfsim_plan_designs: \"\"",
             "    given: []", "    expect:", "      rows:"]
    lines += [f"        - {flow(r)}" for r in expect]
    return "\n".join(lines)
vest_list = [0, 0, 50, 100]
tests.append(var_test("plan_design_vesting_list_and_cliff",
    "vesting.match as the list [0, 0, 50, 100] (the last holding after year 3), vesting.core cliff_3: 0 % before 3 years, 100 % from 3.",
    "int_plan_design_vesting", {"vesting": {"match": vest_list, "core": "cliff_3"}},
    [{"design_key": "*", "source": "match", "years": y, "vested_pct": vest_list[min(y, 3)] / 100} for y in range(21)] +
    [{"design_key": "*", "source": "core", "years": y, "vested_pct": 1.0 if y >= 3 else 0.0} for y in range(21)]))
tests.append(var_test("plan_design_core_by_age",
    "core.by_age [{min_age: 0, rate: 0.02}, {min_age: 50, rate: 0.04}]: two age steps, in basis points.",
    "int_plan_design_core_steps", {"core": {"by_age": [{"min_age": 0, "rate": 0.02}, {"min_age": 50, "rate": 0.04}]}},
    [{"design_key": "*", "basis": "age", "min_value": 0, "rate_bp": 200},
     {"design_key": "*", "basis": "age", "min_value": 50, "rate_bp": 400}]))

print("""version: 2

# dbt unit tests of the plan design (issue 18): each formula with employees
# worked by hand (the description gives the arithmetic). They run with the
# models in every `dbt build` that selects them (tests/py/test_dbt_state.py
# builds +state metrics). Written by tools/gen_plan_unit_tests.py.

unit_tests:""")
print("\n\n".join(tests))
