"""Rendering: parameters validated, HTML without code with embedded images, batch isolation of failures."""

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from outstaff_analysis.reporting.batch import ReportJob, run_jobs
from outstaff_analysis.reporting.render import execute_to_html


@pytest.fixture
def template(tmp_path):
    params = new_code_cell('client_id: str = "C001"  # client\nfail: bool = False  # raise on purpose')
    params.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=[
        params,
        new_markdown_cell("# Report title"),
        new_code_cell("SECRET_CODE_MARKER = 1\nif fail:\n    raise RuntimeError('boom for ' + client_id)"),
        new_code_cell("import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n%matplotlib inline\n"
                      "fig, ax = plt.subplots(); ax.plot([1, 2]); ax.set_title(client_id); plt.show()"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "tpl.ipynb"
    nbformat.write(notebook, path)
    return path


def test_html_has_no_code_embeds_images_and_keeps_parameters(template, tmp_path):
    out = execute_to_html(template, tmp_path / "out" / "C007.html", {"client_id": "007"}, title="T")
    page = out.read_text(encoding="utf-8")
    assert "SECRET_CODE_MARKER" not in page
    assert "Report title" in page
    assert "data:image/png;base64," in page
    executed = json.loads((tmp_path / "out" / "C007.ipynb").read_text())
    assert executed["metadata"]["papermill"]["parameters"] == {"client_id": "007"}


def test_unknown_parameter_is_refused(template, tmp_path):
    with pytest.raises(ValueError, match=r"unknown report parameters \['clinet_id'\]"):
        execute_to_html(template, tmp_path / "x.html", {"clinet_id": "C1"}, title="T")


def test_one_failure_does_not_stop_the_batch_and_rerun_is_safe(template, tmp_path):
    jobs = [ReportJob(name, template, {"client_id": name, "fail": name == "C2"}, tmp_path / "r" / f"{name}.html", name)
            for name in ("C1", "C2", "C3")]
    result = run_jobs(jobs, index=tmp_path / "r" / "index.html", workers=2, show_progress=False)
    assert [o.job.name for o in result.failures] == ["C2"]
    assert "boom for C2" in result.failures[0].error
    assert (tmp_path / "r" / "C1.html").is_file() and (tmp_path / "r" / "C3.html").is_file()
    assert not (tmp_path / "r" / "C2.html").exists()
    index = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert 'href="C1.html"' in index and "boom for C2" in index
    again = run_jobs(jobs[:1], index=tmp_path / "r" / "index.html", workers=1, show_progress=False)
    assert again.failures == ()
    assert not list((tmp_path / "r").glob(".render-*"))


def test_fork_server_warm_up_loads_the_scoring_resources_and_leaves_no_shell():
    # every forked report used to load these itself: 3.4 CPU-s for a report's first run in a process, 1.3 s after
    # and then the label files, the rating vocabulary and a second morphology analyser: 1 CPU-s more per report
    from outstaff_analysis import i18n
    from outstaff_analysis.csi import features, ratings, text
    from outstaff_analysis.reporting.inprocess import ReportShell
    from outstaff_analysis.reporting.render import warm_up

    caches = (text.lemma, text.morph_analyzer, features._vader, i18n._domain, ratings._vocab)
    for cache in caches:  # earlier tests of the same run fill them too
        cache.cache_clear()
    warm_up()
    assert text.morph_analyzer.cache_info().currsize == 1 and features._vader.cache_info().currsize == 1
    locale_files = list((Path(i18n.__file__).parent / "locale").glob("*.yaml"))
    assert i18n._domain.cache_info().currsize == len(locale_files) > 5
    assert ratings._vocab.cache_info().currsize == 2  # Russian and English
    assert not ReportShell.initialized()  # each report makes its own shell
