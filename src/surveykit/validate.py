"""Check a table of responses against a codebook, reporting every problem at once.

:meth:`Survey.from_frame <surveykit.survey.Survey.from_frame>` stops at the first answer it
cannot code; ``surveykit validate`` instead lists everything an analyst should fix or know
before analysing: answers the codebook does not know, numbers outside a scale, repeated
respondent IDs, empty rows, columns missing on either side, respondents who gave the same
answer to every item, and groups the codebook does not list. Each check works on the
distinct values of a column (``pd.factorize``) or on a whole matrix of codes at once, so a
100,000-row file validates in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit.model import Breakdown, Codebook, Item, MultiResponse, normalise_label
from surveykit.survey import answer_key

__all__ = ["Problem", "validate_survey"]

MIN_STRAIGHT_ITEMS = 5  # fewer answered items than this is too few to call a pattern


@dataclass(frozen=True)
class Problem:
    """One thing wrong with (``"error"``) or worth checking in (``"warning"``) the data.

    ``row`` is the spreadsheet row (1-based, header rows counted) and ``column`` the column
    name, where the problem has one.
    """

    severity: str
    message: str
    row: int | None = None
    column: str | None = None

    def one_line(self, source: str = "") -> str:
        """``file, row R, column 'C': severity: message``, like the CLI's errors."""
        where = [p for p in (source, f"row {self.row}" if self.row is not None else "",
                             f"column {self.column!r}" if self.column is not None else "") if p]
        return f"{', '.join(where)}: {self.severity}: {self.message}" if where else \
            f"{self.severity}: {self.message}"


def _blank(values: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """(codes, blank per distinct value, distinct values) of a column."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    empty = np.fromiter((isinstance(u, str) and not u.strip() for u in uniques), dtype=bool,
                        count=len(uniques))
    return codes, empty, uniques


def _row_of(codes: np.ndarray, u: int, first_row: int) -> tuple[int, int]:
    hits = np.flatnonzero(codes == u)
    return first_row + int(hits[0]), int(hits.size)


def _check_item(values: pd.Series, item: Item, first_row: int) -> tuple[list[Problem],
                                                                        np.ndarray]:
    """Problems of one item column, and its answers as category codes (-1 none/unknown)."""
    # The scale as written, not reversed: straight-lining is about the raw answers.
    scale = item.scale
    lookup = scale.lookup()
    codes, empty, uniques = _blank(values)
    mapped = np.full(len(uniques) + 1, -1, dtype=np.int16)
    problems = []
    numeric_codes = [c for c in (scale.codes or ()) + scale.not_applicable_codes]
    for u, value in enumerate(uniques):
        if empty[u]:
            continue
        key = answer_key(value)
        if key in ("", "nan"):
            continue
        if key in lookup:
            mapped[u] = lookup[key]
            continue
        row, count = _row_of(codes, u, first_row)
        times = f" ({count} answers)" if count > 1 else ""
        try:
            number = float(key)
        except ValueError:
            number = None
        if number is not None and (numeric_codes or all(
                lab.lstrip("-").isdigit() for lab in scale.labels)):
            span = numeric_codes or [float(lab) for lab in scale.labels]
            message = (f"value {value!r} is outside scale '{item.scale.name}' "
                       f"({min(span):g}..{max(span):g}){times}")
        else:
            known = ", ".join(f"'{c}'" for c in scale.categories)
            message = (f"answer {str(value)!r} is not on scale '{item.scale.name}' ({known})"
                       f"{times}")
        problems.append(Problem("error", message, row, item.column))
    return problems, mapped[codes]


def _check_breakdown(values: pd.Series, b: Breakdown, first_row: int) -> list[Problem]:
    if not b.groups or b.other:  # no list to check against, or write-ins pooled by design
        return []
    known = {normalise_label(g) for g in b.groups} | {normalise_label(a) for a, _ in b.mapping}
    codes, empty, uniques = _blank(values)
    problems = []
    for u, value in enumerate(uniques):
        key = normalise_label(value)
        if isinstance(value, float) and value.is_integer():
            key = normalise_label(int(value))
        if empty[u] or key in known or key in ("", "nan"):
            continue
        row, count = _row_of(codes, u, first_row)
        problems.append(Problem(
            "warning", f"group {str(value)!r} is not listed for breakdown '{b.id}' "
            f"({count} respondent(s)); add it to the codebook's groups or map", row, b.column))
    return problems


def _check_categories(frame: pd.DataFrame, m: MultiResponse, first_row: int) -> list[Problem]:
    """Answers of a multiple-category set that are not among its options."""
    known = {answer_key(o) for o in m.options}
    problems = []
    for col in m.columns or ():
        if col not in frame.columns:
            continue
        codes, empty, uniques = _blank(frame[col])
        for u, value in enumerate(uniques):
            key = answer_key(value)
            if empty[u] or key in known or key in ("", "nan"):
                continue
            row, count = _row_of(codes, u, first_row)
            times = f" ({count} answers)" if count > 1 else ""
            problems.append(Problem("error", f"answer {str(value)!r} is not an option of "
                                    f"multi question '{m.id}'{times}", row, col))
    return problems


def _straight_lining(matrix: np.ndarray, items: list[Item], first_row: int) -> list[Problem]:
    """Respondents who gave one answer to every item of a scale (five items or more).

    Items are compared within a scale only: "4" on a 1-5 scale and "Agree" share a position
    but are not the same answer. Not-applicable answers count as answers ("Don't know" to
    everything is a pattern too).
    """
    problems = []
    by_scale: dict[str, list[int]] = {}
    for j, item in enumerate(items):
        by_scale.setdefault(item.scale.name, []).append(j)
    for name, cols in by_scale.items():
        if len(cols) < MIN_STRAIGHT_ITEMS:
            continue
        block = matrix[:, cols]
        flat = np.flatnonzero((block >= 0).all(axis=1) & (block == block[:, :1]).all(axis=1))
        categories = items[cols[0]].scale.categories
        for r in flat:
            answer = categories[int(block[r, 0])]
            problems.append(Problem("warning", f"straight-lining: the same answer "
                                    f"({answer!r}) to all {len(cols)} items on scale "
                                    f"'{name}'", first_row + int(r)))
    return problems


def validate_survey(table, codebook: Codebook) -> list[Problem]:
    """Every problem of ``table`` under ``codebook``, errors first, then by row.

    Parameters
    ----------
    table
        A :class:`~surveykit.ingest.RawTable` (``frame``, ``source``, ``first_data_row``).
    codebook
        The codebook to check against.

    Returns
    -------
    list of Problem
        Empty when the data and codebook agree. Errors stop ``analyse``; warnings do not.

    Examples
    --------
    >>> from surveykit.ingest import read_table                      # doctest: +SKIP
    >>> problems = validate_survey(read_table("survey.xlsx"), cb)    # doctest: +SKIP
    >>> [p.one_line() for p in problems][:1]                         # doctest: +SKIP
    ["row 14, column 'Q3': error: answer 'Agre' is not on scale 'agree5' (...)"]
    """
    frame = table.frame.reset_index(drop=True)
    first = int(getattr(table, "first_data_row", 2))
    columns = set(frame.columns)
    problems: list[Problem] = []
    known = [i.column for i in codebook.items] + [b.column for b in codebook.breakdowns]
    known += [t.column for t in codebook.text]
    for m in codebook.multi:
        known += list(m.columns) if m.columns else [m.column]
    known += [c for c in (codebook.id_column, codebook.weight) if c]
    for col in dict.fromkeys(known):
        if col not in columns:
            problems.append(Problem("error", "column in the codebook but not in the data",
                                    column=col))
    listed = set(known) | set(codebook.drop)
    for col in frame.columns:
        if col not in listed:
            problems.append(Problem("warning", "column in the data but not in the codebook "
                                    "(not analysed)", column=str(col)))
    present = [i for i in codebook.items if i.column in columns]
    matrix = np.full((len(frame), len(present)), -1, dtype=np.int16)
    for j, item in enumerate(present):
        found, matrix[:, j] = _check_item(frame[item.column], item, first)
        problems += found
    for b in codebook.breakdowns:
        if b.column in columns:
            problems += _check_breakdown(frame[b.column], b, first)
    for m in codebook.multi:
        if m.coding == "categories":
            problems += _check_categories(frame, m, first)
    if codebook.id_column in columns:
        ids = frame[codebook.id_column]
        dup = ids.duplicated(keep=False) & ids.notna()
        for value, rows in ids[dup].groupby(ids[dup], sort=False).groups.items():
            where = [first + int(r) for r in rows]
            problems.append(Problem(
                "error", f"respondent id {value!r} appears {len(where)} times (rows "
                f"{', '.join(map(str, where[:5]))}{' ...' if len(where) > 5 else ''})",
                where[0], codebook.id_column))
    if codebook.weight in columns:
        weights = pd.to_numeric(frame[codebook.weight], errors="coerce").to_numpy(dtype=float)
        for r in np.flatnonzero(~np.isfinite(weights) | (weights < 0)):
            problems.append(Problem("error", f"weight {frame[codebook.weight].iloc[r]!r} is "
                                    "not a non-negative number", first + int(r),
                                    codebook.weight))
    analysed = [c for c in dict.fromkeys(known) if c in columns and c != codebook.id_column]
    if analysed:
        empty = np.ones(len(frame), dtype=bool)
        for col in analysed:
            codes, blank, _ = _blank(frame[col])
            empty &= (codes < 0) | np.append(blank, True)[codes]
        for r in np.flatnonzero(empty):
            problems.append(Problem("warning", "empty row: no answer to any question",
                                    first + int(r)))
    problems += _straight_lining(matrix, present, first)
    order = {"error": 0, "warning": 1}
    problems.sort(key=lambda p: (order.get(p.severity, 2), p.row is not None, p.row or 0))
    return problems
