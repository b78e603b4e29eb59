"""The fork server behind :mod:`.workers`: import once, then fork one fresh process per call.

Run as ``python -m outstaff_analysis.reporting.zygote MODULE...``.  It imports the given modules
(the libraries and report code every report needs; ``module:function`` also calls the function,
to warm lazily loaded caches such as compiled templates and fonts), then reads calls from stdin, one JSON object a
line: ``{"id": 1, "call": "package.module:function", "kwargs": {...}}``.  For each it forks a child,
which runs the call and sends back one JSON line ``{"id": 1, "ok": true, "result": ...}`` or
``{"id": 1, "ok": false, "error": "...", "traceback": "..."}`` and exits.  A child that dies
without answering (killed, out of memory, ``os._exit``) is reported as failed with its exit
status.  The server itself never runs a call, so every child starts from the same just-imported
state, and nothing one call does can reach the next.

It is single-threaded (forking a threaded process is unsafe), and its own standard output is the
reply channel: it is moved aside at start, and anything the children print goes to stderr.
"""

from __future__ import annotations

import importlib
import json
import os
import selectors
import signal
import sys
import traceback

from outstaff_analysis.reporting.startup import skip_iri_grammars


def run_call(call: str, kwargs: dict):
    """Import ``call`` (``"package.module:function"``) and call it with ``kwargs``."""
    module, _, name = call.partition(":")
    function = getattr(importlib.import_module(module), name)
    return function(**kwargs)


def _child(request: dict, reply_fd: int) -> None:
    """Run one call in a forked child and write its answer to ``reply_fd``; never returns."""
    try:
        answer = {"ok": True, "result": run_call(request["call"], request.get("kwargs", {}))}
    except BaseException as exc:  # noqa: BLE001 - every failure is the caller's to report
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        answer = {"ok": False, "error": last, "traceback": traceback.format_exc()}
    data = json.dumps({"id": request["id"], **answer}, default=str).encode()
    try:
        while data:
            data = data[os.write(reply_fd, data):]
    finally:
        os._exit(0)


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        return f"the report's worker process was killed by signal {number} ({signal.Signals(number).name})"
    return f"the report's worker process exited with status {os.waitstatus_to_exitcode(status)} without an answer"


def _answer(call_id, data: bytes, status: int) -> bytes:
    """The child's answer, or a failure naming how it ended when it left none (or half of one)."""
    try:
        json.loads(data)
        return data
    except ValueError:
        return json.dumps({"id": call_id, "ok": False, "error": _exit_reason(status), "traceback": ""}).encode()


def serve(preload: list[str]) -> None:
    """Import ``preload``, then fork one child per call read from stdin until stdin closes."""
    skip_iri_grammars()
    for entry in preload:
        module, _, function = entry.partition(":")
        imported = importlib.import_module(module)
        if function:
            getattr(imported, function)()
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    selector = selectors.DefaultSelector()
    selector.register(0, selectors.EVENT_READ, None)
    pending, children, reading = b"", {}, True
    while reading or children:
        for key, _ in selector.select():
            if key.data is None:
                chunk = os.read(0, 1 << 16)
                if not chunk:
                    selector.unregister(0)
                    reading = False
                    continue
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    request = json.loads(line)
                    read_fd, write_fd = os.pipe()
                    pid = os.fork()
                    if pid == 0:
                        os.close(read_fd)
                        selector.close()
                        replies.close()
                        _child(request, write_fd)
                    os.close(write_fd)
                    children[read_fd] = (request["id"], pid, bytearray())
                    selector.register(read_fd, selectors.EVENT_READ, read_fd)
            else:
                call_id, pid, buffer = children[key.data]
                chunk = os.read(key.data, 1 << 16)
                if chunk:
                    buffer.extend(chunk)
                    continue
                selector.unregister(key.data)
                os.close(key.data)
                del children[key.data]
                _, status = os.waitpid(pid, 0)
                replies.write(_answer(call_id, bytes(buffer), status) + b"\n")


if __name__ == "__main__":
    serve(sys.argv[1:])
