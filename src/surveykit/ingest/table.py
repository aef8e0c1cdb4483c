"""The shape every reader returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class MultiSet:
    """A tick-all-that-apply question as the export describes it.

    Either one column per option (``columns``, with ``options`` their labels; a cell is ticked
    when it holds ``counted_value``, or when not blank/0/"No" if that is None) or one column
    of answers joined by ``separator`` (``column``).

    Attributes
    ----------
    id
        A short name: the SPSS set name (``$race``) or the export tag of the question.
    label
        The question wording.
    options
        Option labels, in export order (empty for a joined column: inference finds them).
    columns
        The option columns, same order as ``options``.
    column
        The single column of joined answers.
    separator
        What joins the answers in ``column`` (Microsoft Forms: ``";"``).
    counted_value
        The value that means "ticked" in an SPSS dichotomy set.
    kind
        ``"dichotomy"`` (one column per option) or ``"categories"`` (SPSS category set: each
        column holds one chosen category) or ``"joined"``.
    """

    id: str
    label: str
    options: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    column: str | None = None
    separator: str | None = None
    counted_value: object = None
    kind: str = "dichotomy"


@dataclass(frozen=True, eq=False)
class RawTable:
    """A table of responses as read, before any codebook is applied.

    Attributes
    ----------
    frame
        One row per respondent, one column per export column (header text as names). Cells
        hold what the file holds: text, numbers, or for SPSS files the *value label* of a
        coded answer (see ``value_labels``), so a codebook written for a text export also
        fits the ``.sav`` of the same survey.
    source
        The file it came from (``archive.zip!member.csv`` for a member of an archive).
    first_data_row
        Row number (1-based, as a spreadsheet shows it) of ``frame``'s first row, so errors
        can point the analyst at the right line. For SPSS and Parquet files, which have no
        header row, it is 1: the case number.
    sheet
        The worksheet read, for Excel files.
    layout
        The export layout recognised: ``"plain"``, ``"qualtrics"``, ``"qualtrics-legacy"``,
        ``"surveymonkey"``, ``"google-forms"``, ``"microsoft-forms"``, ``"spss"``.
    question_text
        Column name -> full question wording, where the export carries it separately
        (Qualtrics' second header row, SPSS variable labels).
    dropped
        Platform metadata columns removed on reading (e-mail, IP address ...).
    format
        The reader used: ``"csv"``, ``"excel"``, ``"spss"`` or ``"parquet"``.
    encoding
        The text encoding a CSV file was decoded with.
    value_labels
        Column -> ``{code: label}`` in code order, for SPSS columns with value labels (and
        ordered categoricals in Parquet). ``frame`` holds the labels; the codes give their
        order, which inference uses to build a scale.
    missing_values
        Column -> answers (as they appear in ``frame``) that the file declares missing
        (SPSS user-missing values such as -99 or "Refused"): not-applicable answers.
    multi_sets
        Tick-all-that-apply questions the export declares (SPSS multiple-response sets,
        SurveyMonkey option columns, Qualtrics split choices, Forms' joined answers).
    free_text
        Columns the export marks as free text (Qualtrics ``_TEXT``, SurveyMonkey
        "Open-Ended Response").
    warnings
        Things the reader fixed or assumed that the analyst should know (renamed duplicate
        columns, the encoding guessed, empty rows kept).
    """

    frame: pd.DataFrame
    source: str
    first_data_row: int = 2
    sheet: str | None = None
    layout: str = "plain"
    question_text: dict[str, str] = field(default_factory=dict)
    dropped: tuple[str, ...] = ()
    format: str = "csv"
    encoding: str | None = None
    value_labels: dict[str, dict[float | str, str]] = field(default_factory=dict)
    missing_values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    multi_sets: tuple[MultiSet, ...] = ()
    free_text: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of respondents (rows of ``frame``)."""
        return len(self.frame)

    def label(self, column: str) -> str:
        """The question wording of ``column`` (its name when the export has none)."""
        return self.question_text.get(column) or column
