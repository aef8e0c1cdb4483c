"""Which groups of a line to hide: the one-way rule, for one breakdown and for several.

A *line* is a list of groups whose figures add up to a shown total (a breakdown's groups
add up to everyone; the sites of a sector add up to that sector). Whatever the line hides,
the total minus the shown groups is known to a reader, so the hidden part must be nobody,
or respondents never shown as a group (not stated) numbering at least ``min_group``, or at
least two parts with ``min_group`` people between them. See :mod:`.disclosure` for the
rule as a whole.
"""

from __future__ import annotations

import numpy as np

from surveykit.analysis.overlap import Overlap, protect_pairs
from surveykit.analysis.results import Nesting

PRIMARY = "fewer than {k} responses"
COMPLEMENTARY = "hidden so that a smaller group cannot be worked out by subtraction"


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
                   seed: dict[str, np.ndarray] | None = None,
                   overlaps: tuple[Overlap, ...] = ()) -> dict[str, np.ndarray]:
    """:func:`protect` for several breakdowns of the same respondents at once.

    Each breakdown's groups add up to the overall figure; a nested breakdown's groups
    inside one parent group also add up to that parent's figure. Every such line must be
    covered; where a parent's children cannot cover each other (e.g. a sector with one small
    site), the parent group is hidden too; a hidden parent whose children are all shown has
    its smallest child hidden. ``seed`` gives groups hidden from the start (e.g. those
    hidden from the count of respondents). With ``overlaps`` (the respondents' cross
    counts of pairs of breakdowns), no pair may let a reader work out a set of 1 to
    ``min_group - 1`` people either, nested or not (:mod:`.overlap`). Repeats until
    nothing changes.
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
        if not changed and overlaps:
            # Only once every line is covered: the pair check counts on it.
            changed = protect_pairs(sizes, unshown, state, overlaps, k)
    return state


def reason(state: int, k: int) -> str | None:
    return None if state == 0 else PRIMARY.format(k=k) if state == 1 else COMPLEMENTARY
