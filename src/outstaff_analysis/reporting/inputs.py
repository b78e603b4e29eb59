"""Everything a report reads, loaded once: processed tables, settings and scored transcripts.

Reports see nothing after their as-of date (the quarter's last day): tables are passed whole to
the domain functions, which apply ``as_of`` themselves, and transcripts of later interviews are
not even read.
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

SETTINGS_FILE = "settings.yaml"


@dataclasses.dataclass(frozen=True)
class ReportInputs:
    """Processed tables, settings and the CSI of the interviews held up to ``as_of``.

    Attributes
    ----------
    tables : dict of DataFrame
        The processed tables.
    settings : Settings
        From ``<data_dir>/settings.yaml`` when present, else the defaults.
    settings_file : pathlib.Path or None
        That ``settings.yaml``, or None when the defaults apply.
    as_of : pandas.Timestamp
        Last instant seen.
    utterances : DataFrame
        Transcripts of the interviews held by ``as_of`` (of the selected clients).
    csi : outstaff_analysis.csi.CSIResult
        Their scores.
    ratings, red_flags : DataFrame
        Spoken ratings and red flags in client speech, with ``client_id`` and ``quarter``.
    client_ids : tuple of str or None
        The clients whose transcripts were read (None: every client).
    """

    tables: dict
    settings: Settings
    settings_file: Path | None
    as_of: pd.Timestamp
    utterances: pd.DataFrame
    csi: csi.CSIResult
    ratings: pd.DataFrame
    red_flags: pd.DataFrame
    client_ids: tuple | None = None


def settings_file(data_dir: str | os.PathLike) -> Path | None:
    """``<data_dir>/settings.yaml`` if it exists, else None."""
    path = Path(data_dir) / SETTINGS_FILE
    return path if path.is_file() else None


def settings_for(data_dir: str | os.PathLike) -> Settings:
    """Settings of a data directory: ``<data_dir>/settings.yaml`` when present, else the defaults."""
    return load_settings(settings_file(data_dir))


def load_inputs(data_dir: str | os.PathLike, *, as_of, client_ids=None) -> ReportInputs:
    """Load processed tables and score the transcripts of interviews held up to ``as_of``.

    Parameters
    ----------
    data_dir : path-like
        Data directory with ``processed/`` (and ``raw/transcripts``).
    as_of : date-like or quarter
        Nothing after it is read.
    client_ids : iterable of str, optional
        Only these clients' transcripts are read (all by default).
    """
    as_of = resolve_as_of(as_of)
    tables = load_processed(data_dir)
    interviews = tables["interviews"]
    interviews = interviews[interviews["held_at"] <= as_of]
    if client_ids is not None:
        interviews = interviews[interviews["client_id"].isin(list(client_ids))]
    with warnings.catch_warnings():
        # inferred speakers are flagged per utterance (speaker_inferred) and shown in the report
        warnings.simplefilter("ignore", InferredSpeakerWarning)
        utterances = csi.load_transcripts(interviews, raw_dir(data_dir) / "transcripts")
    settings = settings_for(data_dir)
    scored = csi.score_csi(utterances, settings=settings)
    context = utterances[["interview_id", "client_id", "held_at"]].drop_duplicates("interview_id")
    return ReportInputs(
        tables=tables,
        settings=settings,
        settings_file=settings_file(data_dir),
        as_of=as_of,
        utterances=utterances,
        csi=scored,
        ratings=_with_client(csi.extract_ratings(utterances), context),
        red_flags=_with_client(detect_red_flags(utterances), context),
        client_ids=None if client_ids is None else tuple(client_ids),
    )


def _with_client(frame: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    out = frame.merge(context, on="interview_id", how="left")
    out["quarter"] = out["held_at"].dt.to_period("Q").astype(str)
    return out
