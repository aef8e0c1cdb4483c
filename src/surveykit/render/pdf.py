"""``briefing.pdf``: the same templates as the HTML paper, laid out for A4 by WeasyPrint.

The templates render with ``medium="print"``: the stylesheet's ``@page`` and
``@media print`` rules give A4 pages numbered "Page X of Y", a contents list with page
numbers, each theme and comparison on a new page, and breakdown tables in a smaller type,
split into several tables when a breakdown has more groups than fit across a page
(:data:`surveykit.render.context.PRINT_MAX_GROUPS`). Charts are the screen's SVG embedded
as ``data:`` images with their description as ``alt`` (see
:func:`surveykit.render.context.chart_markup`), so they stay vector and their text is
text in the PDF.

Deterministic: the same input gives the same bytes. The PDF carries no wall-clock time: its
created/modified dates come from ``SOURCE_DATE_EPOCH`` when that is set (reproducible
builds convention) or from ``created``, and are left out otherwise; the file identifier is
a hash of the rendered HTML. No resource is fetched: the page is self-contained, and the
URL fetcher refuses anything but inline ``data:`` URLs.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit.analysis.results import SurveyResults
from surveykit.errors import UsageError
from surveykit.render.context import Population, fixed_timestamp, render_briefing

if TYPE_CHECKING:
    from surveykit.analysis.waves import WaveComparison
    from surveykit.comments import CommentSection

INSTALL_HINT = ("PDF output needs WeasyPrint: pip install 'surveykit[pdf]', and the Pango "
                "library it draws with (Debian/Ubuntu: apt install libpango-1.0-0 "
                "libpangoft2-1.0-0)")


def pdf_available() -> bool:
    """True when WeasyPrint (and its system libraries) can be imported."""
    try:
        import weasyprint  # noqa: F401
    except Exception:  # noqa: BLE001 - OSError when Pango is missing, ImportError when absent
        return False
    return True


def _data_only_fetcher() -> Any:
    """WeasyPrint URL fetcher that serves only ``data:`` URLs (the charts); anything else
    is refused, so a URL in a label can never make the PDF renderer fetch it."""
    try:
        from weasyprint.urls import URLFetcher  # newer WeasyPrint: a fetcher class
    except ImportError:  # pragma: no cover - older WeasyPrint: a plain function
        from weasyprint.urls import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
            if url.startswith("data:"):
                return default_url_fetcher(url, *args, **kwargs)
            raise ValueError(f"briefing.pdf fetches nothing (refused {url[:60]!r})")

        return fetch
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def url_fetcher() -> Any:
    """A fetcher for WeasyPrint that serves ``data:`` URLs only (a new one per document:
    WeasyPrint's fetcher keeps per-request state)."""
    return _data_only_fetcher()


def print_html(results: SurveyResults, *, template_dir: str | Path | None = None,
               comments: CommentSection | None = None, population: Population | None = None,
               created: datetime | None = None,
               comparison: WaveComparison | None = None) -> str:
    """The HTML that becomes the PDF (the paper's templates with ``medium="print"``)."""
    return render_briefing(results, medium="print", template_dir=template_dir,
                           comments=comments, population=population, comparison=comparison,
                           created=created if created is not None else fixed_timestamp())


def render_pdf(results: SurveyResults, path: str | Path | None = None, *,
               template_dir: str | Path | None = None,
               comments: CommentSection | None = None,
               population: Population | None = None,
               created: datetime | None = None,
               comparison: WaveComparison | None = None) -> bytes:
    """Render the briefing paper as PDF; write it to ``path`` when given. Returns the bytes.

    Parameters
    ----------
    results
        Suppressed results (see :func:`surveykit.suppress`).
    path
        Where to write ``briefing.pdf``.
    template_dir
        Templates overriding the bundled ones, as for :func:`render_html`.
    comments, population, comparison
        As for :func:`render_html`.
    created
        Creation date for the PDF metadata; default ``SOURCE_DATE_EPOCH``, else none.

    Raises
    ------
    UsageError
        WeasyPrint is not installed.
    """
    try:
        import weasyprint
    except Exception as exc:  # noqa: BLE001
        raise UsageError(f"{INSTALL_HINT} ({type(exc).__name__}: {exc})") from None
    html = print_html(results, template_dir=template_dir, comments=comments,
                      population=population, created=created, comparison=comparison)
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = weasyprint.HTML(string=html, url_fetcher=url_fetcher(), media_type="print")
    data = document.write_pdf(pdf_identifier=identifier, pdf_tags=True)
    if path is not None:
        Path(path).write_bytes(data)
    return data
