"""Red flags on paraphrases nobody here wrote: recall and precision per language and flag.

Run as ``.venv/bin/python benchmarks/eval_red_flags.py`` (default evaluation set
``tests/data/red_flags_eval.csv``, written blind to the patterns and the training examples; see
``tests/data/README.md``).  The set is only measured here, once per change, for the record: the
classifier is trained and its settings chosen on ``csi/lexicon/red_flags_training.csv`` alone
(``python -m outstaff_analysis.csi.redflag_training``).

Methods, measured in the same run:

* *patterns*: ``find_red_flags(..., model=None)``, the patterns of ``red_flags.yaml`` alone
  (the baseline);
* *default*: the patterns together with the bundled classifier (what reports use).

Target: recall at least 0.70 at precision at least 0.90 in each language.  Recall counts the
flagged sentences whose flag was raised; precision counts the raised flags that are the sentence's
flag (a flag raised on a hard negative, ``none``, or a wrong flag is a false alarm).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from outstaff_analysis.csi.redflag_model import read_red_flag_examples
from outstaff_analysis.csi.redflag_training import red_flag_scores

ROOT = Path(__file__).resolve().parents[1]
TARGET_RECALL, TARGET_PRECISION = 0.70, 0.90
EVAL_FLAG_CODES = {"turnover": "specialist_turnover"}
"""Flag names of the evaluation file that differ from the package's codes."""


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=ROOT / "tests" / "data" / "red_flags_eval.csv")
    args = parser.parse_args()
    pd.set_option("display.width", 160)

    gold = pd.read_csv(args.eval, dtype=str, keep_default_na=False)
    gold["flag"] = gold["flag"].replace(EVAL_FLAG_CODES)
    train = read_red_flag_examples()
    shared = len(set(gold["text"].map(_key)) & set(train["text"].map(_key)))
    counts = gold.groupby("lang")["flag"].agg(lambda f: f"{(f != 'none').sum()} flagged, {(f == 'none').sum()} none")
    print(f"evaluation set: {args.eval.name}, {len(gold)} sentences ({'; '.join(f'{k}: {v}' for k, v in counts.items())})")
    print(f"training examples: {len(train)}; evaluation sentences also among them: {shared}\n")

    tables = {name: red_flag_scores(gold, model=model) for name, model in (("patterns", None), ("default", "bundled"))}
    wide = pd.concat({name: t.set_index(["lang", "flag", "n"])[["recall", "precision"]] for name, t in tables.items()},
                     axis=1)
    print(wide.to_string(float_format="{:.3f}".format, na_rep="-"))
    print()
    for name, table in tables.items():
        for row in table[table["flag"] == "all"].itertuples():
            met = row.recall >= TARGET_RECALL and row.precision >= TARGET_PRECISION
            print(f"{name:9s} {row.lang}: recall {row.recall:.3f}, precision {row.precision:.3f} "
                  f"({row.n_raised} flags raised) -> target recall >= {TARGET_RECALL} at precision >= "
                  f"{TARGET_PRECISION}: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
