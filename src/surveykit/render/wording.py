"""Plain-English wording for headline findings and notes."""

from __future__ import annotations

from surveykit.analysis.results import Finding, ItemResult
from surveykit.render.format import fmt_n, fmt_pct


def positive_verb(item: ItemResult | None) -> str:
    """'agreed' for agreement scales, else 'answered positively'."""
    if item is not None and any("agree" in lab.lower() for lab in item.labels):
        return "agreed"
    return "answered positively"


def finding_sentence(finding: Finding, item: ItemResult | None = None) -> str:
    """One sentence with the figures and bases, e.g.

    'Housing staff (sector) were less likely than other staff to agree with "Helping people
    into work is part of my job": 41% vs 68% (n = 178 vs 1,009).'
    """
    verb = positive_verb(item)
    more = "more" if finding.direction == "higher" else "less"
    to_what = ("to agree with" if verb == "agreed" else "to answer positively to")
    return (f"{finding.group} staff ({finding.breakdown_label.lower()}) were {more} likely "
            f"than other staff {to_what} “{finding.item_label}”: "
            f"{fmt_pct(finding.group_pct)} vs {fmt_pct(finding.rest_pct)} "
            f"(n = {fmt_n(finding.group_n)} vs {fmt_n(finding.rest_n)}).")
