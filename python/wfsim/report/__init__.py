"""wfsim.report: the deliverable of a run or an ensemble.

`python -m wfsim.report DIR` (or `wfsim report DIR`) reads DIR/wfsim.duckdb
and writes DIR/report.html, one self-contained page of charts each with the
table of its numbers, and DIR/report.xlsx, the workbook (docs/report.md).

Modules: source (what is read), tables (one query per table), charts
(matplotlib to inline SVG), page (the HTML), workbook (the XLSX), build
(both files, written whole or not at all).
"""
