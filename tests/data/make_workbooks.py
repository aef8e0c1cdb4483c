"""Write ``parity.xls`` (Excel 97-2003) and ``parity.ods`` (OpenDocument), the small survey
of ``tests/test_ingest_formats.py`` (ROWS) in the two workbook formats surveykit reads but
cannot write in the tests (they need xlwt and odfpy, which surveykit does not depend on),
and ``password.xlsx``, the same survey encrypted with the password "survey" the way Excel
does it (ECMA-376 agile encryption, by msoffcrypto-tool), for the bad-input tests.

Run once, in a throwaway environment, and commit the files:

    python -m venv /tmp/gen && /tmp/gen/bin/pip install xlwt odfpy pandas openpyxl \
        msoffcrypto-tool
    /tmp/gen/bin/python tests/data/make_workbooks.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["id", "Team", "Q1", "Q2", "Q3"]
ROWS = [  # keep in step with tests/test_ingest_formats.py
    (1, "North", "Agree", "Strongly agree", "Disagree"),
    (2, "South", "Disagree", "Agree", "Agree"),
    (3, "North", "Strongly agree", "Neither agree nor disagree", "Agree"),
    (4, "East", "Agree", "Agree", "Strongly disagree"),
    (5, "South", "Neither agree nor disagree", "Disagree", "Agree"),
    (6, "East", "Strongly disagree", "Agree", "Strongly agree"),
    (7, "North", "Agree", "Strongly disagree", "Agree"),
    (8, "South", "Agree", "Agree", "Neither agree nor disagree"),
]
# A notes sheet first, as platforms write them, so the data sheet must be chosen.
NOTES = [["Staff survey export"], ["Exported for the parity test"]]


def write_xls(path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    for name, rows in (("Notes", NOTES), ("Data", [COLUMNS, *ROWS])):
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    book.save(str(path))


def write_ods(path: Path) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame(NOTES).to_excel(writer, sheet_name="Notes", index=False, header=False)
        pd.DataFrame(ROWS, columns=COLUMNS).to_excel(writer, sheet_name="Data", index=False)


def write_encrypted_xlsx(path: Path, password: str = "survey") -> None:
    import io

    import msoffcrypto
    import pandas as pd
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    pd.DataFrame(ROWS, columns=COLUMNS).to_excel(plain, index=False, engine="openpyxl")
    plain.seek(0)
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt(password, out)
    with path.open("rb") as fh:  # check that it opens again with the password
        office = msoffcrypto.OfficeFile(fh)
        office.load_key(password=password)
        office.decrypt(io.BytesIO())


if __name__ == "__main__":
    write_xls(HERE / "parity.xls")
    write_ods(HERE / "parity.ods")
    write_encrypted_xlsx(HERE / "password.xlsx")
    print("wrote parity.xls, parity.ods and password.xlsx")
