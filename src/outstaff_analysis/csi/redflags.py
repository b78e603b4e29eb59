"""Red flags in client speech: slow answers, no clarifying questions, template replies, a non-technical
contact, fewer meetings, no reports, missed deadlines, turnover of specialists, hurrying to sign.

Two readers look at every client sentence, and a flag is raised when either does:

* the patterns of ``lexicon/red_flags.yaml`` (read that file's header for the pattern syntax),
  matched on the sentence's words and on their lemmas, so word forms do not matter.  A match right
  after a negation does not count ("никто нас не торопил с подписанием", "you have never missed a
  deadline");
* a classifier trained on labelled example sentences of each flag
  (:class:`~outstaff_analysis.csi.redflag_model.RedFlagClassifier`, shipped fitted), which catches
  paraphrases no pattern foresaw ("лица в команде постоянно меняются").

Every flag keeps its quote: the sentence, an exact substring of the utterance, and which reader
raised it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from importlib import resources

import pandas as pd

from ..yamltext import safe_load
from .language import LANGUAGES, detect_language
from .redflag_model import bundled_red_flag_model
from .scoring import is_neutral_talk
from .text import PUNCTUATION, lemmatize, split_sentences, tokenize

RED_FLAG_COLUMNS = ("interview_id", "utterance_no", "speaker", "start", "flag", "quote", "language", "source")
"""Columns of :func:`detect_red_flags`' result."""

SOURCES = ("pattern", "model", "both")
"""Values of the ``source`` column: which reader raised the flag."""

_NEGATION_WINDOW = 2


@dataclasses.dataclass(frozen=True)
class _Rules:
    patterns: dict  # flag -> tuple of compiled patterns
    screen: re.Pattern  # any pattern of any flag: most sentences fail it at once
    negators: frozenset
    negators_after: frozenset
    not_negation: frozenset


def red_flag_codes() -> tuple[str, ...]:
    """Codes of the red flags, in the order of ``lexicon/red_flags.yaml``."""
    return tuple(_spec()["flags"])


def detect_red_flags(utterances: pd.DataFrame, *, model="bundled") -> pd.DataFrame:
    """Find red flags in client speech.

    Parameters
    ----------
    utterances : pandas.DataFrame
        Utterance frame (``interview_id``, ``utterance_no``, ``speaker``, ``start``, ``text``).
        When it has ``is_client``, only client speech is searched; when it has ``language``, that
        language's patterns are used, otherwise the language of each utterance is detected.
    model : "bundled", RedFlagClassifier or None
        The classifier read alongside the patterns: ``"bundled"`` (default) the packaged one, a
        fitted :class:`~outstaff_analysis.csi.redflag_model.RedFlagClassifier` of one's own, or
        ``None`` for the patterns alone.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RED_FLAG_COLUMNS`, one row per flag and sentence, in order of speech:
        ``flag`` is a code of :func:`red_flag_codes`, ``quote`` the sentence (a substring of the
        utterance's text), ``language`` the patterns' language, ``source`` one of :data:`SOURCES`.

    Examples
    --------
    >>> frame = pd.DataFrame({"interview_id": ["I1"], "utterance_no": [2], "speaker": ["Олег"],
    ...                       "start": [5.0], "text": ["Всё хорошо. Но отвечают раз в сутки."]})
    >>> detect_red_flags(frame)[["flag", "quote", "source"]].values.tolist()
    [['slow_answers', 'Но отвечают раз в сутки.', 'both']]
    """
    rows = utterances
    if "is_client" in rows:
        rows = rows[rows["is_client"].astype(bool)]
    keys, sentences, languages = [], [], []
    for row in rows.itertuples(index=False):
        language = getattr(row, "language", None)
        if not isinstance(language, str) or language not in LANGUAGES:
            language = detect_language(row.text)
        for start, end in split_sentences(row.text):
            keys.append((row.interview_id, row.utterance_no, row.speaker, row.start))
            sentences.append(row.text[start:end])
            languages.append(language)
    records = [
        (*key, flag, sentence, language, source)
        for key, sentence, language, found in zip(keys, sentences, languages,
                                                  _read(sentences, languages, model))
        for flag, source in found
    ]
    frame = pd.DataFrame.from_records(records, columns=list(RED_FLAG_COLUMNS))
    return frame.astype({"utterance_no": "int64", "start": "float64"})


def find_red_flags(text: str, *, language: str, model="bundled") -> list[tuple[str, str]]:
    """Red flags in one text, as ``(flag, sentence)`` in order of the sentences.

    Parameters
    ----------
    text : str
        An utterance.
    language : {"ru", "en"}
        Patterns to use.
    model : "bundled", RedFlagClassifier or None
        See :func:`detect_red_flags`.

    Examples
    --------
    >>> find_red_flags("The team is great. But you missed the deadline again!", language="en")
    [('missed_deadlines', 'But you missed the deadline again!')]
    """
    _rules(language)  # an unknown language fails here, even for a text with no sentence
    sentences = [text[start:end] for start, end in split_sentences(text)]
    found = _read(sentences, [language] * len(sentences), model)
    return [(flag, sentence) for sentence, flags in zip(sentences, found) for flag, _ in flags]


def _read(sentences: list[str], languages: list[str], model) -> list[list[tuple[str, str]]]:
    """Per sentence, the ``(flag, source)`` raised by the patterns and the classifier, in code order."""
    classifier = _resolve(model)
    by_model = classifier.predict(sentences) if classifier is not None and sentences else [()] * len(sentences)
    order = {code: k for k, code in enumerate(red_flag_codes())}
    out = []
    for sentence, language, learned in zip(sentences, languages, by_model):
        if learned and is_neutral_talk(sentence):  # "Да уж, весь день дождь." is no slow answer
            learned = ()
        matched = set(_pattern_flags(sentence, _rules(language)))
        flags = sorted(matched | set(learned), key=order.__getitem__)
        out.append([(flag, "both" if flag in matched and flag in learned else "pattern" if flag in matched
                     else "model") for flag in flags])
    return out


def _resolve(model):
    if isinstance(model, str):
        if model != "bundled":
            raise ValueError(f"The value for `model` must be 'bundled', None or a fitted RedFlagClassifier, "
                             f"but {model!r} was passed")
        return bundled_red_flag_model()
    return model


def _pattern_flags(sentence: str, rules: _Rules) -> list[str]:
    tokens = tokenize(sentence)
    lemmas = lemmatize(tokens)
    forms = (" ".join(tokens), " ".join(lemmas))
    if not any(rules.screen.search(form) for form in forms):
        return []
    return [flag for flag, patterns in rules.patterns.items()
            if any(_fires(pattern, form, tokens, lemmas, rules) for pattern in patterns for form in forms)]


def _fires(pattern: re.Pattern, words: str, tokens: list[str], lemmas: list[str], rules: _Rules) -> bool:
    """Does ``pattern`` match ``words`` somewhere that is not negated?"""
    for match in pattern.finditer(words):
        first = words.count(" ", 0, match.start())
        last = first + match.group().count(" ")
        if any(_is_negator(i, tokens, lemmas, rules) for i in range(first, last + 1)):
            return True  # the pattern says the negation itself
        if not _negated_before(first, tokens, lemmas, rules) and not _negated_after(
            last, tokens, lemmas, rules
        ):
            return True
    return False


def _is_negator(position: int, tokens: list[str], lemmas: list[str], rules: _Rules) -> bool:
    return (tokens[position] in rules.negators or lemmas[position] in rules.negators) and (
        position + 1 >= len(tokens) or tokens[position + 1] not in rules.not_negation
    )


def _negated_before(first: int, tokens: list[str], lemmas: list[str], rules: _Rules) -> bool:
    """Is there a negator among the words just before ``first`` (not across punctuation)?"""
    for position in range(first - 1, max(first - 1 - _NEGATION_WINDOW, -1), -1):
        if tokens[position] in PUNCTUATION:
            return False
        if _is_negator(position, tokens, lemmas, rules):
            return True
    return False


def _negated_after(last: int, tokens: list[str], lemmas: list[str], rules: _Rules) -> bool:
    """Is there a backward negator ("ротации почти нет") among the words just after ``last``?"""
    for position in range(last + 1, min(last + 1 + _NEGATION_WINDOW, len(tokens))):
        if tokens[position] in PUNCTUATION:
            return False
        if tokens[position] in rules.negators_after:
            return True
    return False


@functools.cache
def _spec() -> dict:
    path = resources.files("outstaff_analysis") / "csi" / "lexicon" / "red_flags.yaml"
    return safe_load(path.read_text(encoding="utf-8"))


@functools.cache
def _rules(language: str) -> _Rules:
    if language not in LANGUAGES:
        raise ValueError(
            f"The value for `language` must be one of {list(LANGUAGES)}, but {language!r} was passed"
        )
    spec = _spec()
    negators = [str(word) for word in spec["negators"][language]]
    concord = {str(word) for word in spec["concord"][language]}
    negator = _alternation(negators)
    stop = _alternation([word for word in negators if word not in concord])
    gap = rf"(?: (?!{stop}(?: |$))\S+){{0,{int(spec['gap_words'])}}}"
    sources = {
        flag: [
            source.replace(" {gap}", gap).replace("{neg}", negator)
            for source in by_language.get(language, ())
        ]
        for flag, by_language in spec["flags"].items()
    }
    return _Rules(
        {
            flag: tuple(re.compile(rf"(?<!\S){regex}") for regex in regexes)
            for flag, regexes in sources.items()
        },
        screen=re.compile(
            rf"(?<!\S)(?:{'|'.join(regex for regexes in sources.values() for regex in regexes)})"
        ),
        negators=frozenset(negators) | frozenset(concord),
        negators_after=frozenset(spec["negators_after"][language]),
        not_negation=frozenset(spec["not_negation"][language]),
    )


def _alternation(words) -> str:
    return "(?:" + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)) + ")"


__all__ = ["RED_FLAG_COLUMNS", "SOURCES", "detect_red_flags", "find_red_flags", "red_flag_codes"]
