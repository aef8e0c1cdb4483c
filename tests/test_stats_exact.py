"""Exact and Monte-Carlo tests: enumeration against brute force, determinism, Cochran's rule.

R reference values (fisher.test, chisq.test(simulate.p.value = TRUE)) are checked in
test_stats_reference.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from surveykit.analysis import exact
from surveykit.analysis.exact import chisq_monte_carlo, fisher_test, needs_exact, table_seed


def _brute_force_tables(rows, cols):
    """Every table with these margins, by trying all cell values (tiny tables only)."""
    r, c = len(rows), len(cols)
    found = []
    for cells in itertools.product(*(range(min(rows[i], cols[j]) + 1)
                                     for i in range(r) for j in range(c))):
        t = np.array(cells).reshape(r, c)
        if (t.sum(1) == rows).all() and (t.sum(0) == cols).all():
            found.append(t)
    return found


@pytest.mark.parametrize("table", [[[3, 1, 4], [0, 5, 2]], [[2, 1], [1, 2], [0, 3]],
                                   [[1, 2, 0], [2, 0, 1], [0, 1, 2]]])
def test_enumeration_finds_every_table_with_the_margins(table):
    t = np.array(table)
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    got = exact._enumerate(rows, cols, 10_000, keep_tables=True)
    brute = _brute_force_tables(rows, cols)
    assert len(got) == len(brute)
    assert {g.tobytes() for g in got} == {b.tobytes() for b in brute}
    # the hypergeometric probabilities of all of them add up to one
    assert np.exp(exact._log_prob(got, rows, cols)).sum() == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("table", [[[7, 2], [1, 6]], [[3, 0], [1, 5]], [[10, 12], [9, 11]]])
def test_enumeration_p_equals_scipy_fisher_on_2x2(table):
    t = np.array(table)
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    tables = exact._enumerate(rows, cols, 10_000, keep_tables=True)
    lp = exact._log_prob(tables, rows, cols)
    observed = exact._log_prob(t, rows, cols)
    p = np.exp(lp[lp <= observed + np.log1p(1e-7)]).sum()
    assert p == pytest.approx(stats.fisher_exact(t).pvalue, rel=1e-10)
    assert fisher_test(t).method == "fisher exact"


def test_enumeration_log_factorial_sums_match_the_tables():
    t = np.array([[3, 1, 4, 0], [0, 5, 2, 2], [1, 1, 1, 3]])
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    tables = exact._enumerate(rows, cols, 100_000, keep_tables=True)
    sums = exact._enumerate(rows, cols, 100_000)
    from scipy.special import gammaln
    assert sums == pytest.approx(gammaln(tables + 1.0).sum(axis=(1, 2)), rel=1e-13)
    assert len({x.tobytes() for x in tables}) == len(tables)  # no table twice


def test_enumeration_stops_exactly_past_the_limit():
    rows, cols = np.array([2, 1, 2]), np.array([1, 2, 2])
    n_tables = len(_brute_force_tables(rows, cols))
    assert len(exact._enumerate(rows, cols, n_tables)) == n_tables
    assert exact._enumerate(rows, cols, n_tables - 1) is None


def test_huge_table_spaces_are_not_enumerated():
    """A 6 x 5 table of 1,100 answers has astronomically many tables with its margins:
    the count passes the limit after a few cells and the test goes to Monte-Carlo."""
    t = np.array([[7, 14, 44, 140, 199], [1, 8, 25, 106, 111], [1, 7, 14, 59, 92],
                  [1, 10, 19, 48, 60], [0, 4, 18, 30, 51], [0, 5, 9, 28, 39]])
    assert exact._enumerate(t.sum(axis=1), t.sum(axis=0), 200_000) is None
    res = fisher_test(t, resamples=2_000, stop_above=float("inf"))
    assert res.method == "fisher monte carlo" and res.resamples == 2_000
    # its p (about 0.32) is clearly above 0.2 after the first batch: drawing stops there
    early = fisher_test(t, resamples=2_000)
    assert early.method == "fisher monte carlo" and early.resamples == exact.BATCH
    assert early.p_value > exact.STOP_ABOVE
    assert abs(early.p_value - res.p_value) < 4 * np.sqrt(0.25 / exact.BATCH)


def test_enumeration_limit_falls_back_to_monte_carlo():
    t = np.array([[13, 11, 4, 2], [10, 5, 2, 11], [2, 12, 2, 6]])
    res = fisher_test(t, max_tables=1_000, resamples=5_000)
    assert res.method == "fisher monte carlo" and res.resamples == 5_000
    assert 0 < res.p_value < 0.02  # a clear association (asymptotic p is 0.002)


def test_monte_carlo_is_deterministic_per_table():
    t = np.array([[3, 1, 4], [0, 5, 2]])
    a, b = chisq_monte_carlo(t), chisq_monte_carlo(t)
    assert a.p_value == b.p_value
    other = chisq_monte_carlo(np.array([[3, 1, 4], [1, 5, 2]]))
    assert table_seed(t).entropy != table_seed(np.array([[3, 1, 4], [1, 5, 2]])).entropy
    assert other.p_value != a.p_value
    # the same counts in another shape are another table
    assert table_seed(t).entropy != table_seed(t.reshape(3, 2)).entropy


def test_monte_carlo_p_value_is_never_zero():
    """(1 + hits) / (B + 1): even an extreme table cannot get p = 0."""
    t = np.array([[40, 0], [0, 40]])
    res = chisq_monte_carlo(t, resamples=999)
    assert res.p_value == pytest.approx(1 / 1000)


def test_empty_rows_and_columns_are_dropped_and_bad_input_rejected():
    t = np.array([[3, 0, 4], [0, 0, 0], [1, 0, 5]])
    assert fisher_test(t).p_value == pytest.approx(stats.fisher_exact([[3, 4], [1, 5]]).pvalue)
    assert fisher_test(np.array([[3, 4]])).p_value == 1.0
    assert np.isnan(chisq_monte_carlo(np.array([[3, 4]])).p_value)
    with pytest.raises(ValueError):
        fisher_test(np.array([[1.5, 2], [3, 4]]))
    with pytest.raises(ValueError):
        fisher_test(np.array([[-1, 2], [3, 4]]))


def test_needs_exact_cochran_rule():
    assert not needs_exact(np.full((2, 5), 5.0))                 # nothing below 5
    assert needs_exact(np.array([[0.9, 20], [20, 20]]))         # one cell below 1
    two_low = np.full((2, 5), 10.0)
    two_low[0, :2] = 4.0                                        # 2 of 10 = 20%: allowed
    assert not needs_exact(two_low)
    two_low[0, 2] = 4.0                                         # 3 of 10 = 30%: not
    assert needs_exact(two_low)
    # stacked tables, and empty rows (expected 0) are not counted as small cells
    stack = np.stack([np.full((2, 2), 10.0), np.array([[0.0, 0.0], [10.0, 10.0]])])
    assert needs_exact(stack).tolist() == [False, False]


# --- early stopping of Monte-Carlo p-values ---------------------------------------------

def test_small_p_draws_every_resample_and_is_unchanged():
    """A clear association (asymptotic p 0.002): never stopped, and the p-value is the one
    drawing all 20,000 tables at once gives (the batches continue one random stream)."""
    t = np.array([[13, 11, 4, 2], [10, 5, 2, 11], [2, 12, 2, 6]])
    res = fisher_test(t, max_tables=1)
    assert res.resamples == 20_000
    t = t.T  # fisher_test simulates with the longer side as rows
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    sims = stats.random_table(rows, cols, seed=np.random.default_rng(table_seed(t))).rvs(
        20_000, method="patefield")
    observed = exact._log_prob(t, rows, cols)
    hits = np.count_nonzero(exact._log_prob(sims, rows, cols) <= observed + np.log1p(1e-7))
    assert res.p_value == (1 + hits) / 20_001
    chi = chisq_monte_carlo(t.T)
    assert chi.resamples == 20_000
    assert chi.p_value == chisq_monte_carlo(t.T, stop_above=float("inf")).p_value


def test_large_p_stops_early_near_the_exact_p():
    """No association: the exact (enumerated) p is about 0.49; the simulated one stops
    after the first batch, within Monte-Carlo error of it, and says how many tables it
    drew."""
    t = np.array([[2, 3, 4, 3], [3, 2, 2, 4], [1, 4, 3, 0]])
    exact_p = fisher_test(t).p_value
    assert fisher_test(t).method == "fisher enumeration" and 0.4 < exact_p < 0.6
    res = fisher_test(t, max_tables=1)
    assert res.method == "fisher monte carlo" and res.resamples == exact.BATCH
    assert abs(res.p_value - exact_p) < 4 * np.sqrt(exact_p * (1 - exact_p) / exact.BATCH)
    assert res == fisher_test(t, max_tables=1)  # still deterministic
    # a higher stopping level (alpha above 0.2) keeps drawing while p could be below it
    assert fisher_test(t, max_tables=1, stop_above=0.6).resamples == 20_000


def test_stopping_rule_almost_never_stops_a_p_at_or_below_the_level():
    """At every look, the chance that the running hits of a test whose true p is exactly
    0.2 reach the stopping count is at most 1e-6 (binomial tail), so over its 19 looks a
    test is stopped with probability below 2e-5; at a true p of 0.35 the first look
    stops it nearly always."""
    for n in range(exact.BATCH, 20_000, exact.BATCH):
        stop_at = next(h for h in range(n + 1) if exact._clearly_above(h, n, exact.STOP_ABOVE))
        assert not exact._clearly_above(stop_at - 1, n, exact.STOP_ABOVE)
        assert stats.binom.sf(stop_at - 1, n, exact.STOP_ABOVE) <= exact.STOP_ERROR
        if n == exact.BATCH:
            assert stats.binom.sf(stop_at - 1, n, 0.35) > 0.999
