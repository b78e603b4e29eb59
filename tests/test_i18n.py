"""Names and quotes in the report's language."""

import pytest

from outstaff_analysis.i18n import in_language, label, plural_form, quoted


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


def test_plural_forms_agree_with_the_number():
    # the client report read "100% of 1 bugs", "0% of 1 replacements", "из 1 замен"
    assert label("kpi.of_n", "en", value="100%", n=1, unit=label("kpi.unit_sla_bug", "en", n=1)) == "100% of 1 bug"
    assert label("kpi.unit_sla_bug", "en", n=3) == "bugs"
    assert [label("kpi.unit_sla_replacement", "ru", n=n) for n in (1, 2, 5, 11, 21)] == [
        "замены", "замен", "замен", "замен", "замены"]  # "из 1 замены", "из 21 замены"
    assert label("summary.more", "en", n=1) == " (and 1 more step below)."
    assert label("health.reason_sla", "ru", n=1, m=1) == "SLA нарушен в 1 из 1 случая за квартал"


def test_plural_form_of_a_fraction_or_a_missing_number():
    assert plural_form(2.5, ["день", "дня", "дней"], "ru") == "дня"
    assert plural_form(float("nan"), ["bug", "bugs"], "en") == "bugs"
    assert plural_form("2,5", ["день", "дня", "дней"], "ru") == "дня" and plural_form("21", ["баг", "бага", "багов"], "ru") == "баг"
