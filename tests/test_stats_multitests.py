"""Multi-response tests per option, rank tests against each group's rest, interval edges."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from stats_helpers import reference, weighted_data

from surveykit.analysis.intervals import (
    korn_graubard_interval,
    logit_interval,
    proportion_interval_from_sums,
    proportion_from_sums,
    weighted_proportion_interval,
    wilson_interval,
)
from surveykit.analysis.meantests import mann_whitney_vs_rest, weighted_means
from surveykit.analysis.multitests import multi_tests, tick_sums
from surveykit.analysis.significance import adjust
from surveykit.analysis.weights import cell_sums


def _multi(seed=0, n=600):
    rng = np.random.default_rng(seed)
    group = rng.integers(-1, 3, size=n)
    answered = rng.random(n) > 0.1
    base_rate = np.array([0.2, 0.5, 0.3])
    ticks = np.column_stack([rng.random(n) < base_rate[0] + 0.3 * (group == 1),
                             rng.random(n) < base_rate[1],
                             rng.random(n) < base_rate[2] - 0.15 * (group == 2)])
    return ticks, answered, group, rng.lognormal(0, 0.4, size=n)


def test_tick_sums_by_hand():
    ticks = np.array([[1, 0], [1, 1], [0, 1], [1, 1]], dtype=bool)
    answered = np.array([True, True, True, False])  # the last ticks do not count
    s = tick_sums(ticks, answered, np.array([0, 0, 1, -1]), 2, np.array([1.0, 2.0, 3.0, 4.0]))
    assert s.ticked_n.tolist() == [[2, 1], [0, 1], [0, 0]]
    assert s.ticked_w.tolist() == [[3, 2], [0, 3], [0, 0]]
    assert s.ticked_w2.tolist() == [[5, 4], [0, 9], [0, 0]]
    assert s.base_n.tolist() == [2, 1, 0] and s.base_w.tolist() == [3, 3, 0]


def test_unweighted_option_tests_are_chi_square_and_z_tests():
    ticks, answered, group, _ = _multi()
    out = multi_tests(ticks, answered, group, 3)
    assert out.method == "chi-square"
    for j in range(3):
        table = np.array([[np.sum(ticks[:, j] & answered & (group == g)),
                           np.sum(~ticks[:, j] & answered & (group == g))] for g in range(3)])
        ref = stats.chi2_contingency(table, correction=False)
        assert out.statistic[j] == pytest.approx(ref.statistic, rel=1e-10)
        assert out.p_value[j] == pytest.approx(ref.pvalue, rel=1e-9)
        assert out.pct[j] == pytest.approx(100 * table[:, 0] / table.sum(axis=1))
        # group vs everyone else who answered, not-stated respondents included
        for g in range(3):
            inside, rest = answered & (group == g), answered & (group != g)
            x = [ticks[inside, j].sum(), ticks[rest, j].sum()]
            n = [inside.sum(), rest.sum()]
            two = stats.chi2_contingency(np.array([x, np.subtract(n, x)]).T, correction=False)
            assert out.vs_rest_p[j, g] == pytest.approx(two.pvalue, rel=1e-9)
    assert out.p_adjusted == pytest.approx(adjust(out.p_value, "holm"))
    assert out.vs_rest_p_adjusted == pytest.approx(
        adjust(out.vs_rest_p.ravel(), "holm").reshape(3, 3))
    assert out.p_value[0] < 0.001 and out.p_value[1] > 0.01  # option 0 depends on group


def test_sparse_option_tables_get_fishers_exact_test():
    """R: ``fisher.test(matrix(c(3, 0, 1, 5, 4, 2), 2))``: option ticked 3/1/4 times by
    groups of 3/6/6 answerers, expected counts under 5, so the p-value is Fisher's."""
    ref = reference()["fisher"]
    ticked, not_ticked = ref["table"]
    group = np.repeat([0, 1, 2], np.add(ticked, not_ticked))
    ticks = np.concatenate([np.r_[np.ones(t, bool), np.zeros(u, bool)]
                            for t, u in zip(ticked, not_ticked)])[:, None]
    ticks = np.hstack([ticks, np.ones_like(ticks)])  # option 2: everyone ticks it
    out = multi_tests(ticks, np.ones(len(group), bool), group, 3)
    assert out.p_method[0] == "fisher enumeration"
    assert out.p_value[0] == pytest.approx(ref["fisher_p_value"], rel=1e-9)
    assert out.statistic[0] == pytest.approx(ref["asymptotic_chisq"]["statistic"], rel=1e-10)
    assert np.isnan(out.p_value[1]) and out.p_method[1] == "asymptotic"  # nothing to test


def test_weighted_option_tests_use_design_based_proportions():
    ticks, answered, group, w = _multi(1)
    out = multi_tests(ticks, answered, group, 3, w)
    assert out.method == "rao-scott"
    for j in range(3):
        for g in range(3):
            y = np.where(answered, ticks[:, j].astype(float), np.nan)
            est = weighted_proportion_interval(y, w, group == g)
            assert out.pct[j, g] == pytest.approx(100 * float(est.estimate), rel=1e-12)
    # unit weights reproduce the unweighted percentages
    unit = multi_tests(ticks, answered, group, 3, np.ones(len(group)))
    plain = multi_tests(ticks, answered, group, 3)
    assert unit.pct == pytest.approx(plain.pct)


def test_mann_whitney_vs_rest_equals_scipy():
    rng = np.random.default_rng(4)
    group = rng.integers(0, 3, size=400)
    value = np.clip(rng.integers(0, 5, size=400) + (group == 2), 0, 4)
    table = np.array([np.bincount(value[group == g], minlength=5) for g in range(3)])
    out = mann_whitney_vs_rest(table)
    for g in range(3):
        ref = stats.mannwhitneyu(value[group == g], value[group != g], method="asymptotic")
        assert out["statistic"][g] == pytest.approx(ref.statistic)
        assert out["p_value"][g] == pytest.approx(ref.pvalue, rel=1e-9)


def test_weighted_means_equal_weighted_average_of_scores():
    d = weighted_data()
    s = cell_sums(d["item"], d["group"], 4, 5, d["w"])
    mean, se = weighted_means(s.w[0, :4, :5], s.w2[0, :4, :5], np.arange(1, 6), 300)
    for g in range(4):
        ok = (d["group"] == g) & (d["item"] >= 0)
        assert mean[g] == pytest.approx(np.average(d["score"][ok], weights=d["w"][ok]))
    assert (se > 0).all()


def test_wilson_empty_base_is_nan_and_broadcasts():
    lo, hi = wilson_interval(np.array([0, 3]), np.array([0, 10]))
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and 0 < lo[1] < 0.3 < hi[1] < 1


def test_everyone_positive_gives_a_zero_se_not_nan():
    """Sums of weights taken in another order (the rest = total - group) can leave the
    not-positive weight at -1e-17; the SE must stay a number (0), not NaN."""
    w = np.array([0.1, 0.2, 0.7])
    total, w2 = w.sum(), (w * w).sum()
    # squared weights of the positive answers added up in another order: 3e-16 more
    with np.errstate(all="raise"):
        p, se = proportion_from_sums(np.array([total]), np.array([w2 + 3e-16]),
                                     np.array([total]), np.array([w2]), 10)
    assert p[0] == 1.0 and se[0] == 0.0


def test_intervals_at_zero_and_one():
    """p = 0: the logit interval is undefined (NaN, as qlogis(0) = -Inf in R); the
    Korn-Graubard interval falls back to Clopper-Pearson at Kish's effective n."""
    lo, hi = logit_interval(np.array([0.0, 1.0]), np.array([0.0, 0.0]), np.array([9, 9]))
    assert np.isnan(lo).all() and np.isnan(hi).all()
    lo, hi, n_eff = korn_graubard_interval(np.array([0.0]), np.array([0.0]), np.array([10]),
                                           n_eff_degenerate=np.array([10.0]))
    assert lo[0] == 0 and n_eff[0] == 10
    assert hi[0] == pytest.approx(stats.beta.ppf(0.975, 1, 10))  # Clopper-Pearson 0/10
    ci = proportion_interval_from_sums(np.array([0.0, 4.0]), np.array([0.0, 4.0]),
                                       np.array([4.0, 4.0]), np.array([4.0, 4.0]),
                                       np.array([4, 4]), 20, method="beta")
    assert ci.lower[0] == 0 and ci.upper[1] == 1
    assert ci.upper[0] == pytest.approx(stats.beta.ppf(0.975, 1, 4))
    with pytest.raises(ValueError):
        proportion_interval_from_sums(1, 1, 2, 2, 2, 10, method="wald")
