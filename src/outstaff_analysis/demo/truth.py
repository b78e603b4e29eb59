"""The generating truth of the demo firm: hazards, funnel and SLA distributions, rating weights.

The simulation draws from the constants below, and :func:`hazard_truth` / :func:`sla_truth`
report them in the machine-readable form written to ``truth.json``, so that tests can check that
the analytics recover what was put in.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from ..schema import END_REASONS

DAYS_PER_MONTH = 30.4375
"""Days in an average month (SPEC: months = days / 30.4375)."""

BAND_EDGES = (0.0, 3.0, 6.0, 12.0)
"""Left edges (months) of the hazard bands of ordinary placements; the last band is open."""

CAUSE_HAZARDS = {
    # per 100 placement-months, by band [0,3), [3,6), [6,12), [12,inf)
    "client_ended": (1.4, 1.2, 0.9, 0.6),
    "specialist_left": (3.0, 1.5, 0.9, 0.6),
    "replaced": (2.6, 1.0, 0.4, 0.2),
    "project_completed": (0.5, 0.8, 0.8, 0.7),
    "hired_by_client": (0.1, 0.2, 0.3, 0.3),
    "other": (0.4, 0.3, 0.2, 0.1),
}
"""Cause-specific placement-ending hazards of ordinary clients (competing risks)."""

CHURNY_BAND_EDGES = (0.0, 1.0, 3.0, 6.0, 12.0)
"""Band edges (months) of the churny client, whose specialists keep leaving in month 2."""

CHURNY_CAUSE_HAZARDS = {
    "client_ended": (0.5, 1.0, 1.2, 0.9, 0.6),
    "specialist_left": (2.0, 33.0, 1.5, 0.9, 0.6),
    "replaced": (1.5, 27.0, 1.0, 0.4, 0.2),
    "project_completed": (0.0, 0.0, 0.8, 0.8, 0.7),
    "hired_by_client": (0.0, 0.0, 0.2, 0.3, 0.3),
    "other": (0.0, 0.0, 0.3, 0.2, 0.1),
}
"""Cause-specific hazards of the churny client's placements."""

LEAVE_LAG_DAYS = (20.0, 90.0)
"""A client ends its contract a uniform number of days in this range after deciding to leave."""

REPLACEMENT_DELAY_WORKDAYS = {1: 0.20, 2: 0.30, 3: 0.25, 4: 0.12, 5: 0.07, 7: 0.04, 10: 0.02}
"""Working days from a specialist's exit to the replacement's first day, and their probabilities."""

REPLACE_AFTER = {"replaced": 1.0, "specialist_left": 0.7}
"""Probability that an end of this reason is followed by a replacement placement."""

MESSAGE_MINUTES = {"ordinary": (10.0, 0.9), "unhappy_service": (240.0, 1.2)}
"""First answer to a client message, lognormal (median minutes, sigma of the log)."""

BUG_HOURS = {"critical": (1.5, 0.8), "major": (8.0, 0.9), "minor": (36.0, 1.0)}
"""Time to fix a bug by severity, lognormal (median hours, sigma of the log)."""

BUG_SEVERITY_SHARES = {"critical": 0.15, "major": 0.35, "minor": 0.50}
"""Shares of bug severities."""

RATING_WEIGHTS = {"quality": 0.35, "service": 0.25, "price": 0.10, "speed": 0.15, "team": 0.15}
"""True importance of each factor in a client's overall 0-10 rating."""

RATING_NOISE = 0.6
"""Standard deviation of the overall rating around ``10 * sum(weight * satisfaction)``."""

SLA_TARGETS = {"message_minutes": 30.0, "bug_hours": 3.0, "replacement_working_days": 3}
"""The SLA targets the compliance truth refers to (the package defaults)."""


NOTES = {
    "hazard_per_100_months": (
        "True piecewise-constant placement-ending hazards per 100 placement-months (months = days / "
        "30.4375), overall ('all') and cause-specific per end reason (competing risks; they sum to "
        "'all'). They hold for every client's placements except the churny client's, whose hazards are "
        "under 'hazard_per_100_months_churny' (weak_funnel and unhappy_service placements follow the "
        "ordinary hazards), up to the client's termination: a client in 'account_terminations' ended its "
        "contract on that date and every placement still active then ended that day (client_ended or "
        "project_completed). For an exact check, censor those placements at the termination date instead "
        "of counting their end (and those ended on the client's 'account_releases' date); counting them inflates the estimates slightly (about 5-8% at 2,000 "
        "clients). Placements begun before data_window_start are exported only if still active on that "
        "day (left-truncated: enter the risk set at data_window_start). Ends after as_of are blank "
        "(censored)."
    ),
    "funnel_true_rates": (
        "Per client, the probability that a shown CV reaches 'approved' (north-star approved/shown). "
        "Observed rates run slightly lower: candidates still in progress when a request is cancelled, put"
        " on hold or exported are withdrawn or not yet decided. The export skips some 'interview' rows of"
        " approved candidates and repeats a few rows exactly (CRM noise)."
        " 'funnel_stage_probabilities' splits it: interview per shown CV, approval per interview, and the"
        " share of approved candidates who decline the offer."
    ),
    "factor_satisfaction": (
        "True satisfaction 0..1 per client and factor in the middle of the window; it drifts linearly by "
        "'factor_drift_per_year' (clipped to [0.02, 0.98]) and is 0.12 lower on every factor while a client that decided to leave is on its "
        "way out (from 'paused_accounts' no_requests_from until it comes back). 'interviews' holds each call's satisfaction, "
        "the factors discussed, the overall 0-10 rating (10 * sum(rating_weights * satisfaction) + noise,"
        " rounded; recorded in interviews.overall_rating for about 60% of calls) and the rating said "
        "aloud, if any."
    ),
    "sla_true_compliance": (
        "True probability of meeting each target: message first answer (ordinary clients vs the "
        "unhappy_service client), bug fix by severity, replacement within the working-day target (Russian"
        " calendar)."
    ),
    "churn_hazard": (
        "Per client and quarter, the true probability that a client still with the firm decides to leave "
        "in that quarter: logit h = intercept + per_tenth_below * 10 * (0.64 - s) + first_year * [account "
        "younger than a year] + frailty, with s the overall satisfaction (factors weighted by "
        "rating_weights) in the middle of the quarter and the frailty a hidden per-client normal term "
        "('churn_model'). Zero before a client's first 90 days, after its decision and for the special "
        "clients. A decision stops the client's requests at once ('paused_accounts': no_requests_from) "
        "and ends its contract LEAVE_LAG_DAYS later ('account_terminations'); a less satisfied client "
        "also opens fewer requests (request rate x exp(requests_per_tenth * 10 * (s - 0.64))). "
        "demo.truth.oracle_churn_probability turns these hazards into each client's true probability "
        "of ending its contract within the next quarters (the oracle score of a churn backtest); an "
        "account can also lapse without a decision (its last placement ends and no request refills it "
        "within the churn gap), which the oracle does not know."
    ),
    "paused_accounts": (
        "Clients that decided to leave (they stop opening requests) and, for some, start again later. "
        "Each lets part of its team go 5-30 days after the decision ('account_releases': those placements "
        "end that day, client_ended or project_completed) and ends its contract some weeks later "
        "('account_terminations'); its team "
        "on its own. Either way the account churns once no placement is active, and a returning client "
        "reactivates it."
    ),
}
"""Plain-language notes written into ``truth.json``."""


def band_labels(edges: tuple[float, ...]) -> list[str]:
    """Labels ``"[0,3)" ... "[12,inf)"`` of the bands starting at ``edges``."""
    bounds = [f"{e:g}" for e in edges] + ["inf"]
    return [f"[{lo},{hi})" for lo, hi in itertools.pairwise(bounds)]


def sample_tenure(
    rng: np.random.Generator, n: int, *, edges: tuple[float, ...], causes: dict[str, tuple[float, ...]]
) -> tuple[np.ndarray, np.ndarray]:
    """Draw tenures (months) and end reasons from piecewise-constant cause-specific hazards.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Number of placements.
    edges : tuple of float
        Left edges of the bands in months.
    causes : dict
        Reason -> hazard per 100 placement-months in each band.

    Returns
    -------
    months : numpy.ndarray of float
        Latent tenure in months (the placement ends then unless the data are cut earlier).
    reason : numpy.ndarray of int
        Index into :data:`outstaff_analysis.schema.END_REASONS`.
    """
    by_cause = np.array([causes[r] for r in END_REASONS], dtype=float) / 100.0  # (reasons, bands)
    total = by_cause.sum(axis=0)
    widths = np.diff(np.asarray(edges, dtype=float))
    cum = np.concatenate([[0.0], np.cumsum(total[:-1] * widths)])  # cumulative hazard at each edge
    target = rng.exponential(1.0, n)
    band = np.searchsorted(cum, target, side="right") - 1
    months = np.asarray(edges)[band] + (target - cum[band]) / total[band]
    shares = (by_cause / total)[:, band].T  # (n, reasons)
    reason = (rng.random(n)[:, None] > np.cumsum(shares, axis=1)).sum(axis=1)
    return months, np.minimum(reason, len(END_REASONS) - 1)


def hazard_truth(edges: tuple[float, ...], causes: dict[str, tuple[float, ...]]) -> dict:
    """Hazards per 100 placement-months by band: overall (``"all"``) and per end reason."""
    labels = band_labels(edges)
    out = {"all": {lab: round(sum(causes[r][i] for r in END_REASONS), 10) for i, lab in enumerate(labels)}}
    for reason in END_REASONS:
        out[reason] = {lab: causes[reason][i] for i, lab in enumerate(labels)}
    return out


def _lognormal_share_within(median: float, sigma: float, target: float) -> float:
    return 0.5 * (1.0 + math.erf(math.log(target / median) / (sigma * math.sqrt(2.0))))


def sla_truth() -> dict:
    """True probabilities of meeting each SLA target."""
    return {
        "message": {
            group: _lognormal_share_within(med, sig, SLA_TARGETS["message_minutes"])
            for group, (med, sig) in MESSAGE_MINUTES.items()
        },
        "bug": {
            sev: _lognormal_share_within(med, sig, SLA_TARGETS["bug_hours"])
            for sev, (med, sig) in BUG_HOURS.items()
        },
        "replacement": sum(
            p for d, p in REPLACEMENT_DELAY_WORKDAYS.items() if d <= SLA_TARGETS["replacement_working_days"]
        ),
        "targets": dict(SLA_TARGETS),
    }


def oracle_churn_probability(truth: dict, quarter: str, *, horizon_quarters: int = 2) -> dict[str, float]:
    """True probability that each client ends its contract within the quarters after ``quarter``.

    It reads the generating truth (``truth.json``): a client that decided to leave by the end of
    ``quarter`` and has not come back has probability 1; otherwise the chance of deciding in one
    of the next ``horizon_quarters`` quarters early enough that the contract ends (decision plus
    :data:`LEAVE_LAG_DAYS`) before the last of them is over.

    Parameters
    ----------
    truth : dict
        The demo's truth (``DemoFirm.truth`` or the parsed ``truth.json``).
    quarter : str
        The origin, ``"2024Q2"``: the score is as of its last day.
    horizon_quarters : int
        Quarters ahead (the churn model's horizon, two).

    Returns
    -------
    dict of str to float
        Client id -> probability (clients the truth knows; 0 where no hazard applies).
    """
    origin = pd.Period(quarter, freq="Q")
    end = origin.end_time.normalize()
    horizon_end = (origin + horizon_quarters).end_time.normalize()
    quarters = [str(origin + k) for k in range(1, horizon_quarters + 1)]
    low, high = LEAVE_LAG_DAYS
    out = {}
    for client, hazards in truth["churn_hazard"].items():
        decided = truth["paused_accounts"].get(client)
        if decided is not None and pd.Timestamp(decided["no_requests_from"]) <= end:
            back = decided["requests_again_from"]
            out[client] = 0.0 if back is not None and pd.Timestamp(back) <= end else 1.0
            continue
        stay, p = 1.0, 0.0
        for name in quarters:
            h = hazards.get(name, 0.0)
            period = pd.Period(name, freq="Q")
            length = (period.end_time.normalize() - period.start_time).days + 1
            room = (horizon_end - period.start_time.normalize()).days + 1  # days left for decision + lag
            # P(decision day + lag <= horizon end) with the day uniform in the quarter and lag uniform
            in_time = float(np.mean(np.clip((room - np.linspace(low, high, 201)) / length, 0.0, 1.0)))
            p += stay * h * in_time
            stay *= 1.0 - h
        out[client] = p
    return out


def client_quarter_satisfaction(truth: dict, interviews: pd.DataFrame) -> pd.DataFrame:
    """True satisfaction per client, quarter and factor, 0-100: the mean over the quarter's calls that
    discussed the factor (what the calls' words can tell).

    Parameters
    ----------
    truth : dict
        ``truth.json`` of a demo firm (its ``"interviews"`` part is used).
    interviews : pandas.DataFrame
        The demo's interviews table (``interview_id, client_id, held_at``).

    Returns
    -------
    pandas.DataFrame
        Columns ``client_id, quarter, factor, truth``.
    """
    quarter = pd.to_datetime(interviews["held_at"]).dt.to_period("Q").astype(str)
    rows = [
        (client, q, factor, 100.0 * truth["interviews"][interview]["satisfaction"][factor])
        for interview, client, q in zip(interviews["interview_id"], interviews["client_id"], quarter)
        for factor in truth["interviews"][interview]["discussed"]
    ]
    frame = pd.DataFrame(rows, columns=["client_id", "quarter", "factor", "truth"])
    return frame.groupby(["client_id", "quarter", "factor"], as_index=False)["truth"].mean()
