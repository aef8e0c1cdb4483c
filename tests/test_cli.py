"""The command line: help, version, outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from surveykit import __version__
from surveykit.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_version_and_help():
    out = run("--version")
    assert out.exit_code == 0 and out.output.strip() == f"surveykit {__version__}"
    out = run("--help")
    assert out.exit_code == 0 and "analyse" in out.output
    help_text = run("analyse", "--help")
    assert help_text.exit_code == 0
    # Square brackets in help are text, not rich markup that swallows them.
    flat = " ".join(help_text.output.split())
    assert "[default: surveykit-output]" in flat and "[tool.surveykit]" in flat


def test_python_dash_m_works():
    proc = subprocess.run([sys.executable, "-m", "surveykit", "--version"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and __version__ in proc.stdout


def test_analyse_example_writes_outputs(tmp_path):
    out = run("analyse", EXAMPLE / "survey.xlsx", "--codebook", EXAMPLE / "codebook.yaml",
              "--out", tmp_path, "--format", "html,json")
    assert out.exit_code == 0, out.output
    payload = json.loads((tmp_path / "results.json").read_text())
    assert payload["breakdowns"] == ["sector", "role"]  # default --by: codebook breakdowns
    assert (tmp_path / "briefing.html").read_text().startswith("<!DOCTYPE html>")
    assert "results.json" in out.output and "briefing.html" in out.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".surveykit-")]


def test_default_run_says_when_the_pdf_cannot_be_made(tmp_path, monkeypatch):
    """Where WeasyPrint cannot load (Pango missing), the default run writes the other
    outputs and says on stderr that the PDF is missing, and how to get it."""
    from surveykit.render import pdf

    monkeypatch.setattr(pdf, "pdf_available", lambda: False)
    out = run("analyse", EXAMPLE / "survey.xlsx", "--out", tmp_path)
    assert out.exit_code == 0, out.output
    assert "note: briefing.pdf not written: PDF output needs WeasyPrint" in out.stderr
    assert (tmp_path / "briefing.html").exists() and not (tmp_path / "briefing.pdf").exists()


def test_analyze_alias_and_by_flag(tmp_path):
    out = run("analyze", EXAMPLE / "survey.xlsx", "-c", EXAMPLE / "codebook.yaml",
              "--by", "role", "--out", tmp_path, "--format", "json")
    assert out.exit_code == 0, out.output
    assert json.loads((tmp_path / "results.json").read_text())["breakdowns"] == ["role"]


def test_by_a_data_column_not_in_the_codebook(tiny_csv, tmp_path):
    from conftest import TINY_CODEBOOK

    cb = tmp_path / "no_breakdowns.yaml"
    cb.write_text(TINY_CODEBOOK.split("breakdowns:")[0])
    out = run("analyse", tiny_csv, "-c", cb, "--by", "Team", "--out", tmp_path,
              "--format", "json", "--min-group", "2")
    assert out.exit_code == 0, out.output
    assert json.loads((tmp_path / "results.json").read_text())["breakdowns"] == ["Team"]


def test_missing_file_exit_1_one_line(tmp_path):
    out = run("analyse", tmp_path / "nope.xlsx", "--out", tmp_path / "o")
    assert out.exit_code == 1
    assert out.output.strip().count("\n") == 0
    assert "nope.xlsx" in out.output and "not found" in out.output
    assert "Traceback" not in out.output
    assert not (tmp_path / "o").exists()


def test_unreadable_file_exit_1(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    out = run("analyse", bad, "--out", tmp_path / "o")
    assert out.exit_code == 1
    assert "broken.xlsx" in out.output and "Traceback" not in out.output
    assert not (tmp_path / "o").exists()


def test_truncated_xlsx_exit_1(tmp_path):
    good = (EXAMPLE / "survey.xlsx").read_bytes()
    bad = tmp_path / "truncated.xlsx"
    bad.write_bytes(good[: len(good) // 2])
    out = run("analyse", bad, "--out", tmp_path / "o")
    assert out.exit_code == 1 and "truncated.xlsx" in out.output


def test_unknown_breakdown_is_a_usage_error(tmp_path):
    out = run("analyse", EXAMPLE / "survey.xlsx", "-c", EXAMPLE / "codebook.yaml",
              "--by", "nosuchcolumn", "--out", tmp_path / "o")
    assert out.exit_code == 2
    assert "nosuchcolumn" in out.output and "Traceback" not in out.output


def test_codebook_column_missing_from_data_exit_1(tiny_csv, tmp_path):
    cb = tmp_path / "cb.yaml"
    cb.write_text("items:\n  - {id: x, column: Not There, scale: agree5}\n")
    out = run("analyse", tiny_csv, "-c", cb, "--out", tmp_path / "o")
    assert out.exit_code == 1
    assert "Not There" in out.output and "codebook" in out.output


def test_unknown_answer_names_file_row_and_column(tiny_frame, tiny_codebook_path, tmp_path):
    tiny_frame.loc[5, "Q1"] = "Agree strongly-ish"
    path = tmp_path / "bad.csv"
    tiny_frame.to_csv(path, index=False)
    out = run("analyse", path, "-c", tiny_codebook_path, "--out", tmp_path / "o")
    assert out.exit_code == 1
    # data row index 5 is spreadsheet row 7 (header on row 1)
    assert "bad.csv, row 7, column 'Q1'" in out.output
    assert "Agree strongly-ish" in out.output


def test_debug_shows_traceback(tmp_path):
    out = run("analyse", tmp_path / "nope.csv", "--debug")
    assert out.exit_code != 0 and out.exception is not None


def test_bad_flag_values_are_usage_errors(tmp_path):
    assert run("analyse", EXAMPLE / "survey.xlsx", "--format", "docx").exit_code == 2
    assert run("analyse", EXAMPLE / "survey.xlsx", "--correction", "magic",
               "-c", EXAMPLE / "codebook.yaml", "--out", tmp_path).exit_code == 2
    assert run("analyse").exit_code == 2


def test_input_file_is_never_changed(tmp_path):
    before = (EXAMPLE / "survey.xlsx").read_bytes()
    run("analyse", EXAMPLE / "survey.xlsx", "-c", EXAMPLE / "codebook.yaml", "--out", tmp_path)
    assert (EXAMPLE / "survey.xlsx").read_bytes() == before


def test_inferred_codebook_is_reported(tiny_csv, tmp_path):
    out = run("analyse", tiny_csv, "--out", tmp_path, "--format", "json", "--min-group", "2")
    assert out.exit_code == 0, out.output
    assert "inferred:" in out.output and "agree5" in out.output


def test_init_writes_a_codebook_that_analyse_uses(tiny_csv, tmp_path):
    cb = tmp_path / "draft.yaml"
    out = run("init", tiny_csv, "-o", cb)
    assert out.exit_code == 0, out.output
    assert run("init", tiny_csv, "-o", cb).exit_code == 2  # no silent overwrite
    out = run("analyse", tiny_csv, "-c", cb, "--out", tmp_path / "o", "--format", "json",
              "--min-group", "2")
    assert out.exit_code == 0, out.output


def test_validate_clean_example_exits_0():
    out = run("validate", EXAMPLE / "survey.xlsx")
    assert out.exit_code == 0, out.output
    assert "0 error(s), 0 warning(s)" in out.output


def test_validate_reports_row_and_column_and_exits_1(tiny_frame, tiny_codebook_path, tmp_path):
    tiny_frame.loc[2, "Q2"] = "Mostly agree"
    tiny_frame.loc[6, "id"] = 1  # duplicate respondent id
    path = tmp_path / "bad.csv"
    tiny_frame.to_csv(path, index=False)
    out = run("validate", path, "-c", tiny_codebook_path)
    assert out.exit_code == 1
    assert "row 4, column 'Q2'" in out.output and "Mostly agree" in out.output
    assert "respondent id '1' appears 2 times" in out.output


def test_validate_strict_fails_on_warnings(tiny_frame, tiny_codebook_path, tmp_path):
    tiny_frame["Extra"] = "x"  # a column the codebook does not know: a warning
    path = tmp_path / "warn.csv"
    tiny_frame.to_csv(path, index=False)
    assert run("validate", path, "-c", tiny_codebook_path).exit_code == 0
    assert run("validate", path, "-c", tiny_codebook_path, "--strict").exit_code == 1
