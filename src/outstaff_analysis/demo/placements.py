"""Placements of the demo firm: starts, tenures drawn from the true hazards, ends and replacements.

Three sources of placements: the starts of the funnel (with their request), the team each client
already had when the data window opened (begun earlier; only those still active on its first day
are exported, so they are left-truncated), and replacements of specialists who left or were
replaced (no request: the account manager arranges them).  Tenures and end reasons come from
:func:`~outstaff_analysis.demo.truth.sample_tenure`; ends after the export date are not seen.
A client that decides to leave (see :mod:`.accounts`) ends its contract some weeks later: every
placement still active then ends that day.  Finally specialists are swapped where needed so that a client's
team never lists the same person twice at once.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..schema import END_REASONS
from . import truth
from .accounts import Accounts
from .staff import Staff
from .staffing import Staffing
from .timeline import Window

HISTORIC_PER_CLIENT_MONTH = 0.95
"""Placement starts per client-month before the window (activity 1)."""

HISTORIC_SPAN_YEARS = 4.0
"""How far back the historic starts reach."""

RUB_RATES = ((180_000, 260_000), (260_000, 380_000), (380_000, 520_000), (480_000, 650_000))
USD_RATES = ((3_000, 4_200), (4_000, 5_500), (5_500, 7_500), (7_000, 9_000))
"""Monthly rate ranges by grade (junior, middle, senior, lead)."""

RELEASE_SHARE = 0.3
"""Share of its team a client that decided to leave releases soon after the decision."""

TEAM_ROUNDS = 8
"""Rounds of swapping specialists to keep each client's team free of the same person twice."""

_GROUP_STRIDE = 10**8
"""Larger than any last day: keeps running maxima of ends from leaking between groups."""

RUB_INDEXATION = 0.07
"""Yearly growth of rouble rates."""


@dataclasses.dataclass(frozen=True)
class Placements:
    """The placements table and the replacement episodes it implies.

    Attributes
    ----------
    frame : pandas.DataFrame
        The placements table (processed dtypes), numbered in order of start.
    replacement_client : numpy.ndarray of int
        Client of each replacement episode (a specialist left and a replacement was arranged).
    replacement_opened : numpy.ndarray of int
        Day the previous specialist's last day was (the replacement is needed from then).
    replacement_resolved : numpy.ndarray of float
        Day the replacement started (NaN if after the export).
    first_day : numpy.ndarray of float
        First day each specialist was placed (NaN if never in the window's data).
    terminated : numpy.ndarray of float
        Per client, the day it ended the contract (every active placement ends then); ``inf`` if never.
    released : numpy.ndarray of float
        Per client, the day a leaving client let part of its team go (``inf`` if never).
    moved : dict
        Candidacies whose specialist was swapped to keep a client's team free of the same person
        twice: ``staffing.key(request, old specialist)`` -> new specialist (see
        :func:`~outstaff_analysis.demo.staffing.submissions_frame`).
    """

    frame: pd.DataFrame
    replacement_client: np.ndarray
    replacement_opened: np.ndarray
    replacement_resolved: np.ndarray
    first_day: np.ndarray
    terminated: np.ndarray
    released: np.ndarray
    moved: dict


def simulate_placements(
    rng: np.random.Generator, accounts: Accounts, staff: Staff, staffing: Staffing, window: Window
) -> Placements:
    """Build every placement seen in the export, with tenures, end reasons and replacements.

    Parameters
    ----------
    rng : numpy.random.Generator
    accounts : Accounts
    staff : Staff
    staffing : Staffing
        Supplies the funnel's starts.
    window : Window

    Returns
    -------
    Placements
    """
    length = window.days
    hist_client, hist_spec, hist_start = _historic_starts(rng, accounts, staff)
    client = np.concatenate([staffing.start_client, hist_client])
    specialist = np.concatenate([staffing.start_specialist, hist_spec])
    request = np.concatenate([staffing.start_request, np.full(len(hist_client), -1)])
    start = np.concatenate([np.floor(staffing.start_day).astype(np.int64), hist_start])
    end, reason = _tenure(rng, client, start, accounts)
    keep = end >= 1  # historic placements must still be active on the window's first day
    client, specialist, request, start, end, reason = (
        x[keep] for x in (client, specialist, request, start, end, reason)
    )
    terminated = _termination_days(rng, accounts, client, request, start, end, length)
    release_day = np.where(np.isfinite(terminated), np.floor(accounts.pause_from + rng.uniform(5, 30, len(terminated))),
                           np.inf)
    parts = [_terminate(rng, terminated, release_day, accounts, client, specialist, request, start, end, reason)]

    episodes = []
    while True:
        c, s, _, _, e, r = parts[-1]
        redo = (e < length) & (rng.random(len(e)) < _replace_probability(r))
        if not redo.any():
            break
        delay = rng.choice(
            list(truth.REPLACEMENT_DELAY_WORKDAYS),
            redo.sum(),
            p=list(truth.REPLACEMENT_DELAY_WORKDAYS.values()),
        )
        new_start = window.add_workdays(e[redo], delay)
        c, s, e = c[redo], s[redo], e[redo]
        wanted = (new_start < terminated[c]) | (new_start >= accounts.pause_to[c])  # else the account ended
        c, s, e, new_start = c[wanted], s[wanted], e[wanted], new_start[wanted]
        episodes.append((c, e, np.where(new_start < length, new_start, np.nan)))
        seen = new_start < length
        nc, ns = c[seen], new_start[seen]
        nspec = staff.pick(rng, staff.group[s[seen]], avoid=s[seen])
        ne, nr = _tenure(rng, nc, ns, accounts)
        parts.append(_terminate(rng, terminated, release_day, accounts, nc, nspec, np.full(len(nc), -1), ns, ne, nr))

    client, specialist, request, start, end, reason = (np.concatenate(x) for x in zip(*parts))
    specialist, moved = _spread_teams(rng, staff, staffing, client, specialist, request, start, end)
    frame = _frame(rng, accounts, staff, staffing, window, client, specialist, request, start, end, reason)
    first_day = np.full(len(staff.group), np.nan)
    np.fmin.at(first_day, specialist, start.astype(float))
    ep = [np.concatenate(x) for x in zip(*episodes)] if episodes else [np.array([], dtype=np.int64)] * 3
    return Placements(
        frame=frame,
        replacement_client=ep[0].astype(np.int64),
        replacement_opened=ep[1].astype(np.int64),
        replacement_resolved=ep[2].astype(float),
        first_day=first_day,
        terminated=terminated,
        released=release_day,
        moved=moved,
    )


def _spread_teams(rng, staff: Staff, staffing: Staffing, client, specialist, request, start, end):
    """Swap specialists so that nobody joins a client's team while already on it.

    The firm has fewer specialists than placements (people work for several clients), but a
    client's team never lists the same person twice at once.  A clashing placement gets another
    specialist of the same role and stack; a funnel start carries its candidacy along, never onto
    someone already a candidate for that request.  A few clashes may remain in tiny firms.
    """
    original, specialist = specialist, specialist.copy()
    funnel = request >= 0
    for _ in range(TEAM_ROUNDS):
        idx = np.flatnonzero(_same_person_twice(client, specialist, start, end))
        if not len(idx):
            break
        new = staff.pick(rng, staff.group[specialist[idx]], avoid=specialist[idx])
        keys = staffing.key(request[idx], new)
        taken = np.concatenate([staffing.candidates, staffing.key(request[funnel], specialist[funnel])])
        free = ~funnel[idx] | ~np.isin(keys, taken)
        first = np.zeros(len(idx), dtype=bool)
        first[np.unique(np.where(funnel[idx], keys, -1 - np.arange(len(idx))), return_index=True)[1]] = True
        ok = free & first
        specialist[idx[ok]] = new[ok]
    changed = funnel & (specialist != original)
    moved = dict(
        zip(staffing.key(request[changed], original[changed]).tolist(), specialist[changed].tolist())
    )
    return specialist, moved


def _same_person_twice(client, specialist, start, end) -> np.ndarray:
    """Placements that start while the same specialist is still placed with the same client."""
    order = np.lexsort((start, specialist, client))
    c, s, st, en = client[order], specialist[order], start[order], end[order]
    same = np.r_[False, (c[1:] == c[:-1]) & (s[1:] == s[:-1])]
    group = np.cumsum(~same).astype(np.int64)
    running = np.maximum.accumulate(group * _GROUP_STRIDE + en)  # running max end within each group
    previous_end = np.r_[np.iinfo(np.int64).min, running[:-1] - group[1:] * _GROUP_STRIDE]
    out = np.empty(len(order), dtype=bool)
    out[order] = same & (previous_end > st)
    return out


def _historic_starts(rng, accounts: Accounts, staff: Staff):
    """Starts before the window of clients signed earlier (the caller keeps those still active)."""
    first = np.maximum(accounts.signed + 14.0, -HISTORIC_SPAN_YEARS * 365.25)
    span = np.maximum(-first, 0.0)
    client = np.repeat(
        np.arange(len(span)), rng.poisson(HISTORIC_PER_CLIENT_MONTH * accounts.activity * span / 30.4375)
    )
    start = np.floor(first[client] + rng.random(len(client)) * span[client]).astype(np.int64)
    specialist = rng.integers(0, len(staff.group), len(client))
    return client, specialist, start


def _termination_days(rng, accounts: Accounts, client, request, start, end, length) -> np.ndarray:
    """Day each client who decided to leave ends its contract (``inf``: never).

    The contract ends :data:`~.truth.LEAVE_LAG_DAYS` (20-90) days after the decision (``pause_from``), and not before the last
    start of a request it opened before then.
    """
    n = len(accounts.activity)
    leaves = accounts.pause_from < length
    day = accounts.pause_from + rng.uniform(*truth.LEAVE_LAG_DAYS, n)
    before_return = (request >= 0) & (start < accounts.pause_to[client])
    last_start = np.full(n, -np.inf)
    np.maximum.at(last_start, client[before_return], start[before_return].astype(float))
    day = np.maximum(day, last_start + 14.0)
    return np.where(leaves, np.floor(day), np.inf)


def _terminate(rng, terminated, release_day, accounts: Accounts, client, specialist, request, start, end, reason):
    """End placements active at their client's termination; drop those that would start during it.

    Between its decision and the termination a leaving client already lets part of its team go
    (:data:`RELEASE_SHARE` of the placements active at the decision end on ``release_day``, 5-30
    days after it).
    """
    day = terminated[client]
    gone = (start >= day) & (start < accounts.pause_to[client])
    released = release_day[client]
    release = (rng.random(len(client)) < RELEASE_SHARE) & (start < released) & (released < day)
    day = np.where(release, released, day)
    cut = (start < day) & (end > day)
    end = np.where(cut, day, end).astype(np.int64)
    closing = np.where(
        rng.random(len(client)) < 0.7,
        END_REASONS.index("client_ended"),
        END_REASONS.index("project_completed"),
    )
    reason = np.where(cut, closing, reason)
    keep = ~gone
    return client[keep], specialist[keep], request[keep], start[keep], end[keep], reason[keep]


def _tenure(rng, client: np.ndarray, start: np.ndarray, accounts: Accounts):
    """Last day (start + tenure) and end reason of each placement, from the true hazards."""
    months = np.empty(len(client))
    reason = np.empty(len(client), dtype=np.int64)
    churny = client == accounts.special["churny"]
    months[~churny], reason[~churny] = truth.sample_tenure(
        rng, int((~churny).sum()), edges=truth.BAND_EDGES, causes=truth.CAUSE_HAZARDS
    )
    months[churny], reason[churny] = truth.sample_tenure(
        rng, int(churny.sum()), edges=truth.CHURNY_BAND_EDGES, causes=truth.CHURNY_CAUSE_HAZARDS
    )
    days = np.maximum(np.round(months * truth.DAYS_PER_MONTH), 1).astype(np.int64)
    return start + days, reason


def _replace_probability(reason: np.ndarray) -> np.ndarray:
    return np.array([truth.REPLACE_AFTER.get(r, 0.0) for r in END_REASONS])[reason]


def _frame(
    rng, accounts, staff, staffing, window, client, specialist, request, start, end, reason
) -> pd.DataFrame:
    """The placements table, numbered by start; ends after the export are blank."""
    order = np.lexsort((specialist, client, start))
    client, specialist, request, start, end, reason = (
        x[order] for x in (client, specialist, request, start, end, reason)
    )
    n = len(client)
    seen = end < window.days
    foreign = accounts.foreign[client]
    grade = staff.grade[specialist]
    low = np.where(foreign, np.array(USD_RATES)[grade, 0], np.array(RUB_RATES)[grade, 0])
    high = np.where(foreign, np.array(USD_RATES)[grade, 1], np.array(RUB_RATES)[grade, 1])
    growth = np.where(foreign, 1.0, (1 + RUB_INDEXATION) ** (start / 365.25))
    step = np.where(foreign, 100.0, 5_000.0)
    rate = np.round(rng.uniform(low, high) * growth / step) * step
    width = max(5, len(str(n)))
    request_ids = np.concatenate([staffing.requests["request_id"].to_numpy(), [None]])
    return pd.DataFrame(
        {
            "placement_id": np.array([f"P{i + 1:0{width}d}" for i in range(n)], dtype=object),
            "specialist_id": staff.frame["specialist_id"].to_numpy()[specialist],
            "client_id": accounts.ids[client],
            "request_id": request_ids[request],
            "started_at": window.to_date(start),
            "ended_at": window.to_date(np.where(seen, end, np.nan)),
            "end_reason": np.where(seen, np.asarray(END_REASONS, dtype=object)[reason], None),
            "monthly_rate": rate.astype(float),
            "currency": np.where(foreign, "USD", "RUB").astype(object),
        }
    )
