"""What ``analyse()`` reports, end to end, against values R computed independently.

Data: ``tests/reference/data/weighted.csv`` (300 rows, item 1-5 with 15 missing, groups
A-D, weights ``w``, N = 1000). Expected values: ``make_reference_extra.R`` (keys
``letters``, ``vs_rest``, ``mean_tests``, ``ciprop_fpc``, ``svychisq``, ``rake_capped``,
``alpha_psych``; see README_extra.md). The letters are derived in R from
``pairwise.prop.test`` / ``svycontrast`` p-values by the rule the paper states, not by
surveykit's code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from stats_helpers import DATA, reference, reference_extra, weighted_data

from conftest import REFERENCE
from surveykit import Survey, analyse
from surveykit.analysis.indices import cronbach_alpha
from surveykit.analysis.letters import column_letters
from surveykit.analysis.weights import rake
from surveykit.codebook import parse_codebook

RX = reference_extra()
CODEBOOK = {
    "scales": {"five": {"labels": ["1", "2", "3", "4", "5"], "codes": [1, 2, 3, 4, 5],
                        "positive": ["4", "5"], "negative": ["1", "2"], "neutral": ["3"]}},
    "items": [{"id": "item", "scale": "five"}],
    "breakdowns": [{"id": "group"}, {"id": "group2"}],
}


@pytest.fixture(scope="module")
def frame():
    return pd.read_csv(REFERENCE / "data" / "weighted.csv")


def _by_group(frame, weighted, **kw):
    raw = dict(CODEBOOK, **({"weight": "w"} if weighted else {}))
    results = analyse(Survey.from_frame(frame, parse_codebook(raw)), **kw)
    return results.item("item").by["group"]


def _letters(breakdown):
    return ["".join(g.higher_than) for g in breakdown.groups]


@pytest.mark.parametrize("weighted,population,key", [(False, None, "unweighted"),
                                                     (True, None, "weighted"),
                                                     (True, 1000, "weighted_fpc")])
def test_column_letters_match_an_independent_r_derivation(frame, weighted, population, key):
    """R: letters from Holm-adjusted ``pairwise.prop.test(correct = FALSE)`` (unweighted) or
    ``svycontrast`` of ``svyby(~pos, ~group, covmat = TRUE)`` domain means (weighted, with
    and without ``fpc = ~N``), at 0.01 (uppercase) and 0.05 (lowercase)."""
    ref = RX["letters"][key]
    b = _by_group(frame, weighted, population=population)
    assert [g.letter for g in b.groups] == ["A", "B", "C", "D"]
    assert _letters(b) == ref["letters"]
    got = [g.figures.pct_positive for g in b.groups]
    assert got == pytest.approx([100 * e for e in ref["estimate"]], rel=1e-10)


def test_letters_lowercase_needs_a_p_between_the_levels(frame):
    """The unweighted reference has D vs B at Holm p = 0.0102: lowercase 'b' for D."""
    ref = RX["letters"]["unweighted"]
    assert 0.01 < ref["p_holm"][3][1] < 0.05 and ref["letters"][3] == "AbC"
    # with the strict level moved above that p, the letter becomes uppercase
    b = _by_group(frame, False, letters=(0.02, 0.05))
    assert _letters(b)[3] == "ABC"


@pytest.mark.parametrize("item", ["item1", "item2"])
def test_letters_breakdown_family_matches_r(item):
    """R: ``p.adjust(all 20 pairwise.prop.test p-values of two items, "holm")``."""
    ref = RX["letters"]["breakdown_family"]
    out = column_letters(np.array(ref["x"]), np.array(ref["n"]), family="breakdown")
    i = int(item[-1]) - 1
    expected = np.array(ref[item]["p_holm"], dtype=float)
    off = ~np.eye(5, dtype=bool)
    assert out.p_adjusted[i][off] == pytest.approx(expected[off], rel=1e-9)
    assert list(out.letters[i]) == ref[item]["letters"]


def test_group_vs_rest_unweighted_matches_prop_test(frame):
    """R: ``prop.test(c(x_g, x_rest), c(n_g, n_rest), correct = FALSE)``, Holm over groups."""
    b = _by_group(frame, False)
    for g, ref in zip(b.groups, RX["vs_rest"]["unweighted"]):
        assert g.group == ref["group"]
        assert g.vs_rest.test == "two-proportion z"
        assert g.vs_rest.p_value == pytest.approx(ref["p_value"], rel=1e-9)
        assert g.vs_rest.p_adjusted == pytest.approx(ref["p_holm"], rel=1e-9)


@pytest.mark.parametrize("population,key", [(None, "weighted"), (1000, "weighted_fpc")])
def test_group_vs_rest_weighted_matches_svycontrast(frame, population, key):
    """R: ``svycontrast(svyby(~pos, ~in_g, subset(des, !is.na(pos)), svymean,
    covmat = TRUE), c(-1, 1))``, z = estimate / SE, normal p, Holm over the four groups."""
    b = _by_group(frame, True, population=population)
    for g, ref in zip(b.groups, RX["vs_rest"][key]):
        assert g.vs_rest.test == "design-based z"
        assert g.vs_rest.difference == pytest.approx(100 * ref["difference"], rel=1e-10)
        assert g.vs_rest.p_value == pytest.approx(ref["p_value"], rel=1e-8)
        assert g.vs_rest.p_adjusted == pytest.approx(ref["p_holm"], rel=1e-8)


def test_mean_score_tests_match_r(frame):
    """R: ``kruskal.test(item ~ group)``; ``regTermTest(svyglm(item ~ group, des), ~group)``
    and the same with ``fpc = ~N``."""
    kw = _by_group(frame, False).mean_test
    ref = RX["mean_tests"]["kruskal"]
    assert kw.name == "kruskal-wallis" and kw.df == ref["df"]
    assert kw.statistic == pytest.approx(ref["statistic"], rel=1e-10)
    assert kw.p_value == pytest.approx(ref["p_value"], rel=1e-8)
    for population, ref in ((None, RX["weighted_means"]["wald"]),
                            (1000, RX["mean_tests"]["wald_fpc"])):
        wald = _by_group(frame, True, population=population).mean_test
        assert wald.df == ref["df"] and wald.ddf == ref["ddf"]
        assert wald.to_dict()["ddf"] == ref["ddf"]
        assert wald.statistic == pytest.approx(ref["statistic"], rel=1e-8)
        assert wald.p_value == pytest.approx(ref["p_value"], rel=1e-6)


def test_finite_population_correction_in_the_results(frame):
    """R: ``svyciprop(~I(item %in% 4:5), subset(des_fpc, !is.na(item)), method = "logit")``
    and ``svychisq(~item + group, des_fpc)``, ``des_fpc`` with ``fpc = ~N`` (N = 1000)."""
    raw = dict(CODEBOOK, weight="w")
    results = analyse(Survey.from_frame(frame, parse_codebook(raw)), population=1000)
    fig = results.item("item").overall
    ref = next(r for r in RX["ciprop_fpc"] if r["method"] == "logit")
    assert fig.ci_low == pytest.approx(100 * ref["lower"], rel=1e-8)
    assert fig.ci_high == pytest.approx(100 * ref["upper"], rel=1e-8)
    test = results.item("item").by["group"].test
    rs = RX["svychisq"]["item_group_fpc"]
    assert test.statistic == pytest.approx(rs["statistic"], rel=1e-8)
    assert test.ndf == pytest.approx(rs["ndf"], rel=1e-8)
    assert test.p_value == pytest.approx(rs["p_value"], rel=1e-6)
    assert results.settings.population == 1000


def test_capped_raking_matches_bounded_calibrate():
    """R: ``calibrate(svydesign(ids = ~1, weights = ~start), ~group + group2, population,
    calfun = "raking", bounds = c(0.8, 1.7))`` with ``start = 1000 / 300``; surveykit's cap
    is in multiples of that average weight."""
    ref = RX["rake_capped"]
    d = weighted_data()
    targets = [np.array([300.0, 250, 250, 200]), np.array([400.0, 350, 250])]
    out = rake([d["group"], d["group2"]], targets, cap=tuple(ref["cap"]))
    np.testing.assert_allclose(out.weights, ref["weights"], rtol=1e-8)
    assert out.report.n_capped == ref["n_capped"] > 0
    assert out.report.converged
    np.testing.assert_allclose(np.bincount(d["group"], weights=out.weights),
                               ref["margins"]["group"], rtol=1e-9)


def test_cronbach_alpha_matches_psych():
    """R: ``psych::alpha(alpha_items.csv)``: ``total$raw_alpha``, ``total$std.alpha``,
    ``alpha.drop$raw_alpha`` and ``item.stats$r.drop`` (an implementation independent of
    the formula in make_reference.R)."""
    ref = RX["alpha_psych"]
    out = cronbach_alpha(pd.read_csv(DATA / "alpha_items.csv").to_numpy(dtype=float))
    assert out.alpha == pytest.approx(ref["raw_alpha"], rel=1e-10)
    assert out.standardized_alpha == pytest.approx(ref["std_alpha"], rel=1e-10)
    assert out.alpha_if_deleted == pytest.approx(ref["alpha_if_deleted"], rel=1e-10)
    assert out.item_rest_cor == pytest.approx(ref["r_drop"], rel=1e-10)


@pytest.mark.parametrize("weighted", [True, False])
def test_every_answer_share_has_its_interval(frame, weighted):
    """R: ``svyciprop(~I(item == c), subset(subset(des, !is.na(item)), group == g), method =
    "logit")`` (weighted) and ``prop.test(x, n, correct = FALSE)$conf.int`` (Wilson) for each
    answer c of each group g; the neutral share is answer 3, nets match the shares they sum."""
    groups = {g.group: g.figures for g in _by_group(frame, weighted).groups}
    for ref in RX["category_ci"]["cells"]:
        fig = groups[ref["group"]]
        lo, hi = fig.counts_ci[ref["category"] - 1]
        want = (ref["lower"], ref["upper"]) if weighted else (ref["wilson_lower"],
                                                              ref["wilson_upper"])
        # R's logit interval comes from an iteratively fitted svyglm: for the smallest
        # shares (e.g. 0.24%) it agrees to about 4e-8 only
        assert (lo, hi) == pytest.approx((100 * want[0], 100 * want[1]), rel=1e-7)
        if ref["category"] == 3:
            assert fig.neutral_ci == pytest.approx((lo, hi), rel=1e-12)
    for fig in groups.values():
        nets = {name: (lo, hi) for name, lo, hi in fig.nets_ci}
        assert nets["top2"] == pytest.approx((fig.ci_low, fig.ci_high), rel=1e-12)
        assert nets["bottom2"] == pytest.approx(fig.negative_ci, rel=1e-12)


def test_a_weighted_share_of_zero_gets_a_clopper_pearson_interval(frame):
    """No one in group D answers 5 (their 5s recoded to 4): the logit interval is undefined
    (R's svyciprop gives NaN); surveykit gives Korn-Graubard's, which at 0% is
    Clopper-Pearson at Kish's effective n: [0, qbeta(0.975, 1, n_eff)]."""
    from scipy import stats

    z = frame.assign(item=np.where((frame["group"] == "D") & (frame["item"] == 5), 4,
                                   frame["item"]))
    d = _by_group(z, True).groups[3]
    assert d.group == "D" and d.figures.counts[4] == 0
    answered = z[(z["group"] == "D") & z["item"].notna()]
    n_eff = answered["w"].sum() ** 2 / (answered["w"] ** 2).sum()
    lo, hi = d.figures.counts_ci[4]
    assert lo == 0 and hi == pytest.approx(100 * stats.beta.ppf(0.975, 1, n_eff), rel=1e-10)


def test_tick_all_option_intervals_match_svyciprop(frame):
    """A tick-all question whose option "Positive" is ticked exactly when item is 4 or 5:
    its % of respondents by group, with weights, is ``svyciprop(~I(item %in% 4:5),
    subset(dsub, group == g), method = "logit")`` (expected.json ``weighted.ciprop``)."""
    ref = {r["level"]: r for r in reference()["weighted"]["ciprop"]["by_group"]}
    tick = np.where(frame["item"].isna(), "", np.where(frame["item"] >= 4, "Positive",
                                                       "Not positive"))
    raw = dict(CODEBOOK, weight="w", multi=[{"id": "m", "column": "m", "separator": ";",
                                             "options": ["Positive", "Not positive"]}])
    results = analyse(Survey.from_frame(frame.assign(m=tick), parse_codebook(raw)))
    for g in results.multi[0].by["group"]:
        lo, hi = g.figures.pct_respondents_ci[0]
        want = ref[g.group]
        assert g.figures.pct_respondents[0] == pytest.approx(100 * want["estimate"], rel=1e-10)
        assert (lo, hi) == pytest.approx((100 * want["logit"]["lower"],
                                          100 * want["logit"]["upper"]), rel=1e-8)
