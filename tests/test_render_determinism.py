"""Same input, same bytes: every output, rendered twice seconds apart in another time zone.

Nothing may carry the wall-clock time. With ``SOURCE_DATE_EPOCH`` set, the PDF and the
tab book stamp that moment (and only it); without, the PDF has no date and the tab book
a fixed one. Each render starts from freshly analysed results, so no cached chart hides a
difference.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
import zipfile
from datetime import datetime, timezone

import openpyxl
import pytest


def _render_all(survey) -> dict[str, bytes]:
    from surveykit import analyse, suppress
    from surveykit.render import render_csv, render_html, render_json, render_xlsx
    from surveykit.render.pdf import pdf_available, render_pdf

    results = suppress(analyse(survey), min_group=3)
    out = {"html": render_html(results).encode("utf-8"),
           "json": render_json(results).encode("utf-8"),
           "csv": render_csv(results).encode("utf-8"),
           "xlsx": render_xlsx(results)}
    if pdf_available():
        out["pdf"] = render_pdf(results)
    return out


@pytest.fixture
def survey(tiny_frame, tiny_codebook_path):
    from surveykit import Survey, load_codebook

    return Survey.from_frame(tiny_frame, load_codebook(tiny_codebook_path), source="tiny.csv")


@pytest.fixture
def zone(monkeypatch):
    """Switch the process time zone; restored afterwards."""
    def switch(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield switch
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("epoch", [None, "1700000000"], ids=["no-epoch", "epoch"])
def test_every_output_is_byte_identical_seconds_apart(survey, zone, monkeypatch, epoch):
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    zone("UTC")
    first = _render_all(survey)
    time.sleep(1.2)  # past a second boundary: any timestamp would now differ
    zone("Pacific/Auckland")
    second = _render_all(survey)
    assert set(first) == set(second)
    for name in first:
        assert first[name] == second[name], name


def test_the_stamped_moment_is_source_date_epoch(survey, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    files = _render_all(survey)
    stamp = datetime.fromtimestamp(1700000000, tz=timezone.utc)
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    assert book.properties.created == stamp.replace(tzinfo=None)
    assert book.properties.modified == stamp.replace(tzinfo=None)
    with zipfile.ZipFile(io.BytesIO(files["xlsx"])) as z:
        assert {i.date_time for i in z.infolist()} == {stamp.timetuple()[:6]}
    if "pdf" in files and shutil.which("pdfinfo"):
        path = tmp_path / "briefing.pdf"
        path.write_bytes(files["pdf"])
        info = subprocess.run(["pdfinfo", "-isodates", str(path)], capture_output=True,
                              text=True, check=True, env={**os.environ, "TZ": "UTC"}).stdout
        assert re.search(r"CreationDate:\s+2023-11-14T22:13:20(Z|\+00)", info), info
        assert re.search(r"ModDate:\s+2023-11-14T22:13:20(Z|\+00)", info), info
    for name in ("html", "json", "csv"):
        assert b"2023" not in files[name], name  # the text outputs carry no date at all
