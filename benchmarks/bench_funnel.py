"""Benchmark: every client's funnel by quarter with CIs, time to fill and SLA compliance.

Run as ``.venv/bin/python benchmarks/bench_funnel.py``.  The firm is the demo firm scaled to 2,000
clients (about 50,000 requests and 1,000,000 submission events).  Prints the time of the vectorised path
(the package's public functions), the time of a per-client, per-quarter loop over filtered frames
measured in the same run, their ratio, and peak memory.  The baseline splits the tables by client
once, then loops over clients and quarters filtering frames; the loop is timed on a random sample
of clients and scaled to all of them (it is linear in the number of clients), and the sample size
is printed.  No assertion on times: this informs, tests decide correctness.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
from lifelines import AalenJohansenFitter

from outstaff_analysis.demo import generate_tables
from outstaff_analysis.funnel import PROGRESS, funnel_counts, funnel_rates, shrink_rates, time_to_fill
from outstaff_analysis.periods import resolve_as_of
from outstaff_analysis.sla import sla_compliance, sla_targets
from outstaff_analysis.stats import wilson_ci
from outstaff_analysis.workdays import working_days_between

AS_OF = "2024-12-31"


def fast(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The package's vectorised path."""
    counts = funnel_counts(tables["requests"], tables["submissions"], as_of=AS_OF, by="client_id")
    return {
        "rates": funnel_rates(counts),
        "time_to_fill": time_to_fill(tables["requests"], tables["submissions"], as_of=AS_OF, by="client_id"),
        "sla": sla_compliance(tables["sla_events"], as_of=AS_OF, by="client_id"),
    }


def split_by_client(tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """Each client's requests, submissions and SLA events (seen by ``AS_OF``), split once for the loop."""
    as_of = resolve_as_of(AS_OF)
    requests = tables["requests"][tables["requests"]["opened_at"] <= as_of]
    submissions = tables["submissions"][tables["submissions"]["at"] <= as_of]
    submissions = submissions.merge(requests[["request_id", "client_id"]], on="request_id")
    sla = tables["sla_events"][tables["sla_events"]["opened_at"] <= as_of]
    parts = {name: dict(tuple(frame.groupby("client_id"))) for name, frame in
             (("requests", requests), ("submissions", submissions), ("sla", sla))}
    empty = {"requests": requests.iloc[:0], "submissions": submissions.iloc[:0], "sla": sla.iloc[:0]}
    return {c: {name: parts[name].get(c, empty[name]) for name in parts} for c in parts["requests"]}


def baseline(by_client: dict[str, dict], clients) -> int:
    """Per-client, per-quarter loop over filtered frames: funnel counts + Wilson, SLA, time to fill
    (lifelines' Aalen-Johansen, cancellation competing)."""
    as_of = resolve_as_of(AS_OF)
    quarters = pd.period_range("2022Q1", "2024Q4", freq="Q")
    targets = sla_targets()
    scale = {"message": pd.Timedelta(minutes=1), "bug": pd.Timedelta(hours=1)}
    rows = 0
    for client in clients:
        reqs, subs, sla = by_client[client]["requests"], by_client[client]["submissions"], by_client[client]["sla"]
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
            events = sla[(sla["opened_at"] >= quarter.start_time) & (sla["opened_at"] <= quarter.end_time)]
            for kind, target in targets.items():
                of_kind = events[events["kind"] == kind]
                resolved = of_kind["resolved_at"].where(of_kind["resolved_at"] <= as_of, as_of)
                if kind in scale:
                    elapsed = (resolved - of_kind["opened_at"]) / scale[kind]
                else:
                    elapsed = pd.Series(working_days_between(of_kind["opened_at"], resolved))
                wilson_ci((elapsed <= target).sum(), len(of_kind))
                elapsed.median()
            rows += 1
        started = subs[(subs["stage"] == "started") & (subs["at"] <= as_of)].groupby("request_id")["at"].min()
        filled_at = reqs["request_id"].map(started)
        closed = reqs["closed_at"].where(reqs["closed_at"] <= as_of)
        end = filled_at.fillna(closed).fillna(as_of)
        durations = (end - reqs["opened_at"]) / pd.Timedelta(days=1)
        outcome = np.where(filled_at.notna(), 1, np.where(closed.notna(), 2, 0))  # 2: cancelled, competing
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lifelines jitters tied days, and says so
            ajf = AalenJohansenFitter().fit(durations, outcome, event_of_interest=1)
        incidence = ajf.cumulative_density_.iloc[:, 0]
        rows += bool((incidence >= 0.5).any())
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--baseline-clients", type=int, default=40, help="clients timed in the loop baseline")
    args = parser.parse_args()

    t0 = time.perf_counter()
    tables = generate_tables(clients=args.clients, transcripts=False).tables
    print(f"firm: {args.clients} clients, {len(tables['requests']):,} requests, "
          f"{len(tables['submissions']):,} submission events, {len(tables['sla_events']):,} SLA events "
          f"(built in {time.perf_counter() - t0:.1f} s)")

    fast(tables)  # warm-up: imports, holiday calendar
    runs, cpu_runs = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fast(tables)
        runs.append(time.perf_counter() - t0)
        cpu_runs.append(time.process_time() - c0)
    fast_s, fast_cpu = min(runs), min(cpu_runs)
    tracemalloc.start()  # a separate run: tracing slows the code it traces
    fast(tables)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    t0 = time.perf_counter()
    shrink_rates(result["rates"], across="client_id")
    shrink_s = time.perf_counter() - t0

    t0, c0 = time.perf_counter(), time.process_time()
    by_client = split_by_client(tables)
    split_s, split_cpu = time.perf_counter() - t0, time.process_time() - c0
    all_clients = np.array(sorted(by_client))
    sample = np.random.default_rng(1).choice(all_clients, min(args.baseline_clients, len(all_clients)), replace=False)
    t0, c0 = time.perf_counter(), time.process_time()
    baseline(by_client, sample)
    loop_s = split_s + (time.perf_counter() - t0) * len(all_clients) / len(sample)
    loop_cpu = split_cpu + (time.process_time() - c0) * len(all_clients) / len(sample)

    print(f"fast path (funnel by client-quarter + Wilson, time to fill by client, SLA by client-quarter): "
          f"{fast_s:.2f} s wall, {fast_cpu:.2f} s CPU (best of 3; wall {', '.join(f'{r:.2f}' for r in runs)}), "
          f"peak traced memory {peak / 2**20:.0f} MiB")
    print(f"  of which rows: {len(result['rates']):,} rates, {len(result['time_to_fill']):,} time-to-fill, "
          f"{len(result['sla']):,} SLA")
    print(f"EB shrinkage of all rates across clients (extra): {shrink_s:.2f} s")
    print(f"baseline loop: {loop_s:.1f} s wall, {loop_cpu:.1f} s CPU for {len(all_clients)} clients "
          f"(split by client once: {split_s:.1f} s; the loop timed on {len(sample)} clients, scaled linearly)")
    print(f"ratio baseline / fast: {loop_s / fast_s:.0f}x wall, {loop_cpu / fast_cpu:.0f}x CPU time")


if __name__ == "__main__":
    main()
