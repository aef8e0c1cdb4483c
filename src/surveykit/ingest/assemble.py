"""Turn what a reader got out of a file into a :class:`RawTable`.

Grid readers (CSV, Excel) go through :func:`table_from_grid`: header row, platform layout,
column names, metadata, option columns. Readers whose format has one header by design
(SPSS, Parquet) go through :func:`table_from_frame`, which still recognises a platform by
its column names and drops metadata.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from surveykit.errors import InputError
from surveykit.ingest.grid import SCAN_ROWS, blank_mask, find_header_row, name_columns, tidy_numbers
from surveykit.ingest.platforms import (
    Layout,
    detect_layout,
    detect_layout_from_names,
    is_metadata,
    personal_content,
)
from surveykit.ingest.table import MultiSet, RawTable

__all__ = ["table_from_frame", "table_from_grid"]

_TICKS = {"1", "1.0", "yes", "true", "x", "selected", "checked", "ticked", "y"}


def table_from_grid(
    grid: pd.DataFrame,
    *,
    source: str,
    fmt: str,
    header_row: int | None = None,
    keep_metadata: bool = False,
    tidy: bool = False,
    **extra,
) -> RawTable:
    """Find the header and layout in ``grid`` (every row of the file) and build the table.

    Parameters
    ----------
    grid
        Cells as read, positional column labels, one row per file row (blank rows kept, so
        row ``i`` is spreadsheet row ``i + 1``).
    header_row
        1-based row of the column headers, when the analyst knows it; platform layouts
        below it (Qualtrics' extra rows) are still recognised.
    tidy
        Give columns holding only numbers a numeric dtype (Excel: every number is a float).
    extra
        Passed on to :class:`RawTable` (``sheet``, ``encoding``, ``warnings``).
    """
    warnings = list(extra.pop("warnings", ()))
    top = grid.iloc[:SCAN_ROWS + 4].astype(object).to_numpy().tolist()
    if header_row is not None:
        if not 1 <= header_row <= len(grid):
            raise InputError(f"header row {header_row} is outside the file's {len(grid)} rows",
                             path=source)
        header = header_row - 1
    else:
        header = find_header_row(top)
    layout = detect_layout(top, header)
    body = grid.iloc[layout.data_start:]
    blank = blank_mask(body)
    filled_rows = np.flatnonzero(~blank.all(axis=1))
    if filled_rows.size == 0:
        raise InputError("the file has a header row but no responses", path=source)
    last = int(filled_rows[-1])
    body, blank = body.iloc[:last + 1], blank[:last + 1]
    width = body.shape[1]
    cells = list(layout.names) + [None] * (width - len(layout.names))
    names, name_warnings = name_columns(cells[:width], blank.all(axis=0))
    warnings += name_warnings
    keep = [j for j, n in enumerate(names) if n is not None]
    frame = body.iloc[:, keep].reset_index(drop=True)
    frame.columns = [names[j] for j in keep]
    if tidy:
        frame = tidy_numbers(frame)
    empty_rows = np.flatnonzero(blank[:, keep].all(axis=1))
    if empty_rows.size:
        first = layout.data_start + int(empty_rows[0]) + 1
        warnings.append(f"{empty_rows.size} empty row(s) inside the table (first: row "
                        f"{first}), kept so row numbers match the file")
    by_position = {j: names[j] for j in keep}
    return _finish(frame, layout, by_position, source=source, fmt=fmt,
                   first_data_row=layout.data_start + 1, keep_metadata=keep_metadata,
                   warnings=warnings, **extra)


def table_from_frame(frame: pd.DataFrame, *, source: str, fmt: str,
                     keep_metadata: bool = False, **extra) -> RawTable:
    """Build the table for a format with a single header row by design (SPSS, Parquet)."""
    layout = detect_layout_from_names([str(c) for c in frame.columns])
    by_position = dict(enumerate(str(c) for c in frame.columns))
    frame = frame.reset_index(drop=True)
    frame.columns = list(by_position.values())
    return _finish(frame, layout, by_position, source=source, fmt=fmt, first_data_row=1,
                   keep_metadata=keep_metadata, **extra)


def _finish(frame: pd.DataFrame, layout: Layout, by_position: dict[int, str], *, source: str,
            fmt: str, first_data_row: int, keep_metadata: bool, warnings=(),
            question_text: dict[str, str] | None = None, multi_sets=(),
            free_text=(), **extra) -> RawTable:
    dropped = [] if keep_metadata else [c for c in frame.columns if is_metadata(c, layout.name)]
    warnings = list(warnings)
    if not keep_metadata:
        # A header that does not say "e-mail" ("Contact", "Q12") can still hold addresses.
        for c in frame.columns:
            if c not in dropped and (frame[c].dtype == object or
                                     pd.api.types.is_string_dtype(frame[c].dtype)):
                what = personal_content(frame[c])
                if what is not None:
                    dropped.append(c)
                    warnings.append(f"column {c!r} holds {what}: left out of the analysis "
                                    "and every output")
    frame = frame.drop(columns=dropped)
    columns = set(frame.columns)
    texts = dict(question_text or {})
    for j, wording in layout.question_text.items():
        name = by_position.get(j)
        if name in columns and name not in texts and wording != name:
            texts[name] = wording
    free = list(free_text) + [by_position[j] for j in sorted(layout.free_text)
                              if by_position.get(j) in columns]
    sets = list(multi_sets) + _option_sets(frame, layout, by_position)
    if layout.separator:
        sets += _joined_candidates(frame, layout.separator, {c for s in sets for c in s.columns})
    return RawTable(
        frame=frame, source=source, first_data_row=first_data_row, layout=layout.name,
        question_text=texts, dropped=tuple(dropped), format=fmt, multi_sets=tuple(sets),
        free_text=tuple(dict.fromkeys(free)), warnings=tuple(warnings), **extra,
    )


def _squash(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _option_sets(frame: pd.DataFrame, layout: Layout, by_position: dict[int, str]) -> list:
    """Groups of columns in which each cell is blank or holds that column's option label.

    SurveyMonkey and Qualtrics export a tick-all-that-apply question as one column per
    option; a grid of Likert statements has the same header shape but varied answers.
    """
    sets = []
    for question, positions in layout.groups.items():
        positions = [j for j in positions if j not in layout.free_text]  # "Other: ..." text
        names = [by_position.get(j) for j in positions]
        if len(names) < 2:
            continue
        if any(n not in frame.columns for n in names):
            continue
        options = []
        for j, name in zip(positions, names):
            values = frame[name].dropna().astype(str).map(_squash)
            distinct = set(values[values != ""])
            label = layout.options.get(j) or name
            if len(distinct) > 1 or (distinct and distinct.pop() not in
                                     {_squash(label), *_TICKS}):
                break
            options.append(label)
        else:
            slug = re.sub(r"[^0-9A-Za-z]+", "_", question).strip("_").lower()[:40]
            label = layout.group_labels.get(question, question)
            sets.append(MultiSet(id=slug or "multi", label=label, options=tuple(options),
                                 columns=tuple(names), kind="dichotomy"))
    return sets


def _joined_candidates(frame: pd.DataFrame, separator: str, taken: set[str]) -> list:
    """Columns where some answer holds the platform's multi-select separator."""
    sets = []
    token = separator.strip()
    for name in frame.columns:
        col = frame[name]
        if name in taken or not (col.dtype == object or pd.api.types.is_string_dtype(col)):
            continue
        text = col.dropna().astype(str)
        if text.str.contains(separator if token == "," else token, regex=False).any():
            sets.append(MultiSet(id=str(name), label=str(name), column=str(name),
                                 separator=separator, kind="joined"))
    return sets
