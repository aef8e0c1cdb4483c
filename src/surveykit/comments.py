"""Free-text comments for the paper's appendix: grouped, thresholded and redacted.

Pure functions over a :class:`~surveykit.Survey`; nothing here reads or writes files.
Comments are listed per group of one breakdown, only for groups with at least
``min_group`` respondents (default 20, stricter than the figures' threshold because words
identify people more easily than percentages), and never for a group whose figures are
suppressed. Within a group, identical comments are merged with a count and the list is
sorted (most repeated first, then alphabetically) so that the order of submission, which
can identify people, is not kept.

Redaction replaces with ``[redacted]``: e-mail addresses; UK telephone numbers
(``0141 496 0372``, ``07700 900418``, ``+44 (0)141 496 0372`` ...); a capitalised name
after a title (``Mr``, ``Mrs``, ``Ms``, ``Miss``, ``Mx``, ``Dr``, ``Prof``); and any name in
a given staff list. It is a safety net, not a guarantee: read the comments before
publishing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveykit.model import normalise_label
from surveykit.survey import Survey

REDACTED = "[redacted]"
DEFAULT_MIN_GROUP = 20

_EMAIL = re.compile(r"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# A run starting with +, 00, ( or 0, made of digits, spaces, dots, hyphens and brackets;
# it is a phone number when it holds 10 to 13 digits (UK national or international form).
_PHONE = re.compile(r"(?<![\w+])(?:\+|\(?0)[\d\s().\-]{7,}\d(?!\w)")
_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\b\.?\s+"
    r"(?:[A-Z]\.\s*)*[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]+)?")
# Answers that say nothing ("n/a", "Nothing to add.") are left out of the appendix.
_EMPTY = {"", "na", "n a", "none", "no", "nil", "nothing", "nothing to add", "no comment",
          "no comments", "not applicable", "no further comments", "nothing further"}


@dataclass(frozen=True)
class Comment:
    """A comment as shown, and how many respondents in the group wrote exactly it."""

    text: str
    count: int = 1


@dataclass(frozen=True)
class CommentGroup:
    """The comments of one group of the breakdown."""

    group: str
    comments: tuple[Comment, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.comments)


@dataclass(frozen=True)
class CommentSection:
    """One free-text question's comments, by the groups of one breakdown."""

    question: str
    breakdown: str
    breakdown_label: str
    min_group: int
    groups: tuple[CommentGroup, ...]
    withheld_groups: int  # groups with comments not shown (too small, or suppressed)
    redactions: int


def _name_patterns(staff_names: Iterable[str]) -> list[re.Pattern[str]]:
    names = sorted({" ".join(str(n).split()) for n in staff_names if str(n).strip()},
                   key=lambda n: (-len(n), n))
    return [re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, n.split())) + r"(?!\w)",
                       re.IGNORECASE) for n in names]


def redact(text: str, staff_names: Iterable[str] = ()) -> str:
    """Replace contact details and names with ``[redacted]``.

    Examples
    --------
    >>> redact("Ring Dr Jane Smith on 0141 496 0372 or jane@example.org")
    'Ring [redacted] on [redacted] or [redacted]'
    """
    return _redact(text, _name_patterns(staff_names))[0]


def _redact(text: str, names: Sequence[re.Pattern[str]]) -> tuple[str, int]:
    """The redacted text and the number of replacements made."""
    count = 0

    def phone(match: re.Match[str]) -> str:
        nonlocal count
        if 10 <= sum(ch.isdigit() for ch in match.group(0)) <= 13:
            count += 1
            return REDACTED
        return match.group(0)

    text, k = _EMAIL.subn(REDACTED, text)
    count += k
    text = _PHONE.sub(phone, text)
    for pattern in (_TITLE, *names):
        text, k = pattern.subn(REDACTED, text)
        count += k
    return text, count


def is_empty_comment(text: str) -> bool:
    """True for answers that say nothing: blanks, "n/a", "Nothing to add." ..."""
    key = re.sub(r"[^\w\s]", " ", normalise_label(text))
    return " ".join(key.split()) in _EMPTY


def _find_question(survey: Survey, question: str | None):
    texts = survey.codebook.text
    if not texts:
        return None
    if question is None:
        return texts[0]
    wanted = normalise_label(question)
    for t in texts:
        if wanted in (normalise_label(t.id), normalise_label(t.column)):
            return t
    raise KeyError(question)


def grouped_comments(
    survey: Survey,
    breakdown: str | None = None,
    *,
    question: str | None = None,
    min_group: int = DEFAULT_MIN_GROUP,
    staff_names: Iterable[str] = (),
    exclude_groups: Collection[str] = (),
) -> CommentSection | None:
    """Redacted comments per group of ``breakdown``, for groups of ``min_group`` or more.

    Parameters
    ----------
    survey
        The survey (its ``responses`` hold the raw text).
    breakdown
        Breakdown id or column; default the codebook's first breakdown. With no breakdown
        at all, everyone is one group ("All respondents").
    question
        Free-text question id or column; default the codebook's first ``text:`` entry.
    min_group
        Smallest group (respondents, whether or not they commented) whose comments are
        listed.
    staff_names
        Names to redact wherever they occur (case-insensitive, whole words).
    exclude_groups
        Groups never to list, e.g. those whose figures are suppressed.

    Returns
    -------
    CommentSection or None
        None when the codebook has no free-text question.
    """
    text_q = _find_question(survey, question)
    if text_q is None:
        return None
    values = survey.responses[text_q.column]
    if survey.codebook.breakdowns:
        b = survey.codebook.breakdown(breakdown) if breakdown else survey.codebook.breakdowns[0]
        labels = survey.groups[b.id]
        codes = np.asarray(survey.group_codes[b.id])
        bid, blabel = b.id, b.label
    else:
        labels, codes, bid, blabel = ("All respondents",), np.zeros(survey.n, int), "", ""
    names = _name_patterns(staff_names)
    excluded = set(exclude_groups)
    groups, withheld, redactions = [], 0, 0
    for g, label in enumerate(labels):
        members = codes == g
        raw = [str(v) for v in values[members] if not pd.isna(v)]
        raw = [" ".join(v.split()) for v in raw if not is_empty_comment(v)]
        if not raw:
            continue
        if int(members.sum()) < min_group or label in excluded:
            withheld += 1
            continue
        shown = []
        for v in raw:
            text, k = _redact(v, names)
            shown.append(text)
            redactions += k
        counted = Counter(shown)
        comments = tuple(Comment(text=t, count=c)
                         for t, c in sorted(counted.items(), key=lambda tc: (-tc[1], tc[0])))
        groups.append(CommentGroup(group=label, comments=comments))
    return CommentSection(question=text_q.label, breakdown=bid, breakdown_label=blabel,
                          min_group=int(min_group), groups=tuple(groups),
                          withheld_groups=withheld, redactions=redactions)
