"""The small error hierarchy the CLI turns into one line and an exit code.

Every error raised for bad input says *where*: the file, and where it makes sense the
row (as the analyst sees it in a spreadsheet, 1-based, header rows counted) and column.
"""

from __future__ import annotations


class SurveykitError(Exception):
    """Base class: anything the user can fix by changing input, codebook or flags."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.row = row
        self.column = column
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Return ``file, row R, column 'C': message`` with the parts that are known."""
        where = []
        if self.path:
            where.append(str(self.path))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = " ".join(self.message.split())  # one line, always
        return f"{', '.join(where)}: {text}" if where else text


class InputError(SurveykitError):
    """The data file is missing, unreadable or malformed."""


class CodebookError(SurveykitError):
    """The codebook is malformed or does not match the data."""


class DisclosureError(SurveykitError):
    """Nothing can be reported without breaking the anonymity threshold."""


class UsageError(SurveykitError):
    """Flags or configuration that cannot work together (exit code 2)."""

    exit_code = 2
