"""Rolling-origin backtest of the churn model against simple baselines (and an oracle, when known).

At each origin (a quarter end) the model is fitted on the client-quarters whose outcome was already
known then (:func:`~.features.churn_labels` as of the origin) and scores every client still with the
firm at the origin from the signals of that day; the scores are then judged against what happened in
the next ``horizon_quarters`` quarters.  Baselines are scored on the same rows in the same run:

* ``points``: the old points rule (:mod:`.points`), which ranked the portfolio's "call first" list;
* ``csi``: the CSI alone (lower is riskier; unknown CSI in the middle);
* ``requests``: the last quarter's request count alone (fewer is riskier);
* ``random``: a uniform random score;
* ``oracle`` (optional): the true probability, when the data were generated with a known hazard.

Intervals are 95% percentile intervals over bootstrap resamples of clients (every origin of a client
moves together); differences against the model are paired (same resample).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from ..config import DEFAULT_SETTINGS, Settings
from ..stats import wilson_ci
from .features import churn_labels
from .model import ChurnModel
from .points import churn_risk
from .signals import panel_quarters, signal_panel

SCORES = ("model", "points", "csi", "requests", "random")
"""Scores every backtest compares (``oracle`` is added when given)."""

PROBABILITIES = ("model", "oracle")
"""Scores that are probabilities (the Brier score and calibration apply to them only)."""


@dataclasses.dataclass(frozen=True)
class BacktestResult:
    """What :func:`rolling_backtest` measured.

    Attributes
    ----------
    predictions : pandas.DataFrame
        One row per origin and client: ``quarter``, ``client_id``, ``churned`` (0/1) and one column
        per score (higher is riskier), plus ``model_kind``.
    metrics : pandas.DataFrame
        Per score: ``auc`` with ``auc_lower_95``/``auc_upper_95``, ``brier`` (probabilities only) with
        its interval, and ``auc_vs_model`` (the score's AUC minus the model's) with its paired interval.
    calibration : pandas.DataFrame
        The model's probabilities in deciles: ``decile``, ``n``, ``events``, ``mean_predicted``,
        ``observed`` (with its Wilson interval) and ``gap`` (observed - predicted).
    """

    predictions: pd.DataFrame
    metrics: pd.DataFrame
    calibration: pd.DataFrame


def rolling_backtest(
    tables: dict,
    *,
    origins: Iterable[str],
    csi_scores: pd.DataFrame | None = None,
    red_flags: pd.DataFrame | None = None,
    oracle: Callable[[str], Mapping[str, float]] | None = None,
    model: ChurnModel | None = None,
    n_bootstrap: int = 1000,
    seed: int = 0,
    settings: Settings = DEFAULT_SETTINGS,
) -> BacktestResult:
    """Predict churn at each origin from what was known then, and judge it against what happened.

    Parameters
    ----------
    tables : dict of DataFrame
        Processed tables covering the origins and the horizon after the last one.
    origins : iterable of str
        Quarters (``"2023Q4"``) to predict from; each must lie ``horizon_quarters`` quarters and the
        churn gap before the end of the data (else its outcomes are not known yet).
    csi_scores, red_flags
        CSI per client-quarter and red flags (see :func:`~.signals.quarter_signals`).
    oracle : callable, optional
        Quarter -> {client_id: true probability}; scored as ``oracle``.
    model : ChurnModel, optional
        The model to refit at each origin (default ``ChurnModel(n_bootstrap=0)``: the backtest does
        not need its intervals).
    n_bootstrap : int
        Client resamples of the metrics' intervals.
    seed : int
        Seed of the random baseline and the bootstrap.
    settings : Settings
        ``churn_gap_days`` and the signals' settings.

    Returns
    -------
    BacktestResult
    """
    origins = [str(pd.Period(o, freq="Q")) for o in origins]
    model = model or ChurnModel(n_bootstrap=0)
    horizon = model.horizon_quarters
    placements = tables["placements"]
    end = placements[["started_at", "ended_at"]].max().max()
    last_ok = pd.Timestamp(end) - pd.Timedelta(days=settings.churn_gap_days)
    late = [o for o in origins if (pd.Period(o, freq="Q") + horizon).end_time > last_ok]
    if late:
        raise ValueError(f"The origins {late} are too late: their {horizon} quarters and the churn gap run past "
                         f"the data's last date ({pd.Timestamp(end).date()})")
    panel = signal_panel(tables, quarters=panel_quarters(tables, max(origins), settings=settings), csi_scores=csi_scores, red_flags=red_flags, settings=settings)
    rng = np.random.default_rng(seed)
    rows = []
    for origin in origins:
        history = panel[panel["quarter"] <= origin]
        fitted = model.fit(history, churn_labels(placements, history, as_of=origin, horizon_quarters=horizon,
                                                 settings=settings))
        now = panel[panel["quarter"] == origin].reset_index(drop=True)
        scored = fitted.predict(now)
        out = now[["quarter", "client_id"]].copy()
        out["churned"] = churn_labels(placements, now, as_of=end, horizon_quarters=horizon,
                                      settings=settings).to_numpy()
        out["model"] = scored["risk"].to_numpy()
        out["model_kind"] = fitted.kind_
        out["points"] = _points(now, settings).to_numpy()
        out["csi"] = -now["csi"].fillna(now["csi"].median()).fillna(0.0).to_numpy()
        out["requests"] = -now["requests"].to_numpy()
        out["random"] = rng.random(len(now))
        if oracle is not None:
            truth = oracle(origin)
            out["oracle"] = now["client_id"].map(truth).fillna(0.0).to_numpy()
        rows.append(out)
    predictions = pd.concat(rows, ignore_index=True)
    predictions = predictions[predictions["churned"].notna()].reset_index(drop=True)
    scores = [*SCORES, *(["oracle"] if oracle is not None else [])]
    return BacktestResult(
        predictions=predictions,
        metrics=score_metrics(predictions, scores, n_bootstrap=n_bootstrap, seed=seed),
        calibration=calibration_table(predictions["model"], predictions["churned"]),
    )


def _points(signals: pd.DataFrame, settings: Settings) -> pd.Series:
    """The old points rule's score of signal rows (its inputs rebuilt from the signals)."""
    events = signals["sla_events"]
    within = events - signals["sla_breaches"]
    team_before = (signals["headcount"] - signals["headcount_change"]).where(lambda v: v > 0)
    frame = pd.DataFrame({
        "client_id": signals["client_id"],
        "csi": signals["csi"],
        "csi_change": signals["csi_change"],
        "red_flags": signals["red_flags"].clip(upper=3),
        "sla_share": within / events.where(events > 0),
        "sla_upper_95": wilson_ci(within, events)[1],
        "ended_share": (signals["ended_client"] + signals["ended_our_side"] + signals["ended_planned"]) / team_before,
        "north_star": signals["north_star"],
        "firm_north_star": signals["north_star"].median(),
    }, index=signals.index)
    scored = churn_risk(frame, settings=settings).set_index("client_id")["risk_points"]
    return signals["client_id"].map(scored).astype(float)


def score_metrics(predictions: pd.DataFrame, scores: list[str], *, n_bootstrap: int = 1000,
                  seed: int = 0) -> pd.DataFrame:
    """AUC and Brier score of each score with client-bootstrap 95% intervals, and AUC differences to the model.

    Parameters
    ----------
    predictions : pandas.DataFrame
        ``client_id``, ``churned`` and one column per score.
    scores : list of str
        Score columns; ``"model"`` must be among them.
    n_bootstrap : int
        Client resamples.
    seed : int
        Seed of the resampling.

    Returns
    -------
    pandas.DataFrame
        One row per score: ``score``, ``auc``, ``auc_lower_95``, ``auc_upper_95``, ``brier``,
        ``brier_lower_95``, ``brier_upper_95``, ``auc_vs_model``, ``auc_vs_model_lower_95``,
        ``auc_vs_model_upper_95``, ``n``, ``events``.
    """
    y = predictions["churned"].to_numpy(dtype=int)
    values = {s: predictions[s].to_numpy(dtype=float) for s in scores}
    clients, inverse = np.unique(predictions["client_id"].to_numpy(), return_inverse=True)
    rows_of = [np.flatnonzero(inverse == k) for k in range(len(clients))]
    rng = np.random.default_rng(seed)
    draws = {s: ([], []) for s in scores}
    for _ in range(n_bootstrap):
        take = np.concatenate([rows_of[k] for k in rng.integers(0, len(clients), len(clients))])
        if not 0 < y[take].sum() < len(take):
            continue
        for s in scores:
            draws[s][0].append(roc_auc_score(y[take], values[s][take]))
            draws[s][1].append(np.mean((values[s][take] - y[take]) ** 2))
    model_auc = np.array(draws["model"][0])
    out = []
    for s in scores:
        auc, brier = np.array(draws[s][0]), np.array(draws[s][1])
        probability = s in PROBABILITIES
        row = {"score": s, "auc": roc_auc_score(y, values[s]), **_interval("auc", auc),
               "brier": np.mean((values[s] - y) ** 2) if probability else np.nan,
               **(_interval("brier", brier) if probability else {"brier_lower_95": np.nan, "brier_upper_95": np.nan})}
        row["auc_vs_model"] = row["auc"] - roc_auc_score(y, values["model"])
        row.update(_interval("auc_vs_model", auc - model_auc))
        row.update(n=len(y), events=int(y.sum()))
        out.append(row)
    return pd.DataFrame(out)


def _interval(name: str, draws: np.ndarray) -> dict:
    if not len(draws):
        return {f"{name}_lower_95": np.nan, f"{name}_upper_95": np.nan}
    lower, upper = np.percentile(draws, [2.5, 97.5])
    return {f"{name}_lower_95": float(lower), f"{name}_upper_95": float(upper)}


def calibration_table(predicted: pd.Series, observed: pd.Series, *, bins: int = 10) -> pd.DataFrame:
    """Predicted against observed churn in deciles of the predicted probability.

    Parameters
    ----------
    predicted : pandas.Series
        Probabilities.
    observed : pandas.Series
        0/1 outcomes.
    bins : int
        Number of quantile bins (fewer when probabilities tie).

    Returns
    -------
    pandas.DataFrame
        ``decile`` (1 = lowest risk), ``n``, ``events``, ``mean_predicted``, ``observed``,
        ``observed_lower_95``, ``observed_upper_95`` and ``gap`` (observed - mean predicted).
    """
    frame = pd.DataFrame({"p": np.asarray(predicted, dtype=float), "y": np.asarray(observed, dtype=float)})
    frame["decile"] = pd.qcut(frame["p"].rank(method="first"), bins, labels=False) + 1
    out = frame.groupby("decile").agg(n=("y", "size"), events=("y", "sum"), mean_predicted=("p", "mean"),
                                      observed=("y", "mean")).reset_index()
    out["events"] = out["events"].astype(int)
    out["observed_lower_95"], out["observed_upper_95"] = wilson_ci(out["events"], out["n"])
    out["gap"] = out["observed"] - out["mean_predicted"]
    return out
