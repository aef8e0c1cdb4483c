"""Infer a draft codebook from the data alone.

Used when ``analyse`` is run without ``--codebook`` and by ``surveykit init``. The rules are
deliberately conservative and every decision is reported by :func:`describe_codebook`, so
the analyst sees what was assumed and can write it down in a codebook to change it.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from surveykit.errors import CodebookError
from surveykit.model import Breakdown, Codebook, Item, Scale, TextQuestion, normalise_label
from surveykit.presets import NOT_APPLICABLE, TEXT_PRESETS, numeric_scale

_ID_NAMES = re.compile(r"^(respondent|response|record|resp|participant|case|staff)?[ _.-]?id$|"
                       r"^(respondent|response)[ _]?(id|number|no)$|^responseid$", re.I)
_META_NAMES = re.compile(
    r"^(ip[ _]?address|e-?mail( address)?|(first|last|full)[ _]?name|name|"
    r"location[ _]?(latitude|longitude)|latitude|longitude|start[ _]?(date|time)|"
    r"end[ _]?(date|time)|completion[ _]?time|last modified time|recorded[ _]?date|"
    r"timestamp|submitted|submission[ _]?(date|time)|date submitted|duration.*|status|progress|"
    r"finished|collector[ _]?id|user[ _]?language|distribution[ _]?channel|recipient.*|"
    r"external[ _]?(reference|data reference)|custom data.*|score)$", re.I)
_ORG_NAMES = re.compile(r"sector|role|department|directorate|division|team|site|service|grade|"
                        r"band|location|organi[sz]ation|staff[ _]?group|job|profession|region|"
                        r"area|unit|occupation", re.I)
_NA_KEYS = {normalise_label(x) for x in NOT_APPLICABLE}
MAX_GROUPS = 20


def _text_values(col: pd.Series) -> pd.Series:
    values = col.dropna()
    values = values[values.astype(str).str.strip() != ""]
    return values


def _match_preset(keys: set[str]) -> tuple[Scale, tuple[str, ...]] | None:
    """The first text preset whose labels cover every answer, and the N/A answers seen."""
    na = {k for k in keys if k in _NA_KEYS}
    substantive = keys - na
    if len(substantive) < 2:
        return None
    for preset in TEXT_PRESETS:
        if substantive <= set(preset.lookup()):
            return preset, tuple(sorted(na))
    return None


def _numeric_range(col: pd.Series) -> tuple[int, int] | None:
    values = pd.to_numeric(_text_values(col), errors="coerce")
    if values.empty or values.isna().any():
        return None
    if not np.all(np.isclose(values, np.round(values))):
        return None
    lo, hi = int(values.min()), int(values.max())
    if lo not in (0, 1) or values.nunique() < 3:
        return None
    k = hi - lo + 1
    return (lo, hi) if 4 <= k <= 11 else None


def infer_codebook(frame: pd.DataFrame, *, title: str = "Staff survey") -> Codebook:
    """Guess what each column is: scaled items, breakdowns, an ID, free text.

    Text agree/disagree-style answers (any letter case, common spelling variants) become
    items on a preset scale; integer columns on 1–4 … 1–11 (or 0–10) become numeric items,
    higher = more positive; low-cardinality text columns become breakdowns; long varied
    text becomes free text; platform metadata (e-mail, IP address, names, timestamps) is
    left out.

    Examples
    --------
    >>> frame = pd.DataFrame({"team": ["A", "B", "A"], "q1": [1, 5, 3], "q2": [2, 4, 4]})
    >>> cb = infer_codebook(frame)
    >>> [i.id for i in cb.items], [b.id for b in cb.breakdowns]
    (['q1', 'q2'], ['team'])
    """
    n = len(frame)
    items: list[Item] = []
    breakdowns: list[tuple[int, Breakdown]] = []
    text: list[TextQuestion] = []
    drop: list[str] = []
    id_column = None
    text_scales: dict[str, set[str]] = {}
    pending_text: list[tuple[str, Scale]] = []
    numeric: dict[str, tuple[int, int]] = {}
    for col in frame.columns:
        name = str(col)
        series = frame[col]
        values = _text_values(series)
        if values.empty:
            drop.append(name)
            continue
        if id_column is None and _ID_NAMES.match(name.strip()) and values.is_unique \
                and len(values) == n:
            id_column = name
            continue
        if _META_NAMES.match(name.strip()) or pd.api.types.is_datetime64_any_dtype(series):
            drop.append(name)
            continue
        rng = _numeric_range(series) if not _ORG_NAMES.search(name) else None
        if rng is not None:
            numeric[name] = rng
            continue
        keys = {normalise_label(v) for v in values.unique()}
        match = _match_preset(keys)
        if match is not None:
            preset, na = match
            text_scales.setdefault(preset.name, set()).update(na)
            pending_text.append((name, preset))
            continue
        distinct = len(keys)
        if pd.api.types.is_numeric_dtype(series) and distinct > MAX_GROUPS:
            drop.append(name)  # a measurement (age, salary): not a scale, not a group
            continue
        if 2 <= distinct <= MAX_GROUPS and distinct < max(3, 0.5 * len(values)):
            score = 0 if _ORG_NAMES.search(name) else 1
            breakdowns.append((score, Breakdown(id=_slug(name), column=name, label=name)))
            continue
        as_text = values.astype(str)
        if as_text.str.len().mean() >= 15 or distinct > 0.5 * len(values):
            text.append(TextQuestion(id=_slug(name), column=name, label=name))
        else:
            drop.append(name)
    na_labels = {normalise_label(x): x for x in NOT_APPLICABLE}
    scales: dict[str, Scale] = {}
    for name, na in text_scales.items():
        preset = next(p for p in TEXT_PRESETS if p.name == name)
        scales[name] = Scale(**{**preset.__dict__,
                                "not_applicable": tuple(na_labels[k] for k in sorted(na))})
    for name, preset in pending_text:
        items.append(Item(id=_slug(name), column=name, label=name, scale=scales[preset.name]))
    if numeric:
        common = Counter(numeric.values()).most_common(1)[0][0]
        for name, (lo, hi) in numeric.items():
            if common[0] <= lo and hi <= common[1]:
                lo, hi = common
            items.append(Item(id=_slug(name), column=name, label=name,
                               scale=numeric_scale(hi - lo + 1, low=lo)))
        order = {str(c): i for i, c in enumerate(frame.columns)}
        items.sort(key=lambda it: order[it.column])
    if not items:
        raise CodebookError("no survey items recognised: no agree/disagree-style text columns "
                            "and no integer 1-k columns; write a codebook (surveykit init "
                            "drafts one)")
    breakdowns.sort(key=lambda sb: sb[0])  # organisation-like names first, then file order
    cb = Codebook(
        items=tuple(_unique_ids(items)), breakdowns=tuple(b for _, b in breakdowns),
        text=tuple(text), id_column=id_column, title=title, drop=tuple(drop), inferred=True,
        scales=tuple({i.scale.name: i.scale for i in items}.values()),
    )
    return cb


def _slug(name: str) -> str:
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
    return slug[:60] or "column"


def _unique_ids(items: list[Item]) -> list[Item]:
    seen: Counter[str] = Counter()
    out = []
    for item in items:
        seen[item.id] += 1
        if seen[item.id] > 1:
            item = Item(**{**item.__dict__, "id": f"{item.id}_{seen[item.id]}"})
        out.append(item)
    return out


def describe_codebook(cb: Codebook) -> list[str]:
    """One line per decision an inferred codebook made, for the terminal."""
    lines = []
    by_scale: dict[str, list[Item]] = {}
    for item in cb.items:
        by_scale.setdefault(item.scale.name, []).append(item)
    for name, its in by_scale.items():
        s = its[0].scale
        na = f"; not applicable: {', '.join(s.not_applicable)}" if s.not_applicable else ""
        lines.append(f"{len(its)} item(s) on scale {name} ({s.labels[0]} .. {s.labels[-1]}; "
                     f"positive: {', '.join(s.positive)}{na})")
    if cb.breakdowns:
        lines.append("breakdowns: " + ", ".join(b.column for b in cb.breakdowns))
    if cb.id_column:
        lines.append(f"respondent id: {cb.id_column}")
    if cb.text:
        lines.append("free text: " + ", ".join(t.column for t in cb.text))
    if cb.drop:
        lines.append("not analysed: " + ", ".join(cb.drop))
    return lines
