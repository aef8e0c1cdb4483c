"""Writing outputs all-or-nothing.

Everything is rendered in memory first; here the files go to a temporary folder inside the
output folder and are then moved into place, so a failed run never leaves a half-written
paper beside a stale table, and a reader never sees a partly written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from surveykit.errors import UsageError


def write_outputs(out: str | Path, files: Mapping[str, str | bytes]) -> tuple[Path, ...]:
    """Write ``{file name: text or bytes}`` into ``out``; return the paths written."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder: {exc.strerror}",
                         path=str(out)) from None
    written = []
    with tempfile.TemporaryDirectory(dir=out, prefix=".surveykit-") as tmp:
        for name, content in files.items():
            target = Path(tmp) / name
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                with open(target, "w", encoding="utf-8", newline="\n") as fh:
                    fh.write(content)
        for name in files:
            os.replace(Path(tmp) / name, out / name)
            written.append(out / name)
    return tuple(written)
