"""Rao-Scott corrected chi-square tests of item x group for weighted data.

With unequal weights, Pearson's X^2 computed on weighted counts is not chi-square
distributed; its distribution is a weighted sum of chi-square(1) variables whose weights
are the eigenvalues of the generalized design-effect matrix Delta (Rao & Scott 1981, 1984).
Two corrections, as R's ``survey::svychisq`` (default ``statistic = "F"``):

* **second order** (the default): ``F = X^2 / tr(Delta)`` on ``d0 = tr(Delta)^2 /
  tr(Delta^2)`` and ``d0 * nu`` degrees of freedom (``nu`` = respondents - 1 for a design
  without clusters or strata);
* **first order**: ``X^2 / mean eigenvalue`` against chi-square on ``(r-1)(c-1)`` df.

Here the design is ``svydesign(ids = ~1, weights = ~w)``. The covariance of the cell
proportions is a function of the per-cell sums of weights and squared weights only (each
respondent falls in exactly one cell), so once those sums are counted by
:func:`surveykit.analysis.weights.cell_sums` the test costs a few small matrix products per
item, whatever the number of respondents:

    V = n/(n-1) / W^2 * (diag(S2) - S2 pi' - pi S2' + S2_tot pi pi')

with ``W`` the domain's sum of weights, ``S2`` the per-cell sums of squared weights and
``pi`` the cell proportions. With ``C`` a basis of the interaction contrasts (orthogonal to
the main effects) and ``D = diag(pi)``, ``Delta = (C' D^-1 C / n)^-1 C' D^-1 V D^-1 C``.

In a stratified design (``svydesign(ids = ~1, strata = ~h, fpc = ~N_h, weights = ~w)``)
the squared weights of each stratum are scaled by its ``c_h`` (see
:mod:`surveykit.analysis.strata`), and V loses one rank-one term per stratum,
``k_h T_h T_h' / W^2`` with ``T_h`` the stratum's cell totals minus its share of the
table, ``W_h pi``; ``nu`` is respondents minus strata. Still a few small matrices per
item: the strata enter through an ``(r c) x H`` matrix.

References
----------
Rao, J. N. K. & Scott, A. J. (1981). The analysis of categorical data from complex sample
surveys. *JASA* 76, 221-230.
Rao, J. N. K. & Scott, A. J. (1984). On chi-squared tests for multiway contingency tables
with cell proportions estimated from survey data. *Ann. Statist.* 12, 46-60.
Lumley, T. (2010). *Complex Surveys*, section 6.2 (``svychisq``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from surveykit.analysis.strata import Strata
from surveykit.analysis.weights import cell_sums, fpc_factor


@dataclass(frozen=True)
class RaoScottResult:
    """Design-based tests of independence, one entry per table (item).

    Attributes
    ----------
    statistic
        Second-order corrected ``F = X^2 / tr(Delta)``.
    ndf, ddf
        Its degrees of freedom, ``d0`` and ``d0 * nu``.
    p_value
        ``P(F(ndf, ddf) > statistic)``; R's ``svychisq(...)$p.value``.
    pearson
        Pearson X^2 of the weighted table rescaled to ``n_total`` respondents (what R
        prints as the statistic of ``svychisq(statistic = "Chisq")``).
    statistic_first_order, df, p_value_first_order
        ``X^2 / mean(eigenvalues of Delta)`` on ``(r-1)(c-1)`` df and its p-value.
    trace, trace_squared
        ``tr(Delta)`` and ``tr(Delta^2)``; ``trace / df`` is the mean generalized design
        effect.
    n
        Respondents in the table (valid answer and group stated).
    sum_w
        Their sum of weights.

    Tables with fewer than two non-empty rows or columns get NaN (df 0).
    """

    statistic: np.ndarray
    ndf: np.ndarray
    ddf: np.ndarray
    p_value: np.ndarray
    pearson: np.ndarray
    statistic_first_order: np.ndarray
    df: np.ndarray
    p_value_first_order: np.ndarray
    trace: np.ndarray
    trace_squared: np.ndarray
    n: np.ndarray
    sum_w: np.ndarray


def _contrasts(k: int) -> np.ndarray:
    """``(k, k-1)`` orthonormal contrasts, orthogonal to the constant."""
    basis = np.linalg.qr(np.column_stack([np.ones(k), np.eye(k)[:, : k - 1]]))[0]
    return basis[:, 1:]


def _main_effects(r: int, c: int) -> np.ndarray:
    """``(r*c, r+c-1)`` main-effects design (intercept, row and column dummies), rows fastest."""
    rows = np.tile(np.arange(r), c)
    cols = np.repeat(np.arange(c), r)
    x = np.zeros((r * c, r + c - 1))
    x[:, 0] = 1
    x[rows > 0, rows[rows > 0]] = 1
    x[cols > 0, r - 1 + cols[cols > 0]] = 1
    return x


def _traces_projected(pi: np.ndarray, d: np.ndarray, r: int, c: int,
                      low: np.ndarray | None = None) -> tuple[float, float]:
    """tr(H Dm), tr((H Dm)^2) with H the projection off the main effects; all cells > 0.

    With ``Q = D^(-1/2) C``, ``Delta = n (Q'Q)^-1 Q' M Q`` where ``M = D^(-1/2) V D^(-1/2)``,
    so ``tr(Delta) = n tr(H M)`` with ``H = Q (Q'Q)^-1 Q'``. The column space of ``Q`` is the
    orthogonal complement of ``Z = D^(1/2) X1`` (``X1`` the main effects), so
    ``H = I - Z (Z'Z)^-1 Z'``, which needs only ``(r+c-1)``-square matrices; and ``H``
    annihilates ``sqrt(pi)``, which removes the rank-one parts of ``M``, leaving its
    diagonal ``Dm = diag(d)``.

    ``low``: ``(cells, H)`` columns ``u_h`` of a negative low-rank part, ``M = Dm - U U'``
    (strata). With ``P = H U``, ``tr(HM) = tr(H Dm) - |P|^2`` and ``tr((HM)^2) =
    tr((H Dm)^2) - 2 tr(P' Dm P) + |P'P|^2``.
    """
    x1 = _main_effects(r, c)
    g = (x1 * pi[:, None]).T @ x1
    f = (x1 * (pi * d)[:, None]).T @ x1
    e = (x1 * (pi * d * d)[:, None]).T @ x1
    k = np.linalg.solve(g, np.column_stack([f, e]))
    kf, ke = k[:, : f.shape[1]], k[:, f.shape[1]:]
    tr = d.sum() - np.trace(kf)
    tr2 = (d * d).sum() - 2 * np.trace(ke) + np.einsum("ij,ji->", kf, kf)
    if low is not None:
        root = np.sqrt(pi)[:, None]  # Z = D^(1/2) X1, H u = u - Z (Z'Z)^-1 Z' u
        proj = low - root * (x1 @ np.linalg.solve(g, x1.T @ (root * low)))
        ptp = proj.T @ proj
        tr -= np.trace(ptp)
        tr2 += -2 * np.einsum("ih,i,ih->", proj, d, proj) + (ptp * ptp).sum()
    return tr, tr2


def _one_table(w: np.ndarray, w2: np.ndarray, n_total: float, fpc2: float,
               w_h: np.ndarray | None = None, w2_h: np.ndarray | None = None,
               strata: Strata | None = None) -> tuple:
    """Pearson X^2, tr(Delta), tr(Delta^2), df for one ``(r, c)`` table of sums
    (``w_h``, ``w2_h``: the same ``(r, c, H)`` by stratum, for a stratified design)."""
    keep_r, keep_c = w.sum(axis=1) > 0, w.sum(axis=0) > 0
    w, w2 = w[keep_r][:, keep_c], w2[keep_r][:, keep_c]
    r, c = w.shape
    if r < 2 or c < 2:
        return np.nan, np.nan, np.nan, 0
    total = w.sum()
    pi = (w / total).ravel(order="F")  # column-major, rows fastest, as R's interaction()
    # Pearson X^2 of the table scaled to n_total (svytable(..., Ntotal = n))
    expected = np.outer(w.sum(axis=1), w.sum(axis=0)) / total
    x2 = ((w - expected) ** 2 / expected).sum() * n_total / total
    low = None
    if strata is None:
        s2 = w2.ravel(order="F")
        scale = n_total / (n_total - 1) * fpc2 / total**2
    else:
        w_h, w2_h = w_h[keep_r][:, keep_c], w2_h[keep_r][:, keep_c]
        def cells(a: np.ndarray) -> np.ndarray:  # (r, c, H) -> (r c, H), rows fastest
            return a.transpose(1, 0, 2).reshape(r * c, -1)

        s2 = cells(w2_h) @ strata.scale()
        scale = 1.0 / total**2
        t = cells(w_h) - np.outer(pi, w_h.sum(axis=(0, 1)))  # T_h per cell
        low = t * np.sqrt(strata.centre())[None, :] / total  # V -= low low'
    df = (r - 1) * (c - 1)
    if (pi > 0).all():  # the usual case: small (r+c-1)-square algebra only
        tr, tr2 = _traces_projected(pi, scale * s2 / pi, r, c,
                                    None if low is None else low / np.sqrt(pi)[:, None])
        return x2, n_total * tr, n_total**2 * tr2, df
    # Empty cells: R sets 1/0 to 0 in D^-1, which breaks the projection identity above,
    # so build Delta from the interaction contrasts as survey does.
    cmat = np.kron(_contrasts(c), _contrasts(r))  # interaction contrasts, rows fastest
    live = pi > 0
    inv_pi = np.where(live, 1 / np.where(live, pi, 1), 0.0)
    a = (cmat * inv_pi[:, None]).T @ cmat / n_total
    # C' D^-1 V D^-1 C; the rank-one parts of V reduce to vectors because D^-1 pi is the
    # indicator of the non-empty cells
    u = cmat.T @ live.astype(float)
    s = cmat.T @ (s2 * inv_pi)
    b = (cmat * (s2 * inv_pi * inv_pi)[:, None]).T @ cmat
    b = scale * (b - np.outer(s, u) - np.outer(u, s) + s2.sum() * np.outer(u, u))
    if low is not None:
        cl = cmat.T @ (low * inv_pi[:, None])
        b -= cl @ cl.T
    # Many empty cells leave C' D^-1 C (near) singular: Delta is then not defined (R stops
    # with "system is computationally singular" or returns noise). Such tables are far too
    # sparse for any chi-square approximation; report NaN (use an exact test instead).
    eig = np.linalg.eigvalsh(a)
    if not eig[0] > 1e-10 * eig[-1]:
        return x2, np.nan, np.nan, df
    delta = np.linalg.solve(a, b)
    return x2, np.trace(delta), np.einsum("ij,ji->", delta, delta), df


def rao_scott_from_sums(w: np.ndarray, w2: np.ndarray, n_total: float, *,
                        nu: float | None = None, population: float | None = None,
                        n: np.ndarray | None = None, strata: Strata | None = None,
                        w_h: np.ndarray | None = None,
                        w2_h: np.ndarray | None = None) -> RaoScottResult:
    """Rao-Scott tests for a stack of weighted tables given their cell sums.

    Parameters
    ----------
    w, w2
        ``(tables, rows, cols)`` sums of weights and of squared weights per cell, over the
        respondents in the test (missing answers and unstated groups left out).
    n_total
        Respondents in the whole design, *including* those left out of the table (the
        ``n`` of ``n/(n-1)`` and the total the table is rescaled to, as in R).
    nu
        Design degrees of freedom; default ``n_total - 1``.
    population
        Population size for the finite population correction, or None.
    n
        Respondents per table (reported only); default NaN.
    strata, w_h, w2_h
        For a stratified design: the :class:`~surveykit.analysis.strata.Strata` and the
        ``(tables, rows, cols, H)`` sums by stratum (``population`` is then not used, and
        ``nu`` defaults to respondents minus strata).

    Returns
    -------
    RaoScottResult
    """
    w, w2 = np.asarray(w, dtype=np.float64), np.asarray(w2, dtype=np.float64)
    if w.ndim == 2:
        w, w2 = w[None], w2[None]
    if strata is not None:
        w_h, w2_h = np.asarray(w_h, dtype=np.float64), np.asarray(w2_h, dtype=np.float64)
        if w_h.ndim == 3:
            w_h, w2_h = w_h[None], w2_h[None]
        nu = strata.nu() if nu is None else nu
        fpc2 = 1.0
    else:
        nu = n_total - 1 if nu is None else nu
        fpc2 = float(fpc_factor(n_total, population)) ** 2
    parts = np.array([_one_table(w[t], w2[t], n_total, fpc2,
                                 None if strata is None else w_h[t],
                                 None if strata is None else w2_h[t], strata)
                      for t in range(len(w))], dtype=np.float64).reshape(len(w), 4)
    x2, tr, tr2, df = parts.T
    ok = df > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        f = x2 / tr
        d0 = tr * tr / tr2
        first = x2 / (tr / df)
    p_f = np.full(len(w), np.nan)
    p_1 = np.full(len(w), np.nan)
    good = ok & np.isfinite(f) & np.isfinite(d0)
    p_f[good] = stats.f.sf(f[good], d0[good], d0[good] * nu)
    p_1[good] = stats.chi2.sf(first[good], df[good])
    nan = np.where(ok, 1.0, np.nan)
    return RaoScottResult(
        statistic=f * nan, ndf=d0 * nan, ddf=d0 * nu * nan, p_value=p_f, pearson=x2 * nan,
        statistic_first_order=first * nan, df=df.astype(np.int64),
        p_value_first_order=p_1, trace=tr * nan, trace_squared=tr2 * nan,
        n=np.full(len(w), np.nan) if n is None else np.asarray(n, dtype=np.float64),
        sum_w=w.sum(axis=(1, 2)))


def rao_scott(codes: np.ndarray, group: np.ndarray, n_groups: int,
              weights: np.ndarray | None = None, *, n_categories: int | None = None,
              valid: np.ndarray | None = None, population: float | None = None,
              sums=None) -> RaoScottResult:
    """``svychisq(~item + group, svydesign(ids = ~1, weights = ~w))`` for every item.

    Parameters
    ----------
    codes
        ``(respondents, items)`` or ``(respondents,)`` answer codes, ``-1`` missing or
        excluded.
    group
        ``(respondents,)`` group codes, ``-1`` not stated (left out, like NA in R).
    n_groups
        Number of groups.
    weights
        Respondent weights (default 1: then the test is close to Pearson's, scaled by
        about ``(n - 1) / n``).
    n_categories
        Number of answer categories; default ``codes.max() + 1``.
    valid
        ``(items, n_categories)`` mask of the categories in the test (e.g. excluding
        "Don't know"); default all.
    population
        Population size for the FPC, or None.
    sums
        Precomputed :class:`~surveykit.analysis.weights.CellSums` for these codes and
        groups (to share one counting pass with other statistics).

    Returns
    -------
    RaoScottResult
        Rows are answer categories, columns groups; categories and groups nobody is in are
        dropped, as R builds the table from the levels present.
    """
    codes = np.asarray(codes)
    if codes.ndim == 1:
        codes = codes[:, None]
    k = int(codes.max()) + 1 if n_categories is None else n_categories
    s = sums if sums is not None else cell_sums(codes, group, n_groups, k, weights)
    mask = np.ones((codes.shape[1], k), dtype=bool) if valid is None else np.asarray(valid)
    mask = mask[:, :k, None].astype(float)
    # cube (items, groups, categories) -> tables (items, categories, groups)
    w = (s.w[:, :n_groups, :k] * mask.transpose(0, 2, 1)).transpose(0, 2, 1)
    w2 = (s.w2[:, :n_groups, :k] * mask.transpose(0, 2, 1)).transpose(0, 2, 1)
    n = (s.n[:, :n_groups, :k] * mask.transpose(0, 2, 1)).sum(axis=(1, 2))
    return rao_scott_from_sums(w, w2, float(codes.shape[0]), population=population, n=n)
