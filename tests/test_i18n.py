"""Names and quotes in the report's language."""

import pytest

from outstaff_analysis.i18n import in_language, quoted


def test_english_reports_transliterate_names_with_the_russian_passport_system():
    assert in_language("Ксения Григорьева", "en") == "Kseniia Grigoreva"
    assert in_language("Юлия Щукина", "en") == "Iuliia Shchukina"
    assert in_language("ООО «МеридианБанк»", "en") == "OOO \u201cMeridianBank\u201d"
    assert in_language("Lumen Shop Ltd", "en") == "Lumen Shop Ltd"


def test_a_latin_name_column_wins_and_russian_reports_keep_the_name():
    assert in_language("Юлия Щукина", "en", latin="Julia Shchukina") == "Julia Shchukina"
    assert in_language("Юлия Щукина", "en", latin=float("nan")) == "Iuliia Shchukina"
    assert in_language("Юлия Щукина", "ru", latin="Julia Shchukina") == "Юлия Щукина"
    assert in_language(None, "en") == "—"


@pytest.mark.parametrize(("lang", "expected"), [("ru", "«да»"), ("en", "\u201cда\u201d")])
def test_quotes_are_the_languages_own(lang, expected):
    assert quoted("да", lang) == expected
