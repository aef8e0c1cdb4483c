"""Survey weights: weighted cell sums, Kish's effective sample size, raking, the FPC.

Everything the design-based statistics need is a sum over respondents within a cell
(item x group x answer category): the count, the sum of weights and the sum of squared
weights. For a single-stage design without clusters or strata (``svydesign(ids = ~1,
weights = ~w)`` in R's *survey*), the linearisation variances of proportions, means and
the Rao-Scott design effects are all functions of these three sums, so one pass of
``numpy.bincount`` per item and breakdown is all the respondent-level work there is.

References
----------
Kish, L. (1965). *Survey Sampling*. Wiley. (Effective sample size, design effect.)
Deming, W. E. & Stephan, F. F. (1940). On a least squares adjustment of a sampled
frequency table when the expected marginal totals are known. *Ann. Math. Statist.* 11,
427-444. (Raking / iterative proportional fitting.)
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley. (``rake``.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CellSums:
    """Per-cell sums, each ``(items, n_groups + 1, n_categories + 1)``.

    The layout is that of :func:`surveykit.analysis.counts.count_cube`: the last group is
    "not stated" and the last category "no answer".

    Attributes
    ----------
    n
        Respondents (int64).
    w
        Sum of weights.
    w2
        Sum of squared weights.
    """

    n: np.ndarray
    w: np.ndarray
    w2: np.ndarray


def cell_sums(codes: np.ndarray, group: np.ndarray, n_groups: int, n_categories: int,
              weights: np.ndarray | None = None) -> CellSums:
    """Count, sum of weights and sum of squared weights for every item x group x category.

    Parameters
    ----------
    codes
        ``(respondents, items)`` (or ``(respondents,)``) integer codes, ``-1`` no answer.
    group
        ``(respondents,)`` group index, ``-1`` not stated.
    n_groups, n_categories
        Number of groups and of answer categories (the largest over items).
    weights
        Respondent weights; None means every weight is 1 (then ``w`` and ``w2`` equal ``n``).

    Returns
    -------
    CellSums
    """
    codes = np.asarray(codes)
    if codes.ndim == 1:
        codes = codes[:, None]
    n_items = codes.shape[1]
    g1, c1 = n_groups + 1, n_categories + 1
    cells = g1 * c1
    base = np.where(group < 0, n_groups, group).astype(np.intp) * c1
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    w2 = None if w is None else w * w
    out_n = np.empty((n_items, cells), dtype=np.int64)
    out_w = np.empty((n_items, cells)) if w is not None else None
    out_w2 = np.empty((n_items, cells)) if w is not None else None
    # One item at a time: the index array is built once and reused for the three sums,
    # and no (respondents x items) copy of the weights is needed.
    for j in range(n_items):
        col = codes[:, j]
        idx = np.where(col < 0, n_categories, col).astype(np.intp)
        idx += base
        out_n[j] = np.bincount(idx, minlength=cells)
        if w is not None:
            out_w[j] = np.bincount(idx, weights=w, minlength=cells)
            out_w2[j] = np.bincount(idx, weights=w2, minlength=cells)
    shape = (n_items, g1, c1)
    if w is None:
        as_float = out_n.astype(np.float64).reshape(shape)
        return CellSums(n=out_n.reshape(shape), w=as_float, w2=as_float)
    return CellSums(n=out_n.reshape(shape), w=out_w.reshape(shape), w2=out_w2.reshape(shape))


def cell_sums_many(codes: np.ndarray, groups: Sequence[np.ndarray], n_groups: Sequence[int],
                   n_categories: int, weights: np.ndarray | None = None, *,
                   max_joint: int = 200_000, keep: int | None = None) -> list[CellSums]:
    """:func:`cell_sums` for several breakdowns in one pass over the respondents.

    Each respondent's groups in all breakdowns are combined into one joint group (sector x
    role x site ...); every item is counted once into the joint cube, and each breakdown's
    cube is a sum over the others. With three breakdowns that is a third of the
    respondent-level work of three separate passes. Falls back to separate passes when the
    joint cube would exceed ``max_joint`` groups.

    ``keep``: index of a breakdown (e.g. the strata of a stratified design) whose groups are
    kept as an extra axis of every cube, ``(items, groups + 1, kept groups + 1,
    categories + 1)``, at no extra pass over the respondents.

    Returns
    -------
    list of CellSums
        One per breakdown, in order, identical to ``cell_sums`` for that breakdown (split
        by the kept breakdown's groups if ``keep`` is given).
    """
    sizes = [g + 1 for g in n_groups]
    if not groups or int(np.prod(sizes, dtype=np.float64)) > max_joint:
        if keep is None:
            return [cell_sums(codes, g, k, n_categories, weights)
                    for g, k in zip(groups, n_groups)]
        inner = np.where(np.asarray(groups[keep]) < 0, n_groups[keep], groups[keep])
        out = []
        for g, k in zip(groups, n_groups):
            pair = np.where(np.asarray(g) < 0, k, g) * sizes[keep] + inner
            s = cell_sums(codes, pair, (k + 1) * sizes[keep], n_categories, weights)
            shape = (s.n.shape[0], k + 1, sizes[keep], s.n.shape[2])
            out.append(CellSums(*(getattr(s, a)[:, :-1].reshape(shape)
                                  for a in ("n", "w", "w2"))))
        return out
    joint = np.zeros(len(groups[0]), dtype=np.intp)
    for g, k, size in zip(groups, n_groups, sizes):  # mixed radix, not-stated -> last level
        joint = joint * size + np.where(np.asarray(g) < 0, k, g)
    total = int(np.prod(sizes))
    s = cell_sums(codes, joint, total, n_categories, weights)

    def marginal(cube: np.ndarray, b: int) -> np.ndarray:
        # drop cell_sums' own (empty) not-stated group, unfold the joint axis, sum the rest
        inner = cube[:, :total, :].reshape((cube.shape[0], *sizes, cube.shape[2]))
        others = tuple(a + 1 for a in range(len(sizes)) if a not in (b, keep))
        out = inner.sum(axis=others) if others else inner
        if keep is None or keep == b:
            if keep == b:  # the kept axis of a breakdown by itself: a diagonal
                diag = np.zeros(out.shape[:2] + out.shape[1:], dtype=out.dtype)
                j = np.arange(out.shape[1])
                diag[:, j, j, :] = out
                return diag
            return out
        return out if b < keep else out.swapaxes(1, 2)

    return [CellSums(n=marginal(s.n, b), w=marginal(s.w, b), w2=marginal(s.w2, b))
            for b in range(len(sizes))]


def effective_n(sum_w: np.ndarray, sum_w2: np.ndarray) -> np.ndarray:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` (NaN where there is no weight).

    Equals the number of respondents when all weights are equal; the ratio of the two is
    the efficiency of the weighting, and its inverse Kish's design effect due to weighting.
    """
    sum_w, sum_w2 = np.asarray(sum_w, dtype=np.float64), np.asarray(sum_w2, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sum_w2 > 0, sum_w * sum_w / sum_w2, np.nan)


def kish_n_eff(weights: np.ndarray, mask: np.ndarray | None = None) -> float:
    """Kish (1965) effective sample size of ``weights`` (optionally of ``weights[mask]``)."""
    w = np.asarray(weights, dtype=np.float64)
    if mask is not None:
        w = w[np.asarray(mask, dtype=bool)]
    return float(effective_n(w.sum(), (w * w).sum()))


def kish_by_group(weights: np.ndarray, group: np.ndarray, n_groups: int,
                  mask: np.ndarray | None = None) -> np.ndarray:
    """Kish effective sample size per group, ``(n_groups,)``; ``mask`` restricts the rows.

    Respondents with group ``-1`` are left out.
    """
    w = np.asarray(weights, dtype=np.float64)
    keep = np.asarray(group) >= 0
    if mask is not None:
        keep &= np.asarray(mask, dtype=bool)
    g = np.asarray(group)[keep]
    sw = np.bincount(g, weights=w[keep], minlength=n_groups)[:n_groups]
    sw2 = np.bincount(g, weights=w[keep] ** 2, minlength=n_groups)[:n_groups]
    return effective_n(sw, sw2)


def fpc_factor(n: float | np.ndarray, population: float | np.ndarray | None) -> np.ndarray:
    """Finite population correction for a standard error: ``sqrt(1 - n / N)``.

    ``n`` is the number of respondents in the whole sample (not a subgroup: for domain
    estimates *survey* uses the sample size of the stratum, here the whole sample) and
    ``N`` the population it was drawn from, e.g. the staff headcount. ``None`` or infinity
    means no correction (factor 1). A census (n = N) gives 0: there is no sampling error.

    Raises
    ------
    ValueError
        If ``N < n``.
    """
    if population is None:
        return np.ones_like(np.asarray(n, dtype=np.float64))
    n = np.asarray(n, dtype=np.float64)
    big_n = np.asarray(population, dtype=np.float64)
    if np.any(big_n < n):
        raise ValueError("population size is smaller than the number of respondents")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(np.where(np.isinf(big_n), 1.0, 1.0 - n / big_n))


@dataclass(frozen=True)
class WeightingReport:
    """How much a set of weights costs in precision, and how raking went.

    Attributes
    ----------
    n
        Respondents.
    sum_weights
        Total of the weights (the population size when weights are grossed up).
    n_eff
        Kish effective sample size.
    efficiency
        ``n_eff / n`` (1 for equal weights).
    design_effect
        ``n / n_eff``, Kish's design effect due to unequal weighting.
    min_weight, max_weight
        Smallest and largest weight.
    iterations
        Raking passes performed (0 for weights not made here).
    converged
        Whether raking met its stopping rule and every margin (True for weights not made
        here).
    max_margin_error
        Largest ``|weighted margin - target| / target`` over all margins (0 if none).
    n_capped
        Respondents whose adjustment sits on a cap.
    """

    n: int
    sum_weights: float
    n_eff: float
    efficiency: float
    design_effect: float
    min_weight: float
    max_weight: float
    iterations: int = 0
    converged: bool = True
    max_margin_error: float = 0.0
    n_capped: int = 0


def weighting_report(weights: np.ndarray, *, iterations: int = 0, converged: bool = True,
                     max_margin_error: float = 0.0, n_capped: int = 0) -> WeightingReport:
    """Summarise ``weights`` (e.g. weights supplied with the data) in a :class:`WeightingReport`."""
    w = np.asarray(weights, dtype=np.float64)
    n_eff = kish_n_eff(w)
    return WeightingReport(
        n=len(w), sum_weights=float(w.sum()), n_eff=n_eff,
        efficiency=n_eff / len(w) if len(w) else float("nan"),
        design_effect=len(w) / n_eff if n_eff else float("nan"),
        min_weight=float(w.min()) if len(w) else float("nan"),
        max_weight=float(w.max()) if len(w) else float("nan"),
        iterations=iterations, converged=converged,
        max_margin_error=max_margin_error, n_capped=n_capped)


@dataclass(frozen=True)
class RakeResult:
    """Raked weights (one per respondent, input order) and their report."""

    weights: np.ndarray
    report: WeightingReport


def _joint_cells(margins: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Respondent -> joint cell of all margin variables, and each cell's level per margin."""
    dims = [int(m.max()) + 1 for m in margins]
    flat = np.ravel_multi_index(tuple(m.astype(np.intp) for m in margins), dims)
    size = int(np.prod(dims, dtype=np.float64))
    if size <= 10_000_000:  # O(n) compaction through a dense occupancy table
        occupied = np.bincount(flat, minlength=size) > 0
        compact = np.cumsum(occupied) - 1
        cell, keys = compact[flat], np.flatnonzero(occupied)
    else:
        keys, cell = np.unique(flat, return_inverse=True)
    levels = list(np.unravel_index(keys, dims))
    return cell, levels


def _fit_capped(g: np.ndarray, base: np.ndarray, lev: np.ndarray, t: np.ndarray,
                lo: float, hi: float) -> np.ndarray:
    """Post-stratify one margin with the adjustments bounded to ``[lo, hi]``.

    For each level, finds the factor ``f`` with ``sum base * clip(g f, lo, hi) = t``. The
    left side is continuous and non-decreasing in ``f``, so bisection on ``log f`` (all
    levels at once, one small ``bincount`` per step) finds it to machine precision; when a
    target is out of reach every cell of the level ends on a cap.
    """
    n_lev = len(t)
    a = np.full(n_lev, np.inf)
    b = np.full(n_lev, -np.inf)
    np.minimum.at(a, lev, np.log(lo / g))  # below this, every cell of the level is at lo
    np.maximum.at(b, lev, np.log(hi / g))  # above this, every cell is at hi
    empty = ~np.isfinite(a)
    a[empty], b[empty] = 0.0, 0.0
    for _ in range(80):
        mid = (a + b) / 2
        have = np.bincount(lev, weights=base * np.clip(g * np.exp(mid[lev]), lo, hi),
                           minlength=n_lev)
        low = have < t
        a, b = np.where(low, mid, a), np.where(low, b, mid)
    return np.clip(g * np.exp(((a + b) / 2)[lev]), lo, hi)


def rake(margins: Sequence[np.ndarray], targets: Sequence[np.ndarray],
         start: np.ndarray | None = None, *, cap: tuple[float, float] | None = None,
         max_iter: int = 1000, epsilon: float = 1e-10) -> RakeResult:
    """Rake weights so their totals match known population margins (Deming & Stephan 1940).

    Iterative proportional fitting: each pass post-stratifies on every margin in turn. As
    every respondent of a joint cell (one level of each margin) gets the same adjustment,
    the iterations run on the table of joint cells, not on respondents; the respondent-level
    work is one ``bincount``.

    Parameters
    ----------
    margins
        One ``(respondents,)`` integer code array per margin variable (levels ``0..L-1``).
        Every respondent must have a level of every margin.
    targets
        Population total of each level, one array per margin (all with the same total).
    start
        Starting (design) weights; default 1 for everyone.
    cap
        ``(low, high)`` bounds on each respondent's adjustment, as multiples of the average
        adjustment ``N / sum(start)``: ``(0.2, 5)`` keeps every weight between a fifth and
        five times what plain scaling to ``N`` would give (R's ``calibrate(bounds = )``
        bounds the adjustment itself instead). Each margin is fitted with the capped cells
        held at their cap and the free cells scaled to make up the rest, so the result meets
        both margins and caps when that is possible; when it is not, the report says
        ``converged=False`` and how far the margins are off.
    max_iter
        Maximum number of passes.
    epsilon
        Stopping rule of R's ``survey::rake``: stop when the largest change of the joint
        weighted table in a pass is below ``epsilon`` (if ``epsilon >= 1``) or below
        ``epsilon * sum(start)`` (if ``epsilon < 1``). R's defaults are ``max_iter=10,
        epsilon=1``; the defaults here iterate to full convergence.

    Returns
    -------
    RakeResult
        ``weights`` and a :class:`WeightingReport` (iterations, convergence, efficiency).

    Raises
    ------
    ValueError
        A respondent has no level (code < 0) of some margin, a level with a positive target
        has no respondents, or the margins' totals disagree.
    """
    if len(margins) != len(targets) or not margins:
        raise ValueError("give one target array per margin")
    codes = [np.asarray(m) for m in margins]
    n = len(codes[0])
    if any(len(c) != n for c in codes) or any((c < 0).any() for c in codes):
        raise ValueError("every respondent needs a level of every margin (no codes < 0)")
    tgt = [np.asarray(t, dtype=np.float64) for t in targets]
    for c, t in zip(codes, tgt):
        if int(c.max()) >= len(t):
            raise ValueError("a margin has levels without a target")
    total = tgt[0].sum()
    if any(abs(t.sum() - total) > 1e-9 * total for t in tgt):
        raise ValueError("the margins' targets must all add up to the same total")
    d = np.ones(n) if start is None else np.asarray(start, dtype=np.float64)
    cell, levels = _joint_cells(codes)
    base = np.bincount(cell, weights=d)  # start weight per joint cell
    for lev, t in zip(levels, tgt):
        have = np.bincount(lev, weights=base, minlength=len(t))
        if np.any((t > 0) & (have <= 0)):
            raise ValueError("a margin level with a positive target has no respondents")
    if cap is not None and not 0 < cap[0] <= 1 <= cap[1]:
        raise ValueError("caps must satisfy 0 < low <= 1 <= high")
    threshold = epsilon * d.sum() if epsilon < 1 else epsilon
    mean_g = total / d.sum()
    lo, hi = (cap[0] * mean_g, cap[1] * mean_g) if cap is not None else (0.0, np.inf)
    # Capped raking starts from plain scaling to N, which lies inside any valid caps.
    g = np.full(len(base), mean_g if cap is not None else 1.0)
    table = base.copy()
    converged, passes = False, 0
    while passes < max_iter:
        for lev, t in zip(levels, tgt):
            if cap is None:
                have = np.bincount(lev, weights=base * g, minlength=len(t))
                with np.errstate(divide="ignore", invalid="ignore"):
                    factor = np.where(have > 0, t / have, 1.0)
                g *= factor[lev]
            else:
                g = _fit_capped(g, base, lev, t, lo, hi)
        passes += 1
        new = base * g
        delta = np.abs(new - table).max()
        table = new
        if delta < threshold:
            converged = True
            break
    errors = []
    for lev, t in zip(levels, tgt):
        have = np.bincount(lev, weights=table, minlength=len(t))
        with np.errstate(divide="ignore", invalid="ignore"):
            errors.append(np.where(t > 0, np.abs(have - t) / t, np.abs(have)))
    max_error = float(max(e.max() for e in errors))
    # A stable table is not enough: with caps, or margins the sample cannot meet (e.g. two
    # margins confounded in the sample), passes repeat the same table away from the targets.
    abs_error = max(float(np.abs(np.bincount(lev, weights=table, minlength=len(t)) - t).max())
                    for lev, t in zip(levels, tgt))
    converged = bool(converged and abs_error < max(threshold, 1e-9 * total))
    weights = d * g[cell]
    on_cap = 0
    if cap is not None:
        at = np.isclose(g, lo, rtol=1e-12, atol=0) | np.isclose(g, hi, rtol=1e-12, atol=0)
        on_cap = int(np.bincount(cell, minlength=len(g))[at].sum())
    report = weighting_report(weights, iterations=passes, converged=converged,
                              max_margin_error=max_error, n_capped=on_cap)
    return RakeResult(weights=weights, report=report)
