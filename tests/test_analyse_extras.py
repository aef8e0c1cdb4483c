"""Integrated analysis beyond the omnibus test: intervals, exact p, letters, indices,
tick-all tests, and their suppression."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import EXAMPLE, REFERENCE
from surveykit import Survey, analyse, suppress
from surveykit.codebook import parse_codebook

R = json.loads((REFERENCE / "expected.json").read_text())
TWO_POINT = {"scales": {"yn": {"labels": ["No", "Yes"], "positive": ["Yes"],
                               "negative": ["No"]}}}


def _survey_from_table(table, categories, groups):
    """One respondent per count in ``table`` (groups x categories)."""
    rows = [(g, c) for gi, g in enumerate(groups) for ci, c in enumerate(categories)
            for _ in range(int(table[gi][ci]))]
    frame = pd.DataFrame(rows, columns=["team", "answer"])
    cb = parse_codebook({"scales": {"s": {"labels": list(categories)}},
                         "items": [{"id": "q", "column": "answer", "scale": "s"}],
                         "breakdowns": [{"id": "team", "groups": list(groups)}]})
    return Survey.from_frame(frame, cb)


def test_wilson_interval_in_figures_matches_r():
    """R: ``prop.test(1, 10, correct = FALSE)$conf.int``."""
    ref = R["prop_ci"]["one_sample_wilson"][1]
    frame = pd.DataFrame({"q": ["Yes"] + ["No"] * 9})
    cb = parse_codebook({**TWO_POINT, "items": [{"id": "q", "scale": "yn"}]})
    fig = analyse(Survey.from_frame(frame, cb)).item("q").overall
    assert fig.pct_positive == pytest.approx(10.0)
    assert fig.ci_low == pytest.approx(100 * ref["lower"], rel=1e-9)
    assert fig.ci_high == pytest.approx(100 * ref["upper"], rel=1e-9)


def test_sparse_table_gets_fishers_exact_p():
    """R: ``fisher.test(matrix(c(3, 0, 1, 5, 4, 2), 2))$p.value`` for a table with
    expected counts under 5; the output says the test was exact."""
    ref = R["fisher"]
    survey = _survey_from_table(ref["table"], ["c1", "c2", "c3"], ["G1", "G2"])
    test = analyse(survey).item("q").by["team"].test
    assert test.name == "fisher"
    assert "fisher" in test.p_method
    assert test.p_value == pytest.approx(ref["fisher_p_value"], rel=1e-9)
    # the statistic is still Pearson's, for reference
    assert test.statistic == pytest.approx(ref["asymptotic_chisq"]["statistic"], rel=1e-10)


def test_monte_carlo_p_says_how_many_tables_it_drew():
    """A 6 x 5 table far too large to enumerate and sparse (p about 0.32): simulated,
    stopped after the first 1,000 tables as its p is clearly above 0.2, and results.json
    says so; with alpha at 0.5 it could matter, so all 20,000 are drawn."""
    table = [[7, 14, 44, 140, 199], [1, 8, 25, 106, 111], [1, 7, 14, 59, 92],
             [1, 10, 19, 48, 60], [0, 4, 18, 30, 51], [0, 5, 9, 28, 39]]
    survey = _survey_from_table(table, [f"c{j}" for j in range(5)],
                                [f"G{i}" for i in range(6)])
    test = analyse(survey).item("q").by["team"].test
    assert (test.name, test.p_method, test.resamples) == ("fisher", "fisher monte carlo", 1000)
    assert test.to_dict()["resamples"] == 1000 and test.p_value > 0.2
    wide = analyse(survey, alpha=0.5).item("q").by["team"].test
    assert wide.resamples == 20_000 and abs(wide.p_value - test.p_value) < 0.06
    # an asymptotic test carries no resamples key, as before
    plain = analyse(_survey_from_table([[30, 40], [35, 25]], ["c1", "c2"], ["G1", "G2"]))
    assert "resamples" not in plain.item("q").by["team"].test.to_dict()


def test_column_letters_on_the_example(example_results):
    _, results = example_results
    groups = {g.group: g for g in results.item("job_relevant").by["sector"].groups}
    assert [g.letter for g in groups.values()] == list("ABCDEF")
    housing, employment = groups["Housing"], groups["Employment"]
    # Employment (89%) beats Housing (29%) at the strict level: uppercase letter
    assert housing.letter in employment.higher_than
    assert not any(c.upper() == employment.letter for c in housing.higher_than)
    for g in groups.values():  # a group never beats itself
        assert g.letter.upper() not in {c.upper() for c in g.higher_than}


def test_mean_test_reported(example_results):
    _, results = example_results
    block = results.item("job_relevant").by["sector"]
    assert block.mean_test.name == "kruskal-wallis"
    assert block.mean_test.p_adjusted < 1e-6
    assert block.mean_test.p_adjusted >= block.mean_test.p_value


def test_index_score_and_alpha_on_the_example(example_results):
    survey, results = example_results
    index = next(x for x in results.indices if x.id == "joint_working_index")
    cols = [survey.codebook.items[[i.id for i in survey.codebook.items].index(m)].column
            for m in index.items]
    order = {lab: s for s, lab in enumerate(["Strongly disagree", "Disagree",
                                             "Neither agree nor disagree", "Agree",
                                             "Strongly agree"])}
    scored = survey.responses[cols].apply(lambda c: c.map(order)) * 25  # 0/25/50/75/100
    complete = scored.dropna()  # min_share 1.0: every item answered
    assert index.n == len(complete)
    assert index.score == pytest.approx(complete.mean(axis=1).mean(), rel=1e-12)
    k = len(cols)
    alpha = k / (k - 1) * (1 - complete.var(ddof=1).sum() / complete.sum(axis=1).var(ddof=1))
    assert index.alpha == pytest.approx(alpha, rel=1e-10)
    senior = next(g for g in index.by["role"] if g.group == "Senior manager")
    others = next(g for g in index.by["role"] if g.group == "Frontline practitioner")
    assert senior.mean > others.mean  # planted: senior managers more positive


def test_tick_all_option_tests_find_the_planted_difference(example_results):
    _, results = example_results
    barriers = results.multi[0]
    by_role = {t.option: t for t in barriers.tests["role"]}
    by_sector = {t.option: t for t in barriers.tests["sector"]}
    assert by_role["Not knowing who to contact"].p_adjusted < 1e-6
    assert by_sector["Not knowing who to contact"].p_adjusted > 0.05


def test_suppressed_groups_leave_no_letters_behind():
    rng = np.random.default_rng(0)
    teams = ["Big"] * 60 + ["Tiny"] * 4 + ["Mid"] * 30 + ["Small"] * 12
    answers = (["Yes"] * 55 + ["No"] * 5 + ["No"] * 4 + ["Yes"] * 10 + ["No"] * 20
               + list(rng.choice(["Yes", "No"], 12)))
    cb = parse_codebook({**TWO_POINT, "items": [{"id": "q", "column": "a", "scale": "yn"}],
                         "breakdowns": [{"id": "team", "groups": ["Big", "Tiny", "Mid",
                                                                   "Small"]}]})
    raw = analyse(Survey.from_frame(pd.DataFrame({"team": teams, "a": answers}), cb))
    big_raw = raw.item("q").by["team"].groups[0]
    assert "b" in {c.lower() for c in big_raw.higher_than}  # Big beats Tiny before suppression
    shown = suppress(raw, min_group=10).item("q").by["team"].groups
    hidden = {g.letter for g in shown if g.suppressed}
    assert "B" in hidden
    for g in shown:
        if not g.suppressed:
            assert not {c.upper() for c in g.higher_than} & hidden


def test_index_groups_are_suppressed(example_results):
    _, results = example_results
    for index in results.indices:
        for groups in index.by.values():
            for g in groups:
                assert g.suppressed == (g.mean is None)


def test_nets_are_configurable():
    """Top-3 and the midpoint of a 5-point scale, counted by hand from the table."""
    table = [[1, 2, 3, 4, 5], [5, 0, 2, 2, 1]]
    survey = _survey_from_table(table, ["1", "2", "3", "4", "5"], ["G1", "G2"])
    results = analyse(survey, nets={"top3": "top3", "middle": "mid", "ends": [0, -1]})
    g1, g2 = results.item("q").by["team"].groups
    assert dict(g1.figures.nets) == pytest.approx({"top3": 100 * 12 / 15,
                                                   "middle": 100 * 3 / 15,
                                                   "ends": 100 * 6 / 15})
    assert dict(g2.figures.nets)["top3"] == pytest.approx(50.0)
    assert dict(results.item("q").overall.nets)["ends"] == pytest.approx(100 * 12 / 25)
    default = analyse(survey).item("q").overall.nets
    assert [name for name, _ in default] == ["top2", "bottom2"]


def test_a_net_that_does_not_fit_the_scale_is_a_usage_error():
    from surveykit.errors import UsageError

    survey = _survey_from_table([[1, 2], [2, 1]], ["No", "Yes"], ["G1", "G2"])
    with pytest.raises(UsageError, match="top3"):
        analyse(survey, nets={"top3": "top3"})


def test_index_with_fewer_than_two_complete_answer_sets_has_no_alpha():
    """Found by the property tests: analyse() raised ValueError from cronbach_alpha."""
    frame = pd.DataFrame({"a": ["Yes", "No", "", "Yes"], "b": ["No", "", "Yes", ""],
                          "team": ["X", "X", "Y", "Y"]})
    cb = parse_codebook({**TWO_POINT, "items": [{"id": "a", "scale": "yn"},
                                                {"id": "b", "scale": "yn"}],
                         "breakdowns": [{"id": "team"}],
                         "indices": [{"id": "ab", "label": "AB", "items": ["a", "b"],
                                      "min_share": 0.5}]})
    index = analyse(Survey.from_frame(frame, cb)).indices[0]
    assert index.alpha_n == 1 and np.isnan(index.alpha)
    assert np.isnan(index.alpha_if_deleted).all() and np.isnan(index.item_rest).all()
    assert index.n == 4 and index.score == pytest.approx((50 + 0 + 100 + 100) / 4)
