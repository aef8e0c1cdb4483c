"""Parquet files through pyarrow.

Categorical (dictionary) columns become plain labels; an *ordered* categorical, as R's
ordered factors and pandas' ordered categories are saved, also records its order in
``RawTable.value_labels`` (``{1: first category, 2: ...}``), as SPSS value labels do.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from surveykit.errors import InputError
from surveykit.ingest.assemble import table_from_frame
from surveykit.ingest.table import RawTable


def read_parquet(path: Path, *, source: str | None = None,
                 keep_metadata: bool = False) -> RawTable:
    """Read a Parquet file.

    Parameters
    ----------
    path
        The file.
    source
        How to name the file in messages (defaults to ``path``).
    keep_metadata
        Keep platform metadata columns.
    """
    source = source or str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet files needs pyarrow: pip install "
                         "'surveykit[parquet]'", path=source) from None
    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as exc:  # noqa: BLE001 - ArrowInvalid, OSError ...: truncated, foreign
        raise InputError(f"not a readable Parquet file ({' '.join(str(exc).split())[:160]})",
                         path=source) from None
    if frame.shape[1] == 0:
        raise InputError("the Parquet file has no columns", path=source)
    if frame.shape[0] == 0:
        raise InputError("the Parquet file has columns but no rows (responses)", path=source)
    value_labels = {}
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            if col.dtype.ordered:
                value_labels[str(name)] = {i + 1: str(c) for i, c in
                                           enumerate(col.cat.categories)}
            frame[name] = col.astype(object).where(col.notna(), None)
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()  # a meaningful index (respondent id) becomes a column
    return table_from_frame(frame, source=source, fmt="parquet", keep_metadata=keep_metadata,
                            value_labels=value_labels)
