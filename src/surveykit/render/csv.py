"""``results.csv``: every figure in tidy long form, for R, pandas or a pivot table.

One row per item x breakdown x group x answer category (the shape of
:meth:`SurveyResults.to_frame`, with labels and the answer's polarity added), overall
first as breakdown ``(overall)``. After each group's answer categories comes one row for
the answers left out of the base ("don't know" and similar: a count, no base, no %).
Tick-all-that-apply questions follow the scaled items in the same shape: one row per
question x breakdown x group x option, polarity ``tick-all option``, ``pct`` the % of
those who answered the question who ticked the option (so they add up to more than 100).
Indices (0-100 scores) are not categories and live in results.json and tables.xlsx.

* ``base`` is what ``pct`` is a share of: the number who gave a view, or, in a weighted
  run, the sum of their weights (``count`` is then weighted too). ``unweighted_base`` is
  always the number of people; ``effective_base`` is Kish's effective sample size in a
  weighted run and empty otherwise.

* Full precision: numbers are written with Python's shortest round-trip ``repr``; whole
  counts as integers. Nothing is rounded.
* Suppressed groups: ``suppressed`` is ``true``, the reason is given, and ``count``,
  ``base`` and ``pct`` are empty.
* Deterministic: UTF-8 without BOM, ``\\n`` line ends, fixed column order.
* Spreadsheet-safe: a text field that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return gets a leading ``'`` so a spreadsheet opening the file shows it as text
  rather than running it as a formula (results.json keeps the exact text).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from surveykit.analysis.results import OVERALL, Figures, MultiFigures, SurveyResults
from surveykit.render.format import answer_base

if TYPE_CHECKING:
    from surveykit.analysis.waves import WaveComparison

COLUMNS = ("item", "item_label", "theme", "breakdown", "breakdown_label", "group",
           "category", "category_order", "polarity", "count", "base", "pct", "suppressed",
           "suppression", "unweighted_base", "effective_base")
OVERALL_BREAKDOWN = "(overall)"
_POLARITY = {1: "positive", 0: "neutral", -1: "negative"}
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def _number(x: float | None) -> str:
    if x is None:
        return ""
    x = float(x)
    if not math.isfinite(x):
        return ""
    return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_RISKY_START) else text


def tidy_rows(results: SurveyResults) -> Iterator[dict[str, Any]]:
    """The rows of ``results.csv`` as dicts of raw values (numbers unformatted)."""
    labels = {b.id: b.label for b in results.breakdowns}
    for item in results.items:
        cells: list[tuple[str, str, str, Figures | None, bool, str | None]] = [
            (OVERALL_BREAKDOWN, OVERALL_BREAKDOWN, OVERALL, item.overall, False, None)]
        for bid, ib in item.by.items():
            cells += [(bid, labels.get(bid, bid), g.group,
                       None if g.suppressed else g.figures, g.suppressed, g.suppression)
                      for g in ib.groups]
        na_label = " / ".join(item.not_applicable_labels) or "(not applicable)"
        for bid, blabel, group, fig, hidden, why in cells:
            base = {"item": item.id, "item_label": item.label, "theme": item.theme,
                    "breakdown": bid, "breakdown_label": blabel, "group": group,
                    "suppressed": hidden or fig is None, "suppression": why,
                    "unweighted_base": None if fig is None else fig.n,
                    "effective_base": None if fig is None else fig.n_eff}
            total = None if fig is None else answer_base(fig)
            for k, category in enumerate(item.labels):
                count = None if fig is None else fig.counts[k]
                yield {**base, "category": category, "category_order": k + 1,
                       "polarity": _POLARITY.get(item.polarity[k], "neutral"),
                       "count": count, "base": total,
                       "pct": (100 * count / total) if count is not None and total else None}
            yield {**base, "category": na_label, "category_order": len(item.labels) + 1,
                   "polarity": "not in base",
                   "count": None if fig is None else fig.not_applicable,
                   "base": None, "pct": None, "unweighted_base": None, "effective_base": None}
    yield from _multi_rows(results, labels)


def _multi_base(fig: MultiFigures, weighted: bool) -> float | None:
    """Those who answered a tick-all question: people, or the sum of their weights.

    The weighted base is not stored in the results; every option's count / % gives it.
    """
    if not weighted:
        return fig.n
    for count, pct in zip(fig.counts, fig.pct_respondents):
        if pct and math.isfinite(pct):
            return 100 * count / pct
    return None


def _multi_rows(results: SurveyResults, labels: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Tick-all questions: one row per question x breakdown x group x option."""
    for m in results.multi:
        cells: list[tuple[str, str, str, MultiFigures | None, bool, str | None]] = [
            (OVERALL_BREAKDOWN, OVERALL_BREAKDOWN, OVERALL, m.overall, False, None)]
        for bid, groups in m.by.items():
            cells += [(bid, labels.get(bid, bid), g.group,
                       None if g.suppressed else g.figures, g.suppressed, g.suppression)
                      for g in groups]
        for bid, blabel, group, fig, hidden, why in cells:
            total = None if fig is None else _multi_base(fig, results.settings.weighted)
            for k, option in enumerate(m.options):
                yield {"item": m.id, "item_label": m.label, "theme": "",
                       "breakdown": bid, "breakdown_label": blabel, "group": group,
                       "category": option, "category_order": k + 1,
                       "polarity": "tick-all option",
                       "count": None if fig is None else fig.counts[k],
                       "base": total,
                       "pct": None if fig is None else fig.pct_respondents[k],
                       "suppressed": hidden or fig is None, "suppression": why,
                       "unweighted_base": None if fig is None else fig.n,
                       "effective_base": None}


def render_csv(results: SurveyResults, path: str | Path | None = None, *,
               comparison: WaveComparison | None = None) -> str:
    """Serialise the tidy table; write it to ``path`` when given. Returns the text.

    ``comparison`` is accepted so that callers can pass the same keywords to every
    renderer, and changes nothing: results.csv describes one wave (a second table of
    changes in the same file would not be tidy). The changes are in results.json
    (``"comparison"``), in the tab book's "Change" sheet, and in tidy form from
    :func:`changes_csv`.
    """
    if not results.suppression_applied:
        raise ValueError("results must pass through surveykit.suppress() before rendering")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for row in tidy_rows(results):
        writer.writerow([
            _text(row["item"]), _text(row["item_label"]), _text(row["theme"]),
            _text(row["breakdown"]), _text(row["breakdown_label"]), _text(row["group"]),
            _text(row["category"]), row["category_order"], row["polarity"],
            _number(row["count"]), _number(row["base"]), _number(row["pct"]),
            "true" if row["suppressed"] else "false", _text(row["suppression"] or ""),
            _number(row["unweighted_base"]), _number(row["effective_base"]),
        ])
    text = buf.getvalue()
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    return text


#: Columns of :func:`changes_csv`: one row per item x breakdown x group x pair of waves.
CHANGE_COLUMNS = ("item", "breakdown", "group", "wave_from", "wave_to", "n_from", "n_to",
                  "pct_from", "pct_to", "change", "p_value", "p_adjusted", "label")


def changes_csv(comparison: WaveComparison, path: str | Path | None = None) -> str:
    """The changes between waves in tidy long form (e.g. for a ``changes.csv``).

    One row per item x breakdown x group x consecutive pair of waves, overall first as
    breakdown ``(overall)``; full precision; the same text safety as results.csv.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CHANGE_COLUMNS)
    for c in comparison.changes:
        writer.writerow([_text(c.item), _text(c.breakdown), _text(c.group),
                         _text(c.wave_from), _text(c.wave_to), _number(c.n_from),
                         _number(c.n_to), _number(c.pct_from), _number(c.pct_to),
                         _number(c.change), _number(c.p_value), _number(c.p_adjusted),
                         c.label])
    text = buf.getvalue()
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    return text
