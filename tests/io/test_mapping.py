"""Mapping files: renames and recodes from a CRM export into the data model."""

import pandas as pd
import pytest

from outstaff_analysis.exceptions import SchemaError
from outstaff_analysis.io.mapping import apply_mapping, load_mapping

MAPPING = """
tables:
  placements:
    file: Размещения.csv
    header_row: 2
    columns:
      ID размещения: placement_id
      " Дата выхода ": started_at
    values:
      end_reason:
        Клиент завершил: client_ended
        УШЁЛ САМ: specialist_left
"""


def test_rename_and_recode_ignore_case_and_spaces(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    mapping = load_mapping(path)
    assert mapping.table("placements").file == "Размещения.csv"
    assert mapping.table("placements").header_row == 2
    raw = pd.DataFrame({"id размещения": ["P1", "P2", "P3"], "Дата выхода": ["x", "y", "z"],
                        "END_REASON": ["клиент завершил", "ушёл сам", "other"], "Client_ID": ["C1"] * 3})
    mapped = apply_mapping(raw, "placements", mapping.table("placements"))
    assert list(mapped.columns) == ["placement_id", "started_at", "end_reason", "client_id"]
    assert mapped["end_reason"].tolist() == ["client_ended", "specialist_left", "other"]


def test_table_without_entry_maps_by_name():
    mapping = load_mapping(None)
    raw = pd.DataFrame({"Client_ID": ["C1"], "extra": [1]})
    assert list(apply_mapping(raw, "clients", mapping.table("clients")).columns) == ["client_id", "extra"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("tables:\n  clientz: {}\n", r"The table `clientz` must be one of \['clients'"),
        ("tables:\n  clients:\n    columns: {Имя: name}\n", r"the column `name` must be one of \['client_id'"),
        ("tables:\n  clients:\n    colums: {}\n", r"unknown keys \['colums'\]"),
        ("tables:\n  clients:\n    header_row: 0\n", r"`header_row` must be a positive integer"),
        ("tablez: {}\n", r"unknown top-level keys \['tablez'\]"),
        ("tables: [\n", r"not valid YAML"),
    ],
)
def test_bad_mapping_files_name_the_problem(tmp_path, text, message):
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        load_mapping(path)


def test_missing_mapping_file(tmp_path):
    with pytest.raises(SchemaError, match=r"mapping file not found"):
        load_mapping(tmp_path / "nope.yaml")


def test_two_columns_mapping_to_one_name_is_a_clear_error():
    mapping = load_mapping(None)
    raw = pd.DataFrame({"client_id": ["C1"], "CLIENT_ID ": ["C2"]})
    with pytest.raises(SchemaError, match=r"clients\.csv, column `client_id`: columns \['client_id', 'CLIENT_ID '\] "
                                          r"both map to `client_id`"):
        apply_mapping(raw, "clients", mapping.table("clients"), file="clients.csv")
