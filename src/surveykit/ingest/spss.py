"""SPSS files (.sav, .zsav, .por) through pyreadstat.

Choice made here: coded answers are **converted to their value labels** (1 -> "Strongly
disagree"), so a codebook written for the text export of a survey also fits its ``.sav``,
and answers read the same in every output. The codes are not lost: ``RawTable.value_labels``
keeps ``{code: label}`` in code order, which inference uses to order a scale, and codes
without a label (the 2..9 between "1 = very poor" and "10 = very good") stay as their number
written as text ("2"). User-missing values (``user_missing=True``: -99, "Refused") are read,
converted the same way, and listed in ``RawTable.missing_values``, so inference makes them
not-applicable answers rather than dropping them silently. Variable labels become
``question_text``; multiple-response sets (``mr_sets``) become ``multi_sets``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from surveykit.errors import InputError
from surveykit.ingest.assemble import table_from_frame
from surveykit.ingest.grid import tidy_numbers
from surveykit.ingest.table import MultiSet, RawTable


def _code_text(value: object) -> str:
    """A code as the analyst would type it: 2.0 -> "2"."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _in_ranges(value: object, ranges: list[dict]) -> bool:
    for rng in ranges:
        lo, hi = rng.get("lo"), rng.get("hi")
        try:
            if lo <= value <= hi:
                return True
        except TypeError:  # a string code against numeric ranges, or the reverse
            continue
    return False


def _label_column(series: pd.Series, labels: dict, ranges: list[dict]) -> tuple[pd.Series,
                                                                              tuple[str, ...]]:
    """Codes -> labels (unlabelled codes as text), and the user-missing answers seen."""
    uniques = series.dropna().unique()
    mapping = {u: labels.get(u, _code_text(u)) for u in uniques}
    missing = tuple(dict.fromkeys(mapping[u] for u in uniques if _in_ranges(u, ranges)))
    return series.map(mapping).astype(object), missing


def read_spss(path: Path, *, source: str | None = None, keep_metadata: bool = False) -> RawTable:
    """Read an SPSS ``.sav``/``.zsav`` (or portable ``.por``) file.

    Parameters
    ----------
    path
        The file.
    source
        How to name the file in messages (defaults to ``path``).
    keep_metadata
        Keep platform metadata columns (a Qualtrics ``.sav`` carries IP address and e-mail).
    """
    source = source or str(path)
    try:
        import pyreadstat
    except ImportError:
        raise InputError("reading SPSS files needs pyreadstat: pip install 'surveykit[spss]'",
                         path=source) from None
    if path.stat().st_size == 0:
        raise InputError("the file is empty", path=source)
    try:
        if path.suffix.lower() == ".por":
            frame, meta = pyreadstat.read_por(str(path))
        else:
            frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # noqa: BLE001 - ReadstatError, PyreadstatError, OSError ...
        raise InputError(f"not a readable SPSS file ({' '.join(str(exc).split())[:160]})",
                         path=source) from None
    if frame.shape[1] == 0:
        raise InputError("the SPSS file has no variables", path=source)
    if frame.shape[0] == 0:
        raise InputError("the SPSS file has variables but no cases (responses)", path=source)
    value_labels: dict[str, dict] = {}
    missing_values: dict[str, tuple[str, ...]] = {}
    ranges_by_column = getattr(meta, "missing_ranges", {}) or {}
    columns = {}
    for name in frame.columns:
        series = frame[name]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            text = series.astype(object)
            series = text.where(text.map(lambda v: isinstance(v, str) and v.strip() != ""
                                         or not isinstance(v, str) and pd.notna(v)), None)
        labels = (meta.variable_value_labels or {}).get(name)
        ranges = ranges_by_column.get(name, [])
        if labels:
            series, missing = _label_column(series, labels, ranges)
            value_labels[name] = dict(sorted(labels.items(), key=lambda kv: _order(kv[0])))
            if missing:
                missing_values[name] = missing
        elif ranges:
            uniques = series.dropna().unique()
            missing = tuple(_code_text(u) for u in uniques if _in_ranges(u, ranges))
            if missing:
                # keep the column numeric; the codes are what the frame holds
                missing_values[name] = missing
        columns[name] = series
    frame = tidy_numbers(pd.DataFrame(columns))
    texts = {k: " ".join(str(v).split()) for k, v in (meta.column_names_to_labels or {}).items()
             if v and str(v).strip()}
    sets, warnings = _mr_sets(meta, frame, texts, value_labels)
    return table_from_frame(frame, source=source, fmt="spss", keep_metadata=keep_metadata,
                            question_text=texts, value_labels=value_labels,
                            missing_values=missing_values, multi_sets=tuple(sets),
                            warnings=warnings)


def _order(code: object) -> tuple[int, float, str]:
    """Sort numeric codes numerically and string codes alphabetically."""
    try:
        return (0, float(code), "")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return (1, 0.0, str(code))


def _mr_sets(meta, frame: pd.DataFrame, texts: dict[str, str],
             value_labels: dict[str, dict]) -> tuple[list[MultiSet], list[str]]:
    """Multiple-response sets; dichotomy cells rewritten to 1 (counted) or 0 (not)."""
    sets, warnings = [], []
    for set_name, spec in (getattr(meta, "mr_sets", None) or {}).items():
        variables = tuple(v for v in spec.get("variable_list", []) if v in frame.columns)
        if len(variables) < 2:
            continue
        label = str(spec.get("label") or set_name)
        if spec.get("type") == "D" or spec.get("is_dichotomy"):
            counted = spec.get("counted_value")
            for var in variables:
                counted_text = {_code_text(counted)}
                if var in value_labels and counted in value_labels[var]:
                    counted_text.add(value_labels[var][counted])
                col = frame[var]
                shown = col.map(lambda v: None if pd.isna(v) else _code_text(v))
                frame[var] = np.where(col.isna(), None,
                                      np.where(shown.isin(counted_text), 1, 0))
                frame[var] = frame[var].astype("Int64")
            options = tuple(texts.get(v, v) for v in variables)
            sets.append(MultiSet(id=set_name, label=label, options=options, columns=variables,
                                 counted_value=counted, kind="dichotomy"))
            warnings.append(f"multiple-response set {set_name}: cells rewritten as 1 (counted "
                            f"value {counted!r}) and 0")
        else:
            # Each variable holds one category chosen (first mention, second ...): the
            # options are every category the set's value labels name, in code order, then
            # any answer given that has no label.
            options: dict[str, None] = {}
            for var in variables:
                for lab in value_labels.get(var, {}).values():
                    options.setdefault(str(lab), None)
            for var in variables:
                for value in frame[var].dropna().unique():
                    options.setdefault(_code_text(value), None)
            sets.append(MultiSet(id=set_name, label=label, options=tuple(options),
                                 columns=variables, kind="categories"))
    return sets, warnings
