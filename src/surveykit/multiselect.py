"""Find tick-all-that-apply questions and their options.

Declared ones come from the file (SPSS multiple-response sets, SurveyMonkey and Qualtrics
option columns); a grid of Yes/No columns under a question that says "select all that
apply" is one too (LimeSurvey). The rest are joined answers in one column:

Google Forms joins ticked options with ", " (and options may contain commas themselves:
"Hispanic, Latino, or Spanish origin"), Microsoft Forms with ";" plus a trailing ";",
others with "|". The options are not listed anywhere but in the answers, so they are
recovered from them: the answers given alone are options, and every joined answer must be
made of options. A column passes only when most answers decompose and a fair share of
them hold more than one option, so a free-text or single-choice column with commas in its
answers is not mistaken for one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

import pandas as pd

from surveykit.model import MultiResponse, normalise_label

__all__ = ["SEPARATORS", "joined_options"]

SEPARATORS = (";", "|", ", ")
_SELECT_ALL = re.compile(r"(select|choose|check|tick|mark)\b[^.?]*\b(all|as many|any)\b|"
                         r"all that apply|as many as apply", re.IGNORECASE)
_CODE_PREFIX = re.compile(r"^[A-Za-z]\w*(\[[^\]]*\])?\.\s+")  # LimeSurvey "rse3[SQ001]. "
_TICK_VALUES = {"yes", "no", "1", "0", "selected", "not selected", "checked", "unchecked",
                "true", "false", "y", "n", "x"}
MAX_OPTIONS = 40
MAX_DISTINCT = 2000
MIN_MULTI_SHARE = 0.03  # at least 3% of respondents ticked two or more options
MIN_DECOMPOSED = 0.95  # and 95% of answers are made of recognised options


def _parts(cell: str, sep: str) -> list[str]:
    return [p.strip() for p in cell.split(sep.strip()) if p.strip()]


def _decompose(parts: tuple[str, ...], options: frozenset[str]) -> list[str] | None:
    """Split ``parts`` (the cell cut at every comma) into runs that are known options."""

    @cache
    def walk(i: int) -> tuple[str, ...] | None:
        if i == len(parts):
            return ()
        for j in range(len(parts), i, -1):  # longest option first
            candidate = ", ".join(parts[i:j])
            if candidate.casefold() in options:
                rest = walk(j)
                if rest is not None:
                    return (candidate, *rest)
        return None

    found = walk(0)
    return list(found) if found is not None else None


def joined_options(values: pd.Series | Counter, separator: str | None = None
                   ) -> tuple[str, tuple[str, ...]] | None:
    """The separator and options of a joined multi-select column, or None.

    Parameters
    ----------
    values
        The column's answers (blanks ignored), or a Counter of answer -> how many.
    separator
        The platform's separator when known; otherwise ";", "|" and ", " are tried.

    Returns
    -------
    (separator, options) or None
        Options most-ticked first.
    """
    if isinstance(values, Counter):
        counts = Counter({str(k).strip(): n for k, n in values.items() if str(k).strip()})
    else:
        text = values.dropna().astype(str).str.strip()
        tally = text[text != ""].value_counts(sort=False)
        counts = Counter(dict(zip(tally.index.tolist(), tally.tolist())))
    total = sum(counts.values())
    if total < 5 or len(counts) > MAX_DISTINCT:
        return None  # too few answers, or free text: more distinct answers than options make
    for sep in ([separator] if separator else SEPARATORS):
        joined = sum(n for cell, n in counts.items() if sep.strip() in cell)
        if joined < max(2, MIN_MULTI_SHARE * total):
            continue
        found = (_comma_options(counts, total) if sep.strip() == ","
                 else _split_options(counts, total, sep))
        if found:
            return sep, found
    return None


def _accept(multi: int, decomposed: int, total: int, n_options: int) -> bool:
    return (2 <= n_options <= MAX_OPTIONS and multi >= max(2, MIN_MULTI_SHARE * total)
            and decomposed >= MIN_DECOMPOSED * total)


def _split_options(counts: Counter, total: int, sep: str) -> tuple[str, ...] | None:
    tokens: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    multi = 0
    for cell, n in counts.items():
        parts = _parts(cell, sep)
        multi += n if len(parts) > 1 else 0
        for p in parts:
            tokens[p.casefold()] += n
            spelling.setdefault(p.casefold(), p)
    if multi == 0:
        return None
    # Write-in "other" answers appear once or twice; options are what many people ticked.
    floor = max(2, 0.005 * total)
    options = [k for k, n in tokens.most_common() if n >= floor]
    known = set(options)
    decomposed = sum(n for cell, n in counts.items()
                     if all(p.casefold() in known for p in _parts(cell, sep)))
    if not _accept(multi, decomposed, total, len(options)) or any(
            len(spelling[o]) > 150 for o in options):
        return None
    return tuple(spelling[o] for o in options)


def _comma_options(counts: Counter, total: int) -> tuple[str, ...] | None:
    cells = {cell.casefold(): cell for cell in counts}
    # Google joins with ", "; a comma inside an option's own text ("$25,000") has no space.
    split = {k: tuple(p for p in (x.strip() for x in k.split(", ")) if p) for k in cells}
    # Options are the answers that are not themselves a combination of other answers:
    # fewest commas first, so "Asian, White" is tested against "Asian" and "White".
    options: set[str] = set()
    for key in sorted(cells, key=lambda k: len(split[k])):
        found = _decompose(split[key], frozenset(options)) if len(split[key]) > 1 else None
        if found is None or len(found) < 2:
            options.add(key)
    by_key = Counter()
    for cell, n in counts.items():
        by_key[cell.casefold()] += n
    for _ in range(2):  # second pass: add parts never given alone (ticked only with others)
        frozen = frozenset(options)
        used: Counter[str] = Counter()
        leftovers: Counter[str] = Counter()
        multi = decomposed = 0
        for key, n in by_key.items():
            found = _decompose(split[key], frozen)
            if found is None:
                leftovers.update({p: n for p in split[key]})
                continue
            decomposed += n
            multi += n if len(found) > 1 else 0
            used.update({f.casefold(): n for f in found})
        chosen = [k for k, _ in used.most_common()]
        if multi and _accept(multi, decomposed, total, len(chosen)):
            return tuple(cells.get(k, k) for k in chosen)
        extra = {k for k, n in leftovers.items() if n >= 2 and k not in options}
        if not extra or multi == 0 and decomposed == total:
            return None
        options |= extra
    return None


def slug(name: str, limit: int = 40) -> str:
    """A short lower_case id from a column name or question."""
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
    if len(slug) > limit:
        words = slug.split("_")
        slug = "_".join(words[:6])[:limit].strip("_")
    return slug or "column"



def strip_code(label: str) -> str:
    """The wording of a question without LimeSurvey's code prefix (``edu1. ``)."""
    return _CODE_PREFIX.sub("", label)


def select_all_text(label: str) -> bool:
    """Whether a question's wording asks to tick every answer that applies."""
    return bool(_SELECT_ALL.search(label))


def split_grid(label: str) -> tuple[str, str] | None:
    """("Question", "Row") from "Question [Row]" or "Question - Row" (LimeSurvey's code
    prefix ``rse3[SQ001]. `` removed), or None."""
    text = strip_code(label)
    m = re.match(r"^(?P<stem>.*\S)\s*\[(?P<row>[^\[\]]+)\]\s*$", text)
    if m is None:
        m = re.match(r"^(?P<stem>.*\S) - (?P<row>.+)$", text)
    return (m["stem"], m["row"]) if m else None


def _answers(col: pd.Series) -> pd.Series:
    values = col.dropna()
    return values[values.astype(str).str.strip() != ""]


def _unique_labels(labels: Iterable[str]) -> tuple[str, ...]:
    seen: Counter[str] = Counter()
    out = []
    for lab in labels:
        seen[lab] += 1
        out.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return tuple(out)


def declared_multi(frame: pd.DataFrame, multi_sets: Iterable, questions: dict[str, str],
                   used: set[str]) -> list[MultiResponse]:
    """Multiple-response questions the file declares (``RawTable.multi_sets``).

    Option columns (SPSS dichotomy sets, SurveyMonkey and Qualtrics choices) and SPSS
    category sets (one chosen option per column) are taken as they are; a column the
    platform joins answers in (Forms) only when its answers really decompose into recurring
    options. Columns taken are added to ``used``.
    """
    found = []
    for mset in multi_sets:
        if mset.kind == "dichotomy" and mset.columns:
            if any(c in used for c in mset.columns):
                continue
            found.append(MultiResponse(id=slug(mset.id), label=mset.label,
                                       options=_unique_labels(mset.options or mset.columns),
                                       columns=tuple(mset.columns)))
            used.update(mset.columns)
        elif mset.kind == "categories" and mset.columns and mset.options:
            if any(c in used for c in mset.columns):
                continue
            found.append(MultiResponse(id=slug(mset.id), label=mset.label,
                                       options=_unique_labels(mset.options),
                                       columns=tuple(mset.columns), coding="categories"))
            used.update(mset.columns)
        elif mset.kind == "joined" and mset.column in frame.columns and mset.column not in used:
            options = joined_options(_answers(frame[mset.column]), mset.separator)
            if options is not None:
                found.append(MultiResponse(
                    id=slug(mset.column), label=questions.get(mset.column) or mset.label,
                    options=options[1], column=mset.column, separator=options[0]))
                used.add(mset.column)
    return found


def select_all_groups(frame: pd.DataFrame, questions: dict[str, str],
                      used: set[str]) -> list[MultiResponse]:
    """Yes/No (or ticked/blank) columns of one "select all that apply" question."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for col in frame.columns:
        name = str(col)
        grid = split_grid(questions.get(name) or name) if name not in used else None
        if grid and _SELECT_ALL.search(grid[0]):
            groups.setdefault(grid[0], []).append((name, grid[1]))
    found = []
    for stem, members in groups.items():
        if len(members) < 2:
            continue
        if all({normalise_label(v) for v in _answers(frame[name]).astype(str)}
               <= _TICK_VALUES | {normalise_label(option)} for name, option in members):
            found.append(MultiResponse(
                id=slug(stem), label=stem, options=_unique_labels([o for _, o in members]),
                columns=tuple(n for n, _ in members)))
            used.update(n for n, _ in members)
    return found
