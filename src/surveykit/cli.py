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


@app.command("analyse")
def analyse_command(
    file: FileArg,
    codebook: CodebookOpt = None,
    by: Annotated[Optional[list[str]], typer.Option(
        "--by", "-b", help="Breakdown (codebook id or column); repeat for several. "
                           "Default: the codebook's breakdowns.")] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "surveykit-output"),
    format: Annotated[str, typer.Option("--format", "-f",
                                        help="Outputs, comma-separated: html,json.")] = "html,json",
    min_group: Annotated[int, typer.Option(
        "--min-group", help="Smallest group whose results are shown.")] = 10,
    correction: Annotated[str, typer.Option(
        "--correction", help="Multiple-comparison correction: holm, bh, bonferroni, none.")
    ] = "holm",
    template_dir: Annotated[Optional[Path], typer.Option(
        "--template-dir", help="Folder of templates overriding the bundled ones.")] = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    format_in: FormatInOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Analyse a survey export and write the briefing paper and results."""
    from surveykit.report import build_report, parse_formats

    try:
        formats = parse_formats(format)
        report = build_report(
            file, codebook=codebook, by=by, out=out, formats=formats, min_group=min_group,
            correction=correction, template_dir=template_dir,
            **_read_options(sheet, header_row, format_in),
        )
    except Exception as exc:  # noqa: BLE001 - every error becomes one line and a code
        _fail(exc, debug)
        return
    for line in report.inferred:
        typer.echo(line if line.startswith("using codebook") else f"inferred: {line}", err=True)
    for warning in report.results.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"{report.results.respondents:,} respondents, {len(report.results.items)} items, "
               f"{len(report.results.findings)} headline finding(s). Wrote:")
    for path in report.files:
        typer.echo(f"  {path}")


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
        cb = infer_codebook(table.frame)
        dump_codebook(cb, output)
    except Exception as exc:  # noqa: BLE001
        _fail(exc, debug)
        return
    for line in describe_codebook(cb):
        typer.echo(f"inferred: {line}", err=True)
    typer.echo(f"Wrote {output}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("surveykit: interrupted", err=True)
        sys.exit(130)
