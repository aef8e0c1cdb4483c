"""tables.xlsx: sheets, numbers as numbers, suppressed cells, fixed properties, same bytes."""

from __future__ import annotations

import io
import math
import zipfile

import openpyxl
import pytest


@pytest.fixture(scope="module")
def book(example_results):
    from surveykit.render import render_xlsx

    data = render_xlsx(example_results[1])
    return data, openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws):
    return list(ws.iter_rows(values_only=True))


def _find(ws, item_id: str, measure: str, answer: str | None = None) -> int:
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row[0] == item_id and row[2] == measure and (answer is None or row[3] == answer):
            return r
    raise KeyError((item_id, measure, answer))


def test_sheets(book, example_results):
    _, wb = book
    results = example_results[1]
    assert wb.sheetnames == ["Index", "All staff",
                             *[f"By {b.label}" for b in results.breakdowns], "Tick all",
                             "Indices"]
    index = _rows(wb["Index"])
    flat = [v for row in index for v in row if v is not None]
    assert results.title in flat
    assert "By Sector" in flat and "By Role" in flat
    link = next(c for row in wb["Index"].iter_rows() for c in row if c.value == "By Sector")
    assert link.hyperlink is not None and link.hyperlink.location == "'By Sector'!A1"


def test_breakdown_sheet_figures_match_results(book, example_results):
    _, wb = book
    results = example_results[1]
    ws = wb["By Sector"]
    header = _rows(ws)[3]
    assert header[:5] == ("Item", "Statement", "Measure", "Answer", "All staff")
    groups = [g.group for g in results.breakdowns[0].groups]
    assert list(header[5:5 + len(groups)]) == groups
    assert "Test" in header and "Adjusted p" in header and "Means: adjusted p" in header
    item = results.item("job_relevant")
    ib = item.by["sector"]
    r = _find(ws, "job_relevant", "Base (n)")
    assert ws.cell(r, 5).value == item.overall.n
    for j, g in enumerate(ib.groups, start=6):
        assert ws.cell(r, j).value == g.figures.n
    # Column % stored as a fraction, full precision, with a % format.
    r = _find(ws, "job_relevant", "Column %", "Agree")
    k = item.labels.index("Agree")
    cell = ws.cell(r, 6)
    assert cell.data_type == "n" and cell.number_format == "0%"
    assert cell.value == pytest.approx(ib.groups[0].figures.counts[k] / ib.groups[0].figures.n,
                                       abs=1e-15)
    r = _find(ws, "job_relevant", "% positive")
    assert ws.cell(r, 5).value == pytest.approx(item.overall.pct_positive / 100, abs=1e-15)
    # Tests at the right of the block's first row.
    r = _find(ws, "job_relevant", "Base (n)")
    col = header.index("Adjusted p") + 1
    assert ws.cell(r, col).value == pytest.approx(ib.test.p_adjusted)
    assert ws.cell(r, header.index("Test") + 1).value == ib.test.name
    assert ws.cell(r, header.index("Means: adjusted p") + 1).value == pytest.approx(
        ib.mean_test.p_adjusted)
    assert ws.cell(r, header.index("Means test") + 1).value == ib.mean_test.name
    # Significance marks and column letters: each group's letter above its name, and the
    # letters of the groups it beats in the block.
    r = _find(ws, "job_relevant", "Significant vs rest")
    housing = groups.index("Housing") + 6
    assert ws.cell(r, housing).value == "▼ lower"
    # each group's mean score against the rest, as results.json has it
    for measure, get in (("Mean score: difference from the rest", lambda m: m.difference),
                         ("Mean score vs rest: adjusted p", lambda m: m.p_adjusted)):
        r = _find(ws, "job_relevant", measure)
        for j, g in enumerate(ib.groups, start=6):
            assert ws.cell(r, j).value == pytest.approx(get(g.mean_vs_rest), rel=1e-12)
    assert [ws.cell(3, j).value for j in range(6, 6 + len(groups))] == [
        g.letter for g in ib.groups] == ["A", "B", "C", "D", "E", "F"]
    r = _find(ws, "job_relevant", "Higher than (column letters)")
    employment = next(g for g in ib.groups if g.group == "Employment")
    assert employment.higher_than  # the example plants Employment well above the rest
    assert ws.cell(r, groups.index("Employment") + 6).value == " ".join(employment.higher_than)
    assert ws.cell(r, housing).value is None  # Housing beats nobody on this statement


def test_no_percentage_is_stored_as_text(book):
    _, wb = book
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not cell.value.rstrip().endswith("%") or " " in cell.value, (
                        ws.title, cell.coordinate, cell.value)
                if cell.number_format == "0%":
                    assert isinstance(cell.value, (int, float)) or cell.value is None


def test_frozen_panes_widths_and_filters(book):
    _, wb = book
    ws = wb["By Sector"]
    assert ws.freeze_panes == "E5"
    assert ws.column_dimensions["B"].width >= 40
    assert ws.auto_filter.ref.startswith("A4:")
    assert wb["All staff"].freeze_panes == "E5"


def test_suppressed_cells_are_stars(example_results):
    from surveykit import suppress
    from surveykit.render import render_xlsx

    survey, _ = example_results
    # A high threshold hides the smaller sectors.
    from surveykit import analyse

    strict = suppress(analyse(survey), min_group=120)
    hidden = [g.group for g in strict.breakdowns[0].groups if g.suppressed]
    assert hidden
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(strict)))
    ws = wb["By Sector"]
    header = _rows(ws)[3]
    for group in hidden:
        col = header.index(group) + 1
        values = {ws.cell(r, col).value for r in range(5, ws.max_row + 1)}
        assert values <= {"*", None}
    assert "*" in {v for row in _rows(ws) for v in row}
    notes = " ".join(str(v) for v in _rows(ws)[1] if v)
    assert "* = not shown" in notes


def test_fixed_properties_and_same_bytes(book, example_results, monkeypatch):
    from surveykit.render import render_xlsx

    data, wb = book
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render_xlsx(example_results[1]) == data
    assert wb.properties.created.year == 2000 and wb.properties.modified.year == 2000
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_source_date_epoch(example_results, monkeypatch):
    from surveykit.render import render_xlsx

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data = render_xlsx(example_results[1])
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.properties.created.year == 2023
    assert render_xlsx(example_results[1]) == data


def test_sheet_titles_are_legal_and_unique():
    from surveykit.render.xlsx import sheet_title

    taken = {"Index"}
    a = sheet_title("By Team/Unit: [North]?", taken)
    b = sheet_title("By Team/Unit: [North]?", taken)
    c = sheet_title("x" * 50, taken)
    assert a != b and len(c) == 31
    assert not any(ch in t for t in (a, b, c) for ch in "[]:*?/\\")


def test_risky_text_is_stored_as_text(tmp_path):
    from openpyxl import Workbook

    from surveykit.render.xlsx import put_text

    wb = Workbook()
    ws = wb.active
    values = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "#N/A", "plain"]
    for r, v in enumerate(values, start=1):
        put_text(ws, r, 1, v)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    back = openpyxl.load_workbook(path).active
    for r, v in enumerate(values, start=1):
        cell = back.cell(r, 1)
        assert cell.data_type == "s"
        assert cell.value == v.replace("\r", "\n")  # XML normalises a lone CR
        assert cell.quotePrefix == (v not in ("plain", "#N/A"))


def test_numbers_are_finite_or_empty(book):
    _, wb = book
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, float):
                    assert math.isfinite(v)


def test_indices_sheet(book, example_results):
    _, wb = book
    results = example_results[1]
    rows = list(wb["Indices"].iter_rows(values_only=True))
    for x in results.indices:
        start = next(i for i, r in enumerate(rows) if r[0] == x.label)
        header = rows[start + 1]
        score = rows[start + 2]
        assert header[1] == "All staff" and score[0] == "Score (0-100)"
        assert score[1] == pytest.approx(x.score)
        for g in x.by["sector"]:
            assert score[header.index(f"Sector: {g.group}")] == pytest.approx(g.mean)
        base = rows[start + 4]
        assert base[0] == "Base (n)" and base[1] == x.n
        alpha = next(r for r in rows[start:] if r[0] == "Cronbach's alpha")
        assert alpha[1] == pytest.approx(x.alpha)


def test_tick_all_sheet_has_the_option_tests(book, example_results):
    _, wb = book
    m = example_results[1].multi[0]
    rows = list(wb["Tick all"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Option")
    col = header.index("Differs by role? adjusted p")
    for t in m.tests["role"]:
        row = next(r for r in rows if r[0] == t.option and r[1] == "% of respondents")
        assert row[col] == pytest.approx(t.p_adjusted)
