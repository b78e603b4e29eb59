"""Measure sentence scoring against labelled sentences.

Labelled sentences use one format (``csi/lexicon/csi_dev.csv`` and ``training.csv`` in the package):
``id, lang, text``, one column per factor holding ``"+"``, ``"-"`` or empty (the sentence does not
speak of the factor), and ``polarity`` (``positive``, ``negative`` or ``neutral``).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ..config import FACTORS
from ..exceptions import SchemaError

POLARITIES = ("positive", "negative", "neutral")
LABEL_COLUMNS = ["id", "lang", "text", *FACTORS, "polarity"]


def read_labelled(path: str | os.PathLike) -> pd.DataFrame:
    """Read a labelled-sentences CSV and check its values.

    Parameters
    ----------
    path : path
        CSV with columns :data:`LABEL_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        Factor columns hold ``"+"``, ``"-"`` or ``""``.

    Raises
    ------
    SchemaError
        If a column is missing or a value is not allowed (the message names row and column).
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in LABEL_COLUMNS if c not in frame.columns]
    if missing:
        raise SchemaError(path, f"missing columns {missing}; expected {LABEL_COLUMNS}")
    frame = frame[LABEL_COLUMNS].copy()
    for column, allowed in [*((f, ("+", "-", "")) for f in FACTORS), ("polarity", POLARITIES)]:
        frame[column] = frame[column].str.strip()
        bad = ~frame[column].isin(allowed)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise SchemaError(path, f"The value for `{column}` must be one of {list(allowed)}", row=row + 2,
                              column=column, value=frame[column].iloc[row])
    return frame


def labels_from_scores(scored: pd.DataFrame) -> pd.DataFrame:
    """Turn scored sentences (factor contributions, ``polarity``) into ``+``/``-``/empty labels."""
    out = pd.DataFrame(index=scored.index)
    for factor in FACTORS:
        value = scored[factor].to_numpy(dtype=float)
        out[factor] = np.where(value > 0, "+", np.where(value < 0, "-", ""))
    out["polarity"] = scored["polarity"].to_numpy()
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    precision = tp / n_pred if n_pred else np.nan
    recall = tp / n_gold if n_gold else np.nan
    f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else np.nan
    return precision, recall, f1


def factor_scores(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Per-factor precision, recall and F1.

    Two readings: ``detection`` (the sentence speaks of the factor, whatever the sign) and
    ``signed`` (it speaks of it and with the right sign; a right factor with the wrong sign is
    both a false positive and a false negative).

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``factor, n_gold, n_predicted, precision, recall, f1, signed_precision,
        signed_recall, signed_f1``.
    """
    rows = []
    for factor in FACTORS:
        g = gold[factor].to_numpy()
        p = predicted[factor].to_numpy()
        n_gold, n_pred = int((g != "").sum()), int((p != "").sum())
        detection = _prf(int(((g != "") & (p != "")).sum()), n_pred, n_gold)
        signed = _prf(int(((g != "") & (p == g)).sum()), n_pred, n_gold)
        rows.append((factor, n_gold, n_pred, *detection, *signed))
    return pd.DataFrame(rows, columns=["factor", "n_gold", "n_predicted", "precision", "recall", "f1",
                                       "signed_precision", "signed_recall", "signed_f1"])


def summary_scores(gold: pd.DataFrame, predicted: pd.DataFrame) -> dict:
    """Headline numbers of a labelled evaluation.

    Returns
    -------
    dict
        ``factor_macro_f1`` (mean over factors of the detection F1), ``factor_macro_f1_signed``,
        ``polarity_accuracy`` (3-class: positive/negative/neutral, all sentences) and
        ``polarity_accuracy_polar`` (on sentences whose gold polarity is not neutral).
    """
    per_factor = factor_scores(gold, predicted)
    g = gold["polarity"].to_numpy()
    p = predicted["polarity"].to_numpy()
    polar = g != "neutral"
    return {
        "factor_macro_f1": float(np.nanmean(per_factor["f1"])),
        "factor_macro_f1_signed": float(np.nanmean(per_factor["signed_f1"])),
        "polarity_accuracy": float(np.mean(g == p)),
        "polarity_accuracy_polar": float(np.mean(g[polar] == p[polar])) if polar.any() else np.nan,
    }


__all__ = ["LABEL_COLUMNS", "POLARITIES", "factor_scores", "labels_from_scores", "read_labelled", "summary_scores"]
