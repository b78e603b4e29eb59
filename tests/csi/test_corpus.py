"""Corpus: every interview's utterances with client, date, language and client-speech flags."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from outstaff_analysis.csi.corpus import CORPUS_COLUMNS, build_corpus, load_transcripts
from outstaff_analysis.exceptions import InferredSpeakerWarning, TranscriptError

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "transcripts"


def _interviews(rows):
    frame = pd.DataFrame(
        rows, columns=["interview_id", "client_id", "held_at", "transcript", "language", "interviewer"]
    )
    frame["held_at"] = pd.to_datetime(frame["held_at"])
    return frame


@pytest.fixture
def transcripts_dir(tmp_path):
    for ext in ("txt", "vtt", "srt", "json"):
        shutil.copy(SAMPLES / f"conversation.{ext}", tmp_path / f"conversation.{ext}")
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "call.txt").write_text(
        "Interviewer: How are the developers doing?\nClient: Great, but they reply once a day.\n",
        encoding="utf-8",
    )
    return tmp_path


def test_load_transcripts(transcripts_dir):
    interviews = _interviews(
        [
            ("I1", "C1", "2024-03-01", "conversation.vtt", "auto", "Анна Смирнова"),
            ("I2", "C2", "2024-06-01", "en/call.txt", None, None),
            ("I3", "C1", "2024-09-01", "conversation.json", "ru", "Анна"),
        ]
    )
    corpus = load_transcripts(interviews, transcripts_dir)
    assert tuple(corpus.columns) == CORPUS_COLUMNS
    assert corpus.groupby("interview_id").size().to_dict() == {"I1": 5, "I2": 2, "I3": 5}
    first = corpus[corpus["interview_id"] == "I1"]
    assert first["is_client"].tolist() == [False, False, True, False, True]
    assert set(first["client_id"]) == {"C1"} and first["held_at"].iloc[0] == pd.Timestamp("2024-03-01")
    assert corpus.groupby("interview_id")["language"].first().to_dict() == {
        "I1": "ru",
        "I2": "en",
        "I3": "ru",
    }
    second = corpus[corpus["interview_id"] == "I2"]
    assert second["is_client"].tolist() == [False, True]
    assert not corpus["speaker_inferred"].any()
    assert corpus["is_client"].dtype == bool and corpus["speaker_inferred"].dtype == bool


def test_every_failure_is_reported_at_once(transcripts_dir):
    (transcripts_dir / "bad.json").write_text("[{", encoding="utf-8")
    interviews = _interviews(
        [
            ("I1", "C1", "2024-03-01", "conversation.vtt", "ru", None),
            ("I2", "C1", "2024-03-02", "missing.vtt", "ru", None),
            ("I3", "C1", "2024-03-03", "bad.json", "ru", None),
            ("I4", "C1", "2024-03-04", None, "ru", None),
        ]
    )
    with pytest.raises(TranscriptError, match=r"3 of 4 transcripts could not be read") as info:
        load_transcripts(interviews, transcripts_dir)
    message = str(info.value)
    assert "interview 'I2' (missing.vtt)" in message and "missing.vtt: transcript file not found" in message
    assert "interview 'I3' (bad.json)" in message and "line 1: invalid JSON" in message
    assert "interview 'I4': no transcript path" in message


def test_inferred_speakers_warn_once(transcripts_dir):
    interviews = _interviews([("I1", "C1", "2024-03-01", "conversation.srt", "ru", None)])
    with pytest.warns(InferredSpeakerWarning, match=r"'Анна Смирнова' taken as the interviewer"):
        corpus = load_transcripts(interviews, transcripts_dir)
    assert corpus["speaker_inferred"].all()
    assert corpus["is_client"].tolist() == [False, False, True, False, True]


def test_build_corpus_from_texts_equals_files(transcripts_dir):
    interviews = _interviews([("I1", "C1", "2024-03-01", "conversation.srt", "auto", "Анна")])
    texts = {"conversation.srt": (SAMPLES / "conversation.srt").read_text(encoding="utf-8")}
    pd.testing.assert_frame_equal(
        build_corpus(interviews, texts), load_transcripts(interviews, transcripts_dir)
    )
    with pytest.raises(TranscriptError, match=r"no such transcript among the texts"):
        build_corpus(interviews, {})


def test_no_interviews_gives_an_empty_frame_with_the_columns(transcripts_dir):
    corpus = load_transcripts(_interviews([]), transcripts_dir)
    assert tuple(corpus.columns) == CORPUS_COLUMNS and corpus.empty
