"""results.csv: tidy long form, full precision, suppressed rows empty, same bytes."""

from __future__ import annotations

import csv
import io

import pytest


@pytest.fixture(scope="module")
def table(example_results):
    from surveykit.render import render_csv

    text = render_csv(example_results[1])
    return text, list(csv.DictReader(io.StringIO(text)))


def test_header_and_line_ends(table):
    from surveykit.render.csv import COLUMNS

    text, _ = table
    assert text.splitlines()[0].split(",") == list(COLUMNS)
    assert "\r" not in text and text.endswith("\n")


def test_one_row_per_item_breakdown_group_category(table, example_results):
    _, rows = table
    results = example_results[1]
    frame = results.to_frame()
    answers = [r for r in rows if r["polarity"] not in ("not in base", "tick-all option")]
    assert len(answers) == len(frame)
    keys = {(r["item"], r["breakdown"], r["group"], r["category"]) for r in answers}
    assert keys == set(zip(frame["item"], frame["breakdown"], frame["group"],
                           frame["category"]))
    not_in_base = [r for r in rows if r["polarity"] == "not in base"]
    cells = 1 + sum(len(b.groups) for b in results.breakdowns)
    assert len(not_in_base) == len(results.items) * cells
    assert {r["category"] for r in not_in_base} == {"Don't know"}


def test_full_precision(table, example_results):
    _, rows = table
    item = example_results[1].item("job_relevant")
    g = item.by["sector"].groups[2]
    k = item.labels.index("Agree")
    row = next(r for r in rows if r["item"] == "job_relevant" and r["breakdown"] == "sector"
               and r["group"] == g.group and r["category"] == "Agree")
    assert float(row["pct"]) == 100 * g.figures.counts[k] / g.figures.n  # exactly
    assert row["count"] == str(int(g.figures.counts[k]))  # whole counts as integers
    assert row["base"] == str(g.figures.n)
    assert row["polarity"] == "positive" and row["category_order"] == str(k + 1)


def test_suppressed_rows_have_empty_figures(example_results):
    from surveykit import analyse, suppress
    from surveykit.render import render_csv

    survey, _ = example_results
    strict = suppress(analyse(survey), min_group=120)
    rows = list(csv.DictReader(io.StringIO(render_csv(strict))))
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert hidden
    for r in hidden:
        assert r["count"] == r["base"] == r["pct"] == ""
        assert r["suppression"]
    assert all(r["count"] != "" for r in rows if r["suppressed"] == "false")


def test_same_bytes(table, example_results):
    from surveykit.render import render_csv

    assert render_csv(example_results[1]) == table[0]


def test_writes_the_file(example_results, tmp_path):
    from surveykit.render import render_csv

    path = tmp_path / "results.csv"
    text = render_csv(example_results[1], path)
    assert path.read_bytes() == text.encode("utf-8")


def test_reads_back_with_pandas(table):
    import pandas as pd

    text, rows = table
    frame = pd.read_csv(io.StringIO(text))
    assert len(frame) == len(rows)
    assert frame["pct"].dtype == float and frame["base"].notna().any()
