"""Codebook inference: scales read from the words, numbers, SPSS labels; multi-response;
breakdowns; and every real export in ../shared/data/real (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from surveykit.codebook import dump_codebook, parse_codebook
from surveykit.errors import CodebookError
from surveykit.inference import describe_codebook, infer_codebook
from surveykit.ingest import read_table
from surveykit.multiselect import joined_options
from surveykit.ordinal import order_labels, read_label
from surveykit.survey import Survey


def _real() -> Path | None:
    env = os.environ.get("SURVEYKIT_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
    return path if path.is_dir() else None


REAL = _real()
needs_real = pytest.mark.skipif(REAL is None, reason="../shared/data/real is not present")


def roundtrip(frame_or_table, cb):
    """The codebook survives YAML and codes the data identically."""
    frame = getattr(frame_or_table, "frame", frame_or_table)
    again = parse_codebook(yaml.safe_load(dump_codebook(cb)))
    a, b = Survey.from_frame(frame, cb), Survey.from_frame(frame, again)
    assert np.array_equal(a.item_codes, b.item_codes)
    assert dict(a.groups) == dict(b.groups)
    return a


# ---------------------------------------------------------------- reading labels

@pytest.mark.parametrize("labels,expected", [
    (["Completely satisfied", "Very satisfied", "Satisfied", "Neutral", "Dissatisfied",
      "Very dissatisfied"],
     ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied",
      "Completely satisfied")),
    (["Somewhat open", "Very open", "Somewhat not open", "Neutral", "Not open at all"],
     ("Not open at all", "Somewhat not open", "Neutral", "Somewhat open", "Very open")),
    (["Often / Always", "Never", "Occasionally", "Rarely"],
     ("Never", "Rarely", "Occasionally", "Often / Always")),
    (["Good for health", "Neither", "Bad for health"],
     ("Bad for health", "Neither", "Good for health")),
    (["Maybe", "Yes", "No"], ("No", "Maybe", "Yes")),
    (["high", "low", "medium"], ("low", "medium", "high")),
])
def test_labels_are_ordered_from_their_words(labels, expected):
    assert order_labels(labels).labels == expected


@pytest.mark.parametrize("labels", [
    ["Sales", "Operations", "HR"], ["Male", "Female"], ["Full Time", "Part-time"],
    ["Married", "Not married"], ["Some did", "None did", "Yes, they all did"],
])
def test_groups_are_not_read_as_scales(labels):
    assert order_labels(labels) is None


def test_not_applicable_answers_are_set_apart():
    ordering = order_labels(["Very favorably", "Somewhat unfavorably", "Unfamiliar (N/A)",
                             "Somewhat favorably"])
    assert ordering.not_applicable == ("Unfamiliar (N/A)",)
    assert "Unfamiliar (N/A)" not in ordering.labels


def test_polarity_bipolar_by_sign_unipolar_by_rank():
    sat = order_labels(["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied",
                        "Very satisfied", "Completely satisfied"])
    assert sat.polarity() == (("Satisfied", "Very satisfied", "Completely satisfied"),
                              ("Neutral",), ("Very dissatisfied", "Dissatisfied"))
    imp = order_labels(["Not at all important", "Slightly important", "Moderately important",
                        "Very important", "Extremely important"])
    assert imp.polarity() == (("Very important", "Extremely important"),
                              ("Moderately important",),
                              ("Not at all important", "Slightly important"))


def test_read_label_examples():
    assert read_label("Strongly Agree") == [("agree", 2.0)]
    assert read_label("Neither agree or disagree") == [("*", 0.0)]


# ---------------------------------------------------------------- joined multi-select

def test_comma_joined_options_with_commas_inside():
    values = pd.Series(["White", "Asian", "Hispanic, Latino, or Spanish origin",
                        "Hispanic, Latino, or Spanish origin, White", "Asian, White", "White",
                        "Asian", "White", "Hispanic, Latino, or Spanish origin"])
    sep, options = joined_options(values, ", ")
    assert sep == ", "
    assert set(options) == {"White", "Asian", "Hispanic, Latino, or Spanish origin"}


def test_single_choice_with_commas_is_not_multi():
    values = pd.Series(["Accounting, Banking & Finance", "Education", "Health, Social care",
                        "Education", "Accounting, Banking & Finance", "Law"] * 3)
    assert joined_options(values) is None


def test_semicolon_joined_with_trailing_separator():
    values = pd.Series(["A;B;", "B;", "A;C;", "C;", "A;", "B;C;"])
    assert joined_options(values) == (";", ("A", "B", "C"))


# ---------------------------------------------------------------- whole codebooks

def test_text_likert_with_inconsistent_capitals_maps_to_the_preset():
    frame = pd.DataFrame({
        "Q1": ["Strongly Agree", "agree", "Neither agree or disagree", "Disagree", None, "AGREE"],
        "Q2": ["Strongly disagree", "Agree", "Don't know", "Agree", "Agree", "Disagree"],
    })
    cb = infer_codebook(frame)
    assert {i.scale.name for i in cb.items} == {"agree5"}
    assert cb.items[0].scale.not_applicable == ("Don't know",)
    survey = roundtrip(frame, cb)
    assert survey.item_codes[:, 0].tolist() == [4, 3, 2, 1, -1, 3]


def test_custom_scale_pooled_across_columns():
    frame = pd.DataFrame({
        "Q1": ["Satisfied", "Completely satisfied", "Neutral", "Very satisfied", "Satisfied"],
        "Q2": ["Dissatisfied", "Very dissatisfied", "Satisfied", "Satisfied", "Neutral"],
    })
    cb = infer_codebook(frame)
    (scale,) = {i.scale for i in cb.items}
    assert scale.labels == ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied",
                            "Very satisfied", "Completely satisfied")
    assert scale.positive == ("Satisfied", "Very satisfied", "Completely satisfied")
    survey = roundtrip(frame, cb)
    assert survey.item_codes[:, 1].tolist() == [1, 0, 3, 3, 2]


def test_numeric_items_with_anchor_words():
    frame = pd.DataFrame({"Q21_1": ["1 - Completely uninterested", "2", "3 - Neutral / Not sure",
                                    "4", "5 - Highly interested", "4"]})
    cb = infer_codebook(frame)
    (item,) = cb.items
    assert item.scale.labels == ("1", "2", "3", "4", "5") and not item.reverse
    assert roundtrip(frame, cb).item_codes[:, 0].tolist() == [0, 1, 2, 3, 4, 3]


def test_numeric_items_anchored_the_other_way_are_reversed():
    frame = pd.DataFrame({"q": ["1 = Strongly agree", "2", "3", "4", "5 = Strongly disagree",
                                "2"]})
    (item,) = infer_codebook(frame).items
    assert item.reverse


def test_yes_no_maybe_and_zero_one_questions():
    frame = pd.DataFrame({
        "Would you discuss it with your manager?": ["Yes", "No", "Maybe", "Yes", "No", "Maybe"],
        "Are you self-employed?": [0, 1, 0, 0, 1, 0],
    })
    cb = infer_codebook(frame)
    scales = {i.column: i.scale for i in cb.items}
    assert scales["Would you discuss it with your manager?"].name == "yesno3"
    assert scales["Are you self-employed?"].codes == (0.0, 1.0)
    survey = roundtrip(frame, cb)
    assert survey.item_codes[:, 1].tolist() == [0, 1, 0, 0, 1, 0]


def test_breakdowns_org_like_first_and_bands_in_numeric_order():
    n = 12
    frame = pd.DataFrame({
        "Age": ["25-34", "under 18", "65 or over", "35-44", "25-34", "18-24"] * 2,
        "Team": ["A", "B", "C"] * 4,
        "Q1": ["Agree", "Disagree", "Agree", "Strongly agree"] * 3,
    })
    assert len(frame) == n
    cb = infer_codebook(frame)
    assert [b.column for b in cb.breakdowns] == ["Team", "Age"]
    assert cb.breakdowns[1].groups == ("under 18", "18-24", "25-34", "35-44", "65 or over")


def test_select_all_yes_no_grid_becomes_multi_response():
    stem = "rse4[SQ00{}]. Which tools do you use (select as many as apply)? [{}]"
    frame = pd.DataFrame({stem.format(1, "Git"): ["Yes", "No", "Yes", "Yes"],
                          stem.format(2, "Docker"): ["No", "No", "Yes", "No"],
                          "Q1": ["Agree", "Disagree", "Agree", "Agree"]})
    cb = infer_codebook(frame)
    (tools,) = cb.multi
    assert tools.options == ("Git", "Docker")
    assert tools.label == "Which tools do you use (select as many as apply)?"
    assert roundtrip(frame, cb).multi_ticks[tools.id].sum(axis=0).tolist() == [3, 1]


def test_aggregated_counts_are_refused():
    frame = pd.DataFrame({"Strongly disagree": [1, 2], "Disagree": [2, 6], "Neutral": [17, 19],
                          "Agree": [51, 40], "Strongly agree": [25, 32],
                          "Question": ["Science is interesting", "I am glad"]})
    with pytest.raises(CodebookError, match="aggregated .* not one row per respondent"):
        infer_codebook(frame)


def test_nothing_to_analyse_is_an_error():
    frame = pd.DataFrame({"name": ["a", "b"], "note": ["long free text here", "more text"]})
    with pytest.raises(CodebookError, match="no survey items recognised"):
        infer_codebook(frame)


def test_describe_codebook_reports_each_decision():
    frame = pd.DataFrame({
        "id": [1, 2, 3, 4, 5, 6], "Team": ["A", "B", "A", "B", "A", "B"],
        "Q1": ["Agree", "Disagree", "Don't know", "Agree", "Strongly agree", "Agree"],
        "Q2": [1, 2, 3, 4, 5, 3], "Comments": ["x" * 30, "", "y" * 30, "", "z" * 30, "w" * 30],
        "Channels": ["A;B;", "B;", "A;", "C;A;", "C;", "B;C;"],
    })
    lines = describe_codebook(infer_codebook(frame))
    assert lines == [
        ("1 item(s) on scale agree5 (Strongly disagree .. Strongly agree; positive: Agree, "
         "Strongly agree; not applicable: Don't know)"),
        ("1 item(s) on scale numeric1to5 (1 .. 5; positive: 4, 5; higher number = more "
         "positive (assumed))"),
        "tick-all-that-apply: Channels (3 options, joined by ';')",
        "breakdowns: Team",
        "respondent id: id",
        "free text: Comments",
    ]


def test_infer_from_spss_value_labels(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"q": [5.0, 4.0, 1.0, 2.0, 9.0, 4.0], "health": [1, 4, 7, 2, 3, 7.0]})
    path = tmp_path / "s.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={
        # coded "the wrong way round": 1 = Strongly agree
        "q": {1.0: "Strongly agree", 2.0: "Agree", 3.0: "Neither agree nor disagree",
              4.0: "Disagree", 5.0: "Strongly disagree", 9.0: "Don't know"},
        "health": {1.0: "Bad for health", 4.0: "Neither", 7.0: "Good for health"},
    }, missing_ranges={"q": [9.0]})
    table = read_table(path)
    cb = infer_codebook(table)
    scales = {i.column: i.scale for i in cb.items}
    q = scales["q"]
    assert q.labels == ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
                        "Strongly agree")
    assert q.codes == (5.0, 4.0, 3.0, 2.0, 1.0)
    assert q.positive == ("Agree", "Strongly agree") and q.not_applicable == ("Don't know",)
    assert scales["health"].labels == ("Bad for health", "2", "3", "Neither", "5", "6",
                                       "Good for health")
    survey = roundtrip(table, cb)
    assert survey.item_codes[:, 0].tolist() == [0, 1, 4, 3, 5, 1]


# ---------------------------------------------------------------- the real exports

NO_ITEMS = {  # files with nothing to score, and the honest error each gets
    "HH-cran/NZScienceTeaching.csv": "aggregated",
    "HH-cran/ProfChal.csv": "aggregated",
    "qualtRics/sample.csv": "no survey items recognised",  # one response, one coded answer
    "qualtRics/sample_legacy.csv": "no survey items recognised",
    "pyreadstat-test_data/missing_char.sav": "no survey items recognised",
    "pyreadstat-test_data/missing_test.sav": "no survey items recognised",
    "spss_codebook_export/spss27.sav": "no survey items recognised",
    "spss_codebook_export/spss_variable_types.sav": "no survey items recognised",
    "surveydata-andrie/membersurvey_variable_labels.csv": "no survey items recognised",
}
MULTI_ONLY = {  # no scaled items, but tick-all-that-apply questions to report
    "ask-a-manager-2021/Ask A Manager Salary Survey 2021 (Responses).xlsx",
    "pyreadstat-test_data/simple_alltypes.sav",
}


def _real_files() -> list[str]:
    if REAL is None:
        return []
    return sorted(str(p.relative_to(REAL)) for p in REAL.rglob("*")
                  if p.is_file() and p.suffix in {".csv", ".xlsx", ".sav", ".zsav", ".por"})


@needs_real
@pytest.mark.parametrize("name", _real_files() or ["(none)"])
def test_every_real_export_infers_and_codes(name):
    table = read_table(REAL / name)
    if name in NO_ITEMS:
        with pytest.raises(CodebookError, match=NO_ITEMS[name]):
            infer_codebook(table)
        return
    cb = infer_codebook(table)
    if name in MULTI_ONLY:
        assert not cb.items and cb.multi
    else:
        assert cb.items, describe_codebook(cb)
    survey = Survey.from_frame(table.frame, cb, source=table.source,
                               first_data_row=table.first_data_row)
    assert survey.n == len(table.frame)
    roundtrip(table, cb)
    assert describe_codebook(cb)


@needs_real
def test_real_rse_text_likert_variants():
    table = read_table(REAL / "rse-international-survey" / "2017" / "uk" / "data" /
                       "public_data.csv")
    cb = infer_codebook(table)
    agree = [i for i in cb.items if i.scale.name == "agree5"]
    assert len(agree) >= 10
    assert any(i.theme.startswith("Please rate the following propositions") for i in agree)
    assert cb.multi, "select-as-many-as-apply grids are multi-response"


@needs_real
def test_real_spss_value_labels_order_scales():
    table = read_table(REAL / "spss_codebook_export" / "sleep.sav")
    cb = infer_codebook(table)
    scales = {i.column: i.scale for i in cb.items}
    assert scales["qualslp"].labels == ("very poor", "poor", "fair", "good", "very good",
                                        "excellent")
    assert scales["healthrate"].labels[0] == "very poor"
    assert scales["healthrate"].labels[-1] == "very good" and scales["healthrate"].k == 10
    assert "sex" in {b.column for b in cb.breakdowns}


@needs_real
def test_real_osmi_yes_no_maybe_and_pipes():
    table = read_table(REAL / "osmi-mental-health-2016" /
                       "mental-heath-in-tech-2016_20161114.csv")
    cb = infer_codebook(table)
    assert "yesno3" in {i.scale.name for i in cb.items}
    assert {m.separator for m in cb.multi} == {"|"}
    assert cb.breakdowns[0].column == "How many employees does your company or organization have?"
