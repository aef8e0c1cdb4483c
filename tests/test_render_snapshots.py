"""Snapshots of small rendered pieces of the example paper (not whole pages).

The headline sentences, one chart's numbers, one heatmap's cells, one theme table, one
breakdown table as text, and the head of results.csv, each compared with a file in
tests/snapshots/. When a change is intended, regenerate them all with

    SURVEYKIT_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_render_snapshots.py

and review the diff before committing.
"""

from __future__ import annotations

import json
import math
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("SURVEYKIT_UPDATE_SNAPSHOTS") == "1"


def check_snapshot(name: str, text: str) -> None:
    """Compare ``text`` with tests/snapshots/<name>, or rewrite it when updating."""
    path = SNAPSHOTS / name
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    if not path.exists():
        pytest.fail(f"no snapshot {path}; create it with SURVEYKIT_UPDATE_SNAPSHOTS=1")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, (f"{name} differs from its snapshot; if the change is intended, "
                              "rerun with SURVEYKIT_UPDATE_SNAPSHOTS=1 and review the diff")


def _num(x):
    from surveykit.render.format import fmt_num

    return None if x is None or math.isnan(x) else fmt_num(x, 4)


def _lines(rows: list[dict]) -> str:
    """One JSON object per line: small diffs when one figure moves."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


@pytest.fixture(scope="module")
def paper(example_results):
    from surveykit.render import render_html

    return render_html(example_results[1])


def test_headline_sentences(example_results):
    from surveykit.render.wording import finding_sentence

    results = example_results[1]
    by_id = {i.id: i for i in results.items}
    text = "\n".join(finding_sentence(f, by_id[f.item]) for f in results.findings) + "\n"
    check_snapshot("headlines.txt", text)


def test_diverging_chart_data(example_results):
    from surveykit.render.charts import diverging_rows

    results = example_results[1]
    items = sorted((i for i in results.items if i.theme == "Knowledge and referral"),
                   key=lambda i: -i.overall.pct_positive)
    rows = [{"item": r.item, "n": r.n, "negative": _num(r.pct_negative),
             "positive": _num(r.pct_positive), "dont_know": _num(r.pct_not_applicable),
             "segments": [[s.label, _num(s.start), _num(s.share), s.colour]
                          for s in r.segments]}
            for r in diverging_rows(items)]
    check_snapshot("chart_knowledge_and_referral.jsonl", _lines(rows))


def test_heatmap_data(example_results):
    from surveykit.render.heatmap import heatmap_rows

    rows = [{"item": r.item, "all": _num(r.overall),
             "cells": [[c.group, c.text, _num(c.difference), c.significant, c.colour]
                       for c in r.cells]}
            for r in heatmap_rows(example_results[1], "role")]
    check_snapshot("heatmap_role.jsonl", _lines(rows))


def _table(html: str, caption: str) -> str:
    m = re.search(r"<table[^>]*>\s*<caption>" + re.escape(caption) + r".*?</table>", html,
                  re.DOTALL)
    assert m, caption
    return m.group(0)


def test_theme_table_markup(paper):
    check_snapshot("table_knowledge_and_referral.html",
                   _table(paper, "Knowledge and referral: all staff, most positive first") + "\n")


class _Grid(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_breakdown_table_text(paper):
    grid = _Grid()
    grid.feed(_table(paper, "% positive by role"))
    check_snapshot("table_by_role.txt", "\n".join(" | ".join(r) for r in grid.rows) + "\n")


def test_csv_head(example_results):
    from surveykit.render import render_csv

    head = "\n".join(render_csv(example_results[1]).splitlines()[:15]) + "\n"
    check_snapshot("results_head.csv", head)
