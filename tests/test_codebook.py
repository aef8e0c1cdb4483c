"""Codebook loading, validation messages, round trips and presets."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from conftest import EXAMPLE
from surveykit import CodebookError, Survey, dump_codebook, infer_codebook, load_codebook
from surveykit.codebook import parse_codebook
from surveykit.model import normalise_label
from surveykit.presets import numeric_scale


def test_example_codebook_loads():
    cb = load_codebook(EXAMPLE / "codebook.yaml")
    assert [b.id for b in cb.breakdowns] == ["sector", "role"]
    assert len(cb.items) == 20
    assert cb.items[0].scale.not_applicable == ("Don't know",)
    assert sum(i.reverse for i in cb.items) == 1
    assert cb.multi[0].separator == ";"


def test_round_trip_through_yaml(tmp_path):
    cb = load_codebook(EXAMPLE / "codebook.yaml")
    path = tmp_path / "again.yaml"
    dump_codebook(cb, path)
    again = load_codebook(path)
    assert again.items == cb.items
    assert again.breakdowns == cb.breakdowns
    assert again.multi == cb.multi


@pytest.mark.parametrize("text,needle", [
    ("items: [", "not valid YAML"),
    ("- just a list", "must be a YAML mapping"),
    ("items:\n  - {id: a, column: A, scale: nosuch}", "unknown scale 'nosuch'"),
    ("items:\n  - {column: A, scale: agree5}", "needs 'id'"),
    ("items: []", "lists no items"),
    ("items:\n  - {id: a, scale: agree5}\n  - {id: a, scale: agree5}", "duplicate id"),
    ("scales:\n  s: {labels: [a, b], positive: [c]}\nitems:\n  - {id: a, scale: s}",
     "positive label 'c' is not one of its labels"),
    ("colour: red\nitems:\n  - {id: a, scale: agree5}", "unknown codebook key"),
    ("items:\n  - {id: a, scale: agree5, revers: true}",
     "item 'a': unknown key(s) revers (known: column, id, label, reverse, scale, theme)"),
    ("items:\n  - {id: a, scale: agree5}\nbreakdowns:\n  - {id: team, grups: [A, B]}",
     "breakdown 'team': unknown key(s) grups"),
    ("scales:\n  s: {preset: agree5, labels: [a, b]}\nitems:\n  - {id: a, scale: s}",
     "scale 's': unknown key(s) labels (known: not_applicable, preset)"),
    ("scales:\n  s: {labels: [a, b], postive: [b]}\nitems:\n  - {id: a, scale: s}",
     "scale 's': unknown key(s) postive"),
    ("items:\n  - {id: a, scale: agree5}\nmulti:\n  - {id: m, options: [x], column: M, "
     "sep: ';'}", "multi question 'm': unknown key(s) sep"),
    ("items:\n  - {id: a, scale: agree5}\ntext:\n  - {id: c, colum: C}",
     "text question 'c': unknown key(s) colum"),
    ("items:\n  - {id: a, scale: agree5}\nbreakdowns:\n  - {id: team, other: Other}",
     "breakdown 'team': 'other' needs 'groups'"),
])
def test_bad_codebooks_give_one_line_errors(tmp_path, text, needle):
    path = tmp_path / "cb.yaml"
    path.write_text(text)
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    message = err.value.one_line()
    assert needle in message and "cb.yaml" in message and "\n" not in message


def test_missing_codebook_file(tmp_path):
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "nope.yaml")


def test_answer_matching_ignores_case_quotes_and_spaces():
    assert normalise_label("  Don’t   KNOW ") == "don't know"
    cb = parse_codebook({"items": [{"id": "q", "scale": "agree5"}]})
    scale = cb.items[0].scale
    lookup = scale.lookup()
    assert lookup[normalise_label("STRONGLY AGREE")] == 4
    assert lookup[normalise_label("Neither agree or disagree")] == 2  # LimeSurvey's wording


def test_numeric_codes_scale(tmp_path):
    cb = parse_codebook({
        "scales": {"s": {"labels": ["Bad", "OK", "Good"], "codes": [1, 2, 3],
                         "not_applicable": ["N/A"], "not_applicable_codes": [9]}},
        "items": [{"id": "q", "scale": "s"}]})
    frame = pd.DataFrame({"q": [1, 2.0, "3", 9, None]})
    survey = Survey.from_frame(frame, cb)
    assert survey.item_codes[:, 0].tolist() == [0, 1, 2, 3, -1]
    scale = cb.items[0].scale
    assert scale.positive == ("Good",) and scale.negative == ("Bad",) and scale.neutral == ("OK",)


@pytest.mark.parametrize("k,positive,neutral", [
    (4, ("3", "4"), ()), (5, ("4", "5"), ("3",)), (6, ("4", "5", "6"), ()),
    (7, ("5", "6", "7"), ("4",)),
])
def test_numeric_scales_split_at_the_middle(k, positive, neutral):
    s = numeric_scale(k)
    assert s.positive == positive and s.neutral == neutral
    assert len(s.negative) == len(s.positive)


def test_inference_on_text_and_numeric_layouts():
    text = pd.DataFrame({
        "Respondent ID": [1, 2, 3, 4],
        "Department": ["A", "B", "A", "B"],
        "I like my job": ["strongly agree", "Agree", "DISAGREE", "Don't know"],
        "Comments": ["The canteen food has improved a great deal", "More training please!",
                     None, "Nothing further to add at this time"],
    })
    cb = infer_codebook(text)
    assert [i.column for i in cb.items] == ["I like my job"]
    assert cb.items[0].scale.name == "agree5"
    assert cb.items[0].scale.not_applicable == ("Don't know",)
    assert cb.id_column == "Respondent ID"
    assert [b.column for b in cb.breakdowns] == ["Department"]
    assert [t.column for t in cb.text] == ["Comments"]
    numeric = pd.DataFrame({"team": list("ABCABC"), "q1": [1, 2, 3, 4, 5, 5],
                            "q2": [1, 1, 2, 3, 4, 4]})
    cb = infer_codebook(numeric)
    # q2 never reached 5 but shares the survey's 1-5 scale
    assert {i.scale.name for i in cb.items} == {"numeric1to5"}


def test_inference_without_items_is_a_clear_error():
    with pytest.raises(CodebookError, match="no survey items recognised"):
        infer_codebook(pd.DataFrame({"name": ["a", "b"], "age": [31, 45]}))


def test_breakdown_other_pools_write_ins(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("items:\n  - {id: q, column: Q, scale: agree5}\nbreakdowns:\n"
                    "  - {id: industry, column: Industry, groups: [Health, Law], "
                    "map: {NHS: Health}, other: Other}\n")
    cb = load_codebook(path)
    assert cb.breakdowns[0].other == "Other"
    frame = pd.DataFrame({
        "Q": ["Agree"] * 7,
        "Industry": ["health ", "Law", "Zoo keeping", "NHS", None, "Bakery", "LAW"]})
    survey = Survey.from_frame(frame, cb)
    assert survey.groups["industry"] == ("Health", "Law", "Other")
    assert survey.group_codes["industry"].tolist() == [0, 1, 2, 0, -1, 2, 1]
    assert survey.warnings == ()  # write-ins pooled by design: no "groups not listed" warning
    again = load_codebook((tmp_path / "again.yaml", dump_codebook(cb, tmp_path / "again.yaml"))[0])
    assert again.breakdowns == cb.breakdowns


def test_breakdown_other_may_be_a_listed_group():
    cb = parse_codebook({"items": [{"id": "q", "scale": "agree5"}],
                         "breakdowns": [{"id": "b", "groups": ["Health", "Other"],
                                         "other": "other"}]})
    frame = pd.DataFrame({"q": ["Agree"] * 3, "b": ["Health", "Other", "Circus"]})
    survey = Survey.from_frame(frame, cb)
    assert survey.groups["b"] == ("Health", "Other")
    assert survey.group_codes["b"].tolist() == [0, 1, 1]


def test_multi_question_of_category_columns(tmp_path):
    """An SPSS multiple-category set: each column holds one of the options chosen."""
    path = tmp_path / "cb.yaml"
    path.write_text("items:\n  - {id: q, column: Q, scale: agree5}\nmulti:\n"
                    "  - {id: sources, label: \"Where do you hear news?\", coding: categories,\n"
                    "     columns: [first, second], options: [Intranet, Email, Team talk]}\n")
    cb = load_codebook(path)
    frame = pd.DataFrame({"Q": ["Agree"] * 4,
                          "first": ["Intranet", "email", None, "Team talk"],
                          "second": ["Email", None, None, "Intranet"]})
    survey = Survey.from_frame(frame, cb)
    assert survey.multi_ticks["sources"].astype(int).tolist() == [[1, 1, 0], [0, 1, 0],
                                                                   [0, 0, 0], [1, 0, 1]]
    assert survey.multi_answered["sources"].tolist() == [True, True, False, True]
    again = load_codebook((tmp_path / "again.yaml", dump_codebook(cb, tmp_path / "again.yaml"))[0])
    assert again.multi == cb.multi
    frame.loc[2, "second"] = "Carrier pigeon"
    with pytest.raises(CodebookError) as err:
        Survey.from_frame(frame, cb, source="s.sav", first_data_row=1)
    assert err.value.one_line() == ("s.sav, row 3, column 'second': answer 'Carrier pigeon' is "
                                    "not an option of multi question 'sources' ('Intranet', "
                                    "'Email', 'Team talk')")


@pytest.mark.parametrize("spec,needle", [
    ("{id: m, coding: mentions, column: M, options: [a]}", "coding must be 'ticks' or"),
    ("{id: m, coding: categories, column: M, options: [a]}", "needs 'columns'"),
    ("{id: m, columns: [A, B, C], options: [a, b]}", "3 columns for 2 options"),
])
def test_bad_multi_questions(spec, needle):
    with pytest.raises(CodebookError, match=needle):
        parse_codebook(yaml.safe_load(f"items: [{{id: q, scale: agree5}}]\nmulti:\n  - {spec}"))


def test_a_survey_nobody_answered_is_an_error_and_an_empty_item_a_warning():
    from surveykit import InputError

    cb = parse_codebook({"items": [{"id": "q1", "column": "Q1", "scale": "agree5"},
                                   {"id": "q2", "column": "Q2", "scale": "agree5"}]})
    blank = pd.DataFrame({"Q1": [None, " ", None], "Q2": [None, None, ""]})
    with pytest.raises(InputError) as err:
        Survey.from_frame(blank, cb, source="s.csv")
    assert err.value.one_line() == ("s.csv: no answers: none of the 3 response(s) answers any "
                                    "item or multi question the codebook lists (every cell "
                                    "in those columns is blank)")
    half = pd.DataFrame({"Q1": ["Agree", None, "Disagree"], "Q2": [None, None, ""]})
    survey = Survey.from_frame(half, cb)
    assert survey.warnings == ("no answers at all to 1 question(s): q2 (column 'Q2')",)


def test_numeric_scales_can_be_named_directly():
    cb = parse_codebook({"items": [{"id": "q", "scale": "numeric0to10"},
                                   {"id": "r", "scale": "numeric1to5"}]})
    assert cb.items[0].scale == numeric_scale(11, low=0)
    assert cb.items[1].scale.labels == ("1", "2", "3", "4", "5")
    with pytest.raises(CodebookError, match="unknown scale 'numeric5to1'"):
        parse_codebook({"items": [{"id": "q", "scale": "numeric5to1"}]})


def test_docs_codebook_example_loads_and_every_key_is_documented():
    """docs/codebook.md matches the loader: its example parses, and its tables list exactly
    the keys the loader accepts."""
    import re

    from conftest import ROOT
    from surveykit.codebook import _KEYS, TOP_KEYS

    doc = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    cb = parse_codebook(yaml.safe_load(example))
    assert [b.id for b in cb.breakdowns] == ["sector", "industry", "Role"]
    assert cb.breakdowns[1].other == "Other" and cb.multi[2].coding == "categories"
    assert cb.items[1].scale.not_applicable == ("Don't know", "Not applicable")
    assert cb.items[2].scale == numeric_scale(11, low=0)

    def documented(heading: str) -> set[str]:
        section = doc.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
        keys, lines = set(), section.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("| "))
        for line in lines[start:]:
            if not line.startswith("|"):
                break  # the first table only (Scales has a table of presets after it)
            if line.startswith("| `"):
                keys |= set(re.findall(r"`(\w+)(?::[^`]*)?`", line.split(" | ")[0]))
        return keys

    assert documented("Top level") == TOP_KEYS
    assert documented("Scales") == _KEYS["scale"] | {"preset"}
    assert documented("Items") == _KEYS["item"]
    assert documented("Multi questions (tick all that apply)") == _KEYS["multi question"]
    assert documented("Breakdowns") == _KEYS["breakdown"]
    assert documented("Indices") == _KEYS["index"]
    text_section = doc.split("\n## Text questions\n", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"`(\w+)`", text_section)) == _KEYS["text question"]
    with pytest.raises(CodebookError, match="unknown codebook key"):
        parse_codebook({"items": [{"id": "q", "scale": "agree5"}], "undocumented": 1})
