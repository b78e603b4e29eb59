"""Transcript parsing: four formats give one frame, encodings, speaker labels, timestamps, errors."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from outstaff_analysis.exceptions import TranscriptError
from outstaff_analysis.io.transcripts import (
    COLUMNS,
    parse_timestamp,
    parse_transcript,
    read_transcript,
    sniff_format,
)

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "transcripts"
FORMATS = ("txt", "vtt", "srt", "json")


def _text(body: str) -> pd.DataFrame:
    return parse_transcript(body, fmt="text", interview_id="I1")


@pytest.fixture(scope="module")
def frames():
    return {ext: read_transcript(SAMPLES / f"conversation.{ext}") for ext in FORMATS}


def test_every_format_parses_to_the_same_frame(frames):
    reference = frames["vtt"]
    assert tuple(reference.columns) == COLUMNS
    assert reference["speaker"].tolist() == [None, "Анна Смирнова", "Олег", "Анна Смирнова", "Олег"]
    assert reference["utterance_no"].tolist() == [0, 1, 2, 3, 4]
    assert reference["start"].tolist() == [0.0, 1.0, 5.0, 15.0, 20.0]
    assert reference["end"].tolist() == [1.0, 4.5, 14.0, 19.0, 26.25]
    assert reference["text"][2] == (
        "В целом хорошо, code review стал заметно лучше. Но на сообщения отвечают раз в сутки, это тормозит релизы."
    )
    pd.testing.assert_frame_equal(frames["srt"], reference)
    pd.testing.assert_frame_equal(frames["json"], reference)
    # plain text has start times but no end times
    pd.testing.assert_frame_equal(frames["txt"].drop(columns="end"), reference.drop(columns="end"))
    assert frames["txt"]["end"].isna().all()


def test_dtypes_and_default_interview_id(frames):
    frame = frames["txt"]
    assert frame["interview_id"].unique().tolist() == ["conversation"]
    assert frame["utterance_no"].dtype == "int64"
    assert frame["start"].dtype == "float64" and frame["end"].dtype == "float64"
    assert (
        read_transcript(SAMPLES / "conversation.srt", interview_id="INT-7")["interview_id"].eq("INT-7").all()
    )


@pytest.mark.parametrize(
    "encoding, prefix", [("utf-8", b"\xef\xbb\xbf"), ("cp1251", b"")], ids=["bom", "cp1251"]
)
@pytest.mark.parametrize("ext", ["txt", "vtt", "srt"])
def test_encodings_read_the_same(tmp_path, frames, ext, encoding, prefix):
    original = (SAMPLES / f"conversation.{ext}").read_text(encoding="utf-8")
    path = tmp_path / f"conversation.{ext}"
    path.write_bytes(prefix + original.encode(encoding))
    pd.testing.assert_frame_equal(read_transcript(path), frames[ext])


def test_unknown_extension_is_sniffed_from_content(tmp_path, frames):
    for ext in FORMATS:
        path = tmp_path / f"conversation_{ext}.export"
        path.write_text((SAMPLES / f"conversation.{ext}").read_text(encoding="utf-8"), encoding="utf-8")
        frame = read_transcript(path, interview_id="conversation")
        pd.testing.assert_frame_equal(frame, frames[ext])


def test_sniff_format():
    assert sniff_format("\ufeffWEBVTT\n\n") == "vtt"
    assert sniff_format('  {"segments": []}') == "json"
    assert sniff_format("1\n00:00:01,000 --> 00:00:02,000\nhi\n") == "srt"
    assert sniff_format("Анна: привет") == "text"
    assert sniff_format("[00:00:01] Анна: привет") == "text"
    assert sniff_format('[\n  {"text": "hi"}]') == "json"


def test_merge_turns_off_keeps_each_cue(frames):
    frame = read_transcript(SAMPLES / "conversation.vtt", merge_turns=False)
    assert len(frame) == 6
    assert frame["text"][3] == "Но на сообщения отвечают раз в сутки, это тормозит релизы."
    assert frame["start"][3] == 9.0


# --- plain text -----------------------------------------------------------------------------------------------


def test_plain_text_multiline_turns_and_timestamp_styles():
    frame = _text(
        "Анна: Добрый день.\n"
        "Как дела у команды?\n"
        "\n"
        "00:01:05 Oleg Petrov: Fine overall,\n"
        "  the   releases are on time.\n"
        "Oleg Petrov [00:01:30]: Reports come weekly.\n"
        "Анна (01:02:03.5): Спасибо!\n"
    )
    assert frame["speaker"].tolist() == ["Анна", "Oleg Petrov", "Анна"]
    assert frame["text"].tolist() == [
        "Добрый день. Как дела у команды?",
        "Fine overall, the releases are on time. Reports come weekly.",
        "Спасибо!",
    ]
    assert math.isnan(frame["start"][0])
    assert frame["start"][1:].tolist() == [65.0, 3723.5]


def test_plain_text_header_lines_and_lone_timestamps():
    frame = _text("Speaker 1  00:00:03\nHello there.\nHow are you?\n[00:00:09]\nSPEAKER_02: Good, thanks.\n")
    assert frame["speaker"].tolist() == ["Speaker 1", "SPEAKER_02"]
    assert frame["start"].tolist() == [3.0, 9.0]
    assert frame["text"].tolist() == ["Hello there. How are you?", "Good, thanks."]


def test_colon_inside_speech_is_not_a_speaker():
    frame = _text("Олег: Проблема такая: отвечают раз в сутки.\nну и ещё: отчётов нет.\nНу, смотрите: всё.\n")
    assert frame["speaker"].tolist() == ["Олег"]
    assert (
        frame["text"][0] == "Проблема такая: отвечают раз в сутки. ну и ещё: отчётов нет. Ну, смотрите: всё."
    )


def test_plain_text_without_labels_gives_paragraphs_without_speaker():
    frame = _text("Всё хорошо,\nно дорого.\n\n[00:00:10] Сроки соблюдают.\n[00:00:20] Отчёты есть.\n")
    assert frame["speaker"].tolist() == [None, None, None]
    assert frame["text"].tolist() == ["Всё хорошо, но дорого.", "Сроки соблюдают.", "Отчёты есть."]
    assert frame["start"].tolist()[1:] == [10.0, 20.0]


# --- WebVTT, SRT, JSON variants ---------------------------------------------------------------------------------


def test_vtt_speaker_prefixes_voice_classes_and_entities():
    body = (
        "WEBVTT\n\n"
        "a1b2-3\n00:00:01.000 --> 00:00:02.000\nMaria Lopez: Hi &amp; welcome.\n\n"
        "00:00:02.500 --> 00:00:04.000 align:start\n<v.loud John>We <b>love</b> the team.</v>\n\n"
        "01:00:04.000 --> 01:00:05.000\nno label: it goes on\n\n"
        "01:00:06.000 --> 01:00:07.000\nMaria Lopez: Thanks!\n"
    )
    frame = parse_transcript(body, fmt="vtt")
    assert frame["speaker"].tolist() == ["Maria Lopez", "John", "Maria Lopez"]
    assert frame["text"].tolist() == ["Hi & welcome.", "We love the team. no label: it goes on", "Thanks!"]
    assert frame["start"].tolist() == [1.0, 2.5, 3606.0]
    assert frame["end"].tolist() == [2.0, 3605.0, 3607.0]


def test_captions_without_a_label_continue_the_turn():
    body = (
        "1\n00:00:01,000 --> 00:00:02,000\nInterview with Acme\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nAnna: How are things?\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nOleg: Fine,\n\n"
        "4\n00:00:06,000 --> 00:00:07,000\nthough reports are late.\n"
    )
    frame = parse_transcript(body, fmt="srt", merge_turns=False)
    assert frame["speaker"].tolist() == [None, "Anna", "Oleg", "Oleg"]
    merged = parse_transcript(body, fmt="srt")
    assert merged["text"].tolist() == [
        "Interview with Acme",
        "How are things?",
        "Fine, though reports are late.",
    ]


def test_crlf_and_utf16_files(tmp_path, frames):
    for ext in ("txt", "vtt", "srt", "json"):
        original = (SAMPLES / f"conversation.{ext}").read_text(encoding="utf-8")
        crlf = tmp_path / f"conversation.{ext}"
        crlf.write_bytes(original.replace("\n", "\r\n").encode("utf-8"))
        pd.testing.assert_frame_equal(read_transcript(crlf), frames[ext])
        utf16 = tmp_path / f"utf16.{ext}"
        utf16.write_bytes(original.encode("utf-16"))
        pd.testing.assert_frame_equal(read_transcript(utf16, interview_id="conversation"), frames[ext])


def test_whisper_json_segments_without_speakers_stay_separate():
    body = json.dumps(
        {
            "text": "...",
            "segments": [
                {"id": 0, "start": 0.0, "end": 2.0, "text": " How is the team doing?"},
                {"id": 1, "start": 2.0, "end": 5.5, "text": " Great, but invoices are late."},
            ],
        }
    )
    frame = parse_transcript(body, fmt="json", interview_id="W")
    assert frame["speaker"].tolist() == [None, None]
    assert frame["text"].tolist() == ["How is the team doing?", "Great, but invoices are late."]
    assert frame["end"].tolist() == [2.0, 5.5]


def test_json_times_as_strings_and_prefix_speakers():
    body = json.dumps([{"start": "00:01:02.5", "text": "CTO: All good."}, {"text": "Anna: Thanks!"}])
    frame = parse_transcript(body, fmt="json")
    assert frame["speaker"].tolist() == ["CTO", "Anna"]
    assert frame["start"][0] == 62.5 and math.isnan(frame["start"][1]) and frame["end"].isna().all()


def test_srt_markup_is_removed():
    body = '1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<font color="red">Ivan: Всё ок</font>\n'
    frame = parse_transcript(body, fmt="srt")
    assert frame[["speaker", "text"]].values.tolist() == [["Ivan", "Всё ок"]]


def test_parse_timestamp():
    assert parse_timestamp("01:02:03,250") == 3723.25
    assert parse_timestamp("2:03") == 123.0


# --- errors ---------------------------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(TranscriptError, match=r"nope\.vtt: transcript file not found"):
        read_transcript(tmp_path / "nope.vtt")


@pytest.mark.parametrize(
    "name, body, message",
    [
        (
            "bad.json",
            '[\n {"start": 1, "text": "a"},\n {"start": 2 "text": "b"}\n]',
            r"bad\.json, line 3: invalid JSON",
        ),
        ("seg.json", '[{"start": 1, "text": "a"}, {"start": 2}]', r"seg\.json: segment 1 must be an object"),
        ("time.json", '[{"start": "soon", "text": "a"}]', r"segment 0: `start` and `end` must be seconds"),
        ("top.json", '{"items": []}', r"expected a list of segments"),
        (
            "bad.srt",
            "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:03 -> 00:00:04\nyo\n",
            r"bad\.srt, line 5: malformed SRT",
        ),
        (
            "arrow.srt",
            "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\nxx --> yy\nyo\n",
            r"arrow\.srt, line 6: malformed timing",
        ),
        ("junk.srt", "hello\nworld\n", r"junk\.srt, line 1: malformed SRT block"),
        (
            "bad.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n\n00:00:0x.000 --> 00:00:04.000\nyo\n",
            r"bad\.vtt, line 6: malformed timing line",
        ),
        ("head.vtt", "00:00:01.000 --> 00:00:02.000\nhi\n", r"head\.vtt, line 1: not a WebVTT file"),
        (
            "time.txt",
            "Анна: привет\n[00:75:00] Олег: пока\n",
            r"time\.txt, line 2: invalid timestamp '00:75:00'",
        ),
        ("empty.txt", "\n\n", r"empty\.txt: no utterances found"),
        ("empty.vtt", "WEBVTT\n\n", r"no utterances found in this vtt transcript"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path, name, body, message):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TranscriptError, match=message):
        read_transcript(path)


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(TranscriptError, match=r"binary\.txt"):
        read_transcript(path)


def test_unknown_format_name():
    with pytest.raises(ValueError, match=r"`fmt` must be one of"):
        parse_transcript("x", fmt="docx")
