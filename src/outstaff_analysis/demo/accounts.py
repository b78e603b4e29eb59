"""Client accounts of the demo firm: the clients table and each client's hidden traits.

Traits drive everything else: how many requests a client opens (``activity``, scaled by its
current satisfaction: an unhappy client asks for fewer people), how well its funnel converts, how
satisfied it is with each factor (and how that drifts), and whether it decides to leave.

Leaving is a hazard: in every quarter of the window a client still with the firm decides to leave
with probability :func:`churn_hazard` of its satisfaction then, the age of its account and a hidden
client-level frailty.  From the decision day (``pause_from``) it opens no requests, and some weeks
later it ends the contract (see :mod:`.placements`); some come back after 200-420 days
(``pause_to``) and do not leave again inside the window.  The hazards are written to ``truth.json``
so that a churn model can be compared with the oracle that knows them.  Three clients are made
deliberately different (``churny``, ``weak_funnel``, ``unhappy_service``) and never leave.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..config import FACTORS
from ..schema import SOURCES
from . import truth
from .names import company_names, industries, person_names
from .timeline import Window

SEGMENTS = {"enterprise": (0.25, 2.0), "mid-market": (0.45, 1.0), "startup": (0.30, 0.35)}
"""Segment -> (share of clients, relative volume of work)."""

SOURCE_SHARES = (0.35, 0.25, 0.20, 0.15, 0.05)
FOREIGN_SHARE = 0.2
SIGNED_BEFORE_WINDOW_SHARE = 0.65
SPECIAL_ROLES = ("churny", "weak_funnel", "unhappy_service")
RETURNING_SHARE = 0.35
"""Share of the clients who decided to leave that come back later."""

TYPICAL_SATISFACTION = 0.64
"""Mean true satisfaction of a client (the centre of the hazard and request-rate effects)."""

CHURN_LOGIT = {"intercept": -3.6, "per_tenth_below": 0.9, "first_year": 0.8, "frailty_sd": 0.25}
"""Quarterly hazard of deciding to leave, on the logit scale: the intercept at typical satisfaction,
the change per 0.1 of overall satisfaction below typical, the extra of an account in its first year,
and the standard deviation of each client's hidden frailty."""

LEAVING_DROP = 0.12
"""How much lower a client's satisfaction with every factor is once it has decided to leave."""

REQUESTS_PER_TENTH = 0.3
"""Log change of a client's request rate per 0.1 of overall satisfaction above typical."""


@dataclasses.dataclass(frozen=True)
class Accounts:
    """Clients and their hidden traits (arrays aligned with ``frame``).

    Attributes
    ----------
    frame : pandas.DataFrame
        The clients table (processed dtypes).
    foreign : numpy.ndarray of bool
        Foreign client (English, paid in USD).
    activity : numpy.ndarray of float
        Relative volume of work (mean 1).
    signed : numpy.ndarray of float
        Day the contract was signed (negative: before the window).
    start : numpy.ndarray of float
        Day from which the client opens requests (its signing, or day 0).
    pause_from, pause_to : numpy.ndarray of float
        The client opens no requests in ``[pause_from, pause_to)``: ``pause_from`` is the day it
        decided to leave (both equal to the window length when it never decides; ``pause_to`` is the
        window length when it never returns).
    churn_hazard : numpy.ndarray, shape (clients, quarters)
        True probability of deciding to leave in each quarter of the window, for a client still with
        the firm at its start (0 before the client starts, after its decision and for the special
        clients).
    satisfaction : numpy.ndarray, shape (clients, factors)
        True satisfaction 0..1 with each factor in the middle of the window.
    drift : numpy.ndarray, shape (clients, factors)
        Change of satisfaction per year.
    p_interview, p_approve : numpy.ndarray of float
        Probability that a shown CV gets an interview, and that an interviewed candidate is approved.
    special : dict
        Role (``"churny"`` ...) -> client index.
    managers : numpy.ndarray of str
        Account manager of each client.
    contacts : numpy.ndarray of str, shape (clients, 2)
        The client's two interviewees (main and second).
    """

    frame: pd.DataFrame
    foreign: np.ndarray
    activity: np.ndarray
    signed: np.ndarray
    start: np.ndarray
    pause_from: np.ndarray
    pause_to: np.ndarray
    churn_hazard: np.ndarray
    satisfaction: np.ndarray
    drift: np.ndarray
    p_interview: np.ndarray
    p_approve: np.ndarray
    special: dict
    managers: np.ndarray
    contacts: np.ndarray

    @property
    def ids(self) -> np.ndarray:
        """Client ids."""
        return self.frame["client_id"].to_numpy()


def make_accounts(rng: np.random.Generator, n: int, window: Window) -> Accounts:
    """Draw ``n`` clients with their traits.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Number of clients (at least 3: the special clients).
    window : Window
        The data window.

    Returns
    -------
    Accounts
    """
    length = float(window.days)
    segment = rng.choice(list(SEGMENTS), n, p=[v[0] for v in SEGMENTS.values()])
    industry = rng.choice(list(industries()), n)
    foreign = rng.random(n) < FOREIGN_SHARE
    before = rng.random(n) < SIGNED_BEFORE_WINDOW_SHARE

    special = _pick_special(rng, foreign)
    before[list(special.values())] = True
    signed = np.where(before, -rng.uniform(60, 5 * 365.25, n), rng.uniform(0, 0.85 * length, n))
    start = np.maximum(signed + 14.0, 0.0)

    activity = np.minimum(rng.lognormal(0.0, 0.8, n), 4.0) * np.array([SEGMENTS[s][1] for s in segment])
    activity /= activity.mean()

    common = rng.normal(0.0, 1.0, n)[:, None]
    satisfaction = np.clip(0.64 + 0.12 * common + 0.12 * rng.normal(0.0, 1.0, (n, len(FACTORS))), 0.05, 0.97)
    drift = rng.normal(0.0, 0.06, (n, len(FACTORS)))
    p_interview = np.clip(rng.normal(0.60, 0.07, n), 0.35, 0.85)
    p_approve = np.clip(rng.normal(0.75, 0.06, n), 0.5, 0.92)
    _shape_special(special, satisfaction, drift, p_interview, p_approve, activity)

    never = np.full(n, length)
    traits = _Traits(satisfaction=satisfaction, drift=drift, signed=signed, start=start, pause_from=never,
                     pause_to=never)
    hazard = churn_hazard(traits, window, frailty=rng.normal(0.0, CHURN_LOGIT["frailty_sd"], n))
    hazard[list(special.values())] = 0.0
    pause_from, hazard = _decisions(rng, hazard, start, window)
    comes_back = (pause_from < length) & (rng.random(n) < RETURNING_SHARE)
    pause_to = np.where(comes_back, np.minimum(pause_from + rng.uniform(200, 420, n), length), length)

    n_managers = max(2, round(n / 8))
    manager_names, _ = person_names(rng, n_managers)
    managers = manager_names[rng.integers(0, n_managers, n)]
    contacts = _contacts(rng, np.repeat(managers, 2), np.repeat(foreign, 2)).reshape(n, 2)
    width = max(3, len(str(n)))
    frame = pd.DataFrame(
        {
            "client_id": np.array([f"C{i + 1:0{width}d}" for i in range(n)], dtype=object),
            "client_name": company_names(rng, industry, segment, foreign),
            "segment": segment.astype(object),
            "industry": industry.astype(object),
            "source": rng.choice(SOURCES, n, p=SOURCE_SHARES).astype(object),
            "signed_at": window.to_date(signed),
            "account_manager": managers,
        }
    )
    return Accounts(
        frame=frame,
        foreign=foreign,
        activity=activity,
        signed=signed,
        start=start,
        pause_from=pause_from,
        pause_to=pause_to,
        churn_hazard=hazard,
        satisfaction=satisfaction,
        drift=drift,
        p_interview=p_interview,
        p_approve=p_approve,
        special=special,
        managers=managers,
        contacts=contacts,
    )


@dataclasses.dataclass(frozen=True)
class _Traits:
    """What the hazard needs before the :class:`Accounts` exist (nobody has decided to leave yet)."""

    satisfaction: np.ndarray
    drift: np.ndarray
    signed: np.ndarray
    start: np.ndarray
    pause_from: np.ndarray
    pause_to: np.ndarray


def satisfaction_at(accounts: Accounts | _Traits, client: np.ndarray, day: np.ndarray, window: Window) -> np.ndarray:
    """True satisfaction (rows x factors) of ``client`` at ``day``.

    It drifts linearly through the window, and falls by :data:`LEAVING_DROP` while a client that
    decided to leave is on its way out (from the decision until it comes back, if it does).
    """
    day = np.asarray(day, dtype=float)
    years_from_mid = (day - window.days / 2.0) / 365.25
    value = accounts.satisfaction[client] + accounts.drift[client] * years_from_mid[:, None]
    leaving = (day >= accounts.pause_from[client]) & (day < accounts.pause_to[client])
    return np.clip(value - LEAVING_DROP * leaving[:, None], 0.02, 0.98)


def overall_satisfaction(accounts: Accounts | _Traits, client: np.ndarray, day: np.ndarray, window: Window):
    """True overall satisfaction 0..1 of ``client`` at ``day``: factors weighted as in the ratings."""
    weights = np.array([truth.RATING_WEIGHTS[f] for f in FACTORS])
    return satisfaction_at(accounts, client, day, window) @ weights


def quarter_starts(window: Window) -> np.ndarray:
    """First day of every quarter of the window (days since its start), and the window's length last."""
    starts = pd.period_range(window.start, window.end, freq="Q").start_time
    return np.append(((starts - window.start) / pd.Timedelta(days=1)).to_numpy(dtype=float), float(window.days))


def churn_hazard(accounts: Accounts | _Traits, window: Window, *, frailty: np.ndarray) -> np.ndarray:
    """Quarterly probability of deciding to leave, per client and quarter of the window (before the decision).

    ``logit h = intercept + per_tenth_below * 10 * (typical - s) + first_year * [account < 1 year] + frailty``
    with ``s`` the overall satisfaction in the middle of the quarter (:data:`CHURN_LOGIT`).  Quarters
    before the client starts working with the firm get 0.
    """
    bounds = quarter_starts(window)
    middle = (bounds[:-1] + bounds[1:]) / 2.0
    n, q = len(accounts.start), len(middle)
    client, day = np.repeat(np.arange(n), q), np.tile(middle, n)
    s = overall_satisfaction(accounts, client, day, window).reshape(n, q)
    young = (middle[None, :] - accounts.signed[:, None]) < 365.25
    logit = (
        CHURN_LOGIT["intercept"]
        + CHURN_LOGIT["per_tenth_below"] * 10.0 * (TYPICAL_SATISFACTION - s)
        + CHURN_LOGIT["first_year"] * young
        + frailty[:, None]
    )
    hazard = 1.0 / (1.0 + np.exp(-logit))
    return np.where(bounds[1:][None, :] > accounts.start[:, None] + 90.0, hazard, 0.0)


def request_intensity(accounts: Accounts, client: np.ndarray, day: np.ndarray, window: Window) -> np.ndarray:
    """Multiplier of a client's request rate at ``day``: ``exp(REQUESTS_PER_TENTH * 10 * (s - typical))``."""
    s = overall_satisfaction(accounts, client, day, window)
    return np.exp(REQUESTS_PER_TENTH * 10.0 * (s - TYPICAL_SATISFACTION))


def request_ceiling(accounts: Accounts, window: Window) -> np.ndarray:
    """Per client, an upper bound of :func:`request_intensity` over the window.

    Each factor's satisfaction drifts linearly (then is clipped), so it is largest at one end of the
    window; the weighted sum of those largest values bounds the overall satisfaction.
    """
    clients = np.arange(len(accounts.activity))
    ends = [satisfaction_at(accounts, clients, np.full(len(clients), d), window) for d in (0.0, float(window.days))]
    weights = np.array([truth.RATING_WEIGHTS[f] for f in FACTORS])
    s = np.maximum(*ends) @ weights
    return np.exp(REQUESTS_PER_TENTH * 10.0 * (s - TYPICAL_SATISFACTION))


def _decisions(rng, hazard: np.ndarray, start: np.ndarray, window: Window) -> tuple[np.ndarray, np.ndarray]:
    """Day each client decides to leave (window length: never) and its hazards, zero from then on.

    A decision falls uniformly inside its quarter, never in a client's first 90 days.
    """
    bounds = quarter_starts(window)
    decided = rng.random(hazard.shape) < hazard
    n, q = hazard.shape
    first = np.where(decided.any(axis=1), decided.argmax(axis=1), q)
    has = first < q
    lo = np.maximum(bounds[np.minimum(first, q - 1)], start + 90.0)
    hi = bounds[np.minimum(first, q - 1) + 1]
    day = np.where(has, lo + rng.random(n) * np.maximum(hi - lo, 0.0), float(window.days))
    after = np.arange(q)[None, :] > first[:, None]
    return day, np.where(after, 0.0, hazard)


def _contacts(rng, manager: np.ndarray, english: np.ndarray) -> np.ndarray:
    """Interviewees' names, none the same as the interviewing account manager or each other."""
    names, _ = person_names(rng, len(manager), english=english)
    clash = (names == manager) | (np.arange(len(names)) % 2 == 1) & (names == np.roll(names, 1))
    while clash.any():
        names[clash], _ = person_names(rng, int(clash.sum()), english=english[clash])
        clash = (names == manager) | (np.arange(len(names)) % 2 == 1) & (names == np.roll(names, 1))
    return names


def _pick_special(rng: np.random.Generator, foreign: np.ndarray) -> dict:
    """Three distinct domestic clients for the special roles (made domestic if too few are)."""
    domestic = np.flatnonzero(~foreign)
    if len(domestic) < len(SPECIAL_ROLES):
        domestic = np.arange(len(foreign))
    chosen = rng.choice(domestic, len(SPECIAL_ROLES), replace=False)
    foreign[chosen] = False
    return {role: int(i) for role, i in zip(SPECIAL_ROLES, chosen)}


def _shape_special(special, satisfaction, drift, p_interview, p_approve, activity) -> None:
    col = {f: i for i, f in enumerate(FACTORS)}
    churny, weak, unhappy = (special[r] for r in SPECIAL_ROLES)
    satisfaction[churny, col["team"]] = 0.15
    satisfaction[churny, col["quality"]] = 0.45
    drift[churny, col["team"]] = -0.04
    satisfaction[weak, col["speed"]] = 0.30
    p_interview[weak], p_approve[weak] = 0.30, 0.50
    satisfaction[unhappy, col["service"]] = 0.12
    drift[unhappy, col["service"]] = -0.03
    activity[[churny, weak, unhappy]] = np.maximum(activity[[churny, weak, unhappy]], 1.2)
