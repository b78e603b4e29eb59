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


def adjective_forms(word: str) -> tuple[str, ...]:
    """The other forms of a Russian adjective or participle written in its dictionary form.

    pymorphy3 lemmatises a participle to its verb ("продуманные" -> "продумать") and may misparse
    an adjective's plural ("честные" -> "честной"), so a lexicon entry written as an adjective
    matches its other forms only through them.  Given: the full forms, and for a participle its
    short forms too ("продуман", "оправдана"); not an adjective's short forms, which are often other
    words ("дорога" is a road, "сыр" cheese), nor comparatives and superlatives (entries of their
    own: "лучше", "лучший").  Empty for a word that is not a full adjective or participle (an
    adverb: "долго").

    Examples
    --------
    >>> "продуманные" in adjective_forms("продуманный"), "продуман" in adjective_forms("продуманный")
    (True, True)
    """
    if not _CYRILLIC.search(word):
        return ()
    forms = set()
    for parse in morph_analyzer().parse(word):  # "оправданный" is an adjective and a participle ("оправдана")
        own = parse.tag
        if parse.word != word or own.POS not in ("ADJF", "PRTF") or own.case != "nomn" or own.gender != "masc":
            continue
        kept = ("PRTF", "PRTS") if own.POS == "PRTF" else ("ADJF",)
        for form in parse.lexeme:
            tag = form.tag
            if tag.POS not in kept or {"Supr", "Cmp2", "COMP"} & tag.grammemes \
                    or (own.POS == "PRTF" and (tag.tense != own.tense or tag.voice != own.voice)) \
                    or (tag.POS == "PRTS" and tag.gender == "neut"):  # "продумано" is also an adverb
                continue
            forms.update((form.word, form.word.replace("ё", "е")))  # spoken with or without ё
    forms.discard(word)
    return tuple(sorted(forms))


def lemmatize(tokens: list[str]) -> list[str]:
    """Lemmas of a list of tokens (see :func:`lemma`)."""
    return [lemma(token) for token in tokens]


def script_language(tokens: list[str]) -> str:
    """``"ru"`` if most word tokens are Cyrillic, else ``"en"``."""
    cyrillic = sum(1 for token in tokens if _CYRILLIC.search(token))
    latin = sum(1 for token in tokens if _LATIN.search(token))
    return "ru" if cyrillic >= latin and cyrillic else "en"


__all__ = ["PUNCTUATION", "adjective_forms", "lemma", "lemmatize", "script_language", "split_sentences", "tokenize"]
