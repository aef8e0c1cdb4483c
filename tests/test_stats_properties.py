"""Properties that must hold for any data (Hypothesis).

Counts add up to the base, percentages to 100, shuffling respondents changes nothing,
all-ones weights reproduce the unweighted statistics, corrected p-values are never below
the raw ones, and the count-based rank tests equal scipy's on the raw answers.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from surveykit.analysis.counts import count_cube
from surveykit.analysis.indices import composite_index, index_by_group
from surveykit.analysis.intervals import proportion_interval_from_sums, wilson_interval
from surveykit.analysis.letters import column_letters, column_letters_weighted
from surveykit.analysis.significance import adjust_rows
from surveykit.analysis.meantests import (
    kruskal_from_counts,
    mann_whitney_from_counts,
    weighted_mean_tests,
)
from surveykit.analysis.nets import nets
from surveykit.analysis.raoscott import rao_scott
from surveykit.analysis.significance import adjust, chi_square
from surveykit.analysis.weights import cell_sums, effective_n, rake

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def surveys(draw, max_n: int = 120):
    """Random small surveys: codes (n, items) in -1..k-1, groups in -1..g-1, weights > 0."""
    n = draw(st.integers(5, max_n))
    items = draw(st.integers(1, 4))
    k = draw(st.integers(2, 6))
    g = draw(st.integers(2, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    codes = rng.integers(-1, k, size=(n, items))
    group = rng.integers(-1, g, size=n)
    weights = rng.lognormal(0, 0.5, size=n)
    return codes, group, k, g, weights, rng


@given(surveys())
@SETTINGS
def test_cell_sums_add_up_and_match_count_cube(case):
    codes, group, k, g, weights, _ = case
    s = cell_sums(codes, group, g, k, weights)
    n, items = codes.shape
    assert s.n.sum(axis=(1, 2)).tolist() == [n] * items  # every respondent counted once
    assert s.w.sum(axis=(1, 2)) == pytest.approx([weights.sum()] * items)
    assert s.w2.sum(axis=(1, 2)) == pytest.approx([(weights**2).sum()] * items)
    assert np.array_equal(s.n, count_cube(codes, group, g, k))
    unweighted = cell_sums(codes, group, g, k)
    assert np.array_equal(unweighted.w, s.n) and np.array_equal(unweighted.w2, s.n)


@given(surveys())
@SETTINGS
def test_nets_percentages_add_to_100(case):
    codes, group, k, g, _, _ = case
    cube = count_cube(codes, group, g, k)
    top = k // 2
    spec = {"top": f"top{top}", "bottom": f"bottom{k - top}"}  # a partition of the scale
    out = nets(cube, [k] * codes.shape[1], spec)
    total = out.pct.sum(axis=0)
    has = out.base > 0
    assert total[has] == pytest.approx(np.full(has.sum(), 100.0))
    assert np.isnan(total[~has]).all()
    assert np.array_equal(out.count.sum(axis=0), out.base)


@given(surveys())
@SETTINGS
def test_shuffling_respondents_changes_nothing(case):
    codes, group, k, g, weights, rng = case
    perm = rng.permutation(len(group))
    a = rao_scott(codes, group, g, weights, n_categories=k)
    b = rao_scott(codes[perm], group[perm], g, weights[perm], n_categories=k)
    np.testing.assert_allclose(a.statistic, b.statistic, rtol=1e-9)
    np.testing.assert_allclose(a.p_value, b.p_value, rtol=1e-8, atol=1e-300)
    s1, s2 = cell_sums(codes, group, g, k, weights), cell_sums(codes[perm], group[perm], g, k,
                                                               weights[perm])
    assert np.array_equal(s1.n, s2.n)
    np.testing.assert_allclose(s1.w, s2.w, rtol=1e-12)
    i1 = composite_index(codes, k, min_share=0.5)
    i2 = composite_index(codes[perm], k, min_share=0.5)
    np.testing.assert_array_equal(i1[perm], i2)
    m1 = index_by_group(i1, group, g, weights)
    m2 = index_by_group(i2, group[perm], g, weights[perm])
    np.testing.assert_allclose(m1.mean, m2.mean, rtol=1e-12)
    np.testing.assert_allclose(m1.se, m2.se, rtol=1e-9, atol=1e-10)


@given(surveys())
@SETTINGS
def test_raking_is_equivariant_under_shuffling(case):
    _, group, _, g, _, rng = case
    other = rng.integers(0, 3, size=len(group))
    grp = np.where(group < 0, 0, group)
    if len(np.unique(grp)) < g or len(np.unique(other)) < 3:
        return  # a level with a target but no respondents is an error, tested elsewhere
    targets = [np.full(g, 100.0 / g), np.array([50.0, 30.0, 20.0])]
    perm = rng.permutation(len(group))
    a = rake([grp, other], targets)
    b = rake([grp[perm], other[perm]], targets)
    np.testing.assert_allclose(a.weights[perm], b.weights, rtol=1e-9)
    if a.report.converged:
        np.testing.assert_allclose(np.bincount(grp, weights=a.weights), targets[0], rtol=1e-8)
        np.testing.assert_allclose(np.bincount(other, weights=a.weights), targets[1],
                                   rtol=1e-8)


@given(surveys())
@SETTINGS
def test_unit_weights_equal_unweighted(case):
    codes, group, k, g, _, _ = case
    ones = np.ones(len(group))
    s = cell_sums(codes, group, g, k, ones)
    u = count_cube(codes, group, g, k)
    pos_n = u[:, :g, k - 1]
    base = u[:, :g, :k].sum(axis=2)
    # weighted letters on Kish n_eff equal unweighted letters when every weight is 1
    n_eff = effective_n(s.w[:, :g, :k].sum(axis=2), s.w2[:, :g, :k].sum(axis=2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = pos_n / base
    a = column_letters(pos_n, base)
    b = column_letters_weighted(p, n_eff=np.nan_to_num(n_eff))
    np.testing.assert_allclose(a.p_value, b.p_value, rtol=1e-9)
    assert a.letters == b.letters
    # weighted means with unit weights are the plain means of the scores
    out = weighted_mean_tests(s.w[:, :g, :k], s.w2[:, :g, :k], np.arange(1, k + 1),
                              len(group))
    with np.errstate(divide="ignore", invalid="ignore"):
        plain = (u[:, :g, :k] * np.arange(1, k + 1)).sum(axis=2) / base
    np.testing.assert_allclose(out["mean"], plain, rtol=1e-12)
    # unit-weight interval sums: the estimate is x/n and Kish's n_eff is n
    ci = proportion_interval_from_sums(pos_n, pos_n, base, base, base, len(group))
    np.testing.assert_allclose(ci.estimate, p, rtol=1e-12)
    np.testing.assert_array_equal(ci.n_eff[base > 0], base[base > 0])


@given(surveys())
@SETTINGS
def test_rao_scott_with_unit_weights_and_no_missing_is_pearson(case):
    """With w = 1, everyone in the table and no empty cell, Delta = n/(n-1) I, so
    F = X^2 (n-1) / (n df). (R zeroes 1/0 for empty cells, which changes Delta.)"""
    codes, group, k, g, _, _ = case
    codes, group = np.abs(codes), np.abs(group)  # nobody missing
    out = rao_scott(codes, group, g, None, n_categories=k)
    cube = count_cube(codes, group, g, k)
    chi = chi_square(cube[:, :g, :k])
    n = len(group)
    tables = cube[:, :g, :k]
    full = np.array([(t[t.sum(1) > 0][:, t.sum(0) > 0] > 0).all() for t in tables])
    ok = (chi["df"] > 0) & full
    np.testing.assert_allclose(out.pearson[ok], chi["statistic"][ok], rtol=1e-9)
    np.testing.assert_allclose(out.trace[ok], chi["df"][ok] * n / (n - 1), rtol=1e-9)
    np.testing.assert_allclose(out.statistic[ok] * chi["df"][ok] * n / (n - 1),
                               chi["statistic"][ok], rtol=1e-9)
    np.testing.assert_allclose(out.ndf[ok], chi["df"][ok], rtol=1e-9)


@st.composite
def p_value_families(draw):
    """2-D arrays of p-values (families x tests) with ties, zeros, ones and NaN (not run)."""
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 15))
    value = st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.01, 0.05, 1.0, float("nan")]))
    return np.array(draw(st.lists(st.lists(value, min_size=cols, max_size=cols),
                                  min_size=rows, max_size=rows)))


@given(p_value_families(), st.sampled_from(["holm", "bh", "bonferroni", "none"]))
@settings(max_examples=100, deadline=None)
def test_adjusted_p_at_least_raw_and_equal_to_adjust(p, method):
    out = adjust_rows(p, method)
    live = np.isfinite(p)
    assert np.all(out[live] >= p[live] - 1e-15) and np.all(out[live] <= 1)
    assert np.isnan(out[~live]).all()
    for row, got in zip(p, out):
        np.testing.assert_allclose(got, adjust(row, method), rtol=1e-12, atol=1e-300)


@given(surveys(max_n=60))
@SETTINGS
def test_letters_adjusted_at_least_raw(case):
    codes, group, k, g, _, _ = case
    cube = count_cube(codes, group, g, k)
    out = column_letters(cube[:, :g, k - 1], cube[:, :g, :k].sum(axis=2), family="breakdown")
    live = np.isfinite(out.p_value)
    assert np.all(out.p_adjusted[live] >= out.p_value[live] - 1e-15)


@given(surveys())
@SETTINGS
def test_rank_tests_from_counts_equal_scipy_on_raw_answers(case):
    codes, group, k, g, _, _ = case
    col, grp = codes[:, 0], group
    keep = (col >= 0) & (grp >= 0)
    samples = [col[keep & (grp == j)] for j in range(g)]
    samples = [s for s in samples if len(s)]
    cube = count_cube(codes[:, :1], group, g, k)[0, :g, :k]
    out = kruskal_from_counts(cube)
    if len(samples) >= 2 and len(np.unique(col[keep])) > 1:
        ref = stats.kruskal(*samples)
        assert float(out["statistic"]) == pytest.approx(ref.statistic, rel=1e-9)
        assert float(out["p_value"]) == pytest.approx(ref.pvalue, rel=1e-8)
    x, y = col[keep & (grp == 0)], col[keep & (grp == 1)]
    if len(x) and len(y) and len(np.unique(np.r_[x, y])) > 1:
        for cc in (True, False):
            mw = mann_whitney_from_counts(cube[0], cube[1], continuity=cc)
            ref = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=cc)
            assert float(mw["statistic"]) == pytest.approx(ref.statistic)
            assert float(mw["p_value"]) == pytest.approx(ref.pvalue, rel=1e-8)


@given(st.integers(0, 60), st.integers(1, 60), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
@settings(max_examples=100, deadline=None)
def test_wilson_contains_estimate_and_stays_in_0_1(x, n, conf):
    x = min(x, n)
    lo, hi = wilson_interval(x, n, conf)
    assert 0 <= lo <= x / n <= hi <= 1
