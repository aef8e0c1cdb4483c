"""``manifest.json``: what went into a run, so it can be repeated and audited.

Input files are identified by name and SHA-256, not by folder, and nothing records the
time of the run, so the same inputs give the same bytes on any machine with the same
library versions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from surveykit import __version__

LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "matplotlib", "jinja2", "openpyxl",
             "python-calamine", "weasyprint", "pyreadstat", "pyarrow")


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in blocks (exports can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str | None]:
    """Installed versions of the libraries that shape the figures and files."""
    out: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def build_manifest(inputs: Mapping[str, str | Path | Sequence[str | Path] | None],
                   config: Mapping[str, Any], outputs: Sequence[str]) -> dict[str, Any]:
    """The manifest as a dict.

    Parameters
    ----------
    inputs
        Role -> file(s), e.g. ``{"data": "survey.xlsx", "codebook": "codebook.yaml",
        "previous": ["2025/results.json"]}``; ``None`` entries are left out.
    config
        The resolved configuration (:meth:`surveykit.config.RunConfig.record`).
    outputs
        Names of the files the run wrote beside the manifest.
    """
    files = []
    for role, value in inputs.items():
        if value is None:
            continue
        paths = [value] if isinstance(value, (str, Path)) else list(value)
        for p in paths:
            p = Path(p)
            files.append({"role": role, "name": p.name, "sha256": sha256(p),
                          "bytes": p.stat().st_size})
    return {
        "surveykit_version": __version__,
        "inputs": files,
        "config": dict(config),
        "outputs": sorted(outputs),
        "libraries": library_versions(),
    }


def render_manifest(manifest: Mapping[str, Any]) -> str:
    """JSON text with stable key order."""
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
