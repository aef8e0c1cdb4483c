"""The whole job as one library call: read, analyse, suppress, render, write.

The CLI is a thin shell over :func:`build_report`; notebooks and CI scripts can call it
directly. Outputs are rendered in full before anything is written, then moved into place,
so a failure never leaves a half-written paper beside a stale table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from surveykit.analysis import analyse, suppress
from surveykit.analysis.results import SurveyResults
from surveykit.codebook import load_codebook
from surveykit.errors import UsageError
from surveykit.inference import describe_codebook, infer_codebook
from surveykit.ingest import read_table
from surveykit.model import Breakdown, Codebook
from surveykit.survey import Survey

if TYPE_CHECKING:
    from surveykit.comments import CommentSection
    from surveykit.render.context import Population

#: Every output surveykit can write, in the order they are rendered.
FORMATS = ("html", "pdf", "xlsx", "json", "csv")
FILE_NAMES = {"html": "briefing.html", "pdf": "briefing.pdf", "xlsx": "tables.xlsx",
              "json": "results.json", "csv": "results.csv"}


def default_formats() -> tuple[str, ...]:
    """All five outputs; without WeasyPrint, all but the PDF."""
    from surveykit.render.pdf import pdf_available

    return FORMATS if pdf_available() else tuple(f for f in FORMATS if f != "pdf")


@dataclass(frozen=True)
class Report:
    """What a run produced."""

    results: SurveyResults
    files: tuple[Path, ...]
    inferred: tuple[str, ...] = ()


def parse_formats(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"html,json"`` -> ``("html", "json")``; unknown names are a usage error.

    None means the default: every format (without the PDF when WeasyPrint is missing).
    """
    if value is None:
        return default_formats()
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
    formats: Sequence[str] | None = None,
    min_group: int = 10,
    correction: str = "holm",
    template_dir: str | Path | None = None,
    comments: bool = False,
    min_comment_group: int = 20,
    comments_by: str | None = None,
    staff_names: Sequence[str] = (),
    population: Population | None = None,
    progress: Callable[[str], None] | None = None,
    **read_options,
) -> Report:
    """Run the whole pipeline and write the requested outputs into ``out``.

    Parameters
    ----------
    formats
        Any of ``html``, ``pdf``, ``xlsx``, ``json``, ``csv``. Default: all five, or all
        but ``pdf`` when WeasyPrint is not installed; asking for ``pdf`` without WeasyPrint
        is a usage error raised before anything is read.
    template_dir
        Templates overriding the bundled ones (HTML and PDF).
    comments
        Add an appendix of free-text comments to the paper (HTML and PDF), listed by the
        groups of ``comments_by`` (default: the first breakdown), for groups of at least
        ``min_comment_group`` respondents (never fewer than ``min_group``) whose figures
        are shown, with contact details and ``staff_names`` redacted.
    population
        Headcounts, to show response rates in the paper (see
        :class:`surveykit.render.context.Population`).

    Examples
    --------
    >>> report = build_report("examples/glasgow/survey.xlsx",
    ...                       codebook="examples/glasgow/codebook.yaml",
    ...                       out="out")                               # doctest: +SKIP
    >>> [p.name for p in report.files]                                 # doctest: +SKIP
    ['briefing.html', 'briefing.pdf', 'tables.xlsx', 'results.json', 'results.csv']
    """
    from surveykit.render import (
        render_csv,
        render_html,
        render_json,
        render_pdf,
        render_xlsx,
    )
    from surveykit.render.pdf import INSTALL_HINT, pdf_available

    step = progress or (lambda _msg: None)
    formats = default_formats() if formats is None else parse_formats(formats)
    if min_group < 1:
        raise UsageError("--min-group must be at least 1")
    if "pdf" in formats and not pdf_available():
        raise UsageError(f"{INSTALL_HINT} (or leave pdf out of --format)")
    step("reading")
    survey, inferred = load_survey(path, codebook, by or (), **read_options)
    if by is None and survey.codebook.inferred:
        # An inferred codebook may find many low-cardinality columns; organisation-like
        # ones come first, and two breakdowns make a readable paper.
        by = [b.id for b in survey.codebook.breakdowns[:2]]
    step("analysing")
    results = suppress(analyse(survey, by=by, correction=correction), min_group=min_group)
    section = None
    if comments and ("html" in formats or "pdf" in formats):
        section = paper_comments(survey, results, by=comments_by,
                                 min_group=max(min_comment_group, min_group),
                                 staff_names=staff_names)
    step("rendering")
    rendered: dict[str, str | bytes] = {}
    for fmt in formats:  # everything in memory first; nothing is written if one fails
        name = FILE_NAMES[fmt]
        if fmt == "html":
            rendered[name] = render_html(results, template_dir=template_dir, comments=section,
                                         population=population)
        elif fmt == "pdf":
            rendered[name] = render_pdf(results, template_dir=template_dir, comments=section,
                                        population=population)
        elif fmt == "xlsx":
            rendered[name] = render_xlsx(results)
        elif fmt == "json":
            rendered[name] = render_json(results)
        elif fmt == "csv":
            rendered[name] = render_csv(results)
    step("writing")
    files = _write_all(Path(out), rendered)
    return Report(results=results, files=files, inferred=inferred)


def paper_comments(survey: Survey, results: SurveyResults, *, by: str | None = None,
                   min_group: int = 20, staff_names: Sequence[str] = ()
                   ) -> CommentSection | None:
    """The comments appendix for ``results``: groups of ``by`` (default the first breakdown
    analysed), never a group whose figures are suppressed."""
    from surveykit.comments import grouped_comments

    bid = by or (results.breakdowns[0].id if results.breakdowns else None)
    hidden: set[str] = set()
    for b in results.breakdowns:
        if bid is not None and b.id == survey.codebook.breakdown(bid).id:
            hidden = {g.group for g in b.groups if g.suppressed}
    return grouped_comments(survey, bid, min_group=min_group, staff_names=staff_names,
                            exclude_groups=hidden)


def _write_all(out: Path, rendered: dict[str, str | bytes]) -> tuple[Path, ...]:
    """Write every file to a temporary folder first, then move them into ``out``.

    Text is written as UTF-8 with ``\\n`` line ends, bytes (PDF, xlsx) as they are.
    """
    from surveykit.output import write_outputs

    return write_outputs(out, rendered)
