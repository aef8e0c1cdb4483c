"""The integrated analysis on weighted data, end to end, against R ``survey``.

Data: ``tests/reference/data/weighted.csv``; expected values from
``tests/reference/make_reference.R`` with ``des <- svydesign(ids = ~1, weights = ~w, data = d)``.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import REFERENCE
from surveykit import Survey, analyse, suppress
from surveykit.codebook import parse_codebook

R = json.loads((REFERENCE / "expected.json").read_text())["weighted"]

CODEBOOK = {
    "scales": {"five": {"labels": ["1", "2", "3", "4", "5"], "codes": [1, 2, 3, 4, 5],
                        "positive": ["4", "5"], "negative": ["1", "2"], "neutral": ["3"]}},
    "items": [{"id": "item", "scale": "five"}],
    "breakdowns": [{"id": "group"}, {"id": "group2"}],
}


@pytest.fixture(scope="module")
def frame():
    return pd.read_csv(REFERENCE / "data" / "weighted.csv")


def _analyse(frame, weighted=True, **kw):
    raw = dict(CODEBOOK, **({"weight": "w"} if weighted else {}))
    return analyse(Survey.from_frame(frame, parse_codebook(raw)), **kw)


def test_weighted_percentages_and_logit_intervals_by_group(frame):
    """R: ``svyby(~I(item %in% 4:5), ~group, subset(des, !is.na(item)), svyciprop,
    method = "logit", vartype = "ci")`` (domain SEs over all 300 rows)."""
    results = _analyse(frame)
    assert results.settings.weighted and results.settings.ci_method == "logit"
    groups = {g.group: g.figures for g in results.item("item").by["group"].groups}
    for ref in R["ciprop"]["by_group"]:
        fig = groups[ref["level"]]
        assert fig.pct_positive == pytest.approx(100 * ref["estimate"], rel=1e-10)
        assert fig.ci_low == pytest.approx(100 * ref["logit"]["lower"], rel=1e-8)
        assert fig.ci_high == pytest.approx(100 * ref["logit"]["upper"], rel=1e-8)
        assert fig.n == ref["n"]
        assert fig.weighted_n == pytest.approx(ref["sum_w"], rel=1e-12)


def test_overall_weighted_interval(frame):
    """R: ``svyciprop(~I(item %in% 4:5), des, method = "logit")`` on answered rows."""
    fig = _analyse(frame).item("item").overall
    ref = R["ciprop"]["overall"]
    assert fig.pct_positive == pytest.approx(100 * ref["estimate"], rel=1e-10)
    assert fig.ci_low == pytest.approx(100 * ref["logit"]["lower"], rel=1e-8)
    assert fig.ci_high == pytest.approx(100 * ref["logit"]["upper"], rel=1e-8)


def test_mean_score_vs_rest_is_svyttest(frame):
    """R: ``svyttest(item ~ in_g, des)`` for each group (expected_extra.json,
    ``weighted_means``); the adjusted p is Holm over the breakdown's groups (one item)."""
    from statsmodels.stats.multitest import multipletests

    RX = json.loads((REFERENCE / "expected_extra.json").read_text())["weighted_means"]
    groups = _analyse(frame).item("item").by["group"].groups
    refs = RX["vs_rest"]
    for g, ref in zip(groups, refs):
        assert g.group == ref["group"] and g.mean_vs_rest.test == "design-based t"
        assert g.mean_vs_rest.difference == pytest.approx(ref["difference"], rel=1e-10)
        assert g.mean_vs_rest.p_value == pytest.approx(ref["p_value"], rel=1e-9)
        assert g.mean_vs_rest.rest_mean == pytest.approx(g.figures.mean - ref["difference"])
    holm = multipletests([r["p_value"] for r in refs], method="holm")[1]
    assert [g.mean_vs_rest.p_adjusted for g in groups] == pytest.approx(holm, rel=1e-8)


def test_kish_effective_n_by_group(frame):
    """Kish (1965): ``sum(w)^2 / sum(w^2)`` over each group's answered rows."""
    groups = {g.group: g.figures for g in _analyse(frame).item("item").by["group"].groups}
    for ref in R["kish"]["by_group"]:
        assert groups[ref["level"]].n_eff == pytest.approx(ref["kish_n_eff_nonmissing_item"],
                                                           rel=1e-10)


def test_rao_scott_in_the_results(frame):
    """R: ``svychisq(~item + group, des)`` (default statistic "F", second-order)."""
    test = _analyse(frame).item("item").by["group"].test
    ref = R["svychisq_item_group"]["F"]
    assert test.name == "rao-scott"
    assert test.statistic == pytest.approx(ref["statistic"], rel=1e-8)
    assert test.ndf == pytest.approx(ref["ndf"], rel=1e-8)
    assert test.ddf == pytest.approx(ref["ddf"], rel=1e-8)
    assert test.p_value == pytest.approx(ref["p_value"], rel=1e-6)
    assert test.df == 12  # (4 - 1) x (5 - 1)


def test_weighted_cramers_v(frame):
    """Cramér's V of a weighted table: sqrt(X^2 / (n (min(r, c) - 1))) on the weighted
    shares, here recomputed by hand from the weighted cross-table (scipy's chi2_contingency
    on the weighted counts scaled to the item's valid n), and equal to the unweighted V when
    every weight is 1."""
    from scipy.stats import chi2_contingency

    test = _analyse(frame).item("item").by["group"].test
    valid = frame.dropna(subset=["item", "group"])
    table = valid.pivot_table(index="group", columns="item", values="w", aggfunc="sum",
                              fill_value=0).to_numpy()
    scaled = table * len(valid) / table.sum()
    x2 = chi2_contingency(scaled, correction=False).statistic
    assert test.effect_size == pytest.approx(np.sqrt(x2 / (len(valid) * 3)), rel=1e-9)
    ones = frame.assign(w=1.0)
    unit = _analyse(ones).item("item").by["group"].test.effect_size
    plain = _analyse(ones, weighted=False).item("item").by["group"].test.effect_size
    assert unit == pytest.approx(plain, rel=1e-9) and np.isfinite(plain)


def test_finite_population_correction(frame):
    """R: ``svyciprop`` SE with ``fpc = ~N`` (N = 1000): SE shrinks by sqrt(1 - n/N)."""
    plain = _analyse(frame).item("item").overall
    fpc = _analyse(frame, population=1000).item("item").overall
    assert fpc.pct_positive == pytest.approx(plain.pct_positive)
    ratio = R["fpc"]["positive"]["se_with_fpc"] / R["fpc"]["positive"]["se_without_fpc"]
    assert ratio == pytest.approx(np.sqrt(1 - 300 / 1000), rel=1e-6)
    assert (fpc.ci_high - fpc.ci_low) < (plain.ci_high - plain.ci_low)


def test_unit_weights_equal_unweighted_figures(frame):
    ones = frame.assign(w=1.0)
    weighted = _analyse(ones).item("item").by["group"].groups
    plain = _analyse(ones, weighted=False).item("item").by["group"].groups
    for a, b in zip(weighted, plain):
        assert a.figures.pct_positive == pytest.approx(b.figures.pct_positive, rel=1e-12)
        assert a.figures.counts == pytest.approx(b.figures.counts)
        assert a.figures.n == b.figures.n


def test_weighted_results_survive_suppression_and_json(frame):
    results = suppress(_analyse(frame), min_group=10)
    payload = results.to_dict()
    group = payload["items"][0]["by"]["group"]["groups"][0]
    assert {"weighted_n", "n_eff", "pct_positive_ci", "letter", "higher_than"} <= set(group)
    assert payload["items"][0]["by"]["group"]["test"]["name"] == "rao-scott"
    json.dumps(payload, allow_nan=False)


def test_tidy_frame_percentages_use_the_weighted_base(frame):
    """to_frame(): weighted counts over the weighted base (svymean of the category
    indicator), the unweighted base beside it."""
    tidy = _analyse(frame).to_frame()
    a = tidy[(tidy["breakdown"] == "group") & (tidy["group"] == "A")]
    answered = frame[(frame["group"] == "A") & frame["item"].notna()]
    for _, row in a.iterrows():
        in_cat = answered["item"] == int(row["category"])
        assert row["pct"] == pytest.approx(100 * np.average(in_cat, weights=answered["w"]),
                                           rel=1e-12)
        assert row["base"] == len(answered)
        assert row["weighted_base"] == pytest.approx(answered["w"].sum(), rel=1e-12)
    assert a["pct"].sum() == pytest.approx(100.0)


def test_population_smaller_than_the_sample_is_a_usage_error(frame):
    from surveykit.errors import UsageError

    with pytest.raises(UsageError, match="smaller than the 300 respondents"):
        _analyse(frame, population=299)
    census = _analyse(frame, population=300).item("item").overall  # a census: no error
    assert census.ci_low == census.ci_high == pytest.approx(census.pct_positive)
