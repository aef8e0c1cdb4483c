"""Two breakdowns at once: no set of 1 to ``min_group - 1`` people may be worked out.

Each breakdown's groups add up to everyone, which :mod:`.cover` protects line by line.
Two breakdowns of the same respondents (area and sector, site and team) let a reader do
more: subtract from a group of one the groups of the other lying wholly inside it. Area
North minus the sectors inside North is whoever else is in North: nobody when sectors
nest exactly in areas (then :mod:`.cover` protects each area as a line of its own), but
when one sector has a single person in North, that person and any hidden sector of North
are all that is left. This module checks every pair of breakdowns, nested or not, from
the respondents' cross counts (:class:`Overlap`, which :func:`~surveykit.analysis.analyse`
records and no output ever carries).

**What a reader can work out.** The table of respondents by the two breakdowns (not
stated included) is unknown to the reader, except which of its cells are empty (assume
they know the organisation). Known are the size of every shown group, the total and, where
printed, the number not stated; the hidden groups of a breakdown, with its not stated when
that is not printed, are known only as one sum, so they act as one *merged* group. A set
of cells has a known total exactly when its indicator is a combination of these margins.
Seen as a bipartite graph (groups as nodes, non-empty cells as edges) any such 0/1
combination splits, by the level sets of its coefficients, into sets of one form: a union
``R`` of groups of one breakdown, minus the groups of the other lying wholly inside ``R``.
Each such set's size, and every item's answers within it, follow from what is shown. The
rule checked is therefore:

    for every union R of groups of one breakdown, the people of R outside the groups of
    the other breakdown lying wholly inside R number 0 or at least ``min_group``.

Only unions joined up through the groups inside them need looking at: a union of two
parts with nothing inside spanning both is the sum of the parts, and a group of ``R`` that
no inner group touches is in the set whole, and every group, shown, merged or not stated,
is nobody or ``min_group`` people once :mod:`.cover` has run. The unions are listed on the
breakdown with fewer groups; for a tangle with too many of them, a small integer programme
(``scipy.optimize.milp``) finds the smallest set instead. Where a set is too small, the
shown group (among those of the set, inside it or touching it) whose hiding leaves the
fewest small sets is hidden, the smallest of them on a tie, and everything is checked
again. The check uses only shown sizes and merged sums, so like every other rule it cannot
depend on how the hidden respondents split between hidden groups.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from surveykit.analysis.counts import count_cross
from surveykit.analysis.results import Nesting
from surveykit.survey import Survey

#: Unions listed before falling back to the integer programme.
MAX_UNIONS = 4096


@dataclass(frozen=True)
class Overlap:
    """Respondents by two breakdowns ``a`` (rows) and ``b`` (columns), ``(groups_a + 1,
    groups_b + 1)`` with the not stated last. Internal to suppression: it is not part of
    any output (``SurveyResults.to_dict`` leaves it out and :func:`suppress` drops it)."""

    a: str
    b: str
    counts: tuple[tuple[int, ...], ...]


def pair_counts(survey: Survey, by_ids: list[str]) -> tuple[Overlap, ...]:
    """Respondents by every pair of breakdowns (not stated last), for suppression: a group
    of one breakdown lying wholly or nearly inside a group of another can give a hidden
    group away by subtraction (see the module notes)."""
    out = []
    for i, a in enumerate(by_ids):
        for b in by_ids[i + 1:]:
            table = count_cross(survey.group_codes[a], len(survey.groups[a]),
                                survey.group_codes[b], len(survey.groups[b]))
            out.append(Overlap(a=a, b=b, counts=tuple(map(tuple, table.tolist()))))
    return tuple(out)


def nesting_of(by_ids: list[str], overlaps: tuple[Overlap, ...]) -> tuple[Nesting, ...]:
    """Pairs of breakdowns where every group of one lies inside one group of the other.

    Suppression needs them: a sector's figure minus its shown sites would otherwise reveal
    a hidden site. Breakdowns with the same groups under two names nest both ways.
    """
    tables = {}
    for ov in overlaps:
        tables[ov.a, ov.b] = np.array(ov.counts)
        tables[ov.b, ov.a] = tables[ov.a, ov.b].T
    out = []
    for child in by_ids:
        for parent in by_ids:
            if child == parent:
                continue
            table = tables[child, parent]
            gc, gp = table.shape[0] - 1, table.shape[1] - 1
            if gc < gp:
                continue
            inner = table[:gc]  # stated child groups, every parent column incl. not stated
            if np.any(inner[:, gp] > 0) or np.any((inner[:, :gp] > 0).sum(axis=1) > 1):
                continue
            out.append(Nesting(child=child, parent=parent,
                               parent_of=tuple(int(np.argmax(row[:gp])) for row in inner)))
    return tuple(out)


def _merge(hidden: tuple[bool, ...]) -> tuple[np.ndarray, int]:
    """Node of each group and of the not stated (last): shown groups and a printed not
    stated are nodes of their own; hidden groups and the not stated share one when any
    group is hidden (the not stated is then part of the hidden remainder)."""
    hidden_ = np.array(hidden, dtype=bool)
    node = np.empty(len(hidden_) + 1, dtype=np.intp)
    shown = np.flatnonzero(~hidden_)
    node[shown] = np.arange(len(shown))
    node[len(hidden_)] = len(shown)  # the not stated, or the merged group
    node[np.flatnonzero(hidden_)] = len(shown)
    return node, len(shown) + 1


@dataclass(frozen=True)
class _Structure:
    row_node: np.ndarray   # node of each row group (+ not stated)
    col_node: np.ndarray
    edges: np.ndarray      # (row nodes, column nodes) bool: some respondent in both
    unions: np.ndarray | None   # (unions, row nodes) bool; None: too many, use the MILP
    inside: np.ndarray | None   # (unions, column nodes) bool
    swapped: bool = False       # rows are breakdown b (the unions are listed on b)


def _unions(edges: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Unions of row nodes joined up through the column nodes inside them, and which
    column nodes lie inside each; None if there are more than :data:`MAX_UNIONS`."""
    masks = sorted({sum(1 << int(r) for r in np.flatnonzero(col))
                    for col in edges.T if col.any()})
    seen = set(masks)
    queue = list(masks)
    while queue:
        if len(seen) > MAX_UNIONS:
            return None
        u = queue.pop()
        for m in masks:
            if m & u and m | u != u and (m | u) not in seen:
                seen.add(m | u)
                queue.append(m | u)
    order = sorted(seen)
    n_rows = edges.shape[0]
    unions = np.array([[(u >> r) & 1 for r in range(n_rows)] for u in order], dtype=bool)
    unions = unions.reshape(len(order), n_rows)
    # a column node lies inside a union when every row node it touches is in the union
    inside = ~((~unions[:, :, None]) & edges[None, :, :]).any(axis=1) & edges.any(axis=0)
    return unions, inside


@lru_cache(maxsize=4096)
def _structure(counts: tuple[tuple[int, ...], ...], row_hidden: tuple[bool, ...],
               col_hidden: tuple[bool, ...]) -> _Structure:
    """The merged graph of a pair, with its unions listed on the side with fewer nodes
    (if that is too many, on the other side; if both are, none)."""
    cells = np.array(counts) > 0
    row_node, n_rows = _merge(row_hidden)
    col_node, n_cols = _merge(col_hidden)
    edges = np.zeros((n_rows, n_cols), dtype=bool)
    np.logical_or.at(edges, (row_node[:, None], col_node[None, :]), cells)
    if n_rows <= n_cols:
        listed = _unions(edges)
        flipped = None if listed is not None else _unions(edges.T)
    else:
        flipped = _unions(edges.T)
        listed = None if flipped is not None else _unions(edges)
    if listed is not None:
        return _Structure(row_node, col_node, edges, *listed)
    if flipped is not None:  # as seen from the other side: swap the roles back
        return _Structure(col_node, row_node, edges.T, *flipped, swapped=True)
    return _Structure(row_node, col_node, edges, None, None)


def _node_sizes(node: np.ndarray, n_nodes: int, sizes: np.ndarray, hidden: np.ndarray,
                unshown: float) -> np.ndarray:
    """People in each node of one table: shown groups, and the not stated or merged
    group as whatever the shown groups leave of the total."""
    out = np.zeros(n_nodes)
    shown = ~hidden
    np.add.at(out, node[:-1][shown], sizes[shown])
    out[node[-1]] = float(sizes[hidden].sum()) + unshown
    return out


@contextmanager
def _quiet_stdout():
    """HiGHS 1.12 (scipy 1.17) prints a stray debug line from its MIP solver straight to
    the process's standard output (ERGO-Code/HiGHS#2783): keep it out of the CLI's."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _milp_smallest(edges: np.ndarray, rows: np.ndarray, cols: np.ndarray
                   ) -> tuple[float, np.ndarray]:
    """The smallest non-empty set of the checked form, by integer programming: choose
    row nodes x and column nodes y (y only where all its row nodes are chosen) to
    minimise ``rows.x - cols.y`` subject to it being at least 1."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    n_r, n_c = edges.shape
    r_idx, c_idx = np.nonzero(edges)
    a = np.zeros((len(r_idx) + 1, n_r + n_c))
    a[np.arange(len(r_idx)), n_r + c_idx] = 1.0   # y_c - x_r <= 0
    a[np.arange(len(r_idx)), r_idx] = -1.0
    a[-1, :n_r], a[-1, n_r:] = rows, -cols
    lower = np.r_[np.full(len(r_idx), -np.inf), 1.0]
    upper = np.r_[np.zeros(len(r_idx)), np.inf]
    with _quiet_stdout():
        res = milp(np.r_[rows, -cols], constraints=LinearConstraint(a, lower, upper),
                   integrality=np.ones(n_r + n_c), bounds=Bounds(0, 1))
    if res.status == 2:  # infeasible: every such set is nobody
        return np.inf, np.zeros(n_r, dtype=bool)
    if res.status != 0:  # unsolved: refuse rather than guess that nothing leaks
        raise RuntimeError(f"suppression could not check two breakdowns together: "
                           f"{res.message}")
    return float(res.fun), np.asarray(res.x[:n_r] > 0.5)


def _small_sets(st: _Structure, rows: np.ndarray, cols: np.ndarray, k: int
                ) -> list[np.ndarray]:
    """The row-node unions whose set holds 1 to k-1 people."""
    if st.unions is None:
        size, chosen = _milp_smallest(st.edges, rows, cols)
        return [chosen] if size < k - 0.5 else []
    left = st.unions.astype(float) @ rows - st.inside.astype(float) @ cols
    bad = (left > 0.5) & (left < k - 0.5)  # sizes are whole numbers of people
    return [st.unions[i] for i in np.flatnonzero(bad)]


def _check(ov: Overlap, sizes: dict[str, np.ndarray], unshown: dict[str, float],
           state: dict[str, np.ndarray], k: int) -> tuple[_Structure, list[np.ndarray]]:
    """The pair's merged graph in this table's state, and its sets of 1 to k-1 people."""
    hidden = {b: state[b] > 0 for b in (ov.a, ov.b)}
    st = _structure(ov.counts, tuple(hidden[ov.a].tolist()), tuple(hidden[ov.b].tolist()))
    first, second = _sides(ov, st)
    rows = _node_sizes(st.row_node, st.edges.shape[0], sizes[first], hidden[first],
                       unshown[first])
    cols = _node_sizes(st.col_node, st.edges.shape[1], sizes[second], hidden[second],
                       unshown[second])
    return st, _small_sets(st, rows, cols, k)


def _sides(ov: Overlap, st: _Structure) -> tuple[str, str]:
    """The breakdowns of the structure's rows and columns."""
    return (ov.b, ov.a) if st.swapped else (ov.a, ov.b)


def protect_pairs(sizes: dict[str, np.ndarray], unshown: dict[str, float],
                  state: dict[str, np.ndarray], overlaps: tuple[Overlap, ...],
                  min_group: int) -> bool:
    """Hide one more group (in ``state``, in place) if some pair of breakdowns lets a
    reader work out a set of 1 to ``min_group - 1`` people; True if it did.

    ``sizes``, ``unshown`` and ``state`` are one table's, as in
    :func:`surveykit.analysis.cover.protect_family`, which calls this until it returns
    False, re-applying the one-way rule in between (the unions checked rely on it).
    """
    k = min_group
    if k <= 1:
        return False
    for ov in overlaps:
        if ov.a not in sizes or ov.b not in sizes:
            continue
        st, small = _check(ov, sizes, unshown, state, k)
        if not small:
            continue
        best = None
        for b, g in _candidates(ov, st, small[0], sizes, state):
            trial = {**state, b: state[b].copy()}
            trial[b][g] = 2
            left = len(_check(ov, sizes, unshown, trial, k)[1])
            key = (left >= len(small), float(sizes[b][g]), b != ov.a, g)
            if best is None or key < best[0]:
                best = (key, b, g)
        if best is None:
            return False  # nothing left to hide (cannot happen once everything is hidden)
        state[best[1]][best[2]] = 2
        return True
    return False


def _candidates(ov: Overlap, st: _Structure, union: np.ndarray,
                sizes: dict[str, np.ndarray], state: dict[str, np.ndarray]
                ) -> list[tuple[str, int]]:
    """Shown, non-empty groups near a small set: the groups of its union, the groups of
    the other breakdown inside or touching the union, and the groups those touch."""
    first, second = _sides(ov, st)
    touching = st.edges[union].any(axis=0)
    near_rows = union | st.edges[:, touching].any(axis=1)
    out = []
    for b, node, near in ((first, st.row_node, near_rows), (second, st.col_node, touching)):
        for g in range(len(sizes[b])):
            if state[b][g] == 0 and sizes[b][g] > 0 and near[node[g]]:
                out.append((b, g))
    return out
