"""Keep paths that come from data inside the folder they belong to.

Exports are edited by many people, so a path or an ID read from a cell is untrusted: a transcript
path may be absolute or climb out with ``..`` (or through a symbolic link), and an ID used as a file
name may hold separators, ``..``, control characters or a name Windows reserves.  Every path the
package builds from data goes through this module:

- :func:`resolve_inside` turns a data-given relative path into a file inside a root folder, after
  resolving symbolic links, and accepts Windows separators (``C007\\call.txt``);
- :func:`file_name_problem` says why a value cannot be used as a file name (validation rejects such IDs);
- :func:`child_path` builds ``<folder>/<name><suffix>`` from such a value and checks that it stays in
  ``folder``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from ..exceptions import UnsafePathError

MAX_NAME_BYTES = 200
"""Longest file-name stem accepted (in UTF-8 bytes), leaving room for suffixes like ``.failed.ipynb``."""

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_DRIVE = re.compile(r"^[A-Za-z]:")


def path_problem(relpath: str) -> str:
    """Why ``relpath`` (from data) is not a plain relative path (``""`` when it is).

    Windows separators count as separators; absolute paths, drive letters, UNC paths, ``..``
    components and control characters are refused.
    """
    text = str(relpath).strip().replace("\\", "/")
    if not text:
        return "the path is empty"
    if re.search(r"[\x00-\x1f\x7f]", text):
        return "the path contains control characters"
    if text.startswith("/") or _DRIVE.match(text):
        return "the path is absolute; expected a path relative to the folder"
    if ".." in PurePosixPath(text).parts:
        return "the path climbs out of the folder with `..`"
    return ""


def resolve_inside(root: str | os.PathLike, relpath: str) -> Path:
    """The file ``root/relpath``, resolved (symbolic links followed), checked to lie inside ``root``.

    Parameters
    ----------
    root : path-like
        The folder the path must stay in.
    relpath : str
        A relative path read from data; ``/`` or ``\\`` separate folders.

    Returns
    -------
    Path
        The resolved path (it need not exist).

    Raises
    ------
    UnsafePathError
        If ``relpath`` is absolute, climbs out with ``..``, or resolves (through a link) outside ``root``.
    """
    problem = path_problem(relpath)
    if problem:
        raise UnsafePathError(f"{relpath!r}: {problem}")
    base = Path(root).resolve()
    target = (base / str(relpath).strip().replace("\\", "/")).resolve()
    if not target.is_relative_to(base):
        raise UnsafePathError(f"{relpath!r}: the path leads outside {base} (through a symbolic link)")
    return target


def file_name_problem(value: str) -> str:
    """Why ``value`` cannot be used as a file name on Linux, macOS and Windows (``""`` when it can).

    Refused: empty values, ``.`` and ``..``, a leading dot (hidden files, and the package's own
    temporary files), path separators and the characters Windows forbids (``<>:"/\\|?*``), control
    characters, a trailing dot or space, reserved device names (``CON``, ``NUL``, ``COM1``, ...) and
    names longer than :data:`MAX_NAME_BYTES` bytes.
    """
    text = str(value)
    if not text:
        return "it is empty"
    bad = _FORBIDDEN.search(text)
    if bad:
        return f"it contains {bad.group()!r}; path separators, control characters and <>:\"/\\|?* are not allowed"
    if text.startswith("."):
        return "it starts with a dot"
    if text[-1] in ". ":
        return "it ends with a dot or a space"
    if _WINDOWS_RESERVED.match(text):
        return "it is a device name Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9)"
    if len(text.encode("utf-8")) > MAX_NAME_BYTES:
        return f"it is longer than {MAX_NAME_BYTES} bytes"
    return ""


def child_path(folder: str | os.PathLike, name: str, suffix: str = "") -> Path:
    """``folder/<name><suffix>`` for a ``name`` taken from data, checked to stay directly in ``folder``.

    Raises
    ------
    UnsafePathError
        If ``name`` cannot be a file name (see :func:`file_name_problem`) or the path would leave ``folder``.
    """
    problem = file_name_problem(name)
    if problem:
        raise UnsafePathError(f"{name!r} cannot be used as a file name in {folder}: {problem}")
    folder = Path(folder)
    path = folder / f"{name}{suffix}"
    if path.parent != folder:
        raise UnsafePathError(f"{name!r} would write outside {folder}")
    return path


__all__ = ["MAX_NAME_BYTES", "child_path", "file_name_problem", "path_problem", "resolve_inside"]
