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
keeps at least one child hidden, so it cannot be rebuilt from its children. The two-way
fieldwork table is protected line by line, its "not stated" row and column included.

Everything shown must follow from the shown groups and the combined hidden remainder only,
never from how the remainder splits between hidden groups. Tests that used the hidden
groups one by one (chi-square, Fisher, Kruskal-Wallis, tick-all options) are therefore
redone with the hidden groups and the not stated pooled into one remainder; p-value
families and column letters are redone over the shown groups only. Weighted tests cannot
be redone from the result records (they need sums of squared weights), so where a group is
hidden they are withheld.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from surveykit.analysis import itemstats
from surveykit.analysis.findings import headline_findings
from surveykit.analysis.itemstats import Design, Masks
from surveykit.analysis.multitests import TickSums, multi_tests
from surveykit.analysis.results import (
    CrossSummary,
    GroupCount,
    GroupResult,
    IndexGroup,
    ItemResult,
    MultiGroup,
    MultiResult,
    Nesting,
    OptionTest,
    SurveyResults,
    TestResult,
)
from surveykit.analysis.significance import adjust
from surveykit.analysis.weights import CellSums
from surveykit.errors import DisclosureError

PRIMARY = "fewer than {k} responses"
COMPLEMENTARY = "hidden so that a smaller group cannot be worked out by subtraction"
WITHHELD = ("withheld to protect a suppressed group (a weighted or stratified test cannot "
            "be redone without it)")

NAN = float("nan")


def _covered(sizes: np.ndarray, state: np.ndarray, unshown: float, k: int) -> bool:
    """Can the hidden part of a line (hidden groups + ``unshown``) be derived safely?

    Safe when it is nobody; or the unshown alone and at least ``k`` of them; or at least two
    members (groups, or groups and the unshown) with ``k`` people between them.
    """
    hidden = sizes[(state > 0) & (sizes > 0)]
    if len(hidden) == 0:
        return unshown <= 0 or unshown >= k
    members = len(hidden) + (1 if unshown > 0 else 0)
    return members >= 2 and hidden.sum() + unshown >= k


def protect(sizes: np.ndarray, min_group: int, hidden_unshown: float = 0.0,
            hidden: np.ndarray | None = None) -> np.ndarray:
    """Which groups of one line to hide.

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
    while not _covered(sizes, state, hidden_unshown, min_group):
        candidates = np.flatnonzero((state == 0) & (sizes > 0))
        if len(candidates) == 0:
            return state
        state[candidates[np.argmin(sizes[candidates])]] = 2
    return state


def protect_family(sizes: dict[str, np.ndarray], unshown: dict[str, float],
                   nesting: tuple[Nesting, ...], min_group: int,
                   seed: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """:func:`protect` for several breakdowns of the same respondents at once.

    Each breakdown's groups add up to the overall figure; a nested breakdown's groups
    inside one parent group also add up to that parent's figure. Every such line must be
    covered; where a parent's children cannot cover each other (e.g. a sector with one small
    site), the parent group is hidden too; a hidden parent whose children are all shown has
    its smallest child hidden. ``seed`` gives groups hidden from the start (e.g. those
    hidden from the count of respondents). Repeats until nothing changes.
    """
    k = min_group
    seed = seed or {}
    state = {b: protect(sizes[b], k, hidden_unshown=unshown[b], hidden=seed.get(b))
             for b in sizes}
    changed = True
    while changed:
        changed = False
        for nest in nesting:
            if nest.child not in sizes or nest.parent not in sizes:
                continue
            parent_of = np.array(nest.parent_of, dtype=int)
            for a in range(len(sizes[nest.parent])):
                members = np.flatnonzero(parent_of == a)
                line = sizes[nest.child][members]
                before = state[nest.child][members]
                if state[nest.parent][a]:
                    # The parent's total is hidden, but its shown children would add up to it.
                    live = line > 0
                    if live.any() and not np.any(before[live] > 0) and k > 1:
                        state[nest.child][members[live][np.argmin(line[live])]] = 2
                        changed = True
                    continue
                inside = max(0.0, float(sizes[nest.parent][a] - line.sum()))
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


def _reason(state: int, k: int) -> str | None:
    return None if state == 0 else PRIMARY.format(k=k) if state == 1 else COMPLEMENTARY


def _cover_lines(full: np.ndarray, state: np.ndarray, row_hidden: np.ndarray,
                 col_hidden: np.ndarray, k: int) -> bool:
    """Apply :func:`protect` to every row and column with a known total until stable (in
    place); True when every such line ends up covered."""
    changed = True
    while changed:
        changed = False
        for values, lines, hidden_lines in ((full, state, row_hidden),
                                            (full.T, state.T, col_hidden)):
            for r in np.flatnonzero(~hidden_lines):
                new = protect(values[r], k, hidden=lines[r] > 0)
                if not np.array_equal(new, lines[r]):
                    lines[r] = new
                    changed = True
    return all(_covered(values[r], lines[r], 0.0, k)
               for values, lines, hidden_lines in ((full, state, row_hidden),
                                                   (full.T, state.T, col_hidden))
               for r in np.flatnonzero(~hidden_lines))


def _pinned(full: np.ndarray, state: np.ndarray, row_hidden: np.ndarray,
            col_hidden: np.ndarray, zeros_printed: bool, k: int) -> list[np.ndarray]:
    """Hidden small figures that the printed ones pin down, by linear programming.

    The attacker knows every cell not hidden, the totals of the lines not hidden and the
    grand total, and that a hidden cell of a printed row and column is at least 1 (zeros
    are printed). Each small hidden cell, and each small hidden group's total, is minimised
    and maximised; a range narrower than one person means it can be worked out. Returns a
    mask of the cells making up each pinned figure.
    """
    from scipy.optimize import linprog  # only needed when something is hidden

    unknown = state > 0
    index = -np.ones(full.shape, dtype=int)
    index[unknown] = np.arange(unknown.sum())
    n_rows, n_cols = full.shape
    inner = np.zeros(full.shape, dtype=bool)
    inner[:-1, :-1] = True
    lower = np.where(inner & ~row_hidden[:, None] & ~col_hidden[None, :] & zeros_printed,
                     1.0, 0.0)[unknown]
    lines = [np.eye(n_rows, dtype=bool)[r][:, None] & np.ones((1, n_cols), dtype=bool)
             for r in np.flatnonzero(~row_hidden)]
    lines += [np.ones((n_rows, 1), dtype=bool) & np.eye(n_cols, dtype=bool)[c][None, :]
              for c in np.flatnonzero(~col_hidden)]
    lines.append(np.ones(full.shape, dtype=bool))
    a_eq = np.array([(line & unknown)[unknown].astype(float) for line in lines])
    b_eq = np.array([full[line & unknown].sum() for line in lines])
    targets = [cell for cell in np.argwhere(unknown & (full > 0) & (full < k))]
    masks = [np.eye(1, full.size, r * n_cols + c, dtype=bool).reshape(full.shape)
             for r, c in targets]
    for r in np.flatnonzero(row_hidden[:-1]):
        if 0 < full[r].sum() < k:
            masks.append(np.eye(n_rows, dtype=bool)[r][:, None] & np.ones((1, n_cols), bool))
    for c in np.flatnonzero(col_hidden[:-1]):
        if 0 < full[:, c].sum() < k:
            masks.append(np.ones((n_rows, 1), bool) & np.eye(n_cols, dtype=bool)[c][None, :])
    bounds = list(zip(lower, [None] * len(lower)))
    pinned = []
    for mask in masks:
        objective = (mask & unknown)[unknown].astype(float)
        lo = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        hi = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if lo.status != 0 or hi.status != 0 or -hi.fun - lo.fun < 1 - 1e-7:
            pinned.append(mask)
    return pinned


def _protect_cross(cross: CrossSummary, hidden_rows: set[str], hidden_cols: set[str],
                   rows_ns_known: bool, cols_ns_known: bool, respondents: int,
                   k: int) -> CrossSummary:
    """Two-way version: every line with a known total must satisfy the one-way rule, and
    no small hidden figure may be pinned down by the printed ones.

    The table is completed with its "not stated" row and column (row total minus the cells,
    and so on), which are never printed but follow from the margins; they are protected as
    if they were printed. A row whose total is hidden (its group is hidden, or the number
    not stated is) has all its cells hidden, since its cells would add up to it. Requiring
    two hidden cells in every line leaves at least a rectangle of hidden cells whose values
    can trade off against each other, the classic minimal pattern of cell suppression; a
    linear-programming audit (as tau-ARGUS does) then checks that they really can, hiding
    more cells while one is pinned. If nothing more can be hidden, only the margins are
    printed.
    """
    cells = np.array(cross.cells, dtype=float)
    n_rows, n_cols = cells.shape
    row_totals = np.array(cross.row_totals, dtype=float)
    col_totals = np.array(cross.column_totals, dtype=float)
    full = np.zeros((n_rows + 1, n_cols + 1))
    full[:n_rows, :n_cols] = cells
    full[:n_rows, n_cols] = row_totals - cells.sum(axis=1)
    full[n_rows, :n_cols] = col_totals - cells.sum(axis=0)
    full[n_rows, n_cols] = respondents - row_totals.sum() - full[n_rows, :n_cols].sum()
    row_hidden = np.array([g in hidden_rows for g in cross.row_groups] + [not rows_ns_known])
    col_hidden = np.array([g in hidden_cols for g in cross.column_groups] + [not cols_ns_known])
    state = np.where((full > 0) & (full < k), 1, 0).astype(np.int8)
    seeded = row_hidden[:, None] | col_hidden[None, :]
    state = np.where((state == 0) & seeded, 2, state).astype(np.int8)
    margins_only = False
    if k > 1:
        margins_only = not _cover_lines(full, state, row_hidden, col_hidden, k)
        while not margins_only and state.any():
            pinned = _pinned(full, state, row_hidden, col_hidden, True, k)
            if not pinned:
                break
            # Hide the smallest printed cell in a line through the pinned figure.
            through = np.zeros(full.shape, dtype=bool)
            for mask in pinned:
                hidden_at = mask & (state > 0)
                through |= hidden_at.any(axis=1)[:, None] | hidden_at.any(axis=0)[None, :]
            candidates = np.argwhere(through & (state == 0) & (full > 0))
            if len(candidates) == 0:
                margins_only = True
                break
            r, c = candidates[np.argmin(full[tuple(candidates.T)])]
            state[r, c] = 2
            margins_only = not _cover_lines(full, state, row_hidden, col_hidden, k)
    if margins_only:
        # Printed zeros would pin the hidden cells: print the margins only.
        state[:] = 2
    shown = [[None if state[r, c] else int(cells[r, c]) for c in range(n_cols)]
             for r in range(n_rows)]
    return replace(
        cross,
        cells=tuple(tuple(row) for row in shown),
        row_totals=tuple(None if g in hidden_rows else t
                         for g, t in zip(cross.row_groups, cross.row_totals)),
        column_totals=tuple(None if g in hidden_cols else t
                            for g, t in zip(cross.column_groups, cross.column_totals)),
    )


# --- tests redone on what is shown ------------------------------------------------------

def _not_redoable(results: SurveyResults) -> bool:
    """Weighted or stratified tests need sums the records do not keep (squared weights,
    sums by stratum): they cannot be redone from the shown groups and the remainder."""
    return results.settings.weighted or getattr(results.settings, "strata", None) is not None


def _design(results: SurveyResults) -> Design:
    s = results.settings
    return Design(weighted=False, n_total=float(results.respondents), population=s.population,
                  confidence=s.confidence, correction=s.correction, strict=s.letters_strict,
                  loose=s.letters_loose, letters_family=s.letters_family)


def _cube(items: list[ItemResult], rows: list[list[np.ndarray]]) -> tuple[CellSums, Masks]:
    """Unweighted cell sums (``items x groups + 1 x categories + 1``) from answer counts."""
    n_cat = max(len(i.labels) for i in items)
    n_groups = len(rows[0])
    n = np.zeros((len(items), n_groups + 1, n_cat + 1), dtype=np.int64)
    masks = {key: np.zeros((len(items), n_cat + 1), dtype=bool)
             for key in ("valid", "na", "positive", "neutral", "negative")}
    score = np.zeros((len(items), n_cat + 1))
    for i, (item, counts) in enumerate(zip(items, rows)):
        k, pol = len(item.labels), np.array(item.polarity)
        for g, c in enumerate(counts):
            n[i, g, :k] = np.rint(c)
        masks["valid"][i, :k] = True
        masks["positive"][i, :k] = pol == 1
        masks["negative"][i, :k] = pol == -1
        masks["neutral"][i, :k] = pol == 0
        score[i, :k] = np.arange(1, k + 1)
    return CellSums(n=n, w=n.astype(float), w2=n.astype(float)), Masks(score=score, **masks)


def _record(t: dict, i: int = 0) -> TestResult:
    """Entry ``i`` of an :mod:`.itemstats` test as a record (as :func:`analyse` makes it)."""
    def num(key: str) -> float:
        return float(t[key][i]) if key in t else NAN

    ddf, ndf = num("ddf"), num("ndf")
    return TestResult(
        name=str(t["name"] if isinstance(t["name"], str) else t["name"][i]),
        statistic=num("statistic"), df=int(np.nan_to_num(num("df"))),
        p_value=num("p_value"), p_adjusted=num("p_adjusted"), effect_size=num("effect_size"),
        n=int(np.nan_to_num(num("n"))), min_expected=num("min_expected"),
        share_expected_lt5=num("share_expected_lt5"),
        p_method=str(t["p_method"][i]) if "p_method" in t else "asymptotic",
        ddf=ddf if np.isfinite(ddf) else None, ndf=ndf if np.isfinite(ndf) else None,
        effect_size_name="Cramér's V" if "effect_size" in t else "")


def _withheld(test: TestResult | None) -> TestResult | None:
    if test is None:
        return None
    return replace(test, statistic=NAN, df=0, p_value=NAN, p_adjusted=NAN, effect_size=NAN,
                   n=0, min_expected=NAN, share_expected_lt5=NAN, p_method=WITHHELD,
                   ddf=None, ndf=None)


def _pooled_tests(item: ItemResult, bid: str, hidden: np.ndarray, design: Design
                  ) -> tuple[TestResult, TestResult]:
    """Omnibus and mean tests over the shown groups plus one remainder (everyone else)."""
    groups = item.by[bid].groups
    shown = [np.array(g.figures.counts) for g, h in zip(groups, hidden) if not h]
    rest = np.array(item.overall.counts) - sum(shown, np.zeros(len(item.labels)))
    rows = shown + [np.maximum(rest, 0.0)]
    s, masks = _cube([item], [rows])
    f = itemstats.figures(s, masks, design)
    omni = itemstats.omnibus(s, masks, design, len(rows))
    means = itemstats.mean_test(s, masks, design, f, len(rows))
    return _record(omni), _record(means)


def _letters(items: list[ItemResult], bid: str, hidden: list[np.ndarray],
             design: Design) -> list[list[tuple[str, ...]]]:
    """Column letters between shown groups only (hidden groups are not in any pair)."""
    rows = [[np.zeros(len(item.labels)) if h or g.figures is None else np.array(g.figures.counts)
             for g, h in zip(item.by[bid].groups, hid)] for item, hid in zip(items, hidden)]
    s, masks = _cube(items, rows)
    n_groups = len(rows[0])
    lett = itemstats.letters(itemstats.figures(s, masks, design), design, n_groups)
    return [[tuple(lab if lett.level[i, g, h] == 2 else lab.lower()
                   for h, lab in enumerate(lett.labels) if lett.level[i, g, h] > 0)
             for g in range(n_groups)] for i in range(len(items))]


def _protect_items(results: SurveyResults, states: list[dict[str, np.ndarray]],
                   k: int) -> tuple[ItemResult, ...]:
    """Hide groups item by item and redo what depended on them, breakdown by breakdown."""
    items = list(results.items)
    weighted = _not_redoable(results)
    design = _design(results)
    correction = results.settings.correction
    by: list[dict] = [dict(item.by) for item in items]
    for bid in {b for item in items for b in item.by}:
        rows = [i for i, item in enumerate(items) if bid in item.by]
        hidden = {i: states[i][bid] > 0 for i in rows}
        if not any(hidden[i].any() for i in rows):
            continue
        tests, means = {}, {}
        for i in rows:
            ib = items[i].by[bid]
            if not hidden[i].any():
                tests[i], means[i] = ib.test, ib.mean_test
            elif weighted:
                tests[i], means[i] = _withheld(ib.test), _withheld(ib.mean_test)
            else:
                tests[i], means[i] = _pooled_tests(items[i], bid, hidden[i], design)
        for records in (tests, means):  # one family per breakdown: all its items
            live = [i for i in rows if records[i] is not None]
            adjusted = adjust(np.array([records[i].p_value for i in live]), correction)
            for i, p in zip(live, adjusted):
                records[i] = replace(records[i], p_adjusted=float(p))
        # Group vs rest: the family is the tests shown (all items and groups of the breakdown).
        raw = np.array([[NAN if h or g.vs_rest is None else g.vs_rest.p_value
                         for g, h in zip(items[i].by[bid].groups, hidden[i])] for i in rows])
        vs_adjusted = dict(zip(rows, adjust(raw, correction)))
        family = results.settings.letters_family
        redo = [i for i in rows if family == "breakdown" or hidden[i].any()]
        letters = {}
        if redo and not weighted:
            letters = dict(zip(redo, _letters([items[i] for i in redo], bid,
                                               [hidden[i] for i in redo], design)))
        elif redo:
            letters = {i: [()] * len(hidden[i]) for i in redo}  # cannot be redone: withheld
        for i in rows:
            ib = items[i].by[bid]
            groups = []
            for g, (group, st) in enumerate(zip(ib.groups, states[i][bid])):
                if st:
                    groups.append(GroupResult(group=group.group, figures=None, suppressed=True,
                                              suppression=_reason(int(st), k),
                                              letter=group.letter))
                    continue
                vs = group.vs_rest
                if vs is not None:
                    vs = replace(vs, p_adjusted=float(vs_adjusted[i][g]))
                groups.append(replace(group, vs_rest=vs,
                                      higher_than=letters[i][g] if i in letters
                                      else group.higher_than))
            by[i][bid] = replace(ib, groups=tuple(groups), test=tests[i], mean_test=means[i])
    return tuple(replace(item, by=by[i]) for i, item in enumerate(items))


def _multi_tests(m: MultiResult, bid: str, hidden: np.ndarray, weighted: bool,
                 correction: str, respondents: int) -> tuple[OptionTest, ...]:
    """Per-option tests over the shown groups plus the remainder (or withheld, weighted)."""
    old = m.tests.get(bid, ())
    if weighted:
        return tuple(replace(t, statistic=NAN, df=NAN, p_value=NAN, p_adjusted=NAN,
                             p_method=WITHHELD) for t in old)
    shown = [g.figures for g, h in zip(m.by[bid], hidden) if not h and g.figures is not None]
    ticked = [np.array(f.counts, dtype=float) for f in shown]
    base = [float(f.n) for f in shown]
    ticked.append(np.maximum(np.array(m.overall.counts) - sum(ticked, np.zeros(len(m.options))),
                             0.0))
    base.append(max(float(m.overall.n) - sum(base), 0.0))
    ticked.append(np.zeros(len(m.options)))  # the not-stated slot: in the remainder already
    base.append(0.0)
    t_n, b_n = np.rint(np.array(ticked)), np.rint(np.array(base))
    sums = TickSums(ticked_n=t_n, ticked_w=t_n, ticked_w2=t_n, base_n=b_n, base_w=b_n,
                    base_w2=b_n)
    t = multi_tests(None, None, np.zeros(respondents, dtype=np.int32), len(base) - 1,
                    correction=correction, sums=sums)
    return tuple(OptionTest(option=opt, name=t.method, statistic=float(t.statistic[j]),
                            df=float(t.df[j]), p_value=float(t.p_value[j]),
                            p_adjusted=float(t.p_adjusted[j]), p_method=t.p_method[j])
                 for j, opt in enumerate(m.options))


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
                                {b: st > 0 for b, st in (seed or {}).items()})
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
                       suppression=_reason(int(st), k))
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
    items = _protect_items(results, states, k)
    multi = []
    for m in results.multi:
        st = family({bid: (sizes := np.array([g.figures.n if g.figures else 0 for g in gs],
                                              dtype=float), float(m.overall.n - sizes.sum()))
                     for bid, gs in m.by.items()}, counts)
        tests = {bid: (_multi_tests(m, bid, st[bid] > 0, _not_redoable(results),
                                    results.settings.correction, results.respondents)
                       if st[bid].any() else t)
                 for bid, t in m.tests.items()}
        multi.append(replace(m, tests=tests, by={bid: tuple(
            g if not s else MultiGroup(group=g.group, figures=None, suppressed=True,
                                       suppression=_reason(int(s), k))
            for g, s in zip(gs, st[bid])) for bid, gs in m.by.items()}))
    indices = []
    for x in results.indices:
        st = family({bid: (sizes := np.array([g.n or 0 for g in gs], dtype=float),
                           float(x.n - sizes.sum())) for bid, gs in x.by.items()}, counts)
        indices.append(replace(x, by={bid: tuple(
            g if not s else IndexGroup(group=g.group, mean=None, se=None, n=None,
                                       suppressed=True, suppression=_reason(int(s), k))
            for g, s in zip(gs, st[bid])) for bid, gs in x.by.items()}))
    cross = [_protect_cross(c, hidden_groups.get(c.rows, set()),
                            hidden_groups.get(c.columns, set()), ns_known.get(c.rows, True),
                            ns_known.get(c.columns, True), results.respondents, k)
             for c in results.cross]
    out = replace(results, breakdowns=tuple(summaries), items=items, multi=tuple(multi),
                  indices=tuple(indices), cross=tuple(cross),
                  settings=replace(results.settings, min_group=k), suppression_applied=True)
    return replace(out, findings=headline_findings(out))
