"""The shape every reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True, eq=False)
class RawTable:
    """A table of responses as read, before any codebook is applied.

    Attributes
    ----------
    frame
        One row per respondent, one column per export column (header text as names).
    source
        The file it came from.
    first_data_row
        Row number (1-based, as a spreadsheet shows it) of ``frame``'s first row, so errors
        can point the analyst at the right line.
    sheet
        The worksheet read, for Excel files.
    layout
        The export layout recognised (``"plain"``, ``"qualtrics"``, ``"surveymonkey"`` ...).
    question_text
        Column name -> full question wording, where the export carries it separately.
    dropped
        Platform metadata columns removed on reading (e-mail, IP address ...).
    """

    frame: pd.DataFrame
    source: str
    first_data_row: int = 2
    sheet: str | None = None
    layout: str = "plain"
    question_text: dict[str, str] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()
