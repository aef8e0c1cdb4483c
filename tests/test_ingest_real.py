"""Every real export in ../shared/data/real through ``surveykit init`` and ``surveykit
analyse``, as an analyst would run them: no hand edits, the draft codebook as written.

One parametrised test per file; skipped when ../shared is absent (set
$SURVEYKIT_SHARED_DATA to point elsewhere). Files that are not respondent-level surveys get
one honest line and exit code 1 instead of a paper.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from surveykit.cli import app
from surveykit.codebook import dump_codebook, load_codebook, parse_codebook
from surveykit.inference import infer_codebook
from surveykit.survey import Survey


def _real() -> Path | None:
    env = os.environ.get("SURVEYKIT_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
    return path if path.is_dir() else None


REAL = _real()
SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".sav", ".zsav", ".por", ".parquet"}

REFUSED = {  # not a respondent-level survey, and the one line each gets
    "HH-cran/NZScienceTeaching.csv": "this looks like a table of counts already aggregated",
    "HH-cran/ProfChal.csv": "this looks like a table of counts already aggregated",
    "pyreadstat-test_data/missing_char.sav": "no survey items recognised",  # 1 column
    "pyreadstat-test_data/missing_test.sav": "no survey items recognised",  # 1 column
    "qualtRics/sample.csv": "only 1 response",
    "qualtRics/sample_legacy.csv": "only 1 response",
    "spss_codebook_export/spss27.sav": "no survey items recognised",  # id, sex, height, weight
    "spss_codebook_export/spss_variable_types.sav": "only 1 response",
    # a two-column list of variable names and labels, not responses
    "surveydata-andrie/membersurvey_variable_labels.csv": "no survey items recognised",
}
MULTI_ONLY = {  # no scaled items, but tick-all-that-apply questions to report
    "ask-a-manager-2021/Ask A Manager Salary Survey 2021 (Responses).xlsx",
    "pyreadstat-test_data/simple_alltypes.sav",
}
BREAKDOWNS = {  # the default breakdowns the draft codebook picks, where the choice matters
    "ask-a-manager-2021/Ask A Manager Salary Survey 2021 (Responses).xlsx": [
        "What industry do you work in?", "How old are you?"],
    "fivethirtyeight/star-wars-survey/StarWars.csv": ["Location (Census Region)", "Gender"],
    "fivethirtyeight/steak-survey/steak-risk-survey.csv": ["Location (Census Region)",
                                                           "Gender"],
    "osmi-mental-health-2016/mental-heath-in-tech-2016_20161114.csv": [
        "How many employees does your company or organization have?", "What is your gender?"],
    "rse-international-survey/2017/uk/data/public_data.csv": [
        "currentEmp1. What type of organisation do you work for?",
        "currentEmp10. What type of contract are you employed on?"],
    "spss_codebook_export/37110-0001-Data.sav": ["LOCATION", "LOCATION_FOUR"],
    "spss_codebook_export/sleep.sav": ["sex", "marital"],
    "spss_codebook_export/survey.sav": ["sex", "marital"],
}


def _files() -> list[str]:
    if REAL is None:
        return ["(../shared/data/real absent)"]
    return sorted(str(p.relative_to(REAL)) for p in REAL.rglob("*")
                  if p.is_file() and p.suffix.lower() in SUFFIXES)


@pytest.fixture
def quick_exact_tests(monkeypatch):
    """Fewer Monte Carlo resamples for Fisher's test: this test checks what is read and
    analysed, not p-values, and 20,000 resamples per table take most of a run's time."""
    import surveykit.analysis.exact as exact
    import surveykit.analysis.itemstats as itemstats
    import surveykit.analysis.multitests as multitests

    full = exact.fisher_test

    @functools.wraps(full)
    def quick(table, *, resamples=0, max_tables=0):
        return full(table, resamples=300, max_tables=5_000)

    monkeypatch.setattr(itemstats, "fisher_test", quick)
    monkeypatch.setattr(multitests, "fisher_test", quick)


@pytest.mark.skipif(REAL is None, reason="../shared/data/real is not present")
@pytest.mark.parametrize("name", _files())
def test_real_export_through_init_and_analyse(tmp_path, name, quick_exact_tests,
                                              monkeypatch):
    import surveykit.inference

    path = REAL / name
    data = path.read_bytes()
    draft = tmp_path / "codebook.yaml"
    seen = {}  # what init read and inferred, kept to check the draft against

    def infer_and_keep(table, **kwargs):
        seen["table"] = table
        seen["cb"] = infer_codebook(table, **kwargs)
        return seen["cb"]

    runner = CliRunner()
    with monkeypatch.context() as patch:
        patch.setattr(surveykit.inference, "infer_codebook", infer_and_keep)
        result = runner.invoke(app, ["init", str(path), "-o", str(draft)])
    if name in REFUSED:
        assert result.exit_code == 1, result.output
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"surveykit: error: {path}: {REFUSED[name]}"), line
        assert not draft.exists()
        return
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"Wrote {draft}"

    # The draft on disk says what inference decided: same coding, all breakdowns included.
    table, inferred = seen["table"], seen["cb"]
    full = parse_codebook(yaml.safe_load(dump_codebook(inferred, active_breakdowns=len(
        inferred.breakdowns))))
    a = Survey.from_frame(table.frame, inferred)
    b = Survey.from_frame(table.frame, full)
    assert np.array_equal(a.item_codes, b.item_codes)
    assert dict(a.groups) == dict(b.groups)
    cb = load_codebook(draft)
    assert cb.items == inferred.items and cb.multi == inferred.multi
    assert cb.breakdowns == inferred.breakdowns[:2]

    out = tmp_path / "out"
    args = ["analyse", str(path), "--codebook", str(draft), "--out", str(out), "--format",
            "json"]
    if len(table.frame) < 10:
        # Fewer respondents than the default minimum group: the all-staff figures alone
        # would break the anonymity rule, so nothing is written unless it is lowered.
        refused = runner.invoke(app, args)
        assert refused.exit_code == 1
        assert "fewer than the minimum group of 10" in refused.stderr and not out.exists()
        args += ["--min-group", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert payload["respondents"] == len(table.frame)
    if name in MULTI_ONLY:
        assert not payload["items"] and payload["multi"]
    else:
        assert payload["items"] and all(i["overall"]["n"] > 0 for i in payload["items"][:1])
    # The breakdowns are the draft's two, and each is a real grouping: not the respondent id,
    # not free text, not a column with a group per respondent.
    assert payload["breakdowns"] == [x.id for x in cb.breakdowns]
    text_columns = {t.column for t in cb.text}
    for b in cb.breakdowns:
        assert b.column != cb.id_column and b.column not in text_columns
        groups = a.groups[b.id]
        assert 2 <= len(groups) <= 31, (b.column, groups)
        assert len(groups) < 0.5 * len(table.frame) or len(table.frame) < 40
    if name in BREAKDOWNS:
        assert [b.column for b in cb.breakdowns] == BREAKDOWNS[name]
    assert path.read_bytes() == data
