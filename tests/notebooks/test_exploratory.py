"""The analyst notebooks run top to bottom on the demo data (they use the public API only)."""

import json
from pathlib import Path

import papermill
import pytest

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks" / "exploratory").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_the_demo_data(notebook, demo_data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("OUTSTAFF_DATA_DIR", str(demo_data_dir))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(notebook.parent)  # notebooks are opened from their folder in JupyterLab
    papermill.execute_notebook(str(notebook), str(tmp_path / notebook.name), kernel_name="python3",
                               progress_bar=False, extra_arguments=["--IPKernelApp.log_level=ERROR"])


def test_notebooks_are_committed_without_outputs():
    for notebook in NOTEBOOKS + sorted(NOTEBOOKS[0].parents[1].glob("reports/*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        assert not any(c.get("outputs") for c in cells if c["cell_type"] == "code"), notebook.name


def test_notebooks_start_from_oa_load_with_the_reports_settings():
    """One entry point: no private modules, no settings of their own (the data directory's, as the reports)."""
    for notebook in NOTEBOOKS:
        code = [c["source"] for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "code"]
        text = "\n".join("".join(c) if isinstance(c, list) else c for c in code)
        assert "data = oa.load(DATA_DIR, as_of=AS_OF)" in text, notebook.name
        assert code[0] in ("import outstaff_analysis as oa", ["import outstaff_analysis as oa"]), notebook.name
        for private in ("outstaff_analysis.io", "load_processed", "DEFAULT_SETTINGS", "from outstaff_analysis"):
            assert private not in text, (notebook.name, private)
