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
from .corpus import CORPUS_COLUMNS
from .language import LANGUAGES, detect_language
from .lexicon import Lexicon, load_lexicon
from .scoring import polarity_label, score_sentence
from .text import split_sentences

_COLUMNS = ["polarity_score", "is_question", "is_reported", "is_hedged", "is_phatic", *FACTORS]
MODEL_CHUNK = 20_000
"""Distinct sentences a model scores at a time (bounds the memory of its feature matrix)."""


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
    """The lexicon's scores of distinct texts, rescored by ``model`` when one is given."""
    rows = []
    for text in texts:
        s = score_sentence(text, lexicon)
        rows.append((s.polarity_score, s.is_question, s.is_reported, s.is_hedged, s.is_phatic,
                     *(s.factors.get(f, np.nan) for f in FACTORS)))
    table = pd.DataFrame.from_records(rows, columns=_COLUMNS) if rows else pd.DataFrame(columns=_COLUMNS)
    table = table.astype({"polarity_score": float, "is_question": bool, "is_reported": bool, "is_hedged": bool,
                          "is_phatic": bool, **{f: float for f in FACTORS}})
    table.insert(0, "text", pd.Series(texts, dtype=object))
    table.insert(2, "polarity", polarity_label(table["polarity_score"], lexicon=lexicon))
    table.insert(3, "probability", np.nan)
    if model is not None and len(table):  # in chunks: a model's feature matrix of every text at once is large
        return pd.concat([model.score_texts(texts[a:a + MODEL_CHUNK], scored=table.iloc[a:a + MODEL_CHUNK])
                          for a in range(0, len(texts), MODEL_CHUNK)], ignore_index=True)
    return polar_evidence(table)


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


def sentence_table(texts: Iterable[str], *, lexicon: Lexicon | None = None, model=None,
                   n_jobs: int = 1) -> pd.DataFrame:
    """Score sentences given as plain texts (each text scored as one sentence, unsplit).

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
        One row per text, in order: ``text, polarity_score, polarity, probability, is_question,
        is_reported, is_hedged, is_phatic`` and one column per factor (``quality`` ... ``team``) holding the
        factor's signed contribution, NaN when the sentence does not speak of it or is neutral
        (:func:`polar_evidence`).  ``probability`` is the model's (calibrated) probability of
        ``polarity``, NaN for the lexicon alone.
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
    scored = sentence_table(sentences["text"], lexicon=lexicon, model=model, n_jobs=n_jobs)
    return pd.concat([sentences, scored.drop(columns="text")], axis=1)


__all__ = ["SENTENCE_KEYS", "polar_evidence", "score_sentences", "sentence_table", "split_client_sentences",
           "utterance_frame"]
