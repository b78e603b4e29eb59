"""Language detection: Russian IT speech full of English words is Russian; English is English."""

import pandas as pd
import pytest

from outstaff_analysis.csi.language import detect_language, resolve_languages


@pytest.mark.parametrize(
    "text",
    [
        "Деплой идёт по пятницам, тимлид доволен.",
        "Мы сделали code review и deploy на staging, всё ok.",
        "CI/CD pipeline падает, PR висят по неделе.",
        "Ну, в целом sprint прошёл нормально, но velocity просела.",
        "Ёлки, опять hotfix на prod.",
    ],
)
def test_russian_with_english_jargon_is_russian(text):
    assert detect_language(text) == "ru"


@pytest.mark.parametrize(
    "text",
    [
        "The team is great, but the invoices are always late.",
        "We had a call with Иван about the sprint backlog and the deployment pipeline yesterday.",
        "I'd give you a nine out of ten.",
    ],
)
def test_english_is_english(text):
    assert detect_language(text) == "en"


def test_text_without_words_gives_the_default():
    assert detect_language("8/10 !!!") == "en"
    assert detect_language("", default="ru") == "ru"
    with pytest.raises(ValueError, match=r"`default` must be one of \['ru', 'en'\], but 'de'"):
        detect_language("x", default="de")


def test_resolve_languages_keeps_declared_and_detects_auto_or_missing():
    utterances = pd.DataFrame(
        {
            "interview_id": ["A", "A", "B", "C", "D"],
            "text": ["Hello, how are you?", "Всё хорошо.", "Отвечают быстро.", "All fine here.", "Good."],
        }
    )
    declared = pd.Series({"A": "ru", "B": "auto", "C": None}, name="language")
    languages = resolve_languages(utterances, declared)
    assert languages.to_dict() == {"A": "ru", "B": "ru", "C": "en", "D": "en"}
    assert resolve_languages(utterances).to_dict() == {"A": "ru", "B": "ru", "C": "en", "D": "en"}


def test_resolve_languages_rejects_unknown_codes():
    utterances = pd.DataFrame({"interview_id": ["A"], "text": ["Hi"]})
    with pytest.raises(ValueError, match=r"but 'de' was passed for interview 'A'"):
        resolve_languages(utterances, pd.Series({"A": "de"}))
