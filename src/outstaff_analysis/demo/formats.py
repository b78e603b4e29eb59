"""Writing a conversation the way meeting and speech-to-text tools export it.

Four formats (SPEC, "Transcripts"): plain text (``[00:12:03] Speaker: text`` with the rest of a
long turn on the following lines), WebVTT (``<v Speaker>`` cues, or ``Speaker: text`` cues as
Zoom writes them), SRT (``Speaker: text`` lines) and JSON (a list of segments with ``start``,
``end``, ``text`` and ``speaker``).  Timing follows the length of what is said.
"""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np

from .dialogue import Turn

FORMATS = ("txt", "vtt", "srt", "json")
"""File extensions, in the order they rotate through interviews."""

CHARS_PER_SECOND = 15.0

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclasses.dataclass(frozen=True)
class Segment:
    """One timed piece of speech (a sentence) of a turn."""

    turn: int
    speaker: str
    start: float
    end: float
    text: str


def time_segments(rng: np.random.Generator, turns: list[Turn]) -> list[Segment]:
    """Split turns into sentences and give each a start and end time (seconds)."""
    out = []
    clock = float(rng.uniform(2.0, 8.0))
    for i, turn in enumerate(turns):
        clock += float(rng.uniform(0.3, 1.5))
        for sentence in _SENTENCE_END.split(turn.text.strip()):
            length = max(1.0, len(sentence) / CHARS_PER_SECOND * float(rng.uniform(0.9, 1.25)))
            out.append(Segment(i, turn.speaker, round(clock, 3), round(clock + length, 3), sentence))
            clock += length + 0.15
    return out


def render(segments: list[Segment], fmt: str, *, zoom_style: bool = False) -> str:
    """Text of a transcript file.

    Parameters
    ----------
    segments : list of Segment
    fmt : {"txt", "vtt", "srt", "json"}
    zoom_style : bool
        WebVTT only: write ``Speaker: text`` cues instead of ``<v Speaker>`` voice tags.

    Returns
    -------
    str
    """
    if fmt == "txt":
        return _plain(segments)
    if fmt == "vtt":
        return _webvtt(segments, zoom_style)
    if fmt == "srt":
        return _srt(segments)
    if fmt == "json":
        rows = [{"start": s.start, "end": s.end, "text": s.text, "speaker": s.speaker} for s in segments]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"The value for `fmt` must be one of {list(FORMATS)}, but {fmt!r} was passed")


def _clock(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _plain(segments: list[Segment]) -> str:
    lines = []
    for i, seg in enumerate(segments):
        if i == 0 or seg.turn != segments[i - 1].turn:
            stamp = _clock(seg.start, ".")[:8]
            lines.append(f"[{stamp}] {seg.speaker}: {seg.text}")
        else:
            lines.append(seg.text)
    return "\n".join(lines) + "\n"


def _webvtt(segments: list[Segment], zoom_style: bool) -> str:
    blocks = ["WEBVTT"]
    for i, seg in enumerate(segments, 1):
        text = f"{seg.speaker}: {seg.text}" if zoom_style else f"<v {seg.speaker}>{seg.text}"
        head = f"{i}\n" if zoom_style else ""
        blocks.append(f"{head}{_clock(seg.start, '.')} --> {_clock(seg.end, '.')}\n{text}")
    return "\n\n".join(blocks) + "\n"


def _srt(segments: list[Segment]) -> str:
    blocks = [
        f"{i}\n{_clock(seg.start, ',')} --> {_clock(seg.end, ',')}\n{seg.speaker}: {seg.text}"
        for i, seg in enumerate(segments, 1)
    ]
    return "\n\n".join(blocks) + "\n"
