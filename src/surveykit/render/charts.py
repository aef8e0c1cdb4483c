"""Charts as inline SVG, drawn with matplotlib's object API (never pyplot's global state).

Diverging stacked bars (Heiberger & Robbins 2014): negative answers left of a centre line,
positive right, the neutral answer split across the centre, "don't know" reported beside
the bar rather than inside it. Colours are ColorBrewer's PuOr, which stays distinct for
the common forms of colour blindness and keeps its order in greyscale (light centre, dark
ends). Text stays text in the SVG, so charts are light, searchable and sharp in the PDF.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display here, and none wanted: charts go to strings
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from surveykit.analysis.results import ItemResult  # noqa: E402
from surveykit.render.format import fmt_pct  # noqa: E402

# ColorBrewer PuOr (orange = negative, purple = positive), darkest at the ends.
NEGATIVE = ["#b35806", "#f1a340", "#fdb863"]
POSITIVE = ["#542788", "#998ec3", "#b2abd2"]
NEUTRAL = "#d9d9d9"
TEXT = "#222222"
_RC = {"svg.fonttype": "none", "svg.hashsalt": "surveykit", "font.family": "DejaVu Sans",
       "font.size": 9}


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


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    # Drop the XML prolog and DOCTYPE: the SVG is inlined into HTML.
    return text[text.index("<svg"):]


def diverging_bars(items: Sequence[ItemResult], title: str = "") -> str:
    """A diverging stacked bar chart of several items' overall answers, as SVG text.

    Items are drawn in the order given (callers sort them, e.g. by % positive); each bar
    shows the shares of the valid base, and the right margin gives the base and the number
    who answered "don't know" or similar.
    """
    with matplotlib.rc_context(_RC):
        height = 0.9 + 0.42 * len(items)
        fig = Figure(figsize=(7.2, height), dpi=96)
        ax = fig.add_axes((0.36, 0.9 / height * 0.55, 0.50, 1 - 0.9 / height))
        ylabels = []
        for row, item in enumerate(reversed(items)):
            fig_ = item.overall
            n = fig_.n or 1
            shares = [100 * c / n for c in fig_.counts]
            pol = list(item.polarity)
            colours = _colours(pol)
            neutral_total = sum(s for s, p in zip(shares, pol) if p == 0)
            left = -sum(s for s, p in zip(shares, pol) if p < 0) - neutral_total / 2
            for share, colour, label in zip(shares, colours, item.labels):
                ax.barh(row, share, left=left, color=colour, edgecolor="white", linewidth=0.5,
                        height=0.72, label=label if row == 0 else None)
                if share >= 7:
                    dark = colour in (NEGATIVE[0], POSITIVE[0])
                    ax.text(left + share / 2, row, f"{share:.0f}", ha="center", va="center",
                            fontsize=7, color="white" if dark else TEXT)
                left += share
            na = fig_.not_applicable
            note = f"n={fig_.n:,}" + (f"; {na:.0f} n/a" if na else "")
            ax.text(101, row, note, ha="left", va="center", fontsize=7, color="#555555")
            ylabels.append("\n".join(textwrap.wrap(item.label, 42)[:3]))
        ax.set_yticks(range(len(items)), ylabels, fontsize=8)
        ax.set_xlim(-100, 100)
        ax.set_ylim(-0.6, len(items) - 0.4)
        ax.axvline(0, color=TEXT, linewidth=0.8)
        ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"], fontsize=7)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="y", length=0)
        if items:
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(5, len(items[0].labels)),
                      fontsize=7, frameon=False, handlelength=1.2, columnspacing=0.8)
        return _svg(fig)


def alt_text(items: Sequence[ItemResult], theme: str) -> str:
    """A sentence describing the chart for screen readers."""
    if not items:
        return f"No items in {theme}."
    ranked = sorted(items, key=lambda i: i.overall.pct_positive)
    lo, hi = ranked[0], ranked[-1]
    return (f"Diverging bar chart of {len(items)} item(s) on {theme}. Answers shown as shares "
            f"of those who gave a view; positive to the right of the centre line. "
            f"Most positive: {hi.label} ({fmt_pct(hi.overall.pct_positive)} positive). "
            f"Least positive: {lo.label} ({fmt_pct(lo.overall.pct_positive)} positive).")
