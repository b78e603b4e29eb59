"""Features of a sentence for the sentence classifier: hashed n-grams, VADER and the lexicon's reading.

Nothing here is fitted, so a model's features need no vocabulary to be stored with it:

* lemma n-grams (word forms do not matter: "сроки" and "срок" are one feature), hashed;
* character n-grams within words (catch misspellings, English words inside Russian speech and
  word forms the lemmatiser does not know), hashed into a separate range;
* VADER's scores (Hutto & Gilbert 2014; ``vaderSentiment`` ships its lexicon): negative,
  positive and compound, strong on English and zero on text with no English word;
* optionally the mean pretrained vector of the sentence's Russian words (:mod:`.embeddings`,
  navec), which carries what a word means to words the training sentences never had;
* the lexicon's own reading (:mod:`.scoring`): polarity score, question / reported / hedged, and
  per factor its contribution and whether it is spoken of.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import string
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from ..config import FACTORS
from .embeddings import DIMENSIONS, sentence_vectors
from .text import PUNCTUATION, lemma, tokenize

_LATIN = re.compile(r"[a-zA-Z]{2}")


def lemma_ngrams(text: str, *, ngram_range: tuple[int, int] = (1, 2)) -> list[str]:
    """Lemma n-grams of a sentence (punctuation dropped), the model's word features.

    Examples
    --------
    >>> lemma_ngrams("Сроки срывают", ngram_range=(1, 2))
    ['срок', 'срывать', 'срок срывать']
    """
    lemmas = [lemma(token) for token in tokenize(text) if token not in PUNCTUATION]
    low, high = ngram_range
    grams = list(lemmas) if low == 1 else []
    for n in range(max(low, 2), high + 1):
        grams += [" ".join(lemmas[i:i + n]) for i in range(len(lemmas) - n + 1)]
    return grams


@functools.cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@functools.cache
def _vader_emojis() -> frozenset:
    """The characters VADER spells out as words (the single-character keys of its emoji lexicon)."""
    return frozenset(key for key in _vader().emojis if len(key) == 1)


def _vader_reads(text: str) -> bool:
    """Whether VADER can score ``text`` other than all zeros.

    Its valences come only from words of its lexicon, as it splits them (on whitespace, with the
    punctuation around a word stripped unless two characters or fewer would be left), and from the
    emojis it spells out as words; a text with neither scores exactly ``neg = pos = compound = 0``.
    Checking that takes a few microseconds, a VADER reading a fraction of a millisecond.
    """
    if not _vader_emojis().isdisjoint(text):
        return True
    lexicon = _vader().lexicon
    for word in text.split():
        stripped = word.strip(string.punctuation)
        if (word if len(stripped) <= 2 else stripped).lower() in lexicon:
            return True
    return False


def vader_features(texts: Sequence[str]) -> np.ndarray:
    """VADER's ``neg``, ``pos`` and ``compound`` scores of each text (rows x 3).

    VADER's lexicon is English: a text with no Latin word, or none of VADER's words or emojis
    (:func:`_vader_reads`), gets zeros without being read.
    """
    analyser = _vader()
    out = np.zeros((len(texts), 3))
    for k, text in enumerate(texts):
        if _LATIN.search(text) and _vader_reads(text):
            s = analyser.polarity_scores(text)
            out[k] = (s["neg"], s["pos"], s["compound"])
    return out


def lexicon_features(scored: pd.DataFrame) -> np.ndarray:
    """The lexicon's reading as numbers: polarity score, modifiers, factor contributions and mentions."""
    parts = [scored["polarity_score"].to_numpy(dtype=float)[:, None],
             scored[["is_question", "is_reported", "is_hedged"]].to_numpy(dtype=float)]
    values = scored[list(FACTORS)].to_numpy(dtype=float)
    parts += [np.nan_to_num(values), (~np.isnan(values)).astype(float)]
    return np.hstack(parts)


@dataclasses.dataclass(frozen=True)
class FeatureSettings:
    """What a sentence's feature vector is made of (stored with a fitted model).

    Attributes
    ----------
    ngram_range : tuple of int
        Lemma n-gram lengths.
    char_range : tuple of int or None
        Character n-gram lengths (within words); ``None``: no character n-grams.
    word_bits, char_bits : int
        The word and character n-grams are hashed into ``2**bits`` columns each.
    use_vader : bool
        Add VADER's scores.
    use_lexicon : bool
        Add the lexicon's reading.
    embedding_scale : float
        Add the mean navec vector of the Russian words (:func:`~.embeddings.sentence_vectors`,
        length 1) times this; 0: none.
    """

    ngram_range: tuple[int, int] = (1, 2)
    char_range: tuple[int, int] | None = (2, 4)
    word_bits: int = 17
    char_bits: int = 17
    use_vader: bool = True
    use_lexicon: bool = True
    embedding_scale: float = 0.0

    @property
    def n_features(self) -> int:
        """Number of columns of :func:`featurise`."""
        n = 2 ** self.word_bits + (2 ** self.char_bits if self.char_range else 0)
        n += DIMENSIONS * bool(self.embedding_scale)
        return n + 3 * self.use_vader + (4 + 2 * len(FACTORS)) * self.use_lexicon

    def to_dict(self) -> dict:
        """JSON-able form (tuples as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()}

    @classmethod
    def from_dict(cls, values: dict) -> FeatureSettings:
        """Inverse of :meth:`to_dict`."""
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})


@functools.lru_cache(maxsize=16)
def _vectorisers(settings: FeatureSettings) -> tuple:
    words = HashingVectorizer(analyzer=functools.partial(lemma_ngrams, ngram_range=settings.ngram_range),
                              n_features=2 ** settings.word_bits, alternate_sign=False, norm="l2")
    chars = None
    if settings.char_range:
        chars = HashingVectorizer(analyzer="char_wb", ngram_range=settings.char_range, lowercase=True,
                                  n_features=2 ** settings.char_bits, alternate_sign=False, norm="l2")
    return words, chars


def featurise(texts: Sequence[str], settings: FeatureSettings, scored: pd.DataFrame | None = None) -> sparse.csr_matrix:
    """The feature matrix of sentences (rows x :attr:`FeatureSettings.n_features`).

    The columns of :func:`feature_parts`, the sparse ones first, in one sparse matrix (what a
    model is fitted on).

    Parameters
    ----------
    texts : sequence of str
    settings : FeatureSettings
    scored : pandas.DataFrame, optional
        The lexicon's scores of ``texts``; required when ``settings.use_lexicon``.
    """
    x, vectors = feature_parts(texts, settings, scored)
    if vectors is None:
        return x
    return sparse.hstack([x, sparse.csr_matrix(vectors)], format="csr")


def feature_parts(texts: Sequence[str], settings: FeatureSettings,
                  scored: pd.DataFrame | None = None) -> tuple[sparse.csr_matrix, np.ndarray | None]:
    """The feature matrix of sentences as its sparse columns and its dense ones.

    A sentence's n-grams are a few of hundreds of thousands of columns, its word vector all of its
    300: stored sparse, those 300 would take five times the memory of a dense array (an index per
    value) and every product with them the time.  A linear model scores the two apart
    (:meth:`~outstaff_analysis.csi.model.LinearHead.logits`).

    Parameters
    ----------
    texts : sequence of str
    settings : FeatureSettings
    scored : pandas.DataFrame, optional
        The lexicon's scores of ``texts``; required when ``settings.use_lexicon``.

    Returns
    -------
    x : scipy.sparse.csr_matrix
        The n-grams, VADER's scores and the lexicon's reading: the first columns of
        :func:`featurise`.
    vectors : numpy.ndarray or None
        ``settings.embedding_scale`` times the sentence vectors (rows x
        :data:`~outstaff_analysis.csi.embeddings.DIMENSIONS`), its last columns; ``None`` when
        the settings have none.
    """
    texts = list(texts)
    words, chars = _vectorisers(settings)
    blocks = [words.transform(texts)]
    if chars is not None:
        blocks.append(chars.transform([t.replace("ё", "е").replace("Ё", "Е") for t in texts]))
    if settings.use_vader:
        blocks.append(sparse.csr_matrix(vader_features(texts)))
    if settings.use_lexicon:
        if scored is None:
            raise ValueError("`scored` (the lexicon's scores of the texts) is needed when the lexicon is a feature")
        blocks.append(sparse.csr_matrix(lexicon_features(scored)))
    vectors = None
    if settings.embedding_scale:
        vectors = sentence_vectors(texts)
        vectors *= settings.embedding_scale
    return sparse.hstack(blocks, format="csr"), vectors


__all__ = ["FeatureSettings", "feature_parts", "featurise", "lemma_ngrams", "lexicon_features", "vader_features"]
