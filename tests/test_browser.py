"""The example paper in a real browser: headless Chromium, no Playwright needed.

Three runs of the bare ``chromium`` binary: ``--dump-dom`` (the DOM after load: charts and
headings are there), ``--enable-logging=stderr`` (every console message, which Chromium
logs as ``INFO:CONSOLE``; the paper has no scripts, so there must be none: no CSP
violation, no failed load) and ``--screenshot`` (a non-blank picture). A deliberately
broken page first proves that console messages are detected at all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and Path(p).exists()),
                None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--hide-scrollbars", "--mute-audio"]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    try:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        pytest.skip("chromium did not finish in 120 s")


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def paper(example_results, tmp_path_factory):
    from surveykit.render import render_html
    from surveykit.report import paper_comments

    survey, results = example_results
    path = tmp_path_factory.mktemp("browser") / "briefing.html"
    render_html(results, path, comments=paper_comments(survey, results))
    return path, results


def test_console_messages_are_detected(tmp_path):
    """Control: a page that logs and throws shows up in the log we check below."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><p>x</p>"
                   "<script>console.error('boom'); notDefined();</script></body></html>")
    run = _chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", bad.as_uri())
    messages = _console(run.stderr)
    if not messages:
        pytest.skip("this chromium build does not log console messages to stderr")
    assert any("boom" in m for m in messages)


def test_paper_loads_without_console_messages(paper, tmp_path):
    path, _ = paper
    run = _chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", path.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    assert "Content Security Policy" not in run.stderr


def test_dom_after_load_has_charts_and_structure(paper, tmp_path):
    path, results = paper
    run = _chromium(tmp_path, "--dump-dom", path.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    themes = len({i.theme for i in results.items})
    breakdowns = len(results.breakdowns)
    svgs = re.findall(r"<svg\b[^>]*>", dom)
    assert len(svgs) == themes + breakdowns  # a bar chart per theme, a heatmap per breakdown
    assert all('role="img"' in s and "aria-label=" in s for s in svgs)
    assert dom.count("<title>") >= len(svgs)  # the page title plus one per chart
    assert len(re.findall(r"<h1\b", dom)) == 1
    assert "Headline findings" in dom and "Methods and data" in dom
    assert "Appendix: comments" in dom
    # The charts really drew text (labels are text, not paths).
    assert "Helping people into work is part of my job" in re.sub(r"\s+", " ", dom)
    assert len(re.findall(r"<text\b", dom)) > 200


def test_screenshot_is_not_blank(paper, tmp_path):
    from PIL import Image

    path, _ = paper
    shot = tmp_path / "shot.png"
    run = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", path.as_uri())
    assert run.returncode == 0 and shot.exists(), run.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2000)
    small = image.resize((300, 500))
    colours = small.getcolors(300 * 500)  # [(count, (r, g, b)), ...]
    ink = sum(count for count, rgb in colours if sum(rgb) < 600) / (300 * 500)
    assert ink > 0.02, f"only {ink:.1%} of the page is drawn"
    assert len(colours) > 50  # text, rules and the coloured key-figure boxes
    # The accent colour of the headings rule and the findings markers is on screen.
    accent = (0x54, 0x27, 0x88)
    assert any(all(abs(a - b) < 30 for a, b in zip(rgb, accent))
               for _, rgb in image.getcolors(1200 * 2000))


def test_paper_with_three_waves_loads_with_its_trend_charts(example_results, tmp_path):
    """The change section's trend charts load in a real browser, with no console output."""
    import copy

    from surveykit.analysis.waves import Wave, compare_waves
    from surveykit.render import render_html

    _, results = example_results
    now = results.to_dict()
    waves = []
    for name, shift in (("2024", -14.0), ("2025", -7.0)):
        payload = copy.deepcopy(now)
        for it in payload["items"]:
            if it["id"] == "know_refer":
                it["overall"]["pct_positive"] += shift
        waves.append(Wave.from_results_dict(name, payload))
    comparison = compare_waves([*waves, Wave.from_results_dict("2026", now)])
    path = tmp_path / "briefing.html"
    render_html(results, path, comparison=comparison)
    run = _chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", path.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    dom = run.stdout
    themes = len({i.theme for i in results.items})
    svgs = re.findall(r"<svg\b[^>]*>", dom)
    assert len(svgs) == 2 * themes + len(results.breakdowns)  # + a trend chart per theme
    assert len(re.findall(r'aria-label="Line chart of % positive', dom)) == themes
    assert "Change since 2025" in dom
