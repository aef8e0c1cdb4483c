"""Nets: top-2 / bottom-2 box and other groupings of scale points, from the count cube.

A net is a set of answer categories reported together ("Agree + Strongly agree"). Nets are
defined by position on each item's own scale, so one definition serves items with 4-, 5-
and 7-point scales: ``"top2"`` is the two most positive points of whatever scale an item
has. Counts come from the ``(items, groups, categories)`` cube of
:func:`surveykit.analysis.counts.count_cube` (or the weighted sums of
:func:`surveykit.analysis.weights.cell_sums`), so nets for every item and group are one
masked sum.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_NETS: Mapping[str, str] = {"top2": "top2", "bottom2": "bottom2"}
_BOX = re.compile(r"^(top|bottom)(\d+)$")


def net_categories(k: int, spec: str | Sequence[int]) -> tuple[int, ...]:
    """Category indices (0 = most negative) of a net on a ``k``-point scale.

    Parameters
    ----------
    k
        Scale points.
    spec
        ``"topN"`` / ``"bottomN"`` (the N most positive / most negative points), ``"mid"``
        (the midpoint of an odd scale; empty for an even one), or explicit indices, where
        negative indices count from the top (``(-2, -1)`` is top-2 on any scale).

    Raises
    ------
    ValueError
        An unknown spec, a box wider than the scale, or an index off the scale.
    """
    if isinstance(spec, str):
        if spec == "mid":
            return (k // 2,) if k % 2 else ()
        m = _BOX.match(spec)
        if not m:
            raise ValueError(f"unknown net {spec!r}: use 'topN', 'bottomN', 'mid' or indices")
        size = int(m.group(2))
        if not 0 < size <= k:
            raise ValueError(f"net {spec!r} does not fit a {k}-point scale")
        return tuple(range(k - size, k)) if m.group(1) == "top" else tuple(range(size))
    out = []
    for i in spec:
        j = int(i) + k if int(i) < 0 else int(i)
        if not 0 <= j < k:
            raise ValueError(f"category {i} is not on a {k}-point scale")
        out.append(j)
    return tuple(sorted(set(out)))


def net_masks(k: Sequence[int], n_categories: int,
              nets: Mapping[str, str | Sequence[int]] = DEFAULT_NETS) -> dict[str, np.ndarray]:
    """Per net, an ``(items, n_categories)`` boolean mask of the categories in it."""
    out = {}
    for name, spec in nets.items():
        mask = np.zeros((len(k), n_categories), dtype=bool)
        for i, ki in enumerate(k):
            mask[i, list(net_categories(int(ki), spec))] = True
        out[name] = mask
    return out


@dataclass(frozen=True)
class Nets:
    """Net counts and percentages for every item and group.

    Attributes
    ----------
    names
        Net names, in order.
    count
        ``(nets, items, groups)`` respondents (or sums of weights) in each net.
    base
        ``(items, groups)`` valid answers (categories ``0..k-1``; not-applicable and no
        answer excluded).
    pct
        ``(nets, items, groups)`` ``100 * count / base`` (NaN for an empty base).
    """

    names: tuple[str, ...]
    count: np.ndarray
    base: np.ndarray
    pct: np.ndarray

    def __getitem__(self, name: str) -> np.ndarray:
        """Percentages of one net, ``(items, groups)``."""
        return self.pct[self.names.index(name)]


def nets(cube: np.ndarray, k: Sequence[int],
         spec: Mapping[str, str | Sequence[int]] = DEFAULT_NETS) -> Nets:
    """Nets from a count cube.

    Parameters
    ----------
    cube
        ``(items, groups, categories)`` counts or sums of weights; categories beyond an
        item's ``k`` (not applicable, no answer) are ignored.
    k
        Scale points of each item.
    spec
        Net name -> definition (see :func:`net_categories`); default top-2 and bottom-2.
    """
    cube = np.asarray(cube, dtype=np.float64)
    n_cat = cube.shape[2]
    valid = np.arange(n_cat)[None, :] < np.asarray(k)[:, None]
    base = (cube * valid[:, None, :]).sum(axis=2)
    masks = net_masks(k, n_cat, spec)
    count = np.stack([(cube * m[:, None, :]).sum(axis=2) for m in masks.values()])
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(base > 0, 100 * count / base, np.nan)
    return Nets(names=tuple(masks), count=count, base=base, pct=pct)
