"""Colour contrast (WCAG 2 AA, 4.5:1 for text) of the paper's and the charts' colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PALETTES = [ROOT / "templates" / "partials" / "colours.css.j2",
            ROOT / "examples" / "house-style" / "partials" / "colours.css.j2"]
AA = 4.5

# (text, background) pairs as the stylesheet uses them.
TEXT_PAIRS = [("ink", "paper"), ("ink", "panel"), ("ink", "sig-bg"), ("muted", "paper"),
              ("muted", "panel"), ("muted", "sig-bg"), ("accent", "paper"),
              ("accent-ink", "accent"), ("up", "paper"), ("down", "paper"),
              ("warning", "paper")]


def _variables(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", text))


def test_contrast_ratio_matches_wcag_examples():
    from surveykit.render.charts import contrast_ratio

    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.parent.parent.name)
def test_page_text_colours_meet_aa(palette):
    from surveykit.render.charts import contrast_ratio

    colours = _variables(palette)
    for fg, bg in TEXT_PAIRS:
        ratio = contrast_ratio(colours[fg], colours[bg])
        assert ratio >= AA, f"{palette.name}: --{fg} on --{bg} is {ratio:.2f}:1"


def test_stylesheet_uses_only_palette_colours_for_text():
    """Hard-coded text colours in the stylesheet are checked too."""
    from surveykit.render.charts import contrast_ratio

    css = (ROOT / "templates" / "partials" / "style.css.j2").read_text(encoding="utf-8")
    for colour in re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", css):
        assert contrast_ratio(colour, "#ffffff") >= AA, colour


def test_chart_text_colours_meet_aa():
    from surveykit.render import charts

    c = charts
    # Text the charts draw on white, and white/black text chosen for filled cells.
    for fg in (c.TEXT, c.MUTED, c.DARK):
        assert c.contrast_ratio(fg, c.WHITE) >= AA
    assert c.contrast_ratio(c.DARK, c.SUPPRESSED_FILL) >= AA
    assert c.contrast_ratio(c.DARK, c.ALL_FILL) >= AA
    for step in range(-40, 41):
        background = c.heat_colour(step)
        assert c.contrast_ratio(c.text_colour_on(background), background) >= AA, step


def test_diverging_palette_keeps_its_order_in_greyscale():
    """Strong answers darker than mild ones on each side, neutral lightest."""
    from surveykit.render.charts import NEGATIVE, NEUTRAL, POSITIVE, relative_luminance

    strong_neg, mild_neg = (relative_luminance(c) for c in NEGATIVE[:2])
    strong_pos, mild_pos = (relative_luminance(c) for c in POSITIVE[:2])
    neutral = relative_luminance(NEUTRAL)
    assert strong_neg < mild_neg < neutral
    assert strong_pos < mild_pos < neutral


def test_heat_scale_is_ordered_and_symmetric_in_lightness():
    from surveykit.render.charts import heat_colour, relative_luminance

    lum = [relative_luminance(heat_colour(d)) for d in range(0, 21, 5)]
    assert lum == sorted(lum, reverse=True)  # further from zero, darker
    lum_neg = [relative_luminance(heat_colour(-d)) for d in range(0, 21, 5)]
    assert lum_neg == sorted(lum_neg, reverse=True)
