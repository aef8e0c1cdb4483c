"""Delimited text exports (.csv, .tsv, .txt)."""

from __future__ import annotations

import csv as _csv
import io
from pathlib import Path

import pandas as pd

from surveykit.errors import InputError
from surveykit.ingest.table import RawTable


def _decode(path: Path, data: bytes) -> str:
    """Decode as UTF-8 (with or without BOM), UTF-16 as Excel writes it, else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # cp1252 is what Excel on Windows and SurveyMonkey write; it leaves 5 bytes undefined.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_csv(path: Path, *, header_row: int | None = None) -> RawTable:
    """Read a delimited export, sniffing encoding and delimiter.

    Every cell is read as text: the codebook decides what a value means, and "04" or
    "1.0" must reach it as written.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from None
    if not data.strip():
        raise InputError("the file is empty", path=str(path))
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("this is not a text file (binary content); is it an Excel or SPSS "
                         "file with the wrong extension?", path=str(path))
    text = _decode(path, data)
    sample = text[:20000]
    try:
        dialect = _csv.Sniffer().sniff(sample, delimiters=",;\t|")
        sep = dialect.delimiter
    except _csv.Error:
        sep = "\t" if path.suffix.lower() == ".tsv" else ","
    skip = (header_row - 1) if header_row else 0
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            na_values=[""], skiprows=skip, skipinitialspace=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"not a readable table: {' '.join(str(exc).split())}",
                         path=str(path)) from None
    if frame.empty:
        raise InputError("the file has a header row but no responses", path=str(path))
    frame.columns = [str(c).strip() for c in frame.columns]
    return RawTable(frame=frame, source=str(path), first_data_row=skip + 2)
