"""Read interview transcripts (plain text, WebVTT, SRT, JSON segments) into one utterance frame.

Every format gives the same tidy frame, one row per utterance (a speaker's turn):

``interview_id`` (str), ``utterance_no`` (int, 0-based, in order), ``speaker`` (str or None),
``start`` and ``end`` (float seconds, NaN where the format has no times) and ``text``
(whitespace-normalised, markup removed, otherwise exactly as in the file, so that quotes taken
from it are substrings of it).

Formats
-------
plain text (``.txt``)
    ``Speaker: text`` lines; lines without a speaker label continue the current turn.  A
    timestamp may stand before the line or after the speaker (``[00:12:03] Анна: ...``,
    ``00:12:03 Анна: ...``, ``Анна [00:12:03]: ...``), or alone on a line (it then dates the
    next turn).  Text before the first label, or in a file without labels, becomes
    utterances without a speaker, one per paragraph.
WebVTT (``.vtt``, parsed by ``webvtt-py``)
    The speaker is the cue's ``<v Speaker>`` voice, or a ``Speaker:`` prefix of the cue text
    (Zoom, Teams and Meet exports).  A cue without either continues the previous speaker's turn
    (caption editors often name the speaker only where a turn begins).
SRT (``.srt``, parsed by ``srt``)
    The speaker is a ``Speaker:`` prefix of the subtitle text; a subtitle without one continues
    the previous speaker's turn.
JSON (``.json``)
    A list of segments ``{"start", "end", "text", "speaker"?}``, or ``{"segments": [...]}`` as
    Whisper writes it.

Consecutive segments of the same (known) speaker are merged into one turn: caption tools cut a
turn into cues of a few seconds, a plain transcript keeps it whole, and an utterance is a turn in
every format.  Files may be UTF-8 (with or without BOM), UTF-16 with BOM or cp1251.  A file that cannot be parsed
raises :class:`~outstaff_analysis.exceptions.TranscriptError` naming the file and the line.
"""

from __future__ import annotations

import codecs
import html
import json
import math
import re
from pathlib import Path

import pandas as pd
import srt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from ..exceptions import SchemaError, TranscriptError
from .readers import decode_bytes

COLUMNS = ("interview_id", "utterance_no", "speaker", "start", "end", "text")
"""Columns of an utterance frame, in order."""

FORMATS = {".txt": "text", ".vtt": "vtt", ".srt": "srt", ".json": "json"}
"""File extension -> transcript format; other extensions are sniffed from the content."""

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"


def _stamp_pattern(name: str) -> str:
    """A timestamp in brackets, parentheses or bare, captured in groups ``name``, ``name_p``, ``name_b``."""
    return rf"(?:\[(?P<{name}>{_TIME})\]|\((?P<{name}_p>{_TIME})\)|(?P<{name}_b>{_TIME}))"


_LEAD_STAMP = re.compile(rf"^{_stamp_pattern('lead')}(?:\s+|$)")
_LABEL = r"(?P<label>[^\W\d_][\w.'’\-]*(?:[ \t]+[\w.'’()\-]+){0,3}?)"
_LINE = re.compile(rf"^{_LABEL}(?:\s*{_stamp_pattern('tail')})?\s*:(?:\s+(?P<text>.*)|$)")
_HEADER = re.compile(rf"^{_LABEL}\s+{_stamp_pattern('tail')}$")  # "Анна  00:12:03" with the text below
_PREFIX = re.compile(rf"^{_LABEL}\s*:\s+(?P<text>.*)$", re.DOTALL)  # "Speaker: text" in a caption
_MARKUP = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_SRT_TIMING = re.compile(r"^\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}")
_VTT_TIMING = re.compile(r"^\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d+:)?\d{2}:\d{2}\.\d{3}(?:\s|$)")
_MAX_LABEL_CHARS = 40
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def folder_problem(directory) -> str:
    """Why ``directory`` cannot hold transcripts (``""`` when it is an existing folder).

    A missing or misplaced transcripts folder is one problem, said once, rather than every
    interview's transcript reported as not found.
    """
    directory = Path(directory)
    if directory.is_dir():
        return ""
    if directory.exists():
        return "transcripts folder expected, but this is a file, not a folder"
    return "transcripts folder not found"


def read_transcript(path, *, interview_id: str | None = None, merge_turns: bool = True) -> pd.DataFrame:
    """Read one transcript file into an utterance frame.

    Parameters
    ----------
    path : str or path-like
        A ``.txt``, ``.vtt``, ``.srt`` or ``.json`` transcript; another extension is recognised
        from the content.
    interview_id : str, optional
        Value of the ``interview_id`` column; default: the file name without its extension.
    merge_turns : bool, default True
        Merge consecutive segments of the same speaker into one utterance.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, one row per utterance.

    Raises
    ------
    TranscriptError
        If the file is missing, cannot be decoded, holds binary data, or is malformed (the message
        names the line).

    Examples
    --------
    >>> frame = read_transcript("interview_017.vtt")  # doctest: +SKIP
    >>> frame.columns.tolist()  # doctest: +SKIP
    ['interview_id', 'utterance_no', 'speaker', 'start', 'end', 'text']
    """
    path = Path(path)
    if not path.is_file():
        raise TranscriptError(path, "transcript file not found")
    data = path.read_bytes()
    try:
        if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Windows "Unicode" text
            text = data.decode("utf-16")
        else:
            text = decode_bytes(data, file=path)
    except (SchemaError, UnicodeDecodeError) as exc:
        raise TranscriptError(path, getattr(exc, "reason", "cannot decode the file as UTF-16")) from exc
    binary = _BINARY.search(text)
    if binary:
        line = text.count("\n", 0, binary.start()) + 1
        raise TranscriptError(path, f"binary data (control character {binary.group()!r}); expected a text transcript",
                              line=line)
    fmt = FORMATS.get(path.suffix.lower()) or sniff_format(text)
    return parse_transcript(
        text,
        fmt=fmt,
        interview_id=path.stem if interview_id is None else str(interview_id),
        file=path,
        merge_turns=merge_turns,
    )


def parse_transcript(
    text: str,
    *,
    fmt: str,
    interview_id: str = "",
    file="<string>",
    merge_turns: bool = True,
) -> pd.DataFrame:
    """Parse transcript text already in memory (see :func:`read_transcript`).

    Parameters
    ----------
    text : str
        Decoded content of a transcript.
    fmt : {"text", "vtt", "srt", "json"}
        Its format (:func:`sniff_format` guesses it).
    interview_id : str
        Value of the ``interview_id`` column.
    file : str or path-like
        Name used in error messages.
    merge_turns : bool, default True
        Merge consecutive segments of the same speaker into one utterance.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`.
    """
    parsers = {"text": _parse_text, "vtt": _parse_vtt, "srt": _parse_srt, "json": _parse_json}
    if fmt not in parsers:
        raise ValueError(f"The value for `fmt` must be one of {list(parsers)}, but {fmt!r} was passed")
    segments = parsers[fmt](text.lstrip("\ufeff"), str(file))
    segments = [seg for seg in segments if seg["text"]]
    if not segments:
        raise TranscriptError(file, f"no utterances found in this {fmt} transcript")
    if merge_turns:
        segments = _merge_turns(segments)
    frame = pd.DataFrame(segments, columns=["speaker", "start", "end", "text"])
    frame.insert(0, "utterance_no", range(len(frame)))
    frame.insert(0, "interview_id", interview_id)
    frame["start"] = frame["start"].astype("float64")
    frame["end"] = frame["end"].astype("float64")
    frame["speaker"] = frame["speaker"].astype(object).where(frame["speaker"].notna(), None)
    return frame[list(COLUMNS)]


def sniff_format(text: str) -> str:
    """Guess a transcript's format from its content: ``"vtt"``, ``"json"``, ``"srt"`` or ``"text"``."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("WEBVTT"):
        return "vtt"
    if re.match(r"\{|\[\s*[{\]]", head):  # an object, or a list of objects; "[00:00:01] ..." is text
        return "json"
    lines = head.splitlines()
    if len(lines) > 1 and lines[0].strip().isdigit() and "-->" in lines[1]:
        return "srt"
    return "text"


def parse_timestamp(value: str, *, file="<string>", line: int | None = None) -> float:
    """Seconds in a ``[h:]mm:ss[.fff]`` timestamp (a comma may stand for the decimal point).

    Raises
    ------
    TranscriptError
        If minutes or seconds are 60 or more.
    """
    parts = value.replace(",", ".").split(":")
    hours = int(parts[0]) if len(parts) == 3 else 0
    minutes, seconds = int(parts[-2]), float(parts[-1])
    if minutes >= 60 or seconds >= 60:
        raise TranscriptError(
            file, f"invalid timestamp {value!r}; expected [h:]mm:ss with mm, ss below 60", line=line
        )
    return hours * 3600 + minutes * 60 + seconds


def _segment(speaker, start, end, text) -> dict:
    return {"speaker": speaker, "start": start, "end": end, "text": " ".join(text.split())}


def _is_label(label: str) -> bool:
    """A speaker label is 1-4 words, each capitalised or a number ("Анна", "Speaker 2", "SPEAKER_00")."""
    words = label.split()
    return len(label) <= _MAX_LABEL_CHARS and all(
        word.lstrip("(")[:1].isupper() or word.lstrip("(")[:1].isdigit() for word in words
    )


def _stamp(match: re.Match, name: str, file: str, line: int) -> float:
    value = match.group(name) or match.group(f"{name}_p") or match.group(f"{name}_b")
    return math.nan if value is None else parse_timestamp(value, file=file, line=line)


def _split_prefix(text: str) -> tuple[str | None, str]:
    """Split a ``Speaker: text`` prefix off a cue's text."""
    match = _PREFIX.match(text)
    if match and _is_label(match["label"]):
        return match["label"].strip(), match["text"]
    return None, text


def _parse_text(text: str, file: str) -> list[dict]:
    turns: list[dict] = []
    current: dict | None = None
    pending_start = math.nan
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current is not None and current["speaker"] is None:
                current = None  # paragraphs without a speaker are separate utterances
            continue
        start = math.nan
        lead = _LEAD_STAMP.match(line)
        if lead:
            start, line = _stamp(lead, "lead", file, number), line[lead.end() :]
            if not line:
                pending_start = start  # a timestamp alone on its line dates the next turn
                continue
        if math.isnan(start):
            start, pending_start = pending_start, math.nan
        match = _LINE.match(line) or _HEADER.match(line)
        if match and _is_label(match["label"]):
            tail = _stamp(match, "tail", file, number)
            current = _turn(
                match["label"].strip(),
                tail if math.isnan(start) else start,
                match.groupdict().get("text") or "",
            )
            turns.append(current)
        elif current is None or not math.isnan(start):  # a new paragraph, or a new timed line of the turn
            current = _turn(None if current is None else current["speaker"], start, line)
            turns.append(current)
        else:
            current["text"] = f"{current['text']} {line}"
    return [_segment(turn["speaker"], turn["start"], math.nan, turn["text"]) for turn in turns]


def _turn(speaker, start, text) -> dict:
    return {"speaker": speaker, "start": start, "text": text}


def _parse_vtt(text: str, file: str) -> list[dict]:
    _check_timing_lines(text, _VTT_TIMING, "a WebVTT cue timing `00:00:01.000 --> 00:00:04.000`", file)
    try:
        captions = webvtt.from_string(text, strict=True)
    except MalformedFileError as exc:
        raise TranscriptError(file, "not a WebVTT file: the first line must be `WEBVTT`", line=1) from exc
    except MalformedCaptionError as exc:
        raise TranscriptError(file, f"malformed WebVTT cue: {exc}") from exc
    segments = []
    for caption in captions:
        body = html.unescape(caption.text)
        speaker = caption.voice.strip() if caption.voice else None
        if speaker is None:
            speaker, body = _split_prefix(body)
        segments.append(_segment(speaker, parse_timestamp(caption.start), parse_timestamp(caption.end), body))
    return _continue_turns(segments)


def _parse_srt(text: str, file: str) -> list[dict]:
    _check_timing_lines(text, _SRT_TIMING, "an SRT timing `00:00:01,000 --> 00:00:04,000`", file)
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        line = text.count("\n", 0, exc.expected_start) + 1
        raise TranscriptError(
            file, "malformed SRT block; expected an index line then a timing line", line=line
        ) from exc
    segments = []
    for subtitle in subtitles:
        speaker, body = _split_prefix(html.unescape(_MARKUP.sub("", subtitle.content)).strip())
        segments.append(_segment(speaker, subtitle.start.total_seconds(), subtitle.end.total_seconds(), body))
    return _continue_turns(segments)


def _parse_json(text: str, file: str) -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(file, f"invalid JSON: {exc.msg}", line=exc.lineno) from exc
    except RecursionError as exc:
        raise TranscriptError(file, "invalid JSON: nested too deeply") from exc
    if isinstance(data, dict) and "segments" in data:
        data = data["segments"]
    if not isinstance(data, list):
        raise TranscriptError(file, "expected a list of segments or an object with a `segments` list")
    segments = []
    for number, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise TranscriptError(file, f"segment {number} must be an object with a string `text`")
        speaker = item.get("speaker")
        body = item["text"].strip()
        if speaker is None:
            speaker, body = _split_prefix(body)
        segments.append(
            _segment(
                None if speaker is None else str(speaker).strip(),
                _json_time(item.get("start"), file, number),
                _json_time(item.get("end"), file, number),
                body,
            )
        )
    return segments


def _json_time(value, file: str, number: int) -> float:
    if value is None:
        return math.nan
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and re.fullmatch(_TIME, value.strip()):
        return parse_timestamp(value.strip(), file=file)
    raise TranscriptError(
        file, f"segment {number}: `start` and `end` must be seconds or [h:]mm:ss, got {value!r}"
    )


def _check_timing_lines(text: str, pattern: re.Pattern, expected: str, file: str) -> None:
    """Every line holding ``-->`` must be a well-formed timing line (the parsers skip bad ones silently)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if "-->" in line and not pattern.match(line):
            raise TranscriptError(
                file, f"malformed timing line {line.strip()!r}; expected {expected}", line=number
            )


def _continue_turns(segments: list[dict]) -> list[dict]:
    """A caption without a speaker, after one with a speaker, is that speaker's."""
    speaker = None
    for seg in segments:
        if seg["speaker"] is None:
            seg["speaker"] = speaker
        speaker = seg["speaker"]
    return segments


def _merge_turns(segments: list[dict]) -> list[dict]:
    merged: list[dict] = []
    for seg in segments:
        last = merged[-1] if merged else None
        if last is not None and seg["speaker"] is not None and seg["speaker"] == last["speaker"]:
            last["text"] = f"{last['text']} {seg['text']}"
            last["end"] = seg["end"]
        else:
            merged.append(dict(seg))
    return merged


__all__ = ["COLUMNS", "FORMATS", "folder_problem", "parse_timestamp", "parse_transcript", "read_transcript", "sniff_format"]
