"""All interviews' utterances in one frame, with client, language and date: the input of CSI scoring.

:func:`load_transcripts` reads every transcript the interviews table names (via
:mod:`outstaff_analysis.io.transcripts`), decides which speakers are the client
(:mod:`.speakers`) and the language of each interview (:mod:`.language`).
:func:`build_corpus` does the same for transcripts already in memory (the demo firm keeps them
as ``relative path -> text``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from ..exceptions import TranscriptError, UnsafePathError
from ..io.safe_paths import resolve_inside
from ..io.transcripts import FORMATS, folder_problem, parse_transcript, read_transcript, sniff_format
from ..periods import seen_by
from .language import resolve_languages
from .speakers import attribute_speakers

CORPUS_COLUMNS = (
    "interview_id",
    "client_id",
    "held_at",
    "utterance_no",
    "speaker",
    "start",
    "end",
    "text",
    "language",
    "is_client",
    "speaker_inferred",
)
"""Columns of the corpus frame, in order."""


def load_transcripts(
    interviews: pd.DataFrame,
    transcripts_dir: str | os.PathLike,
    *,
    as_of=None,
    speaker_map: Mapping | str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Read the transcript of every interview held by ``as_of`` into one utterance frame.

    Parameters
    ----------
    interviews : pandas.DataFrame
        The interviews table (``interview_id``, ``client_id``, ``held_at``, ``transcript`` and
        optionally ``language``, ``interviewer``).
    transcripts_dir : path-like
        Directory the ``transcript`` paths are relative to (``data/raw/transcripts``).
    as_of : date-like or quarter, optional
        Only interviews held by the end of this day are read (see
        :func:`outstaff_analysis.periods.resolve_as_of`); ``None`` reads them all.
    speaker_map : mapping or path, optional
        Which speakers are the client (see :func:`.speakers.attribute_speakers`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CORPUS_COLUMNS`: the utterance columns plus ``client_id``, ``held_at``,
        ``language`` (``"ru"``/``"en"``: declared, or detected where ``auto`` or missing),
        ``is_client`` and ``speaker_inferred``.

    Raises
    ------
    TranscriptError
        Naming ``transcripts_dir`` if it is not a folder while there are interviews to read;
        otherwise naming every interview whose transcript is missing or malformed (all are
        reported at once).

    Warns
    -----
    InferredSpeakerWarning
        If the client speakers of some interviews had to be inferred.
    """
    directory = Path(transcripts_dir)
    problem = folder_problem(directory) if len(interviews) else ""
    if problem:
        raise TranscriptError(
            directory,
            f"{problem}; the interviews table names {len(interviews)} transcripts, expected under this "
            "folder (data/raw/transcripts of the data directory): restore the folder, or pass the folder "
            "that holds them",
            kind="folder",
        )

    def read(interview_id: str, relpath: str) -> pd.DataFrame:
        # exports made on Windows write "2024\\call.vtt"; a path leaving the folder is never read
        try:
            path = resolve_inside(directory, relpath)
        except UnsafePathError as exc:
            raise TranscriptError(directory, str(exc)) from exc
        return read_transcript(path, interview_id=interview_id)

    return _assemble(interviews, read, speaker_map, as_of=as_of, source=directory)


def build_corpus(
    interviews: pd.DataFrame,
    texts: Mapping[str, str],
    *,
    as_of=None,
    speaker_map: Mapping | str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Like :func:`load_transcripts`, for transcripts in memory.

    Parameters
    ----------
    interviews : pandas.DataFrame
        The interviews table.
    texts : mapping
        ``transcript`` path (as in the interviews table) -> its text; the format comes from the
        path's extension, or from the content.
    as_of : date-like or quarter, optional
        Only interviews held by the end of this day are read; ``None`` reads them all.
    speaker_map : mapping or path, optional
        Which speakers are the client.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CORPUS_COLUMNS`.
    """

    def parse(interview_id: str, relpath: str) -> pd.DataFrame:
        if relpath not in texts:
            raise TranscriptError(relpath, "no such transcript among the texts given")
        text = texts[relpath]
        fmt = FORMATS.get(Path(relpath).suffix.lower()) or sniff_format(text)
        return parse_transcript(text, fmt=fmt, interview_id=interview_id, file=relpath)

    return _assemble(interviews, parse, speaker_map, as_of=as_of, source="<texts>")


def _assemble(
    interviews: pd.DataFrame,
    read: Callable[[str, str], pd.DataFrame],
    speaker_map,
    *,
    as_of,
    source,
) -> pd.DataFrame:
    if as_of is not None:
        interviews = seen_by(interviews, "held_at", as_of)
    frames, failures = [], []
    for interview_id, relpath in zip(interviews["interview_id"].astype(str), interviews["transcript"]):
        if not isinstance(relpath, str) or not relpath.strip():
            failures.append(f"interview {interview_id!r}: no transcript path in the interviews table")
            continue
        try:
            frames.append(read(interview_id, relpath))
        except TranscriptError as exc:
            failures.append(f"interview {interview_id!r} ({relpath}): {exc}")
    if failures:
        raise TranscriptError(
            source,
            f"{len(failures)} of {len(interviews)} transcripts could not be read:\n  "
            + "\n  ".join(failures),
        )
    if not frames:
        return pd.DataFrame(
            {name: pd.Series(dtype=_EMPTY_DTYPES.get(name, object)) for name in CORPUS_COLUMNS}
        )
    utterances = pd.concat(frames, ignore_index=True)
    utterances = attribute_speakers(utterances, interviews, speaker_map=speaker_map)
    meta = interviews.assign(interview_id=interviews["interview_id"].astype(str)).set_index("interview_id")
    declared = meta.get("language")
    languages = resolve_languages(utterances, declared)
    utterances["language"] = utterances["interview_id"].map(languages)
    utterances["client_id"] = utterances["interview_id"].map(meta["client_id"])
    utterances["held_at"] = utterances["interview_id"].map(meta["held_at"])
    return utterances[list(CORPUS_COLUMNS)]


_EMPTY_DTYPES = {
    "held_at": "datetime64[ns]",
    "utterance_no": "int64",
    "start": "float64",
    "end": "float64",
    "is_client": bool,
    "speaker_inferred": bool,
}


__all__ = ["CORPUS_COLUMNS", "build_corpus", "load_transcripts"]
