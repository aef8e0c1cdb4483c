"""Bad input: each case ends in an InputError naming the file, or reads with a warning.

The generators for the broken files are here, built in ``tmp_path``: nothing broken is
committed.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from surveykit.errors import CodebookError, InputError
from surveykit.inference import infer_codebook
from surveykit.ingest import read_table
from surveykit.ingest.detect import OLE2_SIGNATURE

GOOD_ROWS = [["id", "Team", "Q1"], [1, "North", "Agree"], [2, "South", "Disagree"],
             [3, "North", "Strongly agree"]]


def xlsx(path: Path, rows: list[list], merge: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def raises(path: Path, pattern: str, **options) -> InputError:
    """read_table fails with an InputError whose one line names the file and says why."""
    with pytest.raises(InputError) as info:
        read_table(path, **options)
    line = str(info.value)
    assert line.startswith(str(path)), line
    assert "\n" not in line
    assert re.search(pattern, line), line
    return info.value


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx", "empty.sav", "empty.parquet"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    raises(path, "the file is empty")


def test_blank_text_file(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\n  \n", encoding="utf-8")
    raises(path, "the file is empty")


def test_missing_file_and_folder(tmp_path):
    raises(tmp_path / "nope.csv", "file not found")
    raises(tmp_path, "is a folder")


def test_truncated_xlsx(tmp_path):
    good = xlsx(tmp_path / "good.xlsx", GOOD_ROWS).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    raises(path, "not a readable Excel workbook: the file is truncated or corrupt")


def test_encrypted_workbook(tmp_path):
    # Excel saves a password-protected .xlsx as an OLE2 compound file with an
    # "EncryptionInfo" stream; the signature and the stream name are what we look for.
    path = tmp_path / "locked.xlsx"
    path.write_bytes(OLE2_SIGNATURE + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
                     + b"\x00" * 2048)
    raises(path, "password-protected")


def test_really_encrypted_workbook(tmp_path):
    """tests/data/password.xlsx: a survey saved with a password (ECMA-376 agile
    encryption, as Excel 2010 and later write it), under any name."""
    data = (Path(__file__).parent / "data" / "password.xlsx").read_bytes()
    assert data.startswith(OLE2_SIGNATURE)
    for name in ("locked.xlsx", "locked.csv", "locked"):
        path = tmp_path / name
        path.write_bytes(data)
        raises(path, "the workbook is password-protected")


def test_ole_file_that_is_not_encrypted_is_called_old_xls_or_protected(tmp_path):
    path = tmp_path / "old.xlsx"
    path.write_bytes(OLE2_SIGNATURE + b"\x00" * 4096)
    raises(path, "OLE2 .* password-protected workbook or an old-format .xls")


def test_zip_bomb_is_refused_before_extraction(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("responses.csv", b"0" * (20 * 1024**2))  # 20 MB of zeros: ~20 KB packed
    raises(path, r"expands \d+ times .* zip bomb")


def test_zip_sizes_are_checked_before_anything_is_extracted(tmp_path, monkeypatch):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("responses.csv", b"0" * (20 * 1024**2))

    def no_extraction(*args, **kwargs):
        raise AssertionError("a member was opened before the size check")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_extraction)
    raises(path, "zip bomb")


def test_gzip_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    path.write_bytes(comp.compress(b"\0" * (20 * 1024**2)) + comp.flush())
    raises(path, "zip bomb")


def test_zip_with_several_files(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.csv", "id,Q1\n1,Agree\n")
        zf.writestr("b.csv", "id,Q1\n2,Agree\n")
    raises(path, "exactly one survey export; this one holds 2 \\(a.csv, b.csv\\)")


def test_corrupt_zip_and_gzip(tmp_path):
    bad_zip = tmp_path / "bad.zip"
    bad_zip.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    raises(bad_zip, "not a readable zip archive|not a readable Excel workbook")
    bad_gz = tmp_path / "bad.csv.gz"
    bad_gz.write_bytes(b"\x1f\x8b\x08\x00" + b"garbage" * 10)
    raises(bad_gz, "not a readable gzip file")


def test_binary_file_named_csv(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 20)
    raises(path, "not a text file")


def test_unexpected_encoding_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "ru.csv"
    text = "id,Отдел,Q1\n" + "".join(f"{i},Финансы и бухгалтерия,Agree\n" for i in range(40))
    path.write_bytes(text.encode("cp1251"))
    table = read_table(path)
    assert table.encoding not in ("utf-8", "cp1252")
    assert any("not UTF-8: decoded as" in w for w in table.warnings)
    assert "Отдел" in table.frame.columns


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_only_headers(tmp_path, kind):
    if kind == "csv":
        path = tmp_path / "h.csv"
        path.write_text("id,Team,Q1\n", encoding="utf-8")
    else:
        path = xlsx(tmp_path / "h.xlsx", [GOOD_ROWS[0]])
    raises(path, "the file has a header row but no responses")


def test_single_respondent_reads(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("id,Q1,Q2\n1,Agree,Disagree\n", encoding="utf-8")
    table = read_table(path)
    assert table.frame.shape == (1, 3) and table.first_data_row == 2


def test_all_answers_missing(tmp_path):
    path = tmp_path / "blank_answers.csv"
    path.write_text("id,Q1,Q2\n1,,\n2,,\n3,,\n", encoding="utf-8")
    table = read_table(path)  # reading is fine: three respondents, no answers
    assert table.frame.shape == (3, 3)
    with pytest.raises(CodebookError, match="no survey items recognised"):
        infer_codebook(table)


def _with_cached_results(path: Path, results: dict[str, str]) -> None:
    """Give openpyxl's formula cells the cached results Excel would have saved."""
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for formula, value in results.items():
        sheet = sheet.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{value}</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_column_of_formulas_reads_cached_values(tmp_path):
    rows = [["id", "score", "double"]] + [[i, i + 1, f"=B{i + 1}*2"] for i in range(1, 5)]
    path = xlsx(tmp_path / "f.xlsx", rows)
    _with_cached_results(path, {f"B{i + 1}*2": str((i + 1) * 2) for i in range(1, 5)})
    table = read_table(path)
    assert table.frame["double"].tolist() == [4, 6, 8, 10]


def test_formulas_without_cached_values_read_as_blank(tmp_path):
    rows = [["id", "Q1", "calc"], [1, "Agree", "=1+1"], [2, "Disagree", "=1+2"]]
    table = read_table(xlsx(tmp_path / "f.xlsx", rows))
    assert table.frame["calc"].isna().all()  # calamine never evaluates a formula
    assert any("'calc' are blank" in w and "formulas whose results were never saved" in w
               for w in table.warnings)


def test_merged_header_cells_are_named_after_the_merged_cell(tmp_path):
    rows = [["id", "Satisfaction", None, None, "Team"],
            [1, "Satisfied", "Dissatisfied", "Satisfied", "North"],
            [2, "Dissatisfied", "Satisfied", "Satisfied", "South"]]
    table = read_table(xlsx(tmp_path / "m.xlsx", rows, merge="B1:D1"))
    assert list(table.frame.columns) == ["id", "Satisfaction", "Satisfaction (2)",
                                         "Satisfaction (3)", "Team"]
    assert any("merged header" in w for w in table.warnings)


def test_duplicate_column_names_are_made_unique(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,Q1,Q1,q1,Team\n1,Agree,Disagree,Agree,North\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.frame.columns) == ["id", "Q1", "Q1 (2)", "q1 (3)", "Team"]
    assert any("duplicate column names made unique" in w and "'Q1' -> 'Q1 (2)'" in w
               for w in table.warnings)


def test_header_row_outside_the_file(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("id,Q1\n1,Agree\n", encoding="utf-8")
    raises(path, "header row 9 is outside the file's 2 rows", header_row=9)


def test_corrupt_spss_and_parquet(tmp_path):
    sav = tmp_path / "bad.sav"
    sav.write_bytes(b"$FL2" + b"\x00" * 100)
    raises(sav, "not a readable SPSS file")
    pq = tmp_path / "bad.parquet"
    pq.write_bytes(b"PAR1" + b"\x00" * 100)
    raises(pq, "not a readable Parquet file")


def test_text_file_named_xlsx_is_read_as_text(tmp_path):
    path = tmp_path / "s.xlsx"
    path.write_text("id,Q1\n1,Agree\n2,Disagree\n", encoding="utf-8")
    table = read_table(path)
    assert table.format == "csv" and table.frame.shape == (2, 2)
    assert any("holds text" in w for w in table.warnings)


def test_workbook_with_no_data(tmp_path):
    path = xlsx(tmp_path / "blank.xlsx", [])
    raises(path, "every sheet is empty")


def test_parquet_without_rows(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "empty_rows.parquet"
    pd.DataFrame({"id": pd.Series([], dtype=int), "Q1": pd.Series([], dtype=str)}).to_parquet(
        path)
    raises(path, "columns but no rows")


# ---------------------------------------------------------------- the corpus through the CLI
#
# Each broken file goes through `surveykit analyse` and `surveykit init` as an analyst would
# run them: the exit code, the one line on stderr, no output written (not even a folder),
# and the input file byte for byte as it was.

def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("responses.csv", b"0" * (20 * 1024**2))
    return path


def _locked(path: Path) -> Path:
    """A workbook really encrypted as Excel does it (tests/data/make_workbooks.py)."""
    path.write_bytes((Path(__file__).parent / "data" / "password.xlsx").read_bytes())
    return path


def _truncated(path: Path) -> Path:
    good = xlsx(path.with_name("good.xlsx"), GOOD_ROWS).read_bytes()
    path.write_bytes(good[: len(good) // 2])
    return path


def _write(name: str, data: bytes):
    def make(path: Path) -> Path:
        path = path.with_name(name)
        path.write_bytes(data)
        return path
    return make


FAILS = {  # case -> (make the file in tmp_path, pattern of the one-line message)
    "empty file": (_write("empty.csv", b""), r"empty\.csv: the file is empty$"),
    "empty workbook file": (_write("empty.xlsx", b""), r"empty\.xlsx: the file is empty$"),
    "truncated xlsx": (_truncated, r"cut\.xlsx: not a readable Excel workbook: the file is "
                                   r"truncated or corrupt"),
    "corrupt xlsx": (_write("junk.xlsx", b"PK\x03\x04" + b"\x07" * 300),
                     r"junk\.xlsx: not a readable Excel workbook"),
    "zip bomb": (_bomb, r"bomb\.zip: the archive expands \d+ times \(over 100x\): refusing "
                        r"a possible zip bomb"),
    "password-protected workbook": (_locked, r"locked\.xlsx: the workbook is "
                                             r"password-protected"),
    "only headers": (_write("headers.csv", b"id,Team,Q1\r\n"),
                     r"headers\.csv: the file has a header row but no responses"),
    "single respondent": (_write("one.csv", b"id,Team,Q1,Q2\n1,North,Agree,Disagree\n"),
                          r"one\.csv: only 1 response: too few"),
    "all answers missing": (_write("blank.csv", b"id,Q1,Q2\n1,,\n2,,\n3,,\n"),
                            r"blank\.csv: no survey items recognised"),
    "aggregated counts": (_write("counts.csv", b"Strongly disagree,Disagree,Neutral,Agree,"
                                               b"Strongly agree,Question\n1,2,17,51,25,Q1\n"
                                               b"2,6,19,40,32,Q2\n"),
                          r"counts\.csv: this looks like a table of counts already "
                          r"aggregated"),
    "binary junk named csv": (_write("data.csv", bytes(range(256)) * 20),
                              r"data\.csv: this is not a text file"),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


@pytest.mark.parametrize("case", list(FAILS))
@pytest.mark.parametrize("command", ["analyse", "init"])
def test_bad_input_through_the_cli(tmp_path, case, command):
    from typer.testing import CliRunner

    from surveykit.cli import app

    make, pattern = FAILS[case]
    path = make(tmp_path / {"zip bomb": "bomb.zip", "password-protected workbook":
                            "locked.xlsx", "truncated xlsx": "cut.xlsx"}.get(case, "x"))
    before = _snapshot(tmp_path)
    target = tmp_path / ("out" if command == "analyse" else "codebook.yaml")
    result = CliRunner().invoke(app, [command, str(path), "-o", str(target)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("surveykit: error: "), result.stderr
    assert re.search(pattern, lines[0]), lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert not target.exists()  # no paper, no draft codebook, not even an empty folder
    assert _snapshot(tmp_path) == before  # the input untouched, nothing left beside it


WARNS = {  # files analysis can still be honest about: exit 0, outputs, and a warning
    "unexpected encoding": ("ru.csv", "id,Отдел,Q1\n" + "".join(
        f"{i},{'Финансы' if i % 2 else 'Кадры'},{'Agree' if i % 3 else 'Disagree'}\n"
        for i in range(40)), "cp1251", r"not UTF-8: decoded as"),
    "Excel cp1252": ("w.csv", "id,Team,Q1\n" + "".join(
        f"{i},{'Café' if i % 2 else 'Thé'},{'Agree' if i % 3 else 'Disagree'}\n"
        for i in range(40)), "cp1252", r"not UTF-8: decoded as cp1252"),
}


@pytest.mark.parametrize("case", list(WARNS))
def test_unexpected_encoding_through_the_cli(tmp_path, case):
    from typer.testing import CliRunner

    from surveykit.cli import app

    name, text, encoding, pattern = WARNS[case]
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    data = path.read_bytes()
    runner = CliRunner()
    # init and validate say what the reader assumed ...
    for args in (["init", str(path), "-o", str(tmp_path / "cb.yaml")], ["validate", str(path)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert any(re.search(pattern, line) for line in result.stderr.splitlines()
                   if line.startswith("warning: ")), result.stderr
    # ... and analyse reads the file as decoded: the group names come out right.
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyse", str(path), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    text_out = (out / "results.json").read_text(encoding="utf-8")
    assert json.loads(text_out)["respondents"] == 40
    assert ("Финансы" in text_out) if encoding == "cp1251" else ("Café" in text_out)
    assert path.read_bytes() == data


def test_merged_header_and_formula_columns_through_the_cli(tmp_path):
    """Merged header cells and formulas read with warnings; analysis goes on."""
    from typer.testing import CliRunner

    from surveykit.cli import app

    rows = [["id", "Satisfaction", None, "Team", "calc"]] + [
        [i, ["Satisfied", "Dissatisfied", "Very satisfied"][i % 3],
         ["Dissatisfied", "Satisfied"][i % 2], ["North", "South"][i % 2], f"=A{i + 1}*2"]
        for i in range(1, 25)]
    path = xlsx(tmp_path / "m.xlsx", rows, merge="B1:C1")
    data = path.read_bytes()
    runner = CliRunner()
    result = runner.invoke(app, ["validate", str(path)])
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert any("merged header" in w and "'Satisfaction (2)'" in w for w in warnings)
    assert any("'calc' are blank" in w for w in warnings)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyse", str(path), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [i["label"] for i in payload["items"]] == ["Satisfaction", "Satisfaction (2)"]
    assert path.read_bytes() == data
