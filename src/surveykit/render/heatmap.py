"""The heatmap of statements x groups of one breakdown, as inline SVG.

Each cell gives the group's % positive, coloured by its difference from all staff; a cell
whose group differs significantly from the rest of the staff (adjusted p below alpha) gets
a triangle and a dark outline; a suppressed group is a hatched grey cell with ``*`` and no
figure. Colours are the diverging scale of :mod:`surveykit.render.charts`; text in cells
takes black or white, whichever contrasts more. Column headings wrap between words and
shrink to fit their column; names too long even then are set vertically. A breakdown with
many groups is drawn in parts (``columns=``). The numbers come from :func:`heatmap_rows`,
which tests can check without parsing SVG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from surveykit.analysis.results import SurveyResults
from surveykit.render.charts import (
    ALL_FILL,
    DARK,
    MUTED,
    SUPPRESSED_FILL,
    SUPPRESSED_HATCH,
    TEXT,
    WHITE,
    heat_colour,
    text_colour_on,
)
from surveykit.render.format import SUPPRESSED, fmt_num, fmt_pct
from surveykit.render.svg import RC, fit_line, header_fit, text_width, to_svg, wrap, wrap_to

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
    with matplotlib.rc_context(RC):
        label_w = 2.6
        cell_w = min(0.6, max(0.36, (7.2 - label_w - 0.2) / max(ncol, 1)))
        font = 7.5 if cell_w >= 0.5 else 6.5
        head_font, head_width = header_fit(groups, cell_w)
        # Names too long for the columns even in small type are set vertically instead.
        rotated = head_font < 6.5
        if rotated:
            head_font = 7.0
            heads = [fit_line(g, 1.4 * 72, head_font) for g in ["All staff", *groups]]
            header_h = 0.25 + max(text_width(h, head_font) for h in heads) / 72
        else:
            heads = ["All staff", *(wrap_to(g, head_width, head_font, 4) for g in groups)]
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
            ax.text(-0.12, r + 0.5, wrap(row.label, 46, 2), ha="right", va="center",
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
        return to_svg(fig, title=alt, prefix=prefix)


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
