"""Wave comparison on waves of the example survey built with known changes."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest
from typer.testing import CliRunner

from conftest import EXAMPLE, REFERENCE
from surveykit.analysis.waves import OVERALL, Wave, WaveItem, compare_waves
from surveykit.cli import app
from surveykit.compare import compare_files, load_wave

POSITIVE = ("Agree", "Strongly agree")
IMPROVED, DECLINED = "job_relevant", "had_training"


def _generator():
    spec = importlib.util.spec_from_file_location("glasgow_generate", EXAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _wave(gen, seed: int, shifts: dict[str, float], path):
    original = gen.ITEMS
    try:
        gen.ITEMS = [(i, text, theme, base + shifts.get(i, 0.0), dk)
                     for i, text, theme, base, dk in original]
        pd.DataFrame(gen.generate(seed)).to_csv(path, index=False)
    finally:
        gen.ITEMS = original
    return path


@pytest.fixture(scope="module")
def waves(tmp_path_factory):
    gen = _generator()
    folder = tmp_path_factory.mktemp("waves")
    return [
        _wave(gen, 11, {}, folder / "wave2024.csv"),
        _wave(gen, 12, {IMPROVED: 1.0, DECLINED: -1.0}, folder / "wave2025.csv"),
        _wave(gen, 13, {IMPROVED: 1.6, DECLINED: -1.0}, folder / "wave2026.csv"),
    ]


@pytest.fixture(scope="module")
def comparison(waves):
    return compare_files(waves[:2], codebook=EXAMPLE / "codebook.yaml")


def _overall(comparison, item):
    return next(c for c in comparison.changes if c.item == item and c.breakdown == OVERALL)


def test_real_changes_are_labelled(comparison):
    assert _overall(comparison, IMPROVED).label == "better"
    assert _overall(comparison, DECLINED).label == "worse"


def test_noise_is_mostly_no_significant_change(comparison):
    overall = [c for c in comparison.changes if c.breakdown == OVERALL
               and c.item not in (IMPROVED, DECLINED)]
    assert len(overall) == 18
    flagged = [c for c in overall if c.label != "no significant change"]
    assert len(flagged) <= 1, flagged


def test_corrected_p_values_match_statsmodels(waves, comparison):
    """Reference: statsmodels ``proportions_ztest`` per comparison, then
    ``multipletests(method="holm")`` over the same family. Overall and sector counts are
    made here from the raw files with pandas; the rest of the family (role groups, the
    reverse-scored item) from the reported bases."""
    from surveykit import load_codebook

    frames = [pd.read_csv(w) for w in waves[:2]]
    sectors = [f["Sector"].str.split().str.join(" ").str.lower() for f in frames]
    column = {i.id: i.column for i in load_codebook(EXAMPLE / "codebook.yaml").items
              if not i.reverse}
    valid_answers = ["Strongly disagree", "Disagree", "Neither agree nor disagree", *POSITIVE]
    p, counted = [], 0
    for c in comparison.changes:
        if c.item in column and c.breakdown in (OVERALL, "sector"):
            xs, ns = [], []
            for frame, sector in zip(frames, sectors):
                answers = frame[column[c.item]]
                if c.breakdown == "sector":
                    answers = answers[sector == c.group.lower()]
                valid = answers[answers.isin(valid_answers)]
                xs.append(int(valid.isin(POSITIVE).sum()))
                ns.append(len(valid))
            assert (ns[0], ns[1]) == (c.n_from, c.n_to)
            counted += 1
        else:
            xs = [round(c.pct_from * c.n_from / 100), round(c.pct_to * c.n_to / 100)]
            ns = [c.n_from, c.n_to]
        p.append(proportions_ztest([xs[1], xs[0]], [ns[1], ns[0]])[1])
    assert counted == 19 * 7  # 19 forward-worded items, overall and six sectors
    assert np.array([c.p_value for c in comparison.changes]) == pytest.approx(p, rel=1e-9)
    holm = multipletests(p, method="holm")[1]
    assert np.array([c.p_adjusted for c in comparison.changes]) == pytest.approx(holm, rel=1e-9)


def test_holm_over_waves_matches_r():
    """R: ``p.adjust(sapply(..., function(r) prop.test(c(x2, x1), c(n2, n1),
    correct = FALSE)$p.value), "holm")`` (tests/reference/make_reference.R, wave_change)."""
    ref = json.loads((REFERENCE / "expected.json").read_text())["wave_change"]
    def wave(name, key_x, key_n):
        return Wave(name=name, respondents=0, items={
            r["item"]: WaveItem(id=r["item"], label=r["item"], scale=(),
                                cells={(OVERALL, OVERALL): (r[key_n], 100 * r[key_x] / r[key_n],
                                                           None)})
            for r in ref["items"]})
    out = compare_waves([wave("a", "x1", "n1"), wave("b", "x2", "n2")])
    assert [c.p_value for c in out.changes] == pytest.approx(ref["p_values"], rel=1e-9)
    assert [c.p_adjusted for c in out.changes] == pytest.approx(ref["p_holm"], rel=1e-9)


def test_wording_change_is_flagged_not_compared(waves, comparison):
    from surveykit import analyse, read_survey, suppress

    results = suppress(analyse(read_survey(waves[1], codebook=EXAMPLE / "codebook.yaml")))
    payload = results.to_dict()
    payload["items"][0]["label"] = "Helping people into work is a big part of my job"
    old = load_wave(waves[0], codebook=EXAMPLE / "codebook.yaml")
    out = compare_waves([old, Wave.from_results_dict("new", payload)])
    item = payload["items"][0]["id"]
    assert not [c for c in out.changes if c.item == item]
    assert out.wording_changed and out.wording_changed[0][0] == item
    assert "wording changed" in out.wording_changed[0][2]


def test_items_in_one_wave_only_are_listed(waves):
    from surveykit import analyse, read_survey, suppress

    results = suppress(analyse(read_survey(waves[1], codebook=EXAMPLE / "codebook.yaml")))
    payload = results.to_dict()
    dropped = payload["items"].pop()["id"]
    old = load_wave(waves[0], codebook=EXAMPLE / "codebook.yaml")
    out = compare_waves([old, Wave.from_results_dict("new", payload)])
    assert (dropped, (old.name,)) in out.only_in_some


def test_results_json_wave_equals_data_wave(waves, tmp_path):
    runner = CliRunner()
    for w in waves[:2]:
        res = runner.invoke(app, ["analyse", str(w), "-c", str(EXAMPLE / "codebook.yaml"),
                                  "--out", str(tmp_path / w.stem), "--format", "json"])
        assert res.exit_code == 0, res.output
    from_json = compare_files([tmp_path / w.stem / "results.json" for w in waves[:2]])
    from_data = compare_files(waves[:2], codebook=EXAMPLE / "codebook.yaml")
    assert [c.p_adjusted for c in from_json.changes] == pytest.approx(
        [c.p_adjusted for c in from_data.changes], rel=1e-9)


def test_three_waves_trend_and_cli(waves, tmp_path):
    out = CliRunner().invoke(app, ["compare", *map(str, waves), "-c",
                                   str(EXAMPLE / "codebook.yaml"), "--out", str(tmp_path)])
    assert out.exit_code == 0, out.output
    data = json.loads((tmp_path / "comparison.json").read_text())
    assert data["waves"] == ["2024", "2025", "2026"]  # wave2024.csv ... named by year
    trend = data["trends"][IMPROVED]
    assert len(trend) == 3 and trend[0] < trend[1] < trend[2]
    assert "job_relevant" in out.output and "better" in out.output


def test_compare_needs_two_waves(waves):
    out = CliRunner().invoke(app, ["compare", str(waves[0])])
    assert out.exit_code == 2


def test_weighted_waves_are_tested_on_effective_bases():
    """A weighted wave counts for its Kish effective n, not its head count: the same
    percentages with n = 1,000 but n_eff = 400 must give the p-value of n = 400
    (statsmodels ``proportions_ztest`` on counts p * n_eff, pooled, as prop.test)."""
    def wave(name, pct, n, n_eff):
        return Wave(name=name, respondents=n, items={"q": WaveItem(
            id="q", label="q", scale=(), cells={(OVERALL, OVERALL): (n, pct, n_eff)})})

    plain = compare_waves([wave("a", 50.0, 1000, None), wave("b", 55.0, 1000, None)])
    weighted = compare_waves([wave("a", 50.0, 1000, 400.0), wave("b", 55.0, 1000, 400.0)])
    _, p_plain = proportions_ztest([550, 500], [1000, 1000])
    _, p_eff = proportions_ztest([0.55 * 400, 0.50 * 400], [400, 400])
    assert plain.changes[0].p_value == pytest.approx(p_plain, rel=1e-9)
    assert weighted.changes[0].p_value == pytest.approx(p_eff, rel=1e-9)
    assert weighted.changes[0].weighted and not plain.changes[0].weighted
    assert plain.changes[0].label == "better"  # p = 0.025 with the head count ...
    assert weighted.changes[0].label == "no significant change"  # ... 0.157 with n_eff


def test_weighted_results_json_carries_effective_bases(tmp_path):
    """A wave read back from a weighted run's results.json keeps its effective bases."""
    from surveykit.report import build_report

    report = build_report(EXAMPLE / "survey.xlsx", out=tmp_path, formats=["json"],
                          population=EXAMPLE / "headcounts.csv")
    wave = load_wave(tmp_path / "results.json")
    overall = report.results.items[0].overall
    n, pct, n_eff = wave.items[report.results.items[0].id].cells[(OVERALL, OVERALL)]
    assert (n, pct) == (overall.n, pytest.approx(overall.pct_positive))
    assert n_eff == pytest.approx(overall.n_eff) and n_eff < n


@pytest.mark.parametrize("paths,known,names", [
    (["staff-2025.xlsx", "staff_2026.xlsx"], None, ["2025", "2026"]),
    (["waves/2025/survey.xlsx", "waves/2026/survey.xlsx"], None, ["2025", "2026"]),
    (["spring.csv", "autumn.csv"], None, ["spring", "autumn"]),
    (["north/s.csv", "south/s.csv"], None, ["north", "south"]),
    (["a/s.csv", "a/s.csv"], None, ["wave 1: s", "wave 2: s"]),
    (["survey-2025.xlsx", "survey.xlsx"], [None, "2026"], ["2025", "2026"]),
    (["2019-2020.csv", "new.csv"], None, ["2019-2020", "new"]),  # two years: not one name
])
def test_wave_names(paths, known, names):
    from surveykit.compare import wave_names

    assert wave_names(paths, known) == names


def test_wave_names_recorded_and_reused(tmp_path):
    """The example's current wave takes its year from the title ("... survey 2026"); the
    name is recorded, so comparing with that results.json later uses it; --wave-name wins."""
    from surveykit.report import build_report

    first = build_report(EXAMPLE / "survey.xlsx", out=tmp_path / "now", formats=["json"],
                         previous=[EXAMPLE / "survey-2025.xlsx"])
    assert first.comparison.waves == ("2025", "2026")
    payload = json.loads((tmp_path / "now" / "results.json").read_text())
    assert payload["config"]["wave_name"] == "2026"
    later = build_report(EXAMPLE / "survey.xlsx", out=tmp_path / "later", formats=["json"],
                         previous=[tmp_path / "now" / "results.json"],
                         wave_name="2027 pilot")
    assert later.comparison.waves == ("2026", "2027 pilot")
