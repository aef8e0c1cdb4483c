"""``results.json``: the machine-readable contract that CI scripts read.

Full precision, stable key order, no timestamps, so the same input gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit import __version__
from surveykit.analysis.results import SurveyResults

if TYPE_CHECKING:
    from surveykit.analysis.waves import WaveComparison

SCHEMA_VERSION = 1


def results_payload(results: SurveyResults, *, config: dict[str, Any] | None = None,
                    comparison: WaveComparison | None = None) -> dict[str, Any]:
    """The JSON document as a dict: schema header first, then every figure.

    With ``comparison`` a top-level ``"comparison"`` key holds
    :meth:`WaveComparison.to_dict` (after ``"config"``); without, the document is exactly
    that of a single wave.
    """
    body = results.to_dict()
    payload: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "surveykit_version": __version__,
        "source": Path(results.source).name if results.source else None,
    }
    payload.update(body)
    if config is not None:
        payload["config"] = config
    if comparison is not None:
        payload["comparison"] = comparison.to_dict()
    return payload


def render_json(results: SurveyResults, path: str | Path | None = None, *,
                config: dict[str, Any] | None = None,
                comparison: WaveComparison | None = None) -> str:
    """Serialise results; write to ``path`` when given. Returns the text.

    ``config`` (the resolved run configuration) and ``comparison`` (the change since
    earlier waves) are added as top-level keys when given.

    Raises
    ------
    ValueError
        If results were not passed through :func:`surveykit.suppress` first: unsuppressed
        figures must never reach a file.
    """
    if not results.suppression_applied:
        raise ValueError("results must pass through surveykit.suppress() before rendering")
    text = json.dumps(results_payload(results, config=config, comparison=comparison),
                      indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
