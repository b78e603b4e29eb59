"""Render a report notebook: papermill executes it, nbconvert writes HTML without code.

The HTML is self-contained (the package's own export template, :mod:`.export`: images embedded
as data URIs, no scripts or external resources) and the executed notebook keeps
its parameters in its metadata (papermill's ``metadata.papermill.parameters``).  Output is
written to a temporary file and moved into place, so a failed or interrupted run never leaves a
half-written report and a rerun simply replaces the old one.  A failed run keeps its partial notebook
as ``<name>.failed.ipynb`` and removes the earlier report, which would be stale (:mod:`.outputs`).
"""

from __future__ import annotations

import os
import tempfile
import time
from importlib import resources
from pathlib import Path

import nbformat
import papermill

from ..exceptions import OutstaffError
from .export import notebook_to_html
from .freshness import METADATA_KEY
from .index_page import describe_failure, record_failure
from .inprocess import execute_in_process
from .outputs import RENDER_PREFIX, clear_failure, keep_failure

KERNEL = "python3"
"""Kernel papermill runs: the Python of the current environment."""

TEMPLATES_ENV = "OUTSTAFF_TEMPLATES_DIR"


def templates_dir(templates: str | os.PathLike | None = None) -> Path:
    """Folder of the report templates: argument, then ``$OUTSTAFF_TEMPLATES_DIR``, then the templates
    installed with the package (``outstaff_analysis/reporting/notebooks``)."""
    if templates is not None:
        return Path(templates)
    return Path(os.environ.get(TEMPLATES_ENV) or resources.files("outstaff_analysis") / "reporting" / "notebooks")


def template_path(name: str, templates: str | os.PathLike | None = None) -> Path:
    """Path of report template ``name`` (``client_quarterly`` or ``portfolio``)."""
    path = templates_dir(templates) / f"{name}.ipynb"
    if not path.is_file():
        raise OutstaffError(f"report template {name!r} not found at {path}; ${TEMPLATES_ENV} names the folder of "
                            "client_quarterly.ipynb and portfolio.ipynb (unset, the package's own are used)")
    return path


def declared_parameters(template: Path) -> dict:
    """Parameters declared in the template's ``parameters`` cell (papermill's inspection)."""
    return papermill.inspect_notebook(str(template))


def warm_up() -> None:
    """Load what every report loads lazily, once, in a fork server before any report runs.

    The exporter's templates are compiled and matplotlib's fonts opened by exporting a notebook
    with one small figure, drawn under matplotlib's defaults so no style is left behind.  The
    read-only resources of transcript scoring (lexicon, morphology dictionaries, VADER, the bundled
    and red-flag models), the holiday calendar, the parquet reader and the report shell's modules
    are loaded from text and data that belong to no report.  Measured: a report's first run in a
    process cost 3.4 CPU-s, the next one 1.3 s; every forked report is a first run.
    """
    import io

    import matplotlib
    from matplotlib.figure import Figure

    from .display import SVG_RC

    with matplotlib.rc_context(SVG_RC):
        figure = Figure(figsize=(1, 1))
        figure.subplots().set_title("0")
        svg = io.StringIO()
        figure.savefig(svg, format="svg", bbox_inches="tight")
    cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"image/svg+xml": svg.getvalue(), "text/html": "<p>0</p>"})])
    notebook_to_html(nbformat.v4.new_notebook(cells=[cell]), title="0", lang="en")
    _warm_scoring_and_shell()


def _warm_scoring_and_shell() -> None:
    import holidays
    import pyarrow.dataset  # noqa: F401 - what pandas' parquet reader imports on first use
    import pyarrow.parquet  # noqa: F401

    from ..config import DEFAULT_SETTINGS
    from ..csi import score_texts
    from ..csi.ratings import named_scale
    from ..csi.redflags import find_red_flags
    from ..i18n import load_all_labels
    from . import client_sections, portfolio_sections  # noqa: F401 - the templates' modules and their plotting
    from .inprocess import ReportShell, report_shell

    score_texts(["Добрый день, всё работает хорошо.", "Hello, the team is doing great."], lang="auto")
    for text, language in (("Отвечают медленно.", "ru"), ("They answer slowly.", "en")):
        find_red_flags(text, language=language)
        named_scale(text, language=language)  # builds the rating vocabulary (every form of its Russian words)
    load_all_labels()
    holidays.country_holidays(DEFAULT_SETTINGS.calendar)
    report_shell()  # imports what a shell needs; the instance itself is dropped, each report makes its own
    ReportShell.clear_instance()


def execute_to_html(template: Path, output_html: Path, parameters: dict, *, title: str, in_process: bool = False,
                    metadata: dict | None = None) -> Path:
    """Execute ``template`` with ``parameters`` and write HTML without input cells to ``output_html``.

    Parameters
    ----------
    template : Path
        Notebook with a cell tagged ``parameters``.
    output_html : Path
        Where the report goes; its folder is created.  The executed notebook is kept beside it
        as ``<name>.ipynb`` (with the parameters in its metadata).
    parameters : dict
        Values for the template's parameters; names it does not declare are an error.
    title : str
        HTML page title.
    in_process : bool
        Run the cells in this process (:mod:`.inprocess`; for a process that renders this one
        report) instead of in a new Jupyter kernel.
    metadata : dict, optional
        Stored in the executed notebook's metadata under ``outstaff`` (see :mod:`.freshness`).

    Raises
    ------
    ValueError
        If a parameter is not declared in the template.
    papermill.PapermillExecutionError
        If a cell fails: the notebook as far as it ran is kept as ``<name>.failed.ipynb`` and an
        earlier report of the same name removed (see :mod:`.outputs`).
    """
    declared = declared_parameters(template)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ValueError(f"unknown report parameters {unknown}; the template {template.name} declares {sorted(declared)}")
    output_html = Path(output_html)
    output_html.parent.mkdir(parents=True, exist_ok=True)
    executed = output_html.with_suffix(".ipynb")
    with tempfile.TemporaryDirectory(dir=output_html.parent, prefix=RENDER_PREFIX) as tmp:
        tmp_nb = Path(tmp) / executed.name
        try:
            if in_process:
                execute_in_process(template, tmp_nb, parameters)
            else:
                # no `cwd=`: papermill would os.chdir the whole process, which races between batch threads
                # the kernel logs only errors: its warning about local TCP transport, once per report, drowned
                # the batch's own output
                papermill.execute_notebook(str(template), str(tmp_nb), parameters=parameters, kernel_name=KERNEL,
                                           progress_bar=False, extra_arguments=["--IPKernelApp.log_level=ERROR"])
        except Exception:
            keep_failure(tmp_nb, output_html)
            raise
        notebook = nbformat.read(tmp_nb, as_version=4)
        notebook.metadata["title"] = title
        # papermill recorded the temporary file, whose name is random
        notebook.metadata["papermill"]["output_path"] = str(executed)
        if metadata:
            notebook.metadata[METADATA_KEY] = metadata
        nbformat.write(notebook, tmp_nb)
        body = notebook_to_html(notebook, title=title, lang=parameters.get("lang"))
        tmp_html = Path(tmp) / output_html.name
        tmp_html.write_text(body, encoding="utf-8")
        os.replace(tmp_nb, executed)
        os.replace(tmp_html, output_html)
    clear_failure(output_html)
    return output_html


def render_job(*, template: str, output_html: str, parameters: dict, title: str, inputs: str = "") -> dict:
    """Render one report in this process, which must render nothing else (a forked worker's call).

    Parameters
    ----------
    template, output_html, parameters, title
        As :func:`execute_to_html`.
    inputs : str
        Hash of the report's inputs, kept in the executed notebook (see :mod:`.freshness`).

    Returns
    -------
    dict
        ``seconds`` and ``cpu_seconds``: how long the report took, in time and in this process's CPU.
    """
    start, cpu = time.perf_counter(), time.process_time()
    output_html = Path(output_html)
    try:
        execute_to_html(Path(template), output_html, parameters, title=title, in_process=True,
                        metadata={"inputs": inputs} if inputs else None)
    except Exception as exc:
        # described here, where the exception still has its failing cell (the parent sees only its text)
        record_failure(output_html, output_html.stem, describe_failure(exc))
        raise
    return {"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}
