"""SVG output and text fitting shared by the paper's charts (matplotlib's object API).

:func:`to_svg` turns a matplotlib Figure into an ``<svg>`` element ready to inline in the
paper: text stays text (``svg.fonttype: none``), so charts are light, searchable and sharp
in the PDF; ids are prefixed per chart, so several charts can sit in one page; each gets
``role="img"``, an ``aria-label`` and a ``<title>``. The text helpers measure words in the
charts' font so labels can be wrapped or shrunk to fit before they are drawn.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import textwrap
from collections.abc import Sequence
from html import escape as html_escape

import matplotlib

matplotlib.use("Agg")  # no display here, and none wanted: charts go to strings
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

#: Hatching of suppressed cells (a mid grey: visible on the light fill, in greyscale too).
HATCH = "#9e9e9e"
#: matplotlib settings for every chart: text as text, a fixed hash salt (deterministic
#: output) and no TeX, because labels are data.
RC = {"svg.fonttype": "none", "svg.hashsalt": "surveykit", "font.family": "DejaVu Sans",
      "font.size": 9, "hatch.linewidth": 0.6, "hatch.color": HATCH,
      "text.parse_math": False, "text.usetex": False}


_ID = re.compile(r'\sid="([^"]+)"')
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_PROPERTY = re.compile(r"^[a-z-]+$")


def _attributes(match: re.Match[str]) -> str:
    """``style="fill: #fff; stroke-width: 0.5"`` -> `` fill="#fff" stroke-width="0.5"``."""
    out = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name or not _PROPERTY.match(name):
            continue
        out.append(f' {name}="{html_escape(value, quote=True)}"')
    return "".join(out)
_REF = re.compile(r'url\(#([^)]+)\)|href="#([^"]+)"')


def to_svg(fig: Figure, *, title: str = "", prefix: str | None = None) -> str:
    """The figure as an inline-ready ``<svg>`` element.

    Drops the XML prolog, DOCTYPE and metadata; removes ids nothing refers to and prefixes
    the rest, so charts in one page cannot clash; adds ``role="img"``, an ``aria-label``
    and a ``<title>`` (the alt text, escaped).
    """
    buf = io.StringIO()
    with matplotlib.rc_context(RC):
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    # matplotlib's "*{stroke-linejoin: round}" would leak into the whole HTML page.
    text = re.sub(r"\s*<style[^>]*>.*?</style>", "", text, flags=re.DOTALL)
    text = re.sub(r"\s*<defs>\s*</defs>", "", text)
    # Default prefix from the content: deterministic, and distinct for distinct charts.
    prefix = prefix or "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    used = {a or b for a, b in _REF.findall(text)}
    text = _ID.sub(lambda m: f' id="{prefix}-{m.group(1)}"' if m.group(1) in used else "", text)
    text = _REF.sub(lambda m: (f"url(#{prefix}-{m.group(1)})" if m.group(1)
                               else f'href="#{prefix}-{m.group(2)}"'), text)
    # Presentation attributes rather than style="...": the same drawing, but HTML engines
    # (WeasyPrint) do not run the page's CSS parser over hundreds of SVG declarations.
    text = _STYLE.sub(_attributes, text)
    label = html_escape(title, quote=True)
    head_end = text.index(">")
    attrs = f' role="img" aria-label="{label}"' if title else ' aria-hidden="true"'
    text = text[:head_end] + attrs + text[head_end:]
    if title:
        head_end = text.index(">") + 1
        text = text[:head_end] + f"\n <title>{label}</title>" + text[head_end:]
    return text


def text_width(text: str, size: float = 1.0) -> float:
    """Width in points of ``text`` set in the charts' font at ``size`` points."""
    return _unit_width(text) * size


@functools.lru_cache(maxsize=4096)
def _unit_width(text: str) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    if not text:
        return 0.0
    path = TextPath((0, 0), text, prop=FontProperties(family=RC["font.family"], size=100))
    return path.get_extents().width / 100


def header_fit(groups: Sequence[str], cell_w: float) -> tuple[float, float]:
    """Font size and line width (points) for column headings ``cell_w`` inches wide.

    Headings wrap between words; the font shrinks (to 5.5pt at least) until the widest
    word fits its column, so neighbouring headings never run into each other. A word
    still too wide is cut (see :func:`wrap_to`).
    """
    width_pt = cell_w * 72 * 0.96
    words = {w for g in groups for w in str(g).split()}
    widest = max((text_width(w) for w in words), default=1.0)
    return max(5.5, min(7.0, width_pt / max(widest, 1e-9))), width_pt


def fit_line(text: str, width_pt: float, size: float) -> str:
    """``text`` on one line of at most ``width_pt``, shortened with an ellipsis if need be."""
    text = " ".join(str(text).split())
    if text_width(text, size) <= width_pt:
        return text
    while len(text) > 1 and text_width(text + "…", size) > width_pt:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_to(text: str, width_pt: float, size: float, lines: int) -> str:
    """Wrap ``text`` into lines at most ``width_pt`` wide when set at ``size`` points."""
    out: list[str] = []
    for word in str(text).split():
        while text_width(word, size) > width_pt and len(word) > 1:  # cut a too-wide word
            k = len(word) - 1
            while k > 1 and text_width(word[:k], size) > width_pt:
                k -= 1
            out.append(word[:k])
            word = word[k:]
        if out and text_width(f"{out[-1]} {word}", size) <= width_pt:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(".,;: ") + "…"
    return "\n".join(out) or ""


def wrap(text: str, width: int, lines: int) -> str:
    wrapped = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1].rstrip(".,;: ") + "…"
    return "\n".join(wrapped)
