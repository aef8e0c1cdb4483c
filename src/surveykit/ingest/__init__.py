"""Readers: one per file format, all returning a :class:`RawTable`.

``read_table`` picks the reader from the file's extension (or ``format``); ``read_survey``
adds the codebook (loaded, or inferred from the data) and returns a
:class:`~surveykit.survey.Survey`. Nothing here imports :mod:`surveykit.analysis`.
"""

from __future__ import annotations

from pathlib import Path

from surveykit.codebook import infer_codebook, load_codebook
from surveykit.errors import InputError
from surveykit.ingest.table import RawTable
from surveykit.model import Codebook
from surveykit.survey import Survey

__all__ = ["RawTable", "read_table", "read_survey", "detect_format"]

_EXTENSIONS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel", ".ods": "excel",
}


def detect_format(path: Path) -> str:
    """The reader for ``path``, from its extension."""
    suffix = path.suffix.lower()
    if suffix not in _EXTENSIONS:
        known = ", ".join(sorted(_EXTENSIONS))
        raise InputError(f"unknown file type '{suffix or '(none)'}' (known: {known}); "
                         "use --format-in to say what it is", path=str(path))
    return _EXTENSIONS[suffix]


def read_table(
    path: str | Path,
    *,
    format: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
) -> RawTable:
    """Read a survey export into a :class:`RawTable` (no codebook applied).

    Parameters
    ----------
    path
        The export: ``.xlsx``/``.xls``/``.ods`` or ``.csv``/``.tsv``/``.txt``.
    format
        Force a reader (``"csv"``, ``"excel"``) instead of going by the extension.
    sheet
        Worksheet name or 0-based index (Excel only); default: the first sheet that holds
        a table.
    header_row
        1-based row number of the column headers; default: detected.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=str(path))
    if path.is_dir():
        raise InputError("is a folder, not a survey file", path=str(path))
    kind = format or detect_format(path)
    if kind == "csv":
        from surveykit.ingest.csv import read_csv

        return read_csv(path, header_row=header_row)
    if kind == "excel":
        from surveykit.ingest.excel import read_excel

        return read_excel(path, sheet=sheet, header_row=header_row)
    raise InputError(f"unknown input format '{kind}'", path=str(path))


def read_survey(
    path: str | Path,
    codebook: str | Path | Codebook | None = None,
    **read_options,
) -> Survey:
    """Read an export and apply a codebook (inferred from the data when none is given).

    Examples
    --------
    >>> survey = read_survey("examples/glasgow/survey.xlsx",
    ...                      codebook="examples/glasgow/codebook.yaml")  # doctest: +SKIP
    >>> survey.n                                                         # doctest: +SKIP
    1187
    """
    table = read_table(path, **read_options)
    if codebook is None:
        cb = infer_codebook(table.frame)
    elif isinstance(codebook, Codebook):
        cb = codebook
    else:
        cb = load_codebook(codebook)
    return Survey.from_frame(table.frame, cb, source=str(path),
                             first_data_row=table.first_data_row)
