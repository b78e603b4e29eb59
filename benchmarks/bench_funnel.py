"""Benchmark: every client's funnel by quarter with CIs, time to fill and SLA compliance.

Run as ``.venv/bin/python benchmarks/bench_funnel.py``.  Prints the time of the vectorised path
(the package's public functions), the time of a per-client, per-quarter loop over filtered frames
measured in the same run, their ratio, and peak memory.  The loop is timed on a random sample of
clients and scaled to all of them (it is linear in the number of clients); the sample size is
printed.  No assertion on times: this informs, tests decide correctness.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

from outstaff_analysis.funnel import PROGRESS, funnel_counts, funnel_rates, shrink_rates, time_to_fill
from outstaff_analysis.periods import resolve_as_of
from outstaff_analysis.sla import sla_compliance, sla_targets
from outstaff_analysis.stats import wilson_ci

AS_OF = "2024-12-31"


def synthetic_firm(clients: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """A scaled firm: 25 requests, ~500 submission events and 100 SLA events per client."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2022-01-01T00:00", "m")
    minutes = 3 * 365 * 24 * 60
    n_req = clients * 25
    client_of = rng.integers(0, clients, n_req)
    opened = start + rng.integers(0, minutes, n_req).astype("timedelta64[m]")
    requests = pd.DataFrame(
        {
            "request_id": np.array([f"R{i:06d}" for i in range(n_req)], dtype=object),
            "client_id": np.array([f"C{i:04d}" for i in client_of], dtype=object),
            "opened_at": opened.astype("datetime64[ns]"),
            "role": rng.choice(["developer", "analyst", "qa"], n_req).astype(object),
            "stack": rng.choice(["python", "java", "go", None], n_req).astype(object),
            "grade": rng.choice(["junior", "middle", "senior"], n_req).astype(object),
            "headcount": pd.array(np.ones(n_req, dtype=int), dtype="Int64"),
            "status": rng.choice(["filled", "cancelled", "open"], n_req, p=[0.6, 0.25, 0.15]).astype(object),
            "closed_at": (opened + rng.integers(1, 90 * 24 * 60, n_req).astype("timedelta64[m]")).astype(
                "datetime64[ns]"
            ),
        }
    )
    requests.loc[requests["status"] == "open", "closed_at"] = pd.NaT
    # candidates: each reaches a furthest stage, one row per stage reached, plus an outcome
    n_cand = clients * 185
    cand_req = rng.integers(0, n_req, n_cand)
    furthest = rng.choice(4, n_cand, p=[0.5, 0.25, 0.15, 0.10])
    spec = rng.integers(0, 20000, n_cand)
    rows_req, rows_spec, rows_stage, rows_at = [], [], [], []
    t = opened[cand_req] + rng.integers(60, 10 * 24 * 60, n_cand).astype("timedelta64[m]")
    for k, stage in enumerate(PROGRESS):
        hit = furthest >= k
        rows_req.append(cand_req[hit])
        rows_spec.append(spec[hit])
        rows_stage.append(np.full(hit.sum(), stage, dtype=object))
        rows_at.append(t[hit] + (k * rng.integers(1, 7 * 24 * 60, hit.sum())).astype("timedelta64[m]"))
    out = furthest < 3
    rows_req.append(cand_req[out])
    rows_spec.append(spec[out])
    rows_stage.append(rng.choice(["rejected", "withdrawn"], out.sum()).astype(object))
    rows_at.append(t[out] + rng.integers(1, 20 * 24 * 60, out.sum()).astype("timedelta64[m]"))
    req_idx = np.concatenate(rows_req)
    submissions = pd.DataFrame(
        {
            "request_id": requests["request_id"].to_numpy()[req_idx],
            "specialist_id": np.array([f"S{i:05d}" for i in range(20000)], dtype=object)[np.concatenate(rows_spec)],
            "stage": np.concatenate(rows_stage),
            "at": np.concatenate(rows_at).astype("datetime64[ns]"),
            "reason": None,
        }
    )
    n_sla = clients * 100
    kind = rng.choice(["message", "bug", "replacement"], n_sla, p=[0.8, 0.15, 0.05])
    sla_open = start + rng.integers(0, minutes, n_sla).astype("timedelta64[m]")
    scale = np.select([kind == "message", kind == "bug"], [40, 240], 4 * 24 * 60)
    sla_events = pd.DataFrame(
        {
            "client_id": np.array([f"C{i:04d}" for i in rng.integers(0, clients, n_sla)], dtype=object),
            "kind": kind.astype(object),
            "opened_at": sla_open.astype("datetime64[ns]"),
            "resolved_at": (sla_open + rng.exponential(scale).astype("timedelta64[m]")).astype("datetime64[ns]"),
            "severity": None,
        }
    )
    return {"requests": requests, "submissions": submissions, "sla_events": sla_events}


def fast(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The package's vectorised path."""
    counts = funnel_counts(tables["requests"], tables["submissions"], as_of=AS_OF, by="client_id")
    return {
        "rates": funnel_rates(counts),
        "time_to_fill": time_to_fill(tables["requests"], tables["submissions"], as_of=AS_OF, by="client_id"),
        "sla": sla_compliance(tables["sla_events"], as_of=AS_OF, by="client_id"),
    }


def baseline(tables: dict[str, pd.DataFrame], clients) -> int:
    """Per-client, per-quarter loop over filtered frames (calendar-day SLA targets only)."""
    as_of = resolve_as_of(AS_OF)
    requests, submissions, sla = tables["requests"], tables["submissions"], tables["sla_events"]
    submissions = submissions[submissions["at"] <= as_of]
    quarters = pd.period_range("2022Q1", "2024Q4", freq="Q")
    targets = sla_targets()
    rows = 0
    for client in clients:
        reqs = requests[(requests["client_id"] == client) & (requests["opened_at"] <= as_of)]
        subs = submissions[submissions["request_id"].isin(reqs["request_id"])]
        for quarter in quarters:
            in_q = reqs[(reqs["opened_at"] >= quarter.start_time) & (reqs["opened_at"] <= quarter.end_time)]
            q_subs = subs[subs["request_id"].isin(in_q["request_id"])]
            counts = {}
            for k, stage in enumerate(PROGRESS):
                reached = q_subs[q_subs["stage"].isin(PROGRESS[k:])]
                counts[stage] = len(reached.drop_duplicates(["request_id", "specialist_id"]))
            for num, den in (("approved", "shown"), ("interview", "shown"), ("approved", "interview"),
                             ("started", "approved")):
                wilson_ci(counts[num], counts[den])
            events = sla[(sla["client_id"] == client) & (sla["opened_at"] >= quarter.start_time)
                         & (sla["opened_at"] <= min(quarter.end_time, as_of))]
            for kind, target in targets.items():
                of_kind = events[events["kind"] == kind]
                resolved = of_kind["resolved_at"].where(of_kind["resolved_at"] <= as_of, as_of)
                elapsed = (resolved - of_kind["opened_at"]) / pd.Timedelta(minutes=1)
                within = (elapsed <= target).sum()
                wilson_ci(within, len(of_kind))
                elapsed.median()
            rows += 1
        started = subs[subs["stage"] == "started"].groupby("request_id")["at"].min()
        filled_at = reqs["request_id"].map(started)
        end = filled_at.fillna(as_of)
        durations = (end - reqs["opened_at"]) / pd.Timedelta(days=1)
        kmf = KaplanMeierFitter().fit(durations, filled_at.notna())
        kmf.median_survival_time_
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--baseline-clients", type=int, default=40, help="clients timed in the loop baseline")
    args = parser.parse_args()

    t0 = time.perf_counter()
    tables = synthetic_firm(args.clients)
    print(f"firm: {args.clients} clients, {len(tables['requests']):,} requests, "
          f"{len(tables['submissions']):,} submission events, {len(tables['sla_events']):,} SLA events "
          f"(built in {time.perf_counter() - t0:.1f} s)")

    fast(tables)  # warm-up: imports, holiday calendar
    t0 = time.perf_counter()
    result = fast(tables)
    fast_s = time.perf_counter() - t0
    tracemalloc.start()  # a separate run: tracing slows the code it traces
    fast(tables)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    t0 = time.perf_counter()
    shrink_rates(result["rates"], across="client_id")
    shrink_s = time.perf_counter() - t0

    all_clients = tables["requests"]["client_id"].unique()
    sample = np.random.default_rng(1).choice(all_clients, min(args.baseline_clients, len(all_clients)), replace=False)
    t0 = time.perf_counter()
    baseline(tables, sample)
    loop_s = (time.perf_counter() - t0) * len(all_clients) / len(sample)

    print(f"fast path (funnel by client-quarter + Wilson, time to fill by client, SLA by client-quarter): "
          f"{fast_s:.2f} s, peak traced memory {peak / 2**20:.0f} MiB")
    print(f"  of which rows: {len(result['rates']):,} rates, {len(result['time_to_fill']):,} time-to-fill, "
          f"{len(result['sla']):,} SLA")
    print(f"EB shrinkage of all rates across clients (extra): {shrink_s:.2f} s")
    print(f"baseline loop: {loop_s:.1f} s for {len(all_clients)} clients "
          f"(timed on {len(sample)} clients, scaled linearly)")
    print(f"ratio baseline / fast: {loop_s / fast_s:.0f}x")


if __name__ == "__main__":
    main()
