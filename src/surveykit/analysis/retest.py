"""Tests redone on what suppression shows.

Everything shown must follow from the shown groups and the combined hidden remainder only,
never from how the remainder splits between hidden groups. Tests that used the hidden
groups one by one (chi-square, Fisher, Kruskal-Wallis, tick-all options) are therefore
redone with the hidden groups and the not stated pooled into one remainder; p-value
families and column letters are redone over the shown groups only. Weighted and stratified
tests cannot be redone from the result records (they need sums of squared weights, sums by
stratum), so where a group is hidden they are withheld.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from surveykit.analysis import itemstats
from surveykit.analysis.cover import reason
from surveykit.analysis.itemstats import Design, Masks
from surveykit.analysis.multitests import TickSums, multi_tests
from surveykit.analysis.results import (
    GroupResult,
    ItemResult,
    MultiResult,
    OptionTest,
    SurveyResults,
    TestResult,
)
from surveykit.analysis.significance import adjust
from surveykit.analysis.weights import CellSums

WITHHELD = ("withheld to protect a suppressed group (a weighted or stratified test cannot "
            "be redone without it)")

NAN = float("nan")


def not_redoable(results: SurveyResults) -> bool:
    """Weighted or stratified tests need sums the records do not keep (squared weights,
    sums by stratum): they cannot be redone from the shown groups and the remainder."""
    return results.settings.weighted or getattr(results.settings, "strata", None) is not None


def _design(results: SurveyResults) -> Design:
    s = results.settings
    return Design(weighted=False, n_total=float(results.respondents), population=s.population,
                  confidence=s.confidence, correction=s.correction, strict=s.letters_strict,
                  loose=s.letters_loose, letters_family=s.letters_family,
                  exact_stop=itemstats.exact_stop(s.alpha))


def _cube(items: list[ItemResult], rows: list[list[np.ndarray]]) -> tuple[CellSums, Masks]:
    """Unweighted cell sums (``items x groups + 1 x categories + 1``) from answer counts."""
    n_cat = max(len(i.labels) for i in items)
    n_groups = len(rows[0])
    n = np.zeros((len(items), n_groups + 1, n_cat + 1), dtype=np.int64)
    masks = {key: np.zeros((len(items), n_cat + 1), dtype=bool)
             for key in ("valid", "na", "positive", "neutral", "negative")}
    score = np.zeros((len(items), n_cat + 1))
    for i, (item, counts) in enumerate(zip(items, rows)):
        k, pol = len(item.labels), np.array(item.polarity)
        for g, c in enumerate(counts):
            n[i, g, :k] = np.rint(c)
        masks["valid"][i, :k] = True
        masks["positive"][i, :k] = pol == 1
        masks["negative"][i, :k] = pol == -1
        masks["neutral"][i, :k] = pol == 0
        score[i, :k] = np.arange(1, k + 1)
    return CellSums(n=n, w=n.astype(float), w2=n.astype(float)), Masks(score=score, **masks)


def _withheld(test: TestResult | None) -> TestResult | None:
    if test is None:
        return None
    return replace(test, statistic=NAN, df=0, p_value=NAN, p_adjusted=NAN, effect_size=NAN,
                   n=0, min_expected=NAN, share_expected_lt5=NAN, p_method=WITHHELD,
                   ddf=None, ndf=None, resamples=0)


def _pooled_tests(item: ItemResult, bid: str, hidden: np.ndarray, design: Design
                  ) -> tuple[TestResult, TestResult]:
    """Omnibus and mean tests over the shown groups plus one remainder (everyone else)."""
    groups = item.by[bid].groups
    shown = [np.array(g.figures.counts) for g, h in zip(groups, hidden) if not h]
    rest = np.array(item.overall.counts) - sum(shown, np.zeros(len(item.labels)))
    rows = shown + [np.maximum(rest, 0.0)]
    s, masks = _cube([item], [rows])
    f = itemstats.figures(s, masks, design)
    omni = itemstats.omnibus(s, masks, design, len(rows))
    means = itemstats.mean_test(s, masks, design, f, len(rows))
    return itemstats.result_record(omni), itemstats.result_record(means)


def _letters(items: list[ItemResult], bid: str, hidden: list[np.ndarray],
             design: Design) -> list[list[tuple[str, ...]]]:
    """Column letters between shown groups only (hidden groups are not in any pair)."""
    rows = [[np.zeros(len(item.labels)) if h or g.figures is None else np.array(g.figures.counts)
             for g, h in zip(item.by[bid].groups, hid)] for item, hid in zip(items, hidden)]
    s, masks = _cube(items, rows)
    n_groups = len(rows[0])
    lett = itemstats.letters(itemstats.figures(s, masks, design), design, n_groups)
    return [[tuple(lab if lett.level[i, g, h] == 2 else lab.lower()
                   for h, lab in enumerate(lett.labels) if lett.level[i, g, h] > 0)
             for g in range(n_groups)] for i in range(len(items))]


def protect_items(results: SurveyResults, states: list[dict[str, np.ndarray]],
                   k: int) -> tuple[ItemResult, ...]:
    """Hide groups item by item and redo what depended on them, breakdown by breakdown."""
    items = list(results.items)
    weighted = not_redoable(results)
    design = _design(results)
    correction = results.settings.correction
    by: list[dict] = [dict(item.by) for item in items]
    for bid in {b for item in items for b in item.by}:
        rows = [i for i, item in enumerate(items) if bid in item.by]
        hidden = {i: states[i][bid] > 0 for i in rows}
        if not any(hidden[i].any() for i in rows):
            continue
        tests, means = {}, {}
        for i in rows:
            ib = items[i].by[bid]
            if not hidden[i].any():
                tests[i], means[i] = ib.test, ib.mean_test
            elif weighted:
                tests[i], means[i] = _withheld(ib.test), _withheld(ib.mean_test)
            else:
                tests[i], means[i] = _pooled_tests(items[i], bid, hidden[i], design)
        for records in (tests, means):  # one family per breakdown: all its items
            live = [i for i in rows if records[i] is not None]
            adjusted = adjust(np.array([records[i].p_value for i in live]), correction)
            for i, p in zip(live, adjusted):
                records[i] = replace(records[i], p_adjusted=float(p))
        # Group vs rest: the family is the tests shown (all items and groups of the breakdown).
        raw = np.array([[NAN if h or g.vs_rest is None else g.vs_rest.p_value
                         for g, h in zip(items[i].by[bid].groups, hidden[i])] for i in rows])
        vs_adjusted = dict(zip(rows, adjust(raw, correction)))
        raw = np.array([[NAN if h or g.mean_vs_rest is None else g.mean_vs_rest.p_value
                         for g, h in zip(items[i].by[bid].groups, hidden[i])] for i in rows])
        mean_adjusted = dict(zip(rows, adjust(raw, correction)))
        family = results.settings.letters_family
        redo = [i for i in rows if family == "breakdown" or hidden[i].any()]
        letters = {}
        if redo and not weighted:
            letters = dict(zip(redo, _letters([items[i] for i in redo], bid,
                                               [hidden[i] for i in redo], design)))
        elif redo:
            letters = {i: [()] * len(hidden[i]) for i in redo}  # cannot be redone: withheld
        for i in rows:
            ib = items[i].by[bid]
            groups = []
            for g, (group, st) in enumerate(zip(ib.groups, states[i][bid])):
                if st:
                    groups.append(GroupResult(group=group.group, figures=None, suppressed=True,
                                              suppression=reason(int(st), k),
                                              letter=group.letter))
                    continue
                vs = group.vs_rest
                if vs is not None:
                    vs = replace(vs, p_adjusted=float(vs_adjusted[i][g]))
                mean_vs = group.mean_vs_rest
                if mean_vs is not None:
                    mean_vs = replace(mean_vs, p_adjusted=float(mean_adjusted[i][g]))
                groups.append(replace(group, vs_rest=vs, mean_vs_rest=mean_vs,
                                      higher_than=letters[i][g] if i in letters
                                      else group.higher_than))
            by[i][bid] = replace(ib, groups=tuple(groups), test=tests[i], mean_test=means[i])
    return tuple(replace(item, by=by[i]) for i, item in enumerate(items))


def multi_option_tests(m: MultiResult, bid: str, hidden: np.ndarray,
                       results: SurveyResults) -> tuple[OptionTest, ...]:
    """Per-option tests over the shown groups plus the remainder (or withheld, weighted)."""
    old = m.tests.get(bid, ())
    correction, respondents = results.settings.correction, results.respondents
    exact_stop = itemstats.exact_stop(results.settings.alpha)
    if not_redoable(results):
        return tuple(replace(t, statistic=NAN, df=NAN, p_value=NAN, p_adjusted=NAN,
                             p_method=WITHHELD, resamples=0) for t in old)
    shown = [g.figures for g, h in zip(m.by[bid], hidden) if not h and g.figures is not None]
    ticked = [np.array(f.counts, dtype=float) for f in shown]
    base = [float(f.n) for f in shown]
    ticked.append(np.maximum(np.array(m.overall.counts) - sum(ticked, np.zeros(len(m.options))),
                             0.0))
    base.append(max(float(m.overall.n) - sum(base), 0.0))
    ticked.append(np.zeros(len(m.options)))  # the not-stated slot: in the remainder already
    base.append(0.0)
    t_n, b_n = np.rint(np.array(ticked)), np.rint(np.array(base))
    sums = TickSums(ticked_n=t_n, ticked_w=t_n, ticked_w2=t_n, base_n=b_n, base_w=b_n,
                    base_w2=b_n)
    t = multi_tests(None, None, np.zeros(respondents, dtype=np.int32), len(base) - 1,
                    correction=correction, sums=sums, exact_stop=exact_stop)
    return tuple(OptionTest(option=opt, name=t.method, statistic=float(t.statistic[j]),
                            df=float(t.df[j]), p_value=float(t.p_value[j]),
                            p_adjusted=float(t.p_adjusted[j]), p_method=t.p_method[j],
                            resamples=t.resamples[j])
                 for j, opt in enumerate(m.options))
