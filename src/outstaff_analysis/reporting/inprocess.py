"""A papermill engine that runs a notebook's cells in an IPython shell inside the current process.

papermill still does everything of its contract: it reads the template, injects the parameters
after the ``parameters`` cell, records them in ``metadata.papermill.parameters``, times every cell
and raises :class:`papermill.PapermillExecutionError` (the executed notebook written first) when a
cell fails.  Only the transport changes: instead of a Jupyter kernel behind ZeroMQ, the cells run
in an :class:`IPython.core.interactiveshell.InteractiveShell` of this process, whose outputs (streams,
``display`` calls, a cell's last value, tracebacks) are recorded as the same nbformat outputs a
kernel would send.  Magics such as ``%matplotlib inline`` work as in a kernel.

The shell shares the process with whatever ran before, so this engine is meant for a process that
renders exactly one report and then exits: :mod:`~outstaff_analysis.reporting.workers` forks one
from a pre-imported parent for each report.
"""

from __future__ import annotations

import base64
import contextlib
import io
import sys

import papermill
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbformat.v4 import new_output
from papermill.engines import Engine, papermill_engines
from traitlets.config import Config

ENGINE_NAME = "outstaff-inprocess"
"""Name under which the engine is registered with papermill."""


class _Outputs:
    """The outputs of the cell being run."""

    def __init__(self):
        self.items: list = []

    def stream(self, name: str, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.items.append(new_output("stream", name=name, text=text))


class _Stream(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr`` while a cell runs: text becomes a stream output."""

    def __init__(self, name: str, outputs: _Outputs):
        self.name, self._outputs = name, outputs

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            self._outputs.stream(self.name, text)
        return len(text)


def _jsonable(data: dict) -> dict:
    """Mime bundle as a kernel sends it: binary payloads base64-encoded."""
    return {mime: base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
            for mime, value in data.items()}


class _Publisher(DisplayPublisher):
    """``display(...)`` -> a ``display_data`` output of the running cell."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs) -> None:
        self.shell.outputs.items.append(new_output("display_data", data=_jsonable(data), metadata=metadata or {}))

    def clear_output(self, wait=False) -> None:
        self.shell.outputs.items.clear()


class _DisplayHook(DisplayHook):
    """A cell's last expression -> an ``execute_result`` output."""

    def start_displayhook(self) -> None:
        self._bundle = None

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        self._bundle = (format_dict, md_dict or {})

    def finish_displayhook(self) -> None:
        if self._bundle is not None:
            data, metadata = self._bundle
            self.shell.outputs.items.append(new_output("execute_result", data=_jsonable(data), metadata=metadata,
                                                       execution_count=self.shell.execution_count))


class ReportShell(InteractiveShell):
    """An IPython shell that records outputs as nbformat outputs instead of printing them."""

    displayhook_class = _DisplayHook
    display_pub_class = _Publisher

    def __init__(self, **kwargs):
        self.outputs = _Outputs()
        super().__init__(**kwargs)

    def enable_gui(self, gui=None) -> None:
        """Figures are shown inline (``%matplotlib inline``); there is no GUI event loop to start."""
        if gui not in (None, "inline"):
            raise ValueError(f"The value for `gui` must be None or 'inline' in a report, but {gui!r} was passed")

    def _showtraceback(self, etype, evalue, stb) -> None:
        self.outputs.items.append(new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=stb))

    def run(self, source: str) -> tuple[list, int, bool]:
        """Run one cell: its outputs, its execution count, and whether it succeeded."""
        self.outputs = _Outputs()
        count = self.execution_count
        with contextlib.redirect_stdout(_Stream("stdout", self.outputs)), \
                contextlib.redirect_stderr(_Stream("stderr", self.outputs)):
            result = self.run_cell(source, store_history=True)
        return self.outputs.items, count, result.success


def report_shell() -> ReportShell:
    """The process's report shell (created on first use; no history file, no colours)."""
    if ReportShell.initialized():
        return ReportShell.instance()
    config = Config()
    config.HistoryManager.enabled = False
    return ReportShell.instance(config=config, colors="nocolor")


LANGUAGE_INFO = {
    "name": "python",
    "version": sys.version.split()[0],
    "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
    "file_extension": ".py",
}
"""What ipykernel reports about its language, and a kernel run records in the notebook's metadata."""

INJECTED_CELL_ID = "injected-parameters"
"""Id of papermill's injected-parameters cell (papermill draws a random one; outputs must not vary)."""


class InProcessEngine(Engine):
    """papermill engine running the cells in :func:`report_shell`; stops at the first failing cell."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs) -> None:
        shell = report_shell()
        nb_man.nb.metadata["language_info"] = dict(LANGUAGE_INFO)
        for cell in nb_man.nb.cells:
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.id = INJECTED_CELL_ID
        for index, cell in enumerate(nb_man.nb.cells):
            nb_man.cell_start(cell, index)
            try:
                if cell.cell_type != "code":
                    continue
                cell.outputs, cell.execution_count, success = shell.run(cell.source)
                if not success:
                    nb_man.cell_exception(cell, cell_index=index, exception=RuntimeError("cell failed"))
                    break
            finally:
                nb_man.cell_complete(cell, cell_index=index)


papermill_engines.register(ENGINE_NAME, InProcessEngine)


def execute_in_process(template, output, parameters: dict) -> None:
    """papermill ``execute_notebook`` of ``template`` into ``output`` with :class:`InProcessEngine`.

    The notebook is written once, when it is done (or has failed), not after every cell: nobody
    watches a report's notebook while it runs, and saving a notebook of images twenty times cost
    more than a tenth of a second per report.
    """
    papermill.execute_notebook(str(template), str(output), parameters=parameters, engine_name=ENGINE_NAME,
                               progress_bar=False, request_save_on_cell_execute=False)

