"""Confidence intervals for % positive: Wilson for counts, logit and Korn-Graubard for weights.

Unweighted data use the Wilson (1927) score interval, which behaves well near 0% and 100%
and in small groups, where the textbook Wald interval fails. Weighted data use the
linearisation (Taylor series) variance of a ratio estimator for a single-stage design
without clusters or strata, and the two intervals of R's ``survey::svyciprop``:

* ``"logit"``: a symmetric interval on the logit scale with ``t`` quantiles on ``n - 1``
  degrees of freedom, back-transformed (``svyciprop(method = "logit")``).
* ``"beta"``: Korn & Graubard's (1998) Clopper-Pearson interval evaluated at the effective
  sample size ``p (1 - p) / se^2`` (``svyciprop(method = "beta")``).

Domain (subgroup) estimation follows *survey*: the variance of a subgroup's estimate uses
the whole sample's size ``n`` in ``n / (n - 1)``, and rows outside the subgroup contribute
zero scores, so with the sums of weights and squared weights per cell
(:func:`surveykit.analysis.weights.cell_sums`) the variance needs no further pass over
respondents:

    se^2 = n/(n-1) * (1 - n/N) * sum_dom w^2 (y - ybar)^2 / (sum_dom w)^2

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*JASA* 22, 209-212.
Korn, E. L. & Graubard, B. I. (1998). Confidence intervals for proportions with small
expected number of positive counts estimated from survey data. *Survey Methodology* 24,
193-201.
Lumley, T. (2010). *Complex Surveys*, ch. 2 and 3 (domain estimation, ``svyciprop``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from surveykit.analysis.weights import effective_n, fpc_factor


def wilson_interval(x: np.ndarray, n: np.ndarray,
                    conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``x`` successes out of ``n`` (no continuity correction).

    Equal to R's ``prop.test(x, n, correct = FALSE)$conf.int``. NaN where ``n == 0``.
    """
    x, n = np.broadcast_arrays(np.asarray(x, dtype=np.float64),
                               np.asarray(n, dtype=np.float64))
    lower, upper = np.full(x.shape, np.nan), np.full(x.shape, np.nan)
    ok = n > 0
    if ok.any():
        lower[ok], upper[ok] = proportion_confint(x[ok], n[ok], alpha=1 - conf,
                                                  method="wilson")
    # exact ends: the formula gives 1 - 1e-16 at x = n through rounding
    lower, upper = np.where(ok & (x == 0), 0.0, lower), np.where(ok & (x == n), 1.0, upper)
    return lower, upper


def linearised_mean(sw: np.ndarray, swy: np.ndarray, sw2: np.ndarray, sw2y: np.ndarray,
                    sw2y2: np.ndarray, n_total: float | np.ndarray, *,
                    population: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted domain mean and its linearisation SE from sums over the domain.

    Parameters
    ----------
    sw, swy
        Sums of ``w`` and ``w y`` over the domain's respondents.
    sw2, sw2y, sw2y2
        Sums of ``w^2``, ``w^2 y`` and ``w^2 y^2`` over the same respondents.
    n_total
        Respondents in the whole sample (all rows of the design, the domain's or not).
    population
        Population size for the finite population correction, or None.

    Returns
    -------
    (mean, se)
        As ``svymean(~y, subset(svydesign(ids = ~1, weights = ~w, fpc = ...), domain))``.

    Notes
    -----
    The linearised score is ``z_i = w_i (y_i - ybar) / sum w`` in the domain and 0 outside;
    it sums to zero, so ``sum (z - zbar)^2 = sum z^2``, which expands into the sums above.
    The expansion loses precision when the scores barely vary around a large mean (absolute
    SE error of about ``1e-8 * |ybar|``); :func:`cell_mean` avoids that when the scores come
    in categories.
    """
    sw = np.asarray(sw, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = swy / sw
        ss = sw2y2 - 2 * mean * sw2y + mean * mean * sw2
        ss = np.maximum(ss, 0.0)  # rounding can leave -1e-17 where every y is equal
        n_total = np.asarray(n_total, dtype=np.float64)
        var = n_total / (n_total - 1) * ss / (sw * sw)
    se = np.sqrt(var) * fpc_factor(n_total, population)
    return mean, se


def cell_mean(w: np.ndarray, w2: np.ndarray, scores: np.ndarray,
              n_total: float | np.ndarray, *,
              population: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted domain mean score and its linearisation SE from per-category sums.

    Parameters
    ----------
    w, w2
        ``(..., categories)`` sums of weights and squared weights of the domain's
        respondents in each answer category (e.g. one group's row of
        :class:`~surveykit.analysis.weights.CellSums`, scored categories only).
    scores
        ``(categories,)`` (or broadcastable) score of each category.
    n_total, population
        As for :func:`linearised_mean`.

    Notes
    -----
    Everyone in a category has the same score, so ``sum w^2 (y - ybar)^2`` is exactly
    ``sum_c W2_c (s_c - ybar)^2``: a two-pass formula with no cancellation.
    """
    w, w2 = np.asarray(w, dtype=np.float64), np.asarray(w2, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    sw = w.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = (w * s).sum(axis=-1) / sw
        ss = np.maximum((w2 * (s - mean[..., None]) ** 2).sum(axis=-1), 0.0)
        n_total = np.asarray(n_total, dtype=np.float64)
        var = n_total / (n_total - 1) * ss / (sw * sw)
    return mean, np.sqrt(var) * fpc_factor(n_total, population)


def proportion_from_sums(w_pos: np.ndarray, w2_pos: np.ndarray, w: np.ndarray, w2: np.ndarray,
                         n_total: float | np.ndarray, *,
                         population: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted domain proportion and its SE from sums of weights over the positive answers
    (``w_pos``, ``w2_pos``) and all valid answers (``w``, ``w2``): :func:`cell_mean` with
    the two categories "not positive" (score 0) and "positive" (score 1)."""
    w_pos, w2_pos = np.asarray(w_pos, dtype=np.float64), np.asarray(w2_pos, dtype=np.float64)
    # All answers positive: w - w_pos can round to -1e-17, which would make the SE NaN.
    cells = np.stack([np.maximum(np.asarray(w, dtype=np.float64) - w_pos, 0.0), w_pos],
                     axis=-1)
    cells2 = np.stack([np.maximum(np.asarray(w2, dtype=np.float64) - w2_pos, 0.0), w2_pos],
                      axis=-1)
    return cell_mean(cells, cells2, np.array([0.0, 1.0]), n_total, population=population)


def logit_interval(p: np.ndarray, se: np.ndarray, df: np.ndarray,
                   conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """``plogis(qlogis(p) +- qt(1 - a/2, df) * se / (p (1 - p)))`` (``svyciprop`` "logit").

    Undefined (NaN) when ``p`` is 0 or 1: use :func:`korn_graubard_interval` there.
    """
    p, se = np.asarray(p, dtype=np.float64), np.asarray(se, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        se_logit = se / (p * (1 - p))
        centre = np.log(p / (1 - p))
        half = stats.t.ppf(1 - (1 - conf) / 2, df) * se_logit
        lower, upper = stats.logistic.cdf(centre - half), stats.logistic.cdf(centre + half)
    bad = ~((p > 0) & (p < 1))
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def korn_graubard_interval(p: np.ndarray, se: np.ndarray, n: np.ndarray,
                           df: np.ndarray | None = None, conf: float = 0.95, *,
                           n_eff_degenerate: np.ndarray | None = None
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Korn & Graubard (1998) interval, as ``svyciprop(method = "beta")``.

    Parameters
    ----------
    p, se
        Estimate and its design-based SE.
    n
        Respondents in the domain.
    df
        Design degrees of freedom; default ``n - 1`` (a design without clusters).
    conf
        Confidence level.
    n_eff_degenerate
        Effective sample size to use where ``p`` is 0 or 1 (``se`` is then 0 and
        ``p (1 - p) / se^2`` undefined, so R returns NaN): typically Kish's n_eff of the
        domain, which turns the interval into Clopper-Pearson at that size. Default: NaN.

    Returns
    -------
    (lower, upper, n_eff)
        ``n_eff`` is the adjusted effective sample size
        ``p (1 - p) / se^2 * (qt(a/2, n - 1) / qt(a/2, df))^2``.
    """
    p, se = np.asarray(p, dtype=np.float64), np.asarray(se, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    df = n - 1 if df is None else np.asarray(df, dtype=np.float64)
    a = 1 - conf
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p * (1 - p) / (se * se)
        n_eff = n_eff * (stats.t.ppf(a / 2, n - 1) / stats.t.ppf(a / 2, df)) ** 2
    edge = (p == 0) | (p == 1)
    if n_eff_degenerate is not None:
        n_eff = np.where(edge, np.broadcast_to(n_eff_degenerate, n_eff.shape), n_eff)
    with np.errstate(invalid="ignore"):
        lower = stats.beta.ppf(a / 2, n_eff * p, n_eff * (1 - p) + 1)
        upper = stats.beta.ppf(1 - a / 2, n_eff * p + 1, n_eff * (1 - p))
    # Beta(0, b) is a point mass at 0 (R's qbeta agrees); scipy gives NaN for shape 0.
    ok = np.isfinite(n_eff) & (n_eff > 0)
    lower = np.where(ok & (p == 0), 0.0, lower)
    upper = np.where(ok & (p == 1), 1.0, upper)
    return lower, upper, n_eff


@dataclass(frozen=True)
class ProportionInterval:
    """Weighted proportions with SEs and intervals (arrays of any common shape).

    Attributes
    ----------
    estimate, se
        Weighted proportion and its linearisation SE.
    lower, upper
        Interval by ``method``.
    method
        ``"logit"`` or ``"beta"``.
    n
        Respondents in the domain.
    df
        Degrees of freedom, ``n - 1``.
    sum_w
        Sum of weights in the domain.
    n_eff
        Kish effective sample size of the domain (weights only, not the outcome).
    """

    estimate: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    method: str
    n: np.ndarray
    df: np.ndarray
    sum_w: np.ndarray
    n_eff: np.ndarray


def proportion_interval_from_sums(w_pos, w2_pos, w, w2, n, n_total, *, method: str = "logit",
                                  conf: float = 0.95,
                                  population: float | None = None) -> ProportionInterval:
    """Vectorised ``svyciprop`` for many domains at once, from per-domain sums.

    ``w_pos``/``w2_pos`` are sums of ``w``/``w^2`` over the domain's positive answers,
    ``w``/``w2`` over all its valid answers, ``n`` its respondents and ``n_total`` the whole
    sample's. E.g. with :class:`~surveykit.analysis.weights.CellSums` ``s`` and a positive
    mask: ``w_pos = (s.w * positive).sum(-1)``.
    """
    if method not in ("logit", "beta"):
        raise ValueError("method must be 'logit' or 'beta'")
    n = np.asarray(n, dtype=np.float64)
    p, se = proportion_from_sums(w_pos, w2_pos, w, w2, n_total, population=population)
    df = n - 1
    kish = effective_n(w, w2)
    if method == "logit":
        lower, upper = logit_interval(p, se, df, conf)
    else:
        lower, upper, _ = korn_graubard_interval(p, se, n, df, conf, n_eff_degenerate=kish)
    return ProportionInterval(estimate=p, se=se, lower=lower, upper=upper, method=method, n=n,
                              df=df, sum_w=np.asarray(w, dtype=np.float64), n_eff=kish)


def weighted_proportion_interval(y: np.ndarray, weights: np.ndarray | None = None,
                                 domain: np.ndarray | None = None, *, method: str = "logit",
                                 conf: float = 0.95,
                                 population: float | None = None) -> ProportionInterval:
    """``svyciprop(~y, subset(svydesign(ids = ~1, weights = ~w), domain), method)``.

    Parameters
    ----------
    y
        ``(respondents,)`` 0/1 outcome; NaN (no answer) is outside the domain.
    weights
        Respondent weights (default 1).
    domain
        Boolean mask of the subgroup (default everyone).
    method, conf
        ``"logit"`` or ``"beta"`` (Korn-Graubard); confidence level.
    population
        Population size for the FPC (``svydesign(fpc = ~N)``), or None.
    """
    y = np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    dom = np.isfinite(y) if domain is None else np.asarray(domain, dtype=bool) & np.isfinite(y)
    wd, yd = w[dom], y[dom]
    return proportion_interval_from_sums(
        (wd * yd).sum(), (wd * wd * yd).sum(), wd.sum(), (wd * wd).sum(), dom.sum(), len(y),
        method=method, conf=conf, population=population)
