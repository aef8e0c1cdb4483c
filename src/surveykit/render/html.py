"""``briefing.html``: the paper people read, from Jinja2 templates.

Templates live in the repository's ``templates/`` (shipped inside the installed package as
``surveykit/templates``); ``template_dir`` puts an organisation's own templates or partials
in front of them. Templates receive result objects and formatting filters, never data
frames. Autoescaping is always on: item labels and respondents' words are data, not markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path
from typing import Any

import jinja2

from surveykit import __version__
from surveykit.analysis.results import ItemResult, SurveyResults
from surveykit.analysis.significance import CORRECTION_NAMES
from surveykit.render import charts, format as fmt
from surveykit.render.wording import finding_sentence, positive_verb


def default_template_dirs() -> list[Path]:
    """The bundled templates: inside the installed package, else the source checkout."""
    here = Path(__file__).resolve().parent.parent
    candidates = [here / "templates", here.parent.parent / "templates"]
    return [p for p in candidates if (p / "briefing.html.j2").exists()]


def make_environment(template_dir: str | Path | None = None) -> jinja2.Environment:
    """A Jinja2 environment with the formatting filters; user templates first."""
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
class Theme:
    """One theme of the paper: its items (most positive first) and their chart."""

    name: str
    anchor: str
    items: tuple[ItemResult, ...]
    chart_svg: str
    alt: str


def _themes(results: SurveyResults) -> list[Theme]:
    order: dict[str, list[ItemResult]] = {}
    for item in results.items:
        order.setdefault(item.theme, []).append(item)
    themes = []
    for name, items in order.items():
        ranked = tuple(sorted(items, key=lambda i: -_sort_key(i.overall.pct_positive)))
        alt = charts.alt_text(ranked, name)
        svg = charts.diverging_bars(ranked, name)
        # The chart is our own markup; its accessible name is escaped like any text.
        svg = svg.replace("<svg", f'<svg role="img" aria-label="{html_escape(alt)}"', 1)
        themes.append(Theme(name=name, anchor=f"theme-{len(themes) + 1}", items=ranked, chart_svg=svg, alt=alt))
    return themes


def _sort_key(x: float) -> float:
    return -1.0 if x != x else x  # NaN last


def build_context(results: SurveyResults, *, max_findings: int = 8) -> dict[str, Any]:
    """Everything the templates see."""
    if not results.suppression_applied:
        raise ValueError("results must pass through surveykit.suppress() before rendering")
    by_id = {i.id: i for i in results.items}
    findings = [(f, finding_sentence(f, by_id.get(f.item))) for f in results.findings]
    return {
        "results": results,
        "title": results.title,
        "themes": _themes(results),
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
    }


def render_html(results: SurveyResults, path: str | Path | None = None, *,
                template_dir: str | Path | None = None) -> str:
    """Render the briefing paper; write it to ``path`` when given. Returns the HTML.

    Parameters
    ----------
    results
        Suppressed results (see :func:`surveykit.suppress`).
    path
        Where to write ``briefing.html``.
    template_dir
        A folder whose templates override the bundled ones of the same name (e.g. only
        ``partials/style.css.j2`` for a house style).
    """
    env = make_environment(template_dir)
    html = env.get_template("briefing.html.j2").render(**build_context(results))
    if path is not None:
        Path(path).write_text(html, encoding="utf-8")
    return html
