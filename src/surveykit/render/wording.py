"""Plain-English wording for headline findings, chart descriptions and notes.

Every sentence carries its figures and bases, so a reader who quotes one line quotes it
with the evidence. Figures are rounded only through :mod:`surveykit.render.format`.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveykit.analysis.results import Finding, ItemResult
from surveykit.render.format import fmt_n, fmt_pct, fmt_points


#: How the methods note and table keys name each test the analysis can report.
TEST_NAMES = {
    "chi-square": "Pearson's chi-square test",
    "fisher": "Fisher's exact test (used where expected counts are small)",
    "fisher (monte carlo)": "Fisher's test with its p-value estimated from tables simulated "
                            "with the same totals (Monte Carlo; used where expected counts "
                            "are small and the possible tables too many to list)",
    "rao-scott": "Rao-Scott's design-based F test (weighted chi-square)",
    "two-proportion z": "two-proportion z-test",
    "design-based z": "design-based z-test on the weighted percentages",
    "kruskal-wallis": "Kruskal-Wallis test",
    "wald F (weighted means)": "design-based Wald F test of the weighted means",
    "mann-whitney": "Mann-Whitney test",
    "design-based t": "design-based t-test of the weighted means",
}


def test_name(name: str) -> str:
    """A test's name for readers: ``"fisher"`` -> ``"Fisher's exact test (...)"``."""
    return TEST_NAMES.get(name, name)


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def letters_text(letters: tuple[str, ...] | list[str]) -> str:
    """Column letters as printed in a cell: ``"ABd"``, spaced when any has two characters."""
    return ("" if all(len(x) == 1 for x in letters) else " ").join(letters)


def _agree_scale(item: ItemResult | None) -> bool:
    return item is not None and any("agree" in lab.lower() for lab in item.labels)


def positive_verb(item: ItemResult | None) -> str:
    """What a positive answer is, as a verb.

    'agreed' on agreement scales; 'disagreed' for a reverse-scored (negatively worded)
    statement, where disagreeing is the positive answer; else 'answered positively'.
    """
    if _agree_scale(item):
        return "disagreed" if item is not None and item.reverse else "agreed"
    return "answered positively"


def positive_phrase(item: ItemResult | None, label: str) -> str:
    """'agreed that “…”', 'disagreed that “…”' or 'answered positively to “…”'."""
    verb = positive_verb(item)
    if verb == "answered positively":
        return f"answered positively to “{label}”"
    return f"{verb} that “{label}”"


def group_name(finding: Finding) -> str:
    """'Housing (sector)': the group, and which breakdown it belongs to."""
    return f"{finding.group} ({finding.breakdown_label.lower()})"


@dataclass(frozen=True)
class FindingText:
    """A headline finding as words: who, what, and the figures with their bases."""

    who: str
    what: str
    figures: str
    direction: str  # "higher" or "lower"

    @property
    def sentence(self) -> str:
        return f"{self.who}: {self.what} {self.figures}."


def finding_text(finding: Finding, item: ItemResult | None = None) -> FindingText:
    """The parts of a headline finding (see :func:`finding_sentence`)."""
    gap = finding.group_pct - finding.rest_pct
    what = (f"{fmt_pct(finding.group_pct)} {positive_phrase(item, finding.item_label)}, "
            f"compared with {fmt_pct(finding.rest_pct)} of other staff")
    higher_lower = "higher" if finding.direction == "higher" else "lower"
    figures = (f"({fmt_points(abs(gap)).lstrip('+')} {higher_lower}; "
               f"n = {fmt_n(finding.group_n)} and {fmt_n(finding.rest_n)})")
    return FindingText(who=group_name(finding), what=what, figures=figures,
                       direction=finding.direction)


def finding_sentence(finding: Finding, item: ItemResult | None = None) -> str:
    """One sentence with the figures and bases, e.g.

    'Housing (sector): 29% agreed that “Helping people into work is part of my job”,
    compared with 67% of other staff (38 points lower; n = 178 and 1,009).'
    """
    return finding_text(finding, item).sentence
