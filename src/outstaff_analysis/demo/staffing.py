"""Requests and the staffing funnel of the demo firm (CV shown -> interview -> approved -> started).

Each request gets a batch of candidates; each candidate moves through the stages with the
client's probabilities and is rejected (client's reason) or withdrawn (ours) on the way.  The
first approved candidates up to the headcount start; a request is filled when all have started,
cancelled or put on hold if the client stops it first (a client deciding to leave cancels every
request it still has open within days), and open when nothing decided it by the
export date.  The export carries realistic CRM noise: now and then a skipped ``interview`` row
and exact duplicate rows.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..schema import GRADES, REQUEST_STATUSES, STAGES
from .accounts import Accounts, request_ceiling, request_intensity
from .staff import Staff
from .timeline import Window, active_days, uniform_in_active

REQUESTS_PER_CLIENT_YEAR = 10.5
"""Requests per active client-year at activity 1 and typical satisfaction (see
:func:`~outstaff_analysis.demo.accounts.request_intensity`: a less satisfied client asks for fewer)."""

HEADCOUNT_SHARES = {1: 0.70, 2: 0.17, 3: 0.08, 4: 0.03, 5: 0.02}
REQUEST_GRADE_SHARES = (0.10, 0.40, 0.38, 0.12)
CANDIDATES_PER_REQUEST = 6.0
"""Mean number of extra CVs shown for a one-person request (one more is always shown)."""

EARLY_WITHDRAWAL = 0.05
"""Share of shown candidates we withdraw before the client decides."""

OFFER_DECLINED = 0.08
"""Share of approved candidates who decline the offer."""

CANCEL_SHARE, HOLD_SHARE = 0.22, 0.04
NOISE_SKIPPED_INTERVIEW, NOISE_DUPLICATE = 0.04, 0.005

REASONS = {
    "cv_rejected": (
        "skills mismatch",
        "rate too high",
        "not enough experience",
        "no relevant domain experience",
        "overqualified",
        "client chose another candidate",
    ),
    "interview_rejected": (
        "failed technical interview",
        "skills mismatch",
        "weak communication skills",
        "not a culture fit",
        "rate too high",
        "english level insufficient",
    ),
    "early_withdrawn": (
        "withdrawn: took another project",
        "candidate unavailable",
        "candidate declined: rate",
    ),
    "declined": ("candidate declined offer", "withdrawn: took another project"),
    "filled": ("position filled",),
    "cancelled": ("request cancelled",),
    "on_hold": ("request on hold",),
}
"""Reason texts of rejections (client side) and withdrawals (our side or the request's fate)."""

_REASON_TEXTS = tuple(text for texts in REASONS.values() for text in texts)
_REASON_FIRST = {k: _REASON_TEXTS.index(v[0]) for k, v in REASONS.items()}


@dataclasses.dataclass(frozen=True)
class Staffing:
    """Requests, submissions and the specialists who started.

    Attributes
    ----------
    requests : pandas.DataFrame
        The requests table (processed dtypes), numbered in order of opening.
    rows : dict of numpy.ndarray
        Submission rows in export order: ``request`` (row of ``requests``), ``specialist``,
        ``stage`` (index into STAGES), ``at`` (days) and ``reason`` (-1: none); see
        :func:`submissions_frame`.
    candidates : numpy.ndarray of int
        Sorted keys (:meth:`key`) of every (request, specialist) candidacy.
    start_request, start_client, start_specialist : numpy.ndarray of int
        Request (row of ``requests``), client and specialist of each start before the export.
    start_day : numpy.ndarray of float
        Moment of each start (days since the window start).
    approve_per_shown : numpy.ndarray of float
        True probability per client that a shown CV is approved.
    """

    requests: pd.DataFrame
    rows: dict
    candidates: np.ndarray
    n_specialists: int
    start_request: np.ndarray
    start_client: np.ndarray
    start_specialist: np.ndarray
    start_day: np.ndarray
    approve_per_shown: np.ndarray

    def key(self, request: np.ndarray, specialist: np.ndarray) -> np.ndarray:
        """One integer per (request, specialist) pair."""
        return np.asarray(request, dtype=np.int64) * self.n_specialists + specialist


def simulate_staffing(rng: np.random.Generator, accounts: Accounts, staff: Staff, window: Window) -> Staffing:
    """Simulate every request opened in the window and its candidates.

    Parameters
    ----------
    rng : numpy.random.Generator
    accounts : Accounts
    staff : Staff
    window : Window

    Returns
    -------
    Staffing
    """
    length = float(window.days)
    clients = np.arange(len(accounts.activity))
    ceiling = request_ceiling(accounts, window)
    rate = (
        REQUESTS_PER_CLIENT_YEAR
        * accounts.activity
        * ceiling
        * active_days(accounts.start, accounts.pause_from, accounts.pause_to, length)
        / 365.25
    )
    owner = np.repeat(clients, rng.poisson(rate))
    raw = uniform_in_active(rng, owner, accounts.start, accounts.pause_from, accounts.pause_to, length)
    # thinning: a request drawn at the ceiling rate is kept with the client's intensity on its day
    kept = rng.random(len(owner)) * ceiling[owner] < request_intensity(accounts, owner, raw, window)
    owner, raw = owner[kept], raw[kept]
    opened = window.working_time(rng, raw)
    keep = opened < length
    owner, opened = owner[keep], opened[keep]
    order = np.argsort(opened, kind="stable")
    owner, opened = owner[order], opened[order]
    n = len(owner)

    template = rng.integers(0, len(staff.group), n)
    headcount = rng.choice(list(HEADCOUNT_SHARES), n, p=list(HEADCOUNT_SHARES.values()))
    cancel = rng.random(n) < CANCEL_SHARE
    hold = ~cancel & (rng.random(n) < HOLD_SHARE)
    stop = np.full(n, np.inf)
    stop[cancel] = window.working_time(rng, opened[cancel] + rng.uniform(2, 40, cancel.sum()))
    stop[hold] = window.working_time(rng, opened[hold] + rng.uniform(5, 40, hold.sum()))
    # a client that decides to leave cancels what it still has open within days of the decision
    leaving = window.working_time(rng, accounts.pause_from[owner] + rng.uniform(1, 10, n))
    withdrawn = (accounts.pause_from[owner] < length) & (opened < accounts.pause_from[owner]) & (leaving < stop)
    cancel, hold = cancel | withdrawn, hold & ~withdrawn
    stop[withdrawn] = leaving[withdrawn]

    cand = _candidates(rng, owner, opened, headcount, staff.group[template], accounts, staff, window)
    cand["starter"], status, close, cut = _settle(rng, cand, n, headcount, stop, cancel, hold, length)
    times, kind, reason = _stage_times(rng, cand, status, close, cut, cancel, length, window)
    width = max(5, len(str(n)))
    request_ids = np.array([f"R{i + 1:0{width}d}" for i in range(n)], dtype=object)
    rows = _submission_rows(rng, cand, times, kind, reason)

    started = ~np.isnan(times[:, 3])
    return Staffing(
        requests=_requests_frame(
            rng, accounts, staff, template, owner, opened, headcount, status, close, window, request_ids
        ),
        rows=rows,
        candidates=np.unique(cand["request"].astype(np.int64) * len(staff.group) + cand["specialist"]),
        n_specialists=len(staff.group),
        start_request=cand["request"][started],
        start_client=owner[cand["request"][started]],
        start_specialist=cand["specialist"][started],
        start_day=times[started, 3],
        approve_per_shown=(1 - EARLY_WITHDRAWAL) * accounts.p_interview * accounts.p_approve,
    )


def _candidates(rng, owner, opened, headcount, group, accounts, staff, window) -> dict:
    """Candidates of every request with the moments they would reach each stage."""
    weak = np.zeros(len(accounts.activity), dtype=bool)
    weak[accounts.special["weak_funnel"]] = True
    mean = CANDIDATES_PER_REQUEST * (1 + 0.35 * (headcount - 1)) * np.where(weak[owner], 1.6, 1.0)
    request = np.repeat(np.arange(len(owner)), 1 + rng.poisson(mean))
    specialist = staff.pick(rng, group[request])
    _, first = np.unique(request.astype(np.int64) * len(staff.group) + specialist, return_index=True)
    first.sort()
    request, specialist = request[first], specialist[first]
    client = owner[request]
    m = len(request)

    shown = window.working_time(rng, opened[request] + 1 + rng.exponential(6.0, m))
    early = rng.random(m) < EARLY_WITHDRAWAL
    interviewed = ~early & (rng.random(m) < accounts.p_interview[client])
    approved = interviewed & (rng.random(m) < accounts.p_approve[client])
    declined = approved & (rng.random(m) < OFFER_DECLINED)
    interview_at = window.working_time(rng, shown + 1 + rng.gamma(2.0, 1.5, m))
    approved_at = window.working_time(rng, interview_at + 1 + rng.gamma(2.0, 1.0, m))
    start_at = window.next_workday(approved_at + 3 + rng.gamma(2.0, 4.0, m)) + rng.uniform(10, 11, m) / 24
    return {
        "request": request,
        "specialist": specialist,
        "shown": shown,
        "early": early,
        "interviewed": interviewed,
        "approved": approved,
        "declined": declined,
        "interview_at": interview_at,
        "approved_at": approved_at,
        "start_at": start_at,
    }


def _settle(rng, cand, n, headcount, stop, cancel, hold, length):
    """Who starts; each request's status, closing moment and the moment its open candidacies are cut."""
    req = cand["request"]
    eligible = cand["approved"] & ~cand["declined"] & (cand["approved_at"] < stop[req])
    idx = np.flatnonzero(eligible)
    idx = idx[np.lexsort((cand["approved_at"][idx], req[idx]))]
    first_of_req = np.r_[True, req[idx][1:] != req[idx][:-1]]
    group_start = np.maximum.accumulate(np.where(first_of_req, np.arange(len(idx)), 0))
    rank = np.arange(len(idx)) - group_start
    starter = np.zeros(len(req), dtype=bool)
    starter[idx[rank < headcount[req[idx]]]] = True

    n_start = np.bincount(req[starter], minlength=n)
    last_start = np.full(n, -np.inf)
    np.maximum.at(last_start, req[starter], cand["start_at"][starter])
    full = n_start == headcount
    last_activity = np.full(n, -np.inf)
    np.maximum.at(last_activity, req, np.fmax(cand["approved_at"], cand["shown"]) + 14.0)

    stale = ~full & ~cancel & ~hold & (rng.random(n) < 0.7)
    close = np.full(n, np.inf)
    close[full] = last_start[full]
    by_cancel = ~full & cancel
    close[by_cancel] = np.maximum(stop[by_cancel], last_start[by_cancel])
    close[stale] = np.maximum(last_activity[stale], last_start[stale]) + rng.uniform(20, 60, stale.sum())

    status = np.full(n, REQUEST_STATUSES.index("open"))
    ended = full | by_cancel | stale
    status[ended] = np.where(
        n_start[ended] > 0, REQUEST_STATUSES.index("filled"), REQUEST_STATUSES.index("cancelled")
    )
    status[~full & hold] = REQUEST_STATUSES.index("on_hold")
    status[(ended & (close >= length)) | (~full & hold & (stop >= length))] = REQUEST_STATUSES.index("open")
    close[status == REQUEST_STATUSES.index("open")] = np.inf
    close[status == REQUEST_STATUSES.index("on_hold")] = np.inf
    cut = np.where(~full & (cancel | hold), stop, np.inf)
    return starter, status, close, cut


def _stage_times(rng, cand, status, close, cut, cancel, length, window):
    """Moments of each candidate's stages (NaN: not reached or not yet) and terminal stage/reason."""
    req, m = cand["request"], len(cand["request"])
    shown, starter = cand["shown"], cand["starter"]
    times = np.full((m, 5), np.nan)
    times[:, 0] = shown
    times[cand["interviewed"], 1] = cand["interview_at"][cand["interviewed"]]
    times[cand["approved"], 2] = cand["approved_at"][cand["approved"]]
    times[starter, 3] = cand["start_at"][starter]

    kind = np.full(m, STAGES.index("rejected"))
    reason = np.full(m, -1)
    terminal = np.full(m, np.nan)

    def finish(mask, at, stage, pool):
        terminal[mask] = window.working_time(rng, at[mask])
        kind[mask] = STAGES.index(stage)
        reason[mask] = _REASON_FIRST[pool] + rng.integers(0, len(REASONS[pool]), mask.sum())

    finish(cand["early"], shown + 1 + rng.exponential(4.0, m), "withdrawn", "early_withdrawn")
    finish(
        ~cand["early"] & ~cand["interviewed"], shown + 1 + rng.exponential(3.0, m), "rejected", "cv_rejected"
    )
    after_interview = cand["interview_at"] + 1 + rng.exponential(2.0, m)
    finish(cand["interviewed"] & ~cand["approved"], after_interview, "rejected", "interview_rejected")
    finish(cand["declined"], cand["approved_at"] + 1 + rng.exponential(3.0, m), "withdrawn", "declined")
    spare = cand["approved"] & ~cand["declined"] & ~starter & np.isfinite(close[req]) & (rng.random(m) < 0.6)
    spare &= status[req] == REQUEST_STATUSES.index("filled")
    finish(
        spare, np.fmax(cand["approved_at"], close[req]) + 1 + rng.exponential(3.0, m), "withdrawn", "filled"
    )
    times[:, 4] = terminal

    gone = shown >= np.minimum(close, cut)[req]
    hit = ~starter & ~gone & (times > cut[req][:, None]).any(axis=1)
    times[hit] = np.where(times[hit] > cut[req[hit]][:, None], np.nan, times[hit])
    times[hit, 4] = cut[req[hit]]
    kind[hit] = STAGES.index("withdrawn")
    reason[hit] = np.where(cancel[req[hit]], _REASON_FIRST["cancelled"], _REASON_FIRST["on_hold"])
    times[gone] = np.nan
    times[times >= length] = np.nan
    return times, kind, reason


def _submission_rows(rng, cand, times, kind, reason) -> dict:
    """Melt stage moments into submission rows (arrays), add the export's noise and sort."""
    row, col = np.nonzero(~np.isnan(times))
    stage = np.where(col == 4, kind[row], col)
    why = np.where(col == 4, reason[row], -1)
    approved = ~np.isnan(times[:, 2])
    skip = (col == 1) & approved[row] & (rng.random(len(row)) < NOISE_SKIPPED_INTERVIEW)
    row, col, stage, why = row[~skip], col[~skip], stage[~skip], why[~skip]
    take = np.sort(
        np.concatenate([np.arange(len(row)), np.flatnonzero(rng.random(len(row)) < NOISE_DUPLICATE)])
    )
    row, col, stage, why = row[take], col[take], stage[take], why[take]

    at = times[row, col]
    request, specialist = cand["request"][row], cand["specialist"][row]
    order = np.lexsort((stage, specialist, request, at))
    return {
        "request": request[order],
        "specialist": specialist[order],
        "stage": stage[order],
        "at": at[order],
        "reason": why[order],
    }


def submissions_frame(staffing: Staffing, staff: Staff, window: Window, *, moved: dict) -> pd.DataFrame:
    """The submissions table, with started candidates' specialists moved as placements require.

    Parameters
    ----------
    staffing : Staffing
    staff : Staff
    window : Window
    moved : dict
        ``(request, specialist)`` key (see :meth:`Staffing.key`) -> the specialist who takes that
        candidacy instead (a different person of the same role and stack).

    Returns
    -------
    pandas.DataFrame
        Columns of ``schema.TABLES["submissions"]``.
    """
    rows = staffing.rows
    specialist = rows["specialist"].copy()
    if moved:
        old = np.array(sorted(moved), dtype=np.int64)
        new = np.array([moved[k] for k in old.tolist()], dtype=np.int64)
        keys = staffing.key(rows["request"], specialist)
        pos = np.searchsorted(old, keys).clip(max=len(old) - 1)
        hit = old[pos] == keys
        specialist[hit] = new[pos[hit]]
    reasons = np.asarray((None, *_REASON_TEXTS), dtype=object)
    return pd.DataFrame(
        {
            "request_id": staffing.requests["request_id"].to_numpy()[rows["request"]],
            "specialist_id": staff.frame["specialist_id"].to_numpy()[specialist],
            "stage": np.asarray(STAGES, dtype=object)[rows["stage"]],
            "at": window.to_datetime(rows["at"]),
            "reason": reasons[rows["reason"] + 1],
        }
    )


def _requests_frame(
    rng, accounts, staff, template, owner, opened, headcount, status, close, window, request_ids
):
    """The requests table: what was asked (role, stack, grade, headcount) and how it ended."""
    n = len(owner)
    grade = rng.choice(len(GRADES), n, p=REQUEST_GRADE_SHARES)
    return pd.DataFrame(
        {
            "request_id": request_ids,
            "client_id": accounts.ids[owner],
            "opened_at": window.to_datetime(opened),
            "role": staff.frame["role"].to_numpy()[template],
            "stack": staff.frame["stack"].to_numpy()[template],
            "grade": np.asarray(GRADES, dtype=object)[grade],
            "headcount": pd.array(headcount, dtype="Int64"),
            "status": np.asarray(REQUEST_STATUSES, dtype=object)[status],
            "closed_at": window.to_datetime(np.where(np.isfinite(close), close, np.nan)),
        }
    )
