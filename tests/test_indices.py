"""Composite 0-100 indices, Cronbach's alpha and nets, on values worked out by hand.

The weighted index means and SEs and alpha are checked against R in test_stats_reference.
"""

from __future__ import annotations

import numpy as np
import pytest
from stats_helpers import index_data, reference_extra

from surveykit.analysis.counts import count_cube
from surveykit.analysis.indices import (
    composite_index,
    cronbach_alpha,
    index_by_group,
    item_scores,
)
from surveykit.analysis.nets import net_categories, nets


def test_scores_are_even_steps_from_0_to_100():
    assert item_scores(np.arange(5), 5).tolist() == [0, 25, 50, 75, 100]
    assert item_scores(np.arange(4), 4) == pytest.approx([0, 100 / 3, 200 / 3, 100])
    assert item_scores(np.arange(7), 7)[3] == 50
    # no answer (-1) and not-applicable codes (>= k) are not scored
    assert np.isnan(item_scores(np.array([-1, 5, 6]), 5)).all()
    with pytest.raises(ValueError):
        item_scores(np.array([0]), 1)


def test_scores_per_item_scale_length():
    codes = np.array([[3, 3], [0, 4]])
    assert item_scores(codes, np.array([4, 5])).tolist() == [[100, 75], [0, 100]]


def test_index_requires_all_items_by_default():
    codes = np.array([
        [4, 4, 4, 4],    # 100
        [0, 2, 4, -1],   # one skipped: no index by default; (0+50+100)/3 = 50 at half
        [3, -1, -1, 1],  # two of four answered: exactly half
        [5, -1, -1, -1], # "Don't know" (code 5 on a 5-point scale) and three skips
    ])
    assert composite_index(codes, 5).tolist()[:1] == [100]
    assert np.isnan(composite_index(codes, 5)[1:]).all()
    half = composite_index(codes, 5, min_share=0.5)
    assert half[:3].tolist() == [100, 50, 50]  # (75 + 25) / 2 = 50
    assert np.isnan(half[3])
    three_quarters = composite_index(codes, 5, min_share=0.75)
    assert three_quarters[:2].tolist() == [100, 50] and np.isnan(three_quarters[2:]).all()
    with pytest.raises(ValueError):
        composite_index(codes, 5, min_share=0)


def test_half_of_an_odd_number_of_items_rounds_up():
    """min_share=0.5 of 5 items means at least 3 answers (2 of 5 is less than half)."""
    codes = np.array([[4, 0, -1, -1, -1], [4, 0, 2, -1, -1]])
    out = composite_index(codes, 5, min_share=0.5)
    assert np.isnan(out[0]) and out[1] == 50


def test_index_by_group_unweighted_by_hand():
    index = np.array([100, 50, np.nan, 0, 75, 25])
    group = np.array([0, 0, 0, 1, 1, -1])
    out = index_by_group(index, group, 2)
    assert out.mean.tolist() == [75, 37.5]
    assert out.n.tolist() == [2, 2]
    assert out.overall == 50 and out.overall_n == 5  # the not-stated respondent counts
    # unweighted SE: sqrt(n/(n-1) * sum((y - mean)^2) / n_g^2) with n = all 6 rows
    assert out.se[0] == pytest.approx(np.sqrt(6 / 5 * (25**2 + 25**2) / 4))


def test_unweighted_index_mean_matches_r():
    """R: ``mean(idx_d$index_all, na.rm = TRUE)`` (make_reference_extra.R)."""
    data = index_data()
    out = index_by_group(composite_index(data["codes"], 5), data["group"], 3)
    assert out.overall == pytest.approx(reference_extra()["index"]["unweighted_all_mean"],
                                        rel=1e-12)


def test_weights_shift_the_index_towards_heavier_respondents():
    index = np.array([100.0, 0.0])
    out = index_by_group(index, np.array([0, 0]), 1, np.array([3.0, 1.0]))
    assert out.mean[0] == 75 and out.sum_w[0] == 4


def test_alpha_of_parallel_items_is_one_and_drops_incomplete_rows():
    x = np.array([[1, 1, 1], [2, 2, 2], [4, 4, 4], [5, 5, 5], [3, np.nan, 3]], dtype=float)
    out = cronbach_alpha(x)
    assert out.n == 4 and out.k == 3
    assert out.alpha == pytest.approx(1.0)
    assert out.item_rest_cor == pytest.approx([1, 1, 1])


def test_alpha_of_unrelated_items_is_near_zero_and_shift_invariant():
    rng = np.random.default_rng(11)
    x = rng.integers(1, 6, size=(5000, 4)).astype(float)
    out = cronbach_alpha(x)
    assert abs(out.alpha) < 0.05
    shifted = cronbach_alpha(x + np.array([0, 10, -3, 2]))
    assert shifted.alpha == pytest.approx(out.alpha, rel=1e-10)
    # k = 2: alpha-if-deleted would be the alpha of one item, which is undefined
    assert np.isnan(cronbach_alpha(x[:, :2]).alpha_if_deleted).all()
    with pytest.raises(ValueError):
        cronbach_alpha(x[:1])


def test_alpha_without_variation_in_the_total_is_nan():
    """Everyone gives the same answers (or answers that cancel out): alpha is undefined,
    NaN rather than the -inf or 0/0 warning of the raw formula."""
    same = np.tile([3.0, 4.0, 2.0], (6, 1))
    cancel = np.array([[1.0, 5.0], [5.0, 1.0], [2.0, 4.0], [4.0, 2.0]])
    with np.errstate(all="raise"):
        assert np.isnan(cronbach_alpha(same).alpha)
        assert np.isnan(cronbach_alpha(cancel).alpha)


def test_alpha_if_deleted_flags_the_weak_item():
    """The reference data's q5 loads weakly: dropping it raises alpha (R: 0.698 -> 0.726)."""
    data = index_data()["codes"].astype(float)
    data[data < 0] = np.nan
    out = cronbach_alpha(data)
    assert int(np.argmax(out.alpha_if_deleted)) == 4
    assert out.alpha_if_deleted[4] > out.alpha
    assert int(np.argmin(out.item_rest_cor)) == 4


def test_net_categories_follow_each_scale():
    assert net_categories(5, "top2") == (3, 4)
    assert net_categories(4, "top2") == (2, 3)
    assert net_categories(7, "bottom3") == (0, 1, 2)
    assert net_categories(5, "mid") == (2,) and net_categories(4, "mid") == ()
    assert net_categories(7, (-1, -2)) == (5, 6)
    for bad in ("top6", "best2", (7,)):
        with pytest.raises(ValueError):
            net_categories(5, bad)


def test_nets_from_a_cube_by_hand():
    # item 0 (5-point): answers 0,1,2,3,4,4 and a "don't know" (5) and a skip
    # item 1 (4-point): answers 0,3,3,3
    codes = np.array([[0, 0], [1, 3], [2, 3], [3, 3], [4, -1], [4, -1], [5, -1], [-1, -1]])
    cube = count_cube(codes, np.zeros(8, dtype=int), 1, 6)[:, :1, :]
    out = nets(cube, [5, 4], {"top2": "top2", "bottom2": "bottom2", "mid": "mid"})
    assert out.base[:, 0].tolist() == [6, 4]  # "don't know" and skips are not in the base
    assert out["top2"][:, 0] == pytest.approx([300 / 6, 75])
    assert out["bottom2"][:, 0] == pytest.approx([200 / 6, 25])
    assert out["mid"][0, 0] == pytest.approx(100 / 6) and out["mid"][1, 0] == 0
