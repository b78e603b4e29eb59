"""`outstaff show`: one question's tidy table, printed or written, the same figures as the library."""

import pandas as pd
import pytest
from typer.testing import CliRunner

import outstaff_analysis as oa
from outstaff_analysis.cli import app
from outstaff_analysis.io.store import build_processed
from outstaff_analysis.show import tidy_table, write_table

runner = CliRunner()


@pytest.fixture(scope="module")
def data(demo_data_dir):
    return oa.load(demo_data_dir, as_of="2024Q3")


def test_survival_by_grade_is_the_library_table_as_of_the_quarter_end(demo_data_dir, data, tmp_path):
    expected = oa.survival.survival_at(data.tenure(), by="grade", settings=data.settings)
    result = runner.invoke(app, ["show", "survival", "--by", "grade", "--quarter", "2024Q3",
                                 "--data-dir", str(demo_data_dir), "--out", str(tmp_path / "s.parquet")])
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} rows of `survival` as of 2024-09-30 written to" in result.output
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "s.parquet"), expected)
    printed = runner.invoke(app, ["show", "survival", "-b", "grade", "-q", "2024Q3", "-d", str(demo_data_dir)])
    assert printed.exit_code == 0, printed.output
    junior = expected[(expected["grade"] == "junior") & (expected["time_days"] == 365)].iloc[0]
    assert f"{junior['estimate']:,.3f}" in printed.output and "survival as of 2024-09-30" in printed.output


def test_quarter_keeps_that_quarter_of_tables_by_period(data):
    funnel = tidy_table(data, "funnel", by=["client_id"], quarter="2024Q3")
    assert set(funnel["period"]) == {"2024Q3"} and funnel["client_id"].nunique() > 5
    counts = oa.funnel.funnel_counts(data.requests, data.submissions, as_of=data.as_of, by="client_id")
    north = funnel[funnel["rate"] == "approved_per_shown"].set_index("client_id")
    q3 = counts[counts["period"] == "2024Q3"].set_index("client_id")
    assert (north["successes"] == q3.loc[north.index, "approved"]).all()
    assert (north["trials"] == q3.loc[north.index, "shown"]).all()
    sla = tidy_table(data, "sla", quarter="2024Q3")
    assert set(sla["period"]) == {"2024Q3"} and set(sla["kind"]) == {"message", "bug", "replacement"}
    with pytest.raises(ValueError, match=r"`by` of the CSI must be 'client_id' or nothing"):
        tidy_table(data, "csi", by="grade")
    with pytest.raises(ValueError, match=r"`what` must be one of \['funnel', 'survival', 'sla', 'csi'\]"):
        tidy_table(data, "churn")


def test_csv_output_neutralises_spreadsheet_formulas(tmp_path):
    frame = pd.DataFrame({"client_id": ["=HYPERLINK(\"http://x\")", "C2"], "estimate": [-0.5, 0.25]})
    write_table(frame, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "-0.5" in text
    with pytest.raises(ValueError, match=r"suffix of `--out` must be .csv, .xlsx or .parquet"):
        write_table(frame, tmp_path / "t.json")


def test_show_on_a_funnel_only_export(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "requests.csv").write_text("request_id,client_id,opened_at,role,status\nR1,ACME,2024-01-10,qa,open\n")
    (raw / "submissions.csv").write_text("request_id,specialist_id,stage,at\nR1,S1,shown,2024-01-15\n"
                                         "R1,S1,interview,2024-01-20\n")
    (raw / "specialists.csv").write_text("specialist_id,full_name\nS1,Anna\n")
    build_processed(tmp_path)
    result = runner.invoke(app, ["show", "funnel", "-d", str(tmp_path), "-o", str(tmp_path / "f.csv")])
    assert result.exit_code == 0, result.output
    funnel = pd.read_csv(tmp_path / "f.csv", encoding="utf-8-sig").set_index("rate")
    assert funnel.loc["interview_per_shown", ["successes", "trials"]].tolist() == [1, 1]
    result = runner.invoke(app, ["show", "survival", "-d", str(tmp_path)])
    assert result.exit_code == 1
    assert "`survival` needs table placements, which the export in" in result.output


def test_reports_on_a_funnel_only_export_name_the_missing_tables(tmp_path):
    from outstaff_analysis.reporting.inputs import load_inputs

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "requests.csv").write_text("request_id,client_id,opened_at,role,status\nR1,ACME,2024-01-10,qa,open\n")
    (raw / "submissions.csv").write_text("request_id,specialist_id,stage,at\nR1,S1,shown,2024-01-15\n")
    build_processed(tmp_path)
    with pytest.raises(ValueError, match=r"the reports need table clients, table specialists, table placements, "
                                         r"which the export in .* does not have"):
        load_inputs(tmp_path, as_of="2024Q1")
