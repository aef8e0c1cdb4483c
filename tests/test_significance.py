"""Chi-square, two-proportion tests and p-value corrections against R and scipy.

Expected values come from ``tests/reference/make_reference.R`` (R 4.2, committed beside
``expected.json``); CI does not need R.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.stats import chi2_contingency

from conftest import REFERENCE
from surveykit.analysis.significance import adjust, chi_square, two_proportions

R = json.loads((REFERENCE / "expected.json").read_text())


@pytest.mark.parametrize("name", ["table_6x5", "table_4x5_sparse", "table_2x2"])
def test_chi_square_matches_r(name):
    """R: ``chisq.test(tab, correct = FALSE)``; V = sqrt(X2 / (n (min(r, c) - 1)))."""
    ref = R["chisq"][name]
    out = chi_square(np.array([ref["table"]], dtype=float))
    assert out["statistic"][0] == pytest.approx(ref["statistic"], rel=1e-10)
    assert out["df"][0] == ref["df"]
    assert out["p_value"][0] == pytest.approx(ref["p_value"], rel=1e-9)
    assert out["effect_size"][0] == pytest.approx(ref["cramers_v"], rel=1e-10)
    assert out["min_expected"][0] == pytest.approx(ref["min_expected"], rel=1e-10)


def test_chi_square_stack_equals_scipy_table_by_table():
    rng = np.random.default_rng(7)
    tables = rng.integers(0, 40, size=(25, 5, 4)).astype(float)
    tables[3, 2, :] = 0  # an empty group is dropped, as chisq.test on the rest would
    tables[4, :, 1] = 0  # an empty category likewise
    out = chi_square(tables)
    for i, t in enumerate(tables):
        t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
        stat, p, df, _ = chi2_contingency(t, correction=False)
        assert out["statistic"][i] == pytest.approx(stat, rel=1e-10)
        assert out["p_value"][i] == pytest.approx(p, rel=1e-9)
        assert out["df"][i] == df


def test_chi_square_degenerate_table_is_nan_not_an_error():
    out = chi_square(np.array([[[5, 0], [0, 0]], [[0, 0], [0, 0]]], dtype=float))
    assert np.isnan(out["p_value"]).all()
    assert out["df"].tolist() == [0, 0]


@pytest.mark.parametrize("method,key", [("holm", "holm"), ("bh", "BH"),
                                        ("bonferroni", "bonferroni")])
def test_adjust_matches_r_p_adjust(method, key):
    """R: ``p.adjust(p, method = "holm" | "BH" | "bonferroni")``."""
    p = np.array(R["p_adjust"]["p"])
    assert adjust(p, method) == pytest.approx(np.array(R["p_adjust"][key]), rel=1e-12)


def test_adjust_leaves_untested_entries_out_of_the_family():
    p = np.array([0.01, np.nan, 0.04])
    out = adjust(p, "holm")
    assert np.isnan(out[1])
    assert out[[0, 2]] == pytest.approx([0.02, 0.04])  # family of two, not three


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=40),
       st.sampled_from(["holm", "bh", "bonferroni"]))
@settings(max_examples=200, deadline=None)
def test_adjusted_p_never_below_raw_p(p, method):
    raw = np.array(p)
    adj = adjust(raw, method)
    assert np.all(adj >= raw - 1e-15)
    assert np.all(adj <= 1.0)


def test_two_proportions_matches_r_prop_test():
    """R: ``prop.test(c(x1, x2), c(n1, n2), correct = FALSE)``."""
    refs = R["prop_ci"]["two_sample"]
    x1, n1, x2, n2 = (np.array([r[k] for r in refs], dtype=float)
                      for k in ("x1", "n1", "x2", "n2"))
    out = two_proportions(x1, n1, x2, n2)
    assert out["p_value"] == pytest.approx([r["p_value"] for r in refs], rel=1e-9)
    assert out["z"] ** 2 == pytest.approx([r["statistic"] for r in refs], rel=1e-9)


def test_wave_change_holm_matches_r():
    """R: ``p.adjust(prop.test(...)$p.value for 5 items, "holm")``."""
    items = R["wave_change"]["items"]
    out = two_proportions(*(np.array([r[k] for r in items], dtype=float)
                            for k in ("x1", "n1", "x2", "n2")))
    assert out["p_value"] == pytest.approx([r["p_value"] for r in items], rel=1e-9)
    assert adjust(out["p_value"], "holm") == pytest.approx(R["wave_change"]["p_holm"], rel=1e-9)
