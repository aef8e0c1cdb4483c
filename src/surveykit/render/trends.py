"""Trend charts: overall % positive per wave, one line per statement, as inline SVG.

Drawn with matplotlib's object API (never pyplot). Lines take the Okabe-Ito colours (safe
for the common colour-vision deficiencies) and, because colour alone must not carry the
meaning and the paper may be printed in black and white, each line also has its own
marker shape and dash pattern; the last value of each line is printed beside it and the
legend names the statements. A wave where a statement was not asked (or its wording
changed) leaves a gap rather than a joined line. Text stays text in the SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure

from surveykit.render.charts import MUTED, TEXT
from surveykit.render.svg import RC, to_svg, wrap
from surveykit.render.format import fmt_pct

# Okabe & Ito (2008), with their light orange replaced by a darker one and sky blue by
# grey, so every line meets the 3:1 contrast WCAG asks of graphics (1.4.11) on white.
LINE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#A66A00", "#6E6E6E"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
DASHES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1))]


def trend_alt(theme: str, waves: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]
              ) -> str:
    """The chart in words, every figure included: a screen reader loses nothing."""
    parts = [f"Line chart of % positive in each wave ({', '.join(waves)}) for "
             f"{len(series)} statement(s) on {theme}."]
    for label, values in series:
        figures = ", ".join(f"{w} {fmt_pct(v) if math.isfinite(v) else 'not compared'}"
                            for w, v in zip(waves, values))
        parts.append(f"“{label}”: {figures}.")
    return " ".join(parts)


def _end_labels(series: Sequence[tuple[str, Sequence[float]]], gap: float
                ) -> list[tuple[int, float, float, str]]:
    """``(x, y, label y, text)`` for the last figure of each line, nudged apart.

    Labels that end in the same wave and would overlap are spread to at least ``gap``
    apart (in % points), keeping their order, so "41%" and "42%" do not print on top of
    each other.
    """
    ends = []
    for _, values in series:
        last = max((j for j, v in enumerate(values) if math.isfinite(v)), default=None)
        if last is not None:
            ends.append((last, float(values[last])))
    out = []
    for x_end in sorted({x for x, _ in ends}):
        ys = sorted(y for x, y in ends if x == x_end)
        placed: list[float] = []
        for y in ys:
            placed.append(max(y, placed[-1] + gap) if placed else y)
        shift = max(0.0, (placed[-1] - ys[-1]) / 2) if placed else 0.0  # re-centre
        out += [(x_end, y, p - shift, fmt_pct(y)) for y, p in zip(ys, placed)]
    return out


def trend_chart(waves: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
                alt: str = "", prefix: str | None = None) -> str:
    """Overall % positive per wave for several statements, as SVG text.

    Parameters
    ----------
    waves
        Wave names, oldest first (the x axis).
    series
        ``(statement label, % positive per wave)``; NaN where there is no figure.
    alt
        Description for screen readers (see :func:`trend_alt`).
    prefix
        Prefix for the SVG's element ids (unique per chart in a page).
    """
    with matplotlib.rc_context(RC):
        legend_rows = math.ceil(len(series) / 2)
        width, plot_h = 7.0, 1.9
        legend_h = 0.27 * legend_rows + 0.05
        height = plot_h + legend_h + 0.4
        fig = Figure(figsize=(width, height), dpi=96)
        ax = fig.add_axes((0.08, (legend_h + 0.3) / height, 0.80, plot_h / height))  # ticks between
        x = list(range(len(waves)))
        handles = []
        for k, (label, values) in enumerate(series):
            colour = LINE_COLOURS[k % len(LINE_COLOURS)]
            (line,) = ax.plot(x, [v if math.isfinite(v) else math.nan for v in values],
                              color=colour, marker=MARKERS[k % len(MARKERS)],
                              linestyle=DASHES[k % len(DASHES)], linewidth=1.6,
                              markersize=5, markeredgecolor="white", markeredgewidth=0.6)
            handles.append((line, wrap(label, 48, 2)))
        finite = [v for _, vs in series for v in vs if math.isfinite(v)]
        low = max(0.0, math.floor((min(finite, default=0.0) - 8) / 10) * 10)
        high = min(100.0, math.ceil((max(finite, default=100.0) + 8) / 10) * 10)
        for x_end, y_value, y_label, text in _end_labels(series, gap=(high - low) * 0.075):
            ax.annotate(text, (x_end, y_value), xytext=(x_end + 0.06, y_label),
                        textcoords="data", va="center", fontsize=7, color=TEXT)
        ax.set_ylim(low, high)
        ax.set_xlim(-0.25, len(waves) - 0.6)
        ax.set_xticks(x, list(waves), fontsize=7.5, color=TEXT)
        ticks = [t for t in range(int(low), int(high) + 1, 10)]
        ax.set_yticks(ticks, [f"{t}%" for t in ticks], fontsize=7, color=MUTED)
        ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
        ax.set_axisbelow(True)
        for spine in ("top", "right", "left"):
            ax.spines[spine].set_visible(False)
        ax.spines["bottom"].set_color(MUTED)
        ax.tick_params(axis="y", length=0)
        ax.tick_params(axis="x", colors=MUTED, length=2)
        ax.set_ylabel("% positive", fontsize=7, color=MUTED)
        if handles:
            fig.legend([h for h, _ in handles], [t for _, t in handles], loc="lower left",
                       bbox_to_anchor=(0.06, 0.0), ncol=2, fontsize=7, frameon=False,
                       handlelength=2.6, columnspacing=1.5, labelcolor=TEXT)
        return to_svg(fig, title=alt, prefix=prefix)
