"""Train the packaged red-flag classifier: ``python -m outstaff_analysis.csi.redflag_training``.

Settings are chosen by stratified cross-validation on the packaged example sentences
(``csi/lexicon/red_flags_training.csv``) and nowhere else: for each penalty ``c`` of a small grid,
the lowest threshold whose out-of-fold precision reaches the target in each language, and of those
the penalty with the best out-of-fold recall in the weaker language; then each flag's own
threshold, where moving it raises that recall at the same precision target.  The model is then
fitted on every example and written next to them (``red_flags_model.npz`` and ``.json``), with the SHA-256 of
the training file it was fitted on.  An evaluation set is never read here.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from .language import LANGUAGES
from .redflag_model import (
    MODEL_STEM,
    NO_FLAG,
    TRAINING_FILE,
    RedFlagClassifier,
    lexicon_file,
    read_red_flag_examples,
)
from .redflags import find_red_flags


def out_of_fold_proba(examples: pd.DataFrame, *, c: float, n_splits: int = 5, seed: int = 0) -> pd.DataFrame:
    """Cross-validated flag probabilities of labelled sentences (each predicted by a model not fitted on it).

    Folds are stratified by language and flag.
    """
    examples = examples.reset_index(drop=True)
    strata = examples["lang"] + ":" + examples["flag"]
    parts = []
    for train, test in StratifiedKFold(n_splits, shuffle=True, random_state=seed).split(examples, strata):
        model = RedFlagClassifier(c=c).fit(examples["text"].iloc[train], examples["flag"].iloc[train])
        parts.append(model.predict_proba(examples["text"].iloc[test]).set_index(test))
    return pd.concat(parts).sort_index()


def recall_precision(gold: Sequence[str], raised: Sequence[Sequence[str]]) -> tuple[float, float, int]:
    """Recall over flagged sentences, precision over raised flags, and the number of raised flags.

    A raised flag is right when it is the sentence's gold flag; a sentence is recalled when its gold
    flag is among those raised.
    """
    hits = sum(g in r for g, r in zip(gold, raised))
    n_raised = sum(len(r) for r in raised)
    n_flagged = sum(g != NO_FLAG for g in gold)
    return hits / max(n_flagged, 1), (hits / n_raised if n_raised else float("nan")), n_raised


def pattern_flags(examples: pd.DataFrame) -> list[tuple[str, ...]]:
    """The flags the patterns alone raise in each example sentence."""
    return [tuple(flag for flag, _ in find_red_flags(text, language=lang, model=None))
            for text, lang in zip(examples["text"], examples["lang"])]


def red_flag_scores(examples: pd.DataFrame, *, model="bundled") -> pd.DataFrame:
    """Recall and precision of :func:`~outstaff_analysis.csi.redflags.find_red_flags` on labelled sentences.

    Parameters
    ----------
    examples : pandas.DataFrame
        Columns ``text, lang, flag`` (``flag``: a red-flag code or ``"none"``).
    model : "bundled", RedFlagClassifier or None
        As in :func:`~outstaff_analysis.csi.redflags.find_red_flags` (``None``: patterns alone).

    Returns
    -------
    pandas.DataFrame
        One row per language and scope (``"all"``, then each flag): ``lang, flag, n, recall,
        precision, n_raised``.  A flag's precision counts the sentences it was raised on.
    """
    raised = [tuple(flag for flag, _ in find_red_flags(text, language=lang, model=model))
              for text, lang in zip(examples["text"], examples["lang"])]
    rows = []
    for lang in LANGUAGES:
        mask = (examples["lang"] == lang).to_numpy()
        gold = examples["flag"].to_numpy()[mask]
        mine = [raised[i] for i in np.flatnonzero(mask)]
        recall, precision, n_raised = recall_precision(gold, mine)
        rows.append({"lang": lang, "flag": "all", "n": int((gold != NO_FLAG).sum()), "recall": recall,
                     "precision": precision, "n_raised": n_raised})
        for flag in sorted(set(gold) - {NO_FLAG}):
            hits = sum(g == flag and flag in r for g, r in zip(gold, mine))
            fired = sum(flag in r for r in mine)
            rows.append({"lang": lang, "flag": flag, "n": int((gold == flag).sum()),
                         "recall": hits / max(int((gold == flag).sum()), 1),
                         "precision": hits / fired if fired else float("nan"), "n_raised": fired})
    return pd.DataFrame(rows)


THRESHOLD_GRID = tuple(np.round(np.arange(0.30, 0.951, 0.025), 3))
"""Probability thresholds tried, for all flags at once and then for each flag."""


def choose_settings(examples: pd.DataFrame, *, grid=(16.0, 32.0), min_precision: float = 0.9,
                    n_splits: int = 5, seed: int = 0) -> tuple[float, float, dict, pd.DataFrame]:
    """The penalty and thresholds with the best cross-validated recall at ``min_precision`` in each language.

    What is scored is what :func:`~outstaff_analysis.csi.redflags.find_red_flags` raises: the
    patterns' flags together with the out-of-fold model's.  For each penalty of ``grid``, the lowest
    threshold of :data:`THRESHOLD_GRID` whose precision reaches ``min_precision`` in each language;
    the penalty whose weaker language then has the best recall.  Then each flag's own threshold is
    moved along the grid, flag by flag (twice round), while that raises the weaker language's recall
    (or, at equal recall, its precision) and keeps the precision of each language at
    ``min_precision``.

    Returns
    -------
    c, threshold : float
    thresholds : dict
        Flag -> its own threshold, for the flags whose threshold is not ``threshold``.
    table : pandas.DataFrame
        Per setting and language: cross-validated recall and precision.
    """
    patterns = pattern_flags(examples)
    rows, best = [], None
    for c in grid:
        proba = out_of_fold_proba(examples, c=c, n_splits=n_splits, seed=seed)
        scorer = _Scorer(examples, proba, patterns, min_precision)
        for threshold in THRESHOLD_GRID:
            common = np.full(len(scorer.flags), threshold)
            objective = scorer.objective(common)
            if objective[0] >= 0:
                rows += scorer.rows(f"c={c:g}, threshold {threshold:g}", common)
                if best is None or objective > best[0]:
                    best = (objective, c, float(threshold), scorer)
                break
    if best is None:
        raise ValueError(f"no setting reaches a cross-validated precision of {min_precision} in each language")
    objective, c, threshold, scorer = best
    values = np.full(len(scorer.flags), threshold)
    for _ in range(2):
        for j in range(len(values)):
            for value in THRESHOLD_GRID:
                trial = values.copy()
                trial[j] = value
                score = scorer.objective(trial)
                if score > objective:
                    objective, values = score, trial
    rows += scorer.rows(f"c={c:g}, each flag its own threshold", values)
    thresholds = {flag: float(v) for flag, v in zip(scorer.flags, values) if v != threshold}
    return c, threshold, thresholds, pd.DataFrame(rows)


class _Scorer:
    """Recall and precision per language of the patterns' flags plus out-of-fold probabilities over thresholds."""

    def __init__(self, examples: pd.DataFrame, proba: pd.DataFrame, patterns, min_precision: float):
        self.flags = list(proba.columns)
        self.proba = proba.to_numpy()
        self.patterns = np.array([[flag in found for flag in self.flags] for found in patterns], dtype=bool)
        self.gold = examples["flag"].to_numpy()[:, None] == np.array(self.flags, dtype=object)[None, :]
        self.languages = {lang: (examples["lang"] == lang).to_numpy() for lang in LANGUAGES}
        self.min_precision = min_precision

    def scores(self, thresholds: np.ndarray) -> dict:
        raised = (self.proba >= thresholds) | self.patterns
        out = {}
        for lang, mask in self.languages.items():
            hits = (raised[mask] & self.gold[mask]).sum()
            n_raised = raised[mask].sum()
            out[lang] = (hits / max(self.gold[mask].any(axis=1).sum(), 1), hits / n_raised if n_raised else 0.0)
        return out

    def objective(self, thresholds: np.ndarray) -> tuple[float, float]:
        """(recall, precision) of the weaker language, or (-1, -1) below the precision target."""
        scores = self.scores(thresholds).values()
        if any(precision < self.min_precision for _, precision in scores):
            return (-1.0, -1.0)
        return (min(recall for recall, _ in scores), min(precision for _, precision in scores))

    def rows(self, setting: str, thresholds: np.ndarray) -> list[dict]:
        return [{"setting": setting, "lang": lang, "recall": recall, "precision": precision}
                for lang, (recall, precision) in self.scores(thresholds).items()]


def train_bundled(out_dir: Path, *, folds: int = 5, seed: int = 0) -> RedFlagClassifier:
    """Choose settings by cross-validation on the packaged examples, fit on all of them and save."""
    examples = read_red_flag_examples()
    c, threshold, thresholds, table = choose_settings(examples, n_splits=folds, seed=seed)
    print(f"{folds}-fold cross-validation on {len(examples)} example sentences "
          f"(first threshold reaching the precision target, per penalty c; then each flag's own):")
    print(table.to_string(index=False, float_format="{:.3f}".format))
    print(f"chosen: c={c}, threshold={threshold}, per flag {thresholds}")
    model = RedFlagClassifier(c=c, threshold=threshold, thresholds=thresholds).fit(examples["text"],
                                                                                  examples["flag"])
    digest = hashlib.sha256(lexicon_file(TRAINING_FILE).read_bytes()).hexdigest()
    model.save(out_dir / MODEL_STEM, metadata={"training_file": TRAINING_FILE, "training_sha256": digest})
    return model


def main(argv: Sequence[str] | None = None) -> None:
    """Train the packaged red-flag model: ``python -m outstaff_analysis.csi.redflag_training``."""
    parser = argparse.ArgumentParser(description="Train the packaged red-flag classifier.")
    parser.add_argument("--out", type=Path, default=Path(str(lexicon_file(""))),
                        help="folder to write red_flags_model.npz/.json into (default: the package's lexicon)")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    train_bundled(args.out, folds=args.folds)


if __name__ == "__main__":
    main()


__all__ = [
    "THRESHOLD_GRID",
    "choose_settings",
    "out_of_fold_proba",
    "pattern_flags",
    "recall_precision",
    "red_flag_scores",
    "train_bundled",
]
