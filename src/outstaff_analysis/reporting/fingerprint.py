"""Content hashes of what a report is made from: data, transcripts, settings, template and code.

A report, or a cached firm-wide input, is current when the hash of its inputs is the one recorded
when it was made.  Hashes are over file bytes (not modification times), so copying a data
directory or touching a file does not make anything stale, and any changed byte does.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from ..config import Settings
from ..io.store import processed_dir, raw_dir

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
"""The installed ``outstaff_analysis`` folder (code, locale files, lexicon and the bundled CSI model)."""

_CHUNK = 1 << 20


def digest(*parts) -> str:
    """SHA-256 (hex) of ``parts`` serialised as JSON (keys sorted, paths as strings)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def file_digest(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, or ``"missing"`` when there is no such file."""
    path = Path(path)
    if not path.is_file():
        return "missing"
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            sha.update(chunk)
    return sha.hexdigest()


def tree_digest(root: Path, files) -> str:
    """Hash of ``files`` (paths below ``root``), by their relative names and bytes."""
    return digest(sorted((str(Path(p).relative_to(root)), file_digest(p)) for p in files))


@functools.cache
def package_digest() -> str:
    """Hash of the package itself: every file under :data:`PACKAGE_ROOT` except bytecode.

    It stands for the package version, and also changes with an editable install's code, the
    lexicon or the bundled model files, any of which can change a report.
    """
    files = [p for p in PACKAGE_ROOT.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return tree_digest(PACKAGE_ROOT, files)


def tables_digest(data_dir: str | os.PathLike) -> str:
    """Hash of the processed tables (``processed/*.parquet``)."""
    processed = processed_dir(data_dir)
    return tree_digest(processed, processed.glob("*.parquet"))


def settings_digest(settings: Settings) -> str:
    """Hash of every setting's value (the frozen dataclass's repr lists them all)."""
    return digest(repr(settings))


def transcripts_digest(data_dir: str | os.PathLike, interviews: pd.DataFrame) -> str:
    """Hash of the transcript files of ``interviews`` (paths and bytes; a missing file counts too)."""
    if "transcript" not in interviews:
        return digest([])
    folder = raw_dir(data_dir) / "transcripts"
    pairs = sorted(zip(interviews["interview_id"].astype(str), interviews["transcript"].astype(str)))
    return digest([(iid, rel, file_digest(folder / rel.strip().replace("\\", "/"))) for iid, rel in pairs])
