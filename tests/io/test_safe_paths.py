"""Paths and names from data stay inside their folder."""

import pandas as pd
import pytest

from outstaff_analysis.csi import load_transcripts
from outstaff_analysis.exceptions import TranscriptError, UnsafePathError
from outstaff_analysis.io.safe_paths import child_path, file_name_problem, resolve_inside
from outstaff_analysis.io.validate import validate_table
from outstaff_analysis.schema import TABLES


@pytest.fixture
def transcripts(tmp_path):
    """data/raw/transcripts with one good file in a sub-folder, a secret outside and a link to it."""
    base = tmp_path / "raw" / "transcripts"
    (base / "C007").mkdir(parents=True)
    (base / "C007" / "call.txt").write_text("Анна: всё хорошо\nИван: спасибо\n", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("Root: the password is hunter2\n", encoding="utf-8")
    (base / "link.txt").symlink_to(secret)
    return base, secret


def _interviews(paths):
    frame = pd.DataFrame({"interview_id": [f"I{i}" for i in range(len(paths))], "client_id": "C1",
                          "held_at": "2024-01-01", "transcript": paths}, dtype=object)
    frame["_source_row"] = range(2, len(paths) + 2)
    return frame


def test_transcript_paths_outside_the_transcripts_folder_are_rejected(transcripts):
    base, secret = transcripts
    paths = ["C007\\call.txt", "C007/call.txt", str(secret), "../../secret.txt", "../" * 12 + "etc/passwd",
             "link.txt"]
    result = validate_table(_interviews(paths), TABLES["interviews"], file="interviews.csv", transcripts_dir=base)
    assert result.clean["transcript"].tolist() == ["C007\\call.txt", "C007/call.txt"]
    rejects = result.rejects.set_index("source_row")
    assert (rejects["column"] == "transcript").all() and rejects["source_file"].eq("interviews.csv").all()
    assert rejects.loc[4, "value"] == str(secret)
    assert "the path is absolute" in rejects.loc[4, "reason"]
    assert "climbs out of the folder with `..`" in rejects.loc[5, "reason"]
    assert "climbs out of the folder with `..`" in rejects.loc[6, "reason"]
    assert "leads outside" in rejects.loc[7, "reason"] and "symbolic link" in rejects.loc[7, "reason"]


def test_reports_never_read_a_transcript_outside_the_folder(transcripts):
    base, secret = transcripts
    interviews = _interviews([str(secret)]).assign(held_at=pd.Timestamp("2024-01-01"))
    with pytest.raises(TranscriptError, match="the path is absolute") as caught:
        load_transcripts(interviews, base)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("relpath", ["/etc/passwd", "C:\\Windows\\win.ini", "\\\\server\\share\\x.txt", "a/../../b",
                                     "", "a\x00b"])
def test_resolve_inside_refuses(tmp_path, relpath):
    with pytest.raises(UnsafePathError):
        resolve_inside(tmp_path, relpath)


def test_resolve_inside_accepts_windows_separators(tmp_path):
    assert resolve_inside(tmp_path, "C007\\2024\\call.vtt") == (tmp_path / "C007" / "2024" / "call.vtt").resolve()


@pytest.mark.parametrize("name, reason", [
    ("../../../../x", "contains '/'"), ("C1\\..\\x", "contains '\\\\'"), ("..", "starts with a dot"),
    (".render-x", "starts with a dot"), ("a\x07b", "contains '\\x07'"), ("CON", "device name"),
    ("nul.txt", "device name"), ("com1", "device name"), ("C1.", "ends with a dot"), ("C1 ", "ends with a dot"),
    ("x" * 201, "longer than 200 bytes"), ("", "empty"), ("a:b", "contains ':'"),
])
def test_hostile_ids_cannot_be_file_names(tmp_path, name, reason):
    assert reason in file_name_problem(name)
    with pytest.raises(UnsafePathError, match="cannot be used as a file name"):
        child_path(tmp_path, name, ".html")


@pytest.mark.parametrize("name", ["C007", "Ромашка-ООО", "client 7", "ACME_inc(1)", "x" * 200])
def test_ordinary_ids_are_file_names(tmp_path, name):
    assert file_name_problem(name) == ""
    assert child_path(tmp_path, name, ".html") == tmp_path / f"{name}.html"


HOSTILE_IDS = ["../../../../x", "..\\..\\x", "/tmp/x", "CON", ".hidden", "a\x00b", "C1."]


def test_client_ids_that_cannot_be_file_names_are_rejected_at_validation():
    ids = ["C001", *HOSTILE_IDS]
    frame = pd.DataFrame({"client_id": ids, "client_name": "A"}, dtype=object)
    frame["_source_row"] = range(2, len(ids) + 2)
    result = validate_table(frame, TABLES["clients"], file="clients.csv")
    assert result.clean["client_id"].tolist() == ["C001"]
    assert result.rejects["value"].tolist() == HOSTILE_IDS
    assert (result.rejects["column"] == "client_id").all()
    assert result.rejects["reason"].str.startswith("`client_id` names report files and cannot be used as a file "
                                                   "name: it ").all()


def test_report_output_paths_stay_in_the_reports_folder(tmp_path):
    from outstaff_analysis.reporting.batch import plan_jobs

    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("client_quarterly", "portfolio"):
        (templates / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    tables = {
        "clients": pd.DataFrame({"client_id": ["C1", *HOSTILE_IDS], "client_name": "A"}),
        "interviews": pd.DataFrame({"client_id": pd.Series(dtype=object), "held_at": pd.Series(dtype="datetime64[ns]"),
                                    "language": pd.Series(dtype=object)}),
    }
    out = tmp_path / "reports"
    (job,) = plan_jobs(tables, "2024Q4", data_dir=tmp_path, out_dir=out, lang="en", client_ids=["C1"],
                       portfolio=False, templates=templates)
    assert job.output == out / "2024Q4" / "clients" / "C1.html"
    for hostile in HOSTILE_IDS:
        with pytest.raises(UnsafePathError, match="cannot be used as a file name"):
            plan_jobs(tables, "2024Q4", data_dir=tmp_path, out_dir=out, lang="en", client_ids=[hostile],
                      portfolio=False, templates=templates)


@pytest.mark.parametrize("named", ["../secret.csv", "/etc/passwd", "sub\\..\\..\\secret.csv"])
def test_a_mapping_file_entry_cannot_read_outside_raw(tmp_path, write_minimal_raw, named):
    from outstaff_analysis.exceptions import SchemaError
    from outstaff_analysis.io.store import validate_raw

    raw = tmp_path / "raw"
    write_minimal_raw(raw)
    (tmp_path / "secret.csv").write_text("client_id,client_name\nX1,secret\n", encoding="utf-8")
    (raw / "mapping.yaml").write_text(f"tables:\n  clients:\n    file: '{named}'\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"mapping\.yaml: the file of table `clients` must be inside"):
        validate_raw(tmp_path)


def test_a_mapping_file_entry_may_name_a_subfolder_with_windows_separators(tmp_path, write_minimal_raw):
    from outstaff_analysis.io.store import validate_raw

    raw = tmp_path / "raw"
    write_minimal_raw(raw)
    (raw / "crm").mkdir()
    (raw / "clients.csv").rename(raw / "crm" / "Клиенты.csv")
    (raw / "mapping.yaml").write_text("tables:\n  clients:\n    file: 'crm\\Клиенты.csv'\n", encoding="utf-8")
    assert validate_raw(tmp_path).tables["clients"]["client_id"].tolist() == ["C1"]
