"""validate_survey: every problem at once, each with its row and column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from surveykit.errors import CodebookError
from surveykit.ingest import RawTable
from surveykit.model import Breakdown, Codebook, Item, MultiResponse
from surveykit.presets import AGREE5, numeric_scale
from surveykit.survey import Survey
from surveykit.validate import Problem, validate_survey

CB = Codebook(
    items=(Item("q1", "Q1", "Q1", AGREE5), Item("q2", "Q2", "Q2", AGREE5),
           Item("q3", "Q3", "Q3", numeric_scale(5))),
    breakdowns=(Breakdown("team", "Team", "Team", groups=("North", "South")),),
    id_column="id",
)


def table(rows, columns=("id", "Team", "Q1", "Q2", "Q3", "Notes")) -> RawTable:
    return RawTable(frame=pd.DataFrame(rows, columns=list(columns)), source="s.csv",
                    first_data_row=2)


GOOD = [
    (1, "North", "Agree", "Disagree", 4, ""),
    (2, "south", "Strongly agree", "Agree", 5, ""),
    (3, "North", "Disagree", None, 2, ""),
]


def test_clean_data_has_only_the_unlisted_column_warning():
    problems = validate_survey(table(GOOD), CB)
    assert problems == [Problem("warning", "column in the data but not in the codebook "
                                "(not analysed)", None, "Notes")]


def test_every_problem_is_reported_with_row_and_column():
    rows = GOOD + [
        (4, "West", "Agre", "Agree", 7, ""),       # unknown answer, value outside, new group
        (4, "North", "Agree", "Agree", 3, ""),     # duplicate id
        (6, None, None, None, None, None),         # empty row
        (7, "North", "Agre", "Agree", "9", ""),    # same typo again: one problem, 2 answers
    ]
    problems = validate_survey(table(rows), CB)
    lines = {(p.severity, p.row, p.column, p.message.split(" (")[0]) for p in problems}
    assert ("error", 5, "Q1", "answer 'Agre' is not on scale 'agree5'") in lines
    assert ("error", 5, "Q3", "value 7 is outside scale 'numeric1to5'") in lines
    assert ("error", 8, "Q3", "value '9' is outside scale 'numeric1to5'") in lines
    assert ("error", 5, "id", "respondent id 4 appears 2 times") in lines
    assert ("warning", 5, "Team", "group 'West' is not listed for breakdown 'team'") in lines
    assert ("warning", 7, None, "empty row: no answer to any question") in lines
    typo = next(p for p in problems if "'Agre'" in p.message)
    assert "(2 answers)" in typo.message
    assert [p.severity for p in problems] == sorted(p.severity for p in problems)  # errors 1st


def test_codebook_columns_missing_from_the_data():
    frame_cols = ("id", "Team", "Q1", "Q3", "Notes")
    rows = [(1, "North", "Agree", 3, ""), (2, "South", "Agree", 4, "")]
    problems = validate_survey(table(rows, frame_cols), CB)
    assert Problem("error", "column in the codebook but not in the data", None, "Q2") \
        in problems


def test_straight_lining_is_a_warning():
    items = tuple(Item(f"q{i}", f"Q{i}", f"Q{i}", AGREE5) for i in range(1, 7))
    cb = Codebook(items=items)
    frame = pd.DataFrame([["Agree"] * 6, ["Agree", "Disagree"] * 3, ["agree"] * 5 + [None]],
                         columns=[i.column for i in items])
    problems = validate_survey(RawTable(frame=frame, source="s.csv"), cb)
    assert problems == [Problem("warning", "straight-lining: the same answer ('Agree') to all "
                                "6 items on scale 'agree5'", 2)]


def test_straight_lining_is_judged_within_a_scale():
    """ "4" on 1-5 and "Agree" share a position on their scales but are different answers."""
    agree = tuple(Item(f"a{i}", f"A{i}", f"A{i}", AGREE5) for i in range(5))
    numbers = tuple(Item(f"n{i}", f"N{i}", f"N{i}", numeric_scale(5)) for i in range(5))
    frame = pd.DataFrame([["Agree"] * 5 + ["4"] * 5,          # same answer within each scale
                          ["Agree"] * 5 + ["4", "4", "4", "4", "5"],
                          ["Agree", "Agree", "Disagree", "Agree", "Agree"] + ["2"] * 5],
                         columns=[i.column for i in agree + numbers])
    problems = validate_survey(RawTable(frame=frame, source="s.csv"),
                               Codebook(items=agree + numbers))
    assert problems == [
        Problem("warning", "straight-lining: the same answer ('Agree') to all 5 items on scale "
                "'agree5'", 2),
        Problem("warning", "straight-lining: the same answer ('4') to all 5 items on scale "
                "'numeric1to5'", 2),
        Problem("warning", "straight-lining: the same answer ('Agree') to all 5 items on scale "
                "'agree5'", 3),
        Problem("warning", "straight-lining: the same answer ('2') to all 5 items on scale "
                "'numeric1to5'", 4),
    ]


def test_one_line_format():
    p = Problem("error", "answer 'x' is not on scale", 4, "Q1")
    assert p.one_line("s.csv") == "s.csv, row 4, column 'Q1': error: answer 'x' is not on scale"


def test_no_errors_exactly_when_survey_builds():
    """validate and Survey.from_frame agree on what is an unknown answer."""
    rows = [(1, "North", "Agree", "Don’t know", 4, ""), (2, "North", " AGREE ", "agree", 1, "")]
    cb = Codebook(items=(Item("q1", "Q1", "Q1", AGREE5),
                         Item("q2", "Q2", "Q2", AGREE5.__class__(
                             **{**AGREE5.__dict__, "not_applicable": ("Don't know",)})),
                         Item("q3", "Q3", "Q3", numeric_scale(5))), id_column="id")
    t = table(rows)
    assert not [p for p in validate_survey(t, cb) if p.severity == "error"]
    Survey.from_frame(t.frame, cb)
    bad = table(rows + [(3, "North", "Agree", "Agree", 6, "")])
    assert [p for p in validate_survey(bad, cb) if p.severity == "error"]
    with pytest.raises(CodebookError):
        Survey.from_frame(bad.frame, cb)


def test_a_large_clean_file_has_no_problems():
    # Speed is measured by benchmarks, not asserted here (timed tests fail on busy machines).
    n = 20_000
    rng = np.random.default_rng(0)
    labels = np.array(AGREE5.labels, dtype=object)
    items = tuple(Item(f"q{i}", f"Q{i}", f"Q{i}", AGREE5) for i in range(20))
    frame = pd.DataFrame({f"Q{i}": labels[rng.integers(0, 5, n)] for i in range(20)})
    frame["id"] = np.arange(n)
    problems = validate_survey(RawTable(frame=frame, source="big.csv"),
                               Codebook(items=items, id_column="id"))
    assert problems == []


def test_category_set_answers_not_among_the_options_are_errors():
    cb = Codebook(items=(Item("q1", "Q1", "Q1", AGREE5),), multi=(MultiResponse(
        "news", "Where do you hear news?", ("Intranet", "Email"), columns=("first", "second"),
        coding="categories"),))
    frame = pd.DataFrame({"Q1": ["Agree"] * 3, "first": ["Intranet", "Fax", "Fax"],
                          "second": ["email", None, "Pigeon"]})
    problems = validate_survey(RawTable(frame=frame, source="s.sav", first_data_row=1), cb)
    assert problems == [
        Problem("error", "answer 'Fax' is not an option of multi question 'news' (2 answers)",
                2, "first"),
        Problem("error", "answer 'Pigeon' is not an option of multi question 'news'", 3,
                "second"),
    ]


VALIDATE_CSV = """id,Team,Q1,Q2,Q3,Q4,Q5,Q6,Notes
1,North,Agree,Agree,Agree,Agree,Agree,4,
2,South,Agre,Disagree,Agree,Agree,Disagree,7,
2,North,Agree,Disagree,Strongly agree,Agree,Agree,2,
,,,,,,,,
5,West,Disagree,Agree,Agree,Disagree,Agree,3,
6,North,Agree,Agre,Disagree,Agree,,9,
"""
VALIDATE_YAML = """id: id
items:
  - {id: q1, column: Q1, scale: agree5}
  - {id: q2, column: Q2, scale: agree5}
  - {id: q3, column: Q3, scale: agree5}
  - {id: q4, column: Q4, scale: agree5}
  - {id: q5, column: Q5, scale: agree5}
  - {id: q6, column: Q6, scale: numeric1to5}
  - {id: q7, column: Q7, scale: agree5}
breakdowns:
  - {id: team, column: Team, groups: [North, South]}
"""


def test_validate_command_lists_every_problem_with_row_and_column(tmp_path):
    from typer.testing import CliRunner

    from surveykit.cli import app

    data, cb = tmp_path / "s.csv", tmp_path / "s.yaml"
    data.write_text(VALIDATE_CSV)
    cb.write_text(VALIDATE_YAML)
    result = CliRunner().invoke(app, ["validate", str(data), "--codebook", str(cb)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{data}, column 'Q7': error: column in the codebook but not in the data",
        f"{data}, row 3, column 'Q1': error: answer 'Agre' is not on scale 'agree5' "
        "('Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', "
        "'Strongly agree')",
        f"{data}, row 3, column 'Q6': error: value '7' is outside scale 'numeric1to5' (1..5)",
        f"{data}, row 3, column 'id': error: respondent id '2' appears 2 times (rows 3, 4)",
        f"{data}, row 7, column 'Q2': error: answer 'Agre' is not on scale 'agree5' "
        "('Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', "
        "'Strongly agree')",
        f"{data}, row 7, column 'Q6': error: value '9' is outside scale 'numeric1to5' (1..5)",
        f"{data}, column 'Notes': warning: column in the data but not in the codebook "
        "(not analysed)",
        f"{data}, row 2: warning: straight-lining: the same answer ('Agree') to all 5 items "
        "on scale 'agree5'",
        f"{data}, row 5: warning: empty row: no answer to any question",
        f"{data}, row 6, column 'Team': warning: group 'West' is not listed for breakdown "
        "'team' (1 respondent(s)); add it to the codebook's groups or map",
        f"{data}: 6 rows, 6 error(s), 4 warning(s)",
    ]
    assert "empty row(s) inside the table (first: row 5)" in result.stderr


def test_validate_exit_codes(tmp_path):
    """0 with warnings only, 1 with --strict, 1 for errors, 1 with one line for a bad file."""
    from typer.testing import CliRunner

    from surveykit.cli import app

    runner = CliRunner()
    data, cb = tmp_path / "s.csv", tmp_path / "s.yaml"
    data.write_text("id,Team,Q1,Notes\n1,North,Agree,x\n2,South,Disagree,y\n")
    cb.write_text("id: id\nitems:\n  - {id: q1, column: Q1, scale: agree5}\n"
                  "breakdowns: [Team]\n")
    warned = runner.invoke(app, ["validate", str(data), "-c", str(cb)])
    assert warned.exit_code == 0, warned.output
    assert warned.stdout.splitlines()[-1] == f"{data}: 2 rows, 0 error(s), 1 warning(s)"
    assert runner.invoke(app, ["validate", str(data), "-c", str(cb), "--strict"]).exit_code == 1
    data.write_text("id,Team,Q1,Notes\n1,North,Agree,x\n1,South,Disagree,y\n")
    assert runner.invoke(app, ["validate", str(data), "-c", str(cb)]).exit_code == 1
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["validate", str(empty), "-c", str(cb)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"surveykit: error: {empty}: the file is empty\n"
