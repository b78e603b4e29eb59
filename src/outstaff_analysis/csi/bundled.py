"""The bundled model: a sentence classifier trained on public corpora and the project's sentences, shipped fitted.

The polarity head is trained on four public sentiment corpora in English and Russian (read from
``../shared/corpora`` at training time, never shipped; see :mod:`.public_corpora`) plus the
labelled client sentences of the package (``csi/lexicon/*.csv``, the format of
:func:`~outstaff_analysis.csi.evaluation.read_labelled`), weighted up; the factor heads on the
package's sentences.  :mod:`.train` fits it (``make model``) and writes it into the package as
``csi/model/bundled.npz`` (arrays, read with ``allow_pickle=False``) and ``bundled.json``
(settings, training data hashes, cross-validated scores).  :func:`bundled_model` loads it once per
session; nothing is fitted or unpickled at run time.

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

TRAINING_FILES = ("training.csv", "training_2.csv", "csi_dev.csv", "training_calls.csv")
"""Labelled sentence files of the package (``csi/lexicon/``): the project's own sentences."""

MODEL_NAME = "bundled"
"""``csi/model/<MODEL_NAME>.npz`` and ``.json`` in the package."""


def bundled_training_data(files: tuple[str, ...] = TRAINING_FILES) -> pd.DataFrame:
    """The project's labelled sentences.

    Parameters
    ----------
    files : tuple of str
        Files of ``csi/lexicon/`` to read (default: all of :data:`TRAINING_FILES`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~outstaff_analysis.csi.evaluation.LABEL_COLUMNS` plus ``source`` (the
        file each row comes from).
    """
    frames = []
    for name in files:
        with resources.as_file(resources.files("outstaff_analysis.csi") / "lexicon" / name) as path:
            frames.append(read_labelled(path).assign(source=name))
    return pd.concat(frames, ignore_index=True)


def bundled_model(lexicon: Lexicon | None = None) -> SentenceClassifier:
    """The fitted model shipped with the package.

    Parameters
    ----------
    lexicon : Lexicon, optional
        Lexicon whose reading the model uses as features.  ``None``: the packaged lexicon, and the
        loaded model is cached (read once per session).  Another lexicon is read with the same
        weights (the model is not refitted): keep the result to reuse it.

    Returns
    -------
    SentenceClassifier
        Fitted; :attr:`~SentenceClassifier.metadata_` says what it was trained on and how it
        scored in cross-validation.

    Examples
    --------
    >>> model = bundled_model()
    >>> model.predict(["Замен почти не было."])["polarity"].tolist()
    ['positive']
    """
    if lexicon is None:
        return _packaged_model()
    return _load(lexicon)


@functools.cache
def _packaged_model() -> SentenceClassifier:
    return _load(None)


def _load(lexicon: Lexicon | None) -> SentenceClassifier:
    with resources.as_file(resources.files("outstaff_analysis.csi") / "model" / f"{MODEL_NAME}.npz") as path:
        return SentenceClassifier.load(path.with_suffix(""), lexicon=lexicon)


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


__all__ = ["MODEL_NAME", "TRAINING_FILES", "bundled_model", "bundled_training_data", "resolve_model"]
