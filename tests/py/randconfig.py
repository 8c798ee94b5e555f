"""Random valid inputs for the parity gate (issue 20): a configuration with
every key present or not, its values across their whole range (edges
included) in varied YAML spellings, some simulation keys given as
command-line overrides instead, and a small census in varied CSV
spellings. Everything follows from one integer seed, so a failing case is
replayed by its seed alone:

    WFSIM_RANDOM_SEED=1234 .venv/bin/python -m pytest -q tests/py/test_parity_random.py
    .venv/bin/python tests/py/randconfig.py --minutes 10        (make fuzz-parity)
    .venv/bin/python tests/py/randconfig.py --seed 1234 --keep  (one case, files kept)

The key table mirrors src/model/config.c's WF_CONFIG_KEYS and the rules of
docs/inputs.md; anything generated here must be accepted by the loader, so
a refusal (exit 2) is a failure of the case too.

A case passes when both modes agree: the engine (under ASan and UBSan) and
SQL mode both refuse the same way (exit 5, the model's refusal), or both
succeed and `wfsim parity` finds their events and snapshots identical.
"""
import argparse
from decimal import Decimal
import os
import pathlib
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
TOP_PROMOTION = 9007199254740990      # promotion_raise_mean - spread at most this


# ---- values and their spellings ------------------------------------------------

def spell_decimal(rng, units, scale):
    """units / 10**scale as decimal text: plain, with trailing zeros, a
    leading '+' or bare '.', an integer mantissa with an exponent, or
    scientific notation; every spelling is exactly the same number."""
    d = Decimal(units).scaleb(-scale)
    sign = "-" if d < 0 else rng.choice(["", "", "", "+"])
    d = abs(d)
    plain = format(d.normalize(), "f")
    style = rng.randrange(6)
    if style == 1:
        text = plain + ("" if "." in plain else ".") + "0" * rng.randrange(1, 3)
    elif style == 2 and plain.startswith("0."):
        text = plain[1:]
    elif style == 3:
        text = f"{abs(units)}{rng.choice('eE')}-{scale}"
    elif style == 4 and d != 0:
        mant, exp = format(d.normalize(), "e").split("e")   # '1.2', '-1'
        text = f"{mant}e{int(exp)}"
    else:
        text = plain
    return sign + text


def edge_or_random(rng, lo, hi, extra=()):
    """An integer in [lo, hi]: an edge one time in three, else uniform."""
    edges = [lo, hi, lo + 1, hi - 1, *extra]
    edges = [e for e in edges if lo <= e <= hi]
    if rng.random() < 0.35:
        return rng.choice(edges)
    return rng.randint(lo, hi)


def quoted(rng, text):
    style = rng.randrange(3)
    if style == 0:
        return "'" + text.replace("'", "''") + "'"
    return '"' + text + '"'


def rand_id(rng, prefix_nh=True):
    n = rng.choice([1, 2, 5, 8, 12, 64]) if rng.random() < 0.3 else rng.randint(1, 16)
    s = "".join(rng.choice(ID_CHARS) for _ in range(n))
    if prefix_nh and rng.random() < 0.15:
        s = ("NH_" + s)[:64]
    return s


def md_text(month, day):
    return f"{month:02d}-{day:02d}"


DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def rand_md(rng):
    m = edge_or_random(rng, 1, 12)
    return m, edge_or_random(rng, 1, DAYS[m - 1])


# ---- the configuration -----------------------------------------------------------

def gen_config(rng):
    """Returns (sections, overrides, years): sections maps section -> list of
    (key, yaml text); overrides is a list of wfsim options; years the final
    (start, end)."""
    sec = {s: [] for s in ("simulation", "workforce", "compensation", "eligibility",
                           "auto_enrollment", "voluntary_enrollment", "auto_escalation",
                           "performance")}
    over = []

    def maybe(p=0.6):
        return rng.random() < p

    # simulation: years 1900..2200, 1-2 years per case (SQL mode runs a dbt
    # step per year); some keys go to the command line instead of the file.
    start = edge_or_random(rng, 1900, 2200, extra=(2024, 2025, 2099, 2100))
    end = min(2200, start + rng.choice([0, 0, 1]))
    for key, value, opt in (("start_year", start, "--start"), ("end_year", end, "--end")):
        text = str(value) if rng.random() < 0.8 else "0" + str(value)
        where = rng.random()
        if where < 0.35:
            over += [opt, text]
        elif where < 0.55:
            # the file holds another year, maybe one that breaks
            # start <= end on its own: only the final values count
            sec["simulation"].append((key, str(rng.randint(1900, 2200))))
            over += [opt, text]
        else:
            sec["simulation"].append((key, text))
    if maybe():
        seed = edge_or_random(rng, 0, 2**63 - 1, extra=(12345, 1, 2**31, 2**32))
        if rng.random() < 0.4:
            over += ["--seed", str(seed)]
        else:
            sec["simulation"].append(("random_seed", str(seed)))
    for key, opt in (("scenario_id", "--scenario"), ("plan_design_id", "--plan")):
        if maybe(0.5):
            ident = rand_id(rng)
            if rng.random() < 0.4:
                over += [opt, ident]
            else:
                sec["simulation"].append((key, quoted(rng, ident)))

    # workforce (ppm keys: written decimals that convert exactly or round
    # inside the range)
    if maybe():
        g = edge_or_random(rng, -999_999, 500_000, extra=(0, 30_000, -500_000, -1))
        sec["workforce"].append(("target_growth_rate", spell_decimal(rng, g, 6)))
    # new-hire terminations stop at 0.9: hires are H = net / (1 - rate), so
    # near 1 a case asks for a million hires per needed hire (valid, but
    # hours in SQL mode); the loader's own edge (< 1) has its unit tests
    for key, top in (("termination_rate", 999_999), ("new_hire_termination_rate", 900_000)):
        if maybe():
            v = edge_or_random(rng, 0, top, extra=(120_000, 250_000, 500_000))
            sec["workforce"].append((key, spell_decimal(rng, v, 6)))
    if maybe():
        sec["workforce"].append(("retirement_age", str(edge_or_random(rng, 40, 100, (65,)))))
    if maybe():
        sec["workforce"].append(("retirement_probability", rate_text(rng)))

    # compensation
    for key in ("cola_rate", "merit_probability", "salary_structure_growth",
                "new_hire_salary_spread"):
        if maybe():
            sec["compensation"].append((key, rate_text(rng)))
    if maybe():
        spread_units = edge_or_random(rng, 0, 500_000, extra=(40_000,))
        kind = rng.random()
        if kind < 0.75:
            mean_units = spread_units + edge_or_random(rng, 0, 1_000_000, extra=(100_000,))
            mean = spell_decimal(rng, mean_units, 6)
        elif kind < 0.9:
            # large raises: the salary steps may leave the model's range
            mean = f"{rng.randint(1, 9)}e{rng.randint(2, 14)}"
        else:
            mean = str(TOP_PROMOTION)
        sec["compensation"].append(("promotion_raise_mean", mean))
        sec["compensation"].append(("promotion_raise_spread", spell_decimal(rng, spread_units, 6)))
    if maybe():
        a, b = sorted([rand_md(rng), rand_md(rng)])
        for key, md in (("promotion_date", a), ("merit_date", b)):
            text = md_text(*md)
            sec["compensation"].append((key, text if rng.random() < 0.5 else quoted(rng, text)))

    # eligibility
    if maybe():
        sec["eligibility"].append(("minimum_age", str(edge_or_random(rng, 0, 100, (18, 21)))))
    if maybe():
        sec["eligibility"].append(("waiting_period_days",
                                   str(edge_or_random(rng, 0, 3650, (90, 365)))))

    # auto-enrollment
    if maybe():
        sec["auto_enrollment"].append(("enabled", bool_text(rng)))
    if maybe(0.4):
        if rng.random() < 0.3:
            sec["auto_enrollment"].append(("hire_date_cutoff", rng.choice(["null", "~", ""])))
        else:
            y = rng.randint(start - 60, start + 1)
            m, d = rand_md(rng)
            text = f"{y:04d}-{m:02d}-{d:02d}"
            sec["auto_enrollment"].append(("hire_date_cutoff",
                                           text if rng.random() < 0.5 else quoted(rng, text)))
    for key, lo, hi in (("default_deferral_rate", 1, 10_000),):
        if maybe():
            sec["auto_enrollment"].append((key, spell_decimal(rng, edge_or_random(rng, lo, hi, (600,)), 4)))
    for key in ("window_days", "opt_out_grace_days"):
        if maybe():
            sec["auto_enrollment"].append((key, str(edge_or_random(rng, 0, 365, (30, 45)))))

    # voluntary enrollment
    if maybe():
        sec["voluntary_enrollment"].append(("enabled", bool_text(rng)))
    if maybe():
        text = md_text(*rand_md(rng))
        sec["voluntary_enrollment"].append(("enrollment_date",
                                            text if rng.random() < 0.5 else quoted(rng, text)))

    # auto-escalation
    if maybe():
        sec["auto_escalation"].append(("enabled", bool_text(rng)))
    if maybe():
        scope = rng.choice(["auto_enrolled", "all_enrolled"])
        sec["auto_escalation"].append(("scope", scope if rng.random() < 0.6 else quoted(rng, scope)))
    for key, dflt in (("increment", 100), ("cap", 1000)):
        if maybe():
            v = edge_or_random(rng, 1, 10_000, (dflt,))
            sec["auto_escalation"].append((key, spell_decimal(rng, v, 4)))
    if maybe():
        sec["auto_escalation"].append(("delay_years", str(edge_or_random(rng, 0, 10, (1,)))))
    if maybe():
        text = md_text(*rand_md(rng))
        sec["auto_escalation"].append(("effective_date",
                                       text if rng.random() < 0.5 else quoted(rng, text)))

    # the runner's section: never changes the events
    if maybe(0.3):
        sec["performance"].append(("threads", str(rng.choice([0, 1, 2, 3, 7]))))
    if maybe(0.2):
        sec["performance"].append(("event_generation_mode", rng.choice(["fast", "sql"])))
    return sec, over, (start, end)


def rate_text(rng):
    """A double in [0, 1]: edges, short decimals, long ones, tiny ones."""
    pick = rng.random()
    if pick < 0.3:
        return rng.choice(["0", "1", "0.0", "1.0", "1e0", "0.5", "1e-7", "0.999999999"])
    if pick < 0.8:
        return spell_decimal(rng, rng.randint(0, 10_000), 4)
    return spell_decimal(rng, rng.randint(0, 10**12), 12)


def bool_text(rng):
    return rng.choice(["true", "True", "TRUE", "false", "False", "FALSE"])


def config_yaml(rng, sec):
    """The sections in shuffled order and one of several layouts."""
    lines = []
    if rng.random() < 0.3:
        lines.append("---")
    if rng.random() < 0.3:
        lines.append("# random configuration")
    names = list(sec)
    rng.shuffle(names)
    indent = " " * rng.choice([2, 2, 4])
    for name in names:
        items = list(sec[name])
        rng.shuffle(items)
        if not items:
            choice = rng.random()
            if choice < 0.3:
                lines.append(f"{name}:")
            elif choice < 0.45:
                lines.append(f"{name}: {{}}")
            continue
        if rng.random() < 0.2 and all(v not in ("", "~") and "#" not in v for _, v in items):
            lines.append(f"{name}: {{" + ", ".join(f"{k}: {v}" for k, v in items) + "}")
            continue
        lines.append(f"{name}:")
        for k, v in items:
            comment = "  # note" if rng.random() < 0.1 and v else ""
            lines.append(f"{indent}{k}: {v}{comment}".rstrip())
    if rng.random() < 0.2:
        lines.append("...")
    return "\n".join(lines) + "\n"


# ---- the census ----------------------------------------------------------------

def gen_census(rng, start_year):
    """A small census valid for start_year: ages 14..100 at C = December 31
    of start_year - 1, hires between the 14th birthday and C, varied cells."""
    c_year = start_year - 1
    n = rng.randint(4, 40)
    cols = ["employee_id", "birth_date", "hire_date", "salary"]
    optional = ["level_id", "deferral_rate", "auto_escalation_opt_out", "termination_date",
                "active"]
    cols += [c for c in optional if rng.random() < 0.6]
    alias = {"birth_date": "employee_birth_date", "hire_date": "employee_hire_date",
             "salary": "employee_gross_compensation", "deferral_rate": "employee_deferral_rate",
             "termination_date": "employee_termination_date"}
    header = [alias[c] if c in alias and rng.random() < 0.25 else c for c in cols]
    header = [h.upper() if rng.random() < 0.1 else h for h in header]
    ids = set()
    rows = []
    active = 0
    for i in range(n):
        while True:
            ident = rand_id(rng, prefix_nh=False)
            if not ident.startswith("NH_") and ident not in ids:
                break
        ids.add(ident)
        age = edge_or_random(rng, 14, 100, (21, 64, 65))
        by = c_year - age
        bm, bd = rand_md(rng)
        if rng.random() < 0.05:
            bm, bd = 2, 29
            while not (by % 4 == 0 and (by % 100 != 0 or by % 400 == 0)):
                by -= 1
            age = c_year - by
            if age > 100:
                by += 4
        # age at C is c_year - by (C is December 31)
        h_lo = by + 14
        hy = rng.randint(h_lo + 1, c_year) if c_year > h_lo else c_year
        hm, hd = rand_md(rng)
        if hy == h_lo or (hy == c_year and rng.random() < 0.2):
            hm, hd = 12, 31             # C itself (the 14th birthday is on or before it)
        cells = {
            "employee_id": ident,
            "birth_date": f"{by:04d}-{bm:02d}-{bd:02d}",
            "hire_date": f"{hy:04d}-{hm:02d}-{hd:02d}",
            "salary": salary_text(rng),
            "level_id": rng.choice(["", "1", "2", "3", "4", "5"]),
            "deferral_rate": rng.choice(["", "0", "0.0", "1", "0.06", "0.0001", "0.15", "0.5",
                                         "0.03"]),
            "auto_escalation_opt_out": rng.choice(["", "true", "false", "T", "n", "YES", "0"]),
            "termination_date": "",
            "active": rng.choice(["", "", "true", "yes", "1", "Y"]),
        }
        skipped = rng.random() < 0.1
        if skipped:
            if "termination_date" in cols:
                cells["termination_date"] = rng.choice(["2020-01-01", "x"])
            elif "active" in cols:
                cells["active"] = rng.choice(["no", "false", "0", "N"])
            else:
                skipped = False
        active += not skipped
        rows.append([cells[c] for c in cols])
    if active == 0:
        return gen_census(rng, start_year)
    eol = "\r\n" if rng.random() < 0.2 else "\n"
    out = []
    for row in [header] + rows:
        cells = []
        for cell in row:
            if cell and rng.random() < 0.08:
                cell = '"' + cell + '"'
            elif rng.random() < 0.05:
                cell = " " + cell + "\t"
            cells.append(cell)
        out.append(",".join(cells))
    text = eol.join(out) + eol
    if rng.random() < 0.1:
        text = "\ufeff" + text
    return text


def salary_text(rng):
    pick = rng.random()
    if pick < 0.1:
        return rng.choice(["0.01", "0.005", "1", "999999999.99", "85000", "500000"])
    if pick < 0.2:
        return f"{rng.randint(1, 9)}e{rng.randint(3, 6)}"
    cents = rng.randint(2_000_000, 40_000_000)
    return f"{cents // 100}.{cents % 100:02d}" if rng.random() < 0.5 else str(cents // 100)


def gen_case(seed):
    """(config yaml, census csv, override options, (start, end)) of one seed."""
    rng = random.Random(seed)
    sec, over, years = gen_config(rng)
    return config_yaml(rng, sec), gen_census(rng, years[0]), over, years


# ---- running a case ----------------------------------------------------------------

SAN_ENV = {"ASAN_OPTIONS": "detect_leaks=1:strict_string_checks=1",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"}


def run(args, env=None, timeout=1800):
    full = dict(os.environ)
    full.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    full.update(env or {})
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, env=full,
                          timeout=timeout)


def check_case(seed, work, wfsim, asan_wfsim):
    """Runs one case in `work`; returns None when both modes agree, else a
    description of the disagreement (with the seed)."""
    config, census, over, years = gen_case(seed)
    work.mkdir(parents=True, exist_ok=True)
    (work / "sim.yaml").write_text(config)
    (work / "census.csv").write_bytes(census.encode())
    base = ["--census", work / "census.csv", "--config", work / "sim.yaml", *over]
    where = (f"seed {seed} (replay: WFSIM_RANDOM_SEED={seed}; files in {work})\n"
             f"overrides: {over}\n--- sim.yaml\n{config}")

    san = run([asan_wfsim, "events", *base, "--out", work / "asan", "--snapshots",
               "--debug-csv", "--quiet", "--threads", "2"], env=SAN_ENV)
    if "Sanitizer" in san.stderr or "runtime error" in san.stderr:
        return f"sanitizer finding, {where}\n{san.stderr[-4000:]}"
    if san.returncode == 5:
        sql = run([wfsim, "run", "--mode", "sql", *base, "--out", work / "sql", "--quiet"])
        if sql.returncode != 5 or "SQL mode:" not in sql.stderr:
            return (f"the engine refused (exit 5) but SQL mode exited {sql.returncode}, "
                    f"{where}\nengine: {san.stderr[-1500:]}\nsql: {sql.stderr[-3000:]}")
        return None
    if san.returncode != 0:
        return f"the engine exited {san.returncode}, {where}\n{san.stderr[-3000:]}"
    par = run([wfsim, "parity", *base, "--out", work / "parity", "--show", "5"])
    if par.returncode != 0 or "parity: IDENTICAL" not in par.stdout:
        return (f"parity exited {par.returncode}, {where}\n{par.stdout[-4000:]}\n"
                f"{par.stderr[-3000:]}")
    return None


def asan_build(build):
    """The ASan+UBSan wfsim of `make test-sanitize`, built when missing."""
    path = ROOT / build / "asan" / "wfsim"
    proc = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), f"BUILD={build}",
                           "asan-wfsim"], capture_output=True, text=True)
    if proc.returncode != 0 or not path.exists():
        raise RuntimeError(f"building {path} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=0, help="run cases until this much time")
    ap.add_argument("--seed", type=int, help="first seed (default: from the clock)")
    ap.add_argument("--cases", type=int, default=1, help="cases when --minutes is 0")
    ap.add_argument("--keep", action="store_true", help="keep the work folders")
    ap.add_argument("--build", default=os.environ.get("WFSIM_BUILD", "build"))
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else int(time.time() * 1000) % 10**9
    wfsim = ROOT / args.build / "wfsim"
    asan = asan_build(args.build)
    deadline = time.monotonic() + args.minutes * 60
    done = 0
    while (done < args.cases) if args.minutes <= 0 else (time.monotonic() < deadline):
        work = pathlib.Path(tempfile.mkdtemp(prefix=f"wfsim-randparity-{seed}-"))
        t0 = time.monotonic()
        problem = check_case(seed, work, wfsim, asan)
        print(f"seed {seed}: {'FAILED' if problem else 'ok'} ({time.monotonic() - t0:.1f} s)",
              flush=True)
        if problem:
            print(problem)
            return 1
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        seed += 1
        done += 1
    print(f"{done} cases agreed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
