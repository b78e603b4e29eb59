"""Neutral talk (greetings, thanks, goodbyes, logistics, backchannels, weather and travel) is never evidence.

The calls below were written for this test and are not in the training data; a factor is evidence
only in a sentence read as praise or complaint (:func:`outstaff_analysis.csi.sentences.polar_evidence`).
"""

import numpy as np
import pandas as pd
import pytest

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi import score_csi, score_texts
from outstaff_analysis.csi.scoring import score_sentence
from outstaff_analysis.csi.sentences import polar_evidence

RU_CALL = [
    "Алло, добрый день, Игорь!",
    "Да, здравствуйте, слышу вас отлично.",
    "Секундочку, закрою окно, у нас тут стройка за стеной.",
    "Как добрались вчера, поезд не задержали?",
    "Нормально, спасибо, только в Питере опять ливень.",
    "Угу.",
    "Ну да, понятно.",
    "Хорошо, давайте по повестке.",
    "Ладно, я вижу, время выходит, давайте закругляться.",
    "Спасибо огромное, было приятно пообщаться.",
    "И вам хорошей недели, до связи!",
]
EN_CALL = [
    "Hey Mark, morning!",
    "Hi, yes, I can hear you fine, can you hear me?",
    "Sorry, give me one sec, my headphones died.",
    "How was the flight back from Lisbon?",
    "Pretty good, thanks, though it's freezing here today.",
    "Mm-hmm.",
    "Yeah, okay.",
    "Right, so let's go through the agenda.",
    "Okay, I think we're out of time, let's wrap it up.",
    "Thanks so much, really nice chatting.",
    "You too, have a lovely weekend, bye!",
]


def _call(texts, language):
    return pd.DataFrame({
        "interview_id": "I1", "utterance_no": range(len(texts)), "speaker": "A", "start": 0.0, "end": 1.0,
        "text": texts, "client_id": "C1", "held_at": pd.Timestamp("2024-05-01"), "language": language,
        "is_client": True, "speaker_inferred": False,
    })


@pytest.mark.parametrize(("texts", "language"), [(RU_CALL, "ru"), (EN_CALL, "en")])
def test_call_openings_closings_and_filler_are_no_evidence(texts, language):
    result = score_csi(_call(texts, language))
    assert result.evidence.empty, result.evidence[["quote", "factor", "contribution"]].to_string()
    assert (result.client_quarters["n_evidence"] == 0).all()


@pytest.mark.parametrize(("texts", "language"), [(RU_CALL, "ru"), (EN_CALL, "en")])
def test_neutral_talk_is_read_neutral_by_the_text_api(texts, language):
    table = score_texts(texts, lang=language)
    polite = 4  # "Нормально, спасибо..." / "Pretty good, thanks...": an answer that may read positive
    assert table["polarity"].drop(index=polite).tolist() == ["neutral"] * (len(texts) - 1)
    assert table.loc[polite, "polarity"] in ("positive", "neutral")
    assert table[list(FACTORS)].isna().all().all()  # and about nothing: no evidence (the test above)


def test_a_complaint_inside_small_talk_is_still_evidence():
    texts = [RU_CALL[0], "Сроки по релизу опять сорвали, третий спринт подряд.", RU_CALL[-1]]
    evidence = score_csi(_call(texts, "ru")).evidence
    assert evidence["quote"].tolist() == [texts[1]]
    assert evidence["factor"].tolist() == ["speed"] and (evidence["contribution"] < 0).all()


def test_neutral_talk_and_a_neutral_reading_drop_every_factor_contribution():
    table = pd.DataFrame({"polarity": ["neutral", "negative", "positive"], "polarity_score": [0.1, -0.8, 0.9],
                          "probability": [0.5, 0.8, 0.9], "is_phatic": [False, False, True],
                          **{f: [0.5, -0.7, 0.9] for f in FACTORS}})
    out = polar_evidence(table)
    assert out.loc[[0, 2], list(FACTORS)].isna().all().all()
    np.testing.assert_array_equal(out.loc[1, list(FACTORS)].to_numpy(dtype=float), np.full(len(FACTORS), -0.7))
    assert out["polarity"].tolist() == ["neutral", "negative", "neutral"] and out.loc[2, "polarity_score"] == 0
    assert np.isnan(out.loc[2, "probability"])


@pytest.mark.parametrize(("text", "language"), [
    # who is on the call is logistics: "на связи" (on the line) is not praise of communication
    ("Со мной на связи Татьяна, наш продакт.", "ru"),
    ("Коллеги, у нас на связи ещё Олег из бэкенда.", "ru"),
    ("Joining us today is Anna, our product owner.", "en"),
    ("I've got Sam from QA with me on the call.", "en"),
])
def test_who_is_on_the_call_is_no_evidence(text, language):
    assert score_csi(_call([text], language)).evidence.empty
    assert score_texts([text], lang=language)["polarity"].tolist() == ["neutral"]


@pytest.mark.parametrize(("text", "language", "factor"), [
    # "хорошо если" / "at best": a praise word that says how little the client gets
    ("Пишем утром, а ответ хорошо если к вечеру следующего дня.", "ru", "service"),
    ("Релизы выходят в лучшем случае раз в квартал.", "ru", None),
    ("We get an answer from the manager in two days at best.", "en", "service"),
])
def test_at_best_is_a_complaint(text, language, factor):
    table = score_texts([text], lang=language)
    assert table["polarity"].tolist() == ["negative"]
    if factor is not None:
        assert table[factor].tolist() == ["negative"]


@pytest.mark.parametrize(("text", "language"), [
    # a sentence-opening "хорошо," / "well," takes the floor: it read as praise of what the sentence names
    ("Хорошо, давайте обсудим бюджет.", "ru"),
    ("Ну хорошо, тогда по срокам.", "ru"),
    ("Хорошо.", "ru"),
    ("Okay, let's talk about the rates.", "en"),
    ("Well, we need to discuss the budget.", "en"),
    ("Oh well, it has been raining all day.", "en"),
])
def test_a_discourse_opener_is_no_praise(text, language):
    assert score_sentence(text).polarity_score == 0
    assert score_csi(_call([text], language)).evidence.empty


@pytest.mark.parametrize(("text", "language"), [
    # a sentence-opening praise word before a pause agrees; it read as praise of what the sentence names
    ("Отлично, давайте обсудим бюджет.", "ru"),
    ("Супер, тогда по срокам.", "ru"),
    ("Класс, переходим к команде.", "ru"),
    ("Great, let's move on to the budget.", "en"),
    ("Perfect, next item is the rates.", "en"),
    ("Nice, let's talk about the team.", "en"),
])
def test_an_agreeing_interjection_is_no_praise(text, language):
    assert score_sentence(text).polarity_score == 0
    assert score_csi(_call([text], language)).evidence.empty


@pytest.mark.parametrize("text", ["Perfect, see you on Thursday.", "Cool, I'll check it out.", "Отлично, тогда до четверга."])
def test_an_interjection_about_no_factor_is_no_evidence(text):
    assert score_sentence(text).factors == {}


def test_an_interjection_leaves_praise_and_concession_as_they_were():
    assert score_sentence("Отлично, что предупредили.").factors["service"] > 0  # "good that ..."
    assert score_sentence("Great work, thanks.").factors["quality"] > 0  # no pause after it
    assert score_sentence("Супер, команда справилась отлично.") == score_sentence("Команда справилась отлично.")
    assert score_sentence("Отлично, но дорого.").polarity_score == pytest.approx(1.5 * 0.4 - 1.0)


def test_an_opener_leaves_the_rest_of_the_sentence_as_it_was():
    assert score_sentence("Well, the team is slow.") == score_sentence("The team is slow.")
    assert score_sentence("Хорошо, что вы заранее предупредили.").polarity_score > 0  # "good that ..."
    assert score_sentence("Работают хорошо, спасибо.").polarity_score > 0  # not at the start
    assert score_sentence("The team works well.").polarity_score > 0
