"""Which sentences speak of which factor: the rules compared by cross-validation on the package's sentences.

Run as ``.venv/bin/python benchmarks/cv_factor_rules.py [--corpora ../shared/corpora]``.  The
folds are those the bundled model is trained with (:func:`outstaff_analysis.csi.train.project_folds`:
5 folds over the package's labelled sentences, ``training_2.csv`` never tested): in each, the whole
classifier is fitted as ``make model`` fits it (every public corpus and the other folds, the bundled
settings) and scores the sentences left out, once with the factor heads alone and once with the
factors the lexicon reads that the heads missed (``SentenceClassifier(lexicon_factors=...)``).
Prints factor macro-F1 (detection and signed), mean precision and recall over the factors, pooled
over the folds.  ``tests/data/csi_eval.csv`` is not read: it is the record, not the judge.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pandas as pd

from outstaff_analysis.csi.evaluation import factor_scores, summary_scores
from outstaff_analysis.csi.train import (
    DEFAULT_CORPORA,
    TrainingConfig,
    _weights,
    load_training_data,
    project_folds,
    usable_rows,
)

ROOT = Path(__file__).resolve().parents[1]
RULES = {"factor heads alone": False, "heads + the lexicon's factors": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT / DEFAULT_CORPORA)
    args = parser.parse_args()
    config = TrainingConfig()
    data = load_training_data(args.corpora, classifier=config.classifier())
    frame, usable = data.frame, usable_rows(data.frame, config)
    predicted = {name: [] for name in RULES}
    for train, test in project_folds(frame):
        rows = usable & train
        model = config.classifier().fit(frame["text"][rows].tolist(), frame.loc[rows],
                                        sample_weight=_weights(frame, config)[rows], x=data.x[rows])
        texts = frame["text"][test].tolist()
        for name, lexicon_factors in RULES.items():
            model.lexicon_factors = lexicon_factors
            predicted[name].append(model.predict(texts).set_index(frame.index[test]))
    tested = pd.concat(predicted[next(iter(RULES))]).index
    gold = frame.loc[tested].fillna("")
    rows = []
    for name in RULES:
        labels = pd.concat(predicted[name]).loc[tested]
        per_factor = factor_scores(gold, labels)
        scores = summary_scores(gold, labels)
        rows.append({"rule": name, "factor_macro_f1": scores["factor_macro_f1"],
                     "factor_macro_f1_signed": scores["factor_macro_f1_signed"],
                     "precision": per_factor["precision"].mean(), "recall": per_factor["recall"].mean(),
                     "signed_precision": per_factor["signed_precision"].mean()})
    print(f"5-fold cross-validation on {len(gold)} of the package's labelled sentences "
          f"(settings {dataclasses.asdict(config)}):")
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
