"""Tests on the scale scores: rank tests from counts, design-based tests of weighted means.

Scaled items have a handful of ordered answers, so the rank tests need no ranking of
respondents: every answer in a category shares the category's mid-rank, and the
Kruskal-Wallis and Mann-Whitney statistics (with the usual tie corrections) follow from
the ``(groups, categories)`` count table. That makes them vectorised over all items and
groups, straight from :func:`surveykit.analysis.counts.count_cube`, and identical to R's
``kruskal.test`` and ``wilcox.test(exact = FALSE)`` on the raw answers.

For weighted data the mean score of a group is a domain mean of a design without clusters;
its linearisation SE comes from the per-cell sums of weights and squared weights (see
:mod:`surveykit.analysis.intervals`). Domains are independent in such a design, so a
group-vs-rest comparison is a Wald t-test with ``var = se_g^2 + se_rest^2`` (R
``svyttest``) and the across-groups test a Wald F on the ``G - 1`` contrasts (R
``regTermTest(svyglm(score ~ group), ~group)``). In a stratified design groups that share
strata are correlated: the Wald F then uses the full covariance matrix of the domain means
(:mod:`surveykit.analysis.strata`) and the degrees of freedom lose one per stratum.

References
----------
Kruskal, W. H. & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
*JASA* 47, 583-621.
Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two random variables is
stochastically larger than the other. *Ann. Math. Statist.* 18, 50-60.
Lumley, T. (2010). *Complex Surveys*, ch. 2 and 5 (domain means, ``svyttest``).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from surveykit.analysis import strata as st
from surveykit.analysis.intervals import cell_mean
from surveykit.analysis.strata import Strata


def _midranks(totals: np.ndarray) -> np.ndarray:
    """Mid-rank of each category given the category totals (last axis ordered)."""
    below = np.cumsum(totals, axis=-1) - totals
    return below + (totals + 1) / 2


def _tie_sum(totals: np.ndarray) -> np.ndarray:
    return (totals**3 - totals).sum(axis=-1)


def kruskal_from_counts(table: np.ndarray) -> dict[str, np.ndarray]:
    """Kruskal-Wallis H test (tie-corrected) from counts of ordered categories.

    Parameters
    ----------
    table
        ``(..., groups, categories)`` counts, categories in scale order.

    Returns
    -------
    dict
        ``statistic`` (H), ``df`` (non-empty groups - 1) and ``p_value`` (chi-square
        approximation), arrays over the leading axes; NaN with fewer than two non-empty
        groups or when every answer is the same. Equal to R ``kruskal.test``.
    """
    t = np.asarray(table, dtype=np.float64)
    cat = t.sum(axis=-2)
    n_g = t.sum(axis=-1)
    n = cat.sum(axis=-1)
    ranks = (t * _midranks(cat)[..., None, :]).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = 12 / (n * (n + 1)) * np.where(n_g > 0, ranks**2 / n_g, 0).sum(axis=-1)
        h = (h - 3 * (n + 1)) / (1 - _tie_sum(cat) / (n**3 - n))
    df = (n_g > 0).sum(axis=-1) - 1
    ok = (df >= 1) & np.isfinite(h)
    p = np.full(h.shape, np.nan)
    p[ok] = stats.chi2.sf(h[ok], df[ok])
    return {"statistic": np.where(ok, h, np.nan), "df": np.where(ok, df, 0), "p_value": p}


def mann_whitney_from_counts(x: np.ndarray, y: np.ndarray, *,
                             continuity: bool = True) -> dict[str, np.ndarray]:
    """Two-sided Mann-Whitney U test (normal approximation, tie-corrected) from counts.

    Parameters
    ----------
    x, y
        ``(..., categories)`` counts of the two samples, categories in scale order.
    continuity
        Apply the 0.5 continuity correction (R's default ``correct = TRUE``).

    Returns
    -------
    dict
        ``statistic`` (U of ``x``, R's W), ``z`` and ``p_value``. Equal to R
        ``wilcox.test(x, y, exact = FALSE, correct = continuity)`` and to
        ``scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=continuity)``.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    both = x + y
    n1, n2 = x.sum(axis=-1), y.sum(axis=-1)
    n = n1 + n2
    u = (x * _midranks(both)).sum(axis=-1) - n1 * (n1 + 1) / 2
    centred = u - n1 * n2 / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.sqrt(n1 * n2 / 12 * ((n + 1) - _tie_sum(both) / (n * (n - 1))))
        z = (centred - (0.5 * np.sign(centred) if continuity else 0.0)) / sigma
    ok = (n1 > 0) & (n2 > 0) & (sigma > 0)
    p = np.full(z.shape, np.nan)
    p[ok] = 2 * stats.norm.sf(np.abs(z[ok]))
    return {"statistic": u, "z": np.where(ok, z, np.nan), "p_value": p}


def mann_whitney_vs_rest(table: np.ndarray, *, continuity: bool = True) -> dict[str, np.ndarray]:
    """Each group against all the others (Mann-Whitney), from ``(..., groups, categories)``.

    Returns the dict of :func:`mann_whitney_from_counts` with ``(..., groups)`` arrays.
    Include a "not stated" column in ``table`` if the rest should include those respondents
    (as the % positive comparison in ``analyse`` does).
    """
    t = np.asarray(table, dtype=np.float64)
    rest = t.sum(axis=-2, keepdims=True) - t
    return mann_whitney_from_counts(t, rest, continuity=continuity)


def weighted_means(w: np.ndarray, w2: np.ndarray, scores: np.ndarray, n_total: float, *,
                   population: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean score and its SE per group (``svyby(~score, ~group, svymean)``).

    Parameters
    ----------
    w, w2
        ``(..., groups, categories)`` sums of weights and squared weights, scored
        categories only (zero out not-applicable and no-answer bins).
    scores
        ``(..., categories)`` or ``(categories,)`` score of each category (e.g. 1..k).
    n_total
        Respondents in the whole sample.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim > 1:
        scores = scores[..., None, :]
    return cell_mean(w, w2, scores, n_total, population=population)


def weighted_mean_tests(w: np.ndarray, w2: np.ndarray, scores: np.ndarray, n_total: float, *,
                        n_answered: float | np.ndarray | None = None,
                        population: float | None = None, strata: Strata | None = None,
                        w_h: np.ndarray | None = None,
                        w2_h: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Design-based tests of weighted mean scores across groups.

    Parameters are those of :func:`weighted_means`; ``w``/``w2`` are ``(..., groups,
    categories)``. Include a "not stated" column if the rest should include them (its own
    results are then returned too; leave it out of ``wald_*`` by slicing first if needed).
    ``n_answered`` is the number of respondents in the test (scored answer, and group
    stated for the Wald test), which sets the degrees of freedom as R's ``svyglm`` does
    after dropping incomplete rows; the variances use ``n_total`` (R's domain convention).
    Default ``n_total``.

    For a stratified design give ``strata`` and ``w_h``, ``w2_h``: ``(..., groups, H,
    categories)`` sums by stratum. Degrees of freedom are then R's: ``n_answered`` minus
    the strata with an answer, minus 1 (t-tests) or ``G - 1`` (Wald F).

    Returns
    -------
    dict
        ``mean``, ``se`` per group; group vs rest ``difference``, ``t``, ``p_value`` with
        ``df = n_answered - 2`` (R ``svyttest(score ~ in_group)``); and the across-groups Wald
        test ``wald_F`` on ``wald_df = G - 1`` and ``wald_ddf = n_answered - G`` degrees of
        freedom with ``wald_p_value`` (R ``regTermTest(svyglm(score ~ group), ~group)``),
        over groups with at least one answer.
    """
    w, w2 = np.asarray(w, dtype=np.float64), np.asarray(w2, dtype=np.float64)
    scores = np.asarray(scores, dtype=np.float64)
    s = scores[..., None, :] if scores.ndim > 1 else scores
    n_ans = np.asarray(n_total if n_answered is None else n_answered, dtype=np.float64)
    if strata is None:
        mean, se = cell_mean(w, w2, s, n_total, population=population)
        # the rest of group g: everyone else's cells (all groups' sums minus g's)
        rest_w = w.sum(axis=-2, keepdims=True) - w
        rest_w2 = w2.sum(axis=-2, keepdims=True) - w2
        rest_mean, rest_se = cell_mean(rest_w, rest_w2, s, n_total, population=population)
        var_diff = se * se + rest_se * rest_se
        lost, cov = 1.0, None
    else:
        w_h, w2_h = np.asarray(w_h, dtype=np.float64), np.asarray(w2_h, dtype=np.float64)
        sh = scores[..., None, None, :] if scores.ndim > 1 else scores
        mean, a, b = st.mean_parts(w_h, w2_h, sh)
        var = st.variance(a, b, strata)
        se = np.sqrt(var)
        rest_mean, ra, rb = st.mean_parts(w_h.sum(axis=-3, keepdims=True) - w_h,
                                          w2_h.sum(axis=-3, keepdims=True) - w2_h, sh)
        var_diff = var + st.variance(ra, rb, strata) - 2 * st.covariance(a, ra, strata)
        # strata with an answer among the rows of the test (R's degf after svyglm's na drop)
        lost = (w_h.sum(axis=(-3, -1)) > 0).sum(axis=-1).astype(np.float64)
        cov = -np.einsum("...gh,...kh,h->...gk", a, a, strata.centre())
        idx = np.arange(cov.shape[-1])
        cov[..., idx, idx] = var
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (mean - rest_mean) / np.sqrt(var_diff)
    df = n_ans - lost - 1  # per table (leading axes); unstratified n - 2
    df_g = np.broadcast_to(df[..., None] if df.ndim else df, t.shape)
    ok = np.isfinite(t) & (df_g > 0)
    p = np.full(t.shape, np.nan)
    p[ok] = 2 * stats.t.sf(np.abs(t[ok]), df_g[ok])
    resid = n_ans - lost  # svyglm's df.residual is this + 1 - number of coefficients
    wf, wdf, wp = _wald(mean, se, resid, cov)
    return {"mean": mean, "se": se, "difference": mean - rest_mean, "t": np.where(ok, t, np.nan),
            "df": df, "p_value": p, "wald_F": wf, "wald_df": wdf,
            "wald_ddf": resid - wdf, "wald_p_value": wp}


def _wald(mean: np.ndarray, se: np.ndarray, resid: np.ndarray,
          cov: np.ndarray | None = None) -> tuple:
    """Wald F that all domain means are equal: independent domains (diagonal V), or with
    ``cov`` the full ``(..., G, G)`` covariance matrix of the means. The F test's
    denominator df is ``resid - (G - 1)``."""
    flat_m = mean.reshape(-1, mean.shape[-1])
    flat_s = se.reshape(-1, se.shape[-1])
    flat_c = None if cov is None else cov.reshape(-1, *cov.shape[-2:])
    flat_n = np.broadcast_to(resid, mean.shape[:-1]).reshape(-1)
    f = np.full(len(flat_m), np.nan)
    df = np.zeros(len(flat_m), dtype=np.int64)
    p = np.full(len(flat_m), np.nan)
    for i, (m, s) in enumerate(zip(flat_m, flat_s)):
        # A group whose answers are all the same has SE 0, up to rounding (1e-17, which
        # would weigh it 1e34 times): such a group is left out, whatever the rounding.
        live = np.isfinite(m) & np.isfinite(s) & (s > 1e-12 * (1 + np.abs(m)))
        g = int(live.sum())
        if g < 2:
            continue
        if flat_c is None:
            # With V diagonal the quadratic form of the contrasts is the inverse-variance
            # weighted sum of squares about the precision-weighted mean.
            prec = 1 / s[live] ** 2
            centre = (prec * m[live]).sum() / prec.sum()
            chi = (prec * (m[live] - centre) ** 2).sum()
        else:  # contrasts against the first live group, as svyglm's treatment coding
            v = flat_c[i][np.ix_(live, live)]
            beta = m[live][1:] - m[live][0]
            vc = v[1:, 1:] - v[1:, :1] - v[:1, 1:] + v[0, 0]
            try:
                chi = float(beta @ np.linalg.solve(vc, beta))
            except np.linalg.LinAlgError:
                continue
        df[i] = g - 1
        f[i] = chi / df[i]
        p[i] = stats.f.sf(f[i], df[i], flat_n[i] - df[i])
    shape = mean.shape[:-1]
    return f.reshape(shape), df.reshape(shape), p.reshape(shape)
