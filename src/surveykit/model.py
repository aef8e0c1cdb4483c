"""The codebook vocabulary: scales, items, questions and breakdowns.

These are frozen dataclasses that know nothing about files. A :class:`Codebook` says what
each column of a survey export means; :mod:`surveykit.codebook` reads and writes it as YAML
and :mod:`surveykit.survey` applies it to a table of responses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-"})
# Zero-width characters and stray byte-order marks: invisible, so never part of an answer.
_INVISIBLE = str.maketrans({"\ufeff": None, "\u200b": None, "\u200c": None, "\u200d": None,
                            "\u2060": None})


def normalise_label(value: object) -> str:
    """Return the key used to match answer text: case, spacing and quote style ignored.

    Survey platforms and hand-edited sheets disagree on letter case ("Strongly Agree"),
    curly apostrophes ("Don’t know") and stray spaces; none of these change the meaning.

    Examples
    --------
    >>> normalise_label("  Don’t   KNOW ")
    "don't know"
    """
    text = unicodedata.normalize("NFKC", str(value).translate(_INVISIBLE))
    text = text.translate(_APOSTROPHES).translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale.

    Parameters
    ----------
    name
        The codebook key, e.g. ``"agree5"``.
    labels
        Substantive answers from the most negative to the most positive.
    positive, neutral, negative
        Which labels count as positive, neutral and negative (% positive is the headline
        figure of the Civil Service People Survey and FEVS).
    not_applicable
        Answers excluded from the base, e.g. "Don't know".
    codes
        Numeric codes stored in the data for each label (same order), if the export
        stores numbers rather than text.
    not_applicable_codes
        Numeric codes meaning "not applicable" (e.g. SPSS user-missing 9 or -99).
    aliases
        Extra spellings mapped to a label, e.g. ``{"Neither agree or disagree": "Neither
        agree nor disagree"}``.
    """

    name: str
    labels: tuple[str, ...]
    positive: tuple[str, ...] = ()
    neutral: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    codes: tuple[float, ...] | None = None
    not_applicable_codes: tuple[float, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        """Every answer category in code order: substantive labels, then not-applicable."""
        return self.labels + self.not_applicable

    @property
    def k(self) -> int:
        """Number of substantive (scored) labels."""
        return len(self.labels)

    def scores(self) -> tuple[float, ...]:
        """Score of each substantive label, 1 for the most negative to k for the most positive."""
        return tuple(float(i + 1) for i in range(self.k))

    def polarity(self) -> tuple[int, ...]:
        """+1 positive, 0 neutral, -1 negative, for each substantive label (else 0)."""
        pos, neg = set(self.positive), set(self.negative)
        return tuple(1 if lab in pos else -1 if lab in neg else 0 for lab in self.labels)

    def has_midpoint(self) -> bool:
        """True when the scale has neutral answers (5- and 7-point scales do; 4 and 6 do not)."""
        return bool(self.neutral)

    def lookup(self) -> dict[str, int]:
        """Map a normalised answer (text or code) to its category index."""
        table: dict[str, int] = {}
        for i, lab in enumerate(self.categories):
            table[normalise_label(lab)] = i
        for alias, target in self.aliases:
            table[normalise_label(alias)] = self.categories.index(target)
        if self.codes is not None:
            for i, code in enumerate(self.codes):
                table[_code_key(code)] = i
        for j, code in enumerate(self.not_applicable_codes):
            # each not-applicable code maps onto a not-applicable label when one exists
            target = self.k + min(j, len(self.not_applicable) - 1) if self.not_applicable else None
            if target is not None:
                table[_code_key(code)] = target
        return table

    def reversed(self) -> Scale:
        """The same scale read the other way, for reverse-coded (negatively worded) items."""
        return replace(
            self,
            name=f"{self.name}~reversed",
            labels=tuple(reversed(self.labels)),
            positive=self.negative,
            negative=self.positive,
            codes=tuple(reversed(self.codes)) if self.codes is not None else None,
        )


def _code_key(code: object) -> str:
    """Normalised key for a numeric code: 4, 4.0 and "4" are the same answer."""
    try:
        number = float(code)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return normalise_label(code)
    return str(int(number)) if number.is_integer() else repr(number)


@dataclass(frozen=True)
class Item:
    """One scaled question (a Likert statement) stored in one column."""

    id: str
    column: str
    label: str
    scale: Scale
    theme: str = ""
    reverse: bool = False

    @property
    def effective_scale(self) -> Scale:
        """The scale as analysed: reversed for negatively worded items."""
        return self.scale.reversed() if self.reverse else self.scale


@dataclass(frozen=True)
class MultiResponse:
    """A tick-all-that-apply question.

    Three layouts: one column per option (``columns`` set, same order as ``options``: a cell
    is ticked when it holds the option label, 1, "yes", "true", "x" or "selected"); one column
    holding the ticked options joined by ``separator`` (``column`` set); or, with
    ``coding="categories"``, several columns each holding one of the options chosen (an SPSS
    multiple-category set: first mention, second mention ...).
    """

    id: str
    label: str
    options: tuple[str, ...]
    columns: tuple[str, ...] | None = None
    column: str | None = None
    separator: str = ";"
    coding: str = "ticks"


@dataclass(frozen=True)
class TextQuestion:
    """A free-text question: respondents' words, never analysed as numbers."""

    id: str
    column: str
    label: str


@dataclass(frozen=True)
class Index:
    """A composite index: the mean of several items' answers scored 0-100.

    Like the Civil Service People Survey's engagement index, each answer is scored evenly
    from 0 (most negative) to 100 (most positive) and a respondent's index is the mean of
    their scored items; ``min_share`` is the share of the items they must have answered.
    """

    id: str
    label: str
    items: tuple[str, ...]
    min_share: float = 1.0


@dataclass(frozen=True)
class Breakdown:
    """A column that splits respondents into groups (sector, role, site ...).

    ``groups`` fixes the reporting order. Answers are matched ignoring case and spacing, and
    ``mapping`` merges other spellings into a group (``{"NHS": "Health"}``). With ``other``
    set, every answer that is neither a group nor mapped joins that one group (the write-ins
    of a list with an "Other (please specify)" box), instead of becoming a group of its own.
    """

    id: str
    column: str
    label: str
    groups: tuple[str, ...] = ()
    mapping: tuple[tuple[str, str], ...] = ()
    other: str | None = None


@dataclass(frozen=True)
class Codebook:
    """What every analysed column of an export means."""

    items: tuple[Item, ...]
    breakdowns: tuple[Breakdown, ...] = ()
    multi: tuple[MultiResponse, ...] = ()
    text: tuple[TextQuestion, ...] = ()
    scales: tuple[Scale, ...] = ()
    id_column: str | None = None
    weight: str | None = None
    title: str = "Staff survey"
    drop: tuple[str, ...] = ()
    indices: tuple[Index, ...] = ()
    # Names to redact from free-text comments (the codebook's staff list); kept out of repr
    # and comparisons, and never written back by dump_codebook.
    staff_names: tuple[str, ...] = field(default=(), compare=False, repr=False)
    inferred: bool = field(default=False, compare=False)

    def breakdown(self, key: str) -> Breakdown:
        """Find a breakdown by id or column name (case-insensitive)."""
        wanted = normalise_label(key)
        for b in self.breakdowns:
            if normalise_label(b.id) == wanted or normalise_label(b.column) == wanted:
                return b
        raise KeyError(key)

    def themes(self) -> tuple[str, ...]:
        """Themes in first-appearance order."""
        seen: dict[str, None] = {}
        for item in self.items:
            seen.setdefault(item.theme or "Items", None)
        return tuple(seen)


@dataclass(frozen=True)
class PopulationRow:
    row: int
    breakdown: str
    group: str
    headcount: float


@dataclass(frozen=True)
class Population:
    """Headcounts as read, with their file rows for messages."""

    source: str
    rows: tuple[PopulationRow, ...]

    @property
    def breakdowns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.breakdown for r in self.rows))

    def total(self) -> float:
        """The workforce size (the total of the first breakdown)."""
        first = self.breakdowns[0]
        return float(sum(r.headcount for r in self.rows if r.breakdown == first))
