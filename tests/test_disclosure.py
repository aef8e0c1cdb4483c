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


# --- what is redone once groups are hidden: against independent references -------------

def _hidden_survey():
    """Teams of 40, 25, 4 (hidden) and 15 (hidden as cover) with two 5-point items."""
    return _survey_with_small_group(4)


def test_tests_use_the_hidden_groups_only_as_one_remainder():
    """scipy ``chi2_contingency(correction=False)`` on shown teams + the remainder."""
    from scipy.stats import chi2_contingency

    results = suppress(analyse(_hidden_survey()), min_group=10)
    for item in results.items:
        ib = item.by["team"]
        shown = [list(g.figures.counts) for g in ib.groups if not g.suppressed]
        rest = [o - sum(col) for o, col in zip(item.overall.counts, zip(*shown))]
        table = np.array(shown + [rest])
        table = table[:, table.sum(axis=0) > 0]
        stat, p, df, expected = chi2_contingency(table, correction=False)
        assert ib.test.statistic == pytest.approx(stat, rel=1e-12)
        assert ib.test.df == df
        assert ib.test.min_expected == pytest.approx(expected.min(), rel=1e-12)
        assert ib.test.n == item.overall.n
        if ib.test.p_method == "asymptotic":
            assert ib.test.p_value == pytest.approx(p, rel=1e-9)


def test_corrections_are_over_the_shown_tests():
    """statsmodels ``multipletests(method="holm")`` over the items' tests, and over the
    shown groups' group-vs-rest tests only."""
    from statsmodels.stats.multitest import multipletests

    results = suppress(analyse(_hidden_survey()), min_group=10)
    raw = [i.by["team"].test.p_value for i in results.items]
    expected = multipletests(raw, method="holm")[1]
    assert [i.by["team"].test.p_adjusted for i in results.items] == pytest.approx(expected)
    shown = [g for i in results.items for g in i.by["team"].groups if not g.suppressed]
    expected = multipletests([g.vs_rest.p_value for g in shown], method="holm")[1]
    assert [g.vs_rest.p_adjusted for g in shown] == pytest.approx(expected, rel=1e-12)


def test_letters_compare_shown_groups_only():
    """Holm over the pairs of shown teams of each item (statsmodels ``proportions_ztest``),
    letters for p < 0.01 (upper case) or < 0.05 (lower case)."""
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import proportions_ztest

    rng = np.random.default_rng(9)
    teams = ["Alpha"] * 60 + ["Bravo"] * 60 + ["Tiny"] * 5 + ["Charlie"] * 50
    labels = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
              "Strongly agree"]
    p = {"Alpha": [.1, .1, .1, .4, .3], "Bravo": [.3, .3, .2, .1, .1], "Tiny": [1, 0, 0, 0, 0],
         "Charlie": [.2, .2, .2, .2, .2]}
    frame = pd.DataFrame({"Team": teams, "Q1": [rng.choice(labels, p=p[t]) for t in teams]})
    cb = load_codebook_text("""
items:
  - {id: q1, column: Q1, scale: agree5}
breakdowns:
  - {id: team, column: Team, groups: [Alpha, Bravo, Tiny, Charlie]}
""")
    results = suppress(analyse(Survey.from_frame(frame, cb)), min_group=10)
    groups = results.item("q1").by["team"].groups
    shown = [g for g in groups if not g.suppressed]
    assert [g.group for g in groups if g.suppressed] == ["Tiny", "Charlie"]
    pos = {g.group: sum(c for c, pol in zip(g.figures.counts, (-1, -1, 0, 1, 1)) if pol > 0)
           for g in shown}
    n = {g.group: g.figures.n for g in shown}
    pairs = [(a, b) for i, a in enumerate(pos) for b in list(pos)[i + 1:]]
    raw = [proportions_ztest([pos[a], pos[b]], [n[a], n[b]])[1] for a, b in pairs]
    adjusted = dict(zip(pairs, multipletests(raw, method="holm")[1]))
    letter = {g.group: g.letter for g in groups}
    for g in shown:
        expected = []
        for h in shown:
            key = (g.group, h.group) if (g.group, h.group) in adjusted else (h.group, g.group)
            if h is g or pos[g.group] / n[g.group] <= pos[h.group] / n[h.group]:
                continue
            if adjusted[key] < 0.01:
                expected.append(letter[h.group])
            elif adjusted[key] < 0.05:
                expected.append(letter[h.group].lower())
        assert list(g.higher_than) == expected, g.group
    assert any(g.higher_than for g in shown)  # Alpha is well above Bravo


def test_nothing_hidden_leaves_the_tests_alone():
    unsuppressed = analyse(_survey_with_small_group(12))
    results = suppress(unsuppressed, min_group=10)
    assert not any(g.suppressed for g in results.breakdowns[0].groups)
    for before, after in zip(unsuppressed.items, results.items):
        assert after.by == before.by


def test_tick_all_tests_use_the_remainder():
    """scipy ``chi2_contingency`` on ticked / not ticked by shown teams + the remainder."""
    from scipy.stats import chi2_contingency

    rng = np.random.default_rng(4)
    teams = ["Alpha"] * 40 + ["Bravo"] * 30 + ["Tiny"] * 3 + ["Charlie"] * 20
    ticks = [";".join(o for o in ("Time", "Money") if rng.random() < 0.5) for _ in teams]
    frame = pd.DataFrame({"Team": teams, "B": ticks,
                          "Q1": rng.choice(["Agree", "Disagree"], len(teams))})
    cb = load_codebook_text("""
items:
  - {id: q1, column: Q1, scale: agree5}
multi:
  - {id: b, column: B, separator: ";", options: [Time, Money]}
breakdowns:
  - {id: team, column: Team, groups: [Alpha, Bravo, Tiny, Charlie]}
""")
    m = suppress(analyse(Survey.from_frame(frame, cb)), min_group=10).multi[0]
    shown = [g.figures for g in m.by["team"] if not g.suppressed]
    assert len(shown) == 2
    for j, test in enumerate(m.tests["team"]):
        yes = [f.counts[j] for f in shown] + [m.overall.counts[j] - sum(f.counts[j] for f in shown)]
        base = [f.n for f in shown] + [m.overall.n - sum(f.n for f in shown)]
        stat, p, df, _ = chi2_contingency(np.array([yes, np.subtract(base, yes)]),
                                          correction=False)
        assert test.statistic == pytest.approx(stat, rel=1e-12) and test.df == df
        if test.p_method == "asymptotic":
            assert test.p_value == pytest.approx(p, rel=1e-9)


def test_suppressing_twice_is_refused_or_a_no_op():
    once = suppress(analyse(_hidden_survey()), min_group=10)
    assert suppress(once, min_group=10) is once
    with pytest.raises(ValueError):
        suppress(once, min_group=5)
