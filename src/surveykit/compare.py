"""Load waves (data files or earlier ``results.json``) and compare them.

A wave given as a data file is analysed with the same codebook and breakdowns, and
suppressed with the same threshold, as the current run, so every wave is read the same way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from surveykit.analysis import analyse, suppress
from surveykit.analysis.results import SurveyResults
from surveykit.analysis.waves import Wave, WaveComparison, compare_waves
from surveykit.errors import InputError
from surveykit.model import Codebook


def wave_name(path: Path) -> str:
    """A short name for a wave: the file name, or its folder for a results.json."""
    path = Path(path)
    return path.parent.name if path.name == "results.json" and path.parent.name else path.stem


def load_wave(path: str | Path, *, codebook: str | Path | Codebook | None = None,
              by: Sequence[str] | None = None, min_group: int = 10,
              correction: str = "holm") -> Wave:
    """Read one wave: a ``results.json`` as written by surveykit, or a survey export."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("file not found", path=str(path)) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"not a readable results.json ({exc})", path=str(path)) from None
        if not isinstance(payload, dict) or payload.get("schema_version") != 1 \
                or "items" not in payload:
            raise InputError("not a surveykit results.json (schema_version 1)", path=str(path))
        return Wave.from_results_dict(wave_name(path), payload)
    from surveykit.report import load_survey

    survey, _ = load_survey(path, codebook, by or ())
    results = suppress(analyse(survey, by=by, correction=correction), min_group=min_group)
    return wave_from_results(wave_name(path), results)


def wave_from_results(name: str, results: SurveyResults) -> Wave:
    """The wave summary of suppressed results."""
    return Wave.from_results_dict(name, results.to_dict())


def compare_files(paths: Sequence[str | Path], *, codebook=None, by=None, min_group: int = 10,
                  correction: str = "holm", alpha: float = 0.05) -> WaveComparison:
    """Compare waves given as files, oldest first."""
    waves = [load_wave(p, codebook=codebook, by=by, min_group=min_group,
                       correction=correction) for p in paths]
    names = [w.name for w in waves]
    if len(set(names)) < len(names):  # two files called results.json in folders of one name
        waves = [Wave(name=f"wave {i + 1}: {w.name}", respondents=w.respondents,
                      items=w.items) for i, w in enumerate(waves)]
    return compare_waves(waves, correction=correction, alpha=alpha)
