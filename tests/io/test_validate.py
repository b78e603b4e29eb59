"""Validation: typed columns, rejects with reasons, nothing dropped silently."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.exceptions import SchemaError
from outstaff_analysis.io.parse import parse_datetimes, parse_numbers
from outstaff_analysis.io.validate import validate_table
from outstaff_analysis.schema import TABLES


def raw(rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(rows, dtype=object)
    frame["_source_row"] = np.arange(2, len(frame) + 2)
    return frame


def test_dates_iso_and_russian_and_impossible():
    cells = pd.Series(["2024-03-05", "05.03.2024", "2024-03-05 14:30:00", "05.03.2024 14:30", "31.02.2024",
                       "2024-02-31", "", "yesterday"])
    parsed = parse_datetimes(cells)
    assert parsed[:4].tolist() == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-05"),
                                   pd.Timestamp("2024-03-05 14:30"), pd.Timestamp("2024-03-05 14:30")]
    assert parsed[4:].isna().all()


def test_numbers_with_decimal_comma_and_thousands():
    cells = pd.Series(["250 000,50", "250,000.50", "1.234,5", "3,5", "7", "", "abc", "250\u00a0000"])
    expected = [250000.5, 250000.5, 1234.5, 3.5, 7.0, np.nan, np.nan, 250000.0]
    np.testing.assert_array_equal(parse_numbers(cells).to_numpy(), np.array(expected))


@pytest.mark.parametrize(
    "column, expected",
    [
        (["250,000", "1,234,567"], [250000.0, 1234567.0]),  # the column groups thousands with commas
        (["250,000", "3,5"], [250.0, 3.5]),  # the column writes decimal commas
        (["1.234", "1.234,5"], [1234.0, 1234.5]),
        (["250,000"], [np.nan]),  # nothing decides: rejected, not read as 250
    ],
)
def test_lone_thousands_group_is_decided_by_the_column_or_rejected(column, expected):
    np.testing.assert_array_equal(parse_numbers(pd.Series(column)).to_numpy(), np.array(expected))


def test_utc_offsets_keep_the_wall_clock_time():
    parsed = parse_datetimes(pd.Series(["2024-01-05T10:00:00+03:00", "2024-01-05T10:00:00Z", "2024-01-05 10:00"]))
    assert parsed.tolist() == [pd.Timestamp("2024-01-05 10:00")] * 3


def test_typed_columns_and_defaults():
    result = validate_table(
        raw({"request_id": ["R1"], "client_id": ["C1"], "opened_at": ["01.02.2024 10:15"], "role": ["Developer"],
             "status": ["FILLED"], "headcount": [""]}),
        TABLES["requests"], file="requests.csv",
    )
    clean = result.clean
    assert list(clean.columns) == list(TABLES["requests"].names)
    assert clean.loc[0, "opened_at"] == pd.Timestamp("2024-02-01 10:15")
    assert clean.loc[0, "role"] == "developer" and clean.loc[0, "status"] == "filled"
    assert clean.loc[0, "headcount"] == 1 and str(clean["headcount"].dtype) == "Int64"
    assert clean["closed_at"].isna().all() and clean["closed_at"].dtype == "datetime64[ns]"


def test_each_bad_value_is_a_reject_with_file_row_column_value_and_reason():
    frame = raw({
        "placement_id": ["P1", "P2", "P3", "P1", "P5", "P6"],
        "specialist_id": ["S1", "S1", "S1", "S1", "S1", ""],
        "client_id": ["C1", "C9", "C1", "C1", "C1", "C1"],
        "started_at": ["01.03.2022", "01.03.2022", "01.03.2022", "01.03.2022", "31.02.2024", "2022-01-01"],
        "ended_at": ["", "", "01.02.2022", "", "", ""],
        "end_reason": ["", "", "client_ended", "", "", "fired"],
        "monthly_rate": ["250 000,5", "1", "1", "1", "1", "-5"],
    })
    result = validate_table(frame, TABLES["placements"], file="placements.csv",
                            known_keys={"clients": pd.Index(["C1"]), "specialists": pd.Index(["S1"])})
    assert result.clean["placement_id"].tolist() == ["P1"]
    assert result.clean.loc[0, "monthly_rate"] == 250000.5
    rejects = result.rejects.set_index(["source_row", "column"])
    assert rejects.loc[(3, "client_id"), "reason"] == "unknown `client_id`: not a `client_id` of a valid row in `clients`"
    assert rejects.loc[(3, "client_id"), "value"] == "C9"
    assert rejects.loc[(4, "ended_at"), "reason"].startswith("`ended_at` is before `started_at` of the same row")
    assert rejects.loc[(5, "placement_id"), "reason"] == "duplicate key `placement_id`; first seen at row 2"
    assert rejects.loc[(6, "started_at"), "reason"].startswith("not a valid date; expected a date as YYYY-MM-DD")
    assert rejects.loc[(6, "started_at"), "value"] == "31.02.2024"
    assert rejects.loc[(7, "specialist_id"), "reason"] == "required value of `specialist_id` is empty"
    assert "must be one of ['client_ended'" in rejects.loc[(7, "end_reason"), "reason"]
    assert rejects.loc[(7, "monthly_rate"), "reason"] == (
        "a monthly rate of -5 is outside the plausible range 100 to 10,000,000; no currency given, so the widest "
        "range of all currencies (settings: monthly_rate_bounds)")
    assert set(result.rejects["source_file"]) == {"placements.csv"}
    # nothing dropped silently: every input row is clean or rejected
    assert len(result.clean) + result.rows_rejected == result.rows_read == 6


def test_unknown_grade_message_names_the_allowed_values():
    result = validate_table(raw({"specialist_id": ["S1"], "full_name": ["A"], "role": ["qa"], "grade": ["sr"]}),
                            TABLES["specialists"], file="specialists.csv")
    (reason,) = result.rejects["reason"]
    assert reason == "The value for `grade` must be one of ['junior', 'middle', 'senior', 'lead']"
    assert result.rejects.loc[0, "value"] == "sr"


def test_missing_required_column_raises_naming_file_and_column():
    with pytest.raises(SchemaError, match=r"file clients\.csv, column `client_name`: missing required column "
                                          r"`client_name` of table `clients`; expected columns \['client_id', "
                                          r"'client_name'\], found \['client_id', 'segment'\]"):
        validate_table(raw({"client_id": ["C1"], "segment": ["x"]}), TABLES["clients"], file="clients.csv")


def test_malformed_row_from_reader_is_rejected():
    frame = raw({"client_id": ["C1", "C2"], "client_name": ["A", "B"]})
    frame["_row_problem"] = ["", "the row has 3 fields but the header has 2"]
    result = validate_table(frame, TABLES["clients"], file="clients.csv")
    assert result.clean["client_id"].tolist() == ["C1"]
    assert result.rejects.loc[0, "column"] == "*"
    assert result.rejects.loc[0, "source_row"] == 3


def test_missing_transcript_file_is_rejected(tmp_path):
    (tmp_path / "ok.txt").write_text("A: hi", encoding="utf-8")
    frame = raw({"interview_id": ["I1", "I2"], "client_id": ["C1", "C1"], "held_at": ["2024-01-01"] * 2,
                 "transcript": ["ok.txt", "missing.vtt"]})
    result = validate_table(frame, TABLES["interviews"], file="interviews.csv", transcripts_dir=tmp_path)
    assert result.clean["interview_id"].tolist() == ["I1"]
    assert result.clean.loc[0, "language"] == "auto"
    assert result.rejects.loc[0, "reason"].startswith("transcript file not found under")


def test_a_missing_transcripts_folder_is_the_reason_given(tmp_path):
    frame = raw({"interview_id": ["I1"], "client_id": ["C1"], "held_at": ["2024-01-01"], "transcript": ["ok.txt"]})
    folder = tmp_path / "transcripts"
    result = validate_table(frame, TABLES["interviews"], file="interviews.csv", transcripts_dir=folder)
    assert result.clean.empty
    assert result.rejects.loc[0, "reason"] == f"transcripts folder not found: {folder}"
