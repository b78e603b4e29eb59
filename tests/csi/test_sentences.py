"""Client sentences as frames: splitting utterances, scoring distinct texts once, in parallel."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi import sentences as sentences_module
from outstaff_analysis.csi.bundled import bundled_model
from outstaff_analysis.csi.corpus import build_corpus
from outstaff_analysis.csi.embeddings import word_vectors
from outstaff_analysis.csi.scoring import score_sentence
from outstaff_analysis.csi.sentences import score_sentences, sentence_table, split_client_sentences
from outstaff_analysis.csi.text import split_sentences


def test_sentence_table_scores_each_distinct_text_once_and_keeps_order():
    texts = ["Дорого.", "Great team.", "Дорого.", "Hello."]
    table = sentence_table(texts)
    assert list(table.columns) == ["text", "polarity_score", "polarity", "probability", "is_question", "is_reported",
                                   "is_hedged", "is_phatic", *FACTORS]
    assert table["text"].tolist() == texts
    assert table["polarity"].tolist() == ["negative", "positive", "negative", "neutral"]
    assert table.loc[0, "price"] == table.loc[2, "price"] < 0
    assert table.loc[3, list(FACTORS)].isna().all()


def _utterances():
    frame = pd.DataFrame({
        "interview_id": ["I1", "I1", "I1"],
        "utterance_no": [0, 1, 2],
        "speaker": ["Анна", "Игорь", "Анна"],
        "start": [0.0, 12.0, np.nan],
        "end": [10.0, 14.0, np.nan],
        "text": ["  Всё отлично. Но дорого!", "Как сроки?", "Задержки\nкаждую неделю."],
        "client_id": ["C1"] * 3,
        "held_at": pd.to_datetime(["2024-03-01"] * 3),
        "language": ["ru"] * 3,
        "is_client": [True, False, True],
        "speaker_inferred": [False] * 3,
    })
    return frame


def test_only_client_sentences_are_scored_and_spans_point_into_the_utterance():
    utterances = _utterances()
    sentences = split_client_sentences(utterances)
    assert sentences["text"].tolist() == ["Всё отлично.", "Но дорого!", "Задержки", "каждую неделю."]
    for row in sentences.itertuples():
        source = utterances.loc[utterances["utterance_no"] == row.utterance_no, "text"].item()
        assert source[row.char_start:row.char_end] == row.text
    scored = score_sentences(utterances)
    assert (scored["speaker"] == "Анна").all()
    assert scored.loc[1, "price"] < 0 and scored.loc[2, "speed"] < 0


def test_empty_utterances_give_an_empty_frame_with_the_columns():
    scored = score_sentences(_utterances().assign(is_client=False))
    assert len(scored) == 0 and {"text", "polarity", *FACTORS} <= set(scored.columns)


def test_parallel_scoring_equals_serial():
    texts = [f"Сроки срывают уже {k} недель, но ребята хорошие." for k in range(1500)] + ["Great team!"] * 600
    pd.testing.assert_frame_equal(sentence_table(texts, n_jobs=2), sentence_table(texts))
    utterances = pd.DataFrame({
        "interview_id": "I1", "utterance_no": range(2100), "speaker": "A", "start": 0.0, "end": 1.0,
        "text": [t + " Второе предложение." for t in texts], "client_id": "C1",
        "held_at": pd.Timestamp("2024-01-01"), "language": "ru", "is_client": True, "speaker_inferred": False,
    })
    pd.testing.assert_frame_equal(split_client_sentences(utterances, n_jobs=2), split_client_sentences(utterances))


@pytest.fixture(scope="module")
def demo_calls(demo_firm):
    """Twelve calls of the demo firm (Russian and English, small talk, mixed statements)."""
    utterances = build_corpus(demo_firm.tables["interviews"], demo_firm.transcripts)
    first = utterances["interview_id"].drop_duplicates().iloc[:12]
    return utterances.loc[utterances["interview_id"].isin(first)].reset_index(drop=True)


def _split_one_utterance_at_a_time(utterances):
    rows = []
    for u in utterances.loc[utterances["is_client"]].itertuples():
        for k, (a, b) in enumerate(split_sentences(u.text)):
            rows.append((u.interview_id, u.utterance_no, k, a, b, u.text[a:b]))
    return pd.DataFrame(rows, columns=["interview_id", "utterance_no", "sentence_no", "char_start", "char_end", "text"])


@pytest.mark.parametrize("reader", ["lexicon", "bundled"])
def test_chunked_parallel_scores_equal_each_sentence_scored_alone(demo_calls, monkeypatch, reader):
    # Tiny chunks on two processes, against the straightforward path: every sentence split and
    # scored on its own (no deduplication, no chunks, no workers).  Equal to the last bit.
    model = bundled_model() if reader == "bundled" else None
    monkeypatch.setattr(sentences_module, "CHUNK", 7)
    monkeypatch.setattr(sentences_module, "PARALLEL_FROM", 5)
    scored = score_sentences(demo_calls, model=model, n_jobs=2)
    reference = _split_one_utterance_at_a_time(demo_calls)
    assert len(reference) > 200 and reference["text"].duplicated().any()  # repeats exercise the deduplication
    pd.testing.assert_frame_equal(scored[reference.columns], reference)
    alone = pd.concat([sentence_table([text], model=model) for text in reference["text"]], ignore_index=True)
    columns = ["polarity_score", "polarity", "probability", "is_question", "is_reported", "is_hedged", "is_phatic",
               *FACTORS]
    pd.testing.assert_frame_equal(scored[columns], alone[columns], check_exact=True)
    assert (scored["polarity"] != "neutral").any() and scored[list(FACTORS)].notna().any().all()


def test_the_word_vectors_are_read_once_before_the_workers_fork(monkeypatch):
    # Read in each worker, the table cost every worker 40 MB and a transient 70 MB (bench_csi's peak memory).
    monkeypatch.setattr(sentences_module, "PARALLEL_FROM", 2)
    texts = [f"Sprint {k} went fine." for k in range(8)]  # English: this process never needs the vectors itself
    assert bundled_model().embedding_scale > 0
    word_vectors.cache_clear()
    sentence_table(texts, model=bundled_model(), n_jobs=1)
    assert word_vectors.cache_info().currsize == 0
    sentence_table(texts, model=bundled_model(), n_jobs=2)
    assert word_vectors.cache_info().currsize == 1


def test_lexicon_scores_of_calls_are_score_sentence_of_each_sentence(demo_calls, monkeypatch):
    monkeypatch.setattr(sentences_module, "CHUNK", 5)
    scored = score_sentences(demo_calls, model=None)
    for row in scored.itertuples():
        expected = score_sentence(row.text)
        assert row.polarity_score == expected.polarity_score
        if row.polarity != "neutral":
            assert {f: getattr(row, f) for f in FACTORS if not np.isnan(getattr(row, f))} == expected.factors
