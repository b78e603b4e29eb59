"""Where a batch's calls run: forked local workers (the default), this process (a batch of one
report), or an existing Dask cluster.

Both runners take the same calls (``"module:function"`` and JSON keyword arguments, see
:mod:`.workers`), return :class:`concurrent.futures.Future` objects and say how many calls to keep in
flight, so :mod:`.batch` drives them with one loop: failures, progress and the index page are the
same wherever the reports are rendered.  On Dask every task runs its call in a fresh process forked
by the worker's own fork server (:func:`.workers.run_isolated`), so isolation between reports holds
there too.
"""

from __future__ import annotations

import os
from concurrent.futures import Future

from .workers import ForkServer, run_isolated
from .zygote import run_call


class InlineRunner:
    """One call, run in this process: for a batch of one report in a process that renders nothing
    else and then exits (the ``outstaff report`` command).

    A fork server would import everything a second time (about 3 s on a 2-core machine) to render
    one report; such a process has nothing of another report in it, so the report is as isolated as
    in a fork.  Never in a process that renders more, or in a notebook's kernel: the report's cells
    would run in the same interpreter as everything else there.
    """

    slots = 1

    def submit(self, call: str, **kwargs) -> Future:
        """Run ``call`` now; the returned future is done."""
        future: Future = Future()
        try:
            future.set_result(run_call(call, kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to the caller, as a forked call's failure is
            future.set_exception(exc)
        return future

    def close(self) -> None:
        """Nothing to stop."""


class LocalRunner:
    """Calls in processes forked from one local fork server.

    Parameters
    ----------
    workers : int, optional
        Calls at once; by default the number of CPUs (rendering is CPU-bound, so more only adds
        latency).
    server : ForkServer, optional
        A fork server started earlier (it imports while the caller plans); by default one is started.
    """

    def __init__(self, workers: int | None = None, *, server: ForkServer | None = None):
        self.slots = workers or os.cpu_count() or 1
        self._server = server or ForkServer()

    def submit(self, call: str, **kwargs) -> Future:
        """Run ``call`` in a new forked process."""
        return self._server.submit(call, **kwargs)

    def close(self) -> None:
        """Stop the fork server."""
        self._server.close()


class DaskRunner:
    """Calls sent to an existing Dask ``distributed`` cluster.

    Parameters
    ----------
    scheduler : str or distributed.Client
        Scheduler address (``tcp://host:8786``) or a connected client.
    workers : int, optional
        Calls at once; by default the cluster's total worker threads.

    Notes
    -----
    The workers must see the data directory, the templates and the output folder at the same paths
    (a shared file system), and have this package installed (``pip install outstaff_analysis[dask]``).
    """

    def __init__(self, scheduler, workers: int | None = None):
        from distributed import Client

        self._own = not isinstance(scheduler, Client)
        self._client = Client(scheduler) if self._own else scheduler
        self.slots = workers or max(1, sum(self._client.nthreads().values()))
        self._tasks = set()

    def submit(self, call: str, **kwargs) -> Future:
        """Run ``call`` as a Dask task (in a process forked on the worker)."""
        task = self._client.submit(run_isolated, call, pure=False, **kwargs)
        self._tasks.add(task)
        future: Future = Future()

        def done(finished) -> None:
            self._tasks.discard(finished)
            try:
                future.set_result(finished.result())
            except Exception as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)

        task.add_done_callback(done)
        return future

    def close(self) -> None:
        """Disconnect (when this runner connected)."""
        if self._own:
            self._client.close()


def make_runner(scheduler=None, workers: int | None = None, *, calls: int | None = None,
                fork_server: ForkServer | None = None, in_this_process: bool = False):
    """:class:`DaskRunner` when a scheduler is given, :class:`InlineRunner` for a single local call
    (``calls=1``) when ``in_this_process`` (the caller is a process that renders nothing else),
    else :class:`LocalRunner` (on ``fork_server`` when one was started already)."""
    if scheduler is not None:
        return DaskRunner(scheduler, workers)
    if calls == 1 and in_this_process:
        return InlineRunner()
    return LocalRunner(workers, server=fork_server)
