"""Configuration as code: ``surveykit.toml`` or ``[tool.surveykit]`` in ``pyproject.toml``.

Resolved once, in this order (later wins): built-in defaults < the configuration file <
``SURVEYKIT_*`` environment variables < command-line flags. Paths in a file are relative to
the file, so a repository can hold its config beside its data and run from anywhere. The
resolved configuration is written into ``results.json``, so every output says how it was
made.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from surveykit.errors import UsageError

CONFIG_NAME = "surveykit.toml"
_PATH_KEYS = {"codebook", "out", "template_dir", "population", "previous"}
_LIST_KEYS = {"by", "formats", "previous", "fail_on"}
FAIL_RULES = ("suppressed", "warnings", "worse")


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides what ``surveykit analyse`` produces."""

    codebook: Path | None = None
    by: tuple[str, ...] | None = None
    weight: str | None = None
    population: Path | None = None
    min_group: int = 10
    correction: str = "holm"
    alpha: float = 0.05
    formats: tuple[str, ...] | None = None
    out: Path = Path("surveykit-output")
    template_dir: Path | None = None
    previous: tuple[Path, ...] = ()
    fail_on: tuple[str, ...] = ()
    comments: bool = False
    min_comment_group: int = 20
    wave_name: str | None = None
    config_file: Path | None = field(default=None, compare=False)

    def record(self) -> dict[str, Any]:
        """The configuration as written into results.json: file *names* only, so the same
        run from another folder gives the same bytes (hashes go in manifest.json)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("out", "config_file"):
                continue
            value = getattr(self, f.name)
            if isinstance(value, Path):
                value = value.name
            elif isinstance(value, tuple):
                value = [v.name if isinstance(v, Path) else v for v in value]
            out[f.name] = value
        return out


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """``surveykit.toml`` in ``start`` (default: the working folder), else
    ``[tool.surveykit]`` of a ``pyproject.toml`` there."""
    folder = Path(start or Path.cwd())
    own = folder / CONFIG_NAME
    if own.is_file():
        return own, _read_toml(own)
    project = folder / "pyproject.toml"
    if project.is_file():
        table = _read_toml(project).get("tool", {}).get("surveykit")
        if table is not None:
            return project, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"not valid TOML: {exc}", path=str(path)) from None
    except OSError as exc:
        raise UsageError(f"cannot read configuration: {exc.strerror}", path=str(path)) from None
    if path.name == CONFIG_NAME and "surveykit" in data and isinstance(data["surveykit"], dict):
        data = data["surveykit"]  # allow a [surveykit] table as well as top-level keys
    return data


def _coerce(key: str, value: Any, base: Path | None, where: str) -> Any:
    known = {f.name: f for f in fields(RunConfig)}
    if key not in known or key == "config_file":
        raise UsageError(f"unknown setting '{key}' (known: "
                         f"{', '.join(k for k in known if k != 'config_file')})", path=where)
    if key in _LIST_KEYS:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)):
            raise UsageError(f"'{key}' must be a list", path=where)
        value = tuple(value)
    if key in _PATH_KEYS and value is not None:
        def as_path(v):
            p = Path(str(v)).expanduser()
            return p if p.is_absolute() or base is None else base / p
        value = tuple(as_path(v) for v in value) if key in _LIST_KEYS else as_path(value)
    if key in ("min_group", "min_comment_group"):
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise UsageError(f"{key} must be a whole number", path=where) from None
        if value < 1:
            raise UsageError(f"{key} must be at least 1", path=where)
    if key == "comments" and not isinstance(value, bool):
        text = str(value).strip().lower()
        if text not in ("1", "0", "true", "false", "yes", "no"):
            raise UsageError("comments must be true or false", path=where)
        value = text in ("1", "true", "yes")
    if key == "alpha":
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise UsageError("alpha must be a number", path=where) from None
        if not 0 < value < 1:
            raise UsageError("alpha must be between 0 and 1", path=where)
    if key == "fail_on":
        bad = [v for v in value if v not in FAIL_RULES]
        if bad:
            raise UsageError(f"unknown fail_on rule(s): {', '.join(bad)} "
                             f"(rules: {', '.join(FAIL_RULES)})", path=where)
    return value


def resolve_config(flags: Mapping[str, Any], *, config_path: Path | None = None,
                   cwd: Path | None = None, environ: Mapping[str, str] | None = None
                   ) -> RunConfig:
    """Merge defaults, the config file, ``SURVEYKIT_<SETTING>`` variables and ``flags``.

    ``flags`` holds only what was given on the command line (``None`` means not given).
    """
    config = RunConfig()
    found = ((config_path, _read_toml(config_path)) if config_path is not None
             else find_config(cwd))
    if config_path is not None and not config_path.is_file():
        raise UsageError("configuration file not found", path=str(config_path))
    if found is not None:
        path, table = found
        base = path.resolve().parent
        values = {k.replace("-", "_"): _coerce(k.replace("-", "_"), v, base, str(path))
                  for k, v in table.items()}
        config = replace(config, config_file=path, **values)
    env = os.environ if environ is None else environ
    env_values = {}
    for f in fields(RunConfig):
        raw = env.get(f"SURVEYKIT_{f.name.upper()}")
        if raw is not None and f.name != "config_file":
            env_values[f.name] = _coerce(f.name, raw, cwd or Path.cwd(), "environment")
    config = replace(config, **env_values)
    given = {k: _coerce(k, v, None, "command line") for k, v in flags.items()
             if v is not None and v != ()}
    return replace(config, **given)
