"""The fieldwork table (respondents by two breakdowns): cell suppression and its audit.

Unlike the one-way lines, this table prints cells as well as margins, so a hidden cell
could be pinned by the printed cells of its row and column together. Every line with a
known total follows the one-way rule (:func:`surveykit.analysis.cover.protect`), and a
linear-programming audit (as tau-ARGUS does) checks that no small hidden figure can be
worked out from everything printed.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from surveykit.analysis.cover import _covered, protect
from surveykit.analysis.results import CrossSummary


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


def protect_cross(cross: CrossSummary, hidden_rows: set[str], hidden_cols: set[str],
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
