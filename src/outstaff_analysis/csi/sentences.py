"""Client sentences as frames: split utterances into sentences and score them, at corpus scale.

:func:`score_sentences` turns an utterance frame into one row per client sentence with the
scores of :func:`~outstaff_analysis.csi.scoring.score_sentence` (the lexicon), replaced by a
fitted :class:`~outstaff_analysis.csi.model.SentenceClassifier`'s predictions when one is given
(which reads the lexicon's scores as features, so the lexicon runs once).  Identical sentences are
scored once, word lemmas are cached per lexicon, and splitting and scoring go in bounded chunks
(:data:`CHUNK`), on several processes (``n_jobs``) for thousands of transcripts: the processes
are forked and share the texts, and send back only what they computed.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from ..config import FACTORS
from .corpus import CORPUS_COLUMNS
from .language import LANGUAGES, detect_language
from .lexicon import Lexicon, load_lexicon
from .scoring import polarity_label, score_sentence
from .text import split_sentences

_COLUMNS = ["polarity_score", "is_question", "is_reported", "is_hedged", "is_phatic", *FACTORS]
CHUNK = 20_000
"""Texts split, or distinct sentences scored, at a time (bounds the memory of a model's feature matrix and of a
worker's share)."""
PARALLEL_FROM = 1000
"""Items (texts to split, distinct sentences to score) per process from which ``n_jobs`` processes are used."""


def polar_evidence(table: pd.DataFrame) -> pd.DataFrame:
    """Neutral talk is neutral, and a factor is evidence only in a polar sentence.

    A sentence is evidence about a factor only if it speaks of the factor *and* says something
    good or bad.  Neutral talk (``is_phatic``: greetings, thanks, goodbyes, call logistics,
    backchannels, weather and travel chat; see :func:`~outstaff_analysis.csi.scoring.score_sentence`)
    is read neutral whatever a model made of it ("Thanks, have a nice day" is polite, not praise
    of speed); a sentence read neutral contributes to no factor.  The one rule both readers (the
    lexicon and a model) go through.

    Parameters
    ----------
    table : pandas.DataFrame
        Scored sentences with ``polarity``, ``polarity_score``, ``is_phatic`` and one column per
        factor (``probability`` optional).

    Returns
    -------
    pandas.DataFrame
        ``table`` with neutral talk set to ``neutral`` (score 0, probability NaN) and the factor
        columns NaN on every ``neutral`` row.
    """
    phatic = table["is_phatic"].to_numpy(dtype=bool)
    neutral = phatic | (table["polarity"] == "neutral").to_numpy()
    if neutral.any():
        table = table.copy()
        table.loc[phatic, ["polarity", "polarity_score"]] = ["neutral", 0.0]
        if "probability" in table.columns:
            table.loc[phatic, "probability"] = np.nan
        table.loc[neutral, list(FACTORS)] = np.nan
    return table


def _score_table(texts: list[str], lexicon: Lexicon, model) -> pd.DataFrame:
    """The lexicon's scores of distinct texts, rescored by ``model`` when one is given (no ``text`` column)."""
    rows = []
    for text in texts:
        s = score_sentence(text, lexicon)
        rows.append((s.polarity_score, s.is_question, s.is_reported, s.is_hedged, s.is_phatic,
                     *(s.factors.get(f, np.nan) for f in FACTORS)))
    table = pd.DataFrame.from_records(rows, columns=_COLUMNS) if rows else pd.DataFrame(columns=_COLUMNS)
    del rows
    table = table.astype({"polarity_score": float, "is_question": bool, "is_reported": bool, "is_hedged": bool,
                          "is_phatic": bool, **{f: float for f in FACTORS}})
    table.insert(1, "polarity", polarity_label(table["polarity_score"], lexicon=lexicon))
    table.insert(2, "probability", np.nan)
    if model is not None and len(table):
        return model.score_texts(texts, scored=table)
    return polar_evidence(table)


def _chunks(n: int, parts: int) -> list[tuple[int, int]]:
    """``(start, end)`` ranges cutting ``n`` items into at least ``parts`` contiguous chunks of at most :data:`CHUNK`."""
    bounds = np.linspace(0, n, max(parts, -(-n // CHUNK)) + 1).astype(int)
    return [(int(a), int(b)) for a, b in itertools.pairwise(bounds) if b > a]


_WORKER_STATE: dict = {}  # per worker process: what its initializer received (not configuration)


def _init_worker(work, items: list, context: tuple) -> None:
    _WORKER_STATE.update(work=work, items=items, context=context)


def _work_on(bounds: tuple[int, int]):
    a, b = bounds
    return _WORKER_STATE["work"](_WORKER_STATE["items"][a:b], *_WORKER_STATE["context"])


def _parallel(n_items: int, n_jobs: int) -> bool:
    """Whether :func:`_in_chunks` works on several processes."""
    return n_jobs > 1 and n_items >= PARALLEL_FROM * n_jobs


def _in_chunks(work, items: list, n_jobs: int, *context) -> list:
    """``work(chunk, *context)`` over bounded contiguous chunks of ``items`` (:func:`_chunks`): the results, in order.

    On ``n_jobs`` processes (from :data:`PARALLEL_FROM` items per process), four chunks or more per process.
    The processes are forked where the platform allows, so ``items`` and ``context`` (the
    lexicon, the model) are shared with them rather than sent to each.
    """
    parallel = _parallel(len(items), n_jobs)
    chunks = _chunks(len(items), 4 * n_jobs if parallel else 1)
    if not parallel:
        return [work(items[a:b], *context) for a, b in chunks]
    methods = multiprocessing.get_all_start_methods()
    mp_context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(n_jobs, mp_context=mp_context, initializer=_init_worker,
                             initargs=(work, items, context)) as pool:
        return list(pool.map(_work_on, chunks))


def _split_texts(texts: list) -> tuple:
    """Sentences of each text: ``(sentences per text, char starts, char ends, sentence texts)``."""
    counts, starts, ends, sentences = [], [], [], []
    for text in texts:
        pieces = split_sentences(text) if isinstance(text, str) else []
        counts.append(len(pieces))
        for a, b in pieces:
            starts.append(a)
            ends.append(b)
            sentences.append(text[a:b])
    return (np.asarray(counts, dtype=np.int64), np.asarray(starts, dtype=np.int64),
            np.asarray(ends, dtype=np.int64), sentences)


def _distinct_scores(texts: pd.Series, lexicon: Lexicon, model, n_jobs: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Each text's row in the scores of the distinct texts, and those scores (no ``text`` column)."""
    codes, uniques = pd.factorize(texts)
    if model is not None and _parallel(len(uniques), n_jobs):
        model.load_resources()  # before the fork: the workers share them
    parts = _in_chunks(_score_table, list(uniques), n_jobs, lexicon, model)
    table = pd.concat(parts, ignore_index=True) if parts else _score_table([], lexicon, model)
    return codes, table


def sentence_table(texts: Iterable[str], *, lexicon: Lexicon | None = None, model=None,
                   n_jobs: int = 1) -> pd.DataFrame:
    """Score sentences given as plain texts (each text scored as one sentence, unsplit).

    Identical texts are scored once, in chunks of at most :data:`CHUNK` distinct texts (which
    bounds the memory of a model's feature matrix).

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
        One row per text, in order: ``text, polarity_score, polarity, probability, is_question,
        is_reported, is_hedged, is_phatic`` and one column per factor (``quality`` ... ``team``) holding the
        factor's signed contribution, NaN when the sentence does not speak of it or is neutral
        (:func:`polar_evidence`).  ``probability`` is the model's (calibrated) probability of
        ``polarity``, NaN for the lexicon alone.
    """
    lexicon = lexicon or load_lexicon()
    texts = pd.Series(list(texts), dtype=object)
    codes, table = _distinct_scores(texts, lexicon, model, n_jobs)
    out = table.take(codes).reset_index(drop=True)
    out.insert(0, "text", texts.to_numpy())
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
    parts = _in_chunks(_split_texts, list(client["text"]), n_jobs) or [_split_texts([])]
    counts, starts, ends = (np.concatenate([part[k] for part in parts]) for k in range(3))
    texts = pd.Series(list(itertools.chain.from_iterable(part[3] for part in parts)), dtype=object)
    del parts
    owner = np.repeat(np.arange(len(counts)), counts)
    columns = {k: client[k].take(owner).reset_index(drop=True) for k in SENTENCE_KEYS if k in client.columns}
    columns.update(sentence_no=np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts),
                   char_start=starts, char_end=ends)
    columns["start"] = columns["start"].astype(float)
    columns["held_at"] = pd.to_datetime(columns["held_at"])
    return pd.DataFrame({**{k: columns[k] for k in SENTENCE_KEYS}, "text": texts})


def utterance_frame(texts, *, speaker=None, language="auto") -> pd.DataFrame:
    """Client utterances from plain texts, or from a frame that has only some utterance columns.

    What the report pipeline knows from the interviews table (interview, client, date, times)
    is filled with placeholders, so any text can be scored the way a transcript is.

    Parameters
    ----------
    texts : sequence of str or pandas.DataFrame
        Texts (each one utterance, of any number of sentences), or a frame with a ``text``
        column and any of the other utterance columns (``interview_id, utterance_no, speaker,
        start, end, client_id, held_at, language, is_client, speaker_inferred``).
    speaker : str, optional
        Speaker of every text without one.
    language : {"auto", "ru", "en"}
        Language of every text without one; ``"auto"`` detects it from each text
        (:func:`~outstaff_analysis.csi.language.detect_language`).

    Returns
    -------
    pandas.DataFrame
        An utterance frame; a missing ``interview_id`` is ``"text<k>"`` (one per row), every
        text without ``is_client`` is client speech.

    Raises
    ------
    ValueError
        If a text is not a string or ``language`` is not one of the allowed values.
    """
    if isinstance(texts, pd.DataFrame) and set(CORPUS_COLUMNS) <= set(texts.columns) \
            and texts["language"].isin(LANGUAGES).all():
        return texts  # a complete utterance frame, as the report pipeline builds it
    frame = texts.copy() if isinstance(texts, pd.DataFrame) else pd.DataFrame({"text": list(texts)})
    if "text" not in frame.columns:
        raise ValueError(f"The utterances must have a `text` column; the columns are {list(frame.columns)}")
    bad = [k for k, t in enumerate(frame["text"]) if not isinstance(t, str)]
    if bad:
        raise ValueError(f"The value for `text` must be a string, but {frame['text'].iloc[bad[0]]!r} was passed "
                         f"in row {bad[0]}")
    if language not in ("auto", *LANGUAGES):
        raise ValueError(f"The value for `language` must be one of {['auto', *LANGUAGES]}, but {language!r} "
                         f"was passed")
    n = len(frame)
    defaults = {"interview_id": [f"text{k}" for k in range(n)], "utterance_no": np.zeros(n, dtype=int),
                "speaker": speaker, "start": np.nan, "end": np.nan, "client_id": None, "held_at": pd.NaT,
                "is_client": True, "speaker_inferred": False}
    for column, value in defaults.items():
        if column not in frame.columns:
            frame[column] = value
    if "language" not in frame.columns:
        frame["language"] = language
    auto = (frame["language"].isna() | (frame["language"] == "auto")).to_numpy()
    if auto.any():
        frame.loc[auto, "language"] = [detect_language(t) for t in frame.loc[auto, "text"]]
    return frame


def score_sentences(utterances, *, lexicon: Lexicon | None = None, model=None, n_jobs: int = 1,
                    speaker=None, language="auto") -> pd.DataFrame:
    """Split client utterances into sentences and score each.

    Parameters
    ----------
    utterances : pandas.DataFrame or sequence of str
        Utterance frame (see :func:`split_client_sentences`), or only texts: plain strings or a
        frame with a ``text`` column and whatever else is known (:func:`utterance_frame`).
    lexicon : Lexicon, optional
        Default: the packaged lexicon.
    model : SentenceClassifier, optional
        A fitted classifier whose predictions replace the lexicon's (see :func:`sentence_table`);
        ``None``: the lexicon alone.
    n_jobs : int
        Processes to split and score on (see :func:`sentence_table`).
    speaker, language : optional
        For texts given without them (see :func:`utterance_frame`).

    Returns
    -------
    pandas.DataFrame
        :data:`SENTENCE_KEYS`, ``text`` and the columns of :func:`sentence_table`.
    """
    utterances = utterance_frame(utterances, speaker=speaker, language=language)
    sentences = split_client_sentences(utterances, n_jobs=n_jobs)
    codes, table = _distinct_scores(sentences["text"], lexicon or load_lexicon(), model, n_jobs)
    return pd.concat([sentences, table.take(codes).reset_index(drop=True)], axis=1)


__all__ = ["SENTENCE_KEYS", "polar_evidence", "score_sentences", "sentence_table", "split_client_sentences",
           "utterance_frame"]
