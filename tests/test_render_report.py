"""build_report: the five outputs, format selection, WeasyPrint missing, all-or-nothing writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from surveykit.errors import UsageError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "glasgow"
ALL = ["briefing.html", "briefing.pdf", "tables.xlsx", "results.json", "results.csv"]


def _build(out, **kwargs):
    from surveykit.report import build_report

    return build_report(EXAMPLE / "survey.xlsx", codebook=EXAMPLE / "codebook.yaml", out=out,
                        **kwargs)


def test_formats_and_parse():
    from surveykit.report import FORMATS, parse_formats

    assert FORMATS == ("html", "pdf", "xlsx", "json", "csv")
    assert parse_formats("PDF, csv,pdf") == ("pdf", "csv")
    with pytest.raises(UsageError, match="docx"):
        parse_formats("html,docx")


def test_default_is_all_five(tmp_path):
    pytest.importorskip("weasyprint")
    report = _build(tmp_path)
    assert [p.name for p in report.files] == ALL + ["manifest.json"]  # manifest always last
    for name in ALL:
        assert (tmp_path / name).stat().st_size > 1000
    assert (tmp_path / "briefing.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "tables.xlsx").read_bytes().startswith(b"PK")
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["items"]
    assert not list(tmp_path.glob(".surveykit-*"))  # the staging folder is gone


def test_selected_formats_only(tmp_path):
    report = _build(tmp_path, formats=["csv", "xlsx"])
    wanted = ["manifest.json", "results.csv", "tables.xlsx"]  # the manifest always comes too
    assert sorted(p.name for p in report.files) == wanted
    assert sorted(p.name for p in tmp_path.iterdir()) == wanted


def test_same_bytes_twice(tmp_path, monkeypatch):
    pytest.importorskip("weasyprint")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _build(tmp_path / "a")
    _build(tmp_path / "b")
    for name in ALL:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_without_weasyprint(tmp_path, monkeypatch):
    from surveykit.render import pdf
    from surveykit.report import default_formats, parse_formats

    monkeypatch.setattr(pdf, "pdf_available", lambda: False)
    assert default_formats() == ("html", "xlsx", "json", "csv")
    assert parse_formats(None) == ("html", "xlsx", "json", "csv")
    report = _build(tmp_path / "default")  # the default leaves the PDF out, and says so
    assert "briefing.pdf" not in [p.name for p in report.files]
    (note,) = report.notes
    assert note.startswith("briefing.pdf not written: PDF output needs WeasyPrint: "
                           "pip install 'surveykit[pdf]'") and "Pango" in note
    assert _build(tmp_path / "html", formats=["html"]).notes == ()  # not asked for: no note
    with pytest.raises(UsageError, match=r"WeasyPrint.*pip install 'surveykit\[pdf\]'"):
        _build(tmp_path / "asked", formats=["html", "pdf"])
    assert not (tmp_path / "asked").exists() or not list((tmp_path / "asked").iterdir())


def test_a_failing_renderer_writes_nothing(tmp_path, monkeypatch):
    from surveykit import render

    (tmp_path / "briefing.html").write_text("old paper", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(render, "render_xlsx", broken)
    with pytest.raises(RuntimeError, match="renderer broke"):
        _build(tmp_path, formats=["html", "json", "xlsx"])
    assert (tmp_path / "briefing.html").read_text(encoding="utf-8") == "old paper"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.html"]


def test_comments_threshold_never_below_min_group(tmp_path):
    report = _build(tmp_path, formats=["html"], comments=True, min_comment_group=5,
                    min_group=90)
    html = report.files[0].read_text(encoding="utf-8")
    assert "groups of at least 90 respondents" in html
    # Training (83 respondents) is below 90: hidden in the tables, no comments listed.
    assert "<h3>Training" not in html
