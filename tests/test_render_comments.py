"""Free-text comments: redaction, grouping, thresholds; the appendix in the paper."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import EXAMPLE
from surveykit.comments import REDACTED, grouped_comments, is_empty_comment, redact


@pytest.mark.parametrize("text, expected", [
    ("email me at j.mcallister@example.org please", "email me at [redacted] please"),
    ("k.doyle@ggc.example.org", "[redacted]"),
    ("Please contact me on 0141 496 0372 if you want", "Please contact me on [redacted] if you want"),
    ("phone 07700 900418 to book", "phone [redacted] to book"),
    ("Call me on 07700 900 127 - I manage", "Call me on [redacted] - I manage"),
    ("ring +44 141 496 0372 or +44 (0)7700 900418.", "ring [redacted] or [redacted]."),
    ("020 7946 0958", "[redacted]"),
    ("01632-960-123", "[redacted]"),
    ("Speak to Mr Smith or Mrs O'Neill", "Speak to [redacted] or [redacted]"),
    ("Dr. Jane Smith said so", "[redacted] said so"),
    ("Ms Brown and Prof. Ada Lovelace", "[redacted] and [redacted]"),
])
def test_redacts_contacts_and_titled_names(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "In 2006 we had 1,200 staff and 30% said yes.",
    "Two of the 10 teams, 3 days a week, 9-5.",
    "Drop-in on Tuesdays",
    "The Mrs Brown's Boys joke aside",  # over-redacts rather than misses: see below
])
def test_leaves_ordinary_numbers_alone(text):
    out = redact(text)
    if "Mrs" in text:
        assert "Brown" not in out
    else:
        assert out == text


def test_staff_names_are_redacted_case_insensitively_as_whole_words():
    text = "Ask JOHN  SMITH or john smith; Johnsmithson stays; Smith alone stays."
    out = redact(text, staff_names=["John Smith"])
    assert out == "Ask [redacted] or [redacted]; Johnsmithson stays; Smith alone stays."
    assert redact("Ann-Marie Lee helped", ["Ann-Marie Lee"]) == "[redacted] helped"


def test_empty_comments():
    for text in ("n/a", "N/A.", "Nothing to add.", " none ", "No comment", "-", ""):
        assert is_empty_comment(text), text
    assert not is_empty_comment("No time for this")


def _survey(tmp_path, rows):
    from surveykit import Survey, load_codebook

    cb = tmp_path / "cb.yaml"
    cb.write_text("""
title: T
scales:
  yn: {labels: ['No', 'Yes'], positive: ['Yes'], negative: ['No']}
items:
  - {id: q1, column: Q1, label: Q one, scale: yn}
text:
  - {id: comments, column: Comments, label: 'Any comments?'}
breakdowns:
  - {id: team, column: Team, label: Team, groups: [Big, Small, Other]}
""", encoding="utf-8")
    frame = pd.DataFrame(rows, columns=["Team", "Q1", "Comments"])
    return Survey.from_frame(frame, load_codebook(cb))


def test_grouping_thresholds_and_merging(tmp_path):
    rows = ([("Big", "Yes", "Great team")] * 3 + [("Big", "No", "Too busy")] +
            [("Big", "Yes", None)] * 20 + [("Big", "Yes", "n/a")] * 2 +
            [("Small", "Yes", "Only five of us here")] * 5 +
            [("Other", "No", "Call 0141 496 0372")] * 25)
    section = grouped_comments(_survey(tmp_path, rows), "team", min_group=20)
    groups = {g.group: g for g in section.groups}
    assert set(groups) == {"Big", "Other"}  # Small has 5 respondents
    assert section.withheld_groups == 1
    big = groups["Big"]
    assert [(c.text, c.count) for c in big.comments] == [("Great team", 3), ("Too busy", 1)]
    assert big.total == 4  # blanks and "n/a" left out
    assert groups["Other"].comments[0].text == f"Call {REDACTED}"
    assert section.redactions == 25
    assert "Only five of us here" not in repr(section)


def test_excluded_groups_are_withheld(tmp_path):
    rows = [("Big", "Yes", "Fine")] * 30 + [("Other", "Yes", "Also fine")] * 30
    section = grouped_comments(_survey(tmp_path, rows), "team", min_group=20,
                               exclude_groups={"Other"})
    assert [g.group for g in section.groups] == ["Big"]
    assert section.withheld_groups == 1


def test_no_text_question_gives_none(example_results):
    from dataclasses import replace

    survey, _ = example_results
    bare = survey.with_codebook(replace(survey.codebook, text=()))
    assert grouped_comments(bare) is None


def test_example_comments_are_redacted(example_results):
    from surveykit.report import paper_comments

    survey, results = example_results
    section = paper_comments(survey, results)
    assert section.breakdown == "sector" and section.min_group == 20
    text = " ".join(c.text for g in section.groups for c in g.comments)
    for leak in ("@example", "0141 496", "07700", "j.mcallister", "k.doyle"):
        assert leak not in text
    assert section.redactions >= 6
    # Groups are listed in breakdown order, each with at least one comment.
    order = [g.group for g in results.breakdowns[0].groups]
    assert [g.group for g in section.groups] == [g for g in order
                                                 if g in {s.group for s in section.groups}]


def test_build_report_adds_the_appendix(tmp_path):
    from pathlib import Path

    from surveykit.report import build_report

    example = Path(__file__).resolve().parents[1] / "examples" / "glasgow"
    report = build_report(example / "survey.xlsx", codebook=example / "codebook.yaml",
                          out=tmp_path, formats=["html"], comments=True,
                          staff_names=["Jane Example"])
    html = (tmp_path / "briefing.html").read_text(encoding="utf-8")
    assert "Appendix: comments" in html and "[redacted]" in html
    # Only the paper asked for (manifest.json records every run and is always written).
    assert [p.name for p in report.files if p.name != "manifest.json"] == ["briefing.html"]
    plain = build_report(example / "survey.xlsx", codebook=example / "codebook.yaml",
                         out=tmp_path / "plain", formats=["html"])
    assert "Appendix: comments" not in plain.files[0].read_text(encoding="utf-8")


def test_codebook_staff_list_is_redacted_in_the_paper(tmp_path):
    """The codebook's staff_names (here a file beside it) are redacted in the appendix."""
    from surveykit.report import build_report

    data = tmp_path / "survey.xlsx"
    data.write_bytes((EXAMPLE / "survey.xlsx").read_bytes())
    book = (EXAMPLE / "codebook.yaml").read_text(encoding="utf-8")
    (tmp_path / "codebook.yaml").write_text(book + "staff_names: staff.txt\n", encoding="utf-8")
    (tmp_path / "staff.txt").write_text("# from HR\nKirsty  Doyle\n\nManage\n", encoding="utf-8")
    plain = build_report(data, codebook=EXAMPLE / "codebook.yaml", out=tmp_path / "a",
                         formats=["html"], comments=True)
    assert plain.files
    html_plain = (tmp_path / "a" / "briefing.html").read_text(encoding="utf-8")
    build_report(data, out=tmp_path / "b", formats=["html"], comments=True)
    html = (tmp_path / "b" / "briefing.html").read_text(encoding="utf-8")
    # "I manage the service" carries the listed word "Manage" (case-insensitive, whole word)
    assert "I manage the service" in html_plain and "I manage the service" not in html
    assert "I [redacted] the service" in html


def test_staff_names_file_errors_name_the_codebook(tmp_path):
    from surveykit.codebook import load_codebook
    from surveykit.errors import CodebookError

    book = (EXAMPLE / "codebook.yaml").read_text(encoding="utf-8")
    path = tmp_path / "codebook.yaml"
    path.write_text(book + "staff_names: missing.txt\n", encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert "staff_names file 'missing.txt' not found" in err.value.one_line()
    assert str(path) in err.value.one_line()
    path.write_text(book + "staff_names: [Ann Other, '  ']\n", encoding="utf-8")
    assert load_codebook(path).staff_names == ("Ann Other",)
