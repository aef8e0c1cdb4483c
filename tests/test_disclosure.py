"""Small-group suppression and complementary suppression."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from surveykit import Survey, analyse, load_codebook, suppress
from surveykit.analysis.disclosure import protect
from surveykit.render import render_html, render_json


def test_primary_and_complementary():
    assert protect(np.array([50, 4, 30, 12]), 10).tolist() == [0, 1, 0, 2]
    # two small groups that together reach the threshold protect each other
    assert protect(np.array([50, 4, 6, 12]), 10).tolist() == [0, 1, 1, 0]
    # two small groups under the threshold together need a third
    assert protect(np.array([50, 3, 4, 12]), 10).tolist() == [0, 1, 1, 2]
    # nothing small: nothing hidden
    assert protect(np.array([50, 10, 30]), 10).tolist() == [0, 0, 0]
    # an empty group reveals nobody and gives no cover
    assert protect(np.array([0, 5, 40, 20]), 10).tolist() == [0, 1, 0, 2]


def test_not_stated_respondents_are_protected_too():
    # 3 people did not give their group: total minus shown groups would reveal their answers
    assert protect(np.array([50, 30, 12]), 10, hidden_unshown=3).tolist() == [0, 0, 2]
    # 15 not-stated people are cover enough for one small group
    assert protect(np.array([50, 6, 30]), 10, hidden_unshown=15).tolist() == [0, 1, 0]


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=12),
       st.integers(min_value=0, max_value=20), st.integers(min_value=2, max_value=15))
@settings(max_examples=500, deadline=None)
def test_hidden_sizes_cannot_be_derived_by_subtraction(sizes, not_stated, k):
    """Whatever is shown, total minus shown groups gives nobody, or the not stated alone
    when there are at least k of them, or at least two hidden sets with k people."""
    sizes = np.array(sizes, dtype=float)
    state = protect(sizes, k, hidden_unshown=not_stated)
    primary = (sizes > 0) & (sizes < k)
    assert np.all(state[primary] > 0), "every small group is hidden"
    hidden = sizes[(state > 0) & (sizes > 0)]
    derivable = hidden.sum() + not_stated  # what the total minus the shown groups gives
    members = len(hidden) + (not_stated > 0)
    if members and len(sizes[(state == 0) & (sizes > 0)]):
        if len(hidden) == 0:  # only the not stated: no group's figure is revealed
            assert not_stated >= k
        else:
            assert members >= 2 and derivable >= k
    if members == 1 and not_stated == 0:  # could not be covered: everything else is empty
        assert len(sizes[(state == 0) & (sizes > 0)]) == 0


def _survey_with_small_group(n_small: int = 4):
    rng = np.random.default_rng(5)
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
              "Strongly agree"]
    teams = ["Alpha"] * 40 + ["Bravo"] * 25 + ["Zulu-Tiny"] * n_small + ["Charlie"] * 15
    frame = pd.DataFrame({"Team": teams,
                          "Q1": rng.choice(labels, size=len(teams)),
                          "Q2": rng.choice(labels, size=len(teams))})
    cb = load_codebook_text("""
items:
  - {id: q1, column: Q1, scale: agree5}
  - {id: q2, column: Q2, scale: agree5}
breakdowns:
  - {id: team, column: Team}
""")
    return Survey.from_frame(frame, cb)


def load_codebook_text(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cb.yaml"
        path.write_text(text)
        return load_codebook(path)


def test_small_group_withheld_everywhere():
    survey = _survey_with_small_group()
    results = suppress(analyse(survey), min_group=10)
    summary = {g.group: g for g in results.breakdowns[0].groups}
    assert summary["Zulu-Tiny"].suppressed and summary["Zulu-Tiny"].n is None
    assert summary["Charlie"].suppressed  # the next smallest, complementary
    assert not summary["Alpha"].suppressed
    for item in results.items:
        groups = {g.group: g for g in item.by["team"].groups}
        assert groups["Zulu-Tiny"].figures is None and groups["Zulu-Tiny"].vs_rest is None
        assert groups["Charlie"].figures is None
    payload = json.loads(render_json(results))
    for item in payload["items"]:
        tiny = next(g for g in item["by"]["team"]["groups"] if g["group"] == "Zulu-Tiny")
        assert tiny == {"group": "Zulu-Tiny", "suppressed": True,
                        "suppression": "fewer than 10 responses"}
    html = render_html(results)
    assert all(f.group not in ("Zulu-Tiny", "Charlie") for f in results.findings)
    row = html[html.index('<th scope="row">Zulu-Tiny</th>'):]
    row = row[: row.index("</tr>")]
    assert "fewer than 10" in row and ">4<" not in row


def test_renderers_refuse_unsuppressed_results():
    results = analyse(_survey_with_small_group())
    with pytest.raises(ValueError):
        render_json(results)
    with pytest.raises(ValueError):
        render_html(results)


def test_min_group_one_hides_nothing():
    results = suppress(analyse(_survey_with_small_group()), min_group=1)
    assert not any(g.suppressed for g in results.breakdowns[0].groups)


def test_enough_not_stated_need_no_cover():
    # 15 people without a group are at least the threshold: nothing needs hiding
    assert protect(np.array([50, 30, 12]), 10, hidden_unshown=15).tolist() == [0, 0, 0]
    # but as cover for a small group they must not be counted twice
    assert protect(np.array([50, 6, 30]), 10, hidden_unshown=15).tolist() == [0, 1, 0]
