"""Anonymity: small-group suppression with complementary suppression.

Applied to analysis results before any renderer sees them, so every output (HTML, PDF,
xlsx, JSON, charts, headlines) inherits it. The rule, per table of groups that add up to a
shown total:

1. **Primary.** A group with 1 to ``min_group - 1`` responses is hidden (Civil Service
   People Survey: fewer than 10 not reported). A group with no responses at all reveals no
   one's answer and is shown as empty.
2. **Not stated.** Respondents who did not give their group count in the total but are
   never shown as a group, so they are treated as hidden from the start: otherwise the
   total minus the groups would reveal their answers.
3. **Complementary.** While the hidden respondents could be singled out by subtraction,
   i.e. they are a single group, or fewer than ``min_group`` people in all, the smallest
   shown group is hidden too (as employee-survey platforms do).

For the two-way fieldwork table the same rule runs over every row and every column until
nothing changes. For nested breakdowns (sites within sectors) the children of each shown
parent group form a line of their own, since the parent's figure minus its shown children
would reveal a hidden child; a parent whose children cannot cover each other is hidden.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from surveykit.analysis.findings import headline_findings
from surveykit.analysis.results import (
    BreakdownSummary,
    CrossSummary,
    GroupCount,
    GroupResult,
    IndexGroup,
    ItemBreakdown,
    MultiGroup,
    Nesting,
    SurveyResults,
)

PRIMARY = "fewer than {k} responses"
COMPLEMENTARY = "hidden so that a smaller group cannot be worked out by subtraction"


def protect(sizes: np.ndarray, min_group: int, hidden_unshown: float = 0.0,
            hidden: np.ndarray | None = None) -> np.ndarray:
    """Which groups of one table to hide.

    Parameters
    ----------
    sizes
        Responses per shown group (unweighted).
    min_group
        The threshold; groups of 1 to ``min_group - 1`` are hidden.
    hidden_unshown
        Respondents counted in the total but never shown as a group (group not stated).
    hidden
        Groups already hidden for another reason (kept hidden, marked complementary).

    Returns
    -------
    numpy.ndarray
        int8 per group: 0 shown, 1 primary suppression, 2 complementary suppression.

    Examples
    --------
    >>> protect(np.array([50, 4, 30, 12]), 10).tolist()
    [0, 1, 0, 2]
    """
    sizes = np.asarray(sizes, dtype=float)
    state = np.where((sizes > 0) & (sizes < min_group), 1, 0).astype(np.int8)
    if hidden is not None:
        state = np.where((state == 0) & np.asarray(hidden, dtype=bool), 2, state)
    if min_group <= 1:
        return state if hidden is not None else np.zeros(len(sizes), dtype=np.int8)
    while True:
        hidden = sizes[(state > 0) & (sizes > 0)]
        members = len(hidden) + (1 if hidden_unshown > 0 else 0)
        total = hidden.sum() + hidden_unshown
        if members == 0 or (members >= 2 and total >= min_group):
            return state
        candidates = np.flatnonzero((state == 0) & (sizes > 0))
        if len(candidates) == 0:
            return state
        smallest = candidates[np.argmin(sizes[candidates])]
        state[smallest] = 2


def _reason(state: int, k: int) -> str | None:
    return None if state == 0 else PRIMARY.format(k=k) if state == 1 else COMPLEMENTARY


def _protect_cross(cross: CrossSummary, hidden_rows: set[str], hidden_cols: set[str],
                   k: int) -> CrossSummary:
    """Two-way version: every row and every column must satisfy the one-way rule.

    Respondents with a group not stated give no cover here: their counts follow from the
    shown margins, so a single hidden cell in a line could be solved for, and through it
    (row, then column) the small cell itself. Requiring two hidden cells in every line
    leaves at least a rectangle of hidden cells whose values can trade off against each
    other, the classic minimal pattern of cell suppression.
    """
    cells = np.array(cross.cells, dtype=float)
    state = np.where((cells > 0) & (cells < k), 1, 0).astype(np.int8)
    changed = True
    while changed:
        changed = False
        for axis in (0, 1):
            lines = state if axis == 0 else state.T
            values = cells if axis == 0 else cells.T
            for r in range(lines.shape[0]):
                new = protect(values[r], k, hidden=lines[r] > 0)
                if not np.array_equal(new, lines[r]):
                    lines[r] = new
                    changed = True
    shown = [[None if state[r, c] else int(cells[r, c]) for c in range(cells.shape[1])]
             for r in range(cells.shape[0])]
    return replace(
        cross,
        cells=tuple(tuple(row) for row in shown),
        row_totals=tuple(None if g in hidden_rows else t
                         for g, t in zip(cross.row_groups, cross.row_totals)),
        column_totals=tuple(None if g in hidden_cols else t
                            for g, t in zip(cross.column_groups, cross.column_totals)),
    )


def _covered(sizes: np.ndarray, state: np.ndarray, unshown: float, k: int) -> bool:
    """True when the hidden part of a line is nobody, or at least two groups and k people."""
    hidden = sizes[(state > 0) & (sizes > 0)]
    members = len(hidden) + (1 if unshown > 0 else 0)
    return members == 0 or (members >= 2 and hidden.sum() + unshown >= k)


def protect_family(sizes: dict[str, np.ndarray], unshown: dict[str, float],
                   nesting: tuple[Nesting, ...], min_group: int) -> dict[str, np.ndarray]:
    """:func:`protect` for several breakdowns of the same respondents at once.

    Each breakdown's groups add up to the overall figure; a nested breakdown's groups
    inside one parent group also add up to that parent's figure. Every such line must be
    covered; where a parent's children cannot cover each other (e.g. a sector with one small
    site), the parent group is hidden too. Repeats until nothing changes.
    """
    k = min_group
    state = {b: protect(sizes[b], k, hidden_unshown=unshown[b]) for b in sizes}
    changed = True
    while changed:
        changed = False
        for nest in nesting:
            if nest.child not in sizes or nest.parent not in sizes:
                continue
            parent_of = np.array(nest.parent_of, dtype=int)
            for a in range(len(sizes[nest.parent])):
                if state[nest.parent][a]:
                    continue  # a hidden parent gives no total to subtract from
                members = np.flatnonzero(parent_of == a)
                line = sizes[nest.child][members]
                inside = max(0.0, float(sizes[nest.parent][a] - line.sum()))
                before = state[nest.child][members]
                after = protect(line, k, hidden_unshown=inside, hidden=before > 0)
                if not _covered(line, after, inside, k):
                    state[nest.parent][a] = 2
                    changed = True
                elif not np.array_equal(after, before):
                    state[nest.child][members] = after
                    changed = True
        for b in sizes:
            again = protect(sizes[b], k, hidden_unshown=unshown[b], hidden=state[b] > 0)
            if not np.array_equal(again, state[b]):
                state[b] = again
                changed = True
    return state


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
        headline findings are recomputed from what is shown.
    """
    k = int(min_group)
    nesting = results.nesting

    def family(tables: dict[str, tuple[np.ndarray, float]]) -> dict[str, np.ndarray]:
        return protect_family({b: t[0] for b, t in tables.items()},
                              {b: t[1] for b, t in tables.items()}, nesting, k)

    counts = family({b.id: (np.array([g.n or 0 for g in b.groups], dtype=float),
                            float(b.not_stated or 0)) for b in results.breakdowns})
    summaries, hidden_groups = [], {}
    for b in results.breakdowns:
        state = counts[b.id]
        hidden_groups[b.id] = {g.group for g, st in zip(b.groups, state) if st}
        ns_shown = b.not_stated if not b.not_stated or b.not_stated >= k else None
        summaries.append(replace(b, not_stated=ns_shown, groups=tuple(
            GroupCount(group=g.group, n=None if st else g.n, suppressed=bool(st),
                       suppression=_reason(int(st), k))
            for g, st in zip(b.groups, state))))
    items = []
    for item in results.items:
        tables = {}
        for bid, ib in item.by.items():
            sizes = np.array([g.figures.n if g.figures else 0 for g in ib.groups], dtype=float)
            tables[bid] = (sizes, float(item.overall.n - sizes.sum()))
        states = family(tables)
        by = {}
        for bid, ib in item.by.items():
            state = states[bid]
            hidden_letters = {g.letter for g, st in zip(ib.groups, state) if st}
            by[bid] = replace(ib, groups=tuple(
                # A shown group keeps no letter of a hidden one: "higher than E" would say
                # something about a group too small to report.
                replace(g, higher_than=tuple(c for c in g.higher_than
                                             if c.upper() not in hidden_letters))
                if not st else GroupResult(group=g.group, figures=None, suppressed=True,
                                           suppression=_reason(int(st), k), letter=g.letter)
                for g, st in zip(ib.groups, state)))
        items.append(replace(item, by=by))
    multi = []
    for m in results.multi:
        states = family({bid: (sizes := np.array([g.figures.n if g.figures else 0 for g in gs],
                                                  dtype=float), float(m.overall.n - sizes.sum()))
                         for bid, gs in m.by.items()})
        multi.append(replace(m, by={bid: tuple(
            g if not st else MultiGroup(group=g.group, figures=None, suppressed=True,
                                        suppression=_reason(int(st), k))
            for g, st in zip(gs, states[bid])) for bid, gs in m.by.items()}))
    indices = []
    for x in results.indices:
        states = family({bid: (sizes := np.array([g.n or 0 for g in gs], dtype=float),
                               float(x.n - sizes.sum())) for bid, gs in x.by.items()})
        indices.append(replace(x, by={bid: tuple(
            g if not st else IndexGroup(group=g.group, mean=None, se=None, n=None,
                                        suppressed=True, suppression=_reason(int(st), k))
            for g, st in zip(gs, states[bid])) for bid, gs in x.by.items()}))
    cross = [_protect_cross(c, hidden_groups.get(c.rows, set()),
                            hidden_groups.get(c.columns, set()), k) for c in results.cross]
    out = replace(results, breakdowns=tuple(summaries), items=tuple(items), multi=tuple(multi),
                  indices=tuple(indices), cross=tuple(cross),
                  settings=replace(results.settings, min_group=k), suppression_applied=True)
    return replace(out, findings=headline_findings(out))
