"""Evaluate CSI sentence scoring on text it was not trained or tuned on, against baselines measured in the same run.

Run as ``.venv/bin/python benchmarks/eval_csi.py [--corpora ../shared/corpora] [--skip a,b,c]``.

(a) **Leave-one-corpus-out** on the public corpora (:mod:`outstaff_analysis.csi.public_corpora`):
    the bundled model's settings (read from its metadata) are trained on the other corpora plus
    the project's sentences and scored on the corpus left out; accuracy and macro-F1 (over the
    classes the corpus has: UCI has no neutral) per corpus and language.  Baselines: the
    training rows' majority class, the lexicon alone, and VADER alone for English (compound
    >= 0.05 positive, <= -0.05 negative, the authors' thresholds).  Then a reliability table of
    the calibrated polarity probabilities: the temperature is fitted on the other corpora's
    out-of-fold logits and applied to the corpus left out (cross-fitted).
(b) **tests/data/csi_eval.csv** (held out; looked at once per change, never trained or tuned
    on): polarity accuracy and factor macro-F1 of the bundled model, the lexicon, the keyword
    baseline and the majority class.
(c) **The demo firm** (generated here with the package's demo, ``--clients``): Spearman
    correlation of each client-quarter's CSI and factor scores with the true satisfaction
    (:func:`~outstaff_analysis.demo.truth.client_quarter_satisfaction`: the mean of the quarter's
    calls that discussed the factor; for the CSI weighted by ``csi_weights`` over the factors it
    was built from), share of 95 % intervals that cover it, their median width and the mean
    error (:func:`~outstaff_analysis.csi.coverage.interval_coverage`, as
    ``eval_csi_intervals.py``); the bundled model and the lexicon alone.

Targets (issue 10) are printed next to the numbers; nothing here asserts.
"""

from __future__ import annotations

import argparse
import io
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from outstaff_analysis.config import FACTORS
from outstaff_analysis.csi import build_corpus, score_csi
from outstaff_analysis.csi.bundled import bundled_model, bundled_training_data
from outstaff_analysis.csi.coverage import interval_coverage
from outstaff_analysis.csi.evaluation import POLARITIES, labels_from_scores, read_labelled, summary_scores
from outstaff_analysis.csi.features import vader_features
from outstaff_analysis.csi.lexicon import load_lexicon
from outstaff_analysis.csi.model import fit_temperature, softmax
from outstaff_analysis.csi.public_corpora import CORPORA
from outstaff_analysis.csi.sentences import sentence_table
from outstaff_analysis.csi.text import tokenize
from outstaff_analysis.csi.train import TrainingConfig, leave_one_corpus_out, load_training_data, usable_rows
from outstaff_analysis.demo import generate_tables
from outstaff_analysis.demo.truth import client_quarter_satisfaction

ROOT = Path(__file__).resolve().parents[1]
TARGETS_A = {"en": 0.68, "ru": 0.62}
TARGETS_B = {"polarity_accuracy": 0.85, "factor_macro_f1": 0.80}
TARGET_SPEARMAN, TARGET_COVERAGE = 0.80, (0.93, 0.97)


def _macro_f1(gold, predicted) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0))


def _vader_labels(texts) -> np.ndarray:
    compound = vader_features(list(texts))[:, 2]
    return np.where(compound >= 0.05, "positive", np.where(compound <= -0.05, "negative", "neutral"))


def section_a(corpora: Path) -> None:
    print("=" * 100)
    print("(a) leave-one-corpus-out on the public corpora (train: other corpora + project sentences)")
    model = bundled_model()
    config = TrainingConfig(**model.metadata_["settings"])
    t0 = time.perf_counter()
    data = load_training_data(corpora, classifier=config.classifier())
    frame = data.frame
    print(f"featurised {len(frame):,} sentences in {time.perf_counter() - t0:.0f} s; settings {config}")
    _, logits = leave_one_corpus_out(data, config)
    lexicon_labels = sentence_table(frame["text"])["polarity"].to_numpy()
    usable = usable_rows(frame, config)
    rows = []
    for corpus in CORPORA:
        test = (frame["corpus"] == corpus).to_numpy()
        majority = frame.loc[usable & ~test, "polarity"].mode().iloc[0]
        for lang in sorted(frame.loc[test, "lang"].unique()):
            mask = test & (frame["lang"] == lang).to_numpy()
            gold = frame.loc[mask, "polarity"].to_numpy()
            methods = {"bundled": np.asarray(POLARITIES)[logits[mask].argmax(axis=1)],
                       "majority": np.full(mask.sum(), majority), "lexicon": lexicon_labels[mask]}
            if lang == "en":
                methods["vader"] = _vader_labels(frame.loc[mask, "text"])
            for name, predicted in methods.items():
                rows.append({"corpus": corpus, "lang": lang, "n": int(mask.sum()), "method": name,
                             "accuracy": float((gold == predicted).mean()), "macro_f1": _macro_f1(gold, predicted)})
    table = pd.DataFrame(rows)
    wide = table.pivot_table(index=["corpus", "lang", "n"], columns="method", values=["accuracy", "macro_f1"],
                             sort=False)
    print(wide.round(3).to_string(), "\n")
    means = table.groupby(["lang", "method"])["macro_f1"].mean().unstack()
    print("mean macro-F1 over the left-out corpora:")
    print(means.round(3).to_string())
    for lang, target in TARGETS_A.items():
        value = means.loc[lang, "bundled"]
        print(f"target (a) {lang}: mean macro-F1 >= {target}: {value:.3f} ({'meets' if value >= target else 'BELOW'})")
    for corpus in ("uci", "goemotions"):
        sub = table[(table["corpus"] == corpus) & (table["lang"] == "en")].set_index("method")["macro_f1"]
        print(f"target (a) above VADER on {corpus} (en): {sub['bundled']:.3f} vs {sub['vader']:.3f} "
              f"({'meets' if sub['bundled'] > sub['vader'] else 'BELOW'})")
    _reliability(frame, logits)


def _reliability(frame: pd.DataFrame, logits: np.ndarray) -> None:
    held = ~np.isnan(logits[:, 0])
    corpus = frame["corpus"].to_numpy()
    gold = frame["polarity"].to_numpy()
    raw, calibrated = np.zeros_like(logits), np.zeros_like(logits)
    for name in CORPORA:
        test = corpus == name
        others = held & ~test
        temperature = fit_temperature(logits[others], gold[others])
        raw[test] = softmax(logits[test])
        calibrated[test] = softmax(logits[test] / temperature)
    print("\nreliability of the polarity probability on the left-out corpora (temperature fitted on the others):")
    for name, proba in (("uncalibrated", raw[held]), ("calibrated", calibrated[held])):
        confidence = proba.max(axis=1)
        correct = np.asarray(POLARITIES)[proba.argmax(axis=1)] == gold[held]
        bins = pd.cut(confidence, [1 / 3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], include_lowest=True)
        table = pd.DataFrame({"confidence": confidence, "correct": correct}).groupby(bins, observed=True).agg(
            n=("correct", "size"), mean_confidence=("confidence", "mean"), accuracy=("correct", "mean"))
        ece = float((table["n"] * (table["mean_confidence"] - table["accuracy"]).abs()).sum() / table["n"].sum())
        print(f"{name} (expected calibration error {ece:.3f}):")
        print(table.round(3).to_string(), "\n")


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


def section_b(path: Path) -> None:
    print("=" * 100)
    gold = read_labelled(path)
    train = bundled_training_data()
    shared = len(set(gold["text"].str.strip().str.lower()) & set(train["text"].str.strip().str.lower()))
    print(f"(b) {path.name}: {len(gold)} held-out sentences ({gold['lang'].value_counts().to_dict()}); "
          f"also in the training data: {shared}")
    methods = {
        "majority": pd.DataFrame({**{f: [""] * len(gold) for f in FACTORS},
                                  "polarity": train["polarity"].mode().iloc[0]}),
        "keyword": keyword_baseline(gold),
        "lexicon": labels_from_scores(sentence_table(gold["text"])),
        "bundled": labels_from_scores(sentence_table(gold["text"], model=bundled_model())),
    }
    rows = []
    for lang in (None, *sorted(gold["lang"].unique())):
        mask = np.ones(len(gold), dtype=bool) if lang is None else (gold["lang"] == lang).to_numpy()
        sub = gold.loc[mask].reset_index(drop=True)
        for name, predicted in methods.items():
            rows.append({"lang": lang or "all", "method": name,
                         **summary_scores(sub, predicted.loc[mask].reset_index(drop=True))})
    table = pd.DataFrame(rows)
    print(table.round(3).to_string(index=False))
    head = table[(table["lang"] == "all") & (table["method"] == "bundled")].iloc[0]
    for metric, target in TARGETS_B.items():
        print(f"target (b) {metric} >= {target}: {head[metric]:.3f} ({'meets' if head[metric] >= target else 'BELOW'})")


def section_c(clients: int, seed: int) -> None:
    print("=" * 100)
    firm = generate_tables(seed=seed, clients=clients)
    interviews = firm.tables["interviews"]
    utterances = build_corpus(interviews, firm.transcripts)
    truth = client_quarter_satisfaction(firm.truth, interviews)
    print(f"(c) demo firm: seed {seed}, {clients} clients, {len(interviews)} interviews; truth: mean satisfaction of "
          f"the quarter's calls that discussed the factor x 100 (CSI: weighted by csi_weights over the factors "
          f"with enough evidence)")
    frames = []
    for name, model in (("bundled", "bundled"), ("lexicon", None)):
        result = score_csi(utterances, model=model)
        frames.append(interval_coverage(result.client_quarters, truth).assign(method=name))
        print(f"{name}: {len(result.evidence):,} evidence rows from {len(result.sentences):,} client sentences")
    table = pd.concat(frames, ignore_index=True)
    table["factor"] = pd.Categorical(table["factor"], categories=["csi", *FACTORS])
    table = table.sort_values(["method", "factor"], kind="stable")
    print(table[["method", "factor", "n", "spearman", "coverage", "median_width", "mean_error"]].round(3)
          .to_string(index=False))
    head = table[(table["method"] == "bundled") & (table["factor"] == "csi")].iloc[0]
    print(f"target (c) CSI Spearman >= {TARGET_SPEARMAN}: {head['spearman']:.3f} "
          f"({'meets' if head['spearman'] >= TARGET_SPEARMAN else 'BELOW'}); coverage in {TARGET_COVERAGE}: "
          f"{head['coverage']:.3f} "
          f"({'meets' if TARGET_COVERAGE[0] <= head['coverage'] <= TARGET_COVERAGE[1] else 'OUTSIDE'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--eval", type=Path, default=ROOT / "tests" / "data" / "csi_eval.csv")
    parser.add_argument("--clients", type=int, default=40, help="demo firm size for (c)")
    parser.add_argument("--seed", type=int, default=20240101, help="demo firm seed for (c) (the demo's default)")
    parser.add_argument("--skip", default="", help="comma-separated sections to skip (a, b, c)")
    args = parser.parse_args()
    pd.set_option("display.width", 180)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if "a" not in skip:
        section_a(args.corpora)
    if "b" not in skip:
        section_b(args.eval)
    if "c" not in skip:
        section_c(args.clients, args.seed)


if __name__ == "__main__":
    main()
