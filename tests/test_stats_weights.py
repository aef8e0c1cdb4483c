"""Weights: cell sums, Kish effective n, the FPC factor, raking with caps and its report.

Raking against R's ``rake``/``calibrate`` and Kish against R are in test_stats_reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from stats_helpers import reference, weighted_data

from surveykit.analysis.weights import (
    cell_sums,
    cell_sums_many,
    effective_n,
    fpc_factor,
    kish_n_eff,
    rake,
    weighting_report,
)


def test_cell_sums_by_hand():
    codes = np.array([[0], [1], [1], [-1]])
    group = np.array([0, 0, 1, -1])
    w = np.array([2.0, 1.0, 3.0, 5.0])
    s = cell_sums(codes, group, 2, 2, w)
    # (item 0, group, category) with group 2 = not stated, category 2 = no answer
    assert s.n[0].tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    assert s.w[0].tolist() == [[2, 1, 0], [0, 3, 0], [0, 0, 5]]
    assert s.w2[0].tolist() == [[4, 1, 0], [0, 9, 0], [0, 0, 25]]


@pytest.mark.parametrize("max_joint", [200_000, 1])  # joint pass, and separate passes
def test_cell_sums_many_equals_one_breakdown_at_a_time(max_joint):
    rng = np.random.default_rng(5)
    n = 3000
    codes = rng.integers(-1, 6, size=(n, 4))
    groups = [rng.integers(-1, g, size=n) for g in (3, 7, 2)]
    w = rng.lognormal(size=n)
    many = cell_sums_many(codes, groups, [3, 7, 2], 6, w, max_joint=max_joint)
    for s, g, k in zip(many, groups, [3, 7, 2]):
        one = cell_sums(codes, g, k, 6, w)
        assert np.array_equal(s.n, one.n)
        np.testing.assert_allclose(s.w, one.w, rtol=1e-12)
        np.testing.assert_allclose(s.w2, one.w2, rtol=1e-12)
    single = cell_sums_many(codes, groups[:1], [3], 6)[0]
    assert np.array_equal(single.n, cell_sums(codes, groups[0], 3, 6).n)


def test_kish_is_n_for_equal_weights_and_smaller_otherwise():
    assert kish_n_eff(np.full(10, 3.0)) == pytest.approx(10)
    assert kish_n_eff(np.array([1.0, 1.0, 4.0])) == pytest.approx(36 / 18)
    assert kish_n_eff(np.array([1.0, 2.0, 3.0]), np.array([True, False, True])) == \
        pytest.approx(16 / 10)
    assert np.isnan(effective_n(0.0, 0.0))


def test_fpc_factor():
    assert float(fpc_factor(300, None)) == 1.0
    assert float(fpc_factor(300, np.inf)) == 1.0
    assert float(fpc_factor(300, 1200)) == pytest.approx(np.sqrt(0.75))
    assert float(fpc_factor(50, 50)) == 0.0  # a census has no sampling error
    with pytest.raises(ValueError):
        fpc_factor(60, 50)


def test_weighting_report_for_supplied_weights():
    rep = weighting_report(np.array([1.0, 1.0, 4.0]))
    assert rep.n == 3 and rep.sum_weights == 6
    assert rep.n_eff == pytest.approx(2.0)
    assert rep.efficiency == pytest.approx(2 / 3) and rep.design_effect == pytest.approx(1.5)
    assert (rep.min_weight, rep.max_weight) == (1.0, 4.0)
    assert rep.converged and rep.iterations == 0


def _margins():
    d = weighted_data()
    ref = reference()["rake"]
    return d, [d["group"], d["group2"]], [np.array(ref["population_group"]["total"], float),
                                          np.array(ref["population_group2"]["total"], float)]


def test_rake_one_margin_is_post_stratification():
    group = np.array([0, 0, 0, 1])
    out = rake([group], [np.array([30.0, 70.0])])
    assert out.weights.tolist() == [10, 10, 10, 70]
    # as R's rake: the second pass changes nothing, which is what shows convergence
    assert out.report.iterations == 2 and out.report.converged


def test_rake_keeps_start_weight_ratios_within_cells():
    d, margins, targets = _margins()
    out = rake(margins, targets, start=d["w"])
    ratio = out.weights / d["w"]
    cell = d["group"] * 3 + d["group2"]
    for c in np.unique(cell):
        assert np.ptp(ratio[cell == c]) < 1e-12 * ratio[cell == c].max()
    assert np.bincount(d["group"], weights=out.weights) == pytest.approx(targets[0], rel=1e-9)


def test_rake_with_feasible_caps_meets_margins_and_caps():
    d, margins, targets = _margins()
    free = rake(margins, targets)
    mean_g = 1000 / len(d["w"])
    spread = (free.weights.min() / mean_g, free.weights.max() / mean_g)  # about 0.75, 1.82
    capped = rake(margins, targets, cap=(0.8, 1.7))
    g = capped.weights / mean_g
    assert spread[0] < 0.8 and spread[1] > 1.7  # the caps bind
    assert g.min() >= 0.8 - 1e-12 and g.max() <= 1.7 + 1e-12
    assert capped.report.converged and capped.report.n_capped > 0
    assert np.bincount(d["group"], weights=capped.weights) == pytest.approx(targets[0],
                                                                           rel=1e-8)
    assert np.bincount(d["group2"], weights=capped.weights) == pytest.approx(targets[1],
                                                                            rel=1e-8)
    # the point of capping: a narrower range of weights (here 2.13 instead of 2.45)
    assert capped.report.max_weight / capped.report.min_weight == pytest.approx(1.7 / 0.8)
    assert free.report.max_weight / free.report.min_weight > 2.4
    with pytest.raises(ValueError):
        rake(margins, targets, cap=(1.2, 2.0))  # plain scaling must lie within the caps


def test_rake_with_infeasible_caps_says_so():
    _, margins, targets = _margins()
    out = rake(margins, targets, cap=(0.95, 1.05))
    assert not out.report.converged
    assert out.report.max_margin_error > 0.01


def test_rake_confounded_margins_do_not_claim_convergence():
    """Two margins that coincide in the sample but disagree in the population: IPF settles
    into a table that repeats every pass and meets only the last margin."""
    a = np.array([0, 0, 1, 1])
    out = rake([a, a], [np.array([50.0, 50.0]), np.array([70.0, 30.0])])
    assert not out.report.converged


def test_rake_rejects_bad_input():
    a = np.array([0, 1, 1])
    with pytest.raises(ValueError):
        rake([np.array([0, -1, 1])], [np.array([1.0, 1.0])])  # a respondent without a level
    with pytest.raises(ValueError):
        rake([a, a], [np.array([1.0, 2.0]), np.array([1.0, 5.0])])  # totals disagree
    with pytest.raises(ValueError):
        rake([np.array([0, 0, 0])], [np.array([1.0, 2.0])])  # target but no respondents
    with pytest.raises(ValueError):
        rake([a], [np.array([1.0])])  # a level without a target
