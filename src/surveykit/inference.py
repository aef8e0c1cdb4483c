"""Infer a draft codebook from the data alone.

Used when ``analyse`` is run without ``--codebook`` and by ``surveykit init``. The rules are
deliberately conservative and every decision is reported by :func:`describe_codebook`, so
the analyst sees what was assumed and can write it down in a codebook to change it.

Given a :class:`~surveykit.ingest.RawTable` rather than a bare frame, inference also uses
what the file says about itself: question wording, SPSS value labels and user-missing
values, declared multiple-response sets and free-text columns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from surveykit.errors import CodebookError
from surveykit.model import (
    Breakdown,
    Codebook,
    Item,
    MultiResponse,
    Scale,
    TextQuestion,
    normalise_label,
)
from surveykit.multiselect import (
    declared_multi,
    joined_options,
    select_all_groups,
    select_all_text,
    slug,
    split_grid,
    strip_code,
)
from surveykit.ordinal import is_not_applicable, order_groups, order_labels, read_label
from surveykit.scalebuild import (
    ScaleNames,
    anchored_numbers,
    coded_scale,
    numeric_with_aliases,
    text_scale,
)

_ID_NAMES = re.compile(r"^(respondent|response|record|resp|participant|case|staff)?[ _.-]?id$|"
                       r"^(respondent|response)[ _]?(id|number|no)$|^responseid$", re.IGNORECASE)
_META_NAMES = re.compile(
    r"^(ip[ _]?address|e-?mail( address)?|(first|last|full)[ _]?name|name|"
    r"location[ _]?(latitude|longitude)|latitude|longitude|start[ _]?(date|time)|"
    r"end[ _]?(date|time)|completion[ _]?time|last modified time|recorded[ _]?date|"
    r"timestamp|submitted|submission[ _]?(date|time)|date submitted|duration.*|status|progress|"
    r"finished|collector[ _]?id|user[ _]?language|distribution[ _]?channel|recipient.*|"
    r"external[ _]?(reference|data reference)|custom data.*|score|weight|size)$", re.IGNORECASE)
# "weight" is never taken as a survey weight unasked: in health surveys it is body weight.
# Whole words only (letters may not touch them: "opportunity" holds no "unit", "website"
# no "site"), so camelCase and snake_case names still match ("staff_group", "SiteName").
_ORG_NAMES = re.compile(r"(?<![a-z])(sector|role|department|directorate|division|team|site|"
                        r"service|grade|band|location|organi[sz]ation|staff[ _]?group|job|"
                        r"profession|region|area|unit|occupation|industry|employer|contract|"
                        r"position)(s|es)?(?![a-z])", re.IGNORECASE)
_RANKING = re.compile(r"\brank(ing)?\b|\bin order of preference\b", re.IGNORECASE)
# Who the respondent is, as staff surveys report it after the organisation's own units.
_DEMOGRAPHIC = re.compile(
    r"\b(gender|sex|male or female|age|age ?group|how old|ethnic(ity)?|race|disab(led|ility)|"
    r"education|qualifications?|income|tenure|length of service|years? of service|"
    r"experience|full[- ]?time|part[- ]?time|religion|sexual orientation|marital|region|"
    r"country|nationality)\b", re.IGNORECASE)
# Follow-up questions only some respondents see ("If yes, ...", "Why did you leave ...?").
_CONDITIONAL = re.compile(r"^\W*(if|why|please (explain|specify)|other)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(previous|former|past|last)\s+(jobs?|employers?|roles?|positions?|"
                   r"posts?|organi[sz]ations?)\b|^\W*(what|where|which) (was|were)\b",
                   re.IGNORECASE)
DEFAULT_BREAKDOWNS = 2  # an inferred codebook's breakdowns that analyse uses (the best)
MAX_GROUPS = 20
MAX_LISTED = 30  # groups of a list with write-ins pooled as "Other"
MIN_LISTED_SHARE = 0.9
MIN_WRITE_IN_BASE = 100  # fewer answers cannot tell listed answers from write-ins
MIN_WRITE_INS = 5
MAX_DESCRIPTIVE_LABEL = 80  # "How many years of professional work experience do you have?"
MAX_BREAKDOWN_LABEL = 150  # a long scenario question is an answer to analyse, not a group


@dataclass
class _Draft:
    """What inference has decided so far, column by column."""

    items: list[tuple[str, Any]] = field(default_factory=list)  # (column, kind/payload)
    # (rank, distinct answers, breakdown): see _breakdown_rank and _rank_breakdowns
    breakdowns: list[tuple[int, frozenset, Breakdown]] = field(default_factory=list)
    multi: list[MultiResponse] = field(default_factory=list)
    text: list[TextQuestion] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    id_column: str | None = None


def _unpack(data: Any) -> tuple[pd.DataFrame, Any]:
    if isinstance(data, pd.DataFrame):
        return data, None
    return data.frame, data


def _tally(col: pd.Series) -> pd.Series:
    """Distinct non-blank answers and how often each was given.

    Every rule below looks at the distinct answers only (a handful per column), never at
    each of 100,000 cells.
    """
    counts = col.value_counts(dropna=True, sort=False)
    keep = [not (isinstance(v, str) and not v.strip()) for v in counts.index]
    return counts[keep]


def _text_counts(tally: pd.Series) -> Counter:
    counts: Counter[str] = Counter()
    for value, n in zip(tally.index, tally.to_numpy()):
        counts[str(value).strip()] += int(n)
    return counts


def _is_dates(tally: pd.Series, series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    sample = list(tally.index[:50])
    return bool(sample) and all(hasattr(v, "year") and hasattr(v, "month") for v in sample)


def _numeric_range(distinct: pd.Index) -> tuple[int, int] | None:
    numbers = pd.to_numeric(pd.Series(distinct, dtype=object), errors="coerce")
    if numbers.empty or numbers.isna().any():
        return None
    if not np.all(np.isclose(numbers, np.round(numbers))):
        return None
    lo, hi = int(numbers.min()), int(numbers.max())
    if lo not in (0, 1) or np.unique(np.round(numbers)).size < 3:
        return None
    return (lo, hi) if 4 <= hi - lo + 1 <= 11 else None


def _item_id(column: str, label: str) -> str:
    if len(column) <= 24:
        return slug(column)
    grid = split_grid(label)
    if grid:
        return f"{slug(grid[0], 20)}_{slug(grid[1], 18)}"
    return slug(label)


def _refuse_aggregated(frame: pd.DataFrame, source: str | None) -> None:
    """Counts per answer (one column per scale point) are not respondents' answers."""
    named = [c for c in frame.columns if read_label(str(c)) or is_not_applicable(str(c))]
    if len(named) < 3 or len(frame) == 0:
        return
    counts = []
    for c in named:
        numbers = pd.to_numeric(frame[c], errors="coerce")
        if numbers.notna().all() and (numbers >= 0).all() and np.allclose(numbers,
                                                                           np.round(numbers)):
            counts.append(str(c))
    ordering = order_labels(counts) if len(counts) >= 3 else None
    if ordering is not None and len(ordering.labels) >= 3:
        raise CodebookError(
            "this looks like a table of counts already aggregated (one column per answer: "
            f"{', '.join(ordering.labels)}), not one row per respondent; surveykit needs "
            "each respondent's answers", path=source)


def infer_codebook(data: Any, *, title: str = "Staff survey") -> Codebook:
    """Guess what each column is: scaled items, breakdowns, multi-response, free text.

    Parameters
    ----------
    data
        A :class:`~surveykit.ingest.RawTable` (preferred: its question text, SPSS value
        labels and declared multiple-response sets are used) or a bare DataFrame.
    title
        The codebook's title.

    Rules, in order: an ID-like name with unique values is the respondent id; platform
    metadata and dates are left out; declared multiple-response sets, and groups of
    Yes/No columns whose question says "select all that apply", become multi-response
    questions; answers that read as one ordered scale (agree/disagree in any capitals and
    common variants, satisfied, likely, frequency, Yes/No/Maybe, "Very open" .. "Not open
    at all") become items, pooled into one scale per family of words and mapped to a preset
    when every label belongs to one; SPSS value labels order a scale by code; integers on
    1-4 .. 1-11 (or 0-10), with or without anchor words, become numeric items, higher = more
    positive; joined answers ("A, B" or "A;B;") whose parts recur become multi-response;
    low-cardinality text becomes a breakdown (organisation-like names first); long varied
    text is free text.

    Raises
    ------
    CodebookError
        When nothing can be analysed (no items and no multi-response questions), or the
        table holds aggregated counts rather than respondents.

    Examples
    --------
    >>> frame = pd.DataFrame({"team": ["A", "B", "A"], "q1": [1, 5, 3], "q2": [2, 4, 4]})
    >>> cb = infer_codebook(frame)
    >>> [i.id for i in cb.items], [b.id for b in cb.breakdowns]
    (['q1', 'q2'], ['team'])
    """
    frame, meta = _unpack(data)
    source = getattr(meta, "source", None)
    _refuse_aggregated(frame, source)
    if len(frame) < 2:
        raise CodebookError(f"only {len(frame)} response: too few to tell a scale from its "
                            "answers, and no result could be shown without revealing that "
                            "person's answers; write a codebook by hand to validate the file",
                            path=source)
    questions = dict(getattr(meta, "question_text", {}) or {})
    draft = _Draft()
    for found in (declared_multi(frame, getattr(meta, "multi_sets", ()) or (), questions,
                                 draft.used),
                  select_all_groups(frame, questions, draft.used)):
        draft.multi += found
    free = set(getattr(meta, "free_text", ()) or ())
    value_labels = getattr(meta, "value_labels", {}) or {}
    missing = getattr(meta, "missing_values", {}) or {}
    n = len(frame)
    for col in frame.columns:
        name = str(col)
        if name in draft.used:
            continue
        label = questions.get(name) or name
        series = frame[col]
        tally = _tally(series)
        if tally.empty:
            draft.drop.append(name)
            continue
        if draft.id_column is None and _ID_NAMES.match(name.strip()) and tally.sum() == n \
                and len(tally) >= 0.95 * n:
            draft.id_column = name
            continue
        if _META_NAMES.match(name.strip()) or _is_dates(tally, series) or \
                _RANKING.search(label):
            draft.drop.append(name)
            continue
        if name in free:
            draft.text.append(TextQuestion(id=slug(name), column=name, label=label))
            continue
        if name in value_labels:
            seen = [str(v) for v in tally.index]
            scale = coded_scale(name, value_labels[name], seen, missing.get(name, ()))
            if scale is not None:
                draft.items.append((name, ("coded", scale)))
                continue
        kind = _classify_answers(name, label, series, tally)
        if kind is not None:
            draft.items.append((name, kind))
            continue
        _other(name, label, series, tally, draft, value_labels.get(name))
    if not draft.items and not draft.multi:
        raise CodebookError("no survey items recognised: no agree/disagree-style text columns, "
                            "no integer 1-k columns, no Yes/No questions and no "
                            f"tick-all-that-apply questions in {len(frame.columns)} column(s) "
                            f"and {n} response(s); write a codebook by hand (see "
                            "docs/codebook.md)", path=source)
    items = _build_items(frame, draft.items, questions)
    items, breakdowns, multi, text = _unique_ids(
        items, _rank_breakdowns(draft.breakdowns), draft.multi, draft.text)
    return Codebook(
        items=tuple(items), breakdowns=tuple(breakdowns),
        multi=tuple(multi), text=tuple(text), id_column=draft.id_column,
        title=title, drop=tuple(draft.drop), inferred=True,
        scales=tuple({i.scale.name: i.scale for i in items}.values()),
    )


def _is_unit_name(name: str) -> bool:
    """A short column name that says it holds units ("Team", "Grade", "site_code"): numbers
    in it are group codes, not a scale. A long header that merely mentions a unit ("How
    satisfied are you with your current position?") is a question."""
    return len(strip_code(name)) <= 40 and bool(_ORG_NAMES.search(name))


def _classify_answers(name: str, label: str, series: pd.Series,
                      tally: pd.Series) -> tuple | None:
    """An item's kind from its answers: ("numeric", lo, hi, aliases, reverse), ("text",
    ordering), ("yesno01",) or None."""
    if not _is_unit_name(name):
        rng = _numeric_range(tally.index)
        if rng is not None:
            return ("numeric", rng[0], rng[1], (), False)
    if pd.api.types.is_numeric_dtype(series):
        uniques = {float(v) for v in tally.index}
        if uniques == {0.0, 1.0} and label.rstrip().endswith("?"):
            return ("yesno01",)
        return None
    if len(tally) > 80:
        return None
    counts = _text_counts(tally)
    if len(counts) > 40:
        return None
    anchored = anchored_numbers(counts)
    if anchored is not None and not _is_unit_name(name):
        return ("numeric", *anchored)
    ordering = order_labels(list(counts), counts)
    if ordering is not None:
        return ("text", ordering)
    return None


def _other(name: str, label: str, series: pd.Series, tally: pd.Series, draft: _Draft,
           labels: dict | None) -> None:
    """Not an item: a joined multi-select, a breakdown, free text, or left out."""
    is_text = not pd.api.types.is_numeric_dtype(series)
    counts = _text_counts(tally)
    if is_text:
        found = joined_options(counts)
        if found is not None:
            sep, options = found
            draft.multi.append(MultiResponse(id=slug(name), label=label, options=options,
                                             column=name, separator=sep))
            return
    distinct = len({normalise_label(v) for v in counts})
    if not is_text and distinct > 8 and not labels:
        draft.drop.append(name)  # a measurement (age, hours, salary): not a scale, not a group
        return
    answered = sum(counts.values())
    length = sum(len(v) * c for v, c in counts.items()) / answered if is_text else 0
    # A breakdown's groups repeat (two or more people each, on average) and hold a fair
    # share of respondents; comments and one-off write-ins do not.
    enough = answered >= min(10, 0.1 * len(series)) or answered == len(series)
    listed = _listed_with_write_ins(counts) if is_text and not labels else None
    if listed is not None:
        other = next((g for g in listed if normalise_label(g) == "other"), "Other")
        rank = _breakdown_rank(name, label, counts, len(series), labels)
        draft.breakdowns.append((rank, frozenset(map(normalise_label, listed)), Breakdown(
            id=slug(name), column=name, label=label,
            groups=tuple(sorted(listed, key=normalise_label)), other=other)))
        return
    if 2 <= distinct <= MAX_GROUPS and answered >= 2 * distinct and enough and length < 40:
        if is_text and distinct > 8 and all(_is_number(v) for v in counts):
            draft.drop.append(name)  # "0.0", "1.0" ... "12.0": a count written as text
            return
        groups = order_groups(counts, labels)
        rank = _breakdown_rank(name, label, counts, len(series), labels)
        answers = frozenset(normalise_label(v) for v in counts)
        draft.breakdowns.append((rank, answers, Breakdown(id=slug(name), column=name,
                                                          label=label, groups=groups)))
        return
    if is_text and (length >= 15 or distinct > 0.5 * answered):
        draft.text.append(TextQuestion(id=slug(name), column=name, label=label))
    else:
        draft.drop.append(name)


def _listed_with_write_ins(counts: Counter) -> tuple[str, ...] | None:
    """The listed answers of a question with an "Other (please specify)" box, or None.

    Many respondents pick from the list, so each listed answer is given often; write-ins
    are each given by a handful. A column qualifies when the answers given by at least
    0.5% of respondents (and five people) are few, short, and cover 90% of the answers:
    they become groups and the write-ins pool into "Other" (Ask a Manager's industry:
    26 listed industries and about a thousand write-ins).
    """
    merged: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for text, c in counts.most_common():
        key = normalise_label(text)
        merged[key] += c
        spelling.setdefault(key, text)
    answered = sum(merged.values())
    if answered < MIN_WRITE_IN_BASE:
        return None
    floor = max(5, 0.005 * answered)
    listed = [k for k, c in merged.items() if c >= floor]
    if len(merged) - len(listed) < MIN_WRITE_INS:
        return None  # a small group or two is a group, not a tail of write-ins
    if not 2 <= len(listed) <= MAX_LISTED or any(len(spelling[k]) > 60 for k in listed):
        return None
    if sum(map(_is_number, listed)) >= 0.8 * len(listed):
        return None  # counts or years written as text (with a stray code): a measurement
    if sum(merged[k] for k in listed) < MIN_LISTED_SHARE * answered:
        return None
    return tuple(spelling[k] for k in listed)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _breakdown_rank(name: str, label: str, counts: Counter, n: int,
                    labels: dict | None) -> int:
    """How good a default breakdown a column makes: 0 best.

    Staff-survey papers break results down by the organisation's units first (sector, team,
    site, role: named so in the column's name, then in its wording), then by who answered
    (gender, age, tenure ...), then by anything else. A column falls four places when it
    would make a poor split whatever its name: a follow-up question most respondents never
    saw, a question about a previous job, a "tick all that apply" question read one column
    at a time, a long scenario question, a near-constant answer, or bare codes with no
    labels.
    """
    wording = strip_code(label)
    # A long question that mentions a team or an age is about something else.
    short = len(wording) <= MAX_DESCRIPTIVE_LABEL
    if _is_unit_name(name):
        tier = 0
    elif short and _ORG_NAMES.search(wording):
        tier = 1
    elif short and (_DEMOGRAPHIC.search(wording) or _DEMOGRAPHIC.search(name)):
        tier = 2
    else:
        tier = 3
    answered = sum(counts.values())
    poor = (_CONDITIONAL.search(wording) or _PAST.search(wording) or select_all_text(wording)
            or len(wording) > MAX_BREAKDOWN_LABEL or answered < 0.5 * n
            or max(counts.values()) > 0.95 * answered
            or not labels and all(re.fullmatch(r"\d+", v) for v in counts))
    return tier + (4 if poor else 0)


def _rank_breakdowns(ranked: list[tuple[int, frozenset, Breakdown]]) -> list[Breakdown]:
    """Best first (ties in file order); a breakdown with the same answers as a better one
    (experience "overall" and "in your field", current and previous contract) goes after
    the others, so the two default breakdowns show different things."""
    ordered = sorted(enumerate(ranked), key=lambda ir: (ir[1][0], ir[0]))
    seen: set[frozenset] = set()
    first, repeats = [], []
    for _, (_, answers, b) in ordered:
        (repeats if answers in seen else first).append(b)
        seen.add(answers)
    return first + repeats


def _build_items(frame: pd.DataFrame, decided: list[tuple[str, Any]],
                 questions: dict[str, str]) -> list[Item]:
    """One scale per family of text answers, per numeric range, per SPSS label set."""
    names = ScaleNames()
    families: dict[str, Counter] = {}
    numeric: dict[str, tuple[int, int]] = {}
    aliases: dict[tuple[int, int], set] = {}
    for column, kind in decided:
        if kind[0] == "text":
            ordering = kind[1]
            counts = families.setdefault(ordering.family, Counter())
            for lab in (*ordering.labels, *ordering.not_applicable):
                counts[lab] += 1
            for alias, _ in ordering.aliases:
                counts[alias] += 1
        elif kind[0] == "numeric":
            numeric[column] = (kind[1], kind[2])
    family_scale: dict[str, Scale] = {}
    for family, counts in families.items():
        pooled = order_labels(list(counts), dict(counts))
        if pooled is None or pooled.family != family:
            continue  # cannot happen for labels of one family; kept as a guard
        family_scale[family] = names.register(text_scale(pooled))
    common = Counter(numeric.values()).most_common(1)[0][0] if numeric else None
    for column, kind in decided:
        if kind[0] == "numeric":
            lo, hi = numeric[column]
            if common[0] <= lo and hi <= common[1]:
                numeric[column] = common
            aliases.setdefault(numeric[column], set()).update(kind[3])
    items = []
    for column, kind in decided:
        reverse = False
        if kind[0] == "text":
            scale = family_scale.get(kind[1].family)
            if scale is None:
                continue
        elif kind[0] == "numeric":
            lo, hi = numeric[column]
            scale = names.register(numeric_with_aliases(lo, hi, aliases[(lo, hi)]))
            reverse = kind[4]
        elif kind[0] == "yesno01":
            scale = names.register(Scale(name="yesno01", labels=("No", "Yes"), positive=("Yes",),
                                         negative=("No",), codes=(0.0, 1.0)))
        else:
            scale = names.register(kind[1])
        label = questions.get(column) or column
        grid = split_grid(label)
        items.append(Item(id=_item_id(column, label), column=column, label=label, scale=scale,
                          theme=grid[0] if grid else "", reverse=reverse))
    # A grid's question is the theme of its rows; a lone "X - Y" label is not a grid.
    stems = Counter(i.theme for i in items if i.theme)
    return [i if stems[i.theme] > 1 else Item(**{**i.__dict__, "theme": ""}) for i in items]


def _unique_ids(*groups: list) -> list[list]:
    """Ids unique across items, breakdowns, multi and text questions (``_2``, ``_3`` ...)."""
    seen: Counter[str] = Counter()
    taken = {x.id for group in groups for x in group}
    out = []
    for group in groups:
        fixed = []
        for x in group:
            seen[x.id] += 1
            if seen[x.id] > 1:
                k = seen[x.id]
                while f"{x.id}_{k}" in taken:
                    k += 1
                taken.add(f"{x.id}_{k}")
                x = type(x)(**{**x.__dict__, "id": f"{x.id}_{k}"})
            fixed.append(x)
        out.append(fixed)
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
        how = "; higher number = more positive (assumed)" if s.codes and all(
            lab.lstrip("-").isdigit() for lab in s.labels) else ""
        rev = sum(i.reverse for i in its)
        rev_text = f"; {rev} read in reverse (anchors say 1 is positive)" if rev else ""
        lines.append(f"{len(its)} item(s) on scale {name} ({s.labels[0]} .. {s.labels[-1]}; "
                     f"positive: {', '.join(s.positive)}{na}{how}{rev_text})")
    if not cb.items:
        lines.append("no scaled items found: only the multi-response questions below are "
                     "analysed")
    for m in cb.multi:
        how = (f"joined by {m.separator!r}" if m.column else
               f"one chosen option in each of {len(m.columns)} columns"
               if m.coding == "categories" else "one column per option")
        lines.append(f"tick-all-that-apply: {m.label} ({len(m.options)} options, {how})")
    if cb.breakdowns:
        used, spare = cb.breakdowns[:DEFAULT_BREAKDOWNS], cb.breakdowns[DEFAULT_BREAKDOWNS:]
        lines.append("breakdowns: " + ", ".join(b.column for b in used)
                     + (f"; other candidates (--by): {', '.join(b.column for b in spare)}"
                        if spare else ""))
    if cb.id_column:
        lines.append(f"respondent id: {cb.id_column}")
    if cb.text:
        lines.append("free text: " + ", ".join(t.column for t in cb.text))
    if cb.drop:
        lines.append("not analysed: " + ", ".join(cb.drop))
    return lines
