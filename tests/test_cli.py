"""The `outstaff` command: thin commands, readable help, one-line errors with exit code 1."""

import gc
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from outstaff_analysis.cli import app, main

runner = CliRunner()


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "validate", "ingest"):
        assert command in result.output


def test_the_program_leaves_its_objects_to_the_os_when_it_exits(monkeypatch, capsys):
    # without it, exit walked every object of the report stack twice more (1.1 s of a report's 8.5 s)
    monkeypatch.setattr(sys, "argv", ["outstaff", "--help"])
    before = gc.get_freeze_count()
    try:
        with pytest.raises(SystemExit) as ended:
            main()
        assert ended.value.code == 0
        assert "ingest" in capsys.readouterr().out
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_pyproject_runs_the_program_through_main():
    from pathlib import Path

    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'outstaff = "outstaff_analysis.cli:main"' in pyproject


def test_missing_raw_dir_is_one_line_error_not_traceback(tmp_path):
    result = runner.invoke(app, ["ingest", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "raw data directory not found" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("strict, code", [(False, 0), (True, 1)])
def test_validate_reports_rejects_and_strict_fails(tmp_path, write_minimal_raw, strict, code):
    write_minimal_raw(tmp_path / "raw")
    result = runner.invoke(app, ["validate", "--data-dir", str(tmp_path)] + (["--strict"] if strict else []))
    assert result.exit_code == code
    assert "2 rows would be rejected" in result.output
    assert not (tmp_path / "processed").exists()


@pytest.mark.parametrize("strict, code", [(False, 0), (True, 1)])
def test_ingest_strict_fails_when_a_row_is_rejected(tmp_path, write_minimal_raw, strict, code):
    write_minimal_raw(tmp_path / "raw")
    result = runner.invoke(app, ["ingest", "--data-dir", str(tmp_path)] + (["--strict"] if strict else []))
    assert result.exit_code == code, result.output
    assert "2 rows rejected" in result.output
    assert (tmp_path / "processed" / "placements.parquet").is_file()


def test_ingest_of_a_partial_export_says_what_it_supports_and_did_not_check(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "requests.csv").write_text("request_id,client_id,opened_at,role,status\nR1,ACME,2024-01-10,qa,open\n")
    (raw / "submissions.csv").write_text("request_id,specialist_id,stage,at\nR1,S1,shown,2024-01-15\n")
    (raw / "specialists.csv").write_text("specialist_id,full_name\nS1,Anna\n")
    result = runner.invoke(app, ["ingest", "--data-dir", str(tmp_path), "--strict"])
    assert result.exit_code == 0, result.output
    assert "note: `requests.client_id` is not checked: table `clients` is not in the export" in result.output
    assert "Supported: staffing funnel, time to fill, share of requests closed." in result.output
    assert "Not supported: placement survival (needs table placements)." in result.output


def test_demo_then_ingest_has_zero_rejects(tmp_path):
    result = runner.invoke(app, ["demo", "--data-dir", str(tmp_path), "--clients", "6", "--years", "1"])
    assert result.exit_code == 0, result.output
    assert "Demo firm written to" in result.output
    result = runner.invoke(app, ["ingest", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "0 rows rejected" in result.output
    assert (tmp_path / "processed" / "placements.parquet").is_file()


def test_demo_refuses_to_overwrite_a_real_export(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "clients.csv").write_text("client_id,client_name\nC1,Real client\n")
    result = runner.invoke(app, ["demo", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "holds files the demo did not write" in result.output
    assert (tmp_path / "raw" / "clients.csv").read_text().endswith("Real client\n")


def test_report_renders_one_client_and_names_unknown_ones(demo_data_dir, tmp_path):
    result = runner.invoke(app, ["report", "--client", "C999", "--quarter", "2024Q4", "-d", str(demo_data_dir),
                                 "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "must list known clients, but ['C999'] are not in clients" in result.output
    # in a process of its own, as a user runs it: the command renders the report in its own process, from any
    # folder (the templates used to be found only from the project's checkout)
    result = subprocess.run([sys.executable, "-m", "outstaff_analysis.cli", "report", "--client", "C002", "--quarter",
                             "2024Q4", "--lang", "en", "-d", str(demo_data_dir), "--out", str(tmp_path)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 of 1 reports rendered" in result.stdout
    assert (tmp_path / "2024Q4" / "clients" / "C002.html").is_file()
