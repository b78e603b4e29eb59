"""Client accounts of the demo firm: the clients table and each client's hidden traits.

Traits drive everything else: how many requests a client opens (``activity``), how well its
funnel converts, how satisfied it is with each factor (and how that drifts), and whether its
account goes quiet for a while (``pause_from``/``pause_to``: no new requests) and comes back.
Three clients are made deliberately different: ``churny``, ``weak_funnel`` and ``unhappy_service``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..config import FACTORS
from ..schema import SOURCES
from .names import company_names, industries, person_names
from .timeline import Window

SEGMENTS = {"enterprise": (0.25, 2.0), "mid-market": (0.45, 1.0), "startup": (0.30, 0.35)}
"""Segment -> (share of clients, relative volume of work)."""

SOURCE_SHARES = (0.35, 0.25, 0.20, 0.15, 0.05)
FOREIGN_SHARE = 0.2
SIGNED_BEFORE_WINDOW_SHARE = 0.65
SPECIAL_ROLES = ("churny", "weak_funnel", "unhappy_service")
PAUSING_SHARE, RETURNING_SHARE = 0.3, 0.35
"""Share of clients that stop opening requests during the window, and share of those that return."""


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
        The client opens no requests in ``[pause_from, pause_to)`` (both equal to the window
        length when it never pauses; ``pause_to`` is the window length when it never returns).
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

    pauses, comes_back = _pausing(rng, satisfaction.mean(axis=1), activity, special)
    pause_from = np.where(pauses, rng.uniform(0.1, 0.8, n) * length, length)
    pause_from = np.maximum(pause_from, start + 90.0)
    pause_to = np.where(comes_back, np.minimum(pause_from + rng.uniform(200, 420, n), length), length)
    pause_from = np.minimum(pause_from, length)

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
        satisfaction=satisfaction,
        drift=drift,
        p_interview=p_interview,
        p_approve=p_approve,
        special=special,
        managers=managers,
        contacts=contacts,
    )


def satisfaction_at(accounts: Accounts, client: np.ndarray, day: np.ndarray, window: Window) -> np.ndarray:
    """True satisfaction (rows x factors) of ``client`` at ``day``, drifting linearly through the window."""
    years_from_mid = (np.asarray(day, dtype=float) - window.days / 2.0) / 365.25
    value = accounts.satisfaction[client] + accounts.drift[client] * years_from_mid[:, None]
    return np.clip(value, 0.02, 0.98)


def _contacts(rng, manager: np.ndarray, english: np.ndarray) -> np.ndarray:
    """Interviewees' names, none the same as the interviewing account manager or each other."""
    names, _ = person_names(rng, len(manager), english=english)
    clash = (names == manager) | (np.arange(len(names)) % 2 == 1) & (names == np.roll(names, 1))
    while clash.any():
        names[clash], _ = person_names(rng, int(clash.sum()), english=english[clash])
        clash = (names == manager) | (np.arange(len(names)) % 2 == 1) & (names == np.roll(names, 1))
    return names


def _pausing(rng, mean_satisfaction, activity, special) -> tuple[np.ndarray, np.ndarray]:
    """Which clients stop opening requests (likelier when less satisfied or smaller), and which return."""
    n = len(activity)
    weight = np.exp(-8.0 * (mean_satisfaction - mean_satisfaction.mean())) / np.sqrt(activity)
    weight[list(special.values())] = 0.0
    k = min(round(PAUSING_SHARE * n), n - len(special))
    chosen = rng.choice(n, k, replace=False, p=weight / weight.sum()) if k > 0 else np.array([], dtype=int)
    pauses = np.zeros(n, dtype=bool)
    pauses[chosen] = True
    comes_back = np.zeros(n, dtype=bool)
    comes_back[chosen[: round(RETURNING_SHARE * len(chosen))]] = True
    return pauses, comes_back


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
