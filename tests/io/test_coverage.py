"""Partial exports: a funnel-only ATS export ingests, says what it supports and what it could not check."""

import json

import pandas as pd
import pytest

from outstaff_analysis.io.coverage import analysis_support, read_manifest, unchecked_references
from outstaff_analysis.io.store import build_processed, load_processed, validate_raw


@pytest.fixture
def funnel_only(tmp_path):
    """An ATS export: requests, submissions and candidates with only an id and a name."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "requests.csv").write_text(
        "request_id,client_id,opened_at,role,status,closed_at\n"
        "R1,ACME,2024-01-10,developer,filled,2024-02-01\n"
        "R2,GLOBEX,2024-02-01,qa,open,\n")
    (raw / "submissions.csv").write_text(
        "request_id,specialist_id,stage,at\n"
        "R1,S1,shown,2024-01-15\nR1,S1,interview,2024-01-20\nR1,S1,approved,2024-01-25\n"
        "R1,S1,started,2024-02-01\nR2,S2,shown,2024-02-10\nR2,S3,shown,2024-02-11\n")
    (raw / "specialists.csv").write_text("specialist_id,full_name\nS1,Anna\nS2,Boris\n")
    return tmp_path


def test_funnel_only_export_ingests_and_checks_the_references_it_can(funnel_only):
    result = build_processed(funnel_only)
    assert result.present == ("specialists", "requests", "submissions")
    summary = result.summary().set_index("table")
    assert summary["rows_valid"].to_dict() == {"clients": 0, "specialists": 2, "requests": 2, "submissions": 5,
                                               "placements": 0, "interviews": 0, "sla_events": 0}
    # S3 is not among the specialists present: that reference is checked and the row rejected
    rejects = result.results["submissions"].rejects
    assert rejects[["source_row", "column", "value"]].values.tolist() == [[7, "specialist_id", "S3"]]
    # clients are absent: requests' clients are not checked, and the run says so
    assert result.notes == ("`requests.client_id` is not checked: table `clients` is not in the export or has no rows",)
    assert result.tables["specialists"]["grade"].isna().all()  # optional at ingest
    support = result.supported_analyses().set_index("analysis")
    assert support["supported"].to_dict() == {
        "staffing funnel": True, "time to fill": True, "share of requests closed": True,
        "placement survival": False, "placement survival by role and grade": False,
        "account lifetime and LTV": False, "SLA compliance": False, "CSI from interview transcripts": False,
        "client and portfolio reports": False}
    assert support.loc["placement survival by role and grade", "missing"] == (
        "table placements, column specialists.role, column specialists.grade")
    assert read_manifest(funnel_only) == ("specialists", "requests", "submissions")
    assert json.loads((funnel_only / "processed" / "manifest.json").read_text())["present"] == [
        "requests", "specialists", "submissions"]
    assert load_processed(funnel_only)["placements"].empty


def test_a_header_only_stub_does_not_reject_every_reference(funnel_only):
    (funnel_only / "raw" / "clients.csv").write_text("client_id,client_name\n")
    result = validate_raw(funnel_only)
    assert result.results["requests"].rows_rejected == 0
    assert result.notes[0].startswith("`requests.client_id` is not checked")


def test_a_present_table_with_rows_is_checked(funnel_only):
    (funnel_only / "raw" / "clients.csv").write_text("client_id,client_name\nACME,Acme\n")
    result = validate_raw(funnel_only)
    rejects = result.results["requests"].rejects
    assert rejects[["source_row", "column", "value"]].values.tolist() == [[3, "client_id", "GLOBEX"]]
    assert result.notes == ()


def test_unchecked_references_lists_every_reference_to_a_missing_table():
    assert unchecked_references(["placements"]) == [
        f"`placements.{c}` is not checked: table `{t}` is not in the export or has no rows"
        for c, t in (("client_id", "clients"), ("specialist_id", "specialists"), ("request_id", "requests"))]


def test_support_needs_values_in_the_columns_an_analysis_needs():
    specialists = pd.DataFrame({"specialist_id": ["S1"], "role": ["qa"], "grade": [None]})
    support = analysis_support(["placements", "specialists"], {"placements": pd.DataFrame(),
                                                               "specialists": specialists})
    assert support.set_index("analysis").loc["placement survival by role and grade", "missing"] == (
        "column specialists.grade")


def test_an_analysis_that_needs_an_optional_field_says_so(funnel_only):
    from outstaff_analysis import survival
    from outstaff_analysis.exceptions import MissingFieldError
    from outstaff_analysis.funnel import funnel_counts

    tables = build_processed(funnel_only).tables
    with pytest.raises(MissingFieldError, match=r"grouping by \['grade'\] needs `grade`, but it holds no value in any "
                                                r"row; it is optional at ingest, so add it to the export of "
                                                r"`specialists` or `requests`"):
        funnel_counts(tables["requests"], tables["submissions"], as_of="2024-03-31", by="grade")
    counts = funnel_counts(tables["requests"], tables["submissions"], as_of="2024-03-31", by="role", freq=None)
    assert counts.set_index("role")["shown"].to_dict() == {"developer": 1, "qa": 1}
    placements = pd.DataFrame({"placement_id": ["P1"], "specialist_id": ["S1"], "client_id": ["ACME"],
                               "started_at": pd.to_datetime(["2024-02-01"]), "ended_at": pd.NaT,
                               "end_reason": None, "monthly_rate": 1.0, "currency": "USD"})
    tenure = survival.tenure_frame(placements, as_of="2024-03-31", specialists=tables["specialists"])
    with pytest.raises(MissingFieldError, match=r"needs `grade`"):
        survival.survival_at(tenure, by="grade")
