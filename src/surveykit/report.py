"""The whole job as one library call: read, analyse, suppress, render, write.

The CLI is a thin shell over :func:`build_report`; notebooks and CI scripts can call it
directly. Outputs are rendered in full before anything is written, then moved into place,
so a failure never leaves a half-written paper beside a stale table.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from surveykit.analysis import analyse, suppress
from surveykit.analysis.results import SurveyResults
from surveykit.codebook import load_codebook
from surveykit.errors import UsageError
from surveykit.inference import describe_codebook, infer_codebook
from surveykit.ingest import read_table
from surveykit.model import Breakdown, Codebook
from surveykit.survey import Survey

FORMATS = ("html", "json")


@dataclass(frozen=True)
class Report:
    """What a run produced."""

    results: SurveyResults
    files: tuple[Path, ...]
    inferred: tuple[str, ...] = ()


def parse_formats(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"html,json"`` -> ``("html", "json")``; unknown names are a usage error."""
    if value is None:
        return FORMATS
    parts = value.split(",") if isinstance(value, str) else list(value)
    names = tuple(dict.fromkeys(p.strip().lower() for p in parts if p.strip()))
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UsageError(f"unknown output format(s): {', '.join(unknown) or '(none)'} "
                         f"(choose from {', '.join(FORMATS)})")
    return names


def _with_breakdowns(cb: Codebook, by: Sequence[str], columns: Sequence[str]) -> Codebook:
    """Let ``--by COLUMN`` name a data column that the codebook does not list."""
    extra = []
    for key in by:
        try:
            cb.breakdown(key)
        except KeyError:
            match = [c for c in columns if c.strip().casefold() == key.strip().casefold()]
            if not match:
                known = ", ".join([b.id for b in cb.breakdowns] + list(columns)[:12])
                raise UsageError(f"--by {key!r}: no such breakdown or column "
                                 f"(try one of: {known})") from None
            extra.append(Breakdown(id=match[0], column=match[0], label=match[0]))
    if not extra:
        return cb
    from dataclasses import replace

    return replace(cb, breakdowns=cb.breakdowns + tuple(extra))


def find_codebook(path: str | Path) -> Path | None:
    """A codebook kept beside the data: ``<name>.codebook.yaml``, else ``codebook.yaml``."""
    path = Path(path)
    for candidate in (path.with_name(f"{path.stem}.codebook.yaml"),
                      path.with_name("codebook.yaml")):
        if candidate.is_file():
            return candidate
    return None


def load_survey(path: str | Path, codebook: str | Path | Codebook | None = None,
                by: Sequence[str] = (), **read_options) -> tuple[Survey, tuple[str, ...]]:
    """Read the data and its codebook; return the survey and notes on where the codebook
    came from (found beside the data, or inferred and what was inferred)."""
    table = read_table(path, **read_options)
    inferred: tuple[str, ...] = ()
    if codebook is None and (found := find_codebook(path)) is not None:
        codebook = found
        inferred = (f"using codebook {found} (found beside the data)",)
    if codebook is None:
        cb = infer_codebook(table.frame)
        inferred = tuple(describe_codebook(cb))
    elif isinstance(codebook, Codebook):
        cb = codebook
    else:
        cb = load_codebook(codebook)
    cb = _with_breakdowns(cb, by, [str(c) for c in table.frame.columns])
    survey = Survey.from_frame(table.frame, cb, source=str(path),
                               first_data_row=table.first_data_row)
    return survey, inferred


def build_report(
    path: str | Path,
    *,
    codebook: str | Path | Codebook | None = None,
    by: Sequence[str] | None = None,
    out: str | Path = "surveykit-output",
    formats: Sequence[str] = FORMATS,
    min_group: int = 10,
    correction: str = "holm",
    template_dir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    **read_options,
) -> Report:
    """Run the whole pipeline and write the requested outputs into ``out``.

    Examples
    --------
    >>> report = build_report("examples/glasgow/survey.xlsx",
    ...                       codebook="examples/glasgow/codebook.yaml",
    ...                       out="out")                               # doctest: +SKIP
    >>> [p.name for p in report.files]                                 # doctest: +SKIP
    ['briefing.html', 'results.json']
    """
    from surveykit.render import render_html, render_json

    step = progress or (lambda _msg: None)
    if min_group < 1:
        raise UsageError("--min-group must be at least 1")
    step("reading")
    survey, inferred = load_survey(path, codebook, by or (), **read_options)
    if by is None and survey.codebook.inferred:
        # An inferred codebook may find many low-cardinality columns; organisation-like
        # ones come first, and two breakdowns make a readable paper.
        by = [b.id for b in survey.codebook.breakdowns[:2]]
    step("analysing")
    results = suppress(analyse(survey, by=by, correction=correction), min_group=min_group)
    step("rendering")
    rendered: dict[str, str] = {}
    if "json" in formats:
        rendered["results.json"] = render_json(results)
    if "html" in formats:
        rendered["briefing.html"] = render_html(results, template_dir=template_dir)
    step("writing")
    files = _write_all(Path(out), rendered)
    return Report(results=results, files=files, inferred=inferred)


def _write_all(out: Path, rendered: dict[str, str]) -> tuple[Path, ...]:
    """Write every file to a temporary folder first, then move them into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(dir=out, prefix=".surveykit-") as tmp:
        for name, text in rendered.items():
            with open(Path(tmp) / name, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        for name in rendered:
            os.replace(Path(tmp) / name, out / name)
            written.append(out / name)
    return tuple(written)
