"""How a number is shown: one kind per column, used by the page and the
workbook alike, so a rate is a percent with two decimals in both and money
is dollars with a currency format.

A table is a `Table`: a title, the marts its numbers come from, typed
columns and rows of plain Python values (floats, ints, strings, None). The
page prints each cell with `display`; the workbook stores the value itself
and gives the cell the kind's number format.
"""
from __future__ import annotations

import dataclasses
import decimal
import math

# kind -> (Excel number format, decimals shown on the page)
KINDS = {
    "year": ("0", 0),
    "int": ("#,##0", 0),
    "money": ('"$"#,##0.00', 2),
    "money0": ('"$"#,##0', 0),
    "rate": ("0.00%", 2),
    "ratio": ("0.00", 2),
    "number": ("#,##0.00", 2),
    "text": ("@", None),
}


@dataclasses.dataclass
class Column:
    name: str          # the mart's column (or a derived name)
    label: str         # the header shown
    kind: str = "int"  # a key of KINDS

    def __post_init__(self):
        assert self.kind in KINDS, self.kind


@dataclasses.dataclass
class Table:
    title: str
    source: str                # the mart(s) the numbers come from
    columns: list[Column]
    rows: list[tuple]

    def column(self, name: str) -> list:
        i = [c.name for c in self.columns].index(name)
        return [r[i] for r in self.rows]


def plain(value):
    """DuckDB's values as plain Python: Decimal -> float, NaN -> None."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def display(value, kind: str) -> str:
    """The text of one cell on the page ('-' for a missing value)."""
    if value is None:
        return "-"
    if kind == "text":
        return str(value)
    if kind == "year":
        return str(int(value))
    if kind == "int":
        return f"{int(value):,}"
    if kind == "money":
        return f"${value:,.2f}" if value >= 0 else f"-${-value:,.2f}"
    if kind == "money0":
        return f"${value:,.0f}" if value >= 0 else f"-${-value:,.0f}"
    if kind == "rate":
        return f"{value * 100:.2f}%"
    return f"{value:,.2f}"
