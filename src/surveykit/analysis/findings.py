"""Headline findings: only what a significant, corrected test supports.

A finding says that one group's % positive on an item differs from everyone else's. It is
made only when (a) the item's chi-square test by that breakdown is significant after the
multiple-comparison correction, (b) the group-vs-rest test is significant after the same
correction, (c) the difference is at least ``min_difference`` percentage points, so that
huge samples do not turn trivial gaps into headlines, and (d) the group is shown (not
suppressed). Wording is left to the renderers.
"""

from __future__ import annotations

import math

from surveykit.analysis.results import Finding, SurveyResults


def headline_findings(results: SurveyResults) -> tuple[Finding, ...]:
    """Findings from (suppressed) results, largest differences first.

    Each item and breakdown contributes at most its highest and its lowest group, so a
    paper is not filled with one item seen from six sides.
    """
    s = results.settings
    labels = {b.id: b.label for b in results.breakdowns}
    found: list[Finding] = []
    for item in results.items:
        for bid, ib in item.by.items():
            test = ib.test
            if test is None or not (test.p_adjusted < s.alpha):
                continue
            candidates = []
            for g in ib.groups:
                if g.suppressed or g.figures is None or g.vs_rest is None:
                    continue
                cmp = g.vs_rest
                if not (cmp.p_adjusted < s.alpha) or abs(cmp.difference) < s.min_difference:
                    continue
                if math.isnan(cmp.difference):
                    continue
                candidates.append(Finding(
                    item=item.id, item_label=item.label, breakdown=bid,
                    breakdown_label=labels.get(bid, bid), group=g.group,
                    direction="higher" if cmp.difference > 0 else "lower",
                    group_pct=g.figures.pct_positive, group_n=g.figures.n,
                    rest_pct=cmp.rest_pct_positive, rest_n=cmp.rest_n,
                    p_adjusted=cmp.p_adjusted, omnibus_p_adjusted=test.p_adjusted,
                ))
            highs = [f for f in candidates if f.direction == "higher"]
            lows = [f for f in candidates if f.direction == "lower"]
            for side in (highs, lows):
                if side:
                    found.append(max(side, key=lambda f: abs(f.group_pct - f.rest_pct)))
    found.sort(key=lambda f: (-abs(f.group_pct - f.rest_pct), f.item, f.breakdown, f.group))
    return tuple(found)
