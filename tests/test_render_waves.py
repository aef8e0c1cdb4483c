"""The change since the last wave in every output, and the outputs unchanged without it.

Waves are built in the test from the example's own results: earlier waves are copies of
this year's payload with planted changes (an item up, an item down, one group up on its
own, a reworded question, a question added and one dropped), so every expected label is
known. The statistics themselves (the z-tests and the correction) are checked against R
in tests/test_waves.py; here the question is whether each output shows them faithfully.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import openpyxl
import pytest

from surveykit.render.format import fmt_n, fmt_pct

HOSTILE = '=HYPERLINK("http://x","<script>alert(1)</script>")'


def _earlier(now: dict, shift: dict[str, float], *, group_shift=None, reword=(),
             drop=(), extra=()) -> dict:
    """An earlier wave's payload: this year's with % positive moved by ``shift`` points."""
    payload = copy.deepcopy(now)
    items = []
    for it in payload["items"]:
        if it["id"] in drop:
            continue
        d = shift.get(it["id"], 0.0)
        it["overall"]["pct_positive"] += d
        for bid, block in it["by"].items():
            for g in block["groups"]:
                if not g.get("suppressed"):
                    g["pct_positive"] += d + (group_shift or {}).get((it["id"], bid, g["group"]),
                                                                     0.0)
        if it["id"] in reword:
            it["label"] = reword[it["id"]]
        items.append(it)
    for item_id in extra:
        items.append(dict(copy.deepcopy(items[0]), id=item_id, label=f"Dropped {item_id}"))
    payload["items"] = items
    return payload


@pytest.fixture(scope="module")
def waves(example_results):
    """(results, two-wave comparison, three-wave comparison)."""
    from surveykit.analysis.waves import Wave, compare_waves

    results = example_results[1]
    now = results.to_dict()
    w2025 = _earlier(now, {"know_refer": -12, "had_training": 10},
                     group_shift={("know_services", "sector", "Employment"): -35},
                     reword={"hear_back": HOSTILE}, drop=["want_training"])
    w2024 = _earlier(now, {"know_refer": -20, "had_training": 16}, extra=["dropped_q"])
    two = compare_waves([Wave.from_results_dict("2025", w2025),
                         Wave.from_results_dict("2026", now)])
    three = compare_waves([Wave.from_results_dict("2024", w2024),
                           Wave.from_results_dict("2025", w2025),
                           Wave.from_results_dict("2026", now)])
    return results, two, three


def _overall(comparison, item, wave_to="2026"):
    return next(c for c in comparison.changes if c.item == item and c.breakdown == "(overall)"
                and c.wave_to == wave_to)


def test_the_planted_changes_are_what_the_comparison_says(waves):
    _, two, _ = waves
    assert _overall(two, "know_refer").label == "better"
    assert _overall(two, "had_training").label == "worse"
    assert _overall(two, "job_relevant").label == "no significant change"
    group = next(c for c in two.changes if c.item == "know_services"
                 and c.group == "Employment")
    assert group.label == "better"
    assert _overall(two, "know_services").label == "no significant change"
    assert [i for i, _, _ in two.wording_changed] == ["hear_back"]
    assert dict(two.only_in_some)["want_training"] == ("2026",)


# --- without a comparison nothing changes -------------------------------------------------

def test_no_comparison_means_the_single_wave_outputs(example_results):
    from surveykit.render import render_csv, render_html, render_json, render_xlsx
    from surveykit.render.pdf import print_html

    results = example_results[1]
    plain = render_html(results)
    assert render_html(results, comparison=None) == plain
    assert print_html(results, comparison=None) == print_html(results)
    assert render_xlsx(results, comparison=None) == render_xlsx(results)
    assert render_json(results, comparison=None) == render_json(results)
    assert render_csv(results, comparison=None) == render_csv(results)
    assert "Change since" not in plain and 'id="change"' not in plain
    assert "comparison" not in json.loads(render_json(results))
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(results)))
    assert "Change" not in wb.sheetnames


# --- the paper ------------------------------------------------------------------------------

class _Text(HTMLParser):
    """The visible text of one element (by id), and its table rows."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.target, self.depth, self.text = element_id, 0, []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.target:
            self.depth = 1
        if not self.depth:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)
            if self._cell is not None:
                self._cell.append(data)


def _section(html: str, element_id: str) -> _Text:
    parser = _Text(element_id)
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def two_paper(waves):
    from surveykit.render import render_html

    results, two, _ = waves
    return render_html(results, comparison=two)


def test_change_section_rows_match_the_comparison(waves, two_paper):
    results, two, _ = waves
    section = _section(two_paper, "change")
    text = " ".join("".join(section.text).split())
    assert "Change since 2025" in text
    rows = {r[0]: r for r in section.rows if len(r) == 5}
    assert set(rows) >= {i.label for i in results.items if i.id != "hear_back"}
    for item in results.items:
        if item.id in ("hear_back", "want_training"):
            continue
        c = _overall(two, item.id)
        row = rows[item.label]
        assert row[1:3] == [fmt_pct(c.pct_from), fmt_pct(c.pct_to)], item.id
        expected = {"better": "Significantly better", "worse": "Significantly worse",
                    "no significant change": "No significant change"}[c.label]
        assert row[4].endswith(expected), (item.id, row)
    assert rows[results.item("know_refer").label][3] == "+12"
    assert rows[results.item("had_training").label][3] == "−10"
    assert "Holm" in text and f"all {len(two.changes)} comparisons" in text


def test_statements_not_compared_say_why(waves, two_paper):
    results, _, _ = waves
    section = _section(two_paper, "change")
    text = " ".join("".join(section.text).split())
    rows = {r[0]: r for r in section.rows if len(r) == 5}
    reworded = rows[results.item("hear_back").label]
    assert reworded[1:4] == ["–", fmt_pct(results.item("hear_back").overall.pct_positive), "–"]
    assert "Not compared (wording changed)" in reworded[4]
    assert "Not compared: question changed" in text and HOSTILE in text  # old wording, as text
    added = rows[results.item("want_training").label]
    assert added[4] == "New in 2026 (not asked in 2025)"
    assert "Not in every wave" in text
    assert f"“{results.item('want_training').label}”: asked in 2026 only." in text


def test_a_statement_no_longer_asked_is_named_by_its_wording(waves):
    """dropped_q was asked in 2024 only: the paper and results.json give its question
    (from the 2024 wave), not just its id."""
    from surveykit.render import render_html

    results, _, three = waves
    text = " ".join("".join(_section(render_html(results, comparison=three), "change").text)
                    .split())
    assert "“Dropped dropped_q”: asked in 2024 only." in text
    entry = next(e for e in three.to_dict()["only_in_some_waves"] if e["item"] == "dropped_q")
    assert entry == {"item": "dropped_q", "label": "Dropped dropped_q", "waves": ["2024"]}


def test_hostile_wording_is_escaped(two_paper):
    assert "<script>alert(1)" not in two_paper
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in two_paper


def test_groups_with_significant_changes_are_listed(waves, two_paper):
    _, two, _ = waves
    text = " ".join("".join(_section(two_paper, "change").text).split())
    group = next(c for c in two.changes if c.item == "know_services" and c.group == "Employment")
    assert (f"Employment (sector): “I know what employment services are available in my "
            f"area” {fmt_pct(group.pct_from)} → {fmt_pct(group.pct_to)}") in text
    assert "significantly better." in text
    tested = sum(1 for c in two.changes if c.breakdown != "(overall)")
    assert f"of {fmt_n(tested)} compared" in text
    listed = sum(1 for c in two.changes if c.breakdown != "(overall)"
                 and c.label in ("better", "worse"))
    assert len(re.findall(r'<li class="(?:better|worse)">', two_paper)) == listed


def test_headline_findings_lead_with_the_significant_changes(waves, two_paper):
    from surveykit.render.change import headline

    results, two, _ = waves
    findings = " ".join("".join(_section(two_paper, "findings").text).split())
    up, down = _overall(two, "know_refer"), _overall(two, "had_training")
    for c in (up, down):
        sentence = headline(c, results.item(c.item), results.item(c.item).label)
        assert sentence in findings
    assert ("Since 2025, more staff agreed that “I know where to refer someone for employment "
            f"support”: {fmt_pct(up.pct_to)}, up from {fmt_pct(up.pct_from)} (12 points; "
            f"n = {fmt_n(up.n_from)} in 2025 and {fmt_n(up.n_to)} in 2026).") in findings
    assert findings.index("more staff agreed") < findings.index("Where groups of staff differ")
    # The contents list names the section, right after the headline findings.
    contents = re.findall(r'<li><a href="#([^"]+)">', two_paper)
    assert contents[:3] == ["findings", "change", "response"]


def test_two_waves_have_no_trend_chart(example_results, two_paper):
    results = example_results[1]
    svgs = len(re.findall(r"<svg\b", two_paper))
    assert svgs == len({i.theme for i in results.items}) + len(results.breakdowns)


def test_three_waves_draw_a_trend_chart_per_theme(waves):
    from surveykit.render import render_html

    results, _, three = waves
    html = render_html(results, comparison=three)
    section = html[html.index('id="change"'):html.index('id="response"')]
    charts = re.findall(r'<svg\b[^>]*aria-label="([^"]+)"', section)
    themes = list(dict.fromkeys(i.theme for i in results.items))
    assert len(charts) == len(themes)
    for theme, alt in zip(themes, charts):
        assert alt.startswith("Line chart of % positive in each wave (2024, 2025, 2026)")
        assert f"on {theme}." in alt
    refer = results.item("know_refer")
    series = three.trends["know_refer"]
    assert (f"“{refer.label}”: 2024 {fmt_pct(series[0])}, 2025 {fmt_pct(series[1])}, "
            f"2026 {fmt_pct(series[2])}.") in charts[1].replace("&#34;", '"')
    # A line never joins figures across a change of wording: the reworded statement has
    # one comparable figure (2026) and so no line at all.
    assert f"“{results.item('hear_back').label}”" not in charts[1]
    assert f"“{results.item('know_services').label}”" in charts[1]
    # The table shows every wave.
    rows = [r for r in _section(html, "change").rows if len(r) == 6]
    assert rows[0] == ["Statement", "2024", "2025", "2026", "Change (points)", "Since 2025"]
    # Lines are text, labelled and drawn in colours that meet 3:1 on white.
    assert "% positive" in section and ">2024<" in section.replace("</text>", "<")


def test_trend_colours_meet_the_contrast_for_graphics():
    from surveykit.render.charts import contrast_ratio
    from surveykit.render.trends import DASHES, LINE_COLOURS, MARKERS

    assert all(contrast_ratio(c, "#ffffff") >= 3.0 for c in LINE_COLOURS)
    # Not colour alone: every line of a chart has its own marker and dash pattern.
    assert len(set(MARKERS)) == len(MARKERS) == len(LINE_COLOURS)
    assert len({str(d) for d in DASHES}) == len(DASHES) == len(LINE_COLOURS)


def test_end_labels_do_not_collide():
    from surveykit.render.trends import _end_labels

    labels = _end_labels([("a", [30.0, 41.0]), ("b", [35.0, 42.0]), ("c", [50.0, 70.0])],
                         gap=6.0)
    ys = sorted(y for _, _, y, _ in labels)
    assert all(b - a >= 6.0 - 1e-9 for a, b in zip(ys, ys[1:]))
    assert sorted(t for *_, t in labels) == ["41%", "42%", "70%"]
    assert next(y for _, v, y, _ in labels if v == 70.0) == 70.0  # nothing to move


def test_same_bytes_twice(waves):
    from surveykit.render import render_html, render_json, render_xlsx

    results, two, three = waves
    for comparison in (two, three):
        assert render_html(results, comparison=comparison) == render_html(
            results, comparison=comparison)
        assert render_xlsx(results, comparison=comparison) == render_xlsx(
            results, comparison=comparison)
        assert render_json(results, comparison=comparison) == render_json(
            results, comparison=comparison)


# --- the PDF --------------------------------------------------------------------------------

def test_pdf_shows_the_change_and_fits_the_page(waves, tmp_path):
    pytest.importorskip("weasyprint")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    import weasyprint
    from weasyprint.formatting_structure import boxes

    from surveykit.render import render_pdf
    from surveykit.render.change import headline
    from surveykit.render.pdf import print_html, url_fetcher

    results, _, three = waves
    html = print_html(results, comparison=three)
    document = weasyprint.HTML(string=html, url_fetcher=url_fetcher()).render()
    worst = -1e9
    for page in document.pages:
        right = page._page_box.content_box_x() + page._page_box.width
        for box in page._page_box.descendants():
            if isinstance(box, (boxes.TableBox, boxes.LineBox, boxes.ReplacedBox)):
                worst = max(worst, box.position_x + box.margin_width() - right)
    assert worst <= 0.5
    path = tmp_path / "briefing.pdf"
    render_pdf(results, path, comparison=three)
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    assert "Change since 2025" in text and "Significantly better" in text
    up = _overall(three, "know_refer")
    assert " ".join(headline(up, results.item("know_refer"),
                             results.item("know_refer").label).split()) in text
    assert "Line chart" not in text  # the long description is for screen readers only


# --- tab book, JSON, CSV --------------------------------------------------------------------

def flat_row(rows, text):
    """Index of the first row whose first cell is ``text``."""
    return next(k for k, row in enumerate(rows) if row[0] == text)


def test_xlsx_change_sheet(waves):
    from surveykit.render import render_xlsx

    results, _, three = waves
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(results, comparison=three)))
    assert wb.sheetnames[-1] == "Change"
    index = [c.value for row in wb["Index"].iter_rows() for c in row]
    assert "Change" in index
    ws = wb["Change"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[3]
    assert header[:6] == ("Item", "Statement", "Breakdown", "Group", "From wave", "To wave")
    assert ws.freeze_panes == "E5"
    body = rows[4:4 + len(three.changes)]
    assert len(body) == len(three.changes)
    for row, c in zip(body, three.changes):
        assert (row[0], row[4], row[5]) == (c.item, c.wave_from, c.wave_to)
        assert row[8] == pytest.approx(c.pct_from / 100)
        assert row[9] == pytest.approx(c.pct_to / 100)
        assert row[10] == pytest.approx(c.change)
        assert row[12] == pytest.approx(c.p_adjusted)
        assert row[13] == {"better": "▲ better", "worse": "▼ worse"}.get(c.label, c.label)
    flat = [v for row in rows for v in row if v is not None]
    assert "Not compared: wording or answer scale changed" in flat
    assert "Not in every wave" in flat and "dropped_q" in flat
    # a statement no longer asked is named by its last wording, beside its id
    listed = rows[flat_row(rows, "Not in every wave") + 1:]
    dropped = next(row for row in listed if row[0] == "dropped_q")
    assert dropped[1:3] == ("Dropped dropped_q", "asked in 2024")
    # Respondent-facing text that looks like a formula stays text.
    hostile = [c for row in ws.iter_rows() for c in row
               if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert all(c.quotePrefix for c in hostile if c.value.startswith("="))


def test_json_carries_the_comparison(waves, example_results):
    from surveykit.render import render_json

    results, two, _ = waves
    payload = json.loads(render_json(results, comparison=two))
    plain = json.loads(render_json(results))
    assert payload.pop("comparison") == json.loads(json.dumps(two.to_dict()))
    assert payload == plain
    assert list(json.loads(render_json(results, comparison=two)))[-1] == "comparison"


def test_csv_is_unchanged_and_changes_have_their_own_tidy_table(waves):
    from surveykit.render import render_csv
    from surveykit.render.csv import CHANGE_COLUMNS, changes_csv

    results, _, three = waves
    assert render_csv(results, comparison=three) == render_csv(results)
    rows = list(csv.DictReader(io.StringIO(changes_csv(three))))
    assert tuple(rows[0]) == CHANGE_COLUMNS
    assert len(rows) == len(three.changes)
    for row, c in zip(rows, three.changes):
        assert (row["item"], row["group"], row["label"]) == (c.item, c.group, c.label)
        assert float(row["p_adjusted"]) == c.p_adjusted  # full precision
