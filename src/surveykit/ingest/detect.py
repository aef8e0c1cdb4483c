"""Which reader a file needs, from its first bytes and then its name.

Content wins over the extension: an Excel workbook saved as ``survey.csv`` is still read as
Excel (with a warning), because analysts rename files far more often than they convert them.
Compressed inputs (``.gz``, ``.zip``) are unpacked to a temporary folder after a size check,
so a small archive that expands to many gigabytes (a "zip bomb") is refused before it fills
the disk.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from pathlib import Path

from surveykit.errors import InputError, UsageError

__all__ = ["FORMATS", "detect_format", "gunzip_to", "sniff_content", "unzip_single_to"]

#: Reader names and the extensions that select them.
FORMATS = {
    "csv": (".csv", ".tsv", ".txt", ".tab"),
    "excel": (".xlsx", ".xlsm", ".xls", ".ods"),
    "spss": (".sav", ".zsav", ".por"),
    "parquet": (".parquet", ".pq"),
    "gzip": (".gz",),
    "zip": (".zip",),
}
_BY_EXTENSION = {ext: kind for kind, exts in FORMATS.items() for ext in exts}
_ALIASES = {"xlsx": "excel", "xls": "excel", "ods": "excel", "tsv": "csv", "txt": "csv",
            "text": "csv", "sav": "spss", "zsav": "spss", "por": "spss", "pq": "parquet",
            "gz": "gzip"}

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 compound file holding "EncryptionInfo" (named in UTF-16).
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

MAX_UNCOMPRESSED = 2 * 1024**3  # 2 GB: far beyond any staff survey
MAX_RATIO = 100  # real CSV and XLSX content compresses 3-20x; a bomb, thousands
_RATIO_FLOOR = 10 * 1024**2  # below 10 MB expanded, a high ratio is harmless


def normalise_format(name: str) -> str:
    """Map a user's ``--format-in`` value (``xlsx``, ``sav`` ...) to a reader name."""
    key = name.strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in FORMATS:
        # A bad flag value, not a bad file: the CLI's usage-error exit code (2).
        raise UsageError(f"unknown input format '{name}' (known: "
                         f"{', '.join(sorted(set(FORMATS) | set(_ALIASES)))})")
    return key


def sniff_content(head: bytes) -> str | None:
    """The format the first bytes of a file announce, or None for (probably) text."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip-container"  # xlsx, xlsm, ods, or a plain zip archive
    if head.startswith(OLE2_SIGNATURE):
        return "ole2"
    if head.startswith((b"$FL2", b"$FL3")):
        return "spss"
    if b"SPSS PORT FILE" in head[:1024]:
        return "spss"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    return None


def _zip_kind(path: Path) -> str:
    """Tell an Office/OpenDocument workbook from a plain zip archive."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return "excel"  # truncated workbook: let the Excel reader say what is wrong
    if "[Content_Types].xml" in names or "mimetype" in names or any(
            n.startswith("xl/") for n in names):
        return "excel"
    return "zip"


def detect_format(path: Path, head: bytes | None = None) -> tuple[str, str | None]:
    """The reader for ``path`` and a warning when the name says otherwise.

    Returns
    -------
    (kind, warning)
        ``kind`` is one of :data:`FORMATS`' keys; ``warning`` is None when the extension
        agrees with the content.
    """
    suffix = path.suffix.lower()
    by_name = _BY_EXTENSION.get(suffix)
    if head is None:
        with path.open("rb") as fh:
            head = fh.read(2048)
    sniffed = sniff_content(head)
    if sniffed == "zip-container":
        sniffed = _zip_kind(path)
    elif sniffed == "ole2":
        sniffed = "excel"  # old .xls, or an encrypted .xlsx: the Excel reader tells which
    if sniffed is None:
        if by_name in (None, "csv"):
            return "csv", None
        if by_name == "excel" and not head.strip():
            raise InputError("the file is empty", path=str(path))
        # A text file named .xlsx/.sav: trust the bytes, say so.
        return "csv", (f"the file is named '{suffix}' but holds text; read as CSV")
    if by_name is not None and by_name != sniffed:
        what = {"excel": "an Excel workbook", "spss": "an SPSS file", "parquet":
                "a Parquet file", "gzip": "gzip-compressed", "zip": "a zip archive"}[sniffed]
        return sniffed, f"the file is named '{suffix}' but is {what}; read it as such"
    return sniffed, None


def _check_expansion(size: int, packed: int, source: str) -> None:
    if size > MAX_UNCOMPRESSED:
        raise InputError(f"the archive expands to {size / 1024**3:.1f} GB, over the "
                         f"{MAX_UNCOMPRESSED // 1024**3} GB limit; unpack it yourself if "
                         "this is really a survey export", path=source)
    if size > _RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
        raise InputError(f"the archive expands {size / max(packed, 1):.0f} times (over "
                         f"{MAX_RATIO}x): refusing a possible zip bomb", path=source)


def unzip_single_to(path: Path, folder: Path) -> tuple[Path, str]:
    """Extract the one export a zip archive holds into ``folder``.

    Hidden files and macOS resource forks (``__MACOSX/``) are ignored. Sizes are checked
    from the archive's directory before anything is written, and again while writing, as the
    directory can lie.

    Returns
    -------
    (extracted path, member name)
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a readable zip archive ({exc})", path=str(path)) from None
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir()
                   and not i.filename.startswith("__MACOSX/")
                   and not Path(i.filename).name.startswith(".")]
        if len(members) != 1:
            listed = ", ".join(m.filename for m in members[:5]) or "nothing"
            raise InputError(f"a zip archive must hold exactly one survey export; this one "
                             f"holds {len(members)} ({listed})", path=str(path))
        info = members[0]
        if info.flag_bits & 0x1:
            raise InputError("the zip archive is password-protected; unpack it first",
                             path=str(path))
        _check_expansion(info.file_size, info.compress_size, str(path))
        target = folder / Path(info.filename).name  # never a path from inside the archive
        written = 0
        with zf.open(info) as src, target.open("wb") as dst:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                _check_expansion(written, info.compress_size, str(path))
                dst.write(chunk)
    return target, info.filename


def gunzip_to(path: Path, folder: Path) -> Path:
    """Decompress a ``.gz`` file into ``folder`` with the same size limits as zip."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name + ".out"
    if Path(name).suffix == "":
        name += ".csv"
    target = folder / name
    packed = path.stat().st_size
    written = 0
    try:
        with gzip.open(path, "rb") as src, target.open("wb") as dst:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                _check_expansion(written, packed, str(path))
                dst.write(chunk)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise InputError(f"not a readable gzip file ({exc})", path=str(path)) from None
    return target


def looks_encrypted_ole(path: Path) -> bool:
    """True when an OLE2 file holds an ``EncryptionInfo`` stream (a password-protected xlsx)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        if size <= 8 * 1024**2:
            return _ENCRYPTION_INFO in fh.read()
        # The directory usually sits near either end; reading 4 MB of each is enough.
        first = fh.read(4 * 1024**2)
        fh.seek(-4 * 1024**2, 2)
        return _ENCRYPTION_INFO in first or _ENCRYPTION_INFO in fh.read()
