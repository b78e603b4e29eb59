"""Keep the demo from overwriting a user's own exports.

The demo writes only into a folder that is empty or that it wrote itself.  After writing it leaves
:data:`MARKER_FILE`, which records the SHA-256 of every file it wrote; a later run may replace a
file only if it still has that hash (the user has not edited it) or already holds exactly the bytes
the run would write (nothing is lost, which also recognises demo folders written before the marker
existed).  Any other file (a user's export, an edited demo file) stops the run unless forced.
Hidden files (``.gitkeep``) are ignored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from ..exceptions import OutstaffError
from ..io.atomic import write_text_atomic

MARKER_FILE = ".outstaff-demo.json"
"""The demo's record of what it wrote, in the folder it wrote."""


def existing_files(raw: Path) -> list[str]:
    """Visible files below ``raw``, as POSIX paths relative to it (hidden files and folders skipped)."""
    if not raw.is_dir():
        return []
    return sorted(
        path.relative_to(raw).as_posix()
        for path in raw.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(raw).parts)
    )


def check_target(raw: Path, planned: Mapping[str, bytes], *, force: bool) -> None:
    """Refuse to write the demo into ``raw`` when it holds files the demo did not write.

    Parameters
    ----------
    raw : Path
        The folder the demo will write.
    planned : mapping
        Relative path -> bytes the demo is about to write.
    force : bool
        Write anyway.

    Raises
    ------
    OutstaffError
        Naming the folder, the foreign files and the ``--force`` flag.
    """
    if force:
        return
    recorded = recorded_hashes(raw)
    foreign = [name for name in existing_files(raw) if not _ours(raw / name, recorded.get(name), planned.get(name))]
    if foreign:
        shown = ", ".join(foreign[:5]) + (f", and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise OutstaffError(
            f"{raw} holds files the demo did not write ({shown}); the demo writes only into an empty folder or "
            f"one it wrote itself (see {MARKER_FILE}). Pass --force (outstaff demo --force; force=True from "
            "Python) to overwrite them, or choose another --data-dir"
        )


def recorded_hashes(raw: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of the files the last demo run wrote into ``raw`` (empty when unmarked)."""
    try:
        files = json.loads((raw / MARKER_FILE).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def stale_files(raw: Path, planned: Mapping[str, bytes]) -> list[str]:
    """Files an earlier demo run wrote into ``raw``, still unchanged, that this run does not write."""
    return sorted(name for name, digest in recorded_hashes(raw).items()
                  if name not in planned and (raw / name).is_file() and _sha256((raw / name).read_bytes()) == digest)


def write_marker(raw: Path, written: Mapping[str, bytes]) -> None:
    """Record the SHA-256 of every file the demo wrote into ``raw``."""
    files = {name: _sha256(data) for name, data in sorted(written.items())}
    write_text_atomic(raw / MARKER_FILE, json.dumps({"written_by": "outstaff demo", "files": files}, indent=1) + "\n")


def _ours(path: Path, recorded: str | None, planned: bytes | None) -> bool:
    data = path.read_bytes()
    return (recorded is not None and _sha256(data) == recorded) or (planned is not None and data == planned)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


__all__ = ["MARKER_FILE", "check_target", "existing_files", "recorded_hashes", "stale_files", "write_marker"]
