"""Chart colours, and the diverging stacked bar chart of each theme, as inline SVG.

:func:`diverging_bars` draws a diverging stacked bar chart per theme (Heiberger & Robbins
2014): negative answers left of a centre line, positive right, the neutral answer split
across the centre, and "don't know" in a separate panel beside the bar rather than inside
it, so it neither shifts the centre nor looks like an opinion. Its numbers come from
:func:`diverging_rows`, which tests can check without parsing SVG. The heatmap lives in
:mod:`surveykit.render.heatmap`, the trend chart in :mod:`surveykit.render.trends`, and
the SVG plumbing they share in :mod:`surveykit.render.svg`.

Colours are ColorBrewer's PuOr (orange = negative or below average, purple = positive or
above average), which stays distinct for the common forms of colour blindness and keeps
its order in greyscale (light centre, dark ends); numbers and marks carry the meaning too,
so nothing depends on colour alone. Text in cells takes black or white, whichever
contrasts more with the cell (WCAG AA needs 4.5:1; :func:`contrast_ratio`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display here, and none wanted: charts go to strings
from matplotlib.colors import LinearSegmentedColormap, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from surveykit.analysis.results import ItemResult
from surveykit.render.format import answer_base, fmt_pct
from surveykit.render.svg import HATCH, RC, to_svg, wrap

# ColorBrewer PuOr (orange = negative, purple = positive), darkest at the ends.
NEGATIVE = ["#b35806", "#f1a340", "#fdb863"]
POSITIVE = ["#542788", "#998ec3", "#b2abd2"]
NEUTRAL = "#d9d9d9"
NOT_APPLICABLE = "#bdbdbd"
SUPPRESSED_FILL = "#eeeeee"
ALL_FILL = "#f2f2f2"
SUPPRESSED_HATCH = HATCH
TEXT = "#222222"
MUTED = "#555555"  # 7.5:1 on white
DARK = "#000000"  # with white, always >= 4.58:1 on any fill (whichever is higher)
WHITE = "#ffffff"
# The heatmap's diverging scale: orange (below all staff) - white - purple (above).
HEAT_SCALE = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"]
HEAT_LIMIT = 20.0  # points of difference at which the colour saturates
_HEAT_CMAP = LinearSegmentedColormap.from_list("surveykit_puor", HEAT_SCALE)
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
    with matplotlib.rc_context(RC):
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
        labels = [wrap(bar.label + (" †" if bar.item in reverse else ""), 44, 3)
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
        return to_svg(fig, title=alt, prefix=prefix)


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
