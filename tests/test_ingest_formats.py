"""Readers: formats found by content and extension, encodings, delimiters, sheets, headers.

Every input is built in ``tmp_path`` by the helpers here, so what each test reads is visible
beside the assertion.
"""

from __future__ import annotations

import gzip
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from surveykit.errors import InputError, UsageError
from surveykit.ingest import detect_format, read_survey, read_table
from surveykit.model import Breakdown, Codebook, Item
from surveykit.presets import AGREE5
from surveykit.survey import Survey

AGREE = list(AGREE5.labels)


def _real() -> Path | None:
    env = os.environ.get("SURVEYKIT_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
    return path if path.is_dir() else None


REAL = _real()
needs_real = pytest.mark.skipif(REAL is None, reason="../shared/data/real is not present")
ROWS = [  # id, team, q1, q2, q3
    (1, "North", "Agree", "Strongly agree", "Disagree"),
    (2, "South", "Disagree", "Agree", "Agree"),
    (3, "North", "Strongly agree", "Neither agree nor disagree", "Agree"),
    (4, "East", "Agree", "Agree", "Strongly disagree"),
    (5, "South", "Neither agree nor disagree", "Disagree", "Agree"),
    (6, "East", "Strongly disagree", "Agree", "Strongly agree"),
    (7, "North", "Agree", "Strongly disagree", "Agree"),
    (8, "South", "Agree", "Agree", "Neither agree nor disagree"),
]
COLUMNS = ["id", "Team", "Q1", "Q2", "Q3"]


def survey_frame() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=COLUMNS)


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def table_rows() -> list[list]:
    return [COLUMNS] + [list(r) for r in ROWS]


# ---------------------------------------------------------------- CSV: encodings, delimiters

@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"),
])
def test_csv_unicode_encodings_decode_without_warning(tmp_path, encoding, expected):
    sep = "\t" if encoding == "utf-16" else ","  # Excel's "Unicode text" is UTF-16 + tabs
    text = sep.join(["id", "Team", "Q1"]) + "\n" + sep.join(["1", "Café", "Agree"]) + "\n"
    table = read_table(write_csv(tmp_path / "s.csv", text, encoding))
    assert table.encoding == expected
    assert list(table.frame.columns) == ["id", "Team", "Q1"]
    assert table.frame.loc[0, "Team"] == "Café"
    assert table.warnings == ()


def test_csv_cp1252_is_decoded_and_says_so(tmp_path):
    text = "id,Team,Q1\n1,Café – Ops,Agree\n2,Paisley,Disagree\n"
    table = read_table(write_csv(tmp_path / "s.csv", text, "cp1252"))
    assert table.encoding == "cp1252"
    assert table.frame.loc[0, "Team"] == "Café – Ops"
    assert any("not UTF-8" in w and "cp1252" in w for w in table.warnings)


def test_csv_utf16_without_bom_is_recognised(tmp_path):
    text = "id,Q1\n1,Agree\n2,Disagree\n"
    table = read_table(write_csv(tmp_path / "s.csv", text, "utf-16-le"))
    assert table.frame["Q1"].tolist() == ["Agree", "Disagree"]
    assert table.encoding == "utf-16-le"


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_delimiter_is_sniffed(tmp_path, sep):
    text = "\n".join(sep.join(map(str, r)) for r in table_rows()) + "\n"
    table = read_table(write_csv(tmp_path / "s.txt", text))
    assert list(table.frame.columns) == COLUMNS
    assert table.frame["Q3"].tolist() == [r[4] for r in ROWS]


def test_commas_win_over_pipes_inside_answers(tmp_path):
    # OSMI-style: comma-separated file whose multi-select answers are joined by "|"
    text = "id,Which apply?,Q1\n1,A|B,Agree\n2,B,Agree\n3,A|C|B,Disagree\n4,C,Agree\n"
    table = read_table(write_csv(tmp_path / "s.csv", text))
    assert table.frame["Which apply?"].tolist() == ["A|B", "B", "A|C|B", "C"]


def test_byte_order_marks_inside_cells_are_removed(tmp_path):
    # LimeSurvey writes a BOM before some answers: "\ufeff1 (None at all)"
    text = "id,Q1\n1,\ufeff1 (None at all)\n2,10 (All my time)\n"
    table = read_table(write_csv(tmp_path / "s.csv", text))
    assert table.frame["Q1"].tolist() == ["1 (None at all)", "10 (All my time)"]


def test_read_survey_keeps_what_the_reader_assumed(tmp_path):
    text = "id,Team,Q1\n1,Café,Agree\n2,Thé,Disagree\n3,Café,Agree\n"
    cb = Codebook(items=(Item("q1", "Q1", "Q1", AGREE5),))
    survey = read_survey(write_csv(tmp_path / "s.csv", text, "cp1252"), cb)
    assert survey.warnings[0].startswith("not UTF-8: decoded as cp1252")


def test_cells_stay_text_as_written(tmp_path):
    table = read_table(write_csv(tmp_path / "s.csv", "id,code\n1,04\n2,1.0\n"))
    assert table.frame["code"].tolist() == ["04", "1.0"]


# ---------------------------------------------------------------- headers and rows

def test_title_rows_above_the_header_are_skipped(tmp_path):
    text = ("Staff survey 2024,,,,\nExported 1 May 2024,,,,\n,,,,\n"
            + "\n".join(",".join(map(str, r)) for r in table_rows()) + "\n")
    table = read_table(write_csv(tmp_path / "s.csv", text))
    assert list(table.frame.columns) == COLUMNS
    assert table.first_data_row == 5  # header on row 4
    assert len(table.frame) == len(ROWS)


def test_header_row_can_be_given(tmp_path):
    text = "a,b,c,d,e\nNotes: wave 2,x,y,z,w\n" + "\n".join(
        ",".join(map(str, r)) for r in table_rows()) + "\n"
    table = read_table(write_csv(tmp_path / "s.csv", text), header_row=3)
    assert list(table.frame.columns) == COLUMNS
    assert table.first_data_row == 4


def test_trailing_blank_rows_dropped_interior_blank_rows_kept(tmp_path):
    text = "id,Q1\n1,Agree\n,\n3,Disagree\n,\n,\n"
    table = read_table(write_csv(tmp_path / "s.csv", text))
    assert len(table.frame) == 3  # row 3 of the file stays, so row numbers match
    assert table.frame["Q1"].isna().tolist() == [False, True, False]
    assert any("empty row" in w and "row 3" in w for w in table.warnings)


def test_trailing_delimiters_do_not_make_columns(tmp_path):
    table = read_table(write_csv(tmp_path / "s.csv", "id,Q1,\n1,Agree,\n2,Disagree,\n"))
    assert list(table.frame.columns) == ["id", "Q1"]


def test_personal_metadata_dropped_unless_kept(tmp_path):
    text = "id,IP Address,Email,Q1\n1,10.0.0.1,a@b.org,Agree\n2,10.0.0.2,c@d.org,Agree\n"
    path = write_csv(tmp_path / "s.csv", text)
    table = read_table(path)
    assert list(table.frame.columns) == ["id", "Q1"]
    assert table.dropped == ("IP Address", "Email")
    kept = read_table(path, keep_metadata=True)
    assert "Email" in kept.frame.columns and kept.dropped == ()


def test_personal_columns_dropped_by_name_or_by_content(tmp_path):
    text = ("id,Your name,Phone number,Team name,Contact,Machine,Q1\n"
            "1,Ann Example,0141 000 0000,North,ann@example.org,10.1.2.3,Agree\n"
            "2,Bob Example,0141 000 0001,South,bob@example.org,192.168.0.9,Agree\n"
            "3,Cat Example,0141 000 0002,North, CAT@Example.ORG ,10.1.2.4,Disagree\n")
    table = read_table(write_csv(tmp_path / "s.csv", text))
    assert list(table.frame.columns) == ["id", "Team name", "Q1"]
    assert table.dropped == ("Your name", "Phone number", "Contact", "Machine")
    assert "column 'Contact' holds e-mail addresses: left out of the analysis and every " \
           "output" in table.warnings
    assert any("'Machine' holds IP addresses" in w for w in table.warnings)
    # An answer that mentions an address is not a column of addresses.
    text = "id,Comments,Q1\n1,write to a@b.org,Agree\n2,all good,Agree\n3,fine,Agree\n"
    assert "Comments" in read_table(write_csv(tmp_path / "c.csv", text)).frame.columns


# ---------------------------------------------------------------- Excel

def test_xlsx_skips_notes_sheet_and_title_rows(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", {
        "Notes": [["About this file"], ["Exported from the HR system"], ["Contact: x"]],
        "Responses": [["Staff survey 2024"], [], *table_rows()],
    })
    table = read_table(path)
    assert table.sheet == "Responses"
    assert list(table.frame.columns) == COLUMNS
    assert table.first_data_row == 4
    assert table.frame["id"].tolist() == list(range(1, 9))


def test_xlsx_sheet_by_name_or_index(tmp_path):
    other = [["id", "Q1"], [1, "Agree"], [2, "Agree"]]
    path = write_xlsx(tmp_path / "s.xlsx", {"Wave 1": table_rows(), "Wave 2": other})
    assert read_table(path, sheet="wave 2").sheet == "Wave 2"
    assert read_table(path, sheet=1).frame.shape == (2, 2)
    assert read_table(path, sheet="0").sheet == "Wave 1"
    with pytest.raises(InputError, match=r"no worksheet 'Wave 3' \(sheets: Wave 1, Wave 2\)"):
        read_table(path, sheet="Wave 3")
    with pytest.raises(InputError, match="no worksheet number 5"):
        read_table(path, sheet=5)


def test_xlsx_whole_numbers_are_integers(tmp_path):
    rows = [["id", "grade", "Q1"], [1, 3, "Agree"], [2, 4, "Agree"], [3, 3, "Disagree"]]
    table = read_table(write_xlsx(tmp_path / "s.xlsx", {"Data": rows}))
    assert str(table.frame["grade"].dtype) == "Int64"
    cb = Codebook(items=(Item("q1", "Q1", "Q1", AGREE5),),
                  breakdowns=(Breakdown("grade", "grade", "Grade"),))
    assert Survey.from_frame(table.frame, cb).groups["grade"] == ("3", "4")  # not "3.0"


def test_excel_file_with_csv_name_is_read_as_excel(tmp_path):
    xlsx = write_xlsx(tmp_path / "s.xlsx", {"Data": table_rows()})
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(xlsx.read_bytes())
    table = read_table(renamed)
    assert table.format == "excel" and list(table.frame.columns) == COLUMNS
    assert any("named '.csv' but is an Excel workbook" in w for w in table.warnings)
    assert detect_format(renamed) == "excel"


# ---------------------------------------------------------------- compressed, forced format

def test_gzipped_csv(tmp_path):
    text = "\n".join(",".join(map(str, r)) for r in table_rows()) + "\n"
    path = tmp_path / "s.csv.gz"
    path.write_bytes(gzip.compress(text.encode()))
    table = read_table(path)
    assert list(table.frame.columns) == COLUMNS and table.source == str(path)


def test_zip_with_one_workbook(tmp_path):
    xlsx = write_xlsx(tmp_path / "inner.xlsx", {"Data": table_rows()})
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(xlsx, "survey/responses.xlsx")
        zf.writestr("__MACOSX/._responses.xlsx", b"resource fork")
    table = read_table(path)
    assert table.format == "excel" and table.frame.shape == (8, 5)
    assert table.source == f"{path}!survey/responses.xlsx"


def test_format_argument_forces_the_reader(tmp_path):
    path = write_csv(tmp_path / "s.dat", "id,Q1\n1,Agree\n")
    assert read_table(path, format="csv").frame.shape == (1, 2)
    with pytest.raises(UsageError, match="unknown input format 'foo'"):
        read_table(path, format="foo")


# ---------------------------------------------------------------- SPSS and Parquet

def write_sav(path: Path) -> Path:
    pyreadstat = pytest.importorskip("pyreadstat")
    code = {lab: i + 1 for i, lab in enumerate(AGREE)}
    teams = {"East": 1, "North": 2, "South": 3}
    frame = pd.DataFrame({
        "id": [float(r[0]) for r in ROWS],
        "Team": [float(teams[r[1]]) for r in ROWS],
        "Q1": [float(code[r[2]]) for r in ROWS],
        "Q2": [float(code[r[3]]) for r in ROWS],
        "Q3": [float(code[r[4]]) for r in ROWS],
    })
    labels = {lab_code: lab for lab, lab_code in code.items()}
    pyreadstat.write_sav(
        frame, str(path),
        column_labels={"Team": "Team", "Q1": "I feel valued", "Q2": "I have the tools",
                       "Q3": "My manager supports me"},
        variable_value_labels={"Team": {v: k for k, v in teams.items()}, "Q1": labels,
                               "Q2": labels, "Q3": labels})
    return path


def test_sav_codes_become_labels_and_metadata_is_kept(tmp_path):
    table = read_table(write_sav(tmp_path / "s.sav"))
    assert table.format == "spss" and table.first_data_row == 1
    assert table.frame["Q1"].tolist() == [r[2] for r in ROWS]
    assert table.frame["Team"].tolist() == [r[1] for r in ROWS]
    assert table.value_labels["Q1"] == {float(i + 1): lab for i, lab in enumerate(AGREE)}
    assert table.question_text["Q2"] == "I have the tools"


def test_sav_user_missing_values_are_listed(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"q": [1.0, 2.0, 3.0, 9.0, -99.0, 2.0]})
    path = tmp_path / "m.sav"
    pyreadstat.write_sav(frame, str(path),
                         variable_value_labels={"q": {1.0: "Low", 2.0: "Medium", 3.0: "High",
                                                      9.0: "Refused"}},
                         missing_ranges={"q": [9.0, -99.0]})
    table = read_table(path)
    assert table.frame["q"].tolist() == ["Low", "Medium", "High", "Refused", "-99", "Medium"]
    assert set(table.missing_values["q"]) == {"Refused", "-99"}


def test_sav_header_row_is_ignored_with_a_warning(tmp_path):
    table = read_table(write_sav(tmp_path / "s.sav"), header_row=3)
    assert table.frame.shape == (8, 5)
    assert any("ignored for spss" in w for w in table.warnings)


@needs_real
def test_real_spss_multiple_response_sets():
    table = read_table(REAL / "pyreadstat-test_data" / "simple_alltypes.sav")
    sets = {s.id: s for s in table.multi_sets}
    assert sets["mymrset"].kind == "dichotomy"
    assert sets["mymrset"].columns == ("bool1", "bool2", "bool3")
    assert sets["mymrset"].label == "My multiple response set"
    assert sets["categorical_array"].kind == "categories"
    assert sets["categorical_array"].options == ("a", "b", "c", "d")  # from value labels


@needs_real
def test_real_spss_category_set_is_a_multi_question():
    from surveykit.inference import infer_codebook

    table = read_table(REAL / "pyreadstat-test_data" / "simple_alltypes.sav")
    cb = infer_codebook(table)
    multi = {m.id: m for m in cb.multi}
    assert multi["categorical_array"].coding == "categories"
    assert multi["categorical_array"].columns == ("ca_subvar_1", "ca_subvar_2", "ca_subvar_3")
    assert not {b.column for b in cb.breakdowns} & {"ca_subvar_1", "ca_subvar_2"}
    survey = Survey.from_frame(table.frame, cb)
    # a: rows 1, 2, 5; b: every row; c: rows 2, 3, 6; d: rows 3, 5, 6 (pyreadstat's file)
    assert survey.multi_ticks["categorical_array"].sum(axis=0).tolist() == [3, 6, 3, 3]


@needs_real
@pytest.mark.parametrize("name", ["sample.sav", "sample.zsav", "sample.por"])
def test_real_spss_variants_read_alike(name):
    table = read_table(REAL / "pyreadstat-test_data" / name)
    assert table.format == "spss" and table.frame.shape == (5, 7)
    labelled = next(c for c in table.frame.columns if c.lower() == "mylabl")
    assert set(table.frame[labelled].dropna()) == {"Male", "Female"}


@needs_real
def test_real_spss_user_missing_becomes_not_applicable():
    table = read_table(REAL / "spss_codebook_export" / "spss27.sav")
    assert table.missing_values == {"sex": ("-99",)}
    assert "-99" in table.frame["sex"].tolist()


def test_parquet_ordered_categorical_keeps_its_order(tmp_path):
    pytest.importorskip("pyarrow")
    frame = survey_frame()
    frame["Q1"] = pd.Categorical(frame["Q1"], categories=AGREE, ordered=True)
    path = tmp_path / "s.parquet"
    frame.to_parquet(path)
    table = read_table(path)
    assert table.format == "parquet"
    assert table.value_labels["Q1"] == {i + 1: lab for i, lab in enumerate(AGREE)}
    assert table.frame["Q1"].tolist() == [r[2] for r in ROWS]


# ---------------------------------------------------------------- parity across formats

@pytest.fixture
def same_survey_four_ways(tmp_path) -> dict[str, Path]:
    pytest.importorskip("pyarrow")
    frame = survey_frame()
    csv_path = tmp_path / "s.csv"
    frame.to_csv(csv_path, index=False)
    return {
        "csv": csv_path,
        "xlsx": write_xlsx(tmp_path / "s.xlsx", {"Data": table_rows()}),
        "sav": write_sav(tmp_path / "s.sav"),
        "parquet": (frame.to_parquet(tmp_path / "s.parquet"), tmp_path / "s.parquet")[1],
    }


def test_same_survey_in_four_formats_codes_identically(same_survey_four_ways):
    codebook = Codebook(
        items=tuple(Item(q.lower(), q, q, AGREE5) for q in ("Q1", "Q2", "Q3")),
        breakdowns=(Breakdown("team", "Team", "Team", groups=("North", "South", "East")),),
        id_column="id")
    surveys = {fmt: read_survey(path, codebook) for fmt, path in same_survey_four_ways.items()}
    reference = surveys["csv"]
    assert reference.item_codes[0].tolist() == [3, 4, 1]
    for fmt, survey in surveys.items():
        assert np.array_equal(survey.item_codes, reference.item_codes), fmt
        assert dict(survey.groups) == dict(reference.groups), fmt
        assert np.array_equal(survey.group_codes["team"], reference.group_codes["team"]), fmt


def _results(survey) -> dict:
    """The survey analysed and suppressed as a run does (the dict holds no file name)."""
    from surveykit import analyse, suppress

    return suppress(analyse(survey), min_group=2).to_dict()


def test_same_survey_in_four_formats_gives_identical_results(same_survey_four_ways, tmp_path):
    """The whole analysis (counts, percentages, tests, suppression), not just the coding."""
    codebook = Codebook(
        items=tuple(Item(q.lower(), q, q, AGREE5) for q in ("Q1", "Q2", "Q3")),
        breakdowns=(Breakdown("team", "Team", "Team", groups=("North", "South", "East")),),
        id_column="id")
    paths = dict(same_survey_four_ways)
    paths["csv.gz"] = tmp_path / "s.csv.gz"
    paths["csv.gz"].write_bytes(gzip.compress(paths["csv"].read_bytes()))
    results = {fmt: _results(read_survey(path, codebook)) for fmt, path in paths.items()}
    reference = results["csv"]
    assert reference["respondents"] == 8
    q1_north = next(g for g in reference["items"][0]["by"]["team"]["groups"]
                    if g["group"] == "North")
    assert q1_north["n"] == 3  # ids 1, 3, 7: Agree, Strongly agree, Agree
    assert q1_north["pct_positive"] == 100.0
    for fmt, payload in results.items():
        assert payload == reference, fmt
    # Inferred codebooks too; the .sav alone carries question wording (variable labels).
    inferred = {fmt: _results(read_survey(path)) for fmt, path in paths.items()}
    for item in inferred["sav"]["items"]:
        assert item["label"] != item["id"].upper()
        item["label"] = item["id"].upper()
    for fmt, payload in inferred.items():
        assert payload == inferred["csv"], fmt


DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize("name", ["parity.xls", "parity.ods"])
def test_old_excel_and_opendocument_workbooks_give_identical_results(name, tmp_path):
    """The same survey as an Excel 97-2003 .xls and an OpenDocument .ods (written by
    tests/data/make_workbooks.py, a notes sheet before the data): the data sheet is
    found and the analysis equals the CSV's, with the codebook given or inferred."""
    codebook = Codebook(
        items=tuple(Item(q.lower(), q, q, AGREE5) for q in ("Q1", "Q2", "Q3")),
        breakdowns=(Breakdown("team", "Team", "Team", groups=("North", "South", "East")),),
        id_column="id")
    csv_path = tmp_path / "s.csv"
    survey_frame().to_csv(csv_path, index=False)
    assert detect_format(DATA / name) == "excel"
    table = read_table(DATA / name)
    assert list(table.frame.columns) == COLUMNS
    assert table.frame["id"].tolist() == [r[0] for r in ROWS]  # whole numbers, not 1.0
    assert _results(read_survey(DATA / name, codebook)) == _results(read_survey(csv_path,
                                                                                codebook))
    assert _results(read_survey(DATA / name)) == _results(read_survey(csv_path))


def test_inferred_codebooks_agree_across_formats(same_survey_four_ways):
    surveys = {fmt: read_survey(path) for fmt, path in same_survey_four_ways.items()}
    reference = surveys["csv"]
    for fmt, survey in surveys.items():
        assert [i.column for i in survey.codebook.items] == ["Q1", "Q2", "Q3"], fmt
        assert np.array_equal(survey.item_codes, reference.item_codes), fmt
        assert set(survey.groups["team"]) == {"East", "North", "South"}, fmt


# ---------------------------------------------------------------- reading options on the CLI

def test_sheet_header_row_and_format_in_flags(tmp_path):
    from typer.testing import CliRunner

    from surveykit.cli import app

    runner = CliRunner()
    rows = [[f"id {i}" for i in range(5)], ["Exported by HR", None, None, None, None],
            *table_rows()]
    book = write_xlsx(tmp_path / "s.xlsx", {"Wave 1": [["id", "Q1"], [1, "Agree"]],
                                            "Wave 2": rows})
    out = tmp_path / "out"
    # --sheet by name, --header-row past a junk first row that looks like a header
    result = runner.invoke(app, ["analyse", str(book), "--sheet", "wave 2", "--header-row",
                                 "3", "--out", str(out), "--format", "json", "--min-group", "2"])
    assert result.exit_code == 0, result.output
    payload = json.loads((out / "results.json").read_text())
    assert payload["respondents"] == 8
    assert [i["label"] for i in payload["items"]] == ["Q1", "Q2", "Q3"]
    bad = runner.invoke(app, ["init", str(book), "--sheet", "Wave 9", "-o",
                              str(tmp_path / "cb.yaml")])
    assert bad.exit_code == 1
    assert "no worksheet 'Wave 9' (sheets: Wave 1, Wave 2)" in bad.stderr
    # --format-in: a CSV with a name that says nothing
    data = tmp_path / "export.dat"
    data.write_text("\n".join(",".join(map(str, r)) for r in table_rows()) + "\n")
    draft = tmp_path / "cb.yaml"
    result = runner.invoke(app, ["init", str(data), "--format-in", "csv", "-o", str(draft)])
    assert result.exit_code == 0, result.output
    assert "column: Q3" in draft.read_text()
    wrong = runner.invoke(app, ["init", str(data), "--format-in", "sas", "-o",
                                str(tmp_path / "x.yaml")])
    assert wrong.exit_code == 2 and "unknown input format 'sas'" in wrong.stderr
