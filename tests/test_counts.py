"""Counts, percentages and means against values counted by hand (see conftest.TINY_ROWS)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveykit import Survey, analyse, load_codebook
from surveykit.analysis.counts import count_cross, count_cube, count_groups


@pytest.fixture
def tiny(tiny_frame, tiny_codebook_path):
    return Survey.from_frame(tiny_frame, load_codebook(tiny_codebook_path))


def test_groups_harmonised_across_case_and_spacing(tiny):
    assert tiny.groups["team"] == ("North", "South")
    assert tiny.group_codes["team"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1]


def test_item_codes_match_hand_coding(tiny):
    # Q1 on agree5: SD=0 D=1 N=2 A=3 SA=4, Don't know=5, blank=-1
    assert tiny.item_codes[:, 0].tolist() == [4, 3, 1, 5, 2, 0, 3, -1]
    # Q2 is reverse-coded: the scale is read the other way, so "Strongly disagree"
    # with "Employability is not my job" is the most positive answer (code 4).
    assert tiny.item_codes[:, 1].tolist() == [4, 3, 1, 0, 2, 3, -1, 5]


def test_overall_figures_by_hand(tiny):
    q1 = analyse(tiny).item("q1").overall
    # valid answers: SA, A, D, N, SD, A -> n=6; positive 3, neutral 1, negative 2
    assert q1.n == 6
    assert q1.not_applicable == 1
    assert q1.counts == (1.0, 1.0, 1.0, 2.0, 1.0)
    assert q1.pct_positive == pytest.approx(50.0)
    assert q1.pct_neutral == pytest.approx(100 / 6)
    assert q1.pct_negative == pytest.approx(100 / 3)
    assert q1.mean == pytest.approx((5 + 4 + 2 + 3 + 1 + 4) / 6)


def test_group_figures_by_hand(tiny):
    by = analyse(tiny).item("q1").by["team"]
    north, south = by.groups
    assert (north.group, north.figures.n, north.figures.pct_positive) == ("North", 3, pytest.approx(200 / 3))
    assert north.figures.pct_negative == pytest.approx(100 / 3)
    assert (south.group, south.figures.n) == ("South", 3)
    assert south.figures.pct_positive == pytest.approx(100 / 3)
    assert south.figures.pct_neutral == pytest.approx(100 / 3)
    # group vs rest: North 2/3 positive against the rest (South) 1/3
    assert north.vs_rest.rest_n == 3
    assert north.vs_rest.difference == pytest.approx(100 / 3)


def test_reverse_item_positive_means_disagreeing(tiny):
    q2 = analyse(tiny).item("q2").overall
    # Q2 valid: SD, D, A, SA, N, D  -> disagreeing (positive) = SD, D, D = 3 of 6
    assert q2.n == 6
    assert q2.pct_positive == pytest.approx(50.0)
    assert q2.pct_negative == pytest.approx(100 / 3)


def test_count_cube_equals_pandas_crosstab():
    rng = np.random.default_rng(1)
    n, items, groups, cats = 5000, 7, 4, 6
    codes = rng.integers(-1, cats, size=(n, items))
    group = rng.integers(-1, groups, size=n)
    cube = count_cube(codes, group, groups, cats)
    for i in range(items):
        ref = pd.crosstab(np.where(group < 0, groups, group), np.where(codes[:, i] < 0, cats, codes[:, i]))
        ref = ref.reindex(index=range(groups + 1), columns=range(cats + 1), fill_value=0)
        assert np.array_equal(cube[i], ref.to_numpy())
    assert cube.sum() == n * items


def test_count_cube_weighted_equals_grouped_sums():
    rng = np.random.default_rng(2)
    codes = rng.integers(-1, 5, size=(300, 3))
    group = rng.integers(0, 3, size=300)
    w = rng.uniform(0.2, 3, size=300)
    cube = count_cube(codes, group, 3, 5, weights=w)
    for i in range(3):
        for g in range(3):
            for c in range(5):
                assert cube[i, g, c] == pytest.approx(w[(group == g) & (codes[:, i] == c)].sum())


def test_count_cube_chunks_give_same_answer(monkeypatch):
    import surveykit.analysis.counts as counts

    rng = np.random.default_rng(3)
    codes = rng.integers(-1, 5, size=(1000, 9))
    group = rng.integers(-1, 3, size=1000)
    whole = count_cube(codes, group, 3, 5)
    monkeypatch.setattr(counts, "_CHUNK_CELLS", 2000)  # two items per bincount
    assert np.array_equal(counts.count_cube(codes, group, 3, 5), whole)


def test_group_and_cross_counts():
    a = np.array([0, 0, 1, -1, 1, 1])
    b = np.array([1, 0, 0, 0, -1, 1])
    assert count_groups(a, 2).tolist() == [2, 3, 1]
    assert count_cross(a, 2, b, 2).tolist() == [[1, 1, 0], [1, 1, 1], [1, 0, 0]]
