"""The CSI lexicon: factor vocabularies, sentiment weights and modifiers, read from data files.

The lexicon is data an analyst can read and extend (``csi/lexicon/`` in the package):

``factors.yaml``
    per factor and language, ``topic`` words (the sentence is about the factor) and ``weak``
    words (generic words such as "ребята" that count only when nothing more specific is said);
``sentiment.csv``
    ``term, lang, weight, implies, when``: polarity weights (about -2..2); ``implies`` names a
    factor the word is itself about ("дорого" -> price); rows with ``when`` give the weight the
    word has when it speaks of that factor ("высокая цена" is bad, "высокое качество" good);
``modifiers.yaml``
    negators, resolvers ("исправить", "fix"), unwanted things whose absence is praise ("замена"),
    wishes ("хотелось бы") and reproaches read as wishes ("должны были"), intensifiers, hedges, contrast and concessive markers, reported-speech
    and rhetorical-question markers and the weights of the scoring rules.

Entries are written as ordinary words and lemmatised on load, so any word form matches.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from ..config import FACTORS
from ..exceptions import SchemaError
from ..yamltext import safe_load
from .text import adjective_forms, lemmatize, tokenize

LANGS = ("ru", "en")
STRENGTH = {"weak": 0, "implied": 1, "topic": 2}
"""Rank of a factor mention: a more specific mention in the same part of a sentence wins."""

_WORD_LISTS = ("negators", "negators_backward", "clause_negators", "resolvers", "unwanted", "wishes", "complements",
               "hedges", "contrast", "concessive", "clause_breaks", "coordinators", "reported", "rhetorical", "phatic",
               "discourse_openers", "reproaches", "past_frame", "credits", "comparison_standards")
_NUMBERS = ("negation_window", "negated_weight", "absence_weight", "absence_window", "implied_window", "hedge_weight",
            "before_contrast_weight", "conceded_weight", "past_weight", "reported_weight", "question_weight", "wish_weight",
            "neutral_band")


@dataclasses.dataclass
class Roles:
    """Everything the lexicon says about one word or expression (a key of :attr:`Lexicon.table`)."""

    factors: dict = dataclasses.field(default_factory=dict)
    """factor -> strength (see :data:`STRENGTH`)."""
    weight: float | None = None
    """Polarity weight when the word does not speak of a factor with its own ``when`` weight."""
    context: dict = dataclasses.field(default_factory=dict)
    """factor -> polarity weight when the word speaks of that factor."""
    negator: bool = False
    clause_negator: bool = False
    """Denies every sentiment word of the clause after it, not just the next one (litotes)."""
    backward: bool = False
    resolver: bool = False
    unwanted: bool = False
    """Something whose absence is good news ("замен не было", "no questions about the rates")."""
    wish: bool = False
    """Opens a wish, which asks for what is missing ("хотелось бы", "I'd like")."""
    complement: bool = False
    """A preposition: the word after it is a complement, not what a negation denies ("вопросов по ставкам нет")."""
    intensity: float | None = None
    hedge: bool = False
    contrast: bool = False
    concessive: bool = False
    clause_break: bool = False
    coordinator: bool = False
    reported: bool = False
    rhetorical: bool = False
    phatic: bool = False
    past: bool = False
    """Frames its part of the sentence as the past ("раньше", "used to"): praise there is gone."""
    credit: bool = False
    """Credits what follows it with a hypothetical outcome ("если бы не менеджер, мы бы ушли", "if it weren't
    for ..."): the outcome's opposite is said of it."""
    standard: bool = False
    """The standard of a comparison ("как обещали", "than promised"): its own sentiment counts only when
    nothing else in its clause is read ("сделали, как обещали" praises; "не такая хорошая, как обещали" does not)."""
    opener: bool = False
    """Takes the floor at the start of a sentence ("Хорошо, давайте ...", "Well, ..."): no praise there."""
    """Neutral talk ("добрый день", "have a nice day", "угу"): a sentence of nothing else is no evidence."""
    is_sentiment: bool = False
    """Whether the word carries polarity (by default or for some factor); set when the lexicon is built."""
    is_active: bool = False
    """Whether the word can make a sentence evidence (sentiment, negator, resolver or wish); set when built."""
    self_negated: bool = False
    """An expression that opens with its own negator ("не работать", "not work", "не видеть такой"): a
    negator before it agrees with it (negative concord: "ничего не работает", "никогда не отвечают",
    "никогда не видели такой хорошей команды"), it does not undo it; set when built."""


@dataclasses.dataclass(frozen=True)
class Lexicon:
    """A loaded, validated lexicon (see :func:`load_lexicon`).

    Attributes
    ----------
    table : dict
        ``tuple of lemmas (or of spoken words) -> Roles``.
    max_len : int
        Longest expression, in words.
    rules : dict
        The numeric rule weights of ``modifiers.yaml`` (``negation_window``, ``hedge_weight``...).
    source : str
        Where the files were read from.
    """

    table: Mapping
    max_len: int
    rules: Mapping
    source: str
    prefixes: Mapping = dataclasses.field(default_factory=dict, compare=False)
    """First word -> length of the longest entry starting with it (lets matching skip other words)."""
    pairs: frozenset = dataclasses.field(default_factory=frozenset, compare=False)
    """First two words of every expression (lets matching reject most candidates at once)."""
    single: Mapping = dataclasses.field(default_factory=dict, compare=False)
    """Word -> Roles of the one-word entries (the common case, looked up without building tuples)."""
    token_cache: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)
    """Spoken word -> (lemma, longest entry it may start, Roles of the word alone, is punctuation),
    filled as words are met: a corpus repeats a few thousand words millions of times."""

    def __repr__(self) -> str:
        return f"Lexicon({len(self.table)} entries from {self.source})"


def _read(directory: Path | None, name: str) -> tuple[str, str]:
    if directory is not None and (directory / name).is_file():
        path = directory / name
        return str(path), path.read_text(encoding="utf-8-sig")
    packaged = resources.files("outstaff_analysis.csi") / "lexicon" / name
    return f"<package>/csi/lexicon/{name}", packaged.read_text(encoding="utf-8")


def _yaml(source: str, text: str) -> dict:
    try:
        data = safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise SchemaError(source, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SchemaError(source, "must be a mapping at the top level")
    return data


def _terms(source: str, where: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SchemaError(source, f"`{where}` must be a list of words or expressions (quote words YAML reads "
                          "as other types, such as \"no\", \"yes\", \"on\")", value=value)
    return value


class _Builder:
    def __init__(self):
        self.table: dict[tuple, Roles] = {}
        self.forms: dict[str, tuple] = {}
        """Other forms of adjective entries -> the entry's key (see :func:`.text.adjective_forms`)."""

    def add_forms(self) -> None:
        """Let each adjective entry's other forms match as the entry does, unless they are entries themselves."""
        for form, key in self.forms.items():
            self.table.setdefault((form,), self.table[key])

    def roles(self, term: str, *, spoken: bool = False) -> list[tuple[Roles, bool]]:
        """The entries a term writes to, each with whether the term owns it.

        Keys are word tuples without the language: Russian and English words differ by script, so
        one table serves mixed speech ("code review затянулся").  A term owns its spoken form.  A
        single word written in another form than its lemma ("неделями", "лучше") matches only as
        written; an expression ("стоить своих денег") also matches by its lemmas, filling only
        values that are still empty.
        """
        tokens = tuple(tokenize(term))
        if not tokens:
            return []
        keys = {tokens: True}
        lemmas = tuple(lemmatize(list(tokens)))
        if not spoken and lemmas != tokens and len(tokens) > 1:
            keys[lemmas] = False
        return [(self.table.setdefault(key, Roles()), owner) for key, owner in keys.items()]


def _add_factors(builder: _Builder, source: str, data: dict) -> None:
    unknown = set(data) - set(FACTORS)
    if unknown:
        raise SchemaError(source, f"factors must be among {list(FACTORS)}, but {sorted(unknown)} were found")
    for factor, by_lang in data.items():
        if not isinstance(by_lang, dict) or set(by_lang) - set(LANGS):
            raise SchemaError(source, f"`{factor}` must map languages {list(LANGS)} to word lists")
        for lang, levels in by_lang.items():
            if not isinstance(levels, dict) or set(levels) - {"topic", "weak"}:
                raise SchemaError(source, f"`{factor}.{lang}` must have keys `topic` and/or `weak`")
            for level, words in levels.items():
                for term in _terms(source, f"{factor}.{lang}.{level}", words):
                    for roles, _ in builder.roles(term):
                        roles.factors[factor] = max(roles.factors.get(factor, -1), STRENGTH[level])


def _add_sentiment(builder: _Builder, source: str, text: str) -> None:
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SchemaError(source, f"not a valid CSV: {exc}") from exc
    expected = ["term", "lang", "weight", "implies", "when"]
    if list(frame.columns) != expected:
        raise SchemaError(source, f"columns must be {expected}, but {list(frame.columns)} were found")
    seen = set()
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        if row.lang not in LANGS:
            raise SchemaError(source, f"`lang` must be one of {list(LANGS)}", row=i, column="lang", value=row.lang)
        for column in ("implies", "when"):
            if getattr(row, column) and getattr(row, column) not in FACTORS:
                raise SchemaError(source, f"`{column}` must be empty or one of {list(FACTORS)}", row=i,
                                  column=column, value=getattr(row, column))
        try:
            weight = float(row.weight)
        except ValueError as exc:
            raise SchemaError(source, "`weight` must be a number", row=i, column="weight",
                              value=row.weight) from exc
        key = (row.term.strip().lower(), row.lang, row.when)
        if key in seen:
            raise SchemaError(source, "duplicate term for this language and `when`", row=i, column="term",
                              value=row.term)
        seen.add(key)
        if row.lang == "ru" and " " not in row.term.strip():  # "продуманные", "честные": see adjective_forms
            word = row.term.strip().lower()
            for form in adjective_forms(word):
                builder.forms.setdefault(form, (word,))
        for roles, owner in builder.roles(row.term):
            if row.when and (owner or row.when not in roles.context):
                roles.context[row.when] = weight
            elif not row.when and (owner or roles.weight is None):
                roles.weight = weight
            if row.implies:
                roles.factors[row.implies] = max(roles.factors.get(row.implies, -1), STRENGTH["implied"])


def _add_modifiers(builder: _Builder, source: str, data: dict) -> dict:
    missing = [key for key in (*_WORD_LISTS, *_NUMBERS, "intensifiers") if key not in data]
    if missing:
        raise SchemaError(source, f"missing keys {missing}")
    for key in _WORD_LISTS:
        for lang, words in data[key].items():
            if lang not in LANGS:
                raise SchemaError(source, f"`{key}` must map languages {list(LANGS)} to word lists", value=lang)
            attribute = {"negators": "negator", "clause_negators": "clause_negator",
                         "negators_backward": "backward", "hedges": "hedge",
                         "resolvers": "resolver", "wishes": "wish", "reproaches": "wish", "complements": "complement",
                         "clause_breaks": "clause_break", "coordinators": "coordinator",
                         "discourse_openers": "opener", "past_frame": "past", "credits": "credit",
                         "comparison_standards": "standard"}.get(key, key)
            for term in _terms(source, f"{key}.{lang}", words):
                for roles, _ in builder.roles(term, spoken=key in ("reported", "reproaches", "past_frame", "comparison_standards")):
                    setattr(roles, attribute, True)
    for lang, mapping in data["intensifiers"].items():
        if lang not in LANGS or not isinstance(mapping, dict):
            raise SchemaError(source, "`intensifiers` must map a language to {word: multiplier}", value=lang)
        for term, factor in mapping.items():
            if not isinstance(factor, (int, float)) or factor <= 0:
                raise SchemaError(source, f"intensifier `{term}` must have a positive multiplier", value=factor)
            for roles, owner in builder.roles(str(term)):
                if owner or roles.intensity is None:
                    roles.intensity = float(factor)
    rules = {}
    for key in _NUMBERS:
        if not isinstance(data[key], (int, float)):
            raise SchemaError(source, f"`{key}` must be a number", value=data[key])
        rules[key] = data[key]
    return rules


def load_lexicon(directory: str | os.PathLike | None = None) -> Lexicon:
    """Load and validate the CSI lexicon.

    Parameters
    ----------
    directory : path, optional
        A directory holding any of ``factors.yaml``, ``sentiment.csv`` and ``modifiers.yaml``
        (same formats as the packaged files in ``outstaff_analysis/csi/lexicon/``).  A file that
        is not there is taken from the package, so an analyst can override one file only.
        ``None``: the packaged lexicon.

    Returns
    -------
    Lexicon

    Raises
    ------
    SchemaError
        If a file is malformed; the message names the file, the row or key and the value.
    """
    if directory is None:
        return _default_lexicon()
    path = Path(directory)
    if not path.is_dir():
        raise SchemaError(path, "the lexicon directory does not exist")
    return _build(path)


@functools.cache
def _default_lexicon() -> Lexicon:
    return _build(None)


def _build(directory: Path | None) -> Lexicon:
    builder = _Builder()
    source, text = _read(directory, "factors.yaml")
    _add_factors(builder, source, _yaml(source, text))
    source, text = _read(directory, "sentiment.csv")
    _add_sentiment(builder, source, text)
    source, text = _read(directory, "modifiers.yaml")
    rules = _add_modifiers(builder, source, _yaml(source, text))
    builder.add_forms()
    max_len = max(len(words) for words in builder.table)
    prefixes: dict[str, int] = {}
    for words, roles in builder.table.items():
        prefixes[words[0]] = max(prefixes.get(words[0], 0), len(words))
        roles.is_sentiment = roles.weight is not None or bool(roles.context)
        roles.negator = roles.negator or roles.clause_negator
        roles.is_active = roles.is_sentiment or roles.negator or roles.resolver or roles.wish or roles.credit
    single = {words[0]: roles for words, roles in builder.table.items() if len(words) == 1}
    for words, roles in builder.table.items():
        opener = single.get(words[0])
        roles.self_negated = len(words) > 1 and (roles.is_sentiment or roles.intensity is not None) \
            and opener is not None and opener.negator
    pairs = frozenset(words[:2] for words in builder.table if len(words) > 1)
    return Lexicon(table=builder.table, max_len=max_len, rules=rules,
                   source=str(directory) if directory is not None else "<package>", prefixes=prefixes,
                   pairs=pairs, single=single)


__all__ = ["STRENGTH", "Lexicon", "Roles", "load_lexicon"]
