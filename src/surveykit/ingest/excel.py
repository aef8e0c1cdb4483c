"""Excel workbooks (.xlsx, .xlsm, .xls, .ods) through python-calamine.

calamine reads a 100,000-row sheet many times faster than openpyxl; it also never evaluates
formulas, so a workbook cannot run anything on reading.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from surveykit.errors import InputError
from surveykit.ingest.table import RawTable


def read_excel(path: Path, *, sheet: str | int | None = None,
               header_row: int | None = None) -> RawTable:
    """Read one worksheet; the first non-empty one unless ``sheet`` names another."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise InputError(f"not a readable Excel workbook ({' '.join(str(exc).split())[:120]})",
                         path=str(path)) from None
    names = book.sheet_names
    try:
        if sheet is None:
            chosen = next((s for s in names if book.get_sheet_by_name(s).to_python()), names[0])
        elif isinstance(sheet, int) or str(sheet).isdigit():
            chosen = names[int(sheet)]
        else:
            chosen = str(sheet)
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except (IndexError, KeyError, ValueError) as exc:
        raise InputError(f"no worksheet {sheet!r} (sheets: {', '.join(names)})",
                         path=str(path)) from exc
    if not rows or not any(str(c).strip() for c in rows[0]):
        raise InputError(f"worksheet '{chosen}' is empty", path=str(path))
    head = (header_row or 1) - 1
    header = [str(c).strip() for c in rows[head]]
    body = rows[head + 1:]
    if not body:
        raise InputError("the file has a header row but no responses", path=str(path))
    frame = pd.DataFrame(body, columns=header, dtype=object)
    frame = frame.replace("", None)
    return RawTable(frame=frame, source=str(path), first_data_row=head + 2, sheet=chosen)
