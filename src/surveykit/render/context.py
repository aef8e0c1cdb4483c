"""What the paper's templates see: result objects, charts and a few prepared views.

Shared by ``briefing.html`` and ``briefing.pdf`` (the same templates; ``medium`` tells them
which one they are making). Templates receive result records (never data frames) and the
formatting filters of :mod:`surveykit.render.format`; everything they print is escaped.

Adding a figure to the paper (a confidence interval, a column letter, a weighted base)
means adding a field to the result records and printing it in
``templates/partials/macros.html.j2``, where every group cell is drawn.
"""

from __future__ import annotations

import math
import os
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2

from surveykit import __version__
from surveykit.analysis.results import BreakdownSummary, ItemResult, SurveyResults
from surveykit.analysis.significance import CORRECTION_NAMES
from surveykit.render import charts
from surveykit.render import format as fmt
from surveykit.render.wording import FindingText, finding_text, positive_phrase, positive_verb

#: Breakdown tables in the PDF carry at most this many groups side by side; wider ones are
#: split into several tables, each repeating the statements and the all-staff column.
PRINT_MAX_GROUPS = 8
#: Roughly how many characters of column headings fit across an A4 page beside the
#: statement, all-staff and test columns (at the print table size, 7.5pt).
PRINT_HEADER_CHARS = 70


def default_template_dirs() -> list[Path]:
    """The bundled templates: inside the installed package, else the source checkout."""
    here = Path(__file__).resolve().parent.parent
    candidates = [here / "templates", here.parent.parent / "templates"]
    return [p for p in candidates if (p / "briefing.html.j2").exists()]


def make_environment(template_dir: str | Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment with the formatting filters; user templates first.

    ``template_dir`` may hold any template or partial of the bundled set (e.g. only
    ``partials/style.css.j2``); the rest come from the bundled templates.
    """
    if template_dir is not None and not Path(template_dir).is_dir():
        raise FileNotFoundError(f"template folder not found: {template_dir}")
    dirs = ([Path(template_dir)] if template_dir else []) + default_template_dirs()
    if not dirs:
        raise FileNotFoundError("surveykit's briefing templates are missing from this install")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a typo in a house template fails loudly
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(pct=fmt.fmt_pct, num=fmt.fmt_num, n=fmt.fmt_n, p=fmt.fmt_p,
                       points=fmt.fmt_points)
    return env


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
class GroupView:
    """One breakdown's comparison section: heatmap, table blocks and significance counts."""

    breakdown: BreakdownSummary
    anchor: str
    heatmap_svg: str
    alt: str
    blocks: tuple[tuple[int, int], ...]  # [start, stop) group ranges, one table each
    significant: int


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


def _cached(results: SurveyResults, key: str, make: Any) -> Any:
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


def _themes(results: SurveyResults) -> list[Theme]:
    return _cached(results, "themes", lambda: _draw_themes(results))


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


def _group_views(results: SurveyResults, printed: bool) -> list[GroupView]:
    views = []
    alpha = results.settings.alpha
    for b in results.breakdowns:
        if not any(b.id in i.by for i in results.items):
            continue
        anchor = f"by-{len(views) + 1}"
        alt, svg = _cached(results, f"heatmap:{b.id}",
                           lambda b=b, anchor=anchor: _draw_heatmap(results, b, anchor))
        significant = sum(1 for i in results.items for g in i.by[b.id].groups
                          if g.vs_rest is not None and g.vs_rest.p_adjusted < alpha)
        views.append(GroupView(breakdown=b, anchor=anchor, heatmap_svg=svg, alt=alt,
                               blocks=_blocks(len(b.groups), print_max_groups(
                                   [g.group for g in b.groups]) if printed else None),
                               significant=significant))
    return views


def _draw_heatmap(results: SurveyResults, b: BreakdownSummary, anchor: str) -> tuple[str, str]:
    alt = charts.heatmap_alt(results, b.id, b.label)
    return alt, charts.heatmap(results, b.id, alt=alt, prefix=anchor)


def _fieldwork(results: SurveyResults, population: Population | None) -> list[Fieldwork]:
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


def _glance(results: SurveyResults, themes: Sequence[Theme]) -> Glance:
    ranked = sorted(results.items, key=lambda i: _sort_key(i.overall.pct_positive))
    return Glance(respondents=results.respondents, statements=len(results.items),
                  themes=len(themes), most_positive=ranked[-1] if ranked else None,
                  least_positive=ranked[0] if ranked else None,
                  findings=len(results.findings))


def fixed_timestamp() -> datetime | None:
    """The moment to stamp on files: ``SOURCE_DATE_EPOCH`` when set, else None.

    Outputs carry no wall-clock time, so the same input gives the same bytes.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def build_context(results: SurveyResults, *, medium: str = "screen", max_findings: int = 8,
                  comments: Any = None, population: Population | None = None,
                  created: datetime | None = None) -> dict[str, Any]:
    """Everything the templates see.

    Parameters
    ----------
    results
        Suppressed results.
    medium
        ``"screen"`` for ``briefing.html``, ``"print"`` for the PDF.
    comments
        A :class:`surveykit.comments.CommentSection` for the appendix, or None (no appendix).
    population
        Headcounts for response rates, when known.
    created
        Date stamped into the PDF metadata (None: no date).
    """
    if not results.suppression_applied:
        raise ValueError("results must pass through surveykit.suppress() before rendering")
    if medium not in ("screen", "print"):
        raise ValueError(f"medium must be 'screen' or 'print', not {medium!r}")
    by_id = {i.id: i for i in results.items}
    findings: list[tuple[Any, FindingText]] = [
        (f, finding_text(f, by_id.get(f.item))) for f in results.findings]
    themes = _themes(results)
    views = _group_views(results, printed=medium == "print")
    sections = [("findings", "Headline findings"), ("response", "Who responded")]
    sections += [(t.anchor, t.name) for t in themes]
    sections += [(f"multi-{m.id}", m.label) for m in results.multi]
    sections += [(v.anchor, f"Differences by {v.breakdown.label.lower()}") for v in views]
    sections.append(("methods", "Methods and data"))
    if comments is not None:
        sections.append(("comments", "Appendix: comments"))
    return {
        "results": results,
        "title": results.title,
        "medium": medium,
        "glance": _glance(results, themes),
        "sections": sections,
        "themes": themes,
        "group_views": views,
        "fieldwork": _fieldwork(results, population),
        "population": population,
        "findings": findings[:max_findings],
        "more_findings": max(0, len(findings) - max_findings),
        "breakdowns": results.breakdowns,
        "breakdown_labels": {b.id: b.label for b in results.breakdowns},
        "correction_name": CORRECTION_NAMES.get(results.settings.correction,
                                                results.settings.correction),
        "version": __version__,
        "source_name": Path(results.source).name if results.source else "",
        "suppressed_mark": fmt.SUPPRESSED,
        "positive_verb": positive_verb,
        "positive_phrase": positive_phrase,
        "comments": comments,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ") if created else None,
    }


def render_briefing(results: SurveyResults, *, medium: str, template_dir: str | Path | None,
                    **context_options: Any) -> str:
    """Render ``briefing.html.j2`` for a medium; the HTML and PDF renderers call this."""
    env = make_environment(template_dir)
    context = build_context(results, medium=medium, **context_options)
    return env.get_template("briefing.html.j2").render(**context)

