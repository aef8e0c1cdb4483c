"""Each group's mean score against the rest of the sample, unweighted: Mann-Whitney.

References: ``scipy.stats.mannwhitneyu(method="asymptotic")`` (R ``wilcox.test(exact =
FALSE)``, with its continuity correction) on the raw scores of the example survey, the
rest being everyone not in the group, not stated included (as for % positive); Holm's
adjustment from statsmodels over all items and groups of a breakdown. The weighted and
stratified versions are checked against R ``svyttest`` in test_analyse_weighted.py and
test_stats_strata.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from surveykit import analyse, suppress


@pytest.fixture(scope="module")
def survey(example_results):
    return example_results[0]


@pytest.fixture(scope="module")
def raw(survey):
    return analyse(survey)


def _scores(survey, i):
    """Item i's answers scored 1..k in scale order; NaN for no answer or not applicable
    (coded k and above)."""
    k = survey.codebook.items[i].effective_scale.k
    codes = survey.item_codes[:, i].astype(float)
    return np.where((codes >= 0) & (codes < k), codes + 1, np.nan)


@pytest.mark.parametrize("breakdown", ["sector", "role"])
def test_mean_vs_rest_is_mann_whitney_on_the_answers(survey, raw, breakdown):
    codes = survey.group_codes[breakdown]
    for i, item in enumerate(raw.items):
        score = _scores(survey, i)
        for g, group in enumerate(item.by[breakdown].groups):
            x = score[(codes == g) & ~np.isnan(score)]
            y = score[(codes != g) & ~np.isnan(score)]  # not stated (-1) are in the rest
            ref = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)
            m = group.mean_vs_rest
            assert m.test == "mann-whitney"
            assert m.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
            assert m.rest_mean == pytest.approx(y.mean(), rel=1e-12)
            assert m.difference == pytest.approx(x.mean() - y.mean(), rel=1e-9, abs=1e-12)
            assert group.figures.mean == pytest.approx(x.mean(), rel=1e-12)


def test_adjusted_over_every_item_and_group_of_the_breakdown(raw):
    p = [g.mean_vs_rest.p_value for it in raw.items for g in it.by["sector"].groups]
    adj = [g.mean_vs_rest.p_adjusted for it in raw.items for g in it.by["sector"].groups]
    assert adj == pytest.approx(multipletests(p, method="holm")[1], rel=1e-10)


def test_the_planted_housing_gap_is_found_on_mean_scores_too(raw):
    """generate.py plants housing staff lower on job_relevant: its mean score is lower
    than the rest's, significantly after correction."""
    housing = next(g for g in raw.item("job_relevant").by["sector"].groups
                   if g.group == "Housing")
    assert housing.mean_vs_rest.difference < -0.5
    assert housing.mean_vs_rest.p_adjusted < 0.001


def test_suppressed_groups_have_none_and_the_family_is_the_shown_tests(survey, raw):
    """The small sector x role cell hides groups of neither breakdown here, so hide one
    with a high threshold: a hidden group carries no comparison (nor in results.json) and
    the shown ones are re-adjusted over the shown tests only."""
    out = suppress(raw, min_group=100)
    shown_p, shown_adj = [], []
    hidden = 0
    for item in out.items:
        for g in item.by["role"].groups:
            if g.suppressed:
                hidden += 1
                assert g.mean_vs_rest is None
                continue
            shown_p.append(g.mean_vs_rest.p_value)
            shown_adj.append(g.mean_vs_rest.p_adjusted)
    assert hidden and shown_p
    assert shown_adj == pytest.approx(multipletests(shown_p, method="holm")[1], rel=1e-10)
    blob = out.to_dict()
    for item in blob["items"]:
        for g in item["by"]["role"]["groups"]:
            assert ("mean_vs_rest" in g) == (not g["suppressed"])
