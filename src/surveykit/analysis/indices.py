"""Composite indices (0-100) from several items, and their internal consistency.

The index follows the Civil Service People Survey's employee engagement index: each answer
is scored evenly from 0 (the most negative scale point) to 100 (the most positive), so a
5-point item scores 0, 25, 50, 75, 100; a respondent's index is the mean of their scored
answers, and a group's index is the (weighted) mean over its respondents. "Don't know" and
other not-applicable answers, and skipped items, are not scored.

**Who gets an index.** By default only respondents who answered *every* item of the index
(``min_share=1.0``), so that every respondent's score rests on the same questions and a
group's index cannot move because a different mix of items was skipped. ``min_share=0.5``
(at least half the items, the rule of several scale manuals) keeps more respondents at the
price of that comparability. The choice is the caller's; record it in the methods note.

Reliability is Cronbach's (1951) alpha on complete cases, with alpha-if-item-deleted and
corrected item-total (item-rest) correlations, the usual checks that the items belong
together.

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
*Psychometrika* 16, 297-334.
Cabinet Office (2018). *Civil Service People Survey: Technical Guide* (engagement index).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from surveykit.analysis import strata as st
from surveykit.analysis.strata import Strata
from surveykit.analysis.weights import fpc_factor


def item_scores(codes: np.ndarray, k: int | np.ndarray) -> np.ndarray:
    """Score answer codes ``0..k-1`` (most negative first) as ``0..100``; others NaN.

    Parameters
    ----------
    codes
        ``(respondents, items)`` codes as in :attr:`surveykit.Survey.item_codes`: codes
        ``>= k`` (not applicable) and ``-1`` (no answer) are not scored.
    k
        Number of scale points, one for all items or one per item.
    """
    codes = np.asarray(codes)
    k = np.broadcast_to(np.asarray(k), codes.shape[-1:] if codes.ndim > 1 else ())
    if np.any(k < 2):
        raise ValueError("a scale needs at least two points to be scored")
    scored = (codes >= 0) & (codes < k)
    return np.where(scored, 100.0 * codes / (k - 1), np.nan)


def composite_index(codes: np.ndarray, k: int | np.ndarray, *,
                    min_share: float = 1.0) -> np.ndarray:
    """Each respondent's index: the mean of their item scores (0-100).

    Parameters
    ----------
    codes, k
        As for :func:`item_scores`.
    min_share
        Smallest share of the items a respondent must have answered to get an index
        (default 1.0: all of them; see the module notes).

    Returns
    -------
    numpy.ndarray
        ``(respondents,)`` index, NaN for respondents below ``min_share``.
    """
    if not 0 < min_share <= 1:
        raise ValueError("min_share must be in (0, 1]")
    scores = item_scores(codes, k)
    answered = np.isfinite(scores).sum(axis=1)
    need = np.ceil(min_share * scores.shape[1] - 1e-9)  # 0.5 of 5 items -> 3 answers
    with np.errstate(invalid="ignore"):
        mean = np.nansum(scores, axis=1) / answered
    return np.where((answered >= need) & (answered > 0), mean, np.nan)


@dataclass(frozen=True)
class IndexSummary:
    """An index overall and by group.

    Attributes
    ----------
    overall, overall_se, overall_n
        Mean index of everyone with an index, its SE and respondent count.
    mean, se, n, sum_w
        ``(groups,)`` the same per group (NaN mean where a group has no index).

    SEs are linearisation SEs of a (weighted) mean for a design without clusters, as
    ``svymean``; unweighted they equal ``sd / sqrt(n)`` up to the factor ``n/(n-1)``
    applied to the whole sample.
    """

    overall: float
    overall_se: float
    overall_n: int
    mean: np.ndarray
    se: np.ndarray
    n: np.ndarray
    sum_w: np.ndarray


def index_by_group(index: np.ndarray, group: np.ndarray, n_groups: int,
                   weights: np.ndarray | None = None, *,
                   population: float | None = None,
                   strata: Strata | None = None) -> IndexSummary:
    """(Weighted) mean index overall and per group, with SEs.

    Parameters
    ----------
    index
        ``(respondents,)`` from :func:`composite_index` (NaN: no index).
    group
        ``(respondents,)`` group codes, ``-1`` not stated (counted overall only).
    n_groups
        Number of groups.
    weights
        Respondent weights (default 1).
    population
        Population size for the finite population correction.
    strata
        A stratified design (FPC per stratum; ``population`` is then not used).
    """
    index = np.asarray(index, dtype=np.float64)
    w = np.ones(len(index)) if weights is None else np.asarray(weights, dtype=np.float64)
    has = np.isfinite(index)
    y = np.where(has, index, 0.0)
    wd = np.where(has, w, 0.0)
    n = len(index)
    last = np.asarray(group) < 0
    idx = np.where(last, n_groups, group).astype(np.intp)
    sw = np.bincount(idx, weights=wd, minlength=n_groups + 1)
    count = np.bincount(idx, weights=has.astype(float), minlength=n_groups + 1)
    factor = n / (n - 1) * float(fpc_factor(n, population)) ** 2 if n > 1 else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(idx, weights=wd * y, minlength=n_groups + 1) / sw
        # two passes (deviations from each group's own mean): no cancellation
        dev = np.where(has, y - mean[idx], 0.0)
        ss = np.bincount(idx, weights=(wd * dev) ** 2, minlength=n_groups + 1)
        se = np.sqrt(factor * ss / sw**2)
        o_mean = (wd * y).sum() / sw.sum()
        o_se = np.sqrt(factor * ((wd * np.where(has, y - o_mean, 0.0)) ** 2).sum()
                       / sw.sum() ** 2)
        if strata is not None:
            se, o_se = _stratified_se(idx, n_groups, strata, wd, dev, sw,
                                      np.where(has, y - o_mean, 0.0))
    return IndexSummary(overall=float(o_mean), overall_se=float(o_se),
                        overall_n=int(count.sum()), mean=mean[:n_groups], se=se[:n_groups],
                        n=count[:n_groups].astype(np.int64), sum_w=sw[:n_groups])


def _stratified_se(idx: np.ndarray, n_groups: int, strata: Strata, wd: np.ndarray,
                   dev: np.ndarray, sw: np.ndarray, o_dev: np.ndarray) -> tuple:
    """Group and overall SEs of the mean index under a stratified design, from sums of
    ``w (y - mean)`` and its square per (group, stratum)."""
    h = strata.size
    cell = idx * h + strata.codes
    size = (n_groups + 1) * h

    def parts(values: np.ndarray, at: np.ndarray, cells: int, total: np.ndarray):
        a = np.bincount(at, weights=wd * values, minlength=cells).reshape(-1, h)
        b = np.bincount(at, weights=(wd * values) ** 2, minlength=cells).reshape(-1, h)
        tot = np.asarray(total, dtype=np.float64).reshape(-1, 1)
        return a / tot, b / (tot * tot)

    a, b = parts(dev, cell, size, sw)
    oa, ob = parts(o_dev, strata.codes, h, sw.sum())
    return np.sqrt(st.variance(a, b, strata)), float(np.sqrt(st.variance(oa, ob, strata))[0])


@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha and item diagnostics (complete cases).

    Attributes
    ----------
    alpha
        ``k/(k-1) * (1 - sum(item variances) / var(total))``.
    standardized_alpha
        ``k rbar / (1 + (k-1) rbar)`` from the mean inter-item correlation.
    alpha_if_deleted
        ``(k,)`` alpha of the other ``k - 1`` items.
    item_rest_cor
        ``(k,)`` correlation of each item with the sum of the others (corrected
        item-total correlation).
    item_total_cor
        ``(k,)`` correlation with the total including the item (uncorrected).
    item_variances, total_variance
        Sample variances (``n - 1``).
    n, k
        Complete cases used and number of items.
    """

    alpha: float
    standardized_alpha: float
    alpha_if_deleted: np.ndarray
    item_rest_cor: np.ndarray
    item_total_cor: np.ndarray
    item_variances: np.ndarray
    total_variance: float
    n: int
    k: int


def _alpha(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = cov.sum()  # variance of the total score
    if k < 2 or not total > 0:
        return float("nan")  # undefined: no variation in the total (or one item)
    return k / (k - 1) * (1 - np.trace(cov) / total)


def cronbach_alpha(scores: np.ndarray) -> Reliability:
    """Cronbach's alpha of the columns of ``scores`` (respondents x items).

    Rows with any NaN are dropped (complete cases). Everything follows from the items'
    covariance matrix: the total's variance is the sum of all its entries.

    Raises
    ------
    ValueError
        Fewer than two items, or fewer than two complete cases.
    """
    x = np.asarray(scores, dtype=np.float64)
    x = x[np.isfinite(x).all(axis=1)]
    n, k = x.shape
    if k < 2 or n < 2:
        raise ValueError("alpha needs at least two items and two complete cases")
    cov = np.cov(x, rowvar=False)
    variances = np.diag(cov)
    total_var = cov.sum()
    keep = [np.delete(np.arange(k), j) for j in range(k)]
    alpha_del = np.array([_alpha(cov[np.ix_(s, s)]) if k > 2 else np.nan for s in keep])
    # cov(item, rest) = row sum minus own variance; var(rest) = total minus 2 row + own
    row = cov.sum(axis=1)
    rest_var = total_var - 2 * row + variances
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_cor = (row - variances) / np.sqrt(variances * rest_var)
        total_cor = row / np.sqrt(variances * total_var)
        corr = cov / np.sqrt(np.outer(variances, variances))
    rbar = corr[np.triu_indices(k, 1)].mean()
    denom = 1 + (k - 1) * rbar  # 0 or below only for items that cancel out: undefined
    standardized = k * rbar / denom if denom > 0 else float("nan")
    return Reliability(
        alpha=float(_alpha(cov)), standardized_alpha=float(standardized),
        alpha_if_deleted=alpha_del, item_rest_cor=rest_cor, item_total_cor=total_cor,
        item_variances=variances, total_variance=float(total_var), n=int(n), k=int(k))
