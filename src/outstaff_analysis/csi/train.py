"""Train the bundled sentence model and write it into the package: ``python -m outstaff_analysis.csi.train``.

Reproducible (``make model``): reads the public corpora (:mod:`.public_corpora`, from
``../shared/corpora`` by default) and the project's labelled sentences (:mod:`.bundled`), chooses
the settings on data it does not score itself, calibrates, fits on everything and writes
``csi/model/bundled.npz`` + ``bundled.json``.

Settings (:class:`TrainingConfig`: SGD penalty of the heads, weight of the project's sentences,
whether ``training_2.csv`` is used) are chosen by

* leave-one-corpus-out cross-validation on the public corpora: train on the other corpora plus
  the project's sentences, score the corpus left out (macro-F1 per corpus and language);
* 5-fold cross-validation on the project's sentences (``training_2.csv`` is never a test fold:
  it is the candidate being judged);

see :func:`select` for how they are weighed.  ``tests/data/csi_eval.csv`` is never read here.  The polarity probabilities
are calibrated by one temperature fitted on the out-of-fold logits of both, each sentence weighted as in training.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from ..config import FACTORS
from .bundled import MODEL_NAME, TRAINING_FILES, bundled_training_data
from .evaluation import POLARITIES, summary_scores
from .features import vader_features
from .model import LinearHead, SentenceClassifier
from .public_corpora import CORPORA, file_hashes, load_public_corpora
from .sentences import sentence_table

DEFAULT_CORPORA = Path("..") / "shared" / "corpora"
"""Where the public corpora are, relative to the project checkout."""

CANDIDATE = "training_2.csv"
"""The project file whose use is decided by cross-validation (sarcasm-heavy; see the issue)."""


TRAINING_2 = ("none", "literal", "all")
"""How much of ``training_2.csv`` is used: none, the rows whose label agrees with the sign of the
lexicon's and VADER's reading (no sarcasm: "Oh great, another new developer" is dropped), or all."""


@dataclasses.dataclass(frozen=True)
class TrainingConfig:
    """Settings chosen by cross-validation (the defaults are the last choice of :func:`select`).

    Attributes
    ----------
    alpha : float
        L2 penalty of the heads (:class:`~outstaff_analysis.csi.model.SentenceClassifier`).
    project_weight : float
        Weight of each project sentence relative to a corpus sentence.
    training_2 : str
        One of :data:`TRAINING_2`.
    embedding_scale : float
        Weight of the mean navec vector of a sentence's Russian words among its features
        (:mod:`~outstaff_analysis.csi.embeddings`; 0: none).  Not searched by :func:`select`: 0.5
        is the best of 0, 0.25, 0.5, 1, 2, 3 and 10 by leave-one-corpus-out (Russian macro-F1 0.513
        -> 0.529; README, "How well").
    """

    alpha: float = 1e-5
    project_weight: float = 12.0
    training_2: str = "none"
    embedding_scale: float = 0.5

    def classifier(self) -> SentenceClassifier:
        """An unfitted classifier with these settings (no character n-grams: they double the scoring time)."""
        return SentenceClassifier(char_range=None, alpha=self.alpha, embedding_scale=self.embedding_scale)


WEIGHTS = (4.0, 12.0)
"""Project sentence weights compared by :func:`select` (stage 1)."""

ALPHAS = (1e-5, 3e-5)
"""L2 penalties compared by :func:`select` (stage 1)."""


@dataclasses.dataclass
class TrainingData:
    """Every training sentence with its labels and features (computed once, shared by all folds)."""

    frame: pd.DataFrame
    """``text, lang, corpus`` (a public corpus or ``"project"``), ``source`` (file) and the labels
    (``polarity``; factor columns NaN for corpus sentences)."""
    x: sparse.csr_matrix


def load_training_data(corpora_dir, *, classifier: SentenceClassifier | None = None) -> TrainingData:
    """Read the public corpora and the project's sentences and featurise them once.

    Parameters
    ----------
    corpora_dir : path-like
        The public corpora folder.
    classifier : SentenceClassifier, optional
        Whose feature settings to use (default: :meth:`TrainingConfig.classifier`).
    """
    public = load_public_corpora(corpora_dir).rename(columns={"file": "source"})
    project = bundled_training_data().assign(corpus="project")
    frame = pd.concat([public.assign(**{f: np.nan for f in FACTORS}),
                       project[["text", "lang", "polarity", *FACTORS, "corpus", "source"]]], ignore_index=True)
    frame[list(FACTORS)] = frame[list(FACTORS)].astype(object)
    classifier = classifier or TrainingConfig().classifier()
    frame["literal"] = _literal(frame)
    return TrainingData(frame=frame, x=classifier.features(frame["text"]))


def _literal(frame: pd.DataFrame) -> np.ndarray:
    """Whether a sentence's label does not contradict the sign of the lexicon's nor VADER's reading."""
    lexicon = sentence_table(frame["text"])["polarity_score"].to_numpy()
    vader = vader_features(frame["text"].tolist())[:, 2]
    label = frame["polarity"].to_numpy()
    against = ((label == "negative") & ((lexicon > 0) | (vader >= 0.05))) \
        | ((label == "positive") & ((lexicon < 0) | (vader <= -0.05)))
    return ~against


def _weights(frame: pd.DataFrame, config: TrainingConfig) -> np.ndarray:
    return np.where(frame["corpus"] == "project", config.project_weight, 1.0)


def usable_rows(frame: pd.DataFrame, config: TrainingConfig) -> np.ndarray:
    """Rows of :attr:`TrainingData.frame` a model with ``config`` is trained on."""
    candidate = (frame["source"] == CANDIDATE).to_numpy()
    if config.training_2 == "all":
        return np.ones(len(frame), dtype=bool)
    if config.training_2 == "literal":
        return ~candidate | frame["literal"].to_numpy()
    return ~candidate


def _polarity_logits(data: TrainingData, train: np.ndarray, test: np.ndarray, config: TrainingConfig) -> np.ndarray:
    """Fit the polarity head on ``train`` rows; logits of ``test`` rows (columns :data:`POLARITIES`)."""
    frame = data.frame
    estimator = config.classifier().estimator()
    estimator.fit(data.x[train], frame["polarity"].to_numpy()[train], sample_weight=_weights(frame, config)[train])
    head = LinearHead.from_linear(estimator)
    return pd.DataFrame(head.logits(data.x[test]), columns=head.classes).reindex(columns=list(POLARITIES)).to_numpy()


def _macro_f1(gold, predicted) -> float:
    return float(f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0))


def leave_one_corpus_out(data: TrainingData, config: TrainingConfig) -> tuple[pd.DataFrame, np.ndarray]:
    """Polarity scores on each public corpus by a model trained on the other corpora and the project's sentences.

    Returns
    -------
    scores : pandas.DataFrame
        One row per left-out corpus and language: ``corpus, lang, n, accuracy, macro_f1``.
    logits : numpy.ndarray
        Out-of-fold polarity logits of every corpus sentence (NaN for project rows).
    """
    frame = data.frame
    usable = usable_rows(frame, config)
    logits = np.full((len(frame), len(POLARITIES)), np.nan)
    rows = []
    for corpus in CORPORA:
        test = (frame["corpus"] == corpus).to_numpy()
        logits[test] = _polarity_logits(data, usable & ~test, test, config)
        predicted = np.asarray(POLARITIES)[logits[test].argmax(axis=1)]
        part = frame.loc[test].assign(predicted=predicted)
        for lang, sub in part.groupby("lang"):
            rows.append({"corpus": corpus, "lang": lang, "n": len(sub),
                         "accuracy": float((sub["polarity"] == sub["predicted"]).mean()),
                         "macro_f1": _macro_f1(sub["polarity"], sub["predicted"])})
    return pd.DataFrame(rows), logits


def project_folds(frame: pd.DataFrame, n_splits: int = 5, seed: int = 0):
    """``(train mask, test mask)`` pairs over the project's sentences (``training_2.csv`` never tested)."""
    project = (frame["corpus"] == "project").to_numpy()
    testable = np.flatnonzero(project & (frame["source"] != CANDIDATE).to_numpy())
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for _, test_index in folds.split(testable, frame["polarity"].to_numpy()[testable]):
        test = np.zeros(len(frame), dtype=bool)
        test[testable[test_index]] = True
        yield ~test, test


def project_cv(data: TrainingData, config: TrainingConfig, *, factors: bool = False) -> tuple[dict, np.ndarray]:
    """5-fold cross-validation on the project's sentences (trained with every public corpus too).

    Parameters
    ----------
    factors : bool
        Fit the whole model in each fold and score factors too (slower); otherwise polarity only.

    Returns
    -------
    scores : dict
        ``polarity_accuracy`` (and with ``factors``, the rest of
        :func:`~outstaff_analysis.csi.evaluation.summary_scores`), pooled over folds.
    logits : numpy.ndarray
        Out-of-fold polarity logits of the tested project sentences (NaN elsewhere).
    """
    frame = data.frame
    usable = usable_rows(frame, config)
    logits = np.full((len(frame), len(POLARITIES)), np.nan)
    predicted = []
    for train, test in project_folds(frame):
        if factors:
            model = config.classifier().fit(frame["text"][usable & train].tolist(), frame.loc[usable & train],
                                            sample_weight=_weights(frame, config)[usable & train],
                                            x=data.x[usable & train])
            logits[test] = model.polarity_logits(frame["text"][test].tolist(), x=data.x[test])
            predicted.append(model.predict(frame["text"][test].tolist()).set_index(frame.index[test]))
        else:
            logits[test] = _polarity_logits(data, usable & train, test, config)
    tested = ~np.isnan(logits[:, 0])
    if factors:
        gold = frame.loc[tested].fillna("")
        return summary_scores(gold, pd.concat(predicted).loc[gold.index]), logits
    labels = np.asarray(POLARITIES)[logits[tested].argmax(axis=1)]
    return {"polarity_accuracy": float((frame["polarity"].to_numpy()[tested] == labels).mean())}, logits


def selection_score(loco: pd.DataFrame, project: dict) -> float:
    """Mean of the English and Russian leave-one-corpus-out macro-F1 and the project polarity accuracy."""
    by_lang = loco.groupby("lang")["macro_f1"].mean()
    return float(np.mean([by_lang.get("en", np.nan), by_lang.get("ru", np.nan), project["polarity_accuracy"]]))


def _row(data: TrainingData, config: TrainingConfig, log) -> dict:
    loco, _ = leave_one_corpus_out(data, config)
    project, _ = project_cv(data, config)
    by_lang = loco.groupby("lang")["macro_f1"].mean()
    row = {**dataclasses.asdict(config), "loco_f1_en": by_lang["en"], "loco_f1_ru": by_lang["ru"],
           "loco_f1_mean": float(by_lang.mean()),
           **{f"loco_f1_{r.corpus}_{r.lang}": r.macro_f1 for r in loco.itertuples()},
           "project_polarity_accuracy": project["polarity_accuracy"], "score": selection_score(loco, project)}
    log(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()))
    return row


def select(data: TrainingData, *, weights: Sequence[float] = WEIGHTS, alphas: Sequence[float] = ALPHAS,
           log=print) -> tuple[TrainingConfig, pd.DataFrame]:
    """Choose the settings in two stages.

    1. The project weight and the penalty (without ``training_2.csv``) by :func:`selection_score`.
    2. ``training_2.csv`` (:data:`TRAINING_2`) at those, by the leave-one-corpus-out
       macro-F1 alone: the project's other sentences were written by the same hands, so only
       the public corpora can say whether it generalises.  It is kept only if it does not lower it.

    Returns
    -------
    config : TrainingConfig
    table : pandas.DataFrame
        One row per setting tried.
    """
    rows = [_row(data, TrainingConfig(alpha=a, project_weight=w), log) for a in alphas for w in weights]
    first = max(rows, key=lambda r: r["score"])
    weight, alpha = first["project_weight"], first["alpha"]
    rows += [_row(data, TrainingConfig(alpha=alpha, project_weight=weight, training_2=t), log)
             for t in TRAINING_2 if t != "none"]
    table = pd.DataFrame(rows)
    stage2 = table[(table["project_weight"] == weight) & (table["alpha"] == alpha)]
    best = stage2.loc[stage2["loco_f1_mean"].idxmax()]
    return TrainingConfig(alpha=alpha, project_weight=float(weight), training_2=str(best["training_2"])), table


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def project_hashes() -> dict[str, str]:
    """sha256 of the package's labelled sentence files."""
    folder = resources.files("outstaff_analysis.csi") / "lexicon"
    out = {}
    for name in TRAINING_FILES:
        with resources.as_file(folder / name) as path:
            out[name] = _sha256(path)
    return out


def train(corpora_dir, out, *, quick: bool = False, log=print) -> SentenceClassifier:
    """Choose settings (:func:`select`), calibrate, fit on everything and save to ``out`` (without extension).

    ``quick``: skip the selection, use the default :class:`TrainingConfig`.

    Returns
    -------
    SentenceClassifier
        The fitted, calibrated model (as saved).
    """
    log(f"reading and featurising the public corpora in {corpora_dir} and the project's sentences")
    data = load_training_data(corpora_dir)
    frame = data.frame
    log(f"{len(frame)} sentences: " + ", ".join(f"{k}: {v}" for k, v in frame["corpus"].value_counts().items()))
    if quick:
        best, table = TrainingConfig(), pd.DataFrame()
    else:
        best, table = select(data, log=log)
    log(f"chosen: {best}")
    loco, loco_logits = leave_one_corpus_out(data, best)  # again, for its out-of-fold logits
    project, project_logits = project_cv(data, best, factors=True)
    logits = np.where(np.isnan(loco_logits), project_logits, loco_logits)
    held = ~np.isnan(logits[:, 0])
    usable = usable_rows(frame, best)
    model = best.classifier().fit(frame["text"][usable].tolist(), frame.loc[usable],
                                  sample_weight=_weights(frame, best)[usable], x=data.x[usable])
    # weighted as in training: fitted on the public corpora alone (19 of 20 held-out rows), the temperature made the
    # model under-confident on the project's client sentences (expected calibration error 0.24 there)
    temperature = model.calibrate(logits[held], frame["polarity"].to_numpy()[held],
                                  sample_weight=_weights(frame, best)[held])
    log(f"temperature {temperature:.3f}; leave-one-corpus-out:\n{loco.to_string(index=False)}\nproject CV: {project}")
    metadata = {
        "version": _sha256_of_settings(best, frame),
        "trained_on": {"public_corpora": file_hashes(corpora_dir), "project_sentences": project_hashes()},
        "rows": {k: int(v) for k, v in frame.loc[usable, "corpus"].value_counts().items()},
        "label_mapping": "see outstaff_analysis.csi.public_corpora",
        "settings": dataclasses.asdict(best),
        "selection": table.to_dict(orient="records"),
        "leave_one_corpus_out": loco.to_dict(orient="records"),
        "project_cv": project,
        "temperature": temperature,
        "command": "python -m outstaff_analysis.csi.train",
    }
    model.metadata_ = metadata
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    model.save(out, metadata=metadata)
    log(f"wrote {Path(out).with_suffix('.npz')} and {Path(out).with_suffix('.json')}")
    return model


def _sha256_of_settings(config: TrainingConfig, frame: pd.DataFrame) -> str:
    """A short identifier of the settings and the training texts (same inputs -> same version)."""
    digest = hashlib.sha256(json.dumps(dataclasses.asdict(config), sort_keys=True).encode())
    digest.update("\n".join(frame["text"]).encode())
    return digest.hexdigest()[:12]


def default_output() -> Path:
    """``csi/model/bundled`` inside the package source tree."""
    return Path(__file__).resolve().parent / "model" / MODEL_NAME


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m outstaff_analysis.csi.train [--corpora DIR] [--out PATH] [--quick]``."""
    parser = argparse.ArgumentParser(prog="python -m outstaff_analysis.csi.train", description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="public corpora folder")
    parser.add_argument("--out", type=Path, default=default_output(), help="model path without extension")
    parser.add_argument("--quick", action="store_true", help="skip the selection: use the default settings")
    args = parser.parse_args(argv)
    train(args.corpora, args.out, quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
