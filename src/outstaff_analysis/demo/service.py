"""SLA events of the demo firm: first answers to messages, bug fixes and replacements.

Messages and bugs arrive while a client works with the firm (in proportion to its volume);
replacements are the episodes of :mod:`~outstaff_analysis.demo.placements` (a specialist left and
the next one started some working days later).  The unhappy-service client waits hours for answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import truth
from .accounts import Accounts
from .placements import Placements
from .timeline import Window, active_days, uniform_in_active

MESSAGES_PER_CLIENT_MONTH = 4.0
BUGS_PER_CLIENT_MONTH = 0.8
"""Events per active client-month at activity 1."""


def simulate_sla(
    rng: np.random.Generator, accounts: Accounts, placements: Placements, window: Window
) -> pd.DataFrame:
    """The sla_events table (processed dtypes), sorted by ``opened_at``.

    Parameters
    ----------
    rng : numpy.random.Generator
    accounts : Accounts
    placements : Placements
        Supplies the replacement episodes.
    window : Window

    Returns
    -------
    pandas.DataFrame
        Columns of ``schema.TABLES["sla_events"]``; ``resolved_at`` is blank when the event was
        still open at the export date.
    """
    length = float(window.days)
    months = active_days(accounts.start, accounts.pause_from, accounts.pause_to, length) / 30.4375

    msg_client = np.repeat(
        np.arange(len(months)), rng.poisson(MESSAGES_PER_CLIENT_MONTH * accounts.activity * months)
    )
    msg_open = window.working_time(
        rng,
        uniform_in_active(rng, msg_client, accounts.start, accounts.pause_from, accounts.pause_to, length),
    )
    unhappy = msg_client == accounts.special["unhappy_service"]
    slow, usual = truth.MESSAGE_MINUTES["unhappy_service"], truth.MESSAGE_MINUTES["ordinary"]
    median = np.where(unhappy, slow[0], usual[0])
    sigma = np.where(unhappy, slow[1], usual[1])
    msg_close = msg_open + median * np.exp(sigma * rng.standard_normal(len(msg_client))) / 1440.0

    bug_client = np.repeat(
        np.arange(len(months)), rng.poisson(BUGS_PER_CLIENT_MONTH * accounts.activity * months)
    )
    severities = list(truth.BUG_SEVERITY_SHARES)
    severity = rng.choice(len(severities), len(bug_client), p=list(truth.BUG_SEVERITY_SHARES.values()))
    raw = uniform_in_active(rng, bug_client, accounts.start, accounts.pause_from, accounts.pause_to, length)
    critical = severity == severities.index("critical")
    bug_open = np.where(critical, raw, window.working_time(rng, raw))  # production incidents come at any hour
    med = np.array([truth.BUG_HOURS[s][0] for s in severities])[severity]
    sig = np.array([truth.BUG_HOURS[s][1] for s in severities])[severity]
    bug_close = bug_open + med * np.exp(sig * rng.standard_normal(len(bug_client))) / 24.0

    rep_client = placements.replacement_client
    rep_open = placements.replacement_opened + rng.uniform(10, 17, len(rep_client)) / 24.0
    rep_close = placements.replacement_resolved + rng.uniform(10, 11, len(rep_client)) / 24.0

    client = np.concatenate([msg_client, bug_client, rep_client])
    kind = np.repeat(["message", "bug", "replacement"], [len(msg_client), len(bug_client), len(rep_client)])
    opened = np.concatenate([msg_open, bug_open, rep_open])
    closed = np.concatenate([msg_close, bug_close, rep_close])
    sev = np.concatenate(
        [
            np.full(len(msg_client), None),
            np.asarray(severities, dtype=object)[severity],
            np.full(len(rep_client), None),
        ]
    )
    keep = opened < length
    closed = np.where(closed < length, closed, np.nan)
    order = np.lexsort((kind[keep], opened[keep]))
    return pd.DataFrame(
        {
            "client_id": accounts.ids[client[keep][order]],
            "kind": kind[keep][order].astype(object),
            "opened_at": window.to_datetime(opened[keep][order]),
            "resolved_at": window.to_datetime(closed[keep][order]),
            "severity": sev[keep][order],
        }
    )
