"""Read, write and infer codebooks (YAML).

The codebook format is documented in ``docs/codebook.md``. Loading validates structure
only; whether the codebook matches a data file is checked when a :class:`~surveykit.Survey`
is built, because only then are the columns known.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from surveykit.errors import CodebookError
from surveykit.inference import DEFAULT_BREAKDOWNS, infer_codebook
from surveykit.model import (
    Breakdown,
    Codebook,
    Index,
    Item,
    MultiResponse,
    Scale,
    TextQuestion,
)
from surveykit.presets import TEXT_PRESETS, numeric_scale

__all__ = ["load_codebook", "parse_codebook", "dump_codebook", "codebook_to_dict",
           "infer_codebook"]

_PRESETS = {s.name: s for s in TEXT_PRESETS}


def load_codebook(path: str | Path) -> Codebook:
    """Load a codebook from a YAML file.

    Parameters
    ----------
    path
        A ``codebook.yaml`` as documented in ``docs/codebook.md``.

    Raises
    ------
    CodebookError
        When the file is missing, is not YAML, or does not describe a valid codebook; the
        message names the file and the offending entry.

    Examples
    --------
    >>> cb = load_codebook("examples/glasgow/codebook.yaml")  # doctest: +SKIP
    >>> [b.id for b in cb.breakdowns]                          # doctest: +SKIP
    ['sector', 'role']
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CodebookError("codebook file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"cannot read codebook: {exc}", path=str(path)) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CodebookError(f"not valid YAML: {problem}", path=str(path), row=row) from None
    return parse_codebook(raw, source=str(path))


def _need(mapping: dict, key: str, where: str, source: str) -> Any:
    if key not in mapping or mapping[key] in (None, ""):
        raise CodebookError(f"{where} needs '{key}'", path=source)
    return mapping[key]


TOP_KEYS = {"title", "id", "weight", "scales", "items", "multi", "text", "breakdowns", "drop",
            "version", "indices", "staff_names"}
_KEYS = {
    "scale": {"labels", "positive", "neutral", "negative", "not_applicable", "codes",
              "not_applicable_codes", "aliases"},
    "item": {"id", "column", "label", "scale", "theme", "reverse"},
    "multi question": {"id", "label", "options", "columns", "column", "separator", "coding"},
    "text question": {"id", "column", "label"},
    "breakdown": {"id", "column", "label", "groups", "map", "other"},
    "index": {"id", "label", "items", "min_share"},
}


def _numeric(name: str) -> Scale | None:
    """``numeric1to5``, ``numeric0to10`` ...: integer scales, higher = more positive."""
    m = re.fullmatch(r"numeric(\d+)to(\d+)", name)
    if m is None:
        return None
    lo, hi = int(m[1]), int(m[2])
    return numeric_scale(hi - lo + 1, low=lo) if lo < hi and hi - lo < 100 else None


def _check_keys(spec: dict, kind: str, name: str, source: str,
                allowed: set[str] | None = None) -> None:
    """A misspelt key ("grups", "revers") is an error, not a silently ignored setting."""
    unknown = sorted(map(str, set(spec) - (allowed if allowed is not None else _KEYS[kind])))
    if unknown:
        known = ", ".join(sorted(allowed if allowed is not None else _KEYS[kind]))
        raise CodebookError(f"{kind} '{name}': unknown key(s) {', '.join(unknown)} "
                            f"(known: {known})", path=source)


def _strs(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        return (str(value),)
    return tuple(str(v) for v in value)


def _parse_scale(name: str, spec: Any, source: str) -> Scale:
    if isinstance(spec, str) and spec in _PRESETS:
        return _PRESETS[spec]
    if not isinstance(spec, dict):
        raise CodebookError(f"scale '{name}' must be a mapping or a preset name", path=source)
    if "preset" in spec:
        _check_keys(spec, "scale", name, source, {"preset", "not_applicable"})
        base = _PRESETS.get(str(spec["preset"]))
        if base is None:
            raise CodebookError(
                f"scale '{name}': unknown preset '{spec['preset']}' "
                f"(known: {', '.join(sorted(_PRESETS))})", path=source)
        na = _strs(spec.get("not_applicable", ()))
        return Scale(**{**base.__dict__, "name": name, "not_applicable": na})
    _check_keys(spec, "scale", name, source)
    labels = _strs(_need(spec, "labels", f"scale '{name}'", source))
    if len(set(labels)) != len(labels):
        raise CodebookError(f"scale '{name}' repeats a label", path=source)
    na = _strs(spec.get("not_applicable"))
    groups = {k: _strs(spec.get(k)) for k in ("positive", "neutral", "negative")}
    for key, labs in groups.items():
        for lab in labs:
            if lab not in labels:
                raise CodebookError(
                    f"scale '{name}': {key} label '{lab}' is not one of its labels", path=source)
    if not any(groups.values()):
        # Default split: points above the middle positive, below negative.
        half = len(labels) // 2
        groups = {"negative": labels[:half], "positive": labels[len(labels) - half:],
                  "neutral": labels[half:len(labels) - half]}
    codes = spec.get("codes")
    if codes is not None:
        codes = tuple(float(c) for c in codes)
        if len(codes) != len(labels):
            raise CodebookError(f"scale '{name}': {len(codes)} codes for {len(labels)} labels",
                                path=source)
    aliases = tuple((str(a), str(t)) for a, t in (spec.get("aliases") or {}).items())
    for alias, target in aliases:
        if target not in labels + na:
            raise CodebookError(f"scale '{name}': alias '{alias}' points to unknown '{target}'",
                                path=source)
    return Scale(
        name=name, labels=labels, not_applicable=na, codes=codes,
        not_applicable_codes=tuple(float(c) for c in spec.get("not_applicable_codes") or ()),
        aliases=aliases, **groups,
    )


def parse_codebook(raw: Any, source: str = "<codebook>") -> Codebook:
    """Build a :class:`Codebook` from the parsed YAML mapping (see ``docs/codebook.md``)."""
    if not isinstance(raw, dict):
        raise CodebookError("a codebook must be a YAML mapping with 'items'", path=source)
    unknown = set(raw) - TOP_KEYS
    if unknown:
        raise CodebookError(f"unknown codebook key(s): {', '.join(sorted(unknown))}", path=source)
    scales = {name: _parse_scale(str(name), spec, source)
              for name, spec in (raw.get("scales") or {}).items()}
    items = []
    for n, spec in enumerate(raw.get("items") or [], start=1):
        if not isinstance(spec, dict):
            raise CodebookError(f"item {n} must be a mapping", path=source)
        item_id = str(_need(spec, "id", f"item {n}", source))
        _check_keys(spec, "item", item_id, source)
        scale_name = str(_need(spec, "scale", f"item '{item_id}'", source))
        scale = scales.get(scale_name) or _PRESETS.get(scale_name) or _numeric(scale_name)
        if scale is None:
            raise CodebookError(f"item '{item_id}' uses unknown scale '{scale_name}'", path=source)
        items.append(Item(
            id=item_id, column=str(spec.get("column", item_id)),
            label=str(spec.get("label", spec.get("column", item_id))), scale=scale,
            theme=str(spec.get("theme", "") or ""), reverse=bool(spec.get("reverse", False)),
        ))
    multi = []
    for spec in raw.get("multi") or []:
        if not isinstance(spec, dict):
            raise CodebookError("each multi question must be a mapping", path=source)
        mid = str(_need(spec, "id", "multi question", source))
        _check_keys(spec, "multi question", mid, source)
        options = spec.get("options")
        columns = spec.get("columns")
        if isinstance(columns, dict):  # {option label: column}
            options, columns = list(columns), list(columns.values())
        if not options:
            raise CodebookError(f"multi question '{mid}' needs 'options'", path=source)
        if columns is None and "column" not in spec:
            raise CodebookError(f"multi question '{mid}' needs 'columns' or 'column'", path=source)
        coding = str(spec.get("coding", "ticks"))
        if coding not in ("ticks", "categories"):
            raise CodebookError(f"multi question '{mid}': coding must be 'ticks' or "
                                f"'categories', not '{coding}'", path=source)
        if coding == "categories" and columns is None:
            raise CodebookError(f"multi question '{mid}': coding 'categories' needs 'columns'",
                                path=source)
        if coding == "ticks" and columns is not None and len(_strs(columns)) != len(
                _strs(options)):
            raise CodebookError(f"multi question '{mid}': {len(_strs(columns))} columns for "
                                f"{len(_strs(options))} options (one column per option)",
                                path=source)
        multi.append(MultiResponse(
            id=mid, label=str(spec.get("label", mid)), options=_strs(options),
            columns=_strs(columns) if columns is not None else None,
            column=str(spec["column"]) if "column" in spec else None,
            separator=str(spec.get("separator", ";")), coding=coding,
        ))
    text = []
    for spec in raw.get("text") or []:
        if not isinstance(spec, dict):
            raise CodebookError("each text question must be a mapping", path=source)
        tid = str(_need(spec, "id", "text question", source))
        _check_keys(spec, "text question", tid, source)
        text.append(TextQuestion(id=tid, column=str(spec.get("column", tid)),
                                 label=str(spec.get("label", tid))))
    breakdowns = []
    for spec in raw.get("breakdowns") or []:
        if isinstance(spec, str):
            spec = {"id": spec}
        if not isinstance(spec, dict):
            raise CodebookError("each breakdown must be a mapping or a column name",
                                path=source)
        bid = str(_need(spec, "id", "breakdown", source))
        _check_keys(spec, "breakdown", bid, source)
        groups = _strs(spec.get("groups"))
        other = spec.get("other")
        if other is not None and not groups:
            raise CodebookError(f"breakdown '{bid}': 'other' needs 'groups' (the answers "
                                "that are not pooled into it)", path=source)
        breakdowns.append(Breakdown(
            id=bid, column=str(spec.get("column", bid)), label=str(spec.get("label", bid)),
            groups=groups,
            mapping=tuple((str(a), str(t)) for a, t in (spec.get("map") or {}).items()),
            other=str(other) if other is not None else None,
        ))
    item_ids = {i.id for i in items}
    indices = []
    for spec in raw.get("indices") or []:
        if not isinstance(spec, dict):
            raise CodebookError("each index must be a mapping", path=source)
        iid = str(_need(spec, "id", "index", source))
        _check_keys(spec, "index", iid, source)
        members = _strs(_need(spec, "items", f"index '{iid}'", source))
        unknown_items = [m for m in members if m not in item_ids]
        if unknown_items:
            raise CodebookError(f"index '{iid}' lists unknown item(s): "
                                f"{', '.join(unknown_items)}", path=source)
        if len(members) < 2:
            raise CodebookError(f"index '{iid}' needs at least two items", path=source)
        share = float(spec.get("min_share", 1.0))
        if not 0 < share <= 1:
            raise CodebookError(f"index '{iid}': min_share must be above 0 and at most 1",
                                path=source)
        indices.append(Index(id=iid, label=str(spec.get("label", iid)), items=members,
                             min_share=share))
    ids = [x.id for x in [*items, *multi, *text, *breakdowns, *indices]]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CodebookError(f"duplicate id(s): {', '.join(dupes)}", path=source)
    if not items and not multi:
        raise CodebookError("the codebook lists no items", path=source)
    return Codebook(
        items=tuple(items), breakdowns=tuple(breakdowns), multi=tuple(multi), text=tuple(text),
        scales=tuple(scales.values()), id_column=raw.get("id"), weight=raw.get("weight"),
        title=str(raw.get("title") or "Staff survey"), drop=_strs(raw.get("drop")),
        indices=tuple(indices), staff_names=_staff_names(raw.get("staff_names"), source),
    )


def _staff_names(value: Any, source: str) -> tuple[str, ...]:
    """``staff_names``: a list of names, or a text file of one name per line (relative to
    the codebook; blank lines and lines starting with ``#`` skipped), for redacting free-text
    comments. A file keeps the names out of the codebook, which is often shared."""
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(" ".join(str(v).split()) for v in value if str(v).strip())
    if not isinstance(value, str):
        raise CodebookError("staff_names must be a list of names or the name of a file of "
                            "names, one per line", path=source)
    path = Path(value).expanduser()
    if not path.is_absolute() and Path(source).is_file():
        path = Path(source).parent / path
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not found" if isinstance(exc, FileNotFoundError) else "not readable as UTF-8"
        raise CodebookError(f"staff_names file {value!r} {reason} (looked for {path})",
                            path=source) from None
    return tuple(" ".join(line.split()) for line in text.splitlines()
                 if line.strip() and not line.lstrip().startswith("#"))


def _scale_to_dict(scale: Scale) -> dict[str, Any]:
    out: dict[str, Any] = {"labels": list(scale.labels)}
    for key in ("positive", "neutral", "negative", "not_applicable"):
        if getattr(scale, key):
            out[key] = list(getattr(scale, key))
    if scale.codes is not None:
        out["codes"] = [int(c) if float(c).is_integer() else c for c in scale.codes]
    if scale.not_applicable_codes:
        out["not_applicable_codes"] = [int(c) if float(c).is_integer() else c
                                       for c in scale.not_applicable_codes]
    if scale.aliases:
        out["aliases"] = dict(scale.aliases)
    return out


def _multi_layout(m: MultiResponse) -> dict[str, Any]:
    if m.columns and m.coding == "categories":
        return {"coding": "categories", "columns": list(m.columns), "options": list(m.options)}
    if m.columns:
        return {"columns": dict(zip(m.options, m.columns))}
    return {"column": m.column, "separator": m.separator, "options": list(m.options)}


def codebook_to_dict(cb: Codebook) -> dict[str, Any]:
    """The codebook as the plain mapping that :func:`parse_codebook` reads back."""
    scales: dict[str, Scale] = {}
    for item in cb.items:
        scales.setdefault(item.scale.name, item.scale)
    out: dict[str, Any] = {"title": cb.title}
    if cb.id_column:
        out["id"] = cb.id_column
    if cb.weight:
        out["weight"] = cb.weight
    out["scales"] = {name: _scale_to_dict(s) for name, s in scales.items()}
    out["items"] = [
        {"id": i.id, "column": i.column, "label": i.label, "scale": i.scale.name,
         **({"theme": i.theme} if i.theme else {}), **({"reverse": True} if i.reverse else {})}
        for i in cb.items
    ]
    if cb.multi:
        out["multi"] = [{"id": m.id, "label": m.label, **_multi_layout(m)} for m in cb.multi]
    if cb.text:
        out["text"] = [{"id": t.id, "column": t.column, "label": t.label} for t in cb.text]
    if cb.breakdowns:
        out["breakdowns"] = [
            {"id": b.id, "column": b.column, "label": b.label,
             **({"groups": list(b.groups)} if b.groups else {}),
             **({"map": dict(b.mapping)} if b.mapping else {}),
             **({"other": b.other} if b.other else {})}
            for b in cb.breakdowns
        ]
    if cb.indices:
        out["indices"] = [{"id": x.id, "label": x.label, "items": list(x.items),
                           **({"min_share": x.min_share} if x.min_share != 1.0 else {})}
                          for x in cb.indices]
    if cb.drop:
        out["drop"] = list(cb.drop)
    return out


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def dump_codebook(cb: Codebook, path: str | Path | None = None, *,
                  active_breakdowns: int | None = None) -> str:
    """Write the codebook as YAML (to ``path`` when given) and return the text.

    Parameters
    ----------
    cb
        The codebook.
    path
        Where to write it (UTF-8); None only returns the text.
    active_breakdowns
        How many breakdowns to write as active entries; the others follow them as
        commented-out entries, ready to be uncommented. Default: all of them, except for an
        inferred codebook (``surveykit init``), which keeps the best
        :data:`DEFAULT_BREAKDOWNS` active so that ``analyse`` with the draft breaks results
        down exactly as ``analyse`` without a codebook does.
    """
    data = codebook_to_dict(cb)
    if active_breakdowns is None:
        active_breakdowns = DEFAULT_BREAKDOWNS if cb.inferred else len(cb.breakdowns)
    spare = data.get("breakdowns", [])[active_breakdowns:]
    if not spare:
        text = _yaml(data)
    else:
        keys = list(data)
        cut = keys.index("breakdowns") + 1
        head = {k: data[k] for k in keys[:cut]}
        head["breakdowns"] = head["breakdowns"][:active_breakdowns]
        tail = {k: data[k] for k in keys[cut:]}
        if not head["breakdowns"]:
            head["breakdowns"] = []
        note = ("# More possible breakdowns found in the data: uncomment one to use it (or\n"
                "# name its column with --by).\n")
        commented = "".join(f"# {line}\n" if line else "#\n"
                            for line in _yaml(spare).splitlines())
        text = _yaml(head) + note + commented + (_yaml(tail) if tail else "")
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
