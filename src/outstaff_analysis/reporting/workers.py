"""Run calls in fresh processes forked from a pre-imported fork server (:mod:`.zygote`).

:class:`ForkServer` starts the server once (it imports pandas, matplotlib, IPython, papermill,
nbconvert and the report code: the 1.5-2 s every report kernel used to spend), then each
:meth:`ForkServer.submit` forks a child that runs one call and exits.  Calls are named as
``"module:function"`` with JSON keyword arguments, and return JSON; :func:`run_isolated` runs one
call through a server of its own process (how Dask workers render).
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Self

PRELOAD = (
    "numpy", "pandas", "scipy.stats", "matplotlib.pyplot", "matplotlib_inline.backend_inline", "seaborn",
    "lifelines", "IPython", "papermill", "nbformat", "nbconvert",
    "outstaff_analysis.reporting.render:warm_up",
    "outstaff_analysis.reporting.client_sections",
    "outstaff_analysis.reporting.portfolio_sections",
)
"""Modules the fork server imports before forking (those every report imports), and its warm-up."""

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


class WorkerError(RuntimeError):
    """A call failed in its worker process (or the process died); ``traceback`` is the child's."""

    def __init__(self, message: str, traceback: str = ""):
        super().__init__(message)
        self.traceback = traceback


class ForkServer:
    """A fork server process and the calls in flight (thread-safe).

    Parameters
    ----------
    preload : sequence of str
        Modules imported once by the server.
    """

    def __init__(self, preload=PRELOAD):
        self._preload = tuple(preload)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._calls = 0
        self._futures: dict[int, Future] = {}
        self._process = None
        self._start()

    def _start(self) -> None:
        env = dict(os.environ)
        # the children must import this very package, also when it is not installed (a source checkout)
        package_parent = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
        # what a Jupyter kernel sets: figures go to display() unless a notebook says otherwise
        env.setdefault("MPLBACKEND", INLINE_BACKEND)
        self._process = subprocess.Popen([sys.executable, "-m", "outstaff_analysis.reporting.zygote", *self._preload],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self._reader = threading.Thread(target=self._read, args=(self._process,), daemon=True,
                                        name="outstaff-fork-server-reader")
        self._reader.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            answer = json.loads(line)
            with self._lock:
                future = self._futures.pop(answer["id"])
            if answer["ok"]:
                future.set_result(answer["result"])
            else:
                future.set_exception(WorkerError(answer["error"], answer.get("traceback", "")))
        process.wait()
        process.stdout.close()
        with self._lock:
            if process is not self._process:
                return
            lost, self._futures = self._futures, {}
        for future in lost.values():
            future.set_exception(WorkerError(f"the fork server ended (exit status {process.returncode}) while "
                                             "this call was running"))

    def submit(self, call: str, **kwargs) -> Future:
        """Run ``call`` (``"module:function"``) with ``kwargs`` in a new forked process.

        Returns
        -------
        concurrent.futures.Future
            Its result is the call's (JSON) result; a failure raises :class:`WorkerError`.
        """
        future: Future = Future()
        with self._lock:
            if self._process.poll() is not None:
                lost, self._futures = self._futures, {}
                for pending in lost.values():
                    pending.set_exception(WorkerError("the fork server ended while this call was running"))
                self._start()
            call_id = next(self._ids)
            self._calls += 1
            self._futures[call_id] = future
            line = json.dumps({"id": call_id, "call": call, "kwargs": kwargs}, default=str) + "\n"
            self._process.stdin.write(line.encode())
            self._process.stdin.flush()
        return future

    def close(self) -> None:
        """Let the calls in flight finish, then stop the server (at once if it never got a call)."""
        with self._lock:
            process, reader, idle = self._process, self._reader, not self._calls
        if idle:  # still importing, perhaps: nothing to wait for
            process.terminate()
        if not process.stdin.closed:
            process.stdin.close()
        process.wait()
        reader.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_SHARED: ForkServer | None = None
_SHARED_LOCK = threading.Lock()


def run_isolated(call: str, **kwargs):
    """Run ``call`` in a fresh child of this process's shared fork server (started on first use).

    This is what a Dask task runs: each worker process keeps one server, and every report still
    gets a process of its own.
    """
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = ForkServer()
            atexit.register(_SHARED.close)
    return _SHARED.submit(call, **kwargs).result()
