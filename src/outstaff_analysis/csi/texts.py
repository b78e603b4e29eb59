"""Score any texts: one row per text with its polarity, probability, score and factor polarities.

:func:`score_texts` is for an analyst with plain strings (survey answers, e-mails, a pasted call):
each text is split into sentences and scored exactly as the report pipeline scores client speech
(:func:`~outstaff_analysis.csi.sentences.score_sentences`, the bundled model by default), then
the sentences are summed up per text.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..config import FACTORS
from .bundled import resolve_model
from .lexicon import Lexicon
from .sentences import score_sentences, utterance_frame

TEXT_COLUMNS = ["text", "language", "n_sentences", "polarity", "probability", "score", *FACTORS, "deciding"]
"""Columns of :func:`score_texts`."""


def _sign_label(positive: bool, negative: bool) -> str:
    if positive and negative:
        return "mixed"
    return "positive" if positive else "negative" if negative else "neutral"


def summarise_texts(sentences: pd.DataFrame, texts: pd.DataFrame) -> pd.DataFrame:
    """One row per text from its scored sentences (see :func:`score_texts` for the columns).

    Parameters
    ----------
    sentences : pandas.DataFrame
        :func:`~outstaff_analysis.csi.sentences.score_sentences` of ``texts``.
    texts : pandas.DataFrame
        The utterance frame the sentences come from (``interview_id``, ``text``, ``language``).
    """
    groups = dict(list(sentences.groupby("interview_id", sort=False)))
    rows = []
    for interview_id, text, language in zip(texts["interview_id"], texts["text"], texts["language"]):
        part = groups.get(interview_id, sentences.iloc[:0])
        polar = part.loc[part["polarity"] != "neutral"]
        values = part[list(FACTORS)].to_numpy(dtype=float)
        factors = {f: _sign_label(bool((values[:, k] > 0).any()), bool((values[:, k] < 0).any()))
                   for k, f in enumerate(FACTORS)}
        positive = (polar["polarity"] == "positive").any() or (values > 0).any()
        negative = (polar["polarity"] == "negative").any() or (values < 0).any()
        polarity = _sign_label(bool(positive), bool(negative))
        scores = polar["polarity_score"].clip(-1.0, 1.0)
        deciding = polar.assign(strength=scores.abs()).sort_values("strength", ascending=False, kind="stable")
        probability = (part if polarity == "neutral" else polar)["probability"]
        rows.append({"text": text, "language": language, "n_sentences": len(part), "polarity": polarity,
                     "probability": float(probability.mean()) if len(probability) else np.nan,
                     "score": float(scores.mean()) if len(scores) else 0.0,
                     **{f: None if v == "neutral" else v for f, v in factors.items()},
                     "deciding": deciding["text"].tolist()})
    return pd.DataFrame(rows, columns=TEXT_COLUMNS)


def score_texts(texts: Iterable[str], *, lang: str = "auto", lexicon: Lexicon | None = None,
                model="bundled", speaker: str | None = None) -> pd.DataFrame:
    """Score texts of any length: polarity, probability, score and factor polarities per text.

    Each text is split into sentences and every sentence is read as in the reports (the same
    numbers: :func:`~outstaff_analysis.csi.sentences.score_sentences`).  Sentences read neutral
    (greetings, thanks, small talk, logistics) decide nothing.

    Parameters
    ----------
    texts : iterable of str
    lang : {"auto", "ru", "en"}
        Language of the texts; ``"auto"`` detects it per text (reported in ``language``).
    lexicon : Lexicon, optional
        Default: the packaged lexicon.
    model : "bundled", SentenceClassifier or None
        Who reads the sentences (as in :func:`~outstaff_analysis.csi.scores.score_csi`).
    speaker : str, optional
        Recorded as the speaker of every sentence.

    Returns
    -------
    pandas.DataFrame
        One row per text, in order, columns :data:`TEXT_COLUMNS`:

        * ``polarity``: ``positive`` / ``negative`` when every polar sentence (and factor) says
          so, ``mixed`` when some say each, ``neutral`` when none is polar;
        * ``probability``: the mean probability the model gives its label over the deciding
          sentences (over all sentences for a neutral text, leaving out neutral talk, which is
          neutral by rule; NaN for neutral talk only and for the lexicon alone);
        * ``score``: mean of the deciding sentences' ``P(positive) - P(negative)`` (the lexicon's
          polarity score capped to [-1, 1] for the lexicon alone), 0 for a neutral text;
        * one column per factor: ``positive`` / ``negative`` / ``mixed``, or None when the text
          is no evidence about it;
        * ``deciding``: the polar sentences, strongest first.

    Examples
    --------
    >>> table = score_texts(["Добрый день! Сроки опять сорвали.", "Thanks, bye."])
    >>> table[["polarity", "speed"]].values.tolist()
    [['negative', 'negative'], ['neutral', None]]
    """
    frame = utterance_frame(list(texts), speaker=speaker, language=lang)
    sentences = score_sentences(frame, lexicon=lexicon, model=resolve_model(model, lexicon))
    return summarise_texts(sentences, frame)


__all__ = ["TEXT_COLUMNS", "score_texts", "summarise_texts"]
