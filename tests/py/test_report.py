"""`wfsim report`: report.html and report.xlsx of a run folder.

One small fast-mode run (800 employees, 2025-2027, a configuration that
changes the auto-enrollment default) is made with --no-report, then
reported with `wfsim report`. The tests check the page and the workbook
against the DuckDB marts with queries of their own (not the report's),
that the page references nothing outside itself, and that headless Chromium
opens it from disk with no console error and no network request, renders
it (the screenshot's pixels are looked at) and prints it to PDF.

The ensemble sections are tested on a real `wfsim ensemble` folder in
test_report_ensemble.py; the chart functions they use also have unit tests
here with small hand-made tables, named as such.
"""
import datetime
import decimal
import html.parser
import io
import re
import sys

import duckdb
import openpyxl
import pytest
from PIL import Image

from cdp_browser import Browser
from conftest import ROOT
from engine_util import run_wfsim

sys.path.insert(0, str(ROOT / "python"))

CONFIG = """simulation:
  start_year: 2025
  end_year: 2027
  random_seed: 11
  scenario_id: auto8
auto_enrollment:
  default_deferral_rate: 0.08
plan_design:
  core:
    rate: 0.02
  vesting:
    match: graded_6
    core: [0, 0, 50, 100]
"""


@pytest.fixture(scope="module")
def run(wfsim, tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    (d / "sim.yaml").write_text(CONFIG)
    out = d / "run"
    run_wfsim(wfsim, "run", "--config", d / "sim.yaml", "--employees", 800, "--out", out,
              "--no-report", "--quiet")
    assert not (out / "report.html").exists() and not (out / "report.xlsx").exists()
    proc = run_wfsim(wfsim, "report", out)
    assert "wrote" in proc.stderr and "report.html" in proc.stderr
    return out


@pytest.fixture(scope="module")
def db(run):
    con = duckdb.connect(str(run / "wfsim.duckdb"), read_only=True)
    yield con
    con.close()


def rows(con, sql):
    return [tuple(float(v) if isinstance(v, decimal.Decimal) else v for v in r)
            for r in con.execute(sql).fetchall()]


# -- the page's tables --------------------------------------------------------

class TableParser(html.parser.HTMLParser):
    """Every <table data-table=...>: its column names and kinds (from the
    header's data-column / data-kind) and its cells' text."""

    def __init__(self):
        super().__init__()
        self.tables, self.cur, self.cell = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-table" in a:
            self.cur = {"columns": [], "kinds": [], "rows": [], "source": a.get("data-source")}
            self.tables[a["data-table"]] = self.cur
        elif self.cur is not None and tag == "th" and "data-column" in a:
            self.cur["columns"].append(a["data-column"])
            self.cur["kinds"].append(a["data-kind"])
        elif self.cur is not None and tag == "tr":
            self.row = []
        elif self.cur is not None and tag == "td":
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.cur is not None and getattr(self, "row", None):
            self.cur["rows"].append(self.row)
            self.row = []
        elif tag == "table":
            self.cur = None


def parse_tables(page):
    p = TableParser()
    p.feed(page)
    return p.tables


def shown_number(text, kind):
    """The number a cell shows, and half its last displayed unit."""
    t = text.replace(",", "").replace("$", "")
    if kind == "rate":
        return float(t.rstrip("%")) / 100, 0.00005 + 1e-12
    if kind in ("money",):
        return float(t), 0.005 + 1e-9
    if kind in ("money0",):
        return float(t), 0.5 + 1e-9
    if kind in ("int", "year"):
        return int(t), 0
    return float(t), 0.005 + 1e-9


def assert_table_equals(table, expected_rows):
    assert len(table["rows"]) == len(expected_rows), (table["rows"], expected_rows)
    assert table["rows"], "an empty table proves nothing"
    for shown, want in zip(table["rows"], expected_rows):
        assert len(shown) == len(want)
        for text, kind, value, col in zip(shown, table["kinds"], want, table["columns"]):
            if value is None:
                assert text == "-", (col, text)
            elif kind == "text":
                assert text == str(value), (col, text, value)
            else:
                got, tol = shown_number(text, kind)
                assert abs(got - float(value)) <= tol, (col, text, value)


@pytest.fixture(scope="module")
def page(run):
    return (run / "report.html").read_text()


MART_QUERIES = {
    "headcount_flow": "select simulation_year, start_headcount, hires, terminations, end_headcount,"
                      " target, end_minus_target from metrics_workforce_by_year order by 1",
    "turnover": "select simulation_year, turnover_rate, experienced_turnover_rate, retirement_rate,"
                " new_hire_termination_rate from metrics_workforce_by_year order by 1",
    "pay": "select simulation_year, average_salary, average_salary_growth, year_end_payroll,"
           " total_prorated_compensation, total_compensation_growth"
           " from metrics_compensation_by_year order by 1",
    "participation": "select simulation_year, eligible_headcount, participating_headcount,"
                     " participation_rate, average_deferral_rate, auto_enrollments,"
                     " voluntary_enrollments, opt_outs, escalations from metrics_plan_by_year order by 1",
    "contributions": "select simulation_year, employee_contributions, employer_match, employer_core,"
                     " employer_cost, employer_cost_rate from metrics_plan_by_year order by 1",
    # the plan design (issue 18): cost by source under the forfeiture policy,
    # and the ADP / ACP tests
    "plan_cost": "select simulation_year, employer_match, employer_core, employer_cost, forfeitures,"
                 " 'offset_next_year' as forfeiture_policy, forfeitures_applied, net_employer_cost"
                 " from metrics_plan_by_year order by 1",
    "nondiscrimination": "select simulation_year, test, method, nhce_basis_year, hce_count, nhce_count,"
                         " hce_average, nhce_average, limit_value,"
                         " case when is_exempt then 'exempt (safe harbor)' when passed then 'passed'"
                         " else 'failed' end as result, margin from fct_ndt_results order by 1, 2",
}


def test_plan_design_tables_have_figures_to_show(db):
    """The run's design vests over years: some leavers forfeit, the next
    year's cost is offset, and both tests ran on HCEs and NHCEs (else the
    plan tables above would compare zeros and nulls)."""
    f = rows(db, "select sum(forfeitures), sum(forfeitures_applied), sum(employer_core),"
                 " count(*) filter (where net_employer_cost < employer_cost)"
                 " from metrics_plan_by_year")[0]
    assert f[0] > 0 and f[1] > 0 and f[2] > 0 and f[3] >= 1
    t = rows(db, "select count(*), count(*) filter (where hce_count > 0 and nhce_count > 0"
                 " and margin is not null) from fct_ndt_results")[0]
    assert t[0] == 2 * 3 and t[1] >= 1


@pytest.mark.parametrize("key", sorted(MART_QUERIES))
def test_html_table_equals_mart(page, db, key):
    t = parse_tables(page)[key]
    want = rows(db, MART_QUERIES[key])
    cols = [d[0] for d in db.execute(MART_QUERIES[key]).description]
    assert t["columns"] == cols
    assert_table_equals(t, want)


def completed_years(a, b):
    return b.year - a.year - ((a.month, a.day) > (b.month, b.day))


def expected_mix(db, dim):
    """(category, start count, start share, end count, end share), computed
    here: the census's age or tenure on the census date (December 31 before
    the first year) in completed years, and the snapshot's last year-end."""
    start_year, end_year = db.execute("select min(simulation_year), max(simulation_year) "
                                      "from metrics_workforce_by_year").fetchone()
    census_date = datetime.date(start_year - 1, 12, 31)
    census = db.execute("select birth_date, hire_date, level_id from stg_wfsim__census").fetchall()
    if dim == "level":
        cats = db.execute("select level_id, level_id || ' ' || level_name from stg_wfsim__levels "
                          "order by level_id").fetchall()
        start = {k: sum(1 for c in census if c[2] == k) for k, _ in cats}
        end = dict(db.execute(
            "select level_id, count(*) from fct_workforce_snapshot where employment_status = "
            f"'active' and simulation_year = {end_year} group by 1").fetchall())
        keys = [(k, label) for k, label in cats]
    else:
        seed = "age_bands" if dim == "age_band" else "tenure_bands"
        bands = db.execute(f"select band_label, min_value, max_value from {seed} "
                           "order by min_value").fetchall()

        def band(v):
            return next(b[0] for b in bands if b[1] <= v < b[2])
        values = [completed_years(c[0], census_date) if dim == "age_band"
                  else max(0, completed_years(c[1], census_date)) for c in census]
        start = {b[0]: sum(1 for v in values if band(v) == b[0]) for b in bands}
        end = dict(db.execute(
            f"select {dim}, count(*) from fct_workforce_snapshot where employment_status = "
            f"'active' and simulation_year = {end_year} group by 1").fetchall())
        keys = [(b[0], b[0]) for b in bands]
    s_total, e_total = sum(start.values()), sum(end.values())
    return [(label, start.get(k, 0), start.get(k, 0) / s_total, end.get(k, 0),
             end.get(k, 0) / e_total) for k, label in keys]


@pytest.mark.parametrize("dim", ["age_band", "tenure_band", "level"])
def test_html_mix_tables_equal_census_and_snapshot(page, db, dim):
    t = parse_tables(page)[f"mix_{dim}"]
    want = expected_mix(db, dim)
    assert_table_equals(t, want)
    assert sum(r[1] for r in want) == 800


def test_html_says_what_was_run(page, run):
    facts = " ".join(" ".join(r) for r in parse_tables(page)["facts"]["rows"])
    text = re.sub(r"<[^>]+>", " ", page)
    assert "800 read, 800 accepted" in facts
    assert "2025-2027" in facts and "11" in facts and "fast mode" in facts
    scen = parse_tables(page)["scenarios"]["rows"]
    assert scen[0][0] == "auto8" and re.fullmatch(r"[0-9a-f]{64}", scen[0][2])
    # The one parameter the configuration changed, against docs/model.md's defaults.
    assert re.search(r"auto_enrollment\.default_deferral_rate_bp\s*:\s*800\s*\(baseline 600\)", text)
    assert "simulation.end_year" in text  # 2027 instead of the default 2029
    assert "workforce.termination_rate_ppm" not in text


def test_every_chart_has_a_title_and_a_table(page):
    figures = re.findall(r'<figure id="([^"]+)" class="block chart">(.*?)</figure>', page, re.S)
    assert len(figures) == 10   # 8, and the plan design's cost and tests
    for key, body in figures:
        assert re.search(r'<svg role="img" aria-label="[^"]+"', body), key
        assert f'data-table="{key}"' in body
        assert "Simulation year" in body or key.startswith("mix_")


# -- nothing outside the file -------------------------------------------------

class RefParser(html.parser.HTMLParser):
    ATTRS = {"src", "href", "xlink:href", "srcset", "action", "data", "poster", "formaction",
             "background", "cite", "longdesc", "manifest", "ping"}

    def __init__(self):
        super().__init__()
        self.refs, self.styles, self.tags, self.in_style = [], [], set(), False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for k, v in attrs:
            if k in self.ATTRS:
                self.refs.append((tag, k, v or ""))
            if k == "style":
                self.styles.append(v or "")
        self.in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)


def test_html_has_no_external_reference(page):
    p = RefParser()
    p.feed(page)
    urls = [u.strip("'\" ") for s in p.styles for u in re.findall(r"url\(([^)]*)\)", s)]
    imports = [s for s in p.styles if "@import" in s]
    assert p.refs and urls, "the parser found no reference at all: it is not looking"
    outside = [r for r in p.refs if not (r[2].startswith("#") or r[2].startswith("data:"))]
    outside += [u for u in urls if not (u.startswith("#") or u.startswith("data:"))]
    assert outside == [] and imports == []
    assert not ({"script", "link", "img", "iframe", "object", "embed"} & p.tags)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") \
        .replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    assert "https://" not in page


# -- headless Chromium -------------------------------------------------------

@pytest.fixture(scope="module")
def browser_result(run):
    uri = (run / "report.html").resolve().as_uri()
    with Browser(width=1200, height=900) as b:
        b.open(uri)
        result = {"uri": uri, "errors": b.console_errors(), "requests": b.requests(),
                  "png": b.screenshot(), "full": b.screenshot(full_page=True), "pdf": b.pdf()}
    return result


def test_chromium_opens_it_offline_without_errors(browser_result):
    assert browser_result["errors"] == []
    assert browser_result["requests"] == [browser_result["uri"]]


def test_chromium_screenshot_is_not_blank(browser_result, tmp_path):
    img = Image.open(io.BytesIO(browser_result["full"])).convert("RGB")
    w, h = img.size
    assert w == 1200 and h > 3000  # the whole page, charts and tables
    small = img.resize((w // 4, h // 4))
    px = list(small.get_flattened_data())
    ink = sum(1 for p in px if sum(p) < 600) / len(px)
    assert ink > 0.03, f"only {ink:.1%} of the page is not near-white"
    # The charts' blue (Okabe-Ito #0072B2) is on the page: the SVG rendered.
    blue = sum(1 for r, g, b in img.get_flattened_data() if abs(r - 0x00) < 20 and abs(g - 0x72) < 20
               and abs(b - 0xB2) < 20)
    assert blue > 5000, blue
    top = Image.open(io.BytesIO(browser_result["png"])).convert("L")
    assert top.size == (1200, 900) and len(set(top.get_flattened_data())) > 16


def test_chromium_prints_it_to_pdf(browser_result):
    pdf = browser_result["pdf"]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 4, pages


# -- the workbook -------------------------------------------------------------

@pytest.fixture(scope="module")
def book(run):
    return openpyxl.load_workbook(run / "report.xlsx")


def sheet_rows(ws):
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    return values[0], values[1:]


def assert_sheet_equals(ws, db, sql):
    header, body = sheet_rows(ws)
    rel = db.execute(sql)
    names = [d[0] for d in rel.description]
    want = rel.fetchall()
    assert header == names
    assert len(body) == len(want) and body
    for got, exp in zip(body, want):
        for name, g, e in zip(names, got, exp):
            if e is None:
                assert g is None, name
            elif isinstance(e, (str, bool)):
                assert g == e, name
            else:
                # XlsxWriter writes 16 significant digits (Excel keeps 15).
                assert isinstance(g, (int, float)), (name, g)
                assert g == pytest.approx(float(e), rel=1e-15, abs=0), (name, g, e)


def test_workbook_sheets(book):
    assert book.sheetnames == ["Summary", "By year", "By level", "Plan cost", "Nondiscrimination",
                               "Workforce mix", "Events by type", "Metadata"]
    for ws in book.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.column_dimensions["A"].width > 8, ws.title


def test_workbook_by_year_equals_marts(book, db):
    cols = [r[0] for r in db.execute("describe metrics_workforce_by_year").fetchall()]
    keys = ", ".join([k for k in ("scenario_id", "plan_design_id", "random_seed") if k in cols]
                     + ["simulation_year"])
    assert_sheet_equals(
        book["By year"], db,
        "select * from metrics_workforce_by_year w "
        f"join metrics_compensation_by_year c using ({keys}) "
        f"join metrics_plan_by_year p using ({keys}) order by {keys}")


def test_workbook_summary_by_level_and_events_equal_marts(book, db):
    assert_sheet_equals(book["Summary"], db, "select * from metrics_summary order by year")
    assert_sheet_equals(book["By level"], db,
                        "select * from metrics_headcount_by_level order by simulation_year, level_id")
    assert_sheet_equals(book["Events by type"], db,
                        "select scenario_id, plan_design_id, random_seed, simulation_year, event_type, "
                        "event_category, count(*) as events "
                        "from fct_yearly_events group by all order by all")


def test_workbook_plan_sheets_equal_marts(book, db):
    assert_sheet_equals(book["Plan cost"], db,
                        "select scenario_id, plan_design_id, random_seed, simulation_year,"
                        " employer_match, employer_core, employer_cost, forfeitures,"
                        " forfeitures_applied, net_employer_cost from metrics_plan_by_year"
                        " order by simulation_year")
    assert_sheet_equals(book["Nondiscrimination"], db,
                        "select * from fct_ndt_results order by simulation_year, test")
    header = [c.value for c in book["Nondiscrimination"][1]]
    row = book["Nondiscrimination"][2]
    fmt = {h: c.number_format for h, c in zip(header, row)}
    assert "%" in fmt["hce_average"] and "%" in fmt["limit_value"]
    header = [c.value for c in book["Plan cost"][1]]
    fmt = {h: c.number_format for h, c in zip(header, book["Plan cost"][2])}
    assert "$" in fmt["forfeitures"] and "$" in fmt["net_employer_cost"]


def test_workbook_mix_equals_census_and_snapshot(book, db):
    header, body = sheet_rows(book["Workforce mix"])
    assert header == ["dimension", "category", "start_headcount", "start_share",
                      "end_headcount", "end_share"]
    want = [(dim,) + r for dim in ("age_band", "tenure_band", "level")
            for r in expected_mix(db, dim)]
    assert len(body) == len(want)
    for got, exp in zip(body, want):
        assert got[:3] == list(exp[:3]) and got[4] == exp[4]
        assert got[3] == pytest.approx(exp[3], abs=1e-12)
        assert got[5] == pytest.approx(exp[5], abs=1e-12)


def test_workbook_cells_are_numbers_with_formats(book):
    ws = book["By year"]
    header = [c.value for c in ws[1]]
    row = ws[2]
    fmt = {h: (c.data_type, c.number_format) for h, c in zip(header, row)}
    assert fmt["simulation_year"][0] == "n"
    for rate in ("participation_rate", "turnover_rate", "average_deferral_rate"):
        assert fmt[rate][0] == "n" and "%" in fmt[rate][1], (rate, fmt[rate])
    for money in ("employer_cost", "employee_contributions", "average_salary"):
        assert fmt[money][0] == "n" and "$" in fmt[money][1], (money, fmt[money])
    assert fmt["hires"] == ("n", "#,##0")


def test_workbook_metadata(book):
    meta = {r[0]: r[1] for r in sheet_rows(book["Metadata"])[1]}
    assert meta["census rows read"] == 800 and meta["census rows accepted"] == 800
    assert meta["census rows rejected"] == 0
    assert meta["first year"] == 2025 and meta["last year"] == 2027
    assert meta["random seeds"] == "11"
    assert re.fullmatch(r"[0-9a-f]{64}", meta["scenario auto8: configuration digest"])
    assert meta["scenario auto8: auto_enrollment.default_deferral_rate_bp "
                "(differs; baseline 600)"] == 800


# -- the command ----------------------------------------------------------------

def test_report_help_and_bad_folders(wfsim, tmp_path):
    proc = run_wfsim(wfsim, "report", "--help")
    assert proc.stdout.startswith("usage: wfsim report") and "--no-report" in proc.stdout
    assert run_wfsim(wfsim, "report", check=False).returncode == 64
    assert run_wfsim(wfsim, "report", tmp_path / "absent", check=False).returncode == 3
    proc = run_wfsim(wfsim, "report", tmp_path, check=False)
    assert proc.returncode == 2 and "wfsim.duckdb" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_twice_is_byte_identical(wfsim, run):
    """With SOURCE_DATE_EPOCH set (run_wfsim sets it), the report's date
    comes from it, so the same folder gives the same bytes."""
    before = [(run / n).read_bytes() for n in ("report.html", "report.xlsx")]
    run_wfsim(wfsim, "report", run, "--quiet")
    assert [(run / n).read_bytes() for n in ("report.html", "report.xlsx")] == before
    assert b"2023-11-14 22:13 UTC" in before[0]


def test_failed_report_keeps_the_old_files(wfsim, run, tmp_path):
    """A database whose build did not finish: exit 2 naming the missing
    mart, the earlier report untouched, no temporary file left."""
    broken = tmp_path / "broken"
    broken.mkdir()
    con = duckdb.connect(str(broken / "wfsim.duckdb"))
    con.execute(f"attach '{run / 'wfsim.duckdb'}' as src (read_only)")
    for t in ("metrics_workforce_by_year", "metrics_compensation_by_year",
              "metrics_headcount_by_level", "fct_workforce_snapshot"):
        con.execute(f"create table {t} as select * from src.{t}")
    con.close()
    (broken / "report.html").write_text("old")
    proc = run_wfsim(wfsim, "report", broken, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "metrics_plan_by_year" in proc.stderr
    assert (broken / "report.html").read_text() == "old"
    assert sorted(p.name for p in broken.iterdir()) == ["logs", "report.html", "wfsim.duckdb"]


# -- unit tests of the chart functions (hand-made tables) ----------------------

def _fan_table():
    from wfsim.report.formats import Column as C
    from wfsim.report.formats import Table
    cols = [C("scenario", "Scenario", "text"), C("simulation_year", "Year", "year"),
            C("n_seeds", "Seeds"), C("p10", "P10", "rate"), C("p25", "P25", "rate"),
            C("p50", "Median", "rate"), C("p75", "P75", "rate"), C("p90", "P90", "rate"),
            C("mean", "Mean", "rate")]
    rows = [(s, y, 20, .70 + d, .74 + d, .78 + d, .80 + d, .83 + d, .78 + d)
            for s, d in (("base", 0.0), ("auto8", 0.05)) for y in (2025, 2026, 2027)]
    return Table("Participation: median and spread over seeds (unit test)", "hand-made", cols, rows)


def test_unit_fan_chart_hand_made_table():
    from wfsim.report import charts
    svg = charts.fan(_fan_table(), "Participation", "% of eligible")
    assert svg.startswith("<svg") and 'aria-label="Participation: median' in svg
    assert "<?xml" not in svg and "DOCTYPE" not in svg and "<metadata" not in svg
    # Two panels (one per scenario), each with two bands and a median line.
    assert svg.count('id="') > 10 and svg.count("<g id=") >= 2


def test_unit_charts_ids_unique_across_charts():
    from wfsim.report import charts
    a = charts.fan(_fan_table(), "Participation", "% of eligible")
    b = charts.fan(_fan_table(), "Participation", "% of eligible")
    ids_a = set(re.findall(r'id="([^"]+)"', a))
    ids_b = set(re.findall(r'id="([^"]+)"', b))
    assert ids_a and ids_b and not (ids_a & ids_b)
    # Every internal reference points at an id of its own chart.
    for svg, ids in ((a, ids_a), (b, ids_b)):
        refs = set(re.findall(r'href="#([^"]+)"', svg)) | set(re.findall(r"url\(#([^)]+)\)", svg))
        assert refs and refs <= ids
