"""Raw -> processed: the whole run, rejects files, idempotence, raw data untouched."""

import pandas as pd
import pytest

from outstaff_analysis.exceptions import SchemaError
from outstaff_analysis.io.store import build_processed, load_processed, validate_raw


def test_full_run_writes_processed_and_rejects_and_leaves_raw_untouched(tmp_path, write_minimal_raw, tree_hash):
    raw = tmp_path / "raw"
    write_minimal_raw(raw)
    before = tree_hash(raw)
    result = build_processed(tmp_path)
    assert tree_hash(raw) == before
    summary = result.summary().set_index("table")
    assert summary.loc["clients", "rows_rejected"] == 1
    # C2 was rejected, so the placement that refers to it is rejected too
    assert summary.loc["placements", "rows_rejected"] == 1
    assert result.total_rejected == 2
    assert summary.loc["interviews", "file"] == "(absent)"
    assert summary.loc["clients", "values_emptied"] == 1
    rejects = pd.read_csv(tmp_path / "processed" / "rejects" / "placements.csv")
    assert rejects.loc[0, "source_row"] == 3 and rejects.loc[0, "column"] == "client_id"
    assert rejects.loc[0, "reason"].endswith("clients.csv row 3 (required value of `client_name` is empty)")
    assert (tmp_path / "processed" / "rejects" / "requests.csv").read_text(encoding="utf-8-sig").startswith("source_file,source_row")
    tables = load_processed(tmp_path)
    assert tables["placements"]["monthly_rate"].tolist() == [250000.5]
    assert tables["interviews"].empty and list(tables["interviews"].columns)[0] == "interview_id"


def test_rebuilding_is_idempotent(tmp_path, write_minimal_raw):
    write_minimal_raw(tmp_path / "raw")
    build_processed(tmp_path)
    first = {p.name: p.read_bytes() for p in (tmp_path / "processed").rglob("*") if p.is_file()}
    build_processed(tmp_path)
    second = {p.name: p.read_bytes() for p in (tmp_path / "processed").rglob("*") if p.is_file()}
    assert first == second


def test_a_raw_folder_without_any_table_names_what_was_expected(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "notes.txt").write_text("not a table")
    with pytest.raises(SchemaError, match=r"raw: no table found; expected some of clients\.csv, specialists\.csv"):
        validate_raw(tmp_path)


def test_mapping_file_in_raw_is_used(tmp_path, write_minimal_raw):
    raw = tmp_path / "raw"
    write_minimal_raw(raw)
    (raw / "clients.csv").write_text("ID;Название;Источник\nC1;Ромашка;Рекомендация\nC2;Лютик;Сайт\n")
    (raw / "mapping.yaml").write_text(
        "tables:\n  clients:\n    columns: {ID: client_id, Название: client_name, Источник: source}\n"
        "    values:\n      source: {Рекомендация: referral, Сайт: inbound}\n", encoding="utf-8")
    result = validate_raw(tmp_path)
    assert result.tables["clients"]["source"].tolist() == ["referral", "inbound"]
    assert result.total_rejected == 0


def test_load_before_build_says_what_to_do(tmp_path):
    with pytest.raises(SchemaError, match=r"processed table not found; build it first with `outstaff ingest`"):
        load_processed(tmp_path)
