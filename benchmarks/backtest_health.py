"""Backtest of the churn-risk model on a large seeded demo firm, against baselines and the oracle.

It writes a demo firm (default 400 clients over five years) into a temporary data directory,
validates it, scores every interview's CSI and red flags, and runs the rolling-origin backtest of
:func:`outstaff_analysis.health.backtest.rolling_backtest`: at every quarter end from the second
year on, the model is refitted on what was known that day and predicts churn (60-day rule) within
the next two quarters.  It prints AUC (with client-bootstrap 95% intervals), the Brier score, the
AUC difference of every baseline to the model, the model's calibration in deciles, and the checks
against the targets: at least 90% of the oracle's AUC, every baseline beaten beyond the interval of
the difference, calibration within 0.1 in every decile.

Run: ``.venv/bin/python benchmarks/backtest_health.py [--clients 400] [--years 5] [--seed 20240101]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings

import pandas as pd

from outstaff_analysis.demo import truth as demo_truth
from outstaff_analysis.demo.data_dir import write_demo_data
from outstaff_analysis.exceptions import InsufficientDataWarning
from outstaff_analysis.health.backtest import rolling_backtest
from outstaff_analysis.io.store import build_processed
from outstaff_analysis.reporting.inputs import load_inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()

    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        firm = write_demo_data(folder, clients=args.clients, years=args.years, seed=args.seed)
        build_processed(folder)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InsufficientDataWarning)
            inputs = load_inputs(folder, as_of=firm.truth["as_of"])
            # the data set reads and scores its transcripts on first use: that use must come before the
            # temporary folder (and the transcripts in it) is removed
            csi_scores, red_flags = inputs.csi.client_quarters, inputs.red_flags
    print(f"demo firm: {args.clients} clients, {args.years} years, seed {args.seed}; "
          f"{len(inputs.tables['interviews']):,} interviews scored ({time.perf_counter() - began:.0f} s)")

    start = pd.Period(firm.truth["data_window_start"], freq="Q")
    end = pd.Period(firm.truth["as_of"], freq="Q")
    origins = [str(q) for q in pd.period_range(start + 4, end - 3, freq="Q")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsufficientDataWarning)
        result = rolling_backtest(
            inputs.tables, origins=origins, csi_scores=csi_scores, red_flags=red_flags,
            oracle=lambda q: demo_truth.oracle_churn_probability(firm.truth, q), n_bootstrap=args.bootstrap,
            settings=inputs.settings)
    predictions, metrics = result.predictions, result.metrics
    kinds = predictions.groupby("model_kind")["quarter"].nunique().to_dict()
    print(f"origins {origins[0]}..{origins[-1]} ({len(origins)}), model kinds {kinds}; "
          f"{len(predictions):,} client-quarters, {int(predictions['churned'].sum())} churned within two quarters "
          f"(scale: higher = more likely to churn)\n")
    shown = metrics.copy()
    for column in shown.columns.drop(["score", "n", "events"]):
        shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{v:.3f}")
    print(shown[["score", "auc", "auc_lower_95", "auc_upper_95", "brier", "brier_lower_95", "brier_upper_95",
                 "auc_vs_model", "auc_vs_model_lower_95", "auc_vs_model_upper_95"]].to_string(index=False))
    print("\nmodel calibration (deciles of predicted probability):")
    print(result.calibration.round(3).to_string(index=False))

    row = metrics.set_index("score")
    ratio = row.loc["model", "auc"] / row.loc["oracle", "auc"]
    baselines = [s for s in row.index if s not in ("model", "oracle")]
    beaten = {s: bool(row.loc[s, "auc_vs_model_upper_95"] < 0) for s in baselines}
    worst_gap = result.calibration["gap"].abs().max()
    print(f"\ntarget: model AUC >= 90% of the oracle's: {ratio:.1%} -> {'met' if ratio >= 0.9 else 'NOT met'}")
    print("target: every baseline beaten beyond the 95% interval of the AUC difference: "
          + ", ".join(f"{s} {'yes' if b else 'NO'}" for s, b in beaten.items())
          + f" -> {'met' if all(beaten.values()) else 'NOT met'}")
    print(f"target: calibration within 0.1 in every decile: worst |observed - predicted| {worst_gap:.3f} -> "
          f"{'met' if worst_gap <= 0.1 else 'NOT met'}")
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
