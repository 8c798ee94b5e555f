"""Writes DIR/report.html and DIR/report.xlsx from DIR/wfsim.duckdb.

Both files are written under temporary names in DIR and renamed into place
only when both are complete, so a failed report leaves the old files (or
none), never a half-written one.
"""
from __future__ import annotations

import os
import pathlib

from . import page, workbook
from .source import RunData


def build(folder, defaults: dict | None = None, version: str | None = None) -> list[pathlib.Path]:
    """Writes the report of a run or ensemble folder; returns the two paths.
    Raises source.ReportInputError when the folder cannot be reported."""
    d = RunData(folder, defaults)
    out = pathlib.Path(folder)
    html, xlsx = out / "report.html", out / "report.xlsx"
    tmp_html, tmp_xlsx = out / ".report.html.tmp", out / ".report.xlsx.tmp"
    try:
        facts = page.run_facts(d, defaults, version)
        tmp_html.write_text(page.render(d, facts), encoding="utf-8")
        workbook.write(str(tmp_xlsx), d, facts)
        os.replace(tmp_html, html)
        os.replace(tmp_xlsx, xlsx)
    finally:
        for t in (tmp_html, tmp_xlsx):
            t.unlink(missing_ok=True)
        d.con.close()
    return [html, xlsx]
