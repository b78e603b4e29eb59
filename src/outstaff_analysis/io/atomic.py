"""Write files so that no reader ever sees half of one, and keep two runs from writing one folder.

Every file the package writes goes through :func:`atomic_path`: the content is written to a temporary
file with a unique name in the target's folder (two writers never share it), flushed to disk, then
moved over the target with :func:`os.replace`, which readers see as one step.  Folders that whole
runs rewrite (``data/processed``, ``reports/<quarter>``) are held with :func:`folder_lock` for the
run, so a second run stops at once with a clear message instead of mixing its files with the first's.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from ..exceptions import OutstaffError

LOCK_FILE = ".outstaff.lock"
"""Name of the lock file :func:`folder_lock` keeps in a folder."""

TEMP_SUFFIX = ".tmp"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a fresh temporary path beside ``path``; when the block ends without error, move it onto ``path``.

    The temporary file is created empty (so a library may open it by name), is named
    ``.<name>.<random>.tmp`` in the same folder (so :func:`os.replace` is atomic), is synced to disk
    before the move, and is removed if the block fails.

    Parameters
    ----------
    path : path-like
        The file to write; its folder is created.

    Yields
    ------
    Path
        Where to write the content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | os.PathLike, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_path`)."""
    return write_bytes_atomic(path, text.encode(encoding))


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike) -> Iterator[Path]:
    """Hold ``folder`` for one run; raise at once if another run (process or thread) holds it.

    Raises
    ------
    OutstaffError
        ``another run holds <folder>``, when it is held.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / LOCK_FILE, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise OutstaffError(f"another run holds {folder}; wait for it to finish, then run again "
                            f"(the lock is {folder / LOCK_FILE})") from None
    try:
        yield folder
    finally:
        lock.release()


def remove_temp_files(folder: str | os.PathLike) -> list[Path]:
    """Remove the temporary files that killed runs left below ``folder`` (``.<name>.<random>.tmp``); returns them.

    Call it only while holding the folder (:func:`folder_lock`): a run in progress has such files too.
    """
    folder = Path(folder)
    found = sorted(p for p in folder.rglob(f".*{TEMP_SUFFIX}") if p.is_file()) if folder.is_dir() else []
    for path in found:
        path.unlink(missing_ok=True)
    return found


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX; Windows cannot open a folder)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


__all__ = ["LOCK_FILE", "atomic_path", "folder_lock", "remove_temp_files", "write_bytes_atomic", "write_text_atomic"]
