"""Cells of the tab book: text that is always inert, numbers with formats, the styles.

Every text cell is written as text: a label that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is stored as a string with Excel's quote prefix, so it is never
evaluated as a formula, even when someone edits the cell. Numbers are stored at full
precision with a display format; NaN becomes an empty cell; a suppressed figure is ``*``.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from surveykit.analysis.results import SurveyResults
from surveykit.render.format import SUPPRESSED

DEFAULT_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
PCT = "0%"
COUNT = "#,##0"
COUNT_WEIGHTED = "#,##0.0"
MEAN = "0.00"
P_VALUE = "0.0000"
POINTS = '+0.0;-0.0;0.0'
STAT = "0.00"
RISKY_START = ("=", "+", "-", "@", "\t", "\r")

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
MUTED = Font(color="FF555555", italic=True)
HEAD_FILL = PatternFill("solid", fgColor="FFEDE7F6")
ITEM_FILL = PatternFill("solid", fgColor="FFF4F2F8")
SUPP_FILL = PatternFill("solid", fgColor="FFEEEEEE")
TOP = Border(top=Side(style="thin", color="FF999999"))
WRAP = Alignment(wrap_text=True, vertical="top")
RIGHT = Alignment(horizontal="right")
CENTER = Alignment(horizontal="center")


def safe_text(value: Any) -> str:
    """Text as it will be stored: characters Excel cannot hold are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def put_text(ws: Worksheet, row: int, column: int, value: Any, *, font: Font | None = None
             ) -> Any:
    """Write ``value`` as inert text: never a formula, an error code or a number."""
    text = safe_text(value)
    cell = ws.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"  # openpyxl would make "=..." a formula and "#N/A" an error
    if text.startswith(RISKY_START):
        cell.quotePrefix = True  # Excel keeps it as text even when the cell is edited
    if font is not None:
        cell.font = font
    return cell


def put_number(ws: Worksheet, row: int, column: int, value: float | None, fmt: str) -> Any:
    """Write a number with a display format; NaN/None become an empty cell."""
    cell = ws.cell(row=row, column=column)
    if value is None or math.isnan(value):
        return cell
    cell.value = float(value) if not float(value).is_integer() or fmt != COUNT else int(value)
    cell.number_format = fmt
    cell.alignment = RIGHT
    return cell


def put_suppressed(ws: Worksheet, row: int, column: int) -> Any:
    cell = put_text(ws, row, column, SUPPRESSED)
    cell.alignment = CENTER
    cell.fill = SUPP_FILL
    return cell


def sheet_title(name: str, taken: set[str]) -> str:
    """A legal, unique worksheet name (31 characters, none of []:*?/\\)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", safe_text(name)).strip().strip("'") or "Sheet"
    base = base[:31]
    title, k = base, 2
    while title.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({k})"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    taken.add(title)
    return title


def widths(ws: Worksheet, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def count_format(results: SurveyResults) -> str:
    return COUNT_WEIGHTED if results.settings.weighted else COUNT
