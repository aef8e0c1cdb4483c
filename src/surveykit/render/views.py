"""The prepared views of the paper: what each section shows, built from the results.

Templates receive these records (and the result records inside them), never data
frames. Charts are drawn here, once per results object, and shared by the HTML and the
PDF; tables that would be too wide for A4 are given blocks of groups to print one after
the other.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveykit.analysis.results import (
    BreakdownSummary,
    IndexGroup,
    IndexResult,
    ItemResult,
    SurveyResults,
)
from surveykit.render import charts
from surveykit.render import heatmap as heatmaps

#: Breakdown tables in the PDF carry at most this many groups side by side; wider ones are
#: split into several tables, each repeating the statements and the all-staff column.
PRINT_MAX_GROUPS = 8
#: Roughly how many characters of column headings fit across an A4 page beside the
#: statement, all-staff and test columns (at the print table size, 7.5pt).
PRINT_HEADER_CHARS = 70
#: A heading word longer than this may break anywhere in print (a column cannot be
#: narrower than its longest word, and one such word could push a table off the page);
#: shorter words never break.
LONG_WORD = 22
#: A heatmap shows at most this many groups; a breakdown with more (40 sites) gets
#: several heatmaps, so cells and labels stay legible on screen and on A4.
HEATMAP_MAX_GROUPS = 12


@dataclass(frozen=True)
class Population:
    """Headcounts, for response rates: overall and per group of a breakdown.

    Not yet read from the codebook; pass one to the renderers to show response rates.
    """

    total: int | None = None
    groups: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class FieldworkRow:
    group: str
    n: int | None
    share: float | None  # % of all respondents
    rate: float | None  # response rate, when the headcount is known
    suppressed: bool
    suppression: str | None


@dataclass(frozen=True)
class Fieldwork:
    """Respondents by the groups of one breakdown."""

    breakdown: BreakdownSummary
    rows: tuple[FieldworkRow, ...]
    not_stated: int | None
    has_rates: bool


@dataclass(frozen=True)
class Theme:
    """One theme of the paper: its items (most positive first) and their chart."""

    name: str
    anchor: str
    items: tuple[ItemResult, ...]
    chart_svg: str
    alt: str


@dataclass(frozen=True)
class Heatmap:
    """One heatmap of a breakdown (a part of it, when the breakdown has many groups)."""

    svg: str
    alt: str


@dataclass(frozen=True)
class GroupView:
    """One breakdown's comparison section: heatmaps, table blocks and significance counts."""

    breakdown: BreakdownSummary
    anchor: str
    heatmaps: tuple[Heatmap, ...]
    blocks: tuple[tuple[int, int], ...]  # [start, stop) group ranges, one table each
    significant: int
    letters: tuple[str, ...]  # each group's column letter


@dataclass(frozen=True)
class IndexRow:
    """One index by one breakdown's groups (a group's entry None when it is not shown)."""

    index: IndexResult
    groups: tuple[IndexGroup, ...]


@dataclass(frozen=True)
class IndexView:
    breakdown: BreakdownSummary | None  # None: all staff only
    rows: tuple[IndexRow, ...]


@dataclass(frozen=True)
class CrossView:
    """Respondents by two breakdowns, laid out to fit: the one with more groups down the
    side, and (in print) column blocks when even the other is too wide for the page."""

    rows: str  # breakdown ids
    columns: str
    row_groups: tuple[str, ...]
    column_groups: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    blocks: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Methods:
    """What the methods note must say, read from the results (not assumed)."""

    omnibus: tuple[str, ...]  # test names used for statement x breakdown
    versus_rest: tuple[str, ...]
    means: tuple[str, ...]
    means_versus_rest: tuple[str, ...]
    multi: tuple[str, ...]
    weighting: Mapping[str, Any] | None
    letters: bool


@dataclass(frozen=True)
class Glance:
    """Key figures for the top of the paper."""

    respondents: int
    statements: int
    themes: int
    most_positive: ItemResult | None
    least_positive: ItemResult | None
    findings: int


def _sort_key(x: float) -> float:
    return -1.0 if math.isnan(x) else x  # NaN last


_CHARTS: dict[int, tuple[weakref.ref, dict[str, Any]]] = {}


def cached(results: SurveyResults, key: str, make: Any) -> Any:
    """Charts depend only on the results: draw them once for the HTML and the PDF."""
    entry = _CHARTS.get(id(results))
    if entry is None or entry[0]() is not results:
        entry = (weakref.ref(results), {})
        _CHARTS[id(results)] = entry
        weakref.finalize(results, _CHARTS.pop, id(results), None)
    store = entry[1]
    if key not in store:
        store[key] = make()
    return store[key]


def theme_views(results: SurveyResults) -> list[Theme]:
    return cached(results, "themes", lambda: _draw_themes(results))


def _draw_themes(results: SurveyResults) -> list[Theme]:
    order: dict[str, list[ItemResult]] = {}
    for item in results.items:
        order.setdefault(item.theme, []).append(item)
    themes = []
    for name, items in order.items():
        ranked = tuple(sorted(items, key=lambda i: -_sort_key(i.overall.pct_positive)))
        anchor = f"theme-{len(themes) + 1}"
        alt = charts.alt_text(ranked, name)
        svg = charts.diverging_bars(ranked, name, alt=alt, prefix=anchor)
        themes.append(Theme(name=name, anchor=anchor, items=ranked, chart_svg=svg, alt=alt))
    return themes


def print_max_groups(groups: Sequence[str]) -> int:
    """How many groups fit side by side in a printed table, from their longest word.

    A column is at least as wide as the longest word of its heading (headings wrap
    between words), so long group names mean fewer groups per table.
    """
    longest = max((len(w) for g in groups for w in str(g).split()), default=1)
    return max(2, min(PRINT_MAX_GROUPS, PRINT_HEADER_CHARS // (max(longest, 5) + 1)))


def _blocks(n: int, max_groups: int | None) -> tuple[tuple[int, int], ...]:
    if not max_groups or n <= max_groups:
        return ((0, n),)
    parts = -(-n // max_groups)
    size = -(-n // parts)  # even blocks: 10 groups -> 5 + 5, not 8 + 2
    return tuple((i, min(i + size, n)) for i in range(0, n, size))


def group_views(results: SurveyResults, printed: bool) -> list[GroupView]:
    views = []
    alpha = results.settings.alpha
    for b in results.breakdowns:
        if not any(b.id in i.by for i in results.items):
            continue
        anchor = f"by-{len(views) + 1}"
        maps = cached(results, f"heatmap:{b.id}",
                       lambda b=b, anchor=anchor: _draw_heatmaps(results, b, anchor))
        significant = sum(1 for i in results.items for g in i.by[b.id].groups
                          if g.vs_rest is not None and g.vs_rest.p_adjusted < alpha)
        first = next(i for i in results.items if b.id in i.by)
        views.append(GroupView(breakdown=b, anchor=anchor, heatmaps=maps,
                               blocks=_blocks(len(b.groups), print_max_groups(
                                   [g.group for g in b.groups]) if printed else None),
                               significant=significant,
                               letters=tuple(g.letter for g in first.by[b.id].groups)))
    return views


def _draw_heatmaps(results: SurveyResults, b: BreakdownSummary, anchor: str
                   ) -> tuple[Heatmap, ...]:
    parts = _blocks(len(b.groups), HEATMAP_MAX_GROUPS)
    out = []
    for k, (start, stop) in enumerate(parts, start=1):
        columns = (start, stop) if len(parts) > 1 else None
        alt = heatmaps.heatmap_alt(results, b.id, b.label, columns=columns)
        if columns is not None:
            alt = f"Part {k} of {len(parts)}. {alt}"
        prefix = anchor if len(parts) == 1 else f"{anchor}-{k}"
        out.append(Heatmap(svg=heatmaps.heatmap(results, b.id, alt=alt, prefix=prefix,
                                              columns=columns), alt=alt))
    return tuple(out)


def long_word(text: str) -> bool:
    """Whether a heading has a word too long to keep whole in a printed column."""
    return any(len(w) > LONG_WORD for w in str(text).split())


def index_views(results: SurveyResults) -> list[IndexView]:
    if not results.indices:
        return []
    views = [IndexView(breakdown=None,
                       rows=tuple(IndexRow(index=x, groups=()) for x in results.indices))]
    for b in results.breakdowns:
        rows = tuple(IndexRow(index=x, groups=x.by[b.id]) for x in results.indices
                     if b.id in x.by)
        if rows:
            views.append(IndexView(breakdown=b, rows=rows))
    return views


def test_kind(test: Any) -> str:
    """A test's name, telling a simulated Fisher p-value from an exact one."""
    method = str(getattr(test, "p_method", "") or "")
    return "fisher (monte carlo)" if test.name == "fisher" and "monte carlo" in method \
        else test.name


def methods_note(results: SurveyResults) -> Methods:
    def names(values: Any) -> tuple[str, ...]:
        return tuple(sorted({v for v in values if v}))

    blocks = [ib for i in results.items for ib in i.by.values()]
    return Methods(
        omnibus=names(test_kind(ib.test) for ib in blocks if ib.test is not None),
        versus_rest=names(g.vs_rest.test for ib in blocks for g in ib.groups
                          if g.vs_rest is not None),
        means=names(ib.mean_test.name for ib in blocks if ib.mean_test is not None),
        means_versus_rest=names(g.mean_vs_rest.test for ib in blocks for g in ib.groups
                                if g.mean_vs_rest is not None),
        multi=names(test_kind(t) for m in results.multi for ts in m.tests.values() for t in ts),
        weighting=results.settings.weighting,
        letters=any(g.letter for ib in blocks for g in ib.groups),
    )


def fieldwork_tables(results: SurveyResults, population: Population | None) -> list[Fieldwork]:
    out = []
    total = results.respondents
    for b in results.breakdowns:
        heads = (population.groups.get(b.id, {}) if population else {}) or {}
        rows = []
        for g in b.groups:
            shown = not g.suppressed and g.n is not None
            head = heads.get(g.group)
            rows.append(FieldworkRow(
                group=g.group, n=g.n if shown else None,
                share=100 * g.n / total if shown and total else None,
                rate=100 * g.n / head if shown and head else None,
                suppressed=g.suppressed, suppression=g.suppression))
        out.append(Fieldwork(breakdown=b, rows=tuple(rows), not_stated=b.not_stated,
                             has_rates=bool(heads)))
    return out


def cross_views(results: SurveyResults, printed: bool) -> list[CrossView]:
    out = []
    for c in results.cross:
        rows, cols, cells = c.rows, c.columns, c.cells
        row_groups, col_groups = c.row_groups, c.column_groups
        row_totals, col_totals = c.row_totals, c.column_totals
        if len(col_groups) > len(row_groups):  # a long table reads better than a wide one
            rows, cols = cols, rows
            row_groups, col_groups = col_groups, row_groups
            row_totals, col_totals = col_totals, row_totals
            cells = tuple(zip(*cells)) if cells else ()
        blocks = _blocks(len(col_groups), print_max_groups(col_groups) if printed else None)
        out.append(CrossView(rows=rows, columns=cols, row_groups=tuple(row_groups),
                             column_groups=tuple(col_groups),
                             cells=tuple(tuple(r) for r in cells),
                             row_totals=tuple(row_totals), column_totals=tuple(col_totals),
                             blocks=blocks))
    return out


def make_glance(results: SurveyResults, themes: Sequence[Theme]) -> Glance:
    ranked = sorted(results.items, key=lambda i: _sort_key(i.overall.pct_positive))
    return Glance(respondents=results.respondents, statements=len(results.items),
                  themes=len(themes), most_positive=ranked[-1] if ranked else None,
                  least_positive=ranked[0] if ranked else None,
                  findings=len(results.findings))
