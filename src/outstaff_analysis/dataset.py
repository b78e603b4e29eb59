"""One entry point for an analyst: :func:`load` a data directory (or :func:`load_demo`) as a :class:`Dataset`.

A :class:`Dataset` holds the validated tables, the settings and the client interviews, all cut at
one ``as_of`` (:func:`outstaff_analysis.io.snapshot.snapshot`: nothing after the end of that day
is seen).  Transcripts are read and scored on first use, then kept.  The reports load their data
through it too, so a notebook and a report on the same data directory and date agree.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd

from .config import Settings, resolve_data_dir, resolve_settings
from .exceptions import InferredSpeakerWarning, SchemaError
from .io.coverage import MANIFEST_FILE, analysis_support, read_manifest
from .io.snapshot import latest_date, snapshot
from .io.store import load_processed, raw_dir
from .periods import resolve_as_of
from .schema import TABLES


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """Validated tables, settings and client interviews of one firm, as of one day.

    Build it with :func:`load` or :func:`load_demo`.  Tables are attributes
    (``data.placements``, ``data.requests``...) and items (``data["placements"]``).

    Attributes
    ----------
    tables : dict of str to DataFrame
        Every processed table, cut at ``as_of``.
    settings : Settings
        The settings every analysis of this data set uses.
    as_of : pandas.Timestamp
        The last instant seen (the end of the as-of day).
    data_dir : pathlib.Path
        The data directory (``raw/`` and ``processed/``).
    present : tuple of str
        The tables the export had (the others are empty).
    """

    tables: dict
    settings: Settings
    as_of: pd.Timestamp
    data_dir: Path
    present: tuple[str, ...]
    transcript_clients: tuple[str, ...] | None = None

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in TABLES:
            return self.tables[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __dir__(self):
        return sorted({*super().__dir__(), *TABLES})

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise KeyError(f"The value for the table name must be one of {list(self.tables)}, but {name!r} was passed")
        return self.tables[name]

    @functools.cached_property
    def utterances(self) -> pd.DataFrame:
        """Transcripts of the interviews held by ``as_of`` (read on first use).

        Speakers inferred from the conversation are flagged per utterance (``speaker_inferred``)
        rather than warned about, as the reports show them.
        """
        from . import csi

        interviews = self.tables["interviews"]
        if self.transcript_clients is not None:
            interviews = interviews[interviews["client_id"].isin(self.transcript_clients)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InferredSpeakerWarning)
            return csi.load_transcripts(interviews, raw_dir(self.data_dir) / "transcripts", as_of=self.as_of)

    @functools.cached_property
    def csi(self):
        """CSI of the client speech in :attr:`utterances` (an :class:`~outstaff_analysis.csi.CSIResult`)."""
        from . import csi

        return csi.score_csi(self.utterances, settings=self.settings)

    @functools.cached_property
    def ratings(self) -> pd.DataFrame:
        """Ratings said aloud in the interviews, with ``client_id``, ``held_at`` and ``quarter``."""
        from .csi import extract_ratings

        return self._with_client(extract_ratings(self.utterances))

    @functools.cached_property
    def red_flags(self) -> pd.DataFrame:
        """Red flags in client speech, with ``client_id``, ``held_at`` and ``quarter``."""
        from .csi import detect_red_flags

        return self._with_client(detect_red_flags(self.utterances))

    def tenure(self) -> pd.DataFrame:
        """Placement durations as of ``as_of``, with client and specialist attributes joined.

        See :func:`outstaff_analysis.survival.tenure_frame`.
        """
        from .survival import tenure_frame

        return tenure_frame(self.placements, as_of=self.as_of, settings=self.settings,
                            clients=self.clients, specialists=self.specialists)

    def accounts(self) -> pd.DataFrame:
        """Client account lives as of ``as_of`` (see :func:`outstaff_analysis.survival.account_lives`)."""
        from .survival import account_lives

        return account_lives(self.placements, as_of=self.as_of, settings=self.settings, clients=self.clients)

    def supported_analyses(self) -> pd.DataFrame:
        """Which analyses the tables present support (see :func:`outstaff_analysis.io.coverage.analysis_support`)."""
        return analysis_support(self.present, self.tables)

    def _with_client(self, frame: pd.DataFrame) -> pd.DataFrame:
        context = self.utterances[["interview_id", "client_id", "held_at"]].drop_duplicates("interview_id")
        out = frame.merge(context, on="interview_id", how="left")
        out["quarter"] = out["held_at"].dt.to_period("Q").astype(str)
        return out

    def summary(self) -> pd.DataFrame:
        """One row per table: ``table``, ``rows`` seen by ``as_of``, ``present`` in the export."""
        return pd.DataFrame({"table": list(self.tables), "rows": [len(t) for t in self.tables.values()],
                             "present": [name in self.present for name in self.tables]})

    def __repr__(self) -> str:
        rows = ", ".join(f"{r.table} {r.rows:,}" for r in self.summary().itertuples() if r.present)
        return f"<Dataset {self.data_dir} as of {self.as_of:%Y-%m-%d}: {rows}>"

    def _repr_html_(self) -> str:
        support = self.supported_analyses()
        tables = "".join(
            f"<tr><td>{html.escape(r.table)}</td><td style='text-align:right'>{r.rows:,}</td>"
            f"<td>{'' if r.present else 'not in the export'}</td></tr>"
            for r in self.summary().itertuples()
        )
        analyses = "".join(
            f"<li>{html.escape(r.analysis)}: {'yes' if r.supported else html.escape('no, needs ' + r.missing)}</li>"
            for r in support.itertuples()
        )
        return (
            f"<div><strong>outstaff_analysis Dataset</strong> as of {self.as_of:%Y-%m-%d} "
            f"(nothing later is seen), from <code>{html.escape(str(self.data_dir))}</code>"
            f"<table><tr><th>table</th><th>rows</th><th></th></tr>{tables}</table>"
            f"<p>Analyses:</p><ul>{analyses}</ul>"
            f"<p>Settings: churn gap {self.settings.churn_gap_days} days, records from "
            f"{self.settings.data_window_start or 'the first record'}, calendar {self.settings.calendar}. "
            "Transcripts are read on first use of <code>.utterances</code> or <code>.csi</code>.</p></div>"
        )


def load(
    data_dir: str | os.PathLike | None = None,
    *,
    as_of=None,
    settings: Settings | str | os.PathLike | None = None,
    client_ids=None,
) -> Dataset:
    """Load a data directory's processed tables, settings and interviews, as of one day.

    Parameters
    ----------
    data_dir : path-like, optional
        Data directory with ``processed/`` (built by ``outstaff ingest``) and ``raw/transcripts``;
        the argument, then ``$OUTSTAFF_DATA_DIR``, then ``./data``.
    as_of : str, date, Timestamp or quarter, optional
        Nothing after the end of this day is seen (``"2024-12-31"``, ``"2024Q4"``).  ``None``: the
        latest date recorded in the data (reproducible: it never depends on today's date).
    settings : Settings or path-like, optional
        ``None`` reads ``<data_dir>/settings.yaml`` when present (as the reports do), else the defaults.
    client_ids : iterable of str, optional
        Read only these clients' transcripts (the tables stay whole).

    Returns
    -------
    Dataset

    Raises
    ------
    SchemaError
        If ``processed/`` has not been built, or the data hold no dated row and ``as_of`` is None.
    """
    root = resolve_data_dir(data_dir)
    tables = load_processed(root)
    if as_of is None:
        as_of = latest_date(tables)
        if as_of is None:
            raise SchemaError(root / "processed", "no dated rows to take an as-of date from; pass `as_of=`")
    cutoff = resolve_as_of(as_of)
    return Dataset(
        tables=snapshot(tables, cutoff),
        settings=resolve_settings(settings, root),
        as_of=cutoff,
        data_dir=root,
        present=read_manifest(root),
        transcript_clients=None if client_ids is None else tuple(client_ids),
    )


CACHE_ENV = "OUTSTAFF_CACHE_DIR"


def load_demo(
    *,
    as_of=None,
    clients: int = 40,
    years: int = 3,
    seed: int = 20240101,
    cache_dir: str | os.PathLike | None = None,
) -> Dataset:
    """The seeded demo firm as a :class:`Dataset`: a first session without any export.

    The demo is generated and ingested once into a folder of its own in the cache
    (``cache_dir``, else ``$OUTSTAFF_CACHE_DIR``, else ``~/.cache/outstaff_analysis``), never into
    your ``data/``; later calls load it from there.  The same seed gives the same firm.

    Parameters
    ----------
    as_of : str, date, Timestamp or quarter, optional
        As in :func:`load` (``None``: the demo's last recorded day, 2024-12-31 by default).
    clients, years, seed : int
        Size and seed of the firm (see :func:`outstaff_analysis.demo.generate_tables`).
    cache_dir : path-like, optional
        Where demo firms are kept.

    Returns
    -------
    Dataset
    """
    root = Path(cache_dir or os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "outstaff_analysis")
    folder = root / f"demo-{seed}-{clients}clients-{years}years"
    if not (folder / "processed" / MANIFEST_FILE).is_file():
        _build_demo(folder, clients=clients, years=years, seed=seed)
    return load(folder, as_of=as_of)


def _build_demo(folder: Path, **size) -> None:
    """Generate and ingest a demo firm in a private folder next to ``folder``, then move it in place."""
    from .demo.data_dir import write_demo_data
    from .io.store import build_processed

    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        write_demo_data(work, **size)
        build_processed(work)
        if folder.exists():  # an unfinished earlier build (no manifest): replace it
            shutil.rmtree(folder)
        os.replace(work, folder)
    except OSError:
        if not (folder / "processed" / MANIFEST_FILE).is_file():  # another process did not finish it either
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


__all__ = ["CACHE_ENV", "Dataset", "load", "load_demo"]
