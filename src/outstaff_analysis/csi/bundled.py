"""The bundled model: the lexicon plus a classifier trained on labelled sentences shipped with the package.

The package carries labelled client sentences (``csi/lexicon/training.csv``, ``training_2.csv`` and
``csi/lexicon/csi_dev.csv``, the format of :func:`~outstaff_analysis.csi.evaluation.read_labelled`),
written for this purpose and never taken from an evaluation set.  :func:`bundled_model` fits a
:class:`~outstaff_analysis.csi.model.SentenceClassifier` (lemma n-grams plus the lexicon's own
reading) on them the first time it is asked for, in about a second, and keeps it for the rest of
the session.  Nothing is unpickled: the model is always fitted from the CSV files.

:func:`~outstaff_analysis.csi.scores.score_csi` uses this model by default (``model="bundled"``);
``model=None`` scores with the lexicon alone, and an analyst's own fitted classifier replaces it.
"""

from __future__ import annotations

import functools
from importlib import resources

import pandas as pd

from .evaluation import read_labelled
from .lexicon import Lexicon
from .model import SentenceClassifier

TRAINING_FILES = ("training.csv", "training_2.csv", "csi_dev.csv")
"""Labelled sentence files of the package (``csi/lexicon/``) the bundled model is trained on."""


def bundled_training_data() -> pd.DataFrame:
    """The labelled sentences the bundled model is trained on.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~outstaff_analysis.csi.evaluation.LABEL_COLUMNS` plus ``source`` (the
        file each row comes from).
    """
    frames = []
    for name in TRAINING_FILES:
        with resources.as_file(resources.files("outstaff_analysis.csi") / "lexicon" / name) as path:
            frames.append(read_labelled(path).assign(source=name))
    return pd.concat(frames, ignore_index=True)


def bundled_model(lexicon: Lexicon | None = None) -> SentenceClassifier:
    """The lexicon + model classifier trained on :func:`bundled_training_data`.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Lexicon whose reading the model uses as features.  ``None``: the packaged lexicon, and the
        fitted model is cached (fitted once per session).  With another lexicon the model is
        fitted on each call (about a second): keep the result to reuse it.

    Returns
    -------
    SentenceClassifier
        Fitted.

    Examples
    --------
    >>> model = bundled_model()  # doctest: +SKIP
    >>> model.predict(["Замен почти не было."])  # doctest: +SKIP
    """
    if lexicon is None:
        return _packaged_model()
    return _fit(lexicon)


@functools.cache
def _packaged_model() -> SentenceClassifier:
    return _fit(None)


BUNDLED_C = 16.0
"""Inverse L2 penalty of the bundled model, chosen by 5-fold cross-validation on the bundled data
(4 -> 16: polarity accuracy 0.819 -> 0.826, factor macro-F1 0.805 -> 0.811)."""


def _fit(lexicon: Lexicon | None) -> SentenceClassifier:
    data = bundled_training_data()
    return SentenceClassifier(lexicon=lexicon, c=BUNDLED_C).fit(data["text"], data)


def resolve_model(model, lexicon: Lexicon | None = None):
    """The classifier ``model`` names: ``"bundled"`` -> :func:`bundled_model`, else ``model`` itself.

    Parameters
    ----------
    model : "bundled", SentenceClassifier or None
        ``None`` means the lexicon alone.
    lexicon : Lexicon, optional

    Raises
    ------
    ValueError
        If ``model`` is another string.
    """
    if isinstance(model, str):
        if model != "bundled":
            raise ValueError(f"The value for `model` must be 'bundled', None or a fitted SentenceClassifier, "
                             f"but {model!r} was passed")
        return bundled_model(lexicon)
    return model


__all__ = ["BUNDLED_C", "TRAINING_FILES", "bundled_model", "bundled_training_data", "resolve_model"]
