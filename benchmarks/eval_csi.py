"""Evaluate CSI sentence scoring on labelled sentences it was not tuned or trained on.

Run as ``.venv/bin/python benchmarks/eval_csi.py`` (default evaluation set ``tests/data/csi_eval.csv``).

Training data: the labelled sentences bundled with the package (``csi/lexicon/training.csv`` and
``csi/lexicon/csi_dev.csv``, :func:`outstaff_analysis.csi.bundled_training_data`).  The lexicon was
tuned on them and every model here is trained on them only; the evaluation set is never trained or
tuned on (the script checks that no evaluation sentence appears in the training data, and prints
no evaluation rows).

Prints, for each method, measured in the same run:

* per-factor precision / recall / F1.  *Detection*: the sentence speaks of the factor (gold ``+``
  or ``-``), whatever the sign.  *Signed*: it speaks of it with the right sign (a right factor with
  the wrong sign counts as one false positive and one false negative);
* factor macro-F1 (mean of the five per-factor F1, detection and signed);
* polarity accuracy, 3-class (positive / negative / neutral, all sentences) and on the sentences
  whose gold polarity is not neutral (the predicted label must still match exactly).

Methods:

* *majority* (baseline): the training data's most frequent polarity and no factor;
* *keyword* (baseline): the lexicon's words matched exactly as written in the data files (no
  lemmas, no multiword rules, no negation, contrast or other modifiers), weights summed;
* *lexicon*: the lexicon and its rules alone (``score_csi(..., model=None)``);
* *model*: lemma n-grams only, trained on the bundled training data;
* *bundled (default)*: lexicon + model trained on the bundled training data, what
  :func:`outstaff_analysis.csi.score_csi` uses by default (``model="bundled"``).

Then the cross-validated scores of the three on the bundled training data (``--folds 0`` skips them).
"""

from __future__ import annotations

import argparse
import io
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.bundled import BUNDLED_C, TRAINING_FILES, bundled_model, bundled_training_data
from outstaff_analysis.csi.evaluation import factor_scores, labels_from_scores, read_labelled, summary_scores
from outstaff_analysis.csi.lexicon import load_lexicon
from outstaff_analysis.csi.model import SentenceClassifier, cross_validate
from outstaff_analysis.csi.sentences import score_texts
from outstaff_analysis.csi.text import tokenize

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"polarity_accuracy": 0.85, "factor_macro_f1": 0.75}


def majority_baseline(train: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    """The training data's most frequent polarity, and no factor, for every sentence."""
    majority = train["polarity"].mode().iloc[0]
    return pd.DataFrame({**{f: [""] * len(test) for f in FACTORS}, "polarity": majority})


def _packaged(name: str) -> str:
    return (resources.files("outstaff_analysis.csi") / "lexicon" / name).read_text(encoding="utf-8")


def keyword_baseline(test: pd.DataFrame) -> pd.DataFrame:
    """Exact single-word matches of the lexicon's words as written; no lemmas, no rules."""
    factors: dict[str, set] = {}
    for factor, by_lang in yaml.safe_load(_packaged("factors.yaml")).items():
        for levels in by_lang.values():
            for words in levels.values():
                for word in words:
                    if " " not in word:
                        factors.setdefault(word.lower(), set()).add(factor)
    weights: dict[str, float] = {}
    sentiment = pd.read_csv(io.StringIO(_packaged("sentiment.csv")), dtype=str, keep_default_na=False)
    for row in sentiment.itertuples(index=False):
        if " " not in row.term and not row.when:
            weights[row.term.lower()] = float(row.weight)
            if row.implies:
                factors.setdefault(row.term.lower(), set()).add(row.implies)
    band = load_lexicon().rules["neutral_band"]
    rows = []
    for text in test["text"]:
        words = tokenize(text)
        score = sum(weights.get(w, 0.0) for w in words)
        mentioned = set().union(*(factors.get(w, set()) for w in words))
        sign = "+" if score > 0 else "-" if score < 0 else ""
        polarity = "positive" if score > band else "negative" if score < -band else "neutral"
        rows.append({**{f: sign if f in mentioned else "" for f in FACTORS}, "polarity": polarity})
    return pd.DataFrame(rows)


def _headline(name: str, gold: pd.DataFrame, predicted: pd.DataFrame) -> dict:
    return {"method": name, **summary_scores(gold, predicted)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=ROOT / "tests" / "data" / "csi_eval.csv")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds on the training data (0: skip)")
    args = parser.parse_args()
    pd.set_option("display.width", 160)
    pd.set_option("display.float_format", "{:.3f}".format)

    gold = read_labelled(args.eval)
    train = bundled_training_data()
    shared = len(set(gold["text"].str.strip().str.lower()) & set(train["text"].str.strip().str.lower()))
    print(f"evaluation set: {args.eval.name}, {len(gold)} sentences "
          f"({', '.join(f'{k}: {v}' for k, v in gold['lang'].value_counts().sort_index().items())}); "
          f"polarity {gold['polarity'].value_counts().to_dict()}")
    sources = ", ".join(f"{name}: {n}" for name, n in train["source"].value_counts().items())
    print(f"training data (lexicon tuning and every model's training; bundled with the package): {len(train)} "
          f"sentences ({sources}); evaluation sentences also in the training data: {shared}\n")

    methods = {
        "majority": majority_baseline(train, gold),
        "keyword": keyword_baseline(gold),
        "lexicon": labels_from_scores(score_texts(gold["text"])),
        "model": SentenceClassifier(use_lexicon=False).fit(train["text"], train).predict(gold["text"]),
        "bundled (default)": labels_from_scores(score_texts(gold["text"], model=bundled_model())),
    }
    for name in ("lexicon", "bundled (default)"):
        print(f"Per-factor scores of {name} (detection: the factor is spoken of; signed: and with the right sign)")
        print(factor_scores(gold, methods[name]).to_string(index=False), "\n")

    rows = [_headline(name, gold, predicted) for name, predicted in methods.items()]
    for lang in sorted(gold["lang"].unique()):
        mask = (gold["lang"] == lang).to_numpy()
        sub = gold.loc[mask].reset_index(drop=True)
        rows += [_headline(f"{name} [{lang}]", sub, predicted.loc[mask].reset_index(drop=True))
                 for name, predicted in methods.items()]
    table = pd.DataFrame(rows)
    print("Headline (factor_macro_f1: mean detection F1 over the 5 factors; polarity_accuracy: 3-class over all "
          "sentences; polarity_accuracy_polar: on gold positive/negative sentences)")
    print(table.to_string(index=False), "\n")

    if shared:  # the same words written twice by independent authors ("Thanks, that's all."): score without them
        fresh = ~gold["text"].str.strip().str.lower().isin(set(train["text"].str.strip().str.lower())).to_numpy()
        rows = [_headline(f"{name} [not in training]", gold.loc[fresh].reset_index(drop=True),
                          methods[name].loc[fresh].reset_index(drop=True)) for name in ("lexicon", "bundled (default)")]
        print(f"Without the {shared} evaluation sentences that also occur in the training data:")
        print(pd.DataFrame(rows).to_string(index=False), "\n")

    headline = table.set_index("method")
    for name in ("lexicon", "bundled (default)"):
        for metric, target in TARGETS.items():
            verdict = "meets" if headline.loc[name, metric] >= target else "BELOW"
            print(f"target {metric} >= {target}: {name} {headline.loc[name, metric]:.3f} ({verdict})")
    if args.folds:
        print(f"\nOn the training data only ({' + '.join(TRAINING_FILES)}); 'lexicon+model' is the bundled default:")
        cross_validate(train, n_splits=args.folds, c=BUNDLED_C)


if __name__ == "__main__":
    main()
