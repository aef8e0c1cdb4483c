"""Tab book sheets beyond the statements: tick-all questions, indices, change since last wave.

Written with the inert-text and number helpers of :mod:`surveykit.render.xlsx_cells`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from surveykit.analysis.results import SurveyResults
from surveykit.analysis.significance import CORRECTION_NAMES
from surveykit.render.format import SUPPRESSED
from surveykit.render.xlsx_cells import (
    BOLD,
    COUNT,
    HEAD_FILL,
    MEAN,
    MUTED,
    P_VALUE,
    PCT,
    POINTS,
    TITLE,
    put_number,
    put_suppressed,
    put_text,
    widths,
)

if TYPE_CHECKING:
    from surveykit.analysis.waves import WaveComparison


def multi_sheet(ws: Worksheet, results: SurveyResults) -> None:
    bids = [b.id for b in results.breakdowns]
    columns: list[tuple[str, Any]] = [("All staff", None)]
    labels = {b.id: b.label for b in results.breakdowns}
    put_text(ws, 1, 1, "Tick all that apply", font=TITLE)
    put_text(ws, 2, 1, f"% of those who answered the question who ticked each option. "
             f"{SUPPRESSED} = not shown.", font=MUTED)
    row = 4
    for m in results.multi:
        columns = [("All staff", m.overall)]
        for bid in bids:
            for g in m.by.get(bid, ()):
                columns.append((f"{labels[bid]}: {g.group}", g))
        put_text(ws, row, 1, m.label, font=BOLD)
        row += 1
        put_text(ws, row, 1, "Option", font=BOLD).fill = HEAD_FILL
        put_text(ws, row, 2, "Measure", font=BOLD).fill = HEAD_FILL
        tested = [bid for bid in bids if m.tests.get(bid)]
        heads = [name for name, _ in columns] + [
            f"Differs by {labels[bid].lower()}? adjusted p" for bid in tested]
        for j, name in enumerate(heads, start=3):
            cell = put_text(ws, row, j, name, font=BOLD)
            cell.fill = HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="right")
        row += 1

        def figs(obj: Any, overall: Any = m.overall) -> Any:
            if obj is overall:
                return obj
            return None if obj.suppressed else obj.figures

        put_text(ws, row, 1, "Base (n)")
        put_text(ws, row, 2, "Answered")
        for j, (_, obj) in enumerate(columns, start=3):
            f = figs(obj)
            put_suppressed(ws, row, j) if f is None else put_number(ws, row, j, f.n, COUNT)
        row += 1
        for k, option in enumerate(m.options):
            for measure, get, fmt in (("Count", lambda f, k=k: f.counts[k], COUNT),
                                      ("% of respondents",
                                       lambda f, k=k: f.pct_respondents[k] / 100, PCT)):
                put_text(ws, row, 1, option)
                put_text(ws, row, 2, measure)
                for j, (_, obj) in enumerate(columns, start=3):
                    f = figs(obj)
                    if f is None:
                        put_suppressed(ws, row, j)
                    else:
                        put_number(ws, row, j, get(f), fmt)
                if measure != "Count":  # the option's test by each breakdown
                    for t, bid in enumerate(tested, start=3 + len(columns)):
                        test = next((x for x in m.tests[bid] if x.option == option), None)
                        if test is not None:
                            put_number(ws, row, t, test.p_adjusted, P_VALUE)
                row += 1
        if tested:
            names = sorted({x.name for bid in tested for x in m.tests[bid]})
            put_text(ws, row, 1, f"Each option tested by group (ticked or not): "
                     f"{', '.join(names)}; p adjusted across the options of the question "
                     f"({CORRECTION_NAMES.get(results.settings.correction, results.settings.correction)}).",
                     font=MUTED)
            row += 1
        row += 1
    widths(ws, {1: 30, 2: 18, **{3 + j: 14 for j in range(40)}})


def indices_sheet(ws: Worksheet, results: SurveyResults) -> None:
    """Composite indices (0-100): overall and by group, then their reliability."""
    labels = {b.id: b.label for b in results.breakdowns}
    put_text(ws, 1, 1, "Indices", font=TITLE)
    put_text(ws, 2, 1, "Composite scores from 0 (every answer most negative) to 100 (most "
             "positive), with standard errors, for respondents who answered enough of the "
             f"index's statements. {SUPPRESSED} = not shown.", font=MUTED)
    row = 4
    for x in results.indices:
        columns: list[tuple[str, Any]] = [("All staff", None)]
        for bid, groups in x.by.items():
            columns += [(f"{labels.get(bid, bid)}: {g.group}", g) for g in groups]
        put_text(ws, row, 1, x.label, font=BOLD)
        put_text(ws, row, 2, f"id {x.id}; statements: {', '.join(x.items)}", font=MUTED)
        row += 1
        put_text(ws, row, 1, "Measure", font=BOLD).fill = HEAD_FILL
        for j, (name, _) in enumerate(columns, start=2):
            cell = put_text(ws, row, j, name, font=BOLD)
            cell.fill = HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="right")
        row += 1
        for measure, overall, get, fmt in (
                ("Score (0-100)", x.score, lambda g: g.mean, MEAN),
                ("Standard error", x.se, lambda g: g.se, "0.000"),
                ("Base (n)", x.n, lambda g: g.n, COUNT)):
            put_text(ws, row, 1, measure)
            put_number(ws, row, 2, overall, fmt)
            for j, (_, g) in enumerate(columns[1:], start=3):
                if g.suppressed:
                    put_suppressed(ws, row, j)
                else:
                    put_number(ws, row, j, get(g), fmt)
            row += 1
        put_text(ws, row, 1, "Cronbach's alpha")
        put_number(ws, row, 2, x.alpha, "0.000")
        put_text(ws, row, 3, f"n = {x.alpha_n:,} who answered every statement", font=MUTED)
        row += 1
        put_text(ws, row, 1, "Statement", font=BOLD).fill = HEAD_FILL
        put_text(ws, row, 2, "Alpha if deleted", font=BOLD).fill = HEAD_FILL
        put_text(ws, row, 3, "Item-rest correlation", font=BOLD).fill = HEAD_FILL
        row += 1
        for item_id, a, r in zip(x.items, x.alpha_if_deleted, x.item_rest):
            put_text(ws, row, 1, item_id)
            put_number(ws, row, 2, a, "0.000")
            put_number(ws, row, 3, r, "0.000")
            row += 1
        row += 1
    widths(ws, {1: 26, **{2 + j: 14 for j in range(60)}})


_CHANGE_COLUMNS = ("Item", "Statement", "Breakdown", "Group", "From wave", "To wave",
                   "Base (n), from", "Base (n), to", "% positive, from", "% positive, to",
                   "Change (points)", "p", "Adjusted p", "Result")


def change_sheet(ws: Worksheet, results: SurveyResults, comparison: WaveComparison) -> None:
    """Every change between consecutive waves, then trends and what was not compared."""
    from surveykit.analysis.waves import OVERALL

    labels = {**comparison.labels, **{i.id: i.label for i in results.items}}
    breakdowns = {b.id: b.label for b in results.breakdowns}
    correction = CORRECTION_NAMES.get(comparison.correction, comparison.correction)
    put_text(ws, 1, 1, f"Change between waves: {', '.join(comparison.waves)}", font=TITLE)
    put_text(ws, 2, 1, (
        "% positive in each wave and the change, overall and for each group shown in both "
        "waves. Two-proportion z-test (waves are independent samples); p adjusted by the "
        f"{correction} method across all {len(comparison.changes):,} comparisons; "
        f"significant when adjusted p < {comparison.alpha}. Statements are matched by "
        "codebook id; a changed wording or scale is not compared (listed below)."),
        font=MUTED)
    row = 4
    for j, name in enumerate(_CHANGE_COLUMNS, start=1):
        cell = put_text(ws, row, j, name, font=BOLD)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom",
                                   horizontal="left" if j <= 6 else "right")
    ws.freeze_panes = ws.cell(row=row + 1, column=5)
    ws.auto_filter.ref = f"A{row}:N{row}"
    for c in comparison.changes:
        row += 1
        overall = c.breakdown == OVERALL
        put_text(ws, row, 1, c.item)
        put_text(ws, row, 2, labels.get(c.item, c.item))
        put_text(ws, row, 3, "All staff" if overall else breakdowns.get(c.breakdown,
                                                                       c.breakdown))
        put_text(ws, row, 4, "All staff" if overall else c.group)
        put_text(ws, row, 5, c.wave_from)
        put_text(ws, row, 6, c.wave_to)
        put_number(ws, row, 7, c.n_from, COUNT)
        put_number(ws, row, 8, c.n_to, COUNT)
        put_number(ws, row, 9, c.pct_from / 100, PCT)
        put_number(ws, row, 10, c.pct_to / 100, PCT)
        put_number(ws, row, 11, c.change, POINTS)
        put_number(ws, row, 12, c.p_value, P_VALUE)
        put_number(ws, row, 13, c.p_adjusted, P_VALUE)
        put_text(ws, row, 14, {"better": "▲ better", "worse": "▼ worse"}.get(c.label, c.label))
    row += 2
    put_text(ws, row, 1, "Trend: all staff, % positive in each wave", font=BOLD)
    row += 1
    for j, name in enumerate(["Item", "Statement", *comparison.waves], start=1):
        put_text(ws, row, j, name, font=BOLD).fill = HEAD_FILL
    for item, values in comparison.trends.items():
        row += 1
        put_text(ws, row, 1, item)
        put_text(ws, row, 2, labels.get(item, item))
        for j, v in enumerate(values, start=3):
            put_number(ws, row, j, v / 100, PCT)  # NaN (not in that wave): empty
    if comparison.wording_changed:
        row += 2
        put_text(ws, row, 1, "Not compared: wording or answer scale changed", font=BOLD)
        for item, wave, what in comparison.wording_changed:
            row += 1
            put_text(ws, row, 1, item)
            put_text(ws, row, 2, labels.get(item, item))
            put_text(ws, row, 3, f"in {wave}: {what}")
    if comparison.only_in_some:
        row += 2
        put_text(ws, row, 1, "Not in every wave", font=BOLD)
        for item, waves in comparison.only_in_some:
            row += 1
            put_text(ws, row, 1, item)
            put_text(ws, row, 2, labels.get(item, item))
            put_text(ws, row, 3, "asked in " + ", ".join(waves))
    widths(ws, {1: 16, 2: 48, 3: 16, 4: 22, 5: 12, 6: 12, **{j: 11 for j in range(7, 14)},
                14: 22})
