"""Everything a report reads, loaded once: processed tables, settings and scored transcripts.

Reports see nothing after their as-of date (the quarter's last day): tables are passed whole to
the domain functions, which apply ``as_of`` themselves, and transcripts of later interviews are
not even read.

Scoring transcripts is the costly part and a client's scores do not depend on other clients, so
the scores of every client as of a date are computed once (:func:`prepare_inputs`, called once per
batch) and kept in the data directory's cache (:mod:`.firm_cache`), keyed by the hash of the
processed tables, the transcripts, the date, the settings and the package.  :func:`load_inputs`
reads them from there when they are current and otherwise scores only the clients it is asked for.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from pathlib import Path

import pandas as pd

from .. import csi
from ..config import Settings, load_settings
from ..csi.redflags import detect_red_flags
from ..exceptions import InferredSpeakerWarning
from ..io.store import load_processed, raw_dir
from ..periods import resolve_as_of
from .fingerprint import digest, package_digest, settings_digest, tables_digest, transcripts_digest
from .firm_cache import cached_frames, read_entry

SETTINGS_FILE = "settings.yaml"
CACHE_KIND = "transcript-scores"
_CSI_FRAMES = ("sentences", "interviews", "client_quarters", "evidence")


@dataclasses.dataclass(frozen=True)
class ReportInputs:
    """Processed tables, settings and the CSI of the interviews held up to ``as_of``.

    Attributes
    ----------
    tables : dict of DataFrame
        The processed tables.
    settings : Settings
        From ``<data_dir>/settings.yaml`` when present, else the defaults.
    as_of : pandas.Timestamp
        Last instant seen.
    utterances : DataFrame
        Transcripts of the interviews held by ``as_of`` (of the selected clients).
    csi : outstaff_analysis.csi.CSIResult
        Their scores.
    ratings, red_flags : DataFrame
        Spoken ratings and red flags in client speech, with ``client_id`` and ``quarter``.
    """

    tables: dict
    settings: Settings
    as_of: pd.Timestamp
    utterances: pd.DataFrame
    csi: csi.CSIResult
    ratings: pd.DataFrame
    red_flags: pd.DataFrame


def settings_for(data_dir: str | os.PathLike) -> Settings:
    """Settings of a data directory: ``<data_dir>/settings.yaml`` when present, else the defaults."""
    path = Path(data_dir) / SETTINGS_FILE
    return load_settings(path if path.is_file() else None)


def load_inputs(data_dir: str | os.PathLike, *, as_of, client_ids=None) -> ReportInputs:
    """Load processed tables and the scored transcripts of interviews held up to ``as_of``.

    Parameters
    ----------
    data_dir : path-like
        Data directory with ``processed/`` (and ``raw/transcripts``).
    as_of : date-like or quarter
        Nothing after it is read.
    client_ids : iterable of str, optional
        Only these clients' transcripts are kept (all by default).  Without a current cache entry
        only theirs are read and scored.
    """
    as_of = resolve_as_of(as_of)
    tables = load_processed(data_dir)
    settings = settings_for(data_dir)
    held = _held(tables, as_of)
    key = _scores_key(data_dir, tables, held, as_of, settings)
    frames = read_entry(data_dir, CACHE_KIND, key)
    if frames is None:
        if client_ids is not None:
            held = held[held["client_id"].isin(list(client_ids))]
        frames = _score(data_dir, held, settings)
    if client_ids is not None:
        wanted = list(client_ids)
        frames = {name: frame[frame["client_id"].isin(wanted)].reset_index(drop=True)
                  for name, frame in frames.items()}
    return ReportInputs(
        tables=tables,
        settings=settings,
        as_of=as_of,
        utterances=frames["utterances"],
        csi=csi.CSIResult(**{name: frames[f"csi_{name}"] for name in _CSI_FRAMES}),
        ratings=frames["ratings"],
        red_flags=frames["red_flags"],
    )


def prepare_inputs(data_dir: str | os.PathLike, *, as_of) -> str:
    """Score every client's transcripts as of ``as_of`` into the cache, unless already there.

    Returns
    -------
    str
        The cache key (a hash of the processed tables, transcripts, date, settings and package).
    """
    as_of = resolve_as_of(as_of)
    tables = load_processed(data_dir)
    settings = settings_for(data_dir)
    held = _held(tables, as_of)
    key = _scores_key(data_dir, tables, held, as_of, settings)
    cached_frames(data_dir, CACHE_KIND, key, lambda: _score(data_dir, held, settings))
    return key


def _held(tables: dict, as_of: pd.Timestamp) -> pd.DataFrame:
    interviews = tables["interviews"]
    return interviews[interviews["held_at"] <= as_of]


def _scores_key(data_dir, tables, held, as_of, settings) -> str:
    return digest(CACHE_KIND, tables_digest(data_dir), transcripts_digest(data_dir, held), as_of.isoformat(),
                  settings_digest(settings), package_digest())


def _score(data_dir, interviews: pd.DataFrame, settings: Settings) -> dict[str, pd.DataFrame]:
    with warnings.catch_warnings():
        # inferred speakers are flagged per utterance (speaker_inferred) and shown in the report
        warnings.simplefilter("ignore", InferredSpeakerWarning)
        utterances = csi.load_transcripts(interviews, raw_dir(data_dir) / "transcripts")
    scored = csi.score_csi(utterances, settings=settings)
    context = utterances[["interview_id", "client_id", "held_at"]].drop_duplicates("interview_id")
    return {
        "utterances": utterances,
        "ratings": _with_client(csi.extract_ratings(utterances), context),
        "red_flags": _with_client(detect_red_flags(utterances), context),
        **{f"csi_{name}": getattr(scored, name) for name in _CSI_FRAMES},
    }


def _with_client(frame: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    out = frame.merge(context, on="interview_id", how="left")
    out["quarter"] = out["held_at"].dt.to_period("Q").astype(str)
    return out
