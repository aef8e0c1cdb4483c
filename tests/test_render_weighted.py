"""A weighted run in every output: shares of the weighted base, and the bases analysts need.

Weighted counts are sums of weights, so a share must be taken of their total (the weighted
base), never of the number of people; the paper and the tab book must say the figures are
weighted and show the weighted base and the effective sample size beside the base.
The example survey gets deterministic weights between 0.5 and 2 for these tests.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import numpy as np
import openpyxl
import pytest

from conftest import EXAMPLE


@pytest.fixture(scope="module")
def weighted():
    from surveykit import Survey, analyse, load_codebook, suppress
    from surveykit.analysis.weights import weighting_report
    from surveykit.ingest import read_table

    frame = read_table(EXAMPLE / "survey.xlsx").frame.copy()
    frame["w"] = np.random.default_rng(1).uniform(0.5, 2.0, len(frame))
    cb = replace(load_codebook(EXAMPLE / "codebook.yaml"), weight="w")
    survey = Survey.from_frame(frame, cb, source="survey.xlsx")
    from dataclasses import asdict

    report = asdict(weighting_report(frame["w"].to_numpy()))
    return suppress(analyse(survey, weighting=report), min_group=10), frame["w"].to_numpy()


def test_the_fixture_is_really_weighted(weighted):
    results, w = weighted
    fig = results.item("job_relevant").overall
    assert results.settings.weighted
    # Weighted counts add up to the weighted base, not to the number of people.
    assert sum(fig.counts) == pytest.approx(fig.weighted_n)
    assert abs(fig.weighted_n - fig.n) > 100


def test_chart_shares_are_of_the_weighted_base(weighted):
    from surveykit.render.charts import diverging_rows

    results, _ = weighted
    item = results.item("job_relevant")
    row = diverging_rows([item])[0]
    assert sum(s.share for s in row.segments) == pytest.approx(100.0)
    assert row.pct_positive == pytest.approx(item.overall.pct_positive)
    fig = item.overall
    assert row.pct_not_applicable == pytest.approx(
        100 * fig.not_applicable / (fig.weighted_n + fig.not_applicable))


def test_csv_base_pct_and_effective_base(weighted):
    from surveykit.render import render_csv

    results, _ = weighted
    rows = list(csv.DictReader(io.StringIO(render_csv(results))))
    item = results.item("job_relevant")
    g = item.by["sector"].groups[0]
    mine = [r for r in rows if r["item"] == "job_relevant" and r["group"] == g.group
            and r["polarity"] != "not in base"]
    assert sum(float(r["pct"]) for r in mine) == pytest.approx(100.0)
    positive = sum(float(r["pct"]) for r in mine if r["polarity"] == "positive")
    assert positive == pytest.approx(g.figures.pct_positive)
    assert float(mine[0]["base"]) == pytest.approx(g.figures.weighted_n)
    assert int(mine[0]["unweighted_base"]) == g.figures.n
    assert float(mine[0]["effective_base"]) == pytest.approx(g.figures.n_eff)
    # Tick-all rows: % of those who answered, weighted.
    m = results.multi[0]
    tick = [r for r in rows if r["item"] == m.id and r["breakdown"] == "(overall)"]
    assert [r["category"] for r in tick] == list(m.options)
    for r, pct, count in zip(tick, m.overall.pct_respondents, m.overall.counts):
        assert float(r["pct"]) == pytest.approx(pct)
        assert float(r["count"]) * 100 / float(r["base"]) == pytest.approx(pct)


def test_unweighted_csv_leaves_the_effective_base_empty(example_results):
    from surveykit.render import render_csv

    rows = list(csv.DictReader(io.StringIO(render_csv(example_results[1]))))
    answers = [r for r in rows if r["polarity"] in ("positive", "neutral", "negative")]
    assert all(r["effective_base"] == "" for r in answers)
    assert all(r["unweighted_base"] == r["base"] for r in answers)


def test_xlsx_column_pct_and_bases(weighted):
    from surveykit.render import render_xlsx

    results, w = weighted
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(results)))
    ws = wb["By Sector"]
    rows = list(ws.iter_rows(values_only=True))

    def row(measure, answer=None):
        return next(r for r in rows if r[0] == "job_relevant" and r[2] == measure
                    and (answer is None or r[3] == answer))

    item = results.item("job_relevant")
    figs = [item.overall, *(g.figures for g in item.by["sector"].groups)]
    assert list(row("Base (n)")[4:4 + len(figs)]) == [f.n for f in figs]
    assert list(row("Weighted base")[4:4 + len(figs)]) == pytest.approx(
        [f.weighted_n for f in figs])
    assert list(row("Effective base (Kish)")[4:4 + len(figs)]) == pytest.approx(
        [f.n_eff for f in figs])
    shares = np.zeros(len(figs))
    for answer in item.labels:
        shares += np.array(row("Column %", answer)[4:4 + len(figs)], dtype=float)
    assert shares == pytest.approx(np.ones(len(figs)))
    index = {r[0]: r[1] for r in wb["Index"].iter_rows(values_only=True) if r[0]}
    assert index["Weighted"] == "yes"
    assert index["Sum of weights"] == pytest.approx(w.sum())
    assert index["Effective sample size (Kish)"] == pytest.approx(
        w.sum() ** 2 / (w ** 2).sum())


def test_paper_says_weighted_and_shows_weighted_bases(weighted):
    from surveykit.render import render_html
    from surveykit.render.format import fmt_n

    results, w = weighted
    html = render_html(results)
    methods = html[html.index('id="methods"'):]
    assert "Figures are weighted" in methods
    assert "Weighting" in methods and "design effect" in methods
    assert f"effective sample of {fmt_n(w.sum() ** 2 / (w ** 2).sum())}" in methods
    # The statistics named are the design-based ones actually used.
    assert "Rao-Scott" in methods and "design-based z-test" in methods
    assert "design-based t-test of the weighted means" in methods  # means vs rest
    assert "Pearson's chi-square" not in methods
    table = re.search(r"<table class=\"items\">.*?</table>", html, re.DOTALL).group(0)
    assert "Weighted base" in table and "Effective n" in table
    fig = next(i for i in results.items if i.theme == results.items[0].theme).overall
    assert fmt_n(fig.weighted_n) in table and fmt_n(fig.n_eff) in table


def test_unweighted_paper_has_no_weighting_columns(example_results):
    from surveykit.render import render_html

    html = render_html(example_results[1])
    assert "Weighted base" not in html and "Effective n" not in html
    assert "Figures are unweighted" in html
