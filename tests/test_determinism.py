"""Same inputs and settings, same bytes: two runs of the installed command from different
working folders and time zones write identical results.json, results.csv, briefing.html and
manifest.json (issue 6: reproducible runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE

SURVEYKIT = Path(sys.executable).parent / "surveykit"
TEXT_OUTPUTS = ("results.json", "results.csv", "briefing.html", "manifest.json")


def _analyse(cwd: Path, tz: str) -> Path:
    cwd.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVEYKIT_")}
    env.pop("SOURCE_DATE_EPOCH", None)
    env["TZ"] = tz
    proc = subprocess.run(
        [str(SURVEYKIT), "analyse", str(EXAMPLE / "survey.xlsx"),
         "--previous", str(EXAMPLE / "survey-2025.xlsx"),
         "--population", str(EXAMPLE / "headcounts.csv"),
         "--format", "html,json,csv", "--out", "out"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return cwd / "out"


def test_two_runs_in_different_folders_and_time_zones_are_byte_identical(tmp_path):
    first = _analyse(tmp_path / "a", "Europe/London")
    second = _analyse(tmp_path / "deeper" / "b", "Pacific/Kiritimati")  # UTC+14
    for name in TEXT_OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # Nothing about where or when it ran leaks into the files.
    for name in TEXT_OUTPUTS:
        text = (first / name).read_text(encoding="utf-8")
        assert str(tmp_path) not in text and str(EXAMPLE) not in text, name
