"""briefing.pdf: read back as text (pdftotext) and checked for what a reader needs.

Headline findings, tables and "Page X of Y" on every page; a contents list whose page
numbers are right; charts whose words are text; nothing wider than the page, even for a
breakdown with many groups; the same bytes every time. (Render time is a benchmark, not
a test.)
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("weasyprint")
if shutil.which("pdftotext") is None:  # pragma: no cover - CI installs poppler-utils
    pytest.skip("pdftotext (poppler-utils) is not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]


def _text(path: Path, page: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(path: Path) -> int:
    return len(_text(path).split("\f")) - 1


@pytest.fixture(scope="module")
def example_pdf(example_results, tmp_path_factory):
    from surveykit.render import render_pdf

    _, results = example_results
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    data = render_pdf(results, path)
    return path, data, results


def test_is_a4_and_numbered_page_x_of_y(example_pdf):
    path, data, *_ = example_pdf
    assert data.startswith(b"%PDF-")
    n = _pages(path)
    assert 6 <= n <= 20
    pages = _text(path).split("\f")[:n]
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in page


def test_headline_findings_are_in_the_text(example_pdf):
    from surveykit.render.wording import finding_sentence

    path, _, results = example_pdf
    text = _flat(_text(path))
    by_id = {i.id: i for i in results.items}
    assert results.findings
    for finding in results.findings[:8]:  # the paper lists the first eight
        assert _flat(finding_sentence(finding, by_id[finding.item])) in text
    # And they are on the first page.
    first = _flat(_text(path, page=1))
    assert "Headline findings" in first
    assert _flat(finding_sentence(results.findings[0], by_id[results.findings[0].item])) in first


def test_tables_are_in_the_text(example_pdf):
    from surveykit.render.format import fmt_n, fmt_num, fmt_pct

    path, _, results = example_pdf
    flat = _flat(_text(path))
    for caption in ("Respondents by sector", "Respondents by role",
                    "Respondents by sector and role", "% positive by sector",
                    "% positive by role", "Knowledge and referral: all staff, most positive first"):
        assert caption in flat
    layout = _text(path, layout=True)
    item = results.item("work_health")  # a short label: one line in the theme table
    f = item.overall
    row = (f"{item.label} {fmt_pct(f.pct_positive)} {fmt_pct(f.pct_neutral)} "
           f"{fmt_pct(f.pct_negative)} {fmt_num(f.mean, 2)} {fmt_n(f.n)} "
           f"{fmt_n(f.not_applicable)}")
    assert row in [_flat(line) for line in layout.splitlines()]
    # The fieldwork table: Health's respondents and share.
    health = next(g for g in results.breakdowns[0].groups if g.group == "Health")
    share = fmt_pct(100 * health.n / results.respondents)
    assert f"Health {fmt_n(health.n)} {share}" in _flat(layout)


def test_contents_page_numbers_point_at_the_sections(example_pdf):
    path, *_ = example_pdf
    n = _pages(path)
    pages = [_flat(p) for p in _text(path).split("\f")[:n]]
    toc = _text(path, page=1, layout=True)
    checked = 0
    for heading in ("Who responded", "Differences by sector", "Differences by role",
                    "Methods and data"):
        m = re.search(re.escape(heading) + r"[ .]*?(\d+)(?!\d)", toc)
        assert m, heading
        page = int(m.group(1))
        assert heading in pages[page - 1]
        checked += 1
    assert checked == 4


def test_charts_are_vector_with_text(example_pdf):
    path, *_ = example_pdf
    flat = _flat(_text(path))
    assert "← negative" in flat and "positive →" in flat  # diverging bars
    assert "Colour: difference from all staff, in percentage points" in flat  # heatmap key
    if shutil.which("pdfimages"):
        listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True,
                                 text=True, check=True).stdout.splitlines()
        assert len(listing) == 2, listing  # header lines only: no raster images


def _figure_alts(path: Path) -> list[str | None]:
    """The /Alt text of every Figure in the PDF's structure tree, in reading order."""
    pypdf = pytest.importorskip("pypdf")
    generic = pypdf.generic
    root = pypdf.PdfReader(path).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en-GB"
    out: list[str | None] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, generic.ArrayObject):
            for kid in node:
                walk(kid)
        elif isinstance(node, generic.DictionaryObject):
            if node.get("/S") == "/Figure":
                alt = node.get("/Alt")
                out.append(None if alt is None else str(alt))
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    return out


def test_every_chart_is_a_tagged_figure_with_the_html_alt_text(example_pdf, tmp_path):
    """Screen readers read a PDF's charts from /Alt on its Figure tags: each chart of the
    paper is one, carrying the text the HTML paper gives it (role="img" aria-label)."""
    import html as html_lib

    from surveykit.render import render_html

    path, _, results = example_pdf
    page = render_html(results, tmp_path / "briefing.html")
    labels = [html_lib.unescape(a) for a in re.findall(
        r'<svg[^>]*role="img"[^>]*aria-label="([^"]+)"|'
        r'<img[^>]*alt="([^"]+)"', page) for a in a if a]
    assert len(labels) == 6  # four themes' bar charts, a heatmap per breakdown
    assert _figure_alts(path) == labels


def test_same_bytes_every_time(example_pdf, monkeypatch):
    from surveykit.render import render_pdf

    _, data, results = example_pdf
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render_pdf(results) == data


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo is not installed")
def test_dates_come_from_source_date_epoch(example_results, tmp_path, monkeypatch):
    from surveykit.render import render_pdf

    _, results = example_results
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = tmp_path / "plain.pdf"
    render_pdf(results, plain)
    info = subprocess.run(["pdfinfo", str(plain)], capture_output=True, text=True,
                          check=True).stdout
    assert "CreationDate" not in info  # no wall-clock time in the file
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = tmp_path / "dated.pdf"
    first = render_pdf(results, dated)
    info = subprocess.run(["pdfinfo", str(dated)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"CreationDate:\s+Tue Nov 14 22:13:20 2023", info)
    assert re.search(r"ModDate:\s+Tue Nov 14 22:13:20 2023", info)
    assert render_pdf(results) == first


def _overflow(html: str) -> float:
    """How far any table, line or chart sticks out past the page's content area (px)."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    from surveykit.render.pdf import url_fetcher

    document = weasyprint.HTML(string=html, url_fetcher=url_fetcher()).render()
    worst = -1e9
    for page in document.pages:
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        for box in page_box.descendants():
            if isinstance(box, (boxes.TableBox, boxes.TableCellBox, boxes.LineBox,
                                boxes.ReplacedBox)):
                worst = max(worst, box.position_x + box.margin_width() - right)
    return worst


def test_example_tables_fit_the_page(example_results):
    from surveykit.render.pdf import print_html

    _, results = example_results
    assert _overflow(print_html(results)) <= 0.5


@pytest.fixture(scope="module")
def wide_results():
    """20 statements by a 14-group breakdown with long names, and a 3-group one."""
    from surveykit import Survey, analyse, suppress
    from surveykit.model import Breakdown, Codebook, Item, Scale

    scale = Scale(name="agree5", labels=("Strongly disagree", "Disagree", "Neither",
                                         "Agree", "Strongly agree"),
                  positive=("Agree", "Strongly agree"), neutral=("Neither",),
                  negative=("Strongly disagree", "Disagree"), not_applicable=("Don't know",))
    groups = tuple(f"Directorate of services number {k}" for k in range(1, 15))
    items = tuple(Item(id=f"q{j}", column=f"Q{j}", label=f"Statement number {j} about "
                       "something that matters to the service", scale=scale,
                       theme="First theme" if j <= 10 else "Second theme")
                  for j in range(1, 21))
    cb = Codebook(items=items, breakdowns=(
        Breakdown(id="dir", column="Directorate", label="Directorate", groups=groups),
        Breakdown(id="band", column="Band", label="Band", groups=("Low", "Mid", "High"))),
        title="Wide survey")
    rng = np.random.default_rng(3)
    n = 1400
    frame = pd.DataFrame({f"Q{j}": rng.choice(list(scale.labels), size=n) for j in range(1, 21)})
    frame["Directorate"] = rng.choice(groups, size=n)
    frame["Band"] = rng.choice(["Low", "Mid", "High"], size=n)
    return suppress(analyse(Survey.from_frame(frame, cb)), min_group=10)


def test_wide_breakdown_is_split_not_clipped(wide_results, tmp_path):
    from surveykit.render import render_pdf
    from surveykit.render.pdf import print_html

    html = print_html(wide_results)
    parts = re.findall(r"% positive by directorate \(part (\d) of (\d)\)", html)
    assert len(parts) >= 2 and all(total == str(len(parts)) for _, total in parts)
    assert "% positive by band (part" not in html  # three groups fit in one table
    assert _overflow(html) <= 0.5
    path = tmp_path / "wide.pdf"
    render_pdf(wide_results, path)
    flat = _flat(_text(path))
    assert "Directorate of services number 14" in flat


def test_template_dir_applies_to_the_pdf(example_results, tmp_path):
    from surveykit.render import render_pdf

    _, results = example_results
    path = tmp_path / "house.pdf"
    render_pdf(results, path, template_dir=ROOT / "examples" / "house-style")
    first = _flat(_text(path, page=1))
    assert "Partnership Board" in first.title() or "PARTNERSHIP BOARD" in first
    assert "Headline findings" in first


def test_missing_weasyprint_is_a_clear_usage_error(example_results, monkeypatch):
    import builtins

    from surveykit.errors import UsageError
    from surveykit.render import render_pdf

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    _, results = example_results
    with pytest.raises(UsageError, match=r"pip install 'surveykit\[pdf\]'"):
        render_pdf(results)


@pytest.fixture(scope="module")
def forty_sites():
    """Six statements by 40 sites (nested in six sectors): the widest breakdown we expect."""
    from surveykit import Survey, analyse, suppress
    from surveykit.model import Breakdown, Codebook, Item, Scale

    scale = Scale(name="agree5", labels=("Strongly disagree", "Disagree", "Neither",
                                         "Agree", "Strongly agree"),
                  positive=("Agree", "Strongly agree"), neutral=("Neither",),
                  negative=("Strongly disagree", "Disagree"), not_applicable=("Don't know",))
    sites = tuple(f"{name} site" for name in (
        "Govan", "Partick", "Easterhouse", "Drumchapel", "Castlemilk", "Pollok", "Springburn",
        "Maryhill", "Shettleston", "Gorbals", "Dennistoun", "Anniesland", "Bridgeton",
        "Cardonald", "Possilpark", "Toryglen", "Yoker", "Knightswood", "Garthamlock",
        "Ruchill", "Cathcart", "Shawlands", "Hillhead", "Finnieston", "Calton", "Parkhead",
        "Tollcross", "Carntyne", "Robroyston", "Milton", "Barmulloch", "Sighthill",
        "Townhead", "Merchant City", "Ibrox", "Kinning Park", "Govanhill", "Langside",
        "Newlands", "Croftfoot"))
    sectors = ("Health", "Social care", "Housing", "Education", "Employment", "Training")
    items = tuple(Item(id=f"q{j}", column=f"Q{j}", label=f"Statement number {j} about "
                       "something that matters to the service", scale=scale, theme="Theme")
                  for j in range(1, 7))
    cb = Codebook(items=items, breakdowns=(
        Breakdown(id="sector", column="Sector", label="Sector", groups=sectors),
        Breakdown(id="site", column="Site", label="Site", groups=sites)), title="Forty sites")
    rng = np.random.default_rng(3)
    n = 2400
    frame = pd.DataFrame({f"Q{j}": rng.choice(list(scale.labels), size=n) for j in range(1, 7)})
    site = rng.integers(0, len(sites), size=n)
    frame["Site"] = [sites[k] for k in site]
    frame["Sector"] = [sectors[k % 6] for k in site]
    return suppress(analyse(Survey.from_frame(frame, cb)), min_group=10), sites


def test_forty_groups_fit_the_page(forty_sites, tmp_path):
    from surveykit.render import render_pdf
    from surveykit.render.pdf import print_html

    results, sites = forty_sites
    html = print_html(results)
    assert _overflow(html) <= 0.5
    # The fieldwork cross table puts the 40 sites down the side, not across the page.
    assert "Respondents by site and sector" in html
    assert "Respondents by sector and site" not in html
    # Four heatmaps of ten sites, their names set vertically so they cannot collide.
    assert len(re.findall(r'class="chart-image" alt="Part \d of 4\. Heatmap', html)) == 4
    first = re.search(r'alt="Part 1 of 4\. Heatmap[^"]*" src="data:image/svg\+xml;base64,'
                      r'([^"]+)"', html).group(1)
    assert "rotate(-90" in base64.b64decode(first).decode("utf-8")
    path = tmp_path / "forty.pdf"
    render_pdf(results, path)
    flat = _flat(_text(path))
    assert all(site in flat for site in sites)  # nothing clipped


def test_heatmap_headings_never_overlap():
    """Names that do not fit their column even in small type are set vertically."""
    from surveykit.render.svg import header_fit, text_width, wrap_to

    font, width = header_fit(["Frontline practitioner", "Admin / support"], 0.6)
    assert font >= 6.5  # the example's role names fit across, in slightly smaller type
    for name in ("Frontline practitioner", "Admin / support"):
        assert all(text_width(line, font) <= width for line in
                   wrap_to(name, width, font, 4).splitlines())
    font, _ = header_fit(["Easterhouse site", "Shettleston site"], 0.4)
    assert font < 6.5  # too narrow: the heatmap turns these headings vertical
