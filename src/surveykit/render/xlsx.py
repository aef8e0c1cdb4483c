"""``tables.xlsx``: the analyst's tab book, written with openpyxl.

Sheets:

* **Index**: what the workbook is, the settings, the key to the marks, and a link to
  every sheet.
* **All staff**: every statement's answers overall.
* **By <breakdown>**: one sheet per breakdown. For each statement a block of rows, one
  column per group (all staff first): the base (n), the count and the column % of each
  answer (weighted runs add the weighted base and Kish's effective base), "don't know",
  % positive, mean, the group-vs-rest difference and adjusted p, the significance mark,
  and the column letters of the groups each group is significantly higher than (each
  group's own letter sits above its name); at the right of the block's first row the
  test of the statement by the breakdown (name, statistic, df, p, adjusted p, Cramér's V,
  smallest expected count) and the test of its mean scores.
* **Tick all**: multi-response questions overall and by group, with each option's
  adjusted p by each breakdown (when there are any).
* **Indices**: composite scores overall and by group, Cronbach's alpha, alpha if deleted
  and item-rest correlations (when the codebook defines indices).
* **Change**: with a wave comparison, every change tested (overall and by group, each
  pair of consecutive waves), the trend of each statement, and what was not compared.

Numbers are stored at full precision as numbers; percentages as fractions with a ``0%``
format, so Excel shows rounded figures and calculates with exact ones. A suppressed
group's cells hold ``*`` and nothing else. Every text cell is written as text: a label that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is stored as a string with
Excel's quote prefix, so it is never evaluated as a formula. The workbook's
created/modified properties and the zip entries' timestamps are fixed
(``SOURCE_DATE_EPOCH`` when set, else 2000-01-01), so the same input gives the same bytes.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from surveykit import __version__
from surveykit.analysis.results import GroupResult, ItemResult, SurveyResults
from surveykit.analysis.significance import CORRECTION_NAMES
from surveykit.render.context import fixed_timestamp
from surveykit.render.format import SUPPRESSED, answer_base
from surveykit.render.views import test_kind
from surveykit.render.xlsx_cells import (  # noqa: F401 - put_text, sheet_title: public
    BOLD,
    COUNT,
    COUNT_WEIGHTED,
    DEFAULT_DATE,
    HEAD_FILL,
    MEAN,
    MUTED,
    P_VALUE,
    PCT,
    POINTS,
    RIGHT,
    STAT,
    TITLE,
    TOP,
    WRAP,
    count_format,
    put_number,
    put_suppressed,
    put_text,
    safe_text,
    sheet_title,
    widths,
)
from surveykit.render.xlsx_sheets import change_sheet, indices_sheet, multi_sheet

if TYPE_CHECKING:
    from surveykit.analysis.waves import WaveComparison

#: The columns at the right of a breakdown sheet: the omnibus test of each statement by
#: the breakdown (chi-square; Fisher's exact test for sparse tables; Rao-Scott when
#: weighted), then the test of its mean scores (Kruskal-Wallis; Wald F when weighted).
TEST_COLUMNS = ("Test", "Statistic", "df", "Denominator df", "p", "Adjusted p",
                "Cramér's V", "Smallest expected count", "Means test", "Means: statistic",
                "Means: p", "Means: adjusted p")

# --- sheets -----------------------------------------------------------------------------

_FIRST = 5  # first data column: A item id, B statement, C measure, D answer


def _header(ws: Worksheet, title: str, note: str, columns: Sequence[str],
            extra: Sequence[str] = ()) -> int:
    put_text(ws, 1, 1, title, font=TITLE)
    put_text(ws, 2, 1, note, font=MUTED)
    row = 4
    for j, name in enumerate(["Item", "Statement", "Measure", "Answer", *columns, *extra],
                             start=1):
        cell = put_text(ws, row, j, name, font=BOLD)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom",
                                   horizontal="left" if j < _FIRST else "right")
    ws.freeze_panes = ws.cell(row=row + 1, column=_FIRST)
    ws.auto_filter.ref = f"A{row}:{get_column_letter(len(columns) + len(extra) + 4)}{row}"
    return row + 1


def _block(ws: Worksheet, row: int, item: ItemResult, cells: Sequence[GroupResult | None],
           results: SurveyResults, *, with_tests: bool, test_col: int, breakdown: str = ""
           ) -> int:
    """One statement's rows; ``cells[0]`` is all staff (None = use item.overall)."""
    count_fmt = count_format(results)
    alpha = results.settings.alpha

    def label(r: int, measure: str, answer: str = "") -> None:
        put_text(ws, r, 1, item.id)
        put_text(ws, r, 2, item.label)
        put_text(ws, r, 3, measure)
        if answer:
            put_text(ws, r, 4, answer)

    figures = [item.overall if g is None else (None if g.suppressed else g.figures)
               for g in cells]
    measures: list[tuple[str, str, Any, str]] = [("Base (n)", "", lambda f: f.n, COUNT)]
    if results.settings.weighted:
        measures.append(("Weighted base", "", lambda f: f.weighted_n, COUNT_WEIGHTED))
        measures.append(("Effective base (Kish)", "", lambda f: f.n_eff, COUNT_WEIGHTED))
    for k, answer in enumerate(item.labels):
        measures.append(("Count", answer, lambda f, k=k: f.counts[k], count_fmt))
    for k, answer in enumerate(item.labels):
        # A share of the (weighted) base: weighted counts over the unweighted n would be wrong.
        measures.append(("Column %", answer,
                         lambda f, k=k: (f.counts[k] / answer_base(f)) if answer_base(f)
                         else None, PCT))
    na = " / ".join(item.not_applicable_labels) or "Not applicable"
    measures.append(("Count, not in base", na, lambda f: f.not_applicable, count_fmt))
    measures.append(("% positive", "", lambda f: f.pct_positive / 100, PCT))
    measures.append(("Mean score", "", lambda f: f.mean, MEAN))
    first = row
    for measure, answer, get, fmt in measures:
        label(row, measure, answer)
        for j, fig in enumerate(figures):
            col = _FIRST + j
            if fig is None:
                put_suppressed(ws, row, col)
            else:
                put_number(ws, row, col, get(fig), fmt)
        row += 1
    if with_tests:
        for measure, attr, get, fmt in (
                ("Difference from the rest (points)", "vs_rest", lambda c: c.difference,
                 POINTS),
                ("Rest of staff: % positive", "vs_rest", lambda c: c.rest_pct_positive / 100,
                 PCT),
                ("Group vs rest: p", "vs_rest", lambda c: c.p_value, P_VALUE),
                ("Group vs rest: adjusted p", "vs_rest", lambda c: c.p_adjusted, P_VALUE),
                ("Mean score: difference from the rest", "mean_vs_rest",
                 lambda c: c.difference, MEAN),
                ("Mean score vs rest: adjusted p", "mean_vs_rest", lambda c: c.p_adjusted,
                 P_VALUE)):
            label(row, measure)
            for j, g in enumerate(cells):
                col = _FIRST + j
                if g is None:
                    continue
                cmp = None if g.suppressed else getattr(g, attr)
                if cmp is None:
                    if g.suppressed:
                        put_suppressed(ws, row, col)
                    continue
                put_number(ws, row, col, get(cmp), fmt)
            row += 1
        label(row, "Significant vs rest")
        for j, g in enumerate(cells):
            col = _FIRST + j
            if g is None:
                continue
            if g.suppressed:
                put_suppressed(ws, row, col)
            elif g.vs_rest is not None and g.vs_rest.p_adjusted < alpha:
                put_text(ws, row, col, "▲ higher" if g.vs_rest.difference > 0 else "▼ lower"
                         ).alignment = RIGHT
        row += 1
        label(row, "Higher than (column letters)")
        for j, g in enumerate(cells):
            col = _FIRST + j
            if g is None:
                continue
            if g.suppressed:
                put_suppressed(ws, row, col)
            elif g.higher_than:
                put_text(ws, row, col, " ".join(g.higher_than)).alignment = RIGHT
        row += 1
        ib = item.by.get(breakdown)
        test = ib.test if ib is not None else None
        if test is not None:
            put_text(ws, first, test_col, test_kind(test))
            for k, (value, fmt) in enumerate(((test.statistic, STAT), (test.df, "0"),
                                              (test.ddf, "0.0"),
                                              (test.p_value, P_VALUE),
                                              (test.p_adjusted, P_VALUE),
                                              (test.effect_size, "0.000"),
                                              (test.min_expected, "0.0")), start=1):
                put_number(ws, first, test_col + k, value, fmt)
        mean = ib.mean_test if ib is not None else None
        if mean is not None:
            put_text(ws, first, test_col + 8, mean.name)
            for k, (value, fmt) in enumerate(((mean.statistic, STAT),
                                              (mean.p_value, P_VALUE),
                                              (mean.p_adjusted, P_VALUE)), start=9):
                put_number(ws, first, test_col + k, value, fmt)
    for col in range(1, test_col + (len(TEST_COLUMNS) if with_tests else 0)):
        ws.cell(row=first, column=col).border = TOP
    for col in (1, 2):
        ws.cell(row=first, column=col).font = BOLD
    return row


def _letters(results: SurveyResults, bid: str) -> list[str]:
    """Each group's column letter (from the first statement by ``bid``)."""
    for item in results.items:
        if bid in item.by:
            return [g.letter for g in item.by[bid].groups]
    return []


def _overall_sheet(ws: Worksheet, results: SurveyResults) -> None:
    row = _header(ws, "All staff: answers to every statement",
                  "Column % of those who gave a view (the base); counts not in the base are "
                  "reported separately. Full precision; the % format shows whole numbers.",
                  ["All staff"])
    for item in results.items:
        row = _block(ws, row, item, [None], results, with_tests=False, test_col=_FIRST + 1)
    widths(ws, {1: 16, 2: 48, 3: 22, 4: 26, 5: 12})


def _breakdown_sheet(ws: Worksheet, results: SurveyResults, bid: str, label: str) -> None:
    summary = next(b for b in results.breakdowns if b.id == bid)
    groups = [g.group for g in summary.groups]
    test_col = _FIRST + 1 + len(groups)
    row = _header(
        ws, f"{label}: answers by group",
        f"Column % of those who gave a view. {SUPPRESSED} = not shown (fewer than "
        f"{results.settings.min_group} responses, or hidden so a small group cannot be worked "
        f"out by subtraction). ▲/▼ = significantly higher/lower than the rest of the staff "
        f"({CORRECTION_NAMES.get(results.settings.correction, results.settings.correction)}"
        f"-adjusted p < {results.settings.alpha}). Letters: the groups this one is "
        f"significantly higher than (see Index). The test of the statement by "
        f"{label.lower()} and the test of its mean scores are at the right of each "
        f"block's first row.",
        ["All staff", *groups], TEST_COLUMNS)
    # Column letters above the group names (kept in view by the frozen panes).
    put_text(ws, 3, 4, "Column letter", font=MUTED).alignment = RIGHT
    letters = _letters(results, bid)
    for j, letter in enumerate(letters, start=1):
        put_text(ws, 3, _FIRST + j, letter, font=BOLD).alignment = RIGHT
    # Respondents per group, above the blocks.
    put_text(ws, row, 3, "Respondents", font=BOLD)
    put_number(ws, row, _FIRST, results.respondents, COUNT)
    for j, g in enumerate(summary.groups, start=1):
        if g.suppressed or g.n is None:
            put_suppressed(ws, row, _FIRST + j)
        else:
            put_number(ws, row, _FIRST + j, g.n, COUNT)
    row += 1
    for item in results.items:
        if bid not in item.by:
            continue
        cells = [None, *item.by[bid].groups]
        row = _block(ws, row, item, cells, results, with_tests=True, test_col=test_col,
                     breakdown=bid)
    widths(ws, {1: 16, 2: 48, 3: 30, 4: 26,
                 **{_FIRST + j: 13 for j in range(len(groups) + 1)},
                 **{test_col + k: 12 for k in range(len(TEST_COLUMNS))},
                 test_col: 14, test_col + 8: 22})


def _weighting_facts(weighting: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """What the weights cost in precision, from the weighting report, when there is one."""
    if not weighting:
        return []
    out: list[tuple[str, Any]] = []
    for key, name in (("sum_weights", "Sum of weights"),
                      ("n_eff", "Effective sample size (Kish)"),
                      ("design_effect", "Design effect from weighting"),
                      ("min_weight", "Smallest weight"), ("max_weight", "Largest weight")):
        value = weighting.get(key)
        if isinstance(value, (int, float)) and math.isfinite(value):
            out.append((name, float(value)))
    return out


def _index_sheet(ws: Worksheet, results: SurveyResults, sheets: Sequence[tuple[str, str]]
                 ) -> None:
    s = results.settings
    put_text(ws, 1, 1, safe_text(results.title), font=TITLE)
    put_text(ws, 2, 1, "Tab book: every statement overall and by group, at full precision.",
             font=MUTED)
    facts = [
        ("Source", Path(results.source).name if results.source else ""),
        ("Respondents", results.respondents),
        ("Statements", len(results.items)),
        ("Weighted", "yes" if s.weighted else "no"),
        *_weighting_facts(s.weighting),
        ("Population (finite population correction)", s.population or "not used"),
        ("Smallest group shown", s.min_group),
        ("Multiple-comparison correction", CORRECTION_NAMES.get(s.correction, s.correction)),
        ("Significance level", s.alpha),
        ("Produced with", f"surveykit {__version__}"),
    ]
    row = 4
    for name, value in facts:
        put_text(ws, row, 1, name, font=BOLD)
        if isinstance(value, (int, float)):
            put_number(ws, row, 2, value, "General" if isinstance(value, float) else COUNT)
            ws.cell(row=row, column=2).alignment = Alignment(horizontal="left")
        else:
            put_text(ws, row, 2, value)
        row += 1
    row += 1
    put_text(ws, row, 1, "Sheets", font=BOLD)
    row += 1
    for title, about in sheets:
        cell = put_text(ws, row, 1, title)
        quoted = title.replace("'", "''")
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1")
        cell.font = Font(color="FF542788", underline="single")
        put_text(ws, row, 2, about)
        row += 1
    row += 1
    put_text(ws, row, 1, "Key", font=BOLD)
    row += 1
    for mark, meaning in (
            (SUPPRESSED, (f"Not shown, to protect anonymity: fewer than {s.min_group} "
                          "responses, or hidden so that a smaller group cannot be worked out "
                          "by subtraction. Those answers still count in the all-staff "
                          "figures.")),
            ("▲ / ▼", ("Significantly higher / lower than the rest of the staff "
                       "(two-proportion z-test on % positive, adjusted p below the "
                       "significance level).")),
            ("Column %", ("Share of the base: those who gave a view; 'don't know' and "
                          "similar answers are counted separately and left out of the base.")),
            ("Column letters", (
                "Each group of a breakdown has a letter (row 3 of its sheet). 'Higher than' "
                "lists the groups this one is significantly higher than on % positive "
                f"(pairwise {'design-based ' if s.weighted else ''}z-test, "
                f"{CORRECTION_NAMES.get(s.correction, s.correction)}-adjusted within each "
                f"{'statement' if s.letters_family == 'item' else 'breakdown'}): uppercase "
                f"when adjusted p < {s.letters_strict}, lowercase when < {s.letters_loose}.")),
            ("Weighted base", ("Weighted runs only: the sum of the weights of those in the "
                               "base; counts and column % are weighted, 'Base (n)' is the "
                               "number of people and the effective base is Kish's n_eff.")),
            ("Test", ("The test of each statement by the breakdown: chi-square (Fisher's "
                      "exact test where expected counts are small, 'fisher (monte carlo)' "
                      "where its p-value was simulated because the possible tables are too "
                      "many to list; Rao-Scott's design-based F when weighted), and of its "
                      "mean scores: Kruskal-Wallis (Wald F when weighted)."))):
        put_text(ws, row, 1, mark, font=BOLD)
        put_text(ws, row, 2, meaning).alignment = WRAP
        row += 1
    widths(ws, {1: 32, 2: 90})


# --- workbook ---------------------------------------------------------------------------

def build_workbook(results: SurveyResults, *, comparison: WaveComparison | None = None
                   ) -> Workbook:
    """The tab book as an openpyxl workbook (not yet saved); a "Change" sheet when
    ``comparison`` is given."""
    if not results.suppression_applied:
        raise ValueError("results must pass through surveykit.suppress() before rendering")
    wb = Workbook()
    index = wb.active
    index.title = "Index"
    taken = {"Index"}
    sheets: list[tuple[str, str]] = []
    ws = wb.create_sheet(sheet_title("All staff", taken))
    _overall_sheet(ws, results)
    sheets.append((ws.title, "Every statement, all staff"))
    for b in results.breakdowns:
        if not any(b.id in i.by for i in results.items):
            continue
        ws = wb.create_sheet(sheet_title(f"By {b.label}", taken))
        _breakdown_sheet(ws, results, b.id, b.label)
        sheets.append((ws.title, f"Every statement by {b.label.lower()}, with tests"))
    if results.multi:
        ws = wb.create_sheet(sheet_title("Tick all", taken))
        multi_sheet(ws, results)
        sheets.append((ws.title, "Tick-all-that-apply questions, overall and by group"))
    if results.indices:
        ws = wb.create_sheet(sheet_title("Indices", taken))
        indices_sheet(ws, results)
        sheets.append((ws.title, "Composite indices (0-100) overall and by group, "
                                 "with reliability"))
    if comparison is not None:
        ws = wb.create_sheet(sheet_title("Change", taken))
        change_sheet(ws, results, comparison)
        sheets.append((ws.title, "Change in % positive between waves ("
                                 f"{', '.join(comparison.waves)}), overall and by group, "
                                 "with tests"))
    _index_sheet(index, results, sheets)
    stamp = (fixed_timestamp() or DEFAULT_DATE).astimezone(timezone.utc).replace(tzinfo=None)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = f"surveykit {__version__}"
    wb.properties.lastModifiedBy = None
    wb.properties.title = safe_text(results.title)
    return wb


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """Rewrite a zip with every entry's timestamp set to ``when`` (zip needs >= 1980)."""
    stamp = max(when, datetime(1980, 1, 1, tzinfo=timezone.utc)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def render_xlsx(results: SurveyResults, path: str | Path | None = None, *,
                comparison: WaveComparison | None = None) -> bytes:
    """Render the tab book; write it to ``path`` when given. Returns the bytes.

    Parameters
    ----------
    results
        Suppressed results.
    path
        Where to write ``tables.xlsx``.
    comparison
        Earlier waves compared with this one: adds a "Change" sheet (every change tested,
        the trend per statement, what was not compared). None: the single-wave workbook,
        unchanged.
    """
    wb = build_workbook(results, comparison=comparison)
    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # not openpyxl.save_workbook: it stamps "now"
    data = _fixed_zip(buf.getvalue(), fixed_timestamp() or DEFAULT_DATE)
    if path is not None:
        Path(path).write_bytes(data)
    return data
