"""briefing.html: structure, accessibility markup, self-containment, determinism, overrides."""

from __future__ import annotations

from html import unescape
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOUSE = ROOT / "examples" / "house-style"


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.ids: Counter[str] = Counter()
        self.th: list[dict[str, str | None]] = []
        self.svgs: list[dict[str, str | None]] = []
        self.urls: list[str] = []
        self.tags: Counter[str] = Counter()
        self.in_thead = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "id" in a:
            self.ids[a["id"]] += 1
        if tag == "thead":
            self.in_thead = True
        if tag == "th":
            self.th.append({**a, "_thead": "1" if self.in_thead else None})
        if tag == "svg":
            self.svgs.append(a)
        for key in ("src", "href", "xlink:href", "action", "data"):
            if a.get(key):
                self.urls.append(a[key])

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_thead = False


def _outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def paper(example_results):
    from surveykit.render import render_html

    return render_html(example_results[1])


def test_requires_suppressed_results(example_results):
    from surveykit import analyse
    from surveykit.render import render_html

    survey, _ = example_results
    with pytest.raises(ValueError, match="suppress"):
        render_html(analyse(survey))


def test_same_input_same_bytes(example_results, paper):
    from surveykit.render import render_html

    assert render_html(example_results[1]) == paper


def test_self_contained_and_script_free(paper):
    o = _outline(paper)
    assert o.tags["script"] == 0 and o.tags["link"] == 0 and o.tags["img"] == 0
    # Every URL is an in-page anchor: nothing to fetch, so it opens offline.
    assert o.urls and all(u.startswith("#") for u in o.urls), [u for u in o.urls
                                                             if not u.startswith("#")]
    assert "Content-Security-Policy" in paper and "default-src 'none'" in paper


def test_headings_are_a_real_outline(paper):
    o = _outline(paper)
    assert o.headings[0] == 1 and o.headings.count(1) == 1
    for before, after in zip(o.headings, o.headings[1:]):
        assert after <= before + 1  # no skipped levels
    assert '<html lang="en-GB">' in paper


def test_ids_are_unique_and_anchors_resolve(paper):
    o = _outline(paper)
    assert [i for i, n in o.ids.items() if n > 1] == []
    for url in o.urls:
        assert url[1:] in o.ids, url


def test_every_header_cell_has_a_scope(paper):
    o = _outline(paper)
    assert o.th
    missing = [th for th in o.th if th.get("scope") not in ("col", "row", "colgroup")]
    assert missing == []


def test_every_chart_has_alt_text(example_results, paper):
    results = example_results[1]
    o = _outline(paper)
    assert len(o.svgs) == len({i.theme for i in results.items}) + len(results.breakdowns)
    for svg in o.svgs:
        assert svg.get("role") == "img"
        assert len(svg.get("aria-label") or "") > 60
    assert paper.count("<figcaption>") == len(o.svgs)
    # Each chart's SVG opens with a <title> holding the same description.
    for m in re.finditer(r"<svg\b[^>]*aria-label=\"([^\"]+)\"[^>]*>\s*<title>([^<]+)</title>",
                         paper):
        assert m.group(1) == m.group(2)
    assert len(re.findall(r"<svg\b[^>]*>\s*<title>", paper)) == len(o.svgs)


def test_svg_carries_no_page_wide_css(paper):
    # matplotlib's "*{stroke-linejoin: round}" must not leak into the page.
    svgs = re.findall(r"<svg\b.*?</svg>", paper, re.DOTALL)
    assert svgs and not any("<style" in s for s in svgs)
    assert not any(" style=" in s for s in svgs)


def test_sections_of_the_issue_are_present(example_results, paper):
    results = example_results[1]
    for text in ("Headline findings", "Who responded", "Respondents by sector",
                 "Respondents by role", "Differences by sector", "Differences by role",
                 "% positive by sector", "Methods and data", results.title):
        assert text in paper
    for theme in {i.theme for i in results.items}:
        assert f">{theme}</h2>" in paper.replace("&#39;", "'")


def test_findings_show_figures_and_bases(example_results, paper):
    from surveykit.render.format import fmt_n, fmt_pct

    results = example_results[1]
    items = re.findall(r'<li class="(?:higher|lower)">(.*?)</li>', paper, re.DOTALL)
    assert len(items) == min(8, len(results.findings))
    for finding, li in zip(results.findings, items):
        assert fmt_pct(finding.group_pct) in li and fmt_pct(finding.rest_pct) in li
        assert f"n = {fmt_n(finding.group_n)} and {fmt_n(finding.rest_n)}" in li


def test_significance_is_not_colour_alone(paper):
    cells = re.findall(r'<td class="num sig (?:up|down)">(.*?)</td>', paper)
    assert cells
    for cell in cells:
        assert "▲" in cell or "▼" in cell
        assert "significantly" in cell  # words for screen readers


def test_comments_appendix_is_off_by_default(paper):
    assert "Appendix: comments" not in paper
    assert 'id="comments"' not in paper


def test_comments_appendix_when_asked(example_results):
    from surveykit.render import render_html
    from surveykit.report import paper_comments

    survey, results = example_results
    html = render_html(results, comments=paper_comments(survey, results))
    assert "Appendix: comments" in html and 'href="#comments"' in html
    assert "@example.org" not in html and "07700" not in html and "0141 496" not in html
    assert "[redacted]" in html


def test_response_rates_when_the_population_is_known(example_results):
    from surveykit.render import render_html
    from surveykit.render.context import Population

    results = example_results[1]
    plain = render_html(results)
    assert "Response rate" not in plain
    html = render_html(results, population=Population(total=2000,
                                                      groups={"sector": {"Health": 800}}))
    assert "Response rate" in html
    assert "a response rate of 59% of 2,000 staff" in html  # 1,187 / 2,000
    assert "52%" in html  # Health: 416 / 800


def test_template_dir_overrides_one_partial(example_results, tmp_path):
    from surveykit.render import render_html

    results = example_results[1]
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "footer.html.j2").write_text(
        "<footer><p>House footer for {{ title }}</p></footer>\n", encoding="utf-8")
    html = render_html(results, template_dir=tmp_path)
    assert f"House footer for {results.title}" in html
    assert "Headline findings" in html  # everything else still bundled


def test_house_style_example(example_results):
    from surveykit.render import render_html
    from surveykit.render.pdf import print_html

    results = example_results[1]
    for html in (render_html(results, template_dir=HOUSE),
                 print_html(results, template_dir=HOUSE)):
        assert "--accent: #005eb8" in html
        assert "Partnership Board" in html
        assert "Headline findings" in html


def test_a_typo_in_a_house_template_fails_loudly(example_results, tmp_path):
    import jinja2

    from surveykit.render import render_html

    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "footer.html.j2").write_text("{{ no_such_thing }}",
                                                          encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError):
        render_html(example_results[1], template_dir=tmp_path)


def test_missing_template_dir_is_an_error(example_results, tmp_path):
    from surveykit.render import render_html

    with pytest.raises(FileNotFoundError):
        render_html(example_results[1], template_dir=tmp_path / "nope")


def test_print_medium_splits_only_wide_tables(example_results):
    from surveykit.render.context import print_max_groups
    from surveykit.render.pdf import print_html

    html = print_html(example_results[1])
    assert "(part 1 of" not in html  # six sectors fit across A4
    assert print_max_groups(["Health", "Social care", "Employment"]) >= 6
    assert print_max_groups([f"Directorate of services number {k}" for k in range(14)]) < 6


def test_writes_the_file(example_results, tmp_path):
    from surveykit.render import render_html

    path = tmp_path / "briefing.html"
    html = render_html(example_results[1], path)
    assert path.read_bytes() == html.encode("utf-8")


def test_breakdown_tables_carry_column_letters(example_results, paper):
    results = example_results[1]
    table = re.search(r"<caption>% positive by sector</caption>.*?</table>", paper,
                      re.DOTALL).group(0)
    heads = re.findall(r'<th scope="col" class="num">([^<]+)<span class="letter">'
                       r'<span class="sr">, column </span><span aria-hidden="true">\(</span>'
                       r'([A-Z]+)<span', table)
    ib = results.item("job_relevant").by["sector"]
    assert heads == [(g.group, g.letter) for g in ib.groups]
    row = re.search(r"<th scope=\"row\">Helping people into work is part of my job</th>"
                    r"(.*?)</tr>", table).group(1)
    letters = re.findall(r'<span class="letters"><span class="sr">, higher than columns '
                         r'</span>([A-Za-z ]+)</span>', row)
    assert letters == ["".join(g.higher_than) for g in ib.groups if g.higher_than]
    assert "".join(next(g for g in ib.groups if g.group == "Employment").higher_than) in letters
    assert "Letters under a figure: the columns this group is significantly higher than" in paper


def test_indices_section(example_results, paper):
    from surveykit.render.format import fmt_num

    results = example_results[1]
    assert results.indices  # the example's codebook defines two
    section = paper[paper.index('id="indices"'):paper.index('id="by-1"')]
    assert '<a href="#indices">Indices</a>' in paper
    for x in results.indices:
        assert (f'<tr><th scope="row">{x.label}</th><td class="num strong">'
                f"{fmt_num(x.score, 0)}</td>") in section
        assert fmt_num(x.alpha, 2) in section
        for g in x.by["sector"]:
            assert f'<td class="num">{fmt_num(g.mean, 0)}</td>' in section
    # The example's indices hang together poorly (alpha < 0.7): the paper says so.
    assert section.count('<span class="tag">low</span>') == sum(
        x.alpha < 0.7 for x in results.indices)


def test_suppressed_index_groups_are_stars(example_results):
    from surveykit import analyse, suppress
    from surveykit.render import render_html

    survey, _ = example_results
    strict = suppress(analyse(survey), min_group=120)
    hidden = [g.group for g in strict.indices[0].by["sector"] if g.suppressed]
    assert hidden
    html = render_html(strict)
    section = html[html.index('id="indices"'):html.index('id="by-1"')]
    row = re.search(r'<th scope="row">Joint working index</th>(.*?)</tr>',
                    section[section.index("Index scores by sector"):]).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    groups = [g.group for g in strict.breakdowns[0].groups]
    for group in hidden:
        assert cells[1 + groups.index(group)] == "*"


def test_methods_note_says_what_was_done(example_results, paper):
    from surveykit import __version__

    results = example_results[1]
    methods = unescape(paper[paper.index('id="methods"'):])
    s = results.settings
    assert f"Produced with surveykit {__version__}" in methods  # also in print, unlike the footer
    assert "Figures are unweighted" in methods
    assert "Holm method" in methods and f"Significance level {s.alpha}" in methods
    assert f"at least {s.min_group} people answered" in methods
    assert "Bases" in methods and "left out of the base" in methods
    # The tests named are the ones in the results: the example has sparse tables with too
    # many possible tables to enumerate, so Fisher's p was simulated for some statements,
    # and the note must not call that an exact test.
    used = {(ib.test.name, ib.test.p_method) for i in results.items for ib in i.by.values()}
    assert {name for name, _ in used} == {"chi-square", "fisher"}
    assert {m for name, m in used if name == "fisher"} == {"fisher monte carlo"}
    assert "Pearson's chi-square test and Fisher's test with its p-value estimated" in methods
    assert "(Monte Carlo;" in methods and "Fisher's exact test" not in methods
    assert "Kruskal-Wallis" in methods  # mean tests, in the tab book
    assert "each group's mean score against everyone else's (Mann-Whitney test)" in methods


def test_methods_note_names_the_design_when_the_workforce_is_known(example_results):
    from surveykit import analyse, suppress
    from surveykit.render import render_html

    survey, _ = example_results
    results = suppress(analyse(survey, population=2000.0), min_group=10)
    methods = unescape(render_html(results)[render_html(results).index('id="methods"'):])
    assert "a workforce of 2,000, of whom 59% responded" in methods  # 1,187 / 2,000
    assert results.settings.design in methods


def test_a_survey_of_tick_all_questions_only_reads_right(tmp_path):
    """No scaled items, one tick-all question: the paper does not say "0 statements in 0
    themes", and the CLI summary counts the question."""
    import numpy as np
    import pandas as pd
    from typer.testing import CliRunner

    from surveykit.cli import app

    rng = np.random.default_rng(3)
    options = ["Time", "Money", "Training"]
    frame = pd.DataFrame({"Team": rng.choice(["North", "South"], 60),
                          "Barriers": ["; ".join(o for o in options if rng.random() < 0.5)
                                       or "Time" for _ in range(60)]})
    data = tmp_path / "ticks.csv"
    frame.to_csv(data, index=False)
    (tmp_path / "ticks.codebook.yaml").write_text(
        "multi:\n  - {id: barriers, column: Barriers, separator: ';', options: "
        "[Time, Money, Training]}\nbreakdowns: [Team]\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["analyse", str(data), "--format", "html",
                                   "--out", str(tmp_path / "o")])
    assert out.exit_code == 0, out.output
    assert "60 respondents, 1 tick-all question(s), 0 headline finding(s)" in out.output
    html = unescape((tmp_path / "o" / "briefing.html").read_text(encoding="utf-8"))
    assert "They answered 1 tick-all-that-apply question." in html
    assert "0 statements" not in html and "0 themes" not in html
