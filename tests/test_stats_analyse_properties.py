"""Properties of the whole ``analyse()`` output on random surveys (Hypothesis).

``test_stats_properties`` checks the building blocks; this checks what reaches
results.json, through the codebook (a "Don't know" answer outside the base, a reversed
item, a tick-all question, an index): counts add up to the valid base, percentages to
100, shuffling respondents changes nothing, all-ones weights give the unweighted figures,
and every adjusted p-value is at least its raw one.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveykit import Survey, analyse
from surveykit.codebook import parse_codebook

LABELS = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
OPTIONS = ["Time", "Money", "Rules"]
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def frames(draw):
    """A random survey export: 3 agree items (one reversed), two breakdowns, a tick-all
    question, and positive weights; answers skipped, "Don't know" or missing at random."""
    n = draw(st.integers(12, 150))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    answers = np.array(LABELS + ["Don't know", ""], dtype=object)
    # group-dependent answer shares, so some tests are significant and some are not
    team = rng.choice(["Red", "Blue", "Green", ""], size=n, p=[0.4, 0.3, 0.25, 0.05])
    frame = pd.DataFrame({"team": team,
                          "band": rng.choice(["Junior", "Senior"], size=n),
                          "w": rng.lognormal(0, 0.5, size=n)})
    for j in range(3):
        shift = np.where(team == "Red", draw(st.integers(0, 2)), 0)
        code = np.clip(rng.integers(0, 7, size=n) + shift, 0, 6)
        frame[f"q{j}"] = answers[code]
    ticks = rng.random((n, len(OPTIONS))) < 0.4
    frame["why"] = [";".join(o for o, t in zip(OPTIONS, row) if t) for row in ticks]
    return frame


def _codebook(weighted: bool):
    raw = {
        "scales": {"agree": {"labels": LABELS, "positive": ["Agree", "Strongly agree"],
                             "neutral": ["Neither"], "negative": LABELS[:2],
                             "not_applicable": ["Don't know"]}},
        "items": [{"id": f"q{j}", "scale": "agree", "reverse": j == 2} for j in range(3)],
        "breakdowns": [{"id": "team"}, {"id": "band"}],
        "multi": [{"id": "why", "column": "why", "separator": ";", "options": OPTIONS}],
        "indices": [{"id": "idx", "label": "Index", "items": ["q0", "q1", "q2"],
                     "min_share": 0.5}],
    }
    if weighted:
        raw["weight"] = "w"
    return parse_codebook(raw)


def _run(frame: pd.DataFrame, weighted: bool = False, **kw):
    return analyse(Survey.from_frame(frame.reset_index(drop=True), _codebook(weighted)), **kw)


def _cells(results):
    """(item, overall-or-group figures) for every item and group shown."""
    for item in results.items:
        yield item, item.overall
        for b in item.by.values():
            for g in b.groups:
                yield item, g.figures


@given(frames(), st.booleans())
@SETTINGS
def test_counts_add_to_the_valid_base_and_percentages_to_100(frame, weighted):
    results = _run(frame, weighted)
    for item, fig in _cells(results):
        base = fig.weighted_n if weighted else fig.n
        assert sum(fig.counts) == pytest.approx(base, rel=1e-12, abs=1e-12)
        if fig.n > 0:
            total = fig.pct_positive + fig.pct_neutral + fig.pct_negative
            assert total == pytest.approx(100.0, rel=1e-12)
        else:
            assert math.isnan(fig.pct_positive)
    for item in results.items:
        answered = frame[item.id].isin(LABELS)
        assert item.overall.n == int(answered.sum())  # "Don't know" and blanks excluded
        for bid, b in item.by.items():
            stated = frame[bid] != ""
            assert sum(g.figures.n for g in b.groups) == int((answered & stated).sum())
    for m in results.multi:
        for b in m.by.values():
            assert sum(g.figures.n for g in b) <= m.overall.n


def _close(a, b, path="") -> None:
    """Equal JSON-like payloads, floats to 1e-9 (sums in another order round differently)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), path
    else:
        assert a == b, path


@given(frames(), st.booleans(), st.integers(0, 2**32 - 1))
@SETTINGS
def test_shuffling_respondents_changes_nothing(frame, weighted, seed):
    perm = np.random.default_rng(seed).permutation(len(frame))
    a = _run(frame, weighted).to_dict()
    b = _run(frame.iloc[perm], weighted).to_dict()
    _close(a, b)


@given(frames())
@SETTINGS
def test_all_ones_weights_give_the_unweighted_figures(frame):
    plain = _run(frame)
    ones = _run(frame.assign(w=1.0), weighted=True)
    for (_, a), (_, b) in zip(_cells(plain), _cells(ones)):
        assert b.n == a.n
        assert b.counts == pytest.approx(a.counts, rel=1e-12)
        assert b.weighted_n == pytest.approx(a.n, rel=1e-12)
        if a.n:
            assert b.n_eff == pytest.approx(a.n, rel=1e-12)
            for key in ("pct_positive", "pct_neutral", "pct_negative", "mean"):
                assert getattr(b, key) == pytest.approx(getattr(a, key), rel=1e-12)
    for x, y in zip(plain.indices, ones.indices):
        assert (y.score, y.n, y.alpha) == pytest.approx((x.score, x.n, x.alpha), rel=1e-12,
                                                        nan_ok=True)
    for x, y in zip(plain.multi, ones.multi):
        assert y.overall.pct_respondents == pytest.approx(x.overall.pct_respondents,
                                                          rel=1e-12, nan_ok=True)


def _p_pairs(results):
    for item in results.items:
        for b in item.by.values():
            for t in (b.test, b.mean_test):
                if t is not None:
                    yield t.p_value, t.p_adjusted
            for g in b.groups:
                yield g.vs_rest.p_value, g.vs_rest.p_adjusted
                yield g.mean_vs_rest.p_value, g.mean_vs_rest.p_adjusted
    for m in results.multi:
        for tests in m.tests.values():
            for t in tests:
                yield t.p_value, t.p_adjusted


@given(frames(), st.booleans(), st.sampled_from(["holm", "bh", "bonferroni"]))
@SETTINGS
def test_adjusted_p_is_never_below_raw_p(frame, weighted, correction):
    results = _run(frame, weighted, correction=correction)
    pairs = list(_p_pairs(results))
    assert pairs
    for raw, adj in pairs:
        if math.isnan(raw):
            assert math.isnan(adj)
        else:
            assert raw - 1e-15 <= adj <= 1.0
