"""Survey platforms' layouts: hand-written fixtures in tests/data, and the real exports.

The fixtures follow the layouts as the platforms write them (see
``surveykit/ingest/platforms.py``); the real files come from ``../shared/data/real`` and
the tests using them skip when that folder is absent.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from surveykit.cli import app
from surveykit.inference import infer_codebook
from surveykit.ingest import read_table
from surveykit.survey import Survey

DATA = Path(__file__).parent / "data"


def _real() -> Path | None:
    env = os.environ.get("SURVEYKIT_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
    return path if path.is_dir() else None


REAL = _real()
needs_real = pytest.mark.skipif(REAL is None, reason="../shared/data/real is not present")


def test_qualtrics_three_header_rows():
    table = read_table(DATA / "qualtrics.csv")
    assert table.layout == "qualtrics"
    assert table.first_data_row == 4  # tags, question text, ImportId, then respondents
    assert list(table.frame.columns) == ["ResponseId", "Q1", "Q2_1", "Q2_2", "Q2_3", "Q3_1",
                                         "Q3_2", "Q3_3", "Q4", "Q4_4_TEXT", "Q5"]
    assert len(table.frame) == 6
    assert table.question_text["Q2_2"] == "How much do you agree? - I have the tools I need"
    for meta in ("IPAddress", "RecipientEmail", "LocationLatitude", "StartDate"):
        assert meta in table.dropped
    assert set(table.free_text) == {"Q4_4_TEXT", "Q5"}
    (choices,) = table.multi_sets
    assert choices.label == "Which of these have you used?"
    assert choices.options == ("Intranet", "Email bulletin", "Team meeting")
    assert choices.columns == ("Q3_1", "Q3_2", "Q3_3")


def test_qualtrics_codebook_uses_question_text_and_free_text():
    table = read_table(DATA / "qualtrics.csv")
    cb = infer_codebook(table)
    assert [i.column for i in cb.items] == ["Q2_1", "Q2_2", "Q2_3"]
    assert cb.items[0].scale.name == "agree5"
    assert cb.items[0].theme == "How much do you agree?"
    assert [t.column for t in cb.text] == ["Q4_4_TEXT", "Q5"]
    assert cb.id_column == "ResponseId"
    survey = Survey.from_frame(table.frame, cb, first_data_row=table.first_data_row)
    assert survey.multi_ticks[cb.multi[0].id].sum(axis=0).tolist() == [3, 3, 4]


def test_qualtrics_legacy_layout():
    table = read_table(DATA / "qualtrics_legacy.csv")
    assert table.layout == "qualtrics-legacy"
    assert table.encoding == "utf-8-sig"  # legacy exports start with a BOM
    assert table.first_data_row == 3  # V1.. tags, then names and question text
    # V1..V10 take their real names from row 2; the trailing comma makes no column
    assert list(table.frame.columns) == ["ResponseID", "Q1", "Q2", "Q3", "Q1_4_TEXT", "Q4_1",
                                         "Q4_2", "Q4_3", "Q5"]
    assert set(table.dropped) == {"ResponseSet", "Name", "ExternalDataReference",
                                  "EmailAddress", "IPAddress", "Status", "StartDate",
                                  "EndDate", "Finished", "LocationLatitude",
                                  "LocationLongitude", "LocationAccuracy"}
    assert table.question_text["Q2"] == "I feel valued at work"
    assert "Q1_4_TEXT" in table.free_text
    cb = infer_codebook(table)
    assert {i.column: i.scale.name for i in cb.items} == {"Q2": "agree5", "Q3": "satisfied5"}
    assert [b.column for b in cb.breakdowns] == ["Q1"]
    assert cb.breakdowns[0].label == "Which team are you in?"
    assert [t.column for t in cb.text] == ["Q1_4_TEXT", "Q5"]
    (used,) = cb.multi  # split choices: 1 = selected, blank = not
    assert used.options == ("Intranet", "Email bulletin", "Team meeting")
    survey = Survey.from_frame(table.frame, cb, first_data_row=table.first_data_row)
    assert survey.multi_ticks[used.id].sum(axis=0).tolist() == [4, 4, 5]
    assert survey.item_codes[:, 0].tolist() == [3, 1, 4, 2, 3, 0, 3, 1]


def test_surveymonkey_two_header_rows_cp1252():
    table = read_table(DATA / "surveymonkey.csv")
    assert table.layout == "surveymonkey"
    assert table.encoding == "cp1252" and table.first_data_row == 3
    cols = list(table.frame.columns)
    assert cols[:2] == ["Respondent ID", "Which site do you work at?"]
    assert "How satisfied are you with the following? - Workload" in cols
    assert "Which of these benefits do you use? Please select all that apply. - Café vouchers" \
        in cols
    assert set(table.dropped) == {"Collector ID", "Start Date", "End Date", "IP Address",
                                  "Email Address", "First Name", "Last Name", "Custom Data 1"}
    (benefits,) = table.multi_sets
    assert benefits.options == ("Cycle to work", "Café vouchers", "Pension advice")
    assert table.free_text == (
        ("Which of these benefits do you use? Please select all that apply. - Other (please "
         "specify)"),)


def test_surveymonkey_codebook():
    table = read_table(DATA / "surveymonkey.csv")
    cb = infer_codebook(table)
    by_scale = {}
    for item in cb.items:
        by_scale.setdefault(item.scale.name, []).append(item.column.split(" - ")[-1])
    assert by_scale == {"satisfied5": ["Pay", "Workload", "Training"],
                        "yesno": ["Would you recommend us as a place to work?"]}
    assert [b.column for b in cb.breakdowns] == ["Which site do you work at?"]
    survey = Survey.from_frame(table.frame, cb)
    assert survey.multi_ticks[cb.multi[0].id].sum(axis=0).tolist() == [3, 3, 3]
    assert survey.groups["which_site_do_you_work_at"] == ("Glasgow", "Paisley", "Renfrew")


def test_google_forms_layout_and_joined_checkboxes():
    table = read_table(DATA / "google_forms.csv")
    assert table.layout == "google-forms"
    assert table.dropped == ("Timestamp", "Email Address")
    cb = infer_codebook(table)
    assert [i.label for i in cb.items] == ["How often do you feel: [Valued]",
                                           "How often do you feel: [Stretched]"]
    assert {i.theme for i in cb.items} == {"How often do you feel:"}
    assert cb.items[0].scale.name == "frequency5"
    (attended,) = cb.multi
    assert attended.separator == ", "
    assert set(attended.options) == {"Induction", "Wellbeing walk", "Cycle to work, car share"}
    assert [b.column for b in cb.breakdowns] == ["Which directorate do you work in?"]
    assert [t.column for t in cb.text] == ["Anything else?"]


def test_google_forms_option_with_a_comma_is_ticked():
    table = read_table(DATA / "google_forms.csv")
    cb = infer_codebook(table)
    survey = Survey.from_frame(table.frame, cb)
    ticks = dict(zip(cb.multi[0].options, survey.multi_ticks[cb.multi[0].id].sum(axis=0)))
    assert ticks == {"Induction": 4, "Wellbeing walk": 3, "Cycle to work, car share": 3}


def test_microsoft_forms_layout_and_semicolon_multi_select():
    table = read_table(DATA / "microsoft_forms.csv")
    assert table.layout == "microsoft-forms"
    assert set(table.dropped) == {"Start time", "Completion time", "Email", "Name",
                                  "Last modified time"}
    assert table.first_data_row == 2
    cb = infer_codebook(table)
    assert cb.id_column == "ID"
    (channels,) = cb.multi
    assert channels.separator == ";"
    assert set(channels.options) == {"Intranet", "Newsletter", "Team huddle"}
    survey = Survey.from_frame(table.frame, cb)
    ticks = dict(zip(channels.options, survey.multi_ticks[channels.id].sum(axis=0)))
    assert ticks == {"Intranet": 4, "Newsletter": 4, "Team huddle": 4}
    assert survey.multi_answered[channels.id].sum() == 7  # respondent 8 left it blank


_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(\.[\w-]+)*\.[A-Za-z]{2,}")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(\.\d{1,3}){3}(?![\d.])")
_NAMES = {"microsoft_forms.csv": ["Example, Ann", "Sample, Bob", "Person, Cat"]}


def _output_text(folder: Path) -> dict[str, str]:
    """Every output as text: the workbook's XML parts joined."""
    texts = {}
    for path in folder.iterdir():
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as zf:
                texts[path.name] = "\n".join(zf.read(n).decode("utf-8", "replace")
                                             for n in zf.namelist())
        else:
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


@pytest.mark.parametrize("name", ["qualtrics.csv", "qualtrics_legacy.csv", "surveymonkey.csv",
                                  "google_forms.csv", "microsoft_forms.csv"])
def test_personal_metadata_reaches_no_output(tmp_path, name):
    """E-mail addresses, IP addresses and names in an export appear in no output, even with
    every group shown (--min-group 1)."""
    raw = (DATA / name).read_bytes().decode("cp1252" if "monkey" in name else "utf-8-sig")
    secrets = sorted({m.group(0) for m in _EMAIL.finditer(raw)}
                     | {m.group(0) for m in _IPV4.finditer(raw)} | set(_NAMES.get(name, [])))
    assert len(secrets) >= 3, "the fixture should carry personal data to leave out"
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyse", str(DATA / name), "--out", str(out),
                                      "--min-group", "1", "--format", "html,xlsx,json,csv"])
    assert result.exit_code == 0, result.output
    texts = _output_text(out)
    assert {"briefing.html", "tables.xlsx", "results.json", "results.csv"} <= set(texts)
    assert json.loads(texts["results.json"])["items"], "the run analysed something"
    for file, text in texts.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{file} shows {leaked}"


@needs_real
def test_real_qualtrics_export():
    table = read_table(REAL / "qualtRics" / "sample.csv")
    assert table.layout == "qualtrics" and table.first_data_row == 4
    assert list(table.frame.columns) == ["ResponseId", "Q1", "Q2", "Q2 - Topics"]
    assert table.question_text["Q2"] == "This is a free text question."
    assert "Q2" in table.free_text  # ImportId QID2_TEXT
    assert "IPAddress" in table.dropped and "LocationLongitude" in table.dropped


@needs_real
def test_real_qualtrics_legacy_export():
    table = read_table(REAL / "qualtRics" / "sample_legacy.csv")
    assert table.layout == "qualtrics-legacy"
    assert table.encoding == "utf-8-sig" and table.first_data_row == 3
    assert list(table.frame.columns) == ["ResponseID", "Q1", "Q2"]
    assert table.question_text["Q1"] == "This is a multiple choice question."
    assert table.frame.loc[0, "Q2"] == "Hello World!"


@needs_real
def test_real_surveymonkey_star_wars():
    table = read_table(REAL / "fivethirtyeight" / "star-wars-survey" / "StarWars.csv")
    assert table.layout == "surveymonkey" and table.encoding == "cp1252"
    assert table.frame.shape == (1186, 38) and table.first_data_row == 3
    (films,) = table.multi_sets
    assert len(films.options) == 6 and films.options[0].startswith("Star Wars: Episode I")
    cb = infer_codebook(table)
    favourable = [i for i in cb.items if i.scale.name == "favourable5"]
    assert len(favourable) == 14
    assert favourable[0].scale.not_applicable == ("Unfamiliar (N/A)",)
    assert not any("rank" in i.column for i in cb.items)  # rankings are not scales
    Survey.from_frame(table.frame, cb, first_data_row=table.first_data_row)


@needs_real
def test_real_surveymonkey_steak():
    table = read_table(REAL / "fivethirtyeight" / "steak-survey" / "steak-risk-survey.csv")
    assert table.layout == "surveymonkey" and table.frame.shape == (550, 15)
    cb = infer_codebook(table)
    assert {i.scale.name for i in cb.items} == {"yesno"}
    assert len(cb.items) >= 6


@needs_real
def test_real_google_forms_race_is_multi_response():
    path = REAL / "ask-a-manager-2021" / "Ask A Manager Salary Survey 2021 (Responses).xlsx"
    table = read_table(path)
    assert table.layout == "google-forms" and table.dropped == ("Timestamp",)
    cb = infer_codebook(table)
    (race,) = cb.multi
    assert race.separator == ", "
    assert "Hispanic, Latino, or Spanish origin" in race.options and len(race.options) == 7
