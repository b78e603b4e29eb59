"""Text primitives for client speech: sentences, tokens and lemmas (Russian and English).

Mixed Russian/English IT speech is normal ("деплой", "code review", "тимлид"), so every token is
lemmatised by its own script: Cyrillic tokens with :mod:`pymorphy3`, Latin ones with
:mod:`simplemma`.  Lemmas are cached per unique token (a transcript repeats the same few thousand
words), which is what makes scoring millions of words fast.

Sentences are returned as character spans of the original text, so that every quote the scorer
keeps as evidence is an exact substring of the utterance.
"""

from __future__ import annotations

import functools
import re

import pymorphy3
import simplemma

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”)]*\s+(?=[\"«“(\-–—]?[A-ZА-ЯЁ0-9])|\n+")
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)?|[,;:!?()—–]|(?<=\s)-(?=\s)", re.UNICODE)
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|approx|т\.\s?е|т\.\s?к|т\.\s?д|т\.\s?п|др|см|напр|г)\.$",
                           re.IGNORECASE)
_ABBREVIATION_REACH = 12
"""Characters before a full stop that can hold an abbreviation and the character before it ("(approx")."""
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)

PUNCTUATION = frozenset(",;:!?()—–-")
"""Tokens that are punctuation marks; they bound negation scope and clauses."""


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentences, as character spans.

    Parameters
    ----------
    text : str
        An utterance.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` offsets such that ``text[start:end]`` is a sentence with surrounding
        whitespace stripped.  A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by an
        upper-case letter or a digit, unless the dot ends a common abbreviation ("e.g. Jira",
        "т.е. Мы"), or at a line break.

    Examples
    --------
    >>> text = "Всё хорошо. Но дорого!"
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Всё хорошо.', 'Но дорого!']
    """
    spans = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()  # only the end of the text before the stop can be an abbreviation (not all of it)
        if "\n" not in match.group() and _ABBREVIATION.search(text, max(0, end - _ABBREVIATION_REACH), end):
            continue
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    out = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            offset = start + len(chunk) - len(chunk.lstrip())
            out.append((offset, offset + len(stripped)))
    return out


def tokenize(sentence: str) -> list[str]:
    """Lower-cased word, number and punctuation tokens of a sentence (``ё`` folded to ``е``).

    Examples
    --------
    >>> tokenize("Не очень быстро, но code review ОК!")
    ['не', 'очень', 'быстро', ',', 'но', 'code', 'review', 'ок', '!']
    """
    return _TOKEN.findall(sentence.lower().replace("ё", "е").replace("’", "'"))


@functools.cache
def morph_analyzer() -> pymorphy3.MorphAnalyzer:
    """The process's one pymorphy3 analyser (loading its dictionaries takes about 0.2 s)."""
    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=200_000)
def lemma(token: str) -> str:
    """Lemma of one lower-cased token, by its script (cached per unique token).

    Cyrillic tokens go to pymorphy3 (most probable parse), Latin ones to simplemma's English
    model; numbers and punctuation are returned unchanged.

    Examples
    --------
    >>> lemma("сроки"), lemma("delays")
    ('срок', 'delay')
    """
    if _CYRILLIC.search(token):
        return morph_analyzer().parse(token)[0].normal_form.replace("ё", "е")
    if _LATIN.search(token):
        return simplemma.lemmatize(token, lang="en").lower()
    return token


def lemmatize(tokens: list[str]) -> list[str]:
    """Lemmas of a list of tokens (see :func:`lemma`)."""
    return [lemma(token) for token in tokens]


def script_language(tokens: list[str]) -> str:
    """``"ru"`` if most word tokens are Cyrillic, else ``"en"``."""
    cyrillic = sum(1 for token in tokens if _CYRILLIC.search(token))
    latin = sum(1 for token in tokens if _LATIN.search(token))
    return "ru" if cyrillic >= latin and cyrillic else "en"


__all__ = ["PUNCTUATION", "lemma", "lemmatize", "script_language", "split_sentences", "tokenize"]
