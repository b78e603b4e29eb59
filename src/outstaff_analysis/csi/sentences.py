"""Client sentences as frames: split utterances into sentences and score them, at corpus scale.

:func:`score_sentences` turns an utterance frame into one row per client sentence with the
scores of :func:`~outstaff_analysis.csi.scoring.score_sentence` (the lexicon), replaced by a
fitted :class:`~outstaff_analysis.csi.model.SentenceClassifier`'s predictions when one is given
(which reads the lexicon's scores as features, so the lexicon runs once).  Identical sentences are
scored once, word lemmas are cached per lexicon, and splitting and scoring can run on several
processes (``n_jobs``) for thousands of transcripts.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from ..config import FACTORS
from .lexicon import Lexicon, load_lexicon
from .scoring import polarity_label, score_sentence
from .text import split_sentences

_COLUMNS = ["polarity_score", "is_question", "is_reported", "is_hedged", *FACTORS]


def _score_table(texts: list[str], lexicon: Lexicon, model) -> pd.DataFrame:
    """The lexicon's scores of distinct texts, rescored by ``model`` when one is given."""
    rows = []
    for text in texts:
        s = score_sentence(text, lexicon)
        rows.append((s.polarity_score, s.is_question, s.is_reported, s.is_hedged,
                     *(s.factors.get(f, np.nan) for f in FACTORS)))
    table = pd.DataFrame.from_records(rows, columns=_COLUMNS) if rows else pd.DataFrame(columns=_COLUMNS)
    table = table.astype({"polarity_score": float, "is_question": bool, "is_reported": bool, "is_hedged": bool,
                          **{f: float for f in FACTORS}})
    table.insert(0, "text", pd.Series(texts, dtype=object))
    table.insert(2, "polarity", polarity_label(table["polarity_score"], lexicon=lexicon))
    if model is not None and len(table):
        table = model.score_texts(texts, scored=table)
    return table


_WORKER_STATE: list = []  # per worker process: the (lexicon, model) its initializer received (not configuration)


def _init_worker(lexicon: Lexicon | None, model) -> None:
    _WORKER_STATE[:] = [lexicon, model]


def _score_chunk(texts) -> pd.DataFrame:
    return _score_table(texts, *_WORKER_STATE)


def _split_chunk(texts) -> list[list[tuple[int, int]]]:
    return [split_sentences(text) if isinstance(text, str) else [] for text in texts]


def _in_parallel(function, items: list, n_jobs: int, lexicon: Lexicon | None = None, model=None) -> list:
    """``function`` over contiguous chunks of ``items`` on ``n_jobs`` processes: the chunks' results, in order.

    Processes are forked where the platform allows, so the lexicon and the model are shared rather
    than copied.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    bounds = np.linspace(0, len(items), n_jobs * 4 + 1).astype(int)
    chunks = [items[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    with ProcessPoolExecutor(n_jobs, mp_context=context, initializer=_init_worker,
                             initargs=(lexicon, model)) as pool:
        return list(pool.map(function, chunks))


def score_texts(texts: Iterable[str], *, lexicon: Lexicon | None = None, model=None, n_jobs: int = 1) -> pd.DataFrame:
    """Score sentences given as plain texts (each text scored as one sentence).

    Identical texts are scored once.

    Parameters
    ----------
    texts : iterable of str
    lexicon : Lexicon, optional
        Default: the packaged lexicon.
    model : SentenceClassifier, optional
        A fitted :class:`~outstaff_analysis.csi.model.SentenceClassifier` (for instance
        :func:`~outstaff_analysis.csi.bundled.bundled_model`); its predictions replace the
        lexicon's polarity and factor contributions.  ``None``: the lexicon alone.
    n_jobs : int
        Processes to score on (worth it from tens of thousands of distinct sentences).

    Returns
    -------
    pandas.DataFrame
        One row per text, in order: ``text, polarity_score, polarity, is_question, is_reported,
        is_hedged`` and one column per factor (``quality`` ... ``team``) holding the factor's
        signed contribution, NaN when the sentence does not speak of it.
    """
    lexicon = lexicon or load_lexicon()
    texts = pd.Series(list(texts), dtype=object)
    codes, uniques = pd.factorize(texts)
    uniques = list(uniques)
    if n_jobs > 1 and len(uniques) >= 1000 * n_jobs:
        table = pd.concat(_in_parallel(_score_chunk, uniques, n_jobs, lexicon, model), ignore_index=True)
    else:
        table = _score_table(uniques, lexicon, model)
    out = table.iloc[codes].reset_index(drop=True)
    out["text"] = texts.to_numpy()
    return out


SENTENCE_KEYS = ["interview_id", "utterance_no", "sentence_no", "client_id", "held_at", "speaker", "start",
                 "language", "char_start", "char_end"]


def split_client_sentences(utterances: pd.DataFrame, *, n_jobs: int = 1) -> pd.DataFrame:
    """One row per sentence of client speech, with its place in the utterance.

    Parameters
    ----------
    utterances : pandas.DataFrame
        Utterance frame (``interview_id, utterance_no, speaker, start, end, text, client_id,
        held_at, language, is_client, speaker_inferred``); only ``is_client`` rows are kept.
    n_jobs : int
        Processes to split on.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SENTENCE_KEYS` and ``text``; ``text`` equals
        ``utterance_text[char_start:char_end]``.
    """
    client = utterances.loc[utterances["is_client"].astype(bool)]
    utterance_texts = list(client["text"])
    if n_jobs > 1 and len(utterance_texts) >= 1000 * n_jobs:
        spans = [span for part in _in_parallel(_split_chunk, utterance_texts, n_jobs) for span in part]
    else:
        spans = _split_chunk(utterance_texts)
    owner, number, starts, ends, texts = [], [], [], [], []
    for row, (text, pieces) in enumerate(zip(utterance_texts, spans)):
        for k, (a, b) in enumerate(pieces):
            owner.append(row)
            number.append(k)
            starts.append(a)
            ends.append(b)
            texts.append(text[a:b])
    frame = client.iloc[owner][[k for k in SENTENCE_KEYS if k in client.columns]].reset_index(drop=True)
    frame["sentence_no"] = np.asarray(number, dtype=int)
    frame["char_start"] = np.asarray(starts, dtype=int)
    frame["char_end"] = np.asarray(ends, dtype=int)
    frame["text"] = pd.Series(texts, dtype=object)
    frame["start"] = frame["start"].astype(float)
    frame["held_at"] = pd.to_datetime(frame["held_at"])
    return frame[[*SENTENCE_KEYS, "text"]]


def score_sentences(utterances: pd.DataFrame, *, lexicon: Lexicon | None = None, model=None,
                    n_jobs: int = 1) -> pd.DataFrame:
    """Split client utterances into sentences and score each.

    Parameters
    ----------
    utterances : pandas.DataFrame
        Utterance frame (see :func:`split_client_sentences`).
    lexicon : Lexicon, optional
        Default: the packaged lexicon.
    model : SentenceClassifier, optional
        A fitted classifier whose predictions replace the lexicon's (see :func:`score_texts`);
        ``None``: the lexicon alone.
    n_jobs : int
        Processes to split and score on (see :func:`score_texts`).

    Returns
    -------
    pandas.DataFrame
        :data:`SENTENCE_KEYS`, ``text`` and the columns of :func:`score_texts`.
    """
    sentences = split_client_sentences(utterances, n_jobs=n_jobs)
    scored = score_texts(sentences["text"], lexicon=lexicon, model=model, n_jobs=n_jobs)
    return pd.concat([sentences, scored.drop(columns="text")], axis=1)


__all__ = ["SENTENCE_KEYS", "score_sentences", "score_texts", "split_client_sentences"]
