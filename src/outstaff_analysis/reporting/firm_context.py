"""Firm-wide figures every client report of a quarter shows beside the client's own, computed once.

A client report shows the firm as context: its KPI averages of the quarter and of the quarter before
(:func:`outstaff_analysis.kpis.firm_averages`) and its tenure curve under the client's.  They are the
same for every client of the quarter, so they are computed once and kept in the data directory's
cache (:mod:`.firm_cache`), keyed by the processed tables, the as-of date, the quarter, the settings
and the package: the first report of a batch (or the batch's preparation) computes them, every
other report reads them back, and any changed input gives another key.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from .. import survival
from ..dataset import Dataset
from ..kpis import firm_averages
from ..periods import parse_quarter
from .fingerprint import digest, package_digest, settings_digest, tables_digest
from .firm_cache import cached_frames

CACHE_KIND = "firm-context"


@dataclasses.dataclass(frozen=True)
class FirmContext:
    """The firm beside a client: ``averages[quarter][kpi]`` and the firm's tenure curve (``km_curve``)."""

    averages: dict[str, dict[str, float]]
    tenure_curve: pd.DataFrame


def compute_firm_context(data: Dataset, quarter: str) -> FirmContext:
    """The firm context of ``quarter`` computed from ``data`` (loaded as of the quarter's end)."""
    quarter = parse_quarter(quarter)
    tables, settings = data.tables, data.settings
    averages = {str(q): firm_averages(tables, str(q), settings=settings) for q in (quarter, quarter - 1)}
    tenure = survival.tenure_frame(tables["placements"], as_of=data.as_of, settings=settings)
    return FirmContext(averages, survival.km_curve(tenure))


def firm_context(data: Dataset, quarter: str) -> FirmContext:
    """The firm context of ``quarter``: read from the cache, else computed and stored there."""
    key = digest(CACHE_KIND, tables_digest(data.data_dir), data.as_of.isoformat(), str(parse_quarter(quarter)),
                 settings_digest(data.settings), package_digest())
    frames = cached_frames(data.data_dir, CACHE_KIND, key, lambda: _to_frames(compute_firm_context(data, quarter)))
    return _from_frames(frames)


def _to_frames(context: FirmContext) -> dict[str, pd.DataFrame]:
    averages = pd.DataFrame([{"quarter": q, "kpi": kpi, "value": value}
                             for q, values in context.averages.items() for kpi, value in values.items()])
    return {"averages": averages, "tenure_curve": context.tenure_curve}


def _from_frames(frames: dict[str, pd.DataFrame]) -> FirmContext:
    averages: dict[str, dict[str, float]] = {}
    for row in frames["averages"].itertuples(index=False):
        averages.setdefault(row.quarter, {})[row.kpi] = float(row.value)
    return FirmContext(averages, frames["tenure_curve"])
