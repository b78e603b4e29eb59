"""Client sentences as frames: splitting utterances, scoring distinct texts once, in parallel."""

import numpy as np
import pandas as pd

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.sentences import score_sentences, sentence_table, split_client_sentences


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
