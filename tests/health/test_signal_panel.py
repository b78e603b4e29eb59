"""The signal panel against a straightforward reference: each quarter measured on its own.

The reference (below) is how the panel was computed before it was vectorised: for every quarter,
the whole tables are cut at its end and each signal is measured with the domain functions
(``survival.account_lives``, ``funnel.funnel_counts``, ``funnel.time_to_fill``,
``sla.sla_compliance``).  The panel must give the same numbers to the last bit.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from outstaff_analysis import funnel, sla, survival
from outstaff_analysis.config import DEFAULT_SETTINGS, FACTORS, Settings
from outstaff_analysis.health import SIGNAL_COLUMNS, quarter_signals, signal_panel
from outstaff_analysis.health.signals import (
    CLIENT_ENDS,
    LOOKBACK_QUARTERS,
    OUR_SIDE_ENDS,
    TREND_QUARTERS,
    panel_quarters,
)
from outstaff_analysis.periods import parse_quarter, resolve_as_of

_Z95 = float(stats.norm.ppf(0.975))


@pytest.fixture(scope="module")
def demo_scores(demo_firm):
    """CSI scores and red flags for the demo firm's clients: seeded, with gaps, unknown estimates and
    quarters outside the panel, so every branch of the CSI signals is met."""
    rng = np.random.default_rng(20240101)
    quarters = [str(q) for q in pd.period_range("2021Q1", "2025Q1", freq="Q")]
    rows = []
    for client in demo_firm.tables["clients"]["client_id"]:
        for quarter in quarters:
            if rng.random() < 0.4:
                continue
            for factor in ("csi", *FACTORS):
                estimate = rng.uniform(20, 95) if rng.random() > 0.1 else np.nan
                width = rng.uniform(0, 30)
                rows.append({"client_id": client, "quarter": quarter, "factor": factor, "estimate": estimate,
                             "lower_95": estimate - width, "upper_95": estimate + width})
    interviews = demo_firm.tables["interviews"]
    flags = interviews.sample(frac=0.5, replace=True, random_state=7)[["client_id", "held_at"]]
    return pd.DataFrame(rows), flags.reset_index(drop=True)


@pytest.mark.parametrize(("until", "lives"), [("2024Q4", 2), ("2023Q3", 1)])  # 2023Q3: later rows not seen
def test_the_panel_equals_each_quarter_measured_alone(demo_firm, demo_scores, until, lives):
    tables = demo_firm.tables
    scores, flags = demo_scores
    quarters = panel_quarters(tables, until)
    panel = signal_panel(tables, quarters=quarters, csi_scores=scores, red_flags=flags)
    expected = pd.concat([reference_quarter(tables, q, csi_scores=scores, red_flags=flags) for q in quarters],
                         ignore_index=True)
    # the cases are met: many client-quarters, (up to 2024Q4) a client back for a second life, CSI changes, fills
    assert len(expected) > 150 and expected["life"].max() == lives
    assert expected["csi_change_z"].notna().any() and expected["fill_within_30"].notna().any()
    pd.testing.assert_frame_equal(panel, expected, check_exact=True)


def test_quarters_keep_the_order_asked_and_one_quarter_is_the_panel_of_one(demo_firm, demo_scores):
    tables = demo_firm.tables
    scores, flags = demo_scores
    panel = signal_panel(tables, quarters=["2024Q2", "2023Q1"], csi_scores=scores, red_flags=flags)
    assert panel["quarter"].unique().tolist() == ["2024Q2", "2023Q1"]
    for quarter in ("2024Q2", "2023Q1"):
        alone = quarter_signals(tables, quarter, csi_scores=scores, red_flags=flags)
        pd.testing.assert_frame_equal(alone, reference_quarter(tables, quarter, csi_scores=scores, red_flags=flags),
                                      check_exact=True)
        pd.testing.assert_frame_equal(panel[panel["quarter"] == quarter].reset_index(drop=True), alone)


def test_no_quarters_and_no_accounts_give_the_empty_panel(demo_firm):
    assert list(signal_panel(demo_firm.tables, quarters=[]).columns) == list(SIGNAL_COLUMNS)
    assert signal_panel(demo_firm.tables, quarters=["2015Q1"]).empty


# The reference: the per-quarter computation the panel replaced.

def reference_quarter(
    tables: dict,
    quarter,
    *,
    csi_scores: pd.DataFrame | None = None,
    red_flags: pd.DataFrame | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """The signals of one quarter as the panel computed them before it was vectorised."""
    period = parse_quarter(quarter)
    as_of = resolve_as_of(period)
    day = as_of.normalize()
    start = period.start_time.normalize()
    placements = tables["placements"]
    placements = placements[placements["started_at"] <= as_of]
    frame = _accounts(placements, tables["clients"], as_of, settings)
    ids = frame["client_id"]
    if frame.empty:
        return _empty()

    ends = placements["ended_at"].where(placements["ended_at"] <= as_of)
    active = ends.isna()
    previous_end = start - pd.Timedelta(days=1)
    active_before = (placements["started_at"] <= previous_end) & (ends.isna() | (ends > previous_end))
    ended_now = ends.notna() & (ends >= start)
    reason = placements["end_reason"].where(ended_now)
    by_client = placements["client_id"]
    last_end = ends.groupby(by_client).max()
    frame["headcount"] = _count(ids, by_client[active])
    frame["headcount_change"] = frame["headcount"] - _count(ids, by_client[active_before])
    gap = (day - ids.map(last_end)).dt.days.astype(float)
    frame["days_without_team"] = np.where(frame["headcount"] > 0, 0.0, gap)
    frame["started"] = _count(ids, by_client[placements["started_at"] >= start])
    frame["ended_client"] = _count(ids, by_client[reason.isin(CLIENT_ENDS)])
    frame["ended_our_side"] = _count(ids, by_client[reason.isin(OUR_SIDE_ENDS)])
    frame["ended_planned"] = _count(ids, by_client[ended_now]) - frame["ended_client"] - frame["ended_our_side"]

    requests = tables["requests"]
    opened = requests.loc[requests["opened_at"] <= as_of, ["client_id", "opened_at"]]
    trend_start = (period - TREND_QUARTERS).start_time
    frame["requests"] = _count(ids, opened.loc[opened["opened_at"] >= start, "client_id"])
    earlier = opened.loc[(opened["opened_at"] >= trend_start) & (opened["opened_at"] < start), "client_id"]
    frame["requests_before"] = _count(ids, earlier) / TREND_QUARTERS
    frame["requests_change"] = frame["requests"] - frame["requests_before"]
    year_start = (period - (LOOKBACK_QUARTERS - 1)).start_time
    frame["requests_year"] = _count(ids, opened.loc[opened["opened_at"] >= year_start, "client_id"])
    last_request = opened.groupby("client_id")["opened_at"].max()
    frame["days_since_request"] = (day - ids.map(last_request).dt.normalize()).dt.days.astype(float)
    cancelled = requests[(requests["status"] == "cancelled") & (requests["closed_at"] >= start)
                         & (requests["closed_at"] <= as_of)]
    frame["requests_cancelled"] = _count(ids, cancelled["client_id"])

    frame = frame.join(_csi(ids, csi_scores, period))
    frame["red_flags"] = _red_flags(ids, red_flags, start, as_of)
    frame = frame.join(_funnel(ids, tables, period, as_of, settings))
    frame = frame.join(_sla(ids, tables.get("sla_events"), period, as_of, settings))
    frame = frame.join(_interviews(ids, tables.get("interviews"), start, as_of))
    frame["quarter"] = str(period)
    frame["as_of"] = day
    return frame[list(SIGNAL_COLUMNS)].sort_values("client_id").reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("client_id", "quarter", "csi_quarter") else float)
                         for c in SIGNAL_COLUMNS})


def _count(ids: pd.Series, owners: pd.Series) -> np.ndarray:
    return ids.map(owners.value_counts()).fillna(0).to_numpy(dtype=float)


def _accounts(placements, clients, as_of, settings) -> pd.DataFrame:
    """Clients whose latest account life has not churned by ``as_of``, with its number and age."""
    lives = survival.account_lives(placements, as_of=as_of, settings=settings.replace(data_window_start=None))
    latest = lives.sort_values(["client_id", "life"]).drop_duplicates("client_id", keep="last")
    latest = latest[~latest["event"]]
    began = latest["started_at"]
    if clients is not None and "signed_at" in clients:
        signed = latest["client_id"].map(clients.set_index("client_id")["signed_at"])
        began = began.where((latest["life"] > 1) | signed.isna() | (signed > began), signed)
    return pd.DataFrame({
        "client_id": latest["client_id"].to_numpy(),
        "life": latest["life"].to_numpy(dtype=float),
        "account_age_days": (as_of.normalize() - began).dt.days.to_numpy(dtype=float),
    })


def _csi(ids: pd.Series, scores: pd.DataFrame | None, period: pd.Period) -> pd.DataFrame:
    columns = ["csi", "csi_lower_95", "csi_upper_95", "csi_quarter", "csi_change", "csi_change_z", "csi_year",
               *(f"csi_{f}" for f in FACTORS)]
    out = pd.DataFrame(np.nan, index=ids.index, columns=columns).astype({"csi_quarter": object})
    if scores is None or scores.empty:
        return out
    recent = [str(period - k) for k in range(LOOKBACK_QUARTERS)]
    known = scores[scores["quarter"].isin(recent) & scores["estimate"].notna() & scores["client_id"].isin(ids)]
    known = known.sort_values("quarter")
    overall = known[known["factor"] == "csi"]
    latest = overall.groupby("client_id").tail(1).set_index("client_id")
    before = overall.groupby("client_id").nth(-2).set_index("client_id")
    out["csi"] = ids.map(latest["estimate"])
    out["csi_lower_95"] = ids.map(latest["lower_95"])
    out["csi_upper_95"] = ids.map(latest["upper_95"])
    out["csi_quarter"] = ids.map(latest["quarter"])
    out["csi_change"] = out["csi"] - ids.map(before["estimate"])
    se = np.sqrt(_se(latest).pow(2).reindex(ids).to_numpy() + _se(before).pow(2).reindex(ids).to_numpy())
    out["csi_change_z"] = out["csi_change"] / np.where(se > 0, se, np.nan)
    out["csi_year"] = ids.map(overall.groupby("client_id")["estimate"].mean())
    factors = known[known["factor"] != "csi"].groupby(["client_id", "factor"]).tail(1)
    for factor in FACTORS:
        out[f"csi_{factor}"] = ids.map(factors[factors["factor"] == factor].set_index("client_id")["estimate"])
    return out


def _se(rows: pd.DataFrame) -> pd.Series:
    """Standard error of a score from its 95% interval."""
    return (rows["upper_95"] - rows["lower_95"]) / (2 * _Z95)


def _red_flags(ids, flags, start, as_of) -> np.ndarray:
    if flags is None or flags.empty:
        return np.zeros(len(ids))
    now = flags[(flags["held_at"] >= start) & (flags["held_at"] <= as_of)]
    return _count(ids, now["client_id"])


def _funnel(ids, tables, period, as_of, settings) -> pd.DataFrame:
    since = (period - (LOOKBACK_QUARTERS - 1)).start_time
    requests = tables["requests"]
    recent = requests[(requests["opened_at"] >= since) & (requests["opened_at"] <= as_of)
                      & requests["client_id"].isin(ids)]
    submissions = tables["submissions"]
    submissions = submissions[submissions["request_id"].isin(recent["request_id"])]
    counts = funnel.funnel_counts(recent, submissions, as_of=as_of, by=("client_id",), freq=None)
    counts = counts.set_index("client_id")
    out = pd.DataFrame(index=ids.index)
    out["north_star"] = ids.map(counts["approved"] / counts["shown"].replace(0, np.nan)).astype(float)
    out["fill_within_30"] = np.nan
    if len(recent):
        fill = funnel.time_to_fill(recent, submissions, as_of=as_of, by=("client_id",), horizons=(30,),
                                   settings=settings)
        fill = fill[fill["statistic"] == "within_30_days"].set_index("client_id")["estimate"]
        out["fill_within_30"] = ids.map(fill).astype(float)
    return out


def _sla(ids, events, period, as_of, settings) -> pd.DataFrame:
    out = pd.DataFrame({"sla_events": 0.0, "sla_breaches": 0.0}, index=ids.index)
    if events is None or events.empty:
        return out
    start = period.start_time
    events = events[(events["opened_at"] >= start) & (events["opened_at"] <= as_of) & events["client_id"].isin(ids)]
    if events.empty:
        return out
    judged = sla.sla_compliance(events, as_of=as_of, by=("client_id",), freq=None, settings=settings)
    totals = judged.groupby("client_id")[["n_events", "n_breached"]].sum()
    out["sla_events"] = ids.map(totals["n_events"]).fillna(0).to_numpy(dtype=float)
    out["sla_breaches"] = ids.map(totals["n_breached"]).fillna(0).to_numpy(dtype=float)
    return out


def _interviews(ids, interviews, start, as_of) -> pd.DataFrame:
    out = pd.DataFrame({"interviews": 0.0, "days_since_interview": np.nan}, index=ids.index)
    if interviews is None or interviews.empty:
        return out
    held = interviews.loc[interviews["held_at"] <= as_of, ["client_id", "held_at"]]
    out["interviews"] = _count(ids, held.loc[held["held_at"] >= start, "client_id"])
    last = held.groupby("client_id")["held_at"].max()
    out["days_since_interview"] = (as_of.normalize() - ids.map(last).dt.normalize()).dt.days.astype(float)
    return out
