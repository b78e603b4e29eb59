"""Corpus: every interview's utterances with client, date, language and client-speech flags."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from outstaff_analysis.csi.corpus import CORPUS_COLUMNS, build_corpus, load_transcripts
from outstaff_analysis.csi.ratings import extract_ratings
from outstaff_analysis.csi.redflags import detect_red_flags
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
            ("I2", "C2", "2024-06-01", "en\\call.txt", None, None),
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


def test_a_missing_transcripts_folder_is_one_error_naming_it(tmp_path):
    interviews = _interviews(
        [
            ("I1", "C1", "2024-03-01", "conversation.vtt", "ru", None),
            ("I2", "C1", "2024-03-02", "en/call.txt", "en", None),
        ]
    )
    folder = tmp_path / "raw" / "transcripts"
    with pytest.raises(TranscriptError, match=r"transcripts folder not found") as info:
        load_transcripts(interviews, folder)
    message = str(info.value)
    assert message.startswith(f"folder {folder}: ")  # a folder, not a "file"
    assert "the interviews table names 2 transcripts" in message and "restore the folder" in message
    assert "could not be read" not in message and "I1" not in message


def test_a_file_in_place_of_the_transcripts_folder_is_one_error(tmp_path):
    (tmp_path / "transcripts").write_text("not a folder", encoding="utf-8")
    interviews = _interviews([("I1", "C1", "2024-03-01", "conversation.vtt", "ru", None)])
    with pytest.raises(TranscriptError, match=r"transcripts: transcripts folder expected, but this is a file, not a folder"):
        load_transcripts(interviews, tmp_path / "transcripts")


def test_no_interviews_need_no_transcripts_folder(tmp_path):
    corpus = load_transcripts(_interviews([]), tmp_path / "missing")
    assert tuple(corpus.columns) == CORPUS_COLUMNS and corpus.empty


def test_inferred_speakers_warn_once(transcripts_dir):
    interviews = _interviews([("I1", "C1", "2024-03-01", "conversation.srt", "ru", None)])
    with pytest.warns(InferredSpeakerWarning, match=r"'Анна Смирнова' taken as the interviewer"):
        corpus = load_transcripts(interviews, transcripts_dir)
    assert corpus["speaker_inferred"].all()
    assert corpus["is_client"].tolist() == [False, False, True, False, True]


def test_as_of_reads_interviews_held_up_to_the_end_of_that_day(transcripts_dir):
    interviews = _interviews(
        [
            ("I1", "C1", "2024-12-31 15:30", "conversation.vtt", "auto", "Анна Смирнова"),
            ("I2", "C2", "2025-01-01 09:00", "en/call.txt", None, None),
            ("I3", "C1", "2025-02-01 10:00", "missing.json", "ru", "Анна"),  # never read: held after as_of
        ]
    )
    corpus = load_transcripts(interviews, transcripts_dir, as_of="2024-12-31")
    assert set(corpus["interview_id"]) == {"I1"}
    assert load_transcripts(interviews, transcripts_dir, as_of="2024Q3").empty
    texts = {"conversation.vtt": (SAMPLES / "conversation.vtt").read_text(encoding="utf-8")}
    assert set(build_corpus(interviews, texts, as_of="2024-12-31 00:00")["interview_id"]) == {"I1"}


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


# --- the demo firm: known speakers, spoken ratings and the client unhappy about communication --------------

COMMUNICATION_FLAGS = {
    "slow_answers",
    "no_clarifying_questions",
    "template_replies",
    "non_technical_contact",
    "fewer_meetings",
    "no_reports",
}


@pytest.fixture(scope="module")
def demo_corpus(demo_firm):
    return build_corpus(demo_firm.tables["interviews"], demo_firm.transcripts)


def test_demo_corpus_knows_every_speaker(demo_firm, demo_corpus):
    interviews = demo_firm.tables["interviews"]
    assert set(demo_corpus["interview_id"]) == set(interviews["interview_id"])
    assert not demo_corpus["speaker_inferred"].any()
    interviewer = demo_corpus["interview_id"].map(interviews.set_index("interview_id")["interviewer"])
    assert (demo_corpus["is_client"] == (demo_corpus["speaker"] != interviewer)).all()
    declared = interviews.set_index("interview_id")["language"]
    language = demo_corpus.groupby("interview_id")["language"].first()
    known = declared[declared != "auto"]
    assert (language[known.index] == known).all()


def test_demo_spoken_ratings_match_the_truth(demo_firm, demo_corpus):
    ratings = extract_ratings(demo_corpus)
    truth = {
        interview_id: (float(call["spoken_rating"]["value"]), float(call["spoken_rating"]["scale"]))
        for interview_id, call in demo_firm.truth["interviews"].items()
        if call.get("spoken_rating")
    }
    found = {row.interview_id: (row.value, row.scale) for row in ratings.itertuples()}
    assert len(ratings) == len(found) == len(truth) > 20
    assert found == truth


def test_demo_unhappy_client_has_the_most_communication_flags_with_quotes(demo_firm, demo_corpus):
    flags = detect_red_flags(demo_corpus)
    flags = flags.merge(demo_corpus[["interview_id", "utterance_no", "client_id", "text"]])
    assert flags.apply(lambda row: row["quote"] in row["text"], axis=1).all()
    per_client = flags[flags["flag"].isin(COMMUNICATION_FLAGS)].groupby("client_id").size()
    unhappy = demo_firm.truth["special_clients"]["unhappy_service"]
    assert per_client.idxmax() == unhappy
    assert per_client[unhappy] >= 1.5 * per_client.drop(unhappy).max()
    turnover = flags[flags["flag"] == "specialist_turnover"].groupby("client_id").size()
    assert turnover.idxmax() == demo_firm.truth["special_clients"]["churny"]
