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


def label(key: str, lang: str, **fields) -> str:
    """Text of label ``"domain.name"`` in ``lang``, with ``fields`` filled in.

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
    return text.format(**fields) if fields else text


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
