"""``briefing.html``: the paper people read, from Jinja2 templates.

Templates live in the repository's ``templates/`` (shipped inside the installed package as
``surveykit/templates``); ``template_dir`` puts an organisation's own templates or partials
in front of them. Templates receive result objects and formatting filters, never data
frames. Autoescaping is always on: item labels and respondents' words are data, not markup.
The page is self-contained (styles and SVG charts inline, no scripts, no external
requests) and carries a Content-Security-Policy that forbids scripts outright.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from surveykit.analysis.results import SurveyResults
from surveykit.render.context import (  # noqa: F401 - re-exported for callers
    Population,
    Theme,
    build_context,
    default_template_dirs,
    make_environment,
    render_briefing,
)

if TYPE_CHECKING:
    from surveykit.analysis.waves import WaveComparison
    from surveykit.comments import CommentSection


def render_html(results: SurveyResults, path: str | Path | None = None, *,
                template_dir: str | Path | None = None,
                comments: CommentSection | None = None,
                population: Population | None = None,
                comparison: WaveComparison | None = None) -> str:
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
    comments
        Free-text comments for an appendix (from
        :func:`surveykit.comments.grouped_comments`); None leaves the appendix out.
    population
        Headcounts, to show response rates.
    comparison
        The comparison of earlier waves with this one (from
        :func:`surveykit.analysis.waves.compare_waves`, this wave last): adds a "Change
        since last wave" section, headline lines for significant changes and, with three
        or more waves, trend charts. None: the paper of a single wave, unchanged.
    """
    html = render_briefing(results, medium="screen", template_dir=template_dir,
                           comments=comments, population=population, comparison=comparison)
    if path is not None:
        Path(path).write_text(html, encoding="utf-8", newline="\n")
    return html
