"""A survey: the responses and the codebook applied to them.

:class:`Survey` is built once from a table (whatever format it came from) and a codebook.
Building it turns every answer into an integer code, so analysis can count all items and
all groups at once with ``numpy.bincount``; an answer the codebook does not know is an
error naming its row and column, never a silent blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveykit.errors import CodebookError, InputError
from surveykit.model import Breakdown, Codebook, Item, MultiResponse, _code_key, normalise_label

_UNTICKED = {"", "0", "no", "false", "not selected", "unchecked", "unticked", "nan", "none"}


def _is_blank(values: pd.Series) -> np.ndarray:
    """Missing or whitespace-only cells."""
    blank = values.isna().to_numpy().copy()  # pandas may hand back a read-only view
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
        text = values.astype("string").str.strip()
        blank |= (text == "").fillna(True).to_numpy(dtype=bool)
    return blank


def answer_key(value: object) -> str:
    """The key an answer is matched on: normalised text, or a canonical numeric code."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return _code_key(value)
    text = normalise_label(value)
    try:  # "4" and "4.0" in a text column are the numeric code 4
        return _code_key(float(text))
    except ValueError:
        return text


@dataclass(frozen=True, eq=False)
class Survey:
    """Responses with a codebook applied.

    Attributes
    ----------
    responses
        The table as read (platform metadata columns already removed).
    codebook
        What the columns mean.
    item_codes
        ``(respondents, items)`` int16 matrix: ``0..k-1`` the scale's labels (most negative
        first), ``k..`` its not-applicable answers, ``-1`` no answer.
    group_codes
        Per breakdown id, an int32 array of group indices (``-1`` not stated).
    groups
        Per breakdown id, the group labels in reporting order.
    multi_ticks, multi_answered
        Per multi-response id, a ``(respondents, options)`` bool matrix and the mask of
        respondents who answered the question at all.
    weights
        Respondent weights, or None.
    source
        Where the data came from (for messages and the methods note).
    first_data_row
        The spreadsheet row number of the first respondent (for messages).
    """

    responses: pd.DataFrame
    codebook: Codebook
    item_codes: np.ndarray
    group_codes: Mapping[str, np.ndarray]
    groups: Mapping[str, tuple[str, ...]]
    multi_ticks: Mapping[str, np.ndarray]
    multi_answered: Mapping[str, np.ndarray]
    weights: np.ndarray | None = None
    source: str = ""
    first_data_row: int = 2
    warnings: tuple[str, ...] = field(default=())

    @property
    def n(self) -> int:
        """Number of respondents."""
        return len(self.responses)

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        codebook: Codebook,
        *,
        source: str = "",
        first_data_row: int = 2,
        read_warnings: tuple[str, ...] | list[str] = (),
    ) -> Survey:
        """Apply ``codebook`` to ``frame``.

        ``read_warnings`` (``RawTable.warnings``: the encoding guessed, merged header cells,
        personal columns left out ...) come first in ``warnings``, so every output that
        lists the survey's warnings also says what the reader assumed.

        Raises
        ------
        CodebookError
            A codebook column is missing from the data, or a cell holds an answer its
            scale does not list (named by file, row and column).
        """
        frame = frame.reset_index(drop=True)
        where = {"path": source or None}
        columns = set(frame.columns)
        needed = [i.column for i in codebook.items] + [b.column for b in codebook.breakdowns]
        needed += [t.column for t in codebook.text]
        for m in codebook.multi:
            needed += list(m.columns) if m.columns else [m.column]
        if codebook.weight:
            needed.append(codebook.weight)
        if codebook.id_column:
            needed.append(codebook.id_column)
        missing = [c for c in needed if c not in columns]
        if missing:
            raise CodebookError(
                f"column(s) in the codebook but not in the data: {', '.join(map(repr, missing))}",
                **where)
        warnings: list[str] = list(read_warnings)
        item_codes = np.empty((len(frame), len(codebook.items)), dtype=np.int16, order="F")
        for j, item in enumerate(codebook.items):
            item_codes[:, j] = _code_item(frame[item.column], item, source, first_data_row)
        group_codes, groups = {}, {}
        for b in codebook.breakdowns:
            codes, labels, extra = _code_breakdown(frame[b.column], b)
            group_codes[b.id], groups[b.id] = codes, labels
            if extra:
                warnings.append(f"breakdown '{b.id}': groups not in the codebook: "
                                + ", ".join(extra))
        ticks, answered = {}, {}
        for m in codebook.multi:
            ticks[m.id], answered[m.id] = _code_multi(frame, m, source, first_data_row)
        _check_answers(item_codes, codebook, answered, len(frame), source, warnings)
        weights = None
        if codebook.weight:
            weights = _read_weights(frame[codebook.weight], codebook.weight, source,
                                    first_data_row)
        return cls(
            responses=frame, codebook=codebook, item_codes=item_codes, group_codes=group_codes,
            groups=groups, multi_ticks=ticks, multi_answered=answered, weights=weights,
            source=source, first_data_row=first_data_row, warnings=tuple(warnings),
        )

    def with_codebook(self, codebook: Codebook) -> Survey:
        """The same responses under another codebook (e.g. extra breakdowns)."""
        return Survey.from_frame(self.responses, codebook, source=self.source,
                                 first_data_row=self.first_data_row)


def _check_answers(item_codes: np.ndarray, codebook: Codebook, answered: dict,
                   n: int, source: str, warnings: list[str]) -> None:
    """No answer to anything is an error (there is nothing to report); an item or multi
    question nobody answered is a warning, as its results will be empty."""
    item_n = (item_codes >= 0).sum(axis=0) if item_codes.size else np.zeros(0, dtype=int)
    multi_n = {mid: int(a.sum()) for mid, a in answered.items()}
    if not item_n.any() and not any(multi_n.values()):
        raise InputError(f"no answers: none of the {n} response(s) answers any item or "
                         "multi question the codebook lists (every cell in those columns is "
                         "blank)", path=source or None)
    empty = [f"{i.id} (column {i.column!r})" for i, k in zip(codebook.items, item_n) if not k]
    empty += [f"{mid}" for mid, k in multi_n.items() if not k]
    if empty:
        warnings.append(f"no answers at all to {len(empty)} question(s): "
                        + ", ".join(empty[:5]) + (" ..." if len(empty) > 5 else ""))


def _code_item(values: pd.Series, item: Item, source: str, first_row: int) -> np.ndarray:
    scale = item.effective_scale
    lookup = scale.lookup()
    # Work on the distinct answers (a handful) rather than every cell: at 100k+ rows this
    # is what keeps coding fast. Blank and whitespace-only answers normalise to "".
    uniques_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.full(len(uniques) + 1, -1, dtype=np.int16)  # last slot: the NA sentinel
    for u, value in enumerate(uniques):
        key = answer_key(value)
        if key in ("", "nan"):
            continue
        if key not in lookup:
            row = int(np.flatnonzero(uniques_codes == u)[0])
            known = ", ".join(f"'{c}'" for c in scale.categories)
            raise CodebookError(
                f"answer {str(value)!r} is not on scale '{item.scale.name}' ({known})",
                path=source or None, row=first_row + row, column=item.column)
        mapped[u] = lookup[key]
    return mapped[uniques_codes]  # the -1 sentinel indexes the last slot, which is -1


def _code_breakdown(values: pd.Series, b: Breakdown) -> tuple[np.ndarray, tuple[str, ...], list]:
    """Harmonise group labels: case/spacing variants and mapped spellings become one group."""
    canonical: dict[str, str] = {normalise_label(g): g for g in b.groups}
    for alias, target in b.mapping:
        canonical[normalise_label(alias)] = target
    # Write-ins pool into the "other" group (spelled as in groups when it is listed there).
    other = canonical.get(normalise_label(b.other), b.other) if b.other and b.groups else None
    uniques_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels: list[str] = list(b.groups)
    index = {g: i for i, g in enumerate(labels)}
    extra: list[str] = []
    seen_spelling: dict[str, str] = {}
    mapped = np.full(len(uniques) + 1, -1, dtype=np.int32)
    # Most frequent spelling first, so an unlisted group is shown as most respondents wrote it.
    freq = np.bincount(uniques_codes[uniques_codes >= 0], minlength=len(uniques))
    for u in np.argsort(-freq, kind="stable"):
        raw = uniques[u]
        key = normalise_label(raw)
        if key in ("", "nan"):
            continue
        if isinstance(raw, float) and raw.is_integer():
            key = normalise_label(int(raw))
        label = canonical.get(key) or other or seen_spelling.setdefault(key, str(raw).strip())
        if label not in index:
            index[label] = len(labels)
            labels.append(label)
            if label != other:
                extra.append(label)
        mapped[u] = index[label]
    if not b.groups:  # no order given: alphabetical, so runs do not depend on row order
        order = sorted(range(len(labels)), key=lambda i: normalise_label(labels[i]))
        remap = np.empty(len(labels) + 1, dtype=np.int32)
        remap[order] = np.arange(len(labels))
        remap[-1] = -1
        mapped = remap[mapped]
        labels = [labels[i] for i in order]
        extra = []
    return mapped[uniques_codes], tuple(labels), (extra if b.groups else [])


def _code_multi(frame: pd.DataFrame, m: MultiResponse, source: str = "",
                first_row: int = 2) -> tuple[np.ndarray, np.ndarray]:
    n = len(frame)
    if m.columns and m.coding == "categories":
        return _code_categories(frame, m, source, first_row)
    if m.columns:
        ticks = np.zeros((n, len(m.options)), dtype=bool)
        answered = np.zeros(n, dtype=bool)
        for j, col in enumerate(m.columns):
            values = frame[col]
            blank = _is_blank(values)
            keys = values.map(lambda v: "" if pd.isna(v) else normalise_label(v))
            ticks[:, j] = ~blank & ~keys.isin(_UNTICKED).to_numpy()
            answered |= ~blank
        return ticks, answered
    values = frame[m.column]
    answered = ~_is_blank(values)
    sep = normalise_label(m.separator) or m.separator

    def squeeze(text: str) -> str:
        # Cells and options get the same treatment, so an option that itself contains the
        # separator ("Housing, homelessness" in a ", "-joined Google Forms cell) still matches.
        return normalise_label(text).replace(f"{sep} ", sep).replace(f" {sep}", sep)

    # Longest option first, so "Housing" does not match inside "Housing, homelessness".
    options = sorted(range(len(m.options)), key=lambda j: -len(m.options[j]))
    keys = [squeeze(o) for o in m.options]
    ticks = np.zeros((n, len(m.options)), dtype=bool)
    uniques_codes, uniques = pd.factorize(values, use_na_sentinel=True)
    for u, raw in enumerate(uniques):
        cell = sep + squeeze(raw) + sep
        hit = np.zeros(len(m.options), dtype=bool)
        for j in options:
            token = sep + keys[j] + sep
            if token in cell:
                hit[j] = True
                cell = cell.replace(token, sep)
        ticks[uniques_codes == u] = hit
    return ticks, answered


def _code_categories(frame: pd.DataFrame, m: MultiResponse, source: str,
                     first_row: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns that each hold one chosen option: an option is ticked when any column holds
    it. An answer that is not one of the options is an error, as for a scale."""
    index = {answer_key(o): j for j, o in enumerate(m.options)}
    ticks = np.zeros((len(frame), len(m.options)), dtype=bool)
    answered = np.zeros(len(frame), dtype=bool)
    for col in m.columns:
        codes, uniques = pd.factorize(frame[col], use_na_sentinel=True)
        mapped = np.full(len(uniques) + 1, -1, dtype=np.int32)
        for u, value in enumerate(uniques):
            key = answer_key(value)
            if key in ("", "nan"):
                continue
            if key not in index:
                row = int(np.flatnonzero(codes == u)[0])
                raise CodebookError(
                    f"answer {str(value)!r} is not an option of multi question '{m.id}' "
                    f"({', '.join(repr(o) for o in m.options)})",
                    path=source or None, row=first_row + row, column=col)
            mapped[u] = index[key]
        chosen = mapped[codes]
        rows = np.flatnonzero(chosen >= 0)
        ticks[rows, chosen[rows]] = True
        answered[rows] = True
    return ticks, answered


def _read_weights(values: pd.Series, column: str, source: str, first_row: int) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(numbers) | (numbers < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise CodebookError(f"weight {values.iloc[row]!r} is not a non-negative number",
                            path=source or None, row=first_row + row, column=column)
    return numbers
