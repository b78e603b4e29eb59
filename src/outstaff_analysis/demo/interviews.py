"""Client interviews of the demo firm: the interviews table, transcripts and their truth.

About three calls per client and year while the account is active.  Each call has a true
satisfaction per factor (the client's drifting satisfaction plus a little mood), an overall 0-10
rating built from it with :data:`~outstaff_analysis.demo.truth.RATING_WEIGHTS` (recorded in the
table for about 60% of calls, said aloud in about a third), and a transcript whose wording
follows those satisfactions.  Wording uses its own random stream per call, so generating
transcripts or not leaves the tables unchanged.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from ..config import FACTORS
from . import truth
from .accounts import Accounts, satisfaction_at
from .dialogue import Call, compose_interview
from .formats import FORMATS, render, time_segments
from .timeline import Window

CALLS_PER_YEAR = {2: 0.2, 3: 0.6, 4: 0.2}
RATING_RECORDED, RATING_SPOKEN, FIVE_POINT = 0.6, 0.35, 0.3
AUTO_LANGUAGE = 0.08
SECOND_PARTICIPANT = 0.15
MOOD = 0.05
"""Standard deviation of a call's satisfaction around the client's current one."""

PAUSED_CALLS_DAYS = 180
"""Calls go on this long after a client stops opening requests (its team still works)."""

MAIN_ROLES = {"cto": 0.45, "pm": 0.25, "product": 0.15, "ceo": 0.15}
OTHER_ROLES = {"pm": 0.35, "product": 0.25, "hr": 0.2, "other": 0.2}


@dataclasses.dataclass(frozen=True)
class Interviews:
    """The interviews table, transcript texts by relative path, and per-interview truth."""

    frame: pd.DataFrame
    transcripts: dict
    truth: dict


def simulate_interviews(
    rng: np.random.Generator,
    accounts: Accounts,
    window: Window,
    *,
    terminated: np.ndarray,
    wording_seed: int,
    transcripts: bool,
) -> Interviews:
    """Schedule the calls, rate them and (optionally) write their transcripts.

    Parameters
    ----------
    rng : numpy.random.Generator
        Stream for the table.
    accounts : Accounts
    window : Window
    terminated : numpy.ndarray of float
        Per client, the day it ended its contract (``inf``: never); no calls from then until it returns.
    wording_seed : int
        Seed of the per-call wording streams.
    transcripts : bool
        Write transcript texts (the table lists their paths either way).

    Returns
    -------
    Interviews
    """
    n_clients, length = len(accounts.activity), float(window.days)
    grid = np.repeat(np.arange(n_clients), window.years)
    year = np.tile(np.arange(window.years), n_clients)
    calls = rng.choice(list(CALLS_PER_YEAR), len(grid), p=list(CALLS_PER_YEAR.values()))
    client = np.repeat(grid, calls)
    year_start = np.array(
        [
            (pd.Timestamp(year=window.start_year + y, month=1, day=1) - window.start).days
            for y in range(window.years)
        ],
        dtype=float,
    )
    raw = year_start[np.repeat(year, calls)] + rng.random(len(client)) * 365.0
    day = window.working_time(rng, raw)
    active = (day >= accounts.start[client] + 20) & (day < length)
    quiet_from = np.minimum(accounts.pause_from[client] + PAUSED_CALLS_DAYS, terminated[client])
    active &= ~((day >= quiet_from) & (day < accounts.pause_to[client]))
    client, day = client[active], day[active]
    order = np.lexsort((client, day))
    client, day = client[order], day[order]
    n = len(client)

    mood = satisfaction_at(accounts, client, day, window) + rng.normal(0.0, MOOD, (n, len(FACTORS)))
    satisfaction = np.clip(mood, 0.0, 1.0)
    weights = np.array([truth.RATING_WEIGHTS[f] for f in FACTORS])
    rating = np.clip(np.round(10 * satisfaction @ weights + rng.normal(0.0, truth.RATING_NOISE, n)), 0, 10)
    rating = rating.astype(int)
    recorded = rng.random(n) < RATING_RECORDED
    spoken = rng.random(n) < RATING_SPOKEN
    five = spoken & (rating % 2 == 0) & (rng.random(n) < FIVE_POINT)
    contact = (rng.random(n) < 0.25).astype(int)
    main_role = rng.choice(list(MAIN_ROLES), n_clients, p=list(MAIN_ROLES.values()))
    other_role = rng.choice(list(OTHER_ROLES), n_clients, p=list(OTHER_ROLES.values()))
    role = np.where(contact == 0, main_role[client], other_role[client])
    second = rng.random(n) < SECOND_PARTICIPANT
    n_discussed = rng.integers(3, len(FACTORS) + 1, n)
    topic_order = np.argsort(rng.random((n, len(FACTORS))), axis=1)
    language = np.where(accounts.foreign[client], "en", "ru")
    shown_language = np.where(rng.random(n) < AUTO_LANGUAGE, "auto", language)

    width = max(4, len(str(n)))
    ids = [f"I{i + 1:0{width}d}" for i in range(n)]
    dates = window.to_date(day).astype("datetime64[D]").astype(str)
    client_ids = accounts.ids[client]
    paths = [
        f"{c}/{d}_{i}.{FORMATS[k % len(FORMATS)]}" for k, (c, d, i) in enumerate(zip(client_ids, dates, ids))
    ]
    flags = _red_flags(accounts)

    texts, facts = {}, {}
    for k in range(n):
        c = client[k]
        discussed = _discussed(topic_order[k], n_discussed[k], flags.get(int(c), ()))
        said = (int(rating[k] // 2), 5) if five[k] else (int(rating[k]), 10) if spoken[k] else None
        facts[ids[k]] = {
            "satisfaction": {f: round(float(v), 4) for f, v in zip(FACTORS, satisfaction[k])},
            "discussed": list(discussed),
            "rating": int(rating[k]),
            "spoken_rating": None if said is None else {"value": said[0], "scale": said[1]},
        }
        if transcripts:
            call = Call(
                language=str(language[k]),
                interviewer=str(accounts.managers[c]),
                client=str(accounts.contacts[c, contact[k]]),
                second=str(accounts.contacts[c, 1 - contact[k]]) if second[k] else "",
                satisfaction=dict(zip(FACTORS, satisfaction[k])),
                discussed=discussed,
                spoken_rating=said,
                red_flags=flags.get(int(c), ()),
            )
            wording = np.random.default_rng([wording_seed, k])
            segments = time_segments(wording, compose_interview(wording, call))
            texts[paths[k]] = render(segments, paths[k].rsplit(".", 1)[1], zoom_style=k % 8 == 5)

    frame = pd.DataFrame(
        {
            "interview_id": np.array(ids, dtype=object),
            "client_id": client_ids,
            "held_at": window.to_datetime(day),
            "transcript": np.array(paths, dtype=object),
            "language": shown_language.astype(object),
            "interviewer": accounts.managers[client],
            "client_role": role.astype(object),
            "overall_rating": np.where(recorded, rating, np.nan).astype(float),
        }
    )
    return Interviews(frame=frame, transcripts=texts, truth=facts)


def _red_flags(accounts: Accounts) -> dict:
    """Client index -> factors on which it speaks in red flags."""
    return {accounts.special["unhappy_service"]: ("service",), accounts.special["churny"]: ("team",),
            accounts.special["weak_funnel"]: ("speed",)}


def _discussed(order: np.ndarray, k: int, must: tuple) -> tuple:
    chosen = [FACTORS[i] for i in order[:k]]
    for factor in must:
        if factor not in chosen:
            chosen[-1] = factor
    return tuple(chosen)
