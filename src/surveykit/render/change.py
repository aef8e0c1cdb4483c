"""The change since the last wave, as the paper shows it.

A :class:`~surveykit.analysis.waves.WaveComparison` holds every change between consecutive
waves, overall and per group, already tested and labelled. This module arranges the
latest step (the previous wave to this one) for the paper's "Change since last wave"
section: one row per statement of this wave in codebook order, grouped by theme, with the
statements that were not compared (wording or scale changed, or not asked in both waves)
saying why; the group results that changed significantly; the statements not in every
wave; the sentences for the headline findings; and, with three or more waves, a trend
chart per theme. Nothing here computes a statistic: figures come from the comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from surveykit.analysis.results import ItemResult, SurveyResults
from surveykit.analysis.significance import CORRECTION_NAMES
from surveykit.analysis.waves import OVERALL, Change, WaveComparison
from surveykit.render.format import fmt_n, fmt_pct, fmt_points
from surveykit.render.wording import positive_phrase

if TYPE_CHECKING:
    from collections.abc import Sequence

#: How each label of :class:`~surveykit.analysis.waves.Change` reads in the paper.
RESULT_TEXT = {"better": "Significantly better", "worse": "Significantly worse",
               "no significant change": "No significant change", "not tested": "Not tested"}


@dataclass(frozen=True)
class ChangeRow:
    """One statement of this wave against the last: its figures, or why there are none."""

    item: str
    label: str
    theme: str
    trend: tuple[float, ...]  # overall % positive in each wave (NaN: not asked)
    change: Change | None  # None: not compared
    status: str  # "better", "worse", "no significant change", "not tested", "not compared", "new"
    result: str  # the status in words
    reason: str  # why not compared ("" when compared)


@dataclass(frozen=True)
class GroupChange:
    """A group result that changed significantly."""

    breakdown_label: str
    label: str  # the statement
    change: Change


@dataclass(frozen=True)
class Trend:
    """The trend chart of one theme (three or more waves)."""

    theme: str
    svg: str
    alt: str  # every figure, for screen readers
    caption: str  # what the chart is; its figures are in the table beside it


@dataclass(frozen=True)
class ChangeView:
    """Everything the "Change since last wave" section shows."""

    waves: tuple[str, ...]
    wave_from: str
    wave_to: str
    rows: tuple[ChangeRow, ...]
    groups: tuple[GroupChange, ...]
    group_tests: int  # group comparisons made for the latest step
    not_compared: tuple[tuple[str, str, str], ...]  # (statement, wave, what changed)
    only_in_some: tuple[tuple[str, tuple[str, ...]], ...]  # (statement, waves it is in)
    trends: tuple[Trend, ...]
    headlines: tuple[tuple[str, str], ...]  # (sentence, "higher" or "lower"), largest first
    correction_name: str
    alpha: float
    comparisons: int  # size of the family the correction was applied across
    better: int
    worse: int
    unchanged: int


def _status(change: Change | None) -> str:
    return change.label if change is not None else "not compared"


def headline(change: Change, item: ItemResult | None, label: str) -> str:
    """A sentence with the figures and bases for one significant overall change, e.g.

    'Since 2025, more staff agreed that “I know where to refer someone”: 41%, up from
    33% (8 points; n = 1,002 in 2025 and 1,013 in 2026).'
    """
    more = change.change > 0
    return (f"Since {change.wave_from}, {'more' if more else 'fewer'} staff "
            f"{positive_phrase(item, label)}: {fmt_pct(change.pct_to)}, "
            f"{'up' if more else 'down'} from {fmt_pct(change.pct_from)} "
            f"({fmt_points(abs(change.change)).lstrip('+')}; n = {fmt_n(change.n_from)} in "
            f"{change.wave_from} and {fmt_n(change.n_to)} in {change.wave_to}).")


def change_view(comparison: WaveComparison, results: SurveyResults, *,
                breakdown_labels: dict[str, str] | None = None,
                trend_charts: bool = True) -> ChangeView:
    """Arrange ``comparison`` for the paper; ``results`` is the latest wave's.

    Parameters
    ----------
    comparison
        From :func:`surveykit.analysis.waves.compare_waves`, oldest wave first; the last
        wave is the one ``results`` describe.
    results
        Suppressed results of the latest wave (labels, themes and order come from here).
    breakdown_labels
        Breakdown id -> label, for the groups list (default: from ``results``).
    trend_charts
        Draw a trend chart per theme when there are three or more waves.
    """
    if len(comparison.waves) < 2:
        raise ValueError("a comparison needs at least two waves")
    labels = breakdown_labels or {b.id: b.label for b in results.breakdowns}
    wave_from, wave_to = comparison.waves[-2], comparison.waves[-1]
    latest = [c for c in comparison.changes
              if c.wave_from == wave_from and c.wave_to == wave_to]
    overall = {c.item: c for c in latest if c.breakdown == OVERALL}
    reworded = {i: what for i, w, what in comparison.wording_changed if w == wave_to}
    present = dict(comparison.only_in_some)
    # this wave's wording first; an item no longer asked keeps its last wording
    item_label = {**comparison.labels, **{i.id: i.label for i in results.items}}
    # A trend line never joins figures across a change of wording or scale: it starts at
    # the latest wave where the question changed.
    since = {i: max(comparison.waves.index(w) for j, w, _ in comparison.wording_changed
                    if j == i) for i, _, _ in comparison.wording_changed}
    rows = []
    for item in results.items:
        change = overall.get(item.id)
        trend = tuple(v if k >= since.get(item.id, 0) else math.nan
                      for k, v in enumerate(comparison.trends.get(item.id, ())))
        if change is not None:
            status, reason = change.label, ""
        elif item.id in reworded:  # the full wording is listed below the table
            status, reason = "not compared", reworded[item.id].split(" from ")[0]
        elif item.id in present and wave_from not in present[item.id]:
            status, reason = "new", f"not asked in {wave_from}"
        else:
            status, reason = "not compared", "no figures to compare"
        result = RESULT_TEXT.get(status, {"new": f"New in {wave_to}",
                                          "not compared": "Not compared"}.get(status, status))
        rows.append(ChangeRow(item=item.id, label=item.label, theme=item.theme, trend=trend,
                              change=change, status=status, result=result, reason=reason))
    groups = tuple(
        GroupChange(breakdown_label=labels.get(c.breakdown, c.breakdown),
                    label=item_label.get(c.item, c.item), change=c)
        for c in latest if c.breakdown != OVERALL and c.label in ("better", "worse"))
    by_id = {i.id: i for i in results.items}
    headlines = tuple((headline(c, by_id.get(c.item), item_label.get(c.item, c.item)),
                       "higher" if c.change > 0 else "lower")
                      for c in sorted((overall[r.item] for r in rows
                                       if r.status in ("better", "worse")),
                                      key=lambda c: -abs(c.change)))
    trends: tuple[Trend, ...] = ()
    if trend_charts and len(comparison.waves) >= 3:
        trends = _trend_charts(comparison.waves, rows)
    return ChangeView(
        waves=tuple(comparison.waves), wave_from=wave_from, wave_to=wave_to,
        rows=tuple(rows), groups=groups,
        group_tests=sum(1 for c in latest if c.breakdown != OVERALL),
        not_compared=tuple((item_label.get(i, i), w, what)
                           for i, w, what in comparison.wording_changed),
        only_in_some=tuple((item_label.get(i, i), waves)
                           for i, waves in comparison.only_in_some),
        trends=trends, headlines=headlines,
        correction_name=CORRECTION_NAMES.get(comparison.correction, comparison.correction),
        alpha=comparison.alpha, comparisons=len(comparison.changes),
        better=sum(r.status == "better" for r in rows),
        worse=sum(r.status == "worse" for r in rows),
        unchanged=sum(r.status == "no significant change" for r in rows))


def _trend_charts(waves: Sequence[str], rows: Sequence[ChangeRow]) -> tuple[Trend, ...]:
    from surveykit.render.trends import trend_alt, trend_chart

    themes: dict[str, list[ChangeRow]] = {}
    for row in rows:
        if sum(math.isfinite(v) for v in row.trend) >= 2:
            themes.setdefault(row.theme, []).append(row)
    out = []
    for k, (theme, members) in enumerate(themes.items(), start=1):
        series = [(r.label, r.trend) for r in members]
        alt = trend_alt(theme, waves, series)
        caption = (f"{theme}: % positive in each wave, {waves[0]} to {waves[-1]} "
                   f"({len(series)} statement{'s' if len(series) != 1 else ''}; the figures "
                   "are in the table below).")
        out.append(Trend(theme=theme, alt=alt, caption=caption,
                         svg=trend_chart(waves, series, alt=alt, prefix=f"trend-{k}")))
    return tuple(out)
