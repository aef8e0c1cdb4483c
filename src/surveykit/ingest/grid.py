"""From a grid of cells (rows as the file holds them) to named columns.

CSV and Excel readers both produce a *grid*: every row of the file, header rows included,
before anything is interpreted. This module finds the header row under any title and notes
rows, names columns that have no header of their own (a merged cell's continuation, a
stray trailing delimiter), makes repeated names unique, and tidies cell types, so that each
reader only has to get the cells out of its format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time

import numpy as np
import pandas as pd

__all__ = ["blank_mask", "column_letter", "find_header_row", "name_columns", "tidy_numbers"]

SCAN_ROWS = 30  # the header is within the first 30 rows of any export we have seen
_NUMBER = re.compile(r"^[-+]?(\d[\d,]*)?(\.\d+)?%?$")


def blank_mask(grid: pd.DataFrame) -> np.ndarray:
    """True for missing cells and cells holding only whitespace.

    Works on each column's distinct values (``pd.factorize``, in C) rather than cell by
    cell: a 100,000 x 65 sheet has only a few hundred distinct answers per column.
    """
    blank = np.zeros(grid.shape, dtype=bool)
    for j in range(grid.shape[1]):
        codes, uniques = pd.factorize(grid.iloc[:, j], use_na_sentinel=True)
        empty = np.fromiter((isinstance(u, str) and not u.strip() for u in uniques),
                            dtype=bool, count=len(uniques))
        blank[:, j] = (codes < 0) | np.append(empty, True)[codes]
    return blank


def _is_text(value: object) -> bool:
    """A cell that reads as a word rather than a number or a date (as header cells do)."""
    if isinstance(value, (int, float, np.integer, np.floating, datetime, date, time, bool)):
        return False
    text = str(value).strip()
    return bool(text) and not _NUMBER.match(text.replace(" ", ""))


def find_header_row(rows: Sequence[Sequence[object]]) -> int:
    """0-based index of the header row among the first rows of a grid.

    The header is the first row whose filled cells number at least half the table's width
    (the widest of the scanned rows) and are mostly text. Title and notes rows above a table
    fill one or two cells, so they are passed over; a data row of numbers is not mostly
    text. Files with no such row are taken to start with their header.
    """
    scanned = [list(r) for r in rows[:SCAN_ROWS]]
    filled = [[c for c in r if c is not None and str(c).strip() != ""
               and not (isinstance(c, float) and np.isnan(c))] for r in scanned]
    width = max((len(f) for f in filled), default=0)
    if width <= 1:
        return next((i for i, f in enumerate(filled) if f), 0)
    for i, cells in enumerate(filled):
        if len(cells) >= max(2, 0.5 * width) and sum(map(_is_text, cells)) >= 0.6 * len(cells):
            return i
    return 0


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def name_columns(cells: Sequence[object], empty: Sequence[bool]) -> tuple[list[str | None],
                                                                          list[str]]:
    """Names for every column from its header cell.

    Parameters
    ----------
    cells
        The header row.
    empty
        For each column, whether it holds no data at all.

    Returns
    -------
    (names, warnings)
        ``names[j]`` is None for a column to leave out (no header and no data, as a trailing
        delimiter makes). A blank header after a named one is taken as the continuation of a
        merged cell and named ``"<previous> (2)"``, ``(3)`` ...; a blank header with nothing
        named before it becomes ``"Column C"``. Repeated names get `` (2)``, `` (3)`` too.
    """
    names: list[str | None] = []
    warnings: list[str] = []
    previous: str | None = None
    run = 1
    continued: list[str] = []
    for j, cell in enumerate(cells):
        text = "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else \
            " ".join(str(cell).split())
        if text:
            names.append(text)
            previous, run = text, 1
            continue
        if empty[j]:
            names.append(None)
            continue
        if previous is None:
            names.append(f"Column {column_letter(j)}")
            continue
        run += 1
        names.append(f"{previous} ({run})")
        continued.append(names[-1])
    if continued:
        warnings.append("blank header cell(s) named after the cell to their left (merged "
                        "header?): " + ", ".join(repr(n) for n in continued[:5])
                        + (" ..." if len(continued) > 5 else ""))
    seen: dict[str, int] = {}
    taken = {n.casefold() for n in names if n}
    renamed = []
    for j, name in enumerate(names):
        if name is None:
            continue
        key = name.casefold()
        if key in seen:
            k = seen[key]
            while (candidate := f"{name} ({k + 1})").casefold() in taken:
                k += 1
            seen[key] = k + 1
            taken.add(candidate.casefold())
            renamed.append(f"{name!r} -> {candidate!r}")
            names[j] = candidate
        else:
            seen[key] = 1
    if renamed:
        warnings.append("duplicate column names made unique: " + ", ".join(renamed[:5])
                        + (" ..." if len(renamed) > 5 else ""))
    return names, warnings


def tidy_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Give object columns that hold only numbers a numeric dtype (whole numbers: Int64).

    Excel stores every number as a float and SPSS codes are floats: 3.0 would otherwise
    reach group labels as "3.0". Text cells, dates and mixed columns are left as they are.
    """
    out = {}
    for name in frame.columns:
        col = frame[name]
        if col.dtype == object:
            kind = pd.api.types.infer_dtype(col, skipna=True)
            if kind not in ("integer", "floating", "mixed-integer-float"):
                out[name] = col
                continue
            col = pd.to_numeric(col, errors="coerce")
        if pd.api.types.is_float_dtype(col.dtype):
            values = col.to_numpy(dtype=float, na_value=np.nan)
            finite = values[np.isfinite(values)]
            if finite.size and np.all(finite == np.round(finite)) and np.all(
                    np.abs(finite) < 2**53):
                col = col.astype("Int64")
        out[name] = col
    return pd.DataFrame(out, index=frame.index)
