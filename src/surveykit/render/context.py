"""What the paper's templates see, and the Jinja2 environment that renders them.

Shared by ``briefing.html`` and ``briefing.pdf`` (the same templates; ``medium`` tells them
which one they are making). Templates receive result records and the prepared views of
:mod:`surveykit.render.views` (never data frames), the formatting filters of
:mod:`surveykit.render.format` and ``chart()`` to embed a chart; everything they print is
escaped.

Adding a figure to the paper (a confidence interval, a column letter, a weighted base)
means adding a field to the result records and printing it in
``templates/partials/macros.html.j2``, where every group cell is drawn.
"""

from __future__ import annotations

import base64
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from surveykit import __version__
from surveykit.analysis.results import SurveyResults
from surveykit.analysis.significance import CORRECTION_NAMES
from surveykit.analysis.waves import WaveComparison
from surveykit.render import format as fmt
from surveykit.render.change import change_view
from surveykit.render.views import (  # noqa: F401 - re-exported: the templates' records
    HEATMAP_MAX_GROUPS,
    LONG_WORD,
    PRINT_HEADER_CHARS,
    PRINT_MAX_GROUPS,
    CrossView,
    Fieldwork,
    FieldworkRow,
    Glance,
    GroupView,
    Heatmap,
    IndexRow,
    IndexView,
    Methods,
    Population,
    Theme,
    cached,
    cross_views,
    fieldwork_tables,
    group_views,
    index_views,
    long_word,
    make_glance,
    methods_note,
    print_max_groups,
    theme_views,
)
from surveykit.render.wording import (
    FindingText,
    finding_text,
    join_names,
    letters_text,
    positive_phrase,
    positive_verb,
    test_name,
)


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
                       points=fmt.fmt_points, test_name=test_name, letters=letters_text,
                       join_names=join_names)
    return env


_ARIA_LABEL = re.compile(r'aria-label="([^"]*)"')


def chart_markup(svg: str, medium: str) -> Markup:
    """A chart as the paper embeds it: inline SVG on screen; in print, the same SVG as an
    ``<img>`` (a data: URL) with the description as its ``alt``.

    WeasyPrint draws both the same way (vector, text as text), but an inline SVG puts
    thousands of elements through the page's CSS cascade and layout; as an image it does
    not, which makes the PDF markedly faster to render, and a tagged PDF gets the ``alt``
    as the figure's alternative text.
    """
    if medium != "print":
        return Markup(svg)
    found = _ARIA_LABEL.search(svg[: svg.index(">")])
    alt = found.group(1) if found else ""  # already escaped for an attribute by charts
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img class="chart-image" alt="{alt}" '
                  f'src="data:image/svg+xml;base64,{data}">')


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
                  created: datetime | None = None,
                  comparison: WaveComparison | None = None) -> dict[str, Any]:
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
    comparison
        Earlier waves compared with this one (the last wave of the comparison must be
        ``results``): adds the "Change since last wave" section and its headline lines.
        None leaves the paper exactly as for a single wave.
    """
    if not results.suppression_applied:
        raise ValueError("results must pass through surveykit.suppress() before rendering")
    if medium not in ("screen", "print"):
        raise ValueError(f"medium must be 'screen' or 'print', not {medium!r}")
    by_id = {i.id: i for i in results.items}
    findings: list[tuple[Any, FindingText]] = [
        (f, finding_text(f, by_id.get(f.item))) for f in results.findings]
    themes = theme_views(results)
    views = group_views(results, printed=medium == "print")
    change = None
    if comparison is not None:
        # Drawn once for the HTML and the PDF; the entry holds the comparison itself, so a
        # different comparison (even one reusing a freed id) never gets a stale chart.
        held, change = cached(results, f"change:{id(comparison)}",
                               lambda: (comparison, change_view(comparison, results)))
        if held is not comparison:
            change = change_view(comparison, results)
    sections = [("findings", "Headline findings")]
    if change is not None:
        sections.append(("change", f"Change since {change.wave_from}"))
    sections.append(("response", "Who responded"))
    sections += [(t.anchor, t.name) for t in themes]
    sections += [(f"multi-{m.id}", m.label) for m in results.multi]
    if results.indices:
        sections.append(("indices", "Indices"))
    sections += [(v.anchor, f"Differences by {v.breakdown.label.lower()}") for v in views]
    sections.append(("methods", "Methods and data"))
    if comments is not None:
        sections.append(("comments", "Appendix: comments"))
    return {
        "results": results,
        "title": results.title,
        "medium": medium,
        "glance": make_glance(results, themes),
        "sections": sections,
        "themes": themes,
        "group_views": views,
        "index_views": index_views(results),
        "index_labels": {i.id: i.label for i in results.items},
        "methods": methods_note(results),
        "long_word": long_word,
        "chart": lambda svg: chart_markup(svg, medium),
        "fieldwork": fieldwork_tables(results, population),
        "cross_views": cross_views(results, printed=medium == "print"),
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
        "change": change,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ") if created else None,
    }


def render_briefing(results: SurveyResults, *, medium: str, template_dir: str | Path | None,
                    **context_options: Any) -> str:
    """Render ``briefing.html.j2`` for a medium; the HTML and PDF renderers call this."""
    env = make_environment(template_dir)
    context = build_context(results, medium=medium, **context_options)
    return env.get_template("briefing.html.j2").render(**context)

