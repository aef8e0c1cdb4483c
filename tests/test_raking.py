"""Raking a survey to headcounts, and reading the headcount file."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import REFERENCE
from surveykit import InputError, Survey, analyse
from surveykit.analysis.raking import rake_survey
from surveykit.codebook import parse_codebook
from surveykit.ingest.population import read_population

R = json.loads((REFERENCE / "expected.json").read_text())["rake"]
CODEBOOK = {"scales": {"five": {"labels": ["1", "2", "3", "4", "5"], "codes": [1, 2, 3, 4, 5]}},
            "items": [{"id": "item", "scale": "five"}],
            "breakdowns": [{"id": "group"}, {"id": "group2"}]}


def _headcounts(tmp_path, extra: str = ""):
    lines = ["breakdown,group,headcount"]
    for name in ("group", "group2"):
        pop = R[f"population_{name}"]
        lines += [f"{name},{lev},{tot}" for lev, tot in zip(pop["level"], pop["total"])]
    path = tmp_path / "headcounts.csv"
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


@pytest.fixture
def survey():
    frame = pd.read_csv(REFERENCE / "data" / "weighted.csv")
    return Survey.from_frame(frame, parse_codebook(CODEBOOK))


def test_raking_matches_r_calibrate(survey, tmp_path):
    """R: ``calibrate(svydesign(ids = ~1, weights = ~one, data = d), ~group + group2,
    population = ..., calfun = "raking")`` (equal to ``rake()`` run to convergence)."""
    weighted, report = rake_survey(survey, read_population(_headcounts(tmp_path)), cap=None)
    frame = survey.responses
    for cell in R["cells"]:
        mask = ((frame["group"] == cell["group"]) & (frame["group2"] == cell["group2"])).to_numpy()
        assert weighted.weights[mask] == pytest.approx(cell["weight_calibrate_raking"], rel=1e-9)
    assert report.converged and report.iterations > 0
    assert report.sum_weights == pytest.approx(1000)
    assert report.n_eff == pytest.approx(weighted.weights.sum() ** 2 / (weighted.weights ** 2).sum())


def test_raked_survey_analyses_design_based(survey, tmp_path):
    weighted, report = rake_survey(survey, read_population(_headcounts(tmp_path)), cap=None)
    results = analyse(weighted, population=1000, weighting=report.__dict__)
    groups = {g.group: g.figures for g in results.item("item").by["group"].groups}
    # weighted totals by group equal the headcounts among those who answered the item
    assert sum(g.weighted_n for g in groups.values()) < 1000
    assert results.settings.weighted and results.settings.population == 1000
    assert results.item("item").by["group"].test.name == "rao-scott"


def test_caps_bound_the_weights(survey, tmp_path):
    pop = read_population(_headcounts(tmp_path))
    weighted, report = rake_survey(survey, pop, cap=(0.9, 1.1))
    mean = 1000 / survey.n
    assert weighted.weights.min() >= 0.9 * mean - 1e-9
    assert weighted.weights.max() <= 1.1 * mean + 1e-9
    assert report.n_capped > 0


def test_not_stated_respondents_keep_the_average_weight(tmp_path):
    frame = pd.read_csv(REFERENCE / "data" / "weighted.csv")
    frame.loc[:4, "group"] = None
    survey = Survey.from_frame(frame, parse_codebook(CODEBOOK))
    weighted, _ = rake_survey(survey, read_population(_headcounts(tmp_path)), cap=None)
    assert weighted.weights[:5] == pytest.approx(1000 / 300)
    assert weighted.weights.sum() == pytest.approx(1000)


@pytest.mark.parametrize("extra,needle", [
    # totals still agree (1010 both ways), but group Q has nobody in the survey
    ("group,Q,10\ngroup2,Z2,10\n", "group 'Q' of group has no respondents"),
    ("site,Main,995\nsite,Annexe,5\n", "breakdown 'site' is not in the survey"),
])
def test_headcounts_that_do_not_fit_the_survey(survey, tmp_path, extra, needle):
    population = read_population(_headcounts(tmp_path, extra))
    with pytest.raises(InputError) as err:
        rake_survey(survey, population)
    assert needle in err.value.one_line()
    assert "headcounts.csv, row" in err.value.one_line()


@pytest.mark.parametrize("text,needle", [
    ("breakdown,group\nsector,A\n", "needs columns"),
    ("breakdown,group,headcount\nsector,A,lots\n", "row 2, column 'headcount'"),
    ("breakdown,group,headcount\nsector,A,10\nsector,a ,5\n", "listed twice"),
    ("breakdown,group,headcount\nsector,A,10\nrole,X,11\n", "add up to"),
])
def test_bad_headcount_files(tmp_path, text, needle):
    path = tmp_path / "h.csv"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        read_population(path)
    assert needle in err.value.one_line() and "h.csv" in err.value.one_line()


def test_pooled_groups_get_weights_that_do_not_reveal_their_split(survey, tmp_path):
    """Groups C and D raked as one cell (250 + 200 staff): C and D respondents with the same
    group2 get the same weight, so moving respondents between C and D changes no weight."""
    population = read_population(_headcounts(tmp_path))
    pooled, report = rake_survey(survey, population, pool={"group": ["C", "D"]}, cap=None)
    assert report.converged
    w, g, g2 = pooled.weights, survey.group_codes["group"], survey.group_codes["group2"]
    assert np.bincount(g, weights=w)[:2] == pytest.approx([300, 250], rel=1e-9)
    assert w[g >= 2].sum() == pytest.approx(450, rel=1e-9)
    assert np.bincount(g2, weights=w) == pytest.approx([400, 350, 250], rel=1e-9)
    for level in range(3):
        cell = w[(g >= 2) & (g2 == level)]
        assert cell == pytest.approx(np.full(len(cell), cell[0]), rel=1e-12)
    # another split of the same respondents between C and D: the same weights
    frame = survey.responses.copy()
    moved = frame.index[(frame["group"] == "D")][:5]
    frame.loc[moved, "group"] = "C"
    other = Survey.from_frame(frame, survey.codebook)
    again, _ = rake_survey(other, population, pool={"group": ["C", "D"]}, cap=None)
    assert again.weights == pytest.approx(w, rel=1e-12)
    # raked separately, they differ (each hidden group would get N_g / n_g)
    separate, _ = rake_survey(other, population, cap=None)
    assert not np.allclose(separate.weights, w)


def test_hidden_groups_are_those_suppression_hides(survey):
    from surveykit import suppress
    from surveykit.analysis.raking import hidden_groups

    counts = {b.id: {g.group: g.n for g in b.groups} for b in analyse(survey).breakdowns}
    hidden = hidden_groups(suppress(analyse(survey), min_group=60))
    assert hidden and set(hidden) <= {"group", "group2"}
    for bid, groups in hidden.items():
        assert any(counts[bid][g] < 60 for g in groups)
    assert hidden_groups(suppress(analyse(survey), min_group=1)) == {}
