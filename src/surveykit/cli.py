"""The ``surveykit`` command: parse flags, call the library, map errors to exit codes.

Exit codes: 0 success; 1 a problem with the data or the codebook (one line on stderr);
2 a usage error (bad flags). ``--debug`` shows the traceback instead of the one line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from surveykit import __version__
from surveykit.errors import SurveykitError

app = typer.Typer(
    name="surveykit",
    help="Turn a staff survey export into an honest briefing paper.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help text is plain: "[default: ...]" and "[tool.surveykit]" must not read as markup.
    rich_markup_mode=None,
)

# Shared option types, so every command spells its flags the same way.
FileArg = Annotated[Path, typer.Argument(help="The survey export (.xlsx, .csv ...).",
                                         show_default=False)]
CodebookOpt = Annotated[Optional[Path], typer.Option(
    "--codebook", "-c", help="Codebook YAML. Default: <file>.codebook.yaml or codebook.yaml "
                             "beside the data, else inferred from the data.")]
SheetOpt = Annotated[Optional[str], typer.Option("--sheet", help="Worksheet name or index.")]
HeaderRowOpt = Annotated[Optional[int], typer.Option(
    "--header-row", min=1, help="Row number of the column headers (default: detected).")]
FormatInOpt = Annotated[Optional[str], typer.Option(
    "--format-in", help="Read the file as this format (csv, excel ...), whatever its name.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]


def _fail(exc: BaseException, debug: bool) -> None:
    if debug:
        raise exc
    if isinstance(exc, SurveykitError):
        typer.echo(f"surveykit: error: {exc.one_line()}", err=True)
        raise typer.Exit(exc.exit_code)
    message = " ".join(str(exc).split()) or type(exc).__name__
    typer.echo(f"surveykit: internal error: {type(exc).__name__}: {message} "
               "(run again with --debug for details)", err=True)
    raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"surveykit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Turn a staff survey export into an honest briefing paper."""


def _read_options(sheet, header_row, format_in) -> dict:
    options = {}
    if sheet is not None:
        options["sheet"] = sheet
    if header_row is not None:
        options["header_row"] = header_row
    if format_in is not None:
        options["format"] = format_in
    return options


ConfigOpt = Annotated[Optional[Path], typer.Option(
    "--config", help="Settings file (default: surveykit.toml, or [tool.surveykit] in "
                     "pyproject.toml, in the working folder).")]


class _RunProgress:
    """A rich progress bar on stderr that appears only once a run has taken ``delay``
    seconds, so quick runs print nothing extra; off when stderr is not a terminal."""

    def __init__(self, console=None, delay: float = 2.0) -> None:
        import threading

        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = console or Console(stderr=True)
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description:<24}"), BarColumn(),
                            TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                            console=self.console, transient=True)
        self.task = None
        self.lock = threading.Lock()
        self.closed = False
        self.timer = threading.Timer(delay, self._show)
        self.timer.daemon = True

    def _show(self) -> None:
        with self.lock:  # never start the bar after the run has finished
            if not self.closed:
                self.bar.start()

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.console.is_terminal:
            return
        if self.task is None:
            self.task = self.bar.add_task(step, total=total)
            self.timer.start()
        self.bar.update(self.task, description=step, completed=done)

    def __enter__(self) -> _RunProgress:
        return self

    def __exit__(self, *exc) -> None:
        self.timer.cancel()
        with self.lock:
            self.closed = True
            if self.bar.live.is_started:
                self.bar.stop()


@app.command("analyse")
def analyse_command(
    file: FileArg,
    codebook: CodebookOpt = None,
    by: Annotated[Optional[list[str]], typer.Option(
        "--by", "-b", help="Breakdown (codebook id or column); repeat for several. "
                           "Default: the codebook's breakdowns.")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Output folder. [default: surveykit-output]")] = None,
    format: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="Outputs, comma-separated: html, pdf, xlsx, json, csv. "
                               "[default: all]")] = None,
    min_group: Annotated[Optional[int], typer.Option(
        "--min-group", help="Smallest group whose results are shown. [default: 10]")] = None,
    correction: Annotated[Optional[str], typer.Option(
        "--correction", help="Multiple-comparison correction: holm, bh, bonferroni, none. "
                             "[default: holm]")] = None,
    alpha: Annotated[Optional[float], typer.Option(
        "--alpha", help="Significance level. [default: 0.05]")] = None,
    weight: Annotated[Optional[str], typer.Option(
        "--weight", "-w", help="Column of respondent weights (overrides the codebook).")] = None,
    population: Annotated[Optional[Path], typer.Option(
        "--population", help="Headcount table (breakdown,group,headcount): rake to it, "
                             "use it for the finite population correction and response "
                             "rates.")] = None,
    previous: Annotated[Optional[list[Path]], typer.Option(
        "--previous", help="An earlier wave (export or its results.json), oldest first; "
                           "repeat for several. Adds the change since the last wave.")] = None,
    wave_name: Annotated[Optional[str], typer.Option(
        "--wave-name", help="What to call this wave in comparisons. [default: a year in "
                            "the file name or the survey title, else the file name]")] = None,
    fail_on: Annotated[Optional[list[str]], typer.Option(
        "--fail-on", help="Exit 3 (after writing the outputs) when a rule trips: "
                          "suppressed, warnings, worse. Repeat or comma-separate.")] = None,
    comments: Annotated[Optional[bool], typer.Option(
        "--comments/--no-comments", help="Add the free-text comments appendix (redacted, "
                                         "large groups only). [default: no]")] = None,
    min_comment_group: Annotated[Optional[int], typer.Option(
        "--min-comment-group", help="Smallest group whose comments are listed. "
                                    "[default: 20]")] = None,
    template_dir: Annotated[Optional[Path], typer.Option(
        "--template-dir", help="Folder of templates overriding the bundled ones.")] = None,
    config: ConfigOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    format_in: FormatInOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Analyse a survey export and write the briefing paper and results.

    Exit codes: 0 done; 1 a problem with the data or codebook; 2 a usage error; 3 the
    outputs were written but a --fail-on rule tripped.
    """
    from dataclasses import fields

    from surveykit.config import RunConfig, resolve_config
    from surveykit.gates import GATE_EXIT_CODE
    from surveykit.report import build_report

    rules = [r for value in fail_on or () for r in value.split(",")]
    try:
        settings = resolve_config(
            {"codebook": codebook, "by": tuple(by) if by else None, "out": out,
             "formats": format, "min_group": min_group, "correction": correction,
             "alpha": alpha, "weight": weight, "population": population,
             "previous": tuple(previous) if previous else None,
             "fail_on": tuple(rules) if rules else None, "comments": comments,
             "min_comment_group": min_comment_group, "template_dir": template_dir,
             "wave_name": wave_name},
            config_path=config)
        run = {f.name: getattr(settings, f.name) for f in fields(RunConfig)
               if f.name != "config_file"}
        with _RunProgress() as progress:
            report = build_report(file, **run, progress=progress,
                                  **_read_options(sheet, header_row, format_in))
    except Exception as exc:  # noqa: BLE001 - every error becomes one line and a code
        _fail(exc, debug)
        return
    for line in report.inferred:
        typer.echo(line if line.startswith("using codebook") else f"inferred: {line}", err=True)
    for warning in report.results.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    if report.comparison is not None:
        for item, wave, what in report.comparison.wording_changed:
            typer.echo(f"warning: {item} not compared with {wave}: {what}", err=True)
    r = report.results
    asked = [f"{len(r.items)} statement(s)"] if r.items or not r.multi else []
    asked += [f"{len(r.multi)} tick-all question(s)"] if r.multi else []
    typer.echo(f"{r.respondents:,} respondents, {', '.join(asked)}, "
               f"{len(r.findings)} headline finding(s). Wrote:")
    for path in report.files:
        typer.echo(f"  {path}")
    if report.failed:
        for message in report.failed:
            typer.echo(f"surveykit: --fail-on: {message}", err=True)
        raise typer.Exit(GATE_EXIT_CODE)


@app.command("compare")
def compare_command(
    waves: Annotated[list[Path], typer.Argument(
        help="Two or more waves, oldest first: survey exports or earlier results.json files.",
        show_default=False)],
    codebook: CodebookOpt = None,
    by: Annotated[Optional[list[str]], typer.Option("--by", "-b", help="Breakdown(s).")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Output folder for comparison.json.")] = None,
    min_group: Annotated[Optional[int], typer.Option("--min-group")] = None,
    correction: Annotated[Optional[str], typer.Option("--correction")] = None,
    alpha: Annotated[Optional[float], typer.Option("--alpha")] = None,
    config: ConfigOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Compare waves: what changed in % positive, and is it more than chance?"""
    import json

    from surveykit.compare import compare_files
    from surveykit.config import resolve_config
    from surveykit.errors import UsageError
    from surveykit.output import write_outputs

    try:
        if len(waves) < 2:
            raise UsageError("compare needs at least two waves")
        settings = resolve_config(
            {"codebook": codebook, "by": tuple(by) if by else None, "out": out,
             "min_group": min_group, "correction": correction, "alpha": alpha},
            config_path=config)
        comparison = compare_files(waves, codebook=settings.codebook, by=settings.by,
                                   min_group=settings.min_group,
                                   correction=settings.correction, alpha=settings.alpha)
        text = json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False,
                          allow_nan=False) + "\n"
        files = write_outputs(settings.out, {"comparison.json": text})
    except Exception as exc:  # noqa: BLE001
        _fail(exc, debug)
        return
    overall = [c for c in comparison.changes if c.breakdown == "(overall)"]
    typer.echo(f"{len(overall)} item(s) compared across {len(comparison.waves)} waves "
               f"({comparison.correction} correction):")
    for c in overall:
        typer.echo(f"  {c.item}: {c.pct_from:.1f}% -> {c.pct_to:.1f}% "
                   f"({c.change:+.1f} points, {c.label}; {c.wave_from} -> {c.wave_to})")
    for item, wave, what in comparison.wording_changed:
        typer.echo(f"warning: {item} not compared in {wave}: {what}", err=True)
    for item, present in comparison.only_in_some:
        typer.echo(f"note: {item} only in {', '.join(present)}", err=True)
    for path in files:
        typer.echo(f"Wrote {path}")


# American spelling as an alias; hidden from --help to keep the list short.
app.command("analyze", hidden=True)(analyse_command)


@app.command("init")
def init_command(
    file: FileArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the draft.")
                      ] = Path("codebook.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    format_in: FormatInOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write a draft codebook inferred from the data, for you to edit."""
    from surveykit.codebook import dump_codebook
    from surveykit.errors import UsageError
    from surveykit.inference import describe_codebook, infer_codebook
    from surveykit.ingest import read_table

    try:
        if output.exists() and not force:
            raise UsageError(f"{output} exists; use --force to overwrite it")
        table = read_table(file, **_read_options(sheet, header_row, format_in))
        cb = infer_codebook(table)  # the whole table: SPSS labels, wording, option sets
        dump_codebook(cb, output)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, debug)
        return
    for warning in table.warnings:
        typer.echo(f"warning: {warning}", err=True)
    for line in describe_codebook(cb):
        typer.echo(f"inferred: {line}", err=True)
    typer.echo(f"Wrote {output}")


@app.command("validate")
def validate_command(
    file: FileArg,
    codebook: CodebookOpt = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit non-zero on warnings too (e.g. straight-lining).")] = False,
    config: ConfigOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    format_in: FormatInOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check a survey export against its codebook; report every problem with row and column.

    Exit code 0 when there are no errors (warnings allowed unless --strict), 1 when there
    are, so CI can gate on it.
    """
    from surveykit.codebook import load_codebook
    from surveykit.config import resolve_config
    from surveykit.inference import infer_codebook
    from surveykit.ingest import read_table
    from surveykit.report import find_codebook
    from surveykit.validate import validate_survey

    try:
        settings = resolve_config({"codebook": codebook}, config_path=config)
        table = read_table(file, **_read_options(sheet, header_row, format_in))
        path = settings.codebook or find_codebook(file)
        cb = load_codebook(path) if path is not None else infer_codebook(table)
        problems = validate_survey(table, cb)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, debug)
        return
    for warning in table.warnings:
        typer.echo(f"warning: {warning}", err=True)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    for p in problems:
        typer.echo(p.one_line(table.source))
    typer.echo(f"{table.source}: {len(table.frame):,} rows, {len(errors)} error(s), "
               f"{len(warnings)} warning(s)"
               + ("" if path is not None else " (codebook inferred)"))
    if errors or (strict and warnings):
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("surveykit: interrupted", err=True)
        sys.exit(130)
