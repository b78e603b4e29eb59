"""A classifier of red flags, trained on labelled example sentences and shipped fitted.

Patterns (:mod:`.redflags`) catch the phrasings someone thought of; clients say the same things in
words nobody wrote down ("a simple question can hang there until the next morning", "лица в
команде постоянно меняются").  :class:`RedFlagClassifier` reads a sentence as a bag of lemma
features and gives each flag a probability:

* lemma unigrams and bigrams (``"срок срывать"``), punctuation dropped;
* character 3-5-grams of each lemma, padded with spaces (``" отч"``, ``"отчет "``), so unseen
  forms and compounds of known stems still count ("отчётность", "check-ins");
* negation scope: the lemmas within three words after a negator ("не", "ни", "never", "don't"...,
  not across punctuation) also appear as ``"~lemma"``, so "never missed a deadline" differs from
  "missed a deadline".

Features are weighted by sublinear TF-IDF and L2-normalised, and joined by the lexicon's reading
of the sentence (:func:`~outstaff_analysis.csi.sentences.sentence_table` without a model: its
negative and positive polarity and whether it is a question), since a flag is a complaint about a
topic and the same topic in praise ("reports arrive every Friday") is no flag.  One multinomial,
L2-penalised logistic regression tells the flags and ``none`` (hard negatives: praise, negated
flags, small talk, other complaints) apart; a flag is raised when its probability reaches its own
threshold (``thresholds``, default ``threshold``): flags differ in how often their words also
occur in sentences that are no flag.

The packaged model is trained by ``python -m outstaff_analysis.csi.redflag_training`` (``make
red-flag-model``) on ``csi/lexicon/red_flags_training.csv``; the penalty and the thresholds are
chosen there by stratified cross-validation on those examples only, and the fitted model is written
as ``red_flags_model.npz`` (arrays, loaded with ``allow_pickle=False``) and ``red_flags_model.json``
(vocabulary and settings).  Nothing is fitted or unpickled at run time.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from .language import LANGUAGES
from .sentences import sentence_table
from .text import PUNCTUATION, lemma, tokenize

TRAINING_FILE = "red_flags_training.csv"
"""Labelled example sentences (``csi/lexicon/``): columns ``text, lang, flag`` (``none``: no flag)."""

MODEL_STEM = "red_flags_model"
"""Stem of the packaged model's files (``.npz`` and ``.json`` in ``csi/lexicon/``)."""

NO_FLAG = "none"
FORMAT_VERSION = 1
_NEGATORS = frozenset({"не", "ни", "нет", "без", "never", "not", "no", "nobody", "without", "nothing", "none",
                       "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "can't",
                       "cannot", "haven't", "hasn't", "hadn't", "couldn't", "wouldn't", "n't"})
_NEGATION_SCOPE = 3


@functools.lru_cache(maxsize=200_000)
def _char_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(f"#{padded[i:i + n]}" for n in (3, 4, 5) for i in range(len(padded) - n + 1))


def sentence_features(sentence: str) -> Counter:
    """The classifier's features of one sentence, with their counts.

    Examples
    --------
    >>> sorted(f for f in sentence_features("Сроки срывают") if not f.startswith("#"))
    ['срок', 'срок срывать', 'срывать']
    >>> "~miss" in sentence_features("You never missed a deadline.")
    True
    """
    features: Counter = Counter()
    words: list[str] = []
    scope = 0
    for token in tokenize(sentence):
        if token in PUNCTUATION:
            scope = 0
            continue
        word = lemma(token)
        features[word] += 1
        features.update(_char_grams(word))
        if scope:
            features["~" + word] += 1
            scope -= 1
        if token in _NEGATORS or word in _NEGATORS:
            scope = _NEGATION_SCOPE
        words.append(word)
    features.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return features


class RedFlagClassifier:
    """One logistic regression per red flag over lemma, character and negation features.

    Parameters
    ----------
    c : float
        Inverse L2 penalty of the logistic regressions.
    threshold : float
        Probability from which a flag is raised.
    thresholds : dict, optional
        Flag -> its own probability threshold, for the flags that do not use ``threshold``.
    min_count : int
        A feature must occur in at least this many training sentences.

    Attributes
    ----------
    flags_ : tuple of str
        Flag codes the model raises (``classes_`` without ``"none"``).
    vocabulary_ : dict
        Feature -> column.
    classes_ : tuple of str
        The flags and ``"none"``, the order of ``coef_``'s rows.
    idf_, coef_, intercept_ : numpy.ndarray
    n_train_ : int

    Examples
    --------
    >>> model = bundled_red_flag_model()
    >>> model.predict(["Your manager goes quiet for days whenever we ask something."])  # doctest: +SKIP
    [('slow_answers',)]
    """

    def __init__(self, *, c: float = 16.0, threshold: float = 0.5, thresholds: dict | None = None,
                 min_count: int = 1):
        self.c = c
        self.threshold = threshold
        self.thresholds = dict(thresholds or {})
        self.min_count = min_count

    def flag_thresholds(self) -> np.ndarray:
        """The probability threshold of each flag of ``flags_``, in that order."""
        unknown = sorted(set(self.thresholds) - set(self.flags_))
        if unknown:
            raise ValueError(f"`thresholds` names flags the model does not raise: {unknown}; "
                             f"it raises {list(self.flags_)}")
        return np.array([self.thresholds.get(flag, self.threshold) for flag in self.flags_], dtype=float)

    def _matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows, cols, values = [], [], []
        for i, text in enumerate(texts):
            for feature, count in sentence_features(text).items():
                j = self.vocabulary_.get(feature)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    values.append(1.0 + math.log(count))
        x = sparse.csr_matrix((values, (rows, cols)), shape=(len(texts), len(self.vocabulary_)))
        x = x.multiply(self.idf_[None, :]).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        x = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ x
        return sparse.hstack([x, sparse.csr_matrix(_lexicon_reading(texts))]).tocsr()

    def fit(self, texts: Sequence[str], flags: Sequence[str]) -> RedFlagClassifier:
        """Fit on labelled sentences.

        Parameters
        ----------
        texts : sequence of str
        flags : sequence of str
            The flag of each sentence, or ``"none"``.

        Returns
        -------
        RedFlagClassifier
            ``self``, fitted.
        """
        texts, flags = list(texts), np.asarray(list(flags), dtype=object)
        if len(texts) != len(flags):
            raise ValueError(f"`texts` ({len(texts)}) and `flags` ({len(flags)}) must have the same length")
        document_frequency: Counter = Counter()
        for text in texts:
            document_frequency.update(sentence_features(text).keys())
        kept = sorted(f for f, n in document_frequency.items() if n >= self.min_count)
        self.vocabulary_ = {feature: j for j, feature in enumerate(kept)}
        n = len(texts)
        df = np.array([document_frequency[f] for f in kept], dtype=float)
        self.idf_ = np.log((1.0 + n) / (1.0 + df)) + 1.0
        model = LogisticRegression(C=self.c, max_iter=5000).fit(self._matrix(texts), flags)
        self.classes_ = tuple(model.classes_)
        self.flags_ = tuple(k for k in self.classes_ if k != NO_FLAG)
        self.coef_ = model.coef_
        self.intercept_ = model.intercept_
        self.n_train_ = n
        return self

    def predict_proba(self, texts: Sequence[str]) -> pd.DataFrame:
        """Probability of each flag for each sentence: one column per code of ``flags_``."""
        if not hasattr(self, "coef_"):
            raise RuntimeError("This RedFlagClassifier is not fitted yet: call `fit(texts, flags)` first")
        texts = list(texts)
        if not texts:
            return pd.DataFrame(columns=list(self.flags_), dtype=float)
        logits = np.asarray(self._matrix(texts) @ self.coef_.T) + self.intercept_
        proba = np.exp(logits - logits.max(axis=1, keepdims=True))
        proba = pd.DataFrame(proba / proba.sum(axis=1, keepdims=True), columns=list(self.classes_))
        return proba[list(self.flags_)]

    def predict(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """The flags raised by each sentence (probability at least the flag's threshold), in ``flags_`` order."""
        raised = self.predict_proba(texts).to_numpy() >= self.flag_thresholds()
        return [tuple(f for f, up in zip(self.flags_, row) if up) for row in raised]

    def save(self, stem: Path | str, *, metadata: dict | None = None) -> None:
        """Write ``<stem>.npz`` (arrays) and ``<stem>.json`` (vocabulary, flags, settings)."""
        stem = Path(stem)
        np.savez_compressed(stem.with_suffix(".npz"), idf=self.idf_.astype(np.float32),
                            coef=self.coef_.astype(np.float32), intercept=self.intercept_.astype(np.float32))
        spec = {"format_version": FORMAT_VERSION, "classes": list(self.classes_), "c": self.c,
                "threshold": self.threshold, "thresholds": self.thresholds, "min_count": self.min_count,
                "n_train": self.n_train_,
                **(metadata or {}), "vocabulary": sorted(self.vocabulary_, key=self.vocabulary_.get)}
        stem.with_suffix(".json").write_text(json.dumps(spec, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, stem: Path | str) -> RedFlagClassifier:
        """Read a model written by :meth:`save` (no pickle: ``allow_pickle=False``)."""
        stem = Path(stem)
        spec = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        if spec.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{stem.with_suffix('.json')}: `format_version` must be {FORMAT_VERSION}, "
                             f"but {spec.get('format_version')!r} was found; retrain with "
                             f"`python -m outstaff_analysis.csi.redflag_training`")
        model = cls(c=spec["c"], threshold=spec["threshold"], thresholds=spec.get("thresholds"),
                    min_count=spec["min_count"])
        with np.load(stem.with_suffix(".npz"), allow_pickle=False) as arrays:
            model.idf_ = arrays["idf"].astype(float)
            model.coef_ = arrays["coef"].astype(float)
            model.intercept_ = arrays["intercept"].astype(float)
        model.vocabulary_ = {feature: j for j, feature in enumerate(spec["vocabulary"])}
        model.classes_ = tuple(spec["classes"])
        model.flags_ = tuple(k for k in model.classes_ if k != NO_FLAG)
        model.n_train_ = spec["n_train"]
        return model

    def __repr__(self) -> str:
        return (f"RedFlagClassifier(c={self.c}, threshold={self.threshold}, thresholds={self.thresholds}, "
                f"min_count={self.min_count})")


def _lexicon_reading(texts: list[str]) -> np.ndarray:
    """The lexicon's negative and positive polarity of each sentence and whether it is a question."""
    scored = sentence_table(texts)
    polarity = scored["polarity_score"].to_numpy(dtype=float)
    return np.column_stack([np.clip(-polarity, 0.0, None), np.clip(polarity, 0.0, None),
                            scored["is_question"].to_numpy(dtype=float)])


def lexicon_file(name: str):
    """A file of the package's `csi/lexicon/` folder (an importlib resource)."""
    return resources.files("outstaff_analysis.csi") / "lexicon" / name


def read_red_flag_examples(path: Path | str | None = None) -> pd.DataFrame:
    """Labelled red-flag sentences (default: the packaged training examples).

    Parameters
    ----------
    path : path-like, optional
        CSV with columns ``text, lang, flag``; ``flag`` is a red-flag code or ``"none"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``text, lang, flag``.

    Raises
    ------
    ValueError
        Naming the file, row and column of a missing column, an empty text or an unknown language.
    """
    from .redflags import red_flag_codes

    source = lexicon_file(TRAINING_FILE) if path is None else Path(path)
    with resources.as_file(source) as file:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    name = Path(str(source)).name
    missing = [c for c in ("text", "lang", "flag") if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing columns {missing}; expected `text, lang, flag`")
    allowed = {"lang": set(LANGUAGES), "flag": {*red_flag_codes(), NO_FLAG}}
    for column, values in allowed.items():
        bad = ~frame[column].isin(values)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{name}, row {row + 2}: the value for `{column}` must be one of {sorted(values)}, "
                             f"but {frame[column].iloc[row]!r} was found")
    empty = frame["text"].str.strip() == ""
    if empty.any():
        raise ValueError(f"{name}, row {int(np.flatnonzero(empty)[0]) + 2}: `text` is empty")
    return frame[["text", "lang", "flag"]]


@functools.cache
def bundled_red_flag_model() -> RedFlagClassifier:
    """The packaged, fitted red-flag classifier (loaded once per session)."""
    with resources.as_file(lexicon_file(MODEL_STEM + ".json")) as spec:
        return RedFlagClassifier.load(spec.with_suffix(""))


__all__ = ["MODEL_STEM", "NO_FLAG", "TRAINING_FILE", "RedFlagClassifier", "bundled_red_flag_model",
           "read_red_flag_examples", "sentence_features"]
