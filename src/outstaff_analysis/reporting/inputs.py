"""Everything a report reads, loaded once: the data set as of the report's quarter.

Reports see nothing after their as-of date (the quarter's last day): they load their data through
:func:`outstaff_analysis.load`, the analyst's entry point, so a report and a notebook on the same
data directory and date agree (same cut, same settings).

Scoring the transcripts is the costly part of that, and a client's scores do not depend on other
clients, so a batch scores every client once (:func:`prepare_inputs`) into the data directory's
cache (:mod:`.firm_cache`), keyed by the hash of the processed tables, the transcripts, the date,
the settings and the package.  :func:`load_inputs` hands a report those scores, cut to its
clients, when they are current, and otherwise leaves the data set to score its own clients.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..csi import CSIResult
from ..dataset import Dataset, load
from .fingerprint import digest, package_digest, settings_digest, tables_digest, transcripts_digest
from .firm_cache import cached_frames, read_entry
from .firm_context import firm_context

CACHE_KIND = "transcript-scores"
_CSI_FRAMES = ("sentences", "interviews", "client_quarters", "evidence")

REPORTS = "client and portfolio reports"
"""The :data:`~outstaff_analysis.io.coverage.ANALYSES` entry the reports need."""

ReportInputs = Dataset
"""What the report builders read: a :class:`~outstaff_analysis.dataset.Dataset`."""


def load_inputs(data_dir: str | os.PathLike, *, as_of, client_ids=None) -> Dataset:
    """Load the data set of ``data_dir`` as of ``as_of`` (required: a report is always as of a date).

    Parameters
    ----------
    data_dir : path-like
        Data directory with ``processed/`` (and ``raw/transcripts``).
    as_of : date-like or quarter
        Nothing after it is read.
    client_ids : iterable of str, optional
        Only these clients' transcripts are read (all by default).

    Raises
    ------
    ValueError
        Without ``as_of``, or when the export lacks a table the reports need (a funnel-only export).
    """
    if as_of is None:
        raise ValueError("`as_of` is required: pass a date such as '2024-12-31' or a quarter such as '2024Q4'")
    data = load(data_dir, as_of=as_of, client_ids=client_ids)
    support = data.supported_analyses().set_index("analysis").loc[REPORTS]
    if not support["supported"]:
        raise ValueError(f"the reports need {support['missing']}, which the export in {data.data_dir} does not have")
    frames = read_entry(data.data_dir, CACHE_KIND, scores_key(data))
    if frames is not None:
        _use_scores(data, frames)
    return data


def prepare_inputs(data_dir: str | os.PathLike, *, as_of) -> str:
    """Score every client's transcripts as of ``as_of`` into the cache, and compute the firm's context
    of the quarter (:mod:`.firm_context`), unless they are there already.

    Returns
    -------
    str
        The cache key.
    """
    data = load(data_dir, as_of=as_of)
    key = scores_key(data)
    cached_frames(data.data_dir, CACHE_KIND, key, lambda: score_frames(data))
    firm_context(data, str(data.as_of.to_period("Q")))
    return key


def scores_key(data: Dataset) -> str:
    """Hash of what the transcript scores of ``data`` are computed from."""
    return digest(CACHE_KIND, tables_digest(data.data_dir), transcripts_digest(data.data_dir, data.interviews),
                  data.as_of.isoformat(), settings_digest(data.settings), package_digest())


def score_frames(data: Dataset) -> dict[str, pd.DataFrame]:
    """The scored transcripts of ``data`` as named frames (what the cache stores)."""
    return {"utterances": data.utterances, "ratings": data.ratings, "red_flags": data.red_flags,
            **{f"csi_{name}": getattr(data.csi, name) for name in _CSI_FRAMES}}


def _use_scores(data: Dataset, frames: dict[str, pd.DataFrame]) -> None:
    """Give ``data`` the cached scores of its clients, as if it had computed them itself."""
    if data.transcript_clients is not None:
        wanted = list(data.transcript_clients)
        frames = {name: frame[frame["client_id"].isin(wanted)].reset_index(drop=True)
                  for name, frame in frames.items()}
    # the data set computes these on first use (functools.cached_property): fill them in instead
    vars(data).update(utterances=frames["utterances"], ratings=frames["ratings"], red_flags=frames["red_flags"],
                      csi=CSIResult(**{name: frames[f"csi_{name}"] for name in _CSI_FRAMES}))


def settings_source(data: Dataset) -> Path | None:
    """The ``settings.yaml`` a report's settings came from (None: the package's defaults)."""
    path = Path(data.data_dir) / "settings.yaml"
    return path if path.is_file() else None
