"""Evaluate CSI sentence scoring on labelled sentences it was not tuned on.

Run as ``.venv/bin/python benchmarks/eval_csi.py`` (defaults: evaluation set
``tests/data/csi_eval.csv``, development set ``tests/data/csi_dev.csv``).

Prints, for the lexicon scorer and two baselines measured in the same run:

* per-factor precision / recall / F1.  *Detection*: the sentence speaks of the factor (gold ``+``
  or ``-``), whatever the sign.  *Signed*: it speaks of it with the right sign (a right factor with
  the wrong sign counts as one false positive and one false negative);
* factor macro-F1 (mean of the five per-factor F1, detection and signed);
* polarity accuracy, 3-class (positive / negative / neutral, all sentences) and on the sentences
  whose gold polarity is not neutral (the predicted label must still match exactly).

Baselines: *majority* predicts the development set's most frequent polarity and no factor;
*keyword* matches the lexicon's words exactly as written in the data files (no lemmas, no
multiword rules, no negation, contrast or other modifiers) and sums their weights.

Then the trainable model (point 9): cross-validated on the development set, and trained on the
whole development set and scored on the evaluation set (lexicon vs model vs lexicon+model).
"""

from __future__ import annotations

import argparse
import io
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi.evaluation import factor_scores, labels_from_scores, read_labelled, summary_scores
from outstaff_analysis.csi.lexicon import load_lexicon
from outstaff_analysis.csi.model import compare_methods, cross_validate
from outstaff_analysis.csi.sentences import score_texts
from outstaff_analysis.csi.text import tokenize

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"polarity_accuracy": 0.85, "factor_macro_f1": 0.75}


def majority_baseline(dev: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    """The development set's most frequent polarity, and no factor, for every sentence."""
    majority = dev["polarity"].mode().iloc[0]
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
    parser.add_argument("--dev", type=Path, default=ROOT / "tests" / "data" / "csi_dev.csv")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    pd.set_option("display.width", 160)
    pd.set_option("display.float_format", "{:.3f}".format)

    gold = read_labelled(args.eval)
    dev = read_labelled(args.dev)
    print(f"evaluation set: {args.eval.name}, {len(gold)} sentences "
          f"({', '.join(f'{k}: {v}' for k, v in gold['lang'].value_counts().sort_index().items())}); "
          f"polarity {gold['polarity'].value_counts().to_dict()}")
    print(f"development set (lexicon tuning, model training): {args.dev.name}, {len(dev)} sentences\n")

    lexicon_labels = labels_from_scores(score_texts(gold["text"]))
    methods = {"majority": majority_baseline(dev, gold), "keyword": keyword_baseline(gold), "lexicon": lexicon_labels}

    print("Per-factor scores of the lexicon (detection: the factor is spoken of; signed: and with the right sign)")
    print(factor_scores(gold, lexicon_labels).to_string(index=False), "\n")

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

    lexicon_row = table.set_index("method").loc["lexicon"]
    for metric, target in TARGETS.items():
        verdict = "meets" if lexicon_row[metric] >= target else "BELOW"
        print(f"target {metric} >= {target}: lexicon {lexicon_row[metric]:.3f} ({verdict})")
    print()

    cross_validate(dev, n_splits=args.folds)
    print(f"\nTrained on all of {args.dev.name}, scored on {args.eval.name}:")
    print(compare_methods(dev, gold).to_string(index=False))
    per_lang = []
    for lang in sorted(gold["lang"].unique()):
        scores = compare_methods(dev, gold.loc[gold["lang"] == lang])
        per_lang.append(scores.assign(method=scores["method"] + f" [{lang}]"))
    print(pd.concat(per_lang).to_string(index=False))


if __name__ == "__main__":
    main()
