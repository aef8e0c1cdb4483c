"""Shared loaders for the statistics tests: the R reference values and their data files."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
from conftest import REFERENCE

DATA = REFERENCE / "data"


@cache
def reference() -> dict:
    """``tests/reference/expected.json`` (make_reference.R)."""
    return json.loads((REFERENCE / "expected.json").read_text())


@cache
def reference_extra() -> dict:
    """``tests/reference/expected_extra.json`` (make_reference_extra.R)."""
    return json.loads((REFERENCE / "expected_extra.json").read_text())


def weighted_data() -> dict[str, np.ndarray]:
    """``weighted.csv`` as the arrays surveykit works with.

    ``item``: codes 0..4 for answers 1..5, -1 missing; ``group`` A..D -> 0..3;
    ``group2`` X..Z -> 0..2; ``w`` weights; ``pos``: 1.0 for 4/5, 0.0 for 1-3, NaN missing.
    """
    d = pd.read_csv(DATA / "weighted.csv")
    item = np.where(d["item"].isna(), -1, d["item"].fillna(0) - 1).astype(np.int64)
    return {
        "item": item,
        "group": pd.Categorical(d["group"], categories=list("ABCD")).codes.astype(np.int64),
        "group2": pd.Categorical(d["group2"], categories=list("XYZ")).codes.astype(np.int64),
        "w": d["w"].to_numpy(dtype=float),
        "pos": np.where(item < 0, np.nan, (item >= 3).astype(float)),
        "score": np.where(item < 0, np.nan, item + 1.0),
    }


def index_data() -> dict[str, np.ndarray]:
    """``alpha_items.csv`` with the gaps, groups and weights of make_reference_extra.R."""
    x = pd.read_csv(DATA / "alpha_items.csv").to_numpy(dtype=float)
    row = np.arange(1, len(x) + 1)
    x[row % 11 == 0, 2] = np.nan
    x[row % 17 == 0, 4] = np.nan
    codes = np.where(np.isnan(x), -1, x - 1).astype(np.int64)
    return {"codes": codes, "group": (row - 1) % 3, "w": 0.5 + (row % 7) / 4}
