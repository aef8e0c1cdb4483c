"""Configuration as code: file discovery, precedence, relative paths, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from surveykit.cli import app
from surveykit.config import RunConfig, resolve_config
from surveykit.errors import UsageError


def test_defaults_without_a_file(tmp_path):
    cfg = resolve_config({}, cwd=tmp_path, environ={})
    assert cfg == RunConfig()
    assert cfg.min_group == 10 and cfg.correction == "holm"


def test_file_then_environment_then_flags(tmp_path):
    (tmp_path / "surveykit.toml").write_text(
        'codebook = "cb/codebook.yaml"\nby = ["sector"]\nmin_group = 5\ncorrection = "bh"\n')
    cfg = resolve_config({}, cwd=tmp_path, environ={})
    assert cfg.codebook == tmp_path.resolve() / "cb" / "codebook.yaml"  # relative to the file
    assert cfg.by == ("sector",) and cfg.min_group == 5 and cfg.correction == "bh"
    cfg = resolve_config({}, cwd=tmp_path, environ={"SURVEYKIT_MIN_GROUP": "7"})
    assert cfg.min_group == 7 and cfg.correction == "bh"
    cfg = resolve_config({"min_group": 20, "by": ("role",)}, cwd=tmp_path,
                         environ={"SURVEYKIT_MIN_GROUP": "7"})
    assert cfg.min_group == 20 and cfg.by == ("role",)


def test_pyproject_tool_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.surveykit]\n'
                                             'formats = "html,json"\nalpha = 0.01\n')
    cfg = resolve_config({}, cwd=tmp_path, environ={})
    assert cfg.formats == ("html", "json") and cfg.alpha == 0.01


@pytest.mark.parametrize("text,needle", [
    ("colour = 'red'", "unknown setting 'colour'"),
    ("min_group = 0", "at least 1"),
    ("alpha = 2", "between 0 and 1"),
    ("fail_on = ['sunset']", "unknown fail_on rule"),
    ("min_group = [", "not valid TOML"),
])
def test_bad_settings_name_the_file(tmp_path, text, needle):
    (tmp_path / "surveykit.toml").write_text(text)
    with pytest.raises(UsageError) as err:
        resolve_config({}, cwd=tmp_path, environ={})
    assert needle in err.value.one_line() and "surveykit.toml" in err.value.one_line()


def test_record_has_names_not_folders(tmp_path):
    cfg = resolve_config({"codebook": tmp_path / "deep" / "codebook.yaml"}, cwd=tmp_path,
                         environ={})
    record = cfg.record()
    assert record["codebook"] == "codebook.yaml"
    assert "out" not in record
    json.dumps(record)


def test_new_wave_with_nothing_else_typed(tmp_path, monkeypatch):
    """A folder with surveykit.toml: `surveykit analyse new_wave.xlsx` needs no flags."""
    data = tmp_path / "new_wave.xlsx"
    data.write_bytes((EXAMPLE / "survey.xlsx").read_bytes())
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "cb.yaml").write_text((EXAMPLE / "codebook.yaml").read_text())
    (tmp_path / "surveykit.toml").write_text(
        'codebook = "settings/cb.yaml"\nby = ["role"]\nformats = ["json"]\nout = "paper"\n'
        "min_group = 12\n")
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(app, ["analyse", "new_wave.xlsx"])
    assert out.exit_code == 0, out.output
    payload = json.loads((tmp_path / "paper" / "results.json").read_text())
    assert payload["breakdowns"] == ["role"]
    assert payload["settings"]["min_group"] == 12
    assert not (tmp_path / "paper" / "briefing.html").exists()


def test_explicit_config_flag_and_missing_file(tmp_path):
    out = CliRunner().invoke(app, ["analyse", str(EXAMPLE / "survey.xlsx"), "--config",
                                   str(tmp_path / "nope.toml")])
    assert out.exit_code == 2 and "nope.toml" in out.output


def test_validate_reads_the_codebook_named_in_the_settings(tmp_path, monkeypatch):
    """A codebook kept at the top of a survey repository, not beside each wave's export."""
    (tmp_path / "waves").mkdir()
    data = tmp_path / "waves" / "survey.xlsx"
    data.write_bytes((EXAMPLE / "survey.xlsx").read_bytes())
    (tmp_path / "cb.yaml").write_text((EXAMPLE / "codebook.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    bare = CliRunner().invoke(app, ["validate", "waves/survey.xlsx"])
    assert "(codebook inferred)" in bare.output
    (tmp_path / "surveykit.toml").write_text('codebook = "cb.yaml"\n')
    out = CliRunner().invoke(app, ["validate", "waves/survey.xlsx"])
    assert out.exit_code == 0, out.output
    assert "1,187 rows, 0 error(s)" in out.output and "inferred" not in out.output
