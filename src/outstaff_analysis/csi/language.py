"""Language of client speech: Russian or English, from the script of its words.

Russian IT speech is full of English words ("деплой", "code review", "тимлид", "PR"), so a
Russian conversation can have many Latin words; but English speech practically never has
Cyrillic ones.  Text is therefore Russian as soon as a fair share of its words are Cyrillic
(:data:`RUSSIAN_SHARE`), not only when most are.  Nothing is downloaded: no model is needed.
"""

from __future__ import annotations

import re

import pandas as pd

LANGUAGES = ("ru", "en")
"""Languages the CSI lexicons cover."""

RUSSIAN_SHARE = 0.25
"""Text whose share of Cyrillic words is at least this is Russian."""

DETECTION_CHARS = 5_000
"""An interview's language is detected from its first this many characters (several hundred words)."""

_CYRILLIC_WORD = re.compile(r"[а-яёА-ЯЁ]+")
_LATIN_WORD = re.compile(r"[a-zA-Z]+")


def detect_language(text: str, *, default: str = "en") -> str:
    """Language of a text: ``"ru"`` or ``"en"``.

    Parameters
    ----------
    text : str
        Any amount of speech; for a whole interview pass all of its text.
    default : {"en", "ru"}
        Returned when the text has no Cyrillic or Latin word at all.

    Returns
    -------
    str
        ``"ru"`` if at least :data:`RUSSIAN_SHARE` of the words are Cyrillic, else ``"en"``.

    Examples
    --------
    >>> detect_language("Code review и деплой на staging — всё ок")
    'ru'
    >>> detect_language("The tech lead said the release is on track")
    'en'
    """
    if default not in LANGUAGES:
        raise ValueError(
            f"The value for `default` must be one of {list(LANGUAGES)}, but {default!r} was passed"
        )
    cyrillic = len(_CYRILLIC_WORD.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    if cyrillic + latin == 0:
        return default
    return "ru" if cyrillic >= RUSSIAN_SHARE * (cyrillic + latin) else "en"


def resolve_languages(utterances: pd.DataFrame, declared: pd.Series | None = None) -> pd.Series:
    """Language of each interview: the declared one, or detected from its text.

    Parameters
    ----------
    utterances : pandas.DataFrame
        Utterance frame with ``interview_id`` and ``text``.
    declared : pandas.Series, optional
        Language declared per interview (index ``interview_id``; values ``"ru"``, ``"en"``,
        ``"auto"`` or missing).  ``"auto"`` and missing values are detected from the text of the
        interview (its first :data:`DETECTION_CHARS` characters).

    Returns
    -------
    pandas.Series
        ``"ru"``/``"en"`` indexed by ``interview_id`` (every interview of ``utterances``).
    """
    ids = pd.Index(utterances["interview_id"].unique(), name="interview_id")
    given = pd.Series(None, index=ids, dtype=object) if declared is None else declared.reindex(ids)
    bad = given[given.notna() & ~given.isin((*LANGUAGES, "auto"))]
    if len(bad):
        raise ValueError(
            f"The value for `language` must be one of {[*LANGUAGES, 'auto']}, but {bad.iloc[0]!r} was passed "
            f"for interview {bad.index[0]!r}"
        )
    unknown = utterances[utterances["interview_id"].isin(given.index[~given.isin(LANGUAGES)])]
    detected = unknown.groupby("interview_id", sort=False)["text"].agg(_detect_joined)
    return given.where(given.isin(LANGUAGES), detected.reindex(ids)).rename("language")


def _detect_joined(texts: pd.Series) -> str:
    """Language of an interview from its first :data:`DETECTION_CHARS` characters."""
    joined = []
    length = 0
    for text in texts:
        joined.append(text)
        length += len(text) + 1
        if length >= DETECTION_CHARS:
            break
    return detect_language(" ".join(joined)[:DETECTION_CHARS])


__all__ = ["DETECTION_CHARS", "LANGUAGES", "RUSSIAN_SHARE", "detect_language", "resolve_languages"]
