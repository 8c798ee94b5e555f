"""The workforce model of docs/model.md (sections 1-4 and 6) in Polars expressions.

This is the benchmark's peer implementation: the approach the original plan
proposed (a dataframe library, set-based), written to be as fast as Polars
allows, and checked equal to the C engine before it is timed
(check_equal.py). It is not a product: it trusts its inputs (the C engine's
loader is the validator, and check_equal.py / run_polars.py only feed it
files the engine accepts) and implements what the benchmark needs.

Shape of the computation, one simulation year at a time, each step a
handful of whole-column Polars operations over the workforce:

- S(y) arrives as a DataFrame (one row per employee, carried state).
- Values "for the year" (age, tenure, bands, segments, hazards, elig(e))
  are expressions; lookups in the small parameter tables are when/then
  chains or `replace_strict` maps built once.
- Keyed draws (docs/model.md 1) are computed only for the rows whose decision
  needs them: the keys are built with `concat_str`, and the MD5 of the
  whole key column is taken in one call (md5_bulk.py: `c-bulk`,
  `polars-expr` or `hashlib`; the method is reported with the result).
- Rankings (4.2, 4.5) are sorts on (key, employee_id); Polars compares
  strings bytewise, which is docs/model.md 0.3's tie order.
- Chronology (0.4) follows the same reading as docs/sqlmode.md: "active on
  d" is tested against the exit date drawn in 4.2 / 4.5, and the plan state
  on a day is the January 1 state changed by the (at most one) enrollment
  and (at most one) opt-out dated before it.
- Events are assembled per type, concatenated, numbered by (date, type) per
  employee, and typed as in docs/model.md 5.1.

Public entry points: `load_inputs(...)` and `simulate(inputs, hasher)`,
`write_events(...)`, `write_snapshots(...)`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import math
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, ROUND_HALF_UP

import polars as pl

# python/ goes last: wfsim_schema is found there, while `import wfsim`
# still finds the installed package (with its compiled engine), not the
# source tree's copy of it.
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import wfsim_schema  # noqa: E402 (the lists of src/common/wf_schema.h)

U32 = 4294967296.0
TYPE_RANK = wfsim_schema.TYPE_RANK
EVENT_COLUMNS = wfsim_schema.names(wfsim_schema.EVENT_COLUMNS)


# ---------------------------------------------------------------- inputs

def units(text: str, scale: int) -> int:
    """Exact decimal text to integer units of 10^-scale, half away from zero."""
    return int(Decimal(text.strip()).scaleb(scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _read_table(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [{k.strip(): (v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


@dataclass
class Tables:
    """The parameter tables of docs/model.md 2.3, typed."""
    levels: list[dict]
    age_bands: list[tuple]        # (label, lo, hi)
    tenure_bands: list[tuple]
    hazard: dict                  # (hazard, dimension, label) -> double
    hire_ages: list[tuple]        # (age, cumulative ppm)
    hire_age_total: int
    age_segments: list[tuple]     # (label, lo, hi)
    income_segments: list[tuple]  # (label, lo_cents, hi_cents)
    behaviour: dict               # (age_seg, income_seg) -> dict


def load_tables(seed_dir: str) -> Tables:
    lv = []
    for r in _read_table(os.path.join(seed_dir, "levels.csv")):
        lv.append({"level_id": int(r["level_id"]), "min": int(r["min_compensation"]),
                   "max": int(r["max_compensation"]),
                   "termination_base": float(r["termination_base"]),
                   "promotion_base": float(r["promotion_base"]),
                   "merit_rate": float(r["merit_rate"]),
                   "new_hire_percentile": float(r["new_hire_percentile"]),
                   "mix_ppm": units(r["new_hire_mix"], 6)})
    lv.sort(key=lambda d: d["level_id"])

    def bands(name):
        rows = _read_table(os.path.join(seed_dir, name))
        return sorted(((r["band_label"], int(r["min_value"]), int(r["max_value"])) for r in rows),
                      key=lambda t: t[1])
    hz = {(r["hazard"], r["dimension"], r["band_label"]): float(r["multiplier"])
          for r in _read_table(os.path.join(seed_dir, "hazard_multipliers.csv"))}
    ages = sorted((int(r["age"]), units(r["weight"], 6))
                  for r in _read_table(os.path.join(seed_dir, "new_hire_ages.csv")))
    cum, acc = [], 0
    for a, w in ages:
        acc += w
        cum.append((a, acc))
    aseg = sorted(((r["age_segment"], int(r["min_age"]), int(r["max_age"]))
                   for r in _read_table(os.path.join(seed_dir, "age_segments.csv"))), key=lambda t: t[1])
    iseg = sorted(((r["income_segment"], int(r["min_salary"]) * 100, int(r["max_salary"]) * 100)
                   for r in _read_table(os.path.join(seed_dir, "income_segments.csv"))), key=lambda t: t[1])
    beh = {}
    for r in _read_table(os.path.join(seed_dir, "enrollment_behaviour.csv")):
        beh[(r["age_segment"], r["income_segment"])] = {
            "vp": float(r["voluntary_probability"]), "cp": float(r["conversion_probability"]),
            "vd": units(r["voluntary_deferral_rate"], 4), "op": float(r["opt_out_probability"])}
    return Tables(lv, bands("age_bands.csv"), bands("tenure_bands.csv"), hz, cum, acc,
                  aseg, iseg, beh)


def load_config(wfsim: str, config_path: str | None, overrides: list[str] | None = None) -> dict:
    """The effective configuration: the engine's canonical JSON (docs/config.md).

    `overrides` are passed to `wfsim config` as they are (--start, --end,
    --seed, --scenario, --plan), so they mean what they mean to the engine."""
    cmd = [wfsim, "config"] + (["--config", config_path] if config_path else []) + list(overrides or [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


_ALIASES = {"employee_id": "employee_id", "birth_date": "birth_date", "employee_birth_date": "birth_date",
            "hire_date": "hire_date", "employee_hire_date": "hire_date",
            "salary": "salary", "employee_gross_compensation": "salary",
            "termination_date": "termination_date", "employee_termination_date": "termination_date",
            "active": "active", "level_id": "level_id", "deferral_rate": "deferral_rate",
            "employee_deferral_rate": "deferral_rate", "auto_escalation_opt_out": "auto_escalation_opt_out"}
_TRUE = ["true", "t", "yes", "y", "1"]


def _units_expr(col: pl.Expr, scale: int) -> pl.Expr:
    """Plain decimal text (digits, optional fraction) to units of 10^-scale, exactly."""
    parts = col.str.strip_chars().str.split_exact(".", 1)
    ip = parts.struct.field("field_0")
    fp = parts.struct.field("field_1").fill_null("")
    whole = pl.when(ip == "").then(pl.lit("0")).otherwise(ip).cast(pl.Int64)
    frac = fp.str.pad_end(scale + 1, "0")
    kept = frac.str.slice(0, scale)
    kept_v = pl.when(kept == "").then(0).otherwise(kept.cast(pl.Int64)) if scale else pl.lit(0, pl.Int64)
    rnd = (frac.str.slice(scale, 1) >= "5").cast(pl.Int64)
    return whole * (10 ** scale) + kept_v + rnd


def load_census(path: str, cfg: dict, tables: Tables) -> pl.DataFrame:
    """S(start_year): the active census rows with their plan state (docs/model.md 2.1)."""
    raw = pl.read_csv(path, infer_schema=False, encoding="utf8")
    ren = {}
    for c in raw.columns:
        k = c.strip().lower()
        if k in _ALIASES:
            ren[c] = _ALIASES[k]
    df = raw.select([pl.col(c).str.strip_chars().alias(n) for c, n in ren.items()])
    for opt in ("termination_date", "active", "level_id", "deferral_rate", "auto_escalation_opt_out"):
        if opt not in df.columns:
            df = df.with_columns(pl.lit(None, pl.String).alias(opt))
    df = df.with_columns([pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c)
                          for c in df.columns])
    df = df.filter(pl.col("termination_date").is_null()
                   & (pl.col("active").is_null() | pl.col("active").str.to_lowercase().is_in(_TRUE)))
    plain = r"^[0-9]*(\.[0-9]*)?$"
    if not df.select(pl.col("salary").str.contains(plain).all()
                     & pl.col("deferral_rate").fill_null("0").str.contains(plain).all()).item():
        # exponents or signs: exact conversion per cell (rare; the generator never writes them)
        sal = pl.col("salary").map_elements(lambda t: units(t, 2), return_dtype=pl.Int64)
        dfr = pl.col("deferral_rate").fill_null("0").map_elements(lambda t: units(t, 4), return_dtype=pl.Int64)
    else:
        sal = _units_expr(pl.col("salary"), 2)
        dfr = _units_expr(pl.col("deferral_rate").fill_null("0"), 4)
    cdate = _dt.date(cfg["simulation"]["start_year"] - 1, 12, 31)
    maxes = [(l["level_id"], l["max"] * 100) for l in tables.levels]
    derive = pl.lit(maxes[-1][0], pl.Int32)
    for lid, mx in reversed(maxes):
        derive = pl.when(pl.col("salary_cents") < mx).then(pl.lit(lid, pl.Int32)).otherwise(derive)
    df = df.select(
        pl.col("employee_id"),
        pl.col("birth_date").str.to_date("%Y-%m-%d"),
        pl.col("hire_date").str.to_date("%Y-%m-%d"),
        sal.alias("salary_cents"),
        pl.col("level_id").cast(pl.Int32).alias("level_given"),
        dfr.alias("deferral_bp"),
        pl.col("auto_escalation_opt_out").fill_null("false").str.to_lowercase().is_in(_TRUE)
        .alias("auto_escalation_opt_out"),
    ).with_columns(pl.coalesce(pl.col("level_given"), derive).alias("level_id")).drop("level_given")
    enrolled = pl.col("deferral_bp") > 0
    return df.select(
        "employee_id", "birth_date", "hire_date", "level_id", "salary_cents", "deferral_bp",
        enrolled.alias("enrolled"),
        pl.when(enrolled).then(pl.lit(cdate)).otherwise(None).cast(pl.Date).alias("enrollment_date"),
        pl.when(enrolled).then(pl.lit("census")).otherwise(None).cast(pl.String).alias("enrollment_source"),
        pl.lit(False).alias("ever_opted_out"),
        "auto_escalation_opt_out",
        pl.lit(None, pl.Date).alias("pending_optout_date"),
        pl.lit(None, pl.Float64).alias("pending_optout_p"),
    ).sort("employee_id")


@dataclass
class Inputs:
    cfg: dict
    tables: Tables
    census: pl.DataFrame


def load_inputs(census: str, config: str | None, seeds: str, wfsim: str) -> Inputs:
    cfg = load_config(wfsim, config)
    tables = load_tables(seeds)
    return Inputs(cfg, tables, load_census(census, cfg, tables))


# ---------------------------------------------------------------- date helpers

def _md(d: pl.Expr) -> pl.Expr:
    return d.dt.month().cast(pl.Int32) * 100 + d.dt.day().cast(pl.Int32)


def years_between(frm: pl.Expr, d: pl.Expr) -> pl.Expr:
    """Completed years from `frm` to `d` (docs/model.md 3); 0 when frm > d."""
    y = d.dt.year().cast(pl.Int32) - frm.dt.year().cast(pl.Int32) - (_md(frm) > _md(d)).cast(pl.Int32)
    return pl.when(frm > d).then(pl.lit(0, pl.Int32)).otherwise(y)


def _is_leap(y: pl.Expr) -> pl.Expr:
    return ((y % 4) == 0) & (((y % 100) != 0) | ((y % 400) == 0))


def add_years(d: pl.Expr, n) -> pl.Expr:
    """Same month and day n years later; a 29 February that does not exist is 28 February."""
    y2 = d.dt.year().cast(pl.Int32) + n
    m = d.dt.month()
    day = d.dt.day()
    day2 = pl.when((m == 2) & (day == 29) & ~_is_leap(y2)).then(pl.lit(28, pl.Int8)).otherwise(day)
    return pl.date(y2, m, day2)


def add_days(d: pl.Expr, n) -> pl.Expr:
    return (d.cast(pl.Int32) + n).cast(pl.Date)


def _mmdd(y: int, md: str) -> _dt.date:
    return _dt.date(y, int(md[0:2]), int(md[3:5]))


def _band_expr(v: pl.Expr, bands: list[tuple]) -> pl.Expr:
    """Label of the band holding v (min <= v < max); a hash lookup over 0..998."""
    m = {i: label for label, lo, hi in bands for i in range(max(lo, 0), min(hi, 999))}
    return v.replace_strict(m, return_dtype=pl.String)


def _mult_expr(v: pl.Expr, bands: list[tuple], hz: dict, hazard: str, dim: str) -> pl.Expr:
    """Hazard multiplier of the band holding v."""
    m = {i: hz[(hazard, dim, label)] for label, lo, hi in bands for i in range(max(lo, 0), min(hi, 999))}
    return v.replace_strict(m, return_dtype=pl.Float64)


# ---------------------------------------------------------------- the simulation

@dataclass
class YearResult:
    year: int
    events: pl.DataFrame
    snapshot: pl.DataFrame
    needs: dict


@dataclass
class Sim:
    cfg: dict
    t: Tables
    hasher: object
    seed: int = 0
    results: list = field(default_factory=list)
    prof: dict = field(default_factory=dict)   # stage -> [wall, cpu] seconds

    @contextmanager
    def stage(self, name: str):
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            acc = self.prof.setdefault(name, [0.0, 0.0])
            acc[0] += time.perf_counter() - w0
            acc[1] += time.process_time() - c0

    # keyed draws -------------------------------------------------------
    def x_of(self, ids: pl.Series, stream: str, y: int) -> pl.Series:
        """x(e, y, stream) for every id of `ids` (docs/model.md 1), one bulk MD5 call."""
        keys = ids.to_frame("id").select(pl.concat_str([pl.lit("%d|" % self.seed), pl.col("id"),
                                                        pl.lit("|%d|%s" % (y, stream))]).alias("k")).to_series()
        with self.stage("md5"):
            return self.hasher.x(keys)

    def u_on(self, df: pl.DataFrame, mask: pl.Expr, stream: str, y: int, name: str) -> pl.DataFrame:
        """Adds column `name` = u(e, y, stream) on rows where mask holds (null elsewhere)."""
        idx = df.select(mask.fill_null(False).arg_true()).to_series()
        full = pl.repeat(None, df.height, dtype=pl.Float64, eager=True).alias(name)
        if len(idx):
            x = self.x_of(df.get_column("employee_id").gather(idx), stream, y)
            full = full.scatter(idx, x.cast(pl.Float64) / U32)
        return df.with_columns(full)

    def pick_on(self, df: pl.DataFrame, mask: pl.Expr, stream: str, y: int, n, name: str) -> pl.DataFrame:
        """Adds column `name` = pick(e, y, stream, n) on rows where mask holds; n an int or a column."""
        idx = df.select(mask.fill_null(False).arg_true()).to_series()
        full = pl.repeat(None, df.height, dtype=pl.Int64, eager=True).alias(name)
        if len(idx):
            x = self.x_of(df.get_column("employee_id").gather(idx), stream, y).cast(pl.UInt64)
            nn = pl.lit(n, pl.UInt64) if isinstance(n, int) else pl.lit(df.get_column(n).gather(idx).cast(pl.UInt64))
            v = x.to_frame("x").select(((pl.col("x") * nn) // (1 << 32)).cast(pl.Int64)).to_series()
            full = full.scatter(idx, v)
        return df.with_columns(full)

    # lookups -------------------------------------------------------------
    def lvl(self, key: str, col: str = "level_id", dtype=pl.Float64) -> pl.Expr:
        return pl.col(col).replace_strict({l["level_id"]: l[key] for l in self.t.levels},
                                          return_dtype=dtype)

    def behaviour(self, age: pl.Expr, cents: pl.Expr) -> list[pl.Expr]:
        """vp, cp, vd, op of the (age segment, income segment) cell; null above the top income segment."""
        t = self.t
        ni = len(t.income_segments)
        aidx = age.replace_strict({a: i for i, (_, lo, hi) in enumerate(t.age_segments)
                                   for a in range(max(lo, 0), min(hi, 999))}, default=None, return_dtype=pl.Int32)
        iidx = pl.lit(None, pl.Int32)
        for i, (_, lo, hi) in reversed(list(enumerate(t.income_segments))):
            iidx = pl.when((cents >= lo) & (cents < hi)).then(pl.lit(i, pl.Int32)).otherwise(iidx)
        cell = aidx * ni + iidx
        out = []
        for key, dtype in (("vp", pl.Float64), ("cp", pl.Float64), ("vd", pl.Int64), ("op", pl.Float64)):
            m = {ai * ni + ii: t.behaviour[(al, il)][key]
                 for ai, (al, _, _) in enumerate(t.age_segments) for ii, (il, _, _) in enumerate(t.income_segments)}
            out.append(cell.replace_strict(m, default=None, return_dtype=dtype).alias(key))
        return out

    def elig(self) -> pl.Expr:
        e = self.cfg["eligibility"]
        return pl.max_horizontal(add_days(pl.col("hire_date"), e["waiting_period_days"]),
                                 add_years(pl.col("birth_date"), e["minimum_age"]))

    @staticmethod
    def active(d) -> pl.Expr:
        d = pl.lit(d) if isinstance(d, _dt.date) else d
        return (pl.col("hire_date") <= d) & (pl.col("exit_date").is_null() | (pl.col("exit_date") > d))

    def segment_check(self, df: pl.DataFrame, y: int, when: str) -> None:
        bad = df.filter(pl.col("vp").is_null())
        if bad.height:
            r = bad.row(0, named=True)
            raise RuntimeError("salary of %s %s %d is at or above the top income segment maximum (%d cents)"
                               % (r["employee_id"], when, y, r["salary_cents"]))

    # one year --------------------------------------------------------------
    def run(self, census: pl.DataFrame) -> list[YearResult]:
        c = self.cfg
        sim = c["simulation"]
        self.seed = sim["random_seed"]
        bands = {l["level_id"]: (l["min"] * 100, l["max"] * 100) for l in self.t.levels}
        growth = c["compensation"]["salary_structure_growth"]
        state = census
        for y in range(sim["start_year"], sim["end_year"] + 1):
            with self.stage("year"):
                res, state = self.year(y, state, bands)
            self.results.append(res)
            bands = {k: (round_half_away(v[0] * (1.0 + growth)), round_half_away(v[1] * (1.0 + growth)))
                     for k, v in bands.items()}
        return self.results

    def year(self, y: int, s: pl.DataFrame, bands: dict):
        c = self.cfg
        wf, comp, ae = c["workforce"], c["compensation"], c["auto_enrollment"]
        ve, esc = c["voluntary_enrollment"], c["auto_escalation"]
        t = self.t
        jan1, dec31 = _dt.date(y, 1, 1), _dt.date(y, 12, 31)
        diy = (dec31 - jan1).days + 1
        top_level = max(l["level_id"] for l in t.levels)

        # values for the year (docs/model.md 3) --------------------------------
        s = s.with_columns(
            self.elig().alias("elig_date"),
            years_between(pl.col("birth_date"), pl.lit(jan1)).alias("age_y"),
            years_between(pl.col("hire_date"), pl.lit(jan1)).alias("tenure_y"),
        ).with_columns(
            ((self.lvl("termination_base")
              * _mult_expr(pl.col("age_y"), t.age_bands, t.hazard, "termination", "age"))
             * _mult_expr(pl.col("tenure_y"), t.tenure_bands, t.hazard, "termination", "tenure"))
            .alias("hazard"),
            *self.behaviour(pl.col("age_y"), pl.col("salary_cents")),
        )
        self.segment_check(s, y, "at January 1 of")

        # 4.1 retirements and needs -----------------------------------------
        s = self.u_on(s, pl.col("age_y") >= wf["retirement_age"], "retirement", y, "u_ret")
        s = s.with_columns((pl.col("u_ret") < wf["retirement_probability"]).fill_null(False).alias("retires"))
        n = s.height
        p = s.select((pl.col("hire_date").dt.year() == y - 1).sum()).item()
        r = s.select(pl.col("retires").sum()).item()
        needs = workforce_needs(n, p, r, wf["target_growth_rate_ppm"], wf["termination_rate_ppm"],
                                wf["new_hire_termination_rate_ppm"])

        # 4.2 experienced terminations --------------------------------------
        s = self.u_on(s, ~pl.col("retires"), "termination", y, "u_term")
        # S(y) rows are in employee_id order (the census is sorted, and so is
        # every year's workforce), so the row number breaks ties by id.
        k = pl.when(~pl.col("retires")).then(pl.col("u_term") / pl.col("hazard"))
        first = s.select(pl.arg_sort_by([k, pl.int_range(pl.len())], nulls_last=True)
                         .head(needs["Te"])).to_series()
        s = s.with_columns(pl.repeat(False, s.height, eager=True).scatter(first, True).alias("term_exp"))
        s = self.pick_on(s, pl.col("retires") | pl.col("term_exp"), "termination_date", y, diy, "exit_pick")
        s = s.with_columns(
            add_days(pl.lit(jan1), pl.col("exit_pick")).alias("exit_date"),
            pl.when(pl.col("retires")).then(pl.lit("retirement"))
            .when(pl.col("term_exp")).then(pl.lit("experienced_termination"))
            .otherwise(None).alias("exit_category"),
            pl.when(pl.col("retires")).then(pl.lit(wf["retirement_probability"], pl.Float64))
            .when(pl.col("term_exp")).then(pl.col("hazard")).otherwise(None).alias("exit_probability"),
            pl.lit(False).alias("is_hire"),
            (self.lvl("promotion_base")
             * _mult_expr(pl.col("age_y"), t.age_bands, t.hazard, "promotion", "age")).alias("pb_am"),
            _mult_expr(pl.col("tenure_y"), t.tenure_bands, t.hazard, "promotion", "tenure").alias("pm_t"),
        )

        # 4.4 hires, 4.5 new-hire terminations -----------------------------
        with self.stage("hires"):
            h = self.hires(y, needs, bands, jan1, dec31, diy)

        keep = ["employee_id", "birth_date", "hire_date", "level_id", "salary_cents", "deferral_bp",
                "enrolled", "enrollment_date", "enrollment_source", "ever_opted_out",
                "auto_escalation_opt_out", "pending_optout_date", "pending_optout_p", "is_hire",
                "elig_date", "age_y", "tenure_y", "vp", "cp", "vd", "op", "pb_am", "pm_t",
                "exit_date", "exit_category", "exit_probability"]
        w = pl.concat([s.select(keep), h.select(keep)], how="vertical").sort("employee_id") \
            .with_row_index("eid")

        # 4.3 promotions ----------------------------------------------------
        pdate, mdate = _mmdd(y, comp["promotion_date"]), _mmdd(y, comp["merit_date"])
        w = w.with_columns(
            pl.min_horizontal(pl.lit(1.0), pl.col("pb_am") * pl.col("pm_t")).alias("promo_p"),
            (~pl.col("is_hire") & (pl.col("level_id") < top_level) & (pl.col("tenure_y") >= 1)
             & (pl.col("age_y") < 65) & self.active(pdate)).alias("promo_elig"),
        )
        w = self.u_on(w, pl.col("promo_elig"), "promotion", y, "u_promo")
        w = w.with_columns((pl.col("promo_elig") & (pl.col("u_promo") < pl.col("promo_p")))
                           .fill_null(False).alias("promoted"))
        w = self.u_on(w, pl.col("promoted"), "promotion_raise", y, "u_praise")
        raise_r = comp["promotion_raise_mean"] + comp["promotion_raise_spread"] * (
            2.0 * pl.col("u_praise") - 1.0)
        w = w.with_columns(
            (pl.col("level_id") + pl.col("promoted").cast(pl.Int32)).cast(pl.Int32).alias("level_after"),
            pl.when(pl.col("promoted"))
            .then((pl.col("salary_cents").cast(pl.Float64) * (1.0 + raise_r))
                  .round(0, mode="half_away_from_zero").cast(pl.Int64))
            .otherwise(pl.col("salary_cents")).alias("salary_promo"),
        )

        # 4.6 merit and COLA ------------------------------------------------
        w = w.with_columns(
            (~pl.col("is_hire") & self.active(mdate)).alias("merit_elig"),
            self.lvl("merit_rate", "level_after").alias("merit_rate"),
            pl.col("level_after").replace_strict({k: v[1] for k, v in bands.items()},
                                                 return_dtype=pl.Int64).alias("band_max"),
        )
        w = self.u_on(w, pl.col("merit_elig") & (pl.col("salary_promo") < pl.col("band_max")),
                      "merit", y, "u_merit")
        w = w.with_columns(
            pl.when(pl.col("u_merit") < comp["merit_probability"]).then(pl.col("merit_rate"))
            .otherwise(0.0).fill_null(0.0).alias("m"))
        w = w.with_columns(
            pl.when(pl.col("merit_elig"))
            .then((pl.col("salary_promo").cast(pl.Float64) * ((1.0 + pl.col("m")) + comp["cola_rate"]))
                  .round(0, mode="half_away_from_zero").cast(pl.Int64))
            .otherwise(pl.col("salary_promo")).alias("salary_raise"))

        # 4.7 eligibility, 4.8 enrollment -----------------------------------
        vdate, edate = _mmdd(y, ve["enrollment_date"]), _mmdd(y, esc["effective_date"])
        a_date = add_days(pl.col("elig_date"), ae["window_days"])
        cutoff = _dt.date.fromisoformat(ae["hire_date_cutoff"])
        w = w.with_columns(
            (pl.col("salary_raise") != pl.col("salary_promo")).alias("raised"),
            ((pl.col("elig_date").dt.year() == y) & self.active(pl.col("elig_date"))).alias("elig_event"),
            a_date.alias("auto_date"),
            (pl.lit(ae["enabled"]) & (pl.col("hire_date") >= cutoff) & ~pl.col("enrolled")
             & ~pl.col("ever_opted_out") & (a_date.dt.year() == y) & self.active(a_date)).alias("auto_event"),
            add_days(pl.col("elig_date"), ae["window_days"] + ae["opt_out_grace_days"]).alias("oo_new"),
        )
        w = w.with_columns(
            (pl.lit(ve["enabled"]) & (pl.col("elig_date").dt.year() == y) & ~pl.col("enrolled")
             & ~pl.col("auto_event") & self.active(pl.col("elig_date"))).alias("vol_cand"),
            (pl.lit(ve["enabled"]) & (pl.col("elig_date") < jan1) & ~pl.col("enrolled")
             & ~pl.col("auto_event") & self.active(vdate)).alias("conv_cand"),
        )
        w = self.u_on(w, pl.col("vol_cand"), "voluntary_enrollment", y, "u_vol")
        w = self.u_on(w, pl.col("conv_cand"), "enrollment_conversion", y, "u_conv")
        w = self.u_on(w, pl.col("auto_event"), "opt_out", y, "u_oo")
        w = w.with_columns(
            (pl.col("vol_cand") & (pl.col("u_vol") < pl.col("vp"))).fill_null(False).alias("vol_yes"),
            (pl.col("conv_cand") & (pl.col("u_conv") < pl.col("cp"))).fill_null(False).alias("conv_yes"),
            (pl.col("auto_event") & (pl.col("u_oo") < pl.col("op"))).fill_null(False).alias("opts_out"),
        )
        volconv = pl.col("vol_yes") | pl.col("conv_yes")
        pend_in_y = pl.col("pending_optout_date").is_not_null() & (pl.col("pending_optout_date").dt.year() == y)
        w = w.with_columns(
            (pl.col("auto_event") | volconv).alias("enr_event"),
            pl.when(pl.col("auto_event")).then(pl.col("auto_date"))
            .when(pl.col("vol_yes")).then(pl.col("elig_date"))
            .when(pl.col("conv_yes")).then(pl.lit(vdate)).otherwise(None).alias("enr_date"),
            pl.when(pl.col("auto_event")).then(pl.lit("auto_enrollment"))
            .when(volconv).then(pl.lit("voluntary_enrollment")).otherwise(None).alias("enr_category"),
            pl.when(pl.col("auto_event")).then(pl.lit(ae["default_deferral_rate_bp"], pl.Int64))
            .when(volconv).then(pl.col("vd")).otherwise(None).alias("enr_deferral"),
            pl.when(pl.col("auto_event")).then(pl.lit("auto"))
            .when(volconv).then(pl.lit("voluntary")).otherwise(None).alias("enr_source"),
            pl.when(pl.col("auto_event")).then(None)
            .when(pl.col("vol_yes")).then(pl.col("vp"))
            .when(pl.col("conv_yes")).then(pl.col("cp")).otherwise(None).alias("enr_probability"),
            pl.when(pend_in_y & pl.col("enrolled") & self.active(pl.col("pending_optout_date")))
            .then(pl.col("pending_optout_date"))
            .when(pl.col("opts_out") & (pl.col("oo_new").dt.year() == y) & self.active(pl.col("oo_new")))
            .then(pl.col("oo_new")).otherwise(None).alias("oo_date"),
            pl.when(pend_in_y).then(pl.col("pending_optout_p")).otherwise(pl.col("op")).alias("oo_probability"),
        )

        # 4.9 escalation: plan state on E ---------------------------------
        cap, inc = esc["cap_bp"], esc["increment_bp"]
        enr_le = pl.col("enr_event") & (pl.col("enr_date") <= edate)
        oo_le = pl.col("oo_date").is_not_null() & (pl.col("oo_date") <= edate)
        w = w.with_columns(
            pl.when(oo_le).then(False).when(enr_le).then(True).otherwise(pl.col("enrolled")).alias("enrolled_e"),
            pl.when(oo_le).then(pl.lit(0, pl.Int64)).when(enr_le).then(pl.col("enr_deferral"))
            .otherwise(pl.col("deferral_bp")).alias("deferral_e"),
            pl.when(enr_le).then(pl.col("enr_source")).otherwise(pl.col("enrollment_source")).alias("source_e"),
            pl.when(enr_le).then(pl.col("enr_date")).otherwise(pl.col("enrollment_date")).alias("enr_date_e"),
        )
        scope_ok = (pl.col("source_e") == "auto").fill_null(False) if esc["scope"] == "auto_enrolled" else pl.lit(True)
        w = w.with_columns(
            (pl.lit(esc["enabled"]) & pl.col("enrolled_e") & scope_ok
             & (pl.col("deferral_e") > 0) & (pl.col("deferral_e") < cap)
             & (add_years(pl.col("enr_date_e"), esc["delay_years"]) <= edate).fill_null(False)
             & ~pl.col("auto_escalation_opt_out") & self.active(edate)).alias("esc_event"),
            pl.min_horizontal(pl.lit(cap, pl.Int64), pl.col("deferral_e") + inc).alias("esc_deferral"),
        )
        oo = pl.col("oo_date").is_not_null()
        w = w.with_columns(
            pl.when(~oo).then(None)
            .when(pl.col("esc_event") & (pl.lit(edate) < pl.col("oo_date"))).then(pl.col("esc_deferral"))
            .when(pl.col("enr_event") & (pl.col("enr_date") <= pl.col("oo_date"))).then(pl.col("enr_deferral"))
            .otherwise(pl.col("deferral_bp")).alias("oo_prev"),
            pl.when(oo).then(False).when(pl.col("enr_event")).then(True).otherwise(pl.col("enrolled"))
            .alias("enrolled_end"),
            pl.when(oo).then(pl.lit(0, pl.Int64)).when(pl.col("esc_event")).then(pl.col("esc_deferral"))
            .when(pl.col("enr_event")).then(pl.col("enr_deferral")).otherwise(pl.col("deferral_bp"))
            .alias("deferral_end"),
            pl.when(pl.col("enr_event")).then(pl.col("enr_source")).otherwise(pl.col("enrollment_source"))
            .alias("source_end"),
            pl.when(pl.col("enr_event")).then(pl.col("enr_date")).otherwise(pl.col("enrollment_date"))
            .alias("enr_date_end"),
            (pl.col("ever_opted_out") | oo).alias("opted_end"),
            pl.when(pl.col("raised")).then(pl.col("salary_raise")).otherwise(pl.col("salary_promo"))
            .alias("salary_end"),
            pl.when(pl.col("opts_out") & (pl.col("oo_new").dt.year() == y + 1) & pl.col("exit_date").is_null())
            .then(pl.col("oo_new")).otherwise(None).alias("next_oo_date"),
            pl.when(pl.col("opts_out") & (pl.col("oo_new").dt.year() == y + 1) & pl.col("exit_date").is_null())
            .then(pl.col("op")).otherwise(None).alias("next_oo_p"),
        )

        with self.stage("events"):
            events = self.events(y, w, pdate, mdate, edate, comp["merit_probability"])
        snapshot = w.select(
            "employee_id",
            pl.when(pl.col("exit_date").is_null()).then(pl.lit("active")).otherwise(pl.lit("terminated"))
            .alias("employment_status"),
            "birth_date", "hire_date", pl.col("exit_date").alias("termination_date"),
            pl.col("level_after").alias("level_id"), pl.col("salary_end").alias("salary_cents"),
            pl.col("elig_date").alias("eligibility_date"), pl.col("enrolled_end").alias("is_enrolled"),
            pl.col("deferral_end").alias("deferral_bp"), pl.col("source_end").alias("enrollment_source"),
            pl.col("opted_end").alias("ever_opted_out"),
        ).sort("employee_id")
        nxt = w.filter(pl.col("exit_date").is_null()).select(
            "employee_id", "birth_date", "hire_date", pl.col("level_after").alias("level_id"),
            pl.col("salary_end").alias("salary_cents"), pl.col("deferral_end").alias("deferral_bp"),
            pl.col("enrolled_end").alias("enrolled"), pl.col("enr_date_end").alias("enrollment_date"),
            pl.col("source_end").alias("enrollment_source"), pl.col("opted_end").alias("ever_opted_out"),
            "auto_escalation_opt_out",
            pl.col("next_oo_date").alias("pending_optout_date"), pl.col("next_oo_p").alias("pending_optout_p"),
        )
        return YearResult(y, events, snapshot, needs), nxt

    def hires(self, y, needs, bands, jan1, dec31, diy) -> pl.DataFrame:
        t, comp = self.t, self.cfg["compensation"]
        hcount, tnh = needs["H"], needs["Tnh"]
        # level allocation by largest remainder
        ws = [(l["level_id"], l["mix_ppm"]) for l in t.levels]
        total = sum(w for _, w in ws)
        q = {lid: hcount * w // total for lid, w in ws}
        rem = sorted(ws, key=lambda lw: (-(hcount * lw[1] % total), lw[0]))
        left = hcount - sum(q.values())
        for lid, _ in rem[:left]:
            q[lid] += 1
        lvl_list = []
        for lid, _ in ws:
            lvl_list.append(pl.repeat(pl.lit(lid, pl.Int32), q[lid], eager=True))
        levels = pl.concat(lvl_list) if lvl_list else pl.Series([], dtype=pl.Int32)
        h = pl.DataFrame({"s": pl.int_range(1, hcount + 1, eager=True, dtype=pl.Int64),
                          "level_id": levels.cast(pl.Int32)})
        h = h.with_columns(pl.format("NH_{}_{}", pl.lit(y), pl.col("s").cast(pl.String).str.zfill(6))
                           .alias("employee_id"))
        every = pl.col("s").is_not_null()
        h = self.pick_on(h, every, "hire_date", y, diy, "hd_pick")
        h = self.pick_on(h, every, "hire_age", y, t.hire_age_total, "age_pick")
        h = self.pick_on(h, every, "hire_birth_day", y, 365, "bd_pick")
        h = self.u_on(h, every, "hire_salary", y, "u_sal")
        age = pl.lit(None, pl.Int32)
        for a, cum in reversed(t.hire_ages):
            age = pl.when(pl.col("age_pick") < cum).then(pl.lit(a, pl.Int32)).otherwise(age)
        f = (self.lvl("new_hire_percentile") + comp["new_hire_salary_spread"] * (2.0 * pl.col("u_sal") - 1.0)) \
            .clip(0.0, 1.0)
        bmin = pl.col("level_id").replace_strict({k: v[0] for k, v in bands.items()}, return_dtype=pl.Float64)
        bmax = pl.col("level_id").replace_strict({k: v[1] for k, v in bands.items()}, return_dtype=pl.Float64)
        h = h.with_columns(add_days(pl.lit(jan1), pl.col("hd_pick")).alias("hire_date"), age.alias("hire_age"),
                           (bmin + (bmax - bmin) * f).round(0, mode="half_away_from_zero").cast(pl.Int64)
                           .alias("salary_cents"))
        h = h.with_columns(add_days(add_years(pl.col("hire_date"), -pl.col("hire_age")), -pl.col("bd_pick"))
                           .alias("birth_date"))
        # 4.5 new-hire terminations
        cand = pl.col("hire_date") < dec31
        h = self.u_on(h, cand, "new_hire_termination", y, "u_nht")
        chosen = h.filter(cand).select("employee_id", "u_nht").sort(["u_nht", "employee_id"]).head(tnh)
        h = h.with_columns(pl.col("employee_id").is_in(chosen["employee_id"]).alias("nht"))
        h = h.with_columns((pl.lit(dec31) - pl.col("hire_date")).dt.total_days().alias("nht_n"))
        h = self.pick_on(h, pl.col("nht"), "new_hire_termination_date", y, "nht_n", "nht_pick")
        needs["Tnh_actual"] = chosen.height
        h = h.with_columns(
            add_days(add_days(pl.col("hire_date"), 1), pl.col("nht_pick")).alias("exit_date"),
            years_between(pl.col("birth_date"), pl.col("hire_date")).alias("age_y"),
        )
        h = h.with_columns(
            pl.when(pl.col("nht")).then(pl.lit("new_hire_termination")).otherwise(None).alias("exit_category"),
            pl.lit(None, pl.Float64).alias("exit_probability"),
            pl.lit(True).alias("is_hire"), pl.lit(0, pl.Int64).alias("deferral_bp"),
            pl.lit(False).alias("enrolled"), pl.lit(None, pl.Date).alias("enrollment_date"),
            pl.lit(None, pl.String).alias("enrollment_source"), pl.lit(False).alias("ever_opted_out"),
            pl.lit(False).alias("auto_escalation_opt_out"), pl.lit(None, pl.Date).alias("pending_optout_date"),
            pl.lit(None, pl.Float64).alias("pending_optout_p"),
            self.elig().alias("elig_date"), pl.lit(0, pl.Int32).alias("tenure_y"),
            pl.lit(None, pl.Float64).alias("pb_am"), pl.lit(None, pl.Float64).alias("pm_t"),
            *self.behaviour(pl.col("age_y"), pl.col("salary_cents")),
        )
        self.segment_check(h, y, "at hire in")
        return h

    def events(self, y, w, pdate, mdate, edate, merit_p) -> pl.DataFrame:
        person = ["eid", "birth_date", "hire_date", "level_id", "level_after", "salary_cents", "salary_promo",
                  "salary_raise", "promoted", "raised"]
        nI, nL, nF = pl.lit(None, pl.Int32), pl.lit(None, pl.Int64), pl.lit(None, pl.Float64)

        def part(mask, etype, cat, date, prev_level=nI, prev_cents=nL, deferral=nL, prev_def=nL, prob=nF):
            return w.filter(mask).select(
                "employee_id", pl.lit(etype).alias("event_type"), cat.alias("event_category"),
                date.alias("event_date"), prev_level.cast(pl.Int32).alias("previous_level_id"),
                prev_cents.cast(pl.Int64).alias("prev_cents"), deferral.cast(pl.Int64).alias("deferral"),
                prev_def.cast(pl.Int64).alias("prev_deferral"), prob.cast(pl.Float64).alias("event_probability"),
                pl.lit(TYPE_RANK[etype], pl.Int32).alias("type_rank"), *person)

        parts = [
            part(pl.col("is_hire"), "hire", pl.lit("new_hire"), pl.col("hire_date")),
            part(pl.col("exit_date").is_not_null(), "termination", pl.col("exit_category"), pl.col("exit_date"),
                 prob=pl.col("exit_probability")),
            part(pl.col("promoted"), "promotion", pl.lit("promotion"), pl.lit(pdate), prev_level=pl.col("level_id"),
                 prev_cents=pl.col("salary_cents"), prob=pl.col("promo_p")),
            part(pl.col("raised"), "raise",
                 pl.when(pl.col("m") > 0).then(pl.lit("merit")).otherwise(pl.lit("cola")), pl.lit(mdate),
                 prev_cents=pl.col("salary_promo"),
                 prob=pl.when(pl.col("m") > 0).then(pl.lit(merit_p, pl.Float64)).otherwise(None)),
            part(pl.col("elig_event"), "eligibility", pl.lit("eligibility"), pl.col("elig_date")),
            part(pl.col("enr_event"), "enrollment", pl.col("enr_category"), pl.col("enr_date"),
                 deferral=pl.col("enr_deferral"), prev_def=pl.col("deferral_bp"), prob=pl.col("enr_probability")),
            part(pl.col("oo_date").is_not_null(), "enrollment_change", pl.lit("opt_out"), pl.col("oo_date"),
                 deferral=pl.lit(0, pl.Int64), prev_def=pl.col("oo_prev"), prob=pl.col("oo_probability")),
            part(pl.col("esc_event"), "deferral_escalation", pl.lit("auto_escalation"), pl.lit(edate),
                 deferral=pl.col("esc_deferral"), prev_def=pl.col("deferral_e")),
        ]
        ev = pl.concat(parts, how="vertical").sort(["eid", "event_date", "type_rank"])
        d = pl.col("event_date")
        after_promo = pl.col("promoted") & ((pl.lit(pdate) < d) | ((pl.lit(pdate) == d) & (pl.col("type_rank") >= TYPE_RANK["promotion"])))
        after_raise = pl.col("raised") & ((pl.lit(mdate) < d) | ((pl.lit(mdate) == d) & (pl.col("type_rank") >= TYPE_RANK["raise"])))
        ev = ev.with_columns(
            # rows are sorted by eid: sequence = row - first row of the employee + 1
            (pl.int_range(pl.len(), dtype=pl.Int32)
             - pl.when(pl.col("eid") != pl.col("eid").shift(1, fill_value=-1))
             .then(pl.int_range(pl.len(), dtype=pl.Int32)).otherwise(None).forward_fill() + 1)
            .alias("event_sequence"),
            pl.when(after_promo).then(pl.col("level_after")).otherwise(pl.col("level_id")).cast(pl.Int32)
            .alias("level_id"),
            pl.when(after_raise).then(pl.col("salary_raise")).when(after_promo).then(pl.col("salary_promo"))
            .otherwise(pl.col("salary_cents")).alias("cents"),
            years_between(pl.col("birth_date"), d).alias("employee_age"),
            years_between(pl.col("hire_date"), d).alias("employee_tenure"),
        )
        sc, pd_ = self.cfg["simulation"]["scenario_id"], self.cfg["simulation"]["plan_design_id"]
        keys = ev.select(pl.concat_str([pl.lit("%s|%s|%d|" % (sc, pd_, self.seed)), pl.col("employee_id"),
                                        pl.lit("|%d|" % y), pl.col("event_type")]).alias("k")).to_series()
        with self.stage("md5"):
            ids = self.hasher.hex(keys)
        ev = ev.with_columns(ids.alias("event_id"))
        return ev.select(
            "event_id", pl.lit(sc).alias("scenario_id"), pl.lit(pd_).alias("plan_design_id"),
            pl.lit(self.seed, pl.Int64).alias("random_seed"), "employee_id", "event_type", "event_category",
            "event_date", "event_sequence", "level_id", "previous_level_id",
            money(pl.col("cents")).alias("compensation_amount"),
            money(pl.col("prev_cents")).alias("previous_compensation"),
            rate(pl.col("deferral")).alias("employee_deferral_rate"),
            rate(pl.col("prev_deferral")).alias("prev_employee_deferral_rate"),
            pl.col("employee_age").cast(pl.Int32), pl.col("employee_tenure").cast(pl.Int32),
            _band_expr(pl.col("employee_age"), self.t.age_bands).alias("age_band"),
            _band_expr(pl.col("employee_tenure"), self.t.tenure_bands).alias("tenure_band"),
            "event_probability",
        )


def round_half_away(v: float) -> int:
    """C llround: nearest integer, half away from zero (v - floor(v) is exact here)."""
    f = math.floor(v)
    d = v - f
    if v >= 0:
        return int(f) + (1 if d >= 0.5 else 0)
    return int(f) + (1 if d > 0.5 else 0)


def money(cents: pl.Expr) -> pl.Expr:
    return (cents.cast(pl.Decimal(18, 2)) / 100).cast(pl.Decimal(18, 2))


def rate(bp: pl.Expr) -> pl.Expr:
    return (bp.cast(pl.Decimal(9, 4)) / 10000).cast(pl.Decimal(9, 4))


def workforce_needs(n, p, r, g, te, tnh) -> dict:
    """docs/model.md 4.1 in Python integers (exact)."""
    x = n - p
    target = (n * (1_000_000 + g) + 500_000) // 1_000_000
    q = (x * te + p * tnh) // 1_000_000
    te_n = max(0, q - r)
    net = target - (n - r - te_n)
    if net > 0:
        h = -((-net * 1_000_000) // (1_000_000 - tnh))
        tnh_n = h - net
    else:
        h, tnh_n = 0, 0
        te_n = min(n - r, te_n - net)
    return {"N": n, "P": p, "X": x, "target": target, "R": r, "Q": q, "Te": te_n, "net": net,
            "H": h, "Tnh": tnh_n}


def simulate(inputs: Inputs, hasher, prof: dict | None = None) -> list[YearResult]:
    """Every year of the configuration; `prof`, when given, receives stage timings."""
    sim = Sim(inputs.cfg, inputs.tables, hasher)
    res = sim.run(inputs.census)
    if prof is not None:
        prof.update(sim.prof)
    return res


# ---------------------------------------------------------------- output

def created_at() -> _dt.datetime:
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde:
        return _dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=int(sde))
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def write_events(results: list[YearResult], out: str) -> int:
    """OUT/simulation_year=YYYY/part-00000.parquet, ZSTD, statistics; returns the row count."""
    os.makedirs(out, exist_ok=True)
    ts = created_at()
    total = 0
    for r in results:
        d = os.path.join(out, "simulation_year=%d" % r.year)
        os.makedirs(d, exist_ok=True)
        ev = r.events.with_columns(pl.lit(ts).cast(pl.Datetime("us")).alias("created_at")).select(EVENT_COLUMNS)
        ev.write_parquet(os.path.join(d, "part-00000.parquet"), compression="zstd", compression_level=3, statistics=True)
        total += ev.height
    return total


def write_snapshots(results: list[YearResult], out: str) -> None:
    for r in results:
        d = os.path.join(out, "workforce_snapshot", "simulation_year=%d" % r.year)
        os.makedirs(d, exist_ok=True)
        r.snapshot.with_columns(money(pl.col("salary_cents")).alias("salary"),
                                rate(pl.col("deferral_bp")).alias("deferral_rate")).select(
            "employee_id", "employment_status", "birth_date", "hire_date", "termination_date", "level_id",
            "salary", "eligibility_date", "is_enrolled", "deferral_rate", "enrollment_source", "ever_opted_out",
        ).write_parquet(os.path.join(d, "part-00000.parquet"), compression="zstd", compression_level=3, statistics=True)
