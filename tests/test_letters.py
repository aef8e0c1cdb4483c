"""Column-proportion letters: which groups a group is significantly higher than.

Pairwise p-values are checked against R's ``pairwise.prop.test`` in test_stats_reference;
here: the letters themselves on tables whose answers are worked out by hand, the two
levels, the two families, small-group exclusion and the weighted variants.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from surveykit.analysis.letters import (
    adjust_rows,
    column_labels,
    column_letters,
    column_letters_weighted,
    letters_from_p,
    pairwise_z,
    pairwise_z_design,
)
from surveykit.analysis.significance import adjust


def test_labels_go_past_z_like_spreadsheet_columns():
    labels = column_labels(60)
    assert labels[:3] == ("A", "B", "C")
    assert labels[25:29] == ("Z", "AA", "AB", "AC")
    assert labels[51:53] == ("AZ", "BA")
    assert len(set(labels)) == 60


def test_letters_by_hand():
    """A 80/100, B 50/100, C 48/100, D 20/25.

    Pooled z p-values (R prop.test, correct = FALSE): A-C 2.4e-6, A-B 8.7e-6, C-D 0.0041,
    B-D 0.0069, B-C 0.78, A-D 1 (both 80%). Holm over the 6 pairs of the item multiplies
    them in that order by 6, 5, 4, 3, 2, 1: A-C 1.5e-5, A-B 4.3e-5, C-D 0.016, B-D 0.021,
    the rest 1. So A beats B and C at 1% (uppercase); D beats B and C at 5% only
    (lowercase); D = A gets no letter either way.
    """
    out = column_letters(np.array([[80, 50, 48, 20]]), np.array([[100, 100, 100, 25]]))
    assert out.letters == (("BC", "", "", "bc"),)
    assert out.higher_than(0, 3) == frozenset({"B", "C"})
    assert out.level[0, 0].tolist() == [0, 2, 2, 0]
    assert out.level[0, 3].tolist() == [0, 1, 1, 0]
    # lower groups never get letters against the higher ones
    assert (out.level[0, 1:3] == 0).all()


def test_raw_p_values_are_prop_test_and_diagonal_blank():
    x, n = np.array([[80, 50, 48]]), np.array([[100, 100, 100]])
    p = pairwise_z(x, n)
    assert np.isnan(np.diagonal(p[0])).all()
    for i in range(3):
        for j in range(3):
            if i != j:
                table = np.array([[x[0, i], n[0, i] - x[0, i]], [x[0, j], n[0, j] - x[0, j]]])
                ref = stats.chi2_contingency(table, correction=False).pvalue
                assert p[0, i, j] == pytest.approx(ref, rel=1e-9)


def test_levels_are_configurable():
    x, n = np.array([[80, 50, 48, 20]]), np.array([[100, 100, 100, 25]])
    # Holm-adjusted (see test_letters_by_hand): A-C 1.5e-5 and A-B 4.3e-5 are not below
    # 1e-5, so A's letters become lowercase; D's (0.016, 0.021) stay lowercase under 0.1.
    out = column_letters(x, n, strict=1e-5, loose=0.1)
    assert out.letters == (("bc", "", "", "bc"),)
    # with a loose level of 0.01 D's comparisons no longer count
    assert column_letters(x, n, strict=1e-3, loose=0.01).letters == (("BC", "", "", ""),)
    with pytest.raises(ValueError):
        column_letters(x, n, strict=0.05, loose=0.01)


def test_no_correction_gives_more_letters_than_bonferroni():
    x, n = np.array([[60, 45, 40]]), np.array([[100, 100, 100]])
    none = column_letters(x, n, correction="none")
    bonf = column_letters(x, n, correction="bonferroni")
    # A-B raw p = 0.034 (< .05), Bonferroni x3 = 0.10: the letter goes away
    assert "b" in none.letters[0][0]
    assert "b" not in bonf.letters[0][0].lower()
    assert (bonf.p_adjusted[0][np.isfinite(bonf.p_adjusted[0])]
            >= none.p_adjusted[0][np.isfinite(none.p_adjusted[0])]).all()


def test_breakdown_family_is_the_union_of_all_pairs():
    rng = np.random.default_rng(3)
    n = rng.integers(50, 200, size=(8, 5)).astype(float)
    x = np.floor(n * rng.uniform(0.2, 0.8, size=n.shape))
    item = column_letters(x, n, family="item")
    whole = column_letters(x, n, family="breakdown")
    iu = np.triu_indices(5, 1)
    raw = item.p_value[:, iu[0], iu[1]]
    assert whole.p_adjusted[:, iu[0], iu[1]] == pytest.approx(
        adjust(raw.ravel(), "holm").reshape(raw.shape), rel=1e-12)
    assert item.p_adjusted[:, iu[0], iu[1]] == pytest.approx(
        np.stack([adjust(r, "holm") for r in raw]), rel=1e-12)
    # the bigger family never makes a pair more significant
    assert (whole.p_adjusted[:, iu[0], iu[1]] >= item.p_adjusted[:, iu[0], iu[1]] - 1e-15).all()
    with pytest.raises(ValueError):
        column_letters(x, n, family="survey")


def test_small_groups_are_left_out():
    """A group under ``min_n`` is neither tested nor tested against (no letters reveal it)."""
    x, n = np.array([[80, 50, 1]]), np.array([[100, 100, 8]])
    out = column_letters(x, n, min_n=10)
    assert np.isnan(out.p_value[0, 2]).all() and np.isnan(out.p_value[0, :, 2]).all()
    assert out.letters == (("B", "", ""),)
    # each remaining pair is its own family of one: Holm leaves it unchanged
    assert out.p_adjusted[0, 0, 1] == pytest.approx(out.p_value[0, 0, 1])


def test_design_based_variant_is_a_wald_test():
    p = np.array([[0.6, 0.4, 0.5]])
    se = np.array([[0.05, 0.04, 0.1]])
    raw = pairwise_z_design(p, se)
    z = (0.6 - 0.4) / np.hypot(0.05, 0.04)
    assert raw[0, 0, 1] == pytest.approx(2 * stats.norm.sf(z), rel=1e-12)
    with_t = pairwise_z_design(p, se, df=30)
    assert with_t[0, 0, 1] == pytest.approx(2 * stats.t.sf(z, 30), rel=1e-12)
    out = column_letters_weighted(p, se=se, correction="none")
    assert out.letters == (("B", "", ""),)  # 0.2 / 0.064 = 3.12, p = 0.0018
    assert out.p_value[0, 0, 2] > 0.05


def test_effective_n_variant_equals_counts_at_that_n():
    p = np.array([[0.8, 0.5, 0.48]])
    n_eff = np.array([[100.0, 100.0, 100.0]])
    a = column_letters_weighted(p, n_eff=n_eff)
    b = column_letters(p * n_eff, n_eff)
    np.testing.assert_allclose(a.p_value, b.p_value, rtol=1e-12)
    # a smaller effective n (a design effect of 2) weakens every test
    c = column_letters_weighted(p, n_eff=n_eff / 2)
    live = np.isfinite(a.p_value)
    assert (c.p_value[live] > a.p_value[live]).all()
    with pytest.raises(ValueError):
        column_letters_weighted(p)


def test_weighted_small_groups_are_left_out():
    p = np.array([[0.9, 0.5, 0.1]])
    out = column_letters_weighted(p, se=np.array([[0.01, 0.01, 0.01]]),
                                  n=np.array([[50, 50, 3]]), min_n=10)
    assert out.letters == (("B", "", ""),)


def test_letters_from_p_uses_estimates_for_direction():
    p = np.full((1, 2, 2), 0.001)
    assert letters_from_p(p, np.array([[0.3, 0.7]])).letters == (("", "A"),)
    assert letters_from_p(p, np.array([[0.7, 0.3]])).letters == (("B", ""),)
    assert letters_from_p(p, np.array([[0.5, 0.5]])).letters == (("", ""),)  # a tie


def test_adjust_rows_handles_nan_families_and_unknown_method():
    p = np.array([[0.01, np.nan, 0.04], [np.nan, np.nan, np.nan]])
    out = adjust_rows(p, "holm")
    assert out[0, [0, 2]] == pytest.approx([0.02, 0.04])  # a family of two, not three
    assert np.isnan(out[1]).all() and np.isnan(out[0, 1])
    with pytest.raises(ValueError):
        adjust_rows(p, "sidak")
