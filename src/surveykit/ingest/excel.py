"""Excel and OpenDocument workbooks (.xlsx, .xlsm, .xls, .ods) through python-calamine.

calamine reads a 100,000-row sheet many times faster than openpyxl (see
``benchmarks/read_xlsx.py``); it also never evaluates formulas, so a workbook cannot run
anything on reading, and a formula cell gives the result Excel saved with it. openpyxl is
only a fallback, for the rare ``.xlsx`` calamine rejects.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from surveykit.errors import InputError
from surveykit.ingest.assemble import table_from_grid
from surveykit.ingest.detect import OLE2_SIGNATURE, looks_encrypted_ole
from surveykit.ingest.table import RawTable

# Sheets that describe a survey rather than hold it.
_NOT_DATA = re.compile(r"^\s*(notes?|codebook|code ?book|about|readme|read me|info(rmation)?|"
                       r"instructions?|cover( sheet)?|contents|metadata|definitions|legend|"
                       r"dictionary|data dictionary|variables|labels|changelog|sources?)\s*$",
                       re.IGNORECASE)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160]


def _open(path: Path, source: str):
    """A calamine workbook, or an InputError that says what is wrong with the file."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE2_SIGNATURE) and looks_encrypted_ole(path):
        raise InputError("the workbook is password-protected (encrypted); open it in "
                         "Excel, remove the password and save it again", path=source)
    from python_calamine import CalamineWorkbook

    try:
        with path.open("rb") as fh:  # by content, not extension: a renamed .xls still opens
            return CalamineWorkbook.from_filelike(fh)
    except Exception as exc:  # noqa: BLE001 - calamine has its own error types per fault
        if head.startswith(OLE2_SIGNATURE):
            raise InputError("this is an OLE2 (old binary) file that could not be read: a "
                             "password-protected workbook or an old-format .xls; save it "
                             f"as .xlsx ({_one_line(exc)})", path=source) from None
        if head.startswith(b"PK"):
            rows = _openpyxl_rows(path)
            if rows is not None:
                return rows
        raise InputError("not a readable Excel workbook: the file is truncated or corrupt "
                         f"({_one_line(exc)})", path=source) from None


def _openpyxl_rows(path: Path) -> dict[str, list[list]] | None:
    """Sheets as rows through openpyxl, or None when it cannot read the file either."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types; calamine's message wins
        return None
    try:
        return {ws.title: [["" if v is None else v for v in row]
                           for row in ws.iter_rows(values_only=True)]
                for ws in book.worksheets}
    finally:
        book.close()


def _has_table(rows: list[list]) -> bool:
    """At least two rows with two or more filled cells: a header and one respondent."""
    wide = 0
    for row in rows[:60]:
        if sum(1 for c in row if c not in ("", None)) >= 2:
            wide += 1
            if wide >= 2:
                return True
    return False


def _sheet_rows(book, name: str) -> list[list]:
    if isinstance(book, dict):
        return book[name]
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def choose_sheet(book, sheet: str | int | None, source: str) -> tuple[str, list[list]]:
    """The worksheet to read and its rows.

    Without ``sheet``: the first visible sheet that holds a table and is not named like a
    notes or codebook sheet; failing that, the first sheet with any table.
    """
    if isinstance(book, dict):
        names, hidden = list(book), set()
    else:
        names = list(book.sheet_names)
        hidden = {m.name for m in book.sheets_metadata if str(m.visible).endswith("Hidden")}
    if sheet is not None:
        if isinstance(sheet, int) or str(sheet).strip().isdigit():
            index = int(sheet)
            if not 0 <= index < len(names):
                raise InputError(f"no worksheet number {index} (sheets, from 0: "
                                 f"{', '.join(names)})", path=source)
            return names[index], _sheet_rows(book, names[index])
        wanted = {n.casefold(): n for n in names}.get(str(sheet).strip().casefold())
        if wanted is None:
            raise InputError(f"no worksheet {str(sheet)!r} (sheets: {', '.join(names)})",
                             path=source)
        return wanted, _sheet_rows(book, wanted)
    loaded: dict[str, list[list]] = {}
    preferred = [n for n in names if n not in hidden and not _NOT_DATA.match(n)]
    for name in preferred + [n for n in names if n not in preferred]:
        loaded[name] = _sheet_rows(book, name)
        if _has_table(loaded[name]):
            return name, loaded[name]
    if any(any(c not in ("", None) for row in rows for c in row) for rows in loaded.values()):
        name = next(n for n, rows in loaded.items() if rows)
        return name, loaded[name]
    raise InputError("the workbook has no data: every sheet is empty", path=source)


def _grid(rows: list[list]) -> pd.DataFrame:
    width = max((len(r) for r in rows[:1000]), default=0)
    cells = np.empty((len(rows), width), dtype=object)
    for i, row in enumerate(rows):
        cells[i, :len(row)] = row
    cells[cells == ""] = None  # calamine gives "" for an empty cell
    return pd.DataFrame(cells, dtype=object)  # object: no costly conversion to str dtype


def read_excel(path: Path, *, source: str | None = None, sheet: str | int | None = None,
               header_row: int | None = None, keep_metadata: bool = False) -> RawTable:
    """Read one worksheet of a workbook.

    Parameters
    ----------
    path
        The workbook.
    source
        How to name the file in messages (defaults to ``path``).
    sheet
        Worksheet name (case-insensitive) or 0-based index; default: the first sheet that
        holds a table, passing over sheets named like "Notes", "Codebook" or "About".
    header_row
        1-based row of the column headers; default: detected under any title rows.
    keep_metadata
        Keep platform metadata columns (IP address, e-mail ...).
    """
    source = source or str(path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty", path=source)
    book = _open(path, source)
    try:
        name, rows = choose_sheet(book, sheet, source)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet failing mid-way: a corrupt file
        raise InputError(f"not a readable Excel workbook ({_one_line(exc)})",
                         path=source) from None
    if not rows or not any(c not in ("", None) for row in rows for c in row):
        raise InputError(f"worksheet '{name}' is empty", path=source)
    table = table_from_grid(_grid(rows), source=source, fmt="excel", header_row=header_row,
                            keep_metadata=keep_metadata, sheet=name, tidy=True)
    # A quick look at the top first: a full isna() of every column costs seconds at 100k rows.
    blank = [str(c) for c in table.frame.columns
             if table.frame[c].iloc[:1000].isna().all() and table.frame[c].isna().all()]
    if blank and _uncached_formulas(path):
        note = (f"column(s) {', '.join(map(repr, blank[:5]))} are blank, and the workbook "
                "holds formulas whose results were never saved (it was written by a program, "
                "not Excel); surveykit does not evaluate formulas: open and save the file in "
                "Excel to keep their results")
        table = replace(table, warnings=(*table.warnings, note))
    return table


_FORMULA_CELL = re.compile(rb"<c\b[^>]*>(?:(?!</c>).)*?<f\b(?:(?!</c>).)*?</c>", re.DOTALL)
_CACHED = re.compile(rb"<v>[^<]+</v>")


def _uncached_formulas(path: Path) -> bool:
    """Whether any worksheet has a formula cell without a saved result (``<v>``).

    Only asked when a column reads blank, so the sheet XML is scanned rarely."""
    try:
        with zipfile.ZipFile(path) as zf:
            for part in zf.namelist():
                if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                    xml = zf.read(part)
                    if b"<f" in xml and any(not _CACHED.search(m.group(0))
                                            for m in _FORMULA_CELL.finditer(xml)):
                        return True
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    return False
