"""The batch engine: isolation between reports, a killed worker, identical output everywhere, reruns."""

import json
import random
import shutil
import subprocess
import sys

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from outstaff_analysis.io.store import load_processed
from outstaff_analysis.reporting import inputs as report_inputs
from outstaff_analysis.reporting.batch import BatchResult, ReportJob, render_quarter, run_jobs
from outstaff_analysis.reporting.firm_cache import cache_dir
from outstaff_analysis.reporting.firm_context import compute_firm_context, firm_context
from outstaff_analysis.reporting.render import templates_dir
from outstaff_analysis.reporting.runners import InlineRunner, make_runner

QUARTER = "2024Q4"
MARKER = "MARKER-7f3a9c-OF-CLIENT-A"

# Each report prints the state it finds (module globals, matplotlib rc, both random generators,
# the environment, its own globals), then pollutes all of it with its client's data.
PROBE = """\
import json, os, random, sys
import matplotlib.pyplot as plt
import numpy as np
import outstaff_analysis.reporting.display as shared_module
text = open(data_file, encoding="utf-8").read()
if text == "KILL":
    os.kill(os.getpid(), 9)
print(json.dumps({
    "module_global": getattr(shared_module, "LEAK", None),
    "rc": plt.rcParams["axes.titlesize"],
    "numpy_rng": float(np.random.random()),
    "python_rng": random.random(),
    "env": os.environ.get("OUTSTAFF_LEAK"),
    "globals": sorted(k for k in globals() if k.startswith("payload")),
}))
shared_module.LEAK = text
plt.rcParams["axes.titlesize"] = 31
np.random.seed(len(text))
random.seed(text)
os.environ["OUTSTAFF_LEAK"] = text
globals()["payload_" + client_id] = text
print(text)
fig, ax = plt.subplots()
ax.set_title(text)
plt.show()
"""


@pytest.fixture
def probe_template(tmp_path):
    params = new_code_cell('client_id: str = "C0"  # client\ndata_file: str = ""  # its data')
    params.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=[params, new_code_cell("%matplotlib inline"), new_code_cell(PROBE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "probe.ipynb"
    nbformat.write(notebook, path)
    return path


def _probe_jobs(template, folder, contents: dict) -> list[ReportJob]:
    jobs = []
    for name, text in contents.items():
        data = folder / f"{name}.txt"
        data.write_text(text, encoding="utf-8")
        jobs.append(ReportJob(name, template, {"client_id": name, "data_file": str(data)},
                              folder / "out" / f"{name}.html", name))
    return jobs


def _seen(html_path) -> dict:
    executed = nbformat.read(html_path.with_suffix(".ipynb"), as_version=4)
    return json.loads(executed.cells[-1].outputs[0].text.splitlines()[0])


def test_nothing_of_one_report_reaches_the_next_in_the_same_worker(probe_template, tmp_path):
    jobs = _probe_jobs(probe_template, tmp_path, {"A": MARKER, "B": "plain data of B"})
    result = run_jobs(jobs, index=tmp_path / "out" / "index.html", workers=1, show_progress=False)
    assert result.failures == ()
    a, b = (tmp_path / "out" / "A.html"), (tmp_path / "out" / "B.html")
    assert MARKER in a.read_text(encoding="utf-8")  # the marker is really in A's output
    assert MARKER not in b.read_text(encoding="utf-8")
    assert MARKER not in b.with_suffix(".ipynb").read_text(encoding="utf-8")
    # B, rendered after A by the same worker, found exactly the state A found: no module global, rc
    # setting, environment variable or global name of A's, and numpy's generator where A found it
    # (Python's own generator is reseeded from the OS in every forked process)
    seen_a, seen_b = _seen(a), _seen(b)
    assert seen_b == {**seen_a, "python_rng": seen_b["python_rng"]}
    assert seen_b["module_global"] is None and seen_b["rc"] != 31 and seen_b["globals"] == []
    assert seen_b["env"] is None
    assert seen_b["numpy_rng"] != np.random.RandomState(len(MARKER)).random_sample()
    assert seen_b["python_rng"] != random.Random(MARKER).random()


def test_a_killed_worker_fails_only_its_own_report(probe_template, tmp_path):
    jobs = _probe_jobs(probe_template, tmp_path, {"A": "a", "K": "KILL", "B": "b"})
    result = run_jobs(jobs, index=tmp_path / "out" / "index.html", workers=2, show_progress=False)
    assert [o.job.name for o in result.failures] == ["K"]
    assert "killed by signal 9 (SIGKILL)" in result.failures[0].error
    assert [o.job.name for o in result.rendered] == ["A", "B"]
    assert (tmp_path / "out" / "A.html").is_file() and (tmp_path / "out" / "B.html").is_file()
    assert not (tmp_path / "out" / "K.html").exists()
    assert "killed by signal 9" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def data_dir(demo_data_dir, tmp_path):
    """A private copy of the demo data directory (tests here change its files)."""
    copy = tmp_path / "data"
    shutil.copytree(demo_data_dir, copy, ignore=shutil.ignore_patterns("cache"))
    return copy


def _without_timestamps(executed_path) -> dict:
    notebook = json.loads(executed_path.read_text(encoding="utf-8"))
    for meta in [notebook["metadata"]] + [cell["metadata"] for cell in notebook["cells"]]:
        for key in ("start_time", "end_time", "duration"):
            meta.get("papermill", {}).pop(key, None)
    return notebook


def _outputs(out, clients) -> dict:
    folder = out / QUARTER / "clients"
    return {c: ((folder / f"{c}.html").read_bytes(), _without_timestamps(folder / f"{c}.ipynb")) for c in clients}


def test_reports_are_identical_sequential_pooled_and_on_dask(data_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    clients = ["C002", "C005"]
    kwargs = {"client_ids": clients, "portfolio": False, "show_progress": False, "force": True}
    render_quarter(data_dir, QUARTER, out_dir=tmp_path, workers=1, **kwargs)
    sequential = _outputs(tmp_path, clients)
    render_quarter(data_dir, QUARTER, out_dir=tmp_path, workers=2, **kwargs)
    pooled = _outputs(tmp_path, clients)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = render_quarter(data_dir, QUARTER, out_dir=tmp_path, scheduler=client, **kwargs)
    assert on_dask.failures == () and len(on_dask.rendered) == 2
    assert pooled == sequential
    assert _outputs(tmp_path, clients) == sequential
    executed = sequential["C002"][1]
    assert executed["metadata"]["papermill"]["parameters"]["client_id"] == "C002"
    assert any("injected-parameters" in cell["metadata"].get("tags", []) for cell in executed["cells"])


def test_dask_failures_behave_as_locally(probe_template, tmp_path):
    distributed = pytest.importorskip("distributed")
    jobs = _probe_jobs(probe_template, tmp_path, {"A": "a", "K": "KILL"})
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        result = run_jobs(jobs, index=tmp_path / "out" / "index.html", scheduler=cluster.scheduler_address,
                          show_progress=False)
    assert [o.job.name for o in result.failures] == ["K"]
    assert "killed by signal 9" in result.failures[0].error
    assert (tmp_path / "out" / "A.html").is_file()


def test_rerun_renders_only_what_changed(data_dir, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(templates_dir(), templates)
    out = tmp_path / "reports"

    def run(**extra):
        result = render_quarter(data_dir, QUARTER, out_dir=out, client_ids=["C002", "C005"], templates=templates,
                                show_progress=False, **extra)
        assert result.failures == ()
        return sorted(o.job.name for o in result.rendered), sorted(o.job.name for o in result.up_to_date)

    assert run() == (["C002", "C005", "portfolio"], [])
    assert run() == ([], ["C002", "C005", "portfolio"])
    assert run(force=True) == (["C002", "C005", "portfolio"], [])
    # a transcript of C002 changes: C002 and the portfolio (which reads every transcript) re-render
    interviews = load_processed(data_dir)["interviews"]
    transcript = interviews.loc[interviews["client_id"] == "C002", "transcript"].iloc[0]
    path = data_dir / "raw" / "transcripts" / transcript
    path.write_bytes(path.read_bytes() + b"\n")
    assert run() == (["C002", "portfolio"], ["C005"])
    # the client template changes: only client reports re-render
    template = templates / "client_quarterly.ipynb"
    notebook = nbformat.read(template, as_version=4)
    notebook.cells.append(new_code_cell("report.next_quarter(data)"))
    nbformat.write(notebook, template)
    assert run() == (["C002", "C005"], ["portfolio"])


def test_second_unchanged_run_says_nothing_was_rendered(data_dir, tmp_path):
    # run as a user runs it: `outstaff report` renders in its own process, which then exits
    args = [sys.executable, "-m", "outstaff_analysis.cli", "report", "--client", "C002", "--quarter", QUARTER,
            "-d", str(data_dir), "--out", str(tmp_path)]
    first = subprocess.run(args, capture_output=True, text=True)
    assert first.returncode == 0 and "1 of 1 reports rendered" in first.stdout, first.stderr
    second = subprocess.run(args, capture_output=True, text=True)
    assert second.returncode == 0, second.stderr
    assert "Nothing to render: all 1 reports are up to date" in second.stdout


def test_firm_wide_scores_are_computed_once_and_reused(data_dir, monkeypatch):
    computed = report_inputs.score_frames(report_inputs.load_inputs(data_dir, as_of=QUARTER, client_ids=["C005"]))
    assert not cache_dir(data_dir).exists()
    key = report_inputs.prepare_inputs(data_dir, as_of=QUARTER)
    assert f"transcript-scores-{key[:24]}" in {p.name for p in cache_dir(data_dir).iterdir()}

    def no_scoring(*args, **kwargs):
        raise AssertionError("scored again")

    monkeypatch.setattr("outstaff_analysis.csi.score_csi", no_scoring)
    assert report_inputs.prepare_inputs(data_dir, as_of=QUARTER) == key
    cached = report_inputs.score_frames(report_inputs.load_inputs(data_dir, as_of=QUARTER, client_ids=["C005"]))
    assert set(cached["csi_client_quarters"]["client_id"]) == {"C005"}
    assert list(cached) == list(computed)
    for name, frame in computed.items():
        assert cached[name].equals(frame), name
    # changed settings are another entry
    (data_dir / "settings.yaml").write_text("csi_min_evidence: 4\n")
    monkeypatch.undo()
    assert report_inputs.prepare_inputs(data_dir, as_of=QUARTER) != key


def test_firm_context_is_computed_once_per_quarter_and_reused(data_dir, monkeypatch):
    inputs = report_inputs.load_inputs(data_dir, as_of=QUARTER, client_ids=["C005"])
    computed = compute_firm_context(inputs, QUARTER)
    report_inputs.prepare_inputs(data_dir, as_of=QUARTER)
    assert sum(p.name.startswith("firm-context-") for p in cache_dir(data_dir).iterdir()) == 1

    def no_computing(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr("outstaff_analysis.reporting.firm_context.compute_firm_context", no_computing)
    cached = firm_context(report_inputs.load_inputs(data_dir, as_of=QUARTER, client_ids=["C002"]), QUARTER)
    assert cached.averages == computed.averages
    assert set(cached.averages) == {"2024Q4", "2024Q3"}
    assert cached.tenure_curve.equals(computed.tenure_curve)
    # another quarter is another entry, computed on its own
    monkeypatch.undo()
    firm_context(report_inputs.load_inputs(data_dir, as_of="2024Q3"), "2024Q3")
    assert sum(p.name.startswith("firm-context-") for p in cache_dir(data_dir).iterdir()) == 2


def test_only_the_report_command_renders_in_its_own_process(data_dir, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from outstaff_analysis.cli import app
    from outstaff_analysis.reporting import batch

    calls, nothing = [], BatchResult((), tmp_path / "index.html")
    monkeypatch.setattr(batch, "render_quarter", lambda *args, **kwargs: calls.append(kwargs) or nothing)
    for command in (["report", "--client", "C002"], ["batch"]):
        args = [*command, "--quarter", QUARTER, "-d", str(data_dir), "--out", str(tmp_path)]
        assert CliRunner().invoke(app, args).exit_code == 0
    assert calls[0]["in_this_process"] is True  # one report, and the process exits after it
    assert calls[1].get("in_this_process", False) is False and calls[1]["fork_server"] is not None
    # the Python API may run where more is rendered (a notebook's kernel, a test run): it forks
    assert isinstance(make_runner(calls=1, in_this_process=True), InlineRunner)
    server = object()
    assert make_runner(calls=1, fork_server=server)._server is server
