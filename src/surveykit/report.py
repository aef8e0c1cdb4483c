"""The whole job as one library call: read, weight, analyse, suppress, compare, render, write.

The CLI is a thin shell over :func:`build_report`; notebooks and CI scripts can call it
directly. Outputs are rendered in full before anything is written, then moved into place,
so a failure never leaves a half-written paper beside a stale table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit.analysis import analyse, suppress
from surveykit.analysis.results import SurveyResults
from surveykit.codebook import load_codebook
from surveykit.errors import UsageError
from surveykit.inference import DEFAULT_BREAKDOWNS, describe_codebook, infer_codebook
from surveykit.ingest import read_table
from surveykit.model import Breakdown, Codebook, Population
from surveykit.survey import Survey

if TYPE_CHECKING:
    from surveykit.analysis.waves import WaveComparison
    from surveykit.comments import CommentSection
    from surveykit.ingest.table import RawTable

#: Every output surveykit can write, in the order they are rendered.
FORMATS = ("html", "pdf", "xlsx", "json", "csv")
FILE_NAMES = {"html": "briefing.html", "pdf": "briefing.pdf", "xlsx": "tables.xlsx",
              "json": "results.json", "csv": "results.csv"}
MANIFEST = "manifest.json"

#: ``progress(step, done, total)``: called before each stage of a run.
Progress = Callable[[str, int, int], None]


def default_formats() -> tuple[str, ...]:
    """All five outputs; without WeasyPrint, all but the PDF."""
    from surveykit.render.pdf import pdf_available

    return FORMATS if pdf_available() else tuple(f for f in FORMATS if f != "pdf")


@dataclass(frozen=True)
class Report:
    """What a run produced.

    Attributes
    ----------
    results
        The suppressed results every output was rendered from.
    files
        Paths written, ``manifest.json`` last.
    inferred
        Notes on where the codebook came from (found beside the data, or what was inferred).
    comparison
        The change since the previous wave(s), when ``previous`` was given.
    failed
        One message per ``fail_on`` rule that tripped (the outputs are still written, so a
        failing pipeline publishes the paper that shows why).
    notes
        What the run left out and why (the PDF, by default, where WeasyPrint cannot load).
    """

    results: SurveyResults
    files: tuple[Path, ...]
    inferred: tuple[str, ...] = ()
    comparison: WaveComparison | None = None
    failed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


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
    return replace(cb, breakdowns=cb.breakdowns + tuple(extra))


def _with_weight(cb: Codebook, weight: str | None, columns: Sequence[str]) -> Codebook:
    """``--weight COLUMN`` overrides the codebook's weight column."""
    if weight is None:
        return cb
    match = [c for c in columns if c == weight] or \
        [c for c in columns if c.strip().casefold() == weight.strip().casefold()]
    if not match:
        raise UsageError(f"--weight {weight!r}: no such column in the data")
    return replace(cb, weight=match[0])


def find_codebook(path: str | Path) -> Path | None:
    """A codebook kept beside the data: ``<name>.codebook.yaml``, else ``codebook.yaml``."""
    path = Path(path)
    for candidate in (path.with_name(f"{path.stem}.codebook.yaml"),
                      path.with_name("codebook.yaml")):
        if candidate.is_file():
            return candidate
    return None


def load_survey(path: str | Path, codebook: str | Path | Codebook | None = None,
                by: Sequence[str] = (), *, weight: str | None = None,
                table: RawTable | None = None, **read_options
                ) -> tuple[Survey, tuple[str, ...]]:
    """Read the data and its codebook; return the survey and notes on where the codebook
    came from (found beside the data, or inferred and what was inferred).

    ``table`` skips reading when the caller has already read the file.
    """
    table = table if table is not None else read_table(path, **read_options)
    inferred: tuple[str, ...] = ()
    if codebook is None and (found := find_codebook(path)) is not None:
        codebook = found
        inferred = (f"using codebook {found} (found beside the data)",)
    if codebook is None:
        cb = infer_codebook(table)  # the whole table: SPSS labels, wording, option sets
        inferred = tuple(describe_codebook(cb))
    elif isinstance(codebook, Codebook):
        cb = codebook
    else:
        cb = load_codebook(codebook)
    columns = [str(c) for c in table.frame.columns]
    cb = _with_weight(_with_breakdowns(cb, by, columns), weight, columns)
    survey = Survey.from_frame(table.frame, cb, source=str(path),
                               first_data_row=table.first_data_row,
                               read_warnings=table.warnings)
    return survey, inferred


def rake_protected(survey: Survey, headcounts: Population, *, by: Sequence[str] | None,
                   min_group: int) -> tuple[Survey, Any, dict[str, Any]]:
    """Weight to headcounts without letting the design give a hidden group's size away.

    Raked on its own, a group's weight is its headcount over its respondents, and a
    stratum's finite population correction carries its respondent count into every
    standard error; so a group that suppression hides would be revealed by the weighting
    report and by every figure that uses squared weights. A first, unweighted pass finds
    the groups suppression hides (in the breakdowns analysed and those of the headcounts);
    they are raked together as one margin cell (``rake_survey(pool=...)``) and merged into
    one stratum (``analyse(strata_pool=...)``).

    Returns
    -------
    survey, report, design
        The weighted survey, its :class:`~surveykit.analysis.weights.WeightingReport`,
        and the keyword arguments for :func:`~surveykit.analysis.analyse` that make the
        design: stratified by the headcounts' first breakdown with an FPC per stratum.
    """
    from surveykit.analysis.raking import hidden_groups, rake_survey

    plain = survey if survey.weights is None else replace(survey, weights=None)
    ids = [survey.codebook.breakdown(b).id for b in headcounts.breakdowns]
    look = None if by is None else list(dict.fromkeys([*by, *ids]))
    hidden = hidden_groups(suppress(analyse(plain, by=look), min_group=min_group))
    weighted, report = rake_survey(survey, headcounts, pool=hidden)
    design = {"population": headcounts, "strata_pool": tuple(hidden.get(ids[0], ()))}
    return weighted, report, design


def _plan(formats: Sequence[str], weighted: bool, compared: bool) -> list[str]:
    """The stages of a run, for progress reporting."""
    return (["reading"] + (["weighting"] if weighted else []) + ["analysing"]
            + (["comparing waves"] if compared else [])
            + [f"rendering {FILE_NAMES[f]}" for f in formats] + ["writing"])


def build_report(
    path: str | Path,
    *,
    codebook: str | Path | Codebook | None = None,
    by: Sequence[str] | None = None,
    out: str | Path = "surveykit-output",
    formats: Sequence[str] | None = None,
    min_group: int = 10,
    correction: str = "holm",
    alpha: float = 0.05,
    weight: str | None = None,
    population: str | Path | None = None,
    previous: Sequence[str | Path] = (),
    wave_name: str | None = None,
    fail_on: Sequence[str] = (),
    template_dir: str | Path | None = None,
    comments: bool = False,
    min_comment_group: int = 20,
    comments_by: str | None = None,
    staff_names: Sequence[str] = (),
    progress: Progress | None = None,
    **read_options,
) -> Report:
    """Run the whole pipeline and write the requested outputs into ``out``.

    Parameters
    ----------
    path
        The survey export.
    codebook
        Codebook file or object; default ``<name>.codebook.yaml`` or ``codebook.yaml``
        beside the data, else one inferred from the data.
    by
        Breakdowns (codebook ids or data columns); default the codebook's.
    formats
        Any of ``html``, ``pdf``, ``xlsx``, ``json``, ``csv``. Default: all five, or all
        but ``pdf`` when WeasyPrint is not installed; asking for ``pdf`` without WeasyPrint
        is a usage error raised before anything is read. ``manifest.json`` is always
        written.
    min_group, correction, alpha
        Smallest group shown; multiple-comparison correction; significance level.
    weight
        Data column of respondent weights (overrides the codebook's ``weight``).
    population
        Headcount table (``breakdown,group,headcount``): the survey is raked to it and
        analysed as stratified by its first breakdown with a finite population correction
        per stratum (as R ``svydesign(strata=, fpc=)``), and the paper shows response rates.
    previous
        Earlier waves, oldest first (survey exports or their ``results.json``): adds the
        change since the last wave to every output.
    wave_name
        What to call this wave in comparisons (recorded in results.json, so a later run
        comparing with it uses the same name); default a year in the file name, else in
        the survey's title, else the file name.
    fail_on
        CI gates (see :mod:`surveykit.gates`); tripped rules are listed in
        :attr:`Report.failed`.
    template_dir
        Templates overriding the bundled ones (HTML and PDF).
    comments
        Add an appendix of free-text comments to the paper (HTML and PDF), listed by the
        groups of ``comments_by`` (default: the first breakdown), for groups of at least
        ``min_comment_group`` respondents (never fewer than ``min_group``) whose figures
        are shown, with contact details, the codebook's ``staff_names`` and
        ``staff_names`` redacted.
    progress
        Called as ``progress(step, done, total)`` before each stage.

    Examples
    --------
    >>> report = build_report("examples/glasgow/survey.xlsx", out="out")  # doctest: +SKIP
    >>> [p.name for p in report.files]                                 # doctest: +SKIP
    ['briefing.html', 'briefing.pdf', 'tables.xlsx', 'results.json', 'results.csv',
     'manifest.json']
    """
    from surveykit.config import RunConfig
    from surveykit.render.pdf import INSTALL_HINT, pdf_available

    notes: tuple[str, ...] = ()
    if formats is None:
        formats = default_formats()
        if "pdf" not in formats:  # say so: the reader of the README expects the PDF
            notes = (f"briefing.pdf not written: {INSTALL_HINT}",)
    else:
        formats = parse_formats(formats)
    if min_group < 1:
        raise UsageError("--min-group must be at least 1")
    if not 0 < alpha < 1:
        raise UsageError("--alpha must be between 0 and 1")
    if "pdf" in formats and not pdf_available():
        raise UsageError(f"{INSTALL_HINT} (or leave pdf out of --format)")
    fail_on = _check_rules(fail_on, previous)
    plan = _plan(formats, population is not None, bool(previous))
    done = 0

    def step() -> None:
        nonlocal done
        if progress is not None:
            progress(plan[done], done, len(plan))
        done += 1

    step()
    table = read_table(path, **read_options)
    survey, inferred = load_survey(path, codebook, by or (), weight=weight, table=table)
    if by is None and survey.codebook.inferred:
        # An inferred codebook may find many low-cardinality columns; organisation-like
        # ones come first, and two breakdowns make a readable paper.
        by = [b.id for b in survey.codebook.breakdowns[:DEFAULT_BREAKDOWNS]]
    headcounts = _read_population(population) if population is not None else None
    weighting, design = None, {}
    if headcounts is not None:
        step()
        survey, wreport, design = rake_protected(survey, headcounts, by=by,
                                                 min_group=min_group)
        weighting = asdict(wreport)
    elif survey.weights is not None:
        from surveykit.analysis.weights import weighting_report

        weighting = asdict(weighting_report(survey.weights))
    step()
    results = suppress(analyse(survey, by=by, correction=correction, alpha=alpha,
                               weighting=weighting, **design), min_group=min_group)
    names = _wave_names(path, previous, wave_name, results.title)
    comparison = None
    if previous:
        step()
        comparison = _compare(path, previous, names, results, survey.codebook, by=by,
                              min_group=min_group, correction=correction, alpha=alpha,
                              population=headcounts)
    section = None
    if comments and ("html" in formats or "pdf" in formats):
        section = paper_comments(survey, results, by=comments_by,
                                 min_group=max(min_comment_group, min_group),
                                 staff_names=(*survey.codebook.staff_names, *staff_names))
    book = _codebook_file(path, codebook)
    record = RunConfig(
        codebook=book,
        by=tuple(b.id for b in results.breakdowns), weight=survey.codebook.weight,
        population=Path(population) if population is not None else None,
        min_group=min_group, correction=correction, alpha=alpha, formats=tuple(formats),
        template_dir=Path(template_dir) if template_dir is not None else None,
        previous=tuple(Path(p) for p in previous), fail_on=tuple(fail_on),
        comments=comments, min_comment_group=min_comment_group, wave_name=names[-1],
    ).record()
    rendered = _render(formats, results, step=step, config=record, comparison=comparison,
                       template_dir=template_dir, comments=section,
                       population=_response_rates(results, headcounts))
    rendered[MANIFEST] = _manifest(path, book, population, previous, template_dir, record,
                                   list(rendered))
    step()
    files = _write_all(Path(out), rendered)
    failed = _gates(fail_on, results, comparison, table, survey.codebook)
    return Report(results=results, files=files, inferred=inferred, comparison=comparison,
                  failed=tuple(failed), notes=notes)


def _render(formats: Sequence[str], results: SurveyResults, *, step: Callable[[], None],
            config: dict[str, Any], comparison: WaveComparison | None,
            template_dir: str | Path | None, comments: CommentSection | None,
            population: Any) -> dict[str, str | bytes]:
    """Every requested output, in memory: nothing is written if one of them fails."""
    from surveykit.render import render_csv, render_html, render_json, render_pdf, render_xlsx

    # Only pass a comparison when there is one: the outputs of a single wave stay as they are.
    extra: dict[str, Any] = {"comparison": comparison} if comparison is not None else {}
    paper = {"template_dir": template_dir, "comments": comments, "population": population}
    rendered: dict[str, str | bytes] = {}
    for fmt in formats:
        step()
        if fmt == "html":
            rendered[FILE_NAMES[fmt]] = render_html(results, **paper, **extra)
        elif fmt == "pdf":
            rendered[FILE_NAMES[fmt]] = render_pdf(results, **paper, **extra)
        elif fmt == "xlsx":
            rendered[FILE_NAMES[fmt]] = render_xlsx(results, **extra)
        elif fmt == "json":
            rendered[FILE_NAMES[fmt]] = render_json(results, config=config, **extra)
        elif fmt == "csv":
            rendered[FILE_NAMES[fmt]] = render_csv(results, **extra)
    return rendered


def _check_rules(fail_on: Sequence[str], previous: Sequence[str | Path]) -> tuple[str, ...]:
    from surveykit.config import FAIL_RULES

    rules = tuple(dict.fromkeys(r.strip().lower() for r in fail_on if r.strip()))
    bad = [r for r in rules if r not in FAIL_RULES]
    if bad:
        raise UsageError(f"unknown --fail-on rule(s): {', '.join(bad)} "
                         f"(rules: {', '.join(FAIL_RULES)})")
    if "worse" in rules and not previous:
        raise UsageError("--fail-on worse needs a previous wave (--previous)")
    return rules


def _read_population(path: str | Path) -> Population:
    from surveykit.ingest.population import read_population

    return read_population(path)


def _response_rates(results: SurveyResults, headcounts: Population | None) -> Any:
    """Headcounts keyed by the results' own group labels, for the paper's response rates."""
    if headcounts is None:
        return None
    from surveykit.model import normalise_label
    from surveykit.render.context import Population as Rates

    groups: dict[str, dict[str, int]] = {}
    for b in results.breakdowns:
        rows = {normalise_label(r.group): r.headcount for r in headcounts.rows
                if r.breakdown.casefold() == b.id.casefold()}
        if rows:
            groups[b.id] = {g.group: int(round(rows[normalise_label(g.group)]))
                            for g in b.groups if normalise_label(g.group) in rows}
    return Rates(total=int(round(headcounts.total())), groups=groups)


def _wave_names(path: str | Path, previous: Sequence[str | Path], given: str | None,
                title: str | None) -> list[str]:
    """Names for the previous waves and this one (last)."""
    from surveykit.compare import recorded_wave_name, wave_names, year_in

    own = given or (None if year_in(Path(path).stem) else year_in(title))
    return wave_names([*previous, path], [*(recorded_wave_name(p) for p in previous), own])


def _compare(path: str | Path, previous: Sequence[str | Path], names: Sequence[str],
             results: SurveyResults, cb: Codebook, *, by: Sequence[str] | None,
             min_group: int, correction: str, alpha: float,
             population: Population | None) -> WaveComparison:
    """This run against earlier waves, each read with this run's codebook, threshold and
    (for exports) headcounts, so like is compared with like."""
    from surveykit.analysis.waves import compare_waves
    from surveykit.compare import load_wave, wave_from_results

    paths = [Path(p) for p in previous] + [Path(path)]
    by_ids = [b.id for b in results.breakdowns] if by is None else list(by)
    waves = [load_wave(p, codebook=cb, by=by_ids, min_group=min_group, correction=correction,
                       name=name, population=population)
             for p, name in zip(paths[:-1], names[:-1])]
    waves.append(wave_from_results(names[-1], results))
    return compare_waves(waves, correction=correction, alpha=alpha)


def _codebook_file(path: str | Path, codebook: str | Path | Codebook | None) -> Path | None:
    """The codebook file a run used: the one given, or the one found beside the data
    (None for a Codebook object or an inferred codebook)."""
    if isinstance(codebook, (str, Path)):
        return Path(codebook)
    return find_codebook(path) if codebook is None else None


def _manifest(path: str | Path, book: Path | None, population: str | Path | None,
              previous: Sequence[str | Path], template_dir: str | Path | None,
              record: dict[str, Any], outputs: list[str]) -> str:
    from surveykit.manifest import build_manifest, render_manifest

    templates = (sorted(p for p in Path(template_dir).rglob("*") if p.is_file())
                 if template_dir is not None else None)
    return render_manifest(build_manifest(
        {"data": path, "codebook": book, "population": population,
         "previous": list(previous) or None, "template": templates or None},
        record, outputs + [MANIFEST]))


def _gates(rules: Sequence[str], results: SurveyResults, comparison: WaveComparison | None,
           table: RawTable, cb: Codebook) -> list[str]:
    from surveykit.gates import check_gates

    problems = ()
    if "warnings" in rules:
        from surveykit.validate import validate_survey

        problems = tuple(p.one_line(table.source) for p in validate_survey(table, cb))
    return check_gates(rules, results, comparison, validation=problems)


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
