"""`surveykit analyse` options beyond the basics: weights, headcounts, gates, manifest,
progress. Figures are checked against hand-computed values on the tiny survey."""

from __future__ import annotations

import hashlib
import io
import json
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, TINY_CODEBOOK
from surveykit.cli import _RunProgress, app
from surveykit.report import build_report

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def weighted_csv(tmp_path, tiny_frame):
    frame = tiny_frame.copy()
    frame["w"] = [2.0 if t.strip().lower() == "north" else 1.0 for t in frame["Team"]]
    path = tmp_path / "weighted.csv"
    frame.to_csv(path, index=False)
    (tmp_path / "weighted.codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    return path


def test_weight_flag_gives_weighted_percentages(weighted_csv, tmp_path):
    out = run("analyse", weighted_csv, "--weight", "w", "--min-group", "1",
              "--format", "json", "--out", tmp_path / "out")
    assert out.exit_code == 0, out.output
    payload = json.loads((tmp_path / "out" / "results.json").read_text())
    q1 = payload["items"][0]["overall"]
    # Q1, valid answers only. North (weight 2): SA, A, D -> 6 weighted, 4 positive.
    # South (weight 1): N, SD, A -> 3 weighted, 1 positive. 5 / 9 weighted; 3 / 6 unweighted.
    assert q1["pct_positive"] == pytest.approx(100 * 5 / 9)
    assert q1["n"] == 6 and q1["weighted_n"] == pytest.approx(9.0)
    assert q1["n_eff"] == pytest.approx(9.0 ** 2 / (3 * 4 + 3 * 1))  # Kish: (sum w)^2 / sum w^2
    assert payload["settings"]["weighted"] is True
    assert payload["config"]["weight"] == "w"
    assert payload["settings"]["weighting"]["sum_weights"] == pytest.approx(4 * 2 + 4 * 1)


def test_unweighted_run_of_the_same_file_differs(weighted_csv, tmp_path):
    out = run("analyse", weighted_csv, "--min-group", "1", "--format", "json",
              "--out", tmp_path / "out")
    assert out.exit_code == 0, out.output
    payload = json.loads((tmp_path / "out" / "results.json").read_text())
    assert payload["items"][0]["overall"]["pct_positive"] == pytest.approx(50.0)
    assert payload["settings"]["weighted"] is False and payload["config"]["weight"] is None


def test_unknown_weight_column_is_a_usage_error(weighted_csv, tmp_path):
    out = run("analyse", weighted_csv, "--weight", "nope", "--out", tmp_path / "out")
    assert out.exit_code == 2
    assert "--weight 'nope'" in out.output and "Traceback" not in out.output
    assert not (tmp_path / "out").exists()


def test_population_rakes_and_shows_response_rates(tmp_path):
    out = run("analyse", EXAMPLE / "survey.xlsx", "--population", EXAMPLE / "headcounts.csv",
              "--format", "json,html", "--out", tmp_path)
    assert out.exit_code == 0, out.output
    payload = json.loads((tmp_path / "results.json").read_text())
    settings = payload["settings"]
    assert settings["weighted"] is True and settings["population"] == 6200
    assert settings["ci_method"] == "logit"
    # svydesign(ids = ~1, strata = ~sector, fpc = ~N_sector, weights = ~raked) in R terms
    assert settings["design"] == "stratified by sector with finite population correction"
    assert settings["strata"]["headcounts"][:6] == [2600, 1450, 620, 1100, 240, 190]
    report = settings["weighting"]
    assert report["converged"] and report["sum_weights"] == pytest.approx(6200)
    assert report["n"] == 1187 and 0 < report["efficiency"] <= 1
    assert payload["config"]["population"] == "headcounts.csv"
    html = (tmp_path / "briefing.html").read_text()
    # 1,187 of 6,200 staff responded; Health 416 of 2,600 (16%), Employment 107 of 240 (45%).
    assert "19%" in html and "6,200" in html
    assert ">16%<" in html.replace(" ", "") and ">45%<" in html.replace(" ", "")


def test_bad_headcount_table_names_file_and_row(tmp_path):
    heads = tmp_path / "heads.csv"
    heads.write_text("breakdown,group,headcount\nsector,Health,2600\nsector,Housing,lots\n")
    out = run("analyse", EXAMPLE / "survey.xlsx", "--population", heads, "--out", tmp_path / "o")
    assert out.exit_code == 1
    assert "heads.csv, row 3, column 'headcount'" in out.output
    assert not (tmp_path / "o").exists()


@pytest.fixture
def small_groups_csv(tmp_path, tiny_csv):
    (tmp_path / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    return tiny_csv


def test_fail_on_suppressed_exits_3_after_writing(small_groups_csv, tmp_path):
    out = run("analyse", small_groups_csv, "--format", "json", "--out", tmp_path / "o",
              "--min-group", "5", "--fail-on", "suppressed")
    assert out.exit_code == 3, out.output
    assert (tmp_path / "o" / "results.json").is_file()  # the paper is still there to read
    assert "--fail-on: 2 group(s) below the threshold of 5" in out.output


def test_without_a_gate_the_same_run_passes(small_groups_csv, tmp_path):
    out = run("analyse", small_groups_csv, "--format", "json", "--out", tmp_path / "o",
              "--min-group", "5")
    assert out.exit_code == 0, out.output


def test_a_survey_smaller_than_the_threshold_reports_nothing(small_groups_csv, tmp_path):
    """8 respondents and a minimum group of 10: the all-staff figures would be a group of
    8, so nothing is written (not even the overall % positive)."""
    out = run("analyse", small_groups_csv, "--out", tmp_path / "o")
    assert out.exit_code == 1
    assert "only 8 respondent(s), fewer than the minimum group of 10" in out.output
    assert not (tmp_path / "o").exists()


def test_fail_on_warnings_sees_validation_warnings(tmp_path):
    frame = pd.read_excel(EXAMPLE / "survey.xlsx", engine="calamine")
    items = [c for c in frame.columns if c not in ("Respondent ID", "Submitted", "Sector",
                                                    "Role", "Barriers to joint working",
                                                    "Any other comments?")]
    frame.loc[0, items] = "Agree"  # one respondent straight-lines
    data = tmp_path / "survey.csv"
    frame.to_csv(data, index=False)
    args = ["analyse", data, "--codebook", EXAMPLE / "codebook.yaml", "--format", "json",
            "--out", tmp_path / "o"]
    assert run(*args).exit_code == 0
    out = run(*args, "--fail-on", "warnings")
    assert out.exit_code == 3, out.output
    assert "straight" in out.output.lower() and "row 2" in out.output


@pytest.mark.parametrize("flags,needle", [
    (["--fail-on", "sunset"], "unknown fail_on rule(s): sunset"),
    (["--fail-on", "worse"], "--fail-on worse needs a previous wave"),
])
def test_bad_gates_are_usage_errors(flags, needle, tmp_path):
    out = run("analyse", EXAMPLE / "survey.xlsx", "--out", tmp_path / "o", *flags)
    assert out.exit_code == 2 and needle in out.output
    assert not (tmp_path / "o").exists()


def test_manifest_records_inputs_settings_and_outputs(tmp_path):
    out = run("analyse", EXAMPLE / "survey.xlsx", "--population", EXAMPLE / "headcounts.csv",
              "--format", "json,csv", "--out", tmp_path)
    assert out.exit_code == 0, out.output
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    files = {f["role"]: f for f in manifest["inputs"]}
    for role, path in (("data", EXAMPLE / "survey.xlsx"),
                       ("codebook", EXAMPLE / "codebook.yaml"),
                       ("population", EXAMPLE / "headcounts.csv")):
        assert files[role]["name"] == path.name
        assert files[role]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert files[role]["bytes"] == path.stat().st_size
    results = json.loads((tmp_path / "results.json").read_text())
    assert manifest["config"] == results["config"]
    assert results["config"]["codebook"] == "codebook.yaml"  # found beside the data
    assert manifest["outputs"] == sorted(p.name for p in tmp_path.iterdir())
    assert manifest["libraries"]["numpy"] and manifest["surveykit_version"]
    assert "manifest.json" in out.output


def test_settings_file_drives_weights_gates_and_comments(tmp_path, monkeypatch, tiny_csv):
    (tmp_path / "codebook.yaml").write_text(TINY_CODEBOOK, encoding="utf-8")
    (tmp_path / "surveykit.toml").write_text(
        'formats = ["json"]\nfail_on = ["suppressed"]\ncomments = true\n'
        "min_comment_group = 30\nmin_group = 5\n")
    monkeypatch.chdir(tmp_path)
    out = run("analyse", tiny_csv.name, "--out", "o")
    assert out.exit_code == 3  # the file's gate applies
    config = json.loads((tmp_path / "o" / "results.json").read_text())["config"]
    assert config["fail_on"] == ["suppressed"] and config["comments"] is True
    assert config["min_comment_group"] == 30
    assert run("analyse", tiny_csv.name, "--out", "o", "--min-group", "3").exit_code == 0


def test_progress_reports_every_stage_in_order(tmp_path):
    seen = []
    build_report(EXAMPLE / "survey.xlsx", out=tmp_path, formats=["json", "csv"],
                 population=EXAMPLE / "headcounts.csv",
                 progress=lambda step, done, total: seen.append((step, done, total)))
    assert [s for s, _, _ in seen] == ["reading", "weighting", "analysing",
                                       "rendering results.json", "rendering results.csv",
                                       "writing"]
    assert [d for _, d, _ in seen] == list(range(6)) and {t for _, _, t in seen} == {6}


def test_progress_bar_only_on_a_terminal_and_only_after_the_delay():
    from rich.console import Console

    def drive(delay, terminal):
        buffer = io.StringIO()
        console = Console(file=buffer, force_terminal=terminal, width=80)
        with _RunProgress(console, delay=delay) as bar:
            bar("reading", 0, 3)
            bar("analysing", 1, 3)
            time.sleep(0.5)  # rich refreshes the live display from its own thread
        return buffer.getvalue()

    assert "analysing" in drive(0.0, terminal=True)
    assert drive(60.0, terminal=True).strip() == ""  # a quick run prints nothing extra
    assert drive(0.0, terminal=False) == ""  # piped output stays clean
