"""Rao-Scott tests against a direct transcription of ``survey:::svychisq.survey.design``.

The module computes Delta's traces from per-cell sums and small matrices; the reference
below builds everything R builds, from respondent-level linearisation scores: the full
covariance matrix V of the cell proportions, the interaction contrasts by ``qr.resid``
against the main effects, and ``solve(t(C) D^-1 C / N, t(C) D^-1 V D^-1 C)``. Agreement
with R itself on real survey calls is in test_stats_reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from surveykit.analysis.raoscott import rao_scott


def svychisq_transcribed(item, group, w, n_rows, n_cat):
    """R's algorithm step by step (``ids = ~1``, no FPC); rows with item or group < 0 are
    outside the domain but count in N and nu, as R's ``na.rm`` domain does."""
    dom = (item >= 0) & (group >= 0)
    cell = np.where(dom, group * n_cat + item, -1)  # column-major: item fastest
    levels_i = np.unique(item[dom])
    levels_g = np.unique(group[dom])
    r, c = len(levels_i), len(levels_g)
    keep = (np.isin(np.arange(n_cat * (group.max() + 1)) % n_cat, levels_i)
            & np.isin(np.arange(n_cat * (group.max() + 1)) // n_cat, levels_g))
    cells = np.flatnonzero(keep)
    ind = (cell[:, None] == cells[None, :]).astype(float)  # (rows, cells), 0 outside domain
    wd = np.where(dom, w, 0.0)
    pi = (wd[:, None] * ind).sum(0) / wd.sum()
    z = np.where(dom[:, None], wd[:, None] * (ind - pi) / wd.sum(), 0.0)
    z -= z.mean(axis=0)
    v = n_rows / (n_rows - 1) * z.T @ z
    rows = np.tile(np.arange(r), c)
    cols = np.repeat(np.arange(c), r)
    x1 = np.column_stack([np.ones(r * c)] + [(rows == i) * 1.0 for i in range(1, r)]
                         + [(cols == j) * 1.0 for j in range(1, c)])
    x12 = np.column_stack([(rows == i) * (cols == j) * 1.0
                           for j in range(1, c) for i in range(1, r)])
    q, _ = np.linalg.qr(x1)
    cmat = x12 - q @ (q.T @ x12)  # qr.resid(qr(X1), X12[, interaction columns])
    inv_d = np.diag(np.where(pi > 0, 1 / np.where(pi > 0, pi, 1), 0))
    denom = cmat.T @ inv_d @ cmat / n_rows
    numr = cmat.T @ inv_d @ v @ inv_d @ cmat
    delta = np.linalg.solve(denom, numr)
    tab = (pi * n_rows).reshape(c, r).T
    x2 = stats.chi2_contingency(tab, correction=False).statistic
    tr, tr2 = np.trace(delta), np.trace(delta @ delta)
    d0 = tr**2 / tr2
    f = x2 / tr
    return {"statistic": f, "ndf": d0, "ddf": d0 * (n_rows - 1),
            "p_value": stats.f.sf(f, d0, d0 * (n_rows - 1)), "pearson": x2,
            "first_order": x2 / (tr / ((r - 1) * (c - 1)))}


def _data(seed, n, n_cat, n_groups):
    rng = np.random.default_rng(seed)
    group = rng.integers(0, n_groups, size=n)
    latent = rng.normal(size=n) + 0.3 * (group % 3)
    item = np.clip(np.floor(latent + n_cat / 2), 0, n_cat - 1).astype(np.int64)
    item[rng.random(n) < 0.05] = -1
    group[rng.random(n) < 0.02] = -1
    return item, group, rng.lognormal(0, 0.6, size=n)


@pytest.mark.parametrize("seed,n,n_cat,n_groups", [(1, 2000, 5, 6), (2, 4000, 5, 40),
                                                   (3, 500, 7, 3), (4, 300, 2, 4)])
def test_projected_traces_equal_r_algorithm(seed, n, n_cat, n_groups):
    item, group, w = _data(seed, n, n_cat, n_groups)
    ref = svychisq_transcribed(item, group, w, n, n_cat)
    out = rao_scott(item, group, n_groups, w, n_categories=n_cat)
    for key in ("statistic", "ndf", "ddf", "pearson"):
        assert getattr(out, key)[0] == pytest.approx(ref[key], rel=1e-8)
    assert out.statistic_first_order[0] == pytest.approx(ref["first_order"], rel=1e-8)
    assert out.p_value[0] == pytest.approx(ref["p_value"], rel=1e-6, abs=1e-300)


def test_empty_cells_follow_r_zeroing():
    """A few empty cells: R sets 1/0 to 0 in D^-1 (the general path here)."""
    item, group, w = _data(5, 800, 5, 4)
    item[(group == 1) & (item == 4)] = 3  # group 1 never answers 5
    item[(group == 2) & (item == 0)] = 1  # group 2 never answers 1
    ref = svychisq_transcribed(item, group, w, len(item), 5)
    out = rao_scott(item, group, 4, w, n_categories=5)
    for key in ("statistic", "ndf", "ddf", "pearson"):
        assert getattr(out, key)[0] == pytest.approx(ref[key], rel=1e-8)


def test_singular_sparse_table_is_nan_like_r_error():
    """R: ``svychisq(~Var1 + Var2, des)`` on this 6x5 table (7 empty cells, unit weights)
    stops with "system is computationally singular"; here the test is NaN."""
    tab = np.array([[2, 1, 5, 0, 0], [2, 0, 1, 0, 2], [1, 1, 6, 5, 3], [1, 0, 3, 2, 0],
                    [2, 1, 3, 2, 4], [3, 2, 0, 3, 2]])
    item = np.repeat(np.arange(6), tab.sum(axis=1))
    group = np.concatenate([np.repeat(np.arange(5), row) for row in tab])
    out = rao_scott(item, group, 5, None)
    assert np.isnan(out.statistic[0]) and np.isnan(out.p_value[0])
    assert out.pearson[0] == pytest.approx(
        stats.chi2_contingency(tab, correction=False).statistic, rel=1e-10)


def test_many_items_at_once_equal_one_at_a_time_and_valid_mask():
    item, group, w = _data(6, 1500, 5, 5)
    other, _, _ = _data(7, 1500, 5, 5)
    both = rao_scott(np.column_stack([item, other]), group, 5, w, n_categories=6)
    one = rao_scott(other, group, 5, w, n_categories=6)
    assert both.statistic[1] == pytest.approx(one.statistic[0], rel=1e-12)
    # excluding a category through `valid` equals recoding its answers as missing
    valid = np.ones((1, 6), dtype=bool)
    valid[0, 4] = False
    masked = rao_scott(item, group, 5, w, n_categories=6, valid=valid)
    recoded = rao_scott(np.where(item == 4, -1, item), group, 5, w, n_categories=6)
    assert masked.statistic[0] == pytest.approx(recoded.statistic[0], rel=1e-12)
    assert masked.n[0] == recoded.n[0] == ((item >= 0) & (item != 4) & (group >= 0)).sum()


def test_fpc_scales_delta_by_one_minus_sampling_fraction():
    item, group, w = _data(8, 1000, 5, 4)
    plain = rao_scott(item, group, 4, w)
    fpc = rao_scott(item, group, 4, w, population=4000)
    assert fpc.trace[0] == pytest.approx(plain.trace[0] * 0.75, rel=1e-12)
    assert fpc.statistic[0] == pytest.approx(plain.statistic[0] / 0.75, rel=1e-12)
    assert fpc.ndf[0] == pytest.approx(plain.ndf[0], rel=1e-12)


def test_one_group_or_one_answer_gives_nan():
    item = np.array([0, 1, 2, 0, 1])
    out = rao_scott(item, np.zeros(5, dtype=int), 2, None)
    assert np.isnan(out.statistic[0]) and out.df[0] == 0
    out = rao_scott(np.zeros(5, dtype=int), np.array([0, 1, 0, 1, 0]), 2, None)
    assert np.isnan(out.p_value[0]) and out.df[0] == 0
