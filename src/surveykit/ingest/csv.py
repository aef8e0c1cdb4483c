"""Delimited text exports (.csv, .tsv, .txt): encoding and delimiter found, not assumed.

Survey platforms and Excel write CSV in UTF-8 (with or without a byte-order mark), in
Windows' cp1252 (SurveyMonkey, "CSV" from Excel on Windows) and, for "Unicode text", in
UTF-16 with a BOM and tabs. UTF-8 is tried first because it almost never decodes text that
is not UTF-8; otherwise charset-normalizer chooses, and the table says which encoding it
assumed so the analyst can check accented names.
"""

from __future__ import annotations

import codecs
import csv as _csv
import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from surveykit.errors import InputError
from surveykit.ingest.assemble import table_from_grid
from surveykit.ingest.table import RawTable

_DELIMITERS = (",", "\t", ";", "|")
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "mac_roman", "ascii"}


def decode(data: bytes, source: str) -> tuple[str, str, str | None]:
    """Text of ``data``, the encoding used, and a warning when it was a guess."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name, None
            except UnicodeDecodeError as exc:
                raise InputError(f"the file starts with a {name} byte-order mark but is not "
                                 f"valid {name} (byte {exc.start})", path=source) from None
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM puts a zero byte beside every ASCII character.
        evens, odds = data[0:4096:2].count(0), data[1:4096:2].count(0)
        if max(evens, odds) > 0.3 * min(len(data), 4096) / 2:
            name = "utf-16-le" if odds > evens else "utf-16-be"
            try:
                return data.decode(name), name, f"no byte-order mark: decoded as {name}"
            except UnicodeDecodeError:
                pass
        raise InputError("this is not a text file (binary content); is it an Excel or SPSS "
                         "file with the wrong extension?", path=source)
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    best = matches[0] if matches else None
    if best is not None and best.encoding.startswith("mac_"):
        # Short Cyrillic or Greek samples score Mac code pages first, but files come from
        # Windows: take its code page when it reads the bytes as cleanly.
        best = next((m for m in matches if not m.encoding.startswith("mac_")
                     and m.chaos <= best.chaos + 0.05 and m.coherence >= 0.5 * best.coherence),
                    best)
    guess = best.encoding if best is not None else None
    if guess is None:
        raise InputError("cannot tell the text encoding of this file; save it as "
                         "'CSV UTF-8' and try again", path=source)
    if guess in _WESTERN:
        # Short samples make charset-normalizer pick among the Western code pages almost at
        # random; cp1252 is what Windows Excel and SurveyMonkey actually write.
        guess = "cp1252"
    for name in dict.fromkeys((guess, "cp1252", "latin-1")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        return text, name, (f"not UTF-8: decoded as {name}; check that accented "
                            "characters look right")
    raise InputError("cannot decode the file as text", path=source)  # latin-1 never fails


def sniff_delimiter(text: str, suffix: str) -> str:
    """The delimiter that splits the first records into the most, most consistent fields."""
    lines = text[:50_000].splitlines()[:40]
    sample = "\n".join(lines)
    best, best_score = ("\t" if suffix == ".tsv" else ","), 0.0
    for sep in _DELIMITERS:
        try:
            counts = [len(r) for r in _csv.reader(io.StringIO(sample), delimiter=sep) if r]
        except _csv.Error:
            continue
        if not counts:
            continue
        width, times = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = width * times / len(counts)
        if score > best_score * 1.2 or (score > best_score and sep == best):
            best, best_score = sep, score
    return best


def _grid(text: str, sep: str, source: str) -> pd.DataFrame:
    """Every record as a row of strings, blank records kept (row i = file record i + 1)."""
    head = text[:200_000]
    try:
        width = max((len(r) for r in _csv.reader(io.StringIO(head), delimiter=sep)),
                    default=1)
    except _csv.Error:
        width = 1
    for _ in range(3):
        try:
            return pd.read_csv(io.StringIO(text), sep=sep, header=None, names=range(width),
                               dtype=object, keep_default_na=False, na_values=[""],
                               skip_blank_lines=False, index_col=False, engine="c")
        except pd.errors.ParserError as exc:
            found = [int(w) for w in re.findall(r"saw (\d+)", str(exc))]
            if not found:
                raise InputError(f"not a readable table: {' '.join(str(exc).split())}",
                                 path=source) from None
            width = max(found + [width + 1])
        except pd.errors.EmptyDataError:
            raise InputError("the file is empty", path=source) from None
    # Ragged beyond repair for the C parser: the csv module takes any row length.
    rows = list(_csv.reader(io.StringIO(text), delimiter=sep))
    return pd.DataFrame(rows, dtype=object).replace("", None)


def read_csv(path: Path, *, source: str | None = None, header_row: int | None = None,
             keep_metadata: bool = False) -> RawTable:
    """Read a delimited export, sniffing encoding and delimiter.

    Every cell is read as text: the codebook decides what a value means, and "04" or
    "1.0" must reach it as written.

    Parameters
    ----------
    path
        The file to read.
    source
        How to name the file in messages (defaults to ``path``).
    header_row
        1-based row of the column headers; default: detected.
    keep_metadata
        Keep platform metadata columns (IP address, e-mail ...) instead of dropping them.
    """
    source = source or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=source) from None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError("the file is empty", path=source)
    text, encoding, note = decode(data, source)
    if "\ufeff" in text:
        # A byte-order mark inside the text (LimeSurvey writes one before some answers:
        # "\ufeff1 (None at all)") is never part of an answer.
        text = text.replace("\ufeff", "")
    sep = sniff_delimiter(text, path.suffix.lower())
    grid = _grid(text, sep, source)
    return table_from_grid(grid, source=source, fmt="csv", header_row=header_row,
                           keep_metadata=keep_metadata, encoding=encoding,
                           warnings=[note] if note else [])
