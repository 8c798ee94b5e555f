"""wfsim's Python side. `wfsim.report` turns a run or ensemble folder into
report.html and report.xlsx (docs/report.md)."""
