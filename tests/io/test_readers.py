"""Readers: encodings, separators, XLSX header detection, Parquet, empty and malformed files."""

import pandas as pd
import pytest

from outstaff_analysis.exceptions import SchemaError
from outstaff_analysis.io.readers import read_table_file

ROWS = "specialist_id;full_name;role;grade\nS1;Иван Петров;developer;senior\nS2;Пётр Ёлкин;qa;middle\n"


@pytest.mark.parametrize(
    "encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1251", b"")], ids=["utf8", "bom", "cp1251"]
)
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_csv_encodings_and_separators_read_the_same(tmp_path, encoding, prefix, separator):
    path = tmp_path / "specialists.csv"
    path.write_bytes(prefix + ROWS.replace(";", separator).encode(encoding))
    frame = read_table_file(path)
    assert list(frame.columns[:4]) == ["specialist_id", "full_name", "role", "grade"]
    assert frame["full_name"].tolist() == ["Иван Петров", "Пётр Ёлкин"]
    assert frame["_source_row"].tolist() == [2, 3]


def test_source_rows_count_blank_lines_and_title_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("\n\nid,name\nA,x\n\nB,y\n", encoding="utf-8")
    frame = read_table_file(path)
    assert frame["id"].tolist() == ["A", "B"]
    assert frame["_source_row"].tolist() == [4, 6]


def test_quoted_decimal_comma_in_comma_file_is_one_field(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,rate\nP1,"250000,50"\n', encoding="utf-8")
    assert read_table_file(path)["rate"].tolist() == ["250000,50"]


def test_row_with_too_many_fields_is_flagged_not_dropped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,rate\nP1,250000,50\nP2,1\n", encoding="utf-8")
    frame = read_table_file(path)
    assert len(frame) == 2
    assert "3 fields but the header has 2" in frame.loc[0, "_row_problem"]
    assert frame.loc[1, "_row_problem"] == ""


def test_unclosed_quote_is_flagged_with_the_lines_it_swallowed(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,name,role\nS1,"Ivan ""the"" Best,qa\nS2,Petr,qa\nS3,Anna,qa\n', encoding="utf-8")
    frame = read_table_file(path)
    assert len(frame) == 1 and frame.loc[0, "_source_row"] == 2
    assert frame.loc[0, "_row_problem"] == (
        "the row has 2 fields but the header has 3 (separator ','); a quoted cell runs from line 2 to line 4: "
        "is a closing quote missing?")


def test_short_row_is_flagged_and_quoted_newline_is_one_cell(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,name,role\nS1,"two\nlines",qa\nS2,Petr\nS3,A\x1cB,qa\n', encoding="utf-8")
    frame = read_table_file(path)
    assert frame["id"].tolist() == ["S1", "S2", "S3"]
    assert frame["_source_row"].tolist() == [2, 4, 5]
    assert frame["_row_problem"].tolist() == ["", "the row has 2 fields but the header has 3 (separator ',')", ""]
    assert frame.loc[2, "name"] == "A\x1cB"


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "clients.csv"
    path.write_bytes(content)
    with pytest.raises(SchemaError, match=r"clients\.csv: the file is empty; expected a header row"):
        read_table_file(path)


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(SchemaError, match=r"nothere\.csv: file not found"):
        read_table_file(tmp_path / "nothere.csv")
    (tmp_path / "t.json").write_text("{}")
    with pytest.raises(SchemaError, match=r"unsupported file type '\.json'"):
        read_table_file(tmp_path / "t.json")


def test_duplicated_header_names_are_an_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,id\n1,2\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"duplicated column names \['id'\]"):
        read_table_file(path)


def test_xlsx_with_header_on_row_3(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Выгрузка из CRM, 2024"])
    sheet.append([])
    sheet.append(["client_id", "client_name", "signed_at"])
    sheet.append(["C1", "Acme", "05.03.2022"])
    sheet.append(["C2", "Beta", pd.Timestamp("2023-01-02").to_pydatetime()])
    path = tmp_path / "clients.xlsx"
    book.save(path)
    frame = read_table_file(path)
    assert frame["client_id"].tolist() == ["C1", "C2"]
    assert frame["signed_at"].tolist() == ["05.03.2022", "2023-01-02 00:00:00"]
    assert frame["_source_row"].tolist() == [4, 5]
    assert read_table_file(path, header_row=3)["client_name"].tolist() == ["Acme", "Beta"]


def test_parquet_cells_become_strings(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"id": ["P1", "P2"], "rate": [1.5, None], "n": [2, 3]}).to_parquet(path)
    frame = read_table_file(path)
    assert frame["rate"].tolist() == ["1.5", ""]
    assert frame["n"].tolist() == ["2", "3"]


def test_xlsx_header_is_the_row_with_the_expected_names(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Выгрузка"])
    sheet.append(["client_id", "client_name"])
    sheet.append(["C1", "Acme", "a note in a third cell"])
    path = tmp_path / "clients.xlsx"
    book.save(path)
    frame = read_table_file(path, expected=("client_id", "client_name"))
    assert frame["client_id"].tolist() == ["C1"]


def test_corrupt_parquet_is_a_clear_error(tmp_path):
    path = tmp_path / "p.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(SchemaError, match=r"p\.parquet: cannot read the Parquet file"):
        read_table_file(path)
