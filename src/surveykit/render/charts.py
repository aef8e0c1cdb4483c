"""Charts as inline SVG, drawn with matplotlib's object API (never pyplot's global state).

Two charts:

* :func:`diverging_bars`, a diverging stacked bar chart per theme (Heiberger & Robbins
  2014): negative answers left of a centre line, positive right, the neutral answer split
  across the centre, and "don't know" in a separate panel beside the bar rather than
  inside it, so it neither shifts the centre nor looks like an opinion.
* :func:`heatmap`, statements x groups of one breakdown: each cell gives the group's
  % positive, coloured by its difference from all staff; a cell whose group differs
  significantly from the rest of the staff (adjusted p below alpha) gets a triangle and a
  dark outline; a suppressed group is a hatched grey cell with ``*`` and no figure.

Colours are ColorBrewer's PuOr (orange = negative or below average, purple = positive or
above average), which stays distinct for the common forms of colour blindness and keeps
its order in greyscale (light centre, dark ends); numbers and marks carry the meaning too,
so nothing depends on colour alone. Text in cells takes black or white, whichever
contrasts more with the cell (WCAG AA needs 4.5:1; :func:`contrast_ratio`).

Text stays text in the SVG (``svg.fonttype: none``), so charts are light, searchable and
sharp in the PDF. Element ids are prefixed per chart, so several charts can sit in one
HTML page without clashing. Each chart's numbers come from a pure function
(:func:`diverging_rows`, :func:`heatmap_rows`) that tests can check without parsing SVG.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as html_escape

import matplotlib

matplotlib.use("Agg")  # no display here, and none wanted: charts go to strings
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import LinearSegmentedColormap, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from surveykit.analysis.results import ItemResult, SurveyResults
from surveykit.render.format import SUPPRESSED, answer_base, fmt_num, fmt_pct

# ColorBrewer PuOr (orange = negative, purple = positive), darkest at the ends.
NEGATIVE = ["#b35806", "#f1a340", "#fdb863"]
POSITIVE = ["#542788", "#998ec3", "#b2abd2"]
NEUTRAL = "#d9d9d9"
NOT_APPLICABLE = "#bdbdbd"
SUPPRESSED_FILL = "#eeeeee"
ALL_FILL = "#f2f2f2"
SUPPRESSED_HATCH = "#9e9e9e"
TEXT = "#222222"
MUTED = "#555555"  # 7.5:1 on white
DARK = "#000000"  # with white, always >= 4.58:1 on any fill (whichever is higher)
WHITE = "#ffffff"
# The heatmap's diverging scale: orange (below all staff) - white - purple (above).
HEAT_SCALE = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"]
HEAT_LIMIT = 20.0  # points of difference at which the colour saturates
_HEAT_CMAP = LinearSegmentedColormap.from_list("surveykit_puor", HEAT_SCALE)
_RC = {"svg.fonttype": "none", "svg.hashsalt": "surveykit", "font.family": "DejaVu Sans",
       "font.size": 9, "hatch.linewidth": 0.6, "hatch.color": SUPPRESSED_HATCH,
       "text.parse_math": False, "text.usetex": False}  # labels are data, not TeX


# --- colour helpers -------------------------------------------------------------------

def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a colour (hex or any matplotlib colour)."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21 (AA body text needs 4.5)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)),
                  reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour_on(background: str) -> str:
    """Black-ish or white text, whichever contrasts more with ``background``."""
    return max((DARK, WHITE), key=lambda fg: contrast_ratio(fg, background))


def heat_colour(difference: float) -> str:
    """Cell colour for a difference from all staff, in percentage points."""
    if math.isnan(difference):
        return WHITE
    x = max(-HEAT_LIMIT, min(HEAT_LIMIT, difference))
    return to_hex(_HEAT_CMAP(0.5 + x / (2 * HEAT_LIMIT)))


def _colours(polarity: Sequence[int]) -> list[str]:
    """Colour per label: the strongest answer gets the darkest shade."""
    neg = [i for i, p in enumerate(polarity) if p < 0]
    pos = [i for i, p in enumerate(polarity) if p > 0]
    out = [NEUTRAL] * len(polarity)
    for rank, i in enumerate(neg):  # most negative first
        out[i] = NEGATIVE[min(rank, 2)] if len(neg) <= 3 else NEGATIVE[min(rank * 3 // len(neg), 2)]
    for rank, i in enumerate(reversed(pos)):  # most positive first
        out[i] = POSITIVE[min(rank, 2)] if len(pos) <= 3 else POSITIVE[min(rank * 3 // len(pos), 2)]
    return out


# --- SVG output -----------------------------------------------------------------------

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


def _svg(fig: Figure, *, title: str = "", prefix: str | None = None) -> str:
    """The figure as an inline-ready ``<svg>`` element.

    Drops the XML prolog, DOCTYPE and metadata; removes ids nothing refers to and prefixes
    the rest, so charts in one page cannot clash; adds ``role="img"``, an ``aria-label``
    and a ``<title>`` (the alt text, escaped).
    """
    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
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


# --- diverging stacked bars -----------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    """One answer's part of a bar: its share of the valid base, where it starts, colour."""

    label: str
    share: float
    start: float
    colour: str


@dataclass(frozen=True)
class BarRow:
    """One statement's bar in a diverging chart."""

    item: str
    label: str
    n: int
    segments: tuple[Segment, ...]
    pct_negative: float
    pct_positive: float
    not_applicable: float
    pct_not_applicable: float  # of everyone who answered, "don't know" included


def diverging_rows(items: Sequence[ItemResult]) -> list[BarRow]:
    """The numbers behind :func:`diverging_bars`, top bar first."""
    rows = []
    for item in items:
        fig = item.overall
        n = fig.n or 0
        base = answer_base(fig)  # weighted: shares of the weighted base, not of n
        shares = [100 * c / base if base else 0.0 for c in fig.counts]
        pol = list(item.polarity)
        neutral_total = sum(s for s, p in zip(shares, pol) if p == 0)
        left = -sum(s for s, p in zip(shares, pol) if p < 0) - neutral_total / 2
        segments = []
        for share, colour, label in zip(shares, _colours(pol), item.labels):
            segments.append(Segment(label=label, share=share, start=left, colour=colour))
            left += share
        answered = base + fig.not_applicable
        rows.append(BarRow(
            item=item.id, label=item.label, n=int(n), segments=tuple(segments),
            pct_negative=sum(s for s, p in zip(shares, pol) if p < 0),
            pct_positive=sum(s for s, p in zip(shares, pol) if p > 0),
            not_applicable=fig.not_applicable,
            pct_not_applicable=100 * fig.not_applicable / answered if answered else 0.0))
    return rows


def _text_width(text: str, size: float = 1.0) -> float:
    """Width in points of ``text`` set in the charts' font at ``size`` points."""
    return _unit_width(text) * size


@functools.lru_cache(maxsize=4096)
def _unit_width(text: str) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    if not text:
        return 0.0
    path = TextPath((0, 0), text, prop=FontProperties(family=_RC["font.family"], size=100))
    return path.get_extents().width / 100


def _header_fit(groups: Sequence[str], cell_w: float) -> tuple[float, float]:
    """Font size and line width (points) for column headings ``cell_w`` inches wide.

    Headings wrap between words; the font shrinks (to 5.5pt at least) until the widest
    word fits its column, so neighbouring headings never run into each other. A word
    still too wide is cut (see :func:`_wrap_to`).
    """
    width_pt = cell_w * 72 * 0.96
    words = {w for g in groups for w in str(g).split()}
    widest = max((_text_width(w) for w in words), default=1.0)
    return max(5.5, min(7.0, width_pt / max(widest, 1e-9))), width_pt


def _fit_line(text: str, width_pt: float, size: float) -> str:
    """``text`` on one line of at most ``width_pt``, shortened with an ellipsis if need be."""
    text = " ".join(str(text).split())
    if _text_width(text, size) <= width_pt:
        return text
    while len(text) > 1 and _text_width(text + "…", size) > width_pt:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap_to(text: str, width_pt: float, size: float, lines: int) -> str:
    """Wrap ``text`` into lines at most ``width_pt`` wide when set at ``size`` points."""
    out: list[str] = []
    for word in str(text).split():
        while _text_width(word, size) > width_pt and len(word) > 1:  # cut a too-wide word
            k = len(word) - 1
            while k > 1 and _text_width(word[:k], size) > width_pt:
                k -= 1
            out.append(word[:k])
            word = word[k:]
        if out and _text_width(f"{out[-1]} {word}", size) <= width_pt:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(".,;: ") + "…"
    return "\n".join(out) or ""


def _wrap(text: str, width: int, lines: int) -> str:
    wrapped = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1].rstrip(".,;: ") + "…"
    return "\n".join(wrapped)


def diverging_bars(items: Sequence[ItemResult], title: str = "", *, alt: str = "",
                   prefix: str | None = None) -> str:
    """A diverging stacked bar chart of several items' overall answers, as SVG text.

    Items are drawn in the order given (callers sort them, e.g. by % positive). Bars show
    shares of the valid base; the totals negative and positive sit at the bar ends; the
    right-hand panel gives the share who answered "don't know" (or similar) and the base.
    """
    rows = diverging_rows(items)
    na_label = next((i.not_applicable_labels[0] for i in items if i.not_applicable_labels),
                    "")
    with matplotlib.rc_context(_RC):
        top, per_row = 0.62, 0.40
        bottom = 0.34 + (0.12 if any(i.reverse for i in items) else 0.0)
        height = top + bottom + per_row * max(len(rows), 1)
        width = 7.2
        fig = Figure(figsize=(width, height), dpi=96)
        y0, h = bottom / height, per_row * max(len(rows), 1) / height
        ax = fig.add_axes((0.385, y0, 0.445, h))
        side = fig.add_axes((0.858, y0, 0.09, h)) if na_label else None
        for row, bar in enumerate(reversed(rows)):
            for seg in bar.segments:
                ax.barh(row, seg.share, left=seg.start, color=seg.colour, edgecolor="white",
                        linewidth=0.6, height=0.68)
            start = bar.segments[0].start if bar.segments else 0.0
            end = start + sum(s.share for s in bar.segments)
            ax.text(start - 2, row, fmt_pct(bar.pct_negative), ha="right", va="center",
                    fontsize=7.5, color=TEXT)
            ax.text(end + 2, row, fmt_pct(bar.pct_positive), ha="left", va="center",
                    fontsize=7.5, color=TEXT, fontweight="bold")
            if side is not None:
                side.barh(row, bar.pct_not_applicable, color=NOT_APPLICABLE, height=0.5)
                side.text(bar.pct_not_applicable + 2, row, fmt_pct(bar.pct_not_applicable),
                          ha="left", va="center", fontsize=7, color=TEXT)
        reverse = {i.id for i in items if i.reverse}
        labels = [_wrap(bar.label + (" †" if bar.item in reverse else ""), 44, 3)
                  for bar in reversed(rows)]
        ax.set_yticks(range(len(rows)), labels, fontsize=8, color=TEXT)
        ax.set_xlim(-118, 118)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.axvline(0, color=TEXT, linewidth=0.9)
        ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"],
                      fontsize=7, color=MUTED)
        ax.tick_params(axis="x", colors=MUTED, length=2)
        for spine in ("top", "right", "left"):
            ax.spines[spine].set_visible(False)
        ax.spines["bottom"].set_color(MUTED)
        ax.tick_params(axis="y", length=0)
        ax.text(-118, len(rows) - 0.4, "← negative", ha="left", va="bottom", fontsize=7,
                color=MUTED, transform=ax.transData)
        ax.text(118, len(rows) - 0.4, "positive →", ha="right", va="bottom", fontsize=7,
                color=MUTED)
        if side is not None:
            side.set_xlim(0, max(40.0, max((b.pct_not_applicable for b in rows),
                                           default=0) * 1.6))
            side.set_ylim(-0.6, len(rows) - 0.4)
            side.set_yticks([])
            side.set_xticks([])
            for spine in ("top", "right", "bottom"):
                side.spines[spine].set_visible(False)
            side.spines["left"].set_color(MUTED)
            side.set_title(na_label, fontsize=7, color=TEXT, loc="left", pad=3)
        if items:
            handles = [Rectangle((0, 0), 1, 1, facecolor=c, edgecolor="white")
                       for c in _colours(items[0].polarity)]
            fig.legend(handles, list(items[0].labels), loc="upper center",
                       bbox_to_anchor=(0.6, 1.0), ncol=min(5, len(items[0].labels)),
                       fontsize=7, frameon=False, handlelength=1.1, handleheight=1.1,
                       columnspacing=0.9, labelcolor=TEXT)
        note = ("Share of those who gave a view; numbers at the bar ends are % negative and "
                "% positive.")
        if reverse:
            note += ("\n† Negatively worded: the colours run the other way (disagreeing is "
                     "positive, shown in purple).")
        fig.text(0.385, 0.015, note, fontsize=6.5, color=MUTED, va="bottom", linespacing=1.3)
        return _svg(fig, title=alt, prefix=prefix)


def alt_text(items: Sequence[ItemResult], theme: str) -> str:
    """A sentence describing the chart for screen readers."""
    if not items:
        return f"No items in {theme}."
    ranked = sorted(items, key=lambda i: _nan_low(i.overall.pct_positive))
    lo, hi = ranked[0], ranked[-1]
    return (f"Diverging bar chart of {len(items)} statement(s) on {theme}. Answers are "
            f"shown as shares of those who gave a view; positive to the right of the centre "
            f"line, negative to the left, “don't know” in a separate panel. "
            f"Most positive: {hi.label} ({fmt_pct(hi.overall.pct_positive)} positive). "
            f"Least positive: {lo.label} ({fmt_pct(lo.overall.pct_positive)} positive).")


def _nan_low(x: float) -> float:
    return -math.inf if math.isnan(x) else x


# --- heatmap --------------------------------------------------------------------------

@dataclass(frozen=True)
class HeatCell:
    """One group's figure for one statement (``value`` None when suppressed)."""

    group: str
    value: float | None
    difference: float | None  # points from all staff
    significant: int  # +1 significantly higher than the rest, -1 lower, 0 neither
    suppressed: bool
    colour: str
    text: str


@dataclass(frozen=True)
class HeatRow:
    item: str
    label: str
    theme: str
    overall: float
    cells: tuple[HeatCell, ...]


def heatmap_rows(results: SurveyResults, breakdown: str) -> list[HeatRow]:
    """The numbers behind :func:`heatmap`: statements in codebook order, groups as listed."""
    alpha = results.settings.alpha
    rows = []
    for item in results.items:
        ib = item.by.get(breakdown)
        if ib is None:
            continue
        overall = item.overall.pct_positive
        cells = []
        for g in ib.groups:
            if g.suppressed or g.figures is None:
                cells.append(HeatCell(group=g.group, value=None, difference=None,
                                      significant=0, suppressed=True,
                                      colour=SUPPRESSED_FILL, text=SUPPRESSED))
                continue
            value = g.figures.pct_positive
            diff = value - overall
            sig = 0
            if g.vs_rest is not None and g.vs_rest.p_adjusted < alpha:
                sig = 1 if g.vs_rest.difference > 0 else -1
            mark = {1: "▲", -1: "▼"}.get(sig, "")
            text = "–" if math.isnan(value) else fmt_num(value, 0) + mark
            cells.append(HeatCell(group=g.group, value=value, difference=diff,
                                  significant=sig, suppressed=False,
                                  colour=heat_colour(diff), text=text))
        rows.append(HeatRow(item=item.id, label=item.label, theme=item.theme,
                            overall=overall, cells=tuple(cells)))
    return rows


def _columns(rows: list[HeatRow], columns: tuple[int, int] | None) -> list[HeatRow]:
    """Only the groups ``[start, stop)`` of each row (a part of a wide breakdown)."""
    if columns is None:
        return rows
    start, stop = columns
    return [HeatRow(item=r.item, label=r.label, theme=r.theme, overall=r.overall,
                    cells=r.cells[start:stop]) for r in rows]


def heatmap(results: SurveyResults, breakdown: str, *, alt: str = "",
            prefix: str | None = None, columns: tuple[int, int] | None = None) -> str:
    """Statements x groups of ``breakdown``: % positive, coloured by difference from all.

    ``columns`` = ``(start, stop)`` draws only those groups (one part of a breakdown with
    too many groups for one legible chart).
    """
    rows = _columns(heatmap_rows(results, breakdown), columns)
    groups = [c.group for c in rows[0].cells] if rows else []
    ncol = len(groups) + 1  # "All staff" first
    with matplotlib.rc_context(_RC):
        label_w = 2.6
        cell_w = min(0.6, max(0.36, (7.2 - label_w - 0.2) / max(ncol, 1)))
        font = 7.5 if cell_w >= 0.5 else 6.5
        head_font, head_width = _header_fit(groups, cell_w)
        # Names too long for the columns even in small type are set vertically instead.
        rotated = head_font < 6.5
        if rotated:
            head_font = 7.0
            heads = [_fit_line(g, 1.4 * 72, head_font) for g in ["All staff", *groups]]
            header_h = 0.25 + max(_text_width(h, head_font) for h in heads) / 72
        else:
            heads = ["All staff", *(_wrap_to(g, head_width, head_font, 4) for g in groups)]
            header_lines = max([len(h.splitlines()) for h in heads] + [1])
            header_h = 0.2 + 0.13 * header_lines * head_font / 7
        legend_h = 0.55
        cell_h = 0.25
        grid_h = cell_h * max(len(rows), 1)
        width = max(label_w + cell_w * (ncol + 0.08) + 0.1, 6.6)  # room for the key
        height = header_h + grid_h + legend_h
        fig = Figure(figsize=(width, height), dpi=96)
        ax = fig.add_axes((label_w / width, legend_h / height,
                           cell_w * (ncol + 0.08) / width, grid_h / height))
        ax.set_xlim(0, ncol + 0.08)
        ax.set_ylim(len(rows), 0)
        ax.set_axis_off()
        for r, row in enumerate(rows):
            ax.add_patch(Rectangle((0.04, r + 0.04), 0.92, 0.92, facecolor=ALL_FILL,
                                   edgecolor="none", linewidth=0.0))
            ax.text(0.5, r + 0.5, fmt_num(row.overall, 0), ha="center", va="center",
                    fontsize=font, color=DARK, fontweight="bold")
            for c, cell in enumerate(row.cells, start=1):
                x = c + 0.08
                if cell.suppressed:
                    ax.add_patch(Rectangle((x + 0.04, r + 0.04), 0.92, 0.92,
                                           facecolor=SUPPRESSED_FILL, edgecolor=SUPPRESSED_HATCH,
                                           hatch="////", linewidth=0.0))
                    ax.text(x + 0.5, r + 0.5, SUPPRESSED, ha="center", va="center",
                            fontsize=font + 1, color=DARK, fontweight="bold",
                            bbox={"boxstyle": "square,pad=0.15", "facecolor": SUPPRESSED_FILL,
                                  "edgecolor": "none"})
                    continue
                outline = cell.significant != 0
                ax.add_patch(Rectangle((x + 0.04, r + 0.04), 0.92, 0.92,
                                       facecolor=cell.colour,
                                       edgecolor=DARK if outline else "none",
                                       linewidth=1.4 if outline else 0.0))
                ax.text(x + 0.5, r + 0.5, cell.text, ha="center", va="center", fontsize=font,
                        color=text_colour_on(cell.colour),
                        fontweight="bold" if outline else "normal")
            ax.text(-0.12, r + 0.5, _wrap(row.label, 46, 2), ha="right", va="center",
                    fontsize=7, color=TEXT, linespacing=1.0)
        for c, head in enumerate(heads):
            x = c + (0.08 if c else 0.0)
            ax.text(x + 0.5, -0.15, head, ha="center", va="bottom",
                    fontsize=head_font if c else 7, color=TEXT, linespacing=1.0,
                    rotation=90 if rotated else 0,
                    fontweight="bold" if c == 0 else "normal")
        ax.axvline(1.04, color=MUTED, linewidth=0.6)
        # Key (positions in inches): colour steps, significance outline, suppressed swatch.
        key = fig.add_axes((0.0, 0.0, 1.0, (legend_h - 0.1) / height))
        key.set_xlim(0, width)
        key.set_ylim(0, 1)
        key.set_axis_off()
        x = 0.1
        key.text(x, 0.8, "Colour: difference from all staff, in percentage points",
                 fontsize=6.5, color=TEXT, va="center")
        for d in (-20, -10, 0, 10, 20):
            colour = heat_colour(d)
            key.add_patch(Rectangle((x, 0.1), 0.36, 0.38, facecolor=colour,
                                    edgecolor=MUTED, linewidth=0.4))
            key.text(x + 0.18, 0.29, f"{d:+d}".replace("-", "−") if d else "0",
                     ha="center", va="center", fontsize=6.5, color=text_colour_on(colour))
            x += 0.38
        x += 0.25
        key.add_patch(Rectangle((x, 0.1), 0.25, 0.38, facecolor=WHITE, edgecolor=DARK,
                                linewidth=1.3))
        key.text(x + 0.32, 0.29, "▲▼ significantly higher / lower than the rest",
                 fontsize=6.5, color=TEXT, va="center")
        x += 2.55
        key.add_patch(Rectangle((x, 0.1), 0.25, 0.38, facecolor=SUPPRESSED_FILL,
                                edgecolor=SUPPRESSED_HATCH, hatch="////", linewidth=0.4))
        key.text(x + 0.32, 0.29, f"{SUPPRESSED} not shown (anonymity)", fontsize=6.5,
                 color=TEXT, va="center")
        return _svg(fig, title=alt, prefix=prefix)


def heatmap_alt(results: SurveyResults, breakdown: str, label: str, *,
                columns: tuple[int, int] | None = None) -> str:
    """A description of the heatmap for screen readers, naming the significant cells."""
    rows = _columns(heatmap_rows(results, breakdown), columns)
    groups = [c.group for c in rows[0].cells] if rows else []
    high = [(r, c) for r in rows for c in r.cells if c.significant > 0]
    low = [(r, c) for r in rows for c in r.cells if c.significant < 0]
    hidden = sorted({c.group for r in rows for c in r.cells if c.suppressed},
                    key=groups.index)

    def listing(cells: list[tuple[HeatRow, HeatCell]]) -> str:
        return "; ".join(f"{c.group} on “{r.label}” ({fmt_pct(c.value)} vs "
                         f"{fmt_pct(r.overall)})" for r, c in cells)

    parts = [(f"Heatmap of % positive for {len(rows)} statement(s) by {label.lower()} "
              f"({len(groups)} group(s)), coloured by the difference from all staff.")]
    parts.append(f"Significantly higher than the rest: {listing(high)}." if high
                 else "No group is significantly higher than the rest on any statement.")
    parts.append(f"Significantly lower: {listing(low)}." if low
                 else "No group is significantly lower than the rest on any statement.")
    if hidden:
        parts.append(f"Not shown for anonymity on at least one statement: "
                     f"{', '.join(hidden)}.")
    return " ".join(parts)
