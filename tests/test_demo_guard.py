"""`outstaff demo` writes only into an empty folder or one it wrote itself."""

import json

import pytest
from typer.testing import CliRunner

from outstaff_analysis.cli import app
from outstaff_analysis.demo.build import write_demo
from outstaff_analysis.demo.guard import MARKER_FILE
from outstaff_analysis.exceptions import OutstaffError

SMALL = {"clients": 4, "years": 1, "seed": 5}


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_users_export_beside_a_truth_json_is_not_overwritten(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "truth.json").write_text("{}", encoding="utf-8")
    (raw / "clients.csv").write_text("client_id,client_name\nC1,Real client\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["demo", "--data-dir", str(tmp_path), "--clients", "4", "--years", "1"])
    assert result.exit_code == 1
    assert str(raw) in result.output and "--force" in result.output and "clients.csv" in result.output
    assert (raw / "clients.csv").read_text(encoding="utf-8").endswith("Real client\n")


def test_a_demo_file_the_user_edited_is_not_overwritten(tmp_path):
    write_demo(tmp_path, **SMALL)
    (tmp_path / "clients.csv").write_text("client_id,client_name\nC1,My edit\n", encoding="utf-8")
    with pytest.raises(OutstaffError, match=r"holds files the demo did not write \(clients\.csv\).*--force"):
        write_demo(tmp_path, **SMALL)
    assert "My edit" in (tmp_path / "clients.csv").read_text(encoding="utf-8")
    write_demo(tmp_path, force=True, **SMALL)
    assert "My edit" not in (tmp_path / "clients.csv").read_text(encoding="utf-8")


def test_rerunning_the_demo_is_allowed_and_leaves_exactly_the_new_firm(tmp_path):
    write_demo(tmp_path / "a", **{**SMALL, "clients": 6})
    write_demo(tmp_path / "a", **SMALL)  # the marker makes the rerun legitimate; a smaller firm
    write_demo(tmp_path / "b", **SMALL)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    marker = json.loads((tmp_path / "a" / MARKER_FILE).read_text(encoding="utf-8"))
    assert set(marker["files"]) == set(_files(tmp_path / "a")) - {MARKER_FILE}


def test_a_demo_folder_written_before_the_marker_existed_is_recognised(tmp_path):
    write_demo(tmp_path, **SMALL)
    (tmp_path / MARKER_FILE).unlink()
    write_demo(tmp_path, **SMALL)  # every file holds exactly what the demo writes: nothing of the user's is lost
    assert (tmp_path / MARKER_FILE).is_file()


def test_an_empty_folder_and_a_gitkeep_are_fine(tmp_path):
    tmp_path.joinpath(".gitkeep").touch()
    write_demo(tmp_path, **SMALL)
    assert (tmp_path / "clients.csv").is_file() and (tmp_path / ".gitkeep").is_file()
