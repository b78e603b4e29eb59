"""Which sentences speak of which factor, and which way: rules compared by cross-validation on the package's sentences.

Run as ``.venv/bin/python benchmarks/cv_factor_rules.py [--corpora ../shared/corpora]``.  The
folds are those the bundled model is trained with (:func:`outstaff_analysis.csi.train.project_folds`:
5 folds over the package's labelled sentences, ``training_2.csv`` never tested): in each, the whole
classifier is fitted as ``make model`` fits it (every public corpus and the other folds, the bundled
settings) and scores the sentences left out

* with the factor heads alone (``SentenceClassifier(lexicon_factors=False)``),
* with the factors the lexicon reads that the heads missed as well, the factor heads' signs
  everywhere (``P_f(+) * P(positive) - P_f(-) * P(negative)``),
* as shipped: the same, and a sentence that speaks of one factor only takes the sentence's polarity
  (``P(spoken of) * (P(positive) - P(negative))``).

Prints factor macro-F1 (detection and signed), mean precision and recall over the factors, pooled
over the folds.  ``tests/data/csi_eval.csv`` is not read: it is the record, not the judge.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pandas as pd

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.evaluation import factor_scores, labels_from_scores, summary_scores
from outstaff_analysis.csi.train import (
    DEFAULT_CORPORA,
    TrainingConfig,
    _weights,
    load_training_data,
    project_folds,
    usable_rows,
)

ROOT = Path(__file__).resolve().parents[1]


def _head_signs(model, texts: list[str], scored: pd.DataFrame) -> pd.DataFrame:
    """``scored`` with the factor heads' signs also where a sentence speaks of one factor only."""
    x = model.features(texts)
    polarity = model._proba(x, "polarity")
    single = scored[list(FACTORS)].notna().sum(axis=1).to_numpy() == 1
    out = scored.copy()
    for factor in FACTORS:
        head = model._proba(x, factor)
        value = (head["+"] * polarity["positive"] - head["-"] * polarity["negative"]).to_numpy()
        spoken_by_head = (head.idxmax(axis=1) != "").to_numpy()
        rows = single & scored[factor].notna().to_numpy() & spoken_by_head
        out.loc[rows, factor] = value[rows]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT / DEFAULT_CORPORA)
    args = parser.parse_args()
    config = TrainingConfig()
    data = load_training_data(args.corpora, classifier=config.classifier())
    frame, usable = data.frame, usable_rows(data.frame, config)
    rules = ["factor heads alone", "heads + the lexicon's factors, heads' signs", "shipped: one factor, its polarity"]
    predicted = {name: [] for name in rules}
    for train, test in project_folds(frame):
        rows = usable & train
        model = config.classifier().fit(frame["text"][rows].tolist(), frame.loc[rows],
                                        sample_weight=_weights(frame, config)[rows], x=data.x[rows])
        texts = frame["text"][test].tolist()
        model.lexicon_factors = False
        heads = model.score_texts(texts)
        model.lexicon_factors = True
        shipped = model.score_texts(texts)
        for name, scored in zip(rules, (heads, _head_signs(model, texts, shipped), shipped)):
            predicted[name].append(labels_from_scores(scored).set_index(frame.index[test]))
    tested = pd.concat(predicted[rules[0]]).index
    gold = frame.loc[tested].fillna("")
    table = []
    for name in rules:
        labels = pd.concat(predicted[name]).loc[tested]
        per_factor = factor_scores(gold, labels)
        scores = summary_scores(gold, labels)
        table.append({"rule": name, "factor_macro_f1": scores["factor_macro_f1"],
                      "factor_macro_f1_signed": scores["factor_macro_f1_signed"],
                      "precision": per_factor["precision"].mean(), "recall": per_factor["recall"].mean(),
                      "signed_precision": per_factor["signed_precision"].mean()})
    print(f"5-fold cross-validation on {len(gold)} of the package's labelled sentences "
          f"(settings {dataclasses.asdict(config)}):")
    print(pd.DataFrame(table).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
