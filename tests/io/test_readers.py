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
