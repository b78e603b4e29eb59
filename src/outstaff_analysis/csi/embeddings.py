"""Pretrained Russian word vectors as sentence features: the mean navec vector of a sentence's Russian words.

The vectors are navec's ``navec_news_v1_1B_250K_300d_100q`` (A. Kukushkin, the Natasha project, MIT: 250,000
Russian words of a billion-word news corpus, 300 dimensions, product-quantised to 25 MB), read from
the ``natasha`` wheel on PyPI, which ships them as a data file; ``natasha`` itself is never imported
(its layout is the one the ``navec`` package reads; the tests check the two readings agree).
Nothing is downloaded at run time.

The table is loaded on the first Russian text, once per process (0.3 s, 40 MB), so a process
that scores only English, or loads the bundled model without scoring, does not pay for it; a
process about to fork workers loads it first (:meth:`~outstaff_analysis.csi.model.SentenceClassifier.load_resources`),
so that they share one copy.
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import importlib.metadata
import re
import tarfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from .text import tokenize

NAVEC_FILE = "natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar"
"""Where the vectors are inside the installed ``natasha`` distribution."""

DIMENSIONS = 300
"""Length of a navec vector."""

_CYRILLIC = re.compile(r"[а-яё]")
_CYRILLIC_BYTES = re.compile(rb"\xd0[\xb0-\xbf]|\xd1[\x80-\x8f\x91]")  # [а-яё] in UTF-8


def navec_path() -> Path:
    """The navec file inside the installed ``natasha`` distribution (found without importing ``natasha``).

    Raises
    ------
    FileNotFoundError
        If ``natasha``, which carries the vectors, is not installed or lacks the file.
    """
    try:
        path = importlib.metadata.distribution("natasha").locate_file(NAVEC_FILE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise FileNotFoundError(f"{NAVEC_FILE}: the Russian word vectors come with the `natasha` package "
                                f"(pip install natasha)") from exc
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: navec word vectors not found in the installed `natasha` package")
    return Path(path)


@dataclasses.dataclass(frozen=True)
class WordVectors:
    """navec's Russian words and their quantised vectors as plain arrays (about 40 MB).

    ``navec.Navec.load`` builds a Python dict of its 250,000 words and precomputed similarity
    tables (110 MB per process, touched by reference counting, so copied into every forked
    worker); sorted byte strings searched with :func:`numpy.searchsorted` need a third of that.

    Attributes
    ----------
    words : numpy.ndarray
        Sorted UTF-8 bytes of the words with a Cyrillic letter.
    indexes : numpy.ndarray
        uint8, words x subspaces: each word's centroid in each subspace.
    codes : numpy.ndarray
        float32, subspaces x centroids x subspace dimensions.
    """

    words: np.ndarray
    indexes: np.ndarray
    codes: np.ndarray

    def row(self, word: str) -> int:
        """The row of ``word`` in :attr:`words`; -1 if navec does not know it."""
        key = word.encode()
        if len(key) > self.words.itemsize:
            return -1
        position = int(np.searchsorted(self.words, key))
        return position if position < len(self.words) and self.words[position] == key else -1

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """The vectors of rows of :attr:`words` (rows x 300, float32)."""
        subspaces = np.arange(self.codes.shape[0])
        return self.codes[subspaces, self.indexes[rows]].reshape(len(rows), self.codes.shape[0] * self.codes.shape[2])


@functools.cache
def word_vectors() -> WordVectors:
    """:class:`WordVectors` of navec's Russian words (read once per process, under a second).

    The file is a tar of ``vocab.bin`` (gzip: word count, counts as uint32, words joined by
    newlines) and ``pq.bin`` (vectors, dimensions, subspaces, centroids as uint32, the indexes,
    the codes), the layout ``navec.Navec.load`` reads.
    """
    with tarfile.open(navec_path()) as archive:
        vocab = gzip.decompress(archive.extractfile("vocab.bin").read())
        size = int(np.frombuffer(vocab[:4], np.uint32)[0])
        lines = vocab[4 + 4 * size:].split(b"\n")
        del vocab
        if len(lines) != size:
            raise ValueError(f"{navec_path()}: {len(lines)} words, expected {size}")
        keep = np.flatnonzero([_CYRILLIC_BYTES.search(line) is not None for line in lines])
        words = np.array([lines[k] for k in keep], dtype=bytes)
        del lines
        order = np.argsort(words, kind="stable")
        words = words[order]
        pq = archive.extractfile("pq.bin")
        n_vectors, _, n_subspaces, n_centroids = (int(v) for v in np.frombuffer(pq.read(16), np.uint32))
        if n_vectors != size:
            raise ValueError(f"{navec_path()}: {size} words and {n_vectors} vectors, expected as many of each")
        indexes = np.frombuffer(pq.read(n_vectors * n_subspaces), np.uint8).reshape(n_vectors, n_subspaces)
        indexes = indexes[keep[order]]
        codes = np.frombuffer(pq.read(), np.float32).reshape(n_subspaces, n_centroids, -1).copy()
    return WordVectors(words=words, indexes=indexes, codes=codes)


BLOCK = 4096
"""Texts whose mean vectors are computed at a time (bounds the memory of their words' vectors)."""


def sentence_vectors(texts: Sequence[str]) -> np.ndarray:
    """The mean navec vector of the Russian words of each text, scaled to length 1 (rows x 300).

    Words are the lower-cased tokens of :func:`~outstaff_analysis.csi.text.tokenize` with a
    Cyrillic letter; words navec does not know are skipped, and a text with none (English text,
    numbers) gets zeros.  Texts with no Cyrillic letter do not load the vectors.  The texts are
    read :data:`BLOCK` at a time, so the memory beyond the result is bounded whatever their number;
    a text's vector does not depend on the others (the same to the last bit).

    Examples
    --------
    >>> vectors = sentence_vectors(["Очень вкусно.", "Great work."])
    >>> vectors.shape, round(float(np.linalg.norm(vectors[0])), 6), float(np.abs(vectors[1]).sum())
    ((2, 300), 1.0, 0.0)
    """
    texts = list(texts)
    out = np.zeros((len(texts), DIMENSIONS))
    for start in range(0, len(texts), BLOCK):
        rows = [[row for token in tokenize(text) if (row := _row(token)) >= 0] if _CYRILLIC.search(text.lower()) else []
                for text in texts[start:start + BLOCK]]
        if any(rows):
            _mean_vectors(rows, out[start:start + len(rows)])
    return out


@functools.lru_cache(maxsize=200_000)
def _row(token: str) -> int:
    """navec's row of a lower-cased token (:meth:`WordVectors.row`), -1 for none or no Russian letter (cached)."""
    return word_vectors().row(token) if _CYRILLIC.search(token) else -1


def _mean_vectors(rows: list[list[int]], out: np.ndarray) -> None:
    """Write into ``out`` (texts x 300, zeros) the unit mean vector of each text's words (their navec ``rows``)."""
    lengths = np.array([len(text_rows) for text_rows in rows])
    words, columns = np.unique(np.fromiter((r for text_rows in rows for r in text_rows), dtype=np.int64,
                                           count=int(lengths.sum())), return_inverse=True)
    # each text's mean vector as one sparse product: a text x word matrix of 1 / (words of the text), in their order
    averaging = sparse.csr_matrix((np.repeat(1.0 / np.maximum(lengths, 1), lengths), columns,
                                   np.concatenate([[0], np.cumsum(lengths)])), shape=(len(rows), len(words)))
    out[:] = averaging @ word_vectors().rows(words).astype(np.float64)
    out /= np.where(lengths > 0, np.linalg.norm(out, axis=1), 1.0)[:, None]


__all__ = ["BLOCK", "DIMENSIONS", "NAVEC_FILE", "WordVectors", "navec_path", "sentence_vectors", "word_vectors"]
