"""Load waves (data files or earlier ``results.json``) and compare them.

A wave given as a data file is analysed with the same codebook and breakdowns, and
suppressed with the same threshold, as the current run, so every wave is read the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from surveykit.analysis import analyse, suppress
from surveykit.analysis.results import SurveyResults
from surveykit.analysis.waves import Wave, WaveComparison, compare_waves
from surveykit.errors import InputError
from surveykit.model import Codebook, Population


def wave_name(path: Path) -> str:
    """A short name for a wave: the file name, or its folder for a results.json."""
    path = Path(path)
    return path.parent.name if path.name == "results.json" and path.parent.name else path.stem


_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


def year_in(text: str | None) -> str | None:
    """The one year (1900-2099) a name or title mentions, else None."""
    found = set(_YEAR.findall(text or ""))
    return found.pop() if len(found) == 1 else None


def recorded_wave_name(path: str | Path) -> str | None:
    """The wave name an earlier run recorded in its ``results.json`` (None otherwise)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # load_wave reports what is wrong with the file
    config = payload.get("config") if isinstance(payload, dict) else None
    name = config.get("wave_name") if isinstance(config, dict) else None
    return str(name) if name else None


def wave_names(paths: Sequence[str | Path],
               known: Sequence[str | None] | None = None) -> list[str]:
    """Distinct short names for waves, oldest first.

    ``known`` holds names already decided (``--wave-name``, or one an earlier run recorded
    in its results.json), None where not. The others are named by the year in their file or
    folder name when every wave has one (``staff-2025.xlsx`` -> ``2025``), else by file
    name, else by folder name (``2025/survey.xlsx``); numbered as a last resort.
    """
    paths = [Path(p) for p in paths]
    known = list(known) if known is not None else [None] * len(paths)
    years = [k or year_in(p.stem) or year_in(p.parent.name) for k, p in zip(known, paths)]
    for names in (years,
                  [k or wave_name(p) for k, p in zip(known, paths)],
                  [k or p.parent.name or wave_name(p) for k, p in zip(known, paths)]):
        if all(names) and len(set(names)) == len(names):
            return [str(n) for n in names]
    return [f"wave {i + 1}: {wave_name(p)}" for i, p in enumerate(paths)]


def load_wave(path: str | Path, *, codebook: str | Path | Codebook | None = None,
              by: Sequence[str] | None = None, min_group: int = 10,
              correction: str = "holm", name: str | None = None,
              population: Population | None = None) -> Wave:
    """Read one wave: a ``results.json`` as written by surveykit, or a survey export.

    An export is analysed with ``codebook``, ``by``, ``min_group`` and ``correction`` as
    given, and raked to ``population`` when it is given (a results.json keeps the figures,
    weighting and suppression of the run that wrote it).
    """
    path = Path(path)
    name = name or wave_name(path)
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
        return Wave.from_results_dict(name, payload)
    from surveykit.report import load_survey

    survey, _ = load_survey(path, codebook, by or ())
    if population is not None:
        from surveykit.report import rake_protected

        survey, _, design = rake_protected(survey, population, by=by, min_group=min_group)
    else:
        design = {}
    results = suppress(analyse(survey, by=by, correction=correction, **design),
                       min_group=min_group)
    return wave_from_results(name, results)


def wave_from_results(name: str, results: SurveyResults) -> Wave:
    """The wave summary of suppressed results."""
    return Wave.from_results_dict(name, results.to_dict())


def compare_files(paths: Sequence[str | Path], *, codebook=None, by=None, min_group: int = 10,
                  correction: str = "holm", alpha: float = 0.05) -> WaveComparison:
    """Compare waves given as files, oldest first."""
    names = wave_names(paths, [recorded_wave_name(p) for p in paths])
    waves = [load_wave(p, codebook=codebook, by=by, min_group=min_group,
                       correction=correction, name=name)
             for p, name in zip(paths, names)]
    return compare_waves(waves, correction=correction, alpha=alpha)
