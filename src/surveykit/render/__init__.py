"""Renderers: the only place for rounding, labels, colours, markup and file formats.

``render_html`` (briefing.html), ``render_pdf`` (briefing.pdf, needs WeasyPrint),
``render_xlsx`` (tables.xlsx), ``render_csv`` (results.csv) and ``render_json``
(results.json) all take suppressed :class:`~surveykit.analysis.results.SurveyResults`, and
``comparison=`` (a :class:`~surveykit.analysis.waves.WaveComparison` ending with this
wave) to show the change since earlier waves; ``changes_csv`` writes those changes in
tidy form.
"""

from __future__ import annotations

from surveykit.render.csv import changes_csv, render_csv
from surveykit.render.html import render_html
from surveykit.render.json import render_json, results_payload
from surveykit.render.pdf import pdf_available, render_pdf
from surveykit.render.xlsx import render_xlsx

__all__ = ["changes_csv", "pdf_available", "render_csv", "render_html", "render_json",
           "render_pdf", "render_xlsx", "results_payload"]
