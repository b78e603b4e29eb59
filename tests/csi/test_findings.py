"""The findings of issue 10, reproduced: each failed on the scorer that was trained on sarcasm-heavy sentences.

None of these sentences is in the training data.
"""

import pandas as pd

from outstaff_analysis import csi
from outstaff_analysis.csi import bundled as bundled_module
from outstaff_analysis.csi.model import SentenceClassifier


def _call(texts):
    return pd.DataFrame({
        "interview_id": "I1", "utterance_no": range(len(texts)), "speaker": "A", "start": 0.0, "end": 1.0,
        "text": texts, "client_id": "C1", "held_at": pd.Timestamp("2024-05-01"), "language": "ru",
        "is_client": True, "speaker_inferred": False,
    })


def test_plain_praise_is_not_read_as_a_complaint():
    predicted = csi.bundled_model().predict(["The food was great.", "Great work.", "Очень вкусно."])
    assert predicted["polarity"].tolist() == ["positive", "positive", "positive"]


def test_a_request_for_a_train_is_neutral():
    assert csi.bundled_model().predict(["I need a train to Cambridge"])["polarity"].tolist() == ["neutral"]


def test_greetings_thanks_and_weather_are_no_evidence():
    texts = ["Добрый день.", "Thanks, have a nice day.", "Да, конечно.", "Да уж, весь день дождь."]
    assert csi.score_csi(_call(texts)).evidence.empty


def test_plain_texts_can_be_scored_with_the_bundled_model():
    table = csi.score_texts(["Всё отлично, спасибо. Но счета приходят с ошибками."], model="bundled")
    assert len(table) == 1


def test_the_bundled_model_is_read_not_refitted(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the bundled model was fitted at run time")

    monkeypatch.setattr(SentenceClassifier, "fit", refuse)
    bundled_module._packaged_model.cache_clear()
    try:
        assert bundled_module.bundled_model().predict(["Сроки сорвали."])["polarity"].tolist() == ["negative"]
    finally:
        bundled_module._packaged_model.cache_clear()
