"""Anonymity: small-group suppression with complementary suppression.

Applied to analysis results before any renderer sees them, so every output (HTML, PDF,
xlsx, JSON, CSV, charts, headlines) inherits it. The rule, per line of groups that add up
to a shown total:

1. **Primary.** A group with 1 to ``min_group - 1`` responses is hidden (Civil Service
   People Survey: fewer than 10 not reported). A group with no responses at all reveals no
   one's answer and is shown as empty.
2. **Not stated.** Respondents who did not give their group count in the total but are
   never shown as a group: the total minus the groups gives their figures, so they need
   cover unless there are at least ``min_group`` of them and no group is hidden. When
   they cover a hidden group their number is not shown either.
3. **Complementary.** While the hidden respondents could be singled out by subtraction,
   i.e. they are a single group, or fewer than ``min_group`` people in all, the smallest
   shown group is hidden too (as employee-survey platforms do).

The same hidden groups then hold in every table of a breakdown: a group hidden from the
count of respondents is hidden from every item, tick-all question and index, so that no
item can show a group that separates two hidden ones. For nested breakdowns (sites within
sectors) the children of each shown parent group form a line of their own, since the
parent's figure minus its shown children would reveal a hidden child; a hidden parent
keeps at least one child hidden, so it cannot be rebuilt from its children. Any two
breakdowns, nested or not, are also checked together from their cross counts: no set of
people a reader could work out from both (a union of groups of one minus the groups of
the other lying inside it) may hold 1 to ``min_group - 1`` of them, so a sector with one
respondent misfiled under another area is no loophole. The two-way fieldwork table is
protected line by line, its "not stated" row and column included.

Everything shown must follow from the shown groups and the combined hidden remainder only,
never from how the remainder splits between hidden groups. Tests that used the hidden
groups one by one (chi-square, Fisher, Kruskal-Wallis, tick-all options) are therefore
redone with the hidden groups and the not stated pooled into one remainder; p-value
families and column letters are redone over the shown groups only. Weighted tests cannot
be redone from the result records (they need sums of squared weights), so where a group is
hidden they are withheld.

The parts live in their own modules: :mod:`.cover` (which groups of a line to hide),
:mod:`.overlap` (two breakdowns at once), :mod:`.fieldwork` (the two-way table and its
linear-programming audit) and :mod:`.retest`
(tests, corrections and letters redone over what is shown); this module applies them to
a whole set of results.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from surveykit.analysis.cover import COMPLEMENTARY, PRIMARY, protect, protect_family, reason
from surveykit.analysis.fieldwork import protect_cross
from surveykit.analysis.findings import headline_findings
from surveykit.analysis.results import GroupCount, IndexGroup, MultiGroup, SurveyResults
from surveykit.analysis.retest import WITHHELD, multi_option_tests, protect_items
from surveykit.errors import DisclosureError

__all__ = ["suppress", "protect", "protect_family", "PRIMARY", "COMPLEMENTARY", "WITHHELD"]


def suppress(results: SurveyResults, min_group: int = 10) -> SurveyResults:
    """Withhold every figure that could identify a group below ``min_group``.

    Parameters
    ----------
    results
        Output of :func:`surveykit.analysis.analyse`.
    min_group
        Minimum responses for a group's figures to be shown (default 10, the Civil Service
        People Survey rule).

    Returns
    -------
    SurveyResults
        A copy in which hidden groups carry ``suppressed=True``, a reason, and no figures;
        tests, p-value corrections and letters are redone without them; headline findings
        are recomputed from what is shown.

    Raises
    ------
    DisclosureError
        The whole survey has fewer than ``min_group`` respondents.
    """
    k = int(min_group)
    if results.respondents < k:
        # The all-staff figures are a group too: with fewer people than the threshold in the
        # whole survey, every output would show a group smaller than the rule allows.
        raise DisclosureError(
            f"only {results.respondents} respondent(s), fewer than the minimum group of {k}: "
            "nothing can be reported without risking identifying people (lower --min-group "
            "only if everyone agreed to be reported in a group that small)",
            path=results.source or None)
    if results.suppression_applied:
        # Hidden groups carry no sizes any more: suppressing again would show them as empty.
        if results.settings.min_group == k:
            return results
        raise ValueError("results are already suppressed; suppress the output of analyse()")
    nesting = results.nesting

    def family(tables: dict[str, tuple[np.ndarray, float]],
               seed: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        states = protect_family({b: t[0] for b, t in tables.items()},
                                {b: t[1] for b, t in tables.items()}, nesting, k,
                                {b: st > 0 for b, st in (seed or {}).items()},
                                overlaps=results.overlaps)
        # A group hidden from the respondent counts keeps that reason in every table: an
        # item's reason would tell whether its answers there number 0, 1-9 or 10 or more.
        return {b: np.where(seed[b] > 0, seed[b], st) if seed and b in seed else st
                for b, st in states.items()}

    counts = family({b.id: (np.array([g.n or 0 for g in b.groups], dtype=float),
                            float(b.not_stated or 0)) for b in results.breakdowns})
    summaries, hidden_groups, ns_known = [], {}, {}
    for b in results.breakdowns:
        state = counts[b.id]
        hidden_groups[b.id] = {g.group for g, st in zip(b.groups, state) if st}
        # With a group hidden, the number not stated is part of its cover: shown, it would
        # let the hidden group's size be worked out.
        ns_shown = b.not_stated if not b.not_stated or not state.any() else None
        ns_known[b.id] = ns_shown is not None
        summaries.append(replace(b, not_stated=ns_shown, groups=tuple(
            GroupCount(group=g.group, n=None if st else g.n, suppressed=bool(st),
                       suppression=reason(int(st), k))
            for g, st in zip(b.groups, state))))
    strata = getattr(results.settings, "strata", None)
    if strata and hidden_groups.get(strata["breakdown"], set()) & set(strata["strata"]):
        # Each stratum's own finite population correction carries its respondent count into
        # every standard error; nothing shown afterwards could be trusted to hide it.
        alone = sorted(hidden_groups[strata["breakdown"]] & set(strata["strata"]))
        raise ValueError(f"stratified by {strata['breakdown']}, the suppressed group(s) "
                         f"{', '.join(alone)} are strata of their own: pass them to "
                         "analyse(..., strata_pool=...) to merge them into one stratum")
    states = []
    for item in results.items:
        tables = {}
        for bid, ib in item.by.items():
            sizes = np.array([g.figures.n if g.figures else 0 for g in ib.groups], dtype=float)
            tables[bid] = (sizes, float(item.overall.n - sizes.sum()))
        states.append(family(tables, counts))
    items = protect_items(results, states, k)
    multi = []
    for m in results.multi:
        st = family({bid: (sizes := np.array([g.figures.n if g.figures else 0 for g in gs],
                                              dtype=float), float(m.overall.n - sizes.sum()))
                     for bid, gs in m.by.items()}, counts)
        tests = {bid: (multi_option_tests(m, bid, st[bid] > 0, results)
                       if st[bid].any() else t)
                 for bid, t in m.tests.items()}
        multi.append(replace(m, tests=tests, by={bid: tuple(
            g if not s else MultiGroup(group=g.group, figures=None, suppressed=True,
                                       suppression=reason(int(s), k))
            for g, s in zip(gs, st[bid])) for bid, gs in m.by.items()}))
    indices = []
    for x in results.indices:
        st = family({bid: (sizes := np.array([g.n or 0 for g in gs], dtype=float),
                           float(x.n - sizes.sum())) for bid, gs in x.by.items()}, counts)
        indices.append(replace(x, by={bid: tuple(
            g if not s else IndexGroup(group=g.group, mean=None, se=None, n=None,
                                       suppressed=True, suppression=reason(int(s), k))
            for g, s in zip(gs, st[bid])) for bid, gs in x.by.items()}))
    cross = [protect_cross(c, hidden_groups.get(c.rows, set()),
                            hidden_groups.get(c.columns, set()), ns_known.get(c.rows, True),
                            ns_known.get(c.columns, True), results.respondents, k)
             for c in results.cross]
    out = replace(results, breakdowns=tuple(summaries), items=items, multi=tuple(multi),
                  indices=tuple(indices), cross=tuple(cross),
                  settings=replace(results.settings, min_group=k), suppression_applied=True,
                  overlaps=())  # the cross counts of hidden groups: never past suppression
    return replace(out, findings=headline_findings(out))
