"""Churn risk: the probability that an account churns within the next two quarters.

:class:`ChurnModel` is a penalised (L2) logistic regression on client-quarters -- a discrete-time
hazard model with time-varying covariates: each quarter an account is still with the firm is one
row, its features are the signals of that quarter's end (:mod:`.features`) and its label says
whether the account churned (60-day rule) within the next ``horizon_quarters`` quarters.  Features
are standardised, so a coefficient is the change of the log-odds per standard deviation.

Its intervals come from refitting on bootstrap resamples of *clients* (a client's quarters stay
together); the 2.5th and 97.5th percentiles of a row's refitted probabilities are its 95% interval.

When the history holds fewer than ``min_events`` churn events (:data:`MIN_EVENTS`, 30: with 16
features fewer than about two events per feature make the fit chase noise), nothing is fitted: the
model is the transparent rule :data:`RULE_COEFFICIENTS`, a logistic score with stated weights on the
same features (``kind_ == "rules"``).  Its probabilities are a starting point, not calibrated to the
firm, and it has no interval.

Each prediction keeps every reason's contribution to the log-odds against the training average
(``contribution_<reason>``): the reasons that push a client's risk up are its top reasons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from .features import FEATURES, REASON_OF, design_matrix

MIN_EVENTS = 30
"""Fewest churn events in the training rows for the model to be fitted; fewer use the rules."""

RULE_INTERCEPT = -3.4
RULE_COEFFICIENTS = {
    "young": 0.7, "log_age_years": 0.0, "no_team": 2.5, "log_headcount": -0.3, "team_shrink": 1.0,
    "client_ends": 1.5, "log_requests": -0.9, "log_requests_before": 0.6, "silence": 0.3, "cancelled": 2.0, "csi_level": -0.35, "csi_missing": 0.2,
    "csi_change_z": -0.25, "red_flags": 0.5, "north_star_gap": 0.5, "slow_fill": 0.3, "sla_breach_share": 1.0,
    "dark": 0.3,
}
"""The fallback rule: log-odds = intercept + sum(weight * feature) on the raw features (not standardised).

Read per unit of each feature: no specialist on the project +2.5; requests down from 6 to 1 a quarter
(log 7 -> log 2) about +1.1 net of the earlier flow; every request the client would usually have
opened since its last one +0.3; cancelling half a year's requests in a quarter +1.0; 10 points lower mean CSI over the year +0.35; a CSI fall of 2 standard
errors +0.5; a young account +0.7; a client ending a third of its team +0.5; every quarter without
an interview +0.3.  The intercept puts a typical account (team, steady requests, CSI 70) near 3%."""

REASONS = tuple(dict.fromkeys(REASON_OF.values()))
"""Reason codes, in feature order."""


class ChurnModel:
    """Probability that an account churns within ``horizon_quarters`` quarters, with reasons.

    Parameters
    ----------
    horizon_quarters : int
        Horizon of the label (2: the next two quarters).
    penalty : float
        Inverse strength ``C`` of the L2 penalty on the standardised coefficients.
    min_events : int
        Fewer churn events than this in the training rows use the rule (:data:`MIN_EVENTS`).
    n_bootstrap : int
        Client-bootstrap refits for the intervals (0: no intervals).
    random_state : int
        Seed of the bootstrap.

    Attributes
    ----------
    kind_ : str
        ``"logistic"`` (fitted) or ``"rules"`` (too few events).
    coef_ : pandas.Series
        Weight of each feature on the raw feature scale (log-odds per unit).
    intercept_ : float
    mean_ : pandas.Series
        Training mean of each feature (the reference of the contributions).
    n_rows_, n_events_ : int
        Training client-quarters and churn events among them.
    """

    def __init__(self, *, horizon_quarters: int = 2, penalty: float = 0.3, min_events: int = MIN_EVENTS,
                 n_bootstrap: int = 100, random_state: int = 0):
        self.horizon_quarters = horizon_quarters
        self.penalty = penalty
        self.min_events = min_events
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state

    def fit(self, signals: pd.DataFrame, labels: pd.Series) -> ChurnModel:
        """Fit on client-quarters with known labels (rows with a NaN label are left out).

        Parameters
        ----------
        signals : pandas.DataFrame
            Rows of :func:`~outstaff_analysis.health.signals.signal_panel`.
        labels : pandas.Series
            :func:`~outstaff_analysis.health.features.churn_labels` of those rows.

        Returns
        -------
        ChurnModel
            ``self``.
        """
        if len(labels) != len(signals):
            raise ValueError(f"`labels` must have one value per row of `signals` ({len(signals)}), "
                             f"but {len(labels)} were passed")
        known = np.asarray(~pd.isna(labels))
        x = design_matrix(signals[known])
        y = np.asarray(labels)[known].astype(int)
        self.n_rows_, self.n_events_ = len(y), int(y.sum())
        self.mean_ = x.mean() if len(x) else pd.Series(0.0, index=list(FEATURES))
        self._boot = []
        if self.n_events_ < self.min_events or self.n_events_ == self.n_rows_:
            self.kind_ = "rules"
            self.coef_ = pd.Series(RULE_COEFFICIENTS, dtype=float)[list(FEATURES)]
            self.intercept_ = RULE_INTERCEPT
            return self
        self.kind_ = "logistic"
        self.intercept_, self.coef_ = self._fit_once(x.to_numpy(), y)
        if self.n_bootstrap:
            clients = signals.loc[known, "client_id"].to_numpy()
            self._boot = self._bootstrap(x.to_numpy(), y, clients)
        return self

    def _fit_once(self, x: np.ndarray, y: np.ndarray) -> tuple[float, pd.Series]:
        centre, scale = x.mean(axis=0), x.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        fitted = LogisticRegression(C=self.penalty, max_iter=2000).fit((x - centre) / scale, y)
        coef = fitted.coef_[0] / scale
        return float(fitted.intercept_[0] - coef @ centre), pd.Series(coef, index=list(FEATURES))

    def _bootstrap(self, x, y, clients) -> list[tuple[float, pd.Series]]:
        rng = np.random.default_rng(self.random_state)
        unique, inverse = np.unique(clients, return_inverse=True)
        rows_of = [np.flatnonzero(inverse == k) for k in range(len(unique))]
        out = []
        for _ in range(self.n_bootstrap):
            take = np.concatenate([rows_of[k] for k in rng.integers(0, len(unique), len(unique))])
            if 0 < y[take].sum() < len(take):
                out.append(self._fit_once(x[take], y[take]))
        return out

    @property
    def summary(self) -> pd.DataFrame:
        """Each feature: what it is, its reason, its weight (log-odds per unit) and odds ratio per unit."""
        return pd.DataFrame({
            "feature": list(FEATURES),
            "meaning": [FEATURES[f][1] for f in FEATURES],
            "reason": [REASON_OF[f] for f in FEATURES],
            "coefficient": self.coef_.to_numpy(),
            "odds_ratio": np.exp(self.coef_.to_numpy()),
            "training_mean": self.mean_.to_numpy(),
        })

    def _repr_html_(self) -> str:
        return self.summary._repr_html_()

    def predict(self, signals: pd.DataFrame) -> pd.DataFrame:
        """Churn probability of each row, its 95% interval and each reason's contribution.

        Parameters
        ----------
        signals : pandas.DataFrame
            Rows of :func:`~outstaff_analysis.health.signals.signal_panel`.

        Returns
        -------
        pandas.DataFrame
            ``client_id``, ``quarter``, ``risk`` (probability of churn within the horizon; higher is
            worse), ``lower_95``, ``upper_95`` (NaN for the rules or without bootstrap), ``model``
            (``kind_``) and ``contribution_<reason>`` (log-odds against the training average; positive
            raises the risk) for every reason of :data:`REASONS`.
        """
        x = design_matrix(signals)
        out = signals[["client_id", "quarter"]].reset_index(drop=True)
        out["risk"] = _sigmoid(self.intercept_ + x.to_numpy() @ self.coef_.to_numpy())
        if self._boot:
            draws = np.column_stack([_sigmoid(b + x.to_numpy() @ c.to_numpy()) for b, c in self._boot])
            out["lower_95"], out["upper_95"] = np.percentile(draws, [2.5, 97.5], axis=1)
        else:
            out["lower_95"] = out["upper_95"] = np.nan
        out["model"] = self.kind_
        part = (x - self.mean_) * self.coef_
        for reason in REASONS:
            columns = [f for f in FEATURES if REASON_OF[f] == reason]
            out[f"contribution_{reason}"] = part[columns].sum(axis=1).to_numpy()
        return out


def _sigmoid(z) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
