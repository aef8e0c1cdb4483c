"""The bundled example: planted effects are found, null items mostly are not, the small
cell stays hidden, and results.json carries the contract fields."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLE
from surveykit.render import render_html, render_json

PLANTED = json.loads((EXAMPLE / "planted.json").read_text())


def _planted_pairs():
    for item, by in PLANTED["effects"].items():
        for breakdown, shifts in by.items():
            if shifts:
                yield item, breakdown


def test_every_planted_difference_is_significant_after_holm(example_results):
    _, results = example_results
    for item, breakdown in _planted_pairs():
        test = results.item(item).by[breakdown].test
        assert test.p_adjusted < 0.001, (item, breakdown, test.p_adjusted)


def test_planted_groups_move_in_the_planted_direction(example_results):
    _, results = example_results
    for item, by in PLANTED["effects"].items():
        reverse = results.item(item).reverse
        for breakdown, shifts in by.items():
            groups = {g.group: g for g in results.item(item).by[breakdown].groups}
            for group, shift in shifts.items():
                if abs(shift) < 1.0:
                    continue
                # shifts are on agreement with the wording; reverse items flip the sign
                expected_up = (shift > 0) != reverse
                diff = groups[group].vs_rest.difference
                assert (diff > 0) == expected_up, (item, group, diff)


def test_few_false_positives_on_null_items(example_results):
    _, results = example_results
    null_tests = [results.item(i).by[b].test for i in PLANTED["null_items"]
                  for b in ("sector", "role")]
    false = [t for t in null_tests if t.p_adjusted < 0.05]
    assert len(null_tests) == 28
    assert len(false) <= 1


def test_headlines_only_from_planted_items(example_results):
    _, results = example_results
    assert results.findings, "the example has strong planted effects"
    for f in results.findings:
        assert f.item in PLANTED["effects"], f
        assert f.p_adjusted < 0.05 and abs(f.group_pct - f.rest_pct) >= 5


def test_small_cell_hidden_in_json_and_html(example_results):
    _, results = example_results
    small = PLANTED["small_cell"]
    cross = results.cross[0]
    r = cross.row_groups.index(small["sector"])
    c = cross.column_groups.index(small["role"])
    assert cross.cells[r][c] is None
    # Complementary suppression: the cell's row and column each hide at least two cells,
    # so neither the row total nor the column total gives it away.
    assert sum(v is None for v in cross.cells[r]) >= 2
    assert sum(row[c] is None for row in cross.cells) >= 2
    payload = json.loads(render_json(results))
    assert payload["cross"][0]["cells"][r][c] is None
    html = render_html(results)
    table = html[html.index('<table class="cross">'):]
    table = table[: table.index("</table>")]
    row_html = table[table.index(f'<th scope="row">{small["sector"]}</th>'):]
    row_html = row_html[: row_html.index("</tr>")]
    assert f">{small['n']}<" not in row_html
    assert row_html.count("suppressed") >= 2


def test_results_json_contract(example_results):
    _, results = example_results
    payload = json.loads(render_json(results))
    assert payload["schema_version"] == 1
    assert isinstance(payload["surveykit_version"], str)
    assert payload["respondents"] == PLANTED["respondents"]
    assert payload["breakdowns"] == ["sector", "role"]
    item = payload["items"][0]
    assert {"id", "label", "overall", "by"} <= set(item)
    assert {"n", "pct_positive", "pct_neutral", "pct_negative", "mean"} <= set(item["overall"])
    for breakdown in ("sector", "role"):
        block = item["by"][breakdown]
        for group in block["groups"]:
            assert {"group", "suppressed"} <= set(group)
            if group["suppressed"]:
                assert not {"n", "pct_positive", "pct_neutral", "pct_negative"} & set(group)
            else:
                assert {"n", "pct_positive", "pct_neutral", "pct_negative"} <= set(group)
                total = group["pct_positive"] + group["pct_neutral"] + group["pct_negative"]
                assert total == pytest.approx(100)
        assert {"name", "statistic", "df", "p_value", "p_adjusted", "effect_size"} <= set(
            block["test"])
        assert block["test"]["name"] == "chi-square"
        assert block["test"]["p_adjusted"] >= block["test"]["p_value"]


def test_percentages_unrounded_in_json(example_results):
    _, results = example_results
    payload = json.loads(render_json(results))
    pct = payload["items"][0]["overall"]["pct_positive"]
    n = payload["items"][0]["overall"]["n"]
    positive = sum(v for k, v in payload["items"][0]["overall"]["counts"].items()
                   if k in ("Agree", "Strongly agree"))
    assert pct == 100 * positive / n  # exact, not rounded


def test_json_is_deterministic(example_results):
    _, results = example_results
    assert render_json(results) == render_json(results)
    assert render_html(results) == render_html(results)
