"""The papermill contract of the report templates: no real defaults, and a wrong parameter fails early.

The plain ``papermill`` CLI (what Airflow's PapermillOperator runs) only warns about an unknown
parameter; these tests run it as a subprocess against the real template.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from outstaff_analysis.io.store import build_processed
from outstaff_analysis.reporting.params import (
    check_injected,
    client_report_params,
    injected_names,
    portfolio_report_params,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "outstaff_analysis" / "reporting" / "notebooks"
PAPERMILL = Path(sys.executable).with_name("papermill")


@pytest.fixture(scope="module")
def small_data(tmp_path_factory):
    """A processed data folder with clients C1 (and nothing to report on)."""
    from tests.conftest import _write_minimal_raw

    data = tmp_path_factory.mktemp("small")
    _write_minimal_raw(data / "raw")
    (data / "raw" / "interviews.csv").write_text("interview_id,client_id,held_at,transcript\n")
    build_processed(data)
    return data


def test_templates_hold_no_real_defaults_and_name_the_package_kernel():
    client = papermill.inspect_notebook(str(TEMPLATES / "client_quarterly.ipynb"))
    assert {name: p["default"] for name, p in client.items()} == {
        "client_id": '""', "quarter": '""', "lang": '""', "data_dir": '""'}
    portfolio = papermill.inspect_notebook(str(TEMPLATES / "portfolio.ipynb"))
    assert {name: p["default"] for name, p in portfolio.items()} == {"quarter": '""', "lang": '""', "data_dir": '""'}
    for name in ("client_quarterly", "portfolio"):
        notebook = nbformat.read(TEMPLATES / f"{name}.ipynb", as_version=4)
        assert notebook.metadata["kernelspec"]["name"] == "outstaff_analysis"


def test_injected_names_are_read_from_papermills_cell():
    history = ["", 'client_id: str = ""  # x', '# Parameters\nclinet_id = "C007"\nquarter = "2024Q4"\n', "x = 1"]
    assert injected_names(history) == ["clinet_id", "quarter"]
    with pytest.raises(ValueError, match=r"unknown report parameter\(s\) \['clinet_id'\]: this template declares "
                                         r"only \['client_id', 'quarter'\]"):
        check_injected(["client_id", "quarter"], history)
    check_injected(["client_id", "quarter", "clinet_id"], history)


def test_parameters_are_validated_before_any_data_is_built(small_data):
    params = client_report_params(client_id=" C1 ", quarter="2024-q4", lang="en", data_dir=str(small_data),
                                  history=[])
    assert (params.client_id, params.quarter, params.lang) == ("C1", "2024Q4", "en")
    # no lang: the client's interview language (none here: Russian)
    assert client_report_params(client_id="C1", quarter="2024Q4", lang="", data_dir=str(small_data),
                                history=[]).lang == "ru"
    with pytest.raises(ValueError, match=r"The parameter `client_id` is required but was not passed"):
        client_report_params(client_id="", quarter="2024Q4", lang="en", data_dir=str(small_data), history=[])
    with pytest.raises(ValueError, match=r"The parameter `quarter` is required"):
        portfolio_report_params(quarter="", lang="", data_dir=str(small_data), history=[])
    with pytest.raises(ValueError, match=r"`client_id` must be a string, but 7 \(int\) was passed \(papermill's -p "
                                         r"reads 7 as a number: pass text with -r client_id"):
        client_report_params(client_id=7, quarter="2024Q4", lang="en", data_dir=str(small_data), history=[])
    with pytest.raises(ValueError, match=r"The value for `lang` must be one of \['ru', 'en'\], but 'de' was passed"):
        client_report_params(client_id="C1", quarter="2024Q4", lang="de", data_dir=str(small_data), history=[])
    with pytest.raises(ValueError, match=r"must be a client of the clients table in .*, but 'C999' was passed"):
        client_report_params(client_id="C999", quarter="2024Q4", lang="en", data_dir=str(small_data), history=[])
    with pytest.raises(ValueError, match=r"has none \(run `outstaff ingest`\)"):
        client_report_params(client_id="C1", quarter="2024Q4", lang="en", data_dir=str(small_data / "nope"),
                             history=[])


def _papermill(tmp_path, *args):
    """Run papermill's own CLI on the client template, with the package's kernel."""
    out = tmp_path / "out.ipynb"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[2] / "src"),
                                                                     os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([str(PAPERMILL), str(TEMPLATES / "client_quarterly.ipynb"), str(out), "-k", "outstaff_analysis",
                          "--no-progress-bar", *args], capture_output=True, text=True, env=env, timeout=600,
                         check=False)
    return run, out


def _failed_cell(out: Path):
    """Index (among code cells) and error text of the cell that failed in an executed notebook."""
    notebook = json.loads(out.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]  # papermill adds markdown banners
    for i, cell in enumerate(code):
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                return i, f"{output['ename']}: {output['evalue']}"
    return None, None


@pytest.mark.parametrize(("args", "message"), [
    (["-p", "clinet_id", "C1"], r"unknown report parameter(s) ['clinet_id']"),
    ([], "The parameter `client_id` is required but was not passed"),
    (["-p", "client_id", "C999"], "but 'C999' was passed"),
    (["-p", "client_id", "7"], "`client_id` must be a string, but 7 (int) was passed"),
])
def test_papermill_cli_fails_in_the_validation_cell_naming_the_parameter(small_data, tmp_path, args, message):
    run, out = _papermill(tmp_path, *args, "-p", "quarter", "2024Q4", "-p", "data_dir", str(small_data))
    assert run.returncode != 0
    assert "Executing notebook with kernel: outstaff_analysis" in run.stderr
    cell, error = _failed_cell(out)
    # cell 0 parameters, 1 papermill's injected parameters, 2 imports, 3 the validation call: nothing was loaded
    assert cell == 3 and message in error
