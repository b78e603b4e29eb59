"""How well sentence readings rank clients, out of fold on the package's sentences: readers and rules compared.

Run as ``.venv/bin/python benchmarks/cv_csi_ranking.py [--corpora ../shared/corpora]``.  The folds are those
of :func:`outstaff_analysis.csi.train.project_folds` (5 folds over the package's labelled sentences,
``training_2.csv`` never tested); in each the whole classifier is fitted as ``make model`` fits it and
reads the sentences left out.  Compared, on the pooled out-of-fold readings:

* the lexicon alone;
* the shipped rule (:meth:`~outstaff_analysis.csi.model.SentenceClassifier.score_texts`, the bundled
  model's calibration temperature);
* the same with the temperature fitted on the project's own out-of-fold logits;
* the model's evidence dropped where the lexicon reads the sentence neutral and no factor;
* the lexicon's contribution as the reading wherever the lexicon reads the factor, the model's
  elsewhere.

For each: factor macro-F1 (detection and signed) and polarity accuracy, and the Spearman correlation
of simulated client scores with the clients' true share of praise.  A simulated client has, per
factor, a true share ``q`` ~ U(0, 1), ``m`` sentences labelled with the factor (each praise with
probability ``q``, a complaint otherwise) and ``other`` sentences without it, drawn from the
out-of-fold pool; its factor score is the posterior mean reading of the sentences read as speaking
of the factor under the shipped prior (:data:`~outstaff_analysis.csi.scores.PRIOR_SENTENCES`
sentences at ``Settings.csi_prior_reading``), as :mod:`outstaff_analysis.csi.scores` computes it
for one interview.  The simulation knows only praise and complaint (the labels have no mixed
answers).  ``tests/data/csi_eval.csv`` and the demo are not read.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as st

from outstaff_analysis.config import DEFAULT_SETTINGS, FACTORS
from outstaff_analysis.csi.bundled import bundled_model
from outstaff_analysis.csi.evaluation import labels_from_scores, summary_scores
from outstaff_analysis.csi.model import fit_temperature
from outstaff_analysis.csi.scores import PRIOR_SENTENCES, reading
from outstaff_analysis.csi.sentences import sentence_table
from outstaff_analysis.csi.train import (
    DEFAULT_CORPORA,
    TrainingConfig,
    _weights,
    load_training_data,
    project_folds,
    usable_rows,
)

ROOT = Path(__file__).resolve().parents[1]
DESIGNS = ((1, 4, 10), (2, 8, 30), (5, 15, 30), (2, 8, 80), (5, 15, 100))
"""Simulated clients: (fewest, one more than the most sentences on the factor, other sentences)."""


def simulated_spearman(scored: pd.DataFrame, gold: pd.DataFrame, *, low: int, high: int, other: int,
                       clients: int = 400, seeds: int = 3) -> float:
    """Mean Spearman over factors and seeds of simulated clients' factor scores with their true share of praise."""
    values = scored[list(FACTORS)].to_numpy(dtype=float)
    labels = gold[list(FACTORS)].fillna("").to_numpy()
    prior, k0 = DEFAULT_SETTINGS.csi_prior_reading, PRIOR_SENTENCES
    out = []
    for seed in range(seeds):
        rng = np.random.default_rng(100 + seed)
        for k in range(len(FACTORS)):
            praise, complaint = np.flatnonzero(labels[:, k] == "+"), np.flatnonzero(labels[:, k] == "-")
            rest = np.flatnonzero(labels[:, k] == "")
            share, estimate = rng.uniform(0, 1, clients), np.empty(clients)
            for c in range(clients):
                m = rng.integers(low, high)
                n_praise = rng.binomial(m, share[c])
                pick = np.concatenate([rng.choice(praise, n_praise), rng.choice(complaint, m - n_praise),
                                       rng.choice(rest, other)])
                read = values[pick, k]
                read = reading(read[~np.isnan(read)])
                estimate[c] = (k0 * prior + read.sum()) / (k0 + len(read))
            out.append(st.spearmanr(estimate, share).statistic)
    return float(np.mean(out))


def _variants(model, texts: list[str], project_temperature: float) -> dict[str, pd.DataFrame]:
    lexicon = sentence_table(texts)
    shipped = model.score_texts(texts, scored=lexicon)
    model.temperature_ = project_temperature
    softer = model.score_texts(texts, scored=lexicon)
    own = lexicon[list(FACTORS)].to_numpy(dtype=float)
    read = shipped[list(FACTORS)].to_numpy(dtype=float)
    neutral = (lexicon["polarity"] == "neutral").to_numpy()[:, None]
    dropped = shipped.copy()
    dropped[list(FACTORS)] = np.where(neutral & np.isnan(own), np.nan, read)
    lexicon_read = shipped.copy()
    lexicon_read[list(FACTORS)] = np.where(np.isnan(own), read, np.clip(own, -1.0, 1.0))
    return {"lexicon alone": lexicon, "shipped rule": shipped,
            f"shipped rule, temperature {project_temperature:.2f} (project)": softer,
            "model evidence dropped where the lexicon reads neutral": dropped,
            "the lexicon's reading where it reads the factor": lexicon_read}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT / DEFAULT_CORPORA)
    args = parser.parse_args()
    config = TrainingConfig()
    data = load_training_data(args.corpora, classifier=config.classifier())
    frame, usable = data.frame, usable_rows(data.frame, config)
    shipped_temperature = bundled_model().temperature_
    folds, logits = [], []
    for train, test in project_folds(frame):
        rows = usable & train
        model = config.classifier().fit(frame["text"][rows].tolist(), frame.loc[rows],
                                        sample_weight=_weights(frame, config)[rows], x=data.x[rows])
        folds.append((model, test))
        logits.append(model.polarity_logits(None, x=data.x[test]))
    tested = np.concatenate([np.flatnonzero(test) for _, test in folds])
    project_temperature = fit_temperature(np.vstack(logits), frame["polarity"].to_numpy()[tested])
    pooled: dict[str, list] = {}
    for model, test in folds:
        model.temperature_ = shipped_temperature
        for name, scored in _variants(model, frame["text"][test].tolist(), project_temperature).items():
            pooled.setdefault(name, []).append(scored)
    gold = frame.iloc[tested].reset_index(drop=True)
    rows = []
    for name, parts in pooled.items():
        scored = pd.concat(parts, ignore_index=True)
        scores = summary_scores(gold.fillna(""), labels_from_scores(scored))
        row = {"rule": name, "factor_macro_f1": scores["factor_macro_f1"],
               "signed": scores["factor_macro_f1_signed"], "polarity": scores["polarity_accuracy"]}
        for low, high, other in DESIGNS:
            row[f"rank {low}-{high - 1}+{other}"] = simulated_spearman(scored, gold, low=low, high=high, other=other)
        rows.append(row)
    print(f"5-fold cross-validation on {len(gold)} of the package's labelled sentences (temperature: shipped "
          f"{shipped_temperature:.2f}, fitted on the project's out-of-fold logits {project_temperature:.2f}); "
          "rank a-b+c: Spearman of simulated clients' factor scores with their share of praise, a-b sentences "
          "on the factor and c others:")
    pd.set_option("display.width", 250)
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == "__main__":
    main()
