"""Russian and English labels and number/date formatting.

Labels live in data files, one per domain: ``locale/<domain>.yaml`` maps a key to its text in
each language::

    km_title:
      ru: Доля размещений, которые продолжаются
      en: Share of placements still running

and are looked up as ``label("survival.km_title", "ru")``.  Texts may hold ``str.format``
fields: ``label("funnel.n_requests", "en", n=5)``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import string
from importlib import resources

import iuliia

from .yamltext import safe_load

LANGS = ("ru", "en")

_MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря")


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported report language, else raise a clear ValueError."""
    if lang not in LANGS:
        raise ValueError(f"The value for `lang` must be one of {list(LANGS)}, but {lang!r} was passed")
    return lang


@functools.cache
def _domain(domain: str) -> dict:
    path = resources.files("outstaff_analysis") / "locale" / f"{domain}.yaml"
    if not path.is_file():
        raise KeyError(f"no label file locale/{domain}.yaml")
    return safe_load(path.read_text(encoding="utf-8")) or {}


def load_all_labels() -> None:
    """Read every label file now (a process that forks report workers does it once for all of them)."""
    for path in (resources.files("outstaff_analysis") / "locale").iterdir():
        if path.name.endswith(".yaml"):
            _domain(path.name.removesuffix(".yaml"))


def plural_form(n, forms: list[str], lang: str) -> str:
    """The form of a word that goes with the number ``n``.

    English takes ``[one, other]``.  Russian takes ``[one, few, many]`` after a bare number
    (1 баг, 2 бага, 5 багов) or ``[one, other]`` after "из" (из 1 бага, из 5 багов): "one" is
    every n ending in 1 but not 11 (21 баг, из 21 бага).  A fraction takes the last form but one
    in Russian (2,5 дня), the last in English.  ``n`` may be a number formatted for the page.

    Examples
    --------
    >>> [plural_form(n, ["баг", "бага", "багов"], "ru") for n in (1, 3, 5, 11, 21, 22)]
    ['баг', 'бага', 'багов', 'багов', 'баг', 'бага']
    >>> [plural_form(n, ["bug", "bugs"], "en") for n in (1, 2, 0)]
    ['bug', 'bugs', 'bugs']
    """
    if len(forms) == 1:
        return forms[0]
    if isinstance(n, str):  # a number already formatted for the page ("12 345", "2,5")
        try:
            n = float(n.replace("\u00a0", "").replace(" ", "").replace(",", "."))
        except ValueError:
            return forms[-1]
    if math.isnan(n) or float(n) != int(n):
        return forms[-2] if lang == "ru" and len(forms) == 3 else forms[-1]
    n = abs(int(n))
    if lang == "en":
        return forms[0] if n == 1 else forms[-1]
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if len(forms) == 3 and n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return forms[1]
    return forms[-1]


class _LabelFormatter(string.Formatter):
    """``str.format`` plus plural forms: ``{n:plural:bug|bugs}`` is the form of the word that goes with ``n``."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            return plural_form(value, format_spec.removeprefix("plural:").split("|"), self.lang)
        return super().format_field(value, format_spec)


def label(key: str, lang: str, **fields) -> str:
    """Text of label ``"domain.name"`` in ``lang``, with ``fields`` filled in.

    Texts are ``str.format`` templates; ``{n:plural:bug|bugs}`` writes the form that goes with the
    number ``n`` (:func:`plural_form`).

    Raises
    ------
    KeyError
        If the label or its translation is missing (a missing label is a bug, not a blank).
    """
    check_lang(lang)
    domain, _, name = key.partition(".")
    entry = _domain(domain).get(name)
    if entry is None or lang not in entry:
        raise KeyError(f"label {key!r} has no {lang!r} text in locale/{domain}.yaml")
    text = entry[lang]
    return _LabelFormatter(lang).format(text, **fields) if fields else text


def fmt_number(value: float, lang: str, *, digits: int = 0) -> str:
    """Format a number with the language's separators (``12 345,6`` in Russian, ``12,345.6`` in English)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    if check_lang(lang) == "ru":
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def fmt_percent(share: float, lang: str, *, digits: int = 0) -> str:
    """Format a share in [0, 1] as a percentage (``45 %`` in Russian, ``45%`` in English)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    number = fmt_number(100 * share, lang, digits=digits)
    return f"{number}\u00a0%" if lang == "ru" else f"{number}%"


def fmt_date(value, lang: str) -> str:
    """Format a date (``5 марта 2024`` / ``5 Mar 2024``)."""
    if value is None:
        return "—"
    if hasattr(value, "date") and not isinstance(value, dt.date):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    if check_lang(lang) == "ru":
        return f"{value.day} {_MONTHS_RU[value.month - 1]} {value.year}"
    return value.strftime("%-d %b %Y")


_QUOTES = {"ru": ("«", "»"), "en": ("\u201c", "\u201d")}
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def quoted(text: str, lang: str) -> str:
    """``text`` in the language's typographic quotes: «…» in Russian, “…” in English."""
    opening, closing = _QUOTES[check_lang(lang)]
    return f"{opening}{text}{closing}"


def in_language(text, lang: str, *, latin=None) -> str:
    """A name (person, company) as written in a ``lang`` report.

    Russian reports keep it as it is.  English reports use ``latin`` (an optional Latin-name
    column) when given, else transliterate Cyrillic with the Russian passport system
    (ICAO Doc 9303, as in Russian passports since 2014) and turn «…» into “…”.

    Examples
    --------
    >>> in_language("ООО «Ромашка»", "en")
    'OOO “Romashka”'
    >>> in_language("Юлия Щукина", "en", latin="Julia Shchukina")
    'Julia Shchukina'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return "—"
    if check_lang(lang) == "ru":
        return str(text)
    if isinstance(latin, str) and latin.strip():
        return latin.strip()
    text = str(text)
    if _CYRILLIC.search(text):
        text = iuliia.ICAO_DOC_9303.translate(text)
    return re.sub("«([^«»]*)»", lambda m: quoted(m.group(1), "en"), text)
