"""Shared fixtures: a tiny survey you can count by hand, and paths to bundled data."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "glasgow"
REFERENCE = ROOT / "tests" / "reference"


def shared_data() -> Path | None:
    """``../shared/data/real`` beside the repository, or $SURVEYKIT_SHARED_DATA."""
    env = os.environ.get("SURVEYKIT_SHARED_DATA")
    path = Path(env) if env else ROOT.parent / "shared" / "data" / "real"
    return path if path.is_dir() else None


TINY_CODEBOOK = """
title: Tiny survey
id: id
scales:
  agree5:
    labels: [Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree]
    positive: [Agree, Strongly agree]
    neutral: [Neither agree nor disagree]
    negative: [Strongly disagree, Disagree]
    not_applicable: [Don't know]
items:
  - {id: q1, column: Q1, label: I know where to refer someone, scale: agree5, theme: Referral}
  - {id: q2, column: Q2, label: Employability is not my job, scale: agree5, theme: Job,
     reverse: true}
breakdowns:
  - {id: team, column: Team, label: Team, groups: [North, South]}
"""

# 8 respondents. Hand counts for Q1 (valid base excludes "Don't know" and blanks):
#   North (ids 1-4): SA, A, D, Don't know       -> n=3, positive 2, negative 1
#   South (ids 5-8): N, SD, A, (blank)          -> n=3, positive 1, neutral 1, negative 1
TINY_ROWS = [
    (1, "North", "Strongly agree", "Strongly disagree"),
    (2, "north ", "Agree", "Disagree"),
    (3, "North", "Disagree", "Agree"),
    (4, "NORTH", "Don't know", "Strongly agree"),
    (5, "South", "Neither agree nor disagree", "Neither agree nor disagree"),
    (6, "South", "strongly DISAGREE", "Disagree"),
    (7, "South", "Agree", None),
    (8, "South", None, "Don’t know"),
]


@pytest.fixture
def tiny_frame() -> pd.DataFrame:
    return pd.DataFrame(TINY_ROWS, columns=["id", "Team", "Q1", "Q2"])


@pytest.fixture
def tiny_codebook_path(tmp_path: Path) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(TINY_CODEBOOK, encoding="utf-8")
    return path


@pytest.fixture
def tiny_csv(tmp_path: Path, tiny_frame: pd.DataFrame) -> Path:
    path = tmp_path / "tiny.csv"
    tiny_frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def example_results():
    """The bundled example analysed and suppressed with the defaults."""
    from surveykit import analyse, read_survey, suppress

    survey = read_survey(EXAMPLE / "survey.xlsx", codebook=EXAMPLE / "codebook.yaml")
    return survey, suppress(analyse(survey), min_group=10)
