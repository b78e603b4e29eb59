"""Sentences, tokens and lemmas of Russian, English and mixed client speech."""

import pytest

from outstaff_analysis.csi.text import lemma, lemmatize, script_language, split_sentences, tokenize


@pytest.mark.parametrize("text, expected", [
    ("Всё хорошо. Но дорого!", ["Всё хорошо.", "Но дорого!"]),
    ("Сроки, т.е. дедлайны, срывают. Это плохо", ["Сроки, т.е. дедлайны, срывают.", "Это плохо"]),
    ("We use e.g. Jira. It works?  Yes", ["We use e.g. Jira.", "It works?", "Yes"]),
    ("first line\nsecond line", ["first line", "second line"]),
    ("  Пробелы вокруг.  ", ["Пробелы вокруг."]),
    ("", []),
])
def test_split_sentences_returns_exact_spans(text, expected):
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == expected


def test_tokenize_lowercases_folds_yo_and_keeps_clause_punctuation():
    assert tokenize("Ещё НЕ готово, но code review — ок; don’t worry!") == [
        "еще", "не", "готово", ",", "но", "code", "review", "—", "ок", ";", "don't", "worry", "!"]


def test_tokenize_keeps_numbers_and_hyphenated_words():
    assert tokenize("Оценка 8.5 из 10, аккаунт-менеджер") == ["оценка", "8.5", "из", "10", ",", "аккаунт-менеджер"]


@pytest.mark.parametrize("forms, expected", [
    (["сроки", "срока", "срокам", "сроков"], "срок"),
    (["сорвали", "сорвал", "сорвать"], "сорвать"),
    (["delays", "delay"], "delay"),
    (["developers", "developer"], "developer"),
])
def test_word_forms_share_a_lemma(forms, expected):
    assert {lemma(form) for form in forms} == {expected}


def test_mixed_speech_is_lemmatised_word_by_word_by_script():
    assert lemmatize(tokenize("Релизы delays сроки 42")) == ["релиз", "delay", "срок", "42"]


def test_script_language():
    assert script_language(tokenize("Code review затянулся на неделю")) == "ru"
    assert script_language(tokenize("The деплой was late again")) == "en"
    assert script_language([]) == "en"
