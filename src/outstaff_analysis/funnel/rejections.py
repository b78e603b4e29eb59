"""Why specialists drop out of the funnel: reasons per stage, by side (client, ours or neutral)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import DEFAULT_SETTINGS, Settings
from ..periods import resolve_as_of
from .grouping import check_by, period_labels
from .stages import OUTCOMES, PROGRESS, REQUEST_KEYS, check_tables, stage_times

SIDES = {"rejected": "client", "withdrawn": "ours"}
"""Side of a reason that ``settings.rejection_sides`` does not list: the client rejected the
specialist, or we withdrew (or the candidate declined)."""

NOT_SHOWN = "not_shown"
"""Exit stage of a specialist who left before the CV was shown."""


def rejection_reasons(
    requests: pd.DataFrame,
    submissions: pd.DataFrame,
    *,
    as_of,
    by=("client_id",),
    freq: str | None = "quarter",
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Reasons specialists left the funnel, split by side and by the stage they had reached.

    Each (request, specialist) counts once, at its first ``rejected`` or ``withdrawn`` event up to
    ``as_of``.  Its stage is the furthest stage reached by then (``not_shown`` if none).  Its side
    is that of its reason in ``settings.rejection_sides`` (a cancelled request is the client's
    decision, "position filled" is neutral), else ``client`` for ``rejected`` and ``ours`` for
    ``withdrawn`` (we withdrew the candidate or the candidate declined).  Periods are request
    cohorts, as in the cohort funnel.

    Parameters
    ----------
    requests, submissions : DataFrame
        Processed ``requests`` and ``submissions`` tables.
    as_of : date-like
        Nothing after this day is seen.
    by : str or sequence of str
        Request columns to group by (see :data:`~outstaff_analysis.funnel.REQUEST_KEYS`).
    freq : {"quarter", "month", "year", None}
        Period of the request cohort.
    settings : Settings
        Uses ``rejection_sides``.

    Returns
    -------
    DataFrame
        Columns ``*by``, ``period``, ``side``, ``stage``, ``reason`` (``"unspecified"`` when
        empty), ``count`` and ``share`` (of the exits with the same group, period, side and stage).
    """
    check_tables(requests, submissions)
    by = check_by(by, REQUEST_KEYS, requests)
    as_of = resolve_as_of(as_of)
    reqs = requests[requests["opened_at"] <= as_of]
    exits = submissions[(submissions["at"] <= as_of) & submissions["stage"].isin(OUTCOMES)]
    exits = exits[exits["request_id"].isin(reqs["request_id"])]
    exits = exits.sort_values("at", kind="stable").drop_duplicates(["request_id", "specialist_id"])
    reached = stage_times(reqs, submissions, as_of=as_of)
    merged = exits.merge(reached, on=["request_id", "specialist_id"], how="left")
    at = merged["at"].to_numpy()
    n_reached = sum((merged[f"{s}_at"].to_numpy() <= at).astype(int) for s in PROGRESS)
    by_reason = merged["reason"].astype("string").str.strip().str.casefold().map(dict(settings.rejection_sides))
    merged["side"] = by_reason.astype(object).where(by_reason.notna(), merged["stage"].map(SIDES))
    merged["stage"] = np.array([NOT_SHOWN, *PROGRESS], dtype=object)[n_reached]
    merged["reason"] = merged["reason"].where(merged["reason"].notna() & (merged["reason"] != ""), "unspecified")
    info = reqs.set_index("request_id")
    keys = info.loc[merged["request_id"], by].astype(object).reset_index(drop=True) if by else pd.DataFrame()
    keys = keys.where(keys.notna(), "unknown") if by else keys
    table = pd.concat([keys, merged[["side", "stage", "reason"]]], axis=1)
    table.insert(len(by), "period", period_labels(info.loc[merged["request_id"], "opened_at"], freq))
    columns = [*by, "period", "side", "stage", "reason"]
    out = table.groupby(columns, sort=True).size().rename("count").reset_index()
    out["share"] = out["count"] / out.groupby(columns[:-1])["count"].transform("sum")
    return out


__all__ = ["NOT_SHOWN", "SIDES", "rejection_reasons"]
