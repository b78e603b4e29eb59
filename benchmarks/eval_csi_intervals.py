"""Do the CSI's 95% intervals mean something?  Coverage and width on the demo firm's known truth.

Run as ``.venv/bin/python benchmarks/eval_csi_intervals.py``.  Builds the default demo firm, scores
its transcripts with :func:`outstaff_analysis.csi.score_csi` (default reader) and compares every
client-quarter's factor scores and CSI with the truth that generated the calls
(:func:`outstaff_analysis.demo.truth.client_quarter_satisfaction`: the mean true satisfaction of the
quarter's calls that discussed the factor; the CSI's truth weights the factors it was built from).

Prints, per factor and for the CSI, the share of intervals that hold the true value (target about
0.95: 0.99 is too wide, 0.90 too narrow), their median width, the Spearman correlation and the mean
error; and, as the baseline measured in the same run, the same intervals with every sentence
treated as independent (within-interview correlation 0).
"""

from __future__ import annotations

import argparse

import pandas as pd

from outstaff_analysis.config import DEFAULT_SETTINGS
from outstaff_analysis.csi import scores
from outstaff_analysis.csi.corpus import build_corpus
from outstaff_analysis.csi.coverage import interval_coverage
from outstaff_analysis.demo import generate_tables
from outstaff_analysis.demo.truth import client_quarter_satisfaction


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None, help="demo seed (default: the demo's)")
    args = parser.parse_args()
    pd.set_option("display.width", 160)
    firm = generate_tables() if args.seed is None else generate_tables(seed=args.seed)
    utterances = build_corpus(firm.tables["interviews"], firm.transcripts)
    result = scores.score_csi(utterances)
    truth = client_quarter_satisfaction(firm.truth, firm.tables["interviews"])
    rho = scores.within_interview_correlation(result.evidence)
    print(f"demo firm: {len(firm.tables['interviews'])} interviews, {len(result.sentences)} client sentences, "
          f"within-interview correlation of readings {rho:.3f}\n")
    print("default (Kish design effect by interview):")
    print(interval_coverage(result.client_quarters, truth).to_string(index=False, float_format="{:.3f}".format))
    independent = scores.client_quarter_scores(
        result.sentences, settings=DEFAULT_SETTINGS.replace(csi_interview_correlation=0.0))
    print("\nbaseline (every sentence independent):")
    print(interval_coverage(independent, truth).to_string(index=False, float_format="{:.3f}".format))


if __name__ == "__main__":
    main()
