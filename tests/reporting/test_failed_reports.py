"""A failed report keeps its partial notebook, leaves no stale HTML, and killed runs' leftovers are cleaned."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from outstaff_analysis.io.atomic import LOCK_FILE
from outstaff_analysis.reporting.batch import render_quarter


@pytest.fixture
def setup(tmp_path, write_minimal_raw):
    from outstaff_analysis.io.store import build_processed

    data = tmp_path / "data"
    write_minimal_raw(data / "raw")
    build_processed(data)
    params = new_code_cell('client_id: str = "C1"\nquarter: str = "2022Q1"\nlang: str = "ru"\ndata_dir: str = "."')
    params.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=[params, new_code_cell(
        "import pathlib\nif pathlib.Path(data_dir, 'FAIL').exists():\n    raise RuntimeError('told to fail')\n"
        "print('report of', client_id)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    templates = tmp_path / "templates"
    templates.mkdir()
    nbformat.write(notebook, templates / "client_quarterly.ipynb")
    return data, templates, tmp_path / "reports"


def _render(data, templates, out):
    # force: the FAIL switch is no input the batch tracks, so it would find the report up to date
    return render_quarter(data, "2022Q1", out_dir=out, client_ids=["C1"], portfolio=False, templates=templates,
                          show_progress=False, workers=1, force=True)


def test_failed_report_keeps_evidence_and_removes_the_stale_html(setup):
    data, templates, out = setup
    folder = out / "2022Q1" / "clients"
    assert _render(data, templates, out).failures == ()
    assert (folder / "C1.html").is_file() and (folder / "C1.ipynb").is_file()
    # a run killed earlier left its temporary folder and a temporary index
    (folder / ".render-killed").mkdir()
    (folder / ".render-killed" / "C1.ipynb").write_text("{}", encoding="utf-8")
    (out / "2022Q1" / ".index.html.0123456789abcdef.tmp").write_text("<half", encoding="utf-8")

    (data / "FAIL").touch()
    result = _render(data, templates, out)
    assert [f.job.name for f in result.failures] == ["C1"]
    assert not (folder / "C1.html").exists() and not (folder / "C1.ipynb").exists()
    failed = nbformat.read(folder / "C1.failed.ipynb", as_version=4)
    assert any(output.get("ename") == "RuntimeError" for cell in failed.cells for output in cell.get("outputs", []))
    index = (out / "2022Q1" / "index.html").read_text(encoding="utf-8")
    assert 'href="clients/C1.failed.ipynb"' in index and "told to fail" in index
    left = sorted(p.name for p in (out / "2022Q1").rglob("*") if p.name != LOCK_FILE)
    assert left == ["C1.failed.ipynb", "clients", "index.html"]

    (data / "FAIL").unlink()
    assert _render(data, templates, out).failures == ()
    assert (folder / "C1.html").is_file() and not (folder / "C1.failed.ipynb").exists()
