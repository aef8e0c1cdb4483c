"""Hostile text stays inert in every output, and a small group appears in none of them.

The fixture survey carries markup, a Jinja expression, a spreadsheet formula and TeX in its
title, statement labels, theme names, group names and free-text comments; one team
("Zyxwvut Unit") has 4 respondents, below the threshold of 10. The checks read the files
as a reader's tools would: an HTML parser, pdftotext, openpyxl, json and csv.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from xml.etree import ElementTree
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JINJA = "{{ 7*7 }}"
FORMULA = '=HYPERLINK("http://x","y")'
SMALL = "Zyxwvut Unit"  # 4 respondents: below the threshold
SMALL_SECRET = "Zyxwvut-only remark about the rota"

CODEBOOK = f"""
title: 'Survey {SCRIPT} {JINJA}'
id: id
scales:
  agree5:
    labels: [Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree]
    positive: [Agree, Strongly agree]
    neutral: [Neither agree nor disagree]
    negative: [Strongly disagree, Disagree]
    not_applicable: [Don't know]
items:
  - {{id: q1, column: Q1, label: '{SCRIPT} first statement', scale: agree5, theme: '{IMG} theme'}}
  - {{id: q2, column: Q2, label: '{JINJA} second statement', scale: agree5, theme: '{IMG} theme'}}
  - {{id: q3, column: Q3, label: '{FORMULA}', scale: agree5, theme: 'Costs $5 and $10'}}
  - {{id: q4, column: Q4, label: '{IMG} fourth, costs $5 and $10', scale: agree5,
     theme: 'Costs $5 and $10'}}
text:
  - {{id: comments, column: Comments, label: 'Any {SCRIPT} comments?'}}
breakdowns:
  - {{id: team, column: Team, label: Team, groups: [Alpha, '{FORMULA}', Gamma, {SMALL}]}}
  - {{id: grade, column: Grade, label: Grade, groups: [Band A, Band B]}}
"""

SIZES = {"Alpha": 40, FORMULA: 30, "Gamma": 12, SMALL: 4}
ANSWERS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
           "Strongly agree"]


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    rows, rid = [], 1
    for team, size in SIZES.items():
        for k in range(size):
            if team == SMALL:  # the small team agrees strongly with everything
                answers = ["Strongly agree"] * 4
                comment = SMALL_SECRET
            else:
                answers = [ANSWERS[int(i)] for i in rng.integers(0, 5, size=4)]
                comment = [SCRIPT, JINJA, FORMULA, IMG, None, "Email me: a.b@example.org"][k % 6]
            rows.append({"id": rid, "Team": team, "Grade": "Band A" if k % 2 else "Band B",
                         "Q1": answers[0], "Q2": answers[1], "Q3": answers[2],
                         "Q4": answers[3], "Comments": comment})
            rid += 1
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(survey, suppressed results, comments section) for the hostile survey."""
    from surveykit import Survey, analyse, load_codebook, suppress
    from surveykit.report import paper_comments

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    survey = Survey.from_frame(_frame(), load_codebook(folder / "codebook.yaml"),
                               source="hostile.csv")
    results = suppress(analyse(survey), min_group=10)
    comments = paper_comments(survey, results, min_group=10)
    return survey, results, comments


@pytest.fixture(scope="module")
def outputs(hostile, tmp_path_factory):
    """Every output format rendered for the hostile survey."""
    from surveykit.render import render_csv, render_html, render_json, render_xlsx
    from surveykit.render.pdf import pdf_available, print_html, render_pdf

    _, results, comments = hostile
    out = {
        "html": render_html(results, comments=comments),
        "print_html": print_html(results, comments=comments),
        "json": render_json(results),
        "csv": render_csv(results),
        "xlsx": render_xlsx(results),
    }
    if pdf_available():
        folder = tmp_path_factory.mktemp("pdf")
        path = folder / "briefing.pdf"
        render_pdf(results, path, comments=comments)
        out["pdf_path"] = path
    return out


# --- helpers ---------------------------------------------------------------------------

class _Tags(HTMLParser):
    """Every start tag with its attributes, and every table as rows of (tag, text) cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.tables: list[list[list[tuple[str, str]]]] = []
        self._cell: list[str] | None = None
        self._cell_tag = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell, self._cell_tag = [], tag

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            text = " ".join("".join(self._cell).split())
            self.tables[-1][-1].append((self._cell_tag, text))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


# --- hostile text is inert -------------------------------------------------------------

@pytest.mark.parametrize("key", ["html", "print_html"])
def test_html_has_no_injected_markup(outputs, key):
    html = outputs[key]
    tags = _parse(html).tags
    names = {t for t, _ in tags}
    assert "script" not in names and "iframe" not in names
    handlers = [(t, a) for t, attrs in tags for a, _ in attrs if a.lower().startswith("on")]
    assert handlers == []
    assert "<script" not in html.lower()
    # The only images are the paper's own charts (the PDF embeds its SVG charts as data:
    # URLs), and inside them the hostile labels are escaped text too.
    images = [dict(attrs) for t, attrs in tags if t == "img"]
    assert bool(images) == (key == "print_html")
    for img in images:
        assert set(img) == {"class", "alt", "src"} and img["class"] == "chart-image"
        assert img["src"].startswith("data:image/svg+xml;base64,")
        svg = ElementTree.fromstring(base64.b64decode(img["src"].split(",", 1)[1]))
        elements = list(svg.iter())
        assert not [e.tag for e in elements if e.tag.split("}")[-1] in
                    ("script", "foreignObject", "image", "a", "iframe")]
        assert not [a for e in elements for a in e.attrib if a.lower().startswith("on")]
    svgs = [base64.b64decode(dict(a)["src"].split(",", 1)[1]).decode("utf-8")
            for t, a in tags if t == "img"] or re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in svg for svg in svgs)
    # The words are still there, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("key", ["html", "print_html"])
def test_jinja_in_data_is_not_evaluated(outputs, key):
    html = outputs[key]
    assert JINJA in html
    assert "49 second statement" not in html and "Survey 49" not in html


def test_html_forbids_scripts_even_if_one_slipped_through(outputs):
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', outputs["html"])
    assert csp and "default-src 'none'" in csp.group(1) and "script-src" not in csp.group(1)


def test_dollar_signs_are_not_tex(outputs):
    # matplotlib would turn "$5 and $10" into math text; labels are data.
    assert "Costs $5 and $10" in outputs["html"]


def test_pdf_text_shows_hostile_text_literally(outputs):
    if "pdf_path" not in outputs:
        pytest.skip("WeasyPrint is not installed")
    text = " ".join(_pdf_text(outputs["pdf_path"]).split())
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text
    assert "49 second statement" not in text


def test_xlsx_has_no_formula_cells(outputs):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(outputs["xlsx"]))
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if cell.value == FORMULA:
                    found.append(cell)
    assert found, "the formula-like label should be kept as text"
    assert all(c.data_type == "s" and c.quotePrefix for c in found)


def test_xlsx_raw_xml_has_no_formula_elements(outputs):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(outputs["xlsx"])) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_csv_neutralises_formula_text(outputs):
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    labels = {r["item_label"] for r in rows} | {r["group"] for r in rows}
    assert not any(v.startswith(("=", "+", "-", "@")) for v in labels)
    assert "'" + FORMULA in labels


def test_json_keeps_exact_text(outputs):
    payload = json.loads(outputs["json"])
    assert payload["title"] == f"Survey {SCRIPT} {JINJA}"
    assert FORMULA in {i["label"] for i in payload["items"]}


# --- the small group appears nowhere with figures ----------------------------------------

def test_small_group_is_suppressed_in_the_results(hostile):
    _, results, _ = hostile
    team = next(b for b in results.breakdowns if b.id == "team")
    small = next(g for g in team.groups if g.group == SMALL)
    assert small.suppressed and small.n is None
    for item in results.items:
        g = next(g for g in item.by["team"].groups if g.group == SMALL)
        assert g.suppressed and g.figures is None and g.vs_rest is None


def test_small_group_in_json_has_no_figures(outputs):
    payload = json.loads(outputs["json"])
    seen = 0

    def walk(node):
        nonlocal seen
        if isinstance(node, dict):
            if node.get("group") == SMALL:
                seen += 1
                assert set(node) <= {"group", "suppressed", "suppression"}, node
                assert node["suppressed"] is True
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload)
    assert seen > 0
    for cross in payload["cross"]:
        if SMALL in cross["row_groups"]:
            r = cross["row_groups"].index(SMALL)
            assert all(v is None for v in cross["cells"][r])
            assert cross["row_totals"][r] is None
    assert all(f["group"] != SMALL for f in payload["findings"])


def test_small_group_in_csv_has_no_figures(outputs):
    rows = [r for r in csv.DictReader(io.StringIO(outputs["csv"])) if r["group"] == SMALL]
    assert rows
    for r in rows:
        assert r["suppressed"] == "true"
        assert r["count"] == r["base"] == r["pct"] == ""


def test_small_group_in_xlsx_has_no_figures(outputs):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(outputs["xlsx"]))
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value != SMALL:
                    continue
                if ws.title == "Tick all":
                    continue
                # A column header: every value below it is "*" or empty.
                column = [ws.cell(row=r, column=cell.column).value
                          for r in range(cell.row + 1, ws.max_row + 1)]
                assert set(column) <= {"*", None}, (ws.title, set(column))
                checked += 1
    assert checked >= 1


def _tables_with(html: str, name: str) -> list[list[list[tuple[str, str]]]]:
    return [t for t in _parse(html).tables if any(name in text for row in t for _, text in row)]


@pytest.mark.parametrize("key", ["html", "print_html"])
def test_small_group_in_html_tables_has_no_figures(outputs, key):
    tables = _tables_with(outputs[key], SMALL)
    assert tables
    for table in tables:
        header = next((row for row in table if any(SMALL == text for _, text in row)), None)
        for row in table:
            cells = [text for _, text in row]
            if row and row[0][1] == SMALL:  # a row about the group: no numbers but "10"
                assert all(re.fullmatch(r"\*( fewer than 10 responses)?", c)
                           for c in cells[1:]), cells
        if header is not None and header[0][1] != SMALL:
            col = [text for _, text in header].index(SMALL)
            for row in table[table.index(header) + 1:]:
                if len(row) == len(header):
                    assert row[col][1] == "*", row


@pytest.mark.parametrize("key", ["html", "print_html"])
def test_small_group_nowhere_else_in_html(outputs, key):
    html = outputs[key]
    assert SMALL_SECRET not in html  # its comments are withheld
    for sentence in re.findall(r"<li class=\"(?:higher|lower)\">(.*?)</li>", html, re.DOTALL):
        assert "Zyxwvut" not in sentence
    # Outside tables, the name only appears in the list of groups not shown.
    text = re.sub(r"<table.*?</table>", "", html, flags=re.DOTALL)
    text = re.sub(r"<svg.*?</svg>", "", text, flags=re.DOTALL)
    for m in re.finditer("Zyxwvut", text):
        context = text[max(0, m.start() - 200): m.end() + 40]
        assert "Not shown for anonymity" in context, context


def test_small_group_cells_in_heatmap_have_no_values(hostile):
    from surveykit.render.heatmap import heatmap_rows

    _, results, _ = hostile
    for row in heatmap_rows(results, "team"):
        cell = next(c for c in row.cells if c.group == SMALL)
        assert cell.suppressed and cell.value is None and cell.text == "*"


def test_small_group_in_pdf_text_has_no_figures(outputs):
    if "pdf_path" not in outputs:
        pytest.skip("WeasyPrint is not installed")
    text = _pdf_text(outputs["pdf_path"])
    assert SMALL_SECRET not in " ".join(text.split())
    lines = [line for line in text.splitlines() if "Zyxwvut" in line]
    assert lines
    for line in lines:
        numbers = set(re.findall(r"\d+", line))
        assert numbers <= {"10"}, line  # the threshold may be quoted; nothing else
