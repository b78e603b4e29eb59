"""One bad optional cell empties that cell (with a warning row); only required fields reject a row."""

import pandas as pd

from outstaff_analysis.io.store import build_processed


def _raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "clients.csv").write_text("client_id,client_name,signed_at,source\nC1,Ромашка,31.02.2024,referral\n"
                                     "C2,,01.02.2024,cold\nC3,Лютик,01.03.2024,=1+1\n", encoding="utf-8")
    (raw / "specialists.csv").write_text("specialist_id,full_name,role,grade\nS1,A,developer,senior\n")
    (raw / "requests.csv").write_text("request_id,client_id,opened_at,role,status,headcount\n"
                                      "R1,C1,01.02.2022,developer,filled,two\nR2,C2,01.02.2022,qa,open,1\n")
    (raw / "submissions.csv").write_text("request_id,specialist_id,stage,at\nR1,S1,shown,2022-02-02\n"
                                         "R2,S1,shown,2022-02-03\n")
    (raw / "placements.csv").write_text("placement_id,specialist_id,client_id,request_id,started_at,monthly_rate\n"
                                        "P1,S1,C1,R9,01.03.2022,abc\nP2,S1,C2,,01.03.2022,100000\n")
    return raw


def test_a_bad_optional_cell_is_emptied_and_the_row_kept(tmp_path):
    _raw(tmp_path)
    result = build_processed(tmp_path)
    clients = result.tables["clients"].set_index("client_id")
    assert list(clients.index) == ["C1", "C3"]
    assert pd.isna(clients.loc["C1", "signed_at"]) and clients.loc["C1", "source"] == "referral"
    assert clients.loc["C3", "signed_at"] == pd.Timestamp("2024-03-01") and clients.loc["C3", "source"] is None
    # C1's placement, request and submission are all kept
    assert result.tables["requests"]["request_id"].tolist() == ["R1"]
    assert result.tables["requests"]["headcount"].tolist() == [1]  # emptied, then the default
    assert result.tables["placements"]["placement_id"].tolist() == ["P1"]
    placement = result.tables["placements"].iloc[0]
    assert pd.isna(placement["monthly_rate"]) and placement["request_id"] is None
    rejects = pd.read_csv(tmp_path / "processed" / "rejects" / "clients.csv", dtype=str, encoding="utf-8-sig",
                          keep_default_na=False)
    signed = rejects[rejects["column"] == "signed_at"].iloc[0]
    assert (signed["source_row"], signed["value"], signed["outcome"]) == ("2", "31.02.2024", "value emptied")
    assert signed["reason"].startswith("not a valid date")
    assert rejects.set_index("column").loc["client_name", "outcome"] == "row rejected"
    summary = result.summary().set_index("table")
    assert summary.loc["clients", "rows_rejected"] == 1 and summary.loc["clients", "values_emptied"] == 3
    assert summary.loc["placements", "rows_rejected"] == 1 and summary.loc["placements", "values_emptied"] == 2


def test_cascaded_rejects_name_the_parent_row(tmp_path):
    _raw(tmp_path)
    result = build_processed(tmp_path)
    for table, row in (("requests", 3), ("placements", 3)):
        rejects = result.results[table].rejects
        (reason,) = rejects.loc[rejects["source_row"] == row, "reason"]
        assert reason == ("`client_id` refers to a rejected row of `clients`: "
                          f"{tmp_path / 'raw' / 'clients.csv'} row 3 (required value of `client_name` is empty)")
    submissions = result.results["submissions"].rejects
    assert submissions["reason"].tolist() == [(
        "`request_id` refers to a rejected row of `requests`: "
        f"{tmp_path / 'raw' / 'requests.csv'} row 3 (`client_id` refers to a rejected row of `clients`: "
        f"{tmp_path / 'raw' / 'clients.csv'} row 3 (required value of `client_name` is empty))")]
