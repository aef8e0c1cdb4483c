"""results.json (``SurveyResults.to_dict()``) of a raked, finite-population analysis of the
example: every figure issue 4 adds is there, and the issue-2 contract fields keep their
names and meaning."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pytest

from conftest import EXAMPLE
from surveykit import analyse, read_survey, suppress
from surveykit.analysis.raking import rake_survey
from surveykit.ingest.population import read_population

CONTRACT_OVERALL = {"n", "pct_positive", "pct_neutral", "pct_negative", "mean"}
CONTRACT_GROUP = {"group", "suppressed", "n", "pct_positive", "pct_neutral", "pct_negative"}
CONTRACT_TEST = {"name", "statistic", "df", "p_value", "p_adjusted", "effect_size"}


@pytest.fixture(scope="module")
def raked():
    survey = read_survey(EXAMPLE / "survey.xlsx", codebook=EXAMPLE / "codebook.yaml")
    headcounts = read_population(EXAMPLE / "headcounts.csv")
    weighted, report = rake_survey(survey, headcounts)
    results = analyse(weighted, population=headcounts.total(), weighting=asdict(report))
    payload = suppress(results, min_group=10).to_dict()
    json.dumps(payload, allow_nan=False)  # strict JSON: no NaN or inf anywhere
    return weighted, headcounts, payload, results


def test_contract_fields_keep_their_names(raked):
    payload = raked[2]
    assert payload["breakdowns"] == ["sector", "role"]
    for item in payload["items"]:
        assert CONTRACT_OVERALL <= set(item["overall"])
        for block in item["by"].values():
            assert CONTRACT_TEST <= set(block["test"])
            assert isinstance(block["test"]["df"], int)
            for g in block["groups"]:
                assert CONTRACT_GROUP <= set(g) if not g["suppressed"] else (
                    not {"n", "pct_positive"} & set(g))


def test_bases_effective_n_and_intervals(raked):
    survey, _, payload, _ = raked
    overall = payload["items"][0]["overall"]
    codes = survey.item_codes[:, 0]
    answered = (codes >= 0) & (codes < survey.codebook.items[0].effective_scale.k)
    w = survey.weights[answered]
    assert overall["n"] == int(answered.sum())                      # unweighted base
    assert overall["weighted_n"] == pytest.approx(w.sum())           # weighted base
    assert overall["n_eff"] == pytest.approx(w.sum() ** 2 / (w * w).sum())  # Kish
    assert overall["n_eff"] < overall["n"]
    lo, hi = overall["pct_positive_ci"]
    assert lo < overall["pct_positive"] < hi
    # every percentage has an interval: neutral, negative, each answer, each net
    labels = list(overall["counts"])
    for key in ("pct_neutral", "pct_negative"):
        lo, hi = overall[f"{key}_ci"]
        assert lo < overall[key] < hi
    assert list(overall["pct_ci"]) == labels
    for lab in labels:
        lo, hi = overall["pct_ci"][lab]
        assert lo < 100 * overall["counts"][lab] / overall["weighted_n"] < hi
    assert set(overall["nets_ci"]) == set(overall["nets"])
    for option in payload["multi"][0]["overall"]["options"]:
        lo, hi = option["pct_respondents_ci"]
        assert lo < option["pct_respondents"] < hi


def test_tests_letters_and_adjusted_p(raked):
    payload = raked[2]
    block = payload["items"][0]["by"]["sector"]
    assert block["test"]["name"] == "rao-scott"
    assert block["test"]["p_method"] == "F (second-order)"
    assert {"ndf", "ddf"} <= set(block["test"])
    assert block["mean_test"]["p_adjusted"] >= block["mean_test"]["p_value"]
    shown = [g for g in block["groups"] if not g["suppressed"]]
    assert all({"letter", "higher_than", "vs_rest", "mean_vs_rest"} <= set(g) for g in shown)
    assert any(g["higher_than"] for g in shown)  # the planted sector effect
    for g in shown:
        assert g["vs_rest"]["p_adjusted"] >= g["vs_rest"]["p_value"]
        assert g["mean_vs_rest"]["test"] == "design-based t"
        assert g["mean_vs_rest"]["p_adjusted"] >= g["mean_vs_rest"]["p_value"]


def test_suppression_reasons_are_given(raked):
    """The example's smallest roles hold fewer than 100 respondents."""
    payload = suppress(raked[3], min_group=100).to_dict()
    hidden = [g for item in payload["items"] for b in item["by"].values()
              for g in b["groups"] if g["suppressed"]]
    assert hidden and all(isinstance(g["suppression"], str) and g["suppression"]
                          for g in hidden)


def test_weighting_report_fpc_and_methods_recorded(raked):
    survey, headcounts, payload, _ = raked
    s = payload["settings"]
    assert s["weighted"] is True and s["ci_method"] == "logit"
    assert s["population"] == headcounts.total()
    rep = s["weighting"]
    assert rep["converged"] is True and rep["iterations"] >= 1
    assert rep["n"] == survey.n
    assert rep["sum_weights"] == pytest.approx(headcounts.total())
    assert rep["min_weight"] == pytest.approx(survey.weights.min())
    assert rep["efficiency"] == pytest.approx(rep["n_eff"] / rep["n"])
    assert s["correction"] == "holm"


def test_indices_and_tick_all_questions(raked):
    payload = raked[2]
    index = payload["indices"][0]
    assert {"score", "se", "n"} <= set(index["overall"])
    rel = index["reliability"]
    assert 0 < rel["cronbach_alpha"] < 1
    assert set(rel["alpha_if_deleted"]) == set(index["items"]) == set(
        rel["item_rest_correlation"])
    multi = payload["multi"][0]
    tests = multi["by"]["sector"]["tests"]
    assert len(tests) == len(multi["options"])
    assert all(t["p_adjusted"] >= t["p_value"] for t in tests)
    pct = [o["pct_responses"] for o in multi["overall"]["options"]]
    assert sum(pct) == pytest.approx(100.0)
    assert np.all(np.array([o["pct_respondents"] for o in multi["overall"]["options"]])
                  >= np.array(pct) - 1e-9)
