"""Firm-wide inputs of a quarter, computed once and kept on disk under a content hash.

Every report of a quarter needs the same firm-wide inputs (the scored transcripts of every client,
the firm's benchmark curves).  :func:`cached_frames` stores such a set of frames as Parquet in
``<data_dir>/cache/<kind>-<key>/``, where ``key`` hashes what the frames were computed from
(processed tables, transcripts, the quarter, the settings and the package itself, see
:mod:`.fingerprint`).  A rerun with unchanged inputs reads them back (Parquet round-trips these
frames exactly: dtypes, values and index); any changed input gives another key, so a stale entry is
never read.  Entries are written to a temporary folder and renamed into place, so concurrent
workers and interrupted runs never see half an entry.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

CACHE_FOLDER = "cache"
"""Folder of the cache inside the data directory."""


def cache_dir(data_dir: str | os.PathLike) -> Path:
    """``<data_dir>/cache``: derived files, safe to delete at any time."""
    return Path(data_dir) / CACHE_FOLDER


def entry_dir(data_dir: str | os.PathLike, kind: str, key: str) -> Path:
    """Folder of one cache entry."""
    return cache_dir(data_dir) / f"{kind}-{key[:24]}"


def read_entry(data_dir: str | os.PathLike, kind: str, key: str) -> dict[str, pd.DataFrame] | None:
    """The frames of a complete entry, or None when there is none."""
    folder = entry_dir(data_dir, kind, key)
    if not folder.is_dir():
        return None
    return {path.stem: pd.read_parquet(path) for path in sorted(folder.glob("*.parquet"))}


def write_entry(data_dir: str | os.PathLike, kind: str, key: str, frames: dict[str, pd.DataFrame]) -> Path:
    """Store ``frames`` as an entry (atomically: a finished entry of the same key is kept as is)."""
    folder = entry_dir(data_dir, kind, key)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        for name, frame in frames.items():
            frame.to_parquet(tmp / f"{name}.parquet")
        os.replace(tmp, folder)
    except OSError:
        if not folder.is_dir():  # not another writer's finished entry: a real failure
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def cached_frames(data_dir: str | os.PathLike, kind: str, key: str,
                  compute: Callable[[], dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Frames of entry ``kind``/``key``: read from the cache, else computed by ``compute()`` and stored."""
    found = read_entry(data_dir, kind, key)
    if found is not None:
        return found
    frames = compute()
    write_entry(data_dir, kind, key, frames)
    return frames
