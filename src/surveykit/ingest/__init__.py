"""Readers: one per file format, all returning a :class:`RawTable`.

``read_table`` picks the reader from the file's content and extension (or ``format``),
unpacks ``.gz`` and single-file ``.zip`` archives, and recognises survey platforms' layouts
(:mod:`surveykit.ingest.platforms`); ``read_survey`` adds the codebook (loaded, or inferred
from the data) and returns a :class:`~surveykit.survey.Survey`. Nothing here imports
:mod:`surveykit.analysis`.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from surveykit.errors import InputError
from surveykit.ingest.detect import FORMATS, gunzip_to, normalise_format, unzip_single_to
from surveykit.ingest.detect import detect_format as _detect
from surveykit.ingest.table import MultiSet, RawTable

if TYPE_CHECKING:
    from surveykit.model import Codebook
    from surveykit.survey import Survey

__all__ = ["FORMATS", "MultiSet", "RawTable", "detect_format", "read_survey", "read_table"]


def detect_format(path: str | Path) -> str:
    """The reader ``read_table`` would use for ``path``: ``"csv"``, ``"excel"``, ``"spss"``,
    ``"parquet"``, ``"gzip"`` or ``"zip"`` (by content first, then extension)."""
    path = Path(path)
    _check_path(path, str(path))
    return _detect(path)[0]


def _check_path(path: Path, source: str) -> None:
    if not path.exists():
        raise InputError("file not found", path=source)
    if path.is_dir():
        raise InputError("is a folder, not a survey file", path=source)


def read_table(
    path: str | Path,
    *,
    format: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    keep_metadata: bool = False,
    source: str | None = None,
) -> RawTable:
    """Read a survey export into a :class:`RawTable` (no codebook applied).

    Parameters
    ----------
    path
        The export: ``.xlsx/.xlsm/.xls/.ods``, ``.csv/.tsv/.txt``, ``.sav/.zsav/.por``,
        ``.parquet``, or any of these as ``.gz`` or alone in a ``.zip``.
    format
        Force a reader (``"csv"``, ``"excel"``, ``"spss"``, ``"parquet"``; ``xlsx``, ``sav``,
        ``tsv`` ... are accepted too) instead of going by content and extension.
    sheet
        Worksheet name or 0-based index (Excel only); default: the first sheet that holds
        a table, passing over sheets named like "Notes", "Codebook" or "About".
    header_row
        1-based row number of the column headers (CSV and Excel); default: detected under
        any title or notes rows.
    keep_metadata
        Keep platform metadata columns (IP address, e-mail, names, location, timestamps)
        that are otherwise dropped and listed in ``RawTable.dropped``.
    source
        How to name the file in messages (used for members of archives).

    Returns
    -------
    RawTable
        The responses with everything the file says about them; ``warnings`` lists what the
        reader fixed or assumed.

    Raises
    ------
    InputError
        Whatever is wrong with the file, in one line naming it: missing, empty, corrupt,
        password-protected, only headers, an archive too large to unpack.

    Examples
    --------
    >>> table = read_table("examples/glasgow/survey.xlsx")  # doctest: +SKIP
    >>> table.layout, table.first_data_row                  # doctest: +SKIP
    ('plain', 2)
    """
    path = Path(path)
    source = source or str(path)
    _check_path(path, source)
    if path.stat().st_size == 0:
        raise InputError("the file is empty", path=source)
    note = None
    if format is not None:
        kind = normalise_format(format)
    else:
        kind, note = _detect(path)
    if kind in ("gzip", "zip"):
        with tempfile.TemporaryDirectory(prefix="surveykit-") as folder:
            if kind == "gzip":
                inner, member = gunzip_to(path, Path(folder)), None
            else:
                inner, member = unzip_single_to(path, Path(folder))
            inner_source = f"{source}!{member}" if member else source
            table = read_table(inner, sheet=sheet, header_row=header_row,
                               keep_metadata=keep_metadata, source=inner_source)
        return table
    options = {"source": source, "keep_metadata": keep_metadata}
    if kind == "csv":
        from surveykit.ingest.csv import read_csv

        table = read_csv(path, header_row=header_row, **options)
    elif kind == "excel":
        from surveykit.ingest.excel import read_excel

        table = read_excel(path, sheet=sheet, header_row=header_row, **options)
    elif kind == "spss":
        from surveykit.ingest.spss import read_spss

        table = read_spss(path, **options)
    elif kind == "parquet":
        from surveykit.ingest.parquet import read_parquet

        table = read_parquet(path, **options)
    else:  # pragma: no cover - normalise_format only returns the kinds above
        raise InputError(f"unknown input format '{kind}'", path=source)
    notes = [note] if note else []
    if kind in ("spss", "parquet") and (sheet is not None or header_row is not None):
        notes.append(f"sheet and header row apply to CSV and Excel files; ignored for {kind}")
    if notes:
        table = replace(table, warnings=(*notes, *table.warnings))
    return table


def read_survey(
    path: str | Path,
    codebook: str | Path | Codebook | None = None,
    **read_options,
) -> Survey:
    """Read an export and apply a codebook (inferred from the data when none is given).

    Parameters
    ----------
    path
        The export (see :func:`read_table`).
    codebook
        A codebook, or the path of its YAML; None infers one from the data.
    read_options
        Passed to :func:`read_table` (``format``, ``sheet``, ``header_row`` ...).

    Examples
    --------
    >>> survey = read_survey("examples/glasgow/survey.xlsx",
    ...                      codebook="examples/glasgow/codebook.yaml")  # doctest: +SKIP
    >>> survey.n                                                         # doctest: +SKIP
    1187
    """
    # Imported here: surveykit.codebook imports surveykit.inference, which reads RawTable.
    from surveykit.codebook import infer_codebook, load_codebook
    from surveykit.model import Codebook
    from surveykit.survey import Survey

    table = read_table(path, **read_options)
    if codebook is None:
        cb = infer_codebook(table)
    elif isinstance(codebook, Codebook):
        cb = codebook
    else:
        cb = load_codebook(codebook)
    return Survey.from_frame(table.frame, cb, source=table.source,
                             first_data_row=table.first_data_row, read_warnings=table.warnings)
