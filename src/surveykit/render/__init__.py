"""Renderers: the only place for rounding, labels, colours, markup and file formats."""

from __future__ import annotations

from surveykit.render.html import render_html
from surveykit.render.json import render_json, results_payload

__all__ = ["render_html", "render_json", "results_payload"]
