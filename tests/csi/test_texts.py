"""csi.score_texts: any strings, several sentences each, one tidy row per text, the report pipeline's numbers."""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis import csi
from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.texts import TEXT_COLUMNS

TEXTS = [
    "Добрый день! Сроки по релизу опять сорвали. Отчётов мы не видели уже месяц.",
    "The developers are great and the code quality has improved a lot. Thanks!",
    "Команда сильная, но счета каждый месяц приходят с ошибками.",
    "Hi, can you hear me? Okay, let's move on.",
]


def test_one_row_per_text_with_polarity_probability_score_and_factors():
    table = csi.score_texts(TEXTS, model="bundled")
    assert list(table.columns) == TEXT_COLUMNS
    assert table["text"].tolist() == TEXTS
    assert table["language"].tolist() == ["ru", "en", "ru", "en"]
    assert table["n_sentences"].tolist() == [3, 2, 1, 2]
    assert table["polarity"].tolist() == ["negative", "positive", "mixed", "neutral"]
    assert table.loc[0, "speed"] == "negative" and table.loc[1, "quality"] == "positive"
    assert table.loc[2, "team"] == "positive" and "negative" in table.loc[2, list(FACTORS)].tolist()
    assert table.loc[3, list(FACTORS)].isna().all() and table.loc[3, "deciding"] == []
    assert table.loc[0, "score"] < 0 < table.loc[1, "score"] and table.loc[3, "score"] == 0
    assert table["score"].between(-1, 1).all() and table["probability"][:3].between(1 / 3, 1).all()
    assert np.isnan(table.loc[3, "probability"])  # neutral talk only: neutral by rule, no model probability
    assert "Добрый день!" not in table.loc[0, "deciding"]
    assert "Сроки по релизу опять сорвали." in table.loc[0, "deciding"]


def test_the_numbers_are_the_report_pipelines():
    utterances = pd.DataFrame({
        "interview_id": "I1", "utterance_no": range(len(TEXTS)), "speaker": "A", "start": 0.0, "end": 1.0,
        "text": TEXTS, "client_id": "C1", "held_at": pd.Timestamp("2024-05-01"), "language": "ru",
        "is_client": True, "speaker_inferred": False,
    })
    report = csi.score_csi(utterances).sentences
    plain = csi.score_sentences(TEXTS, model=csi.bundled_model())
    columns = ["text", "polarity_score", "polarity", "probability", *FACTORS]
    pd.testing.assert_frame_equal(plain[columns], report[columns])
    table = csi.score_texts(TEXTS)
    for k, text in enumerate(TEXTS):
        mine = report[report["utterance_no"] == k]
        polar = mine[mine["polarity"] != "neutral"]
        assert sorted(table.loc[k, "deciding"]) == sorted(polar["text"])
        expected = polar["polarity_score"].clip(-1, 1).mean() if len(polar) else 0.0
        assert table.loc[k, "score"] == pytest.approx(expected)


def test_score_sentences_needs_only_text():
    scored = csi.score_sentences(pd.DataFrame({"text": ["Всё отлично. Но дорого!"], "speaker": ["Анна"]}))
    assert scored["text"].tolist() == ["Всё отлично.", "Но дорого!"]
    assert scored["speaker"].tolist() == ["Анна", "Анна"] and scored["language"].tolist() == ["ru", "ru"]
    assert scored.loc[1, "price"] < 0


def test_the_lexicon_alone_has_no_probability():
    table = csi.score_texts(["Сроки опять сорвали."], model=None, lang="ru")
    assert table.loc[0, "polarity"] == "negative" and np.isnan(table.loc[0, "probability"])
    assert table.loc[0, "score"] == -1.0  # the lexicon's score, capped


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="`text` must be a string, but 3 was passed in row 1"):
        csi.score_texts(["ok", 3])
    with pytest.raises(ValueError, match="`language` must be one of"):
        csi.score_texts(["ok"], lang="de")
