"""Which speakers of an interview are the client: known from the data, or inferred and flagged.

Only client speech is scored, so every utterance gets ``is_client`` and ``speaker_inferred``.
For each interview the sides are decided in this order:

1. a **speaker map** (a dict or YAML file: interview id, or ``"*"`` for every interview ->
   ``{speaker label: "client" | "firm"}``; the interview's own entries override ``"*"``);
2. the interviews table's **interviewer** column (several names may be separated by ``,`` or
   ``;``; "Анна", "А. Смирнова" and "Анна Смирнова" are the same person);
3. **role labels** such as "Интервьюер", "Client", "CTO" (``lexicon/speakers.yaml``; the roles of
   the ``client_role`` column are client labels).

When any of these places a speaker, the others follow: if a firm speaker is known, every other
speaker is the client; if only client speakers are known, every other speaker is the firm's.

Otherwise the sides are **inferred** (``speaker_inferred=True`` and an
:class:`~outstaff_analysis.exceptions.InferredSpeakerWarning`): the interviewer is the speaker who
asks the most questions (ties: who spoke first) and everyone else is the client; a lone speaker is
the client.  A transcript without any speaker labels (speech-to-text output without diarisation)
cannot be split by speaker, so each utterance is judged by itself: a question is the
interviewer's, anything else the client's.

Utterances without a speaker in a transcript that does have speaker labels (a title line, a note)
are nobody's speech and never the client's.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import InferredSpeakerWarning, SchemaError
from ..yamltext import safe_load

SIDES = ("client", "firm")
"""Values of a speaker map."""

_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_TRAILING_NUMBER = re.compile(r"[\s_#-]*\d+$")
_NAME_SPLIT = re.compile(r"[;,]")
_SHOWN_IN_WARNING = 5


def attribute_speakers(
    utterances: pd.DataFrame,
    interviews: pd.DataFrame | None = None,
    *,
    speaker_map: Mapping | str | os.PathLike | None = None,
) -> pd.DataFrame:
    """Mark which utterances are the client's.

    Parameters
    ----------
    utterances : pandas.DataFrame
        Utterance frame (:func:`outstaff_analysis.io.transcripts.read_transcript`), one or many
        interviews.
    interviews : pandas.DataFrame, optional
        The interviews table; its ``interviewer`` column names the firm's side.  Interviews
        absent from it, and a missing column, simply give no information.
    speaker_map : mapping or path, optional
        Interview id (or ``"*"``) -> ``{speaker: "client" | "firm"}``, or a YAML file of that
        (see :func:`load_speaker_map`).

    Returns
    -------
    pandas.DataFrame
        A copy of ``utterances`` with boolean columns ``is_client`` and ``speaker_inferred``.

    Warns
    -----
    InferredSpeakerWarning
        Once, listing the interviews whose sides were inferred.

    Examples
    --------
    >>> frame = attribute_speakers(utterances, interviews)  # doctest: +SKIP
    >>> frame.loc[frame["is_client"], "text"]  # doctest: +SKIP
    """
    if isinstance(speaker_map, (str, os.PathLike)):
        speaker_map = load_speaker_map(speaker_map)
    speaker_map = _normalise_map(speaker_map or {})
    interviewers = _interviewers(interviews)
    out = utterances.copy()
    sides, notes = {}, []
    for interview_id, asked in _questions_by_speaker(out).items():
        key = str(interview_id)
        entries = {**speaker_map.get("*", {}), **speaker_map.get(key, {})}
        clients, note = _attribute(asked, entries, interviewers.get(key, ()))
        sides[interview_id] = (clients, note is not None)
        if note is not None:
            notes.append(f"{interview_id}: {note}")
    client_pairs = [(i, speaker) for i, (clients, _) in sides.items() for speaker in clients]
    out["is_client"] = pd.MultiIndex.from_arrays([out["interview_id"], out["speaker"]]).isin(client_pairs)
    unlabelled = ~out["interview_id"].isin(sides.keys())
    inferred = {interview_id for interview_id, (_, flag) in sides.items() if flag}
    out["speaker_inferred"] = out["interview_id"].isin(inferred) | unlabelled
    if unlabelled.any():  # no speaker labels at all: a question is the interviewer's, the rest the client's
        out.loc[unlabelled, "is_client"] = ~out.loc[unlabelled, "text"].str.rstrip().str.endswith("?")
        notes += [
            f"{interview_id}: no speaker labels; questions taken as the interviewer's"
            for interview_id in out.loc[unlabelled, "interview_id"].unique()
        ]
    if notes:
        shown = "; ".join(notes[:_SHOWN_IN_WARNING]) + ("; ..." if len(notes) > _SHOWN_IN_WARNING else "")
        warnings.warn(
            f"client speakers were inferred for {len(notes)} interview(s), not known from the interviews table or "
            f"a speaker map ({shown})",
            InferredSpeakerWarning,
            stacklevel=2,
        )
    return out


def load_speaker_map(path: str | os.PathLike) -> dict[str, dict[str, str]]:
    """Read a speaker map from YAML: ``interview_id`` (or ``"*"``) -> ``{speaker: client | firm}``.

    Raises
    ------
    SchemaError
        If the file is missing or not a mapping of mappings with values ``client``/``firm``.

    Examples
    --------
    A file::

        "*":
          Анна Смирнова: firm
        INT-017:
          Speaker 1: client
          Speaker 2: firm
    """
    path = Path(path)
    if not path.is_file():
        raise SchemaError(path, "speaker map file not found")
    data = safe_load(path.read_text(encoding="utf-8")) or {}
    return _normalise_map(data, source=path)


def speaker_key(label: str) -> str:
    """Normalised speaker label used for matching: lower case, ``ё`` as ``е``, no ``(...)`` notes."""
    return " ".join(_NOTE.sub(" ", str(label)).lower().replace("ё", "е").split())


def _normalise_map(data, source="speaker_map") -> dict[str, dict[str, str]]:
    if not isinstance(data, Mapping):
        raise SchemaError(source, "a speaker map must map interview ids (or '*') to {speaker: client|firm}")
    out = {}
    for interview_id, entries in data.items():
        if not isinstance(entries, Mapping):
            raise SchemaError(
                source, f"entry {interview_id!r} must map speakers to client|firm", value=entries
            )
        for speaker, side in entries.items():
            if side not in SIDES:
                raise SchemaError(
                    source,
                    f"speaker {speaker!r} of {interview_id!r} must be one of {list(SIDES)}",
                    value=side,
                )
        out[str(interview_id)] = {speaker_key(speaker): side for speaker, side in entries.items()}
    return out


def _questions_by_speaker(utterances: pd.DataFrame) -> dict:
    """Interview -> {speaker: number of "?" in their speech}, speakers in order of first appearance."""
    summary = (
        utterances[["interview_id", "speaker"]]
        .assign(
            questions=np.fromiter(
                (t.count("?") for t in utterances["text"]), dtype=np.int64, count=len(utterances)
            ),
            order=np.arange(len(utterances)),
        )
        .dropna(subset=["speaker"])
        .groupby(["interview_id", "speaker"], sort=False)
        .agg(questions=("questions", "sum"), order=("order", "min"))
        .sort_values("order")
    )
    out: dict = {}
    for (interview_id, speaker), asked in zip(summary.index, summary["questions"]):
        out.setdefault(interview_id, {})[speaker] = int(asked)
    return out


def _interviewers(interviews: pd.DataFrame | None) -> dict[str, tuple[str, ...]]:
    if interviews is None or "interviewer" not in interviews:
        return {}
    names = {}
    for interview_id, cell in zip(interviews["interview_id"], interviews["interviewer"]):
        if isinstance(cell, str) and cell.strip():
            names[str(interview_id)] = tuple(speaker_key(n) for n in _NAME_SPLIT.split(cell) if n.strip())
    return names


@functools.cache
def _role_terms() -> dict[str, tuple[str, ...]]:
    text = (resources.files("outstaff_analysis") / "csi" / "lexicon" / "speakers.yaml").read_text(
        encoding="utf-8"
    )
    data = safe_load(text)
    return {side: tuple(speaker_key(term) for term in data[side]) for side in SIDES}


def _role_side(key: str) -> str | None:
    """Side named by a role label ("Интервьюер", "Client 2", "CTO"), if any."""
    key = _TRAILING_NUMBER.sub("", key)
    for side, terms in _role_terms().items():
        if any(key == term or key.startswith(term + " ") for term in terms):
            return side
    return None


def _same_person(speaker: str, name: str) -> bool:
    """ "Анна", "А. Смирнова" and "Анна Смирнова" are one person: every word of the shorter matches."""
    a, b = speaker.replace(".", " ").split(), name.replace(".", " ").split()
    short, long_ = sorted((a, b), key=len)
    return bool(short) and all(any(_same_word(word, other) for other in long_) for word in short)


def _same_word(a: str, b: str) -> bool:
    """Equal words, or an initial and a word it begins."""
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _attribute(questions: dict, entries: dict, interviewers: tuple) -> tuple[set, str | None]:
    """Client speakers of one interview (``questions``: speaker -> questions asked, in order of
    first appearance), and a note when they were inferred."""
    speakers = list(questions)
    sides = {}
    for speaker in speakers:
        key = speaker_key(speaker)
        if key in entries:
            sides[speaker] = entries[key]
        elif any(_same_person(key, name) for name in interviewers):
            sides[speaker] = "firm"
        elif _role_side(key):
            sides[speaker] = _role_side(key)
    note = None
    if not sides:
        note = _infer(questions, sides)
        if interviewers:
            note += f" (interviewer {', '.join(interviewers)!r} is not among the speakers {speakers})"
    rest = "client" if "firm" in sides.values() else "firm"
    return {speaker for speaker in speakers if sides.get(speaker, rest) == "client"}, note


def _infer(questions: dict, sides: dict) -> str:
    """Fill ``sides`` by inference and describe what was assumed."""
    speakers = list(questions)
    if len(speakers) == 1:
        sides[speakers[0]] = "client"
        return f"the only speaker {speakers[0]!r} taken as the client"
    interviewer = max(speakers, key=lambda s: (questions[s], -speakers.index(s)))
    sides[interviewer] = "firm"
    return f"{interviewer!r} taken as the interviewer ({questions[interviewer]} questions)"


__all__ = ["SIDES", "attribute_speakers", "load_speaker_map", "speaker_key"]
