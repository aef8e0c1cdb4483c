"""Survey platforms' export layouts: Qualtrics, SurveyMonkey, Google Forms, Microsoft Forms.

Each platform wraps the answers in its own header rows and metadata columns. Recognising
the layout here, once, lets every reader (CSV, Excel, SPSS, Parquet) hand inference a plain
table: one header row of column names, the question wording kept aside, extra header rows
gone (with ``first_data_row`` still pointing at the right spreadsheet row), and personal or
technical metadata (IP address, e-mail, names, location) dropped.

The layouts, as the platforms document and export them:

* **Qualtrics**: row 1 export tags (``Q1``, ``Q3_2``, ``Q5_4_TEXT``), row 2 question text,
  row 3 ``{"ImportId":"QID1"}``; legacy exports: ``V1..Vn`` tags over a row of names and
  question text.
* **SurveyMonkey**: question text once over its columns (blank over the rest), and a second
  row of ``Response`` / option labels / ``Open-Ended Response``.
* **Google Forms**: ``Timestamp`` first; checkbox answers joined by ``", "``.
* **Microsoft Forms**: ``ID, Start time, Completion time, Email, Name`` first; multi-select
  answers joined by ``";"`` with a trailing ``";"``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Layout", "detect_layout", "is_metadata", "personal_content"]

# Personal or technical fields any export may carry: dropped whatever the layout.
_PERSONAL = re.compile(
    r"^((your|respondent'?s?|employee|staff|participant|recipient)[ _]?)?"
    r"(ip[ _]?address|ip|e-?mail([ _]?address)?|(first|last|full|given|family)[ _]?name|name|"
    r"surname|forename|(tele)?phone( number)?|mobile( number)?|"
    r"(location[ _]?)?(latitude|longitude)|location[ _]?accuracy)( \(optional\))?$",
    re.IGNORECASE)
# Cells that are whole e-mail or IPv4 addresses: personal data whatever the header says.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_SAMPLE = 200
# Platform bookkeeping: dropped when the layout is recognised (in a plain table a column
# called "Status" may well be employment status).
_PLATFORM = re.compile(
    r"^(start[ _]?(date|time)|end[ _]?(date|time)|completion[ _]?time|last modified time|"
    r"recorded[ _]?date|timestamp|date submitted|submitted|duration( \(in seconds\))?|"
    r"status|progress|finished|collector[ _]?id|user[ _]?language|distribution[ _]?channel|"
    r"recipient.*|external[ _]?(data[ _]?)?reference|externaldatareference|custom data.*|"
    r"response[ _]?set|score|total points|quiz feedback|(points|feedback) - .*|"
    r"q_(recaptchascore|relevantid.*|duplicate.*|ballotboxstuffing)|user[ _]?agent)$",
    re.IGNORECASE)

_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:', re.IGNORECASE)
_QUALTRICS_META = {"startdate", "enddate", "status", "ipaddress", "progress", "finished",
                   "recordeddate", "responseid", "distributionchannel", "userlanguage"}
_MS_FORMS_PREFIX = ("id", "start time", "completion time", "email", "name")
_SM_SUBHEADERS = {"response", "open-ended response"}


def is_metadata(name: str, layout: str) -> bool:
    """Whether a column is platform metadata to drop (personal fields in any layout)."""
    text = " ".join(str(name).split())
    if _PERSONAL.match(text):
        return True
    return layout != "plain" and bool(_PLATFORM.match(text))


def personal_content(values) -> str | None:
    """"e-mail addresses" or "IP addresses" when nine in ten of a column's first 200
    answers are one, else None. ``values`` is a pandas Series."""
    # The first few thousand rows are enough, and keep this cheap on a 100,000-row file.
    sample = values.iloc[:20 * _SAMPLE].dropna().head(_SAMPLE)
    sample = sample[sample.map(lambda v: isinstance(v, str))].str.strip()
    sample = sample[sample != ""]
    if len(sample) < 2:
        return None
    for what, pattern in (("e-mail addresses", _EMAIL), ("IP addresses", _IPV4)):
        if sample.str.match(pattern).mean() >= 0.9:
            return what
    return None


@dataclass
class Layout:
    """What the header rows of an export say.

    ``names`` has one entry per grid column (None: no header cell), ``data_start`` is the
    0-based grid row of the first respondent.
    """

    name: str
    names: list[object]
    data_start: int
    question_text: dict[int, str] = field(default_factory=dict)
    free_text: set[int] = field(default_factory=set)
    groups: dict[str, list[int]] = field(default_factory=dict)  # question -> its columns
    options: dict[int, str] = field(default_factory=dict)  # option label per column
    group_labels: dict[str, str] = field(default_factory=dict)  # question wording per group
    separator: str | None = None  # how multi-select answers are joined in one cell


def _cell(row: Sequence[object], j: int) -> str:
    if j >= len(row) or row[j] is None:
        return ""
    value = row[j]
    if isinstance(value, float) and math.isnan(value):
        return ""
    return " ".join(str(value).split())


def _row(rows: Sequence[Sequence[object]], i: int, width: int) -> list[str]:
    return [_cell(rows[i], j) for j in range(width)] if i < len(rows) else [""] * width


def detect_layout(rows: Sequence[Sequence[object]], header: int) -> Layout:
    """Recognise the platform layout of a grid whose header row is ``rows[header]``.

    ``rows`` needs only the first few rows from the header on. A SurveyMonkey file is
    recognised even when ``header`` points at its second header row (the first one, with
    blanks over multi-column questions, looks too sparse to be a header).
    """
    width = max((len(r) for r in rows[header:header + 4]), default=0)
    head = _row(rows, header, width)
    above = _row(rows, header - 1, width) if header > 0 else None
    below = _row(rows, header + 1, width)
    if above is not None and _is_surveymonkey(above, head):
        return _surveymonkey(above, head, header - 1)
    if _is_surveymonkey(head, below):
        return _surveymonkey(head, below, header)
    third = _row(rows, header + 2, width)
    filled = [c for c in third if c]
    if filled and sum(bool(_IMPORT_ID.match(c)) for c in filled) >= 0.8 * len(filled):
        return _qualtrics(head, below, third, header)
    if sum(bool(re.fullmatch(r"V\d+", c)) for c in head) >= 3 and any(
            c.lower() == "responseid" for c in below):
        return _qualtrics_legacy(head, below, header)
    keys = {c.lower() for c in head}
    if len(keys & _QUALTRICS_META) >= 3 and _is_label_row(head, below):
        return _qualtrics(head, below, None, header)
    if head and head[0].lower() == "timestamp":
        return Layout("google-forms", list(head), header + 1, separator=", ")
    lowered = [c.lower() for c in head[:len(_MS_FORMS_PREFIX)]]
    if tuple(lowered) == _MS_FORMS_PREFIX:
        return Layout("microsoft-forms", list(head), header + 1, separator=";")
    return Layout("plain", list(head), header + 1)


def detect_layout_from_names(names: Sequence[str]) -> Layout:
    """The layout of a file with a single header (SPSS, Parquet): by column names only."""
    head = [" ".join(str(n).split()) for n in names]
    keys = {c.lower() for c in head}
    layout = Layout("plain", list(head), 0)
    if len(keys & _QUALTRICS_META) >= 3:
        layout.name = "qualtrics"
        layout.free_text = {j for j, c in enumerate(head) if c.upper().endswith("_TEXT")}
    elif head and head[0].lower() == "timestamp":
        layout.name, layout.separator = "google-forms", ", "
    elif tuple(c.lower() for c in head[:5]) == _MS_FORMS_PREFIX:
        layout.name, layout.separator = "microsoft-forms", ";"
    return layout


def _is_surveymonkey(top: list[str], sub: list[str]) -> bool:
    """Two header rows: question text (blank over its other columns) over sub-headers."""
    marked = sum(1 for c in sub if c.lower() in _SM_SUBHEADERS)
    if not marked:
        return False
    # The question row leaves blanks where the sub-header row continues a question.
    continued = sum(1 for t, s in zip(top, sub) if not t and s)
    filled = sum(1 for c in sub if c)
    return (continued >= 1 or marked >= 0.5 * filled
            or bool(top and re.fullmatch(r"respondent ?id", top[0], re.IGNORECASE)))


def _surveymonkey(top: list[str], sub: list[str], header: int) -> Layout:
    layout = Layout("surveymonkey", [], header + 2)
    question = ""
    for j, (q, s) in enumerate(zip(top, sub)):
        if q:
            question = q
        if not question:
            layout.names.append(s or None)
            continue
        kind = s.lower()
        if kind in ("", "response") or not q and not s:
            name = question if q else f"{question} - {s}"
        elif kind == "open-ended response":
            name = f"{question} - Other (please specify)"
            layout.free_text.add(j)
        else:
            name = f"{question} - {s}"
            layout.options[j] = s
        layout.names.append(name)
        layout.question_text[j] = question
        layout.groups.setdefault(question, []).append(j)
    layout.groups = {q: cols for q, cols in layout.groups.items() if len(cols) > 1}
    return layout


def _is_label_row(head: list[str], below: list[str]) -> bool:
    """Qualtrics' question-text row: under StartDate it says "Start Date", not a date."""
    for h, b in zip(head, below):
        if h.lower() in ("startdate", "enddate", "recordeddate"):
            return bool(b) and not re.match(r"^\d{1,4}[-/.]\d", b)
    return False


_TAG = re.compile(r"^(?P<base>.+?)_(?P<choice>\d+)$")


def _qualtrics(head: list[str], text: list[str], ids: list[str] | None,
               header: int) -> Layout:
    layout = Layout("qualtrics", list(head), header + (3 if ids is not None else 2))
    for j, tag in enumerate(head):
        wording = text[j] if j < len(text) else ""
        if wording and wording != tag:
            layout.question_text[j] = wording
        import_id = ids[j] if ids is not None and j < len(ids) else ""
        if tag.upper().endswith("_TEXT") or "_TEXT" in import_id.upper():
            layout.free_text.add(j)
            continue
        m = _TAG.match(tag)
        if m:  # Q3_2: choice 2 of Q3 (a grid row, or a split multi-select option)
            layout.groups.setdefault(m["base"], []).append(j)
            if " - " in wording:
                stem, layout.options[j] = wording.rsplit(" - ", 1)
                stem = re.sub(r" - Selected Choice$", "", stem)
                layout.group_labels.setdefault(m["base"], stem)
    layout.groups = {q: cols for q, cols in layout.groups.items() if len(cols) > 1}
    return layout


def _qualtrics_legacy(head: list[str], labels: list[str], header: int) -> Layout:
    """``V1..V10`` name the metadata (their real names are in row 2); ``Q`` tags stay."""
    layout = Layout("qualtrics-legacy", [], header + 2)
    for j, tag in enumerate(head):
        label = labels[j] if j < len(labels) else ""
        if re.fullmatch(r"V\d+", tag) and label:
            layout.names.append(label)
            continue
        layout.names.append(tag or None)
        if label and label != tag:
            layout.question_text[j] = label
        if tag.upper().endswith("_TEXT"):
            layout.free_text.add(j)
            continue
        m = _TAG.match(tag)
        if m:  # Q4_2: choice 2 of Q4; legacy labels join question and choice with "-"
            layout.groups.setdefault(m["base"], []).append(j)
            if "-" in label:
                stem, layout.options[j] = (p.strip() for p in label.rsplit("-", 1))
                layout.group_labels.setdefault(m["base"], stem)
    layout.groups = {q: cols for q, cols in layout.groups.items() if len(cols) > 1}
    return layout
