"""Vectorised counting: every item by every group of a breakdown in one ``bincount``.

A naive tab tool calls ``pandas.crosstab`` once per item and breakdown; at 100k–1M
respondents that is 20–30x slower than counting all cells at once. Here each respondent's
answer to each item becomes one flat bin index ``(item, group, category)`` and a single
``numpy.bincount`` (weighted, when weights are given) fills the whole cube.
"""

from __future__ import annotations

import numpy as np

# Items counted per bincount call: bounds the temporary index array (8 bytes a cell) to
# about 256 MB whatever the number of respondents.
_CHUNK_CELLS = 1 << 25


def count_cube(
    codes: np.ndarray,
    group: np.ndarray,
    n_groups: int,
    n_categories: int,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Count answers by item, group and category.

    Parameters
    ----------
    codes
        ``(respondents, items)`` integer answer codes, ``-1`` for no answer.
    group
        ``(respondents,)`` group index per respondent, ``-1`` for not stated.
    n_groups, n_categories
        Number of groups and the largest number of answer categories of any item.
    weights
        Optional respondent weights; counts are then sums of weights.

    Returns
    -------
    numpy.ndarray
        ``(items, n_groups + 1, n_categories + 1)``: the extra group is "not stated" and
        the extra category "no answer", so the cube's total is respondents x items.

    Examples
    --------
    >>> codes = np.array([[0, 1], [1, -1], [1, 1]])
    >>> count_cube(codes, np.array([0, 0, 1]), 2, 2)[0, :2, :2].tolist()
    [[1, 1], [0, 1]]
    """
    n, n_items = codes.shape
    g1, c1 = n_groups + 1, n_categories + 1
    cells = g1 * c1
    # Offset of each respondent's group within an item's block; not-stated -> last group.
    base = np.where(group < 0, n_groups, group).astype(np.intp) * c1
    dtype = np.float64 if weights is not None else np.int64
    out = np.empty((n_items, cells), dtype=dtype)
    step = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, n_items, step):
        stop = min(n_items, start + step)
        block = codes[:, start:stop].astype(np.intp)
        block[block < 0] = n_categories  # no answer -> last category
        block += base[:, None]
        block += (np.arange(stop - start, dtype=np.intp) * cells)[None, :]
        flat = block.ravel(order="F")  # item-major, matching the weights tiled below
        w = np.tile(weights, stop - start) if weights is not None else None
        counted = np.bincount(flat, weights=w, minlength=(stop - start) * cells)
        out[start:stop] = counted.reshape(stop - start, cells)
    return out.reshape(n_items, g1, c1)


def count_groups(group: np.ndarray, n_groups: int,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """Respondents per group; the last entry counts respondents with no group stated."""
    idx = np.where(group < 0, n_groups, group)
    return np.bincount(idx, weights=weights, minlength=n_groups + 1)


def count_cross(a: np.ndarray, n_a: int, b: np.ndarray, n_b: int) -> np.ndarray:
    """Respondents by two breakdowns at once, ``(n_a + 1, n_b + 1)`` with not-stated last."""
    ia = np.where(a < 0, n_a, a).astype(np.intp)
    ib = np.where(b < 0, n_b, b).astype(np.intp)
    flat = np.bincount(ia * (n_b + 1) + ib, minlength=(n_a + 1) * (n_b + 1))
    return flat.reshape(n_a + 1, n_b + 1)


def count_ticks(ticks: np.ndarray, answered: np.ndarray, group: np.ndarray,
                n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Multi-response counts: ``(groups + 1, options)`` ticks and ``(groups + 1,)`` bases."""
    idx = np.where(group < 0, n_groups, group)
    onehot = np.zeros((n_groups + 1, len(group)), dtype=np.float64)
    onehot[idx, np.arange(len(group))] = answered
    return onehot @ ticks.astype(np.float64), onehot.sum(axis=1)
