"""Spoken ratings in client speech: "на восемь из десяти", "8/10", "твёрдая четвёрка", "I'd give you a 9".

A number is a rating when something around it says so (the rules and their vocabulary are in
``lexicon/ratings.yaml``): an explicit scale after it ("из десяти", "out of 10", "/10"), a rating
verb or noun before it ("оценю на", "I'd give you a", "my rating:"), an adjective ("твёрдая",
"a solid", "a perfect"), or a scale named earlier in the sentence ("по шкале от 1 до 10 — восемь").
A number followed by a counted noun ("8 из 10 разработчиков", "2 out of 10 sprints"), a share
("в 8 из 10 случаев"), a date or a time ("10/12", "до 8/10") is not a rating.

Russian number words match in every case form ("восьми", "восьмёрку"), through pymorphy3.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from importlib import resources

import pandas as pd

from ..yamltext import safe_load
from .language import detect_language
from .text import lemma, morph_analyzer

RATING_COLUMNS = ("interview_id", "utterance_no", "speaker", "start", "quote", "value", "scale", "score_10")
"""Columns of :func:`extract_ratings`' result."""

_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+(?:[-'’][^\W\d_]+)*|\S")
_SENTENCE_END = frozenset(".!?…;")
_WORD = re.compile(r"\w+")
_MAX_SCALE_DISTANCE = 8
_MAX_GAP = 5


@dataclasses.dataclass(frozen=True)
class _Token:
    norm: str
    raw: str
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class _Vocab:
    numbers: dict
    grades: dict
    half: tuple
    out_of: tuple
    units: dict
    verbs: frozenset
    nouns: frozenset
    adjectives: frozenset
    prepositions: frozenset
    mark_prepositions: frozenset
    from_me: tuple
    marker: frozenset
    between: frozenset
    frequency: frozenset
    date_words: frozenset
    followers: frozenset
    scale_phrases: tuple
    question_scales: tuple
    scales: tuple
    default_scale: float
    number_words: frozenset
    language: str


def extract_ratings(utterances: pd.DataFrame) -> pd.DataFrame:
    """Find the ratings spoken in utterances.

    Parameters
    ----------
    utterances : pandas.DataFrame
        Utterance frame (``interview_id``, ``utterance_no``, ``speaker``, ``start``, ``text``).
        When it has ``is_client``, only client speech is searched; when it has ``language``, that
        language's vocabulary is used, otherwise the language of each utterance is detected.  An
        utterance that names a scale ("по шкале от нуля до десяти — насколько вы довольны?") sets
        the scale of the answer after it (see :func:`find_ratings`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RATING_COLUMNS`, one row per rating in order of speech: ``quote`` is the
        exact substring of the utterance that holds the rating, ``value`` the number said,
        ``scale`` its scale (explicit, implied by the form, or ``default_scale``), and
        ``score_10`` the rating on a 0-10 scale.

    Examples
    --------
    >>> frame = pd.DataFrame({"interview_id": ["I1"], "utterance_no": [3], "speaker": ["Олег"],
    ...                       "start": [12.0], "text": ["Я бы поставил восемь из десяти."]})
    >>> extract_ratings(frame)[["quote", "value", "scale", "score_10"]].values.tolist()
    [['поставил восемь из десяти', 8.0, 10.0, 8.0]]
    """
    rows = utterances.sort_values(["interview_id", "utterance_no"], kind="stable")
    if "language" in rows:
        languages = rows["language"].where(
            rows["language"].isin(("ru", "en")), rows["text"].map(detect_language)
        )
    else:
        languages = rows["text"].map(detect_language)
    named = pd.Series(
        [named_scale(t, language=lang) for t, lang in zip(rows["text"], languages)], index=rows.index
    )
    asked = named.groupby(rows["interview_id"], sort=False).shift(1)
    keep = rows["is_client"].astype(bool) if "is_client" in rows else pd.Series(True, index=rows.index)
    records = []
    for row, language, context in zip(rows[keep].itertuples(index=False), languages[keep], asked[keep]):
        context = None if pd.isna(context) else float(context)
        for quote, value, scale in find_ratings(row.text, language=language, context_scale=context):
            records.append((row.interview_id, row.utterance_no, row.speaker, row.start, quote, value, scale))
    frame = pd.DataFrame.from_records(records, columns=list(RATING_COLUMNS[:-1]))
    frame = frame.astype(
        {"utterance_no": "int64", "value": "float64", "scale": "float64", "start": "float64"}
    )
    frame["score_10"] = frame["value"] / frame["scale"] * 10
    return frame


def find_ratings(
    text: str, *, language: str, context_scale: float | None = None
) -> list[tuple[str, float, float]]:
    """Ratings in one text, as ``(quote, value, scale)`` in order of appearance.

    Parameters
    ----------
    text : str
        An utterance.
    language : {"ru", "en"}
        Vocabulary to use.
    context_scale : float, optional
        Scale named by the question this text answers (:func:`named_scale`).  It is the scale of
        ratings said without one, marks included ("Твёрдая пятёрка" = 5 of 10), and a bare number
        in the first sentence counts as a rating ("Ну, семь, наверное.").

    Examples
    --------
    >>> find_ratings("Overall I'd give you guys a solid 8, maybe 8.5 out of 10.", language="en")
    [('give you guys a solid 8', 8.0, 10.0), ('8.5 out of 10', 8.5, 10.0)]
    """
    vocab = _vocab(language)
    lowered = text.lower().replace("ё", "е")
    if not any(c.isdigit() for c in lowered) and vocab.number_words.isdisjoint(_WORD.findall(lowered)):
        return []  # no digit and no number word: most utterances
    tokens = [
        _Token(m.group().lower().replace("ё", "е"), m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    ]
    scale_spans = _scale_phrases(text, tokens, vocab)
    found = []
    index = 0
    while index < len(tokens):
        rating = _rating_at(tokens, index, vocab, scale_spans, context_scale)
        if rating is None:
            index += 1
            continue
        first, last, value, scale = rating
        found.append((text[tokens[first].start : tokens[last].end], value, scale))
        index = last + 1
    return found


def named_scale(text: str, *, language: str) -> float | None:
    """Scale a text names ("по шкале от нуля до десяти", "from 0 to 10", "по пятибалльной"), if any.

    Examples
    --------
    >>> named_scale("Last question: on a scale from zero to ten, how satisfied are you?", language="en")
    10.0
    """
    vocab = _vocab(language)
    lowered = text.lower().replace("ё", "е")
    for pattern in vocab.question_scales:
        for match in pattern.finditer(lowered):
            scale = _scale_value(match.group("scale"), vocab)
            if scale in vocab.scales:
                return scale
    return None


def _number(tokens: list[_Token], index: int, vocab: _Vocab) -> tuple[float, float | None, bool] | None:
    """``(value, scale implied by the word, is a letter grade)`` of the token at ``index``, if a number."""
    token = tokens[index]
    if token.norm[0].isdigit():
        return float(token.norm.replace(",", ".")), None, False
    if token.norm in vocab.numbers:
        return float(vocab.numbers[token.norm]), None, False
    if token.norm in vocab.grades and (len(token.norm) > 1 or token.raw.isupper()):
        value, scale = vocab.grades[token.norm]
        return float(value), float(scale), len(token.norm) == 1
    return None


def _match_words(tokens: list[_Token], index: int, phrases) -> int:
    """Number of tokens from ``index`` that spell one of ``phrases`` (0 if none)."""
    for phrase in phrases:
        words = phrase.split()
        if [t.norm for t in tokens[index : index + len(words)]] == words:
            return len(words)
    return 0


def _rating_at(tokens, index, vocab, scale_spans, context_scale):
    """``(first token, last token, value, scale)`` of a rating whose number is at ``index``, or None."""
    number = _number(tokens, index, vocab)
    if number is None:
        return None
    value, scale, letter = number
    mark = scale is not None and not letter  # "четвёрка", "десятка"
    last = index
    half = _match_words(tokens, last + 1, vocab.half)
    if half and not letter:
        value, last = value + 0.5, last + half
    unit_scale = _unit(tokens, last + 1, vocab)
    if unit_scale is not None:
        last += 1
        scale = scale or unit_scale or None
    explicit = _out_of(tokens, last + 1, vocab)
    if explicit is not None:
        scale, last = explicit
    first, cue = _cue(tokens, index, vocab)
    if cue == "marker" and not mark:  # "это десятка" is a rating, "это одна из причин" is not
        first, cue = index, None
    signed = _match_words(tokens, last + 1, vocab.from_me)
    if signed:  # "восьмёрка от меня", "an 8 from me"
        last, cue = last + signed, cue or "from me"
    if cue is None and unit_scale is not None:  # "девять баллов", "5 stars"
        cue = "unit"
    if cue is None and mark and value >= 2 and index and tokens[index - 1].norm in vocab.mark_prepositions:
        first, cue = index - 1, "preposition"  # "на шестёрку"
    phrase = _scale_before(tokens, index, scale_spans)
    if phrase is not None and explicit is None:
        scale = phrase[1]
        if cue is None:
            first, cue = phrase[0], "scale"
    elif context_scale is not None and explicit is None and not letter and unit_scale in (None, 0.0):
        scale = context_scale
        if cue is None and not any(t.norm in _SENTENCE_END for t in tokens[:index]):
            cue = "question"
    if not _plausible(tokens, index, last, vocab, cue, explicit is not None, letter):
        return None
    scale = float(scale or vocab.default_scale)
    if not 0 <= value <= scale:
        return None
    return first, last, value, scale


def _unit(tokens, index, vocab) -> float | None:
    """Scale implied by a unit word at ``index`` ("баллов", "stars"): 0.0 for units with no scale of their own."""
    if index >= len(tokens):
        return None
    for word in (tokens[index].norm, lemma(tokens[index].norm)):
        if word in vocab.units:
            return float(vocab.units[word] or 0.0)
    return None


def _out_of(tokens, index, vocab) -> tuple[float, int] | None:
    """``(scale, last token)`` of "из 10" / "out of ten" / "/10" at ``index``."""
    if index < len(tokens) and tokens[index].norm == "/":
        width = 1
    else:
        width = _match_words(tokens, index, vocab.out_of)
    if not width or index + width >= len(tokens):
        return None
    scale = _number(tokens, index + width, vocab)
    if scale is None or scale[1] is not None or scale[0] not in vocab.scales:
        return None
    last = index + width
    if _unit(tokens, last + 1, vocab) is not None:  # "5 из 5 баллов"
        last += 1
    return scale[0], last


def _cue(tokens, index, vocab) -> tuple[int, str | None]:
    """Walk left from the number: prepositions and adjectives, then a gap, then a rating verb or noun."""
    first, cue = index, None
    position = index - 1
    while position >= 0 and (
        tokens[position].norm in vocab.prepositions or _is(tokens[position], vocab.adjectives)
    ):
        if _is(tokens[position], vocab.adjectives):
            first, cue = position, "adjective"
        elif tokens[position].norm in vocab.prepositions:
            first = position if cue else first
        position -= 1
    if position >= 0 and tokens[position].norm in vocab.marker:
        first, cue = position, cue or "marker"
    for step in range(_MAX_GAP + 1):
        at = position - step
        if at < 0 or tokens[at].norm in _SENTENCE_END:
            break
        if _is(tokens[at], vocab.verbs) or _is(tokens[at], vocab.nouns):
            return at, "verb"
        if not _is(tokens[at], vocab.between):
            break
    return first, cue


def _is(token: _Token, words: frozenset) -> bool:
    """Is the token one of ``words`` (as spoken, or by its lemma)?"""
    return token.norm in words or lemma(token.norm) in words


def _scale_phrases(text, tokens, vocab) -> list[tuple[int, int, float]]:
    """``(first token, last token, scale)`` of the scale phrases in a text ("по шкале от 1 до 10")."""
    spans = []
    lowered = text.lower().replace("ё", "е")
    for pattern in vocab.scale_phrases:
        for match in pattern.finditer(lowered):
            scale = _scale_value(match.group("scale"), vocab)
            if scale in vocab.scales:
                first = next(i for i, t in enumerate(tokens) if t.end > match.start())
                last = max(i for i, t in enumerate(tokens) if t.start < match.end())
                spans.append((first, last, scale))
    return spans


def _scale_value(word: str, vocab) -> float | None:
    """Value of a number naming a scale ("10", "десяти", "ten"; "десяти" of "десятибалльной")."""
    if word.isdigit():
        return float(word)
    return float(vocab.numbers[word]) if word in vocab.numbers else None


def _scale_before(tokens, index, spans) -> tuple[int, float] | None:
    """The scale phrase ending shortly before ``index`` in the same sentence, if any."""
    for first, last, scale in reversed(spans):
        if first <= index <= last:
            return None
        if last < index <= last + _MAX_SCALE_DISTANCE and not any(
            t.norm in _SENTENCE_END for t in tokens[last + 1 : index]
        ):
            return first, scale
    return None


def _plausible(tokens, index, last, vocab, cue, explicit, letter) -> bool:
    """Reject counted things, shares, dates and times; require a cue where the form needs one."""
    if letter and cue not in ("verb", "adjective"):
        return False
    if not explicit and cue is None:
        return False
    before = tokens[index - 1].norm if index else ""
    if explicit and cue is None and before in vocab.frequency:
        return False
    slash = index + 1 <= last and tokens[index + 1].norm == "/"
    if slash and ((before in vocab.date_words and cue != "verb") or before in ("/", ".", ":", "-")):
        return False
    after = tokens[last + 1] if last + 1 < len(tokens) else None
    if (
        after is not None
        and after.norm in ("-", "–")
        and last + 2 < len(tokens)
        and _number(tokens, last + 2, vocab)
    ):
        return False  # a range: "2-3 дня"
    if (
        after is not None
        and after.norm in ("/", ".", ":", "%", "$", "€", "₽")
        and (after.norm not in (".", ":") or _next_is_digit(tokens, last + 2))
    ):
        return False
    return not _counted_noun_follows(tokens, last + 1, vocab)


def _next_is_digit(tokens, index) -> bool:
    return (
        index < len(tokens)
        and tokens[index].norm[0].isdigit()
        and tokens[index].start == tokens[index - 1].end
    )


def _counted_noun_follows(tokens, index, vocab) -> bool:
    """Is the rating followed by a noun it counts ("8 из 10 разработчиков", "2 out of 10 sprints")?"""
    if index >= len(tokens) or not tokens[index].norm[0].isalpha():
        return False
    if vocab.language == "en":
        return tokens[index].norm not in vocab.followers
    for position in range(index, min(index + 3, len(tokens))):
        best = morph_analyzer().parse(tokens[position].norm)[0]
        if best.tag.POS == "NOUN":
            return {"gent"} in best.tag or {"nomn"} in best.tag
        if best.tag.POS not in (
            "ADJF",
            "PRTF",
        ):  # "восемь из десяти наших разработчиков": look past adjectives
            return False
    return False


def _forms(word: str) -> set[str]:
    """Every form of a Russian dictionary word (ё folded to е)."""
    target = word.replace("ё", "е")
    forms = {target}
    for parse in morph_analyzer().parse(word):
        if parse.normal_form.replace("ё", "е") == target:
            forms.update(form.word.replace("ё", "е") for form in parse.lexeme)
    return forms


@functools.cache
def _vocab(language: str) -> _Vocab:
    data = safe_load(
        (resources.files("outstaff_analysis") / "csi" / "lexicon" / "ratings.yaml").read_text(
            encoding="utf-8"
        )
    )
    if language not in ("ru", "en"):
        raise ValueError(f"The value for `language` must be one of ['ru', 'en'], but {language!r} was passed")
    spec = data[language]

    def expand(mapping):
        if language == "en":
            return {word: value for word, value in mapping.items()}
        return {form: value for word, value in mapping.items() for form in _forms(word)}

    def words(entries):
        """Every form (Russian) or the lemma (English) of each entry, and the entry as written."""
        out = set()
        for entry in map(str, entries):
            entry = entry.replace("ё", "е")
            out |= _forms(entry) if language == "ru" else {lemma(entry)}
            out.add(entry)
        return frozenset(out)

    numbers, grades = expand(spec["numbers"]), expand(spec["grades"])
    vocab = _Vocab(
        numbers=numbers,
        grades=grades,
        half=tuple(spec["half"]),
        out_of=tuple(spec["out_of"]),
        units={form: scale for unit, scale in spec["units"].items() for form in words([unit])},
        verbs=words(spec["verbs"]),
        nouns=words(spec["nouns"]),
        adjectives=words(spec["adjectives"]),
        prepositions=frozenset(spec["prepositions"]),
        mark_prepositions=frozenset(spec["mark_prepositions"]),
        from_me=tuple(spec["from_me"]),
        marker=frozenset(spec["marker"]),
        between=words(spec["between"]),
        frequency=frozenset(spec["frequency"]),
        date_words=frozenset(spec["date_words"]),
        followers=frozenset(spec.get("followers", ())),
        scale_phrases=tuple(re.compile(p) for p in spec["scale_phrases"]),
        question_scales=tuple(re.compile(p) for p in (*spec["scale_phrases"], *spec["question_scales"])),
        scales=tuple(float(s) for s in data["scales"]),
        default_scale=float(data["default_scale"]),
        language=language,
        number_words=frozenset(numbers) | frozenset(grades),
    )
    return vocab


__all__ = ["RATING_COLUMNS", "extract_ratings", "find_ratings", "named_scale"]
