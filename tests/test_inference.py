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
    text = dump_codebook(cb, active_breakdowns=len(cb.breakdowns))  # all, not the best two
    again = parse_codebook(yaml.safe_load(text))
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


def test_breakdowns_units_then_who_answered_then_the_rest():
    n = 40
    rng = np.random.default_rng(3)

    def pick(*options, answered=1.0):
        values = rng.choice(options, n).astype(object)
        values[rng.random(n) > answered] = None
        return values

    frame = pd.DataFrame({
        "Which character shot first?": pick("Han", "Greedo", "I don't understand"),
        "If yes, which site referred you?": pick("North", "South", answered=0.9),
        "Where was your previous job based?": pick("Industry", "Academia", "Other"),
        "What is your highest level of education?": pick("School", "Degree", "PhD"),
        "Gender": pick("Woman", "Man", "Non-binary"),
        "Which of these apply? (select all that apply)": pick("Parent", "Carer"),
        "What type of organisation do you work for?": pick("University", "Institute"),
        "Team": pick("A", "B", "C"),
        "grade": pick("1", "2", "3"),  # bare codes: a poor default however it is named
        "Q1": pick("Agree", "Disagree", "Strongly agree", "Neither agree nor disagree"),
    })
    cb = infer_codebook(frame)
    assert [b.column for b in cb.breakdowns] == [
        "Team",                                          # a unit, by its name
        "What type of organisation do you work for?",    # a unit, by its wording
        "What is your highest level of education?",      # who answered, in file order
        "Gender",
        "Which character shot first?",                   # anything else
        # then the poor splits, each four places down from where its name would put it:
        "If yes, which site referred you?",              # a unit, but a follow-up question
        "Where was your previous job based?",            # a unit, but a previous job
        "grade",                                         # a unit, but codes without labels
        "Which of these apply? (select all that apply)",  # one column of a tick-all question
    ]


def test_a_breakdown_repeating_a_better_one_goes_last():
    bands = ["1 year or less", "2 - 4 years", "5-7 years"] * 4
    frame = pd.DataFrame({"Years of experience overall": bands,
                          "Years of experience in your field": bands[::-1],
                          "Gender": ["Woman", "Man"] * 6,
                          "Q1": ["Agree", "Disagree", "Strongly agree"] * 4})
    cb = infer_codebook(frame)
    assert [b.column for b in cb.breakdowns] == [
        "Years of experience overall", "Gender", "Years of experience in your field"]


def test_a_list_with_write_ins_is_a_breakdown_with_other():
    listed = ["Health care"] * 60 + ["Law"] * 50 + ["Computing or Tech"] * 70
    write_ins = [f"My own words {i}" for i in range(12)]  # 12 of 192: 6%
    frame = pd.DataFrame({"What industry do you work in?": listed + write_ins,
                          "Q1": (["Agree", "Disagree", "Strongly agree"] * 64)})
    cb = infer_codebook(frame)
    (industry,) = cb.breakdowns
    assert industry.groups == ("Computing or Tech", "Health care", "Law")
    assert industry.other == "Other"
    survey = roundtrip(frame, cb)
    counts = np.bincount(survey.group_codes[industry.id], minlength=4).tolist()
    assert dict(zip(survey.groups[industry.id], counts)) == {
        "Computing or Tech": 70, "Health care": 60, "Law": 50, "Other": 12}
    # Too many write-ins (over 10% of answers): not a list of groups.
    frame.loc[:40, "What industry do you work in?"] = [f"Words {i}" for i in range(41)]
    assert infer_codebook(frame).breakdowns == ()


def test_counts_written_as_text_are_not_groups():
    frame = pd.DataFrame({"How many projects?": [f"{i % 12}.0" for i in range(36)],
                          "Q1": ["Agree", "Disagree", "Strongly agree"] * 12})
    cb = infer_codebook(frame)
    assert cb.breakdowns == () and "How many projects?" in cb.drop


def test_unit_words_match_whole_words_only():
    # "opportunity" holds "unit": the anchored 1-10 answers are still a scale
    name = "Does your work give you the opportunity to check how well you are doing?"
    answers = ["1 (None at all)", "2", "3", "5", "7", "10 (All my time)", "8", "4"] * 3
    cb = infer_codebook(pd.DataFrame({name: answers}))
    assert [i.scale.name for i in cb.items] == ["numeric1to10"]
    cb = infer_codebook(pd.DataFrame({"Team": ["1", "2", "3", "4"] * 3,
                                      "Q1": ["Agree", "Disagree", "Agree"] * 4}))
    assert [b.column for b in cb.breakdowns] == ["Team"]  # "Team" 1-4: groups, not a scale


def test_inference_errors_name_the_file(tmp_path):
    path = tmp_path / "counts.csv"
    path.write_text("Strongly disagree,Disagree,Neutral,Agree,Strongly agree,Question\n"
                    "1,2,17,51,25,Science is interesting\n2,6,19,40,32,I am glad\n")
    with pytest.raises(CodebookError) as err:
        infer_codebook(read_table(path))
    assert err.value.one_line().startswith(f"{path}: this looks like a table of counts")
    path = tmp_path / "names.csv"
    path.write_text("name,note\na,long free text here\nb,more text\n")
    with pytest.raises(CodebookError) as err:
        infer_codebook(read_table(path))
    assert err.value.one_line().startswith(f"{path}: no survey items recognised")


def test_draft_codebook_keeps_the_best_two_breakdowns_and_comments_out_the_rest():
    frame = pd.DataFrame({"Team": ["A", "B"] * 6, "Gender": ["Woman", "Man", "Man"] * 4,
                          "Which film?": ["X", "Y", "Z"] * 4,
                          "Q1": ["Agree", "Disagree", "Strongly agree"] * 4})
    cb = infer_codebook(frame)
    text = dump_codebook(cb)
    again = parse_codebook(yaml.safe_load(text))
    assert [b.column for b in again.breakdowns] == ["Team", "Gender"]
    spare = "\n".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    assert yaml.safe_load(spare.split("\n", 2)[2]) == [
        {"id": "which_film", "column": "Which film?", "label": "Which film?"}]
    # Uncommenting the spare entry gives a codebook with all three.
    full = parse_codebook(yaml.safe_load(text.replace("# - ", "- ").replace("#   ", "  ")))
    assert [b.column for b in full.breakdowns] == ["Team", "Gender", "Which film?"]
    assert describe_codebook(cb)[-1] == ("breakdowns: Team, Gender; other candidates (--by): "
                                         "Which film?")


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

# Every real export through init and analyse: tests/test_ingest_real.py.


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
